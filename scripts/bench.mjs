// The performance harness (npm run bench): runs the same workloads natively (parlab_bench, the parlab CLI),
// as wasm in Node and as wasm in headless Chromium and headless Firefox ESR (the lab page itself), then prints the
// targets of docs/performance.md with what was measured. Medians over repeats throughout; nothing here fails on a
// timing. A browser that is not installed gives one line and "n/a" rows.
//
// Usage: node scripts/bench.mjs [--quick] [--repeats N] [--json FILE] [--skip-browser] [--skip-firefox] [--skip-node]
//        [--skip-gbench]
//   --quick          fewer repeats and shorter Google Benchmark runs (about 1 minute instead of 2-3, 1 more with Firefox)
//   --repeats N      repeats of every timed run, 1 to 1000 (default 5, quick 3); the median is reported
//   --json FILE      also write every measurement as JSON
//   --skip-browser   leave out both browsers (Chromium and Firefox)
//   --skip-firefox   leave out Firefox only
//   --skip-node, --skip-gbench   leave out the wasm-in-Node or the Google Benchmark part
// Env: PARLAB_NATIVE_DIR (default build/native), PARLAB_WASM_DIR (default build/wasm), CHROMIUM_PATH, FIREFOX_PATH
// (default /usr/bin/firefox-esr).
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, release, tmpdir, type as osType } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { buildSite } from '../web/build-site.mjs';
import { startServer } from '../web/serve.mjs';
import {
  afterWarmup, browserFigures, efficiencyRow, fmt, median, processStartup, readyRow, row, singleThreadRow, threadEfficiency, warmStartupRow,
} from './bench-rows.mjs';
import { CHROMIUM_ARGS, chromiumPath, setField } from './chromium.mjs';
import { readCommandLine, wholeNumber } from './cli.mjs';

const require = createRequire(import.meta.url);
const run = promisify(execFile);
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = resolve(process.env.PARLAB_NATIVE_DIR || join(repoRoot, 'build', 'native'));
const wasmDir = resolve(process.env.PARLAB_WASM_DIR || join(repoRoot, 'build', 'wasm'));
const WASM_FILES = ['parlab.js', 'parlab.wasm', 'parlab.worker.js', 'parlab_st.js', 'parlab_st.wasm'];

// The CPU workloads compared across native, Node and Chromium (the same parameters everywhere).
const WORKLOADS = [
  { key: 'primes', label: 'primes chunked n=2000000 x64', params: { workload: 'primes', shape: 'chunked', n: 2000000, chunks: 64 } },
  { key: 'factorials', label: 'factorials 10..50 x2000', params: { workload: 'factorials', repeat: 2000 } },
];
const SCALING = WORKLOADS[0]; // thread scaling is measured on chunked primes
const SWEEP_RUNS = 3; // runs in one of the page's sweeps: sequential, threads at 1 and at 2 workers
/// Debian's Firefox ESR (as tests/e2e/browsers.mjs); FIREFOX_PATH overrides it.
const firefoxPath = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';
// CPython reference programs (reference/cpython/): each prints one JSON line {"per_task_us": x}.
const CPYTHON_REFERENCES = [
  { row: 'thread pool', file: 'reference/cpython/thread_pool_overhead.py' },
  { row: 'process pool', file: 'reference/cpython/process_pool_overhead.py' },
];

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

/// The header comment above, as --help prints it.
const HEADER = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n');
const USAGE = HEADER.slice(0, HEADER.findIndex((line) => !line.startsWith('//'))).map((line) => line.replace(/^\/\/ ?/, '')).join('\n');

/// The harness's options from its flags (UsageError for a bad value).
function benchOptions(values) {
  return {
    quick: values.quick, repeats: values.repeats === undefined ? (values.quick ? 3 : 5) : wholeNumber(values, 'repeats', 1, 1000),
    json: values.json === undefined ? null : resolve(values.json),
    browser: !values['skip-browser'], firefox: !values['skip-browser'] && !values['skip-firefox'], node: !values['skip-node'], gbench: !values['skip-gbench'],
  };
}

const FLAGS = {
  quick: { type: 'boolean', default: false }, repeats: { type: 'string' }, json: { type: 'string' },
  'skip-browser': { type: 'boolean', default: false }, 'skip-firefox': { type: 'boolean', default: false },
  'skip-node': { type: 'boolean', default: false },
  'skip-gbench': { type: 'boolean', default: false },
};

const log = (text) => process.stderr.write(`parlab bench: ${text}\n`);

function paramsToFlags(params) {
  const flags = [];
  for (const [name, value] of Object.entries(params)) {
    flags.push(name === 'workload' ? '--workload' : `--${name.replace(/_/g, '-')}`, String(value));
  }
  return flags;
}

