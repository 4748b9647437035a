// The results file: build and download the browser's file, parse and check uploads (converting other tools' files
// with formats.js), and derive table, chart and comparison rows.
import { criticalPathBound } from './experiments.js';
import {
  EXTERNAL_MODE, FORMAT_NAMES, FormatProblem, JsonSyntaxError, convertForeign, detectFormat, guessFormatFromText, parseJsonTolerant,
} from './formats.js';

export { EXTERNAL_MODE, FORMAT_NAMES };

export const BROWSER_FILE_NAME = 'parlab-browser-results.json';
export const MODES = ['sequential', 'threads', 'threads-gil', 'async', 'processes'];
/// The simulated interpreter lock's switch interval (threads-gil), in ms: the bounds the core accepts.
export const SWITCH_INTERVAL_MS = Object.freeze({ min: 0.1, max: 1000, default: 5 });

// ---------------------------------------------------------------------------------------------------------------
// Export

/// The environment block of the browser's results file, as docs/architecture.md defines it.
export function browserEnvironment(buildInfo) {
  return {
    target: 'wasm',
    os: navigator.userAgentData?.platform || navigator.platform || null,
    cpu_model: null,
    logical_cpus: Number.isInteger(navigator.hardwareConcurrency) ? navigator.hardwareConcurrency : null,
    compiler: buildInfo?.compiler ?? null,
    user_agent: navigator.userAgent,
    cross_origin_isolated: self.crossOriginIsolated === true,
  };
}

/// A whole results file around runs that are already in the run format (they come that way from the worker).
export function buildResultsFile(runs, environment, version = '0.1.0') {
  return {
    schema_version: 1,
    generator: `parlab ${version} (wasm)`,
    created: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    environment,
    runs,
  };
}

