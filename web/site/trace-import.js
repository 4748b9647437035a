// Trace import: Chrome Trace Event JSON (an object with `traceEvents`, or a bare array of events), such as VizTracer
// writes for a Python program or Chromium records, read into a bounded timeline: one row per pid/tid named from the
// `M` metadata, one bar per complete (`X`) event and per paired `B`/`E`. The file is untrusted like every upload: the
// nesting limit as a results file (results.js) and a size limit of its own, keys that could reach a prototype dropped, only the
// keys below read, every name cleaned to one line of text. Pure functions (no DOM): trace-worker.js runs them off the
// page's thread; tests/web/trace-import.test.mjs drives them in Node.
import { JsonSyntaxError, parseJsonTolerant } from './formats.js';
import { UNSAFE_KEYS, UPLOAD_LIMITS, nestingBeyond, safeFileName } from './results.js';

/// The bounds of a trace: its size (above a results file's: Chromium writes about 25 MB for a page load and a run with
/// its default categories, and a trace is read in a worker, off the page's thread), events read, rows (pid/tid pairs)
/// and bars drawn, characters kept of a name. Nesting is a results file's limit. What is past the drawing bounds is
/// counted and said, not drawn.
export const TRACE_LIMITS = Object.freeze({
  bytes: 64 * 1024 * 1024, // file size, checked before it is read
  events: 1_000_000, // events in the file; more is refused
  rows: 64, // threads drawn; slices on further threads are counted, not drawn
  bars: 5000, // slices drawn (the longest); the others are counted, not drawn
  depths: 4, // nesting levels told apart; deeper slices are drawn as the deepest
  nameChars: 120,
});

/// The keys of an event the page reads; anything else in the file is ignored.
export const TRACE_EVENT_KEYS = Object.freeze(['ph', 'name', 'cat', 'ts', 'dur', 'pid', 'tid', 'args']);
/// The phases drawn or read: complete, begin, end, metadata. Others (instant, counter, async, flow…) are counted.
const READ_PHASES = ['X', 'B', 'E', 'M'];
/// The values of displayTimeUnit the page follows: ms shows milliseconds, us and ns microseconds (to the ns).
const DISPLAY_UNITS = ['ms', 'us', 'ns'];

