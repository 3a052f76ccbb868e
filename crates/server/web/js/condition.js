// The show_if condition language (SPEC §9.7), evaluated on the phone so that items appear and
// disappear as answers change. A port of crates/checklist/src/condition/{parse,eval}.rs: the
// same grammar, the same "missing makes comparisons false" rule, the same error columns.
// tests/e2e/condition.test.mjs runs the Rust crate's cases against it.

const RESERVED = ['and', 'or', 'not', 'in', 'true', 'false', 'answered', 'selected'];
const KEY = /^[a-z0-9][a-z0-9_-]*$/;
const NUMBER = /^-?[0-9]+(\.[0-9]+)?$/;

export class ConditionError extends Error {
  /** `why` is the reason as data ({code, ...args}), for saying it in the reader's language. */
  constructor(column, message, why = { code: 'other' }) {
    super(`at column ${column}: ${message}`);
    this.column = column;
    this.problem = message;
    this.why = why;
  }
}

const isWordChar = (c) => /[A-Za-z0-9_.-]/.test(c);

function lex(text) {
  const chars = Array.from(text);
  const out = [];
  let i = 0;
  while (i < chars.length) {
    const c = chars[i];
    const col = i + 1;
    const next = chars[i + 1];
    if (/\s/.test(c)) { i += 1; continue; }
    let tok;
    let len = 1;
    if ('()[],'.includes(c)) tok = { t: c };
    else if (c === '=' && next === '=') { tok = { t: 'cmp', op: '==' }; len = 2; }
    else if (c === '=') throw new ConditionError(col, "'=' is not an operator here: compare with '=='", { code: 'single_equals' });
    else if (c === '!' && next === '=') { tok = { t: 'cmp', op: '!=' }; len = 2; }
    else if (c === '!') throw new ConditionError(col, "'!' is not an operator: negate with 'not', compare with '!='", { code: 'bang' });
    else if (c === '<' || c === '>') {
      if (next === '=') { tok = { t: 'cmp', op: c + '=' }; len = 2; } else tok = { t: 'cmp', op: c };
    } else if (c === '"') throw new ConditionError(col, "strings are written in single quotes: 'like this'", { code: 'double_quote' });
    else if (c === "'") {
      let s = '';
      let j = i + 1;
      for (;;) {
        const ch = chars[j];
        if (ch === undefined) throw new ConditionError(col, "this string is never closed with a \"'\"", { code: 'unclosed_string' });
        if (ch === '\\') {
          const e = chars[j + 1];
          if (e === "'" || e === '\\') { s += e; j += 2; continue; }
          throw new ConditionError(j + 1, "only \\' and \\\\ may follow a backslash", { code: 'bad_escape' });
        }
        if (ch === "'") break;
        s += ch;
        j += 1;
      }
      tok = { t: 'str', v: s };
      len = j + 1 - i;
    } else if (isWordChar(c)) {
      let j = i + 1;
      while (j < chars.length && isWordChar(chars[j])) j += 1;
      const word = chars.slice(i, j).join('');
      if (NUMBER.test(word)) {
        const n = Number(word);
        if (!Number.isFinite(n)) throw new ConditionError(col, `${word} is not a usable number`, { code: 'unusable_number', word });
        tok = { t: 'num', v: n };
      } else if (RESERVED.includes(word) || KEY.test(word)) tok = { t: 'word', v: word };
      else if (/[A-Z]/.test(word)) throw new ConditionError(col, `'${word}' is not a valid item key: keys are lower case`, { code: 'upper_case_key', word });
      else throw new ConditionError(col, `'${word}' is neither a number nor a valid item key`, { code: 'not_number_nor_key', word });
      len = j - i;
    } else throw new ConditionError(col, `unexpected character '${c}'`, { code: 'unexpected_char', found: c });
    tok.col = col;
    out.push(tok);
    i += len;
  }
  out.push({ t: 'end', col: chars.length + 1 });
  return out;
}

