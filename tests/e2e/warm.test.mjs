// Process workers kept warm between runs, in Chromium and Firefox: two processes runs in a row, the second reusing
// the first's workers with the same checksum; the "start process workers afresh" option starting cold; a run
// stopped mid-way and a crashing task each followed by a run on fresh workers that computes the right checksum.
// Never timed: the status line says how each run's workers started, and #warm-status how many are kept.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { describeInBrowsers, newLabPage, runOnce, textOf, waitForReady, waitIdle } from './browsers.mjs';
import { setRun } from './helpers.mjs';

const SMALL = { workload: 'primes', params: { shape: 'chunked', n: 200000, chunks: 8 }, mode: 'processes', workers: 2 };
const CHECKSUM_200000 = '1709600813';
const DONE_RIGHT = new RegExp(`^Done.*checksum ${CHECKSUM_200000}`);
const keptNow = (page) => page.$eval('#warm-status', (el) => Number(el.dataset.kept));
/// Waits until #warm-status says `n` process workers are kept.
const keptBecomes = (page, n) => page.waitForFunction((want) => document.getElementById('warm-status').dataset.kept === String(want), { timeout: 10_000, polling: 20 }, n);
const setCold = (page, on) => page.$eval('#cold-start', (box, want) => {
  if (box.checked !== want) box.click();
}, on);

describeInBrowsers('process workers kept warm between runs', { timeout: 600_000, sitePrefix: 'parlab-warm-' }, (name, env) => {
  let context;
  let page;
  let problems;

  before(async () => {
    context = await env.browser.createBrowserContext();
    ({ page, problems } = await newLabPage(context, env.site.url()));
    await waitForReady(page, problems);
  });

  after(async () => {
    await context?.close().catch(() => {});
  });

  test(`${name}: the first processes run starts its workers, the second reuses them with the same checksum`, async () => {
    assert.equal(await keptNow(page), 0, 'nothing kept before the first run');
    const first = await runOnce(page, SMALL);
    assert.match(first, DONE_RIGHT, `${first}\n  ${problems.join('\n  ')}`);
    assert.match(first, /process workers started cold/, first);
    await keptBecomes(page, 2);
    const second = await runOnce(page, SMALL);
    assert.match(second, DONE_RIGHT, second);
    assert.match(second, /process workers reused warm/, second);
    env.figures.push(`${name} warm: first "${first.replace(/^.*start-up/, 'start-up')}", second "${second.replace(/^.*start-up/, 'start-up')}"`);
    // A larger run reuses both and starts only a third; a smaller one uses a subset and keeps all three.
    const three = await runOnce(page, { ...SMALL, workers: 3 });
    assert.match(three, /2 of 3 process workers reused warm/, three);
    const one = await runOnce(page, { ...SMALL, workers: 1 });
    assert.match(one, /process workers reused warm/, one);
    await keptBecomes(page, 3);
  });

  test(`${name}: "start process workers afresh" gives a cold start and keeps none`, async () => {
    await setCold(page, true);
    try {
      const cold = await runOnce(page, SMALL);
      assert.match(cold, DONE_RIGHT, cold);
      assert.match(cold, /process workers started cold/, cold);
      await keptBecomes(page, 0);
      assert.match(await page.url(), /cold_start=1/, 'the option is kept in the address, as the other form fields are');
    } finally {
      await setCold(page, false);
    }
    const warmAgain = await runOnce(page, SMALL);
    assert.match(warmAgain, /process workers started cold/, 'nothing was kept to reuse');
    const reused = await runOnce(page, SMALL);
    assert.match(reused, /process workers reused warm/, reused);
  });

  test(`${name}: a run stopped mid-way ends its workers; the next run starts fresh ones and is right`, async () => {
    await keptBecomes(page, 2);
    await setRun(page, { workload: 'download', params: { count: 400, latency_ms: 50, jitter_ms: 0 }, mode: 'processes', workers: 2 });
    await page.click('#run');
    await page.waitForFunction(() => document.getElementById('progress').value > 0, { timeout: 20_000, polling: 20 });
    await page.click('#stop');
    await waitIdle(page);
    assert.match(await textOf(page, '#status'), /^Stopped/);
    await keptBecomes(page, 0);
    const next = await runOnce(page, SMALL);
    assert.match(next, DONE_RIGHT, next);
    assert.match(next, /process workers started cold/, next);
  });

  test(`${name}: a crashing task ends the run's workers; the next run starts fresh ones and is right`, async () => {
    await keptBecomes(page, 2);
    for (const how of ['throw', 'abort']) {
      const crash = await runOnce(page, { ...SMALL, params: { ...SMALL.params, crash_task: 3, crash_how: how } });
      assert.match(crash, /^Error.*process worker \d+/, `${how}: ${crash}`);
      await keptBecomes(page, 0);
      const next = await runOnce(page, SMALL);
      assert.match(next, DONE_RIGHT, `after ${how}: ${next}`);
      assert.match(next, /process workers started cold/, `after ${how}: ${next}`);
      await keptBecomes(page, 2);
    }
    assert.deepEqual(problems.filter((p) => p.startsWith('page error')), []);
  });
});
