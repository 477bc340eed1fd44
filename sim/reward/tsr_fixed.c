/* tsr_fixed.c: fixed-point arithmetic with substrate-fixed v0.6.0 semantics (tsr_fixed.h).
 *
 * The 128-bit types share four generic kernels (signed/unsigned multiply and divide with f
 * fractional bits) built on tsr_int.h; multiplication works on magnitudes and rounds a negative
 * product toward -inf (so it equals an arithmetic shift of the two's complement product),
 * division truncates toward zero. The types all use the full 128-bit raw range, so overflow
 * means "does not fit 128 bits signed/unsigned". I32F32 has its own short paths on int64_t.
 *
 * Fast paths (same results, checked against full-width references in test_fastpath.c): a
 * product of two non-negative operands below 2^64 is one 64 x 64 multiply, a product with one
 * magnitude below 2^64 two of them (the exact 256-bit product either way, shifted on words for
 * the 32 and 64 fractional bits in use); a quotient whose
 * divisor has its low f bits zero, or whose shifted numerator fits 128 bits, is one 128-bit
 * division; log2 works on 64-bit words after its O(1) halving count.
 */
#include "tsr_fixed.h"
#include "tsr_err.h"

#include <stddef.h>

/* ================================ generic kernels ============================================ */

static tsr_u256 u256_inc(tsr_u256 a)
{
    for (size_t i = 0; i < 4; i++) {
        a.w[i]++;
        if (a.w[i] != 0)
            break;
    }
    return a;
}

/* Signed magnitude m (u128) with sign neg -> i128; 0 if it fits, 1 otherwise (*out saturated).
 * It fits when m < 2^127, or m == 2^127 with neg (the minimum). */
static inline int s_from_mag128(tsr_u128 m, int neg, tsr_i128 *out)
{
    if (m.hi >> 63) {
        int is_min = neg && m.hi == ((uint64_t)1 << 63) && m.lo == 0;
        *out = neg ? tsr_i128_min() : tsr_i128_max();
        return !is_min;
    }
    tsr_i128 v = tsr_i128_from_bits(m);
    *out = neg ? tsr_i128_neg(v) : v;
    return 0;
}

/* The same for a 256-bit magnitude. */
static int s_from_mag(tsr_u256 q, int neg, tsr_i128 *out)
{
    if (!tsr_u256_fits_u128(q)) {
        *out = neg ? tsr_i128_min() : tsr_i128_max();
        return 1;
    }
    return s_from_mag128(tsr_u256_low128(q), neg, out);
}

/* Exact 256-bit product of two magnitudes: two 64 x 64 multiplies when one of them fits 64 bits
** (the common case of a large value times a fraction), four otherwise. */
static tsr_u256 mag_product(tsr_u128 a, tsr_u128 b)
{
    if (a.hi != 0 && b.hi != 0)
        return tsr_u128_mul_full(a, b);
    uint64_t x = a.hi == 0 ? a.lo : b.lo;
    tsr_u128 y = a.hi == 0 ? b : a;
    tsr_u128 lo = tsr_u128_mul64(x, y.lo), hi = tsr_u128_mul64(x, y.hi);
    /* x * y.hi + a carry word < 2^128: (2^64 - 1)^2 + 2^64 - 1 < 2^128 */
    tsr_u128 mid = tsr_u128_add(hi, tsr_u128_from_u64(lo.hi));
    tsr_u256 p;
    p.w[0] = lo.lo, p.w[1] = mid.lo, p.w[2] = mid.hi, p.w[3] = 0;
    return p;
}

/* p >> f on words for the scales in use (32, 64); tsr_u256_shr otherwise. */
static tsr_u256 shr_product(tsr_u256 p, unsigned f)
{
    if (f != 32 && f != 64)
        return tsr_u256_shr(p, f);
    tsr_u256 q;
    if (f == 64) {
        q.w[0] = p.w[1], q.w[1] = p.w[2], q.w[2] = p.w[3], q.w[3] = 0;
    } else {
        q.w[0] = (p.w[1] << 32) | (p.w[0] >> 32);
        q.w[1] = (p.w[2] << 32) | (p.w[1] >> 32);
        q.w[2] = (p.w[3] << 32) | (p.w[2] >> 32);
        q.w[3] = p.w[3] >> 32;
    }
    return q;
}

/* 1 when any of the low f bits of p is set. */
static int product_low_bits(tsr_u256 p, unsigned f)
{
    if (f == 64)
        return p.w[0] != 0;
    if (f == 32)
        return (p.w[0] << 32) != 0;
    return tsr_u256_low_bits_nonzero(p, f);
}

/* floor(a * b / 2^f) for f in {32, 64}; returns 1 on overflow with *out saturated. */
static int smul(tsr_i128 a, tsr_i128 b, unsigned f, tsr_i128 *out)
{
    if ((a.hi | b.hi) == 0) {
        /* Both non-negative and below 2^64 (the common case: log2, emission, shares): the
         * product fits 128 bits and, shifted by f >= 32, is below 2^96, so it always fits. */
        *out = tsr_i128_from_bits(tsr_u128_shr(tsr_u128_mul64(a.lo, b.lo), f));
        return 0;
    }
    int neg = tsr_i128_is_neg(a) != tsr_i128_is_neg(b);
    tsr_u128 ma = tsr_i128_abs(a), mb = tsr_i128_abs(b);
    if ((ma.hi | mb.hi) == 0) {
        /* Both magnitudes fit 64 bits, so the product fits 128. */
        tsr_u128 p = tsr_u128_mul64(ma.lo, mb.lo);
        tsr_u128 q = tsr_u128_shr(p, f);
        /* floor of a negative value = -(ceil of its magnitude). */
        if (neg && !tsr_u128_eq(tsr_u128_shl(q, f), p))
            q = tsr_u128_add(q, tsr_u128_from_u64(1));
        return s_from_mag128(q, neg, out);
    }
    tsr_u256 p = mag_product(ma, mb);
    tsr_u256 q = shr_product(p, f);
    if (neg && product_low_bits(p, f))
        q = u256_inc(q);
    return s_from_mag(q, neg, out);
}

