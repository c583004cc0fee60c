// Signpost server — a fixed set of threads running request work (SQLite, signatures) off the
// HTTP event loop, behind a bounded queue.
//
// The queue is bounded on purpose: when every worker is busy and the queue is full, trySubmit()
// says no at once and the caller answers 503 + Retry-After, instead of letting waiting work (and
// the memory it holds) grow without limit while clients time out anyway.
//
// Thread-safety: every method is safe from any thread. Jobs run on the pool's threads.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace signpost::server {

class WorkerPool {
public:
    // `threads` >= 1 workers; at most `queueCapacity` jobs wait beyond those running.
    WorkerPool(std::size_t threads, std::size_t queueCapacity);
    ~WorkerPool();  // stop()
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    // Queues `job`; false (and `job` is dropped) when the queue is full or the pool stopped.
    // A job must not throw: an exception escaping it is logged and swallowed.
    bool trySubmit(std::function<void()> job);
    // Refuses new jobs, runs every queued one, joins the threads. Safe to call twice.
    void stop();

    std::size_t queued() const;  // waiting, not yet running
    std::size_t capacity() const noexcept { return m_capacity; }

private:
    void run();

    const std::size_t m_capacity;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::function<void()>> m_jobs;
    bool m_stopping = false;
    std::vector<std::thread> m_threads;
};

}  // namespace signpost::server
