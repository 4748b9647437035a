// Helpers for the wasm Node tests: load both wasm builds, the page's UMD scripts, and Node "process workers".
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const { loadUmd } = require('./wasm-umd.cjs');

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
// PARLAB_WASM_DIR points the tests at another wasm build folder (default build/wasm).
export const wasmBuildDir = process.env.PARLAB_WASM_DIR ? resolve(process.env.PARLAB_WASM_DIR) : join(repoRoot, 'build', 'wasm');
const WASM_FILES = ['parlab.js', 'parlab.wasm', 'parlab.worker.js', 'parlab_st.js', 'parlab_st.wasm'];

/// Why the wasm tests cannot run (a missing build file), or null.
export function wasmBuildMissing() {
  const missing = WASM_FILES.filter((name) => !existsSync(join(wasmBuildDir, name)));
  return missing.length ? `missing ${missing.map((n) => join(wasmBuildDir, n)).join(', ')}: build the wasm target first` : null;
}

/// Copies build/wasm into a temporary folder marked CommonJS: the repository's package.json says
/// "type": "module", under which Node would refuse to require() emscripten's classic scripts (and the
/// pthread workers that load them). Returns {dir, remove()}.
export function stageWasm() {
  const dir = mkdtempSync(join(tmpdir(), 'parlab-wasm-'));
  for (const name of WASM_FILES) copyFileSync(join(wasmBuildDir, name), join(dir, name));
  writeFileSync(join(dir, 'package.json'), '{"type": "commonjs"}\n');
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/// The single-threaded build's Module (wasmBinary given: emscripten 3.1.6 cannot fetch() file paths).
export function loadSingleThreaded(dir) {
  const factory = require(join(dir, 'parlab_st.js'));
  return factory({ wasmBinary: readFileSync(join(dir, 'parlab_st.wasm')) });
}

/// The pthread build's Module, its pool grown to the workers the lab worker keeps warm (the build starts none;
/// web/pthread-pool.js); its pthreads are Node worker_threads.
export async function loadThreaded(dir) {
  const factory = require(join(dir, 'parlab.js'));
  const Module = await factory({ wasmBinary: readFileSync(join(dir, 'parlab.wasm')) });
  await Module.growPthreadPool(Module.pthreadPoolWarm);
  return Module;
}

/// The page's scripts, the same files the browser loads.
export function loadSiteScript(name) {
  return loadUmd(join(repoRoot, 'web', 'site', name));
}

/// A process-pool.js worker factory whose workers are worker_threads with their own parlab_st instance.
export function nodeProcessWorkerFactory(dir) {
  const script = join(repoRoot, 'tests', 'web', 'wasm-process-worker.cjs');
  return (k, handlers) => {
    const worker = new Worker(script, { workerData: { wasmDir: dir }, name: `process-${k}` });
    worker.on('message', (data) => handlers.message(data));
    worker.on('error', (err) => handlers.error(err && err.message ? err.message : String(err)));
    worker.on('exit', (code) => {
      if (code !== 0) handlers.error(`exited with code ${code}`);
    });
    return { post: (msg) => worker.postMessage(msg), terminate: () => worker.terminate() };
  };
}

/// Every id 0..count-1 exactly once, as a message or null.
export function checkEachTaskOnce(run) {
  const ids = run.tasks.map((t) => t.id).sort((a, b) => a - b);
  if (ids.length !== run.task_count) return `${ids.length} tasks recorded, ${run.task_count} expected`;
  for (let i = 0; i < ids.length; i += 1) {
    if (ids[i] !== i) return `task ids are not 0..${run.task_count - 1} once each: ${ids.join(',')}`;
  }
  return null;
}

/// The sum of the tasks' values modulo 2^64, as a decimal string.
export function sumOfValues(run) {
  let sum = 0n;
  for (const task of run.tasks) sum = BigInt.asUintN(64, sum + BigInt(task.value));
  return sum.toString();
}
