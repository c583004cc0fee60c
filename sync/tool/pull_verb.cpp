// `signpost pull`: coordinators fetch sealed referrals from the central server, decrypt and
// verify them, write them to a file, and only then acknowledge them.
//
// ---- Why every referral is written exactly once, even when the process is killed -------------
//
// Facts relied on:
//   (S1) The server gives each stored submission a cursor, strictly increasing in the order the
//        submissions became visible, and GET /v1/submissions?after=C returns, in cursor order,
//        every submission with a cursor above C whose ciphertext it still holds — acknowledged
//        or not. It purges ciphertext only after an acknowledgement (plus a retention period).
//   (S2) Acknowledging is idempotent: acking an id twice is harmless.
//   (F1) A file appears under a final name (referrals-<from>-<to>.<ext>, or its .errors.csv
//        companion) only by rename() of a temporary file that was completely written and
//        fsynced; the directory is fsynced after the rename. So a final name always holds a
//        complete file, and <to> says that every item with a cursor up to <to> that belonged in
//        it is in it.
//   (F2) The state file (.signpost-pull.json) is replaced atomically the same way.
//   (F3) Only one pull works in a directory at a time (flock on .signpost-pull.lock; the kernel
//        drops the lock when the process dies).
//
// A run, under the lock:
//   1. resume := max(state.cursor, the highest <to> of any referrals file). Delete temporary
//      files and any errors file whose range ends after resume: both are from a run that was
//      killed before its range was complete, and that range is fetched again below.
//   2. Catch up acknowledgements: if state.ackedThrough < resume, fetch (ackedThrough, resume]
//      again (S1), re-check each item and ack the readable ones (S2); then ackedThrough := resume.
//   3. Fetch everything after resume page by page; verify, open, parse and format each item into
//      a temporary file; unreadable items are collected for the errors file.
//   4. If anything was fetched: commit the errors file (if any), then the referrals file (if it
//      has records), both named <first cursor>-<last cursor>; then state.cursor := last.
//   5. Ack the readable items (written ones, and skipped test ones); then ackedThrough := last.
//
// Kill at any instant:
//   - before the referrals file's rename (step 3 or 4): no final referrals file covers the range
//     and state.cursor was not advanced, so resume is unchanged; the next run deletes the
//     half-written temporary file and any errors file of that range, and fetches the same items
//     again (nothing was acked, so the server still has them). Nothing written twice, nothing
//     lost; the errors are reported again, once.
//   - after the rename, before the state update: resume comes from the file's <to>, so those
//     items are not written again.
//   - a run with nothing to write (only errors or skipped tests) has no referrals file: the
//     state update is the commit point, with the same argument (re-doing the range writes
//     nothing but the errors file, which step 1 removed first).
//   - before or during acks: ackedThrough < cursor, so step 2 of the next run acks them (S1, S2).
//     Nothing readable is left unacknowledged for ever, nothing is written again.
//   - unreadable items are never acked: they stay on the server for investigation, listed once
//     in an errors file.
// Exactly once holds across formats too: resume looks at referrals files of every format.
//
// Exit status: 0 all good, 1 error (nothing was acked that was not written), 2 usage, 3 some
// items could not be read (the good ones were still written and acked).
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <limits>
#include <map>
#include <optional>
#include <thread>

#include "core/common/atomic_file.h"
#include "core/referral/sealing.h"
#include "sync/tool/pull_client.h"
#include "sync/tool/pull_directory.h"
#include "sync/tool/pull_pipeline.h"
#include "sync/tool/tool.h"

namespace signpost::tool {

const char* const kPullUsage =
    R"(Usage: signpost pull --server URL --token-file FILE --key KEYFILE --out DIR
                     [--format csv|json|ndjson] [--skip-tests] [--ca-file FILE]
                     [--passphrase-file FILE] [--threads N]

Fetches every referral the kiosks have sent since the last pull, checks each kiosk's signature,
decrypts it with the coordinator key, writes the new ones to one file in DIR, and only then
acknowledges them to the server. Run it as often as you like (by hand or from a timer): each
referral is written exactly once, even if a run is interrupted or killed and run again.

Each run that finds new referrals writes DIR/referrals-<from>-<to>.<format>, named by the
server's cursor range, and prints its path on standard output. An item that cannot be read (its
signature does not verify, it was sealed to another key, or it is not a referral) is never
dropped silently: it is listed in DIR/referrals-<from>-<to>.errors.csv, is not acknowledged (it
stays on the server for investigation), and the exit status is 3.

