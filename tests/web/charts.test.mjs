// Chart config makers (web/site/charts.js) and the data-table rows (chart-tables.js), run in Node without a DOM.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { fitSummary, speedupRows, timelineRows, timeRows } from '../../web/site/chart-tables.js';
import { amdahlDataset, axisMax, chartFontSize, cpuMarkerPlugin, cpuMarks, makeSpeedupConfig, makeTimeConfig, makeTimelineConfig } from '../../web/site/charts.js';
import { loadPageLabInfo } from './lab-info.mjs';

await loadPageLabInfo(); // modes.js: the modes and bounds, as the lab worker's ready message gives them

// threads: 1 -> 1.0 s, 2 -> 0.6 s: f = 0.2 exactly. processes: no 1-worker run, so no fit.
const series = [
  { label: 'browser · threads', source: 'browser', mode: 'threads', uploaded: false, points: [{ workers: 1, wall_s: 1, speedup: 1 }, { workers: 2, wall_s: 0.6, speedup: 1 / 0.6 }] },
  { label: 'browser · processes', source: 'browser', mode: 'processes', uploaded: false, points: [{ workers: 2, wall_s: 0.5, speedup: null }] },
  { label: 'native (uploaded: a.json) · threads', source: 'native (uploaded: a.json)', mode: 'threads', uploaded: true, points: [{ workers: 1, wall_s: 2, speedup: 1 }, { workers: 4, wall_s: 0.5, speedup: 4 }] },
];

test('the speed-up chart has one Amdahl curve per fittable series, in its colour, dash-dotted, f in the label', () => {
  const config = makeSpeedupConfig(series, []);
  const curves = config.data.datasets.filter((d) => d.amdahl);
  assert.equal(curves.length, 2);
  const [threads, uploaded] = curves;
  assert.equal(threads.label, 'browser · threads — Amdahl f=0.200');
  assert.ok(Math.abs(threads.amdahl.f - 0.2) < 1e-12);
  assert.ok(Math.abs(threads.amdahl.limit - 5) < 1e-9);
  assert.equal(uploaded.amdahl.f, 0);
  const measured = config.data.datasets.find((d) => d.label === 'browser · threads');
  assert.equal(threads.borderColor, measured.borderColor);
  assert.ok(threads.borderDash.length > 0 && threads.borderWidth < measured.borderWidth && threads.pointRadius === 0);
  // The curve follows Amdahl's law from 1 to the widest worker count (4).
  assert.deepEqual(threads.data[0], { x: 1, y: 1 });
  const last = threads.data.at(-1);
  assert.equal(last.x, 4);
  assert.ok(Math.abs(last.y - 1 / (0.2 + 0.8 / 4)) < 1e-12);
  assert.ok(config.data.datasets.some((d) => d.label.startsWith('ideal')));
});

test('no Amdahl curve without a fit', () => {
  assert.equal(amdahlDataset(series[1], 1, 4), null);
  assert.equal(makeSpeedupConfig([], []).data.datasets.filter((d) => d.amdahl).length, 0);
});

test('CPU markers: here, and uploaded sets shown whose count differs, labelled with their source', () => {
  const sets = [
    { label: 'native (uploaded: a.json)', environment: { logical_cpus: 16 } },
    { label: 'native (uploaded: b.json)', environment: { logical_cpus: 2 } }, // same as here: no second marker
    { label: 'not shown', environment: { logical_cpus: 64 } },
  ];
  assert.deepEqual(cpuMarks(2, sets, series), [
    { x: 2, label: 'logical CPUs here: 2' },
    { x: 16, label: 'logical CPUs in native (uploaded: a.json): 16' },
  ]);
  assert.deepEqual(cpuMarks(undefined, [], series), []);
  const marks = cpuMarks(8, sets, series);
  for (const config of [makeSpeedupConfig(series, marks), makeTimeConfig(series, marks)]) {
    assert.deepEqual(config.options.plugins.cpuMarks.marks, marks);
    assert.ok(config.plugins.includes(cpuMarkerPlugin));
    assert.equal(config.options.scales.x.suggestedMax, 16); // the axis reaches the markers
  }
  // Amdahl curves run to the furthest marker.
  assert.equal(makeSpeedupConfig(series, marks).data.datasets.find((d) => d.amdahl).data.at(-1).x, 16);
});

test('a marker far past the data does not stretch the axis', () => {
  assert.equal(axisMax(series, [{ x: 2, label: 'a' }, { x: 1000, label: 'b' }]), 4);
  assert.equal(axisMax(series, [{ x: 16, label: 'a' }]), 16);
  assert.equal(axisMax([], []), 2);
});

test('the marker plugin draws a labelled line at the marker x, and only a label for one past the axis', () => {
  const calls = [];
  const ctx = new Proxy({}, {
    get: (target, name) => (name in target ? target[name]
      : name === 'measureText' ? () => ({ width: 50 }) : (...args) => calls.push([name, ...args])),
    set: (target, name, value) => { target[name] = value; return true; },
  });
  const chart = { ctx, chartArea: { left: 0, right: 400, top: 10, bottom: 300 }, scales: { x: { getPixelForValue: (v) => v * 40 } } };
  cpuMarkerPlugin.afterDatasetsDraw(chart, {}, { marks: [{ x: 4, label: 'logical CPUs here: 4' }, { x: 64, label: 'off the chart' }] });
  assert.deepEqual(calls.filter((c) => c[0] === 'moveTo'), [['moveTo', 160, 10]]);
  assert.deepEqual(calls.filter((c) => c[0] === 'fillText').map((c) => c[1]), ['logical CPUs here: 4', 'off the chart →']);
});

