// A card's own picture in Chromium and Firefox: card cpu-gil runs, then its canvases hold Chart.js charts with data,
// the prediction and the bound are datasets, the card's table says what the chart draws, the timelines share their
// time axis, and a rerun leaves no Chart instance behind; while it runs it shows its progress, and Stop ends it.
// Saves a screenshot of the finished card for review (not compared).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { axeViolations, describeInBrowsers, openCardPage } from './browsers.mjs';

const CARD_TIMEOUT_MS = 300_000; // 27 runs of the three primes tasks on a busy 2-core machine
const ROOT = '#card-cpu-gil';
const SCREENSHOTS = fileURLToPath(new URL('../../build/screenshots/', import.meta.url));
/// axe-core's serious and critical violations inside the card, every data table open (as a11y.test.mjs checks the page).
const cardViolations = (page) => axeViolations(page, ROOT, ['serious', 'critical']);

/// Runs the card with a prediction and waits for it to end; returns its state and status line.
async function runCard(page, prediction) {
  await page.click(`${ROOT} input[name="predict-cpu-gil"][value="${prediction}"]`);
  await page.click(`${ROOT} .card-run`);
  await page.waitForFunction((sel) => document.querySelector(sel).dataset.state === 'running', { timeout: 10_000 }, ROOT);
  await page.waitForFunction((sel) => ['done', 'error', 'stopped'].includes(document.querySelector(sel).dataset.state), { timeout: CARD_TIMEOUT_MS, polling: 200 }, ROOT);
  return page.$eval(ROOT, (card) => ({ state: card.dataset.state, status: card.querySelector('.card-status').textContent }));
}

/// What the card's charts hold, read through Chart.getChart, and its tables' rows.
function readPicture(page) {
  return page.$eval(ROOT, (card) => {
    const chartOf = (canvas) => globalThis.Chart.getChart(canvas);
    const tableOf = (figure) => [...figure.querySelectorAll('tbody tr.data-row')].map((tr) => [...tr.cells].map((td) => td.textContent));
    // A card stopped early may have no speed-up yet: then only its timelines.
    const speedup = card.querySelector('.card-speedup');
    const chart = speedup ? chartOf(speedup.querySelector('canvas')) : { data: { datasets: [], labels: [] } };
    const points = [];
    for (const d of chart.data.datasets) {
      d.data.forEach((p, i) => {
        if (p === null || p === undefined) return;
        const xy = typeof p === 'object' && !Array.isArray(p);
        points.push({ label: d.label, x: String(xy ? p.x : chart.data.labels[i]), y: xy ? p.y : p });
      });
    }
    return {
      datasets: chart.data.datasets.map((d) => ({ label: d.label, reference: d.reference ?? null, points: d.data.filter((p) => p !== null).length })),
      points,
      rows: speedup ? tableOf(speedup) : [],
      timelines: [...card.querySelectorAll('.card-timeline')].map((figure) => {
        const t = chartOf(figure.querySelector('canvas'));
        return {
          job: figure.querySelector('canvas').dataset.job,
          xMax: t.scales.x.max, optionMax: t.options.scales.x.max,
          bars: t.data.datasets.reduce((n, d) => n + d.data.length, 0),
          legend: t.data.datasets.map((d) => d.label),
          rows: tableOf(figure).length,
        };
      }),
      instances: Object.keys(globalThis.Chart.instances).length,
      canvases: card.querySelectorAll('canvas').length,
      steps: card.querySelectorAll('.card-why ol li').length,
    };
  });
}

