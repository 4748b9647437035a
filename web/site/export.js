// Export and import of everything the page keeps (one JSON file), a CSV of every run, and any chart as PNG.
// buildExport/parseExport/toCsv are pure (tests/web/export.test.mjs runs them in Node): importing an export into
// an empty page gives back exactly the groups, sets, names and runs that were exported.
import { UNSAFE_KEYS, parseResultsText, safeFileName } from './results.js';

export const EXPORT_VERSION = 1;
export const EXPORT_FILE_NAME = 'parlab-lab-export.json';
export const CSV_FILE_NAME = 'parlab-runs.csv';
/// An export holds many results files' worth of runs: it may be larger than one upload (whose limit is 20 MB),
/// but each group and set inside must keep the upload limits.
export const MAX_IMPORT_BYTES = 512 * 1024 * 1024;
const MAX_ITEMS = 10_000;

export class ExportFileError extends Error {}

/// The whole kept state as one object: {parlab_export, generator, created, environment, browser: [groups],
/// uploaded: [sets]}. Runs are written exactly as they are kept.
export function buildExport({ browserGroups = [], uploadedSets = [] }, { environment = null, version = '0.1.0', created = new Date() } = {}) {
  return {
    parlab_export: EXPORT_VERSION,
    generator: `parlab ${version} (wasm)`,
    created: created.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    environment,
    browser: browserGroups.map((g) => ({ id: g.id, name: g.name, created: g.created, runs: g.runs })),
    uploaded: uploadedSets.map((s) => ({
      id: s.id, name: s.name, label: s.label, environment: s.environment, generator: s.generator, created: s.created, runs: s.runs,
    })),
  };
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const oneLine = (text) => String(text ?? '').split('\n')[0].slice(0, 300);
const optionalId = (v) => (Number.isInteger(v) && v > 0 ? v : undefined);
const text = (v, fallback) => (typeof v === 'string' && v.length <= 4096 ? v : fallback);

/// Checks a list of runs with the upload checks (results.js): throws ExportFileError naming where.
function checkRuns(runs, environment, generator, where) {
  if (!Array.isArray(runs) || runs.length === 0) throw new ExportFileError(`${where}: runs must be a non-empty list`);
  const file = { schema_version: 1, generator: text(generator, '') || 'parlab', created: '', environment, runs };
  try {
    parseResultsText(JSON.stringify(file), where);
  } catch (error) {
    throw new ExportFileError(oneLine(error.message));
  }
}

/// Reads an export (or a plain results file, which becomes one uploaded set): {groups, sets, kind}, ready for
/// AppState.restore. Throws ExportFileError with one line naming the file and the place at fault.
/// Runs come back exactly as written once they pass the upload checks; keys named __proto__/constructor/
/// prototype are dropped wherever they are.
export function parseExport(textIn, fileName = 'the file') {
  const name = safeFileName(fileName);
  if (typeof textIn !== 'string') throw new ExportFileError(`${name}: not text`);
  if (textIn.length > MAX_IMPORT_BYTES) throw new ExportFileError(`${name} is over ${MAX_IMPORT_BYTES / 1024 / 1024} MB, the limit`);
  let data;
  try {
    const body = textIn.charCodeAt(0) === 0xfeff ? textIn.slice(1) : textIn;
    data = JSON.parse(body, (key, value) => (UNSAFE_KEYS.includes(key) ? undefined : value));
  } catch (error) {
    throw new ExportFileError(`${name} is not valid JSON (${oneLine(error?.message)})`);
  }
  if (isObject(data) && data.schema_version === 1 && !('parlab_export' in data)) {
    try {
      const { data: checked } = parseResultsText(textIn, name);
      return { kind: 'results', groups: [], sets: [{ name, environment: checked.environment, generator: checked.generator, runs: checked.runs }] };
    } catch (error) {
      throw new ExportFileError(oneLine(error.message));
    }
  }
  if ((Array.isArray(data) && isObject(data[0]) && 'ph' in data[0]) || (isObject(data) && 'traceEvents' in data)) {
    throw new ExportFileError(`${name} looks like a Chrome trace, not an export: load it with the file field under “Compare result sets”, which draws it`);
  }
  if (!isObject(data) || data.parlab_export === undefined) {
    throw new ExportFileError(`${name} is neither a parlab export (it has no parlab_export) nor a results file (no schema_version)`);
  }
  if (data.parlab_export !== EXPORT_VERSION) {
    throw new ExportFileError(`${name}: parlab_export ${oneLine(JSON.stringify(data.parlab_export))} is not supported: this page reads version ${EXPORT_VERSION}`);
  }
  const browser = data.browser ?? [];
  const uploaded = data.uploaded ?? [];
  if (!Array.isArray(browser) || browser.length > MAX_ITEMS) throw new ExportFileError(`${name}: browser must be a list of at most ${MAX_ITEMS} groups`);
  if (!Array.isArray(uploaded) || uploaded.length > MAX_ITEMS) throw new ExportFileError(`${name}: uploaded must be a list of at most ${MAX_ITEMS} sets`);
  const browserEnvironment = { target: 'wasm' };
  const groups = browser.map((g, i) => {
    const where = `${name}: browser[${i}]`;
    if (!isObject(g)) throw new ExportFileError(`${where} must be an object {name, created, runs}`);
    checkRuns(g.runs, browserEnvironment, data.generator, where);
    return { id: optionalId(g.id), name: text(g.name, `runs ${i + 1}`), created: text(g.created, undefined), runs: g.runs };
  });
  const sets = uploaded.map((s, i) => {
    const where = `${name}: uploaded[${i}]`;
    if (!isObject(s)) throw new ExportFileError(`${where} must be an object {name, environment, generator, runs}`);
    if (!isObject(s.environment)) throw new ExportFileError(`${where}.environment must be an object`);
    if (typeof s.generator !== 'string' || s.generator === '') throw new ExportFileError(`${where}.generator must be a non-empty string`);
    checkRuns(s.runs, s.environment, s.generator, where);
    return {
      id: optionalId(s.id), name: text(s.name, `results ${i + 1}`), label: text(s.label, undefined),
      environment: s.environment, generator: s.generator, created: text(s.created, undefined), runs: s.runs,
    };
  });
  return { kind: 'export', groups, sets };
}

// ---------------------------------------------------------------------------------------------------------------
// CSV: one row per run, browser groups first, then the uploaded sets.

export const CSV_COLUMNS = [
  'group', 'source', 'workload', 'params', 'mode', 'workers', 'switch_interval_ms', 'ok', 'complete', 'error', 'started_at',
  'wall_s', 'startup_s', 'cpu_s', 'avg_task_s', 'hardware_concurrency', 'task_count', 'tasks_done', 'checksum',
  'bytes_transferred', 'warm_workers', 'counter_value', 'lost_updates', 'ns_per_increment', 'late_median_s', 'late_max_s', 'job', 'hosts',
];

/// An MPI run's hosts, as its tasks name them, in order of their first rank: "node-b node-c node-a"; null for a run
/// whose tasks name none (the CSV has a row per run, not per task: the JSON export keeps each task's rank and host).
export function runHosts(run) {
  const firstRank = new Map();
  for (const t of run?.tasks ?? []) {
    if (typeof t.host === 'string' && Number.isInteger(t.rank) && !(firstRank.get(t.host) <= t.rank)) firstRank.set(t.host, t.rank);
  }
  return firstRank.size ? [...firstRank].sort((a, b) => a[1] - b[1]).map(([host]) => host).join(' ') : null;
}

/// One CSV cell (RFC 4180). Text that a spreadsheet would run as a formula (= + - @ first) gets a leading '.
export function csvCell(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let s = typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/// The CSV text (header + one line per run, CRLF line ends as RFC 4180 has them).
export function toCsv({ browserGroups = [], uploadedSets = [] }) {
  const lines = [CSV_COLUMNS.join(',')];
  const row = (group, source, run) => {
    const cells = {
      ...run, group, source, params: run.params ?? {}, switch_interval_ms: run.switch_interval_ms ?? null, hosts: runHosts(run),
    };
    lines.push(CSV_COLUMNS.map((c) => csvCell(cells[c])).join(','));
  };
  for (const g of browserGroups) for (const run of g.runs) row(g.name, 'browser', run);
  for (const s of uploadedSets) for (const run of s.runs) row(s.name, s.label, run);
  return `${lines.join('\r\n')}\r\n`;
}

// ---------------------------------------------------------------------------------------------------------------
// Files (browser only)

/// Offers a Blob to the user as a download.
export function downloadBlob(blob, fileName) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/// The chart drawn on `canvas` as a PNG Blob, on an opaque `background` (a chart's own canvas is transparent).
export function chartPng(canvas, background = '#ffffff') {
  const copy = document.createElement('canvas');
  copy.width = canvas.width;
  copy.height = canvas.height;
  const ctx = copy.getContext('2d');
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, copy.width, copy.height);
  ctx.drawImage(canvas, 0, 0);
  return new Promise((resolve, reject) => {
    copy.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the browser could not encode the chart as PNG'))), 'image/png');
  });
}