/* 1 when the low f bits (1 <= f <= 64) of m are all zero. */
static inline int low_bits_zero(tsr_u128 m, unsigned f)
{
    return (f == 64 ? m.lo : m.lo << (64 - f)) == 0;
}

/* 1 when m << f (1 <= f <= 64) still fits 128 bits. */
static inline int shl_fits128(tsr_u128 m, unsigned f)
{
    return f == 64 ? m.hi == 0 : (m.hi >> (64 - f)) == 0;
}

/* n / d for d != 0. Natively inline (tsr__u128_divrem_native): the kernels' divisions (prices,
 * shares, coinbase ratios) are one 128/64 machine division, plus a one-step correction for a
 * divisor above 2^64, and the quotient stays in registers. */
static inline tsr_u128 div128(tsr_u128 n, tsr_u128 d)
{
#if TSR_NATIVE_INT128
    tsr_u128 rem;
    return tsr__u128_divrem_native(n, d, &rem);
#else
    tsr_u128 q = tsr_u128_make(0, 0);
    (void)tsr_u128_divmod(n, d, &q, NULL);
    return q;
#endif
}

/* floor((m << f) / d), d != 0, in 128-bit arithmetic when that is exact; returns 0 when it is
 * not (the caller then takes the 256-bit path). Two cases cover nearly every call: a divisor
 * whose low f bits are zero (an integer-valued raw, d = d' 2^f) gives (m 2^f) / (d' 2^f) = m / d'
 * with no shift at all; a numerator with m << f below 2^128 needs one 128-bit division (div128). */
static int div_shifted128(tsr_u128 m, tsr_u128 d, unsigned f, tsr_u128 *q)
{
    tsr_u128 n = m;
    if (low_bits_zero(d, f))
        d = tsr_u128_shr(d, f);
    else if (shl_fits128(m, f))
        n = tsr_u128_shl(m, f);
    else
        return 0;
    *q = div128(n, d); /* one call site, so that it is inlined */
    return 1;
}

/* trunc((a << f) / b); TSR_EDIVZERO, TSR_EOVERFLOW (*out untouched) or TSR_OK. */
static int sdiv(tsr_i128 a, tsr_i128 b, unsigned f, tsr_i128 *out)
{
    tsr_i128 v;
    tsr_u128 q128;
    if (tsr_i128_is_zero(b))
        return TSR_EDIVZERO;
    int neg = tsr_i128_is_neg(a) != tsr_i128_is_neg(b);
    tsr_u128 ma = tsr_i128_abs(a), mb = tsr_i128_abs(b);
    if (div_shifted128(ma, mb, f, &q128)) {
        if (s_from_mag128(q128, neg, &v))
            return TSR_EOVERFLOW;
    } else {
        tsr_u256 q;
        (void)tsr_u256_divmod_u128(tsr_u256_shl(tsr_u256_from_u128(ma), f), mb, &q, NULL);
        if (s_from_mag(q, neg, &v))
            return TSR_EOVERFLOW;
    }
    *out = v;
    return TSR_OK;
}

/* floor(a * b / 2^f) unsigned; returns 1 on overflow with *out saturated. */
static int umul(tsr_u128 a, tsr_u128 b, unsigned f, tsr_u128 *out)
{
    if ((a.hi | b.hi) == 0) {
        *out = tsr_u128_shr(tsr_u128_mul64(a.lo, b.lo), f);
        return 0;
    }
    tsr_u256 q = shr_product(mag_product(a, b), f);
    if (!tsr_u256_fits_u128(q)) {
        *out = tsr_u128_max();
        return 1;
    }
    *out = tsr_u256_low128(q);
    return 0;
}

static int udiv(tsr_u128 a, tsr_u128 b, unsigned f, tsr_u128 *out)
{
    tsr_u256 q;
    if (tsr_u128_is_zero(b))
        return TSR_EDIVZERO;
    if (div_shifted128(a, b, f, out))
        return TSR_OK; /* a quotient computed in 128 bits cannot overflow */
    (void)tsr_u256_divmod_u128(tsr_u256_shl(tsr_u256_from_u128(a), f), b, &q, NULL);
    if (!tsr_u256_fits_u128(q))
        return TSR_EOVERFLOW;
    *out = tsr_u256_low128(q);
    return TSR_OK;
}

static tsr_i128 s_sat_add(tsr_i128 a, tsr_i128 b)
{
    tsr_i128 r;
    if (tsr_i128_add_ovf(a, b, &r))
        return tsr_i128_is_neg(a) ? tsr_i128_min() : tsr_i128_max();
    return r;
}

static tsr_i128 s_sat_sub(tsr_i128 a, tsr_i128 b)
{
    tsr_i128 r;
    if (tsr_i128_sub_ovf(a, b, &r))
        return tsr_i128_is_neg(a) ? tsr_i128_min() : tsr_i128_max();
    return r;
}

/* Floor of a signed 128-bit raw value with f fractional bits, as an unsigned 64-bit integer:
 * negative -> 0, too large -> UINT64_MAX. */
static uint64_t s_to_u64(tsr_i128 raw, unsigned f)
{
    if (tsr_i128_is_neg(raw))
        return 0;
    tsr_u128 v = tsr_u128_shr(tsr_i128_bits(raw), f);
    return v.hi ? UINT64_MAX : v.lo;
}

