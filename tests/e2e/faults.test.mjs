// The page under faults and hostile input, in headless Chromium: workers that crash (the core's crash_task /
// crash_how, and errors injected into a worker), Stop in every mode (how fast every worker is gone), a strict
// Content-Security-Policy in every mode, and an uploaded file full of HTML and script.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { exportedRuns, liveWorkers, openPage, runOnce, setRun, settleWorkers, startLab, warmWorkers } from './helpers.mjs';

const HANG_GUARD_MS = 5000; // a stop that takes longer than this is a hang; the target is 200 ms
const small = { workload: 'primes', params: { shape: 'chunked', n: 200000, chunks: 8 } };
const CHECKSUM_200000 = '1709600813';

/// The page's baseline of live workers once idle: the lab worker, plus its pthread pool when isolated.
async function baseline(page) {
  let last = -1;
  for (let i = 0; i < 100; i++) {
    const now = liveWorkers(page);
    if (now === last && now > 0) return now;
    last = now;
    await new Promise((r) => setTimeout(r, 100));
  }
  return last;
}

/// Clicks Stop and measures, in the page, the ms until the page is idle with Run enabled again (-1: hang).
function stopAndMeasure(page) {
  return page.evaluate((guard) => new Promise((resolve) => {
    const run = document.getElementById('run');
    const t0 = performance.now();
    document.getElementById('stop').click();
    const check = () => {
      const elapsed = performance.now() - t0;
      if (!run.disabled && document.body.dataset.running === 'false') resolve(elapsed);
      else if (elapsed > guard) resolve(-1);
      else setTimeout(check, 1);
    };
    check();
  }), HANG_GUARD_MS);
}

