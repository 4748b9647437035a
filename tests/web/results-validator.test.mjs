// web/results-validator.mjs: the standalone module the page loads needs no eval, new Function or require, and
// judges every file as the validator compiled in Node does (the one the other tests of results.js use).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { compileUploadValidator, uploadValidatorModule } from '../../web/results-validator.mjs';

const task = (id, extra = {}) => ({ id, worker: 0, pid: 1, thread: 1, phase: 'compute', start_s: 0, end_s: 0.5, wait_s: 0, cpu_s: null, value: '7', ...extra });
const run = (extra = {}) => ({
  workload: 'primes', params: { shape: 'chunked', n: 20000, chunks: 2 }, mode: 'threads', workers: 2, ok: true, complete: true,
  error: null, started_at: '2026-11-23T08:00:00Z', wall_s: 0.5, startup_s: 0, cpu_s: null, avg_task_s: 0.5,
  hardware_concurrency: 2, task_count: 2, tasks_done: 2, checksum: '14', tasks: [task(0), task(1)], ...extra,
});
const file = (runs = [run()], extra = {}) => ({
  schema_version: 1, generator: 'parlab', created: '2026-11-23T08:00:00Z',
  environment: { target: 'wasm', os: null, cpu_model: null, logical_cpus: 2, compiler: null, user_agent: 'x', cross_origin_isolated: true },
  runs, ...extra,
});

// Good files, files with fields to drop or fill in, and one bad file per kind of rule in the schema.
const CASES = {
  'a browser file': file(),
  'a run converted from another tool': file([run({ mode: 'external', tasks: [], checksum: null, started_at: null })]),
  'unknown fields everywhere': file([run({ note: 1, tasks: [task(0, { extra: true })] })], { notes: 'x' }),
  'missing nullable fields': file([{ workload: 'primes', params: {}, mode: 'threads', workers: 1, ok: false, complete: false }]),
  'workers out of range': file([run({ workers: 257 })]),
  'a checksum of 2^64': file([run({ checksum: '18446744073709551616' })]),
  'a checksum of 2^64 - 1': file([run({ checksum: '18446744073709551615' })]),
  'a long string': file([run({ workload: 'w'.repeat(4097) })]),
  'a params value that is an object': file([run({ params: { n: {} } })]),
  'too many params': file([run({ params: Object.fromEntries(Array.from({ length: 33 }, (_, k) => [`k${k}`, k])) })]),
  'a held triple': file([run({ mode: 'threads-gil', tasks: [task(0, { held: [[0, 1, 2]] })] })]),
  'an ok run without wall_s': file([run({ wall_s: null })]),
  // Missing, not null: the default (null) is filled in after the ok-run rule looked, so the rule requires the field.
  'an ok run with no wall_s field': file([(({ wall_s, ...rest }) => rest)(run())]),
  'the default build without the GIL': file(undefined, { environment: { target: 'cpython', python_build: 'default', gil_enabled: false } }),
  'no runs': file([]),
};

describe('the page\'s Upload validator', () => {
  let dir;
  let standalone;
  const compiled = compileUploadValidator();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parlab-validator-'));
    writeFileSync(join(dir, 'results-validator.mjs'), uploadValidatorModule());
    ({ validateUpload: standalone } = await import(join(dir, 'results-validator.mjs')));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the standalone module runs under a policy without unsafe-eval: no eval, new Function or require', () => {
    const code = uploadValidatorModule();
    assert.doesNotMatch(code, /\beval\(|\bnew Function\b|\bFunction\(|\brequire\(/);
    assert.match(code, /\bexport const validateUpload\b/);
  });

  for (const [label, data] of Object.entries(CASES)) {
    test(`${label}: the standalone and the compiled validator agree, on the verdict, the error and the data kept`, () => {
      const a = structuredClone(data);
      const b = structuredClone(data);
      const verdict = compiled(a);
      assert.equal(standalone(b), verdict);
      const firstError = (v) => v.errors && { path: v.errors[0].instancePath, keyword: v.errors[0].keyword };
      assert.deepEqual(firstError(standalone), firstError(compiled));
      if (verdict) assert.deepEqual(b, a);
    });
  }

  test('the verdicts are the schema\'s: good files pass with unknown fields dropped and nulls filled in', () => {
    const kept = structuredClone(CASES['unknown fields everywhere']);
    assert.ok(standalone(kept));
    assert.equal('notes' in kept, false);
    assert.equal('note' in kept.runs[0], false);
    assert.equal('extra' in kept.runs[0].tasks[0], false);
    const filled = structuredClone(CASES['missing nullable fields']);
    assert.ok(standalone(filled));
    assert.deepEqual([filled.runs[0].wall_s, filled.runs[0].checksum, filled.runs[0].tasks, filled.environment.os], [null, null, [], null]);
    for (const good of ['a browser file', 'a run converted from another tool', 'a checksum of 2^64 - 1']) assert.ok(standalone(structuredClone(CASES[good])), good);
    for (const [bad, path, keyword] of [
      ['workers out of range', '/runs/0/workers', 'maximum'], ['a checksum of 2^64', '/runs/0/checksum', 'u64'],
      ['a long string', '/runs/0/workload', 'maxLength'], ['a params value that is an object', '/runs/0/params/n', 'type'],
      ['too many params', '/runs/0/params', 'maxProperties'], ['a held triple', '/runs/0/tasks/0/held/0', 'maxItems'],
      ['an ok run without wall_s', '/runs/0/wall_s', 'type'], ['an ok run with no wall_s field', '/runs/0', 'required'],
      ['the default build without the GIL', '/environment/gil_enabled', 'not'],
      ['no runs', '/runs', 'minItems'],
    ]) {
      assert.equal(standalone(structuredClone(CASES[bad])), false, bad);
      assert.deepEqual([standalone.errors[0].instancePath, standalone.errors[0].keyword], [path, keyword], bad);
    }
  });
});
