// Trace import (web/site/trace-import.js): a VizTracer-shaped file with two processes and several threads, a bare
// array, B/E pairing and nesting, the draw bounds, and hostile input (too big, too deep, wrong types, unmatched B/E,
// HTML in names), each refused or read with one line that names the file.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  TRACE_LIMITS, TraceFileError, buildTrace, cleanTraceName, looksLikeTrace, makeTraceConfig, parseTraceText, readTraceFile,
  tickLabel, traceSummary, traceTableRows,
} from '../../web/site/trace-import.js';

/// What VizTracer writes for a Python program with a thread pool and a process pool: X events (ts/dur in µs,
/// relative), M metadata naming each process and thread, displayTimeUnit, and its own metadata and file_info
/// blocks after traceEvents (src/viztracer/report_builder.py), which the page does not read.
function vizTracerFile() {
  const meta = (name, pid, tid, value) => ({ ph: 'M', name, pid, tid, args: { name: value } });
  return {
    traceEvents: [
      meta('process_name', 100, 100, 'python3 main.py'),
      meta('thread_name', 100, 100, 'MainThread'),
      meta('thread_name', 100, 101, 'ThreadPoolExecutor-0_0'),
      meta('thread_name', 100, 102, 'ThreadPoolExecutor-0_1'),
      meta('process_name', 200, 200, 'python3 worker'),
      meta('thread_name', 200, 200, 'MainThread'),
      { ph: 'X', name: 'main (main.py:10)', cat: 'FEE', pid: 100, tid: 100, ts: 1000, dur: 9000 },
      { ph: 'X', name: 'submit (thread.py:160)', cat: 'FEE', pid: 100, tid: 100, ts: 1100, dur: 50 },
      { ph: 'X', name: 'work (main.py:3)', cat: 'FEE', pid: 100, tid: 101, ts: 1200, dur: 3000 },
      { ph: 'X', name: 'is_prime (main.py:1)', cat: 'FEE', pid: 100, tid: 101, ts: 1300, dur: 100 },
      { ph: 'X', name: 'work (main.py:3)', cat: 'FEE', pid: 100, tid: 102, ts: 1250, dur: 2800 },
      { ph: 'X', name: 'work (main.py:3)', cat: 'FEE', pid: 200, tid: 200, ts: 2000, dur: 4000 },
      { ph: 'i', name: 'an instant', pid: 100, tid: 100, ts: 5000, s: 't' },
      { ph: 'C', name: 'counter', pid: 100, tid: 100, ts: 5000, args: { value: 1 } },
    ],
    displayTimeUnit: 'ns',
    viztracer_metadata: { version: '0.16.3', overflow: false },
    file_info: { files: { 'main.py': ['def work(n):\n    ...\n', 12] }, functions: { 'work (main.py:3)': ['main.py', 3] } },
  };
}

const textOf = (data) => JSON.stringify(data);

test('a VizTracer-shaped file: one row per pid/tid named from metadata, X events as bars, wall time from first to last', () => {
  const trace = parseTraceText(textOf(vizTracerFile()), 'viz.json');
  assert.equal(trace.displayTimeUnit, 'ns');
  assert.deepEqual(trace.rows.map((r) => r.label), [
    'python3 main.py (pid 100) · MainThread (tid 100)',
    'python3 main.py (pid 100) · ThreadPoolExecutor-0_0 (tid 101)',
    'python3 main.py (pid 100) · ThreadPoolExecutor-0_1 (tid 102)',
    'python3 worker (pid 200) · MainThread (tid 200)',
  ]);
  assert.equal(trace.wall_s, (10000 - 1000) / 1e6);
  assert.equal(trace.bars.length, 6);
  assert.equal(trace.counts.slices, 6);
  assert.equal(trace.counts.notDrawn, 0);
  const first = trace.bars[0];
  assert.deepEqual({ ...first }, { row: 0, start_s: 0, end_s: 0.009, name: 'main (main.py:10)', cat: 'FEE', depth: 0 });
  const nested = trace.bars.find((b) => b.name === 'submit (thread.py:160)');
  assert.equal(nested.depth, 1, 'a slice inside another on its thread is one deeper');
  assert.equal(trace.bars.find((b) => b.name === 'is_prime (main.py:1)').depth, 1);
  assert.ok(trace.notes.some((n) => /2 events of phases not drawn \((i: 1, C: 1|C: 1, i: 1)\)/.test(n)), trace.notes.join(' | '));
  assert.match(traceSummary(trace), /^Trace viz\.json: wall time 0\.009 s .*4 threads drawn, 6 slices of 6 drawn, from 14 events\.$/);
});

