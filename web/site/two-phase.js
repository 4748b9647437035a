// The two-phase job panel (CV factory): phase 1 gathers photos, phase 2 renders pages, each its own mode.
//
// API (for the page and the lesson cards):
//   initTwoPhasePanel({ runJobs, ensureReady, isBusy, getSpecs, showTimeline })  wires the #two-phase panel once.
//   runTwoPhaseJob(config) -> Promise<{ id, gather, render, merged, error }>
//     config: { count, latency_ms, page_kpx, seed = 1,
//               gather: { mode, workers }, render: { mode, workers }, switch_interval_ms = 5 }
//     Runs phase 1 (params {workload: 'cv', phase: 'gather', ...}) then, if it finished, phase 2 (phase 'render')
//     as two ordinary runs through main.js's runJobs, so both land in the runs table and the export, each with
//     run.job = { id, phase: 1 | 2, phases: 2 }. gather / render: the run objects (null if not run); merged: one
//     run object for the timeline (below); error: one line, or null. Throws if the panel was not initialised or
//     another run is in progress.
//
// The two phases do not pass the photos: both derive CV i's photo from (seed, i), so phase 2 regenerates it.
// The pure helpers (mergeRuns, summaryRows, logRows, cpuPercent) are exported for tests.

import {
  getFallbackMode, getFieldMaxWorkers, getLimits, getSwitchInterval, hasInterpreterLock, isMode, isOneWorker, needsPthreads,
} from './modes.js';
import { renderModeOptions } from './views.js';

let deps = null;

/// CPU % of a task: its CPU time over the time it was not in its simulated wait; null where unknown (wasm).
export function cpuPercent(task) {
  const busy = task.end_s - task.start_s - (task.wait_s || 0);
  if (typeof task.cpu_s !== 'number' || !(busy > 0)) return null;
  return (100 * task.cpu_s) / busy;
}

/// One run object holding both phases on one time axis: phase 2's tasks shifted by phase 1's wall time and
/// placed on rows after phase 1's (row = gather workers + its worker), so the existing timeline shows them.
export function mergeRuns(gather, render) {
  const rowsBefore = gather.workers;
  const shift = gather.wall_s;
  const shifted = (render?.tasks ?? []).map((t) => ({
    ...t,
    worker: rowsBefore + t.worker,
    start_s: t.start_s + shift,
    end_s: t.end_s + shift,
    ...(Array.isArray(t.held) ? { held: t.held.map(([a, b]) => [a + shift, b + shift]) } : {}),
  }));
  return {
    ...gather,
    mode: hasInterpreterLock(render?.mode) ? render.mode : gather.mode,
    workers: rowsBefore + (render?.workers ?? 0),
    wall_s: shift + (render?.wall_s ?? 0),
    tasks: [...gather.tasks, ...shifted],
    task_count: gather.task_count + (render?.task_count ?? 0),
    tasks_done: gather.tasks.length + shifted.length,
    rowPhases: { gather: [0, rowsBefore - 1], render: render ? [rowsBefore, rowsBefore + render.workers - 1] : null },
  };
}

/// Summary rows: per phase its mode, workers, average task s, phase s and checksum, then the total.
export function summaryRows(gather, render) {
  const rows = [];
  for (const [label, run] of [['1 gather', gather], ['2 render', render]]) {
    if (!run) continue;
    rows.push({ phase: label, mode: run.mode, workers: run.workers, avg_task_s: run.avg_task_s, phase_s: run.wall_s,
      checksum: run.checksum, ok: run.ok && run.complete });
  }
  rows.push({ phase: 'total', mode: '', workers: null, avg_task_s: null,
    phase_s: (gather?.wall_s ?? 0) + (render?.wall_s ?? 0), checksum: '', ok: true });
  return rows;
}

/// The per-task log: every task of both phases, times from the job's start (phase 2 shifted by phase 1).
export function logRows(gather, render) {
  const rows = [];
  for (const [phase, run, shift] of [['gather', gather, 0], ['render', render, gather?.wall_s ?? 0]]) {
    for (const t of run?.tasks ?? []) {
      rows.push({ phase, task: t.id + 1, start_s: t.start_s + shift, end_s: t.end_s + shift, worker: t.worker,
        pid: t.pid, cpu: cpuPercent(t), rss_kib: typeof t.rss_kib === 'number' ? t.rss_kib : null });
    }
  }
  return rows;
}

