// The experiment cards (web/site/experiments.js) and the lesson converter (web/lessons-build.mjs), in Node:
// every card is complete and its jobs are valid; the summaries read synthetic runs as they should.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { CARDS, MODES, jobsFor, speedup, verdictLine } from '../../web/site/experiments.js';
import { buildLessons, markdownToHtml } from '../../web/lessons-build.mjs';
import { parseResultsText } from '../../web/site/results.js';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const root = fileURLToPath(new URL('../../', import.meta.url));
const WORKLOADS = ['primes', 'download', 'factorials', 'overhead', 'cv'];
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
      for (const field of ['title', 'covers', 'question', 'explanation']) assert.ok(c[field]?.length > 10, `${field}`);
      assert.ok(c.predictions.length >= 3, 'at least 3 predictions');
      assert.equal(new Set(c.predictions.map((p) => p.id)).size, c.predictions.length, 'prediction ids unique');
      assert.ok(existsSync(join(root, 'docs', 'lessons', `${c.lesson}.md`)), `docs/lessons/${c.lesson}.md exists`);
      assert.equal(typeof c.summarise, 'function');
      if (c.native !== null) assert.equal(c.native, `parlab experiment run ${c.id}`);
      if (c.cpython) {
        const script = /reference\/cpython\/[\w.]+\.py/.exec(c.cpython)?.[0];
        assert.ok(script && existsSync(join(root, script)), `${c.cpython} names a script that exists`);
      }
      if (!c.textOnly) assert.ok(c.jobs || c.runner === 'ipc', 'a runnable card has jobs');
    });

    if (!c.jobs || c.runner) continue;
    test(`${c.id}: jobs are valid on isolated and non-isolated pages`, () => {
      for (const env of ENVS) {
        const { runnable, skipped } = jobsFor(c, env);
        assert.ok(runnable.length >= 2, `${runnable.length} jobs run on ${JSON.stringify(env)}`);
        for (const j of [...runnable, ...skipped.map((s) => s.job)]) {
          assert.ok(MODES.includes(j.mode), `mode ${j.mode}`);
          assert.ok(Number.isInteger(j.workers) && j.workers >= 1 && j.workers <= 16, `workers ${j.workers}`);
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
        const s = c.summarise(results, ENVS[0]);
        assert.equal(typeof s.measured, 'string', c.id);
        if (!c.textOnly) assert.equal(s.verdict, null, `${c.id}: no verdict without runs`);
      }
    }
  });
});

