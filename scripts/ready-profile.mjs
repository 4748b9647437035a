// Where the page's start-up time goes, over cold loads: each load in a freshly started browser (empty cache), the
// medians of the page's own marks (main.js, bridge.js, lesson-nav.js; the lab worker's steps come with its ready
// message) and of the resources' arrival, all in ms since navigation started. A measurement to report, not a test:
// it asserts nothing about speed. docs/performance.md ("Page ready") reads it.
//
// Usage: node scripts/ready-profile.mjs [--browser chromium|firefox|both] [--loads 5] [--site build/site]
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import puppeteer from 'puppeteer-core';

import { startServer } from '../web/serve.mjs';
import { medianOfNumbers as median, ms } from './bench-rows.mjs';
import { CHROMIUM_ARGS, chromiumPath } from './chromium.mjs';
import { UsageError, readCommandLine, wholeNumber } from './cli.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BROWSERS = {
  chromium: { browser: 'chrome', executablePath: chromiumPath, args: CHROMIUM_ARGS },
  firefox: { browser: 'firefox', executablePath: process.env.FIREFOX_PATH || '/usr/bin/firefox-esr' },
};
const TIMEOUT_MS = 60_000;

const USAGE = 'usage: node scripts/ready-profile.mjs [--browser chromium|firefox|both] [--loads 5] [--site build/site]';
const FLAGS = {
  browser: { type: 'string', default: 'chromium' }, loads: { type: 'string', default: '5' },
  site: { type: 'string', default: join(repoRoot, 'build', 'site') },
};

/// The rows printed, in start-up order: [label, how to read it from one load's entries].
const STEPS = [
  ['first contentful paint', (e) => e.paint['first-contentful-paint']],
  ['main.js and its imports evaluated', (e) => e.marks['parlab:main-start']],
  ['lab worker created', (e) => e.marks['parlab:lab-worker-created']],
  ['lab worker script running', (e) => e.marks['parlab:worker-script']],
  ['wasm/parlab.js loaded in the lab worker', (e) => e.marks['parlab:worker-runtime']],
  ['parlab.wasm compiled and instantiated (createParlab resolved)', (e) => e.marks['parlab:worker-module']],
  ['ready (body[data-ready])', (e) => e.marks['parlab:ready']],
  ['first lesson card painted', (e) => e.marks['parlab:first-card-painted']],
];
/// Resources whose arrival (responseEnd) is printed.
const RESOURCES = ['main.js', 'vendor/chart.umd.js', 'lab-worker.js'];

function readOptions(values) {
  const names = values.browser === 'both' ? Object.keys(BROWSERS) : [values.browser];
  if (!names.every((n) => n in BROWSERS)) throw new UsageError(`--browser must be chromium, firefox or both (not "${values.browser}")`);
  return { browsers: names, loads: wholeNumber(values, 'loads', 1, 1000), site: resolve(values.site) };
}

/// One cold load: the page's marks, paints and resource timings once it is ready and its first card painted, and
/// how many pthread workers (worker-port.js?wasm/parlab.worker.js) the page had started before ready.
async function load(spec, url) {
  const browser = await puppeteer.launch({ ...spec, headless: true, protocolTimeout: TIMEOUT_MS });
  try {
    const page = await browser.newPage();
    await page.goto(url, { timeout: TIMEOUT_MS });
    await page.waitForFunction(() => performance.getEntriesByName('parlab:ready').length > 0
      && performance.getEntriesByName('parlab:first-card-painted').length > 0, { timeout: TIMEOUT_MS, polling: 50 });
    return await page.evaluate((resources) => {
      const marks = Object.fromEntries(performance.getEntriesByType('mark').filter((m) => m.name.startsWith('parlab:')).map((m) => [m.name, m.startTime]));
      const paint = Object.fromEntries(performance.getEntriesByType('paint').map((p) => [p.name, p.startTime]));
      const entries = performance.getEntriesByType('resource');
      const arrived = Object.fromEntries(resources.map((name) => [name, entries.find((r) => new URL(r.name).pathname === `/${name}`)?.responseEnd ?? null]));
      const pthreadsBeforeReady = entries.filter((r) => r.name.includes('parlab.worker.js') && r.startTime < marks['parlab:ready']).length;
      return { marks, paint, arrived, pthreadsBeforeReady };
    }, RESOURCES);
  } finally {
    await browser.close().catch(() => {});
  }
}

async function main() {
  const options = readCommandLine('ready-profile', USAGE, FLAGS, readOptions);
  if (!existsSync(join(options.site, 'index.html'))) throw new Error(`${options.site}/index.html is missing (node web/build-site.mjs)`);
  for (const name of options.browsers) {
    if (!existsSync(BROWSERS[name].executablePath)) throw new Error(`${BROWSERS[name].executablePath} is missing (bash scripts/setup.sh installs it)`);
  }
  const server = await startServer({ root: options.site, port: 0 });
  const url = `http://127.0.0.1:${server.address().port}/`;
  try {
    for (const name of options.browsers) {
      const loads = [];
      for (let i = 1; i <= options.loads; i += 1) {
        const one = await load(BROWSERS[name], url);
        loads.push(one);
        console.log(`${name} load ${i}/${options.loads}: ready ${ms(one.marks['parlab:ready'])}, pthread workers started before ready: ${one.pthreadsBeforeReady}`);
      }
      console.log(`\n${name}, medians of ${loads.length} cold loads (ms since navigation started):`);
      for (const [label, read] of STEPS) console.log(`  ${ms(median(loads.map(read))).padStart(8)}  ${label}`);
      for (const resource of RESOURCES) console.log(`  ${ms(median(loads.map((l) => l.arrived[resource]))).padStart(8)}  ${resource} arrived`);
    }
  } finally {
    await new Promise((r) => server.close(r));
  }
}

main().catch((error) => {
  console.error(`ready-profile: ${error.message}`);
  process.exitCode = 2;
});
