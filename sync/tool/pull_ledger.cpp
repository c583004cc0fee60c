#include "sync/tool/pull_ledger.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <optional>
#include <sstream>

#include "core/common/atomic_file.h"
#include "sync/tool/tool.h"

namespace signpost::tool {

namespace {

std::vector<std::string_view> splitSpaces(std::string_view line) {
    std::vector<std::string_view> words;
    while (!line.empty()) {
        const std::size_t space = line.find(' ');
        words.push_back(line.substr(0, space));
        if (space == std::string_view::npos) {
            break;
        }
        line.remove_prefix(space + 1);
    }
    return words;
}

template <class T>
bool parseNumber(std::string_view text, T& value) {
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return !text.empty() && error == std::errc() && end == text.data() + text.size() && value >= 0;
}

bool plainWord(std::string_view text) {
    if (text.empty() || text.size() > 200) {
        return false;
    }
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u >= 0x7F) {
            return false;
        }
    }
    return true;
}

void writeAll(int fd, const std::filesystem::path& file, std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            throw FileError(file, "cannot write", n < 0 ? errno : EIO);
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

}  // namespace

PullLedger::PullLedger(std::filesystem::path file) : m_file(std::move(file)) {
    std::error_code error;
    m_existed = std::filesystem::exists(m_file, error);
    m_fd = ::open(m_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (m_fd < 0) {
        throw FileError(m_file, "cannot open the pull ledger", errno);
    }
    if (!m_existed) {
        syncDirectory(m_file.parent_path());
    }
    load();
}

PullLedger::~PullLedger() {
    if (m_fd >= 0) {
        ::close(m_fd);
    }
}

char PullLedger::kindOf(const std::string& id) const {
    const auto found = m_kinds.find(id);
    return found == m_kinds.end() ? 0 : found->second;
}

void PullLedger::remember(const LedgerBatch& batch) {
    for (const auto& [kind, id] : batch.entries) {
        if (kind != 'R') {
            m_kinds.emplace(id, kind);
        }
    }
}

void PullLedger::load() {
    const std::string text = readFile(m_file);
    // Only what ends with a complete "end" line is a batch; anything after the last one is the
    // tail of a run killed while appending, and goes.
    std::size_t complete = 0;
    for (std::size_t at = text.rfind("\nend "); at != std::string::npos;) {
        const std::size_t eol = text.find('\n', at + 1);
        if (eol != std::string::npos) {
            complete = eol + 1;
            break;
        }
        at = at == 0 ? std::string::npos : text.rfind("\nend ", at - 1);
    }
    const auto damaged = [&](const std::string& problem) {
        return ToolError("the pull ledger " + m_file.string() + " is damaged (" + problem +
                         "); it records which referrals this directory already holds, so the "
                         "pull stops rather than risk writing one twice");
    };
    std::size_t position = 0;
    std::optional<LedgerBatch> open;
    while (position < complete) {
        const std::size_t eol = text.find('\n', position);
        const std::string_view line(text.data() + position, eol - position);
        const std::vector<std::string_view> words = splitSpaces(line);
        if (!open) {
            LedgerBatch batch;
            std::size_t number = 0;
            if (words.size() != 7 || words[0] != "batch" || !parseNumber(words[1], number) ||
                number != m_batches.size() || !parseNumber(words[2], batch.epoch) ||
                batch.epoch < 1 || !plainWord(words[3]) || !parseNumber(words[4], batch.from) ||
                !parseNumber(words[5], batch.to) || !plainWord(words[6])) {
                throw damaged("line " + std::string(line.substr(0, 60)) + " is not a batch header");
            }
            batch.generation = words[3] == "-" ? "" : std::string(words[3]);
            batch.file = words[6] == "-" ? "" : std::string(words[6]);
            batch.offset = position;
            open = std::move(batch);
        } else if (words.size() == 3 && words[0] == "end") {
            std::size_t number = 0;
            std::size_t count = 0;
            if (!parseNumber(words[1], number) || number != m_batches.size() ||
                !parseNumber(words[2], count) || count != open->entries.size()) {
                throw damaged("batch " + std::to_string(m_batches.size()) + " does not add up");
            }
            remember(*open);
            m_batches.push_back(std::move(*open));
            open.reset();
        } else if (words.size() == 2 && words[0].size() == 1 &&
                   std::string_view("WTRL").find(words[0][0]) != std::string_view::npos &&
                   plainWord(words[1])) {
            open->entries.emplace_back(words[0][0], std::string(words[1]));
        } else {
            throw damaged("line " + std::string(line.substr(0, 60)) + " is not an entry");
        }
        position = eol + 1;
    }
    m_size = complete;
    if (text.size() > complete) {
        if (::ftruncate(m_fd, static_cast<off_t>(complete)) != 0 || ::fsync(m_fd) != 0) {
            throw FileError(m_file, "cannot cut off an unfinished batch", errno);
        }
    }
}

void PullLedger::append(LedgerBatch batch) {
    std::ostringstream out;
    const std::size_t number = m_batches.size();
    out << "batch " << number << " " << batch.epoch << " "
        << (batch.generation.empty() ? "-" : batch.generation) << " " << batch.from << " "
        << batch.to << " " << (batch.file.empty() ? "-" : batch.file) << "\n";
    for (const auto& [kind, id] : batch.entries) {
        out << kind << " " << id << "\n";
    }
    out << "end " << number << " " << batch.entries.size() << "\n";
    const std::string bytes = out.str();
    if (::lseek(m_fd, static_cast<off_t>(m_size), SEEK_SET) < 0) {
        throw FileError(m_file, "cannot seek", errno);
    }
    writeAll(m_fd, m_file, bytes);
    if (::fsync(m_fd) != 0) {
        throw FileError(m_file, "cannot fsync", errno);
    }
    batch.offset = m_size;
    m_size += bytes.size();
    remember(batch);
    m_batches.push_back(std::move(batch));
}

void PullLedger::truncate(std::size_t batches) {
    if (batches >= m_batches.size()) {
        return;
    }
    const std::uint64_t size = m_batches[batches].offset;
    if (::ftruncate(m_fd, static_cast<off_t>(size)) != 0 || ::fsync(m_fd) != 0) {
        throw FileError(m_file, "cannot drop unfinished batches", errno);
    }
    m_batches.resize(batches);
    m_size = size;
    m_kinds.clear();
    for (const LedgerBatch& batch : m_batches) {
        remember(batch);
    }
}

}  // namespace signpost::tool
