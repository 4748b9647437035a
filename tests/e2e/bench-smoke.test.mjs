// parlab_bench runs and writes valid Google Benchmark JSON with the counters scripts/bench.mjs reads.
// Structure only: no timing is asserted (the machine may be busy; see docs/performance.md).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const nativeDir = process.env.PARLAB_NATIVE_DIR ? resolve(process.env.PARLAB_NATIVE_DIR) : join(repoRoot, 'build', 'native');
const bench = join(nativeDir, 'parlab_bench');

test('parlab_bench writes JSON with per-task and per-worker counters', { skip: existsSync(bench) ? false : `${bench} not built (needs Google Benchmark)` }, async () => {
  const filter = '^(thread_pool/empty_task/threads:1|thread_pool/round_trip/threads:1|threads_executor/empty_task/workers:1'
    + '|process_pool/round_trip/workers:1|process_pool/startup/workers:2|floor/[a-z_]+)/';
  const { stdout } = await promisify(execFile)(bench, [
    `--benchmark_filter=${filter}`, '--benchmark_min_time=0.001', '--benchmark_format=json',
  ], { timeout: 120_000, maxBuffer: 16 << 20 });
  const report = JSON.parse(stdout);
  assert.ok(report.context && typeof report.context.num_cpus === 'number', 'context names the machine');
  const byName = new Map(report.benchmarks.map((b) => [b.run_name, b]));
  // Each pool figure and the floor the harness divides it by (floor/*: the machine without the pools).
  for (const name of ['thread_pool/empty_task/threads:1/real_time', 'threads_executor/empty_task/workers:1/manual_time',
    'process_pool/round_trip/workers:1/manual_time', 'thread_pool/round_trip/threads:1/real_time',
    'floor/condvar_handover/real_time', 'floor/pipe_ping_pong/real_time', 'floor/task_clocks/real_time']) {
    const b = byName.get(name);
    assert.ok(b, `${name} ran (got ${[...byName.keys()].join(', ')})`);
    assert.equal(b.error_occurred ?? false, false, `${name}: ${b.error_message}`);
    assert.ok(Number.isFinite(b.per_task_us) && b.per_task_us > 0, `${name} has per_task_us`);
  }
  const startup = byName.get('process_pool/startup/workers:2/manual_time');
  assert.ok(startup, 'process_pool/startup/workers:2 ran');
  assert.equal(startup.error_occurred ?? false, false, startup.error_message);
  assert.equal(startup.workers, 2);
  assert.ok(Number.isFinite(startup.per_worker_us) && startup.per_worker_us > 0, 'startup has per_worker_us');
  const fork = byName.get('floor/fork_handshake/manual_time');
  assert.ok(fork, 'floor/fork_handshake ran');
  assert.equal(fork.error_occurred ?? false, false, fork.error_message);
  assert.ok(Number.isFinite(fork.per_worker_us) && fork.per_worker_us > 0, 'the fork floor has per_worker_us');
  assert.ok(Number.isFinite(fork.reap_us) && fork.reap_us > 0, 'the fork floor has reap_us');
});
