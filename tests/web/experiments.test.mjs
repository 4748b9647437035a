// The experiment cards (web/site/experiments.js) and the lesson converter (web/lessons-build.mjs), in Node:
// every card is complete and its jobs are valid; the summaries read synthetic runs as they should.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import {
  CARDS, INCONCLUSIVE, PAGE_LIMITS, amdahlPlan, processStartsText, copyPlan, criticalPathBound, frameFigures, ioPlan, jobsFor, judgeResponsiveness, makespan,
  nativeCommand, oversubscriptionPlan, responsivenessFigures, speedup, summarise, verdictLine,
} from '../../web/site/experiments.js';
import { CARD_IDS, CPUS, cardVerdictCases } from '../fixtures/card-verdicts.mjs';
import { buildLessons, markdownToHtml } from '../../web/lessons-build.mjs';
import { getModeNames } from '../../web/site/modes.js';
import { parseResultsText } from '../../web/site/results.js';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { loadPageLabInfo } from './lab-info.mjs';

await loadPageLabInfo(); // modes.js: the modes (which need the pthread build), as the lab worker's ready message gives them

const root = fileURLToPath(new URL('../../', import.meta.url));
const WORKLOADS = ['primes', 'download', 'factorials', 'overhead', 'cv', 'counter', 'deadlock', 'copy'];
const ENVS = [
  { isolated: true, cores: 2, workloads: ['primes', 'download', 'factorials', 'overhead'] },
  { isolated: false, cores: 8, workloads: ['primes', 'download', 'factorials'] },
];

/// A finished run of `wall_s` seconds, as the page's state holds it.
const run = (wall_s, extra = {}) => ({ ok: true, complete: true, wall_s, task_count: 3, error: null, ...extra });
/// results as lessons.js hands them to summarise: [{job, run}], one per key.
const made = (walls, modeOf = () => 'threads') => Object.entries(walls).map(([key, wall]) => ({ job: { key, mode: modeOf(key) }, run: run(wall) }));
const card = (id) => CARDS.find((c) => c.id === id);

describe('every card', () => {
  test('ids are unique and every lesson of shared/LESSONS.md has a card', () => {
    const ids = CARDS.map((c) => c.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ['io-threads', 'cpu-gil', 'tiny-tasks', 'two-phase', 'pipes-queues', 'oversubscription', 'amdahl', 'async', 'isolation']) {
      assert.ok(ids.includes(id), `card ${id}`);
    }
  });

  for (const c of CARDS) {
    test(`${c.id}: question, predictions, explanation, lesson file, commands`, () => {
      for (const field of ['title', 'covers', 'question']) assert.ok(c[field]?.length > 10, `${field}`);
      for (const fn of ['measured', 'steps']) assert.equal(typeof c[fn], 'function', fn);
      assert.ok(c.predictions.length >= 3, 'at least 3 predictions');
      assert.equal(new Set(c.predictions.map((p) => p.id)).size, c.predictions.length, 'prediction ids unique');
      assert.ok(existsSync(join(root, 'docs', 'lessons', `${c.lesson}.md`)), `docs/lessons/${c.lesson}.md exists`);
      if (!c.textOnly) for (const fn of ['figures', 'judge']) assert.equal(typeof c[fn], 'function', fn);
      if (nativeCommand(c) !== null) assert.equal(nativeCommand(c), `parlab experiment run ${c.id}`);
      if (c.cpython) {
        const script = /reference\/cpython\/[\w.]+\.py/.exec(c.cpython)?.[0];
        assert.ok(script && existsSync(join(root, script)), `${c.cpython} names a script that exists`);
      }
      if (!c.textOnly) assert.ok(c.plan || ['ipc', 'responsiveness', 'uploads'].includes(c.runner), 'a runnable card has a plan (or measures on its own, or reads uploads)');
      if (c.runner === 'uploads') assert.ok(c.commands?.lines?.length >= 1 && c.commands.lines.every((x) => /^mpirun -np \d+ /.test(x)), 'an uploads card names the commands that make its files');
    });

    if (!c.plan || c.runner) continue;
    test(`${c.id}: jobs are valid on isolated and non-isolated pages`, () => {
      for (const env of ENVS) {
        const { runnable, skipped } = jobsFor(c, env);
        assert.ok(runnable.length >= 1 && runnable.length + skipped.length >= 2, `${runnable.length} jobs run on ${JSON.stringify(env)}`);
        for (const j of [...runnable, ...skipped.map((s) => s.job)]) {
          assert.ok(getModeNames().includes(j.mode), `mode ${j.mode}`);
          const most = j.mode === 'async' ? PAGE_LIMITS.maxAsync : PAGE_LIMITS.maxWorkers;
          assert.ok(Number.isInteger(j.workers) && j.workers >= 1 && j.workers <= most, `${j.mode} workers ${j.workers}`);
          if (j.mode === 'sequential') assert.equal(j.workers, 1);
          assert.ok(WORKLOADS.includes(j.params.workload), `workload ${j.params.workload}`);
          assert.equal(typeof j.key, 'string');
        }
        if (!env.isolated) for (const j of runnable) assert.ok(!['threads', 'threads-gil'].includes(j.mode), 'no threads without isolation');
        const keys = [...runnable, ...skipped.map((s) => s.job)].map((j) => j.key);
        assert.equal(new Set(keys).size, keys.length, 'job keys unique');
      }
    });
  }

  test('a summary never throws on no runs, failed runs or runs stopped early', () => {
    for (const c of CARDS) {
      for (const results of [[], [{ job: { key: 'seq', mode: 'sequential' }, run: { ok: false, complete: false, error: 'x' } }]]) {
        const s = summarise(c, results, ENVS[0]);
        assert.equal(typeof s.measured, 'string', c.id);
        if (!c.textOnly) assert.equal(s.verdict, null, `${c.id}: no verdict without runs`);
      }
    }
  });
});

