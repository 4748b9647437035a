// parlab-mpi under mpirun on this machine: checksums equal the other modes', every task runs once on a rank with its
// host, the results validate, bad input gives one line and exit 2, the ping-pong echoes intact, and a killed rank
// ends the job non-zero within seconds; --trace-out names a process per rank. Needs Open MPI (scripts/setup.sh
// installs it) and build/native/parlab-mpi.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const parlabMpi = join(repoRoot, 'build', 'native', 'parlab-mpi');
const parlab = join(repoRoot, 'build', 'native', 'parlab');

// As root mpirun refuses to start without these; on a machine with fewer cores than ranks it needs oversubscribe.
const mpiEnv = {
  ...process.env,
  OMPI_ALLOW_RUN_AS_ROOT: '1',
  OMPI_ALLOW_RUN_AS_ROOT_CONFIRM: '1',
  OMPI_MCA_rmaps_base_oversubscribe: '1',
};

const validate = (() => {
  const ajv = new Ajv({ allErrors: true });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(join(repoRoot, 'docs', 'results.schema.json'), 'utf8')));
})();

function mpirun(ranks, args, timeout = 120_000) {
  assert.ok(existsSync(parlabMpi), `${parlabMpi} is not built (scripts/build.sh builds it when Open MPI is installed)`);
  return spawnSync('mpirun', ['-np', String(ranks), parlabMpi, ...args], { env: mpiEnv, encoding: 'utf8', timeout });
}

const scratch = mkdtempSync(join(tmpdir(), 'parlab-mpi-test-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

/// The results file of one mpirun of parlab-mpi run, checked against the schema.
function runResults(ranks, args) {
  const out = join(scratch, `r${ranks}-${Math.random().toString(36).slice(2)}.json`);
  const done = mpirun(ranks, ['run', ...args, '--out', out]);
  assert.equal(done.status, 0, `mpirun -np ${ranks} parlab-mpi run failed:\n${done.stdout}\n${done.stderr}`);
  const file = JSON.parse(readFileSync(out, 'utf8'));
  assert.ok(validate(file), JSON.stringify(validate.errors, null, 1));
  return file;
}

function nativeChecksum(args) {
  const done = spawnSync(parlab, ['run', ...args, '--mode', 'processes', '--workers', '2', '--format', 'json'], { encoding: 'utf8' });
  assert.equal(done.status, 0, done.stderr);
  return JSON.parse(done.stdout).runs[0].checksum;
}

for (const ranks of [3, 4]) {
  test(`mpirun -np ${ranks}: the primes run's checksum, every task once on ranks 1..${ranks - 1} with its host`, () => {
    const file = runResults(ranks, ['--workload', 'primes']);
    const [run] = file.runs;
    assert.equal(run.mode, 'mpi');
    assert.equal(run.workers, ranks - 1);
    assert.equal(run.ok, true);
    assert.equal(run.checksum, '492935303210'); // the figure: sum of primes below each input, as every mode gives
    assert.equal(run.checksum, nativeChecksum(['--workload', 'primes']));
    assert.deepEqual(run.tasks.map((t) => t.id), [...Array(run.task_count).keys()]);
    const hostsByRank = new Map();
    for (const { host, ranks: list } of file.environment.mpi.hosts) for (const r of list) hostsByRank.set(r, host);
    assert.equal(file.environment.mpi.ranks, ranks);
    assert.deepEqual([...hostsByRank.keys()].sort(), [...Array(ranks).keys()]);
    assert.match(file.environment.mpi.library, /MPI/);
    for (const task of run.tasks) {
      assert.ok(task.rank >= 1 && task.rank < ranks, `task ${task.id} ran on rank ${task.rank}`);
      assert.equal(task.worker, task.rank - 1);
      assert.equal(task.host, hostsByRank.get(task.rank));
      assert.ok(task.start_s <= task.end_s && task.end_s <= run.wall_s, `task ${task.id}'s times lie in the run`);
    }
    // One process per rank: each rank's tasks share one pid, and no two ranks share one.
    const pidOfRank = new Map();
    for (const task of run.tasks) {
      if (!pidOfRank.has(task.rank)) pidOfRank.set(task.rank, task.pid);
      assert.equal(task.pid, pidOfRank.get(task.rank));
    }
    assert.equal(new Set(pidOfRank.values()).size, pidOfRank.size);
    // On one rank, tasks never overlap: a rank runs one at a time.
    for (const rank of pidOfRank.keys()) {
      const mine = run.tasks.filter((t) => t.rank === rank).sort((a, b) => a.start_s - b.start_s);
      for (let i = 1; i < mine.length; ++i) assert.ok(mine[i].start_s >= mine[i - 1].end_s, `rank ${rank}'s tasks overlap`);
    }
  });
}

test('workloads with payloads both ways (overhead) and waits (download): checksums equal the process pool\'s', () => {
  for (const args of [
    ['--workload', 'factorials', '--repeat', '200'],
    ['--workload', 'overhead', '--items', '20000', '--chunk', '1000'],
    ['--workload', 'primes', '--shape', 'chunked', '--n', '200000', '--chunks', '16'],
    ['--workload', 'download', '--count', '6', '--latency-ms', '20'],
  ]) {
    const [run] = runResults(3, args).runs;
    assert.equal(run.ok, true, run.error);
    assert.equal(run.tasks.length, run.task_count);
    assert.equal(run.checksum, nativeChecksum(args), args.join(' '));
    assert.ok(run.bytes_transferred > 0);
    if (args[1] === 'overhead') assert.ok(run.bytes_transferred > 20000 * 64, 'the items went to the ranks');
  }
});

test('--trace-out: one process per rank named with its host, every task one X event on its rank', () => {
  const out = join(scratch, 'trace-results.json');
  const tracePath = join(scratch, 'trace.json');
  const done = mpirun(3, ['run', '--workload', 'primes', '--shape', 'chunked', '--n', '100000', '--chunks', '8', '--out', out, '--trace-out', tracePath]);
  assert.equal(done.status, 0, `${done.stdout}\n${done.stderr}`);
  const [run] = JSON.parse(readFileSync(out, 'utf8')).runs;
  const trace = JSON.parse(readFileSync(tracePath, 'utf8'));
  const names = new Map(trace.traceEvents.filter((e) => e.ph === 'M' && e.name === 'process_name').map((e) => [e.pid, e.args.name]));
  const tasks = trace.traceEvents.filter((e) => e.ph === 'X' && e.args?.task !== undefined);
  assert.equal(tasks.length, run.tasks.length);
  for (const task of run.tasks) {
    const event = tasks.find((e) => e.args.task === task.id);
    assert.equal(event.args.rank, task.rank);
    assert.equal(names.get(event.pid), `run 1 · mpi x2 · rank ${task.rank} on ${task.host}`);
  }
  assert.equal(new Set(tasks.map((e) => e.pid)).size, 2, 'ranks 1 and 2');
  assert.ok([...names.values()].includes('run 1 · mpi x2 · primes · rank 0 (hands out tasks)'));
});

test('a task that throws fails the run with one line naming the task, the rank and its host; exit 1', () => {
  const out = join(scratch, 'crash.json');
  const done = mpirun(3, ['run', '--workload', 'primes', '--crash-task', '1', '--crash-how', 'throw', '--out', out]);
  assert.equal(done.status, 1, done.stderr);
  const [run] = JSON.parse(readFileSync(out, 'utf8')).runs;
  assert.equal(run.ok, false);
  assert.match(run.error, /^task 1 .*failed on rank \d \(pid \d+ on \S+\)/);
});

test('bad input: one line naming the flag and its bounds, printed once, exit 2', () => {
  const bad = mpirun(3, ['run', '--workload', 'primes', '--chunks', '0', '--shape', 'chunked']);
  assert.equal(bad.status, 2, bad.stdout + bad.stderr);
  const ours = bad.stderr.split('\n').filter((line) => line.startsWith('parlab'));
  assert.equal(ours.length, 1, bad.stderr);
  assert.match(ours[0], /--chunks must be an integer between 1 and \d+ \(got '0'\)/);

  const workers = mpirun(3, ['run', '--workload', 'primes', '--workers', '5']);
  assert.equal(workers.status, 2);
  assert.match(workers.stderr, /--workers must be 2 in mode mpi/);

  const alone = spawnSync(parlabMpi, ['run', '--workload', 'primes'], { env: mpiEnv, encoding: 'utf8', timeout: 60_000 });
  assert.equal(alone.status, 2, alone.stderr);
  assert.match(alone.stderr, /mode mpi needs at least 2 ranks/);
});

test('parlab-mpi ipc: MPI round trips beside a pipe, every echo intact', () => {
  const done = mpirun(2, ['ipc', '--size', '64', '--count', '200', '--repeats', '3', '--format', 'json']);
  assert.equal(done.status, 0, done.stderr);
  const report = JSON.parse(done.stdout);
  assert.deepEqual(report.rows.map((r) => r.id), ['process-pipe', 'mpi']);
  for (const row of report.rows) {
    assert.equal(row.intact, true, row.label);
    assert.equal(row.round_trip_us.length, 3);
    assert.ok(row.median_round_trip_us > 0);
  }
  const bad = mpirun(2, ['ipc', '--size', '0']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--size must be/);
});

/// The pids of parlab-mpi processes that are rank `rank` of a job (Open MPI puts the rank in each one's environment).
function pidsOfRank(rank) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('parlab-mpi')) continue;
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      if (environ.includes(`OMPI_COMM_WORLD_RANK=${rank}`)) pids.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return pids;
}

