// The guided experiments: renders one card per lesson (experiments.js) on the lab page, or one card alone on the
// embed page (embed-card.js); keeps Run disabled until the learner has made a prediction, runs the card's defaults,
// and puts the prediction beside the measured result.
import { describeThreadWait } from './bridge.js';
import { cardPicture, hasPicture } from './card-picture.js';
import { fillBody } from './chart-tables.js';
import { drawChart } from './charts.js';
import { CARDS, INCONCLUSIVE, PAGE_LIMITS, REPEATS, jobsFor, mpiResults, nativeCommand, summarise, verdictLine } from './experiments.js';
import { getLimits, isOneWorker } from './modes.js';
import { el } from './views.js';

let ctx = null; // {runJobs, ensureReady, state, isolated, isBusy, stop, uploadFiles, doneNote, uploads}
let cardsRoot = null; // the element holding the rendered cards
let running = false;
let stopRequested = false; // the running card's Stop was pressed: no further run starts
let stopIpc = null; // aborts the IPC or responsiveness card's measurement
const drawn = new Map(); // card id -> its Chart instances, destroyed before the card draws again
const redraws = new Map(); // card id -> draws its last picture again (in the colours of a new theme)
const lessonHtml = fetchLessons();

/// Called once by main.js with what the cards need from the page: runJobs(jobs, {onProgress}) -> [{job, run}],
/// ensureReady(), the app state, whether the page is cross-origin isolated, isBusy() (a run or sweep of the form in
/// flight), stop() (ends the run in flight and skips the rest of runJobs' list) and uploadFiles(files) -> {text,
/// failed} (the page's Upload, for the MPI card's own button).
export function initLessons(context) {
  const container = document.getElementById('experiment-cards');
  if (!container) return;
  showCards(context, container, CARDS);
}

/// One card alone in `container` (the embed page, embed-card.js), rendered and run as on the lab page, with its
/// number in the lesson sequence. `context` as initLessons', and doneNote (the status line once a run is done),
/// uploads (false: the page has no results upload to point to).
export function initOneCard(context, card, container) {
  showCards(context, container, [card]);
}

function showCards(context, container, cards) {
  ctx = context;
  cardsRoot = container;
  container.replaceChildren(...cards.map((card) => renderCard(card, CARDS.indexOf(card) + 1)));
  // The charts take their colours from the theme when drawn: projector mode and dark mode draw them again.
  const redrawAll = () => { for (const redraw of redraws.values()) redraw(); };
  globalThis.addEventListener?.('parlab:displaychange', redrawAll);
  globalThis.matchMedia?.('(prefers-color-scheme: dark)').addEventListener('change', redrawAll);
}

/// The lessons' HTML (built from docs/lessons/*.md by web/build-site.mjs into lessons.json), {id: html}; {} if absent.
async function fetchLessons() {
  try {
    const response = await fetch('lessons.json');
    return response.ok ? await response.json() : {};
  } catch (_) {
    return {};
  }
}

/// What a card's plan and verdict depend on: the logical CPUs the browser reports, what this page can run (the
/// lab info's limits: the pthread pool's most workers, the event loop's slots), the workloads it knows, and the
/// card's options.
export const cardEnv = (options = {}) => {
  const limits = getLimits();
  const poolSize = limits?.max_workers;
  const slots = limits?.max_async_workers;
  return {
    isolated: ctx?.isolated === true,
    cores: navigator.hardwareConcurrency,
    ...(Number.isInteger(poolSize) && poolSize > 1 ? { maxWorkers: poolSize } : {}),
    ...(Number.isInteger(slots) && slots > 0 ? { maxAsync: slots } : {}),
    workloads: [...new Set((ctx?.state?.paramSpecs ?? []).map((s) => s.workload).filter((w) => w))],
    options,
  };
};

/// The card's options as the learner set them ({id: checked}).
const optionsOf = (card, article) => Object.fromEntries((card.options ?? [])
  .map((o) => [o.id, article.querySelector(`input[name="option-${card.id}-${o.id}"]`)?.checked !== false]));