describe('verdicts are pure functions of the figures and the CPUs (modelled results, 1 to 64 CPUs)', () => {
  const cases = cardVerdictCases();

  test('tests/fixtures/card-verdicts.json (read by the C++ verdicts test) is this table', () => {
    const committed = JSON.parse(readFileSync(join(root, 'tests', 'fixtures', 'card-verdicts.json'), 'utf8'));
    assert.deepEqual(committed, JSON.parse(JSON.stringify(cases)), 'run: node tests/fixtures/card-verdicts.mjs > tests/fixtures/card-verdicts.json');
  });

  for (const id of CARD_IDS) {
    test(`${id}: the lesson's claim from modelled results, "inconclusive" (never another claim) when off by 20% or between claims`, () => {
      const mine = cases.filter((c) => c.card === id);
      assert.ok(mine.length >= CPUS.length * 5, `${mine.length} cases`);
      for (const c of mine) {
        const judged = card(id).judge(c.figures, c.cpus);
        const verdict = judged?.verdict ?? judged;
        assert.ok(c.expect.includes(verdict), `${id}, ${c.name}: got ${verdict}, expected ${c.expect.join(' or ')}\n${JSON.stringify(c.figures)}`);
      }
      // Each card reaches its claim from the model at 2, 16 and 64 CPUs (where the page can go past the cores).
      const claims = mine.filter((c) => c.name.startsWith('model,') && c.expect[0] !== INCONCLUSIVE && c.cpus >= 2);
      assert.ok(claims.some((c) => c.cpus === 2) && claims.some((c) => c.cpus === 16) && claims.some((c) => c.cpus === 64), 'claims at 2, 16 and 64 CPUs');
    });
  }
});

describe('plans come from the CPU count', () => {
  const big = { maxWorkers: 256, maxAsync: 256 };
  for (const cpus of CPUS) {
    test(`${cpus} CPUs: past the cores where the pool allows, enough tasks for the workers, seconds not minutes`, () => {
      const io = ioPlan(cpus, big);
      assert.ok(Math.max(...io.threads, io.async) >= 2 * cpus || io.async === io.count, `I/O goes well past ${cpus}: ${io.threads}, async ${io.async}`);
      assert.ok(io.count >= Math.max(...io.threads, io.async), 'as many downloads as the most workers');
      assert.ok(io.count * io.latency <= 5200, `sequential downloads take ${io.count * io.latency} ms`);
      assert.ok(io.latency >= 20, 'each wait outlasts starting the threads');
      const over = oversubscriptionPlan(cpus, big);
      assert.deepEqual(over.workers.filter((w) => w <= cpus).at(-1), cpus, 'a run at exactly the CPUs');
      assert.ok(over.workers.some((w) => w >= 2 * cpus), 'a run at twice the CPUs or more');
      assert.ok(over.chunks >= Math.max(...over.workers), 'at least as many equal tasks as workers');
      assert.ok(over.ioCount * over.ioLatency <= 5200, 'sequential downloads take seconds');
      assert.ok(over.ioCount >= Math.max(...over.workers), 'a download for each of the most workers');
      const page = oversubscriptionPlan(cpus, PAGE_LIMITS);
      assert.ok(page.workers.every((w) => w <= PAGE_LIMITS.maxWorkers), 'never more than the page runs');
      const amdahl = amdahlPlan(cpus, big);
      assert.ok(amdahl.chunks >= Math.max(...amdahl.workers), 'Amdahl: at least as many equal chunks as workers');
      assert.ok(amdahl.workers.includes(1) && amdahl.workers.includes(Math.max(1, cpus)), 'Amdahl: 1 worker and the CPUs');
    });
  }
});

