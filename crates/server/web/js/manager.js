// The managers' screens, all for one period that lives in the URL (`?period=YYYY-MM`, the
// selector and the address always agree; reload, back and forward keep it):
// - the league table of a region (admins and QA: the organisation) — fair score with its
//   interval, rank, change since the previous period; sortable; a row opens the branch — and
//   a section × branch heat map;
// - a branch's dashboard: raw and fair scores with intervals and the change, the trend (its
//   axis fitted to the numbers and labelled so), sections against region and organisation, its
//   teams, failed items grouped by item (count, pass rate, the shoppers' comments, collapsed),
//   systemic items, disputes, action plans (marked done, tied to an item), the PDF report;
// - a team's page; an approved visit with its photos (never who made it).
// Every number is the API's, rounded for display only (SPEC §10.30).

import { api, get, me, OfflineError } from './api.js';
import { date, dateTime, lang, num, ownerLabel, pct, t, tx } from './i18n.js';
import { sectionChart, trendChart } from './charts.js';
import { answerWords, itemScore } from './checklist.js';
import { checkRequired, h, message, photoViewer, saveBlob } from './ui.js';
import { managerExports } from './dataout.js';

const docs = new Map();
/** The latest published document of each checklist, for section and item texts. */
async function checklistDocs() {
  if (docs.size) return docs;
  for (const c of await get('/api/v1/checklists')) {
    if (!c.latest_published_version) continue;
    try { docs.set(c.key, (await get(`/api/v1/checklists/${c.key}/versions/${c.latest_published_version}`)).document); } catch { /* skip */ }
  }
  return docs;
}

function sectionTitle(d, checklist, key) {
  const s = d.get(checklist)?.sections?.find((x) => x.key === key);
  return s ? tx(s.title) : key;
}
function findItem(d, checklist, key) {
  const lists = checklist ? [d.get(checklist)] : [...d.values()];
  for (const doc of lists) {
    for (const s of doc?.sections || []) {
      const it = s.items.find((i) => i.key === key);
      if (it) return it;
    }
  }
  return null;
}
const itemText = (d, checklist, key) => { const it = findItem(d, checklist, key); return it ? tx(it.text) : key; };
// Each bound isolated left to right, so an Arabic line keeps "٧١% – ٧٧٫٥%" (the % stays with its number).
const ci = (c) => (c ? `\u2066${pct(c[0])}\u2069 – \u2066${pct(c[1])}\u2069` : '—');

const locale = () => (lang() === 'ar' ? 'ar-SA-u-ca-gregory' : 'en-GB');
/** A period label as words: months by name, other labels as they are. */
export function periodName(p, month = 'long') {
  if (!/^\d{4}-\d{2}$/.test(p || '')) return p || '—';
  return new Intl.DateTimeFormat(locale(), month === 'short' ? { month: 'short' } : { month: 'long', year: 'numeric' }).format(new Date(`${p}-15T12:00:00Z`));
}
/** A change in percentage points, signed, one decimal (display only). */
export function points(delta) {
  if (delta === null || delta === undefined || Number.isNaN(delta)) return '—';
  const v = Math.round(delta * 1000) / 10;
  const f = new Intl.NumberFormat(locale(), { maximumFractionDigits: 1, minimumFractionDigits: 1, signDisplay: 'exceptZero' });
  return t('pointsN', f.format(v), Math.abs(v));
}
const diff = (a, b) => (a === null || a === undefined || b === null || b === undefined ? null : a - b);
// The calendar month before `p` (`2026-01` → `2025-12`): the change's baseline, as in the PDF
// (one rule everywhere; a month without visits is no baseline, never the month before it).
const previousOf = (p) => {
  const m = /^(\d{4})-(\d{2})$/.exec(p || '');
  if (!m) return null;
  const [y, mo] = [Number(m[1]), Number(m[2])];
  return mo === 1 ? `${y - 1}-12` : `${y}-${String(mo - 1).padStart(2, '0')}`;
};

const params = () => new URLSearchParams(location.hash.split('?')[1] || '');
/**
 * The period of the screen: the URL's, else the server's default (the latest month that has
 * ended with broad data, docs/scoring.md §3.8 — never a month that has just begun), else the
 * latest with data — written into the URL (no new history entry) so that address and selector
 * agree from the first paint.
 */
function pickPeriod(months) {
  const asked = params().get('period');
  const period = asked || months.preferred || months[months.length - 1] || new Date().toISOString().slice(0, 7);
  if (!asked) {
    const [path, query] = location.hash.split('?');
    const q = new URLSearchParams(query || '');
    q.set('period', period);
    history.replaceState(history.state, '', `${path}?${q}`);
  }
  return period;
}
function periodSelect(months, period, path) {
  const list = months.includes(period) ? months : [...months, period].sort();
  return [h('label', { for: 'period' }, t('period')),
    h('select', { id: 'period', onchange: (e) => { location.hash = `${path}?period=${e.target.value}`; } },
      [...list].reverse().map((m) => h('option', { value: m, selected: m === period }, periodName(m))))];
}

/** Which overview the user has: a region (regional manager), the organisation (admin, QA), none. */
function overviewScope() {
  const who = me();
  if (!who) return null;
  if (who.role === 'admin' || who.role === 'qa') return { kind: 'organisation' };
  const region = (who.scopes || []).find((s) => s.kind === 'region');
  return region ? { kind: 'region', id: region.id } : null;
}
/** The managers' tabs; the period goes along. */
function managerTabs(current, period) {
  const q = period ? `?period=${period}` : '';
  const tabs = [];
  if (overviewScope()) tabs.push(['league', `#/league${q}`, t('league')]);
  if (me()?.role === 'manager') tabs.push(['dashboard', `#/dashboard${q}`, t('dashboard')]);
  if (tabs.length < 2) return null;
  return h('nav', { class: 'tabs', 'aria-label': t('home') }, tabs.map(([k, href, label]) => h('a', { href, 'aria-current': k === current ? 'page' : null }, label)));
}

