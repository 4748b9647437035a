// Process workers kept warm between runs (web/site/warm-pool.js with process-pool.js): the pure plan of which
// workers a run reuses, starts and ends; what is kept after a run (only a run that finished every task, and only
// workers that freed it); and, over the real parlab_st in worker_threads, two runs in a row: the second reuses the
// workers and computes the same checksum.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { loadSingleThreaded, loadSiteScript, nodeProcessWorkerFactory, repoRoot, stageWasm, sumOfValues } from './wasm-helpers.mjs';

const { planWorkers, WarmPool } = loadSiteScript('warm-pool.js');
const pool = loadSiteScript('process-pool.js');

describe('planWorkers', () => {
  const kept = (slots, build = 'b') => slots.map((slot) => ({ slot, build }));

  test('nothing kept: every worker starts', () => {
    assert.deepEqual(planWorkers({ kept: [], workers: 3, build: 'b' }), { reuse: [], start: [1, 2, 3], end: [] });
  });

  test('the same count on the same build: every worker is reused', () => {
    assert.deepEqual(planWorkers({ kept: kept([1, 2]), workers: 2, build: 'b' }), { reuse: [1, 2], start: [], end: [] });
  });

  test('more workers: the kept ones are reused, only the missing ones start', () => {
    assert.deepEqual(planWorkers({ kept: kept([1, 2]), workers: 4, build: 'b' }), { reuse: [1, 2], start: [3, 4], end: [] });
  });

  test('fewer workers: a subset is used, the rest stay kept (neither used nor ended)', () => {
    assert.deepEqual(planWorkers({ kept: kept([1, 2, 3]), workers: 1, build: 'b' }), { reuse: [1], start: [], end: [] });
  });

  test('cold: every kept worker is ended and every worker starts', () => {
    assert.deepEqual(planWorkers({ kept: kept([2, 1]), workers: 2, build: 'b', cold: true }), { reuse: [], start: [1, 2], end: [1, 2] });
  });

  test('another build: its workers are ended and replaced', () => {
    assert.deepEqual(planWorkers({ kept: [...kept([1], 'old'), ...kept([2])], workers: 2, build: 'b' }), { reuse: [2], start: [1], end: [1] });
  });
});

/// Fake process workers that follow process-worker.js's protocol without wasm: each task's value is its index + 1.
/// `crashOn`: a task index whose worker fails instead; `silentRelease`: workers never answer release. Tracks the
/// workers started and the ones still live.
function fakeWorkers({ crashOn = -1, silentRelease = false } = {}) {
  const live = new Set();
  let started = 0;
  const spawn = (k, handlers) => {
    const me = { k };
    live.add(me);
    started += 1;
    let holding = false; // whether a workload of a run is held (the state a release must free)
    const answer = (msg) => queueMicrotask(() => {
      if (!live.has(me)) return;
      if (msg.type === 'init') {
        holding = true;
        handlers.message({ type: 'ready', pid: k });
      } else if (msg.type === 'task' && msg.index === crashOn) {
        handlers.error('crashed on purpose');
      } else if (msg.type === 'task') {
        if (!holding) handlers.message({ type: 'error', message: 'task before init' });
        else handlers.message({ type: 'done', index: msg.index, value: String(msg.index + 1), start: 0, end: 1, wait: 0 });
      } else if (msg.type === 'release' && !silentRelease) {
        holding = false;
        handlers.message({ type: 'released' });
      }
    });
    return { post: answer, terminate: () => live.delete(me) };
  };
  return { spawn, live: () => live.size, started: () => started };
}

/// One run on the warm pool, as lab-worker.js makes it; resolves to {run, timings} (buildRun returns the timings).
async function runOn(warm, { workers, taskCount = 6, cold = false, stopAfter = null }) {
  await warm.settle();
  const lease = warm.lease({ workers, build: 'b', cold });
  const handle = pool.startProcessRun({
    createWorker: lease.createWorker, params: {}, workers, taskCount,
    buildRun: (timings) => timings,
    onProgress: (done) => { if (stopAfter !== null && done === stopAfter) handle.stop(); },
  });
  return handle.result;
}

const valuesOf = (timings) => timings.tasks.value.split(',').filter(Boolean).map(Number).sort((a, b) => a - b);

