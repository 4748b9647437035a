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

}  // namespace parlab
