#!/bin/sh
# ctest "packaging: install": installs the packages with dpkg into a throwaway Debian 12 root
# and checks users, files, permissions and what remove and purge do. Why this is as strong as
# debootstrap, and where it is weaker, is in installer/README.md ("How the packages are tested").
#
# The throwaway root is an overlay: the host's own Debian 12 file system read-only below, a
# tmpfs on top that receives every write, in a private mount namespace (unshare -m). dpkg, its
# database, adduser and the maintainer scripts are the host's real ones, run with chroot; when
# the test ends the tmpfs goes away and the host is untouched. Needs root (CI runs as root);
# without it the test is skipped (exit 77).
#
# Dependencies the host does not have installed (the X server, polkitd...) are checked to
# exist in the apt archive, then satisfied with empty stub packages inside the throwaway root,
# so dpkg still checks every other dependency for real.
#   check_install.sh OUT_DIR
set -eu
out="$(cd "$1" && pwd)"
here="$(cd "$(dirname "$0")" && pwd)"

if [ "${SIGNPOST_IN_NAMESPACE:-}" != 1 ]; then
    if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null 2>&1; then
        echo "SKIP: needs root and unshare (for a private overlay root)"
        exit 77
    fi
    if ! unshare --mount --propagation private true 2>/dev/null; then
        echo "SKIP: this machine does not allow a private mount namespace (a container without CAP_SYS_ADMIN?)"
        exit 77
    fi
    exec env SIGNPOST_IN_NAMESPACE=1 unshare --mount --propagation private "$0" "$@"
fi

base="$out/install-root"
rm -rf "$base"; mkdir -p "$base"
mount -t tmpfs -o size=2g tmpfs "$base"
mkdir -p "$base/upper" "$base/work" "$base/root"
if ! mount -t overlay overlay -o "lowerdir=/,upperdir=$base/upper,workdir=$base/work" "$base/root"; then
    echo "SKIP: this kernel or container does not allow an overlay mount of /"
    umount "$base"
    exit 77
fi
root="$base/root"
mount -t proc proc "$root/proc"
mount --rbind /dev "$root/dev"
mount -t tmpfs tmpfs "$root/tmp"
mount -t tmpfs tmpfs "$root/run"   # no /run/systemd/system: the scripts see "no systemd"
cleanup() { umount -l "$base" 2>/dev/null || true; rmdir "$base" 2>/dev/null || true; }
trap cleanup EXIT

fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*" >&2; fail=1; }
inroot() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }

mkdir -p "$root/tmp/debs"
cp "$out"/debs/*.deb "$root/tmp/debs/"
deb() { set -- "$root"/tmp/debs/"$1"_*.deb; echo "/tmp/debs/$(basename "$1")"; }

# A package's left state must be clean before the test, so a host that has Signpost installed
# (a developer's kiosk) does not confuse it.
for package in signpost-kiosk signpost-server signpost-tools; do
    inroot dpkg --purge "$package" >/dev/null 2>&1 || true
done
rm -rf "$root/var/lib/signpost" "$root/var/lib/signpost-server" "$root"/var/lib/signpost.unsent-*
rm -rf "$root/etc/signpost"
inroot userdel signpost >/dev/null 2>&1 || true
inroot userdel signpost-server >/dev/null 2>&1 || true
inroot groupdel signpost >/dev/null 2>&1 || true
inroot groupdel signpost-server >/dev/null 2>&1 || true

# --- Stubs for dependencies that are real Debian packages but not installed on this host.
stubs="$root/tmp/stubs"
mkdir -p "$stubs"
have_lists=$(ls /var/lib/apt/lists/*_Packages 2>/dev/null | head -1 || true)
for package in signpost-kiosk signpost-server signpost-tools; do
    dpkg-deb -f "$out/debs/$(basename "$(deb "$package")")" Depends | tr ',' '\n' |
        sed 's/^ *//; s/ .*//; s/|.*//' | while read -r dep; do
        [ -n "$dep" ] || continue
        if inroot dpkg-query -W -f='${Status}' "$dep" 2>/dev/null | grep -q 'install ok installed'; then
            continue
        fi
        if [ -n "$have_lists" ]; then
            if ! apt-cache show --no-all-versions "$dep" >/dev/null 2>&1; then
                echo "FAIL $package depends on $dep, which is not in the apt archive" >&2
                echo "$dep" >>"$root/tmp/unknown-deps"
                continue
            fi
        fi
        [ -d "$stubs/$dep" ] && continue
        mkdir -p "$stubs/$dep/DEBIAN"
        printf 'Package: %s\nVersion: 999:0-stub\nArchitecture: all\nMaintainer: test <test@example.org>\nDescription: stub for the Signpost package test\n' \
            "$dep" >"$stubs/$dep/DEBIAN/control"
        dpkg-deb -b "$stubs/$dep" "$stubs/$dep.deb" >/dev/null
        echo "     stub for $dep (in the apt archive, not installed on this host)"
    done