describe('WarmPool with process-pool.js', () => {
  test('a second run reuses the first run\'s workers; the first started cold', async () => {
    const fake = fakeWorkers();
    const kept = [];
    const warm = new WarmPool({ spawn: fake.spawn, onChange: (n) => kept.push(n) });
    const first = await runOn(warm, { workers: 2 });
    assert.equal(first.warm_workers, 0, 'the first run starts its workers');
    assert.equal(first.error, null);
    await warm.settle();
    assert.equal(warm.kept, 2);
    const second = await runOn(warm, { workers: 2 });
    assert.equal(second.warm_workers, 2, 'both reused');
    assert.deepEqual(valuesOf(second), valuesOf(first));
    assert.equal(fake.started(), 2, 'no worker started for the second run');
    assert.equal(fake.live(), 2);
    assert.equal(kept.at(-1), 2, 'the page hears how many are kept');
  });

  test('more workers start only the missing ones; fewer use a subset and keep the rest', async () => {
    const fake = fakeWorkers();
    const warm = new WarmPool({ spawn: fake.spawn });
    await runOn(warm, { workers: 2 });
    const more = await runOn(warm, { workers: 3 });
    assert.equal(more.warm_workers, 2);
    assert.equal(fake.started(), 3);
    const fewer = await runOn(warm, { workers: 1 });
    assert.equal(fewer.warm_workers, 1);
    await warm.settle();
    assert.equal(warm.kept, 3, 'the third waits idle for a larger run');
    assert.equal(fake.started(), 3);
  });

  test('cold: every worker starts afresh and none is kept after the run', async () => {
    const fake = fakeWorkers();
    const warm = new WarmPool({ spawn: fake.spawn });
    await runOn(warm, { workers: 2 });
    const cold = await runOn(warm, { workers: 2, cold: true });
    assert.equal(cold.warm_workers, 0);
    assert.equal(fake.started(), 4);
    await warm.settle();
    assert.equal(warm.kept, 0);
    assert.equal(fake.live(), 0, 'the kept ones and the cold run\'s own are ended');
  });

  test('a crashed run ends all its workers; the next run starts fresh ones and gets every task right', async () => {
    const fake = fakeWorkers({ crashOn: 3 });
    const warm = new WarmPool({ spawn: fake.spawn });
    await runOn(warm, { workers: 2, taskCount: 2 }); // kept: 2
    const crashed = await runOn(warm, { workers: 2 });
    assert.match(crashed.error, /process worker \d: crashed on purpose/);
    assert.equal(crashed.warm_workers, 2);
    await warm.settle();
    assert.equal(warm.kept, 0);
    assert.equal(fake.live(), 0);
    const next = await runOn(warm, { workers: 2, taskCount: 3 });
    assert.equal(next.error, null);
    assert.equal(next.warm_workers, 0, 'fresh workers');
    assert.deepEqual(valuesOf(next), [1, 2, 3]);
  });

  test('a stopped run ends all its workers; the next run starts fresh ones', async () => {
    const fake = fakeWorkers();
    const warm = new WarmPool({ spawn: fake.spawn });
    await runOn(warm, { workers: 2 });
    const stopped = await runOn(warm, { workers: 2, taskCount: 50, stopAfter: 3 });
    assert.ok(stopped.tasks.id.length < 50, 'stopped before the end');
    await warm.settle();
    assert.equal(warm.kept, 0);
    assert.equal(fake.live(), 0);
    const next = await runOn(warm, { workers: 2 });
    assert.equal(next.warm_workers, 0);
    assert.deepEqual(valuesOf(next), [1, 2, 3, 4, 5, 6]);
  });

  test('a worker that does not answer release is ended, not kept', async () => {
    const fake = fakeWorkers({ silentRelease: true });
    const warm = new WarmPool({ spawn: fake.spawn, releaseTimeoutMs: 20 });
    await runOn(warm, { workers: 2 });
    await warm.settle();
    assert.equal(warm.kept, 0);
    assert.equal(fake.live(), 0);
  });

  test('a message from an idle kept worker makes it unfit: it is ended', async () => {
    let late = null;
    const spawnLate = (k, handlers) => {
      const fake = fakeWorkers().spawn(k, handlers);
      if (k === 1) late = handlers;
      return fake;
    };
    const warm = new WarmPool({ spawn: spawnLate });
    await runOn(warm, { workers: 2 });
    await warm.settle();
    assert.equal(warm.kept, 2);
    late.message({ type: 'done', index: 0, value: '1', start: 0, end: 1, wait: 0 }); // out of turn
    assert.equal(warm.kept, 1);
    const next = await runOn(warm, { workers: 2 });
    assert.equal(next.warm_workers, 1, 'worker 1 was replaced');
  });
});

