// Files from other tools (web/site/formats.js through results.js's upload checker): Google Benchmark JSON with bare
// NaN/Infinity, hyperfine 1.x and 2.x, name and command mapping, messages naming format, field and line; and the
// comparison across any number of sets. Fixtures follow the documented formats (docs/results-format.md).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import * as formats from '../../web/site/formats.js';
import * as results from '../../web/site/results.js';
import { loadPageLabInfo } from './lab-info.mjs';

await loadPageLabInfo(); // modes.js: the modes and bounds, as the lab worker's ready message gives them

const SPECS = [
  { workload: 'primes', name: 'shape', type: 'enum', default: 'inputs', choices: ['inputs', 'chunked'] },
  { workload: 'primes', name: 'inputs', type: 'int_list', default: '1000000,2000000,3000000', shape: 'inputs' },
  { workload: 'primes', name: 'n', type: 'int', default: '2000000', shape: 'chunked' },
  { workload: 'primes', name: 'chunks', type: 'int', default: '64', shape: 'chunked' },
];

/// Google Benchmark 1.7's JSON shape (context + benchmarks), as parlab_bench writes it, with a NaN counter and an
/// Infinity real_time in a benchmark of its own.
const GB_TEXT = `{
  "context": {
    "date": "2026-11-23T11:24:34+00:00", "host_name": "vm", "executable": "build/native/parlab_bench",
    "num_cpus": 2, "mhz_per_cpu": 2096, "cpu_scaling_enabled": false, "caches": [], "load_avg": [1.5, 1, 0.5],
    "library_build_type": "release"
  },
  "benchmarks": [
    { "name": "lab/primes/shape=chunked&n=2000000&chunks=64/sequential/workers:1/real_time",
      "run_name": "lab/primes/shape=chunked&n=2000000&chunks=64/sequential/workers:1/real_time", "run_type": "iteration",
      "repetitions": 1, "repetition_index": 0, "threads": 1, "iterations": 1, "real_time": 500.0, "cpu_time": 120.0,
      "time_unit": "ms", "checksum_hi": 33, "checksum_lo": 1179908154, "task_count": 64, "workers": 1 },
    { "name": "lab/primes/shape=chunked&n=2000000&chunks=64/threads/workers:2/real_time",
      "run_name": "lab/primes/shape=chunked&n=2000000&chunks=64/threads/workers:2/real_time", "run_type": "iteration",
      "repetitions": 1, "repetition_index": 0, "threads": 1, "iterations": 2, "real_time": 260000.0, "cpu_time": 1.0,
      "time_unit": "us", "checksum_hi": 33, "checksum_lo": 1179908154, "task_count": 64, "workers": 2, "rate": NaN },
    { "name": "BM_memcpy/1024/threads:2", "run_name": "BM_memcpy/1024/threads:2", "run_type": "iteration",
      "threads": 2, "iterations": 1000, "real_time": 1.5e3, "cpu_time": 1.4e3, "time_unit": "ns", "bytes_per_second": Infinity },
    { "name": "BM_broken", "run_name": "BM_broken", "run_type": "iteration", "threads": 1, "iterations": 0,
      "real_time": -Infinity, "cpu_time": 0, "time_unit": "ns" },
    { "name": "BM_failing", "run_name": "BM_failing", "run_type": "iteration", "threads": 1, "iterations": 0,
      "real_time": 0, "cpu_time": 0, "time_unit": "ns", "error_occurred": true, "error_message": "no device" },
    { "name": "BM_agg_median", "run_name": "BM_agg", "run_type": "aggregate", "aggregate_name": "median",
      "threads": 1, "iterations": 3, "real_time": 2.0, "cpu_time": 2.0, "time_unit": "s" },
    { "name": "BM_agg_mean", "run_name": "BM_agg", "run_type": "aggregate", "aggregate_name": "mean",
      "threads": 1, "iterations": 3, "real_time": 3.0, "cpu_time": 3.0, "time_unit": "s" }
  ]
}`;

