// Files from other tools: a JSON reader that takes bare NaN/Infinity and says where a syntax error is, format
// detection, and converters from Google Benchmark and hyperfine JSON to the runs of parlab's results file.
// Pure functions (no DOM; the lab's modes from modes.js): results.js runs what they return through the upload checks.
import { getDefaultMode, getSwitchInterval, hasInterpreterLock, isMode, isOneWorker } from './modes.js';

/// The formats the page reads, by the name messages give them.
export const FORMAT_NAMES = Object.freeze({
  parlab: 'a parlab results file',
  'google-benchmark': 'Google Benchmark JSON',
  'hyperfine-1': 'hyperfine 1.x JSON',
  'hyperfine-2': 'hyperfine 2.x JSON (schema_version 2)',
});

/// The mode of a converted run that is none of the lab's modes (a benchmark that is not a lab workload).
export const EXTERNAL_MODE = 'external';

const UNSAFE = ['__proto__', 'constructor', 'prototype'];

/// A conversion problem: `path` is the JSON path of the field at fault ('' for the whole file).
export class FormatProblem extends Error {
  constructor(path, message) {
    super(path ? `${path} ${message}` : message);
    this.path = path;
  }
}

/// A JSON syntax error, at a 1-based line and column.
export class JsonSyntaxError extends Error {
  constructor(what, line, column) {
    super(`line ${line}, column ${column}: ${what}`);
    this.line = line;
    this.column = column;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Reading JSON

const MARKERS = { NaN: '\u0000parlab:NaN', Infinity: '\u0000parlab:Infinity', '-Infinity': '\u0000parlab:-Infinity' };
const MARKED = new Map(Object.entries(MARKERS).map(([word, marker]) => [marker, Number(word)]));

/// The text with every bare NaN, Infinity and -Infinity outside strings replaced by a marker string (decoded again by
/// parseJsonTolerant): {text, count}. One pass over the characters; strings are skipped.
function markNonFinite(text) {
  const parts = [];
  let from = 0;
  let count = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 78 || c === 73 || c === 45) { // N, I, -
      const word = c === 78 ? 'NaN' : c === 73 ? 'Infinity' : '-Infinity';
      if (text.startsWith(word, i)) {
        parts.push(text.slice(from, i), JSON.stringify(MARKERS[word]));
        i += word.length - 1;
        from = i + 1;
        count++;
      }
    }
  }
  if (count === 0) return { text, count };
  parts.push(text.slice(from));
  return { text: parts.join(''), count };
}

/// Parses JSON that may hold bare NaN, Infinity and -Infinity (Google Benchmark writes them) without eval: they are
/// marked outside strings and JSON.parse reads the rest (a string equal to a marker, "\u0000parlab:NaN", would read as
/// NaN too). Keys named __proto__/constructor/prototype are dropped (counted in `dropped`). Nesting beyond
/// `maxDepth` and any syntax error throw JsonSyntaxError with the line and column (found by a slower parser that
/// runs only then). Returns {value, dropped, nonFinite}.
export function parseJsonTolerant(text, { maxDepth = 32 } = {}) {
  const marked = markNonFinite(text);
  let dropped = 0;
  let value;
  try {
    value = JSON.parse(marked.text, (key, v) => {
      if (UNSAFE.includes(key)) {
        dropped++;
        return undefined;
      }
      return typeof v === 'string' && MARKED.has(v) ? MARKED.get(v) : v;
    });
  } catch (_) {
    return parseJsonLocated(text, { maxDepth }); // throws with the line and column
  }
  if (depthBeyond(value, maxDepth)) return parseJsonLocated(text, { maxDepth });
  return { value, dropped, nonFinite: marked.count };
}

/// True when value nests objects or arrays deeper than limit.
function depthBeyond(value, limit, depth = 0) {
  if (value === null || typeof value !== 'object') return false;
  if (depth >= limit) return true;
  for (const item of Array.isArray(value) ? value : Object.values(value)) if (depthBeyond(item, limit, depth + 1)) return true;
  return false;
}