const monthsCache = new Map();
/** The periods with data for a unit (its whole trend) and the default (`preferred`), asked once per unit. */
async function monthsOf(path) {
  if (!monthsCache.has(path)) monthsCache.set(path, get(path).then((all) => Object.assign(all.trend.map((p) => p.period), { preferred: all.default_period || null })));
  try { return await monthsCache.get(path); } catch (e) { monthsCache.delete(path); throw e; }
}

function scoreCard(label, value, interval, extra, id) {
  return h('div', { class: 'score', id }, h('div', { class: 'meta' }, label), h('p', { class: 'big' }, pct(value)),
    h('p', { class: 'ci' }, `${t('interval')}: `, h('bdi', {}, ci(interval))), extra ? h('p', { class: 'ci change' }, extra) : null);
}

/** The trend chart of a unit's `trend` (fair score with band), the period's point labelled. */
function trendPanel(trend, period) {
  const points = trend.map((p) => ({ period: p.period, label: periodName(p.period, 'short'), value: p.fair_score, low: p.fair_ci?.[0], high: p.fair_ci?.[1] }));
  return h('section', { class: 'panel trend-panel' }, h('h2', {}, `${t('trend')} (${t('fair')})`),
    points.length ? trendChart(points, `${t('trend')} (${t('fair')})`, { selected: period, name: (p) => periodName(p) }) : h('p', {}, t('nothing')));
}

const failedPanelMessage = (what) => h('p', { class: 'msg error', role: 'alert' }, t('panelFailed', what));
/** A fetch whose failure shows in its panel rather than failing the page. */
const soft = (p) => p.then((v) => ({ ok: true, v }), (e) => ({ ok: false, e }));

