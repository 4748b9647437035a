// The imported trace in the Workbench's comparison area: Upload hands a file that looks like a Chrome trace here
// (trace-import.js's looksLikeTrace on its first 64 KiB); trace-worker.js reads it off the page's thread, and this
// module draws the bounded timeline, its wall time, its notes and its table. One trace at a time (a new one
// replaces it); it is not kept across reloads (see docs/results-format.md, "Chrome traces").
import { fillBody, MAX_TIMELINE_ROWS } from './chart-tables.js';
import { drawChart } from './charts.js';
import { displayUnit, looksLikeTrace, makeTraceConfig, traceSummary, traceTableRows } from './trace-import.js';

const WORKER_URL = new URL('./trace-worker.js', import.meta.url);
const HEAD_BYTES = 65536;
/// Row height of the trace chart (px), and room for its axes and legend.
const ROW_PX = 26;
const FRAME_PX = 110;

/// Wires the trace section (#trace-view). Returns {isTraceFile(file), showTraceFile(file)}: the first resolves to
/// whether Upload should send the file here; the second reads and draws it and resolves to {ok, message} (one line).
export function initTraceView(doc = document) {
  const $ = (id) => doc.getElementById(id);
  const els = {
    section: $('trace-view'), box: $('trace-box'), canvas: $('trace-chart'), caption: $('trace-caption'), notes: $('trace-notes'),
    body: $('trace-data'), dataNote: $('trace-data-note'), remove: $('trace-remove'), units: doc.querySelectorAll('[data-trace-unit]'),
  };
  let chart = null;
  let shown = null;

  const clear = () => {
    chart?.destroy();
    chart = null;
    shown = null;
    els.section.hidden = true;
    els.section.dataset.rows = '0';
  };
  els.remove?.addEventListener('click', clear);

  const draw = () => {
    chart?.destroy();
    chart = null;
    if (!shown) return;
    els.box.style.height = `${Math.max(200, shown.rows.length * ROW_PX + FRAME_PX)}px`;
    try {
      chart = drawChart(els.canvas, makeTraceConfig(shown));
    } catch (error) {
      chart = null;
      els.dataNote.textContent = `The chart could not be drawn (${String(error?.message).split('\n')[0]}); the table lists the slices.`;
    }
  };
  // The page's colour scheme and projector mode redraw it, as they do the other charts.
  globalThis.matchMedia?.('(prefers-color-scheme: dark)').addEventListener('change', draw);
  globalThis.addEventListener?.('parlab:displaychange', draw);

  const render = (trace) => {
    shown = trace;
    els.section.hidden = false;
    els.section.dataset.rows = String(trace.rows.length);
    els.caption.textContent = `${traceSummary(trace)} One row per process and thread (named from the trace's metadata), one bar per slice: a complete (X) event or a B/E pair; a slice nested in another is drawn narrower, over it.`;
    els.notes.replaceChildren(...trace.notes.map((line) => Object.assign(doc.createElement('li'), { textContent: `${line}.` })));
    const { unit } = displayUnit(trace);
    for (const th of els.units) th.textContent = `${th.dataset.traceUnit} ${unit}`;
    const { rows, total } = traceTableRows(trace, MAX_TIMELINE_ROWS);
    fillBody(els.body, rows, 'No slice drawn.', 7, [3, 4, 5, 6]);
    els.dataNote.textContent = total > rows.length ? `Only the first ${rows.length} of the ${total} slices drawn are listed, in start order.` : '';
    draw();
  };

  return {
    async isTraceFile(file) {
      try {
        return looksLikeTrace(await file.slice(0, HEAD_BYTES).text());
      } catch (_) {
        return false; // unreadable: the results path says so
      }
    },
    showTraceFile(file) {
      return new Promise((resolve) => {
        let worker;
        const done = (result) => {
          worker?.terminate();
          resolve(result);
        };
        try {
          worker = new Worker(WORKER_URL, { type: 'module', name: 'trace-reader' });
        } catch (error) {
          done({ ok: false, message: `the trace reader could not start (${String(error?.message).split('\n')[0]})` });
          return;
        }
        worker.onmessage = ({ data }) => {
          if (data?.type === 'trace') {
            render(data.trace);
            done({ ok: true, message: `Loaded the trace ${data.trace.name}: ${data.trace.rows.length} threads, wall time ${data.trace.wall_s.toFixed(3)} s, shown below.` });
          } else done({ ok: false, message: String(data?.message ?? 'the trace could not be read') });
        };
        worker.onerror = (event) => {
          event.preventDefault?.();
          done({ ok: false, message: `the trace reader failed (${event.message || 'it did not start'})` });
        };
        worker.postMessage({ type: 'read', file });
      });
    },
  };
}
