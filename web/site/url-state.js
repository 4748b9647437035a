// The experiment's set-up in the URL query: workload, its parameters, mode, workers, sweep and switch interval.
// parseSetup/serialiseSetup are pure (tests/web/url-state.test.mjs runs them in Node); the form helpers take the
// document. A link is untrusted: every bad value is left out with a one-line note naming it and its bounds.
// Modes and bounds come from the lab info (modes.js), fed before any set-up is read.
import { getFieldMaxWorkers, getLimits, getMaxAnyWorkers, getModeNames, getSwitchInterval, isMode, isOneWorker, isSlots } from './modes.js';
import { checkParam } from './views.js';

/// Query keys of the set-up besides the parameters; `coi` belongs to coi-config.js and is passed over.
export const SETUP_KEYS = ['workload', 'mode', 'workers', 'sweep_modes', 'sweep_workers', 'switch_interval_ms', 'cold_start'];
const PASSED_OVER = ['coi', 'test-hang']; // read elsewhere: coi-serviceworker, the watchdog tests' hook (bridge.js)
const MAX_QUERY_CHARS = 8192;

const shown = (text) => {
  const t = String(text).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
  return `"${t.length > 40 ? `${t.slice(0, 39)}…` : t}"`;
};
const workloadsOf = (specs) => [...new Set(specs.map((s) => s.workload).filter((w) => w !== ''))];
const specsFor = (specs, workload) => specs.filter((s) => s.workload === workload || s.workload === '');

/// {setup, notes}: the valid part of a query ("?a=b&…" or a URLSearchParams) and one line per value left out.
/// setup: {workload?, params: {name: text}, mode?, workers?, sweepModes?, sweepWorkers?, switchIntervalMs?, coldStart?}.
/// specs: the parameter specs (the lab info's params); the workload defaults to the first one.
export function parseSetup(query, specs) {
  const notes = [];
  const setup = { params: {} };
  let text = query instanceof URLSearchParams ? query.toString() : String(query ?? '');
  if (text.length > MAX_QUERY_CHARS) {
    return { setup, notes: [`The link's set-up is ${text.length} characters long, over the ${MAX_QUERY_CHARS} this page reads; it was ignored.`] };
  }
  if (text.startsWith('?')) text = text.slice(1);
  let entries;
  try {
    entries = [...new URLSearchParams(text)];
  } catch {
    return { setup, notes: ['The link\'s set-up could not be read; it was ignored.'] };
  }
  const given = new Map();
  for (const [key, value] of entries) {
    if (given.has(key)) notes.push(`${key} is given twice in the link: the first value is used.`);
    else given.set(key, value);
  }
  const ignored = (key, why) => notes.push(`Ignored ${key}=${shown(given.get(key))} from the link: ${why}.`);

  const workloads = workloadsOf(specs);
  const workload = given.get('workload');
  if (workload !== undefined) {
    if (workloads.includes(workload)) setup.workload = workload;
    else ignored('workload', `workload must be one of ${workloads.join(', ')}`);
  }
  const chosen = setup.workload ?? workloads[0];

  for (const [key, value] of given) {
    if (SETUP_KEYS.includes(key) || PASSED_OVER.includes(key)) continue;
    const spec = specsFor(specs, chosen).find((s) => s.name === key);
    if (!spec) {
      const elsewhere = specs.some((s) => s.name === key);
      ignored(key, elsewhere ? `${key} is not a parameter of ${chosen}` : `${key} is not a setting this page knows`);
      continue;
    }
    const checked = checkParam(spec, value);
    if (checked.error) ignored(key, checked.error);
    else setup.params[key] = String(value).trim();
  }

  const modes = getModeNames();
  const mode = given.get('mode');
  if (mode !== undefined) {
    if (isMode(mode)) setup.mode = mode;
    else ignored('mode', `mode must be one of ${modes.join(', ')}`);
  }
  const workers = given.get('workers');
  if (workers !== undefined) {
    // The pool's bound, or the slots' in a mode whose workers are slots; the form caps it to the chosen mode's.
    const { max_workers: poolMax, max_async_workers: slotsMax } = getLimits();
    const slots = setup.mode !== undefined && isSlots(setup.mode);
    const max = slots ? slotsMax : poolMax;
    const n = Number(workers);
    if (/^\d+$/.test(workers.trim()) && n >= 1 && n <= max) setup.workers = n;
    else ignored('workers', `workers must be a whole number between 1 and ${max}${slots ? '' : ` (${slotsMax} in ${modes.filter(isSlots).join(', ')} mode)`}`);
  }
  const sweepModes = given.get('sweep_modes');
  if (sweepModes !== undefined) {
    const items = sweepModes.split(',').map((s) => s.trim()).filter((s) => s !== '');
    const bad = items.filter((m) => !isMode(m));
    if (bad.length > 0 || items.length === 0) ignored('sweep_modes', `sweep_modes must be a comma list of ${modes.join(', ')}`);
    else setup.sweepModes = [...new Set(items)];
  }
  const sweepWorkers = given.get('sweep_workers');
  if (sweepWorkers !== undefined) {
    const items = sweepWorkers.split(',').map((s) => s.trim()).filter((s) => s !== '');
    const most = getLimits().max_list_items; // the core's bound on a worker list
    const ok = items.length > 0 && items.length <= most
      && items.every((s) => /^\d+$/.test(s) && Number(s) >= 1 && Number(s) <= getMaxAnyWorkers());
    if (ok) setup.sweepWorkers = [...new Set(items.map(Number))];
    else ignored('sweep_workers', `sweep_workers must be a comma list of 1 to ${most} whole numbers, each 1 to ${getMaxAnyWorkers()}`);
  }
  const interval = given.get('switch_interval_ms');
  if (interval !== undefined) {
    const { min, max } = getSwitchInterval();
    const ms = Number(interval);
    if (interval.trim() !== '' && Number.isFinite(ms) && ms >= min && ms <= max) setup.switchIntervalMs = ms;
    else ignored('switch_interval_ms', `switch_interval_ms must be a number between ${min} and ${max}`);
  }
  const cold = given.get('cold_start');
  if (cold !== undefined) {
    if (cold === '1' || cold === '0') setup.coldStart = cold === '1';
    else ignored('cold_start', 'cold_start must be 1 (start process workers afresh for each run) or 0');
  }
  return { setup, notes };
}