/// What a card will run on this page: its plan for the CPUs the browser reports (redone when Run is pressed, once the
/// lab worker has said how many workers its pool holds).
function planText(card, e) {
  if (card.textOnly) return 'Nothing runs: the lab has no library that is parallel inside (see the lesson).';
  if (card.runs) return card.runs;
  if (card.runner === 'ipc') return `Runs: a hello from a child worker, then ${card.ipc.count} round trips of ${card.ipc.size} bytes.`;
  const repeats = card.repeats ?? REPEATS;
  return `Planned for the ${e.cores ?? '?'} logical CPUs this browser reports; runs, one after another${repeats > 1 ? `, ${repeats} times each` : ''}: ${(card.plan(e) ?? []).map(describeJob).join('; ')}.`;
}

function describeJob(j) {
  if (j.gather) return `gather ${j.gather.mode} ×${j.gather.workers}, render ${j.render.mode} ×${j.render.workers}`;
  return `${j.params.workload} ${j.mode}${isOneWorker(j.mode) ? '' : ` ×${j.workers}`}`;
}

function renderCard(card, number) {
  const name = `predict-${card.id}`;
  const predictions = el('fieldset', { className: 'card-predictions' },
    el('legend', { text: 'Your prediction (choose one to enable Run)' }),
    ...card.predictions.map((p) => el('label', {},
      el('input', { type: 'radio', name, value: p.id }), ` ${p.text}`)));
  const runButton = el('button', { type: 'button', className: 'card-run primary', disabled: true,
    text: card.runLabel ?? (card.textOnly ? 'Show the answer' : 'Run the experiment') });
  const status = el('p', { className: 'card-status', role: 'status', 'aria-live': 'polite' });
  const stopButton = el('button', { type: 'button', className: 'card-stop', text: 'Stop' });
  stopButton.addEventListener('click', () => stopCard(article));
  const progress = el('div', { className: 'card-progress', hidden: true },
    el('progress', { className: 'card-progress-bar', max: 1, value: 0, 'aria-label': `Progress of experiment ${number}` }), stopButton);
  const lessonLink = el('button', { type: 'button', className: 'card-read-lesson small', text: `Read the whole lesson ${number}` });
  const result = el('div', { className: 'card-result', hidden: true },
    el('p', { className: 'card-verdict' }), el('p', { className: 'card-measured' }), el('p', { className: 'card-spread hint' }),
    el('div', { className: 'card-explain' },
      el('div', { className: 'card-picture', hidden: true }),
      el('div', { className: 'card-why' }), lessonLink,
      el('div', { className: 'card-timeline-area', hidden: true })));
  const options = (card.options ?? []).map((o) => el('label', { className: 'card-option' },
    el('input', { type: 'checkbox', name: `option-${card.id}-${o.id}`, checked: true }), ` ${o.label}`));
  const lessonBody = el('div', { className: 'card-lesson-body', text: 'Loading the lesson…' });
  const details = el('details', { className: 'card-lesson' }, el('summary', { text: `Read lesson ${number} (docs/lessons/${card.lesson}.md)` }), lessonBody);
  details.addEventListener('toggle', () => { if (details.open) showLesson(card, lessonBody); }, { once: true });
  lessonLink.addEventListener('click', () => {
    details.open = true;
    details.querySelector('summary').focus();
    details.scrollIntoView({ block: 'nearest' });
  });

  const what = planText(card, cardEnv());
  const commands = card.commands
    ? el('div', { className: 'card-native hint' }, el('p', { text: card.commands.intro }),
      el('ul', {}, ...card.commands.lines.map((c) => el('li', {}, el('code', { text: c })))))
    : null;
  const native = commands ?? (nativeCommand(card) && card.nativeApart
    ? el('p', { className: 'card-native hint' }, 'Natively: ', el('code', { text: nativeCommand(card) }), ` (${card.nativeApart}).`)
    : nativeCommand(card)
    ? el('p', { className: 'card-native hint' }, 'Natively: ', el('code', { text: nativeCommand(card) }),
      // The embed page has no upload to compare with (ctx.uploads false).
      ...(ctx?.uploads === false ? [] : [' (add ', el('code', { text: '--out results.json' }), ' and upload the file below to compare)']),
      ...(card.cpython ? ['; CPython: ', el('code', { text: card.cpython })] : []), '.')
    : el('p', { className: 'card-native hint', text: 'No native preset: see the lesson for how to try it natively.' }));
  const upload = card.runner === 'uploads' && ctx?.uploadFiles ? uploadField(card) : null; // none on the embed page

  const article = el('article', { className: 'card', id: `card-${card.id}`, dataset: { cardId: card.id, state: 'idle' } },
    el('h3', { text: `${number}. ${card.title}` }),
    el('p', { className: 'card-covers hint', text: card.covers }),
    el('p', { className: 'card-question', text: card.question }),
    predictions, ...options, el('p', { className: 'card-what hint', text: what }), upload,
    el('div', { className: 'buttons' }, runButton), status, progress, result, native, details);

  predictions.addEventListener('change', () => { runButton.disabled = running; });
  runButton.addEventListener('click', () => runCard(card, article));
  return article;
}

