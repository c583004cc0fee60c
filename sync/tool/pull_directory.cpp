#include "sync/tool/pull_directory.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>

#include <nlohmann/json.hpp>

#include "core/common/atomic_file.h"
#include "core/common/time_util.h"
#include "sync/tool/tool.h"

namespace signpost::tool {

namespace {

constexpr std::string_view kPrefix = "referrals-";
constexpr std::string_view kTempPrefix = ".signpost-pull-";
constexpr std::string_view kTempSuffix = ".tmp";
constexpr const char* kStateFormat = "signpost-pull-state";
constexpr int kStateVersion = 2;  // 1: before generations and the ledger (still read)
constexpr std::size_t kFlushBytes = 1 << 20;

std::string padded(std::int64_t cursor) {
    char digits[32];
    std::snprintf(digits, sizeof digits, "%012lld", static_cast<long long>(cursor));
    return digits;
}

std::optional<std::int64_t> parseCursor(std::string_view digits) {
    if (digits.empty() || digits.size() > 18) {
        return std::nullopt;
    }
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (error != std::errc() || end != digits.data() + digits.size() || value < 0) {
        return std::nullopt;
    }
    return value;
}

[[noreturn]] void throwErrno(const std::filesystem::path& path, const std::string& what) {
    throw FileError(path, what, errno);
}

}  // namespace

namespace {

std::string rangePrefix(std::int64_t from, std::int64_t to, int epoch) {
    const std::string generation = epoch > 1 ? "g" + std::to_string(epoch) + "-" : "";
    return std::string(kPrefix) + generation + padded(from) + "-" + padded(to);
}

}  // namespace

std::string outputFileName(std::int64_t from, std::int64_t to, PullFormat format, int epoch) {
    return rangePrefix(from, to, epoch) + "." + extensionOf(format);
}

std::string errorsFileName(std::int64_t from, std::int64_t to, int epoch) {
    return rangePrefix(from, to, epoch) + ".errors.csv";
}

std::optional<OutputFileName> parseOutputFileName(std::string_view name) {
    if (!name.starts_with(kPrefix)) {
        return std::nullopt;
    }
    name.remove_prefix(kPrefix.size());
    int epoch = 1;
    if (name.starts_with("g")) {
        const std::size_t dash = name.find('-');
        const std::string_view digits =
            dash == std::string_view::npos ? "" : name.substr(1, dash - 1);
        const auto [end, error] =
            std::from_chars(digits.data(), digits.data() + digits.size(), epoch);
        if (digits.empty() || digits.size() > 6 || error != std::errc() ||
            end != digits.data() + digits.size() || epoch < 2) {
            return std::nullopt;
        }
        name.remove_prefix(dash + 1);
    }
    const std::size_t dash = name.find('-');
    const std::size_t dot = name.find('.');
    if (dash == std::string_view::npos || dot == std::string_view::npos || dot < dash) {
        return std::nullopt;
    }
    const auto from = parseCursor(name.substr(0, dash));
    const auto to = parseCursor(name.substr(dash + 1, dot - dash - 1));
    if (!from || !to || *from > *to) {
        return std::nullopt;
    }
    OutputFileName parsed;
    parsed.epoch = epoch;
    parsed.from = *from;
    parsed.to = *to;
    const std::string_view extension = name.substr(dot + 1);
    if (extension == "errors.csv") {
        parsed.errors = true;
        return parsed;
    }
    const auto format = parsePullFormat(extension);
    if (!format) {
        return std::nullopt;
    }
    parsed.format = *format;
    return parsed;
}

PullDirectory::PullDirectory(std::filesystem::path dir) : m_dir(std::move(dir)) {
    std::error_code error;
    if (!std::filesystem::exists(m_dir, error)) {
        std::filesystem::create_directories(m_dir, error);
        if (error) {
            throw ToolError("cannot create the output directory " + m_dir.string() + ": " +
                            error.message());
        }
        // The files in it hold residents' personal data.
        std::filesystem::permissions(m_dir, std::filesystem::perms::owner_all,
                                     std::filesystem::perm_options::replace, error);
    } else if (!std::filesystem::is_directory(m_dir, error)) {
        throw ToolError(m_dir.string() + " is not a directory");
    }
    const std::filesystem::path lockPath = m_dir / kPullLockFileName;
    m_lockFd = ::open(lockPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (m_lockFd < 0) {
        throw ToolError("cannot open " + lockPath.string() + ": " + std::strerror(errno));
    }
    if (::flock(m_lockFd, LOCK_EX | LOCK_NB) != 0) {
        const int saved = errno;
        ::close(m_lockFd);
        m_lockFd = -1;
        if (saved == EWOULDBLOCK) {
            throw ToolError("another signpost pull is already writing to " + m_dir.string() +
                            "; wait for it to finish");
        }
        throw ToolError("cannot lock " + lockPath.string() + ": " + std::strerror(saved));
    }
}

PullDirectory::~PullDirectory() {
    if (m_lockFd >= 0) {
        ::close(m_lockFd);  // releases the flock
    }
}

PullState PullDirectory::loadState() const {
    const std::filesystem::path file = m_dir / kPullStateFileName;
    std::error_code error;
    if (!std::filesystem::exists(file, error)) {
        return {};
    }
    std::string text;
    try {
        text = readFile(file);
    } catch (const FileError& failure) {
        throw ToolError(std::string("cannot read the pull state: ") + failure.what());
    }
    const auto damaged = [&](const std::string& problem) {
        return ToolError("the pull state " + file.string() + " is damaged (" + problem +
                         "); move it aside and run again (the output files' names say how far "
                         "earlier pulls got)");
    };
    const nlohmann::json document = nlohmann::json::parse(text, nullptr, false);
    if (document.is_discarded() || !document.is_object()) {
        throw damaged("not a JSON object");
    }
    const auto format = document.find("format");
    if (format == document.end() || !format->is_string() ||
        format->get_ref<const std::string&>() != kStateFormat) {
        throw damaged("not a signpost pull state file");
    }
    const auto version = document.find("version");
    if (version == document.end() || !version->is_number_integer() ||
        (version->get<std::int64_t>() != kStateVersion && version->get<std::int64_t>() != 1)) {
        throw damaged("unknown version");
    }
    PullState state;
    const auto readCursor = [&](const char* name) {
        const auto it = document.find(name);
        if (it == document.end() || !it->is_number_integer() || it->get<std::int64_t>() < 0) {
            throw damaged(std::string(name) + " is not a cursor");
        }
        return it->get<std::int64_t>();
    };
    state.cursor = readCursor("cursor");
    const auto server = document.find("server");
    if (server != document.end() && server->is_string()) {
        state.server = server->get<std::string>();
    }
    if (version->get<int>() == 1) {
        state.legacy = true;
        state.legacyAckedThrough = readCursor("acked_through");
        if (state.legacyAckedThrough > state.cursor) {
            throw damaged("acked_through is past cursor");
        }
        return state;
    }
    const auto generation = document.find("generation");
    if (generation == document.end() || !generation->is_string() ||
        generation->get_ref<const std::string&>().size() > 32) {
        throw damaged("generation is not a generation id");
    }
    state.generation = generation->get<std::string>();
    const auto count = [&](const char* name, std::int64_t least) {
        const auto it = document.find(name);
        if (it == document.end() || !it->is_number_integer() || it->get<std::int64_t>() < least) {
            throw damaged(std::string(name) + " is not a count");
        }
        return it->get<std::int64_t>();
    };
    state.epoch = static_cast<int>(count("epoch", 1));
    state.ledgerBatches = static_cast<std::size_t>(count("ledger_batches", 0));
    state.ackedBatches = static_cast<std::size_t>(count("acked_batches", 0));
    if (state.ackedBatches > state.ledgerBatches) {
        throw damaged("acked_batches is past ledger_batches");
    }
    return state;
}

void PullDirectory::saveState(const PullState& state) const {
    const nlohmann::ordered_json document{
        {"format", kStateFormat},
        {"version", kStateVersion},
        {"server", state.server},
        {"generation", state.generation},
        {"epoch", state.epoch},
        {"cursor", state.cursor},
        {"ledger_batches", state.ledgerBatches},
        {"acked_batches", state.ackedBatches},
        {"updated_at", formatIsoUtcMillis(std::chrono::system_clock::now())},
    };
    writeFileAtomically(m_dir / kPullStateFileName, document.dump(2) + "\n", 0600);
}

std::int64_t PullDirectory::highestOutputCursor(int epoch) const {
    std::int64_t highest = 0;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(m_dir, error)) {
        const auto parsed = parseOutputFileName(entry.path().filename().string());
        if (parsed && !parsed->errors && parsed->epoch == epoch && parsed->to > highest) {
            highest = parsed->to;
        }
    }
    if (error) {
        throw ToolError("cannot list " + m_dir.string() + ": " + error.message());
    }
    return highest;
}

std::size_t PullDirectory::cleanUpInterruptedRun(std::int64_t resumeCursor, int epoch) const {
    std::vector<std::filesystem::path> leftovers;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(m_dir, error)) {
        const std::string name = entry.path().filename().string();
        // Ours, and writeFileAtomically's for the state file ("." + name + ".tmp-<pid>-<hex>").
        if ((name.starts_with(kTempPrefix) && name.ends_with(kTempSuffix)) ||
            name.starts_with("." + std::string(kPullStateFileName) + ".tmp-")) {
            leftovers.push_back(entry.path());
            continue;
        }
        const auto parsed = parseOutputFileName(name);
        if (parsed && parsed->errors &&
            (parsed->epoch > epoch || (parsed->epoch == epoch && parsed->to > resumeCursor))) {
            leftovers.push_back(entry.path());
        }
    }
    if (error) {
        throw ToolError("cannot list " + m_dir.string() + ": " + error.message());
    }
    for (const auto& path : leftovers) {
        if (!std::filesystem::remove(path, error) && error) {
            throw ToolError("cannot remove " + path.string() +
                            " (left by an interrupted pull): " + error.message());
        }
    }
    if (!leftovers.empty()) {
        syncDirectory(m_dir);
    }
    return leftovers.size();
}