export class TraceFileError extends Error {}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const has = (o, key) => Object.prototype.hasOwnProperty.call(o, key);
const isNumber = (v) => typeof v === 'number' && Number.isFinite(v);
const oneLine = (text) => String(text ?? 'unknown error').split('\n')[0].slice(0, 200);
const count = (n, word, many = `${word}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? word : many}`;

/// A name from a file fit for one line of text (control characters replaced, at most TRACE_LIMITS.nameChars); '' for
/// anything that is not a string. It is only ever shown as text (textContent, canvas), never parsed as HTML.
export function cleanTraceName(value) {
  if (typeof value !== 'string') return '';
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').trim();
  return clean.length > TRACE_LIMITS.nameChars ? `${clean.slice(0, TRACE_LIMITS.nameChars - 1)}…` : clean;
}

/// Whether a file's first characters (a 64 KiB head is enough) are a trace's: a bare array with a `ph` key (an event's
/// phase), or an object with a `traceEvents` key. Upload sends such a file to the trace view, not to the results
/// checks (which keep their own message for an array of runs).
export function looksLikeTrace(head) {
  if (typeof head !== 'string') return false;
  const body = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
  const first = /\S/.exec(body)?.[0];
  const key = (name) => new RegExp(`(?<!\\\\)"${name}"\\s*:`).test(body);
  return (first === '[' && key('ph')) || (first === '{' && key('traceEvents'));
}

/// An id (pid or tid) as the file gives it: a finite number, or a string of at most 64 characters; else null.
function idOf(value) {
  if (isNumber(value)) return value;
  if (typeof value === 'string' && value.length <= 64) return cleanTraceName(value);
  return null;
}

/// Reads a File (or any {name, size, text()}) as a trace; see parseTraceText. Throws TraceFileError naming the file.
export async function readTraceFile(file) {
  const name = safeFileName(file?.name);
  if (!(Number.isFinite(file?.size) && file.size >= 0)) throw new TraceFileError(`${name}: not a readable file`);
  if (file.size > TRACE_LIMITS.bytes) {
    throw new TraceFileError(`${name} is ${mib(file.size)}; the limit for a trace is ${mib(TRACE_LIMITS.bytes)}`);
  }
  let text;
  try {
    text = await file.text();
  } catch (error) {
    throw new TraceFileError(`${name} could not be read (${oneLine(error?.message)})`);
  }
  return parseTraceText(text, name);
}

const mib = (bytes) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/// Parses and bounds the text of a trace file: the trace (see buildTrace), or throws TraceFileError with one line
/// that names the file.
export function parseTraceText(text, name = 'the file') {
  if (typeof text !== 'string') throw new TraceFileError(`${name}: not text`);
  if (text.length > TRACE_LIMITS.bytes) throw new TraceFileError(`${name} is over ${mib(TRACE_LIMITS.bytes)}, the limit for a trace`);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const tooDeep = nestingBeyond(body, UPLOAD_LIMITS.depth);
  if (tooDeep >= 0) {
    throw new TraceFileError(`${name} nests objects or arrays more than ${UPLOAD_LIMITS.depth} deep (at character ${tooDeep})`);
  }
  let raw;
  try {
    raw = JSON.parse(body, (key, value) => (UNSAFE_KEYS.includes(key) ? undefined : value));
  } catch (error) {
    let where = oneLine(error?.message);
    try {
      parseJsonTolerant(body, { maxDepth: UPLOAD_LIMITS.depth });
    } catch (syntax) {
      if (syntax instanceof JsonSyntaxError) where = syntax.message;
    }
    throw new TraceFileError(`${name} is not valid JSON (it looks like a Chrome trace): ${oneLine(where)}`);
  }
  try {
    return buildTrace(raw, name);
  } catch (error) {
    if (error instanceof TraceFileError) throw error;
    throw new TraceFileError(`${name} (read as a Chrome trace) could not be read (${oneLine(error?.message)})`);
  }
}

const describe = (v) => {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `"${cleanTraceName(v).slice(0, 40)}"`;
  if (typeof v === 'object') return 'an object';
  return String(v).slice(0, 40);
};

/// The trace of a parsed file (an object with traceEvents, or a bare array of events), bounded:
/// {name, displayTimeUnit, wall_s, rows: [{pid, tid, label, process, thread, slices}], bars: [{row, start_s, end_s,
/// name, cat, depth}] (the longest TRACE_LIMITS.bars slices on the first TRACE_LIMITS.rows rows, in start order; times
/// in seconds since the trace's first timed event), counts: {events, slices, drawn, notDrawn, rowsNotDrawn,
/// unmatchedBegin, unmatchedEnd, skipped, otherPhases: {ph: n}}, notes: [one line each]}.
export function buildTrace(raw, name = 'the file') {
  const fail = (what) => {
    throw new TraceFileError(`${name} (read as a Chrome trace): ${what}`);
  };
  let events;
  let displayTimeUnit = 'ms';
  let unitNote = null;
  if (Array.isArray(raw)) events = raw;
  else if (isObject(raw) && has(raw, 'traceEvents')) {
    events = raw.traceEvents;
    if (!Array.isArray(events)) fail(`traceEvents must be an array of events (found ${describe(events)})`);
    if (has(raw, 'displayTimeUnit')) {
      // The format names "ms" and "ns"; VizTracer writes "us" too. Another value is said, not refused.
      if (DISPLAY_UNITS.includes(raw.displayTimeUnit)) displayTimeUnit = raw.displayTimeUnit;
      else unitNote = `displayTimeUnit ${describe(raw.displayTimeUnit)} is not one of ${DISPLAY_UNITS.join(', ')}: times are shown in ms`;
    }
  } else fail(`a trace is an object with traceEvents or an array of events (found ${describe(raw)})`);
  if (events.length === 0) fail('it holds no events');
  if (events.length > TRACE_LIMITS.events) fail(`it holds ${count(events.length, 'event')}; the limit is ${TRACE_LIMITS.events.toLocaleString('en-US')}`);

  const threads = new Map(); // JSON [pid, tid] -> {key, pid, tid, marks: [X, B and E events], slices: []}
  const processes = new Map(); // pid -> {name, sort}
  const threadMeta = new Map(); // JSON [pid, tid] -> {name, sort}
  const otherPhases = {};
  let skipped = 0;
  let unmatchedEnd = 0;
  const threadOf = (pid, tid) => {
    const key = JSON.stringify([pid, tid]);
    let t = threads.get(key);
    if (!t) threads.set(key, (t = { key, pid, tid, marks: [], slices: [] }));
    return t;
  };
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (!isObject(e) || typeof e.ph !== 'string') {
      skipped++;
      continue;
    }
    if (!READ_PHASES.includes(e.ph)) {
      const ph = cleanTraceName(e.ph).slice(0, 8) || '?';
      otherPhases[ph] = (otherPhases[ph] ?? 0) + 1;
      continue;
    }
    const pid = idOf(e.pid ?? 0);
    const tid = idOf(e.tid ?? 0);
    if (pid === null || tid === null) {
      skipped++;
      continue;
    }
    if (e.ph === 'M') {
      const args = isObject(e.args) ? e.args : {};
      const forProcess = e.name === 'process_name' || e.name === 'process_sort_index';
      const forThread = e.name === 'thread_name' || e.name === 'thread_sort_index';
      const [table, key] = forProcess ? [processes, pid] : [threadMeta, JSON.stringify([pid, tid])];
      if (!forProcess && !forThread) continue; // other metadata (process_labels, …) is not read
      if (!table.has(key)) table.set(key, {});
      const target = table.get(key);
      if (e.name.endsWith('_name') && typeof args.name === 'string') target.name = cleanTraceName(args.name);
      else if (e.name.endsWith('_sort_index') && isNumber(args.sort_index)) target.sort = args.sort_index;
      else skipped++;
      continue;
    }
    if (!isNumber(e.ts) || (e.ph === 'X' && !(isNumber(e.dur) && e.dur >= 0 && isNumber(e.ts + e.dur)))) {
      skipped++;
      continue;
    }
    // B/E are paired per thread in time order below; the index keeps the file's order for equal times.
    threadOf(pid, tid).marks.push({ ph: e.ph, ts: e.ts, dur: e.dur, name: cleanTraceName(e.name), cat: cleanTraceName(e.cat), i });
  }

  // Slices: X events as they are; B paired with the next E on its thread that closes it (a stack: E closes the
  // latest open B, as the format says). An E with nothing open, and a B never closed, are counted, not drawn.
  let unmatchedBegin = 0;
  let first = Infinity;
  let last = -Infinity;
  for (const t of threads.values()) {
    t.marks.sort((a, b) => a.ts - b.ts || a.i - b.i);
    const open = [];
    for (const m of t.marks) {
      if (m.ph === 'X') t.slices.push({ start: m.ts, end: m.ts + m.dur, name: m.name, cat: m.cat });
      else if (m.ph === 'B') open.push(m);
      else {
        const begin = open.pop();
        if (!begin) {
          unmatchedEnd++;
          continue;
        }
        t.slices.push({ start: begin.ts, end: m.ts, name: begin.name || m.name, cat: begin.cat || m.cat });
      }
    }
    unmatchedBegin += open.length;
    t.marks = null;
    for (const s of t.slices) {
      if (s.start < first) first = s.start;
      if (s.end > last) last = s.end;
    }
    nestSlices(t.slices);
  }
  const withSlices = [...threads.values()].filter((t) => t.slices.length > 0);
  const slices = withSlices.reduce((n, t) => n + t.slices.length, 0);
  if (slices === 0) {
    fail(`it holds no complete (X) event and no B/E pair to draw${unmatchedBegin + unmatchedEnd ? ` (${count(unmatchedBegin, 'B event')} never ended, ${count(unmatchedEnd, 'E event')} with no B)` : ''}`);
  }

  // Rows: by the metadata's sort indices, then pid and tid (numbers before strings).
  const order = (a, b) => (typeof a === typeof b ? (a < b ? -1 : a > b ? 1 : 0) : typeof a === 'number' ? -1 : 1);
  const sortOf = (m, fallback) => (isNumber(m?.sort) ? m.sort : fallback);
  withSlices.sort((a, b) => sortOf(processes.get(a.pid), 0) - sortOf(processes.get(b.pid), 0) || order(a.pid, b.pid)
    || sortOf(threadMeta.get(a.key), 0) - sortOf(threadMeta.get(b.key), 0) || order(a.tid, b.tid));
  const drawnThreads = withSlices.slice(0, TRACE_LIMITS.rows);
  const rows = drawnThreads.map((t) => {
    const process = processes.get(t.pid)?.name || '';
    const thread = threadMeta.get(t.key)?.name || '';
    return {
      pid: t.pid, tid: t.tid, process, thread, slices: t.slices.length,
      label: `${process || 'process'} (pid ${t.pid}) · ${thread || 'thread'} (tid ${t.tid})`,
    };
  });

  // Bars: the longest slices of the drawn rows (short ones would not show), then in start order.
  const candidates = [];
  drawnThreads.forEach((t, row) => {
    for (const s of t.slices) candidates.push({ row, start: s.start, end: s.end, name: s.name, cat: s.cat, depth: s.depth });
  });
  candidates.sort((a, b) => (b.end - b.start) - (a.end - a.start) || a.start - b.start);
  const bars = candidates.slice(0, TRACE_LIMITS.bars)
    .sort((a, b) => a.start - b.start || a.row - b.row || a.depth - b.depth)
    .map((s) => ({ row: s.row, start_s: (s.start - first) / 1e6, end_s: (s.end - first) / 1e6, name: s.name, cat: s.cat, depth: s.depth }));
  const notDrawn = slices - bars.length;
  const rowsNotDrawn = withSlices.length - drawnThreads.length;

  const notes = unitNote ? [unitNote] : [];
  if (notDrawn > 0) {
    notes.push(`${count(notDrawn, 'more event')} not drawn (the ${count(bars.length, 'longest slice')}${rowsNotDrawn ? ` of the first ${count(rows.length, 'thread')}` : ''} are)`);
  }
  if (rowsNotDrawn > 0) notes.push(`${count(rowsNotDrawn, 'more thread')} not drawn (the limit is ${TRACE_LIMITS.rows} rows)`);
  if (unmatchedBegin) notes.push(`${count(unmatchedBegin, 'B event')} never ended (not drawn)`);
  if (unmatchedEnd) notes.push(`${count(unmatchedEnd, 'E event')} had no B to close (not drawn)`);
  if (skipped) notes.push(`${count(skipped, 'event')} skipped: not an object, or a field of the wrong type`);
  const others = Object.entries(otherPhases).sort((a, b) => b[1] - a[1]);
  if (others.length) {
    notes.push(`${count(others.reduce((n, [, k]) => n + k, 0), 'event')} of phases not drawn (${others.slice(0, 6).map(([ph, k]) => `${ph}: ${k}`).join(', ')}${others.length > 6 ? ', …' : ''}); only X, B/E and M are read`);
  }
  return {
    name, displayTimeUnit, wall_s: (last - first) / 1e6, rows, bars,
    counts: { events: events.length, slices, drawn: bars.length, notDrawn, rowsNotDrawn, unmatchedBegin, unmatchedEnd, skipped, otherPhases },
    notes,
  };
}