function describe(tok) {
  switch (tok.t) {
    case 'cmp': return `'${tok.op}'`;
    case 'str': return `string '${tok.v}'`;
    case 'num': return `number ${tok.v}`;
    case 'word': return `'${tok.v}'`;
    case 'end': return 'the end of the condition';
    default: return `'${tok.t}'`;
  }
}

class Parser {
  constructor(toks) { this.toks = toks; this.pos = 0; }
  peek() { return this.toks[Math.min(this.pos, this.toks.length - 1)]; }
  bump() { const t = this.peek(); if (this.pos < this.toks.length - 1) this.pos += 1; return t; }
  isWord(w) { const t = this.peek(); return t.t === 'word' && t.v === w; }
  expect(type, what, want) {
    const t = this.peek();
    if (t.t !== type) throw new ConditionError(t.col, `expected ${what}, found ${describe(t)}`, { code: 'expected', want, found: t });
    this.bump();
  }
  or() {
    let left = this.and();
    while (this.isWord('or')) { this.bump(); left = { op: 'or', a: left, b: this.and() }; }
    return left;
  }
  and() {
    let left = this.unary();
    while (this.isWord('and')) { this.bump(); left = { op: 'and', a: left, b: this.unary() }; }
    return left;
  }
  unary() {
    if (this.isWord('not')) { this.bump(); return { op: 'not', e: this.unary() }; }
    return this.atom();
  }
  key() {
    const t = this.bump();
    if (t.t === 'word' && !RESERVED.includes(t.v)) return t.v;
    throw new ConditionError(t.col, `expected an item key, found ${describe(t)}`, { code: 'expected', want: { w: 'item_key' }, found: t });
  }
  atom() {
    const t = this.peek();
    if (t.t === '(') {
      this.bump();
      const inner = this.or();
      this.expect(')', "')'", { w: 'close_paren' });
      return inner;
    }
    if (t.t === 'word' && t.v === 'answered') {
      this.bump();
      this.expect('(', "'(' after answered", { w: 'open_paren', after: 'answered' });
      const key = this.key();
      this.expect(')', "')'", { w: 'close_paren' });
      return { op: 'answered', key };
    }
    if (t.t === 'word' && t.v === 'selected') {
      this.bump();
      this.expect('(', "'(' after selected", { w: 'open_paren', after: 'selected' });
      const key = this.key();
      this.expect(',', "',' between the item key and the option", { w: 'comma_before_option' });
      const o = this.bump();
      if (o.t !== 'str') throw new ConditionError(o.col, `expected an option in quotes, found ${describe(o)}`, { code: 'expected', want: { w: 'quoted_option' }, found: o });
      this.expect(')', "')'", { w: 'close_paren' });
      return { op: 'selected', key, option: o.v };
    }
    return this.comparison();
  }
  operand() {
    const t = this.peek();
    if (t.t === 'word' && (t.v === 'true' || t.v === 'false')) { this.bump(); return { lit: t.v === 'true' }; }
    if (t.t === 'str' || t.t === 'num') return { lit: this.literal() };
    if (t.t === 'word' && !RESERVED.includes(t.v)) return { key: this.key() };
    throw new ConditionError(t.col, `expected an item key or a value, found ${describe(t)}`, { code: 'expected', want: { w: 'operand' }, found: t });
  }
  literal() {
    const t = this.bump();
    if (t.t === 'str' || t.t === 'num') return t.v;
    if (t.t === 'word' && (t.v === 'true' || t.v === 'false')) return t.v === 'true';
    throw new ConditionError(t.col, `expected a value ('text', number, true or false), found ${describe(t)}`, { code: 'expected', want: { w: 'value' }, found: t });
  }
  comparison() {
    const left = this.operand();
    const t = this.peek();
    if (t.t === 'cmp') {
      this.bump();
      return { op: 'cmp', cmp: t.op, left, right: this.operand() };
    }
    if (t.t === 'word' && (t.v === 'in' || t.v === 'not')) {
      this.bump();
      const negated = t.v === 'not';
      if (negated) {
        if (!this.isWord('in')) {
          throw new ConditionError(this.peek().col, `expected 'in' after 'not', found ${describe(this.peek())}`, { code: 'expected', want: { w: 'in_after_not' }, found: this.peek() });
        }
        this.bump();
      }
      this.expect('[', "'[' to start the list", { w: 'open_bracket' });
      const list = [this.literal()];
      while (this.peek().t === ',') { this.bump(); list.push(this.literal()); }
      this.expect(']', "',' or ']'", { w: 'comma_or_close_bracket' });
      return { op: 'in', operand: left, negated, list };
    }
    throw new ConditionError(t.col, `expected a comparison (==, !=, <, <=, >, >=) or 'in' after ${operandText(left)}, found ${describe(t)}`, { code: 'expected', want: { w: 'comparison', after: operandText(left) }, found: t });
  }
}

