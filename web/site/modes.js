// The lab's modes and bounds as the core's lab info gives them (cpp/modes.hpp, cpp/lab_info.hpp): the one page
// module that knows mode names and mode facts. The lab worker sends the document with its ready message.

let labInfo = null;
let byName = new Map(); // the modes the page runs and the result modes: every mode a run may carry

/// Takes the lab info document (an object, or its JSON text); every other export reads it.
export function setLabInfo(info) {
  labInfo = typeof info === 'string' ? JSON.parse(info) : info;
  byName = new Map([...(labInfo?.modes ?? []), ...(labInfo?.result_modes ?? [])].map((mode) => [mode.name, mode]));
}

/// The document, or null before the lab worker is ready.
export const getLabInfo = () => labInfo;

/// Every mode the page runs {name, pthreads, separate_memory, slots, one_worker, interpreter_lock, label, help}, in
/// display order: what forms, menus, sweeps and links offer.
export const getModes = () => labInfo?.modes ?? [];
export const getModeNames = () => getModes().map((mode) => mode.name);
/// A mode the page runs (a form's, a link's or a sweep's choice).
export const isMode = (name) => getModes().some((mode) => mode.name === name);
/// The modes only results files carry (the lab info's result_modes: parlab-mpi's "mpi"), in the same shape: an
/// upload may hold them, the page cannot run them.
export const getResultModes = () => labInfo?.result_modes ?? [];
/// A mode a results file may carry: one the page runs or a result mode.
export const isResultMode = (name) => byName.has(name);
/// A mode only results files carry (no form runs it): parlab-mpi's.
export const isResultOnlyMode = (name) => getResultModes().some((mode) => mode.name === name);
/// The mode's index in display order, the result modes after the page's (-1 if unknown): charts colour modes by it.
export const getModeIndex = (name) => [...getModeNames(), ...getResultModes().map((mode) => mode.name)].indexOf(name);

const fact = (key) => (name) => byName.get(name)?.[key] === true;
/// Runs on threads sharing one memory: needs the pthread build (a cross-origin isolated page).
export const needsPthreads = fact('pthreads');
/// Each worker has its own memory (the process workers).
export const hasSeparateMemory = fact('separate_memory');
/// Workers are slots of one event loop, bounded by the async limit rather than the pool's.
export const isSlots = fact('slots');
/// Always one worker, whatever is asked.
export const isOneWorker = fact('one_worker');
/// Runs under the simulated interpreter lock: takes a switch interval.
export const hasInterpreterLock = fact('interpreter_lock');

export const getModeLabel = (name) => byName.get(name)?.label ?? name;
export const getModeHelp = (name) => byName.get(name)?.help ?? '';

/// The first mode (the default choice), and the first that runs without the pthread build in separate memory
/// (what the page offers instead of a threads mode it cannot run).
export const getDefaultMode = () => getModes()[0]?.name ?? null;
export const getFallbackMode = () => getModes().find((mode) => mode.separate_memory && !mode.pthreads)?.name ?? getDefaultMode();

/// The limits {max_workers, max_async_workers, max_list_items, max_tasks_per_run, switch_interval_ms{min,max,default}}.
export const getLimits = () => labInfo?.limits ?? null;
export const getSwitchInterval = () => getLimits()?.switch_interval_ms ?? null;

/// The most workers a mode takes here: 1, the async slots' limit, or the build's max_workers.
export function getMaxWorkers(name) {
  const limits = getLimits();
  if (isOneWorker(name)) return 1;
  if (isSlots(name)) return limits?.max_async_workers ?? 1;
  return limits?.max_workers ?? 1;
}

/// The most a form's workers field offers in a mode: a one-worker mode ignores the field, which keeps the pool's
/// bound (and its value, for the next mode chosen).
export const getFieldMaxWorkers = (name) => (isOneWorker(name) ? getLimits()?.max_workers ?? 1 : getMaxWorkers(name));

/// The most workers any mode takes (a worker count not over this may suit some mode).
export const getMaxAnyWorkers = () => Math.max(1, ...getModeNames().map(getMaxWorkers));