/// Offers an object to the user as a JSON file download.
export function downloadJson(object, fileName) {
  const blob = new Blob([JSON.stringify(object, null, 2) + '\n'], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// ---------------------------------------------------------------------------------------------------------------
// Upload: an uploaded file is untrusted. It is read within fixed limits, parsed so that no key can reach an object's
// prototype, checked field by field, and copied into fresh objects that hold only the fields the page knows: what
// the page keeps is bounded and well-formed whatever the file held. Every message names the field at fault.
// Pure functions (no DOM): tests/web/import-fuzz.test.mjs drives them in Node.

/// The bounds an uploaded results file must keep (docs/results-format.md lists them too).
export const UPLOAD_LIMITS = Object.freeze({
  bytes: 20 * 1024 * 1024, // file size
  depth: 32, // nesting of objects and arrays (a results file needs 6)
  runs: 10_000, // runs in one file
  tasks: 1_000_000, // tasks in one run (factorials can make 1,000,000)
  stringChars: 4096, // any one string
  paramKeys: 32, // keys of one run's params
  listItems: 4096, // items of one list parameter
  workers: 256, // a run's workers (the native maximum); a task's worker is 0..255
  seconds: 1e7, // any time, in seconds (about 116 days)
  count: 2 ** 53 - 1, // counts and ids: whole numbers JavaScript holds exactly
  heldStretches: 1_000_000, // stretches a run's tasks held the interpreter lock (threads-gil), all tasks together
});
export const MAX_UPLOAD_BYTES = UPLOAD_LIMITS.bytes;
/// Keys dropped wherever they appear: as own properties they are harmless, but code that copies them with
/// assignment would reach Object.prototype.
export const UNSAFE_KEYS = Object.freeze(['__proto__', 'constructor', 'prototype']);

export class ResultsFileError extends Error {}

/// Reads a File (or any {name, size, text()}) as a results file: {data, notes} (notes: what was ignored), or
/// throws ResultsFileError with a one-line reason that names the file.
export async function readResultsFile(file) {
  const name = shortName(file?.name);
  if (!(Number.isFinite(file?.size) && file.size >= 0)) throw new ResultsFileError(`${name}: not a readable file`);
  if (file.size > UPLOAD_LIMITS.bytes) {
    throw new ResultsFileError(`${name} is ${formatMiB(file.size)}; the limit is ${formatMiB(UPLOAD_LIMITS.bytes)}`);
  }
  let text;
  try {
    text = await file.text();
  } catch (error) {
    throw new ResultsFileError(`${name} could not be read (${oneLine(error?.message)})`);
  }
  return parseResultsText(text, name);
}

/// Parses and checks the text of an uploaded file in any format the page reads (a parlab results file, or one
/// formats.js converts): {data, notes, format}; throws ResultsFileError naming `name` (and the format it guessed).
export function parseResultsText(text, name = 'the file') {
  if (typeof text !== 'string') throw new ResultsFileError(`${name}: not text`);
  if (text.length > UPLOAD_LIMITS.bytes) {
    throw new ResultsFileError(`${name} is over ${formatMiB(UPLOAD_LIMITS.bytes)}, the limit`);
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const tooDeep = nestingBeyond(body, UPLOAD_LIMITS.depth);
  if (tooDeep >= 0) {
    throw new ResultsFileError(`${name} nests objects or arrays more than ${UPLOAD_LIMITS.depth} deep (at character ${tooDeep}); a results file needs 6`);
  }
  let dropped = 0;
  let nonFinite = 0;
  let raw;
  try {
    raw = JSON.parse(body, (key, value) => {
      if (UNSAFE_KEYS.includes(key)) {
        dropped += 1;
        return undefined; // deletes the key from its object
      }
      return value;
    });
  } catch (error) {
    // Not plain JSON: Google Benchmark's bare NaN/Infinity, or a real syntax error, which this reader locates.
    try {
      ({ value: raw, dropped, nonFinite } = parseJsonTolerant(body, { maxDepth: UPLOAD_LIMITS.depth }));
    } catch (syntax) {
      const guess = guessFormatFromText(body);
      const looks = guess ? ` (it looks like ${FORMAT_NAMES[guess]})` : '';
      const where = syntax instanceof JsonSyntaxError ? syntax.message : oneLine(error?.message);
      throw new ResultsFileError(`${name} is not valid JSON${looks}: ${oneLine(where)}`);
    }
  }
  const format = detectFormat(raw);
  if (format === 'cpython-overhead') {
    throw new ResultsFileError(`${name} holds one figure ({"per_task_us": …}, the output of reference/cpython/*_overhead.py), not runs: upload the results file of reference/cpython/run.py --out`);
  }
  const notes = [];
  let file = raw;
  const foreign = format !== 'parlab' && format !== null;
  if (foreign) {
    try {
      const converted = convertForeign(raw, format, { maxRuns: UPLOAD_LIMITS.runs });
      file = converted.file;
      notes.push(`read as ${FORMAT_NAMES[format]}`, ...converted.notes);
    } catch (error) {
      if (!(error instanceof FormatProblem)) throw new ResultsFileError(`${name} (read as ${FORMAT_NAMES[format]}) could not be converted (${oneLine(error?.message)})`);
      throw new ResultsFileError(`${name} (read as ${FORMAT_NAMES[format]}): ${oneLine(error.message)}`);
    }
  }
  const checked = checkAndCopy(file);
  if (checked.problem) {
    if (foreign) throw new ResultsFileError(`${name} (read as ${FORMAT_NAMES[format]}): a converted run is refused: ${checked.problem}`);
    throw new ResultsFileError(`${name}: ${checked.problem}`);
  }
  if (dropped) notes.push(`ignored ${dropped} key${dropped === 1 ? '' : 's'} named ${UNSAFE_KEYS.join('/')}`);
  if (nonFinite) notes.push(`${nonFinite} bare NaN/Infinity value${nonFinite === 1 ? '' : 's'} read`);
  return { data: checked.data, notes, format: format ?? 'parlab' };
}

/// '' when data has the structure of a results file (schema_version 1), else the first problem found.
export function checkResultsFile(data) {
  return checkAndCopy(data).problem ?? '';
}

/// The index of the first character nesting deeper than `limit`, or -1 (strings are skipped).
function nestingBeyond(text, limit) {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      depth++;
      if (depth > limit) return i;
    } else if (c === 125 || c === 93) depth--;
  }
  return -1;
}

function formatMiB(bytes) {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

const oneLine = (text) => String(text ?? 'unknown error').split('\n')[0].slice(0, 200);
/// A file name fit for one line of text: control characters replaced, at most 120 characters.
export function safeFileName(name) {
  if (typeof name !== 'string' || name === '') return 'the file';
  // eslint-disable-next-line no-control-regex
  const clean = name.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '\ufffd');
  return clean.length > 120 ? `${clean.slice(0, 119)}…` : clean;
}
const shortName = safeFileName;
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isNumber = (v) => typeof v === 'number' && Number.isFinite(v);
const has = (o, key) => Object.prototype.hasOwnProperty.call(o, key);
const describe = (v) => {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `"${oneLine(v).slice(0, 40)}${v.length > 40 ? '…' : ''}"`;
  if (typeof v === 'object') return 'an object';
  return String(v).slice(0, 40);
};

/// Thrown inside checkAndCopy with the message for the user; nothing else escapes it.
class Problem extends Error {}

/// A string field: at most UPLOAD_LIMITS.stringChars (null allowed when `nullable`).
function str(value, field, { nullable = false, nonEmpty = false } = {}) {
  if (value == null && nullable) return null;
  if (typeof value !== 'string') throw new Problem(`${field} must be a string${nullable ? ' or null' : ''} (found ${describe(value)})`);
  if (nonEmpty && value === '') throw new Problem(`${field} must not be empty`);
  if (value.length > UPLOAD_LIMITS.stringChars) throw new Problem(`${field} is ${value.length} characters long; the limit is ${UPLOAD_LIMITS.stringChars}`);
  return value;
}

/// A whole number min..max (null allowed when `nullable`).
function integer(value, field, min, max, { nullable = false } = {}) {
  if (value == null && nullable) return null;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Problem(`${field} must be a whole number from ${min} to ${max}${nullable ? ', or null' : ''} (found ${describe(value)})`);
  }
  return value;
}

