// The lab's only contact with wasm: loads the pthread build (or parlab_st when not isolated), runs, reports progress.
// Protocol (docs/architecture.md): init -> ready {labInfo, ...}; check -> checked; run -> started, progress*,
// heartbeat*, then result | error; stop. The workers it needs (pthreads, process workers) it asks the page for:
// spawn -> spawned {port} | worker-error; terminate.
// Modes and bounds come from the core's lab info (Module.get_lab_info, sent with ready): the pthread modes run in
// wasm (pthread build only); with the pthread build every mode with shared memory runs in wasm too, else the JS
// task driver runs the one-worker and the slots (event loop) modes on this worker's event loop; the separate-memory
// mode runs on process workers.
// A workload with files (copy) runs on process workers only (the core refuses other modes): this worker starts
// the run's files (opfs-files.js), writes each source before the run, untimed, and removes the run's folder after it.
/* global importScripts, ParlabTaskDriver, ParlabProcessPool, ParlabWarmPool, createParlab, createParlabST, parlabFiles */
'use strict';

/// When each step of this worker's start-up happened (ms since the epoch, the clock pages and workers share): sent
/// with ready, and marked on the page's timeline (bridge.js) for scripts/ready-profile.mjs.
const startup = { script: performance.timeOrigin + performance.now() };
const stamp = (name) => { startup[name] = performance.timeOrigin + performance.now(); };

/// parlab.wasm fetched and compiled from the start, while this worker still loads its scripts and parlab.js (the
/// pthread build's runtime), instead of after them; null where the pthread build will not be tried.
const pthreadWasm = self.crossOriginIsolated && typeof SharedArrayBuffer === 'function' && typeof WebAssembly.compileStreaming === 'function'
  ? WebAssembly.compileStreaming(fetch(new URL('wasm/parlab.wasm', self.location.href).href)) : null;
if (pthreadWasm) pthreadWasm.catch(() => {}); // a failure is reported when the build is instantiated

importScripts('task-driver.js', 'process-pool.js', 'warm-pool.js', 'opfs-files.js');

/// A worker the page starts for this one (through worker-port.js) and connects to it with a MessagePort; it has
/// the Worker interface that Emscripten's pthread pool and the process pool use (postMessage, onmessage, onerror,
/// terminate). Why: in Firefox, `new Worker()` inside a worker can block that worker for good (issue 11: the lab
/// worker froze while its pthread pool was being made, and the page waited on "Starting the lab worker…").
class PageStartedWorker {
  static #nextKey = 1;
  static #live = new Map(); // key -> PageStartedWorker, until terminated

  constructor(url, options = {}) {
    this.key = PageStartedWorker.#nextKey++;
    this.onmessage = null;
    this.onerror = null;
    this.onmessageerror = null;
    this.port = null;
    this.connected = false; // the worker has said hello on the port (worker-port.js says why that matters)
    this.pending = []; // [message, transfer] posted before that
    this.terminated = false;
    PageStartedWorker.#live.set(this.key, this);
    self.postMessage({ type: 'spawn', key: this.key, url: new URL(String(url), self.location.href).href, name: (options && options.name) || '' });
  }

  postMessage(message, transfer) {
    if (this.terminated) return;
    if (this.connected) this.port.postMessage(message, transfer || []);
    else this.pending.push([message, transfer || []]);
  }

  terminate() {
    if (this.terminated) return;
    this.terminated = true;
    PageStartedWorker.#live.delete(this.key);
    if (this.port) this.port.close();
    this.pending = [];
    self.postMessage({ type: 'terminate', key: this.key });
  }

