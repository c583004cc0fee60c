// Signpost — the ids a pull directory has handled: `.signpost-pull-ids`, an append-only ledger.
//
// Two promises rest on it (issue 9):
//   - After a server restore, `signpost pull` reads the new generation from its start; it writes
//     only ids the ledger does not hold, so a referral is never written twice.
//   - An id is acknowledged only if it is in a referrals file this directory wrote (or is a
//     test referral --skip-tests left out on purpose). Acknowledgements a killed run still owes
//     are taken from the ledger, never by reading the server again (where another key, say,
//     could make readable an item that was never written).
//
// The file is text, one batch per run that had something to acknowledge, fsynced when appended:
//   batch <n> <epoch> <generation or -> <from> <to> <referrals file name or ->
//   W <id>   written to that referrals file
//   T <id>   a test referral left out by --skip-tests (acknowledged, never written)
//   R <id>   met again after a restore and already written (or skipped) by an earlier batch:
//            acknowledged again, not written
//   L <id>   handled by a pull before this ledger existed: never written again, never
//            acknowledged from here
//   end <n> <number of entries>
// A batch is only trusted once its end line is there; a torn tail (a run killed while
// appending) is cut off when the ledger is opened. Whether a complete batch counts is the
// caller's decision (pull_verb.cpp: the state file's ledger_batches, or its referrals file
// existing): truncate() drops the ones that do not.
//
// Thread-safety: one thread. Errors: FileError (core/common/atomic_file.h) for file system
// failures, ToolError for a damaged ledger.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace signpost::tool {

inline constexpr const char* kPullLedgerFileName = ".signpost-pull-ids";

struct LedgerBatch {
    int epoch = 1;           // which generation of the server, as this directory counts them
    std::string generation;  // the server's generation id; "" = unknown (an older server)
    std::int64_t from = 0;   // the run's first and last cursor
    std::int64_t to = 0;
    std::string file;  // the referrals file written with it; "" = none
    std::vector<std::pair<char, std::string>> entries;  // kind ('W', 'T', 'R', 'L'), id
    std::uint64_t offset = 0;  // where it starts in the file (set by PullLedger)
};

class PullLedger {
public:
    // Opens (creating it empty when missing, mode 0600) and reads the ledger, cutting off an
    // incomplete last batch. Throws ToolError when a complete batch is malformed.
    explicit PullLedger(std::filesystem::path file);
    ~PullLedger();
    PullLedger(const PullLedger&) = delete;
    PullLedger& operator=(const PullLedger&) = delete;

    bool existedBefore() const noexcept { return m_existed; }
    std::size_t batchCount() const noexcept { return m_batches.size(); }
    const LedgerBatch& batch(std::size_t index) const { return m_batches.at(index); }
    // 'W', 'T' or 'L' when an earlier batch holds `id`; 0 when it is new.
    char kindOf(const std::string& id) const;

    // Appends a batch and fsyncs; afterwards kindOf() knows its W, T and L ids. Throws FileError.
    void append(LedgerBatch batch);
    // Drops every batch from index `batches` on (their ids are forgotten) and fsyncs.
    void truncate(std::size_t batches);

private:
    void load();
    void remember(const LedgerBatch& batch);

    std::filesystem::path m_file;
    int m_fd = -1;
    bool m_existed = false;
    std::uint64_t m_size = 0;
    std::vector<LedgerBatch> m_batches;
    std::unordered_map<std::string, char> m_kinds;
};

}  // namespace signpost::tool
