// Serves build/site/ on 127.0.0.1 with the cross-origin isolation headers that SharedArrayBuffer (wasm threads) needs,
// and a Content-Security-Policy that allows no inline script or style and no eval (only 'wasm-unsafe-eval').
// Usage: node web/serve.mjs [--host 127.0.0.1] [--port 8080] [--root build/site] [--no-isolation]
//        [--embed-ancestors "https://course.example.org"]   (env PORT too; embed.html may be framed by these, default *)
import { createReadStream, existsSync, readFileSync, promises as fsp } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

import { UsageError, readCommandLine, wholeNumber } from '../scripts/cli.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/// The page's policy: its own files only; no inline script, style or handlers; no eval, but wasm may compile.
/// `allowEval` adds 'unsafe-eval' for Emscripten glue linked without -sDYNAMIC_EXECUTION=0 (Embind then builds
/// functions with `new Function`). `frameAncestors`: who may frame the page ('self' for the lab; the embed page
/// gets EMBED_FRAME_ANCESTORS).
export function contentSecurityPolicy({ allowEval = false, frameAncestors = "'self'" } = {}) {
  return [
    "default-src 'self'",
    `script-src 'self' 'wasm-unsafe-eval'${allowEval ? " 'unsafe-eval'" : ''}`,
    "worker-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');
}

/// The pages meant to be framed by other sites (docs/hosting.md), and who may frame them by default.
export const EMBED_PAGES = ['/embed.html'];
export const EMBED_FRAME_ANCESTORS = '*';

/// Whether the Emscripten glue under `root` needs eval: built without -sDYNAMIC_EXECUTION=0, Embind calls
/// `new Function`, which a policy without 'unsafe-eval' refuses (the page could not load the wasm at all).
export function glueNeedsEval(root) {
  for (const name of ['parlab.js', 'parlab_st.js']) {
    try {
      if (readFileSync(join(root, 'wasm', name), 'latin1').includes('new Function(')) return true;
    } catch (_) {
      // not built: nothing to allow
    }
  }
  return false;
}

/// The headers of every response. An embed page (`embed`) may be framed by `embedAncestors`, and says
/// CORP cross-origin so that an embedding page that is itself cross-origin isolated (COEP require-corp) may
/// load it; everything else stays same-origin.
function securityHeaders(isolated, allowEval, { embed = false, embedAncestors = EMBED_FRAME_ANCESTORS } = {}) {
  const headers = {
    'Cross-Origin-Resource-Policy': embed ? 'cross-origin' : 'same-origin',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': contentSecurityPolicy({ allowEval, frameAncestors: embed ? embedAncestors : "'self'" }),
    'Referrer-Policy': 'no-referrer',
  };
  if (isolated) {
    headers['Cross-Origin-Opener-Policy'] = 'same-origin';
    headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
  }
  return headers;
}

function sendText(res, status, text, extra, headOnly) {
  const body = Buffer.from(`${text}\n`);
  res.writeHead(status, Object.assign({ 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': body.length }, extra));
  res.end(headOnly ? undefined : body);
}

/// Maps a request path to a file under `root`, or returns {status} when it must be refused.
async function resolveFile(root, rawUrl) {
  const pathPart = String(rawUrl || '/').split(/[?#]/)[0];
  let decoded;
  try {
    decoded = decodeURIComponent(pathPart);
  } catch (_) {
    return { status: 400 };
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return { status: 400 };
  const target = resolve(root, '.' + decoded);
  if (target !== root && !target.startsWith(root + sep)) return { status: 404 };
  let file = target;
  let stats;
  try {
    stats = await fsp.stat(file);
    if (stats.isDirectory()) {
      file = join(file, 'index.html'); // an index page, never a listing
      stats = await fsp.stat(file);
    }
  } catch (_) {
    return { status: 404 };
  }
  if (!stats.isFile()) return { status: 404 };
  // A symlink inside root may point outside it: check the real path too.
  const real = await fsp.realpath(file).catch(() => null);
  const realRoot = await fsp.realpath(root).catch(() => root);
  if (!real || (real !== realRoot && !real.startsWith(realRoot + sep))) return { status: 404 };
  return { file, size: stats.size, mtimeMs: stats.mtimeMs };
}

/// The precompressed twin (FILE.gz, written by build-site.mjs) when the client takes gzip and it is no older
/// than the file; else null.
async function gzipTwin(found, acceptEncoding) {
  if (!/\bgzip\b/.test(String(acceptEncoding || ''))) return null;
  const stats = await fsp.stat(found.file + '.gz').catch(() => null);
  if (!stats || !stats.isFile() || stats.mtimeMs < found.mtimeMs) return null;
  return { file: found.file + '.gz', size: stats.size };
}

/// Starts serving `root` and resolves to the listening http.Server (`port: 0` picks a free port; read it from
/// server.address().port). `isolated: false` leaves out COOP/COEP, to try the page without SharedArrayBuffer.
/// `allowEval` (default: whether the wasm glue in root needs it) adds 'unsafe-eval' to the policy; server.csp
/// tells which policy is sent. `embedAncestors`: the CSP frame-ancestors of the embed page (default '*': any
/// site may frame it; e.g. "https://course.example.org" to allow one).
export function startServer({
  root = join(repoRoot, 'build', 'site'), host = '127.0.0.1', port = 8080, isolated = true, allowEval = undefined,
  embedAncestors = EMBED_FRAME_ANCESTORS,
} = {}) {
  const siteRoot = resolve(root);
  const evalAllowed = allowEval ?? glueNeedsEval(siteRoot);
  const pageHeaders = securityHeaders(isolated, evalAllowed);
  const embedHeaders = securityHeaders(isolated, evalAllowed, { embed: true, embedAncestors });
  const server = createServer(async (req, res) => {
    const headOnly = req.method === 'HEAD';
    const headers = EMBED_PAGES.includes(String(req.url || '/').split(/[?#]/)[0]) ? embedHeaders : pageHeaders;
    try {
      if (req.method !== 'GET' && !headOnly) {
        sendText(res, 405, 'method not allowed', Object.assign({ Allow: 'GET, HEAD' }, headers), false);
        return;
      }
      const found = await resolveFile(siteRoot, req.url);
      if (found.status) {
        sendText(res, found.status, found.status === 400 ? 'bad request' : 'not found', headers, headOnly);
        return;
      }
      const type = CONTENT_TYPES[extname(found.file).toLowerCase()] || 'application/octet-stream';
      // no-cache means "revalidate": with an ETag the 16 pthread workers' repeat loads of parlab.js are 304s.
      const etag = `W/"${found.size.toString(16)}-${Math.floor(found.mtimeMs).toString(16)}"`;
      const common = Object.assign({ 'Cache-Control': 'no-cache', ETag: etag, Vary: 'Accept-Encoding' }, headers);
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, common);
        res.end();
        return;
      }
      const gz = await gzipTwin(found, req.headers['accept-encoding']);
      const body = gz || found;
      res.writeHead(200, Object.assign({ 'Content-Type': type, 'Content-Length': body.size },
        gz ? { 'Content-Encoding': 'gzip' } : {}, common));
      if (headOnly) {
        res.end();
        return;
      }
      const stream = createReadStream(body.file);
      stream.on('error', () => res.destroy());
      stream.pipe(res);
    } catch (_) {
      if (!res.headersSent) sendText(res, 500, 'internal error', headers, headOnly);
      else res.destroy();
    }
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  server.csp = { policy: pageHeaders['Content-Security-Policy'], embedPolicy: embedHeaders['Content-Security-Policy'], allowEval: evalAllowed };
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolvePromise(server);
    });
  });
}

const USAGE = `usage: node web/serve.mjs [--host 127.0.0.1] [--port 8080] [--root build/site] [--no-isolation] [--embed-ancestors SOURCES]
  --host HOST               the address to listen on (default 127.0.0.1)
  --port N                  0..65535; 0 picks a free port (default: env PORT, else 8080)
  --root DIR                the built site (default build/site)
  --no-isolation            leave out COOP/COEP, to see the page without SharedArrayBuffer
  --embed-ancestors SOURCES who may frame embed.html: CSP sources such as * or 'self' or https://course.example.org`;

const FLAGS = {
  host: { type: 'string', default: '127.0.0.1' }, port: { type: 'string', default: process.env.PORT || '8080' },
  root: { type: 'string' }, 'no-isolation': { type: 'boolean', default: false }, 'embed-ancestors': { type: 'string' },
};

/// startServer's options from the flags (UsageError for a bad value).
function serveOptions(values) {
  const options = { host: values.host, port: wholeNumber(values, 'port', 0, 65535), isolated: !values['no-isolation'] };
  if (values.root !== undefined) options.root = resolve(values.root);
  // A CSP source list: no quotes that would end the header value, no ';' that would start another directive.
  if (values['embed-ancestors'] !== undefined) {
    if (!/^[\w*'.:/ -]+$/.test(values['embed-ancestors'])) {
      throw new UsageError("--embed-ancestors must be CSP sources such as * or 'self' or https://course.example.org (separated by spaces)");
    }
    options.embedAncestors = values['embed-ancestors'];
  }
  return options;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const options = readCommandLine('serve', USAGE, FLAGS, serveOptions);
  const root = options.root || join(repoRoot, 'build', 'site');
  if (!existsSync(join(root, 'index.html'))) {
    console.error(`serve: ${root} has no index.html; build it first: node web/build-site.mjs`);
    process.exit(1);
  }
  startServer(options).then(
    (server) => {
      const { port } = server.address();
      const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
      console.log(`parlab: serving ${root} at http://${shownHost}:${port}/`
        + (options.isolated ? ' (cross-origin isolated)' : ' (NOT cross-origin isolated: --no-isolation)'));
      if (server.csp.allowEval) {
        console.warn("parlab: the wasm glue uses eval (linked without -sDYNAMIC_EXECUTION=0), so the policy allows 'unsafe-eval'");
      }
    },
    (err) => {
      console.error(`serve: ${err.message}`);
      process.exit(1);
    },
  );
}