/// hyperfine 1.x --export-json (src/export/json.rs: {results: [BenchmarkResult]}).
const HF1 = {
  results: [
    {
      command: 'build/native/parlab run --workload primes --shape chunked --n 20000 --chunks 4 --mode threads --workers 2',
      mean: 0.03, stddev: 0.001, median: 0.03, user: 0.01, system: 0.002, min: 0.029, max: 0.031,
      times: [0.029, 0.031, 0.03], exit_codes: [0, 0, 1],
    },
    { command: 'mytool --threads 4 --size 10', mean: 0.5, stddev: null, median: 0.5, user: 0.4, system: 0.1, min: 0.5, max: 0.5, times: [0.5], exit_codes: [0], parameters: { t: '4' } },
    { command: 'sleep 0.1', mean: 0.1, stddev: null, median: 0.1, user: 0, system: 0, min: 0.1, max: 0.1 },
  ],
};

/// hyperfine 2.x (schema_version 2), written from its documented form (tests/snapshots of hyperfine 2.0).
const HF2 = {
  schema_version: 2,
  metadata: { hyperfine_version: '2.0.0', start_time: '2026-11-23T11:00:00Z', platform: { os: 'linux', architecture: 'x86_64' } },
  primary_metric: 'time_wall_clock',
  results: [
    {
      command: 'parlab run --workload primes --shape chunked --n 20000 --chunks 4 --mode processes --workers 2',
      name: 'processes x2',
      measurements: [
        { time_wall_clock: { value: 0.04, unit: 'second' }, time_cpu: { value: 0.01, unit: 'second' }, exit_code: 0 },
        { time_wall_clock: { value: 45, unit: 'millisecond' }, exit_code: 0 },
      ],
      parameters: {},
      summary: { time_wall_clock: { unit: 'second', count: 2, mean: 0.0425, stddev: 0.0035, median: 0.0425, min: 0.04, max: 0.045 } },
    },
    {
      command: 'sleep 2', name: 'sleep for 2 seconds', measurements: [{ time_wall_clock: { value: 2.0, unit: 'second' }, exit_code: 0 }],
      parameters: { duration: { value: '2' } },
    },
  ],
};

