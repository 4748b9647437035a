// Uploaded parlab-mpi results in Chromium and Firefox (PARLAB_BROWSERS picks them): the MPI card's own Upload takes
// tests/fixtures/mpi-primes-3hosts.json (a constructed file: 1 and 4 worker ranks over 3 hosts, ranks placed
// round-robin by node), the card judges it and draws each timeline with a row per rank, the ranks of one host
// together; the Workbench's timeline of the uploaded run does the same (again after a reload, from IndexedDB), its
// table names host and rank, and the set is named for its job. Structure only, never timed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { describeInBrowsers, openCardPage, waitForReady } from './browsers.mjs';

const FIXTURE = fileURLToPath(new URL('../fixtures/mpi-primes-3hosts.json', import.meta.url));
const PARLAB_MPI = fileURLToPath(new URL('../../build/native/parlab-mpi', import.meta.url));

/// A real file: `mpirun -np 3 parlab-mpi run` on this machine (2 worker ranks, one host), written once for both browsers.
const real = (() => {
  let path = null;
  return () => {
    if (path) return path;
    const dir = mkdtempSync(join(tmpdir(), 'parlab-mpi-e2e-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    path = join(dir, 'mpi-real.json');
    const env = { ...process.env, OMPI_ALLOW_RUN_AS_ROOT: '1', OMPI_ALLOW_RUN_AS_ROOT_CONFIRM: '1', OMPI_MCA_rmaps_base_oversubscribe: '1' };
    const done = spawnSync('mpirun', ['-np', '3', PARLAB_MPI, 'run', '--workload', 'primes', '--shape', 'chunked', '--chunks', '8', '--out', path], { env, encoding: 'utf8', timeout: 120_000 });
    assert.equal(done.status, 0, `mpirun -np 3 parlab-mpi run: ${done.stdout}${done.stderr}`);
    return path;
  };
})();
const CARD = '#card-mpi-hosts';
// The fixture's 4-rank run: ranks 1..4 on node-b, node-c, node-a, node-b; by host in order of first rank.
const BY_HOST = ['node-b · rank 1', 'node-b · rank 4', 'node-c · rank 2', 'node-a · rank 3'];

describeInBrowsers('uploaded MPI results', { timeout: 300_000, sitePrefix: 'parlab-mpi-' }, (name, env) => {
  let page;
  let problems;

  before(async () => {
    ({ page, problems } = await openCardPage(env.browser, env.site.url(true), 'mpi-hosts'));
  });

  after(async () => {
    await page?.close().catch(() => {});
  });

  test(`${name}: the card takes the file, judges it and draws its timelines by host`, async () => {
    const input = await page.$(`${CARD} input.card-upload`);
    await input.uploadFile(FIXTURE);
    await page.waitForFunction((sel) => ['ok', 'error'].includes(document.querySelector(`${sel} .card-upload-status`).dataset.kind), { timeout: 30_000 }, CARD);
    const uploaded = await page.$eval(`${CARD} .card-upload-status`, (p) => ({ kind: p.dataset.kind, text: p.textContent }));
    assert.equal(uploaded.kind, 'ok', uploaded.text);
    assert.match(uploaded.text, /Loaded 2 runs from mpi-primes-3hosts\.json as “mpi, 3 hosts \(uploaded: mpi-primes-3hosts\.json\)”/);

    await page.click(`${CARD} input[name="predict-mpi-hosts"][value="scales"]`);
    await page.click(`${CARD} .card-run`);
    await page.waitForFunction((sel) => ['done', 'error'].includes(document.querySelector(sel).dataset.state), { timeout: 60_000 }, CARD);
    const card = await page.$eval(CARD, (c) => ({
      state: c.dataset.state, verdict: c.dataset.verdict, status: c.querySelector('.card-status').textContent,
      measured: c.querySelector('.card-measured').textContent,
      timelines: [...c.querySelectorAll('.card-timeline canvas')].map((canvas) => ({ job: canvas.dataset.job, labels: globalThis.Chart?.getChart(canvas)?.data.labels ?? null })),
      cells: [...c.querySelectorAll('.card-timeline tbody tr')].map((tr) => tr.cells[1]?.textContent),
      speedup: [...c.querySelectorAll('.card-speedup canvas')].map((canvas) => globalThis.Chart?.getChart(canvas)?.data.datasets.length ?? 0),
    }));
    assert.equal(card.state, 'done', `${card.status}\n  ${problems.join('\n  ')}`);
    assert.equal(card.verdict, 'scales', card.measured);
    assert.match(card.measured, /1 worker rank \(1 host\) .*; 4 worker ranks \(3 hosts\) .*×/);
    assert.deepEqual(card.timelines.map((t) => t.job), ['r1', 'r4']);
    assert.deepEqual(card.timelines[0].labels, ['node-b · rank 1']);
    assert.deepEqual(card.timelines[1].labels, BY_HOST);
    assert.ok(card.cells.includes('3 (node-b · rank 4)'), `the table names host and rank: ${card.cells.slice(0, 5)}`);
    assert.ok(card.speedup.length === 1 && card.speedup[0] >= 3, 'a speed-up chart with the runs, the bound and the prediction');
  });

  test(`${name}: the Workbench draws the uploaded 4-rank run by host and names the set for its job`, async () => {
    const shown = await page.evaluate(() => {
      const row = [...document.querySelectorAll('#runs-table tr.run-row.uploaded')].find((tr) => tr.cells[4].textContent === '4');
      row?.querySelector('button')?.click();
      return row ? row.cells[0].textContent : null;
    });
    assert.equal(shown, 'mpi, 3 hosts (uploaded: mpi-primes-3hosts.json)');
    await page.waitForFunction(() => globalThis.Chart?.getChart('timeline-chart')?.data.labels.length === 4, { timeout: 10_000 });
    const timeline = await page.evaluate(() => ({
      labels: globalThis.Chart.getChart('timeline-chart').data.labels,
      axis: globalThis.Chart.getChart('timeline-chart').options.scales.y.title.text,
      caption: document.getElementById('timeline-caption')?.textContent ?? '',
      cells: [...document.querySelectorAll('#timeline-data tr')].map((tr) => tr.cells[1]?.textContent),
      environment: document.querySelector('#environment-body tr[data-field="mpi"]')?.textContent ?? '',
      modes: [...document.querySelectorAll('#mode option')].map((o) => o.value),
    }));
    assert.deepEqual(timeline.labels, BY_HOST);
    assert.equal(timeline.axis, 'host · MPI rank');
    assert.equal(timeline.cells.length, 16);
    assert.ok(timeline.cells.every((c) => /^\d \(node-[abc] · rank \d\)$/.test(c)), timeline.cells.join(', '));
    assert.match(timeline.environment, /node-a: 0, 3; node-b: 1, 4; node-c: 2/);
    // The free-run form still offers only the modes the page runs.
    assert.ok(timeline.modes.length > 0 && !timeline.modes.includes('mpi'), timeline.modes.join(', '));
    assert.deepEqual(problems, []);
  });

  test(`${name}: after a reload (the runs kept in IndexedDB) the run's tasks still name their ranks and hosts`, async () => {
    await page.reload();
    await waitForReady(page, problems);
    await page.waitForFunction(() => document.querySelectorAll('#runs-table tr.run-row.uploaded').length === 2, { timeout: 10_000 });
    await page.evaluate(() => {
      [...document.querySelectorAll('#runs-table tr.run-row.uploaded')].find((tr) => tr.cells[4].textContent === '4').querySelector('button').click();
    });
    await page.waitForFunction(() => globalThis.Chart?.getChart('timeline-chart')?.data.labels.length === 4, { timeout: 10_000 });
    assert.deepEqual(await page.evaluate(() => globalThis.Chart.getChart('timeline-chart').data.labels), BY_HOST);
  });

  test(`${name}: a file with a task that names no host is refused, and what was loaded stays`, async () => {
    const bad = JSON.parse(readFileSync(FIXTURE, 'utf8'));
    delete bad.runs[1].tasks[5].host;
    const message = await page.evaluate(async (text) => {
      const input = document.querySelector('#card-mpi-hosts input.card-upload');
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], 'bad-mpi.json', { type: 'application/json' }));
      input.files = transfer.files;
      input.dispatchEvent(new Event('change'));
      const status = input.parentElement.querySelector('.card-upload-status');
      for (let i = 0; i < 200 && status.dataset.kind !== 'error'; i++) await new Promise((r) => setTimeout(r, 50));
      return { kind: status.dataset.kind, text: status.textContent };
    }, JSON.stringify(bad));
    assert.equal(message.kind, 'error', message.text);
    assert.match(message.text, /bad-mpi\.json: runs\[1\]\.tasks\[5\]\.host must be/);
    const rows = await page.$$eval('#runs-table tr.run-row.uploaded', (trs) => trs.length);
    assert.equal(rows, 2, 'the file loaded before is still there');
  });

  test(`${name}: a file parlab-mpi wrote here uploads and draws one row per rank of its host`, async () => {
    const path = real();
    const file = JSON.parse(readFileSync(path, 'utf8'));
    const host = file.environment.mpi.hosts[0].host;
    const input = await page.$(`${CARD} input.card-upload`);
    await input.uploadFile(path);
    await page.waitForFunction((sel) => /mpi-real\.json/.test(document.querySelector(`${sel} .card-upload-status`).textContent), { timeout: 30_000 }, CARD);
    const uploaded = await page.$eval(`${CARD} .card-upload-status`, (p) => ({ kind: p.dataset.kind, text: p.textContent }));
    assert.equal(uploaded.kind, 'ok', uploaded.text);
    assert.match(uploaded.text, /mpi, 1 host/);
    await page.evaluate(() => {
      [...document.querySelectorAll('#runs-table tr.run-row.uploaded')].find((tr) => tr.cells[0].textContent.includes('mpi-real.json')).querySelector('button').click();
    });
    await page.waitForFunction(() => globalThis.Chart?.getChart('timeline-chart')?.data.labels.length === 2, { timeout: 10_000 });
    assert.deepEqual(await page.evaluate(() => globalThis.Chart.getChart('timeline-chart').data.labels), [`${host} · rank 1`, `${host} · rank 2`]);
  });
});
