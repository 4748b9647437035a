// The set-up <-> URL query of web/site/url-state.js: round trips, and bad values left out with a note naming them.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { parseSetup, serialiseSetup } from '../../web/site/url-state.js';
import { loadPageLabInfo } from './lab-info.mjs';

await loadPageLabInfo(); // modes.js: the modes and bounds, as the lab worker's ready message gives them

// The parameter specs as Module.get_param_specs() gives them (the bounds parseSetup checks against).
const SPECS = [
  { workload: 'primes', name: 'shape', type: 'enum', default: 'inputs', min: 0, max: 0, choices: ['inputs', 'chunked'] },
  { workload: 'primes', name: 'inputs', type: 'int_list', default: '1000000,2000000,3000000', min: 2, max: 100000000, max_items: 64, shape: 'inputs' },
  { workload: 'primes', name: 'n', type: 'int', default: '2000000', min: 2, max: 100000000, shape: 'chunked' },
  { workload: 'primes', name: 'chunks', type: 'int', default: '64', min: 1, max: 4096, shape: 'chunked' },
  { workload: 'download', name: 'count', type: 'int', default: '12', min: 1, max: 1000 },
  { workload: 'download', name: 'latency_ms', type: 'float', default: '400', min: 0, max: 10000 },
  { workload: 'factorials', name: 'inputs', type: 'int_list', default: '10,20,30,40,50', min: 0, max: 20000, max_items: 64 },
  { workload: 'factorials', name: 'repeat', type: 'int', default: '1000', min: 1, max: 100000 },
  { workload: '', name: 'crash_task', type: 'int', default: '-1', min: -1, max: 999999 },
  { workload: '', name: 'crash_how', type: 'enum', default: 'throw', min: 0, max: 0, choices: ['throw', 'abort', 'exit'] },
];

test('a full set-up survives serialise -> parse unchanged', () => {
  const setup = {
    workload: 'primes', params: { shape: 'chunked', n: '300000', chunks: '16' }, mode: 'threads-gil', workers: 4,
    sweepModes: ['sequential', 'processes'], sweepWorkers: [1, 2, 4], switchIntervalMs: 2.5,
  };
  const query = serialiseSetup(setup);
  assert.equal(query, 'workload=primes&shape=chunked&n=300000&chunks=16&mode=threads-gil&workers=4&sweep_modes=sequential,processes&sweep_workers=1,2,4&switch_interval_ms=2.5');
  const { setup: back, notes } = parseSetup(`?${query}`, SPECS);
  assert.deepEqual(notes, []);
  assert.deepEqual(back, setup);
});

test('the cold-start option: 1 goes into the link, off is left out, anything else is ignored with a note', () => {
  const setup = { workload: 'primes', params: {}, mode: 'processes', workers: 2, coldStart: true };
  const query = serialiseSetup(setup);
  assert.equal(query, 'workload=primes&mode=processes&workers=2&cold_start=1');
  assert.deepEqual(parseSetup(query, SPECS), { setup, notes: [] });
  assert.equal(serialiseSetup({ ...setup, coldStart: false }), 'workload=primes&mode=processes&workers=2');
  assert.equal(parseSetup('cold_start=0', SPECS).setup.coldStart, false);
  const { setup: bad, notes } = parseSetup('cold_start=<b>yes</b>', SPECS);
  assert.equal(bad.coldStart, undefined);
  assert.deepEqual(notes, ['Ignored cold_start="<b>yes</b>" from the link: cold_start must be 1 (start process workers afresh for each run) or 0.']);
});

test('lists keep their commas readable and odd characters are encoded', () => {
  const query = serialiseSetup({ workload: 'factorials', params: { inputs: '10,20,30', repeat: '5' }, mode: 'async', workers: 200 });
  assert.equal(query, 'workload=factorials&inputs=10,20,30&repeat=5&mode=async&workers=200');
  assert.match(serialiseSetup({ workload: 'a&b=c' }), /^workload=a%26b%3Dc$/);
  assert.deepEqual(parseSetup(query, SPECS).setup.params, { inputs: '10,20,30', repeat: '5' });
  assert.equal(parseSetup(query, SPECS).setup.workers, 200);
});

test('bad values are left out, each with one line naming the parameter and its bounds', () => {
  const { setup, notes } = parseSetup('workload=primes&shape=chunked&n=1&chunks=abc&mode=fork&workers=99&sweep_modes=threads,bogus&sweep_workers=0,2&switch_interval_ms=5000&zzz=1&count=3', SPECS);
  assert.deepEqual(setup, { workload: 'primes', params: { shape: 'chunked' } });
  const expect = [
    /^Ignored n="1" from the link: n must be between 2 and 100000000\.$/,
    /^Ignored chunks="abc" from the link: chunks must be a whole number between 1 and 4096\.$/,
    /^Ignored zzz="1" from the link: zzz is not a setting this page knows\.$/,
    /^Ignored count="3" from the link: count is not a parameter of primes\.$/,
    /^Ignored mode="fork" from the link: mode must be one of sequential, threads, threads-gil, async, processes\.$/,
    /^Ignored workers="99" from the link: workers must be a whole number between 1 and 64 \(256 in async mode\)\.$/,
    /^Ignored sweep_modes="threads,bogus" from the link: sweep_modes must be a comma list of /,
    /^Ignored sweep_workers="0,2" from the link: sweep_workers must be a comma list of 1 to 64 whole numbers, each 1 to 256\.$/,
    /^Ignored switch_interval_ms="5000" from the link: switch_interval_ms must be a number between 0.1 and 1000\.$/,
  ];
  assert.equal(notes.length, expect.length, notes.join('\n'));
  expect.forEach((re, i) => assert.match(notes[i], re));
  for (const note of notes) assert.ok(!note.includes('\n'));
});

test('an unknown workload falls back to the first, and its parameters are checked against that one', () => {
  const { setup, notes } = parseSetup('workload=sorting&inputs=5,6', SPECS);
  assert.equal(setup.workload, undefined);
  assert.deepEqual(setup.params, { inputs: '5,6' }); // primes inputs: each 2..1e8
  assert.match(notes[0], /^Ignored workload="sorting" from the link: workload must be one of primes, download, factorials\.$/);
});

test('hostile or odd queries never throw', () => {
  const odd = ['', '?', '%', '%E0%A4%A', 'workload', '=&=&', 'workload=primes&workload=download', `n=${'9'.repeat(500)}`,
    'x'.repeat(10_000), 'inputs=1,,2', 'constructor=1&__proto__=2', 'workers=1e1', 'workers=-3', 'switch_interval_ms=', 'coi=1'];
  for (const q of odd) {
    const { setup, notes } = parseSetup(q, SPECS);
    assert.equal(typeof setup, 'object');
    assert.ok(Array.isArray(notes));
    for (const note of notes) assert.ok(note.length < 400 && !note.includes('\n'), note);
  }
  assert.match(parseSetup('workload=primes&workload=download', SPECS).notes[0], /workload is given twice/);
  assert.deepEqual(parseSetup('coi=1', SPECS).notes, []);
  assert.match(parseSetup('x'.repeat(10_000), SPECS).notes[0], /over the 8192/);
  assert.deepEqual(Object.keys(parseSetup('constructor=1&__proto__=2', SPECS).setup.params), []);
});
