// The page's Amdahl fit (web/site/amdahl.js): the same cases as tests/cpp/amdahl_test.cpp.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { amdahlSpeedup, fitAmdahl, fitSeries, formatFraction } from '../../web/site/amdahl.js';

const near = (a, b, eps, what) => assert.ok(Math.abs(a - b) <= eps, `${what}: ${a} is not within ${eps} of ${b}`);
const exact = (f, workers) => workers.map((n) => ({ workers: n, speedup: amdahlSpeedup(f, n) }));

test('exact data gives its serial fraction back', () => {
  for (const f of [0.01, 0.05, 0.25, 0.5, 0.9]) {
    const fit = fitAmdahl(exact(f, [1, 2, 3, 4, 8, 16]));
    assert.equal(fit.ok, true);
    near(fit.f, f, 1e-12, 'f');
    near(fit.limit, 1 / f, 1e-9, 'limit');
    near(fit.residual, 0, 1e-12, 'residual');
    assert.equal(fit.predicted.length, 6);
    near(fit.predicted[4], amdahlSpeedup(f, 8), 1e-12, 'predicted at 8');
  }
});

test('perfect scaling gives 0 and no limit; no scaling gives 1', () => {
  const perfect = fitAmdahl([{ workers: 1, speedup: 1 }, { workers: 2, speedup: 2 }, { workers: 4, speedup: 4 }]);
  assert.equal(perfect.f, 0);
  assert.equal(perfect.limit, Infinity);
  const none = fitAmdahl([{ workers: 1, speedup: 1 }, { workers: 2, speedup: 1 }, { workers: 4, speedup: 1 }]);
  near(none.f, 1, 1e-15, 'f');
  near(none.limit, 1, 1e-15, 'limit');
});

test('out-of-range data is clamped', () => {
  const slower = fitAmdahl([{ workers: 1, speedup: 1 }, { workers: 2, speedup: 0.8 }]);
  assert.equal(slower.f, 1);
  near(slower.residual, Math.sqrt(0.04 / 2), 1e-12, 'residual');
  assert.equal(fitAmdahl([{ workers: 1, speedup: 1 }, { workers: 2, speedup: 2.5 }]).f, 0);
});

// The same dataset and expected value as tests/cpp/amdahl_test.cpp: the C++ and JavaScript fits agree.
test('shared dataset matches the C++ fit', () => {
  const fit = fitAmdahl([{ workers: 1, speedup: 1.0 }, { workers: 2, speedup: 1.8 }, { workers: 4, speedup: 3.1 }, { workers: 8, speedup: 4.9 }]);
  near(fit.f, 0.0959427740009024, 1e-9, 'f');
  near(fit.residual, 0.058502579560477753, 1e-9, 'residual');
});

test('too few or bad points are a result, not a throw', () => {
  assert.equal(fitAmdahl([]).ok, false);
  assert.equal(fitAmdahl(null).ok, false);
  assert.equal(fitAmdahl([{ workers: 1, speedup: 1 }]).ok, false);
  assert.equal(fitAmdahl([{ workers: 1, speedup: 1 }, { workers: 1, speedup: 1.1 }]).ok, false);
  const noBase = fitAmdahl([{ workers: 2, speedup: 1.8 }, { workers: 4, speedup: 3 }]);
  assert.equal(noBase.ok, false);
  assert.match(noBase.message, /not enough points/);
  for (const bad of [0, NaN, -1, Infinity, '2', null]) {
    const fit = fitAmdahl([{ workers: 1, speedup: 1 }, { workers: 2, speedup: bad }]);
    assert.equal(fit.ok, false, String(bad));
    assert.match(fit.message, /bad point/);
  }
  assert.equal(fitAmdahl([{ workers: 0, speedup: 1 }, { workers: 2, speedup: 2 }]).ok, false);
});

test('fitSeries skips points without a speed-up; formatFraction', () => {
  const series = { points: [{ workers: 1, speedup: 1 }, { workers: 2, speedup: null }, { workers: 4, speedup: 2 }] };
  const fit = fitSeries(series);
  assert.equal(fit.ok, true);
  near(fit.f, 1 / 3, 1e-12, 'f'); // 1/2 = 1/4 + f 3/4
  assert.equal(fitSeries({ points: [{ workers: 2, speedup: null }] }).ok, false);
  assert.equal(formatFraction(0.05), '0.050');
  assert.equal(formatFraction(0.0001), '<0.001');
  assert.equal(formatFraction(0), '0.000');
});
