// The shopper's screens: assignments, start visit (check-in time and place), the checklist one
// section at a time, the review screen, submit. Every change is written to IndexedDB at once;
// submitting hands the visit to the queue (sync.js), which sends it when it can.

import { get, OfflineError } from './api.js';
import { date, dateTime, t, tx } from './i18n.js';
import { visibleItems } from './condition.js';
import { allItems, isAnswered, missing, needsPhoto, renderSection } from './checklist.js';
import { nowLocal, preparePhoto } from './photo.js';
import { getItem, putItem } from './store.js';
import { enqueue, forget, LOCAL, queued } from './sync.js';
import { h, message } from './ui.js';

export const checklistUrl = (c) => `/api/v1/checklists/${encodeURIComponent(c.key)}/versions/${c.version}`;

function directions(branch) {
  const loc = branch.location;
  if (!loc) return null;
  return h('a', { href: `https://www.openstreetmap.org/?mlat=${loc.lat}&mlon=${loc.lon}#map=18/${loc.lat}/${loc.lon}`, target: '_blank', rel: 'noopener' }, t('directions'));
}

/** My assignments, with their due dates, branch, scenario and what is on the device. */
export async function assignmentsView() {
  let list;
  try {
    list = await get('/api/v1/assignments');
  } catch (e) {
    return [message(e instanceof OfflineError ? t('sync_waiting') : e.message, 'error')];
  }
  const open = list.filter((a) => ['offered', 'accepted', 'returned', 'submitted'].includes(a.status));
  // Fetch every assigned checklist now, so the service worker has it when the connection goes.
  for (const c of new Set(open.map((a) => checklistUrl(a.checklist)))) get(c).catch(() => {});
  if (!open.length) return [message(t('noAssignments'))];
  const cards = [];
  for (const a of open) {
    const q = await queued(a.id);
    const draft = await getItem('drafts', a.id);
    const state = q ? t(`sync_${q.state === 'failed' ? 'failed' : q.state === 'sent' ? 'sent' : 'waiting'}`) : draft ? t('sync_saved') : null;
    const action = a.status === 'returned' ? t('fix') : a.status === 'submitted' ? null : draft ? t('continue') : t('start');
    cards.push(h('li', { class: 'card assignment', 'data-id': a.id },
      h('h2', {}, tx(a.branch.names)),
      h('p', { class: 'meta' }, `${a.branch.code} · ${tx(a.branch.city)}`),
      h('dl', {},
        h('dt', {}, t('due')), h('dd', {}, date(a.window.end)),
        h('dt', {}, t('window')), h('dd', {}, `${dateTime(a.window.start)} – ${dateTime(a.window.end)}`),
        a.scenario ? [h('dt', {}, t('scenario')), h('dd', {}, a.scenario)] : null),
      h('p', { class: 'status' }, h('span', { class: `pill ${a.status}` }, t(`status_${a.status}`)), state ? h('span', { class: 'pill device' }, state) : null),
      h('p', { class: 'actions' }, directions(a.branch), action ? h('a', { class: 'btn', href: `#/visit/${a.id}/0` }, action) : null)));
  }
  return [h('ul', { class: 'cards' }, cards)];
}

function emptyDraft() {
  return { answers: {}, comments: {}, evidence: {}, checked_in_at: null, location: null, started_ms: null };
}

async function loadVisit(id) {
  const a = await get(`/api/v1/assignments/${id}`);
  const doc = (await get(checklistUrl(a.checklist))).document;
  let draft = await getItem('drafts', id);
  let qaNotes = null;
  if (a.status === 'returned' && a.visit) {
    const visit = await get(`/api/v1/visits/${a.visit.id}`);
    qaNotes = visit.reviews?.[0] || null;
    const q = await queued(id);
    if (q && q.state === 'sent') await forget(id);
    if (!draft) {
      draft = emptyDraft();
      draft.answers = { ...visit.answers };
      draft.comments = { ...visit.comments };
      draft.checked_in_at = visit.checked_in_at;
      draft.location = visit.location;
      draft.started_ms = Date.now();
      // Evidence photos already on the server stay referenced by their ids (photo items keep
      // theirs in the answers).
      const uploads = await get(`/api/v1/assignments/${id}/attachments`).catch(() => []);
      for (const item of allItems(doc).map((x) => x.item)) {
        if (item.evidence?.photo && item.type !== 'photo') {
          draft.evidence[item.key] = uploads.filter((u) => u.item === item.key).map((u) => u.id);
        }
      }
    }
  }
  return { a, doc, draft: draft || emptyDraft(), qaNotes };
}

