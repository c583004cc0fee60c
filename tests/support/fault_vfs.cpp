#include "support/fault_vfs.h"

#include <cstddef>
#include <mutex>
#include <stdexcept>
#include <string>

namespace signpost::test {

namespace {

struct Fault {
    bool armed = false;
    int errorCode = SQLITE_OK;
    int nth = 1;
    bool sticky = true;
    FaultTarget target = FaultTarget::AnyFile;
    int matching = 0;  // matching calls seen since armed
};

struct State {
    std::mutex mutex;
    Fault write;
    Fault sync;
    bool readOnlyMedia = false;
    int writes = 0;
    int syncs = 0;
    int injected = 0;
};

State& state() {
    static State instance;
    return instance;
}

sqlite3_vfs* g_real = nullptr;  // the wrapped default VFS, set once at registration
sqlite3_vfs g_vfs{};

// Our sqlite3_file: SQLite allocates szOsFile bytes; the real VFS's file lives right after ours.
struct WrappedFile {
    sqlite3_file base;  // must be first: SQLite hands us a pointer to it
    sqlite3_file* real;
    FaultTarget kind;
};

constexpr std::size_t kRealOffset = (sizeof(WrappedFile) + 15) & ~std::size_t{15};

WrappedFile* wrapped(sqlite3_file* file) {
    return reinterpret_cast<WrappedFile*>(file);
}
sqlite3_file* realOf(sqlite3_file* file) {
    return wrapped(file)->real;
}

FaultTarget kindFromFlags(int flags) {
    if ((flags & SQLITE_OPEN_MAIN_DB) != 0) {
        return FaultTarget::MainDatabase;
    }
    if ((flags & SQLITE_OPEN_WAL) != 0) {
        return FaultTarget::Wal;
    }
    if ((flags & SQLITE_OPEN_MAIN_JOURNAL) != 0) {
        return FaultTarget::Journal;
    }
    return FaultTarget::AnyFile;  // temp files, sub-journals: only matched by AnyFile
}

// Counts a call and decides whether it fails; returns SQLITE_OK to let it through.
int decide(Fault& fault, int& counter, FaultTarget kind) {
    State& s = state();  // the caller holds s.mutex
    ++counter;
    if (!fault.armed || (fault.target != FaultTarget::AnyFile && fault.target != kind)) {
        return SQLITE_OK;
    }
    ++fault.matching;
    if (fault.matching == fault.nth || (fault.sticky && fault.matching > fault.nth)) {
        ++s.injected;
        return fault.errorCode;
    }
    return SQLITE_OK;
}

// ---- io methods: forward, with faults on write and sync ------------------------------------

int faultClose(sqlite3_file* file) {
    sqlite3_file* real = realOf(file);
    return real->pMethods != nullptr ? real->pMethods->xClose(real) : SQLITE_OK;
}
int faultRead(sqlite3_file* file, void* data, int amount, sqlite3_int64 offset) {
    sqlite3_file* real = realOf(file);
    return real->pMethods->xRead(real, data, amount, offset);
}
int faultWrite(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
    {
        State& s = state();
        std::lock_guard lock(s.mutex);
        if (int rc = decide(s.write, s.writes, wrapped(file)->kind); rc != SQLITE_OK) {
            return rc;
        }
    }
    sqlite3_file* real = realOf(file);
    return real->pMethods->xWrite(real, data, amount, offset);
}
int faultTruncate(sqlite3_file* file, sqlite3_int64 size) {
    sqlite3_file* real = realOf(file);
    return real->pMethods->xTruncate(real, size);
}
int faultSync(sqlite3_file* file, int flags) {
    {
        State& s = state();
        std::lock_guard lock(s.mutex);
        if (int rc = decide(s.sync, s.syncs, wrapped(file)->kind); rc != SQLITE_OK) {
            return rc;
        }
    }
    sqlite3_file* real = realOf(file);
    return real->pMethods->xSync(real, flags);
}
int faultFileSize(sqlite3_file* file, sqlite3_int64* size) {
    sqlite3_file* real = realOf(file);
    return real->pMethods->xFileSize(real, size);
}
int faultLock(sqlite3_file* file, int level) {
    sqlite3_file* real = realOf(file);
    return real->pMethods->xLock(real, level);
}
int faultUnlock(sqlite3_file* file, int level) {
    sqlite3_file* real = realOf(file);
    return real->pMethods->xUnlock(real, level);
}
int faultCheckReservedLock(sqlite3_file* file, int* result) {
    sqlite3_file* real = realOf(file);
    return real->pMethods->xCheckReservedLock(real, result);
}
int faultFileControl(sqlite3_file* file, int op, void* arg) {
    sqlite3_file* real = realOf(file);
    return real->pMethods->xFileControl(real, op, arg);
}
int faultSectorSize(sqlite3_file* file) {
    sqlite3_file* real = realOf(file);
    return real->pMethods->xSectorSize(real);
}
int faultDeviceCharacteristics(sqlite3_file* file) {
    sqlite3_file* real = realOf(file);
    return real->pMethods->xDeviceCharacteristics(real);
}
int faultShmMap(sqlite3_file* file, int page, int pageSize, int extend, void volatile** out) {
    sqlite3_file* real = realOf(file);
    return real->pMethods->xShmMap(real, page, pageSize, extend, out);
}
int faultShmLock(sqlite3_file* file, int offset, int n, int flags) {
    sqlite3_file* real = realOf(file);
    return real->pMethods->xShmLock(real, offset, n, flags);
}
void faultShmBarrier(sqlite3_file* file) {
    sqlite3_file* real = realOf(file);
    real->pMethods->xShmBarrier(real);
}
int faultShmUnmap(sqlite3_file* file, int deleteFlag) {
    sqlite3_file* real = realOf(file);
    return real->pMethods->xShmUnmap(real, deleteFlag);
}
int faultFetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
    sqlite3_file* real = realOf(file);
    return real->pMethods->xFetch(real, offset, amount, out);
}
int faultUnfetch(sqlite3_file* file, sqlite3_int64 offset, void* page) {
    sqlite3_file* real = realOf(file);
    return real->pMethods->xUnfetch(real, offset, page);
}

// One table per io-methods version, so SQLite never calls a method the real file lacks.
constexpr sqlite3_io_methods makeMethods(int version) {
    sqlite3_io_methods methods{};
    methods.iVersion = version;
    methods.xClose = faultClose;
    methods.xRead = faultRead;
    methods.xWrite = faultWrite;
    methods.xTruncate = faultTruncate;
    methods.xSync = faultSync;
    methods.xFileSize = faultFileSize;
    methods.xLock = faultLock;
    methods.xUnlock = faultUnlock;
    methods.xCheckReservedLock = faultCheckReservedLock;
    methods.xFileControl = faultFileControl;
    methods.xSectorSize = faultSectorSize;
    methods.xDeviceCharacteristics = faultDeviceCharacteristics;
    if (version >= 2) {
        methods.xShmMap = faultShmMap;
        methods.xShmLock = faultShmLock;
        methods.xShmBarrier = faultShmBarrier;
        methods.xShmUnmap = faultShmUnmap;
    }
    if (version >= 3) {
        methods.xFetch = faultFetch;
        methods.xUnfetch = faultUnfetch;
    }
    return methods;
}

const sqlite3_io_methods kMethods[3] = {makeMethods(1), makeMethods(2), makeMethods(3)};

// ---- vfs methods ---------------------------------------------------------------------------

bool readOnlyMedia() {
    State& s = state();
    std::lock_guard lock(s.mutex);
    return s.readOnlyMedia;
}

int faultOpen(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* outFlags) {
    WrappedFile* self = wrapped(file);
    self->base.pMethods = nullptr;
    self->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + kRealOffset);
    self->real->pMethods = nullptr;
    self->kind = kindFromFlags(flags);