static uint64_t u_to_u64(tsr_u128 raw, unsigned f)
{
    tsr_u128 v = tsr_u128_shr(raw, f);
    return v.hi ? UINT64_MAX : v.lo;
}

/* ================================ IEEE-754 bit patterns ====================================== */

/* Decode an IEEE-754 value into sign, integer mantissa m and exponent e (value = m * 2^e).
 * TSR_EINVAL for NaN and infinities. */
static int decode_ieee(uint64_t bits, unsigned exp_bits, unsigned man_bits, int *neg, uint64_t *m,
                       int *e)
{
    uint64_t exp_mask = ((uint64_t)1 << exp_bits) - 1;
    uint64_t field = (bits >> man_bits) & exp_mask;
    uint64_t frac = bits & (((uint64_t)1 << man_bits) - 1);
    int bias = (int)(exp_mask >> 1);
    *neg = (int)((bits >> (man_bits + exp_bits)) & 1u);
    if (field == exp_mask)
        return TSR_EINVAL;
    if (field == 0) {
        *m = frac; /* subnormal */
        *e = 1 - bias - (int)man_bits;
    } else {
        *m = frac | ((uint64_t)1 << man_bits);
        *e = (int)field - bias - (int)man_bits;
    }
    return TSR_OK;
}

/* |raw| = round_half_even(m * 2^(e + f)); TSR_EOVERFLOW if it exceeds 128 bits. */
static int scale_rne(uint64_t m, int e, unsigned f, tsr_u128 *mag)
{
    int s = e + (int)f;
    if (m == 0) {
        *mag = tsr_u128_make(0, 0);
        return TSR_OK;
    }
    if (s >= 0) {
        tsr_u128 x = tsr_u128_from_u64(m);
        if (tsr_u128_bitlen(x) + (unsigned)s > 128)
            return TSR_EOVERFLOW;
        *mag = tsr_u128_shl(x, (unsigned)s);
        return TSR_OK;
    }
    unsigned sh = (unsigned)(-s);
    if (sh > 65) {
        /* m < 2^64, so m / 2^sh < 1/4: rounds to 0. */
        *mag = tsr_u128_make(0, 0);
        return TSR_OK;
    }
    tsr_u128 x = tsr_u128_from_u64(m);
    tsr_u128 q = tsr_u128_shr(x, sh);
    tsr_u128 rem = tsr_u128_sub(x, tsr_u128_shl(q, sh));
    tsr_u128 half = tsr_u128_shl(tsr_u128_from_u64(1), sh - 1);
    int c = tsr_u128_cmp(rem, half);
    if (c > 0 || (c == 0 && (q.lo & 1u)))
        q = tsr_u128_add(q, tsr_u128_from_u64(1));
    *mag = q;
    return TSR_OK;
}

/* Float bits -> signed raw with f fractional bits (full i128 range). */
static int float_to_s128(uint64_t bits, int is_f32, unsigned f, tsr_i128 *out)
{
    int neg, e, rc;
    uint64_t m;
    tsr_u128 mag;
    tsr_i128 v;
    rc = is_f32 ? decode_ieee(bits, 8, 23, &neg, &m, &e) : decode_ieee(bits, 11, 52, &neg, &m, &e);
    if (rc)
        return rc;
    rc = scale_rne(m, e, f, &mag);
    if (rc)
        return rc;
    if (s_from_mag(tsr_u256_from_u128(mag), neg, &v))
        return TSR_EOVERFLOW;
    *out = v;
    return TSR_OK;
}

static int float_to_u128(uint64_t bits, unsigned f, tsr_u128 *out)
{
    int neg, e, rc;
    uint64_t m;
    tsr_u128 mag;
    rc = decode_ieee(bits, 11, 52, &neg, &m, &e);
    if (rc)
        return rc;
    rc = scale_rne(m, e, f, &mag);
    if (rc)
        return rc;
    if (neg && !tsr_u128_is_zero(mag))
        return TSR_EOVERFLOW; /* negative into an unsigned type */
    *out = mag;
    return TSR_OK;
}

/* ================================ I32F32 ===================================================== */

/* floor(a / 2^s) for int64 without implementation-defined shifts of negative values. */
static int64_t floor_shr(int64_t a, unsigned s)
{
    if (a >= 0)
        return (int64_t)((uint64_t)a >> s);
    return -(int64_t)((uint64_t)(-(a + 1)) >> s) - 1;
}

tsr_i32f32 tsr_i32f32_from_int(int64_t x)
{
    if (x >= (INT64_C(1) << 31))
        return TSR_I32F32_MAX;
    if (x < -(INT64_C(1) << 31))
        return TSR_I32F32_MIN;
    return x * TSR_I32F32_ONE;
}

tsr_i32f32 tsr_i32f32_from_u64(uint64_t x)
{
    return x >= ((uint64_t)1 << 31) ? TSR_I32F32_MAX : (int64_t)x * TSR_I32F32_ONE;
}

int tsr_i32f32_checked_from_int(int64_t x, tsr_i32f32 *out)
{
    if (x >= (INT64_C(1) << 31) || x < -(INT64_C(1) << 31))
        return TSR_EOVERFLOW;
    *out = x * TSR_I32F32_ONE;
    return TSR_OK;
}

int64_t tsr_i32f32_to_int(tsr_i32f32 a)
{
    return floor_shr(a, 32);
}

uint64_t tsr_i32f32_to_u64(tsr_i32f32 a)
{
    return a < 0 ? 0 : (uint64_t)a >> 32;
}

