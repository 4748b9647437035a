// Keeps the browser's runs and the uploaded sets in IndexedDB, so that they survive a reload: loads them at start
// and mirrors every change the app state makes. Where IndexedDB is unavailable (some private modes) or full, the
// page works as before and says so in one line; nothing here ever throws into the page.

export const DB_NAME = 'parlab';
const DB_VERSION = 1;
const OPEN_TIMEOUT_MS = 5000;

/// One line for the page about a storage error (QuotaExceededError gets its own advice).
export function describeStorageError(error, doing) {
  const name = error?.name || 'Error';
  if (name === 'QuotaExceededError') {
    return `Could not keep ${doing}: this browser's storage for the site is full; delete kept items or export them, then try again.`;
  }
  const message = String(error?.message ?? '').split('\n')[0].slice(0, 160);
  return `Could not keep ${doing} (${name}${message ? `: ${message}` : ''}); it stays in this page until it is closed.`;
}

const done = (request) => new Promise((resolve, reject) => {
  request.onsuccess = () => resolve(request.result);
  request.onerror = () => reject(request.error);
});

const finished = (tx) => new Promise((resolve, reject) => {
  tx.oncomplete = () => resolve();
  tx.onabort = () => reject(tx.error ?? new DOMException('the transaction was aborted', 'AbortError'));
  tx.onerror = () => {}; // onabort follows with the same error
});

/// Opens (creating on first use) the database: stores groups {id, name, created}, runs {group, index, run}
/// and sets (whole uploaded sets). Rejects when IndexedDB is missing, refused or too slow to answer.
export function openStore(indexedDB = globalThis.indexedDB, name = DB_NAME) {
  return new Promise((resolve, reject) => {
    if (!indexedDB || typeof indexedDB.open !== 'function') {
      reject(new DOMException('IndexedDB is not available in this browser or mode', 'NotSupportedError'));
      return;
    }
    const timer = setTimeout(() => reject(new DOMException('IndexedDB did not answer', 'TimeoutError')), OPEN_TIMEOUT_MS);
    let request;
    try {
      request = indexedDB.open(name, DB_VERSION);
    } catch (error) {
      clearTimeout(timer);
      reject(error);
      return;
    }
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains('groups')) db.createObjectStore('groups', { keyPath: 'id' });
      if (!db.objectStoreNames.contains('runs')) db.createObjectStore('runs', { keyPath: ['group', 'index'] });
      if (!db.objectStoreNames.contains('sets')) db.createObjectStore('sets', { keyPath: 'id' });
    };
    request.onblocked = () => {}; // another tab holds an older version; onsuccess follows once it lets go
    request.onsuccess = () => {
      clearTimeout(timer);
      const db = request.result;
      db.onversionchange = () => db.close();
      resolve(db);
    };
    request.onerror = () => {
      clearTimeout(timer);
      reject(request.error);
    };
  });
}

/// Everything kept: {groups: [{id, name, created, runs}], sets: [...]}, oldest first.
export async function loadAll(db) {
  const tx = db.transaction(['groups', 'runs', 'sets'], 'readonly');
  const [groups, runs, sets] = await Promise.all([
    done(tx.objectStore('groups').getAll()), done(tx.objectStore('runs').getAll()), done(tx.objectStore('sets').getAll()),
  ]);
  const byGroup = new Map(groups.map((g) => [g.id, { ...g, runs: [] }]));
  for (const r of runs) byGroup.get(r.group)?.runs.push(r.run); // keys sort by [group, index]
  return { groups: [...byGroup.values()].filter((g) => g.runs.length > 0), sets };
}

/// Persistence hooks for AppState.setPersistence: each change is written in order, in its own transaction.
/// onProblem(line) hears of a failed write (full storage, a closed database).
export function persistenceHooks(db, onProblem) {
  let queue = Promise.resolve();
  const write = (stores, doing, work) => {
    queue = queue.then(async () => {
      try {
        const tx = db.transaction(stores, 'readwrite');
        work(tx);
        await finished(tx);
      } catch (error) {
        onProblem(describeStorageError(error, doing));
      }
    });
    return queue;
  };
  return {
    groupSaved: (group) => write(['groups'], `the group “${group.name}”`,
      (tx) => tx.objectStore('groups').put({ id: group.id, name: group.name, created: group.created })),
    runAdded: (group, run, index) => write(['runs'], 'the last run',
      (tx) => tx.objectStore('runs').put({ group: group.id, index, run })),
    groupDeleted: (id) => write(['groups', 'runs'], 'the deletion', (tx) => {
      tx.objectStore('groups').delete(id);
      tx.objectStore('runs').delete(IDBKeyRange.bound([id, 0], [id, Infinity]));
    }),
    setSaved: (set) => write(['sets'], `the uploaded set “${set.name}”`, (tx) => tx.objectStore('sets').put({ ...set })),
    setDeleted: (id) => write(['sets'], 'the deletion', (tx) => tx.objectStore('sets').delete(id)),
    browserCleared: () => write(['groups', 'runs'], 'the clearing', (tx) => {
      tx.objectStore('groups').clear();
      tx.objectStore('runs').clear();
    }),
    /// Resolves once every write asked for so far has finished (tests, and before a reload).
    flush: () => queue,
  };
}

/// Loads what was kept into `state` and keeps mirroring it. Resolves to {available, groups, sets, ms}; when
/// storage is unavailable, onNote gets one line and the page goes on without it.
export async function attachHistory(state, { onNote = () => {}, indexedDB = globalThis.indexedDB, name = DB_NAME } = {}) {
  const started = performance.now();
  let db;
  try {
    db = await openStore(indexedDB, name);
  } catch (error) {
    onNote(`Runs will not be kept after a reload: this browser does not let the page store them here (${error?.name || 'Error'}).`);
    return { available: false, groups: 0, sets: 0, ms: performance.now() - started };
  }
  let kept = { groups: [], sets: [] };
  try {
    kept = await loadAll(db);
  } catch (error) {
    onNote(`The runs kept earlier could not be read (${error?.name || 'Error'}); new runs are still kept.`);
  }
  state.restore(kept);
  const hooks = persistenceHooks(db, onNote);
  state.setPersistence(hooks);
  return { available: true, groups: kept.groups.length, sets: kept.sets.length, ms: performance.now() - started, hooks };
}
