// The results file: build and download the browser's file, parse and check uploads (converting other tools' files
// with formats.js), and derive table, chart and comparison rows.
import { criticalPathBound } from './experiments.js';
import { getModeIndex, isResultOnlyMode } from './modes.js';
import { validateUpload } from './results-validator.js';
import {
  EXTERNAL_MODE, FORMAT_NAMES, FormatProblem, JsonSyntaxError, convertForeign, detectFormat, guessFormatFromText, parseJsonTolerant,
} from './formats.js';

export { EXTERNAL_MODE, FORMAT_NAMES };

export const BROWSER_FILE_NAME = 'parlab-browser-results.json';

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
// prototype, and checked against docs/upload.schema.json (results-validator.js, generated from it), which also drops
// every field the page does not know: what the page keeps is bounded and well-formed whatever the file held. Every
// message names the field at fault.
// Pure functions (no DOM): tests/web/import-fuzz.test.mjs drives them in Node.

/// The bounds an uploaded file must keep that no schema can state: its size, its nesting (both checked before it is
/// parsed) and a run's lock stretches (all its tasks together). The bounds of each field are in docs/upload.schema.json.
export const UPLOAD_LIMITS = Object.freeze({
  bytes: 20 * 1024 * 1024, // file size
  depth: 32, // nesting of objects and arrays (a results file needs 6)
  heldStretches: 1_000_000, // stretches a run's tasks held the interpreter lock (threads-gil), all tasks together
});
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
  const checked = checkAndCopy(file, { owned: true });
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

