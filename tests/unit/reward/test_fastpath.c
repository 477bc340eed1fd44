/* test_fastpath.c: differential tests of the reward core's fast paths against straightforward
 * references kept in this file.
 *
 * The library computes the block emission (spec bittensor §3.1) on machine integers and takes
 * 128-bit shortcuts in the fixed-point multiply/divide kernels and in log2 (§1.2, §1.4). Each is
 * compared, bit for bit and status for status, with:
 *  - emission: (1) a literal transcription of the chain's I96F32 steps (ratio, 1 - ratio, the
 *    inverse, the whole substrate-fixed log2 with its 32 squarings, floor, repeated saturating
 *    doubling, safe_div, the final multiply) on raw values held in unsigned __int128, and (2) an
 *    exact rational rule: k is the largest k <= 32 with I 2^k >= T (2^k - 1), i.e.
 *    I >= ceil(T (1 - 2^-k)), and the emission is floor(E / 2^k). The two references are also
 *    checked against each other. ~1.1M seeded issuances: uniform, log-spaced towards T, t-64 ..
 *    t+64 around every threshold up to k = 33, and random (T, E) parameter sets;
 *  - the I96F32 / I64F64 / U96F32 / U64F64 mul and div kernels and I96F32 log2: references on a
 *    full 256-bit product and a bit-by-bit restoring division written here (no library
 *    arithmetic), over seeded operands biased to the fast-path boundaries (2^63, 2^64, 2^96,
 *    2^127, integer-valued raws, signs, zero);
 *  - 128- and 256-bit division (tsr_int.h), including the shortcuts (divisor below 2^64,
 *    divisor with a zero low word, numerator below 2^128), against the same bitwise division,
 *    and the bit-length helpers against a bit-by-bit count.
 * Every sweep counts mismatches and reports the first one, so a failure names its input.
 * The references use the compiler's unsigned __int128, which the library does not use in
 * check_reward_portable, so they are independent of the code under test in both builds.
 */
#include <inttypes.h>
#include <stdio.h>

#include "reward_tests.h"
#include "tsr.h"

__extension__ typedef unsigned __int128 u128r;

#define ONE_R  ((u128r)1 << 32)
#define TWO_R  ((u128r)1 << 33)
#define SMAX_R ((((u128r)1) << 127) - 1) /* i128 maximum, as bits */
#define SMIN_R (((u128r)1) << 127)       /* i128 minimum, as bits */
#define UMAX_R (~(u128r)0)

static u128r R(tsr_u128 a)
{
    return ((u128r)a.hi << 64) | a.lo;
}
static u128r RI(tsr_i128 a)
{
    return ((u128r)a.hi << 64) | a.lo;
}
static tsr_u128 TU(u128r v)
{
    return tsr_u128_make((uint64_t)(v >> 64), (uint64_t)v);
}
static tsr_i128 TI(u128r v)
{
    return tsr_i128_make((uint64_t)(v >> 64), (uint64_t)v);
}

/* ================================ 256-bit reference ========================================== */

typedef struct {
    u128r hi, lo; /* value = hi 2^128 + lo */
} w256;

/* Exact 128 x 128 product from four 64 x 64 partial products. */
static w256 w_mul(u128r a, u128r b)
{
    u128r a0 = (uint64_t)a, a1 = a >> 64, b0 = (uint64_t)b, b1 = b >> 64;
    u128r ll = a0 * b0, lh = a0 * b1, hl = a1 * b0, hh = a1 * b1;
    u128r mid = (ll >> 64) + (uint64_t)lh + (uint64_t)hl; /* < 3 * 2^64 */
    w256 r;
    r.lo = (mid << 64) | (uint64_t)ll;
    r.hi = hh + (lh >> 64) + (hl >> 64) + (mid >> 64);
    return r;
}

/* x >> s, 0 < s < 128. */
static w256 w_shr(w256 x, unsigned s)
{
    w256 r;
    r.lo = (x.lo >> s) | (x.hi << (128 - s));
    r.hi = x.hi >> s;
    return r;
}

/* x << s as 256 bits, 0 < s < 128. */
static w256 w_shl128(u128r x, unsigned s)
{
    w256 r;
    r.lo = x << s;
    r.hi = x >> (128 - s);
    return r;
}

/* Restoring division, one bit at a time: q = n / d, *rem = n % d, d != 0. The running
 * remainder may need 129 bits after the shift; the bit shifted out is kept in `carry`. */
