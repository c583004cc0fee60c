// Signpost — the directory's thorough check, off the UI thread, after a fast start.
//
// openKioskRuntime() opens the directory with DirectoryCheck::Fast (~1 ms) so the first frame is
// not held up by reading the whole file (PRAGMA quick_check plus the FTS5 integrity-check: about
// 23 MB and 0.1-0.2 s for 10k services, more from a cold SD card). The shell then runs this
// check on its own thread; if it finds damage, the UI thread calls rebuildDirectory()
// (kiosk_runtime.h), which rebuilds from the bundle and leaves a note for staff.
//
// Thread-safety: construct, poll and destroy on one thread (the UI thread). The check runs on a
// thread of its own with its own SQLite connection; `onDone` is called on that thread.
#pragma once

#include <filesystem>
#include <functional>
#include <future>
#include <optional>
#include <string>

namespace signpost {

class DirectoryVerification {
public:
    // Starts DirectoryStore::verify(path) at once. `onDone` (may be empty) runs on the checking
    // thread when it finishes, e.g. to wake a sleeping frame loop; it must not throw.
    DirectoryVerification(std::filesystem::path path, std::function<void()> onDone);
    ~DirectoryVerification();  // waits for the check to finish
    DirectoryVerification(const DirectoryVerification&) = delete;
    DirectoryVerification& operator=(const DirectoryVerification&) = delete;

    // Non-blocking. nullopt while the check runs (and after the result was taken once);
    // "" when the file is sound; otherwise what is wrong with it.
    std::optional<std::string> takeResult();
    // Blocks until the check is done and returns the result (tests).
    std::string wait();

private:
    std::future<std::string> m_result;
};

}  // namespace signpost
