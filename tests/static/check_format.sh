#!/bin/sh
# Every C source and header under sim/, agents/, reports/ and tests/ is exactly as clang-format
# (Debian's, with the checked-in .clang-format) writes it. Exit 1 naming each file that is not.
#   tests/static/check_format.sh               the whole tree
#   tests/static/check_format.sh --self-test   proves the check bites: a planted misformatted
#                                              source must fail it and a formatted one pass
# CLANG_FORMAT names the program (default clang-format).
set -eu
cd "$(dirname "$0")/../.."
FMT=${CLANG_FORMAT:-clang-format}

# 0 when the text on stdin is formatted as a file at path $1 of the tree would have to be.
formatted_stdin() {
    "$FMT" --dry-run -Werror --assume-filename="$1" >/dev/null 2>&1
}

if [ "${1:-}" = --self-test ]; then
    plant=tests/static/plant.c # not a file: names the style the plant is checked against
    if printf 'int  f(int x){return x+1;}\n' | formatted_stdin "$plant"; then
        echo "check_format: a misformatted plant passed" >&2
        exit 1
    fi
    if ! printf 'int f(int x)\n{\n    return x + 1;\n}\n' | formatted_stdin "$plant"; then
        echo "check_format: a formatted plant failed" >&2
        exit 1
    fi
    echo "check_format: self-test ok"
    exit 0
fi

files=$(find sim agents reports tests -name '*.[ch]' | LC_ALL=C sort)
n=$(printf '%s\n' $files | grep -c .) || true
[ "$n" -gt 0 ] || {
    echo "check_format: no sources found" >&2
    exit 1
}
# One process for all files; it names each offending line as FILE:LINE:COL: error: ...
# shellcheck disable=SC2086
if report=$("$FMT" --dry-run -Werror $files 2>&1); then
    echo "check_format: $n files formatted"
    exit 0
fi
printf '%s\n' "$report" | sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: error: .*/\1/p' | uniq |
    while read -r f; do echo "$f: not as clang-format writes it (fix: $FMT -i $f)"; done
printf '%s\n' "$report" | grep -q ': error: ' || printf '%s\n' "$report"
exit 1
