// Process workers kept warm between runs, as a Python program keeps one multiprocessing.Pool across map() calls: the
// first run pays their start-up (a Web Worker and its own wasm instance each); a later run re-initialises them with
// its workload, a message away. Nothing unfit is kept: a worker comes back only from a run that finished every task,
// and only once it has answered `release` (it freed the run's workload, process-worker.js); a worker of a run that
// failed, crashed, stalled or was stopped is ended, and the next run starts a fresh one in its place.
// UMD-style: importScripts() in the lab worker sets self.ParlabWarmPool; require() in Node returns the same API.
(function (root, factory) {
  const api = factory();
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.ParlabWarmPool = api;
})(typeof self !== 'undefined' ? self : globalThis, function () {
  'use strict';

  /// How long a kept worker may take to answer `release` before it is ended instead (it answers in a message's time).
  const RELEASE_TIMEOUT_MS = 2000;

  /// Which process workers a run of `workers` reuses, starts and ends, from the idle ones kept (`kept`: [{slot,
  /// build}], slot k being process worker k). Pure. A kept worker of another build, or any kept worker when `cold`,
  /// is ended; slots 1..workers are reused where a fit one is kept, else started. Kept workers above `workers` are
  /// neither used nor ended: they stay idle (no CPU) for a later, larger run, so a card's rounds of 2 then 3
  /// workers, or a sweep 1,2,4 after 4, start nothing. Returns {reuse, start, end}, slots in ascending order.
  function planWorkers({ kept = [], workers, build = null, cold = false }) {
    const count = Math.max(1, Math.floor(Number(workers) || 1));
    const fit = new Set();
    const end = [];
    for (const worker of kept) {
      if (cold || worker.build !== build || fit.has(worker.slot)) end.push(worker.slot);
      else fit.add(worker.slot);
    }
    const reuse = [];
    const start = [];
    for (let k = 1; k <= count; k += 1) (fit.has(k) ? reuse : start).push(k);
    return { reuse, start, end: end.sort((a, b) => a - b) };
  }

  /// The kept workers of one lab worker. `spawn(k, {message, error})` starts process worker k and returns
  /// {post(msg), terminate()} (lab-worker.js's createProcessWorker); `onChange(kept)` hears the number of workers
  /// kept (idle, or freeing their last run) whenever it changes.
  class WarmPool {
    #spawn;
    #onChange;
    #releaseTimeoutMs;
    #entries = new Map(); // slot -> {slot, build, handle, state: 'busy' | 'releasing' | 'idle', handlers, released}
    #reported = 0;

    constructor({ spawn, onChange = () => {}, releaseTimeoutMs = RELEASE_TIMEOUT_MS }) {
      this.#spawn = spawn;
      this.#onChange = onChange;
      this.#releaseTimeoutMs = releaseTimeoutMs;
    }

    /// Workers kept for a later run (idle, or freeing their last run).
    get kept() {
      let n = 0;
      for (const e of this.#entries.values()) if (e.state !== 'busy') n += 1;
      return n;
    }

    /// Resolves once every kept worker has answered `release` (or, past the timeout, was ended instead): a failure
    /// while freeing one run must not show up in the next.
    async settle() {
      await Promise.all([...this.#entries.values()].map((e) => e.released).filter(Boolean));
    }

    /// The workers of a run of `workers` on `build`: {createWorker, warm}. createWorker(k, handlers) is
    /// process-pool.js's: it returns a kept worker when the plan reuses slot k (with `warm: true`; its messages now
    /// go to `handlers`), else a fresh one. Every handle has `terminate()` (ends it, e.g. after a stop) and, unless
    /// `cold`, `keep()` (the run finished: free its workload and keep the worker). `warm`: the workers reused.
    lease({ workers, build = null, cold = false }) {
      const idle = [...this.#entries.values()].filter((e) => e.state === 'idle');
      for (const e of this.#entries.values()) if (e.state !== 'idle') this.#end(e); // none should be: a run ended them
      const plan = planWorkers({ kept: idle.map((e) => ({ slot: e.slot, build: e.build })), workers, build, cold });
      for (const slot of plan.end) this.#end(this.#entries.get(slot));
      const reused = new Set(plan.reuse);
      const createWorker = (k, handlers) => {
        let entry = reused.has(k) ? this.#entries.get(k) : null;
        if (entry) {
          entry.state = 'busy';
          entry.handlers = handlers;
        } else {
          entry = { slot: k, build, handle: null, state: 'busy', handlers, released: null };
          entry.handle = this.#spawn(k, {
            message: (data) => this.#route(entry, 'message', data),
            error: (text) => this.#route(entry, 'error', text),
          });
          this.#entries.set(k, entry);
        }
        const handle = {
          warm: reused.has(k),
          post: (msg) => { if (this.#entries.get(k) === entry) entry.handle.post(msg); },
          terminate: () => this.#end(entry),
        };
        if (!cold) handle.keep = () => this.#release(entry);
        return handle;
      };
      this.#changed();
      return { createWorker, warm: plan.reuse.length };
    }

    /// Ends every kept worker (a cold run asked for none, or the lab worker is going).
    clear() {
      for (const e of [...this.#entries.values()]) this.#end(e);
    }

    /// A message or an error from a worker: a run's while busy; `released` while freeing its run; anything else
    /// (a late answer, an error while idle) makes it unfit, and it is ended.
    #route(entry, kind, data) {
      if (this.#entries.get(entry.slot) !== entry) return;
      if (entry.state === 'busy') {
        entry.handlers[kind](data);
      } else if (entry.state === 'releasing' && kind === 'message' && data && data.type === 'released') {
        entry.state = 'idle';
        entry.onReleased();
      } else {
        this.#end(entry);
      }
    }

    #release(entry) {
      if (this.#entries.get(entry.slot) !== entry || entry.state !== 'busy') return;
      entry.state = 'releasing';
      entry.handlers = null;
      entry.released = new Promise((resolve) => {
        const timer = setTimeout(() => {
          this.#end(entry);
          resolve();
        }, this.#releaseTimeoutMs);
        entry.onReleased = () => {
          clearTimeout(timer);
          resolve();
        };
        entry.onEnded = entry.onReleased;
      });
      entry.handle.post({ type: 'release' });
      this.#changed();
    }

    #end(entry) {
      if (!entry || this.#entries.get(entry.slot) !== entry) return;
      this.#entries.delete(entry.slot);
      entry.state = 'ended';
      try {
        entry.handle.terminate();
      } catch (_) {
        // already gone: nothing to free
      }
      if (entry.onEnded) entry.onEnded();
      this.#changed();
    }

    #changed() {
      const kept = this.kept;
      if (kept !== this.#reported) {
        this.#reported = kept;
        this.#onChange(kept);
      }
    }
  }

  return { planWorkers, WarmPool, RELEASE_TIMEOUT_MS };
});