/// A small JSON parser that knows where it is: the same result as parseJsonTolerant, or JsonSyntaxError with the
/// line and column of the first problem.
function parseJsonLocated(text, { maxDepth }) {
  let i = 0;
  let dropped = 0;
  let nonFinite = 0;
  const n = text.length;

  const fail = (what, at = i) => {
    let line = 1;
    let lineStart = 0;
    for (let k = 0; k < at && k < n; k++) {
      if (text.charCodeAt(k) === 10) {
        line++;
        lineStart = k + 1;
      }
    }
    throw new JsonSyntaxError(what, line, at - lineStart + 1);
  };
  const shown = (at) => (at >= n ? 'the end of the file' : `"${text.slice(at, at + 12).split('\n')[0]}"`);
  const space = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

  const string = () => {
    const start = i;
    i++; // the opening quote
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 92) i += 2;
      else if (c === 34) break;
      else if (c < 32) fail('a control character inside a string (write it as an escape, e.g. \\n)');
      else i++;
    }
    if (i >= n) fail('a string that never ends', start);
    i++;
    try {
      return JSON.parse(text.slice(start, i));
    } catch (_) {
      return fail('a bad escape inside this string', start);
    }
  };

  const value = (depth) => {
    space();
    if (i >= n) fail('expected a value, found the end of the file');
    const c = text[i];
    if (c === '{' || c === '[') {
      if (depth >= maxDepth) fail(`objects or arrays nest more than ${maxDepth} deep`);
      return c === '{' ? object(depth + 1) : array(depth + 1);
    }
    if (c === '"') return string();
    for (const [word, result] of [['true', true], ['false', false], ['null', null], ['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity]]) {
      if (text.startsWith(word, i)) {
        i += word.length;
        if (typeof result === 'number') nonFinite++;
        return result;
      }
    }
    NUMBER.lastIndex = i;
    const match = NUMBER.exec(text);
    if (match) {
      i += match[0].length;
      return Number(match[0]);
    }
    return fail(`expected a value (an object, array, string, number, true, false or null), found ${shown(i)}`);
  };

  const object = (depth) => {
    const out = {};
    i++;
    space();
    if (text[i] === '}') {
      i++;
      return out;
    }
    for (;;) {
      space();
      if (text[i] !== '"') fail(`expected a key in double quotes, found ${shown(i)}`);
      const key = string();
      space();
      if (text[i] !== ':') fail(`expected ':' after the key "${key.slice(0, 40)}", found ${shown(i)}`);
      i++;
      const item = value(depth);
      if (UNSAFE.includes(key)) dropped++;
      else Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true });
      space();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '}') {
        i++;
        return out;
      }
      fail(`expected ',' or '}' after a value in an object, found ${shown(i)}`);
    }
  };

  const array = (depth) => {
    const out = [];
    i++;
    space();
    if (text[i] === ']') {
      i++;
      return out;
    }
    for (;;) {
      out.push(value(depth));
      space();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === ']') {
        i++;
        return out;
      }
      fail(`expected ',' or ']' after a value in an array, found ${shown(i)}`);
    }
  };

  const result = value(0);
  space();
  if (i < n) fail(`unexpected text after the JSON value: ${shown(i)}`);
  return { value: result, dropped, nonFinite };
}