describe('summaries of synthetic runs', () => {
  test('speedup of one run over another', () => {
    assert.equal(speedup(made({ a: 2, b: 1 }), 'a', 'b'), 2);
    assert.ok(Number.isNaN(speedup(made({ a: 2 }), 'a', 'b')));
    const failed = [{ job: { key: 'a' }, run: run(2) }, { job: { key: 'b' }, run: { ...run(1), ok: false } }];
    assert.ok(Number.isNaN(speedup(failed, 'a', 'b')), 'a failed run has no speed-up');
  });

  test('pipes-queues: microseconds per message support "cheap, but far from free"', () => {
    const results = [{
      size: 64, count: 5000, hello: 'hello from ipc-hello-worker',
      transports: [
        { id: 'postmessage-clone', label: 'postMessage (clone)', available: true, seconds: 0.05, mbPerS: 6.4 },
        { id: 'sab-ring', label: 'ring', available: false, reason: 'needs a cross-origin isolated page' },
      ],
    }];
    const s = card('pipes-queues').summarise(results);
    assert.equal(s.verdict, 'micro');
    assert.match(s.measured, /postMessage \(clone\): 10\.00 µs per message/);
    assert.match(s.measured, /ring: not available/);
    assert.match(s.measured, /hello from ipc-hello-worker/);
  });

  test('io-threads: many threads beating the cores supports "far past the cores"', () => {
    const s = card('io-threads').summarise(made({ seq: 1.8, t2: 0.9, t5: 0.36, t12: 0.16, a12: 0.155 }), { cores: 2 });
    assert.equal(s.verdict, 'more');
    assert.match(s.measured, /×12 11×/);
    const flat = card('io-threads').summarise(made({ seq: 1, t2: 1, t5: 1, t12: 1, a12: 1 }), { cores: 2 });
    assert.equal(flat.verdict, 'none');
  });

  test('cpu-gil: threads and processes fast, threads-gil flat supports "not the lock"', () => {
    const results = made({ seq: 0.45, t2: 0.26, t3: 0.25, g2: 0.46, g3: 0.47, p2: 0.3, p3: 0.3 });
    const s = card('cpu-gil').summarise(results);
    assert.equal(s.verdict, 'not-gil');
    assert.match(s.measured, /threads ×2 1\.7×/);
    assert.match(s.measured, /threads-gil ×2 1\.0×/);
    const cpython = card('cpu-gil').summarise(made({ seq: 0.45, t2: 0.45, t3: 0.46, g2: 0.46, g3: 0.47, p2: 0.3, p3: 0.3 }));
    assert.equal(cpython.verdict, 'processes-only');
  });

  test('tiny-tasks: slow one at a time, fast in chunks supports "chunking helps"', () => {
    const s = card('tiny-tasks').summarise(made({ seq: 0.1, t1: 0.12, p1: 1.0, pc: 0.08 }));
    assert.equal(s.verdict, 'chunk-helps');
    assert.equal(card('tiny-tasks').summarise(made({ seq: 0.1, t1: 0.12, p1: 1.0, pc: 0.9 })).verdict, 'always-slower');
  });

  test('oversubscription: flat primes and growing downloads support "CPU stops at the cores"', () => {
    const s = card('oversubscription').summarise(made({ cpu1: 1, cpu2: 0.52, cpu4: 0.5, cpu8: 0.51, io1: 1, io2: 0.5, io4: 0.25, io8: 0.13 }), { cores: 2 });
    assert.equal(s.verdict, 'cpu-stops');
    assert.match(s.measured, /reports 2 logical CPUs/);
  });

  test('amdahl: speed-ups of a 2/3 serial job give a fit near 2/3 and "capped"', () => {
    const s = 2 / 3;
    const wall = (p) => s + (1 - s) / p;
    // On 2 cores, 3 and 4 workers run like 2: the fit counts min(workers, cores).
    const r = card('amdahl').summarise(made({ w1: 1, w2: wall(2), w3: wall(2), w4: wall(2) }), { cores: 2 });
    assert.equal(r.verdict, 'capped');
    assert.ok(Math.abs(r.figures.serialFraction - s) < 1e-9);
    assert.match(r.measured, /fitted serial fraction 0\.67/);
  });

  test('two-phase: threads + processes and threads + threads fast, the lock slow, supports "threads for both" in C++', () => {
    const job = (key) => ({ key });
    const results = [
      { job: job('seq'), gather_s: 0.9, render_s: 0.6, total_s: 1.5 },
      { job: job('tt'), gather_s: 0.16, render_s: 0.32, total_s: 0.48 },
      { job: job('tg'), gather_s: 0.16, render_s: 0.62, total_s: 0.78 },
      { job: job('tp'), gather_s: 0.16, render_s: 0.34, total_s: 0.5 },
    ];
    const s = card('two-phase').summarise(results);
    assert.equal(s.verdict, 'threads-threads');
    assert.match(s.measured, /threads \+ threads-gil: 160 ms \+ 620 ms = 780 ms \(1\.9×\)/);
    const cpython = results.map((r) => (r.job.key === 'tt' ? { ...r, render_s: 0.62, total_s: 0.78 } : r));
    assert.equal(card('two-phase').summarise(cpython).verdict, 'mixed');
  });

  test('async: downloads faster, primes not, supports "I/O only"', () => {
    const s = card('async').summarise(made({ 'io-seq': 1.8, 'io-async': 0.16, 'cpu-seq': 0.45, 'cpu-async': 0.46 }));
    assert.equal(s.verdict, 'io-only');
  });

  test('isolation: the lab worker dying only with threads supports "threads lose everything"', () => {
    const results = [
      { job: { key: 'threads', mode: 'threads' }, run: { ok: false, complete: false, error: 'the lab worker failed: Aborted' } },
      { job: { key: 'processes', mode: 'processes' }, run: { ok: false, complete: false, error: 'process worker 1: Aborted' } },
    ];
    const s = card('isolation').summarise(results);
    assert.equal(s.verdict, 'threads-lost');
    assert.match(s.measured, /process worker 1: Aborted/);
  });

  test('the verdict line quotes the prediction and what the measurement supports', () => {
    const c = card('async');
    assert.match(verdictLine(c, 'io-only', 'io-only'), /agrees/);
    assert.match(verdictLine(c, 'both', 'io-only'), /supports instead: “Downloads yes, primes no\.”/);
    assert.match(verdictLine(c, 'both', null), /does not clearly match/);
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
  // PARLAB_NATIVE names the parlab binary (default build/native/parlab); skipped when it has no experiment command.
  const parlab = process.env.PARLAB_NATIVE ?? join(root, 'build', 'native', 'parlab');
  const listed = existsSync(parlab) ? spawnSync(parlab, ['experiment', 'list'], { encoding: 'utf8' }) : null;
  const skip = listed?.status === 0 ? false : `no parlab with 'experiment' at ${parlab}`;

  test('lists a preset for every card with a native command', { skip }, () => {
    for (const c of CARDS.filter((x) => x.native)) assert.match(listed.stdout, new RegExp(`^${c.id}: `, 'm'), c.id);
  });

  test('run --format json prints one file the schema and the page accept', { skip }, () => {
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
