// The guided cards on bigger machines than this one: the page is told it has 16, then 64 logical CPUs (Chromium's
// Emulation.setHardwareConcurrencyOverride, before navigation). It changes what the page sees, not the cores it
// gets: the test checks the plans the cards make from the count, and that each card's data-verdict is the lesson's
// claim or an honest "inconclusive", never the opposite claim (the I/O card once said "stops at the cores" from a
// run where 12 threads gave 11x on a 16-CPU page).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { openCard, startLab, waitForReady, watchPage } from './helpers.mjs';
import { INCONCLUSIVE, ioPlan, oversubscriptionPlan } from '../../web/site/experiments.js';

const CARD_TIMEOUT_MS = 240_000;

/// Opens the isolated page reporting `cpus` logical CPUs, with an empty run store.
async function openWithCpus(lab, cpus) {
  const page = await lab.context.newPage();
  const { problems } = watchPage(page);
  const cdp = await lab.context.newCDPSession(page);
  await cdp.send('Emulation.setHardwareConcurrencyOverride', { hardwareConcurrency: cpus });
  await page.addInitScript(() => {
    if (sessionStorage.getItem('parlab-test-store') === null) {
      sessionStorage.setItem('parlab-test-store', 'fresh');
      indexedDB.deleteDatabase('parlab');
    }
  });
  await page.goto(lab.url(true));
  await waitForReady(page, problems);
  return { page, problems };
}

async function runCard(page, id, prediction) {
  const root = `#card-${id}`;
  await openCard(page, id);
  await page.check(`${root} input[name="predict-${id}"][value="${prediction}"]`);
  await page.click(`${root} .card-run`);
  await page.waitForFunction((sel) => ['done', 'error'].includes(document.querySelector(sel)?.dataset.state), root, { timeout: CARD_TIMEOUT_MS, polling: 200 });
  return {
    state: await page.getAttribute(root, 'data-state'),
    verdict: await page.getAttribute(root, 'data-verdict'),
    what: await page.textContent(`${root} .card-what`),
    status: await page.textContent(`${root} .card-status`),
    measured: await page.textContent(`${root} .card-measured`),
    why: await page.textContent(`${root} .card-why`),
    line: await page.textContent(`${root} .card-verdict`),
    maxWorkers: Number(await page.getAttribute(root, 'data-max-workers')),
  };
}

for (const cpus of [16, 64]) {
  describe(`the page reporting ${cpus} logical CPUs`, () => {
    let lab;
    let page;
    let problems;
    const outcomes = [];

    before(async () => {
      lab = await startLab(`parlab-cards-${cpus}-`);
      ({ page, problems } = await openWithCpus(lab, cpus));
      assert.equal(await page.evaluate(() => navigator.hardwareConcurrency), cpus, 'the override took');
    });

    after(async () => {
      for (const line of outcomes) console.log(`# ${cpus} CPUs: ${line}`);
      await page?.close().catch(() => {});
      if (lab) await lab.close();
    });

    test('the I/O card runs well past the CPUs and supports "far past the cores"', async () => {
      const r = await runCard(page, 'io-threads', 'cores');
      const plan = ioPlan(cpus, { maxWorkers: r.maxWorkers, maxAsync: 256 });
      outcomes.push(`io-threads: ${r.verdict}; ${r.measured}`);
      assert.equal(r.state, 'done', `${r.status}\n  ${problems.join('\n  ')}`);
      assert.match(r.what, new RegExp(`Planned for the ${cpus} logical CPUs`));
      assert.match(r.what, new RegExp(`download async ×${plan.async}\\b`), 'async goes to 4x the CPUs');
      assert.match(r.measured, new RegExp(`^Measured: ${plan.count} downloads`));
      assert.equal(r.verdict, 'more', `${r.line}\n${r.measured}`);
      assert.match(r.line, /supports instead: “It keeps getting faster with more threads, far past the number of cores\.”/);
      assert.match(r.why, new RegExp(`This browser reports ${cpus} logical CPUs`));
    });

    test('the more-workers-than-cores card plans from the CPUs and never claims the opposite', async () => {
      const r = await runCard(page, 'oversubscription', 'both-grow');
      const plan = oversubscriptionPlan(cpus, { maxWorkers: r.maxWorkers, maxAsync: 256 });
      outcomes.push(`oversubscription: ${r.verdict}; ${r.measured}`);
      assert.equal(r.state, 'done', `${r.status}\n  ${problems.join('\n  ')}`);
      for (const w of plan.workers) assert.match(r.what, new RegExp(`primes threads ×${w}\\b`), `a CPU run with ${w} workers`);
      if (plan.workers.some((w) => w > cpus)) {
        // Past the reported CPUs; this machine's real cores are fewer still, so primes is flat past them. A busy
        // machine may make it "inconclusive: the machine was busy", never another claim.
        if (!(r.verdict === INCONCLUSIVE && /the machine was busy/.test(r.line))) assert.equal(r.verdict, 'cpu-stops', `${r.line}\n${r.measured}`);
      } else {
        assert.equal(r.verdict, INCONCLUSIVE, `${r.line}\n${r.measured}`);
        assert.match(r.line, new RegExp(`Inconclusive: this page runs at most ${Math.max(...plan.workers)} workers, no more than the ${cpus} logical CPUs`));
      }
    });
  });
}
