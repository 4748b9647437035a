// The browser suite in Chromium and in Firefox ESR, through one driver (browsers.mjs): the isolated page loads, threads
// and processes agree with sequential, a guided card, an upload, Stop within the page's 200 ms, the embed page, a
// 50-run soak back to the baseline worker count, and 30 cold loads (each in a fresh browser context) none stuck.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { describeInBrowsers, newLabPage, runOnce, settleWorkers, textOf, uploadFile, waitForReady, warmWorkers } from './browsers.mjs';
import { openCard, setRun } from './helpers.mjs';

const SOAK_RUNS = Number(process.env.PARLAB_XB_SOAK_RUNS || 50);
const COLD_LOADS = Number(process.env.PARLAB_XB_COLD_LOADS || 30);
const STUCK_AFTER_MS = 30_000; // a cold load not ready by then is stuck (the issue saw them stay stuck for good)
const STOP_PROMISE_MS = 200; // the page promises every worker has stopped within this after Stop
const SMALL = { workload: 'primes', params: { shape: 'chunked', n: 200000, chunks: 8 } };
const CHECKSUM_200000 = '1709600813'; // the sum of the primes below 200000, mod 2^32
const EMBED_QUERY = 'workload=primes&shape=inputs&inputs=100000,100000&mode=processes&workers=2';
const EMBED_CHECKSUM = String(2 * 454396537); // twice the sum of the primes <= 100000
const SOAK_JOBS = [
  { workload: 'primes', params: { shape: 'inputs', inputs: '20000,30000' } },
  { workload: 'factorials', params: { inputs: '10,20', repeat: 2 } },
  { workload: 'download', params: { count: 2, latency_ms: 1, jitter_ms: 0, work_kib: 1 } },
];
const SOAK_MODES = ['sequential', 'threads', 'processes'];

const checksumOf = (status) => /checksum (\d+)/.exec(status)?.[1] ?? null;

/// A results file as `parlab run --json` writes it, with one complete native run.
function resultsFile() {
  const run = {
    workload: 'primes', params: { shape: 'chunked', n: 200000, chunks: 2 }, mode: 'threads', workers: 2, ok: true,
    complete: true, error: null, started_at: '2026-01-01T00:00:00Z', wall_s: 0.01, startup_s: 0, cpu_s: null,
    avg_task_s: 0.005, hardware_concurrency: 2, task_count: 2, tasks_done: 2, checksum: CHECKSUM_200000,
    tasks: [
      { id: 0, worker: 0, pid: 1, thread: 1, phase: 'compute', start_s: 0, end_s: 0.004, wait_s: 0, cpu_s: null, value: '1' },
      { id: 1, worker: 1, pid: 1, thread: 2, phase: 'compute', start_s: 0, end_s: 0.006, wait_s: 0, cpu_s: null, value: '2' },
    ],
  };
  return {
    schema_version: 1, generator: 'parlab test', created: '2026-01-01T00:00:00Z',
    environment: { target: 'native', os: 'Linux', cpu_model: 'test CPU', logical_cpus: 2, compiler: 'g++', user_agent: null, cross_origin_isolated: null },
    runs: [run],
  };
}

/// Clicks Stop and returns the page's own measure of the ms until no run is in flight and Run is enabled again:
/// performance.now() at the click and when a mutation observer sees the page go idle (-1: not within `guard` ms).
function stopAndMeasure(page, guard = 5000) {
  return page.evaluate((guardMs) => new Promise((resolve) => {
    const run = document.getElementById('run');
    const idle = () => !run.disabled && document.body.dataset.running === 'false';
    let t0 = 0;
    const observer = new MutationObserver(() => {
      if (idle()) finish(performance.now() - t0);
    });
    const timer = setTimeout(() => finish(-1), guardMs);
    function finish(ms) {
      observer.disconnect();
      clearTimeout(timer);
      resolve(ms);
    }
    observer.observe(document.body, { attributes: true, subtree: true, attributeFilter: ['data-running', 'disabled'] });
    t0 = performance.now();
    document.getElementById('stop').click();
    if (idle()) finish(performance.now() - t0);
  }), guard);
}