static w256 w_div(w256 n, u128r d, u128r *rem)
{
    w256 q = {0, 0};
    u128r r = 0;
    for (int i = 255; i >= 0; i--) {
        unsigned bit = (unsigned)((i >= 128 ? n.hi >> (i - 128) : n.lo >> i) & 1u);
        int carry = (int)(r >> 127);
        r = (r << 1) | bit;
        if (carry || r >= d) {
            r -= d;
            if (i >= 128)
                q.hi |= (u128r)1 << (i - 128);
            else
                q.lo |= (u128r)1 << i;
        }
    }
    if (rem)
        *rem = r;
    return q;
}

/* ================================ kernel references ========================================== */

static int is_neg(u128r bits)
{
    return (int)(bits >> 127);
}
static u128r mag(u128r bits)
{
    return is_neg(bits) ? (u128r)0 - bits : bits;
}

/* Signed magnitude -> i128 bits; 1 (with the saturated value) when it does not fit. */
static int ref_fit_signed(w256 q, int neg, u128r *out)
{
    u128r limit = neg ? SMIN_R : SMAX_R;
    if (q.hi || q.lo > limit) {
        *out = neg ? SMIN_R : SMAX_R;
        return 1;
    }
    *out = neg ? (u128r)0 - q.lo : q.lo;
    return 0;
}

/* floor(a b / 2^f), signed (§1.2: arithmetic shift of the full product). */
static int ref_smul(u128r a, u128r b, unsigned f, u128r *out)
{
    int neg = is_neg(a) != is_neg(b);
    w256 p = w_mul(mag(a), mag(b));
    w256 q = w_shr(p, f);
    if (neg && (p.lo & (((u128r)1 << f) - 1)) != 0) { /* floor of a negative = -(ceil |.|) */
        q.lo++;
        if (q.lo == 0)
            q.hi++;
    }
    return ref_fit_signed(q, neg, out);
}

/* trunc((a << f) / b), signed; TSR_EDIVZERO / TSR_EOVERFLOW / TSR_OK. */
static int ref_sdiv(u128r a, u128r b, unsigned f, u128r *out)
{
    if (b == 0)
        return TSR_EDIVZERO;
    int neg = is_neg(a) != is_neg(b);
    w256 q = w_div(w_shl128(mag(a), f), mag(b), NULL);
    return ref_fit_signed(q, neg, out) ? TSR_EOVERFLOW : TSR_OK;
}

static int ref_umul(u128r a, u128r b, unsigned f, u128r *out)
{
    w256 q = w_shr(w_mul(a, b), f);
    *out = q.hi ? UMAX_R : q.lo;
    return q.hi != 0;
}

static int ref_udiv(u128r a, u128r b, unsigned f, u128r *out)
{
    if (b == 0)
        return TSR_EDIVZERO;
    w256 q = w_div(w_shl128(a, f), b, NULL);
    if (q.hi)
        return TSR_EOVERFLOW;
    *out = q.lo;
    return TSR_OK;
}

/* x := (x >> 1) + (x & 1) */
static u128r half_up(u128r x)
{
    return (x >> 1) + (x & 1u);
}

/* substrate-fixed log2_inner for x >= 1.0, literally (§1.4). */
static u128r ref_log2_inner(u128r x)
{
    u128r res, cnt = 0;
    while (x >= TWO_R) {
        cnt++;
        x = half_up(x);
    }
    if (x == ONE_R)
        return cnt << 32;
    res = cnt;
    for (int i = 0; i < 32; i++) {
        x = (x * x) >> 32; /* x < 2^33, so the square fits */
        res <<= 1;
        if (x >= TWO_R) {
            res |= 1u;
            x = half_up(x);
        }
    }
    return res;
}

static int ref_log2(u128r x, u128r *out)
{
    u128r inv;
    if (x == 0 || is_neg(x))
        return TSR_EINVAL;
    if (x < ONE_R) {
        if (ref_sdiv(ONE_R, x, 32, &inv))
            return TSR_EOVERFLOW;
        *out = (u128r)0 - ref_log2_inner(inv);
        return TSR_OK;
    }
    *out = ref_log2_inner(x);
    return TSR_OK;
}

/* ================================ emission references ======================================== */

/* The chain's get_block_emission_for_issuance transcribed step by step on raw I96F32 values
 * (spec bittensor §3.1), with the checks of each I96F32 operation made explicit. *k gets the
 * halving count (unset when issuance >= total). Returns TSR_OK, TSR_EINVAL, TSR_ERANGE (issuance
 * >= total: emission 0) or -100 when a step the chain would reject fails (never expected). */