/// A fresh job id shared by both phases.
function newJobId() {
  const random = Math.floor(Math.random() * 0xffffff).toString(16).padStart(6, '0');
  return `cv-${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}-${random}`;
}

export async function runTwoPhaseJob(config) {
  if (!deps) throw new Error('the two-phase panel is not initialised');
  if (deps.isBusy()) throw new Error('a run is already in progress');
  if (!(await deps.ensureReady())) throw new Error('the lab worker is not ready');
  const id = newJobId();
  const base = { workload: 'cv', count: config.count, latency_ms: config.latency_ms, page_kpx: config.page_kpx,
    seed: config.seed ?? 1 };
  const jobFor = (phase, number, { mode, workers }) => ({
    params: { ...base, phase }, mode, workers: isOneWorker(mode) ? 1 : workers,
    options: hasInterpreterLock(mode) ? { switch_interval_ms: config.switch_interval_ms ?? getSwitchInterval().default } : {},
    job: { id, phase: number, phases: 2 },
  });
  const [first] = await deps.runJobs([jobFor('gather', 1, config.gather)]);
  const gather = first?.run ?? null;
  if (!gather || !gather.ok || !gather.complete) {
    const why = first?.error ?? gather?.error ?? 'phase 1 was stopped before every photo was gathered';
    return { id, gather, render: null, merged: gather ? mergeRuns(gather, null) : null, error: `phase 1: ${why}` };
  }
  const [second] = await deps.runJobs([jobFor('render', 2, config.render)]);
  const render = second?.run ?? null;
  const error = second?.error ?? (render && !render.ok ? render.error : render && !render.complete ? 'phase 2 was stopped' : null);
  return { id, gather, render, merged: mergeRuns(gather, render), error: error ? `phase 2: ${error}` : null };
}

// ---------------------------------------------------------------------------------------------------------------
// The panel

const $ = (id) => document.getElementById(id);
const fixed = (x, digits) => (typeof x === 'number' ? x.toFixed(digits) : '');

function cell(row, text, numeric = false) {
  const td = document.createElement('td');
  td.textContent = text;
  if (numeric) td.className = 'num';
  row.append(td);
}

function renderTables(gather, render) {
  const summary = $('tp-summary-body');
  summary.replaceChildren();
  for (const r of summaryRows(gather, render)) {
    const tr = document.createElement('tr');
    tr.className = 'tp-summary-row';
    cell(tr, r.phase);
    cell(tr, r.mode);
    cell(tr, r.workers ?? '', true);
    cell(tr, fixed(r.avg_task_s, 4), true);
    cell(tr, fixed(r.phase_s, 4), true);
    cell(tr, r.checksum);
    summary.append(tr);
  }
  const log = $('tp-log-body');
  log.replaceChildren();
  for (const r of logRows(gather, render)) {
    const tr = document.createElement('tr');
    tr.className = 'tp-log-row';
    cell(tr, r.phase);
    cell(tr, r.task, true);
    cell(tr, fixed(r.start_s, 3), true);
    cell(tr, fixed(r.end_s, 3), true);
    cell(tr, r.worker, true);
    cell(tr, r.pid, true);
    cell(tr, r.cpu === null ? '—' : r.cpu.toFixed(0), true);
    cell(tr, r.rss_kib === null ? '—' : (r.rss_kib / 1024).toFixed(1), true);
    log.append(tr);
  }
}

