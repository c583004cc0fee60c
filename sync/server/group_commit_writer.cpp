#include "sync/server/group_commit_writer.h"

namespace signpost::server {

GroupCommitWriter::GroupCommitWriter(Database db, std::size_t maxGroup)
    : m_db(std::move(db)), m_maxGroup(maxGroup == 0 ? 1 : maxGroup) {
    m_thread = std::thread([this] { loop(); });
}

GroupCommitWriter::~GroupCommitWriter() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) {
        m_thread.join();
    }
}

void GroupCommitWriter::run(std::function<void(Database&)> job) {
    auto entry = std::make_shared<Job>();
    entry->work = std::move(job);
    std::unique_lock lock(m_mutex);
    if (m_stopping) {
        throw StorageError("the database writer is shutting down", 1, 1);
    }
    m_queue.push_back(entry);
    m_wake.notify_one();
    m_finished.wait(lock, [&] { return entry->done; });
    if (entry->error) {
        std::rethrow_exception(entry->error);
    }
}

std::size_t GroupCommitWriter::commits() const {
    std::lock_guard lock(m_mutex);
    return m_commits;
}

std::size_t GroupCommitWriter::jobsRun() const {
    std::lock_guard lock(m_mutex);
    return m_jobs;
}

std::size_t GroupCommitWriter::queued() const {
    std::lock_guard lock(m_mutex);
    return m_queue.size();
}

void GroupCommitWriter::loop() {
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, [&] { return m_stopping || !m_queue.empty(); });
        if (m_queue.empty()) {
            return;  // stopping and drained
        }
        std::deque<std::shared_ptr<Job>> group;
        while (!m_queue.empty() && group.size() < m_maxGroup) {
            group.push_back(std::move(m_queue.front()));
            m_queue.pop_front();
        }
        lock.unlock();
        runGroup(group);
        lock.lock();
        ++m_commits;
        m_jobs += group.size();
        for (auto& job : group) {
            job->done = true;
        }
        m_finished.notify_all();
    }
}

void GroupCommitWriter::runGroup(std::deque<std::shared_ptr<Job>>& group) {
    try {
        Transaction transaction(m_db);
        for (auto& job : group) {
            m_db.exec("SAVEPOINT job");
            try {
                job->work(m_db);
                m_db.exec("RELEASE job");
            } catch (...) {
                job->error = std::current_exception();
                // Undo only this job's writes; the transaction stays open for the others.
                m_db.exec("ROLLBACK TO job");
                m_db.exec("RELEASE job");
            }
        }
        transaction.commit();
    } catch (...) {
        // BEGIN, a savepoint or COMMIT failed: nothing of this group was written.
        const std::exception_ptr failure = std::current_exception();
        for (auto& job : group) {
            job->error = failure;
        }
    }
}

}  // namespace signpost::server
