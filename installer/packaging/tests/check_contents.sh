#!/bin/sh
# ctest "packaging: contents": what is inside each .deb, before anything is installed.
#   - control fields: name, version, architecture, Depends (from dpkg-shlibdeps and ours)
#   - files: the expected paths with their modes, all owned root:root, nothing under /var or
#     /home, /etc only in signpost-server and there only as a conffile
#   - maintainer scripts: present where expected, mode 0755, `sh -n` clean
#   - lintian: no errors or warnings (overrides, each justified, live in installer/packaging)
#   check_contents.sh OUT_DIR
set -eu
out="$1"
work="$out/contents"
rm -rf "$work"; mkdir -p "$work"
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*" >&2; fail=1; }

deb_of() { set -- "$out"/debs/"$1"_*.deb; echo "$1"; }

field() { dpkg-deb -f "$(deb_of "$1")" "$2"; }

has_dep() {  # package dependency...
    package="$1"; shift
    depends=$(field "$package" Depends)
    for dep in "$@"; do
        if printf '%s\n' "$depends" | tr ',' '\n' | sed 's/^ *//; s/ .*//' | grep -qx "$dep"; then :
        else bad "$package: Depends lacks $dep (Depends: $depends)"; fi
    done
}

version="$(field signpost-tools Version)"
for package in signpost-kiosk signpost-server signpost-tools; do
    deb=$(deb_of "$package")
    [ "$(field "$package" Package)" = "$package" ] || bad "$deb: Package field"
    [ "$(field "$package" Version)" = "$version" ] || bad "$package: version differs"
    [ "$(field "$package" Architecture)" = "$(dpkg --print-architecture)" ] || bad "$package: Architecture"
    [ -n "$(field "$package" Maintainer)" ] || bad "$package: no Maintainer"
    size=$(stat -c %s "$deb")
    ok "$package $version: $(basename "$deb"), $size bytes, Installed-Size $(field "$package" Installed-Size) KiB"
done
case "$version" in *-1) ;; *) bad "version $version has no Debian revision" ;; esac

# The packaged setup scripts are the source tree's, byte for byte (the README's steps use them).
here="$(cd "$(dirname "$0")" && pwd)"
for pair in signpost-kiosk:setup-kiosk.sh:signpost-setup-kiosk signpost-server:setup-server.sh:signpost-setup-server; do
    package=${pair%%:*}; rest=${pair#*:}; source=${rest%%:*}; name=${rest#*:}
    mkdir -p "$work/x-$package"
    dpkg-deb -x "$(deb_of "$package")" "$work/x-$package"
    if cmp -s "$here/../../$source" "$work/x-$package/usr/sbin/$name"; then
        ok "$package ships installer/$source as /usr/sbin/$name"
    else
        bad "$package: /usr/sbin/$name is not installer/$source"
    fi
done
# Purge needs no sqlite3 any more (prerm asks signpost-kiosk --count-unsent).
case "$(field signpost-kiosk Recommends 2>/dev/null)" in
    *sqlite3*) bad "signpost-kiosk still recommends sqlite3" ;;
esac

# Library dependencies must come from dpkg-shlibdeps (each binary's real NEEDED libraries).
has_dep signpost-kiosk libc6 libstdc++6 libsqlite3-0 libsodium23 libglfw3 libcurl4 \
    adduser init-system-helpers ca-certificates fonts-noto-core tzdata xinit xserver-xorg-core x11-xserver-utils \
    libgl1-mesa-dri polkitd
has_dep signpost-server libc6 libstdc++6 libsqlite3-0 libsodium23 adduser init-system-helpers
has_dep signpost-tools libc6 libstdc++6 libsqlite3-0 libsodium23 libcurl4 ca-certificates
# The server links the sync protocol only, never the kiosk's libcurl client (issue 12).
case "$(field signpost-server Depends)" in
    *libcurl*) bad "signpost-server depends on libcurl: it should link signpost_sync_protocol only" ;;
esac
ok "Depends: kiosk: $(field signpost-kiosk Depends)"
ok "Depends: server: $(field signpost-server Depends)"
ok "Depends: tools: $(field signpost-tools Depends)"

# File lists: "mode owner/group path" per line.
for package in signpost-kiosk signpost-server signpost-tools; do
    dpkg-deb -c "$(deb_of "$package")" |
        awk '{ path = $6; sub(/^\./, "", path); print $1, $2, path }' >"$work/$package.files"
done

