// Accessibility in Chromium and Firefox: axe-core finds no serious or critical violation on the lab page (fresh, and
// with a run's rows and every data table shown; in the normal, dark and projector modes) or on the embed page, and the
// free-run form works from the keyboard alone.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';

import puppeteer from 'puppeteer-core';

import { BROWSERS, describeInBrowsers, newLabPage, runOnce, textOf, waitForReady, waitIdle } from './browsers.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const BLOCKING = new Set(['serious', 'critical']);
const MAX_TABS = 600; // more stops than the page has before the free-run form's Run button

/// Runs axe-core in the page (evaluated through the driver, so the page's Content-Security-Policy does not apply)
/// and returns its violations as {id, impact, nodes: [selector: summary]}.
async function axeViolations(page) {
  await page.evaluate(`${AXE_SOURCE}\n;0`);
  return page.evaluate(async () => {
    const result = await globalThis.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id, impact: v.impact, nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`),
    }));
  });
}

/// A browser context whose pages prefer the dark colour scheme: Chromium emulates it per page over the DevTools
/// protocol; Firefox over WebDriver BiDi cannot, so it gets a browser of its own started with the content override.
async function darkContext(name, env) {
  if (name !== 'firefox') {
    return { newPage: async (url) => {
      const opened = await newLabPage(env.browser, null);
      await opened.page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
      await opened.page.goto(url);
      return opened;
    }, close: async () => {} };
  }
  const { path, options } = BROWSERS.firefox;
  const browser = await puppeteer.launch({ executablePath: path, headless: true, protocolTimeout: 600_000, ...options,
    extraPrefsFirefox: { 'layout.css.prefers-color-scheme.content-override': 0 } });
  return { newPage: (url) => newLabPage(browser, url), close: () => browser.close() };
}

const describeViolations = (list) => list.map((v) => `${v.impact} ${v.id}:\n    ${v.nodes.join('\n    ')}`).join('\n  ');

describeInBrowsers('accessibility in Chromium and Firefox', { timeout: 1_200_000, sitePrefix: 'parlab-a11y-' }, (name, env) => {
  /// Checks the page with axe-core; `label` names the state in the figures and messages.
  async function check(page, label) {
    const violations = await axeViolations(page);
    const blocking = violations.filter((v) => BLOCKING.has(v.impact));
    const byImpact = {};
    for (const v of violations) byImpact[v.impact] = (byImpact[v.impact] ?? 0) + 1;
    env.figures.push(`${name} ${label}: axe-core violations ${JSON.stringify(byImpact)} (${violations.map((v) => v.id).join(', ') || 'none'})`);
    assert.deepEqual(blocking, [], `${label}: serious or critical violations\n  ${describeViolations(blocking)}`);
  }

  test('index.html: no serious or critical violation, fresh and after a run (its rows, the data tables open)', async () => {
    const { page, problems } = await newLabPage(env.browser, env.site.url());
    try {
      await waitForReady(page, problems);
      await check(page, 'index.html fresh');
      const status = await runOnce(page, { workload: 'primes', params: { shape: 'chunked', n: 20000, chunks: 4 }, mode: 'threads', workers: 2 });
      assert.match(status, /^Done/, status);
      await page.$$eval('details', (all) => all.forEach((d) => { d.open = true; })); // the data tables too
      await check(page, 'index.html after a run');
    } finally {
      await page.close();
    }
  });

  test('index.html in dark, projector and dark projector modes: no serious or critical violation', async () => {
    const dark = await darkContext(name, env);
    try {
      for (const [label, opened] of [
        ['dark', () => dark.newPage(env.site.url())],
        ['projector', () => newLabPage(env.browser, env.site.url())],
        ['dark projector', () => dark.newPage(env.site.url())],
      ]) {
        const { page, problems } = await opened();
        try {
          await waitForReady(page, problems);
          assert.equal(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches), label.startsWith('dark'), `${label}: the colour scheme`);
          if (label.endsWith('projector')) {
            await page.click('#projector-toggle');
            assert.equal(await page.evaluate(() => document.documentElement.dataset.display), 'projector');
          }
          const status = await runOnce(page, { workload: 'primes', params: { shape: 'chunked', n: 20000, chunks: 4 }, mode: 'threads', workers: 2 });
          assert.match(status, /^Done/, status);
          await page.$$eval('details', (all) => all.forEach((d) => { d.open = true; }));
          await check(page, `index.html ${label} after a run`);
        } finally {
          await page.close();
        }
      }
    } finally {
      await dark.close();
    }
  });

  test('embed.html: no serious or critical violation', async () => {
    const query = 'workload=primes&shape=inputs&inputs=20000,20000&mode=processes&workers=2';
    const { page, problems } = await newLabPage(env.browser, `${env.site.url()}embed.html?${query}`);
    try {
      await waitForReady(page, problems);
      await check(page, 'embed.html fresh');
      await page.click('#run');
      await page.waitForSelector('#embed-results tr.embed-row', { timeout: 60_000 });
      await page.waitForSelector('body[data-running="false"]', { timeout: 60_000 });
      await check(page, 'embed.html after a run');
    } finally {
      await page.close();
    }
  });

  test('keyboard only: Tab reaches the free-run form\'s Run button and Enter starts a run', async () => {
    const { page, problems } = await newLabPage(env.browser, env.site.url());
    try {
      await waitForReady(page, problems);
      await page.evaluate(() => { document.getElementById('status').dataset.kind = 'pending'; });
      const path = [];
      let tabs = 0;
      for (; tabs < MAX_TABS; tabs++) {
        await page.keyboard.press('Tab');
        const focused = await page.evaluate(() => {
          const el = document.activeElement;
          return el ? `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}` : '';
        });
        path.push(focused);
        if (focused === 'button#run') break;
      }
      assert.ok(tabs < MAX_TABS, `Run not reached in ${MAX_TABS} Tabs; the last stops: ${path.slice(-10).join(', ')}`);
      // The form's own controls come before Run in the tab order.
      for (const id of ['select#workload', 'select#mode', 'input#workers']) assert.ok(path.includes(id), `${id} is reachable by Tab`);
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.body.dataset.running === 'true' || document.getElementById('status').dataset.kind !== 'pending', { timeout: 10_000, polling: 10 });
      await waitIdle(page, 60_000);
      const status = await textOf(page, '#status');
      assert.match(status, /^Done/, `the run started from the keyboard: ${status}`);
      env.figures.push(`${name} keyboard: Run is Tab stop ${tabs + 1}`);
    } finally {
      await page.close();
    }
  });
});