uint16_t tsr_i32f32_to_u16(tsr_i32f32 a)
{
    uint64_t v = tsr_i32f32_to_u64(a);
    return v > UINT16_MAX ? UINT16_MAX : (uint16_t)v;
}

int tsr_i32f32_checked_add(tsr_i32f32 a, tsr_i32f32 b, tsr_i32f32 *out)
{
    if ((b > 0 && a > INT64_MAX - b) || (b < 0 && a < INT64_MIN - b))
        return TSR_EOVERFLOW;
    *out = a + b;
    return TSR_OK;
}

int tsr_i32f32_checked_sub(tsr_i32f32 a, tsr_i32f32 b, tsr_i32f32 *out)
{
    if ((b < 0 && a > INT64_MAX + b) || (b > 0 && a < INT64_MIN + b))
        return TSR_EOVERFLOW;
    *out = a - b;
    return TSR_OK;
}

tsr_i32f32 tsr_i32f32_sat_add(tsr_i32f32 a, tsr_i32f32 b)
{
    tsr_i32f32 r;
    if (tsr_i32f32_checked_add(a, b, &r))
        return b > 0 ? TSR_I32F32_MAX : TSR_I32F32_MIN;
    return r;
}

tsr_i32f32 tsr_i32f32_sat_sub(tsr_i32f32 a, tsr_i32f32 b)
{
    tsr_i32f32 r;
    if (tsr_i32f32_checked_sub(a, b, &r))
        return b < 0 ? TSR_I32F32_MAX : TSR_I32F32_MIN;
    return r;
}

tsr_i32f32 tsr_i32f32_sat_neg(tsr_i32f32 a)
{
    return a == TSR_I32F32_MIN ? TSR_I32F32_MAX : -a;
}

/* The floored product as an i128 (always fits: |a b| / 2^32 < 2^94). */
static tsr_i128 i32f32_product(tsr_i32f32 a, tsr_i32f32 b)
{
    return tsr_i128_sar(tsr_i128_mul64(a, b), 32);
}

int tsr_i32f32_checked_mul(tsr_i32f32 a, tsr_i32f32 b, tsr_i32f32 *out)
{
    int64_t v;
    if (!tsr_i128_to_i64(i32f32_product(a, b), &v))
        return TSR_EOVERFLOW;
    *out = v;
    return TSR_OK;
}

tsr_i32f32 tsr_i32f32_sat_mul(tsr_i32f32 a, tsr_i32f32 b)
{
    tsr_i32f32 r;
    if (tsr_i32f32_checked_mul(a, b, &r))
        return ((a < 0) != (b < 0)) ? TSR_I32F32_MIN : TSR_I32F32_MAX;
    return r;
}

tsr_i32f32 tsr_i32f32_wrapping_mul(tsr_i32f32 a, tsr_i32f32 b)
{
    uint64_t lo = i32f32_product(a, b).lo;
    /* Reinterpret the low 64 bits as two's complement. */
    return (lo >> 63) ? -(int64_t)(~lo) - 1 : (int64_t)lo;
}

int tsr_i32f32_checked_div(tsr_i32f32 a, tsr_i32f32 b, tsr_i32f32 *out)
{
    tsr_i128 q;
    int64_t v;
    if (b == 0)
        return TSR_EDIVZERO;
    (void)tsr_i128_divmod(tsr_i128_shl(tsr_i128_from_i64(a), 32), tsr_i128_from_i64(b), &q, NULL);
    if (!tsr_i128_to_i64(q, &v))
        return TSR_EOVERFLOW;
    *out = v;
    return TSR_OK;
}

tsr_i32f32 tsr_i32f32_safe_div(tsr_i32f32 a, tsr_i32f32 b)
{
    return tsr_i32f32_safe_div_or(a, b, 0);
}

tsr_i32f32 tsr_i32f32_safe_div_or(tsr_i32f32 a, tsr_i32f32 b, tsr_i32f32 d)
{
    tsr_i32f32 r;
    return tsr_i32f32_checked_div(a, b, &r) ? d : r;
}

tsr_i32f32 tsr_i32f32_sat_div(tsr_i32f32 a, tsr_i32f32 b)
{
    tsr_i32f32 r;
    int rc = tsr_i32f32_checked_div(a, b, &r);
    if (rc == TSR_EDIVZERO)
        return 0;
    if (rc)
        return ((a < 0) != (b < 0)) ? TSR_I32F32_MIN : TSR_I32F32_MAX;
    return r;
}

tsr_i32f32 tsr_i32f32_floor(tsr_i32f32 a)
{
    return floor_shr(a, 32) * TSR_I32F32_ONE;
}

tsr_i32f32 tsr_i32f32_round(tsr_i32f32 a)
{
    const uint64_t half = (uint64_t)1 << 31, frac = ((uint64_t)1 << 32) - 1;
    if (a >= 0) {
        uint64_t t = ((uint64_t)a + half) & ~frac;
        return t > (uint64_t)INT64_MAX ? TSR_I32F32_MAX : (int64_t)t;
    }
    /* Round the magnitude half up, then negate: ties go away from zero. */
    uint64_t m = 0u - (uint64_t)a; /* |a| <= 2^63 */
    uint64_t t = (m + half) & ~frac;
    return t == ((uint64_t)1 << 63) ? TSR_I32F32_MIN : -(int64_t)t;
}

static int i32f32_from_bits(uint64_t bits, int is_f32, tsr_i32f32 *out)
{
    tsr_i128 v;
    int64_t r;
    int rc = float_to_s128(bits, is_f32, 32, &v);
    if (rc)
        return rc;
    if (!tsr_i128_to_i64(v, &r))
        return TSR_EOVERFLOW;
    *out = r;
    return TSR_OK;
}

