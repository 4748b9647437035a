// UI wiring: connects the controls to the lab-worker bridge and the app state, and re-renders tables and charts.
import { LabBridge } from './bridge.js';
import { renderChartTables } from './chart-tables.js';
import { cpuMarks, createCharts } from './charts.js';
import { initIpcPanel } from './ipc-panel.js';
import { initLessons } from './lessons.js';
import * as results from './results.js';
import { wireRunsPanel } from './runs-panel.js';
import { keepSetupInUrl, wireShare } from './share.js';
import { AppState } from './state.js';
import { initTwoPhasePanel } from './two-phase.js';
import * as urlState from './url-state.js';
import * as views from './views.js';

const $ = (id) => document.getElementById(id);
const ui = {
  coiStatus: $('coi-status'), hwConcurrency: $('hw-concurrency'), buildInfo: $('build-info'),
  form: $('run-form'), workload: $('workload'), params: $('params'), mode: $('mode'),
  workers: $('workers'), workersValue: $('workers-value'), run: $('run'), stop: $('stop'),
  sweepModes: $('sweep-modes'), sweepWorkers: $('sweep-workers'), sweep: $('sweep'),
  switchIntervalField: $('switch-interval-field'), switchInterval: $('switch-interval-ms'), workersHint: $('workers-hint'),
  formError: $('form-error'), progress: $('progress'), status: $('status'),
  timelineCaption: $('timeline-caption'), speedupGroup: $('speedup-group'), chartsNote: $('charts-note'),
  runsTable: $('runs-table'), exportButton: $('export'), clearRuns: $('clear-runs'),
  upload: $('upload'), dropZone: $('drop-zone'), uploadStatus: $('upload-status'), uploadSets: $('upload-sets'),
  comparisonBody: $('comparison-body'),
};

/// Workers of the pool-based modes (the browser's pthread pool size; processes keep to it too), and of async,
/// whose workers are slots on one thread (as many as natively).
const MAX_WORKERS = 16;
const MAX_ASYNC_WORKERS = 256;
const maxWorkersOf = (mode) => (mode === 'async' ? MAX_ASYNC_WORKERS : MAX_WORKERS);
/// Modes that need the pthread build, with their option and sweep labels.
const PTHREAD_MODES = {
  threads: { option: 'threads (shared memory)', check: 'threads' },
  'threads-gil': {
    option: 'threads-gil: threads under a simulated interpreter lock (like CPython)',
    check: 'threads-gil: threads under a simulated interpreter lock (like CPython)',
  },
};
const isolated = self.crossOriginIsolated === true;
const state = new AppState();
// ?test-hang=init|run|task (tests only): a lab worker, or process worker 1, that never answers (watchdog tests).
const bridge = new LabBridge('lab-worker.js', { testHang: new URLSearchParams(location.search).get('test-hang') });
/// Offered whenever the page gave up on a lab worker (not ready in time, a run stalled): starts a fresh one.
const freshWorkerButton = Object.assign(document.createElement('button'), {
  type: 'button', id: 'fresh-worker', textContent: 'Start a fresh lab worker', hidden: true,
});
const paramTexts = new Map(); // workload -> Map(name -> text): the user's entries survive switching workloads
let shownWorkload = null;
let busy = false;
let sweepStopped = false;
let charts = null;
/// A run the timeline shows instead of the chosen one (the two-phase panel's merged job) until the runs change.
let timelineOverride = null;

// ---------------------------------------------------------------------------------------------------------------
// Environment: cross-origin isolation, CPUs, which modes are available

/// Why the pthread-based modes (threads, threads-gil) cannot run here, or null when they can.
function threadsUnavailableReason() {
  if (!isolated) return 'needs a cross-origin isolated page';
  if (state.ready && !state.ready.threadsAvailable) return 'the threaded WebAssembly build did not load';
  return null;
}

