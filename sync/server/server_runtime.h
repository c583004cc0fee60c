// Signpost server — a running server: the SQLite store, the HTTP API, the maintenance task
// (purging acked submissions after the retention, writing "last seen" times) and the directory
// feeds' refresh ([directory] sources), wired from one ServerConfig. `signpost-server serve` is
// this plus signal handling; tests run it in-process.
//
// Thread-safety: start()/stop() from one thread. The maintenance task runs on its own thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "sync/server/api_server.h"
#include "sync/server/directory_sources.h"
#include "sync/server/server_config.h"
#include "sync/server/sqlite_server_store.h"

namespace signpost::server {

// The feeds' settings from the server's config: state in <data_dir>/feeds, the needs mapping
// from [directory] needs_mapping or the default file when it exists. Throws ConfigError for a
// needs mapping that cannot be read.
DirectorySourcesConfig directorySourcesConfig(const ServerConfig& config);

class ServerRuntime {
public:
    // Checks validateForServing(), creates the data directory (mode 0700) and opens the store.
    // Throws ConfigError, FileError or StorageError.
    explicit ServerRuntime(ServerConfig config);
    ~ServerRuntime();  // stops
    ServerRuntime(const ServerRuntime&) = delete;
    ServerRuntime& operator=(const ServerRuntime&) = delete;

    // Starts the API and the maintenance thread. Throws std::runtime_error (bind, TLS files).
    void start();
    void stop();

    // One maintenance pass now: flush device activity and purge what the retention allows.
    // Returns how many submissions were purged.
    std::size_t runMaintenance(SystemTime now);

    int port() const noexcept { return m_api->port(); }
    std::string baseUrl() const { return m_api->baseUrl(); }
    const ServerConfig& config() const noexcept { return m_config; }
    SqliteServerStore& store() noexcept { return *m_store; }
    ApiServer& api() noexcept { return *m_api; }
    // The live feeds ([directory] sources); nullptr when none are configured.
    DirectorySources* directorySources() noexcept { return m_sources.get(); }

private:
    void maintenanceLoop();

    ServerConfig m_config;
    std::unique_ptr<SqliteServerStore> m_store;
    std::unique_ptr<ApiServer> m_api;
    std::unique_ptr<DirectorySources> m_sources;
    std::thread m_maintenance;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
};

}  // namespace signpost::server
