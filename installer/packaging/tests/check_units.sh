#!/bin/sh
# ctest "packaging: units": the systemd units and session files as the packages ship them.
#   1. `systemd-analyze verify` on every unit, in a root made of the unpacked packages plus the
#      host's own systemd units (so After=/WantedBy= targets resolve). Any output counts as a
#      failure: verify exits 0 on an unknown key and only prints a warning.
#   2. A negative control: a copy with a misspelt key must make verify complain, or step 1
#      proves nothing.
#   3. `systemd-analyze security --offline`: the server and its backup must score at most 2.0
#      ("OK"), the kiosk at most 5.0 (an OpenGL app on unknown GPUs keeps /dev, W+X memory and
#      /tmp).
#   4. The settings the kiosk's recovery and the daily backup depend on are present.
#   5. sh -n on the session and setup scripts; the polkit rule names only the two reboot actions.
#   check_units.sh OUT_DIR   (OUT_DIR/debs from build_packages.sh)
set -eu
out="$1"
root="$out/units-root"
rm -rf "$root"
mkdir -p "$root/lib/systemd/system" "$root/etc/systemd/system"
cp -a /lib/systemd/system/. "$root/lib/systemd/system/"
for deb in "$out"/debs/*.deb; do
    dpkg-deb -x "$deb" "$root"
done
# The backup unit runs /bin/sh (for the weekday in its file name), which every Debian has.
mkdir -p "$root/bin"
cp -L /bin/sh "$root/bin/sh"
fail=0
units=$(cd "$root/lib/systemd/system" && ls signpost-*.service signpost-*.timer)
[ -n "$units" ] || { echo "no signpost units in the packages" >&2; exit 1; }

for unit in $units; do
    report=$(systemd-analyze verify --root="$root" "/lib/systemd/system/$unit" 2>&1) || {
        echo "FAIL verify $unit (exit status):" >&2; echo "$report" >&2; fail=1; continue; }
    if [ -n "$report" ]; then
        echo "FAIL verify $unit printed warnings:" >&2; echo "$report" >&2; fail=1
    else
        echo "ok   systemd-analyze verify $unit"
    fi
done

# Negative control.
bad="$out/units-bad"
rm -rf "$bad"; cp -a "$root" "$bad"
sed -i 's/^WatchdogSec=/WatchdogSecs=/' "$bad/lib/systemd/system/signpost-kiosk.service"
report=$(systemd-analyze verify --root="$bad" /lib/systemd/system/signpost-kiosk.service 2>&1) || true
if [ -z "$report" ]; then
    echo "FAIL negative control: verify did not notice a misspelt key" >&2; fail=1
else
    echo "ok   negative control: verify reports a misspelt key"
fi
rm -rf "$bad"

# Exposure scores (0 = locked down, 10 = unprotected).
score() {
    systemd-analyze security --offline=yes --root="$root" "/lib/systemd/system/$1" 2>&1 |
        sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p'
}
check_score() {
    value=$(score "$1")
    if [ -z "$value" ]; then
        echo "FAIL no exposure score for $1" >&2; fail=1; return
    fi
    if awk -v v="$value" -v m="$2" 'BEGIN { exit !(v <= m) }'; then
        echo "ok   systemd-analyze security $1: $value (limit $2)"
    else
        echo "FAIL systemd-analyze security $1: $value, above $2" >&2; fail=1
    fi
}
check_score signpost-server.service 2.0
check_score signpost-server-backup.service 2.0
check_score signpost-kiosk.service 5.0

# Settings the recovery story depends on (installer/README.md, kiosk/app/exit_codes.h).
expect() {
    unit="$root/lib/systemd/system/$1"; shift
    for line in "$@"; do
        if grep -qx "$line" "$unit"; then :; else
            echo "FAIL $(basename "$unit") lacks '$line'" >&2; fail=1
        fi
    done
}
expect signpost-kiosk.service "Type=notify" "NotifyAccess=main" "WatchdogSec=30s" \
    "Restart=always" "StartLimitIntervalSec=10min" "StartLimitBurst=5" \
    "RestartForceExitStatus=75" "RestartPreventExitStatus=0 2 78" "User=signpost" \
    "ExecStart=/usr/bin/signpost-kiosk" "TimeoutStartSec=180s"
# Issue 13: the app waits for the display itself (extending the start timeout), so no
# ExecStartPre that fails after a fixed time and makes the unit restart forever.
if grep -q '^ExecStartPre=' "$root/lib/systemd/system/signpost-kiosk.service"; then
    echo "FAIL signpost-kiosk.service has an ExecStartPre= again" >&2; fail=1
fi
expect signpost-server-backup.timer "OnCalendar=daily" "Persistent=true" "WantedBy=timers.target"
expect signpost-server-backup.service "Type=oneshot" "User=signpost-server" "PrivateNetwork=yes" \
    "ReadWritePaths=/var/lib/signpost-server /var/backups/signpost" \
    "SyslogIdentifier=signpost-server-backup"
expect signpost-server.service "User=signpost-server" "ProtectSystem=strict" "PrivateTmp=yes" \
    "NoNewPrivileges=yes" "ReadWritePaths=/var/lib/signpost-server" "CapabilityBoundingSet=" \
    "SystemCallFilter=@system-service"
# ReadWritePaths: the data directory only (the kiosk also needs /etc/signpost, see its unit).
if [ "$(grep -c '^ReadWritePaths=' "$root/lib/systemd/system/signpost-server.service")" != 1 ]; then
    echo "FAIL signpost-server.service must have exactly one ReadWritePaths=" >&2; fail=1
fi
[ "$fail" = 0 ] && echo "ok   unit settings present"

for script in "$root/usr/share/signpost/kiosk-session/xinitrc" \
              "$root/usr/share/signpost/kiosk-session/kiosk-profile" \
              "$root/usr/sbin/signpost-setup-kiosk" "$root/usr/sbin/signpost-setup-server"; do
    if sh -n "$script"; then echo "ok   sh -n $(basename "$script")"; else fail=1; fi
done

rule="$root/usr/share/polkit-1/rules.d/49-signpost-kiosk-reboot.rules"
# The actions the rule compares against (comments may name others).
actions=$(grep -o 'action\.id == "[^"]*"' "$rule" | sed 's/.*"\(.*\)"/\1/' | sort -u | tr '\n' ' ')
if grep -v '^ *//' "$rule" | grep -q 'action\.id\.\|indexOf\|startsWith\|match('; then
    echo "FAIL polkit rule matches actions by pattern, not by exact name" >&2; fail=1
fi
if [ "$actions" = "org.freedesktop.login1.reboot org.freedesktop.login1.reboot-multiple-sessions " ] &&
   grep -q 'subject.user == "signpost"' "$rule"; then
    echo "ok   polkit rule: reboot only, user signpost only"
else
    echo "FAIL polkit rule grants: $actions" >&2; fail=1
fi

rm -rf "$root"
exit "$fail"
