// scripts/bench-rows.mjs: the harness's browser figures and rows from made-up exported runs (no browser, no timing),
// the same for Chromium and Firefox; and the harness's --skip-firefox flag.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import {
  afterWarmup, browserFigures, browserMedian, efficiencyRow, median, medianOfNumbers, ms, processStartup, readyRow, singleThreadRow, threadEfficiency,
  warmStartupRow,
} from '../../scripts/bench-rows.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PRIMES = { key: 'primes', label: 'primes chunked', params: { workload: 'primes', shape: 'chunked', n: 2000000, chunks: 64 } };
const FACTORIALS = { key: 'factorials', label: 'factorials', params: { workload: 'factorials', repeat: 2000 } };

/// An exported run as the page writes it (the fields the harness reads).
const run = (w, mode, workers, wall) => ({ workload: w.params.workload, mode, workers, wall_s: wall, ok: true, complete: true,
  params: Object.fromEntries(Object.entries(w.params).filter(([k]) => k !== 'workload')) });

/// `sweeps` sweeps of `w` (sequential, threads 1, threads 2), the k-th taking seq[k], t1[k], t2[k] seconds.
const sweeps = (w, seq, t1, t2) => seq.flatMap((s, k) => [run(w, 'sequential', 1, s), run(w, 'threads', 1, t1[k]), run(w, 'threads', 2, t2[k])]);

describe('browser figures', () => {
  test('median of odd and even counts', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
  });

  test('the start-up profiles\' median leaves out what was not measured', () => {
    assert.equal(medianOfNumbers([null, 30, undefined, 10, 20]), 20);
    assert.equal(medianOfNumbers([null]), null);
    assert.equal(ms(medianOfNumbers([12.4, null, 13.6])), '13 ms');
    assert.equal(ms(null), '-');
  });

  test('the warm-up sweep of each workload is left out, whatever order the workloads came in', () => {
    const runs = [...sweeps(PRIMES, [9, 1, 2], [9, 1, 2], [9, 1, 2]), ...sweeps(FACTORIALS, [8, 3], [8, 3], [8, 3])];
    const kept = afterWarmup(runs, 3);
    assert.equal(kept.length, 9);
    assert.ok(kept.every((r) => r.wall_s !== 9 && r.wall_s !== 8), 'no warm-up run kept');
    assert.deepEqual(kept.filter((r) => r.workload === 'factorials').map((r) => r.wall_s), [3, 3, 3]);
  });

  test('medians per workload, mode and workers; runs with other parameters do not count', () => {
    const runs = [...sweeps(PRIMES, [1, 3, 2], [4, 6, 5], [2, 4, 3]), run({ ...PRIMES, params: { ...PRIMES.params, n: 10 } }, 'sequential', 1, 100)];
    assert.deepEqual(browserFigures(runs, [PRIMES, FACTORIALS]), {
      primes: { sequential: 2, threads1: 5, threads2: 3 },
      factorials: { sequential: null, threads1: null, threads2: null },
    });
    assert.equal(browserMedian(runs, PRIMES, 'processes', 2), null);
  });

  test('two-thread efficiency, null when a figure is missing', () => {
    assert.equal(threadEfficiency({ threads1: 4, threads2: 2.5 }), 0.8);
    assert.equal(threadEfficiency({ threads1: 4, threads2: null }), null);
    assert.equal(threadEfficiency(undefined), null);
  });
});

