// The guided experiments: one card per lesson (docs/lessons/), as data plus pure functions of the CPUs and the runs.
// No DOM and no wasm here, so tests/web/experiments.test.mjs checks every card in Node; lessons.js renders them.
//
// Each card has: plan(env) -> its jobs, sized from the logical CPUs the page sees (env.cores) and what the page can
// run (env.maxWorkers, env.maxAsync); figures(view, env) -> the numbers it judges; judge(figures, cpus) -> a
// prediction id or INCONCLUSIVE (a pure function, tested with modelled results for 1 to 64 CPUs); measured(...) and
// steps(...) -> the text, built from the verdict and the figures so that no sentence contradicts the measurement.
// Which modes need the pthread build (a cross-origin isolated page) is the lab info's to say (modes.js).
import { isResultOnlyMode, needsPthreads } from './modes.js';

/// Each job of a card runs this many times (in rounds: every job once, then again); the card judges medians.
export const REPEATS = 3;
/// The verdict a card gives when the figures support none of its predictions, or the spread could change it.
export const INCONCLUSIVE = 'inconclusive';
/// The limits a plan assumes when its env gives none (a plan made outside the page, e.g. in the Node tests): the
/// pthread pool's starting size and the event loop's slots. On the page, lessons.js passes the lab info's limits.
export const PAGE_LIMITS = Object.freeze({ maxWorkers: 16, maxAsync: 256 });

// ---------------------------------------------------------------------------------------------------------------
// Small helpers (exported for the tests)

/// "1.9×" for a ratio, "?" when it cannot be computed.
export const times = (x) => (Number.isFinite(x) ? `${x.toFixed(x >= 10 ? 0 : 1)}×` : '?');
/// "1.23 s" / "45 ms" for seconds.
export const seconds = (s) => (!Number.isFinite(s) ? '?' : s >= 1 ? `${s.toFixed(2)} s` : `${(s * 1000).toFixed(0)} ms`);
const percent = (x) => `${Math.round(x * 100)}%`;
const uniqSorted = (xs) => [...new Set(xs)].sort((a, b) => a - b);
const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x));

/// The logical CPUs a plan is made for: a positive whole number, else 2 (the smallest machine the lab is made for).
export const coresOf = (env) => (Number.isInteger(env?.cores) && env.cores > 0 ? env.cores : 2);
/// The pool size and event-loop slots a plan may use: env's, else PAGE_LIMITS'.
export const limitsOf = (env) => ({
  maxWorkers: Number.isInteger(env?.maxWorkers) && env.maxWorkers > 0 ? env.maxWorkers : PAGE_LIMITS.maxWorkers,
  maxAsync: Number.isInteger(env?.maxAsync) && env.maxAsync > 0 ? env.maxAsync : PAGE_LIMITS.maxAsync,
});

const wallOf = (entry) => {
  const run = entry.run;
  return run && run.ok && run.complete && typeof run.wall_s === 'number' && run.wall_s > 0 ? run.wall_s : NaN;
};
/// Wall time less the pool's start-up: a browser "process" is a Web Worker that must start and instantiate its own
/// wasm (tens of ms each), which the CPU card leaves out because it asks whether they compute in parallel.
const busyOf = (entry) => {
  const wall = wallOf(entry);
  const startup = Number.isFinite(entry.run?.startup_s) ? entry.run.startup_s : 0;
  return wall - startup > 0 ? wall - startup : NaN;
};
const FIELDS = { wall: wallOf, busy: busyOf };

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/// The finite samples of one job (all its repeats) for a field: 'wall', 'busy', or a function of the entry.
export function samplesOf(results, key, field = 'wall') {
  const get = typeof field === 'function' ? field : FIELDS[field];
  return results.filter((r) => r.job?.key === key).map(get).filter((x) => Number.isFinite(x) && x > 0);
}

/// A way to read times from results: 'median' (what a card judges), or the ends of the spread: 'low' makes every
/// ratio as small as the repeats allow (slowest run over fastest baseline), 'high' as large.
export function makeView(results, pick = 'median') {
  const stat = (key, field, end) => {
    const xs = samplesOf(results, key, field);
    if (!xs.length) return NaN;
    if (pick === 'median') return median(xs);
    return end === 'max' ? Math.max(...xs) : Math.min(...xs);
  };
  return {
    pick,
    /// Median (or spread end) time of a job, NaN when it has no finished run.
    time: (key, field = 'wall') => stat(key, field, 'min'),
    /// Speed-up of job `key` over job `baseKey`: baseKey's time / key's time.
    ratio(baseKey, key, field = 'wall', baseField = 'wall') {
      const base = stat(baseKey, baseField, pick === 'low' ? 'min' : 'max');
      const run = stat(key, field, pick === 'low' ? 'max' : 'min');
      return base > 0 && run > 0 ? base / run : NaN;
    },
  };
}

/// The largest relative spread (max - min) / median among the jobs of the results, 0 with one run each.
export function spreadOf(results, field = 'wall') {
  let worst = 0;
  for (const key of new Set(results.map((r) => r.job?.key))) {
    const xs = samplesOf(results, key, field);
    if (xs.length > 1) worst = Math.max(worst, (Math.max(...xs) - Math.min(...xs)) / median(xs));
  }
  return worst;
}

/// How the process workers of some processes runs started, from each run's warm_workers and workers ({warm,
/// workers} pairs; runs that do not say are left out): "process workers started cold in 1 and reused warm in 2 of
/// 3 runs"; '' when none says. The page keeps process workers warm between runs (warm-pool.js), so a card that
/// speaks of their start-up says which it measured.
export function processStartsText(starts) {
  const known = starts.filter((s) => Number.isInteger(s?.warm) && Number.isInteger(s?.workers) && s.workers > 0);
  if (!known.length) return '';
  const cold = known.filter((s) => s.warm === 0).length;
  const warm = known.filter((s) => s.warm >= s.workers).length;
  const partly = known.length - cold - warm;
  const parts = [];
  if (cold) parts.push(`started cold in ${cold}`);
  if (partly) parts.push(`partly warm (some reused, some started) in ${partly}`);
  if (warm) parts.push(`reused warm in ${warm}`);
  const joined = parts.length < 2 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
  return `process workers ${joined} of ${known.length} run${known.length === 1 ? '' : 's'}`;
}

/// The {warm, workers} of the runs of jobs `keys` (for processStartsText).
const startsOf = (results, keys) => results.filter((r) => keys.includes(r.job?.key)).map((r) => ({ warm: r.run?.warm_workers, workers: r.run?.workers }));

/// Speed-up of run `key` over run `baseKey` (medians of their wall times), NaN when either is missing.
export const speedup = (results, baseKey, key) => makeView(results).ratio(baseKey, key);

const job = (key, params, mode, workers, options = {}) => ({ key, params, mode, workers, options });
/// The deadlock card: how long each task holds its first lock before it takes the second.
const DEADLOCK_HOLD_MS = 100;
const gil = { switch_interval_ms: 5 };
/// A processes job that starts its workers afresh instead of reusing the page's warm ones: for a card whose lesson
/// includes what starting processes costs (warm-pool.js).
const COLD = Object.freeze({ cold_start: true });

/// A card's jobs for this page: the ones it can run and, apart, the ones left out (threads on a page that is not
/// cross-origin isolated) with the reason.
export function jobsFor(card, env) {
  const all = card.plan ? card.plan(env) : [];
  const runnable = [];
  const skipped = [];
  for (const j of all) {
    const modes = j.gather ? [j.gather.mode, j.render.mode] : [j.mode];
    if (modes.some(needsPthreads) && !env.isolated) skipped.push({ job: j, reason: 'needs a cross-origin isolated page' });
    else runnable.push(j);
  }
  return { runnable, skipped };
}

/// The card's verdict and text from its results: the verdict of the medians, unless the verdict at either end of
/// the repeats' spread differs (then "inconclusive: the machine was busy"), or the judge finds none.
export function summarise(card, results, env) {
  const cpus = coresOf(env);
  if (card.textOnly) {
    const figures = {};
    return { verdict: null, reason: null, figures, spread: 0, measured: card.measured(figures, env), steps: card.steps(null, figures, env) };
  }
  const figures = card.figures(makeView(results), env, results);
  const judged = card.judge(figures, cpus);
  let verdict = judged?.verdict ?? judged;
  let reason = judged?.reason ?? null;
  const spread = spreadOf(results, card.spreadField ?? 'wall');
  if (verdict && verdict !== INCONCLUSIVE && (card.repeats ?? REPEATS) > 1) {
    const ends = ['low', 'high'].map((pick) => {
      const v = card.judge(card.figures(makeView(results, pick), env, results), cpus);
      return v?.verdict ?? v;
    });
    if (ends.some((v) => v !== verdict)) {
      reason = `the machine was busy: the ${REPEATS} repeats differ by up to ${percent(spread)}, enough to change the answer`;
      verdict = INCONCLUSIVE;
    }
  }
  if (verdict === INCONCLUSIVE && !reason) reason = 'the figures sit between the predictions';
  const known = verdict !== null && verdict !== undefined;
  return {
    verdict: known ? verdict : null,
    reason,
    figures,
    spread,
    measured: card.measured(figures, env, results),
    steps: known ? card.steps(verdict, figures, env) : [],
  };
}

/// The explanation's first line: the learner's prediction beside what the measurement supports.
export function verdictLine(card, chosenId, summary) {
  const chosen = card.predictions.find((p) => p.id === chosenId);
  if (!chosen) return 'You made no prediction.';
  if (card.textOnly) {
    const answer = card.predictions.find((p) => p.id === card.answer);
    return `You predicted: “${chosen.text}” Nothing was measured here; the lesson's answer is: “${answer.text}”`;
  }
  if (summary.verdict === INCONCLUSIVE) return `You predicted: “${chosen.text}” Inconclusive: ${summary.reason}. Run it again on a quieter machine, or read the figures below.`;
  const supported = card.predictions.find((p) => p.id === summary.verdict);
  if (!supported) return `You predicted: “${chosen.text}” The measurement here does not clearly match any of the predictions; read the figures and the explanation.`;
  if (supported.id === chosen.id) return `You predicted: “${chosen.text}” The measurement agrees.`;
  return `You predicted: “${chosen.text}” The measurement supports instead: “${supported.text}”`;
}

// ---------------------------------------------------------------------------------------------------------------
// Plans: what each card runs, from the logical CPUs C (docs/lessons/README.md; native/experiments/presets.cpp uses the same)

/// I/O card: N = max(12, 4C) downloads of clamp(2400 / N, 20, 200) ms each (about 2.4 s sequentially, 5 s on 64 CPUs:
/// a wait must outlast starting hundreds of threads), threads at
/// {2, C, 2C, 4C} (capped at the page's pool), threads-gil at the largest of those, async at 4C.
export function ioPlan(cpus, limits = PAGE_LIMITS) {
  const count = Math.max(12, 4 * cpus);
  const latency = clamp(Math.round(2400 / count), 20, 200);
  const wanted = uniqSorted([2, cpus, 2 * cpus, 4 * cpus]).filter((w) => w >= 2 && w <= count);
  const threads = uniqSorted(wanted.map((w) => Math.min(w, limits.maxWorkers)));
  return { count, latency, threads, gil: threads.at(-1), async: Math.min(4 * cpus, count, limits.maxAsync) };
}

/// More-workers-than-cores card: workers {1, C/2, C, 2C, 4C} capped at the page's pool; CPU: primes in
/// max(64, 4·most) equal-range chunks; I/O: max(32, most) downloads of clamp(floor(3200 / count), 20, 100) ms.
export function oversubscriptionPlan(cpus, limits = PAGE_LIMITS) {
  const workers = uniqSorted([1, Math.max(1, cpus >> 1), cpus, 2 * cpus, 4 * cpus].map((w) => Math.min(w, limits.maxWorkers)));
  const most = workers.at(-1);
  const ioCount = Math.max(32, most);
  return { workers, chunks: Math.max(64, 4 * most), ioCount, ioLatency: clamp(Math.floor(3200 / ioCount), 20, 100) };
}

/// Amdahl card: a serial step (primes up to 2,000,000, alone) then the parallel part (primes up to 5,000,000 in
/// max(64, 4·most) chunks) with {1, 2, C/2, C, 2C} workers capped at the page's pool.
export function amdahlPlan(cpus, limits = PAGE_LIMITS) {
  const workers = uniqSorted([1, 2, Math.max(1, cpus >> 1), cpus, 2 * cpus].map((w) => Math.min(w, limits.maxWorkers)));
  return { serialN: 2000000, n: 5000000, chunks: Math.max(64, 4 * workers.at(-1)), workers };
}

