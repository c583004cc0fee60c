// Signpost — where the coordinators' public key comes from (issue 9: nobody takes over a kiosk).
//
// Every referral is sealed to this key at submit. Whoever could replace it would read every
// referral made afterwards, so the kiosk's own process must not be able to: an installed kiosk
// reads it from /etc/signpost/coordinator.pub, a file root owns and the kiosk's user cannot write
// (the unit also mounts it read-only), and ignores referral.coordinator_public_key in kiosk.toml,
// which the kiosk's user may rewrite (the staff panel saves settings there). Remote settings cannot
// set it either (it is not a remote key). Run from a build, kiosk.toml's key is used, unless a key
// file is given with --coordinator-key.
//
// A key file is trusted only if it is a regular file, not writable by its group or others, and
// owned by root — or, when the kiosk itself does not run as root, by a user other than the
// kiosk's. It holds the base64 key printed by `signpost keygen` (surrounding whitespace ignored).
//
// Thread-safety: free functions. Errors: ConfigError (core/config/toml.h) naming the file or key.
#pragma once

#include <filesystem>
#include <vector>

#include "core/config/kiosk_config.h"
#include "core/referral/sealing.h"

namespace signpost {

struct StaffNote;

inline constexpr const char* kInstalledCoordinatorKeyFile = "/etc/signpost/coordinator.pub";

// Reads and checks a key file (see above). Throws ConfigError naming the file and the problem.
CoordinatorPublicKey readCoordinatorKeyFile(const std::filesystem::path& file);

// The key to seal to: from `keyFile` when it is not empty, else from `config`. When kiosk.toml
// also holds a key that differs from the file's, a note.config_warning says it is ignored.
// Throws ConfigError (no key anywhere, a bad key, an untrusted file).
CoordinatorPublicKey resolveCoordinatorKey(const KioskConfig& config,
                                           const std::filesystem::path& keyFile,
                                           std::vector<StaffNote>& notes);

}  // namespace signpost
