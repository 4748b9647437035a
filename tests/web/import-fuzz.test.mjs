// The page's results-file importer (web/site/results.js) against hostile and mutated files: it accepts a
// well-formed file or refuses it with a message; it never throws anything else, never touches Object.prototype,
// and always returns (a file that hangs the importer stops the suite at node's test timeout; no wall-time
// assertion: the machine's speed is not what this checks). Deterministic: a seeded generator makes the same files on every run.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import * as results from '../../web/site/results.js';
import { makeSpeedupConfig, makeTimeConfig, makeTimelineConfig } from '../../web/site/charts.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const nativeBinary = process.env.PARLAB_NATIVE_BIN ? resolve(process.env.PARLAB_NATIVE_BIN) : join(repoRoot, 'build', 'native', 'parlab');
const SEED = Number(process.env.PARLAB_FUZZ_SEED || 20261123);
const MUTANTS_PER_SEED_FILE = Number(process.env.PARLAB_FUZZ_COUNT || 600);

// charts.js reads a CSS variable for colours; in Node there is no document, so give it an empty style.
globalThis.getComputedStyle ??= () => ({ getPropertyValue: () => '' });
globalThis.document ??= { documentElement: {} };

/// mulberry32: a small seeded generator, so that a failure can be replayed from its seed.
function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n) => Math.floor(next() * n), pick: (list) => list[Math.floor(next() * list.length)] };
}

/// A browser file as the page exports it, written by hand (two runs; the second stopped).
function browserFile() {
  const task = (id, worker, start, end, value) => ({ id, worker, pid: worker + 1, thread: worker + 1, phase: 'compute', start_s: start, end_s: end, wait_s: 0, cpu_s: null, value });
  return {
    schema_version: 1,
    generator: 'parlab 0.1.0 (wasm)',
    created: '2026-11-23T08:00:00Z',
    environment: { target: 'wasm', os: 'Linux x86_64', cpu_model: null, logical_cpus: 2, compiler: 'Emscripten 3.1.6', user_agent: 'Mozilla/5.0', cross_origin_isolated: true },
    runs: [
      { workload: 'primes', params: { shape: 'chunked', n: 20000, chunks: 2 }, mode: 'processes', workers: 2, ok: true, complete: true, error: null, started_at: '2026-11-23T08:00:00Z', wall_s: 0.05, startup_s: 0.04, cpu_s: null, avg_task_s: 0.001, hardware_concurrency: 2, task_count: 2, tasks_done: 2, checksum: '21171191', tasks: [task(0, 0, 0.041, 0.042, '10000000'), task(1, 1, 0.041, 0.043, '11171191')] },
      { workload: 'download', params: { count: 4, latency_ms: 100, jitter_ms: 0, seed: 1, work_kib: 64 }, mode: 'threads', workers: 2, ok: true, complete: false, error: null, started_at: '2026-11-23T08:00:01Z', wall_s: 0.12, startup_s: 0.0001, cpu_s: null, avg_task_s: 0.1, hardware_concurrency: 2, task_count: 4, tasks_done: 1, checksum: '5', tasks: [Object.assign(task(0, 0, 0, 0.101, '5'), { phase: 'download', wait_s: 0.1 })] },
      // threads-gil: the two tasks take turns on the lock.
      { workload: 'primes', params: { shape: 'chunked', n: 20000, chunks: 2 }, mode: 'threads-gil', workers: 2, switch_interval_ms: 5, ok: true, complete: true, error: null, started_at: '2026-11-23T08:00:02Z', wall_s: 0.03, startup_s: 0.0001, cpu_s: null, avg_task_s: 0.025, hardware_concurrency: 2, task_count: 2, tasks_done: 2, checksum: '21171191', tasks: [Object.assign(task(0, 0, 0.0001, 0.02, '10000000'), { thread: 7, held: [[0.0001, 0.005], [0.01, 0.015], [0.018, 0.02]] }), Object.assign(task(1, 1, 0.0001, 0.03, '11171191'), { thread: 8, held: [[0.005, 0.01], [0.015, 0.018], [0.02, 0.03]] })] },
      // async: one thread, two slots; the waits overlap, the computations do not.
      { workload: 'download', params: { count: 2, latency_ms: 100, jitter_ms: 0, seed: 1, work_kib: 64 }, mode: 'async', workers: 2, ok: true, complete: true, error: null, started_at: '2026-11-23T08:00:03Z', wall_s: 0.11, startup_s: 0.0001, cpu_s: null, avg_task_s: 0.1, hardware_concurrency: 2, task_count: 2, tasks_done: 2, checksum: '11', tasks: [Object.assign(task(0, 0, 0, 0.101, '5'), { phase: 'download', wait_s: 0.1, pid: 0, thread: 0 }), Object.assign(task(1, 1, 0, 0.102, '6'), { phase: 'download', wait_s: 0.101, pid: 0, thread: 0 })] },
    ],
  };
}