// ---------------------------------------------------------------------------------------------------------------
// Judging: thresholds leave a gap between claims, so that figures off by ±20% give "inconclusive", never the
// wrong claim (tests/web/experiments.test.mjs feeds modelled results for 1 to 64 CPUs).

const FAST = 1.25; // a speed-up that is clearly one
const FLAT = 1.1; // a speed-up that is clearly none

/// The best speed-up among {workers: speedup} at worker counts above `above` (NaN if none).
const bestAbove = (byWorkers, above) => max(...Object.entries(byWorkers ?? {}).filter(([w]) => Number(w) > above).map(([, s]) => s));
/// The speed-up at the largest worker count not above `limit` (NaN if none).
const atOrBelow = (byWorkers, limit) => {
  const ws = Object.keys(byWorkers ?? {}).map(Number).filter((w) => w <= limit && Number.isFinite(byWorkers[w])).sort((a, b) => a - b);
  return ws.length ? byWorkers[ws.at(-1)] : NaN;
};
/// The largest finite number given, NaN if none.
function max(...xs) {
  const finite = xs.filter(Number.isFinite);
  return finite.length ? Math.max(...finite) : NaN;
}

// ---------------------------------------------------------------------------------------------------------------
// The cards

const DOWNLOAD = { workload: 'download', jitter_ms: 0, seed: 1, work_kib: 16 };
const PRIMES3 = { workload: 'primes', shape: 'inputs', inputs: [1000000, 2000000, 3000000] };
const PRIMES3_LARGEST_FIRST = { workload: 'primes', shape: 'inputs', inputs: [3000000, 2000000, 1000000] };
const list = (byWorkers) => Object.entries(byWorkers).map(([w, s]) => `×${w} ${times(s)}`).join(', ');

