// UI wiring: connects the controls to the lab-worker bridge and the app state, and re-renders tables and charts.
import { LabBridge, describeThreadWait } from './bridge.js';
import { wireCardShare } from './card-share.js';
import { renderChartTables } from './chart-tables.js';
import { cpuMarks, createCharts } from './charts.js';
import { initIpcPanel } from './ipc-panel.js';
import { initLessonNav } from './lesson-nav.js';
import { initLessons } from './lessons.js';
import * as modes from './modes.js';
import * as results from './results.js';
import { wireRunsPanel } from './runs-panel.js';
import { keepSetupInUrl, wireShare } from './share.js';
import { AppState } from './state.js';
import { initTraceView } from './trace-view.js';
import { initTwoPhasePanel, renderTwoPhaseModes } from './two-phase.js';
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
  upload: $('upload'), dropZone: $('drop-zone'), uploadStatus: $('upload-status'),
  comparisonBody: $('comparison-body'),
};

const isolated = self.crossOriginIsolated === true;
const state = new AppState();
// ?test-hang=init|run|task (tests only): a lab worker, or process worker 1, that never answers (watchdog tests).
const bridge = new LabBridge('lab-worker.js', { testHang: new URLSearchParams(location.search).get('test-hang') });
// For tests that count the page's workers: they hold still between runs once the lab worker's warm-up has ended.
bridge.onPthreadPoolWarm = () => { document.body.dataset.pool = 'warm'; };
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
/// The imported trace's view (trace-view.js): Upload sends a Chrome trace there instead of to the results checks.
let traceView = null;

// ---------------------------------------------------------------------------------------------------------------
// Environment: cross-origin isolation, CPUs, which modes are available

/// Why the modes that need the pthread build cannot run here, or null when they can.
function threadsUnavailableReason() {
  if (!isolated) return 'needs a cross-origin isolated page';
  if (state.ready && !state.ready.threadsAvailable) return 'the threaded WebAssembly build did not load';
  return null;
}

/// "a, b and c"
const listed = (names) => (names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`);

function renderEnvironment() {
  const reason = threadsUnavailableReason();
  if (state.ready) {
    const all = modes.getModeNames();
    const threaded = all.filter(modes.needsPthreads);
    const others = all.filter((m) => !modes.needsPthreads(m)).map((m) => (modes.isSlots(m) && !isolated ? `${m} (on the lab worker's own event loop)` : m));
    if (!isolated) {
      ui.coiStatus.textContent = `This page is not cross-origin isolated (the server sent no COOP/COEP headers), so the ${listed(threaded)} modes are disabled; ${listed(others)} still work.`;
    } else if (reason) {
      ui.coiStatus.textContent = `This page is cross-origin isolated, but the threaded WebAssembly build did not load, so the ${listed(threaded)} modes are disabled; ${listed(others)} still work.`;
    } else {
      ui.coiStatus.textContent = `This page is cross-origin isolated, so all ${all.length} modes are available: ${listed(all)}.`;
    }
  }
  ui.coiStatus.dataset.isolated = String(isolated);

  const hw = navigator.hardwareConcurrency;
  ui.hwConcurrency.textContent = Number.isInteger(hw) ? String(hw) : 'unknown';

  for (const mode of modes.getModeNames().filter(modes.needsPthreads)) {
    const option = ui.mode.querySelector(`option[value="${mode}"]`);
    const check = ui.sweepModes.querySelector(`input[value="${mode}"]`);
    option.disabled = reason !== null;
    check.disabled = reason !== null;
    if (reason) {
      option.textContent = `${modes.getModeLabel(mode)} (unavailable: ${reason})`;
      option.title = `The ${mode} mode ${reason}.`;
      check.parentElement.querySelector('span').textContent = `${modes.getModeLabel(mode)} (unavailable: ${reason})`;
      check.checked = false;
      if (ui.mode.value === mode) ui.mode.value = modes.getDefaultMode();
    }
  }
  updateModeControls();
}

const capitalised = (text) => text.charAt(0).toUpperCase() + text.slice(1);

