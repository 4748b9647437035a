// Charts (Chart.js, global `Chart`): config makers for the per-worker timeline and speed-up/time vs workers,
// the fitted Amdahl curves and the logical-CPU markers.
import { amdahlSpeedup, fitSeries, formatFraction } from './amdahl.js';
import { rankRows } from './chart-tables.js';
import { getModeIndex, hasSeparateMemory } from './modes.js';

// Okabe-Ito: distinguishable with the common colour-vision deficiencies.
const OKABE_ITO = {
  orange: '#E69F00', skyBlue: '#56B4E9', green: '#009E73', yellow: '#F0E442',
  blue: '#0072B2', vermillion: '#D55E00', purple: '#CC79A7', grey: '#999999',
};

const isDark = () => globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;

/// A colour per mode, by the mode's index in the lab info (the order the core lists them in, its result modes last:
/// mpi); grey for anything else (an external tool's series).
function modeColour(mode) {
  const dark = isDark();
  const colours = [OKABE_ITO.orange, dark ? OKABE_ITO.skyBlue : OKABE_ITO.blue, OKABE_ITO.vermillion, OKABE_ITO.purple, OKABE_ITO.green,
    dark ? OKABE_ITO.yellow : OKABE_ITO.skyBlue];
  return colours[getModeIndex(mode)] ?? OKABE_ITO.grey;
}

