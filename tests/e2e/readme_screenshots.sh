#!/usr/bin/env bash
# Takes the README's screenshots of the home screen and a service page in Urdu, Bengali and
# Chinese (Simplified) from the real kiosk (OpenGL under Xvfb, as the end-to-end tests run it),
# walked with real XTest input events by signpost-e2e-driver (tests/e2e/readme_screens.walk), and
# writes them to docs/screenshots/{home,service}-<language>.png.
#
#   tests/e2e/readme_screenshots.sh [BUILD_DIR] [LANGUAGE...]
#       BUILD_DIR: default build-ci; signpost-kiosk and signpost-e2e-driver must be built there
#       (cmake --build --preset ci --target signpost-kiosk signpost-e2e-driver).
#       LANGUAGE: BCP 47 tags; default: ur bn zh-Hans.
#
# Needs Xvfb and xauth (installer/install-deps.sh). The kiosk runs on its own Xvfb, with its own
# config (the example config/kiosk.toml with a throwaway coordinators' key and the language set)
# and its own data directory in a temporary directory; nothing is submitted. ALSA's "null" device
# stands in for the venue's speakers, so the top bar shows "Read aloud" as on a kiosk with sound.
# Exit status: 0 when every screenshot was taken, 1 otherwise (the kiosk's and the driver's logs
# are printed).
set -euo pipefail
cd "$(dirname "$0")/../.."
build="${1:-build-ci}"
shift || true
languages=("$@")
if [ ${#languages[@]} -eq 0 ]; then
    languages=(ur bn zh-Hans)
fi
kiosk="$build/kiosk/app/signpost-kiosk"
driver="$build/tests/signpost-e2e-driver"
for program in "$kiosk" "$driver"; do
    [ -x "$program" ] || { echo "readme_screenshots: $program is not built" >&2; exit 1; }
done
command -v Xvfb >/dev/null || { echo "readme_screenshots: no Xvfb (installer/install-deps.sh)" >&2; exit 1; }

work="$(mktemp -d)"
xvfb_pid=""
kiosk_pid=""
cleanup() {
    if [ -n "$kiosk_pid" ]; then kill "$kiosk_pid" 2>/dev/null || true; wait "$kiosk_pid" 2>/dev/null || true; fi
    if [ -n "$xvfb_pid" ]; then kill "$xvfb_pid" 2>/dev/null || true; wait "$xvfb_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# Xvfb picks a free display number itself and writes it to fd 3 (as tests/support/virtual_display).
Xvfb -displayfd 3 -screen 0 1920x1080x24 -nolisten tcp -noreset 3>"$work/display" >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 1 300); do
    grep -q '[0-9]' "$work/display" 2>/dev/null && break
    sleep 0.1
done
grep -q '[0-9]' "$work/display" || { echo "readme_screenshots: Xvfb did not start" >&2; cat "$work/xvfb.log" >&2; exit 1; }
export DISPLAY=":$(tr -dc '0-9' <"$work/display")"

# Any 32 bytes make a Curve25519 public key the kiosk accepts; nothing is sealed with it here.
key="$(head -c 32 /dev/urandom | base64)"
for language in "${languages[@]}"; do
    config="$work/kiosk-$language.toml"
    awk -v key="$key" -v language="$language" '
        /^\[/ { table = $0 }
        table == "[referral]" && /^[ \t]*coordinator_public_key[ \t]*=/ { print "coordinator_public_key = \"" key "\""; next }
        table == "[kiosk]" && /^[ \t]*default_language[ \t]*=/ { print "default_language = \"" language "\""; next }
        { print }' config/kiosk.toml >"$config"
    grep -q "^default_language = \"$language\"" "$config" || { echo "readme_screenshots: could not set the language in $config" >&2; exit 1; }
    rm -f "$work/ui-map.json"
    SIGNPOST_AUDIO_DEVICE=null "$kiosk" --config "$config" --data-dir "$work/data-$language" --windowed \
        --size 1920x1080 --ui-map "$work/ui-map.json" >"$work/kiosk-$language.log" 2>&1 &
    kiosk_pid=$!
    mkdir -p "$work/shots-$language"
    # The first screen can take a while on a loaded machine (the directory is imported first).
    if ! "$driver" --ui-map "$work/ui-map.json" --script tests/e2e/readme_screens.walk \
        --screenshots "$work/shots-$language" --timeout-ms 60000 >"$work/walk-$language.log" 2>&1; then
        echo "readme_screenshots: the walk failed in $language" >&2
        cat "$work/walk-$language.log" >&2
        tail -n 30 "$work/kiosk-$language.log" >&2
        exit 1
    fi
    kill "$kiosk_pid"
    wait "$kiosk_pid" || true
    kiosk_pid=""
    for screen in home service; do
        cp "$work/shots-$language/$screen.png" "docs/screenshots/$screen-$language.png"
        echo "docs/screenshots/$screen-$language.png: $(stat -c %s "docs/screenshots/$screen-$language.png") bytes"
    done
done