/// A card's own Upload, for a card that reads uploads (the MPI card): the page's Upload, so the files join the
/// uploaded sets, the runs table and the charts.
function uploadField(card) {
  const input = el('input', { type: 'file', accept: '.json,application/json', multiple: true, className: 'card-upload', id: `upload-${card.id}` });
  const status = el('p', { className: 'card-upload-status hint', role: 'status', 'aria-live': 'polite' });
  input.addEventListener('change', async () => {
    if (!ctx?.uploadFiles || input.files.length === 0) return;
    status.textContent = 'Reading…';
    const { text, failed } = await ctx.uploadFiles(input.files);
    status.textContent = text;
    status.dataset.kind = failed ? 'error' : 'ok';
    input.value = '';
  });
  return el('div', { className: 'field card-upload-field' },
    el('label', { for: `upload-${card.id}`, text: card.uploadLabel ?? 'Upload results files' }), input, status);
}

async function showLesson(card, body) {
  const html = (await lessonHtml)[card.lesson];
  if (!html) {
    body.textContent = `The lesson text was not built into this site; read docs/lessons/${card.lesson}.md.`;
    return;
  }
  // Our own HTML, generated at build time from docs/lessons; parsed inertly (no scripts run) and moved in as nodes.
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  body.replaceChildren(...parsed.body.childNodes);
}

function chosenPrediction(card, article) {
  return article.querySelector(`input[name="predict-${card.id}"]:checked`)?.value ?? null;
}

function setAllRunButtons(disabled) {
  for (const article of cardsRoot?.querySelectorAll('.card') ?? []) {
    const button = article.querySelector('.card-run');
    const chosen = article.querySelector('.card-predictions input:checked');
    button.disabled = disabled || !chosen;
  }
}

