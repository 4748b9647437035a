// One guided card embedded by another site (embed.html?card=ID), in Chromium and Firefox. A course page on a second
// origin (localhost vs the lab's 127.0.0.1) frames the card, which is then not cross-origin isolated: a card that
// needs no threads (amdahl: sequential and processes) runs there to its verdict; a threads card (cpu-gil), framed
// from the embed code its "Copy embed code" button gives, says in one sentence what needs the full lab, and its link
// opens the card in the lab. Also: Copy link opens the lab on the card; an unknown or hostile id gives one line
// listing the card ids, as text; the card view has no serious accessibility violation.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { axeViolations, describeInBrowsers, newLabPage, waitForReady } from './browsers.mjs';
import { startHost } from './helpers.mjs';
import { cardEmbedCode } from '../../web/site/card-share.js';
import { CARDS, INCONCLUSIVE } from '../../web/site/experiments.js';

const CARD_TIMEOUT_MS = 240_000; // a busy 2-core machine; the card's runs take seconds when it is idle
const byId = (id) => CARDS.find((c) => c.id === id);

/// The course page on the second origin framing `src`, opened in `browser`: {page, problems, frame, close()}.
async function openFramed(browser, labUrl, src) {
  const host = await startHost(src, {}, { height: 900 });
  const { page, problems } = await newLabPage(browser, null, { freshStore: false });
  await page.goto(`http://localhost:${host.address().port}/`);
  const frame = await page.waitForFrame((f) => f.url().startsWith(`${labUrl}embed.html`), { timeout: 30_000 });
  return {
    page, problems, frame,
    close: async () => {
      await page.close().catch(() => {});
      host.closeAllConnections(); // else close() waits for the browser's idle keep-alive connection
      await new Promise((r) => host.close(r));
    },
  };
}

/// Waits until the embed in `frame` has started its lab worker, or says why not.
async function waitForCard(frame, problems) {
  try {
    await frame.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  } catch (_) {
    const status = await frame.$eval('#card-embed-status', (p) => p.textContent).catch(() => '?');
    throw new Error(`the card embed never became ready (status: "${status}")\n  ${problems.join('\n  ')}`);
  }
}