    int openFlags = flags;
    // Named files live on the "media"; nameless temporary files live elsewhere and stay writable.
    if (name != nullptr && (flags & SQLITE_OPEN_READWRITE) != 0 && readOnlyMedia()) {
        openFlags = (flags & ~(SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) | SQLITE_OPEN_READONLY;
    }
    const int rc = g_real->xOpen(g_real, name, self->real, openFlags, outFlags);
    if (rc != SQLITE_OK) {
        // SQLite calls xClose only when pMethods is set; keep ours unset and close the real one.
        if (self->real->pMethods != nullptr) {
            self->real->pMethods->xClose(self->real);
        }
        return rc;
    }
    const int version = self->real->pMethods->iVersion;
    self->base.pMethods = &kMethods[(version < 1 ? 1 : version > 3 ? 3 : version) - 1];
    return SQLITE_OK;
}

int faultDelete(sqlite3_vfs*, const char* name, int syncDir) {
    if (readOnlyMedia()) {
        return SQLITE_IOERR_DELETE;
    }
    return g_real->xDelete(g_real, name, syncDir);
}

int faultAccess(sqlite3_vfs*, const char* name, int flags, int* result) {
    const int rc = g_real->xAccess(g_real, name, flags, result);
    if (rc == SQLITE_OK && flags == SQLITE_ACCESS_READWRITE && readOnlyMedia()) {
        *result = 0;
    }
    return rc;
}

int faultFullPathname(sqlite3_vfs*, const char* name, int size, char* out) {
    return g_real->xFullPathname(g_real, name, size, out);
}
void* faultDlOpen(sqlite3_vfs*, const char* file) {
    return g_real->xDlOpen(g_real, file);
}
void faultDlError(sqlite3_vfs*, int size, char* message) {
    g_real->xDlError(g_real, size, message);
}
void (*faultDlSym(sqlite3_vfs*, void* handle, const char* symbol))(void) {
    return g_real->xDlSym(g_real, handle, symbol);
}
void faultDlClose(sqlite3_vfs*, void* handle) {
    g_real->xDlClose(g_real, handle);
}
int faultRandomness(sqlite3_vfs*, int size, char* out) {
    return g_real->xRandomness(g_real, size, out);
}
int faultSleep(sqlite3_vfs*, int microseconds) {
    return g_real->xSleep(g_real, microseconds);
}
int faultCurrentTime(sqlite3_vfs*, double* now) {
    return g_real->xCurrentTime(g_real, now);
}
int faultGetLastError(sqlite3_vfs*, int size, char* out) {
    return g_real->xGetLastError(g_real, size, out);
}
int faultCurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* now) {
    return g_real->xCurrentTimeInt64(g_real, now);
}
int faultSetSystemCall(sqlite3_vfs*, const char* name, sqlite3_syscall_ptr call) {
    return g_real->xSetSystemCall(g_real, name, call);
}
sqlite3_syscall_ptr faultGetSystemCall(sqlite3_vfs*, const char* name) {
    return g_real->xGetSystemCall(g_real, name);
}
const char* faultNextSystemCall(sqlite3_vfs*, const char* name) {
    return g_real->xNextSystemCall(g_real, name);
}

