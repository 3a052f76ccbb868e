// The checklist on the phone: one section at a time, one control per item type, live show_if.
// Used by the shopper's visit and by QA's phone-frame preview. A section is rendered once; an
// answer only toggles `hidden` on the items whose visibility changed and updates the progress
// bar, which keeps an answer-to-screen update far below one frame (docs/benchmarks.md).

import { dateTime, lang, num, setLang, t, tx } from './i18n.js';
import { visibleItems } from './condition.js';
import { h } from './ui.js';

const ANSWERABLE = (item) => item.type !== 'note';

/** The item score in [0, 1] for an answer, or null (N/A, unscored) — as checklist's score(). */
export function itemScore(item, v) {
  if (v === undefined || v === null || v === 'na') return null;
  switch (item.type) {
    case 'yes_no': return v === 'yes' ? 1 : v === 'no' ? 0 : null;
    case 'scale': return (v - (item.min ?? 1)) / ((item.max ?? 5) - (item.min ?? 1));
    case 'choice': return item.options?.find((o) => o.key === v)?.score ?? null;
    case 'multi_choice': {
      const s = (Array.isArray(v) ? v : []).map((k) => item.options?.find((o) => o.key === k)?.score).filter((x) => typeof x === 'number');
      return s.length ? s.reduce((a, b) => a + b, 0) / s.length : null;
    }
    case 'number': case 'duration': {
      const band = item.bands?.find((b) => b.max === undefined || b.max === null || v <= b.max);
      return band ? band.score : null;
    }
    default: return null;
  }
}

/**
 * An answer in the reader's words (QA's review and disputes, the manager's visit): yes/no and
 * N/A translated, options by their text, numbers in the reader's digits with their unit, photos
 * counted — never the stored value (`"no"`, `["a","b"]`).
 */
export function answerWords(item, v) {
  if (v === undefined || v === null) return '—';
  if (v === 'na') return t('na');
  const opt = (k) => tx(item?.options?.find((o) => o.key === k)?.text) || String(k);
  switch (item?.type) {
    case 'yes_no': return v === 'yes' ? t('yes') : v === 'no' ? t('no') : String(v);
    case 'choice': return opt(v);
    case 'multi_choice': return (Array.isArray(v) ? v : [v]).map(opt).join(lang() === 'ar' ? '، ' : ', ');
    case 'scale': return typeof v === 'number' ? t('scaleOf', num(v), num(item.max ?? 5)) : String(v);
    case 'duration': return typeof v === 'number' ? t('secondsN', v) : String(v);
    case 'photo': return Array.isArray(v) ? t('photosN', v.length) : String(v);
    case 'timestamp': return dateTime(v);
    default: return typeof v === 'number' ? `${num(v)}${item?.unit ? ` ${tx(item.unit)}` : ''}` : Array.isArray(v) ? v.join(', ') : String(v);
  }
}

export const isAnswered = (v) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);

export function allItems(checklist) {
  return (checklist.sections || []).flatMap((s, si) => (s.items || []).map((item) => ({ item, si })));
}

/** Whether an item needs a photo for its current answer (its `evidence` rule). */
export function needsPhoto(item, v) {
  const rule = item.evidence?.photo;
  if (!rule || !isAnswered(v)) return false;
  if (rule === 'required') return v !== 'na';
  return itemScore(item, v) === 0;
}

/** Why a number the checklist bounds cannot be sent (the server would refuse it), or null. */
export function outOfRange(item, v) {
  if (typeof v !== 'number' || !['number', 'duration'].includes(item.type)) return null;
  const bands = item.bands || [];
  const catchAll = bands.some((b) => b.max === undefined || b.max === null);
  const max = item.max ?? (bands.length && !catchAll ? bands.at(-1).max : undefined);
  if ((item.min !== undefined && item.min !== null && v < item.min) || (max !== undefined && max !== null && v > max)) {
    return t('outOfRange', num(item.min ?? 0), num(max ?? v));
  }
  return null;
}

/** What still stops a submission: shown required items unanswered, photos missing. */
export function missing(checklist, state) {
  const shown = visibleItems(checklist, state.answers);
  const out = [];
  for (const { item, si } of allItems(checklist)) {
    if (!shown.has(item.key) || !ANSWERABLE(item)) continue;
    const v = state.answers[item.key];
    const range = outOfRange(item, v);
    if (item.required && !isAnswered(v)) out.push({ item, si, why: t('required') });
    else if (range) out.push({ item, si, why: range });
    else if (needsPhoto(item, v) && !(state.evidence?.[item.key]?.length)) {
      out.push({ item, si, why: item.evidence.photo === 'required' ? t('photoRequired') : t('photoOnFail') });
    }
  }
  return out;
}

