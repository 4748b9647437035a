// The lab worker started before main.js (lab-boot.js -> startLabWorkerEarly) and adopted by the page's LabBridge
// (web/site/bridge.js): one worker, one init, and what it said before the bridge listened replayed in order. A fake
// Worker stands in for the browser's.
import assert from 'node:assert/strict';
import { test } from 'node:test';

const made = []; // every fake worker, in order

class FakeWorker {
  constructor(url) {
    this.url = url;
    this.posted = [];
    this.terminated = false;
    this.onmessage = null;
    this.onerror = null;
    this.onmessageerror = null;
    made.push(this);
  }

  postMessage(message) {
    this.posted.push(message);
  }

  terminate() {
    this.terminated = true;
  }

  /// The worker says something (as its script would).
  say(data) {
    this.onmessage?.({ data });
  }
}
globalThis.Worker = FakeWorker;
globalThis.location ??= new URL('http://127.0.0.1/');

const { LabBridge, startLabWorkerEarly } = await import('../../web/site/bridge.js');

const LAB_INFO = { modes: [], params: [], limits: { max_workers: 64, max_async_workers: 256 } };
const ready = (extra = {}) => ({ type: 'ready', buildInfo: { version: 'test' }, labInfo: LAB_INFO, threadsAvailable: true, control: null, ...extra });

test('a worker started early is adopted with what it said meanwhile; a bridge with another test hook starts its own', async () => {
  startLabWorkerEarly('lab-worker.js', { testHang: null });
  startLabWorkerEarly('lab-worker.js', { testHang: null }); // once only
  assert.equal(made.length, 1);
  const early = made[0];
  assert.deepEqual(early.posted.map((m) => m.type), ['init'], 'init sent at once');
  const warmed = [];
  early.say(ready({ startup: { script: Date.now() } }));
  early.say({ type: 'warm', pthreads: 16 }); // said before any bridge listened

  const bridge = new LabBridge('lab-worker.js');
  bridge.onPthreadPoolWarm = (n) => warmed.push(n);
  const info = await bridge.ready;
  assert.equal(made.length, 1, 'the bridge made no worker of its own');
  assert.deepEqual(early.posted.map((m) => m.type), ['init'], 'and sent no second init');
  assert.equal(info.buildInfo.version, 'test');
  assert.deepEqual(warmed, [16], 'the warm-up message, replayed after ready');

  // The early worker is taken once: the next bridge (another page's, or after a restart) starts a fresh worker.
  const other = new LabBridge('lab-worker.js', { testHang: 'run' });
  const otherReady = other.ready;
  assert.equal(made.length, 2);
  assert.deepEqual(made[1].posted.map((m) => m.type), ['init']);
  assert.equal(made[1].posted[0].testHang, 'run');
  made[1].say(ready());
  await otherReady;
});
