// The embed page: one experiment from the address (url-state.js), Run/Stop, a timeline and a table of results; with
// ?card=ID in the address, one guided card instead (embed-card.js, loaded only then).
// Framed by another site the page is not cross-origin isolated, so the lab worker loads the build without pthreads
// (parlab_st): the modes that need no pthreads work, the threads modes do not, and the page says so in a sentence.
import { LabBridge, describeThreadWait } from './bridge.js';
import { makeTimelineConfig } from './charts.js';
import { getDefaultMode, getFallbackMode, getFieldMaxWorkers, getMaxWorkers, getModeNames, hasSeparateMemory, isOneWorker, needsPthreads } from './modes.js';
import { parseSetup, serialiseSetup } from './url-state.js';
import { checkParam, el, renderModeOptions, setProgress, setStatus } from './views.js';

const $ = (id) => document.getElementById(id);
const ui = {
  title: $('embed-title'), setup: $('embed-setup'), note: $('embed-note'), linkNote: $('link-note'), form: $('embed-form'),
  mode: $('mode'), workers: $('workers'), run: $('run'), stop: $('stop'), progress: $('progress'), status: $('status'),
  canvas: $('timeline-chart'), results: $('embed-results'), fullLab: $('full-lab'),
};
const isolated = self.crossOriginIsolated === true;
const bridge = new LabBridge('lab-worker.js');
// For tests that count the page's workers: they hold still between runs once the lab worker's warm-up has ended.
bridge.onPthreadPoolWarm = () => { document.body.dataset.pool = 'warm'; };
let params = null;
let coldStart = false; // the link's cold_start=1: process workers start afresh for each run (url-state.js)
let chart = null;

/// The params object of a parsed set-up: its valid texts as values, only those of the chosen shape.
function paramsOf(setup, specs) {
  const workload = setup.workload ?? specs.find((s) => s.workload !== '')?.workload;
  const out = { workload };
  const shapeSpec = specs.find((s) => s.workload === workload && s.name === 'shape');
  const shape = setup.params.shape ?? shapeSpec?.default;
  for (const [name, text] of Object.entries(setup.params)) {
    const spec = specs.find((s) => (s.workload === workload || s.workload === '') && s.name === name);
    if (!spec || (spec.shape && spec.shape !== shape)) continue;
    out[name] = checkParam(spec, text).value;
  }
  return out;
}

const fullLabLink = (query) => {
  const url = new URL('./', location.href);
  url.search = query;
  return url.href;
};

/// One sentence on isolation, with a link to the full lab when threads are missing here.
function renderNote(threadsAvailable, query) {
  ui.note.dataset.isolated = String(isolated);
  if (isolated && threadsAvailable) {
    ui.note.textContent = 'This page is cross-origin isolated, so every mode runs here, threads included.';
    return;
  }
  const why = isolated ? 'the threaded WebAssembly build did not load here' : 'this embedded page is not cross-origin isolated';
  const others = getModeNames().filter((m) => !needsPthreads(m));
  const listed = `${others.slice(0, -1).join(', ')} and ${others.at(-1)}`;
  ui.note.replaceChildren(`Threads are not available because ${why}; ${listed} still work, and `,
    el('a', { href: fullLabLink(query), target: '_blank', rel: 'noopener', text: 'the full lab' }), ' has every mode.');
}

function syncWorkers() {
  const mode = ui.mode.value;
  ui.workers.max = String(getFieldMaxWorkers(mode));
  ui.workers.disabled = isOneWorker(mode);
}

function readWorkers() {
  const mode = ui.mode.value;
  if (isOneWorker(mode)) return 1;
  const max = getMaxWorkers(mode);
  const n = Number(ui.workers.value);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    setStatus(ui.status, `Not run: workers must be a whole number between 1 and ${max} in ${mode} mode.`, 'error');
    return null;
  }
  return n;
}

function outcome(run) {
  if (!run.ok) return `error: ${run.error ?? 'unknown'}`;
  if (!run.complete) return `stopped (${run.tasks_done ?? 0}/${run.task_count ?? '?'} tasks)`;
  return 'ok';
}

