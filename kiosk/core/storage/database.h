// Signpost — a small RAII layer over SQLite (after SQLiteCpp): Database, Statement, Transaction,
// and a typed StorageError carrying SQLite's codes.
//
// SQL only with bound parameters: Statement::bind() is the only way values enter a query.
// Database::exec() is for fixed DDL and pragmas and must never be built from data.
//
// Thread-safety: a Database and its Statements belong to one thread at a time (SQLite is built
// THREADSAFE=1, but a connection's statements share its state). Open one Database per thread.
// Destructors never throw.
#pragma once

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace signpost {

// Any SQLite failure. code() is the primary result code (SQLITE_FULL, SQLITE_READONLY, ...),
// extendedCode() the extended one (SQLITE_IOERR_WRITE, ...).
class StorageError : public std::runtime_error {
public:
    StorageError(const std::string& message, int code, int extendedCode);
    int code() const noexcept { return m_code; }
    int extendedCode() const noexcept { return m_extendedCode; }
    bool isDiskFull() const noexcept;  // SQLITE_FULL, or an I/O error from ENOSPC
    bool isReadOnly() const noexcept;  // SQLITE_READONLY, SQLITE_PERM, or SQLITE_CANTOPEN
    bool isIoError() const noexcept;   // SQLITE_IOERR_* (a failed write or fsync: a failing disk)
    bool isCorrupt() const noexcept;   // SQLITE_CORRUPT or SQLITE_NOTADB

private:
    int m_code;
    int m_extendedCode;
};

struct DatabaseOptions {
    bool readOnly = false;      // open with SQLITE_OPEN_READONLY
    bool create = true;         // create the file if missing (ignored when readOnly)
    const char* vfs = nullptr;  // SQLite VFS name; nullptr = default. Tests inject faults here.
    int busyTimeoutMs = 5000;   // how long a writer waits for a lock before SQLITE_BUSY
};

class Statement;

class Database {
public:
    // Opens (or creates) the database at `path` (":memory:" for an in-memory one). Enables foreign
    // keys and extended result codes. Throws StorageError.
    explicit Database(const std::string& path, const DatabaseOptions& options = {});
    ~Database();
    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Runs one or more fixed SQL statements with no parameters (schema, pragmas). Throws.
    void exec(std::string_view sql);
    // Compiles one statement. Throws StorageError naming the SQL's first 80 characters on error.
    Statement prepare(std::string_view sql);

    // Durable-write settings used by the outbox and the server: WAL, synchronous=FULL.
    void useDurableWal();
    // PRAGMA integrity_check; returns "ok" or the first problem reported.
    std::string integrityCheck();
    // PRAGMA user_version get/set, used for schema migrations.
    int userVersion();
    void setUserVersion(int version);

    std::int64_t lastInsertRowId() const noexcept;
    int changes() const noexcept;
    const std::string& path() const noexcept { return m_path; }
    sqlite3* handle() const noexcept { return m_db; }

private:
    sqlite3* m_db = nullptr;
    std::string m_path;
};

class Statement {
public:
    Statement(sqlite3* db, std::string_view sql);  // prefer Database::prepare()
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Parameter indexes start at 1, as in SQLite. Text and blobs are copied (SQLITE_TRANSIENT).
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, const std::string& text) {
        return bind(index, std::string_view(text));
    }
    Statement& bindBlob(int index, std::span<const std::uint8_t> bytes);
    Statement& bindNull(int index);
    // Binds all arguments to parameters 1..N in order.
    template <class... Args>
    Statement& bindAll(const Args&... args) {
        int index = 1;
        (bind(index++, args), ...);
        return *this;
    }

    // Advances; true while a row is available, false when done. Throws StorageError.
    bool step();
    // Runs a statement that returns no rows (asserting that), then resets it for reuse.
    void run();
    // Resets to run again and clears bindings.
    void reset();

    int columnCount() const;
    bool isNull(int column) const;
    std::int64_t columnInt64(int column) const;
    int columnInt(int column) const { return static_cast<int>(columnInt64(column)); }
    double columnDouble(int column) const;
    std::string columnText(int column) const;           // "" for NULL
    std::string_view columnTextView(int column) const;  // valid until the next step()/reset()
    std::vector<std::uint8_t> columnBlob(int column) const;

private:
    sqlite3_stmt* m_stmt = nullptr;
    sqlite3* m_db = nullptr;
};

enum class TransactionMode { Deferred, Immediate };

// RAII transaction: begins in the constructor, rolls back in the destructor unless commit() was
// called. Writes use Immediate (BEGIN IMMEDIATE: take the write lock up front, so a busy database
// fails at begin, not halfway through).
class Transaction {
public:
    explicit Transaction(Database& db, TransactionMode mode = TransactionMode::Immediate);
    ~Transaction();  // rolls back if still open; never throws
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    void commit();  // throws StorageError; after a failed commit the destructor rolls back

private:
    Database& m_db;
    bool m_open = true;
};

}  // namespace signpost
