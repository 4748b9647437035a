// parlab-mpi's results on the page, in Node: the lab info's result modes (modes.js), uploads of MPI files (the upload
// checks, the set's label, the environment table, the CSV), the timeline by host (charts.js, chart-tables.js), the
// speed-up series of a sweep made of one file per job, and the MPI card's verdict and figures (experiments.js).
// tests/fixtures/mpi-primes-3hosts.json is a constructed fixture: a hand-made file in parlab-mpi's format (16 equal
// chunks of the primes up to 2,000,000 on 1 and 4 worker ranks of a 5-rank job over 3 hosts, ranks placed round-robin
// by node), with made-up times; its checksum and task values are the real sums.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';

import { runHosts, toCsv, parseExport, buildExport } from '../../web/site/export.js';
import { parseSetup } from '../../web/site/url-state.js';
import { makeTimelineConfig } from '../../web/site/charts.js';
import { rankRows, timelineRows } from '../../web/site/chart-tables.js';
import { CARDS, INCONCLUSIVE, judgeMpi, mpiResults, summarise, waitBetweenTasks } from '../../web/site/experiments.js';
import * as modes from '../../web/site/modes.js';
import {
  describeEntries, environmentColumns, environmentName, mpiJobLabel, parseResultsText, speedupSeries,
} from '../../web/site/results.js';
import { loadPageLabInfo } from './lab-info.mjs';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const info = await loadPageLabInfo(); // modes.js fed from the wasm build's lab info, as the page feeds it

const FIXTURE = new URL('../fixtures/mpi-primes-3hosts.json', import.meta.url);
const text = readFileSync(FIXTURE, 'utf8');
const fresh = () => JSON.parse(text);
const upload = (data, name = 'm.json') => parseResultsText(typeof data === 'string' ? data : JSON.stringify(data), name);
const refusal = (data) => assert.throws(() => upload(data), (error) => (error.message.includes('\n') ? assert.fail('one line') : true)) && null;
const messageOf = (data) => {
  try {
    upload(data);
  } catch (error) {
    return error.message;
  }
  return assert.fail('the file was accepted');
};
const CARD = CARDS.find((c) => c.id === 'mpi-hosts');

describe('modes.js: the result modes of the lab info', () => {
  const mpi = info.result_modes?.[0];

  test('the lab info has mpi as a result mode, apart from the modes the page runs', () => {
    assert.equal(mpi?.name, 'mpi');
    assert.ok(!info.modes.some((m) => m.name === mpi.name), 'not one of the modes the page runs');
  });

  test('known, labelled and coloured, with its facts; never offered as a mode to run', () => {
    assert.equal(modes.isResultMode(mpi.name), true);
    assert.equal(modes.isResultOnlyMode(mpi.name), true);
    assert.equal(modes.isResultOnlyMode(info.modes[0].name), false);
    assert.equal(modes.getModeLabel(mpi.name), mpi.label);
    assert.equal(modes.getModeHelp(mpi.name), mpi.help);
    assert.equal(modes.hasSeparateMemory(mpi.name), true);
    assert.equal(modes.needsPthreads(mpi.name), false);
    assert.equal(modes.getModeIndex(mpi.name), info.modes.length, 'coloured after the modes the page runs');
    // What forms, menus, sweeps and links offer: only the modes the page runs.
    assert.equal(modes.isMode(mpi.name), false);
    assert.ok(!modes.getModeNames().includes(mpi.name));
    assert.ok(!modes.getModes().some((m) => m.name === mpi.name));
    assert.notEqual(modes.getDefaultMode(), mpi.name);
    assert.notEqual(modes.getFallbackMode(), mpi.name);
    assert.equal(modes.isResultMode('no-such-mode'), false);
  });

  test('a link cannot set mpi up: not as the mode, not in a sweep', () => {
    const { setup, notes } = parseSetup(`?mode=${mpi.name}&sweep_modes=threads,${mpi.name}`, info.params);
    assert.equal(setup.mode, undefined);
    assert.equal(setup.sweepModes, undefined);
    assert.equal(notes.length, 2, notes.join('\n'));
    for (const note of notes) assert.doesNotMatch(note.replace(/^Ignored [^:]*:/, ''), /\bmpi\b/, 'the modes it lists are those the page runs');
  });
});

