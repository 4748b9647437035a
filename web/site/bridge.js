// Page side of the lab-worker protocol: start the worker lazily, run with progress, stop, recover from crashes.
// Also starts the workers the lab worker asks for (its pthreads and process workers; see worker-port.js), and
// never waits silently: bounds on start-up and on a run's silence come from watchdog.js.
//
// Failure model: the lab worker (and the pthread and process workers it owns) may fail at any time. A run in flight
// then resolves at once to a run object with ok: false and an error naming the lab worker, and a fresh lab worker
// starts straight away. Stop asks the run to end cooperatively; if it has not come back within STOP_DEADLINE_MS
// (a task in the middle of a long computation), the lab worker is terminated, which ends every worker under it,
// and the run resolves with complete: false and what the page knows (how many tasks had finished).

import { hasSeparateMemory, setLabInfo } from './modes.js';
import { HEARTBEAT_MS, PTHREAD_START_TIMEOUT_MS, READY_TIMEOUT_MS, RunWatchdog } from './watchdog.js';

const POLL_MS = 100;
/// How long Stop waits for the run to come back by itself before terminating the lab worker (the page promises
/// every worker has stopped within 200 ms). In a separate-memory mode the lab worker's own thread is free: it
/// terminates the process workers the moment it reads Stop and sends the partial run with every finished task, so
/// it is given longer before the page falls back to terminating it (and losing the task details).
export const STOP_DEADLINE_MS = 100;
export const STOP_DEADLINE_PROCESSES_MS = 400;

/// A lab worker started before the page's other modules loaded (startLabWorkerEarly), with the events it sent
/// since, until the first LabBridge of the same url and test hook adopts it.
let early = null;

/// The init message a fresh lab worker is sent first.
function initMessage(testHang) {
  return {
    type: 'init', pthreadStartTimeoutMs: PTHREAD_START_TIMEOUT_MS, heartbeatMs: HEARTBEAT_MS,
    ...(testHang ? { testHang } : {}),
  };
}

/// Starts the lab worker now (lab-boot.js calls it as soon as this module and its two imports have loaded), so
/// that loading and compiling the wasm overlaps the loading of the page's other modules and the lessons' first
/// paint; the first LabBridge made with the same url and testHang takes it over, events included, instead of
/// starting its own.
export function startLabWorkerEarly(url = 'lab-worker.js', { testHang = null } = {}) {
  if (early) return;
  performance.mark('parlab:lab-worker-created');
  const worker = new Worker(url);
  const events = [];
  worker.onmessage = (event) => events.push(['onmessage', event]);
  worker.onerror = (event) => {
    event.preventDefault();
    events.push(['onerror', event]);
  };
  worker.onmessageerror = (event) => events.push(['onmessageerror', event]);
  worker.postMessage(initMessage(testHang));
  early = { url, testHang, worker, events };
}

export class LabBridge {
  #url;
  #worker = null;
  #ready = null; // promise of the ready message's payload
  #readyWaiter = null; // {resolve, reject} while init is pending
  #info = null;
  #current = null; // the run in flight: {id, job, resolve, reject, onProgress, poll, stopTimer, stopping, ...}
  #nextId = 1;
  #restarts = 0;
  #children = new Map(); // key -> Worker the page started for the current lab worker
  #readyTimer = 0;
  #testHang = null;
  #stuck = null; // why the last lab worker was given up on (not ready in time, a run stalled), until a fresh one starts
  #checks = new Map(); // id -> resolve of a pending check
  /// Called with the count of loaded pthread workers when a lab worker's background start of its pthread pool after
  /// ready has ended (not the process workers: onWarmPool).
  onPthreadPoolWarm = null;
  #warmProcessWorkers = 0; // process workers the lab worker keeps warm between runs (warm-pool.js)
  /// Called with the number of process workers kept warm whenever it changes (a lab worker's end ends them all).
  onWarmPool = null;

  /// `testHang` (tests only): 'init', 'run' or 'task' makes the first lab worker (or its process worker 1) never
  /// answer; the lab workers started after it behave.
  constructor(url = 'lab-worker.js', { testHang = null } = {}) {
    this.#url = url;
    this.#testHang = testHang;
  }

