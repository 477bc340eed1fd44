#!/usr/bin/env python3
"""Independent derivation of the expected values in test_coinbase.c and test_burn.c.

Written from the text of ../shared/spec/bittensor.md (sections 1.2, 1.5, 3.3-3.8, 3.10) with
Python big integers, not from the C code: every fixed-point value is its raw integer, products
floor ((a*b) >> f), quotients truncate ((a << f) // b). Run it to print every number the tests
assert; each test comment names the line it comes from.
"""
import struct

F32, F64 = 32, 64          # fractional bits of U96F32 and U64F64
ONE32, ONE64 = 1 << 32, 1 << 64
U64MAX = (1 << 64) - 1


def mul(a, b, f):  return (a * b) >> f
def div(a, b, f):  return (a << f) // b if b else 0        # checked_div -> 0 on failure
def u96(x):        return x << 32
def floor96(x):    return x >> 32


def f64_to_fixed(x, f):
    """IEEE binary64 value -> raw with f fractional bits, round half to even (spec 1.2)."""
    bits = struct.unpack('<Q', struct.pack('<d', x))[0]
    m = (bits & ((1 << 52) - 1)) | (1 << 52)
    e = ((bits >> 52) & 0x7FF) - 1075
    s = e + f
    if s >= 0:
        return m << s
    q, r = divmod(m, 1 << -s)
    half = 1 << (-s - 1)
    return q + (1 if r > half or (r == half and q & 1) else 0)


out = {}
# --- 1.5 fractions
out['owner_cut_11796'] = div(u96(11796), u96(65535), F32)
out['tao_weight_default'] = div(u96(971718665099567868), u96(U64MAX), F32)
out['u64_fraction_2^63'] = div(u96(1 << 63), u96(U64MAX), F32)
out['moving_alpha_default_raw'] = f64_to_fixed(3e-6, 32)
out['burn_mult_126_u64f64'] = f64_to_fixed(1.26, 64)
out['f64bits_3e-6'] = hex(struct.unpack('<Q', struct.pack('<d', 3e-6))[0])
out['f64bits_1.26'] = hex(struct.unpack('<Q', struct.pack('<d', 1.26))[0])
# --- 3.4 root proportion
tw = out['tao_weight_default']
w = mul(u96(10**15), tw, F32)
out['root_prop_1e15_5e15'] = div(w, w + u96(5 * 10**15), F32)
# --- 3.3 shares (U64F64)
third, two_thirds = div(ONE64, 3 * ONE64, F64), div(2 * ONE64, 3 * ONE64, F64)
out['share_1_of_3'], out['share_2_of_3'] = third, two_thirds
# miner burned 0.5 on subnet 0 of two equal prices
s = div(ONE64, 2 * ONE64, F64)
w0, w1 = mul(s, ONE64 - (1 << 63), F64), mul(s, ONE64, F64)
out['mb_shares'] = (div(w0, w0 + w1, F64), div(w1, w0 + w1, F64))
# release variant, equal prices, root proportions 0.25 and 0.5 (U96F32 -> U64F64 exact)
r0, r1 = (1 << 30) << 32, (1 << 31) << 32
w0, w1 = mul(s, mul(r0, ONE64, F64), F64), mul(s, mul(r1, ONE64, F64), F64)
out['release_shares'] = (div(w0, w0 + w1, F64), div(w1, w0 + w1, F64))
# disabled middle subnet of three equal prices
en = third + third
out['disabled_share'] = div(third, en, F64)
# tao emission = U96F32(U64F64(E) * share)
def tao_em(E, sh): return mul(E << 64, sh, F64) >> 32
out['tao_em_1e9_third'] = tao_em(10**9, third)
# TV24 "different": block emission 1e6, moving prices 1 and 2, pool prices 1 and 2
te1, te2 = tao_em(10**6, third), tao_em(10**6, two_thirds)
a1 = div(te1, 1 << 32, F32)
a2 = div(te2, 2 << 32, F32)
out['tv24_diff'] = (te1, floor96(te1), floor96(a1), te2, floor96(te2), floor96(a2))
# --- 3.5 split
cut = out['owner_cut_11796']
def split(ao, cut, rp, enabled=True):
    oc = mul(ao, cut, F32) if enabled else 0
    rest = ao - oc
    root = mul(mul(rp, rest, F32), 1 << 31, F32)
    server = mul(rest, 1 << 31, F32)
    val = max(0, max(0, rest - server) - root)
    return oc, server, val, root