static int ref_emission_chain(uint64_t total, uint64_t emission, uint64_t issuance, uint64_t *out,
                              unsigned *k)
{
    if (total == 0)
        return TSR_EINVAL;
    u128r iss = (u128r)issuance << 32, tot = (u128r)total << 32;
    if (iss >= tot) {
        *out = 0;
        return TSR_ERANGE;
    }
    /* ratio = iss / tot: (ra << 32) / rb, where ra << 32 = issuance 2^64 < 2^128 */
    u128r ratio = (iss << 32) / tot;
    if (ratio > SMAX_R || ratio > ONE_R)
        return -100;
    u128r denom = ONE_R - ratio; /* checked_sub: both operands small, no overflow */
    if (denom == 0)
        return -100;
    u128r inv = (ONE_R << 32) / denom; /* checked_div(1, denom) */
    if (inv > SMAX_R)
        return -100;
    u128r lg;
    if (ref_log2(inv, &lg))
        return -100;
    if (is_neg(lg))
        return -100;                         /* inv >= 1, so log2 >= 0 */
    uint64_t floored = (uint64_t)(lg >> 32); /* floor, then to u64 */
    u128r mult = ONE_R, pct, prod;
    for (uint64_t i = 0; i < floored; i++) /* saturating_mul by 2.0 */
        (void)ref_smul(mult, TWO_R, 32, &mult);
    if (ref_sdiv(ONE_R, mult, 32, &pct) != TSR_OK) /* safe_div: 0 on failure */
        pct = 0;
    (void)ref_smul(pct, (u128r)emission << 32, 32, &prod); /* saturating_mul */
    u128r whole = is_neg(prod) ? 0 : prod >> 32;           /* to_num::<u64>, saturating */
    *out = whole >> 64 ? UINT64_MAX : (uint64_t)whole;
    *k = (unsigned)floored;
    return TSR_OK;
}

/* k from exact rational comparisons: the largest k <= 32 with issuance >= ceil(T (1 - 2^-k)),
 * i.e. issuance 2^k >= T (2^k - 1); for issuance < T. */
static unsigned ref_k_rational(uint64_t total, uint64_t issuance)
{
    unsigned k = 0;
    for (unsigned j = 1; j <= 32; j++)
        if (((u128r)issuance << j) >= (u128r)total * (((u128r)1 << j) - 1))
            k = j;
    return k;
}

/* Compare the library with both references for one (params, issuance). */
static void check_emission_case(const tsr_issuance_params *p, uint64_t issuance, mismatch *m)
{
    uint64_t want = 7, got = 7;
    unsigned k_ref = 999, k_got = 999;
    int rc_ref = ref_emission_chain(p->total_supply, p->default_emission, issuance, &want, &k_ref);
    int rc_got = tsr_block_emission_for_issuance(p, issuance, &got);
    int rc_k = tsr_halving_count_for_issuance(p, issuance, &k_got);
    if (rc_ref == -100) {
        MISMATCH(m, "reference step failed: T=%" PRIu64 " I=%" PRIu64, p->total_supply, issuance);
        return;
    }
    if (rc_ref == TSR_EINVAL) {
        if (rc_got != TSR_EINVAL || rc_k != TSR_EINVAL)
            MISMATCH(m, "T=0: rc %d / %d", rc_got, rc_k);
        return;
    }
    if (rc_got != TSR_OK || got != want) {
        MISMATCH(m,
                 "T=%" PRIu64 " E=%" PRIu64 " I=%" PRIu64 ": emission %" PRIu64 " (rc %d), "
                 "chain reference %" PRIu64,
                 p->total_supply, p->default_emission, issuance, got, rc_got, want);
        return;
    }
    if (rc_ref == TSR_ERANGE) {
        if (rc_k != TSR_ERANGE)
            MISMATCH(m, "I=%" PRIu64 " >= T=%" PRIu64 ": count rc %d", issuance, p->total_supply,
                     rc_k);
        return;
    }
    unsigned k_rat = ref_k_rational(p->total_supply, issuance);
    uint64_t e_rat = (uint64_t)((u128r)p->default_emission / ((u128r)1 << k_rat));
    if (rc_k != TSR_OK || k_got != k_ref || k_ref != k_rat || want != e_rat)
        MISMATCH(m,
                 "T=%" PRIu64 " I=%" PRIu64 ": k %u (rc %d), chain %u, rational %u; "
                 "emission chain %" PRIu64 " rational %" PRIu64,
                 p->total_supply, issuance, k_got, rc_k, k_ref, k_rat, want, e_rat);
}

/* The threshold of count k: ceil(T (1 - 2^-k)) = T - floor(T / 2^k). */
static uint64_t threshold(uint64_t total, unsigned k)
{
    return total - (uint64_t)((u128r)total >> k);
}

