#!/usr/bin/env bash
# README command 2: install what is needed, build, and run the whole test suite headless.
#
#   installer/test.sh            # build in build-ci/ (warnings are errors) and run ctest
#
# Environment: JOBS (parallel build jobs, default: number of cores), CTEST_ARGS (extra ctest
# arguments, e.g. "-R outbox").
set -euo pipefail
cd "$(dirname "$0")/.."

installer/install-deps.sh

jobs="${JOBS:-$(nproc)}"
# The build uses ccache (CMakeLists.txt): paths relative to this clone, and the settings the
# precompiled test header needs, so a CI run in a fresh clone reuses the last run's objects.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}" CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"
export CCACHE_SLOPPINESS="${CCACHE_SLOPPINESS:-pch_defines,time_macros}"
cmake --preset ci -DSIGNPOST_BUILD_BENCH=ON
cmake --build --preset ci --parallel "$jobs"

# Tests that need a window always start a virtual X display of their own (whatever $DISPLAY
# says); nothing here needs a screen.
ctest --preset ci --parallel "$jobs" ${CTEST_ARGS:-}
