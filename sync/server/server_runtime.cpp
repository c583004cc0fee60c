#include "sync/server/server_runtime.h"

#include <algorithm>

#include "core/common/log.h"
#include "core/common/paths.h"

namespace signpost::server {

namespace {
// "Last seen" times reach the database at least this often.
constexpr std::chrono::seconds kActivityFlush{10};
}  // namespace

DirectorySourcesConfig directorySourcesConfig(const ServerConfig& config) {
    DirectorySourcesConfig sources;
    for (const auto& source : config.directorySources) {
        sources.sources.push_back({source.name, source.url});
    }
    sources.refresh = config.directoryRefresh;
    sources.stateDir = config.resolvedDataDir() / "feeds";
    sources.historyDepth = config.directoryHistory;
    const std::filesystem::path mapping = config.needsMapping.empty()
                                              ? defaultNeedsMappingFile()
                                              : std::filesystem::path(config.needsMapping);
    if (!config.needsMapping.empty() || std::filesystem::exists(mapping)) {
        sources.needsMapping = NeedsMapping::load(mapping);  // a broken mapping stops the start
    }
    return sources;
}

ServerRuntime::ServerRuntime(ServerConfig config) : m_config(std::move(config)) {
    validateForServing(m_config);
    const auto databasePath = m_config.databasePath();
    ensurePrivateDirectory(databasePath.parent_path());
    m_store = std::make_unique<SqliteServerStore>(databasePath);
    m_api = std::make_unique<ApiServer>(m_config, *m_store);
    if (!m_config.directorySources.empty()) {
        m_sources = std::make_unique<DirectorySources>(*m_store, directorySourcesConfig(m_config));
        m_api->setExtraMetrics([sources = m_sources.get()] { return sources->renderMetrics(); });
    }
}

ServerRuntime::~ServerRuntime() {
    stop();
}

void ServerRuntime::start() {
    m_api->start();
    {
        std::lock_guard lock(m_mutex);
        m_stopping = false;
    }
    m_maintenance = std::thread([this] { maintenanceLoop(); });
    if (m_sources) {
        m_sources->start();
    }
}

void ServerRuntime::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_sources) {
        m_sources->stop();
    }
    if (m_maintenance.joinable()) {
        m_maintenance.join();
    }
    m_api->stop();
}

std::size_t ServerRuntime::runMaintenance(SystemTime now) {
    m_api->flushDeviceActivity();
    const std::size_t purged = m_store->purgeAckedBefore(now - m_config.ackedRetention, now);
    if (purged > 0) {
        logInfo("purge", "purged " + std::to_string(purged) +
                             " acknowledged submission(s) older than " +
                             formatDuration(m_config.ackedRetention));
    }
    return purged;
}

void ServerRuntime::maintenanceLoop() {
    const auto tick = std::min<std::chrono::seconds>(kActivityFlush, m_config.purgeInterval);
    auto nextPurge = std::chrono::steady_clock::now();  // purge once at start
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        lock.unlock();
        try {
            if (std::chrono::steady_clock::now() >= nextPurge) {
                runMaintenance(std::chrono::system_clock::now());
                nextPurge = std::chrono::steady_clock::now() + m_config.purgeInterval;
            } else {
                m_api->flushDeviceActivity();
            }
        } catch (const std::exception& error) {
            // Try again next tick; the server keeps serving meanwhile.
            logError("purge", std::string("maintenance failed: ") + error.what());
        }
        lock.lock();
        m_wake.wait_for(lock, tick, [this] { return m_stopping; });
    }
}

}  // namespace signpost::server
