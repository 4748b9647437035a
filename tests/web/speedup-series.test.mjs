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