// Outside a page (the Node tests of the card pictures) there is no style to read: the fallback is the colour.
function cssVar(name, fallback) {
  if (typeof getComputedStyle !== 'function' || !globalThis.document) return fallback;
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

function withAlpha(hex, alpha) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

// Colour is never the only cue: each series also has its own point style, uploaded series are dashed, the
// Amdahl curves dash-dotted without points, the ideal line dotted grey, the CPU markers labelled in text.
const POINT_STYLES = ['circle', 'triangle', 'rect', 'rectRot', 'star', 'crossRot'];
const AMDAHL_DASH = [8, 3, 2, 3];
const seconds = (s) => `${s < 0.01 ? s.toPrecision(2) : s.toFixed(3)} s`;

// ---------------------------------------------------------------------------------------------------------------
// Config makers: plain objects, as in Chart.js's samples.

/// [from, to] minus the union of `stretches` (pairs), as a list of pairs in order.
function gapsBetween(from, to, stretches) {
  const sorted = stretches.filter(([a, b]) => b > from && a < to).sort((p, q) => p[0] - q[0]);
  const gaps = [];
  let at = from;
  for (const [a, b] of sorted) {
    if (a > at) gaps.push([at, a]);
    if (b > at) at = b;
  }
  if (to > at) gaps.push([at, to]);
  return gaps;
}

/// Timeline of one run: a row per worker, a floating bar [start_s, end_s] per task; the simulated-latency part
/// of a task (its first wait_s seconds) is a lighter bar of its own. Under the interpreter lock a task computes only
/// while its thread holds the interpreter lock: those stretches (`held`) are the computing bars, and the rest
/// of its time after the latency is a light "waiting for the lock" bar, so the threads are seen taking turns. The
/// pool's start-up (run.startup_s: no task can start before it) is a grey bar on every row (not on a two-phase job's merged rows, where it is phase 1's only), named "process
/// start-up" for modes with separate memory. A run of the lab's named locks (run.locks: the deadlock workload) draws
/// each hold and each wait of a lock on its worker's row, over the task's bar: a deadlocked run has no task, and its
/// holds and waits are the picture. An MPI run's rows are its ranks, grouped by host (rankRows). xMax: the end of the
/// time axis, so that timelines side by side share it.
export function makeTimelineConfig(run, { xMax = null } = {}) {
  const tasks = Array.isArray(run?.tasks) ? run.tasks : [];
  // A loop, not Math.max(...tasks): spreading a run of a million tasks overflows the call stack.
  let rows = Math.max(Number.isInteger(run?.workers) ? run.workers : 1, 1);
  for (const t of tasks) if (t.worker + 1 > rows) rows = t.worker + 1;
  const locks = Array.isArray(run?.locks) ? run.locks : [];
  for (const s of locks) if (s.worker + 1 > rows) rows = s.worker + 1;
  // A two-phase job's merged run (two-phase.js) gives each phase its own rows: name them by phase.
  const phaseOf = (k) => Object.entries(run?.rowPhases ?? {}).find(([, span]) => span && k >= span[0] && k <= span[1]);
  const rowLabel = (k) => {
    const found = phaseOf(k);
    return found ? `${found[0]} worker ${k - found[1][0]}` : `worker ${k}`;
  };
  // An MPI run (its tasks carry rank and host): a row per rank, the ranks of one host together.
  const ranks = rankRows(run, rows);
  const workerLabel = (k) => (ranks ? ranks.label(k) : rowLabel(k));
  const labels = (ranks ? ranks.order : Array.from({ length: rows }, (_, k) => k)).map(workerLabel);
  const computeColour = isDark() ? OKABE_ITO.skyBlue : OKABE_ITO.blue;
  const gap = cssVar('--bg', '#ffffff');
  const row = (t) => workerLabel(t.worker);
  // A run under the interpreter lock says when each task held it (`held`): those runs draw the lock.
  const locked = tasks.some((t) => Array.isArray(t.held));
  const compute = [];
  const lockWait = [];
  for (const t of tasks) {
    const from = t.start_s + (t.wait_s || 0);
    if (locked && Array.isArray(t.held)) {
      for (const x of t.held) compute.push({ x, y: row(t), task: t });
      for (const x of gapsBetween(from, t.end_s, t.held)) lockWait.push({ x, y: row(t), task: t });
    } else {
      compute.push({ x: [from, t.end_s], y: row(t), task: t });
    }
  }
  // A compute-phase task has no simulated latency: its wait_s is only the microseconds of timing overhead.
  const latency = tasks.filter((t) => t.wait_s > 0 && t.phase !== 'compute')
    .map((t) => ({ x: [t.start_s, t.start_s + t.wait_s], y: row(t), task: t }));
  const bar = { grouped: false, borderColor: gap, borderWidth: 1, borderSkipped: false, barPercentage: 0.9, categoryPercentage: 0.9 };
  // Many short lock stretches: borders would hide them, so those bars have none.
  const thin = locked ? { borderWidth: 0 } : {};
  const datasets = [{ label: locked ? 'computing (holds the lock)' : 'compute', data: compute, backgroundColor: computeColour, ...bar, ...thin }];
  if (locked) {
    datasets.push({ label: 'waiting for the lock', data: lockWait, backgroundColor: withAlpha(computeColour, 0.22), ...bar, ...thin });
  }
  if (latency.length > 0) {
    datasets.push({ label: 'simulated latency (waiting, no CPU)', data: latency, backgroundColor: withAlpha(OKABE_ITO.orange, 0.45), ...bar });
  }
  const lockBar = (state) => locks.filter((s) => s.state === state)
    .map((s) => ({ x: [s.from_s, s.to_s], y: workerLabel(s.worker), task: { id: `lock ${s.lock}` }, lock: s.lock }));
  if (locks.length > 0) {
    // Side by side in the worker's row (grouped: holds above, waits below), drawn over the task's bar (a lower order
    // is drawn later): a worker waiting for B while it holds A shows both.
    const lockBars = { ...bar, grouped: true, order: -1 };
    datasets.push({ label: 'holds a lock', data: lockBar('held'), backgroundColor: OKABE_ITO.vermillion, ...lockBars });
    datasets.push({ label: 'waits for a lock', data: lockBar('waiting'), backgroundColor: withAlpha(OKABE_ITO.vermillion, 0.25), ...lockBars, borderColor: OKABE_ITO.vermillion });
  }
  const startup = run?.startup_s;
  // Threads start in microseconds: a bar drawn only where it is more than a hair of the run.
  if (typeof startup === 'number' && startup > 0 && tasks.length > 0 && !run.rowPhases && startup >= 0.002 * (run.wall_s || startup)) {
    datasets.push({
      label: hasSeparateMemory(run.mode) ? 'process start-up (no task yet)' : 'pool start-up (no task yet)',
      data: labels.map((y) => ({ x: [0, startup], y, task: { id: 'start-up' } })),
      backgroundColor: withAlpha(OKABE_ITO.grey, 0.55), ...bar,
    });
  }
  return {
    type: 'bar',
    data: { labels, datasets },
    options: {
      indexAxis: 'y',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: { type: 'linear', min: 0, ...(xMax > 0 ? { max: xMax } : {}), title: { display: true, text: 'seconds since the run started' } },
        y: { type: 'category', labels, title: { display: true, text: ranks ? 'host · MPI rank' : 'worker' } },
      },
      plugins: {
        legend: { position: 'bottom' },
        tooltip: {
          callbacks: {
            title: (items) => {
              const id = items[0]?.raw.task.id;
              return id === 'start-up' || String(id).startsWith('lock ') ? String(id) : `task ${id}`;
            },
            label: (item) => {
              const [a, b] = item.raw.x;
              return `${item.dataset.label}: ${a.toFixed(4)}–${b.toFixed(4)} s`;
            },
          },
        },
      },
    },
  };
}

