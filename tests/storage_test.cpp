#include <catch2/catch.hpp>

#include <sqlite3.h>

#include "core/storage/database.h"
#include "support/test_support.h"

using namespace signpost;

TEST_CASE("statements bind parameters and read columns back", "[storage]") {
    Database db(":memory:");
    db.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, score REAL, data BLOB)");
    Statement insert = db.prepare("INSERT INTO t(name, score, data) VALUES (?, ?, ?)");
    const std::vector<std::uint8_t> bytes{0, 1, 2, 255};
    insert.bind(1, "Robert'); DROP TABLE t;--").bind(2, 2.5).bindBlob(3, bytes);
    insert.run();
    CHECK(db.lastInsertRowId() == 1);

    Statement select = db.prepare("SELECT name, score, data, NULL FROM t WHERE id = ?");
    select.bind(1, 1);
    REQUIRE(select.step());
    CHECK(select.columnText(0) == "Robert'); DROP TABLE t;--");
    CHECK(select.columnDouble(1) == 2.5);
    CHECK(select.columnBlob(2) == bytes);
    CHECK(select.isNull(3));
    CHECK(select.columnText(3).empty());
    CHECK_FALSE(select.step());
}

TEST_CASE("a transaction rolls back unless committed", "[storage]") {
    Database db(":memory:");
    db.exec("CREATE TABLE t(x INTEGER)");
    {
        Transaction transaction(db);
        db.exec("INSERT INTO t VALUES (1)");
    }
    Statement count = db.prepare("SELECT count(*) FROM t");
    REQUIRE(count.step());
    CHECK(count.columnInt(0) == 0);
    count.reset();
    {
        Transaction transaction(db);
        db.exec("INSERT INTO t VALUES (1)");
        transaction.commit();
    }
    REQUIRE(count.step());
    CHECK(count.columnInt(0) == 1);
}

TEST_CASE("errors carry SQLite's codes", "[storage]") {
    Database db(":memory:");
    db.exec("CREATE TABLE t(x INTEGER UNIQUE)");
    db.exec("INSERT INTO t VALUES (1)");
    try {
        db.prepare("INSERT INTO t VALUES (1)").run();
        FAIL("expected a constraint error");
    } catch (const StorageError& error) {
        CHECK(error.code() == SQLITE_CONSTRAINT);
        CHECK(error.extendedCode() == SQLITE_CONSTRAINT_UNIQUE);
    }
    CHECK_THROWS_AS(db.prepare("SELECT * FROM no_such_table"), StorageError);
}

TEST_CASE("a file that is not a database is reported as corrupt", "[storage]") {
    test::TempDir dir("storage");
    test::writeText(dir / "junk.db", std::string(8192, 'x'));
    try {
        Database db((dir / "junk.db").string());
        db.integrityCheck();
        FAIL("expected an error");
    } catch (const StorageError& error) {
        CHECK(error.isCorrupt());
    }
}

TEST_CASE("durable WAL mode is on for file databases", "[storage]") {
    test::TempDir dir("storage");
    Database db((dir / "d.db").string());
    db.useDurableWal();
    Statement mode = db.prepare("PRAGMA journal_mode");
    REQUIRE(mode.step());
    CHECK(mode.columnText(0) == "wal");
    Statement sync = db.prepare("PRAGMA synchronous");
    REQUIRE(sync.step());
    CHECK(sync.columnInt(0) == 2);  // FULL
    CHECK(db.integrityCheck() == "ok");
}
