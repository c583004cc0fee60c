#include "sync/tool/pull_pipeline.h"

#include "sync/protocol/submission_signing.h"
#include "sync/tool/tool.h"

namespace signpost::tool {

namespace {

void wipeText(std::string& text) noexcept {
    secureWipe(text.data(), text.size());
    text.clear();
}

// DecodedReferral keeps resident text in plain std::strings; overwrite them before they are
// freed (the strings that fit in the small-string buffer live inside the object and are
// overwritten the same way).
void wipeReferral(DecodedReferral& r) noexcept {
    for (std::string* text : {&r.name, &r.phone, &r.email, &r.needsText, &r.accessNeeds}) {
        wipeText(*text);
    }
}

PullFailure failureOf(const protocol::PulledSubmission& item, const char* code,
                      std::string reason) {
    PullFailure failure;
    failure.cursor = item.cursor;
    failure.id = item.submission.id;
    failure.deviceName = item.deviceName;
    failure.deviceId = item.deviceId;
    failure.venue = item.submission.venue;
    failure.receivedAt = item.receivedAt;
    failure.reasonCode = code;
    failure.reason = std::move(reason);
    return failure;
}

}  // namespace

ItemOutcome readPulledItem(const protocol::PulledSubmission& item, const CoordinatorKeyPair& key,
                           const ItemOptions& options) {
    ItemOutcome outcome;
    if (!protocol::verifySubmission(item.submission, item.signingPublicKey)) {
        outcome.failure = failureOf(item, "bad_signature",
                                    "the device signature does not verify: the item was altered "
                                    "after the kiosk signed it, or did not come from this device");
        return outcome;
    }
    SecureBytes plaintext;
    try {
        plaintext = key.open(item.submission.sealed);
    } catch (const CryptoError&) {
        outcome.failure = failureOf(item, "not_sealed_to_this_key",
                                    "does not open with this key: sealed to another coordinator "
                                    "key (check the kiosk's coordinator_public_key)");
        return outcome;
    }
    PulledRecord record;
    record.item = &item;
    try {
        record.referral = parseReferral(view(plaintext));
    } catch (const ReferralFormatError& error) {
        // The codec's messages name fields, never their contents.
        outcome.failure =
            failureOf(item, "not_a_referral",
                      std::string("opens, but is not a valid referral: ") + error.what());
        wipe(plaintext);
        return outcome;
    }
    wipe(plaintext);
    const WipeOnExit guard([&] { wipeReferral(record.referral); });

    if (record.referral.envelope.id != item.submission.id) {
        outcome.failure = failureOf(item, "id_mismatch",
                                    "opens, but the sealed referral's id is not the item's id "
                                    "(a sealed referral copied onto another item)");
        return outcome;
    }
    record.test = record.referral.envelope.test || item.submission.test;
    outcome.test = record.test;
    if (record.test && options.skipTests) {
        outcome.kind = ItemOutcome::Kind::SkippedTest;
        return outcome;
    }
    outcome.kind = ItemOutcome::Kind::Record;
    if (options.formatRecord) {
        outcome.text.reserve(1024);
        appendRecord(options.format, record, outcome.text);
    }
    return outcome;
}

// ---- WorkerPool ------------------------------------------------------------------------------

WorkerPool::WorkerPool(unsigned threads) {
    for (unsigned i = 1; i < threads; ++i) {
        m_threads.emplace_back([this] { loop(); });
    }
}

WorkerPool::~WorkerPool() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    for (std::thread& thread : m_threads) {
        thread.join();
    }
}

void WorkerPool::work(const std::function<void(std::size_t)>& task) {
    for (;;) {
        std::size_t index = 0;
        {
            std::lock_guard lock(m_mutex);
            if (m_next >= m_count) {
                return;
            }
            index = m_next++;
        }
        try {
            task(index);
        } catch (...) {
            std::lock_guard lock(m_mutex);
            if (!m_error) {
                m_error = std::current_exception();
            }
            m_next = m_count;  // stop handing out work
        }
        std::lock_guard lock(m_mutex);
        ++m_finished;
    }
}