async function downloadPdf(branch, period, language, status, button) {
  if (button.disabled) return;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  status.replaceChildren(h('p', { class: 'msg loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), t('pdfPreparing')));
  try {
    const blob = await api('GET', `/api/v1/reports/branches/${branch.id}.pdf?period=${period}&lang=${language}`, { blob: true });
    saveBlob(blob, `sirr-${branch.code}-${period}-${language}.pdf`);
    status.replaceChildren(message(t('pdfReady'), 'ok'));
  } catch (e) {
    // Never the browser's own words ("TypeError: Failed to fetch"): what happened, in the page's language.
    const why = e instanceof OfflineError ? t('pdfOffline') : e.status >= 500 ? t('pdfServerError') : t('pdfFailed');
    status.replaceChildren(message(why, 'error'));
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

function problemText(x) {
  if (x instanceof OfflineError) return t('offlineAction');
  return x.details?.length ? x.details.map((d) => d.problem).join('; ') : x.message;
}

function actionsPanel(d, branch, period, actions, failedKeys, usedChecklists, reload) {
  const action = h('input', { type: 'text', id: 'new-action', name: 'action', required: true });
  const owner = h('input', { type: 'text', id: 'new-owner', name: 'owner', required: true });
  const due = h('input', { type: 'date', id: 'new-due', name: 'due_on', required: true });
  // The item it addresses: this period's failed items first, then every item of the checklists used.
  const items = [];
  for (const key of usedChecklists) {
    for (const s of d.get(key)?.sections || []) for (const it of s.items) if (it.type !== 'note' && !items.some((x) => x.key === it.key)) items.push(it);
  }
  const failedFirst = [...items.filter((i) => failedKeys.has(i.key)), ...items.filter((i) => !failedKeys.has(i.key))];
  const item = h('select', { id: 'new-item', name: 'item_key' }, h('option', { value: '' }, t('noItem')),
    failedFirst.map((i) => h('option', { value: i.key }, `${failedKeys.has(i.key) ? '✗ ' : ''}${tx(i.text)}`)));
  const err = h('div', { 'aria-live': 'polite' });
  const form = h('form', {
    class: 'row-form', id: 'add-action-form',
    onsubmit: async (e) => {
      e.preventDefault();
      try {
        await api('POST', `/api/v1/branches/${branch.id}/actions`, { body: { period, action: action.value, owner: owner.value, due_on: due.value, ...(item.value ? { item_key: item.value } : {}) } });
        reload();
      } catch (x) { err.replaceChildren(message(problemText(x), 'error')); }
    },
  }, h('label', { for: 'new-action' }, t('action')), action, h('label', { for: 'new-item' }, t('addresses')), item,
  h('label', { for: 'new-owner' }, t('owner')), owner, h('label', { for: 'new-due' }, t('dueOn')), due, err, h('button', { class: 'btn', type: 'submit' }, t('add')));
  checkRequired(form);
  const rowErr = h('div', { 'aria-live': 'polite' });
  const setStatus = async (a, status, button) => {
    button.disabled = true;
    try { await api('PATCH', `/api/v1/actions/${a.id}`, { body: { status } }); reload(); } catch (x) { button.disabled = false; rowErr.replaceChildren(message(problemText(x), 'error')); }
  };
  return h('section', { class: 'panel', id: 'actions' }, h('h2', {}, t('actions')),
    actions.length ? h('div', { class: 'actions-wrap' }, h('table', { class: 'actions-table' },
      h('thead', {}, h('tr', {}, h('th', {}, t('action')), h('th', {}, t('addresses')), h('th', {}, t('owner')), h('th', {}, t('dueOn')), h('th', {}, t('statusLabel')))),
      h('tbody', {}, actions.map((a) => {
        const done = a.status === 'done';
        // Open work past its due date says so in words (not by colour alone).
        const overdue = !done && a.due_on && a.due_on < today();
        const toggle = h('button', { type: 'button', class: 'small', 'data-action': a.id, onclick: (e) => setStatus(a, done ? 'open' : 'done', e.currentTarget) }, done ? t('reopen') : t('markDone'));
        // `data-label`: on a phone each row is a card whose cells name themselves (app.css).
        return h('tr', { 'data-id': a.id, 'data-status': a.status, 'data-overdue': overdue ? 'true' : null, class: overdue ? 'overdue' : null },
          h('td', { class: 'what', 'data-label': t('action') }, h('bdi', {}, a.action)),
          h('td', { class: 'addresses', 'data-label': t('addresses') }, a.item_key ? h('a', { href: `#item-group-${a.item_key}`, onclick: (e) => { e.preventDefault(); openGroup(a.item_key); } }, itemText(d, null, a.item_key)) : a.section_key || '—'),
          h('td', { 'data-label': t('owner') }, h('bdi', {}, a.owner)), h('td', { 'data-label': t('dueOn') }, date(a.due_on), overdue ? [' ', h('span', { class: 'pill overdue' }, t('overdueDays', daysSince(a.due_on)))] : null),
          h('td', { class: 'state', 'data-label': t('statusLabel') }, h('span', { class: `pill ${a.status}` }, t(`status_${a.status}`)), done && a.done_at ? h('span', { class: 'meta' }, ` ${date(a.done_at)}`) : null, ' ', toggle));
      })))) : h('p', {}, t('nothing')),
    rowErr, h('details', { class: 'add-action', id: 'add-action' }, h('summary', {}, t('addAction')), form));
}

/** Today as YYYY-MM-DD on the reader's calendar (action due dates are plain dates). */
function today() {
  const n = new Date();
  return `${n.getFullYear()}-${String(n.getMonth() + 1).padStart(2, '0')}-${String(n.getDate()).padStart(2, '0')}`;
}
const daysSince = (day) => Math.round((Date.parse(today()) - Date.parse(day)) / 86400000);

function openGroup(key) {
  const el = document.getElementById(`item-group-${key}`);
  if (!el) return;
  el.open = true;
  // A group among "more items" is inside a closed disclosure of its own.
  const outer = el.parentElement?.closest('details');
  if (outer) outer.open = true;
  el.scrollIntoView({ block: 'start' });
  el.querySelector('summary')?.focus();
}

function disputeForm(f, n, done) {
  const reason = h('textarea', { id: `dr-${n}`, rows: 2, required: true });
  const evidence = h('input', { type: 'text', id: `de-${n}` });
  const err = h('div', { 'aria-live': 'polite' });
  return checkRequired(h('form', {
    class: 'row-form',
    onsubmit: async (e) => {
      e.preventDefault();
      try {
        await api('POST', `/api/v1/visits/${f.visit.id}/disputes`, { body: { item_key: f.item.key, reason: reason.value, ...(evidence.value ? { evidence: evidence.value } : {}) } });
        done();
      } catch (x) { err.replaceChildren(message(problemText(x), 'error')); }
    },
  }, h('label', { for: `dr-${n}` }, t('reason')), reason, h('label', { for: `de-${n}` }, t('evidence')), evidence, err,
  h('button', { class: 'btn', type: 'submit' }, t('send'))));
}

/**
 * Every answer of the period's visits below full marks (item score < 1: a "no", or part of the
 * points, e.g. 3 on a 1–5 scale), grouped by item, most often first. Full marks is what the API's
 * `pass_rate` counts (SPEC §9.15), so "below full marks in n of m visits" and "full marks in p%"
 * are the two sides of one number and never contradict each other.
 */
function failedGroups(d, visits, disputes = []) {
  // An overturned dispute makes the item N/A for that visit (SPEC §6), as in the API's numbers.
  const overturned = new Set(disputes.filter((x) => x.status === 'overturned').map((x) => `${x.visit_id}/${x.item_key}`));
  const groups = new Map();
  const answered = new Map();
  for (const v of visits) {
    const doc = d.get(v.checklist.key);
    if (!doc) continue;
    for (const s of doc.sections) {
      for (const item of s.items) {
        const score = overturned.has(`${v.id}/${item.key}`) ? null : itemScore(item, v.answers[item.key]);
        if (score === null || Number.isNaN(score)) continue;
        answered.set(item.key, (answered.get(item.key) || 0) + 1);
        if (score >= 1) continue;
        const g = groups.get(item.key) || { item, checklist: v.checklist.key, section: s, failures: [] };
        g.failures.push({ visit: v, item, score, comment: v.comments[item.key] });
        groups.set(item.key, g);
      }
    }
  }
  for (const g of groups.values()) g.answered = answered.get(g.item.key) || g.failures.length;
  // A failed critical item fails the whole visit (SPEC §4): those come first, whatever their count.
  return [...groups.values()].sort((a, b) => Number(!!b.item.critical) - Number(!!a.item.critical)
    || b.failures.length - a.failures.length || tx(a.item.text).localeCompare(tx(b.item.text)));
}

/** Thumbnails of attachments (fetched with the token), each opening full screen. */
export function photoStrip(refs) {
  if (!refs.length) return null;
  const list = h('ul', { class: 'thumbs review-photos', 'aria-label': t('photos') });
  refs.forEach((ref, i) => {
    const img = h('img', { alt: `${t('viewPhoto')} ${num(i + 1)}` });
    const li = h('li', { class: 'loading-thumb' }, h('button', { type: 'button', class: 'thumb-btn', onclick: () => photoViewer(img.src || null) }, img));
    api('GET', `/api/v1/attachments/${encodeURIComponent(ref)}`, { blob: true })
      .then((blob) => { img.src = URL.createObjectURL(blob); li.classList.remove('loading-thumb'); })
      .catch((e) => { li.replaceChildren(h('span', { class: 'meta' }, t(e instanceof OfflineError ? 'photoUnavailable' : 'photoMissing'))); });
    list.append(li);
  });
  return list;
}

function failedPanel(d, sc, visits, disputes, period, reload) {
  if (!visits.ok) return h('section', { class: 'panel', id: 'failed' }, h('h2', {}, t('failedItems')), failedPanelMessage(t('failedItems')));
  const open = new Set(disputes.filter((x) => x.status === 'open' || x.status === 'overturned').map((x) => `${x.visit_id}/${x.item_key}`));
  const groups = failedGroups(d, visits.v, disputes);
  let n = 0;
  const card = (g) => {
    const here = sc.items.find((i) => i.key === g.item.key && i.checklist === g.checklist);
    const withComment = g.failures.filter((f) => f.comment).length;
    return h('details', { class: `failed-group${g.item.critical ? ' critical' : ''}`, id: `item-group-${g.item.key}`, 'data-key': g.item.key, 'data-count': g.failures.length, 'data-critical': g.item.critical ? 'true' : null },
      h('summary', {},
        h('span', { class: 'g-title' }, tx(g.item.text), g.item.critical ? h('span', { class: 'pill critical' }, t('critical')) : null),
        h('span', { class: 'g-stats' },
          h('span', { class: 'pill bad g-count' }, t('belowFullN', g.failures.length, g.answered)),
          h('span', { class: 'g-rate' }, `${t('fullMarks')}: `, h('bdi', {}, t('shareOfVisits', pct(here?.pass_rate)))),
          withComment ? h('span', { class: 'meta' }, t('commentsN', withComment)) : null)),
      h('p', { class: 'meta' }, tx(g.section.title)),
      h('ul', { class: 'cards' }, g.failures.map((f) => {
        const k = n++;
        const photos = (findPhotos(d, f.visit));
        return h('li', { class: 'card failed-answer', 'data-score': f.score },
          // What this visit answered and what it earned: a partial answer says so.
          h('p', { class: 'got' }, `${t('yourAnswer')}: `, h('bdi', { class: 'answer' }, answerWords(f.item, f.visit.answers[f.item.key])), ' · ',
            f.score > 0 ? t('partialScore', pct(f.score)) : t('noPoints')),
          h('p', { class: 'meta' }, f.visit.checked_in_at ? date(f.visit.checked_in_at) : '', ' · ',
            h('a', { href: `#/visit-report/${f.visit.id}?period=${period}&item=${encodeURIComponent(f.item.key)}` }, t('openVisit')), photos.length ? ` · ${t('photosN', photos.length)}` : ''),
          f.comment ? h('p', { class: 'quote' }, h('bdi', {}, f.comment)) : h('p', { class: 'meta' }, t('noComment')),
          open.has(`${f.visit.id}/${f.item.key}`) ? h('p', { class: 'meta' }, t('disputed')) :
            h('details', {}, h('summary', {}, t('fileDispute')), disputeForm(f, k, reload)));
      })));
  };
  const critical = groups.filter((g) => g.item.critical);
  const ordinary = groups.filter((g) => !g.item.critical);
  return h('section', { class: 'panel', id: 'failed' }, h('h2', {}, t('failedItems')),
    groups.length ? h('p', { class: 'meta' }, t('failedSummary', groups.length, groups.reduce((s, g) => s + g.failures.length, 0))) : null,
    groups.length ? h('p', { class: 'meta', id: 'partial-note' }, t('partialNote')) : null,
    // Critical failures in a group of their own, always in view (never under "more items").
    critical.length ? h('div', { class: 'groups critical-groups', id: 'critical-failed' }, h('h3', {}, t('criticalFailed')), critical.map(card)) : null,
    ordinary.length ? h('div', { class: 'groups' }, critical.length ? h('h3', {}, t('otherFailed')) : null, groupCards(ordinary.map(card))) : null,
    groups.length ? null : h('p', {}, t('nothing')));
}

/** The most frequent groups shown, the rest one tap away: a phone keeps the panel to a few screens. */
const SHOWN_GROUPS = 8;
function groupCards(cards) {
  if (cards.length <= SHOWN_GROUPS + 1) return cards;
  return [...cards.slice(0, SHOWN_GROUPS),
    h('details', { class: 'more-groups' }, h('summary', {}, t('moreItems', cards.length - SHOWN_GROUPS)), cards.slice(SHOWN_GROUPS))];
}

/** The attachment references of a visit's photo answers (and evidence, where given). */
function findPhotos(d, visit, onlyKey) {
  const refs = [];
  const doc = d.get(visit.checklist.key);
  for (const s of doc?.sections || []) {
    for (const it of s.items) {
      if (onlyKey && it.key !== onlyKey) continue;
      const a = visit.answers[it.key];
      if (it.type === 'photo' && Array.isArray(a)) refs.push(...a);
      // Evidence photos of non-photo items (`evidence`: item key → attachment ids, or objects
      // with an `id`); a server without the field simply has none.
      const ev = visit.evidence && typeof visit.evidence === 'object' ? visit.evidence[it.key] : null;
      if (Array.isArray(ev)) refs.push(...ev.map((x) => (x && typeof x === 'object' ? x.id : x)));
    }
  }
  return [...new Set(refs.filter((r) => typeof r === 'string' && r))];
}

function disputesPanel(d, disputes) {
  return h('section', { class: 'panel', id: 'disputes' }, h('h2', {}, t('disputes')),
    disputes.length ? h('ul', { class: 'cards' }, disputes.slice(0, 10).map((x) => h('li', { class: 'card' },
      h('p', {}, h('strong', {}, tx(x.item_text) || itemText(d, x.checklist.key, x.item_key))),
      h('p', { class: 'meta' }, `${date(x.created_at)} · `, h('span', { class: `pill ${x.status}` }, t(`status_${x.status}`))),
      h('p', {}, `${t('reason')}: `, h('bdi', {}, x.reason)),
      x.resolution ? h('p', {}, `${t('resolution')}: `, h('bdi', {}, x.resolution.reason || x.resolution)) : null))) : h('p', {}, t('nothing')));
}

/** The change since the previous period of a trend, as words ("+1.2 points since September"). */
function changeLine(trend, period) {
  const now = trend.find((p) => p.period === period);
  const prev = previousOf(period);
  const before = trend.find((p) => p.period === prev);
  if (!now || !prev) return null;
  if (before?.fair_score == null) return h('span', { class: 'delta', 'data-delta': '' }, t('noEarlierPeriod', periodName(prev)));
  const delta = diff(now.fair_score, before.fair_score);
  return h('span', { class: `delta ${delta > 0 ? 'up' : delta < 0 ? 'down' : ''}`, 'data-delta': delta ?? '' }, t('changeSince', points(delta), periodName(prev)));
}

/** The dashboard of branch `branchId` (default: the first branch in scope). */
export async function dashboardView(branchId) {
  const branches = await get('/api/v1/branches');
  if (!branches.length) return [message(t('noData'))];
  const branch = branches.find((b) => b.id === branchId) || branches[0];
  const months = await monthsOf(`/api/v1/scores/branches/${branch.id}`);
  const period = pickPeriod(months);
  const [sc, d, disputes, actions, visits, teams] = await Promise.all([
    get(`/api/v1/scores/branches/${branch.id}?period=${period}`),
    checklistDocs(),
    get(`/api/v1/disputes?branch_id=${branch.id}`).catch(() => []),
    soft(get(`/api/v1/branches/${branch.id}/actions?period=${period}`)),
    soft(get(`/api/v1/branches/${branch.id}/visits?period=${period}`)),
    get(`/api/v1/teams?branch_id=${branch.id}`).catch(() => []),
  ]);
  const reload = () => window.dispatchEvent(new Event('hashchange'));
  const pickBranch = h('select', { id: 'branch', onchange: (e) => { location.hash = `#/dashboard/${e.target.value}?period=${period}`; } },
    branches.map((b) => h('option', { value: b.id, selected: b.id === branch.id }, `${b.code} · ${tx(b.names)}`)));
  const pdfStatus = h('div', { 'aria-live': 'polite', id: 'pdf-status' });
  const failedKeys = new Set(visits.ok ? failedGroups(d, visits.v, disputes).map((g) => g.item.key) : []);
  const used = [...new Set([...(visits.ok ? visits.v.map((v) => v.checklist.key) : []), ...sc.sections.map((s) => s.checklist)])];
  const pdfAr = h('button', { class: 'btn', type: 'button', id: 'pdf-ar', onclick: (e) => downloadPdf(branch, period, 'ar', pdfStatus, e.currentTarget) }, t('pdfAr'));
  const pdfEn = h('button', { class: 'btn secondary', type: 'button', id: 'pdf-en', onclick: (e) => downloadPdf(branch, period, 'en', pdfStatus, e.currentTarget) }, t('pdfEn'));
  return [
    managerTabs('dashboard', period),
    h('div', { class: 'toolbar' }, h('label', { for: 'branch' }, t('branch')), pickBranch, ...periodSelect(months, period, `#/dashboard/${branch.id}`)),
    h('h2', { class: 'unit-title', id: 'unit-title', 'data-period': period }, h('bdi', {}, branch.code), ' · ', h('bdi', {}, tx(branch.names)), ` — ${periodName(period)}`),
    sc.visits === 0 ? message(t('noData')) : null,
    h('div', { class: 'dash' },
      h('div', { class: 'dash-main' },
        h('div', { class: 'scores' },
          scoreCard(t('fair'), sc.fair_score, sc.fair_ci, changeLine(sc.trend, period), 'headline-fair'),
          scoreCard(t('raw'), sc.raw_score, sc.raw_ci, t('visitsN', sc.visits), 'headline-raw'),
          h('div', { class: 'score' }, h('div', { class: 'meta' }, t('peerRank')),
            h('p', { class: 'big' }, sc.peers.rank ? t('rankOf', num(sc.peers.rank), num(sc.peers.of)) : '—'),
            h('p', { class: 'ci' }, sc.peers.region_rank ? `${t('rankOf', num(sc.peers.region_rank), num(sc.peers.region_of))} ${t('inRegion')}` : ''))),
        trendPanel(sc.trend, period),
        h('section', { class: 'panel' }, h('h2', {}, t('sections')),
          sc.sections.length ? sectionChart(sc.sections.map((s) => ({ label: sectionTitle(d, s.checklist, s.key), value: s.score, region: s.region, organisation: s.organisation })),
            t('sections'), [t('branchLabel'), t('regionLabel'), t('orgLabel')]) : h('p', {}, t('nothing'))),
        teams.length ? h('section', { class: 'panel', id: 'teams' }, h('h2', {}, t('teams')),
          h('ul', { class: 'link-list' }, teams.map((tm) => h('li', {}, h('a', { href: `#/team/${tm.id}?period=${period}` }, h('bdi', {}, teamName(tm))))))) : null),
      h('div', { class: 'dash-side' },
        failedPanel(d, sc, visits, disputes, period, reload),
        actions.ok ? actionsPanel(d, branch, period, actions.v, failedKeys, used, reload) : h('section', { class: 'panel', id: 'actions' }, h('h2', {}, t('actions')), failedPanelMessage(t('actions'))),
        h('section', { class: 'panel' }, h('h2', {}, t('systemic')),
          sc.systemic.length ? h('div', { class: 'table-wrap' }, h('table', {}, h('tbody', {}, sc.systemic.map((i) => h('tr', {}, h('td', {}, itemText(d, i.checklist, i.key)), h('td', {}, ownerCell(i.owner)), h('td', {}, pct(i.pass_rate))))))) : h('p', {}, t('nothing'))),
        disputesPanel(d, disputes),
        h('section', { class: 'panel' }, h('h2', {}, t('report')), h('div', { class: 'toolbar' }, pdfAr, pdfEn), pdfStatus),
        managerExports(period))),
  ];
}

/** A systemic issue's owning function in the reader's language; an unknown one as written. */
const ownerCell = (owner) => (owner ? ownerLabel(owner) ?? h('bdi', {}, owner) : '');

/** A team by its name in the reader's language, else its other name, else its code. */
const teamName = (tm) => tx(tm.names) || tm.code || tm.key;

/** A team's page: its scores, trend and sections against its branch and the organisation. */
export async function teamView(teamId) {
  const [tm, months] = await Promise.all([get(`/api/v1/teams/${teamId}`), monthsOf(`/api/v1/scores/teams/${teamId}`)]);
  const period = pickPeriod(months);
  const [sc, d] = await Promise.all([get(`/api/v1/scores/teams/${teamId}?period=${period}`), checklistDocs()]);
  const failing = sc.items.filter((i) => i.failing || (i.pass_rate !== null && i.pass_rate < 1)).sort((a, b) => (a.pass_rate ?? 1) - (b.pass_rate ?? 1)).slice(0, 10);
  return [`${t('team')} · ${teamName(tm)}`, [
    managerTabs(null, period),
    h('div', { class: 'toolbar' }, ...periodSelect(months, period, `#/team/${teamId}`)),
    h('h2', { class: 'unit-title', id: 'unit-title', 'data-period': period }, h('bdi', {}, teamName(tm)), ` — ${periodName(period)}`),
    sc.visits === 0 ? message(t('noData')) : null,
    h('div', { class: 'dash' },
      h('div', { class: 'dash-main' },
        h('div', { class: 'scores' },
          scoreCard(t('fair'), sc.fair_score, sc.fair_ci, changeLine(sc.trend, period), 'headline-fair'),
          scoreCard(t('raw'), sc.raw_score, sc.raw_ci, t('visitsN', sc.visits), 'headline-raw')),
        trendPanel(sc.trend, period)),
      h('div', { class: 'dash-side' },
        h('section', { class: 'panel' }, h('h2', {}, t('sections')),
          sc.sections.length ? sectionChart(sc.sections.map((s) => ({ label: sectionTitle(d, s.checklist, s.key), value: s.score, region: s.branch, organisation: s.organisation })),
            t('sections'), [t('teamLabel'), t('branchLabel'), t('orgLabel')]) : h('p', {}, t('nothing'))),
        h('section', { class: 'panel', id: 'team-items' }, h('h2', {}, t('weakestItems')),
          failing.length ? h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, t('item')), h('th', {}, t('fullMarks')), h('th', {}, t('orgLabel')))),
            h('tbody', {}, failing.map((i) => h('tr', {}, h('td', {}, itemText(d, i.checklist, i.key)), h('td', {}, pct(i.pass_rate)), h('td', {}, pct(i.organisation_pass_rate))))))) : h('p', {}, t('nothing'))))),
  ], `#/dashboard/${tm.branch_id}?period=${period}`];
}

