/* tsr_int.h: portable 128- and 256-bit integers for the reward core's fixed point.
 *
 * The chain's fixed-point types (spec bittensor §1.1) need 128-bit storage and, for products
 * and quotients, 192- and 256-bit intermediates. C11 has no such type, so every value is a struct
 * of 64-bit words, least significant first:
 *
 *   tsr_u128  unsigned 128-bit, value = hi * 2^64 + lo
 *   tsr_i128  signed 128-bit in two's complement (the sign is bit 63 of hi)
 *   tsr_u256  unsigned 256-bit, value = sum w[i] * 2^(64 i)
 *
 * All operations are total: shifts by >= the width give 0 (or all sign bits), division by zero
 * is reported, wrapping operations wrap modulo 2^128 and the _ovf variants report the carry,
 * borrow or signed overflow. There is no undefined behaviour for any input.
 *
 * Two implementations sit behind the same inline functions: `unsigned __int128` when the
 * compiler has it (__SIZEOF_INT128__) and TSR_PORTABLE_INT is not defined, and pure 64-bit word
 * arithmetic otherwise. Both are tested with the same test sources. Division of 256-bit (and,
 * in the portable build, 128-bit) numbers is Knuth's algorithm D over 32-bit digits in
 * tsr_int.c: O(m n) digit steps for an m-digit numerator and n-digit divisor.
 */
#ifndef TSR_INT_H
#define TSR_INT_H

#include <stdint.h>

typedef struct tsr_u128 {
    uint64_t lo; /* bits 0..63 */
    uint64_t hi; /* bits 64..127 */
} tsr_u128;

typedef struct tsr_i128 {
    uint64_t lo; /* bits 0..63 */
    uint64_t hi; /* bits 64..127; bit 63 of hi is the sign (two's complement) */
} tsr_i128;

typedef struct tsr_u256 {
    uint64_t w[4]; /* w[0] least significant */
} tsr_u256;

#if defined(__SIZEOF_INT128__) && !defined(TSR_PORTABLE_INT)
#define TSR_NATIVE_INT128 1
__extension__ typedef unsigned __int128 tsr__n128;

static inline tsr__n128 tsr__u2n(tsr_u128 a)
{
    return ((tsr__n128)a.hi << 64) | a.lo;
}
static inline tsr_u128 tsr__n2u(tsr__n128 v)
{
    tsr_u128 r;
    r.lo = (uint64_t)v;
    r.hi = (uint64_t)(v >> 64);
    return r;
}
#else
#define TSR_NATIVE_INT128 0
#endif

#define TSR_U64_MAX UINT64_MAX

/* ---- construction and conversion ------------------------------------------------------------ */

static inline tsr_u128 tsr_u128_make(uint64_t hi, uint64_t lo)
{
    tsr_u128 r;
    r.lo = lo;
    r.hi = hi;
    return r;
}
static inline tsr_u128 tsr_u128_from_u64(uint64_t x)
{
    return tsr_u128_make(0, x);
}
static inline tsr_u128 tsr_u128_max(void)
{
    return tsr_u128_make(UINT64_MAX, UINT64_MAX);
}
static inline tsr_i128 tsr_i128_make(uint64_t hi, uint64_t lo)
{
    tsr_i128 r;
    r.lo = lo;
    r.hi = hi;
    return r;
}
static inline tsr_i128 tsr_i128_from_i64(int64_t x)
{
    /* Sign-extend without relying on implementation-defined conversions. */
    return tsr_i128_make(x < 0 ? UINT64_MAX : 0, (uint64_t)x);
}
static inline tsr_i128 tsr_i128_max(void)
{
    return tsr_i128_make(UINT64_MAX >> 1, UINT64_MAX);
}
static inline tsr_i128 tsr_i128_min(void)
{
    return tsr_i128_make((uint64_t)1 << 63, 0);
}
/* Bit casts between the signed and unsigned views of the same 128 bits. */
static inline tsr_u128 tsr_i128_bits(tsr_i128 a)
{
    return tsr_u128_make(a.hi, a.lo);
}
static inline tsr_i128 tsr_i128_from_bits(tsr_u128 a)
{
    return tsr_i128_make(a.hi, a.lo);
}

/* ---- unsigned 128: predicates and comparison ------------------------------------------------ */

