// The card pictures (web/site/card-picture.js) in Node: every card on 1 to 64 CPUs, from modelled runs, gives
// well-formed chart configs and tables, with the prediction and the bound where they apply, and is pure.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { cardPicture, hasPicture, medianEntry } from '../../web/site/card-picture.js';
import { configRows } from '../../web/site/chart-tables.js';
import { CARDS, REPEATS, jobsFor, summarise } from '../../web/site/experiments.js';
import { loadPageLabInfo } from './lab-info.mjs';

await loadPageLabInfo(); // modes.js: the modes' facts and order (colours), as the page has them

const CPU_COUNTS = [1, 2, 4, 8, 16, 64];
const SHARES = [0.115, 0.315, 0.57]; // the primes 1, 2, 3 M tasks' shares of the work

/// A finished run of a job on `cpus`: tasks spread over the workers, the wall a simple model of the mode.
function modelRun(j, cpus, repeat) {
  const workers = j.workers;
  const io = j.params.workload === 'download';
  const gain = j.mode === 'threads-gil' && !io ? 1 : Math.min(workers, io ? workers : cpus);
  const wall = (1 / gain) * [1, 1.03, 0.98][repeat % 3];
  const startup = j.mode === 'processes' ? 0.05 : 0.0003;
  const count = j.params.inputs?.length ?? Math.min(j.params.chunks ?? j.params.count ?? 12, 24);
  const sizes = j.params.inputs ? SHARES : Array(count).fill(1 / count);
  let at = startup;
  const tasks = sizes.map((share, id) => {
    const start = at;
    at += share * (wall - startup);
    return { id, worker: id % workers, phase: io ? 'wait' : 'compute', start_s: start, end_s: at, wait_s: io ? share * wall * 0.9 : 0 };
  });
  const run = { ok: true, complete: true, error: null, mode: j.mode, workers, wall_s: wall, startup_s: startup, task_count: count, tasks_done: count, tasks };
  if (j.params.workload === 'counter') {
    // The counter's figures as the core computes them: the plain threaded runs lose a share, a process pool's parent sees none.
    const made = j.params.count * j.params.increments;
    const lost = j.mode === 'processes' ? made : j.params.sync === 'none' && j.mode !== 'sequential' ? Math.round(made * 0.3) : 0;
    Object.assign(run, { checksum: String(made), counter_value: made - lost, lost_updates: lost, ns_per_increment: (wall - startup) * 1e9 / made });
  }
  return run;
}

/// What lessons.js hands a card's summary and picture, modelled for `cpus`.
function modelResults(card, env) {
  const cpus = env.cores;
  if (card.runner === 'ipc') {
    return [{ size: 64, count: 5000, hello: 'hello', transports: [
      { id: 'postmessage-clone', label: 'postMessage (copy)', available: true, seconds: 0.05, mbPerS: 6 },
      { id: 'sab-ring', label: 'ring', available: false, reason: 'not isolated' },
    ] }];
  }
  if (card.runner === 'responsiveness') {
    // 60 Hz; a 600 ms job freezes the frames on the page's thread, not in the worker.
    const side = (frozen) => ({ jobMs: 600, gaps: frozen ? [16.7, 16.7, 617, 16.7] : [16.7, 25, 16.7, 16.7], clickDelayMs: frozen ? 600 : 0.3, timeoutDelayMs: frozen ? 600 : 1 });
    return [{ kind: 'responsiveness', frameMs: 16.7, baselineFrames: 30, main: side(true), worker: side(false),
      timers: { everyMs: 20, dueMs: [20, 40, 60], quietLateMs: [1, 0, 2], busyLateMs: [580, 560, 540], jobMs: 600 } }];
  }
  if (card.runner === 'uploads') {
    // Uploaded MPI runs on 1, 2 and 4 worker ranks over 2 hosts, modelled as the process pool (min(ranks, CPUs × hosts)).
    const results = [];
    for (const [r, workers] of [1, 2, 4].entries()) {
      const job = { key: `r${workers}`, mode: 'mpi', workers, params: { workload: 'primes', shape: 'chunked', n: 2000000, chunks: 16 } };
      const run = { ...modelRun(job, 2 * cpus, r), mode: 'mpi' };
      run.tasks = run.tasks.map((t) => ({ ...t, rank: t.worker + 1, host: t.worker % 2 ? 'node-b' : 'node-a' }));
      results.push({ job, run, source: 'mpi, 2 hosts (uploaded: m.json)' });
    }
    return results;
  }
  const { runnable } = jobsFor(card, env);
  const results = [];
  for (let r = 0; r < (card.repeats ?? REPEATS); r++) {
    for (const j of runnable) {
      if (card.runner === 'two-phase') {
        const gather = modelRun({ mode: j.gather.mode, workers: j.gather.workers, params: { workload: 'download', count: j.count } }, cpus, r);
        const render = modelRun({ mode: j.render.mode, workers: j.render.workers, params: { workload: 'cv', chunks: j.count } }, cpus, r);
        results.push({ job: j, gather_s: gather.wall_s, render_s: render.wall_s, total_s: gather.wall_s + render.wall_s, render_startup_s: render.startup_s, timeline: { ...gather, wall_s: gather.wall_s + render.wall_s } });
      } else if (card.id === 'isolation' && j.mode === 'threads') {
        results.push({ job: j, run: { ok: false, complete: false, error: 'the lab worker died', mode: 'threads', workers: 2, wall_s: 0.1, tasks: [] } });
      } else {
        results.push({ job: j, run: modelRun(j, cpus, r) });
      }
    }
  }
  return results;
}

