// The overhead workload in the page: sequential, threads and processes (each task's items copied to a process
// worker and its results copied back) agree on the checksum; only processes report bytes moved. Never timed.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { exportedRuns, openPage, runOnce, startLab } from './helpers.mjs';

// The native build's checksum of these items (parlab run --workload overhead --items 3000 --item-bytes 40 --work 2).
const OVERHEAD_3000 = '2428160730770096439';
const PARAMS = { items: 3000, item_bytes: 40, work: 2, chunk: 7, seed: 1 };
const RUN_TIMEOUT_MS = 120_000;

describe('overhead workload in the page', () => {
  let lab;

  before(async () => {
    lab = await startLab('parlab-overhead-');
  });

  after(async () => {
    if (lab) await lab.close();
  });

  for (const isolated of [true, false]) {
    test(`${isolated ? 'isolated' : 'not isolated'}: sequential, threads and processes give one checksum`, async () => {
      const { page, problems } = await openPage(lab, { isolated });
      try {
        const modes = isolated ? [['sequential', 1], ['threads', 2], ['processes', 2]] : [['sequential', 1], ['processes', 2]];
        for (const [mode, workers] of modes) {
          const { status } = await runOnce(page, { workload: 'overhead', params: PARAMS, mode, workers }, RUN_TIMEOUT_MS);
          assert.doesNotMatch(status, /error|failed/i, `${mode}: ${status}`);
        }
        const runs = (await exportedRuns(page)).slice(-modes.length);
        for (const [k, [mode, workers]] of modes.entries()) {
          const run = runs[k];
          assert.equal(run.workload, 'overhead');
          assert.equal(run.mode, mode);
          assert.equal(run.ok, true, run.error || '');
          assert.equal(run.complete, true);
          assert.equal(run.task_count, 429);
          assert.equal(run.workers, workers);
          assert.equal(run.checksum, OVERHEAD_3000, mode);
          if (mode === 'processes') assert.equal(run.bytes_transferred, 3000 * (40 + 8), 'items out, results back');
          else assert.equal(run.bytes_transferred, undefined, `${mode} shares memory: nothing copied`);
        }
        assert.deepEqual(problems, []);
      } finally {
        await page.close();
      }
    });
  }
});