static inline int tsr_u128_is_zero(tsr_u128 a)
{
    return (a.lo | a.hi) == 0;
}
static inline int tsr_u128_eq(tsr_u128 a, tsr_u128 b)
{
    return a.lo == b.lo && a.hi == b.hi;
}
/* -1, 0 or 1 as a <, ==, > b. */
static inline int tsr_u128_cmp(tsr_u128 a, tsr_u128 b)
{
    if (a.hi != b.hi)
        return a.hi < b.hi ? -1 : 1;
    if (a.lo != b.lo)
        return a.lo < b.lo ? -1 : 1;
    return 0;
}
static inline int tsr_u128_lt(tsr_u128 a, tsr_u128 b)
{
    return tsr_u128_cmp(a, b) < 0;
}
/* Number of significant bits of a 64-bit word (0 for zero). GCC and clang have a count-leading-
 * zeros builtin (one instruction on x86-64 and arm64); the portable build (which the tests also
 * run) uses a 6-step binary search instead. */
static inline unsigned tsr_u64_bitlen(uint64_t w)
{
#if defined(__GNUC__) && !defined(TSR_PORTABLE_INT)
    return w ? 64u - (unsigned)__builtin_clzll(w) : 0u;
#else
    unsigned n = 0;
    for (unsigned s = 32; s; s >>= 1)
        if (w >> s) {
            w >>= s;
            n += s;
        }
    return n + (unsigned)(w != 0);
#endif
}
/* Number of significant bits (0 for zero). */
static inline unsigned tsr_u128_bitlen(tsr_u128 a)
{
    return a.hi ? 64u + tsr_u64_bitlen(a.hi) : tsr_u64_bitlen(a.lo);
}

/* ---- unsigned 128: add, sub ----------------------------------------------------------------- */

/* r = a + b mod 2^128; returns the carry out (0 or 1). */
static inline int tsr_u128_add_ovf(tsr_u128 a, tsr_u128 b, tsr_u128 *r)
{
#if TSR_NATIVE_INT128
    tsr__n128 x = tsr__u2n(a), s = x + tsr__u2n(b);
    *r = tsr__n2u(s);
    return s < x;
#else
    uint64_t lo = a.lo + b.lo;
    uint64_t c = lo < a.lo;
    uint64_t hi = a.hi + b.hi;
    int carry = hi < a.hi;
    uint64_t hi2 = hi + c;
    carry |= hi2 < hi;
    r->lo = lo;
    r->hi = hi2;
    return carry;
#endif
}
static inline tsr_u128 tsr_u128_add(tsr_u128 a, tsr_u128 b)
{
    tsr_u128 r;
    (void)tsr_u128_add_ovf(a, b, &r);
    return r;
}
/* r = a - b mod 2^128; returns the borrow out (1 when b > a). */
static inline int tsr_u128_sub_ovf(tsr_u128 a, tsr_u128 b, tsr_u128 *r)
{
#if TSR_NATIVE_INT128
    tsr__n128 x = tsr__u2n(a), y = tsr__u2n(b);
    *r = tsr__n2u(x - y);
    return y > x;
#else
    uint64_t lo = a.lo - b.lo;
    uint64_t bw = a.lo < b.lo;
    uint64_t hi = a.hi - b.hi;
    int borrow = a.hi < b.hi;
    borrow |= hi < bw;
    r->lo = lo;
    r->hi = hi - bw;
    return borrow;
#endif
}
static inline tsr_u128 tsr_u128_sub(tsr_u128 a, tsr_u128 b)
{
    tsr_u128 r;
    (void)tsr_u128_sub_ovf(a, b, &r);
    return r;
}

/* ---- unsigned 128: shifts ------------------------------------------------------------------- */

/* a << s mod 2^128; 0 when s >= 128. */
static inline tsr_u128 tsr_u128_shl(tsr_u128 a, unsigned s)
{
    if (s >= 128)
        return tsr_u128_make(0, 0);
    if (s >= 64)
        return tsr_u128_make(a.lo << (s - 64), 0);
    if (s == 0)
        return a;
    return tsr_u128_make((a.hi << s) | (a.lo >> (64 - s)), a.lo << s);
}
/* a >> s (logical); 0 when s >= 128. */
static inline tsr_u128 tsr_u128_shr(tsr_u128 a, unsigned s)
{
    if (s >= 128)
        return tsr_u128_make(0, 0);
    if (s >= 64)
        return tsr_u128_make(0, a.hi >> (s - 64));
    if (s == 0)
        return a;
    return tsr_u128_make(a.hi >> s, (a.lo >> s) | (a.hi << (64 - s)));
}

/* ---- unsigned 128: multiplication ----------------------------------------------------------- */

