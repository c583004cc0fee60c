#!/usr/bin/env bash
# Proves the README's two commands on a fresh Debian 12, as a new user meets them: a minimal
# Debian 12 root (mmdebstrap --variant=minbase) with nothing but git added, the repository cloned
# into it, then `installer/demo.sh` and `installer/test.sh` run inside it as root (chroot with
# /proc, /sys and /dev bound). A package that this machine has and install-deps.sh forgets makes
# one of them fail here.
#
#   installer/fresh-check.sh                 # both commands, the root deleted afterwards
#   installer/fresh-check.sh --keep          # keep the root (to look inside after a failure)
#   installer/fresh-check.sh --only demo     # or: --only test
#   installer/fresh-check.sh --dir DIR       # where the root goes (default /var/tmp/signpost-fresh-check)
#
# It checks the commit checked out here (HEAD), not uncommitted changes. It takes 20-40 minutes on
# 2 cores (two full builds: Release for the demo, CI for the tests) and needs the network for
# apt, so it is not part of every CI run; run it before resolving any change that adds a
# dependency. Logs: DIR.logs/{create,clone,demo,test}.log. Needs root. Exit status: 0 when every
# step passed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"

keep=0
only=""
dir=/var/tmp/signpost-fresh-check
while [ $# -gt 0 ]; do
    case "$1" in
        --keep) keep=1 ;;
        --only) only="${2:?--only needs demo or test}"; shift ;;
        --dir) dir="${2:?--dir needs a path}"; shift ;;
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        *) echo "fresh-check: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
case "$only" in ""|demo|test) ;; *) echo "fresh-check: --only takes demo or test" >&2; exit 2 ;; esac
[ "$(id -u)" = 0 ] || { echo "fresh-check: run as root (it builds a root with mmdebstrap and chroots into it)" >&2; exit 1; }

if ! command -v mmdebstrap >/dev/null; then
    echo "fresh-check: installing mmdebstrap on this machine"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mmdebstrap
fi

commit="$(git -C "$repo" rev-parse HEAD)"
if [ -n "$(git -C "$repo" status --porcelain --untracked-files=no)" ]; then
    echo "fresh-check: note: uncommitted changes here are not checked; checking commit ${commit:0:12}"
fi

logs="$dir.logs"
"$here/fresh-root.sh" remove "$dir"
rm -rf "$logs"
mkdir -p "$logs"
cleanup() {
    if [ "$keep" = 1 ]; then
        echo "fresh-check: the root is kept in $dir (remove it with: $here/fresh-root.sh remove $dir)"
        "$here/fresh-root.sh" run "$dir" true >/dev/null 2>&1 || true
    else
        "$here/fresh-root.sh" remove "$dir" || echo "fresh-check: could not remove $dir" >&2
    fi
}
trap cleanup EXIT

results=()
failed=0
step() {  # name log command...
    local name="$1" log="$2"; shift 2
    local start end status=0
    printf 'fresh-check: %-8s ... ' "$name"
    start=$(date +%s)
    "$@" >"$log" 2>&1 || status=$?
    end=$(date +%s)
    local took=$((end - start))
    local verdict="passed"
    if [ "$status" != 0 ]; then verdict="FAILED (exit $status; log: $log)"; failed=1; fi
    printf '%s in %dm%02ds\n' "$verdict" $((took / 60)) $((took % 60))
    results+=("$(printf '%-8s %-10s %dm%02ds' "$name" "${verdict%% *}" $((took / 60)) $((took % 60)))")
    if [ "$status" != 0 ]; then tail -n 25 "$log" | sed 's/^/    /'; fi
    return "$status"
}

step create "$logs/create.log" "$here/fresh-root.sh" create "$dir" git
# The clone happens inside the root, with its own git, from a read-only view of this repository.
# A git worktree's .git is only a pointer into the main repository, which the root cannot see:
# then the view is of a plain clone of this commit, made here first.
source_view="$repo"
if [ -f "$repo/.git" ]; then
    source_view="$logs/source"
    git clone --quiet --no-hardlinks --no-checkout "$repo" "$source_view"
    git -C "$source_view" fetch --quiet "$repo" "$commit"
    git -C "$source_view" checkout --quiet --detach "$commit"
fi
mkdir -p "$dir/mnt/signpost-source"
mount --bind "$source_view" "$dir/mnt/signpost-source"
mount -o remount,bind,ro "$dir/mnt/signpost-source"
clone() {
    "$here/fresh-root.sh" run "$dir" git config --global --add safe.directory '*'
    "$here/fresh-root.sh" run "$dir" git clone --quiet --no-hardlinks /mnt/signpost-source /root/signpost
    "$here/fresh-root.sh" run "$dir" git -C /root/signpost checkout --quiet --detach "$commit"
}
step clone "$logs/clone.log" clone
umount "$dir/mnt/signpost-source"
[ "$source_view" = "$repo" ] || rm -rf "$source_view"

run_readme_command() {  # the command exactly as the README gives it, from the clone's top
    "$here/fresh-root.sh" run "$dir" /bin/bash -c "cd /root/signpost && $1"
}
if [ "$only" != test ]; then step demo "$logs/demo.log" run_readme_command installer/demo.sh || true; fi
if [ "$only" != demo ]; then step test "$logs/test.log" run_readme_command installer/test.sh || true; fi

echo
echo "fresh-check: commit ${commit:0:12}, Debian $(cat "$dir/etc/debian_version" 2>/dev/null || echo '?') minbase + git"
printf '  %s\n' "${results[@]}"
if [ -f "$logs/test.log" ]; then
    grep -E 'tests passed|tests failed' "$logs/test.log" | tail -n 1 | sed 's/^/  ctest: /' || true
fi
exit "$failed"
