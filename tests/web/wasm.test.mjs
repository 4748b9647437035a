// The wasm builds and the page's JS drivers in Node: checksums, every task once, modes agree, validation, stopping,
// and the invariants of threads-gil (no two tasks hold the lock at once) and async (one thread, waits overlap).
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { after, before, describe, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import {
  checkEachTaskOnce, loadSingleThreaded, loadSiteScript, loadThreaded, nodeProcessWorkerFactory, stageWasm,
  repoRoot, sumOfValues, wasmBuildMissing,
} from './wasm-helpers.mjs';

const require = createRequire(import.meta.url);
const driver = loadSiteScript('task-driver.js');
const pool = loadSiteScript('process-pool.js');
const hardwareConcurrency = availableParallelism();

/// The lab worker's run builder over a Module: the drivers time tasks, the core assembles the run.
const runBuilder = (Module, params, mode, workers) => (timings) =>
  JSON.parse(Module.build_run_json(JSON.stringify(params), mode, workers, timings));

const PRIMES_1M = '37550402023';
const PRIMES_2M = '142913828922';
const PRIMES_3M = '312471072265';

/// docs/results.schema.json as an ajv validator: null when valid, else the errors as text.
const validateResults = (() => {
  const Ajv = require('ajv').default;
  const addFormats = require('ajv-formats').default;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(join(repoRoot, 'docs', 'results.schema.json'), 'utf8')));
  return (data) => (validate(data) ? null : ajv.errorsText(validate.errors, { separator: '\n  ' }));
})();

/// A results file around some runs, as the page exports it.
function resultsFile(runs) {
  return {
    schema_version: 1, generator: 'parlab test', created: driver.isoSeconds(Date.now()),
    environment: {
      target: 'wasm', os: 'Node.js', cpu_model: null, logical_cpus: hardwareConcurrency, compiler: 'Emscripten',
      user_agent: null, cross_origin_isolated: null,
    },
    runs,
  };
}

/// A run object must be internally consistent whatever the mode.
function checkRunShape(run, { mode, workers }) {
  assert.equal(run.mode, mode);
  assert.equal(run.workers, mode === 'sequential' ? 1 : workers);
  assert.equal(run.tasks_done, run.tasks.length);
  assert.equal(run.checksum, sumOfValues(run), 'checksum is the sum of the task values mod 2^64');
  assert.equal(typeof run.started_at, 'string');
  assert.ok(run.wall_s >= run.startup_s && run.startup_s >= 0, `wall_s ${run.wall_s} >= startup_s ${run.startup_s}`);
  for (const task of run.tasks) {
    assert.ok(task.worker >= 0 && task.worker < run.workers, `task ${task.id} worker ${task.worker} in range`);
    assert.ok(task.end_s >= task.start_s, `task ${task.id} ends after it starts`);
    assert.equal(typeof task.value, 'string');
  }
}

function checkCompleteRun(run, expected) {
  assert.equal(run.ok, true, `run failed: ${run.error}`);
  assert.equal(run.complete, true);
  checkRunShape(run, expected);
  const once = checkEachTaskOnce(run);
  assert.equal(once, null, once || '');
}

const EPSILON_S = 1e-6; // times in a run are rounded when written; "no overlap" allows this much

/// The first two stretches (of different owners) that overlap, as text, or null. stretches: [{owner, from, to}].
function findOverlap(stretches) {
  const sorted = [...stretches].sort((a, b) => a.from - b.from);
  for (let i = 0; i < sorted.length; i += 1) {
    for (let j = i + 1; j < sorted.length && sorted[j].from < sorted[i].to - EPSILON_S; j += 1) {
      if (sorted[j].owner !== sorted[i].owner) {
        const show = (s) => `task ${s.owner} [${s.from}, ${s.to}]`;
        return `${show(sorted[i])} overlaps ${show(sorted[j])}`;
      }
    }
  }
  return null;
}

/// Each task's simulated-latency wait [start_s, start_s + wait_s] and computation [start_s + wait_s, end_s].
const waitsOf = (run) => run.tasks.filter((t) => t.wait_s > 0).map((t) => ({ owner: t.id, from: t.start_s, to: t.start_s + t.wait_s }));
const computationsOf = (run) => run.tasks.map((t) => ({ owner: t.id, from: t.start_s + t.wait_s, to: t.end_s }));

/// An async run: one thread for every task, worker = slot, waits that overlap, computations that never do.
function checkAsyncRun(run, { workers, download }) {
  checkRunShape(run, { mode: 'async', workers });
  assert.equal(new Set(run.tasks.map((t) => t.thread)).size, 1, 'every task ran on the one thread');
  assert.equal(new Set(run.tasks.map((t) => t.pid)).size, 1, 'in one instance');
  const overlap = findOverlap(computationsOf(run));
  assert.equal(overlap, null, `computations overlap on the one thread: ${overlap}`);
  if (download && workers > 1) {
    assert.notEqual(findOverlap(waitsOf(run)), null, 'some two tasks wait at the same time');
  }
}

/// Inside a describe: stages the wasm build and loads parlab_st before its tests, removes the copy after them.
/// Returns {st, dir}, filled in once the tests run.
function stagedSingleThreaded() {
  const loaded = { st: null, dir: null };
  let staged = null;
  before(async () => {
    const missing = wasmBuildMissing();
    if (missing) assert.fail(missing);
    staged = stageWasm();
    loaded.dir = staged.dir;
    loaded.st = await loadSingleThreaded(staged.dir);
  });
  after(() => {
    if (staged) staged.remove();
  });
  return loaded;
}