describe('the copy card (processes ×1 against ×W, any CPUs)', () => {
  /// Three repeats of each job: {one: [busy s...], many: [...]} as runs with 50 ms of start-up and the same checksum.
  const copyRuns = (times, extra = {}) => Object.entries(times).flatMap(([key, list]) => list.map((busy) => ({
    job: { key, mode: 'processes' }, run: run(busy + 0.05, { startup_s: 0.05, checksum: '123', ...extra }),
  })));

  test('the plan: 2 to 4 process workers from the CPUs (never past the page\'s pool), a file for each, the core\'s bounds', () => {
    for (const cpus of CPUS) {
      const p = copyPlan(cpus, PAGE_LIMITS);
      assert.equal(p.workers, Math.min(4, Math.max(2, cpus)), `${cpus} CPUs`);
      assert.ok(p.files >= p.workers && p.files * p.fileMib <= 4096, 'a file per worker, within files x file_mib <= 4096');
      const jobs = card('copy').plan({ cores: cpus });
      assert.deepEqual(jobs.map((j) => [j.key, j.mode, j.workers]), [['one', 'processes', 1], ['many', 'processes', p.workers]]);
    }
    assert.equal(copyPlan(64, { maxWorkers: 3, maxAsync: 8 }).workers, 3, 'a smaller pool caps it');
  });

  test('each claim from modelled times at every CPU count; ±20% gives the claim or "inconclusive", never another', () => {
    for (const cpus of CPUS) {
      const env = { cores: cpus, isolated: true };
      const w = copyPlan(cpus).workers;
      const models = { faster: 0.4 / w, same: 0.4, slower: 0.8 };
      for (const [claim, many] of Object.entries(models)) {
        const s = summarise(card('copy'), copyRuns({ one: [0.4, 0.4, 0.4], many: [many, many, many] }), env);
        assert.equal(s.verdict, claim, `${cpus} CPUs, ${claim}: ${s.reason}`);
        for (const off of [0.8, 1.2]) {
          const noisy = summarise(card('copy'), copyRuns({ one: [0.4, 0.4, 0.4], many: [many * off, many, many] }), env);
          assert.ok([claim, INCONCLUSIVE].includes(noisy.verdict), `${cpus} CPUs, ${claim} ×${off}: ${noisy.verdict}`);
        }
      }
    }
  });

  test('overlapping spreads, a failed or refused run, or checksums that differ give "inconclusive" with the reason', () => {
    const env = { cores: 4, isolated: true };
    const overlap = summarise(card('copy'), copyRuns({ one: [0.2, 0.4, 0.6], many: [0.1, 0.15, 0.5] }), env);
    assert.equal(overlap.verdict, INCONCLUSIVE);
    const refusal = 'workload copy cannot run here: this browser has no synchronous access handles for the Origin Private File System (FileSystemFileHandle.createSyncAccessHandle is missing)';
    const refused = summarise(card('copy'), [{ job: { key: 'one', mode: 'processes' }, run: null, error: refusal }, ...copyRuns({ many: [0.1, 0.1, 0.1] })], env);
    assert.equal(refused.verdict, INCONCLUSIVE);
    assert.match(refused.reason, /a run failed: .*createSyncAccessHandle is missing/);
    assert.match(refused.measured, /A run failed/);
    const failed = copyRuns({ one: [0.4], many: [0.1] });
    failed[1].run = { ...failed[1].run, ok: false, error: 'process worker 2: cannot read parlab-copy-x/file-1: NotFoundError' };
    assert.match(summarise(card('copy'), failed, env).reason, /NotFoundError/);
    const mixed = [...copyRuns({ one: [0.4, 0.4, 0.4] }), ...copyRuns({ many: [0.1, 0.1, 0.1] }, { checksum: '456' })];
    assert.match(summarise(card('copy'), mixed, env).reason, /checksums differ/);
    assert.equal(summarise(card('copy'), [], env).verdict, null);
  });

  test('the text names what the browser measures and the figures', () => {
    const s = summarise(card('copy'), copyRuns({ one: [0.4, 0.41, 0.39], many: [0.2, 0.21, 0.19] }), { cores: 2 });
    assert.equal(s.verdict, 'faster');
    assert.match(s.measured, /4 files of 16 MiB: 1 process worker 400 ms \(390 ms to 410 ms\), 2 process workers 200 ms/);
    assert.ok(s.steps.some((t) => /Origin Private File System/.test(t) && /Web Worker/.test(t)));
  });
});