function seriesStyle(series, index) {
  const colour = modeColour(series.mode);
  return {
    borderColor: colour,
    backgroundColor: colour,
    borderDash: series.uploaded ? [6, 4] : [],
    pointStyle: POINT_STYLES[index % POINT_STYLES.length],
    pointRadius: 4,
    pointHoverRadius: 6,
    borderWidth: 2,
    tension: 0,
  };
}

/// Where to draw "logical CPUs" markers: [{x, label}]. `here` is navigator.hardwareConcurrency (may be
/// undefined); uploaded sets ({label, environment: {logical_cpus}}) shown in `series` get a marker of their own
/// when their count differs from here's; sets with the same count share one marker.
export function cpuMarks(here, uploadedSets = [], series = []) {
  const marks = [];
  if (Number.isInteger(here) && here > 0) marks.push({ x: here, label: `logical CPUs here: ${here}` });
  const shown = new Set(series.map((s) => s.source));
  const bySize = new Map();
  for (const set of uploadedSets) {
    const n = set?.environment?.logical_cpus;
    if (!shown.has(set.label) || !Number.isInteger(n) || n < 1 || n === here) continue;
    if (!bySize.has(n)) bySize.set(n, []);
    bySize.get(n).push(set.label);
  }
  for (const [n, labels] of [...bySize].sort((a, b) => a[0] - b[0])) marks.push({ x: n, label: `logical CPUs in ${labels.join(', ')}: ${n}` });
  return marks;
}

/// Inline plugin (no Chart.js plugin package): a labelled vertical dashed line at each x of
/// options.plugins.cpuMarks.marks, in the theme's text colour.
export const cpuMarkerPlugin = {
  id: 'cpuMarks',
  afterDatasetsDraw(chart, _args, options) {
    const marks = options?.marks ?? [];
    const x = chart.scales?.x;
    const area = chart.chartArea;
    if (!x || !area || marks.length === 0) return;
    const { ctx } = chart;
    const colour = options.color || globalThis.Chart?.defaults?.color || '#555555';
    ctx.save();
    ctx.strokeStyle = colour;
    ctx.fillStyle = colour;
    ctx.lineWidth = 1;
    const size = globalThis.Chart?.defaults?.font?.size ?? 12;
    const lineY = (i) => area.top + size + Math.round(size * 1.2) * i;
    ctx.font = `${size}px ${globalThis.Chart?.defaults?.font?.family ?? 'sans-serif'}`;
    marks.forEach((mark, i) => {
      const px = x.getPixelForValue(mark.x);
      if (!Number.isFinite(px) || px < area.left - 0.5) return;
      if (px > area.right + 0.5) { // beyond the axis: a label at the right edge, pointing out
        const text = `${mark.label} →`;
        ctx.fillText(text, area.right - ctx.measureText(text).width - 2, lineY(i));
        return;
      }
      ctx.setLineDash([5, 3]);
      ctx.beginPath();
      ctx.moveTo(px, area.top);
      ctx.lineTo(px, area.bottom);
      ctx.stroke();
      ctx.setLineDash([]);
      // Labels stack down from the top; near the right edge they sit left of the line.
      const width = ctx.measureText(mark.label).width;
      const left = px + 4 + width > area.right ? px - 4 - width : px + 4;
      ctx.fillText(mark.label, left, lineY(i));
    });
    ctx.restore();
  },
};