/// Seconds: a number from `min` to UPLOAD_LIMITS.seconds (null allowed when `nullable`).
function seconds(value, field, { nullable = false, min = 0 } = {}) {
  if (value == null && nullable) return null;
  if (!isNumber(value) || value < min || value > UPLOAD_LIMITS.seconds) {
    throw new Problem(`${field} must be a number of seconds from ${min} to ${UPLOAD_LIMITS.seconds}${nullable ? ', or null' : ''} (found ${describe(value)})`);
  }
  return value;
}

const U64_TEXT = /^(0|[1-9][0-9]{0,19})$/;
function u64(value, field, { nullable = false } = {}) {
  if (value == null && nullable) return null;
  if (typeof value !== 'string' || !U64_TEXT.test(value) || BigInt(value) >= 2n ** 64n) {
    throw new Problem(`${field} must be a 64-bit unsigned integer written as a decimal string${nullable ? ', or null' : ''} (found ${describe(value)})`);
  }
  return value;
}

/// What an object that is not a results file looks like, for the error message.
function guessWhatItIs(data) {
  if (Array.isArray(data)) {
    if (data.length > 0 && isObject(data[0]) && has(data[0], 'workload') && has(data[0], 'mode')) {
      return 'the file holds a list of runs, not a results file: a results file is an object {schema_version, generator, created, environment, runs}';
    }
    return 'the file holds a JSON array; a results file is an object {schema_version, generator, created, environment, runs}';
  }
  if (!isObject(data)) return `the file holds ${describe(data)}; a results file is an object {schema_version, generator, created, environment, runs}`;
  if (has(data, '$schema') || has(data, 'definitions')) return 'this looks like a JSON schema (results.schema.json), not a results file';
  if (!has(data, 'schema_version') && has(data, 'workload') && has(data, 'mode')) return 'this looks like a single run, not a whole results file: a results file has it inside "runs"';
  if (!has(data, 'schema_version') && has(data, 'workload')) return 'this looks like a parameters object, not a results file';
  if (!has(data, 'schema_version') && !has(data, 'runs')) return 'this is not a parlab results file (it has neither schema_version nor runs)';
  return null;
}

/// {data} (a fresh copy holding only known fields) or {problem}. Never throws.
function checkAndCopy(raw) {
  try {
    return { data: copyResultsFile(raw) };
  } catch (error) {
    if (error instanceof Problem) return { problem: error.message };
    return { problem: `the file could not be checked (${oneLine(error?.message)})` };
  }
}

const FORMATS_READ = 'the page reads parlab and CPython results files, Google Benchmark JSON and hyperfine --export-json';

function copyResultsFile(data) {
  const guess = guessWhatItIs(data);
  if (guess) throw new Problem(`${guess} (${FORMATS_READ})`);
  if (data.schema_version !== 1) {
    throw new Problem(isNumber(data.schema_version)
      ? `schema_version ${data.schema_version} is not supported: this page reads schema_version 1`
      : `schema_version must be 1 (found ${describe(data.schema_version)})`);
  }
  const out = {
    schema_version: 1,
    generator: str(data.generator, 'generator', { nonEmpty: true }),
    created: str(data.created, 'created'),
    environment: copyEnvironment(data.environment),
    runs: [],
  };
  if (!Array.isArray(data.runs)) throw new Problem(`runs must be an array (found ${describe(data.runs)})`);
  if (data.runs.length === 0) throw new Problem('runs is empty: there is nothing to load');
  if (data.runs.length > UPLOAD_LIMITS.runs) throw new Problem(`runs has ${data.runs.length} runs; the limit is ${UPLOAD_LIMITS.runs}`);
  for (let i = 0; i < data.runs.length; i++) out.runs.push(copyRun(data.runs[i], `runs[${i}]`));
  return out;
}

