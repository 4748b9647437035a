// Amdahl fit: closed-form least squares on relative times (1/S), clamped to [0, 1]; see amdahl.hpp.
#include "amdahl.hpp"

#include <algorithm>  // std::clamp
#include <cmath>      // std::isfinite, std::sqrt
#include <limits>     // std::numeric_limits

namespace parlab {

double amdahl_speedup(double serial_fraction, double workers) {
    return 1.0 / (serial_fraction + (1.0 - serial_fraction) / workers);
}

amdahl_fit fit_amdahl(const std::vector<amdahl_point>& points) {
    amdahl_fit fit;
    bool has_one = false;
    bool has_more = false;
    for (const auto& p : points) {
        if (!std::isfinite(p.workers) || p.workers < 1 || !std::isfinite(p.speedup) || p.speedup <= 0) {
            fit.message = "bad point: workers must be >= 1 and speed-up a positive number";
            return fit;
        }
        if (p.workers == 1) has_one = true;
        else has_more = true;
    }
    if (!has_one || !has_more) {
        fit.message = "not enough points: need a run at 1 worker and one at more than 1";
        return fit;
    }
    // 1/S - 1/n = f (1 - 1/n): a line through the origin in x = 1 - 1/n; 1-worker points have x = 0.
    double sxy = 0;
    double sxx = 0;
    for (const auto& p : points) {
        const double x = 1.0 - 1.0 / p.workers;
        sxy += x * (1.0 / p.speedup - 1.0 / p.workers);
        sxx += x * x;
    }
    fit.ok = true;
    fit.serial_fraction = std::clamp(sxy / sxx, 0.0, 1.0);
    fit.limit = fit.serial_fraction > 0 ? 1.0 / fit.serial_fraction : std::numeric_limits<double>::infinity();
    double squares = 0;
    for (const auto& p : points) {
        const double predicted = amdahl_speedup(fit.serial_fraction, p.workers);
        fit.predicted.push_back(predicted);
        squares += (p.speedup - predicted) * (p.speedup - predicted);
    }
    fit.residual = std::sqrt(squares / static_cast<double>(points.size()));
    return fit;
}

}  // namespace parlab