function addResult(run) {
  const wall = typeof run.wall_s === 'number' ? run.wall_s.toFixed(3) : '–';
  ui.results.prepend(el('tr', { className: 'embed-row', dataset: { mode: run.mode, ok: String(run.ok && run.complete) } },
    el('td', { text: run.mode }), el('td', { className: 'num', text: String(run.workers) }), el('td', { className: 'num', text: wall }),
    el('td', { className: 'mono checksum', text: run.checksum ?? '–' }), el('td', { text: outcome(run) })));
  if (typeof Chart === 'function') {
    chart?.destroy();
    Chart.defaults.animation = false;
    chart = new Chart(ui.canvas, makeTimelineConfig(run));
  }
}

async function onRun(event) {
  event.preventDefault();
  if (bridge.running || !params) return;
  const mode = ui.mode.value;
  const workers = readWorkers();
  if (workers === null) return;
  ui.run.disabled = true;
  ui.stop.disabled = false;
  document.body.dataset.running = 'true';
  const running = `Running ${params.workload}, ${mode}, ${workers} worker${workers === 1 ? '' : 's'}`;
  setStatus(ui.status, `${running}…`, 'running');
  try {
    const checked = await bridge.check(params);
    if (checked.error) throw new Error(checked.error);
    const totalHint = checked.taskCount;
    setProgress(ui.progress, 0, totalHint);
    const run = await bridge.run({ params, mode, workers, options: coldStart && hasSeparateMemory(mode) ? { cold_start: true } : {} }, {
      totalHint,
      onProgress: ({ done, total, threads }) => {
        setProgress(ui.progress, done, total);
        setStatus(ui.status, threads ? `${running}: ${describeThreadWait(threads)}…` : `${running}…`, 'running');
      },
    });
    addResult(run);
    setProgress(ui.progress, run.tasks_done ?? 1, run.task_count ?? 1);
    const kind = !run.ok ? 'error' : run.complete ? 'done' : 'stopped';
    setStatus(ui.status, run.ok && run.complete ? `Done: ${run.wall_s.toFixed(3)} s, checksum ${run.checksum}.` : `${outcome(run)}.`, kind);
  } catch (error) {
    setStatus(ui.status, `Error: ${error.message}.`, 'error');
  } finally {
    ui.run.disabled = false;
    ui.stop.disabled = true;
    document.body.dataset.running = 'false';
  }
}

async function start() {
  if (new URLSearchParams(location.search).has('card')) {
    try {
      const { startCardEmbed } = await import('./embed-card.js');
      await startCardEmbed(bridge);
    } catch (error) {
      $('embed-loading').textContent = `Error: the card did not load (${error.message}). Reload the page to try again.`;
    }
    return;
  }
  $('embed-loading').hidden = true;
  $('embed-form-view').hidden = false;
  ui.form.addEventListener('submit', onRun);
  ui.stop.addEventListener('click', () => bridge.stop());
  ui.mode.addEventListener('change', syncWorkers);
  let info;
  try {
    info = await bridge.ready;
  } catch (error) {
    setStatus(ui.status, `Error: ${error.message}. Reload to try again.`, 'error');
    return;
  }
  const { setup, notes } = parseSetup(location.search, info.paramSpecs);
  params = paramsOf(setup, info.paramSpecs);
  coldStart = setup.coldStart === true;
  const threads = isolated && info.threadsAvailable;
  renderModeOptions(ui.mode);
  for (const option of ui.mode.options) {
    if (!needsPthreads(option.value)) continue;
    option.disabled = !threads;
    if (!threads) option.textContent += ' (unavailable here)';
  }
  const asked = setup.mode ?? getDefaultMode();
  if (needsPthreads(asked) && !threads) {
    notes.push(`The link asks for ${asked}, which needs cross-origin isolation; ${getFallbackMode()} is selected instead.`);
    ui.mode.value = getFallbackMode();
  } else {
    ui.mode.value = asked;
  }
  if (setup.workers !== undefined) ui.workers.value = String(setup.workers);
  syncWorkers();
  const { workload, ...shown } = params;
  const summary = Object.entries(shown).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : v}`).join(', ');
  ui.title.textContent = `parlab: ${workload}`;
  ui.setup.textContent = `${workload} with ${summary || 'its default parameters'}. Choose a mode and press Run.`;
  const query = serialiseSetup({ ...setup, mode: ui.mode.value });
  ui.fullLab.href = fullLabLink(query);
  renderNote(info.threadsAvailable, query);
  ui.linkNote.textContent = notes.join(' ');
  ui.linkNote.hidden = notes.length === 0;
  ui.run.disabled = false;
  document.body.dataset.ready = 'true';
  setStatus(ui.status, 'Ready: press Run.', 'done');
}

start();
