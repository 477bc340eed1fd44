/* test_div.c: the exact division fast paths of the reward core against a long division written
 * here, one bit at a time on arrays of 32-bit words (no library arithmetic and no __int128, so
 * it is independent of the code under test in both builds).
 *
 * Covered, bit for bit and status for status:
 *  - tsr_u128_div64, the one-word-quotient 128/64 division (a divq instruction on x86-64);
 *  - tsr_u128_divmod (one or two 128/64 divisions for a one-word divisor, an estimate from the
 *    divisor's top 64 bits and a one-step correction above) and tsr_u256_divmod_u128 (algorithm
 *    D on 64-bit digits with 128/64 trial quotients), every combination of outputs;
 *  - the fixed-point divisions built on them (U64F64, U96F32, I64F64, I96F32 checked and safe);
 *  - tsr__yuma_stake_share, the epoch's stake normalisation fixed64_to_fixed32(I64F64
 *    safe_div(v, sum)) (spec bittensor §2.3), whose fast path divides by the sum's top 64 bits
 *    and corrects the estimate with a 192-bit compare; the test also checks, on the reference,
 *    that the chain's nested floors equal the single floor(v 2^32 / sum) the fast path computes.
 * Operands: hand-picked edges (divisor bit lengths 1, 32, 63-65, 96, 97, 127, 128; quotients at
 * 2^32, 2^64 - 1, 2^64, 2^127, 2^128; v = sum, v = 1; overflow) and a few hundred thousand seeded
 * random operands of random bit lengths, plus constructed n = q d + r with r in {0, 1, d - 1}
 * and, for the stake share, the smallest v giving each share k and the v just below it (the
 * inputs on which the estimate is one too large and only the correction gets them right).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "reward_tests.h"
#include "tsr.h"
#include "tsr_yuma_int.h"

#define M64 UINT64_MAX

/* ================================ the reference ============================================== */

#define NW 9 /* 288 bits: numerators up to 2^256 and products q d + r below 2^288 */

typedef struct {
    uint32_t w[NW]; /* little-endian 32-bit words */
} big;

static big b_zero(void)
{
    big a;
    memset(&a, 0, sizeof a);
    return a;
}

/* w3 2^192 + w2 2^128 + w1 2^64 + w0 */
static big b_words(uint64_t w3, uint64_t w2, uint64_t w1, uint64_t w0)
{
    big a = b_zero();
    uint64_t v[4] = {w0, w1, w2, w3};
    for (size_t i = 0; i < 4; i++) {
        a.w[2 * i] = (uint32_t)v[i];
        a.w[2 * i + 1] = (uint32_t)(v[i] >> 32);
    }
    return a;
}

static big b_u128(tsr_u128 x)
{
    return b_words(0, 0, x.hi, x.lo);
}

static big b_u64(uint64_t x)
{
    return b_words(0, 0, 0, x);
}

/* 64-bit word k (bits 64 k .. 64 k + 63) */
static uint64_t b_w64(const big *a, size_t k)
{
    return a->w[2 * k] | ((uint64_t)a->w[2 * k + 1] << 32);
}

static tsr_u128 b_low128(const big *a)
{
    return tsr_u128_make(b_w64(a, 1), b_w64(a, 0));
}

static unsigned b_bit(const big *a, unsigned i)
{
    return (a->w[i / 32] >> (i % 32)) & 1u;
}

static void b_setbit(big *a, unsigned i)
{
    a->w[i / 32] |= (uint32_t)1 << (i % 32);
}

static unsigned b_bitlen(const big *a)
{
    for (unsigned i = 32 * NW; i-- > 0;)
        if (b_bit(a, i))
            return i + 1;
    return 0;
}

static int b_cmp(const big *a, const big *b)
{
    for (unsigned i = NW; i-- > 0;)
        if (a->w[i] != b->w[i])
            return a->w[i] < b->w[i] ? -1 : 1;
    return 0;
}

