#!/usr/bin/env bash
# README command 1: install what is needed, build, and run the whole system: a local sync server
# (signpost-server, SQLite, loopback only, in the background and stopped on exit) with the demo
# directory imported, a coordinator token and key, and the demo kiosk enrolled with the server.
#
#   installer/demo.sh
#
# With a display ($DISPLAY, or $WAYLAND_DISPLAY with Xwayland): the kiosk runs full screen
# (staff mode: hold the top-left corner for 3 s; stop it with Ctrl+C in this terminal). A referral
# made on it reaches the server within seconds; the one `signpost pull` command printed before the
# kiosk starts fetches and decrypts it.
# Without one: the kiosk runs under Xvfb, a resident's self-referral is walked through it with
# real input events, a screenshot of every screen is written to build-release/demo/screenshots/,
# the demo waits until the kiosk's sync engine has delivered the referral to the server, then runs
# that pull command and shows the CSV the coordinators get.
#
# Idempotent: the demo key, server data, coordinator token and kiosk enrollment are made once in
# build-release/demo/ and reused; each headless walk starts from a fresh kiosk data dir (enrolled
# anew). Environment: JOBS (build jobs, default: cores), SIGNPOST_DEMO_PORT (the server's loopback
# port, default 8787).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

say() { printf '\n==> %s\n' "$*"; }

say "Installing dependencies (Debian 12 packages)"
installer/install-deps.sh

say "Building (Release, build-release/)"
jobs="${JOBS:-$(nproc)}"
# ccache (CMakeLists.txt): paths relative to this clone, so a second clone reuses the objects.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}" CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"
cmake --preset release >/dev/null
cmake --build --preset release --parallel "$jobs" --target signpost-kiosk signpost signpost-server \
    signpost-e2e-driver

build="$root/build-release"
kiosk="$build/kiosk/app/signpost-kiosk"
tool="$build/sync/signpost"
server_bin="$build/sync/server/signpost-server"
[ -x "$server_bin" ] || server_bin="$build/sync/signpost-server"
driver="$build/tests/signpost-e2e-driver"
demo="$build/demo"
key="$demo/coordinator-key.json"
config="$demo/kiosk.toml"
mkdir -p "$demo"

# The demo key's passphrase is "signpost-demo" (keygen wants at least 12 characters): it protects
# nothing real. Interactive KDF limits keep opening it fast on small machines; real keys use the
# default (moderate) and a passphrase typed at the terminal.
export SIGNPOST_PASSPHRASE=signpost-demo
if [ ! -f "$key" ]; then
    say "Making the demo coordinator key ($key, passphrase \"$SIGNPOST_PASSPHRASE\")"
    "$tool" keygen --out "$key" --kdf interactive >"$demo/keygen.out"
fi
public_key="$(sed -n 's/.*"public_key"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$key" | head -n 1)"
if [ -z "$public_key" ]; then
    echo "demo: cannot read the public key from $key; delete it and run again" >&2
    exit 1
fi

# --- The local sync server: loopback only, plain HTTP (allowed on loopback), data kept in
# build-release/demo/server-data so the token and enrollments survive between runs. ---
port="${SIGNPOST_DEMO_PORT:-8787}"
server_url="http://127.0.0.1:$port"
server_config="$demo/server.toml"
server_data="$demo/server-data"
token_file="$demo/coordinator.token"
mkdir -p "$server_data"
cat >"$server_config" <<TOML
# Written by installer/demo.sh: the demo's local sync server (see config/server.toml for every key).
[server]
listen_address = "127.0.0.1"
port = $port
threads = 8

[storage]
data_dir = "$server_data"
TOML
server_pid=""
stop_server() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    server_pid=""
}
trap stop_server EXIT

say "Starting the sync server on $server_url (log: $demo/server.log)"
"$server_bin" serve --config "$server_config" >"$demo/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
    if grep -q "listening on" "$demo/server.log" 2>/dev/null; then break; fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "demo: the sync server did not start (is port $port taken? set SIGNPOST_DEMO_PORT); its log:" >&2
        tail -n 20 "$demo/server.log" >&2
        exit 1
    fi
    sleep 0.1
done
grep -q "listening on" "$demo/server.log" || { echo "demo: the sync server did not start in time" >&2; exit 1; }
admin() { "$server_bin" admin "$@" --config "$server_config"; }

