// Shared set-up of the browser tests that drive the page many times: a built site, two servers (isolated and
// not), headless Chromium, and small page actions. Not a test file (test.sh runs *.test.mjs only).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { buildSite } from '../../web/build-site.mjs';
import { startServer } from '../../web/serve.mjs';
import { CHROMIUM_ARGS, chromiumPath } from '../../scripts/chromium.mjs';

const require = createRequire(import.meta.url);

/// Builds the site into a temporary folder and serves it twice (isolated and not), with no browser: for tests that
/// bring their own (tests/e2e/browsers.mjs). close() stops the servers and removes the folder.
export async function startSite(prefix) {
  const work = mkdtempSync(join(tmpdir(), prefix));
  const siteRoot = join(work, 'site');
  buildSite({ outDir: siteRoot });
  const server = await startServer({ root: siteRoot, port: 0 });
  const openServer = await startServer({ root: siteRoot, port: 0, isolated: false });
  return {
    work, server, openServer,
    url: (isolated = true) => `http://127.0.0.1:${(isolated ? server : openServer).address().port}/`,
    async close() {
      for (const s of [server, openServer]) await new Promise((r) => s.close(r));
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/// A second origin for embedding tests: one course page holding an iframe (id "lab") of `src`, served on
/// 127.0.0.1 without any isolation or CSP (open it as http://localhost:PORT/, another site than the lab's
/// 127.0.0.1), or with `headers` (COOP/COEP: an isolated course page). Resolves to the listening server.
export function startHost(src, headers = {}, { width = 720, height = 560 } = {}) {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>course page</title></head>
<body><h1>A course page on another site</h1>
<iframe id="lab" src="${src.replace(/&/g, '&amp;')}" title="parlab experiment" width="${width}" height="${height}" allow="cross-origin-isolated"></iframe>
</body></html>`;
  const server = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ...headers });
    res.end(html);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/// Builds the site into a temporary folder, serves it twice and starts Chromium. close() undoes it all.
export async function startLab(prefix) {
  assert.ok(existsSync(chromiumPath), `${chromiumPath} is missing (apt-get install chromium)`);
  const site = await startSite(prefix);
  const { work, server, openServer } = site;
  const { chromium } = require('playwright-core');
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ acceptDownloads: true });
  return {
    work, server, openServer, browser, context,
    url: site.url,
    async close() {
      await context.close().catch(() => {});
      await browser.close().catch(() => {});
      await site.close();
    },
  };
}

/// Page errors, console errors and CSP violations (from the page and its workers), for assertions and messages.
export function watchPage(page) {
  const problems = [];
  const violations = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    const text = msg.text();
    if (/Content Security Policy|Refused to (execute|evaluate|load|apply|create|compile|connect)/i.test(text)) violations.push(text);
    if (msg.type() === 'error') problems.push(`console error: ${text}`);
  });
  return { problems, violations };
}

/// Opens the page with a listener that records securitypolicyviolation events, and waits for the lab worker.
/// The page keeps runs in IndexedDB (history.js), shared by every page of the context on the same origin:
/// `freshStore` (default) empties it when this page first loads, so that each page starts with no runs, as a
/// new visitor would; its own reloads keep what it ran.
export async function openPage(lab, { isolated = true, freshStore = true } = {}) {
  const page = await lab.context.newPage();
  const watched = watchPage(page);
  if (freshStore) {
    await page.addInitScript(() => {
      if (sessionStorage.getItem('parlab-test-store') === null) {
        sessionStorage.setItem('parlab-test-store', 'fresh');
        indexedDB.deleteDatabase('parlab');
        for (const key of Object.keys(localStorage)) if (key.startsWith('parlab.')) localStorage.removeItem(key);
      }
    });
  }
  await page.addInitScript(() => {
    globalThis.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      globalThis.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  await page.goto(lab.url(isolated));
  await waitForReady(page, watched.problems);
  return { page, ...watched };
}

/// Opens guided card `id` as a learner would, through its #card-ID link (lesson-nav.js shows one card at a time),
/// and resolves once it is shown. Works with a Playwright or a puppeteer page (it only evaluates in the page).
export function openCard(page, id, timeout = 10_000) {
  return page.evaluate(([cardId, ms]) => new Promise((resolve, reject) => {
    location.hash = `card-${cardId}`;
    const until = performance.now() + ms;
    const check = () => {
      if (document.getElementById(`card-${cardId}`)?.hidden === false) resolve();
      else if (performance.now() > until) reject(new Error(`card ${cardId} was not shown within ${ms} ms of #card-${cardId}`));
      else requestAnimationFrame(check);
    };
    check();
  }), [id, timeout]);
}

