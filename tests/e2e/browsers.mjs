// One driver for the browser suite in Chromium and Firefox: puppeteer-core starts Debian's binaries (Chromium over
// the DevTools protocol, Firefox ESR over WebDriver BiDi) and the page actions below work the same in both.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe } from 'node:test';

import puppeteer from 'puppeteer-core';

import { CHROMIUM_ARGS, chromiumPath } from '../../scripts/chromium.mjs';
import { openCard, setRun, startSite } from './helpers.mjs';

/// Debian's Firefox ESR; FIREFOX_PATH overrides it.
export const firefoxPath = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';

/// The browsers the suite runs in, with what each needs to start.
export const BROWSERS = {
  chromium: { path: chromiumPath, install: 'apt-get install chromium', options: { args: CHROMIUM_ARGS } },
  firefox: { path: firefoxPath, install: 'apt-get install --no-install-recommends firefox-esr', options: { browser: 'firefox' } },
};

/// The browsers to run the suite in: every one, or those PARLAB_BROWSERS names (comma-separated).
export const browserNames = () => {
  const chosen = (process.env.PARLAB_BROWSERS || Object.keys(BROWSERS).join(',')).split(',').map((s) => s.trim()).filter(Boolean);
  for (const name of chosen) assert.ok(BROWSERS[name], `PARLAB_BROWSERS: each name must be one of ${Object.keys(BROWSERS).join(', ')}, not "${name}"`);
  return chosen;
};

/// Starts `name` ('chromium' or 'firefox') headless; the result's close() ends it.
export async function launchBrowser(name) {
  const spec = BROWSERS[name];
  assert.ok(spec, `browser must be one of ${Object.keys(BROWSERS).join(', ')}, not ${name}`);
  assert.ok(existsSync(spec.path), `${spec.path} is missing (${spec.install})`);
  return puppeteer.launch({ executablePath: spec.path, headless: true, protocolTimeout: 600_000, ...spec.options });
}

/// A suite in every browser: describe(title) with one built and served site (startSite(sitePrefix)) for all its
/// tests, and in it one describe per browser (browserNames) with that browser started. `body(name, env)` declares
/// one browser's tests; once they run, env holds {site, browser, figures}, and the lines pushed to env.figures are
/// printed after the whole suite.
export function describeInBrowsers(title, { timeout, sitePrefix }, body) {
  describe(title, { timeout }, () => {
    const env = { site: null, browser: null, figures: [] };
    before(async () => {
      env.site = await startSite(sitePrefix);
    });
    after(async () => {
      for (const line of env.figures) console.log(`# ${line}`);
      await env.site?.close();
    });
    for (const name of browserNames()) {
      describe(name, () => {
        before(async () => {
          env.browser = await launchBrowser(name);
        });
        body(name, env);
        after(async () => {
          await env.browser?.close().catch(() => {});
        });
      });
    }
  });
}

/// Page errors and console errors of `page` (its workers' uncaught errors reach the console too).
export function watchProblems(page) {
  const problems = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err?.message ?? err}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  return problems;
}

/// A new page in `context` (a browser or a browser context) that, with `freshStore`, starts with an empty
/// IndexedDB store as a new visitor would, and records the page's problems. Navigates to `url` when given.
export async function newLabPage(context, url, { freshStore = true } = {}) {
  const page = await context.newPage();
  const problems = watchProblems(page);
  if (freshStore) {
    await page.evaluateOnNewDocument(() => {
      // Also runs in the initial about:blank, where Firefox refuses sessionStorage (SecurityError).
      if (!location.protocol.startsWith('http')) return;
      if (sessionStorage.getItem('parlab-test-store') === null) {
        sessionStorage.setItem('parlab-test-store', 'fresh');
        indexedDB.deleteDatabase('parlab');
        for (const key of Object.keys(localStorage)) if (key.startsWith('parlab.')) localStorage.removeItem(key);
      }
    });
  }
  if (url) await page.goto(url);
  return { page, problems };
}

