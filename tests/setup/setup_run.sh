#!/bin/sh
# The README's first command, `./setup.sh run`, against the build under test: it must exit 0,
# print the run's digest, database and report, and leave both on disk. Usage:
#   setup_run.sh SOURCE_DIR BUILD_DIR
# setup.sh builds (a no-op on an up-to-date tree) and writes out/default.db under SOURCE_DIR,
# exactly as the command a new user types does.
set -eu
src=$1
bin=$2
log=$(mktemp)
trap 'rm -f "$log"' EXIT

fail() {
    cat "$log"
    echo "setup_run: $1" >&2
    exit 1
}

TOKENSIM_BUILD_DIR=$bin sh "$src/setup.sh" run >"$log" 2>&1 || fail "./setup.sh run exited $?"
grep -Eq '^digest: +[0-9a-f]{64}$' "$log" || fail "no digest line"
grep -q '^database: out/default.db$' "$log" || fail "no database line"
report=$(sed -n 's/^report: *//p' "$log")
[ -n "$report" ] || fail "no report line"
[ -s "$src/out/default.db" ] || fail "out/default.db missing or empty"
[ -s "$report" ] || fail "report $report missing or empty"
echo "setup_run: ok"