/* issuance values within +-w of every threshold k = 1..33 (clamped to [0, 2^64)). */
static void sweep_thresholds(const tsr_issuance_params *p, int w, mismatch *m)
{
    for (unsigned k = 1; k <= 33; k++) {
        uint64_t t = threshold(p->total_supply, k);
        for (int d = -w; d <= w; d++) {
            if ((d < 0 && t < (uint64_t)-d) || (d > 0 && t > UINT64_MAX - (uint64_t)d))
                continue;
            check_emission_case(p, d < 0 ? t - (uint64_t)-d : t + (uint64_t)d, m);
        }
    }
}

/* A value below 2^bits (bits in [0, 64]), uniform bit length for log-spaced coverage. */
static uint64_t below_bits(uint64_t *st, unsigned bits)
{
    return bits == 0 ? 0 : rt_next(st) >> (64 - bits);
}

/* issuance samples for total T: uniform below T, log-spaced just below T, around T. */
static uint64_t sample_issuance(uint64_t *st, uint64_t total)
{
    uint64_t r = rt_next(st);
    switch (r % 4) {
    case 0:
    case 1:
        return rt_next(st) % total;
    case 2: {
        uint64_t d = below_bits(st, (unsigned)(rt_next(st) % 65));
        return d >= total ? 0 : total - 1 - d;
    }
    default: { /* T - 4 .. T + 3, clamped to [0, 2^64) */
        uint64_t d = rt_next(st) % 8;
        if (total < 4)
            return d;
        return total > UINT64_MAX - 4 ? UINT64_MAX - d : total - 4 + d;
    }
    }
}

/* spec bittensor §3.1 with the chain's parameters: ~1M issuances. */
START_TEST(test_emission_default_differential)
{
    mismatch m = {0, ""};
    tsr_issuance_params p;
    uint64_t st = UINT64_C(0x5eed0001);
    tsr_issuance_params_default(&p);
    static const uint64_t special[] = {0,
                                       1,
                                       UINT64_C(4294967295),
                                       UINT64_C(4294967296),
                                       UINT64_C(4294967297),
                                       UINT64_C(20999999999999999),
                                       UINT64_C(21000000000000000),
                                       UINT64_C(21000000000000001),
                                       UINT64_MAX};
    for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
        check_emission_case(&p, special[i], &m);
    sweep_thresholds(&p, 64, &m);
    for (int i = 0; i < 1000000; i++)
        check_emission_case(&p, sample_issuance(&st, p.total_supply), &m);
    /* the same through the NULL-means-defaults path */
    for (int i = 0; i < 1000; i++) {
        uint64_t iss = sample_issuance(&st, p.total_supply), a = 1, b = 2;
        if (tsr_block_emission_for_issuance(NULL, iss, &a) != TSR_OK ||
            tsr_block_emission_for_issuance(&p, iss, &b) != TSR_OK || a != b)
            MISMATCH(&m, "NULL params at I=%" PRIu64 ": %" PRIu64 " vs %" PRIu64, iss, a, b);
    }
    ck_no_mismatch(&m, "default emission");
}
END_TEST

/* Other (total, emission) pairs: every magnitude of T from 1 to 2^64 - 1, E up to 2^64 - 1. */
START_TEST(test_emission_params_differential)
{
    mismatch m = {0, ""};
    uint64_t st = UINT64_C(0x5eed0002);
    static const uint64_t totals[] = {1,
                                      2,
                                      3,
                                      1000,
                                      UINT64_C(1) << 32,
                                      (UINT64_C(1) << 32) + 1,
                                      UINT64_C(1) << 63,
                                      UINT64_MAX - 1,
                                      UINT64_MAX};
    for (size_t i = 0; i < sizeof totals / sizeof totals[0]; i++) {
        tsr_issuance_params p = {totals[i], UINT64_MAX, totals[i]};
        sweep_thresholds(&p, 3, &m);
        for (int j = 0; j < 2000; j++)
            check_emission_case(&p, sample_issuance(&st, p.total_supply), &m);
    }
    for (int i = 0; i < 4000; i++) {
        tsr_issuance_params p;
        p.total_supply = below_bits(&st, 1 + (unsigned)(rt_next(&st) % 64));
        p.default_emission = i % 2 ? rt_next(&st) : below_bits(&st, (unsigned)(rt_next(&st) % 65));
        p.max_issuance = p.total_supply;
        if (p.total_supply == 0) {
            check_emission_case(&p, rt_next(&st), &m);
            continue;
        }
        sweep_thresholds(&p, 3, &m);
        for (int j = 0; j < 20; j++)
            check_emission_case(&p, sample_issuance(&st, p.total_supply), &m);
    }
    ck_no_mismatch(&m, "emission with other parameters");
}
END_TEST

