// QA's checklist editor (issue 19): a draft edited as a form, Arabic beside English, with the
// show_if conditions type checked as they are typed (condition.js `check`, the crate's rules),
// the whole document validated while editing, a phone preview, the changes against the
// published version, and the working copy kept on the device until it is saved.
//
// Built for long checklists (500 items): an item is a one-line card (type, key, text in the
// reader's language, badges for a missing translation or a problem) whose fields are built only
// while it is open, so the page holds a few thousand elements, not 30,000. The missing
// translations are counted from the model, not from the fields. A keystroke changes the model
// and the marks and counters of its own field and card only; validation, the diff, the preview and
// the working copy run after a pause in typing, each as its own short task.

import { api, get, me, OfflineError } from './api.js';
import { dateTime, lang, num, t, tx } from './i18n.js';
import { check, parse, ConditionError } from './condition.js';
import { preview } from './checklist.js';
import { confirmDialog, h, message, saveBlob } from './ui.js';

export const TYPES = ['yes_no', 'scale', 'choice', 'multi_choice', 'number', 'duration', 'text', 'photo', 'timestamp', 'note'];
const LANGS = ['en', 'ar'];
const KEY_RE = /^[a-z0-9][a-z0-9_-]*$/;
/** Keys: the pattern of SPEC §9.2, at most 64 characters. Texts: what the server accepts. */
export const MAX_KEY = 64;
export const MAX_TEXT = 10000;
const PAUSE_MS = 300;
/** What follows the typing in the field itself (its condition's check, the card's line). */
const SHORT_PAUSE_MS = 150;

// ---- Identity of model objects (stable across moves, unlike indexes) ----
const uids = new WeakMap();
let nextUid = 1;
const uid = (o) => { if (!uids.has(o)) uids.set(o, nextUid++); return uids.get(o); };
const fid = (o, field) => `ed-${uid(o)}-${field}`;

/** A working copy's storage key: per user and per checklist version (or `new`). */
const wcKey = (id) => `sirr.editor.${me()?.id ?? 'anon'}.${id}`;
export function loadWorkingCopy(id) {
  try { return JSON.parse(localStorage.getItem(wcKey(id)) || 'null'); } catch { return null; }
}
/**
 * `from`: the published version a new version's copy was made from (kept with every save);
 * `base`: the document as the server had it when these edits began, so that restoring them over
 * a draft someone else has saved since replays only these edits (`mergeDocs`).
 */
export function saveWorkingCopy(id, doc, fresh = false, from = null, base = null) {
  localStorage.setItem(wcKey(id), JSON.stringify({ doc, at: new Date().toISOString(), fresh, ...(from ? { from } : {}), ...(base ? { base } : {}) }));
}

const isObj = (x) => x !== null && typeof x === 'object' && !Array.isArray(x);
const keyed = (x) => Array.isArray(x) && x.every((e) => isObj(e) && typeof e.key === 'string' && e.key);

/**
 * A three-way merge of checklist documents: the edits from `base` to `mine` replayed onto
 * `theirs` (what the server has now). Objects merge field by field, and lists of keyed things
 * (sections, items, options) by key, so that two people's edits to different parts both stay.
 * Where both changed the same value differently, `mine` wins and the path is listed in
 * `conflicts`, for the author to check (list elements named by key, `/sections/queue/items/wait`,
 * as their indexes differ between the sides).
 */
export function mergeDocs(base, mine, theirs) {
  const conflicts = [];
  const merge = (b, m, t, path) => {
    if (same(m, b)) return t;
    if (same(t, b) || same(m, t)) return m;
    if (isObj(m) && isObj(t)) {
      const bo = isObj(b) ? b : {};
      const out = {};
      for (const k of new Set([...Object.keys(t), ...Object.keys(m)])) {
        const v = merge(bo[k], m[k], t[k], `${path}/${k}`);
        if (v !== undefined) out[k] = v;
      }
      return out;
    }
    if (keyed(m) && keyed(t)) {
      const by = (xs) => new Map((keyed(xs) ? xs : []).map((e) => [e.key, e]));
      const [bm, mm, tm] = [by(b), by(m), by(t)];
      const out = [];
      // Their order, then what only this side added, each after the element it followed here.
      for (const e of t) {
        const v = merge(bm.get(e.key), mm.get(e.key), e, `${path}/${e.key}`);
        if (v !== undefined) out.push(v);
      }
      m.forEach((e, i) => {
        if (tm.has(e.key)) return; // merged above
        if (bm.has(e.key)) {
          // Removed by them: gone, unless it was changed here (then kept, and said).
          if (same(e, bm.get(e.key))) return;
          conflicts.push(`${path}/${e.key}`);
        }
        const after = i > 0 ? out.findIndex((x) => x.key === m[i - 1].key) : -1;
        out.splice(after + 1, 0, e);
      });
      return out;
    }
    conflicts.push(path);
    return m;
  };
  const doc = merge(base, mine, theirs, '');
  return { doc, conflicts };
}
const dropWorkingCopy = (id) => localStorage.removeItem(wcKey(id));

const blankItem = (key) => ({ key, type: 'yes_no', text: {} });
const blankDoc = () => ({ key: '', version: 1, languages: ['en', 'ar'], title: {}, sections: [{ key: 'section-1', title: {}, items: [blankItem('item-1')] }] });

/** Renames the buttons of `scope` by their `data-act` (their first match: the scope's own). */
function relabel(scope, labels) {
  for (const [act, label] of Object.entries(labels)) scope.querySelector(`[data-act="${act}"]`)?.setAttribute('aria-label', label);
}

/** Has an item or option any text in any language (its own, its help, its options')? */
const hasWords = (x) => [x.text, x.help, ...(x.options || []).map((o) => o.text)].some((names) => names && Object.values(names).some((v) => String(v || '').trim()));

/** The document as the server should store it: no empty optional parts. */
export function cleanDoc(doc) {
  const d = structuredClone(doc);
  const emptyText = (x) => !x || !Object.keys(x).length;
  if (emptyText(d.description)) delete d.description;
  for (const s of d.sections || []) {
    for (const i of s.items || []) {
      if (emptyText(i.help)) delete i.help;
      if (Array.isArray(i.tags) && !i.tags.length) delete i.tags;
      if (i.show_if !== undefined && !String(i.show_if).trim()) delete i.show_if;
      if (!i.owner) delete i.owner;
      for (const o of i.options || []) if (emptyText(o.text)) delete o.text;
    }
  }
  return d;
}

// ---- Validation (the crate's rules that a form can break; the server stays the authority) ----

const isNum = (x) => typeof x === 'number' && Number.isFinite(x);
const scoredKind = (i) => {
  switch (i.type) {
    case 'yes_no': case 'scale': return true;
    case 'choice': case 'multi_choice': return (i.options || []).some((o) => isNum(o.score));
    case 'number': case 'duration': return Array.isArray(i.bands);
    default: return false;
  }
};
const canScoreZero = (i) => {
  switch (i.type) {
    case 'yes_no': case 'scale': return true;
    case 'choice': case 'multi_choice': return (i.options || []).some((o) => o.score === 0);
    case 'number': case 'duration': return (i.bands || []).some((b) => b.score === 0);
    default: return false;
  }
};

/** Is a translation missing in `lang`? Needed texts always; optional ones once any language has text. */
export const missingIn = (text, language, needed) => !(text && text[language]) && (needed || (text && LANGS.some((l) => text[l])));

/** Key → {position, item} of the first item with each key, in document order. */
export function itemIndex(doc) {
  const index = new Map();
  let position = 0;
  for (const s of doc.sections || []) for (const item of s.items || []) { if (!index.has(item.key)) index.set(item.key, { position, item }); position += 1; }
  return index;
}

/** A show_if's problems: a syntax error (with its column) or the type checker's. */
export function conditionProblems(text, position, index) {
  let expr;
  try { expr = parse(text); } catch (e) {
    if (e instanceof ConditionError) return [{ column: e.column, why: e.why, message: e.message }];
    throw e;
  }
  return check(expr, position, (k) => index.get(k)).map((p) => ({ context: p.context, reason: withAnswerHint(p.reason, position, index), message: p.message }));
}

/**
 * An unknown key that is an answer of an earlier item was most likely meant as that answer
 * (`offered == proactive`): the reason names the item, so the words can say to quote it.
 */
function withAnswerHint(reason, position, index) {
  if (reason.code !== 'unknown_item') return reason;
  for (const [key, { position: at, item }] of index) {
    if (at >= position) continue;
    const answers = item.type === 'yes_no' ? ['yes', 'no'] : ['choice', 'multi_choice'].includes(item.type) ? (item.options || []).map((o) => o.key) : [];
    if (answers.includes(reason.key)) return { ...reason, answer_of: key };
  }
  return reason;
}

/**
 * Every problem of the document: `{path, field (element id), code, args, severity}`, in
 * document order, with the crate's paths. Missing translations are counted apart.
 */