say "Publishing the demo directory on the server"
admin import-directory "$root/assets/directory/manchester-demo.json" >"$demo/import.log" 2>&1 || {
    cat "$demo/import.log" >&2
    exit 1
}
if [ ! -s "$token_file" ]; then
    say "Making a coordinator token ($token_file)"
    (umask 077 && admin coordinator-token create --name "demo coordinators" >"$token_file")
fi

# The documented example config with the demo's venue and key filled in. Rewritten every run
# from config/kiosk.toml, so it follows the example as it changes.
say "Writing the demo config ($config)"
awk -v key="$public_key" -v url="$server_url" '
    /^[ \t]*\[/ { t = $0; sub(/^[ \t]*\[/, "", t); sub(/\].*$/, "", t); gsub(/[ \t]/, "", t); table = t }
    table == "venue" && /^[ \t]*name[ \t]*=/ { print "name = \"Demo Library\""; next }
    table == "venue" && /^[ \t]*neighbourhood[ \t]*=/ { print "neighbourhood = \"Hulme, Moss Side & Rusholme\""; next }
    table == "referral" && /^[ \t]*coordinator_public_key[ \t]*=/ { print "coordinator_public_key = \"" key "\""; next }
    table == "sync" && /^[ \t]*server_url[ \t]*=/ { print "server_url = \"" url "\""; next }
    { print }
' config/kiosk.toml >"$config.tmp"
mv "$config.tmp" "$config"
grep -q "coordinator_public_key = \"$public_key\"" "$config" || {
    echo "demo: config/kiosk.toml has no [referral] coordinator_public_key line to fill in" >&2
    exit 1
}

# Enrolls the kiosk whose data is in $1 with the demo server, unless it already is.
enroll_kiosk() {
    local data="$1"
    if [ -f "$data/enrollment.json" ] && grep -q "\"$server_url\"" "$data/enrollment.json"; then
        return 0
    fi
    mkdir -p "$data"
    say "Enrolling the demo kiosk with the server (single-use enrollment code)"
    local code
    code="$(admin enrollment-code --venue "Demo Library" --expires 1h)"
    "$kiosk" --config "$config" --data-dir "$data" --enroll "$server_url" --enrollment-code "$code"
}

# The demo's staff PIN (a real kiosk's comes from setup-kiosk.sh): without one the touchscreen
# never opens staff mode. Set the way an admin does, from standard input.
demo_pin=2580
set_demo_pin() {
    mkdir -p "$1"
    echo "$demo_pin" | "$kiosk" --config "$config" --data-dir "$1" --set-pin >/dev/null
}

pulled="$demo/pulled"
pull_command="SIGNPOST_PASSPHRASE=$SIGNPOST_PASSPHRASE $tool pull --server $server_url --token-file $token_file --key $key --out $pulled"

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
    enroll_kiosk "$demo/data"
    set_demo_pin "$demo/data"
    say "Staff mode: hold the top-left corner for 3 seconds, then PIN $demo_pin."
    say "Referrals made on the kiosk reach the server in seconds. Fetch and decrypt them with:"
    echo "    $pull_command"
    say "Starting the kiosk full screen (data in $demo/data). Stop it with Ctrl+C."
    "$kiosk" --config "$config" --data-dir "$demo/data" || true
    exit 0
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
    stop_server
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

enroll_kiosk "$data"
set_demo_pin "$data"

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

say "Waiting for the kiosk's sync engine to deliver the referral, then pulling it:"
echo "    $pull_command"
delivered=""
for _ in $(seq 1 60); do
    if out="$("$tool" pull --server "$server_url" --token-file "$token_file" --key "$key" \
            --out "$pulled" 2>>"$demo/pull.log")" && [ -n "$out" ]; then
        delivered="$out"
        break
    fi
    sleep 0.5
done
kill "$kiosk_pid"
wait "$kiosk_pid" || true
kiosk_pid=""
if [ -z "$delivered" ]; then
    echo "demo: the referral did not reach the server in 30 s; the kiosk's log ($demo/kiosk.log) ends:" >&2
    grep -i sync "$demo/kiosk.log" | tail -n 10 >&2 || true
    exit 1
fi

say "What the coordinators get ($delivered):"
cat "$delivered"
echo

say "The kiosk's own copy, as its outbox holds it now (signpost open)"
"$tool" open --key "$key" --db "$data/outbox.db"

say "Done. Screenshots of every screen are in:"
echo "    $shots"
ls -1 "$shots"/*.png | sed 's|.*/|      |'