/* ================================ kernel sweeps ============================================== */

/* Operands biased to the fast-path boundaries. */
static u128r gen_mag(uint64_t *st)
{
    static const unsigned pow_edges[] = {0, 1, 31, 32, 33, 34, 62, 63, 64, 65, 95, 96, 126, 127};
    uint64_t r = rt_next(st);
    unsigned s;
    switch (r % 6) {
    case 0: /* 2^s - 1, 2^s, 2^s + 1 at the edges */
        s = pow_edges[rt_next(st) % (sizeof pow_edges / sizeof pow_edges[0])];
        return ((u128r)1 << s) + (u128r)(rt_next(st) % 3) - 1;
    case 1: /* an integer-valued raw: low 32 or 64 bits zero */
        s = rt_next(st) % 2 ? 32 : 64;
        return ((u128r)rt_next(st) >> (rt_next(st) % 64)) << s;
    case 2: /* small: below 2^64 */
        return below_bits(st, (unsigned)(rt_next(st) % 65));
    default: { /* any bit length 0..128 */
        unsigned len = (unsigned)(rt_next(st) % 129);
        u128r v = ((u128r)rt_next(st) << 64) | rt_next(st);
        return len == 0 ? 0 : v >> (128 - len);
    }
    }
}

static u128r gen_signed(uint64_t *st)
{
    u128r v = gen_mag(st);
    return rt_next(st) % 2 ? (u128r)0 - v : v;
}

#define SENTINEL ((u128r)0xabcdef)

/* I96F32 (f = 32) and I64F64 (f = 64): checked/sat mul and checked/safe div. */
static void check_signed_pair(u128r a, u128r b, mismatch *m)
{
    u128r want, wsat;
    int ovf = ref_smul(a, b, 32, &wsat);
    tsr_i96f32 x, y, r;
    x.raw = TI(a);
    y.raw = TI(b);
    r.raw = TI(SENTINEL);
    int rc = tsr_i96f32_checked_mul(x, y, &r);
    if ((rc != TSR_OK) != ovf || RI(r.raw) != (ovf ? SENTINEL : wsat) ||
        RI(tsr_i96f32_sat_mul(x, y).raw) != wsat)
        MISMATCH(m, "i96f32 mul %016" PRIx64 "%016" PRIx64 " * %016" PRIx64 "%016" PRIx64,
                 (uint64_t)(a >> 64), (uint64_t)a, (uint64_t)(b >> 64), (uint64_t)b);
    int drc = ref_sdiv(a, b, 32, &want);
    r.raw = TI(SENTINEL);
    rc = tsr_i96f32_checked_div(x, y, &r);
    if (rc != drc || RI(r.raw) != (drc ? SENTINEL : want) ||
        RI(tsr_i96f32_safe_div(x, y).raw) != (drc ? 0 : want))
        MISMATCH(m, "i96f32 div %016" PRIx64 "%016" PRIx64 " / %016" PRIx64 "%016" PRIx64,
                 (uint64_t)(a >> 64), (uint64_t)a, (uint64_t)(b >> 64), (uint64_t)b);

    tsr_i64f64 u, v, w;
    u.raw = TI(a);
    v.raw = TI(b);
    ovf = ref_smul(a, b, 64, &wsat);
    w.raw = TI(SENTINEL);
    rc = tsr_i64f64_checked_mul(u, v, &w);
    if ((rc != TSR_OK) != ovf || RI(w.raw) != (ovf ? SENTINEL : wsat) ||
        RI(tsr_i64f64_sat_mul(u, v).raw) != wsat)
        MISMATCH(m, "i64f64 mul %016" PRIx64 "%016" PRIx64 " * %016" PRIx64 "%016" PRIx64,
                 (uint64_t)(a >> 64), (uint64_t)a, (uint64_t)(b >> 64), (uint64_t)b);
    drc = ref_sdiv(a, b, 64, &want);
    w.raw = TI(SENTINEL);
    rc = tsr_i64f64_checked_div(u, v, &w);
    if (rc != drc || RI(w.raw) != (drc ? SENTINEL : want) ||
        RI(tsr_i64f64_safe_div(u, v).raw) != (drc ? 0 : want))
        MISMATCH(m, "i64f64 div %016" PRIx64 "%016" PRIx64 " / %016" PRIx64 "%016" PRIx64,
                 (uint64_t)(a >> 64), (uint64_t)a, (uint64_t)(b >> 64), (uint64_t)b);
}

