// A bounded queue of messages in shared memory that two processes (parent and forked child) use at once.
#pragma once

#include <pthread.h>   // pthread_mutex_*, pthread_cond_* (process-shared)
#include <sys/mman.h>  // mmap, munmap

#include <algorithm>  // std::min
#include <cerrno>     // EOWNERDEAD, ETIMEDOUT
#include <cstddef>    // std::size_t
#include <cstdint>    // std::uint64_t, std::uint8_t
#include <cstring>    // std::memcpy
#include <ctime>      // clock_gettime, timespec
#include <new>        // placement new
#include <optional>   // std::optional

#include "posix/error.hpp"

namespace parlab {

/// A ring of bytes in a MAP_SHARED mapping holding length-prefixed messages, guarded by a process-shared mutex
/// and two process-shared condition variables. Made before fork(), so parent and child map the same pages.
/// Each put copies a message in and each get copies it out, both under the mutex.
class shared_queue {
public:
    explicit shared_queue(std::size_t capacity) {
        mapped_size_ = sizeof(control) + capacity;
        void* memory = ::mmap(nullptr, mapped_size_, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (memory == MAP_FAILED) throw posix::os_error("mmap");
        control_ = new (memory) control{};
        control_->capacity = capacity;
        data_ = static_cast<std::uint8_t*>(memory) + sizeof(control);

        pthread_mutexattr_t mutex_attr;
        pthread_mutexattr_init(&mutex_attr);
        pthread_mutexattr_setpshared(&mutex_attr, PTHREAD_PROCESS_SHARED);
        // A process that dies holding the mutex must not leave the other one blocked forever.
        pthread_mutexattr_setrobust(&mutex_attr, PTHREAD_MUTEX_ROBUST);
        pthread_mutex_init(&control_->queue_mutex, &mutex_attr);
        pthread_mutexattr_destroy(&mutex_attr);

        pthread_condattr_t cond_attr;
        pthread_condattr_init(&cond_attr);
        pthread_condattr_setpshared(&cond_attr, PTHREAD_PROCESS_SHARED);
        pthread_condattr_setclock(&cond_attr, CLOCK_MONOTONIC);
        pthread_cond_init(&control_->message_available_cv, &cond_attr);
        pthread_cond_init(&control_->space_available_cv, &cond_attr);
        pthread_condattr_destroy(&cond_attr);
    }
    ~shared_queue() {
        pthread_cond_destroy(&control_->space_available_cv);
        pthread_cond_destroy(&control_->message_available_cv);
        pthread_mutex_destroy(&control_->queue_mutex);
        ::munmap(control_, mapped_size_);
    }
    shared_queue(const shared_queue&) = delete;
    shared_queue& operator=(const shared_queue&) = delete;

    /// Copies one message in, waiting while the queue is full; false if the other side is gone
    /// (peer_alive() is asked each time a wait times out).
    template <class PeerAlive>
    bool put(const std::uint8_t* data, std::size_t size, PeerAlive&& peer_alive) {
        const std::uint64_t record = sizeof(std::uint64_t) + size;
        if (!lock()) return false;
        while (control_->capacity - control_->used < record) {
            if (!wait(control_->space_available_cv, peer_alive)) return false;
        }
        std::uint64_t at = (control_->read_at + control_->used) % control_->capacity;
        const std::uint64_t length = size;
        at = copy_in(at, reinterpret_cast<const std::uint8_t*>(&length), sizeof length);
        copy_in(at, data, size);
        control_->used += record;
        pthread_cond_signal(&control_->message_available_cv);
        pthread_mutex_unlock(&control_->queue_mutex);
        return true;
    }

    /// Copies the next message out into buffer (buffer_size bytes), waiting while the queue is empty; returns its
    /// size, or nullopt once the queue is closed and empty, the other side is gone, or the message does not fit.
    template <class PeerAlive>
    std::optional<std::size_t> get(std::uint8_t* buffer, std::size_t buffer_size, PeerAlive&& peer_alive) {
        if (!lock()) return std::nullopt;
        while (control_->used == 0) {
            if (control_->closed) {
                pthread_mutex_unlock(&control_->queue_mutex);
                return std::nullopt;
            }
            if (!wait(control_->message_available_cv, peer_alive)) return std::nullopt;  // it released the mutex
        }
        std::uint64_t length = 0;
        std::uint64_t at = copy_out(control_->read_at, reinterpret_cast<std::uint8_t*>(&length), sizeof length);
        if (length > buffer_size) {
            pthread_mutex_unlock(&control_->queue_mutex);
            return std::nullopt;
        }
        copy_out(at, buffer, length);
        control_->read_at = (control_->read_at + sizeof length + length) % control_->capacity;
        control_->used -= sizeof length + length;
        pthread_cond_signal(&control_->space_available_cv);
        pthread_mutex_unlock(&control_->queue_mutex);
        return static_cast<std::size_t>(length);
    }

    /// No more puts: a get on the empty queue returns nullopt instead of waiting.
    void close() {
        if (!lock()) return;
        control_->closed = true;
        pthread_cond_broadcast(&control_->message_available_cv);
        pthread_mutex_unlock(&control_->queue_mutex);
    }

private:
    struct control {
        pthread_mutex_t queue_mutex;
        pthread_cond_t message_available_cv;
        pthread_cond_t space_available_cv;
        std::uint64_t capacity = 0;
        std::uint64_t read_at = 0;  // offset of the oldest message's length
        std::uint64_t used = 0;     // bytes of whole records (length + message) in the ring
        bool closed = false;
    };

    /// Locks the mutex; false if its owner died holding it (the queue's contents are then not to be trusted).
    bool lock() {
        const int code = pthread_mutex_lock(&control_->queue_mutex);
        if (code == EOWNERDEAD) {
            pthread_mutex_consistent(&control_->queue_mutex);
            pthread_mutex_unlock(&control_->queue_mutex);
            return false;
        }
        return code == 0;
    }

    /// Waits up to 100 ms on cv (the mutex held); false, with the mutex released, if the peer is gone.
    template <class PeerAlive>
    bool wait(pthread_cond_t& cv, PeerAlive& peer_alive) {
        timespec deadline{};
        clock_gettime(CLOCK_MONOTONIC, &deadline);
        deadline.tv_nsec += 100'000'000;
        if (deadline.tv_nsec >= 1'000'000'000) {
            deadline.tv_sec += 1;
            deadline.tv_nsec -= 1'000'000'000;
        }
        const int code = pthread_cond_timedwait(&cv, &control_->queue_mutex, &deadline);
        if (code == EOWNERDEAD) {
            pthread_mutex_consistent(&control_->queue_mutex);
            pthread_mutex_unlock(&control_->queue_mutex);
            return false;
        }
        if (code == ETIMEDOUT && !peer_alive()) {
            pthread_mutex_unlock(&control_->queue_mutex);
            return false;
        }
        return true;
    }

    std::uint64_t copy_in(std::uint64_t at, const std::uint8_t* from, std::size_t size) {
        const std::size_t first = std::min<std::size_t>(size, control_->capacity - at);
        std::memcpy(data_ + at, from, first);
        std::memcpy(data_, from + first, size - first);
        return (at + size) % control_->capacity;
    }
    std::uint64_t copy_out(std::uint64_t at, std::uint8_t* to, std::size_t size) const {
        const std::size_t first = std::min<std::size_t>(size, control_->capacity - at);
        std::memcpy(to, data_ + at, first);
        std::memcpy(to + first, data_, size - first);
        return (at + size) % control_->capacity;
    }

    control* control_ = nullptr;
    std::uint8_t* data_ = nullptr;
    std::size_t mapped_size_ = 0;
};

}  // namespace parlab
