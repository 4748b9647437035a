// Page side of the lab-worker protocol: start the worker lazily, run with progress, stop, recover from crashes.
//
// Failure model: the lab worker (and the pthread and process workers it owns) may fail at any time. A run in flight
// then resolves at once to a run object with ok: false and an error naming the lab worker, and a fresh lab worker
// starts straight away. Stop asks the run to end cooperatively; if it has not come back within STOP_DEADLINE_MS
// (a task in the middle of a long computation), the lab worker is terminated, which ends every worker under it,
// and the run resolves with complete: false and what the page knows (how many tasks had finished).

const POLL_MS = 100;
/// How long Stop waits for the run to come back by itself before terminating the lab worker (the page promises
/// every worker has stopped within 200 ms). In processes mode the lab worker's own thread is free: it terminates
/// the process workers the moment it reads Stop and sends the partial run with every finished task, so it is
/// given longer before the page falls back to terminating it (and losing the task details).
export const STOP_DEADLINE_MS = 100;
export const STOP_DEADLINE_PROCESSES_MS = 400;
/// Modes that run inside run_json when the pthread build is loaded (stopped through the shared cancel cell).
const WASM_RUN_MODES = ['sequential', 'threads', 'threads-gil', 'async'];

export class LabBridge {
  #url;
  #worker = null;
  #ready = null; // promise of the ready message's payload
  #readyWaiter = null; // {resolve, reject} while init is pending
  #info = null;
  #current = null; // the run in flight: {id, job, resolve, reject, onProgress, poll, stopTimer, stopping, ...}
  #nextId = 1;
  #restarts = 0;

  constructor(url = 'lab-worker.js') {
    this.#url = url;
  }

  /// Resolves to {buildInfo, paramSpecs, threadsAvailable, control}; starts the worker if none is running.
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
    const worker = new Worker(this.#url);
    this.#worker = worker;
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
    worker.postMessage({ type: 'init' });
  }

  #onMessage(message) {
    if (!message || typeof message !== 'object') return;
    const run = this.#current;
    switch (message.type) {
      case 'ready':
        this.#info = {
          buildInfo: message.buildInfo,
          paramSpecs: typeof message.paramSpecs === 'string' ? JSON.parse(message.paramSpecs) : message.paramSpecs ?? [],
          threadsAvailable: message.threadsAvailable === true,
          control: message.control ?? null,
        };
        this.#readyWaiter?.resolve(this.#info);
        this.#readyWaiter = null;
        break;
      case 'progress':
        if (run && message.id === run.id) {
          run.total = message.total;
          run.done = message.done;
          run.onProgress?.({ done: message.done, total: message.total });
        }
        break;
      case 'result':
        if (run && message.id === run.id) this.#finish((r) => r.resolve(message.run));
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
    this.#current = null;
    settle(run);
  }

  /// Terminates the lab worker (and so every worker it started) and forgets it.
  #teardown() {
    this.#worker?.terminate();
    this.#worker = null;
    this.#ready = null;
    this.#info = null;
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

  /// Runs once; resolves to the run object (complete: false when stopped), rejects with the worker's message.
  /// onProgress({done, total}) is called now and then; total may be null when not known yet.
  /// options: extra settings of the run, sent as they are (e.g. {switch_interval_ms} for threads-gil).
  async run({ params, mode, workers, options }, { onProgress, totalHint = null } = {}) {
    if (this.#current) throw new Error('a run is already in progress');
    const info = await this.ready;
    if (this.#current) throw new Error('a run is already in progress');
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const run = {
        id, mode, job: { params, mode, workers, options }, resolve, reject, onProgress, total: totalHint, done: 0,
        startedMs: Date.now(), started: performance.now(), poll: 0, stopTimer: 0, stopping: false,
      };
      run.cells = this.#controlCells(info, mode);
      this.#current = run;
      if (run.cells) run.poll = setInterval(() => this.#pollControl(run), POLL_MS);
      this.#worker.postMessage({ type: 'run', id, params, mode, workers, options: options ?? {} });
    });
  }

  /// The shared cancel/done cells, when the run executes inside wasm with a pthread build (every mode but
  /// processes: sequential, threads, threads-gil and async then run in run_json).
  #controlCells(info, mode) {
    const control = info.control;
    if (!control || !WASM_RUN_MODES.includes(mode)) return null;
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
    run.done = Atomics.load(int32, done);
    run.onProgress?.({ done: run.done, total: run.total ?? null });
  }

  /// Asks the run in flight to stop; it still resolves, with complete: false and the finished tasks. If it has
  /// not come back within STOP_DEADLINE_MS, the lab worker is terminated (with every worker under it), the run
  /// resolves with complete: false and the count of finished tasks (their details are lost with the worker),
  /// and a fresh lab worker starts.
  stop() {
    const run = this.#current;
    if (!run || run.stopping) return;
    run.stopping = true;
    if (run.cells) Atomics.store(run.cells.int32, run.cells.cancel, 1);
    else this.#worker.postMessage({ type: 'stop', id: run.id });
    run.stopTimer = setTimeout(() => {
      if (this.#current !== run) return;
      if (run.cells) run.done = Atomics.load(run.cells.int32, run.cells.done);
      this.#teardown();
      this.#finish((r) => r.resolve(pageMadeRun(r, { ok: true, complete: false })));
      this.#restart();
    }, run.mode === 'processes' ? STOP_DEADLINE_PROCESSES_MS : STOP_DEADLINE_MS);
  }
}

/// One line of a worker's message, without Emscripten's advice to rebuild with assertions.
const oneLine = (text) => String(text ?? '').split('\n')[0].replace(/\s*Build with -s ASSERTIONS=1 for more info\.?/, '').slice(0, 500);

/// A run object in the results format for a run whose worker is gone: nothing but what the page saw (its job,
/// its time, how many tasks had finished). Task details lived in the worker and are lost with it.
function pageMadeRun(run, { ok, error = null, complete = false }) {
  const { workload, ...params } = run.job.params ?? {};
  if (!(params.crash_task >= 0)) {
    delete params.crash_task; // as the core reports params: the crash parameters only while one is set
    delete params.crash_how;
  }
  const taskCount = Number.isInteger(run.total) ? run.total : 0;
  const interval = Number(run.job.options?.switch_interval_ms);
  const lock = run.job.mode === 'threads-gil' && Number.isFinite(interval) ? { switch_interval_ms: interval } : {};
  return {
    workload,
    params,
    mode: run.job.mode,
    workers: run.job.mode === 'sequential' ? 1 : run.job.workers,
    ok,
    complete,
    error: ok ? null : oneLine(error) || 'the lab worker failed',
    started_at: new Date(run.startedMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    wall_s: (performance.now() - run.started) / 1000,
    startup_s: 0,
    cpu_s: null,
    avg_task_s: null,
    hardware_concurrency: Number.isInteger(navigator.hardwareConcurrency) ? navigator.hardwareConcurrency : 1,
    task_count: taskCount,
    tasks_done: Math.min(Number.isInteger(run.done) ? run.done : 0, taskCount),
    checksum: '0',
    ...lock,
    tasks: [],
  };
}
