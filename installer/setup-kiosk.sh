#!/bin/sh
# Turns a fresh Debian 12 install into a Signpost kiosk (installer/README.md, "Install a kiosk").
# Installed as signpost-setup-kiosk by the signpost-kiosk package; run it as root.
#
#   signpost-setup-kiosk [--coordinator-key KEY] [--pin-file FILE] [--user kiosk] [--package FILE.deb]
#   signpost-setup-kiosk --undo
#
# What it does (each step is safe to repeat; running the script again changes nothing):
#   1. with --package: installs that signpost-kiosk .deb with apt (from a source tree)
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
# Then reboot. What it changed is noted in /var/lib/signpost-kiosk-setup/state, so that
# --undo can put back exactly that: it removes the autologin, the X link, the logind and sysctl
# files, unmasks Ctrl+Alt+Del, restores the boot target and display managers it changed,
# disables signpost-kiosk.service, and deletes the kiosk login it made (with its home). Removing
# the signpost-kiosk package runs --undo itself.
set -eu

user=kiosk
package=
coordinator_key=
undo=0
pin_file=
usage() {
    sed -n '5,6p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}
while [ $# -gt 0 ]; do
    case "$1" in
        --package) [ $# -ge 2 ] || usage; package="$2"; shift 2 ;;
        --coordinator-key) [ $# -ge 2 ] || usage; coordinator_key="$2"; shift 2 ;;
        --user) [ $# -ge 2 ] || usage; user="$2"; shift 2 ;;
        --undo) undo=1; shift ;;
        --pin-file) [ $# -ge 2 ] || usage; pin_file="$2"; shift 2 ;;
        -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "signpost-setup-kiosk: unknown option $1" >&2; usage ;;
    esac
done
case "$user" in
    ''|*[!a-z0-9_-]*|signpost) echo "signpost-setup-kiosk: --user must be a lower-case login name other than signpost" >&2; exit 2 ;;
esac

if [ "$(id -u)" != 0 ]; then
    echo "signpost-setup-kiosk: run as root (log in as root, or su -, or sudo if you have it)" >&2
    exit 1
fi
say() { echo "signpost-setup-kiosk: $*"; }
systemd_running() { [ -d /run/systemd/system ]; }

state_dir=/var/lib/signpost-kiosk-setup
state=$state_dir/state
autologin=/etc/systemd/system/getty@tty1.service.d/signpost-autologin.conf
xorg_link=/etc/X11/xorg.conf.d/10-signpost-kiosk.conf
xorg_target=/usr/share/signpost/kiosk-session/10-signpost-kiosk.conf
logind=/etc/systemd/logind.conf.d/signpost-kiosk.conf
sysctl_file=/etc/sysctl.d/60-signpost-kiosk.conf
marker='# Signpost kiosk'

# The state file: "key=value" lines. note() records a key only the first time, so a second run
# cannot overwrite what the machine was like before the first.
recorded() { if [ -f "$state" ]; then sed -n "s/^$1=//p" "$state" | head -n 1; fi; }
note() {
    if [ -f "$state" ] && grep -q "^$1=" "$state"; then return 0; fi
    mkdir -p "$state_dir"
    printf '%s=%s\n' "$1" "$2" >>"$state"
}
# Removes FILE if it is one of ours (it starts with the marker line).
remove_ours() {
    if [ -f "$1" ] && head -n 1 "$1" | grep -q "^$marker"; then
        rm -f "$1"
        rmdir "$(dirname "$1")" 2>/dev/null || true
        say "removed $1"
        changed=1
    fi
}

