// "Ready" means the form works (docs/performance.md, "Page ready"): the pthread build makes no worker before the
// module resolves, so the page is ready before any pthread Web Worker starts, and a Run clicked the moment
// body[data-ready] is set runs with threads: it waits for the thread pool to grow and says so, never silently.
// In Chromium and Firefox (PARLAB_BROWSERS narrows it). Structure only: no figure here depends on speed.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { describeInBrowsers, textOf, waitIdle, watchProblems } from './browsers.mjs';

const CHECKSUM_200000 = '1709600813'; // the sum of the primes below 200000, mod 2^32
// More workers than the pool keeps warm after ready (Module.pthreadPoolWarm, 16: web/pthread-pool.js): whatever the
// background warm-up has done by the time Run is clicked, this run must grow the pool and wait for it.
const WORKERS = 17;
const QUERY = `?workload=primes&shape=chunked&n=200000&chunks=${WORKERS}`;

/// In the page, before its scripts: counts the pthread Web Workers the page starts (worker-port.js?…parlab.worker.js,
/// bridge.js's broker) and, the moment body[data-ready] turns true, notes how many there were, sets threads mode and
/// WORKERS workers and clicks Run; then keeps every status line shown.
function clickRunAtReady(workers) {
  if (!location.protocol.startsWith('http')) return;
  const made = [];
  const NativeWorker = globalThis.Worker;
  globalThis.Worker = class extends NativeWorker {
    constructor(url, options) {
      super(url, options);
      made.push(String(url));
    }
  };
  const seen = { pthreadsAtReady: null, clicked: false, statuses: [] };
  globalThis.__readyTest = seen;
  new MutationObserver(() => {
    if (!seen.clicked && document.body?.dataset.ready === 'true') {
      seen.clicked = true;
      seen.pthreadsAtReady = made.filter((url) => url.includes('parlab.worker.js')).length;
      const set = (id, value) => {
        const el = document.getElementById(id);
        el.value = String(value);
        el.dispatchEvent(new Event('input', { bubbles: true }));
        el.dispatchEvent(new Event('change', { bubbles: true }));
      };
      set('mode', 'threads');
      set('workers', workers);
      document.getElementById('run').click();
    }
    const status = document.getElementById('status')?.textContent;
    if (seen.clicked && status && seen.statuses.at(-1) !== status) seen.statuses.push(status);
  }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
}

describeInBrowsers('page ready: the form works at once, the thread pool grows after', { timeout: 240_000, sitePrefix: 'parlab-ready-' }, (name, env) => {
  test(`${name}: no pthread worker before ready; a Run clicked at ready waits for its threads, says so, and completes`, async () => {
    const page = await env.browser.newPage();
    const problems = watchProblems(page);
    try {
      await page.evaluateOnNewDocument(clickRunAtReady, WORKERS);
      await page.goto(env.site.url(true) + QUERY);
      await page.waitForFunction(() => globalThis.__readyTest?.clicked === true, { timeout: 60_000, polling: 50 });
      assert.equal(await page.evaluate(() => self.crossOriginIsolated), true);
      assert.equal(await page.evaluate(() => globalThis.__readyTest.pthreadsAtReady), 0, 'no pthread worker was started before ready');
      await waitIdle(page, 120_000);
      const status = await textOf(page, '#status');
      assert.match(status, new RegExp(`^Done: primes, threads, ${WORKERS} workers; [0-9.]+ s, checksum ${CHECKSUM_200000}$`),
        `problems: ${problems.join('; ')}`);
      const statuses = await page.evaluate(() => globalThis.__readyTest.statuses);
      const waits = statuses.filter((s) => /waiting for the thread pool to start: \d+ of \d+ workers ready/.test(s));
      assert.ok(waits.length > 0, `the run said it waited for its threads; statuses seen: ${JSON.stringify(statuses)}`);
      const needed = Number(/of (\d+) workers ready/.exec(waits.at(-1))[1]);
      assert.ok(needed >= WORKERS + 1, `it waited for at least ${WORKERS + 1} workers (its threads and one spare): ${waits.at(-1)}`);
    } finally {
      await page.close().catch(() => {});
    }
  });
});
