// Scans waiting to be sent, kept in IndexedDB so that a weak connection, a closed tab or a
// flat battery does not lose them. Each entry is keyed by its nonce (the server's idempotency
// key). Where IndexedDB is unavailable (some private modes) scans still work, kept in memory.
const DB_NAME = 'forum-checkin';
const STORE = 'pending-scans';

let opening = null;
const memory = new Map();

function openDatabase() {
  if (!opening) {
    opening = new Promise((resolve) => {
      if (!('indexedDB' in window)) { resolve(null); return; }
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'nonce' });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => resolve(null);
      request.onblocked = () => resolve(null);
    });
  }
  return opening;
}

function run(mode, action) {
  return openDatabase().then((db) => {
    if (!db) return action(null);
    return new Promise((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const request = action(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(request ? request.result : undefined);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
  });
}

/** Store (or replace) a scan; resolves once it is written. */
export function put(entry) {
  return run('readwrite', (store) => {
    if (!store) { memory.set(entry.nonce, entry); return null; }
    return store.put(entry);
  });
}

/** Every waiting scan, oldest first. */
export async function list() {
  const entries = await run('readonly', (store) => (store ? store.getAll() : null));
  const all = entries || [...memory.values()];
  return all.sort((a, b) => a.created_at - b.created_at);
}

/** Forget a scan the server has answered. */
export function remove(nonce) {
  return run('readwrite', (store) => {
    if (!store) { memory.delete(nonce); return null; }
    return store.delete(nonce);
  });
}