function copyEnvironment(env) {
  if (!isObject(env)) throw new Problem(`environment must be an object (found ${describe(env)})`);
  if (!['native', 'wasm', 'cpython'].includes(env.target)) throw new Problem(`environment.target must be "native", "wasm" or "cpython" (found ${describe(env.target)})`);
  const isolated = env.cross_origin_isolated;
  if (isolated != null && typeof isolated !== 'boolean') throw new Problem(`environment.cross_origin_isolated must be true, false or null (found ${describe(isolated)})`);
  return {
    target: env.target,
    os: str(env.os, 'environment.os', { nullable: true }),
    cpu_model: str(env.cpu_model, 'environment.cpu_model', { nullable: true }),
    logical_cpus: integer(env.logical_cpus, 'environment.logical_cpus', 1, 1_000_000, { nullable: true }),
    compiler: str(env.compiler, 'environment.compiler', { nullable: true }),
    user_agent: str(env.user_agent, 'environment.user_agent', { nullable: true }),
    cross_origin_isolated: isolated ?? null,
    ...copyPythonBuild(env),
  };
}

const PYTHON_BUILDS = ['default', 'free-threaded'];

/// The interpreter fields reference/cpython/run.py adds (python_version, python_build, gil_enabled), each kept
/// only where the file has it: files written before them, and native or browser ones, stay as they were.
function copyPythonBuild(env) {
  const out = {};
  if (env.python_version != null) out.python_version = str(env.python_version, 'environment.python_version', { nullable: true });
  if (env.python_build != null) {
    if (!PYTHON_BUILDS.includes(env.python_build)) throw new Problem(`environment.python_build must be "default" or "free-threaded" (found ${describe(env.python_build)})`);
    out.python_build = env.python_build;
  }
  if (env.gil_enabled != null) {
    if (typeof env.gil_enabled !== 'boolean') throw new Problem(`environment.gil_enabled must be true, false or null (found ${describe(env.gil_enabled)})`);
    out.gil_enabled = env.gil_enabled;
  }
  if (out.python_build === 'default' && out.gil_enabled === false) {
    throw new Problem('environment.gil_enabled must be true when python_build is "default": only a free-threaded build runs without the GIL');
  }
  return out;
}

/// How the page names a CPython environment: "CPython 3.14t, GIL off" (the free-threaded build, its GIL off),
/// "CPython 3.11, GIL on"; null for any other target. A file without gil_enabled (run.py before it recorded
/// the build) is "GIL on" only before 3.13, which had no other build, and "GIL not recorded" from 3.13 on.
export function pythonBuildLabel(environment) {
  if (environment?.target !== 'cpython') return null;
  const version = environment.python_version ?? /\d+\.\d+/.exec(environment.compiler ?? '')?.[0] ?? '';
  const [major, minor] = version.split('.').map(Number);
  const known = Number.isInteger(major) && Number.isInteger(minor);
  const name = `CPython${known ? ` ${major}.${minor}` : ''}${environment.python_build === 'free-threaded' ? 't' : ''}`;
  if (typeof environment.gil_enabled === 'boolean') return `${name}, GIL ${environment.gil_enabled ? 'on' : 'off'}`;
  if (known && (major < 3 || (major === 3 && minor < 13))) return `${name}, GIL on`;
  return `${name}, GIL not recorded`;
}

/// The name of an uploaded set's environment, as its label starts: the CPython build (pythonBuildLabel) for
/// CPython files, else the target ("native", "wasm").
export function environmentName(environment) {
  return pythonBuildLabel(environment) ?? environment?.target ?? 'results';
}

/// A params value: a finite number, a boolean, a string, or a list of numbers/strings; anything else is refused.
function copyParamValue(value, field) {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || Math.abs(value) > Number.MAX_SAFE_INTEGER) {
      throw new Problem(`${field} must be a number from -${Number.MAX_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER} (found ${describe(value)})`);
    }
    return value;
  }
  if (typeof value === 'string') return str(value, field);
  if (Array.isArray(value)) {
    if (value.length > UPLOAD_LIMITS.listItems) throw new Problem(`${field} has ${value.length} items; the limit is ${UPLOAD_LIMITS.listItems}`);
    return value.map((item, k) => {
      if (Array.isArray(item) || isObject(item) || typeof item === 'boolean' || item === null) {
        throw new Problem(`${field}[${k}] must be a number or a string (found ${describe(item)})`);
      }
      return copyParamValue(item, `${field}[${k}]`);
    });
  }
  throw new Problem(`${field} must be a number, a string, true/false or a list (found ${describe(value)})`);
}