  /// Process workers kept warm for the next processes run (each a live Web Worker with its own wasm instance).
  get warmProcessWorkers() {
    return this.#warmProcessWorkers;
  }

  #setWarm(kept) {
    if (kept === this.#warmProcessWorkers) return;
    this.#warmProcessWorkers = kept;
    this.onWarmPool?.(kept);
  }

  /// Why the last lab worker was given up on (one line), or null; a fresh start clears it.
  get stuck() {
    return this.#stuck;
  }

  /// Starts a fresh lab worker now, ending the current one (and everything under it) if there is one; refuses
  /// while a run is in flight. Resolves like `ready`.
  restart() {
    if (this.#current) throw new Error('a run is in progress: stop it first');
    const waiter = this.#readyWaiter;
    this.#readyWaiter = null;
    this.#teardown();
    waiter?.reject(new Error('the lab worker was replaced by a fresh one'));
    this.#start();
    return this.#ready;
  }

  /// Resolves to {buildInfo, labInfo, paramSpecs, threadsAvailable, control} (modes.js is fed labInfo first);
  /// starts the worker if none is running.
  get ready() {
    if (!this.#ready) this.#start();
    return this.#ready;
  }

  get running() {
    return this.#current !== null;
  }

  /// How many times the lab worker was replaced after a failure or a forced stop (for tests and the soak).
  get restarts() {
    return this.#restarts;
  }

  #start() {
    const adopted = early && early.url === this.#url && early.testHang === this.#testHang ? early : null;
    early = null;
    if (!adopted) performance.mark('parlab:lab-worker-created');
    const worker = adopted ? adopted.worker : new Worker(this.#url);
    const children = new Map();
    this.#worker = worker;
    this.#children = children;
    this.#stuck = null;
    this.#ready = new Promise((resolve, reject) => {
      this.#readyWaiter = { resolve, reject };
    });
    // A failed start must not leave an unhandled rejection behind when nobody awaits it yet.
    this.#ready.catch(() => {});
    // A worker already replaced can still deliver queued events (an abort's error after its 'fatal' message):
    // they must not tear down its successor.
    const current = () => this.#worker === worker;
    worker.onmessage = (event) => {
      if (!current()) return;
      if (this.#broker(worker, children, event.data)) return;
      try {
        this.#onMessage(event.data);
      } catch (error) {
        this.#crash(`the lab worker sent a message the page could not use: ${error.message}`);
      }
    };
    worker.onerror = (event) => {
      event.preventDefault();
      if (!current()) return;
      this.#crash(`the lab worker failed: ${oneLine(event.message) || 'script error (is lab-worker.js there?)'}`);
    };
    worker.onmessageerror = () => { if (current()) this.#crash('the lab worker sent a message that could not be read'); };
    if (!adopted) worker.postMessage(initMessage(this.#testHang));
    this.#testHang = null;
    this.#readyTimer = setTimeout(() => {
      if (current() && this.#readyWaiter) this.#giveUp(`the lab worker did not become ready within ${READY_TIMEOUT_MS / 1000} s`);
    }, READY_TIMEOUT_MS);
    // What the adopted worker said before this bridge listened, in order, as if it were said now.
    for (const [handler, event] of adopted?.events ?? []) {
      if (current()) worker[handler]?.(event);
    }
  }

  /// Starts and ends the workers the lab worker asks for; true when the message was one of those requests.
  #broker(labWorker, children, message) {
    if (!message || (message.type !== 'spawn' && message.type !== 'terminate')) return false;
    const key = message.key;
    if (message.type === 'terminate') {
      children.get(key)?.terminate();
      children.delete(key);
      return true;
    }
    let child;
    try {
      const script = new URL(String(message.url), location.href);
      if (script.origin !== location.origin) throw new Error(`it asked for a script of another site (${script.origin})`);
      child = new Worker(`worker-port.js?${script.pathname.slice(1)}`, message.name ? { name: String(message.name) } : {});
    } catch (error) {
      labWorker.postMessage({ type: 'worker-error', key, message: `could not start: ${error.message}` });
      return true;
    }
    children.set(key, child);
    child.onerror = (event) => {
      event.preventDefault();
      if (children.has(key)) labWorker.postMessage({ type: 'worker-error', key, message: oneLine(event.message) || 'failed to start' });
    };
    const channel = new MessageChannel();
    child.postMessage({ port: channel.port1 }, [channel.port1]);
    labWorker.postMessage({ type: 'spawned', key, port: channel.port2 }, [channel.port2]);
    return true;
  }

  #onMessage(message) {
    if (!message || typeof message !== 'object') return;
    const run = this.#current;
    switch (message.type) {
      case 'ready':
        markStartup(message.startup);
        setLabInfo(message.labInfo);
        this.#info = {
          buildInfo: message.buildInfo,
          labInfo: message.labInfo,
          paramSpecs: message.labInfo.params,
          threadsAvailable: message.threadsAvailable === true,
          control: message.control ?? null,
        };
        clearTimeout(this.#readyTimer);
        this.#readyWaiter?.resolve(this.#info);
        this.#readyWaiter = null;
        break;
      case 'checked':
        this.#checks.get(message.id)?.({ error: message.error ?? null, parameter: message.parameter ?? null, taskCount: message.taskCount ?? null });
        this.#checks.delete(message.id);
        break;
      case 'warm-pool':
        if (Number.isInteger(message.kept) && message.kept >= 0) this.#setWarm(message.kept);
        break;
      case 'started':
        if (run && message.id === run.id) run.accepted = message.run;
        break;
      case 'progress':
        if (run && message.id === run.id) {
          run.total = message.total;
          this.#moved(run, message.done, run.workersStarted);
          run.onProgress?.({ done: message.done, total: message.total });
        }
        break;
      case 'warm':
        // The lab worker's background start (its pthread pool, parlab_st) has ended.
        this.onPthreadPoolWarm?.(message.pthreads);
        break;
      case 'threads':
        // The run waits for its pthread workers to load (the pool grows first; web/pthread-pool.js).
        if (run && message.id === run.id) {
          this.#moved(run, run.done, message.loaded);
          run.threads = message.loaded < message.needed ? { loaded: message.loaded, needed: message.needed } : null;
          run.onProgress?.({ done: 0, total: run.total ?? null, ...(run.threads ? { threads: run.threads } : {}) });
        }
        break;
      case 'heartbeat':
        if (run && message.id === run.id) {
          if (Number.isInteger(message.total)) run.total = message.total;
          this.#moved(run, message.done, message.started);
        }
        break;
      case 'result':
        if (run && message.id === run.id && run.stalled) {
          // What finished is kept; the lab worker that let its run stall is ended with everything under it.
          const reason = run.stalled;
          this.#finish((r) => r.resolve({ ...message.run, ok: false, complete: false, error: reason }));
          this.#giveUp(reason);
        } else if (run && message.id === run.id) {
          this.#finish((r) => r.resolve(message.run));
        }
        break;
      case 'error':
        if (run && message.id === run.id && message.fatal) {
          // The wasm instance is gone (a trap, abort() or exit()): report the run failed and start afresh.
          this.#crash(`the lab worker failed: ${oneLine(message.message) || 'its WebAssembly instance stopped'}`);
        } else if (run && message.id === run.id) {
          this.#finish((r) => r.reject(new Error(message.message || 'the run failed')));
        } else if (this.#readyWaiter) {
          this.#crash(`the lab worker could not start: ${message.message || 'unknown error'}`);
        }
        break;
      default:
        break;
    }
  }

  #finish(settle) {
    const run = this.#current;
    if (!run) return;
    clearInterval(run.poll);
    clearTimeout(run.stopTimer);
    run.watchdog?.stop();
    this.#current = null;
    settle(run);
  }