/// Gives each slice of one thread its nesting depth (0: nothing encloses it), in place.
function nestSlices(slices) {
  slices.sort((a, b) => a.start - b.start || b.end - a.end);
  const ends = [];
  for (const s of slices) {
    while (ends.length && ends.at(-1) <= s.start) ends.pop();
    s.depth = ends.length;
    ends.push(s.end);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Drawing: a Chart.js config in the style of charts.js's makeTimelineConfig, and the rows of its table.

/// The unit the trace asks times to be shown in (displayTimeUnit): {unit, scale (per second), digits}. "us" and "ns"
/// show microseconds to three decimals (to the ns), "ms" milliseconds to three (to the µs).
export function displayUnit(trace) {
  return trace?.displayTimeUnit === 'ms' || !trace?.displayTimeUnit ? { unit: 'ms', scale: 1e3, digits: 3 } : { unit: 'µs', scale: 1e6, digits: 3 };
}

// Okabe-Ito blue and vermillion, as charts.js; deeper slices thinner and lighter, drawn over those enclosing them.
const DEPTH_COLOURS = ['#0072B2', '#56B4E9', '#009E73', '#E69F00'];

/// A row's label on the axis: its process and thread names cut to a few words each (the pid and tid kept whole),
/// so that long names ("Service: network.mojom.NetworkService") do not squeeze the bars; the table and the tooltip
/// give the whole label.
export function tickLabel(row) {
  const cut = (text, n) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);
  return `${cut(row.process || 'process', 22)} (pid ${row.pid}) · ${cut(row.thread || 'thread', 28)} (tid ${row.tid})`;
}

/// A floating-bar timeline: one row per thread (rows' labels), one bar per drawn slice, a dataset per nesting depth
/// (deeper ones narrower, drawn on top). Times in the trace's display unit since its first event.
export function makeTraceConfig(trace) {
  const { unit, scale } = displayUnit(trace);
  const labels = (trace?.rows ?? []).map((r) => r.label);
  const ticks = (trace?.rows ?? []).map(tickLabel);
  const depths = TRACE_LIMITS.depths;
  const data = Array.from({ length: depths }, () => []);
  for (const b of trace?.bars ?? []) {
    data[Math.min(b.depth, depths - 1)].push({ x: [b.start_s * scale, b.end_s * scale], y: labels[b.row], name: b.name, cat: b.cat });
  }
  const datasets = data.map((points, d) => ({
    label: d === depths - 1 ? `nested ${d}+ deep` : d === 0 ? 'slice (outermost)' : `nested ${d} deep`,
    data: points,
    backgroundColor: DEPTH_COLOURS[d],
    borderWidth: 0,
    grouped: false,
    barPercentage: 0.9 - 0.18 * d,
    categoryPercentage: 0.9,
    order: depths - d, // a lower order is drawn later: the deepest on top
  })).filter((d) => d.data.length > 0);
  return {
    type: 'bar',
    data: { labels, datasets },
    options: {
      indexAxis: 'y',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: { type: 'linear', min: 0, max: (trace?.wall_s ?? 0) * scale || undefined, title: { display: true, text: `${unit} since the trace's first event` } },
        y: { type: 'category', labels, title: { display: true, text: 'process · thread' }, ticks: { callback: (_value, index) => ticks[index] } },
      },
      plugins: {
        legend: { position: 'bottom', labels: { sort: (a, b) => a.datasetIndex - b.datasetIndex } },
        tooltip: {
          callbacks: {
            title: (items) => items[0]?.raw.name || '(unnamed)',
            label: (item) => `${item.raw.y}: ${item.raw.cat ? `${item.raw.cat}, ` : ''}${item.raw.x[0].toFixed(3)}–${item.raw.x[1].toFixed(3)} ${unit}`,
          },
        },
      },
    },
  };
}

/// Table rows of the drawn slices in start order, at most `max`: [thread, name, category, start, end, duration,
/// depth], times in the display unit. Returns {rows, total} (total: slices drawn).
export function traceTableRows(trace, max = 1000) {
  const { scale, digits } = displayUnit(trace);
  const fmt = (s) => (s * scale).toFixed(digits);
  const bars = trace?.bars ?? [];
  const rows = bars.slice(0, max).map((b) => [trace.rows[b.row]?.label ?? '', b.name || '(unnamed)', b.cat, fmt(b.start_s), fmt(b.end_s), fmt(b.end_s - b.start_s), String(b.depth)]);
  return { rows, total: bars.length };
}

/// The caption's sentence: what the trace is, its wall time, what was drawn.
export function traceSummary(trace) {
  const c = trace.counts;
  return `Trace ${trace.name}: wall time ${trace.wall_s.toFixed(3)} s (its first event's start to its last event's end), ${count(trace.rows.length, 'thread')} drawn, ${count(c.drawn, 'slice')} of ${c.slices.toLocaleString('en-US')} drawn, from ${count(c.events, 'event')}.`;
}
