// The file bridge of the wasm core (cpp/platform.cpp): Origin Private File System files, opened before a task, used synchronously by it.
// UMD-style like process-worker.js: importScripts() in the lab worker and in process workers sets self.parlabFiles;
// require() in Node returns the factory, to test it with a stand-in for the browser's storage.
//
// Why opened beforehand: a FileSystemSyncAccessHandle reads and writes synchronously (what the C++ file calls
// need), but it is only made asynchronously (createSyncAccessHandle returns a promise), and a wasm call cannot
// await. So the worker awaits open(files) before the task, the task's C++ finds each file by its path (take), and
// closeAll() lets go of them afterwards: a handle locks its file until closed, so another worker could not open it.
// The calls made from C++ never throw: they answer {value} or {error}, which the C++ side turns into an exception.
(function (root, factory) {
  if (typeof module === 'object' && module.exports) module.exports = factory;
  else root.parlabFiles = factory(() => root.navigator?.storage, root);
})(typeof self !== 'undefined' ? self : globalThis, function (getStorage, scope) {
  'use strict';

  let token = null; // the run's token: the suffix of its folder, the same in every worker of the run
  const opened = new Map(); // path -> FileSystemSyncAccessHandle, until closeAll()
  const taken = new Map(); // handle number (the C++ file's) -> {path, handle}
  let nextId = 1;
  let scratch = new Uint8Array(0); // a plain buffer for views of shared memory (see read/write)

  const describe = (err) => (err && err.message ? `${err.name ? `${err.name}: ` : ''}${err.message}` : String(err));

  /// Whether this browser has what the bridge needs here: {ok: true} or {ok: false, reason}.
  function support() {
    const storage = getStorage();
    if (!storage || typeof storage.getDirectory !== 'function') {
      return { ok: false, reason: 'this browser has no Origin Private File System (navigator.storage.getDirectory is missing)' };
    }
    const handleType = scope?.FileSystemFileHandle;
    if (handleType && typeof handleType.prototype.createSyncAccessHandle !== 'function') {
      return { ok: false, reason: 'this browser has no synchronous access handles for the Origin Private File System (FileSystemFileHandle.createSyncAccessHandle is missing)' };
    }
    return { ok: true, reason: null };
  }

  /// Starts a run's files: a new token, which make_temp_folder puts in the run's folder name. Returns it.
  function newRun() {
    token = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    return token;
  }

  /// A process worker joins the run the lab worker started (its token comes with the init message).
  function useRun(runToken) {
    token = String(runToken);
  }

  /// The run's token for make_temp_folder: {value} or {error}.
  function runToken() {
    return token ? { value: token } : { error: 'no run has started its files (the worker must call parlabFiles.newRun or useRun before building the workload)' };
  }

  /// "folder/sub/name" -> ['folder', 'sub'], 'name'; throws on an empty, "." or ".." part.
  function splitPath(path) {
    const parts = String(path).split('/');
    if (parts.some((p) => p === '' || p === '.' || p === '..')) throw new Error(`cannot open ${path}: not a plain relative path`);
    return { folders: parts.slice(0, -1), name: parts.at(-1) };
  }

  /// Opens every file of [{path, create}] (create: make it if missing; the folders are always made) with a sync access
  /// handle. Rejects naming the file that failed, after closing what it opened.
  async function open(files) {
    const storage = getStorage();
    if (!storage || typeof storage.getDirectory !== 'function') throw new Error(support().reason);
    const rootDir = await storage.getDirectory();
    try {
      for (const { path, create } of files) {
        if (opened.has(path)) continue;
        const { folders, name } = splitPath(path);
        let dir = rootDir;
        for (const folder of folders) dir = await dir.getDirectoryHandle(folder, { create: true });
        let handle;
        try {
          const fileHandle = await dir.getFileHandle(name, { create: Boolean(create) });
          handle = await fileHandle.createSyncAccessHandle();
        } catch (err) {
          throw new Error(`cannot open ${path}: ${describe(err)}`);
        }
        opened.set(path, handle);
      }
    } catch (err) {
      closeAll();
      throw err;
    }
  }

  /// Closes every handle open() made (and forgets the C++ side's numbers for them).
  function closeAll() {
    for (const handle of opened.values()) {
      try {
        handle.close();
      } catch (_) {
        // already closed: nothing to release
      }
    }
    opened.clear();
    taken.clear();
  }

  /// A file open() opened, for the C++ file: {value: its number} or {error} naming the path. create: empties it.
  function take(path, create) {
    const handle = opened.get(path);
    if (!handle) return { error: `cannot ${create ? 'create' : 'open'} ${path}: the page did not open it before the task (an Origin Private File System file opens only asynchronously)` };
    try {
      if (create) handle.truncate(0);
    } catch (err) {
      return { error: `cannot create ${path}: ${describe(err)}` };
    }
    const id = nextId++;
    taken.set(id, { path, handle });
    return { value: id };
  }

  /// The C++ file is closed: its number is forgotten (the handle stays open until closeAll()).
  function release(id) {
    taken.delete(id);
    return { value: 0 };
  }

  /// A plain (not shared) buffer of at least n bytes: Firefox's handles may refuse a view of a SharedArrayBuffer,
  /// which the pthread build's memory is.
  function plain(n) {
    if (scratch.length < n) scratch = new Uint8Array(n);
    return scratch.subarray(0, n);
  }
  const isShared = (view) => typeof SharedArrayBuffer === 'function' && view.buffer instanceof SharedArrayBuffer;

  function io(id, what, act) {
    const entry = taken.get(id);
    if (!entry) return { error: `cannot ${what}: file number ${id} is not open` };
    try {
      return { value: act(entry.handle) };
    } catch (err) {
      return { error: `cannot ${what} ${entry.path}: ${describe(err)}` };
    }
  }

  /// Reads into `view` (a view of wasm memory) from byte `at`: {value: bytes read} (0 at the end).
  function read(id, view, at) {
    return io(id, 'read', (handle) => {
      if (!isShared(view)) return handle.read(view, { at });
      const copy = plain(view.length);
      const n = handle.read(copy, { at });
      view.set(copy.subarray(0, n));
      return n;
    });
  }

  /// Writes `view` at byte `at`: {value: bytes written}.
  function write(id, view, at) {
    return io(id, 'write', (handle) => {
      if (!isShared(view)) return handle.write(view, { at });
      const copy = plain(view.length);
      copy.set(view);
      return handle.write(copy, { at });
    });
  }

  /// Waits until what was written is stored (the handle's flush): the C++ file's sync().
  function flush(id) {
    return io(id, 'flush', (handle) => {
      handle.flush();
      return 0;
    });
  }

  /// Removes the run's folders (every top-level entry named with its token) once the workers have let go of their
  /// files: a handle in a worker that was just terminated may hold its file a moment longer, so a locked folder is
  /// retried for up to `waitMs`. Resolves to the names removed; rejects naming what stayed.
  async function removeRun(runToken = token, { waitMs = 5000, sleep = (ms) => new Promise((r) => setTimeout(r, ms)) } = {}) {
    closeAll();
    if (!runToken) return [];
    const storage = getStorage();
    if (!storage || typeof storage.getDirectory !== 'function') return [];
    const rootDir = await storage.getDirectory();
    const names = [];
    for await (const name of rootDir.keys()) if (name.endsWith(`-${runToken}`)) names.push(name);
    for (const name of names) {
      for (let waited = 0; ; waited += 50) {
        try {
          await rootDir.removeEntry(name, { recursive: true });
          break;
        } catch (err) {
          if (err?.name === 'NotFoundError') break;
          if (waited >= waitMs) throw new Error(`cannot remove the run's folder ${name}: ${describe(err)}`);
          await sleep(50);
        }
      }
    }
    if (runToken === token) token = null;
    return names;
  }

  return { support, newRun, useRun, runToken, open, closeAll, take, release, read, write, flush, removeRun };
});
