#include "core/storage/database.h"

#include <sqlite3.h>

#include <cerrno>
#include <utility>

namespace signpost {

namespace {

[[noreturn]] void throwFrom(sqlite3* db, int rc, const std::string& context) {
    int extended = db != nullptr ? sqlite3_extended_errcode(db) : rc;
    std::string message =
        context + ": " + (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    throw StorageError(message, rc & 0xFF, extended);
}

std::string shortSql(std::string_view sql) {
    std::string text(sql.substr(0, 80));
    for (char& c : text) {
        if (c == '\n' || c == '\t') {
            c = ' ';
        }
    }
    return text;
}

}  // namespace

StorageError::StorageError(const std::string& message, int code, int extendedCode)
    : std::runtime_error(message), m_code(code), m_extendedCode(extendedCode) {}

bool StorageError::isDiskFull() const noexcept {
    return m_code == SQLITE_FULL;
}
bool StorageError::isReadOnly() const noexcept {
    return m_code == SQLITE_READONLY || m_code == SQLITE_CANTOPEN || m_code == SQLITE_PERM;
}
bool StorageError::isIoError() const noexcept {
    return m_code == SQLITE_IOERR;
}
bool StorageError::isCorrupt() const noexcept {
    return m_code == SQLITE_CORRUPT || m_code == SQLITE_NOTADB;
}

Database::Database(const std::string& path, const DatabaseOptions& options) : m_path(path) {
    int flags = SQLITE_OPEN_NOMUTEX;
    if (options.readOnly) {
        flags |= SQLITE_OPEN_READONLY;
    } else {
        flags |= SQLITE_OPEN_READWRITE;
        if (options.create) {
            flags |= SQLITE_OPEN_CREATE;
        }
    }
    int rc = sqlite3_open_v2(path.c_str(), &m_db, flags, options.vfs);
    if (rc != SQLITE_OK) {
        std::string message = "cannot open database " + path + ": " +
                              (m_db != nullptr ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc));
        int extended = m_db != nullptr ? sqlite3_extended_errcode(m_db) : rc;
        sqlite3_close_v2(m_db);
        m_db = nullptr;
        throw StorageError(message, rc & 0xFF, extended);
    }
    sqlite3_extended_result_codes(m_db, 1);
    sqlite3_busy_timeout(m_db, options.busyTimeoutMs);
    exec("PRAGMA foreign_keys = ON");
}

Database::~Database() {
    if (m_db != nullptr) {
        sqlite3_close_v2(m_db);
    }
}

Database::Database(Database&& other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)), m_path(std::move(other.m_path)) {}

Database& Database::operator=(Database&& other) noexcept {
    if (this != &other) {
        if (m_db != nullptr) {
            sqlite3_close_v2(m_db);
        }
        m_db = std::exchange(other.m_db, nullptr);
        m_path = std::move(other.m_path);
    }
    return *this;
}

void Database::exec(std::string_view sql) {
    std::string text(sql);
    char* error = nullptr;
    int rc = sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
        std::string message = "cannot run [" + shortSql(sql) +
                              "]: " + (error != nullptr ? error : sqlite3_errstr(rc));
        sqlite3_free(error);
        throw StorageError(message, rc & 0xFF, sqlite3_extended_errcode(m_db));
    }
}

Statement Database::prepare(std::string_view sql) {
    return Statement(m_db, sql);
}

void Database::useDurableWal() {
    Statement mode = prepare("PRAGMA journal_mode = WAL");
    if (!mode.step() || mode.columnText(0) != "wal") {
        // In-memory databases answer "memory"; that is fine for tests, there is nothing to lose.
        if (m_path != ":memory:" && !m_path.empty()) {
            throw StorageError("cannot switch " + m_path + " to WAL mode", SQLITE_ERROR,
                               SQLITE_ERROR);
        }
    }
    exec("PRAGMA synchronous = FULL");
}

std::string Database::integrityCheck() {
    Statement check = prepare("PRAGMA integrity_check");
    return check.step() ? check.columnText(0) : std::string("no answer");
}

int Database::userVersion() {
    Statement statement = prepare("PRAGMA user_version");
    return statement.step() ? statement.columnInt(0) : 0;
}

void Database::setUserVersion(int version) {
    exec("PRAGMA user_version = " + std::to_string(version));  // an int we made, not data
}

