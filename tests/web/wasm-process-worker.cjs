// Node stand-in for a browser process worker: a worker_thread running web/site/process-worker.js over its own parlab_st.
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');
const { loadUmd } = require('./wasm-umd.cjs');

const { createHandler } = loadUmd(path.join(__dirname, '..', '..', 'web', 'site', 'process-worker.js'));

let modulePromise = null;
function loadModule() {
  if (!modulePromise) {
    // workerData.wasmDir holds a CommonJS copy of build/wasm (see wasm-helpers.mjs).
    const factory = require(path.join(workerData.wasmDir, 'parlab_st.js'));
    modulePromise = factory({ wasmBinary: fs.readFileSync(path.join(workerData.wasmDir, 'parlab_st.wasm')) });
  }
  return modulePromise;
}

const onMessage = createHandler({ loadModule, post: (msg) => parentPort.postMessage(msg) });
parentPort.on('message', onMessage);
