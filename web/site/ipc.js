// Talking between workers, measured: a worker's hello, and postMessage vs a SharedArrayBuffer ring (the browser's
// pipes and queues). Every measurement runs between two Web Workers; the page's thread only starts and awaits.
//
// API (lesson cards and ipc-panel.js use these; keep the signatures):
//
//   sayHello() -> Promise<{ name, isWorker, crossOriginIsolated, sharedArrayBuffer, hardwareConcurrency,
//                            timeOrigin, location, pid: null, message, note }>
//     Starts one Web Worker named "ipc-hello-worker", which answers with what it can tell about itself.
//     Browsers give scripts no process ids (pid is null; `note` says so).
//
//   measureIpc({ size = 4096, count = 2000, repeats = 1, onProgress, signal } = {})
//     -> Promise<{ size, count, repeats, crossOriginIsolated, transports: [TransportResult] }>
//     TransportResult: { id, label, available, reason (when not available), seconds (median), messagesPerS,
//                        mbPerS (10^6 bytes), received, sentChecksum, receivedChecksum, inOrder, intact,
//                        runs: [{seconds, received, sentChecksum, receivedChecksum, inOrder}] }
//     ids: 'postmessage-clone' (structured clone: the browser copies each message), 'postmessage-transfer'
//     (the ArrayBuffer is handed over, not copied), 'sab-ring' (a ring buffer in a SharedArrayBuffer with
//     Atomics.wait/notify; only when the page is cross-origin isolated, else available: false with the reason).
//     One producer worker sends `count` messages of `size` bytes to one consumer worker (a MessageChannel, or the
//     ring); the consumer checksums every byte and checks the order. size: 1..4194304; count: 1..1000000;
//     size x count <= 268435456 (256 MiB); repeats 1..10. A bad value throws a RangeError naming it and its bounds.
//     onProgress({ transport, done, total }) is called now and then; aborting `signal` ends the workers and
//     rejects with an AbortError.
//
// Worker protocol (ipc-worker.js): page -> {type: 'hello'} -> {type: 'hello', ...}; page -> {type: 'init', port,
// ring} -> {type: 'ready'}; page -> consumer {type: 'consume', transport, size, count, ackEvery} ->
// {type: 'armed'}; page -> producer {type: 'produce', transport, size, count, window} -> {type: 'progress', ...}*,
// {type: 'result', seconds, sentChecksum, received, receivedChecksum, inOrder}; either may answer {type: 'error'}.

export const IPC_LIMITS = { maxSize: 4 * 1024 * 1024, maxCount: 1_000_000, maxTotalBytes: 256 * 1024 * 1024, maxRepeats: 10 };

export const TRANSPORTS = [
  { id: 'postmessage-clone', label: 'postMessage (structured clone: a copy)', needsSharedMemory: false },
  { id: 'postmessage-transfer', label: 'postMessage, ArrayBuffer transferred (no copy)', needsSharedMemory: false },
  { id: 'sab-ring', label: 'SharedArrayBuffer ring (Atomics.wait/notify)', needsSharedMemory: true },
];

/// Bytes of the ring's data area (a power of two): the 64 KiB a Linux pipe holds by default, times four.
const RING_BYTES = 256 * 1024;
const RING_CONTROL_BYTES = 64;
const WORKER_URL = new URL('./ipc-worker.js', import.meta.url);

const NO_PID_NOTE = 'Browsers give scripts no process ids. A Web Worker is a thread the browser starts, with its '
  + 'own JavaScript heap and event loop; in Chromium it usually lives in the same renderer process as the page. '
  + 'Like a process, it shares no ordinary memory with the page: it can only exchange messages (or a '
  + 'SharedArrayBuffer, on a cross-origin isolated page).';

/// Why the ring cannot run here, or null.
export function sharedMemoryUnavailableReason() {
  if (self.crossOriginIsolated !== true) {
    return 'needs a cross-origin isolated page (served with COOP/COEP headers), which this page is not';
  }
  if (typeof SharedArrayBuffer !== 'function') return 'this browser has no SharedArrayBuffer';
  return null;
}

