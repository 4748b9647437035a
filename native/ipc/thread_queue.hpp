// A bounded queue of messages between two threads of one process: std::deque under std::mutex.
#pragma once

#include <condition_variable>  // std::condition_variable
#include <cstddef>             // std::size_t
#include <cstdint>             // std::uint64_t, std::uint8_t
#include <deque>               // std::deque
#include <mutex>               // std::mutex, std::unique_lock, std::scoped_lock
#include <optional>            // std::optional
#include <vector>              // std::vector

namespace parlab {

/// std::deque of messages under one mutex, bounded in bytes like shared_queue (a message counts its size + 8).
class thread_queue {
public:
    explicit thread_queue(std::size_t capacity) : capacity_(capacity) {}

    /// Adds a message, waiting while the queue is full (an empty queue takes any message).
    void put(std::vector<std::uint8_t> message) {
        const std::size_t record = message.size() + sizeof(std::uint64_t);
        std::unique_lock lock(queue_mutex_);
        space_available_cv_.wait(lock, [&] { return messages_.empty() || bytes_ + record <= capacity_; });
        bytes_ += record;
        messages_.push_back(std::move(message));
        message_available_cv_.notify_one();
    }
    /// The oldest message, waiting while there is none; nullopt once the queue is closed and empty.
    std::optional<std::vector<std::uint8_t>> get() {
        std::unique_lock lock(queue_mutex_);
        message_available_cv_.wait(lock, [&] { return !messages_.empty() || closed_; });
        if (messages_.empty()) return std::nullopt;
        std::vector<std::uint8_t> message = std::move(messages_.front());
        messages_.pop_front();
        bytes_ -= message.size() + sizeof(std::uint64_t);
        space_available_cv_.notify_one();
        return message;
    }
    /// No more puts: get() on the empty queue returns nullopt instead of waiting.
    void close() {
        const std::scoped_lock lock(queue_mutex_);
        closed_ = true;
        message_available_cv_.notify_all();
    }

private:
    std::mutex queue_mutex_;
    std::condition_variable message_available_cv_;
    std::condition_variable space_available_cv_;
    std::deque<std::vector<std::uint8_t>> messages_;
    std::size_t bytes_ = 0;
    bool closed_ = false;
    const std::size_t capacity_;
};

}  // namespace parlab