  /// A sign of progress when tasks done or workers started changed: the run's watchdog starts counting afresh.
  #moved(run, done, started) {
    const doneNow = Number.isInteger(done) ? done : run.done;
    const startedNow = Number.isInteger(started) ? started : run.workersStarted;
    if (doneNow !== run.done || startedNow !== run.workersStarted) run.watchdog?.sign();
    run.done = doneNow;
    run.workersStarted = startedNow;
  }

  /// Terminates the lab worker and every worker the page started for it, and forgets them.
  #teardown() {
    clearTimeout(this.#readyTimer);
    this.#worker?.terminate();
    for (const child of this.#children.values()) child.terminate();
    this.#children.clear();
    this.#setWarm(0); // they were children of the lab worker just ended
    this.#worker = null;
    this.#ready = null;
    this.#info = null;
    for (const resolve of this.#checks.values()) resolve({ error: 'the lab worker stopped before it checked the parameters', parameter: null, taskCount: null });
    this.#checks.clear();
  }

  /// Gives up on a lab worker that does not answer: ends it and everything under it, and starts no other (the
  /// page offers a button for that). A pending start rejects with `reason`.
  #giveUp(reason) {
    this.#stuck = reason;
    const waiter = this.#readyWaiter;
    this.#readyWaiter = null;
    this.#teardown();
    const error = new Error(reason);
    error.stuck = true;
    waiter?.reject(error);
  }

  /// Tears the worker down after an error. A run in flight resolves to a failed run naming the lab worker and a
  /// fresh worker starts at once; a pending start rejects (the next call then starts a fresh worker).
  #crash(reason) {
    const hadRun = this.#current !== null;
    const waiter = this.#readyWaiter;
    this.#readyWaiter = null;
    this.#teardown();
    waiter?.reject(new Error(reason));
    this.#finish((r) => r.resolve(pageMadeRun(r, { ok: false, error: reason })));
    if (hadRun) this.#restart();
  }

  /// Starts a fresh lab worker after one was lost, so that the next run does not wait for it.
  #restart() {
    this.#restarts += 1;
    this.#start();
  }

  /// Asks the core whether `params` are valid, and how many tasks they make: resolves to {error: one line or null,
  /// parameter: the one at fault (when the core names it) or null, taskCount: a number or null}.
  async check(params) {
    await this.ready;
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#checks.set(id, resolve);
      this.#worker.postMessage({ type: 'check', id, params });
    });
  }

  /// Runs once; resolves to the run object (complete: false when stopped), rejects with the worker's message.
  /// onProgress({done, total, threads?}) is called now and then; total may be null when not known yet; `threads`
  /// ({loaded, needed}, describeThreadWait words it) while the run waits for its pthread workers to start.
  /// options: extra settings of the run, sent as they are (e.g. {switch_interval_ms} under the interpreter lock).
  async run({ params, mode, workers, options }, { onProgress, totalHint = null } = {}) {
    if (this.#current) throw new Error('a run is already in progress');
    const info = await this.ready;
    if (this.#current) throw new Error('a run is already in progress');
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const run = {
        id, mode, job: { params, mode, workers, options }, resolve, reject, onProgress, total: totalHint, done: 0,
        startedMs: Date.now(), startedAt: performance.now(), accepted: null, poll: 0, stopTimer: 0, stopping: false,
        workersStarted: null, stalled: null, watchdog: null, threads: null,
      };
      run.cells = this.#controlCells(info, mode);
      this.#current = run;
      run.watchdog = new RunWatchdog(run.job, (silentMs, boundMs) => this.#stall(run, silentMs, boundMs));
      if (run.cells) run.poll = setInterval(() => this.#pollControl(run), POLL_MS);
      this.#worker.postMessage({ type: 'run', id, params, mode, workers, options: options ?? {} });
    });
  }

  /// The shared cancel/done cells, when the run executes inside wasm with a pthread build (every mode whose
  /// workers share one memory then runs in run_json).
  #controlCells(info, mode) {
    const control = info.control;
    if (!control || hasSeparateMemory(mode)) return null;
    try {
      return { int32: new Int32Array(control.buffer), cancel: control.cancel >> 2, done: control.done >> 2 };
    } catch {
      return null;
    }
  }

  #pollControl(run) {
    if (this.#current !== run) return;
    const { int32, cancel, done } = run.cells;
    // run_json resets the cell when it starts: keep asking until the result arrives, so an early Stop holds.
    if (run.stopping) Atomics.store(int32, cancel, 1);
    this.#moved(run, Atomics.load(int32, done), run.workersStarted);
    run.onProgress?.({ done: run.done, total: run.total ?? null, ...(run.threads && run.done === 0 ? { threads: run.threads } : {}) });
  }

  /// The run has been silent past its bound: stop it as Stop does, keep what finished, then give up on the lab
  /// worker (#giveUp) instead of starting a fresh one, and say why in the run's error.
  #stall(run, silentMs, boundMs) {
    if (this.#current !== run) return;
    run.stalled = `the run stalled: no task finished and no worker answered for ${(silentMs / 1000).toFixed(1)} s (this run's bound: ${(boundMs / 1000).toFixed(1)} s)`;
    run.stopping = false; // a Stop already asked for is overtaken
    clearTimeout(run.stopTimer);
    this.#askToStop(run);
  }

  /// Asks the run in flight to stop; it still resolves, with complete: false and the finished tasks. If it has
  /// not come back within STOP_DEADLINE_MS, the lab worker is terminated (with every worker under it), the run
  /// resolves with complete: false and the count of finished tasks (their details are lost with the worker),
  /// and a fresh lab worker starts.
  stop() {
    const run = this.#current;
    if (!run || run.stopping) return;
    this.#askToStop(run);
  }

  #askToStop(run) {
    run.stopping = true;
    if (run.cells) Atomics.store(run.cells.int32, run.cells.cancel, 1);
    else this.#worker.postMessage({ type: 'stop', id: run.id });
    run.stopTimer = setTimeout(() => {
      if (this.#current !== run) return;
      if (run.cells) run.done = Atomics.load(run.cells.int32, run.cells.done);
      if (run.stalled) {
        const reason = run.stalled;
        this.#giveUp(reason);
        this.#finish((r) => r.resolve(pageMadeRun(r, { ok: false, error: reason })));
        return;
      }
      this.#teardown();
      this.#finish((r) => r.resolve(pageMadeRun(r, { ok: true, complete: false })));
      this.#restart();
    }, hasSeparateMemory(run.mode) ? STOP_DEADLINE_PROCESSES_MS : STOP_DEADLINE_MS);
  }
}