/// The index of the first character nesting deeper than `limit`, or -1 (strings are skipped). Also trace-import.js's.
export function nestingBeyond(text, limit) {
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

/// {data} (the file as the page keeps it: only the fields it knows, defaults filled in) or {problem}. Never throws.
/// `owned`: `raw` was parsed for this call and may be changed in place; otherwise a copy is checked.
function checkAndCopy(raw, { owned = false } = {}) {
  try {
    return { data: checkResults(owned ? raw : structuredClone(raw)) };
  } catch (error) {
    if (error instanceof Problem) return { problem: error.message };
    return { problem: `the file could not be checked (${oneLine(error?.message)})` };
  }
}

const FORMATS_READ = 'the page reads parlab and CPython results files, Google Benchmark JSON and hyperfine --export-json';

/// Checks `data` against docs/upload.schema.json (which drops unknown fields and fills in defaults, in place), then
/// what one field's schema cannot say; returns `data` or throws Problem.
function checkResults(data) {
  const guess = guessWhatItIs(data);
  if (guess) throw new Problem(`${guess} (${FORMATS_READ})`);
  if (data.schema_version !== 1) {
    throw new Problem(isNumber(data.schema_version)
      ? `schema_version ${data.schema_version} is not supported: this page reads schema_version 1`
      : `schema_version must be 1 (found ${describe(data.schema_version)})`);
  }
  if (!validateUpload(data)) throw new Problem(schemaProblem(validateUpload.errors));
  data.runs.forEach((run, i) => checkRun(run, `runs[${i}]`));
  return data;
}

/// What the schema leaves to code: the order of each held stretch and the run's count of them, an mpi task's rank
/// (its worker + 1), a job's phase within its phases; a lost task's error is kept to one line.
function checkRun(run, field) {
  run.tasks ??= [];
  let heldLeft = UPLOAD_LIMITS.heldStretches;
  run.tasks.forEach((task, j) => {
    if (!task.held) return;
    heldLeft -= task.held.length;
    if (heldLeft < 0) throw new Problem(`${field}.tasks[${j}].held: the run's tasks hold more than ${UPLOAD_LIMITS.heldStretches} lock stretches, the limit`);
    task.held.forEach(([start, end], k) => {
      if (end < start) throw new Problem(`${field}.tasks[${j}].held[${k}] ends (${end}) before it starts (${start})`);
    });
  });
  run.tasks.forEach((task, j) => {
    // The timeline draws a task on its worker's row and names the row by its rank: the two must agree.
    if (task.rank !== undefined && task.rank !== task.worker + 1) {
      throw new Problem(`${field}.tasks[${j}].rank must be its worker + 1 (${task.worker + 1}: rank 0 hands out the tasks) (found ${task.rank})`);
    }
  });
  if (run.job && run.job.phase > run.job.phases) {
    throw new Problem(`${field}.job.phase must be a whole number from 1 to ${run.job.phases} (found ${describe(run.job.phase)})`);
  }
  for (const lost of run.failed_tasks ?? []) lost.error = oneLine(lost.error);
}

/// "runs[0].tasks[2].held[0][1]" for the JSON pointer "/runs/0/tasks/2/held/0/1".
function fieldName(pointer, last) {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (last !== undefined) parts.push(last);
  return parts.reduce((name, part) => (/^\d+$/.test(part) ? `${name}[${part}]` : name ? `${name}.${part}` : part), '') || 'the file';
}

/// "a or b", "a, b or c".
const either = (items) => (items.length > 1 ? `${items.slice(0, -1).join(', ')} or ${items.at(-1)}` : String(items[0]));

/// What a field's schema asks for, in words: its x-expects, else from its type, bounds (x-unit) and choices (a long
/// list reads "one of a, b, c, d", a short one quoted); null when the schema says none of these.
function expectation(schema = {}) {
  if (schema['x-expects']) return schema['x-expects'];
  const types = [schema.type ?? []].flat();
  const orNull = types.includes('null') ? ', or null' : '';
  if (schema.enum) {
    const named = schema.enum.filter((v) => v !== null).map((v) => JSON.stringify(v));
    if (named.length > 3) return `one of ${named.map((v) => JSON.parse(v)).join(', ')}${schema.enum.includes(null) ? ', or null' : ''}`;
    return schema.enum.includes(null) ? `${named.join(', ')} or null` : either(named);
  }
  if ('const' in schema) return JSON.stringify(schema.const);
  if (types.includes('integer')) return `a whole number from ${schema.minimum} to ${schema.maximum}${orNull}`;
  if (types.includes('number')) return `a number${schema['x-unit'] ? ` of ${schema['x-unit']}` : ''} from ${schema.minimum} to ${schema.maximum}${orNull}`;
  if (types.includes('boolean')) return orNull ? 'true, false or null' : 'true or false';
  if (types.includes('string')) return `a string${orNull}`;
  if (types.includes('array')) return `an array${orNull}`;
  if (types.includes('object')) return `an object${orNull}`;
  return null;
}

/// The one-line message for validateUpload's errors (ajv, verbose: each error carries its schema and data): the first,
/// or for a field that may be any of several things (anyOf), what each would have been.
function schemaProblem(errors) {
  const [error] = errors;
  const { keyword, params, parentSchema: schema, data } = error;
  const field = fieldName(error.instancePath);
  const anyOf = errors.find((e) => e.keyword === 'anyOf' && e.instancePath === error.instancePath);
  if (anyOf) {
    const options = errors.filter((e) => e !== anyOf && e.instancePath === error.instancePath).map((e) => expectation(e.parentSchema));
    return `${field} must be ${options.join(', or ')} (found ${describe(data)})`;
  }
  if (error.propertyName !== undefined) return `${field} has a key ${describe(error.propertyName)} longer than ${params.limit} characters`;
  if (keyword === 'dependencies') return `${field} has ${params.property} but no ${params.missingProperty} (the two go together)`;
  switch (keyword) {
    case 'required': {
      const wants = expectation(schema.properties?.[params.missingProperty]);
      const name = fieldName(error.instancePath, params.missingProperty);
      return wants ? `${name} must be ${wants} (found nothing)` : `${name} is missing`;
    }
    case 'minLength':
      return `${field} must not be empty`;
    case 'maxLength':
      return `${field} is ${data.length} characters long; the limit is ${params.limit}`;
    case 'maxProperties':
      return `${field} has ${Object.keys(data).length} keys; the limit is ${params.limit}`;
    case 'minItems':
    case 'maxItems':
      if (schema.minItems === schema.maxItems) break; // a tuple: it must be what it is
      if (keyword === 'minItems') return schema['x-items'] === 'runs' ? `${field} is empty: there is nothing to load` : `${field} must not be empty`;
      return `${field} has ${data.length} ${schema['x-items'] ?? 'items'}; the limit is ${params.limit}`;
    default:
      break;
  }
  return `${field} must be ${expectation(schema) ?? `valid (${oneLine(error.message)})`} (found ${describe(data)})`;
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

/// How the page names an MPI job's environment: "mpi, 3 hosts" ("mpi, 1 host"), from environment.mpi's hosts;
/// null for a file without one.
export function mpiJobLabel(environment) {
  const hosts = environment?.mpi?.hosts;
  if (!Array.isArray(hosts)) return null;
  return `mpi, ${hosts.length} host${hosts.length === 1 ? '' : 's'}`;
}

/// The name of an uploaded set's environment, as its label starts: the MPI job (mpiJobLabel) for parlab-mpi files,
/// the CPython build (pythonBuildLabel) for CPython files, else the target ("native", "wasm").
export function environmentName(environment) {
  return mpiJobLabel(environment) ?? pythonBuildLabel(environment) ?? environment?.target ?? 'results';
}

// ---------------------------------------------------------------------------------------------------------------
// Grouping: runs are comparable when workload and (canonical) params match.

/// A parameter's value as runs record it: the lab info gives defaults (and a form gives values) as text, which the
/// spec's type reads: a number, a list of numbers, or the text itself.
function valueOf(spec, value) {
  if (spec.type === 'int_list' && typeof value === 'string') return value.split(',').map((s) => Number(s.trim()));
  if (spec.type === 'int_list' && Array.isArray(value)) return value.map(Number);
  return (spec.type === 'int' || spec.type === 'float') && typeof value === 'string' ? Number(value) : value;
}

/// The parameters that apply to a run, defaults filled in from the lab info's specs, in the specs' order (other
/// keys kept, sorted, after).
export function canonicalParams(workload, params = {}, specs = []) {
  const own = specs.filter((s) => s.workload === workload);
  const shapeSpec = own.find((s) => s.name === 'shape');
  const shape = shapeSpec && valueOf(shapeSpec, params.shape ?? shapeSpec.default);
  const out = {};
  for (const spec of own) {
    if (!spec.shape || spec.shape === shape) out[spec.name] = valueOf(spec, params[spec.name] ?? spec.default);
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

/// The mode as tables and series tell runs apart: runs under the interpreter lock with different switch intervals are
/// different experiments, so their label carries it ("threads-gil (switch 5 ms)"); other modes are their name.
export function modeLabel(run) {
  return isNumber(run.switch_interval_ms) ? `${run.mode} (switch ${run.switch_interval_ms} ms)` : run.mode;
}
/// The mode a modeLabel names (mode names have no spaces).
const modeOfLabel = (label) => String(label).split(' ')[0];
/// A label's place in the lab info's order of modes; modes it does not know (external) come after.
const modeOrder = (label) => {
  const k = getModeIndex(modeOfLabel(label));
  return k < 0 ? Infinity : k;
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
  for (const s of series) s.points.sort((a, b) => a.workers - b.workers);
  // A mode only results files carry (mpi) is swept one job per file (mpirun -np 2, -np 3, -np 5): a file without its
  // own 1-worker run is measured against the median of the other uploads' 1-worker runs of that mode, and says so.
  const oneOf = (s) => s.points.find((p) => p.workers === 1)?.wall_s;
  const otherOnes = (s) => series.filter((x) => x !== s && x.uploaded && x.modeLabel === s.modeLabel && oneOf(x)).map(oneOf);
  for (const s of series) {
    // Against the mode's own 1-worker run; a mode run only with 2+ workers (a guided card's threads ×2 and ×3) is
    // measured against the same set's sequential run, and says so in its label.
    const own = oneOf(s);
    const sequential = bySeries.get(`${s.source}\nsequential`)?.points.find((p) => p.workers === 1)?.wall_s;
    const others = !own && !sequential && s.uploaded && isResultOnlyMode(s.mode) ? otherOnes(s) : [];
    const fromOthers = others.length ? median(others) : undefined;
    const base = own ?? sequential ?? fromOthers;
    for (const p of s.points) p.speedup = base ? base / p.wall_s : null;
    s.baseline = own ? 'one worker' : sequential ? 'sequential' : fromOthers ? 'one worker, other uploads' : null;
    s.label = `${s.source} · ${s.modeLabel}${!own && sequential ? ' (vs sequential)' : fromOthers ? ' (vs 1 worker in other uploads)' : ''}`;
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

/// An MPI job in one line: "Open MPI v4.1.4: 5 ranks; node-a: 0, 3; node-b: 1, 4; node-c: 2"; null without one.
export function mpiJobText(environment) {
  const mpi = environment?.mpi;
  if (!mpi) return null;
  const library = String(mpi.library ?? '').split(',')[0] || 'MPI';
  return `${library}: ${mpi.ranks} ranks; ${(mpi.hosts ?? []).map((h) => `${h.host}: ${h.ranks.join(', ')}`).join('; ')}`;
}

/// Columns of the environments table, one per set: [{source, generator, target, os, cpu_model, logical_cpus,
/// compiler, user_agent, cross_origin_isolated, mpi}], this browser first. sets: the uploaded sets ({label, generator,
/// environment}); browser: this page's environment block (browserEnvironment), or null to leave it out.
export function environmentColumns(sets, browser = null) {
  const column = (source, generator, env) => ({
    source, generator: generator ?? null, target: env?.target ?? null, os: env?.os ?? null, cpu_model: env?.cpu_model ?? null,
    logical_cpus: env?.logical_cpus ?? null, compiler: interpreterName(env), user_agent: env?.user_agent ?? null,
    cross_origin_isolated: env?.cross_origin_isolated ?? null, mpi: mpiJobText(env),
  });
  const out = browser ? [column('browser', 'this page', browser)] : [];
  for (const set of sets) out.push(column(set.label, set.generator, set.environment));
  return out;
}
