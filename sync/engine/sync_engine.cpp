#include "sync/engine/sync_engine.h"

#include "core/common/log.h"
#include "sync/engine/sync_worker.h"

// SyncEngine's public side: the thread and the intents staff and the UI send it. The worker
// (sync_worker.h) does the work.

namespace signpost::sync {

using namespace engine_detail;

const char* toString(SyncState state) {
    switch (state) {
        case SyncState::Stopped:
            return "stopped";
        case SyncState::NotEnrolled:
            return "not_enrolled";
        case SyncState::Idle:
            return "idle";
        case SyncState::Syncing:
            return "syncing";
        case SyncState::Offline:
            return "offline";
        case SyncState::CaptivePortal:
            return "captive_portal";
        case SyncState::Revoked:
            return "revoked";
    }
    return "stopped";
}

SyncEngine::SyncEngine(SyncEngineOptions options)
    : m_options(std::move(options)), m_status(std::make_shared<const SyncStatus>()) {}

SyncEngine::~SyncEngine() {
    stop();
}

void SyncEngine::start() {
    std::lock_guard lock(m_mutex);
    if (m_thread.joinable()) {
        return;
    }
    m_stopping = false;
    m_stopRequested = false;
    m_http = std::make_unique<HttpClient>(m_options.http);
    m_thread = std::thread([this] {
        Worker worker(*this, *m_http);
        worker.run();
        SyncStatus last = worker.status;
        last.state = SyncState::Stopped;
        last.nextAttemptAt.reset();
        ++last.generation;
        publish(last);
    });
}

void SyncEngine::stop() {
    {
        std::lock_guard lock(m_mutex);
        if (!m_thread.joinable()) {
            return;
        }
        m_stopping = true;
        m_stopRequested = true;
        if (m_http) {
            m_http->cancel();
        }
    }
    m_wake.notify_all();
    m_thread.join();
    m_http.reset();
}

bool SyncEngine::running() const {
    std::lock_guard lock(m_mutex);
    return m_thread.joinable() && !m_stopping;
}

std::shared_ptr<const SyncStatus> SyncEngine::status() const {
    std::lock_guard lock(m_mutex);
    return m_status;
}

void SyncEngine::publish(const SyncStatus& status) {
    auto snapshot = std::make_shared<const SyncStatus>(status);
    {
        std::lock_guard lock(m_mutex);
        m_status = std::move(snapshot);
    }
    if (m_options.onStatusChanged) {
        m_options.onStatusChanged();
    }
}

void SyncEngine::syncNow() {
    {
        std::lock_guard lock(m_mutex);
        m_syncNow = true;
    }
    m_wake.notify_all();
}

void SyncEngine::notifySubmission() {
    {
        std::lock_guard lock(m_mutex);
        m_submission = true;
    }
    m_wake.notify_all();
}

void SyncEngine::reportStaff(const protocol::StaffLockReport& report) {
    {
        std::lock_guard lock(m_mutex);
        if (report == m_staff) {
            return;
        }
        // Only what coordinators act on sends a heartbeat now; the rest rides the next one.
        m_staffChanged = m_staffChanged || report.lockouts != m_staff.lockouts ||
                         report.lockedUntil != m_staff.lockedUntil ||
                         report.pinSet != m_staff.pinSet;
        m_staff = report;
    }
    m_wake.notify_all();
}

std::uint64_t SyncEngine::checkServer(const std::string& serverUrl) {
    std::uint64_t ticket = 0;
    {
        std::lock_guard lock(m_mutex);
        m_checkServer = serverUrl;
        ticket = ++m_checkTicket;
        auto shown = std::make_shared<SyncStatus>(*m_status);
        shown->serverCheck = {};
        shown->serverCheck.phase = ServerCheck::Phase::InProgress;
        shown->serverCheck.ticket = ticket;
        m_status = std::move(shown);
    }
    m_wake.notify_all();
    if (m_options.onStatusChanged) {
        m_options.onStatusChanged();
    }
    return ticket;
}

void SyncEngine::releaseHeld(const std::string& heldFor) {
    {
        std::lock_guard lock(m_mutex);
        m_release = heldFor;
    }
    m_wake.notify_all();
}

std::uint64_t SyncEngine::enroll(const std::string& serverUrl, const std::string& code,
                                 const std::string& expectedPin) {
    std::uint64_t ticket = 0;
    {
        std::lock_guard lock(m_mutex);
        m_enroll = EnrollRequest{serverUrl, code, expectedPin};
        ticket = ++m_enrollTicket;
        // Show "enrolling" at once; the engine may be busy with a request for a moment.
        auto shown = std::make_shared<SyncStatus>(*m_status);
        shown->enrollPhase = EnrollPhase::InProgress;
        shown->enrollTicket = ticket;
        shown->enrollError.clear();
        shown->enrollMessage.clear();
        m_status = std::move(shown);
    }
    m_wake.notify_all();
    if (m_options.onStatusChanged) {
        m_options.onStatusChanged();
    }
    return ticket;
}

}  // namespace signpost::sync