/// Runs each of fns (name -> async () => seconds) `repeats` times, interleaved (a, b, c, a, b, c, ...) so that
/// a burst of load from elsewhere on the machine falls on every variant alike; returns name -> median.
async function interleavedMedians(repeats, fns) {
  const samples = Object.fromEntries(Object.keys(fns).map((name) => [name, []]));
  for (let i = 0; i < repeats; i += 1) {
    for (const [name, fn] of Object.entries(fns)) samples[name].push(await fn());
  }
  return Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));
}

// ---------------------------------------------------------------------------------------------------------------
// Native: parlab_bench (Google Benchmark) and the parlab CLI

async function runGoogleBenchmark(options) {
  const binary = join(nativeDir, 'parlab_bench');
  if (!existsSync(binary)) throw new Error(`${binary} is missing: build it (bash scripts/build.sh)`);
  const args = [
    // The lab/ benchmarks are for uploading to the page (issue #4), not rows of this table.
    '--benchmark_filter=-^lab/', '--benchmark_format=json', `--benchmark_repetitions=${options.quick ? 3 : 5}`,
    '--benchmark_report_aggregates_only=true', `--benchmark_min_time=${options.quick ? 0.05 : 0.2}`,
  ];
  const { stdout } = await run(binary, args, { maxBuffer: 64 << 20, timeout: 600_000 });
  const report = JSON.parse(stdout);
  const medians = new Map(); // run_name -> the median aggregate
  for (const b of report.benchmarks) {
    if (b.run_type === 'aggregate' && b.aggregate_name === 'median') medians.set(b.run_name, b);
  }
  return { context: report.context, medians };
}

/// Seconds of one benchmark's median real time.
function benchSeconds(b) {
  const scale = { ns: 1e-9, us: 1e-6, ms: 1e-3, s: 1 }[b.time_unit];
  return b.real_time * scale;
}

async function nativeRun(params, mode, workers) {
  const binary = join(nativeDir, 'parlab');
  const { stdout } = await run(binary, ['run', '--mode', mode, '--workers', String(workers), '--format', 'json',
    ...paramsToFlags(params)], { maxBuffer: 256 << 20, timeout: 300_000 });
  const r = JSON.parse(stdout).runs[0];
  if (!r.ok || !r.complete) throw new Error(`native ${mode} ${workers}: ${r.error || 'incomplete'}`);
  return r;
}

// ---------------------------------------------------------------------------------------------------------------
// wasm in Node: both builds, run_json in this process (the pthread build's threads are worker_threads)

function stageWasm() {
  const missing = WASM_FILES.filter((name) => !existsSync(join(wasmDir, name)));
  if (missing.length) throw new Error(`missing in ${wasmDir}: ${missing.join(', ')} (bash scripts/build.sh)`);
  const dir = mkdtempSync(join(tmpdir(), 'parlab-bench-wasm-'));
  for (const name of WASM_FILES) copyFileSync(join(wasmDir, name), join(dir, name));
  writeFileSync(join(dir, 'package.json'), '{"type": "commonjs"}\n'); // emscripten's output is CommonJS
  return dir;
}

async function loadWasmBuilds(dir) {
  const st = await require(join(dir, 'parlab_st.js'))({ wasmBinary: readFileSync(join(dir, 'parlab_st.wasm')) });
  const mt = await require(join(dir, 'parlab.js'))({ wasmBinary: readFileSync(join(dir, 'parlab.wasm')) });
  await mt.growPthreadPool(mt.pthreadPoolWarm); // the build starts no pthread worker (web/pthread-pool.js)
  return { st, mt };
}

function wasmRun(Module, params, mode, workers) {
  const r = JSON.parse(Module.run_json(JSON.stringify(params), mode, workers));
  if (!r.ok || !r.complete) throw new Error(`wasm ${mode} ${workers}: ${r.error || 'incomplete'}`);
  return r;
}

// ---------------------------------------------------------------------------------------------------------------
// wasm in the browsers: the lab page, driven through its form. One measuring function (measurePage) for every
// browser; a small driver per automation library gives it the same page actions: Playwright for Chromium (it also
// reports each response's bytes on the wire, for the page weight), puppeteer-core over WebDriver BiDi for Firefox
// ESR (Playwright cannot drive stock Firefox).

/// Records when body[data-ready=true] appears, on the page's own clock (ms since navigation start).
const READY_PROBE = `
  new MutationObserver((_, observer) => {
    if (document.body && document.body.dataset.ready === 'true' && self.__parlabReadyAt === undefined) {
      self.__parlabReadyAt = performance.now();
      observer.disconnect();
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'] });
`;