const HOSTILE_STRINGS = [
  '<img src=x onerror="globalThis.__pwned=1">', '<script>globalThis.__pwned=1</script>', '"><svg onload=alert(1)>',
  'javascript:alert(1)', '\u202e\u0000\n\r\t', '${globalThis.__pwned=1}', 'x'.repeat(5000), '', '0', '-1', '1e999',
];
const HOSTILE_NUMBERS = [1e308, -1e308, 1e-320, -0, 2 ** 53, 2 ** 64, -1, 0.5, 1e400, Number.MAX_SAFE_INTEGER + 2];
const HOSTILE_VALUES = () => [null, true, false, [], {}, [[[]]], { a: { b: {} } }, ...HOSTILE_NUMBERS, ...HOSTILE_STRINGS];

/// Every [container, key] path in a JSON value, for picking a spot to mutate.
function slots(value, out = []) {
  if (value && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      out.push([value, key]);
      slots(value[key], out);
    }
  }
  return out;
}

function nested(depth, leaf = 1) {
  let text = String(leaf);
  for (let i = 0; i < depth; i++) text = i % 2 ? `{"a":${text}}` : `[${text}]`;
  return text;
}

/// One mutant: the text of `base` (an object) changed in one to three ways, structurally or as bytes.
function mutate(base, r) {
  const data = structuredClone(base);
  const rounds = 1 + r.int(3);
  let textEdits = [];
  for (let round = 0; round < rounds; round++) {
    const all = slots(data);
    const [holder, key] = all.length ? r.pick(all) : [data, 'x'];
    switch (r.int(12)) {
      case 0: delete holder[key]; break;
      case 1: holder[key] = r.pick(HOSTILE_VALUES()); break; // retype
      case 2: if (Array.isArray(holder)) holder.push(structuredClone(holder[key])); else holder[`${key}_copy`] = structuredClone(holder[key]); break;
      case 3: holder[key] = r.pick(HOSTILE_NUMBERS); break;
      case 4: holder[key] = r.pick(HOSTILE_STRINGS); break;
      case 5: textEdits.push({ kind: 'proto', key: r.pick(['__proto__', 'constructor', 'prototype']) }); break;
      case 6: textEdits.push({ kind: 'deep', depth: r.pick([8, 31, 33, 200, 5000]) }); break;
      case 7: textEdits.push({ kind: 'truncate' }); break;
      case 8: textEdits.push({ kind: 'bytes' }); break;
      case 9: if (Array.isArray(holder[key])) holder[key] = Array.from({ length: r.pick([0, 1, 4097, 20000]) }, () => holder[key][0] ?? 1); else holder[key] = [holder[key]]; break;
      case 10: if (holder[key] && typeof holder[key] === 'object') holder[key][r.pick(HOSTILE_STRINGS)] = r.pick(HOSTILE_VALUES()); else holder[key] = String(holder[key]); break;
      default: textEdits.push({ kind: 'number-text', text: r.pick(['1e400', '-1e400', '123456789012345678901234567890', '1.0e-400', '0x10', 'NaN', 'Infinity']) }); break;
    }
  }
  let text = JSON.stringify(data);
  for (const edit of textEdits) {
    if (edit.kind === 'proto') {
      // Insert a prototype key into a random object of the text, as JSON.stringify cannot write one.
      const spots = [...text.matchAll(/\{/g)].map((m) => m.index);
      const at = spots.length ? r.pick(spots) + 1 : 0;
      const payload = `"${edit.key}":{"polluted":"yes","isAdmin":true,"toString":"x"}${text[at] === '}' ? '' : ','}`;
      text = text.slice(0, at) + payload + text.slice(at);
    } else if (edit.kind === 'deep') {
      const at = text.lastIndexOf('}');
      if (at > 0) text = `${text.slice(0, at)},"deep":${nested(edit.depth)}}`;
    } else if (edit.kind === 'truncate') {
      text = text.slice(0, r.int(text.length));
    } else if (edit.kind === 'bytes') {
      const chars = [...text];
      for (let k = 0; k < 1 + r.int(8); k++) chars[r.int(chars.length || 1)] = String.fromCharCode(r.int(0x10000));
      text = chars.join('');
    } else if (edit.kind === 'number-text') {
      const numbers = [...text.matchAll(/:(-?\d+(\.\d+)?(e-?\d+)?)/g)];
      if (numbers.length) {
        const m = r.pick(numbers);
        text = text.slice(0, m.index + 1) + edit.text + text.slice(m.index + m[0].length);
      }
    }
  }
  return text;
}

const PROTO_NAMES = Object.getOwnPropertyNames(Object.prototype).sort();

function assertPrototypesClean(label) {
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), PROTO_NAMES, `${label}: Object.prototype changed`);
  const probe = {};
  for (const key of ['polluted', 'isAdmin']) assert.equal(probe[key], undefined, `${label}: Object.prototype.${key} is set`);
  assert.equal(typeof probe.toString, 'function', `${label}: toString replaced`);
  assert.equal(globalThis.__pwned, undefined, `${label}: a string was run as code`);
}

