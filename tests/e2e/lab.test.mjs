// The page in headless Chromium: a sweep runs in threads and processes, charts draw, native results compare, export validates.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { buildSite } from '../../web/build-site.mjs';
import { startServer } from '../../web/serve.mjs';
import { CHROMIUM_ARGS, chromiumPath, setField } from '../../scripts/chromium.mjs';

const require = createRequire(import.meta.url);
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
// PARLAB_NATIVE_BIN points at another native build (default build/native/parlab).
const nativeBinary = process.env.PARLAB_NATIVE_BIN ? resolve(process.env.PARLAB_NATIVE_BIN) : join(repoRoot, 'build', 'native', 'parlab');
const schemaFile = join(repoRoot, 'docs', 'results.schema.json');
const SWEEP = { n: 300000, chunks: 16, modes: ['threads', 'processes'], workers: [1, 2] };
const RUN_TIMEOUT_MS = 180_000;

/// An ajv validator for docs/results.schema.json; returns a function giving null or the errors as text.
function makeValidator() {
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8'));
  const draft2020 = typeof schema.$schema === 'string' && schema.$schema.includes('2020-12');
  const Ajv = draft2020 ? require('ajv/dist/2020').default : require('ajv').default;
  const addFormats = require('ajv-formats').default;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  return (data) => (validate(data) ? null : ajv.errorsText(validate.errors, { separator: '\n  ' }));
}

/// Whether a chart canvas has drawn: Chart.js knows of it with data, or it has non-transparent pixels.
function chartState(page, id) {
  return page.evaluate((canvasId) => {
    const canvas = document.getElementById(canvasId);
    if (!canvas) return { exists: false };
    const chart = typeof Chart !== 'undefined' && Chart.getChart ? Chart.getChart(canvas) : null;
    const datasets = chart ? chart.data.datasets.filter((d) => Array.isArray(d.data) && d.data.length > 0).length : 0;
    let painted = false;
    try {
      const ctx = canvas.getContext('2d');
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      for (let i = 3; i < data.length; i += 4) {
        if (data[i] !== 0) {
          painted = true;
          break;
        }
      }
    } catch (_) {
      painted = false;
    }
    return { exists: true, hasChart: Boolean(chart), datasets, painted, width: canvas.width, height: canvas.height };
  }, id);
}

/// Page errors and console errors, for failure messages.
function watchPage(page) {
  const problems = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  return problems;
}

async function waitForReady(page, problems) {
  try {
    await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 60_000 });
  } catch (err) {
    const status = await page.locator('#status').textContent().catch(() => '?');
    throw new Error(`page never set body[data-ready=true] (status: "${status}")\n  ${problems.join('\n  ')}`);
  }
}

async function rowCount(page, selector) {
  return page.locator(selector).count();
}

/// Waits until `selector` matches at least `count` elements; fails with the page's status and errors.
async function waitForRows(page, selector, count, problems, timeout = RUN_TIMEOUT_MS) {
  try {
    await page.waitForFunction(
      ([sel, n]) => document.querySelectorAll(sel).length >= n, [selector, count], { timeout, polling: 250 },
    );
  } catch (_) {
    const status = await page.locator('#status').textContent().catch(() => '?');
    const formError = await page.locator('#form-error').textContent().catch(() => '');
    throw new Error(`expected ${count} × ${selector}, found ${await rowCount(page, selector)} `
      + `(status: "${status}", form error: "${formError}")\n  ${problems.join('\n  ')}`);
  }
}

