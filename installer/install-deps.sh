#!/usr/bin/env bash
# Installs everything Signpost needs to build, test and run, from Debian 12 packages only.
# Used by both README commands and by .ci/run. Safe to run again: it skips apt entirely when
# every package is already installed.
#
#   installer/install-deps.sh            # build + test + run dependencies
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
    libicu-dev           # ICU: CLDR plural rules, BCP 47 language tags, NFKC case folding for search
    libfreetype-dev      # Debian's libimgui.a contains imgui_freetype; it links against FreeType
    libstb-dev           # stb_image_write for screenshots (a dependency of libimgui-dev anyway)
    libharfbuzz-dev      # text shaping (Arabic joining, Urdu Nastaliq, Bengali/Gurmukhi conjuncts)
    libicu-dev           # bidirectional text (UBA), UAX #14 line breaks, sentences for read-aloud
    libespeak-ng-dev     # read-aloud: espeak-ng speech synthesis (its voices: espeak-ng-data)
    libasound2-dev       # read-aloud playback through ALSA (a system user has no PulseAudio)
    libqrencode-dev      # QR codes residents take away (service details, their reference)
    # Runtime
    fonts-noto-core      # Noto Sans, Naskh Arabic, Nastaliq Urdu, Sans Bengali and Gurmukhi
    fonts-noto-cjk       # Noto Sans CJK SC/TC: Chinese, rasterised on demand (never baked whole)
    tzdata               # /usr/share/zoneinfo/Europe/London for "open now"
    libgl1-mesa-dri      # software OpenGL (llvmpipe) under Xvfb and on GPU-less mini-PCs
    # Headless runs and end-to-end tests
    xvfb xauth           # a virtual X display for CI and the no-screen demo
    libx11-dev libxtst-dev  # the test driver sends real input events with XTest
    sqlite3              # PRAGMA integrity_check from scripts, and for people poking at data
    openssl              # the CLI: test certificates for the server's HTTPS tests
    libxext-dev          # the kiosk's DPMS calls: the display sleeps outside opening hours
    libharfbuzz-bin      # hb-shape: the text test compares our shaping with HarfBuzz's own
    zbar-tools           # zbarimg: tests decode the QR codes back from real screenshots
    # Packages (installer/packaging/) and their tests
    dpkg-dev             # dpkg-shlibdeps: the .debs' library Depends come from the binaries
    lintian              # the packages must be lintian clean (CI fails on errors and warnings)
    file                 # checks that packaged binaries are stripped
    systemd              # systemd-analyze verify/security on the units
)

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
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
