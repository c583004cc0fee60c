// The steps of one `signpost pull` run (pull_run.h); the exactly-once argument they implement
// is in pull_verb.cpp's header comment.

#include "sync/tool/pull_run.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>

#include "sync/tool/tool.h"

namespace signpost::tool::pull_run {

void killPoint(const char* name) {
    static const char* const wanted = std::getenv("SIGNPOST_PULL_TEST_KILL_AT");
    if (wanted != nullptr && std::strcmp(wanted, name) == 0) {
        ::raise(SIGKILL);
    }
}

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

std::string plural(std::size_t count, const char* one, const char* many) {
    return std::to_string(count) + " " + (count == 1 ? one : many);
}

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

void catchUpAcks(const PullLedger& ledger, PullState& state, const PullDirectory& dir,
                 CoordinatorClient& client) {
    std::vector<std::string> ids;
    for (std::size_t b = state.ackedBatches; b < state.ledgerBatches; ++b) {
        for (const auto& [kind, id] : ledger.batch(b).entries) {
            if (kind != 'L') {
                ids.push_back(id);
            }
        }
    }
    if (!ids.empty()) {
        ackAll(client, ids);
    }
    killPoint("catch-up-acked");
    state.ackedBatches = state.ledgerBatches;
    dir.saveState(state);
    if (!ids.empty()) {
        std::cerr << "Acknowledged " << plural(ids.size(), "referral", "referrals")
                  << " written by an earlier, interrupted pull.\n";
    }
}

void migrateLegacy(const PullSettings& settings, PullLedger& ledger, PullState& state,
                   const PullDirectory& dir) {
    const std::int64_t cursor = std::max(state.cursor, dir.highestOutputCursor(1));
    LedgerBatch batch;
    batch.epoch = 1;
    batch.from = 0;
    batch.to = cursor;
    std::string generation;
    if (cursor > 0) {
        PageFetcher fetcher(settings.connection, protocol::PullCursor{"", 0}, cursor, kPageSize);
        while (auto page = fetcher.next()) {
            generation = page->generation;
            for (const protocol::PulledSubmission& item : page->submissions) {
                if (item.cursor <= cursor) {
                    batch.entries.emplace_back('L', item.submission.id);
                }
            }
        }
    }
    batch.generation = generation;
    if (!batch.entries.empty()) {
        ledger.append(batch);
    }
    const std::int64_t owed = state.legacy ? cursor - state.legacyAckedThrough : 0;
    state.legacy = false;
    state.generation = generation;
    state.epoch = 1;
    state.cursor = cursor;
    state.ledgerBatches = ledger.batchCount();
    state.ackedBatches = ledger.batchCount();
    dir.saveState(state);
    if (owed > 0) {
        std::cerr << "warning: an interrupted pull of an earlier version of signpost had not "
                     "acknowledged everything up to cursor "
                  << cursor
                  << "; those referrals stay on the server unacknowledged (they are "
                     "never written again)\n";
    }
}

RunSummary fetchAndWrite(const PullSettings& settings, const CoordinatorKeyPair& key,
                         WorkerPool& pool, const PullDirectory& dir, const PullLedger& ledger,
                         const PullState& state) {
    RunSummary run;
    run.generation = state.generation;
    run.epoch = state.epoch;
    const ItemOptions options{settings.format, true, settings.skipTests};
    const bool progress = ::isatty(STDERR_FILENO) == 1;
    std::size_t fetched = 0;
    bool firstPage = true;
    try {
        PageFetcher fetcher(settings.connection,
                            protocol::PullCursor{state.generation, state.cursor}, std::nullopt,
                            kPageSize);
        while (auto page = fetcher.next()) {
            if (firstPage) {
                firstPage = false;
                run.restarted = page->restarted;
                if (page->restarted) {
                    ++run.epoch;
                }
                run.generation = page->generation;
            }
            std::vector<ItemOutcome> outcomes(page->submissions.size());
            std::vector<char> known(page->submissions.size(), 0);
            for (std::size_t i = 0; i < known.size(); ++i) {
                known[i] = ledger.kindOf(page->submissions[i].submission.id);
            }
            pool.run(outcomes.size(), [&](std::size_t i) {
                if (known[i] == 0) {
                    outcomes[i] = readPulledItem(page->submissions[i], key, options);
                }
            });
            for (std::size_t i = 0; i < outcomes.size(); ++i) {
                const protocol::PulledSubmission& item = page->submissions[i];
                ItemOutcome& outcome = outcomes[i];
                if (!run.fetchedAny) {
                    run.first = item.cursor;
                    run.fetchedAny = true;
                }
                run.last = item.cursor;
                if (known[i] != 0) {
                    // Written (or skipped) by an earlier run: never again. Acknowledged again,
                    // since the server may have lost the acknowledgement in a restore; an id a
                    // pre-ledger run handled (L) is left as that run left it.
                    if (known[i] != 'L') {
                        run.entries.emplace_back('R', item.submission.id);
                    }
                    ++run.metAgain;
                    continue;
                }
                switch (outcome.kind) {
                    case ItemOutcome::Kind::Record:
                        if (!run.output) {
                            run.output = std::make_unique<OutputFile>(dir.path());
                            run.output->write(fileHeader(settings.format));
                        }
                        run.output->write(recordSeparator(settings.format, run.written == 0));
                        run.output->write(view(outcome.text));
                        wipe(outcome.text);
                        ++run.written;
                        run.tests += outcome.test ? 1 : 0;
                        run.entries.emplace_back('W', item.submission.id);
                        break;
                    case ItemOutcome::Kind::SkippedTest:
                        ++run.skippedTests;
                        run.entries.emplace_back('T', item.submission.id);
                        break;
                    case ItemOutcome::Kind::Failed:
                        run.failures.push_back(std::move(outcome.failure));
                        break;
                }
            }
            fetched += outcomes.size();
            if (run.output) {
                killPoint("page-written");
            }
            if (progress) {
                std::cerr << "\rFetched " << fetched << " item(s)..." << std::flush;
            }
        }
        if (progress && fetched > 0) {
            std::cerr << "\r";
        }
        if (!run.fetchedAny) {
            return run;
        }
        // The errors file first: once the referrals file (or the state) marks the range done,
        // its errors must already be on disk.
        if (!run.failures.empty()) {
            OutputFile errors(dir.path());
            errors.write(errorsCsv(run.failures));
            const std::string name = errorsFileName(run.first, run.last, run.epoch);
            errors.commit(name);
            run.errorsFile = dir.path() / name;
            killPoint("errors-committed");
        }
        if (run.output) {
            run.output->write(fileFooter(settings.format, run.written > 0));
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
    if (run.metAgain > 0) {
        std::cerr << "; " << plural(run.metAgain, "referral was", "referrals were")
                  << " already written by an earlier pull and not written again";
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

}  // namespace signpost::tool::pull_run
