// Results from elsewhere in the page: Google Benchmark JSON that parlab_bench writes in this run, a hyperfine 1.x
// file that Debian's hyperfine writes in this run, and a 2.x file in hyperfine's documented form are uploaded;
// their runs appear mapped onto the lab's workloads, modes and workers, and join the comparison table; a broken
// file is refused with the format, line and column, and what was loaded stays. Structure only, no timings.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { openPage, runOnce, startLab } from './helpers.mjs';

const run = promisify(execFile);
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const nativeDir = process.env.PARLAB_NATIVE_DIR ? resolve(process.env.PARLAB_NATIVE_DIR) : join(repoRoot, 'build', 'native');
const bench = join(nativeDir, 'parlab_bench');
const parlab = join(nativeDir, 'parlab');
const PRIMES = { shape: 'chunked', n: 2000000, chunks: 64 }; // what parlab_bench's lab/primes benchmarks run

/// The runs table as rows of cell texts: {source, workload, params, mode, workers, wall, checksum, outcome}.
const runsTable = (page) => page.evaluate(() => [...document.querySelectorAll('#runs-table tr.run-row')].map((tr) => {
  const c = [...tr.cells].map((td) => td.textContent);
  return { source: c[0], workload: c[1], params: c[2], mode: c[3], workers: Number(c[4]), wall: c[5], checksum: c[7], outcome: c[8] };
}));

async function upload(page, file, kind) {
  await page.evaluate(() => { document.getElementById('upload-status').dataset.kind = 'pending'; });
  await page.setInputFiles('#upload', file);
  await page.waitForFunction(() => ['ok', 'error'].includes(document.getElementById('upload-status').dataset.kind), null, { timeout: 30_000 });
  const status = await page.locator('#upload-status').textContent();
  assert.equal(await page.evaluate(() => document.getElementById('upload-status').dataset.kind), kind, status);
  return status;
}