export const CARDS = [
  {
    id: 'io-threads', lesson: '01-io-bound-threads', title: 'I/O-bound work and threads',
    covers: 'Experiments 1, 2 and 4 (copying files, fetching a page, downloading 12 images)',
    question: 'Many downloads, each spending its time waiting on the (simulated) network. What do more and more threads do to the total time: up to as many as this machine has logical CPUs, and far beyond?',
    predictions: [{ id: 'none', text: 'Nothing much: the computer can only do so much at once.' }, { id: 'cores', text: 'It gets faster up to as many threads as cores, then stops improving.' }, { id: 'more', text: 'It keeps getting faster with more threads, far past the number of cores.' }, { id: 'slower', text: 'It gets slower: threads cost more than they bring.' }],
    plan(env) {
      const p = ioPlan(coresOf(env), limitsOf(env));
      const params = { ...DOWNLOAD, count: p.count, latency_ms: p.latency };
      return [
        job('seq', params, 'sequential', 1),
        ...p.threads.map((w) => job(`t${w}`, params, 'threads', w)),
        job(`g${p.gil}`, params, 'threads-gil', p.gil, gil),
        job(`a${p.async}`, params, 'async', p.async),
      ];
    },
    figures(view, env) {
      const p = ioPlan(coresOf(env), limitsOf(env));
      const threads = Object.fromEntries(p.threads.map((w) => [w, view.ratio('seq', `t${w}`)]));
      return {
        tasks: p.count, latencyMs: p.latency, sequential: view.time('seq'), threads,
        gil: { [p.gil]: view.ratio('seq', `g${p.gil}`) }, async: { [p.async]: view.ratio('seq', `a${p.async}`) },
      };
    },
    judge(f, cpus) {
      const all = { ...f.threads };
      for (const [w, s] of Object.entries(f.async ?? {})) all[w] = max(all[w], s);
      const past = bestAbove(all, cpus);
      const atCores = atOrBelow(all, cpus);
      if (!Number.isFinite(past)) return Number.isFinite(atCores) ? { verdict: INCONCLUSIVE, reason: `no run had more workers than the ${cpus} logical CPUs` } : null;
      if (past < 0.9) return 'slower';
      if (past < FLAT) return 'none';
      // Faster than any number of cores could make it: only overlapping waits explain that.
      if (past >= 1.25 * cpus && past >= FAST) return 'more';
      if (past <= 1.15 * max(atCores, 1) && atCores >= FAST) return 'cores';
      return INCONCLUSIVE;
    },
    measured(f) {
      const gil = Object.entries(f.gil)[0];
      const as = Object.entries(f.async)[0];
      const threads = Object.values(f.threads).some(Number.isFinite) ? `threads ${list(f.threads)}; threads-gil ×${gil[0]} ${times(gil[1])}` : 'threads not run here';
      return `${f.tasks} downloads of ${f.latencyMs} ms: sequential ${seconds(f.sequential)}; ${threads}; `
        + `async (one thread, ${as[0]} in flight) ${times(as[1])} (speed-ups over sequential, medians of ${REPEATS}).`;
    },
    steps(verdict, f, env) {
      const cpus = coresOf(env);
      const all = { ...f.threads, ...f.async };
      const past = bestAbove(all, cpus);
      const gil = Object.values(f.gil)[0];
      const steps = [`This browser reports ${cpus} logical CPUs; the best run with more workers than that was ${times(past)} faster than sequential.`];
      if (verdict === 'more') {
        steps.push('A download spends its time waiting, and a waiting thread needs no core: the operating system (here, a timer) wakes it when the data is there, so the waits overlap and the total shrinks towards one wait.');
        steps.push(`Async gets the same from one thread by switching task whenever one waits${Number.isFinite(gil) ? `; threads under the simulated interpreter lock got ${times(gil)}, since a waiting thread lets go of the lock, as CPython's threads do while they wait on I/O` : ''}.`);
      } else if (verdict === 'cores' || verdict === 'none' || verdict === 'slower') {
        steps.push('Waiting needs no core, so more threads should overlap more waits: figures like these mean something else limited the run (a busy machine, or a browser that throttles timers). Run it again.');
      }
      steps.push('The texts saw the same with real I/O: two threads copied two files in 4.5–5.5 s instead of 7–10 s.');
      return steps;
    },
    cpython: 'python3 reference/cpython/run.py --workload download --count 12 --latency-ms 200 --modes sequential,threads,async --workers 2,5,12',
  },
  {
    id: 'cpu-gil', lesson: '02-cpu-bound-gil', title: 'CPU-bound work: threads, the interpreter lock, processes',
    covers: 'Experiment 3 (sum of primes up to 1, 2 and 3 million) and the claim about the GIL',
    question: 'Three CPU-bound tasks, as in the texts: sum the primes up to 1, 2 and 3 million. Which of threads, threads under a CPython-like interpreter lock, and processes make it faster?',
    predictions: [{ id: 'all', text: 'All three speed it up about the same.' }, { id: 'not-gil', text: 'Threads and processes speed it up; threads under the interpreter lock do not.' }, { id: 'processes-only', text: 'Only processes speed it up; threads never help CPU-bound work.' }, { id: 'none', text: 'None of them: the work is the same amount whatever runs it.' }],
    options: [{ id: 'largest-first', label: 'Also hand out the largest task first (threads): does the order matter?' }],
    plan(env) {
      const jobs = [
        job('seq', PRIMES3, 'sequential', 1),
        job('t2', PRIMES3, 'threads', 2), job('t3', PRIMES3, 'threads', 3),
        job('g2', PRIMES3, 'threads-gil', 2, gil), job('g3', PRIMES3, 'threads-gil', 3, gil),
        job('p2', PRIMES3, 'processes', 2), job('p3', PRIMES3, 'processes', 3),
      ];
      if (env?.options?.['largest-first'] !== false) jobs.push(job('l2', PRIMES3_LARGEST_FIRST, 'threads', 2), job('l3', PRIMES3_LARGEST_FIRST, 'threads', 3));
      return jobs;
    },
    figures(view, env, results) {
      const f = {
        sequential: view.time('seq'),
        threads: { 2: view.ratio('seq', 't2'), 3: view.ratio('seq', 't3') },
        gil: { 2: view.ratio('seq', 'g2'), 3: view.ratio('seq', 'g3') },
        processes: { 2: view.ratio('seq', 'p2'), 3: view.ratio('seq', 'p3') },
        processesBusy: { 2: view.ratio('seq', 'p2', 'busy'), 3: view.ratio('seq', 'p3', 'busy') },
        processesStartup: median(results.filter((r) => r.job?.key === 'p2' && Number.isFinite(r.run?.startup_s)).map((r) => r.run.startup_s)),
        largestFirst: { 2: view.ratio('seq', 'l2'), 3: view.ratio('seq', 'l3') },
        processStarts: processStartsText(startsOf(results, ['p2', 'p3'])),
      };
      f.bound = criticalPathBound(results.filter((r) => r.job?.key === 'seq'));
      return f;
    },
    judge(f) {
      const t = max(...Object.values(f.threads));
      const g = max(...Object.values(f.gil));
      // Processes judged without their start-up: the card asks whether they compute in parallel; the tiny-tasks
      // card is the one about what starting them costs.
      const p = max(...Object.values(f.processesBusy));
      const fast = (x) => x >= FAST;
      const flat = (x) => x <= FLAT;
      if (!Number.isFinite(p)) return null;
      if (!Number.isFinite(t) || !Number.isFinite(g)) return flat(p) ? 'none' : fast(p) ? { verdict: INCONCLUSIVE, reason: 'threads could not run on this page' } : INCONCLUSIVE;
      if (fast(t) && fast(p) && flat(g)) return 'not-gil';
      if (fast(t) && fast(g) && fast(p)) return 'all';
      if (flat(t) && flat(g) && fast(p)) return 'processes-only';
      if (flat(t) && flat(g) && flat(p)) return 'none';
      return INCONCLUSIVE;
    },
    measured(f) {
      const pair = (label, xs) => (Number.isFinite(xs[2]) ? `${label} ×2 ${times(xs[2])}, ×3 ${times(xs[3])}` : `${label} not run here`);
      return [`sequential ${seconds(f.sequential)}`, pair('threads', f.threads), pair('threads-gil', f.gil), pair('processes', f.processes)
        + (Number.isFinite(f.processesBusy[2]) ? ` (×2 ${times(f.processesBusy[2])}, ×3 ${times(f.processesBusy[3])} once their start-up, ${seconds(f.processesStartup)} at ×2, is left out${f.processStarts ? `: ${f.processStarts}` : ''})` : ''),
      ...(Number.isFinite(f.largestFirst[2]) ? [pair('threads, largest task first', f.largestFirst)] : []),
      ].join('; ') + `. Bound from the task sizes: ${boundText(f.bound)}.`;
    },
    steps(verdict, f, env) {
      const cpus = coresOf(env);
      const steps = [];
      if (f.bound.ok) steps.push(`The three tasks are ${f.bound.shares.map(percent).join(', ')} of the work. No schedule beats the longest task: speed-up ≤ total / longest = ${times(f.bound.limit)}; handed out in order, 2 workers can reach only ${times(f.bound.inOrder[2])}, 3 workers ${times(f.bound.inOrder[3])}${Number.isFinite(f.largestFirst[2]) ? `; largest first, 2 workers can reach ${times(f.bound.largestFirst[2])} (measured ${times(f.largestFirst[2])})` : ''}.`);
      if (cpus < 2) steps.push('This browser reports 1 logical CPU: nothing can run at the same instant, so no mode can speed CPU-bound work up here.');
      if (verdict === 'not-gil') steps.push('C++ threads run on every core at once, so they speed up CPU-bound work like processes do; under the simulated interpreter lock only the thread holding it computes, so the threads take turns and gain nothing: this is CPython\'s default build (the texts: 25.5 s with one thread, 28 s with two).');
      else if (verdict === 'processes-only') steps.push('Here only processes gained: as in CPython\'s default build, where the GIL lets one thread run Python code at a time.');
      else if (verdict === 'all') steps.push('Here even the threads under the simulated lock gained, which the lock should prevent: look at the lock-holding timeline of that run.');
      else if (verdict === 'none') steps.push(cpus < 2 ? 'So all modes took about as long as sequential.' : 'No mode gained: another program probably had the cores.');
      steps.push('Processes each have their own memory (here: their own WebAssembly instance in a Web Worker), so they run in parallel but must start first: that start-up is shown apart. The page keeps its process workers warm between runs, as a Python program keeps one Pool: the first run pays the start-up, later ones only hand each worker its new task list. The tiny-tasks card starts them cold to show the whole cost.');
      steps.push('CPython 3.14\'s free-threaded build (python3.14t) has no GIL: its threads gain like the C++ threads here.');
      return steps;
    },
    /// Uploaded results of the same three tasks (native, default CPython, free-threaded CPython) beside the page's.
    compareUploads: (sets) => compareUploadedSets(sets, (run) => run.workload === 'primes'
      && JSON.stringify(run.params?.inputs) === JSON.stringify(PRIMES3.inputs)),
    cpython: 'python3 reference/cpython/run.py --workload primes --inputs 1000000,2000000,3000000 --modes sequential,threads,processes --workers 2,3',
  },
  {
    id: 'tiny-tasks', lesson: '03-tiny-tasks-chunking', title: 'Tiny tasks, process overhead and chunking',
    covers: 'Experiment 5 (factorials with a process pool) and the claim that processes cost start-up and data transfer',
    question: 'Thousands of tiny tasks, a cheap function over lots of data. Handed to processes one item at a time, and then in chunks of 1000: how do they compare with running them sequentially?',
    predictions: [{ id: 'faster', text: 'Processes are faster either way: more cores beat one.' }, { id: 'chunk-helps', text: 'One item at a time, processes are slower than sequential; in chunks they get much faster.' }, { id: 'always-slower', text: 'Processes are much slower either way; chunking changes little.' }, { id: 'same', text: 'About the same: the work is the same.' }],
    plan: (env) => overheadJobs(env),
    figures(view, env, results) {
      const workersOf = (key) => results.find((r) => r.job?.key === key)?.job.workers;
      const tasks = (key) => results.find((r) => r.job?.key === key && r.run?.task_count)?.run.task_count;
      return {
        processStarts: processStartsText(startsOf(results, ['p1', 'pc'])),
        sequential: view.time('seq'), workers: workersOf('p1'),
        threads1: view.ratio('seq', 't1'), processes1: view.ratio('seq', 'p1'), processesChunked: view.ratio('seq', 'pc'),
        tasks: { seq: tasks('seq'), p1: tasks('p1'), pc: tasks('pc') }, p1Wall: view.time('p1'),
      };
    },
    judge(f) {
      const { processes1: p1, processesChunked: pc } = f;
      if (!Number.isFinite(p1)) return null;
      if (!Number.isFinite(pc)) return p1 < 0.8 ? { verdict: INCONCLUSIVE, reason: 'the chunked run could not be made (this build has no overhead workload)' } : INCONCLUSIVE;
      if (p1 >= FAST && pc >= FAST) return 'faster';
      if (p1 < 0.8 && pc >= 2 * p1) return 'chunk-helps';
      if (p1 < 0.8 && pc < 1.3 * p1) return 'always-slower';
      if (p1 >= 0.9 && p1 <= FLAT && pc >= 0.9 && pc <= FLAT) return 'same';
      return INCONCLUSIVE;
    },
    measured(f) {
      const perTask = f.tasks.p1 ? `${((f.p1Wall / f.tasks.p1) * 1e6).toFixed(0)} µs per task` : '?';
      return `sequential ${seconds(f.sequential)} (${f.tasks.seq ?? '?'} tasks); ${Number.isFinite(f.threads1) ? `threads ×2 ${times(f.threads1)} of sequential's speed; ` : ''}`
        + `processes ×${f.workers ?? '?'}, one item per task (${f.tasks.p1 ?? '?'} tasks, ${perTask}): ${times(f.processes1)}; `
        + (Number.isFinite(f.processesChunked) ? `in chunks (${f.tasks.pc ?? '?'} tasks): ${times(f.processesChunked)}, so chunking made processes ${times(f.processesChunked / f.processes1)} faster.` : 'in chunks: not run (this build has no overhead workload, and factorials cannot be chunked).')
        + (f.processStarts ? ` Times include the pool's start-up: ${f.processStarts} (this card asks for a cold start, as a new ProcessPoolExecutor has).` : '');
    },
    steps(verdict, f) {
      const steps = ['A process has its own memory, so every task and its data travel to it as a message (a copy; CPython pickles them through a pipe) and the answer travels back.'];
      if (verdict === 'chunk-helps' || verdict === 'always-slower') steps.push(`One item per task, that round trip costs more than the task: processes ran at ${times(f.processes1)} of sequential's speed.`);
      if (verdict === 'chunk-helps') steps.push(`Chunks of 1000 pay the fixed cost once per chunk: ${times(f.processesChunked)} of sequential's speed${f.processesChunked >= FAST ? ', now faster than sequential as the work is shared out' : ', still not faster than sequential: the data itself still has to be copied'}.`);
      if (verdict === 'faster') steps.push('Here each task was costly enough to outweigh its message: a heavier function than this lesson means to show.');
      steps.push('The lab\'s own CPython runs (2-core machine) show the same: factorials sequentially 0.28 s, a process pool one task at a time 82 s, chunks of 1000 2.1 s. Threads share memory and pass no copies, so their per-task cost is much smaller.');
      return steps;
    },
    cpython: 'python3 reference/cpython/run.py --workload factorials --modes sequential,processes --workers 2 --chunksize 1000',
  },
  {
    id: 'two-phase', lesson: '04-two-phase-job', title: 'A two-phase job: download, then render',
    covers: 'Experiment 6 (N CVs: download a photo each, then build a PDF each)',
    question: 'A job in two phases: first download a photo per document (I/O-bound, with threads), then render each document (CPU-bound). For the rendering, which is fastest: C++ threads, threads under a CPython-like interpreter lock, or processes?',
    predictions: [{ id: 'threads-threads', text: 'C++ threads render fastest: threads help everywhere.' }, { id: 'tie', text: 'C++ threads and processes render about equally fast; threads under the interpreter lock no faster than sequential.' }, { id: 'mixed', text: 'Processes render fastest; threads of either kind no faster than sequential.' }, { id: 'same', text: 'No kind of worker renders faster than sequential.' }],
    runner: 'two-phase',
    spreadField: (r) => r.render_s,
    plan(env) {
      const cpus = coresOf(env);
      const { maxWorkers, maxAsync } = limitsOf(env);
      const count = clamp(cpus, 6, 16);
      const cv = { count, latency_ms: 150, page_kpx: 1500, seed: 1 };
      const both = (key, gather, render) => ({ key, ...cv, gather, render });
      // Without cross-origin isolation the downloads use async (one thread overlapping the waits) instead of threads.
      const io = { mode: env?.isolated === false ? 'async' : 'threads', workers: Math.min(count, env?.isolated === false ? maxAsync : maxWorkers) };
      const w = clamp(cpus, 2, Math.min(count, maxWorkers));
      return [
        both('seq', { mode: 'sequential', workers: 1 }, { mode: 'sequential', workers: 1 }),
        both('tt', io, { mode: 'threads', workers: w }),
        both('tg', io, { mode: 'threads-gil', workers: w }),
        both('tp', io, { mode: 'processes', workers: w }),
      ];
    },
    figures(view, env, results) {
      const render = (r) => r.render_s;
      const busy = (r) => r.render_s - (Number.isFinite(r.render_startup_s) ? r.render_startup_s : 0);
      const total = (r) => r.total_s;
      const ratio = (key, field) => view.ratio('seq', key, field, field === busy ? render : field);
      const first = (key) => results.find((r) => r.job?.key === key)?.job;
      return {
        renderWorkers: first('tt')?.render.workers ?? first('tp')?.render.workers,
        io: first('tp')?.gather.mode ?? 'threads',
        sequential: { gather: view.time('seq', (r) => r.gather_s), render: view.time('seq', render), total: view.time('seq', total) },
        render: { tt: ratio('tt', render), tg: ratio('tg', render), tp: ratio('tp', render), tpBusy: ratio('tp', busy) },
        total: { tt: ratio('tt', total), tg: ratio('tg', total), tp: ratio('tp', total) },
        processesStartup: view.time('tp', (r) => r.render_startup_s),
        processStarts: processStartsText(results.filter((r) => r.job?.key === 'tp').map((r) => ({ warm: r.render_warm_workers, workers: r.job?.render?.workers }))),
      };
    },
    judge(f) {
      const { tt, tg } = f.render;
      const tp = f.render.tpBusy;
      if (!Number.isFinite(tp)) return null;
      if (!Number.isFinite(tt)) return tp <= FLAT ? 'same' : INCONCLUSIVE;
      const fast = (x) => x >= FAST;
      const flat = (x) => !Number.isFinite(x) || x <= FLAT;
      if (flat(tt) && flat(tp)) return 'same';
      if (fast(tt) && fast(tp) && flat(tg) && tt / tp < 1.25 && tp / tt < 1.25) return 'tie';
      if (fast(tt) && tt / tp >= 1.5) return 'threads-threads';
      if (fast(tp) && flat(tt)) return 'mixed';
      return INCONCLUSIVE;
    },
    measured(f) {
      const s = f.sequential;
      return `sequential: gather ${seconds(s.gather)} + render ${seconds(s.render)} = ${seconds(s.total)}. Rendering with ${f.renderWorkers ?? '?'} workers vs sequential: threads ${times(f.render.tt)}, threads-gil ${times(f.render.tg)}, processes ${times(f.render.tp)} (${times(f.render.tpBusy)} without their start-up, ${seconds(f.processesStartup)}${f.processStarts ? `; ${f.processStarts}` : ''}). `
        + `Whole job, ${f.io} downloads first: + threads ${times(f.total.tt)}, + threads-gil ${times(f.total.tg)}, + processes ${times(f.total.tp)}.`;
    },
    steps(verdict, f) {
      const steps = [`The downloads overlap with ${f.io} in every mixed job, so every whole job beats sequential, threads-gil included (${times(f.total.tg)}): judge the rendering phase alone.`];
      if (verdict === 'tie') steps.push(`The rendering computes: C++ threads (${times(f.render.tt)}) and processes (${times(f.render.tpBusy)} once started) both run it on several cores; under the simulated interpreter lock the threads take turns (${times(f.render.tg)}), as CPython's do. The texts, in CPython: threads made the PDF phase slower (24 s → 30 s), processes made it 5 s.`);
      else if (verdict === 'same') steps.push('No worker kind rendered faster: with one CPU, or a busy machine, nothing computes in parallel.');
      else if (verdict === 'threads-threads') steps.push('C++ threads rendered faster than processes here: processes also copy each page back to the parent.');
      else if (verdict === 'mixed') steps.push('Only processes rendered faster: the CPython picture; C++ threads should gain too, so look at their timeline.');
      steps.push('The texts found mixing threads for phase 1 and processes for phase 2 about as fast as processes for both: each phase wants the worker its bottleneck needs.');
      return steps;
    },
    cpython: null,
  },
  {
    id: 'pipes-queues', lesson: '05-pipes-queues', title: 'Pipes and queues between processes',
    covers: 'Experiment 7 (a child says hello through a pipe) and the claim that queues cost more than pipes',
    question: 'Processes share no memory: they talk by sending messages (natively a pipe; here messages between two Web Workers). How much does one small message of 64 bytes cost, compared with a function call (a few nanoseconds)?',
    predictions: [{ id: 'free', text: 'Practically nothing: well under a microsecond, like a function call.' }, { id: 'micro', text: 'Around a microsecond to a few hundred: cheap, but far from free.' }, { id: 'milli', text: 'A millisecond or more each.' }],
    runner: 'ipc',
    repeats: 1,
    ipc: { size: 64, count: 5000 },
    figures(view, env, results) {
      const r = results[0] ?? {};
      const transports = (r.transports ?? []).filter((t) => t.available && Number.isFinite(t.seconds) && r.count > 0);
      const perMessage = (t) => (t.seconds / r.count) * 1e6;
      return {
        hello: r.hello, count: r.count, size: r.size,
        perMessageUs: Object.fromEntries(transports.map((t) => [t.id, perMessage(t)])),
        lines: transports.map((t) => `${t.label}: ${perMessage(t).toFixed(2)} µs per message (${t.mbPerS?.toFixed(1) ?? '?'} MB/s)`),
        missing: (r.transports ?? []).filter((t) => !t.available).map((t) => `${t.label}: not available (${t.reason})`),
      };
    },
    judge(f) {
      const us = f.perMessageUs['postmessage-clone'];
      if (!Number.isFinite(us)) return null;
      return us < 0.8 ? 'free' : us >= 1.2 && us < 800 ? 'micro' : us >= 1200 ? 'milli' : INCONCLUSIVE;
    },
    measured(f) {
      return `${f.hello ? `The worker said: "${f.hello}". ` : ''}${f.count ?? '?'} messages of ${f.size ?? '?'} bytes from one worker to another: ${[...f.lines, ...f.missing].join('; ') || 'nothing measured'}.`;
    },
    steps(verdict, f) {
      const us = f.perMessageUs['postmessage-clone'];
      return [
        `One 64-byte message cost ${Number.isFinite(us) ? `${us.toFixed(1)} µs` : '?'} here: it is copied (serialised, passed on, rebuilt on the other side) and the receiver must be woken up, hundreds of times a function call; postMessage with structured cloning is the browser's version of a pipe.`,
        'A ring buffer in shared memory (threads, or processes with shared memory) skips the copy through the kernel and is the cheapest. CPython\'s multiprocessing.Queue is a pipe plus a lock and, on the putting side, a feeder thread, so it costs more than a bare pipe; the lab\'s native "queue" is a shared-memory queue, cheaper than a pipe (docs/ipc.md).',
        'That is why a process pool pays off only when each task does much more work than one message (lesson 3).',
      ];
    },
    cpython: 'python3 reference/cpython/pipe_hello.py; python3 reference/cpython/pipe_vs_queue.py',
  },
  {
    id: 'oversubscription', lesson: '06-more-workers-than-cores', title: 'More workers than cores',
    covers: 'The claim that workers past the number of cores add nothing for CPU-bound work, and that I/O-bound work can use many more',
    question: 'Compare more and more workers, up to four times this machine\'s logical CPUs (navigator.hardwareConcurrency), on CPU-bound primes, and on downloads that mostly wait. Where does adding workers stop helping?',
    predictions: [{ id: 'both-grow', text: 'Both keep getting faster past the number of cores.' }, { id: 'cpu-stops', text: 'Primes stops improving at the number of cores; downloads keep improving.' }, { id: 'both-stop', text: 'Both stop improving at the number of cores.' }, { id: 'slower', text: 'Past the cores both get much slower.' }],
    plan(env) {
      const p = oversubscriptionPlan(coresOf(env), limitsOf(env));
      const cpuMode = env?.isolated === false ? 'processes' : 'threads';
      const primes = { workload: 'primes', shape: 'chunked', n: 5000000, chunks: p.chunks };
      const downloads = { ...DOWNLOAD, count: p.ioCount, latency_ms: p.ioLatency };
      return [
        ...p.workers.map((w) => job(`cpu${w}`, primes, cpuMode, w)),
        ...p.workers.map((w) => job(`io${w}`, downloads, env?.isolated === false ? 'async' : 'threads', w)),
      ];
    },
    figures(view, env, results) {
      const p = oversubscriptionPlan(coresOf(env), limitsOf(env));
      const mode = (key) => results.find((r) => r.job?.key === key)?.job.mode;
      return {
        workers: p.workers, maxWorkers: limitsOf(env).maxWorkers,
        cpuMode: mode(`cpu${p.workers.at(-1)}`) ?? 'threads', ioMode: mode(`io${p.workers.at(-1)}`) ?? 'threads',
        cpu: Object.fromEntries(p.workers.filter((w) => w > 1).map((w) => [w, view.ratio('cpu1', `cpu${w}`)])),
        io: Object.fromEntries(p.workers.filter((w) => w > 1).map((w) => [w, view.ratio('io1', `io${w}`)])),
      };
    },
    judge(f, cpus) {
      const cpuPast = bestAbove(f.cpu, cpus);
      const ioPast = bestAbove(f.io, cpus);
      const cpuAt = atOrBelow({ 1: 1, ...f.cpu }, cpus);
      const ioAt = atOrBelow({ 1: 1, ...f.io }, cpus);
      if (!Number.isFinite(cpuPast) || !Number.isFinite(ioPast)) {
        const some = Object.values(f.cpu).some(Number.isFinite);
        return some ? { verdict: INCONCLUSIVE, reason: `this page runs at most ${f.maxWorkers} workers, no more than the ${cpus} logical CPUs it reports, so nothing here goes past the cores (run the native preset)` } : null;
      }
      if (Math.max(cpuPast, ioPast) < 0.8) return 'slower';
      // "Stops at the cores" needs primes to have gained below them first (on 2+ CPUs): flat from the start is a
      // busy machine, not the lesson.
      const cpuGained = cpus < 2 || max(...Object.entries(f.cpu).filter(([w]) => Number(w) <= cpus).map(([, s]) => s)) >= FAST;
      if (!cpuGained) return { verdict: INCONCLUSIVE, reason: `the machine was busy: primes never got faster, not even with ${cpus} workers or fewer (other programs had the cores)` };
      const rc = cpuPast / cpuAt;
      const ri = ioPast / ioAt;
      const grows = (r) => r >= 1.6;
      const flat = (r) => r < 1.25;
      if (flat(rc) && grows(ri)) return 'cpu-stops';
      if (flat(rc) && flat(ri)) return 'both-stop';
      if (grows(rc) && grows(ri)) return 'both-grow';
      return INCONCLUSIVE;
    },
    measured(f, env) {
      return `This browser reports ${coresOf(env)} logical CPUs. Primes (${f.cpuMode}) vs 1 worker: ${list(f.cpu)}. Downloads (${f.ioMode}) vs 1 worker: ${list(f.io)} (medians of ${REPEATS}).`;
    },
    steps(verdict, f, env) {
      const cpus = coresOf(env);
      const cpuBest = max(...Object.values(f.cpu));
      const steps = [];
      if (verdict === 'cpu-stops' || verdict === 'both-stop') {
        steps.push(`A CPU-bound task needs a core the whole time: once every core is busy another worker only waits for a turn, so primes gained nothing past ${cpus} workers (best ${times(cpuBest)}).`);
        if (cpuBest < 0.6 * cpus) steps.push(`It flattened at about ${times(cpuBest)}, below the ${cpus} logical CPUs reported: other programs were using cores, the browser reports more CPUs than it lets the page use, or SMT pairs share a core (how much SMT adds varies with the workload).`);
      }
      if (verdict === 'cpu-stops' || verdict === 'both-grow') steps.push('A waiting task needs no core, so the downloads kept gaining from more workers until the waits were all overlapped.');
      if (verdict === 'both-grow') steps.push('Primes kept gaining past the reported CPUs: the browser reports fewer logical CPUs than the machine has (some cap navigator.hardwareConcurrency).');
      steps.push('The texts saw both: 100 workers on a 6-core machine helped the downloads and did nothing for the PDF rendering.');
      return steps;
    },
    cpython: 'python3 reference/cpython/run.py --workload primes --shape chunked --n 2000000 --chunks 64 --modes threads,processes --workers 1,2,4,8',
  },
  {
    id: 'amdahl', lesson: '07-serial-part-amdahl', title: 'The serial part: Amdahl\'s law',
    covers: 'The claim that the serial part of a job limits its speed-up (the baking in the cake analogy)',
    question: 'A job with a serial part (the sum of the primes up to 2,000,000, which must run alone first) and a parallel part (the primes up to 5,000,000 in many equal chunks). With more and more workers for the parallel part, how far does the whole job\'s speed-up go?',
    predictions: [{ id: 'linear', text: 'It grows with the workers: about n× with n workers (given enough cores).' }, { id: 'capped', text: 'It grows, but levels off: never past 1 / (the serial part\'s share of the time).' }, { id: 'none', text: 'No speed-up at all.' }],
    plan(env) {
      const p = amdahlPlan(coresOf(env), limitsOf(env));
      const mode = env?.isolated === false ? 'processes' : 'threads';
      const parallel = { workload: 'primes', shape: 'chunked', n: p.n, chunks: p.chunks };
      return [
        job('serial', { workload: 'primes', shape: 'inputs', inputs: [p.serialN] }, 'sequential', 1),
        ...p.workers.map((w) => job(`w${w}`, parallel, mode, w)),
      ];
    },
    figures(view, env) {
      const cpus = coresOf(env);
      const p = amdahlPlan(cpus, limitsOf(env));
      const serial = view.time('serial');
      const one = view.time('w1');
      const s = serial / (serial + one);
      const points = p.workers.filter((w) => w > 1).map((w) => {
        const total = serial + view.time(`w${w}`);
        const n = Math.min(w, cpus);
        return { workers: w, speedup: (serial + one) / total, amdahl: 1 / (s + (1 - s) / n), linear: n };
      });
      return { serial, parallel1: one, serialFraction: s, limit: 1 / s, points };
    },
    judge(f) {
      const best = f.points.filter((x) => Number.isFinite(x.speedup)).reduce((a, b) => (!a || b.speedup > a.speedup ? b : a), null);
      if (!best || !Number.isFinite(f.serialFraction)) return null;
      if (best.speedup < FLAT) return best.amdahl < FLAT ? 'none' : INCONCLUSIVE;
      if (best.speedup < 0.75 * best.amdahl) return { verdict: INCONCLUSIVE, reason: `the machine was busy: the speed-up (${times(best.speedup)} with ${best.workers} workers) stayed well below even Amdahl's ${times(best.amdahl)} (other programs had the cores)` };
      if (best.speedup <= 1.12 * best.amdahl) return 'capped';
      if (best.speedup >= 0.9 * best.linear && best.speedup > 1.25 * best.amdahl) return 'linear';
      return INCONCLUSIVE;
    },
    measured(f) {
      return `serial part ${seconds(f.serial)}, parallel part with 1 worker ${seconds(f.parallel1)}: the serial part is ${Number.isFinite(f.serialFraction) ? percent(f.serialFraction) : '?'} of the 1-worker job. Whole job vs 1 worker: ${f.points.map((x) => `×${x.workers} ${times(x.speedup)} (Amdahl: ${times(x.amdahl)})`).join(', ')}.`;
    },
    steps(verdict, f, env) {
      const cpus = coresOf(env);
      const steps = [`Amdahl's law: if a share s of the time cannot be shared out, n workers give at most 1 / (s + (1 − s) / n), and never more than 1 / s. Here s = ${percent(f.serialFraction)}, so no number of workers can beat ${times(f.limit)}.`];
      if (verdict === 'capped') steps.push(`Measured, the speed-up followed that curve (counting at most ${cpus} workers, the logical CPUs: workers past the cores add nothing, lesson 6).`);
      if (verdict === 'none') steps.push(cpus < 2 ? 'With 1 logical CPU the parallel part cannot run in parallel either.' : 'No speed-up: another program probably had the cores.');
      steps.push('Like baking: more cooks make the mixing faster, but the oven still takes its 50 minutes.');
      return steps;
    },
    cpython: null,
  },
  {
    id: 'async', lesson: '08-async-concurrency', title: 'Concurrency without parallelism: async',
    covers: 'The vocabulary: concurrency, parallelism, the event loop',
    question: 'An event loop (like asyncio) runs on one thread and switches task whenever one waits. Does it speed up downloads? Does it speed up primes?',
    predictions: [{ id: 'both', text: 'Both: many tasks in flight means faster.' }, { id: 'io-only', text: 'Downloads yes, primes no.' }, { id: 'neither', text: 'Neither: one thread can only do one thing at a time.' }, { id: 'cpu-only', text: 'Primes yes, downloads no.' }],
    plan: () => {
      const downloads = { ...DOWNLOAD, count: 12, latency_ms: 150 };
      return [job('io-seq', downloads, 'sequential', 1), job('io-async', downloads, 'async', 12), job('cpu-seq', PRIMES3, 'sequential', 1), job('cpu-async', PRIMES3, 'async', 3)];
    },
    figures(view) {
      return {
        io: view.ratio('io-seq', 'io-async'), cpu: view.ratio('cpu-seq', 'cpu-async'),
        times: { ioSeq: view.time('io-seq'), ioAsync: view.time('io-async'), cpuSeq: view.time('cpu-seq'), cpuAsync: view.time('cpu-async') },
      };
    },
    judge({ io, cpu }) {
      if (!Number.isFinite(io) || !Number.isFinite(cpu)) return null;
      const ioFast = io >= 1.5;
      const ioFlat = io <= 1.2;
      const cpuFast = cpu >= FAST;
      const cpuFlat = cpu <= FLAT;
      if (ioFast && cpuFlat) return 'io-only';
      if (ioFast && cpuFast) return 'both';
      if (ioFlat && cpuFlat) return 'neither';
      if (ioFlat && cpuFast) return 'cpu-only';
      return INCONCLUSIVE;
    },
    measured(f) {
      const t = f.times;
      return `downloads: sequential ${seconds(t.ioSeq)}, async with 12 in flight ${seconds(t.ioAsync)} (${times(f.io)}); primes: sequential ${seconds(t.cpuSeq)}, async with 3 in flight ${seconds(t.cpuAsync)} (${times(f.cpu)}).`;
    },
    steps(verdict, f) {
      return [
        'Concurrency means task lifetimes overlap; parallelism means they run at the same instant on different cores. An event loop gives the first without the second.',
        `While one download waits, the loop starts or resumes another, so the waits overlap: ${times(f.io)} here.`,
        `Computing needs the thread itself, and there is one, so the primes run one after another as sequentially: ${times(f.cpu)}.`,
        'In asyncio a critical section that spans an await can still be interleaved by another task: it needs an asyncio.Lock.',
      ];
    },
    cpython: 'python3 reference/cpython/run.py --workload download --count 12 --latency-ms 200 --modes sequential,async --workers 12',
  },
  {
    id: 'isolation', lesson: '09-isolation-crash', title: 'Isolation: a crashing worker',
    covers: 'The claim that multiprocessing is isolation too: one crashed worker process need not take the others down',
    question: 'Task 3 of eight calls abort(), the C way of crashing on the spot. It runs once with 2 threads and once with 2 processes. What survives?',
    predictions: [{ id: 'both-lost', text: 'Both runs lose everything: a crash is a crash.' }, { id: 'threads-lost', text: 'With threads the whole lab worker (every thread, all their work) goes down; with processes only the crashed worker does.' }, { id: 'both-survive', text: 'Both survive: only task 3 is lost each time.' }, { id: 'processes-lost', text: 'The processes run loses more, because more is running.' }],
    repeats: 1,
    plan(env) {
      const params = { workload: 'primes', shape: 'chunked', n: 200000, chunks: 8, crash_task: 3, crash_how: 'abort' };
      // Processes first: the threads run kills the lab worker, and the page replaces it in the background.
      return [job('processes', params, 'processes', 2), job('threads', params, 'threads', 2)];
    },
    figures(view, env, results) {
      const get = (key) => results.find((r) => r.job?.key === key);
      const labDied = (r) => Boolean(r?.run && /the lab worker/i.test(r.run.error ?? ''));
      const describe = (r) => {
        if (!r) return 'not run';
        if (!r.run) return `${r.job.mode}: error: ${r.error}`;
        const kept = `${r.run.tasks?.length ?? 0} of ${r.run.task_count || r.job.params?.chunks || '?'} task results kept`;
        const error = String(r.run.error ?? '').replace(/\.+$/, '');
        return `${r.job.mode} ×${r.job.workers ?? '?'}: ${r.run.ok ? 'finished' : `failed after ${seconds(r.run.wall_s)} (${error})`}, ${kept}${labDied(r) ? '; the page had to start a new lab worker' : ''}`;
      };
      const t = get('threads');
      const p = get('processes');
      return {
        threadsRan: Boolean(t?.run), processesRan: Boolean(p?.run),
        threadsLabWorkerDied: labDied(t), processesLabWorkerDied: labDied(p), lines: [describe(p), ...(t ? [describe(t)] : [])],
      };
    },
    judge(f) {
      if (!f.processesRan) return null;
      // On a page without cross-origin isolation there are no threads to crash: nothing to compare.
      if (!f.threadsRan) return { verdict: INCONCLUSIVE, reason: 'threads need a cross-origin isolated page, so only the processes run was made' };
      if (f.threadsLabWorkerDied && !f.processesLabWorkerDied) return 'threads-lost';
      if (f.threadsLabWorkerDied && f.processesLabWorkerDied) return 'both-lost';
      if (!f.threadsLabWorkerDied && !f.processesLabWorkerDied) return 'both-survive';
      return 'processes-lost';
    },
    measured(f) {
      return `${f.lines.join('. ')}.`;
    },
    steps(verdict) {
      const steps = [];
      if (verdict === 'threads-lost') steps.push('Threads share one process, so abort() in any of them ends the process and every thread in it: here the lab worker (the WebAssembly instance all the threads share) died, its finished work with it, and the page had to start a new one. Natively, parlab itself dies with SIGABRT and writes no results.');
      steps.push('A process has its own memory: when one worker process aborts, only it is gone; the parent notices (natively: its pipe closes and waitpid says SIGABRT) and carries on. With parlab --on-worker-death respawn the dead worker is replaced and only its task is lost.');
      steps.push('In Python an uncaught exception in a thread does not kill the process (threading prints it and the thread ends); only a hard crash (a segfault in C code, os.abort()) takes every thread down.');
      steps.push('In the browser both "threads" and "processes" are Web Workers, OS threads of one browser process: what differs is the memory model (one shared wasm memory, or one each), and so what a crash takes with it.');
      return steps;
    },
    cpython: null,
  },
  {
    id: 'parallel-libraries', lesson: '10-parallel-libraries', title: 'Libraries that are parallel inside',
    covers: 'The claim that some libraries are parallel inside already, so more processes on top do not help them',
    question: 'A library call (a large matrix product in NumPy with OpenBLAS, say) already uses every core. What happens if you run four of them in four processes on a 4-core machine?',
    predictions: [{ id: 'faster', text: 'Four times the throughput: four processes, four times the work done.' }, { id: 'no-gain', text: 'Little or no gain, maybe a loss: the cores were already busy, and now 16 threads fight over 4 cores.' }, { id: 'crash', text: 'It crashes: two parallel layers cannot be combined.' }],
    // No run: the lab has no library that is parallel inside; the lesson says how to see it natively.
    textOnly: true,
    answer: 'no-gain',
    measured: () => 'Nothing was measured: the lab has no library that is parallel inside. See the lesson for how to measure it natively.',
    steps: () => [
      'Parallelism inside a library (a BLAS using threads, a compression library with worker threads) already puts every core to work.',
      'Processes on top multiply the threads (4 processes × 4 library threads on 4 cores) and gain nothing, often losing to switching and cache thrash: set the library to one thread per process (OMP_NUM_THREADS=1) or use one process.',
      'Lesson 6 measures the same wall from the other side: CPU-bound workers past the core count add nothing.',
    ],
    cpython: null,
  },
  {
    id: 'races', lesson: '11-races-and-locks', title: 'Races and locks: a shared counter',
    covers: 'The claim that the GIL "guarantees thread safety" (it does not: x += 1 is a load, an add and a store), and what a lock costs',
    question: 'Several threads each add 1 to one shared counter 2,000,000 times: plainly (read the counter, then write it back plus one), with an atomic add, under a mutex, or each counting privately and adding its total once. Does the counter end at the number of increments made?',
    predictions: [{ id: 'all-exact', text: 'Yes, every version: adding 1 is a single step.' }, { id: 'plain-loses', text: 'The plain version loses updates; the atomic add, the mutex and the private counts end exact.' }, { id: 'all-lose', text: 'Every threaded version loses some: threads cannot share a counter safely.' }],
    plan(env) {
      const { workers, count, increments } = racePlan(coresOf(env), limitsOf(env));
      const params = (sync) => ({ workload: 'counter', count, increments, sync, shared: 0 });
      return [
        job('seq', params('none'), 'sequential', 1),
        job('none', params('none'), 'threads', workers),
        job('atomic', params('atomic'), 'threads', workers),
        job('mutex', params('mutex'), 'threads', workers),
        job('local', params('local'), 'threads', workers),
        job('gil', params('none'), 'threads-gil', workers, gil),
        job('proc', params('atomic'), 'processes', workers),
      ];
    },
    figures(view, env, results) {
      return Object.fromEntries(RACE_KEYS.map((k) => [k, counterFigures(results, k)]));
    },
    judge(f, cpus) {
      if (!f.none?.ran && !f.seq?.ran && !f.proc?.ran) return null;
      if (!f.none?.ran) return { verdict: INCONCLUSIVE, reason: 'threads need a cross-origin isolated page, so no threaded run was made' };
      if (!['atomic', 'mutex', 'local'].every((k) => f[k]?.ran)) return null;
      // A loss in any repeat proves a race; no loss proves nothing (the threads may not have overlapped, or were lucky),
      // so "all exact" is never a verdict: the figures then say how close the threads came.
      if (['atomic', 'mutex', 'local'].some((k) => f[k].most > 0)) return 'all-lose';
      if (f.none.most > 0) return 'plain-loses';
      const reason = f.none.overlapped
        ? 'the threads ran at the same time, yet no update was lost in any repeat: a race does not show in every run; run it again'
        : `the threads did not run at the same time (${cpus < 2 ? 'one CPU' : 'a busy machine?'}), so they could not race`;
      return { verdict: INCONCLUSIVE, reason };
    },
    measured(f) {
      if (!f.none && !f.seq) return '';
      const parts = [
        `sequential: ${lostText(f.seq)}`,
        `threads, plain: ${lostText(f.none)}`,
        `atomic add: ${lostText(f.atomic)}`,
        `mutex: ${lostText(f.mutex)}`,
        `private counts: ${lostText(f.local)}`,
        `plain under the simulated interpreter lock: ${lostText(f.gil)}`,
        `processes (each adds to its own copy; the parent's counter is read): ${lostText(f.proc)}`,
      ];
      return `${parts.join('. ')}.`;
    },
    steps(verdict, f) {
      const steps = [];
      if (f.none?.ran && f.none.lost > 0) steps.push(`Plain "read, add one, write back" lost ${lostText(f.none)}: two threads read the same value, both write value + 1, and one increment vanishes. Nothing crashes and nothing warns: the total is simply wrong, and by a different amount each run.`);
      else if (f.none?.ran) steps.push('This time the plain version lost nothing: a lost update needs one thread to read between another\'s read and write. Run it again: it is a race, and races are rare until they are not.');
      steps.push(`The fixes cost: an atomic add ${Number.isFinite(f.atomic?.ns) ? `took ${f.atomic.ns.toFixed(1)} ns` : 'costs more'} per increment and the mutex ${Number.isFinite(f.mutex?.ns) ? `${f.mutex.ns.toFixed(1)} ns` : 'more still'} (the threads queue for it), against ${Number.isFinite(f.local?.ns) ? `${f.local.ns.toFixed(2)} ns` : 'almost nothing'} for private counts added once: share less, not lock more.`);
      if (f.gil?.ran) steps.push(`Under the simulated interpreter lock only one thread runs at a time, yet the plain version still lost ${Math.round(f.gil.lost).toLocaleString('en')} updates: the lock was handed over between a read and its write. CPython's GIL does the same to x += 1 (a load, an add and a store): it makes each bytecode atomic, not your statement. In CPython 3.10+ a plain x += 1 in a loop rarely loses updates, because the switch is checked at calls and loop back-edges; put a call between the read and the write and it loses them readily (reference/cpython/counter_race.py measures both).`);
      if (f.proc?.ran) steps.push('Processes share no memory: each worker process added to its own copy of the counter, so the parent\'s counter still reads 0 and every update is "lost" to it. Natively, parlab --shared 1 puts the counter in memory shared across fork, and processes race like threads; in the browser a "process" is a Web Worker with its own wasm memory, so the page cannot share it.');
      return steps;
    },
    cpython: 'python3 reference/cpython/counter_race.py --threads 2 --increments 1000000',
  },
  {
    id: 'deadlock', lesson: '12-deadlock', title: 'Deadlock: two locks in opposite orders',
    covers: 'Deadlock: workers that each hold a lock and wait for the other\'s, and the rule that prevents it (every worker takes locks in one order)',
    question: `Two tasks each take two locks, A and B, and hold the first ${DEADLOCK_HOLD_MS} ms before taking the second. Task 1 takes A then B; task 2 takes B then A. They run on 2 threads; then on 2 threads with both taking A then B; then on 2 processes in the opposite orders. Which runs finish?`,
    predictions: [{ id: 'none', text: 'All three finish: each task needs the two locks only for a moment.' }, { id: 'threads-opposite', text: 'The threads in opposite orders deadlock; the same order, and the processes, finish.' }, { id: 'threads-both', text: 'Both threads runs deadlock; the processes finish.' }, { id: 'all', text: 'Opposite orders deadlock on threads and on processes alike.' }],
    repeats: 1,
    plan() {
      const opposite = { workload: 'deadlock', lock_order: 'opposite', hold_ms: DEADLOCK_HOLD_MS, rounds: 1 };
      return [job('opposite', opposite, 'threads', 2), job('consistent', { ...opposite, lock_order: 'consistent' }, 'threads', 2), job('processes', opposite, 'processes', 2)];
    },
    figures(view, env, results) {
      const get = (key) => results.find((r) => r.job?.key === key);
      const deadlockLine = (r) => /deadlock: [^\n]*/.exec(r?.run?.error ?? '')?.[0] ?? null;
      const outcome = (r) => (!r?.run ? null : deadlockLine(r) ? 'deadlock' : r.run.ok && r.run.complete ? 'finished' : 'failed');
      const opposite = get('opposite');
      const starts = (opposite?.run?.tasks ?? []).map((t) => t.start_s).filter(Number.isFinite);
      const describe = (key, words) => {
        const r = get(key);
        if (!r) return null;
        if (!r.run) return `${words}: error: ${r.error}`;
        const o = outcome(r);
        return `${words}: ${o === 'deadlock' ? `deadlock reported after ${seconds(r.run.wall_s)}` : o === 'finished' ? `both tasks finished in ${seconds(r.run.wall_s)}` : `failed (${r.run.error})`}`;
      };
      return {
        opposite: outcome(opposite), consistent: outcome(get('consistent')), processes: outcome(get('processes')),
        line: ['opposite', 'consistent', 'processes'].map((k) => deadlockLine(get(k))).find(Boolean) ?? null,
        holdMs: DEADLOCK_HOLD_MS,
        startGapMs: starts.length === 2 ? Math.abs(starts[1] - starts[0]) * 1000 : NaN,
        lines: [describe('opposite', 'threads ×2, opposite orders'), describe('consistent', 'threads ×2, one order'), describe('processes', 'processes ×2, opposite orders')].filter(Boolean),
      };
    },
    judge(f) {
      if (!f.processes) return null;
      if (!f.opposite && !f.consistent) return { verdict: INCONCLUSIVE, reason: 'threads need a cross-origin isolated page, so only the processes run was made' };
      if ([f.opposite, f.consistent, f.processes].includes('failed') || !f.opposite || !f.consistent) return null;
      const [o, c, p] = [f.opposite, f.consistent, f.processes].map((x) => x === 'deadlock');
      // The opposite orders deadlock only if the tasks overlap: a second thread that starts after the first already
      // released both locks finds them free.
      if (!o && !c && !p) return f.startGapMs >= f.holdMs ? { verdict: INCONCLUSIVE, reason: `the machine was busy: the second thread started ${Math.round(f.startGapMs)} ms after the first, which had taken both locks by then` } : 'none';
      if (o && !c && !p) return 'threads-opposite';
      if (o && c && !p) return 'threads-both';
      if (o && p) return 'all';
      return INCONCLUSIVE;
    },
    measured(f) {
      return `${f.lines.join('. ') || 'nothing was run'}.${f.line ? ` The lab's locks reported: “${f.line}”.` : ''}`;
    },
    steps(verdict, f) {
      const steps = [];
      if (verdict === 'threads-opposite' || verdict === 'threads-both') steps.push(`Each thread took its first lock and, ${f.holdMs} ms later, waited for the other's: each waits for a lock the other holds and will release only after it gets the one it waits for. Nothing can move; that is a deadlock. The lab's own locks know who holds what and who waits for what (a wait-for graph); once every waiter in the cycle had waited past its bound (cpp/lab_lock.hpp), the run ended with one line naming them.`);
      if (verdict === 'none') steps.push('No run deadlocked here: a deadlock needs both tasks to hold their first lock at the same time.');
      steps.push('Taking the locks in one order everywhere (A before B) makes a cycle impossible: whoever has A is never waiting for someone who has B and wants A. That is the usual rule; C++\'s std::scoped_lock(a, b) and std::lock take several locks without deadlock, whatever order they are named in.');
      steps.push('Each process has its own memory, so its own locks: the two processes never share A or B, so they cannot deadlock on them (they would need a lock in shared memory, or a file lock). Sequential and async runs take one task at a time: one task never waits for another.');
      steps.push('Python deadlocks the same way with two threading.Lock objects taken in opposite orders, and never tells you: the program just stops. lock.acquire(timeout=...) lets a thread give up and say so.');
      return steps;
    },
    cpython: 'python3 reference/cpython/deadlock.py; python3 reference/cpython/deadlock.py --lock-order consistent',
  },
  {
    id: 'responsiveness', lesson: '13-responsiveness', title: 'Responsiveness: long work on the page\'s own thread',
    covers: 'The claim that threads keep a GUI responsive ("refresh the UI from a thread"): the page\'s own thread, a Web Worker, and one event loop',
    question: 'An animation runs on this card. The same CPU-bound job (about half a second to a second) runs once on the page\'s own thread and once in a Web Worker. What happens to the animation?',
    predictions: [{ id: 'both', text: 'Both freeze it: the computer is busy either way.' }, { id: 'main-only', text: 'Only the job on the page\'s own thread freezes it; with the job in a worker it keeps moving.' }, { id: 'neither', text: 'Neither: the browser keeps animating whatever runs.' }, { id: 'worker-only', text: 'Only the worker freezes it: a second thread takes the CPU from the page.' }],
    runner: 'responsiveness',
    // Its native preset measures only the event-loop half (a terminal has no frames): nothing of it to upload here.
    nativeApart: 'the event-loop half: 10 timers due while one CPU-bound job runs on an event loop, on threads, under a simulated interpreter lock and in processes; it prints its own figures, there is nothing to upload here',
    repeats: 1,
    // The job's length on the page's thread (rounds of work until then; the worker does as many), and the timers.
    resp: { jobMs: 600, timers: 10, everyMs: 20 },
    runs: 'Runs: a small JavaScript loop (counting primes by trial division; not the lab\'s wasm, which lives in the lab worker), first on this page\'s own thread for 0.6 s (on purpose: the page freezes for that long), then the same number of rounds in a Web Worker, while an animation runs; then 10 timers due every 20 ms on the page\'s event loop, without and with the same job on that thread.',
    figures(view, env, results) {
      return responsivenessFigures(results.find((r) => r?.kind === 'responsiveness'));
    },
    judge: judgeResponsiveness,
    measured(f) {
      if (!f.ok) return 'nothing was measured.';
      const side = (x, where) => `Job ${where} ${ms(x.jobMs)}: longest frame gap ${ms(x.longestGapMs)} (${times(x.longestGapFrames)} the frame interval), ${x.missed} frame${x.missed === 1 ? '' : 's'} missed; a click queued as a task at the job's start was handled after ${ms(x.clickDelayMs)}, a setTimeout(0) ran after ${ms(x.timeoutDelayMs)}`;
      const t = f.timers;
      return `frame interval before the job ${ms(f.frameMs)} (median of ${f.baselineFrames} frames). ${side(f.main, 'on the page\'s own thread')}. ${side(f.worker, 'in a worker')}. Event loop: ${t.count} timers due every ${t.everyMs} ms ran late by a median of ${ms(t.quietMedianMs)} with nothing else running, and by ${ms(t.busyMedianMs)} (up to ${ms(t.busyMaxMs)}) while one ${ms(t.jobMs)} task ran on the same thread.`;
    },
    steps(verdict, f) {
      const steps = [];
      if (f.ok) {
        steps.push(`On the page's own thread the job held the thread for ${ms(f.main.jobMs)}: no frame could be drawn, so the longest gap between frames was ${times(f.main.longestGapFrames)} the usual ${ms(f.frameMs)}, and a click queued at its start waited ${ms(f.main.clickDelayMs)}, until the job was over. In a worker the page's thread stayed free: its longest gap was ${times(f.worker.longestGapFrames)} the frame interval and the click waited ${ms(f.worker.clickDelayMs)}.`);
        if (verdict === INCONCLUSIVE) steps.push('The figures sit between the predictions: another program may have had the CPU, or (with 1 logical CPU) the worker and the page shared one core.');
        steps.push(`The event-loop version: one CPU-bound task of ${ms(f.timers.jobMs)} on the loop delayed every timer due meanwhile (median ${ms(f.timers.busyMedianMs)} late instead of ${ms(f.timers.quietMedianMs)}): a loop runs one callback at a time and cannot run a timer until the running one returns. asyncio is the same: a CPU-bound coroutine blocks every other task until it awaits.`);
      }
      steps.push('The DOM, like most GUI toolkits, may only be touched from its own thread, so "refresh the UI from a thread" is not the fix: keep long work off the UI thread (a worker here, a thread or process in a desktop program) and send the results back to it as messages.');
      return steps;
    },
    cpython: null,
  },
  {
    id: 'copy', lesson: '14-copy-files', title: 'Copying real files: one worker or several',
    covers: 'Experiment 1 (copying two 250 MB files took 7–10 s with one thread, 4.5–5.5 s with two), with real files in the browser\'s Origin Private File System',
    question: 'Four files of 16 MiB are copied in the browser\'s own file system (the Origin Private File System): by one process worker, one file after another, then by several process workers (2 to 4, as many as the CPUs), one file each. Is the copy faster with several?',
    predictions: [{ id: 'faster', text: 'Several workers copy faster: each copies its own file at the same time.' }, { id: 'same', text: 'No faster: the files share one disk, which does one thing at a time.' }, { id: 'slower', text: 'Slower: the workers get in each other\'s way on the disk.' }],
    // Judged without the workers' start-up (each instantiates its own wasm), as the CPU card judges processes.
    spreadField: 'busy',
    plan(env) {
      const p = copyPlan(coresOf(env), limitsOf(env));
      const params = { workload: 'copy', files: p.files, file_mib: p.fileMib, fsync: 0, cold: 0, seed: 1 };
      return [job('one', params, 'processes', 1), job('many', params, 'processes', p.workers)];
    },
    figures(view, env, results) {
      const p = copyPlan(coresOf(env), limitsOf(env));
      const mine = results.filter((r) => ['one', 'many'].includes(r.job?.key));
      const failed = mine.find((r) => !r.run || !r.run.ok || !r.run.complete);
      const checksums = new Set(mine.filter((r) => r.run?.ok && r.run.complete).map((r) => String(r.run.checksum)));
      const range = (key) => {
        const xs = samplesOf(results, key, 'busy');
        return xs.length ? [Math.min(...xs), Math.max(...xs)] : [NaN, NaN];
      };
      return {
        ...p, ran: mine.length > 0, failed: failed ? String(failed.run?.error ?? failed.error ?? 'stopped before the end') : null,
        checksumsAgree: checksums.size <= 1,
        one: view.time('one', 'busy'), many: view.time('many', 'busy'), ratio: view.ratio('one', 'many', 'busy', 'busy'),
        oneRange: range('one'), manyRange: range('many'),
        processStarts: processStartsText(startsOf(results, ['one', 'many'])),
      };
    },
    judge: judgeCopy,
    measured(f) {
      if (!f.ran) return '';
      if (f.failed) return `A run failed: ${f.failed}.`;
      const spread = (r) => (Number.isFinite(r[0]) ? ` (${seconds(r[0])} to ${seconds(r[1])})` : '');
      return `${f.files} files of ${f.fileMib} MiB: 1 process worker ${seconds(f.one)}${spread(f.oneRange)}, ${f.workers} process workers ${seconds(f.many)}${spread(f.manyRange)}: ${times(f.ratio)} (medians of ${REPEATS}, the workers' start-up left out${f.processStarts ? `; ${f.processStarts}` : ''}).`;
    },
    steps(verdict, f, env) {
      const steps = [];
      if (verdict === 'faster') steps.push(`${f.workers} workers copied the files ${times(f.ratio)} faster than one. The sources were written a moment before the run, so they were most likely still in memory (the operating system's page cache, and the browser's own buffers): a copy of them is work for the CPU (reading, hashing and writing each MiB), and workers on several cores share it like any CPU work.`);
      if (verdict === 'same' || verdict === 'slower') steps.push(`${f.workers} workers gained nothing over one (${times(f.ratio)}): something they share (the disk, the browser's storage layer, or too few free cores: this browser reports ${coresOf(env)}) set the pace.`);
      steps.push('What the browser measures: these files live in the browser\'s profile on this machine\'s disk, behind the browser\'s own storage layer (the Origin Private File System, with synchronous access handles in workers); the page cannot touch any other file. A browser "process" is a Web Worker with its own WebAssembly instance, and each opens its task\'s files before the task (a file opens only asynchronously there), which is counted in the task\'s time.');
      steps.push('Natively (parlab experiment run copy) the lesson also drops the sources from the page cache (--cold 1) or waits for the disk after each copy (--fsync 1): only then do the copies wait for the device, and what helps is several requests in flight, which threads give as well as processes (CPython releases the GIL while a read or a write waits).');
      return steps;
    },
    cpython: 'python3 reference/cpython/copy_files.py --files 4 --file-mib 16 --workers 2',
  },
  {
    id: 'mpi-hosts', lesson: '15-processes-across-machines', title: 'Processes across machines: MPI',
    covers: 'Processes on one machine and on several (MPI, Open MPI): the process pool\'s design, with MPI messages instead of pipes, read from uploaded parlab-mpi results',
    question: 'parlab-mpi runs the primes as an MPI job: rank 0 hands out the tasks, the other ranks (processes, on one machine or on several) compute them. With 2 and 4 worker ranks instead of 1, what happens to the time?',
    predictions: [
      { id: 'scales', text: 'It gets faster, as with a process pool: each rank is a process computing on a core of its own, wherever it runs.' },
      { id: 'flat', text: 'No faster: the messages between the ranks cost as much as the ranks save.' },
      { id: 'slower', text: 'Slower: ranks on other machines spend their time waiting for the network.' },
    ],
    // Nothing runs in the browser (a page cannot start an MPI job): the card judges uploaded results (mpiResults).
    runner: 'uploads',
    runs: 'Nothing runs in the browser: a page cannot start MPI processes. The card reads the parlab-mpi results uploaded on this page (the button below, or Upload in the Workbench): the runs with 1 worker rank and with more, of one workload and its parameters.',
    runLabel: 'Read the uploaded runs',
    uploadLabel: 'Upload parlab-mpi results files (or use those already uploaded on this page)',
    // What makes its files, shown on the card in place of a native preset.
    commands: {
      intro: 'Natively, under MPI (1, 2 and 4 worker ranks; rank 0 hands out the tasks): run these, then upload the files here.',
      lines: [
        'mpirun -np 2 build/native/parlab-mpi run --workload primes --out m1.json',
        'mpirun -np 3 build/native/parlab-mpi run --workload primes --out m2.json',
        'mpirun -np 5 build/native/parlab-mpi run --workload primes --out m4.json',
      ],
    },
    figures: mpiFigures,
    judge: judgeMpi,
    measured(f) {
      if (!f.ran) return 'no MPI results uploaded.';
      const hosts = (w) => `${f.hosts[w]} host${f.hosts[w] === 1 ? '' : 's'}`;
      const runs = f.workers.map((w) => `${w} worker rank${w === 1 ? '' : 's'} (${hosts(w)}) ${seconds(f.times[w])}${w > 1 && Number.isFinite(f.speedups[w]) ? `, ${times(f.speedups[w])}` : ''}`);
      return `${f.workload} (${f.summary}) from ${f.files} uploaded file${f.files === 1 ? '' : 's'}, machines of ${f.cpus ?? '?'} logical CPUs: ${runs.join('; ')} (speed-ups over 1 worker rank, medians where a run was repeated).`
        + (Number.isFinite(f.messageShare) ? ` Between two tasks a rank waited ${percent(f.messageShare)} of a task's time for its next one.` : '');
    },
    steps(verdict, f, env) {
      const cpus = coresOf(env);
      const most = f.workers.at(-1);
      const reach = mpiReach(f, most, cpus);
      const steps = ['Each rank of an MPI job is a process with its own memory, started by mpirun; rank 0 hands out the tasks and collects the results by MPI messages, as the lab\'s process pool does with pipes. On one machine, ranks are processes like the pool\'s and the messages go through shared memory; across machines they cross the network.'];
      if (Number.isFinite(reach)) steps.push(`With ${most} worker ranks on ${f.hosts[most]} host${f.hosts[most] === 1 ? '' : 's'} of ${cpus} logical CPUs each (the file says rank 0's machine has ${cpus}; the others are taken to be alike), and tasks of these sizes handed out in order, no schedule beats ${times(reach)}.`);
      if (verdict === 'scales') steps.push(`Measured: ${times(f.speedups[most])}. The tasks are large beside a message (a request and an answer of a few bytes each), so the ranks spent their time computing, and several of them computed at once, on one machine or on several.`);
      if (verdict === 'flat' && reach < FAST) steps.push('No gain was possible here: too few CPUs or too few tasks for the ranks to compute at the same time.');
      else if (verdict === 'flat' || verdict === 'slower') steps.push(`Measured: ${times(f.speedups[most])}. Each task cost a request and an answer through rank 0${Number.isFinite(f.messageShare) ? `, and the ranks waited ${percent(f.messageShare)} of a task's time between tasks` : ''}: when a message costs as much as a task (tiny tasks, or a slow network between the hosts), more ranks only add messages. Bigger tasks (fewer chunks) win it back, as in lesson 3.`);
      steps.push('A message between ranks on one machine costs microseconds, like a pipe (lesson 5); between machines it crosses the network, tens of microseconds or more: that is why MPI jobs send few, large messages. docs/mpi.md says how to run the job on several machines.');
      return steps;
    },
    cpython: null,
  },
];

// ---------------------------------------------------------------------------------------------------------------
// The MPI card: it runs nothing; it reads the uploaded runs of a mode only results files carry (parlab-mpi's)

const mpiTasksHosts = (run) => new Set((run?.tasks ?? []).map((t) => t.host).filter((h) => typeof h === 'string')).size;

/// The uploaded runs the MPI card judges, from the uploaded sets ({label, environment, runs}): every finished run of a
/// mode only results files carry (the lab info's result modes: mpi), of one workload and parameters (the one with
/// the most worker counts, a 1-worker run first; the latest upload on a tie), as {job: {key: "r<workers>", mode,
/// workers, params}, run, source}. Each run carries its file's hosts (mpiHosts) for its timeline. Returns {results,
/// cpus}: cpus is the logical CPUs the files give for rank 0's machine (the least of them), or null.
export function mpiResults(sets) {
  const groups = new Map();
  (sets ?? []).forEach((set, index) => {
    for (const run of set.runs ?? []) {
      if (!isResultOnlyMode(run.mode) || !run.ok || !run.complete || !(run.wall_s > 0)) continue;
      const params = Object.fromEntries(Object.entries(run.params ?? {}).sort(([a], [b]) => a.localeCompare(b)));
      const key = JSON.stringify([run.workload, run.mode, params]);
      if (!groups.has(key)) groups.set(key, { latest: index, entries: [] });
      const group = groups.get(key);
      group.latest = index;
      const job = { key: `r${run.workers}`, mode: run.mode, workers: run.workers, params: { workload: run.workload, ...params } };
      group.entries.push({ job, run: { ...run, mpiHosts: set.environment?.mpi?.hosts ?? null }, source: set.label, cpus: set.environment?.logical_cpus });
    }
  });
  const score = (g) => [g.entries.some((e) => e.job.workers === 1) ? 1 : 0, new Set(g.entries.map((e) => e.job.workers)).size, g.latest];
  const best = [...groups.values()].sort((a, b) => {
    const [x, y] = [score(a), score(b)];
    return y[0] - x[0] || y[1] - x[1] || y[2] - x[2];
  })[0];
  if (!best) return { results: [], cpus: null };
  const cpus = best.entries.map((e) => e.cpus).filter((n) => Number.isInteger(n) && n > 0);
  return { results: best.entries.map(({ job, run, source }) => ({ job, run, source })), cpus: cpus.length ? Math.min(...cpus) : null };
}

/// The repeat of job `key` with the median wall time (the lower middle of an even count), or null.
function medianRun(results, key) {
  const timed = results.filter((r) => r.job?.key === key && wallOf(r) > 0).sort((a, b) => wallOf(a) - wallOf(b));
  return timed.length ? timed[(timed.length - 1) >> 1].run : null;
}

/// How long a rank of a run waited between two of its tasks (the next task's start less the last one's end: what a
/// task's answer and the next request cost), on average, as a share of a task's average time. NaN when no rank ran
/// two tasks.
export function waitBetweenTasks(run) {
  const byWorker = new Map();
  for (const t of run?.tasks ?? []) byWorker.set(t.worker, [...(byWorker.get(t.worker) ?? []), t]);
  let waited = 0;
  let computed = 0;
  let gaps = 0;
  for (const tasks of byWorker.values()) {
    tasks.sort((a, b) => a.start_s - b.start_s);
    tasks.forEach((t, i) => {
      computed += t.end_s - t.start_s;
      if (i > 0) {
        waited += Math.max(0, t.start_s - tasks[i - 1].end_s);
        gaps += 1;
      }
    });
  }
  const averageTask = computed / run.tasks.length;
  return gaps > 0 && averageTask > 0 ? waited / gaps / averageTask : NaN;
}

/// The MPI card's figures: the worker-rank counts uploaded, each one's median time, speed-up over 1 worker rank and
/// hosts used; the speed-up the task sizes allow (from the 1-rank run's tasks, handed out in order: taskBound); how
/// long ranks waited between tasks (waitBetweenTasks); the files and the CPUs they give.
export function mpiFigures(view, env, results) {
  const mine = results.filter((r) => /^r\d+$/.test(r.job?.key ?? '') && r.run);
  const workers = uniqSorted(mine.filter((r) => wallOf(r) > 0).map((r) => r.job.workers));
  const first = mine[0];
  const one = medianRun(results, 'r1');
  const durations = [...(one?.tasks ?? [])].sort((a, b) => a.id - b.id).map((t) => t.end_s - t.start_s);
  const total = durations.reduce((a, b) => a + b, 0);
  const most = workers.at(-1);
  return {
    ran: workers.length > 0,
    workload: first?.run.workload ?? '?',
    summary: Object.entries(first?.run.params ?? {}).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : v}`).join(', ') || 'defaults',
    files: new Set(mine.map((r) => r.source)).size,
    cpus: Number.isInteger(env?.cores) ? env.cores : null,
    workers,
    times: Object.fromEntries(workers.map((w) => [w, view.time(`r${w}`)])),
    speedups: Object.fromEntries(workers.filter((w) => w > 1).map((w) => [w, view.ratio('r1', `r${w}`)])),
    hosts: Object.fromEntries(workers.map((w) => [w, Math.max(1, mpiTasksHosts(medianRun(results, `r${w}`)))])),
    taskBound: Object.fromEntries(workers.map((w) => [w, durations.length && durations.every((d) => d > 0) ? total / makespan(durations, w) : NaN])),
    messageShare: most > 1 ? waitBetweenTasks(medianRun(results, `r${most}`)) : NaN,
  };
}

/// The most speed-up `workers` worker ranks can give: the ranks, the CPUs of the hosts they ran on (each host taken
/// to have `cpus`, as rank 0's does), and the task sizes handed out in order (taskBound, where known).
export function mpiReach(f, workers, cpus) {
  if (!Number.isInteger(workers)) return NaN;
  const bound = f.taskBound?.[workers];
  return Math.min(workers, cpus * (f.hosts?.[workers] ?? 1), Number.isFinite(bound) ? bound : Infinity);
}

/// Slower: at most this share of 1 worker rank's speed (a gap below FLAT's inverse, so that ±20% of "no faster"
/// never reads as slower).
const SLOWER = 0.75;
/// A rank that waits between tasks at least this share of a task's time spends as much on messages as on work.
const MESSAGES_COST = 0.5;

/// The MPI card's verdict from the speed-up at the most worker ranks uploaded and the CPUs (per host): "scales" when
/// it clearly gained, "flat" within FLAT when nothing could be gained (too few CPUs or tasks) or the ranks waited
/// between tasks as long as the tasks took (messages cost what the work saved), "slower" below SLOWER; inconclusive
/// without a 1-rank run or a run with more ranks, between claims, faster than the ranks and CPUs could make it, or
/// flat although the ranks could compute at once and hardly waited for messages (a busy machine).
export function judgeMpi(f, cpus) {
  if (!f?.ran) return null;
  const most = f.workers.filter((w) => w > 1 && Number.isFinite(f.speedups[w])).at(-1);
  if (!f.workers.includes(1)) return { verdict: INCONCLUSIVE, reason: 'no run with 1 worker rank to compare with was uploaded (mpirun -np 2 …)' };
  if (most === undefined) return { verdict: INCONCLUSIVE, reason: 'no run with more than 1 worker rank was uploaded (mpirun -np 3 or more)' };
  const s = f.speedups[most];
  const reach = mpiReach(f, most, cpus);
  if (s > 1.25 * reach) return { verdict: INCONCLUSIVE, reason: `${times(s)} with ${most} worker ranks is more than ${times(reach)}, the most the CPUs and the task sizes allow: the runs compared differ in more than their ranks (machines, parameters or load)` };
  if (s < SLOWER) return 'slower';
  if (s <= FLAT) {
    if (reach < FAST || f.messageShare >= MESSAGES_COST) return 'flat';
    const waited = Number.isFinite(f.messageShare) ? `the ranks waited only ${percent(f.messageShare)} of a task's time between tasks` : 'no rank ran two tasks to show what messages cost';
    return { verdict: INCONCLUSIVE, reason: `no gain with ${most} worker ranks although they could reach ${times(reach)}, and ${waited}: the machines were busy, or the ranks shared cores` };
  }
  if (s >= FAST) return 'scales';
  return INCONCLUSIVE;
}

/// The copy card's plan from the logical CPUs C: W = clamp(C, 2, 4) process workers (the files share one disk, not
/// the CPUs), 4 files of 16 MiB (one per worker at most): the whole copy is tens of milliseconds on a fast disk.
export function copyPlan(cpus, limits = PAGE_LIMITS) {
  const workers = clamp(cpus, 2, Math.max(2, Math.min(4, limits.maxWorkers)));
  return { workers, files: Math.max(4, workers), fileMib: 16 };
}

/// The copy card's verdict: "faster" or "slower" when the speed-up of W workers over one clears FAST (its inverse)
/// and the repeats' spreads do not overlap; "same" within FLAT; inconclusive when a run failed (a browser without
/// the Origin Private File System's sync access handles refuses the run, naming what it lacks), the copies' checksums
/// differ, the spreads overlap, or the speed-up sits between the claims.
export function judgeCopy(f, cpus) {
  if (!f?.ran) return null;
  if (f.failed) return { verdict: INCONCLUSIVE, reason: `a run failed: ${f.failed}` };
  if (!f.checksumsAgree) return { verdict: INCONCLUSIVE, reason: 'the runs\' checksums differ: the copies did not hold the same bytes' };
  if (!Number.isFinite(f.ratio)) return null;
  const overlap = !(f.oneRange[1] < f.manyRange[0] || f.manyRange[1] < f.oneRange[0]);
  if (f.ratio >= 1 / FLAT && f.ratio <= FLAT) return 'same';
  if (f.ratio >= FAST || f.ratio <= 1 / FAST) {
    if (!overlap) return f.ratio >= FAST ? 'faster' : 'slower';
    return { verdict: INCONCLUSIVE, reason: `the repeats' times overlap (1 worker ${seconds(f.oneRange[0])} to ${seconds(f.oneRange[1])}, ${f.workers} workers ${seconds(f.manyRange[0])} to ${seconds(f.manyRange[1])}), so the ${times(f.ratio)} of the medians may be chance${cpus < 2 ? ' (one CPU)' : ''}` };
  }
  return INCONCLUSIVE;
}

/// The races card's plan from the logical CPUs C: W = clamp(C, 2, 4) workers (a race needs two; more only lengthens
/// the mutex runs), one task per worker, each adding 1 to the counter 2,000,000 times (presets.cpp: the same).
export function racePlan(cpus, limits = PAGE_LIMITS) {
  const workers = clamp(cpus, 2, Math.max(2, Math.min(4, limits.maxWorkers)));
  return { workers, count: workers, increments: 2000000 };
}

/// The races card's figures of one job from its runs: median lost updates, their share of the increments made, and
/// the median cost per increment (run time less start-up, ns); ran false when no repeat finished.
function counterFigures(results, key) {
  const runs = results.filter((r) => r.job?.key === key && r.run?.ok && r.run.complete && Number.isFinite(r.run.lost_updates)).map((r) => r.run);
  if (!runs.length) return { ran: false, lost: NaN, share: NaN, ns: NaN, made: NaN, most: NaN, overlapped: false };
  const made = Number(runs[0].checksum);
  const lost = median(runs.map((r) => r.lost_updates));
  const ns = runs.map((r) => r.ns_per_increment).filter(Number.isFinite);
  // Whether two tasks of some repeat ran at the same time (their intervals overlap): only then can they race.
  const overlapped = runs.some((r) => (r.tasks ?? []).some((a) => r.tasks.some((b) => a !== b && a.start_s < b.end_s && b.start_s < a.end_s)));
  return { ran: true, lost, made, share: made > 0 ? lost / made : NaN, ns: ns.length ? median(ns) : NaN, most: Math.max(...runs.map((r) => r.lost_updates)), overlapped };
}
const RACE_KEYS = ['seq', 'none', 'atomic', 'mutex', 'local', 'gil', 'proc'];
const lostText = (f) => (f.ran ? `${Math.round(f.lost).toLocaleString('en')} of ${f.made.toLocaleString('en')} updates lost (${(f.share * 100).toFixed(f.share > 0 && f.share < 0.001 ? 3 : 1)}%)${Number.isFinite(f.ns) ? `, ${f.ns.toFixed(f.ns < 10 ? 2 : 1)} ns per increment` : ''}` : 'not run');

/// Jobs of the tiny-tasks card: the overhead workload (a cheap function over lots of data, copied to each process
/// worker) when this build has it (env.workloads lists the workloads the page knows), else factorials.
function overheadJobs(env) {
  const workers = clamp(coresOf(env), 2, Math.min(8, limitsOf(env).maxWorkers));
  if (env?.workloads?.includes('overhead')) {
    const base = { workload: 'overhead', items: 8000, item_bytes: 512, work: 1, seed: 1 };
    return [
      job('seq', { ...base, chunk: 1 }, 'sequential', 1),
      job('t1', { ...base, chunk: 1 }, 'threads', 2),
      job('p1', { ...base, chunk: 1 }, 'processes', workers, COLD),
      job('pc', { ...base, chunk: 1000 }, 'processes', workers, COLD),
    ];
  }
  // factorials has no chunk parameter: without the overhead workload only the one-item-per-task runs are made.
  const one = { workload: 'factorials', inputs: [10, 20, 30, 40, 50], repeat: 400 };
  return [job('seq', one, 'sequential', 1), job('t1', one, 'threads', 2), job('p1', one, 'processes', workers, COLD)];
}

// ---------------------------------------------------------------------------------------------------------------
// The critical-path bound of the cpu-gil card

/// From a sequential run's task durations: each task's share of the work, the bound total / longest, and what a
/// pool handing tasks out in order (or largest first) can reach with 2 and 3 workers. {ok: false} without tasks.
export function criticalPathBound(sequentialEntries) {
  const runs = sequentialEntries.map((e) => e.run).filter((r) => r?.ok && r.complete && Array.isArray(r.tasks) && r.tasks.length);
  if (!runs.length) return { ok: false };
  // Median duration per task id over the repeats.
  const ids = [...new Set(runs.flatMap((r) => r.tasks.map((t) => t.id)))].sort((a, b) => a - b);
  const durations = ids.map((id) => median(runs.map((r) => r.tasks.find((t) => t.id === id)).filter(Boolean).map((t) => t.end_s - t.start_s)));
  if (durations.some((d) => !(d > 0))) return { ok: false };
  const total = durations.reduce((a, b) => a + b, 0);
  const reach = (order, workers) => total / makespan(order, workers);
  const largest = [...durations].sort((a, b) => b - a);
  return {
    ok: true,
    shares: durations.map((d) => d / total),
    limit: total / Math.max(...durations),
    inOrder: { 2: reach(durations, 2), 3: reach(durations, 3) },
    largestFirst: { 2: reach(largest, 2), 3: reach(largest, 3) },
  };
}

/// When the last of `durations` ends if each is handed, in order, to whichever of `workers` frees up first.
export function makespan(durations, workers) {
  const free = Array(workers).fill(0);
  for (const d of durations) {
    const i = free.indexOf(Math.min(...free));
    free[i] += d;
  }
  return Math.max(...free);
}

const boundText = (b) => (b.ok ? `total / longest task = ${times(b.limit)}; in order ×2 ${times(b.inOrder[2])}, ×3 ${times(b.inOrder[3])}` : 'unknown (no sequential run)');

/// One line per uploaded set ({label, runs}) with runs that `matches`: each mode's best speed-up over the set's own
/// sequential run (medians), e.g. "CPython 3.14t, GIL off (uploaded: ft.json): threads ×2 1.4×, ×3 1.6×".
export function compareUploadedSets(sets, matches) {
  const lines = [];
  for (const set of sets ?? []) {
    const runs = (set.runs ?? []).filter((r) => matches(r) && r.ok !== false && r.complete !== false && r.wall_s > 0);
    const seq = runs.filter((r) => r.mode === 'sequential').map((r) => r.wall_s);
    if (!seq.length) continue;
    const base = median(seq);
    const parts = [];
    // Modes in the order the set first ran them.
    for (const mode of new Set(runs.map((r) => r.mode).filter((m) => m !== 'sequential'))) {
      const byWorkers = new Map();
      for (const r of runs.filter((x) => x.mode === mode)) byWorkers.set(r.workers, [...(byWorkers.get(r.workers) ?? []), r.wall_s]);
      const ws = [...byWorkers.keys()].sort((a, b) => a - b);
      parts.push(`${mode} ${ws.map((w) => `×${w} ${times(base / median(byWorkers.get(w)))}`).join(', ')}`);
    }
    if (parts.length) lines.push(`${set.label}: sequential ${seconds(base)}; ${parts.join('; ')}`);
  }
  return lines;
}

/// The native preset of a card that measures something: `parlab experiment run <id>` (native/experiments/presets.cpp has one
/// per card id); null for a card that only explains. A card with `nativeApart` (responsiveness) has a preset that
/// measures only part of its lesson, whose results the card does not compare. The MPI card (runner "uploads") has none:
/// its commands are mpirun's (card.commands.lines).
export const nativeCommand = (card) => (card.textOnly || card.runner === 'uploads' ? null : `parlab experiment run ${card.id}`);

// ---------------------------------------------------------------------------------------------------------------
// The responsiveness card: figures and verdict, as ratios to the frame interval measured in the same run

/// "16.7 ms" / "1.20 s" for milliseconds.
export const ms = (x) => (!Number.isFinite(x) ? '?' : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(x < 100 ? 1 : 0)} ms`);

/// A job's frame figures against the frame interval: the longest gap (ms and × the interval), and the frames missed
/// (each gap of k intervals, rounded, missed k - 1 frames).
export function frameFigures(side, frameMs) {
  const gaps = (side?.gaps ?? []).filter((g) => Number.isFinite(g) && g >= 0);
  const longestGapMs = gaps.length ? Math.max(...gaps) : NaN;
  return {
    jobMs: side?.jobMs, gaps, longestGapMs, longestGapFrames: longestGapMs / frameMs, frames: gaps.length + 1,
    missed: gaps.reduce((n, g) => n + Math.max(0, Math.round(g / frameMs) - 1), 0),
    jobFrames: side?.jobMs / frameMs, clickDelayMs: side?.clickDelayMs, timeoutDelayMs: side?.timeoutDelayMs,
  };
}

/// The card's figures from its one result ({kind: 'responsiveness', frameMs, main, worker, timers}); {ok: false} without.
export function responsivenessFigures(result) {
  if (!result || !(result.frameMs > 0) || !result.main || !result.worker || !result.timers) return { ok: false };
  const t = result.timers;
  const late = (xs) => (xs ?? []).filter(Number.isFinite);
  const busy = late(t.busyLateMs);
  const quiet = late(t.quietLateMs);
  return {
    ok: true, frameMs: result.frameMs, baselineFrames: result.baselineFrames,
    main: frameFigures(result.main, result.frameMs), worker: frameFigures(result.worker, result.frameMs),
    timers: {
      count: t.dueMs?.length ?? 0, everyMs: t.everyMs, jobMs: t.jobMs, dueMs: t.dueMs ?? [], quietLateMs: t.quietLateMs ?? [], busyLateMs: t.busyLateMs ?? [],
      quietMedianMs: quiet.length ? median(quiet) : NaN, busyMedianMs: busy.length ? median(busy) : NaN, busyMaxMs: busy.length ? Math.max(...busy) : NaN,
    },
  };
}

/// A job this many frame intervals long, or longer, can tell a freeze from a late frame.
const RESP_MIN_JOB_FRAMES = 8;
/// Smooth: no gap longer than this many frame intervals. Frozen: a gap of at least this share of the job.
const RESP_SMOOTH_FRAMES = 3;
const RESP_FROZEN_SHARE = 0.5;

/// Whether a job froze the animation: 'frozen', 'smooth', or null (between) — ratios to the frame interval only.
export function frozeDuring(side) {
  if (!Number.isFinite(side.longestGapFrames) || !Number.isFinite(side.jobFrames)) return undefined;
  if (side.longestGapFrames >= RESP_FROZEN_SHARE * side.jobFrames) return 'frozen';
  if (side.longestGapFrames <= RESP_SMOOTH_FRAMES) return 'smooth';
  return null;
}

/// The verdict from the frame figures: which of the two jobs froze the animation.
export function judgeResponsiveness(f) {
  if (!f?.ok) return null;
  const short = [['page\'s own thread', f.main], ['worker', f.worker]].find(([, x]) => !(x.jobFrames >= RESP_MIN_JOB_FRAMES));
  if (short) return { verdict: INCONCLUSIVE, reason: `the job in the ${short[0]} lasted ${times(short[1].jobFrames)} the frame interval, too short to tell a freeze from a late frame` };
  const main = frozeDuring(f.main);
  const worker = frozeDuring(f.worker);
  if (main === undefined || worker === undefined) return null;
  if (main === null || worker === null) {
    const which = main === null ? ['page\'s own thread', f.main] : ['worker', f.worker];
    return { verdict: INCONCLUSIVE, reason: `with the job in the ${which[0]} the longest frame gap was ${times(which[1].longestGapFrames)} the frame interval: neither smooth nor frozen` };
  }
  return { 'frozen,frozen': 'both', 'frozen,smooth': 'main-only', 'smooth,smooth': 'neither', 'smooth,frozen': 'worker-only' }[`${main},${worker}`];
}
