// Page side of the lab-worker protocol: start the worker lazily, run with progress, stop, recover from crashes.

const POLL_MS = 100;
const STOP_GRACE_MS = 20_000;

export class LabBridge {
  #url;
  #worker = null;
  #ready = null; // promise of the ready message's payload
  #readyWaiter = null; // {resolve, reject} while init is pending
  #info = null;
  #current = null; // the run in flight: {id, mode, resolve, reject, onProgress, poll, stopTimer, stopping}
  #nextId = 1;

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

  #start() {
    const worker = new Worker(this.#url);
    this.#worker = worker;
    this.#ready = new Promise((resolve, reject) => {
      this.#readyWaiter = { resolve, reject };
    });
    // A failed start must not leave an unhandled rejection behind when nobody awaits it yet.
    this.#ready.catch(() => {});
    worker.onmessage = (event) => {
      try {
        this.#onMessage(event.data);
      } catch (error) {
        this.#crash(`the lab worker sent a message the page could not use: ${error.message}`);
      }
    };
    worker.onerror = (event) => {
      event.preventDefault();
      this.#crash(`the lab worker failed: ${event.message || 'script error (is lab-worker.js there?)'}`);
    };
    worker.onmessageerror = () => this.#crash('the lab worker sent a message that could not be read');
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
          run.onProgress?.({ done: message.done, total: message.total });
        }
        break;
      case 'result':
        if (run && message.id === run.id) this.#finish((r) => r.resolve(message.run));
        break;
      case 'error':
        if (run && message.id === run.id) {
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

  /// Tears the worker down after an error: pending promises reject; the next call starts a fresh worker.
  #crash(reason) {
    this.#worker?.terminate();
    this.#worker = null;
    this.#ready = null;
    this.#info = null;
    this.#readyWaiter?.reject(new Error(reason));
    this.#readyWaiter = null;
    this.#finish((r) => r.reject(new Error(reason)));
  }

  /// Runs once; resolves to the run object (complete: false when stopped), rejects with the worker's message.
  /// onProgress({done, total}) is called now and then; total may be null when not known yet.
  async run({ params, mode, workers }, { onProgress, totalHint = null } = {}) {
    if (this.#current) throw new Error('a run is already in progress');
    const info = await this.ready;
    if (this.#current) throw new Error('a run is already in progress');
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const run = { id, mode, resolve, reject, onProgress, total: totalHint, poll: 0, stopTimer: 0, stopping: false };
      run.cells = this.#controlCells(info, mode);
      this.#current = run;
      if (run.cells) run.poll = setInterval(() => this.#pollControl(run), POLL_MS);
      this.#worker.postMessage({ type: 'run', id, params, mode, workers });
    });
  }

  /// The shared cancel/done cells, when the run executes inside wasm (sequential/threads) with a pthread build.
  #controlCells(info, mode) {
    const control = info.control;
    if (!control || (mode !== 'sequential' && mode !== 'threads')) return null;
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
    run.onProgress?.({ done: Atomics.load(int32, done), total: run.total ?? null });
  }

  /// Asks the run in flight to stop; it still resolves, with complete: false and the finished tasks.
  /// If it does not come back in time, the worker is terminated and the run rejects.
  stop() {
    const run = this.#current;
    if (!run || run.stopping) return;
    run.stopping = true;
    if (run.cells) Atomics.store(run.cells.int32, run.cells.cancel, 1);
    else this.#worker.postMessage({ type: 'stop', id: run.id });
    run.stopTimer = setTimeout(() => {
      if (this.#current === run) this.#crash(`the run did not stop within ${STOP_GRACE_MS / 1000} s, so the lab worker was restarted`);
    }, STOP_GRACE_MS);
  }
}
