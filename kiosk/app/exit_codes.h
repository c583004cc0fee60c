// Signpost — the kiosk's exit codes: what the service manager (systemd unit, installer issue)
// does with each. Values follow sysexits.h where one fits.
//
//   0   normal end: "Exit kiosk" from the staff panel, or SIGTERM/SIGINT (systemctl stop)
//   1   cannot start: display unavailable, storage or assets unusable (details on stderr)
//   2   bad command line (usage printed on stderr)
//   70  the UI failed mid-run (EX_SOFTWARE); a notice was shown, then the kiosk exited so the
//       service manager restarts it (Restart=on-failure)
//   75  "Restart kiosk" from the staff panel (EX_TEMPFAIL). The unit restarts on it:
//       Restart=on-failure already covers it; RestartForceExitStatus=75 makes it explicit
//   78  bad configuration (EX_CONFIG): one line naming file, line and key on stderr; no window
//       is opened. Restarting cannot help; the unit should list it in RestartPreventExitStatus=
#pragma once

namespace signpost::app {

inline constexpr int kExitOk = 0;
inline constexpr int kExitCannotStart = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitUiFailure = 70;
inline constexpr int kExitRestart = 75;
inline constexpr int kExitBadConfig = 78;

}  // namespace signpost::app
