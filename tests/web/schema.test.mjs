// The results-file schema (docs/results.schema.json): it compiles, accepts a valid file, rejects broken ones for
// the right reason, and accepts what the native program actually writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv'; // draft-07, the schema's dialect
import addFormats from 'ajv-formats'; // "date-time" for created / started_at

const repo_root = fileURLToPath(new URL('../../', import.meta.url));
const schema_path = join(repo_root, 'docs', 'results.schema.json');
const format_doc_path = join(repo_root, 'docs', 'results-format.md');
const parlab_path = join(repo_root, 'build', 'native', 'parlab');

function compile_schema() {
  const ajv = new Ajv({ allErrors: true });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(schema_path, 'utf8')));
}

const validate = compile_schema();

function describe_errors(errors) {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.keyword}: ${e.message}`).join('\n');
}

function assert_valid(file, label) {
  assert.ok(validate(file), `${label} should be valid, got:\n${describe_errors(validate.errors)}`);
}

/// Asserts that `file` is rejected with an error of `keyword` at `path` (the reason the case was built for).
function assert_invalid(file, path, keyword) {
  assert.equal(validate(file), false, `expected a ${keyword} error at ${path}, but the file was accepted`);
  const found = validate.errors.some((e) => e.instancePath === path && e.keyword === keyword);
  assert.ok(found, `expected a ${keyword} error at ${path}, got:\n${describe_errors(validate.errors)}`);
}

/// A small valid file: a native primes run with threads and a download run with processes.
function make_valid_file() {
  return {
    schema_version: 1,
    generator: 'parlab 0.1.0',
    created: '2026-11-23T08:00:00Z',
    environment: {
      target: 'native',
      os: 'Linux 6.1.0',
      cpu_model: 'AMD EPYC 7B13',
      logical_cpus: 2,
      compiler: 'GCC 12.2.0',
      user_agent: null,
      cross_origin_isolated: null,
    },
    runs: [
      {
        workload: 'primes',
        params: { shape: 'chunked', n: 200000, chunks: 2 },
        mode: 'threads',
        workers: 2,
        ok: true,
        complete: true,
        error: null,
        started_at: '2026-11-23T08:00:00.125Z',
        wall_s: 0.0123,
        startup_s: 0.0003,
        cpu_s: 0.0231,
        avg_task_s: 0.0115,
        hardware_concurrency: 2,
        task_count: 2,
        tasks_done: 2,
        checksum: '1709600813',
        tasks: [
          { id: 0, worker: 0, pid: 4242, thread: 4243, phase: 'compute', start_s: 0.0004, end_s: 0.0101,
            wait_s: 0, cpu_s: 0.0097, value: '454396537' },
          { id: 1, worker: 1, pid: 4242, thread: 4244, phase: 'compute', start_s: 0.0004, end_s: 0.0122,
            wait_s: 0, cpu_s: 0.0118, value: '1255204276' },
        ],
      },
      {
        workload: 'download',
        params: { count: 1, latency_ms: 400, jitter_ms: 0, seed: 1, work_kib: 64 },
        mode: 'processes',
        workers: 1,
        ok: true,
        complete: true,
        error: null,
        started_at: '2026-11-23T08:00:01Z',
        wall_s: 0.41,
        startup_s: 0.002,
        cpu_s: null,
        avg_task_s: 0.401,
        hardware_concurrency: 2,
        task_count: 1,
        tasks_done: 1,
        checksum: '18446744073709551615',
        tasks: [
          { id: 0, worker: 0, pid: 4250, thread: 4250, phase: 'download', start_s: 0.002, end_s: 0.403,
            wait_s: 0.4, cpu_s: null, value: '18446744073709551615' },
        ],
      },
    ],
  };
}

test('the schema compiles (draft-07, with formats)', () => {
  assert.equal(typeof compile_schema(), 'function');
});

test('a hand-made valid file passes', () => {
  assert_valid(make_valid_file(), 'the hand-made file');
});

test('a browser file (wasm, user agent, isolation flag) passes', () => {
  const file = make_valid_file();
  Object.assign(file.environment, {
    target: 'wasm', cpu_model: null, compiler: 'Emscripten 3.1.6',
    user_agent: 'Mozilla/5.0 (X11; Linux x86_64)', cross_origin_isolated: true,
  });
  assert_valid(file, 'the browser file');
});

test('extra fields at the top level and in environment are tolerated (future additions)', () => {
  const file = make_valid_file();
  file.notes = 'measured on a quiet machine';
  file.environment.memory_bytes = 8589934592;
  assert_valid(file, 'the file with extra fields');
});

test('a stopped run (complete: false, fewer tasks) and a failed run pass', () => {
  const file = make_valid_file();
  Object.assign(file.runs[0], { complete: false, tasks_done: 1, checksum: '454396537' });
  file.runs[0].tasks.pop();
  file.runs.push({
    ...make_valid_file().runs[1], ok: false, complete: false, error: 'process worker 0 exited with signal 9',
    tasks_done: 0, checksum: '0', avg_task_s: null, tasks: [],
  });
  assert_valid(file, 'the stopped and failed runs');
});

test('the example in docs/results-format.md passes', () => {
  const doc = readFileSync(format_doc_path, 'utf8');
  const block = doc.match(/```json\n([\s\S]*?)\n```/);
  assert.ok(block, 'docs/results-format.md has a ```json example');
  assert_valid(JSON.parse(block[1]), 'the documented example');
});

