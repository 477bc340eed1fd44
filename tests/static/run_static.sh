#!/bin/sh
# Static analysis of the whole tree (sim, agents, reports, tests) with Debian's cppcheck and
# clang-tidy 14, using the checked-in configuration (.clang-tidy; tests/static/cppcheck.supp).
# Exit 1 on any finding; every finding is printed as FILE:LINE:COL: ... [check].
#   tests/static/run_static.sh [BUILD_DIR]    (default build-static: only configured here, with
#                                              a compile_commands.json for clang-tidy; nothing
#                                              is compiled, the generated sources are made at
#                                              configure time and are not analysed)
#   tests/static/run_static.sh --self-test [BUILD_DIR]
#       proves the stage fails when it must: plants a null dereference and an out-of-bounds read
#       in a scratch file under BUILD_DIR and runs both analysers on it through the same
#       functions as the real run; exits 1 unless each of them reports its planted defect.
#       BUILD_DIR must lie inside the tree, for clang-tidy to find .clang-tidy from the plant;
#       TOKENSIM_STATIC_KEEP=1 keeps the plant and both reports in BUILD_DIR/static-plant.
# TOKENSIM_STATIC_JOBS (default: the number of CPUs) processes run in parallel. clang-tidy gets
# one translation unit per process (tidy_db.py says why). TOKENSIM_STATIC_MAX_NODES sets the
# analyser's per-function budget (below).
set -eu
cd "$(dirname "$0")/../.."
SELF_TEST=0
if [ "${1:-}" = --self-test ]; then
    SELF_TEST=1
    shift
fi
B=${1:-build-static}
J=${TOKENSIM_STATIC_JOBS:-$(nproc)}
# The analyser's budget of exploded-graph nodes per function (clang's default: 225000). Most of
# the stage's time went into a few functions that exhaust the budget; at 100000 the stage takes
# half the CPU time (237 s instead of 435 s on the tree of 2026-11-23) and reported the same 99
# findings as the default on that tree, which still had all of session 3's findings in it.
MAX_NODES=${TOKENSIM_STATIC_MAX_NODES:-100000}

# cppcheck over the given files or directories; its findings go to stderr and to $B/$1.
run_cppcheck() {
    out=$1
    shift
    cppcheck -j "$J" --enable=warning,performance,portability --std=c11 --quiet \
        --error-exitcode=1 --inline-suppr --suppressions-list=tests/static/cppcheck.supp \
        -I sim/reward -I sim/engine -I sim/store -I sim/scenario -I sim/cli -I agents \
        -I tests/helpers -I tests/fuzz "$@" 2>"$B/$out" || {
        cat "$B/$out" >&2
        return 1
    }
    cat "$B/$out" >&2
}

# clang-tidy over a task list of "DB_DIR FILE" lines, one process per line; findings go to
# stdout and to $B/$2 (the "N warnings generated" chatter to $B/static-tidy.err).
run_tidy() {
    # xargs exits non-zero when any clang-tidy did; the findings file is the evidence.
    rc=0
    # shellcheck disable=SC2016
    # sh -c: $0 is the node budget, $1 the database directory, $2 the file.
    xargs -n 2 -P "$J" sh -c 'exec clang-tidy-14 -p "$1" --quiet --extra-arg=-Xclang \
        --extra-arg=-analyzer-config --extra-arg=-Xclang --extra-arg=max-nodes="$0" "$2"' \
        "$MAX_NODES" <"$1" \
        >"$B/$2" 2>>"$B/static-tidy.err" || rc=1
    cat "$B/$2"
    return $rc
}

self_test() {
    d=$(cd "$B" && pwd)/static-plant
    rm -rf "$d"
    mkdir -p "$d/0"
    # Two defects either analyser must see: p is NULL when k == 0; a[4] is past the end.
    cat >"$d/plant.c" <<'EOF'
#include <stdlib.h>
int plant_null(int k);
int plant_bounds(void);
int plant_null(int k)
{
    int *p = NULL;
    if (k)
        p = malloc(sizeof *p);
    *p = k;
    k = *p;
    free(p);
    return k;
}
int plant_bounds(void)
{
    int a[4] = {1, 2, 3, 4};
    return a[4];
}
EOF
    printf '[{"directory": "%s", "file": "%s/plant.c", "command": "cc -std=c11 -c %s/plant.c"}]\n' \
        "$d" "$d" "$d" >"$d/0/compile_commands.json"
    echo "$d/0 $d/plant.c" >"$d/tasks.txt"
    ok=1
    if run_cppcheck static-plant/cppcheck.txt "$d" 2>/dev/null; then
        echo "static self-test: cppcheck passed a planted defect" >&2
        ok=0
    fi
    grep -q 'plant.c:17:.*\[arrayIndexOutOfBounds\]' "$B/static-plant/cppcheck.txt" || {
        echo "static self-test: cppcheck did not report the planted out-of-bounds read" >&2
        ok=0
    }
    if run_tidy "$d/tasks.txt" static-plant/tidy.txt >/dev/null; then
        echo "static self-test: clang-tidy passed a planted defect" >&2
        ok=0
    fi
    grep -q 'plant.c:9:.*\[clang-analyzer-core.NullDereference' "$B/static-plant/tidy.txt" || {
        echo "static self-test: clang-tidy did not report the planted null dereference" >&2
        ok=0
    }
    [ -n "${TOKENSIM_STATIC_KEEP:-}" ] || rm -rf "$d"
    if [ $ok = 1 ]; then
        echo "static self-test: both analysers fail on planted defects, as they must"
        return 0
    fi
    return 1
}

mkdir -p "$B"
if [ $SELF_TEST = 1 ]; then
    self_test
    exit $?
fi
# Configured as CI builds it (MPI on: sweep_mpi.c's code exists only then).
cmake -S . -B "$B" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON -DTOKENSIM_MPI=ON >/dev/null
status=0
t0=$(date +%s)
echo "static: cppcheck"
run_cppcheck static-cppcheck.txt sim agents reports tests || status=1
t1=$(date +%s)
echo "static: clang-tidy"
# Every first-party translation unit, once per distinct set of -D macros (tidy_db.py says why).
rm -rf "$B/static-db" "$B/static-tidy.err"
mkdir -p "$B/static-db"
/usr/bin/python3 tests/static/tidy_db.py "$B/compile_commands.json" "$B/static-db" \
    "$B/static-tasks.txt"
run_tidy "$B/static-tasks.txt" static-tidy.txt || status=1
t2=$(date +%s)
# Distinct findings: a header's finding is reported by every translation unit that includes it.
n=$(cat "$B/static-cppcheck.txt" "$B/static-tidy.txt" |
    grep -E '^[^ ]+:[0-9]+:[0-9]+: (error|warning|style|performance|portability): ' |
    sort -u | wc -l)
echo "static: cppcheck $((t1 - t0)) s, clang-tidy $((t2 - t1)) s over" \
    "$(wc -l <"$B/static-tasks.txt") translation units; $n finding(s); status $status"
exit $status
