// The submission queue and the status the shopper sees. Pressing "submit" writes one queue entry
// with a fresh Idempotency-Key *before* anything is sent; the sender then uploads the photos
// still on the device, freezes the request body (kept in the entry), and posts it with that key
// until an answer arrives. A retry after a reload, a lost answer or a closed tab resends the same
// body with the same key, so the server stores exactly one visit (docs/field-workflow.md).
//
// Entries belong to the shopper who made them (store.js): only that shopper's entries are sent,
// counted or shown, and only while that shopper is signed in.
//
// Every answer the server can give has a designed outcome (docs/web-app.md):
//   201 / replay          → sent
//   401                   → api.js refreshes the token once; if that fails the entry waits for
//                           its author to sign in again
//   409                   → reconciled with the assignment: already stored → sent; cancelled → gone
//   404 / 410             → gone: answers kept and readable, removed only when the shopper says so
//   422                   → invalid: the visit reopens at the failing items, with the server's words
//   5xx / 429 / network   → retried with exponential backoff and jitter

import { api, ApiError, me, OfflineError, signedIn } from './api.js';
import { allOwn, deleteItem, getItem, own, putItem } from './store.js';

export const LOCAL = 'local:';

function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

let running = null;
let timer = null;
let sending = false;
/** The visit on the screen: null (none), 'unsaved' (a change not yet on disk) or 'saved'. */
let draftState = null;

const shopper = () => { const u = signedIn() ? me() : null; return u && u.role === 'shopper' ? u : null; };

/** What the status badge says, derived from what is stored for the signed-in shopper. */
export async function status() {
  const u = shopper();
  if (!u) return { state: 'none', draft: null, waiting: 0, attention: 0, sent: 0 };
  const entries = (await allOwn('queue', u.id)).map(([, e]) => e);
  const waiting = entries.filter((e) => e.state === 'waiting').length;
  const attention = entries.filter((e) => ['invalid', 'gone', 'failed'].includes(e.state)).length;
  // "Sent" is news for a minute, not a state that hangs over every later screen.
  const sent = entries.filter((e) => e.state === 'sent' && Date.now() - Date.parse(e.sentAt || 0) < 60000).length;
  let state = 'none';
  if (attention) state = 'attention';
  else if (sending && waiting) state = 'sending';
  else if (waiting) state = 'waiting';
  else if (draftState) state = draftState;
  else if (sent) state = 'sent';
  return { state, draft: draftState, waiting, attention, sent, sending: sending && waiting > 0 };
}

async function announce() {
  window.dispatchEvent(new CustomEvent('sirr:sync', { detail: await status() }));
}

/** The visit screen tells what its draft is: 'unsaved', 'saved' or null when it closes. */
export function setDraftState(s) {
  draftState = s;
  announce();
}

/** Queues a submission (answers, comments, checked_in_at, …) of the signed-in shopper. */
export async function enqueue(assignmentId, submission, assignment, fromRevision = null) {
  const u = shopper();
  if (!u) throw new Error('not signed in as a shopper');
  const entry = {
    // fromRevision: the returned revision this corrects (null for a first submission).
    assignmentId, userId: u.id, key: newKey(), state: 'waiting', submission, assignment, fromRevision,
    uploaded: {}, attempts: 0, nextAt: 0, queuedAt: new Date().toISOString(),
  };
  await putItem('queue', own(u.id, assignmentId), entry);
  announce();
  return flush();
}

/** The signed-in shopper's queue entry for an assignment, if any. */
export const queued = (assignmentId) => {
  const u = shopper();
  return u ? getItem('queue', own(u.id, assignmentId)) : Promise.resolve(undefined);
};

/** Forgets an entry (after the shopper has seen the outcome or chosen to remove it). */
export async function forget(assignmentId) {
  const u = shopper();
  if (!u) return;
  await deleteItem('queue', own(u.id, assignmentId));
  announce();
}

/** Removes a visit from the phone for good: its entry, its draft and its photos. */
export async function discard(assignmentId) {
  const u = shopper();
  if (!u) return;
  const key = own(u.id, assignmentId);
  const entry = await getItem('queue', key);
  const draft = await getItem('drafts', key);
  for (const ref of localRefs(entry?.submission, draft)) await deleteItem('photos', ref);
  await deleteItem('queue', key);
  await deleteItem('drafts', key);
  announce();
}

function localRefs(...sources) {
  const refs = new Set();
  for (const s of sources) {
    if (!s) continue;
    for (const v of [...Object.values(s.answers || {}), ...Object.values(s.evidence || {})]) {
      if (Array.isArray(v)) v.filter((r) => typeof r === 'string' && r.startsWith(LOCAL)).forEach((r) => refs.add(r));
    }
  }
  return refs;
}

// Replaces local photo references (`local:<n>`) by the attachment ids they were uploaded as.
function resolveRefs(refs, uploaded) {
  return refs.map((r) => (r.startsWith(LOCAL) ? uploaded[r] : r)).filter(Boolean);
}

async function uploadPhotos(dbKey, entry) {
  for (const ref of localRefs(entry.submission)) {
    if (entry.uploaded[ref]) continue;
    const photo = await getItem('photos', ref);
    if (!photo) continue;
    const q = new URLSearchParams({ item: photo.item });
    if (photo.capturedAt) q.set('captured_at', photo.capturedAt);
    if (photo.lat !== undefined && photo.lon !== undefined) { q.set('lat', photo.lat); q.set('lon', photo.lon); }
    const att = await api('POST', `/api/v1/assignments/${entry.assignmentId}/attachments?${q}`, { body: photo.blob });
    entry.uploaded[ref] = att.id;
    await putItem('queue', dbKey, entry);
  }
}

