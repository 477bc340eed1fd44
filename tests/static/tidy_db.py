#!/usr/bin/python3
"""tidy_db.py COMPILE_DB OUT_DIR OUT_TASKS: the compile databases clang-tidy analyses.

Keeps every first-party translation unit (tests included) once per distinct set of -D macros:
the portable-integer builds of the reward core are analysed too, while the shared-library copies
(identical but for -fPIC and a *_EXPORTS macro) are not analysed twice. A test, benchmark or fuzz
driver compiled again with other macros (check_*_portable) is analysed once: those builds exist
to run the same test code against the other library build, whose own sources are analysed under
both sets; it saves a twentieth of the stage. Generated sources (under a build directory) are
skipped.

A file kept with two macro sets must still be analysed in two processes: clang-tidy 14 runs
every compile command of a file in one process, and its va_list checker carries state from one
run to the next (it then reports a va_list it never saw as uninitialised). So the k-th kept
command of each file goes to the database OUT_DIR/k/compile_commands.json, and OUT_TASKS gets one
line "OUT_DIR/k FILE" per (file, macro set), largest files first so that the parallel runs end
together (analysis time grows with the size of a file).
"""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main(src, out_dir, out_tasks):
    seen, shards = set(), []
    with open(src) as f:
        entries = json.load(f)
    count = {}
    for e in entries:
        if '/build' in e['file']:
            continue
        words = e.get('command', ' '.join(e.get('arguments', []))).split()
        macros = tuple(sorted(w for w in words
                              if w.startswith('-D') and not w.endswith('_EXPORTS')))
        if (e['file'], macros) in seen:
            continue
        seen.add((e['file'], macros))
        k = count.get(e['file'], 0)
        if k > 0 and os.path.relpath(e['file'], ROOT).startswith('tests' + os.sep):
            continue
        count[e['file']] = k + 1
        if k == len(shards):
            shards.append([])
        shards[k].append(e)
    tasks = []
    for k, shard in enumerate(shards):
        d = os.path.join(out_dir, str(k))
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, 'compile_commands.json'), 'w') as f:
            json.dump(shard, f, indent=1)
        tasks += [(os.path.getsize(e['file']), e['file'], d) for e in shard]
    tasks.sort(key=lambda t: (-t[0], t[1], t[2]))
    with open(out_tasks, 'w') as f:
        f.write(''.join('%s %s\n' % (d, name) for _, name, d in tasks))
    return 0


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:4]))