/// A guess at the format from the raw text alone (for messages about files that are not valid JSON).
export function guessFormatFromText(text) {
  const head = text.slice(0, 65536);
  if (/"benchmarks"\s*:/.test(head) && /"context"\s*:/.test(head)) return 'google-benchmark';
  if (/"schema_version"\s*:\s*2\b/.test(head) && /"results"\s*:/.test(head)) return 'hyperfine-2';
  if (/"results"\s*:/.test(head) && /"command"\s*:/.test(head)) return 'hyperfine-1';
  if (/"runs"\s*:/.test(head) || /"generator"\s*:/.test(head)) return 'parlab';
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Detection

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const has = (o, key) => Object.prototype.hasOwnProperty.call(o, key);

/// Which format a parsed value is: a FORMAT_NAMES key, 'cpython-overhead' (the one-line output of
/// reference/cpython/*_overhead.py), or null (not recognised: the results file checks give the message).
export function detectFormat(data) {
  if (!isObject(data)) return null;
  if (has(data, 'benchmarks') && !has(data, 'runs')) return 'google-benchmark';
  if (has(data, 'results') && !has(data, 'runs')) return data.schema_version === 2 ? 'hyperfine-2' : 'hyperfine-1';
  if (has(data, 'per_task_us') && Object.keys(data).length <= 2 && !has(data, 'runs')) return 'cpython-overhead';
  return 'parlab';
}

// ---------------------------------------------------------------------------------------------------------------
// Shared helpers of the converters

const describe = (v) => {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `"${v.split('\n')[0].slice(0, 40)}${v.length > 40 ? '…' : ''}"`;
  if (typeof v === 'object') return 'an object';
  return String(v).slice(0, 40);
};

function needObject(v, path) {
  if (!isObject(v)) throw new FormatProblem(path, `must be an object (found ${describe(v)})`);
  return v;
}
function needArray(v, path, { max }) {
  if (!Array.isArray(v)) throw new FormatProblem(path, `must be an array (found ${describe(v)})`);
  if (v.length === 0) throw new FormatProblem(path, 'is empty: there is nothing to load');
  if (v.length > max) throw new FormatProblem(path, `has ${v.length} items; the limit is ${max}`);
  return v;
}
function needString(v, path, { nullable = false } = {}) {
  if (v == null && nullable) return null;
  if (typeof v !== 'string' || v === '') throw new FormatProblem(path, `must be a non-empty string (found ${describe(v)})`);
  if (v.length > 4096) throw new FormatProblem(path, `is ${v.length} characters long; the limit is 4096`);
  return v;
}
/// A finite number >= 0, or null when absent; NaN/Infinity give null too when `lenient` (the caller says why).
function optionalNumber(v, path, { lenient = false } = {}) {
  if (v == null) return null;
  if (typeof v !== 'number') throw new FormatProblem(path, `must be a number (found ${describe(v)})`);
  if (!Number.isFinite(v) || v < 0) {
    if (lenient) return null;
    throw new FormatProblem(path, `must be a finite number of at least 0 (found ${describe(v)})`);
  }
  return v;
}

const KEY = /^[a-z_][a-z0-9_]{0,63}$/;
/// A parameter value written as text: a number, a comma list of numbers, or the text itself.
function paramValue(text) {
  const t = String(text).trim();
  if (/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(t) && Number.isFinite(Number(t))) return Number(t);
  if (/^-?\d+(,-?\d+)+$/.test(t)) return t.split(',').map(Number);
  return t;
}

/// The run object the upload checks expect, for one timed measurement (wall_s null when it failed).
function makeRun({ workload, params = {}, mode, workers, wall_s, error = null, checksum = null, task_count = null, hardware_concurrency = null, switch_interval_ms }) {
  const run = {
    workload, params, mode, workers,
    ok: error === null, complete: true, error,
    started_at: null, wall_s, startup_s: null, cpu_s: null, avg_task_s: null,
    hardware_concurrency, task_count, tasks_done: task_count, checksum, tasks: [],
  };
  if (switch_interval_ms !== undefined) run.switch_interval_ms = switch_interval_ms;
  return run;
}

const nowText = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

// ---------------------------------------------------------------------------------------------------------------
// Google Benchmark (--benchmark_format=json or --benchmark_out)

const TIME_UNITS = { ns: 1e-9, us: 1e-6, ms: 1e-3, s: 1 };
/// Segments Google Benchmark appends to a name that say how it was run, not what ran.
const RUN_ATTRIBUTE = /^(real_time|manual_time|process_time|(min_time|min_warmup_time|iterations|repeats):.*)$/;

/// What a Google Benchmark name maps to: {workload, params, mode, workers} (a lab run, or mode external).
/// lab/<workload>/<k=v&k=v | defaults>/<mode>/workers:<n> (native/bench.cpp) and chunked_primes/<mode>/workers:<n>
/// map onto the lab's runs; any other name is its own series "google-benchmark: <name without its arguments>".
export function mapBenchmarkName(runName, threads = 1) {
  const segments = runName.split('/');
  while (segments.length > 1 && RUN_ATTRIBUTE.test(segments.at(-1))) segments.pop();
  let gbThreads = null;
  if (segments.length > 1 && /^threads:\d+$/.test(segments.at(-1))) gbThreads = Number(segments.pop().slice(8));
  const name = segments.join('/');

  const lab = /^lab\/([a-z_]+)\/([^/]*)\/([a-z-]+)\/workers:(\d+)$/.exec(name);
  if (lab && isMode(lab[3])) {
    const params = {};
    if (lab[2] !== '' && lab[2] !== 'defaults') {
      for (const pair of lab[2].split('&')) {
        const [key, text] = pair.split('=');
        if (!KEY.test(key ?? '') || text === undefined || UNSAFE.includes(key)) throw new FormatProblem('', `the parameters "${lab[2].slice(0, 80)}" in the name are not key=value pairs joined by '&'`);
        params[key] = paramValue(text);
      }
    }
    return { workload: lab[1], params, mode: lab[3], workers: Number(lab[4]) };
  }
  const legacy = /^chunked_primes\/([a-z-]+)\/workers:(\d+)$/.exec(name);
  if (legacy && isMode(legacy[1])) return { workload: 'primes', params: { shape: 'chunked', n: 2000000, chunks: 64 }, mode: legacy[1], workers: Number(legacy[2]) };

  // Any other benchmark: the family name, then its arguments (bare values, or name:value with ArgName).
  const family = [];
  const args = [];
  const params = {};
  let workers = gbThreads ?? threads ?? 1;
  const NAMED = /^([A-Za-z_][A-Za-z0-9_]*):(-?\d+(?:\.\d+)?)$/;
  const BARE = /^-?\d+(?:\.\d+)?$/;
  for (const segment of segments) {
    const named = NAMED.exec(segment);
    const isArgument = named || BARE.test(segment);
    if (family.length === 0 || (!isArgument && args.length === 0 && Object.keys(params).length === 0)) family.push(segment);
    else if (named && (named[1] === 'workers' || named[1] === 'threads')) workers = Number(named[2]);
    else if (named && !UNSAFE.includes(named[1]) && named[1] !== 'args') params[named[1]] = Number(named[2]);
    else args.push(segment);
  }
  if (args.length) params.args = args.join('/');
  return { workload: `google-benchmark: ${family.join('/')}`, params, mode: EXTERNAL_MODE, workers };
}

/// The checksum from the counters checksum_hi and checksum_lo (each a 32-bit half), or null.
function checksumFromCounters(b) {
  const hi = b.checksum_hi;
  const lo = b.checksum_lo;
  const half = (v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32;
  if (!half(hi) || !half(lo)) return null;
  return ((BigInt(hi) << 32n) + BigInt(lo)).toString();
}

/// Converts Google Benchmark JSON into a results file. Iteration entries become one run each (wall_s = real_time
/// per iteration in seconds); a benchmark that has only aggregates contributes its median (else its mean).
export function fromGoogleBenchmark(data, { maxRuns = 10_000 } = {}) {
  const context = needObject(data.context, 'context');
  const list = needArray(data.benchmarks, 'benchmarks', { max: maxRuns });
  const cpus = Number.isInteger(context.num_cpus) && context.num_cpus > 0 && context.num_cpus <= 1_000_000 ? context.num_cpus : null;
  const entries = list.map((b, k) => {
    const path = `benchmarks[${k}]`;
    needObject(b, path);
    const name = needString(b.name, `${path}.name`);
    const runName = b.run_name == null ? name.replace(/_(mean|median|stddev|cv)$/, '') : needString(b.run_name, `${path}.run_name`);
    const aggregate = b.run_type === 'aggregate' ? String(b.aggregate_name ?? '') : b.run_type == null ? (/_(mean|median|stddev|cv)$/.exec(name)?.[1] ?? null) : null;
    if (b.run_type != null && b.run_type !== 'iteration' && b.run_type !== 'aggregate') {
      throw new FormatProblem(`${path}.run_type`, `must be "iteration" or "aggregate" (found ${describe(b.run_type)})`);
    }
    return { b, k, path, runName, aggregate };
  });
  const hasIterations = new Set(entries.filter((e) => e.aggregate === null).map((e) => e.runName));
  const runs = [];
  let fromAggregates = 0;
  for (const { b, path, runName, aggregate } of entries) {
    if (aggregate !== null) {
      if (hasIterations.has(runName)) continue; // the page takes its own medians over the iterations
      const preferred = entries.some((e) => e.runName === runName && e.aggregate === 'median') ? 'median' : 'mean';
      if (aggregate !== preferred) continue;
      fromAggregates++;
    }
    const threads = b.threads == null ? 1 : b.threads;
    if (!Number.isInteger(threads) || threads < 1) throw new FormatProblem(`${path}.threads`, `must be a whole number of at least 1 (found ${describe(threads)})`);
    let mapped;
    try {
      mapped = mapBenchmarkName(runName, threads);
    } catch (error) {
      if (error instanceof FormatProblem) throw new FormatProblem(`${path}.name`, `"${runName.slice(0, 80)}": ${error.message}`);
      throw error;
    }
    if (!(mapped.workers >= 1 && mapped.workers <= 256)) throw new FormatProblem(`${path}.name`, `"${runName.slice(0, 80)}" has ${mapped.workers} workers; the page shows 1 to 256`);
    let error = null;
    let wall = null;
    if (b.error_occurred === true || (b.skipped != null && b.skipped !== false && b.skipped !== 0)) {
      error = `Google Benchmark: ${typeof b.error_message === 'string' && b.error_message ? b.error_message.split('\n')[0].slice(0, 200) : 'the benchmark was skipped'}`;
    } else {
      const unit = b.time_unit ?? 'ns';
      if (!has(TIME_UNITS, unit)) throw new FormatProblem(`${path}.time_unit`, `must be one of ns, us, ms, s (found ${describe(unit)})`);
      if (typeof b.real_time !== 'number') throw new FormatProblem(`${path}.real_time`, `must be a number (found ${describe(b.real_time)})`);
      const seconds = b.real_time * TIME_UNITS[unit];
      if (Number.isFinite(seconds) && seconds > 0 && seconds <= 1e7) wall = seconds;
      else error = `Google Benchmark reported real_time ${b.real_time} ${unit}, which is not a time`;
    }
    const taskCount = Number.isInteger(b.task_count) && b.task_count >= 0 && b.task_count <= 1_000_000 ? b.task_count : null;
    runs.push(makeRun({
      ...mapped, wall_s: wall, error, checksum: checksumFromCounters(b), task_count: taskCount, hardware_concurrency: cpus,
    }));
    if (runs.length > maxRuns) throw new FormatProblem('benchmarks', `makes more than ${maxRuns} runs, the limit`);
  }
  if (runs.length === 0) throw new FormatProblem('benchmarks', 'holds no iteration, median or mean entry: there is nothing to load');
  const notes = fromAggregates ? [`${fromAggregates} benchmark${fromAggregates === 1 ? '' : 's'} had only aggregates: their median (or mean) counts as one run`] : [];
  const build = typeof context.library_build_type === 'string' ? `, library ${context.library_build_type.slice(0, 20)} build` : '';
  const host = typeof context.host_name === 'string' ? `, host ${context.host_name.slice(0, 80)}` : '';
  const exe = typeof context.executable === 'string' ? context.executable.split('/').pop().slice(0, 80) : 'a program';
  return {
    file: {
      schema_version: 1,
      generator: `Google Benchmark (${exe}${host}${build})`,
      created: typeof context.date === 'string' ? context.date.slice(0, 64) : nowText(),
      environment: {
        target: 'native', os: null, cpu_model: null, logical_cpus: cpus, compiler: null, user_agent: null, cross_origin_isolated: null,
      },
      runs,
    },
    notes,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// hyperfine (--export-json): 1.x {results: [{command, mean, ..., times, exit_codes, parameters}]} and 2.x
// {schema_version: 2, metadata, results: [{command, name, measurements: [{time_wall_clock: {value, unit}, exit_code}],
// parameters: {name: {value}}, summary}]}

/// Splits a command line into words the way a POSIX shell would for simple cases (quotes and backslashes).
export function splitCommand(command) {
  const words = [];
  let word = null;
  let quote = null;
  for (let i = 0; i < command.length; i++) {
    const c = command[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < command.length) word += command[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= '';
    } else if (c === '\\' && i + 1 < command.length) {
      word = (word ?? '') + command[++i];
    } else if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else if (c === ';' || c === '|' || c === '&' || c === '>' || c === '<') {
      return null; // more than one plain command: not mapped
    } else {
      word = (word ?? '') + c;
    }
  }
  if (quote) return null;
  if (word !== null) words.push(word);
  return words;
}

/// Flags of `parlab run` that are not workload parameters (they do not change what is measured, or are read apart).
const RUN_OPTIONS = new Set(['out', 'format', 'on_worker_death', 'json', 'help']);

/// {workload, params, mode, workers, switch_interval_ms?} when the command is one `parlab run ...` (any path to
/// the parlab program), else null.
export function parseParlabCommand(command) {
  const words = splitCommand(command);
  if (!words) return null;
  let at = 0;
  while (at < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[at])) at++; // VAR=value prefixes
  if (at >= words.length || words[at].split('/').pop() !== 'parlab' || words[at + 1] !== 'run') return null;
  const out = { workload: 'primes', params: {}, mode: getDefaultMode(), workers: 1 };
  for (let k = at + 2; k < words.length; k++) {
    const word = words[k];
    if (!word.startsWith('--')) return null;
    let [flag, value] = word.slice(2).split(/=(.*)/s);
    const name = flag.replace(/-/g, '_');
    if (name === 'help' || name === 'json') continue;
    if (value === undefined) {
      if (k + 1 >= words.length) return null;
      value = words[++k];
    }
    if (name === 'workload') out.workload = value;
    else if (name === 'mode') {
      if (!isMode(value)) return null;
      out.mode = value;
    } else if (name === 'workers') {
      if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 256) return null;
      out.workers = Number(value);
    } else if (name === 'switch_interval_ms') {
      const ms = Number(value);
      if (!(ms >= getSwitchInterval().min && ms <= getSwitchInterval().max)) return null;
      out.switch_interval_ms = ms;
    } else if (RUN_OPTIONS.has(name)) continue;
    else if (!KEY.test(name) || UNSAFE.includes(name)) return null;
    else out.params[name] = paramValue(value);
  }
  if (!/^[a-z_]+$/.test(out.workload)) return null;
  if (isOneWorker(out.mode)) out.workers = 1;
  if (!hasInterpreterLock(out.mode)) delete out.switch_interval_ms;
  else out.switch_interval_ms ??= getSwitchInterval().default;
  return out;
}

const THREAD_PARAMETER = /^(threads|workers|jobs|j|nthreads|num_threads|procs|processes)$/i;

/// An unmapped command: its own series, named by the command with hyperfine's parameter values put back as
/// {name}; a parameter named like a thread count becomes the workers, the others params.
function externalCommand(command, parameters, path) {
  let label = command;
  let workers = 1;
  const params = {};
  for (const [key, text] of Object.entries(parameters)) {
    if (typeof text !== 'string' || text === '') continue;
    const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    label = label.replace(new RegExp(`(?<![\\w.])${escaped}(?![\\w.])`, 'g'), `{${key}}`);
    if (THREAD_PARAMETER.test(key) && /^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= 256) workers = Number(text);
    else if (KEY.test(key) && !UNSAFE.includes(key)) params[key] = paramValue(text);
    else throw new FormatProblem(`${path}.parameters`, `has a parameter named ${describe(key)}; names are letters, digits and _`);
  }
  return { workload: `hyperfine: ${label.slice(0, 3000)}`, params, mode: EXTERNAL_MODE, workers };
}

/// The runs of one hyperfine result: one per measured time (exit code non-zero: a failed run).
function hyperfineRuns(mapped, times, exitCodes) {
  return times.map((seconds, k) => {
    const code = exitCodes?.[k];
    const error = Number.isInteger(code) && code !== 0 ? `hyperfine: the command exited with code ${code}` : null;
    return makeRun({ ...mapped, wall_s: error ? null : seconds, error });
  });
}

function checkTimes(list, path) {
  if (!Array.isArray(list)) throw new FormatProblem(path, `must be an array of seconds (found ${describe(list)})`);
  if (list.length > 10_000) throw new FormatProblem(path, `has ${list.length} items; the limit is 10000`);
  return list.map((t, k) => {
    if (typeof t !== 'number' || !Number.isFinite(t) || t <= 0 || t > 1e7) throw new FormatProblem(`${path}[${k}]`, `must be a number of seconds above 0 and at most 10000000 (found ${describe(t)})`);
    return t;
  });
}

/// hyperfine 1.x: each result's `times` (else its median, else mean) become runs; `exit_codes` mark failures.
export function fromHyperfine1(data, { maxRuns = 10_000 } = {}) {
  const results = needArray(data.results, 'results', { max: maxRuns });
  const runs = [];
  results.forEach((r, k) => {
    const path = `results[${k}]`;
    needObject(r, path);
    const command = needString(r.command, `${path}.command`);
    const parameters = r.parameters == null ? {} : needObject(r.parameters, `${path}.parameters`);
    const mapped = parseParlabCommand(command) ?? externalCommand(command, parameters, path);
    let times;
    if (r.times != null) times = checkTimes(r.times, `${path}.times`);
    else {
      const single = optionalNumber(r.median, `${path}.median`) ?? optionalNumber(r.mean, `${path}.mean`);
      if (single === null) throw new FormatProblem(path, 'has neither times nor median nor mean');
      times = checkTimes([single], `${path}.median`);
    }
    if (times.length === 0) throw new FormatProblem(`${path}.times`, 'is empty');
    const codes = r.exit_codes == null ? null : r.exit_codes;
    if (codes !== null && (!Array.isArray(codes) || codes.length !== times.length)) {
      throw new FormatProblem(`${path}.exit_codes`, `must be an array as long as times (${times.length}) (found ${describe(codes)})`);
    }
    runs.push(...hyperfineRuns(mapped, times, codes));
    if (runs.length > maxRuns) throw new FormatProblem('results', `make more than ${maxRuns} runs, the limit`);
  });
  return {
    file: {
      schema_version: 1, generator: 'hyperfine 1.x (--export-json; whole-process times)', created: '',
      environment: { target: 'native', os: null, cpu_model: null, logical_cpus: null, compiler: null, user_agent: null, cross_origin_isolated: null },
      runs,
    },
    notes: [],
  };
}

const SECONDS_PER = { second: 1, s: 1, millisecond: 1e-3, ms: 1e-3, microsecond: 1e-6, us: 1e-6, nanosecond: 1e-9, ns: 1e-9 };

/// A {value, unit} quantity in seconds.
function quantitySeconds(q, path) {
  needObject(q, path);
  const unit = q.unit ?? 'second';
  if (!has(SECONDS_PER, unit)) throw new FormatProblem(`${path}.unit`, `must be a time unit such as "second" (found ${describe(unit)})`);
  if (typeof q.value !== 'number' || !Number.isFinite(q.value)) throw new FormatProblem(`${path}.value`, `must be a number (found ${describe(q.value)})`);
  return q.value * SECONDS_PER[unit];
}

/// hyperfine 2.x (schema_version 2): each measurement's time_wall_clock becomes a run (its exit_code non-zero:
/// a failed run); without measurements, summary.time_wall_clock's median.
export function fromHyperfine2(data, { maxRuns = 10_000 } = {}) {
  const results = needArray(data.results, 'results', { max: maxRuns });
  const metadata = data.metadata == null ? {} : needObject(data.metadata, 'metadata');
  const runs = [];
  results.forEach((r, k) => {
    const path = `results[${k}]`;
    needObject(r, path);
    const command = needString(r.command, `${path}.command`);
    const parameters = {};
    if (r.parameters != null) {
      for (const [key, p] of Object.entries(needObject(r.parameters, `${path}.parameters`))) {
        parameters[key] = isObject(p) ? String(p.value ?? '') : String(p ?? '');
      }
    }
    const mapped = parseParlabCommand(command) ?? externalCommand(command, parameters, path);
    let times;
    let codes = null;
    if (r.measurements != null) {
      if (!Array.isArray(r.measurements)) throw new FormatProblem(`${path}.measurements`, `must be an array (found ${describe(r.measurements)})`);
      times = checkTimes(r.measurements.map((m, j) => quantitySeconds(needObject(m, `${path}.measurements[${j}]`).time_wall_clock, `${path}.measurements[${j}].time_wall_clock`)), `${path}.measurements`);
      codes = r.measurements.map((m) => m.exit_code);
    } else {
      const summary = needObject(needObject(r.summary, `${path}.summary`).time_wall_clock, `${path}.summary.time_wall_clock`);
      const unit = SECONDS_PER[summary.unit ?? 'second'];
      if (!unit) throw new FormatProblem(`${path}.summary.time_wall_clock.unit`, `must be a time unit such as "second" (found ${describe(summary.unit)})`);
      times = checkTimes([summary.median * unit], `${path}.summary.time_wall_clock.median`);
    }
    if (times.length === 0) throw new FormatProblem(`${path}.measurements`, 'is empty');
    runs.push(...hyperfineRuns(mapped, times, codes));
    if (runs.length > maxRuns) throw new FormatProblem('results', `make more than ${maxRuns} runs, the limit`);
  });
  const platform = isObject(metadata.platform) ? metadata.platform : {};
  const os = [platform.os, platform.architecture].filter((s) => typeof s === 'string' && s).join(' ').slice(0, 200) || null;
  const version = typeof metadata.hyperfine_version === 'string' ? metadata.hyperfine_version.slice(0, 40) : '2.x';
  return {
    file: {
      schema_version: 1, generator: `hyperfine ${version} (--export-json schema_version 2; whole-process times)`,
      created: typeof metadata.start_time === 'string' ? metadata.start_time.slice(0, 64) : '',
      environment: { target: 'native', os, cpu_model: null, logical_cpus: null, compiler: null, user_agent: null, cross_origin_isolated: null },
      runs,
    },
    notes: [],
  };
}

/// Converts a detected foreign format into {file, notes}; throws FormatProblem naming the field.
export function convertForeign(data, format, options = {}) {
  if (format === 'google-benchmark') return fromGoogleBenchmark(data, options);
  if (format === 'hyperfine-1') return fromHyperfine1(data, options);
  if (format === 'hyperfine-2') return fromHyperfine2(data, options);
  throw new FormatProblem('', `no converter for ${format}`);
}