  /// The page's answers: {type:'spawned', key, port} or {type:'worker-error', key, message}; false for other messages.
  static handle(msg) {
    if (msg.type !== 'spawned' && msg.type !== 'worker-error') return false;
    const worker = PageStartedWorker.#live.get(msg.key);
    if (msg.type === 'spawned') {
      if (!worker) {
        if (msg.port) msg.port.close();
        return true;
      }
      worker.port = msg.port;
      worker.port.onmessage = (event) => {
        if (!worker.connected) {
          if (!event.data || event.data.type !== 'port-hello') return;
          worker.connected = true;
          for (const [message, transfer] of worker.pending) worker.port.postMessage(message, transfer);
          worker.pending = [];
          return;
        }
        if (worker.onmessage) worker.onmessage(event);
      };
      worker.port.onmessageerror = (event) => { if (worker.onmessageerror) worker.onmessageerror(event); };
    } else if (worker && worker.onerror) {
      // As a Worker's error event; Emscripten's handler rethrows it, which the pthread loader catches below.
      worker.onerror({ message: String(msg.message || 'failed'), filename: '', lineno: 0, preventDefault() {} });
    }
    return true;
  }
}
// Emscripten's pthread pool calls `new Worker(...)`: it gets a page-started worker too.
self.Worker = PageStartedWorker;

const wasmUrl = (path) => new URL('wasm/' + path, self.location.href).href;

let setup = null; // promise of {Module, threads, labInfo, buildInfo}, made once
let current = null; // the run in progress: {id, stop(), state()}

// The bounds come from the page with init (web/site/watchdog.js defines them); these stand in until then.
let pthreadStartTimeoutMs = 8_000;
let heartbeatMs = 1_000;
/// Test hook (the page's ?test-hang=): 'init' ignores init, 'run' ignores runs, 'task' never hands a task to
/// process worker 1: each makes a worker that never answers, for the page's watchdog tests.
let testHang = null;

/// The pthread build's Module; rejects (instead of hanging) when a pthread worker cannot load.
async function loadThreadedBuild() {
  // Emscripten rethrows a pthread worker's load error inside this worker; catch it here so that it neither
  // reaches the page as a crash of this worker nor leaves createParlab waiting forever. After a failure the
  // listener stays, to silence the dead pool's remaining workers.
  let reportFailure;
  const failed = new Promise((_, reject) => {
    reportFailure = reject;
  });
  failed.catch(() => {});
  const onError = (event) => {
    event.preventDefault();
    reportFailure(new Error(`a pthread worker failed to start (${event.message || 'is wasm/parlab.worker.js there?'})`));
  };
  self.addEventListener('error', onError);
  let timer = 0;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the pthread build did not start within ${pthreadStartTimeoutMs / 1000} s`)), pthreadStartTimeoutMs);
  });
  try {
    importScripts(wasmUrl('parlab.js'));
    stamp('runtime');
    // locateFile finds parlab.wasm and parlab.worker.js; mainScriptUrlOrBlob is what each pthread worker
    // imports (inside a worker emscripten has no document.currentScript to learn it from).
    // instantiateWasm: Emscripten's hook for a module compiled elsewhere (here, from this worker's first moment);
    // receiveInstance keeps the module, which it posts to each pthread worker.
    const instantiateWasm = pthreadWasm ? (imports, receiveInstance) => {
      pthreadWasm.then((module) => WebAssembly.instantiate(module, imports).then((instance) => receiveInstance(instance, module)))
        .catch((err) => reportFailure(new Error(`parlab.wasm did not load (${ParlabTaskDriver.describeError(err)})`)));
      return {};
    } : undefined;
    const Module = await Promise.race([
      createParlab({ locateFile: wasmUrl, mainScriptUrlOrBlob: wasmUrl('parlab.js'), instantiateWasm }), failed, timeout,
    ]);
    self.removeEventListener('error', onError);
    return Module;
  } finally {
    clearTimeout(timer);
  }
}

/// Loads the pthread build when SharedArrayBuffer is usable, else the single-threaded one.
function loadWasm() {
  if (setup) return setup;
  setup = (async () => {
    let Module = null;
    let threads = false;
    let pthreadError = null;
    if (self.crossOriginIsolated && typeof SharedArrayBuffer === 'function') {
      try {
        Module = await loadThreadedBuild();
        threads = true;
      } catch (err) {
        pthreadError = ParlabTaskDriver.describeError(err);
        Module = null;
      }
    }
    if (!Module) {
      importScripts(wasmUrl('parlab_st.js'));
      Module = await createParlabST({ locateFile: wasmUrl });
    }
    stamp('module');
    const labInfo = JSON.parse(Module.get_lab_info());
    const buildInfo = JSON.parse(Module.get_build_info());
    if (pthreadError) buildInfo.pthread_error = pthreadError;
    return { Module, threads, labInfo, buildInfo };
  })();
  return setup;
}

let compiledSingleThreaded = null; // promise of parlab_st.wasm compiled once, for every process worker

/// parlab_st.wasm compiled once and shared by the process workers (each still instantiates its own memory);
/// null if compiling here fails, and each worker then fetches and compiles its own.
function compileSingleThreaded() {
  if (!compiledSingleThreaded) {
    compiledSingleThreaded = WebAssembly.compileStreaming(fetch(wasmUrl('parlab_st.wasm'))).catch(() => null);
  }
  return compiledSingleThreaded;
}

/// The pthread pool's growth before a run, or in the background (web/pthread-pool.js): resolves once `count` workers
/// have loaded; rejects with one line when a worker fails to load or the pool does not grow within the start bound.
/// onLoaded(loaded) is called as each worker loads.
function growPool(Module, count, onLoaded) {
  let timer = 0;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the thread pool did not grow to ${count} workers within ${pthreadStartTimeoutMs / 1000} s`)), pthreadStartTimeoutMs);
  });
  return Promise.race([Module.growPthreadPool(count, onLoaded), timeout]).finally(() => clearTimeout(timer));
}

