// Run bookkeeping shared by the JS-driven modes, and the in-process task drivers over a parlab_st Workload (sequential,
// and async on this worker's event loop).
// UMD-style: importScripts() in the lab worker sets self.ParlabTaskDriver; require() in Node returns the same API.
(function (root, factory) {
  const api = factory();
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.ParlabTaskDriver = api;
})(typeof self !== 'undefined' ? self : globalThis, function () {
  'use strict';

  const U64_MASK = (1n << 64n) - 1n;
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

  /// A parameter value in the type its spec names (specs give defaults as text, the page may send text too).
  function typedValue(spec, value) {
    if (spec.type === 'int' || spec.type === 'float') {
      const number = Number(value);
      return Number.isFinite(number) ? number : value;
    }
    if (spec.type === 'int_list') {
      const items = Array.isArray(value) ? value : String(value).split(',').filter((s) => s.trim() !== '');
      return items.map((item) => {
        const number = Number(item);
        return Number.isFinite(number) ? number : item;
      });
    }
    return value;
  }

  /// The params a run reports, as the C++ core reports them: the workload's parameters with defaults filled in
  /// and typed, leaving out primes parameters of the other shape. `specs` is the parsed get_param_specs() array.
  function resolveParams(specs, params) {
    const workload = params && params.workload;
    const all = Array.isArray(specs) ? specs : [];
    // The crash parameters (workload "") are reported only while one is set, as the core reports them.
    const crashing = Number(params && params.crash_task) >= 0;
    const mine = all.filter((s) => s.workload === workload || (crashing && s.workload === ''));
    if (!mine.some((s) => s.workload === workload)) {
      const copy = Object.assign({}, params);
      delete copy.workload;
      return copy;
    }
    const shapeSpec = mine.find((s) => s.name === 'shape');
    const shape = shapeSpec ? (params.shape !== undefined ? params.shape : shapeSpec.default) : undefined;
    const out = {};
    for (const spec of mine) {
      if (spec.shape && spec.shape !== shape) continue;
      out[spec.name] = typedValue(spec, params[spec.name] !== undefined ? params[spec.name] : spec.default);
    }
    return out;
  }

  /// Collects finished tasks of one run and turns them into a run object of the results format.
  class RunRecorder {
    /// `startMs` is the run's time zero (nowMs clock); everything else is reported relative to it.
    constructor({ workload, params, mode, workers, taskCount, hardwareConcurrency, startMs }) {
      this.workload = workload;
      this.params = params;
      this.mode = mode;
      this.workers = mode === 'sequential' ? 1 : workers;
      this.taskCount = taskCount;
      this.hardwareConcurrency = Number(hardwareConcurrency) >= 1 ? Math.floor(hardwareConcurrency) : 1;
      this.startMs = startMs;
      this.readyMs = null;
      this.tasks = [];
      this.seen = new Set();
      this.checksum = 0n;
    }

    /// Marks the moment the pool is ready to take tasks (start-up ends here).
    markReady(ms) {
      if (this.readyMs === null) this.readyMs = ms;
    }

    /// Records one finished task; a task id recorded twice is an error (every task runs exactly once).
    addTask({ id, worker, pid, thread, phase, startMs, endMs, waitMs, value }) {
      if (this.seen.has(id)) throw new Error(`task ${id} finished twice`);
      this.seen.add(id);
      const text = String(value);
      this.checksum = (this.checksum + BigInt(text)) & U64_MASK;
      this.tasks.push({
        id,
        worker,
        pid,
        thread,
        phase,
        start_s: (startMs - this.startMs) / 1000,
        end_s: (endMs - this.startMs) / 1000,
        wait_s: Math.max(0, waitMs) / 1000,
        cpu_s: null,
        value: text,
      });
    }

    get tasksDone() {
      return this.tasks.length;
    }

    /// The run object; `complete` is forced false when tasks are missing.
    finish({ endMs, ok = true, error = null, complete = true }) {
      const tasks = this.tasks.slice().sort((a, b) => a.id - b.id);
      const durations = tasks.map((t) => t.end_s - t.start_s);
      const avg = durations.length ? durations.reduce((a, b) => a + b, 0) / durations.length : 0;
      return {
        workload: this.workload,
        params: this.params,
        mode: this.mode,
        workers: this.workers,
        ok: Boolean(ok),
        complete: Boolean(ok && complete && tasks.length === this.taskCount),
        error: ok ? null : String(error || 'unknown error'),
        started_at: isoSeconds(this.startMs),
        wall_s: (endMs - this.startMs) / 1000,
        startup_s: ((this.readyMs === null ? endMs : this.readyMs) - this.startMs) / 1000,
        cpu_s: null,
        avg_task_s: avg,
        hardware_concurrency: this.hardwareConcurrency,
        task_count: this.taskCount,
        tasks_done: tasks.length,
        checksum: this.checksum.toString(),
        tasks,
      };
    }
  }

  /// The phase label of a task, as the C++ workloads name it: "download" for the download workload, else "compute".
  function phaseOf(workloadName) {
    return workloadName === 'download' ? 'download' : 'compute';
  }

  /// Runs every task of `workload` (a Workload handle: task_count, wait_seconds, compute) one after another in
  /// this thread, waiting with a timer; stops between tasks (or during a wait) once `shouldStop()` is true. A
  /// computation in progress always finishes first. Resolves to a run object; never rejects. It is the event
  /// loop below with one slot.
  function runSequential(options) {
    return runAsync(Object.assign({}, options, { workers: 1, mode: 'sequential' }));
  }

  /// The "async" mode without the pthread build: one thread (this one) with an event loop, like asyncio. Up to
  /// `workers` tasks are in flight at once, each in a slot 0..workers-1: a task awaits its simulated latency with
  /// a timer (so the waits of different tasks overlap), then computes, blocking the loop until done (so
  /// computations run one at a time). A slot takes the next task when its task has finished. Stops like
  /// runSequential. Resolves to a run object (worker = slot, pid and thread = instanceId); never rejects.
  async function runAsync({
    workload,
    workloadName,
    params,
    workers,
    hardwareConcurrency,
    shouldStop = () => false,
    onProgress = () => {},
    now = nowMs,
    sleep = sleepMs,
    yieldNow = yieldToEventLoop,
    instanceId = 0,
    mode = 'async',
  }) {
    const startMs = now();
    const slotCount = Math.max(1, Math.floor(Number(workers) || 1));
    let taskCount = 0;
    let recorder = null;
    let failure = null; // the first error a task threw: ends the run
    const over = () => failure !== null || shouldStop();
    try {
      taskCount = Number(workload.task_count());
      recorder = new RunRecorder({
        workload: workloadName, params, mode, workers: slotCount, taskCount, hardwareConcurrency, startMs,
      });
      recorder.markReady(now());
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
          recorder.addTask({
            id: i, worker: k, pid: instanceId, thread: instanceId, phase: phaseOf(workloadName),
            startMs: taskStart, endMs: now(), waitMs: waitSeconds > 0 ? computeStart - taskStart : 0, value,
          });
          onProgress(recorder.tasksDone, taskCount);
          await yieldNow(); // the other slots' timers (and a Stop message) get their turn
        }
      };
      const slots = [];
      for (let k = 0; k < Math.min(slotCount, taskCount); k += 1) slots.push(slot(k));
      await Promise.all(slots);
      if (failure !== null) return recorder.finish({ endMs: now(), ok: false, error: describeError(failure) });
      return recorder.finish({ endMs: now(), complete: !shouldStop() });
    } catch (err) {
      const fallback = recorder || new RunRecorder({
        workload: workloadName, params, mode, workers: slotCount, taskCount, hardwareConcurrency, startMs,
      });
      return fallback.finish({ endMs: now(), ok: false, error: describeError(err) });
    }
  }

  /// One line for any thrown thing (Error, string, an Embind exception pointer).
  function describeError(err) {
    if (err && typeof err.message === 'string' && err.message) return err.message.split('\n')[0];
    const text = String(err);
    return text.split('\n')[0] || 'unknown error';
  }

  return {
    U64_MASK, nowMs, isoSeconds, yieldToEventLoop, sleepMs, resolveParams, RunRecorder, phaseOf, runSequential,
    runAsync, describeError,
  };
});