/// Reads and checks the form against the parameter table's bounds; {config} or {error, input}.
function readForm() {
  const specs = deps.getSpecs() ?? [];
  const bound = (name) => {
    const spec = specs.find((s) => s.workload === 'cv' && s.name === name);
    return [Number(spec.min), Number(spec.max)];
  };
  const number = (id, name, integer, [min, max]) => {
    const input = $(id);
    const text = input.value.trim();
    const value = Number(text);
    if (text === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
      return { error: `${name} must be ${integer ? 'a whole number' : 'a number'} between ${min} and ${max} (got "${text}")`, input };
    }
    return { value };
  };
  const fields = [
    ['tp-count', 'count', true, bound('count')],
    ['tp-latency', 'latency (ms)', false, bound('latency_ms')],
    ['tp-size', 'page size (kpx)', true, bound('page_kpx')],
    ['tp-gather-workers', 'phase 1 workers', true, [1, getFieldMaxWorkers($('tp-gather-mode').value)]],
    ['tp-render-workers', 'phase 2 workers', true, [1, getFieldMaxWorkers($('tp-render-mode').value)]],
  ];
  const values = [];
  for (const [id, name, integer, bounds] of fields) {
    const read = number(id, name, integer, bounds);
    if (read.error) return read;
    values.push(read.value);
  }
  const [count, latency_ms, page_kpx, gatherWorkers, renderWorkers] = values;
  for (const id of ['tp-gather-mode', 'tp-render-mode']) {
    const input = $(id);
    if (!isMode(input.value) || input.selectedOptions[0]?.disabled) {
      return { error: `${input.value} is not available on this page`, input };
    }
  }
  return { config: { count, latency_ms, page_kpx,
    gather: { mode: $('tp-gather-mode').value, workers: gatherWorkers },
    render: { mode: $('tp-render-mode').value, workers: renderWorkers } } };
}

function setStatus(text, kind) {
  const status = $('tp-status');
  status.textContent = text;
  status.dataset.kind = kind;
}

async function onRun(event) {
  event.preventDefault();
  if (deps.isBusy()) return;
  for (const input of $('tp-form').querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  const read = readForm();
  if (read.error) {
    read.input.setAttribute('aria-invalid', 'true');
    read.input.focus();
    setStatus(read.error, 'error');
    return;
  }
  const panel = $('two-phase');
  panel.dataset.state = 'running';
  $('tp-run').disabled = true;
  setStatus('Running phase 1 (gather), then phase 2 (render)…', 'running');
  try {
    const job = await runTwoPhaseJob(read.config);
    if (job.gather) renderTables(job.gather, job.render);
    if (job.merged) deps.showTimeline(job.merged, describeMerged(job));
    const total = (job.gather?.wall_s ?? 0) + (job.render?.wall_s ?? 0);
    setStatus(job.error ? `Error: ${job.error}` : `Done: job ${job.id}, ${total.toFixed(3)} s in all.`, job.error ? 'error' : 'done');
    panel.dataset.state = job.error ? 'error' : 'done';
  } catch (error) {
    setStatus(`Error: ${error.message}`, 'error');
    panel.dataset.state = 'error';
  } finally {
    $('tp-run').disabled = false;
  }
}

/// The timeline's caption for a merged job.
function describeMerged({ id, gather, render }) {
  const rows = (run, first) => (run.workers === 1 ? `row ${first}` : `rows ${first}–${first + run.workers - 1}`);
  let text = `Timeline of two-phase job ${id}: phase 1 (gather: ${gather.mode}, ${gather.workers} workers) on worker ${rows(gather, 0)}`;
  if (render) text += `, then phase 2 (render: ${render.mode}, ${render.workers} workers) on worker ${rows(render, gather.workers)}, shifted by phase 1's ${gather.wall_s.toFixed(3)} s`;
  return `${text}. The lighter bars are each photo's simulated download latency.`;
}

/// Wires the panel. deps: { runJobs, ensureReady, isBusy, getSpecs: () => specs, showTimeline(run, caption) }.
export function initTwoPhasePanel(dependencies) {
  deps = dependencies;
  const form = $('tp-form');
  if (!form) return;
  form.addEventListener('submit', onRun);
}

/// Fills the phases' mode menus from the lab info once it is known; without cross-origin isolation the modes that
/// need the pthread build are offered disabled, and the fallback mode chosen instead.
export function renderTwoPhaseModes() {
  const most = String(getLimits().max_workers);
  if ($('tp-workers-max')) $('tp-workers-max').textContent = most;
  for (const id of ['tp-gather-workers', 'tp-render-workers']) if ($(id)) $(id).max = most;
  for (const select of [$('tp-gather-mode'), $('tp-render-mode')]) {
    if (!select) continue;
    renderModeOptions(select);
    if (self.crossOriginIsolated === true) continue;
    for (const option of select.options) {
      if (needsPthreads(option.value)) {
        option.disabled = true;
        option.textContent += ' (needs a cross-origin isolated page)';
      }
    }
    if (select.selectedOptions[0]?.disabled) select.value = getFallbackMode();
  }
}
