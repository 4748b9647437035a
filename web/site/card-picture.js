// A guided card's picture, pure: its runs' timelines on one time axis and a speed-up (or bars) chart with the ideal,
// the bound that applies and the learner's prediction, as Chart.js configs (charts.js) and tables (chart-tables.js).
import { configRows, timelineRows } from './chart-tables.js';
import { cpuMarks, makeBarsConfig, makeSpeedupConfig, makeTimelineConfig, referenceDataset } from './charts.js';
import { amdahlPlan, coresOf, ioPlan, limitsOf, mpiReach, ms, oversubscriptionPlan, seconds } from './experiments.js';

const finite = (x) => typeof x === 'number' && Number.isFinite(x);
const speedupText = (y) => `${y.toFixed(2)}×`;
/// The largest worker count of `workers` not above the CPUs (the smallest one when all are above).
const atCores = (workers, cpus) => workers.filter((w) => w <= cpus).at(-1) ?? workers[0];
const jobOf = (card, env, key) => (card.plan?.(env) ?? []).find((j) => j.key === key);

/// What a timeline shows of a result: the run (a two-phase job's merged run), and the time its median is taken of.
const runOf = (entry) => entry.timeline ?? entry.run ?? null;
const wallOf = (entry) => (finite(entry.total_s) ? entry.total_s : runOf(entry)?.wall_s);

/// The repeat of job `key` whose time is the median of its repeats (the lower middle of an even count); a run
/// without a time (failed, stopped) only when no repeat has one. null when the job has no run.
export function medianEntry(results, key) {
  const mine = results.filter((r) => r.job?.key === key && runOf(r));
  const timed = mine.filter((r) => finite(wallOf(r))).sort((a, b) => wallOf(a) - wallOf(b));
  if (timed.length) return timed[(timed.length - 1) >> 1];
  return mine[0] ?? null;
}

/// A job in a few words: "threads ×3", "gather threads ×6, render processes ×6".
export function jobLabel(j) {
  if (!j) return '?';
  if (j.gather) return `gather ${j.gather.mode} ×${j.gather.workers}, render ${j.render.mode} ×${j.render.workers}`;
  return j.mode === 'sequential' ? `${j.params?.workload ?? ''} sequential`.trim() : `${j.params?.workload ?? ''} ${j.mode} ×${j.workers}`.trim();
}

// ---------------------------------------------------------------------------------------------------------------
// Per card: which runs' timelines, the chart's points, its bound, and expect(prediction, env, figures): the shape
// the learner's prediction gives at the chart's points (pure; figures only for a constant the prediction keeps, as
// Amdahl's serial share).

const line = (label, points) => ({ label, points });
const flat = (label, y, xs) => line(label, [{ x: 1, y }, { x: Math.max(2, ...xs), y }]);
const byKey = (keys, f) => Object.fromEntries(keys.map((k) => [k, f(k)]));

