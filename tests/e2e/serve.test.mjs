// web/serve.mjs: isolation headers, content types, and refusing what it must not serve.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { contentSecurityPolicy, glueNeedsEval, startServer } from '../../web/serve.mjs';

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
    mkdirSync(join(dir, 'outside'));
    writeFileSync(join(dir, 'outside', 'secret.txt'), 'secret');
    symlinkSync(join(dir, 'secret.txt'), join(root, 'link.txt'));
    symlinkSync(join(dir, 'outside'), join(root, 'linkdir')); // a folder link out of the root
    symlinkSync('../secret.txt', join(root, 'wasm', 'rel.txt')); // a relative link out of the root
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

  test('every response carries a Content-Security-Policy without unsafe-inline or unsafe-eval', async () => {
    const { port } = isolated.address();
    for (const path of ['/', '/main.js', '/wasm/parlab.wasm', '/nope.js', '/../secret.txt']) {
      const res = await fetchRaw(port, path);
      const csp = res.headers['content-security-policy'];
      assert.ok(csp, `${path}: no Content-Security-Policy`);
      assert.doesNotMatch(csp, /unsafe-inline/, path);
      assert.doesNotMatch(csp, /'unsafe-eval'/, path);
      assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'(;|$)/, path);
      for (const part of ["default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'self'", "worker-src 'self'", "style-src 'self'"]) {
        assert.ok(csp.includes(part), `${path}: ${part} in ${csp}`);
      }
      assert.equal(res.headers['x-content-type-options'], 'nosniff', path);
      assert.equal(res.headers['cross-origin-resource-policy'], 'same-origin', path);
    }
    const openCsp = (await fetchRaw(open.address().port, '/')).headers['content-security-policy'];
    assert.equal(openCsp, contentSecurityPolicy(), 'the policy does not depend on isolation');
  });

  test("'unsafe-eval' only for wasm glue that needs it (linked without -sDYNAMIC_EXECUTION=0)", async () => {
    assert.equal(glueNeedsEval(root), false);
    assert.equal(isolated.csp.allowEval, false);
    const evalRoot = join(dir, 'eval-site');
    mkdirSync(join(evalRoot, 'wasm'), { recursive: true });
    writeFileSync(join(evalRoot, 'index.html'), '');
    writeFileSync(join(evalRoot, 'wasm', 'parlab.js'), 'var f = new Function("a", "return a");');
    assert.equal(glueNeedsEval(evalRoot), true);
    const server = await startServer({ root: evalRoot, port: 0 });
    try {
      const res = await fetchRaw(server.address().port, '/');
      assert.match(res.headers['content-security-policy'], /script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'/);
      assert.doesNotMatch(res.headers['content-security-policy'], /unsafe-inline/);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  test('binds 127.0.0.1 unless told otherwise', async () => {
    assert.equal(isolated.address().address, '127.0.0.1');
    const server = await startServer({ root, port: 0 });
    try {
      assert.equal(server.address().address, '127.0.0.1');
    } finally {
      await new Promise((r) => server.close(r));
    }
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
      // dot segments, encoded, doubly encoded (decoded once only: a file literally named "%2e%2e"), mixed case
      ['/..', 404], ['/../../../../etc/passwd', 404], ['/%2e%2e/%2e%2e/etc/passwd', 404], ['/%2E%2E/secret.txt', 404],
      ['/%252e%252e/secret.txt', 404], ['/%252e%252e%252fsecret.txt', 404], ['/wasm/%2e%2e%2f%2e%2e%2fsecret.txt', 404],
      ['/.%2e/secret.txt', 404], ['/%2e./secret.txt', 404], ['//../secret.txt', 404], ['/wasm/../../secret.txt', 404],
      ['/%c0%ae%c0%ae/secret.txt', 400], ['/..%255csecret.txt', 404], ['/%5c..%5csecret.txt', 400],
      // links out of the root, to a file, a folder and relative
      ['/linkdir/secret.txt', 404], ['/linkdir/', 404], ['/wasm/rel.txt', 404],
      // absolute-form and odd request targets
      ['http://127.0.0.1/../secret.txt', 400], ['*', 400],
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