function renderEnvironment() {
  const reason = threadsUnavailableReason();
  if (!isolated) {
    ui.coiStatus.textContent = 'This page is not cross-origin isolated (the server sent no COOP/COEP headers), so the threads and threads-gil modes are disabled; sequential, async (on the lab worker\'s own event loop) and processes still work.';
  } else if (reason) {
    ui.coiStatus.textContent = 'This page is cross-origin isolated, but the threaded WebAssembly build did not load, so the threads and threads-gil modes are disabled; sequential, async and processes still work.';
  } else {
    ui.coiStatus.textContent = 'This page is cross-origin isolated, so all five modes are available: sequential, threads, threads-gil, async and processes.';
  }
  ui.coiStatus.dataset.isolated = String(isolated);

  const hw = navigator.hardwareConcurrency;
  ui.hwConcurrency.textContent = Number.isInteger(hw) ? String(hw) : 'unknown';

  for (const [mode, labels] of Object.entries(PTHREAD_MODES)) {
    const option = ui.mode.querySelector(`option[value="${mode}"]`);
    const check = ui.sweepModes.querySelector(`input[value="${mode}"]`);
    const label = $(`sweep-${mode}-label`);
    option.disabled = reason !== null;
    check.disabled = reason !== null;
    if (reason) {
      option.textContent = `${labels.option} (unavailable: ${reason})`;
      option.title = `The ${mode} mode ${reason}.`;
      if (label) label.textContent = `${labels.check} (unavailable: ${reason})`;
      check.checked = false;
      if (ui.mode.value === mode) ui.mode.value = 'sequential';
    }
  }
  updateModeControls();
}

const MODE_HINTS = {
  sequential: 'Sequential always uses 1 worker, whatever the slider says.',
  threads: 'pthreads on Web Workers, all sharing one WebAssembly memory.',
  'threads-gil': 'The same pthreads, but a task computes only while its thread holds one simulated interpreter lock (like CPython\'s GIL); waits on simulated latency release it.',
  async: 'One thread with an event loop (like asyncio): up to "workers" tasks in flight, their waits overlap, their computations run one at a time. Workers are slots, 1 to 256.',
  processes: 'Separate Web Workers, each with its own WebAssembly instance and memory; each one starts up first.',
};

/// The mode hint, the switch-interval field (threads-gil, in a run or a sweep) and the workers slider's range.
function updateModeControls() {
  const mode = ui.mode.value;
  $('mode-hint').textContent = MODE_HINTS[mode] ?? '';
  const gilSwept = ui.sweepModes.querySelector('input[value="threads-gil"]');
  ui.switchIntervalField.hidden = !(mode === 'threads-gil' || (gilSwept?.checked && !gilSwept.disabled));
  const max = maxWorkersOf(mode);
  if (Number(ui.workers.value) > max) ui.workers.value = String(max);
  ui.workers.max = String(max);
  ui.workersValue.textContent = ui.workers.value;
  ui.workersHint.textContent = mode === 'async'
    ? '1 to 256: slots of the one event loop, not threads.'
    : '1 to 16 (the size of the browser\'s thread pool).';
}

/// The switch interval for threads-gil runs (ms), checked; null (with the message shown) when out of bounds.
function readSwitchInterval() {
  const { min, max } = results.SWITCH_INTERVAL_MS;
  const text = ui.switchInterval.value.trim();
  const ms = Number(text);
  if (text === '' || !Number.isFinite(ms) || ms < min || ms > max) {
    ui.switchIntervalField.hidden = false;
    ui.switchInterval.setAttribute('aria-invalid', 'true');
    showFormError(`the switch interval must be a number of milliseconds between ${min} and ${max}`, ui.switchInterval);
    return null;
  }
  ui.switchInterval.setAttribute('aria-invalid', 'false');
  return ms;
}

/// The run's extra settings: threads-gil takes the switch interval.
const optionsFor = (mode, switchIntervalMs) => (mode === 'threads-gil' ? { switch_interval_ms: switchIntervalMs } : {});

function renderBuildInfo(info) {
  const b = info.buildInfo ?? {};
  const threads = b.threads ? 'with pthreads' : 'single-threaded (no pthreads)';
  ui.buildInfo.textContent = `WebAssembly build: parlab ${b.version ?? '?'}, ${b.compiler ?? 'unknown compiler'}, ${threads}.`;
}

// ---------------------------------------------------------------------------------------------------------------
// Parameter form

function showParams() {
  if (shownWorkload) paramTexts.set(shownWorkload, views.paramTexts(ui.params));
  shownWorkload = ui.workload.value;
  views.renderParamForm(ui.params, state.paramSpecs, shownWorkload, paramTexts.get(shownWorkload));
}

/// The form's params, checked against the specs; null (with the message shown) when a field is wrong.
function readParams() {
  const read = views.readParamForm(ui.params, state.paramSpecs, ui.workload.value);
  if (read.error) {
    showFormError(read.error, read.input);
    return null;
  }
  showFormError('');
  return read.params;
}