/* a -= b for a >= b */
static void b_sub(big *a, const big *b)
{
    uint64_t borrow = 0;
    for (unsigned i = 0; i < NW; i++) {
        uint64_t t = (uint64_t)a->w[i] - b->w[i] - borrow;
        a->w[i] = (uint32_t)t;
        borrow = (t >> 32) & 1u; /* the subtraction wrapped */
    }
}

static void b_add(big *a, const big *b)
{
    uint64_t carry = 0;
    for (unsigned i = 0; i < NW; i++) {
        uint64_t t = (uint64_t)a->w[i] + b->w[i] + carry;
        a->w[i] = (uint32_t)t;
        carry = t >> 32;
    }
}

/* a << s, one bit at a time (bits beyond 288 are dropped; callers stay below) */
static big b_shl(const big *a, unsigned s)
{
    big r = b_zero();
    for (unsigned i = 0; i + s < 32 * NW; i++)
        if (b_bit(a, i))
            b_setbit(&r, i + s);
    return r;
}

static big b_shr(const big *a, unsigned s)
{
    big r = b_zero();
    for (unsigned i = s; i < 32 * NW; i++)
        if (b_bit(a, i))
            b_setbit(&r, i - s);
    return r;
}

/* schoolbook product, truncated to 288 bits (callers stay below) */
static big b_mul(const big *a, const big *b)
{
    big r = b_zero();
    for (unsigned i = 0; i < NW; i++) {
        uint64_t carry = 0;
        for (unsigned j = 0; i + j < NW; j++) {
            uint64_t t = (uint64_t)a->w[i] * b->w[j] + r.w[i + j] + carry;
            r.w[i + j] = (uint32_t)t;
            carry = t >> 32;
        }
    }
    return r;
}

/* q = n / d, r = n mod d for d != 0: restoring division, one quotient bit per step. */
static void b_divmod(const big *n, const big *d, big *q, big *r)
{
    *q = b_zero();
    *r = b_zero();
    for (unsigned i = b_bitlen(n); i-- > 0;) {
        for (unsigned k = NW; k-- > 1;) /* r = 2 r + bit i of n */
            r->w[k] = (r->w[k] << 1) | (r->w[k - 1] >> 31);
        r->w[0] = (r->w[0] << 1) | b_bit(n, i);
        if (b_cmp(r, d) >= 0) {
            b_sub(r, d);
            b_setbit(q, i);
        }
    }
}

/* ---- two's complement views for the signed references ---- */

static int s_neg(tsr_i128 a)
{
    return (int)(a.hi >> 63);
}

/* |a| as an unsigned value (2^127 for the minimum) */
static tsr_u128 s_mag(tsr_i128 a)
{
    if (!s_neg(a))
        return tsr_u128_make(a.hi, a.lo);
    uint64_t lo = ~a.lo + 1, hi = ~a.hi + (lo == 0);
    return tsr_u128_make(hi, lo);
}

/* -m mod 2^128 as bits */
static tsr_i128 s_negate(tsr_u128 m)
{
    uint64_t lo = ~m.lo + 1, hi = ~m.hi + (lo == 0);
    return tsr_i128_make(hi, lo);
}

/* ---- references for the library's operations ---- */

/* floor(a 2^f / b) in 128 bits: TSR_EDIVZERO, TSR_EOVERFLOW or TSR_OK with *q. */
static int ref_udiv(tsr_u128 a, tsr_u128 b, unsigned f, tsr_u128 *q)
{
    big n, d = b_u128(b), qq, rr;
    if ((b.hi | b.lo) == 0)
        return TSR_EDIVZERO;
    n = b_u128(a);
    n = b_shl(&n, f);
    b_divmod(&n, &d, &qq, &rr);
    if (b_bitlen(&qq) > 128)
        return TSR_EOVERFLOW;
    *q = b_low128(&qq);
    return TSR_OK;
}

/* trunc(a 2^f / b) in 128 bits signed: magnitudes, then the sign; the negative range reaches
 * 2^127 in magnitude, the positive stops below it. */
