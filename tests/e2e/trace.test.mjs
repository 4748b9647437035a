// The Workbench's "Trace (Perfetto)" download in Chromium and Firefox ESR: disabled with nothing kept; after a
// processes run it hands the browser parlab-trace.json, whose X events are that run's tasks, one each, on the process
// Web Workers. The test reads the file from the Blob the page offers (URL.createObjectURL and the link's download
// name), the same way in both browsers.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { describeInBrowsers, newLabPage, runOnce, waitForReady } from './browsers.mjs';

const TIMEOUT = 120_000;
const JOB = { workload: 'primes', params: { shape: 'chunked', n: 200000, chunks: 8 }, mode: 'processes', workers: 2 };

describeInBrowsers('trace download', { timeout: 600_000, sitePrefix: 'parlab-trace-' }, (name, env) => {
  test(`${name}: a processes run downloads as a trace with one X event per task on the process Web Workers`, { timeout: TIMEOUT * 2 }, async () => {
    const { page, problems } = await newLabPage(env.browser, env.site.url());
    await waitForReady(page, problems);
    await page.waitForSelector('body[data-history]');
    assert.equal(await page.$eval('#trace-export', (b) => b.disabled), true, 'nothing kept: nothing to trace');
    const status = await runOnce(page, JOB, TIMEOUT);
    assert.match(status, /checksum/, status);

    // Keep what the page offers for download instead of saving it.
    await page.evaluate(() => {
      globalThis.__offered = [];
      const create = URL.createObjectURL.bind(URL);
      URL.createObjectURL = (blob) => {
        const url = create(blob);
        globalThis.__offered.push({ url, blob });
        return url;
      };
      document.addEventListener('click', (event) => {
        const link = event.target.closest?.('a[download]');
        const offered = globalThis.__offered.find((o) => o.url === link?.href);
        if (offered) {
          offered.name = link.download;
          event.preventDefault();
        }
      }, true);
    });
    await page.waitForSelector('#trace-export:not([disabled])', { timeout: 10_000 });
    await page.click('#trace-export');
    await page.waitForFunction(() => globalThis.__offered.some((o) => o.name), { timeout: 30_000 });
    const offered = await page.evaluate(async () => {
      const o = globalThis.__offered.find((x) => x.name);
      return { name: o.name, text: await o.blob.text() };
    });
    assert.equal(offered.name, 'parlab-trace.json');
    const trace = JSON.parse(offered.text);
    assert.equal(trace.displayTimeUnit, 'ms');
    assert.equal(trace.otherData.runs, 1);
    const tasks = trace.traceEvents.filter((e) => e.ph === 'X' && e.args?.task !== undefined);
    assert.deepEqual(tasks.map((e) => e.args.task).sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7]);
    const names = new Map(trace.traceEvents.filter((e) => e.ph === 'M' && e.name === 'process_name').map((e) => [e.pid, e.args.name]));
    const pids = new Set(tasks.map((e) => e.pid));
    assert.ok(pids.size >= 2, `tasks on ${pids.size} pid(s)`);
    for (const e of tasks) assert.equal(names.get(e.pid), `run 1 · processes x2 · process Web Worker ${e.args.pid}`);
    assert.equal(await page.$eval('#import-status', (p) => p.hidden), true, 'no error note');
    assert.deepEqual(problems, []);
    await page.close();
  });
});