/// The lab worker's start-up steps (ms since the epoch) as marks on the page's timeline, 'parlab:worker-<step>', for
/// scripts/ready-profile.mjs. Anything else is ignored.
function markStartup(startup) {
  if (!startup || typeof startup !== 'object') return;
  for (const [step, at] of Object.entries(startup)) {
    const startTime = Number(at) - performance.timeOrigin;
    if (/^[a-z]+$/.test(step) && Number.isFinite(startTime) && startTime >= 0) {
      try {
        performance.mark(`parlab:worker-${step}`, { startTime });
      } catch {
        // a browser without User Timing level 3 marks: nothing to profile
      }
    }
  }
}

/// What a run waiting for its pthread workers to load shows (one line).
export function describeThreadWait({ loaded, needed }) {
  return `waiting for the thread pool to start: ${loaded} of ${needed} workers ready`;
}

/// One line of a worker's message, without Emscripten's advice to rebuild with assertions.
const oneLine = (text) => String(text ?? '').split('\n')[0].replace(/\s*Build with -s ASSERTIONS=1 for more info\.?/, '').slice(0, 500);

/// A run object in the results format for a run whose worker is gone: the core's run without tasks that the lab
/// worker sent when it started the run (params as the core reports them, task count), with what the page saw (its
/// time, how many tasks had finished). Task details lived in the worker and are lost with it. A run lost before it
/// started keeps the job as the page sent it.
function pageMadeRun(run, { ok, error = null, complete = false }) {
  const { workload, ...params } = run.job.params ?? {};
  const accepted = run.accepted ?? {
    workload, params, mode: run.job.mode, workers: run.job.workers,
    started_at: new Date(run.startedMs).toISOString().replace(/\.\d{3}Z$/, 'Z'), startup_s: 0, cpu_s: null,
    avg_task_s: null, hardware_concurrency: navigator.hardwareConcurrency ?? 1,
    task_count: Number.isInteger(run.total) ? run.total : 0, checksum: '0',
  };
  return {
    ...accepted,
    ok,
    complete,
    error: ok ? null : oneLine(error) || 'the lab worker failed',
    wall_s: (performance.now() - run.startedAt) / 1000,
    tasks_done: Math.min(Number.isInteger(run.done) ? run.done : 0, accepted.task_count),
    tasks: [],
  };
}
