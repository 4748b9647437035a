// A fixed pool of std::threads taking tasks from one shared FIFO queue.
#pragma once

#include <condition_variable>  // std::condition_variable
#include <cstddef>             // std::size_t
#include <deque>               // std::deque
#include <exception>           // std::exception_ptr
#include <functional>          // std::function
#include <mutex>               // std::mutex, std::scoped_lock, std::unique_lock
#include <optional>            // std::optional
#include <thread>              // std::thread
#include <vector>              // std::vector

namespace parlab {

class thread_pool {
public:
    // ---- constructors ----

    /// Starts thread_count threads (at least 1) that wait for tasks.
    explicit thread_pool(unsigned thread_count);
    /// Waits for every submitted task to finish, then joins the threads.
    ~thread_pool();

    thread_pool(const thread_pool&) = delete;
    thread_pool& operator=(const thread_pool&) = delete;

    // ---- public members ----

    /// Queues a task; any free thread takes it, in submission order.
    void submit(std::function<void()> task);

    /// Blocks until every submitted task has finished; the first exception a task threw is rethrown here.
    void wait();

    /// Number of threads in the pool.
    [[nodiscard]] unsigned get_thread_count() const { return static_cast<unsigned>(threads_.size()); }

    /// The index (0..thread_count-1) of the pool thread calling this, or nothing outside a pool thread.
    [[nodiscard]] static std::optional<unsigned> get_worker_index();

private:
    // ---- private members ----

    void worker_loop(unsigned index);

    // ---- data ----

    std::mutex queue_mutex_;
    std::condition_variable task_available_cv_;  // signalled when a task is queued or the pool stops
    std::condition_variable tasks_done_cv_;      // signalled when the queue is empty and no task runs
    std::deque<std::function<void()>> tasks_;
    std::size_t tasks_running_ = 0;
    bool stopping_ = false;
    std::exception_ptr first_error_;
    std::vector<std::thread> threads_;
};

}  // namespace parlab
