#!/bin/sh
# `tokensim --version` names the git revision the binary was built from: the same as
# `git describe --always --dirty --abbrev=12` of the source tree now (ctest runs after the build),
# or "unknown" outside a git checkout. It was the revision of the last cmake configure, which
# went stale with every commit until someone reconfigured. Usage: version_revision.sh SRC TOKENSIM
set -eu
src=$1
bin=$2
want=$(git -C "$src" describe --always --dirty --abbrev=12 2>/dev/null) || want=unknown
[ -n "$want" ] || want=unknown
got=$("$bin" --version | sed -n 's/^tokensim [^ ]* (git \(.*\))$/\1/p')
if [ "$got" != "$want" ]; then
    echo "version_revision: tokensim --version says '$got', the tree is at '$want'" >&2
    exit 1
fi
echo "version_revision: $got"
