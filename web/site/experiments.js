// The guided experiments: one card per lesson (docs/lessons/), as data plus small pure summaries of the runs made.
// No DOM and no wasm here, so tests/web/experiments.test.mjs checks every card in Node; lessons.js renders them.
import { fitAmdahl } from './amdahl.js';

/// Modes a card's jobs may use, and the ones that need the pthread build (a cross-origin isolated page).
export const MODES = ['sequential', 'threads', 'threads-gil', 'async', 'processes'];
export const THREAD_MODES = new Set(['threads', 'threads-gil']);

// ---------------------------------------------------------------------------------------------------------------
// Small helpers for the summaries (exported for the tests)

/// "1.9×" for a ratio, "?" when it cannot be computed.
export const times = (x) => (Number.isFinite(x) ? `${x.toFixed(x >= 10 ? 0 : 1)}×` : '?');
/// "1.23 s" / "45 ms" for seconds.
export const seconds = (s) => (!Number.isFinite(s) ? '?' : s >= 1 ? `${s.toFixed(2)} s` : `${(s * 1000).toFixed(0)} ms`);

/// The run of `results` (an array of {job, run}) made for the job with this key, if it finished well.
export function runOf(results, key) {
  const found = results.find((r) => r.job.key === key);
  return found && found.run && found.run.ok && found.run.complete && typeof found.run.wall_s === 'number' ? found.run : null;
}

/// Speed-up of run `key` over run `baseKey` (their wall times), NaN when either is missing.
export function speedup(results, baseKey, key) {
  const base = runOf(results, baseKey);
  const run = runOf(results, key);
  return base && run && run.wall_s > 0 ? base.wall_s / run.wall_s : NaN;
}

/// Speed-up of run `key` over `baseKey` leaving out `key`'s pool start-up (a browser "process" is a Web Worker
/// that must start and instantiate its own wasm: tens of ms each), NaN when either is missing.
export function speedupAfterStartup(results, baseKey, key) {
  const base = runOf(results, baseKey);
  const run = runOf(results, key);
  const busy = run ? run.wall_s - (Number.isFinite(run.startup_s) ? run.startup_s : 0) : NaN;
  return base && busy > 0 ? base.wall_s / busy : NaN;
}

const job = (key, params, mode, workers, options = {}) => ({ key, params, mode, workers: mode === 'sequential' ? 1 : workers, options });
const gil = { switch_interval_ms: 5 };
const coresOf = (env) => (Number.isInteger(env?.cores) && env.cores > 0 ? env.cores : 2);

/// A card's jobs for this page: the ones it can run and, apart, the ones left out (threads on a page that is not
/// cross-origin isolated) with the reason.
export function jobsFor(card, env) {
  const all = card.jobs ? card.jobs(env) : [];
  const runnable = [];
  const skipped = [];
  for (const j of all) {
    if (THREAD_MODES.has(j.mode) && !env.isolated) skipped.push({ job: j, reason: 'needs a cross-origin isolated page' });
    else runnable.push(j);
  }
  return { runnable, skipped };
}

// ---------------------------------------------------------------------------------------------------------------
// The cards

const DOWNLOADS = { workload: 'download', count: 12, latency_ms: 150, jitter_ms: 0, seed: 1, work_kib: 16 };
const PRIMES3 = { workload: 'primes', shape: 'inputs', inputs: [1000000, 2000000, 3000000] };

