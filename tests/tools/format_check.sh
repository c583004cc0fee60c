#!/usr/bin/env bash
# The format check (ctest "format: clang-format"): every C++ file in the tree is formatted as
# .clang-format says, so a diff never mixes layout with meaning. Fails listing the files that
# differ and the first lines of what clang-format would change.
#   tests/tools/format_check.sh            check (exit 1 on any difference)
#   tests/tools/format_check.sh --fix      reformat the files in place
set -euo pipefail
cd "$(dirname "$0")/../.."

mapfile -d '' files < <(find kiosk sync tests bench fuzz \( -name '*.h' -o -name '*.cpp' \) -print0 | sort -z)
if [[ ${1:-} == --fix ]]; then
    clang-format -i --style=file "${files[@]}"
    echo "formatted ${#files[@]} files"
    exit 0
fi

# One clang-format run for the whole tree; its messages start with "<file>:<line>:<col>:".
mapfile -t unformatted < <(clang-format --dry-run --style=file "${files[@]}" 2>&1 |
    sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: \(warning\|error\): .*/\1/p' | sort -u)
if ((${#unformatted[@]} == 0)); then
    echo "all ${#files[@]} files are formatted"
    exit 0
fi
echo "${#unformatted[@]} of ${#files[@]} files are not formatted as .clang-format says:" >&2
printf '  %s\n' "${unformatted[@]}" >&2
echo "first differences:" >&2
clang-format --style=file "${unformatted[0]}" | diff -u "${unformatted[0]}" - | head -40 >&2 || true
echo "fix: tests/tools/format_check.sh --fix" >&2
exit 1
