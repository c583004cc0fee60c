# Sourced by check_install.sh: a fresh Debian 12 root booted with systemd as PID 1.
#
# systemd-nspawn --boot runs the root's own systemd 252 as the container's PID 1 (FACTS.md: on
# machines whose PID 1 is not systemd and that have no D-Bus, --register=no --keep-unit are
# what makes it boot). The container shares this machine's network, so apt inside reaches the
# archive and this machine's Xvfb and openssl reach the container's X clients and servers on
# loopback. Commands run inside with nsenter into every namespace of the container's PID 1
# (machinectl cannot see an unregistered machine), with a clean environment.
#
#   boot_root ROOT LOG        boots it; sets $container_pid (its PID 1); 1 with the reason on stderr
#   in_ct COMMAND...          runs COMMAND as root inside, in /, like a root shell there
#   unit_value UNIT PROPERTY  systemctl show's value
#   wait_until SECONDS COMMAND...   retries COMMAND every second until it succeeds
#   shutdown_root             powers the container off (then kills what is left)

nspawn_pid=
container_pid=

boot_root() {  # root log
    systemd-nspawn --directory="$1" --boot --register=no --keep-unit --console=read-only \
        --quiet --machine="signpost-test-$$" </dev/null >"$2" 2>&1 &
    nspawn_pid=$!
    container_pid=
    for _ in $(seq 1 60); do
        if ! kill -0 "$nspawn_pid" 2>/dev/null; then
            echo "systemd-nspawn exited: $(tail -n 3 "$2" | tr '\n' ' ')" >&2
            return 1
        fi
        # The container's PID 1 is the child of systemd-nspawn named systemd (from /proc, so
        # no procps is needed).
        for stat in /proc/[0-9]*/stat; do
            read -r pid comm _state ppid _rest <"$stat" 2>/dev/null || continue
            if [ "$ppid" = "$nspawn_pid" ] && [ "$comm" = "(systemd)" ]; then
                container_pid=$pid
            fi
        done
        [ -z "$container_pid" ] || break
        sleep 0.5
    done
    if [ -z "$container_pid" ]; then
        echo "no systemd came up under systemd-nspawn: $(tail -n 3 "$2" | tr '\n' ' ')" >&2
        return 1
    fi
    # "running", or "degraded" when some unit of the minimal root failed (none of ours yet).
    state=$(in_ct timeout 120 systemctl is-system-running --wait 2>/dev/null || true)
    case "$state" in
        running|degraded) return 0 ;;
        *) echo "the booted root's systemd says '$state'" >&2; return 1 ;;
    esac
}

in_ct() {
    # --root and --wd without a value: the container's own root and working directory ("/").
    # (A path given to them would be opened on this machine's side, before entering.)
    nsenter --target "$container_pid" --all --root --wd \
        env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        HOME=/root LANG=C.UTF-8 TERM=dumb "$@"
}

unit_value() {  # unit property
    in_ct systemctl show --property="$2" --value "$1" 2>/dev/null
}

wait_until() {  # seconds command...
    limit=$1; shift
    waited=0
    while ! "$@" >/dev/null 2>&1; do
        [ "$waited" -lt "$limit" ] || return 1
        sleep 1
        waited=$((waited + 1))
    done
}

shutdown_root() {
    [ -n "$nspawn_pid" ] || return 0
    if kill -0 "$nspawn_pid" 2>/dev/null; then
        in_ct systemctl poweroff >/dev/null 2>&1 || kill -TERM "$nspawn_pid" 2>/dev/null || true
        for _ in $(seq 1 30); do
            kill -0 "$nspawn_pid" 2>/dev/null || break
            sleep 1
        done
        kill -KILL "$nspawn_pid" 2>/dev/null || true
    fi
    wait "$nspawn_pid" 2>/dev/null || true
    nspawn_pid=
}