/// After ready, the pool grows in the background to Module.pthreadPoolWarm workers, as many at a time as there are
/// CPUs, and only while no run is queued or running: a step that a run arrives during finishes first (the run waits
/// for it and says so, waitForPool), and the warm-up goes on after the last run. Then parlab_st.wasm is compiled, for
/// the first processes run. A failed step only ends the warm-up: a run that needs threads grows the pool and says why.
const warm = { next: null }; // next: the warm-up's next step, while it waits for the runs to end

function warmUp(Module, threads) {
  const target = threads ? Number(Module.pthreadPoolWarm) || 0 : 0;
  const step = Math.max(1, hardwareConcurrency());
  // The page hears when the warm-up has ended (its worker count then holds still between runs).
  const done = () => self.postMessage({ type: 'warm', pthreads: threads ? Module.getPthreadPoolState().loaded : 0 });
  const next = () => {
    if (runsInFlight > 0) {
      warm.next = next;
      return;
    }
    const size = threads ? Module.getPthreadPoolState().loaded : target;
    if (size >= target) {
      compileSingleThreaded().then(done);
      return;
    }
    growPool(Module, Math.min(target, size + step)).then(next, done);
  };
  next();
}

/// Before a run: waits until every pthread worker still loading has loaded and at least `needed` have (the warm-up's
/// step in flight, then the run's own growth), so that no worker loads while the run is timed; tells the page how
/// far the pool got (a 'threads' message per worker loaded) instead of waiting silently.
async function waitForPool(Module, id, needed) {
  const pool = Module.getPthreadPoolState();
  if (pool.loaded >= needed && pool.loading === 0) return;
  const goal = Math.max(needed, pool.loaded + pool.loading);
  const report = (loaded) => {
    runState.started = loaded;
    self.postMessage({ type: 'threads', id, loaded: Math.min(loaded, goal), needed: goal });
  };
  report(pool.loaded);
  try {
    await growPool(Module, needed, report);
  } catch (err) {
    throw refusal(ParlabTaskDriver.describeError(err));
  } finally {
    runState.started = null;
  }
}

function controlOf(Module) {
  const offsets = JSON.parse(Module.get_control_offsets());
  const buffer = Module.wasmMemory ? Module.wasmMemory.buffer : Module.HEAP8.buffer;
  return { buffer, cancel: offsets.cancel, done: offsets.done };
}

function hardwareConcurrency() {
  return typeof navigator === 'object' && navigator.hardwareConcurrency ? navigator.hardwareConcurrency : 1;
}

