// The page's lab info for Node tests: Module.get_lab_info() of the single-threaded wasm build, fed to modes.js as
// the lab worker's ready message feeds it in the page.
import assert from 'node:assert/strict';

import { setLabInfo } from '../../web/site/modes.js';
import { loadSingleThreaded, stageWasm, wasmBuildMissing } from './wasm-helpers.mjs';

/// Loads the document once (a missing wasm build fails the test), feeds modes.js and returns it.
export async function loadPageLabInfo() {
  const missing = wasmBuildMissing();
  if (missing) assert.fail(missing);
  const staged = stageWasm();
  try {
    const Module = await loadSingleThreaded(staged.dir);
    const info = JSON.parse(Module.get_lab_info());
    setLabInfo(info);
    return info;
  } finally {
    staged.remove();
  }
}
