// web/serve.mjs: isolation headers, content types, and refusing what it must not serve.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { startServer } from '../../web/serve.mjs';

/// A raw request (no URL normalisation, so "/../" reaches the server as written).
function fetchRaw(port, path, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serve.mjs', () => {
  let dir;
  let root;
  let isolated;
  let open;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parlab-serve-'));
    root = join(dir, 'site');
    mkdirSync(join(root, 'wasm'), { recursive: true });
    mkdirSync(join(root, 'empty'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>t</title>');
    writeFileSync(join(root, 'wasm', 'parlab.wasm'), Buffer.from([0, 97, 115, 109]));
    writeFileSync(join(root, 'main.js'), 'export {};');
    writeFileSync(join(root, 'results.schema.json'), '{}');
    writeFileSync(join(dir, 'secret.txt'), 'secret');
    symlinkSync(join(dir, 'secret.txt'), join(root, 'link.txt'));
    isolated = await startServer({ root, port: 0 });
    open = await startServer({ root, port: 0, isolated: false });
  });

  after(async () => {
    await Promise.all([isolated, open].filter(Boolean).map((s) => new Promise((r) => s.close(r))));
    rmSync(dir, { recursive: true, force: true });
  });

  test('serves files with their content types and the isolation headers', async () => {
    const { port } = isolated.address();
    const cases = [
      ['/', 'text/html'], ['/main.js', 'text/javascript'], ['/wasm/parlab.wasm', 'application/wasm'],
      ['/results.schema.json', 'application/json'],
    ];
    for (const [path, type] of cases) {
      const res = await fetchRaw(port, path);
      assert.equal(res.status, 200, path);
      assert.ok(res.headers['content-type'].startsWith(type), `${path}: ${res.headers['content-type']}`);
      assert.equal(res.headers['cross-origin-opener-policy'], 'same-origin');
      assert.equal(res.headers['cross-origin-embedder-policy'], 'require-corp');
      assert.equal(res.headers['cross-origin-resource-policy'], 'same-origin');
    }
    const head = await fetchRaw(port, '/main.js', 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
    assert.equal(head.headers['content-length'], String('export {};'.length));
  });

  test('--no-isolation leaves COOP/COEP out', async () => {
    const res = await fetchRaw(open.address().port, '/');
    assert.equal(res.status, 200);
    assert.equal(res.headers['cross-origin-opener-policy'], undefined);
    assert.equal(res.headers['cross-origin-embedder-policy'], undefined);
  });

  test('refuses traversal, bad encoding, listings, links out of the root and other methods', async () => {
    const { port } = isolated.address();
    const cases = [
      ['/../secret.txt', 404], ['/%2e%2e/secret.txt', 404], ['/wasm/..%2f..%2fsecret.txt', 404],
      ['/%E0%A4%A', 400], ['/%00', 400], ['/..%5csecret.txt', 400], ['/empty/', 404], ['/wasm', 404],
      ['/link.txt', 404], ['/nope.js', 404],
    ];
    for (const [path, status] of cases) {
      const res = await fetchRaw(port, path);
      assert.equal(res.status, status, `${path} -> ${res.status}`);
      assert.ok(!res.body.includes('secret'), `${path} leaks nothing`);
    }
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const res = await fetchRaw(port, '/', method);
      assert.equal(res.status, 405, method);
      assert.equal(res.headers.allow, 'GET, HEAD');
    }
  });
});