describe('uploading an MPI results file', () => {
  test('the fixture is a valid results file (docs/results.schema.json), as parlab-mpi writes them', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(new URL('../../docs/results.schema.json', import.meta.url), 'utf8')));
    assert.ok(validate(fresh()), JSON.stringify(validate.errors?.slice(0, 3)));
    const sums = fresh().runs.map((run) => run.tasks.reduce((sum, t) => sum + BigInt(t.value), 0n));
    assert.deepEqual(sums.map(String), fresh().runs.map((run) => run.checksum), 'task values add up to the checksum');
  });

  test('the fixture is accepted, and every task keeps its rank and host, the environment its job', () => {
    const { data } = upload(text);
    const original = fresh();
    assert.deepEqual(data.environment.mpi, original.environment.mpi);
    data.runs.forEach((run, i) => {
      assert.equal(run.mode, 'mpi');
      assert.deepEqual(run.tasks.map((t) => [t.rank, t.host]), original.runs[i].tasks.map((t) => [t.rank, t.host]));
    });
  });

  test('refused, with a one-line message naming the field: a task without its host in an mpi run', () => {
    const data = fresh();
    delete data.runs[1].tasks[2].host;
    assert.equal(messageOf(data), 'm.json: runs[1].tasks[2].host must be the host the task\'s rank ran on (every task of an mpi run names its rank and host) (found nothing)');
    delete data.runs[1].tasks[2].rank;
    assert.match(messageOf(data), /^m\.json: runs\[1\]\.tasks\[2\]\.(rank|host) must be the .*every task of an mpi run names its rank and host/);
    // In a run of another mode a task may name neither, but never one without the other.
    const other = fresh();
    other.runs[1].mode = 'processes';
    delete other.runs[1].tasks[2].host;
    assert.equal(messageOf(other), 'm.json: runs[1].tasks[2] has rank but no host (the two go together)');
  });

  test('refused: rank 0 on a task (rank 0 hands out the tasks), a rank that is not its worker + 1', () => {
    const zero = fresh();
    zero.runs[1].tasks[0].rank = 0;
    assert.match(messageOf(zero), /^m\.json: runs\[1\]\.tasks\[0\]\.rank must be a whole number from 1 to 256 .*\(found 0\)$/);
    const other = fresh();
    other.runs[1].tasks[0].rank = 3; // its worker is 0
    assert.equal(messageOf(other), 'm.json: runs[1].tasks[0].rank must be its worker + 1 (1: rank 0 hands out the tasks) (found 3)');
  });

  test('refused: a bad environment.mpi; text in host names is kept as text', () => {
    for (const [change, pattern] of [
      [(d) => { d.environment.mpi.hosts = []; }, /environment\.mpi\.hosts must not be empty/],
      [(d) => { delete d.environment.mpi.library; }, /environment\.mpi\.library/],
      [(d) => { d.environment.mpi.hosts[0].host = ''; }, /environment\.mpi\.hosts\[0\]\.host must not be empty/],
      [(d) => { d.runs[0].tasks[0].host = 'x'.repeat(300); }, /runs\[0\]\.tasks\[0\]\.host is 300 characters long; the limit is 256/],
    ]) {
      const data = fresh();
      change(data);
      assert.match(messageOf(data), pattern);
      refusal(data);
    }
    const html = fresh();
    for (const t of html.runs[1].tasks) if (t.host === 'node-c') t.host = '<img src=x onerror=alert(1)>';
    const { data } = upload(html);
    const config = makeTimelineConfig(data.runs[1]);
    assert.ok(config.data.labels.includes('<img src=x onerror=alert(1)> · rank 2'), 'the name is a label, drawn as text by the canvas');
  });

  test('the set is named for its job: "mpi, 3 hosts"; one host: "mpi, 1 host"', () => {
    const { data } = upload(text);
    assert.equal(mpiJobLabel(data.environment), 'mpi, 3 hosts');
    assert.equal(environmentName(data.environment), 'mpi, 3 hosts');
    const one = { ...data.environment, mpi: { ...data.environment.mpi, hosts: [{ host: 'node-a', ranks: [0, 1, 2] }] } };
    assert.equal(environmentName(one), 'mpi, 1 host');
    assert.equal(environmentName({ target: 'native' }), 'native');
    const [column] = environmentColumns([{ label: 'mpi, 3 hosts (uploaded: m.json)', generator: data.generator, environment: data.environment }]);
    assert.equal(column.mpi, 'Open MPI v4.1.4: 5 ranks; node-a: 0, 3; node-b: 1, 4; node-c: 2');
    assert.equal(environmentColumns([{ label: 'n', environment: { target: 'native' } }])[0].mpi, null);
  });

  test('rank and host survive Export and its import; the CSV names each run\'s hosts', () => {
    const { data } = upload(text);
    const set = { id: 1, name: 'm.json', label: 'mpi, 3 hosts (uploaded: m.json)', environment: data.environment, generator: data.generator, created: data.created, runs: data.runs };
    const exported = JSON.stringify(buildExport({ browserGroups: [], uploadedSets: [set] }));
    const { sets } = parseExport(exported, 'export.json');
    assert.deepEqual(sets[0].environment.mpi, data.environment.mpi);
    assert.deepEqual(sets[0].runs[1].tasks.map((t) => `${t.host}/${t.rank}`), data.runs[1].tasks.map((t) => `${t.host}/${t.rank}`));
    assert.equal(runHosts(data.runs[1]), 'node-b node-c node-a');
    assert.equal(runHosts(data.runs[0]), 'node-b');
    assert.equal(runHosts({ tasks: [{ worker: 0 }] }), null);
    const lines = toCsv({ uploadedSets: [set] }).split('\r\n');
    assert.ok(lines[0].endsWith(',hosts'));
    assert.ok(lines[2].endsWith(',node-b node-c node-a'), lines[2]);
  });
});

