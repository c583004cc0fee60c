#!/bin/sh
# ctest "packaging: build the three .deb packages": runs CPack on the finished build and leaves
# the packages in OUT/debs for the checks that follow (check_units.sh, check_contents.sh,
# check_install.sh).
#   build_packages.sh BUILD_DIR OUT_DIR
set -eu
build="$1"
out="$2"
rm -rf "$out"
mkdir -p "$out"
mkdir -p "$out/debs"
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$out/cpack" \
    -D CPACK_OUTPUT_FILE_PREFIX="$out/debs" >"$out/cpack.log" 2>&1 || {
    cat "$out/cpack.log" >&2
    exit 1
}
rm -rf "$out/cpack"
for name in signpost-kiosk signpost-server signpost-tools; do
    set -- "$out"/debs/"$name"_*.deb
    if [ ! -f "$1" ]; then
        echo "build_packages: $name was not built" >&2
        exit 1
    fi
done
ls -l "$out/debs"
