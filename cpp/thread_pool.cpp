// The thread pool's worker loop and waiting.
#include "thread_pool.hpp"

#include <utility>  // std::exchange

namespace parlab {

namespace {
thread_local std::optional<unsigned> this_worker_index;
}

thread_pool::thread_pool(unsigned thread_count) {
    const unsigned count = thread_count == 0 ? 1 : thread_count;
    threads_.reserve(count);
    for (unsigned i = 0; i < count; ++i) threads_.emplace_back([this, i] { worker_loop(i); });
}

thread_pool::~thread_pool() {
    {
        std::unique_lock lock(queue_mutex_);
        tasks_done_cv_.wait(lock, [this] { return tasks_.empty() && tasks_running_ == 0; });
        stopping_ = true;
    }
    task_available_cv_.notify_all();
    for (auto& thread : threads_) thread.join();
}

void thread_pool::submit(std::function<void()> task) {
    {
        const std::scoped_lock lock(queue_mutex_);
        tasks_.push_back(std::move(task));
    }
    task_available_cv_.notify_one();
}

void thread_pool::wait() {
    std::unique_lock lock(queue_mutex_);
    tasks_done_cv_.wait(lock, [this] { return tasks_.empty() && tasks_running_ == 0; });
    if (first_error_) std::rethrow_exception(std::exchange(first_error_, nullptr));
}

std::optional<unsigned> thread_pool::get_worker_index() { return this_worker_index; }

void thread_pool::worker_loop(unsigned index) {
    this_worker_index = index;
    while (true) {
        std::function<void()> task;
        {
            std::unique_lock lock(queue_mutex_);
            task_available_cv_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
            if (tasks_.empty()) return;  // stopping, and nothing left to run
            task = std::move(tasks_.front());
            tasks_.pop_front();
            ++tasks_running_;
        }
        std::exception_ptr error;
        try {
            task();
        } catch (...) {
            error = std::current_exception();
        }
        bool all_done = false;
        {
            const std::scoped_lock lock(queue_mutex_);
            if (error && !first_error_) first_error_ = error;
            --tasks_running_;
            all_done = tasks_.empty() && tasks_running_ == 0;
        }
        if (all_done) tasks_done_cv_.notify_all();
    }
}

}  // namespace parlab