function heatColour(v) {
  if (v === null || v === undefined) return '#f1f3f5';
  // red (low) → amber → green (high), light enough for dark text
  const hue = Math.max(0, Math.min(120, (v - 0.4) / 0.6 * 120));
  return `hsl(${hue.toFixed(0)} 70% 82%)`;
}

/** The section × branch heat map of the league's branches (each branch's own scores). */
function heatMap(d, rows) {
  const sections = [];
  for (const r of rows) for (const s of r.scores?.sections || []) if (!sections.some((x) => x.checklist === s.checklist && x.key === s.key)) sections.push(s);
  if (!sections.length) return h('p', {}, t('nothing'));
  const checklists = [...new Set(sections.map((s) => s.checklist))];
  const cols = rows.filter((r) => r.scores);
  return h('div', { class: 'table-wrap heat-wrap' }, h('table', { class: 'heat', id: 'heatmap' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('section')), cols.map((r) => h('th', { scope: 'col', 'data-branch': r.key }, h('a', { href: r.href }, r.key))))),
    h('tbody', {}, checklists.map((c) => [
      checklists.length > 1 ? h('tr', { class: 'group' }, h('th', { colspan: cols.length + 1, scope: 'colgroup' }, tx(d.get(c)?.title) || c)) : null,
      sections.filter((s) => s.checklist === c).map((s) => h('tr', {},
        h('th', { scope: 'row' }, sectionTitle(d, s.checklist, s.key)),
        cols.map((r) => {
          const v = r.scores.sections.find((x) => x.checklist === s.checklist && x.key === s.key)?.score;
          return h('td', { style: `background:${heatColour(v)}`, 'data-branch': r.key, 'data-section': `${s.checklist}/${s.key}`, title: `${r.key} · ${sectionTitle(d, s.checklist, s.key)}` }, pct(v));
        }))),
    ]))));
}

