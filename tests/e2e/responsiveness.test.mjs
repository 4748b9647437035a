// The responsiveness card in Chromium and Firefox: it runs to its verdict, records frame gaps on the page's own thread
// and in a worker, the queued click's wait and every timer's lateness, and its charts hold what their tables say.
// Structure only, never speed: the figures are printed for the record.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { axeViolations, describeInBrowsers, openCardPage } from './browsers.mjs';
import { CARDS, INCONCLUSIVE } from '../../web/site/experiments.js';

const CARD_TIMEOUT_MS = 120_000;
const ROOT = '#card-responsiveness';
const CARD = CARDS.find((c) => c.id === 'responsiveness');

describeInBrowsers('the responsiveness card', { timeout: 2 * CARD_TIMEOUT_MS + 120_000, sitePrefix: 'parlab-resp-' }, (name, env) => {
  let page;
  let problems;

  before(async () => {
    ({ page, problems } = await openCardPage(env.browser, env.site.url(true), 'responsiveness'));
  });

  after(async () => {
    await page?.close().catch(() => {});
  });

  test(`${name}: runs to a verdict; gaps, the click's wait and every timer recorded; charts equal their tables; axe clean`, async () => {
    await page.click(`${ROOT} input[name="predict-responsiveness"][value="main-only"]`);
    await page.click(`${ROOT} .card-run`);
    await page.waitForFunction((sel) => ['done', 'error', 'stopped'].includes(document.querySelector(sel).dataset.state), { timeout: CARD_TIMEOUT_MS, polling: 200 }, ROOT);
    const end = await page.$eval(ROOT, (card) => ({ state: card.dataset.state, status: card.querySelector('.card-status').textContent, verdict: card.dataset.verdict, stage: card.querySelectorAll('.resp-stage').length }));
    assert.equal(end.state, 'done', `${end.status}\n  ${problems.join('\n  ')}`);
    assert.ok([...CARD.predictions.map((p) => p.id), INCONCLUSIVE].includes(end.verdict), `a verdict: ${end.verdict}`);
    assert.equal(end.stage, 0, 'the animation is gone once the card is done');

    // The measurement itself, as the card judged it (the page keeps it for its charts: read it from the card's tables).
    const picture = await page.$eval(ROOT, (card) => {
      const read = (figure) => {
        const chart = globalThis.Chart.getChart(figure.querySelector('canvas'));
        const points = [];
        for (const d of chart.data.datasets) {
          d.data.forEach((y, i) => { if (y !== null && y !== undefined) points.push({ label: d.label, x: chart.data.labels[i], y }); });
        }
        return { points, rows: [...figure.querySelectorAll('tbody tr.data-row')].map((tr) => [...tr.cells].map((td) => td.textContent)) };
      };
      return {
        gaps: read(card.querySelector('.card-speedup')), frames: read(card.querySelector('.card-frames')), timers: read(card.querySelector('.card-timers')),
        measured: card.querySelector('.card-measured').textContent,
      };
    });
    for (const [which, chart] of Object.entries(picture)) {
      if (which === 'measured') continue;
      assert.equal(chart.rows.length, chart.points.length, `${which}: a table row per point drawn`);
      chart.points.forEach((p, i) => {
        const [series, x, value] = chart.rows[i];
        assert.equal(series, p.label, `${which} row ${i}`);
        assert.equal(x, p.x, `${which} row ${i}`);
        const shown = Number.parseFloat(value) * (/\d s$/.test(value) ? 1000 : 1);
        assert.ok(Math.abs(shown - p.y) <= Math.max(0.06, Math.abs(p.y) * 0.006), `${which} row ${i}: ${value} vs ${p.y}`);
      });
    }
    const measured = (label) => picture.gaps.points.find((p) => p.label === 'measured' && p.x === label)?.y;
    const mainGap = measured('longest frame gap, job on the page\'s thread');
    const workerGap = measured('longest frame gap, job in a worker');
    assert.ok(mainGap > 0 && workerGap > 0, `frame gaps recorded: ${mainGap}, ${workerGap}`);
    assert.ok(Number.isFinite(measured('queued click\'s wait, job on the page\'s thread')), 'the click\'s wait recorded (page\'s thread)');
    assert.ok(Number.isFinite(measured('queued click\'s wait, job in a worker')), 'the click\'s wait recorded (worker)');
    const late = picture.timers.points.filter((p) => /task ran/.test(p.label));
    const quiet = picture.timers.points.filter((p) => /nothing else/.test(p.label));
    assert.equal(late.length, CARD.resp.timers, 'lateness recorded for every timer with the job');
    assert.equal(quiet.length, CARD.resp.timers, 'and for every timer without it');
    assert.ok(late.every((p) => p.y >= 0) && quiet.every((p) => p.y >= 0));

    // Every frame gap, frame by frame: the longest is at least every other, and the summary chart draws it (as a
    // multiple of the same frame interval on both sides).
    const frameMs = [];
    for (const [label, ratio] of [['job on the page\'s own thread', mainGap], ['job in a worker', workerGap]]) {
      const gaps = picture.frames.points.filter((p) => p.label === label).map((p) => p.y);
      assert.ok(gaps.length >= 10, `${label}: frames recorded (${gaps.length} gaps)`);
      const longest = Math.max(...gaps);
      assert.ok(gaps.every((g) => g <= longest), `${label}: the longest gap is the longest`);
      frameMs.push(longest / ratio);
    }
    assert.ok(Math.abs(frameMs[0] - frameMs[1]) < 1e-6 * frameMs[0], `one frame interval for both sides: ${frameMs}`);
    env.figures.push(`${name}: ${picture.measured.replace(/^Measured: /, '')} [supports: ${end.verdict}]`);

    assert.deepEqual(await axeViolations(page, ROOT), [], 'axe: the finished card, its tables open');
    assert.deepEqual(problems, [], 'no page or console errors');
  });
});
