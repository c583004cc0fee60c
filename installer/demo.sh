#!/usr/bin/env bash
# README command 1: install what is needed, build, and run the kiosk with the demo directory and a
# demo coordinator key.
#
#   installer/demo.sh
#
# With a display ($DISPLAY, or $WAYLAND_DISPLAY with Xwayland): the kiosk runs full screen
# (staff mode: hold the top-left corner for 3 s; stop it with Ctrl+C in this terminal).
# Without one: the kiosk runs under Xvfb, a resident's self-referral is walked through it with
# real input events, a screenshot of every screen is written to build-release/demo/screenshots/,
# and the stored referral is decrypted with `signpost open` to show what the coordinators get.
#
# Idempotent: the demo key and config are made once in build-release/demo/ and reused; each
# headless walk starts from a fresh data dir. Environment: JOBS (build jobs, default: cores).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

say() { printf '\n==> %s\n' "$*"; }

say "Installing dependencies (Debian 12 packages)"
installer/install-deps.sh

say "Building (Release, build-release/)"
jobs="${JOBS:-$(nproc)}"
cmake --preset release >/dev/null
cmake --build --preset release --parallel "$jobs" --target signpost-kiosk signpost signpost-e2e-driver

build="$root/build-release"
kiosk="$build/kiosk/app/signpost-kiosk"
tool="$build/sync/signpost"
driver="$build/tests/signpost-e2e-driver"
demo="$build/demo"
key="$demo/coordinator-key.json"
config="$demo/kiosk.toml"
mkdir -p "$demo"

# The demo key's passphrase is "demo": it protects nothing real. Interactive KDF limits keep
# opening it fast on small machines; real keys use the default (moderate).
export SIGNPOST_PASSPHRASE=demo
if [ ! -f "$key" ]; then
    say "Making the demo coordinator key ($key, passphrase \"demo\")"
    "$tool" keygen --out "$key" --kdf interactive >"$demo/keygen.out"
fi
public_key="$(sed -n 's/.*"public_key"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$key" | head -n 1)"
if [ -z "$public_key" ]; then
    echo "demo: cannot read the public key from $key; delete it and run again" >&2
    exit 1
fi

# The documented example config with the demo's venue and key filled in. Rewritten every run
# from config/kiosk.toml, so it follows the example as it changes.
say "Writing the demo config ($config)"
awk -v key="$public_key" '
    /^[ \t]*\[/ { t = $0; sub(/^[ \t]*\[/, "", t); sub(/\].*$/, "", t); gsub(/[ \t]/, "", t); table = t }
    table == "venue" && /^[ \t]*name[ \t]*=/ { print "name = \"Demo Library\""; next }
    table == "venue" && /^[ \t]*neighbourhood[ \t]*=/ { print "neighbourhood = \"Hulme, Moss Side & Rusholme\""; next }
    table == "referral" && /^[ \t]*coordinator_public_key[ \t]*=/ { print "coordinator_public_key = \"" key "\""; next }
    { print }
' config/kiosk.toml >"$config.tmp"
mv "$config.tmp" "$config"
grep -q "coordinator_public_key = \"$public_key\"" "$config" || {
    echo "demo: config/kiosk.toml has no [referral] coordinator_public_key line to fill in" >&2
    exit 1
}

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
    say "Starting the kiosk full screen (data in $demo/data). Stop it with Ctrl+C."
    exec "$kiosk" --config "$config" --data-dir "$demo/data"
fi

# --- No display: walk one self-referral under Xvfb and show the result. ---
data="$demo/headless-data"
shots="$demo/screenshots"
rm -rf "$data" "$shots"
mkdir -p "$shots"
xvfb_pid=""
kiosk_pid=""
cleanup() {
    if [ -n "$kiosk_pid" ]; then kill "$kiosk_pid" 2>/dev/null || true; wait "$kiosk_pid" 2>/dev/null || true; fi
    if [ -n "$xvfb_pid" ]; then kill "$xvfb_pid" 2>/dev/null || true; wait "$xvfb_pid" 2>/dev/null || true; fi
    rm -f "$demo/xvfb.display"
}
trap cleanup EXIT

say "No display found: starting a virtual one (Xvfb, 1920x1080)"
: >"$demo/xvfb.display"
# -displayfd: Xvfb picks a free display number and writes it once it accepts connections.
Xvfb -displayfd 3 -screen 0 1920x1080x24 -nolisten tcp -noreset 3>"$demo/xvfb.display" \
    >"$demo/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 1 150); do
    if grep -q '[0-9]' "$demo/xvfb.display" 2>/dev/null; then break; fi
    if ! kill -0 "$xvfb_pid" 2>/dev/null; then
        echo "demo: Xvfb did not start; see $demo/xvfb.log" >&2
        exit 1
    fi
    sleep 0.1
done
display=":$(tr -dc '0-9' <"$demo/xvfb.display")"
[ "$display" != ":" ] || { echo "demo: Xvfb reported no display" >&2; exit 1; }
export DISPLAY="$display"

say "Starting the kiosk on $DISPLAY (log: $demo/kiosk.log)"
"$kiosk" --config "$config" --data-dir "$data" --windowed --size 1920x1080 \
    --ui-map "$demo/ui-map.json" >"$demo/kiosk.log" 2>&1 &
kiosk_pid=$!

say "Walking a self-referral with real input events (tests/e2e/self_referral.walk)"
if ! "$driver" --ui-map "$demo/ui-map.json" --script tests/e2e/self_referral.walk \
        --screenshots "$shots" | tee "$demo/walk.log"; then
    echo "demo: the walkthrough failed; the kiosk's log ($demo/kiosk.log) ends:" >&2
    tail -n 20 "$demo/kiosk.log" >&2
    exit 1
fi
kill "$kiosk_pid"
wait "$kiosk_pid" || true
kiosk_pid=""

say "The referral as stored on the kiosk, decrypted with the coordinators' key (signpost open)"
"$tool" open --key "$key" --db "$data/outbox.db"

say "Done. Screenshots of every screen are in:"
echo "    $shots"
ls -1 "$shots"/*.png | sed 's|.*/|      |'
