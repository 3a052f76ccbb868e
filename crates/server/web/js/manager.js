// The manager's dashboard for one branch of their scope and one month: raw and fair scores
// with intervals, the trend and section charts, failed and systemic items, the peer rank,
// disputes (file and follow), action plans, and the PDF report in either language.

import { api, get } from './api.js';
import { date, lang, num, pct, t, tx } from './i18n.js';
import { sectionChart, trendChart } from './charts.js';
import { itemScore } from './checklist.js';
import { h, message, saveBlob } from './ui.js';

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
function itemText(d, checklist, key) {
  for (const s of d.get(checklist)?.sections || []) {
    const it = s.items.find((i) => i.key === key);
    if (it) return tx(it.text);
  }
  return key;
}
const ci = (c) => (c ? `${pct(c[0])} – ${pct(c[1])}` : '—');

function scoreCard(label, value, interval, extra) {
  return h('div', { class: 'score' }, h('div', { class: 'meta' }, label), h('p', { class: 'big' }, pct(value)),
    h('p', { class: 'ci' }, `${t('interval')}: ${ci(interval)}`), extra ? h('p', { class: 'ci' }, extra) : null);
}

async function downloadPdf(branch, period, language, status) {
  status.replaceChildren();
  try {
    const blob = await api('GET', `/api/v1/reports/branches/${branch.id}.pdf?period=${period}&lang=${language}`, { blob: true });
    saveBlob(blob, `sirr-${branch.code}-${period}-${language}.pdf`);
  } catch (e) {
    status.replaceChildren(message(`${t('pdfFailed')} (${e.message})`, 'error'));
  }
}

function actionsPanel(branch, period, actions, reload) {
  const action = h('input', { type: 'text', id: 'new-action', name: 'action', required: true });
  const owner = h('input', { type: 'text', id: 'new-owner', name: 'owner', required: true });
  const due = h('input', { type: 'date', id: 'new-due', name: 'due_on', required: true });
  const err = h('div', { 'aria-live': 'polite' });
  const form = h('form', {
    class: 'row-form',
    onsubmit: async (e) => {
      e.preventDefault();
      try {
        await api('POST', `/api/v1/branches/${branch.id}/actions`, { body: { period, action: action.value, owner: owner.value, due_on: due.value } });
        reload();
      } catch (x) { err.replaceChildren(message(x.details.map((d) => d.problem).join('; ') || x.message, 'error')); }
    },
  }, h('label', { for: 'new-action' }, t('action')), action, h('label', { for: 'new-owner' }, t('owner')), owner,
  h('label', { for: 'new-due' }, t('dueOn')), due, err, h('button', { class: 'btn', type: 'submit' }, t('add')));
  return h('section', { class: 'panel', id: 'actions' }, h('h2', {}, t('actions')),
    actions.length ? h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, t('action')), h('th', {}, t('owner')), h('th', {}, t('dueOn')), h('th', {}, ''))),
      h('tbody', {}, actions.map((a) => h('tr', {}, h('td', {}, a.action), h('td', {}, a.owner), h('td', {}, date(a.due_on)),
        h('td', {}, h('span', { class: `pill ${a.status}` }, t(`status_${a.status}`))))))) : h('p', {}, t('nothing')),
    form);
}

// Every failed answer (item score 0) of the period's visits, with the shopper's comment, and a
// dispute form for each (the visit's date is shown, never who made it).
function failedAnswers(d, visits) {
  const out = [];
  for (const v of visits) {
    const doc = d.get(v.checklist.key);
    if (!doc) continue;
    for (const s of doc.sections) {
      for (const item of s.items) {
        if (itemScore(item, v.answers[item.key]) === 0) out.push({ visit: v, item, comment: v.comments[item.key] });
      }
    }
  }
  return out;
}

function disputeForm(f, n, done) {
  const reason = h('textarea', { id: `dr-${n}`, rows: 2, required: true });
  const evidence = h('input', { type: 'text', id: `de-${n}` });
  const err = h('div', { 'aria-live': 'polite' });
  return h('form', {
    class: 'row-form',
    onsubmit: async (e) => {
      e.preventDefault();
      try {
        await api('POST', `/api/v1/visits/${f.visit.id}/disputes`, { body: { item_key: f.item.key, reason: reason.value, ...(evidence.value ? { evidence: evidence.value } : {}) } });
        done();
      } catch (x) { err.replaceChildren(message(x.details.map((d) => d.problem).join('; ') || x.message, 'error')); }
    },
  }, h('label', { for: `dr-${n}` }, t('reason')), reason, h('label', { for: `de-${n}` }, t('evidence')), evidence, err,
  h('button', { class: 'btn', type: 'submit' }, t('send')));
}

function failedPanel(d, visits, disputes, reload) {
  const open = new Set(disputes.filter((x) => x.status === 'open' || x.status === 'overturned').map((x) => `${x.visit_id}/${x.item_key}`));
  const failed = failedAnswers(d, visits);
  return h('section', { class: 'panel', id: 'failed' }, h('h2', {}, t('failedItems')),
    failed.length ? h('ul', { class: 'cards' }, failed.slice(0, 30).map((f, n) => h('li', { class: 'card failed-answer' },
      h('p', {}, h('strong', {}, tx(f.item.text))),
      h('p', { class: 'meta' }, f.visit.checked_in_at ? date(f.visit.checked_in_at) : ''),
      f.comment ? h('p', {}, `${t('comment')}: ${f.comment}`) : null,
      open.has(`${f.visit.id}/${f.item.key}`) ? h('p', { class: 'meta' }, t('disputes')) :
        h('details', {}, h('summary', {}, t('fileDispute')), disputeForm(f, n, reload))))) : h('p', {}, t('nothing')));
}