/// A new lab page in `browser` at `url` (1280×900), ready, showing card `id`: {page, problems}.
export async function openCardPage(browser, url, id) {
  const opened = await newLabPage(browser, url);
  await opened.page.setViewport({ width: 1280, height: 900 });
  await waitForReady(opened.page, opened.problems);
  await openCard(opened.page, id);
  return opened;
}

const AXE_SOURCE = () => readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/// axe-core's violations inside the element `root` (a selector), every <details> in it open, as lines; only those of
/// the impacts listed when `impacts` is given.
export async function axeViolations(page, root, impacts = null) {
  await page.$$eval(`${root} details`, (all) => { for (const d of all) d.open = true; });
  await page.evaluate(`${AXE_SOURCE()}\n;0`);
  return page.evaluate(async (sel, only) => {
    const result = await globalThis.axe.run(document.querySelector(sel), { resultTypes: ['violations'] });
    return result.violations.filter((v) => !only || only.includes(v.impact))
      .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }, root, impacts);
}

/// Waits until the page sets body[data-ready=true]; throws with the status line and the page's problems if not.
export async function waitForReady(page, problems = [], timeout = 60_000) {
  try {
    await page.waitForSelector('body[data-ready="true"]', { timeout });
    // And the lab worker's warm-up after ready (its pthread pool): the page's worker count holds still from then on.
    await page.waitForSelector('body[data-pool="warm"]', { timeout });
  } catch (_) {
    const status = await textOf(page, '#status').catch(() => '?');
    throw new Error(`page never set body[data-ready=true] and [data-pool=warm] within ${timeout} ms (status: "${status}")\n  ${problems.join('\n  ')}`);
  }
}

/// The text of the first element matching `selector`.
export const textOf = (page, selector) => page.$eval(selector, (el) => el.textContent);

/// Fills the free-run form, clicks Run and waits until the page is idle again; returns the status line.
export async function runOnce(page, job, timeout = 60_000) {
  await setRun(page, job);
  await page.evaluate(() => { document.getElementById('status').dataset.kind = 'pending'; });
  await page.click('#run');
  await waitIdle(page, timeout);
  return textOf(page, '#status');
}

/// Waits until no run is in flight: Run enabled and the status no longer pending or running.
export function waitIdle(page, timeout = 60_000) {
  return page.waitForFunction(() => {
    const kind = document.getElementById('status').dataset.kind;
    return document.body.dataset.running !== 'true' && !document.getElementById('run').disabled && kind !== 'pending' && kind !== 'running';
  }, { timeout, polling: 20 });
}

/// Sets a form field as a user would (value, then input and change events).
export function setField(page, selector, value) {
  return page.$eval(selector, (el, v) => {
    el.value = String(v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }, value);
}

/// Uploads `file` through the file input `selector` (the page reads it as a user's choice).
export async function uploadFile(page, selector, file) {
  const input = await page.$(selector);
  assert.ok(input, `no ${selector} on the page`);
  await input.uploadFile(file);
}

/// Live Web Workers of the page, nested ones included (the lab worker, its pthreads, process workers): Chromium
/// reports them as DevTools targets, Firefox as WebDriver BiDi 'dedicated-worker' realms; puppeteer lists both.
export const liveWorkers = (page) => page.workers().length;

/// Process workers the page keeps warm between runs (#warm-status, warm-pool.js): live workers beyond the baseline.
export const warmWorkers = (page) => page.$eval('#warm-status', (el) => Number(el.dataset.kept));

/// Waits until the page has `count` live workers (or, with count -1, until the count holds still for `steady`
/// ms); returns the count seen last.
export async function settleWorkers(page, count, timeout = 5000, steady = 500) {
  const end = Date.now() + timeout;
  let seen = liveWorkers(page);
  let since = Date.now();
  while (Date.now() < end) {
    if (count >= 0 ? seen === count : Date.now() - since >= steady) break;
    await new Promise((r) => setTimeout(r, 20));
    const now = liveWorkers(page);
    if (now !== seen) since = Date.now();
    seen = now;
  }
  return seen;
}
