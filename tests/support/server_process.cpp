#include "support/server_process.h"

#include <regex>
#include <stdexcept>
#include <thread>

#include "support/raw_client.h"
#include "support/test_support.h"

namespace signpost::test {

ServerProcess::ServerProcess(std::filesystem::path dir, std::string serverKeys,
                             std::string limitKeys)
    : m_dir(std::move(dir)) {
    std::filesystem::create_directories(m_dir);
    writeText(configFile(), "[server]\nlisten_address = \"127.0.0.1\"\nport = 0\n" + serverKeys +
                                "\n[storage]\ndata_dir = \"" + (m_dir / "data").string() +
                                "\"\n\n[limits]\n" + limitKeys);
}

ServerProcess::~ServerProcess() {
    stop();
}

void ServerProcess::start() {
    ProcessOptions options;
    options.program = builtProgram("signpost-server");
    options.args = {"serve", "--config", configFile().string()};
    options.stderrFile = m_dir / ("serve-" + std::to_string(m_runs++) + ".log");
    m_server = ChildProcess::spawn(options);
    const std::regex listening("listening on https?://127\\.0\\.0\\.1:([0-9]+)");
    std::smatch match;
    std::string text;
    waitUntil(
        [&] {
            text = m_server.stderrText();
            return std::regex_search(text, match, listening) || !m_server.running();
        },
        std::chrono::seconds(30));
    if (!std::regex_search(text, match, listening)) {
        throw std::runtime_error("signpost-server did not start: " + m_server.report());
    }
    m_port = std::stoi(match[1]);
}

void ServerProcess::stop() {
    if (m_server.valid() && m_server.running()) {
        m_server.stop();
    }
}

std::string ServerProcess::url() const {
    return "http://127.0.0.1:" + std::to_string(m_port);
}

long ServerProcess::residentKb() const {
    return test::residentKb(m_server.pid());
}

std::string ServerProcess::admin(std::vector<std::string> args) {
    args.insert(args.begin(), "admin");
    args.push_back("--config");
    args.push_back(configFile().string());
    ProcessOptions options;
    options.program = builtProgram("signpost-server");
    options.args = args;
    const std::string tag = std::to_string(m_runs++);
    options.stdoutFile = m_dir / ("admin-" + tag + ".out");
    options.stderrFile = m_dir / ("admin-" + tag + ".err");
    const ExitStatus status = runProcess(options, std::chrono::seconds(60));
    if (!status.success()) {
        throw std::runtime_error("signpost-server admin failed (" + status.describe() +
                                 "): " + readText(options.stderrFile));
    }
    std::string out = readText(options.stdoutFile);
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) {
        out.pop_back();
    }
    return out;
}

std::string ServerProcess::enrollmentCode(const std::string& venue) {
    return admin({"enrollment-code", "--venue", venue});
}

std::string ServerProcess::coordinatorToken(const std::string& name) {
    return admin({"coordinator-token", "create", "--name", name});
}

void ServerProcess::importDirectory(const std::string& json) {
    const std::filesystem::path file = m_dir / ("directory-" + std::to_string(m_runs) + ".json");
    writeText(file, json);
    admin({"import-directory", file.string()});
}

}  // namespace signpost::test
