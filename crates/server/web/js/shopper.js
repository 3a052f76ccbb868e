// The shopper's screens: assignments, start visit (check-in time and place), the checklist one
// section at a time, the review screen, submit, and the outcome of a queued visit. Every change
// is written to IndexedDB before the status says "saved"; submitting hands the visit to the
// queue (sync.js), which sends it when it can. Everything is keyed by the signed-in shopper.

import { api, ApiError, me, OfflineError } from './api.js';
import { dateTime, num, t, tx, windowEnd } from './i18n.js';
import { visibleItems } from './condition.js';
import { allItems, isAnswered, missing, needsPhoto, renderSection } from './checklist.js';
import { bundleNow, checklistUrl, keptAssignments, keptBundle, OPEN_STATUSES, refreshAssignments } from './offline.js';
import { nowLocal, preparePhoto } from './photo.js';
import { allOwn, deleteItem, getItem, own, putItem } from './store.js';
import { discard, enqueue, flush, forget, LOCAL, queued, setDraftState } from './sync.js';
import { confirmDialog, h, message, photoViewer } from './ui.js';


const uid = () => me()?.id;
const draftKey = (id) => own(uid(), id);

function directions(branch) {
  const loc = branch.location;
  if (!loc) return null;
  return h('a', { href: `https://www.openstreetmap.org/?mlat=${loc.lat}&mlon=${loc.lon}#map=18/${loc.lat}/${loc.lon}`, target: '_blank', rel: 'noopener' }, t('directions'));
}

/** What the phone holds about an assignment, in the shopper's words. */
function deviceState(q, draft) {
  if (q) {
    if (q.state === 'sent') return ['sent', t('sync_sent')];
    if (q.state === 'waiting') return ['waiting', t('device_waiting')];
    return ['attention', t('sync_attention')];
  }
  if (draft && (Object.keys(draft.answers || {}).length || draft.checked_in_at)) return ['saved', t('draft_saved')];
  return null;
}

function assignmentCard(a, { q, draft, ready, gone = false }) {
  // Returned or rejected since it was sent: QA's decision is the news, not "sent".
  const dev = deviceState(q?.state === 'sent' && ['returned', 'rejected'].includes(a.status) ? null : q, draft);
  // Only work still to be done needs to be ready offline.
  const showOffline = !gone && ['offered', 'accepted', 'returned'].includes(a.status);
  let action = null;
  if (q && q.state !== 'sent') action = h('a', { class: 'btn', href: `#/visit/${a.id}/0` }, q.state === 'waiting' ? t('view') : t('openOutcome'));
  else if (!gone && a.status === 'returned') action = h('a', { class: 'btn', href: `#/visit/${a.id}/0` }, t('fix'));
  else if (!gone && a.status === 'rejected') action = h('a', { class: 'btn secondary', href: `#/visit/${a.id}/0` }, t('view'));
  else if (!gone && a.status !== 'submitted') action = h('a', { class: 'btn', href: `#/visit/${a.id}/0` }, draft ? t('continue') : t('start'));
  return h('li', { class: 'card assignment', 'data-id': a.id, 'data-ready': ready ? 'true' : 'false' },
    h('h2', {}, tx(a.branch.names)),
    h('p', { class: 'meta' }, h('bdi', {}, a.branch.code), tx(a.branch.city) ? [' · ', tx(a.branch.city)] : null),
    h('dl', {},
      h('dt', {}, t('due')), h('dd', {}, h('bdi', {}, windowEnd(a.window.end))),
      h('dt', {}, t('window')), h('dd', {}, h('bdi', {}, `${dateTime(a.window.start)} – ${windowEnd(a.window.end)}`)),
      a.scenario ? [h('dt', {}, t('scenario')), h('dd', {}, h('bdi', {}, a.scenario))] : null,
      // The brief in the shopper's language (QA writes it in both).
      a.scenario_brief && tx(a.scenario_brief) ? [h('dt', {}, t('scenarioBrief')), h('dd', { class: 'scenario-brief' }, tx(a.scenario_brief))] : null),
    h('p', { class: 'status' },
      h('span', { class: `pill ${gone ? 'cancelled' : a.status}` }, gone ? t('status_withdrawn') : t(`status_${a.status}`)),
      dev ? h('span', { class: `pill device ${dev[0]}` }, dev[1]) : null,
      showOffline ? h('span', { class: `pill offline ${ready ? 'ready' : 'not-ready'}` }, ready ? t('readyOffline') : t('notReadyOffline')) : null),
    h('p', { class: 'actions' }, gone ? null : directions(a.branch), action));
}

