#!/usr/bin/env bash
# A fresh, minimal Debian 12 root: what a new user's machine has before our scripts run.
# Used by installer/fresh-check.sh (both README commands in a fresh root) and by the package
# install test (installer/packaging/tests/check_install.sh), so both mean the same "fresh".
#
#   installer/fresh-root.sh create DIR [PACKAGE...]   # mmdebstrap --variant=minbase + PACKAGEs
#   installer/fresh-root.sh run DIR COMMAND [ARG...]  # run a command inside, as root, clean env
#   installer/fresh-root.sh remove DIR                # unmount whatever is mounted below DIR, delete it
#
# `create` takes the apt sources from this machine (/etc/apt/sources.list and sources.list.d),
# so it works wherever this machine's apt works, mirror or proxy included. `run` binds /proc,
# /sys, /dev and /dev/pts into the root the first time (they stay until `remove`) and copies
# /etc/resolv.conf so apt inside reaches the network. Needs root.
set -euo pipefail

die() { echo "fresh-root: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (mmdebstrap, chroot and bind mounts)"

# The machine's enabled apt sources, as files mmdebstrap pastes into the new root.
host_sources() {
    local file
    if [ -s /etc/apt/sources.list ] && grep -q '^[[:space:]]*deb' /etc/apt/sources.list; then
        echo /etc/apt/sources.list
    fi
    for file in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
        [ -f "$file" ] && echo "$file"
    done
}

mounted_below() {  # the mount points under DIR, deepest first
    local dir
    dir="$(realpath -m "$1")"
    awk -v d="$dir" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/self/mounts | sort -r
}

create() {
    local dir="$1"; shift
    command -v mmdebstrap >/dev/null || die "mmdebstrap is not installed (installer/install-deps.sh installs it)"
    [ ! -e "$dir" ] || [ -z "$(ls -A "$dir" 2>/dev/null)" ] || die "$dir exists and is not empty"
    mkdir -p "$dir"
    local include=""
    if [ $# -gt 0 ]; then include="--include=$(IFS=,; echo "$*")"; fi
    local sources=()
    mapfile -t sources < <(host_sources)
    [ ${#sources[@]} -gt 0 ] || die "this machine has no apt sources to copy"
    # --skip=cleanup/apt/lists: keep the package lists, so apt works inside without an update
    # first (a fresh install has them too). apt's settings stay Debian's defaults.
    mmdebstrap --variant=minbase --mode=root --quiet ${include:+"$include"} \
        --skip=cleanup/apt/lists \
        bookworm "$dir" "${sources[@]}"
}

ensure_mounts() {
    local dir="$1" point
    [ -d "$dir/usr" ] || die "$dir is not a root (run: $0 create $dir)"
    for point in proc sys dev; do
        if ! mountpoint -q "$dir/$point"; then
            case "$point" in
                proc) mount -t proc proc "$dir/proc" ;;
                sys) mount --rbind /sys "$dir/sys"; mount --make-rslave "$dir/sys" ;;
                dev) mount --rbind /dev "$dir/dev"; mount --make-rslave "$dir/dev" ;;
            esac
        fi
    done
    cp -L /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null || true
}

run_in() {
    local dir="$1"; shift
    ensure_mounts "$dir"
    chroot "$dir" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}" \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
}

remove() {
    local dir="$1" point
    [ -e "$dir" ] || return 0
    while read -r point; do
        umount -R "$point" 2>/dev/null || umount -l "$point" 2>/dev/null || true
    done < <(mounted_below "$dir")
    [ -z "$(mounted_below "$dir")" ] || die "something is still mounted below $dir; not deleting it"
    rm -rf --one-file-system "$dir"
}

case "${1:-}" in
    create) [ $# -ge 2 ] || die "usage: $0 create DIR [PACKAGE...]"; shift; create "$@" ;;
    run) [ $# -ge 3 ] || die "usage: $0 run DIR COMMAND [ARG...]"; shift; run_in "$@" ;;
    remove) [ $# -eq 2 ] || die "usage: $0 remove DIR"; remove "$2" ;;
    *) die "usage: $0 create|run|remove DIR ..." ;;
esac
