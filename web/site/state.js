// App state: the lab worker's ready info, the browser's runs and the uploaded result sets; listeners re-render.
import { safeFileName } from './results.js';

export class AppState {
  /** {buildInfo, paramSpecs, threadsAvailable, control} once the lab worker answered ready, else null. */
  ready = null;
  /** Run objects in the results format, oldest first, exactly as the worker sent them (they are exported as-is). */
  browserRuns = [];
  /** Uploaded files: {id, name, label, environment, generator, runs}. */
  uploadedSets = [];
  /** Entry id whose timeline is shown, or null for the latest browser run. */
  timelineId = null;
  /** Group key the user chose for the speed-up chart, or null to follow the latest run. */
  speedupGroup = null;

  #listeners = new Set();
  #nextSetId = 1;

  /// Calls fn(what) after every change; returns a function that unsubscribes.
  subscribe(fn) {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  #changed(what) {
    for (const fn of this.#listeners) fn(what);
  }

  setReady(info) {
    this.ready = info;
    this.#changed('ready');
  }

  get paramSpecs() {
    return this.ready?.paramSpecs ?? [];
  }

  addBrowserRun(run) {
    this.browserRuns.push(run);
    this.timelineId = null;
    this.speedupGroup = null;
    this.#changed('runs');
  }

  clearBrowserRuns() {
    this.browserRuns = [];
    this.timelineId = null;
    this.#changed('runs');
  }

  /// Adds a checked results file; its runs get the source label "<target> (uploaded: <name>)".
  addUploadedSet(fileName, data) {
    const name = safeFileName(fileName);
    let label = `${data.environment.target} (uploaded: ${name})`;
    const taken = new Set(this.uploadedSets.map((s) => s.label));
    for (let k = 2; taken.has(label); k++) label = `${data.environment.target} (uploaded: ${name} #${k})`;
    const set = { id: this.#nextSetId++, name, label, environment: data.environment, generator: data.generator, runs: data.runs };
    this.uploadedSets.push(set);
    this.#changed('uploads');
    return set;
  }

  removeUploadedSet(id) {
    this.uploadedSets = this.uploadedSets.filter((s) => s.id !== id);
    if (this.timelineId?.startsWith(`u${id}-`)) this.timelineId = null;
    this.#changed('uploads');
  }

  showTimeline(entryId) {
    this.timelineId = entryId;
    this.#changed('timeline');
  }

  chooseSpeedupGroup(key) {
    this.speedupGroup = key;
    this.#changed('speedup');
  }

  /// Every run as {id, source, kind: 'browser'|'uploaded', run}: browser runs first, then each uploaded set.
  entries() {
    const out = this.browserRuns.map((run, i) => ({ id: `b${i}`, source: 'browser', kind: 'browser', run }));
    for (const set of this.uploadedSets) {
      set.runs.forEach((run, i) => out.push({ id: `u${set.id}-${i}`, source: set.label, kind: 'uploaded', run }));
    }
    return out;
  }
}
