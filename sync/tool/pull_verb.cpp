// `signpost pull`: coordinators fetch sealed referrals from the central server, decrypt and
// verify them, write them to a file, and only then acknowledge them.
//
// ---- Why every referral is written exactly once, even when the process is killed -------------
//
// Facts relied on:
//   (S1) The server gives each stored submission a cursor, strictly increasing within one
//        generation of its database, and GET /v1/submissions?after=G:C returns, in cursor order,
//        every submission with a cursor above C whose ciphertext it still holds — acknowledged
//        or not. When G is not its current generation (it was restored from a backup since),
//        it answers from the start of the current one and says so (`restarted`). It purges
//        ciphertext only after an acknowledgement (plus a retention period).
//   (S2) Acknowledging is idempotent: acking an id twice is harmless.
//   (F1) A file appears under a final name (referrals-<from>-<to>.<ext>, its .errors.csv
//        companion, "referrals-g<N>-..." from the N-th generation this directory met) only by
//        rename() of a temporary file that was completely written and fsynced; the directory is
//        fsynced after the rename. So a final name always holds a complete file.
//   (F2) The state file (.signpost-pull.json) is replaced atomically the same way.
//   (F3) Only one pull works in a directory at a time (flock on .signpost-pull.lock; the kernel
//        drops the lock when the process dies).
//   (F4) The ledger (.signpost-pull-ids, pull_ledger.h) holds, batch by batch, every id this
//        directory wrote (W), skipped as a test (T) or met again after a restore (R). A batch is
//        appended and fsynced BEFORE its referrals file is renamed into place; it counts once
//        the state says so (ledger_batches) or, after a kill, once its referrals file exists.
//
// A run, under the lock:
//   1. Reconcile: a ledger batch past state.ledger_batches whose referrals file exists was
//      committed (the run died after the rename): adopt it (state cursor := its <to>, in its
//      generation). Any other batch past the state is dropped: its file never appeared, so its
//      ids were never written. Delete temporary files, and errors files of the current
//      generation whose range ends after the cursor (or of a later one).
//   2. Catch up acknowledgements: the ids of every ledger batch past state.acked_batches are
//      acknowledged — only ids the ledger says were written or skipped, never anything read
//      from the server again (issue 9: another key could make an item readable that was never
//      written). Then acked_batches := ledger_batches.
//   3. Fetch everything after G:cursor page by page. An id the ledger already holds is not
//      written again (it is met again after a restore: recorded R, acknowledged again); a new
//      one is verified, opened, parsed and formatted into a temporary file; unreadable items
//      are collected for the errors file.
//   4. If anything was fetched: commit the errors file (if any); append the ledger batch (if it
//      has ids); commit the referrals file (if it has records); then state := (generation,
//      last cursor, ledger_batches + 1).
//   5. Ack the batch's ids; then acked_batches := ledger_batches.
//
// Kill at any instant:
//   - before the ledger append: nothing of the run counts; the next run deletes the temporary
//     file and the errors file of that range and fetches the same items again (nothing was
//     acked, so the server still has them).
//   - after the ledger append, before the rename: the batch is dropped at step 1 (its file does
//     not exist), so its ids are fetched and written again, once.
//   - after the rename, before the state update: the batch is adopted at step 1, so those ids
//     are not written again and the cursor moves past them.
//   - a run with nothing to write (only errors, skipped tests or ids met again) has no
//     referrals file: the state update is the commit point, with the same argument.
//   - before or during acks: acked_batches < ledger_batches, so step 2 of the next run acks
//     them (S2). Nothing written is left unacknowledged for ever; nothing unwritten is acked.
//   - unreadable items are never acked: they stay on the server for investigation, listed in
//     an errors file (again after a restore, when the new generation is read from its start).
// After a restore (S1), the new generation's items come again from its start: those the ledger
// holds are not written again (R), and those the restored server lost come back from the kiosks
// (they re-send what they sent within their sent_grace) and are written once, as new.
// Exactly once holds across formats too: the ledger does not care which format a file has.
//
// A directory written before the ledger existed (state version 1) is migrated on its first run:
// the ids of every item up to its cursor are fetched (not opened) into a first ledger batch as
// L ("handled before"), so they are never written again; acknowledgements such a run still owed
// are left undone (the items stay on the server, never written twice) and the run says so.
//
// The steps are in pull_run.cpp; runPull below drives them.
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
#include <memory>
#include <optional>
#include <thread>

#include "core/common/atomic_file.h"
#include "core/referral/sealing.h"
#include "sync/tool/pull_client.h"
#include "sync/tool/pull_directory.h"
#include "sync/tool/pull_ledger.h"
#include "sync/tool/pull_pipeline.h"
#include "sync/tool/pull_run.h"
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

using namespace pull_run;

