// A "process" of the lab: a classic worker with its own parlab_st instance (its own memory) that runs the tasks it is sent.
// Protocol (see process-pool.js): init {params, pid, receiver, files?} -> ready; task {index, input?} -> done {index, value,
// output?, start, end, wait, rss_kib} (ms on performance.timeOrigin + performance.now(); rss_kib: this instance's
// memory when the task ended); any failure -> error {message}, a failed instantiation included; a message it cannot
// read -> unreadable {message}; release -> released (the run is over: its workload, and everything of the run in this
// instance, is freed, so that a later run's init finds the instance as a fresh one would; warm-pool.js keeps the worker).
// A receiver holds no data of its own: a task's input bytes come with the task (copied by postMessage) and its
// output bytes go back the same way.
// A workload with files (copy): init carries the run's files token (opfs-files.js), and before each task the worker
// awaits opening the task's files, which the task's C++ then uses synchronously; they are closed after it.
(function (root, factory) {
  const api = factory();
  if (typeof module === 'object' && module.exports) {
    module.exports = api;
  } else {
    root.ParlabProcessWorker = api;
    if (typeof importScripts === 'function' && typeof root.postMessage === 'function') api.attachToWorkerScope(root);
  }
})(typeof self !== 'undefined' ? self : globalThis, function () {
  'use strict';

  function nowMs() {
    return performance.timeOrigin + performance.now();
  }

  function describeError(err) {
    if (err && typeof err.message === 'string' && err.message) return err.message.split('\n')[0];
    return String(err).split('\n')[0] || 'unknown error';
  }

  /// Returns an async message handler. `loadModule()` resolves to a parlab_st Module; `post(msg)` answers;
  /// `loadFiles()` returns the file bridge (opfs-files.js), loaded by the first init that names a run's files.
  /// Messages are handled one at a time in arrival order.
  function createHandler({ loadModule, post, loadFiles = null, now = nowMs, sleep = (ms) => new Promise((r) => setTimeout(r, ms)) }) {
    let workload = null;
    let files = null; // the file bridge, once an init has named the run's files
    let memoryKib = () => null;
    let queue = Promise.resolve();

    async function handle(msg) {
      const type = msg && msg.type;
      if (type === 'init') {
        const Module = await loadModule(msg.wasmModule || null);
        if (workload) workload.delete();
        memoryKib = () => Number(Module.get_memory_kib());
        // A receiver (false: hold no data) computes only from the input bytes each task brings.
        const json = JSON.stringify(msg.params);
        files = null;
        if (msg.files) {
          if (!loadFiles) throw new Error('this worker has no file bridge for a workload with files');
          files = loadFiles();
          files.useRun(msg.files); // the run's folder, which the workload names when built
        }
        workload = msg.receiver ? new Module.Workload(json, false) : new Module.Workload(json);
        post({ type: 'ready', pid: msg.pid, task_count: Number(workload.task_count()) });
      } else if (type === 'release') {
        // Between runs this worker holds nothing of the last one: not its workload (the counter workload's counter
        // lives there), not its files. The core keeps no other state across calls (docs/architecture.md).
        if (workload) workload.delete();
        workload = null;
        if (files) files.closeAll();
        files = null;
        post({ type: 'released' });
      } else if (type === 'task') {
        if (!workload) throw new Error('task before init');
        const index = Number(msg.index);
        if (!Number.isInteger(index) || index < 0 || index >= Number(workload.task_count())) {
          throw new Error(`no task ${msg.index}`);
        }
        const start = now();
        // Opening is part of the task's time, as open() is of a native copy.
        const taskFiles = files ? workload.task_files(index) : [];
        if (taskFiles.length) await files.open(taskFiles);
        try {
          await runTask(index, msg, start);
        } finally {
          if (taskFiles.length) files.closeAll();
        }
      } else {
        throw new Error(`unknown message ${JSON.stringify(type)}`);
      }
    }

    /// Task `index` after its files are open: its wait (simulated latency), then its computation; answers done.
    async function runTask(index, msg, start) {
      const waitSeconds = Number(workload.wait_seconds(index));
      if (waitSeconds > 0) await sleep(waitSeconds * 1000);
      const waited = waitSeconds > 0 ? now() - start : 0;
      if (msg.input) {
        const answer = workload.compute_from_input(index, msg.input);
        post({ type: 'done', index, value: String(answer.value), output: answer.output, start, end: now(), wait: waited, rss_kib: memoryKib() });
        return;
      }
      const value = String(workload.compute(index));
      post({ type: 'done', index, value, start, end: now(), wait: waited, rss_kib: memoryKib() });
    }

    return function onMessage(msg) {
      queue = queue.then(() => handle(msg)).catch((err) => post({ type: 'error', message: describeError(err) }));
      return queue;
    };
  }

  /// Wires the handler to a browser worker scope, loading wasm/parlab_st.js next to this script. Given a
  /// compiled WebAssembly.Module (the lab worker compiles it once), it only instantiates it: its own instance
  /// and memory, as a forked process gets its own memory but shares the program's code.
  function attachToWorkerScope(scope) {
    let modulePromise = null;
    const loadModule = (wasmModule) => {
      if (!modulePromise) {
        const base = scope.location.href;
        scope.importScripts(new URL('wasm/parlab_st.js', base).href);
        const options = { locateFile: (path) => new URL('wasm/' + path, base).href };
        // Emscripten never settles its promise when a custom instantiation fails: that failure settles this one.
        let instantiationFailed = () => {};
        const failed = new Promise((_, reject) => { instantiationFailed = reject; });
        if (wasmModule) {
          options.instantiateWasm = (imports, receive) => {
            WebAssembly.instantiate(wasmModule, imports).then((instance) => receive(instance, wasmModule), instantiationFailed);
            return {};
          };
        }
        modulePromise = Promise.race([scope.createParlabST(options), failed]);
      }
      return modulePromise;
    };
    const loadFiles = () => {
      if (!scope.parlabFiles) scope.importScripts(new URL('opfs-files.js', scope.location.href).href);
      return scope.parlabFiles;
    };
    const onMessage = createHandler({ loadModule, post: (msg) => scope.postMessage(msg), loadFiles });
    scope.onmessage = (event) => onMessage(event.data);
    // A message that cannot be deserialized (Firefox: the init's wasm Module, see worker-port.js) would leave the
    // run waiting on an answer that never comes: the pool sends the init once more without the Module, or ends the run.
    scope.onmessageerror = () => scope.postMessage({ type: 'unreadable', message: 'a message from the lab worker could not be read (messageerror)' });
  }

  return { createHandler, attachToWorkerScope };
});
