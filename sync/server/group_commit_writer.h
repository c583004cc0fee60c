// Signpost server — one writer thread that commits many callers' writes in one transaction.
//
// SQLite allows one writer at a time, and with synchronous=FULL every commit waits for an fsync.
// Instead of each HTTP worker taking the write lock and paying its own fsync, workers hand their
// write to this thread: it takes every job queued so far, runs each inside its own SAVEPOINT in a
// single BEGIN IMMEDIATE transaction, commits once, and only then wakes the callers. So each
// request is still answered only after its data is durable, but 50 concurrent batches cost one
// fsync instead of 50. A job that throws is rolled back to its savepoint and its caller gets the
// exception; the other jobs in the group are unaffected. If the commit itself fails, every job in
// the group gets that error (none of their writes happened).
//
// Thread-safety: run() may be called from any number of threads. Jobs run on the writer thread
// with its connection; they must not call run() themselves.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "core/storage/database.h"

namespace signpost::server {

class GroupCommitWriter {
public:
    // Takes ownership of `db` (the only connection that writes). maxGroup bounds how many jobs
    // share one transaction.
    explicit GroupCommitWriter(Database db, std::size_t maxGroup = 512);
    ~GroupCommitWriter();  // finishes queued jobs, then joins the thread
    GroupCommitWriter(const GroupCommitWriter&) = delete;
    GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;

    // Runs `job` on the writer thread inside the next group transaction and returns after that
    // transaction committed. Rethrows what the job threw, or the commit's StorageError.
    void run(std::function<void(Database&)> job);

    // Counters for /metrics and tests.
    std::size_t commits() const;
    std::size_t jobsRun() const;
    std::size_t queued() const;  // waiting for the next group

private:
    struct Job {
        std::function<void(Database&)> work;
        std::exception_ptr error;
        bool done = false;
    };

    void loop();
    void runGroup(std::deque<std::shared_ptr<Job>>& group);

    Database m_db;
    std::size_t m_maxGroup;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;      // the writer: work arrived or stopping
    std::condition_variable m_finished;  // callers: a group finished
    std::deque<std::shared_ptr<Job>> m_queue;
    bool m_stopping = false;
    std::size_t m_commits = 0;
    std::size_t m_jobs = 0;
    std::thread m_thread;
};

}  // namespace signpost::server