function disputesPanel(d, disputes) {
  return h('section', { class: 'panel', id: 'disputes' }, h('h2', {}, t('disputes')),
    disputes.length ? h('ul', { class: 'cards' }, disputes.slice(0, 10).map((x) => h('li', { class: 'card' },
      h('p', {}, h('strong', {}, tx(x.item_text) || itemText(d, x.checklist.key, x.item_key))),
      h('p', { class: 'meta' }, `${date(x.created_at)} · `, h('span', { class: `pill ${x.status}` }, t(`status_${x.status}`))),
      h('p', {}, `${t('reason')}: ${x.reason}`),
      x.resolution ? h('p', {}, `${t('resolution')}: ${x.resolution.reason || x.resolution}`) : null))) : h('p', {}, t('nothing')));
}

/** The dashboard of branch `branchId` (default: the first branch in scope). */
export async function dashboardView(branchId) {
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  const branches = await get('/api/v1/branches');
  if (!branches.length) return [message(t('noData'))];
  const branch = branches.find((b) => b.id === branchId) || branches[0];
  const all = await get(`/api/v1/scores/branches/${branch.id}`);
  const months = all.trend.map((p) => p.period);
  const period = params.get('period') || months[months.length - 1] || new Date().toISOString().slice(0, 7);
  const [sc, d, disputes, actions, visits] = await Promise.all([
    get(`/api/v1/scores/branches/${branch.id}?period=${period}`),
    checklistDocs(),
    get(`/api/v1/disputes?branch_id=${branch.id}`).catch(() => []),
    get(`/api/v1/branches/${branch.id}/actions?period=${period}`).catch(() => []),
    get(`/api/v1/branches/${branch.id}/visits?period=${period}`).catch(() => []),
  ]);
  const go = (b, p) => { location.hash = `#/dashboard/${b}?period=${p}`; };
  const pickBranch = h('select', { id: 'branch', onchange: (e) => go(e.target.value, period) },
    branches.map((b) => h('option', { value: b.id, selected: b.id === branch.id }, `${b.code} · ${tx(b.names)}`)));
  const pickPeriod = h('select', { id: 'period', onchange: (e) => go(branch.id, e.target.value) },
    [...months].reverse().map((m) => h('option', { value: m, selected: m === period }, new Intl.DateTimeFormat(lang() === 'ar' ? 'ar-SA-u-ca-gregory' : 'en-GB', { month: 'long', year: 'numeric' }).format(new Date(`${m}-15`)))));
  const pdfStatus = h('div', { 'aria-live': 'polite' });
  const monthShort = new Intl.DateTimeFormat(lang() === 'ar' ? 'ar-SA-u-ca-gregory' : 'en-GB', { month: 'short' });
  const body = [
    h('div', { class: 'toolbar' }, h('label', { for: 'branch' }, t('branch')), pickBranch, h('label', { for: 'period' }, t('period')), pickPeriod),
    sc.visits === 0 ? message(t('noData')) : null,
    h('div', { class: 'scores' },
      scoreCard(t('raw'), sc.raw_score, sc.raw_ci, `${num(sc.visits)} ${t('visits')}`),
      scoreCard(t('fair'), sc.fair_score, sc.fair_ci),
      h('div', { class: 'score' }, h('div', { class: 'meta' }, t('peerRank')),
        h('p', { class: 'big' }, sc.peers.rank ? t('rankOf', num(sc.peers.rank), num(sc.peers.of)) : '—'),
        h('p', { class: 'ci' }, sc.peers.region_rank ? `${t('rankOf', num(sc.peers.region_rank), num(sc.peers.region_of))} ${t('inRegion')}` : ''))),
    h('section', { class: 'panel' }, h('h2', {}, t('trend')),
      trendChart(all.trend.map((p) => ({ label: monthShort.format(new Date(`${p.period}-15`)), value: p.fair_score, low: p.fair_ci?.[0], high: p.fair_ci?.[1] })), `${t('trend')} (${t('fair')})`)),
    h('section', { class: 'panel' }, h('h2', {}, t('sections')),
      sc.sections.length ? sectionChart(sc.sections.map((s) => ({ label: sectionTitle(d, s.checklist, s.key), value: s.score, region: s.region, organisation: s.organisation })),
        t('sections'), [t('branchLabel'), t('regionLabel'), t('orgLabel')]) : h('p', {}, t('nothing'))),
    failedPanel(d, visits, disputes, () => window.dispatchEvent(new Event('hashchange'))),
    h('section', { class: 'panel' }, h('h2', {}, t('systemic')),
      sc.systemic.length ? h('table', {}, h('tbody', {}, sc.systemic.map((i) => h('tr', {}, h('td', {}, itemText(d, i.checklist, i.key)), h('td', {}, i.owner || ''), h('td', {}, pct(i.pass_rate)))))) : h('p', {}, t('nothing'))),
    disputesPanel(d, disputes),
    actionsPanel(branch, period, actions, () => window.dispatchEvent(new Event('hashchange'))),
    h('section', { class: 'panel' }, h('div', { class: 'toolbar' },
      h('button', { class: 'btn', type: 'button', id: 'pdf-ar', onclick: () => downloadPdf(branch, period, 'ar', pdfStatus) }, t('pdfAr')),
      h('button', { class: 'btn secondary', type: 'button', id: 'pdf-en', onclick: () => downloadPdf(branch, period, 'en', pdfStatus) }, t('pdfEn'))), pdfStatus),
  ];
  return body;
}