describeInBrowsers('a card draws its own runs', { timeout: 2 * CARD_TIMEOUT_MS + 120_000, sitePrefix: 'parlab-card-charts-' }, (name, env) => {
  let page;
  let problems;

  before(async () => {
    ({ page, problems } = await openCardPage(env.browser, env.site.url(true), 'cpu-gil'));
  });

  after(async () => {
    await page?.close().catch(() => {});
  });

  test(`${name}: cpu-gil's charts have data, the prediction and the bound, tables that match, one time axis; a rerun leaks no chart`, async () => {
    const baseline = await page.evaluate(() => Object.keys(globalThis.Chart.instances).length);
    const first = await runCard(page, 'not-gil');
    assert.equal(first.state, 'done', `${first.status}\n  ${problems.join('\n  ')}`);
    const picture = await readPicture(page);

    for (const d of picture.datasets) assert.ok(d.points > 0, `${d.label} has data points`);
    assert.ok(picture.datasets.some((d) => d.reference === null && d.label === 'measured'), 'the measured bars');
    assert.ok(picture.datasets.some((d) => d.reference === 'prediction'), 'the prediction is a dataset');
    assert.ok(picture.datasets.some((d) => d.reference === 'bound' && /bound/.test(d.label)), 'the bound is a dataset');
    assert.ok(picture.datasets.some((d) => d.reference === 'ideal'), 'the ideal is a dataset');

    // The table is the chart's data: one row per point, in order, with the same series, job and value.
    assert.equal(picture.rows.length, picture.points.length, 'a table row per point drawn');
    picture.points.forEach((p, i) => {
      const [series, x, value] = picture.rows[i];
      assert.equal(series, p.label);
      assert.equal(x, p.x);
      assert.ok(Math.abs(Number.parseFloat(value) - p.y) < 0.006, `row ${i}: ${value} vs ${p.y}`);
    });

    assert.deepEqual(picture.timelines.map((t) => t.job), ['seq', 't3', 'g3', 'p3'], 'the runs compared, side by side');
    const axis = picture.timelines[0].optionMax;
    assert.ok(axis > 0);
    for (const t of picture.timelines) {
      assert.equal(t.optionMax, axis, `${t.job}: the shared time axis`);
      assert.equal(t.xMax, axis, `${t.job}: drawn to the shared end`);
      assert.ok(t.bars > 0 && t.rows > 0, `${t.job}: bars and table rows`);
    }
    assert.ok(picture.timelines.find((t) => t.job === 'g3').legend.includes('waiting for the lock'), 'the lock is drawn as such');
    // The page keeps process workers warm between runs: on a fresh page p2's first run starts both, p3's first
    // reuses them and starts a third, every later one reuses all; the card says so. The drawn p3 repeat is usually a
    // warm one, whose start-up (a few ms) may be too thin to draw; where drawn, it is named as the processes' one.
    const measured = await page.$eval('#card-cpu-gil .card-measured', (p) => p.textContent);
    assert.match(measured, /process workers started cold in 1, partly warm \(some reused, some started\) in 1 and reused warm in 4 of 6 runs/, measured);
    const startupLabels = picture.timelines.find((t) => t.job === 'p3').legend.filter((l) => /start-up/.test(l));
    assert.ok(startupLabels.every((l) => /^process start-up/.test(l)), `p3's start-up is the processes': ${startupLabels}`);
    assert.ok(picture.steps >= 2, 'numbered steps beside the picture');
    assert.equal(picture.instances, baseline + 1 + picture.timelines.length, 'one Chart per canvas of the card');
    assert.equal(picture.canvases, 1 + picture.timelines.length);

    mkdirSync(SCREENSHOTS, { recursive: true });
    assert.deepEqual(await cardViolations(page), [], 'axe: the finished card, its tables open');
    await page.$$eval(`${ROOT} details`, (all) => { for (const d of all) d.open = false; });
    const card = await page.$(ROOT);
    await card.screenshot({ path: join(SCREENSHOTS, name === 'chromium' ? 'card-cpu-gil-done.png' : `card-cpu-gil-done-${name}.png`) });

    const second = await runCard(page, 'all');
    assert.equal(second.state, 'done', second.status);
    const again = await readPicture(page);
    assert.equal(again.instances, picture.instances, 'the rerun destroyed the old charts');
    assert.ok(again.datasets.some((d) => d.reference === 'prediction'));

    // While it runs the card shows its own progress and a Stop; stopped, it draws what ran, and no more charts.
    await page.click(`${ROOT} input[name="predict-cpu-gil"][value="none"]`);
    await page.click(`${ROOT} .card-run`);
    await page.waitForFunction((sel) => !document.querySelector(`${sel} .card-progress`).hidden
      && /run [2-9] of \d+, .*tasks done/.test(document.querySelector(`${sel} .card-status`).textContent), { timeout: 60_000, polling: 20 }, ROOT);
    await page.click(`${ROOT} .card-stop`);
    await page.waitForFunction((sel) => document.querySelector(sel).dataset.state !== 'running', { timeout: 30_000, polling: 50 }, ROOT);
    const stopped = await page.$eval(ROOT, (card) => ({ state: card.dataset.state, status: card.querySelector('.card-status').textContent, progress: card.querySelector('.card-progress').hidden }));
    assert.equal(stopped.state, 'stopped', stopped.status);
    assert.match(stopped.status, /^Stopped/);
    assert.equal(stopped.progress, true, 'the progress is gone');
    const partial = await readPicture(page);
    assert.equal(partial.instances, baseline + partial.canvases, 'one Chart per canvas after a stop too');
    assert.deepEqual(problems, [], 'no page or console errors');
  });
});
