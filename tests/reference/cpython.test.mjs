// The CPython reference programs (reference/cpython/): valid results files, the native program's checksums,
// bad input refused with exit code 2, the interpreter's build and GIL state, and the overhead and IPC scripts' JSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv'; // draft-07, the schema's dialect
import addFormats from 'ajv-formats'; // "date-time" for created / started_at
import { parseResultsText, pythonBuildLabel } from '../../web/site/results.js'; // the page's Upload checker and set names

const repo_root = fileURLToPath(new URL('../../', import.meta.url));
const reference_dir = join(repo_root, 'reference', 'cpython');
const run_py = join(reference_dir, 'run.py');
const parlab_path = join(repo_root, 'build', 'native', 'parlab');
// The interpreter itself, found once: a version manager's shim (pyenv's is a shell script) costs a second or more
// per start on a loaded machine.
const python_probe = spawnSync(process.env.PYTHON ?? 'python3', ['-c', 'import sys; print(sys.executable)'],
  { encoding: 'utf8' });
const python = python_probe.status === 0 ? python_probe.stdout.trim() : null;
/// Fails the test when there is no interpreter: the references are what these tests check (scripts/setup.sh installs python3).
const need_python = () => assert.ok(python, `${process.env.PYTHON ?? 'python3'} is not installed (bash scripts/setup.sh installs it)`);
const env = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };

const ajv = new Ajv({ allErrors: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(join(repo_root, 'docs', 'results.schema.json'), 'utf8')));

/// Runs a program to its end without blocking the test runner; resolves {status, signal, stdout, stderr}.
function run_program(command, args, timeout_ms = 120_000) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, cwd: repo_root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout_ms);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
  });
}


/// Small parameters for each workload, as flags both run.py and parlab take.
const WORKLOADS = [
  { name: 'primes', flags: ['--shape', 'chunked', '--n', '30000', '--chunks', '6'], tasks: 6 },
  { name: 'primes', flags: ['--inputs', '2,1000,5000'], tasks: 3 },
  { name: 'download', flags: ['--count', '5', '--latency-ms', '30', '--jitter-ms', '20', '--seed', '7', '--work-kib', '2'],
    tasks: 5, latency: [0.010, 0.050] },
  { name: 'factorials', flags: ['--inputs', '0,1,13,21,300', '--repeat', '3'], tasks: 15 },
];
const MODES = ['sequential', 'threads', 'processes', 'async'];

function check_file(file, label) {
  const errors = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.keyword}: ${e.message}`).join('\n');
  assert.ok(validate(file), `${label}: the schema rejects the file:\n${errors}`);
  assert.equal(file.environment.target, 'cpython', `${label}: target`);
  assert.match(file.environment.compiler, /^CPython 3\.\d+\.\d+/, `${label}: compiler names the interpreter`);
  assert.equal(file.environment.compiler, `CPython ${file.environment.python_version}`, `${label}: python_version`);
  assert.ok(['default', 'free-threaded'].includes(file.environment.python_build), `${label}: python_build`);
  assert.equal(typeof file.environment.gil_enabled, 'boolean', `${label}: gil_enabled`);
}

/// The invariants the schema cannot express, for one run of a workload with `tasks` tasks.
function check_run(run, w, label, parent_pid) {
  assert.ok(run.ok && run.complete, `${label} finished: ${run.error}`);
  assert.equal(run.task_count, w.tasks, `${label}: task_count`);
  assert.equal(run.tasks_done, w.tasks, `${label}: tasks_done`);
  assert.deepEqual(run.tasks.map((t) => t.id).sort((a, b) => a - b), [...Array(w.tasks).keys()], `${label}: every task once`);
  const sum = run.tasks.reduce((acc, t) => (acc + BigInt(t.value)) % (1n << 64n), 0n);
  assert.equal(sum.toString(), run.checksum, `${label}: task values add up to the checksum`);
  assert.ok(run.startup_s <= run.wall_s, `${label}: startup_s <= wall_s`);
  const pid_of_worker = new Map();
  const threads = new Set();
  for (const t of run.tasks) {
    assert.ok(t.worker < run.workers, `${label}: task ${t.id} worker ${t.worker} < ${run.workers}`);
    assert.ok(t.start_s <= t.end_s && t.end_s <= run.wall_s + 1e-3, `${label}: task ${t.id} lies within the run`);
    assert.ok(t.wait_s <= t.end_s - t.start_s + 1e-9, `${label}: task ${t.id} waits within its duration`);
    assert.equal(typeof t.cpu_s, 'number', `${label}: task ${t.id} measures cpu_s`);
    assert.equal(t.phase, w.name === 'download' ? 'download' : 'compute', `${label}: task ${t.id} phase`);
    if (w.latency) assert.ok(t.wait_s >= w.latency[0] - 0.002, `${label}: task ${t.id} waited its latency`);
    if (pid_of_worker.has(t.worker)) assert.equal(t.pid, pid_of_worker.get(t.worker), `${label}: a worker keeps its pid`);
    pid_of_worker.set(t.worker, t.pid);
    threads.add(t.thread);
    if (run.mode === 'processes') assert.notEqual(t.pid, parent_pid, `${label}: task ${t.id} ran in a worker process`);
    else assert.equal(t.pid, parent_pid, `${label}: task ${t.id} ran in the program's own process`);
  }
  if (run.mode === 'processes') {
    const pids = [...pid_of_worker.values()];
    assert.equal(new Set(pids).size, pids.length, `${label}: each worker process has its own pid`);
  }
  if (run.mode === 'sequential' || run.mode === 'async') assert.equal(threads.size, 1, `${label}: one thread`);
}