const PICTURES = {
  'io-threads': {
    timelines(env) {
      const p = ioPlan(coresOf(env), limitsOf(env));
      return ['seq', `t${p.threads.at(-1)}`, `a${p.async}`];
    },
    chart(f, env) {
      const p = ioPlan(coresOf(env), limitsOf(env));
      return {
        kind: 'workers',
        series: [
          { label: 'threads', mode: 'threads', points: [{ workers: 1, speedup: 1, base: true }, ...p.threads.map((w) => ({ workers: w, speedup: f.threads[w] }))] },
          { label: 'threads-gil', mode: 'threads-gil', points: [{ workers: p.gil, speedup: f.gil[p.gil] }] },
          { label: 'async (one thread)', mode: 'async', points: [{ workers: p.async, speedup: f.async[p.async] }] },
        ],
        bound: flat(`bound: ${p.count} downloads overlap at most ${p.count}×`, p.count, [p.async, ...p.threads]),
      };
    },
    expect(id, env) {
      const cpus = coresOf(env);
      const p = ioPlan(cpus, limitsOf(env));
      const xs = [...new Set([1, ...p.threads, p.async])].sort((a, b) => a - b);
      const y = { none: () => 1, cores: (w) => Math.min(w, cpus), more: (w) => Math.min(w, p.count), slower: (w) => (w === 1 ? 1 : 0.7) }[id];
      return y ? [line('your prediction', xs.map((x) => ({ x, y: y(x) })))] : [];
    },
  },

  'cpu-gil': {
    timelines: () => ['seq', 't3', 'g3', 'p3'],
    chart(f, env) {
      const cpus = coresOf(env);
      const reach = (w, order) => Math.min(cpus, w, f.bound?.ok ? f.bound[order][w] : w);
      const bars = [];
      for (const w of [2, 3]) {
        bars.push({ key: `t${w}`, label: `threads ×${w}`, mode: 'threads', value: f.threads[w], workers: w, bound: reach(w, 'inOrder') });
        bars.push({ key: `g${w}`, label: `threads-gil ×${w}`, mode: 'threads-gil', value: f.gil[w], workers: w, bound: reach(w, 'inOrder') });
        bars.push({ key: `p${w}`, label: `processes ×${w} (start-up left out)`, mode: 'processes', value: f.processesBusy[w], workers: w, bound: reach(w, 'inOrder') });
      }
      for (const w of [2, 3]) bars.push({ key: `l${w}`, label: `threads ×${w}, largest first`, mode: 'threads', value: f.largestFirst[w], workers: w, bound: reach(w, 'largestFirst') });
      return { kind: 'bars', bars, boundLabel: 'bound: the CPUs and the longest task (total work / the busiest worker\'s share)' };
    },
    expect(id, env) {
      const cpus = coresOf(env);
      const gains = { all: 'tglp', 'not-gil': 'tpl', 'processes-only': 'p', none: '' }[id];
      if (gains === undefined) return {};
      const keys = ['t', 'g', 'p', 'l'].flatMap((m) => [`${m}2`, `${m}3`]);
      return byKey(keys, (k) => (gains.includes(k[0]) ? Math.min(Number(k[1]), cpus) : 1));
    },
  },

  'tiny-tasks': {
    timelines: () => ['pc'],
    chart(f, env, results, card) {
      const workers = (key) => results.find((r) => r.job?.key === key)?.job.workers ?? jobOf(card, env, key)?.workers;
      const cpus = coresOf(env);
      const bar = (key, mode, what, value) => ({ key, label: `${mode} ×${workers(key)}, ${what}`, mode, value, workers: workers(key), bound: Math.min(workers(key), cpus) });
      return {
        kind: 'bars', logY: true, yTitle: 'speed-up (× sequential, log scale)',
        bars: [bar('t1', 'threads', 'one item a task', f.threads1), bar('p1', 'processes', 'one item a task', f.processes1),
          bar('pc', 'processes', 'chunks of 1000', f.processesChunked)],
        boundLabel: 'bound: the CPUs',
      };
    },
    expect(id, env, f, card) {
      const cpus = coresOf(env);
      const full = (key) => Math.min(jobOf(card, env, key)?.workers ?? 1, cpus);
      const shape = { faster: [full('p1'), full('pc')], 'chunk-helps': [0.1, full('pc')], 'always-slower': [0.1, 0.1], same: [1, 1] }[id];
      return shape ? { p1: shape[0], pc: shape[1] } : {};
    },
  },

  'two-phase': {
    timelines: () => ['seq', 'tt', 'tg', 'tp'],
    chart(f, env, results, card) {
      const cpus = coresOf(env);
      const bar = (key, label, mode, value) => {
        const j = jobOf(card, env, key);
        const w = j?.render.workers ?? 1;
        const pages = j?.count ?? 1;
        return { key, label: `render: ${label} ×${w}`, mode, value, workers: w, bound: pages / Math.ceil(pages / Math.min(w, cpus)) };
      };
      return {
        kind: 'bars',
        bars: [bar('tt', 'threads', 'threads', f.render.tt), bar('tg', 'threads-gil', 'threads-gil', f.render.tg), bar('tp', 'processes (start-up left out)', 'processes', f.render.tpBusy)],
        boundLabel: 'bound: the CPUs, whole pages per worker',
      };
    },
    expect(id, env, f, card) {
      const par = Math.min(jobOf(card, env, 'tt')?.render.workers ?? 1, coresOf(env));
      const shape = { 'threads-threads': [par, par, par / 1.5], tie: [par, 1, par], mixed: [1, 1, par], same: [1, 1, 1] }[id];
      return shape ? { tt: shape[0], tg: shape[1], tp: shape[2] } : {};
    },
  },

  'pipes-queues': {
    timelines: () => [],
    chart(f, env, results) {
      const transports = (results[0]?.transports ?? []).filter((t) => finite(f.perMessageUs[t.id]));
      return {
        kind: 'bars', logY: true, yTitle: 'µs per message (log scale)', format: (y) => `${y < 1 ? y.toPrecision(2) : y.toFixed(1)} µs`,
        bars: transports.map((t) => ({ key: t.id, label: t.label, mode: null, value: f.perMessageUs[t.id] })),
      };
    },
    // The judge's bands: under 0.8 µs, 1.2 to 800 µs, 1.2 ms or more.
    expect(id, env, f, card, results) {
      const band = { free: [0.001, 0.8], micro: [1.2, 800], milli: [1200, 100000] }[id];
      return band ? byKey((results[0]?.transports ?? []).map((t) => t.id), () => band) : {};
    },
  },

  oversubscription: {
    timelines(env) {
      const cpus = coresOf(env);
      const { workers } = oversubscriptionPlan(cpus, limitsOf(env));
      return [...new Set([`cpu${atCores(workers, cpus)}`, `cpu${workers.at(-1)}`, `io${workers.at(-1)}`])];
    },
    chart(f, env) {
      const cpus = coresOf(env);
      const points = (byWorkers) => [{ workers: 1, speedup: 1, base: true }, ...Object.entries(byWorkers).map(([w, s]) => ({ workers: Number(w), speedup: s }))];
      return {
        kind: 'workers',
        series: [{ label: `primes (${f.cpuMode})`, mode: f.cpuMode, points: points(f.cpu) }, { label: `downloads (${f.ioMode})`, mode: f.ioMode, points: points(f.io) }],
        bound: flat(`bound: CPU-bound work gains at most the ${cpus} logical CPUs`, cpus, f.workers),
      };
    },
    expect(id, env) {
      const cpus = coresOf(env);
      const { workers } = oversubscriptionPlan(cpus, limitsOf(env));
      const grow = (w) => w;
      const stop = (w) => Math.min(w, cpus);
      const slower = (w) => (w <= cpus ? w : 0.5 * cpus);
      const shape = { 'both-grow': [grow, grow], 'cpu-stops': [stop, grow], 'both-stop': [stop, stop], slower: [slower, slower] }[id];
      if (!shape) return [];
      return [line('your prediction: primes', workers.map((x) => ({ x, y: shape[0](x) }))), line('your prediction: downloads', workers.map((x) => ({ x, y: shape[1](x) })))];
    },
  },

  amdahl: {
    timelines(env) {
      const { workers } = amdahlPlan(coresOf(env), limitsOf(env));
      return ['serial', 'w1', `w${workers.at(-1)}`];
    },
    chart(f, env, results, card) {
      const cpus = coresOf(env);
      const { workers } = amdahlPlan(cpus, limitsOf(env));
      const s = f.serialFraction;
      return {
        kind: 'workers',
        series: [{ label: 'whole job (serial part, then the parallel part)', mode: jobOf(card, env, 'w1')?.mode, points: [{ workers: 1, speedup: 1, base: true }, ...f.points.map((p) => ({ workers: p.workers, speedup: p.speedup }))] }],
        bound: finite(s) ? line(`bound: Amdahl's law, serial part ${Math.round(s * 100)}% (never past ${(1 / s).toFixed(1)}×)`, workers.map((w) => ({ x: w, y: 1 / (s + (1 - s) / Math.min(w, cpus)) }))) : null,
      };
    },
    expect(id, env, f) {
      const cpus = coresOf(env);
      const { workers } = amdahlPlan(cpus, limitsOf(env));
      const s = f?.serialFraction;
      const y = { linear: (w) => Math.min(w, cpus), capped: finite(s) ? (w) => 1 / (s + (1 - s) / Math.min(w, cpus)) : null, none: () => 1 }[id];
      return y ? [line('your prediction', workers.map((x) => ({ x, y: y(x) })))] : [];
    },
  },

  async: {
    timelines: () => ['io-seq', 'io-async', 'cpu-seq', 'cpu-async'],
    chart(f, env, results, card) {
      const slots = (key) => jobOf(card, env, key)?.workers ?? 1;
      return {
        kind: 'bars',
        bars: [
          { key: 'io', label: `downloads, async ×${slots('io-async')}`, mode: 'async', value: f.io, workers: slots('io-async'), bound: slots('io-async') },
          { key: 'cpu', label: `primes, async ×${slots('cpu-async')}`, mode: 'async', value: f.cpu, workers: slots('cpu-async'), bound: 1 },
        ],
        idealLabel: 'ideal (speed-up = tasks in flight)',
        boundLabel: 'bound: one thread computes (1×); waits overlap up to the tasks in flight',
      };
    },
    expect(id, env, f, card) {
      const io = jobOf(card, env, 'io-async')?.workers ?? 1;
      const cpu = jobOf(card, env, 'cpu-async')?.workers ?? 1;
      const shape = { both: [io, cpu], 'io-only': [io, 1], neither: [1, 1], 'cpu-only': [1, cpu] }[id];
      return shape ? { io: shape[0], cpu: shape[1] } : {};
    },
  },

  isolation: {
    timelines: () => ['processes', 'threads'],
    chart(f, env, results, card) {
      const total = jobOf(card, env, 'processes')?.params.chunks ?? 0;
      const kept = (key) => {
        const r = results.find((x) => x.job?.key === key);
        return r ? r.run?.tasks?.length ?? 0 : null;
      };
      return {
        kind: 'bars', yTitle: `task results kept (of ${total})`, format: (y) => String(Math.round(y)),
        bars: ['processes', 'threads'].map((key) => ({ key, label: `${key} ×${jobOf(card, env, key)?.workers}`, mode: key, value: kept(key), workers: total, bound: total - 1 })),
        idealLabel: `every task (${total})`,
        boundLabel: `bound: task ${jobOf(card, env, 'processes')?.params.crash_task} crashes, so at most ${total - 1}`,
      };
    },
    expect(id, env, f, card) {
      const most = (jobOf(card, env, 'processes')?.params.chunks ?? 1) - 1;
      const shape = { 'both-lost': [0, 0], 'threads-lost': [most, 0], 'both-survive': [most, most], 'processes-lost': [0, most] }[id];
      return shape ? { processes: shape[0], threads: shape[1] } : {};
    },
  },

  responsiveness: {
    timelines: () => [],
    // Frame gaps and the queued click's wait, both as multiples of the frame interval measured before the jobs.
    chart(f) {
      const bar = (key, label, side, value, bound) => ({ key, label, mode: null, value: f.ok ? value(f[side]) : NaN, bound });
      return {
        kind: 'bars', yTitle: '× the frame interval measured before the jobs', format: (y) => `${y.toFixed(1)}×`,
        bars: [
          bar('main-gap', 'longest frame gap, job on the page\'s thread', 'main', (x) => x.longestGapFrames, 1),
          bar('worker-gap', 'longest frame gap, job in a worker', 'worker', (x) => x.longestGapFrames, 1),
          bar('main-click', 'queued click\'s wait, job on the page\'s thread', 'main', (x) => x.clickDelayMs / f.frameMs),
          bar('worker-click', 'queued click\'s wait, job in a worker', 'worker', (x) => x.clickDelayMs / f.frameMs),
        ],
        boundLabel: 'bound: one frame interval (every frame on time)',
      };
    },
    // A frozen animation waits out the whole job (its length in frame intervals); a smooth one, one interval.
    expect(id, env, f) {
      if (!f?.ok) return {};
      const frozen = { both: [true, true], 'main-only': [true, false], neither: [false, false], 'worker-only': [false, true] }[id];
      if (!frozen) return {};
      const gap = (side, on) => (on ? f[side].jobFrames : 1);
      const click = (side, on) => (on ? f[side].jobFrames : 0);
      return { 'main-gap': gap('main', frozen[0]), 'worker-gap': gap('worker', frozen[1]), 'main-click': click('main', frozen[0]), 'worker-click': click('worker', frozen[1]) };
    },
    // Every frame gap of both jobs, and the event-loop version's timers.
    charts(f) {
      if (!f.ok) return [];
      return [responsivenessFrames(f), ...responsivenessTimers(f)];
    },
  },

  deadlock: {
    // A deadlocked run finishes no task: its timeline is its locks' holds and waits (run.locks) until the deadlock was
    // named, and its bar (0 tasks) and the card's line say so.
    timelines: () => ['opposite', 'consistent', 'processes'],
    chart(f, env, results, card) {
      const keys = ['opposite', 'consistent', 'processes'];
      const total = 2 * (jobOf(card, env, 'opposite')?.params.rounds ?? 1);
      const finished = (key) => {
        const r = results.find((x) => x.job?.key === key);
        return r ? r.run?.tasks?.length ?? 0 : null;
      };
      const orders = { opposite: 'opposite orders', consistent: 'one order', processes: 'opposite orders' };
      return {
        kind: 'bars', yTitle: `tasks finished (of ${total})`, format: (y) => String(Math.round(y)),
        bars: keys.map((key) => {
          const j = jobOf(card, env, key);
          return { key, label: `${j?.mode} ×${j?.workers}, ${orders[key]}`, mode: j?.mode, value: finished(key), bound: total };
        }),
        boundLabel: `bound: the run has ${total} tasks`,
      };
    },
    expect(id, env, f, card) {
      const all = 2 * (jobOf(card, env, 'opposite')?.params.rounds ?? 1);
      const shape = { none: [all, all, all], 'threads-opposite': [0, all, all], 'threads-both': [0, 0, all], all: [0, all, 0] }[id];
      return shape ? { opposite: shape[0], consistent: shape[1], processes: shape[2] } : {};
    },
  },

  // The uploaded MPI runs: the 1-rank run and the one with the most worker ranks, each a row per rank grouped by host.
  'mpi-hosts': {
    timelines: (env, results) => {
      const workers = [...new Set((results ?? []).filter((r) => r.run?.ok).map((r) => r.job?.workers))].filter(Number.isInteger).sort((a, b) => a - b);
      return [...new Set([workers[0], workers.at(-1)])].filter((w) => w !== undefined).map((w) => `r${w}`);
    },
    chart(f, env, results) {
      const cpus = coresOf(env);
      const mode = results.find((r) => r.job?.mode)?.job.mode ?? null;
      const more = f.workers.filter((w) => w > 1);
      return {
        kind: 'workers',
        series: [{ label: 'MPI worker ranks (uploaded)', mode, points: [{ workers: 1, speedup: 1, base: true }, ...more.map((w) => ({ workers: w, speedup: f.speedups[w] }))] }],
        bound: more.length ? line(`bound: the ranks, the CPUs of their hosts (${cpus} each) and the task sizes`, f.workers.map((w) => ({ x: w, y: mpiReach(f, w, cpus) }))) : null,
        // The CPUs the files give (rank 0's machine), not this browser's.
        marks: [{ x: cpus, label: `logical CPUs of rank 0's machine: ${cpus}` }],
      };
    },
    expect(id, env, f) {
      const cpus = coresOf(env);
      const y = { scales: (w) => mpiReach(f, w, cpus), flat: () => 1, slower: (w) => (w === 1 ? 1 : 0.6) }[id];
      return y && f?.workers?.length ? [line('your prediction', f.workers.map((x) => ({ x, y: y(x) })))] : [];
    },
  },

  copy: {
    timelines: () => ['one', 'many'],
    // Median time of each job with its spread (its fastest and slowest repeat), start-up left out as the card judges.
    chart(f, env, results, card) {
      const bar = (key, range) => {
        const j = jobOf(card, env, key);
        return { key, label: `copy processes ×${j?.workers ?? '?'}`, mode: 'processes', value: f[key], low: range?.[0], high: range?.[1] };
      };
      return {
        kind: 'bars', yTitle: 'time to copy the files (s, median)', format: seconds,
        bars: [bar('one', f.oneRange), bar('many', f.manyRange)],
        lowLabel: 'fastest repeat', highLabel: 'slowest repeat',
      };
    },
    // A range of times for the workers' run, from the one-worker median: W times faster at best, or no change, or slower.
    expect(id, env, f) {
      const t = f?.one;
      if (!finite(t)) return {};
      const range = { faster: [t / f.workers, t / 1.25], same: [t / 1.1, t * 1.1], slower: [t * 1.25, t * 2] }[id];
      return range ? { many: range } : {};
    },
  },

  races: {
    timelines: () => ['none', 'mutex'],
    chart(f, env, results, card) {
      const label = (key, what) => `${what} ×${jobOf(card, env, key)?.workers ?? '?'}`;
      const bar = (key, what, mode) => ({ key, label: key === 'seq' ? what : label(key, what), mode, value: f[key]?.ran ? f[key].share * 100 : NaN, bound: 100 });
      return {
        kind: 'bars', yTitle: 'updates lost (% of increments made)', format: (y) => `${y.toFixed(y > 0 && y < 0.1 ? 3 : 1)}%`,
        bars: [
          bar('seq', 'sequential', 'sequential'), bar('none', 'threads, plain', 'threads'), bar('atomic', 'threads, atomic add', 'threads'),
          bar('mutex', 'threads, mutex', 'threads'), bar('local', 'threads, private counts', 'threads'),
          bar('gil', 'threads-gil, plain', 'threads-gil'), bar('proc', 'processes (parent\'s counter)', 'processes'),
        ],
        boundLabel: 'bound: at most every increment (100%)',
      };
    },
    expect(id) {
      // A range: "loses some" is anything above 0 up to every increment; "exact" is 0.
      const exact = [0, 0];
      const some = [0, 100];
      const threaded = { 'all-exact': [exact, exact, exact, exact], 'plain-loses': [some, exact, exact, exact], 'all-lose': [some, some, some, some] }[id];
      return threaded ? { seq: exact, none: threaded[0], atomic: threaded[1], mutex: threaded[2], local: threaded[3] } : {};
    },
  },
};