# ---------------------------------------------------------------------------------------------
if [ "$undo" = 1 ]; then
    changed=0
    if [ -n "$(recorded user)" ]; then user=$(recorded user); fi
    if systemctl is-enabled signpost-kiosk.service >/dev/null 2>&1; then
        systemctl disable signpost-kiosk.service >/dev/null 2>&1 || true
        say "disabled signpost-kiosk.service"
        changed=1
    fi
    if systemd_running; then
        systemctl stop signpost-kiosk.service >/dev/null 2>&1 || true
    fi
    remove_ours "$autologin"
    if [ "$(readlink "$xorg_link" 2>/dev/null)" = "$xorg_target" ]; then
        rm -f "$xorg_link"
        rmdir /etc/X11/xorg.conf.d 2>/dev/null || true
        say "removed $xorg_link"
        changed=1
    fi
    remove_ours "$logind"
    remove_ours "$sysctl_file"
    if [ "$(recorded masked_ctrl_alt_del)" = yes ] &&
       [ "$(readlink /etc/systemd/system/ctrl-alt-del.target 2>/dev/null)" = /dev/null ]; then
        systemctl unmask ctrl-alt-del.target >/dev/null 2>&1 || rm -f /etc/systemd/system/ctrl-alt-del.target
        say "unmasked ctrl-alt-del.target"
        changed=1
    fi
    previous=$(recorded previous_default)
    current=$(readlink /etc/systemd/system/default.target 2>/dev/null || echo none)
    if [ -n "$previous" ] && [ "$current" != "$previous" ]; then
        if [ "$previous" = none ]; then
            rm -f /etc/systemd/system/default.target
            say "default target: the system's own again ($(systemctl get-default 2>/dev/null || echo graphical.target))"
        else
            ln -sfn "$previous" /etc/systemd/system/default.target
            say "default target: $(basename "$previous") again"
        fi
        changed=1
    fi
    for dm in $(recorded disabled_display_managers); do
        if [ -f "/lib/systemd/system/$dm.service" ]; then
            systemctl enable "$dm.service" >/dev/null 2>&1 && say "enabled display manager $dm again"
            changed=1
        fi
    done
    if systemd_running; then
        systemctl daemon-reload
        # The autologin session on tty1 ends; a plain login prompt takes its place.
        if [ "$changed" = 1 ]; then systemctl restart getty@tty1.service >/dev/null 2>&1 || true; fi
    fi
    if getent passwd "$user" >/dev/null; then
        home=$(getent passwd "$user" | cut -d: -f6)
        if [ "$(recorded made_user)" = yes ]; then
            if systemd_running; then loginctl terminate-user "$user" >/dev/null 2>&1 || true; fi
            # userdel, not deluser: deluser --remove-home needs the full perl, which a minimal
            # Debian does not have.
            if userdel --remove "$user" 2>/dev/null || userdel --force --remove "$user"; then
                say "deleted the login $user and its home $home"
                changed=1
            fi
        else
            # Someone else's login: take out only what this script put in.
            for file in "$home/.profile" "$home/.bash_profile"; do
                if [ -f "$file" ] && grep -q 'signpost' "$file"; then
                    sed -i '/^# >>> signpost kiosk/,/^# <<< signpost kiosk/d; /# signpost kiosk$/d' "$file"
                    say "took the kiosk session out of $file"
                    changed=1
                fi
            done
            for group in $(recorded added_groups); do
                gpasswd -d "$user" "$group" >/dev/null 2>&1 && say "took $user out of group $group"
            done
        fi
    fi
    if [ -d "$state_dir" ]; then rm -rf "$state_dir"; fi
    if [ "$changed" = 1 ]; then
        say "undone. The magic SysRq setting returns to Debian's default at the next boot."
    else
        say "nothing to undo: this machine is not set up as a Signpost kiosk"
    fi
    exit 0
fi

# ---------------------------------------------------------------------------------------------
if ! grep -q '^VERSION_ID="12"' /etc/os-release 2>/dev/null; then
    echo "signpost-setup-kiosk: warning: this is not Debian 12; continuing anyway" >&2
fi

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
    echo "signpost-setup-kiosk: signpost-kiosk is not installed; first: apt install ./signpost-kiosk_*.deb" >&2
    exit 1
fi

# 2. The login user for the X session. No password: it is only ever logged in by getty on tty1.
note user "$user"
if ! getent passwd "$user" >/dev/null; then
    adduser --disabled-password --gecos "Signpost kiosk screen" "$user" >/dev/null
    note made_user yes
    say "made user $user"
else
    note made_user no
fi
added=
for group in video render input; do
    if getent group "$group" >/dev/null && ! id -nG "$user" | tr ' ' '\n' | grep -qx "$group"; then
        adduser --quiet "$user" "$group"
        added="$added $group"
    fi
done
note added_groups "${added# }"
home=$(getent passwd "$user" | cut -d: -f6)

# 3. Automatic login on tty1, and X from the login shell.
put "$autologin" "$marker: log $user in on tty1 without a password (signpost-setup-kiosk).
[Service]
ExecStart=
ExecStart=-/sbin/agetty --autologin $user --noclear --noissue %I \$TERM
Type=idle"

profile="$home/.profile"
[ -f "$profile" ] || { cp /etc/skel/.profile "$profile" 2>/dev/null || : >"$profile"; chown "$user:" "$profile"; }
if ! grep -q '^# >>> signpost kiosk' "$profile"; then
    # Guarded: if the package is ever removed without --undo, the login still works.
    cat >>"$profile" <<'PROFILE'
# >>> signpost kiosk (signpost-setup-kiosk; signpost-setup-kiosk --undo removes it)
[ ! -r /usr/share/signpost/kiosk-session/kiosk-profile ] || . /usr/share/signpost/kiosk-session/kiosk-profile
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
if [ "$(readlink "$xorg_link" 2>/dev/null)" != "$xorg_target" ]; then
    ln -sfn "$xorg_target" "$xorg_link"
    say "linked $xorg_link"