Options:
  --server URL            the sync server, e.g. https://sync.example.org (required)
  --token-file FILE       a file holding a coordinator token (required; made with
                          `signpost-server admin coordinator-token create`)
  --key KEYFILE           the coordinator key file made by `signpost keygen` (required)
  --out DIR               where to write the referrals (required; created with mode 0700)
  --format FORMAT         csv (default; UTF-8 with BOM, opens in Excel), json (an array) or
                          ndjson (one object per line)
  --skip-tests            leave out test referrals sent from a kiosk's staff panel (they are
                          still acknowledged); without it they are included, marked Test = yes
  --ca-file FILE          trust this PEM certificate authority for the server's certificate
  --passphrase-file FILE  read the key's passphrase from FILE's first line instead of asking
  --threads N             check and decrypt on N threads (default: one per core, at most 8)
  --help                  show this help

The passphrase is asked on the terminal without echo, unless --passphrase-file is given or
SIGNPOST_PASSPHRASE is set. A wrong passphrase stops the run before anything is fetched.

CSV columns: Reference, Received at, Venue, Neighbourhood, Service, Service ID, Needs, Name,
Phone, Email, Best time, Safe to leave a message, Language, Interpreter, Access needs, Notes,
Consent version, Consent time, ID, Device, Device ID, Created at (device clock), Test.
Text that starts with = + - @ or a tab is written with a leading ' so spreadsheets do not run it.

The output holds residents' personal data: keep DIR private, and delete files once the
referrals are in your case system. Deleting them does not make a referral come again.

Exit status:
  0  every new referral was written and acknowledged (or there was nothing new)
  1  error: server unreachable, token refused, wrong passphrase, disk full... (one line says
     which); anything written was complete, and nothing unwritten was acknowledged
  2  usage error
  3  some items could not be read: see the .errors.csv file; the others were written
)";