describe('summaries of runs', () => {
  /// Repeated runs of each job: {key: [wall, wall, wall]}.
  const repeated = (walls) => Object.entries(walls).flatMap(([key, list]) => list.map((wall) => ({ job: { key, mode: 'threads', workers: 2 }, run: run(wall) })));

  test('medians are judged; a spread that could change the verdict makes it "inconclusive: busy"', () => {
    const env = { cores: 2, isolated: true };
    const quiet = summarise(card('async'), repeated({ 'io-seq': [1.8, 1.81, 1.79], 'io-async': [0.16, 0.161, 0.159], 'cpu-seq': [0.45, 0.46, 0.45], 'cpu-async': [0.46, 0.45, 0.46] }), env);
    assert.equal(quiet.verdict, 'io-only');
    assert.ok(quiet.spread < 0.05);
    assert.match(quiet.measured, /async with 12 in flight 160 ms \(11×\)/);
    const busy = summarise(card('async'), repeated({ 'io-seq': [1.8, 1.8, 1.8], 'io-async': [0.16, 0.16, 0.16], 'cpu-seq': [0.45, 0.7, 0.45], 'cpu-async': [0.46, 0.45, 0.9] }), env);
    assert.equal(busy.verdict, INCONCLUSIVE);
    assert.match(busy.reason, /machine was busy: the 3 repeats differ by up to \d+%/);
    assert.match(verdictLine(card('async'), 'io-only', busy), /Inconclusive: the machine was busy/);
  });

  test('io-threads at 16 CPUs: 12 threads giving 11× is not "stops at the cores"', () => {
    const env = { cores: 16, isolated: true };
    const p = ioPlan(16, PAGE_LIMITS);
    const walls = { seq: [2.4, 2.4, 2.4] };
    for (const w of p.threads) walls[`t${w}`] = Array(3).fill(2.4 / Math.min(w, p.count));
    walls[`g${p.gil}`] = Array(3).fill(2.4 / p.gil);
    walls[`a${p.async}`] = Array(3).fill(2.4 / p.async);
    const s = summarise(card('io-threads'), repeated(walls), env);
    assert.equal(s.verdict, 'more');
    assert.match(s.steps[0], /reports 16 logical CPUs; the best run with more workers than that was 64× faster/);
  });

  test('cpu-gil: the critical-path bound from the sequential run\'s tasks', () => {
    const tasks = [0.05, 0.14, 0.25].map((d, id) => ({ id, start_s: 0, end_s: d }));
    const b = criticalPathBound([{ run: { ok: true, complete: true, tasks } }]);
    assert.ok(b.ok);
    assert.ok(Math.abs(b.limit - 0.44 / 0.25) < 1e-9, `limit ${b.limit}`);
    assert.ok(Math.abs(b.inOrder[2] - 0.44 / 0.30) < 1e-9, `in order ×2 ${b.inOrder[2]}`);
    assert.ok(Math.abs(b.largestFirst[2] - 0.44 / 0.25) < 1e-9, `largest first ×2 ${b.largestFirst[2]}`);
    assert.equal(makespan([1, 1, 1, 1], 2), 2);
    assert.equal(criticalPathBound([]).ok, false);
  });

  test('pipes-queues: microseconds per message support "cheap, but far from free"', () => {
    const results = [{
      size: 64, count: 5000, hello: 'hello from ipc-hello-worker',
      transports: [
        { id: 'postmessage-clone', label: 'postMessage (clone)', available: true, seconds: 0.05, mbPerS: 6.4 },
        { id: 'sab-ring', label: 'ring', available: false, reason: 'needs a cross-origin isolated page' },
      ],
    }];
    const s = summarise(card('pipes-queues'), results, { cores: 2 });
    assert.equal(s.verdict, 'micro');
    assert.match(s.measured, /postMessage \(clone\): 10\.00 µs per message/);
    assert.match(s.measured, /ring: not available/);
    assert.match(s.measured, /hello from ipc-hello-worker/);
  });

  test('isolation: the lab worker dying only with threads supports "threads lose everything"; no threads, no verdict about them', () => {
    const results = [
      { job: { key: 'threads', mode: 'threads' }, run: { ok: false, complete: false, error: 'the lab worker failed: Aborted' } },
      { job: { key: 'processes', mode: 'processes' }, run: { ok: false, complete: false, error: 'process worker 1: Aborted' } },
    ];
    const s = summarise(card('isolation'), results, { cores: 2 });
    assert.equal(s.verdict, 'threads-lost');
    assert.match(s.measured, /process worker 1: Aborted/);
    const open = summarise(card('isolation'), results.slice(1), { cores: 2 });
    assert.equal(open.verdict, INCONCLUSIVE);
    assert.match(open.reason, /threads need a cross-origin isolated page/);
  });

  test('deadlock: structural verdicts from which runs reported a deadlock; the reported line is shown', () => {
    const line = 'deadlock: worker 0 holds A, waits for B; worker 1 holds B, waits for A';
    const finished = (starts = [0, 0.001]) => ({ ok: true, complete: true, error: null, wall_s: 0.2, tasks: starts.map((start_s, id) => ({ id, start_s })) });
    const deadlocked = { ok: false, complete: true, error: `task 2 (task 2: B then A) failed: ${line}`, wall_s: 1.2, tasks: [] };
    const results = (opposite, consistent, processes) => [
      { job: { key: 'opposite', mode: 'threads' }, run: opposite },
      { job: { key: 'consistent', mode: 'threads' }, run: consistent },
      { job: { key: 'processes', mode: 'processes' }, run: processes },
    ];
    const verdict = (r) => summarise(card('deadlock'), r, { cores: 2 }).verdict;
    const lesson = summarise(card('deadlock'), results(deadlocked, finished(), finished()), { cores: 2 });
    assert.equal(lesson.verdict, 'threads-opposite');
    assert.ok(lesson.measured.includes(line), lesson.measured);
    assert.equal(verdict(results(finished(), finished(), finished())), 'none');
    assert.equal(verdict(results(deadlocked, deadlocked, finished())), 'threads-both');
    assert.equal(verdict(results(deadlocked, finished(), deadlocked)), 'all');
    // The opposite run finished only because its second thread started after the first had both locks: no claim.
    const late = summarise(card('deadlock'), results(finished([0, 0.3]), finished(), finished()), { cores: 2 });
    assert.equal(late.verdict, INCONCLUSIVE);
    assert.match(late.reason, /started 300 ms after the first/);
    // A run that failed for another reason supports nothing; without threads only the processes run is made.
    assert.equal(verdict(results({ ...deadlocked, error: 'the lab worker failed' }, finished(), finished())), null);
    const open = summarise(card('deadlock'), results(deadlocked, finished(), finished()).slice(2), { cores: 2 });
    assert.equal(open.verdict, INCONCLUSIVE);
    assert.match(open.reason, /threads need a cross-origin isolated page/);
  });

  test('races: a loss in any repeat proves the race; no loss proves nothing; the processes run reads the parent\'s counter', () => {
    const c = card('races');
    const env = { cores: 4, isolated: true };
    const jobs = jobsFor(c, env).runnable;
    assert.deepEqual(jobs.map((j) => j.key), ['seq', 'none', 'atomic', 'mutex', 'local', 'gil', 'proc']);
    assert.ok(jobs.every((j) => j.params.workload === 'counter' && j.params.count === 4 && (j.mode === 'sequential' ? j.workers === 1 : j.workers === 4)));
    assert.deepEqual(jobsFor(c, { cores: 64, isolated: true }).runnable.map((j) => j.workers), [1, 4, 4, 4, 4, 4, 4], 'at most 4 workers');
    assert.deepEqual(jobsFor(c, { cores: 1, isolated: true }).runnable.map((j) => j.workers), [1, 2, 2, 2, 2, 2, 2], 'a race needs two');
    const made = 4 * 2000000;
    const overlapping = [{ id: 0, start_s: 0, end_s: 1 }, { id: 1, start_s: 0.1, end_s: 1 }];
    const apart = [{ id: 0, start_s: 0, end_s: 0.5 }, { id: 1, start_s: 0.5, end_s: 1 }];
    const results = (lostOf, tasks = overlapping) => jobs.flatMap((j) => [0, 1, 2].map((r) => ({
      job: j, run: { ok: true, complete: true, wall_s: 1, startup_s: 0, checksum: String(made), lost_updates: lostOf(j.key, r), ns_per_increment: 5, tasks },
    })));
    const plain = (key, r) => (key === 'proc' ? made : key === 'none' && r === 2 ? 1234 : 0);
    const s = summarise(c, results(plain), env);
    assert.equal(s.verdict, 'plain-loses', 'one repeat with a loss is enough');
    assert.match(s.measured, /threads, plain: 0 of 8,000,000 updates lost \(0\.0%\), 5\.00 ns per increment/, 'the median is shown');
    assert.match(s.measured, /processes .*: 8,000,000 of 8,000,000 updates lost \(100\.0%\)/);
    assert.ok(s.steps.some((x) => /share no memory/.test(x)));
    assert.equal(summarise(c, results((key) => (key === 'mutex' ? 1 : plain(key, 2))), env).verdict, 'all-lose');
    const none = summarise(c, results((key) => (key === 'proc' ? made : 0)), env);
    assert.equal(none.verdict, INCONCLUSIVE);
    assert.match(none.reason, /ran at the same time, yet no update was lost/);
    assert.match(summarise(c, results((key) => (key === 'proc' ? made : 0), apart), env).reason, /did not run at the same time/);
    const open = summarise(c, results(plain).filter((r) => !['threads', 'threads-gil'].includes(r.job.mode)), { cores: 4, isolated: false });
    assert.equal(open.verdict, INCONCLUSIVE);
    assert.match(open.reason, /cross-origin isolated/);
  });

  test('the verdict line quotes the prediction and what the measurement supports; a text-only card never "agrees"', () => {
    const c = card('async');
    assert.match(verdictLine(c, 'io-only', { verdict: 'io-only' }), /agrees/);
    assert.match(verdictLine(c, 'both', { verdict: 'io-only' }), /supports instead: “Downloads yes, primes no\.”/);
    assert.match(verdictLine(c, 'both', { verdict: null }), /does not clearly match/);
    const text = card('parallel-libraries');
    for (const p of text.predictions) assert.doesNotMatch(verdictLine(text, p.id, summarise(text, [], {})), /agrees/);
    assert.match(verdictLine(text, 'faster', summarise(text, [], {})), /Nothing was measured here/);
  });

  test('steps are built from the figures: every claim card names the CPUs or a measured figure', () => {
    for (const c of cases()) {
      const s = summarise(card(c.card), c.results, { cores: c.cpus, isolated: true });
      assert.equal(s.verdict, c.verdict, `${c.card} at ${c.cpus} CPUs`);
      assert.ok(s.steps.length >= 2 && s.steps.join(' ').length > 100, `${c.card}: steps`);
      assert.match(s.steps.join(' '), /\d/, `${c.card}: a figure in the steps`);
    }
    function cases() {
      const three = (wall) => [wall, wall, wall];
      return [
        { card: 'amdahl', cpus: 2, verdict: 'capped', results: repeated({ serial: three(0.25), w1: three(1), w2: three(0.5), w4: three(0.5) }) },
        { card: 'amdahl', cpus: 1, verdict: 'none', results: repeated({ serial: three(0.25), w1: three(1), w2: three(1) }) },
        { card: 'oversubscription', cpus: 2, verdict: 'cpu-stops', results: repeated({ cpu1: three(1), cpu2: three(0.5), cpu4: three(0.5), cpu8: three(0.5), io1: three(1), io2: three(0.5), io4: three(0.25), io8: three(0.125) }) },
      ];
    }
  });
});

