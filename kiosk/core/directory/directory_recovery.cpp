// Signpost — DirectoryStore::verify() and openOrRebuild(): how healthy a directory file is
// (missing, empty, an older schema, damaged) and, when it cannot be trusted, rebuilding it from
// the bundled HSDS file. The directory is not precious (referrals live elsewhere), so a damaged
// file is deleted and rebuilt rather than repaired; the bundle is parsed first so a broken bundle
// never costs a working file. Opening an existing file is in directory_store.cpp.
#include <filesystem>
#include <string>

#include "core/common/log.h"
#include "core/directory/directory_rows.h"
#include "core/directory/directory_store.h"
#include "core/directory/hsds_import.h"

namespace signpost {

using namespace directory_detail;

namespace {

enum class Health { Healthy, Missing, Empty, OldSchema, Damaged };

Health inspect(const std::filesystem::path& path, DirectoryCheck level, std::string& reason) {
    std::error_code error;
    if (!std::filesystem::exists(path, error)) {
        return Health::Missing;
    }
    if (std::filesystem::file_size(path, error) == 0 && !error) {
        return Health::Empty;
    }
    try {
        DatabaseOptions options;
        options.create = false;
        Database db(path.string(), options);
        const int version = db.userVersion();
        if (version == 0) {
            Statement tables = db.prepare("SELECT count(*) FROM sqlite_schema");
            tables.step();
            if (tables.columnInt64(0) == 0) {
                return Health::Empty;
            }
            reason = "not a Signpost directory";
            return Health::Damaged;
        }
        if (version != kSchemaVersion) {
            reason = "schema " + std::to_string(version) + ", this build reads " +
                     std::to_string(kSchemaVersion);
            return Health::OldSchema;
        }
        if (level == DirectoryCheck::Thorough) {
            // quick_check reads every page and checks its structure (not index-to-table agreement):
            // what a torn or truncated file breaks, at a fraction of integrity_check's cost.
            const std::string check = [&] {
                Statement statement = db.prepare("PRAGMA quick_check(1)");
                return statement.step() ? statement.columnText(0) : std::string("no answer");
            }();
            if (check != "ok") {
                reason = "quick_check: " + check;
                return Health::Damaged;
            }
            db.exec("INSERT INTO service_fts (service_fts) VALUES ('integrity-check')");
        }
        Statement services = db.prepare("SELECT count(*) FROM services");
        services.step();
        if (services.columnInt64(0) == 0) {
            reason = "holds no services";
            return Health::Damaged;
        }
        Statement meta = db.prepare("SELECT count(*) FROM directory_meta WHERE key = 'version'");
        meta.step();
        if (meta.columnInt64(0) != 1) {
            reason = "no directory version recorded";
            return Health::Damaged;
        }
        return Health::Healthy;
    } catch (const StorageError& failure) {
        reason = failure.what();
        return Health::Damaged;
    }
}

void removeDatabaseFiles(const std::filesystem::path& path) {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        std::filesystem::remove(path.string() + suffix, ignored);
    }
}

}  // namespace

std::string DirectoryStore::verify(const std::filesystem::path& path) {
    std::string reason;
    try {
        switch (inspect(path, DirectoryCheck::Thorough, reason)) {
            case Health::Healthy:
                return {};
            case Health::Missing:
                return "missing";
            case Health::Empty:
                return "empty";
            case Health::OldSchema:
            case Health::Damaged:
                return reason.empty() ? std::string("damaged") : reason;
        }
    } catch (const std::exception& error) {
        return error.what();
    }
    return "damaged";
}

DirectoryStore DirectoryStore::openOrRebuild(const std::filesystem::path& path,
                                             const std::filesystem::path& bundledJson,
                                             const TimeZone& zone, DirectoryOpenOutcome& outcome,
                                             DirectoryCheck check) {
    std::string reason;
    const Health health = inspect(path, check, reason);
    if (health == Health::Healthy) {
        try {
            DirectoryStore store(path.string(), zone);
            outcome = DirectoryOpenOutcome::Opened;
            return store;
        } catch (const StorageError& failure) {
            reason = failure.what();
        }
    }
    // Parse the bundle before deleting anything: a broken bundle must not cost a working file.
    DirectoryData bundle = loadHsdsFile(bundledJson);
    const bool damaged = health == Health::Damaged || health == Health::Healthy;
    if (damaged) {
        logWarning("directory", "directory database " + path.string() + " is damaged (" + reason +
                                    "); rebuilding it from " + bundledJson.filename().string());
    } else if (health == Health::OldSchema) {
        logInfo("directory", "directory database " + path.string() + " has an older layout (" +
                                 reason + "); rebuilding it from " +
                                 bundledJson.filename().string());
    } else {
        logInfo("directory",
                "creating the directory database from " + bundledJson.filename().string());
    }
    removeDatabaseFiles(path);
    DirectoryStore store(path.string(), zone);
    store.replaceAll(bundle, bundledJson.string());
    outcome = damaged ? DirectoryOpenOutcome::RebuiltAfterDamage
                      : DirectoryOpenOutcome::CreatedFromBundle;
    return store;
}

}  // namespace signpost