/// A fake process-worker factory for pool logic without wasm: task i has value i+1, a chosen task fails.
function fakeWorkers({ failTask = -1, delayMs = 1 } = {}) {
  const created = [];
  const factory = (k, handlers) => {
    const state = { k, terminated: false, tasks: [] };
    created.push(state);
    const reply = (msg) => setTimeout(() => {
      if (!state.terminated) handlers.message(msg);
    }, delayMs);
    return {
      post(msg) {
        if (msg.type === 'init') reply({ type: 'ready' });
        else if (msg.type === 'task' && msg.index === failTask) reply({ type: 'error', message: 'boom' });
        else if (msg.type === 'task') {
          state.tasks.push(msg.index);
          const t = performance.timeOrigin + performance.now();
          reply({ type: 'done', index: msg.index, value: String(msg.index + 1), start: t, end: t + 1, wait: 0 });
        }
      },
      terminate() {
        state.terminated = true;
      },
    };
  };
  return { factory, created };
}

/// Starts a helper thread that stores 1 at the module's `cancel` cell once the next run has finished `tasks` tasks
/// (as the page's Stop does); resolves once it is running, to {worker, signalled: a promise of 'cancelled'}.
async function cancelAfter(module, tasks) {
  const offsets = JSON.parse(module.get_control_offsets());
  const buffer = module.wasmMemory ? module.wasmMemory.buffer : module.HEAP8.buffer;
  Atomics.store(new Int32Array(buffer), offsets.done >> 2, -1); // run_json resets it to 0: "done >= n" means this run
  const worker = new Worker(`
    const { workerData, parentPort } = require('node:worker_threads');
    const cells = new Int32Array(workerData.buffer);
    const sleeper = new Int32Array(new SharedArrayBuffer(4));
    while (Atomics.load(cells, workerData.done >> 2) < workerData.tasks) Atomics.wait(sleeper, 0, 0, 1);
    Atomics.store(cells, workerData.cancel >> 2, 1);
    parentPort.postMessage('cancelled');
  `, { eval: true, workerData: { buffer, cancel: offsets.cancel, done: offsets.done, tasks } });
  const signalled = new Promise((resolve) => worker.once('message', resolve));
  await new Promise((resolve) => worker.once('online', resolve));
  return { worker, signalled };
}

describe('process pool logic (fake workers, the core\'s run builder)', () => {
  const params = { workload: 'factorials', inputs: [1, 2, 3, 4], repeat: 5 }; // 20 tasks
  const wasm = stagedSingleThreaded();
  const buildRun = (workers, runParams = params) => runBuilder(wasm.st, runParams, 'processes', workers);

  /// Fake workers whose worker 1 answers its first `unreadable` inits as Firefox's lost Module does; logs every init.
  const unreadableInits = (unreadable) => {
    const inits = [];
    const { factory: inner } = fakeWorkers();
    const factory = (k, handlers) => {
      const worker = inner(k, handlers);
      let left = k === 1 ? unreadable : 0;
      return {
        post(msg) {
          if (msg.type === 'init') inits.push({ k, module: msg.wasmModule });
          if (msg.type === 'init' && left > 0) {
            left -= 1;
            setTimeout(() => handlers.message({ type: 'unreadable', message: 'a message from the lab worker could not be read (messageerror)' }), 1);
            return;
          }
          worker.post(msg);
        },
        terminate: () => worker.terminate(),
      };
    };
    return { factory, inits };
  };

  test('a worker that could not read its init gets it once more, without the Module, and the run completes', async () => {
    const { factory, inits } = unreadableInits(1);
    const module = { compiled: true };
    const run = await pool.startProcessRun({ createWorker: factory, params, buildRun: buildRun(2), workers: 2, taskCount: 20, wasmModule: module }).result;
    assert.equal(run.ok, true, run.error);
    assert.equal(run.tasks.length, 20);
    assert.deepEqual(inits, [{ k: 1, module }, { k: 2, module }, { k: 1, module: null }]);
  });

  test('a worker that cannot read its init twice ends the run with its message, not a stall', async () => {
    const { factory, inits } = unreadableInits(2);
    const run = await pool.startProcessRun({ createWorker: factory, params, buildRun: buildRun(2), workers: 2, taskCount: 20, wasmModule: {} }).result;
    assert.equal(run.ok, false);
    assert.match(run.error, /^process worker 1: a message from the lab worker could not be read/);
    assert.equal(inits.filter((i) => i.k === 1).length, 2);
  });

  test('hands out every task exactly once and sums the values', async () => {
    const { factory, created } = fakeWorkers();
    const { result } = pool.startProcessRun({ createWorker: factory, params, buildRun: buildRun(3), workers: 3, taskCount: 20, hardwareConcurrency });
    const run = await result;
    checkCompleteRun(run, { mode: 'processes', workers: 3 });
    assert.equal(run.checksum, String((20 * 21) / 2));
    assert.equal(created.length, 3);
    assert.ok(created.every((w) => w.terminated), 'every worker is terminated at the end');
    assert.deepEqual(new Set(run.tasks.map((t) => t.pid)).size <= 3, true);
    for (const task of run.tasks) assert.equal(task.pid, task.worker + 1);
  });

  test('a failing worker ends the run with ok:false naming it', async () => {
    const { factory, created } = fakeWorkers({ failTask: 5 });
    const run = await pool.startProcessRun({ createWorker: factory, params, buildRun: buildRun(2), workers: 2, taskCount: 20 }).result;
    assert.equal(run.ok, false);
    assert.equal(run.complete, false);
    assert.match(run.error, /^process worker [12]: boom$/);
    assert.ok(created.every((w) => w.terminated));
  });

  test('a worker that cannot start ends the run with ok:false', async () => {
    const factory = (k, handlers) => {
      if (k === 2) setTimeout(() => handlers.error('script failed to load'), 1);
      return { post() {}, terminate() {} };
    };
    const run = await pool.startProcessRun({ createWorker: factory, params, buildRun: buildRun(2), workers: 2, taskCount: 4 }).result;
    assert.equal(run.ok, false);
    assert.equal(run.error, 'process worker 2: script failed to load');
  });

  test('a factory that throws gives ok:false, not an exception', async () => {
    const factory = () => {
      throw new Error('no Worker here');
    };
    const run = await pool.startProcessRun({ createWorker: factory, params, buildRun: buildRun(2), workers: 2, taskCount: 4 }).result;
    assert.equal(run.ok, false);
    assert.match(run.error, /no Worker here/);
  });

  test('stop returns the finished tasks with complete:false and terminates the workers', async () => {
    const { factory, created } = fakeWorkers({ delayMs: 5 });
    let stop;
    const stopped = new Promise((resolve) => {
      const many = { workload: 'factorials', inputs: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], repeat: 100 }; // 1000 tasks
      const handle = pool.startProcessRun({
        createWorker: factory, params: many, buildRun: buildRun(2, many), workers: 2, taskCount: 1000,
        onProgress: (done) => {
          if (done === 3) stop();
        },
      });
      stop = handle.stop;
      resolve(handle.result);
    });
    const run = await stopped;
    assert.equal(run.ok, true);
    assert.equal(run.complete, false);
    assert.equal(run.tasks_done, 3);
    assert.equal(run.checksum, sumOfValues(run));
    assert.ok(created.every((w) => w.terminated));
  });

  test('a duplicate or unexpected answer is an error, not a double count', async () => {
    const factory = (k, handlers) => ({
      post(msg) {
        if (msg.type === 'init') setTimeout(() => handlers.message({ type: 'ready' }), 1);
        if (msg.type === 'task') setTimeout(() => handlers.message({ type: 'done', index: 99, value: '1', start: 0, end: 0, wait: 0 }), 1);
      },
      terminate() {},
    });
    const run = await pool.startProcessRun({ createWorker: factory, params, buildRun: buildRun(1), workers: 1, taskCount: 3 }).result;
    assert.equal(run.ok, false);
    assert.match(run.error, /process worker 1: answered task 99/);
  });
});

