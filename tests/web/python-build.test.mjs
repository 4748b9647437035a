// CPython results sets are named by build and GIL state ("CPython 3.14t, GIL off") in set labels and the
// environments table; the schema and the page's Upload accept the new fields and refuse contradictory ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv'; // draft-07, the schema's dialect
import addFormats from 'ajv-formats'; // "date-time" for created / started_at
import { environmentColumns, environmentName, parseResultsText, pythonBuildLabel } from '../../web/site/results.js';
import { AppState } from '../../web/site/state.js';

const repo_root = fileURLToPath(new URL('../../', import.meta.url));
const ajv = new Ajv({ allErrors: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(join(repo_root, 'docs', 'results.schema.json'), 'utf8')));

/// A CPython results file of one sequential run, its environment given `build` (fields added or replaced).
function cpythonFile(build) {
  return {
    schema_version: 1, generator: 'parlab-cpython 0.1.0', created: '2026-11-23T08:00:00Z',
    environment: {
      target: 'cpython', os: 'Linux 6.1.0 x86_64', cpu_model: null, logical_cpus: 16, compiler: 'CPython 3.14.0',
      user_agent: null, cross_origin_isolated: null, ...build,
    },
    runs: [{
      workload: 'primes', params: { inputs: [2, 1000] }, mode: 'sequential', workers: 1, ok: true, complete: true,
      error: null, started_at: '2026-11-23T08:00:00.010Z', wall_s: 0.002, startup_s: 0, cpu_s: 0.002,
      avg_task_s: 0.001, hardware_concurrency: 16, task_count: 2, tasks_done: 2, checksum: '76127',
      tasks: [
        { id: 0, worker: 0, pid: 7, thread: 7, phase: 'compute', start_s: 0, end_s: 0.001, wait_s: 0, cpu_s: 0.001, value: '0' },
        { id: 1, worker: 0, pid: 7, thread: 7, phase: 'compute', start_s: 0.001, end_s: 0.002, wait_s: 0, cpu_s: 0.001, value: '76127' },
      ],
    }],
  };
}

const FREE_THREADED_GIL_OFF = { python_version: '3.14.0', python_build: 'free-threaded', gil_enabled: false };
const upload = (file, name = 'py.json') => parseResultsText(JSON.stringify(file), name).data;

test('an uploaded file declaring the free-threaded build with the GIL off is labelled "CPython 3.14t, GIL off"', () => {
  const file = cpythonFile(FREE_THREADED_GIL_OFF);
  assert.ok(validate(file), `the schema accepts it: ${JSON.stringify(validate.errors)}`);
  const data = upload(file);
  assert.deepEqual(
    [data.environment.python_version, data.environment.python_build, data.environment.gil_enabled],
    ['3.14.0', 'free-threaded', false], 'Upload keeps the build fields');
  assert.equal(pythonBuildLabel(data.environment), 'CPython 3.14t, GIL off');

  const state = new AppState();
  const set = state.addUploadedSet('py.json', data);
  assert.equal(set.label, 'CPython 3.14t, GIL off (uploaded: py.json)', 'the set label');
  const again = state.addUploadedSet('py.json', upload(file));
  assert.equal(again.label, 'CPython 3.14t, GIL off (uploaded: py.json #2)', 'a second upload of the same name');
  assert.ok(state.renameUploadedSet(set.id, 'ft.json'));
  assert.equal(state.uploadedSets[0].label, 'CPython 3.14t, GIL off (uploaded: ft.json)', 'a renamed set keeps its build');

  const [column] = environmentColumns([set]);
  assert.equal(column.source, 'CPython 3.14t, GIL off (uploaded: ft.json)');
  assert.equal(column.compiler, 'CPython 3.14t, GIL off (CPython 3.14.0)', 'the environments table\'s interpreter row');
});

test('each build and GIL state has its own name; other targets keep theirs', () => {
  const cases = [
    [{ python_version: '3.11.7', python_build: 'default', gil_enabled: true, compiler: 'CPython 3.11.7' }, 'CPython 3.11, GIL on'],
    [{ python_version: '3.14.0', python_build: 'default', gil_enabled: true }, 'CPython 3.14, GIL on'],
    [{ python_version: '3.14.0', python_build: 'free-threaded', gil_enabled: true }, 'CPython 3.14t, GIL on'],
    [{ python_version: '3.13.1', python_build: 'free-threaded', gil_enabled: false }, 'CPython 3.13t, GIL off'],
    // Files written before run.py recorded the build: only versions before 3.13 had no other build.
    [{ compiler: 'CPython 3.11.7' }, 'CPython 3.11, GIL on'],
    [{ compiler: 'CPython 3.13.1' }, 'CPython 3.13, GIL not recorded'],
    [{ compiler: 'CPython' }, 'CPython, GIL not recorded'],
  ];
  for (const [build, expected] of cases) {
    const file = cpythonFile(build);
    assert.ok(validate(file), `${expected}: the schema accepts it: ${JSON.stringify(validate.errors)}`);
    const data = upload(file);
    assert.equal(pythonBuildLabel(data.environment), expected);
    assert.equal(environmentName(data.environment), expected);
    assert.equal(new AppState().addUploadedSet('a.json', data).label, `${expected} (uploaded: a.json)`);
  }
  const native = { target: 'native', compiler: 'GCC 12.2.0' };
  assert.equal(pythonBuildLabel(native), null);
  assert.equal(environmentName(native), 'native');
  assert.equal(environmentColumns([{ label: 'native (uploaded: n.json)', generator: 'parlab 0.1.0', environment: native }])[0].compiler, 'GCC 12.2.0');
});

test('contradictory or malformed build fields are refused, naming the field', () => {
  const cases = [
    [{ python_build: 'nogil' }, /environment\.python_build must be "default" or "free-threaded" \(found "nogil"\)/, '/environment/python_build', 'enum'],
    [{ gil_enabled: 'no' }, /environment\.gil_enabled must be true, false or null \(found "no"\)/, '/environment/gil_enabled', 'type'],
    [{ python_build: 'default', gil_enabled: false }, /environment\.gil_enabled must be true when python_build is "default"/, '/environment/gil_enabled', 'const'],
  ];
  for (const [build, message, path, keyword] of cases) {
    const file = cpythonFile(build);
    assert.throws(() => upload(file), message);
    assert.equal(validate(file), false, `the schema rejects ${JSON.stringify(build)}`);
    assert.ok(validate.errors.some((e) => e.instancePath === path && e.keyword === keyword),
      `${keyword} at ${path}: ${JSON.stringify(validate.errors)}`);
  }
});