export const CARDS = [
  {
    id: 'io-threads',
    lesson: '01-io-bound-threads',
    title: 'I/O-bound work and threads',
    covers: 'Experiments 1, 2 and 4 (copying files, fetching a page, downloading 12 images)',
    question: 'Twelve downloads, each spending 150 ms waiting on the (simulated) network. What do 2, 5 and 12 threads do to the total time, on a machine with few cores?',
    predictions: [
      { id: 'none', text: 'Nothing much: the computer can only do so much at once.' },
      { id: 'cores', text: 'It gets faster up to as many threads as cores, then stops improving.' },
      { id: 'more', text: 'It keeps getting faster with more threads, far past the number of cores.' },
      { id: 'slower', text: 'It gets slower: threads cost more than they bring.' },
    ],
    jobs: () => [
      job('seq', DOWNLOADS, 'sequential', 1),
      job('t2', DOWNLOADS, 'threads', 2),
      job('t5', DOWNLOADS, 'threads', 5),
      job('t12', DOWNLOADS, 'threads', 12),
      job('a12', DOWNLOADS, 'async', 12),
    ],
    summarise(results, env) {
      const base = runOf(results, 'seq');
      const s = { t2: speedup(results, 'seq', 't2'), t5: speedup(results, 'seq', 't5'), t12: speedup(results, 'seq', 't12'), a12: speedup(results, 'seq', 'a12') };
      const threads = Number.isFinite(s.t12) ? `threads ×2 ${times(s.t2)}, ×5 ${times(s.t5)}, ×12 ${times(s.t12)}` : 'threads not run here';
      const best = Number.isFinite(s.t12) ? s.t12 : s.a12;
      const cores = coresOf(env);
      let verdict = null;
      if (Number.isFinite(best)) verdict = best < 0.9 ? 'slower' : best < 1.2 ? 'none' : best > cores * 1.5 ? 'more' : 'cores';
      return {
        measured: `sequential ${seconds(base?.wall_s)}; ${threads}; async (one thread, 12 in flight) ${times(s.a12)} faster than sequential.`,
        verdict,
        figures: s,
      };
    },
    explanation: 'A download spends its time waiting, and a waiting thread needs no core: the operating system (here, a timer) wakes it when the data is there. So 12 threads overlap 12 waits on 2 cores, and the total approaches one wait. The texts saw the same with real I/O: two threads copied two files in 4.5–5.5 s instead of 7–10 s, and five threads fetched a page five times in 2 s instead of 4 s. Async gets the same from one thread by switching task whenever one waits. CPython shows this too: its interpreter lock is released while a thread waits on I/O.',
    native: 'parlab experiment run io-threads',
    cpython: 'python3 reference/cpython/run.py --workload download --count 12 --latency-ms 200 --modes sequential,threads,async --workers 2,5,12',
  },
  {
    id: 'cpu-gil',
    lesson: '02-cpu-bound-gil',
    title: 'CPU-bound work: threads, the interpreter lock, processes',
    covers: 'Experiment 3 (sum of primes up to 1, 2 and 3 million) and the claim about the GIL',
    question: 'Three CPU-bound tasks, as in the texts: sum the primes up to 1, 2 and 3 million. Which of threads, threads under a CPython-like interpreter lock, and processes make it faster?',
    predictions: [
      { id: 'all', text: 'All three speed it up about the same.' },
      { id: 'not-gil', text: 'Threads and processes speed it up; threads under the interpreter lock do not.' },
      { id: 'processes-only', text: 'Only processes speed it up; threads never help CPU-bound work.' },
      { id: 'none', text: 'None of them: the work is the same amount whatever runs it.' },
    ],
    jobs: () => [
      job('seq', PRIMES3, 'sequential', 1),
      job('t2', PRIMES3, 'threads', 2),
      job('t3', PRIMES3, 'threads', 3),
      job('g2', PRIMES3, 'threads-gil', 2, gil),
      job('g3', PRIMES3, 'threads-gil', 3, gil),
      job('p2', PRIMES3, 'processes', 2),
      job('p3', PRIMES3, 'processes', 3),
    ],
    summarise(results) {
      const best = (a, b) => Math.max(speedup(results, 'seq', a), speedup(results, 'seq', b));
      const t = best('t2', 't3');
      const g = best('g2', 'g3');
      // Processes judged without their start-up, which the measured line shows separately: the card asks whether
      // they compute in parallel; the tiny-tasks card is the one about what starting them costs.
      const p = Math.max(speedupAfterStartup(results, 'seq', 'p2'), speedupAfterStartup(results, 'seq', 'p3'));
      const fast = (x) => x >= 1.2;
      let verdict = null;
      if (Number.isFinite(p)) {
        if (!Number.isFinite(t) || !Number.isFinite(g)) verdict = fast(p) ? null : 'none';
        else if (fast(t) && fast(p) && !fast(g)) verdict = 'not-gil';
        else if (fast(t) && fast(g) && fast(p)) verdict = 'all';
        else if (!fast(t) && !fast(g) && fast(p)) verdict = 'processes-only';
        else if (!fast(t) && !fast(g) && !fast(p)) verdict = 'none';
      }
      const line = (label, a, b) => (Number.isFinite(speedup(results, 'seq', a))
        ? `${label} ×2 ${times(speedup(results, 'seq', a))}, ×3 ${times(speedup(results, 'seq', b))}` : `${label} not run here`);
      return {
        measured: `sequential ${seconds(runOf(results, 'seq')?.wall_s)}; ${line('threads', 't2', 't3')}; ${line('threads-gil', 'g2', 'g3')}; ${line('processes', 'p2', 'p3')}`
          + (Number.isFinite(p) ? ` (${times(p)} at best once the workers' start-up, ${seconds(runOf(results, 'p2')?.startup_s)} at ×2, is left out)` : '') + '.',
        verdict,
        figures: { threads: t, threadsGil: g, processes: p },
      };
    },
    explanation: 'C++ threads run on every core at once, so they speed up CPU-bound work as much as processes do (and start faster). Under the simulated interpreter lock only the thread holding the lock computes, so two or three threads take turns and the total stays that of one thread, plus the hand-overs: this is CPython, where the texts measured 25.5 s with one thread and 28 s with two. Processes each have their own interpreter (here: their own WebAssembly instance), so they run in parallel: the texts saw 27 s → 19 s with two processes. The biggest task (3 million) is most of the work, so no mode can beat the time of that one task, which is why 3 workers add little over 2 — as the texts\' third process did (18 s). In the browser each process is a Web Worker that must start and instantiate its own WebAssembly module (tens of milliseconds each), which a run of a few hundred milliseconds cannot hide: the measured line gives the processes\' speed-up with that start-up and without it.',
    native: 'parlab experiment run cpu-gil',
    cpython: 'python3 reference/cpython/run.py --workload primes --inputs 1000000,2000000,3000000 --modes sequential,threads,processes --workers 2,3',
  },
  {
    id: 'tiny-tasks',
    lesson: '03-tiny-tasks-chunking',
    title: 'Tiny tasks, process overhead and chunking',
    covers: 'Experiment 5 (factorials with a process pool) and the claim that processes cost start-up and data transfer',
    question: 'Thousands of tiny tasks, a cheap function over lots of data. Handed to 2 processes one item at a time, and then in chunks of 1000: how do they compare with running them sequentially?',
    predictions: [
      { id: 'faster', text: 'Processes are faster either way: two cores beat one.' },
      { id: 'chunk-helps', text: 'One item at a time, processes are slower than sequential; in chunks they get much faster.' },
      { id: 'always-slower', text: 'Processes are much slower either way; chunking changes little.' },
      { id: 'same', text: 'About the same: the work is the same.' },
    ],
    // Filled in by overheadJobs() below: the overhead workload if this build has it, else factorials.
    jobs: (env) => overheadJobs(env),
    summarise(results) {
      const base = runOf(results, 'seq');
      const p1 = speedup(results, 'seq', 'p1');
      const pc = speedup(results, 'seq', 'pc');
      const t1 = speedup(results, 'seq', 't1');
      let verdict = null;
      if (Number.isFinite(p1) && Number.isFinite(pc)) {
        if (p1 >= 1.2 && pc >= 1.2) verdict = 'faster';
        else if (p1 < 0.8) verdict = pc >= 1.5 * p1 ? 'chunk-helps' : 'always-slower';
        else verdict = 'same';
      }
      const perTask = (key) => {
        const run = runOf(results, key);
        return run && run.task_count ? `${(run.wall_s / run.task_count * 1e6).toFixed(0)} µs per task` : '?';
      };
      const tasks = (key) => runOf(results, key)?.task_count ?? '?';
      return {
        measured: `sequential ${seconds(base?.wall_s)} (${tasks('seq')} tasks); ${Number.isFinite(t1) ? `threads ×2 ${times(t1)} of sequential's speed; ` : ''}processes ×2, one item per task (${tasks('p1')} tasks, ${perTask('p1')}): ${times(p1)}; ${results.some((r) => r.job.key === 'pc') ? `processes ×2 in chunks (${tasks('pc')} tasks): ${times(pc)}, so chunking made processes ${times(pc / p1)} faster` : 'in chunks: not run (this build has no overhead workload, and factorials cannot be chunked)'}.`,
        verdict,
        figures: { threads1: t1, processes1: p1, processesChunked: pc },
      };
    },
    explanation: 'A process has its own memory, so every task and its data travel to it as a message (a copy; CPython pickles them through a pipe) and the answer travels back. When a task is cheap, that round trip costs more than the task: the texts measured 0.28 s sequentially and 82 s with a process pool handing out one factorial at a time. Chunking sends many items per message, so the fixed cost is paid once per chunk: 2.1 s with chunks of 1000. Threads share memory and pass no copies, so their per-task cost is much smaller (CPython: ~17 µs per empty task with threads, ~136 µs with processes on our 2-core machine).',
    native: 'parlab experiment run tiny-tasks',
    cpython: 'python3 reference/cpython/run.py --workload factorials --modes sequential,processes --workers 2 --chunksize 1000',
  },
  {
    id: 'two-phase',
    lesson: '04-two-phase-job',
    title: 'A two-phase job: download, then render',
    covers: 'Experiment 6 (N CVs: download a photo each, then build a PDF each)',
    question: 'A job in two phases: first download a photo per document (I/O-bound), then render each document (CPU-bound). Which is fastest: both phases sequential, both with threads, or threads for the downloads and processes for the rendering?',
    predictions: [
      { id: 'threads-threads', text: 'Threads for both phases: threads help everywhere.' },
      { id: 'mixed', text: 'Threads for the downloads and processes for the rendering.' },
      { id: 'sequential', text: 'Sequential: the phases depend on each other, so nothing can overlap.' },
      { id: 'same', text: 'They all take about the same time.' },
    ],
    runner: 'two-phase',
    // Six CVs: 150 ms simulated photo downloads, then 1500-kilopixel pages to render (CPU).
    // Without cross-origin isolation the downloads use async (one thread overlapping the waits) instead of threads.
    jobs: (env) => {
      const cv = { count: 6, latency_ms: 150, page_kpx: 1500, seed: 1 };
      const both = (key, gather, render) => ({ key, ...cv, gather, render });
      const io = { mode: env?.isolated === false ? 'async' : 'threads', workers: 6 };
      return [
        both('seq', { mode: 'sequential', workers: 1 }, { mode: 'sequential', workers: 1 }),
        both('tt', io, { mode: 'threads', workers: 2 }),
        both('tg', io, { mode: 'threads-gil', workers: 2 }),
        both('tp', io, { mode: 'processes', workers: 2 }),
      ];
    },
    summarise(results) {
      const total = (key) => results.find((r) => r.job.key === key)?.total_s;
      const seq = total('seq');
      const ratio = (key) => (seq > 0 && total(key) > 0 ? seq / total(key) : NaN);
      const s = { tt: ratio('tt'), tg: ratio('tg'), tp: ratio('tp') };
      let verdict = null;
      const known = Object.entries(s).filter(([, v]) => Number.isFinite(v));
      if (known.length) {
        const [bestKey, best] = known.reduce((a, b) => (b[1] > a[1] ? b : a));
        if (best < 1.2) verdict = 'same';
        else if (bestKey === 'tp' || (Number.isFinite(s.tp) && s.tp >= best * 0.9)) verdict = Number.isFinite(s.tt) && s.tt >= s.tp * 0.9 ? 'threads-threads' : 'mixed';
        else verdict = 'threads-threads';
      }
      const io = results.find((x) => x.job.key === 'tp')?.job.gather?.mode ?? 'threads';
      const phase = (key) => {
        const r = results.find((x) => x.job.key === key);
        return r && Number.isFinite(r.total_s) ? `${seconds(r.gather_s)} + ${seconds(r.render_s)} = ${seconds(r.total_s)}` : 'not run here';
      };
      return {
        measured: `sequential + sequential: ${phase('seq')}; ${io} + threads: ${phase('tt')} (${times(s.tt)}); ${io} + threads-gil: ${phase('tg')} (${times(s.tg)}); ${io} + processes: ${phase('tp')} (${times(s.tp)}).`,
        verdict,
        figures: s,
      };
    },
    explanation: 'Each phase should get the kind of worker its bottleneck needs. The downloads wait, so threads (many, even more than cores) overlap the waits. The rendering computes, so it needs workers that run on different cores at once: in CPython only processes do that (the texts: threads made the PDF phase slower, 24 s → 30 s, processes made it 5 s). In C++ threads run in parallel too, so threads + threads is as fast as threads + processes here, and threads under the simulated interpreter lock behave like CPython\'s. The texts found that mixing threads for phase 1 and processes for phase 2 is about as fast as processes for both.',
    native: 'parlab experiment run two-phase',
    cpython: null,
  },
  {
    id: 'pipes-queues',
    lesson: '05-pipes-queues',
    title: 'Pipes and queues between processes',
    covers: 'Experiment 7 (a child says hello through a pipe) and the claim that queues cost more than pipes',
    question: 'Processes share no memory: they talk by sending messages (natively a pipe; here messages between two Web Workers). How much does one small message of 64 bytes cost, compared with a function call (a few nanoseconds)?',
    predictions: [
      { id: 'free', text: 'Practically nothing: well under a microsecond, like a function call.' },
      { id: 'micro', text: 'Around a microsecond to a few hundred: cheap, but far from free.' },
      { id: 'milli', text: 'A millisecond or more each.' },
    ],
    runner: 'ipc',
    ipc: { size: 64, count: 5000 },
    summarise(results) {
      const r = results[0] ?? {};
      const transports = (r.transports ?? []).filter((t) => t.available && Number.isFinite(t.seconds) && r.count > 0);
      const perMessage = (t) => (t.seconds / r.count) * 1e6;
      const clone = transports.find((t) => t.id === 'postmessage-clone');
      let verdict = null;
      if (clone) {
        const us = perMessage(clone);
        verdict = us < 1 ? 'free' : us < 1000 ? 'micro' : 'milli';
      }
      const hello = r.hello ? `The worker said: "${r.hello}". ` : '';
      const lines = transports.map((t) => `${t.label}: ${perMessage(t).toFixed(2)} µs per message (${t.mbPerS?.toFixed(1) ?? '?'} MB/s)`);
      const missing = (r.transports ?? []).filter((t) => !t.available).map((t) => `${t.label}: not available (${t.reason})`);
      return {
        measured: `${hello}${r.count ?? '?'} messages of ${r.size ?? '?'} bytes from one worker to another: ${[...lines, ...missing].join('; ') || 'nothing measured'}.`,
        verdict,
        figures: { perMessageUs: Object.fromEntries(transports.map((t) => [t.id, perMessage(t)])) },
      };
    },
    explanation: 'A message between processes is copied: serialised, written into a pipe (a kernel buffer), read and rebuilt on the other side, and the receiver must be woken up. That costs around a microsecond or more per message, hundreds of times a function call; postMessage with structured cloning is the browser\'s version. A queue (multiprocessing.Queue) is a pipe plus a lock and a feeder thread on each side, so it costs more again; a ring buffer in shared memory (what threads, or processes with shared memory, can use) skips the copy through the kernel and is the cheapest. That is why a process pool pays off only when each task does much more work than one message (lesson 3).',
    native: 'parlab experiment run pipes-queues',
    cpython: 'python3 reference/cpython/pipe_hello.py; python3 reference/cpython/pipe_vs_queue.py',
  },
  {
    id: 'oversubscription',
    lesson: '06-more-workers-than-cores',
    title: 'More workers than cores',
    covers: 'The claim that workers past the number of cores add nothing for CPU-bound work, and that I/O-bound work can use many more',
    question: 'Compare 1, 2, 4 and 8 workers on CPU-bound primes, and on downloads that mostly wait. This browser reports its number of logical CPUs (navigator.hardwareConcurrency). Where does adding workers stop helping?',
    predictions: [
      { id: 'both-grow', text: 'Both keep getting faster up to 8 workers.' },
      { id: 'cpu-stops', text: 'Primes stops improving at the number of cores; downloads keep improving.' },
      { id: 'both-stop', text: 'Both stop improving at the number of cores.' },
      { id: 'slower', text: 'Past the cores both get much slower.' },
    ],
    jobs: (env) => {
      const cpuMode = env.isolated ? 'threads' : 'processes';
      const primes = { workload: 'primes', shape: 'chunked', n: 5000000, chunks: 32 };
      const downloads = { ...DOWNLOADS, count: 16, latency_ms: 60 };
      return [
        ...[1, 2, 4, 8].map((w) => job(`cpu${w}`, primes, cpuMode, w)),
        ...[1, 2, 4, 8].map((w) => job(`io${w}`, downloads, env.isolated ? 'threads' : 'async', w)),
      ];
    },
    summarise(results, env) {
      const cores = coresOf(env);
      const cpu = [2, 4, 8].map((w) => speedup(results, 'cpu1', `cpu${w}`));
      const io = [2, 4, 8].map((w) => speedup(results, 'io1', `io${w}`));
      const cpu8 = cpu[2];
      const io8 = io[2];
      const cpuAtCores = speedup(results, 'cpu1', `cpu${Math.min(8, [1, 2, 4, 8].filter((w) => w <= cores).at(-1) ?? 1)}`);
      let verdict = null;
      if (Number.isFinite(cpu8) && Number.isFinite(io8)) {
        const cpuFlat = cores >= 8 ? false : cpu8 < 1.25 * Math.max(1, cpuAtCores);
        const ioGrows = io8 > 1.5 * Math.min(cores, 8) || io8 > 5;
        if (Math.max(cpu8, io8) < 0.8) verdict = 'slower';
        else if (cpuFlat && ioGrows) verdict = 'cpu-stops';
        else if (cpuFlat && !ioGrows) verdict = 'both-stop';
        else if (!cpuFlat && ioGrows) verdict = 'both-grow';
      }
      const cpuMode = results.find((r) => r.job.key === 'cpu2')?.job.mode ?? 'threads';
      const ioMode = results.find((r) => r.job.key === 'io2')?.job.mode ?? 'threads';
      return {
        measured: `This browser reports ${cores} logical CPUs. Primes (${cpuMode}) vs 1 worker: ×2 ${times(cpu[0])}, ×4 ${times(cpu[1])}, ×8 ${times(cpu[2])}. Downloads (${ioMode}) vs 1 worker: ×2 ${times(io[0])}, ×4 ${times(io[1])}, ×8 ${times(io[2])}.`,
        verdict,
        figures: { cpu, io, cores },
      };
    },
    explanation: 'A CPU-bound task needs a core the whole time, so once every core is busy another worker only waits for a turn (and its switches cost a little): the speed-up flattens at the number of cores. SMT (hyper-threading) counts each core twice but adds ~25% at most. A waiting task needs no core, so I/O-bound work keeps gaining from more workers until the waits are all overlapped. The texts saw both: 100 workers on a 6-core machine helped the downloads and did nothing for the PDF rendering. Note that browsers may report fewer logical CPUs than the machine has.',
    native: 'parlab experiment run oversubscription',
    cpython: 'python3 reference/cpython/run.py --workload primes --shape chunked --n 2000000 --chunks 64 --modes threads,processes --workers 1,2,4,8',
  },
  {
    id: 'amdahl',
    lesson: '07-serial-part-amdahl',
    title: 'The serial part: Amdahl\'s law',
    covers: 'The claim that the serial part of a job limits its speed-up (the baking in the cake analogy)',
    question: 'One task is much bigger than the eight others (the sum of the primes up to 3,200,000 beside eight up to 500,000). With 1 to 4 workers, how far does the speed-up go?',
    predictions: [
      { id: 'linear', text: 'It grows with the workers: about 2× with 2, up to about 4× with 4 (given enough cores).' },
      { id: 'capped', text: 'It stops well below 2×: nobody can share the big task, so it sets the floor.' },
      { id: 'none', text: 'No speed-up at all.' },
    ],
    jobs: (env) => {
      const params = { workload: 'primes', shape: 'inputs', inputs: [3200000, ...Array(8).fill(500000)] };
      const mode = env.isolated ? 'threads' : 'processes';
      return [1, 2, 3, 4].map((w) => job(`w${w}`, params, mode, w));
    },
    summarise(results, env) {
      const cores = coresOf(env);
      const points = [2, 3, 4].map((w) => ({ workers: w, p: Math.min(w, cores), speedup: speedup(results, 'w1', `w${w}`) }));
      // Workers past the cores add nothing (lesson 6), so the fit counts min(workers, cores) of them.
      const fit = fitAmdahl([{ workers: 1, speedup: 1 }, ...points.filter((x) => Number.isFinite(x.speedup)).map((x) => ({ workers: x.p, speedup: x.speedup }))]);
      const fitted = fit.ok ? fit.f : NaN;
      const best = Math.max(...points.map((x) => x.speedup).filter(Number.isFinite));
      let verdict = null;
      if (Number.isFinite(best)) verdict = best < 1.15 ? 'none' : best < 1.8 ? 'capped' : 'linear';
      const limit = fitted > 0 ? 1 / fitted : Infinity;
      return {
        measured: `speed-up vs 1 worker: ${points.map((x) => `×${x.workers} ${times(x.speedup)}`).join(', ')}; fitted serial fraction ${Number.isFinite(fitted) ? fitted.toFixed(2) : '?'} (so at most ${Number.isFinite(limit) ? times(limit) : 'unbounded'} with any number of workers).`,
        verdict,
        figures: { points, serialFraction: fitted },
      };
    },
    explanation: 'Amdahl\'s law: if a fraction s of the work cannot be shared, n workers give at most 1 / (s + (1 - s) / n), and never more than 1 / s. Here the big task cannot be split, so while one worker runs it the others finish the small ones and then idle: the timeline shows one long bar. Like baking a cake: more cooks make the mixing faster, but the oven still takes 40 minutes. The fit counts at most as many workers as logical CPUs, since workers past the cores add nothing anyway (lesson 6).',
    native: 'parlab experiment run amdahl',
    cpython: null,
  },
  {
    id: 'async',
    lesson: '08-async-concurrency',
    title: 'Concurrency without parallelism: async',
    covers: 'The vocabulary: concurrency, parallelism, the event loop',
    question: 'An event loop (like asyncio) runs on one thread and switches task whenever one waits. Does it speed up downloads? Does it speed up primes?',
    predictions: [
      { id: 'both', text: 'Both: many tasks in flight means faster.' },
      { id: 'io-only', text: 'Downloads yes, primes no.' },
      { id: 'neither', text: 'Neither: one thread can only do one thing at a time.' },
      { id: 'cpu-only', text: 'Primes yes, downloads no.' },
    ],
    jobs: () => [
      job('io-seq', DOWNLOADS, 'sequential', 1),
      job('io-async', DOWNLOADS, 'async', 12),
      job('cpu-seq', PRIMES3, 'sequential', 1),
      job('cpu-async', PRIMES3, 'async', 3),
    ],
    summarise(results) {
      const io = speedup(results, 'io-seq', 'io-async');
      const cpu = speedup(results, 'cpu-seq', 'cpu-async');
      let verdict = null;
      if (Number.isFinite(io) && Number.isFinite(cpu)) {
        const ioFast = io >= 1.5;
        const cpuFast = cpu >= 1.2;
        verdict = ioFast && cpuFast ? 'both' : ioFast ? 'io-only' : cpuFast ? 'cpu-only' : 'neither';
      }
      return {
        measured: `downloads: sequential ${seconds(runOf(results, 'io-seq')?.wall_s)}, async with 12 in flight ${seconds(runOf(results, 'io-async')?.wall_s)} (${times(io)}); primes: sequential ${seconds(runOf(results, 'cpu-seq')?.wall_s)}, async with 3 in flight ${seconds(runOf(results, 'cpu-async')?.wall_s)} (${times(cpu)}).`,
        verdict,
        figures: { io, cpu },
      };
    },
    explanation: 'Concurrency means task lifetimes overlap; parallelism means they run at the same instant on different cores. An event loop gives the first without the second: while one download waits, the loop starts or resumes another, so the waits overlap and the total shrinks towards one wait. But computing needs the thread itself, and there is one, so the primes run one after another exactly as sequentially (plus a little switching). That is asyncio: great for many waits, no help for computation.',
    native: 'parlab experiment run async',
    cpython: 'python3 reference/cpython/run.py --workload download --count 12 --latency-ms 200 --modes sequential,async --workers 12',
  },
  {
    id: 'isolation',
    lesson: '09-isolation-crash',
    title: 'Isolation: a crashing worker',
    covers: 'The claim that multiprocessing is isolation too: one crashed worker process need not take the others down',
    question: 'Task 3 of eight calls abort(), the C way of crashing on the spot. It runs once with 2 threads and once with 2 processes. What survives?',
    predictions: [
      { id: 'both-lost', text: 'Both runs lose everything: a crash is a crash.' },
      { id: 'threads-lost', text: 'With threads the whole lab worker (every thread, all their work) goes down; with processes only the crashed worker does.' },
      { id: 'both-survive', text: 'Both survive: only task 3 is lost each time.' },
      { id: 'processes-lost', text: 'The processes run loses more, because more is running.' },
    ],
    jobs: (env) => {
      const params = { workload: 'primes', shape: 'chunked', n: 200000, chunks: 8, crash_task: 3, crash_how: 'abort' };
      // Processes first: the threads run kills the lab worker, and the page replaces it in the background.
      return [job('processes', params, 'processes', 2), job('threads', params, env.isolated ? 'threads' : 'sequential', 2)];
    },
    summarise(results) {
      const get = (key) => results.find((r) => r.job.key === key);
      const describe = (r) => {
        if (!r) return 'not run';
        if (!r.run) return `${r.job.mode}: error: ${r.error}`;
        const lab = /the lab worker/i.test(r.run.error ?? '');
        const kept = `${r.run.tasks?.length ?? 0} of ${r.run.task_count || r.job.params?.chunks || '?'} task results kept`;
        const error = String(r.run.error ?? '').replace(/\.+$/, '');
        return `${r.job.mode} ×${r.job.workers ?? '?'}: ${r.run.ok ? 'finished' : `failed after ${seconds(r.run.wall_s)} (${error})`}, ${kept}${lab ? '; the page had to start a new lab worker' : ''}`;
      };
      const t = get('threads');
      const p = get('processes');
      const labDied = (r) => Boolean(r?.run && /the lab worker/i.test(r.run.error ?? ''));
      let verdict = null;
      if (t?.run && p?.run) {
        if (labDied(t) && !labDied(p)) verdict = 'threads-lost';
        else if (labDied(t) && labDied(p)) verdict = 'both-lost';
        else if (!labDied(t) && !labDied(p)) verdict = 'both-survive';
        else verdict = 'processes-lost';
      }
      return {
        measured: `${describe(p)}. ${describe(t)}.`,
        verdict,
        figures: { threadsLabWorkerDied: labDied(t), processesLabWorkerDied: labDied(p) },
      };
    },
    explanation: 'Threads share one process, so abort() in any of them ends the process and every thread in it: here the lab worker (the WebAssembly instance all the threads share) dies, its finished work with it, and the page must start a new one. Natively, parlab itself would die with SIGABRT and write no results. A process has its own memory: when one worker process aborts, only it is gone; the parent notices (natively: its pipe closes and waitpid says SIGABRT) and the run ends with an error naming that worker, while the parent and the other workers carry on. With parlab --on-worker-death respawn the dead worker is even replaced and only its task is lost.',
    native: 'parlab experiment run isolation',
    cpython: null,
  },
  {
    id: 'parallel-libraries',
    lesson: '10-parallel-libraries',
    title: 'Libraries that are parallel inside',
    covers: 'The claim that some libraries are parallel inside already, so more processes on top do not help them',
    question: 'A library call (a large matrix product in NumPy with OpenBLAS, say) already uses every core. What happens if you run four of them in four processes on a 4-core machine?',
    predictions: [
      { id: 'faster', text: 'Four times the throughput: four processes, four times the work done.' },
      { id: 'no-gain', text: 'Little or no gain, maybe a loss: the cores were already busy, and now 16 threads fight over 4 cores.' },
      { id: 'crash', text: 'It crashes: two parallel layers cannot be combined.' },
    ],
    // No run: the lab has no library that is parallel inside; the lesson says how to see it natively.
    textOnly: true,
    summarise() {
      return { measured: 'Nothing was measured: the lab has no library that is parallel inside. See the lesson for how to measure it natively.', verdict: 'no-gain', figures: {} };
    },
    explanation: 'Parallelism inside a library (a BLAS using threads, a compression library with worker threads) already puts every core to work. Processes on top multiply the threads (4 processes × 4 library threads on 4 cores) and gain nothing, often losing to switching and cache thrash; set the library to one thread per process (OMP_NUM_THREADS=1) or use one process. The lab has no such library, so this card measures nothing; lesson 6 shows the same wall from the other side: CPU-bound workers past the core count add nothing.',
    native: null,
    cpython: null,
  },
];

