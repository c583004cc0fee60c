#!/usr/bin/env bash
# Builds the benchmarks in Release and runs them, each printing its table (figure, median, p99
# where the target is a tail, target, met). Speed and memory targets live here, never in timed
# unit tests. The machines are noisy: read medians and ratios, and compare against the load
# average each benchmark prints.
#
#   installer/bench.sh                 # every benchmark
#   installer/bench.sh search_bench    # only the ones named
#
# Environment: JOBS (build jobs, default: cores). Benchmarks that need a window start their own
# Xvfb. Exit status: 1 if a benchmark could not run; a missed target shows in its table.
set -euo pipefail
cd "$(dirname "$0")/.."

installer/install-deps.sh >/dev/null

jobs="${JOBS:-$(nproc)}"
cmake --preset release >/dev/null
cmake --build --preset release --parallel "$jobs"

if [ $# -gt 0 ]; then
    benches=("$@")
else
    benches=()
    for source in bench/*_bench.cpp; do
        benches+=("$(basename "$source" .cpp)")
    done
fi

status=0
for bench in "${benches[@]}"; do
    printf '\n==> %s\n' "$bench"
    if ! "build-release/bench/$bench"; then
        echo "bench: $bench failed" >&2
        status=1
    fi
done
exit "$status"