int tsr_i32f32_from_f32_bits(uint32_t bits, tsr_i32f32 *out)
{
    return i32f32_from_bits(bits, 1, out);
}

int tsr_i32f32_from_f64_bits(uint64_t bits, tsr_i32f32 *out)
{
    return i32f32_from_bits(bits, 0, out);
}

uint16_t tsr_fixed_proportion_to_u16(tsr_i32f32 x)
{
    return tsr_i32f32_to_u16(tsr_i32f32_sat_mul(x, tsr_i32f32_from_int(65535)));
}

tsr_i32f32 tsr_u16_proportion_to_fixed(uint16_t u)
{
    return tsr_i32f32_safe_div(tsr_u16_to_fixed(u), tsr_i32f32_from_int(65535));
}

tsr_i32f32 tsr_u16_to_fixed(uint16_t u)
{
    return (int64_t)u * TSR_I32F32_ONE;
}

/* ---- transcendentals ---- */

/* e held in I9F23: 0xADF85458A2BB4A9AAFDC5620273D3CF1 >> 103 keeps the top 25 bits of the
 * constant, i.e. 0xADF85458 >> 7; widened exactly to 32 fractional bits. spec bittensor §1.4 */
#define TSR__E_I9F23  ((int64_t)(UINT32_C(0xADF85458) >> 7))
#define TSR__E_I32F32 (TSR__E_I9F23 * 512)

int tsr_i32f32_exp(tsr_i32f32 x, tsr_i32f32 *out)
{
    tsr_i32f32 result, term;
    int neg;
    if (x == 0) {
        *out = TSR_I32F32_ONE;
        return TSR_OK;
    }
    if (x == TSR_I32F32_ONE) {
        *out = TSR__E_I32F32;
        return TSR_OK;
    }
    if (x == TSR_I32F32_MIN)
        return TSR_EOVERFLOW;
    neg = x < 0;
    if (neg)
        x = -x;
    if (tsr_i32f32_checked_add(x, TSR_I32F32_ONE, &result))
        return TSR_EOVERFLOW;
    term = x;
    for (int64_t i = 2; i < 32; i++) {
        if (term == 0)
            break; /* every later term is 0 * x / i = 0: nothing changes */
        if (tsr_i32f32_checked_mul(term, x, &term) ||
            tsr_i32f32_checked_div(term, i * TSR_I32F32_ONE, &term) ||
            tsr_i32f32_checked_add(result, term, &result))
            return TSR_EOVERFLOW;
    }
    if (neg && tsr_i32f32_checked_div(TSR_I32F32_ONE, result, &result))
        return TSR_EOVERFLOW;
    *out = result;
    return TSR_OK;
}

tsr_i32f32 tsr_i32f32_exp_safe(tsr_i32f32 x)
{
    const tsr_i32f32 lim = 20 * TSR_I32F32_ONE;
    tsr_i32f32 r;
    if (x < -lim)
        x = -lim;
    else if (x > lim)
        x = lim;
    if (tsr_i32f32_exp(x, &r))
        return x <= 0 ? 0 : TSR_I32F32_MAX;
    return r;
}

tsr_i32f32 tsr_i32f32_sigmoid_safe(tsr_i32f32 x, tsr_i32f32 rho, tsr_i32f32 kappa)
{
    const tsr_i32f32 one = TSR_I32F32_ONE;
    tsr_i32f32 offset = tsr_i32f32_sat_sub(x, kappa);
    tsr_i32f32 neg_rho = tsr_i32f32_sat_mul(rho, tsr_i32f32_sat_neg(one));
    tsr_i32f32 e = tsr_i32f32_exp_safe(tsr_i32f32_sat_mul(neg_rho, offset));
    return tsr_i32f32_sat_div(one, tsr_i32f32_sat_add(e, one));
}

tsr_i32f32 tsr_bonds_moving_average_alpha(uint64_t bonds_moving_average)
{
    tsr_i64f64 r = tsr_i64f64_safe_div(tsr_i64f64_from_u64(bonds_moving_average),
                                       tsr_i64f64_from_u64(1000000));
    return tsr_i32f32_sat_sub(TSR_I32F32_ONE, tsr_fixed64_to_fixed32(r));
}

/* ================================ I64F64 ===================================================== */

static tsr_i64f64 mk_i64f64(tsr_i128 raw)
{
    tsr_i64f64 r;
    r.raw = raw;
    return r;
}

tsr_i64f64 tsr_i64f64_from_int(int64_t x)
{
    return mk_i64f64(tsr_i128_shl(tsr_i128_from_i64(x), 64));
}

tsr_i64f64 tsr_i64f64_from_u64(uint64_t x)
{
    if (x >> 63)
        return mk_i64f64(tsr_i128_max());
    return mk_i64f64(tsr_i128_make(x, 0));
}

tsr_i64f64 tsr_i64f64_from_i32f32(tsr_i32f32 a)
{
    return mk_i64f64(tsr_i128_shl(tsr_i128_from_i64(a), 32));
}

tsr_i32f32 tsr_fixed64_to_fixed32(tsr_i64f64 a)
{
    int64_t v;
    if (!tsr_i128_to_i64(tsr_i128_sar(a.raw, 32), &v))
        return tsr_i128_is_neg(a.raw) ? TSR_I32F32_MIN : TSR_I32F32_MAX;
    return v;
}

uint64_t tsr_i64f64_to_u64(tsr_i64f64 a)
{
    return s_to_u64(a.raw, 64);
}

int tsr_i64f64_cmp(tsr_i64f64 a, tsr_i64f64 b)
{
    return tsr_i128_cmp(a.raw, b.raw);
}

