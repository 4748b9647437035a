// The copy workload in wasm through the file bridge (web/site/opfs-files.js over an in-memory stand-in for the
// Origin Private File System): the task's files, the preparation, the copy and its hash (the native program's
// checksum), a file not opened before its task named in the error, and the modes the core refuses in the browser.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { FakeDir } from './fake-opfs.mjs';
import { loadSingleThreaded, loadSiteScript, loadThreaded, repoRoot, stageWasm, wasmBuildMissing } from './wasm-helpers.mjs';

const makeBridge = loadSiteScript('opfs-files.js');
const nativeBinary = process.env.PARLAB_NATIVE_BIN || join(repoRoot, 'build', 'native', 'parlab');
const PARAMS = { workload: 'copy', files: 2, file_mib: 1 };

/// The native program's checksum for PARAMS (a sequential run in a private $TMPDIR).
function nativeChecksum() {
  assert.ok(existsSync(nativeBinary), `${nativeBinary} is missing: build it first (scripts/build.sh)`);
  const dir = mkdtempSync(join(tmpdir(), 'parlab-wasm-files-'));
  try {
    const out = join(dir, 'copy.json');
    const child = spawnSync(nativeBinary, ['run', '--workload', 'copy', '--files', '2', '--file-mib', '1', '--mode', 'sequential', '--out', out], { encoding: 'utf8', env: { ...process.env, TMPDIR: dir } });
    assert.equal(child.status, 0, child.stderr);
    return String(JSON.parse(readFileSync(out, 'utf8')).runs[0].checksum);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/// What the lab worker and a process worker do around a copy run: sources prepared, then each task between
/// opening and closing its files. Returns the sum of the task values as a decimal string.
async function copyThroughBridge(Module, files) {
  const workload = new Module.Workload(JSON.stringify(PARAMS));
  try {
    const count = Number(workload.task_count());
    for (let i = 0; i < count; i += 1) {
      await files.open(workload.task_files(i).filter((f) => !f.create).map((f) => ({ path: f.path, create: true })));
      workload.prepare_task(i);
      files.closeAll();
    }
    let sum = 0n;
    for (let i = 0; i < count; i += 1) {
      await files.open(workload.task_files(i));
      sum += BigInt(workload.compute(i));
      files.closeAll();
    }
    return String(sum % 2n ** 64n);
  } finally {
    workload.delete();
  }
}

describe('the copy workload in wasm, through the file bridge', () => {
  let staged = null;
  let st = null;
  let root = null;

  before(async () => {
    const missing = wasmBuildMissing();
    if (missing) assert.fail(missing);
    staged = stageWasm();
    st = await loadSingleThreaded(staged.dir);
  });
  after(() => {
    delete globalThis.parlabFiles;
    staged?.remove();
  });

  const freshBridge = () => {
    root = new FakeDir();
    globalThis.parlabFiles = makeBridge(() => ({ getDirectory: async () => root }), {});
    return globalThis.parlabFiles;
  };

  test('a task reads its source and creates its copy, in the run\'s folder; the copies hash to the native checksum', async () => {
    const files = freshBridge();
    assert.throws(() => new st.Workload(JSON.stringify(PARAMS)), /no run has started its files/);
    const token = files.newRun();
    const workload = new st.Workload(JSON.stringify(PARAMS));
    assert.deepEqual(workload.task_files(1), [{ path: `parlab-copy-${token}/file-1`, create: false }, { path: `parlab-copy-${token}/copy-1`, create: true }]);
    assert.throws(() => workload.compute(0), new RegExp(`cannot open parlab-copy-${token}/file-0: the page did not open it before the task`));
    assert.deepEqual(root.entries.size, 0, 'building the workload wrote nothing (the page prepares the sources)');
    workload.delete();
    assert.equal(await copyThroughBridge(st, files), nativeChecksum());
    assert.deepEqual(await files.removeRun(token), [`parlab-copy-${token}`]);
    assert.equal(root.entries.size, 0);
  });

  test('the pthread build\'s shared memory goes through a plain buffer (a handle may refuse a shared view)', async () => {
    const mt = await loadThreaded(staged.dir);
    try {
      const files = freshBridge();
      files.newRun();
      assert.equal(await copyThroughBridge(mt, files), nativeChecksum());
    } finally {
      mt.PThread?.terminateAllThreads?.();
    }
  });

  test('the core refuses copy in every mode but processes, naming the mode and why', () => {
    freshBridge().newRun();
    const names = JSON.parse(st.get_lab_info()).modes.map((m) => m.name);
    const none = { tasks: { id: [], worker: [], pid: [], thread: [], start_s: [], end_s: [], wait_s: [], rss_kib: [], value: '' }, wall_s: 0, startup_s: 0 };
    for (const mode of names.filter((m) => m !== 'processes')) {
      assert.throws(() => st.build_run_json(JSON.stringify(PARAMS), mode, 1, none), new RegExp(`runs only in processes mode in the browser, not in ${mode} mode: .*opens only asynchronously`), mode);
      assert.throws(() => st.run_json(JSON.stringify(PARAMS), mode, 1), /runs only in processes mode/, mode);
    }
    assert.equal(JSON.parse(st.build_run_json(JSON.stringify(PARAMS), 'processes', 2, none)).mode, 'processes');
  });
});
