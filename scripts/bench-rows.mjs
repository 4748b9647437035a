// Pure pieces of the performance harness (scripts/bench.mjs): medians, a browser's figures read back from the lab
// page's Export, and the table rows every browser shares (Chromium and Firefox get the same rows from the same
// code). No I/O and no clock: tests/web/bench-rows.test.mjs drives them with made-up runs.

/// The median of a non-empty list of numbers.
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/// The median of the numbers among `values` (nulls and other non-numbers left out), or null if there are none.
export function medianOfNumbers(values) {
  const numbers = values.filter((v) => typeof v === 'number');
  return numbers.length ? median(numbers) : null;
}

/// Milliseconds rounded, or '-' for null: the start-up profiles' cells.
export const ms = (v) => (v === null ? '-' : `${Math.round(v)} ms`);

/// A number with `digits` decimals, or 'n/a' for null, undefined and NaN.
export const fmt = (x, digits = 2) => (x === null || x === undefined || Number.isNaN(x) ? 'n/a' : x.toFixed(digits));

/// One table row; `met` true, false or null (nothing measured: 'n/a').
export function row(what, target, measured, met, note = '') {
  return { what, target, measured, met: met === null ? 'n/a' : met ? 'met' : 'MISSED', note };
}

/// The exported runs without each workload's first `sweepRuns` runs (the warm-up sweep), in their order.
export function afterWarmup(runs, sweepRuns) {
  const seen = new Map(); // workload -> runs seen so far
  return runs.filter((r) => {
    const k = seen.get(r.workload) ?? 0;
    seen.set(r.workload, k + 1);
    return k >= sweepRuns;
  });
}

/// Median wall_s of the exported runs of workload `w` (all its parameters), `mode` and `workers`; null if none.
export function browserMedian(runs, w, mode, workers) {
  const matching = runs.filter((r) => r.workload === w.params.workload && r.mode === mode && r.workers === workers
    && Object.entries(w.params).every(([k, v]) => k === 'workload' || r.params?.[k] === v));
  return matching.length ? median(matching.map((r) => r.wall_s)) : null;
}

/// A browser's figures per workload key: medians of sequential, threads at 1 and threads at 2 workers.
export function browserFigures(runs, workloads) {
  return Object.fromEntries(workloads.map((w) => [w.key, {
    sequential: browserMedian(runs, w, 'sequential', 1),
    threads1: browserMedian(runs, w, 'threads', 1),
    threads2: browserMedian(runs, w, 'threads', 2),
  }]));
}

/// Two-thread efficiency of {threads1, threads2} seconds: threads-1 time / threads-2 time / 2; null if either is missing.
export const threadEfficiency = (x) => (x && x.threads1 && x.threads2 ? x.threads1 / x.threads2 / 2 : null);

/// "wasm (LABEL) / native, single thread: KEY": the browser's sequential median over native's (target <= 1.25).
/// `why` is the note when nothing was measured (the browser skipped, missing or failed).
export function singleThreadRow(label, w, browserSeconds, nativeSeconds, why = '') {
  const ok = browserSeconds !== null && browserSeconds !== undefined && nativeSeconds > 0;
  const ratio = ok ? browserSeconds / nativeSeconds : null;
  return row(`wasm (${label}) / native, single thread: ${w.key}`, '<= 1.25',
    ok ? `${fmt(ratio, 3)} (${fmt(browserSeconds * 1e3, 1)} ms / ${fmt(nativeSeconds * 1e3, 1)} ms)` : 'n/a',
    ok ? ratio <= 1.25 : null, ok ? w.label : why || w.label);
}

/// "wasm (LABEL) thread efficiency / native, 2 workers": the wasm efficiency over native's (target >= 0.9, shown
/// in parentheses when `binding` is false: a figure for comparison, not a target of its own).
export function efficiencyRow(label, source, nativeEfficiency, binding = true, why = '') {
  const e = threadEfficiency(source);
  const ratio = e !== null && nativeEfficiency ? e / nativeEfficiency : null;
  return row(`wasm (${label}) thread efficiency / native, 2 workers`, binding ? '>= 0.9' : '(>= 0.9)',
    ratio === null ? 'n/a' : `${fmt(ratio, 3)} (wasm ${fmt(e, 3)}, native ${fmt(nativeEfficiency, 3)})`, ratio === null ? null : ratio >= 0.9,
    ratio === null && why ? why : 'efficiency = threads-1 time / threads-2 time / 2, chunked primes');
}

/// A navigation-to-ready row (target <= 1 s) from the cold loads' page-clock seconds (`inside`) and the driver's
/// own view of the same loads (`outside`, named by `driver`); `why` is the note when there were none.
export function readyRow(what, inside, outside, driver, why = '') {
  if (!inside?.length) return row(what, '<= 1 s', 'n/a', null, why);
  const ready = median(inside);
  return row(what, '<= 1 s', `${fmt(ready, 3)} s (${driver}'s view ${fmt(median(outside), 3)} s)`, ready <= 1,
    `median of ${inside.length} cold loads`);
}

/// Start-up of the page's processes runs in seconds: `cold` the median over runs that started every process worker
/// (warm_workers 0), `warm` over runs that reused every one (warm_workers = workers); null where there were none.
export function processStartup(runs) {
  const processes = runs.filter((r) => r.mode === 'processes' && typeof r.startup_s === 'number');
  const of = (keep) => {
    const picked = processes.filter(keep).map((r) => r.startup_s);
    return picked.length ? { seconds: median(picked), runs: picked.length } : null;
  };
  return { cold: of((r) => r.warm_workers === 0), warm: of((r) => r.warm_workers === r.workers) };
}

/// "process Web Workers start-up, warm (LABEL)": a warm run's start-up (target <= 5 ms), with the cold one beside it.
export function warmStartupRow(label, startup, why = '') {
  const what = `process Web Workers start-up, warm (${label})`;
  if (!startup?.warm) return row(what, '<= 5 ms', 'n/a', null, why || 'no processes run reused its workers');
  const cold = startup.cold ? `; cold ${fmt(startup.cold.seconds * 1e3, 1)} ms (${startup.cold.runs} run${startup.cold.runs === 1 ? '' : 's'})` : '';
  return row(what, '<= 5 ms', `${fmt(startup.warm.seconds * 1e3, 1)} ms (median of ${startup.warm.runs})${cold}`,
    startup.warm.seconds <= 0.005, 'processes runs one after another on one page; warm = every worker kept from the run before (warm_workers)');
}
