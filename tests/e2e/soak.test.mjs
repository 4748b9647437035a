// Soak: 200 small back-to-back runs across the three modes on one page. After each, the number of live Web Workers
// returns to the page's baseline (no worker is left behind), and the page's JS heap does not keep growing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { liveWorkers, openPage, runOnce, settleWorkers, startLab, warmWorkers } from './helpers.mjs';

const RUNS = Number(process.env.PARLAB_SOAK_RUNS || 200);
const MODES = ['sequential', 'threads', 'processes'];
const JOBS = [
  { workload: 'primes', params: { shape: 'inputs', inputs: '20000,30000' } },
  { workload: 'factorials', params: { inputs: '10,20', repeat: 2 } },
  { workload: 'download', params: { count: 2, latency_ms: 1, jitter_ms: 0, work_kib: 1 } },
];
const HEAP_GROWTH_FACTOR = 1.5; // median of the last quarter of samples against the first quarter, plus the slack below
const HEAP_SLACK_BYTES = 4 * 1024 * 1024;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
};

describe('soak', () => {
  let lab;

  before(async () => {
    lab = await startLab('parlab-soak-');
  });

  after(async () => {
    if (lab) await lab.close();
  });

  test(`${RUNS} back-to-back runs across modes: workers return to baseline, the heap stays flat`, async (t) => {
    const { page, problems } = await openPage(lab);
    const cdp = await page.context().newCDPSession(page);
    const heapUsed = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize;
    };
    try {
      await runOnce(page, { ...JOBS[0], mode: 'threads', workers: 2 }); // the pthread pool is up
      const base = await settleWorkers(page, -1, 1000); // settles on whatever it is after 1 s
      assert.ok(base >= 1, 'the lab worker is live');
      const heap = [];
      let peakWorkers = 0;
      const started = Date.now();
      for (let i = 0; i < RUNS; i++) {
        const mode = MODES[i % MODES.length];
        const job = JOBS[Math.floor(i / MODES.length) % JOBS.length];
        const workers = 1 + (i % 2);
        const { status } = await runOnce(page, { ...job, mode, workers }, 30_000);
        assert.match(status, /^Done/, `run ${i} (${mode}, ${job.workload}): ${status}\n  ${problems.join('\n  ')}`);
        peakWorkers = Math.max(peakWorkers, liveWorkers(page));
        // Process workers kept warm between runs are live too; they must not pile up (at most the largest run's).
        const kept = await warmWorkers(page);
        assert.ok(kept <= 2, `${kept} process workers kept warm after runs of at most 2`);
        const live = await settleWorkers(page, base + kept, 3000);
        assert.equal(live, base + kept, `after run ${i} (${mode}, ${workers} workers): ${live} live workers, baseline ${base} and ${kept} kept warm`);
        // Runs are kept by design (the table); clear them so that only leaks could make the heap grow.
        await page.click('#clear-runs');
        if (i % 2 === 1) heap.push(await heapUsed()); // a forced GC per sample costs time: every other run

      }
      const window = Math.max(1, Math.floor(heap.length / 4));
      const first = median(heap.slice(0, window));
      const last = median(heap.slice(-window));
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      t.diagnostic(`${RUNS} runs in ${seconds} s; workers: baseline ${base}, peak seen ${peakWorkers}; heap median of the first ${window} samples ${(first / 1e6).toFixed(2)} MB, of the last ${window} ${(last / 1e6).toFixed(2)} MB`);
      assert.ok(last <= first * HEAP_GROWTH_FACTOR + HEAP_SLACK_BYTES, `the heap grew from ${first} to ${last} bytes`);
      assert.deepEqual(problems.filter((p) => p.startsWith('page error')), [], 'no uncaught page errors');
    } finally {
      await cdp.detach().catch(() => {});
      await page.close();
    }
  });
});
