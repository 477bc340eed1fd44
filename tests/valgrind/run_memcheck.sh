#!/bin/sh
# Valgrind memcheck over the tokensim binary's end-to-end paths: every CLI command on every
# shipped scenario with a short horizon, every conformance trace, every bad scenario of the
# scenario tests and the hostile inputs of tests/valgrind/hostile/. A job fails when memcheck
# reports any error (invalid read/write, uninitialised value, bad free ...) or a definitely or
# indirectly lost block, or when the command's exit status is not the expected one.
#   tests/valgrind/run_memcheck.sh [BUILD_DIR]              (default build; must be built)
#   tests/valgrind/run_memcheck.sh --self-test [BUILD_DIR]  proves the harness fails on a planted
#                                                           leak and a planted uninitialised read
# TOKENSIM_MEMCHECK_JOBS (default 2) jobs run in parallel. Logs: BUILD_DIR/memcheck/.
# Cost: ~40 jobs, each 1-15 s under memcheck; the horizons below keep the whole stage near 2
# minutes on 2 cores. Deeper, slower: TOKENSIM_TEST_WRAPPER="valgrind ..." ctest -L e2e (see
# tests/helpers/proc.c) wraps every tokensim child of the end-to-end tests.
set -eu
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SELF=0
if [ "${1:-}" = --self-test ]; then
    SELF=1
    shift
fi
B=$(cd "${1:-build}" && pwd)
T=$B/sim/cli/tokensim
J=${TOKENSIM_MEMCHECK_JOBS:-2}
W=$B/memcheck
SHARED=${TOKENSIM_SHARED_DIR:-$ROOT/../shared}
[ -x "$T" ] || {
    echo "memcheck: $T is not built" >&2
    exit 2
}
rm -rf "$W"
mkdir -p "$W/jobs" "$W/out"

# --errors-for-leak-kinds makes a definite or indirect leak an error, so it sets the exit code.
# Still-reachable blocks (freed by exit) and possible leaks are not findings.
VG="valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
--errors-for-leak-kinds=definite,indirect --num-callers=40 \
--suppressions=$ROOT/tests/valgrind/memcheck.supp"

n=0
# job NAME EXPECTED_STATUS ARGS...: one tokensim invocation under memcheck.
job() {
    name=$1
    want=$2
    shift 2
    n=$((n + 1))
    f=$W/jobs/$(printf '%03d' $n)-$name.sh
    {
        echo "cd '$W/out'"
        # shellcheck disable=SC2145
        echo "$VG --log-file='$W/$name.vg.%p' '$T' $* >'$W/$name.log' 2>&1"
        echo "rc=\$?"
        echo "if [ \$rc -ne $want ]; then echo \"\$rc\" >'$W/$name.FAIL'; fi"
    } >"$f"
}

run_jobs() {
    find "$W/jobs" -name '*.sh' | sort | xargs -n 1 -P "$J" sh
    rm -f "$W"/jobs/*.sh
}

if [ $SELF -eq 1 ]; then
    cc -shared -fPIC -O0 -g -o "$W/planted.so" tests/valgrind/planted.c
    job planted-leak 0 --version
    job planted-uninit 0 --version
    sed -i "s|^valgrind|LD_PRELOAD='$W/planted.so' valgrind|" "$W"/jobs/*-planted-leak.sh
    sed -i "s|^valgrind|TOKENSIM_PLANT_UNINIT=1 LD_PRELOAD='$W/planted.so' valgrind|" \
        "$W"/jobs/*-planted-uninit.sh
    run_jobs
    ok=1
    for k in leak uninit; do
        if [ -f "$W/planted-$k.FAIL" ] && [ "$(cat "$W/planted-$k.FAIL")" = 99 ]; then
            echo "memcheck self-test: the planted $k fails the job (status 99), as it must"
        else
            echo "memcheck self-test: the planted $k was NOT caught" >&2
            ok=0
        fi
    done
    grep -h "definitely lost\|uninitialised" "$W"/planted-*.vg.* | sed 's/^/  /' | head -4
    [ $ok -eq 1 ]
    exit $?
fi

# 1. every shipped scenario: validate, then a short run (no plots: gnuplot is not ours).
for s in scenarios/*.cfg; do
    base=$(basename "$s" .cfg)
    case $base in
    repro-consensus-retention) short="--set retention.neurons=16 --set retention.validators=4 \
--set retention.steps=4" ;;
    aigen-platform | bitgrit-competitions | numerai-tournament | bitmodel-cflow) \
        short="--set time.blocks=40" ;;
    attack-cabal | attack-sybil | attack-whale)
        # the attack starts inside the short horizon, so its code runs
        k=${base#attack-}
        short="--set time.blocks=300 --set attacks.${k}_start=100"
        ;;
    *) short="--set time.blocks=300" ;;
    esac
    job "validate-$base" 0 validate "$ROOT/$s"
    job "run-$base" 0 run "$ROOT/$s" $short --out "$W/out/$base.db" --force --no-plots -q
done
# the built-in default scenario with its plots (gnuplot runs as a child, not under memcheck)
job run-builtin-plots 0 run --set time.blocks=300 --out "$W/out/builtin.db" --force -q
# 2. every conformance trace through the Yuma epoch
for tr in "$SHARED"/conformance/traces/*.json; do
    job "epoch-$(basename "$tr" .json)" 0 epoch --trace "$tr"
done
# 3. bad input: every bad scenario of the scenario tests and the hostile inputs (exit 2)
for s in tests/unit/scenario/bad/*.cfg tests/valgrind/hostile/*.cfg; do
    [ -f "$s" ] || continue
    job "bad-$(basename "$s" .cfg)" 2 validate "$ROOT/$s"
done
job bad-set-overflow 2 run --set stakers.initial_stake=99999999999999999999 --out "$W/out/x.db"
job bad-usage 2 run --no-such-option
job help 0 --help
run_jobs

# 4. commands that read the databases written above
job diff-same 0 diff "$W/out/default.db" "$W/out/default.db"
job diff-models 0 diff "$W/out/bittensor-demo.db" "$W/out/bittensor-demo.db" --format json
job report-default 0 report "$W/out/default.db" --out "$W/out/report-default" --format svg
job report-bittensor 0 report "$W/out/bittensor-demo.db" --out "$W/out/report-bt" --format svg
job sweep-grid 0 sweep "$ROOT/scenarios/default.cfg" --grid stakers.count=2,3 --set time.blocks=200 \
    --jobs 1 --out "$W/out/sweep.db" --force
run_jobs

fails=$(find "$W" -maxdepth 1 -name '*.FAIL' | sort)
total=$(find "$W" -maxdepth 1 -name '*.log' | wc -l)
if [ -n "$fails" ]; then
    for f in $fails; do
        name=$(basename "$f" .FAIL)
        echo "memcheck: $name FAILED (status $(cat "$f")); its output and memcheck's report:" >&2
        tail -20 "$W/$name.log" >&2
        cat "$W/$name".vg.* >&2
    done
    echo "memcheck: $(echo "$fails" | wc -l) of $total jobs failed" >&2
    exit 1
fi
echo "memcheck: $total jobs, no memcheck error, no definite or indirect leak"