test('missing checksum is rejected', () => {
  const file = make_valid_file();
  delete file.runs[0].checksum;
  assert_invalid(file, '/runs/0', 'required');
  assert.ok(validate.errors.some((e) => e.params.missingProperty === 'checksum'));
});

test('an unknown mode is rejected', () => {
  const file = make_valid_file();
  file.runs[0].mode = 'fibers';
  assert_invalid(file, '/runs/0/mode', 'enum');
});

test('a checksum that is a number, not a string, is rejected', () => {
  const file = make_valid_file();
  file.runs[0].checksum = 1709600813;
  assert_invalid(file, '/runs/0/checksum', 'type');
});

test('a task value that is not a plain decimal string is rejected', () => {
  for (const bad of ['-1', '1.5', '0x10', '007', '', '123456789012345678901']) {
    const file = make_valid_file();
    file.runs[0].tasks[1].value = bad;
    assert_invalid(file, '/runs/0/tasks/1/value', 'pattern');
  }
});

test('a negative wall_s is rejected', () => {
  const file = make_valid_file();
  file.runs[0].wall_s = -0.5;
  assert_invalid(file, '/runs/0/wall_s', 'minimum');
});

test('a sequential run with more than one worker is rejected', () => {
  const file = make_valid_file();
  file.runs[0].mode = 'sequential';
  assert_invalid(file, '/runs/0/workers', 'const');
});

test('a failed run without an error message, or a good run with one, is rejected', () => {
  const failed = make_valid_file();
  failed.runs[0].ok = false;
  assert_invalid(failed, '/runs/0/error', 'type');
  const good = make_valid_file();
  good.runs[0].error = 'something';
  assert_invalid(good, '/runs/0/error', 'type');
});

test('wrong version, bad timestamp, bad target, zero CPUs are rejected', () => {
  const cases = [
    [(f) => { f.schema_version = 2; }, '/schema_version', 'const'],
    [(f) => { f.created = '23/11/2026 08:00'; }, '/created', 'format'],
    [(f) => { f.runs[0].started_at = '2026-11-23'; }, '/runs/0/started_at', 'format'],
    [(f) => { f.environment.target = 'browser'; }, '/environment/target', 'enum'],
    [(f) => { f.environment.logical_cpus = 0; }, '/environment/logical_cpus', 'minimum'],
    [(f) => { delete f.environment.cross_origin_isolated; }, '/environment', 'required'],
    [(f) => { f.runs[0].workers = 257; }, '/runs/0/workers', 'maximum'],
    [(f) => { f.runs[0].workers = 1.5; }, '/runs/0/workers', 'type'],
    [(f) => { f.runs[0].tasks[0].cpu_s = -1; }, '/runs/0/tasks/0/cpu_s', 'oneOf'],
    [(f) => { f.runs[0].tasks[0].phase = 'io'; }, '/runs/0/tasks/0/phase', 'enum'],
  ];
  for (const [mutate, path, keyword] of cases) {
    const file = make_valid_file();
    mutate(file);
    assert_invalid(file, path, keyword);
  }
});

test('a misspelled field in a run, a task or params is rejected', () => {
  const run_typo = make_valid_file();
  run_typo.runs[0].wall_seconds = 1;
  assert_invalid(run_typo, '/runs/0', 'additionalProperties');
  const task_typo = make_valid_file();
  task_typo.runs[0].tasks[0].startS = 0;
  assert_invalid(task_typo, '/runs/0/tasks/0', 'additionalProperties');
  const param_typo = make_valid_file();
  param_typo.runs[0].params.chunk = 8; // primes has "chunks"
  assert_invalid(param_typo, '/runs/0/params', 'additionalProperties');
});

