#!/usr/bin/env bash
# Builds the libFuzzer targets with clang-14 (AddressSanitizer + UndefinedBehaviorSanitizer) and
# runs each over its seed corpus (fuzz/corpus/<target>/) and then for SECONDS of fuzzing.
# New inputs go to a scratch corpus, never into the repository. Exit 0 only if every target ran
# without a crash, a leak or a sanitizer report; 77 when clang-14 is not installed.
#
#   fuzz/run.sh [--build DIR] [--seconds N] [--jobs N] [--no-build] [TARGET...]
#
#   fuzz/run.sh --seconds 3              # what ctest's fuzz_smoke runs (CI)
#   nice -n 19 fuzz/run.sh --seconds 600 wire hsds_import    # a campaign, two targets
#
# Targets: wire hsds_import config referral_codec pull_state remote_settings server_fields.
# Each prints "fuzz <target>: <runs> runs in <s> s, cov <edges>, ft <features>, corpus <n>".
set -euo pipefail

src="$(cd "$(dirname "$0")/.." && pwd)"
build="$src/build-fuzz"
seconds=5
jobs=2
build_first=1
targets=()
while [ $# -gt 0 ]; do
    case "$1" in
        --build) build="$2"; shift 2 ;;
        --seconds) seconds="$2"; shift 2 ;;
        --jobs) jobs="$2"; shift 2 ;;
        --no-build) build_first=0; shift ;;  # two campaigns at once share one build
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        *) targets+=("$1"); shift ;;
    esac
done
if [ ${#targets[@]} -eq 0 ]; then
    targets=(wire hsds_import config referral_codec pull_state remote_settings server_fields)
fi

if ! command -v clang++-14 >/dev/null 2>&1; then
    echo "fuzz: clang++-14 is not installed (installer/install-deps.sh installs it); skipped"
    exit 77
fi

# -O1 with line tables: quick to compile (CI builds this every run), fast enough to fuzz, and
# asserts stay on (no NDEBUG); the sanitizers' stack traces still name file and line.
configure=(-DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14
           -DCMAKE_BUILD_TYPE=Fuzz "-DCMAKE_C_FLAGS_FUZZ=-O1 -gline-tables-only"
           "-DCMAKE_CXX_FLAGS_FUZZ=-O1 -gline-tables-only" -DSIGNPOST_FUZZ=ON
           -DSIGNPOST_BUILD_KIOSK=OFF -DSIGNPOST_BUILD_TESTS=OFF -DSIGNPOST_BUILD_BENCH=OFF)
if command -v ccache >/dev/null 2>&1; then
    configure+=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
mkdir -p "$build"
if [ "$build_first" -eq 1 ]; then
    if ! cmake -S "$src" -B "$build" "${configure[@]}" >"$build/configure.log" 2>&1; then
        tail -n 30 "$build/configure.log"
        exit 1
    fi
    if ! cmake --build "$build" --parallel "$jobs" --target "${targets[@]/#/fuzz_}" \
            >"$build/build.log" 2>&1; then
        grep -E "error|Error" "$build/build.log" | head -n 30
        exit 1
    fi
fi

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
symbolizer="$(command -v llvm-symbolizer-14 || command -v llvm-symbolizer || true)"
[ -n "$symbolizer" ] && export ASAN_SYMBOLIZER_PATH="$symbolizer"

failed=0
for target in "${targets[@]}"; do
    binary="$build/fuzz/fuzz_$target"
    seeds="$src/fuzz/corpus/$target"
    scratch="$(mktemp -d "${TMPDIR:-/tmp}/signpost-fuzz-$target-XXXXXX")"
    log="$build/fuzz_$target.log"
    dict=()
    case "$target" in
        config) dict=(-dict="$src/fuzz/toml.dict") ;;
        server_fields) ;;
        *) dict=(-dict="$src/fuzz/json.dict") ;;
    esac
    set +e
    (cd "$scratch" && "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -max_len=65536 -print_final_stats=1 "${dict[@]}" "$scratch" "$seeds") >"$log" 2>&1
    status=$?
    set -e
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
    last="$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)"
    cov="$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')"
    ft="$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')"
    corpus="$(echo "$last" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')"
    if [ "$status" -ne 0 ]; then
        echo "fuzz $target: FAILED (exit $status); the input is in $scratch, the log in $log:"
        grep -E "ERROR|SUMMARY|runtime error|terminate|what\(\)" "$log" | head -n 20
        failed=1
    else
        echo "fuzz $target: ${runs:-?} runs in ${seconds} s, cov ${cov:-?}, ft ${ft:-?}, corpus ${corpus:-?}"
        rm -rf "$scratch"
    fi
done
exit "$failed"