out['split_default_rp0'] = [floor96(x) for x in split(u96(10**9), cut, 0)]
out['split_default_rp'] = [floor96(x) for x in split(u96(10**9), cut, out['root_prop_1e15_5e15'])]
# --- 3.8 moving price with the default SubnetMovingAlpha: old 0.25, price 0.5, block 201_700,
# first emission block 101 (start_call at 100, so b = 201_600 = H and b / (b + H) = 0.5)
ma = out['moving_alpha_default_raw'] << 32           # I96F32 -> U64F64 exact
b = 201600 << 64
alpha = mul(ma, div(b, b + (201600 << 64), F64), F64)
new = mul(alpha, 1 << 63, F64) + mul(ONE64 - alpha, 1 << 62, F64)
out['moving_price_default'] = new >> 32                   # U64F64 -> I96F32 floor
# same, stable subnet (old read as 1.0), price 2.0 capped at 1.0
new_s = mul(alpha, ONE64, F64) + mul(ONE64 - alpha, ONE64, F64)
out['moving_price_stable'] = new_s >> 32
# --- 3.7 distribution
# one parent (alpha 300, proportion u64::MAX), self alpha 100, dividend 1000, other coldkey,
# childkey take 11796, CK burn 2^63 of u64::MAX
prop = div(u96(U64MAX), u96(U64MAX), F32)
total = u96(100) + mul(u96(300), prop, F32)
pe = mul(u96(1000), div(mul(u96(300), prop, F32), total, F32), F32)
rem = u96(1000) - pe
ckb = out['u64_fraction_2^63']
burn = mul(ckb, pe, F32)
take = mul(cut, pe, F32)
pe2 = pe - burn - take
out['parent_child'] = (floor96(pe), floor96(pe2), floor96(rem + take), floor96(burn))
pe_nob = pe - take
out['parent_child_noburn'] = (floor96(pe_nob), floor96(rem + take))
# children 0.5 (proportion 2^63 of u64::MAX): r = 1 - fraction, self contribution halves
r = ONE32 - ckb
selfc = floor96(mul(u96(100), r, F32))
total = u96(selfc) + mul(u96(300), prop, F32)
pe = mul(u96(1000), div(mul(u96(300), prop, F32), total, F32), F32)
out['parent_child_children'] = (selfc, floor96(pe), floor96(u96(1000) - pe))
# take split of 1000 at 11796/65535
t = mul(cut, u96(1000), F32)
out['take_1000'] = (floor96(t), floor96(u96(1000) - t))
# root split with the default tao weight: alpha 1000, root 10000, dividend 5000
wr = mul(u96(10000), tw, F32)
rp = div(wr, u96(1000) + wr, F32)
rd = mul(u96(5000), rp, F32)
out['root_split_default_tw'] = (rd, u96(5000) - rd)
# --- one block of the step (see test_step_one_block)
tw1 = div(u96(U64MAX), u96(U64MAX), F32)                # TaoWeight u64::MAX = 1.0
root_tao, alpha_in0, alpha_out0 = 3 * 10**12, 10**12, 0
iss = alpha_in0 + alpha_out0
w = mul(u96(root_tao), tw1, F32)
rp_before = div(w, w + u96(iss), F32)
te = u96(10**9)                                         # share 1.0 of 1e9
ain = div(te, ONE32, F32)
cap = mul(rp_before, u96(10**9), F32)
tin = te
if ain > cap:
    ain, tin = cap, mul(cap, ONE32, F32)
exc = te - tin
iss2 = iss + floor96(ain) + 10**9
rp_after = div(w, w + u96(iss2), F32)
parts = split(u96(10**9), cut, rp_after)
out['step'] = dict(rp_before=rp_before, tao_in=floor96(tin), alpha_in=floor96(ain),
                   excess=floor96(exc), rp_after=rp_after,
                   parts=[floor96(x) for x in parts],
                   dust=10**9 - sum(floor96(x) for x in parts))
# --- 3.10 burn
def mq(v, f): return min((v * f) >> 32, U64MAX)
def pw(bq, e):
    r, f = ONE32, bq
    while e:
        if e & 1: r = mq(r, f)
        e >>= 1
        if e: f = mq(f, f)
    return r
def factor(h):
    if h == 0: return ONE32
    lo, hi = 0, ONE32
    while lo + 1 < hi:
        m = lo + ((hi - lo) >> 1)
        if pw(m, h) > (1 << 31): hi = m
        else: lo = m
    return lo
out['factor'] = {h: factor(h) for h in (1, 2, 3, 360, 1000, 65535)}
out['burn_bump_default'] = mul(10**9 << 64, out['burn_mult_126_u64f64'], F64) >> 64
out['burn_decay_360_1e9'] = mq(10**9, factor(360))

for k, v in out.items():
    print(k, v)