const thumbs = new Map();
async function thumb(ref) {
  if (!ref.startsWith(LOCAL)) return h('span', { class: 'thumb stored', title: ref }, '🖼');
  let url = thumbs.get(ref);
  if (!url) {
    const p = await getItem('photos', ref);
    if (!p) return h('span', { class: 'thumb' }, '?');
    url = URL.createObjectURL(p.blob);
    thumbs.set(ref, url);
  }
  return h('img', { class: 'thumb', src: url, alt: t('photos') });
}

function checkIn(draft, save, rerender) {
  const startBtn = h('button', {
    class: 'btn big', type: 'button',
    onclick: async () => {
      startBtn.disabled = true;
      draft.checked_in_at = nowLocal();
      draft.started_ms = Date.now();
      await save();
      // Location only with the shopper's permission, and never blocking the visit.
      if (navigator.geolocation) {
        navigator.geolocation.getCurrentPosition(async (pos) => {
          draft.location = { lat: +pos.coords.latitude.toFixed(6), lon: +pos.coords.longitude.toFixed(6) };
          await save();
        }, () => {}, { timeout: 10000, maximumAge: 60000 });
      }
      rerender();
    },
  }, t('start'));
  return startBtn;
}

/** Answers fit for the server: only shown items, only what is answered. */
export function submissionOf(doc, draft) {
  const shown = visibleItems(doc, draft.answers);
  const answers = {};
  const comments = {};
  const evidence = {};
  for (const { item } of allItems(doc)) {
    if (!shown.has(item.key) || item.type === 'note') continue;
    const v = draft.answers[item.key];
    if (isAnswered(v)) answers[item.key] = v;
    const c = (draft.comments[item.key] || '').trim();
    if (c) comments[item.key] = c;
    if (item.evidence?.photo && item.type !== 'photo' && (needsPhoto(item, v) || draft.evidence[item.key]?.length)) {
      evidence[item.key] = draft.evidence[item.key] || [];
    }
  }
  const out = { answers, comments, checked_in_at: draft.checked_in_at, location: draft.location || null, evidence };
  if (draft.started_ms) out.duration_s = Math.max(0, Math.round((Date.now() - draft.started_ms) / 1000));
  return out;
}

function queueStatus(q, id) {
  if (q.state === 'failed') {
    const failed = message(t('sync_failed'), 'error');
    failed.id = 'visit-failed';
    return [failed,
      h('ul', { class: 'problems' }, q.problems.map((p) => h('li', {}, `${p.path.replace('/answers/', '')}: ${p.problem}`))),
      h('button', { class: 'btn', type: 'button', onclick: async () => { await forget(id); window.dispatchEvent(new Event('hashchange')); } }, t('fix'))];
  }
  const done = message(q.state === 'sent' ? t('sent') : t('queued'), q.state === 'sent' ? 'ok' : 'info');
  done.id = `visit-${q.state}`;
  return [done,
    h('p', {}, h('a', { class: 'btn secondary', href: '#/' }, t('myAssignments')))];
}