/** Progress over the items shown now: [answered, total]. */
export function progress(checklist, answers, shown) {
  let done = 0;
  let total = 0;
  for (const { item } of allItems(checklist)) {
    if (!shown.has(item.key) || !ANSWERABLE(item)) continue;
    total += 1;
    if (isAnswered(answers[item.key])) done += 1;
  }
  return [done, total];
}

function choiceButtons(item, name, options, onPick, multi = false) {
  const type = multi ? 'checkbox' : 'radio';
  return options.map((o) => h('label', { class: 'opt' },
    h('input', { type, name, value: o.key, onchange: (e) => onPick(o.key, e.target.checked) }),
    // bdi: a text left in English on an Arabic screen keeps its own direction ('?' at its end).
    h('bdi', {}, o.label)));
}

// Inputs take local wall-clock time; answers are RFC 3339 with the phone's offset.
function toLocalInput(s) { return s ? s.slice(0, 16) : ''; }

/**
 * Puts a card's controls in line with the draft's answer. Every control writes through
 * ctx.onAnswer and reads back from the draft (ctx.answers) — never from a value captured when it
 * was drawn — so the screen and the stored draft cannot drift apart.
 */
export function showAnswer(card, item, v) {
  for (const input of card.querySelectorAll(':scope > .opts input, :scope > .num input[type=checkbox], :scope > .opts-na input')) {
    if (input.type === 'checkbox' && input.value === 'na') input.checked = v === 'na';
    else if (input.type === 'checkbox') input.checked = Array.isArray(v) && v.includes(input.value);
    else input.checked = v !== undefined && v !== null && String(v) === input.value;
  }
  const field = card.querySelector(':scope > .num input[type=number], :scope > .num input[type=datetime-local], :scope > textarea.answer');
  if (field && document.activeElement !== field) {
    const text = typeof v === 'string' && v !== 'na' ? v : '';
    if (field.type === 'datetime-local') field.value = toLocalInput(text);
    else if (field.type === 'number') field.value = typeof v === 'number' ? String(v) : '';
    else field.value = text;
  }
  // Not applicable: the value's own controls rest until it is unticked.
  for (const el of card.querySelectorAll(':scope > .num input:not([type=checkbox]), :scope > .num button, :scope > textarea.answer')) {
    el.disabled = v === 'na';
  }
  const clear = card.querySelector(':scope > .item-tools .clear');
  if (clear) clear.hidden = !isAnswered(v);
}

function naBox(name, ctx, item, offValue) {
  return h('label', { class: 'opt inline' },
    h('input', { type: 'checkbox', name: `${name}-na`, value: 'na', onchange: (e) => ctx.onAnswer(item.key, e.target.checked ? 'na' : offValue) }),
    h('span', {}, t('na')));
}

// A running stopwatch is kept in the draft (its start time), so it survives moving between
// sections, a reload or a locked phone: a shopper timing a queue does not lose the timing.
function stopwatch(item, ctx) {
  let started = ctx.timerStarted?.(item.key) ?? null;
  let tick = null;
  const shown = h('span', { class: 'elapsed', 'aria-live': 'off' });
  const btn = h('button', {
    type: 'button', class: 'small stopwatch',
    onclick: () => {
      if (started === null) {
        started = Date.now();
        ctx.setTimer?.(item.key, started);
        running();
      } else {
        const secs = Math.max(0, Math.round((Date.now() - started) / 1000));
        reset();
        ctx.onAnswer(item.key, secs);
      }
    },
  }, t('startTimer'));
  const show = () => { shown.textContent = t('secondsN', Math.round((Date.now() - started) / 1000)); };
  const running = () => {
    btn.textContent = t('stopTimer');
    btn.setAttribute('aria-pressed', 'true');
    show();
    tick = setInterval(() => {
      // Off the screen (another section): stop drawing; the start time stays in the draft.
      if (!btn.isConnected) { clearInterval(tick); return; }
      // Marked not applicable meanwhile: the timing is over.
      if (ctx.answers[item.key] === 'na') { reset(); return; }
      show();
    }, 500);
  };
  const reset = () => {
    clearInterval(tick);
    started = null;
    ctx.setTimer?.(item.key, null);
    btn.textContent = t('startTimer');
    btn.setAttribute('aria-pressed', 'false');
    shown.textContent = '';
  };
  btn.setAttribute('aria-pressed', 'false');
  if (started !== null) running();
  return [btn, shown];
}