/// Every frame gap of the two jobs (ms), frame by frame: the freeze is one tall bar, the worker's frames stay low.
function responsivenessFrames(f) {
  const count = Math.max(f.main.gaps.length, f.worker.gaps.length);
  const pad = (gaps) => Array.from({ length: count }, (_, i) => (Number.isFinite(gaps[i]) ? gaps[i] : null));
  const format = (y) => ms(y);
  const bars = pad(f.main.gaps).map((value, i) => ({ label: String(i + 1), mode: null, value }));
  const worker = { ...referenceDataset('ideal', 'job in a worker', pad(f.worker.gaps)), type: 'bar', borderWidth: 1 };
  const config = makeBarsConfig(bars, { label: 'job on the page\'s own thread', extra: [worker], yTitle: 'gap before the frame (ms)', format });
  return { key: 'frames', title: `Every gap between two frames while each job ran (the frame interval before them: ${ms(f.frameMs)})`, config, rows: configRows(config, format), columns: ['series', 'frame', 'gap'] };
}

/// The event-loop version: each timer's lateness, with the job on the same thread and with nothing else running.
function responsivenessTimers(f) {
  const t = f.timers;
  if (!t.count) return [];
  const finiteOrNull = (y) => (Number.isFinite(y) ? y : null);
  const bars = t.busyLateMs.map((y, i) => ({ label: `timer ${i + 1} (due at ${t.dueMs[i]} ms)`, mode: null, value: finiteOrNull(y) }));
  const format = (y) => ms(y);
  const extra = [referenceDataset('ideal', 'late by, with nothing else running', t.quietLateMs.map(finiteOrNull), { categories: true })];
  const config = makeBarsConfig(bars, { label: `late by, while a ${ms(t.jobMs)} task ran on the same thread`, extra, yTitle: 'late by (ms)', format });
  return [{ key: 'timers', title: `${t.count} timers due every ${t.everyMs} ms on the page's event loop: how late each ran`, config, rows: configRows(config, format), columns: ['series', 'timer', 'late by'] }];
}

