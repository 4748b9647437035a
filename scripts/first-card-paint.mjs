// First paint of the first lesson card over cold loads: each load in a freshly started browser (empty cache), the
// page's own 'parlab:first-card-painted' mark (lesson-nav.js) against its first contentful paint and the moment the
// lab worker was ready (body[data-ready]). A measurement to report, not a test: it asserts nothing about speed.
//
// Usage: node scripts/first-card-paint.mjs [--browser chromium|firefox|both] [--loads 10] [--site build/site]
//        [--no-isolation]
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

const USAGE = `usage: node scripts/first-card-paint.mjs [--browser chromium|firefox|both] [--loads 10] [--site build/site]
       [--no-isolation]`;

const FLAGS = {
  browser: { type: 'string', default: 'both' }, loads: { type: 'string', default: '10' },
  site: { type: 'string', default: join(repoRoot, 'build', 'site') }, 'no-isolation': { type: 'boolean', default: false },
};

function readOptions(values) {
  const names = values.browser === 'both' ? Object.keys(BROWSERS) : [values.browser];
  if (!names.every((n) => n in BROWSERS)) throw new UsageError(`--browser must be chromium, firefox or both (not "${values.browser}")`);
  return { browsers: names, loads: wholeNumber(values, 'loads', 1, 1000), site: resolve(values.site), isolated: !values['no-isolation'] };
}

/// One cold load: {card, fcp, ready} in ms since navigation started (fcp null where the browser reports none).
async function load(spec, url) {
  const browser = await puppeteer.launch({ ...spec, headless: true, protocolTimeout: TIMEOUT_MS });
  try {
    const page = await browser.newPage();
    await page.evaluateOnNewDocument(() => {
      // When the lab worker became ready, to show that the card did not wait for it.
      new MutationObserver((_, observer) => {
        if (document.body?.dataset.ready === 'true') {
          globalThis.__parlabReadyAt = performance.now();
          observer.disconnect();
        }
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'] });
    });
    await page.goto(url, { timeout: TIMEOUT_MS });
    await page.waitForFunction(() => globalThis.__parlabReadyAt !== undefined
      && performance.getEntriesByName('parlab:first-card-painted').length > 0, { timeout: TIMEOUT_MS, polling: 50 });
    return await page.evaluate(() => ({
      card: performance.getEntriesByName('parlab:first-card-painted')[0].startTime,
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
      ready: globalThis.__parlabReadyAt,
    }));
  } finally {
    await browser.close().catch(() => {});
  }
}

async function main() {
  const options = readCommandLine('first-card-paint', USAGE, FLAGS, readOptions);
  if (!existsSync(join(options.site, 'index.html'))) throw new Error(`${options.site}/index.html is missing (node web/build-site.mjs)`);
  for (const name of options.browsers) {
    if (!existsSync(BROWSERS[name].executablePath)) throw new Error(`${BROWSERS[name].executablePath} is missing (bash scripts/setup.sh installs it)`);
  }
  const server = await startServer({ root: options.site, port: 0, isolated: options.isolated });
  const url = `http://127.0.0.1:${server.address().port}/`;
  try {
    for (const name of options.browsers) {
      const loads = [];
      for (let i = 1; i <= options.loads; i += 1) {
        const one = await load(BROWSERS[name], url);
        loads.push(one);
        console.log(`${name} load ${i}/${options.loads}: first card painted ${ms(one.card)}, first contentful paint ${ms(one.fcp)}, lab worker ready ${ms(one.ready)}`);
      }
      const before = loads.filter((l) => l.card < l.ready).length;
      console.log(`${name}: median of ${loads.length} cold loads: first card painted ${ms(median(loads.map((l) => l.card)))}`
        + ` (slowest ${ms(Math.max(...loads.map((l) => l.card)))}), first contentful paint ${ms(median(loads.map((l) => l.fcp)))},`
        + ` lab worker ready ${ms(median(loads.map((l) => l.ready)))}; the card was painted before the worker was ready in ${before} of ${loads.length}`);
    }
  } finally {
    await new Promise((r) => server.close(r));
  }
}

main().catch((error) => {
  console.error(`first-card-paint: ${error.message}`);
  process.exitCode = 2;
});