function control(item, ctx) {
  const name = `a-${item.key}`;
  const set = (value) => ctx.onAnswer(item.key, value);
  const na = item.na_allowed ? [{ key: 'na', label: t('na') }] : [];
  switch (item.type) {
    case 'yes_no':
      return h('div', { class: 'opts row', role: 'radiogroup', 'aria-labelledby': `q-${item.key}` },
        choiceButtons(item, name, [{ key: 'yes', label: t('yes') }, { key: 'no', label: t('no') }, ...na], set));
    case 'choice':
      return h('div', { class: 'opts', role: 'radiogroup', 'aria-labelledby': `q-${item.key}` },
        choiceButtons(item, name, [...item.options.map((o) => ({ key: o.key, label: tx(o.text) || o.key })), ...na], set));
    case 'scale': {
      const opts = [];
      for (let i = item.min ?? 1; i <= (item.max ?? 5); i++) opts.push({ key: i, label: num(i) });
      return h('div', { class: 'opts row scale', role: 'radiogroup', 'aria-labelledby': `q-${item.key}` },
        choiceButtons(item, name, opts, (key) => set(Number(key))),
        ...(na.length ? choiceButtons(item, name, na, () => set('na')) : []));
    }
    case 'multi_choice': {
      const opts = item.options.map((o) => ({ key: o.key, label: tx(o.text) || o.key }));
      return [h('div', { class: 'opts', role: 'group', 'aria-labelledby': `q-${item.key}` },
        choiceButtons(item, name, opts, (key, on) => {
          // The set is read from the draft at the moment of the tick, not from when it was drawn.
          const now = ctx.answers[item.key];
          const cur = new Set(Array.isArray(now) ? now : []);
          if (on) cur.add(key); else cur.delete(key);
          // keep the checklist's option order
          set(item.options.map((o) => o.key).filter((k) => cur.has(k)));
        }, true)),
      na.length ? h('div', { class: 'opts-na' }, naBox(name, ctx, item, undefined)) : null];
    }
    case 'number': case 'duration':
      return h('div', { class: 'num' },
        h('input', {
          type: 'number', inputmode: 'decimal', id: name, name, 'aria-labelledby': `q-${item.key}`,
          min: item.min, max: item.max, step: 'any',
          oninput: (e) => set(e.target.value === '' || !Number.isFinite(Number(e.target.value)) ? undefined : Number(e.target.value)),
        }),
        item.type === 'duration' ? [h('span', { class: 'unit' }, t('seconds')), ...stopwatch(item, ctx)] : null,
        na.length ? naBox(name, ctx, item, undefined) : null);
    case 'text':
      return [h('textarea', { id: name, name, rows: 3, class: 'answer', maxlength: 10000, 'aria-labelledby': `q-${item.key}`, oninput: (e) => set(e.target.value || undefined) }),
        na.length ? h('div', { class: 'opts-na' }, naBox(name, ctx, item, undefined)) : null];
    case 'timestamp':
      return h('div', { class: 'num' },
        h('input', {
          type: 'datetime-local', id: name, name, 'aria-labelledby': `q-${item.key}`,
          onchange: (e) => set(e.target.value ? ctx.toRfc3339(e.target.value) : undefined),
        }),
        h('button', { type: 'button', class: 'small', onclick: () => set(ctx.now()) }, t('now')),
        na.length ? naBox(name, ctx, item, undefined) : null);
    case 'photo':
      return photoControl(item, ctx, `photo-${item.key}`);
    default:
      return null;
  }
}

function photoControl(item, ctx, id) {
  const list = h('ul', { class: 'thumbs', 'aria-label': t('photos') });
  const refresh = () => {
    list.replaceChildren(...(ctx.photoRefs(item.key) || []).map((ref, i) => h('li', {},
      h('button', { type: 'button', class: 'thumb-btn', 'aria-label': `${t('viewPhoto')} ${num(i + 1)}`, onclick: () => ctx.viewPhoto(ref) }, ctx.thumb(ref)),
      h('button', { type: 'button', class: 'small remove', 'aria-label': `${t('removePhoto')} ${num(i + 1)}`, onclick: () => ctx.removePhoto(item.key, ref) }, '✕'))));
  };
  refresh();
  ctx.onPhotoListChange(item.key, refresh);
  return h('div', { class: 'photo' },
    h('label', { class: 'btn secondary', for: id }, `📷 ${t('photo')}`),
    h('input', {
      type: 'file', id, accept: 'image/*', capture: 'environment', class: 'visually-hidden',
      onchange: (e) => { for (const f of e.target.files) ctx.onPhoto(item.key, f); e.target.value = ''; },
    }),
    list);
}