static int ref_sdiv(tsr_i128 a, tsr_i128 b, unsigned f, tsr_i128 *q)
{
    big n, d, qq, rr;
    if ((b.hi | b.lo) == 0)
        return TSR_EDIVZERO;
    int neg = s_neg(a) != s_neg(b);
    n = b_u128(s_mag(a));
    n = b_shl(&n, f);
    d = b_u128(s_mag(b));
    b_divmod(&n, &d, &qq, &rr);
    big lim = b_words(0, 1, 0, 0); /* 2^128 */
    lim = b_shr(&lim, 1);          /* 2^127 */
    int c = b_cmp(&qq, &lim);
    if (c > 0 || (c == 0 && !neg))
        return TSR_EOVERFLOW;
    tsr_u128 m = b_low128(&qq);
    *q = neg ? s_negate(m) : tsr_i128_make(m.hi, m.lo);
    return TSR_OK;
}

/* fixed64_to_fixed32(I64F64 safe_div(v, sum)), transcribed: the safe_div quotient (0 on a zero
 * divisor or an overflow), then floor division by 2^32 (an arithmetic shift), saturated to the
 * int64 range. */
static int64_t ref_share(tsr_i128 v, tsr_i128 sum)
{
    tsr_i128 q = tsr_i128_make(0, 0);
    if (ref_sdiv(v, sum, 64, &q) != TSR_OK)
        q = tsr_i128_make(0, 0);
    uint64_t sign = s_neg(q) ? M64 : 0;
    uint64_t lo = (q.lo >> 32) | (q.hi << 32), hi = (q.hi >> 32) | (sign << 32);
    if (hi != ((lo >> 63) ? M64 : 0))
        return sign ? INT64_MIN : INT64_MAX;
    return (lo >> 63) ? -(int64_t)(~lo) - 1 : (int64_t)lo;
}

/* ================================ operand generators ========================================= */

#define HEX128(x) (x).hi, (x).lo
#define FMT128    "%016" PRIx64 "%016" PRIx64

/* The bit lengths where the division paths change: words, half words, the f shifts. */
static const unsigned edge_len[] = {1, 2, 31, 32, 33, 63, 64, 65, 95, 96, 97, 126, 127, 128};
#define N_EDGE_LEN (sizeof edge_len / sizeof edge_len[0])

/* A bit length in [lo, hi]: an edge length half of the time when one is in range. */
static unsigned gen_len(uint64_t *st, unsigned lo, unsigned hi)
{
    if (rt_next(st) % 2) {
        unsigned e = edge_len[rt_next(st) % N_EDGE_LEN];
        if (e >= lo && e <= hi)
            return e;
    }
    return lo + (unsigned)(rt_next(st) % (hi - lo + 1));
}

/* A value of exactly `len` bits (0 for len 0) below 2^256: the top bit set and the bits below
 * random, all ones or all zeros (the carry and borrow extremes). */
static big gen_big(uint64_t *st, unsigned len)
{
    big a = b_zero();
    unsigned kind = (unsigned)(rt_next(st) % 8);
    if (len == 0)
        return a;
    for (unsigned i = 0; i + 1 < len; i++)
        if (kind == 0 || (kind != 1 && (rt_next(st) & 1)))
            b_setbit(&a, i);
    b_setbit(&a, len - 1);
    return a;
}

static tsr_u128 gen128(uint64_t *st, unsigned len)
{
    big a = gen_big(st, len);
    return b_low128(&a);
}

/* A value below b (b != 0): random bit length up to b's, reduced below b. */
static big gen_below(uint64_t *st, const big *b)
{
    big a = gen_big(st, (unsigned)(rt_next(st) % (b_bitlen(b) + 1)));
    if (b_cmp(&a, b) >= 0) {
        big q, r;
        b_divmod(&a, b, &q, &r);
        a = r;
    }
    return a;
}

/* ================================ the reference itself ======================================= */