describe('wasm builds', () => {
  let staged = null;
  let st = null; // parlab_st Module
  let mt = null; // pthread Module
  let specs = null;

  before(async () => {
    const missing = wasmBuildMissing();
    if (missing) assert.fail(missing);
    staged = stageWasm();
    st = await loadSingleThreaded(staged.dir);
    mt = await loadThreaded(staged.dir);
    specs = JSON.parse(st.get_lab_info()).params;
  });

  after(() => {
    if (mt && mt.PThread && typeof mt.PThread.terminateAllThreads === 'function') mt.PThread.terminateAllThreads();
    if (staged) staged.remove();
  });

  const runJson = (Module, params, mode, workers) => JSON.parse(Module.run_json(JSON.stringify(params), mode, workers));

  describe('the pthread pool (web/pthread-pool.js): none before the module resolves, grown by the lab worker', () => {
    const freshThreaded = (dir) => require(join(dir, 'parlab.js'))({ wasmBinary: readFileSync(join(dir, 'parlab.wasm')) });

    test('the build starts no pthread worker; growPthreadPool resolves once every worker of the pool has loaded', async () => {
      const fresh = await freshThreaded(staged.dir);
      try {
        assert.deepEqual(fresh.getPthreadPoolState(), { loaded: 0, loading: 0 }, 'no worker was made before the module resolved');
        assert.throws(() => fresh.run_json('{"workload": "primes", "inputs": [1000]}', 'threads', 1), /workers must be at most 0 until the thread pool grows/);
        const seen = [];
        const two = fresh.growPthreadPool(2, (loaded, size) => seen.push([loaded, size]));
        const one = fresh.growPthreadPool(1); // fewer than the pool holds, but both still load: it waits for both
        assert.deepEqual(fresh.getPthreadPoolState(), { loaded: 0, loading: 2 });
        assert.equal(await one, 2);
        assert.deepEqual(fresh.getPthreadPoolState(), { loaded: 2, loading: 0 }, 'a thread can be placed on any worker of the pool');
        assert.equal(await two, 2);
        assert.equal(seen.length, 2, 'onLoaded once per worker');
        assert.deepEqual(seen.at(-1), [2, 2]);
        const run = runJson(fresh, { workload: 'primes', inputs: [1000000] }, 'threads', 1);
        assert.equal(run.ok, true);
        assert.equal(run.checksum, PRIMES_1M);
      } finally {
        fresh.PThread.terminateAllThreads();
      }
    });

    test('a worker that cannot load rejects the grow with one line instead of ending the instance', async () => {
      const broken = stageWasm();
      try {
        rmSync(join(broken.dir, 'parlab.worker.js'));
        const fresh = await freshThreaded(broken.dir);
        try {
          await assert.rejects(fresh.growPthreadPool(2), /^Error: a pthread worker failed to start \(.*parlab\.worker\.js/);
          assert.equal(fresh.getPthreadPoolState().loaded, 0);
          assert.equal(JSON.parse(fresh.get_lab_info()).modes.length > 0, true, 'the instance still answers');
        } finally {
          fresh.PThread.terminateAllThreads();
        }
      } finally {
        broken.remove();
      }
    });
  });

  async function runProcesses(params, workers) {
    const workload = new st.Workload(JSON.stringify(params));
    const taskCount = Number(workload.task_count());
    workload.delete();
    const handle = pool.startProcessRun({
      createWorker: nodeProcessWorkerFactory(staged.dir), params, buildRun: runBuilder(st, params, 'processes', workers),
      workers, taskCount, hardwareConcurrency,
    });
    return handle.result;
  }

  async function runJsSequential(params, options = {}) {
    const workload = new st.Workload(JSON.stringify(params));
    try {
      return await driver.runSequential(Object.assign({
        workload, buildRun: runBuilder(st, params, 'sequential', 1), hardwareConcurrency,
        memoryKib: () => Number(st.get_memory_kib()),
      }, options));
    } finally {
      workload.delete();
    }
  }

  async function runJsAsync(params, workers, options = {}) {
    const workload = new st.Workload(JSON.stringify(params));
    try {
      return await driver.runAsync(Object.assign({
        workload, buildRun: runBuilder(st, params, 'async', workers), workers, hardwareConcurrency,
        memoryKib: () => Number(st.get_memory_kib()),
      }, options));
    } finally {
      workload.delete();
    }
  }

  describe('threads-gil: threads under a simulated interpreter lock', () => {
    const params = { workload: 'primes', shape: 'chunked', n: 2000000, chunks: 16 };

    for (const workers of [1, 2, 4]) {
      test(`x${workers}: the sequential checksum, and no two tasks hold the lock at once`, () => {
        const run = runJson(mt, params, 'threads-gil', workers);
        checkCompleteRun(run, { mode: 'threads-gil', workers });
        assert.equal(run.checksum, PRIMES_2M);
        assert.equal(run.switch_interval_ms, 5, 'the default switch interval is reported');
        const held = run.tasks.flatMap((t) => {
          assert.ok(Array.isArray(t.held) && t.held.length >= 1, `task ${t.id} held the lock at least once`);
          return t.held.map(([from, to]) => {
            assert.ok(to >= from, `task ${t.id}: a held stretch ends after it starts`);
            assert.ok(from >= t.start_s - EPSILON_S && to <= t.end_s + EPSILON_S, `task ${t.id}: held within the task`);
            return { owner: t.id, from, to };
          });
        });
        const overlap = findOverlap(held);
        assert.equal(overlap, null, `two tasks held the lock at once: ${overlap}`);
        assert.equal(validateResults(resultsFile([run])), null, 'the run matches docs/results.schema.json');
      });
    }

    test('download: the same checksum as sequential; waits do not hold the lock', () => {
      const download = { workload: 'download', count: 8, latency_ms: 30, work_kib: 4 };
      const sequential = runJson(mt, download, 'sequential', 1);
      const run = runJson(mt, download, 'threads-gil', 4);
      checkCompleteRun(run, { mode: 'threads-gil', workers: 4 });
      assert.equal(run.checksum, sequential.checksum);
      for (const t of run.tasks) {
        for (const [from] of t.held) assert.ok(from >= t.start_s + t.wait_s - EPSILON_S, `task ${t.id} took the lock only after its wait`);
      }
      assert.notEqual(findOverlap(waitsOf(run)), null, 'the waits of different threads overlap');
    });

    test('set_switch_interval_ms sets later runs\' interval and refuses values out of 0.1..1000', () => {
      try {
        assert.equal(mt.set_switch_interval_ms(1), '');
        const run = runJson(mt, { workload: 'primes', inputs: [1000000, 2000000] }, 'threads-gil', 2);
        assert.equal(run.switch_interval_ms, 1);
        assert.equal(run.checksum, String(BigInt(PRIMES_1M) + BigInt(PRIMES_2M)));
        for (const bad of [0, 0.05, 1001, NaN]) {
          const message = mt.set_switch_interval_ms(bad);
          assert.match(message, /switch_interval_ms.*0\.1.*1000/, `set_switch_interval_ms(${bad})`);
        }
        assert.equal(runJson(mt, { workload: 'primes', inputs: [1000000] }, 'threads-gil', 2).switch_interval_ms, 1, 'a refused value changes nothing');
      } finally {
        mt.set_switch_interval_ms(5);
      }
    });

    test('needs the pthread build; past the 16 loaded workers it refuses (never hangs) until the pool grows, up to 64', async () => {
      assert.throws(() => st.run_json('{"workload": "primes"}', 'threads-gil', 2), /pthread/);
      assert.throws(() => mt.run_json('{"workload": "primes"}', 'threads-gil', 17), /workers must be at most 16 until the thread pool grows \(got 17; call growPthreadPool\(17\) first, up to 64\)/);
      assert.equal(await mt.growPthreadPool(20), 20);
      const run = runJson(mt, { workload: 'primes', shape: 'chunked', n: 200000, chunks: 20 }, 'threads', 20);
      assert.equal(run.ok, true);
      assert.equal(new Set(run.tasks.map((t) => t.thread)).size > 1, true, 'the tasks ran on several threads');
      assert.throws(() => mt.run_json('{"workload": "primes"}', 'threads', 65), /between 1 and 64/);
    });
  });

  describe('async: one thread, an event loop', () => {
    const download = { workload: 'download', count: 8, latency_ms: 30, jitter_ms: 0, work_kib: 4 };
    const primes = { workload: 'primes', shape: 'chunked', n: 2000000, chunks: 16 };

    test('in wasm (pthread build): one thread, overlapping waits, computations one at a time', () => {
      const sequential = runJson(mt, download, 'sequential', 1);
      for (const workers of [1, 4]) {
        const run = runJson(mt, download, 'async', workers);
        checkCompleteRun(run, { mode: 'async', workers });
        checkAsyncRun(run, { workers, download: true });
        assert.equal(run.checksum, sequential.checksum);
        assert.ok(run.tasks.every((t) => t.wait_s > 0), 'download tasks wait');
        assert.equal(validateResults(resultsFile([run])), null, 'the run matches docs/results.schema.json');
      }
      const cpu = runJson(mt, primes, 'async', 4);
      checkCompleteRun(cpu, { mode: 'async', workers: 4 });
      checkAsyncRun(cpu, { workers: 4, download: false });
      assert.equal(cpu.checksum, PRIMES_2M);
    });

    test('in wasm: up to 256 workers (slots, not threads)', () => {
      const run = runJson(mt, { ...download, count: 20, latency_ms: 5 }, 'async', 256);
      checkCompleteRun(run, { mode: 'async', workers: 256 });
      checkAsyncRun(run, { workers: 256, download: true });
      assert.throws(() => mt.run_json(JSON.stringify(download), 'async', 257), /256/);
      assert.throws(() => mt.run_json(JSON.stringify(download), 'async', 0));
    });

    test('the JS task driver (parlab_st, no pthreads) gives the same checksum and shape', async () => {
      const inWasm = runJson(mt, download, 'async', 4);
      for (const workers of [1, 4]) {
        const run = await runJsAsync(download, workers);
        checkCompleteRun(run, { mode: 'async', workers });
        checkAsyncRun(run, { workers, download: true });
        assert.equal(run.checksum, inWasm.checksum);
        assert.deepEqual(run.params, inWasm.params, 'the JS driver reports params as the core does');
        assert.deepEqual(run.tasks.map((t) => t.value), inWasm.tasks.map((t) => t.value));
        assert.deepEqual(run.tasks.map((t) => t.phase), inWasm.tasks.map((t) => t.phase));
        for (const t of run.tasks) {
          assert.equal(t.pid, 0);
          assert.equal(t.thread, 0);
          assert.ok(t.wait_s > 0, `task ${t.id} waited`);
        }
        assert.equal(validateResults(resultsFile([run])), null, 'the run matches docs/results.schema.json');
      }
      const cpu = await runJsAsync(primes, 4);
      checkCompleteRun(cpu, { mode: 'async', workers: 4 });
      checkAsyncRun(cpu, { workers: 4, download: false });
      assert.equal(cpu.checksum, PRIMES_2M);
    });

    test('a stopped JS async run returns complete:false with its finished tasks', async () => {
      let stop = false;
      const run = await runJsAsync({ ...download, count: 200 }, 4, {
        shouldStop: () => stop,
        onProgress: (done) => {
          if (done === 3) stop = true;
        },
      });
      assert.equal(run.ok, true, run.error || '');
      assert.equal(run.complete, false);
      assert.ok(run.tasks_done >= 3 && run.tasks_done < 200, `${run.tasks_done} done`);
      checkRunShape(run, { mode: 'async', workers: 4 });
    });

    test('a task that throws ends a JS async run with ok:false naming it', async () => {
      const run = await runJsAsync({ ...download, crash_task: 2, crash_how: 'throw' }, 2);
      assert.equal(run.ok, false);
      assert.equal(run.complete, false);
      assert.match(run.error, /task 2|crash/i);
    });

    test('a cancelled async run in wasm returns complete:false', async () => {
      const canceller = await cancelAfter(mt, 2);
      const run = runJson(mt, { ...download, count: 400 }, 'async', 4);
      assert.equal(await canceller.signalled, 'cancelled');
      await canceller.worker.terminate();
      assert.equal(run.ok, true, run.error || '');
      assert.equal(run.complete, false);
      assert.ok(run.tasks_done >= 2 && run.tasks_done < run.task_count, `${run.tasks_done} of ${run.task_count} done`);
      checkRunShape(run, { mode: 'async', workers: 4 });
    });
  });

  test('build info and parameter specs parse', () => {
    const stInfo = JSON.parse(st.get_build_info());
    const mtInfo = JSON.parse(mt.get_build_info());
    assert.equal(stInfo.threads, false);
    assert.equal(mtInfo.threads, true);
    assert.ok(Array.isArray(specs) && specs.length > 0);
    for (const workload of ['primes', 'download', 'factorials']) {
      assert.ok(specs.some((s) => s.workload === workload), `specs list ${workload}`);
    }
    const control = JSON.parse(mt.get_control_offsets());
    assert.ok(Number.isInteger(control.cancel) && Number.isInteger(control.done));
  });

  test('the lab info: both builds give the page the same modes and bounds, and say which runs threads', () => {
    const stInfo = JSON.parse(st.get_lab_info());
    const mtInfo = JSON.parse(mt.get_lab_info());
    assert.deepEqual([stInfo.build.threads, mtInfo.build.threads], [false, true]);
    assert.deepEqual(stInfo.modes, mtInfo.modes);
    assert.deepEqual(stInfo.limits, mtInfo.limits);
    assert.equal(mtInfo.limits.max_workers, 64, 'the pthread pool grows to 64 (web/pthread-pool.js)');
    assert.deepEqual(mtInfo.modes.filter((m) => m.pthreads).map((m) => m.name), ['threads', 'threads-gil']);
    assert.deepEqual(mtInfo.params, specs);
  });

  test('errors say their kind: invalid input, or work that failed; the core counts tasks', () => {
    const caught = (call) => {
      try {
        call();
      } catch (error) {
        return error;
      }
      return null;
    };
    const bad = caught(() => st.run_json(JSON.stringify({ workload: 'primes', shape: 'chunked', n: 1 }), 'sequential', 1));
    assert.equal(bad.kind, 'invalid_argument');
    assert.equal(bad.parameter, 'n', 'the parameter at fault, as data');
    assert.match(bad.bounds, /2/);
    assert.match(bad.message, /n/);
    const crashed = caught(() => st.run_json(JSON.stringify({ workload: 'primes', crash_task: 0, crash_how: 'throw' }), 'sequential', 1));
    assert.equal(crashed, null, 'a task that throws fails the run, not the call');
    const workload = new st.Workload(JSON.stringify({ workload: 'primes', inputs: [1000], crash_task: 0, crash_how: 'throw' }));
    try {
      assert.equal(caught(() => workload.compute(0)).kind, 'failed');
      assert.equal(caught(() => workload.compute(5)).kind, 'failed');
    } finally {
      workload.delete();
    }
    assert.equal(st.get_task_count(JSON.stringify({ workload: 'factorials', inputs: [1, 2], repeat: 3 })), 6);
    assert.equal(caught(() => st.get_task_count(JSON.stringify({ workload: 'factorials', repeat: 0 }))).kind, 'invalid_argument');
    const twiceTimings = new driver.TaskTimings(0);
    for (const k of [0, 1]) twiceTimings.add({ id: 0, worker: 0, pid: 0, thread: 0, startMs: k, endMs: k + 1, waitMs: 0, value: '1' });
    const primes = JSON.stringify({ workload: 'primes', inputs: [10, 20] });
    const twice = caught(() => st.build_run_json(primes, 'sequential', 1, twiceTimings.timings({ endMs: 2 })));
    assert.equal(twice.kind, 'invalid_argument');
    assert.equal(twice.message, 'timings: task 0 finished twice');
    const badValue = twiceTimings.timings({ endMs: 2 });
    badValue.tasks.value = '1,x';
    assert.match(caught(() => st.build_run_json(primes, 'sequential', 1, badValue)).message, /^timings: tasks\.value must be 2 decimal uint64s/);
  });

  test('a two-phase job driven by JavaScript: gather tasks are waits (phase gather), with memory, in every JS mode', async () => {
    const gather = { workload: 'cv', phase: 'gather', count: 4, latency_ms: 30, page_kpx: 20 };
    const inWasm = runJson(mt, gather, 'threads', 2);
    const runs = [await runJsSequential(gather), await runJsAsync(gather, 2), await runProcesses(gather, 2)];
    for (const run of runs) {
      const label = `${run.mode} x${run.workers}`;
      checkCompleteRun(run, { mode: run.mode, workers: run.workers });
      assert.equal(run.checksum, inWasm.checksum, label);
      assert.ok(run.tasks.every((t) => t.phase === 'gather' && t.wait_s >= 0.02), `${label}: every task waited, as gather`);
      assert.ok(run.tasks.every((t) => Number.isInteger(t.rss_kib) && t.rss_kib > 0), `${label}: cv tasks record memory`);
      assert.equal(validateResults(resultsFile([run])), null, label);
    }
    const render = await runProcesses({ ...gather, phase: 'render' }, 2);
    assert.ok(render.tasks.every((t) => t.phase === 'render'));
    const primes = await runProcesses({ workload: 'primes', inputs: [1000, 2000] }, 2);
    assert.ok(primes.tasks.every((t) => t.phase === 'compute' && t.rss_kib === undefined), 'memory only where the workload records it');
  });

  test('primes inputs 1000000: checksum 37550402023', () => {
    const run = runJson(st, { workload: 'primes', inputs: [1000000] }, 'sequential', 1);
    checkCompleteRun(run, { mode: 'sequential', workers: 1 });
    assert.equal(run.checksum, PRIMES_1M);
  });

  test('primes inputs 1000000,2000000,3000000: one value per input', () => {
    const run = runJson(mt, { workload: 'primes', inputs: [1000000, 2000000, 3000000] }, 'threads', 3);
    checkCompleteRun(run, { mode: 'threads', workers: 3 });
    assert.deepEqual(run.tasks.map((t) => t.value), [PRIMES_1M, PRIMES_2M, PRIMES_3M]);
  });

  describe('chunked primes n=2000000 chunks=16 gives 142913828922 in every mode', () => {
    const params = { workload: 'primes', shape: 'chunked', n: 2000000, chunks: 16 };

    test('sequential (run_json, single-threaded build)', () => {
      const run = runJson(st, params, 'sequential', 1);
      checkCompleteRun(run, { mode: 'sequential', workers: 1 });
      assert.equal(run.checksum, PRIMES_2M);
      assert.deepEqual(run.params, { shape: 'chunked', n: 2000000, chunks: 16 });
    });

    test('sequential (JS task driver over the single-threaded build)', async () => {
      const run = await runJsSequential(params);
      checkCompleteRun(run, { mode: 'sequential', workers: 1 });
      assert.equal(run.checksum, PRIMES_2M);
      const native = runJson(st, params, 'sequential', 1);
      assert.deepEqual(run.params, native.params, 'the JS driver reports params as the C++ core does');
      assert.deepEqual(run.tasks.map((t) => t.phase), native.tasks.map((t) => t.phase));
    });

    for (const workers of [2, 4]) {
      test(`threads x${workers} (pthread build)`, () => {
        const run = runJson(mt, params, 'threads', workers);
        checkCompleteRun(run, { mode: 'threads', workers });
        assert.equal(run.checksum, PRIMES_2M);
      });
    }

    test('processes x2 (process-pool.js, each worker its own parlab_st)', async () => {
      const run = await runProcesses(params, 2);
      checkCompleteRun(run, { mode: 'processes', workers: 2 });
      assert.equal(run.checksum, PRIMES_2M);
      for (const task of run.tasks) {
        assert.ok(task.pid === 1 || task.pid === 2, `pid ${task.pid} is a process worker's instance id`);
        assert.equal(task.thread, task.pid);
      }
    });
  });

  for (const params of [
    { workload: 'factorials', inputs: [10, 20, 30, 40, 50], repeat: 20 },
    { workload: 'download', count: 6, latency_ms: 20, jitter_ms: 5, work_kib: 4 },
  ]) {
    test(`${params.workload}: the same checksum in every mode`, async () => {
      // parlab_st refuses simulated latency (it would spin the CPU there): the reference is the pthread build's.
      const sequential = runJson(params.workload === 'download' ? mt : st, params, 'sequential', 1);
      checkCompleteRun(sequential, { mode: 'sequential', workers: 1 });
      const runs = [
        runJson(mt, params, 'sequential', 1),
        runJson(mt, params, 'threads', 2),
        await runJsSequential(params),
        await runProcesses(params, 2),
      ];
      for (const run of runs) {
        checkCompleteRun(run, { mode: run.mode, workers: run.workers });
        assert.deepEqual(run.params, sequential.params, `${run.mode} x${run.workers} reports params as the core does`);
        assert.equal(run.checksum, sequential.checksum, `${run.mode} x${run.workers} checksum`);
        assert.deepEqual(run.tasks.map((t) => t.value), sequential.tasks.map((t) => t.value));
      }
      const errors = validateResults(resultsFile([sequential, ...runs]));
      assert.equal(errors, null, `runs do not match docs/results.schema.json:\n  ${errors}`);
      if (params.workload === 'download') {
        for (const run of runs) {
          assert.ok(run.tasks.every((t) => t.wait_s > 0), `${run.mode}: download tasks wait`);
        }
      }
    });
  }

  test('the JS drivers report params as the core does, defaults filled in and typed', async () => {
    for (const params of [
      { workload: 'factorials', repeat: 1 },
      { workload: 'download', count: 2, latency_ms: '0' },
      { workload: 'primes', shape: 'chunked', n: 1000 },
      { workload: 'primes', inputs: '1000,2000' },
    ]) {
      const core = runJson(st, params, 'sequential', 1).params;
      assert.deepEqual((await runJsSequential(params)).params, core, JSON.stringify(params));
    }
  });

  test('validate_params names the parameter that is out of bounds', () => {
    const cases = [
      [{ workload: 'primes', shape: 'chunked', n: 1 }, 'n'],
      [{ workload: 'primes', shape: 'chunked', chunks: 5000 }, 'chunks'],
      [{ workload: 'primes', inputs: [1] }, 'inputs'],
      [{ workload: 'download', latency_ms: -1 }, 'latency_ms'],
      [{ workload: 'download', count: 1001 }, 'count'],
      [{ workload: 'factorials', repeat: 0 }, 'repeat'],
      [{ workload: 'factorials', bogus: 1 }, 'bogus'],
    ];
    for (const Module of [st, mt]) {
      assert.equal(Module.validate_params(JSON.stringify({ workload: 'primes' })), '');
      for (const [params, name] of cases) {
        const message = Module.validate_params(JSON.stringify(params));
        assert.ok(message.includes(name), `${JSON.stringify(params)}: "${message}" names ${name}`);
        assert.ok(!message.includes('\n'), 'one line');
      }
    }
  });

  test('bad input never crashes: errors come back as messages', () => {
    for (const text of ['', 'not json', '[]', '{"workload": "nope"}', '{"workload": 3}']) {
      const message = st.validate_params(text);
      assert.ok(typeof message === 'string' && message.length > 0, `validate_params(${JSON.stringify(text)}) -> "${message}"`);
      assert.throws(() => st.run_json(text, 'sequential', 1));
    }
    assert.throws(() => st.run_json('{"workload": "primes"}', 'threads', 2), 'no threads in the single-threaded build');
    assert.throws(() => mt.run_json('{"workload": "primes"}', 'warp', 2));
    assert.throws(() => mt.run_json('{"workload": "primes"}', 'threads', 0));
    // The module still works afterwards.
    const run = runJson(st, { workload: 'primes', inputs: [1000000] }, 'sequential', 1);
    assert.equal(run.checksum, PRIMES_1M);
  });

  test('a cancelled threads run returns complete:false with only finished tasks', async () => {
    const canceller = await cancelAfter(mt, 1);
    const run = runJson(mt, { workload: 'primes', shape: 'chunked', n: 100000000, chunks: 4096 }, 'threads', 2);
    assert.equal(await canceller.signalled, 'cancelled');
    await canceller.worker.terminate();
    assert.equal(run.ok, true, run.error || '');
    assert.equal(run.complete, false);
    assert.ok(run.tasks_done >= 1 && run.tasks_done < run.task_count, `${run.tasks_done} of ${run.task_count} done`);
    checkRunShape(run, { mode: 'threads', workers: 2 });
    // The next run starts clean (run_json resets the flags).
    const next = runJson(mt, { workload: 'primes', inputs: [1000000] }, 'threads', 2);
    assert.equal(next.complete, true);
    assert.equal(next.checksum, PRIMES_1M);
  });

  test('a stopped JS sequential run returns complete:false', async () => {
    let stop = false;
    const run = await runJsSequential({ workload: 'download', count: 50, latency_ms: 20 }, {
      shouldStop: () => stop,
      onProgress: (done) => {
        if (done === 2) stop = true;
      },
    });
    assert.equal(run.ok, true);
    assert.equal(run.complete, false);
    assert.equal(run.tasks_done, 2);
    checkRunShape(run, { mode: 'sequential', workers: 1 });
  });

  test('a stopped processes run returns complete:false and its finished tasks', async () => {
    const params = { workload: 'download', count: 40, latency_ms: 50 };
    let handle = null;
    let stopAt = 0;
    const result = new Promise((resolve) => {
      handle = pool.startProcessRun({
        createWorker: nodeProcessWorkerFactory(staged.dir), params, buildRun: runBuilder(st, params, 'processes', 2),
        workers: 2, taskCount: 40, hardwareConcurrency,
        onProgress: (done) => {
          if (done === 3) {
            stopAt = done;
            handle.stop();
          }
        },
      });
      resolve(handle.result);
    });
    const run = await result;
    assert.equal(stopAt, 3);
    assert.equal(run.ok, true, run.error || '');
    assert.equal(run.complete, false);
    assert.equal(run.tasks_done, 3);
    checkRunShape(run, { mode: 'processes', workers: 2 });
    assert.equal(validateResults(resultsFile([run])), null);
  });
});

describe('overhead: task payloads through wasm (input bytes out, results back)', () => {
  // The native build's checksum of these parameters (parlab run --workload overhead --items 3000 --item-bytes 40
  // --work 2 --chunk 7): the same items whatever the chunk, so the same checksum.
  const OVERHEAD_3000 = '2428160730770096439';
  const base = { workload: 'overhead', items: 3000, item_bytes: 40, work: 2, seed: 1 };
  const wasm = stagedSingleThreaded();

  test('compute_from_input on input_bytes gives compute, and read_output the same value', () => {
    const params = JSON.stringify({ ...base, chunk: 7 });
    const holder = new wasm.st.Workload(params);
    const receiver = new wasm.st.Workload(params, false); // holds no data: computes only from what it is sent
    try {
      let sum = 0n;
      const count = Number(holder.task_count());
      assert.equal(count, 429);
      for (const task of [0, 1, 200, count - 1]) {
        const input = holder.input_bytes(task);
        assert.ok(input instanceof Uint8Array);
        assert.equal(input.byteLength, (task === count - 1 ? 3000 - 7 * 428 : 7) * 40);
        const answer = receiver.compute_from_input(task, input);
        assert.equal(answer.value, holder.compute(task));
        assert.equal(answer.output.byteLength, input.byteLength / 40 * 8, 'one 64-bit result per item');
        assert.equal(holder.read_output(task, answer.output), answer.value);
      }
      for (let task = 0; task < count; task += 1) {
        sum = BigInt.asUintN(64, sum + BigInt(receiver.compute_from_input(task, holder.input_bytes(task)).value));
      }
      assert.equal(sum.toString(), OVERHEAD_3000);
      assert.throws(() => receiver.compute(0), /holds no data/);
      assert.throws(() => receiver.compute_from_input(0, new Uint8Array(3)), /input/);
    } finally {
      holder.delete();
      receiver.delete();
    }
  });

  test('sequential in wasm and processes fed payloads give the native checksum; only processes move bytes', async () => {
    const seq = JSON.parse(wasm.st.run_json(JSON.stringify({ ...base, chunk: 7 }), 'sequential', 1));
    assert.equal(seq.checksum, OVERHEAD_3000);
    assert.equal(seq.bytes_transferred, undefined);
    for (const chunk of [7, 1000]) {
      const params = { ...base, chunk };
      const workload = new wasm.st.Workload(JSON.stringify(params));
      try {
        const taskCount = Number(workload.task_count());
        const run = await pool.startProcessRun({
          createWorker: nodeProcessWorkerFactory(wasm.dir), params, buildRun: runBuilder(wasm.st, params, 'processes', 2),
          workers: 2, taskCount, hardwareConcurrency,
          getInput: (index) => workload.input_bytes(index),
          readOutput: (index, output) => workload.read_output(index, output),
        }).result;
        assert.equal(run.ok, true, run.error || '');
        assert.equal(run.complete, true);
        assert.equal(run.checksum, OVERHEAD_3000, `chunk ${chunk}`);
        assert.equal(run.bytes_transferred, 3000 * (40 + 8), 'every item out, every result back');
        assert.equal(validateResults(resultsFile([run])), null);
      } finally {
        workload.delete();
      }
    }
  });
});

describe('process pool payloads (fake workers, the core\'s run builder)', () => {
  const tasksOf = (count) => ({ workload: 'overhead', items: count, chunk: 1 }); // one task per item
  const wasm = stagedSingleThreaded();

  /// Workers that answer each task's input reversed as output (value "0": the pool must use readOutput).
  const echoWorkers = (seen) => (k, handlers) => ({
    post(msg) {
      if (msg.type === 'init') {
        seen.receiver = msg.receiver;
        setTimeout(() => handlers.message({ type: 'ready' }), 1);
      } else if (msg.type === 'task') {
        seen.inputs.push(msg.input);
        const t = performance.timeOrigin + performance.now();
        const output = msg.input ? new Uint8Array([...msg.input].reverse()) : undefined;
        setTimeout(() => handlers.message({ type: 'done', index: msg.index, value: '0', output, start: t, end: t + 1, wait: 0 }), 1);
      }
    },
    terminate() {},
  });

  test('each task carries its input; the output comes back through readOutput; bytes are counted both ways', async () => {
    const seen = { inputs: [] };
    const run = await pool.startProcessRun({
      createWorker: echoWorkers(seen), params: tasksOf(6), buildRun: runBuilder(wasm.st, tasksOf(6), 'processes', 2), workers: 2, taskCount: 6,
      getInput: (i) => (i === 4 ? null : new Uint8Array(i + 1).fill(i)),
      readOutput: (i, output) => String(output.reduce((a, b) => a + b, 0) + 1000 * output.length),
    }).result;
    checkCompleteRun(run, { mode: 'processes', workers: 2 });
    assert.equal(seen.receiver, true, 'workers are told they hold no data');
    assert.equal(seen.inputs.filter((x) => x === undefined).length, 1, 'a task without input sends none');
    // Tasks 0,1,2,3,5 bring i+1 bytes of value i back; task 4 none (value "0").
    const expected = [0, 1, 2, 3, 5].reduce((sum, i) => sum + i * (i + 1) + 1000 * (i + 1), 0);
    assert.equal(run.checksum, String(expected));
    assert.equal(run.bytes_transferred, 2 * (1 + 2 + 3 + 4 + 6));
  });

  test('an input that cannot be made, or output that nothing reads, fails the run naming the task', async () => {
    const seen = { inputs: [] };
    const failing = await pool.startProcessRun({
      createWorker: echoWorkers(seen), params: tasksOf(3), buildRun: runBuilder(wasm.st, tasksOf(3), 'processes', 1), workers: 1, taskCount: 3,
      getInput: (i) => {
        if (i === 1) throw new Error('no such item');
        return new Uint8Array(2);
      },
      readOutput: () => '1',
    }).result;
    assert.equal(failing.ok, false);
    assert.match(failing.error, /^process worker 1: preparing the input of task 1: no such item$/);
    const unread = await pool.startProcessRun({
      createWorker: (k, handlers) => ({
        post(msg) {
          if (msg.type === 'init') setTimeout(() => handlers.message({ type: 'ready' }), 1);
          else setTimeout(() => handlers.message({ type: 'done', index: msg.index, value: '1', output: new Uint8Array(8), start: 0, end: 1, wait: 0 }), 1);
        },
        terminate() {},
      }),
      params: tasksOf(2), buildRun: runBuilder(wasm.st, tasksOf(2), 'processes', 1), workers: 1, taskCount: 2,
    }).result;
    assert.equal(unread.ok, false);
    assert.match(unread.error, /output bytes for task 0 that nothing reads/);
  });
});