function deepFreeze(x) {
  if (x && typeof x === 'object' && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x)) deepFreeze(v);
  }
  return x;
}

const pointsOf = (d) => d.data.filter((p) => p !== null && p !== undefined);
const yOf = (p) => (Array.isArray(p) ? p : typeof p === 'object' ? p.y : p);

describe('every card × CPUs: a well-formed picture', () => {
  for (const card of CARDS) {
    test(`${card.id}`, () => {
      if (!hasPicture(card)) {
        assert.ok(card.textOnly, 'only a text-only card has no picture');
        assert.equal(cardPicture(card, [], summarise(card, [], {}), {}, card.predictions[0].id), null);
        return;
      }
      for (const cpus of CPU_COUNTS) {
        const env = { cores: cpus, isolated: true, maxWorkers: 64, maxAsync: 256, workloads: ['primes', 'download', 'factorials', 'overhead', 'cv'], options: {} };
        const results = deepFreeze(modelResults(card, env));
        const summary = deepFreeze(summarise(card, results, env));
        for (const prediction of card.predictions) {
          const where = `${card.id}, ${cpus} CPUs, prediction ${prediction.id}`;
          const picture = cardPicture(card, results, summary, env, prediction.id);
          assert.deepEqual(JSON.stringify(cardPicture(card, results, summary, env, prediction.id)), JSON.stringify(picture), `${where}: the same again (pure)`);
          const { chart, timelines } = picture;
          assert.ok(chart, `${where}: a chart`);
          const datasets = chart.config.data.datasets;
          assert.ok(datasets.length >= 2, `${where}: measured and references`);
          for (const d of datasets) {
            assert.ok(typeof d.label === 'string' && d.label.length > 3, `${where}: a label`);
            assert.ok(pointsOf(d).length > 0, `${where}: ${d.label} has points`);
            for (const p of pointsOf(d)) for (const y of [yOf(p)].flat()) assert.ok(Number.isFinite(y) && y >= 0, `${where}: ${d.label}: ${JSON.stringify(p)}`);
          }
          assert.equal(datasets.filter((d) => d.reference === 'prediction').length >= 1, true, `${where}: the prediction is drawn`);
          if (card.runner !== 'ipc') assert.ok(datasets.some((d) => d.reference === 'bound'), `${where}: a bound`);
          assert.deepEqual(chart.rows.map((r) => r.slice(0, 2)), configRows(chart.config).map((r) => r.slice(0, 2)), `${where}: the rows name what is drawn`);
          assert.equal(chart.rows.length, datasets.reduce((n, d) => n + pointsOf(d).length, 0), `${where}: a table row per point drawn`);
          if (!['ipc', 'responsiveness'].includes(card.runner)) assert.ok(timelines.length >= 1, `${where}: timelines`);
          for (const c of picture.charts) {
            assert.deepEqual(c.rows.map((r) => r.slice(0, 2)), configRows(c.config).map((r) => r.slice(0, 2)), `${where}: ${c.key}'s rows name what is drawn`);
            assert.equal(c.rows.length, c.config.data.datasets.reduce((n, d) => n + pointsOf(d).length, 0), `${where}: ${c.key}: a table row per point`);
            for (const d of c.config.data.datasets) for (const p of pointsOf(d)) assert.ok(Number.isFinite(yOf(p)) && yOf(p) >= 0, `${where}: ${c.key}: ${d.label}`);
          }
          if (card.runner === 'responsiveness') assert.deepEqual(picture.charts.map((c) => c.key), ['frames', 'timers'], `${where}: every frame gap and the timers' lateness are drawn`);
          for (const t of timelines) {
            assert.equal(t.config.options.scales.x.max, picture.xMax, `${where}: ${t.key} on the shared time axis`);
            assert.ok(t.run.wall_s <= picture.xMax + 1e-12, `${where}: ${t.key} fits the axis`);
            assert.ok(t.config.data.datasets.length >= 1 && t.rows.length === t.run.tasks.length, `${where}: ${t.key} bars and rows`);
          }
        }
      }
    });
  }
});