namespace {

constexpr std::size_t kPageSize = protocol::kMaxPullPage;

// Fault injection for the crash tests (tests/pull_test.cpp): with SIGNPOST_PULL_TEST_KILL_AT
// set to a point's name, the process SIGKILLs itself there, so every window the argument above
// walks through is exercised on purpose, not only when a random kill happens to land in it.
// Points: page-written, errors-committed, referrals-committed, state-saved, acked-some,
// acked-all, catch-up-acked.
void killPoint(const char* name) {
    static const char* const wanted = std::getenv("SIGNPOST_PULL_TEST_KILL_AT");
    if (wanted != nullptr && std::strcmp(wanted, name) == 0) {
        ::raise(SIGKILL);
    }
}

// Acks in requests of at most kMaxPullPage ids.
AckSummary ackAll(CoordinatorClient& client, const std::vector<std::string>& ids) {
    AckSummary total;
    for (std::size_t start = 0; start < ids.size(); start += protocol::kMaxPullPage) {
        const std::size_t end = std::min(ids.size(), start + protocol::kMaxPullPage);
        const std::vector<std::string> chunk(ids.begin() + static_cast<std::ptrdiff_t>(start),
                                             ids.begin() + static_cast<std::ptrdiff_t>(end));
        const AckSummary acked = client.ack(chunk);
        total.acked += acked.acked;
        total.alreadyAcked += acked.alreadyAcked;
        total.unknownIds.insert(total.unknownIds.end(), acked.unknownIds.begin(),
                                acked.unknownIds.end());
        killPoint("acked-some");
    }
    return total;
}

struct PullSettings {
    CoordinatorConnection connection;
    std::filesystem::path out;
    PullFormat format = PullFormat::Csv;
    bool skipTests = false;
    unsigned threads = 1;
};

unsigned defaultWorkerCount() {
    const unsigned cores = std::thread::hardware_concurrency();
    return std::clamp(cores, 1u, 8u);
}

unsigned parseThreads(const std::string& text) {
    if (text.size() <= 2 && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        const int value = std::stoi(text);
        if (value >= 1 && value <= 64) {
            return static_cast<unsigned>(value);
        }
    }
    throw UsageError("--threads must be a whole number from 1 to 64, not '" + text + "'");
}

std::string plural(std::size_t count, const char* one, const char* many) {
    return std::to_string(count) + " " + (count == 1 ? one : many);
}

// Turns a failure to write the output into one line that says what to do.
[[noreturn]] void throwWriteFailure(const std::filesystem::path& dir, const FileError& error) {
    std::string hint;
    if (error.errnoValue() == ENOSPC || error.errnoValue() == EDQUOT) {
        hint = ": the disk is full";
    } else if (error.errnoValue() == EFBIG) {
        hint = ": the file is larger than this system allows";
    }
    throw ToolError("cannot write the referrals in " + dir.string() + hint + " (" + error.what() +
                    "); nothing new was acknowledged, so run again once this is fixed");
}

// Step 2: acknowledge the readable items in (from, to] that an interrupted run wrote.
void catchUpAcks(const PullSettings& settings, const CoordinatorKeyPair& key, WorkerPool& pool,
                 std::int64_t from, std::int64_t to, CoordinatorClient& client) {
    PageFetcher fetcher(settings.connection, from, to, kPageSize);
    const ItemOptions options{settings.format, false, settings.skipTests};
    std::vector<std::string> ids;
    std::size_t unreadable = 0;
    while (auto page = fetcher.next()) {
        std::vector<ItemOutcome> outcomes(page->submissions.size());
        pool.run(outcomes.size(), [&](std::size_t i) {
            if (page->submissions[i].cursor <= to) {
                outcomes[i] = readPulledItem(page->submissions[i], key, options);
            }
        });
        for (std::size_t i = 0; i < outcomes.size(); ++i) {
            if (page->submissions[i].cursor > to) {
                continue;
            }
            if (outcomes[i].kind == ItemOutcome::Kind::Failed) {
                ++unreadable;
            } else {
                ids.push_back(page->submissions[i].submission.id);
            }
        }
    }
    if (!ids.empty()) {
        ackAll(client, ids);
    }
    killPoint("catch-up-acked");
    std::cerr << "Acknowledged " << plural(ids.size(), "referral", "referrals")
              << " written by an earlier, interrupted pull";
    if (unreadable > 0) {
        std::cerr << " (" << plural(unreadable, "unreadable item was", "unreadable items were")
                  << " left unacknowledged)";
    }
    std::cerr << ".\n";
}

struct RunSummary {
    std::int64_t first = 0;
    std::int64_t last = 0;
    std::size_t written = 0;
    std::size_t tests = 0;  // among written
    std::size_t skippedTests = 0;
    std::vector<PullFailure> failures;
    std::vector<std::string> ackIds;
    std::optional<std::filesystem::path> referralsFile;
    std::optional<std::filesystem::path> errorsFile;
};

// Steps 3 and 4: fetch, read and write everything after `resume`.
RunSummary fetchAndWrite(const PullSettings& settings, const CoordinatorKeyPair& key,
                         WorkerPool& pool, const PullDirectory& dir, std::int64_t resume) {
    RunSummary run;
    std::optional<OutputFile> output;
    const ItemOptions options{settings.format, true, settings.skipTests};
    const bool progress = ::isatty(STDERR_FILENO) == 1;
    std::size_t fetched = 0;
    try {
        PageFetcher fetcher(settings.connection, resume, std::nullopt, kPageSize);
        while (auto page = fetcher.next()) {
            std::vector<ItemOutcome> outcomes(page->submissions.size());
            pool.run(outcomes.size(), [&](std::size_t i) {
                outcomes[i] = readPulledItem(page->submissions[i], key, options);
            });
            for (std::size_t i = 0; i < outcomes.size(); ++i) {
                const protocol::PulledSubmission& item = page->submissions[i];
                ItemOutcome& outcome = outcomes[i];
                if (run.first == 0) {
                    run.first = item.cursor;
                }
                run.last = item.cursor;
                switch (outcome.kind) {
                    case ItemOutcome::Kind::Record:
                        if (!output) {
                            output.emplace(dir.path());
                            output->write(fileHeader(settings.format));
                        }
                        output->write(recordSeparator(settings.format, run.written == 0));
                        output->write(view(outcome.text));
                        wipe(outcome.text);
                        ++run.written;
                        run.tests += outcome.test ? 1 : 0;
                        run.ackIds.push_back(item.submission.id);
                        break;
                    case ItemOutcome::Kind::SkippedTest:
                        ++run.skippedTests;
                        run.ackIds.push_back(item.submission.id);
                        break;
                    case ItemOutcome::Kind::Failed:
                        run.failures.push_back(std::move(outcome.failure));
                        break;
                }
            }
            fetched += outcomes.size();
            if (output) {
                killPoint("page-written");
            }
            if (progress) {
                std::cerr << "\rFetched " << fetched << " item(s)..." << std::flush;
            }
        }
        if (progress && fetched > 0) {
            std::cerr << "\r";
        }
        if (run.last == 0) {
            return run;
        }
        // The errors file first: once the referrals file (or the state) marks the range done,
        // its errors must already be on disk.
        if (!run.failures.empty()) {
            OutputFile errors(dir.path());
            errors.write(errorsCsv(run.failures));
            const std::string name = errorsFileName(run.first, run.last);
            errors.commit(name);
            run.errorsFile = dir.path() / name;
            killPoint("errors-committed");
        }
        if (output) {
            output->write(fileFooter(settings.format, run.written > 0));
            const std::string name = outputFileName(run.first, run.last, settings.format);
            output->commit(name);
            run.referralsFile = dir.path() / name;
            killPoint("referrals-committed");
        }
    } catch (const FileError& error) {
        throwWriteFailure(dir.path(), error);
    }
    return run;
}

void printSummary(const RunSummary& run) {
    if (run.referralsFile) {
        std::cout << run.referralsFile->string() << "\n";
    }
    if (run.errorsFile) {
        std::cout << run.errorsFile->string() << "\n";
    }
    std::cout.flush();
    std::cerr << "Pulled " << plural(run.written, "new referral", "new referrals");
    if (run.tests > 0) {
        std::cerr << " (" << run.tests << " marked as test)";
    }
    if (run.referralsFile) {
        std::cerr << " into " << run.referralsFile->string();
    }
    if (run.skippedTests > 0) {
        std::cerr << "; skipped " << plural(run.skippedTests, "test referral", "test referrals");
    }
    std::cerr << ".\n";
    if (!run.failures.empty()) {
        std::map<std::string, std::size_t> byReason;
        for (const PullFailure& failure : run.failures) {
            ++byReason[failure.reasonCode];
        }
        std::cerr << plural(run.failures.size(), "item", "items")
                  << " could not be read and were not acknowledged (they stay on the server): ";
        bool first = true;
        for (const auto& [reason, count] : byReason) {
            std::cerr << (first ? "" : ", ") << count << " " << reason;
            first = false;
        }
        std::cerr << ". See " << run.errorsFile->string() << ".\n";
    }
}

}  // namespace