/* Values worked out by hand, so that a broken reference cannot make the sweeps pass. */
START_TEST(test_reference_sane)
{
    big n = b_u64(100), d = b_u64(7), q, r;
    b_divmod(&n, &d, &q, &r);
    ck_assert_uint_eq(b_w64(&q, 0), 14);
    ck_assert_uint_eq(b_w64(&r, 0), 2);
    /* 2^128 = 3 * 0x5555...5 (128 bits) + 1 */
    n = b_words(0, 1, 0, 0);
    d = b_u64(3);
    b_divmod(&n, &d, &q, &r);
    ck_assert_uint_eq(b_w64(&q, 1), UINT64_C(0x5555555555555555));
    ck_assert_uint_eq(b_w64(&q, 0), UINT64_C(0x5555555555555555));
    ck_assert_uint_eq(b_w64(&r, 0), 1);
    /* (2^256 - 1) / (2^128 - 1) = 2^128 + 1 exactly */
    n = b_words(M64, M64, M64, M64);
    d = b_words(0, 0, M64, M64);
    b_divmod(&n, &d, &q, &r);
    ck_assert(b_w64(&q, 2) == 1 && b_w64(&q, 1) == 0 && b_w64(&q, 0) == 1 && b_bitlen(&r) == 0);
    /* (2^64 - 1)^2 = 2^128 - 2^65 + 1 */
    n = b_u64(M64);
    q = b_mul(&n, &n);
    ck_assert(b_w64(&q, 1) == M64 - 1 && b_w64(&q, 0) == 1 && b_w64(&q, 2) == 0);
    /* shifts, bit length, the signed views */
    n = b_u64(5);
    n = b_shl(&n, 200);
    ck_assert_uint_eq(b_bitlen(&n), 203);
    n = b_shr(&n, 199);
    ck_assert_uint_eq(b_w64(&n, 0), 10);
    ck_assert(tsr_u128_eq(s_mag(tsr_i128_make(M64, M64 - 4)), tsr_u128_make(0, 5)));
    ck_assert(tsr_u128_eq(s_mag(tsr_i128_min()), tsr_u128_make((uint64_t)1 << 63, 0)));
    /* share: 1/3 of 2^32 floors to 1431655765; -1/3 gives -1431655766 (floor of the negative) */
    ck_assert_int_eq(ref_share(tsr_i128_from_i64(1), tsr_i128_from_i64(3)), 1431655765);
    ck_assert_int_eq(ref_share(tsr_i128_from_i64(-1), tsr_i128_from_i64(3)), -1431655766);
    ck_assert_int_eq(ref_share(tsr_i128_from_i64(5), tsr_i128_from_i64(0)), 0);
    /* 2^62 / 1 = 2^126 as I64F64 raw, floor 2^94 as I32F32: saturates */
    ck_assert_int_eq(ref_share(tsr_i128_from_i64(INT64_C(1) << 62), tsr_i128_from_i64(1)),
                     INT64_MAX);
}
END_TEST

/* ================================ 128/64 division ============================================ */

static void check_div64(uint64_t hi, uint64_t lo, uint64_t d, mismatch *m)
{
    big n = b_words(0, 0, hi, lo), dd = b_u64(d), q, r;
    uint64_t rem = 0;
    b_divmod(&n, &dd, &q, &r);
    uint64_t got = tsr_u128_div64(hi, lo, d, &rem);
    if (b_bitlen(&q) > 64 || got != b_w64(&q, 0) || rem != b_w64(&r, 0))
        MISMATCH(m, "div64 %016" PRIx64 "%016" PRIx64 " / %016" PRIx64, hi, lo, d);
}

START_TEST(test_div64)
{
    mismatch m = {0, ""};
    uint64_t st = UINT64_C(0xd1f0001);
    static const uint64_t ed[] = {1,
                                  2,
                                  3,
                                  UINT64_C(0xffffffff),
                                  UINT64_C(0x100000000),
                                  UINT64_C(0x100000001),
                                  (uint64_t)1 << 63,
                                  ((uint64_t)1 << 63) + 1,
                                  M64 - 1,
                                  M64};
    for (size_t i = 0; i < sizeof ed / sizeof ed[0]; i++) {
        uint64_t d = ed[i];
        check_div64(0, 0, d, &m);
        check_div64(0, M64, d, &m);
        check_div64(d - 1, M64, d, &m); /* quotient 2^64 - 1, remainder d - 1 */
        check_div64(d - 1, 0, d, &m);
        check_div64(d >> 1, d, d, &m);
    }
    for (int i = 0; i < 200000; i++) {
        big d = gen_big(&st, gen_len(&st, 1, 64));
        big hi = gen_below(&st, &d);
        check_div64(b_w64(&hi, 0), rt_next(&st) >> (rt_next(&st) % 64), b_w64(&d, 0), &m);
    }
    ck_no_mismatch(&m, "tsr_u128_div64");
}
END_TEST