let currentList = null;

/** My assignments, with their due dates, branch, scenario and what is on the device. */
export async function assignmentsView() {
  onScreen = null;
  let list;
  let notice = null;
  try {
    list = await refreshAssignments();
  } catch (e) {
    if (!(e instanceof OfflineError)) throw e;
    list = await keptAssignments();
    notice = message(list ? t('offlineList') : t('offlineNoList'), list ? 'info' : 'error');
    if (!list) return [notice];
  }
  const me_ = uid();
  const queue = new Map(await allOwn('queue', me_));
  const drafts = new Map(await allOwn('drafts', me_));
  const bundles = new Set((await allOwn('bundles', me_)).map(([id]) => id));
  const open = list.filter((a) => OPEN_STATUSES.includes(a.status));
  const cards = open.map((a) => assignmentCard(a, { q: queue.get(a.id), draft: drafts.get(a.id), ready: bundles.has(a.id) }));
  // Work on the phone whose assignment left the list (cancelled, reassigned): never hidden.
  const shown = new Set(open.map((a) => a.id));
  for (const [id, q] of queue) {
    if (shown.has(id) || q.state === 'sent') continue;
    const a = q.assignment || (await keptBundle(id))?.assignment || drafts.get(id)?.assignment;
    if (!a) continue;
    shown.add(id);
    cards.unshift(assignmentCard(a, { q, draft: drafts.get(id), ready: false, gone: q.state === 'gone' }));
  }
  if (!cards.length) return [notice, message(t('noAssignments'))].filter(Boolean);
  const ul = h('ul', { class: 'cards' }, cards);
  // Cards say "ready offline" as soon as their bundle is stored.
  const onBundled = (e) => {
    if (currentList !== ul) { window.removeEventListener('sirr:bundled', onBundled); return; }
    const card = ul.querySelector(`li[data-id="${CSS.escape(e.detail)}"]`);
    const pill = card?.querySelector('.pill.offline');
    if (!card || !pill) return;
    card.dataset.ready = 'true';
    pill.className = 'pill offline ready';
    pill.textContent = t('readyOffline');
  };
  currentList = ul;
  window.addEventListener('sirr:bundled', onBundled);
  // A queued visit sent (or refused) while the list is on the screen: show it as it now is.
  const onQueue = () => {
    window.removeEventListener('sirr:queue', onQueue);
    if (currentList === ul && ul.isConnected && location.hash === '#/assignments') window.dispatchEvent(new Event('hashchange'));
  };
  if (queue.size) window.addEventListener('sirr:queue', onQueue);
  return [notice, ul].filter(Boolean);
}

function emptyDraft() {
  return { answers: {}, comments: {}, evidence: {}, checked_in_at: null, location: null, started_ms: null };
}

/** The assignment's facts a queued visit keeps, so it can be shown after it left the list. */
const summary = (a) => ({ id: a.id, branch: a.branch, window: a.window, scenario: a.scenario, scenario_brief: a.scenario_brief, status: a.status, checklist: a.checklist });

export class NotReadyOffline extends Error {}

const refreshedAt = new Map();

/**
 * The assignment, its checklist and (returned) visit. The bundle on the device answers at once
 * (a section opens without a round trip, and without a connection at all); the server's copy
 * refreshes it in the background at most every 30 s.
 */
// The visit on the screen — its bundle and its draft — kept in memory while the shopper moves
// between its sections: reading them back from IndexedDB on every section costs tens of ms on a
// slow phone, more while the last answers' writes are still committing. The draft in memory is
// the very object every answer is written through (and persisted from), so it is never behind
// the stored one. Dropped whenever the list or a queued visit is shown, and by anything else that
// writes the draft.
let onScreen = null;

async function loadAssignment(id) {
  if (onScreen && onScreen.id === id && onScreen.uid === uid()) return onScreen.bundle;
  const bundle = await loadAssignmentFromDevice(id);
  onScreen = { id, uid: uid(), bundle };
  return bundle;
}