/** Parses a condition into a small tree; throws ConditionError with the column. */
export function parse(text) {
  const toks = lex(text);
  if (toks.length === 1) throw new ConditionError(1, 'the condition is empty', { code: 'empty' });
  const p = new Parser(toks);
  const expr = p.or();
  if (p.peek().t !== 'end') {
    throw new ConditionError(p.peek().col, `unexpected ${describe(p.peek())} after a complete condition`, { code: 'trailing', found: p.peek() });
  }
  return expr;
}

// lookup(key) returns undefined (unanswered, "na" or hidden), a string, a number, or an array
// (multi_choice selections).
function value(operand, lookup) {
  if ('lit' in operand) return operand.lit;
  const v = lookup(operand.key);
  return typeof v === 'string' || typeof v === 'number' ? v : undefined;
}

function compare(a, op, b) {
  if (typeof a !== typeof b) return false;
  switch (op) {
    case '==': return a === b;
    case '!=': return a !== b;
    // Strings compare by code point, as Rust's str ordering does.
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
    default: return false;
  }
}

/** Evaluates a parsed condition; missing answers make every comparison false. */
export function evaluate(expr, lookup) {
  switch (expr.op) {
    case 'or': return evaluate(expr.a, lookup) || evaluate(expr.b, lookup);
    case 'and': return evaluate(expr.a, lookup) && evaluate(expr.b, lookup);
    case 'not': return !evaluate(expr.e, lookup);
    case 'answered': return lookup(expr.key) !== undefined;
    case 'selected': {
      const v = lookup(expr.key);
      if (typeof v === 'string') return v === expr.option;
      if (Array.isArray(v)) return v.includes(expr.option);
      return false;
    }
    case 'cmp': {
      const a = value(expr.left, lookup);
      const b = value(expr.right, lookup);
      return a !== undefined && b !== undefined && compare(a, expr.cmp, b);
    }
    case 'in': {
      const v = value(expr.operand, lookup);
      if (v === undefined) return false;
      return expr.list.some((l) => compare(v, '==', l)) !== expr.negated;
    }
    default: return false;
  }
}

/**
 * Which items of a checklist are shown for these answers, in document order (a show_if only
 * looks at earlier items, and a hidden item counts as unanswered for the items after it).
 * Returns a Set of shown item keys.
 */
export function visibleItems(checklist, answers, parsed = new Map()) {
  const shown = new Set();
  const items = new Map();
  const lookup = (key) => {
    if (!shown.has(key)) return undefined;
    const item = items.get(key);
    const v = answers[key];
    if (v === undefined || v === null) return undefined;
    if (Array.isArray(v)) return v.length ? v : undefined;
    // "na" is N/A where the item allows it, except when it is one of a choice item's options.
    const naOption = item && item.type === 'choice' && (item.options || []).some((o) => o.key === 'na');
    if (v === 'na' && item && item.na_allowed && !naOption) return undefined;
    return v;
  };
  for (const section of checklist.sections || []) {
    for (const item of section.items || []) {
      items.set(item.key, item);
      let visible = true;
      if (item.show_if) {
        let expr = parsed.get(item.show_if);
        if (!expr) {
          try { expr = parse(item.show_if); } catch { expr = null; }
          parsed.set(item.show_if, expr);
        }
        visible = expr ? evaluate(expr, lookup) : true;
      }
      if (visible) shown.add(item.key);
    }
  }
  return shown;
}

