// Stall counter for processes mode: N small processes-mode runs through the page's own LabBridge, counting the runs
// the watchdog ends as stalled (in Firefox about 1 in 60 stalled before the process workers' start-up handshake).
//
// Usage: node scripts/process-stalls.mjs [--browser firefox|chromium] [--runs 300] [--workers 4] [--fresh-every 0]
//        [--site build/site] [--verbose]
// --fresh-every K starts a fresh lab worker every K runs (0: only after a stall, as the page's button does).
// Prints each stalled or failed run, and a summary; exits 1 when any run stalled or failed.
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
// The soak's small jobs: a run is mostly the start-up of its process workers, where the stall was.
const JOBS = [
  { workload: 'primes', shape: 'inputs', inputs: '20000,30000' },
  { workload: 'factorials', inputs: '10,20', repeat: 2 },
  { workload: 'download', count: 2, latency_ms: 1, jitter_ms: 0, work_kib: 1 },
];

const USAGE = `usage: node scripts/process-stalls.mjs [--browser firefox|chromium] [--runs 300] [--workers 4]
       [--fresh-every 0] [--site build/site] [--verbose]
  --fresh-every K   a fresh lab worker every K runs (0: only after a stall)`;

const FLAGS = {
  browser: { type: 'string', default: 'firefox' }, runs: { type: 'string', default: '300' },
  workers: { type: 'string', default: '4' }, 'fresh-every': { type: 'string', default: '0' },
  site: { type: 'string', default: join(repoRoot, 'build', 'site') }, verbose: { type: 'boolean', default: false },
};

function readOptions(values) {
  if (!(values.browser in BROWSERS)) throw new UsageError(`--browser must be one of ${Object.keys(BROWSERS).join(', ')} (not "${values.browser}")`);
  return {
    browser: values.browser, runs: wholeNumber(values, 'runs', 1, 100_000), workers: wholeNumber(values, 'workers', 1, 64),
    freshEvery: wholeNumber(values, 'fresh-every', 0, 100_000), site: resolve(values.site), verbose: values.verbose,
  };
}

async function main() {
  const options = readCommandLine('process-stalls', USAGE, FLAGS, readOptions);
  const spec = BROWSERS[options.browser];
  if (!existsSync(spec.executablePath)) throw new Error(`${spec.executablePath} is missing (bash scripts/setup.sh installs it)`);
  if (!existsSync(join(options.site, 'index.html'))) throw new Error(`${options.site}/index.html is missing (node web/build-site.mjs)`);
  const server = await startServer({ root: options.site, port: 0 });
  const browser = await puppeteer.launch({ ...spec, headless: true, protocolTimeout: 600_000 });
  const counts = { runs: 0, stalled: 0, failed: 0, restarted: 0 };
  const started = Date.now();
  try {
    const page = await browser.newPage();
    const lines = [];
    page.on('console', (msg) => lines.push(`${msg.type()}: ${msg.text()}`));
    page.on('pageerror', (err) => lines.push(`pageerror: ${err.message}`));
    // A page of the site with nothing of the lab's UI: this script drives the bridge itself.
    await page.goto(`http://127.0.0.1:${server.address().port}/embed.html`, { waitUntil: 'load' });
    await page.evaluate(async () => {
      const { LabBridge } = await import('./bridge.js');
      window.stallBridge = new LabBridge('lab-worker.js');
      await window.stallBridge.ready;
    });
    for (let i = 0; i < options.runs; i += 1) {
      // Cold: every run starts its process workers, as before the page kept them warm (the stall was in that start).
      const job = { params: JOBS[i % JOBS.length], mode: 'processes', workers: options.workers, options: { cold_start: true } };
      const fresh = options.freshEvery > 0 && i > 0 && i % options.freshEvery === 0;
      const outcome = await page.evaluate(async (j, restart) => {
        const bridge = window.stallBridge;
        if (restart || bridge.stuck) await bridge.restart();
        try {
          const run = await bridge.run(j);
          return { ok: run.ok, complete: run.complete, error: run.error, stuck: bridge.stuck, done: run.tasks_done, of: run.task_count };
        } catch (error) {
          return { ok: false, error: `rejected: ${error.message}`, stuck: bridge.stuck };
        }
      }, job, fresh);
      counts.runs += 1;
      if (fresh) counts.restarted += 1;
      const stalled = /stalled/.test(outcome.error ?? '');
      if (stalled) counts.stalled += 1;
      else if (!outcome.ok) counts.failed += 1;
      if (!outcome.ok || options.verbose) {
        console.log(`run ${i + 1}/${options.runs} (${job.params.workload}, ${job.workers} workers): ${outcome.ok ? 'ok' : stalled ? 'STALLED' : 'FAILED'}` +
          ` ${outcome.done ?? '?'}/${outcome.of ?? '?'} tasks; ${outcome.error ?? ''}`);
        for (const line of lines.splice(0)) console.log(`    ${line}`);
      }
      lines.length = 0;
    }
  } finally {
    await browser.close().catch(() => {});
    await new Promise((r) => server.close(r));
  }
  console.log(`${options.browser}, processes mode, ${options.workers} workers: ${counts.stalled} stalled and ${counts.failed} failed of ` +
    `${counts.runs} runs (${counts.restarted} planned fresh lab workers) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  process.exitCode = counts.stalled || counts.failed ? 1 : 0;
}

main().catch((error) => {
  console.error(`process-stalls: ${error.message}`);
  process.exitCode = 2;
});
