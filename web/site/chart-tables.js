// Each chart's data as a table (under its figure, in a <details>): rows built by pure functions, then rendered.
import { amdahlSpeedup, fitSeries, formatFraction } from './amdahl.js';

/// At most this many task rows in the timeline table: a million-task run would freeze the page.
export const MAX_TIMELINE_ROWS = 1000;

const s4 = (x) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(4) : '–');

/// The rows of an MPI run's timeline (parlab-mpi: its tasks carry rank and host), or null for any other run: one row
/// per worker rank, grouped by host: the hosts in order of their first rank, a host's ranks together in order.
/// Returns {order: workers in display order, label(worker): "node-a · rank 1"}. A rank that ran no task takes its
/// host from run.mpiHosts (the file's environment.mpi.hosts, where the page passes it), else it has none: "rank 4 (no
/// task)", after the hosts. `rows`: how many workers the run has rows for.
export function rankRows(run, rows) {
  const tasks = Array.isArray(run?.tasks) ? run.tasks : [];
  const hostOf = new Map(); // worker -> host
  for (const t of tasks) if (Number.isInteger(t.rank) && typeof t.host === 'string' && !hostOf.has(t.worker)) hostOf.set(t.worker, t.host);
  if (hostOf.size === 0) return null;
  for (const h of Array.isArray(run.mpiHosts) ? run.mpiHosts : []) {
    for (const rank of h.ranks ?? []) if (rank >= 1 && rank <= rows && !hostOf.has(rank - 1)) hostOf.set(rank - 1, h.host);
  }
  const workers = Array.from({ length: rows }, (_, k) => k);
  const firstWorker = new Map(); // host -> its lowest worker
  for (const k of workers) if (hostOf.has(k) && !firstWorker.has(hostOf.get(k))) firstWorker.set(hostOf.get(k), k);
  const place = (k) => (hostOf.has(k) ? firstWorker.get(hostOf.get(k)) : Infinity);
  const order = workers.sort((a, b) => place(a) - place(b) || a - b);
  const label = (k) => (hostOf.has(k) ? `${hostOf.get(k)} · rank ${k + 1}` : `rank ${k + 1} (no task)`);
  return { order, label };
}

/// Timeline rows, one per task in start order: [task, worker, phase, start s, end s, waiting s, lock held s] (an MPI
/// task's worker cell names its host and rank too: "0 (node-a · rank 1)"); then a
/// run's stretches with the lab's named locks (run.locks), one row each: [lock A, worker, held / waiting, from s, to s,
/// waiting s, –]. Returns {rows, total}: only the first MAX_TIMELINE_ROWS tasks recorded get rows (total counts tasks).
export function timelineRows(run) {
  const tasks = Array.isArray(run?.tasks) ? run.tasks : [];
  const ordered = tasks.slice(0, MAX_TIMELINE_ROWS).sort((a, b) => a.start_s - b.start_s || a.id - b.id);
  const rows = ordered.map((t) => {
    const held = Array.isArray(t.held) ? t.held.reduce((sum, [a, b]) => sum + (b - a), 0) : null;
    const waited = t.phase === 'compute' ? 0 : t.wait_s;
    const worker = Number.isInteger(t.rank) && typeof t.host === 'string' ? `${t.worker} (${t.host} · rank ${t.rank})` : String(t.worker);
    return [String(t.id), worker, t.phase ?? '', s4(t.start_s), s4(t.end_s), s4(waited), held === null ? '–' : s4(held)];
  });
  const locks = Array.isArray(run?.locks) ? run.locks.slice(0, MAX_TIMELINE_ROWS) : [];
  for (const s of locks) {
    const waiting = s.state === 'waiting';
    rows.push([`lock ${s.lock}`, String(s.worker), waiting ? 'waiting for it' : 'held', s4(s.from_s), s4(s.to_s), waiting ? s4(s.to_s - s.from_s) : s4(0), '–']);
  }
  return { rows, total: tasks.length };
}

/// Speed-up rows, one per series and worker count: [series, workers, speed-up, Amdahl predicted].
export function speedupRows(series) {
  const rows = [];
  for (const s of series ?? []) {
    const fit = fitSeries(s);
    for (const p of s.points) {
      rows.push([s.label, String(p.workers), p.speedup == null ? '– (no 1-worker run)' : `${p.speedup.toFixed(2)}×`,
        fit.ok ? `${amdahlSpeedup(fit.f, p.workers).toFixed(2)}× (f=${formatFraction(fit.f)})` : '–']);
    }
  }
  return rows;
}

