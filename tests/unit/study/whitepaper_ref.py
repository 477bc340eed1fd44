#!/usr/bin/env python3
"""Independent computation of the Bittensor whitepaper's collusion example (issue 5, reproduction 1).

Written from the issue's description, not from the C code: two sides, honest and cabal; each block
trust = sigmoid(k (share - m)), rank = stake, incentive = rank * trust, and each side's stake grows
by g * total * incentive / sum of incentives. Prints "block share" per line, share as float.hex()
so the C test can compare bit for bit; block 0 is the initial split.

usage: whitepaper_ref.py [cabal_share] [blocks] [k] [m] [g]
"""
import math
import sys


def main():
    a = sys.argv[1:]
    cabal = float(a[0]) if len(a) > 0 else 0.49
    blocks = int(a[1]) if len(a) > 1 else 100
    k = float(a[2]) if len(a) > 2 else 10.0
    m = float(a[3]) if len(a) > 3 else 0.5
    g = float(a[4]) if len(a) > 4 else 0.1
    stake = {"honest": 1.0 - cabal, "cabal": cabal}
    print(0, (stake["cabal"] / (stake["honest"] + stake["cabal"])).hex())
    for b in range(1, blocks + 1):
        total = stake["honest"] + stake["cabal"]
        incentive = {}
        for side, s in stake.items():
            share = s / total
            trust = 1.0 / (1.0 + math.exp(-(k * (share - m))))
            incentive[side] = s * trust
        isum = incentive["honest"] + incentive["cabal"]
        minted = g * total
        for side in ("honest", "cabal"):
            stake[side] = stake[side] + minted * incentive[side] / isum
        print(b, (stake["cabal"] / (stake["honest"] + stake["cabal"])).hex())


if __name__ == "__main__":
    main()