describe('the timeline of an MPI run: a row per rank, grouped by host', () => {
  const { data } = upload(text);
  const four = data.runs[1];

  test('ranks of one host are adjacent, hosts in order of their first rank', () => {
    const config = makeTimelineConfig(four);
    // Ranks 1..4 ran on node-b, node-c, node-a, node-b (round-robin by node).
    assert.deepEqual(config.data.labels, ['node-b · rank 1', 'node-b · rank 4', 'node-c · rank 2', 'node-a · rank 3']);
    assert.equal(config.options.scales.y.title.text, 'host · MPI rank');
    for (const bar of config.data.datasets[0].data) assert.equal(bar.y, `${bar.task.host} · rank ${bar.task.rank}`);
  });

  test('a rank that ran no task: under its host from the file\'s hosts, else after the hosts', () => {
    const run = { ...four, tasks: four.tasks.filter((t) => t.rank !== 2) };
    assert.deepEqual(rankRows(run, 4).order.map(rankRows(run, 4).label), ['node-b · rank 1', 'node-b · rank 4', 'node-a · rank 3', 'rank 2 (no task)']);
    const placed = { ...run, mpiHosts: data.environment.mpi.hosts };
    assert.deepEqual(makeTimelineConfig(placed).data.labels, ['node-b · rank 1', 'node-b · rank 4', 'node-c · rank 2', 'node-a · rank 3']);
  });

  test('other runs keep one row per worker', () => {
    const threads = { mode: 'threads', workers: 2, tasks: [{ id: 0, worker: 1, start_s: 0, end_s: 1 }] };
    assert.equal(rankRows(threads, 2), null);
    assert.deepEqual(makeTimelineConfig(threads).data.labels, ['worker 0', 'worker 1']);
    assert.equal(timelineRows(threads).rows[0][1], '1');
  });

  test('the table lists each task\'s host and rank', () => {
    const { rows, total } = timelineRows(four);
    assert.equal(total, 16);
    const byTask = new Map(rows.map((r) => [r[0], r[1]]));
    for (const t of four.tasks) assert.equal(byTask.get(String(t.id)), `${t.worker} (${t.host} · rank ${t.rank})`);
  });
});