/// Whether a card has a picture (a text-only card has none, and says nothing about it).
export const hasPicture = (card) => !card.textOnly && Boolean(PICTURES[card.id]);

/// The picture of `card` after a run: {timelines: [{key, title, config, rows, total}], chart: {config, rows,
/// columns} | null, charts: more charts of its own [{key, title, config, rows, columns}], xMax}, or null for a card
/// without one. results: what lessons.js collected ([{job, run}], a two-phase job's {job, ..., timeline});
/// summary: summarise()'s (its figures); predictionId: the learner's choice.
export function cardPicture(card, results, summary, env, predictionId) {
  if (!hasPicture(card)) return null;
  const spec = PICTURES[card.id];
  const f = summary?.figures ?? {};
  // A run that kept no task (the isolation card's crashed lab worker) has nothing to draw: its bar says so.
  // A deadlocked run keeps no task either, but its locks' holds and waits (run.locks) are its timeline.
  const chosen = spec.timelines(env, results).map((key) => ({ key, entry: medianEntry(results, key) }))
    .filter((t) => runOf(t.entry ?? {})?.tasks?.length || runOf(t.entry ?? {})?.locks?.length);
  const xMax = chosen.reduce((m, t) => Math.max(m, wallOf(t.entry) || 0, ...(runOf(t.entry).tasks ?? []).map((x) => x.end_s),
    ...(runOf(t.entry).locks ?? []).map((x) => x.to_s)), 0);
  const timelines = chosen.map(({ key, entry }) => {
    const run = runOf(entry);
    const { rows, total } = timelineRows(run);
    return { key, title: `${jobLabel(entry.job)}: ${seconds(wallOf(entry))}`, run, config: makeTimelineConfig(run, { xMax }), rows, total };
  });
  return { timelines, chart: chartOf(card, spec, f, env, results, predictionId), charts: spec.charts?.(f) ?? [], xMax };
}