async function runCard(card, article) {
  const chosen = chosenPrediction(card, article);
  const status = article.querySelector('.card-status');
  if (!chosen || running) return;
  if (ctx?.isBusy?.()) {
    status.textContent = 'A run of the form above is in progress: wait for it (or Stop it) first.';
    return;
  }
  running = true;
  stopRequested = false;
  redraws.delete(card.id);
  setAllRunButtons(true);
  article.dataset.state = 'running';
  article.querySelector('.card-result').hidden = true;
  clearPicture(card, article);
  showProgress(article, true);
  for (const input of article.querySelectorAll('.card-predictions input')) input.disabled = true;
  try {
    let results = [];
    let note = '';
    if (!card.textOnly && !(await ctx.ensureReady())) throw new Error('the lab worker did not start');
    // After ready: the lab info's limits are known.
    let e = cardEnv(optionsOf(card, article));
    if (!card.textOnly) {
      status.textContent = 'Running…';
      article.querySelector('.card-what').textContent = planText(card, e);
      article.dataset.maxWorkers = String(e.maxWorkers ?? PAGE_LIMITS.maxWorkers);
      let cores;
      ({ results, note, cores } = await runRunner(card, article, e));
      // Uploaded results are judged for the CPUs of the machines that ran them, not this browser's.
      if (cores) e = { ...e, cores };
    }
    const summary = summarise(card, results, e);
    showResult(card, article, chosen, summary, note);
    const redraw = () => showPicture(card, article, cardPicture(card, results, summary, e, chosen));
    redraw();
    redraws.set(card.id, redraw);
    article.dataset.state = stopRequested ? 'stopped' : 'done';
    status.textContent = card.textOnly ? '' : stopRequested ? 'Stopped: what ran is judged and drawn; run it again for the whole experiment.'
      : ['ipc', 'responsiveness', 'uploads'].includes(card.runner) ? 'Done.' : ctx.doneNote ?? 'Done: the runs are also in the runs table and the charts.';
  } catch (error) {
    article.dataset.state = error.name === 'AbortError' ? 'stopped' : 'error';
    status.textContent = error.name === 'AbortError' ? 'Stopped.' : `Error: ${error.message}`;
  } finally {
    running = false;
    stopIpc = null;
    showProgress(article, false);
    for (const input of article.querySelectorAll('.card-predictions input')) input.disabled = false;
    setAllRunButtons(false);
  }
}

/// Runs the card's jobs, REPEATS rounds of each (every job once, then again, so that a busy spell spreads over
/// all of them); returns {results, note} where note names what this page could not run.
async function runRunner(card, article, e) {
  if (card.runner === 'ipc') return runIpc(card, article);
  if (card.runner === 'responsiveness') return runResponsiveness(card, article);
  if (card.runner === 'uploads') return readUploads();
  const rounds = card.repeats ?? REPEATS;
  if (card.runner === 'two-phase') return runTwoPhase(card, article, e, rounds);
  const { runnable, skipped } = jobsFor(card, e);
  const results = [];
  for (let round = 0; round < rounds && !stopRequested; round++) {
    const made = await ctx.runJobs(runnable, {
      onProgress: ({ index, done, total, threads }) => showRunProgress(article, round * runnable.length + index, rounds * runnable.length, describeJob(runnable[index]), done, total, threads),
    });
    results.push(...made.map((m) => ({ job: m.job, run: m.run, error: m.error })));
    if (made.length < runnable.length) break; // stopped
  }
  return { results, note: skippedNote(skipped) };
}

/// The card's own progress: "Run k of n: what; d/t tasks done" and its bar (runs done plus the share of this one).
function showRunProgress(article, index, count, what, done = 0, total = 0, threads = null) {
  const tasks = threads ? `; ${describeThreadWait(threads)}` : total > 0 ? `; ${done}/${total} tasks done` : '';
  article.querySelector('.card-status').textContent = `${stopRequested ? 'Stopping' : 'Running'}: run ${index + 1} of ${count}, ${what}${tasks}`;
  const bar = article.querySelector('.card-progress-bar');
  bar.max = count;
  bar.value = index + (total > 0 ? Math.min(done / total, 1) : 0);
}

function showProgress(article, on) {
  article.querySelector('.card-progress').hidden = !on;
  article.querySelector('.card-stop').disabled = !on;
}

function stopCard(article) {
  if (!running || article.dataset.state !== 'running') return;
  stopRequested = true;
  article.querySelector('.card-stop').disabled = true;
  article.querySelector('.card-status').textContent = 'Stopping: the run in progress returns with the tasks that finished…';
  stopIpc?.abort();
  ctx.stop?.();
}

function skippedNote(skipped) {
  if (!skipped.length) return '';
  return `Not run on this page: ${skipped.map((s) => describeJob(s.job)).join(', ')} (${skipped[0].reason}).`;
}