OutputFile::OutputFile(const std::filesystem::path& dir) : m_dir(dir) {
    static std::atomic<int> counter{0};
    m_tempPath = dir / (std::string(kTempPrefix) + std::to_string(::getpid()) + "-" +
                        std::to_string(counter++) + std::string(kTempSuffix));
    m_fd = ::open(m_tempPath.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (m_fd < 0) {
        throwErrno(m_tempPath, "cannot create");
    }
    m_buffer.reserve(kFlushBytes + (kFlushBytes >> 2));
}

OutputFile::~OutputFile() {
    wipe(m_buffer);
    if (m_fd >= 0) {
        ::close(m_fd);
    }
    if (!m_committed) {
        ::unlink(m_tempPath.c_str());
    }
}

void OutputFile::write(std::string_view bytes) {
    m_buffer.append(bytes.data(), bytes.size());
    if (m_buffer.size() >= kFlushBytes) {
        flush();
    }
}

void OutputFile::flush() {
    std::string_view rest = view(m_buffer);
    while (!rest.empty()) {
        const ssize_t n = ::write(m_fd, rest.data(), rest.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            throwErrno(m_tempPath, "cannot write");
        }
        if (n == 0) {
            errno = EIO;
            throwErrno(m_tempPath, "cannot write");
        }
        rest.remove_prefix(static_cast<std::size_t>(n));
        m_written += static_cast<std::uint64_t>(n);
    }
    // clear() keeps the capacity; overwrite what it held first.
    secureWipe(m_buffer.data(), m_buffer.size());
    m_buffer.clear();
}

void OutputFile::commit(const std::string& finalName) {
    flush();
    if (::fsync(m_fd) != 0) {
        throwErrno(m_tempPath, "cannot fsync");
    }
    const int fd = m_fd;
    m_fd = -1;
    if (::close(fd) != 0) {
        throwErrno(m_tempPath, "cannot close");
    }
    const std::filesystem::path target = m_dir / finalName;
    if (::rename(m_tempPath.c_str(), target.c_str()) != 0) {
        throwErrno(target, "cannot rename the finished file into place");
    }
    m_committed = true;
    syncDirectory(m_dir);
}

}  // namespace signpost::tool