test('the chart config and table: rows as labels, bars by depth, times in the display unit', () => {
  const trace = parseTraceText(textOf(vizTracerFile()), 'viz.json');
  const config = makeTraceConfig(trace);
  assert.equal(config.options.indexAxis, 'y');
  assert.deepEqual(config.data.labels, trace.rows.map((r) => r.label));
  assert.equal(config.options.scales.y.ticks.callback(0, 1), 'python3 main.py (pid 100) · ThreadPoolExecutor-0_0 (tid 101)');
  assert.equal(tickLabel({ process: 'Service: network.mojom.NetworkService', pid: 7, thread: '', tid: 'x' }), 'Service: network.mojo… (pid 7) · thread (tid x)');
  assert.equal(config.options.scales.x.title.text, "µs since the trace's first event", 'displayTimeUnit ns shows µs with ns digits');
  const points = config.data.datasets.flatMap((d) => d.data);
  assert.equal(points.length, 6);
  assert.deepEqual(config.data.datasets.map((d) => d.label), ['slice (outermost)', 'nested 1 deep']);
  const worker = points.find((p) => p.y === 'python3 worker (pid 200) · MainThread (tid 200)');
  assert.deepEqual(worker.x, [1000, 5000]);
  const { rows, total } = traceTableRows(trace);
  assert.equal(total, 6);
  assert.deepEqual(rows[0], ['python3 main.py (pid 100) · MainThread (tid 100)', 'main (main.py:10)', 'FEE', '0.000', '9000.000', '9000.000', '0']);
  const ms = parseTraceText(textOf({ ...vizTracerFile(), displayTimeUnit: 'ms' }), 'viz.json');
  assert.equal(makeTraceConfig(ms).options.scales.x.title.text, "ms since the trace's first event");
  assert.equal(traceTableRows(ms).rows[0][4], '9.000');
  // VizTracer writes "us" (its default), which the format does not name: microseconds; an unknown unit is said.
  const us = parseTraceText(textOf({ ...vizTracerFile(), displayTimeUnit: 'us' }), 'viz.json');
  assert.equal(traceTableRows(us).rows[0][4], '9000.000');
  const odd = parseTraceText(textOf({ ...vizTracerFile(), displayTimeUnit: '<b>s</b>' }), 'viz.json');
  assert.equal(odd.displayTimeUnit, 'ms');
  assert.equal(odd.notes[0], 'displayTimeUnit "<b>s</b>" is not one of ms, us, ns: times are shown in ms');
});

test('a bare array with B/E pairs: paired per thread in time order, nested, unnamed rows named by pid and tid', () => {
  const events = [
    { ph: 'E', pid: 1, tid: 2, ts: 40 }, // closes the B at 10, though it comes first in the file
    { ph: 'B', name: 'outer', pid: 1, tid: 2, ts: 10 },
    { ph: 'B', name: 'inner', pid: 1, tid: 2, ts: 20 },
    { ph: 'E', pid: 1, tid: 2, ts: 30 },
    { ph: 'B', name: 'other thread', pid: 1, tid: 3, ts: 15 },
    { ph: 'E', name: 'other thread', pid: 1, tid: 3, ts: 25 },
  ];
  const trace = parseTraceText(textOf(events), 'bare.json');
  assert.deepEqual(trace.rows.map((r) => r.label), ['process (pid 1) · thread (tid 2)', 'process (pid 1) · thread (tid 3)']);
  assert.deepEqual(trace.bars.map((b) => [b.name, b.row, b.depth, b.start_s * 1e6, b.end_s * 1e6]),
    [['outer', 0, 0, 0, 30], ['other thread', 1, 0, 5, 15], ['inner', 0, 1, 10, 20]]);
  assert.equal(trace.wall_s, 30 / 1e6);
  assert.equal(trace.displayTimeUnit, 'ms');
  assert.equal(trace.counts.unmatchedBegin, 0);
  assert.equal(trace.counts.unmatchedEnd, 0);
});