/* U96F32 (f = 32) and U64F64 (f = 64). */
static void check_unsigned_pair(u128r a, u128r b, mismatch *m)
{
    u128r want, wsat;
    int ovf = ref_umul(a, b, 32, &wsat);
    tsr_u96f32 x, y, r;
    x.raw = TU(a);
    y.raw = TU(b);
    r.raw = TU(SENTINEL);
    int rc = tsr_u96f32_checked_mul(x, y, &r);
    if ((rc != TSR_OK) != ovf || R(r.raw) != (ovf ? SENTINEL : wsat) ||
        R(tsr_u96f32_sat_mul(x, y).raw) != wsat)
        MISMATCH(m, "u96f32 mul %016" PRIx64 "%016" PRIx64 " * %016" PRIx64 "%016" PRIx64,
                 (uint64_t)(a >> 64), (uint64_t)a, (uint64_t)(b >> 64), (uint64_t)b);
    int drc = ref_udiv(a, b, 32, &want);
    r.raw = TU(SENTINEL);
    rc = tsr_u96f32_checked_div(x, y, &r);
    if (rc != drc || R(r.raw) != (drc ? SENTINEL : want) ||
        R(tsr_u96f32_safe_div(x, y).raw) != (drc ? 0 : want))
        MISMATCH(m, "u96f32 div %016" PRIx64 "%016" PRIx64 " / %016" PRIx64 "%016" PRIx64,
                 (uint64_t)(a >> 64), (uint64_t)a, (uint64_t)(b >> 64), (uint64_t)b);

    tsr_u64f64 u, v, w;
    u.raw = TU(a);
    v.raw = TU(b);
    ovf = ref_umul(a, b, 64, &wsat);
    w.raw = TU(SENTINEL);
    rc = tsr_u64f64_checked_mul(u, v, &w);
    if ((rc != TSR_OK) != ovf || R(w.raw) != (ovf ? SENTINEL : wsat) ||
        R(tsr_u64f64_sat_mul(u, v).raw) != wsat)
        MISMATCH(m, "u64f64 mul %016" PRIx64 "%016" PRIx64 " * %016" PRIx64 "%016" PRIx64,
                 (uint64_t)(a >> 64), (uint64_t)a, (uint64_t)(b >> 64), (uint64_t)b);
    drc = ref_udiv(a, b, 64, &want);
    w.raw = TU(SENTINEL);
    rc = tsr_u64f64_checked_div(u, v, &w);
    if (rc != drc || R(w.raw) != (drc ? SENTINEL : want) ||
        R(tsr_u64f64_safe_div(u, v).raw) != (drc ? 0 : want))
        MISMATCH(m, "u64f64 div %016" PRIx64 "%016" PRIx64 " / %016" PRIx64 "%016" PRIx64,
                 (uint64_t)(a >> 64), (uint64_t)a, (uint64_t)(b >> 64), (uint64_t)b);
}

START_TEST(test_kernels_differential)
{
    mismatch m = {0, ""};
    uint64_t st = UINT64_C(0x5eed0003);
    /* hand-picked boundary pairs first */
    static const u128r edge[] = {0,
                                 1,
                                 ONE_R,
                                 TWO_R,
                                 ((u128r)1 << 63),
                                 ((u128r)1 << 64) - 1,
                                 (u128r)1 << 64,
                                 ((u128r)1 << 96) - 1,
                                 (u128r)1 << 96,
                                 SMAX_R,
                                 SMIN_R,
                                 UMAX_R,
                                 (u128r)0 - ONE_R,
                                 (u128r)0 - 1};
    const size_t ne = sizeof edge / sizeof edge[0];
    for (size_t i = 0; i < ne; i++)
        for (size_t j = 0; j < ne; j++) {
            check_signed_pair(edge[i], edge[j], &m);
            check_unsigned_pair(edge[i], edge[j], &m);
        }
    for (int i = 0; i < 60000; i++) {
        u128r a = gen_signed(&st), b = gen_signed(&st);
        check_signed_pair(a, b, &m);
        check_unsigned_pair(gen_mag(&st), gen_mag(&st), &m);
    }
    ck_no_mismatch(&m, "fixed-point kernels");
}
END_TEST