test('the crash option in params and lost tasks (failed_tasks) pass', () => {
  const file = make_valid_file();
  const run = file.runs[1];
  Object.assign(run.params, { crash_task: 0, crash_how: 'abort' });
  Object.assign(run, {
    ok: false, complete: false, tasks_done: 0, checksum: '0', avg_task_s: null, tasks: [],
    error: '1 task lost to dead workers (replaced, the run went on); task 0: worker 0 (pid 4250) was killed by signal 6 (Aborted)',
    failed_tasks: [{ id: 0, error: 'worker 0 (pid 4250) was killed by signal 6 (Aborted)' }],
  });
  assert_valid(file, 'the run with a crash option and a lost task');
});

test('crash_task without crash_how, an unknown crash_how, lost tasks in an ok run are rejected', () => {
  const lone = make_valid_file();
  lone.runs[0].params.crash_task = 1;
  assert_invalid(lone, '/runs/0/params', 'dependencies');
  const how = make_valid_file();
  Object.assign(how.runs[0].params, { crash_task: 1, crash_how: 'segfault' });
  assert_invalid(how, '/runs/0/params/crash_how', 'enum');
  const ok = make_valid_file();
  ok.runs[0].failed_tasks = [{ id: 1, error: 'worker 1 (pid 4244) was killed by signal 9 (Killed)' }];
  assert_invalid(ok, '/runs/0/ok', 'const');
  const empty = make_valid_file();
  Object.assign(empty.runs[0], { ok: false, error: 'x', failed_tasks: [] });
  assert_invalid(empty, '/runs/0/failed_tasks', 'minItems');
});