describe('MPI sets in the speed-up charts', () => {
  const { data } = upload(text);
  const entries = (sets) => sets.flatMap((s, k) => s.runs.map((run, i) => ({ id: `u${k}-${i}`, source: s.label, kind: 'uploaded', run })));

  test('a file with 1 and 4 worker ranks is a series of its own, labelled for its job', () => {
    const described = describeEntries(entries([{ label: 'mpi, 3 hosts (uploaded: m.json)', runs: data.runs }]), info.params);
    const [series] = speedupSeries(described, described[0].group);
    assert.equal(series.label, 'mpi, 3 hosts (uploaded: m.json) · mpi');
    assert.equal(series.mode, 'mpi');
    assert.deepEqual(series.points.map((p) => p.workers), [1, 4]);
    assert.equal(series.points[1].speedup, data.runs[0].wall_s / data.runs[1].wall_s);
  });

  test('a sweep of one file per job: a file without a 1-rank run is measured against the others\' 1-rank runs, and says so', () => {
    const [one, four] = data.runs;
    const described = describeEntries(entries([
      { label: 'mpi, 1 host (uploaded: m1.json)', runs: [one] },
      { label: 'mpi, 3 hosts (uploaded: m4.json)', runs: [four] },
    ]), info.params);
    const series = speedupSeries(described, described[0].group);
    const fourSeries = series.find((s) => s.source.includes('m4.json'));
    assert.equal(fourSeries.label, 'mpi, 3 hosts (uploaded: m4.json) · mpi (vs 1 worker in other uploads)');
    assert.equal(fourSeries.points[0].speedup, one.wall_s / four.wall_s);
    // Modes the page runs are never measured across uploads.
    const threads = describeEntries(entries([
      { label: 'native (uploaded: a.json)', runs: [{ ...one, mode: 'threads', tasks: [] }] },
      { label: 'native (uploaded: b.json)', runs: [{ ...four, mode: 'threads', tasks: [] }] },
    ]), info.params);
    assert.equal(speedupSeries(threads, threads[0].group).find((s) => s.source.includes('b.json')).points[0].speedup, null);
  });
});