/* ================================ 128- and 256-bit division ================================== */

static void check_u128_divmod(tsr_u128 n, tsr_u128 d, mismatch *m)
{
    big bn = b_u128(n), bd = b_u128(d), q, r;
    b_divmod(&bn, &bd, &q, &r);
    tsr_u128 wq = b_low128(&q), wr = b_low128(&r);
    tsr_u128 gq = {7, 7}, gr = {7, 7}, q1 = {7, 7}, r1 = {7, 7};
    int rc = tsr_u128_divmod(n, d, &gq, &gr);
    rc |= tsr_u128_divmod(n, d, &q1, NULL);
    rc |= tsr_u128_divmod(n, d, NULL, &r1);
    if (rc != TSR_OK || !tsr_u128_eq(gq, wq) || !tsr_u128_eq(gr, wr) || !tsr_u128_eq(q1, wq) ||
        !tsr_u128_eq(r1, wr))
        MISMATCH(m, "u128 " FMT128 " / " FMT128 ": q " FMT128 " want " FMT128, HEX128(n), HEX128(d),
                 HEX128(gq), HEX128(wq));
}

/* n = q d + r when that fits nbits bits (else a random n): the quotient and remainder chosen,
 * q of a random length up to the room left, r in {0, 1, d - 1, random below d}. */
static big gen_qdr(uint64_t *st, const big *d, unsigned nbits)
{
    unsigned room = nbits > b_bitlen(d) ? nbits - b_bitlen(d) + 1 : 1;
    big q = gen_big(st, (unsigned)(rt_next(st) % (room + 1))), r, one = b_u64(1);
    switch (rt_next(st) % 4) {
    case 0:
        r = b_zero();
        break;
    case 1:
        r = one;
        break;
    case 2:
        r = *d;
        b_sub(&r, &one);
        break;
    default:
        r = gen_below(st, d);
    }
    big n = b_mul(&q, d);
    b_add(&n, &r);
    if (b_bitlen(&n) > nbits || b_cmp(&r, d) >= 0)
        return gen_big(st, nbits);
    return n;
}

START_TEST(test_u128_divmod)
{
    mismatch m = {0, ""};
    uint64_t st = UINT64_C(0xd1f0002);
    tsr_u128 q, r;
    ck_assert_int_eq(tsr_u128_divmod(tsr_u128_from_u64(1), tsr_u128_make(0, 0), &q, &r),
                     TSR_EDIVZERO);
    /* edges: every divisor length with n = 0, 1, d - 1, d, d + 1, 2^128 - 1, and the quotient
     * 2^64 - 1 / 2^64 boundaries of a one-word divisor */
    for (unsigned len = 1; len <= 128; len++)
        for (int k = 0; k < 3; k++) {
            big bd = gen_big(&st, len), one = b_u64(1), t;
            tsr_u128 d = b_low128(&bd);
            check_u128_divmod(tsr_u128_make(0, 0), d, &m);
            check_u128_divmod(tsr_u128_from_u64(1), d, &m);
            check_u128_divmod(d, d, &m);
            check_u128_divmod(tsr_u128_max(), d, &m);
            t = bd;
            b_sub(&t, &one);
            check_u128_divmod(b_low128(&t), d, &m);
            t = bd;
            b_add(&t, &one);
            check_u128_divmod(b_low128(&t), d, &m);
            if (len <= 64) {
                check_u128_divmod(tsr_u128_make(d.lo - 1, M64), d, &m); /* q = 2^64 - 1 */
                check_u128_divmod(tsr_u128_make(d.lo, 0), d, &m);       /* q = 2^64 */
            }
        }
    for (int i = 0; i < 250000; i++) {
        big bd = gen_big(&st, gen_len(&st, 1, 128));
        big bn = (i % 2) ? gen_qdr(&st, &bd, 128) : gen_big(&st, gen_len(&st, 0, 128));
        check_u128_divmod(b_low128(&bn), b_low128(&bd), &m);
    }
    ck_no_mismatch(&m, "tsr_u128_divmod");
}
END_TEST

