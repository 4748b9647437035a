// Amdahl's law: fit the serial fraction f of S(n) = 1 / (f + (1 - f) / n) to measured speed-ups.
#pragma once

#include <string>  // std::string
#include <vector>  // std::vector

namespace parlab {

/// One measured point: a worker count and the speed-up over the same mode's 1-worker time.
struct amdahl_point {
    double workers = 1;  ///< worker count, >= 1
    double speedup = 1;  ///< measured speed-up, > 0 (1 at 1 worker by definition)
};

/// The fitted curve. When ok is false, only message is meaningful.
struct amdahl_fit {
    bool ok = false;              ///< false: not enough usable points (message says why)
    std::string message;          ///< one line when !ok, e.g. "not enough points: ..."
    double serial_fraction = 0;   ///< f, clamped to [0, 1]
    double limit = 0;             ///< 1 / f: the speed-up no worker count can pass; +infinity when f == 0
    double residual = 0;          ///< root mean square of (measured - predicted speed-up) over the points
    std::vector<double> predicted;  ///< predicted speed-up at each input point, in input order
};

/// Speed-up Amdahl's law predicts for serial fraction f at `workers` workers (f in [0, 1], workers >= 1).
[[nodiscard]] double amdahl_speedup(double serial_fraction, double workers);

/// Least-squares fit of f to the points, in closed form on relative times: Amdahl's law is linear in f when
/// written as 1/S = 1/n + f (1 - 1/n), so f = sum((1 - 1/n)(1/S - 1/n)) / sum((1 - 1/n)^2), then clamped to
/// [0, 1] (the clamp of a 1-D quadratic's minimum is the constrained minimum). Needs a point at 1 worker and one
/// at more than 1; a point with workers < 1 or a speed-up that is not a positive finite number makes the fit
/// not ok ("not enough points" / "bad point"), never a crash.
[[nodiscard]] amdahl_fit fit_amdahl(const std::vector<amdahl_point>& points);

}  // namespace parlab
