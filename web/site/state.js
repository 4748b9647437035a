// App state: the lab worker's ready info, the browser's runs (in named groups) and the uploaded result sets;
// listeners re-render, and persistence hooks (history.js) mirror every change into the browser's storage.
import { environmentName, safeFileName } from './results.js';

/// Names are one line of at most this many characters.
export const MAX_NAME_CHARS = 120;

/// A name fit for one line: control characters replaced, trimmed, at most MAX_NAME_CHARS; '' stays ''.
export function cleanName(name) {
  const clean = String(name ?? '').replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').trim();
  return clean.length > MAX_NAME_CHARS ? `${clean.slice(0, MAX_NAME_CHARS - 1)}…` : clean;
}

const now = () => new Date().toISOString();
/// When this page was opened: groups made before it (kept from earlier visits, or imported) form sets of their own.
const PAGE_OPENED = now();
/// An id from a store or a file is kept when it is a positive whole number with room to count on from it.
const usableId = (id) => Number.isSafeInteger(id) && id > 0 && id < 2 ** 52;

export class AppState {
  /** {buildInfo, labInfo, paramSpecs, threadsAvailable, control} once the lab worker answered ready, else null. */
  ready = null;
  /** Run objects in the results format, oldest first, exactly as the worker sent them (they are exported as-is):
   *  every group's runs, group after group. */
  browserRuns = [];
  /** The browser's runs by batch (one Run press, or one sweep): {id, name, created, runs}, oldest first. */
  browserGroups = [];
  /** Uploaded files: {id, name, label, environment, generator, created, runs}. */
  uploadedSets = [];
  /** Entry id whose timeline is shown, or null for the latest browser run. */
  timelineId = null;
  /** Group key the user chose for the speed-up chart, or null to follow the latest run. */
  speedupGroup = null;

  #listeners = new Set();
  #lastId = 0;
  #pendingGroups = new Map(); // id -> name of a group begun whose first run has not arrived yet
  #persist = null;

  /// Calls fn(what) after every change; returns a function that unsubscribes.
  subscribe(fn) {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /// Hooks called after each change to what is kept (history.js): {groupSaved(group), runAdded(group, run, index),
  /// groupDeleted(id), setSaved(set), setDeleted(id), browserCleared()}. They must not throw.
  setPersistence(hooks) {
    this.#persist = hooks;
  }

  /// A new id for a group or a set. Tabs share one store, so ids are the time in ms x 1000 plus a step (always
  /// increasing here), not a count that two tabs would both start from.
  #freshId() {
    this.#lastId = Math.max(this.#lastId + 1, Date.now() * 1000);
    return this.#lastId;
  }

  #changed(what) {
    for (const fn of this.#listeners) fn(what);
  }