describe('lesson texts', () => {
  test('every lesson of a card converts to HTML, and the converter escapes what it reads', () => {
    const lessons = buildLessons(root);
    for (const c of CARDS) assert.ok(lessons[c.lesson]?.includes('<p>'), `lesson ${c.lesson}`);
    const html = markdownToHtml('# Title\n\nA <script>x</script> and `<b>` and **bold** [a](https://example.org) [b](javascript:alert(1))\n\n- one\n- two', { dropTitle: true });
    assert.doesNotMatch(html, /<script>|<b>|Title/);
    assert.match(html, /&lt;script&gt;/);
    assert.match(html, /<strong>bold<\/strong>/);
    assert.match(html, /<a href="https:\/\/example.org" rel="noopener">a<\/a>/);
    assert.doesNotMatch(html, /href="javascript/);
    assert.match(html, /<ul><li>one<\/li><li>two<\/li><\/ul>/);
  });
});

describe('a native experiment\'s results file', () => {
  // PARLAB_NATIVE names the parlab binary (default build/native/parlab); every test fails when it has no experiment command.
  const parlab = process.env.PARLAB_NATIVE ?? join(root, 'build', 'native', 'parlab');
  const listed = existsSync(parlab) ? spawnSync(parlab, ['experiment', 'list'], { encoding: 'utf8' }) : null;
  beforeEach(() => {
    assert.ok(listed, `${parlab} is missing (bash scripts/build.sh)`);
    assert.equal(listed.status, 0, `parlab experiment list failed: ${listed.stderr}`);
  });

  test('lists a preset for every card with a native command', () => {
    for (const c of CARDS.filter((x) => nativeCommand(x))) assert.match(listed.stdout, new RegExp(`^${c.id}: `, 'm'), c.id);
  });

  // The plan for a bigger machine, run on this one (--cpus is a teaching override of the plan): the I/O claims hold
  // on any machine; "CPU stops at the cores" holds here since this machine has fewer real cores than 16. At 64,
  // 256 threads on a small machine make the downloads' own CPU work the limit, so only the I/O card is run there.
  // The CPU-bound card runs 3 repeats: on a busy machine it may say "inconclusive: the machine was busy", never
  // another claim.
  for (const [name, cpus, verdict, repeats] of [['io-threads', 16, 'more', 1], ['oversubscription', 16, 'cpu-stops', 3], ['io-threads', 64, 'more', 1]]) {
    test(`experiment run ${name} --cpus ${cpus}: planned for ${cpus} CPUs, verdict "${verdict}"`, () => {
      const ran = spawnSync(parlab, ['experiment', 'run', name, '--cpus', String(cpus), '--repeats', String(repeats), '--format', 'json'], { encoding: 'utf8', timeout: 300_000, maxBuffer: 256 * 1024 * 1024 });
      assert.equal(ran.status, 0, ran.stderr);
      const { experiment, runs } = JSON.parse(ran.stdout);
      assert.equal(experiment.plan_cpus, cpus);
      assert.equal(experiment.cpus_overridden, true);
      assert.ok(runs.some((r) => r.workers > cpus), 'a run with more workers than the planned CPUs');
      const busy = repeats > 1 && experiment.verdict.verdict === INCONCLUSIVE && /the machine was busy/.test(experiment.verdict.reason);
      if (busy) console.log(`# ${name} --cpus ${cpus}: ${experiment.verdict.line}`);
      else assert.equal(experiment.verdict.verdict, verdict, `${experiment.verdict.line}\n${ran.stderr.split('\n').filter((l) => /^\[/.test(l)).join('\n')}`);
    });
  }

  test('run --format json prints one file the schema and the page accept', () => {
    const ran = spawnSync(parlab, ['experiment', 'run', 'isolation', '--format', 'json'], { encoding: 'utf8' });
    assert.equal(ran.status, 0, ran.stderr);
    const ajv = new Ajv({ allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(join(root, 'docs', 'results.schema.json'), 'utf8')));
    const file = JSON.parse(ran.stdout);
    assert.ok(validate(file), JSON.stringify(validate.errors));
    assert.equal(parseResultsText(ran.stdout, 'isolation.json').data.runs.length, 1);
  });
});

describe('the cpu-gil card beside uploaded results', () => {
  const primes = (mode, workers, wall_s) => ({ workload: 'primes', params: { shape: 'inputs', inputs: [1000000, 2000000, 3000000] }, mode, workers, wall_s, ok: true, complete: true });
  test('default CPython, free-threaded CPython and C++ each get a line with their own speed-ups', () => {
    const sets = [
      { label: 'CPython 3.14, GIL on (uploaded: py.json)', runs: [primes('sequential', 1, 25.5), primes('threads', 2, 28), primes('processes', 2, 19)] },
      { label: 'CPython 3.14t, GIL off (uploaded: ft.json)', runs: [primes('sequential', 1, 27), primes('threads', 2, 19), primes('threads', 3, 18)] },
      { label: 'native (uploaded: n.json)', runs: [primes('sequential', 1, 0.34), primes('threads', 2, 0.236)] },
      { label: 'native (uploaded: other.json)', runs: [{ ...primes('sequential', 1, 1), params: { shape: 'chunked', n: 2000000, chunks: 64 } }] },
    ];
    const lines = card('cpu-gil').compareUploads(sets);
    assert.deepEqual(lines, [
      'CPython 3.14, GIL on (uploaded: py.json): sequential 25.50 s; threads ×2 0.9×; processes ×2 1.3×',
      'CPython 3.14t, GIL off (uploaded: ft.json): sequential 27.00 s; threads ×2 1.4×, ×3 1.5×',
      'native (uploaded: n.json): sequential 340 ms; threads ×2 1.4×',
    ]);
  });
});

describe('the responsiveness card (ratios to the frame interval of the same run, any screen, any CPUs)', () => {
  const c = card('responsiveness');
  /// A job's side as responsiveness.js records it: frames every `frameMs` and, where it froze, one gap of the job.
  const side = (frameMs, jobMs, frozen, noise = 1) => {
    const gaps = Array(12).fill(frameMs);
    if (frozen) gaps.splice(3, Math.ceil(jobMs / frameMs), (jobMs + frameMs) * noise);
    else gaps[5] = frameMs * 1.5 * noise;
    return { jobMs, gaps, clickDelayMs: frozen ? jobMs * noise : 0.2, timeoutDelayMs: frozen ? jobMs * noise : 1 };
  };
  const result = (hz, jobMs, main, worker, noise = [1, 1]) => ({
    kind: 'responsiveness', frameMs: 1000 / hz, baselineFrames: 30,
    main: side(1000 / hz, jobMs, main, noise[0]), worker: side(1000 / hz, jobMs, worker, noise[1]),
    timers: { everyMs: 20, dueMs: [20, 40, 60], quietLateMs: [1, 2, 1], busyLateMs: [jobMs - 20, jobMs - 40, jobMs - 60], jobMs },
  });
  const CLAIMS = { 'main-only': [true, false], both: [true, true], neither: [false, false], 'worker-only': [false, true] };

  test('frame figures: the longest gap, the frames missed, the job in frame intervals', () => {
    const f = frameFigures({ jobMs: 600, gaps: [16, 17, 616, 16] }, 16);
    assert.equal(f.longestGapMs, 616);
    assert.equal(f.longestGapFrames, 38.5);
    assert.equal(f.missed, 38 + 0 + 0 + 0); // 616/16 = 38.5 rounds to 39: 38 frames missed
    assert.equal(f.jobFrames, 37.5);
    assert.equal(f.frames, 5);
    assert.deepEqual(responsivenessFigures(undefined), { ok: false });
  });

  for (const hz of [30, 60, 120, 144, 240]) {
    test(`${hz} Hz: each claim from modelled frames, ±20% gives the claim or "inconclusive", never another; CPUs change nothing`, () => {
      for (const [claim, [main, worker]] of Object.entries(CLAIMS)) {
        for (const jobMs of [500, 600, 1000]) {
          const f = responsivenessFigures(result(hz, jobMs, main, worker));
          for (const cpus of CPUS) assert.equal(judgeResponsiveness(f, cpus), claim, `${claim}, ${jobMs} ms job, ${cpus} CPUs`);
          for (const noise of [[0.8, 0.8], [1.2, 1.2], [0.8, 1.2], [1.2, 0.8]]) {
            const judged = judgeResponsiveness(responsivenessFigures(result(hz, jobMs, main, worker, noise)));
            const verdict = judged?.verdict ?? judged;
            assert.ok([claim, INCONCLUSIVE].includes(verdict), `${claim} with noise ${noise}: ${verdict}`);
          }
        }
      }
    });
  }

  test('between smooth and frozen, or a job too short to tell, is "inconclusive" with its reason', () => {
    const between = result(60, 600, true, false);
    between.worker.gaps[5] = 0.3 * 600; // 10.8 frame intervals: longer than a late frame, shorter than half the job
    const judged = judgeResponsiveness(responsivenessFigures(between));
    assert.equal(judged.verdict, INCONCLUSIVE);
    assert.match(judged.reason, /worker the longest frame gap was 11× the frame interval: neither smooth nor frozen/);
    const short = judgeResponsiveness(responsivenessFigures(result(60, 100, true, false)));
    assert.equal(short.verdict, INCONCLUSIVE);
    assert.match(short.reason, /too short to tell/);
  });

  test('the summary names every figure; its native preset measures the event-loop half apart', () => {
    const s = summarise(c, [result(60, 600, true, false)], { cores: 2 });
    assert.equal(s.verdict, 'main-only');
    assert.match(s.measured, /frame interval before the job 16\.7 ms/);
    assert.match(s.measured, /on the page's own thread 600 ms: longest frame gap 617 ms \(37× the frame interval\), 36 frames missed; a click queued as a task at the job's start was handled after 600 ms/);
    assert.match(s.measured, /in a worker 600 ms: longest frame gap 25\.0 ms \(1\.5× the frame interval\), 1 frame missed/);
    assert.match(s.measured, /3 timers due every 20 ms ran late by a median of 1\.0 ms with nothing else running, and by 560 ms \(up to 580 ms\)/);
    assert.ok(s.steps.length >= 3 && /37×/.test(s.steps[0]));
    assert.equal(nativeCommand(c), 'parlab experiment run responsiveness');
    assert.match(c.nativeApart, /event-loop half/);
    assert.equal(summarise(c, [], { cores: 2 }).verdict, null);
  });
});

describe('process workers: warm or cold in the cards', () => {
  test('processStartsText counts cold, partly warm and warm runs; runs that do not say are left out', () => {
    assert.equal(processStartsText([]), '');
    assert.equal(processStartsText([{ warm: undefined, workers: 2 }]), '');
    assert.equal(processStartsText([{ warm: 0, workers: 2 }]), 'process workers started cold in 1 of 1 run');
    assert.equal(processStartsText([{ warm: 0, workers: 2 }, { warm: 2, workers: 2 }, { warm: 2, workers: 3 }, { warm: 3, workers: 3 }]),
      'process workers started cold in 1, partly warm (some reused, some started) in 1 and reused warm in 2 of 4 runs');
  });

  test('the tiny-tasks card, whose lesson includes the start-up cost, asks for a cold start on every processes job', () => {
    const card = CARDS.find((c) => c.id === 'tiny-tasks');
    for (const workloads of [['overhead'], []]) {
      const jobs = card.plan({ cores: 2, workloads }).filter((j) => j.mode === 'processes');
      assert.ok(jobs.length >= 1);
      for (const j of jobs) assert.deepEqual(j.options, { cold_start: true }, j.key);
    }
    const cpu = CARDS.find((c) => c.id === 'cpu-gil').plan({ cores: 2 }).filter((j) => j.mode === 'processes');
    for (const j of cpu) assert.equal(j.options.cold_start, undefined, 'the CPU card reuses warm workers (it leaves start-up out)');
  });
});
