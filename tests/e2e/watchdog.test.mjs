// The page never waits silently: a lab worker that never becomes ready, and runs whose workers stop answering
// (forced with the page's test-only ?test-hang=), end in one line, what finished kept, every worker ended, and a
// button that starts a fresh lab worker. Also the bounds themselves (web/site/watchdog.js), on a fake clock.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  RunWatchdog, READY_TIMEOUT_MS, STALL_GAP_FACTOR, STALL_MIN_MS, estimatedTaskMs, stallBoundMs,
} from '../../web/site/watchdog.js';
import { loadPageLabInfo } from '../web/lab-info.mjs';
import { exportedRuns, liveWorkers, runOnce, settleWorkers, startLab, waitForReady, watchPage } from './helpers.mjs';

await loadPageLabInfo(); // modes.js: which modes start process workers, as the page learns it at ready

const small = { workload: 'primes', params: { shape: 'chunked', n: 200000, chunks: 8 } };
const CHECKSUM_200000 = '1709600813';

describe('the bounds', () => {
  test('a stall bound never drops below the minimum and grows with the work of one task', () => {
    assert.equal(stallBoundMs({ params: small.params, mode: 'threads', workers: 2 }), STALL_MIN_MS);
    const slow = { workload: 'download', count: 2, latency_ms: 9000, jitter_ms: 1000, work_kib: 0 };
    assert.ok(stallBoundMs({ params: slow, mode: 'threads', workers: 2 }) > 10_000, 'a 10 s download gets more than 10 s');
    assert.ok(estimatedTaskMs({ workload: 'primes', inputs: [100000000] }) > estimatedTaskMs({ workload: 'primes', inputs: [1000000] }));
    assert.ok(stallBoundMs({ params: small.params, mode: 'processes', workers: 16 }) > stallBoundMs({ params: small.params, mode: 'processes', workers: 1 }),
      'processes mode allows for starting each process worker');
    assert.equal(stallBoundMs({ params: small.params }, { longestGapMs: 3000 }), STALL_GAP_FACTOR * 3000, 'a run that was slow before gets longer');
  });

  test('the run watchdog fires once, after its bound of silence, and a sign of progress resets it', () => {
    let t = 0;
    const stalls = [];
    const dog = new RunWatchdog({ params: small.params, mode: 'threads', workers: 2 }, (silent, bound) => stalls.push([silent, bound]),
      { now: () => t, checkMs: 3_600_000 });
    try {
      t = STALL_MIN_MS - 1;
      assert.equal(dog.check(), false);
      dog.sign(); // progress: counting starts again, and the bound grows to 4x this gap only if that is longer
      t += STALL_MIN_MS;
      assert.equal(dog.check(), false);
      t += STALL_GAP_FACTOR * STALL_MIN_MS;
      assert.equal(dog.check(), true);
      assert.equal(stalls.length, 1);
      assert.ok(stalls[0][0] > stalls[0][1], 'silent longer than the bound');
      assert.equal(dog.check(), false, 'fires once');
    } finally {
      dog.stop();
    }
  });
});

describe('the page never waits silently', () => {
  let lab;

  before(async () => {
    lab = await startLab('parlab-watchdog-');
  });

  after(async () => {
    if (lab) await lab.close();
  });

  /// Opens the page with a test hook; waits for the lab worker unless told not to.
  async function open(hang, { isolated = true, ready = true } = {}) {
    const page = await lab.context.newPage();
    const { problems } = watchPage(page);
    await page.goto(`${lab.url(isolated)}?test-hang=${hang}`);
    if (ready) await waitForReady(page, problems);
    return { page, problems };
  }

  const freshButton = (page) => page.locator('#fresh-worker');
  const statusText = (page) => page.locator('#status').textContent();

  test('a lab worker that never answers init: one line within the bound, no worker left, and a fresh one on request', async () => {
    const { page, problems } = await open('init', { ready: false });
    try {
      await page.waitForFunction(() => document.getElementById('status').dataset.kind === 'error', null,
        { timeout: READY_TIMEOUT_MS + 10_000, polling: 100 });
      const status = await statusText(page);
      assert.match(status, new RegExp(`did not become ready within ${READY_TIMEOUT_MS / 1000} s`), status);
      assert.equal(status.split('\n').length, 1, 'one line');
      assert.equal(await freshButton(page).isVisible(), true, 'the button is offered');
      assert.notEqual(await page.evaluate(() => document.body.dataset.ready), 'true');
      assert.equal(await settleWorkers(page, 0), 0, 'the stuck lab worker was ended');
      await freshButton(page).click();
      await waitForReady(page, problems);
      assert.equal(await freshButton(page).isVisible(), false);
      const { status: done } = await runOnce(page, { ...small, mode: 'threads', workers: 2 });
      assert.match(done, new RegExp(`^Done.*${CHECKSUM_200000}`), done);
    } finally {
      await page.close();
    }
  });

  test('a process worker that never answers its task: the run stalls, its finished tasks are kept, every worker ends', async () => {
    for (const isolated of [true, false]) {
      const { page } = await open('task', { isolated });
      try {
        const { status } = await runOnce(page, { ...small, mode: 'processes', workers: 2 }, 60_000);
        assert.match(status, /^Stalled: .*the run stalled: no task finished and no worker answered for [\d.]+ s \(this run's bound: [\d.]+ s\); kept 7\/8 finished tasks/, status);
        assert.ok(Number(status.match(/bound: ([\d.]+) s/)[1]) >= STALL_MIN_MS / 1000, 'never below the minimum');
        assert.equal(await freshButton(page).isVisible(), true, 'the button is offered');
        assert.equal(await settleWorkers(page, 0), 0, 'the lab worker and its process workers were ended');
        const [run] = (await exportedRuns(page)).slice(-1);
        assert.equal(run.ok, false);
        assert.equal(run.complete, false);
        assert.equal(run.tasks.length, 7, 'the finished tasks, with their details');
        assert.match(run.error, /^the run stalled/);
        await freshButton(page).click();
        await page.waitForFunction(() => document.getElementById('status').dataset.kind === 'done', null, { timeout: 30_000, polling: 50 });
        const next = await runOnce(page, { ...small, mode: 'processes', workers: 2 });
        assert.match(next.status, new RegExp(`^Done.*${CHECKSUM_200000}`), next.status);
        assert.ok(liveWorkers(page) >= 1, 'a fresh lab worker runs');
      } finally {
        await page.close();
      }
    }
  });

  test('a lab worker that never answers a run: the run stalls and the page ends the lab worker with every thread', async () => {
    const { page } = await open('run');
    try {
      const { status } = await runOnce(page, { ...small, mode: 'threads', workers: 2 }, 60_000);
      assert.match(status, /^Stalled: .*the run stalled: .*kept 0\/8 finished tasks.*Start a fresh lab worker/, status);
      assert.equal(await settleWorkers(page, 0), 0, 'the lab worker and its 16 pthreads were ended');
      // Run also starts a fresh lab worker, without the button.
      const next = await runOnce(page, { ...small, mode: 'threads', workers: 2 });
      assert.match(next.status, new RegExp(`^Done.*${CHECKSUM_200000}`), next.status);
      assert.equal(await freshButton(page).isVisible(), false);
    } finally {
      await page.close();
    }
  });
});
