// Run bookkeeping shared by the JS-driven modes, and the in-process task drivers over a parlab_st Workload (the
// one-worker mode, and the slots of an event loop on this worker's own).
// UMD-style: importScripts() in the lab worker sets self.ParlabTaskDriver; require() in Node returns the same API.
(function (root, factory) {
  const api = factory();
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.ParlabTaskDriver = api;
})(typeof self !== 'undefined' ? self : globalThis, function () {
  'use strict';

  const STOP_SLICE_MS = 25; // longest a stop request waits during a simulated latency

  /// Milliseconds on a clock that every worker of this page (or Node process) shares.
  function nowMs() {
    return performance.timeOrigin + performance.now();
  }

  /// An ISO 8601 UTC timestamp to the second, the way the native reporter writes it.
  function isoSeconds(ms) {
    return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  /// Gives the event loop a turn (so a Stop message can arrive) without the 4 ms clamp of nested timers.
  function yieldToEventLoop() {
    if (typeof MessageChannel === 'function') {
      return new Promise((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => {
          channel.port1.close();
          resolve();
        };
        channel.port2.postMessage(0);
      });
    }
    if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
    return new Promise((resolve) => setTimeout(resolve, 0));
  }

  function sleepMs(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  /// What a driver measures of one run, for the core's run builder (cpp/run_builder.hpp, through bindings.cpp's
  /// build_run_json), which decides the rest (phase, memory records, checksum, totals). `startMs` is the run's time
  /// zero on the nowMs clock. Tasks are kept as columns, handed over as typed arrays (a million tasks as objects
  /// would take the core many seconds to read).
  class TaskTimings {
    constructor(startMs) {
      this.startMs = startMs;
      this.readyMs = null;
      this.columns = { id: [], worker: [], pid: [], thread: [], start_s: [], end_s: [], wait_s: [], rss_kib: [], value: [] };
    }

    /// Marks the moment the pool is ready to take tasks (start-up ends here).
    markReady(ms) {
      if (this.readyMs === null) this.readyMs = ms;
    }

    /// Records one finished task (the core refuses a task recorded twice). value: a decimal string.
    add({ id, worker, pid, thread, startMs, endMs, waitMs, value, rssKib = null }) {
      const c = this.columns;
      c.id.push(id);
      c.worker.push(worker);
      c.pid.push(pid);
      c.thread.push(thread);
      c.start_s.push((startMs - this.startMs) / 1000);
      c.end_s.push((endMs - this.startMs) / 1000);
      c.wait_s.push(Math.max(0, waitMs) / 1000);
      c.rss_kib.push(Number.isFinite(rssKib) && rssKib >= 0 ? rssKib : -1);
      c.value.push(String(value));
    }

    get tasksDone() {
      return this.columns.id.length;
    }

    /// The timings the run builder reads: error is one line, or null for a run that did not fail.
    /// warmWorkers: how many process workers were kept warm from an earlier run (processes mode only).
    timings({ endMs, error = null, hardwareConcurrency = null, bytesTransferred = null, warmWorkers = null }) {
      const c = this.columns;
      const out = {
        tasks: {
          id: Uint32Array.from(c.id), worker: Uint32Array.from(c.worker), pid: Float64Array.from(c.pid),
          thread: Float64Array.from(c.thread), start_s: Float64Array.from(c.start_s), end_s: Float64Array.from(c.end_s),
          wait_s: Float64Array.from(c.wait_s), rss_kib: Float64Array.from(c.rss_kib), value: c.value.join(','),
        },
        wall_s: (endMs - this.startMs) / 1000,
        startup_s: ((this.readyMs === null ? endMs : this.readyMs) - this.startMs) / 1000,
        started_at: isoSeconds(this.startMs),
        error: error === null ? null : String(error || 'unknown error'),
      };
      if (Number(hardwareConcurrency) >= 1) out.hardware_concurrency = Math.floor(hardwareConcurrency);
      if (bytesTransferred !== null) out.bytes_transferred = bytesTransferred;
      if (warmWorkers !== null) out.warm_workers = warmWorkers;
      return out;
    }
  }

  /// Whether a thrown thing is one of the core's errors (bindings.cpp marks them with a `kind`): the run failed but
  /// the wasm instance lives on. Anything else out of wasm (a trap, abort(), exit()) ended the instance.
  function isCoreError(err) {
    return Boolean(err) && typeof err === 'object' && typeof err.kind === 'string';
  }

  /// Runs every task of `workload` (a Workload handle: task_count, wait_seconds, compute) one after another in
  /// this thread, waiting with a timer; stops between tasks (or during a wait) once `shouldStop()` is true. A
  /// computation in progress always finishes first. It is the event loop below with one slot.
  function runSequential(options) {
    return runAsync(Object.assign({}, options, { workers: 1 }));
  }

  /// The event loop's mode without the pthread build: one thread (this one) with an event loop, like asyncio. Up to
  /// `workers` tasks are in flight at once, each in a slot 0..workers-1: a task awaits its simulated latency with
  /// a timer (so the waits of different tasks overlap), then computes, blocking the loop until done (so
  /// computations run one at a time). A slot takes the next task when its task has finished. Stops like
  /// runSequential. Resolves to `buildRun(timings)` (worker = slot, pid and thread = instanceId; a task's rss_kib
  /// from memoryKib()); a core error in a task ends the run with ok:false. Rejects with anything else a task
  /// throws (the wasm instance is gone) or that buildRun throws.
  async function runAsync({
    workload,
    buildRun,
    workers,
    hardwareConcurrency,
    shouldStop = () => false,
    onProgress = () => {},
    now = nowMs,
    sleep = sleepMs,
    yieldNow = yieldToEventLoop,
    instanceId = 0,
    memoryKib = () => null,
  }) {
    const timings = new TaskTimings(now());
    const slotCount = Math.max(1, Math.floor(Number(workers) || 1));
    let failure = null; // the first error a task threw: ends the run
    const over = () => failure !== null || shouldStop();
    let taskCount = 0;
    try {
      taskCount = Number(workload.task_count());
      timings.markReady(now());
      let next = 0;
      const slot = async (k) => {
        while (next < taskCount && !over()) {
          const i = next;
          next += 1;
          const taskStart = now();
          const waitSeconds = Number(workload.wait_seconds(i));
          for (let left = waitSeconds * 1000; left > 0 && !over(); left = taskStart + waitSeconds * 1000 - now()) {
            await sleep(Math.min(left, STOP_SLICE_MS));
          }
          if (over()) return; // stopped while waiting: the task did not finish
          const computeStart = now();
          let value;
          try {
            value = workload.compute(i);
          } catch (err) {
            if (failure === null) failure = err;
            return;
          }
          timings.add({
            id: i, worker: k, pid: instanceId, thread: instanceId, startMs: taskStart, endMs: now(),
            waitMs: waitSeconds > 0 ? computeStart - taskStart : 0, value, rssKib: memoryKib(),
          });
          onProgress(timings.tasksDone, taskCount);
          await yieldNow(); // the other slots' timers (and a Stop message) get their turn
        }
      };
      const slots = [];
      for (let k = 0; k < Math.min(slotCount, taskCount); k += 1) slots.push(slot(k));
      await Promise.all(slots);
    } catch (err) {
      if (failure === null) failure = err;
    }
    if (failure !== null && !isCoreError(failure)) throw failure;
    const error = failure === null ? null : describeError(failure);
    return buildRun(timings.timings({ endMs: now(), error, hardwareConcurrency }));
  }

  /// One line for any thrown thing (Error, string, an Embind exception pointer).
  function describeError(err) {
    if (err && typeof err.message === 'string' && err.message) return err.message.split('\n')[0];
    const text = String(err);
    return text.split('\n')[0] || 'unknown error';
  }

  return {
    nowMs, isoSeconds, yieldToEventLoop, sleepMs, TaskTimings, isCoreError, runSequential, runAsync, describeError,
  };
});
