// Signpost test helpers — the real signpost-server executable as a child process, the one way
// tests and benchmarks start it (the attack tests, the sync tests' SyncServer in sync_world.h,
// server_attack_bench): loopback, any free port, data in a temp dir, and whatever extra keys the
// caller adds to [server] and [limits]. A restart asks for the same port again, so kiosks that
// enrolled keep their URL.
//
// Thread-safety: one thread owns a ServerProcess.
// Errors: start() and admin() throw std::runtime_error with the server's output.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

#include "support/process.h"

namespace signpost::test {

class ServerProcess {
public:
    // Writes `dir`/server.toml; nothing runs until start(). `serverKeys` and `limitKeys` are
    // TOML lines added to [server] and [limits] ("threads = 2\n").
    ServerProcess(std::filesystem::path dir, std::string serverKeys = "",
                  std::string limitKeys = "");
    ~ServerProcess();  // stops the server

    // Starts `signpost-server serve` and waits until it listens. After the first start it asks
    // for the same port, retrying for ~5 s while the old process's port is still closing.
    void start();
    // Starts it on whatever port is free (a server that moved: kiosks and tools must notice).
    void startOnAnyPort();
    void stop();  // SIGTERM and wait (a clean shutdown); no-op when not running
    void kill();  // SIGKILL and reap (a crash); no-op when not running

    int port() const noexcept { return m_port; }
    // "http://127.0.0.1:PORT" ("https://..." when tls_cert_file is set), as the server logs it.
    const std::string& url() const noexcept { return m_url; }
    pid_t pid() const noexcept { return m_server.pid(); }
    ChildProcess& process() noexcept { return m_server; }
    bool running() { return m_server.running(); }
    std::string log() const { return m_server.stderrText(); }
    long residentKb() const;  // the server's VmRSS

    // `signpost-server admin ARGS --config F`; its stdout, trimmed. Throws on failure.
    std::string admin(std::vector<std::string> args);
    std::string enrollmentCode(const std::string& venue = "Harpurhey Library");
    std::string coordinatorToken(const std::string& name);
    void importDirectory(const std::string& json);
    // `signpost-server backup --to FILE` / `restore --from FILE` (restore wants it stopped).
    void backup(const std::filesystem::path& file);
    void restore(const std::filesystem::path& file);

    std::filesystem::path configFile() const { return m_dir / "server.toml"; }
    std::filesystem::path databaseFile() const { return m_dir / "data" / "signpost-server.db"; }

private:
    void runVerb(std::vector<std::string> args);  // throws with its stderr on failure

    std::filesystem::path m_dir;
    ChildProcess m_server;
    std::string m_url;
    int m_port = 0;
    int m_runs = 0;
};

}  // namespace signpost::test
