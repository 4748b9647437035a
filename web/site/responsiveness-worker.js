// The responsiveness card's worker: runs the CPU-bound job off the page's main thread.
import { busyWork } from './busy-work.js';

// {type: 'run', rounds} -> {type: 'done', ms, count}
self.onmessage = ({ data }) => {
  if (data?.type === 'run') {
    const start = performance.now();
    const count = busyWork(data.rounds);
    self.postMessage({ type: 'done', ms: performance.now() - start, count });
  }
};