/// A browser process worker for process-pool.js.
function createProcessWorker(k, handlers) {
  const worker = new PageStartedWorker(new URL('process-worker.js', self.location.href).href, { name: `process-${k}` });
  worker.onmessage = (event) => handlers.message(event.data);
  worker.onerror = (event) => {
    event.preventDefault();
    handlers.error(event.message || 'failed to start');
  };
  worker.onmessageerror = () => handlers.error('sent a message that could not be read');
  const muted = testHang === 'task' && k === 1; // the test hook: this worker is never given its task
  return { post: (msg) => { if (!(muted && msg.type === 'task')) worker.postMessage(msg); }, terminate: () => worker.terminate() };
}

/// The process workers kept warm between runs (warm-pool.js); the page hears how many are kept.
const warmPool = new ParlabWarmPool.WarmPool({
  spawn: createProcessWorker,
  onChange: (kept) => self.postMessage({ type: 'warm-pool', kept }),
});

/// The state of the run in progress that the heartbeat reports: tasks done, of total.
const runState = { done: 0, total: null, started: null }; // started: pthread workers loaded while a run waits for them

/// Progress messages, at most one per 50 ms plus the last one.
function progressReporter(id) {
  let last = 0;
  runState.done = 0;
  runState.total = null;
  runState.started = null;
  return (done, total) => {
    runState.done = done;
    runState.total = total;
    const t = performance.now();
    if (done === total || t - last >= 50) {
      last = t;
      self.postMessage({ type: 'progress', id, done, total });
    }
  };
}

/// Whether an error leaves the wasm instance unusable: anything thrown out of wasm that is not one of the core's
/// errors (a trap, abort(), exit(), or the 'unwind' a pthread's abort leaves this thread with). The core's errors
/// and this worker's own refusals carry a `kind` (bindings.cpp); the instance lives on after them.
function isFatal(error) {
  return !ParlabTaskDriver.isCoreError(error);
}

/// This worker's own refusal of a run, marked as the core marks invalid input (not fatal).
function refusal(message) {
  return Object.assign(new Error(message), { kind: 'invalid_argument' });
}

/// The lab info's mode {name, pthreads, separate_memory, slots, one_worker, interpreter_lock, ...}; throws for a
/// name it does not list.
function modeOf(labInfo, name) {
  const mode = labInfo.modes.find((m) => m.name === name);
  if (!mode) throw refusal(`mode must be one of ${labInfo.modes.map((m) => m.name).join(', ')} (not ${JSON.stringify(name)})`);
  return mode;
}

/// Sets the simulated interpreter lock's switch interval for the next run under it (the default when it names none).
function applySwitchInterval(Module, labInfo, options) {
  // The setting outlives the run in wasm: a run that names none gets the default, not the last run's.
  const asked = options && options.switch_interval_ms != null ? options.switch_interval_ms : labInfo.limits.switch_interval_ms.default;
  const refused = Module.set_switch_interval_ms(Number(asked)); // "" when set, else one line naming the core's bounds
  if (refused) throw refusal(String(refused));
}