static void check_u256_divmod(const big *n, tsr_u128 d, mismatch *m)
{
    big bd = b_u128(d), q, r;
    b_divmod(n, &bd, &q, &r);
    tsr_u256 nn = {{b_w64(n, 0), b_w64(n, 1), b_w64(n, 2), b_w64(n, 3)}};
    tsr_u256 gq = {{7, 7, 7, 7}}, q1 = {{7, 7, 7, 7}};
    tsr_u128 gr = {7, 7}, r1 = {7, 7};
    int rc = tsr_u256_divmod_u128(nn, d, &gq, &gr);
    rc |= tsr_u256_divmod_u128(nn, d, &q1, NULL);
    rc |= tsr_u256_divmod_u128(nn, d, NULL, &r1);
    int bad = rc != TSR_OK || !tsr_u128_eq(gr, b_low128(&r)) || !tsr_u128_eq(r1, gr);
    for (unsigned k = 0; k < 4; k++)
        bad |= gq.w[k] != b_w64(&q, k) || q1.w[k] != gq.w[k];
    if (bad)
        MISMATCH(m, "u256 %016" PRIx64 "%016" PRIx64 "%016" PRIx64 "%016" PRIx64 " / " FMT128,
                 nn.w[3], nn.w[2], nn.w[1], nn.w[0], HEX128(d));
}

START_TEST(test_u256_divmod)
{
    mismatch m = {0, ""};
    uint64_t st = UINT64_C(0xd1f0003);
    for (int i = 0; i < 120000; i++) {
        big bd = gen_big(&st, gen_len(&st, 1, 128));
        big bn =
            (i % 2) ? gen_qdr(&st, &bd, 256) : gen_big(&st, 129 + (unsigned)(rt_next(&st) % 128));
        if (i % 16 == 0) { /* a quotient of all-ones digits: trial quotients of 2^64 and more */
            big q = b_words(0, 0, M64, M64), one = b_u64(1);
            bn = b_mul(&q, &bd);
            b_add(&bn, &bd);
            b_sub(&bn, &one); /* (2^128 - 1) d + d - 1 */
        }
        check_u256_divmod(&bn, b_low128(&bd), &m);
    }
    ck_no_mismatch(&m, "tsr_u256_divmod_u128");
}
END_TEST

/* ================================ fixed-point division ======================================= */

static void check_udiv(tsr_u128 a, tsr_u128 b, mismatch *m)
{
    const tsr_u128 sentinel = {0x5e, 0x5e};
    for (unsigned f = 32; f <= 64; f += 32) {
        tsr_u128 want = sentinel, got, safe;
        int wrc = ref_udiv(a, b, f, &want), rc;
        if (f == 64) {
            tsr_u64f64 x = {a}, y = {b}, o = {sentinel};
            rc = tsr_u64f64_checked_div(x, y, &o);
            got = o.raw;
            safe = tsr_u64f64_safe_div(x, y).raw;
        } else {
            tsr_u96f32 x = {a}, y = {b}, o = {sentinel};
            rc = tsr_u96f32_checked_div(x, y, &o);
            got = o.raw;
            safe = tsr_u96f32_safe_div(x, y).raw;
        }
        if (rc != wrc || !tsr_u128_eq(got, want) ||
            !tsr_u128_eq(safe, wrc ? tsr_u128_make(0, 0) : want))
            MISMATCH(m, "udiv f=%u " FMT128 " / " FMT128 ": rc %d want %d", f, HEX128(a), HEX128(b),
                     rc, wrc);
    }
}

