// Simulated downloads: deterministic latencies and payloads derived from the seed and the task number.
#include "download.hpp"

#include <algorithm>  // std::max

namespace parlab {

std::uint64_t splitmix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

download_workload::download_workload(std::int64_t count, double latency_ms, double jitter_ms, std::uint64_t seed,
                                     std::int64_t work_kib)
    : count_(static_cast<std::size_t>(count)),
      latency_ms_(latency_ms),
      jitter_ms_(jitter_ms),
      seed_(seed),
      work_bytes_(static_cast<std::size_t>(work_kib) * 1024) {}

double download_workload::get_wait_seconds(std::size_t task) const {
    std::uint64_t state = seed_ ^ (0x5bd1e995ULL * (task + 1));
    const double unit = static_cast<double>(splitmix64(state) >> 11) / static_cast<double>(1ULL << 53);  // [0, 1)
    const double ms = latency_ms_ + jitter_ms_ * (2.0 * unit - 1.0);
    return std::max(0.0, ms) / 1000.0;
}

std::uint64_t download_workload::compute(std::size_t task, const run_control& control) const {
    if (task >= count_) throw std::out_of_range("download: no task " + std::to_string(task));
    std::uint64_t state = seed_ * 0x100000001b3ULL + task;
    std::uint64_t hash = 14695981039346656037ULL;
    for (std::size_t done = 0; done < work_bytes_; done += 8) {
        if ((done & 0xffff) == 0) control.checkpoint();
        const std::uint64_t word = splitmix64(state);
        for (int byte = 0; byte < 8; ++byte) {
            hash ^= (word >> (8 * byte)) & 0xffU;
            hash *= 1099511628211ULL;
        }
    }
    return hash;
}

std::string download_workload::describe(std::size_t task) const { return "download " + std::to_string(task + 1); }

namespace {

using pt = param_type;

void check_download(const workload_params& params) {
    if (params.get_real("jitter_ms") > params.get_real("latency_ms"))
        throw_out_of_range("jitter_ms", "0", "latency_ms", format_bound(params.get_real("latency_ms")),
                           format_bound(params.get_real("jitter_ms")));
}

std::int64_t count_download_tasks(const workload_params& params) { return params.get_int("count"); }

std::unique_ptr<workload> make_download(const workload_params& params, bool /*hold_data*/) {
    return std::make_unique<download_workload>(params.get_int("count"), params.get_real("latency_ms"),
                                               params.get_real("jitter_ms"),
                                               static_cast<std::uint64_t>(params.get_int("seed")),
                                               params.get_int("work_kib"));
}

}  // namespace

workload_description describe_download() {
    return {"download",
            {
                {"download", "count", pt::integer, "12", 1, 1000, {}, 0, "", "number of simulated downloads"},
                {"download", "latency_ms", pt::real, "400", 0, 10'000, {}, 0, "",
                 "simulated network latency of each download, in ms (waited without using the CPU)"},
                {"download", "jitter_ms", pt::real, "0", 0, 10'000, {}, 0, "",
                 "each latency varies by up to +/- this many ms, from a seeded generator (at most latency_ms)"},
                {"download", "seed", pt::integer, "1", 0, 4'294'967'295.0, {}, 0, "",
                 "seed of the jitter and payloads"},
                {"download", "work_kib", pt::integer, "64", 0, 16'384, {}, 0, "",
                 "KiB of payload each download checksums after its wait (the little work)"},
            },
            check_download,
            count_download_tasks,
            make_download};
}

}  // namespace parlab