/** One visit: check-in, section `step` (a number) or the review screen (`review`). */
export async function visitView(id, step) {
  const q = await queued(id);
  let loaded;
  try {
    loaded = await loadVisit(id);
  } catch (e) {
    if (q) return queueStatus(q, id);
    return [message(e instanceof OfflineError ? t('sync_waiting') : e.message, 'error')];
  }
  const { a, doc, draft, qaNotes } = loaded;
  // Anything queued (and not a sent revision QA has returned since) shows its state, not a form.
  const q2 = await queued(id);
  if (q2) return queueStatus(q2, id);
  if (a.status === 'submitted' || a.status === 'approved') return [message(t(`status_${a.status}`))];

  const root = h('div', { class: 'visit' });
  const save = async () => {
    draft.saved_at = new Date().toISOString();
    await putItem('drafts', id, draft);
    window.dispatchEvent(new CustomEvent('sirr:sync', { detail: 'saved' }));
  };
  const header = [h('p', { class: 'meta' }, `${tx(a.branch.names)} · ${tx(doc.title)}`),
    qaNotes ? h('div', { class: 'qa-note' }, h('strong', {}, `${t('qaNotes')}: `), qaNotes.note || '') : null].filter(Boolean);

  const render = () => {
    if (!draft.checked_in_at) {
      root.replaceChildren(...header, a.scenario ? h('p', {}, `${t('scenario')}: ${a.scenario}`) : '', checkIn(draft, save, render));
      return;
    }
    const last = doc.sections.length - 1;
    if (step === 'review') { root.replaceChildren(...header, reviewScreen(id, doc, draft)); return; }
    const si = Math.min(Math.max(0, Number(step) || 0), last);
    const listeners = new Map();
    let view;
    const ctx = {
      answers: draft.answers,
      comments: draft.comments,
      qaComments: qaNotes?.item_comments,
      now: nowLocal,
      toRfc3339: (local) => localToRfc(local, new Date(local)),
      onAnswer: (key, value) => {
        if (value === undefined) delete draft.answers[key]; else draft.answers[key] = value;
        view.update();
        save();
      },
      onComment: (key, text) => { draft.comments[key] = text; save(); },
      photoRefs: (key) => (doc.sections[si].items.find((i) => i.key === key)?.type === 'photo' ? draft.answers[key] : draft.evidence[key]),
      onPhotoListChange: (key, fn) => listeners.set(key, fn),
      thumb: (ref) => { const span = h('span'); thumb(ref).then((el) => span.replaceWith(el)); return span; },
      onPhoto: async (key, file) => {
        const p = await preparePhoto(file);
        const ref = `${LOCAL}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
        await putItem('photos', ref, { item: key, ...p });
        const isPhotoItem = doc.sections[si].items.find((i) => i.key === key)?.type === 'photo';
        if (isPhotoItem) draft.answers[key] = [...(draft.answers[key] || []), ref];
        else draft.evidence[key] = [...(draft.evidence[key] || []), ref];
        await save();
        listeners.get(key)?.();
        view.update();
      },
    };
    view = renderSection(doc, si, ctx);
    view.update();
    const nav = h('nav', { class: 'steps' },
      si > 0 ? h('a', { class: 'btn secondary', href: `#/visit/${id}/${si - 1}` }, t('previous')) : h('span'),
      si < last ? h('a', { class: 'btn', href: `#/visit/${id}/${si + 1}` }, t('next')) : h('a', { class: 'btn', href: `#/visit/${id}/review` }, t('review')));
    root.replaceChildren(...header, view.el, nav);
  };
  render();
  return [root];
}

function localToRfc(local, d) {
  const m = -d.getTimezoneOffset();
  const a = Math.abs(m);
  const off = `${m >= 0 ? '+' : '-'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
  return `${local.length === 16 ? `${local}:00` : local}${off}`;
}

function reviewScreen(id, doc, draft) {
  const gaps = missing(doc, draft);
  const submit = h('button', {
    class: 'btn big', type: 'button', disabled: gaps.length > 0,
    onclick: async () => {
      submit.disabled = true;
      await enqueue(id, submissionOf(doc, draft));
      window.dispatchEvent(new Event('hashchange'));
    },
  }, t('submit'));
  return h('div', { class: 'review' },
    h('h2', {}, t('reviewTitle')),
    gaps.length
      ? [h('h3', {}, t('missing')), h('ul', { class: 'missing' }, gaps.map((g) => h('li', {},
        h('a', { href: `#/visit/${id}/${g.si}?item=${g.item.key}` }, tx(g.item.text)), ` — ${g.why}`)))]
      : message(t('nothingMissing'), 'ok'),
    h('nav', { class: 'steps' }, h('a', { class: 'btn secondary', href: `#/visit/${id}/${doc.sections.length - 1}` }, t('previous')), submit));
}
