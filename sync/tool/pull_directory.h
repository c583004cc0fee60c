// Signpost — the output directory of `signpost pull`: its lock, its state file, the names of its
// output files, and the crash-safe temporary files they are written through.
//
// A directory holds:
//   referrals-<from>-<to>.<csv|json|ndjson>   one per run that wrote referrals; <from> and <to>
//                                             are the first and last server cursors the run
//                                             fetched, zero-padded to 12 digits
//   referrals-<from>-<to>.errors.csv          items of that range that could not be read
//   referrals-g<N>-<from>-<to>....            the same, from the N-th generation of the
//                                             server's database this directory met (N >= 2:
//                                             cursors start again after a restore, issue 9)
//   .signpost-pull.json                       the state file (PullState)
//   .signpost-pull-ids                        the ids ledger (pull_ledger.h)
//   .signpost-pull.lock                       flock()ed by the running pull
//   .signpost-pull-<pid>-<n>.tmp              a file being written (removed when a run is killed
//                                             and the next one starts)
// Only complete files ever carry a final name: they are written to a temporary file, fsynced,
// renamed and the directory fsynced (OutputFile). The exactly-once argument is in pull_verb.cpp.
//
// Thread-safety: PullDirectory and OutputFile belong to one thread.
// Errors: file system failures throw FileError (core/common/atomic_file.h) or ToolError.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sync/tool/pull_format.h"

namespace signpost::tool {

inline constexpr const char* kPullStateFileName = ".signpost-pull.json";
inline constexpr const char* kPullLockFileName = ".signpost-pull.lock";

struct PullState {
    std::string server;             // the server URL the cursors belong to; "" = not yet known
    std::string generation;         // the server generation `cursor` counts in; "" = not known
                                    // (a new directory, a version 1 state, an older server)
    int epoch = 1;                  // how many generations this directory has met (file names)
    std::int64_t cursor = 0;        // every item with a cursor up to this one (in `generation`)
                                    // is in a complete output or errors file, or the ledger
    std::size_t ledgerBatches = 0;  // ledger batches committed (pull_ledger.h)
    std::size_t ackedBatches = 0;   // of those, the ones whose ids have all been acknowledged
    // Read from a version 1 state file (before the ledger): how far it had acknowledged.
    bool legacy = false;
    std::int64_t legacyAckedThrough = 0;
};

// What a final file name says.
struct OutputFileName {
    int epoch = 1;  // 1 when the name has no "g<N>-"
    std::int64_t from = 0;
    std::int64_t to = 0;
    bool errors = false;                  // the .errors.csv companion
    PullFormat format = PullFormat::Csv;  // when !errors
};

// "referrals-000000000001-000000000250.csv"; with epoch >= 2 "referrals-g2-0000…-0000….csv"
std::string outputFileName(std::int64_t from, std::int64_t to, PullFormat format, int epoch = 1);
// "referrals-000000000001-000000000250.errors.csv" (and "referrals-g2-…" the same way)
std::string errorsFileName(std::int64_t from, std::int64_t to, int epoch = 1);
// Parses either kind of name; nullopt for any other file.
std::optional<OutputFileName> parseOutputFileName(std::string_view name);

// The output directory, locked for one pull. The constructor creates the directory (mode 0700)
// if it is missing and takes an exclusive, non-blocking flock on its lock file: a second pull on
// the same directory fails at once with ToolError. The lock is released by the destructor, or by
// the kernel when the process dies.
class PullDirectory {
public:
    explicit PullDirectory(std::filesystem::path dir);
    ~PullDirectory();
    PullDirectory(const PullDirectory&) = delete;
    PullDirectory& operator=(const PullDirectory&) = delete;

    const std::filesystem::path& path() const noexcept { return m_dir; }

    // The state file's contents; the default state when there is none. Throws ToolError when it
    // exists but cannot be read or is damaged (it is never half-written: saveState is atomic).
    PullState loadState() const;
    // Replaces the state file atomically (temp, fsync, rename, directory fsync).
    void saveState(const PullState& state) const;

    // The highest <to> among complete referrals files (any format) of `epoch`; 0 when none.
    std::int64_t highestOutputCursor(int epoch = 1) const;
    // Removes what a killed run left: temporary files, and errors files whose range ends after
    // `resumeCursor` in `epoch`, or that belong to a later epoch (their range will be fetched and
    // reported again). Returns how many.
    std::size_t cleanUpInterruptedRun(std::int64_t resumeCursor, int epoch = 1) const;

private:
    std::filesystem::path m_dir;
    int m_lockFd = -1;
};

// A file written through a temporary name in the same directory (mode 0600: it holds personal
// data). write() buffers; commit() flushes, fsyncs, renames to the final name and fsyncs the
// directory. Destroyed without commit(), the temporary file is removed. Throws FileError with
// the errno of the failing call (ENOSPC for a full disk).
class OutputFile {
public:
    explicit OutputFile(const std::filesystem::path& dir);
    ~OutputFile();
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;

    // Appends to the file (through a buffer that is wiped after each flush).
    void write(std::string_view bytes);
    // Flushes, fsyncs, closes and renames to `finalName` in the same directory, then fsyncs the
    // directory. After it returns the file is durable under its final name.
    void commit(const std::string& finalName);
    std::uint64_t bytesWritten() const noexcept { return m_written; }
    const std::filesystem::path& temporaryPath() const noexcept { return m_tempPath; }

private:
    void flush();

    std::filesystem::path m_dir;
    std::filesystem::path m_tempPath;
    int m_fd = -1;
    SecureString m_buffer;
    std::uint64_t m_written = 0;
    bool m_committed = false;
};

}  // namespace signpost::tool