for (const victim of [1, 0]) {
  test(`killing rank ${victim} mid-run ends the job non-zero within 15 s, naming the rank`, async () => {
    // A run of many seconds: download tasks that wait 500 ms each.
    const job = spawn('mpirun', ['-np', '3', parlabMpi, 'run', '--workload', 'download', '--count', '60', '--latency-ms', '500'], { env: mpiEnv });
    let output = '';
    job.stdout.on('data', (d) => (output += d));
    job.stderr.on('data', (d) => (output += d));
    const ended = new Promise((resolve) => job.on('exit', (code, signal) => resolve({ code, signal })));
    let pids = [];
    for (let tries = 0; tries < 200 && pids.length === 0; ++tries) {
      await new Promise((r) => setTimeout(r, 100));
      pids = pidsOfRank(victim);
    }
    assert.equal(pids.length, 1, `found rank ${victim}'s process: ${pids}`);
    await new Promise((r) => setTimeout(r, 1000)); // mid-run
    const killedAt = Date.now();
    process.kill(pids[0], 'SIGKILL');
    const timeout = new Promise((resolve) => setTimeout(() => resolve(null), 15_000));
    const outcome = await Promise.race([ended, timeout]);
    if (outcome === null) job.kill('SIGKILL');
    assert.ok(outcome !== null, `mpirun still ran 15 s after rank ${victim} was killed:\n${output}`);
    assert.ok(outcome.code !== 0, `exit ${outcome.code} ${outcome.signal}`);
    assert.match(output, new RegExp(`rank ${victim}`), output);
    console.log(`rank ${victim} killed: mpirun ended in ${Date.now() - killedAt} ms with ${outcome.code ?? outcome.signal}`);
  });
}