/// Time rows, one per series and worker count: [series, workers, median wall s].
export function timeRows(series) {
  return (series ?? []).flatMap((s) => s.points.map((p) => [s.label, String(p.workers), s4(p.wall_s)]));
}

/// One line per series on its Amdahl fit (or why there is none), then the CPU markers.
export function fitSummary(series, marks = [], bound = null) {
  if (bound?.unequal) {
    return [`The tasks differ in size (${bound.shares.map((x) => `${Math.round(x * 100)}%`).join(', ')} of the work): no schedule beats the longest task, so the speed-up is at most total work / longest task = ${bound.limit.toFixed(2)}× (drawn), whatever the workers; no Amdahl fit is drawn, since no serial part explains this limit.`,
      ...marks.map((m) => `Marked: ${m.label}.`)];
  }
  const lines = (series ?? []).map((s) => {
    const fit = fitSeries(s);
    if (!fit.ok) return `${s.label}: no Amdahl fit (${fit.message}).`;
    const limit = Number.isFinite(fit.limit) ? `speed-up limit ${fit.limit.toFixed(1)}×` : 'no speed-up limit';
    return `${s.label}: Amdahl fit f = ${formatFraction(fit.f)} (${limit}; residual ${fit.residual.toFixed(3)}).`;
  });
  for (const m of marks) lines.push(`Marked: ${m.label}.`);
  return lines;
}

/// A chart's own data as rows, one per drawn point: [dataset, x (the category or worker count), value], so the table
/// says exactly what the chart draws (the card pictures, card-picture.js). A range is "low to high"; a point not drawn
/// (null) gets no row. format(y) writes a value.
export function configRows(config, format = (y) => y.toFixed(2)) {
  const labels = config?.data?.labels ?? [];
  const show = (v) => (Array.isArray(v) ? `${format(v[0])} to ${format(v[1])}` : format(v));
  const rows = [];
  for (const d of config?.data?.datasets ?? []) {
    d.data.forEach((point, i) => {
      if (point === null || point === undefined) return;
      const isXY = typeof point === 'object' && !Array.isArray(point);
      rows.push([d.label, String(isXY ? point.x : labels[i]), show(isXY ? point.y : point)]);
    });
  }
  return rows;
}

/// Replaces body's rows; cells at the indices in `numeric` are right-aligned numbers (class "num"); no rows: one row
/// saying emptyText.
export function fillBody(body, rows, emptyText, columns, numeric = []) {
  const doc = body.ownerDocument;
  if (rows.length === 0) {
    const tr = doc.createElement('tr');
    tr.className = 'empty';
    const td = doc.createElement('td');
    td.colSpan = columns;
    td.textContent = emptyText;
    tr.append(td);
    body.replaceChildren(tr);
    return;
  }
  body.replaceChildren(...rows.map((cells) => {
    const tr = doc.createElement('tr');
    tr.className = 'data-row';
    cells.forEach((text, i) => {
      const td = doc.createElement('td');
      if (numeric.includes(i)) td.className = 'num';
      td.textContent = text;
      tr.append(td);
    });
    return tr;
  }));
}

/// Fills the three tables. els: {timelineBody, timelineNote, speedupBody, speedupNote, timeBody} (any missing
/// element is skipped); data: {run, series, marks}.
export function renderChartTables(els, { run = null, series = [], marks = [], bound = null } = {}) {
  if (els.timelineBody) {
    const { rows, total } = timelineRows(run);
    fillBody(els.timelineBody, rows, 'No run yet.', 7, [0, 1, 3, 4, 5, 6]);
    if (els.timelineNote) els.timelineNote.textContent = total > rows.length ? `Only the first ${rows.length} of the ${total} tasks recorded are listed.` : '';
  }
  if (els.speedupBody) fillBody(els.speedupBody, speedupRows(series), 'No timed runs yet.', 4, [1, 2, 3]);
  if (els.timeBody) fillBody(els.timeBody, timeRows(series), 'No timed runs yet.', 3, [1, 2]);
  if (els.speedupNote) {
    const lines = fitSummary(series, marks, bound);
    els.speedupNote.replaceChildren(...lines.map((line) => Object.assign(els.speedupNote.ownerDocument.createElement('li'), { textContent: line })));
  }
}
