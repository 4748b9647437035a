// The embed page framed by another origin: a page on origin B (a second port, another site: localhost vs
// 127.0.0.1) holds an iframe of origin A's embed.html. The embed is not cross-origin isolated there, says so in one
// sentence with a link to the full lab, and runs processes and sequential with the same, known checksum. Also:
// framed by an isolated page (COOP/COEP, allow="cross-origin-isolated") it is isolated and runs threads; opened on
// its own (isolated) it has every mode; the headers that allow the framing; and coi-serviceworker isolating a page
// served without COOP/COEP when asked to (?coi=1).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { startHost, startLab, waitForReady, watchPage } from './helpers.mjs';

const QUERY = 'workload=primes&shape=inputs&inputs=1000000,1000000&mode=processes&workers=2';
const CHECKSUM = String(2 * 37550402023); // twice the sum of the primes <= 1000000
const TIMEOUT = 120_000;

/// Runs the embed in `frame` in `mode`; returns the new result row's {mode, checksum, ok}.
async function runIn(frame, mode) {
  const rows = await frame.locator('#embed-results tr.embed-row').count();
  await frame.locator('#mode').selectOption(mode);
  await frame.locator('#run').click();
  await frame.locator('#embed-results tr.embed-row').nth(rows).waitFor({ state: 'attached', timeout: TIMEOUT });
  await frame.locator('body[data-running="false"]').waitFor({ state: 'attached', timeout: TIMEOUT });
  const row = frame.locator('#embed-results tr.embed-row').first();
  return { mode: await row.getAttribute('data-mode'), ok: await row.getAttribute('data-ok'), checksum: await row.locator('td.checksum').textContent(), status: await frame.locator('#status').textContent() };
}

describe('embedding', { timeout: 600_000 }, () => {
  let lab;
  const hosts = [];
  before(async () => {
    lab = await startLab('parlab-embed-');
  });
  after(async () => {
    for (const host of hosts) await new Promise((r) => host.close(r));
    await lab?.close();
  });

  test('framed by another origin: not isolated, says so, processes and sequential agree', { timeout: TIMEOUT * 3 }, async () => {
    const embedUrl = `${lab.url()}embed.html?${QUERY}`;
    const host = await startHost(embedUrl);
    hosts.push(host);
    const page = await lab.context.newPage();
    const { problems } = watchPage(page);
    await page.goto(`http://localhost:${host.address().port}/`);
    const frame = page.frameLocator('#lab');
    await frame.locator('body[data-ready="true"]').waitFor({ state: 'attached', timeout: 60_000 });
    const inner = page.frames().find((f) => f.url().startsWith(lab.url()));
    assert.ok(inner, 'the iframe loaded the embed from origin A');
    assert.equal(await inner.evaluate(() => self.crossOriginIsolated), false);

    const note = frame.locator('#embed-note');
    assert.equal(await note.getAttribute('data-isolated'), 'false');
    const sentence = await note.textContent();
    assert.match(sentence, /^Threads are not available because this embedded page is not cross-origin isolated; sequential, async and processes still work, and the full lab has every mode\.$/);
    const link = await note.locator('a').getAttribute('href');
    assert.equal(link, `${lab.url()}?${QUERY}`);
    assert.equal(await frame.locator('#mode option[value="threads"]').isDisabled(), true);
    assert.equal(await frame.locator('#mode').inputValue(), 'processes', 'the mode from the link');
    assert.equal(await frame.locator('#workers').inputValue(), '2');

    const processes = await runIn(frame, 'processes');
    assert.deepEqual([processes.mode, processes.ok, processes.checksum], ['processes', 'true', CHECKSUM], processes.status);
    const sequential = await runIn(frame, 'sequential');
    assert.deepEqual([sequential.mode, sequential.ok, sequential.checksum], ['sequential', 'true', CHECKSUM], sequential.status);
    const async = await runIn(frame, 'async');
    assert.equal(async.checksum, CHECKSUM, async.status);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('framed by an isolated page that allows it, the embed is isolated and runs threads', { timeout: TIMEOUT }, async () => {
    const host = await startHost(`${lab.url()}embed.html?workload=primes&inputs=1000000,1000000&mode=threads&workers=2`,
      { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' });
    hosts.push(host);
    const page = await lab.context.newPage();
    const { problems } = watchPage(page);
    await page.goto(`http://localhost:${host.address().port}/`);
    const frame = page.frameLocator('#lab');
    await frame.locator('body[data-ready="true"]').waitFor({ state: 'attached', timeout: 60_000 });
    assert.equal(await frame.locator('#embed-note').getAttribute('data-isolated'), 'true');
    assert.equal(await frame.locator('#mode').inputValue(), 'threads');
    const threads = await runIn(frame, 'threads');
    assert.deepEqual([threads.ok, threads.checksum], ['true', CHECKSUM], threads.status);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('the embed page may be framed by anyone; the lab page only by itself', async () => {
    const embed = await fetch(`${lab.url()}embed.html?${QUERY}`);
    assert.match(embed.headers.get('content-security-policy'), /frame-ancestors \*/);
    assert.equal(embed.headers.get('cross-origin-resource-policy'), 'cross-origin');
    assert.doesNotMatch(embed.headers.get('content-security-policy'), /unsafe-inline/);
    const page = await fetch(lab.url());
    assert.match(page.headers.get('content-security-policy'), /frame-ancestors 'self'/);
    assert.equal(page.headers.get('cross-origin-resource-policy'), 'same-origin');
  });

  test('opened on its own on an isolated server, the embed has every mode', { timeout: TIMEOUT }, async () => {
    const page = await lab.context.newPage();
    const { problems } = watchPage(page);
    await page.goto(`${lab.url()}embed.html?workload=primes&mode=threads&workers=2&inputs=1000000,1000000&bogus=1`);
    await page.locator('body[data-ready="true"]').waitFor({ state: 'attached', timeout: 60_000 });
    assert.equal(await page.locator('#embed-note').getAttribute('data-isolated'), 'true');
    assert.equal(await page.locator('#mode').inputValue(), 'threads');
    assert.match(await page.locator('#link-note').textContent(), /Ignored bogus="1" from the link: bogus is not a setting this page knows\./);
    const threads = await runIn(page, 'threads');
    assert.equal(threads.checksum, CHECKSUM, threads.status);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('coi-serviceworker isolates a page served without COOP/COEP only when asked (?coi=1)', { timeout: TIMEOUT }, async () => {
    const context = await lab.browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(lab.url(false));
      await waitForReady(page);
      assert.equal(await page.evaluate(() => self.crossOriginIsolated), false, 'not asked: the server\'s (missing) headers hold');
      assert.equal(await page.evaluate(() => navigator.serviceWorker.getRegistrations().then((r) => r.length)), 0);

      await page.goto(`${lab.url(false)}?coi=1`);
      // The script registers the worker and reloads once; the reloaded page is isolated.
      await page.waitForFunction(() => self.crossOriginIsolated === true && document.body.dataset.ready === 'true', null, { timeout: 60_000, polling: 200 });
      assert.equal(await page.locator('#coi-status').getAttribute('data-isolated'), 'true');
      await page.waitForFunction(() => !document.getElementById('mode').querySelector('option[value="threads"]').disabled, null, { timeout: 30_000 });

      // ?coi=0 takes it away again.
      await page.goto(`${lab.url(false)}?coi=0`);
      await page.waitForFunction(() => navigator.serviceWorker.controller === null && self.crossOriginIsolated === false, null, { timeout: 60_000, polling: 200 });
    } finally {
      await context.close();
    }
  });
});