test('Google Benchmark JSON with bare NaN and Infinity: lab names map onto runs, others are their own series', () => {
  const { data, notes, format } = results.parseResultsText(GB_TEXT, 'gb.json');
  assert.equal(format, 'google-benchmark');
  assert.match(notes.join('; '), /read as Google Benchmark JSON/);
  assert.match(notes.join('; '), /3 bare NaN\/Infinity values read/);
  assert.equal(data.environment.target, 'native');
  assert.equal(data.environment.logical_cpus, 2);
  assert.match(data.generator, /Google Benchmark \(parlab_bench, host vm/);
  const seq = data.runs.find((r) => r.workload === 'primes' && r.mode === 'sequential');
  assert.deepEqual(seq.params, { shape: 'chunked', n: 2000000, chunks: 64 });
  assert.equal(seq.workers, 1);
  assert.equal(seq.wall_s, 0.5);
  assert.equal(seq.checksum, '142913828922', 'checksum_hi/lo rebuild the 64-bit checksum exactly');
  assert.equal(seq.task_count, 64);
  const threads = data.runs.find((r) => r.mode === 'threads');
  assert.equal(threads.workers, 2);
  assert.equal(threads.wall_s, 0.26, 'us converted to seconds');
  const memcpy = data.runs.find((r) => r.workload === 'google-benchmark: BM_memcpy');
  assert.deepEqual({ mode: memcpy.mode, workers: memcpy.workers, params: memcpy.params }, { mode: 'external', workers: 2, params: { args: '1024' } });
  assert.equal(memcpy.wall_s, 1.5e-6);
  const broken = data.runs.find((r) => r.workload === 'google-benchmark: BM_broken');
  assert.equal(broken.ok, false);
  assert.match(broken.error, /real_time -Infinity/);
  const failing = data.runs.find((r) => r.workload === 'google-benchmark: BM_failing');
  assert.deepEqual([failing.ok, failing.error], [false, 'Google Benchmark: no device']);
  const agg = data.runs.filter((r) => r.workload === 'google-benchmark: BM_agg');
  assert.deepEqual(agg.map((r) => r.wall_s), [2], 'only aggregates: the median counts, once');
  assert.equal(data.runs.length, 6);
});

test('Google Benchmark names: the lab form, the older chunked_primes form, and arguments of other benchmarks', () => {
  assert.deepEqual(formats.mapBenchmarkName('lab/download/count=12&latency_ms=20/async/workers:16/real_time'),
    { workload: 'download', params: { count: 12, latency_ms: 20 }, mode: 'async', workers: 16 });
  assert.deepEqual(formats.mapBenchmarkName('lab/factorials/inputs=10,20,30&repeat=5/threads-gil/workers:2/real_time').params,
    { inputs: [10, 20, 30], repeat: 5 });
  assert.deepEqual(formats.mapBenchmarkName('chunked_primes/processes/workers:2/real_time'),
    { workload: 'primes', params: { shape: 'chunked', n: 2000000, chunks: 64 }, mode: 'processes', workers: 2 });
  assert.deepEqual(formats.mapBenchmarkName('process_pool/startup/workers:8/manual_time'),
    { workload: 'google-benchmark: process_pool/startup', params: {}, mode: 'external', workers: 8 });
  assert.deepEqual(formats.mapBenchmarkName('BM_sort/size:64/8/iterations:10'),
    { workload: 'google-benchmark: BM_sort', params: { size: 64, args: '8' }, mode: 'external', workers: 1 });
  assert.throws(() => formats.mapBenchmarkName('lab/primes/n:5/threads/workers:2'), formats.FormatProblem);
});

test('hyperfine 1.x: parlab run commands map onto runs, one per time; exit codes mark failures; others are series', () => {
  const { data, format } = results.parseResultsText(JSON.stringify(HF1), 'hf1.json');
  assert.equal(format, 'hyperfine-1');
  const lab = data.runs.filter((r) => r.workload === 'primes');
  assert.equal(lab.length, 3);
  assert.deepEqual(lab[0].params, { shape: 'chunked', n: 20000, chunks: 4 });
  assert.deepEqual([lab[0].mode, lab[0].workers, lab[0].wall_s], ['threads', 2, 0.029]);
  assert.deepEqual(lab.map((r) => r.ok), [true, true, false]);
  assert.match(lab[2].error, /exited with code 1/);
  const tool = data.runs.find((r) => r.workload.startsWith('hyperfine: mytool'));
  assert.equal(tool.workload, 'hyperfine: mytool --threads {t} --size 10', 'parameter values are put back as {name}');
  assert.deepEqual([tool.mode, tool.workers], ['external', 1]);
  const sleep = data.runs.find((r) => r.workload === 'hyperfine: sleep 0.1');
  assert.equal(sleep.wall_s, 0.1, 'no times: the median');
  assert.match(data.generator, /hyperfine 1\.x/);
});

test('hyperfine 2.x (schema_version 2): measurements in their units, parameters, platform', () => {
  const { data, format } = results.parseResultsText(JSON.stringify(HF2), 'hf2.json');
  assert.equal(format, 'hyperfine-2');
  assert.equal(data.environment.os, 'linux x86_64');
  assert.match(data.generator, /hyperfine 2\.0\.0/);
  const lab = data.runs.filter((r) => r.workload === 'primes');
  assert.deepEqual(lab.map((r) => [r.mode, r.workers, r.wall_s]), [['processes', 2, 0.04], ['processes', 2, 0.045]]);
  const sleep = data.runs.find((r) => r.workload.startsWith('hyperfine: sleep'));
  assert.equal(sleep.workload, 'hyperfine: sleep {duration}');
  assert.deepEqual(sleep.params, { duration: 2 });
});

test('parlab run commands: flags in both forms, quotes, threads-gil switch interval; anything else is not mapped', () => {
  assert.deepEqual(formats.parseParlabCommand("./parlab run --workload=factorials --inputs '10,20' --mode threads-gil --workers 4 --switch-interval-ms 2 --format json"),
    { workload: 'factorials', params: { inputs: [10, 20] }, mode: 'threads-gil', workers: 4, switch_interval_ms: 2 });
  assert.deepEqual(formats.parseParlabCommand('parlab run --mode sequential --workers 8'), { workload: 'primes', params: {}, mode: 'sequential', workers: 1 });
  for (const other of ['parlab sweep --modes threads', 'parlab run --mode fibers', 'parlab run --workers 999', 'parlab run && rm -rf x', 'python3 run.py']) {
    assert.equal(formats.parseParlabCommand(other), null, other);
  }
});

test('messages name the guessed format, the field, and for syntax errors the line and column', () => {
  const refused = (text, name = 'x.json') => {
    try {
      results.parseResultsText(text, name);
    } catch (error) {
      assert.ok(error instanceof results.ResultsFileError, String(error));
      assert.ok(!error.message.includes('\n'), 'one line');
      return error.message;
    }
    return assert.fail(`accepted: ${text.slice(0, 80)}`);
  };
  assert.match(refused(GB_TEXT.replace('"time_unit": "ms"', '"time_unit": "fortnights"')),
    /^x\.json \(read as Google Benchmark JSON\): benchmarks\[0\]\.time_unit must be one of ns, us, ms, s \(found "fortnights"\)/);
  assert.match(refused(GB_TEXT.replace('"real_time": 500.0', '"real_time": "fast"')), /Google Benchmark JSON\): benchmarks\[0\]\.real_time must be a number/);
  assert.match(refused(JSON.stringify({ context: {}, benchmarks: [] })), /benchmarks is empty/);
  assert.match(refused(GB_TEXT.replace('"cpu_time": 120.0,', '"cpu_time": 120.0')), /^x\.json is not valid JSON \(it looks like Google Benchmark JSON\): line 11, column \d+: expected ',' or '}'/);
  const hf = structuredClone(HF1);
  hf.results[0].times[1] = 'slow';
  assert.match(refused(JSON.stringify(hf)), /^x\.json \(read as hyperfine 1\.x JSON\): results\[0\]\.times\[1\] must be a number of seconds/);
  delete hf.results[1].command;
  hf.results[0].times[1] = 1;
  assert.match(refused(JSON.stringify(hf)), /results\[1\]\.command must be a non-empty string/);
  const hf2 = structuredClone(HF2);
  hf2.results[0].measurements[1].time_wall_clock.unit = 'byte';
  assert.match(refused(JSON.stringify(hf2)), /^x\.json \(read as hyperfine 2\.x JSON \(schema_version 2\)\): results\[0\]\.measurements\[1\]\.time_wall_clock\.unit must be a time unit/);
  assert.match(refused('{"results": [\n{"command": "a",\n "times": [1, 2,]}]}'), /not valid JSON \(it looks like hyperfine 1\.x JSON\): line 3, column 17: expected a value/);
  assert.match(refused('{"per_task_us": 17.2}'), /one figure .*reference\/cpython/);
  assert.match(refused('{"hello": 1}'), /Google Benchmark JSON and hyperfine --export-json/);
  assert.match(refused(`${'['.repeat(40)}NaN${']'.repeat(40)}`), /nests objects or arrays more than 32 deep/);
});