const SORTS = {
  rank: (r) => r.rank ?? Infinity, code: (r) => r.key, fair: (r) => r.fair_score ?? -Infinity,
  change: (r) => r.change ?? -Infinity, visits: (r) => r.visits,
};

/** The league table of the user's region (admins and QA: the organisation), with the heat map. */
export async function leagueView() {
  const scope = overviewScope();
  if (!scope) { location.replace('#/dashboard'); return [t('league'), []]; }
  const base = scope.kind === 'region' ? `/api/v1/scores/regions/${scope.id}` : '/api/v1/scores/organisation';
  const months = await monthsOf(base);
  const period = pickPeriod(months);
  const prev = previousOf(period);
  const [now, before, branches, d, region] = await Promise.all([
    get(`${base}?period=${period}`),
    prev ? get(`${base}?period=${prev}`).catch(() => null) : null,
    get('/api/v1/branches'),
    checklistDocs(),
    // The region by its name in the reader's language (the scores name it by code only).
    scope.kind === 'region' ? get(`/api/v1/regions/${scope.id}`).catch(() => null) : null,
  ]);
  const unitName = scope.kind === 'region' ? tx(region?.names) || now.key : t('orgLabel');
  const names = new Map(branches.map((b) => [b.id, b]));
  const rows = (now.branches || []).map((b) => {
    const old = before?.branches?.find((x) => x.branch_id === b.branch_id);
    return { ...b, prev: old?.fair_score ?? null, change: diff(b.fair_score, old?.fair_score), href: `#/dashboard/${b.branch_id}?period=${period}`, name: tx(names.get(b.branch_id)?.names) };
  });
  const sort = params().get('sort') || 'rank';
  const dir = params().get('dir') || (sort === 'fair' || sort === 'change' || sort === 'visits' ? 'desc' : 'asc');
  const sorted = [...rows].sort((a, b) => {
    const x = SORTS[sort] || SORTS.rank;
    const [p, q] = [x(a), x(b)];
    const c = typeof p === 'string' ? p.localeCompare(q) : p - q;
    return (dir === 'desc' ? -c : c) || a.key.localeCompare(b.key);
  });
  const head = (key, label, cls) => {
    const active = sort === key;
    const next = active && dir === 'asc' ? 'desc' : active ? 'asc' : (key === 'code' || key === 'rank' ? 'asc' : 'desc');
    return h('th', { scope: 'col', class: cls, 'aria-sort': active ? (dir === 'asc' ? 'ascending' : 'descending') : 'none', 'data-sort': key },
      h('a', { class: 'sort', href: `#/league?period=${period}&sort=${key}&dir=${next}` }, label, h('span', { 'aria-hidden': 'true' }, active ? (dir === 'asc' ? ' ▲' : ' ▼') : ' ↕')));
  };
  const table = h('div', { class: 'table-wrap' }, h('table', { class: 'league', id: 'league' },
    h('thead', {}, h('tr', {}, head('rank', t('rank')), head('code', t('branch')), head('fair', t('fair')), h('th', { scope: 'col', class: 'hide-narrow' }, t('interval')), head('change', prev ? t('changeSinceShort', periodName(prev, 'short')) : t('change')), head('visits', t('visits'), 'hide-narrow'))),
    h('tbody', {}, sorted.map((r) => h('tr', { 'data-branch': r.branch_id, 'data-key': r.key, class: 'drill', onclick: (e) => { if (!e.target.closest('a')) location.hash = r.href; } },
      h('td', { class: 'rank' }, r.rank ? num(r.rank) : '—'),
      h('td', { class: 'branch' }, h('a', { href: r.href }, r.key), h('span', { class: 'meta name' }, ` ${r.name || ''}`)),
      // On a phone the interval and the visits sit under the score (their columns are hidden there).
      h('td', { class: 'fair' }, h('strong', {}, pct(r.fair_score)), h('div', { class: 'ci show-narrow' }, h('bdi', {}, ci(r.fair_ci))), h('div', { class: 'ci show-narrow' }, t('visitsN', r.visits))),
      h('td', { class: 'ci hide-narrow' }, h('bdi', {}, ci(r.fair_ci))),
      h('td', { class: `change delta ${r.change > 0 ? 'up' : r.change < 0 ? 'down' : ''}` }, points(r.change)),
      h('td', { class: 'visits hide-narrow' }, num(r.visits)))))));
  // The heat map needs each branch's sections: one request per branch, in parallel.
  const heat = h('section', { class: 'panel', id: 'heat' }, h('h2', {}, t('heatMap')), h('p', { class: 'msg loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), t('loading')));
  const heatRows = scope.kind === 'region' ? rows : rows.slice(0, 0);
  if (heatRows.length) {
    Promise.all(heatRows.map((r) => get(`/api/v1/scores/branches/${r.branch_id}?period=${period}`).then((s) => ({ ...r, scores: s }), () => ({ ...r, scores: null }))))
      .then((list) => {
        const sortedList = [...list].sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.key.localeCompare(b.key));
        heat.replaceChildren(h('h2', {}, t('heatMap')), h('p', { class: 'meta' }, t('heatNote')), heatMap(d, sortedList),
          ...(list.some((r) => !r.scores) ? [failedPanelMessage(t('heatMap'))] : []));
        heat.dataset.ready = 'true';
      });
  } else {
    heat.replaceChildren(h('h2', {}, t('heatMap')), h('p', { class: 'meta' }, t('heatRegionOnly')));
    heat.dataset.ready = 'true';
  }
  const title = `${t('league')} · ${unitName}`;
  return [title, [
    managerTabs('league', period),
    h('div', { class: 'toolbar' }, ...periodSelect(months, period, '#/league')),
    h('h2', { class: 'unit-title', id: 'unit-title', 'data-period': period }, h('bdi', {}, unitName), ` — ${periodName(period)}`),
    h('div', { class: 'scores' },
      scoreCard(t('fair'), now.fair_score, now.fair_ci, changeLine(now.trend, period), 'headline-fair'),
      scoreCard(t('raw'), now.raw_score, now.raw_ci, t('visitsN', now.visits), 'headline-raw')),
    h('div', { class: 'dash' },
      h('div', { class: 'dash-main' }, h('section', { class: 'panel', id: 'league-panel' }, h('h2', {}, t('leagueTitle')), h('p', { class: 'meta' }, t('leagueNote')), rows.length ? table : h('p', {}, t('nothing')))),
      h('div', { class: 'dash-side' }, trendPanel(now.trend, period), managerExports(period))),
    heat,
  ]];
}

const answerText = answerWords;

/** An approved visit as a manager reads it: answers by section with photos and comments; never the shopper. */
export async function visitReportView(visitId) {
  const visit = await get(`/api/v1/visits/${visitId}`);
  const [checklist, branches] = await Promise.all([get(`/api/v1/checklists/${visit.checklist.key}/versions/${visit.checklist.version}`), get('/api/v1/branches').catch(() => [])]);
  const branch = branches.find((b) => b.id === visit.branch_id);
  const doc = checklist.document;
  const d = new Map([[visit.checklist.key, doc]]);
  const period = params().get('period');
  const criticalFails = [];
  const sections = (doc.sections || []).map((s) => {
    const rows = s.items.filter((it) => it.type !== 'note' && visit.answers[it.key] !== undefined).map((it) => {
      const score = itemScore(it, visit.answers[it.key]);
      const photos = findPhotos(d, visit, it.key);
      const failed = score !== null && score < 1;
      if (failed && it.critical) criticalFails.push(it);
      // `data-target-item`: a link with `?item=<key>` lands here (app.js focusTarget).
      return h('li', { class: `card${failed ? ' failed' : ''}${failed && it.critical ? ' critical' : ''}`, id: `answer-${it.key}`, 'data-key': it.key, 'data-target-item': it.key, tabindex: '-1' },
        h('p', {}, h('strong', {}, tx(it.text)), ' ', failed && it.critical ? h('span', { class: 'pill critical' }, t('critical')) : null,
          score === 0 ? h('span', { class: 'pill bad' }, t('failed')) : failed ? h('span', { class: 'pill bad' }, t('partialScore', pct(score))) : null),
        h('p', {}, `${t('yourAnswer')}: `, h('bdi', { class: 'answer' }, answerText(it, visit.answers[it.key]))),
        photoStrip(photos),
        visit.comments[it.key] ? h('p', { class: 'quote' }, h('bdi', {}, visit.comments[it.key])) : null);
    });
    return rows.length ? h('section', { class: 'panel' }, h('h2', {}, tx(s.title)), h('ul', { class: 'cards answers-grid' }, rows)) : null;
  }).filter(Boolean);
  const where = branch ? `${branch.code} · ${tx(branch.names)}` : '—';
  const facts = [[t('branch'), where], [t('checkedIn'), dateTime(visit.checked_in_at)], [t('duration'), visit.duration_s ? t('minutes', Math.round(visit.duration_s / 60)) : '—'], [t('checklists'), tx(doc.title)]];
  const q = period ? `?period=${period}` : '';
  return [branch ? t('visitAt', branch.code, date(visit.checked_in_at)) : t('visit'), [
    h('section', { class: 'panel' }, h('dl', { class: 'facts', id: 'visit-facts' }, facts.map(([k, v]) => [h('dt', {}, k), h('dd', {}, h('bdi', {}, v))])),
      h('p', { class: 'meta' }, t('anonymous'))),
    // A failed critical item fails the visit: named first, each a link to its answer.
    criticalFails.length ? h('section', { class: 'panel critical-groups', id: 'critical-failed' }, h('h2', {}, t('criticalFailed')),
      h('ul', {}, criticalFails.map((it) => h('li', {}, h('a', { href: `#/visit-report/${visitId}${q}${q ? '&' : '?'}item=${encodeURIComponent(it.key)}` }, tx(it.text)), ' ', h('span', { class: 'pill critical' }, t('critical')))))) : null,
    ...sections,
  ], `#/dashboard/${visit.branch_id}${period ? `?period=${period}` : ''}`];
}
