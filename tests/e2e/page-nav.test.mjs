// The page as a sequence of lessons, in Chromium and Firefox: it opens on the lesson list with one card shown,
// Previous / Next and #card-ID (on load and on hashchange) move between cards with focus on the card's heading,
// the learner's progress and projector mode survive a reload. Saves build/screenshots/first-screen.png.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

import { describeInBrowsers, newLabPage, waitForReady } from './browsers.mjs';
import { CARDS } from '../../web/site/experiments.js';

const shotDir = join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'), 'build', 'screenshots');
const ids = CARDS.map((c) => c.id);

/// What the learner sees of the sequence: the cards shown, the list's current link, the position line, the
/// buttons' states and the element with focus.
const seen = (page) => page.evaluate(() => {
  const $ = (id) => document.getElementById(id);
  const focused = document.activeElement;
  return {
    shown: [...document.querySelectorAll('#experiment-cards .card')].filter((c) => !c.hidden).map((c) => c.dataset.cardId),
    current: document.querySelector('#lesson-links a[aria-current]')?.getAttribute('href') ?? null,
    links: [...document.querySelectorAll('#lesson-links a')].map((a) => a.getAttribute('href')),
    position: $('card-position').textContent,
    prevDisabled: $('card-prev').disabled,
    nextDisabled: $('card-next').disabled,
    focus: focused?.closest('.card') && focused.tagName === 'H3' ? focused.closest('.card').dataset.cardId : null,
  };
});

/// Waits until card `id` is the one shown (a hashchange is handled after the click or the navigation returns).
const waitShown = (page, id) => page.waitForFunction((cardId) => {
  const shown = [...document.querySelectorAll('#experiment-cards .card')].filter((c) => !c.hidden);
  return shown.length === 1 && shown[0].dataset.cardId === cardId;
}, { timeout: 10_000, polling: 50 }, id);

