// The Workbench's "Trace (Perfetto)" download in headless Chromium: disabled with nothing kept; after a processes
// run it downloads parlab-trace.json whose X events are that run's tasks, one each, on the process Web Workers.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';

import { exportedRuns, openPage, runOnce, startLab } from './helpers.mjs';

const TIMEOUT = 120_000;
const JOB = { workload: 'primes', params: { shape: 'chunked', n: '200000', chunks: '8' }, mode: 'processes', workers: 2 };

describe('trace download', { timeout: 600_000 }, () => {
  let lab;
  before(async () => {
    lab = await startLab('parlab-trace-');
  });
  after(async () => {
    await lab?.close();
  });

  test('a processes run downloads as a trace with one X event per task on the process Web Workers', { timeout: TIMEOUT * 2 }, async () => {
    const { page, problems } = await openPage(lab);
    await page.waitForSelector('body[data-history="ready"]', { state: 'attached', timeout: 30_000 });
    assert.equal(await page.locator('#trace-export').isDisabled(), true, 'nothing kept: nothing to trace');
    const done = await runOnce(page, JOB, TIMEOUT);
    assert.match(done.status, /checksum/, done.status);
    const [run] = await exportedRuns(page);
    assert.equal(run.tasks.length, 8);

    await page.waitForSelector('#trace-export:not([disabled])', { timeout: 10_000 });
    const [file] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.click('#trace-export')]);
    assert.equal(file.suggestedFilename(), 'parlab-trace.json');
    const trace = JSON.parse(readFileSync(await file.path(), 'utf8'));
    assert.equal(trace.displayTimeUnit, 'ms');
    const tasks = trace.traceEvents.filter((e) => e.ph === 'X' && e.args?.task !== undefined);
    assert.deepEqual(tasks.map((e) => e.args.task).sort((a, b) => a - b), run.tasks.map((t) => t.id).sort((a, b) => a - b));
    const names = new Map(trace.traceEvents.filter((e) => e.ph === 'M' && e.name === 'process_name').map((e) => [e.pid, e.args.name]));
    const pids = new Set(tasks.map((e) => e.pid));
    assert.ok(pids.size >= 2, `tasks on ${pids.size} pid(s)`);
    for (const e of tasks) assert.equal(names.get(e.pid), `run 1 · processes x2 · process Web Worker ${e.args.pid}`);
    assert.equal(await page.locator('#import-status').isHidden(), true, 'no error note');
    assert.deepEqual(problems, []);
    await page.close();
  });
});