test('the timeline of a job is its median repeat, and a process run draws its start-up', () => {
  const job = { key: 'p', mode: 'processes', workers: 2, params: { workload: 'primes', inputs: [1, 2, 3] } };
  const results = [3, 1, 2].map((w) => ({ job, run: { ...modelRun(job, 2, 0), wall_s: w } }));
  assert.equal(medianEntry(results, 'p').run.wall_s, 2);
  assert.equal(medianEntry(results, 'q'), null);
  const card = CARDS.find((c) => c.id === 'cpu-gil');
  const env = { cores: 2, isolated: true, options: {} };
  const all = modelResults(card, env);
  const picture = cardPicture(card, all, summarise(card, all, env), env, 'not-gil');
  const processes = picture.timelines.find((t) => t.key === 'p3');
  assert.ok(processes.config.data.datasets.some((d) => /process start-up/.test(d.label)), 'start-up drawn as such');
  assert.ok(picture.timelines.find((t) => t.key === 'g3'), 'the interpreter-lock run is one of them');
});

test('the deadlock card draws the deadlocked run from its locks: each worker held one and waited for the other', () => {
  const card = CARDS.find((c) => c.id === 'deadlock');
  const env = { cores: 2, isolated: true, options: {} };
  if (card.runner === 'uploads') {
    // Uploaded MPI runs on 1, 2 and 4 worker ranks over 2 hosts, modelled as the process pool (min(ranks, CPUs × hosts)).
    const results = [];
    for (const [r, workers] of [1, 2, 4].entries()) {
      const job = { key: `r${workers}`, mode: 'mpi', workers, params: { workload: 'primes', shape: 'chunked', n: 2000000, chunks: 16 } };
      const run = { ...modelRun(job, 2 * cpus, r), mode: 'mpi' };
      run.tasks = run.tasks.map((t) => ({ ...t, rank: t.worker + 1, host: t.worker % 2 ? 'node-b' : 'node-a' }));
      results.push({ job, run, source: 'mpi, 2 hosts (uploaded: m.json)' });
    }
    return results;
  }
  const { runnable } = jobsFor(card, env);
  const results = runnable.map((job) => {
    const run = { ...modelRun(job, 2, 0), checksum: '4' };
    if (job.key !== 'opposite') return { job, run };
    // The core's deadlocked run: failed, no task, the locks' holds and waits until the deadlock was named.
    return { job, run: { ...run, ok: false, complete: false, error: 'deadlock: worker 0 holds A, waits for B; worker 1 holds B, waits for A', tasks: [], tasks_done: 0, wall_s: 1.1, locks: [
      { worker: 0, lock: 'A', state: 'held', from_s: 0, to_s: 1.05 }, { worker: 1, lock: 'B', state: 'held', from_s: 0, to_s: 1.05 },
      { worker: 0, lock: 'B', state: 'waiting', from_s: 0.05, to_s: 1.05 }, { worker: 1, lock: 'A', state: 'waiting', from_s: 0.05, to_s: 1.05 },
    ] } };
  });
  const picture = cardPicture(card, results, summarise(card, results, env), env, 'threads-opposite');
  const opposite = picture.timelines.find((t) => t.key === 'opposite');
  assert.ok(opposite, 'the deadlocked run has a timeline');
  const waits = opposite.config.data.datasets.find((d) => d.label === 'waits for a lock');
  assert.deepEqual(waits.data.map((p) => [p.y, p.lock]), [['worker 0', 'B'], ['worker 1', 'A']]);
  assert.equal(opposite.rows.filter((r) => r[2] === 'waiting for it').length, 2, 'the table lists both waits');
  assert.ok(picture.xMax >= 1.1);
});