/// The x axis's end: the widest worker count (at least 2), stretched to reach the CPU markers unless one is so far
/// out (past 4x the data, and past 16) that the data would be squeezed into a corner; such a marker is drawn as a
/// label at the right edge instead.
export function axisMax(series, marks = []) {
  const dataMax = series.reduce((m, s) => s.points.reduce((n, p) => Math.max(n, p.workers), m), 2);
  const reach = Math.max(16, 4 * dataMax);
  return marks.reduce((m, k) => (k.x <= reach ? Math.max(m, k.x) : m), dataMax);
}

/// A line chart of y against workers: the shape the speed-up and time charts share; the x axis runs to xMax.
function workersLineConfig(datasets, yTitle, formatY, marks, xMax) {
  return {
    type: 'line',
    data: { datasets },
    plugins: [cpuMarkerPlugin],
    options: {
      responsive: true,
      maintainAspectRatio: false,
      scales: {
        x: { type: 'linear', min: 1, suggestedMax: xMax, ticks: { stepSize: 1, precision: 0 }, title: { display: true, text: 'workers' } },
        y: { type: 'linear', min: 0, title: { display: true, text: yTitle } },
      },
      plugins: {
        legend: { position: 'bottom', labels: { usePointStyle: true } },
        tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${formatY(item.parsed.y)} at ${item.parsed.x} workers` } },
        cpuMarks: { marks },
      },
    },
  };
}

/// The fitted Amdahl curve of one series as a dataset, or null when the series cannot be fitted. It runs from
/// 1 to xMax in small steps (a smooth curve) in the series' colour, thin and dash-dotted.
export function amdahlDataset(series, index, xMax) {
  const fit = fitSeries(series);
  if (!fit.ok) return null;
  const data = [];
  const steps = Math.max(8, Math.min(200, Math.ceil((xMax - 1) * 8)));
  for (let k = 0; k <= steps; k++) {
    const x = 1 + ((xMax - 1) * k) / steps;
    data.push({ x, y: amdahlSpeedup(fit.f, x) });
  }
  const colour = modeColour(series.mode);
  return {
    label: `${series.label} — Amdahl f=${formatFraction(fit.f)}`,
    data,
    borderColor: colour,
    backgroundColor: colour,
    borderDash: AMDAHL_DASH,
    borderWidth: 1.25,
    pointRadius: 0,
    pointHoverRadius: 0,
    pointHitRadius: 3,
    pointStyle: 'line',
    tension: 0,
    amdahl: { f: fit.f, limit: fit.limit, residual: fit.residual, series: series.label, index },
  };
}

/// A reference line or marks drawn over measured data: 'ideal' (dotted), 'bound' (long dashes), 'prediction' (the
/// learner's, dashed, with crosses); the bound and the prediction in the text colour, the ideal grey. On a category (bar) chart they are marks across each bar,
/// not a line, since the categories are separate jobs.
export function referenceDataset(kind, label, data, { categories = false } = {}) {
  const prediction = kind === 'prediction';
  // The ideal in grey; the bound and the prediction in the text colour, told apart by their shape.
  const colour = kind === 'ideal' ? OKABE_ITO.grey : cssVar('--fg', '#1b1f24');
  const style = {
    ideal: { borderDash: [2, 3], borderWidth: 1.5, pointStyle: 'line' },
    bound: { borderDash: [8, 4], borderWidth: 2, pointStyle: 'line' },
    prediction: { borderDash: [10, 5], borderWidth: 2, pointStyle: 'crossRot' },
  }[kind];
  const markStyle = { ideal: 'dash', bound: 'line', prediction: 'crossRot' }[kind];
  const marks = categories ? { type: 'line', showLine: false, pointStyle: markStyle, pointRadius: kind === 'ideal' ? 8 : 12, pointBorderWidth: 3, pointHoverRadius: 12 } : { pointRadius: prediction ? 5 : 0 };
  return { label, data, reference: kind, borderColor: colour, backgroundColor: colour, tension: 0, ...style, ...marks };
}

/// Speed-up vs workers, one line per (source, mode), its fitted Amdahl curve, the ideal line y = x, and the
/// logical-CPU markers (cpuMarks()).
/// series: [{label, source, mode, uploaded, points: [{workers, wall_s, speedup}]}] (speedup null: no 1-worker run).
/// bound: criticalPathOfGroup() or null; when the tasks are unequal it is drawn (total work / longest task) instead
/// of the Amdahl fits, which would invent a serial fraction the task sizes do not have.
/// A card's picture passes `fits: false` (its series are against sequential, not fitted), its own bound and the
/// learner's prediction as `extra` datasets (referenceDataset()), and its y title.
export function makeSpeedupConfig(series, marks = [], bound = null, { fits = true, extra = [], yTitle = 'speed-up (× its own 1-worker time)' } = {}) {
  const maxWorkers = series.reduce((m, s) => s.points.reduce((n, p) => Math.max(n, p.workers), m), 2);
  const xMax = axisMax(series, marks);
  const datasets = series.map((s, i) => ({
    label: s.label,
    data: s.points.filter((p) => p.speedup != null).map((p) => ({ x: p.workers, y: p.speedup })),
    ...seriesStyle(s, i),
  }));
  if (bound?.unequal) {
    datasets.push({
      label: `critical path: total work / longest task = ${bound.limit.toFixed(2)}×`,
      data: [{ x: 1, y: bound.limit }, { x: xMax, y: bound.limit }],
      borderColor: OKABE_ITO.grey, backgroundColor: OKABE_ITO.grey, borderDash: [8, 4], borderWidth: 2, pointRadius: 0, pointStyle: 'line',
    });
  } else if (fits) {
    series.forEach((s, i) => {
      const curve = amdahlDataset(s, i, xMax);
      if (curve) datasets.push(curve);
    });
  }
  datasets.push(...extra);
  datasets.push(referenceDataset('ideal', 'ideal (speed-up = workers)', [{ x: 1, y: 1 }, { x: maxWorkers, y: maxWorkers }]));
  const config = workersLineConfig(datasets, yTitle, (y) => `${y.toFixed(2)}×`, marks, xMax);
  // The Amdahl curves are drawn at many x: their tooltip gives the fit, not a point.
  config.options.plugins.tooltip.callbacks.label = (item) => (item.dataset.amdahl
    ? `${item.dataset.label}: ${item.parsed.y.toFixed(2)}× predicted at ${item.parsed.x.toFixed(1)} workers (limit ${Number.isFinite(item.dataset.amdahl.limit) ? `${item.dataset.amdahl.limit.toFixed(1)}×` : 'none'})`
    : `${item.dataset.label}: ${item.parsed.y.toFixed(2)}× at ${item.parsed.x} workers`);
  return config;
}

/// Bars per job (a card that compares modes): one bar per category in its mode's colour, and reference marks
/// (referenceDataset(..., {categories: true})) across the bars. bars: [{label, mode, value}] (value null: not run;
/// [low, high] for a range). logY for values that span orders of magnitude (µs per message, 0.02× to 4×).
export function makeBarsConfig(bars, { label, extra = [], yTitle, logY = false, format = (y) => `${y.toFixed(2)}×` }) {
  const labels = bars.map((b) => b.label);
  const colours = bars.map((b) => modeColour(b.mode));
  const datasets = [{ label, data: bars.map((b) => b.value), backgroundColor: colours.map((c) => withAlpha(c, 0.75)), borderColor: colours, borderWidth: 1 }, ...extra];
  const show = (v) => (Array.isArray(v) ? `${format(v[0])} to ${format(v[1])}` : format(v));
  return {
    type: 'bar',
    data: { labels, datasets },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: { type: 'category', ticks: { autoSkip: false, maxRotation: 45 } },
        y: logY ? { type: 'logarithmic', title: { display: true, text: yTitle } } : { type: 'linear', min: 0, title: { display: true, text: yTitle } },
      },
      plugins: {
        legend: { position: 'bottom', labels: { usePointStyle: true } },
        tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${show(item.raw)}` } },
      },
    },
  };
}

