#!/usr/bin/env bash
# Installs everything Signpost needs to build, test and run, from Debian 12 packages only.
# Used by both README commands and by .ci/run. Safe to run again: it skips apt entirely when
# every package is already installed.
#
#   installer/install-deps.sh            # build + test + run dependencies
#   installer/install-deps.sh --list     # print the package names, one per line (for the
#                                        # completeness test, tests/install_deps_test.cpp)
#
# Why each package is here is said next to it; anything beyond the brief's list is justified in
# README.md ("Dependencies").
set -euo pipefail

packages=(
    # Build
    build-essential cmake pkg-config git
    # Libraries (the brief's stack)
    libimgui-dev libglfw3-dev libsqlite3-dev libcurl4-openssl-dev catch2 libsodium-dev
    nlohmann-json3-dev libcpp-httplib-dev
    libicu-dev           # ICU: plural rules, BCP 47 tags, NFKC folding for search; bidi, UAX #14 line breaks, sentences
    libfreetype-dev      # Debian's libimgui.a contains imgui_freetype; it links against FreeType
    libstb-dev           # stb_image_write for screenshots (a dependency of libimgui-dev anyway)
    libtomlplusplus-dev  # toml++: kiosk.toml and server.toml are read as TOML 1.0
    libmicrohttpd-dev    # the server's HTTP(S): epoll event loop, per-connection caps, GnuTLS
    libssl-dev           # libcrypto: the sync server's key fingerprint staff confirm when re-enrolling
    libcctz-dev          # cctz: local time from /usr/share/zoneinfo ("open now", times shown)
    libsystemd-dev       # sd_watchdog_enabled(): whether the systemd watchdog is the kiosk's to feed
    libcli11-dev         # CLI11: the command lines of signpost-kiosk, signpost-server and signpost
    libutfcpp-dev        # utfcpp: the UTF-8 rules (overlong, surrogates, range) of core/common/utf8
    libharfbuzz-dev      # text shaping (Arabic joining, Urdu Nastaliq, Bengali/Gurmukhi conjuncts)
    libespeak-ng-dev     # read-aloud: espeak-ng speech synthesis (its voices: espeak-ng-data)
    libasound2-dev       # read-aloud playback through ALSA (a system user has no PulseAudio)
    libqrencode-dev      # QR codes residents take away (service details, their reference)
    # Runtime
    fonts-noto-core      # Noto Sans, Naskh Arabic, Nastaliq Urdu, Sans Bengali and Gurmukhi
    fonts-noto-cjk       # Noto Sans CJK SC/TC: Chinese, rasterised on demand (never baked whole)
    tzdata               # /usr/share/zoneinfo/Europe/London for "open now" (read with cctz)
    libgl1-mesa-dri      # software OpenGL (llvmpipe) under Xvfb and on GPU-less mini-PCs
    # Headless runs and end-to-end tests
    xvfb xauth           # a virtual X display for CI and the no-screen demo
    libx11-dev libxtst-dev  # the test driver sends real input events with XTest
    sqlite3              # PRAGMA integrity_check from scripts, and for people poking at data
    openssl              # the CLI: test certificates for the server's HTTPS tests
    python3-jsonschema python3-rfc3987  # tests: ORUK API responses checked against the ORUK 3.0 schemas
    libxext-dev          # the kiosk's DPMS calls: the display sleeps outside opening hours
    libxrandr-dev        # glfw3native.h (X11) includes X11/extensions/Xrandr.h; libglfw3-dev only recommends it
    # Fuzzing (fuzz/run.sh, ctest fuzz_smoke): libFuzzer with ASan + UBSan
    clang-14 libclang-rt-14-dev  # the compiler, and libFuzzer and the sanitizer runtimes
    llvm-14              # llvm-symbolizer: readable stack traces in sanitizer reports
    ccache               # fuzz/run.sh rebuilds the libraries with clang for every CI run: cached
    clang-format         # ctest "format: clang-format": CI fails when a file differs from .clang-format
    libharfbuzz-bin      # hb-shape: the text test compares our shaping with HarfBuzz's own
    zbar-tools           # zbarimg: tests decode the QR codes back from real screenshots
    # Packages (installer/packaging/) and their tests
    dpkg-dev             # dpkg-shlibdeps: the .debs' library Depends come from the binaries
    lintian              # the packages must be lintian clean (CI fails on errors and warnings)
    file                 # checks that packaged binaries are stripped
    systemd              # systemd-analyze verify/security on the units
    mmdebstrap           # the package install test installs the .debs into a fresh minimal Debian 12 root
    systemd-container    # systemd-nspawn: that root boots with systemd as PID 1, so the units really run
)

if [ "${1:-}" = --list ]; then
    printf '%s\n' "${packages[@]}"
    exit 0
fi

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all ${#packages[@]} packages already installed"
    exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        as_root=(sudo)
    else
        echo "install-deps: need root to install: ${missing[*]}" >&2
        exit 1
    fi
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# A fresh Debian runs apt's daily timers soon after boot: wait for their lock instead of failing.
lock_wait=(-o DPkg::Lock::Timeout=600)
"${as_root[@]}" apt-get "${lock_wait[@]}" update -qq
"${as_root[@]}" apt-get "${lock_wait[@]}" install -y -qq --no-install-recommends "${missing[@]}"