describeInBrowsers('the browser suite in Chromium and Firefox', { timeout: 3_600_000, sitePrefix: 'parlab-xb-' }, (name, env) => {
  let context;
  let page;
  let problems;

  before(async () => {
    context = await env.browser.createBrowserContext();
  });

  after(async () => {
    await context?.close().catch(() => {});
  });

  test('the isolated page loads: cross-origin isolated, ready, no errors', async () => {
    ({ page, problems } = await newLabPage(context, env.site.url()));
    await waitForReady(page, problems);
    assert.equal(await page.evaluate(() => self.crossOriginIsolated), true, 'crossOriginIsolated');
    assert.equal(await page.evaluate(() => typeof SharedArrayBuffer), 'function', 'SharedArrayBuffer exists');
    assert.equal(await page.$eval('#mode option[value="threads"]', (o) => o.disabled), false, 'threads can be chosen');
    assert.deepEqual(problems, []);
  });

  test('threads and processes compute the sequential checksum', async () => {
    const sums = {};
    for (const mode of ['sequential', 'threads', 'processes']) {
      const status = await runOnce(page, { ...SMALL, mode, workers: 2 });
      assert.match(status, /^Done/, `${mode}: ${status}\n  ${problems.join('\n  ')}`);
      sums[mode] = checksumOf(status);
    }
    assert.equal(sums.sequential, CHECKSUM_200000);
    assert.deepEqual(sums, { sequential: sums.sequential, threads: sums.sequential, processes: sums.sequential });
    const rows = await page.$$eval('#runs-table tr.run-row', (trs) => trs.map((tr) => [tr.cells[3].textContent, tr.cells[7].textContent]));
    for (const mode of ['sequential', 'threads', 'processes']) {
      assert.ok(rows.some(([m, c]) => m.startsWith(mode) && c.includes(CHECKSUM_200000)), `a ${mode} row with the checksum: ${JSON.stringify(rows)}`);
    }
  });

  test('a guided card (io-threads) runs to done', async () => {
    const root = '#card-io-threads';
    await openCard(page, 'io-threads');
    assert.equal(await page.$eval(`${root} .card-run`, (b) => b.disabled), true, 'Run waits for a prediction');
    await page.click(`${root} input[name="predict-io-threads"][value="more"]`);
    assert.equal(await page.$eval(`${root} .card-run`, (b) => b.disabled), false);
    await page.click(`${root} .card-run`);
    await page.waitForFunction((sel) => ['done', 'error'].includes(document.querySelector(sel)?.dataset.state), { timeout: 180_000, polling: 100 }, root);
    const state = await page.$eval(root, (el) => el.dataset.state);
    const measured = await textOf(page, `${root} .card-measured`);
    assert.equal(state, 'done', `${await textOf(page, `${root} .card-status`)}\n  ${problems.join('\n  ')}`);
    assert.match(measured, /threads ×2 \d+(\.\d+)?×/, measured);
    env.figures.push(`${name} io-threads card: ${measured.replace(/^Measured: /, '')}`);
  });

  test('a results file uploaded through the input joins the runs table', async () => {
    const file = join(env.site.work, `${name}-results.json`);
    writeFileSync(file, JSON.stringify(resultsFile()));
    await page.evaluate(() => { document.getElementById('upload-status').dataset.kind = 'pending'; });
    await uploadFile(page, '#upload', file);
    await page.waitForFunction(() => ['ok', 'error'].includes(document.getElementById('upload-status').dataset.kind), { timeout: 30_000 });
    const status = await textOf(page, '#upload-status');
    assert.equal(await page.$eval('#upload-status', (el) => el.dataset.kind), 'ok', status);
    assert.match(status, new RegExp(`Loaded 1 run from ${name}-results\\.json`));
    const uploaded = await page.$$eval('#runs-table tr.run-row', (trs) => trs.filter((tr) => tr.cells[0].textContent.includes('results.json')).length);
    assert.equal(uploaded, 1, 'one row from the file');
  });

  test(`Stop: threads and processes are idle within ${STOP_PROMISE_MS} ms by the page's clock`, async (t) => {
    // The baseline without the process workers kept warm by earlier runs: a stopped run ends those it used.
    const base = (await settleWorkers(page, -1, 5000)) - (await warmWorkers(page));
    const long = { workload: 'primes', params: { shape: 'chunked', n: 100000000, chunks: 4 } }; // seconds per task
    for (const mode of ['threads', 'processes']) {
      await setRun(page, { ...long, mode, workers: 2 });
      await page.click('#run');
      await page.waitForFunction(() => document.body.dataset.running === 'true', { timeout: 10_000, polling: 10 });
      // The workers are in the middle of their tasks once the first progress message has arrived.
      await new Promise((r) => setTimeout(r, 700));
      const ms = await stopAndMeasure(page);
      env.figures.push(`${name} Stop ${mode}: ${ms.toFixed(1)} ms`);
      t.diagnostic(`${mode}: idle ${ms.toFixed(1)} ms after Stop`);
      assert.ok(ms >= 0, `${mode}: still running 5 s after Stop`);
      assert.ok(ms <= STOP_PROMISE_MS, `${mode}: idle ${ms.toFixed(1)} ms after Stop, over the page's ${STOP_PROMISE_MS} ms`);
      assert.match(await textOf(page, '#status'), /^Stopped/);
      const kept = await warmWorkers(page);
      if (mode === 'processes') assert.equal(kept, 0, 'a stopped run keeps none of its process workers');
      assert.equal(await settleWorkers(page, base + kept, 10_000), base + kept, `${mode}: back to ${base} workers (and ${kept} kept warm) after Stop`);
    }
    const status = await runOnce(page, { ...SMALL, mode: 'threads', workers: 2 });
    assert.match(status, new RegExp(`^Done.*${CHECKSUM_200000}`), `the page runs again after Stop: ${status}`);
  });

  test('the embed page: isolated, runs processes with the known checksum', async () => {
    const embed = await newLabPage(context, `${env.site.url()}embed.html?${EMBED_QUERY}`);
    try {
      await waitForReady(embed.page, embed.problems);
      assert.equal(await embed.page.evaluate(() => self.crossOriginIsolated), true);
      assert.equal(await embed.page.$eval('#mode', (s) => s.value), 'processes', 'the mode from the address');
      await embed.page.click('#run');
      await embed.page.waitForSelector('#embed-results tr.embed-row', { timeout: 60_000 });
      await embed.page.waitForSelector('body[data-running="false"]', { timeout: 60_000 });
      const row = await embed.page.$eval('#embed-results tr.embed-row', (tr) => ({ mode: tr.dataset.mode, ok: tr.dataset.ok, checksum: tr.querySelector('td.checksum').textContent }));
      assert.deepEqual(row, { mode: 'processes', ok: 'true', checksum: EMBED_CHECKSUM }, await textOf(embed.page, '#status'));
      assert.deepEqual(embed.problems, []);
    } finally {
      await embed.page.close();
    }
  });

  test(`soak: ${SOAK_RUNS} runs across modes, the live workers back at baseline after each`, async (t) => {
    await page.close();
    ({ page, problems } = await newLabPage(context, env.site.url()));
    await waitForReady(page, problems);
    await runOnce(page, { ...SOAK_JOBS[0], mode: 'threads', workers: 2 }); // the pthread pool is up
    const base = await settleWorkers(page, -1, 3000);
    assert.ok(base >= 1, 'the lab worker is live');
    for (let i = 0; i < SOAK_RUNS; i++) {
      const mode = SOAK_MODES[i % SOAK_MODES.length];
      const job = SOAK_JOBS[Math.floor(i / SOAK_MODES.length) % SOAK_JOBS.length];
      const status = await runOnce(page, { ...job, mode, workers: 1 + (i % 2) }, 30_000);
      assert.match(status, /^Done/, `run ${i} (${mode}, ${job.workload}): ${status}\n  ${problems.join('\n  ')}`);
      // Process workers kept warm between runs are live too; they must not pile up (at most the largest run's).
      const kept = await warmWorkers(page);
      assert.ok(kept <= 2, `${kept} process workers kept warm after runs of at most 2`);
      const live = await settleWorkers(page, base + kept, 5000);
      assert.equal(live, base + kept, `after run ${i} (${mode}): ${live} live workers, baseline ${base} and ${kept} kept warm`);
      await page.click('#clear-runs');
    }
    env.figures.push(`${name} soak: ${SOAK_RUNS} runs, back to the baseline of ${base} live workers after each`);
    assert.deepEqual(problems.filter((p) => p.startsWith('page error')), [], 'no uncaught page errors');
    await page.close();
  });

  test(`${COLD_LOADS} cold loads (a fresh browser context each): none stuck`, async (t) => {
    const stuck = [];
    const readyMs = [];
    for (let i = 0; i < COLD_LOADS; i++) {
      const fresh = await env.browser.createBrowserContext();
      try {
        const cold = await newLabPage(fresh, null, { freshStore: false });
        // The page's own clock: ms from navigation to the moment body[data-ready] turns true.
        await cold.page.evaluateOnNewDocument(() => {
          new MutationObserver((_, observer) => {
            if (document.body?.dataset.ready === 'true') {
              globalThis.__readyAt = performance.now();
              observer.disconnect();
            }
          }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-ready'] });
        });
        const t0 = Date.now();
        await cold.page.goto(env.site.url());
        try {
          await waitForReady(cold.page, cold.problems, STUCK_AFTER_MS);
          readyMs.push(await cold.page.evaluate(() => Math.round(globalThis.__readyAt ?? performance.now())));
        } catch (error) {
          stuck.push(`load ${i} after ${Date.now() - t0} ms: ${error.message.split('\n')[0]}`);
        }
      } finally {
        await fresh.close().catch(() => {});
      }
    }
    readyMs.sort((a, b) => a - b);
    const median = readyMs.length ? readyMs[readyMs.length >> 1] : NaN;
    env.figures.push(`${name} cold loads: ${stuck.length} stuck of ${COLD_LOADS}; ready by the page's clock: median ${median} ms, max ${readyMs.at(-1)} ms`);
    t.diagnostic(`${stuck.length} stuck of ${COLD_LOADS}`);
    assert.deepEqual(stuck, [], `${stuck.length} of ${COLD_LOADS} cold loads stuck`);
  });
});
