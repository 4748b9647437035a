// The copy card (lesson 14) in Chromium and Firefox: real files in the Origin Private File System, copied by process
// workers; the card reaches a verdict, every run's checksum is the native program's for the same files, the picture has
// its table, nothing is left in the origin's storage, and the other modes are refused with the core's message. Never timed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { copyPlan } from '../../web/site/experiments.js';
import { describeInBrowsers, newLabPage, openCardPage, runOnce, waitForReady } from './browsers.mjs';

const root = resolve(fileURLToPath(new URL('../../', import.meta.url)));
const parlab = process.env.PARLAB_NATIVE_BIN ? resolve(process.env.PARLAB_NATIVE_BIN) : join(root, 'build', 'native', 'parlab');
const CARD = '#card-copy';
const CARD_TIMEOUT_MS = 300_000;

/// The native program's checksum of a copy run with these files (a sequential run; every mode gives the same).
function nativeChecksum(files, fileMib) {
  assert.ok(existsSync(parlab), `${parlab} is missing: build it first (scripts/build.sh)`);
  const dir = mkdtempSync(join(tmpdir(), 'parlab-copy-e2e-'));
  try {
    const out = join(dir, 'copy.json');
    const child = spawnSync(parlab, ['run', '--workload', 'copy', '--files', String(files), '--file-mib', String(fileMib), '--mode', 'sequential', '--out', out],
      { encoding: 'utf8', timeout: 60_000, env: { ...process.env, TMPDIR: dir } });
    assert.equal(child.status, 0, child.stderr);
    return String(JSON.parse(readFileSync(out, 'utf8')).runs[0].checksum);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/// The names at the top of this origin's Origin Private File System.
const opfsNames = (page) => page.evaluate(async () => {
  const dir = await navigator.storage.getDirectory();
  const names = [];
  for await (const name of dir.keys()) names.push(name);
  return names;
});

describeInBrowsers('the copy card', { timeout: 900_000, sitePrefix: 'parlab-copy-' }, (name, env) => {
  let page;
  let problems;

  before(async () => {
    ({ page, problems } = await openCardPage(env.browser, env.site.url(true), 'copy'));
  });

  after(async () => {
    await page?.close().catch(() => {});
  });

  test(`${name}: the card runs to a verdict; every run copies the native program's bytes; nothing is left behind`, async () => {
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    const plan = copyPlan(cores);
    const expected = nativeChecksum(plan.files, plan.fileMib);
    await page.click(`${CARD} input[name="predict-copy"][value="faster"]`);
    await page.click(`${CARD} .card-run`);
    await page.waitForFunction((sel) => ['done', 'error', 'stopped'].includes(document.querySelector(sel).dataset.state), { timeout: CARD_TIMEOUT_MS, polling: 200 }, CARD);
    const card = await page.$eval(CARD, (c) => ({
      state: c.dataset.state, status: c.querySelector('.card-status').textContent, verdict: c.querySelector('.card-verdict').textContent,
      measured: c.querySelector('.card-measured').textContent, picture: !c.querySelector('.card-picture').hidden,
      tableRows: c.querySelectorAll('.card-picture table tbody tr').length,
    }));
    assert.equal(card.state, 'done', `${card.status}\n  ${problems.join('\n  ')}`);
    assert.match(card.verdict, /^You predicted: /, card.verdict);
    assert.doesNotMatch(card.verdict, /a run failed/, card.verdict);
    assert.match(card.measured, new RegExp(`${plan.files} files of ${plan.fileMib} MiB: 1 process worker .+, ${plan.workers} process workers`), card.measured);
    assert.ok(card.picture && card.tableRows > 0, 'a picture with its data table');
    // The runs table: 2 jobs x 3 repeats, each with the native checksum.
    const rows = await page.$$eval('#runs-table tr.run-row', (trs) => trs.map((tr) => ({ workload: tr.cells[1].textContent, mode: tr.cells[3].textContent, workers: tr.cells[4].textContent, checksum: tr.cells[7].textContent })));
    const copies = rows.filter((r) => r.workload.startsWith('copy'));
    assert.equal(copies.length, 6, JSON.stringify(rows));
    for (const r of copies) {
      assert.ok(r.mode.startsWith('processes'), JSON.stringify(r));
      assert.ok(r.checksum.includes(expected), `checksum ${r.checksum} is the native ${expected}`);
    }
    assert.deepEqual((await opfsNames(page)).filter((n) => n.startsWith('parlab-')), [], 'the runs removed their folders');
    env.figures.push(`${name} copy card (${cores} CPUs): ${card.measured} ${card.verdict}`);
    assert.deepEqual(problems, []);
  });

  test(`${name}: the workbench refuses copy outside processes mode with the core's message, and runs it in processes`, async () => {
    const { page: bench, problems: benchProblems } = await newLabPage(env.browser, env.site.url(true));
    try {
      await waitForReady(bench, benchProblems);
      const job = { workload: 'copy', params: { files: 2, file_mib: 1 } };
      for (const mode of ['threads', 'sequential']) {
        const status = await runOnce(bench, { ...job, mode, workers: 2 });
        assert.match(status, new RegExp(`runs only in processes mode in the browser, not in ${mode} mode`), status);
        assert.match(status, /opens only asynchronously/, status);
      }
      const done = await runOnce(bench, { ...job, mode: 'processes', workers: 2 });
      assert.match(done, /^Done/, `${done}\n  ${benchProblems.join('\n  ')}`);
      assert.ok(done.includes(nativeChecksum(2, 1)), `${done} carries the native checksum`);
      assert.deepEqual((await opfsNames(bench)).filter((n) => n.startsWith('parlab-')), []);
    } finally {
      await bench.close().catch(() => {});
    }
  });
});