/* I96F32 log2 (§1.4): every input class, including x < 1 (through 1/x) and huge x. */
START_TEST(test_log2_differential)
{
    mismatch m = {0, ""};
    uint64_t st = UINT64_C(0x5eed0004);
    for (int i = 0; i < 200000; i++) {
        u128r x = i < 64 ? ((u128r)1 << (i + 1)) - 1 - (u128r)(i % 2) : gen_signed(&st);
        if (i % 4 == 1) /* the emission's range: an inverse in [2^32, 2^64] */
            x = ONE_R + (rt_next(&st) >> (rt_next(&st) % 64));
        u128r want = SENTINEL;
        tsr_i96f32 in, out;
        in.raw = TI(x);
        out.raw = TI(SENTINEL);
        int wrc = ref_log2(x, &want);
        int rc = tsr_i96f32_log2(in, &out);
        if (rc != wrc || RI(out.raw) != (wrc ? SENTINEL : want))
            MISMATCH(&m, "log2 %016" PRIx64 "%016" PRIx64 ": rc %d / %d", (uint64_t)(x >> 64),
                     (uint64_t)x, rc, wrc);
        /* the emission's integer-part-only entry: floor(log2(x)) for x >= 1.0 */
        if (wrc == TSR_OK && x >= ONE_R && tsr__i96f32_log2_floor_raw(TU(x)) != want >> 32)
            MISMATCH(&m, "log2 floor %016" PRIx64 "%016" PRIx64, (uint64_t)(x >> 64), (uint64_t)x);
    }
    ck_no_mismatch(&m, "log2");
}
END_TEST

/* tsr_u128_divmod and tsr_u256_divmod_u128, shortcuts included, against bitwise division. */
START_TEST(test_division_differential)
{
    mismatch m = {0, ""};
    uint64_t st = UINT64_C(0x5eed0005);
    for (int i = 0; i < 100000; i++) {
        w256 n;
        n.hi = i % 3 == 0 ? 0 : gen_mag(&st);
        n.lo = gen_mag(&st);
        u128r d = gen_mag(&st);
        if (i % 5 == 0)
            d = (u128r)(rt_next(&st) >> (rt_next(&st) % 64)) << 64; /* zero low word */
        if (d == 0)
            d = 1 + (u128r)(rt_next(&st) % 7);
        u128r wr, gr_r;
        w256 wq = w_div(n, d, &wr);
        tsr_u256 nn = {{(uint64_t)n.lo, (uint64_t)(n.lo >> 64), (uint64_t)n.hi,
                        (uint64_t)(n.hi >> 64)}},
                 q;
        tsr_u128 r, q128;
        int rc = tsr_u256_divmod_u128(nn, TU(d), &q, &r);
        gr_r = R(r);
        if (rc != TSR_OK || R(tsr_u128_make(q.w[1], q.w[0])) != wq.lo ||
            R(tsr_u128_make(q.w[3], q.w[2])) != wq.hi || gr_r != wr)
            MISMATCH(&m, "u256 %016" PRIx64 "... / %016" PRIx64 "%016" PRIx64,
                     (uint64_t)(n.hi >> 64), (uint64_t)(d >> 64), (uint64_t)d);
        /* quotient or remainder alone */
        tsr_u256 q_only;
        tsr_u128 r_only;
        rc = tsr_u256_divmod_u128(nn, TU(d), &q_only, NULL) |
             tsr_u256_divmod_u128(nn, TU(d), NULL, &r_only);
        if (rc != TSR_OK || q_only.w[0] != q.w[0] || q_only.w[1] != q.w[1] ||
            q_only.w[2] != q.w[2] || q_only.w[3] != q.w[3] || R(r_only) != wr)
            MISMATCH(&m, "u256 single output");
        rc = tsr_u128_divmod(TU(n.lo), TU(d), &q128, &r);
        if (rc != TSR_OK || R(q128) != n.lo / d || R(r) != n.lo % d)
            MISMATCH(&m, "u128 %016" PRIx64 "%016" PRIx64 " / %016" PRIx64 "%016" PRIx64,
                     (uint64_t)(n.lo >> 64), (uint64_t)n.lo, (uint64_t)(d >> 64), (uint64_t)d);
    }
    tsr_u256 q;
    tsr_u128 r;
    tsr_u256 one = {{1, 0, 0, 0}};
    ck_assert_int_eq(tsr_u256_divmod_u128(one, tsr_u128_make(0, 0), &q, &r), TSR_EDIVZERO);
    ck_no_mismatch(&m, "division");
}
END_TEST

/* tsr_u64_bitlen / tsr_u128_bitlen (the count-leading-zeros builtin natively, a binary search in
 * the portable build) against a bit-by-bit count. */
START_TEST(test_bitlen)
{
    mismatch m = {0, ""};
    uint64_t st = UINT64_C(0x5eed0006);
    for (int i = 0; i < 20000; i++) {
        uint64_t w = i < 64    ? UINT64_C(1) << i
                     : i < 128 ? (UINT64_C(1) << (i - 64)) - 1
                               : below_bits(&st, (unsigned)(i % 65));
        unsigned want = 0;
        for (uint64_t v = w; v; v >>= 1)
            want++;
        if (tsr_u64_bitlen(w) != want || tsr_u128_bitlen(tsr_u128_make(0, w)) != want ||
            tsr_u128_bitlen(tsr_u128_make(w, 5)) != (w ? 64 + want : 3))
            MISMATCH(&m, "bitlen %016" PRIx64, w);
    }
    ck_no_mismatch(&m, "bitlen");
}
END_TEST