// Commas stay readable in list values ("inputs=1000000,2000000"); everything else is percent-encoded.
const encode = (value) => encodeURIComponent(String(value)).replace(/%2C/gi, ',');

/// The query (without "?") for a set-up, keys in a fixed order: workload, its parameters, mode, workers, sweep.
export function serialiseSetup(setup) {
  const parts = [];
  const add = (key, value) => {
    if (value !== undefined && value !== null && value !== '') parts.push(`${encodeURIComponent(key)}=${encode(value)}`);
  };
  add('workload', setup.workload);
  for (const [name, value] of Object.entries(setup.params ?? {})) add(name, Array.isArray(value) ? value.join(',') : value);
  add('mode', setup.mode);
  add('workers', setup.workers);
  if (setup.sweepModes?.length) add('sweep_modes', setup.sweepModes.join(','));
  if (setup.sweepWorkers?.length) add('sweep_workers', setup.sweepWorkers.join(','));
  add('switch_interval_ms', setup.switchIntervalMs);
  if (setup.coldStart) add('cold_start', 1); // off is the default, left out
  return parts.join('&');
}

// ---------------------------------------------------------------------------------------------------------------
// The lab page's form (ids from docs/architecture.md)

/// The set-up the form shows now, as texts (a value the user is still typing goes in as it is: a link to it
/// opens with a note). The crash parameters go in only while a crash is asked for.
export function readSetupFromForm(doc) {
  const byId = (id) => doc.getElementById(id);
  const params = {};
  for (const field of byId('params').querySelectorAll('.field')) {
    if (field.hidden) continue;
    const input = field.querySelector('input, select');
    if (input) params[field.dataset.param] = input.value.trim();
  }
  if (!(Number(params.crash_task) >= 0)) {
    delete params.crash_task;
    delete params.crash_how;
  }
  const mode = byId('mode').value;
  const sweepModes = [...byId('sweep-modes').querySelectorAll('input[name="sweep-mode"]')].filter((b) => b.checked).map((b) => b.value);
  const sweepWorkers = byId('sweep-workers').value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return {
    workload: byId('workload').value,
    params,
    mode,
    workers: isOneWorker(mode) ? undefined : Number(byId('workers').value),
    sweepModes,
    sweepWorkers,
    switchIntervalMs: byId('switch-interval-ms').value.trim() || undefined,
    coldStart: byId('cold-start')?.checked === true,
  };
}

/// Puts a parsed set-up into the form; the parameters go into `paramTexts` (workload -> Map name -> text) for the
/// form to be rebuilt from. Returns notes for what the page cannot honour (a mode disabled here).
export function applySetupToForm(doc, setup, paramTexts) {
  const notes = [];
  const byId = (id) => doc.getElementById(id);
  if (setup.workload) byId('workload').value = setup.workload;
  const workload = byId('workload').value;
  if (Object.keys(setup.params ?? {}).length > 0) {
    const texts = new Map(paramTexts.get(workload) ?? []);
    for (const [name, value] of Object.entries(setup.params)) texts.set(name, value);
    paramTexts.set(workload, texts);
  }
  if (setup.mode) {
    const option = byId('mode').querySelector(`option[value="${setup.mode}"]`);
    if (option && !option.disabled) byId('mode').value = setup.mode;
    else notes.push(`The link asks for mode ${setup.mode}, which this page cannot run (the note at the top says why); ${byId('mode').value} is selected instead.`);
  }
  if (setup.workers !== undefined) {
    const slider = byId('workers');
    const max = getFieldMaxWorkers(byId('mode').value);
    slider.max = String(max);
    slider.value = String(Math.min(setup.workers, max));
  }
  if (setup.sweepModes) {
    for (const box of byId('sweep-modes').querySelectorAll('input[name="sweep-mode"]')) {
      box.checked = setup.sweepModes.includes(box.value) && !box.disabled;
    }
  }
  if (setup.sweepWorkers) byId('sweep-workers').value = setup.sweepWorkers.join(',');
  if (setup.switchIntervalMs !== undefined) byId('switch-interval-ms').value = String(setup.switchIntervalMs);
  if (setup.coldStart !== undefined && byId('cold-start')) byId('cold-start').checked = setup.coldStart;
  return notes;
}