/** One item's card: question, help, control, evidence prompt, comment, QA's note. */
function itemCard(item, ctx) {
  const qa = ctx.qaComments?.[item.key];
  const helpText = item.help && tx(item.help) ? h('p', { class: 'help-text', id: `help-${item.key}`, dir: 'auto', hidden: true }, tx(item.help)) : null;
  // The help toggle sits beside the question, never under it, so nothing covers its tap target.
  const helpBtn = helpText ? h('button', {
    type: 'button', class: 'help-btn', 'aria-label': t('help'), title: t('help'), 'aria-expanded': 'false', 'aria-controls': `help-${item.key}`,
    onclick: (e) => {
      helpText.hidden = !helpText.hidden;
      e.currentTarget.setAttribute('aria-expanded', String(!helpText.hidden));
    },
  }, '?') : null;
  const card = h('section', { class: 'item', id: `item-${item.key}`, 'data-key': item.key, 'data-type': item.type },
    h('div', { class: 'q-row' },
      h('h3', { id: `q-${item.key}`, class: 'q' }, h('bdi', {}, tx(item.text)), item.required ? h('span', { class: 'req' }, h('span', { 'aria-hidden': 'true' }, ' *'), h('span', { class: 'visually-hidden' }, ` (${t('required')})`)) : null),
      helpBtn),
    helpText,
    qa ? h('p', { class: 'qa-note', role: 'note' }, h('strong', {}, `${t('qaSays')}: `), qa) : null);
  if (item.type === 'note') { card.classList.add('note'); return card; }
  const problem = ctx.problems?.[item.key];
  if (problem) {
    card.classList.add('problem-at');
    card.append(h('p', { class: 'problem-msg', role: 'alert' }, h('bdi', {}, problem)));
  }
  card.append(...[control(item, ctx)].flat().filter(Boolean));
  if (item.type !== 'photo') {
    card.append(h('div', { class: 'item-tools' },
      h('button', { type: 'button', class: 'small clear', onclick: () => ctx.onAnswer(item.key, undefined) }, t('clearAnswer'))));
  }
  if (item.evidence?.photo && item.type !== 'photo') {
    card.append(h('div', { class: 'evidence', 'data-rule': item.evidence.photo },
      h('p', { class: 'hint' }, item.evidence.photo === 'required' ? t('photoRequired') : t('photoOnFail')),
      photoControl(item, ctx, `evidence-${item.key}`)));
  }
  const c = ctx.comments[item.key] || '';
  card.append(h('details', { class: 'comment', open: !!c },
    h('summary', {}, t('addComment')),
    h('textarea', { name: `c-${item.key}`, rows: 2, maxlength: 10000, 'aria-label': `${t('comment')}: ${tx(item.text)}`, oninput: (e) => ctx.onComment(item.key, e.target.value) }, c)));
  if (item.type !== 'photo') showAnswer(card, item, ctx.answers[item.key]);
  return card;
}

