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
    if (m_port != 0) {
        const std::string config = readText(configFile());
        writeText(configFile(), std::regex_replace(config, std::regex("port = [0-9]+"),
                                                   "port = " + std::to_string(m_port)));
    }
    ProcessOptions options;
    options.program = builtProgram("signpost-server");
    options.args = {"serve", "--config", configFile().string()};
    const std::regex listening("listening on (https?://127\\.0\\.0\\.1:([0-9]+))");
    // A fresh port is free at once; on a restart the old process's port may still be closing.
    const int attempts = m_port == 0 ? 1 : 50;
    for (int attempt = 0; attempt < attempts; ++attempt) {
        options.stderrFile = m_dir / ("serve-" + std::to_string(m_runs++) + ".log");
        m_server = ChildProcess::spawn(options);
        std::smatch match;
        std::string text;
        waitUntil(
            [&] {
                text = m_server.stderrText();
                return std::regex_search(text, match, listening) || !m_server.running();
            },
            std::chrono::seconds(30));
        if (std::regex_search(text, match, listening)) {
            m_url = match[1];
            m_port = std::stoi(match[2]);
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    throw std::runtime_error("signpost-server did not start: " + m_server.report());
}

void ServerProcess::startOnAnyPort() {
    m_port = 0;
    const std::string config = readText(configFile());
    writeText(configFile(), std::regex_replace(config, std::regex("port = [0-9]+"), "port = 0"));
    start();
}

void ServerProcess::stop() {
    if (m_server.valid() && m_server.running()) {
        m_server.stop();
    }
}

void ServerProcess::kill() {
    if (m_server.valid() && m_server.running()) {
        m_server.kill();
    }
}

long ServerProcess::residentKb() const {
    return test::residentKb(m_server.pid());
}

std::string ServerProcess::admin(std::vector<std::string> args) {
    args.insert(args.begin(), "admin");
    args.push_back("--config");
    args.push_back(configFile().string());
    const ProgramRun run =
        runBuiltProgram("signpost-server", std::move(args), m_dir, {}, std::chrono::seconds(60));
    if (!run.status.success()) {
        throw std::runtime_error("signpost-server admin failed (" + run.status.describe() +
                                 "): " + run.err);
    }
    std::string out = run.out;
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

void ServerProcess::backup(const std::filesystem::path& file) {
    runVerb({"backup", "--to", file.string()});
}

void ServerProcess::restore(const std::filesystem::path& file) {
    runVerb({"restore", "--from", file.string()});
}

void ServerProcess::runVerb(std::vector<std::string> args) {
    const std::string verb = args.front();
    args.push_back("--config");
    args.push_back(configFile().string());
    const ProgramRun run = runBuiltProgram("signpost-server", std::move(args), m_dir);
    if (!run.status.success()) {
        throw std::runtime_error("signpost-server " + verb + " failed (" + run.status.describe() +
                                 "): " + run.err);
    }
}

}  // namespace signpost::test
