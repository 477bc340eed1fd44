#!/bin/sh
# tokensim set-up: installs what is missing (Debian 12, as root), configures, builds, then
#   ./setup.sh run    runs the default scenario and says where its database and report are
#   ./setup.sh test   runs every test: the suite (unit, conformance, end to end), the same suite
#                     again under ASan + UBSan, Valgrind memcheck over the CLI, a short
#                     libFuzzer run of every fuzz target, cppcheck + clang-tidy over the whole tree
#                     (tests/static/run_static.sh: any finding fails)
#   ./setup.sh quick  only the suite in the ordinary build (the edit-compile-test loop)
#   ./setup.sh bench  runs the benchmarks
# Idempotent: packages already installed and an up-to-date build are left alone.
set -eu

cd "$(dirname "$0")"
BUILD=${TOKENSIM_BUILD_DIR:-build}

# Run-time and build packages; the test command adds what only tests need.
PKGS_RUN="build-essential cmake pkg-config libgsl-dev librandom123-dev libsqlite3-dev \
libconfig-dev libjansson-dev libssl-dev gnuplot-nox check openmpi-bin libopenmpi-dev"
PKGS_TEST="sqlite3 python3 chromium clang clang-format libclang-rt-14-dev jupyter-nbconvert python3-ipykernel python3-pandas \
python3-matplotlib python3-nbformat valgrind cppcheck clang-tidy-14"

install_missing() {
    missing=""
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
    done
    [ -z "$missing" ] && return 0
    echo "setup: installing$missing"
    if [ "$(id -u)" -ne 0 ]; then
        echo "setup: missing packages:$missing; run as root (or install them) first" >&2
        exit 2
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends $missing
}

build() {
    if [ ! -f "$BUILD/CMakeCache.txt" ]; then
        cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTOKENSIM_WERROR=ON \
            -DTOKENSIM_MPI=ON
    fi
    cmake --build "$BUILD" -j "$(nproc)"
}

cmd=${1:-run}
case "$cmd" in
run)
    # shellcheck disable=SC2086
    install_missing $PKGS_RUN
    build
    "$BUILD/sim/cli/tokensim" run --force --report
    ;;
test | quick)
    # shellcheck disable=SC2086
    install_missing $PKGS_RUN $PKGS_TEST
    build
    ctest --test-dir "$BUILD" --output-on-failure -j "$(nproc)"
    [ "$cmd" = quick ] && exit 0
    # The whole suite again with AddressSanitizer + UndefinedBehaviorSanitizer.
    ASAN=${TOKENSIM_ASAN_BUILD_DIR:-build-asan}
    if [ ! -f "$ASAN/CMakeCache.txt" ]; then
        cmake -S . -B "$ASAN" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTOKENSIM_WERROR=ON \
            -DTOKENSIM_SANITIZE=ON -DTOKENSIM_MPI=ON
    fi
    cmake --build "$ASAN" -j "$(nproc)"
    ctest --test-dir "$ASAN" --output-on-failure -j "$(nproc)"
    # Valgrind memcheck over every CLI command on every shipped scenario (short horizons), after
    # proving on a planted leak and a planted uninitialised read that it fails when it must.
    tests/valgrind/run_memcheck.sh --self-test "$BUILD"
    tests/valgrind/run_memcheck.sh "$BUILD"
    # Static analysis (cppcheck, clang-tidy 14; configuration .clang-tidy, tests/static/): any
    # finding fails, after proving on planted defects that both analysers report them.
    STATIC=${TOKENSIM_STATIC_BUILD_DIR:-build-static}
    tests/static/run_static.sh --self-test "$STATIC"
    tests/static/run_static.sh "$STATIC"
    # Every fuzz target for a bounded time (tests/fuzz/run_fuzz.sh; crashes fail the run).
    tests/fuzz/run_fuzz.sh "${TOKENSIM_FUZZ_SECONDS:-16}"
    ;;
bench)
    # shellcheck disable=SC2086
    install_missing $PKGS_RUN
    build
    cmake --build "$BUILD" --target bench
    ;;
*)
    echo "usage: ./setup.sh run|test|quick|bench" >&2
    exit 2
    ;;
esac