/* Exact 64 x 64 -> 128 product. */
static inline tsr_u128 tsr_u128_mul64(uint64_t a, uint64_t b)
{
#if TSR_NATIVE_INT128
    return tsr__n2u((tsr__n128)a * b);
#else
    uint64_t a0 = a & 0xffffffffu, a1 = a >> 32;
    uint64_t b0 = b & 0xffffffffu, b1 = b >> 32;
    uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    /* Middle column: at most 3 * (2^32 - 1) wide terms, which fits 64 bits. */
    uint64_t mid = (p00 >> 32) + (p01 & 0xffffffffu) + (p10 & 0xffffffffu);
    uint64_t lo = (mid << 32) | (p00 & 0xffffffffu);
    uint64_t hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
    return tsr_u128_make(hi, lo);
#endif
}
/* Exact 128 x 128 -> 256 product. */
static inline tsr_u256 tsr_u128_mul_full(tsr_u128 a, tsr_u128 b)
{
    tsr_u256 r;
    tsr_u128 ll = tsr_u128_mul64(a.lo, b.lo);
    tsr_u128 lh = tsr_u128_mul64(a.lo, b.hi);
    tsr_u128 hl = tsr_u128_mul64(a.hi, b.lo);
    tsr_u128 hh = tsr_u128_mul64(a.hi, b.hi);
    tsr_u128 mid, t;
    int c1 = tsr_u128_add_ovf(lh, hl, &mid);
    int c2 = tsr_u128_add_ovf(mid, tsr_u128_from_u64(ll.hi), &mid);
    r.w[0] = ll.lo;
    r.w[1] = mid.lo;
    /* hh + mid.hi + (carries << 64) cannot overflow 128 bits: the product is < 2^256. */
    t = tsr_u128_add(hh, tsr_u128_from_u64(mid.hi));
    t = tsr_u128_add(t, tsr_u128_make((uint64_t)c1 + (uint64_t)c2, 0));
    r.w[2] = t.lo;
    r.w[3] = t.hi;
    return r;
}
/* r = a * b mod 2^128; returns 1 when the exact product does not fit 128 bits. */
static inline int tsr_u128_mul_ovf(tsr_u128 a, tsr_u128 b, tsr_u128 *r)
{
    tsr_u256 p = tsr_u128_mul_full(a, b);
    r->lo = p.w[0];
    r->hi = p.w[1];
    return (p.w[2] | p.w[3]) != 0;
}
static inline tsr_u128 tsr_u128_mul(tsr_u128 a, tsr_u128 b)
{
#if TSR_NATIVE_INT128
    return tsr__n2u(tsr__u2n(a) * tsr__u2n(b));
#else
    tsr_u128 r = tsr_u128_mul64(a.lo, b.lo);
    r.hi += a.lo * b.hi + a.hi * b.lo;
    return r;
#endif
}

/* ---- 256-bit helpers ------------------------------------------------------------------------ */

static inline tsr_u256 tsr_u256_from_u128(tsr_u128 a)
{
    tsr_u256 r;
    r.w[0] = a.lo;
    r.w[1] = a.hi;
    r.w[2] = 0;
    r.w[3] = 0;
    return r;
}
static inline int tsr_u256_fits_u128(tsr_u256 a)
{
    return (a.w[2] | a.w[3]) == 0;
}
static inline tsr_u128 tsr_u256_low128(tsr_u256 a)
{
    return tsr_u128_make(a.w[1], a.w[0]);
}
/* a << s mod 2^256; 0 when s >= 256. */
tsr_u256 tsr_u256_shl(tsr_u256 a, unsigned s);
/* a >> s (logical); 0 when s >= 256. */
tsr_u256 tsr_u256_shr(tsr_u256 a, unsigned s);
/* 1 when any of the low s bits of a is set (s may exceed 256). */
int tsr_u256_low_bits_nonzero(tsr_u256 a, unsigned s);

/* ---- division ------------------------------------------------------------------------------- */

/* q = n / d, r = n % d (either output may be NULL). Returns TSR_OK or TSR_EDIVZERO (outputs
 * untouched). */
int tsr_u128_divmod(tsr_u128 n, tsr_u128 d, tsr_u128 *q, tsr_u128 *r);
/* 256 by 128 division: q = n / d (full 256-bit quotient), r = n % d. TSR_EDIVZERO on d = 0. */
int tsr_u256_divmod_u128(tsr_u256 n, tsr_u128 d, tsr_u256 *q, tsr_u128 *r);

/* The portable build's tsr_u128_div64 (tsr_int.c): one machine division when hi = 0, else
 * algorithm D. */
uint64_t tsr__u128_div64_portable(uint64_t hi, uint64_t lo, uint64_t d, uint64_t *r);