describeInBrowsers('one guided card embedded by another site', { timeout: 4 * CARD_TIMEOUT_MS, sitePrefix: 'parlab-embed-card-' }, (name, env) => {
  test('framed by another origin, a card that needs no threads runs to its verdict', { timeout: CARD_TIMEOUT_MS + 60_000 }, async () => {
    const card = byId('amdahl');
    const framed = await openFramed(env.browser, env.site.url(), `${env.site.url()}embed.html?card=${card.id}`);
    try {
      const { frame, problems } = framed;
      await waitForCard(frame, problems);
      assert.equal(await frame.evaluate(() => self.crossOriginIsolated), false, 'framed by another site: not isolated');
      assert.equal(await frame.$eval('#card-embed-note', (p) => p.hidden), true, 'the whole card runs here: nothing needs the full lab');
      assert.equal(await frame.$eval('#card-full-lab', (a) => a.href), `${env.site.url()}#card-${card.id}`);
      assert.equal(await frame.$$eval('.card', (all) => all.map((c) => c.dataset.cardId).join()), card.id, 'one card, this one');
      assert.equal(await frame.$eval('.card-run', (b) => b.disabled), true, 'Run waits for a prediction');

      const chosen = card.predictions[0];
      await frame.click(`input[name="predict-${card.id}"][value="${chosen.id}"]`);
      await frame.click('.card-run');
      await frame.waitForFunction(() => ['done', 'error', 'stopped'].includes(document.querySelector('.card')?.dataset.state),
        { timeout: CARD_TIMEOUT_MS, polling: 200 });
      const result = await frame.$eval('.card', (c) => ({
        state: c.dataset.state, verdict: c.dataset.verdict, status: c.querySelector('.card-status').textContent,
        line: c.querySelector('.card-verdict').textContent, measured: c.querySelector('.card-measured').textContent,
        steps: c.querySelectorAll('.card-why li').length, native: c.querySelector('.card-native').textContent,
      }));
      assert.equal(result.state, 'done', `${result.status}\n  ${problems.join('\n  ')}`);
      assert.equal(result.status, 'Done.', 'no runs table to point to in the embed');
      assert.ok([...card.predictions.map((p) => p.id), INCONCLUSIVE].includes(result.verdict), `a verdict: ${result.verdict}`);
      assert.ok(result.line.startsWith(`You predicted: “${chosen.text}”`), result.line);
      assert.match(result.measured, /\d+(\.\d+)?×/, `a measured figure: ${result.measured}`);
      assert.doesNotMatch(result.measured, /\?×|\? s/, `no figure is missing: ${result.measured}`);
      assert.doesNotMatch(result.measured, /Not run on this page/, 'nothing of this card was left out');
      assert.ok(result.steps >= 1, 'the explanation says why');
      assert.match(result.native, new RegExp(`parlab experiment run ${card.id}`));
      assert.doesNotMatch(result.native, /upload/, 'the embed has no upload to point to');
      assert.deepEqual(problems, []);
    } finally {
      await framed.close();
    }
  });

  test('a threads card, framed from its copied embed code, says what needs the full lab and links to the card there', { timeout: 120_000 }, async () => {
    const card = byId('cpu-gil');
    const lab = await newLabPage(env.browser, `${env.site.url()}#card-${card.id}`);
    let snippet;
    try {
      await lab.page.waitForSelector(`#card-${card.id}:not([hidden]) .card-copy-embed`);
      await lab.page.click(`#card-${card.id} .card-copy-embed`);
      await lab.page.waitForFunction((id) => document.querySelector(`#card-${id} .card-share-status`).textContent !== '', {}, card.id);
      snippet = await lab.page.$eval(`#card-${card.id} .card-share-text`, (f) => f.value);
      assert.equal(snippet, cardEmbedCode(card, env.site.url()));

      await lab.page.click(`#card-${card.id} .card-copy-link`);
      await lab.page.waitForFunction((id) => /link/.test(document.querySelector(`#card-${id} .card-share-status`).textContent), {}, card.id);
      assert.equal(await lab.page.$eval(`#card-${card.id} .card-share-text`, (f) => f.value), `${env.site.url()}#card-${card.id}`);
      assert.deepEqual(lab.problems, []);
    } finally {
      await lab.page.close();
    }

    const src = /src="([^"]+)"/.exec(snippet)[1].replace(/&amp;/g, '&');
    const framed = await openFramed(env.browser, env.site.url(), src);
    let link;
    try {
      const { frame, problems } = framed;
      await waitForCard(frame, problems);
      assert.equal(await frame.evaluate(() => self.crossOriginIsolated), false);
      const note = await frame.$eval('#card-embed-note', (p) => ({
        hidden: p.hidden, text: p.textContent, href: p.querySelector('a')?.href, target: p.querySelector('a')?.target,
      }));
      assert.equal(note.hidden, false);
      assert.equal(note.text, 'This embedded page is not cross-origin isolated, so this card makes its sequential and processes runs '
        + 'here; its threads and threads-gil runs need the full lab.');
      assert.equal(note.href, `${env.site.url()}#card-${card.id}`);
      assert.equal(note.target, '_blank');
      link = note.href;
      assert.deepEqual(problems, []);
    } finally {
      await framed.close();
    }

    // The link opens the lab (isolated) on that card.
    const opened = await newLabPage(env.browser, link);
    try {
      await opened.page.waitForFunction((id) => document.getElementById('experiment-cards')?.dataset.current === id
        && document.getElementById(`card-${id}`)?.hidden === false, { timeout: 30_000 }, card.id);
      await waitForReady(opened.page, opened.problems);
      assert.equal(await opened.page.evaluate(() => self.crossOriginIsolated), true, 'the full lab has the threads modes');
      assert.deepEqual(opened.problems, []);
    } finally {
      await opened.page.close();
    }
  });

  test('an unknown, missing or hostile card id gives one line listing the card ids, as text', async () => {
    const ids = CARDS.map((c) => c.id).join(', ');
    for (const [query, start] of [
      ['card=no-such-card', 'There is no card "no-such-card" in this lab.'],
      ['card=', 'The address names no card: add ?card=ID.'],
      [`card=${encodeURIComponent('<img src=x onerror="document.title=1">')}`, 'There is no card "<img src=x onerror="document.title=1">" in this lab.'],
    ]) {
      const { page, problems } = await newLabPage(env.browser, `${env.site.url()}embed.html?${query}`);
      try {
        await page.waitForSelector('#card-embed-error:not([hidden])', { timeout: 30_000 });
        const shown = await page.evaluate(() => ({
          error: document.getElementById('card-embed-error').textContent, images: document.querySelectorAll('main img').length,
          cards: document.querySelectorAll('.card').length, loading: document.getElementById('embed-loading').hidden,
          form: document.getElementById('embed-form-view').hidden, lab: document.getElementById('card-full-lab').href,
        }));
        assert.equal(shown.error, `${start} Card ids are those of "parlab experiment list" and of the lab's lesson links (#card-ID): ${ids}.`);
        assert.deepEqual([shown.images, shown.cards, shown.loading, shown.form], [0, 0, true, true], 'no card, no form, nothing injected');
        assert.equal(shown.lab, env.site.url(), 'a link to the lab and its lesson list');
        assert.deepEqual(problems, []);
      } finally {
        await page.close();
      }
    }
  });

  test('the card view: no serious or critical accessibility violation', async () => {
    const { page, problems } = await newLabPage(env.browser, `${env.site.url(false)}embed.html?card=cpu-gil`);
    try {
      await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
      assert.equal(await page.$eval('#card-embed-note', (p) => p.hidden), false, 'the note is part of what is checked');
      assert.deepEqual(await axeViolations(page, 'main', ['serious', 'critical']), []);
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });
});
