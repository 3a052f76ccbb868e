// What the phone keeps on the device, in IndexedDB: drafts by assignment (every answer as it is
// typed), the submission queue (each entry with its Idempotency-Key, written before the first
// send), and photos waiting for upload (already downscaled).

const DB = 'sirr';
const STORES = ['drafts', 'queue', 'photos'];
let opening = null;

function open() {
  opening ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
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