void registerVfs() {
    g_real = sqlite3_vfs_find(nullptr);
    if (g_real == nullptr) {
        throw std::runtime_error("SQLite has no default VFS to wrap");
    }
    g_vfs.iVersion = g_real->iVersion < 3 ? g_real->iVersion : 3;
    g_vfs.szOsFile = static_cast<int>(kRealOffset) + g_real->szOsFile;
    g_vfs.mxPathname = g_real->mxPathname;
    g_vfs.zName = FaultVfs::kName;
    g_vfs.xOpen = faultOpen;
    g_vfs.xDelete = faultDelete;
    g_vfs.xAccess = faultAccess;
    g_vfs.xFullPathname = faultFullPathname;
    g_vfs.xDlOpen = faultDlOpen;
    g_vfs.xDlError = faultDlError;
    g_vfs.xDlSym = faultDlSym;
    g_vfs.xDlClose = faultDlClose;
    g_vfs.xRandomness = faultRandomness;
    g_vfs.xSleep = faultSleep;
    g_vfs.xCurrentTime = faultCurrentTime;
    g_vfs.xGetLastError = faultGetLastError;
    if (g_vfs.iVersion >= 2) {
        g_vfs.xCurrentTimeInt64 = faultCurrentTimeInt64;
    }
    if (g_vfs.iVersion >= 3) {
        g_vfs.xSetSystemCall = faultSetSystemCall;
        g_vfs.xGetSystemCall = faultGetSystemCall;
        g_vfs.xNextSystemCall = faultNextSystemCall;
    }
    const int rc = sqlite3_vfs_register(&g_vfs, 0);
    if (rc != SQLITE_OK) {
        throw std::runtime_error(std::string("cannot register the fault VFS: ") +
                                 sqlite3_errstr(rc));
    }
}

void arm(Fault& fault, int errorCode, int nth, bool sticky, FaultTarget target) {
    if (nth < 1) {
        throw std::invalid_argument("FaultVfs: nth counts from 1");
    }
    fault = Fault{true, errorCode, nth, sticky, target, 0};
}

}  // namespace

FaultVfs::FaultVfs() {
    registerVfs();
}

FaultVfs& FaultVfs::instance() {
    static FaultVfs vfs;
    return vfs;
}

void FaultVfs::failWrites(int errorCode, int nth, bool sticky, FaultTarget target) {
    State& s = state();
    std::lock_guard lock(s.mutex);
    arm(s.write, errorCode, nth, sticky, target);
    s.writes = 0;
}

void FaultVfs::failSyncs(int errorCode, int nth, bool sticky, FaultTarget target) {
    State& s = state();
    std::lock_guard lock(s.mutex);
    arm(s.sync, errorCode, nth, sticky, target);
    s.syncs = 0;
}

void FaultVfs::setReadOnlyMedia(bool readOnly) {
    State& s = state();
    std::lock_guard lock(s.mutex);
    s.readOnlyMedia = readOnly;
}

void FaultVfs::clear() {
    State& s = state();
    std::lock_guard lock(s.mutex);
    s.write = {};
    s.sync = {};
    s.readOnlyMedia = false;
    s.writes = 0;
    s.syncs = 0;
    s.injected = 0;
}

int FaultVfs::writes() const {
    State& s = state();
    std::lock_guard lock(s.mutex);
    return s.writes;
}

int FaultVfs::syncs() const {
    State& s = state();
    std::lock_guard lock(s.mutex);
    return s.syncs;
}

int FaultVfs::faultsInjected() const {
    State& s = state();
    std::lock_guard lock(s.mutex);
    return s.injected;
}

}  // namespace signpost::test