/* The references themselves, on values worked out by hand, so a broken reference cannot make
 * the sweeps pass vacuously. */
START_TEST(test_references_sane)
{
    u128r v, rem;
    uint64_t e = 0;
    unsigned k = 0;
    /* 3 * 5 = 15; 2^127 * 2 = 2^128 = (hi 1, lo 0); 2^128 - 1 squared = 2^256 - 2^129 + 1 */
    ck_assert(w_mul(3, 5).lo == 15 && w_mul(3, 5).hi == 0);
    ck_assert(w_mul(SMIN_R, 2).hi == 1 && w_mul(SMIN_R, 2).lo == 0);
    ck_assert(w_mul(UMAX_R, UMAX_R).lo == 1 && w_mul(UMAX_R, UMAX_R).hi == UMAX_R - 1);
    /* (2^200 + 7) / 2^100 = 2^100 rem 7 */
    w256 n = {(u128r)1 << 72, 7};
    w256 q = w_div(n, (u128r)1 << 100, &rem);
    ck_assert(q.hi == 0 && q.lo == (u128r)1 << 100 && rem == 7);
    /* -1.5 (*) 1 = -1.5; -2^-32 (*) 0.5 floors to -2^-32; 1 / 3 truncates */
    ck_assert_int_eq(ref_smul((u128r)0 - (3 * (ONE_R >> 1)), ONE_R, 32, &v), 0);
    ck_assert(v == (u128r)0 - (3 * (ONE_R >> 1)));
    ck_assert_int_eq(ref_smul((u128r)0 - 1, ONE_R >> 1, 32, &v), 0);
    ck_assert(v == (u128r)0 - 1);
    ck_assert_int_eq(ref_sdiv(ONE_R, 3 * ONE_R, 32, &v), TSR_OK);
    ck_assert(v == 1431655765);
    ck_assert_int_eq(ref_sdiv(SMAX_R, 1, 32, &v), TSR_EOVERFLOW);
    ck_assert_int_eq(ref_log2(8 * ONE_R, &v), TSR_OK);
    ck_assert(v == 3 * ONE_R);
    ck_assert_int_eq(ref_log2(ONE_R >> 1, &v), TSR_OK);
    ck_assert(v == (u128r)0 - ONE_R);
    /* spec §3.1 table: k = 1 at 10.5e15 (500e6), k = 25 at 20_999_999_374_151_230 (29) */
    ck_assert_int_eq(
        ref_emission_chain(TSR_TOTAL_SUPPLY, 1000000000, UINT64_C(10500000000000000), &e, &k),
        TSR_OK);
    ck_assert_uint_eq(e, 500000000);
    ck_assert_uint_eq(k, 1);
    ck_assert_int_eq(
        ref_emission_chain(TSR_TOTAL_SUPPLY, 1000000000, UINT64_C(10499999999999999), &e, &k),
        TSR_OK);
    ck_assert_uint_eq(e, 1000000000);
    ck_assert_int_eq(
        ref_emission_chain(TSR_TOTAL_SUPPLY, 1000000000, UINT64_C(20999999374151230), &e, &k),
        TSR_OK);
    ck_assert_uint_eq(e, 29);
    ck_assert_uint_eq(k, 25);
    ck_assert_uint_eq(ref_k_rational(TSR_TOTAL_SUPPLY, UINT64_C(20999999374151230)), 25);
    ck_assert_uint_eq(ref_k_rational(TSR_TOTAL_SUPPLY, UINT64_C(20999999374151229)), 24);
    ck_assert_uint_eq(ref_k_rational(TSR_TOTAL_SUPPLY, UINT64_C(20999999999999999)), 32);
}
END_TEST

Suite *suite_fastpath(void)
{
    Suite *s = suite_create("fastpath");
    TCase *tc = tcase_create("differential");
    tcase_add_test(tc, test_references_sane);
    tcase_add_test(tc, test_emission_default_differential);
    tcase_add_test(tc, test_emission_params_differential);
    tcase_add_test(tc, test_kernels_differential);
    tcase_add_test(tc, test_log2_differential);
    tcase_add_test(tc, test_division_differential);
    tcase_add_test(tc, test_bitlen);
    tcase_set_timeout(tc, 300);
    suite_add_tcase(s, tc);
    return s;
}