describe('uploading results from Google Benchmark and hyperfine', () => {
  let lab;
  let gbFile;
  let hf1File;
  let hf2File;
  let badFile;
  let gbReport;

  before(async () => {
    assert.ok(existsSync(bench), `${bench} is missing: build it (bash scripts/build.sh; it needs libbenchmark-dev)`);
    assert.ok(existsSync(parlab), `${parlab} is missing: build it (bash scripts/build.sh)`);
    lab = await startLab('parlab-import-');
    // parlab_bench: lab primes, sequential and threads at 1 and 2 workers, plus one benchmark that is no lab run.
    const { stdout } = await run(bench, [
      '--benchmark_filter=^(lab/primes/[^/]*/(sequential|threads)/workers:[12]/|thread_pool/empty_task/threads:1/)',
      '--benchmark_min_time=0.001', '--benchmark_format=json',
    ], { timeout: 300_000, maxBuffer: 16 << 20 });
    gbReport = JSON.parse(stdout.replace(/\b(-?Infinity|NaN)\b/g, 'null'));
    assert.ok(gbReport.benchmarks.some((b) => b.name.startsWith('lab/')),
      `${bench} has no lab/ benchmarks: it was built before native/bench.cpp ran the lab's workloads; rebuild it (bash scripts/build.sh)`);
    gbFile = join(lab.work, 'gb.json');
    writeFileSync(gbFile, stdout);
    // Debian's hyperfine (1.x) timing two parlab runs of one command.
    hf1File = join(lab.work, 'hf1.json');
    await run('hyperfine', ['--runs', '2', '--style', 'none', '--export-json', hf1File,
      `${parlab} run --workload primes --shape chunked --n 20000 --chunks 4 --mode threads --workers 2`], { timeout: 120_000 })
      .catch((error) => assert.fail(`hyperfine could not run (apt-get install hyperfine): ${error.message}`));
    // hyperfine 2.x, in its documented form (schema_version 2, per-measurement quantities).
    hf2File = join(lab.work, 'hf2.json');
    const measurement = (s) => ({ time_wall_clock: { value: s, unit: 'second' }, memory_peak_resident: { value: 4e6, unit: 'byte' }, exit_code: 0 });
    writeFileSync(hf2File, JSON.stringify({
      schema_version: 2,
      metadata: { hyperfine_version: '2.0.0', start_time: '2026-11-23T11:00:00Z', platform: { os: 'linux', architecture: 'x86_64' } },
      primary_metric: 'time_wall_clock',
      results: [{
        command: 'parlab run --workload primes --shape chunked --n 20000 --chunks 4 --mode processes --workers 2',
        name: 'processes', measurements: [measurement(0.05), measurement(0.06)], parameters: {},
      }],
    }, null, 2));
    badFile = join(lab.work, 'broken-gb.json');
    writeFileSync(badFile, stdout.replace(/("iterations": \d+),/, '$1'));
  });

  after(async () => {
    await lab?.close();
  });

  test('parlab_bench, hyperfine 1.x and 2.x files load mapped; a broken one is refused and nothing is lost', async () => {
    const { page, problems } = await openPage(lab);
    try {
      // One browser run of the same workload as parlab_bench's, so that the comparison has a browser side.
      const browser = await runOnce(page, { workload: 'primes', params: PRIMES, mode: 'sequential', workers: 1 }, 180_000);
      assert.match(browser.status, /^Done/, browser.status);

      const gbStatus = await upload(page, gbFile, 'ok');
      assert.match(gbStatus, /read as Google Benchmark JSON/);
      const lab1 = (await runsTable(page)).filter((r) => r.source === 'native (uploaded: gb.json)');
      assert.equal(lab1.length, gbReport.benchmarks.length, `one run per benchmark: ${JSON.stringify(lab1)}`);
      const mapped = lab1.filter((r) => r.workload === 'primes');
      assert.deepEqual(mapped.map((r) => `${r.mode}/${r.workers}`).sort(), ['sequential/1', 'threads/1', 'threads/2']);
      for (const r of mapped) {
        assert.equal(r.params, 'shape=chunked, n=2000000, chunks=64');
        assert.equal(r.checksum, '142913828922', 'the checksum counters rebuild the 64-bit checksum');
        assert.equal(r.outcome, 'ok');
      }
      const other = lab1.find((r) => r.workload === 'google-benchmark: thread_pool/empty_task');
      assert.ok(other, 'a benchmark that is no lab run is its own series');
      assert.equal(other.mode, 'external');

      // The comparison: browser / native for primes sequential 1 worker (the default baseline is the upload).
      const comparison = () => page.evaluate(() => ({
        head: [...document.querySelectorAll('#comparison-table thead th')].map((th) => th.textContent),
        rows: [...document.querySelectorAll('#comparison-table tr.comparison-row')].map((tr) => ({
          cells: [...tr.cells].map((td) => td.textContent),
          ratios: [...tr.querySelectorAll('td[data-ratio]')].map((td) => [td.dataset.source, Number(td.dataset.ratio)]),
        })),
      }));
      const first = await comparison();
      const seqRow = first.rows.find((r) => r.cells[0] === 'primes' && r.cells[2] === 'sequential' && r.cells[3] === '1');
      assert.ok(seqRow, `a comparison row for primes sequential x1: ${JSON.stringify(first)}`);
      assert.equal(first.head[4], 'native (uploaded: gb.json) s');
      assert.equal(seqRow.ratios.length, 1);
      assert.equal(seqRow.ratios[0][0], 'browser');
      assert.ok(seqRow.ratios[0][1] > 0, 'a positive browser / native ratio');

      const hf1Status = await upload(page, hf1File, 'ok');
      assert.match(hf1Status, /read as hyperfine 1\.x JSON/);
      const hf1Runs = (await runsTable(page)).filter((r) => r.source === 'native (uploaded: hf1.json)');
      assert.equal(hf1Runs.length, 2, 'one run per hyperfine time');
      for (const r of hf1Runs) {
        assert.deepEqual([r.workload, r.params, r.mode, r.workers], ['primes', 'shape=chunked, n=20000, chunks=4', 'threads', 2]);
      }

      const hf2Status = await upload(page, hf2File, 'ok');
      assert.match(hf2Status, /read as hyperfine 2\.x JSON/);
      const hf2Runs = (await runsTable(page)).filter((r) => r.source === 'native (uploaded: hf2.json)');
      assert.deepEqual(hf2Runs.map((r) => [r.workload, r.mode, r.workers, r.wall]), [['primes', 'processes', 2, '0.050'], ['primes', 'processes', 2, '0.060']]);

      // Three sets now compare against the one chosen: choose the browser.
      const options = await page.locator('#compare-baseline option').allTextContents();
      assert.deepEqual(options, ['browser', 'native (uploaded: gb.json)', 'native (uploaded: hf1.json)', 'native (uploaded: hf2.json)']);
      await page.selectOption('#compare-baseline', 'browser');
      const byBrowser = await comparison();
      assert.equal(byBrowser.head[4], 'browser s');
      const againstBrowser = byBrowser.rows.find((r) => r.cells[0] === 'primes' && r.cells[2] === 'sequential' && r.cells[3] === '1');
      assert.ok(againstBrowser.ratios.some(([source]) => source === 'native (uploaded: gb.json)'), JSON.stringify(byBrowser));

      const before = (await runsTable(page)).length;
      const badStatus = await upload(page, badFile, 'error');
      assert.match(badStatus, /broken-gb\.json is not valid JSON \(it looks like Google Benchmark JSON\): line \d+, column \d+: expected ',' or '}'/);
      assert.match(badStatus, /Nothing already loaded was changed/);
      assert.equal((await runsTable(page)).length, before, 'the runs loaded before are all still there');
      assert.deepEqual(problems.filter((p) => p.startsWith('page error')), [], 'no uncaught page errors');
    } finally {
      await page.close().catch(() => {});
    }
  });

  // views.renderEnvironmentTable: one column per set, this browser included.
  test('the environments of every set side by side', async () => {
    const { page } = await openPage(lab);
    try {
      await upload(page, gbFile, 'ok');
      await upload(page, hf2File, 'ok');
      await page.waitForSelector('#environment-table', { state: 'visible', timeout: 10_000 });
      const table = await page.evaluate(() => ({
        head: [...document.querySelectorAll('#environment-table thead th')].map((th) => th.textContent),
        rows: Object.fromEntries([...document.querySelectorAll('#environment-body tr.environment-row')]
          .map((tr) => [tr.dataset.field, [...tr.cells].slice(1).map((td) => td.textContent)])),
      }));
      assert.deepEqual(table.head, ['field', 'browser', 'native (uploaded: gb.json)', 'native (uploaded: hf2.json)']);
      assert.deepEqual(table.rows.target, ['wasm', 'native', 'native']);
      assert.equal(table.rows.logical_cpus[1], String(gbReport.context.num_cpus));
      assert.equal(table.rows.os[2], 'linux x86_64');
      assert.equal(table.rows.cross_origin_isolated[0], 'yes');
    } finally {
      await page.close().catch(() => {});
    }
  });
});
