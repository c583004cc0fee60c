#include "ui_testing/test_kiosk.h"

#include "core/common/atomic_file.h"
#include "core/common/ids.h"
#include "core/directory/hsds_import.h"
#include "fixtures/synthetic_directory.h"

namespace signpost::ui::testing {

std::string testConfigText(const TestKioskOptions& options, const std::string& coordinatorKey) {
    std::string text;
    text += "# Written by TestKiosk\n[venue]\n";
    text += "name = \"" + options.venueName + "\"\n";
    text += "neighbourhood = \"" + options.neighbourhood + "\"\n";
    text += "[kiosk]\n";
    text += "idle_timeout = " + std::to_string(options.idleTimeoutSeconds) + "\n";
    text += "idle_warning = " + std::to_string(options.idleWarningSeconds) + "\n";
    text += std::string("text_size = \"") + toString(options.textSize) + "\"\n";
    text += "languages = [\"en\", \"pl\"]\n";
    text += std::string("allow_exit = ") + (options.allowExit ? "true" : "false") + "\n";
    text += "[staff]\npin_hash = \"" + options.pinHash + "\"\n";
    text += "[referral]\ncoordinator_public_key = \"" + coordinatorKey + "\"\n";
    return text;
}

TestKiosk::TestKiosk(const std::filesystem::path& dir, const std::filesystem::path& assetsDir,
                     const TestKioskOptions& options)
    : coordinators(CoordinatorKeyPair::generate()) {
    const std::filesystem::path configFile = dir / "kiosk.toml";
    writeFileAtomically(configFile, testConfigText(options, coordinators.publicKey().toBase64()));
    runtime.config = loadKioskConfig(configFile);
    runtime.configFile = configFile;
    runtime.dataDir = dir;
    runtime.assetsDir = assetsDir;
    runtime.zone = TimeZone::load(runtime.config.timeZone);
    runtime.directory = std::make_unique<DirectoryStore>(":memory:", *runtime.zone);
    if (options.syntheticServices > 0) {
        SyntheticDirectoryOptions synthetic;
        synthetic.services = options.syntheticServices;
        runtime.directory->replaceAll(generateSyntheticDirectory(synthetic), "synthetic");
    } else {
        const std::filesystem::path bundle = assetsDir / runtime.config.directoryBundle;
        runtime.directory->replaceAll(loadHsdsFile(bundle), bundle.string());
    }
    runtime.outbox = std::make_unique<Outbox>((dir / "outbox.db").string());
    // A PIN is set the way the installer sets one: with a fresh lock state beside it.
    if (!runtime.config.pinHash.empty() && !std::filesystem::exists(dir / "staff-lock.json")) {
        StaffAuth::writeFreshState(dir / "staff-lock.json", runtime.config.pinHash);
    }
    runtime.staff = std::make_unique<StaffAuth>(runtime.config.pinHash, dir / "staff-lock.json");
    runtime.i18n = I18n::load(assetsDir / "i18n", runtime.config.languages);
    runtime.coordinatorKey = coordinators.publicKey();
    runtime.deviceId = uuidV4();
}

}  // namespace signpost::ui::testing