/// Every object in a parsed value has Object.prototype or Array.prototype as its prototype, and no unsafe key.
function assertPlainTree(value, path = 'data') {
  if (!value || typeof value !== 'object') return;
  const proto = Object.getPrototypeOf(value);
  assert.ok(proto === Object.prototype || proto === Array.prototype, `${path} has an unexpected prototype`);
  for (const key of Object.keys(value)) {
    assert.ok(!results.UNSAFE_KEYS.includes(key), `${path} kept the key ${key}`);
    assertPlainTree(value[key], `${path}.${key}`);
  }
}

/// Feeds one text to the importer and everything the page derives from an accepted file.
/// Returns 'accepted' or 'refused'; fails the test on anything else.
function feed(text, label, specs) {
  let outcome;
  try {
    const { data, notes } = results.parseResultsText(text, 'fuzz.json');
    assert.ok(Array.isArray(notes));
    assert.equal(results.checkResultsFile(data), '', `${label}: an accepted file re-checks clean`);
    assertPlainTree(data);
    // What the page does with an accepted file: the tables, the groups, the charts' configurations.
    const entries = data.runs.map((run, i) => ({ id: `u1-${i}`, source: 'native (uploaded: fuzz.json)', kind: 'uploaded', run }));
    entries.push({ id: 'b0', source: 'browser', kind: 'browser', run: browserFile().runs[0] });
    const described = results.describeEntries(entries, specs);
    results.runRows(described);
    results.comparisonRows(described);
    for (const option of results.groupOptions(described)) {
      const series = results.speedupSeries(described, option.key);
      makeSpeedupConfig(series);
      makeTimeConfig(series);
    }
    for (const run of data.runs) makeTimelineConfig(run);
    outcome = 'accepted';
  } catch (error) {
    assert.ok(error instanceof results.ResultsFileError, `${label}: threw ${error?.constructor?.name}: ${error?.stack}`);
    assert.ok(error.message.startsWith('fuzz.json'), `${label}: the message names the file: ${error.message}`);
    assert.ok(!error.message.includes('\n'), `${label}: the message is one line`);
    assert.ok(error.message.length < 600, `${label}: the message is short (${error.message.length} chars)`);
    outcome = 'refused';
  }
  assertPrototypesClean(label);
  return outcome;
}

const SPECS = [
  { workload: 'primes', name: 'shape', type: 'enum', default: 'inputs', choices: ['inputs', 'chunked'] },
  { workload: 'primes', name: 'inputs', type: 'int_list', default: '1000000,2000000,3000000', shape: 'inputs' },
  { workload: 'primes', name: 'n', type: 'int', default: '2000000', shape: 'chunked' },
  { workload: 'primes', name: 'chunks', type: 'int', default: '64', shape: 'chunked' },
  { workload: 'download', name: 'count', type: 'int', default: '12' },
  { workload: 'factorials', name: 'inputs', type: 'int_list', default: '10,20,30,40,50' },
  { workload: 'factorials', name: 'repeat', type: 'int', default: '1000' },
];