for (const w of WORKLOADS) {
  const flags = ['--workload', w.name, ...w.flags];
  test(`run.py ${flags.join(' ')}: every mode, valid file, the native checksums`, async (t) => {
    need_python();
    const dir = mkdtempSync(join(tmpdir(), 'parlab-cpython-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const out = join(dir, 'results.json');
    const args = [run_py, ...flags, '--modes', MODES.join(','), '--workers', '1,2', '--chunksize', '2',
      '--format', 'json', '--out', out];
    const py = await run_program(python, args);
    assert.equal(py.status, 0, `python3 ${args.join(' ')}: exit ${py.status}:\n${py.stderr}`);
    const file = JSON.parse(py.stdout);
    assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')), file, '--out holds what --format json printed');
    check_file(file, w.name);
    const uploaded = parseResultsText(py.stdout, 'results.json').data;
    assert.equal(uploaded.environment.target, 'cpython', 'the page\'s Upload accepts the file');
    assert.equal(uploaded.runs.length, file.runs.length, 'the page\'s Upload keeps every run');
    assert.deepEqual(file.runs.map((r) => `${r.mode}x${r.workers}`),
      ['sequentialx1', 'threadsx1', 'threadsx2', 'processesx1', 'processesx2', 'asyncx1', 'asyncx2']);
    const parent_pid = file.runs[0].tasks[0].pid;
    for (const run of file.runs) check_run(run, w, `${w.name} ${run.mode} x${run.workers}`, parent_pid);
    const checksums = new Set(file.runs.map((r) => r.checksum));
    assert.equal(checksums.size, 1, `one checksum for every mode (got ${[...checksums].join(', ')})`);

    assert.ok(existsSync(parlab_path), `${parlab_path} is missing: the comparison with the native checksums needs it (bash scripts/build.sh)`);
    const native = await run_program(parlab_path, ['sweep', ...flags, '--modes', 'sequential', '--format', 'json']);
    assert.equal(native.status, 0, `parlab sweep: exit ${native.status}:\n${native.stderr}`);
    const [native_run] = JSON.parse(native.stdout).runs;
    assert.deepEqual(file.runs[0].params, native_run.params, 'the same params object as parlab writes');
    assert.equal(file.runs[0].checksum, native_run.checksum, 'the checksum of parlab for the same parameters');
    const values = (run) => Object.fromEntries(run.tasks.map((task) => [task.id, task.value]));
    assert.deepEqual(values(file.runs[0]), values(native_run), 'every task value equals parlab\'s');
  });
}

test('the build detection (test_python_build.py): default, free-threaded with the GIL off and back on',
  async () => {
    need_python();
    const py = await run_program(python, ['-m', 'unittest', '-v', join('tests', 'reference', 'test_python_build.py')]);
    assert.equal(py.status, 0, `python3 -m unittest: exit ${py.status}:\n${py.stderr}`);
    assert.match(py.stderr, /Ran 6 tests/);
  });

// run.py under an interpreter made to look free-threaded with its GIL off (3.14t is not installable here): the
// same sysconfig and sys answers a python3.14t gives, the rest of run.py untouched.
const AS_FREE_THREADED = `
import runpy, sys, sysconfig
real = sysconfig.get_config_var
sysconfig.get_config_var = lambda name: 1 if name == "Py_GIL_DISABLED" else real(name)
sys._is_gil_enabled = lambda: False
sys.argv = ["run.py"] + sys.argv[1:]
sys.path.insert(0, "reference/cpython")
runpy.run_path("reference/cpython/run.py", run_name="__main__")
`;

test('a results file declaring the GIL off: valid, kept by Upload, named "CPython 3.Nt, GIL off"; the real one its own build',
  async () => {
    need_python();
    const flags = ['--workload', 'primes', '--inputs', '2,1000,5000', '--modes', 'sequential,threads', '--workers', '2',
      '--format', 'json'];
    const [faked, real] = await Promise.all([
      run_program(python, ['-c', AS_FREE_THREADED, ...flags]), run_program(python, [run_py, ...flags])]);
    for (const py of [faked, real]) assert.equal(py.status, 0, `run.py: exit ${py.status}:\n${py.stderr}`);
    const file = JSON.parse(faked.stdout);
    check_file(file, 'free-threaded, GIL off');
    const minor = file.environment.python_version.split('.').slice(0, 2).join('.');
    assert.deepEqual([file.environment.python_build, file.environment.gil_enabled], ['free-threaded', false]);
    assert.equal(file.environment.compiler, `CPython ${file.environment.python_version}`);
    const uploaded = parseResultsText(faked.stdout, 'ft.json').data;
    assert.equal(uploaded.environment.gil_enabled, false, 'Upload keeps gil_enabled');
    assert.equal(pythonBuildLabel(uploaded.environment), `CPython ${minor}t, GIL off`);

    const own = JSON.parse(real.stdout);
    check_file(own, 'this interpreter');
    assert.ok(['default', 'free-threaded'].includes(own.environment.python_build));
    assert.equal(typeof own.environment.gil_enabled, 'boolean');
    if (own.environment.python_build === 'default') assert.equal(own.environment.gil_enabled, true);
    assert.match(pythonBuildLabel(parseResultsText(real.stdout, 'py.json').data.environment), /^CPython 3\.\d+t?, GIL (on|off)$/);
  });

test('a task that fails: ok false, its error in one line, exit code 1; a dead worker process breaks the pool',
  async () => {
    need_python();
    const cases = [['threads', 'throw'], ['processes', 'throw'], ['async', 'throw'], ['processes', 'abort']];
    const args = ([mode, how]) => [run_py, '--workload', 'factorials', '--repeat', '2', '--crash-task', '3',
      '--crash-how', how, '--modes', mode, '--workers', '2', '--format', 'json'];
    const results = await Promise.all(cases.map((c) => run_program(python, args(c))));
    for (const [i, [mode, how]] of cases.entries()) {
      const py = results[i];
      assert.equal(py.status, 1, `${mode} ${how}: exit ${py.status}:\n${py.stderr}`);
      const file = JSON.parse(py.stdout);
      check_file(file, `${mode} ${how}`);
      const [run] = file.runs;
      assert.equal(run.ok, false);
      assert.equal(run.complete, false);
      assert.deepEqual(run.params, { inputs: [10, 20, 30, 40, 50], repeat: 2, crash_task: 3, crash_how: how });
      assert.match(run.error, how === 'throw' ? /^task 3 \(40!\) failed: crashed on purpose/ : /BrokenProcessPool/);
      assert.ok(!run.tasks.some((task) => task.id === 3), 'the failed task has no record');
    }
  });

test('bad input: exit code 2 and one line naming the parameter and its bounds', async () => {
    need_python();
  const cases = [
    [['--workload', 'primes', '--shape', 'chunked', '--chunks', '0'], /--chunks must be an integer between 1 and 4096/],
    [['--workload', 'primes', '--inputs', '1'], /--inputs must be a comma-separated list of 1 to 64 integers, each between 2 and 100000000/],
    [['--workload', 'primes', '--n', '100'], /--n applies only to shape chunked/],
    [['--workload', 'primes', '--shape', 'chunked', '--n', '5', '--chunks', '5'], /--chunks must be between 1 and n - 1 = 4/],
    [['--workload', 'download', '--latency-ms', 'abc'], /--latency-ms must be a number between 0 and 10000/],
    [['--workload', 'download', '--jitter-ms', '500'], /--jitter-ms must be between 0 and latency_ms = 400/],
    [['--workload', 'download', '--seed', '4294967296'], /--seed must be an integer between 0 and 4294967295/],
    [['--workload', 'factorials', '--repeat', '0'], /--repeat must be an integer between 1 and 100000/],
    [['--workload', 'factorials', '--count', '3'], /--count does not apply to workload factorials/],
    [['--workload', 'weather'], /--workload must be one of primes, download, factorials/],
    [['--workload', 'factorials', '--crash-task', '5', '--repeat', '1'], /--crash-task must be between -1 and task count - 1 = 4/],
    [['--modes', 'threads-gil'], /threads-gil .*CPython's real GIL/],
    [['--modes', 'threads,fibers'], /--modes must be a comma-separated list of 1 to 64 of sequential, threads, processes, async/],
    [['--workers', '0'], /--workers must be a comma-separated list of 1 to 64 integers, each between 1 and 256/],
    [['--repeats', '101'], /--repeats must be an integer between 1 and 100/],
    [['--chunksize', '0'], /--chunksize must be an integer between 1 and 1000000/],
  ];
  const results = await Promise.all(cases.map(([flags]) => run_program(python, [run_py, ...flags])));
  for (const [i, [flags, expected]] of cases.entries()) {
    const py = results[i];
    assert.equal(py.status, 2, `${flags.join(' ')}: exit ${py.status}\n${py.stderr}`);
    assert.equal(py.stdout, '', `${flags.join(' ')}: nothing runs`);
    const lines = py.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `${flags.join(' ')}: one line, got:\n${py.stderr}`);
    assert.match(lines[0], expected, flags.join(' '));
  }
  const unknown = await run_program(python, [run_py, '--bogus', '1']);
  assert.equal(unknown.status, 2, 'an unknown flag is a usage error');
  assert.match(unknown.stderr, /unrecognized arguments: --bogus/);
});

for (const script of ['thread_pool_overhead.py', 'process_pool_overhead.py']) {
  // scripts/bench.mjs runs these without flags (21 batches); fewer and smaller batches here, the same code.
  test(`${script} prints one JSON line with a positive per_task_us`, async () => {
    need_python();
    const py = await run_program(python, [join(reference_dir, script), '--batches', '3', '--batch-size', '200']);
    assert.equal(py.status, 0, py.stderr);
    const lines = py.stdout.trim().split('\n');
    assert.equal(lines.length, 1, `one line, got:\n${py.stdout}`);
    const report = JSON.parse(lines[0]);
    assert.deepEqual(Object.keys(report), ['per_task_us']);
    assert.ok(Number.isFinite(report.per_task_us) && report.per_task_us > 0, `per_task_us ${report.per_task_us}`);
    const bad = await run_program(python, [join(reference_dir, script), '--batches', '0']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--batches: must be an integer between 1 and 1000/);
  });
}

test('pipe_hello.py: the child names itself, its pid and its parent pid', async () => {
    need_python();
  const py = await run_program(python, [join(reference_dir, 'pipe_hello.py'), '--name', 'child-7', '--format', 'json']);
  assert.equal(py.status, 0, py.stderr);
  const hello = JSON.parse(py.stdout);
  assert.equal(hello.message, `hello from child-7, pid ${hello.child_pid}, parent pid ${hello.parent_pid}`);
  assert.notEqual(hello.child_pid, hello.parent_pid);
  assert.equal(hello.consistent, true);
  assert.equal(hello.exit_code, 0);
});

test('deadlock.py: opposite lock orders time out naming the held and awaited locks; one order finishes', async () => {
  need_python();
  const opposite = await run_program(python, [join(reference_dir, 'deadlock.py'), '--hold-ms', '200', '--format', 'json']);
  assert.equal(opposite.status, 1, opposite.stderr);
  const report = JSON.parse(opposite.stdout);
  assert.equal(report.deadlock, true);
  assert.match(report.waits[0], /^thread [01] holds ([AB]), waits for (?!\1)[AB]$/);
  const consistent = await run_program(python, [join(reference_dir, 'deadlock.py'), '--lock-order', 'consistent', '--format', 'json']);
  assert.equal(consistent.status, 0, consistent.stderr);
  assert.deepEqual(JSON.parse(consistent.stdout).waits, []);
});

test('pipe_vs_queue.py: every message arrives, in order, over each transport', async () => {
    need_python();
  const py = await run_program(python, [join(reference_dir, 'pipe_vs_queue.py'), '--size', '9', '--count', '300',
    '--repeats', '2']);
  assert.equal(py.status, 0, py.stderr);
  const report = JSON.parse(py.stdout);
  assert.deepEqual(report.transports.map((r) => r.id), ['process-pipe', 'process-queue', 'thread-queue']);
  for (const r of report.transports) {
    assert.equal(r.intact, true, `${r.id} intact`);
    assert.equal(r.seconds.length, 2, `${r.id}: one time per repeat`);
    assert.ok(r.median_s > 0 && r.per_message_us > 0, `${r.id}: positive times`);
  }
  assert.ok(report.queue_over_pipe > 0);
  const bad = await run_program(python, [join(reference_dir, 'pipe_vs_queue.py'), '--size', '0']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--size: must be an integer between 1 and 16777216/);
});

test('counter_race.py: a lock and a local count lose nothing; a switch between read and write loses updates', async () => {
  need_python();
  const py = await run_program(python, [join(reference_dir, 'counter_race.py'), '--threads', '2', '--increments', '200000',
    '--repeats', '3']);
  assert.equal(py.status, 0, py.stderr);
  const report = JSON.parse(py.stdout);
  assert.deepEqual(Object.keys(report.syncs), ['plus-equals', 'read-call', 'lock', 'local']);
  for (const [sync, r] of Object.entries(report.syncs)) {
    assert.equal(r.expected, 400000, sync);
    assert.equal(r.lost_updates.length, 3, `${sync}: one count per repeat`);
    for (const lost of r.lost_updates) assert.ok(lost >= 0 && lost < r.expected, `${sync}: ${lost} lost of ${r.expected}`);
    assert.ok(r.ns_per_increment > 0, sync);
  }
  assert.deepEqual(report.syncs.lock.lost_updates, [0, 0, 0]);
  assert.deepEqual(report.syncs.local.lost_updates, [0, 0, 0]);
  // Each repeat runs for tens of ms, many switch intervals: with or without the GIL, a switch (or a second core)
  // falls inside add_one in some repeat.
  assert.ok(report.syncs['read-call'].lost_updates.some((n) => n > 0), JSON.stringify(report.syncs['read-call']));
  assert.equal(typeof report.gil_enabled, 'boolean');
  const bad = await run_program(python, [join(reference_dir, 'counter_race.py'), '--increments', '0']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--increments: must be an integer between 1 and 100000000 \(got '0'\)/);
});

test('event_loop_timers.py: every timer runs; on the loop, each one due during the job runs after it', async () => {
  need_python();
  const py = await run_program(python, [join(reference_dir, 'event_loop_timers.py'), '--timers', '5', '--period-ms', '1', '--job-limit', '100000']);
  assert.equal(py.status, 0, py.stderr);
  const report = JSON.parse(py.stdout);
  assert.deepEqual(report.ways.map((w) => w.way), ['idle', 'loop', 'thread', 'process']);
  for (const w of report.ways) {
    assert.equal(w.late_ms.length, 5, `${w.way}: one lateness per timer`);
    for (const late of w.late_ms) assert.ok(late >= 0, `${w.way}: ${late}`);
    assert.equal(w.max_late_ms, Math.max(...w.late_ms), w.way);
  }
  // The job on the loop's own thread: a timer due before it ended could only run after it ended.
  const loop = report.ways[1];
  const dueDuring = loop.due_s.map((due, k) => [due, loop.late_ms[k]]).filter(([due]) => due < loop.job_end_s);
  assert.ok(dueDuring.length > 0, `the job (primes up to 100,000) outlasted the first timer, due after 1 ms: ${loop.job_end_s} s`);
  for (const [due, late] of dueDuring) assert.ok(due + late / 1000 >= loop.job_end_s - 1e-3, `due ${due} s ran ${late} ms late, the job ended at ${loop.job_end_s} s`);
  const bad = await run_program(python, [join(reference_dir, 'event_loop_timers.py'), '--ways', 'loop,fibre']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--ways must be a comma-separated list of idle, loop, thread, process \(got 'fibre'\)/);
});

test('copy_files.py: every way copies every file intact, and the folder is removed', async () => {
  need_python();
  const py = await run_program(python, [join(reference_dir, 'copy_files.py'), '--files', '3', '--file-mib', '2', '--repeats', '2', '--fsync', '1']);
  assert.equal(py.status, 0, py.stderr);
  const report = JSON.parse(py.stdout);
  assert.deepEqual(report.ways.map((w) => w.id), ['sequential', 'threads', 'processes']);
  for (const w of report.ways) {
    assert.equal(w.intact, true, `${w.id}: every copy equals its source`);
    assert.equal(w.seconds.length, 2, `${w.id}: one time per repeat`);
    assert.ok(w.median_s > 0, w.id);
  }
  const bad = await run_program(python, [join(reference_dir, 'copy_files.py'), '--files', '64', '--file-mib', '100']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--files x --file-mib must make at most 4096 MiB \(got 6400\)/);
});
