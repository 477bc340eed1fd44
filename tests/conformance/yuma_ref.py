#!/usr/bin/env python3
"""yuma_ref.py: an independent reference emulator of the sparse Yuma epoch, for differential tests.

Written from the text of ../shared/spec/bittensor.md §1-§2 and FORMAT.md §1 with Python big
integers, without looking at the C implementation: it shares no code with tokensim. It replays a
yuma-trace/1 file and prints the same FORMAT §1.6 lines as `tokensim epoch --trace FILE`.

usage: yuma_ref.py TRACE.json            replay, print one JSON line per epoch step
       yuma_ref.py --random SEED DIR N [NUIDS]
                                         write N random traces (yuma-trace/1) into DIR, with
                                         NUIDS uids each if given
"""
import json
import os
import random
import sys

ONE = 1 << 32
I64_MIN, I64_MAX = -(1 << 63), (1 << 63) - 1
I128_MIN, I128_MAX = -(1 << 127), (1 << 127) - 1
U64_MAX = (1 << 64) - 1


# ---- I32F32 (raw ints), spec §1.2 -------------------------------------------------------------
def sat(x):
    return max(I64_MIN, min(I64_MAX, x))


def wrap(x):
    x &= U64_MAX
    return x - (1 << 64) if x >> 63 else x


def trunc_div(a, b):
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def mul(a, b):  # saturating_mul: floor of the full product
    return sat((a * b) >> 32)


def mul_checked(a, b):
    r = (a * b) >> 32
    return r if I64_MIN <= r <= I64_MAX else None


def div_checked(a, b):
    if b == 0:
        return None
    q = trunc_div(a << 32, b)
    return q if I64_MIN <= q <= I64_MAX else None


def safe_div(a, b):
    q = div_checked(a, b)
    return 0 if q is None else q


def sat_div(a, b):
    if b == 0:
        return 0
    return sat(trunc_div(a << 32, b))


def add(a, b):
    return sat(a + b)


def sub(a, b):
    return sat(a - b)


def wsum(xs):
    return wrap(sum(xs))


def to_u16(x):  # to_num::<u16> saturating: floor, clamp
    return max(0, min(65535, x >> 32))


def prop_to_u16(x):  # fixed_proportion_to_u16, spec §1.3
    return to_u16(mul(x, 65535 * ONE))


def u16_prop(u):  # u16_proportion_to_fixed
    return safe_div(u * ONE, 65535 * ONE)


def normalize(v):  # inplace_normalize
    s = wsum(v)
    return list(v) if s == 0 else [safe_div(x, s) for x in v]


# ---- exp, spec §1.4 ---------------------------------------------------------------------------
E_RAW = ((0xADF85458A2BB4A9AAFDC5620273D3CF1 >> 103)) << 9


def fexp(x):
    if x == 0:
        return ONE
    if x == ONE:
        return E_RAW
    neg = x < 0
    if neg:
        x = -x
        if x > I64_MAX:
            return None
    result = x + ONE
    if result > I64_MAX:
        return None
    term = x
    for i in range(2, 32):
        term = mul_checked(term, x)
        if term is None:
            return None
        term = div_checked(term, i * ONE)
        if term is None:
            return None
        result = result + term
        if result > I64_MAX:
            return None
    if neg:
        result = div_checked(ONE, result)
    return result


def exp_safe(x):
    x = max(-20 * ONE, min(20 * ONE, x))
    r = fexp(x)
    if r is None:
        return 0 if x <= 0 else I64_MAX
    return r


# ---- I64F64 -----------------------------------------------------------------------------------
def sat128(x):
    return max(I128_MIN, min(I128_MAX, x))


def i64f64_from_u64(x):
    return sat128(x << 64)


def i64f64_to_u64(r):
    return max(0, min(U64_MAX, r >> 64))