void WorkerPool::loop() {
    std::uint64_t seen = 0;
    for (;;) {
        const std::function<void(std::size_t)>* task = nullptr;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return m_stopping || m_generation != seen; });
            if (m_stopping) {
                return;
            }
            seen = m_generation;
            if (m_task == nullptr) {
                continue;  // woke after run() had already finished this round
            }
            task = m_task;
            ++m_active;
        }
        work(*task);
        {
            std::lock_guard lock(m_mutex);
            --m_active;
        }
        m_done.notify_all();
    }
}

void WorkerPool::run(std::size_t count, const std::function<void(std::size_t)>& task) {
    {
        std::lock_guard lock(m_mutex);
        m_task = &task;
        m_count = count;
        m_next = 0;
        m_finished = 0;
        m_error = nullptr;
        ++m_generation;
    }
    m_wake.notify_all();
    work(task);
    std::exception_ptr error;
    {
        // Every index handed out has finished, and no worker still holds `task`.
        std::unique_lock lock(m_mutex);
        m_done.wait(lock, [&] { return m_active == 0 && m_next >= m_count; });
        m_task = nullptr;
        error = m_error;
    }
    if (error) {
        std::rethrow_exception(error);
    }
}

// ---- PageFetcher -----------------------------------------------------------------------------

PageFetcher::PageFetcher(const CoordinatorConnection& connection, protocol::PullCursor after,
                         std::optional<std::int64_t> stopAt, std::size_t pageSize,
                         std::size_t depth)
    : m_client(std::make_unique<CoordinatorClient>(connection)), m_depth(depth) {
    m_thread = std::thread(
        [this, after = std::move(after), stopAt, pageSize] { loop(after, stopAt, pageSize); });
}

PageFetcher::~PageFetcher() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_client->cancel();
    m_changed.notify_all();
    m_thread.join();
}

void PageFetcher::loop(protocol::PullCursor after, std::optional<std::int64_t> stopAt,
                       std::size_t pageSize) {
    try {
        bool first = true;
        for (;;) {
            protocol::SubmissionPage page =
                m_client->fetchPage(after.generation, after.cursor, pageSize);
            if (!first && page.generation != after.generation) {
                // The server's database was restored while this run fetched: what the run has
                // is complete as far as it goes; the next run reads the new generation.
                std::lock_guard lock(m_mutex);
                m_finished = true;
                m_changed.notify_all();
                return;
            }
            const bool last =
                !page.hasMore || page.submissions.empty() || (stopAt && page.nextCursor >= *stopAt);
            const std::int64_t from = page.restarted ? 0 : after.cursor;
            if (page.nextCursor <= from && !page.submissions.empty()) {
                throw ToolError(
                    "the server's cursors went backwards; is --server a Signpost "
                    "sync server?");
            }
            after = {page.generation, page.nextCursor};
            first = false;
            std::unique_lock lock(m_mutex);
            m_changed.wait(lock, [&] { return m_stopping || m_pages.size() < m_depth; });
            if (m_stopping) {
                return;
            }
            m_pages.push_back(std::move(page));
            if (last) {
                m_finished = true;
            }
            m_changed.notify_all();
            if (last) {
                return;
            }
        }
    } catch (...) {
        std::lock_guard lock(m_mutex);
        m_error = std::current_exception();
        m_finished = true;
        m_changed.notify_all();
    }
}

std::optional<protocol::SubmissionPage> PageFetcher::next() {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return !m_pages.empty() || m_finished; });
    if (!m_pages.empty()) {
        protocol::SubmissionPage page = std::move(m_pages.front());
        m_pages.pop_front();
        m_changed.notify_all();
        return page;
    }
    if (m_error) {
        std::rethrow_exception(m_error);
    }
    return std::nullopt;
}

}  // namespace signpost::tool