// ---- Type checking (a port of crates/checklist/src/condition/check.rs) ----
// The editor checks a show_if as it is typed, with the crate's rules and words: unknown keys,
// the item itself, later items, and constants or items of the wrong type.

const WORDS = RESERVED;

/** A literal written back as the crate's `Display` writes it. */
export function literalText(lit) {
  if (typeof lit === 'string') return `'${lit.replace(/[\\']/g, (c) => `\\${c}`)}'`;
  return String(lit);
}

const operandText = (o) => ('lit' in o ? literalText(o.lit) : o.key);
const PRECEDENCE = { or: 0, and: 1, not: 2 };

/** A parsed condition written back with the fewest parentheses (the crate's `Display`). */
export function exprText(e, min = 0) {
  const p = PRECEDENCE[e.op] ?? 3;
  if (p < min) return `(${exprText(e, 0)})`;
  switch (e.op) {
    case 'or': return `${exprText(e.a, 0)} or ${exprText(e.b, 1)}`;
    case 'and': return `${exprText(e.a, 1)} and ${exprText(e.b, 2)}`;
    case 'not': return `not ${exprText(e.e, 2)}`;
    case 'answered': return `answered(${e.key})`;
    case 'selected': return `selected(${e.key}, ${literalText(e.option)})`;
    case 'cmp': return `${operandText(e.left)} ${e.cmp} ${operandText(e.right)}`;
    case 'in': return `${operandText(e.operand)} ${e.negated ? 'not ' : ''}in [${e.list.map(literalText).join(', ')}]`;
    default: return '';
  }
}

const TYPE_WORDS = { text: 'text', number: 'a number', bool: 'true/false' };

/** The English sentence of a check reason (the crate's `CheckReason` `Display`). */
export function reasonText(r) {
  const ty = (x) => TYPE_WORDS[x];
  switch (r.code) {
    case 'reserved_word': return `'${r.key}' is a reserved word and cannot name an item in a condition`;
    case 'unknown_item': return `unknown item '${r.key}'`;
    case 'self_reference': return `the item cannot depend on its own answer ('${r.key}')`;
    case 'later_item': return `'${r.key}' comes later in the checklist: conditions may only use earlier answers`;
    case 'multi_choice_compared': return `'${r.key}' is a multi_choice item; test it with selected(${r.key}, 'option')`;
    case 'photo_compared': return `'${r.key}' is a photo item; test it with answered(${r.key})`;
    case 'note_never_answered': return `'${r.key}' is a note and is never answered`;
    case 'type_mismatch': return `'${r.key}' holds ${ty(r.holds)}, but ${r.literal} is ${ty(r.is)}`;
    case 'not_an_answer': return `${r.literal} is not an answer of '${r.key}' (answers: ${r.answers})`;
    case 'not_an_option': return `'${r.option}' is not an option of '${r.key}' (options: ${r.options})`;
    case 'selected_needs_choice': return `selected() needs a choice or multi_choice item, but '${r.key}' is ${r.item_type}`;
    case 'constant_comparison': return 'compares two constants, which is always true or always false';
    case 'items_differ': return `'${r.left}' holds ${ty(r.left_holds)} but '${r.right}' holds ${ty(r.right_holds)}`;
    case 'in_needs_item': return "the left side of 'in' must be an item key";
    case 'ordering_not_number': return `'${r.op}' compares numbers, not ${ty(r.ty)}`;
    default: return r.code;
  }
}

const literalType = (lit) => (typeof lit === 'string' ? 'text' : typeof lit === 'number' ? 'number' : 'bool');

/**
 * Checks a parsed condition of the item at document position `current`; `lookup(key)` gives
 * `{position, item}` of a known item or undefined. Returns `[{context, reason, message}]`, the
 * crate's problems in its order and words (`message` is "in `context`: reason" when there is a
 * context), empty when the condition is well typed.
 */
