// Cold-load counter for issue 11: N loads of the lab, each in a fresh browser, counting how many reach body[data-ready].
//
// Usage: node scripts/firefox-coldloads.mjs [--browser firefox|chromium] [--loads 30] [--timeout-ms 20000]
//        [--no-isolation] [--site build/site] [--context] [--verbose]
// --context opens each load in a new browser context of one browser instead of a new browser.
// Prints one line per load (ready or stuck, ms, status text, whether the pthread build loaded, and for a stuck load
// the page's console) and a summary; exits 1 when any load got stuck or fell back to the single-threaded build.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import puppeteer from 'puppeteer-core';

import { startServer } from '../web/serve.mjs';
import { CHROMIUM_ARGS, chromiumPath } from './chromium.mjs';
import { UsageError, readCommandLine, wholeNumber } from './cli.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BROWSERS = {
  firefox: { browser: 'firefox', executablePath: process.env.FIREFOX_PATH || '/usr/bin/firefox-esr' },
  chromium: { browser: 'chrome', executablePath: chromiumPath, args: CHROMIUM_ARGS },
};

const USAGE = `usage: node scripts/firefox-coldloads.mjs [--browser firefox|chromium] [--loads 30] [--timeout-ms 20000]
       [--no-isolation] [--site build/site] [--context] [--verbose]
  --context   each load in a new browser context of one browser instead of a new browser`;

const FLAGS = {
  browser: { type: 'string', default: 'firefox' }, loads: { type: 'string', default: '30' },
  'timeout-ms': { type: 'string', default: '20000' }, 'no-isolation': { type: 'boolean', default: false },
  site: { type: 'string', default: join(repoRoot, 'build', 'site') }, context: { type: 'boolean', default: false },
  verbose: { type: 'boolean', default: false },
};

/// The options from the flags, each number checked against its bounds (UsageError for a bad value).
function readOptions(values) {
  if (!(values.browser in BROWSERS)) throw new UsageError(`--browser must be one of ${Object.keys(BROWSERS).join(', ')} (not "${values.browser}")`);
  return {
    browser: values.browser, loads: wholeNumber(values, 'loads', 1, 1000), timeoutMs: wholeNumber(values, 'timeout-ms', 1000, 600_000),
    isolated: !values['no-isolation'], site: resolve(values.site), context: values.context, verbose: values.verbose,
  };
}

/// One load: resolves to {ready, ms, status, threads, console}.
async function load(browser, url, { timeoutMs, context }) {
  const ctx = context ? await browser.createBrowserContext() : browser.defaultBrowserContext();
  const page = await ctx.newPage();
  const started = Date.now();
  const lines = [];
  page.on('console', (msg) => lines.push(`${Date.now() - started} ms ${msg.type()}: ${msg.text()}`));
  page.on('pageerror', (err) => lines.push(`${Date.now() - started} ms pageerror: ${err.message}`));
  let ready = false;
  try {
    await page.goto(url, { waitUntil: 'load', timeout: timeoutMs });
    await page.waitForSelector('body[data-ready="true"]', { timeout: Math.max(1000, timeoutMs - (Date.now() - started)) });
    ready = true;
  } catch (_) {
    // stuck: reported below with the status line
  }
  const ms = Date.now() - started;
  const status = await page.$eval('#status', (el) => el.textContent).catch((e) => `? (${e.message})`);
  const build = await page.$eval('#build-info', (el) => el.textContent).catch(() => '');
  if (context) await ctx.close().catch(() => {});
  else await page.close().catch(() => {});
  // The pthread build counts only when it loaded: a fallback to the single-threaded build is reported too.
  return { ready, ms, status, threads: /with pthreads/.test(build), console: lines };
}

async function main() {
  const options = readCommandLine('firefox-coldloads', USAGE, FLAGS, readOptions);
  const spec = BROWSERS[options.browser];
  if (!existsSync(spec.executablePath)) throw new Error(`${spec.executablePath} is missing (bash scripts/setup.sh installs it)`);
  if (!existsSync(join(options.site, 'index.html'))) throw new Error(`${options.site}/index.html is missing (node web/build-site.mjs)`);
  const server = await startServer({ root: options.site, port: 0, isolated: options.isolated });
  const url = `http://127.0.0.1:${server.address().port}/`;
  const launch = () => puppeteer.launch({ ...spec, headless: true, protocolTimeout: 60_000 });
  let shared = options.context ? await launch() : null;
  let stuck = 0;
  let fallbacks = 0;
  const times = [];
  try {
    for (let i = 1; i <= options.loads; i += 1) {
      const browser = shared ?? await launch();
      let outcome;
      try {
        outcome = await load(browser, url, options);
      } finally {
        if (!shared) await browser.close().catch(() => {});
      }
      if (outcome.ready) times.push(outcome.ms);
      else stuck += 1;
      const fellBack = outcome.ready && options.isolated && !outcome.threads;
      if (fellBack) fallbacks += 1;
      console.log(`load ${i}/${options.loads}: ${outcome.ready ? 'ready' : 'STUCK'} after ${outcome.ms} ms` +
        `${fellBack ? ' WITHOUT the pthread build' : ''}; status: ${outcome.status}`);
      if (!outcome.ready || options.verbose) for (const line of outcome.console) console.log(`    ${line}`);
    }
  } finally {
    if (shared) await shared.close().catch(() => {});
    await new Promise((r) => server.close(r));
  }
  times.sort((a, b) => a - b);
  const median = times.length ? times[Math.floor(times.length / 2)] : null;
  console.log(`${options.browser}, ${options.isolated ? 'isolated' : 'not isolated'} page, ${options.context ? 'new context' : 'new browser'} per load: ` +
    `${stuck} stuck of ${options.loads}` +
    `${options.isolated ? `, ${fallbacks} ready without the pthread build` : ''}; ready loads' median ${median ?? '-'} ms, slowest ${times.at(-1) ?? '-'} ms`);
  process.exitCode = stuck || fallbacks ? 1 : 0;
}

main().catch((error) => {
  console.error(`firefox-coldloads: ${error.message}`);
  process.exitCode = 2;
});
