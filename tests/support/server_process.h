// Signpost test helpers — the real signpost-server executable as a child process, configured
// for an attack test or a benchmark: loopback, any free port, data in a temp dir, and whatever
// extra keys the caller adds to [server] and [limits].
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

    // Starts `signpost-server serve` and waits until it listens.
    void start();
    void stop();

    int port() const noexcept { return m_port; }
    std::string url() const;  // "http://127.0.0.1:PORT"
    pid_t pid() const noexcept { return m_server.pid(); }
    bool running() { return m_server.running(); }
    std::string log() const { return m_server.stderrText(); }
    long residentKb() const;  // the server's VmRSS

    // `signpost-server admin ARGS --config F`; its stdout, trimmed. Throws on failure.
    std::string admin(std::vector<std::string> args);
    std::string enrollmentCode(const std::string& venue = "Harpurhey Library");
    std::string coordinatorToken(const std::string& name);
    void importDirectory(const std::string& json);

    std::filesystem::path configFile() const { return m_dir / "server.toml"; }

private:
    std::filesystem::path m_dir;
    ChildProcess m_server;
    int m_port = 0;
    int m_runs = 0;
};

}  // namespace signpost::test