export function check(expr, current, lookup) {
  const errors = [];
  const fail = (context, reason) => {
    const text = reasonText(reason);
    errors.push({ context, reason, message: context ? `in \`${context}\`: ${text}` : text });
  };
  const resolve = (key) => {
    if (WORDS.includes(key)) { fail(null, { code: 'reserved_word', key }); return null; }
    const r = lookup(key);
    if (!r) { fail(null, { code: 'unknown_item', key }); return null; }
    if (r.position === current) { fail(null, { code: 'self_reference', key }); return null; }
    if (r.position > current) { fail(null, { code: 'later_item', key }); return null; }
    return r;
  };
  const optionKeys = (item) => (item.options || []).map((o) => o.key);
  const domain = (key, context) => {
    const r = resolve(key);
    if (!r) return null;
    switch (r.item.type) {
      case 'yes_no': return { key, ty: 'text', values: ['yes', 'no'] };
      case 'choice': return { key, ty: 'text', values: optionKeys(r.item) };
      case 'scale': case 'number': case 'duration': return { key, ty: 'number', values: null };
      case 'text': case 'timestamp': return { key, ty: 'text', values: null };
      case 'multi_choice': fail(context, { code: 'multi_choice_compared', key }); return null;
      case 'photo': fail(context, { code: 'photo_compared', key }); return null;
      case 'note': fail(context, { code: 'note_never_answered', key }); return null;
      default: return null;
    }
  };
  const literalIn = (d, lit, context) => {
    const ty = literalType(lit);
    if (ty !== d.ty) { fail(context, { code: 'type_mismatch', key: d.key, holds: d.ty, literal: literalText(lit), is: ty }); return; }
    if (d.values && typeof lit === 'string' && !d.values.includes(lit)) {
      fail(context, { code: 'not_an_answer', literal: literalText(lit), key: d.key, answers: d.values.join(', ') });
    }
  };
  const ordering = (op, ty, context) => {
    if (op !== '==' && op !== '!=' && ty !== 'number') fail(context, { code: 'ordering_not_number', op, ty });
  };
  const walk = (e) => {
    switch (e.op) {
      case 'or': case 'and': walk(e.a); walk(e.b); break;
      case 'not': walk(e.e); break;
      case 'answered': {
        const r = resolve(e.key);
        if (r && r.item.type === 'note') fail(exprText(e), { code: 'note_never_answered', key: e.key });
        break;
      }
      case 'selected': {
        const r = resolve(e.key);
        if (!r) break;
        if (r.item.type === 'choice' || r.item.type === 'multi_choice') {
          const keys = optionKeys(r.item);
          if (!keys.includes(e.option)) fail(exprText(e), { code: 'not_an_option', option: e.option, key: e.key, options: keys.join(', ') });
        } else fail(exprText(e), { code: 'selected_needs_choice', key: e.key, item_type: r.item.type });
        break;
      }
      case 'cmp': {
        const context = exprText(e);
        const l = e.left;
        const r = e.right;
        if ('lit' in l && 'lit' in r) fail(context, { code: 'constant_comparison' });
        else if ('lit' in l || 'lit' in r) {
          const [k, lit] = 'lit' in r ? [l.key, r.lit] : [r.key, l.lit];
          const d = domain(k, context);
          if (d) { literalIn(d, lit, context); ordering(e.cmp, d.ty, context); }
        } else {
          const da = domain(l.key, context);
          const db = domain(r.key, context);
          if (da && db) {
            if (da.ty !== db.ty) fail(context, { code: 'items_differ', left: l.key, left_holds: da.ty, right: r.key, right_holds: db.ty });
            else ordering(e.cmp, da.ty, context);
          }
        }
        break;
      }
      case 'in': {
        const context = exprText(e);
        if ('lit' in e.operand) { fail(context, { code: 'in_needs_item' }); break; }
        const d = domain(e.operand.key, context);
        if (d) for (const lit of e.list) literalIn(d, lit, context);
        break;
      }
      default: break;
    }
  };
  walk(expr);
  return errors;
}