describe('the lab page in Chromium', () => {
  let work;
  let siteRoot;
  let server = null;
  let openServer = null;
  let context = null;
  let validateResults;
  let nativeFile;
  let native;

  before(async () => {
    const missing = [];
    if (!existsSync(chromiumPath)) missing.push(`${chromiumPath} (apt-get install chromium)`);
    if (!existsSync(nativeBinary)) missing.push(`${nativeBinary} (cmake --preset native && cmake --build --preset native)`);
    if (missing.length) assert.fail(`cannot run the browser test, missing:\n  ${missing.join('\n  ')}`);
    work = mkdtempSync(join(tmpdir(), 'parlab-e2e-'));
    siteRoot = join(work, 'site');
    buildSite({ outDir: siteRoot }); // throws a clear message when the wasm build or Chart.js is missing
    validateResults = makeValidator();

    nativeFile = join(work, 'native.json');
    await promisify(execFile)(nativeBinary, [
      'sweep', '--workload', 'primes', '--shape', 'chunked', '--n', String(SWEEP.n), '--chunks', String(SWEEP.chunks),
      '--modes', 'sequential,threads,processes', '--workers', SWEEP.workers.join(','), '--out', nativeFile,
    ], { timeout: 120_000 });
    native = JSON.parse(readFileSync(nativeFile, 'utf8'));

    server = await startServer({ root: siteRoot, port: 0 });
    openServer = await startServer({ root: siteRoot, port: 0, isolated: false });
    const { chromium } = require('playwright-core');
    context = await chromium.launchPersistentContext(join(work, 'profile'), {
      executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS, acceptDownloads: true,
    });
  });

  after(async () => {
    if (context) await context.close().catch(() => {});
    for (const s of [server, openServer]) {
      if (s) await new Promise((r) => s.close(r));
    }
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('the native sweep file is valid and its runs agree', () => {
    const errors = validateResults(native);
    assert.equal(errors, null, `native.json does not match the schema:\n  ${errors}`);
    assert.equal(native.environment.target, 'native');
    assert.ok(native.runs.length >= 5, `native sweep has ${native.runs.length} runs`);
    const sums = new Set(native.runs.map((r) => r.checksum));
    assert.equal(sums.size, 1, `native checksums differ: ${[...sums].join(', ')}`);
  });

  test('isolated: a threads + processes sweep, charts, comparison and export', async () => {
    const page = await context.newPage();
    const problems = watchPage(page);
    try {
      await page.goto(`http://127.0.0.1:${server.address().port}/`);
      await waitForReady(page, problems);
      assert.equal(await page.evaluate(() => self.crossOriginIsolated), true, 'page is cross-origin isolated');
      assert.match(await page.locator('#hw-concurrency').textContent(), /\d/);

      await setField(page, '#workload', 'primes');
      await setField(page, '#param-shape', 'chunked');
      await setField(page, '#param-n', SWEEP.n);
      await setField(page, '#param-chunks', SWEEP.chunks);
      for (const mode of ['sequential', 'threads', 'processes']) {
        const box = page.locator(`input[name="sweep-mode"][value="${mode}"]`);
        if (await box.count()) await box.setChecked(SWEEP.modes.includes(mode));
      }
      await setField(page, '#sweep-workers', SWEEP.workers.join(','));
      const before = await rowCount(page, '#runs-table tr.run-row');
      await page.click('#sweep');
      const expected = before + SWEEP.modes.length * SWEEP.workers.length;
      await waitForRows(page, '#runs-table tr.run-row', expected, problems);
      await page.waitForFunction(() => !document.getElementById('sweep').disabled, null, { timeout: 30_000 })
        .catch(() => {});

      for (const id of ['timeline-chart', 'speedup-chart']) {
        const state = await chartState(page, id);
        assert.ok(state.exists, `#${id} exists`);
        assert.ok(state.datasets > 0 || state.painted, `#${id} has drawn: ${JSON.stringify(state)}`);
      }

      await page.setInputFiles('#upload', nativeFile);
      await waitForRows(page, '#comparison-table tr.comparison-row', 1, problems, 30_000);
      const uploadStatus = await page.locator('#upload-status').textContent();
      assert.ok(uploadStatus.trim().length > 0, 'upload status says something');

      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.click('#export')]);
      assert.equal(download.suggestedFilename(), 'parlab-browser-results.json');
      const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
      const errors = validateResults(exported);
      assert.equal(errors, null, `the exported file does not match the schema:\n  ${errors}`);
      assert.equal(exported.environment.target, 'wasm');
      assert.equal(exported.environment.cross_origin_isolated, true);
      const swept = exported.runs.filter((r) => r.workload === 'primes' && r.params.shape === 'chunked'
        && r.params.n === SWEEP.n && r.params.chunks === SWEEP.chunks);
      assert.equal(swept.length, expected - before, `exported ${swept.length} sweep runs`);
      for (const mode of SWEEP.modes) {
        for (const workers of SWEEP.workers) {
          const run = swept.find((r) => r.mode === mode && r.workers === workers);
          assert.ok(run, `the export has ${mode} x${workers}`);
          assert.equal(run.ok, true, `${mode} x${workers}: ${run.error}`);
          assert.equal(run.complete, true, `${mode} x${workers} complete`);
          assert.equal(run.checksum, native.runs[0].checksum, `${mode} x${workers} checksum matches native`);
          assert.equal(new Set(run.tasks.map((t) => t.id)).size, SWEEP.chunks, `${mode} x${workers}: each task once`);
          assert.ok(new Set(run.tasks.map((t) => t.worker)).size <= workers);
        }
      }
      assert.deepEqual(problems.filter((p) => p.startsWith('page error')), [], 'no uncaught page errors');
    } finally {
      await page.close().catch(() => {});
    }
  });

  /// Starts a long download run, presses Stop once a task has finished, and returns the exported run.
  async function runAndStop(port, mode) {
    const page = await context.newPage();
    const problems = watchPage(page);
    try {
      await page.goto(`http://127.0.0.1:${port}/`);
      await waitForReady(page, problems);
      await setField(page, '#workload', 'download');
      await setField(page, '#param-count', 200);
      await setField(page, '#param-latency_ms', 100);
      await setField(page, '#mode', mode);
      await setField(page, '#workers', 2);
      const before = await rowCount(page, '#runs-table tr.run-row');
      await page.click('#run');
      await page.waitForFunction(() => {
        const bar = document.getElementById('progress');
        return !document.getElementById('stop').disabled && bar && bar.value > 0;
      }, null, { timeout: 60_000, polling: 50 });
      await page.click('#stop');
      await waitForRows(page, '#runs-table tr.run-row', before + 1, problems, 60_000);
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.click('#export')]);
      const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
      assert.equal(validateResults(exported), null);
      const runs = exported.runs.filter((r) => r.workload === 'download' && r.mode === mode);
      assert.ok(runs.length >= 1, `the export has the stopped ${mode} run`);
      return runs[runs.length - 1];
    } finally {
      await page.close().catch(() => {});
    }
  }

  test('Stop ends a threads run early (isolated: through the shared cancel cell)', async () => {
    const run = await runAndStop(server.address().port, 'threads');
    assert.equal(run.ok, true, run.error || '');
    assert.equal(run.complete, false);
    assert.ok(run.tasks_done >= 1 && run.tasks_done < run.task_count, `${run.tasks_done} of ${run.task_count} done`);
  });

  test('Stop ends a processes run early (not isolated: the workers are terminated)', async () => {
    const run = await runAndStop(openServer.address().port, 'processes');
    assert.equal(run.ok, true, run.error || '');
    assert.equal(run.complete, false);
    assert.ok(run.tasks_done >= 1 && run.tasks_done < run.task_count, `${run.tasks_done} of ${run.task_count} done`);
    assert.equal(run.tasks.length, run.tasks_done);
  });

  test('not isolated: the page says so and processes mode still runs', async () => {
    const page = await context.newPage();
    const problems = watchPage(page);
    try {
      await page.goto(`http://127.0.0.1:${openServer.address().port}/`);
      await waitForReady(page, problems);
      assert.equal(await page.evaluate(() => self.crossOriginIsolated), false);
      const coi = await page.locator('#coi-status').textContent();
      assert.match(coi, /not/i, `#coi-status: "${coi}"`);
      const threadsDisabled = await page.locator('#mode option[value="threads"]').evaluate((o) => o.disabled);
      assert.equal(threadsDisabled, true, 'threads mode is unavailable without isolation');

      await setField(page, '#workload', 'factorials');
      await setField(page, '#param-repeat', 10);
      await setField(page, '#mode', 'processes');
      await setField(page, '#workers', 2);
      const before = await rowCount(page, '#runs-table tr.run-row');
      await page.click('#run');
      await waitForRows(page, '#runs-table tr.run-row', before + 1, problems, 60_000);
      const row = (await page.locator('#runs-table tr.run-row').last().textContent()) || '';
      assert.match(row, /processes/, `the new row is a processes run: "${row}"`);
      // Sequential without the pthread build: the JS task driver inside the lab worker.
      await setField(page, '#mode', 'sequential');
      await page.waitForFunction(() => !document.getElementById('run').disabled, null, { timeout: 30_000 });
      await page.click('#run');
      await waitForRows(page, '#runs-table tr.run-row', before + 2, problems, 60_000);

      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.click('#export')]);
      const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
      assert.equal(validateResults(exported), null);
      assert.equal(exported.environment.cross_origin_isolated, false);
      const run = exported.runs.find((r) => r.mode === 'processes' && r.workload === 'factorials');
      assert.ok(run && run.ok && run.complete, `processes run: ${JSON.stringify(run && { ok: run.ok, error: run.error })}`);
      assert.equal(run.workers, 2);
      const sequential = exported.runs.find((r) => r.mode === 'sequential' && r.workload === 'factorials');
      assert.ok(sequential && sequential.ok && sequential.complete, 'the sequential run completed');
      assert.equal(sequential.checksum, run.checksum, 'sequential and processes agree');
      assert.deepEqual(problems.filter((p) => p.startsWith('page error')), [], 'no uncaught page errors');
    } finally {
      await page.close().catch(() => {});
    }
  });
});