async function loadAssignmentFromDevice(id) {
  const kept = await keptBundle(id);
  // The list just fetched says whether the assignment moved on (returned, cancelled) since.
  const list = await keptAssignments();
  const listed = list?.find((x) => x.id === id);
  // Missing from the open list: it moved on (cancelled, approved) since it was bundled.
  const stale = kept && list && (!listed || listed.updated_at !== kept.assignment.updated_at || listed.status !== kept.assignment.status);
  if (kept && !stale) {
    if (Date.now() - (refreshedAt.get(id) || 0) > 30000) {
      refreshedAt.set(id, Date.now());
      bundleNow(id).catch(() => {});
    }
    return kept;
  }
  try {
    const b = await bundleNow(id);
    refreshedAt.set(id, Date.now());
    if (b) return b;
  } catch (e) {
    if (!(e instanceof OfflineError)) throw e;
    if (kept) return kept;
  }
  throw new NotReadyOffline();
}

async function loadVisit(id) {
  const { assignment: a, checklist: doc, visit, uploads = [] } = await loadAssignment(id);
  const kept = onScreen?.id === id ? onScreen : null;
  let draft = kept?.draft || (await getItem('drafts', draftKey(id)));
  let qaNotes = null;
  if (a.status === 'returned' && visit) {
    qaNotes = visit.reviews?.[0] || null;
    const q = await queued(id);
    // A revision sent earlier and returned since: its outcome is over. (A correction of this
    // very revision, just sent, is not: the copy on the phone may not know it yet.)
    if (q && q.state === 'sent' && (q.fromRevision ?? null) !== visit.revision) await forget(id);
    if (!draft || draft.fromRevision !== visit.revision) {
      draft = emptyDraft();
      draft.fromRevision = visit.revision;
      draft.answers = { ...visit.answers };
      draft.comments = { ...visit.comments };
      // A correction, not a new visit: it keeps the visit's own check-in and length.
      draft.checked_in_at = visit.checked_in_at;
      draft.location = visit.location;
      draft.duration_s = visit.duration_s ?? null;
      // Evidence photos already on the server stay referenced by their ids (photo items keep
      // theirs in the answers).
      for (const item of allItems(doc).map((x) => x.item)) {
        if (item.evidence?.photo && item.type !== 'photo') {
          draft.evidence[item.key] = uploads.filter((u) => u.item === item.key).map((u) => u.id);
        }
      }
    }
  }
  draft ||= emptyDraft();
  if (kept) kept.draft = draft;
  return { a, doc, draft, qaNotes, visit };
}

const thumbs = new Map();
async function photoUrl(ref) {
  let url = thumbs.get(ref);
  if (url) return url;
  if (ref.startsWith(LOCAL)) {
    const p = await getItem('photos', ref);
    if (!p) return null;
    url = URL.createObjectURL(p.blob);
  } else {
    try { url = URL.createObjectURL(await api('GET', `/api/v1/attachments/${encodeURIComponent(ref)}`, { blob: true })); } catch { return null; }
  }
  thumbs.set(ref, url);
  return url;
}

async function thumb(ref) {
  const url = await photoUrl(ref);
  if (!url) return h('span', { class: 'thumb stored' }, '🖼');
  return h('img', { class: 'thumb', src: url, alt: '' });
}

