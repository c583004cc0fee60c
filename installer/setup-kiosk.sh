#!/bin/sh
# Turns a fresh Debian 12 install into a Signpost kiosk (installer/README.md, "Install a kiosk").
#
#   sudo installer/setup-kiosk.sh --package signpost-kiosk_0.1.0-1_amd64.deb \
#        [--coordinator-key KEY] [--pin-file FILE] [--user kiosk]
#   sudo installer/setup-kiosk.sh                 # signpost-kiosk already installed
#
# What it does (each step is safe to repeat; running the script again changes nothing):
#   1. installs the signpost-kiosk package with apt (which pulls in Xorg, xinit, fonts...)
#   2. makes the kiosk login user (default "kiosk"): it only runs the X server; the app runs
#      as the system user "signpost", which alone can read the referrals
#   3. logs that user in automatically on tty1 (a getty drop-in) and starts X from its
#      ~/.profile with xinit: no desktop, no window manager, hidden cursor, no blanking
#   4. closes the ways out: no VT switching or Ctrl+Alt+Backspace (Xorg), no text consoles on
#      other VTs (logind), no Ctrl+Alt+Del reboot, no magic SysRq keys
#   5. boots to multi-user.target (no display manager) and enables signpost-kiosk.service
#   6. writes the coordinators' key to /etc/signpost/coordinator.pub (root's; the kiosk cannot
#      change it) and, if the kiosk has no staff PIN yet, asks for one (or reads the first line
#      of --pin-file): without a PIN the touchscreen never opens staff mode
# Then reboot. Environment: SIGNPOST_ROOT_OK=1 skips the "running in a chroot" checks (tests).
set -eu

user=kiosk
package=
coordinator_key=
pin_file=
usage() {
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}
while [ $# -gt 0 ]; do
    case "$1" in
        --package) [ $# -ge 2 ] || usage; package="$2"; shift 2 ;;
        --coordinator-key) [ $# -ge 2 ] || usage; coordinator_key="$2"; shift 2 ;;
        --user) [ $# -ge 2 ] || usage; user="$2"; shift 2 ;;
        --pin-file) [ $# -ge 2 ] || usage; pin_file="$2"; shift 2 ;;
        -h|--help) usage ;;
        *) echo "setup-kiosk: unknown option $1" >&2; usage ;;
    esac
done
case "$user" in
    ''|*[!a-z0-9_-]*|signpost) echo "setup-kiosk: --user must be a lower-case login name other than signpost" >&2; exit 2 ;;
esac

if [ "$(id -u)" != 0 ]; then
    echo "setup-kiosk: run as root (sudo $0 ...)" >&2
    exit 1
fi
if ! grep -q '^VERSION_ID="12"' /etc/os-release 2>/dev/null; then
    echo "setup-kiosk: warning: this is not Debian 12; continuing anyway" >&2
fi
say() { echo "setup-kiosk: $*"; }
systemd_running() { [ -d /run/systemd/system ]; }

