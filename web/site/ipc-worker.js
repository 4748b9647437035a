// One end of an IPC measurement (producer or consumer: postMessage or a SharedArrayBuffer ring), or a worker
// that says hello. A classic worker started by ipc.js; the protocol is described at the top of ipc.js.
'use strict';

// ---- the bytes that travel and their checksum (32-bit Fletcher-style sums over 32-bit words) ----

const MIX = 0x9e3779b1;

/// A fixed pseudo-random message whose first min(size, 4) bytes carry its index (little-endian).
function makePayload(size) {
  const buffer = new ArrayBuffer(size + ((4 - (size % 4)) % 4));
  const bytes = new Uint8Array(buffer, 0, size);
  let state = 0x1dc0ffee;
  for (let i = 0; i < size; i += 1) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0; // an LCG is plenty: the bytes only need to vary
    bytes[i] = state >>> 24;
  }
  const words = Math.ceil(size / 4);
  const rest = size > 4 ? sums(bytes.subarray(4)) : { sum: 0, sum2: 0 };
  const mask = size >= 4 ? 0xffffffff : (2 ** (8 * size)) - 1;
  return {
    bytes,
    truncate: (index) => (index & mask) >>> 0,
    stamp(index) {
      for (let i = 0; i < Math.min(4, size); i += 1) bytes[i] = (index >>> (8 * i)) & 0xff;
      return bytes;
    },
    /// The checksum of message index without reading it: first word w0, the others' sums known.
    checksumOf(index) {
      const w0 = (index & mask) >>> 0;
      const sum = (w0 + rest.sum) >>> 0;
      const sum2 = (Math.imul(words, w0) + rest.sum2) >>> 0;
      return (Math.imul(sum, MIX) + sum2) >>> 0;
    },
  };
}

/// Running sums over the bytes as little-endian 32-bit words (the last zero-padded).
function sums(bytes) {
  let sum = 0;
  let sum2 = 0;
  const whole = bytes.length >>> 2;
  if (bytes.byteOffset % 4 === 0) {
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset, whole);
    for (let i = 0; i < whole; i += 1) {
      sum = (sum + words[i]) >>> 0;
      sum2 = (sum2 + sum) >>> 0;
    }
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    for (let i = 0; i < whole; i += 1) {
      sum = (sum + view.getUint32(4 * i, true)) >>> 0;
      sum2 = (sum2 + sum) >>> 0;
    }
  }
  if (bytes.length % 4) {
    let word = 0;
    for (let i = whole * 4, shift = 0; i < bytes.length; i += 1, shift += 8) word |= bytes[i] << shift;
    sum = (sum + (word >>> 0)) >>> 0;
    sum2 = (sum2 + sum) >>> 0;
  }
  return { sum, sum2 };
}

function checksum(bytes) {
  const { sum, sum2 } = sums(bytes);
  return (Math.imul(sum, MIX) + sum2) >>> 0;
}

function readIndex(bytes) {
  let index = 0;
  for (let i = 0; i < Math.min(4, bytes.length); i += 1) index += bytes[i] * 2 ** (8 * i);
  return index >>> 0;
}

/// What the consumer counts as messages arrive.
function makeTally(payload, size) {
  return {
    received: 0, checksum: 0, inOrder: true, badSize: 0,
    add(bytes) {
      if (bytes.length !== size) this.badSize += 1;
      this.checksum = (this.checksum + checksum(bytes)) >>> 0;
      if (readIndex(bytes) !== payload.truncate(this.received)) this.inOrder = false;
      this.received += 1;
    },
  };
}

// ---- the ring: a byte stream in a SharedArrayBuffer, one producer and one consumer ----

// Control words (Int32): write position, read position (both count bytes, wrapping at 2^32), and whether each
// side sleeps in Atomics.wait (so the other side calls Atomics.notify only then), and a stop flag the page sets.
const WRITE = 0;
const READ = 1;
const CONSUMER_WAITING = 2;
const PRODUCER_WAITING = 3;
const STOP = 4;
const CONTROL_BYTES = 64;

function openRing(sab) {
  const control = new Int32Array(sab, 0, CONTROL_BYTES / 4);
  const data = new Uint8Array(sab, CONTROL_BYTES);
  const capacity = data.length; // a power of two
  const mask = capacity - 1;
  const stopped = () => Atomics.load(control, STOP) !== 0;

  /// Sleeps until control[watch] moves from seen (or 250 ms pass); the flag tells the other side to notify.
  function sleep(flag, watch, seen, isBlocked) {
    Atomics.store(control, flag, 1);
    if (isBlocked()) Atomics.wait(control, watch, seen, 250);
    Atomics.store(control, flag, 0);
    if (stopped()) throw new Error('stopped');
  }

  return {
    /// Copies all of bytes in, waiting for space as needed.
    write(bytes) {
      let done = 0;
      while (done < bytes.length) {
        const w = Atomics.load(control, WRITE);
        const r = Atomics.load(control, READ);
        const free = capacity - ((w - r) | 0);
        if (free === 0) {
          sleep(PRODUCER_WAITING, READ, r, () => capacity - ((w - Atomics.load(control, READ)) | 0) === 0);
          continue;
        }
        const n = Math.min(free, bytes.length - done);
        const at = w & mask;
        const first = Math.min(n, capacity - at);
        data.set(bytes.subarray(done, done + first), at);
        if (n > first) data.set(bytes.subarray(done + first, done + n), 0);
        Atomics.store(control, WRITE, (w + n) | 0);
        if (Atomics.load(control, CONSUMER_WAITING)) Atomics.notify(control, WRITE);
        done += n;
      }
    },
    /// Fills all of into, waiting for bytes as needed.
    read(into) {
      let done = 0;
      while (done < into.length) {
        const r = Atomics.load(control, READ);
        const w = Atomics.load(control, WRITE);
        const available = (w - r) | 0;
        if (available === 0) {
          sleep(CONSUMER_WAITING, WRITE, w, () => ((Atomics.load(control, WRITE) - r) | 0) === 0);
          continue;
        }
        const n = Math.min(available, into.length - done);
        const at = r & mask;
        const first = Math.min(n, capacity - at);
        into.set(data.subarray(at, at + first), done);
        if (n > first) into.set(data.subarray(0, n - first), done + first);
        Atomics.store(control, READ, (r + n) | 0);
        if (Atomics.load(control, PRODUCER_WAITING)) Atomics.notify(control, READ);
        done += n;
      }
    },
  };
}

