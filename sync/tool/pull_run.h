// Signpost — the steps of one `signpost pull` run (internal to sync/tool; runPull in
// pull_verb.cpp drives them, and pull_verb.cpp's header comment argues why together they write
// every referral exactly once, even when the process is killed).
// Thread-safety: one run on one thread (fetchAndWrite uses the WorkerPool it is given).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/common/atomic_file.h"
#include "core/referral/sealing.h"
#include "sync/tool/pull_client.h"
#include "sync/tool/pull_directory.h"
#include "sync/tool/pull_ledger.h"
#include "sync/tool/pull_pipeline.h"

namespace signpost::tool::pull_run {

inline constexpr std::size_t kPageSize = protocol::kMaxPullPage;

// What the command line asked for.
struct PullSettings {
    CoordinatorConnection connection;
    std::filesystem::path out;
    PullFormat format = PullFormat::Csv;
    bool skipTests = false;
    unsigned threads = 1;
};

// Fault injection for the crash tests (tests/pull_test.cpp): with SIGNPOST_PULL_TEST_KILL_AT
// set to a point's name, the process SIGKILLs itself there, so every window of the exactly-once
// argument is exercised on purpose, not only when a random kill happens to land in it.
// Points: page-written, errors-committed, ledger-appended, referrals-committed, state-saved,
// acked-some, acked-all, catch-up-acked.
void killPoint(const char* name);

// Acks `ids` in requests of at most kMaxPullPage ids. Throws ToolError as CoordinatorClient::ack.
AckSummary ackAll(CoordinatorClient& client, const std::vector<std::string>& ids);

// "1 referral", "2 referrals".
std::string plural(std::size_t count, const char* one, const char* many);

// Turns a failure to write the output into one ToolError that says what to do.
[[noreturn]] void throwWriteFailure(const std::filesystem::path& dir, const FileError& error);

// Step 2: acknowledge the ids of ledger batches a killed run did not finish acknowledging.
void catchUpAcks(const PullLedger& ledger, PullState& state, const PullDirectory& dir,
                 CoordinatorClient& client);

// Step 1 for a directory from before the ledger (state version 1, or output files and no
// state): every id up to its cursor becomes an L entry, so none is ever written again.
void migrateLegacy(const PullSettings& settings, PullLedger& ledger, PullState& state,
                   const PullDirectory& dir);

// What steps 3 and 4 fetched and wrote.
struct RunSummary {
    std::string generation;  // the generation the run read
    int epoch = 1;
    bool restarted = false;  // the server was restored: the run read its new generation
    bool fetchedAny = false;
    std::int64_t first = 0;
    std::int64_t last = 0;
    std::size_t written = 0;
    std::size_t tests = 0;  // among written
    std::size_t skippedTests = 0;
    std::size_t metAgain = 0;  // already written by an earlier run (after a restore)
    std::vector<PullFailure> failures;
    std::vector<std::pair<char, std::string>> entries;  // for the ledger: W, T and R ids
    std::unique_ptr<OutputFile> output;                 // written, not yet committed
    std::optional<std::filesystem::path> referralsFile;
    std::optional<std::filesystem::path> errorsFile;
};

// Step 3, and the errors file of step 4: fetch, read and write everything after the state.
// The referrals file is left written but not committed (run.output). Throws ToolError.
RunSummary fetchAndWrite(const PullSettings& settings, const CoordinatorKeyPair& key,
                         WorkerPool& pool, const PullDirectory& dir, const PullLedger& ledger,
                         const PullState& state);

// The output paths on standard output, one line of counts (and failures by reason) on stderr.
void printSummary(const RunSummary& run);

}  // namespace signpost::tool::pull_run
