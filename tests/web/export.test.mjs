// web/site/export.js: an export imported into an empty state gives back the same state; the CSV's shape.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { CSV_COLUMNS, ExportFileError, buildExport, csvCell, parseExport, toCsv } from '../../web/site/export.js';
import { AppState } from '../../web/site/state.js';

const task = (id, worker, start, end, extra = {}) => ({
  id, worker, pid: 0, thread: 7 + worker, phase: 'compute', start_s: start, end_s: end, wait_s: 0, cpu_s: null, value: String(1000 + id), ...extra,
});
const run = (mode, workers, wall, extra = {}) => ({
  workload: 'primes', params: { shape: 'chunked', n: 300000, chunks: 2 }, mode, workers, ok: true, complete: true, error: null,
  started_at: '2026-11-23T08:00:00Z', wall_s: wall, startup_s: 0.001, cpu_s: null, avg_task_s: 0.01, hardware_concurrency: 2,
  task_count: 2, tasks_done: 2, checksum: '18446744073709551615', bytes_transferred: 4096, job: { id: 'cv-1', phase: 1, phases: 2 }, tasks: [task(0, 0, 0.001, 0.01), task(1, workers - 1, 0.002, 0.02)], ...extra,
});
const ENV = { target: 'native', os: 'Linux 6.1', cpu_model: 'x', logical_cpus: 2, compiler: 'GCC 12', user_agent: null, cross_origin_isolated: null };

function filledState() {
  const state = new AppState();
  const single = state.beginBrowserGroup('primes, threads, 2 workers');
  state.addBrowserRun(run('threads', 2, 0.05), single);
  const sweep = state.beginBrowserGroup('sweep: 3 runs of primes');
  state.addBrowserRun(run('sequential', 1, 0.1), sweep);
  state.addBrowserRun(run('threads-gil', 2, 0.11, { switch_interval_ms: 2.5, tasks: [task(0, 0, 0, 0.1, { held: [[0, 0.05], [0.07, 0.1]] })], tasks_done: 1 }), sweep);
  state.addBrowserRun(run('processes', 2, 0.2, { ok: false, complete: false, error: 'worker 1 failed, "quoted", with a comma', wall_s: null, checksum: '0', tasks: [] }), sweep);
  state.addUploadedSet('native,results.json', { environment: ENV, generator: 'parlab 0.1.0', runs: [run('processes', 4, 0.03, { cpu_s: 0.05 })] });
  state.renameBrowserGroup(single, 'my first run');
  return state;
}

const snapshot = (state) => ({ ...buildExport(state, { created: new Date(0) }) });

test('export -> JSON text -> import into an empty state gives the same state back', () => {
  const state = filledState();
  const text = JSON.stringify(buildExport(state, { environment: { target: 'wasm' } }));
  const parsed = parseExport(text, 'parlab-lab-export.json');
  assert.equal(parsed.kind, 'export');
  const fresh = new AppState();
  fresh.restore(parsed);
  assert.deepStrictEqual(snapshot(fresh), snapshot(state));
  assert.deepStrictEqual(fresh.browserRuns, state.browserRuns);
  assert.deepStrictEqual(fresh.entries(), state.entries());
  assert.equal(fresh.browserGroups[0].name, 'my first run');
  // And the round trip is stable: exporting the imported state gives the same file again.
  assert.equal(JSON.stringify(buildExport(fresh, { environment: { target: 'wasm' }, created: new Date(0) })),
    JSON.stringify(buildExport(state, { environment: { target: 'wasm' }, created: new Date(0) })));
});

test('importing into a page that already has items adds them with fresh ids and labels', () => {
  const state = filledState();
  const parsed = parseExport(JSON.stringify(buildExport(state)), 'x.json');
  state.restore(parsed);
  assert.equal(state.browserGroups.length, 4);
  assert.equal(new Set(state.browserGroups.map((g) => g.id)).size, 4);
  assert.equal(new Set(state.uploadedSets.map((s) => s.label)).size, 2);
});

test('a plain results file imports as one uploaded set', () => {
  const file = { schema_version: 1, generator: 'parlab 0.1.0', created: '2026-11-23T08:00:00Z', environment: ENV, runs: [run('threads', 2, 0.1)] };
  const parsed = parseExport(JSON.stringify(file), 'native.json');
  assert.equal(parsed.kind, 'results');
  assert.equal(parsed.sets.length, 1);
  assert.equal(parsed.sets[0].runs[0].checksum, '18446744073709551615');
});

test('bad exports are refused with one line naming the place at fault', () => {
  const good = buildExport(filledState());
  const cases = [
    ['{', /is not valid JSON/],
    ['[]', /neither a parlab export/],
    ['{"traceEvents": []}', /^bad\.json looks like a Chrome trace, not an export: load it with the file field under “Compare result sets”/],
    ['[{"ph": "X"}]', /looks like a Chrome trace/],
    [JSON.stringify({ ...good, parlab_export: 2 }), /parlab_export 2 is not supported/],
    [JSON.stringify({ ...good, browser: [{ name: 'x', runs: [] }] }), /browser\[0\]: runs must be a non-empty list/],
    [JSON.stringify({ ...good, browser: [{ name: 'x', runs: [{ ...run('threads', 2, 1), mode: 'fork' }] }] }), /browser\[0\].*runs\[0\]\.mode must be one of/],
    [JSON.stringify({ ...good, uploaded: [{ ...good.uploaded[0], environment: { target: 'moon' } }] }), /uploaded\[0\].*environment\.target must be/],
    [JSON.stringify({ ...good, browser: 'nope' }), /browser must be a list/],
    [JSON.stringify({ ...good, uploaded: [{ ...good.uploaded[0], environment: null }] }), /uploaded\[0\]\.environment must be an object/],
  ];
  for (const [text, re] of cases) {
    assert.throws(() => parseExport(text, 'bad.json'), (error) => error instanceof ExportFileError && re.test(error.message) && !error.message.includes('\n'), text.slice(0, 80));
  }
  // __proto__ keys are dropped, not followed.
  const hostile = JSON.stringify(good).replace('"name":"my first run"', '"name":"my first run","__proto__":{"polluted":1}');
  const parsed = parseExport(hostile, 'h.json');
  assert.equal({}.polluted, undefined);
  assert.equal(parsed.groups[0].polluted, undefined);
});

test('CSV: a header and one row per run, cells quoted and formula-safe', () => {
  const csv = toCsv(filledState());
  const lines = csv.split('\r\n');
  assert.equal(lines.at(-1), '');
  assert.equal(lines[0], CSV_COLUMNS.join(','));
  assert.equal(lines.length - 2, 5); // 4 browser runs + 1 uploaded
  assert.ok(lines[1].startsWith('my first run,browser,primes,"{""shape"":""chunked"",""n"":300000,""chunks"":2}",threads,2,,true,true,'));
  assert.ok(lines[1].endsWith(',18446744073709551615,4096,,,,,,,"{""id"":""cv-1"",""phase"":1,""phases"":2}",'), lines[1]); // no hosts: not mpi
  assert.match(lines[3], /,threads-gil,2,2\.5,/);
  assert.match(lines[4], /,"worker 1 failed, ""quoted"", with a comma",/);
  assert.ok(lines[5].startsWith('"native,results.json","native (uploaded: native,results.json)",primes,'));
  assert.equal(csvCell('=1+1'), "'=1+1");
  assert.equal(csvCell('-2'), "'-2");
  assert.equal(csvCell(-2), '-2');
  assert.equal(csvCell(null), '');
});