/// Wall time vs workers, the same series as the speed-up chart, with the same CPU markers.
export function makeTimeConfig(series, marks = []) {
  const datasets = series.map((s, i) => ({
    label: s.label,
    data: s.points.map((p) => ({ x: p.workers, y: p.wall_s })),
    ...seriesStyle(s, i),
  }));
  return workersLineConfig(datasets, 'wall time (s)', seconds, marks, axisMax(series, marks));
}

// ---------------------------------------------------------------------------------------------------------------
// Live charts

/// Chart text follows the page's type size: Chart.js's 12 px at a 16 px root, larger in projector mode (a
/// root of 137.5%) and with the reader's own browser font size.
export function chartFontSize(rootPx = rootFontPx()) {
  return Math.round((12 * rootPx) / 16);
}

function rootFontPx() {
  if (typeof getComputedStyle !== 'function' || !globalThis.document) return 16;
  const px = parseFloat(getComputedStyle(document.documentElement).fontSize);
  return Number.isFinite(px) && px > 0 ? px : 16;
}

function applyTheme(Chart) {
  Chart.defaults.color = cssVar('--muted', '#555555');
  Chart.defaults.borderColor = cssVar('--grid', 'rgba(0, 0, 0, 0.1)');
  Chart.defaults.font.family = cssVar('--font', 'system-ui, sans-serif');
  Chart.defaults.font.size = chartFontSize();
  // No animations: drawing frames on the page's thread takes CPU from the very runs being measured
  // (a sweep starts its next run while the last chart would still be animating).
  Chart.defaults.animation = false;
}