/// The page's downloads: unique URLs and the bytes their bodies took on the wire (gzip where the server sent
/// it), their decoded sizes, and the wire bytes of every response (repeats included; a 304 has no body).
async function pageWeight(responses, siteRoot) {
  const unique = new Map();
  const decoded = new Map();
  let transferred = 0;
  for (const response of new Set(responses)) {
    const url = new URL(response.url());
    if (url.protocol !== 'http:') continue;
    let plain = 0;
    try {
      plain = (await response.body()).length;
    } catch (_) {
      const file = join(siteRoot, decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname));
      plain = existsSync(file) ? statSync(file).size : 0;
    }
    let wire = plain;
    try {
      wire = (await response.request().sizes()).responseBodySize;
    } catch (_) {
      // no size from the browser: count the decoded body
    }
    transferred += wire;
    if (response.status() === 304) continue;
    unique.set(url.pathname, wire);
    decoded.set(url.pathname, plain);
  }
  return { unique, decoded, transferred };
}

/// Chromium through Playwright. load(url): one cold load in a fresh context (empty cache), as
/// {page, inside, outside, weigh(), close()}; page has the actions measurePage uses.
async function playwrightChromium(siteRoot) {
  const { chromium } = require('playwright-core');
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS });
  const load = async (url) => {
    const context = await browser.newContext();
    await context.addInitScript(READY_PROBE);
    const page = await context.newPage();
    const responses = [];
    const onResponse = (response) => responses.push(response);
    page.on('response', onResponse);
    context.on('response', onResponse); // dedicated workers' requests, where Playwright reports them here
    const started = performance.now();
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 60_000 });
    const outside = (performance.now() - started) / 1000;
    const inside = (await page.evaluate(() => self.__parlabReadyAt)) / 1000;
    const actions = {
      evaluate: (fn, arg) => page.evaluate(fn, arg),
      click: (selector) => page.click(selector),
      setField: (selector, value) => setField(page, selector, value),
      setChecked: (selector, on) => page.locator(selector).setChecked(on),
      waitForFunction: (fn, arg, options) => page.waitForFunction(fn, arg, options),
      download: async (selector) => {
        const [download] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
        return readFileSync(await download.path(), 'utf8');
      },
    };
    const weigh = async () => {
      // parlab_st.wasm is compiled just after ready (for processes mode): let it arrive before weighing.
      await page.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => {});
      await page.waitForTimeout(500);
      return pageWeight(responses, siteRoot);
    };
    return { page: actions, inside, outside, weigh, close: () => context.close() };
  };
  return { name: 'Chromium', driver: 'Playwright', load, close: () => browser.close() };
}

/// Firefox ESR through puppeteer-core (WebDriver BiDi), with the same load(url) as playwrightChromium; no page
/// weight (the Chromium row is the page's weight; BiDi does not report wire sizes here).
async function puppeteerFirefox() {
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: firefoxPath, headless: true, protocolTimeout: 600_000 });
  const load = async (url) => {
    const context = await browser.createBrowserContext(); // a user context of its own: empty cache and storage
    const page = await context.newPage();
    await page.evaluateOnNewDocument(READY_PROBE);
    const started = performance.now();
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    const outside = (performance.now() - started) / 1000;
    const inside = (await page.evaluate(() => self.__parlabReadyAt)) / 1000;
    const actions = {
      evaluate: (fn, arg) => page.evaluate(fn, arg),
      click: (selector) => page.click(selector),
      setField: (selector, value) => page.$eval(selector, (el, v) => {
        el.value = String(v);
        el.dispatchEvent(new Event('input', { bubbles: true }));
        el.dispatchEvent(new Event('change', { bubbles: true }));
      }, value),
      setChecked: (selector, on) => page.$eval(selector, (el, v) => { if (el.checked !== v) el.click(); }, on),
      waitForFunction: (fn, arg, options) => page.waitForFunction(fn, options, arg),
      // The file the page offers (URL.createObjectURL and a link's download attribute), read from its Blob
      // instead of saved: BiDi has no download event to wait on.
      download: async (selector) => {
        await page.evaluate(() => {
          globalThis.__benchOffered = [];
          const create = URL.createObjectURL.bind(URL);
          URL.createObjectURL = (blob) => {
            const made = create(blob);
            globalThis.__benchOffered.push({ url: made, blob });
            return made;
          };
          document.addEventListener('click', (event) => {
            const link = event.target.closest?.('a[download]');
            const offered = globalThis.__benchOffered.find((o) => o.url === link?.href);
            if (offered) {
              offered.taken = true;
              event.preventDefault();
            }
          }, true);
        });
        await page.click(selector);
        await page.waitForFunction(() => globalThis.__benchOffered.some((o) => o.taken), { timeout: 30_000 });
        return page.evaluate(() => globalThis.__benchOffered.find((o) => o.taken).blob.text());
      },
    };
    return { page: actions, inside, outside, weigh: async () => null, close: () => context.close() };
  };
  return { name: 'Firefox', driver: 'puppeteer', load, close: () => browser.close() };
}

