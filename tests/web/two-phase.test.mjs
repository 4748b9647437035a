// two-phase.js's pure helpers: the merged timeline run, the summary and the per-task log of a two-phase job.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { cpuPercent, logRows, mergeRuns, summaryRows } from '../../web/site/two-phase.js';
import { loadPageLabInfo } from './lab-info.mjs';

await loadPageLabInfo(); // modes.js: the modes and bounds, as the lab worker's ready message gives them

const task = (id, worker, start_s, end_s, extra = {}) => ({ id, worker, pid: 0, start_s, end_s, wait_s: 0, cpu_s: null, ...extra });
const gather = { mode: 'threads', workers: 2, wall_s: 0.5, avg_task_s: 0.4, checksum: '11', ok: true, complete: true, task_count: 2,
  tasks: [task(0, 0, 0, 0.4, { phase: 'gather', wait_s: 0.39 }), task(1, 1, 0, 0.45, { phase: 'gather', wait_s: 0.4 })] };
const render = { mode: 'threads-gil', workers: 3, wall_s: 2, avg_task_s: 1, checksum: '22', ok: true, complete: true, task_count: 2,
  tasks: [task(0, 2, 0.1, 1.1, { phase: 'render', held: [[0.1, 0.6]] }), task(1, 0, 0.2, 1.9, { phase: 'render', cpu_s: 0.85 })] };

test('the merged run puts phase 2 after phase 1, on rows after phase 1\'s workers', () => {
  const merged = mergeRuns(gather, render);
  assert.equal(merged.workers, 5);
  assert.equal(merged.wall_s, 2.5);
  assert.equal(merged.tasks.length, 4);
  assert.equal(merged.mode, 'threads-gil'); // so the timeline draws the lock stretches
  const [a, b] = merged.tasks.slice(2);
  assert.deepEqual([a.worker, a.start_s, a.end_s, a.held], [4, 0.6, 1.6, [[0.6, 1.1]]]);
  assert.deepEqual([b.worker, b.start_s], [2, 0.7]);
  assert.equal(render.tasks[0].start_s, 0.1, 'the phase runs are not changed');
  assert.equal(mergeRuns(gather, null).tasks.length, 2);
});

test('summary: one row per phase and the total; log: every task on the job\'s time axis', () => {
  const rows = summaryRows(gather, render);
  assert.deepEqual(rows.map((r) => r.phase), ['1 gather', '2 render', 'total']);
  assert.equal(rows[2].phase_s, 2.5);
  const log = logRows(gather, render);
  assert.deepEqual(log.map((r) => `${r.phase} ${r.task} ${r.start_s}`), ['gather 1 0', 'gather 2 0', 'render 1 0.6', 'render 2 0.7']);
  assert.equal(log[0].cpu, null);
  assert.ok(Math.abs(log[3].cpu - 50) < 1e-9, 'cpu_s over the time outside the simulated wait');
});

test('CPU % leaves out the simulated wait and is unknown without cpu_s', () => {
  assert.equal(cpuPercent({ start_s: 0, end_s: 1.5, wait_s: 0.5, cpu_s: 0.5 }), 50);
  assert.equal(cpuPercent({ start_s: 0, end_s: 1, wait_s: 1, cpu_s: 0 }), null);
  assert.equal(cpuPercent({ start_s: 0, end_s: 1, wait_s: 0, cpu_s: null }), null);
});