test('the tolerant reader drops prototype keys, keeps NaN out of strings, and never evaluates anything', () => {
  const { value, dropped, nonFinite } = formats.parseJsonTolerant('{"a": "NaN Infinity", "__proto__": {"x": 1}, "b": [NaN, -Infinity], "constructor": 2}');
  assert.equal(value.a, 'NaN Infinity');
  assert.ok(Number.isNaN(value.b[0]) && value.b[1] === -Infinity);
  assert.deepEqual([dropped, nonFinite], [2, 2]);
  assert.equal(Object.getPrototypeOf(value), Object.prototype);
  assert.equal({}.x, undefined);
  assert.throws(() => formats.parseJsonTolerant('{"a": alert(1)}'), /line 1, column 7: expected a value/);
  assert.throws(() => formats.parseJsonTolerant('"\u0001"'), /control character/);
});

test('the comparison table takes any number of sets and a chosen baseline; environments side by side', () => {
  const gb = results.parseResultsText(GB_TEXT, 'gb.json').data;
  const browserRun = { ...gb.runs[0], wall_s: 1.0 };
  const cpython = { ...gb.runs[0], wall_s: 4.0 };
  const entries = [
    { id: 'b0', source: 'browser', kind: 'browser', run: browserRun },
    ...gb.runs.map((run, i) => ({ id: `u1-${i}`, source: 'native (uploaded: gb.json)', kind: 'uploaded', run })),
    { id: 'u2-0', source: 'cpython (uploaded: py.json)', kind: 'uploaded', run: cpython },
  ];
  const described = results.describeEntries(entries, SPECS);
  const comparison = results.comparisonRows(described);
  assert.deepEqual(comparison.sets, ['browser', 'native (uploaded: gb.json)', 'cpython (uploaded: py.json)']);
  const byNative = comparison.build(comparison.defaultBaseline);
  assert.equal(byNative.baseline, 'native (uploaded: gb.json)');
  assert.equal(byNative.rows.length, 1);
  assert.deepEqual(byNative.rows[0].cells.map((c) => [c.source, c.ratio]), [['browser', 2], ['cpython (uploaded: py.json)', 8]]);
  const byBrowser = comparison.build('browser');
  assert.deepEqual(byBrowser.rows[0].cells.map((c) => c.ratio), [0.5, 4]);
  // The charts: one series per set and mode in the group.
  const series = results.speedupSeries(described, described[0].group);
  assert.deepEqual(series.map((s) => s.source), ['browser', 'cpython (uploaded: py.json)', 'native (uploaded: gb.json)', 'native (uploaded: gb.json)']);

  const columns = results.environmentColumns([{ label: 'native (uploaded: gb.json)', generator: gb.generator, environment: gb.environment }],
    { target: 'wasm', os: 'Linux', cpu_model: null, logical_cpus: 2, compiler: 'Emscripten 3.1.6', user_agent: 'UA', cross_origin_isolated: true });
  assert.deepEqual(columns.map((c) => [c.source, c.target, c.logical_cpus]), [['browser', 'wasm', 2], ['native (uploaded: gb.json)', 'native', 2]]);
});