int tsr_i64f64_checked_add(tsr_i64f64 a, tsr_i64f64 b, tsr_i64f64 *out)
{
    tsr_i128 r;
    if (tsr_i128_add_ovf(a.raw, b.raw, &r))
        return TSR_EOVERFLOW;
    out->raw = r;
    return TSR_OK;
}

int tsr_i64f64_checked_sub(tsr_i64f64 a, tsr_i64f64 b, tsr_i64f64 *out)
{
    tsr_i128 r;
    if (tsr_i128_sub_ovf(a.raw, b.raw, &r))
        return TSR_EOVERFLOW;
    out->raw = r;
    return TSR_OK;
}

tsr_i64f64 tsr_i64f64_sat_add(tsr_i64f64 a, tsr_i64f64 b)
{
    return mk_i64f64(s_sat_add(a.raw, b.raw));
}

tsr_i64f64 tsr_i64f64_sat_sub(tsr_i64f64 a, tsr_i64f64 b)
{
    return mk_i64f64(s_sat_sub(a.raw, b.raw));
}

int tsr_i64f64_checked_mul(tsr_i64f64 a, tsr_i64f64 b, tsr_i64f64 *out)
{
    tsr_i128 r;
    if (smul(a.raw, b.raw, 64, &r))
        return TSR_EOVERFLOW;
    out->raw = r;
    return TSR_OK;
}

tsr_i64f64 tsr_i64f64_sat_mul(tsr_i64f64 a, tsr_i64f64 b)
{
    tsr_i128 r;
    (void)smul(a.raw, b.raw, 64, &r);
    return mk_i64f64(r);
}

int tsr_i64f64_checked_div(tsr_i64f64 a, tsr_i64f64 b, tsr_i64f64 *out)
{
    return sdiv(a.raw, b.raw, 64, &out->raw);
}

tsr_i64f64 tsr_i64f64_safe_div(tsr_i64f64 a, tsr_i64f64 b)
{
    tsr_i64f64 r = mk_i64f64(tsr_i128_make(0, 0));
    (void)sdiv(a.raw, b.raw, 64, &r.raw);
    return r;
}

int tsr_i64f64_from_f64_bits(uint64_t bits, tsr_i64f64 *out)
{
    return float_to_s128(bits, 0, 64, &out->raw);
}

/* ================================ I96F32 ===================================================== */

static tsr_i96f32 mk_i96f32(tsr_i128 raw)
{
    tsr_i96f32 r;
    r.raw = raw;
    return r;
}

tsr_i96f32 tsr_i96f32_from_int(int64_t x)
{
    return mk_i96f32(tsr_i128_shl(tsr_i128_from_i64(x), 32));
}

tsr_i96f32 tsr_i96f32_from_u64(uint64_t x)
{
    return mk_i96f32(tsr_i128_from_bits(tsr_u128_shl(tsr_u128_from_u64(x), 32)));
}

tsr_i96f32 tsr_i96f32_from_i32f32(tsr_i32f32 a)
{
    return mk_i96f32(tsr_i128_from_i64(a));
}

tsr_i32f32 tsr_i96f32_to_i32f32(tsr_i96f32 a)
{
    int64_t v;
    if (!tsr_i128_to_i64(a.raw, &v))
        return tsr_i128_is_neg(a.raw) ? TSR_I32F32_MIN : TSR_I32F32_MAX;
    return v;
}

uint64_t tsr_i96f32_to_u64(tsr_i96f32 a)
{
    return s_to_u64(a.raw, 32);
}

int tsr_i96f32_cmp(tsr_i96f32 a, tsr_i96f32 b)
{
    return tsr_i128_cmp(a.raw, b.raw);
}

int tsr_i96f32_checked_add(tsr_i96f32 a, tsr_i96f32 b, tsr_i96f32 *out)
{
    tsr_i128 r;
    if (tsr_i128_add_ovf(a.raw, b.raw, &r))
        return TSR_EOVERFLOW;
    out->raw = r;
    return TSR_OK;
}

int tsr_i96f32_checked_sub(tsr_i96f32 a, tsr_i96f32 b, tsr_i96f32 *out)
{
    tsr_i128 r;
    if (tsr_i128_sub_ovf(a.raw, b.raw, &r))
        return TSR_EOVERFLOW;
    out->raw = r;
    return TSR_OK;
}

tsr_i96f32 tsr_i96f32_sat_add(tsr_i96f32 a, tsr_i96f32 b)
{
    return mk_i96f32(s_sat_add(a.raw, b.raw));
}

tsr_i96f32 tsr_i96f32_sat_sub(tsr_i96f32 a, tsr_i96f32 b)
{
    return mk_i96f32(s_sat_sub(a.raw, b.raw));
}

int tsr_i96f32_checked_mul(tsr_i96f32 a, tsr_i96f32 b, tsr_i96f32 *out)
{
    tsr_i128 r;
    if (smul(a.raw, b.raw, 32, &r))
        return TSR_EOVERFLOW;
    out->raw = r;
    return TSR_OK;
}

tsr_i96f32 tsr_i96f32_sat_mul(tsr_i96f32 a, tsr_i96f32 b)
{
    tsr_i128 r;
    (void)smul(a.raw, b.raw, 32, &r);
    return mk_i96f32(r);
}

int tsr_i96f32_checked_div(tsr_i96f32 a, tsr_i96f32 b, tsr_i96f32 *out)
{
    return sdiv(a.raw, b.raw, 32, &out->raw);
}

tsr_i96f32 tsr_i96f32_safe_div(tsr_i96f32 a, tsr_i96f32 b)
{
    tsr_i96f32 r = mk_i96f32(tsr_i128_make(0, 0));
    (void)sdiv(a.raw, b.raw, 32, &r.raw);
    return r;
}

