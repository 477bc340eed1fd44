#!/bin/sh
# Static analysis of the whole tree (sim, agents, reports, tests) with Debian's cppcheck and
# clang-tidy 14, using the checked-in configuration (.clang-tidy; tests/static/cppcheck.supp).
# Exit 1 on any finding; every finding is printed as FILE:LINE: ... [check].
#   tests/static/run_static.sh [BUILD_DIR]    (default build-static: only configured here, with
#                                              a compile_commands.json for clang-tidy; nothing
#                                              is compiled, the generated sources are made at
#                                              configure time)
# TOKENSIM_STATIC_JOBS (default 2) processes run in parallel. clang-tidy gets one translation
# unit per process: clang-tidy 14's valist checker carries state from one file to the next when
# given several, and reports a va_list it never saw as uninitialised.
set -eu
cd "$(dirname "$0")/../.."
B=${1:-build-static}
J=${TOKENSIM_STATIC_JOBS:-2}
cmake -S . -B "$B" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
status=0
t0=$(date +%s)
echo "static: cppcheck"
cppcheck -j "$J" --enable=warning,performance,portability --std=c11 --quiet --error-exitcode=1 \
    --inline-suppr --suppressions-list=tests/static/cppcheck.supp \
    -I sim/reward -I sim/engine -I sim/store -I sim/scenario -I sim/cli -I agents \
    -I tests/helpers -I tests/fuzz sim agents reports tests || status=1
t1=$(date +%s)
echo "static: clang-tidy"
# Every first-party translation unit, once per distinct set of -D macros (tidy_db.py says why).
mkdir -p "$B/static-db"
/usr/bin/python3 tests/static/tidy_db.py "$B/compile_commands.json" \
    "$B/static-db/compile_commands.json" "$B/static-files.txt"
xargs -n 1 -P "$J" clang-tidy-14 -p "$B/static-db" --quiet <"$B/static-files.txt" \
    2>"$B/static-tidy.err" || status=1
t2=$(date +%s)
echo "static: cppcheck $((t1 - t0)) s, clang-tidy $((t2 - t1)) s over" \
    "$(wc -l <"$B/static-files.txt") files; status $status"
exit $status