describe('results-file importer under fuzzing', { timeout: 600_000 }, () => {
  let work;
  let nativeFile;

  before(() => {
    assert.ok(existsSync(nativeBinary), `${nativeBinary} is missing: run scripts/build.sh`);
    work = mkdtempSync(join(tmpdir(), 'parlab-fuzz-'));
    const out = join(work, 'native.json');
    execFileSync(nativeBinary, ['sweep', '--workload', 'primes', '--shape', 'chunked', '--n', '20000', '--chunks', '4',
      '--modes', 'sequential,threads,processes', '--workers', '1,2', '--out', out], { timeout: 60_000, stdio: 'ignore' });
    nativeFile = JSON.parse(readFileSync(out, 'utf8'));
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('the two seed files are accepted as they are', () => {
    assert.equal(feed(JSON.stringify(nativeFile), 'native seed', SPECS), 'accepted');
    assert.equal(feed(JSON.stringify(browserFile()), 'browser seed', SPECS), 'accepted');
  });

  for (const [name, seedFile] of [['native', () => nativeFile], ['browser', browserFile]]) {
    test(`${MUTANTS_PER_SEED_FILE} mutants of the ${name} file: accepted well-formed or refused with a message`, () => {
      const r = rng(SEED + name.length);
      const counts = { accepted: 0, refused: 0 };
      for (let i = 0; i < MUTANTS_PER_SEED_FILE; i++) {
        const text = mutate(seedFile(), r);
        counts[feed(text, `${name} mutant ${i} (seed ${SEED})`, SPECS)] += 1;
      }
      // Both outcomes happen: the mutations reach the checks and are not all fatal.
      assert.ok(counts.accepted > 0 && counts.refused > 0, JSON.stringify(counts));
    });
  }

  test('hand-made hostile files', () => {
    const good = browserFile();
    const withRun = (patch) => JSON.stringify({ ...good, runs: [{ ...good.runs[0], ...patch }] });
    const cases = [
      ['deeply nested (100000)', '['.repeat(100000) + ']'.repeat(100000), /nests .* more than 32 deep/],
      ['deeply nested unclosed', '{"a":'.repeat(50000), /nests/],
      ['just over the depth limit', nested(33), /nests/],
      ['a huge number', withRun({ wall_s: 1e308 }), /wall_s must be a number of seconds from 0 to 10000000/],
      ['a number beyond double', withRun({ wall_s: 1 }).replace('"wall_s":1', '"wall_s":1e400'), /wall_s/],
      ['workers out of range', withRun({ workers: 1e9 }), /workers must be a whole number from 1 to 256/],
      ['a task on worker 1e9', withRun({ tasks: [{ ...good.runs[0].tasks[0], worker: 1e9 }] }), /tasks\[0\]\.worker/],
      ['a checksum of 2^64', withRun({ checksum: '18446744073709551616' }), /checksum must be a 64-bit/],
      ['a 100 000-char string', withRun({ workload: 'p'.repeat(100000) }), /workload is 100000 characters long; the limit is 4096/],
      ['params holding an object', withRun({ params: { n: { $gt: 1 } } }), /params\.n must be/],
      ['a list of runs', JSON.stringify(good.runs), /list of runs, not a results file/],
      ['one run', JSON.stringify(good.runs[0]), /single run/],
      ['a params object', JSON.stringify({ workload: 'primes', n: 5 }), /parameters object/],
      ['the schema', readFileSync(join(repoRoot, 'docs', 'results.schema.json'), 'utf8'), /JSON schema/],
      ['schema_version 2', JSON.stringify({ ...good, schema_version: 2 }), /schema_version 2 is not supported/],
      ['not JSON', '<html><script>alert(1)</script>', /not valid JSON/],
      ['empty', '', /not valid JSON/],
      ['a string', '"hello"', /holds "hello"/],
    ];
    for (const [label, text, expected] of cases) {
      assert.throws(() => results.parseResultsText(text, 'evil.json'), (error) => {
        assert.ok(error instanceof results.ResultsFileError, `${label}: ${error}`);
        assert.match(error.message, expected, label);
        assert.ok(error.message.startsWith('evil.json'), label);
        return true;
      }, label);
      assertPrototypesClean(label);
    }
  });

  test('prototype keys are dropped wherever they are, and nothing is polluted', () => {
    const good = browserFile();
    const text = JSON.stringify(good)
      .replace('{', '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"isAdmin":true}},')
      .replace('"params":{', '"params":{"__proto__":{"polluted":"yes"},"prototype":1,')
      .replace('"environment":{', '"environment":{"__proto__":{"toString":"x"},');
    const { data, notes } = results.parseResultsText(text, 'proto.json');
    assert.match(notes.join(' '), /ignored 6 keys named __proto__\/constructor\/prototype/);
    assertPlainTree(data);
    assert.equal(Object.getPrototypeOf(data.runs[0].params), Object.prototype);
    assert.deepEqual(Object.keys(data.runs[0].params), ['shape', 'n', 'chunks']);
    // The page copies params with assignment when it groups runs: still nothing reaches Object.prototype.
    results.describeEntries([{ id: 'u1-0', source: 'x', kind: 'uploaded', run: data.runs[0] }], SPECS);
    assertPrototypesClean('proto keys');
  });

  test('HTML and script in every string field are kept as plain text', () => {
    const payload = '<img src=x onerror="globalThis.__pwned=1">';
    const good = browserFile();
    const file = {
      ...good,
      generator: payload,
      environment: { ...good.environment, os: payload, cpu_model: payload, compiler: payload, user_agent: payload },
      runs: [{ ...good.runs[0], workload: payload, error: payload, started_at: payload, params: { [payload]: payload, shape: payload } }],
    };
    const { data } = results.parseResultsText(JSON.stringify(file), 'html.json');
    assert.equal(data.generator, payload);
    assert.equal(data.runs[0].workload, payload);
    const [entry] = results.describeEntries([{ id: 'u1-0', source: 'x', kind: 'uploaded', run: data.runs[0] }], SPECS);
    assert.ok(entry.summary.includes(payload), 'the summary holds the text as it was');
    assertPrototypesClean('html');
  });

  test('threads-gil and async runs: switch_interval_ms, held and failed_tasks are kept; bad ones are refused', () => {
    const good = browserFile();
    const { data } = results.parseResultsText(JSON.stringify(good), 'new-modes.json');
    const gil = data.runs.find((r) => r.mode === 'threads-gil');
    assert.equal(gil.switch_interval_ms, 5);
    assert.deepEqual(gil.tasks[0].held, good.runs[2].tasks[0].held);
    assert.equal(data.runs.find((r) => r.mode === 'async').tasks.length, 2);
    assert.equal('held' in data.runs[0].tasks[0], false, 'no held where the file has none');

    const lost = { ...good.runs[0], ok: false, error: 'lost a task', failed_tasks: [{ id: 1, error: 'worker 1 (pid 4242) was killed by signal 9 (Killed)' }] };
    const withLost = results.parseResultsText(JSON.stringify({ ...good, runs: [lost] }), 'lost.json').data;
    assert.deepEqual(withLost.runs[0].failed_tasks, lost.failed_tasks);

    const withRun = (patch) => JSON.stringify({ ...good, runs: [{ ...good.runs[2], ...patch }] });
    const heldTask = (held) => [{ ...good.runs[2].tasks[0], held }, good.runs[2].tasks[1]];
    const cases = [
      ['an unknown mode', withRun({ mode: 'fibers' }), /mode must be one of sequential, threads, threads-gil, async, processes/],
      ['a switch interval of 0', withRun({ switch_interval_ms: 0 }), /switch_interval_ms must be a number of milliseconds from 0\.1 to 1000/],
      ['a switch interval as text', withRun({ switch_interval_ms: '5' }), /switch_interval_ms/],
      ['held not a list', withRun({ tasks: heldTask('0-1') }), /tasks\[0\]\.held must be a list/],
      ['a held triple', withRun({ tasks: heldTask([[0, 1, 2]]) }), /held\[0\] must be a pair/],
      ['a held stretch backwards', withRun({ tasks: heldTask([[0.5, 0.1]]) }), /held\[0\] ends/],
      ['a held time of text', withRun({ tasks: heldTask([['0', 1]]) }), /held\[0\]\[0\] must be a number of seconds/],
      ['too many held stretches', withRun({ tasks: heldTask(Array.from({ length: results.UPLOAD_LIMITS.heldStretches + 1 }, () => [0, 0])) }), /lock stretches/],
      ['failed_tasks not a list', withRun({ ok: false, error: 'x', failed_tasks: 3 }), /failed_tasks must be an array/],
      ['a failed task without error', withRun({ ok: false, error: 'x', failed_tasks: [{ id: 1 }] }), /failed_tasks\[0\]\.error must be a string/],
    ];
    for (const [label, text, expected] of cases) {
      assert.throws(() => results.parseResultsText(text, 'evil.json'), (error) => {
        assert.ok(error instanceof results.ResultsFileError, `${label}: ${error}`);
        assert.match(error.message, expected, label);
        return true;
      }, label);
    }
  });

  test('the threads-gil timeline draws the held stretches as computing and the rest as waiting for the lock', () => {
    const run = browserFile().runs[2];
    const config = makeTimelineConfig(run);
    const [computing, waiting] = config.data.datasets;
    assert.match(computing.label, /holds the lock/);
    assert.match(waiting.label, /waiting for the lock/);
    assert.deepEqual(computing.data.filter((d) => d.task.id === 0).map((d) => d.x), run.tasks[0].held);
    // Task 0 runs 0.0001..0.02 and holds the lock for three stretches: the two gaps between them are waits.
    assert.deepEqual(waiting.data.filter((d) => d.task.id === 0).map((d) => d.x), [[0.005, 0.01], [0.015, 0.018]]);
    assert.deepEqual(waiting.data.filter((d) => d.task.id === 1).map((d) => d.x), [[0.0001, 0.005], [0.01, 0.015], [0.018, 0.02]]);
    // Other modes keep one compute bar per task; a processes run also draws its start-up on every worker's row.
    const plain = makeTimelineConfig(browserFile().runs[0]);
    assert.deepEqual(plain.data.datasets.map((d) => d.label.replace(/^\w+ /, '')), ['compute', 'start-up (no task yet)']);
    assert.equal(plain.data.datasets[0].data.length, 2);
    assert.deepEqual(plain.data.datasets[1].data.map((d) => d.x), [[0, 0.04], [0, 0.04]]);
  });

  test('series and tables tell threads-gil runs apart by switch interval', () => {
    const good = browserFile();
    const gil = good.runs[2];
    const runs = [gil, { ...gil, workers: 1, wall_s: 0.031 }, { ...gil, switch_interval_ms: 1, wall_s: 0.04 }];
    const entries = runs.map((run, i) => ({ id: `b${i}`, source: 'browser', kind: 'browser', run }));
    const described = results.describeEntries(entries, SPECS);
    assert.deepEqual(described.map((e) => e.modeLabel), ['threads-gil (switch 5 ms)', 'threads-gil (switch 5 ms)', 'threads-gil (switch 1 ms)']);
    const series = results.speedupSeries(described, described[0].group);
    assert.deepEqual(series.map((s) => [s.mode, s.label]), [
      ['threads-gil', 'browser · threads-gil (switch 1 ms)'], ['threads-gil', 'browser · threads-gil (switch 5 ms)'],
    ]);
    const five = series.find((s) => s.modeLabel.includes('5 ms'));
    assert.equal(five.points.length, 2);
    assert.ok(Math.abs(five.points[1].speedup - 0.031 / 0.03) < 1e-9);
  });

  test('the size limit is checked before reading', async () => {
    let read = false;
    const big = { name: 'big.json', size: results.UPLOAD_LIMITS.bytes + 1, text: async () => { read = true; return '{}'; } };
    await assert.rejects(results.readResultsFile(big), /big\.json is 20\.0 MB; the limit is 20\.0 MB/);
    assert.equal(read, false, 'an oversized file is not read');
    const ok = new Blob([JSON.stringify(browserFile())]);
    ok.name = 'ok.json';
    const { data } = await results.readResultsFile(ok);
    assert.equal(data.runs.length, browserFile().runs.length);
    await assert.rejects(results.readResultsFile({ name: 'x', size: NaN }), results.ResultsFileError);
  });
});