/// Draws one chart on `canvas` in the page's theme (a card's picture, lessons.js); null when Chart.js did not load.
/// The caller destroys it before drawing on that canvas again.
export function drawChart(canvas, config) {
  const Chart = globalThis.Chart;
  if (typeof Chart !== 'function') return null;
  applyTheme(Chart);
  return new Chart(canvas, config);
}

/// Creates the three charts on their canvases; null when Chart.js did not load (the page works without charts).
export function createCharts(canvases) {
  const Chart = globalThis.Chart;
  if (typeof Chart !== 'function') return null;
  let charts = null;
  let lastRun = null;
  let lastSeries = [];
  let lastMarks = [];
  let lastBound = null;

  const build = () => {
    applyTheme(Chart);
    charts = {
      timeline: new Chart(canvases.timeline, makeTimelineConfig(lastRun)),
      speedup: new Chart(canvases.speedup, makeSpeedupConfig(lastSeries, lastMarks, lastBound)),
      time: new Chart(canvases.time, makeTimeConfig(lastSeries, lastMarks)),
    };
  };

  // Updates change chart.data (and the category labels that belong with it), then call chart.update().
  const replaceData = (chart, config) => {
    chart.data.labels = config.data.labels;
    chart.data.datasets = config.data.datasets;
    if (config.options.scales.y.labels) chart.options.scales.y.labels = config.options.scales.y.labels;
    // The timeline's rows are workers, or an MPI run's ranks by host: the axis says which.
    if (config.options.scales.y.labels && config.options.scales.y.title) chart.options.scales.y.title.text = config.options.scales.y.title.text;
    if (config.options.plugins.cpuMarks) {
      chart.options.plugins.cpuMarks = config.options.plugins.cpuMarks;
      chart.options.scales.x.suggestedMax = config.options.scales.x.suggestedMax;
      chart.options.plugins.tooltip.callbacks.label = config.options.plugins.tooltip.callbacks.label;
    }
    chart.options.animation = config.options.animation;
    chart.update();
  };

  build();
  return {
    showTimeline(run) {
      lastRun = run;
      replaceData(charts.timeline, makeTimelineConfig(run));
    },
    /// marks: cpuMarks(); also written to each canvas's data-cpu-marks (their labels, one per line).
    showSeries(series, marks = [], bound = null) {
      lastSeries = series;
      lastMarks = marks;
      lastBound = bound;
      replaceData(charts.speedup, makeSpeedupConfig(series, marks, bound));
      replaceData(charts.time, makeTimeConfig(series, marks));
      for (const canvas of [canvases.speedup, canvases.time]) canvas.dataset.cpuMarks = marks.map((m) => m.label).join('\n');
    },
    /// Rebuilds the charts with the colours of the current colour scheme.
    retheme() {
      for (const chart of Object.values(charts)) chart.destroy();
      build();
    },
  };
}
