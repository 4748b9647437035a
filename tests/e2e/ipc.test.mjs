// The IPC panel and ipc.js in headless Chromium: a worker says hello; postMessage and the SharedArrayBuffer ring
// deliver every message intact between two workers; without cross-origin isolation the ring is unavailable.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { openPage, startLab } from './helpers.mjs';

const TIMEOUT = 120_000;

/// Calls measureIpc in the page (the module is imported there) and returns its result.
function measureInPage(page, options) {
  return page.evaluate(async (opts) => {
    const ipc = await import('./ipc.js');
    return ipc.measureIpc(opts);
  }, options);
}

function assertIntact(transport, count) {
  assert.equal(transport.available, true, `${transport.id}: ${transport.reason}`);
  assert.equal(transport.received, count, transport.id);
  assert.equal(transport.receivedChecksum, transport.sentChecksum, transport.id);
  assert.equal(transport.inOrder, true, transport.id);
  assert.equal(transport.intact, true, transport.id);
  assert.ok(transport.seconds > 0 && transport.messagesPerS > 0 && transport.mbPerS > 0, transport.id);
}

describe('IPC in the browser', { timeout: 600_000 }, () => {
  let lab;
  before(async () => { lab = await startLab('parlab-ipc-'); });
  after(async () => { await lab?.close(); });

  test('on the isolated page a worker says hello and every transport delivers intact', { timeout: TIMEOUT }, async () => {
    const { page, problems } = await openPage(lab, { isolated: true });
    try {
      const hello = await page.evaluate(async () => (await import('./ipc.js')).sayHello());
      assert.equal(hello.name, 'ipc-hello-worker');
      assert.equal(hello.isWorker, true);
      assert.equal(hello.pid, null);
      assert.equal(hello.crossOriginIsolated, true);
      assert.match(hello.note, /no process ids/);

      for (const size of [1, 4096, 300_000]) {
        const count = size > 10_000 ? 20 : 500;
        const result = await measureInPage(page, { size, count });
        assert.deepEqual(result.transports.map((t) => t.id), ['postmessage-clone', 'postmessage-transfer', 'sab-ring']);
        for (const transport of result.transports) assertIntact(transport, count);
        // The same messages whatever carries them.
        assert.equal(new Set(result.transports.map((t) => t.sentChecksum)).size, 1);
      }

      const bad = await page.evaluate(async () => {
        const ipc = await import('./ipc.js');
        const messages = [];
        for (const opts of [{ size: 0, count: 1 }, { size: 1, count: 1_000_001 }, { size: 4_194_304, count: 65 }]) {
          try {
            await ipc.measureIpc(opts);
            messages.push('no error');
          } catch (error) {
            messages.push(`${error.name}: ${error.message}`);
          }
        }
        return messages;
      });
      assert.match(bad[0], /^RangeError: size must be an integer between 1 and 4194304/);
      assert.match(bad[1], /^RangeError: count must be an integer between 1 and 1000000/);
      assert.match(bad[2], /^RangeError: size x count must be at most 268435456/);

      // The panel: Say hello, then Measure with a small count fills the table.
      await page.click('#ipc-hello');
      await page.waitForFunction(() => document.getElementById('ipc-hello-output').dataset.kind === 'done', null, { timeout: 30_000 });
      assert.match(await page.locator('#ipc-hello-output').textContent(), /hello from ipc-hello-worker/);
      await page.fill('#ipc-size', '512');
      await page.fill('#ipc-count', '300');
      await page.click('#ipc-measure');
      await page.waitForFunction(() => ['done', 'error'].includes(document.getElementById('ipc-status').dataset.kind), null, { timeout: 60_000 });
      assert.equal(await page.locator('#ipc-status').getAttribute('data-kind'), 'done', await page.locator('#ipc-status').textContent());
      assert.equal(await page.locator('#ipc-results tr.ipc-row[data-available="true"]').count(), 3);
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });

  test('stopping a measurement rejects with AbortError and ends its workers', { timeout: TIMEOUT }, async () => {
    const { page } = await openPage(lab, { isolated: true });
    try {
      const before = page.workers().length;
      const outcome = await page.evaluate(async () => {
        const ipc = await import('./ipc.js');
        const controller = new AbortController();
        const run = ipc.measureIpc({ size: 65536, count: 4000, signal: controller.signal,
          onProgress: () => controller.abort() });
        try {
          await run;
          return 'finished';
        } catch (error) {
          return error.name;
        }
      });
      assert.equal(outcome, 'AbortError');
      const end = Date.now() + 10_000;
      while (page.workers().length > before && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      assert.equal(page.workers().length, before, 'the producer and consumer workers were terminated');
    } finally {
      await page.close();
    }
  });

  test('without cross-origin isolation the ring is unavailable and postMessage still works', { timeout: TIMEOUT }, async () => {
    const { page, problems } = await openPage(lab, { isolated: false });
    try {
      const result = await measureInPage(page, { size: 4096, count: 200 });
      assert.equal(result.crossOriginIsolated, false);
      const byId = Object.fromEntries(result.transports.map((t) => [t.id, t]));
      assertIntact(byId['postmessage-clone'], 200);
      assertIntact(byId['postmessage-transfer'], 200);
      assert.equal(byId['sab-ring'].available, false);
      assert.match(byId['sab-ring'].reason, /cross-origin isolated/);
      assert.match(await page.locator('#ipc-ring-note').textContent(), /unavailable/);
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });
});
