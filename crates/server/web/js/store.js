// What the phone keeps on the device, in IndexedDB. Everything a shopper makes belongs to that
// shopper (SPEC §10.29): drafts, queued submissions and offline bundles are keyed
// `<user id>:<assignment id>`, so another user signed in on the same phone never sees, sends or
// is told about them.
//   drafts   every answer as it is typed (written before the status says "saved")
//   queue    submissions waiting to be sent, each with its Idempotency-Key and frozen body
//   photos   photos taken on the device, already downscaled, until they are uploaded
//   bundles  what an assignment needs offline: the assignment, its exact checklist version and,
//            for a returned visit, the visit and its uploads
//   lists    the last assignment list per user (the list screen offline)

const DB = 'sirr';
const STORES = ['drafts', 'queue', 'photos', 'bundles', 'lists'];
let opening = null;

function open() {
  opening ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 2);
    req.onupgradeneeded = () => {
      for (const name of STORES) {
        if (!req.result.objectStoreNames.contains(name)) req.result.createObjectStore(name);
      }
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  return opening;
}

async function run(store, mode, fn) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(store, mode);
    const req = fn(tx.objectStore(store));
    // Resolve when the transaction is committed, so "saved" really means on disk.
    tx.oncomplete = () => resolve(req?.result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

export const getItem = (store, key) => run(store, 'readonly', (s) => s.get(key));
export const putItem = (store, key, value) => run(store, 'readwrite', (s) => s.put(value, key));
export const deleteItem = (store, key) => run(store, 'readwrite', (s) => s.delete(key));
export const allItems = (store) => run(store, 'readonly', (s) => s.getAll());
export const allKeys = (store) => run(store, 'readonly', (s) => s.getAllKeys());

/** The key of a user's record about an assignment. */
export const own = (userId, assignmentId) => `${userId}:${assignmentId}`;

/** A user's records in a store, as [assignmentId, value] pairs. */
export async function allOwn(store, userId) {
  const prefix = `${userId}:`;
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(store, 'readonly');
    const out = [];
    // Keys are strings; the range holds exactly those starting with the prefix.
    const req = tx.objectStore(store).openCursor(IDBKeyRange.bound(prefix, `${prefix}\uffff`));
    req.onsuccess = () => {
      const c = req.result;
      if (!c) return;
      out.push([String(c.key).slice(prefix.length), c.value]);
      c.continue();
    };
    tx.oncomplete = () => resolve(out);
    tx.onerror = () => reject(tx.error);
  });
}

/**
 * Records written by an earlier version of the app were keyed by assignment alone; they belong
 * to the first shopper who signs in afterwards (the only one who could have made them).
 */
export async function claimLegacy(userId) {
  for (const store of ['drafts', 'queue']) {
    for (const key of await allKeys(store)) {
      if (String(key).includes(':')) continue;
      const value = await getItem(store, key);
      if (value && typeof value === 'object') value.userId = userId;
      await putItem(store, own(userId, key), value);
      await deleteItem(store, key);
    }
  }
}