describe('the MPI card', () => {
  const { data } = upload(text);
  const set = (label, runs, environment = data.environment) => ({ label, environment, runs });

  test('reads the uploaded MPI runs of one workload and its parameters, with the CPUs of the files', () => {
    const other = { ...data.runs[1], params: { ...data.runs[1].params, chunks: 8 } };
    const { results, cpus } = mpiResults([
      set('native (uploaded: n.json)', [{ ...data.runs[0], mode: 'threads' }], { target: 'native', logical_cpus: 2 }),
      set('mpi, 3 hosts (uploaded: m.json)', data.runs),
      set('mpi, 3 hosts (uploaded: o.json)', [other]),
    ]);
    assert.equal(cpus, 4);
    assert.deepEqual(results.map((r) => [r.job.key, r.source]), [['r1', 'mpi, 3 hosts (uploaded: m.json)'], ['r4', 'mpi, 3 hosts (uploaded: m.json)']]);
    assert.deepEqual(results[1].run.mpiHosts, data.environment.mpi.hosts);
    assert.deepEqual(mpiResults([]), { results: [], cpus: null });
  });

  test('the card\'s commands are the lesson\'s, and it has no native preset', () => {
    const lesson = readFileSync(new URL(`../../docs/lessons/${CARD.lesson}.md`, import.meta.url), 'utf8');
    for (const line of CARD.commands.lines) assert.ok(lesson.includes(line), `the lesson names ${line}`);
    assert.match(lesson, /\(\.\.\/mpi\.md\)/, 'the lesson links docs/mpi.md');
  });

  test('the fixture: 4 worker ranks over 3 hosts gained, so "faster"', () => {
    const { results, cpus } = mpiResults([set('mpi, 3 hosts (uploaded: m.json)', data.runs)]);
    const summary = summarise(CARD, results, { cores: cpus });
    assert.equal(summary.verdict, 'scales');
    assert.deepEqual(summary.figures.hosts, { 1: 1, 4: 3 });
    assert.match(summary.measured, /4 worker ranks \(3 hosts\) 251 ms, 3\.6×/);
    assert.ok(summary.steps.some((s) => /shared memory/.test(s) && /network/.test(s)), 'on one machine shared memory, across them the network');
  });

  test('how long a rank waited between its tasks, as a share of a task', () => {
    const run = { tasks: [
      { worker: 0, start_s: 0, end_s: 1 }, { worker: 0, start_s: 1.5, end_s: 2.5 }, { worker: 1, start_s: 0, end_s: 1 },
    ] };
    assert.equal(waitBetweenTasks(run), 0.5);
    assert.ok(Number.isNaN(waitBetweenTasks({ tasks: [{ worker: 0, start_s: 0, end_s: 1 }] })));
  });

  // The card's verdict for 1 to 64 CPUs per host is also checked against tests/fixtures/card-verdicts.mjs's model (the
  // model, ±20%, between claims, a busy machine) by tests/web/experiments.test.mjs; these are the cases the model has not.
  const figures = (speedups, extra = {}) => ({
    ran: true, workers: [1, ...Object.keys(speedups).map(Number)], speedups, hosts: { 1: 1, 2: 1, 4: 1 }, taskBound: { 1: 1, 2: 2, 4: 4 }, messageShare: 0.02, ...extra,
  });
  for (const cpus of [1, 2, 4, 8, 16, 32, 64]) {
    test(`${cpus} CPUs per host: no verdict without runs, inconclusive without a 1-rank run, past the bound, or on noise`, () => {
      assert.equal(judgeMpi({ ran: false }, cpus), null);
      assert.equal(judgeMpi(figures({ 2: 1.9 }, { workers: [2, 4] }), cpus).verdict, INCONCLUSIVE);
      assert.equal(judgeMpi(figures({}), cpus).verdict, INCONCLUSIVE);
      // Faster than the ranks and CPUs can make it: the runs differ in more than their ranks.
      assert.equal(judgeMpi(figures({ 4: 1.3 * Math.min(4, cpus) }), cpus).verdict, INCONCLUSIVE);
      // Tiny tasks: the ranks waited as long as they computed, and gained nothing or lost.
      assert.equal(judgeMpi(figures({ 2: 1.0, 4: 0.95 }, { messageShare: 1.2 }), cpus), 'flat');
      assert.equal(judgeMpi(figures({ 2: 0.7, 4: 0.5 }, { messageShare: 3 }), cpus), 'slower');
      // The same gain read at the ends of its repeats' spread: inconclusive when they disagree.
      const job = (w) => ({ key: `r${w}`, mode: 'mpi', workers: w });
      const run = (w, wall) => ({ job: job(w), run: { ok: true, complete: true, wall_s: wall, workload: 'primes', params: {}, tasks: [] }, source: 's' });
      const noisy = [run(1, 1), run(1, 1), run(1, 1), run(4, 1 / Math.min(4, cpus)), run(4, 1.3), run(4, 0.9 / Math.min(4, cpus))];
      const summary = summarise(CARD, noisy, { cores: cpus });
      assert.equal(summary.verdict, INCONCLUSIVE, `${cpus}: ${summary.reason}`);
      assert.match(summary.reason, /busy|repeats/);
    });
  }
});