export function validateDoc(doc) {
  const out = [];
  const add = (severity, path, obj, field, code, args = {}) => out.push({ severity, path, field: obj ? fid(obj, field) : null, code, args });
  const err = (...a) => add('error', ...a);
  const keyProblem = (path, obj, key) => {
    if (!key) err(path, obj, 'key', 'keyEmpty');
    else if (!KEY_RE.test(key)) err(path, obj, 'key', 'keyPattern', { key });
    else if (key.length > MAX_KEY) err(path, obj, 'key', 'keyLong', { max: MAX_KEY });
  };
  keyProblem('/key', doc, doc.key);
  if (!LANGS.some((l) => doc.title?.[l])) err('/title', doc, 'title-en', 'noTitle');
  const rule = doc.critical_rule;
  if (rule && typeof rule === 'object' && !(isNum(rule.cap) && rule.cap >= 0 && rule.cap < 1)) err('/critical_rule/cap', doc, 'cap', 'capRange');
  if (!(doc.sections || []).length) err('/sections', null, null, 'noSections');
  const sectionKeys = new Map();
  const itemKeys = new Map();
  let anyScored = false;
  (doc.sections || []).forEach((s, si) => {
    const sp = `/sections/${si}`;
    keyProblem(`${sp}/key`, s, s.key);
    if (s.key && sectionKeys.has(s.key)) err(`${sp}/key`, s, 'key', 'duplicateSection', { key: s.key, first: sectionKeys.get(s.key) });
    else sectionKeys.set(s.key, sp);
    if (s.weight !== undefined && !(isNum(s.weight) && s.weight > 0)) err(`${sp}/weight`, s, 'weight', 'weightPositive');
    if (!LANGS.some((l) => s.title?.[l])) err(`${sp}/title`, s, 'title-en', 'noTitle');
    if (!(s.items || []).length) err(`${sp}/items`, s, 'add-item', 'noItems');
    (s.items || []).forEach((i, ii) => {
      const p = `${sp}/items/${ii}`;
      keyProblem(`${p}/key`, i, i.key);
      if (i.key && itemKeys.has(i.key)) err(`${p}/key`, i, 'key', 'duplicateItem', { key: i.key, first: itemKeys.get(i.key) });
      else itemKeys.set(i.key, p);
      if (!LANGS.some((l) => i.text?.[l])) err(`${p}/text`, i, 'text-en', 'noText');
      if (i.weight !== undefined && !(isNum(i.weight) && i.weight > 0)) err(`${p}/weight`, i, 'weight', 'weightPositive');
      anyScored ||= scoredKind(i);
      if (i.type === 'scale') {
        if (!Number.isInteger(i.min)) err(`${p}/min`, i, 'min', 'wholeNumber');
        if (!Number.isInteger(i.max)) err(`${p}/max`, i, 'max', 'wholeNumber');
        else if (Number.isInteger(i.min) && i.min >= i.max) err(`${p}/max`, i, 'max', 'scaleBounds', { min: i.min, max: i.max });
      }
      if (i.type === 'choice' || i.type === 'multi_choice') {
        if (!(i.options || []).length) err(`${p}/options`, i, 'add-option', 'noOptions');
        const seen = new Map();
        (i.options || []).forEach((o, oi) => {
          if (!o.key) err(`${p}/options/${oi}/key`, o, 'key', 'keyEmpty');
          else if (seen.has(o.key)) err(`${p}/options/${oi}/key`, o, 'key', 'duplicateOption', { key: o.key, first: `${p}/options/${seen.get(o.key)}` });
          else seen.set(o.key, oi);
          if (o.score !== undefined && !(isNum(o.score) && o.score >= 0 && o.score <= 1)) err(`${p}/options/${oi}/score`, o, 'score', 'scoreRange');
        });
      }
      if (i.type === 'number' || i.type === 'duration') {
        if (isNum(i.min) && isNum(i.max) && i.min >= i.max) err(`${p}/max`, i, 'max', 'minBelowMax', { min: i.min, max: i.max });
        if (i.type === 'duration' && isNum(i.min) && i.min < 0) err(`${p}/min`, i, 'min', 'negativeDuration');
        if (Array.isArray(i.bands)) {
          if (!i.bands.length) err(`${p}/bands`, i, 'add-band', 'noBands');
          let prev = null;
          i.bands.forEach((b, bi) => {
            const bp = `${p}/bands/${bi}`;
            if (!(isNum(b.score) && b.score >= 0 && b.score <= 1)) err(`${bp}/score`, b, 'score', 'scoreRange');
            if (b.max === undefined) { if (bi + 1 !== i.bands.length) err(bp, b, 'max', 'bandWithoutMax'); return; }
            if (!isNum(b.max)) { err(`${bp}/max`, b, 'max', 'notNumber'); return; }
            if (prev !== null && b.max <= prev) err(`${bp}/max`, b, 'max', 'bandsAscending', { max: b.max, previous: prev });
            prev = b.max;
          });
          const last = i.bands[i.bands.length - 1];
          if (isNum(i.max) && last && isNum(last.max) && last.max < i.max) err(`${p}/bands`, i, 'add-band', 'bandGap', { last: last.max, max: i.max });
        }
      }
      if (i.type === 'note') {
        for (const flag of ['required', 'na_allowed']) if (i[flag]) err(`${p}/${flag}`, i, flag, 'noteFlag', { flag });
      }
      if (i.critical) {
        if (!scoredKind(i)) err(`${p}/critical`, i, 'critical', 'criticalNeverScored');
        else if (!canScoreZero(i)) err(`${p}/critical`, i, 'critical', 'criticalCannotFail');
      }
      if (i.evidence) {
        if (i.type === 'photo' || i.type === 'note') err(`${p}/evidence`, i, 'evidence', 'evidenceNotForType');
        else if (i.evidence.photo === 'on_fail' && !canScoreZero(i)) err(`${p}/evidence/photo`, i, 'evidence', 'onFailCannotFail');
      }
      if (i.owner !== undefined && i.owner.trim() !== i.owner) err(`${p}/owner`, i, 'owner', 'ownerSpaces');
    });
  });
  // Conditions once every item is known (a later item is "later", not "unknown").
  const index = itemIndex(doc);
  let position = 0;
  (doc.sections || []).forEach((s, si) => (s.items || []).forEach((i, ii) => {
    if (i.show_if) {
      for (const c of conditionProblems(i.show_if, position, index)) err(`/sections/${si}/items/${ii}/show_if`, i, 'show_if', 'condition', c);
    }
    position += 1;
  }));
  if (!anyScored) add('warning', '/sections', null, null, 'nothingScored');
  return out;
}

// ---- The words of a problem and of a condition problem, in the reader's language ----

const typeWord = (ty) => t(`edValue_${ty}`);
/** Code in a right-to-left sentence, isolated left to right (else '>' shows as '<'). */
const ltr = (code) => (lang() === 'ar' ? `\u2066${code}\u2069` : String(code));
const tokenWords = (tok) => {
  if (!tok) return '';
  switch (tok.t) {
    case 'str': return t('condTokString', ltr(`'${tok.v}'`));
    case 'num': return t('condTokNumber', ltr(tok.v));
    case 'word': return ltr(`'${tok.v}'`);
    case 'cmp': return ltr(`'${tok.op}'`);
    case 'end': return t('condTokEnd');
    default: return ltr(`'${tok.t}'`);
  }
};

/** A condition problem in the reader's language: the column for syntax, the part for types. */
export function conditionWords(c) {
  if (c.why) {
    const w = c.why;
    const body = w.code === 'expected' ? t('cond_expected', t(`condWant_${w.want.w}`, w.want.after), tokenWords(w.found))
      : w.code === 'trailing' ? t('cond_trailing', tokenWords(w.found)) : t(`cond_${w.code}`, w.word ?? w.found);
    return t('condAtColumn', c.column, body);
  }
  const r = c.reason;
  let body = t(`cond_${r.code}`, { ...r, holds: typeWord(r.holds), is: typeWord(r.is), left_holds: typeWord(r.left_holds), right_holds: typeWord(r.right_holds), ty: typeWord(r.ty) });
  if (r.answer_of) body += t('condQuoteAnswer', r.key, r.answer_of);
  return c.context ? t('condIn', c.context, body) : body;
}

const problemWords = (p) => (p.code === 'condition' ? conditionWords(p.args) : t(`edv_${p.code}`, p.args));

/** Where a path points, in words: "Section 2 (welcome) › item 4 (greeted_30s) › condition (show_if)". */
export function whereWords(doc, path) {
  const parts = [];
  const m = /^\/sections\/(\d+)(?:\/items\/(\d+))?(?:\/options\/(\d+))?(?:\/bands\/(\d+))?\/?(.*)$/.exec(path);
  if (!m) return t(`edField_${path.split('/')[1]}`) || path;
  const s = doc.sections?.[+m[1]];
  parts.push(t('edWhereSection', +m[1] + 1, s?.key || '—'));
  if (m[2] !== undefined) parts.push(t('edWhereItem', +m[2] + 1, s?.items?.[+m[2]]?.key || '—'));
  if (m[3] !== undefined) parts.push(t('edWhereOption', +m[3] + 1));
  if (m[4] !== undefined) parts.push(t('edWhereBand', +m[4] + 1));
  if (m[5]) parts.push(t(`edField_${m[5].split('/')[0]}`));
  return parts.join(' › ');
}

/** The element id of the field a server path points at (or of the nearest card). */
export function fieldOfPath(doc, path) {
  const segs = path.split('/').slice(1);
  let obj = doc;
  let i = 0;
  while (i < segs.length) {
    const next = obj?.[segs[i]];
    if (next && typeof next === 'object' && !isTextObject(segs[i])) { obj = next; i += 1; } else break;
  }
  if (Array.isArray(obj)) return null;
  const rest = segs.slice(i);
  if (!rest.length) return `ed-${uid(obj)}`;
  if (['title', 'text', 'help'].includes(rest[0])) return fid(obj, `${rest[0]}-${LANGS.includes(rest[1]) ? rest[1] : 'en'}`);
  if (rest[0] === 'critical_rule') return fid(obj, 'cap');
  if (rest[0] === 'options') return fid(obj, 'add-option');
  if (rest[0] === 'bands') return fid(obj, 'add-band');
  return fid(obj, rest[0]);
}
const isTextObject = (seg) => ['title', 'text', 'help', 'description', 'critical_rule', 'evidence'].includes(seg);

// ---- The changes against the published version ----