static void check_sdiv(tsr_i128 a, tsr_i128 b, mismatch *m)
{
    const tsr_i128 sentinel = {0x5e, 0x5e};
    for (unsigned f = 32; f <= 64; f += 32) {
        tsr_i128 want = sentinel, got, safe;
        int wrc = ref_sdiv(a, b, f, &want), rc;
        if (f == 64) {
            tsr_i64f64 x = {a}, y = {b}, o = {sentinel};
            rc = tsr_i64f64_checked_div(x, y, &o);
            got = o.raw;
            safe = tsr_i64f64_safe_div(x, y).raw;
        } else {
            tsr_i96f32 x = {a}, y = {b}, o = {sentinel};
            rc = tsr_i96f32_checked_div(x, y, &o);
            got = o.raw;
            safe = tsr_i96f32_safe_div(x, y).raw;
        }
        if (rc != wrc || !tsr_i128_eq(got, want) ||
            !tsr_i128_eq(safe, wrc ? tsr_i128_make(0, 0) : want))
            MISMATCH(m, "sdiv f=%u " FMT128 " / " FMT128 ": rc %d want %d", f, HEX128(a), HEX128(b),
                     rc, wrc);
    }
}

/* A divisor for the fixed-point sweeps: any length, or integer-valued (low f bits zero), which
 * the kernels divide without the shift. */
static tsr_u128 gen_divisor(uint64_t *st)
{
    tsr_u128 b = gen128(st, gen_len(st, 0, 128));
    switch (rt_next(st) % 4) {
    case 0:
        return tsr_u128_make(b.hi, 0);
    case 1:
        return tsr_u128_make(b.hi, b.lo & ~(uint64_t)0xffffffff);
    default:
        return b;
    }
}

START_TEST(test_fixed_div)
{
    mismatch m = {0, ""};
    uint64_t st = UINT64_C(0xd1f0004);
    static const tsr_u128 ed[] = {{0, 0},
                                  {0, 1},
                                  {0, 0xffffffff},
                                  {0, UINT64_C(0x100000000)},
                                  {0, M64},
                                  {1, 0},
                                  {1, 1},
                                  {UINT64_C(0xffffffff), M64},
                                  {UINT64_C(0x100000000), 0},
                                  {(uint64_t)1 << 62, 0},
                                  {M64 >> 1, M64},
                                  {(uint64_t)1 << 63, 0},
                                  {M64, M64}};
    const size_t ne = sizeof ed / sizeof ed[0];
    for (size_t i = 0; i < ne; i++)
        for (size_t j = 0; j < ne; j++) {
            check_udiv(ed[i], ed[j], &m);
            check_sdiv(tsr_i128_make(ed[i].hi, ed[i].lo), tsr_i128_make(ed[j].hi, ed[j].lo), &m);
        }
    for (int i = 0; i < 60000; i++) {
        tsr_u128 a = gen128(&st, gen_len(&st, 0, 128)), b = gen_divisor(&st);
        if (i % 4 == 0 && b.hi >> 32 == 0) {
            /* the overflow boundary: a 2^f / b reaches 2^128 at a = b 2^(128 - f) */
            unsigned f = (b.hi == 0 && i % 8) ? 64 : 32;
            a = tsr_u128_shl(b, 128 - f);
            if (i % 3 == 0)
                a = tsr_u128_sub(a, tsr_u128_from_u64(1));
        }
        check_udiv(a, b, &m);
        check_sdiv(tsr_i128_make(a.hi, a.lo), tsr_i128_make(b.hi, b.lo), &m);
        check_sdiv(s_negate(a), tsr_i128_make(b.hi, b.lo), &m);
    }
    ck_no_mismatch(&m, "fixed-point division");
}
END_TEST

/* ================================ the stake share ============================================ */

static void check_share(tsr_i128 v, tsr_i128 sum, mismatch *m)
{
    int64_t want = ref_share(v, sum), got = tsr__yuma_stake_share(v, sum);
    if (got != want)
        MISMATCH(m, "share " FMT128 " / " FMT128 ": %" PRId64 " want %" PRId64, HEX128(v),
                 HEX128(sum), got, want);
}

