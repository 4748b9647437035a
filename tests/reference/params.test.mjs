// reference/cpython/parlab_ref/params.py against the core's lab info (`parlab info`): the reference keeps its own
// table so that it runs with plain python3 alone, and this test proves the table equal to the core's, so a
// parameter changed in cpp/ without the reference (or the other way round) fails here.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const parlab = join(repoRoot, 'build', 'native', 'parlab');

/// The reference's table and limits as JSON, read by the reference's own Python.
function referenceTable() {
  const code = 'import json\nfrom parlab_ref import params as p\n'
    + 'print(json.dumps({"specs": p.SPECS, "max_list_items": p.MAX_LIST_ITEMS, "max_tasks_per_run": p.MAX_TASKS_PER_RUN, '
    + '"max_workers": p.MAX_WORKERS, "workloads": p.WORKLOADS, "modes": p.MODES}))';
  const py = spawnSync(process.env.PYTHON ?? 'python3', ['-c', code], { cwd: join(repoRoot, 'reference', 'cpython'), encoding: 'utf8' });
  assert.equal(py.status, 0, `python3 could not read parlab_ref.params (bash scripts/setup.sh installs python3):\n${py.stderr}`);
  const table = JSON.parse(py.stdout);
  // (workload, name, type, default, min, max, choices, max_items, shape): in the lab info's terms.
  table.specs = table.specs.map(([workload, name, type, value, min, max, choices, maxItems, shape]) => ({
    workload, name, type: type === 'choice' ? 'enum' : type, default: value, min, max, choices, max_items: maxItems, shape,
  }));
  return table;
}

/// The core's lab info.
function labInfo() {
  assert.ok(existsSync(parlab), `${parlab} is missing: build it (bash scripts/build.sh)`);
  const info = spawnSync(parlab, ['info'], { encoding: 'utf8' });
  assert.equal(info.status, 0, `parlab info: ${info.stderr}`);
  return JSON.parse(info.stdout);
}

/// What both tables say about one parameter: the fields a spec of its type has.
function comparable(spec) {
  const out = { type: spec.type, default: spec.default };
  if (spec.type === 'enum') out.choices = [...spec.choices];
  else Object.assign(out, { min: Number(spec.min), max: Number(spec.max) });
  if (spec.type === 'int_list') out.max_items = spec.max_items;
  out.shape = spec.shape || '';
  return out;
}

test('every parameter of the reference\'s workloads has the core\'s name, type, default, bounds, choices and shape', () => {
  const reference = referenceTable();
  const info = labInfo();
  const key = (s) => `${s.workload || '(every workload)'} ${s.name}`;
  const core = new Map(info.params.filter((s) => s.workload === '' || reference.workloads.includes(s.workload)).map((s) => [key(s), s]));
  const own = new Map(reference.specs.map((s) => [key(s), s]));
  assert.deepEqual([...own.keys()].sort(), [...core.keys()].sort(), 'the same parameters');
  for (const [name, spec] of core) assert.deepEqual(comparable(own.get(name)), comparable(spec), name);
});

test('the reference\'s workloads, modes and limits are the core\'s', () => {
  const reference = referenceTable();
  const info = labInfo();
  for (const w of reference.workloads) assert.ok(info.workloads.includes(w), `workload ${w} is one of the core's: ${info.workloads.join(', ')}`);
  const modes = info.modes.map((m) => m.name);
  for (const m of reference.modes) assert.ok(modes.includes(m), `mode ${m} is one of the core's: ${modes.join(', ')}`);
  assert.deepEqual(
    { max_list_items: reference.max_list_items, max_tasks_per_run: reference.max_tasks_per_run, max_workers: reference.max_workers },
    { max_list_items: info.limits.max_list_items, max_tasks_per_run: info.limits.max_tasks_per_run, max_workers: info.limits.max_workers },
  );
});
