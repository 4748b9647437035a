// The file bridge (web/site/opfs-files.js) against an in-memory stand-in for the Origin Private File System that
// locks a file while a handle is open and refuses views of shared memory, as browsers may: files are found by path
// only once opened, reads and writes go where asked, nothing of a run is left after removeRun.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { FakeDir } from './fake-opfs.mjs';

const { loadUmd } = createRequire(import.meta.url)('./wasm-umd.cjs');
const makeBridge = loadUmd(fileURLToPath(new URL('../../web/site/opfs-files.js', import.meta.url)));

/// A bridge over a fresh stand-in storage: {files, root}.
function setUp() {
  const root = new FakeDir();
  const storage = { getDirectory: async () => root };
  return { files: makeBridge(() => storage, { FileSystemFileHandle: { prototype: { createSyncAccessHandle() {} } } }), root };
}

describe('the file bridge', () => {
  test('a run token names the folder; a file is found only once opened, and the error names its path', async () => {
    const { files } = setUp();
    assert.match(files.runToken().error, /no run has started its files/);
    const token = files.newRun();
    assert.deepEqual(files.runToken(), { value: token });
    const path = `parlab-copy-${token}/file-0`;
    assert.match(files.take(path, false).error, new RegExp(`cannot open ${path}: the page did not open it before the task`));
    await assert.rejects(files.open([{ path, create: false }]), new RegExp(`cannot open ${path}: NotFoundError`));
    await files.open([{ path, create: true }]);
    assert.ok(files.take(path, false).value > 0);
    await assert.rejects(files.open([{ path: '../x', create: true }]), /not a plain relative path/);
  });

  test('reads and writes go where asked, through a plain buffer for a view of shared memory', async () => {
    const { files } = setUp();
    const token = files.newRun();
    const source = `parlab-copy-${token}/file-0`;
    await files.open([{ path: source, create: true }]);
    const out = files.take(source, true).value;
    const shared = new Uint8Array(new SharedArrayBuffer(8));
    shared.set([1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(files.write(out, shared, 0), { value: 8 });
    assert.deepEqual(files.write(out, new Uint8Array([9, 9]), 8), { value: 2 });
    assert.deepEqual(files.flush(out), { value: 0 });
    const back = new Uint8Array(new SharedArrayBuffer(16));
    assert.deepEqual(files.read(out, back, 4), { value: 6 });
    assert.deepEqual([...back.subarray(0, 6)], [5, 6, 7, 8, 9, 9]);
    assert.deepEqual(files.read(out, new Uint8Array(4), 10), { value: 0 }, '0 at the end');
    files.release(out);
    assert.match(files.read(out, back, 0).error, /is not open/);
    assert.deepEqual(files.take(source, true), { value: out + 1 }, 'create empties the file');
    assert.deepEqual(files.read(out + 1, back, 0), { value: 0 });
  });

  test('a handle locks its file until closeAll; another worker\'s bridge then opens it', async () => {
    const { files, root } = setUp();
    const storage = { getDirectory: async () => root };
    const other = makeBridge(() => storage, {});
    const token = files.newRun();
    other.useRun(token);
    const path = `parlab-copy-${token}/file-1`;
    await files.open([{ path, create: true }]);
    await assert.rejects(other.open([{ path, create: false }]), /NoModificationAllowedError/);
    files.closeAll();
    await other.open([{ path, create: false }]);
    assert.ok(other.take(path, false).value > 0);
    other.closeAll();
  });

  test('removeRun removes the run\'s folders only, waiting for a handle to be let go', async () => {
    const { files, root } = setUp();
    const storage = { getDirectory: async () => root };
    const worker = makeBridge(() => storage, {});
    const keep = await root.getDirectoryHandle('someone-else', { create: true });
    await keep.getFileHandle('x', { create: true });
    const token = files.newRun();
    worker.useRun(token);
    await files.open([{ path: `parlab-copy-${token}/file-0`, create: true }]);
    files.closeAll();
    await worker.open([{ path: `parlab-copy-${token}/copy-0`, create: true }]);
    let slept = 0;
    const removed = await files.removeRun(token, { sleep: async () => { slept += 1; if (slept === 3) worker.closeAll(); } });
    assert.deepEqual(removed, [`parlab-copy-${token}`]);
    assert.equal(slept, 3, 'retried while the worker held its file');
    assert.deepEqual([...root.entries.keys()], ['someone-else']);
    assert.match(files.runToken().error, /no run/);
    const again = files.newRun();
    await files.open([{ path: `parlab-copy-${again}/file-0`, create: true }]);
    const stuck = makeBridge(() => storage, {});
    stuck.useRun(again);
    files.closeAll();
    await stuck.open([{ path: `parlab-copy-${again}/file-0`, create: false }]);
    await assert.rejects(files.removeRun(again, { waitMs: 100, sleep: async () => {} }), /cannot remove the run's folder parlab-copy-.*NoModificationAllowedError/);
  });

  test('support() names what a browser lacks', () => {
    assert.match(makeBridge(() => undefined, {}).support().reason, /no Origin Private File System \(navigator\.storage\.getDirectory is missing\)/);
    const old = makeBridge(() => ({ getDirectory: async () => new FakeDir() }), { FileSystemFileHandle: { prototype: {} } });
    assert.match(old.support().reason, /createSyncAccessHandle is missing/);
    assert.deepEqual(setUp().files.support(), { ok: true, reason: null });
  });
});