const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const shown = (v) => (v === undefined || v === null || v === '' ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/**
 * What changed from `before` (the published document) to `after`: a list of
 * `{code, args}` said with t(`diff_${code}`).
 */
export function diffDocs(before, after) {
  const out = [];
  const add = (code, args = {}) => out.push({ code, args });
  if (!same(before.title, after.title)) for (const l of LANGS) if ((before.title || {})[l] !== (after.title || {})[l]) add('checklistTitle', { lang: l });
  if (!same(before.critical_rule ?? 'zero', after.critical_rule ?? 'zero')) add('criticalRule', { from: shown(before.critical_rule ?? 'zero'), to: shown(after.critical_rule ?? 'zero') });
  const bs = before.sections || [];
  const as = after.sections || [];
  const bSec = new Map(bs.map((s, i) => [s.key, { s, i }]));
  const aSec = new Map(as.map((s, i) => [s.key, { s, i }]));
  for (const s of as) if (!bSec.has(s.key)) add('sectionAdded', { key: s.key });
  for (const s of bs) if (!aSec.has(s.key)) add('sectionRemoved', { key: s.key });
  const commonB = bs.filter((s) => aSec.has(s.key)).map((s) => s.key);
  const commonA = as.filter((s) => bSec.has(s.key)).map((s) => s.key);
  commonA.forEach((k, i) => { if (commonB[i] !== k) add('sectionMoved', { key: k, from: commonB.indexOf(k) + 1, to: i + 1 }); });
  for (const s of as) {
    const b = bSec.get(s.key)?.s;
    if (!b) continue;
    for (const l of LANGS) if ((b.title || {})[l] !== (s.title || {})[l]) add('sectionTitle', { key: s.key, lang: l });
    if ((b.weight ?? 1) !== (s.weight ?? 1)) add('sectionWeight', { key: s.key, from: b.weight ?? 1, to: s.weight ?? 1 });
  }
  const where = (doc) => {
    const m = new Map();
    for (const s of doc.sections || []) (s.items || []).forEach((item, i) => m.set(item.key, { item, section: s.key, i }));
    return m;
  };
  const bi = where(before);
  const ai = where(after);
  for (const [k, a] of ai) if (!bi.has(k)) add('itemAdded', { key: k, section: a.section });
  for (const [k, b] of bi) if (!ai.has(k)) add('itemRemoved', { key: k, section: b.section });
  // Moves: to another section, or a new place among the items both versions have.
  const orderIn = (m, other) => {
    const bySection = new Map();
    for (const [k, v] of m) if (other.has(k)) { if (!bySection.has(v.section)) bySection.set(v.section, []); bySection.get(v.section).push(k); }
    return bySection;
  };
  const bOrder = orderIn(bi, ai);
  const aOrder = orderIn(ai, bi);
  for (const [k, a] of ai) {
    const b = bi.get(k);
    if (!b) continue;
    if (b.section !== a.section) add('itemMovedSection', { key: k, from: b.section, to: a.section });
    else if ((aOrder.get(a.section) || []).indexOf(k) !== (bOrder.get(b.section) || []).indexOf(k)) add('itemMoved', { key: k, from: (bOrder.get(b.section) || []).indexOf(k) + 1, to: (aOrder.get(a.section) || []).indexOf(k) + 1 });
    itemChanges(b.item, a.item, add);
  }
  return out;
}

function itemChanges(b, a, add) {
  const key = a.key;
  if (b.type !== a.type) add('type', { key, from: b.type, to: a.type });
  for (const f of ['text', 'help']) for (const l of LANGS) if ((b[f] || {})[l] !== (a[f] || {})[l]) add(`${f}Changed`, { key, lang: l });
  const defaults = { weight: 1, critical: false, na_allowed: false, required: false };
  for (const f of ['weight', 'min', 'max', 'critical', 'na_allowed', 'required', 'show_if', 'owner']) {
    const x = b[f] ?? defaults[f];
    const y = a[f] ?? defaults[f];
    if (!same(x, y)) add('field', { key, field: f, from: shown(x), to: shown(y) });
  }
  if (!same(b.evidence?.photo, a.evidence?.photo)) add('field', { key, field: 'evidence', from: shown(b.evidence?.photo), to: shown(a.evidence?.photo) });
  if (!same(b.tags || [], a.tags || [])) add('field', { key, field: 'tags', from: shown((b.tags || []).join(', ')), to: shown((a.tags || []).join(', ')) });
  const bo = new Map((b.options || []).map((o) => [o.key, o]));
  const ao = new Map((a.options || []).map((o) => [o.key, o]));
  for (const [k, o] of ao) {
    const old = bo.get(k);
    if (!old) { add('optionAdded', { key, option: k }); continue; }
    if (!same(old.score, o.score)) add('optionScore', { key, option: k, from: shown(old.score), to: shown(o.score) });
    for (const l of LANGS) if ((old.text || {})[l] !== (o.text || {})[l]) add('optionText', { key, option: k, lang: l });
  }
  for (const k of bo.keys()) if (!ao.has(k)) add('optionRemoved', { key, option: k });
  if (!same(b.bands, a.bands)) add('bands', { key, from: shown((b.bands || []).map((x) => `${x.max ?? '∞'}→${x.score}`).join(' ')), to: shown((a.bands || []).map((x) => `${x.max ?? '∞'}→${x.score}`).join(' ')) });
}

// ---- The editor ----

/** `#/qa/editor/<id>`: `new`, or `<key>@<version>` of a draft (or of a new version being made). */
export async function editorView(id) {
  const list = await get('/api/v1/checklists');
  let doc = null;
  let existing = null;
  let key = null;
  let version = null;
  let revision = null;
  if (id && id !== 'new') {
    const m = /^([a-z0-9][a-z0-9_-]*)@(\d+)$/.exec(decodeURIComponent(id));
    if (!m) return [message(t('edNotFound'), 'error')];
    [key, version] = [m[1], Number(m[2])];
    existing = list.find((c) => c.key === key)?.versions.find((v) => v.version === version) || null;
    if (existing && existing.status !== 'draft') {
      const published = (await get(`/api/v1/checklists/${encodeURIComponent(key)}/versions/${version}`)).document;
      return [message(t('edPublishedReadOnly'), 'error'), publishedActions(published, list.find((c) => c.key === key).versions)];
    }
    if (existing) ({ document: doc, revision } = await get(`/api/v1/checklists/${encodeURIComponent(key)}/versions/${version}`));
  }
  const wcId = id && id !== 'new' ? `${key}@${version}` : 'new';
  const wc = loadWorkingCopy(wcId);
  let offer = null;
  if (!doc) {
    if (wc?.fresh) doc = wc.doc; // a new version made from a published one, not saved yet
    else if (id && id !== 'new' && !wc) return [message(t('edNotFound'), 'error')];
    else { doc = blankDoc(); if (wc) offer = wc; }
  } else if (wc && !same(cleanDoc(wc.doc), cleanDoc(doc))) offer = wc;
  // A new checklist's one card is open; a loaded checklist's cards are closed until opened.
  const open = doc.sections.length === 1 && doc.sections[0].items.length === 1 && !doc.key ? [doc.sections[0].items[0]] : [];
  // A new version's copy is on this device only: unsaved from the start, and after every reload.
  const fresh = !existing && !!wc?.fresh;
  // A stored draft as it is on the server was accepted by it: it may be published at once.
  const base = existing ? structuredClone(doc) : fresh ? wc.base ?? null : null;
  const editor = new Editor(doc, { list, existing: !!existing, wcId, open, from: fresh ? wc.from ?? null : null, unsaved: fresh, revision, accepted: !!existing, base });
  return [editor.root(offer)];
}

class Editor {
  constructor(doc, { list, existing, wcId, open = [], from = null, unsaved = false, revision = null, accepted = false, base = null }) {
    this.doc = doc;
    /** The items whose cards are open (their fields built). */
    this.openItems = new Set(open);
    this.serverProblems = []; // {field, problem} of the last refused save, marked when a card opens
    this.problemCards = new Set(); // cards marked as having a problem
    this.list = list;
    this.exists = existing;
    this.wcId = wcId;
    this.from = from;
    this.unsaved = unsaved;
    this.validOnServer = accepted;
    /** The stored revision this page's draft was read or saved as (sent as If-Match). */
    this.revision = revision;
    /** The document as the server had it at that revision: what these edits are edits of. */
    this.baseDoc = base;
    this.timers = new Map();
    this.indexCache = null;
    this.pairs = new Map(); // text pair id → {n missing, card}
    this.cardMissing = new Map(); // card element → number missing in it
    this.missingTotal = 0;
    this.marked = new Set();
    this.serverMarks = [];
    this.problems = [];
    this.previewSection = 0;
    /** Durations (ms) of the work done after a pause in typing, per kind, for the benchmark. */
    this.passTimes = [];
    window.sirrEditor = this;
  }

  index() { return (this.indexCache ??= itemIndex(this.doc)); }

  // -- Scheduling: one short task per kind of work, after a pause --
  later(kind, fn, ms = PAUSE_MS) {
    clearTimeout(this.timers.get(kind));
    this.timers.set(kind, setTimeout(() => {
      const t0 = performance.now();
      fn();
      this.passTimes.push({ kind, ms: performance.now() - t0 });
      if (this.passTimes.length > 200) this.passTimes.shift();
    }, ms));
  }

  /** Something in the model changed (`structure`: keys, types, order — the item index too). */
  changed(structure = false) {
    if (this.published) return;
    if (structure) this.indexCache = null;
    if (this.validOnServer) { this.validOnServer = false; this.updatePublish(); }
    if (this.dirtyEl.hidden) this.dirtyEl.hidden = false;
    // "Saved" is no longer true once something changes (once: no DOM write on later keys).
    if (this.status.firstElementChild?.classList.contains('ok')) this.status.replaceChildren();
    this.later('validate', () => this.validate());
    this.later('workingCopy', () => saveWorkingCopy(this.wcId, this.doc, !this.exists, this.from, this.baseDoc), PAUSE_MS + 50);
    this.later('diff', () => this.renderDiff(), PAUSE_MS + 100);
    this.later('preview', () => this.renderPreview(), PAUSE_MS + 400);
  }

  root(offer) {
    const d = this.doc;
    this.status = h('div', { id: 'ed-status', 'aria-live': 'polite' });
    this.dirtyEl = h('span', { class: 'pill draft', id: 'ed-unsaved', hidden: !this.unsaved }, t('edUnsaved'));
    this.countEl = h('span', { id: 'ed-missing-count', class: 'pill', role: 'status' });
    this.publishBtn = h('button', { type: 'button', class: 'btn', id: 'ed-publish', disabled: !this.validOnServer, title: this.validOnServer ? '' : t('edSaveFirst'), onclick: () => this.publish() }, t('publish'));
    this.xlsBtn = h('button', { type: 'button', class: 'btn secondary', id: 'ed-xlsform', hidden: !this.exists, onclick: () => downloadXlsform(d.key, d.version, this.status) }, t('downloadXlsform'));
    this.filter = h('input', { type: 'checkbox', id: 'ed-only-missing', onchange: () => this.el.classList.toggle('only-missing', this.filter.checked) });
    const toolbar = h('div', { class: 'toolbar ed-toolbar' },
      h('button', { type: 'button', class: 'btn', id: 'ed-save', onclick: () => this.save() }, t('edSave')),
      this.publishBtn, this.xlsBtn,
      h('button', { type: 'button', class: 'btn secondary', id: 'ed-download-json', onclick: () => saveBlob(new Blob([JSON.stringify(cleanDoc(this.doc), null, 2)], { type: 'application/json' }), `${this.doc.key || 'checklist'}-v${this.doc.version}.json`) }, t('downloadJson')),
      this.dirtyEl);
    const translations = h('div', { class: 'ed-translations' }, this.countEl,
      h('button', { type: 'button', class: 'small', id: 'ed-next-missing', onclick: () => this.nextMissing() }, t('edNextMissing')),
      h('span', { class: 'check' }, this.filter, h('label', { for: 'ed-only-missing' }, t('edOnlyMissing'))));
    this.problemsEl = h('ul', { class: 'problems', id: 'ed-problems' });
    this.problemsHead = h('h2', { id: 'ed-problems-head' }, t('problems'));
    this.serverEl = h('div', { id: 'ed-server-problems' });
    this.diffEl = h('section', { class: 'panel', id: 'ed-diff', hidden: true });
    this.sectionsEl = h('div', { class: 'ed-sections' });
    this.previewSelect = h('select', { id: 'ed-preview-section', onchange: () => { this.previewSection = Number(this.previewSelect.value); this.renderPreview(); } });
    this.previewsEl = h('div', { class: 'previews' });
    const head = this.headPanel();
    const bar = h('section', { class: 'panel ed-bar' }, toolbar, translations, this.status);
    // The sticky toolbar's height, measured: a field or card scrolled to stays clear of it.
    if (typeof ResizeObserver !== 'undefined') {
      // The page's scroll padding too, so that a field reached with Tab or Shift+Tab is not under it;
      // taken off again once the editor leaves the page.
      new ResizeObserver(([e]) => {
        const root = document.documentElement.style;
        if (!e.target.isConnected) { root.removeProperty('scroll-padding-top'); return; }
        root.setProperty('--ed-bar-h', `${Math.ceil(e.target.getBoundingClientRect().height)}px`);
        root.setProperty('scroll-padding-top', 'calc(var(--bar-h, 3.5rem) + var(--ed-bar-h, 11rem) + 1rem)');
      }).observe(bar);
    }
    for (const s of d.sections) this.sectionsEl.append(this.sectionEl(s));
    this.el = h('div', { class: 'editor', id: 'editor' },
      h('div', { class: 'ed-form' },
        offer ? this.offerPanel(offer) : null,
        bar,
        this.serverEl,
        head,
        this.sectionsEl,
        h('p', {}, h('button', { type: 'button', class: 'btn secondary', id: 'ed-add-section', onclick: () => this.addSection() }, t('edAddSection'))),
        h('section', { class: 'panel', id: 'ed-problems-panel', 'aria-labelledby': 'ed-problems-head' }, this.problemsHead, this.problemsEl),
        this.diffEl),
      h('aside', { class: 'ed-preview', 'aria-labelledby': 'ed-preview-head' },
        h('h2', { id: 'ed-preview-head' }, t('preview')),
        h('label', { for: 'ed-preview-section' }, t('edPreviewSection')), this.previewSelect, this.previewsEl));
    this.el.addEventListener('focusin', (e) => {
      const sec = e.target.closest('.ed-section');
      if (!sec) return;
      const si = [...this.sectionsEl.children].indexOf(sec);
      if (si >= 0 && si !== this.previewSection) { this.previewSection = si; this.later('preview', () => this.renderPreview(), 150); }
    });
    this.updateCount();
    this.validate();
    this.renderPreview();
    this.publishedDoc = null;
    this.loadPublished();
    return this.el;
  }

  offerPanel(offer) {
    const panel = h('section', { class: 'panel ed-offer', id: 'ed-restore-offer', role: 'region', 'aria-label': t('edRestoreTitle') },
      h('p', {}, t('edRestoreAsk', offer.at ? dateTime(offer.at) : '—')),
      h('div', { class: 'toolbar' },
        h('button', { type: 'button', class: 'btn', id: 'ed-restore', onclick: () => this.restore(offer) }, t('edRestore')),
        h('button', { type: 'button', class: 'btn secondary', id: 'ed-discard', onclick: () => { dropWorkingCopy(this.wcId); panel.remove(); } }, t('edDiscard'))));
    return panel;
  }

  /**
   * The edits kept on this device, back in the form. When the draft on the server is no longer
   * the one they were made on (someone else saved it meanwhile), only these edits are replayed
   * on it, so the other person's changes stay; places both changed keep these, and are named.
   */
  restore(offer) {
    const theirs = this.baseDoc;
    if (!offer.base || !theirs || same(cleanDoc(offer.base), cleanDoc(theirs))) { this.replaceDoc(offer.doc, true); return; }
    const { doc, conflicts } = mergeDocs(cleanDoc(offer.base), cleanDoc(offer.doc), cleanDoc(theirs));
    const fresh = this.replaceDoc(doc, true);
    fresh.status.replaceChildren(message(conflicts.length ? t('edMergedConflicts', conflicts.length, conflicts.join(', ')) : t('edMerged'), conflicts.length ? 'error' : 'ok'));
  }

  /** Starts over with another document (a restored working copy). */
  replaceDoc(doc, dirty) {
    const openKeys = new Set([...this.openItems].map((i) => i.key));
    const open = doc.sections.flatMap((s) => s.items.filter((i) => openKeys.has(i.key)));
    const fresh = new Editor(doc, { list: this.list, existing: this.exists, wcId: this.wcId, open, from: this.from, revision: this.revision, base: this.baseDoc });
    const el = fresh.root(null);
    this.el.replaceWith(el);
    if (dirty) fresh.changed(true);
    el.querySelector('input, textarea')?.focus();
    return fresh;
  }

  // -- Fields --
  input(obj, field, label, { type = 'text', max = MAX_TEXT, get, set, structure = false, attrs = {} } = {}) {
    const id = fid(obj, field);
    const value = get ? get() : obj[field];
    const el = h(type === 'textarea' ? 'textarea' : 'input', { id, ...(type === 'textarea' ? { rows: 2 } : { type }), maxlength: type === 'number' ? null : max, ...attrs });
    el.value = value ?? '';
    el.addEventListener('input', () => {
      if (set) set(el.value); else if (el.value === '') delete obj[field]; else obj[field] = el.value;
      this.fieldChanged(el);
      this.changed(structure);
    });
    return h('div', { class: 'ed-field' }, h('label', { for: id }, label), el);
  }

  numberInput(obj, field, label, { integer = false, structure = false, attrs = {} } = {}) {
    return this.input(obj, field, label, {
      type: 'number', structure, attrs: { step: integer ? 1 : 'any', inputmode: 'decimal', ...attrs },
      set: (v) => { const n = v === '' ? NaN : Number(v); if (Number.isFinite(n)) obj[field] = n; else delete obj[field]; },
    });
  }

  checkbox(obj, field, label, structure = false) {
    const id = fid(obj, field);
    const el = h('input', { type: 'checkbox', id, checked: !!obj[field] });
    el.addEventListener('change', () => { if (el.checked) obj[field] = true; else delete obj[field]; this.changed(structure); });
    return h('span', { class: 'check' }, el, h('label', { for: id }, label));
  }

  /** English and Arabic side by side, each marked when its translation is missing. */
  textPair(obj, prop, labelKey, needed, card, multiline = false) {
    const pairId = `${uid(obj)}-${prop}`;
    const fields = LANGS.map((l) => {
      const id = fid(obj, `${prop}-${l}`);
      const badge = h('span', { class: 'missing-tr', hidden: true }, t('edMissing'));
      const el = h(multiline ? 'textarea' : 'input', { id, lang: l, dir: l === 'ar' ? 'rtl' : 'ltr', maxlength: MAX_TEXT, ...(multiline ? { rows: 2 } : { type: 'text' }), 'data-lang': l });
      el.value = obj[prop]?.[l] ?? '';
      el.addEventListener('input', () => {
        const text = (obj[prop] ||= {});
        if (el.value === '') delete text[l]; else text[l] = el.value;
        this.updateMissing(pairId, obj, prop, needed, card, fields);
        // The card's line follows once typing pauses: rewritten on every key it cost each keystroke a
        // style recalculation and a second layout (issue 19's keystroke budget).
        if (prop === 'text' && card?.sirrItem === obj) this.later(`summary-${pairId}`, () => this.updateSummary(card), SHORT_PAUSE_MS);
        this.fieldChanged(el);
        this.changed(false);
      });
      return { l, el, badge, wrap: h('div', { class: 'ed-field', lang: l === 'ar' ? 'ar' : null }, h('label', { for: id }, `${t(labelKey)} (${t(l === 'ar' ? 'langArabic' : 'langEnglish')})`, ' ', badge), el) };
    });
    this.updateMissing(pairId, obj, prop, needed, card, fields, true);
    return h('div', { class: 'ed-pair' }, fields.map((f) => f.wrap));
  }

  updateMissing(pairId, obj, prop, needed, card, fields, initial = false) {
    let n = 0;
    for (const f of fields) {
      const miss = missingIn(obj[prop], f.l, needed);
      if (miss) n += 1;
      if (f.badge.hidden !== !miss) f.badge.hidden = !miss; // rewriting it unchanged still restyles
      f.el.classList.toggle('missing', miss);
    }
    this.setPair(pairId, n, card);
    if (!initial) this.updateCount();
  }

  /** A text pair's number of missing translations (0–2), kept in its card's and the total count. */
  setPair(pairId, n, card) {
    const before = this.pairs.get(pairId)?.n || 0;
    this.pairs.set(pairId, { n, card });
    this.addToCard(card, n - before);
    this.missingTotal += n - before;
  }

  /** An item's text pairs (text, option texts, help) counted from the model, fields built or not. */
  countItemMissing(item, card) {
    const count = (obj, prop, needed) => this.setPair(`${uid(obj)}-${prop}`, LANGS.filter((l) => missingIn(obj[prop], l, needed)).length, card);
    count(item, 'text', true);
    for (const o of item.options || []) count(o, 'text', false);
    count(item, 'help', false);
  }

  addToCard(card, by) {
    if (!card || !by) return;
    const c = (this.cardMissing.get(card) || 0) + by;
    this.cardMissing.set(card, c);
    card.classList.toggle('has-missing', c > 0);
  }

  updateCount() {
    const n = String(this.missingTotal || 0);
    if (this.countEl.dataset.count === n) return; // no DOM change, no layout, on most keystrokes
    this.countEl.textContent = t('edMissingCount', this.missingTotal || 0);
    this.countEl.dataset.count = n;
    this.countEl.className = `pill ${this.missingTotal ? 'returned' : 'done'}`;
  }

  /** The fields with a missing translation, in the form's order, from the model: `{id, item}`. */
  missingFields() {
    const out = [];
    const add = (obj, prop, needed, item) => { for (const l of LANGS) if (missingIn(obj[prop], l, needed)) out.push({ id: fid(obj, `${prop}-${l}`), item }); };
    add(this.doc, 'title', true, null);
    for (const s of this.doc.sections) {
      add(s, 'title', true, null);
      for (const i of s.items) {
        add(i, 'text', true, i);
        for (const o of i.options || []) add(o, 'text', false, i);
        add(i, 'help', false, i);
      }
    }
    return out;
  }

  nextMissing() {
    const all = this.missingFields();
    if (!all.length) { this.status.replaceChildren(message(t('edNoneMissing'), 'ok')); return; }
    // From the field reached last (the button itself has the focus when it is clicked).
    const active = document.activeElement;
    const hereId = active?.id === 'ed-next-missing' && this.lastMissing ? this.lastMissing : active?.id;
    let at = all.findIndex((f) => f.id === hereId) + 1;
    if (at === 0) {
      // Not on a missing field: the first one after the focus, closed cards by their place.
      const here = document.getElementById(hereId) || active;
      at = all.findIndex((f) => {
        const anchor = document.getElementById(f.id) || (f.item && document.getElementById(`ed-${uid(f.item)}`));
        return here && anchor && (here.compareDocumentPosition(anchor) & Node.DOCUMENT_POSITION_FOLLOWING) && !anchor.contains(here);
      });
    }
    const next = all[at >= 0 && at < all.length ? at : 0];
    const el = this.reveal(next.id);
    if (!el) return;
    el.closest('details')?.setAttribute('open', '');
    el.scrollIntoView({ block: 'center' });
    el.focus();
    this.lastMissing = next.id;
  }

  /** The element with this id, its item's card opened first when the field is in a closed card. */
  reveal(id) {
    if (!id) return null;
    const el = document.getElementById(id);
    if (el) return el;
    const u = Number((/^ed-(\d+)/.exec(id) || [])[1]);
    if (!u) return null;
    for (const s of this.doc.sections) {
      for (const i of s.items) {
        if (uids.get(i) === u || (i.options || []).some((o) => uids.get(o) === u) || (i.bands || []).some((b) => uids.get(b) === u)) {
          const li = document.getElementById(`ed-${uid(i)}`);
          if (li) this.openCard(li);
          return document.getElementById(id);
        }
      }
    }
    return null;
  }

  /** The field's own marks, at once: key pattern, condition problems. */
  fieldChanged(el) {
    // A condition is checked once typing pauses briefly: its message would otherwise change, and
    // move the form under it, with every key (and cost each keystroke a layout).
    if (el.id.endsWith('-show_if')) {
      // Until then its message, if any, is greyed: it is about what was typed before.
      // A screen reader is told as much: the field is no longer described by it, nor invalid.
      if (el.sirrMsg && !el.sirrMsg.classList.contains('stale')) {
        el.sirrMsg.classList.add('stale');
        el.removeAttribute('aria-invalid');
        el.removeAttribute('aria-describedby');
      }
      this.later(`check-${el.id}`, () => { if (el.isConnected) { el.sirrMsg?.classList.remove('stale'); this.mark(el, this.localProblem(el)); } }, SHORT_PAUSE_MS);
      return;
    }
    this.mark(el, this.localProblem(el));
  }

  localProblem(el) {
    const [, u, field] = /^ed-(\d+)-(.+)$/.exec(el.id) || [];
    if (!u) return null;
    if (field === 'key') {
      if (!el.value) return t('edv_keyEmpty');
      // Option keys are answers, not identifiers: any text will do.
      if (!el.closest('.ed-opt') && !KEY_RE.test(el.value)) return t('edv_keyPattern', { key: el.value });
      return null;
    }
    if (field === 'show_if') {
      if (!el.value.trim()) return null;
      const item = this.itemOf(el);
      const pos = this.index().get(item?.key);
      const position = pos && pos.item === item ? pos.position : this.positionOf(item);
      const probs = conditionProblems(el.value, position, this.index());
      return probs.length ? probs.map(conditionWords).join(' · ') : null;
    }
    return null;
  }

  itemOf(el) { return el.closest('.ed-item')?.sirrItem || null; }

  positionOf(item) {
    let p = 0;
    for (const s of this.doc.sections) for (const i of s.items) { if (i === item) return p; p += 1; }
    return p;
  }

  /** Shows `text` under a field (or clears it). */
  mark(el, text, kind = 'error') {
    if (!el) return;
    let msg = el.sirrMsg;
    if (!text) {
      if (msg) { msg.remove(); el.sirrMsg = null; el.removeAttribute('aria-invalid'); el.removeAttribute('aria-describedby'); }
      this.marked.delete(el);
      return;
    }
    if (!msg) {
      msg = h('p', { class: `ed-msg ${kind}`, id: `${el.id}-msg` });
      el.sirrMsg = msg;
      // Under its own field: inside it when it shares a grid row with its translation (after it, the
      // message would take the next cell, under whatever field is above); after it otherwise.
      const host = el.closest('.ed-field, .check, .ed-opt-row') || el;
      if (host.matches('.ed-pair > .ed-field')) host.append(msg); else host.after(msg);
    }
    if (el.getAttribute('aria-describedby') !== msg.id) el.setAttribute('aria-describedby', msg.id);
    if (kind === 'error') el.setAttribute('aria-invalid', 'true');
    if (msg.textContent !== text) msg.textContent = text;
    this.marked.add(el);
  }

  // -- The checklist's own fields --
  headPanel() {
    const d = this.doc;
    const keyField = this.input(d, 'key', t('edChecklistKey'), { max: MAX_KEY, structure: true, attrs: { pattern: '[a-z0-9][a-z0-9_\\-]*', autocapitalize: 'none', spellcheck: 'false', dir: 'ltr', readonly: this.exists || null } });
    const ruleSel = h('select', { id: fid(d, 'critical_rule') }, ['zero', 'cap'].map((r) => h('option', { value: r }, t(`edRule_${r}`))));
    ruleSel.value = d.critical_rule && typeof d.critical_rule === 'object' ? 'cap' : 'zero';
    const capField = this.input(d, 'cap', t('edCap'), {
      type: 'number', attrs: { step: 'any', min: 0, max: 1 },
      get: () => (typeof d.critical_rule === 'object' ? d.critical_rule.cap : ''),
      set: (v) => { d.critical_rule = { cap: v === '' ? NaN : Number(v) }; },
    });
    capField.hidden = ruleSel.value !== 'cap';
    ruleSel.addEventListener('change', () => {
      if (ruleSel.value === 'cap') { d.critical_rule = { cap: 0.5 }; capField.querySelector('input').value = '0.5'; } else delete d.critical_rule;
      capField.hidden = ruleSel.value !== 'cap';
      this.changed();
    });
    return h('section', { class: 'panel ed-head', id: `ed-${uid(d)}` },
      h('h2', {}, t('edChecklist'), ' ', h('span', { class: 'pill' }, t('versionShort', d.version))),
      h('div', { class: 'ed-row' }, keyField,
        h('div', { class: 'ed-field' }, h('label', { for: fid(d, 'critical_rule') }, t('edCriticalRule')), ruleSel), capField),
      this.textPair(d, 'title', 'edTitle', true, null));
  }

  // -- Sections --
  sectionEl(s) {
    const el = h('section', { class: 'panel ed-section', id: `ed-${uid(s)}`, 'aria-label': t('edSectionLabel', s.key || '—') });
    // Its height before it is first drawn (the style skips sections out of view): one line per item.
    el.style.setProperty('--items', String(s.items.length));
    el.sirrSection = s;
    const itemsEl = h('ol', { class: 'ed-items' });
    el.sirrItems = itemsEl;
    const addType = h('select', { id: fid(s, 'add-type') }, TYPES.map((ty) => h('option', { value: ty }, t(`type_${ty}`))));
    el.append(
      h('div', { class: 'ed-sec-head' },
        h('h2', { class: 'ed-sec-title' }, t('edSection'), ' ', h('bdi', { dir: 'ltr', class: 'ed-key-echo' }, s.key)),
        h('div', { class: 'ed-moves' },
          h('button', { type: 'button', class: 'small', 'data-act': 'sec-up', 'aria-label': t('edMoveSectionUp', s.key), onclick: () => this.moveSection(s, -1) }, '↑ ', t('edUp')),
          h('button', { type: 'button', class: 'small', 'data-act': 'sec-down', 'aria-label': t('edMoveSectionDown', s.key), onclick: () => this.moveSection(s, 1) }, '↓ ', t('edDown')),
          h('button', { type: 'button', class: 'small danger', 'data-act': 'sec-remove', 'aria-label': t('edRemoveSection', s.key), onclick: () => this.removeSection(s) }, t('edRemove')))),
      h('div', { class: 'ed-row' },
        this.input(s, 'key', t('edSectionKey'), { max: MAX_KEY, structure: true, attrs: { pattern: '[a-z0-9][a-z0-9_\\-]*', autocapitalize: 'none', spellcheck: 'false', dir: 'ltr' } }),
        this.numberInput(s, 'weight', t('edWeight'), { attrs: { min: 0, placeholder: '1' } })),
      this.textPair(s, 'title', 'edSectionTitle', true, el),
      itemsEl,
      h('div', { class: 'ed-add-item' },
        h('label', { for: fid(s, 'add-type') }, t('edNewItemType')), addType,
        h('button', { type: 'button', class: 'btn secondary', id: fid(s, 'add-item'), onclick: () => this.addItem(s, addType.value) }, t('edAddItem'))));
    el.querySelector(`#${fid(s, 'key')}`).addEventListener('input', (e) => {
      el.querySelector('.ed-key-echo').textContent = e.target.value;
      relabel(el, { 'sec-up': t('edMoveSectionUp', e.target.value), 'sec-down': t('edMoveSectionDown', e.target.value), 'sec-remove': t('edRemoveSection', e.target.value) });
      el.setAttribute('aria-label', t('edSectionLabel', e.target.value || '—'));
    });
    for (const item of s.items) itemsEl.append(this.itemEl(item, s));
    return el;
  }

  sectionNode(s) { return document.getElementById(`ed-${uid(s)}`) || [...this.sectionsEl.children].find((e) => e.sirrSection === s); }

  addSection() {
    const n = this.doc.sections.length + 1;
    let key = `section-${n}`;
    for (let i = n; this.doc.sections.some((s) => s.key === key); i += 1) key = `section-${i + 1}`;
    const s = { key, title: {}, items: [blankItem(this.freshItemKey())] };
    this.doc.sections.push(s);
    this.openItems.add(s.items[0]);
    const el = this.sectionEl(s);
    this.sectionsEl.append(el);
    this.updateCount();
    this.changed(true);
    const keyEl = el.querySelector(`#${fid(s, 'key')}`);
    keyEl?.focus();
    keyEl?.select();
  }

  async removeSection(s) {
    // A section takes its items with it, and nothing brings them back: asked first.
    if (!(await confirmDialog(t('edRemoveSectionConfirm', s.key || '—', s.items.length), t('edRemove'), t('cancelAction')))) return;
    const i = this.doc.sections.indexOf(s);
    if (i < 0) return;
    const el = this.sectionNode(s);
    this.forgetMissing([`${uid(s)}-title`, ...s.items.flatMap((x) => this.itemPairs(x))]);
    this.doc.sections.splice(i, 1);
    el.remove();
    this.changed(true);
    (this.sectionsEl.children[Math.min(i, this.sectionsEl.children.length - 1)]?.querySelector('input') || document.getElementById('ed-add-section')).focus();
  }

  moveSection(s, by) {
    const secs = this.doc.sections;
    const i = secs.indexOf(s);
    const j = i + by;
    if (j < 0 || j >= secs.length) return;
    [secs[i], secs[j]] = [secs[j], secs[i]];
    const el = this.sectionNode(s);
    const other = this.sectionNode(secs[i]);
    if (by < 0) other.before(el); else other.after(el);
    this.changed(true);
    el.querySelector(`[data-act=${by < 0 ? 'sec-up' : 'sec-down'}]`)?.focus();
    this.status.replaceChildren(h('span', {}, t('edMovedSection', s.key, j + 1)));
  }

  /** The missing translations of parts leaving the document (a removed section, item or option) leave the count. */
  forgetMissing(ids) {
    for (const id of ids) {
      const p = this.pairs.get(id);
      if (!p) continue;
      this.missingTotal -= p.n;
      this.addToCard(p.card, -p.n);
      this.pairs.delete(id);
    }
    this.updateCount();
  }

  /** The text pairs of an item: its text, its options' texts, its help. */
  itemPairs(item) { return [`${uid(item)}-text`, `${uid(item)}-help`, ...(item.options || []).map((o) => `${uid(o)}-text`)]; }

  freshItemKey() {
    const index = this.index();
    let n = index.size + 1;
    while (index.has(`item-${n}`)) n += 1;
    return `item-${n}`;
  }

  // -- Items: a one-line card, its fields built while it is open --
  itemEl(item, s) {
    const li = h('li', { class: 'ed-item', id: `ed-${uid(item)}`, tabindex: '-1', 'data-type': item.type });
    li.sirrItem = item;
    const typeWord = h('span', { class: 'ed-type-word' }, t(`type_${item.type}`));
    const keyEcho = h('bdi', { dir: 'ltr', class: 'ed-key-echo' }, item.key);
    // The text sits in a fixed one-line box (app.css): setting it lays out that box only.
    const text = h('span');
    const toggle = h('button', {
      type: 'button', class: 'ed-card-toggle', id: `ed-${uid(item)}-toggle`, 'aria-expanded': 'false', 'aria-controls': `ed-${uid(item)}-body`,
      onclick: () => (this.openItems.has(item) ? this.closeCard(li) : this.openCard(li, true)),
    }, typeWord, ' · ', keyEcho, ' ', h('bdi', { class: 'ed-sum-text', dir: 'auto' }, text),
    h('span', { class: 'missing-tr item-missing' }, t('edMissing')), h('span', { class: 'ed-problem-badge' }, t('edCardProblem')));
    li.sirrSummary = { typeWord, keyEcho, text, toggle };
    li.append(toggle);
    // The sections it can move to, as they are when the author reaches the card.
    li.addEventListener('focusin', () => { const sel = li.querySelector('select.ed-move-to'); if (sel) this.fillMoveTargets(sel, this.doc.sections.find((x) => x.items.includes(item)) || s); });
    this.countItemMissing(item, li);
    this.updateSummary(li);
    if (this.openItems.has(item)) this.buildBody(li, item);
    return li;
  }

  /** The card's line: type, key and text in the reader's language (or the other one). */
  updateSummary(li) {
    const item = li.sirrItem;
    const { typeWord, text } = li.sirrSummary;
    const words = t(`type_${item.type}`);
    if (typeWord.textContent !== words) typeWord.textContent = words;
    const x = tx(item.text) || t('edNoText');
    if (text.textContent !== x) text.textContent = x;
  }

  /** Opens an item's card: its fields are built, with the marks of the problems already known. */
  openCard(li, focus = false) {
    const item = li.sirrItem;
    this.openItems.add(item);
    if (!li.sirrBody) this.buildBody(li, item);
    if (focus) li.querySelector(`#${fid(item, 'key')}`)?.focus();
  }

  /** Closes a card: its fields leave the page; the model, the counts and the badges stay. */
  closeCard(li) {
    const item = li.sirrItem;
    this.openItems.delete(item);
    const hadFocus = li.sirrBody?.contains(document.activeElement);
    li.sirrBody?.remove();
    li.sirrBody = null;
    li.sirrSummary.toggle.setAttribute('aria-expanded', 'false');
    for (const el of [...this.marked]) if (!el.isConnected) this.marked.delete(el);
    this.serverMarks = this.serverMarks.filter((el) => el.isConnected);
    if (hadFocus) li.sirrSummary.toggle.focus();
  }

  buildBody(li, item) {
    const body = this.fillItem(li, item);
    li.sirrBody?.remove();
    li.sirrBody = body;
    li.append(body);
    li.sirrSummary.toggle.setAttribute('aria-expanded', 'true');
    // The problems already found, at their fields.
    for (const p of this.problems) {
      const el = p.field && body.querySelector(`#${p.field}`);
      if (el && el.matches('input, textarea, select')) this.mark(el, problemWords(p), p.severity);
    }
    for (const sp of this.serverProblems) {
      const el = sp.field && body.querySelector(`#${sp.field}`);
      if (el && el.matches('input, textarea, select')) { this.mark(el, sp.problem); this.serverMarks.push(el); }
    }
  }

  fillItem(li, item) {
    const typeSel = h('select', { id: fid(item, 'type') }, TYPES.map((ty) => h('option', { value: ty }, t(`type_${ty}`))));
    typeSel.value = item.type;
    typeSel.addEventListener('change', () => this.changeType(li, item, typeSel.value));
    const moveSel = h('select', { id: fid(item, 'move-to'), class: 'ed-move-to' });
    const moveLabel = h('label', { for: moveSel.id, class: 'visually-hidden' }, t('edMoveToSection', item.key));
    const evidence = h('select', { id: fid(item, 'evidence') }, ['', 'required', 'on_fail'].map((v) => h('option', { value: v }, t(`edEvidence_${v || 'none'}`))));
    evidence.value = item.evidence?.photo || '';
    evidence.addEventListener('change', () => { if (evidence.value) item.evidence = { photo: evidence.value }; else delete item.evidence; this.changed(); });
    const showIf = this.input(item, 'show_if', t('edShowIf'), { attrs: { dir: 'ltr', spellcheck: 'false', autocapitalize: 'none', class: 'ed-cond' } });
    // The example is code, read left to right in either language.
    showIf.append(h('p', { class: 'hint' }, t('edShowIfHint'), ' ', h('code', { dir: 'ltr' }, "offered_card != 'no' and wait_minutes > 5")));
    const body = h('div', { class: 'ed-card-body', id: `ed-${uid(item)}-body` },
      h('div', { class: 'ed-item-head' },
        h('div', { class: 'ed-moves' },
          h('button', { type: 'button', class: 'small', 'data-act': 'up', 'aria-label': t('edMoveItemUp', item.key), onclick: () => this.moveItem(item, -1) }, '↑ ', t('edUp')),
          h('button', { type: 'button', class: 'small', 'data-act': 'down', 'aria-label': t('edMoveItemDown', item.key), onclick: () => this.moveItem(item, 1) }, '↓ ', t('edDown')),
          moveLabel, moveSel,
          h('button', { type: 'button', class: 'small', 'data-act': 'move', 'aria-label': t('edMoveItemNow', item.key), onclick: () => this.moveToSection(item, moveSel.value) }, t('edMove')),
          h('button', { type: 'button', class: 'small danger', 'data-act': 'remove', 'aria-label': t('edRemoveItem', item.key), onclick: () => this.removeItem(item) }, t('edRemove')))),
      h('div', { class: 'ed-row' },
        this.input(item, 'key', t('edItemKey'), { max: MAX_KEY, structure: true, attrs: { pattern: '[a-z0-9][a-z0-9_\\-]*', autocapitalize: 'none', spellcheck: 'false', dir: 'ltr' } }),
        h('div', { class: 'ed-field' }, h('label', { for: typeSel.id }, t('edType')), typeSel),
        this.numberInput(item, 'weight', t('edWeight'), { attrs: { min: 0, placeholder: '1' } })),
      this.textPair(item, 'text', 'edItemText', true, li, true),
      this.typeFields(item, li),
      h('div', { class: 'ed-row ed-flags' },
        this.checkbox(item, 'critical', t('edCritical')), this.checkbox(item, 'na_allowed', t('edNaAllowed')), this.checkbox(item, 'required', t('required'))),
      h('div', { class: 'ed-row' },
        h('div', { class: 'ed-field' }, h('label', { for: evidence.id }, t('edEvidence')), evidence),
        this.input(item, 'owner', t('owner')),
        this.input(item, 'tags', t('edTags'), {
          get: () => (item.tags || []).join(', '),
          set: (v) => { const tags = v.split(',').map((x) => x.trim()).filter(Boolean); if (tags.length) item.tags = tags; else delete item.tags; },
        })),
      showIf,
      h('details', { class: 'ed-help', open: !!(item.help && Object.keys(item.help).length) || null }, h('summary', {}, t('edHelp')), this.textPair(item, 'help', 'edHelp', false, li, true)));
    body.querySelector(`#${fid(item, 'key')}`).addEventListener('input', (e) => {
      li.sirrSummary.keyEcho.textContent = e.target.value;
      // The buttons are named after the key (read by screen readers): renamed with it.
      relabel(li, { up: t('edMoveItemUp', e.target.value), down: t('edMoveItemDown', e.target.value), move: t('edMoveItemNow', e.target.value), remove: t('edRemoveItem', e.target.value) });
      moveLabel.textContent = t('edMoveToSection', e.target.value);
    });
    this.fillMoveTargets(moveSel, null, true);
    return body;
  }

  fillMoveTargets(sel, s, lazy = false) {
    const sections = this.doc.sections;
    if (lazy) { sel.replaceChildren(h('option', { value: '' }, t('edChooseSection'))); return; }
    const current = sel.value;
    const owner = sections.find((x) => x.items.includes(this.itemOf(sel))) || s;
    sel.replaceChildren(h('option', { value: '' }, t('edChooseSection')), ...sections.filter((x) => x !== owner).map((x) => h('option', { value: String(uid(x)) }, tx(x.title) ? `${x.key} · ${tx(x.title)}` : x.key)));
    sel.value = current;
  }

  typeFields(item, li) {
    const box = h('div', { class: 'ed-type-fields' });
    switch (item.type) {
      case 'scale':
        box.append(h('div', { class: 'ed-row' }, this.numberInput(item, 'min', t('edMin'), { integer: true }), this.numberInput(item, 'max', t('edMax'), { integer: true })));
        break;
      case 'choice': case 'multi_choice': {
        const rows = h('ol', { class: 'ed-options', 'aria-label': t('edOptions') });
        const addRow = (o) => rows.append(this.optionRow(item, o, li, rows));
        (item.options ||= []).forEach(addRow);
        box.append(h('h4', {}, t('edOptions')), rows, h('button', {
          type: 'button', class: 'small', id: fid(item, 'add-option'),
          onclick: () => { const o = { key: '' }; item.options.push(o); addRow(o); this.changed(true); rows.lastChild.querySelector('input').focus(); },
        }, t('edAddOption')));
        break;
      }
      case 'number': case 'duration': {
        const rows = h('ol', { class: 'ed-bands', 'aria-label': t('edBands') });
        const addRow = (b) => rows.append(this.bandRow(item, b, rows));
        (item.bands || []).forEach(addRow);
        box.append(h('div', { class: 'ed-row' }, this.numberInput(item, 'min', t('edMin')), this.numberInput(item, 'max', t('edMax'))),
          h('h4', {}, t('edBands')), h('p', { class: 'hint' }, t('edBandsHint')), rows,
          h('button', {
            type: 'button', class: 'small', id: fid(item, 'add-band'),
            onclick: () => { const b = { score: 0 }; (item.bands ||= []).push(b); addRow(b); this.changed(); rows.lastChild.querySelector('input').focus(); },
          }, t('edAddBand')));
        break;
      }
      default: break;
    }
    return box;
  }

  optionRow(item, o, li, rows) {
    const row = h('li', { class: 'ed-opt', id: `ed-${uid(o)}` },
      h('div', { class: 'ed-row' },
        this.input(o, 'key', t('edOptionKey'), { max: MAX_KEY, structure: true, attrs: { dir: 'ltr', autocapitalize: 'none', spellcheck: 'false' } }),
        this.numberInput(o, 'score', t('edScore'), { attrs: { min: 0, max: 1 } }),
        h('button', {
          type: 'button', class: 'small danger', 'data-act': 'opt-remove', 'aria-label': t('edRemoveOption', o.key || '—'),
          onclick: async () => {
            // An option with words in it is asked about first (nothing undoes a removal).
            if (hasWords(o) && !(await confirmDialog(t('edRemoveOptionConfirm', o.key || '—'), t('edRemove'), t('cancelAction')))) return;
            item.options.splice(item.options.indexOf(o), 1); this.forgetMissing([`${uid(o)}-text`]); row.remove(); this.changed(true); li.querySelector(`#${fid(item, 'add-option')}`)?.focus();
          },
        }, t('edRemove'))),
      this.textPair(o, 'text', 'edOptionText', false, li));
    row.querySelector(`#${fid(o, 'key')}`).addEventListener('input', (e) => relabel(row, { 'opt-remove': t('edRemoveOption', e.target.value || '—') }));
    return row;
  }

  bandRow(item, b, rows) {
    const row = h('li', { class: 'ed-band', id: `ed-${uid(b)}` }, h('div', { class: 'ed-row' },
      this.numberInput(b, 'max', t('edBandMax'), { attrs: { placeholder: t('edCatchAll') } }),
      this.numberInput(b, 'score', t('edScore'), { attrs: { min: 0, max: 1 } }),
      h('button', {
        type: 'button', class: 'small danger', 'aria-label': t('edRemoveBand'),
        onclick: () => { item.bands.splice(item.bands.indexOf(b), 1); if (!item.bands.length) delete item.bands; row.remove(); this.changed(); },
      }, t('edRemove'))));
    return row;
  }

  changeType(li, item, type) {
    this.forgetMissing((item.options || []).map((o) => `${uid(o)}-text`));
    for (const f of ['min', 'max', 'options', 'bands']) delete item[f];
    item.type = type;
    if (type === 'scale') Object.assign(item, { min: 1, max: 5 });
    if (type === 'choice' || type === 'multi_choice') item.options = [];
    this.redrawItem(li, item);
    this.changed(true);
    document.getElementById(fid(item, 'type'))?.focus();
  }

  redrawItem(li, item) {
    li.dataset.type = item.type;
    this.countItemMissing(item, li);
    this.updateSummary(li);
    if (this.openItems.has(item)) this.buildBody(li, item);
    this.updateCount();
  }

  addItem(s, type) {
    const item = blankItem(this.freshItemKey());
    item.type = type;
    if (type === 'scale') Object.assign(item, { min: 1, max: 5 });
    if (type === 'choice' || type === 'multi_choice') item.options = [];
    s.items.push(item);
    this.openItems.add(item);
    const li = this.itemEl(item, s);
    this.sectionNode(s).sirrItems.append(li);
    this.updateCount();
    this.changed(true);
    // Its made-up key selected: typing replaces it rather than adding to 'item-7'.
    const keyEl = li.querySelector(`#${fid(item, 'key')}`);
    keyEl?.focus();
    keyEl?.select();
  }

  async removeItem(item) {
    // An item with words in it is asked about first (nothing undoes a removal); a blank one goes.
    if (hasWords(item) && !(await confirmDialog(t('edRemoveItemConfirm', item.key || '—'), t('edRemove'), t('cancelAction')))) return;
    const s = this.doc.sections.find((x) => x.items.includes(item));
    if (!s) return;
    const i = s.items.indexOf(item);
    const li = document.getElementById(`ed-${uid(item)}`);
    this.forgetMissing(this.itemPairs(item));
    this.openItems.delete(item);
    this.problemCards.delete(li);
    s.items.splice(i, 1);
    li.remove();
    this.changed(true);
    const next = this.sectionNode(s).sirrItems.children[Math.min(i, s.items.length - 1)];
    (next?.querySelector('input') || next?.querySelector('.ed-card-toggle') || document.getElementById(fid(s, 'add-item'))).focus();
  }

  /** Up or down within its section; past either end, into the neighbouring section. */
  moveItem(item, by) {
    const secs = this.doc.sections;
    const si = secs.findIndex((x) => x.items.includes(item));
    const s = secs[si];
    const i = s.items.indexOf(item);
    const li = document.getElementById(`ed-${uid(item)}`);
    const j = i + by;
    if (j >= 0 && j < s.items.length) {
      [s.items[i], s.items[j]] = [s.items[j], s.items[i]];
      const other = document.getElementById(`ed-${uid(s.items[i])}`);
      if (by < 0) other.before(li); else other.after(li);
      this.status.replaceChildren(h('span', {}, t('edMovedItem', item.key, j + 1, s.key)));
    } else {
      const target = secs[si + by];
      // Already at the very top or bottom: said, rather than nothing happening.
      if (!target) { this.status.replaceChildren(h('span', {}, t(by < 0 ? 'edItemFirst' : 'edItemLast', item.key))); return; }
      s.items.splice(i, 1);
      if (by < 0) target.items.push(item); else target.items.unshift(item);
      const list = this.sectionNode(target).sirrItems;
      if (by < 0) list.append(li); else list.prepend(li);
      this.status.replaceChildren(h('span', {}, t('edMovedItem', item.key, target.items.indexOf(item) + 1, target.key)));
    }
    this.changed(true);
    li.querySelector(`[data-act=${by < 0 ? 'up' : 'down'}]`)?.focus();
  }

  moveToSection(item, targetUid) {
    const target = this.doc.sections.find((x) => String(uid(x)) === targetUid);
    if (!target) return;
    const s = this.doc.sections.find((x) => x.items.includes(item));
    if (s === target) return;
    s.items.splice(s.items.indexOf(item), 1);
    target.items.push(item);
    const li = document.getElementById(`ed-${uid(item)}`);
    this.sectionNode(target).sirrItems.append(li);
    this.changed(true);
    this.status.replaceChildren(h('span', {}, t('edMovedItem', item.key, target.items.length, target.key)));
    li.querySelector('[data-act=move]')?.focus();
  }

  // -- After a pause: the whole document --
  validate() {
    this.indexCache = null;
    const problems = validateDoc(this.doc);
    this.problems = problems;
    const stillMarked = new Set();
    const list = [];
    const cards = new Set();
    // The first pass runs before the editor is on the page: its fields are found in it then (a
    // blank first item was listed as a problem but not marked at its field).
    const byId = (id) => document.getElementById(id) || (this.el && !this.el.isConnected ? this.el.querySelector(`#${CSS.escape(id)}`) : null);
    for (const p of problems) {
      const words = problemWords(p);
      const el = p.field && byId(p.field);
      if (el && el.matches('input, textarea, select')) { this.mark(el, words, p.severity); stillMarked.add(el); }
      const at = /^\/sections\/(\d+)\/items\/(\d+)/.exec(p.path);
      const item = at && this.doc.sections[+at[1]]?.items[+at[2]];
      const card = item && byId(`ed-${uid(item)}`);
      if (card) cards.add(card);
      list.push(h('li', { 'data-path': p.path, 'data-severity': p.severity },
        h('button', { type: 'button', class: 'link', onclick: () => this.focusField(p.field, p.path) }, h('bdi', {}, whereWords(this.doc, p.path))), `: ${words}`));
    }
    for (const el of [...this.marked]) if (!stillMarked.has(el) && !el.isConnected) this.marked.delete(el);
    for (const el of [...this.marked]) if (!stillMarked.has(el) && !this.serverMarks.includes(el)) this.mark(el, this.localProblem(el));
    // A closed card says it has a problem; only the cards whose state changes are touched.
    for (const card of this.problemCards) if (!cards.has(card)) card.classList.remove('has-problem');
    for (const card of cards) if (!this.problemCards.has(card)) card.classList.add('has-problem');
    this.problemCards = cards;
    const errors = problems.filter((p) => p.severity === 'error').length;
    this.problemsHead.textContent = errors ? t('edProblemsN', errors) : t('edNoProblems');
    this.problemsEl.replaceChildren(...list);
  }

  focusField(field, path) {
    const el = this.reveal(field) || this.reveal(fieldOfPath(this.doc, path));
    if (!el) return;
    if (this.filter.checked && !el.closest('.has-missing')) { this.filter.checked = false; this.el.classList.remove('only-missing'); }
    el.closest('details')?.setAttribute('open', '');
    el.scrollIntoView({ block: 'center' });
    el.focus();
  }

  async loadPublished() {
    const c = this.list.find((x) => x.key === this.doc.key);
    const pub = (c?.versions || []).filter((v) => v.status === 'published' && v.version !== this.doc.version).sort((a, b) => b.version - a.version)[0];
    if (!pub) return;
    try {
      this.publishedDoc = (await get(`/api/v1/checklists/${encodeURIComponent(this.doc.key)}/versions/${pub.version}`)).document;
      this.publishedVersion = pub.version;
      this.renderDiff();
    } catch { /* the diff is a convenience */ }
  }

  renderDiff() {
    if (!this.publishedDoc) return;
    const changes = diffDocs(this.publishedDoc, cleanDoc(this.doc));
    this.diffEl.hidden = false;
    this.diffEl.replaceChildren(h('h2', {}, t('edDiffHead', this.publishedVersion)),
      changes.length ? h('ul', { id: 'ed-diff-list' }, changes.map((c) => h('li', { 'data-change': c.code }, t(`diff_${c.code}`, { ...c.args, lang: c.args.lang && t(c.args.lang === 'ar' ? 'langArabic' : 'langEnglish'), field: c.args.field && t(`edField_${c.args.field}`) }))))
        : h('p', { id: 'ed-diff-none' }, t('edDiffNone')));
  }

  renderPreview() {
    const secs = this.doc.sections;
    this.previewSection = Math.min(this.previewSection, secs.length - 1);
    const names = secs.map((s, i) => `${num(i + 1)} · ${tx(s.title) || s.key}`);
    const sig = names.join('\n');
    if (this.previewNames !== sig) {
      this.previewNames = sig;
      this.previewSelect.replaceChildren(...names.map((n, i) => h('option', { value: String(i) }, n)));
    }
    this.previewSelect.value = String(this.previewSection);
    const one = secs[this.previewSection];
    const run = (this.previewRun = (this.previewRun || 0) + 1);
    if (!one) { this.previewsEl.replaceChildren(); return; }
    // Only well-formed parts reach the phone's renderer; the rest waits for the author. The whole
    // document goes, so that a show_if on an earlier section's answer can be tried; the answers
    // given in the preview stay through redraws and section changes (until the page is left).
    const doc = cleanDoc(this.doc);
    this.previewAnswers ??= {};
    // One language per task, so that neither is a long task on a slow machine.
    const draw = (lang) => {
      // An answer in one language's phone shows in the other's at once (they share the answers).
      const onAnswer = (k, from) => { for (const phone of this.previewsEl.querySelectorAll('.phone')) if (phone.lang !== from) phone.sirrSync?.(k); };
      try { return preview(doc, lang, [], { only: this.previewSection, answers: this.previewAnswers, onAnswer }); } catch { return null; }
    };
    const en = draw('en');
    if (!en) { this.previewAr = null; this.previewsEl.replaceChildren(message(t('edPreviewUnavailable'))); return; }
    const phones = [en, ...(this.previewAr ? [this.previewAr] : [])];
    this.previewsEl.replaceChildren(...(lang() === 'ar' ? phones.reverse() : phones));
    setTimeout(() => {
      if (run !== this.previewRun) return;
      const t0 = performance.now();
      const ar = draw('ar');
      // The reader's language first: an Arabic reader sees the Arabic phone at the top.
      if (ar) { if (this.previewAr?.isConnected) this.previewAr.replaceWith(ar); else if (lang() === 'ar') this.previewsEl.prepend(ar); else this.previewsEl.append(ar); }
      this.previewAr = ar;
      this.passTimes.push({ kind: 'preview-ar', ms: performance.now() - t0 });
    }, 0);
  }

  updatePublish() {
    this.publishBtn.disabled = !this.validOnServer;
    this.publishBtn.title = this.validOnServer ? '' : t('edSaveFirst');
  }

  // -- Saving: the server decides --
  async save() {
    const doc = cleanDoc(this.doc);
    for (const el of this.serverMarks) this.mark(el, this.localProblem(el));
    this.serverMarks = [];
    this.serverProblems = [];
    this.serverEl.replaceChildren();
    this.status.replaceChildren(message(t('edSaving')));
    try {
      const saved = this.exists
        ? await api('PUT', `/api/v1/checklists/${encodeURIComponent(doc.key)}/versions/${doc.version}`, { body: doc, headers: this.revision ? { 'If-Match': `"${this.revision}"` } : {} })
        : await api('POST', '/api/v1/checklists', { body: doc });
      this.revision = saved?.revision ?? null;
      this.baseDoc = doc;
      const wasNew = this.wcId === 'new' || !this.exists;
      dropWorkingCopy(this.wcId);
      this.exists = true;
      this.wcId = `${doc.key}@${doc.version}`;
      dropWorkingCopy(this.wcId);
      for (const timer of ['workingCopy']) clearTimeout(this.timers.get(timer));
      this.validOnServer = true;
      this.dirtyEl.hidden = true;
      this.xlsBtn.hidden = false;
      this.el.querySelector(`#${fid(this.doc, 'key')}`)?.setAttribute('readonly', '');
      this.updatePublish();
      const warnings = saved?.warnings || [];
      this.status.replaceChildren(message(warnings.length ? t('edSavedWarnings', warnings.length) : t('saved'), 'ok'));
      if (wasNew) {
        history.replaceState(null, '', `#/qa/editor/${doc.key}@${doc.version}`);
        document.body.dataset.route = location.hash;
      }
    } catch (e) {
      // The edits stay: in the form and in the working copy.
      saveWorkingCopy(this.wcId, this.doc, !this.exists, this.from, this.baseDoc);
      // A conflict is explained by where the checklist's versions stand now (asked once).
      const versions = e.status === 409 ? await this.versionsNow(doc) : [];
      if (e.status === 422 && e.details?.length) {
        this.status.replaceChildren(message(t('edServerRefused', e.details.length), 'error'));
        this.serverEl.replaceChildren(h('section', { class: 'panel' }, h('h2', {}, t('edServerProblems')),
          h('ul', { class: 'problems', id: 'ed-server-list' }, e.details.map((d) => {
            const field = fieldOfPath(this.doc, d.path || '');
            this.serverProblems.push({ field, problem: d.problem });
            const el = field && document.getElementById(field);
            if (el && el.matches('input, textarea, select')) { this.mark(el, d.problem); this.serverMarks.push(el); }
            return h('li', { 'data-path': d.path }, h('button', { type: 'button', class: 'link', onclick: () => this.focusField(field, d.path || '') }, h('bdi', {}, whereWords(this.doc, d.path || ''))), `: ${d.problem}`);
          }))));
      } else if (e.status === 409 && this.publishedMeanwhile(doc, versions)) {
        // Published (in another tab, or by a colleague) since this page opened: said so, with
        // the way on that keeps the edits.
      } else if (e.status === 412 || (e.status === 409 && !this.exists && versions.some((v) => v.version === doc.version && v.status === 'draft'))) {
        // Saved (or made) by someone else since this page read it: nothing of theirs is replaced
        // unseen. Opened again, the page shows their draft and offers these edits back.
        this.status.replaceChildren(message(`${e.status === 412 ? t('edChangedMeanwhile', doc.version) : t('edMadeMeanwhile', doc.version)} ${t('edKept')}`, 'error'),
          h('p', { class: 'toolbar' }, h('button', { type: 'button', class: 'btn', id: 'ed-reopen', onclick: () => { const to = `#/qa/editor/${doc.key}@${doc.version}`; if (location.hash !== to) location.hash = to; else window.dispatchEvent(new Event('hashchange')); } }, t('edReopen'))));
      } else {
        const why = e instanceof OfflineError ? t('offlineAction') : e.status === 409 ? t('edConflict') : e.message;
        this.status.replaceChildren(message(`${why} ${t('edKept')}`, 'error'));
      }
    }
  }

  /**
   * After a refused save: when this version has been published meanwhile, the author is told so
   * and offered the next version with their edits in it. Returns whether that was the case.
   */
  publishedMeanwhile(doc, versions) {
    if (!versions.some((v) => v.version === doc.version && v.status !== 'draft')) return false;
    const next = Math.max(...versions.map((v) => v.version)) + 1;
    const carry = () => {
      const id = `${doc.key}@${next}`;
      saveWorkingCopy(id, { ...structuredClone(this.doc), version: next }, true, doc.version);
      dropWorkingCopy(this.wcId);
      location.hash = `#/qa/editor/${id}`;
    };
    const drafting = versions.some((v) => v.status === 'draft');
    this.status.replaceChildren(message(`${t('edPublishedMeanwhile', doc.version)} ${t('edKept')}`, 'error'),
      h('p', { class: 'toolbar' },
        drafting ? null : h('button', { type: 'button', class: 'btn', id: 'ed-carry-edits', onclick: carry }, t('edCarryEdits', next)),
        h('a', { href: '#/qa/checklists', id: 'ed-back-to-list' }, t('edBackToList'))));
    return true;
  }

  /** The checklist's versions as the server has them now (none when it cannot be asked). */
  async versionsNow(doc) {
    const now = await get('/api/v1/checklists').catch(() => null);
    return now?.find((c) => c.key === doc.key)?.versions || [];
  }

  /** Published just now: the page turns read-only, and nothing pending writes a working copy. */
  becomePublished() {
    this.published = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    dropWorkingCopy(this.wcId);
    this.validOnServer = false;
    this.updatePublish();
    this.dirtyEl.hidden = true;
    this.el.querySelector('#ed-save').disabled = true;
    for (const part of this.el.querySelectorAll('.ed-form > :not(.ed-bar), .ed-translations')) part.inert = true;
    this.el.classList.add('published');
    this.el.querySelector('#ed-download-json').textContent = t('downloadVersionJson');
    const said = message(t('publishedOk'), 'ok');
    said.tabIndex = -1;
    const versions = (this.list.find((c) => c.key === this.doc.key)?.versions || []).filter((v) => v.version !== this.doc.version);
    this.status.replaceChildren(said, publishedActions(cleanDoc(this.doc), [...versions, { version: this.doc.version, status: 'published' }]));
    // The focus was on the dialog's button, now gone: it goes to what happened.
    said.focus();
  }

  async publish() {
    const d = this.doc;
    // A published version never changes: asked once more, with what it means.
    if (!(await confirmDialog(t('publishConfirm', d.version), t('publish'), t('cancelAction')))) return;
    try {
      await api('POST', `/api/v1/checklists/${encodeURIComponent(d.key)}/versions/${d.version}/publish`, {});
      this.becomePublished();
    } catch (e) {
      this.status.replaceChildren(message(e.details?.length ? e.details.map((x) => `${x.path}: ${x.problem}`).join('; ') : e.message, 'error'));
    }
  }
}

/**
 * What a version's page offers once it is published: it never changes again, so nothing on it
 * can be edited (a later "Save draft" could only be refused), and the way on is a new version.
 */
function publishedActions(doc, versions) {
  const hasDraft = versions.some((v) => v.status === 'draft');
  const out = h('div', { class: 'ed-status-out' });
  const newVersion = async () => {
    try { location.hash = await newVersionFrom(doc, versions); } catch (e) { out.replaceChildren(message(e.message, 'error')); }
  };
  return h('p', { class: 'toolbar', id: 'ed-published-actions' },
    hasDraft ? null : h('button', { type: 'button', class: 'btn', id: 'ed-new-version', onclick: newVersion }, t('edNewVersionFrom')),
    h('a', { href: '#/qa/checklists', id: 'ed-back-to-list' }, t('edBackToList')), out);
}

/** Downloads a version as an XLSForm workbook (with the reader's token). */
export async function downloadXlsform(key, version, out) {
  try {
    const blob = await api('GET', `/api/v1/checklists/${encodeURIComponent(key)}/versions/${version}/xlsform`, { blob: true });
    saveBlob(blob, `${key}-v${version}.xlsx`);
  } catch (e) {
    out?.replaceChildren(message(e instanceof OfflineError ? t('offlineAction') : e.status === 404 ? t('edXlsformMissing') : e.message, 'error'));
  }
}

/** A new version's working copy made from a published version; returns the editor's address. */
export async function newVersionFrom(doc, versions) {
  const next = Math.max(...versions.map((v) => v.version)) + 1;
  const id = `${doc.key}@${next}`;
  const copy = loadWorkingCopy(id);
  // A copy already being edited on this device (not saved yet) is opened again, never replaced
  // silently; when it was made from another version, the author chooses (publishing it as it is
  // would undo the version asked for).
  const restart = !copy?.fresh
    || (copy.from !== doc.version && await confirmDialog(t('edOtherSource', next, doc.version), t('edStartFrom', doc.version), t('edOpenCopy')));
  if (restart) {
    const copy = { ...structuredClone(doc), version: next };
    saveWorkingCopy(id, copy, true, doc.version, copy);
  }
  return `#/qa/editor/${id}`;
}