// A deadlocked run: no task finished; worker 0 held A and waited for B, worker 1 the other way round.
const deadlocked = {
  mode: 'threads', workers: 2, wall_s: 1.3, startup_s: 0.0001, tasks: [], locks: [
    { worker: 0, lock: 'A', state: 'held', from_s: 0.001, to_s: 1.25 },
    { worker: 1, lock: 'B', state: 'held', from_s: 0.001, to_s: 1.25 },
    { worker: 0, lock: 'B', state: 'waiting', from_s: 0.2, to_s: 1.2 },
    { worker: 1, lock: 'A', state: 'waiting', from_s: 0.2, to_s: 1.25 },
  ],
};

test('a run of the lab\'s named locks draws each hold and wait on its worker\'s row, and lists them in the table', () => {
  const config = makeTimelineConfig(deadlocked);
  const held = config.data.datasets.find((d) => d.label === 'holds a lock');
  const waiting = config.data.datasets.find((d) => d.label === 'waits for a lock');
  assert.deepEqual(held.data.map((p) => [p.y, p.lock, p.x]), [['worker 0', 'A', [0.001, 1.25]], ['worker 1', 'B', [0.001, 1.25]]]);
  assert.deepEqual(waiting.data.map((p) => [p.y, p.lock, p.x]), [['worker 0', 'B', [0.2, 1.2]], ['worker 1', 'A', [0.2, 1.25]]]);
  assert.deepEqual(config.data.labels, ['worker 0', 'worker 1']);
  const title = config.options.plugins.tooltip.callbacks.title;
  assert.equal(title([{ raw: held.data[0] }]), 'lock A');
  // Without locks, no lock datasets.
  const plain = makeTimelineConfig({ mode: 'threads', workers: 1, tasks: [{ id: 0, worker: 0, phase: 'compute', start_s: 0, end_s: 1, wait_s: 0 }] });
  assert.ok(!plain.data.datasets.some((d) => /lock/.test(d.label)));

  const { rows, total } = timelineRows(deadlocked);
  assert.equal(total, 0, 'the total counts tasks');
  assert.deepEqual(rows[0], ['lock A', '0', 'held', '0.0010', '1.2500', '0.0000', '–']);
  assert.deepEqual(rows[2], ['lock B', '0', 'waiting for it', '0.2000', '1.2000', '1.0000', '–']);
});

test('data tables: one row per task, and one per series and worker count', () => {
  const run = { tasks: [
    { id: 1, worker: 1, phase: 'compute', start_s: 0.2, end_s: 0.3, wait_s: 0.000001 },
    { id: 0, worker: 0, phase: 'download', start_s: 0.1, end_s: 0.5, wait_s: 0.4 },
    { id: 2, worker: 0, phase: 'compute', start_s: 0.5, end_s: 0.9, wait_s: 0, held: [[0.5, 0.6], [0.7, 0.8]] },
  ] };
  const { rows, total } = timelineRows(run);
  assert.equal(total, 3);
  assert.deepEqual(rows.map((r) => r[0]), ['0', '1', '2']); // start order
  assert.deepEqual(rows[0], ['0', '0', 'download', '0.1000', '0.5000', '0.4000', '–']);
  assert.equal(rows[1][5], '0.0000'); // a compute task has no simulated latency
  assert.equal(rows[2][6], '0.2000');
  assert.deepEqual(timelineRows(null), { rows: [], total: 0 });
  const bigRun = { tasks: Array.from({ length: 5000 }, (_, i) => ({ id: i, worker: 0, phase: 'compute', start_s: i, end_s: i + 1, wait_s: 0 })) };
  assert.equal(timelineRows(bigRun).rows.length, 1000);

  const speedups = speedupRows(series);
  assert.equal(speedups.length, 5);
  assert.deepEqual(speedups[1], ['browser · threads', '2', '1.67×', '1.67× (f=0.200)']);
  assert.deepEqual(speedups[2].slice(2), ['– (no 1-worker run)', '–']);
  assert.deepEqual(timeRows(series)[1], ['browser · threads', '2', '0.6000']);
  const summary = fitSummary(series, [{ x: 2, label: 'logical CPUs here: 2' }]);
  assert.equal(summary[0], 'browser · threads: Amdahl fit f = 0.200 (speed-up limit 5.0×; residual 0.000).');
  assert.match(summary[1], /no Amdahl fit \(not enough points/);
  assert.equal(summary.at(-1), 'Marked: logical CPUs here: 2.');
});

test('chart text follows the page type size: 12 px at a 16 px root, larger in projector mode (137.5%)', () => {
  assert.equal(chartFontSize(16), 12);
  assert.equal(chartFontSize(22), 17);
  assert.equal(chartFontSize(), 12, 'outside a page: Chart.js default');
});