/* For 0 <= v <= sum the chain's nested floors are floor(v 2^32 / sum), at most 2^32: the
 * identity the fast path rests on, checked here on the reference. */
static void check_share_identity(const big *v, const big *sum, mismatch *m)
{
    big n = b_shl(v, 32), q, r;
    b_divmod(&n, sum, &q, &r);
    tsr_u128 vv = b_low128(v), ss = b_low128(sum);
    int64_t want = ref_share(tsr_i128_make(vv.hi, vv.lo), tsr_i128_make(ss.hi, ss.lo));
    if (b_bitlen(&q) > 33 || (int64_t)b_w64(&q, 0) != want)
        MISMATCH(m, "share identity " FMT128 " / " FMT128, HEX128(vv), HEX128(ss));
}

static void check_share_big(const big *v, const big *sum, mismatch *m)
{
    tsr_u128 vv = b_low128(v), ss = b_low128(sum);
    check_share(tsr_i128_make(vv.hi, vv.lo), tsr_i128_make(ss.hi, ss.lo), m);
    if (b_cmp(v, sum) <= 0)
        check_share_identity(v, sum, m);
}

START_TEST(test_stake_share)
{
    mismatch m = {0, ""};
    uint64_t st = UINT64_C(0xd1f0005);
    big one = b_u64(1);
    for (int i = 0; i < 150000; i++) {
        /* sum: a non-negative I64F64 raw (real stakes are ~2^107, sums ~2^112) */
        big sum = gen_big(&st, gen_len(&st, 1, 127)), v;
        switch (i % 8) {
        case 0:
            v = sum; /* the share 2^32 (1.0) */
            break;
        case 1:
            v = one;
            break;
        case 2:
            v = sum;
            b_sub(&v, &one);
            break;
        case 3:
        case 4: {
            /* the smallest v with share k, v_k = ceil(k sum / 2^32), and v_k - 1 (share k - 1):
             * v 2^32 just below a multiple of sum, where the estimate is one too large */
            big k = gen_big(&st, 1 + (unsigned)(rt_next(&st) % 32)), t, lo32 = b_u64(0xffffffff);
            if (i % 64 == 3)
                k = b_u64(UINT64_C(0x100000000));
            t = b_mul(&k, &sum);
            b_add(&t, &lo32);
            v = b_shr(&t, 32);
            if (i % 8 == 4 && b_bitlen(&v) > 0)
                b_sub(&v, &one);
            break;
        }
        default:
            v = gen_below(&st, &sum);
        }
        check_share_big(&v, &sum, &m);
    }
    /* outside the fast path: v > sum, negative v or sum (a wrapped sum), zero */
    for (int i = 0; i < 30000; i++) {
        tsr_u128 a = gen128(&st, gen_len(&st, 0, 128)), b = gen128(&st, gen_len(&st, 0, 128));
        check_share(tsr_i128_make(a.hi, a.lo), tsr_i128_make(b.hi, b.lo), &m);
        check_share(s_negate(a), tsr_i128_make(b.hi, b.lo), &m);
    }
    check_share(tsr_i128_from_i64(5), tsr_i128_make(0, 0), &m);
    check_share(tsr_i128_max(), tsr_i128_max(), &m);
    check_share(tsr_i128_min(), tsr_i128_min(), &m);
    ck_no_mismatch(&m, "stake share");
}
END_TEST

Suite *suite_div(void)
{
    Suite *s = suite_create("div");
    TCase *tc = tcase_create("reference");
    tcase_add_test(tc, test_reference_sane);
    tcase_add_test(tc, test_div64);
    tcase_add_test(tc, test_u128_divmod);
    tcase_add_test(tc, test_u256_divmod);
    tcase_add_test(tc, test_fixed_div);
    tcase_add_test(tc, test_stake_share);
    tcase_set_timeout(tc, 300);
    suite_add_tcase(s, tc);
    return s;
}