/// One browser's measurements of the lab page at `url`: cold loads (navigation to ready, on the page's clock and
/// the driver's), the last load's page weight where the driver reports it, then for each CPU workload one warm-up
/// sweep and `repeats` timed sweeps of sequential + threads at 1 and 2 workers, read back with Export.
async function measurePage(browser, url, options) {
  const out = { ready: [], readyOutside: [], weight: null, runs: [] };
  // Cold loads, each in a fresh context (empty cache); the last one stays open for the runs.
  let loaded = null;
  const loads = Math.max(3, options.repeats);
  for (let i = 0; i < loads; i += 1) {
    if (loaded) await loaded.close();
    loaded = await browser.load(url);
    out.ready.push(loaded.inside);
    out.readyOutside.push(loaded.outside);
  }
  const { page } = loaded;
  out.weight = await loaded.weigh();
  out.crossOriginIsolated = await page.evaluate(() => self.crossOriginIsolated);
  out.hardwareConcurrency = await page.evaluate(() => navigator.hardwareConcurrency);
  out.userAgent = await page.evaluate(() => navigator.userAgent);

  // The runs: for each workload, a sweep of sequential + threads at 1 and 2 workers, repeated.
  for (const mode of ['sequential', 'threads', 'processes']) {
    const selector = `input[name="sweep-mode"][value="${mode}"]`;
    if (await page.evaluate((s) => document.querySelectorAll(s).length, selector)) await page.setChecked(selector, mode !== 'processes');
  }
  await page.setField('#sweep-workers', '1,2');
  const rowCount = () => page.evaluate(() => document.querySelectorAll('#runs-table tr.run-row').length);
  for (const w of WORKLOADS) {
    await page.setField('#workload', w.params.workload);
    for (const [name, value] of Object.entries(w.params)) {
      if (name !== 'workload') await page.setField(`#param-${name}`, value);
    }
    // One more sweep than repeats: the first is a warm-up (the engine tiers the hot wasm functions up during it).
    for (let i = 0; i <= options.repeats; i += 1) {
      const before = await rowCount();
      await page.click('#sweep');
      await page.waitForFunction((n) => document.querySelectorAll('#runs-table tr.run-row').length >= n,
        before + SWEEP_RUNS, { timeout: 300_000, polling: 100 });
      await page.waitForFunction(() => !document.getElementById('sweep').disabled, null, { timeout: 30_000, polling: 100 });
    }
  }
  // Process Web Workers kept warm between runs: sweeps of processes alone at 2 workers on the last workload; the
  // first starts the workers (cold), the later ones reuse them (warm_workers in each run).
  for (const mode of ['sequential', 'threads', 'processes']) {
    const selector = `input[name="sweep-mode"][value="${mode}"]`;
    if (await page.evaluate((s) => document.querySelectorAll(s).length, selector)) await page.setChecked(selector, mode === 'processes');
  }
  await page.setField('#sweep-workers', '2');
  for (let i = 0; i <= options.repeats; i += 1) {
    const before = await rowCount();
    await page.click('#sweep');
    await page.waitForFunction((n) => document.querySelectorAll('#runs-table tr.run-row').length >= n,
      before + 1, { timeout: 300_000, polling: 100 });
    await page.waitForFunction(() => !document.getElementById('sweep').disabled, null, { timeout: 30_000, polling: 100 });
  }
  const exported = JSON.parse(await page.download('#export'));
  for (const r of exported.runs) {
    if (!r.ok || !r.complete) throw new Error(`${browser.name} run ${r.workload} ${r.mode} ${r.workers}: ${r.error || 'incomplete'}`);
  }
  out.processStartup = processStartup(exported.runs);
  out.runs = afterWarmup(exported.runs.filter((r) => r.mode !== 'processes'), SWEEP_RUNS);
  out.environment = exported.environment;
  await loaded.close();
  return out;
}