/// The MPI card: the uploaded runs it judges ({results, note, cores}); none uploaded is an error naming what to do.
function readUploads() {
  const { results, cpus } = mpiResults(ctx?.state?.uploadedSets);
  if (!results.length) throw new Error('no MPI results are uploaded yet: run the commands below and upload their files with the button above');
  return { results, note: '', cores: cpus ?? undefined };
}

async function runIpc(card, article) {
  const ipc = await import('./ipc.js');
  const hello = await ipc.sayHello();
  stopIpc = new AbortController();
  const measured = await ipc.measureIpc({
    size: card.ipc.size,
    count: card.ipc.count,
    signal: stopIpc.signal,
    onProgress: ({ transport, done, total }) => showRunProgress(article, 0, 1, transport, done, total),
  });
  return { results: [{ ...measured, hello: hello.message }], note: '' };
}

async function runTwoPhase(card, article, e, rounds) {
  const module = await import('./two-phase.js');
  const results = [];
  const { runnable, skipped } = jobsFor(card, e);
  for (let round = 0; round < rounds; round++) {
    for (const [i, j] of runnable.entries()) {
      if (stopRequested) return { results, note: skippedNote(skipped) };
      showRunProgress(article, round * runnable.length + i, rounds * runnable.length, describeJob(j));
      const { key, ...config } = j;
      const done = await module.runTwoPhaseJob(config);
      if (done.error && stopRequested) return { results, note: skippedNote(skipped) };
      if (done.error) throw new Error(`${describeJob(j)}: ${done.error}`);
      const gather_s = done.gather?.wall_s;
      const render_s = done.render?.wall_s;
      // The merged run (both phases on one time axis) is what the card's timelines draw.
      results.push({ job: j, gather_s, render_s, total_s: gather_s + render_s, render_startup_s: done.render?.startup_s ?? 0, render_warm_workers: done.render?.warm_workers, timeline: done.merged });
    }
  }
  return { results, note: skippedNote(skipped) };
}

/// The responsiveness card: its animation drawn on the card while the measurement runs (responsiveness.js).
async function runResponsiveness(card, article) {
  const { measureResponsiveness } = await import('./responsiveness.js');
  const stage = el('div', { className: 'resp-stage', hidden: true, 'aria-hidden': 'true' });
  article.querySelector('.card-progress').before(stage);
  stopIpc = new AbortController();
  try {
    const result = await measureResponsiveness(stage, card.resp, {
      signal: stopIpc.signal,
      onProgress: ({ step, of, what }) => showRunProgress(article, step, of, what),
    });
    return { results: [result], note: '' };
  } finally {
    stage.remove();
  }
}

function showResult(card, article, chosen, summary, note) {
  const result = article.querySelector('.card-result');
  article.querySelector('.card-verdict').textContent = verdictLine(card, chosen, summary);
  const uploads = card.compareUploads?.(ctx?.state?.uploadedSets) ?? [];
  article.querySelector('.card-measured').textContent = `Measured: ${summary.measured}${note ? ` ${note}` : ''}`
    + (uploads.length ? ` Uploaded results of the same tasks, beside this browser's: ${uploads.join('. ')}.` : '');
  article.querySelector('.card-spread').textContent = card.textOnly || !(summary.spread > 0) ? ''
    : `Spread: the repeats of a run differed by up to ${Math.round(summary.spread * 100)}% (the card judges their medians).`;
  const why = article.querySelector('.card-why');
  why.replaceChildren(el('p', { text: summary.verdict === INCONCLUSIVE ? 'What the figures show, and why:' : 'Why:' }),
    el('ol', {}, ...summary.steps.map((step) => el('li', { text: step }))));
  article.dataset.verdict = summary.verdict ?? '';
  result.hidden = false;
}

// ---------------------------------------------------------------------------------------------------------------
// The card's picture (card-picture.js): its timelines side by side and its speed-up chart, each with its table

/// Destroys the card's charts and empties its picture (before a run, so that a rerun leaks no Chart instance).
function clearPicture(card, article) {
  for (const chart of drawn.get(card.id) ?? []) chart.destroy();
  drawn.delete(card.id);
  for (const box of article.querySelectorAll('.card-picture, .card-timeline-area')) {
    box.replaceChildren();
    box.hidden = true;
  }
}