/** Renders section `si`; returns {el, update()} where update() re-applies show_if. */
export function renderSection(checklist, si, ctx) {
  const section = checklist.sections[si];
  const cards = section.items.map((item) => itemCard(item, ctx));
  const bar = h('div', { class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-label': t('answered') }, h('span'));
  const counter = h('p', { class: 'count' });
  const el = h('div', { class: 'checklist' },
    // A preview of one section of a longer checklist says where it stands in the whole.
    h('p', { class: 'crumbs' }, `${t('section')} ${num(ctx.sectionNumber ?? si + 1)} ${t('of')} ${num(ctx.sectionTotal ?? checklist.sections.length)}`),
    h('h2', { class: 'section-title' }, h('bdi', {}, tx(section.title))),
    bar, counter, cards);
  const parsed = new Map();
  const update = (changedKey) => {
    if (changedKey !== undefined) {
      const card = cards.find((c) => c.dataset.key === changedKey);
      const item = section.items.find((i) => i.key === changedKey);
      if (card && item && item.type !== 'photo' && item.type !== 'note') showAnswer(card, item, ctx.answers[changedKey]);
    }
    const shown = visibleItems(checklist, ctx.answers, parsed);
    for (const card of cards) {
      const hide = !shown.has(card.dataset.key);
      if (card.hidden !== hide) card.hidden = hide;
    }
    for (const card of cards) {
      const ev = card.querySelector('.evidence');
      if (ev) {
        const item = section.items.find((i) => i.key === card.dataset.key);
        ev.hidden = !needsPhoto(item, ctx.answers[item.key]) && !(ctx.photoRefs(item.key) || []).length;
      }
    }
    const [done, total] = progress(checklist, ctx.answers, shown);
    const p = total ? Math.round((done / total) * 100) : 100;
    bar.firstChild.style.width = `${p}%`;
    bar.setAttribute('aria-valuenow', p);
    counter.textContent = `${num(done)} / ${num(total)} ${t('answered')}`;
    return shown;
  };
  return { el, update };
}

// Marks the card of the item a JSON pointer (/sections/2/items/4/…) points at.
function itemForPointer(doc, path) {
  const m = /^\/sections\/(\d+)(?:\/items\/(\d+))?/.exec(path || '');
  if (!m) return null;
  const s = doc.sections?.[+m[1]];
  return m[2] !== undefined ? s?.items?.[+m[2]]?.key : null;
}

/** A phone frame showing `doc` in `language`, with `problems` ({path, problem}) marked at their items. */
/**
 * The checklist as a shopper's phone shows it, in `language`. `place.only`: render that section
 * only (the others still decide what its show_if hides); `place.answers`: the answers to keep
 * between redraws (the preview's own, shared by its callers), else a fresh set.
 */
export function preview(doc, language, problems, place = {}) {
  const saved = lang();
  // Named in the reader's language ("Preview (English)"), before the phone's own is taken up.
  const label = `${t('preview')} (${t(language === 'ar' ? 'langArabic' : 'langEnglish')})`;
  setLang(language, false, { page: false });
  const frameEl = h('div', { class: 'phone', tabindex: 0, dir: language === 'ar' ? 'rtl' : 'ltr', lang: language, 'aria-label': label, role: 'region' });
  try {
    const ctx = {
      answers: place.answers || {}, comments: {}, now: () => '', toRfc3339: (x) => x,
      onAnswer: (k, v) => {
        if (v === undefined) delete ctx.answers[k]; else ctx.answers[k] = v;
        sync(k);
        place.onAnswer?.(k, language);
      },
      onComment: () => {}, photoRefs: () => [], onPhotoListChange: () => {}, thumb: () => h('span'), onPhoto: () => {},
      viewPhoto: () => {}, removePhoto: () => {},
      sectionNumber: place.number, sectionTotal: place.total,
    };
    // A later answer redraws its card and counts in this preview's language, not the page's.
    const sync = (k) => {
      const before = lang();
      setLang(language, false, { page: false });
      try { views.forEach((v2) => v2.update(k)); } finally { setLang(before, false, { page: false }); }
    };
    frameEl.sirrSync = sync;
    const shownSections = place.only === undefined ? (doc.sections || []).map((_, si) => si) : [place.only];
    const views = shownSections.map((si) => renderSection(doc, si, ctx));
    views.forEach((v) => v.update());
    // Answers kept from an earlier drawing are shown on their controls again.
    for (const key of Object.keys(ctx.answers)) views.forEach((v) => v.update(key));
    frameEl.append(...views.map((v) => v.el));
    for (const p of problems) {
      const key = itemForPointer(doc, p.path);
      const card = key && frameEl.querySelector(`#item-${CSS.escape(key)}`);
      if (card) {
        card.classList.add('problem-at');
        card.prepend(h('p', { class: 'problem-msg', role: 'note' }, `${p.path}: ${p.problem}`));
      }
    }
    // Ids must stay unique on the page: the two previews show the same items.
    frameEl.querySelectorAll('[id]').forEach((el) => { el.id = `${language}-${el.id}`; });
    frameEl.querySelectorAll('[for]').forEach((el) => el.setAttribute('for', `${language}-${el.getAttribute('for')}`));
    frameEl.querySelectorAll('[aria-labelledby]').forEach((el) => el.setAttribute('aria-labelledby', `${language}-${el.getAttribute('aria-labelledby')}`));
    frameEl.querySelectorAll('input[name]').forEach((el) => { el.name = `${language}-${el.name}`; });
  } finally {
    setLang(saved, false, { page: false });
  }
  return frameEl;
}