  #syncBrowserRuns() {
    this.browserRuns = this.browserGroups.flatMap((g) => g.runs);
  }

  setReady(info) {
    this.ready = info;
    this.#changed('ready');
  }

  get paramSpecs() {
    return this.ready?.paramSpecs ?? [];
  }

  /// Starts a group (a run or a sweep) named `name`; it exists once its first run is added. Returns its id.
  beginBrowserGroup(name) {
    const id = this.#freshId();
    this.#pendingGroups.set(id, cleanName(name) || `runs ${id}`);
    return id;
  }

  /// Adds a run to group `groupId` (begun with beginBrowserGroup), or to a group of its own when none is given.
  addBrowserRun(run, groupId = null) {
    let group = this.browserGroups.find((g) => g.id === groupId);
    if (!group) {
      const id = groupId ?? this.#freshId();
      const name = this.#pendingGroups.get(id) ?? `${run.workload}, ${run.mode}, ${run.workers} worker${run.workers === 1 ? '' : 's'}`;
      this.#pendingGroups.delete(id);
      group = { id, name, created: now(), runs: [] };
      this.browserGroups.push(group);
      this.#persist?.groupSaved(group);
    }
    group.runs.push(run);
    this.#persist?.runAdded(group, run, group.runs.length - 1);
    this.#syncBrowserRuns();
    this.timelineId = null;
    this.speedupGroup = null;
    this.#changed('runs');
  }

  clearBrowserRuns() {
    this.browserGroups = [];
    this.#syncBrowserRuns();
    this.timelineId = null;
    this.#persist?.browserCleared();
    this.#changed('runs');
  }

  renameBrowserGroup(id, name) {
    const group = this.browserGroups.find((g) => g.id === id);
    const clean = cleanName(name);
    if (!group || !clean || clean === group.name) return false;
    group.name = clean;
    this.#persist?.groupSaved(group);
    this.#changed('runs');
    return true;
  }

  deleteBrowserGroup(id) {
    if (!this.browserGroups.some((g) => g.id === id)) return;
    this.browserGroups = this.browserGroups.filter((g) => g.id !== id);
    this.#syncBrowserRuns();
    this.timelineId = null;
    this.#persist?.groupDeleted(id);
    this.#changed('runs');
  }

  /// Adds a checked results file; its runs get the source label "<environmentName> (uploaded: <name>)":
  /// "native (uploaded: a.json)", "CPython 3.14t, GIL off (uploaded: b.json)".
  addUploadedSet(fileName, data, { created = now() } = {}) {
    const name = safeFileName(fileName);
    const set = {
      id: this.#freshId(), name, label: this.#uniqueLabel(environmentName(data.environment), name), environment: data.environment,
      generator: data.generator, created, runs: data.runs,
    };
    this.uploadedSets.push(set);
    this.#persist?.setSaved(set);
    this.#changed('uploads');
    return set;
  }

  #uniqueLabel(kind, name, exceptId = null) {
    let label = `${kind} (uploaded: ${name})`;
    const taken = new Set(this.uploadedSets.filter((s) => s.id !== exceptId).map((s) => s.label));
    for (let k = 2; taken.has(label); k++) label = `${kind} (uploaded: ${name} #${k})`;
    return label;
  }

  renameUploadedSet(id, name) {
    const set = this.uploadedSets.find((s) => s.id === id);
    const clean = cleanName(name);
    if (!set || !clean || clean === set.name) return false;
    set.name = clean;
    set.label = this.#uniqueLabel(environmentName(set.environment), clean, id);
    this.#persist?.setSaved(set);
    this.#changed('uploads');
    return true;
  }

  removeUploadedSet(id) {
    this.uploadedSets = this.uploadedSets.filter((s) => s.id !== id);
    if (this.timelineId?.startsWith(`u${id}-`)) this.timelineId = null;
    this.#persist?.setDeleted(id);
    this.#changed('uploads');
  }

  /// Puts back groups and sets kept earlier (history.js) or imported (export.js), after those already here,
  /// without calling the persistence hooks unless `persist` (an import is new to the store; a load is not).
  /// groups: [{id?, name, created, runs}]; sets: [{id?, name, label?, environment, generator, created, runs}].
  /// Ids are kept when free, else new ones are given.
  restore({ groups = [], sets = [] }, { persist = false } = {}) {
    const groupIds = new Set(this.browserGroups.map((g) => g.id));
    for (const g of groups) {
      const id = usableId(g.id) && !groupIds.has(g.id) && !this.#pendingGroups.has(g.id) ? g.id : null;
      const group = { id: id ?? this.#freshId(), name: cleanName(g.name) || 'runs', created: g.created ?? now(), runs: [...g.runs] };
      groupIds.add(group.id);
      this.#lastId = Math.max(this.#lastId, group.id);
      this.browserGroups.push(group);
      if (persist) {
        this.#persist?.groupSaved(group);
        group.runs.forEach((run, i) => this.#persist?.runAdded(group, run, i));
      }
    }
    const setIds = new Set(this.uploadedSets.map((s) => s.id));
    for (const s of sets) {
      const id = usableId(s.id) && !setIds.has(s.id) && !groupIds.has(s.id) ? s.id : this.#freshId();
      setIds.add(id);
      this.#lastId = Math.max(this.#lastId, id);
      const name = cleanName(s.name) || 'results';
      const taken = this.uploadedSets.some((u) => u.label === s.label);
      const set = {
        id, name, label: s.label && !taken ? s.label : this.#uniqueLabel(environmentName(s.environment), name),
        environment: s.environment, generator: s.generator, created: s.created ?? now(), runs: s.runs,
      };
      this.uploadedSets.push(set);
      if (persist) this.#persist?.setSaved(set);
    }
    this.#syncBrowserRuns();
    this.#changed('runs');
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
    // Runs of this visit are "browser"; runs kept from an earlier visit are one set per day they were made, so
    // the charts and the ratio table compare this browser now with the same browser earlier.
    const out = [];
    for (const group of this.browserGroups) {
      const created = String(group.created ?? '');
      const source = created >= PAGE_OPENED || !/^\d{4}-\d\d-\d\d/.test(created) ? 'browser' : `browser, earlier (${created.slice(0, 10)})`;
      for (const run of group.runs) out.push({ id: `b${out.length}`, source, kind: 'browser', run });
    }
    for (const set of this.uploadedSets) {
      set.runs.forEach((run, i) => out.push({ id: `u${set.id}-${i}`, source: set.label, kind: 'uploaded', run }));
    }
    return out;
  }
}