std::int64_t Database::lastInsertRowId() const noexcept {
    return sqlite3_last_insert_rowid(m_db);
}
int Database::changes() const noexcept {
    return sqlite3_changes(m_db);
}

Statement::Statement(sqlite3* db, std::string_view sql) : m_db(db) {
    int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &m_stmt, nullptr);
    if (rc != SQLITE_OK) {
        throwFrom(db, rc, "cannot prepare [" + shortSql(sql) + "]");
    }
}

Statement::~Statement() {
    sqlite3_finalize(m_stmt);
}

Statement::Statement(Statement&& other) noexcept
    : m_stmt(std::exchange(other.m_stmt, nullptr)), m_db(other.m_db) {}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(m_stmt);
        m_stmt = std::exchange(other.m_stmt, nullptr);
        m_db = other.m_db;
    }
    return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
    int rc = sqlite3_bind_int64(m_stmt, index, value);
    if (rc != SQLITE_OK) {
        throwFrom(m_db, rc, "cannot bind parameter " + std::to_string(index));
    }
    return *this;
}

Statement& Statement::bind(int index, double value) {
    int rc = sqlite3_bind_double(m_stmt, index, value);
    if (rc != SQLITE_OK) {
        throwFrom(m_db, rc, "cannot bind parameter " + std::to_string(index));
    }
    return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
    int rc =
        sqlite3_bind_text64(m_stmt, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    if (rc != SQLITE_OK) {
        throwFrom(m_db, rc, "cannot bind parameter " + std::to_string(index));
    }
    return *this;
}

Statement& Statement::bindBlob(int index, std::span<const std::uint8_t> bytes) {
    // A zero-length blob must still be a blob, not NULL: pass a valid pointer.
    static const std::uint8_t kEmpty = 0;
    int rc = sqlite3_bind_blob64(m_stmt, index, bytes.empty() ? &kEmpty : bytes.data(),
                                 bytes.size(), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) {
        throwFrom(m_db, rc, "cannot bind parameter " + std::to_string(index));
    }
    return *this;
}

Statement& Statement::bindNull(int index) {
    int rc = sqlite3_bind_null(m_stmt, index);
    if (rc != SQLITE_OK) {
        throwFrom(m_db, rc, "cannot bind parameter " + std::to_string(index));
    }
    return *this;
}

bool Statement::step() {
    int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    // Reset so the statement can be reused; sqlite3_reset returns the same error, ignore it.
    std::string sql = shortSql(sqlite3_sql(m_stmt) != nullptr ? sqlite3_sql(m_stmt) : "");
    int extended = sqlite3_extended_errcode(m_db);
    std::string message = "cannot run [" + sql + "]: " + sqlite3_errmsg(m_db);
    sqlite3_reset(m_stmt);
    throw StorageError(message, rc & 0xFF, extended);
}

void Statement::run() {
    while (step()) {
    }
    reset();
}

void Statement::reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

int Statement::columnCount() const {
    return sqlite3_column_count(m_stmt);
}
bool Statement::isNull(int column) const {
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}
std::int64_t Statement::columnInt64(int column) const {
    return sqlite3_column_int64(m_stmt, column);
}
double Statement::columnDouble(int column) const {
    return sqlite3_column_double(m_stmt, column);
}

std::string Statement::columnText(int column) const {
    return std::string(columnTextView(column));
}

std::string_view Statement::columnTextView(int column) const {
    const unsigned char* text = sqlite3_column_text(m_stmt, column);
    if (text == nullptr) {
        return {};
    }
    return {reinterpret_cast<const char*>(text),
            static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column))};
}

std::vector<std::uint8_t> Statement::columnBlob(int column) const {
    const void* data = sqlite3_column_blob(m_stmt, column);
    auto size = static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column));
    if (data == nullptr || size == 0) {
        return {};
    }
    const auto* bytes = static_cast<const std::uint8_t*>(data);
    return {bytes, bytes + size};
}

Transaction::Transaction(Database& db, TransactionMode mode) : m_db(db) {
    db.exec(mode == TransactionMode::Immediate ? "BEGIN IMMEDIATE" : "BEGIN");
}

Transaction::~Transaction() {
    if (m_open) {
        // ROLLBACK can fail only if SQLite already rolled back (e.g. after SQLITE_FULL); either way
        // nothing of this transaction remains.
        sqlite3_exec(m_db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
}

void Transaction::commit() {
    m_db.exec("COMMIT");
    m_open = false;
}

}  // namespace signpost
