// The responsiveness card's worker: calibrates and runs the CPU-bound job off the page's main thread.
import { busyWork, calibrate } from './busy-work.js';

// {type: 'calibrate', targetMs} -> {type: 'calibrated', rounds, perRoundMs}; {type: 'run', rounds} -> {type: 'done', ms, count}
self.onmessage = ({ data }) => {
  if (data?.type === 'calibrate') {
    self.postMessage({ type: 'calibrated', ...calibrate(data.targetMs) });
  } else if (data?.type === 'run') {
    const start = performance.now();
    const count = busyWork(data.rounds);
    self.postMessage({ type: 'done', ms: performance.now() - start, count });
  }
};
