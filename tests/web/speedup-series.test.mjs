// The speed-up chart's series (web/site/results.js speedupSeries): a mode run only with 2+ workers, as a guided card
// runs threads ×2 and ×3, is drawn against the same set's sequential run instead of leaving the chart empty.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import * as results from '../../web/site/results.js';

const SPECS = [];
const run = (mode, workers, wall_s) => ({
  workload: 'primes', mode, workers, wall_s, ok: true, complete: true, params: { shape: 'inputs', inputs: [1000000, 2000000, 3000000] },
});

test('threads ×2 and ×3 without a 1-worker run are measured against sequential, and say so', () => {
  const entries = [run('sequential', 1, 0.6), run('threads', 2, 0.4), run('threads', 3, 0.25), run('processes', 1, 0.7), run('processes', 2, 0.35)]
    .map((r, i) => ({ id: `b${i}`, source: 'browser', kind: 'browser', run: r }));
  const described = results.describeEntries(entries, SPECS);
  const series = results.speedupSeries(described, described[0].group);
  const threads = series.find((s) => s.mode === 'threads');
  assert.deepEqual(threads.points.map((p) => p.speedup.toFixed(3)), ['1.500', '2.400']);
  assert.equal(threads.baseline, 'sequential');
  assert.match(threads.label, /threads \(vs sequential\)$/);
  // A mode with its own 1-worker run keeps it as the baseline.
  const processes = series.find((s) => s.mode === 'processes');
  assert.deepEqual(processes.points.map((p) => p.speedup), [1, 2]);
  assert.equal(processes.baseline, 'one worker');
  assert.doesNotMatch(processes.label, /vs sequential/);
});

test('without a sequential run or a 1-worker run there is no speed-up to draw', () => {
  const described = results.describeEntries([{ id: 'b0', source: 'browser', kind: 'browser', run: run('threads', 2, 0.4) }], SPECS);
  const [threads] = results.speedupSeries(described, described[0].group);
  assert.deepEqual(threads.points.map((p) => p.speedup), [null]);
  assert.equal(threads.baseline, null);
});

test('unequal tasks: the chart draws the critical-path bound (total / longest task), not an Amdahl fit', async () => {
  const { makeSpeedupConfig } = await import('../../web/site/charts.js');
  const { fitSummary } = await import('../../web/site/chart-tables.js');
  const tasks = [0.05, 0.14, 0.25].map((d, id) => ({ id, start_s: 0, end_s: d }));
  const entries = [
    { ...run('sequential', 1, 0.44), tasks }, run('threads', 2, 0.3), run('threads', 3, 0.26),
  ].map((r, i) => ({ id: `b${i}`, source: 'browser', kind: 'browser', run: r }));
  const described = results.describeEntries(entries, SPECS);
  const bound = results.criticalPathOfGroup(described, described[0].group);
  assert.ok(bound.unequal);
  assert.equal(bound.limit.toFixed(2), '1.76');
  const series = results.speedupSeries(described, described[0].group);
  const labels = makeSpeedupConfig(series, [], bound).data.datasets.map((d) => d.label);
  assert.ok(labels.includes('critical path: total work / longest task = 1.76×'), labels.join(' | '));
  assert.ok(!labels.some((l) => /Amdahl/.test(l)), 'no Amdahl fit beside the bound');
  assert.match(fitSummary(series, [], bound)[0], /at most total work \/ longest task = 1\.76×/);
  // Equal tasks: no bound to draw, the Amdahl fit stays.
  const equal = results.criticalPathOfGroup(results.describeEntries([{ id: 'b0', source: 'browser', kind: 'browser', run: { ...run('sequential', 1, 0.3), tasks: [0, 1, 2].map((id) => ({ id, start_s: 0, end_s: 0.1 })) } }], SPECS), described[0].group);
  assert.equal(equal.unequal, false);
  // Unequal, but the bound lies past the workers run: the Amdahl fit stays.
  const few = [{ ...run('sequential', 1, 0.44), tasks: [0.05, 0.14, 0.25, 0.1, 0.1, 0.1].map((d, id) => ({ id, start_s: 0, end_s: d })) }, run('threads', 2, 0.3)]
    .map((r, i) => ({ id: `b${i}`, source: 'browser', kind: 'browser', run: r }));
  const fewDescribed = results.describeEntries(few, SPECS);
  assert.equal(results.criticalPathOfGroup(fewDescribed, fewDescribed[0].group).unequal, false);
});
