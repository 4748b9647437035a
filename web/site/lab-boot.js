// Starts the lab worker before the rest of the page's modules have loaded (docs/performance.md, "Page ready"): this
// module's graph is bridge.js and its two small imports, so loading and compiling the wasm overlaps the loading of
// main.js's graph and the lessons' first paint. main.js's LabBridge takes the worker over (bridge.js).
import { startLabWorkerEarly } from './bridge.js';

// The same test hook main.js passes to its LabBridge, or the bridge would not take this worker over.
startLabWorkerEarly('lab-worker.js', { testHang: new URLSearchParams(location.search).get('test-hang') });
