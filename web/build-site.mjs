// Assembles build/site/ (page, workers, wasm builds, Chart.js, results schema, Upload's validator): a folder any static
// host can serve.
// Usage: node web/build-site.mjs [--out DIR] [--coi-serviceworker]   (run from anywhere; paths are relative to the
// repository root). --coi-serviceworker: for hosts that cannot send COOP/COEP, the page registers coi-serviceworker
// whenever it is not isolated (without it, only when the address has ?coi=1; docs/hosting.md).
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { readCommandLine } from '../scripts/cli.mjs';
import { buildLessons } from './lessons-build.mjs';
import { uploadValidatorModule } from './results-validator.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.wasm', '.svg']);

const WASM_FILES = ['parlab.js', 'parlab.wasm', 'parlab.worker.js', 'parlab_st.js', 'parlab_st.wasm'];

/// Copies the site's inputs into `outDir` (emptied first) and returns the list of files written.
/// Throws one error listing every missing input, with the command that makes it.
/// `wasmDir` defaults to build/wasm (env PARLAB_WASM_DIR overrides it).
export function buildSite({
  root = repoRoot,
  outDir = join(root, 'build', 'site'),
  wasmDir = process.env.PARLAB_WASM_DIR ? resolve(process.env.PARLAB_WASM_DIR) : join(root, 'build', 'wasm'),
  coiServiceWorker = false,
} = {}) {
  const siteDir = join(root, 'web', 'site');
  const chartJs = join(root, 'node_modules', 'chart.js', 'dist', 'chart.umd.js');
  const coiJs = join(root, 'node_modules', 'coi-serviceworker', 'coi-serviceworker.js');
  const schema = join(root, 'docs', 'results.schema.json');

  const missing = [];
  if (!existsSync(siteDir) || !existsSync(join(siteDir, 'index.html'))) {
    missing.push(`${join(siteDir, 'index.html')} (the page sources)`);
  }
  for (const name of WASM_FILES) {
    const file = join(wasmDir, name);
    if (!existsSync(file)) missing.push(`${file} (build it: cmake --preset wasm && cmake --build --preset wasm)`);
  }
  if (!existsSync(chartJs)) missing.push(`${chartJs} (install it: npm install)`);
  if (!existsSync(coiJs)) missing.push(`${coiJs} (install it: npm install)`);
  if (missing.length) throw new Error(`cannot build the site, missing:\n  ${missing.join('\n  ')}`);

  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, 'wasm'), { recursive: true });
  mkdirSync(join(outDir, 'vendor'), { recursive: true });
  const written = [];
  const copy = (from, to) => {
    cpSync(from, to);
    written.push(to);
  };
  for (const name of readdirSync(siteDir)) {
    const from = join(siteDir, name);
    if (statSync(from).isDirectory()) cpSync(from, join(outDir, name), { recursive: true });
    else copy(from, join(outDir, name));
  }
  for (const name of WASM_FILES) copy(join(wasmDir, name), join(outDir, 'wasm', name));
  copy(chartJs, join(outDir, 'vendor', 'chart.umd.js'));
  // The service worker must sit next to the pages (its scope is its folder) and come from the site's own origin.
  copy(coiJs, join(outDir, 'coi-serviceworker.js'));
  if (coiServiceWorker) {
    const config = join(outDir, 'coi-config.js');
    writeFileSync(config, readFileSync(config, 'utf8').replace('const ALWAYS = false;', 'const ALWAYS = true;'));
  }
  if (existsSync(schema)) copy(schema, join(outDir, 'results.schema.json'));
  // Upload's validator as ajv standalone code, in place of the source tree's one that compiles the schema on load.
  writeFileSync(join(outDir, 'results-validator.js'), uploadValidatorModule());
  // The lessons (docs/lessons/*.md) as HTML, fetched by lessons.js for the experiment cards.
  writeFileSync(join(outDir, 'lessons.json'), JSON.stringify(buildLessons(root)));
  written.push(join(outDir, 'lessons.json'));
  // Precompressed twins for hosts (and web/serve.mjs) that send FILE.gz with Content-Encoding: gzip: the wasm
  // and the scripts are most of the page's weight and shrink to about a third.
  for (const file of [...written]) {
    if (!COMPRESSIBLE.has(extname(file))) continue;
    writeFileSync(file + '.gz', gzipSync(readFileSync(file), { level: 9 }));
  }
  return written;
}

const USAGE = `usage: node web/build-site.mjs [--out DIR] [--coi-serviceworker]
  --out DIR             where to build the site (default build/site; emptied first)
  --coi-serviceworker   the page registers coi-serviceworker whenever it is not cross-origin isolated`;

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const options = readCommandLine('build-site', USAGE, { out: { type: 'string' }, 'coi-serviceworker': { type: 'boolean' } },
    (values) => ({ outDir: values.out === undefined ? undefined : resolve(values.out), coiServiceWorker: values['coi-serviceworker'] === true }));
  try {
    const written = buildSite(options);
    console.log(`built ${options.outDir || join(repoRoot, 'build', 'site')} (${written.length} files)`);
  } catch (err) {
    console.error(`build-site: ${err.message}`);
    process.exit(1);
  }
}