/// A figure: a caption, the canvas (its height from the rows it draws) and its data as a table.
function figure(className, caption, height, columns, rows, note = '') {
  const canvas = el('canvas', { role: 'img', 'aria-label': `${caption}; the same data is in the table below` });
  const body = el('tbody');
  fillBody(body, rows, 'Nothing was drawn.', columns.length, columns.map((_, i) => i).filter((i) => i > 0));
  const wrap = el('div', { className: 'card-canvas' }, canvas);
  wrap.style.height = `${height}px`;
  return {
    canvas,
    node: el('figure', { className },
      el('figcaption', { text: caption }), wrap,
      el('details', { className: 'chart-data' }, el('summary', { text: 'Data as a table' }),
        el('div', { className: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': `${caption}: data, scrollable` }, el('table', {},
          el('caption', { className: 'visually-hidden', text: caption }),
          el('thead', {}, el('tr', {}, ...columns.map((c) => el('th', { scope: 'col', text: c })))), body)),
        note ? el('p', { className: 'hint', text: note }) : null)),
  };
}

const TIMELINE_COLUMNS = ['task', 'worker', 'phase', 'start s', 'end s', 'waiting s', 'lock held s'];

function showPicture(card, article, picture) {
  clearPicture(card, article);
  if (!hasPicture(card) || !picture || (!picture.chart && picture.timelines.length === 0 && !picture.charts?.length)) return;
  const box = article.querySelector('.card-picture');
  const area = article.querySelector('.card-timeline-area');
  const charts = [];
  const draw = (canvas, config) => {
    const chart = drawChart(canvas, config);
    if (chart) charts.push(chart);
  };
  const made = [];
  if (picture.chart) {
    made.push([figure('card-figure card-speedup', `${card.title}: what was measured, the ideal, the bound and your prediction`, 360,
      picture.chart.columns, picture.chart.rows), picture.chart.config]);
  }
  if (picture.timelines.length) {
    const row = el('div', { className: 'card-timelines' });
    for (const t of picture.timelines) {
      const rows = t.config.data.labels.length;
      const startup = t.config.data.datasets.find((d) => /start-up/.test(d.label));
      const notes = [
        startup ? `${startup.label.replace(/ \(.*/, '')}: the first ${(t.run.startup_s * 1000).toFixed(0)} ms, before any task (the grey bar on every row).` : '',
        t.total > t.rows.length ? `Only the first ${t.rows.length} of the ${t.total} tasks are listed.` : '',
      ];
      const f = figure('card-figure card-timeline', `Timeline: ${t.title}`, Math.min(440, 130 + 22 * rows), TIMELINE_COLUMNS, t.rows,
        notes.filter(Boolean).join(' '));
      f.canvas.dataset.job = t.key;
      row.append(f.node);
      made.push([f, t.config]);
    }
    area.append(el('p', { className: 'hint card-timelines-note', text: `The timelines share one time axis (0 to ${picture.xMax.toFixed(2)} s), the median repeat of each run: one row per worker; dark bars compute, pale ones wait (simulated latency, or the interpreter lock), grey ones are start-up${picture.timelines.some((t) => t.run?.locks?.length) ? '; red bars hold one of the lab\'s locks, pale red ones wait for one' : ''}.` }), row);
    area.hidden = false;
  }
  if (picture.chart) {
    box.append(made[0][0].node);
    box.hidden = false;
  }
  for (const c of picture.charts ?? []) {
    const f = figure(`card-figure card-${c.key}`, c.title, 360, c.columns, c.rows);
    box.append(f.node);
    box.hidden = false;
    made.push([f, c.config]);
  }
  for (const [f, config] of made) draw(f.canvas, config);
  if (!charts.length) (box.hidden ? area : box).prepend(el('p', { className: 'hint', text: 'Chart.js did not load: the tables below hold what the charts would draw.' }));
  drawn.set(card.id, charts);
}
