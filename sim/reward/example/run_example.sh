#!/bin/sh
# run_example.sh BUILD_DIR: installs the reward core of a tokensim build into a fresh temporary
# prefix, builds sim/reward/example with make and pkg-config against that prefix (shared and
# static), runs both, and exits non-zero on any failure. Registered as the ctest test
# reward_pkgconfig_example. Environment: CMAKE (default cmake), MAKE (default make), CC,
# EXAMPLE_SANITIZE (compiler/linker flags when the library was built with sanitizers).
set -eu

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
    echo "usage: $0 BUILD_DIR" >&2
    exit 2
fi
build=$1
here=$(cd "$(dirname "$0")" && pwd)
cmake_cmd=${CMAKE:-cmake}
make_cmd=${MAKE:-make}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tokensim-reward-example.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

echo "== install $build into $tmp/prefix"
"$cmake_cmd" --install "$build" --prefix "$tmp/prefix" --component reward

# The .pc file sits in <libdir>/pkgconfig, whatever CMAKE_INSTALL_LIBDIR was (lib, lib64,
# lib/<multiarch>).
pc=$(find "$tmp/prefix" -name tokensim-reward.pc -print | head -n 1)
if [ -z "$pc" ]; then
    echo "run_example.sh: no tokensim-reward.pc under $tmp/prefix" >&2
    exit 1
fi
pcdir=$(dirname "$pc")
libdir=$(dirname "$pcdir")
for f in "$libdir/libtokensim-reward.a" "$libdir/libtokensim-reward.so"; do
    if [ ! -e "$f" ]; then
        echo "run_example.sh: $f was not installed" >&2
        exit 1
    fi
done

echo "== build the example outside the tree (PKG_CONFIG_PATH=$pcdir)"
mkdir "$tmp/src"
cp "$here/epoch_example.c" "$here/Makefile" "$tmp/src/"
PKG_CONFIG_PATH="$pcdir${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}" \
    "$make_cmd" -C "$tmp/src" SANITIZE="${EXAMPLE_SANITIZE:-}" ${CC:+CC="$CC"}

# The shared build must really need the installed shared library.
if command -v readelf >/dev/null 2>&1; then
    if ! readelf -d "$tmp/src/epoch_example" | grep -q 'NEEDED.*libtokensim-reward\.so\.0'; then
        echo "run_example.sh: epoch_example does not link libtokensim-reward.so.0" >&2
        exit 1
    fi
fi

echo "== run (shared, LD_LIBRARY_PATH=$libdir)"
LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$tmp/src/epoch_example"
echo "== run (static)"
"$tmp/src/epoch_example_static"
echo "== ok"