async function run(msg) {
  const { id, mode } = msg;
  const params = msg.params || {};
  const options = msg.options || {};
  const { Module, threads, labInfo } = await loadWasm();
  const paramsJson = JSON.stringify(params);
  const invalid = Module.validate_params(paramsJson);
  if (invalid) throw refusal(invalid);
  const facts = modeOf(labInfo, mode);
  const workers = facts.one_worker ? 1 : Math.floor(Number(msg.workers));
  // The pthread build's pool grows up to max_workers (web/pthread-pool.js); process workers go as far.
  const maxWorkers = facts.slots ? labInfo.limits.max_async_workers : labInfo.limits.max_workers;
  if (!(workers >= 1 && workers <= maxWorkers)) throw refusal(`workers must be between 1 and ${maxWorkers} in ${mode} mode (got ${msg.workers})`);
  const onProgress = progressReporter(id);
  // A workload with files names its folder after the run's token whenever the core builds it (build_run_json does
  // too): a new token for every run, before any of them.
  const filesToken = parlabFiles.newRun();
  // The core's run without tasks: what the page reports if this worker is lost during the run.
  const lockMs = facts.interpreter_lock ? options.switch_interval_ms ?? labInfo.limits.switch_interval_ms.default : null;
  const now = ParlabTaskDriver.nowMs();
  const none = new ParlabTaskDriver.TaskTimings(now).timings({ endMs: now, hardwareConcurrency: hardwareConcurrency() });
  const accepted = Module.build_run_json(paramsJson, mode, workers, { ...none, switch_interval_ms: lockMs });
  self.postMessage({ type: 'started', id, run: JSON.parse(accepted) });

  // Outside the run's timing: a run in pthreads needs a loaded worker for each of its threads (one spare for the
  // run's own helper threads, if any), and no run is timed while a pthread worker loads beside it.
  if (threads) await waitForPool(Module, id, facts.pthreads && !facts.separate_memory ? workers + 1 : 0);
  if (threads && !facts.separate_memory) {
    if (facts.interpreter_lock) applySwitchInterval(Module, labInfo, options);
    // Every thread of the run finds a loaded worker in the pool (waitForPool above): one made on demand would never
    // start while run_json blocks this worker (web/pthread-pool.js). Blocks until done; the page stops it through
    // control.cancel.
    return JSON.parse(Module.run_json(paramsJson, mode, workers));
  }
  if (facts.pthreads) throw refusal(`${mode} mode needs the page to be cross-origin isolated`);

  // The drivers time the tasks; the core assembles the run from those timings (phase, memory, checksum, totals).
  const workload = new Module.Workload(paramsJson);
  let filesUsed = false;
  // The counter workload's counter as this worker's instance holds it after the run: the parent's memory, which
  // process workers (their own instances) never touch.
  const counterOf = () => {
    const value = workload.counter_value();
    return value === '' ? {} : { counter_value: value };
  };
  const buildRun = (timings) =>
    JSON.parse(Module.build_run_json(paramsJson, mode, workers, { ...timings, ...counterOf() }));
  try {
    if (facts.one_worker || facts.slots) {
      // Without the pthread build: the event loop is this worker's own (JavaScript) one.
      let stopped = false;
      current = { id, stop: () => { stopped = true; } };
      return await ParlabTaskDriver.runAsync({
        workload, buildRun, workers, hardwareConcurrency: hardwareConcurrency(), shouldStop: () => stopped, onProgress,
        instanceId: 0, memoryKib: () => Number(Module.get_memory_kib()),
      });
    }
    if (facts.separate_memory) {
      const taskCount = Number(workload.task_count());
      if (taskCount > 0 && workload.task_files(0).length > 0) {
        const support = parlabFiles.support();
        if (!support.ok) throw refusal(`workload ${params.workload} cannot run here: ${support.reason}`);
        filesUsed = true;
        await prepareFiles(workload, taskCount);
      }
      const wasmModule = await compileSingleThreaded();
      // Kept workers are reused unless the run asks to start cold (options.cold_start); the last run's workers have
      // freed it before this one's time starts. Same build: this lab worker compiles parlab_st once.
      await warmPool.settle();
      const lease = warmPool.lease({ workers, build: wasmUrl('parlab_st.wasm'), cold: options.cold_start === true });
      // This worker holds the data, as a Python parent holds its list: each task's input bytes are copied to the
      // process worker with the task, and its output bytes copied back.
      const pool = ParlabProcessPool.startProcessRun({
        createWorker: lease.createWorker, params, buildRun, workers, taskCount,
        hardwareConcurrency: hardwareConcurrency(), onProgress, wasmModule,
        getInput: (index) => workload.input_bytes(index),
        readOutput: (index, output) => String(workload.read_output(index, output)),
        filesToken: filesUsed ? filesToken : null,
      });
      current = { id, stop: pool.stop, started: pool.started };
      return await pool.result;
    }
    throw refusal(`${mode} mode has no driver in this lab worker`);
  } finally {
    try {
      workload.delete();
    } catch (_) {
      // the instance may be dead (abort): nothing left to free
    }
    // Nothing of the run stays in the origin's storage (the process workers are terminated by now).
    if (filesUsed) await parlabFiles.removeRun(filesToken).catch((err) => { throw filesFailure(err); });
  }
}