function copyParams(params, field) {
  if (!isObject(params)) throw new Problem(`${field} must be an object (found ${describe(params)})`);
  const keys = Object.keys(params);
  if (keys.length > UPLOAD_LIMITS.paramKeys) throw new Problem(`${field} has ${keys.length} keys; the limit is ${UPLOAD_LIMITS.paramKeys}`);
  const out = {};
  for (const key of keys) {
    if (UNSAFE_KEYS.includes(key)) continue; // already dropped by the parser; here for objects built in code
    if (key.length > 64) throw new Problem(`${field} has a key ${describe(key)} longer than 64 characters`);
    Object.defineProperty(out, key, { value: copyParamValue(params[key], `${field}.${key}`), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

const TASK_PHASES = ['compute', 'download', 'gather', 'render'];

/// A threads-gil task's `held`: a list of [start_s, end_s] stretches; `budget.left` counts down the run's limit.
function copyHeld(held, field, budget) {
  if (!Array.isArray(held)) throw new Problem(`${field} must be a list of [start_s, end_s] pairs (found ${describe(held)})`);
  budget.left -= held.length;
  if (budget.left < 0) throw new Problem(`${field}: the run's tasks hold more than ${UPLOAD_LIMITS.heldStretches} lock stretches, the limit`);
  return held.map((pair, k) => {
    if (!Array.isArray(pair) || pair.length !== 2) throw new Problem(`${field}[${k}] must be a pair [start_s, end_s] (found ${describe(pair)})`);
    const start = seconds(pair[0], `${field}[${k}][0]`, { min: -UPLOAD_LIMITS.seconds });
    const end = seconds(pair[1], `${field}[${k}][1]`, { min: -UPLOAD_LIMITS.seconds });
    if (end < start) throw new Problem(`${field}[${k}] ends (${end}) before it starts (${start})`);
    return [start, end];
  });
}

function copyTask(t, field, heldBudget = { left: UPLOAD_LIMITS.heldStretches }) {
  if (!isObject(t)) throw new Problem(`${field} must be an object (found ${describe(t)})`);
  const out = {
    id: integer(t.id, `${field}.id`, 0, UPLOAD_LIMITS.count),
    worker: integer(t.worker, `${field}.worker`, 0, UPLOAD_LIMITS.workers - 1),
    pid: integer(t.pid, `${field}.pid`, 0, UPLOAD_LIMITS.count, { nullable: true }),
    thread: integer(t.thread, `${field}.thread`, 0, UPLOAD_LIMITS.count, { nullable: true }),
    phase: t.phase == null ? null : TASK_PHASES.includes(t.phase) ? t.phase : null,
    start_s: seconds(t.start_s, `${field}.start_s`, { min: -UPLOAD_LIMITS.seconds }),
    end_s: seconds(t.end_s, `${field}.end_s`, { min: -UPLOAD_LIMITS.seconds }),
    wait_s: seconds(t.wait_s ?? 0, `${field}.wait_s`),
    cpu_s: seconds(t.cpu_s, `${field}.cpu_s`, { nullable: true }),
    value: u64(t.value, `${field}.value`, { nullable: true }),
  };
  if (t.phase != null && out.phase === null) throw new Problem(`${field}.phase must be one of ${TASK_PHASES.join(', ')} (found ${describe(t.phase)})`);
  if (t.held != null) out.held = copyHeld(t.held, `${field}.held`, heldBudget);
  if (t.rss_kib != null) out.rss_kib = integer(t.rss_kib, `${field}.rss_kib`, 0, Number.MAX_SAFE_INTEGER);
  return out;
}

function copyRun(run, field) {
  if (!isObject(run)) throw new Problem(`${field} must be an object (found ${describe(run)})`);
  if (!MODES.includes(run.mode) && run.mode !== EXTERNAL_MODE) {
    throw new Problem(`${field}.mode must be one of ${MODES.join(', ')}, or ${EXTERNAL_MODE} for a measurement converted from another tool (found ${describe(run.mode)})`);
  }
  if (typeof run.ok !== 'boolean') throw new Problem(`${field}.ok must be true or false (found ${describe(run.ok)})`);
  if (typeof run.complete !== 'boolean') throw new Problem(`${field}.complete must be true or false (found ${describe(run.complete)})`);
  const out = {
    workload: str(run.workload, `${field}.workload`, { nonEmpty: true }),
    params: copyParams(run.params, `${field}.params`),
    mode: run.mode,
    workers: integer(run.workers, `${field}.workers`, 1, UPLOAD_LIMITS.workers),
    ok: run.ok,
    complete: run.complete,
    error: str(run.error, `${field}.error`, { nullable: true }),
    started_at: str(run.started_at, `${field}.started_at`, { nullable: true }),
    wall_s: seconds(run.wall_s, `${field}.wall_s`, { nullable: !run.ok }),
    startup_s: seconds(run.startup_s, `${field}.startup_s`, { nullable: true }),
    cpu_s: seconds(run.cpu_s, `${field}.cpu_s`, { nullable: true }),
    avg_task_s: seconds(run.avg_task_s, `${field}.avg_task_s`, { nullable: true }),
    hardware_concurrency: integer(run.hardware_concurrency, `${field}.hardware_concurrency`, 0, 1_000_000, { nullable: true }),
    task_count: integer(run.task_count, `${field}.task_count`, 0, UPLOAD_LIMITS.tasks, { nullable: true }),
    tasks_done: integer(run.tasks_done, `${field}.tasks_done`, 0, UPLOAD_LIMITS.tasks, { nullable: true }),
    checksum: u64(run.checksum, `${field}.checksum`, { nullable: true }),
    tasks: [],
  };
  if (run.tasks != null) {
    if (!Array.isArray(run.tasks)) throw new Problem(`${field}.tasks must be an array (found ${describe(run.tasks)})`);
    if (run.tasks.length > UPLOAD_LIMITS.tasks) throw new Problem(`${field}.tasks has ${run.tasks.length} tasks; the limit is ${UPLOAD_LIMITS.tasks}`);
    const heldBudget = { left: UPLOAD_LIMITS.heldStretches };
    for (let j = 0; j < run.tasks.length; j++) out.tasks.push(copyTask(run.tasks[j], `${field}.tasks[${j}]`, heldBudget));
  }
  if (run.switch_interval_ms != null) {
    const ms = run.switch_interval_ms;
    if (!isNumber(ms) || ms < SWITCH_INTERVAL_MS.min || ms > SWITCH_INTERVAL_MS.max) {
      throw new Problem(`${field}.switch_interval_ms must be a number of milliseconds from ${SWITCH_INTERVAL_MS.min} to ${SWITCH_INTERVAL_MS.max} (found ${describe(ms)})`);
    }
    out.switch_interval_ms = ms;
  }
  if (run.failed_tasks != null) out.failed_tasks = copyFailedTasks(run.failed_tasks, `${field}.failed_tasks`);
  if (run.bytes_transferred != null) {  // processes mode: payload bytes copied to and from the workers
    out.bytes_transferred = integer(run.bytes_transferred, `${field}.bytes_transferred`, 0, Number.MAX_SAFE_INTEGER);
  }
  if (run.job != null) {  // one phase of a job of several runs (the cv factory)
    if (!isObject(run.job)) throw new Problem(`${field}.job must be an object {id, phase, phases} (found ${describe(run.job)})`);
    const phases = integer(run.job.phases, `${field}.job.phases`, 1, 100);
    out.job = { id: str(run.job.id, `${field}.job.id`, { nonEmpty: true }), phase: integer(run.job.phase, `${field}.job.phase`, 1, phases), phases };
  }
  return out;
}

/// Tasks lost when a worker process died and the run went on: [{id, error}].
function copyFailedTasks(list, field) {
  if (!Array.isArray(list)) throw new Problem(`${field} must be an array (found ${describe(list)})`);
  if (list.length > UPLOAD_LIMITS.tasks) throw new Problem(`${field} has ${list.length} items; the limit is ${UPLOAD_LIMITS.tasks}`);
  return list.map((item, k) => {
    if (!isObject(item)) throw new Problem(`${field}[${k}] must be an object {id, error} (found ${describe(item)})`);
    return {
      id: integer(item.id, `${field}[${k}].id`, 0, UPLOAD_LIMITS.count),
      error: oneLine(str(item.error, `${field}[${k}].error`, { nonEmpty: true })),
    };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Grouping: runs are comparable when workload and (canonical) params match.

function toIntList(value) {
  if (Array.isArray(value)) return value.map(Number);
  if (typeof value === 'string') return value.split(',').map((s) => Number(s.trim()));
  return value;
}

function defaultValue(spec) {
  const d = spec.default;
  if (typeof d !== 'string') return d;
  if (spec.type === 'int' || spec.type === 'float') return Number(d);
  if (spec.type === 'int_list') return toIntList(d);
  return d;
}

/// The parameters that apply to a run, defaults filled in, in the specs' order (other keys kept, sorted, after).
export function canonicalParams(workload, params = {}, specs = []) {
  const own = specs.filter((s) => s.workload === workload);
  const out = {};
  if (own.length > 0) {
    const shapeSpec = own.find((s) => s.name === 'shape');
    const shape = params.shape ?? (shapeSpec ? defaultValue(shapeSpec) : undefined);
    for (const spec of own) {
      if (spec.shape && spec.shape !== shape) continue;
      let value = params[spec.name] ?? defaultValue(spec);
      if (spec.type === 'int_list') value = toIntList(value);
      else if ((spec.type === 'int' || spec.type === 'float') && typeof value === 'string') value = Number(value);
      out[spec.name] = value;
    }
  }
  for (const key of Object.keys(params).sort()) {
    if (key !== 'workload' && !Object.hasOwn(out, key) && !own.some((s) => s.name === key)) out[key] = params[key];
  }
  return out;
}

export function groupKey(workload, canonical) {
  return JSON.stringify([workload, canonical]);
}

/// "shape=chunked, n=2000000, chunks=64"; long lists are shortened.
export function paramsSummary(canonical) {
  return Object.entries(canonical)
    .map(([key, value]) => {
      if (Array.isArray(value)) {
        const shown = value.slice(0, 4).join(',');
        return `${key}=${value.length > 4 ? `${shown},… (${value.length} items)` : shown}`;
      }
      return `${key}=${value}`;
    })
    .join(', ');
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const isTimed = (run) => run.ok && run.complete && isNumber(run.wall_s) && run.wall_s > 0;

/// The mode as tables and series tell runs apart: threads-gil runs with different switch intervals are different
/// experiments, so their label carries it ("threads-gil (switch 5 ms)"); other modes are their name.
export function modeLabel(run) {
  if (run.mode === 'threads-gil' && isNumber(run.switch_interval_ms)) return `threads-gil (switch ${run.switch_interval_ms} ms)`;
  return run.mode;
}
/// The mode a modeLabel names (mode names have no spaces).
const modeOfLabel = (label) => String(label).split(' ')[0];
const modeOrder = (label) => {
  const k = MODES.indexOf(modeOfLabel(label));
  return k < 0 ? MODES.length : k;
};

/// Adds derived fields to state entries ({id, source, kind, run}): group key, canonical params, summary.
export function describeEntries(entries, specs) {
  return entries.map((entry) => {
    const canonical = canonicalParams(entry.run.workload, entry.run.params, specs);
    return {
      ...entry,
      canonical,
      group: groupKey(entry.run.workload, canonical),
      summary: paramsSummary(canonical),
      modeLabel: modeLabel(entry.run),
    };
  });
}

// Keys of medianWalls: JSON, so that no text in a label or workload name can split them wrongly.
const wallKey = (source, group, mode, workers) => JSON.stringify([source, group, mode, workers]);

/// Median wall_s per (source, group, mode, workers) over complete, successful runs.
function medianWalls(described) {
  const buckets = new Map();
  for (const e of described) {
    if (!isTimed(e.run)) continue;
    const key = wallKey(e.source, e.group, modeLabel(e.run), e.run.workers);
    if (!buckets.has(key)) buckets.set(key, []);
    buckets.get(key).push(e.run.wall_s);
  }
  const out = new Map();
  for (const [key, walls] of buckets) out.set(key, median(walls));
  return out;
}

/// Rows of the runs table: the described entries plus each run's self-relative speed-up (null when unknown).
export function runRows(described) {
  const walls = medianWalls(described);
  return described.map((e) => {
    const base = walls.get(wallKey(e.source, e.group, modeLabel(e.run), 1));
    const speedup = isTimed(e.run) && base ? base / e.run.wall_s : null;
    return { ...e, speedup };
  });
}

/// The distinct (workload, params) groups with at least one timed run, newest browser group first.
export function groupOptions(described) {
  const seen = new Map();
  for (const e of described) {
    if (isTimed(e.run) && !seen.has(e.group)) seen.set(e.group, `${e.run.workload} · ${e.summary || 'defaults'}`);
  }
  return [...seen].map(([key, label]) => ({ key, label }));
}

/// Speed-up and time series for one group: one per (source, mode), points sorted by workers.
export function speedupSeries(described, group) {
  const walls = medianWalls(described.filter((e) => e.group === group));
  const bySeries = new Map();
  for (const [key, wall] of walls) {
    const [source, , label, workers] = JSON.parse(key);
    const id = `${source}\n${label}`;
    if (!bySeries.has(id)) bySeries.set(id, { source, mode: modeOfLabel(label), modeLabel: label, uploaded: source !== 'browser', points: [] });
    bySeries.get(id).points.push({ workers: Number(workers), wall_s: wall });
  }
  const series = [...bySeries.values()];
  for (const s of series) {
    s.points.sort((a, b) => a.workers - b.workers);
    // Against the mode's own 1-worker run; a mode run only with 2+ workers (a guided card's threads ×2 and ×3) is
    // measured against the same set's sequential run, and says so in its label.
    const own = s.points.find((p) => p.workers === 1)?.wall_s;
    const sequential = bySeries.get(`${s.source}\nsequential`)?.points.find((p) => p.workers === 1)?.wall_s;
    const base = own ?? sequential;
    for (const p of s.points) p.speedup = base ? base / p.wall_s : null;
    s.baseline = own ? 'one worker' : sequential ? 'sequential' : null;
    s.label = `${s.source} · ${s.modeLabel}${!own && sequential ? ' (vs sequential)' : ''}`;
  }
  series.sort((a, b) => Number(a.uploaded) - Number(b.uploaded) || a.source.localeCompare(b.source)
    || modeOrder(a.modeLabel) - modeOrder(b.modeLabel) || a.modeLabel.localeCompare(b.modeLabel));
  return series;
}

/// The critical-path bound of a group whose tasks differ in size (criticalPathBound of experiments.js over the
/// group's sequential runs of this browser that recorded their tasks): {ok, limit, unequal, ...}, or null.
/// `unequal` when the longest task is clearly more than its share (total / tasks) and the bound is below the most
/// workers run: then no serial fraction explains the flattening, and the bound, not an Amdahl fit, is the limit to draw.
export function criticalPathOfGroup(described, group) {
  const sequential = described.filter((e) => e.group === group && e.run.mode === 'sequential' && isTimed(e.run) && Array.isArray(e.run.tasks) && e.run.tasks.length > 1);
  const bound = criticalPathBound(sequential.filter((e) => e.source === (sequential[0]?.source)));
  if (!bound.ok) return null;
  // It matters only where it binds: below the most workers the group ran (3 tasks of 12/32/57% on 2 and 3 workers,
  // not 16 chunks of slightly different cost on 2).
  const most = Math.max(...described.filter((e) => e.group === group && isTimed(e.run)).map((e) => e.run.workers));
  return { ...bound, unequal: bound.limit < 0.9 * bound.shares.length && bound.limit < most };
}

/// The result sets runs come from, as their source labels: 'browser' first (when it has runs), then each uploaded
/// set in the order it appears.
export function comparisonSets(described) {
  const sets = [];
  for (const e of described) if (!sets.includes(e.source)) sets.push(e.source);
  return sets.sort((a, b) => Number(a !== 'browser') - Number(b !== 'browser'));
}

/// The ratio table across any number of sets. Returns {sets, defaultBaseline, build(baseline)}: build gives
/// {baseline, others, rows}, one row per (workload, params, mode, workers) timed in the baseline and in at least one
/// other set: the baseline's median wall time and, per other set, {source, seconds, ratio = seconds / baseline}
/// (null where that set has no such run). The default baseline is the first uploaded set (so the browser's ratio
/// reads browser / native for a native file), else the browser.
export function comparisonRows(described) {
  const walls = medianWalls(described);
  const sets = comparisonSets(described);
  const summaries = new Map(described.map((e) => [e.group, { workload: e.run.workload, summary: e.summary }]));
  const keys = new Map(); // JSON [group, mode, workers] -> Map source -> median wall
  for (const [key, wall] of walls) {
    const [source, group, mode, workers] = JSON.parse(key);
    const point = JSON.stringify([group, mode, workers]);
    if (!keys.has(point)) keys.set(point, new Map());
    keys.get(point).set(source, wall);
  }
  const defaultBaseline = sets.find((s) => s !== 'browser') ?? sets[0] ?? null;
  const build = (wanted) => {
    const baseline = sets.includes(wanted) ? wanted : defaultBaseline;
    const others = sets.filter((s) => s !== baseline);
    const rows = [];
    for (const [point, bySource] of keys) {
      const base = bySource.get(baseline);
      if (base === undefined || !others.some((s) => bySource.has(s))) continue;
      const [group, mode, workers] = JSON.parse(point);
      const { workload, summary } = summaries.get(group) ?? { workload: '?', summary: '' };
      const cells = others.map((source) => {
        const seconds = bySource.get(source);
        return seconds === undefined ? { source, seconds: null, ratio: null } : { source, seconds, ratio: seconds / base };
      });
      rows.push({ workload, summary, mode, workers: Number(workers), baseline_s: base, cells });
    }
    rows.sort((a, b) => a.workload.localeCompare(b.workload) || a.summary.localeCompare(b.summary) || modeOrder(a.mode) - modeOrder(b.mode)
      || a.mode.localeCompare(b.mode) || a.workers - b.workers);
    return { baseline, others, rows };
  };
  return { sets, defaultBaseline, build };
}

/// The compiler row of a set: for CPython its build and GIL state beside the full version
/// ("CPython 3.14t, GIL off (CPython 3.14.0)"), else the compiler as written.
function interpreterName(env) {
  const build = pythonBuildLabel(env);
  if (!build) return env?.compiler ?? null;
  return env.compiler ? `${build} (${env.compiler})` : build;
}

/// Columns of the environments table, one per set: [{source, generator, target, os, cpu_model, logical_cpus,
/// compiler, user_agent, cross_origin_isolated}], this browser first. sets: the uploaded sets ({label, generator,
/// environment}); browser: this page's environment block (browserEnvironment), or null to leave it out.
export function environmentColumns(sets, browser = null) {
  const column = (source, generator, env) => ({
    source, generator: generator ?? null, target: env?.target ?? null, os: env?.os ?? null, cpu_model: env?.cpu_model ?? null,
    logical_cpus: env?.logical_cpus ?? null, compiler: interpreterName(env), user_agent: env?.user_agent ?? null,
    cross_origin_isolated: env?.cross_origin_isolated ?? null,
  });
  const out = browser ? [column('browser', 'this page', browser)] : [];
  for (const set of sets) out.push(column(set.label, set.generator, set.environment));
  return out;
}