/// The mode hint (the core's help), the switch-interval field (a mode under the interpreter lock, in a run or a
/// sweep) and the workers slider's range.
function updateModeControls() {
  if (!state.ready) return;
  const mode = ui.mode.value;
  $('mode-hint').textContent = `${capitalised(modes.getModeHelp(mode))}.`;
  const lockSwept = [...ui.sweepModes.querySelectorAll('input[name="sweep-mode"]')]
    .some((box) => modes.hasInterpreterLock(box.value) && box.checked && !box.disabled);
  ui.switchIntervalField.hidden = !(modes.hasInterpreterLock(mode) || lockSwept);
  const max = modes.getFieldMaxWorkers(mode);
  if (Number(ui.workers.value) > max) ui.workers.value = String(max);
  ui.workers.max = String(max);
  ui.workersValue.textContent = ui.workers.value;
  ui.workersHint.textContent = modes.isSlots(mode)
    ? `1 to ${max}: slots of the one event loop, not threads.`
    : modes.isOneWorker(mode) ? 'Always 1 worker, whatever the slider says.' : `1 to ${max} (the browser's thread pool grows to that many).`;
}

/// The switch interval for runs under the interpreter lock (ms), checked; null (with the message shown) when out
/// of bounds.
function readSwitchInterval() {
  const { min, max } = modes.getSwitchInterval();
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

/// The run's extra settings: a mode under the interpreter lock takes the switch interval; a mode with separate
/// memory, whether to start its process workers afresh (#cold-start) instead of reusing the warm ones.
const optionsFor = (mode, switchIntervalMs) => ({
  ...(modes.hasInterpreterLock(mode) ? { switch_interval_ms: switchIntervalMs } : {}),
  ...(modes.hasSeparateMemory(mode) && $('cold-start').checked ? { cold_start: true } : {}),
});

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

/// The form's params, each field checked against its spec and all of them by the core (bridge.check); null (with
/// the message shown, and the field it names marked) when something is wrong.
async function readParams() {
  const read = views.readParamForm(ui.params, state.paramSpecs, ui.workload.value);
  if (read.error) {
    showFormError(read.error, read.input);
    return null;
  }
  const checked = await bridge.check(read.params);
  if (checked.error) {
    const input = checked.parameter ? ui.params.querySelector(`#param-${CSS.escape(checked.parameter)}`) : null;
    input?.setAttribute('aria-invalid', 'true');
    showFormError(checked.error, input);
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
  return ['Done', `${wall}, checksum ${run.checksum}${counterText(run)}${warmText(run)}`];
}

/// How a processes run's workers started, for the status line ("" in other modes).
function warmText(run) {
  if (!Number.isInteger(run.warm_workers)) return '';
  const startup = typeof run.startup_s === 'number' ? `, start-up ${(run.startup_s * 1000).toFixed(1)} ms` : '';
  if (run.warm_workers === 0) return `; process workers started cold${startup}`;
  if (run.warm_workers >= run.workers) return `; process workers reused warm${startup}`;
  return `; ${run.warm_workers} of ${run.workers} process workers reused warm, the rest started${startup}`;
}

/// #warm-status: how many process workers the lab worker keeps warm now.
function showWarmPool(kept) {
  const status = $('warm-status');
  status.dataset.kept = String(kept);
  status.textContent = kept === 0 ? 'No process workers are kept warm.' : `${plural(kept, 'process worker')} kept warm (idle: no CPU used).`;
}

/// The counter workload's figures for the status line ("" for other workloads), as the text report words them.
function counterText(run) {
  if (!Number.isFinite(run.lost_updates)) return '';
  const made = Number(run.checksum);
  const share = made > 0 ? ` (${((100 * run.lost_updates) / made).toFixed(1)}%)` : '';
  const cost = Number.isFinite(run.ns_per_increment) ? `, ${run.ns_per_increment.toFixed(2)} ns per increment` : '';
  return `; counter ${run.counter_value} after ${run.checksum} increments: ${run.lost_updates} updates lost${share}${cost}`;
}

/// Runs the jobs one after another; Stop ends the current one and skips the rest. Returns [{job, run, error}]
/// for the jobs it ran (run null when the bridge threw). onProgress({index, done, total}): the job in flight and its tasks.
async function runJobs(jobs, { onProgress } = {}) {
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
      views.setProgress(ui.progress, 0, null);
      views.setStatus(ui.status, `Running${step}: ${label}…`, 'running');
      try {
        const checked = await bridge.check(job.params);
        if (checked.error) throw new Error(checked.error);
        const totalHint = checked.taskCount;
        views.setProgress(ui.progress, 0, totalHint);
        onProgress?.({ index: i, done: 0, total: totalHint });
        const run = await bridge.run(job, {
          totalHint,
          onProgress: ({ done, total, threads }) => {
            onProgress?.({ index: i, done, total, threads });
            views.setProgress(ui.progress, done, total);
            const count = threads ? describeThreadWait(threads) : `${total ? `${done}/${total}` : String(done)} tasks done`;
            views.setStatus(ui.status, `${sweepStopped ? 'Stopping' : 'Running'}${step}: ${label}; ${count}`, 'running');
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
  const params = await readParams();
  if (!params) return;
  const mode = ui.mode.value;
  if (modes.needsPthreads(mode) && threadsUnavailableReason()) {
    showFormError(`the ${mode} mode ${threadsUnavailableReason()}`, ui.mode);
    return;
  }
  const switchIntervalMs = modes.hasInterpreterLock(mode) ? readSwitchInterval() : null;
  if (modes.hasInterpreterLock(mode) && switchIntervalMs === null) return;
  const workers = Math.min(Number(ui.workers.value), modes.getMaxWorkers(mode));
  await runJobs([{ params, mode, workers, options: optionsFor(mode, switchIntervalMs) }]);
}

/// The sweep's worker counts for the checked modes, in the order given without repeats; null with a message
/// when wrong. Each is 1 to the most any checked mode takes, and at most what each checked mode with more than
/// one worker takes (slots of one thread go further than the browser's pool).
function readSweepWorkers(checked) {
  const bad = (message) => {
    showFormError(message, ui.sweepWorkers);
    ui.sweepWorkers.setAttribute('aria-invalid', 'true');
    return null;
  };
  const { max_workers: poolMax, max_async_workers: slotsMax } = modes.getLimits();
  const slotModes = modes.getModeNames().filter(modes.isSlots).join(', ');
  const items = ui.sweepWorkers.value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const counts = [];
  for (const item of items) {
    const n = Number(item);
    if (!/^\d+$/.test(item) || n < 1 || n > modes.getMaxAnyWorkers()) {
      return bad(`worker counts must be whole numbers between 1 and ${poolMax} (up to ${slotsMax} for ${slotModes}) (not: "${item}")`);
    }
    if (!counts.includes(n)) counts.push(n);
  }
  if (counts.length === 0) return bad(`worker counts must list at least one number between 1 and ${poolMax}`);
  const pooled = checked.filter((m) => !modes.isOneWorker(m) && !modes.isSlots(m));
  const over = counts.find((n) => n > poolMax);
  if (over !== undefined && pooled.length > 0) {
    return bad(`worker count ${over} is too many for ${pooled.join(', ')}: those modes take 1 to ${poolMax} workers (the browser's pool size); only ${slotModes} takes up to ${slotsMax}`);
  }
  ui.sweepWorkers.setAttribute('aria-invalid', 'false');
  return counts;
}

async function onSweep() {
  if (busy || !(await ensureReady())) return;
  const params = await readParams();
  if (!params) return;
  const checked = [...ui.sweepModes.querySelectorAll('input[name="sweep-mode"]')]
    .filter((box) => box.checked && !box.disabled)
    .map((box) => box.value);
  if (checked.length === 0) {
    showFormError('check at least one mode to sweep', ui.sweepModes.querySelector('input:not(:disabled)'));
    return;
  }
  const counts = readSweepWorkers(checked);
  if (!counts) return;
  const locked = checked.some(modes.hasInterpreterLock);
  const switchIntervalMs = locked ? readSwitchInterval() : null;
  if (locked && switchIntervalMs === null) return;
  const jobs = checked.flatMap((mode) => (modes.isOneWorker(mode) ? [1] : counts)
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
  // An uploaded MPI run's timeline places a rank that ran no task under its host, from its file's environment.
  const mpiHosts = !override && shown?.kind === 'uploaded' ? state.uploadedSets.find((s) => s.label === shown.source)?.environment?.mpi?.hosts : null;
  if (charts) {
    charts.showTimeline(mpiHosts && timelineRun ? { ...timelineRun, mpiHosts } : timelineRun);
    charts.showSeries(series, marks, bound);
  }
  renderChartTables({
    timelineBody: $('timeline-data'), timelineNote: $('timeline-data-note'),
    speedupBody: $('speedup-data'), speedupNote: $('speedup-data-note'), timeBody: $('time-data'),
  }, { run: timelineRun, series, marks, bound });
}

/// What the timeline of a run of the new modes shows beyond the usual bars.
function timelineNote(run) {
  if (modes.hasInterpreterLock(run.mode)) {
    return ' Under the simulated interpreter lock a task computes only while its thread holds the lock: the dark stretches; the pale ones are its thread waiting for the lock. The threads take turns.';
  }
  if (modes.isSlots(run.mode)) {
    return ' Here a worker is a slot of one event loop, and every row is the same thread: the waits overlap, the computations never do.';
  }
  if ((run.tasks ?? []).some((t) => Number.isInteger(t.rank))) {
    return ' Each row is a rank of the MPI job (a process of its own), labelled with its host; the ranks of one host are drawn together. Rank 0 handed out the tasks and has no row.';
  }
  return '';
}

// ---------------------------------------------------------------------------------------------------------------
// Upload and export

/// Uploads results files (the Workbench's Upload, its drop zone, the MPI card's own button): {text, failed}, the
/// text also shown under Upload.
async function loadFiles(fileList) {
  const files = [...fileList];
  if (files.length === 0) return { text: '', failed: false };
  const messages = [];
  let failed = false;
  ui.uploadStatus.textContent = `Reading ${plural(files.length, 'file')}…`;
  ui.uploadStatus.dataset.kind = 'busy';
  for (const file of files) {
    if (traceView && await traceView.isTraceFile(file)) {
      const shown = await traceView.showTraceFile(file);
      failed ||= !shown.ok;
      messages.push(shown.ok ? shown.message : `Not loaded: ${shown.message}. Nothing already loaded was changed.`);
      continue;
    }
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
  return { text: messages.join(' '), failed };
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
  views.renderModeOptions(ui.mode);
  views.renderModeChecks(ui.sweepModes, 'sweep-mode');
  renderTwoPhaseModes();
  const interval = modes.getSwitchInterval();
  Object.assign(ui.switchInterval, { min: String(interval.min), max: String(interval.max) });
  if (ui.switchInterval.value === '') ui.switchInterval.value = String(interval.default);
  $('switch-interval-bounds').textContent = `${interval.min} to ${interval.max}; ${interval.default} ms by default`;
  document.body.dataset.ready = 'true';
  performance.mark('parlab:ready');
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
  const retheme = () => {
    charts?.retheme();
    render();
  };
  globalThis.matchMedia?.('(prefers-color-scheme: dark)').addEventListener('change', retheme);
  window.addEventListener('parlab:displaychange', retheme); // projector mode (display-mode.js)
  state.subscribe(render);
}

async function start() {
  performance.mark('parlab:main-start');
  wire();
  bridge.onWarmPool = showWarmPool;
  initLessons({ runJobs, ensureReady, state, isolated, isBusy: () => busy, stop: onStop, uploadFiles: loadFiles });
  wireCardShare($('experiment-cards')); // each card's Copy link / Copy embed code
  initLessonNav(); // before anything waits for the lab worker: the first card paints without the wasm
  ui.workersValue.textContent = ui.workers.value;
  renderEnvironment();
  wireRunsPanel(state);
  traceView = initTraceView();
  initIpcPanel();
  initTwoPhasePanel({
    runJobs, ensureReady, isBusy: () => busy, getSpecs: () => state.paramSpecs,
    showTimeline: (run, caption) => {
      timelineOverride = { run, caption, timelineId: state.timelineId, runs: state.browserRuns.length };
      render();
    },
  });
  render();
  const ready = await ensureReady();
  // Chart.js's three charts are not needed for a working form: made after ready, they stay off its critical path
  // (~150-200 ms of the main thread on the busy 2-CPU machine; docs/performance.md, "Page ready").
  createPageCharts();
  render();
  if (ready) views.setStatus(ui.status, 'Ready: choose a workload and press Run.', 'done');
}

function createPageCharts() {
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
}

start();
