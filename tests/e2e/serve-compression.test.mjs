// web/serve.mjs and web/build-site.mjs: precompressed twins are sent to clients that take gzip, and ETags
// turn repeat loads into 304s.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';

import { startServer } from '../../web/serve.mjs';

function get(port, path, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serve.mjs compression and revalidation', () => {
  let root;
  let server;
  const script = 'export const answer = 42;\n'.repeat(200);

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'parlab-gzip-'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>t</title>');
    writeFileSync(join(root, 'main.js'), script);
    writeFileSync(join(root, 'main.js.gz'), gzipSync(script));
    writeFileSync(join(root, 'stale.js'), 'export const fresh = true;\n');
    writeFileSync(join(root, 'stale.js.gz'), gzipSync('export const fresh = false;\n'));
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(root, 'stale.js.gz'), past, past); // older than its source: must not be sent
    server = await startServer({ root, port: 0 });
  });

  after(async () => {
    if (server) await new Promise((r) => server.close(r));
    rmSync(root, { recursive: true, force: true });
  });

  test('a client that takes gzip gets the twin, with the right type and length', async () => {
    const res = await get(server.address().port, '/main.js', { 'accept-encoding': 'gzip, deflate' });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-encoding'], 'gzip');
    assert.match(res.headers['content-type'], /^text\/javascript/);
    assert.equal(Number(res.headers['content-length']), res.body.length);
    assert.equal(gunzipSync(res.body).toString(), script);
    assert.equal(res.headers.vary, 'Accept-Encoding');
    assert.equal(res.headers['cross-origin-embedder-policy'], 'require-corp');
  });

  test('a client that does not take gzip gets the plain file', async () => {
    const res = await get(server.address().port, '/main.js');
    assert.equal(res.headers['content-encoding'], undefined);
    assert.equal(res.body.toString(), script);
  });

  test('a twin older than its file is ignored', async () => {
    const res = await get(server.address().port, '/stale.js', { 'accept-encoding': 'gzip' });
    assert.equal(res.headers['content-encoding'], undefined);
    assert.equal(res.body.toString(), 'export const fresh = true;\n');
  });

  test('a matching If-None-Match gets 304 and no body', async () => {
    const port = server.address().port;
    const first = await get(port, '/main.js');
    assert.ok(first.headers.etag);
    const again = await get(port, '/main.js', { 'if-none-match': first.headers.etag });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    const other = await get(port, '/main.js', { 'if-none-match': 'W/"nope"' });
    assert.equal(other.status, 200);
  });
});