# Writes $2 to file $1 only if it differs (so a second run changes nothing, not even mtimes).
put() {
    if [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; then
        return 0
    fi
    mkdir -p "$(dirname "$1")"
    printf '%s\n' "$2" >"$1.signpost-new"
    mv "$1.signpost-new" "$1"
    say "wrote $1"
}

# 1. The package.
if [ -n "$package" ]; then
    case "$package" in /*|./*) ;; *) package="./$package" ;; esac
    installed=$(dpkg-query -W -f='${Version}' signpost-kiosk 2>/dev/null || true)
    offered=$(dpkg-deb -f "$package" Version)
    if [ "$installed" != "$offered" ] ||
       ! dpkg-query -W -f='${Status}' signpost-kiosk 2>/dev/null | grep -q 'install ok installed'; then
        say "installing $package"
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$package"
    fi
fi
if ! dpkg-query -W -f='${Status}' signpost-kiosk 2>/dev/null | grep -q 'install ok installed'; then
    echo "setup-kiosk: signpost-kiosk is not installed; pass --package signpost-kiosk_*.deb" >&2
    exit 1
fi

# 2. The login user for the X session. No password: it is only ever logged in by getty on tty1.
if ! getent passwd "$user" >/dev/null; then
    adduser --disabled-password --gecos "Signpost kiosk screen" "$user" >/dev/null
    say "made user $user"
fi
for group in video render input; do
    if getent group "$group" >/dev/null && ! id -nG "$user" | tr ' ' '\n' | grep -qx "$group"; then
        adduser --quiet "$user" "$group"
    fi
done
home=$(getent passwd "$user" | cut -d: -f6)

# 3. Automatic login on tty1, and X from the login shell.
put /etc/systemd/system/getty@tty1.service.d/signpost-autologin.conf "# Signpost kiosk: log $user in on tty1 without a password (installer/setup-kiosk.sh).
[Service]
ExecStart=
ExecStart=-/sbin/agetty --autologin $user --noclear --noissue %I \$TERM
Type=idle"

profile="$home/.profile"
[ -f "$profile" ] || { cp /etc/skel/.profile "$profile" 2>/dev/null || : >"$profile"; chown "$user:" "$profile"; }
if ! grep -q '^# >>> signpost kiosk' "$profile"; then
    cat >>"$profile" <<'PROFILE'
# >>> signpost kiosk (installer/setup-kiosk.sh): start the kiosk's X session on tty1
. /usr/share/signpost/kiosk-session/kiosk-profile
# <<< signpost kiosk
PROFILE
    say "added the X session to $profile"
fi
# bash reads ~/.bash_profile instead of ~/.profile when it exists: make sure it is not there.
if [ -f "$home/.bash_profile" ] && ! grep -q 'signpost' "$home/.bash_profile"; then
    printf '. "$HOME/.profile"   # signpost kiosk\n' >>"$home/.bash_profile"
    say "made $home/.bash_profile read ~/.profile"
fi

# 4. No ways out.
mkdir -p /etc/X11/xorg.conf.d
if [ "$(readlink /etc/X11/xorg.conf.d/10-signpost-kiosk.conf 2>/dev/null)" != /usr/share/signpost/kiosk-session/10-signpost-kiosk.conf ]; then
    ln -sfn /usr/share/signpost/kiosk-session/10-signpost-kiosk.conf /etc/X11/xorg.conf.d/10-signpost-kiosk.conf
    say "linked /etc/X11/xorg.conf.d/10-signpost-kiosk.conf"
fi
put /etc/systemd/logind.conf.d/signpost-kiosk.conf "# Signpost kiosk: no login prompts on other virtual terminals (installer/setup-kiosk.sh).
[Login]
NAutoVTs=0
ReserveVT=0"
put /etc/sysctl.d/60-signpost-kiosk.conf "# Signpost kiosk: no magic SysRq key combinations from a keyboard (installer/setup-kiosk.sh).
kernel.sysrq = 0"
if [ "$(readlink /etc/systemd/system/ctrl-alt-del.target 2>/dev/null)" != /dev/null ]; then
    systemctl mask ctrl-alt-del.target >/dev/null 2>&1 || ln -sfn /dev/null /etc/systemd/system/ctrl-alt-del.target
    say "masked ctrl-alt-del.target"
fi

# 5. Boot to the console (getty starts X), never to a display manager, and start the app.
if [ "$(systemctl get-default 2>/dev/null)" != multi-user.target ]; then
    systemctl set-default multi-user.target >/dev/null 2>&1
    say "default target: multi-user.target"
fi
for dm in gdm3 lightdm sddm xdm; do
    if systemctl is-enabled "$dm.service" >/dev/null 2>&1; then
        systemctl disable "$dm.service" >/dev/null 2>&1 && say "disabled display manager $dm"
    fi
done
if ! systemctl is-enabled signpost-kiosk.service >/dev/null 2>&1; then
    systemctl enable signpost-kiosk.service >/dev/null 2>&1
    say "enabled signpost-kiosk.service"
fi

# 6a. The coordinators' public key, in a file root owns: every referral is sealed to it, so the
# kiosk's own user must never be able to replace it (kiosk.toml is the kiosk's to rewrite).
keyfile=/etc/signpost/coordinator.pub
if [ -n "$coordinator_key" ]; then
    case "$coordinator_key" in *[!A-Za-z0-9+/=]*) echo "setup-kiosk: --coordinator-key is not base64" >&2; exit 2 ;; esac
    if [ -f "$keyfile" ] && [ "$(cat "$keyfile")" != "$coordinator_key" ]; then
        echo "setup-kiosk: $keyfile already holds another coordinators' key; left it alone" >&2
        echo "setup-kiosk: (if the coordinators really changed their key, delete it and run this again)" >&2
    else
        put "$keyfile" "$coordinator_key"
    fi
fi
if [ -f "$keyfile" ] && [ "$(stat -c '%a %U %G' "$keyfile")" != "644 root root" ]; then
    chown root:root "$keyfile"
    chmod 0644 "$keyfile"
    say "made $keyfile root's, mode 0644"
fi
if [ ! -f "$keyfile" ]; then
    echo "setup-kiosk: warning: no coordinators' key yet ($keyfile): the kiosk will not start until" >&2
    echo "setup-kiosk: it is there; run this again with --coordinator-key KEY (from signpost keygen)" >&2
fi

# 6b. The staff PIN. Without one the touchscreen never opens staff mode, so nobody who walks up
# can make themselves staff. Set it as the app's user, from standard input (never the command line).
if grep -q '^pin_hash = ""' /etc/signpost/kiosk.toml 2>/dev/null; then
    if [ -n "$pin_file" ]; then
        if head -n 1 "$pin_file" | runuser -u signpost -- /usr/bin/signpost-kiosk --set-pin >/dev/null; then
            say "set the staff PIN from $pin_file"
        else
            echo "setup-kiosk: the staff PIN in $pin_file was not accepted (4 to 8 digits, not all the same, not 1234)" >&2
            exit 1
        fi
    elif [ -t 0 ]; then
        while :; do
            printf 'setup-kiosk: staff PIN for this kiosk (4 to 8 digits; not shown): ' >&2
            stty -echo
            read -r pin || pin=
            printf '\nsetup-kiosk: the same PIN again: ' >&2
            read -r again || again=
            stty echo
            printf '\n' >&2
            if [ "$pin" != "$again" ]; then
                echo "setup-kiosk: the two PINs differ; again" >&2
                continue
            fi
            if printf '%s\n' "$pin" | runuser -u signpost -- /usr/bin/signpost-kiosk --set-pin >/dev/null; then
                say "set the staff PIN"
                break
            fi
            echo "setup-kiosk: that PIN is too easy to guess (4 to 8 digits, not all the same, not 1234); again" >&2
        done
        pin=; again=
    else
        echo "setup-kiosk: warning: no staff PIN set, so staff mode is off on this kiosk; set one with" >&2
        echo "setup-kiosk:   sudo runuser -u signpost -- signpost-kiosk --set-pin" >&2
    fi
fi

if systemd_running; then
    systemctl daemon-reload
fi
say "done. Reboot to start the kiosk: systemctl reboot"
