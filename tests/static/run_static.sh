#!/bin/sh
# Static analysis of the whole tree with Debian's cppcheck and clang-tidy, using the checked-in
# configuration (.clang-tidy; tests/static/cppcheck.supp). Exit 1 on any finding.
#   tests/static/run_static.sh [BUILD_DIR]    (default build-static; configured here with a
#                                              compile_commands.json for clang-tidy)
set -eu
cd "$(dirname "$0")/../.."
B=${1:-build-static}
if [ ! -f "$B/compile_commands.json" ]; then
    cmake -S . -B "$B" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
fi
cmake --build "$B" -j "$(nproc)" >/dev/null
status=0
echo "static: cppcheck"
cppcheck --enable=warning,performance,portability --std=c11 --quiet --error-exitcode=1 \
    --inline-suppr --suppressions-list=tests/static/cppcheck.supp \
    -I sim/reward -I sim/engine -I sim/store -I sim/scenario -I sim/cli -I agents \
    sim agents reports tests/fuzz || status=1
echo "static: clang-tidy"
# Every first-party translation unit in the compile database (tests included).
files=$(/usr/bin/python3 -c "import json,sys; print('\n'.join(sorted({e['file'] for e in json.load(open(sys.argv[1])) if '/build' not in e['file']})))" "$B/compile_commands.json")
# shellcheck disable=SC2086
clang-tidy -p "$B" --quiet $files || status=1
exit $status