function showFormError(message, input = null) {
  ui.formError.textContent = message;
  if (message) {
    views.setStatus(ui.status, `Not run: ${message}.`, 'error');
    input?.focus();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Running

function setBusy(value) {
  busy = value;
  ui.run.disabled = value;
  ui.sweep.disabled = value;
  ui.stop.disabled = !value;
  document.body.dataset.running = String(value);
}

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

function describeJob(job) {
  const interval = job.options?.switch_interval_ms;
  const mode = interval === undefined ? job.mode : `${job.mode} (switch interval ${interval} ms)`;
  return `${job.params.workload}, ${mode}, ${plural(job.workers, 'worker')}`;
}

/// [word, details] for the status line: "Done" / "Stopped" / "Error" and what came back.
function describeOutcome(run) {
  const wall = typeof run.wall_s === 'number' ? `${run.wall_s.toFixed(3)} s` : 'no time';
  if (!run.ok && bridge.stuck && run.error === bridge.stuck) {
    return ['Stalled', `${run.error}; kept ${run.tasks_done ?? 0}/${run.task_count ?? '?'} finished tasks, ended its workers`];
  }
  if (!run.ok) return ['Error', run.error ?? 'the run failed'];
  if (!run.complete) return ['Stopped', `after ${run.tasks_done ?? run.tasks?.length ?? 0}/${run.task_count ?? '?'} tasks, ${wall}`];
  return ['Done', `${wall}, checksum ${run.checksum}`];
}

/// Runs the jobs one after another; Stop ends the current one and skips the rest. Returns [{job, run, error}]
/// for the jobs it ran (run null when the bridge threw).
async function runJobs(jobs) {
  setBusy(true);
  sweepStopped = false;
  const made = [];
  const groupId = state.beginBrowserGroup(jobs.length > 1 ? `sweep: ${plural(jobs.length, 'run')} of ${jobs[0].params.workload}` : describeJob(jobs[0]));
  let last = '';
  let lastKind = 'done';
  try {
    for (let i = 0; i < jobs.length && !sweepStopped; i++) {
      const job = jobs[i];
      const step = jobs.length > 1 ? ` (sweep ${i + 1}/${jobs.length})` : '';
      const label = describeJob(job);
      const totalHint = views.taskCountHint(job.params);
      views.setProgress(ui.progress, 0, totalHint);
      views.setStatus(ui.status, `Running${step}: ${label}…`, 'running');
      try {
        const run = await bridge.run(job, {
          totalHint,
          onProgress: ({ done, total }) => {
            views.setProgress(ui.progress, done, total);
            const count = total ? `${done}/${total}` : String(done);
            views.setStatus(ui.status, `${sweepStopped ? 'Stopping' : 'Running'}${step}: ${label}; ${count} tasks done`, 'running');
          },
        });
        if (job.job) run.job = job.job; // a phase of a two-phase job (two-phase.js)
        state.addBrowserRun(run, groupId);
        made.push({ job, run, error: null });
        views.setProgress(ui.progress, run.tasks_done ?? 1, run.task_count ?? 1);
        const [word, details] = describeOutcome(run);
        last = `${word}${step}: ${label}; ${details}`;
        lastKind = !run.ok ? 'error' : run.complete ? 'done' : 'stopped';
        if (bridge.stuck) sweepStopped = true; // the lab worker was given up on: the rest of a sweep waits for the user
      } catch (error) {
        views.setProgress(ui.progress, 0, 1);
        made.push({ job, run: null, error: error.message });
        last = `Error${step}: ${label}; ${error.message}`;
        lastKind = 'error';
      }
      views.setStatus(ui.status, last, lastKind === 'done' ? 'running' : lastKind);
    }
  } finally {
    setBusy(false);
    const skipped = sweepStopped && jobs.length > 1 ? '; the rest of the sweep was skipped' : '';
    const offer = bridge.stuck ? `. Press "${freshWorkerButton.textContent}" to go on` : '';
    views.setStatus(ui.status, `${last}${skipped}${offer}`, lastKind);
    freshWorkerButton.hidden = !bridge.stuck;
  }
  return made;
}

async function ensureReady() {
  if (state.ready) return true;
  views.setStatus(ui.status, 'Starting the lab worker…', 'running');
  try {
    onReady(await bridge.ready);
    freshWorkerButton.hidden = true;
    return true;
  } catch (error) {
    showStartFailure(error);
    return false;
  }
}

/// One line saying why the lab worker is not there, and the button that starts a fresh one.
function showStartFailure(error) {
  views.setStatus(ui.status, `Error: ${error.message}. Press "${freshWorkerButton.textContent}" (or Run) to try again.`, 'error');
  freshWorkerButton.hidden = false;
}

async function onFreshWorker() {
  if (busy) return;
  freshWorkerButton.hidden = true;
  views.setStatus(ui.status, 'Starting a fresh lab worker…', 'running');
  try {
    const info = await bridge.restart();
    if (state.ready) freshWorkerButton.hidden = true;
    else onReady(info);
    views.setStatus(ui.status, 'Ready: a fresh lab worker; choose a workload and press Run.', 'done');
  } catch (error) {
    showStartFailure(error);
  }
}

async function onRun(event) {
  event.preventDefault();
  if (busy || !(await ensureReady())) return;
  const params = readParams();
  if (!params) return;
  const mode = ui.mode.value;
  if (mode in PTHREAD_MODES && threadsUnavailableReason()) {
    showFormError(`the ${mode} mode ${threadsUnavailableReason()}`, ui.mode);
    return;
  }
  const switchIntervalMs = mode === 'threads-gil' ? readSwitchInterval() : null;
  if (mode === 'threads-gil' && switchIntervalMs === null) return;
  const workers = mode === 'sequential' ? 1 : Math.min(Number(ui.workers.value), maxWorkersOf(mode));
  await runJobs([{ params, mode, workers, options: optionsFor(mode, switchIntervalMs) }]);
}

/// The sweep's worker counts for the checked modes, in the order given without repeats; null with a message
/// when wrong. Each is 1..16, or 1..256 when the only modes with workers are async (its workers are slots of
/// one thread; the others are bounded by the browser's pool).
function readSweepWorkers(modes) {
  const bad = (message) => {
    showFormError(message, ui.sweepWorkers);
    ui.sweepWorkers.setAttribute('aria-invalid', 'true');
    return null;
  };
  const items = ui.sweepWorkers.value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const counts = [];
  for (const item of items) {
    const n = Number(item);
    if (!/^\d+$/.test(item) || n < 1 || n > MAX_ASYNC_WORKERS) {
      return bad(`worker counts must be whole numbers between 1 and ${MAX_WORKERS} (up to ${MAX_ASYNC_WORKERS} for async) (not: "${item}")`);
    }
    if (!counts.includes(n)) counts.push(n);
  }
  if (counts.length === 0) return bad(`worker counts must list at least one number between 1 and ${MAX_WORKERS}`);
  const pooled = modes.filter((m) => m !== 'sequential' && m !== 'async');
  const over = counts.find((n) => n > MAX_WORKERS);
  if (over !== undefined && pooled.length > 0) {
    return bad(`worker count ${over} is too many for ${pooled.join(', ')}: those modes take 1 to ${MAX_WORKERS} workers (the browser's pool size); only async takes up to ${MAX_ASYNC_WORKERS}`);
  }
  ui.sweepWorkers.setAttribute('aria-invalid', 'false');
  return counts;
}

async function onSweep() {
  if (busy || !(await ensureReady())) return;
  const params = readParams();
  if (!params) return;
  const modes = [...ui.sweepModes.querySelectorAll('input[name="sweep-mode"]')]
    .filter((box) => box.checked && !box.disabled)
    .map((box) => box.value);
  if (modes.length === 0) {
    showFormError('check at least one mode to sweep', ui.sweepModes.querySelector('input:not(:disabled)'));
    return;
  }
  const counts = readSweepWorkers(modes);
  if (!counts) return;
  const switchIntervalMs = modes.includes('threads-gil') ? readSwitchInterval() : null;
  if (modes.includes('threads-gil') && switchIntervalMs === null) return;
  const jobs = modes.flatMap((mode) => (mode === 'sequential' ? [1] : counts)
    .map((workers) => ({ params, mode, workers, options: optionsFor(mode, switchIntervalMs) })));
  await runJobs(jobs);
}

function onStop() {
  if (!busy) return;
  sweepStopped = true;
  bridge.stop();
  views.setStatus(ui.status, 'Stopping: the run returns with the tasks that finished…', 'running');
}

// ---------------------------------------------------------------------------------------------------------------
// Tables and charts, re-rendered from the state

function render() {
  const described = results.describeEntries(state.entries(), state.paramSpecs);
  const rows = results.runRows(described);

  const latestBrowser = described.filter((e) => e.kind === 'browser').at(-1);
  const shown = described.find((e) => e.id === state.timelineId) ?? latestBrowser ?? null;
  views.renderRunsTable(ui.runsTable, rows, { onShowTimeline: (id) => state.showTimeline(id), shownId: shown?.id });
  views.renderComparisonTable(ui.comparisonBody, results.comparisonRows(described));
  views.renderEnvironmentTable($('environment-body'), results.environmentColumns(state.uploadedSets, state.ready ? results.browserEnvironment(state.ready.buildInfo) : null));
  ui.exportButton.disabled = state.browserRuns.length === 0;
  ui.clearRuns.disabled = state.browserRuns.length === 0;

  const options = results.groupOptions(described);
  const keys = new Set(options.map((o) => o.key));
  const latestTimed = [...described].reverse().find((e) => keys.has(e.group) && e.kind === 'browser');
  const group = keys.has(state.speedupGroup) ? state.speedupGroup : latestTimed?.group ?? options[0]?.key ?? '';
  views.renderGroupSelect(ui.speedupGroup, options, group);

  const override = timelineOverride?.timelineId === state.timelineId && timelineOverride?.runs === state.browserRuns.length
    ? timelineOverride : null;
  const timelineRun = override?.run ?? shown?.run ?? null;
  if (override) ui.timelineCaption.textContent = override.caption;
  else if (shown) {
    const wall = typeof shown.run.wall_s === 'number' ? `, ${shown.run.wall_s.toFixed(3)} s` : '';
    ui.timelineCaption.textContent = `Timeline of a ${shown.source} run: ${shown.run.workload} (${shown.summary}), ${shown.modeLabel}, ${plural(shown.run.workers, 'worker')}${wall}. One row per worker, one bar per task (start to end, seconds since the run started); a lighter orange bar is simulated network latency, waited without using the CPU.${timelineNote(shown.run)}`;
  }
  const series = group ? results.speedupSeries(described, group) : [];
  const marks = cpuMarks(navigator.hardwareConcurrency, state.uploadedSets, series);
  const bound = group ? results.criticalPathOfGroup(described, group) : null;
  if (charts) {
    charts.showTimeline(timelineRun);
    charts.showSeries(series, marks, bound);
  }
  renderChartTables({
    timelineBody: $('timeline-data'), timelineNote: $('timeline-data-note'),
    speedupBody: $('speedup-data'), speedupNote: $('speedup-data-note'), timeBody: $('time-data'),
  }, { run: timelineRun, series, marks, bound });
}

/// What the timeline of a run of the new modes shows beyond the usual bars.
function timelineNote(run) {
  if (run.mode === 'threads-gil') {
    return ' Under the simulated interpreter lock a task computes only while its thread holds the lock: the dark stretches; the pale ones are its thread waiting for the lock. The threads take turns.';
  }
  if (run.mode === 'async') {
    return ' Here a worker is a slot of one event loop, and every row is the same thread: the waits overlap, the computations never do.';
  }
  return '';
}

// ---------------------------------------------------------------------------------------------------------------
// Upload and export

async function loadFiles(fileList) {
  const files = [...fileList];
  if (files.length === 0) return;
  const messages = [];
  let failed = false;
  ui.uploadStatus.textContent = `Reading ${plural(files.length, 'file')}…`;
  ui.uploadStatus.dataset.kind = 'busy';
  for (const file of files) {
    let set = null;
    try {
      const { data, notes } = await results.readResultsFile(file);
      set = state.addUploadedSet(file.name, data); // re-renders: a file that breaks rendering is taken out again
      const noted = notes.length ? ` (${notes.join('; ')})` : '';
      messages.push(`Loaded ${plural(data.runs.length, 'run')} from ${set.name} as “${set.label}”${noted}.`);
    } catch (error) {
      failed = true;
      if (set) state.removeUploadedSet(set.id);
      const reason = error instanceof results.ResultsFileError ? error.message : `${results.safeFileName(file.name)}: ${error.message}`;
      messages.push(`Not loaded: ${reason}. Nothing already loaded was changed.`);
    }
  }
  ui.uploadStatus.textContent = messages.join(' ');
  ui.uploadStatus.dataset.kind = failed ? 'error' : 'ok';
  ui.upload.value = '';
}

function onExport() {
  if (state.browserRuns.length === 0) return;
  const buildInfo = state.ready?.buildInfo;
  const file = results.buildResultsFile(state.browserRuns, results.browserEnvironment(buildInfo), buildInfo?.version ?? '0.1.0');
  results.downloadJson(file, results.BROWSER_FILE_NAME);
}

function wireDropZone() {
  const zone = ui.dropZone;
  const hasFiles = (event) => [...(event.dataTransfer?.types ?? [])].includes('Files');
  zone.addEventListener('dragenter', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragover', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  });
  zone.addEventListener('dragleave', (event) => {
    if (!zone.contains(event.relatedTarget)) zone.classList.remove('dragging');
  });
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('dragging');
    loadFiles(event.dataTransfer.files);
  });
  // A file dropped beside the zone must not make the browser navigate away from the page (and its runs).
  window.addEventListener('dragover', (event) => { if (!zone.contains(event.target)) event.preventDefault(); });
  window.addEventListener('drop', (event) => { if (!zone.contains(event.target)) event.preventDefault(); });
}

// ---------------------------------------------------------------------------------------------------------------
// Start-up

function onReady(info) {
  state.setReady(info);
  document.body.dataset.ready = 'true';
  renderBuildInfo(info);
  renderEnvironment();
  applyLinkSetup();
  showParams();
  updateModeControls();
  render();
}

/// Fills the form from the link's set-up (url-state.js) once the specs are known; what was left out is listed
/// in #link-note, one line.
function applyLinkSetup() {
  const { setup, notes } = urlState.parseSetup(location.search, state.paramSpecs);
  notes.push(...urlState.applySetupToForm(document, setup, paramTexts));
  $('link-note').textContent = notes.join(' ');
  $('link-note').hidden = notes.length === 0;
}

/// The form's set-up as a query, and a title for the embed code.
function currentSetup() {
  const setup = urlState.readSetupFromForm(document);
  return { query: urlState.serialiseSetup(setup), title: `parlab: ${setup.workload}, ${setup.mode}` };
}

function wire() {
  ui.form.addEventListener('submit', onRun);
  ui.stop.addEventListener('click', onStop);
  ui.status.after(freshWorkerButton);
  freshWorkerButton.addEventListener('click', onFreshWorker);
  ui.sweep.addEventListener('click', onSweep);
  ui.sweepWorkers.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      onSweep();
    }
  });
  ui.workload.addEventListener('change', () => {
    if (state.ready) showParams();
    showFormError('');
  });
  ui.params.addEventListener('change', (event) => {
    if (event.target.id === 'param-shape') views.updateShapeVisibility(ui.params);
  });
  ui.params.addEventListener('input', (event) => event.target.removeAttribute('aria-invalid'));
  ui.mode.addEventListener('change', updateModeControls);
  ui.sweepModes.addEventListener('change', updateModeControls);
  ui.switchInterval.addEventListener('input', () => ui.switchInterval.removeAttribute('aria-invalid'));
  ui.workers.addEventListener('input', () => { ui.workersValue.textContent = ui.workers.value; });
  ui.speedupGroup.addEventListener('change', () => state.chooseSpeedupGroup(ui.speedupGroup.value));
  ui.exportButton.addEventListener('click', onExport);
  ui.clearRuns.addEventListener('click', () => state.clearBrowserRuns());
  ui.upload.addEventListener('change', () => loadFiles(ui.upload.files));
  ui.form.addEventListener('change', () => { if (state.ready) keepSetupInUrl(currentSetup().query); });
  wireShare(currentSetup);
  wireDropZone();
  globalThis.matchMedia?.('(prefers-color-scheme: dark)').addEventListener('change', () => {
    charts?.retheme();
    render();
  });
  state.subscribe(render);
}

async function start() {
  wire();
  initLessons({ runJobs, ensureReady, state, isolated, isBusy: () => busy });
  ui.workersValue.textContent = ui.workers.value;
  renderEnvironment();
  wireRunsPanel(state);
  initIpcPanel();
  initTwoPhasePanel({
    runJobs, ensureReady, isBusy: () => busy, getSpecs: () => state.paramSpecs,
    showTimeline: (run, caption) => {
      timelineOverride = { run, caption, timelineId: state.timelineId, runs: state.browserRuns.length };
      render();
    },
  });
  try {
    charts = createCharts({ timeline: $('timeline-chart'), speedup: $('speedup-chart'), time: $('time-chart') });
  } catch (error) {
    charts = null;
    ui.chartsNote.textContent = `The charts could not be drawn (${error.message}); the tables still show every run.`;
    ui.chartsNote.hidden = false;
  }
  if (!charts && ui.chartsNote.hidden) {
    ui.chartsNote.textContent = 'Chart.js did not load, so there are no charts; the tables still show every run.';
    ui.chartsNote.hidden = false;
  }
  render();
  if (await ensureReady()) views.setStatus(ui.status, 'Ready: choose a workload and press Run.', 'done');
}

start();