function chartOf(card, spec, f, env, results, predictionId) {
  const c = spec.chart(f, env, results, card);
  const expected = spec.expect(predictionId, env, f, card, results);
  if (c.kind === 'workers') {
    // A series is drawn once it has a measured point: sequential's 1× alone (a run stopped early) is not a picture.
    const series = c.series.map((s) => ({ ...s, source: 'card', uploaded: false, points: s.points.filter((p) => finite(p.speedup)) }))
      .filter((s) => s.points.some((p) => !p.base));
    if (!series.length) return null;
    const extra = [
      ...(c.bound ? [referenceDataset('bound', c.bound.label, c.bound.points)] : []),
      ...expected.map((p) => referenceDataset('prediction', p.label, p.points.filter((q) => finite(q.y)))),
    ];
    const config = makeSpeedupConfig(series, c.marks ?? cpuMarks(env?.cores), null, { fits: false, extra, yTitle: 'speed-up (× sequential)' });
    return { config, rows: configRows(config), columns: ['series', 'workers', 'speed-up'] };
  }
  const bars = c.bars.filter((b) => finite(b.value));
  if (!bars.length) return null;
  const on = { categories: true };
  const marks = (label, kind, y) => (bars.some((b) => y(b) !== undefined) ? [referenceDataset(kind, label, bars.map((b) => y(b) ?? null), on)] : []);
  const extra = [
    ...marks(c.idealLabel ?? 'ideal (speed-up = workers)', 'ideal', (b) => b.workers),
    ...marks(c.boundLabel, 'bound', (b) => b.bound),
    ...(c.lowLabel ? marks(c.lowLabel, 'ideal', (b) => (finite(b.low) ? b.low : undefined)) : []),
    ...(c.highLabel ? marks(c.highLabel, 'bound', (b) => (finite(b.high) ? b.high : undefined)) : []),
  ];
  const format = c.format ?? speedupText;
  const prediction = bars.map((b) => expected[b.key] ?? null);
  // A range (the IPC card's bands) is a pale floating bar; a value, marks across the bars.
  if (prediction.some(Array.isArray)) extra.push({ ...referenceDataset('prediction', 'your prediction (a range)', prediction), type: 'bar', backgroundColor: 'rgba(128, 128, 128, 0.25)', borderWidth: 1 });
  else if (prediction.some((y) => y !== null)) extra.push(referenceDataset('prediction', 'your prediction', prediction, on));
  const config = makeBarsConfig(bars, { label: 'measured', extra, yTitle: c.yTitle ?? 'speed-up (× sequential)', logY: c.logY, format });
  return { config, rows: configRows(config, format), columns: ['series', 'job', c.yTitle ?? 'speed-up (× sequential)'] };
}