test('mutated Google Benchmark and hyperfine files are accepted well-formed or refused with a one-line message', () => {
  let seed = 20261123;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const pick = (list) => list[Math.floor(random() * list.length)];
  const VALUES = [null, -1, 0, 1e308, NaN, 'x', '', [], {}, true, 2 ** 64, 'lab/primes/n=/threads/workers:0', '1,2,3'];
  /// Replaces or deletes one random field somewhere in a copy of value.
  const mutate = (value) => {
    const copy = structuredClone(value);
    const paths = [];
    const walk = (node, path) => {
      if (node && typeof node === 'object') for (const key of Object.keys(node)) { paths.push([...path, key]); walk(node[key], [...path, key]); }
    };
    walk(copy, []);
    const path = pick(paths);
    let parent = copy;
    for (const key of path.slice(0, -1)) parent = parent[key];
    if (random() < 0.3) delete parent[path.at(-1)];
    else parent[path.at(-1)] = pick(VALUES);
    return copy;
  };
  const seeds = [formats.parseJsonTolerant(GB_TEXT).value, HF1, HF2];
  const counts = { accepted: 0, refused: 0 };
  for (let i = 0; i < 600; i++) {
    const text = JSON.stringify(mutate(seeds[i % seeds.length])).replace(/null/g, () => (random() < 0.1 ? 'NaN' : 'null'));
    try {
      const { data } = results.parseResultsText(text, 'm.json');
      assert.equal(results.checkResultsFile(data), '', 'an accepted file re-checks clean');
      counts.accepted++;
    } catch (error) {
      assert.ok(error instanceof results.ResultsFileError, `mutant ${i}: ${error?.stack}`);
      assert.ok(error.message.startsWith('m.json') && !error.message.includes('\n') && error.message.length < 600, error.message);
      counts.refused++;
    }
  }
  assert.ok(counts.accepted > 0 && counts.refused > 0, JSON.stringify(counts));
});
