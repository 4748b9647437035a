// Reads an uploaded trace off the page's thread (a module worker): {type: 'read', file} -> {type: 'trace', trace} or
// {type: 'error', message} (one line). Parsing a 20 MB file and pairing a million events would freeze the page.
import { TraceFileError, readTraceFile } from './trace-import.js';

self.onmessage = async ({ data }) => {
  if (data?.type !== 'read') return;
  try {
    self.postMessage({ type: 'trace', trace: await readTraceFile(data.file) });
  } catch (error) {
    const message = error instanceof TraceFileError ? error.message : `the trace could not be read (${String(error?.message ?? error).split('\n')[0].slice(0, 200)})`;
    self.postMessage({ type: 'error', message });
  }
};
