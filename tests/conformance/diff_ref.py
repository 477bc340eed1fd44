#!/usr/bin/env python3
"""diff_ref.py: differential test of `tokensim epoch --trace` against yuma_ref.py, an
independent Python emulator of the spec. Generates random yuma-trace/1 files (re-registrations,
zero and self weights, unsorted rows, bonds penalty, Yuma3 with and without liquid alpha, owner,
thresholds, parameter changes), replays each through both, and compares the output lines
byte for byte.

usage: diff_ref.py --tokensim PATH [--seeds S ...] [--count N] [--dir DIR]
Prints one line per difference and ends with "T traces, D differences"; exit 0 iff D == 0.
"""
import argparse
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REF = os.path.join(HERE, "yuma_ref.py")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tokensim", required=True)
    ap.add_argument("--seeds", nargs="+", default=["1"])
    ap.add_argument("--count", type=int, default=50)
    ap.add_argument("--dir", default="differential")
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    traces = diffs = 0
    for seed in a.seeds:
        subprocess.run([sys.executable, REF, "--random", seed, a.dir, str(a.count)], check=True)
        for k in range(a.count):
            path = os.path.join(a.dir, "rand_%s_%d.json" % (seed, k))
            ref = subprocess.run([sys.executable, REF, path], stdout=subprocess.PIPE)
            got = subprocess.run([a.tokensim, "epoch", "--trace", path], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE)
            traces += 1
            if ref.returncode != 0 or got.returncode != 0 or ref.stdout != got.stdout:
                diffs += 1
                print("DIFF %s (reference exit %d, tokensim exit %d) %s"
                      % (path, ref.returncode, got.returncode, got.stderr.decode()[:200]))
    print("%d traces, %d differences" % (traces, diffs))
    return 0 if diffs == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
