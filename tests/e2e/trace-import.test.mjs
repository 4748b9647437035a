// Trace import in the page: Chromium records a trace of itself loading the lab and running a run (Playwright's
// browser.startTracing/stopTracing), the file is uploaded through the Workbench's Upload, and the trace view draws a
// timeline whose rows are named from the trace's own process_name/thread_name metadata, with its wall time. The same
// file is uploaded in each browser of the suite (PARLAB_BROWSERS: chromium, firefox), and a hostile trace (HTML in
// names, unmatched B/E) is shown as text with its notes. Structure only, no timings.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { axeViolations, browserNames, launchBrowser, newLabPage, textOf, uploadFile, waitForReady } from './browsers.mjs';
import { openPage, runOnce, startLab } from './helpers.mjs';

/// The labels the page must give rows, from the file's own metadata: "process (pid P) · thread (tid T)".
function metadataNames(trace) {
  const processes = new Map();
  const threads = new Map();
  for (const e of trace.traceEvents) {
    if (e.ph !== 'M' || typeof e.args?.name !== 'string') continue;
    if (e.name === 'process_name') processes.set(e.pid, e.args.name);
    if (e.name === 'thread_name') threads.set(`${e.pid}/${e.tid}`, e.args.name);
  }
  return { processes, threads };
}

/// Uploads `file` on the page and waits for the upload's status line; returns {kind, status}.
async function upload(page, file) {
  await page.evaluate(() => { document.getElementById('upload-status').dataset.kind = 'pending'; });
  await uploadFile(page, '#upload', file);
  await page.waitForFunction(() => ['ok', 'error'].includes(document.getElementById('upload-status').dataset.kind), { timeout: 60_000 });
  return { kind: await page.$eval('#upload-status', (el) => el.dataset.kind), status: await textOf(page, '#upload-status') };
}

/// What the trace view shows: its caption, notes, the chart's labels and bar count (Chart.js's own instance), and
/// the table's thread column.
const traceView = (page) => page.evaluate(() => {
  const chart = globalThis.Chart?.getChart(document.getElementById('trace-chart'));
  return {
    hidden: document.getElementById('trace-view').hidden,
    caption: document.getElementById('trace-caption').textContent,
    notes: [...document.querySelectorAll('#trace-notes li')].map((li) => li.textContent),
    labels: chart ? [...chart.data.labels] : null,
    bars: chart ? chart.data.datasets.reduce((n, d) => n + d.data.length, 0) : 0,
    tableThreads: [...document.querySelectorAll('#trace-data tr.data-row')].map((tr) => tr.cells[0].textContent),
    injected: document.querySelectorAll('#trace-view img, #trace-view script').length,
  };
});

describe('a trace recorded by Chromium uploads and draws', { timeout: 900_000 }, () => {
  let lab;
  let traceFile;
  let hostileFile;
  let names;

  before(async () => {
    lab = await startLab('parlab-trace-');
    traceFile = join(lab.work, 'chromium-trace.json');
    await lab.browser.startTracing(undefined, { path: traceFile });
    const { page } = await openPage(lab);
    const run = await runOnce(page, { workload: 'primes', params: { shape: 'chunked', n: 20000, chunks: 4 }, mode: 'threads', workers: 2 }, 120_000);
    assert.match(run.status, /^Done/, run.status);
    await lab.browser.stopTracing();
    await page.close();
    const trace = JSON.parse(readFileSync(traceFile, 'utf8'));
    assert.ok(Array.isArray(trace.traceEvents) && trace.traceEvents.length > 0, 'Chromium wrote a trace with events');
    names = metadataNames(trace);
    assert.ok(names.threads.size > 0, 'the recorded trace names its threads');
    hostileFile = join(lab.work, 'hostile-trace.json');
    writeFileSync(hostileFile, JSON.stringify({ traceEvents: [
      { ph: 'M', name: 'thread_name', pid: 1, tid: 1, args: { name: '<img src=x onerror="document.title=1">' } },
      { ph: 'X', name: '<script>document.title=2</script>', pid: 1, tid: 1, ts: 0, dur: 5 },
      { ph: 'E', pid: 1, tid: 1, ts: 9 },
      { ph: 'B', name: 'open', pid: 1, tid: 1, ts: 10 },
    ] }));
  });

  after(async () => {
    await lab?.close();
  });

  for (const name of browserNames()) {
    test(`${name}: the timeline draws with rows named from the trace's metadata; a hostile trace stays text`, async () => {
      const browser = await launchBrowser(name);
      try {
        const { page, problems } = await newLabPage(browser, lab.url());
        await waitForReady(page, problems);
        const { kind, status } = await upload(page, traceFile);
        assert.equal(kind, 'ok', status);
        assert.match(status, /^Loaded the trace chromium-trace\.json: \d+ threads, wall time \d+\.\d{3} s, shown below\.$/);
        const view = await traceView(page);
        assert.equal(view.hidden, false);
        assert.match(view.caption, /^Trace chromium-trace\.json: wall time \d+\.\d{3} s \(its first event's start to its last event's end\)/);
        assert.ok(view.labels && view.labels.length > 0, `the chart has rows: ${JSON.stringify(view)}`);
        assert.ok(view.bars > 0, 'the chart draws bars');
        // Every row is named from the file's metadata where the file names it, and the renderer's main thread is one.
        for (const label of view.labels) {
          const [, pid, tid] = /\(pid ([^)]+)\) · .* \(tid ([^)]+)\)$/.exec(label) ?? [];
          assert.ok(pid !== undefined, `row label "${label}" names its pid and tid`);
          const process = names.processes.get(Number(pid));
          const thread = names.threads.get(`${pid}/${tid}`);
          assert.equal(label, `${process ?? 'process'} (pid ${pid}) · ${thread ?? 'thread'} (tid ${tid})`);
        }
        assert.ok(view.labels.some((l) => / · CrRendererMain \(tid /.test(l)), `a renderer main thread row: ${view.labels.join(' | ')}`);
        assert.ok(view.tableThreads.length > 0 && view.tableThreads.every((t) => view.labels.includes(t)), 'the table lists the drawn rows');
        assert.ok(view.notes.some((n) => /events? of phases not drawn/.test(n)), `Chromium's other phases are summarised: ${view.notes.join(' | ')}`);
        assert.deepEqual(await axeViolations(page, '#trace-view', ['serious', 'critical']), [], 'the trace view, its table open, passes axe');

        const hostile = await upload(page, hostileFile);
        assert.equal(hostile.kind, 'ok', hostile.status);
        const shown = await traceView(page);
        assert.deepEqual(shown.labels, ['process (pid 1) · <img src=x onerror="document.title=1"> (tid 1)']);
        assert.equal(shown.injected, 0, 'names are text, never HTML');
        assert.equal(shown.tableThreads.length, 1);
        assert.ok(shown.notes.includes('1 B event never ended (not drawn).'), shown.notes.join(' | '));
        assert.ok(shown.notes.includes('1 E event had no B to close (not drawn).'), shown.notes.join(' | '));
        assert.notEqual(await page.title(), '1');
        assert.deepEqual(problems, []);
      } finally {
        await browser.close().catch(() => {});
      }
    });
  }
});