/// Writes every file the tasks read (the copy's sources), one task at a time: open them (asynchronously), let the
/// core write them (prepare_task), close them, so that a process worker can open them next.
async function prepareFiles(workload, taskCount) {
  for (let i = 0; i < taskCount; i += 1) {
    const reads = workload.task_files(i).filter((f) => !f.create).map((f) => ({ path: f.path, create: true }));
    await parlabFiles.open(reads).catch((err) => { throw filesFailure(err); });
    try {
      workload.prepare_task(i);
    } finally {
      parlabFiles.closeAll();
    }
  }
}

/// A failure of the browser's file system, marked as the core marks a failed run: the wasm instance lives on.
function filesFailure(err) {
  return Object.assign(new Error(ParlabTaskDriver.describeError(err)), { kind: 'failed' });
}

// Runs are handled one at a time, in order; a run that arrives while another runs waits for it.
let queue = Promise.resolve();
let runsInFlight = 0; // runs queued or running: the pool's warm-up waits for them (warmUp)

self.onmessage = (event) => {
  const msg = event.data || {};
  if (PageStartedWorker.handle(msg)) return;
  if (msg.type === 'stop') {
    if (current && (msg.id === undefined || msg.id === current.id)) current.stop();
    return;
  }
  if (msg.type === 'init') {
    if (Number(msg.pthreadStartTimeoutMs) > 0) pthreadStartTimeoutMs = Number(msg.pthreadStartTimeoutMs);
    if (Number(msg.heartbeatMs) > 0) heartbeatMs = Number(msg.heartbeatMs);
    testHang = typeof msg.testHang === 'string' ? msg.testHang : null;
    if (testHang === 'init') return;
    loadWasm().then(
      ({ Module, threads, labInfo, buildInfo }) => {
        self.postMessage({
          type: 'ready', buildInfo, labInfo, threadsAvailable: threads,
          control: threads ? controlOf(Module) : null, startup,
        });
        warmUp(Module, threads); // the pthread pool, then parlab_st for processes: after ready, between runs
      },
      (err) => self.postMessage({ type: 'error', id: null, message: `loading wasm: ${ParlabTaskDriver.describeError(err)}` }),
    );
    return;
  }
  if (msg.type === 'check') {
    // The core checks the parameters (the page does not re-derive its rules) and counts the tasks they make.
    loadWasm().then(({ Module }) => {
      try {
        const taskCount = Number(Module.get_task_count(JSON.stringify(msg.params || {})));
        self.postMessage({ type: 'checked', id: msg.id, error: null, parameter: null, taskCount });
      } catch (err) {
        if (isFatal(err)) throw err;
        self.postMessage({ type: 'checked', id: msg.id, error: err.message, parameter: err.parameter || null, taskCount: null });
      }
    }).catch((err) => self.postMessage({ type: 'checked', id: msg.id, error: ParlabTaskDriver.describeError(err), parameter: null, taskCount: null }));
    return;
  }
  if (msg.type === 'run') {
    if (testHang === 'run') return;
    runsInFlight += 1;
    queue = queue.then(() => {
      // While this thread is free (between tasks, or always in processes mode), tell the page how the run stands:
      // its watchdog counts a change of tasks done or workers started as progress.
      const heartbeat = setInterval(() => {
        self.postMessage({
          type: 'heartbeat', id: msg.id, done: runState.done, total: runState.total,
          started: current && current.id === msg.id && current.started ? current.started() : runState.started,
        });
      }, heartbeatMs);
      return run(msg).then(
        (result) => self.postMessage({ type: 'result', id: msg.id, run: result }),
        (err) => self.postMessage({
          type: 'error',
          id: msg.id,
          message: err === 'unwind' ? 'a thread of the run aborted, which stops the whole WebAssembly instance' : ParlabTaskDriver.describeError(err),
          fatal: isFatal(err),
        }),
      ).finally(() => {
        clearInterval(heartbeat);
        current = null;
        runsInFlight -= 1;
        if (runsInFlight === 0 && warm.next) {
          const next = warm.next;
          warm.next = null;
          next();
        }
      });
    });
    return;
  }
  self.postMessage({ type: 'error', id: msg.id === undefined ? null : msg.id, message: `unknown message type ${JSON.stringify(msg.type)}` });
};
