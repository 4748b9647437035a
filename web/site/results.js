// The results file: build and download the browser's file, parse and check uploads, and derive table and chart rows.

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
export const BROWSER_FILE_NAME = 'parlab-browser-results.json';
export const MODES = ['sequential', 'threads', 'processes'];

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
// Upload: parse and check the structure; every message names the field at fault.

export class ResultsFileError extends Error {}

/// Reads a File (or Blob with a name) as a results file; throws ResultsFileError with a one-line reason.
export async function readResultsFile(file) {
  if (file.size > MAX_UPLOAD_BYTES) {
    throw new ResultsFileError(`${file.name} is ${formatMiB(file.size)}; the limit is ${formatMiB(MAX_UPLOAD_BYTES)}`);
  }
  let data;
  try {
    data = JSON.parse(await file.text());
  } catch (error) {
    throw new ResultsFileError(`${file.name} is not valid JSON (${error.message})`);
  }
  const problem = checkResultsFile(data);
  if (problem) throw new ResultsFileError(`${file.name}: ${problem}`);
  return data;
}

function formatMiB(bytes) {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isNumber = (v) => typeof v === 'number' && Number.isFinite(v);
const describe = (v) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'string' ? `"${v.slice(0, 40)}"` : typeof v === 'object' ? 'an object' : String(v));

/// '' when data has the structure of a results file (schema_version 1), else the first problem found.
export function checkResultsFile(data) {
  if (!isObject(data)) return 'the file must hold a JSON object';
  if (data.schema_version !== 1) return `schema_version must be 1 (found ${describe(data.schema_version)})`;
  if (typeof data.generator !== 'string') return 'generator must be a string';
  if (typeof data.created !== 'string') return 'created must be a date-time string';
  const env = data.environment;
  if (!isObject(env)) return 'environment must be an object';
  if (env.target !== 'native' && env.target !== 'wasm') return `environment.target must be "native" or "wasm" (found ${describe(env.target)})`;
  if (env.logical_cpus != null && !(Number.isInteger(env.logical_cpus) && env.logical_cpus > 0)) return 'environment.logical_cpus must be a positive integer or null';
  for (const key of ['os', 'cpu_model', 'compiler', 'user_agent']) {
    if (env[key] != null && typeof env[key] !== 'string') return `environment.${key} must be a string or null`;
  }
  if (!Array.isArray(data.runs)) return 'runs must be an array';
  if (data.runs.length === 0) return 'runs is empty: there is nothing to load';
  for (let i = 0; i < data.runs.length; i++) {
    const problem = checkRun(data.runs[i]);
    if (problem) return `runs[${i}]${problem.startsWith('.') ? '' : ' '}${problem}`;
  }
  return '';
}

function checkRun(run) {
  if (!isObject(run)) return 'must be an object';
  if (typeof run.workload !== 'string' || run.workload === '') return '.workload must be a non-empty string';
  if (!isObject(run.params)) return '.params must be an object';
  if (!MODES.includes(run.mode)) return `.mode must be one of ${MODES.join(', ')} (found ${describe(run.mode)})`;
  if (!Number.isInteger(run.workers) || run.workers < 1) return `.workers must be a positive integer (found ${describe(run.workers)})`;
  if (typeof run.ok !== 'boolean') return '.ok must be true or false';
  if (typeof run.complete !== 'boolean') return '.complete must be true or false';
  if (run.error != null && typeof run.error !== 'string') return '.error must be a string or null';
  if (run.ok && !(isNumber(run.wall_s) && run.wall_s >= 0)) return `.wall_s must be a number >= 0 (found ${describe(run.wall_s)})`;
  if (!run.ok && run.wall_s != null && !isNumber(run.wall_s)) return '.wall_s must be a number or null';
  if (run.checksum != null && typeof run.checksum !== 'string') return '.checksum must be a decimal string or null';
  if (run.tasks != null) {
    if (!Array.isArray(run.tasks)) return '.tasks must be an array';
    for (let j = 0; j < run.tasks.length; j++) {
      const t = run.tasks[j];
      if (!isObject(t)) return `.tasks[${j}] must be an object`;
      if (!Number.isInteger(t.worker) || t.worker < 0) return `.tasks[${j}].worker must be an integer >= 0`;
      for (const key of ['start_s', 'end_s']) {
        if (!isNumber(t[key])) return `.tasks[${j}].${key} must be a number`;
      }
      if (t.wait_s != null && !isNumber(t.wait_s)) return `.tasks[${j}].wait_s must be a number`;
    }
  }
  return '';
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
    if (key !== 'workload' && !(key in out) && !own.some((s) => s.name === key)) out[key] = params[key];
  }
  return out;
}

export function groupKey(workload, canonical) {
  return `${workload} ${JSON.stringify(canonical)}`;
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
const modeOrder = (mode) => MODES.indexOf(mode);

/// Adds derived fields to state entries ({id, source, kind, run}): group key, canonical params, summary.
export function describeEntries(entries, specs) {
  return entries.map((entry) => {
    const canonical = canonicalParams(entry.run.workload, entry.run.params, specs);
    return {
      ...entry,
      canonical,
      group: groupKey(entry.run.workload, canonical),
      summary: paramsSummary(canonical),
    };
  });
}

/// Median wall_s per (source, group, mode, workers) over complete, successful runs.
function medianWalls(described) {
  const buckets = new Map();
  for (const e of described) {
    if (!isTimed(e.run)) continue;
    const key = `${e.source}\n${e.group}\n${e.run.mode}\n${e.run.workers}`;
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
    const base = walls.get(`${e.source}\n${e.group}\n${e.run.mode}\n1`);
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
    const [source, , mode, workers] = key.split('\n');
    const id = `${source}\n${mode}`;
    if (!bySeries.has(id)) bySeries.set(id, { source, mode, uploaded: source !== 'browser', points: [] });
    bySeries.get(id).points.push({ workers: Number(workers), wall_s: wall });
  }
  const series = [...bySeries.values()];
  for (const s of series) {
    s.points.sort((a, b) => a.workers - b.workers);
    const base = s.points.find((p) => p.workers === 1)?.wall_s;
    for (const p of s.points) p.speedup = base ? base / p.wall_s : null;
    s.label = `${s.source} · ${s.mode}`;
  }
  series.sort((a, b) => Number(a.uploaded) - Number(b.uploaded) || a.source.localeCompare(b.source) || modeOrder(a.mode) - modeOrder(b.mode));
  return series;
}

/// Comparison rows: every (workload, params, mode, workers) timed both in the browser and in an uploaded set.
export function comparisonRows(described) {
  const walls = medianWalls(described);
  const summaries = new Map(described.map((e) => [e.group, { workload: e.run.workload, summary: e.summary }]));
  const rows = [];
  for (const [key, uploadedWall] of walls) {
    const [source, group, mode, workers] = key.split('\n');
    if (source === 'browser') continue;
    const browserWall = walls.get(`browser\n${group}\n${mode}\n${workers}`);
    if (browserWall === undefined) continue;
    const { workload, summary } = summaries.get(group);
    rows.push({ workload, summary, mode, workers: Number(workers), source, browser_s: browserWall, uploaded_s: uploadedWall, ratio: browserWall / uploadedWall });
  }
  rows.sort((a, b) => a.workload.localeCompare(b.workload) || a.summary.localeCompare(b.summary) || modeOrder(a.mode) - modeOrder(b.mode) || a.workers - b.workers || a.source.localeCompare(b.source));
  return rows;
}