describe('browser rows', () => {
  for (const label of ['Chromium', 'Firefox']) {
    test(`${label}: single thread against native, met and missed at 1.25`, () => {
      const met = singleThreadRow(label, PRIMES, 0.125, 0.1);
      assert.equal(met.what, `wasm (${label}) / native, single thread: primes`);
      assert.equal(met.target, '<= 1.25');
      assert.equal(met.measured, '1.250 (125.0 ms / 100.0 ms)');
      assert.equal(met.met, 'met');
      assert.equal(met.note, PRIMES.label);
      assert.equal(singleThreadRow(label, PRIMES, 0.13, 0.1).met, 'MISSED');
    });

    test(`${label}: thread efficiency against native's, met and missed at 0.9`, () => {
      const r = efficiencyRow(label, { threads1: 1, threads2: 0.55 }, 1 / 1.1);
      assert.equal(r.what, `wasm (${label}) thread efficiency / native, 2 workers`);
      assert.equal(r.target, '>= 0.9');
      assert.match(r.measured, /^1\.000 \(wasm 0\.909, native 0\.909\)$/);
      assert.equal(r.met, 'met');
      assert.equal(efficiencyRow(label, { threads1: 1, threads2: 0.7 }, 0.9).met, 'MISSED');
    });
  }

  test('navigation to ready: the median of the cold loads, with the driver\'s own view', () => {
    const r = readyRow('navigation to ready, Firefox (headless, localhost)', [1.2, 0.8, 0.9], [1.3, 1.0, 1.1], 'puppeteer');
    assert.equal(r.measured, '0.900 s (puppeteer\'s view 1.100 s)');
    assert.equal(r.met, 'met');
    assert.equal(r.note, 'median of 3 cold loads');
    assert.equal(readyRow('x', [1.5, 1.2, 1.1], [1.5, 1.2, 1.1], 'Playwright').met, 'MISSED');
  });

  test('a browser not measured gives n/a rows that say why', () => {
    const why = 'no Firefox at /nowhere/firefox-esr (apt-get install --no-install-recommends firefox-esr)';
    for (const r of [singleThreadRow('Firefox', PRIMES, null, 0.1, why), efficiencyRow('Firefox', undefined, 0.95, true, why),
      readyRow('navigation to ready, Firefox (headless, localhost)', undefined, undefined, 'puppeteer', why)]) {
      assert.equal(r.measured, 'n/a', r.what);
      assert.equal(r.met, 'n/a', r.what);
      assert.equal(r.note, why, r.what);
    }
    // A target that is only a comparison (Node's) is shown in parentheses.
    assert.equal(efficiencyRow('Node', { threads1: 1, threads2: 0.5 }, 1, false).target, '(>= 0.9)');
  });
});

describe('bench.mjs --skip-firefox', () => {
  test('is listed in --help and takes no value', () => {
    const help = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'bench.mjs'), '--help'], { encoding: 'utf8' });
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /--skip-firefox +leave out Firefox only/);
    const bad = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'bench.mjs'), '--skip-firefox=yes'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^parlab bench: --skip-firefox takes no value/);
  });
});

describe('warm process workers', () => {
  /// A processes run of 2 workers with `warm` of them reused and `startup` seconds of start-up.
  const processes = (warm, startup) => ({ workload: 'primes', mode: 'processes', workers: 2, warm_workers: warm, startup_s: startup, ok: true, complete: true });

  test('cold and warm start-up are medians over the runs that started, or reused, every worker', () => {
    const runs = [processes(0, 0.2), processes(2, 0.004), processes(1, 0.1), processes(2, 0.002), processes(2, 0.003),
      run(PRIMES, 'threads', 2, 1)];
    assert.deepEqual(processStartup(runs), { cold: { seconds: 0.2, runs: 1 }, warm: { seconds: 0.003, runs: 3 } });
  });

  test('the warm row is met at 5 ms or less, missed above, n/a without a warm run', () => {
    const met = warmStartupRow('Chromium', processStartup([processes(0, 0.1), processes(2, 0.005)]));
    assert.equal(met.met, 'met');
    assert.match(met.measured, /^5\.0 ms \(median of 1\); cold 100\.0 ms \(1 run\)$/);
    assert.equal(warmStartupRow('Firefox', processStartup([processes(2, 0.0051)])).met, 'MISSED');
    const none = warmStartupRow('Firefox', processStartup([processes(0, 0.1)]));
    assert.equal(none.met, 'n/a');
    assert.equal(none.what, 'process Web Workers start-up, warm (Firefox)');
    assert.equal(warmStartupRow('Firefox', null, 'Firefox part skipped').note, 'Firefox part skipped');
  });
});
