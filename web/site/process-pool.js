// The "processes" mode: N process workers, each with its own wasm instance, fed one task at a time.
// UMD-style: importScripts() in the lab worker sets self.ParlabProcessPool; require() in Node returns the same API.
(function (root, factory) {
  const driver = typeof module === 'object' && module.exports ? require('./task-driver.js') : root.ParlabTaskDriver;
  const api = factory(driver);
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.ParlabProcessPool = api;
})(typeof self !== 'undefined' ? self : globalThis, function (driver) {
  'use strict';

  /// Starts a run of `taskCount` tasks on `workers` process workers and returns {result, stop}.
  ///
  /// `createWorker(k, {message, error})` makes process worker k (1..workers) and returns {post(msg), terminate()};
  /// it calls `message(data)` for each message from the worker and `error(text)` if the worker fails.
  /// Workers get {type:"init", params, pid:k, wasmModule} (a compiled WebAssembly.Module to instantiate, or
  /// null to fetch and compile their own), answer {type:"ready"}, then get {type:"task", index} one at a
  /// time and answer {type:"done", index, value, start, end, wait, rss_kib?} (ms on the shared clock; rss_kib the
  /// worker's memory when the task ended) or {type:"error", message}. Tasks are handed out once every worker is
  /// ready. A worker that could not read its init (it answers {type:"unreadable", message}: Firefox can fail to
  /// deserialize the compiled Module) is sent it once more without the Module, to fetch and compile its own.
  ///
  /// Data transfer: with `getInput(index)` (a Uint8Array of the task's input, or null for none) each task
  /// message carries `input`, copied to the worker by structured clone (its own memory: the browser's
  /// analogue of a pipe); workers are told `receiver: true` at init (they hold no data of their own) and may
  /// answer with `output` bytes, which `readOutput(index, output)` turns into the task's value. The run reports
  /// `bytes_transferred`: the payload bytes copied both ways (message headers not counted). With `filesToken` (a
  /// workload with files, opfs-files.js) the init carries it as `files`: every worker's instance then names the
  /// run's one folder. The run is
  /// `buildRun(timings)` (the core's run builder; timings from task-driver.js's TaskTimings). `stop()` terminates
  /// every worker at once; `result` then resolves to the run with complete:false and the finished tasks. A failing
  /// worker ends the run with ok:false and an error naming it. `result` rejects only when buildRun throws.
  /// `started()` counts the workers that have answered ready.
  ///
  /// Warm workers (warm-pool.js): a handle may say `warm: true` (a worker kept from an earlier run, its wasm instance
  /// loaded: its init carries no Module) and may have `keep()`. When the run has finished every task, without an
  /// error or a stop, each handle with `keep()` is kept instead of terminated; after anything else every worker is
  /// terminated, so that nothing of a failed, crashed or stopped run (a task still computing, a dead instance)
  /// reaches a later one. The run reports `warm_workers`: how many handles were warm.
  function startProcessRun({
    createWorker,
    params,
    buildRun,
    workers,
    taskCount,
    hardwareConcurrency = null,
    onProgress = () => {},
    wasmModule = null,
    getInput = null,
    readOutput = null,
    filesToken = null,
    now = driver.nowMs,
  }) {
    const workerCount = Math.max(1, Math.floor(Number(workers) || 1));
    const timings = new driver.TaskTimings(now());
    const handles = new Array(workerCount + 1).fill(null); // index k = process worker k
    const inFlight = new Array(workerCount + 1).fill(-1); // task index each worker holds, -1 when idle
    let readyCount = 0;
    const initResent = new Array(workerCount + 1).fill(false); // init sent again without the Module
    const initOf = (k, module) => ({ type: 'init', params, pid: k, wasmModule: module, receiver: Boolean(getInput), ...(filesToken ? { files: filesToken } : {}) });
    let nextTask = 0;
    let bytesTransferred = 0;
    let finished = false;
    let resolveResult;
    let rejectResult;
    const result = new Promise((resolve, reject) => {
      resolveResult = resolve;
      rejectResult = reject;
    });

    function finish({ error = null, stopped = false } = {}) {
      if (finished) return;
      finished = true;
      const endMs = now();
      // Kept only when every task came back: then no worker holds a task, and each answered every message sent.
      const fit = error === null && !stopped && timings.tasksDone === taskCount;
      for (const handle of handles) {
        if (!handle) continue;
        try {
          if (fit && typeof handle.keep === 'function') handle.keep();
          else handle.terminate();
        } catch (_) {
          // already gone: nothing to free
        }
      }
      const warmWorkers = handles.filter((handle) => handle && handle.warm === true).length;
      try {
        resolveResult(buildRun(timings.timings({ endMs, error, hardwareConcurrency, bytesTransferred, warmWorkers })));
      } catch (err) {
        rejectResult(err);
      }
    }

    function fail(k, text) {
      const line = String(text).split('\n')[0].replace(/\s*Build with -s ASSERTIONS=1 for more info\.?/, '');
      finish({ error: `process worker ${k}: ${line}` });
    }

    function dispatch(k) {
      if (finished) return;
      if (nextTask >= taskCount) {
        inFlight[k] = -1;
        return;
      }
      inFlight[k] = nextTask;
      nextTask += 1;
      const msg = { type: 'task', index: inFlight[k] };
      if (getInput) {
        let input;
        try {
          input = getInput(msg.index); // the serialisation: a copy of the task's data
        } catch (err) {
          fail(k, `preparing the input of task ${msg.index}: ${driver.describeError(err)}`);
          return;
        }
        if (input && input.byteLength > 0) {
          msg.input = input;
          bytesTransferred += input.byteLength;
        }
      }
      handles[k].post(msg);
    }

    function onMessage(k, data) {
      if (finished) return;
      const type = data && data.type;
      if (type === 'ready') {
        readyCount += 1;
        if (readyCount === workerCount) {
          timings.markReady(now());
          if (taskCount === 0) finish();
          for (let j = 1; j <= workerCount; j += 1) dispatch(j);
        }
      } else if (type === 'done') {
        if (data.index !== inFlight[k]) {
          fail(k, `answered task ${data.index} but was given task ${inFlight[k]}`);
          return;
        }
        try {
          let value = data.value;
          if (data.output && data.output.byteLength > 0) {
            bytesTransferred += data.output.byteLength;
            if (!readOutput) throw new Error(`sent output bytes for task ${data.index} that nothing reads`);
            value = readOutput(data.index, data.output); // the parent's use of the results it received
          }
          timings.add({
            id: data.index, worker: k - 1, pid: k, thread: k, startMs: Number(data.start), endMs: Number(data.end),
            waitMs: Number(data.wait) || 0, value, rssKib: data.rss_kib == null ? null : Number(data.rss_kib),
          });
        } catch (err) {
          fail(k, driver.describeError(err));
          return;
        }
        onProgress(timings.tasksDone, taskCount);
        if (timings.tasksDone === taskCount) finish();
        else dispatch(k);
      } else if (type === 'unreadable' && wasmModule && !initResent[k] && inFlight[k] === -1 && readyCount < workerCount) {
        initResent[k] = true;
        handles[k].post(initOf(k, null));
      } else if (type === 'error' || type === 'unreadable') {
        fail(k, String(data.message || 'failed'));
      } else {
        fail(k, `sent an unknown message ${JSON.stringify(type)}`);
      }
    }

    try {
      for (let k = 1; k <= workerCount && !finished; k += 1) {
        handles[k] = createWorker(k, {
          message: (data) => onMessage(k, data),
          error: (text) => {
            if (!finished) fail(k, String(text || 'crashed'));
          },
        });
        // A warm worker has its instance already: its init carries no Module (nothing to clone, or to fail to read).
        handles[k].post(initOf(k, handles[k].warm === true ? null : wasmModule));
      }
    } catch (err) {
      finish({ error: `starting process workers: ${driver.describeError(err)}` });
    }

    return {
      result,
      stop: () => finish({ stopped: true }),
      started: () => readyCount, // process workers that have answered ready
    };
  }

  return { startProcessRun };
});