done
[ -e "$root/tmp/unknown-deps" ] && bad "unknown dependencies: $(cat "$root/tmp/unknown-deps")"
[ -n "$have_lists" ] || echo "     note: no apt lists on this host; dependency names were not checked against the archive"
if ls "$stubs"/*.deb >/dev/null 2>&1; then
    inroot sh -c 'dpkg -i /tmp/stubs/*.deb' >/dev/null || bad "stub install"
fi

# --- Install: real dependency checks, real maintainer scripts.
if inroot dpkg -i "$(deb signpost-tools)" "$(deb signpost-server)" "$(deb signpost-kiosk)" \
        >"$base/install.log" 2>&1; then
    ok "dpkg -i signpost-kiosk signpost-server signpost-tools"
else
    bad "dpkg -i failed:"; cat "$base/install.log" >&2
    exit 1
fi

expect_stat() {  # path "mode owner group"
    actual=$(inroot stat -c '%a %U %G' "$1" 2>/dev/null || echo missing)
    if [ "$actual" = "$2" ]; then ok "$1: $actual"; else bad "$1: $actual, expected $2"; fi
}
expect_user() {  # name home
    entry=$(inroot getent passwd "$1" || true)
    uid=$(echo "$entry" | cut -d: -f3)
    if [ -z "$entry" ]; then bad "user $1 missing"; return; fi
    failed_before=$fail; fail=0
    [ "$uid" -lt 1000 ] || bad "user $1 is not a system user (uid $uid)"
    [ "$(echo "$entry" | cut -d: -f6)" = "$2" ] || bad "user $1 home: $entry"
    [ "$(echo "$entry" | cut -d: -f7)" = /usr/sbin/nologin ] || bad "user $1 shell: $entry"
    inroot getent group "$1" >/dev/null || bad "group $1 missing"
    # adduser --system locks the account: "*" or "!" (and "!*"), never a usable hash.
    case "$(inroot getent shadow "$1" | cut -d: -f2)" in
        '*'|'!'|'!*') ;;
        *) bad "user $1 has a password" ;;
    esac
    [ "$fail" = 1 ] || ok "user $1: system uid $uid, home $2, no login shell, no password"
    [ "$failed_before" = 0 ] || fail=1
}
expect_user signpost /var/lib/signpost
expect_user signpost-server /var/lib/signpost-server
expect_stat /var/lib/signpost "700 signpost signpost"
expect_stat /var/lib/signpost-server "700 signpost-server signpost-server"
expect_stat /etc/signpost "1775 root signpost"
# The sticky bit: the kiosk's user may replace its own kiosk.toml, not the server's config.
if inroot runuser -u signpost -- sh -c 'echo x >/etc/signpost/.probe && mv /etc/signpost/.probe /etc/signpost/server.toml' 2>/dev/null; then
    bad "the kiosk's user could replace /etc/signpost/server.toml"
else
    ok "the kiosk's user cannot replace server.toml"
fi
rm -f "$root/etc/signpost/.probe"
if inroot runuser -u signpost -- sh -c 'cp /etc/signpost/kiosk.toml /etc/signpost/.k && mv /etc/signpost/.k /etc/signpost/kiosk.toml'; then
    ok "the kiosk's user can save kiosk.toml atomically (temporary file, then rename)"
else
    bad "the kiosk's user cannot save kiosk.toml"
fi
expect_stat /etc/signpost/kiosk.toml "640 signpost signpost"
expect_stat /etc/signpost/server.toml "644 root root"
expect_stat /usr/bin/signpost-kiosk "755 root root"
cmp -s "$root/etc/signpost/kiosk.toml" "$root/usr/share/signpost/kiosk.toml" ||
    bad "/etc/signpost/kiosk.toml is not the packaged default"
inroot dpkg-query -W -f='${Conffiles}\n' signpost-server | grep -q '/etc/signpost/server.toml' ||
    bad "server.toml not registered as a conffile"
for unit in signpost-kiosk signpost-server; do
    if [ -L "$root/etc/systemd/system/multi-user.target.wants/$unit.service" ]; then
        ok "$unit.service enabled (multi-user.target.wants)"
    else
        bad "$unit.service not enabled"
    fi
done

# The installed programs run, find their libraries, and use the installed paths.
for program in signpost-kiosk signpost-server signpost; do
    if version=$(inroot "/usr/bin/$program" --version 2>&1); then ok "$program --version: $version"
    else bad "$program --version: $version"; fi
done
if inroot runuser -u signpost-server -- signpost-server admin devices list >"$base/devices.log" 2>&1 &&
   [ -f "$root/var/lib/signpost-server/signpost-server.db" ]; then
    ok "signpost-server admin as signpost-server: database made in /var/lib/signpost-server"
else
    bad "signpost-server admin as its user:"; cat "$base/devices.log" >&2
fi
if inroot runuser -u nobody -- ls /var/lib/signpost >/dev/null 2>&1; then
    bad "another user can list /var/lib/signpost"
else
    ok "another user cannot enter /var/lib/signpost"
fi

# The installed units verify against the real installed binaries.
report=$(inroot systemd-analyze verify /lib/systemd/system/signpost-kiosk.service \
         /lib/systemd/system/signpost-server.service 2>&1) || report="exit status $? $report"
if [ -z "$report" ]; then ok "systemd-analyze verify on the installed units"; else bad "verify: $report"; fi

# --- installer/setup-kiosk.sh and setup-server.sh on the installed packages, twice each: the
# second run must change nothing. (systemd is not running here: the scripts' systemctl calls
# work offline, on the unit symlinks, as they do in a fresh install's chroot.)
cp "$here/../../setup-kiosk.sh" "$here/../../setup-server.sh" "$root/tmp/"
key=$(head -c 32 /dev/urandom | base64)
if inroot sh /tmp/setup-kiosk.sh --coordinator-key "$key" >"$base/setup-kiosk.log" 2>&1; then
    ok "setup-kiosk.sh"
else
    bad "setup-kiosk.sh:"; cat "$base/setup-kiosk.log" >&2
fi
kiosk_home=$(inroot getent passwd kiosk | cut -d: -f6)
[ -n "$kiosk_home" ] || bad "setup-kiosk.sh made no user kiosk"
inroot id -nG kiosk | tr ' ' '\n' | grep -qx video || bad "user kiosk is not in group video"
grep -q -- '--autologin kiosk' "$root/etc/systemd/system/getty@tty1.service.d/signpost-autologin.conf" ||
    bad "no autologin on tty1"
grep -q 'kiosk-session/kiosk-profile' "$root$kiosk_home/.profile" || bad "~kiosk/.profile does not start X"
[ "$(readlink "$root/etc/X11/xorg.conf.d/10-signpost-kiosk.conf")" = /usr/share/signpost/kiosk-session/10-signpost-kiosk.conf ] ||
    bad "Xorg escape-route config not linked"
grep -qx 'NAutoVTs=0' "$root/etc/systemd/logind.conf.d/signpost-kiosk.conf" || bad "other VTs still get logins"
grep -qx 'kernel.sysrq = 0' "$root/etc/sysctl.d/60-signpost-kiosk.conf" || bad "SysRq still on"
[ "$(readlink "$root/etc/systemd/system/ctrl-alt-del.target")" = /dev/null ] || bad "Ctrl+Alt+Del not masked"
[ "$(readlink "$root/etc/systemd/system/default.target")" = /lib/systemd/system/multi-user.target ] ||
    bad "default target is not multi-user.target: $(readlink "$root/etc/systemd/system/default.target")"
grep -qx "coordinator_public_key = \"$key\"" "$root/etc/signpost/kiosk.toml" ||
    bad "the coordinators' key was not put in kiosk.toml"
ok "setup-kiosk.sh: user kiosk, autologin, X from .profile, no escape routes, multi-user, key set"
grep -q 'wrote' "$base/setup-kiosk.log" || bad "setup-kiosk.sh's first run reported no change (the second-run check below would prove nothing)"
if inroot sh /tmp/setup-kiosk.sh --coordinator-key "$key" >"$base/setup-kiosk2.log" 2>&1 &&
   ! grep -Eq 'wrote|made|added|linked|masked|enabled|disabled|default target|set the' "$base/setup-kiosk2.log"; then
    ok "setup-kiosk.sh again: changes nothing"
else
    bad "setup-kiosk.sh second run:"; cat "$base/setup-kiosk2.log" >&2
fi

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
    -keyout "$root/tmp/privkey.pem" -out "$root/tmp/fullchain.pem" >/dev/null 2>&1
if inroot sh /tmp/setup-server.sh --listen 0.0.0.0 --port 9443 --tls-cert /tmp/fullchain.pem \
        --tls-key /tmp/privkey.pem >"$base/setup-server.log" 2>&1; then
    ok "setup-server.sh"
else
    bad "setup-server.sh:"; cat "$base/setup-server.log" >&2
fi
expect_stat /etc/signpost/tls "750 root signpost-server"
expect_stat /etc/signpost/tls/privkey.pem "640 root signpost-server"
for line in 'listen_address = "0.0.0.0"' 'port = 9443' \
            'tls_cert_file = "/etc/signpost/tls/fullchain.pem"' 'tls_key_file = "/etc/signpost/tls/privkey.pem"'; do
    grep -qxF -- "$line" "$root/etc/signpost/server.toml" || bad "server.toml lacks: $line"
done
# The configured server really starts as its user with that config and certificate.
if inroot runuser -u signpost-server -- signpost-server admin devices list >/dev/null 2>"$base/server-check.log"; then
    ok "setup-server.sh: TLS files, listen address and port set; the config loads as signpost-server"
else
    bad "the configured server.toml does not load:"; cat "$base/server-check.log" >&2
fi
if inroot sh /tmp/setup-server.sh --listen 0.0.0.0 --port 9443 --tls-cert /tmp/fullchain.pem \
        --tls-key /tmp/privkey.pem >"$base/setup-server2.log" 2>&1 &&
   ! grep -Eq 'installed|server.toml:|restarted' "$base/setup-server2.log"; then
    ok "setup-server.sh again: changes nothing"
else
    bad "setup-server.sh second run:"; cat "$base/setup-server2.log" >&2
fi

# --- Backup and restore exactly as installer/README.md says, as the installed server's user.
if inroot signpost-server backup --to /tmp/as-root.db >"$base/backup-root.log" 2>&1; then
    bad "backup as root was not refused (it would leave root-owned files in the data directory)"
elif grep -q 'not as root' "$base/backup-root.log"; then
    ok "backup as root: refused, says to run it as signpost-server"
else
    bad "backup as root:"; cat "$base/backup-root.log" >&2
fi
inroot install -d -o signpost-server -g signpost-server -m 0700 /var/backups/signpost
if inroot runuser -u signpost-server -- signpost-server backup --to /var/backups/signpost/test.db \
        >"$base/backup.log" 2>&1 && grep -q 'integrity ok' "$base/backup.log" &&
   inroot runuser -u signpost-server -- signpost-server restore --from /var/backups/signpost/test.db \
        >"$base/restore.log" 2>&1 && grep -q 'integrity ok' "$base/restore.log"; then
    ok "backup and restore as signpost-server: $(cat "$base/backup.log")"
else
    bad "backup/restore as signpost-server:"; cat "$base/backup.log" "$base/restore.log" >&2
fi
expect_stat /var/backups/signpost/test.db "600 signpost-server signpost-server"

# --- Reinstall (an upgrade to the same version): a staff edit to kiosk.toml and an admin edit
# to server.toml both survive, and dpkg asks nothing (stdin is closed).
echo '# edited by staff' >>"$root/etc/signpost/kiosk.toml"
echo '# edited by the admin' >>"$root/etc/signpost/server.toml"
if inroot dpkg -i "$(deb signpost-server)" "$(deb signpost-kiosk)" </dev/null >"$base/reinstall.log" 2>&1; then
    ok "reinstall"
else
    bad "reinstall:"; cat "$base/reinstall.log" >&2
fi
tail -1 "$root/etc/signpost/kiosk.toml" | grep -q 'edited by staff' || bad "reinstall replaced kiosk.toml"
tail -1 "$root/etc/signpost/server.toml" | grep -q 'edited by the admin' || bad "reinstall replaced server.toml"
ok "reinstall keeps edited kiosk.toml and server.toml"

# --- An outbox with referrals. Only what postrm reads: the status column. That its query fits
# the kiosk's real outbox is checked by tests/outbox_test.cpp ("the package's purge script...").
make_outbox() {  # queued-count sent-count [rejected-count]
    inroot runuser -u signpost -- sqlite3 /var/lib/signpost/outbox.db "
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT,
                                           status TEXT NOT NULL);
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1 + $2 + ${3:-0})
        INSERT INTO outbox (status)
        SELECT CASE WHEN i <= $1 THEN 'queued' WHEN i <= $1 + $2 THEN 'sent' ELSE 'rejected' END
        FROM n;" >/dev/null
}
unsent_dirs() { ls -d "$root"/var/lib/signpost.unsent-* 2>/dev/null | wc -l; }

make_outbox 1 3 1   # a queued referral and one the server rejected: neither reached anyone
# remove: config and data stay.
inroot dpkg -r signpost-kiosk >"$base/remove.log" 2>&1 || { bad "dpkg -r:"; cat "$base/remove.log" >&2; }
[ ! -e "$root/usr/bin/signpost-kiosk" ] || bad "remove left the binary"
[ -f "$root/etc/signpost/kiosk.toml" ] || bad "remove deleted kiosk.toml"
[ -f "$root/var/lib/signpost/outbox.db" ] || bad "remove deleted the outbox"
ok "remove keeps /etc/signpost/kiosk.toml and /var/lib/signpost"

# purge with 2 unsent referrals: moved aside, said where, nothing deleted.
inroot dpkg -P signpost-kiosk >"$base/purge.log" 2>&1 || { bad "dpkg -P:"; cat "$base/purge.log" >&2; }
aside=$(ls -d "$root"/var/lib/signpost.unsent-* 2>/dev/null | head -1)
if [ -n "$aside" ] && [ ! -e "$root/var/lib/signpost" ] &&
   [ "$(sqlite3 "$aside/outbox.db" "SELECT count(*) FROM outbox WHERE status <> 'sent'")" = 2 ] &&
   grep -q "holds 2 referral(s) not yet sent" "$base/purge.log" &&
   grep -q "moved to ${aside#"$root"}" "$base/purge.log"; then
    ok "purge with 1 queued and 1 rejected referral: moved to ${aside#"$root"} and said so"
else
    bad "purge with unsent referrals: aside='$aside'"; cat "$base/purge.log" >&2
fi
[ ! -e "$root/etc/signpost/kiosk.toml" ] || bad "purge left kiosk.toml"
[ -f "$root/etc/signpost/server.toml" ] || bad "kiosk purge touched server.toml"
expect_stat /etc/signpost "755 root root"

# purge when everything was sent: the data directory is deleted.
rm -rf "$aside"
inroot dpkg -i "$(deb signpost-kiosk)" >/dev/null 2>&1 || bad "reinstall kiosk"
make_outbox 0 4
inroot dpkg -P signpost-kiosk >"$base/purge2.log" 2>&1 || bad "dpkg -P (all sent)"
if [ ! -e "$root/var/lib/signpost" ] && [ "$(unsent_dirs)" = 0 ]; then
    ok "purge with every referral sent: /var/lib/signpost deleted"
else
    bad "purge with every referral sent:"; cat "$base/purge2.log" >&2
fi

# purge when it cannot check (no sqlite3): moved aside, never deleted.
inroot dpkg -i "$(deb signpost-kiosk)" >/dev/null 2>&1 || bad "reinstall kiosk"
make_outbox 0 1
mv "$root/usr/bin/sqlite3" "$root/usr/bin/sqlite3.hidden"
inroot dpkg -P signpost-kiosk >"$base/purge3.log" 2>&1 || bad "dpkg -P (no sqlite3)"
mv "$root/usr/bin/sqlite3.hidden" "$root/usr/bin/sqlite3"
if [ "$(unsent_dirs)" = 1 ] && grep -q "could not be checked" "$base/purge3.log"; then
    ok "purge without sqlite3: moved aside, not deleted"
else
    bad "purge without sqlite3:"; cat "$base/purge3.log" >&2
fi

# The server: purge removes the conffile, keeps the database and says so.
inroot dpkg -P signpost-server >"$base/purge-server.log" 2>&1 || bad "dpkg -P signpost-server"
if [ ! -e "$root/etc/signpost/server.toml" ] &&
   [ -f "$root/var/lib/signpost-server/signpost-server.db" ] &&
   grep -q "was kept" "$base/purge-server.log"; then
    ok "purge signpost-server: server.toml removed, database kept and said so"
else
    bad "purge signpost-server:"; cat "$base/purge-server.log" >&2
fi
[ ! -e "$root/etc/signpost" ] || bad "/etc/signpost left behind after both purges: $(ls -A "$root/etc/signpost")"

exit "$fail"