/// Measures the page in one browser (started by `open`) and closes it; returns measurePage's figures plus the
/// medians per workload.
async function measureBrowser(open, url, options) {
  const browser = await open();
  try {
    const out = await measurePage(browser, url, options);
    return { ...out, name: browser.name, driver: browser.driver, ...browserFigures(out.runs, WORKLOADS) };
  } finally {
    await browser.close().catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------------------------------
// CPython references

async function runCpythonReferences() {
  const found = [];
  for (const ref of CPYTHON_REFERENCES) {
    const file = join(repoRoot, ref.file);
    try {
      const { stdout } = await run('python3', [file], { timeout: 300_000 });
      const line = stdout.trim().split('\n').at(-1);
      found.push({ ...ref, status: 'ran', per_task_us: JSON.parse(line).per_task_us });
    } catch (err) {
      found.push({ ...ref, status: `failed: ${String(err.message).split('\n')[0]}` });
    }
  }
  return found;
}

/// The note beside a pool's row: CPython's figure for the same round trip, measured in this run.
function cpythonNote(executor, ref) {
  return ref.status === 'ran' ? `CPython ${executor} ${fmt(ref.per_task_us, 1)} us (${ref.file})` : `CPython ${executor}: ${ref.status}`;
}

// ---------------------------------------------------------------------------------------------------------------
// The table

function printTable(rows) {
  const header = { what: 'row', target: 'target', measured: 'measured', met: 'met?', note: 'note' };
  const all = [header, ...rows];
  const width = (key) => Math.max(...all.map((r) => String(r[key]).length));
  const widths = { what: width('what'), target: width('target'), measured: width('measured'), met: width('met') };
  const line = (r) => `${String(r.what).padEnd(widths.what)} | ${String(r.target).padEnd(widths.target)} | `
    + `${String(r.measured).padEnd(widths.measured)} | ${String(r.met).padEnd(widths.met)} | ${r.note}`;
  console.log(line(header));
  console.log(['what', 'target', 'measured', 'met'].map((k) => '-'.repeat(widths[k])).join('-|-') + '-|------');
  for (const r of rows) console.log(line(r));
}

async function main() {
  const options = readCommandLine('parlab bench', USAGE, FLAGS, benchOptions);
  const begun = performance.now();
  const results = { date: new Date().toISOString(), options, machine: {
    cpu_model: cpus()[0]?.model ?? null, logical_cpus: cpus().length, os: `${osType()} ${release()}`, node: process.version,
  } };
  console.log(`parlab bench, ${results.date}: ${results.machine.logical_cpus} logical CPUs, ${results.machine.cpu_model}, `
    + `${results.machine.os}, Node ${process.version}; medians of ${options.repeats} repeats${options.quick ? ' (quick)' : ''}`);
  const loadBefore = loadavg()[0];

  // 1. Native: Google Benchmark.
  let gb = { context: null, medians: new Map() };
  if (options.gbench) {
    log('native: parlab_bench (Google Benchmark)');
    gb = await runGoogleBenchmark(options);
  }
  results.google_benchmark = Object.fromEntries([...gb.medians].map(([name, b]) => [name, {
    real_time: b.real_time, time_unit: b.time_unit, per_task_us: b.per_task_us, per_worker_us: b.per_worker_us,
    teardown_us: b.teardown_us, reap_us: b.reap_us,
  }]));
  const bench = (name) => gb.medians.get(name) ?? null;

  // 2. Native CLI: the CPU workloads, sequential and threads at 1 and 2 workers (run_workload's wall_s, as wasm).
  log('native: parlab run (sequential, threads 1 and 2)');
  const native = {};
  for (const w of WORKLOADS) {
    native[w.key] = await interleavedMedians(options.repeats, {
      sequential: async () => (await nativeRun(w.params, 'sequential', 1)).wall_s,
      threads1: async () => (await nativeRun(w.params, 'threads', 1)).wall_s,
      threads2: async () => (await nativeRun(w.params, 'threads', 2)).wall_s,
    });
  }
  results.native_cli = native;

  // 3. wasm in Node.
  const node = {};
  if (options.node) {
    log('wasm in Node: parlab_st (sequential), parlab with pthreads (sequential, threads 1 and 2)');
    const dir = stageWasm();
    try {
      const { st, mt } = await loadWasmBuilds(dir);
      for (const w of WORKLOADS) {
        // Warm-up: V8 first runs wasm in its baseline compiler and tiers hot functions up while they run.
        wasmRun(st, w.params, 'sequential', 1);
        wasmRun(mt, w.params, 'sequential', 1);
        wasmRun(mt, w.params, 'threads', 2);
        node[w.key] = await interleavedMedians(options.repeats, {
          st_sequential: () => wasmRun(st, w.params, 'sequential', 1).wall_s,
          sequential: () => wasmRun(mt, w.params, 'sequential', 1).wall_s,
          threads1: () => wasmRun(mt, w.params, 'threads', 1).wall_s,
          threads2: () => wasmRun(mt, w.params, 'threads', 2).wall_s,
        });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    results.node = node;
  }

  // 4. wasm in the browsers, the lab page: a private copy of the site (a concurrent build cannot change it mid-run),
  // one server for both, each browser measured by the same measurePage.
  let browser = null; // Chromium's figures
  let firefox = null;
  const why = { chromium: 'browser part skipped', firefox: options.browser ? 'Firefox part skipped (--skip-firefox)' : 'browser part skipped' };
  if (options.browser) {
    const work = mkdtempSync(join(tmpdir(), 'parlab-bench-site-'));
    try {
      const siteRoot = join(work, 'site');
      buildSite({ outDir: siteRoot, wasmDir });
      const server = await startServer({ root: siteRoot, port: 0 });
      const url = `http://127.0.0.1:${server.address().port}/`;
      try {
        if (!existsSync(chromiumPath)) {
          why.chromium = `no Chromium at ${chromiumPath}`;
          log(`${why.chromium}: Chromium rows n/a`);
        } else {
          log('wasm in Chromium: the lab page (cold loads, then a warm-up sweep and timed sweeps of sequential and threads 1,2)');
          browser = await measureBrowser(() => playwrightChromium(siteRoot), url, options);
          browser.siteFiles = listFiles(siteRoot);
        }
        if (options.firefox && !existsSync(firefoxPath)) {
          why.firefox = `no Firefox at ${firefoxPath} (apt-get install --no-install-recommends firefox-esr)`;
          log(`${why.firefox}: Firefox rows n/a`);
        } else if (options.firefox) {
          log('wasm in Firefox: the same cold loads and sweeps, driven through puppeteer-core (WebDriver BiDi)');
          try {
            firefox = await measureBrowser(puppeteerFirefox, url, options);
          } catch (err) {
            why.firefox = `Firefox failed: ${String(err.message).split('\n')[0]}`;
            log(`${why.firefox}: Firefox rows n/a`);
          }
        }
      } finally {
        await new Promise((r) => server.close(r));
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  const browserResults = (b) => b && {
    ready_s: b.ready, ready_outside_s: b.readyOutside, process_startup: b.processStartup, cross_origin_isolated: b.crossOriginIsolated,
    hardware_concurrency: b.hardwareConcurrency, user_agent: b.userAgent, driver: b.driver,
    weight: b.weight && { files: Object.fromEntries(b.weight.unique), transferred: b.weight.transferred },
    ...Object.fromEntries(WORKLOADS.map((w) => [w.key, b[w.key]])),
  };
  if (browser) results.browser = browserResults(browser);
  if (firefox) results.firefox = browserResults(firefox);
  if (options.browser && !firefox) results.firefox = { skipped: why.firefox };

  // 5. CPython references.
  const cpython = await runCpythonReferences();
  results.cpython = cpython;

  // ---- the table ----
  const rows = [];
  const hc = Math.max(1, cpus().length);
  const tp = bench('thread_pool/empty_task/threads:1/real_time');
  const tp2 = bench('thread_pool/empty_task/threads:2/real_time');
  const tpMeasured = tp && Math.max(tp.per_task_us, tp2?.per_task_us ?? 0);
  rows.push(row('thread pool: submit + complete an empty task', '<= 1 us', tp ? `${fmt(tp.per_task_us, 3)} us (1 thread), ${fmt(tp2?.per_task_us, 3)} us (2)` : 'n/a',
    tp ? tpMeasured <= 1 : null, cpythonNote('ThreadPoolExecutor', cpython[0])));
  // The pools against the machine's floors, measured in the same parlab_bench run (native/bench.cpp, floor/*).
  const ratioRow = (what, target, pool, floor, text, note) => {
    const ratio = pool !== null && floor ? pool / floor : null;
    return row(what, `<= ${target}x`, ratio === null ? 'n/a' : `${fmt(ratio, 2)}x (${text})`, ratio === null ? null : ratio <= target, note);
  };
  const te = bench('threads_executor/empty_task/workers:1/manual_time');
  const te2 = bench('threads_executor/empty_task/workers:2/manual_time');
  const clocks = bench('floor/task_clocks/real_time');
  rows.push(ratioRow('threads executor per task / bare thread pool', 1.5, te?.per_task_us ?? null, tp?.per_task_us,
    `${fmt(te?.per_task_us, 3)} us (1 worker), ${fmt(te2?.per_task_us, 3)} us (2) / ${fmt(tp?.per_task_us, 3)} us`,
    `the executor records each task: its clock reads alone (start, end, thread CPU) cost ${fmt(clocks?.per_task_us, 3)} us (floor/task_clocks); `
    + `without them ${te && clocks && tp ? `${fmt((te.per_task_us - clocks.per_task_us) / tp.per_task_us, 2)}x` : 'n/a'} the bare pool`));
  const tpr = bench('thread_pool/round_trip/threads:1/real_time');
  const handover = bench('floor/condvar_handover/real_time');
  rows.push(ratioRow('thread pool round trip / condition-variable hand-over', 1.2, tpr?.per_task_us ?? null, handover?.per_task_us,
    `${fmt(tpr?.per_task_us, 1)} us / ${fmt(handover?.per_task_us, 1)} us`, 'submit one empty task and wait, against one thread waking another and back'));
  const pp = bench('process_pool/round_trip/workers:1/manual_time');
  const pp2 = bench('process_pool/round_trip/workers:2/manual_time');
  const pingPong = bench('floor/pipe_ping_pong/real_time');
  rows.push(ratioRow('process pool round trip / pipe ping-pong', 1.2, pp?.per_task_us ?? null, pingPong?.per_task_us,
    `${fmt(pp?.per_task_us, 1)} us (1 worker; ${fmt(pp2?.per_task_us, 1)} us with 2) / ${fmt(pingPong?.per_task_us, 1)} us`,
    cpythonNote('ProcessPoolExecutor', cpython[1])));
  const startups = [1, 2, 4, 8, 16].map((n) => [n, bench(`process_pool/startup/workers:${n}/manual_time`)]).filter(([, b]) => b);
  const worstStartup = startups.length ? Math.max(...startups.map(([, b]) => b.per_worker_us)) : null;
  const fork = bench('floor/fork_handshake/manual_time');
  rows.push(ratioRow('process pool start-up per worker / fork + handshake', 1.5, worstStartup, fork?.per_worker_us,
    `worst of ${startups.map(([n, b]) => `${n}: ${fmt(b.per_worker_us, 0)}`).join(', ')} us / ${fmt(fork?.per_worker_us, 0)} us`,
    `N workers: fork + first "ready" answer; the floor forks a child that writes one byte (its reap, ${fmt(fork?.reap_us, 0)} us, apart)`));
  const seq = bench('chunked_primes/sequential/workers:1/real_time');
  for (const mode of ['threads', 'processes']) {
    for (const workers of [...new Set([2, hc])]) {
      const b = bench(`chunked_primes/${mode}/workers:${workers}/real_time`);
      const eff = b && seq ? benchSeconds(seq) / benchSeconds(b) / workers : null;
      const target = workers === 2 ? 0.95 : 0.93;
      const applies = workers === 2 || workers >= 16;
      rows.push(row(`chunked primes efficiency, ${mode}, ${workers} workers`, `>= ${target}${applies ? '' : ' (at 16 on 16 cores)'}`,
        eff === null ? 'n/a' : `${fmt(eff, 3)} (${fmt(benchSeconds(b) * 1e3, 1)} ms vs sequential ${fmt(benchSeconds(seq) * 1e3, 1)} ms)`,
        eff === null ? null : eff >= target, `speed-up over sequential / workers${hc < 16 ? `; this machine has ${hc} CPUs, the 16-worker row needs a 16-core one` : ''}`));
    }
  }
  if (hc < 16) {
    rows.push(row('chunked primes efficiency, threads and processes, 16 workers', '>= 0.93', 'not measurable here', null,
      'needs 16 cores: carry the static parlab (cmake --preset native-static) there, see docs/performance.md'));
  }
  for (const w of WORKLOADS) {
    const n = native[w.key].sequential;
    rows.push(singleThreadRow('Chromium', w, browser?.[w.key]?.sequential ?? null, n, why.chromium));
    rows.push(singleThreadRow('Firefox', w, firefox?.[w.key]?.sequential ?? null, n, why.firefox));
    const m = node[w.key]?.sequential ?? null;
    rows.push(row(`wasm (Node) / native, single thread: ${w.key}`, '(<= 1.25)', m === null ? 'n/a'
      : `${fmt(m / n, 3)} (${fmt(m * 1e3, 1)} ms; parlab_st ${fmt(node[w.key].st_sequential * 1e3, 1)} ms)`, m === null ? null : m / n <= 1.25, 'same build as the page, run by Node'));
  }
  const nativeEff = threadEfficiency(native[SCALING.key]);
  rows.push(efficiencyRow('Chromium', browser?.[SCALING.key], nativeEff, true, why.chromium));
  rows.push(efficiencyRow('Firefox', firefox?.[SCALING.key], nativeEff, true, why.firefox));
  rows.push(efficiencyRow('Node', node[SCALING.key], nativeEff, false, options.node ? '' : 'Node part skipped'));
  if (browser?.weight) {
    const files = [...browser.weight.unique].filter(([path]) => !path.endsWith('/vendor/chart.umd.js'));
    const total = files.reduce((s, [, bytes]) => s + bytes, 0);
    const wasmBytes = files.filter(([p]) => p.startsWith('/wasm/')).reduce((s, [, b]) => s + b, 0);
    const plain = files.reduce((s, [p]) => s + (browser.weight.decoded.get(p) ?? 0), 0);
    rows.push(row('page weight, Chart.js excluded', '<= 400 KB', `${fmt(total / 1000, 0)} KB in ${files.length} files (wasm/ ${fmt(wasmBytes / 1000, 0)} KB)`,
      total <= 400_000, `on the wire as served (precompressed .gz twins); ${fmt(plain / 1000, 0)} KB decoded; `
      + `${fmt(browser.weight.transferred / 1000, 0)} KB of responses counting repeated loads`));
  } else {
    rows.push(row('page weight, Chart.js excluded', '<= 400 KB', 'n/a', null, why.chromium));
  }
  rows.push(readyRow('navigation to ready (headless, localhost)', browser?.ready, browser?.readyOutside, 'Playwright', why.chromium));
  rows.push(readyRow('navigation to ready, Firefox (headless, localhost)', firefox?.ready, firefox?.readyOutside, 'puppeteer', why.firefox));
  rows.push(warmStartupRow('Chromium', browser?.processStartup, why.chromium));
  rows.push(warmStartupRow('Firefox', firefox?.processStartup, why.firefox));
  // Parallel efficiency needs idle cores: say how busy the machine was (other programs' load included).
  const loadAfter = loadavg()[0];
  results.machine.load_average = [loadBefore, loadAfter];
  console.log(`load average (1 min) ${fmt(loadBefore, 2)} at the start, ${fmt(loadAfter, 2)} at the end, on ${hc} CPUs`
    + (loadBefore > hc * 0.5 ? ': the machine was busy with other work before this started; efficiency and ratio rows are unreliable'
      : ' (the end figure includes this harness)'));
  console.log('');
  printTable(rows);
  results.rows = rows;

  // Detail: every native benchmark median, and the page's files.
  console.log('\nnative benchmarks (medians):');
  for (const [name, b] of gb.medians) {
    const extra = b.per_task_us !== undefined ? `  per task ${fmt(b.per_task_us, 3)} us`
      : b.per_worker_us !== undefined ? `  per worker ${fmt(b.per_worker_us, 0)} us, ${b.reap_us !== undefined ? `reap ${fmt(b.reap_us, 0)}` : `teardown ${fmt(b.teardown_us, 0)}`} us` : '';
    console.log(`  ${name.padEnd(52)} ${fmt(b.real_time, 1).padStart(12)} ${b.time_unit}${extra}`);
  }
  console.log('\nsingle-thread and thread-scaling wall times (s, medians):');
  for (const w of WORKLOADS) {
    const parts = [`native ${fmt(native[w.key].sequential, 4)} / t1 ${fmt(native[w.key].threads1, 4)} / t2 ${fmt(native[w.key].threads2, 4)}`];
    if (node[w.key]) parts.push(`node ${fmt(node[w.key].sequential, 4)} / t1 ${fmt(node[w.key].threads1, 4)} / t2 ${fmt(node[w.key].threads2, 4)}`);
    for (const [name, b] of [['chromium', browser], ['firefox', firefox]]) {
      if (b?.[w.key]) parts.push(`${name} ${fmt(b[w.key].sequential, 4)} / t1 ${fmt(b[w.key].threads1, 4)} / t2 ${fmt(b[w.key].threads2, 4)}`);
    }
    console.log(`  ${w.label}: ${parts.join('; ')}`);
  }
  if (browser?.weight) {
    console.log('\npage files loaded (bytes):');
    for (const [path, bytes] of [...browser.weight.unique].sort((a, b) => b[1] - a[1])) console.log(`  ${String(bytes).padStart(8)}  ${path}`);
    const unseen = browser.siteFiles.filter((f) => !browser.weight.unique.has(f));
    if (unseen.length) console.log(`  (in build/site but not loaded: ${unseen.join(', ')})`);
  }
  for (const b of [browser, firefox].filter(Boolean)) {
    console.log(`  ${b.name} (${b.driver}): ${b.userAgent}; crossOriginIsolated ${b.crossOriginIsolated}; hardwareConcurrency ${b.hardwareConcurrency}`);
  }
  console.log(`\nparlab bench: done in ${fmt((performance.now() - begun) / 1000, 0)} s`);
  if (options.json) writeFileSync(options.json, `${JSON.stringify(results, null, 2)}\n`);
}

/// Every file under dir as a URL path ("/wasm/parlab.js").
function listFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(`/${relative(dir, full).split('\\').join('/')}`);
    }
  };
  walk(dir);
  return out;
}

main().then(
  () => process.exit(0), // the pthread build's worker_threads would keep Node alive
  (err) => {
    console.error(`parlab bench: ${err.stack || err.message}`);
    process.exit(1);
  },
);