test('unmatched B and E are counted and said, not drawn, and do not stop the rest', () => {
  const trace = parseTraceText(textOf({ traceEvents: [
    { ph: 'E', pid: 1, tid: 1, ts: 1 },
    { ph: 'B', name: 'never ends', pid: 1, tid: 1, ts: 5 },
    { ph: 'B', name: 'never ends either', pid: 1, tid: 1, ts: 6 },
    { ph: 'X', name: 'fine', pid: 1, tid: 1, ts: 2, dur: 1 },
  ] }), 'u.json');
  assert.equal(trace.counts.unmatchedBegin, 2);
  assert.equal(trace.counts.unmatchedEnd, 1);
  assert.deepEqual(trace.bars.map((b) => b.name), ['fine']);
  assert.ok(trace.notes.includes('2 B events never ended (not drawn)'), trace.notes.join(' | '));
  assert.ok(trace.notes.includes('1 E event had no B to close (not drawn)'), trace.notes.join(' | '));
  assert.throws(() => parseTraceText(textOf([{ ph: 'B', name: 'x', pid: 1, tid: 1, ts: 1 }]), 'b.json'),
    (e) => e instanceof TraceFileError && e.message === 'b.json (read as a Chrome trace): it holds no complete (X) event and no B/E pair to draw (1 B event never ended, 0 E events with no B)');
});

test('events of the wrong types are skipped and counted; unknown keys are not read', () => {
  const trace = parseTraceText(textOf({ traceEvents: [
    null, 7, 'X', [], { ph: 5 },
    { ph: 'X', name: 'no ts', pid: 1, tid: 1, dur: 1 },
    { ph: 'X', name: 'string ts', pid: 1, tid: 1, ts: '3', dur: 1 },
    { ph: 'X', name: 'negative dur', pid: 1, tid: 1, ts: 3, dur: -1 },
    { ph: 'X', name: 'ends past every number', pid: 1, tid: 1, ts: 1.7e308, dur: 1.7e308 },
    { ph: 'X', name: 'object pid', pid: {}, tid: 1, ts: 3, dur: 1 },
    { ph: 'M', name: 'thread_name', pid: 1, tid: 1, args: { name: 42 } },
    { ph: 'X', name: { toString: 'no' }, pid: 1, tid: 1, ts: 3, dur: 2, extra: { deep: [1, 2] }, __proto__x: 1 },
  ] }), 'types.json');
  assert.equal(trace.counts.skipped, 11);
  assert.equal(trace.bars.length, 1);
  assert.equal(trace.bars[0].name, '', 'a name that is no string is no name');
  assert.deepEqual(Object.keys(trace.bars[0]).sort(), ['cat', 'depth', 'end_s', 'name', 'row', 'start_s']);
  assert.equal(trace.rows[0].label, 'process (pid 1) · thread (tid 1)', 'a thread_name that is no string names nothing');
});

test('HTML and control characters in names stay text, one line, bounded; __proto__ keys are dropped', () => {
  const html = '<img src=x onerror=alert(1)>\n<script>alert(2)</script>';
  const trace = parseTraceText(`{"traceEvents":[{"ph":"M","name":"process_name","pid":1,"tid":1,"args":{"name":${JSON.stringify(html)}}},`
    + `{"ph":"X","name":${JSON.stringify('x'.repeat(500))},"pid":1,"tid":1,"ts":0,"dur":1,"__proto__":{"polluted":true}}]}`, 'h.json');
  assert.equal(trace.rows[0].process, '<img src=x onerror=alert(1)> <script>alert(2)</script>', 'kept as text: the view sets textContent');
  assert.equal(trace.bars[0].name.length, TRACE_LIMITS.nameChars);
  assert.equal({}.polluted, undefined);
  assert.equal(cleanTraceName('a\u2028b\u0000c'), 'a b c');
});

test('hostile files are refused with one line naming the file: too big, too deep, not JSON, wrong shapes', async () => {
  const refused = (text, pattern) => assert.throws(() => parseTraceText(text, 'bad.json'), (e) => e instanceof TraceFileError && pattern.test(e.message) && !e.message.includes('\n'), `expected ${pattern}`);
  refused(`[${'['.repeat(40)}${']'.repeat(40)}]`, /^bad\.json nests objects or arrays more than 32 deep \(at character 32\)/);
  refused('{"traceEvents": [{"ph": "X",}]}', /^bad\.json is not valid JSON \(it looks like a Chrome trace\): line 1, column \d+/);
  refused('{"traceEvents": {"ph": "X"}}', /^bad\.json \(read as a Chrome trace\): traceEvents must be an array of events \(found an object\)$/);
  refused('[]', /it holds no events$/);
  refused('"just a string"', /a trace is an object with traceEvents or an array of events \(found "just a string"\)$/);
  refused(' '.repeat(TRACE_LIMITS.bytes + 1), /^bad\.json is over 64\.0 MB, the limit for a trace$/);
  await assert.rejects(readTraceFile({ name: 'huge.json', size: TRACE_LIMITS.bytes + 1, text: () => assert.fail('read before the size check') }),
    (e) => e instanceof TraceFileError && e.message === 'huge.json is 64.0 MB; the limit for a trace is 64.0 MB');
  const many = `[${'{},'.repeat(TRACE_LIMITS.events)}{}]`;
  refused(many, /it holds 1,000,001 events; the limit is 1,000,000$/);
});