/* floor((hi 2^64 + lo) / d), remainder in *r, for hi < d: the precondition (which implies d != 0)
 * is what makes the quotient fit one word, and callers must guarantee it. This is the step every
 * fast division path is built from: on x86-64 one divq instruction (GCC and clang would call the
 * general 128 by 128 library routine for the `/` below, with its own tests and a call), on other
 * native targets the 128-bit `/`, in the portable build tsr__u128_div64_portable. */
static inline uint64_t tsr_u128_div64(uint64_t hi, uint64_t lo, uint64_t d, uint64_t *r)
{
#if TSR_NATIVE_INT128 && defined(__GNUC__) && defined(__x86_64__)
    uint64_t q, rem;
    __asm__("divq %[d]" : "=a"(q), "=d"(rem) : [d] "rm"(d), "a"(lo), "d"(hi) : "cc");
    *r = rem;
    return q;
#elif TSR_NATIVE_INT128
    uint64_t q = (uint64_t)((((tsr__n128)hi << 64) | lo) / d);
    *r = lo - q * d; /* the remainder is below d < 2^64, so the low word is all of it */
    return q;
#else
    return tsr__u128_div64_portable(hi, lo, d, r);
#endif
}

#if TSR_NATIVE_INT128
#if defined(__GNUC__)
#define TSR__ALWAYS_INLINE __attribute__((always_inline))
#else
#define TSR__ALWAYS_INLINE
#endif
/* n / d, remainder in *r, for d != 0 (native build; tsr_u128_divmod, tsr_i128_divmod and the
 * fixed-point division kernels). Always inline: out of line, GCC 12 stores the returned words
 * and reloads them as one vector, a store-forwarding stall that costs more than the division. A
 * one-word divisor takes one tsr_u128_div64 when n.hi < d, else two. A divisor d >= 2^64 leaves a
 * one-word quotient q, estimated by dividing by the divisor's top 64 bits: with sh = bitlen(d) - 64
 * (1..64), t = floor(d / 2^sh) (top bit set) and D = t 2^sh <= d, the estimate e = floor(floor(n /
 * 2^sh) / t) = floor(n / D) is >= q, and n / D - n / d = n (d - D) / (D d) <= n (2^sh - 1) / D^2 <
 * 2^128 (2^sh - 1) / 2^(126 + 2 sh) <= 1, so e is q or q + 1. floor(n / 2^sh) < 2^(128 - sh) has a
 * high word below t, so e is one tsr_u128_div64. For n >= d, e >= 1 and c = e - 1 is q - 1 or q, so
 * c d <= n fits 128 bits and one compare of the remainder n - c d with d settles it. */
static inline TSR__ALWAYS_INLINE tsr_u128 tsr__u128_divrem_native(tsr_u128 n, tsr_u128 d,
                                                                  tsr_u128 *r)
{
    uint64_t rem;
    if (d.hi == 0) {
        uint64_t qh = 0, hi = n.hi;
        if (hi >= d.lo) {
            /* d != 0 is the caller's contract, and n and d are defined: clang-tidy's analyser
             * follows neither through the fixed-point kernels' shift of an integer-valued
             * divisor or tsr_i128_abs's 128-bit arithmetic */
            /* NOLINTNEXTLINE(clang-analyzer-core.*) */
            qh = hi / d.lo;
            hi %= d.lo;
        }
        uint64_t ql = tsr_u128_div64(hi, n.lo, d.lo, &rem);
        *r = tsr_u128_from_u64(rem);
        return tsr_u128_make(qh, ql);
    }
    uint64_t c = 0;
    tsr_u128 left = n;
    if (!tsr_u128_lt(n, d)) {
        unsigned sh = tsr_u128_bitlen(d) - 64;
        uint64_t t = tsr_u128_shr(d, sh).lo;
        tsr_u128 nt = tsr_u128_shr(n, sh);
        c = tsr_u128_div64(nt.hi, nt.lo, t, &rem) - 1;
        left = tsr_u128_sub(n, tsr_u128_mul(tsr_u128_from_u64(c), d));
        if (!tsr_u128_lt(left, d)) {
            c++;
            left = tsr_u128_sub(left, d);
        }
    }
    *r = left;
    return tsr_u128_from_u64(c);
}
#endif

/* ---- signed 128 ----------------------------------------------------------------------------- */

