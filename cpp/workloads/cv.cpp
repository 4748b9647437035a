// The CV factory's two phases on top of render.hpp.
#include "cv.hpp"

#include <stdexcept>  // std::out_of_range

#include "render.hpp"

namespace parlab {

cv_workload::cv_workload(phase which, std::int64_t count, double latency_ms, std::uint64_t seed,
                         std::int64_t page_kpx)
    : phase_(which),
      count_(static_cast<std::size_t>(count)),
      latency_ms_(latency_ms),
      seed_(seed),
      page_kpx_(page_kpx) {}

double cv_workload::get_wait_seconds(std::size_t task) const {
    static_cast<void>(task);
    return phase_ == phase::gather ? latency_ms_ / 1000.0 : 0.0;
}

std::uint64_t cv_workload::compute(std::size_t task, const run_control& control) const {
    if (task >= count_) throw std::out_of_range("cv: no task " + std::to_string(task));
    control.checkpoint();
    const render::gray_image photo = render::make_photo(seed_, task);
    if (phase_ == phase::gather) return render::fnv1a64(photo.pixels.data(), photo.pixels.size());
    const render::checkpoint_fn checkpoint = [&control] { control.checkpoint(); };
    const render::gray_image page =
        render::render_page(render::get_page_size(page_kpx_), seed_, task, photo, checkpoint);
    const auto packed = render::compress(page.pixels, checkpoint);
    return render::fnv1a64(packed.data(), packed.size());
}

std::string cv_workload::describe(std::size_t task) const {
    return (phase_ == phase::gather ? "gather photo " : "render CV ") + std::to_string(task + 1);
}

std::string cv_workload::get_phase() const { return phase_ == phase::gather ? "gather" : "render"; }

namespace {

using pt = param_type;

std::int64_t count_cv_tasks(const workload_params& params) { return params.get_int("count"); }

std::unique_ptr<workload> make_cv(const workload_params& params, bool /*hold_data*/) {
    return std::make_unique<cv_workload>(
        params.get_choice("phase") == "gather" ? cv_workload::phase::gather : cv_workload::phase::render,
        params.get_int("count"), params.get_real("latency_ms"), static_cast<std::uint64_t>(params.get_int("seed")),
        params.get_int("page_kpx"));
}

}  // namespace

workload_description describe_cv() {
    return {"cv",
            {
                {"cv", "phase", pt::choice, "gather", 0, 0, {"gather", "render"}, 0, "",
                 "which phase of the CV factory job this run is: gather (one simulated photo download per CV) or "
                 "render (rasterise and compress each CV's page: CPU work)"},
                {"cv", "count", pt::integer, "10", 1, 1000, {}, 0, "", "number of CVs (documents)"},
                {"cv", "latency_ms", pt::real, "400", 0, 10'000, {}, 0, "",
                 "gather: simulated download latency of each photo, in ms (waited without using the CPU)"},
                {"cv", "seed", pt::integer, "1", 0, 4'294'967'295.0, {}, 0, "",
                 "seed of the photos and texts (both phases derive CV i's photo from it)"},
                {"cv", "page_kpx", pt::integer, "20000", 10, 50'000, {}, 0, "",
                 "render: page size in kilopixels (4x4 supersampled, then compressed); sets the CPU work per CV"},
            },
            nullptr,  // every parameter stands alone
            count_cv_tasks,
            make_cv};
}

}  // namespace parlab
