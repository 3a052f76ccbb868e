// Offline from a cold start: whenever the app is online with a signed-in shopper (sign-in, the
// list refreshed, the connection coming back), every open assignment is made fully usable
// offline — the assignment, its exact checklist version and, for a returned visit, the visit
// and its uploads — and kept in IndexedDB under the shopper's own key. Opening a visit never
// depends on having opened it online before, nor on the service worker's cache.

import { get, me, signedIn } from './api.js';
import { allOwn, deleteItem, getItem, own, putItem } from './store.js';

// What the shopper's list shows: work still open, visits waiting for QA, and rejected ones (the
// shopper is told why) — not the history of approved visits.
export const OPEN_STATUSES = ['offered', 'accepted', 'returned', 'submitted', 'rejected'];
// (index.html asks for the same list early, by this very path; a test checks.)
export const LIST_PATH = '/api/v1/assignments?status=offered,accepted,returned,submitted,rejected';
export const checklistUrl = (c) => `/api/v1/checklists/${encodeURIComponent(c.key)}/versions/${c.version}`;

const shopperId = () => (signedIn() && me()?.role === 'shopper' ? me().id : null);

/** Fetches what one assignment needs offline and stores it. */
async function bundle(uid, a, checklists) {
  const url = checklistUrl(a.checklist);
  if (!checklists.has(url)) checklists.set(url, get(url));
  const [detail, checklist] = await Promise.all([get(`/api/v1/assignments/${a.id}`), checklists.get(url)]);
  const b = { assignment: detail, checklist: checklist.document, fetchedAt: new Date().toISOString() };
  if ((detail.status === 'returned' || detail.status === 'rejected') && detail.visit) {
    [b.visit, b.uploads] = await Promise.all([
      get(`/api/v1/visits/${detail.visit.id}`),
      get(`/api/v1/assignments/${a.id}/attachments`),
    ]);
  }
  await putItem('bundles', own(uid, a.id), b);
  return b;
}

/**
 * The shopper's assignment list from the server; every open assignment is then bundled for
 * offline use in the background (each card learns it from a `sirr:bundled` event), and the list
 * itself is kept. Throws what `get` throws when the server cannot be reached.
 */
// Signing in and the list screen that follows both refresh: one request and one bundling pass
// serve both (a phone on mobile data should not fetch every checklist twice).
let listing = null;
const bundling = new Map();

export function refreshAssignments() {
  listing ??= refreshNow().finally(() => { listing = null; });
  return listing;
}

async function refreshNow() {
  const uid = shopperId();
  if (!uid) return [];
  const list = await get(LIST_PATH);
  await putItem('lists', uid, { list, fetchedAt: new Date().toISOString() });
  const open = list.filter((a) => OPEN_STATUSES.includes(a.status));
  // In the background: the list is on the screen at once, each card turns ready as it can.
  (async () => {
    const checklists = new Map();
    await Promise.all(open.map(async (a) => {
      const key = own(uid, a.id);
      const have = await getItem('bundles', key);
      // Re-fetch when the assignment moved on (returned, new revision) since it was bundled.
      if (!(have && have.assignment.updated_at === a.updated_at && have.assignment.status === a.status)) {
        if (!bundling.has(key)) bundling.set(key, bundle(uid, a, checklists).finally(() => bundling.delete(key)));
        try { await bundling.get(key); } catch (e) { console.warn('offline bundle', a.id, e); return; }
      }
      window.dispatchEvent(new CustomEvent('sirr:bundled', { detail: a.id }));
    }));
    // Bundles of assignments that are no longer open are not needed, unless the phone still
    // holds work for them (a queued or drafted visit stays readable).
    const keep = new Set(open.map((a) => a.id));
    for (const store of ['queue', 'drafts']) for (const [aid] of await allOwn(store, uid)) keep.add(aid);
    for (const [aid] of await allOwn('bundles', uid)) if (!keep.has(aid)) await deleteItem('bundles', own(uid, aid));
  })().catch((e) => console.warn('offline bundles', e));
  return list;
}

/** The last list kept on the device for the signed-in shopper. */
export async function keptAssignments() {
  const uid = shopperId();
  return uid ? (await getItem('lists', uid))?.list || null : null;
}

/** The offline bundle of one assignment, if there is one. */
export async function keptBundle(assignmentId) {
  const uid = shopperId();
  return uid ? getItem('bundles', own(uid, assignmentId)) : undefined;
}

/** Bundles a single assignment now (opened online): the freshest copy for later. */
export async function bundleNow(assignmentId) {
  const uid = shopperId();
  if (!uid) return undefined;
  const a = await get(`/api/v1/assignments/${assignmentId}`);
  return bundle(uid, a, new Map());
}
