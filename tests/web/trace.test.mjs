// The wasm binding results_to_trace (the page's "Trace (Perfetto)" download) converts what Export builds: runs made
// by the wasm build itself (a sequential run in the core, a processes run through the page's process pool over
// Node "process workers"), a failed run the page kept, and an uploaded native set; bad input is refused in one line.
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { after, before, describe, test } from 'node:test';

import { buildExport } from '../../web/site/export.js';
import { AppState } from '../../web/site/state.js';
import { loadSingleThreaded, loadSiteScript, nodeProcessWorkerFactory, stageWasm, wasmBuildMissing } from './wasm-helpers.mjs';

const pool = loadSiteScript('process-pool.js');
const PARAMS = { workload: 'primes', shape: 'chunked', n: 60000, chunks: 12 };

describe('results_to_trace (wasm)', () => {
  let staged = null;
  let st = null;
  let state = null;
  let runs = [];

  before(async () => {
    const missing = wasmBuildMissing();
    if (missing) assert.fail(missing);
    staged = stageWasm();
    st = await loadSingleThreaded(staged.dir);
    const sequential = JSON.parse(st.run_json(JSON.stringify(PARAMS), 'sequential', 1));
    const processes = await pool.startProcessRun({
      createWorker: nodeProcessWorkerFactory(staged.dir), params: PARAMS, workers: 2, taskCount: 12,
      buildRun: (timings) => JSON.parse(st.build_run_json(JSON.stringify(PARAMS), 'processes', 2, timings)),
      hardwareConcurrency: availableParallelism(),
    }).result;
    assert.equal(processes.ok, true, processes.error || '');
    const failed = { ...sequential, ok: false, complete: false, error: 'the lab worker failed', wall_s: null, tasks: [], tasks_done: 0, checksum: '0' };
    runs = [sequential, processes, failed];
    state = new AppState();
    const group = state.beginBrowserGroup('sweep: 3 runs');
    for (const run of runs) state.addBrowserRun(run, group);
    state.addUploadedSet('native.json', {
      environment: { target: 'native', os: 'Linux', cpu_model: null, logical_cpus: 2, compiler: 'GCC', user_agent: null, cross_origin_isolated: null },
      generator: 'parlab 0.1.0', runs: [{ ...processes, tasks: processes.tasks.map((t) => ({ ...t, pid: 7000 + t.worker })) }],
    });
  });
  after(() => staged?.remove());

  test('every task of an exported run is one X event with its times, value and process', () => {
    const exported = buildExport(state, { environment: null });
    const trace = JSON.parse(st.results_to_trace(JSON.stringify(exported)));
    assert.equal(trace.displayTimeUnit, 'ms');
    assert.equal(trace.otherData.runs, 4);
    const processName = (pid) => trace.traceEvents.find((e) => e.ph === 'M' && e.name === 'process_name' && e.pid === pid)?.args.name;
    const threadName = (pid, tid) => trace.traceEvents.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === pid && e.tid === tid)?.args.name;
    const runSlices = trace.traceEvents.filter((e) => e.ph === 'X' && e.cat === 'run');
    assert.deepEqual(runSlices.map((e) => e.name), [
      'run 1: primes sequential x1 (sweep: 3 runs)', 'run 2: primes processes x2 (sweep: 3 runs)',
      'run 3: primes sequential x1 (sweep: 3 runs)', 'run 4: primes processes x2 (native.json)',
    ]);
    for (let i = 1; i < runSlices.length; i += 1) {
      assert.ok(runSlices[i].ts >= runSlices[i - 1].ts + runSlices[i - 1].dur, `run ${i + 1} starts after run ${i} ends`);
    }
    for (const [index, run] of runs.entries()) {
      const slice = runSlices[index];
      // The run's own events: those between its slice's start and the next run's.
      const end = runSlices[index + 1]?.ts ?? Infinity;
      const tasks = trace.traceEvents.filter((e) => e.ph === 'X' && e.args?.task !== undefined && e.ts >= slice.ts && e.ts < end);
      assert.equal(tasks.length, run.tasks.length, `run ${index + 1}: one X event per task`);
      for (const task of run.tasks) {
        const event = tasks.find((e) => e.args.task === task.id);
        assert.ok(event, `run ${index + 1} task ${task.id}`);
        assert.ok(Math.abs(event.ts - slice.ts - task.start_s * 1e6) < 0.002, 'ts');
        assert.ok(Math.abs(event.dur - (task.end_s - task.start_s) * 1e6) < 0.002, 'dur');
        assert.equal(event.args.value, task.value);
        assert.equal(event.args.phase, task.phase);
        assert.equal(event.args.pid, task.pid);
        assert.equal(threadName(event.pid, event.tid), `worker ${task.worker}`);
      }
      if (run.mode === 'processes') {
        const pids = new Set(tasks.map((e) => e.pid));
        assert.ok(pids.size >= 2, 'the process Web Workers are two pids');
        for (const e of tasks) assert.equal(processName(e.pid), `run 2 · processes x2 · process Web Worker ${e.args.pid}`);
        assert.equal(processName(slice.pid), 'run 2 · processes x2 · primes · lab worker (parent)');
        assert.ok(!pids.has(slice.pid));
      }
    }
    assert.equal(processName(runSlices[2].pid), 'run 3 · sequential x1 · primes · lab worker');
    assert.equal(runSlices[2].args.error, 'the lab worker failed');
    assert.ok(trace.traceEvents.some((e) => e.ph === 'M' && e.args.name === 'run 4 · processes x2 · worker process 7001'));
  });

  test('a document that is not an export or a results file is refused with one line', () => {
    for (const [text, expected] of [
      ['not json', /not valid JSON/],
      ['{"parlab_export": 1, "browser": [{"runs": [{"mode": "threads"}]}]}', /browser\[0\]\.runs\[0\] must name its workload and mode/],
      [`${'['.repeat(5000)}${']'.repeat(5000)}`, /nests more than 64 deep/],
    ]) {
      assert.throws(() => st.results_to_trace(text), (error) => {
        assert.match(error.message, expected);
        assert.doesNotMatch(error.message, /\n/);
        assert.equal(error.kind, 'invalid_argument');
        return true;
      });
    }
  });
});
