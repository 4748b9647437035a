// The page's bounds on waiting for workers, defined once (docs/failure-model.md), and the timer that applies them.
import { hasSeparateMemory } from './modes.js';

/// How long the lab worker may take from its creation to 'ready' (loading wasm, its pthread pool included).
export const READY_TIMEOUT_MS = 15_000;
/// Inside the lab worker: how long the pthread build may take to start before it falls back to the
/// single-threaded build; well under READY_TIMEOUT_MS so that the fallback still becomes ready in time.
export const PTHREAD_START_TIMEOUT_MS = 8_000;
/// How often the lab worker reports a run's state while its own thread is free (processes mode, and the
/// JavaScript-driven modes between tasks); a lab worker blocked in wasm reports through the shared done cell.
export const HEARTBEAT_MS = 1_000;
/// A run is stalled when no task finished and no worker started for its stall bound: never less than this...
export const STALL_MIN_MS = 5_000;
/// ...and otherwise this many times the estimated longest task (a slow machine's estimate, see estimatedTaskMs)...
export const STALL_TASK_FACTOR = 10;
/// ...or this many times the longest wait between two signs of progress seen so far in the run, whichever is longer.
export const STALL_GAP_FACTOR = 4;
/// Start-up allowance of a separate-memory mode, per process worker (each instantiates its own wasm memory).
export const PROCESS_START_MS = 1_000;

/// Rough milliseconds per unit of work on a slow machine (about 3x slower than the 2-core test machine's wasm).
const MS_PER_PRIME_DIVISION = 3e-6; // one trial division of the primes workload
const MS_PER_KIB_CHECKSUM = 0.01; // download / overhead: one KiB hashed once
const MS_PER_FACTORIAL_DIGIT_STEP = 2e-6; // one multiply step of an exact factorial, per decimal digit
const MS_PER_RENDER_KPX = 0.05; // cv render: one kilopixel, supersampled 4x4 and compressed
const MS_PER_FILE_MIB = 10; // copy: one MiB written or copied in the browser's file system

/// The longest single task of a run of these params, estimated from the params alone (ms, at least 1).
/// Deliberately generous: the watchdog must never end a run that is merely slow.
export function estimatedTaskMs(params = {}) {
  const num = (value, fallback) => (Number.isFinite(Number(value)) ? Number(value) : fallback);
  const list = (value, fallback) => {
    const items = Array.isArray(value) ? value : String(value ?? '').split(',');
    const numbers = items.map(Number).filter(Number.isFinite);
    return numbers.length ? numbers : fallback;
  };
  // Summing the primes <= n by trial division: about n * sqrt(n) / (3 ln n) divisions (6k+-1 up to sqrt(x)).
  const primesMs = (span, top) => (span * Math.sqrt(Math.max(top, 2)) / (3 * Math.log(Math.max(top, 3)))) * MS_PER_PRIME_DIVISION;
  let ms = 1;
  switch (params.workload) {
    case 'primes':
      if (params.shape === 'chunked') {
        const n = num(params.n, 2_000_000);
        ms = primesMs(n / Math.max(1, num(params.chunks, 64)), n);
      } else {
        const top = Math.max(...list(params.inputs, [3_000_000]));
        ms = primesMs(top, top);
      }
      break;
    case 'download':
      ms = num(params.latency_ms, 400) + num(params.jitter_ms, 0) + num(params.work_kib, 64) * MS_PER_KIB_CHECKSUM;
      break;
    case 'factorials': {
      const top = Math.max(...list(params.inputs, [50]));
      ms = top * top * Math.log10(Math.max(top, 10)) * MS_PER_FACTORIAL_DIGIT_STEP; // top steps of ~top*log10(top) digits
      break;
    }
    case 'overhead':
      ms = (num(params.chunk, 1000) * num(params.item_bytes, 64) * num(params.work, 1) / 1024) * MS_PER_KIB_CHECKSUM;
      break;
    case 'cv':
      ms = params.phase === 'render' ? num(params.page_kpx, 20_000) * MS_PER_RENDER_KPX : num(params.latency_ms, 400);
      break;
    case 'copy': // in the browser every source is written before the first task starts: all of them count
      ms = num(params.files, 4) * num(params.file_mib, 16) * MS_PER_FILE_MIB;
      break;
    case 'deadlock': // a task may queue for the locks behind every other task's hold
      ms = 2 * num(params.rounds, 1) * num(params.hold_ms, 50);
      break;
    default:
      break;
  }
  return Math.max(1, ms);
}

/// The stall bound of a run (ms): how long it may go without a task finishing or a worker starting.
/// `longestGapMs`: the longest wait between two signs of progress seen so far in this run.
export function stallBoundMs({ params, mode, workers } = {}, { longestGapMs = 0 } = {}) {
  const startUp = hasSeparateMemory(mode) ? PROCESS_START_MS * Math.max(1, Math.floor(Number(workers) || 1)) : 0;
  return Math.ceil(Math.max(
    STALL_MIN_MS, STALL_TASK_FACTOR * estimatedTaskMs(params) + startUp, STALL_GAP_FACTOR * longestGapMs,
  ));
}

/// Watches one run: call sign() at every sign of progress; onStall(silentMs, boundMs) is called once when the run
/// has been silent for longer than its bound. stop() ends the watch. Checks every `checkMs` with `now()`'s clock.
export class RunWatchdog {
  #job;
  #onStall;
  #now;
  #timer = 0;
  #last;
  #longestGap = 0;

  constructor(job, onStall, { now = () => performance.now(), checkMs = 250 } = {}) {
    this.#job = job;
    this.#onStall = onStall;
    this.#now = now;
    this.#last = now();
    this.#timer = setInterval(() => this.check(), checkMs);
  }

  /// The run's current bound (ms), which grows with the gaps seen so far.
  get boundMs() {
    return stallBoundMs(this.#job, { longestGapMs: this.#longestGap });
  }

  /// Something moved: a task finished or a worker started.
  sign() {
    const t = this.#now();
    this.#longestGap = Math.max(this.#longestGap, t - this.#last);
    this.#last = t;
  }

  /// Calls onStall once the run has been silent for longer than its bound; true when it did.
  check() {
    if (!this.#timer) return false;
    const silent = this.#now() - this.#last;
    const bound = this.boundMs;
    if (silent <= bound) return false;
    this.stop();
    this.#onStall(silent, bound);
    return true;
  }

  stop() {
    clearInterval(this.#timer);
    this.#timer = 0;
  }
}