# ---- the epoch, spec §2 -----------------------------------------------------------------------
def weighted_median(stake, score, idx, minority, lo, hi):
    limit = len(idx)
    it = 0
    while True:
        n = len(idx)
        if n == 0:
            return 0
        if n == 1:
            return score[idx[0]]
        pivot = score[idx[n // 2]]
        lower = [k for k in idx if score[k] < pivot]
        upper = [k for k in idx if score[k] > pivot]
        lo_s = 0
        for k in lower:
            lo_s = add(lo_s, stake[k])
        hi_s = 0
        for k in upper:
            hi_s = add(hi_s, stake[k])
        if minority < add(lo, lo_s) and lower:
            idx = lower
            hi = add(lo, lo_s)
        elif sub(hi, hi_s) <= minority and upper:
            idx = upper
            lo = sub(hi, hi_s)
        else:
            return pivot
        it += 1
        if it > limit:
            return 0


def consensus(active, W, n, kappa):
    rows = [i for i in range(n) if active[i] > 0]
    use = normalize([active[i] for i in rows])
    ssum = wsum(use)
    minority = sub(ssum, kappa)
    out = []
    for j in range(n):
        score = []
        for i in rows:
            v = 0
            for (c, x) in W[i]:
                if c == j:
                    v = x  # a later duplicate wins
            score.append(v)
        out.append(weighted_median(use, score, list(range(len(rows))), minority, 0, ssum))
    return out


def col_normalize(M, n):
    s = [0] * n
    for row in M:
        for (j, v) in row:
            s[j] = add(s[j], v)
    return [[(j, safe_div(v, s[j]) if s[j] != 0 else v) for (j, v) in row] for row in M]


def mat_ema(new, old, alpha, n):
    om = sub(ONE, alpha)
    out = []
    for i in range(len(new)):
        acc = [0] * n
        for (j, v) in new[i]:
            acc[j] = add(acc[j], mul(alpha, v))
        for (j, v) in old[i]:
            acc[j] = add(acc[j], mul(om, v))
        out.append([(j, acc[j]) for j in range(n) if acc[j] > 0])
    return out


def alpha_sigmoid(c, w, b, low, high, steep):
    buy = min(sub(w, c), ONE)
    buy = max(buy, 0)
    sell = max(min(sub(b, w), ONE), 0)
    d = buy if w >= b else sell
    x = mul(sat_div(steep, -100 * ONE), sub(d, ONE // 2))
    s = sat_div(ONE, add(ONE, exp_safe(x)))
    a = add(low, mul(s, sub(high, low)))
    return max(min(a, high), low)


def liquid_alphas(Wb, B, C, low, high, steep, n):
    """The chain's dense alpha matrix with its forward-cursor merge (spec §2.13.2)."""
    A = []
    for i in range(n):
        wr, br = Wb[i], B[i]
        wp = bp = 0
        row = []
        for j in range(n):
            w = 0
            while wp < len(wr):
                if wr[wp][0] < j:
                    wp += 1
                else:
                    if wr[wp][0] == j:
                        w = wr[wp][1]
                    break
            b = 0
            while bp < len(br):
                if br[bp][0] < j:
                    bp += 1
                else:
                    if br[bp][0] == j:
                        b = br[bp][1]
                    break
            row.append(alpha_sigmoid(C[j], w, b, low, high, steep))
        A.append(row)
    return A


def mat_ema_alpha(new, old, A, n):
    out = []
    for i in range(n):
        dec = [0] * n
        for (j, v) in old[i]:
            dec[j] = mul(sub(ONE, A[i][j]), v)
        row = []
        for (j, w) in new[i]:
            v = min(add(dec[j], max(mul(A[i][j], w), 0)), ONE)
            if v > 0:
                row.append((j, v))
        out.append(row)
    return out


def bma_alpha(bma):
    r = trunc_div(i64f64_from_u64(bma) << 64, i64f64_from_u64(1000000))
    return sub(ONE, sat(r >> 32))


def epoch(p, st, block):
    n = p["n"]
    owner = p["owner_uid"]
    # §2.2
    inactive = [min(U64_MAX, st["lu"][i] + p["activity_cutoff"]) < block for i in range(n)]
    # §2.3 (tao weight 0)
    total = [i64f64_from_u64(s) for s in st["stake"]]
    filt = [0 if (owner != i and i64f64_to_u64(t) < p["stake_threshold"]) else t
            for i, t in enumerate(total)]
    s64 = sum(filt)
    if s64 >= 1 << 127 or s64 < -(1 << 127):
        raise ValueError("stake sum out of I64F64 range in the reference")
    if s64 != 0:
        filt = [trunc_div(x << 64, s64) for x in filt]
    stake = [sat(x >> 32) for x in filt]
    # §2.4
    permit = list(st["permit"])
    if owner is not None:
        permit[owner] = True
    forbid = [not x for x in permit]
    k = p["max_allowed_validators"]
    newp = [x != 0 for x in stake]
    if n >= k:
        order = sorted(range(n), key=lambda i: stake[i])  # stable
        for i in order[:n - k]:
            newp[i] = False
    if owner is not None:
        newp[owner] = True
    # §2.5
    active = normalize([0 if (inactive[i] or forbid[i]) else stake[i] for i in range(n)])
    # §2.6
    W = []
    for i in range(n):
        row = []
        if not forbid[i]:
            for (j, w) in st["w"][i]:
                if j >= n:
                    continue
                if j == i and not (owner == i):
                    continue
                if st["lu"][i] <= st["bar"][j]:
                    continue
                row.append((j, w * ONE))
        s = wsum([v for (_, v) in row])
        if s > 0:
            row = [(j, safe_div(v, s)) for (j, v) in row]
        W.append(row)
    kappa = safe_div(p["kappa"] * ONE, 65535 * ONE)
    C = consensus(active, W, n, kappa)
    # §2.8
    Wc = []
    for row in W:
        r = []
        for (j, v) in row:
            if C[j] < v:
                if C[j] > 0:
                    r.append((j, C[j]))
            else:
                r.append((j, v))
        Wc.append(r)
    vtrust = [wsum([v for (_, v) in row]) for row in Wc]
    R = [0] * n
    for i in range(n):
        for (j, v) in Wc[i]:
            R[j] = add(R[j], mul(active[i], v))
    I = normalize(R)
    # §2.10
    bp = safe_div(p["bonds_penalty"] * ONE, 65535 * ONE)
    if bp == 0:
        Wb = W
    elif bp == ONE:
        Wb = Wc
    else:
        Wb = []
        for i in range(n):
            r1 = [0] * n
            r2 = [0] * n
            for (j, v) in W[i]:
                r1[j] = v
            for (j, v) in Wc[i]:
                r2[j] = v
            row = []
            for j in range(n):
                v = add(r1[j], mul(bp, sub(r2[j], r1[j])))
                if v > 0:
                    row.append((j, v))
            Wb.append(row)
    # §2.11
    lms = st["lms"]
    last_tempo = max(0, block - p["tempo"]) if lms == 0 else lms + 1
    Braw = [[(j, b) for (j, b) in st["b"][i] if not (last_tempo <= st["bar"][j])] for i in range(n)]
    if p["yuma3"]:
        B = [[(j, u16_prop(b)) for (j, b) in row] for row in Braw]
        if p["liquid_alpha"] and any(c != 0 for c in C):
            low, high = u16_prop(p["alpha_low"]), u16_prop(p["alpha_high"])
            A = liquid_alphas(Wb, B, C, low, high, p["alpha_sigmoid_steepness"] * ONE, n)
            E = mat_ema_alpha(Wb, B, A, n)
        else:
            E = mat_ema(Wb, B, bma_alpha(p["bonds_moving_average"]), n)
        En = col_normalize(E, n)
        tb = []
        for row in En:
            prods = [mul(v, I[j]) for (j, v) in row]
            tb.append(wsum([x for x in prods if x != 0]))
        D = []
        for i in range(n):
            r = mul_checked(tb[i], active[i])
            D.append(0 if r is None else r)
        D = normalize(D)
        stored = E
    else:
        B = col_normalize([[(j, b * ONE) for (j, b) in row] for row in Braw], n)
        dB = col_normalize([[(j, mul(v, active[i])) for (j, v) in Wb[i]] for i in range(n)], n)
        E = col_normalize(mat_ema(dB, B, bma_alpha(p["bonds_moving_average"]), n), n)
        D = []
        for row in E:
            acc = 0
            for (j, v) in row:
                acc = add(acc, mul(I[j], v))
            D.append(acc)
        D = normalize(D)
        mx = [0] * n
        for row in E:
            for (j, v) in row:
                if mx[j] < v:
                    mx[j] = v
        stored = [[(j, safe_div(v, mx[j]) if mx[j] != 0 else v) for (j, v) in row] for row in E]
    # §2.14
    comb = [add(I[i], D[i]) for i in range(n)]
    esum = wsum(comb)
    nce = normalize(comb)
    if esum == 0:
        nce = list(stake) if wsum(active) == 0 else list(active)
    rao = p["rao_emission"]
    emission = [max(0, min(U64_MAX, (x * rao) >> 32)) for x in nce]
    bonds = [[(j, prop_to_u16(v)) for (j, v) in stored[i]] if newp[i] else [] for i in range(n)]
    return {
        "consensus": [prop_to_u16(x) for x in C],
        "incentive": [prop_to_u16(x) for x in I],
        "dividends": [prop_to_u16(x) for x in D],
        "validator_trust": [prop_to_u16(x) for x in vtrust],
        "validator_permit": newp,
        "emission": emission,
        "bonds": bonds,
    }


# ---- trace replay, FORMAT §1.3-§1.6 -----------------------------------------------------------
def replay(t, out):
    p = dict(t["params"])
    n = p["n"]
    ini = t["initial"]
    st = {"stake": list(ini["stake"]), "lu": list(ini["registration_block"]),
          "bar": list(ini["registration_block"]), "lms": ini["last_mechanism_step_block"],
          "permit": [False] * n, "w": [[] for _ in range(n)], "b": [[] for _ in range(n)]}
    for k, s in enumerate(t["steps"]):
        blk = s["block"]
        for op in s["ops"]:
            kind = op["op"]
            if kind == "set_weights":
                st["w"][op["uid"]] = [(a, b) for a, b in op["weights"]]
                st["lu"][op["uid"]] = blk
            elif kind == "register":
                u = op["uid"]
                st["bar"][u] = st["lu"][u] = blk
                st["stake"][u] = op["stake"]
                st["w"][u] = []
                st["b"][u] = []
                for i in range(n):
                    st["w"][i] = [(j, 0 if j == u else w) for (j, w) in st["w"][i]]
                st["permit"][u] = False
            elif kind == "set_stake":
                st["stake"][op["uid"]] = op["stake"]
            elif kind == "reset_bonds":
                if p["bonds_reset"]:
                    st["b"] = [[(j, b) for (j, b) in row if j != op["uid"]] for row in st["b"]]
            elif kind == "set_params":
                p.update(op["params"])
        if not s["epoch"]:
            continue
        r = epoch(p, st, blk)
        st["b"] = r["bonds"]
        st["permit"] = r["validator_permit"]
        line = {"step": k, "block": blk}
        line.update(r)
        line["bonds"] = [[[j, v] for (j, v) in row] for row in r["bonds"]]
        out.write(json.dumps(line, separators=(",", ":")) + "\n")


# ---- random traces ----------------------------------------------------------------------------
def random_params(rng, n):
    return {
        "n": n, "tempo": rng.choice([1, 2, 5, 10, 360]),
        "activity_cutoff": rng.choice([1, 5, 13, 50, 5000]),
        "kappa": rng.choice([32767, 0, 65535, rng.randrange(65536)]),
        "bonds_moving_average": rng.choice([900000, 975000, 0, 1000000, rng.randrange(1000001)]),
        "bonds_penalty": rng.choice([65535, 0, rng.randrange(65536)]),
        "max_allowed_validators": rng.choice([n, max(1, n // 2), rng.randrange(0, n + 3)]),
        "yuma3": rng.random() < 0.5, "liquid_alpha": rng.random() < 0.5,
        "alpha_low": rng.choice([45875, 6553, rng.randrange(1638, 30000)]),
        "alpha_high": rng.choice([58982, 19660, rng.randrange(30000, 65536)]),
        "alpha_sigmoid_steepness": rng.choice([1000, 10, -500, rng.randrange(-32768, 32768)]),
        "bonds_reset": rng.random() < 0.5,
        "owner_uid": rng.choice([None, None, rng.randrange(n)]),
        "stake_threshold": rng.choice([0, 0, 5, 1000]),
        "rao_emission": rng.choice([1000000000, 0, 7, rng.randrange(1 << 62)]),
    }


def random_weights(rng, n):
    k = rng.randrange(0, n + 1)
    uids = rng.sample(range(n), k)
    if rng.random() < 0.5:
        uids.sort()
    vals = [rng.choice([0, 65535, rng.randrange(65536)]) for _ in uids]
    if vals and rng.random() < 0.7:  # as stored: max-upscaled
        vals[rng.randrange(len(vals))] = 65535
    return [[u, v] for u, v in zip(uids, vals)]


def random_trace(rng, name, n=None):
    if n is None:
        n = rng.choice([1, 2, 3, 5, 8, 13, 24])
    p = random_params(rng, n)
    blk = rng.randrange(0, 5)
    ini = {"block": blk, "stake": [rng.choice([0, 1, 10, 1000, rng.randrange(1 << 40)]) for _ in range(n)],
           "registration_block": [rng.randrange(0, blk + 1) for _ in range(n)],
           "last_mechanism_step_block": rng.choice([0, 0, blk])}
    steps = []
    for _ in range(rng.randrange(1, 12)):
        blk += rng.choice([0, 1, 1, 2, 7, 60])
        ops = []
        for _ in range(rng.randrange(0, 6)):
            r = rng.random()
            u = rng.randrange(n)
            if r < 0.55:
                ops.append({"op": "set_weights", "uid": u, "weights": random_weights(rng, n)})
            elif r < 0.65 and u != p["owner_uid"]:
                ops.append({"op": "register", "uid": u, "stake": rng.choice([0, 5, 1000])})
            elif r < 0.75:
                ops.append({"op": "set_stake", "uid": u, "stake": rng.choice([0, 3, 1 << 30])})
            elif r < 0.85:
                ops.append({"op": "reset_bonds", "uid": u})
            else:
                q = random_params(rng, n)
                keys = rng.sample(sorted(q), rng.randrange(1, 4))
                sp = {key: q[key] for key in keys if key != "n"}
                if "owner_uid" in sp:
                    continue  # keep the owner fixed so that register never targets it
                if sp:
                    ops.append({"op": "set_params", "params": sp})
        steps.append({"block": blk, "ops": ops, "epoch": rng.random() < 0.85})
    return {"format": "yuma-trace/1", "name": name, "source": "yuma_ref.py --random",
            "params": p, "initial": ini, "steps": steps}


def main(argv):
    if len(argv) in (4, 5) and argv[0] == "--random":
        rng = random.Random(int(argv[1]))
        os.makedirs(argv[2], exist_ok=True)
        n = int(argv[4]) if len(argv) == 5 else None
        for k in range(int(argv[3])):
            name = "rand_%s_%d" % (argv[1], k)
            with open(os.path.join(argv[2], name + ".json"), "w") as f:
                json.dump(random_trace(rng, name, n), f)
        return 0
    if len(argv) == 1:
        with open(argv[0]) as f:
            replay(json.load(f), sys.stdout)
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
