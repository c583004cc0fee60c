// Signpost — the moving parts of `signpost pull`: reading one pulled item (verify, open, parse,
// format), a small worker pool to do that on every core, and a page fetcher that downloads the
// next page while the current one is processed.
//
// Why both: per item, Ed25519 verification and the X25519 sealed-box open each cost tens of
// microseconds, and the server needs time to read and serialise each page. Fetching ahead and
// spreading items over the cores keeps the network, the server and the CPU busy at once.
//
// Thread-safety: readPulledItem is thread-safe (the key pair is immutable). WorkerPool::run and
// PageFetcher::next are for the one thread that owns the object.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/referral/sealing.h"
#include "sync/protocol/wire.h"
#include "sync/tool/pull_client.h"
#include "sync/tool/pull_format.h"

namespace signpost::tool {

// What reading one item gave.
struct ItemOutcome {
    enum class Kind {
        Record,       // readable; `text` holds its formatted record (when formatting was asked)
        SkippedTest,  // readable, a test referral, and --skip-tests was given
        Failed,       // unreadable; `failure` says why
    };
    Kind kind = Kind::Failed;
    bool test = false;
    SecureString text;
    PullFailure failure;
};

struct ItemOptions {
    PullFormat format = PullFormat::Csv;
    bool formatRecord = true;  // false: only classify (used when catching up acknowledgements)
    bool skipTests = false;
};

// Verifies the device signature over the envelope (signature first: it covers the sealed bytes,
// so an altered item is named as altered), opens the sealed box, parses the referral, checks
// that the sealed referral's id is the envelope's, and formats it. The plaintext and the parsed
// resident text are wiped before returning. Never throws except std::bad_alloc.
ItemOutcome readPulledItem(const protocol::PulledSubmission& item, const CoordinatorKeyPair& key,
                           const ItemOptions& options);

// A fixed set of threads for parallel loops. `threads` counts the calling thread too, so
// WorkerPool(2) starts one extra thread. Throws std::system_error if a thread cannot start.
class WorkerPool {
public:
    explicit WorkerPool(unsigned threads);
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    unsigned threads() const noexcept { return static_cast<unsigned>(m_threads.size()) + 1; }
    // Calls task(i) for every i in [0, count), spread over the pool and the calling thread, and
    // returns when all are done. Rethrows the first exception a task threw.
    void run(std::size_t count, const std::function<void(std::size_t)>& task);

private:
    void work(const std::function<void(std::size_t)>& task);
    void loop();

    std::vector<std::thread> m_threads;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_done;
    const std::function<void(std::size_t)>* m_task = nullptr;
    std::size_t m_count = 0;
    std::size_t m_next = 0;
    std::size_t m_finished = 0;
    std::size_t m_active = 0;
    std::uint64_t m_generation = 0;
    std::exception_ptr m_error;
    bool m_stopping = false;
};

// Downloads pages of submissions on its own thread, at most `depth` pages ahead of the reader.
// Starts after `after` (a cursor in a server generation; the first page may say it restarted
// from the beginning of a newer one); stops after the last page (has_more false), once a page
// reaches `stopAt` (when given), or before a page of yet another generation (a restore while
// this run fetched).
class PageFetcher {
public:
    PageFetcher(const CoordinatorConnection& connection, protocol::PullCursor after,
                std::optional<std::int64_t> stopAt, std::size_t pageSize = protocol::kMaxPullPage,
                std::size_t depth = 2);
    ~PageFetcher();  // cancels a download in progress and joins
    PageFetcher(const PageFetcher&) = delete;
    PageFetcher& operator=(const PageFetcher&) = delete;

    // The next page; nullopt after the last one. Rethrows the fetch thread's error (ToolError).
    std::optional<protocol::SubmissionPage> next();

private:
    void loop(protocol::PullCursor after, std::optional<std::int64_t> stopAt, std::size_t pageSize);

    std::unique_ptr<CoordinatorClient> m_client;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<protocol::SubmissionPage> m_pages;
    std::size_t m_depth;
    bool m_finished = false;
    bool m_stopping = false;
    std::exception_ptr m_error;
    std::thread m_thread;
};

}  // namespace signpost::tool
