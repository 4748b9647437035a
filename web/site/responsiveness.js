// The responsiveness card's measurement: a CPU-bound job on the page's own thread, then in a worker, while an animation
// runs (frame gaps, queued-task delay), and timers on one event loop with and without the job (their lateness).
import { busyFor, busyWork } from './busy-work.js';

const WORKER_URL = new URL('./responsiveness-worker.js', import.meta.url);
/// Frames recorded to learn the frame interval before any job runs.
const BASELINE_FRAMES = 30;
/// Frames recorded after a job, so that the gap the job caused is closed by a frame and the animation is seen to go on.
const AFTER_FRAMES = 10;
/// Without a frame for this long the page is not being drawn (a hidden tab): nothing can be measured.
const NO_FRAME_MS = 3000;

const now = () => performance.now();
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/// The gaps between successive frame times (ms).
const gapsOf = (frames) => frames.slice(1).map((t, i) => t - frames[i]);

/// Runs the whole measurement on `stage` (an element the animation is drawn in). config: {jobMs, timers, everyMs};
/// signal stops it between steps (never inside a job: the job on the page's thread cannot be interrupted, which is
/// the point). onProgress({step, of, what}). Returns the card's one result (see experiments.js's responsiveness card).
export async function measureResponsiveness(stage, config, { signal, onProgress = () => {} } = {}) {
  const animation = startAnimation(stage);
  const worker = new Worker(WORKER_URL, { type: 'module', name: 'responsiveness' });
  const ask = (message, reply) => new Promise((resolve, reject) => {
    worker.onmessage = ({ data }) => { if (data?.type === reply) resolve(data); };
    worker.onerror = (event) => reject(new Error(`the responsiveness worker failed: ${event.message ?? 'it did not start'}`));
    worker.postMessage(message);
  });
  const steps = 5;
  const step = (i, what) => {
    if (signal?.aborted) throw new DOMException('stopped', 'AbortError');
    onProgress({ step: i, of: steps, what });
  };
  try {
    step(0, 'measuring the frame interval with nothing else running');
    const recorder = animation.recorder();
    await recorder.more(BASELINE_FRAMES);
    const baseline = recorder.stop();
    const frameMs = median(gapsOf(baseline));
    step(1, 'the job on the page\'s own thread (the page freezes on purpose)');
    // Sized by the clock: rounds until config.jobMs has passed; the worker and the event loop then do as many.
    let rounds = 0;
    const main = await measureJob(animation, () => {
      const done = busyFor(config.jobMs);
      rounds = done.rounds;
      return done.ms;
    });
    step(2, 'the same job in a worker');
    const inWorker = await measureJob(animation, async () => (await ask({ type: 'run', rounds }, 'done')).ms);
    step(3, `${config.timers} timers on the event loop, nothing else running`);
    const quiet = await lateTimers(config, null);
    step(4, `${config.timers} timers on the event loop while the job runs on the same thread`);
    const busy = await lateTimers(config, () => busyWork(rounds));
    return {
      kind: 'responsiveness', rounds, frameMs, baselineFrames: baseline.length,
      main, worker: inWorker,
      timers: { everyMs: config.everyMs, dueMs: quiet.dueMs, quietLateMs: quiet.lateMs, busyLateMs: busy.lateMs, jobMs: busy.jobMs },
    };
  } finally {
    worker.terminate();
    animation.stop();
  }
}

/// A requestAnimationFrame loop that moves a dot across `stage`; recorder() keeps its frames' times from then on.
function startAnimation(stage) {
  const dot = document.createElement('div');
  dot.className = 'resp-dot';
  stage.replaceChildren(dot);
  stage.hidden = false;
  const still = globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
  const recorders = new Set();
  let handle = 0;
  const frame = (t) => {
    if (!still) dot.style.transform = `translateX(${(t / 4) % Math.max(1, stage.clientWidth - 16)}px)`;
    const at = now();
    for (const r of recorders) r(at);
    handle = requestAnimationFrame(frame);
  };
  handle = requestAnimationFrame(frame);
  return {
    /// {times, more(n): resolves once n more frames have been recorded (rejects when none come), stop(): times}.
    recorder() {
      const times = [];
      const waits = [];
      const tick = (t) => {
        times.push(t);
        for (const w of [...waits]) if (times.length >= w.until) { waits.splice(waits.indexOf(w), 1); w.resolve(); }
      };
      recorders.add(tick);
      return {
        times,
        more(n) {
          return new Promise((resolve, reject) => {
            const w = { until: times.length + n, resolve: () => { clearInterval(check); resolve(); } };
            let seen = times.length;
            let last = now();
            const check = setInterval(() => {
              if (times.length !== seen) { seen = times.length; last = now(); return; }
              if (now() - last < NO_FRAME_MS) return;
              clearInterval(check);
              waits.splice(waits.indexOf(w), 1);
              reject(new Error('the page is not being drawn (a hidden tab or window?): requestAnimationFrame did not run, so frame gaps cannot be measured'));
            }, 250);
            waits.push(w);
          });
        },
        stop() {
          recorders.delete(tick);
          return times;
        },
      };
    },
    stop() {
      cancelAnimationFrame(handle);
      stage.hidden = true;
      stage.replaceChildren();
    },
  };
}

/// Runs `job` (returns its duration in ms, or a promise of it) while the animation records frames; at the job's
/// start a click is queued as a task (a MessageChannel message whose handler clicks a button) and a setTimeout(0)
/// is set: their delays are how long a task that arrived then waited for the page's thread.
async function measureJob(animation, job) {
  const frames = animation.recorder();
  await frames.more(3);
  await new Promise((resolve) => setTimeout(resolve, 0)); // the job starts in a task of its own, not inside a frame
  const probes = queueProbes();
  const jobMs = await job();
  const { clickDelayMs, timeoutDelayMs } = await probes;
  await frames.more(AFTER_FRAMES);
  const times = frames.stop();
  return { jobMs, frames: times.length, gaps: gapsOf(times), clickDelayMs, timeoutDelayMs };
}

function queueProbes() {
  const button = document.createElement('button');
  let clicked = NaN;
  button.addEventListener('click', () => { clicked = now(); });
  const channel = new MessageChannel();
  const sent = now();
  const click = new Promise((resolve) => {
    channel.port2.onmessage = () => {
      button.click();
      channel.port1.close();
      channel.port2.close();
      resolve(clicked - sent);
    };
  });
  const timeout = new Promise((resolve) => setTimeout(() => resolve(now() - sent), 0));
  channel.port1.postMessage('click');
  return Promise.all([click, timeout]).then(([clickDelayMs, timeoutDelayMs]) => ({ clickDelayMs, timeoutDelayMs }));
}

/// Sets config.timers timers due every config.everyMs ms, then runs `job` (if any) at once on this thread; resolves
/// with each timer's due time and how late it ran (ms), and the job's duration.
function lateTimers(config, job) {
  return new Promise((resolve) => {
    const dueMs = Array.from({ length: config.timers }, (_, i) => config.everyMs * (i + 1));
    const lateMs = Array(config.timers).fill(NaN);
    let left = config.timers;
    let jobMs = 0;
    const start = now();
    dueMs.forEach((due, i) => setTimeout(() => {
      lateMs[i] = Math.max(0, now() - start - due);
      if (--left === 0) resolve({ dueMs, lateMs, jobMs });
    }, due));
    if (job) {
      const begun = now();
      job();
      jobMs = now() - begun;
    }
  });
}