tsr_i96f32 tsr_i96f32_floor(tsr_i96f32 a)
{
    /* Clearing the fraction of a two's complement value is floor for either sign. */
    return mk_i96f32(tsr_i128_make(a.raw.hi, a.raw.lo & ~(uint64_t)0xffffffffu));
}

int tsr_i96f32_from_f64_bits(uint64_t bits, tsr_i96f32 *out)
{
    return float_to_s128(bits, 0, 32, &out->raw);
}

/* log2's first loop: the number c of halvings that round half up, x := (x >> 1) + (x & 1) =
 * ceil(x / 2), until x < 2.0 (raw 2^33), and the value left, in [2^32, 2^33). For raw x >= 2^32.
 * Ceiling halvings compose, ceil(ceil(x / 2^c) / 2) = ceil(x / 2^(c+1)), so c steps leave
 * ceil(x / 2^c) and the loop stops at the first c where that is below 2^33. With c = bitlen - 33,
 * x >> c lies in [2^32, 2^33) and every smaller c leaves at least 2^33; the rounding can carry
 * ceil(x / 2^c) up to exactly 2^33, and then one more halving gives 2^32. O(1). */
static unsigned log2_halvings(tsr_u128 x, uint64_t *rest)
{
    unsigned len = tsr_u128_bitlen(x);
    if (len <= 33) {
        *rest = x.lo;
        return 0;
    }
    unsigned c = len - 33;
    tsr_u128 q = tsr_u128_shr(x, c);
    uint64_t y = q.lo + (uint64_t)!tsr_u128_eq(tsr_u128_shl(q, c), x);
    if (y >> 33) {
        *rest = y >> 1;
        return c + 1;
    }
    *rest = y;
    return c;
}

/* One squaring step of log2 on y in [2^32, 2^33) (a value in [1, 2)): floor(y^2 / 2^32) without
 * a 128-bit product. With y = 2^32 + z, y^2 = 2^64 + 2^33 z + z^2 and the first two terms are
 * multiples of 2^32, so the floor is 2^32 + 2 z + floor(z^2 / 2^32), with z^2 < 2^64. */
static inline uint64_t log2_square(uint64_t y)
{
    uint64_t z = y - ((uint64_t)1 << 32);
    return ((uint64_t)1 << 32) + 2 * z + ((z * z) >> 32);
}

/* log2 for x >= 1 (raw >= 2^32): the integer part cnt from the halvings, then 32 fraction bits,
 * one per squaring. y stays in [2^32, 2^33) throughout: a square is at most floor((2^33 - 1)^2
 * / 2^32) = 2^34 - 4, which halves to at most 2^33 - 2. cnt <= 95, so res fits 64 bits. */
static tsr_i128 log2_inner(tsr_i128 x)
{
    const uint64_t one = (uint64_t)1 << 32;
    uint64_t y, res;
    uint64_t cnt = log2_halvings(tsr_i128_bits(x), &y);
    if (y == one)
        return tsr_i128_make(0, cnt << 32);
    res = cnt;
    for (int i = 0; i < 32; i++) {
        y = log2_square(y);
        /* if y >= 2: set the bit and halve rounding half up. Branch-free, because the bits of
         * a logarithm are unpredictable: with b = 0 the update is the identity. */
        uint64_t b = (y >> 33) & 1u; /* y < 2^34 here: the mask only says so */
        res = (res << 1) | b;
        y = (y >> b) + (y & b);
    }
    return tsr_i128_make(0, res);
}

uint64_t tsr__i96f32_log2_floor_raw(tsr_u128 x)
{
    uint64_t rest;
    return log2_halvings(x, &rest);
}

int tsr_i96f32_log2(tsr_i96f32 x, tsr_i96f32 *out)
{
    const tsr_i128 one = tsr_i128_make(0, (uint64_t)1 << 32);
    tsr_i128 inv;
    if (tsr_i128_is_neg(x.raw) || tsr_i128_is_zero(x.raw))
        return TSR_EINVAL;
    if (tsr_i128_cmp(x.raw, one) < 0) {
        if (sdiv(one, x.raw, 32, &inv))
            return TSR_EOVERFLOW;
        out->raw = tsr_i128_neg(log2_inner(inv));
        return TSR_OK;
    }
    out->raw = log2_inner(x.raw);
    return TSR_OK;
}

/* ================================ U96F32 ===================================================== */

static tsr_u96f32 mk_u96f32(tsr_u128 raw)
{
    tsr_u96f32 r;
    r.raw = raw;
    return r;
}

tsr_u96f32 tsr_u96f32_from_u64(uint64_t x)
{
    return mk_u96f32(tsr_u128_shl(tsr_u128_from_u64(x), 32));
}

uint64_t tsr_u96f32_to_u64(tsr_u96f32 a)
{
    return u_to_u64(a.raw, 32);
}

int tsr_u96f32_cmp(tsr_u96f32 a, tsr_u96f32 b)
{
    return tsr_u128_cmp(a.raw, b.raw);
}

int tsr_u96f32_checked_add(tsr_u96f32 a, tsr_u96f32 b, tsr_u96f32 *out)
{
    tsr_u128 r;
    if (tsr_u128_add_ovf(a.raw, b.raw, &r))
        return TSR_EOVERFLOW;
    out->raw = r;
    return TSR_OK;
}

int tsr_u96f32_checked_sub(tsr_u96f32 a, tsr_u96f32 b, tsr_u96f32 *out)
{
    tsr_u128 r;
    if (tsr_u128_sub_ovf(a.raw, b.raw, &r))
        return TSR_EOVERFLOW;
    out->raw = r;
    return TSR_OK;
}

