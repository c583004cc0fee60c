// Signpost UI testing — a complete KioskRuntime in a temporary folder, without the shell: a real
// config file (so staff saves work), the bundled demo directory or a synthetic one in memory, a
// file-backed outbox, staff lock state, texts from assets/i18n, and a fresh coordinator key pair
// whose secret half the test keeps to open what the kiosk sealed.
// Thread-safety: one thread.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

#include "core/config/kiosk_config.h"
#include "core/referral/sealing.h"
#include "core/runtime/kiosk_runtime.h"

namespace signpost::ui::testing {

struct TestKioskOptions {
    std::size_t syntheticServices = 0;  // 0 = assets/directory/manchester-demo.json
    std::string venueName = "Test Library";
    std::string neighbourhood = "Hulme, Moss Side & Rusholme";
    std::string pinHash;  // "" = no staff PIN yet
    bool allowExit = false;
    TextSize textSize = TextSize::Normal;
    int idleTimeoutSeconds = 90;
    int idleWarningSeconds = 30;
};

class TestKiosk {
public:
    // `dir` must exist and be empty; `assetsDir` is the repository's assets folder.
    TestKiosk(const std::filesystem::path& dir, const std::filesystem::path& assetsDir,
              const TestKioskOptions& options = {});

    KioskRuntime runtime;
    CoordinatorKeyPair coordinators;
};

// The config text a TestKiosk writes (documented keys only).
std::string testConfigText(const TestKioskOptions& options, const std::string& coordinatorKey);

}  // namespace signpost::ui::testing
