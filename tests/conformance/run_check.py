#!/usr/bin/env python3
"""run_check.py: runs check_trace.py for ctest and passes only when the checker exits 0 AND its
last line is "N passed, 0 failed" with N equal to the expectation total that `--count` reports
for the same files (so a file silently skipped cannot pass).

usage: run_check.py CHECK_TRACE_PY TOKENSIM TRACE.json...
"""
import re
import shlex
import subprocess
import sys


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    checker, tokensim, traces = argv[0], argv[1], argv[2:]
    py = sys.executable
    count = subprocess.run([py, checker, "--count"] + traces, stdout=subprocess.PIPE,
                           universal_newlines=True)
    m = re.search(r"^\s*(\d+)\s+total$", count.stdout, re.M)
    if count.returncode != 0 or not m:
        sys.stdout.write(count.stdout)
        print("run_check.py: --count failed (exit %d)" % count.returncode)
        return 1
    total = int(m.group(1))
    run = subprocess.run([py, checker, "--cmd", shlex.quote(tokensim) + " epoch --trace"] + traces,
                         stdout=subprocess.PIPE, universal_newlines=True)
    sys.stdout.write(run.stdout)
    lines = run.stdout.strip().splitlines()
    last = lines[-1] if lines else ""
    want = "%d passed, 0 failed" % total
    if run.returncode != 0 or last != want:
        print("run_check.py: exit %d, last line %r, expected %r" % (run.returncode, last, want))
        return 1
    print("run_check.py: ok (%d expectations in %d files)" % (total, len(traces)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