export async function waitForReady(page, problems = [], timeout = 60_000) {
  try {
    await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout });
    // And the lab worker's warm-up after ready (its pthread pool): the page's worker count holds still from then on.
    await page.waitForSelector('body[data-pool="warm"]', { state: 'attached', timeout });
  } catch (_) {
    const status = await page.locator('#status').textContent().catch(() => '?');
    throw new Error(`page never set body[data-ready=true] and [data-pool=warm] (status: "${status}")\n  ${problems.join('\n  ')}`);
  }
}

/// Fills the form: workload first (it rebuilds the parameter fields), then each parameter, mode and workers.
export async function setRun(page, { workload, params = {}, mode, workers = 1 }) {
  await page.evaluate(({ workload: w, params: p, mode: m, workers: n }) => {
    const fire = (el) => {
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
    };
    const set = (el, value) => {
      if (!el) throw new Error('missing field');
      el.value = String(value);
      fire(el);
    };
    set(document.getElementById('workload'), w);
    if (p.shape !== undefined) set(document.getElementById('param-shape'), p.shape);
    // The form keeps what was typed: no crash unless this job asks for one.
    if (p.crash_task === undefined && document.getElementById('param-crash_task')) set(document.getElementById('param-crash_task'), -1);
    for (const [name, value] of Object.entries(p)) {
      const el = document.getElementById(`param-${name}`);
      if (!el) throw new Error(`no field #param-${name}`);
      set(el, value);
    }
    set(document.getElementById('mode'), m);
    set(document.getElementById('workers'), n);
  }, { workload, params, mode, workers });
}

/// Clicks Run and waits until the page is idle again; returns the status line and how long it took (ms).
export async function runOnce(page, job, timeout = 60_000) {
  await setRun(page, job);
  await page.evaluate(() => { document.getElementById('status').dataset.kind = 'pending'; });
  const started = Date.now();
  await page.click('#run');
  await page.waitForFunction(() => {
    const kind = document.getElementById('status').dataset.kind;
    return document.body.dataset.running !== 'true' && !document.getElementById('run').disabled && kind !== 'pending' && kind !== 'running';
  }, null, { timeout, polling: 10 });
  return { status: await page.locator('#status').textContent(), ms: Date.now() - started };
}

/// The run objects of the page's state, as Export writes them (newest last).
export async function exportedRuns(page) {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.click('#export')]);
  const { readFileSync } = await import('node:fs');
  return JSON.parse(readFileSync(await download.path(), 'utf8')).runs;
}

/// Number of live Web Workers of the page, nested ones included (the lab worker, its pthreads, process workers).
export const liveWorkers = (page) => page.workers().length;

/// Process workers the page keeps warm between runs (#warm-status, warm-pool.js): live workers beyond the baseline.
export const warmWorkers = (page) => page.$eval('#warm-status', (el) => Number(el.dataset.kept));

/// Waits until the page has `count` live workers; returns the count seen last.
export async function settleWorkers(page, count, timeout = 5000) {
  const end = Date.now() + timeout;
  let seen = liveWorkers(page);
  while (seen !== count && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 20));
    seen = liveWorkers(page);
  }
  return seen;
}
