// The submission queue. Pressing "submit" writes one queue entry with a fresh Idempotency-Key
// *before* anything is sent; the sender then uploads the photos still on the device, freezes the
// request body (kept in the entry), and posts it with that key until an answer arrives. A retry
// after a reload, a lost answer or a closed tab resends the same body with the same key, so the
// server stores exactly one visit (docs/field-workflow.md, "Offline clients").

import { api, ApiError, OfflineError } from './api.js';
import { allItems, deleteItem, getItem, putItem } from './store.js';

export const LOCAL = 'local:';

function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

let state = 'saved';
let running = null;
let timer = null;

function announce(next) {
  state = next;
  window.dispatchEvent(new CustomEvent('sirr:sync', { detail: state }));
}

export const syncState = () => state;

/** Queues a submission of `submission` (answers, comments, checked_in_at, …) for an assignment. */
export async function enqueue(assignmentId, submission) {
  const entry = { assignmentId, key: newKey(), state: 'waiting', submission, uploaded: {}, queuedAt: new Date().toISOString() };
  await putItem('queue', assignmentId, entry);
  announce('waiting');
  return flush();
}

export const queued = (assignmentId) => getItem('queue', assignmentId);

/** Forgets a finished or failed entry (after the shopper has seen the outcome). */
export const forget = (assignmentId) => deleteItem('queue', assignmentId);

// Replaces local photo references (`local:<n>`) by the attachment ids they were uploaded as.
function resolveRefs(refs, uploaded) {
  return refs.map((r) => (r.startsWith(LOCAL) ? uploaded[r] : r)).filter(Boolean);
}

async function uploadPhotos(entry) {
  const refs = new Set();
  const { answers, evidence = {} } = entry.submission;
  for (const v of [...Object.values(answers), ...Object.values(evidence)]) {
    if (Array.isArray(v)) v.filter((r) => typeof r === 'string' && r.startsWith(LOCAL)).forEach((r) => refs.add(r));
  }
  for (const ref of refs) {
    if (entry.uploaded[ref]) continue;
    const photo = await getItem('photos', ref);
    if (!photo) continue;
    const q = new URLSearchParams({ item: photo.item });
    if (photo.capturedAt) q.set('captured_at', photo.capturedAt);
    if (photo.lat !== undefined && photo.lon !== undefined) { q.set('lat', photo.lat); q.set('lon', photo.lon); }
    const att = await api('POST', `/api/v1/assignments/${entry.assignmentId}/attachments?${q}`, { body: photo.blob });
    entry.uploaded[ref] = att.id;
    await putItem('queue', entry.assignmentId, entry);
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
  if (s.duration_s !== undefined) body.duration_s = s.duration_s;
  if (s.evidence && Object.keys(s.evidence).length) {
    body.evidence = Object.fromEntries(Object.entries(s.evidence).map(([k, v]) => [k, resolveRefs(v, entry.uploaded)]));
  }
  return body;
}

async function sendOne(entry) {
  try {
    await uploadPhotos(entry);
    if (!entry.body) {
      entry.body = freeze(entry);
      await putItem('queue', entry.assignmentId, entry);
    }
    const visit = await api('POST', `/api/v1/assignments/${entry.assignmentId}/submission`, {
      body: entry.body,
      headers: { 'Idempotency-Key': entry.key },
    });
    entry.state = 'sent';
    entry.visitId = visit.id;
    entry.sentAt = new Date().toISOString();
    await putItem('queue', entry.assignmentId, entry);
    await deleteItem('drafts', entry.assignmentId);
    for (const ref of Object.keys(entry.uploaded)) await deleteItem('photos', ref);
  } catch (e) {
    // Not an answer about the visit: no connection, signed out (it waits for the next sign-in),
    // or the server failing for now. All are retried with the same key and body.
    if (!(e instanceof ApiError) || e.status === 401 || e.status >= 500) throw e;
    // Refused for good (422: the answers do not fit; 409: submitted meanwhile): the shopper
    // decides. Nothing was stored, so fixing the answers queues a new entry.
    entry.state = 'failed';
    entry.problems = e.details.length ? e.details : [{ path: '', problem: e.message }];
    await putItem('queue', entry.assignmentId, entry);
  }
}

/** Sends whatever is waiting; safe to call at any time (one run at a time). */
export function flush() {
  running ??= (async () => {
    let offline = false;
    let failed = false;
    let sent = false;
    for (const entry of await allItems('queue')) {
      if (entry.state === 'sent') { sent = true; continue; }
      if (entry.state === 'failed') { failed = true; continue; }
      announce('sending');
      try {
        await sendOne(entry);
        if (entry.state === 'failed') failed = true; else sent = true;
      } catch (e) {
        if (!(e instanceof OfflineError) && !(e instanceof ApiError)) console.error(e);
        offline = true;
      }
    }
    announce(offline ? 'waiting' : failed ? 'failed' : sent ? 'sent' : 'saved');
    clearTimeout(timer);
    // The browser's "online" event is not enough (a server can be down while the network is
    // up), so waiting entries are retried every few seconds.
    if (offline) timer = setTimeout(flush, 3000);
  })().finally(() => { running = null; });
  return running;
}

export function startSync() {
  window.addEventListener('online', () => flush());
  flush();
}
