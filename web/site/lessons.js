// The guided experiments on the page: renders one card per lesson (experiments.js), keeps Run disabled until the
// learner has made a prediction, runs the card's defaults, and puts the prediction beside the measured result.
import { CARDS, INCONCLUSIVE, PAGE_LIMITS, REPEATS, jobsFor, nativeCommand, summarise, verdictLine } from './experiments.js';
import { getLimits, isOneWorker } from './modes.js';
import { el } from './views.js';

let ctx = null; // {runJobs, ensureReady, state, isolated, isBusy}
let running = false;
const lessonHtml = fetchLessons();

/// Called once by main.js with what the cards need from the page: runJobs(jobs) -> [{job, run}], ensureReady(),
/// the app state, whether the page is cross-origin isolated, and isBusy() (a run or sweep of the form in flight).
export function initLessons(context) {
  ctx = context;
  const container = document.getElementById('experiment-cards');
  if (!container) return;
  container.replaceChildren(...CARDS.map((card, i) => renderCard(card, i + 1)));
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
const env = (options = {}) => {
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
    text: card.textOnly ? 'Show the answer' : 'Run the experiment' });
  const status = el('p', { className: 'card-status', role: 'status', 'aria-live': 'polite' });
  const result = el('div', { className: 'card-result', hidden: true },
    el('p', { className: 'card-verdict' }), el('p', { className: 'card-measured' }), el('p', { className: 'card-spread hint' }),
    el('div', { className: 'card-why' }));
  const options = (card.options ?? []).map((o) => el('label', { className: 'card-option' },
    el('input', { type: 'checkbox', name: `option-${card.id}-${o.id}`, checked: true }), ` ${o.label}`));
  const lessonBody = el('div', { className: 'card-lesson-body', text: 'Loading the lesson…' });
  const details = el('details', { className: 'card-lesson' }, el('summary', { text: `Read lesson ${number} (docs/lessons/${card.lesson}.md)` }), lessonBody);
  details.addEventListener('toggle', () => { if (details.open) showLesson(card, lessonBody); }, { once: true });

  const what = planText(card, env());
  const native = nativeCommand(card)
    ? el('p', { className: 'card-native hint' }, 'Natively: ', el('code', { text: nativeCommand(card) }),
      ' (add ', el('code', { text: '--out results.json' }), ' and upload the file below to compare)',
      ...(card.cpython ? ['; CPython: ', el('code', { text: card.cpython })] : []), '.')
    : el('p', { className: 'card-native hint', text: 'No native preset: see the lesson for how to try it natively.' });

  const article = el('article', { className: 'card', id: `card-${card.id}`, dataset: { cardId: card.id, state: 'idle' } },
    el('h3', { text: `${number}. ${card.title}` }),
    el('p', { className: 'card-covers hint', text: card.covers }),
    el('p', { className: 'card-question', text: card.question }),
    predictions, ...options, el('p', { className: 'card-what hint', text: what }),
    el('div', { className: 'buttons' }, runButton), status, result, native, details);

  predictions.addEventListener('change', () => { runButton.disabled = running; });
  runButton.addEventListener('click', () => runCard(card, article));
  return article;
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
  for (const article of document.querySelectorAll('#experiment-cards .card')) {
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
  setAllRunButtons(true);
  article.dataset.state = 'running';
  article.querySelector('.card-result').hidden = true;
  for (const input of article.querySelectorAll('.card-predictions input')) input.disabled = true;
  try {
    let results = [];
    let note = '';
    if (!card.textOnly) {
      if (!(await ctx.ensureReady())) throw new Error('the lab worker did not start');
      status.textContent = 'Running…';
      const e = env(optionsOf(card, article));
      article.querySelector('.card-what').textContent = planText(card, e);
      article.dataset.maxWorkers = String(e.maxWorkers ?? PAGE_LIMITS.maxWorkers);
      ({ results, note } = await runRunner(card, status, e));
    }
    const summary = summarise(card, results, env(optionsOf(card, article)));
    showResult(card, article, chosen, summary, note);
    article.dataset.state = 'done';
    status.textContent = card.textOnly ? '' : 'Done: the runs are also in the runs table and the charts.';
  } catch (error) {
    article.dataset.state = 'error';
    status.textContent = `Error: ${error.message}`;
  } finally {
    running = false;
    for (const input of article.querySelectorAll('.card-predictions input')) input.disabled = false;
    setAllRunButtons(false);
  }
}

/// Runs the card's jobs, REPEATS rounds of each (every job once, then again, so that a busy spell spreads over
/// all of them); returns {results, note} where note names what this page could not run.
async function runRunner(card, status, e) {
  if (card.runner === 'ipc') return runIpc(card, status);
  const rounds = card.repeats ?? REPEATS;
  if (card.runner === 'two-phase') return runTwoPhase(card, status, e, rounds);
  const { runnable, skipped } = jobsFor(card, e);
  const results = [];
  for (let round = 1; round <= rounds; round++) {
    if (rounds > 1) status.textContent = `Running round ${round} of ${rounds}…`;
    const made = await ctx.runJobs(runnable);
    results.push(...made.map((m) => ({ job: m.job, run: m.run, error: m.error })));
    if (made.length < runnable.length) break; // stopped
  }
  return { results, note: skippedNote(skipped) };
}

function skippedNote(skipped) {
  if (!skipped.length) return '';
  return `Not run on this page: ${skipped.map((s) => describeJob(s.job)).join(', ')} (${skipped[0].reason}).`;
}

async function runIpc(card, status) {
  const ipc = await import('./ipc.js');
  const hello = await ipc.sayHello();
  const measured = await ipc.measureIpc({
    size: card.ipc.size,
    count: card.ipc.count,
    onProgress: ({ transport, done, total }) => { status.textContent = `Running: ${transport}, ${done}/${total} messages…`; },
  });
  return { results: [{ ...measured, hello: hello.message }], note: '' };
}

async function runTwoPhase(card, status, e, rounds) {
  const module = await import('./two-phase.js');
  const results = [];
  const { runnable, skipped } = jobsFor(card, e);
  for (let round = 1; round <= rounds; round++) {
    for (const j of runnable) {
      status.textContent = `Running${rounds > 1 ? ` (round ${round} of ${rounds})` : ''}: ${describeJob(j)}…`;
      const { key, ...config } = j;
      const done = await module.runTwoPhaseJob(config);
      if (done.error) throw new Error(`${describeJob(j)}: ${done.error}`);
      const gather_s = done.gather?.wall_s;
      const render_s = done.render?.wall_s;
      results.push({ job: j, gather_s, render_s, total_s: gather_s + render_s, render_startup_s: done.render?.startup_s ?? 0 });
    }
  }
  return { results, note: skippedNote(skipped) };
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