static inline int tsr_i128_is_neg(tsr_i128 a)
{
    return (a.hi >> 63) != 0;
}
static inline int tsr_i128_is_zero(tsr_i128 a)
{
    return (a.lo | a.hi) == 0;
}
static inline int tsr_i128_eq(tsr_i128 a, tsr_i128 b)
{
    return a.lo == b.lo && a.hi == b.hi;
}
/* Signed comparison: -1, 0, 1. */
static inline int tsr_i128_cmp(tsr_i128 a, tsr_i128 b)
{
    int na = tsr_i128_is_neg(a), nb = tsr_i128_is_neg(b);
    if (na != nb)
        return na ? -1 : 1;
    /* Same sign: two's complement order equals unsigned order. */
    return tsr_u128_cmp(tsr_i128_bits(a), tsr_i128_bits(b));
}
/* -a mod 2^128 (so -MIN == MIN). */
static inline tsr_i128 tsr_i128_neg(tsr_i128 a)
{
    return tsr_i128_from_bits(tsr_u128_sub(tsr_u128_make(0, 0), tsr_i128_bits(a)));
}
/* |a| as an unsigned value (exact for every input, including MIN -> 2^127). */
static inline tsr_u128 tsr_i128_abs(tsr_i128 a)
{
    return tsr_i128_bits(tsr_i128_is_neg(a) ? tsr_i128_neg(a) : a);
}
static inline tsr_i128 tsr_i128_add(tsr_i128 a, tsr_i128 b)
{
    return tsr_i128_from_bits(tsr_u128_add(tsr_i128_bits(a), tsr_i128_bits(b)));
}
static inline tsr_i128 tsr_i128_sub(tsr_i128 a, tsr_i128 b)
{
    return tsr_i128_from_bits(tsr_u128_sub(tsr_i128_bits(a), tsr_i128_bits(b)));
}
/* r = a + b (wrapping); returns 1 on signed overflow. */
static inline int tsr_i128_add_ovf(tsr_i128 a, tsr_i128 b, tsr_i128 *r)
{
    *r = tsr_i128_add(a, b);
    /* Overflow iff both operands have the same sign and the result's sign differs. */
    return tsr_i128_is_neg(a) == tsr_i128_is_neg(b) && tsr_i128_is_neg(*r) != tsr_i128_is_neg(a);
}
/* r = a - b (wrapping); returns 1 on signed overflow. */
static inline int tsr_i128_sub_ovf(tsr_i128 a, tsr_i128 b, tsr_i128 *r)
{
    *r = tsr_i128_sub(a, b);
    return tsr_i128_is_neg(a) != tsr_i128_is_neg(b) && tsr_i128_is_neg(*r) != tsr_i128_is_neg(a);
}
static inline tsr_i128 tsr_i128_shl(tsr_i128 a, unsigned s)
{
    return tsr_i128_from_bits(tsr_u128_shl(tsr_i128_bits(a), s));
}
/* Arithmetic right shift (floor division by 2^s); s >= 128 gives 0 or -1. */
static inline tsr_i128 tsr_i128_sar(tsr_i128 a, unsigned s)
{
    if (!tsr_i128_is_neg(a))
        return tsr_i128_from_bits(tsr_u128_shr(tsr_i128_bits(a), s));
    /* floor(a / 2^s) = ~((~a) >> s) for negative a. */
    tsr_u128 na = tsr_u128_make(~a.hi, ~a.lo);
    tsr_u128 sh = tsr_u128_shr(na, s);
    return tsr_i128_make(~sh.hi, ~sh.lo);
}
/* Exact signed 64 x 64 -> 128 product. */
static inline tsr_i128 tsr_i128_mul64(int64_t a, int64_t b)
{
    uint64_t ma = a < 0 ? 0u - (uint64_t)a : (uint64_t)a;
    uint64_t mb = b < 0 ? 0u - (uint64_t)b : (uint64_t)b;
    tsr_i128 p = tsr_i128_from_bits(tsr_u128_mul64(ma, mb));
    return ((a < 0) != (b < 0)) ? tsr_i128_neg(p) : p;
}
/* 1 when a fits int64_t; then *out = a. */
static inline int tsr_i128_to_i64(tsr_i128 a, int64_t *out)
{
    int neg = tsr_i128_is_neg(a);
    if (a.hi != (neg ? UINT64_MAX : 0) || ((a.lo >> 63) != 0) != neg)
        return 0;
    /* Two's complement reinterpretation without an implementation-defined cast. */
    *out = neg ? -(int64_t)(~a.lo) - 1 : (int64_t)a.lo;
    return 1;
}
/* Signed division truncating toward zero: q = trunc(n / d), r = n - q d (sign of n).
 * TSR_EDIVZERO on d = 0; TSR_EOVERFLOW for MIN / -1 (outputs untouched). */
int tsr_i128_divmod(tsr_i128 n, tsr_i128 d, tsr_i128 *q, tsr_i128 *r);

#endif /* TSR_INT_H */