describe('the page under faults', () => {
  let lab;
  const stopTimes = [];

  before(async () => {
    lab = await startLab('parlab-faults-');
  });

  after(async () => {
    if (stopTimes.length) console.log(`# Stop latencies (ms): ${stopTimes.join('; ')}`);
    if (lab) await lab.close();
  });

  test('a strict Content-Security-Policy, and no violation while running each mode', async (t) => {
    if (lab.server.csp.allowEval) {
      t.diagnostic("the wasm glue needs eval (linked without -sDYNAMIC_EXECUTION=0): the policy allows 'unsafe-eval'");
    }
    for (const isolated of [true, false]) {
      const { page, violations, problems } = await openPage(lab, { isolated });
      try {
        const modes = isolated ? ['sequential', 'threads', 'threads-gil', 'async', 'processes'] : ['sequential', 'async', 'processes'];
        for (const mode of modes) {
          const { status } = await runOnce(page, { ...small, mode, workers: 2 });
          assert.match(status, /^Done/, `${mode}: ${status}\n  ${problems.join('\n  ')}`);
          assert.match(status, new RegExp(CHECKSUM_200000), mode);
        }
        // The upload, the charts and the tables run under the policy too.
        assert.deepEqual(violations, [], `CSP violations in the console (isolated: ${isolated})`);
        assert.deepEqual(await page.evaluate(() => globalThis.__cspViolations), [], 'securitypolicyviolation events');
        const inline = await page.evaluate(() => ({
          scripts: [...document.querySelectorAll('script')].filter((s) => !s.src).length,
          styles: document.querySelectorAll('style, [style]').length,
          handlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).length,
        }));
        // Chart.js sizes its canvases through element.style (CSSOM, which the policy allows), not markup.
        assert.equal(inline.scripts, 0, 'no inline script');
        assert.equal(inline.handlers, 0, 'no inline event handler');
      } finally {
        await page.close();
      }
    }
    if (!lab.server.csp.allowEval) assert.doesNotMatch(lab.server.csp.policy, /'unsafe-eval'|'unsafe-inline'/);
  });

  test('an uploaded file with HTML and script in its strings shows them as text and runs nothing', async () => {
    const { page } = await openPage(lab);
    try {
      const payload = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
      const run = {
        workload: payload, params: { shape: payload, n: 200000 }, mode: 'threads', workers: 2, ok: false, complete: false,
        error: payload, started_at: payload, wall_s: 0.5, startup_s: 0, cpu_s: null, avg_task_s: null,
        hardware_concurrency: 2, task_count: 1, tasks_done: 1, checksum: '5',
        tasks: [{ id: 0, worker: 0, pid: 1, thread: 1, phase: 'compute', start_s: 0, end_s: 0.1, wait_s: 0, cpu_s: null, value: '5' }],
      };
      const file = {
        schema_version: 1, generator: payload, created: payload,
        environment: { target: 'native', os: payload, cpu_model: payload, logical_cpus: 2, compiler: payload, user_agent: payload, cross_origin_isolated: null },
        runs: [run, { ...run, ok: true, complete: true, error: null }],
      };
      const text = JSON.stringify(file).replace('{', '{"__proto__":{"polluted":1},');
      const good = join(lab.work, '<img src=x onerror=alert(1)>.json');
      writeFileSync(good, text);
      await page.setInputFiles('#upload', good);
      await page.waitForFunction(() => document.getElementById('upload-status').dataset.kind === 'ok', null, { timeout: 10_000 });
      const shown = await page.evaluate(() => ({
        pwned: window.__pwned, polluted: ({}).polluted,
        imgs: document.querySelectorAll('main img, table img, #upload-status img').length,
        scripts: [...document.querySelectorAll('script')].filter((s) => !s.src).length,
        rows: [...document.querySelectorAll('#runs-table tr.run-row')].map((r) => r.textContent),
        status: document.getElementById('upload-status').textContent,
      }));
      assert.equal(shown.pwned, undefined, 'no script ran');
      assert.equal(shown.polluted, undefined, 'Object.prototype untouched');
      assert.equal(shown.imgs, 0, 'no element made from the file');
      assert.equal(shown.scripts, 0);
      assert.equal(shown.rows.length, 2);
      assert.ok(shown.rows.every((r) => r.includes('<img src=x onerror="window.__pwned=1">')), `rows show the text: ${shown.rows[0]}`);
      assert.match(shown.status, /Loaded 2 runs from <img src=x onerror=alert\(1\)>\.json/);
      assert.match(shown.status, /ignored 1 key named __proto__/);

      // A bad file after it: refused with a message naming the field; what was loaded stays.
      const bad = join(lab.work, 'bad.json');
      writeFileSync(bad, JSON.stringify({ ...file, runs: [{ ...run, workers: 1e9 }] }));
      await page.setInputFiles('#upload', bad);
      await page.waitForFunction(() => document.getElementById('upload-status').dataset.kind === 'error', null, { timeout: 10_000 });
      assert.match(await page.locator('#upload-status').textContent(), /bad\.json: runs\[0\]\.workers must be a whole number from 1 to 256.*Nothing already loaded was changed/);
      assert.equal(await page.locator('#runs-table tr.run-row').count(), 2, 'the first file is still loaded');
      const deep = join(lab.work, 'deep.json');
      writeFileSync(deep, '['.repeat(200000));
      await page.setInputFiles('#upload', deep);
      await page.waitForFunction(() => /deep\.json nests/.test(document.getElementById('upload-status').textContent), null, { timeout: 10_000 });
      assert.equal(await page.locator('#runs-table tr.run-row').count(), 2);
    } finally {
      await page.close();
    }
  });

  test('a crashing task ends its run with an error naming the worker; the page runs again', async () => {
    for (const isolated of [true, false]) {
      const { page } = await openPage(lab, { isolated });
      try {
        const base = await baseline(page);
        const cases = isolated
          ? [['processes', 'abort', /process worker \d+: Aborted/], ['processes', 'exit', /process worker \d+: Program terminated with exit\(3\)/],
            ['processes', 'throw', /process worker \d+: crashed on purpose/], ['threads', 'throw', /task 3 .*failed: crashed on purpose/],
            ['threads', 'abort', /the lab worker failed/], ['threads', 'exit', /the lab worker failed: Program terminated with exit\(3\)/],
            ['sequential', 'abort', /the lab worker failed: Aborted/], ['sequential', 'throw', /crashed on purpose/]]
          : [['processes', 'abort', /process worker \d+: Aborted/], ['sequential', 'abort', /the lab worker failed: Aborted/],
            ['sequential', 'exit', /the lab worker failed: Program terminated/]];
        for (const [mode, how, expected] of cases) {
          const crash = await runOnce(page, { ...small, params: { ...small.params, crash_task: 3, crash_how: how }, mode, workers: 2 });
          assert.match(crash.status, /^Error/, `${mode} ${how}: ${crash.status}`);
          assert.match(crash.status, expected, `${mode} ${how}`);
          assert.doesNotMatch(crash.status, /unwind|ASSERTIONS/, `${mode} ${how}: a message for people`);
          assert.ok(crash.ms < 30_000, `${mode} ${how} ended promptly (${crash.ms} ms)`);
          const next = await runOnce(page, { ...small, mode: isolated ? 'threads' : 'sequential', workers: 2 });
          assert.match(next.status, new RegExp(`^Done.*${CHECKSUM_200000}`), `after ${mode} ${how}: ${next.status}`);
          assert.equal(await settleWorkers(page, base), base, `after ${mode} ${how}: back to ${base} workers`);
        }
        const runs = await exportedRuns(page);
        const failed = runs.filter((r) => !r.ok);
        assert.ok(failed.length >= cases.length - 2, `${failed.length} failed runs kept`);
        for (const r of failed) assert.match(r.error, /worker|crashed on purpose/, r.error);
      } finally {
        await page.close();
      }
    }
  });

  test('an error thrown inside a process worker or the lab worker ends the run and names it', async () => {
    const { page } = await openPage(lab);
    try {
      const base = await baseline(page);
      for (const [target, expected] of [['process-worker.js', /process worker \d+: .*injected fault/], ['lab-worker.js', /the lab worker failed: .*injected fault/]]) {
        await setRun(page, { workload: 'download', params: { count: 200, latency_ms: 50, jitter_ms: 0 }, mode: 'processes', workers: 2 });
        await page.click('#run');
        await page.waitForFunction(() => document.getElementById('progress').value > 0, null, { timeout: 20_000, polling: 20 });
        const worker = page.workers().find((w) => w.url().endsWith(target));
        assert.ok(worker, `a live ${target}`);
        await worker.evaluate(() => { setTimeout(() => { throw new Error('injected fault'); }, 0); });
        await page.waitForFunction(() => document.body.dataset.running === 'false', null, { timeout: HANG_GUARD_MS, polling: 10 });
        const status = await page.locator('#status').textContent();
        assert.match(status, expected, status);
        const next = await runOnce(page, { ...small, mode: 'processes', workers: 2 });
        assert.match(next.status, /^Done/, `after an error in ${target}: ${next.status}`);
        assert.match(next.status, /process workers started cold/, 'the failed run\'s workers were ended, none reused');
        const kept = await warmWorkers(page); // the next run's workers, kept warm for a later run
        assert.equal(kept, 2);
        assert.equal(await settleWorkers(page, base + kept), base + kept, `back to ${base} workers and the ${kept} kept warm`);
      }
    } finally {
      await page.close();
    }
  });

  test('Stop: every mode is idle again well within the hang guard, with the partial run kept', async (t) => {
    const long = { workload: 'primes', params: { shape: 'chunked', n: 100000000, chunks: 4 } }; // seconds per task
    const waiting = { workload: 'download', params: { count: 400, latency_ms: 100, jitter_ms: 0 } };
    for (const isolated of [true, false]) {
      const { page } = await openPage(lab, { isolated });
      try {
        const base = await baseline(page);
        const modes = isolated ? ['sequential', 'threads', 'threads-gil', 'async', 'processes'] : ['sequential', 'async', 'processes'];
        for (const mode of modes) {
          for (const [kind, job] of [['long tasks', long], ['latency', waiting]]) {
            await setRun(page, { ...job, mode, workers: 2 });
            await page.click('#run');
            await page.waitForFunction(() => document.body.dataset.running === 'true', null, { timeout: 10_000, polling: 10 });
            if (kind === 'latency') await page.waitForFunction(() => document.getElementById('progress').value > 0, null, { timeout: 20_000, polling: 10 });
            else await new Promise((r) => setTimeout(r, 700)); // the workers are in the middle of their tasks
            const ms = await stopAndMeasure(page);
            const label = `${isolated ? 'isolated' : 'not isolated'} ${mode} ${kind}`;
            stopTimes.push(`${label} ${ms.toFixed(0)}`);
            t.diagnostic(`${label}: idle ${ms.toFixed(1)} ms after Stop`);
            assert.ok(ms >= 0, `${label}: still running ${HANG_GUARD_MS} ms after Stop`);
            const status = await page.locator('#status').textContent();
            assert.match(status, /^Stopped/, `${label}: ${status}`);
            const workersLeft = await settleWorkers(page, base, 5000);
            assert.equal(workersLeft, base, `${label}: back to ${base} workers`);
          }
        }
        const runs = await exportedRuns(page);
        assert.ok(runs.length >= modes.length * 2);
        for (const r of runs) {
          assert.equal(r.ok, true, r.error ?? '');
          assert.equal(r.complete, false, `${r.mode} ${r.workload} marked incomplete`);
          assert.ok(r.tasks_done < r.task_count || r.task_count === 0);
        }
        const next = await runOnce(page, { ...small, mode: isolated ? 'threads' : 'processes', workers: 2 });
        assert.match(next.status, /^Done/, `the page runs again after Stop: ${next.status}`);
      } finally {
        await page.close();
      }
    }
  });
});