expect_file() {  # package mode path
    if grep -qxF -- "$2 root/root $3" "$work/$1.files"; then :; else
        bad "$1: expected $2 root/root $3, found: $(grep -F -- " $3" "$work/$1.files" || echo nothing)"
    fi
}
expect_file signpost-kiosk -rwxr-xr-x /usr/bin/signpost-kiosk
expect_file signpost-kiosk -rw-r--r-- /usr/share/signpost/fonts.json
expect_file signpost-kiosk -rw-r--r-- /usr/share/signpost/kiosk.toml
expect_file signpost-kiosk -rw-r--r-- /usr/share/signpost/directory/manchester-demo.json
expect_file signpost-kiosk -rw-r--r-- /usr/share/signpost/i18n/en.json
expect_file signpost-kiosk -rw-r--r-- /usr/share/signpost/i18n/pl.json
expect_file signpost-kiosk -rwxr-xr-x /usr/share/signpost/kiosk-session/xinitrc
expect_file signpost-kiosk -rw-r--r-- /usr/share/signpost/kiosk-session/kiosk-profile
expect_file signpost-kiosk -rw-r--r-- /usr/share/signpost/kiosk-session/10-signpost-kiosk.conf
expect_file signpost-kiosk -rwxr-xr-x /usr/sbin/signpost-setup-kiosk
expect_file signpost-kiosk -rw-r--r-- /usr/share/man/man8/signpost-setup-kiosk.8.gz
expect_file signpost-kiosk -rw-r--r-- /lib/systemd/system/signpost-kiosk.service
expect_file signpost-kiosk -rw-r--r-- /usr/share/polkit-1/rules.d/49-signpost-kiosk-reboot.rules
expect_file signpost-kiosk -rw-r--r-- /usr/share/doc/signpost-kiosk/copyright
expect_file signpost-kiosk -rw-r--r-- /usr/share/man/man1/signpost-kiosk.1.gz
expect_file signpost-server -rwxr-xr-x /usr/bin/signpost-server
expect_file signpost-server -rw-r--r-- /etc/signpost/server.toml
expect_file signpost-server -rw-r--r-- /etc/signpost/needs-mapping.toml
expect_file signpost-server -rw-r--r-- /lib/systemd/system/signpost-server.service
expect_file signpost-server -rw-r--r-- /lib/systemd/system/signpost-server-backup.service
expect_file signpost-server -rw-r--r-- /lib/systemd/system/signpost-server-backup.timer
expect_file signpost-server -rwxr-xr-x /usr/sbin/signpost-setup-server
expect_file signpost-server -rw-r--r-- /usr/share/man/man8/signpost-setup-server.8.gz
expect_file signpost-server -rw-r--r-- /usr/share/doc/signpost-server/copyright
expect_file signpost-tools -rwxr-xr-x /usr/bin/signpost
expect_file signpost-tools -rw-r--r-- /usr/share/doc/signpost-tools/copyright

# Every i18n file of the source tree is shipped.
for json in "$(dirname "$0")"/../../../assets/i18n/*.json; do
    expect_file signpost-kiosk -rw-r--r-- "/usr/share/signpost/i18n/$(basename "$json")"
done

for package in signpost-kiosk signpost-server signpost-tools; do
    list="$work/$package.files"
    if awk '$2 != "root/root"' "$list" | grep -q .; then
        bad "$package: files not owned by root: $(awk '$2 != "root/root"' "$list")"
    fi
    if grep -qE ' /(var|home|tmp|srv)/' "$list"; then
        bad "$package: ships files under /var, /home, /tmp or /srv (postinst makes the data dir)"
    fi
    if grep -E '^d' "$list" | grep -vq '^drwxr-xr-x '; then
        bad "$package: a directory is not 0755: $(grep -E '^d' "$list" | grep -v '^drwxr-xr-x ')"
    fi
    # Binaries are stripped (the packages are 3-5x smaller; debug builds are the build tree's).
    mkdir -p "$work/$package"
    dpkg-deb -x "$(deb_of "$package")" "$work/$package"
    for binary in "$work/$package"/usr/bin/*; do
        if file -b "$binary" 2>/dev/null | grep -q 'not stripped'; then
            bad "$package: $(basename "$binary") is not stripped"
        fi
    done
done
ok "file lists, modes and owners"

# /etc: only the server's config, and it is a conffile; the kiosk's is made by postinst.
for package in signpost-kiosk signpost-server signpost-tools; do
    dpkg-deb -e "$(deb_of "$package")" "$work/$package.control"
    etc_files=$(grep -E '^-.* /etc/' "$work/$package.files" | awk '{ print $3 }' | sort)
    conffiles=$(sort "$work/$package.control/conffiles" 2>/dev/null || true)
    if [ "$etc_files" != "$conffiles" ]; then
        bad "$package: files in /etc ($etc_files) differ from conffiles ($conffiles)"
    fi
done
[ "$(sort "$work/signpost-server.control/conffiles" | tr '\n' ' ')" = "/etc/signpost/needs-mapping.toml /etc/signpost/server.toml " ] ||
    bad "signpost-server: conffiles are not exactly server.toml and needs-mapping.toml: $(cat "$work/signpost-server.control/conffiles")"
ok "conffiles: signpost-server: $(cat "$work/signpost-server.control/conffiles" | tr '\n' ' '); others: none"

# Maintainer scripts.
for pair in signpost-kiosk:postinst signpost-kiosk:prerm signpost-kiosk:postrm \
            signpost-server:postinst signpost-server:prerm signpost-server:postrm; do
    package=${pair%%:*}; script=${pair#*:}
    file="$work/$package.control/$script"
    if [ ! -f "$file" ]; then bad "$package: no $script"; continue; fi
    [ "$(stat -c %a "$file")" = 755 ] || bad "$package: $script mode $(stat -c %a "$file")"
    sh -n "$file" || bad "$package: $script: sh -n failed"
    head -1 "$file" | grep -qx '#!/bin/sh' || bad "$package: $script: not #!/bin/sh"
    grep -q '^set -e' "$file" || bad "$package: $script: no set -e"
done
ok "maintainer scripts: present, 0755, #!/bin/sh, set -e, sh -n clean"

# lintian: errors and warnings fail; info/pedantic tags are printed only.
if command -v lintian >/dev/null 2>&1; then
    if lintian --fail-on error,warning --tag-display-limit 0 "$out"/debs/*.deb >"$work/lintian.log" 2>&1; then
        ok "lintian: no errors or warnings"
    else
        bad "lintian:"; cat "$work/lintian.log" >&2
    fi
    grep -E '^(I|P|N):' "$work/lintian.log" | sed 's/^/     lintian /' || true
else
    bad "lintian is not installed (installer/install-deps.sh installs it)"
fi

[ "$fail" = 0 ] && rm -rf "$work"
exit "$fail"
