#!/usr/bin/python3
"""tidy_db.py COMPILE_DB OUT_DB OUT_FILES: the compile database clang-tidy analyses.

Keeps every first-party translation unit (tests included) once per distinct set of -D macros:
the portable-integer builds of the reward core are analysed too, while the shared-library copies
(identical but for -fPIC and a *_EXPORTS macro) are not analysed twice. Writes the kept entries
to OUT_DB and their file names, sorted and unique, to OUT_FILES.
"""
import json
import sys


def main(src, out_db, out_files):
    seen, keep = set(), []
    with open(src) as f:
        entries = json.load(f)
    for e in entries:
        if '/build' in e['file']:
            continue
        words = e.get('command', ' '.join(e.get('arguments', []))).split()
        macros = tuple(sorted(w for w in words
                              if w.startswith('-D') and not w.endswith('_EXPORTS')))
        if (e['file'], macros) not in seen:
            seen.add((e['file'], macros))
            keep.append(e)
    with open(out_db, 'w') as f:
        json.dump(keep, f, indent=1)
    with open(out_files, 'w') as f:
        f.write(''.join(sorted({e['file'] + '\n' for e in keep})))
    return 0


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:4]))
