#!/bin/sh
# ctest "packaging: install": installs the three packages into a fresh, minimal Debian 12 root
# exactly as a venue's IT person would (dpkg -i, then apt-get -f install for the dependencies),
# starts the installed server and kiosk, and checks users, files, permissions, the setup scripts,
# backup/restore, reinstall, remove and purge.
#
# The root is made by installer/fresh-root.sh (mmdebstrap --variant=minbase, from this machine's
# apt sources) plus systemd, which every installed Debian 12 has and minbase lacks. It lives on a
# tmpfs in a private mount namespace (unshare -m), so nothing of it outlives the test, and
# nothing of this machine's own packages can hide a missing Depends (issue 7: the old test
# overlaid the build machine's root). Needs root and the Debian archive; skipped (exit 77, with
# the reason) where the machine allows no private mount namespace or reaches no archive.
#   check_install.sh OUT_DIR
set -eu
out="$(cd "$1" && pwd)"
here="$(cd "$(dirname "$0")" && pwd)"
fresh_root="$here/../../fresh-root.sh"

if [ "${SIGNPOST_IN_NAMESPACE:-}" != 1 ]; then
    if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null 2>&1; then
        echo "SKIP: needs root and unshare (for a private mount namespace)"
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
mount -t tmpfs -o size=6g tmpfs "$base"
root="$base/root"
cleanup() { umount -R -l "$base" 2>/dev/null || true; rmdir "$base" 2>/dev/null || true; }
trap cleanup EXIT

fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*" >&2; fail=1; }
inroot() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }

started=$(date +%s)
if ! "$fresh_root" create "$root" systemd >"$out/fresh-root.log" 2>&1; then
    if grep -Eq 'Temporary failure resolving|Could not resolve|Failed to fetch|Connection failed' \
        "$out/fresh-root.log"; then
        echo "SKIP: the Debian archive is not reachable from this machine (see $out/fresh-root.log)"
        exit 77
    fi
    echo "FAIL could not make a fresh Debian 12 root:" >&2
    tail -n 20 "$out/fresh-root.log" >&2
    exit 1
fi
mount -t proc proc "$root/proc"
mount --rbind /dev "$root/dev"
mount -t tmpfs tmpfs "$root/tmp"
mount -t tmpfs tmpfs "$root/run"   # no /run/systemd/system: the scripts see "no systemd"
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
ok "fresh Debian $(cat "$root/etc/debian_version") root (minbase + systemd) in $(($(date +%s) - started)) s"

mkdir -p "$root/tmp/debs"
cp "$out"/debs/*.deb "$root/tmp/debs/"
deb() { set -- "$root"/tmp/debs/"$1"_*.deb; echo "/tmp/debs/$(basename "$1")"; }

# --- Install as the README says for a bare machine: dpkg -i, which stops at the missing
# dependencies, then apt-get -f install, which fetches them (no Recommends: Depends must be
# enough) and finishes configuring the packages.
inroot dpkg -i "$(deb signpost-tools)" "$(deb signpost-server)" "$(deb signpost-kiosk)" \
    >"$base/dpkg.log" 2>&1 || true
started=$(date +%s)
if inroot env DEBIAN_FRONTEND=noninteractive apt-get -f install -y -q --no-install-recommends \
        </dev/null >"$base/install.log" 2>&1; then
    ok "dpkg -i signpost-kiosk signpost-server signpost-tools, then apt-get -f install ($(($(date +%s) - started)) s)"
else
    bad "apt-get -f install failed:"; tail -n 30 "$base/install.log" >&2
    exit 1
fi
for package in signpost-kiosk signpost-server signpost-tools; do
    status=$(inroot dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || { bad "$package: $status"; cat "$base/dpkg.log" >&2; exit 1; }
done

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
# The installed server starts as its user with the packaged config (on a free port) and answers.
http_status() {  # port path -> the HTTP status code, or nothing
    bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
             printf "GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n" "$2" >&3
             head -n 1 <&3' sh "$1" "$2" 2>/dev/null | cut -d" " -f2
}
free_port() {
    port=$(( $(od -An -N2 -tu2 /dev/urandom) % 20000 + 30000 ))
    while [ -n "$(http_status "$port" / )" ] || bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null; do
        port=$((port + 1))
    done
    echo "$port"
}
port=$(free_port)
sed "s/^port = .*/port = $port/" "$root/etc/signpost/server.toml" >"$root/tmp/start-server.toml"
# as_user USER COMMAND...: exec all the way down (chroot, env, setpriv), so $! is the program.
as_user() {
    user="$1"; shift
    chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 ${DISPLAY_FOR_ROOT:+DISPLAY=$DISPLAY_FOR_ROOT} \
        setpriv --reuid="$user" --regid="$user" --init-groups "$@"
}
as_user signpost-server signpost-server serve --config /tmp/start-server.toml >"$base/serve.log" 2>&1 &
serve_pid=$!
answered=""
for _ in $(seq 1 60); do
    answered=$(http_status "$port" /healthz)
    [ -z "$answered" ] || break
    kill -0 "$serve_pid" 2>/dev/null || break
    sleep 1