test('past the bounds: the longest slices are drawn, the rest counted; threads past the row limit are summarised', () => {
  const events = [];
  const extraRows = 3;
  for (let tid = 0; tid < TRACE_LIMITS.rows + extraRows; tid++) {
    for (let k = 0; k < 100; k++) events.push({ ph: 'X', name: `t${tid}e${k}`, pid: 9, tid, ts: k * 10, dur: 1 + (k % 7) });
  }
  const trace = buildTrace(events, 'big.json');
  assert.equal(trace.rows.length, TRACE_LIMITS.rows);
  assert.equal(trace.counts.rowsNotDrawn, extraRows);
  assert.equal(trace.bars.length, TRACE_LIMITS.bars);
  assert.equal(trace.counts.notDrawn, events.length - TRACE_LIMITS.bars);
  assert.ok(trace.notes[0].startsWith(`${(events.length - TRACE_LIMITS.bars).toLocaleString('en-US')} more events not drawn`), trace.notes[0]);
  assert.ok(trace.notes.includes(`${extraRows} more threads not drawn (the limit is ${TRACE_LIMITS.rows} rows)`), trace.notes.join(' | '));
  const durations = events.filter((e) => e.tid < TRACE_LIMITS.rows).map((e) => e.dur).sort((a, b) => b - a);
  const shortestDrawn = Math.min(...trace.bars.map((b) => Math.round((b.end_s - b.start_s) * 1e6)));
  assert.equal(shortestDrawn, durations[TRACE_LIMITS.bars - 1], 'the longest slices were kept');
  for (let i = 1; i < trace.bars.length; i++) assert.ok(trace.bars[i].start_s >= trace.bars[i - 1].start_s, 'bars in start order');
});

test('looksLikeTrace: a bare array of events or an object with traceEvents; a results file is not one', () => {
  assert.equal(looksLikeTrace('\ufeff  [{"ph":"X"}'), true);
  assert.equal(looksLikeTrace('{"displayTimeUnit":"ns","traceEvents":['), true);
  assert.equal(looksLikeTrace('{"schema_version": 1, "runs": []}'), false);
  assert.equal(looksLikeTrace('[{"workload": "primes", "mode": "threads"}]'), false, 'a list of runs keeps the results message');
  assert.equal(looksLikeTrace('[[[[['), false);
  assert.equal(looksLikeTrace('{"generator": "x \\"traceEvents\\": y"}'), false, 'a quoted name inside a string is no key');
  assert.equal(looksLikeTrace(''), false);
});

// The lab's own export reads back: a trace `parlab run --trace-out` writes (cpp/trace.cpp, the writer the page's
// download uses too) imports with one row per process and worker thread and one bar per slice, nothing unmatched.
test('a trace parlab writes (--trace-out) imports with a row per worker process and every slice drawn', async () => {
  const { spawnSync } = await import('node:child_process');
  const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { fileURLToPath } = await import('node:url');
  const parlab = fileURLToPath(new URL('../../build/native/parlab', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'parlab-trace-roundtrip-'));
  try {
    const out = join(dir, 't.json');
    const done = spawnSync(parlab, ['run', '--workload', 'primes', '--shape', 'chunked', '--chunks', '16', '--mode', 'processes',
      '--workers', '2', '--trace-out', out], { encoding: 'utf8' });
    assert.equal(done.status, 0, done.stderr);
    const written = JSON.parse(readFileSync(out, 'utf8'));
    const trace = parseTraceText(readFileSync(out, 'utf8'), 't.json');
    const workers = trace.rows.filter((row) => /worker process \d+/.test(row.label));
    assert.equal(workers.length, 2, trace.rows.map((r) => r.label).join(' | '));
    assert.equal(trace.counts.unmatchedBegin + trace.counts.unmatchedEnd + trace.counts.skipped, 0);
    assert.equal(trace.counts.slices, written.traceEvents.filter((e) => e.ph === 'X').length);
    assert.equal(trace.counts.notDrawn, 0);
    // Each of the 16 tasks is one bar on a worker process's row.
    const workerRows = new Set(workers.map((row) => trace.rows.indexOf(row)));
    assert.equal(trace.bars.filter((bar) => workerRows.has(bar.row) && bar.depth === 0).length, 16);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
