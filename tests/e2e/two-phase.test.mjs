// The two-phase job panel (CV factory) in headless Chromium: both phases run as ordinary runs of one job, the
// render checksums agree with a sequential job's, and the summary, log and merged timeline are filled.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { exportedRuns, openPage, startLab } from './helpers.mjs';

const JOB_TIMEOUT_MS = 180_000; // a busy 2-core machine

/// Fills the panel, runs the job and waits for it to end; returns the panel's state and status line.
async function runJob(page, { gather, render }) {
  await page.evaluate(({ g, r }) => {
    const set = (id, value) => {
      const el = document.getElementById(id);
      el.value = String(value);
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
    };
    set('tp-count', 4);
    set('tp-latency', 50);
    set('tp-size', 60);
    set('tp-gather-mode', g.mode);
    set('tp-gather-workers', g.workers);
    set('tp-render-mode', r.mode);
    set('tp-render-workers', r.workers);
    document.getElementById('two-phase').dataset.state = 'pending';
  }, { g: gather, r: render });
  await page.click('#tp-run');
  await page.waitForFunction(() => ['done', 'error'].includes(document.getElementById('two-phase').dataset.state),
    null, { timeout: JOB_TIMEOUT_MS, polling: 100 });
  return {
    state: await page.getAttribute('#two-phase', 'data-state'),
    status: await page.textContent('#tp-status'),
    summary: await page.$$eval('#tp-summary-body tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent))),
    log: await page.$$eval('#tp-log-body tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent))),
  };
}

describe('the two-phase job panel', () => {
  let lab;
  let page;
  let problems;

  before(async () => {
    lab = await startLab('parlab-two-phase-');
    ({ page, problems } = await openPage(lab, { isolated: true }));
  });

  after(async () => {
    await page?.close().catch(() => {});
    if (lab) await lab.close();
  });

  test('threads x4 then processes x2 give the sequential job\'s checksums, tables and one timeline', async () => {
    const reference = await runJob(page, { gather: { mode: 'sequential', workers: 1 }, render: { mode: 'sequential', workers: 1 } });
    assert.equal(reference.state, 'done', `${reference.status}\n  ${problems.join('\n  ')}`);
    const job = await runJob(page, { gather: { mode: 'threads', workers: 4 }, render: { mode: 'processes', workers: 2 } });
    assert.equal(job.state, 'done', `${job.status}\n  ${problems.join('\n  ')}`);

    // Summary: gather, render, total; the modes as chosen; the checksums equal the sequential job's.
    assert.deepEqual(job.summary.map((r) => r[0]), ['1 gather', '2 render', 'total']);
    assert.deepEqual(job.summary.slice(0, 2).map((r) => [r[1], r[2]]), [['threads', '4'], ['processes', '2']]);
    assert.equal(job.summary[0][5], reference.summary[0][5], 'gather checksum');
    assert.equal(job.summary[1][5], reference.summary[1][5], 'render checksum');
    assert.match(job.summary[1][5], /^\d+$/);
    const total = Number(job.summary[2][4]);
    assert.ok(Math.abs(total - Number(job.summary[0][4]) - Number(job.summary[1][4])) < 0.002, 'total = sum of phases');

    // Log: 4 tasks per phase, render after gather on the job's time axis.
    assert.equal(job.log.length, 8);
    assert.deepEqual(job.log.map((r) => r[0]), ['gather', 'gather', 'gather', 'gather', 'render', 'render', 'render', 'render']);
    const gatherEnd = Number(job.summary[0][4]);
    for (const row of job.log.slice(4)) assert.ok(Number(row[2]) >= gatherEnd - 0.001, `render starts after gather: ${row}`);
    assert.ok(job.log.slice(0, 4).every((r) => /^\d+(\.\d)$/.test(r[7])), `gather rows show the wasm memory: ${job.log[0]}`);

    // The timeline shows the merged job: rows of both phases.
    const caption = await page.textContent('#timeline-caption');
    assert.match(caption, /two-phase job cv-/);

    // Both phases are ordinary runs of one job in the export.
    const runs = (await exportedRuns(page)).filter((r) => r.workload === 'cv');
    assert.equal(runs.length, 4);
    const [gather, render] = runs.slice(2);
    assert.equal(gather.job.id, render.job.id);
    assert.deepEqual([gather.job.phase, render.job.phase, render.job.phases], [1, 2, 2]);
    assert.deepEqual([gather.params.phase, render.params.phase], ['gather', 'render']);
    assert.equal(render.checksum, runs[1].checksum);
    assert.ok(gather.tasks.every((t) => t.phase === 'gather' && t.wait_s >= 0.04), 'gather tasks waited the latency');
    assert.deepEqual(problems, []);
  });

  test('in processes mode (JavaScript drives the tasks) the gather tasks are recorded and drawn as waits', async () => {
    const job = await runJob(page, { gather: { mode: 'processes', workers: 2 }, render: { mode: 'processes', workers: 2 } });
    assert.equal(job.state, 'done', `${job.status}\n  ${problems.join('\n  ')}`);
    const [gather, render] = (await exportedRuns(page)).filter((r) => r.workload === 'cv').slice(-2);
    assert.deepEqual([gather.mode, render.mode], ['processes', 'processes']);
    assert.equal(gather.tasks.length, 4);
    assert.ok(gather.tasks.every((t) => t.phase === 'gather' && t.wait_s >= 0.04), `gather tasks are waits: ${JSON.stringify(gather.tasks[0])}`);
    assert.ok(render.tasks.every((t) => t.phase === 'render'), 'render tasks are the render phase');
    assert.ok([...gather.tasks, ...render.tasks].every((t) => Number.isInteger(t.rss_kib) && t.rss_kib > 0), 'each task records its worker\'s memory');
    assert.ok(job.log.slice(0, 4).every((r) => /^\d+(\.\d)$/.test(r[7])), `gather rows show the wasm memory: ${job.log[0]}`);

    // The merged timeline draws a latency bar for each gather task.
    const latency = await page.evaluate(() => Chart.getChart(document.getElementById('timeline-chart')).data.datasets
      .find((d) => /latency/.test(d.label))?.data.length ?? 0);
    assert.equal(latency, 4, 'one wait bar per gather task');
    assert.deepEqual(problems, []);
  });
});