done
kill -TERM "$serve_pid" 2>/dev/null || true
wait "$serve_pid" 2>/dev/null || true
if [ "$answered" = 200 ]; then
    ok "the installed signpost-server starts as signpost-server and answers /healthz (200)"
else
    bad "the installed signpost-server did not answer /healthz (got '${answered}'):"; cat "$base/serve.log" >&2
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

# The installed kiosk starts as its user, with the packaged config as setup-kiosk.sh left it,
# and draws its first frame (Mesa, fonts and assets from the packages alone). The display is an
# Xvfb on this machine: the root shares its network namespace, so the abstract X socket reaches it.
: >"$base/display"
Xvfb -displayfd 3 -screen 0 1280x1024x24 -nolisten tcp -noreset 3>"$base/display" \
    >"$base/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 1 100); do grep -q '[0-9]' "$base/display" && break; sleep 0.1; done
display=":$(tr -dc '0-9' <"$base/display")"
DISPLAY_FOR_ROOT="$display" as_user signpost signpost-kiosk --windowed --size 1280x800 \
    >"$base/kiosk.log" 2>&1 &
kiosk_pid=$!
for _ in $(seq 1 120); do
    grep -q 'first frame shown' "$base/kiosk.log" && break
    kill -0 "$kiosk_pid" 2>/dev/null || break
    sleep 1
done
kill -TERM "$kiosk_pid" 2>/dev/null || true
wait "$kiosk_pid" 2>/dev/null || true
kill "$xvfb_pid" 2>/dev/null || true
wait "$xvfb_pid" 2>/dev/null || true
if grep -q 'first frame shown' "$base/kiosk.log"; then
    ok "the installed signpost-kiosk starts as signpost and shows its first frame"
else
    bad "the installed signpost-kiosk did not show a first frame:"; tail -n 20 "$base/kiosk.log" >&2
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
    sqlite3 "$root/var/lib/signpost/outbox.db" "
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT,
                                           status TEXT NOT NULL);
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1 + $2 + ${3:-0})
        INSERT INTO outbox (status)
        SELECT CASE WHEN i <= $1 THEN 'queued' WHEN i <= $1 + $2 THEN 'sent' ELSE 'rejected' END
        FROM n;" >/dev/null
    chown --reference="$root/var/lib/signpost" "$root"/var/lib/signpost/outbox.db*
}
unsent_dirs() { ls -d "$root"/var/lib/signpost.unsent-* 2>/dev/null | wc -l; }

# apt's defaults install Recommends, sqlite3 among them: with it, purge counts unsent referrals.
if inroot env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends sqlite3 \
        </dev/null >"$base/sqlite3.log" 2>&1; then
    ok "sqlite3 (a Recommends of signpost-kiosk) installed"
else
    bad "apt-get install sqlite3:"; tail -n 20 "$base/sqlite3.log" >&2
fi
# The kiosk's own (empty) outbox from its start above makes way for the test's.
rm -f "$root"/var/lib/signpost/outbox.db*
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