namespace {

unsigned defaultWorkerCount() {
    const unsigned cores = std::thread::hardware_concurrency();
    return std::clamp(cores, 1u, 8u);
}

unsigned parseThreads(const std::string& text) {
    if (text.size() <= 2 &&
        std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        const int value = std::stoi(text);
        if (value >= 1 && value <= 64) {
            return static_cast<unsigned>(value);
        }
    }
    throw UsageError("--threads must be a whole number from 1 to 64, not '" + text + "'");
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
    if (!settings.connection.caFile.empty() &&
        !std::filesystem::exists(settings.connection.caFile)) {
        throw ToolError("no CA file at " + settings.connection.caFile);
    }
    std::error_code error;
    if (!std::filesystem::exists(keyFile, error)) {
        throw ToolError("no key file at " + keyFile.string());
    }
    if (settings.connection.server.starts_with("http://") &&
        !isLoopbackUrl(settings.connection.server)) {
        std::cerr << "warning: " << settings.connection.server
                  << " is plain HTTP: the token and the sealed referrals cross the network "
                     "unencrypted by TLS; use https://\n";
    }
    const CoordinatorKeyPair key =
        loadCoordinatorKey(keyFile, passphraseFile, "; nothing was fetched");

    PullDirectory dir(settings.out);
    std::error_code noState;
    const bool stateExisted = std::filesystem::exists(dir.path() / kPullStateFileName, noState);
    PullState state = dir.loadState();
    if (!state.server.empty() && state.server != settings.connection.server) {
        throw ToolError(settings.out.string() + " holds referrals pulled from " + state.server +
                        ", not " + settings.connection.server +
                        "; cursors differ between servers, so use another --out directory");
    }
    PullLedger ledger(dir.path() / kPullLedgerFileName);
    // Written before the ledger existed: a version 1 state, or output files with no state.
    const bool legacy = state.legacy || (!stateExisted && dir.highestOutputCursor(1) > 0);
    if (!legacy && state.server.empty()) {
        // From now on this directory belongs to this server.
        state.server = settings.connection.server;
        dir.saveState(state);
    }
    state.server = settings.connection.server;
    if (!legacy && ledger.batchCount() < state.ledgerBatches) {
        throw ToolError("the pull ledger " + (dir.path() / kPullLedgerFileName).string() +
                        " holds fewer batches than the state says (" +
                        std::to_string(ledger.batchCount()) + " of " +
                        std::to_string(state.ledgerBatches) +
                        "): it was changed by hand or lost; without it the pull could write "
                        "referrals twice, so it stops. Restore it, or pull into a new --out "
                        "directory");
    }

    // Step 1: reconcile what a killed run left.
    for (std::size_t b = state.ledgerBatches; b < ledger.batchCount(); ++b) {
        const LedgerBatch& batch = ledger.batch(b);
        std::error_code missing;
        if (batch.file.empty() || !std::filesystem::exists(dir.path() / batch.file, missing)) {
            ledger.truncate(b);
            break;
        }
        state.generation = batch.generation;
        state.epoch = batch.epoch;
        state.cursor = batch.to;
        state.ledgerBatches = b + 1;
        dir.saveState(state);
    }
    const std::size_t leftovers = dir.cleanUpInterruptedRun(state.cursor, state.epoch);
    if (leftovers > 0) {
        std::cerr << "Removed " << plural(leftovers, "unfinished file", "unfinished files")
                  << " left by an interrupted pull.\n";
    }

    WorkerPool pool(settings.threads);
    CoordinatorClient client(settings.connection);
    if (legacy) {
        migrateLegacy(settings, ledger, state, dir);
    }
    // Step 2.
    if (state.ackedBatches < state.ledgerBatches) {
        catchUpAcks(ledger, state, dir, client);
    }

    // Steps 3 and 4.
    RunSummary run = fetchAndWrite(settings, key, pool, dir, ledger, state);
    if (run.restarted) {
        std::cerr << "The server's data was restored from a backup (generation "
                  << (state.generation.empty() ? "unknown" : state.generation) << " is now "
                  << run.generation << "): reading everything it holds again; referrals "
                  << "already written are not written again.\n";
    }
    if (!run.fetchedAny) {
        if (run.generation != state.generation || run.epoch != state.epoch) {
            state.generation = run.generation;
            state.epoch = run.epoch;
            state.cursor = 0;
            dir.saveState(state);
        }
        std::cerr << "No new referrals.\n";
        return kExitOk;
    }
    try {
        if (!run.entries.empty()) {
            LedgerBatch batch;
            batch.epoch = run.epoch;
            batch.generation = run.generation;
            batch.from = run.first;
            batch.to = run.last;
            if (run.output) {
                batch.file = outputFileName(run.first, run.last, settings.format, run.epoch);
            }
            batch.entries = run.entries;
            ledger.append(std::move(batch));
            killPoint("ledger-appended");
        }
        if (run.output) {
            const std::string name =
                outputFileName(run.first, run.last, settings.format, run.epoch);
            run.output->commit(name);
            run.output.reset();
            run.referralsFile = dir.path() / name;
            killPoint("referrals-committed");
        }
    } catch (const FileError& failure) {
        throwWriteFailure(dir.path(), failure);
    }
    state.generation = run.generation;
    state.epoch = run.epoch;
    state.cursor = run.last;
    state.ledgerBatches = ledger.batchCount();
    dir.saveState(state);
    killPoint("state-saved");

    if (!run.entries.empty()) {
        std::vector<std::string> ackIds;
        ackIds.reserve(run.entries.size());
        for (const auto& [kind, id] : run.entries) {
            ackIds.push_back(id);
        }
        try {
            const AckSummary acked = ackAll(client, ackIds);
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
    state.ackedBatches = state.ledgerBatches;
    dir.saveState(state);
    printSummary(run);
    return run.failures.empty() ? kExitOk : kExitPartial;
}

}  // namespace signpost::tool
