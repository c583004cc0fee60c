// Signpost — a damaged outbox keeps its referrals (issue 9): the crash-safe move aside and the
// salvage that Outbox::openOrRecover (outbox.h) is built from.
//
// Moving aside: outbox.db, -wal and -shm are three directory entries, and no rename moves them
// together. A WAL left next to a new database would be replayed into it; a database moved without
// its WAL loses the commits in it. So the move is journalled: first an intent file
// (<name>.move-aside: the target name and which of the three files existed) is written atomically,
// then the files are renamed (WAL, SHM, database), then a fresh outbox is made and the damaged
// copy salvaged into it, and only then is the intent removed. Every start first finishes a move
// an intent names, renaming only files whose target does not exist yet (rename is atomic per
// file, so a target that exists was moved). A crash at any point therefore ends, on the next
// start, with the damaged copy complete under its new name and a fresh outbox salvaged from it.
//
// Salvage reads every row SQLite can still read from a damaged copy (and its WAL: the copy is
// opened read-only with checkpoints off, so the WAL is read as it is and never rewritten), one
// row at a time by sequence number, so a damaged page loses only the rows on it. Each row comes
// back with its id, reference and sequence number unchanged (the server's duplicate check holds,
// and the per-device sequence is never reused): queued → queued; sent with ciphertext still kept
// → sent and marked to send again (the server answers "duplicate" for what it has); sent and
// wiped → kept for staff as it was; rejected → rejected. A marker in the new outbox's sync_state
// (in the same transaction as the rows) makes it idempotent, and the counts are kept for the
// staff panel. Copies moved aside by earlier versions (never salvaged) are salvaged the same way.
//
// Thread-safety: free functions on files; call them where no other connection has the outbox
// open (start-up). Errors: FileError, StorageError.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace signpost {

class Outbox;

// What one salvage found in a damaged copy.
struct SalvageReport {
    std::string damagedFile;   // the copy's file name ("outbox.db.damaged-20261123T140307Z")
    std::string at;            // when it was salvaged, UTC ISO 8601
    std::size_t saved = 0;     // unsent referrals (queued) put back in the queue
    std::size_t resent = 0;    // sent ones with ciphertext still kept: sent again to be sure
    std::size_t rejected = 0;  // refused by the server earlier: kept as they were, for staff
    std::size_t history = 0;   // sent and wiped: kept as they were (their references)
    std::size_t lost = 0;      // rows the copy held that could not be read (some may have been
                               // sent already: their status could not be read either)
};

// The intent of a move aside, as written before anything is renamed.
struct MoveAsideIntent {
    std::string target;              // the new base name, in the same directory
    std::vector<std::string> files;  // suffixes that existed: "", "-wal", "-shm"
    std::string problem;             // why the outbox was judged damaged
};

// "<outbox file>.move-aside"
std::filesystem::path moveAsideIntentFile(const std::filesystem::path& outboxFile);
// The pending intent, or nullopt. An intent file that cannot be read is renamed to
// "<name>.move-aside.unreadable" (logged) and nullopt returned: nothing is renamed on a guess.
std::optional<MoveAsideIntent> pendingMoveAside(const std::filesystem::path& outboxFile);
// A free name "<outbox file>.damaged-<UTC time>" (then "-2", "-3" ...) for the copy.
std::string damagedCopyName(const std::filesystem::path& outboxFile);
// Writes the intent (atomically), then renames what `intent.files` lists that has not been
// renamed yet, then syncs the directory. Safe to call again with the same intent after a crash.
void moveOutboxAside(const std::filesystem::path& outboxFile, const MoveAsideIntent& intent);
// Removes the intent file and syncs the directory.
void clearMoveAside(const std::filesystem::path& outboxFile);

// Copies moved aside next to `outboxFile` ("<name>.damaged-*" main files), oldest first.
std::vector<std::filesystem::path> damagedCopies(const std::filesystem::path& outboxFile);
// Salvages the copy at `damaged` into `into`, unless it was salvaged into it before (then
// nullopt). One transaction; the report is stored with the rows.
std::optional<SalvageReport> salvageInto(Outbox& into, const std::filesystem::path& damaged);
// Every salvage recorded in `outbox`, oldest first.
std::vector<SalvageReport> salvageReports(Outbox& outbox);

// Fault injection for the crash tests: with SIGNPOST_OUTBOX_TEST_KILL_AT naming a point the
// process SIGKILLs itself there. Points: intent-written, moved-wal, moved-shm, moved-main,
// fresh-created, salvaged, intent-cleared.
void outboxKillPoint(const char* name);

}  // namespace signpost
