#!/bin/sh
# Sets up a Signpost server on Debian 12 (installer/README.md, "Install a server").
# Installed as signpost-setup-server by the signpost-server package; run it as root.
#
#   signpost-setup-server [--listen 0.0.0.0 --tls-cert fullchain.pem --tls-key privkey.pem]
#        [--port 8443] [--package signpost-server_*.deb] [--tools signpost-tools_*.deb]
#
# What it does (safe to repeat; a second run with the same options changes nothing):
#   1. with --package/--tools: installs those .debs with apt (from a source tree)
#   2. with --tls-cert/--tls-key: copies them to /etc/signpost/tls (key readable only by root
#      and the server's group) and points server.toml at them
#   3. with --listen/--port: sets the address and port in /etc/signpost/server.toml
#   4. checks the config loads, then enables and (re)starts signpost-server.service and waits
#      until the server says it is listening (or says why it is not)
set -eu

package=; tools=; listen=; port=; cert=; key=
usage() { sed -n '5,6p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
        --package) [ $# -ge 2 ] || usage; package="$2"; shift 2 ;;
        --tools) [ $# -ge 2 ] || usage; tools="$2"; shift 2 ;;
        --listen) [ $# -ge 2 ] || usage; listen="$2"; shift 2 ;;
        --port) [ $# -ge 2 ] || usage; port="$2"; shift 2 ;;
        --tls-cert) [ $# -ge 2 ] || usage; cert="$2"; shift 2 ;;
        --tls-key) [ $# -ge 2 ] || usage; key="$2"; shift 2 ;;
        -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "signpost-setup-server: unknown option $1" >&2; usage ;;
    esac
done
if [ "$(id -u)" != 0 ]; then
    echo "signpost-setup-server: run as root (log in as root, or su -, or sudo if you have it)" >&2; exit 1
fi
if { [ -n "$cert" ] && [ -z "$key" ]; } || { [ -z "$cert" ] && [ -n "$key" ]; }; then
    echo "signpost-setup-server: give both --tls-cert and --tls-key" >&2; exit 2
fi
case "$port" in ''|[0-9]|[0-9][0-9]|[0-9][0-9][0-9]|[0-9][0-9][0-9][0-9]|[0-9][0-9][0-9][0-9][0-9]) ;;
    *) echo "signpost-setup-server: --port must be a number" >&2; exit 2 ;; esac
say() { echo "signpost-setup-server: $*"; }
config=/etc/signpost/server.toml
changed=0

install_deb() {
    [ -n "$1" ] || return 0
    case "$1" in /*|./*) file="$1" ;; *) file="./$1" ;; esac
    name=$(dpkg-deb -f "$file" Package)
    if [ "$(dpkg-query -W -f='${Status} ${Version}' "$name" 2>/dev/null)" != "install ok installed $(dpkg-deb -f "$file" Version)" ]; then
        say "installing $file"
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$file"
        changed=1
    fi
}
install_deb "$package"
install_deb "$tools"
if ! dpkg-query -W -f='${Status}' signpost-server 2>/dev/null | grep -q 'install ok installed'; then
    echo "signpost-setup-server: signpost-server is not installed; first: apt install ./signpost-server_*.deb" >&2
    exit 1
fi

# Sets key = value in server.toml's [server] table unless it already says exactly that.
set_key() {
    if grep -qx "$1 = $2" "$config"; then return 0; fi
    if ! grep -q "^$1 = " "$config"; then
        echo "signpost-setup-server: $config has no '$1 =' line; edit it by hand" >&2; exit 1
    fi
    sed -i "s|^$1 = .*|$1 = $2|" "$config"
    say "$config: $1 = $2"
    changed=1
}

if [ -n "$cert" ]; then
    install -d -m 0750 -o root -g signpost-server /etc/signpost/tls
    for pair in "$cert:fullchain.pem:0644" "$key:privkey.pem:0640"; do
        source=${pair%%:*}; rest=${pair#*:}; name=${rest%%:*}; mode=${rest#*:}
        if ! cmp -s "$source" "/etc/signpost/tls/$name"; then
            install -m "$mode" -o root -g signpost-server "$source" "/etc/signpost/tls/$name"
            say "installed /etc/signpost/tls/$name"
            changed=1
        fi
    done
    set_key tls_cert_file '"/etc/signpost/tls/fullchain.pem"'
    set_key tls_key_file '"/etc/signpost/tls/privkey.pem"'
fi
[ -z "$listen" ] || set_key listen_address "\"$listen\""
[ -z "$port" ] || set_key port "$port"

# The config must load before the service is restarted with it (exit 3 names file, line, key).
if ! runuser -u signpost-server -- signpost-server admin devices list --config "$config" >/dev/null; then
    echo "signpost-setup-server: $config does not load (see the message above); the service was not restarted" >&2
    exit 1
fi

if [ -d /run/systemd/system ]; then
    systemctl enable signpost-server.service >/dev/null 2>&1
    restarted=0
    since=$(date +%s)
    if [ "$changed" = 1 ] || ! systemctl is-active --quiet signpost-server.service; then
        systemctl restart signpost-server.service
        restarted=1
        say "restarted signpost-server.service"
    fi
    # After a restart the server logs "listening on URL" once it has bound its port and loaded
    # its certificate; one that cannot (a port in use, an unreadable key) is inactive instead.
    listening=
    if [ "$restarted" = 1 ]; then
        for _ in $(seq 1 30); do
            listening=$(journalctl -u signpost-server.service --since "@$since" -o cat --no-pager 2>/dev/null |
                sed -n 's/^signpost-server: listening on \([^ ]*\).*/\1/p' | tail -n 1)
            [ -z "$listening" ] || break
            sleep 1
        done
    fi
    if ! systemctl is-active --quiet signpost-server.service; then
        echo "signpost-setup-server: the service did not start: journalctl -u signpost-server -n 50" >&2; exit 1
    fi
    if [ -n "$listening" ]; then
        say "signpost-server.service is serving on $listening"
    elif [ "$restarted" = 1 ]; then
        echo "signpost-setup-server: the service runs but has not said it is listening: journalctl -u signpost-server -n 50" >&2; exit 1
    else
        say "signpost-server.service is running; see: systemctl status signpost-server"
    fi
fi
say "next: a coordinator token (signpost-server admin coordinator-token create --name NAME)"
say "      and an enrollment code per kiosk (signpost-server admin enrollment-code --venue VENUE)"
say "      daily backups: systemctl list-timers signpost-server-backup (installer/README.md)"
