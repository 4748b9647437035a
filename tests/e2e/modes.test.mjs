// The two modes that model Python's concurrency in headless Chromium: threads-gil (threads under a simulated
// interpreter lock, pthread build only) and async (one thread, an event loop: in wasm when isolated, on the lab
// worker's own event loop otherwise). Checks shapes, never speed.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { exportedRuns, openPage, runOnce, setRun, startLab } from './helpers.mjs';

const DOWNLOAD = { workload: 'download', params: { count: 8, latency_ms: 30, jitter_ms: 0 } };
const RUN_TIMEOUT_MS = 120_000;

/// Checks the sweep boxes of `modes` and unchecks the others.
async function chooseSweepModes(page, modes) {
  await page.evaluate((wanted) => {
    for (const box of document.querySelectorAll('input[name="sweep-mode"]')) {
      box.checked = wanted.includes(box.value);
      box.dispatchEvent(new Event('change', { bubbles: true }));
    }
  }, modes);
}

async function setValue(page, selector, value) {
  await page.evaluate(([sel, v]) => {
    const el = document.querySelector(sel);
    el.value = String(v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }, [selector, value]);
}

const rowCount = (page) => page.locator('#runs-table tr.run-row').count();

/// The time intervals of a run's tasks: [{owner, from, to}] for computations (after the wait).
const computations = (run) => run.tasks.map((t) => ({ owner: t.id, from: t.start_s + t.wait_s, to: t.end_s }));
function overlaps(stretches) {
  const sorted = [...stretches].sort((a, b) => a.from - b.from);
  for (let i = 0; i + 1 < sorted.length; i += 1) {
    for (let j = i + 1; j < sorted.length && sorted[j].from < sorted[i].to - 1e-6; j += 1) {
      if (sorted[j].owner !== sorted[i].owner) return true;
    }
  }
  return false;
}

describe('threads-gil and async in the page', () => {
  let lab;

  before(async () => {
    lab = await startLab('parlab-modes-');
  });

  after(async () => {
    if (lab) await lab.close();
  });

  test('isolated: a threads-gil + async sweep of downloads (workers 1,4) adds its rows', async () => {
    const { page, problems } = await openPage(lab, { isolated: true });
    try {
      for (const mode of ['threads-gil', 'async']) {
        assert.equal(await page.locator(`#mode option[value="${mode}"]`).evaluate((o) => o.disabled), false, `${mode} is offered`);
      }
      await setRun(page, { ...DOWNLOAD, mode: 'threads-gil', workers: 1 });
      assert.equal(await page.locator('#switch-interval-field').isVisible(), true, 'the switch interval shows for threads-gil');
      await setValue(page, '#switch-interval-ms', 2);
      await chooseSweepModes(page, ['threads-gil', 'async']);

      // Worker counts: past the pool's 64 only async may go (up to 256); the message names the bound.
      await setValue(page, '#sweep-workers', '1,65');
      const before = await rowCount(page);
      await page.click('#sweep');
      await page.waitForFunction(() => document.getElementById('form-error').textContent.length > 0, null, { timeout: 10_000 });
      assert.match(await page.locator('#form-error').textContent(), /65.*threads-gil.*1 to 64/);
      assert.equal(await rowCount(page), before, 'nothing ran');

      await setValue(page, '#sweep-workers', '1,4');
      await page.click('#sweep');
      await page.waitForFunction((n) => document.querySelectorAll('#runs-table tr.run-row').length >= n
        && !document.getElementById('sweep').disabled, before + 4, { timeout: RUN_TIMEOUT_MS, polling: 100 });
      assert.equal(await page.locator('#form-error').textContent(), '');
      const modesShown = await page.locator('#runs-table tr.run-row td:nth-child(4)').allTextContents();
      assert.equal(modesShown.filter((m) => m.startsWith('threads-gil')).length, 2, `rows: ${modesShown.join(' | ')}`);
      assert.equal(modesShown.filter((m) => m === 'async').length, 2, `rows: ${modesShown.join(' | ')}`);

      // The timeline of a threads-gil run draws who holds the lock.
      await page.locator('#runs-table tr.run-row', { hasText: 'threads-gil' }).first().locator('button').click();
      const labels = await page.evaluate(() => Chart.getChart(document.getElementById('timeline-chart')).data.datasets.map((d) => d.label));
      assert.ok(labels.some((l) => /holds the lock/.test(l)) && labels.includes('waiting for the lock'), labels.join(', '));

      const runs = await exportedRuns(page);
      const swept = runs.filter((r) => r.mode === 'threads-gil' || r.mode === 'async');
      assert.equal(swept.length, 4);
      const checksums = new Set(swept.map((r) => r.checksum));
      assert.equal(checksums.size, 1, `every run has the same checksum: ${[...checksums]}`);
      for (const run of swept) {
        const label = `${run.mode} x${run.workers}`;
        assert.equal(run.ok, true, `${label}: ${run.error}`);
        assert.equal(run.complete, true, label);
        assert.equal(run.tasks.length, 8, label);
        if (run.mode === 'threads-gil') {
          assert.equal(run.switch_interval_ms, 2, `${label}: the page's switch interval reached the worker`);
          assert.ok(run.tasks.every((t) => Array.isArray(t.held)), `${label}: tasks say when they held the lock`);
        } else {
          assert.equal(new Set(run.tasks.map((t) => t.thread)).size, 1, `${label}: one thread`);
          assert.equal(overlaps(computations(run)), false, `${label}: computations one at a time`);
        }
      }
      assert.deepEqual(problems.filter((p) => p.startsWith('page error')), [], 'no uncaught page errors');
    } finally {
      await page.close().catch(() => {});
    }
  });

  test('not isolated: threads-gil is disabled with the reason, async runs on the JS event loop', async () => {
    const { page, problems } = await openPage(lab, { isolated: false });
    try {
      const option = await page.locator('#mode option[value="threads-gil"]').evaluate((o) => ({ disabled: o.disabled, text: o.textContent }));
      assert.equal(option.disabled, true, 'threads-gil needs the pthread build');
      assert.match(option.text, /unavailable: needs a cross-origin isolated page/);
      assert.equal(await page.locator('input[name="sweep-mode"][value="threads-gil"]').isDisabled(), true);
      assert.equal(await page.locator('input[name="sweep-mode"][value="async"]').isDisabled(), false);

      const { status } = await runOnce(page, { ...DOWNLOAD, mode: 'async', workers: 4 }, RUN_TIMEOUT_MS);
      assert.match(status, /^Done/, `${status}\n  ${problems.join('\n  ')}`);
      const { status: seqStatus } = await runOnce(page, { ...DOWNLOAD, mode: 'sequential', workers: 1 }, RUN_TIMEOUT_MS);
      assert.match(seqStatus, /^Done/, seqStatus);

      const runs = await exportedRuns(page);
      const run = runs.find((r) => r.mode === 'async');
      const sequential = runs.find((r) => r.mode === 'sequential');
      assert.ok(run && run.ok && run.complete, `async run: ${JSON.stringify(run && { ok: run.ok, error: run.error })}`);
      assert.equal(run.workers, 4);
      assert.equal(run.checksum, sequential.checksum, 'async and sequential agree');
      for (const t of run.tasks) {
        assert.equal(t.pid, 0);
        assert.equal(t.thread, 0);
        assert.ok(t.worker >= 0 && t.worker < 4);
      }
      assert.equal(overlaps(computations(run)), false, 'computations one at a time');
      assert.deepEqual(problems.filter((p) => p.startsWith('page error')), [], 'no uncaught page errors');
    } finally {
      await page.close().catch(() => {});
    }
  });
});