describeInBrowsers('lessons as a sequence in Chromium and Firefox', { timeout: 600_000, sitePrefix: 'parlab-pagenav-' }, (name, env) => {
  test('opens on the lesson list with the first card alone in focus; Next and Previous move one card', async () => {
    const { page, problems } = await newLabPage(env.browser, null);
    try {
      await page.setViewport({ width: 1280, height: 720 });
      await page.goto(env.site.url());
      await waitShown(page, ids[0]);
      let s = await seen(page);
      assert.deepEqual(s.links, ids.map((id) => `#card-${id}`), 'the list links every card in order');
      assert.deepEqual(s.shown, [ids[0]]);
      assert.equal(s.current, `#card-${ids[0]}`);
      assert.equal(s.position, `Lesson 1 of ${ids.length}`);
      assert.equal(s.prevDisabled, true);
      assert.equal(s.nextDisabled, false);
      const workbench = await page.$eval('.page-nav a[href="#workbench"]', (a) => a.getBoundingClientRect().bottom <= innerHeight);
      assert.ok(workbench, 'the workbench link is on the first screen');
      if (name === 'chromium') {
        mkdirSync(shotDir, { recursive: true });
        await page.screenshot({ path: join(shotDir, 'first-screen.png') });
      }
      await waitForReady(page, problems);

      await page.click('#card-next');
      await waitShown(page, ids[1]);
      s = await seen(page);
      assert.equal(s.current, `#card-${ids[1]}`);
      assert.equal(s.focus, ids[1], 'focus moves to the new card\'s heading');
      assert.equal(s.prevDisabled, false);
      assert.equal(await page.evaluate(() => location.hash), `#card-${ids[1]}`, 'the address names the card');

      await page.click('#card-prev');
      await waitShown(page, ids[0]);
      s = await seen(page);
      assert.equal(s.focus, ids[0]);
      assert.equal(s.prevDisabled, true);

      await page.click(`#lesson-links a[href="#card-${ids.at(-1)}"]`);
      await waitShown(page, ids.at(-1));
      s = await seen(page);
      assert.equal(s.nextDisabled, true, 'no Next after the last card');
      assert.equal(s.position, `Lesson ${ids.length} of ${ids.length}`);
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });

  test('#card-cpu-gil opens that card with focus on its heading; a later hashchange opens another', async () => {
    const { page, problems } = await newLabPage(env.browser, `${env.site.url()}#card-cpu-gil`);
    try {
      await waitShown(page, 'cpu-gil');
      let s = await seen(page);
      assert.deepEqual(s.shown, ['cpu-gil']);
      assert.equal(s.current, '#card-cpu-gil');
      assert.equal(s.focus, 'cpu-gil');
      await page.evaluate(() => { location.hash = 'card-io-threads'; });
      await waitShown(page, 'io-threads');
      s = await seen(page);
      assert.equal(s.focus, 'io-threads');
      await page.evaluate(() => { location.hash = 'workbench'; });
      await page.waitForFunction(() => location.hash === '#workbench', { timeout: 5000 });
      assert.deepEqual((await seen(page)).shown, ['io-threads'], 'a jump to the workbench leaves the card shown');
      await waitForReady(page, problems);
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });

  test('progress and the card open persist across a reload', async () => {
    const { page, problems } = await newLabPage(env.browser, `${env.site.url()}#card-parallel-libraries`);
    try {
      await waitShown(page, 'parallel-libraries');
      await waitForReady(page, problems);
      // A card that only shows its answer: the outcome comes from the card's own verdict, with no run to wait for.
      const card = CARDS.find((c) => c.id === 'parallel-libraries');
      assert.ok(card?.textOnly, 'the parallel-libraries card shows its answer without a run');
      await page.click(`#card-parallel-libraries input[name="predict-parallel-libraries"][value="${card.predictions[0].id}"]`);
      await page.click('#card-parallel-libraries .card-run');
      await page.waitForFunction(() => document.getElementById('card-parallel-libraries').dataset.state === 'done', { timeout: 30_000 });
      const before = await page.evaluate(() => ({
        verdict: document.getElementById('card-parallel-libraries').dataset.verdict,
        mark: document.querySelector('#lesson-links a[href="#card-parallel-libraries"] + .lesson-mark').textContent,
        progress: document.getElementById('lesson-progress').textContent,
      }));
      assert.match(before.mark, /done/);
      assert.match(before.progress, new RegExp(`^1 of ${ids.length} done`));
      // Reload without the hash: the page comes back on the card last opened, with its mark.
      await page.goto(env.site.url());
      await waitShown(page, 'parallel-libraries');
      const after = await page.evaluate(() => ({
        mark: document.querySelector('#lesson-links a[href="#card-parallel-libraries"] + .lesson-mark').textContent,
        outcome: document.querySelector('#lesson-links a[href="#card-parallel-libraries"] + .lesson-mark').dataset.outcome,
        progress: document.getElementById('lesson-progress').textContent,
      }));
      assert.equal(after.mark, before.mark);
      assert.equal(after.progress, before.progress);
      const expected = !before.verdict ? 'done' : before.verdict === 'inconclusive' ? 'inconclusive'
        : before.verdict === card.predictions[0].id ? 'right' : 'wrong';
      assert.equal(after.outcome, expected);
      await page.click('#lesson-reset');
      assert.match(await page.$eval('#lesson-progress', (p) => p.textContent), /^\d+ lessons/);
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });

  test('projector mode persists across a reload and rethemes the charts', async () => {
    const { page, problems } = await newLabPage(env.browser, env.site.url());
    try {
      await waitForReady(page, problems);
      const look = () => page.evaluate(() => ({
        display: document.documentElement.dataset.display ?? '',
        pressed: document.getElementById('projector-toggle').getAttribute('aria-pressed'),
        fontPx: parseFloat(getComputedStyle(document.body).fontSize),
        tickColour: globalThis.Chart?.getChart(document.getElementById('speedup-chart'))?.options.scales.x.ticks.color ?? null,
        tickFontPx: (() => {
          const scale = globalThis.Chart?.getChart(document.getElementById('speedup-chart'))?.scales.x;
          return scale ? globalThis.Chart.helpers.toFont(scale.options.ticks.font).size : null;
        })(),
      }));
      const normal = await look();
      assert.equal(normal.display, '');
      assert.equal(normal.pressed, 'false');
      await page.click('#projector-toggle');
      const on = await look();
      assert.equal(on.display, 'projector');
      assert.equal(on.pressed, 'true');
      assert.ok(on.fontPx > normal.fontPx, `larger type: ${on.fontPx} px > ${normal.fontPx} px`);
      assert.notEqual(on.tickColour, normal.tickColour, 'the charts took the projector colours');
      assert.ok(on.tickFontPx > normal.tickFontPx, `larger chart text: ${on.tickFontPx} px > ${normal.tickFontPx} px`);
      await page.reload();
      await waitForReady(page, problems);
      assert.deepEqual(await look(), on, 'the same after a reload');
      await page.click('#projector-toggle');
      assert.equal((await look()).display, '');
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });
});