function checkInteger(name, value, min, max, unit = '') {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer between ${min} and ${max}${unit} (got ${value})`);
  }
}

/// Throws a RangeError naming the first bad parameter and its bounds.
export function validateIpcParams({ size, count, repeats = 1 }) {
  checkInteger('size', size, 1, IPC_LIMITS.maxSize, ' bytes');
  checkInteger('count', count, 1, IPC_LIMITS.maxCount);
  checkInteger('repeats', repeats, 1, IPC_LIMITS.maxRepeats);
  if (size * count > IPC_LIMITS.maxTotalBytes) {
    throw new RangeError(`size x count must be at most ${IPC_LIMITS.maxTotalBytes} bytes (256 MiB) (got ${size} x ${count})`);
  }
}

function abortError() {
  return new DOMException('The IPC measurement was stopped', 'AbortError');
}

/// A worker whose messages are awaited one type at a time; any 'error' message or error event rejects.
class WorkerEnd {
  constructor(name) {
    this.worker = new Worker(WORKER_URL, { name });
    this.waiting = null;
    this.failure = null;
    this.onProgress = null;
    this.worker.onmessage = (event) => {
      const msg = event.data;
      if (msg.type === 'progress') {
        this.onProgress?.(msg);
        return;
      }
      if (msg.type === 'error') this.fail(new Error(`${name}: ${msg.message}`));
      else if (this.waiting && this.waiting.type === msg.type) {
        const { resolve } = this.waiting;
        this.waiting = null;
        resolve(msg);
      }
    };
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.fail(new Error(`${name}: ${event.message || 'the worker failed to start'}`));
    };
  }

  fail(error) {
    this.failure = error;
    if (this.waiting) {
      const { reject } = this.waiting;
      this.waiting = null;
      reject(error);
    }
  }

  /// Posts message (transferring `transfer`) and resolves with the next message of type `answer`.
  request(message, answer, transfer = []) {
    if (this.failure) return Promise.reject(this.failure);
    const promise = new Promise((resolve, reject) => { this.waiting = { type: answer, resolve, reject }; });
    this.worker.postMessage(message, transfer);
    return promise;
  }

  terminate() {
    this.worker.terminate();
    this.fail(abortError());
  }
}

/// { promise, dispose }: promise rejects when signal aborts (after running onAbort), so a pending step stops
/// waiting; dispose() stops listening.
function untilAborted(signal, onAbort) {
  let abort = null;
  const promise = new Promise((_, reject) => {
    if (!signal) return;
    abort = () => {
      onAbort();
      reject(abortError());
    };
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
  });
  promise.catch(() => {}); // observed through step(); never an unhandled rejection
  return { promise, dispose: () => { if (abort) signal.removeEventListener('abort', abort); } };
}

export async function sayHello() {
  const end = new WorkerEnd('ipc-hello-worker');
  try {
    const answer = await end.request({ type: 'hello' }, 'hello');
    const { type, ...info } = answer;
    return {
      ...info,
      message: `hello from ${info.name}, a Web Worker`,
      note: NO_PID_NOTE,
    };
  } finally {
    end.terminate();
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function summarise(transport, runs, size, count) {
  const seconds = median(runs.map((r) => r.seconds));
  const last = runs[runs.length - 1];
  const intact = runs.every((r) => r.received === count && r.receivedChecksum === r.sentChecksum && r.inOrder);
  return {
    id: transport.id, label: transport.label, available: true,
    seconds, messagesPerS: seconds > 0 ? count / seconds : null, mbPerS: seconds > 0 ? (size * count) / seconds / 1e6 : null,
    received: last.received, sentChecksum: last.sentChecksum, receivedChecksum: last.receivedChecksum,
    inOrder: runs.every((r) => r.inOrder), intact, runs,
  };
}

export async function measureIpc({ size = 4096, count = 2000, repeats = 1, onProgress, signal } = {}) {
  validateIpcParams({ size, count, repeats });
  if (signal?.aborted) throw abortError();
  const reason = sharedMemoryUnavailableReason();
  const producer = new WorkerEnd('ipc-producer');
  const consumer = new WorkerEnd('ipc-consumer');
  producer.onProgress = (msg) => onProgress?.({ transport: msg.transport, done: msg.done, total: msg.total });
  const ringBuffer = reason === null ? new SharedArrayBuffer(RING_CONTROL_BYTES + RING_BYTES) : null;
  const stopAll = () => {
    if (ringBuffer) Atomics.store(new Int32Array(ringBuffer, 0, 16), 4, 1); // the ring's stop flag
    producer.terminate();
    consumer.terminate();
  };
  const aborted = untilAborted(signal, stopAll);
  const step = (promise) => Promise.race([promise, aborted.promise]);
  try {
    const channel = new MessageChannel();
    await step(Promise.all([
      producer.request({ type: 'init', port: channel.port1, ring: ringBuffer }, 'ready', [channel.port1]),
      consumer.request({ type: 'init', port: channel.port2, ring: ringBuffer }, 'ready', [channel.port2]),
    ]));
    // postMessage has no built-in back-pressure: the producer keeps at most `window` messages (about 8 MiB)
    // unacknowledged, and the consumer acknowledges every half window.
    const window = Math.max(8, Math.min(1024, Math.floor((8 * 1024 * 1024) / size)));
    const ackEvery = Math.max(1, window >> 1);
    const results = [];
    for (const transport of TRANSPORTS) {
      if (transport.needsSharedMemory && reason !== null) {
        results.push({ id: transport.id, label: transport.label, available: false, reason });
        continue;
      }
      const runs = [];
      for (let r = 0; r < repeats; r += 1) {
        const job = { transport: transport.id, size, count };
        await step(consumer.request({ type: 'consume', ...job, ackEvery }, 'armed'));
        const result = await step(producer.request({ type: 'produce', ...job, window }, 'result'));
        runs.push({
          seconds: result.seconds, received: result.received, sentChecksum: result.sentChecksum,
          receivedChecksum: result.receivedChecksum, inOrder: result.inOrder,
        });
      }
      results.push(summarise(transport, runs, size, count));
    }
    return { size, count, repeats, crossOriginIsolated: self.crossOriginIsolated === true, transports: results };
  } finally {
    aborted.dispose();
    producer.terminate();
    consumer.terminate();
  }
}