// ---- the two ends ----

let port = null; // the MessageChannel port to the other end
let ring = null;
let onPortMessage = () => {};

/// Producer: sends count messages, at most `window` unacknowledged (postMessage queues are unbounded: without
/// that bound a fast producer would queue every message in memory), then waits for the consumer's tally.
async function produce({ transport, size, count, window }) {
  const payload = makePayload(size);
  let acked = 0;
  let wake = null;
  let tally = null;
  onPortMessage = (msg) => {
    if (msg.type === 'ack') acked = msg.received;
    if (msg.type === 'done') tally = msg.tally;
    if (wake) {
      wake();
      wake = null;
    }
  };
  const waitForPort = () => new Promise((resolve) => { wake = resolve; });
  let sentChecksum = 0;
  let lastProgress = performance.now();
  const progress = (sent) => {
    const now = performance.now();
    if (now - lastProgress < 100 && sent < count) return;
    lastProgress = now;
    self.postMessage({ type: 'progress', transport, done: sent, total: count });
  };
  const start = performance.now();
  if (transport === 'sab-ring') {
    const header = new Uint8Array(4);
    new DataView(header.buffer).setUint32(0, size, true);
    for (let i = 0; i < count; i += 1) {
      ring.write(header);
      ring.write(payload.stamp(i));
      sentChecksum = (sentChecksum + payload.checksumOf(i)) >>> 0;
      if ((i & 255) === 0) progress(i);
    }
  } else {
    for (let i = 0; i < count;) {
      while (i < count && i - acked < window) {
        const message = payload.stamp(i);
        if (transport === 'postmessage-transfer') {
          const copy = message.slice(); // a fresh buffer to hand over: the one copy this transport makes
          port.postMessage(copy, [copy.buffer]);
        } else {
          port.postMessage(message); // structured clone: the browser copies it
        }
        sentChecksum = (sentChecksum + payload.checksumOf(i)) >>> 0;
        i += 1;
      }
      progress(i);
      if (i < count) await waitForPort();
    }
  }
  progress(count);
  while (!tally) await waitForPort();
  const seconds = (performance.now() - start) / 1000;
  self.postMessage({ type: 'result', transport, seconds, sentChecksum, ...tally });
}

/// Consumer: counts and checks what arrives; acknowledges every ackEvery messages and reports the tally to the
/// producer at the end.
function consume({ transport, size, count, ackEvery }) {
  const payload = makePayload(size);
  const tally = makeTally(payload, size);
  const finish = () => port.postMessage({
    type: 'done',
    tally: { received: tally.received, receivedChecksum: tally.checksum, inOrder: tally.inOrder && tally.badSize === 0 },
  });
  if (transport === 'sab-ring') {
    self.postMessage({ type: 'armed', transport });
    const record = new Uint8Array(4 + size + ((4 - (size % 4)) % 4));
    const header = new DataView(record.buffer, 0, 4);
    const message = record.subarray(4, 4 + size); // offset 4: aligned for the word view
    try {
      for (let i = 0; i < count; i += 1) {
        ring.read(record.subarray(0, 4 + size));
        if (header.getUint32(0, true) !== size) tally.badSize += 1;
        tally.add(message);
      }
    } catch (error) {
      if (error.message !== 'stopped') throw error;
    }
    finish();
    return;
  }
  onPortMessage = (data) => {
    tally.add(data);
    if (tally.received === count) finish();
    else if (tally.received % ackEvery === 0) port.postMessage({ type: 'ack', received: tally.received });
  };
  self.postMessage({ type: 'armed', transport });
}

function describeSelf() {
  return {
    name: self.name || '(unnamed)',
    isWorker: typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope,
    crossOriginIsolated: self.crossOriginIsolated === true,
    sharedArrayBuffer: typeof SharedArrayBuffer === 'function',
    hardwareConcurrency: navigator.hardwareConcurrency ?? null,
    timeOrigin: performance.timeOrigin,
    location: String(self.location),
    pid: null,
  };
}

self.onmessage = (event) => {
  const msg = event.data;
  try {
    if (msg.type === 'hello') {
      self.postMessage({ type: 'hello', ...describeSelf() });
    } else if (msg.type === 'init') {
      port = msg.port;
      port.onmessage = (e) => onPortMessage(e.data);
      ring = msg.ring ? openRing(msg.ring) : null;
      self.postMessage({ type: 'ready' });
    } else if (msg.type === 'produce') {
      produce(msg).catch((error) => self.postMessage({ type: 'error', message: String(error?.message ?? error) }));
    } else if (msg.type === 'consume') {
      consume(msg);
    }
  } catch (error) {
    self.postMessage({ type: 'error', message: String(error?.message ?? error) });
  }
};
