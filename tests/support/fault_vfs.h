// Signpost test support — a fault-injecting SQLite VFS.
//
// FaultVfs wraps the default (unix) VFS and is registered under the name kName (never as the
// default), so only connections opened with DatabaseOptions::vfs = FaultVfs::kName go through it.
// Unarmed, it forwards every call unchanged. Armed, it makes the file system misbehave the way
// real hardware does:
//   - failWrites(): the Nth write (xWrite) from now — and, if sticky, every later one — fails
//     with the given code (SQLITE_FULL as from ENOSPC, SQLITE_IOERR_WRITE as from EIO/EROFS)
//     without touching the file;
//   - failSyncs(): the same for fsync (xSync), default SQLITE_IOERR_FSYNC;
//   - setReadOnlyMedia(): every read-write open of a named file is downgraded to read-only, as
//     the unix VFS does when open(O_RDWR) fails with EROFS/EACCES; files that do not exist cannot
//     be created (SQLITE_CANTOPEN); xAccess reports nothing writable and xDelete fails.
// Faults can be limited to one kind of file (the main database, its WAL, or a rollback journal).
//
// Usage:
//   FaultVfs& vfs = FaultVfs::instance();
//   FaultVfs::Scope scope;                       // clear() on entry and on exit
//   Outbox outbox(path, {.vfs = FaultVfs::kName});
//   vfs.failWrites(SQLITE_FULL);                 // the disk is now full
//
// Thread-safety: the fault state is global and guarded by a mutex; tests arm it from one thread.
#pragma once

#include <sqlite3.h>

namespace signpost::test {

enum class FaultTarget {
    AnyFile,       // every file the connection opens
    MainDatabase,  // the database file itself
    Wal,           // its -wal file
    Journal,       // a rollback journal (-journal)
};

class FaultVfs {
public:
    static constexpr const char* kName = "signpost-fault";

    // Registers the VFS on first use (thread-safe) and returns the single instance.
    static FaultVfs& instance();

    // From the `nth` matching write after this call (1 = the very next one), writes fail with
    // `errorCode`; with sticky = false only that one write fails. Resets the write counter.
    void failWrites(int errorCode, int nth = 1, bool sticky = true,
                    FaultTarget target = FaultTarget::AnyFile);
    // The same for xSync. Resets the sync counter.
    void failSyncs(int errorCode = SQLITE_IOERR_FSYNC, int nth = 1, bool sticky = true,
                   FaultTarget target = FaultTarget::AnyFile);
    // Read-only media on or off (affects opens from now on; open files keep their mode).
    void setReadOnlyMedia(bool readOnly);
    // Disarms every fault and resets every counter.
    void clear();

    int writes() const;          // writes seen (any file) since the last clear()/failWrites()
    int syncs() const;           // syncs seen (any file) since the last clear()/failSyncs()
    int faultsInjected() const;  // failures returned since the last clear()

    // Clears the faults when constructed and again when destroyed, so one test's faults never
    // leak into the next (also when a REQUIRE throws).
    class Scope {
    public:
        Scope() { FaultVfs::instance().clear(); }
        ~Scope() { FaultVfs::instance().clear(); }
        Scope(const Scope&) = delete;
        Scope& operator=(const Scope&) = delete;
    };

private:
    FaultVfs();
};

}  // namespace signpost::test
