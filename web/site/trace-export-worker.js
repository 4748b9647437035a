// The trace download's worker: its own single-threaded wasm instance (off the page's main thread, and apart from
// the lab worker, which may be in the middle of a run) converts one document with the core's writer, cpp/trace.cpp.
// Message in: {text} (a results file or the page's export, as JSON text); out: {trace} or {error: one line}.
/* global importScripts, createParlabST */
'use strict';

let modulePromise = null;

function loadModule() {
  if (!modulePromise) {
    const base = self.location.href;
    importScripts(new URL('wasm/parlab_st.js', base).href);
    modulePromise = createParlabST({ locateFile: (path) => new URL(`wasm/${path}`, base).href });
  }
  return modulePromise;
}

self.onmessage = async (event) => {
  try {
    const Module = await loadModule();
    self.postMessage({ trace: Module.results_to_trace(String(event.data?.text ?? '')) });
  } catch (err) {
    self.postMessage({ error: String(err?.message ?? err).split('\n')[0].slice(0, 300) || 'the conversion failed' });
  }
};