function checkIn(a, draft, save, rerender) {
  const startBtn = h('button', {
    class: 'btn big', type: 'button', id: 'check-in',
    onclick: async () => {
      startBtn.disabled = true;
      draft.checked_in_at = nowLocal();
      draft.started_ms = Date.now();
      await save();
      // Starting an offered visit takes it on: QA's board counts it accepted. Best effort, in
      // the background: offline (or refused) the visit goes on all the same.
      if (a.status === 'offered') api('POST', `/api/v1/assignments/${a.id}/accept`, {}).catch(() => {});
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
  if (draft.duration_s !== undefined && draft.duration_s !== null) out.duration_s = draft.duration_s;
  else if (draft.started_ms) out.duration_s = Math.max(0, Math.round((Date.now() - draft.started_ms) / 1000));
  return out;
}

/** The answers as text, read-only (a visit the shopper can no longer send, kept readable). */
function answersList(doc, submission) {
  const rows = [];
  for (const { item } of doc ? allItems(doc) : []) {
    const v = submission.answers[item.key];
    if (v === undefined && !submission.comments?.[item.key]) continue;
    rows.push(h('dt', {}, tx(item.text)), h('dd', {}, h('bdi', {}, answerText(item, v)),
      submission.comments?.[item.key] ? h('p', { class: 'meta' }, h('bdi', {}, submission.comments[item.key])) : null));
  }
  if (!doc) for (const [k, v] of Object.entries(submission.answers)) rows.push(h('dt', {}, k), h('dd', {}, h('bdi', {}, JSON.stringify(v))));
  return h('dl', { class: 'answers' }, rows);
}

function answerText(item, v) {
  if (v === undefined || v === null) return t('nothing');
  if (v === 'na') return t('na');
  const opt = (k) => tx(item.options?.find((o) => o.key === k)?.text) || k;
  switch (item.type) {
    case 'yes_no': return t(v);
    case 'choice': return opt(v);
    case 'multi_choice': return (Array.isArray(v) ? v : []).map(opt).join('، ');
    case 'photo': return t('photosN', Array.isArray(v) ? v.length : 0);
    case 'timestamp': return dateTime(v);
    case 'number': case 'scale': return num(v);
    case 'duration': return t('secondsN', v);
    default: return String(v);
  }
}

const rerouteSoon = () => window.dispatchEvent(new Event('hashchange'));

/** The screen of a queued visit: waiting, sent, or an outcome that needs the shopper. */
async function queueScreen(q, id) {
  const doc = (await keptBundle(id))?.checklist || null;
  const back = h('p', {}, h('a', { class: 'btn secondary', href: '#/assignments' }, t('myAssignments')));
  if (q.state === 'sent') {
    const done = message(q.reconciled ? t('sentReconciled') : t('sent'), 'ok');
    done.id = 'visit-sent';
    return [done, back];
  }
  if (q.state === 'waiting') {
    const wait = message(t('queued'), 'info');
    wait.id = 'visit-waiting';
    const outcome = h('div', { 'aria-live': 'polite', id: 'send-now-outcome' });
    const send = h('button', {
      class: 'btn secondary', type: 'button', id: 'send-now',
      onclick: async () => {
        send.disabled = true;
        outcome.replaceChildren(message(t('sync_sending'), 'info'));
        await flush({ now: true });
        const after = await queued(id);
        send.disabled = false;
        // Still waiting: say so, rather than nothing at all.
        if (after?.state === 'waiting') outcome.replaceChildren(message(t('stillNotSent'), 'error'));
        else { outcome.replaceChildren(); rerouteSoon(); }
      },
    }, t('sendNow'));
    return [wait, send, outcome, back];
  }
  if (q.state === 'gone') {
    const gone = message(t('goneExplained'), 'error');
    gone.id = 'visit-gone';
    const remove = h('button', {
      class: 'btn secondary danger', type: 'button', id: 'remove-visit',
      onclick: async () => {
        if (!(await confirmDialog(t('removeConfirm'), t('removeFromPhone'), t('keep')))) return;
        await discard(id);
        location.hash = '#/assignments';
      },
    }, t('removeFromPhone'));
    return [gone, h('h2', {}, t('yourAnswers')), answersList(doc, q.submission), h('p', { class: 'toolbar' }, remove), back];
  }
  if (q.state === 'invalid') {
    const bad = message(t('invalidExplained'), 'error');
    bad.id = 'visit-invalid';
    const byItem = problemsByItem(q.problems);
    const list = h('ul', { class: 'problems' }, Object.entries(byItem).map(([key, problem]) => {
      const item = doc && allItems(doc).find((x) => x.item.key === key)?.item;
      return h('li', {}, h('strong', {}, item ? tx(item.text) : h('bdi', {}, key)), ' — ', h('bdi', {}, problem));
    }));
    const fix = h('button', {
      class: 'btn', type: 'button', id: 'fix-invalid',
      onclick: async () => {
        // Back to the draft, which still holds every answer, with the server's words at each
        // failing item; the queue entry is gone, so this cannot loop.
        onScreen = null;
        const draft = (await getItem('drafts', draftKey(id))) || { ...emptyDraft(), ...q.submission };
        draft.problems = byItem;
        await putItem('drafts', draftKey(id), draft);
        await forget(id);
        const first = Object.keys(byItem)[0];
        const si = doc ? Math.max(0, doc.sections.findIndex((s) => s.items.some((i) => i.key === first))) : 0;
        location.hash = `#/visit/${id}/${si}${first ? `?item=${encodeURIComponent(first)}` : ''}`;
      },
    }, t('fixAnswers'));
    return [bad, list, fix, back];
  }
  // failed: refused for another reason (too many photos, a malformed request)
  const failed = message(t(q.problems?.[0]?.status === 413 ? 'failedTooLarge' : q.problems?.[0]?.status === 409 ? 'failedConflict' : 'failedExplained'), 'error');
  failed.id = 'visit-failed';
  const retry = h('button', {
    class: 'btn', type: 'button',
    onclick: async () => {
      q.state = 'waiting'; q.nextAt = 0; q.attempts = 0; delete q.problems; delete q.body;
      await putItem('queue', own(uid(), id), q);
      await flush({ now: true });
      rerouteSoon();
    },
  }, t('tryAgain'));
  const edit = h('button', {
    class: 'btn secondary', type: 'button',
    onclick: async () => { await forget(id); rerouteSoon(); },
  }, t('editAnswers'));
  return [failed, h('p', { class: 'toolbar' }, retry, edit), back];
}

/** Server problems by item key (`/answers/<key>`, `/comments/<key>`, `/evidence/<key>`). */
function problemsByItem(problems = []) {
  const out = {};
  for (const p of problems) {
    const key = /^\/(?:answers|comments|evidence)\/([^/]+)/.exec(p.path || '')?.[1] || '';
    const text = p.problem || '';
    out[key] = out[key] ? `${out[key]}; ${text}` : text;
  }
  return out;
}

/** One visit: check-in, section `step` (a number) or the review screen (`review`). */
export async function visitView(id, step) {
  // Moving between the sections of the visit on the screen: nothing can have been queued for it
  // meanwhile (its own submit queues it, and that drops it from the screen), so the queue is not
  // read again — a read that waits behind the writes of the answers just given.
  const sameVisit = onScreen?.id === id && onScreen.uid === uid() && !!onScreen.draft;
  const q = sameVisit ? null : await queued(id);
  if (q && q.state !== 'sent') { onScreen = null; return queueScreen(q, id); }
  let loaded;
  try {
    loaded = await loadVisit(id);
  } catch (e) {
    if (q) { onScreen = null; return queueScreen(q, id); }
    if (e instanceof NotReadyOffline) return [message(t('notReadyOfflineExplained'), 'error'), h('p', {}, h('a', { class: 'btn secondary', href: '#/assignments' }, t('myAssignments')))];
    if (e instanceof ApiError && e.status === 404) return [message(t('assignmentGone'), 'error')];
    throw e;
  }
  const { a, doc, draft, qaNotes } = loaded;
  if (a.status === 'rejected') {
    // QA's decision is the outcome now: the "sent" note on the phone has nothing more to say.
    if (q?.state === 'sent') await forget(id);
    onScreen = null;
    const why = loaded.visit?.reviews?.find((r) => r.decision === 'rejected')?.note;
    return [h('div', { class: 'msg error', id: 'visit-rejected', role: 'status' }, h('p', {}, t('rejectedBecause')), why ? h('p', {}, h('bdi', {}, why)) : null)];
  }
  // A sent visit (not returned since) shows its state, not a form.
  const q2 = sameVisit ? null : await queued(id);
  if (q2) { onScreen = null; return queueScreen(q2, id); }
  if (a.status === 'cancelled') return [message(t('assignmentGone'), 'error')];
  if (a.status === 'submitted' || a.status === 'approved') return [message(t(`status_${a.status}`))];


  const root = h('div', { class: 'visit' });
  draft.userId = uid();
  draft.assignment = summary(a);
  let writes = 0;
  const save = async () => {
    writes += 1;
    setDraftState('unsaved');
    draft.saved_at = new Date().toISOString();
    await putItem('drafts', draftKey(id), draft);
    writes -= 1;
    // "Saved" only once the last write is on disk.
    if (writes === 0) setDraftState('saved');
  };
  setDraftState(draft.saved_at ? 'saved' : null);
  const header = [h('p', { class: 'meta' }, tx(a.branch.names), ' · ', tx(doc.title)),
    qaNotes ? h('div', { class: 'qa-note' }, h('strong', {}, `${t('qaNotes')}: `), h('bdi', {}, qaNotes.note || '')) : null].filter(Boolean);

  const render = () => {
    if (!draft.checked_in_at) {
      root.replaceChildren(...header, a.scenario ? h('p', {}, `${t('scenario')}: `, h('bdi', {}, a.scenario)) : '',
        a.scenario_brief && tx(a.scenario_brief) ? h('p', { class: 'qa-note scenario-brief' }, h('strong', {}, `${t('scenarioBrief')}: `), tx(a.scenario_brief)) : '',
        checkIn(a, draft, save, render));
      return;
    }
    const last = doc.sections.length - 1;
    if (step === 'review') { root.replaceChildren(...header, reviewScreen(id, a, doc, draft)); return; }
    const si = Math.min(Math.max(0, Number(step) || 0), last);
    const listeners = new Map();
    let view;
    const isPhotoItem = (key) => allItems(doc).find((x) => x.item.key === key)?.item.type === 'photo';
    const refsOf = (key) => (isPhotoItem(key) ? draft.answers[key] : draft.evidence[key]) || [];
    const setRefs = (key, refs) => {
      if (isPhotoItem(key)) { if (refs.length) draft.answers[key] = refs; else delete draft.answers[key]; } else draft.evidence[key] = refs;
    };
    const ctx = {
      answers: draft.answers,
      comments: draft.comments,
      problems: draft.problems,
      qaComments: qaNotes?.item_comments,
      now: nowLocal,
      toRfc3339: (local) => localToRfc(local, new Date(local)),
      onAnswer: (key, value) => {
        if (value === undefined) delete draft.answers[key]; else draft.answers[key] = value;
        if (draft.problems?.[key]) {
          // The server's words were about the old answer.
          delete draft.problems[key];
          const card = document.getElementById(`item-${key}`);
          card?.classList.remove('problem-at');
          card?.querySelector(':scope > .problem-msg')?.remove();
        }
        view.update(key);
        save();
      },
      onComment: (key, text) => { draft.comments[key] = text; save(); },
      timerStarted: (key) => draft.timers?.[key] ?? null,
      setTimer: (key, ms) => {
        draft.timers ||= {};
        if (ms === null) delete draft.timers[key]; else draft.timers[key] = ms;
        save();
      },
      photoRefs: refsOf,
      onPhotoListChange: (key, fn) => listeners.set(key, fn),
      thumb: (ref) => { const span = h('span'); thumb(ref).then((el) => span.replaceWith(el)); return span; },
      viewPhoto: async (ref) => photoViewer(await photoUrl(ref)),
      removePhoto: async (key, ref) => {
        // A photo taken on the phone exists nowhere else once removed: ask first.
        if (!(await confirmDialog(t('removePhotoConfirm'), t('removePhoto'), t('keep')))) return;
        setRefs(key, refsOf(key).filter((r) => r !== ref));
        if (ref.startsWith(LOCAL)) await deleteItem('photos', ref);
        await save();
        listeners.get(key)?.();
        view.update();
      },
      onPhoto: async (key, file) => {
        const p = await preparePhoto(file);
        const ref = `${LOCAL}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
        await putItem('photos', ref, { item: key, userId: uid(), assignmentId: id, ...p });
        setRefs(key, [...refsOf(key), ref]);
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

function reviewScreen(id, a, doc, draft) {
  const gaps = missing(doc, draft);
  const submit = h('button', {
    class: 'btn big', type: 'button', disabled: gaps.length > 0, id: 'submit-visit',
    onclick: async () => {
      submit.disabled = true;
      delete draft.problems;
      await putItem('drafts', draftKey(id), draft);
      await enqueue(id, submissionOf(doc, draft), summary(a), draft.fromRevision ?? null);
      onScreen = null;
      setDraftState(null);
      rerouteSoon();
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

/** The signed-in shopper's work on this phone: visits waiting to be sent, and unfinished drafts. */
export async function unsentWork() {
  const u = uid();
  if (!u) return { queued: 0, drafts: 0 };
  const queue = await allOwn('queue', u);
  const pending = new Set(queue.filter(([, q]) => q.state !== 'sent').map(([id]) => id));
  let drafts = 0;
  for (const [id, d] of await allOwn('drafts', u)) {
    if (!pending.has(id) && (Object.keys(d.answers || {}).length || d.checked_in_at) && !queue.some(([qid, q]) => qid === id && q.state === 'sent')) drafts += 1;
  }
  return { queued: pending.size, drafts };
}