int runPull(std::span<const std::string> args) {
    const Options options(args, {{"server", true},
                                 {"token-file", true},
                                 {"key", true},
                                 {"out", true},
                                 {"format", true},
                                 {"skip-tests", false},
                                 {"ca-file", true},
                                 {"passphrase-file", true},
                                 {"threads", true},
                                 {"help", false}});
    if (options.has("help")) {
        std::cout << kPullUsage;
        return kExitOk;
    }
    PullSettings settings;
    settings.connection.server = normaliseServerUrl(options.required("server"));
    settings.connection.tokenFile = options.required("token-file");
    const std::filesystem::path keyFile = options.required("key");
    settings.out = options.required("out");
    const std::string formatName = options.value("format").value_or("csv");
    const std::optional<PullFormat> format = parsePullFormat(formatName);
    if (!format) {
        throw UsageError("--format must be csv, json or ndjson, not '" + formatName + "'");
    }
    settings.format = *format;
    settings.skipTests = options.has("skip-tests");
    const std::optional<std::string> threads = options.value("threads");
    settings.threads = threads ? parseThreads(*threads) : defaultWorkerCount();
    settings.connection.caFile = options.value("ca-file").value_or("");
    std::optional<std::filesystem::path> passphraseFile;
    if (std::optional<std::string> file = options.value("passphrase-file")) {
        passphraseFile = *file;
    }
    // A file size limit must fail a write (EFBIG), not kill the process mid-file.
    ::signal(SIGXFSZ, SIG_IGN);

    // Everything that can be checked without the network, before the passphrase is asked.
    std::string tokenWarning;
    settings.connection.token = readTokenFile(settings.connection.tokenFile, tokenWarning);
    if (!tokenWarning.empty()) {
        std::cerr << tokenWarning << "\n";
    }
    if (!settings.connection.caFile.empty() && !std::filesystem::exists(settings.connection.caFile)) {
        throw ToolError("no CA file at " + settings.connection.caFile);
    }
    std::error_code error;
    if (!std::filesystem::exists(keyFile, error)) {
        throw ToolError("no key file at " + keyFile.string());
    }
    if (settings.connection.server.starts_with("http://") && !isLoopbackUrl(settings.connection.server)) {
        std::cerr << "warning: " << settings.connection.server
                  << " is plain HTTP: the token and the sealed referrals cross the network "
                     "unencrypted by TLS; use https://\n";
    }
    const CoordinatorKeyPair key = loadCoordinatorKey(keyFile, passphraseFile, "; nothing was fetched");

    PullDirectory dir(settings.out);
    PullState state = dir.loadState();
    if (!state.server.empty() && state.server != settings.connection.server) {
        throw ToolError(settings.out.string() + " holds referrals pulled from " + state.server +
                        ", not " + settings.connection.server +
                        "; cursors differ between servers, so use another --out directory");
    }
    const PullState saved = state;
    state.server = settings.connection.server;
    state.cursor = std::max(state.cursor, dir.highestOutputCursor());
    const std::size_t leftovers = dir.cleanUpInterruptedRun(state.cursor);
    if (leftovers > 0) {
        std::cerr << "Removed " << plural(leftovers, "unfinished file", "unfinished files")
                  << " left by an interrupted pull.\n";
    }
    if (state.server != saved.server || state.cursor != saved.cursor) {
        dir.saveState(state);
    }

    WorkerPool pool(settings.threads);
    CoordinatorClient client(settings.connection);
    if (state.ackedThrough < state.cursor) {
        catchUpAcks(settings, key, pool, state.ackedThrough, state.cursor, client);
        state.ackedThrough = state.cursor;
        dir.saveState(state);
    }

    RunSummary run = fetchAndWrite(settings, key, pool, dir, state.cursor);
    if (run.last == 0) {
        std::cerr << "No new referrals.\n";
        return kExitOk;
    }
    state.cursor = run.last;
    dir.saveState(state);
    killPoint("state-saved");

    if (!run.ackIds.empty()) {
        try {
            const AckSummary acked = ackAll(client, run.ackIds);
            killPoint("acked-all");
            if (!acked.unknownIds.empty()) {
                std::cerr << "warning: the server did not know "
                          << plural(acked.unknownIds.size(), "acknowledged id", "acknowledged ids")
                          << " (purged meanwhile?)\n";
            }
        } catch (const ToolError& failure) {
            printSummary(run);
            throw ToolError(std::string(failure.what()) +
                            "; the referrals above were written, and the next run will "
                            "acknowledge them");
        }
    }
    state.ackedThrough = run.last;
    dir.saveState(state);
    printSummary(run);
    return run.failures.empty() ? kExitOk : kExitPartial;
}

}  // namespace signpost::tool
