#include "sync/server/run_as_owner.h"

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>
#include <vector>

#include "core/common/atomic_file.h"

namespace signpost::server {

namespace {

[[noreturn]] void fail(const std::string& what) {
    throw std::system_error(errno, std::generic_category(), what);
}

}  // namespace

std::optional<DataOwner> dataOwnerToBecome(const std::filesystem::path& dataDir) {
    if (::geteuid() != 0) {
        return std::nullopt;
    }
    struct stat info {};
    if (::stat(dataDir.c_str(), &info) != 0 || !S_ISDIR(info.st_mode) || info.st_uid == 0) {
        return std::nullopt;
    }
    DataOwner owner;
    owner.uid = info.st_uid;
    owner.gid = info.st_gid;
    owner.name = std::to_string(info.st_uid);
    // getpwuid_r: nothing else in the process may be using getpwuid's static buffer.
    std::vector<char> buffer(16384);
    passwd entry{};
    passwd* found = nullptr;
    if (::getpwuid_r(info.st_uid, &entry, buffer.data(), buffer.size(), &found) == 0 &&
        found != nullptr) {
        owner.name = entry.pw_name;
        owner.gid = entry.pw_gid;
    }
    return owner;
}

std::optional<DataOwner> becomeDataOwner(const std::filesystem::path& dataDir) {
    auto owner = dataOwnerToBecome(dataDir);
    if (!owner) {
        return std::nullopt;
    }
    // Groups first, while still allowed to change them; the user id last.
    if (std::to_string(owner->uid) == owner->name) {
        if (::setgroups(0, nullptr) != 0) {
            fail("cannot drop the supplementary groups");
        }
    } else if (::initgroups(owner->name.c_str(), owner->gid) != 0) {
        fail("cannot take the groups of " + owner->name);
    }
    if (::setresgid(owner->gid, owner->gid, owner->gid) != 0) {
        fail("cannot switch to the group of " + owner->name);
    }
    if (::setresuid(owner->uid, owner->uid, owner->uid) != 0) {
        fail("cannot switch to the user " + owner->name);
    }
    if (::setuid(0) == 0 || ::geteuid() != owner->uid) {
        errno = EPERM;
        fail("switched to " + owner->name + " but could become root again");
    }
    return owner;
}

std::optional<std::string> dataDirAccessProblem(const std::filesystem::path& dataDir) {
    if (::geteuid() == 0) {
        return std::nullopt;
    }
    struct stat info {};
    if (::stat(dataDir.c_str(), &info) != 0) {
        if (errno == ENOENT) {
            return std::nullopt;
        }
    } else if (::access(dataDir.c_str(), R_OK | W_OK | X_OK) == 0) {
        return std::nullopt;
    }
    std::string owner = "its owner";
    if (::stat(dataDir.c_str(), &info) == 0) {
        std::vector<char> buffer(16384);
        passwd entry{};
        passwd* found = nullptr;
        if (::getpwuid_r(info.st_uid, &entry, buffer.data(), buffer.size(), &found) == 0 &&
            found != nullptr) {
            owner = entry.pw_name;
        }
    }
    return "this user cannot use " + dataDir.string() + ": run the command as root (it then acts " +
           "as " + owner + ") or as " + owner;
}

void actAsDataOwner(const std::filesystem::path& dataDir) {
    becomeDataOwner(dataDir);
    if (const auto problem = dataDirAccessProblem(dataDir)) {
        throw FileError(dataDir, *problem, 0);
    }
}

}  // namespace signpost::server
