// The show_if condition language (SPEC §9.7), evaluated on the phone so that items appear and
// disappear as answers change. A port of crates/checklist/src/condition/{parse,eval}.rs: the
// same grammar, the same "missing makes comparisons false" rule, the same error columns.
// tests/e2e/condition.test.mjs runs the Rust crate's cases against it.

const RESERVED = ['and', 'or', 'not', 'in', 'true', 'false', 'answered', 'selected'];
const KEY = /^[a-z0-9][a-z0-9_-]*$/;
const NUMBER = /^-?[0-9]+(\.[0-9]+)?$/;

export class ConditionError extends Error {
  constructor(column, message) {
    super(`at column ${column}: ${message}`);
    this.column = column;
    this.problem = message;
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
    else if (c === '=') throw new ConditionError(col, "'=' is not an operator here: compare with '=='");
    else if (c === '!' && next === '=') { tok = { t: 'cmp', op: '!=' }; len = 2; }
    else if (c === '!') throw new ConditionError(col, "'!' is not an operator: negate with 'not', compare with '!='");
    else if (c === '<' || c === '>') {
      if (next === '=') { tok = { t: 'cmp', op: c + '=' }; len = 2; } else tok = { t: 'cmp', op: c };
    } else if (c === '"') throw new ConditionError(col, "strings are written in single quotes: 'like this'");
    else if (c === "'") {
      let s = '';
      let j = i + 1;
      for (;;) {
        const ch = chars[j];
        if (ch === undefined) throw new ConditionError(col, "this string is never closed with a \"'\"");
        if (ch === '\\') {
          const e = chars[j + 1];
          if (e === "'" || e === '\\') { s += e; j += 2; continue; }
          throw new ConditionError(j + 1, "only \\' and \\\\ may follow a backslash");
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
        if (!Number.isFinite(n)) throw new ConditionError(col, `${word} is not a usable number`);
        tok = { t: 'num', v: n };
      } else if (RESERVED.includes(word) || KEY.test(word)) tok = { t: 'word', v: word };
      else if (/[A-Z]/.test(word)) throw new ConditionError(col, `'${word}' is not a valid item key: keys are lower case`);
      else throw new ConditionError(col, `'${word}' is neither a number nor a valid item key`);
      len = j - i;
    } else throw new ConditionError(col, `unexpected character '${c}'`);
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
  expect(type, what) {
    const t = this.peek();
    if (t.t !== type) throw new ConditionError(t.col, `expected ${what}, found ${describe(t)}`);
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
    throw new ConditionError(t.col, `expected an item key, found ${describe(t)}`);
  }
  atom() {
    const t = this.peek();
    if (t.t === '(') {
      this.bump();
      const inner = this.or();
      this.expect(')', "')'");
      return inner;
    }
    if (t.t === 'word' && t.v === 'answered') {
      this.bump();
      this.expect('(', "'(' after answered");
      const key = this.key();
      this.expect(')', "')'");
      return { op: 'answered', key };
    }
    if (t.t === 'word' && t.v === 'selected') {
      this.bump();
      this.expect('(', "'(' after selected");
      const key = this.key();
      this.expect(',', "',' between the item key and the option");
      const o = this.bump();
      if (o.t !== 'str') throw new ConditionError(o.col, `expected an option in quotes, found ${describe(o)}`);
      this.expect(')', "')'");
      return { op: 'selected', key, option: o.v };
    }
    return this.comparison();
  }
  operand() {
    const t = this.peek();
    if (t.t === 'word' && (t.v === 'true' || t.v === 'false')) { this.bump(); return { lit: t.v === 'true' }; }
    if (t.t === 'str' || t.t === 'num') return { lit: this.literal() };
    if (t.t === 'word' && !RESERVED.includes(t.v)) return { key: this.key() };
    throw new ConditionError(t.col, `expected an item key or a value, found ${describe(t)}`);
  }
  literal() {
    const t = this.bump();
    if (t.t === 'str' || t.t === 'num') return t.v;
    if (t.t === 'word' && (t.v === 'true' || t.v === 'false')) return t.v === 'true';
    throw new ConditionError(t.col, `expected a value ('text', number, true or false), found ${describe(t)}`);
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
          throw new ConditionError(this.peek().col, `expected 'in' after 'not', found ${describe(this.peek())}`);
        }
        this.bump();
      }
      this.expect('[', "'[' to start the list");
      const list = [this.literal()];
      while (this.peek().t === ',') { this.bump(); list.push(this.literal()); }
      this.expect(']', "',' or ']'");
      return { op: 'in', operand: left, negated, list };
    }
    throw new ConditionError(t.col, `expected a comparison (==, !=, <, <=, >, >=) or 'in', found ${describe(t)}`);
  }
}

/** Parses a condition into a small tree; throws ConditionError with the column. */
export function parse(text) {
  const toks = lex(text);
  if (toks.length === 1) throw new ConditionError(1, 'the condition is empty');
  const p = new Parser(toks);
  const expr = p.or();
  if (p.peek().t !== 'end') {
    throw new ConditionError(p.peek().col, `unexpected ${describe(p.peek())} after a complete condition`);
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
