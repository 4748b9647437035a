// The guided experiments in headless Chromium: for every card of the isolated page, Run stays disabled until a
// prediction is chosen, the card's defaults run to completion, and the explanation shows the measured figures.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { openCard, openPage, startLab } from './helpers.mjs';
import { CARDS } from '../../web/site/experiments.js';

const CARD_TIMEOUT_MS = 180_000; // a busy 2-core machine; the defaults take seconds when it is idle
/// What a card that reads uploads (the MPI card) is given first: a constructed parlab-mpi file (tests/web/mpi.test.mjs).
const MPI_FIXTURE = fileURLToPath(new URL('../fixtures/mpi-primes-3hosts.json', import.meta.url));

describe('the experiment cards', () => {
  let lab;
  let page;
  let problems;
  const outcomes = [];

  before(async () => {
    lab = await startLab('parlab-lessons-');
    ({ page, problems } = await openPage(lab));
  });

  after(async () => {
    for (const line of outcomes) console.log(`# ${line}`);
    await page?.close().catch(() => {});
    if (lab) await lab.close();
  });

  test('one card per lesson, each with its question and predictions', async () => {
    const ids = await page.$$eval('#experiment-cards .card', (cards) => cards.map((c) => c.dataset.cardId));
    assert.deepEqual(ids, CARDS.map((c) => c.id));
  });

  for (const card of CARDS) {
    test(`card ${card.id}: prediction first, then the run and the explanation`, async () => {
      const root = `#card-${card.id}`;
      await openCard(page, card.id);
      assert.equal(await page.isDisabled(`${root} .card-run`), true, 'Run is disabled before a prediction');
      assert.equal(await page.isHidden(`${root} .card-result`), true, 'no explanation before the run');
      if (card.runner === 'uploads') {
        await page.setInputFiles(`${root} input.card-upload`, MPI_FIXTURE);
        await page.waitForFunction((sel) => document.querySelector(`${sel} .card-upload-status`)?.dataset.kind === 'ok', root, { timeout: 30_000 });
      }
      const chosen = card.predictions[0].id;
      await page.check(`${root} input[name="predict-${card.id}"][value="${chosen}"]`);
      assert.equal(await page.isDisabled(`${root} .card-run`), false, 'Run is enabled once a prediction is chosen');
      await page.click(`${root} .card-run`);
      await page.waitForFunction((sel) => {
        const state = document.querySelector(sel)?.dataset.state;
        return state === 'done' || state === 'error';
      }, root, { timeout: CARD_TIMEOUT_MS, polling: 100 });
      const state = await page.getAttribute(root, 'data-state');
      const status = await page.textContent(`${root} .card-status`);
      assert.equal(state, 'done', `card ${card.id} ended in state ${state}: ${status}\n  ${problems.join('\n  ')}`);
      assert.equal(await page.isVisible(`${root} .card-result`), true, 'the explanation is shown');
      const verdict = await page.textContent(`${root} .card-verdict`);
      const measured = await page.textContent(`${root} .card-measured`);
      const why = await page.textContent(`${root} .card-why`);
      assert.ok(verdict.includes(card.predictions[0].text), `the prediction is quoted: ${verdict}`);
      assert.ok(why.length > 100, 'the explanation says why');
      if (!card.textOnly) {
        assert.match(measured, /\d+(\.\d+)?(×| s| ms| µs| ns per increment)/, `a measured figure: ${measured}`);
        assert.doesNotMatch(measured, /\?×|\? s/, `no figure is missing: ${measured}`);
      }
      // Its own picture: every canvas a Chart.js chart with data points; a text-only card draws nothing.
      const points = await page.$eval(root, (c) => [...c.querySelectorAll('.card-result canvas')]
        .map((canvas) => globalThis.Chart.getChart(canvas)?.data.datasets.reduce((n, d) => n + d.data.filter((p) => p !== null).length, 0) ?? 0));
      if (card.textOnly) assert.deepEqual(points, [], 'a text-only card draws nothing');
      else assert.ok(points.length >= 1 && points.every((n) => n > 0), `card ${card.id} draws its runs: points per chart ${points}`);
      if (card.id === 'deadlock' && /deadlock reported/.test(measured)) {
        // The deadlocked run finished no task: its timeline is its locks, each worker waiting for the other's.
        const waits = await page.$eval(root, (c) => [...c.querySelectorAll('.card-result canvas')]
          .map((canvas) => globalThis.Chart.getChart(canvas)?.data.datasets.find((d) => d.label === 'waits for a lock')?.data.length ?? 0));
        assert.ok(waits.some((n) => n >= 2), `the deadlocked run's waits are drawn: ${waits}`);
      }
      outcomes.push(`${card.id}: ${measured.replace(/^Measured: /, '')} [supports: ${await page.getAttribute(root, 'data-verdict') || 'none'}]`);
    });
  }

  test('without cross-origin isolation a card runs what it can and names what it left out', async () => {
    const open = await openPage(lab, { isolated: false });
    try {
      const root = '#card-cpu-gil';
      await openCard(open.page, 'cpu-gil');
      await open.page.check(`${root} input[name="predict-cpu-gil"][value="processes-only"]`);
      await open.page.click(`${root} .card-run`);
      await open.page.waitForFunction((sel) => ['done', 'error'].includes(document.querySelector(sel)?.dataset.state), root, { timeout: CARD_TIMEOUT_MS, polling: 100 });
      assert.equal(await open.page.getAttribute(root, 'data-state'), 'done', await open.page.textContent(`${root} .card-status`));
      const measured = await open.page.textContent(`${root} .card-measured`);
      assert.match(measured, /processes ×2 \d+(\.\d+)?×/);
      assert.match(measured, /Not run on this page: .*threads.*needs a cross-origin isolated page/);
    } finally {
      await open.page.close();
    }
  });

  test('the lesson text is on the page', async () => {
    const first = CARDS[0];
    await openCard(page, first.id);
    await page.click(`#card-${first.id} .card-lesson summary`);
    await page.waitForFunction((sel) => !/Loading/.test(document.querySelector(sel).textContent), `#card-${first.id} .card-lesson-body`);
    const text = await page.textContent(`#card-${first.id} .card-lesson-body`);
    assert.match(text, /parlab experiment run io-threads/, 'the lesson names the native command');
  });
});
