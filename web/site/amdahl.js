// Amdahl's law in the page: the same closed-form fit of the serial fraction as cpp/amdahl.cpp. Pure, no DOM.

/// Speed-up Amdahl's law predicts for serial fraction f at `workers` workers.
export function amdahlSpeedup(f, workers) {
  return 1 / (f + (1 - f) / workers);
}

/// Least-squares fit of f to [{workers, speedup}], closed form on relative times: 1/S = 1/n + f (1 - 1/n) is a
/// line through the origin in x = 1 - 1/n, so f = sum(x (1/S - 1/n)) / sum(x^2), clamped to [0, 1].
/// Returns {ok: true, f, limit (1/f, Infinity when f = 0), residual (RMS of measured - predicted speed-up),
/// predicted (per point, input order)} or {ok: false, message} when there is no point at 1 worker and one at
/// more, or a point is not a worker count >= 1 with a positive finite speed-up.
export function fitAmdahl(points) {
  const list = Array.isArray(points) ? points : [];
  let hasOne = false;
  let hasMore = false;
  for (const p of list) {
    const n = p?.workers;
    const s = p?.speedup;
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 1 || typeof s !== 'number' || !Number.isFinite(s) || s <= 0) {
      return { ok: false, message: 'bad point: workers must be >= 1 and speed-up a positive number' };
    }
    if (n === 1) hasOne = true;
    else hasMore = true;
  }
  if (!hasOne || !hasMore) return { ok: false, message: 'not enough points: need a run at 1 worker and one at more than 1' };
  let sxy = 0;
  let sxx = 0;
  for (const { workers: n, speedup: s } of list) {
    const x = 1 - 1 / n;
    sxy += x * (1 / s - 1 / n);
    sxx += x * x;
  }
  const f = Math.min(1, Math.max(0, sxy / sxx));
  const predicted = list.map((p) => amdahlSpeedup(f, p.workers));
  let squares = 0;
  list.forEach((p, i) => { squares += (p.speedup - predicted[i]) ** 2; });
  return { ok: true, f, limit: f > 0 ? 1 / f : Infinity, residual: Math.sqrt(squares / list.length), predicted };
}

/// The fit of one speed-up series ({points: [{workers, speedup}]}, speedup null without a 1-worker run).
export function fitSeries(series) {
  return fitAmdahl((series?.points ?? []).filter((p) => p.speedup != null));
}

/// "f=0.05" style text for labels: three decimals, or "<0.001" for small positive fractions.
export function formatFraction(f) {
  return f > 0 && f < 0.0005 ? '<0.001' : f.toFixed(3);
}