/// Jobs of the tiny-tasks card: the overhead workload (a cheap function over lots of data, copied to each process
/// worker) when this build has it (env.workloads lists the workloads the page knows), else factorials.
function overheadJobs(env) {
  if (env?.workloads?.includes('overhead')) {
    const base = { workload: 'overhead', items: 8000, item_bytes: 512, work: 1, seed: 1 };
    return [
      job('seq', { ...base, chunk: 1 }, 'sequential', 1),
      job('t1', { ...base, chunk: 1 }, 'threads', 2),
      job('p1', { ...base, chunk: 1 }, 'processes', 2),
      job('pc', { ...base, chunk: 1000 }, 'processes', 2),
    ];
  }
  // factorials has no chunk parameter: without the overhead workload only the one-item-per-task runs are made.
  const one = { workload: 'factorials', inputs: [10, 20, 30, 40, 50], repeat: 400 };
  return [job('seq', one, 'sequential', 1), job('t1', one, 'threads', 2), job('p1', one, 'processes', 2)];
}

/// The card with this id, or undefined.
export const cardById = (id) => CARDS.find((c) => c.id === id);

/// The explanation's first line: the learner's prediction beside what the measurement supports.
export function verdictLine(card, chosenId, verdict) {
  const chosen = card.predictions.find((p) => p.id === chosenId);
  const supported = card.predictions.find((p) => p.id === verdict);
  if (!chosen) return 'You made no prediction.';
  if (!supported) return `You predicted: “${chosen.text}” The measurement here does not clearly match any of the predictions; read the figures and the explanation.`;
  if (supported.id === chosen.id) return `You predicted: “${chosen.text}” The measurement agrees.`;
  return `You predicted: “${chosen.text}” The measurement supports instead: “${supported.text}”`;
}