test('a native run that loses a task to a crashed worker (respawn) writes a valid file', (t) => {
  assert.ok(existsSync(parlab_path), `${parlab_path} is missing: build it first (scripts/build.sh)`);
  const dir = mkdtempSync(join(tmpdir(), 'parlab-schema-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, 'results.json');
  const args = ['run', '--workload', 'factorials', '--repeat', '4', '--crash-task', '2', '--crash-how', 'abort',
    '--mode', 'processes', '--workers', '2', '--on-worker-death', 'respawn', '--out', out];
  const child = spawnSync(parlab_path, args, { encoding: 'utf8', timeout: 60_000 });
  assert.equal(child.status, 1, `parlab ${args.join(' ')}: exit ${child.status}:\n${child.stderr}`);
  const file = JSON.parse(readFileSync(out, 'utf8'));
  assert_valid(file, 'the native run with a lost task');
  const [run] = file.runs;
  assert.deepEqual(run.params, { inputs: [10, 20, 30, 40, 50], repeat: 4, crash_task: 2, crash_how: 'abort' });
  assert.deepEqual(run.failed_tasks.map((f) => f.id), [2]);
  assert.match(run.failed_tasks[0].error, /^worker [01] \(pid \d+\) was killed by signal 6/);
  assert.equal(run.tasks_done, 19);
  assert.ok(!run.tasks.some((task) => task.id === 2), 'the lost task has no record');
});

test('the native sweep writes a valid file that keeps its invariants', (t) => {
  assert.ok(existsSync(parlab_path),
    `${parlab_path} is missing: build it first (scripts/build.sh; npm test builds it before testing)`);
  const dir = mkdtempSync(join(tmpdir(), 'parlab-schema-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, 'results.json');
  const args = ['sweep', '--workload', 'primes', '--shape', 'chunked', '--n', '200000', '--chunks', '8',
    '--modes', 'sequential,threads,processes', '--workers', '1,2', '--out', out];
  const child = spawnSync(parlab_path, args, { encoding: 'utf8', timeout: 120_000 });
  assert.equal(child.status, 0,
    `parlab ${args.join(' ')} exited with ${child.status} (${child.signal ?? 'no signal'}):\n${child.stderr}`);

  const file = JSON.parse(readFileSync(out, 'utf8'));
  assert_valid(file, 'the native sweep output');
  assert.equal(file.environment.target, 'native');

  const seen = new Set(file.runs.map((r) => `${r.mode}x${r.workers}`));
  for (const key of ['sequentialx1', 'threadsx1', 'threadsx2', 'processesx1', 'processesx2']) {
    assert.ok(seen.has(key), `the sweep has a ${key} run (got ${[...seen].join(', ')})`);
  }

  const parent_pids = new Set(
    file.runs.filter((r) => r.mode !== 'processes').flatMap((r) => r.tasks.map((task) => task.pid)));
  assert.equal(parent_pids.size, 1, 'sequential and threads tasks all run in the parlab process');

  for (const run of file.runs) {
    const label = `${run.mode} x${run.workers}`;
    assert.ok(run.ok && run.complete, `${label} finished: ${run.error}`);
    assert.equal(run.task_count, 8, `${label} task_count`);
    assert.equal(run.tasks_done, 8, `${label} tasks_done`);
    assert.equal(run.tasks.length, 8, `${label} tasks`);
    // The sum of primes below 200000, whatever the mode, order or number of workers.
    assert.equal(run.checksum, '1709600813', `${label} checksum`);
    const sum = run.tasks.reduce((acc, task) => (acc + BigInt(task.value)) % (1n << 64n), 0n);
    assert.equal(sum.toString(), run.checksum, `${label}: task values add up to the checksum`);
    assert.deepEqual(run.tasks.map((task) => task.id).sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7],
      `${label}: every task once`);
    assert.ok(run.startup_s <= run.wall_s, `${label}: startup_s <= wall_s`);

    const pid_of_worker = new Map();
    for (const task of run.tasks) {
      assert.ok(task.worker < run.workers, `${label}: task ${task.id} worker index in range`);
      assert.ok(task.start_s <= task.end_s, `${label}: task ${task.id} starts before it ends`);
      assert.ok(task.end_s <= run.wall_s + 1e-3, `${label}: task ${task.id} ends within the run`);
      assert.equal(typeof task.cpu_s, 'number', `${label}: native task ${task.id} measures cpu_s`);
      if (pid_of_worker.has(task.worker)) {
        assert.equal(task.pid, pid_of_worker.get(task.worker), `${label}: a worker keeps its pid`);
      }
      pid_of_worker.set(task.worker, task.pid);
      if (run.mode === 'processes') {
        assert.ok(!parent_pids.has(task.pid), `${label}: task ${task.id} ran in a child process`);
      }
    }
    if (run.mode === 'processes') {
      const pids = [...pid_of_worker.values()];
      assert.equal(new Set(pids).size, pids.length, `${label}: each worker process has its own pid`);
    }
  }
});

test('native runs of the counter, deadlock, copy and timers workloads write valid files', (t) => {
  assert.ok(existsSync(parlab_path), `${parlab_path} is missing: build it first (scripts/build.sh)`);
  const dir = mkdtempSync(join(tmpdir(), 'parlab-schema-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const cases = [
    [['--workload', 'counter', '--increments', '1000', '--sync', 'mutex', '--shared', '1', '--mode', 'processes', '--workers', '2'], 0],
    [['--workload', 'deadlock', '--hold-ms', '20', '--mode', 'threads', '--workers', '2'], 1],
    [['--workload', 'copy', '--files', '2', '--file-mib', '1', '--fsync', '1', '--mode', 'threads', '--workers', '2'], 0],
    [['--workload', 'timers', '--timers', '3', '--period-ms', '1', '--job-limit', '100000', '--mode', 'async', '--workers', '4'], 0],
    [['--workload', 'timers', '--timers', '3', '--period-ms', '1', '--job-limit', '100000', '--mode', 'processes', '--workers', '4'], 0],
  ];
  for (const [flags, status] of cases) {
    const out = join(dir, `${flags[1]}${flags[1] === 'timers' ? `-${flags[9]}` : ''}.json`);
    const child = spawnSync(parlab_path, ['run', ...flags, '--out', out], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, TMPDIR: dir } });
    assert.equal(child.status, status, `parlab run ${flags.join(' ')}: exit ${child.status}:\n${child.stderr}`);
    const file = JSON.parse(readFileSync(out, 'utf8'));
    assert_valid(file, flags[1]);
    const [run] = file.runs;
    if (flags[1] === 'counter') assert.deepEqual([run.counter_value, run.lost_updates], [4 * 1000, 0], 'shared memory and a process-shared mutex: exact');
    if (flags[1] === 'timers') {
      assert.deepEqual(run.tasks.map((task) => 'late_s' in task), [false, true, true, true], `${flags[9]}: lateness on the timers only`);
      assert.ok(run.late_max_s >= run.late_median_s, `${flags[9]}: the largest lateness is at least the median`);
    }
    if (flags[1] === 'deadlock') assert.match(run.error, /deadlock: worker \d holds [AB], waits for [AB]; worker \d holds [AB], waits for [AB]/);
  }
  assert.deepEqual(readdirSync(dir).sort(), ['copy.json', 'counter.json', 'deadlock.json', 'timers-async.json', 'timers-processes.json'], 'the copy workload removed its folder');
});