fi
put "$logind" "$marker: no login prompts on other virtual terminals (signpost-setup-kiosk).
[Login]
NAutoVTs=0
ReserveVT=0"
put "$sysctl_file" "$marker: no magic SysRq key combinations from a keyboard (signpost-setup-kiosk).
kernel.sysrq = 0"
if [ "$(readlink /etc/systemd/system/ctrl-alt-del.target 2>/dev/null)" != /dev/null ]; then
    note masked_ctrl_alt_del yes
    systemctl mask ctrl-alt-del.target >/dev/null 2>&1 || ln -sfn /dev/null /etc/systemd/system/ctrl-alt-del.target
    say "masked ctrl-alt-del.target"
else
    note masked_ctrl_alt_del no
fi

# 5. Boot to the console (getty starts X), never to a display manager, and start the app.
note previous_default "$(readlink /etc/systemd/system/default.target 2>/dev/null || echo none)"
if [ "$(systemctl get-default 2>/dev/null)" != multi-user.target ]; then
    systemctl set-default multi-user.target >/dev/null 2>&1
    say "default target: multi-user.target"
fi
disabled=
for dm in gdm3 lightdm sddm xdm; do
    if systemctl is-enabled "$dm.service" >/dev/null 2>&1; then
        systemctl disable "$dm.service" >/dev/null 2>&1 && say "disabled display manager $dm"
        disabled="$disabled $dm"
    fi
done
note disabled_display_managers "${disabled# }"
if ! systemctl is-enabled signpost-kiosk.service >/dev/null 2>&1; then
    systemctl enable signpost-kiosk.service >/dev/null 2>&1
    say "enabled signpost-kiosk.service"
fi

# 6a. The coordinators' public key, in a file root owns: every referral is sealed to it, so the
# kiosk's own user must never be able to replace it (kiosk.toml is the kiosk's to rewrite).
keyfile=/etc/signpost/coordinator.pub
if [ -n "$coordinator_key" ]; then
    case "$coordinator_key" in *[!A-Za-z0-9+/=]*) echo "signpost-setup-kiosk: --coordinator-key is not base64" >&2; exit 2 ;; esac
    if [ -f "$keyfile" ] && [ "$(cat "$keyfile")" != "$coordinator_key" ]; then
        echo "signpost-setup-kiosk: $keyfile already holds another coordinators' key; left it alone" >&2
        echo "signpost-setup-kiosk: (if the coordinators really changed their key, delete it and run this again)" >&2
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
    echo "signpost-setup-kiosk: warning: no coordinators' key yet ($keyfile): the kiosk will not start until" >&2
    echo "signpost-setup-kiosk: it is there; run this again with --coordinator-key KEY (from signpost keygen)" >&2
fi

# 6b. The staff PIN. Without one the touchscreen never opens staff mode, so nobody who walks up
# can make themselves staff. Set it as the app's user, from standard input (never the command line).
if grep -q '^pin_hash = ""' /etc/signpost/kiosk.toml 2>/dev/null; then
    if [ -n "$pin_file" ]; then
        if [ ! -r "$pin_file" ]; then
            echo "signpost-setup-kiosk: cannot read --pin-file $pin_file" >&2
            exit 1
        fi
        if head -n 1 "$pin_file" | runuser -u signpost -- /usr/bin/signpost-kiosk --set-pin >/dev/null; then
            say "set the staff PIN from $pin_file"
        else
            echo "signpost-setup-kiosk: the staff PIN in $pin_file was not accepted (4 to 8 digits, not all the same, not 1234)" >&2
            exit 1
        fi
    elif [ -t 0 ]; then
        while :; do
            printf 'signpost-setup-kiosk: staff PIN for this kiosk (4 to 8 digits; not shown): ' >&2
            stty -echo
            read -r pin || pin=
            printf '\nsignpost-setup-kiosk: the same PIN again: ' >&2
            read -r again || again=
            stty echo
            printf '\n' >&2
            if [ "$pin" != "$again" ]; then
                echo "signpost-setup-kiosk: the two PINs differ; again" >&2
                continue
            fi
            if printf '%s\n' "$pin" | runuser -u signpost -- /usr/bin/signpost-kiosk --set-pin >/dev/null; then
                say "set the staff PIN"
                break
            fi
            echo "signpost-setup-kiosk: that PIN is too easy to guess (4 to 8 digits, not all the same, not 1234); again" >&2
        done
        pin=; again=
    else
        echo "signpost-setup-kiosk: warning: no staff PIN set, so staff mode is off on this kiosk; set one with" >&2
        echo "signpost-setup-kiosk:   runuser -u signpost -- signpost-kiosk --set-pin" >&2
    fi
fi

if systemd_running; then
    systemctl daemon-reload
fi
say "done. Reboot to start the kiosk: systemctl reboot"