tsr_u96f32 tsr_u96f32_sat_add(tsr_u96f32 a, tsr_u96f32 b)
{
    tsr_u128 r;
    return mk_u96f32(tsr_u128_add_ovf(a.raw, b.raw, &r) ? tsr_u128_max() : r);
}

tsr_u96f32 tsr_u96f32_sat_sub(tsr_u96f32 a, tsr_u96f32 b)
{
    tsr_u128 r;
    return mk_u96f32(tsr_u128_sub_ovf(a.raw, b.raw, &r) ? tsr_u128_make(0, 0) : r);
}

int tsr_u96f32_checked_mul(tsr_u96f32 a, tsr_u96f32 b, tsr_u96f32 *out)
{
    tsr_u128 r;
    if (umul(a.raw, b.raw, 32, &r))
        return TSR_EOVERFLOW;
    out->raw = r;
    return TSR_OK;
}

tsr_u96f32 tsr_u96f32_sat_mul(tsr_u96f32 a, tsr_u96f32 b)
{
    tsr_u128 r;
    (void)umul(a.raw, b.raw, 32, &r);
    return mk_u96f32(r);
}

int tsr_u96f32_checked_div(tsr_u96f32 a, tsr_u96f32 b, tsr_u96f32 *out)
{
    return udiv(a.raw, b.raw, 32, &out->raw);
}

tsr_u96f32 tsr_u96f32_safe_div(tsr_u96f32 a, tsr_u96f32 b)
{
    tsr_u96f32 r = mk_u96f32(tsr_u128_make(0, 0));
    (void)udiv(a.raw, b.raw, 32, &r.raw);
    return r;
}

tsr_u64f64 tsr_u96f32_to_u64f64(tsr_u96f32 a)
{
    tsr_u64f64 r;
    r.raw = (a.raw.hi >> 32) ? tsr_u128_max() : tsr_u128_shl(a.raw, 32);
    return r;
}

tsr_i64f64 tsr_u96f32_to_i64f64(tsr_u96f32 a)
{
    /* The I64F64 range ends at 2^63, i.e. U96F32 raw 2^95. */
    if (a.raw.hi >> 31)
        return mk_i64f64(tsr_i128_max());
    return mk_i64f64(tsr_i128_from_bits(tsr_u128_shl(a.raw, 32)));
}

int tsr_u96f32_from_f64_bits(uint64_t bits, tsr_u96f32 *out)
{
    return float_to_u128(bits, 32, &out->raw);
}

/* ================================ U64F64 ===================================================== */

static tsr_u64f64 mk_u64f64(tsr_u128 raw)
{
    tsr_u64f64 r;
    r.raw = raw;
    return r;
}

tsr_u64f64 tsr_u64f64_from_u64(uint64_t x)
{
    return mk_u64f64(tsr_u128_make(x, 0));
}

uint64_t tsr_u64f64_to_u64(tsr_u64f64 a)
{
    return a.raw.hi;
}

int tsr_u64f64_cmp(tsr_u64f64 a, tsr_u64f64 b)
{
    return tsr_u128_cmp(a.raw, b.raw);
}

int tsr_u64f64_checked_add(tsr_u64f64 a, tsr_u64f64 b, tsr_u64f64 *out)
{
    tsr_u128 r;
    if (tsr_u128_add_ovf(a.raw, b.raw, &r))
        return TSR_EOVERFLOW;
    out->raw = r;
    return TSR_OK;
}

int tsr_u64f64_checked_sub(tsr_u64f64 a, tsr_u64f64 b, tsr_u64f64 *out)
{
    tsr_u128 r;
    if (tsr_u128_sub_ovf(a.raw, b.raw, &r))
        return TSR_EOVERFLOW;
    out->raw = r;
    return TSR_OK;
}

tsr_u64f64 tsr_u64f64_sat_add(tsr_u64f64 a, tsr_u64f64 b)
{
    tsr_u128 r;
    return mk_u64f64(tsr_u128_add_ovf(a.raw, b.raw, &r) ? tsr_u128_max() : r);
}

tsr_u64f64 tsr_u64f64_sat_sub(tsr_u64f64 a, tsr_u64f64 b)
{
    tsr_u128 r;
    return mk_u64f64(tsr_u128_sub_ovf(a.raw, b.raw, &r) ? tsr_u128_make(0, 0) : r);
}

int tsr_u64f64_checked_mul(tsr_u64f64 a, tsr_u64f64 b, tsr_u64f64 *out)
{
    tsr_u128 r;
    if (umul(a.raw, b.raw, 64, &r))
        return TSR_EOVERFLOW;
    out->raw = r;
    return TSR_OK;
}

tsr_u64f64 tsr_u64f64_sat_mul(tsr_u64f64 a, tsr_u64f64 b)
{
    tsr_u128 r;
    (void)umul(a.raw, b.raw, 64, &r);
    return mk_u64f64(r);
}

int tsr_u64f64_checked_div(tsr_u64f64 a, tsr_u64f64 b, tsr_u64f64 *out)
{
    return udiv(a.raw, b.raw, 64, &out->raw);
}

tsr_u64f64 tsr_u64f64_safe_div(tsr_u64f64 a, tsr_u64f64 b)
{
    tsr_u64f64 r = mk_u64f64(tsr_u128_make(0, 0));
    (void)udiv(a.raw, b.raw, 64, &r.raw);
    return r;
}

tsr_u96f32 tsr_u64f64_to_u96f32(tsr_u64f64 a)
{
    return mk_u96f32(tsr_u128_shr(a.raw, 32));
}

int tsr_u64f64_from_f64_bits(uint64_t bits, tsr_u64f64 *out)
{
    return float_to_u128(bits, 64, &out->raw);
}
