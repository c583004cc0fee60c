#include "sync/server/worker_pool.h"

#include <algorithm>
#include <exception>
#include <string>

#include "core/common/log.h"

namespace signpost::server {

WorkerPool::WorkerPool(std::size_t threads, std::size_t queueCapacity) : m_capacity(queueCapacity) {
    threads = std::max<std::size_t>(1, threads);
    m_threads.reserve(threads);
    for (std::size_t i = 0; i < threads; ++i) {
        m_threads.emplace_back([this] { run(); });
    }
}

WorkerPool::~WorkerPool() {
    stop();
}

bool WorkerPool::trySubmit(std::function<void()> job) {
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping || m_jobs.size() >= m_capacity) {
            return false;
        }
        m_jobs.push_back(std::move(job));
    }
    m_wake.notify_one();
    return true;
}

void WorkerPool::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    for (std::thread& thread : m_threads) {
        if (thread.joinable()) {
            thread.join();
        }
    }
}

std::size_t WorkerPool::queued() const {
    std::lock_guard lock(m_mutex);
    return m_jobs.size();
}

void WorkerPool::run() {
    while (true) {
        std::function<void()> job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_jobs.empty(); });
            if (m_jobs.empty()) {
                return;  // stopping, and everything queued has run
            }
            job = std::move(m_jobs.front());
            m_jobs.pop_front();
        }
        try {
            job();
        } catch (const std::exception& error) {
            logError("http", std::string("a request job failed: ") + error.what());
        } catch (...) {
            logError("http", "a request job failed");
        }
    }
}

}  // namespace signpost::server
