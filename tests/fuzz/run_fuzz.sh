#!/bin/sh
# Builds the libFuzzer targets with clang (ASan + UBSan + coverage, in build-fuzz/) and runs each
# for SECONDS (default 30) on a scratch copy of its committed corpus plus its extra seeds.
#   tests/fuzz/run_fuzz.sh [SECONDS] [TARGET ...]
# Exit 1 when a target finds a crash: the reproducer is kept in build-fuzz/crashes/<target>/ and
# its path printed; copy it into tests/fuzz/corpus/<target>/ once fixed, so the ordinary build's
# fuzz_replay_<target> test keeps it as a regression test. Totals go to build-fuzz/fuzz-log.txt.
set -eu
cd "$(dirname "$0")/../.."
SECS=${1:-30}
[ $# -gt 0 ] && shift
TARGETS=${*:-"scenario set trace epoch snapshot"}
B=${TOKENSIM_FUZZ_BUILD_DIR:-build-fuzz}

if [ ! -f "$B/CMakeCache.txt" ]; then
    CC=clang cmake -S . -B "$B" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTOKENSIM_FUZZ=ON \
        -DTOKENSIM_SANITIZE=ON >/dev/null
fi
for t in $TARGETS; do
    cmake --build "$B" -j "$(nproc)" --target "fuzz_$t"
done

# libconfig's own leaks on some syntax errors are suppressed as in the sanitizer test runs
# (tests/lsan.supp says which); every other leak is a finding.
LSAN_OPTIONS="suppressions=$(pwd)/tests/lsan.supp"
export LSAN_OPTIONS

status=0
for t in $TARGETS; do
    work="$B/corpus-run/$t"
    crashes="$B/crashes/$t"
    rm -rf "$work"
    mkdir -p "$work" "$crashes"
    cp tests/fuzz/corpus/"$t"/* "$work"/
    [ "$t" = scenario ] && cp scenarios/*.cfg "$work"/
    [ "$t" = snapshot ] && cp scenarios/snapshots/*.json "$work"/
    echo "fuzz: $t for ${SECS}s"
    if ! "$B/tests/fuzz/fuzz_$t" -max_total_time="$SECS" -max_len=8192 -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$crashes/" "$work" \
        >"$B/fuzz-$t.log" 2>&1; then
        echo "fuzz: $t FAILED; see $B/fuzz-$t.log; reproducer(s):" >&2
        ls "$crashes" >&2
        tail -40 "$B/fuzz-$t.log" >&2
        status=1
    fi
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$B/fuzz-$t.log" | grep -o '[0-9]*$' || echo 0)
    echo "fuzz: $t ran $runs inputs in ${SECS}s" | tee -a "$B/fuzz-log.txt"
done
exit $status
