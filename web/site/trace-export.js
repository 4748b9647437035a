// "Trace (Perfetto)": what the page keeps (the document Export builds) as Chrome Trace Event JSON, for Perfetto UI
// or chrome://tracing. The core writes it (cpp/trace.cpp, the native program's --trace-out too), in a worker of its
// own started for each conversion and ended after it, so a large export converts off the main thread.

export const TRACE_FILE_NAME = 'parlab-trace.json';
const WORKER_URL = new URL('./trace-export-worker.js', import.meta.url);

/// Resolves to the trace (JSON text) of `exportDocument` (buildExport's object); rejects with one line.
export function convertToTrace(exportDocument, { workerUrl = WORKER_URL } = {}) {
  return new Promise((resolve, reject) => {
    let worker;
    try {
      worker = new Worker(workerUrl);
    } catch (error) {
      reject(new Error(`the trace worker could not start: ${error.message}`));
      return;
    }
    const finish = (settle, value) => {
      worker.terminate();
      settle(value);
    };
    worker.onmessage = (event) => {
      const data = event.data || {};
      if (typeof data.trace === 'string') finish(resolve, data.trace);
      else finish(reject, new Error(typeof data.error === 'string' ? data.error : 'the trace worker gave no trace'));
    };
    worker.onerror = (event) => {
      event.preventDefault?.();
      finish(reject, new Error(`the trace worker failed: ${event.message || 'is wasm/parlab_st.js there?'}`));
    };
    worker.postMessage({ text: JSON.stringify(exportDocument) });
  });
}