describe('warm process workers over parlab_st (worker_threads)', () => {
  let staged;
  let st;
  const live = new Set();

  before(async () => {
    staged = stageWasm();
    st = await loadSingleThreaded(staged.dir);
  });

  after(() => {
    for (const w of live) w.terminate();
    if (staged) staged.remove();
  });

  const spawn = (() => {
    const make = () => nodeProcessWorkerFactory(staged.dir);
    return (k, handlers) => {
      const handle = make()(k, handlers);
      live.add(handle);
      return { post: handle.post, terminate: () => { live.delete(handle); return handle.terminate(); } };
    };
  })();

  async function run(warm, params, workers, { cold = false } = {}) {
    const workload = new st.Workload(JSON.stringify(params));
    const taskCount = Number(workload.task_count());
    workload.delete();
    await warm.settle();
    const lease = warm.lease({ workers, build: 'parlab_st', cold });
    return pool.startProcessRun({
      createWorker: lease.createWorker, params, workers, taskCount,
      buildRun: (timings) => JSON.parse(st.build_run_json(JSON.stringify(params), 'processes', workers, timings)),
    }).result;
  }

  test('two runs in a row: the second reuses both workers, same checksum; the counter starts afresh', async () => {
    const warm = new WarmPool({ spawn });
    try {
      const primes = { workload: 'primes', shape: 'chunked', n: 200000, chunks: 8 };
      const first = await run(warm, primes, 2);
      const second = await run(warm, primes, 2);
      assert.equal(first.ok, true, first.error ?? '');
      assert.equal(first.warm_workers, 0);
      assert.equal(second.warm_workers, 2);
      assert.equal(second.checksum, first.checksum);
      assert.equal(second.checksum, '1709600813');
      assert.equal(second.checksum, sumOfValues(second));
      // The results file says how the workers started; the schema allows warm_workers on processes runs only.
      const Ajv = createRequire(import.meta.url)('ajv').default;
      const validate = new Ajv({ strict: false, validateFormats: false }).compile(JSON.parse(readFileSync(join(repoRoot, 'docs', 'results.schema.json'), 'utf8')));
      const file = (runs) => ({
        schema_version: 1, generator: 'parlab test', created: '2026-12-03T00:00:00Z', runs,
        environment: { target: 'wasm', os: 'Node.js', cpu_model: null, logical_cpus: 2, compiler: 'Emscripten', user_agent: null, cross_origin_isolated: null },
      });
      assert.ok(validate(file([first, second])), JSON.stringify(validate.errors));
      assert.equal(validate(file([{ ...second, mode: 'threads' }])), false, 'warm_workers on a threads run is refused');
      // Another workload on the same warm instances: each task counts from zero, nothing of the last run is held.
      const counter = { workload: 'counter', count: 4, increments: 1000, sync: 'none' };
      const a = await run(warm, counter, 2);
      const b = await run(warm, counter, 2);
      assert.equal(b.warm_workers, 2);
      assert.equal(a.checksum, '4000');
      assert.equal(b.checksum, '4000');
      const cold = await run(warm, primes, 2, { cold: true });
      assert.equal(cold.warm_workers, 0);
      assert.equal(cold.checksum, '1709600813');
      assert.throws(() => st.build_run_json(JSON.stringify(primes), 'threads', 2, { tasks: { id: [], worker: [], pid: [], thread: [], start_s: [], end_s: [], wait_s: [], rss_kib: [], value: '' }, wall_s: 0, startup_s: 0, warm_workers: 1 }),
        /warm_workers belongs to a mode with separate memory/);
    } finally {
      warm.clear();
    }
  });
});