function freeze(entry) {
  const s = entry.submission;
  const answers = {};
  for (const [k, v] of Object.entries(s.answers)) {
    answers[k] = Array.isArray(v) && v.some((r) => String(r).startsWith(LOCAL)) ? resolveRefs(v, entry.uploaded) : v;
  }
  const body = { answers, comments: s.comments, checked_in_at: s.checked_in_at };
  if (s.location) body.location = s.location;
  if (s.duration_s !== undefined && s.duration_s !== null) body.duration_s = s.duration_s;
  if (s.evidence && Object.keys(s.evidence).length) {
    body.evidence = Object.fromEntries(Object.entries(s.evidence).map(([k, v]) => [k, resolveRefs(v, entry.uploaded)]));
  }
  return body;
}

async function markSent(dbKey, entry, visitId, reconciled = false) {
  entry.state = 'sent';
  entry.visitId = visitId;
  entry.reconciled = reconciled;
  entry.sentAt = new Date().toISOString();
  delete entry.problems;
  await putItem('queue', dbKey, entry);
  await deleteItem('drafts', dbKey);
  for (const ref of localRefs(entry.submission)) await deleteItem('photos', ref);
}

// A 409 says the assignment moved on without this entry: ask it where it stands.
async function reconcile(dbKey, entry) {
  let a;
  try {
    a = await api('GET', `/api/v1/assignments/${entry.assignmentId}`);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return markGone(dbKey, entry, 404);
    throw e;
  }
  if (a.status === 'cancelled' || a.status === 'declined') return markGone(dbKey, entry, 410);
  if (['submitted', 'approved'].includes(a.status) && a.visit) return markSent(dbKey, entry, a.visit.id, true);
  entry.state = 'failed';
  entry.problems = [{ path: '', problem: '', status: 409 }];
  return putItem('queue', dbKey, entry);
}

async function markGone(dbKey, entry, code) {
  entry.state = 'gone';
  entry.problems = [{ path: '', problem: '', status: code }];
  return putItem('queue', dbKey, entry);
}

const retryable = (e) => e instanceof OfflineError
  || (e instanceof ApiError && (e.status === 401 || e.status === 408 || e.status === 429 || e.status >= 500));

async function sendOne(dbKey, entry) {
  try {
    await uploadPhotos(dbKey, entry);
    if (!entry.body) {
      entry.body = freeze(entry);
      await putItem('queue', dbKey, entry);
    }
    const visit = await api('POST', `/api/v1/assignments/${entry.assignmentId}/submission`, {
      body: entry.body,
      headers: { 'Idempotency-Key': entry.key },
    });
    await markSent(dbKey, entry, visit.id);
  } catch (e) {
    if (retryable(e)) {
      // Exponential backoff with jitter, so a hundred phones coming back online do not all
      // knock at once: 2 s, 4 s, … up to a minute, each ±50%.
      entry.attempts = (entry.attempts || 0) + 1;
      const base = Math.min(60000, 2000 * 2 ** Math.min(entry.attempts - 1, 5));
      entry.nextAt = Date.now() + Math.round(base * (0.5 + Math.random()));
      await putItem('queue', dbKey, entry);
      throw e;
    }
    if (!(e instanceof ApiError)) throw e;
    if (e.status === 409) return reconcile(dbKey, entry);
    if (e.status === 404 || e.status === 410) return markGone(dbKey, entry, e.status);
    // 422 (the answers do not fit), 413 (photos refused), 400: the shopper decides. The server's
    // problems are kept with their paths, so the visit can open at each failing item.
    entry.state = e.status === 422 ? 'invalid' : 'failed';
    entry.problems = e.details.length
      ? e.details.map((d) => ({ ...d, status: e.status }))
      : [{ path: '', problem: e.message, status: e.status }];
    await putItem('queue', dbKey, entry);
  }
  return undefined;
}

/** Sends whatever of the signed-in shopper's is due; safe to call at any time (one run at once). */
export function flush({ now = false } = {}) {
  running ??= (async () => {
    const u = shopper();
    if (!u) { announce(); return; }
    let next = Infinity;
    for (const [aid, entry] of await allOwn('queue', u.id)) {
      if (entry.state !== 'waiting') continue;
      // Another user signed in meanwhile: their token must never carry this entry.
      if (shopper()?.id !== u.id) break;
      if (!now && entry.nextAt && entry.nextAt > Date.now()) { next = Math.min(next, entry.nextAt); continue; }
      sending = true;
      announce();
      try {
        await sendOne(own(u.id, aid), entry);
      } catch (e) {
        if (!(e instanceof OfflineError) && !(e instanceof ApiError)) console.error(e);
        if (entry.nextAt) next = Math.min(next, entry.nextAt);
      }
    }
    sending = false;
    announce();
    clearTimeout(timer);
    // The browser's "online" event is not enough (a server can be down while the network is
    // up), so waiting entries are retried on their own schedule.
    if (next < Infinity) timer = setTimeout(() => flush(), Math.max(500, next - Date.now()));
    window.dispatchEvent(new CustomEvent('sirr:queue'));
  })().finally(() => { running = null; });
  return running;
}

export function startSync() {
  window.addEventListener('online', () => flush({ now: true }));
  flush();
}
