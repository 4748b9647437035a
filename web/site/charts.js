// Charts (Chart.js, global `Chart`): config makers for the per-worker timeline and speed-up/time vs workers.

// Okabe-Ito: distinguishable with the common colour-vision deficiencies.
const OKABE_ITO = {
  orange: '#E69F00', skyBlue: '#56B4E9', green: '#009E73', yellow: '#F0E442',
  blue: '#0072B2', vermillion: '#D55E00', purple: '#CC79A7', grey: '#999999',
};

const isDark = () => globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;

function modeColour(mode) {
  if (mode === 'sequential') return OKABE_ITO.orange;
  if (mode === 'threads') return isDark() ? OKABE_ITO.skyBlue : OKABE_ITO.blue;
  if (mode === 'processes') return OKABE_ITO.green;
  if (mode === 'threads-gil') return OKABE_ITO.vermillion;
  if (mode === 'async') return OKABE_ITO.purple;
  return OKABE_ITO.grey;
}

function cssVar(name, fallback) {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

function withAlpha(hex, alpha) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

const POINT_STYLES = ['circle', 'triangle', 'rect', 'rectRot', 'star', 'crossRot'];
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
/// of a task (its first wait_s seconds) is a lighter bar of its own. In threads-gil runs a task computes only
/// while its thread holds the interpreter lock: those stretches (`held`) are the computing bars, and the rest
/// of its time after the latency is a light "waiting for the lock" bar, so the threads are seen taking turns.
export function makeTimelineConfig(run) {
  const tasks = Array.isArray(run?.tasks) ? run.tasks : [];
  // A loop, not Math.max(...tasks): spreading a run of a million tasks overflows the call stack.
  let rows = Math.max(Number.isInteger(run?.workers) ? run.workers : 1, 1);
  for (const t of tasks) if (t.worker + 1 > rows) rows = t.worker + 1;
  const labels = Array.from({ length: rows }, (_, k) => `worker ${k}`);
  const computeColour = isDark() ? OKABE_ITO.skyBlue : OKABE_ITO.blue;
  const gap = cssVar('--bg', '#ffffff');
  const row = (t) => `worker ${t.worker}`;
  const locked = run?.mode === 'threads-gil';
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
  return {
    type: 'bar',
    data: { labels, datasets },
    options: {
      indexAxis: 'y',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: { type: 'linear', min: 0, title: { display: true, text: 'seconds since the run started' } },
        y: { type: 'category', labels, title: { display: true, text: 'worker' } },
      },
      plugins: {
        legend: { position: 'bottom' },
        tooltip: {
          callbacks: {
            title: (items) => `task ${items[0]?.raw.task.id}`,
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

/// A line chart of y against workers: the shape the speed-up and time charts share.
function workersLineConfig(datasets, yTitle, formatY) {
  return {
    type: 'line',
    data: { datasets },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      scales: {
        x: { type: 'linear', min: 1, ticks: { stepSize: 1, precision: 0 }, title: { display: true, text: 'workers' } },
        y: { type: 'linear', min: 0, title: { display: true, text: yTitle } },
      },
      plugins: {
        legend: { position: 'bottom', labels: { usePointStyle: true } },
        tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${formatY(item.parsed.y)} at ${item.parsed.x} workers` } },
      },
    },
  };
}

/// Speed-up vs workers, one line per (source, mode), plus the ideal line y = x.
/// series: [{label, source, mode, uploaded, points: [{workers, wall_s, speedup}]}] (speedup null: no 1-worker run).
export function makeSpeedupConfig(series) {
  const maxWorkers = series.reduce((m, s) => s.points.reduce((n, p) => Math.max(n, p.workers), m), 2);
  const datasets = series.map((s, i) => ({
    label: s.label,
    data: s.points.filter((p) => p.speedup != null).map((p) => ({ x: p.workers, y: p.speedup })),
    ...seriesStyle(s, i),
  }));
  datasets.push({
    label: 'ideal (speed-up = workers)',
    data: [{ x: 1, y: 1 }, { x: maxWorkers, y: maxWorkers }],
    borderColor: OKABE_ITO.grey, backgroundColor: OKABE_ITO.grey, borderDash: [2, 3], borderWidth: 1.5, pointRadius: 0, pointStyle: 'line',
  });
  return workersLineConfig(datasets, 'speed-up (× its own 1-worker time)', (y) => `${y.toFixed(2)}×`);
}

/// Wall time vs workers, the same series as the speed-up chart.
export function makeTimeConfig(series) {
  const datasets = series.map((s, i) => ({
    label: s.label,
    data: s.points.map((p) => ({ x: p.workers, y: p.wall_s })),
    ...seriesStyle(s, i),
  }));
  return workersLineConfig(datasets, 'wall time (s)', seconds);
}

// ---------------------------------------------------------------------------------------------------------------
// Live charts

function applyTheme(Chart) {
  Chart.defaults.color = cssVar('--muted', '#555555');
  Chart.defaults.borderColor = cssVar('--grid', 'rgba(0, 0, 0, 0.1)');
  Chart.defaults.font.family = cssVar('--font', 'system-ui, sans-serif');
  // No animations: drawing frames on the page's thread takes CPU from the very runs being measured
  // (a sweep starts its next run while the last chart would still be animating).
  Chart.defaults.animation = false;
}

/// Creates the three charts on their canvases; null when Chart.js did not load (the page works without charts).
export function createCharts(canvases) {
  const Chart = globalThis.Chart;
  if (typeof Chart !== 'function') return null;
  let charts = null;
  let lastRun = null;
  let lastSeries = [];

  const build = () => {
    applyTheme(Chart);
    charts = {
      timeline: new Chart(canvases.timeline, makeTimelineConfig(lastRun)),
      speedup: new Chart(canvases.speedup, makeSpeedupConfig(lastSeries)),
      time: new Chart(canvases.time, makeTimeConfig(lastSeries)),
    };
  };

  // Updates change chart.data (and the category labels that belong with it), then call chart.update().
  const replaceData = (chart, config) => {
    chart.data.labels = config.data.labels;
    chart.data.datasets = config.data.datasets;
    if (config.options.scales.y.labels) chart.options.scales.y.labels = config.options.scales.y.labels;
    chart.options.animation = config.options.animation;
    chart.update();
  };

  build();
  return {
    showTimeline(run) {
      lastRun = run;
      replaceData(charts.timeline, makeTimelineConfig(run));
    },
    showSeries(series) {
      lastSeries = series;
      replaceData(charts.speedup, makeSpeedupConfig(series));
      replaceData(charts.time, makeTimeConfig(series));
    },
    /// Rebuilds the charts with the colours of the current colour scheme.
    retheme() {
      for (const chart of Object.values(charts)) chart.destroy();
      build();
    },
  };
}
