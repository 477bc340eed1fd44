/* tsr_int.c: the out-of-line parts of the wide integers (tsr_int.h): 256-bit shifts and the
 * divisions.
 *
 * Division is Knuth's algorithm D (TAOCP vol. 2, 4.3.1) over base-2^32 digits with 64-bit
 * intermediates, written with unsigned arithmetic only, so it behaves the same on every C11
 * compiler. Cost: O(m n) digit operations for an m-digit numerator and an n-digit divisor
 * (m <= 8, n <= 4). Shortcuts that give the same quotient and remainder, cheapest first:
 *  - a divisor whose low word is 0 (any 64-fraction-bit raw of an integer) drops that word;
 *  - a 256-bit numerator that fits 128 bits uses the 128-bit division;
 *  - 128-bit division in the native build: one or two 128/64 machine divisions with a one-word
 *    quotient (tsr_u128_div64) for a divisor below 2^64, one such division and a one-step
 *    correction above (tsr__u128_divrem_native in tsr_int.h); in the portable build, built with
 *    TSR_PORTABLE_INT, one machine division when both operands fit 64 bits, else algorithm D;
 *  - native build only: a 256-bit numerator by a divisor below 2^64 word by word, four 128/64
 *    divisions each with a one-word quotient, and by a two-word divisor algorithm D on 64-bit
 *    digits whose trial quotients are 128/64 machine divisions.
 */
#include "tsr_int.h"
#include "tsr_err.h"

#include <stddef.h>

tsr_u256 tsr_u256_shl(tsr_u256 a, unsigned s)
{
    tsr_u256 r = {{0, 0, 0, 0}};
    unsigned words = s / 64, bits = s % 64;
    if (s >= 256)
        return r;
    for (unsigned i = 4; i-- > words;) {
        unsigned src = i - words;
        uint64_t v = a.w[src] << bits;
        if (bits && src >= 1)
            v |= a.w[src - 1] >> (64 - bits);
        r.w[i] = v;
    }
    return r;
}

tsr_u256 tsr_u256_shr(tsr_u256 a, unsigned s)
{
    tsr_u256 r = {{0, 0, 0, 0}};
    unsigned words = s / 64, bits = s % 64;
    if (s >= 256)
        return r;
    for (unsigned i = 0; i + words < 4; i++) {
        uint64_t v = a.w[i + words] >> bits;
        if (bits && i + words + 1 < 4)
            v |= a.w[i + words + 1] << (64 - bits);
        r.w[i] = v;
    }
    return r;
}

int tsr_u256_low_bits_nonzero(tsr_u256 a, unsigned s)
{
    for (unsigned i = 0; i < 4; i++) {
        unsigned lo = i * 64;
        if (s <= lo)
            break;
        uint64_t mask = (s - lo >= 64) ? UINT64_MAX : (((uint64_t)1 << (s - lo)) - 1);
        if (a.w[i] & mask)
            return 1;
    }
    return 0;
}

/* Number of leading zero bits of a non-zero 32-bit digit. */
static unsigned nlz32(uint32_t x)
{
    unsigned n = 0;
    while (!(x & 0x80000000u)) {
        x <<= 1;
        n++;
    }
    return n;
}

/* Knuth D. u has m digits, v has n digits with v[n-1] != 0, m >= n >= 1. Writes m-n+1 quotient
 * digits to q and n remainder digits to r. Arrays are little-endian base 2^32. */
static void divmnu(uint32_t *q, uint32_t *r, const uint32_t *u, size_t m, const uint32_t *v,
                   size_t n)
{
    uint32_t un[9], vn[4];
    const uint64_t b = (uint64_t)1 << 32;

    if (n == 1) {
        uint64_t rem = 0;
        for (size_t j = m; j-- > 0;) {
            uint64_t cur = (rem << 32) | u[j];
            q[j] = (uint32_t)(cur / v[0]);
            rem = cur % v[0];
        }
        r[0] = (uint32_t)rem;
        return;
    }
    /* Normalise so the divisor's top digit has its high bit set. */
    unsigned s = nlz32(v[n - 1]);
    for (size_t i = n - 1; i > 0; i--)
        vn[i] = (uint32_t)((v[i] << s) | (s ? (uint32_t)((uint64_t)v[i - 1] >> (32 - s)) : 0u));
    vn[0] = v[0] << s;
    un[m] = s ? (uint32_t)((uint64_t)u[m - 1] >> (32 - s)) : 0u;
    for (size_t i = m - 1; i > 0; i--)
        un[i] = (uint32_t)((u[i] << s) | (s ? (uint32_t)((uint64_t)u[i - 1] >> (32 - s)) : 0u));
    un[0] = u[0] << s;

    for (size_t j = m - n + 1; j-- > 0;) {
        uint64_t num = ((uint64_t)un[j + n] << 32) | un[j + n - 1];
        uint64_t qhat = num / vn[n - 1];
        uint64_t rhat = num % vn[n - 1];
        while (qhat >= b || qhat * vn[n - 2] > ((rhat << 32) | un[j + n - 2])) {
            qhat--;
            rhat += vn[n - 1];
            if (rhat >= b)
                break;
        }
        /* Multiply and subtract qhat * vn from un[j .. j+n]. */
        uint64_t carry = 0, borrow = 0;
        for (size_t i = 0; i < n; i++) {
            uint64_t p = qhat * vn[i] + carry;
            carry = p >> 32;
            uint64_t sub = (p & 0xffffffffu) + borrow;
            uint64_t cur = un[i + j];
            borrow = cur < sub;
            un[i + j] = (uint32_t)(cur - sub);
        }
        uint64_t sub = carry + borrow;
        uint64_t top = un[j + n];
        int negative = top < sub;
        un[j + n] = (uint32_t)(top - sub);
        if (negative) {
            /* qhat was one too large (rare): add the divisor back. */
            qhat--;
            uint64_t c = 0;
            for (size_t i = 0; i < n; i++) {
                uint64_t t = (uint64_t)un[i + j] + vn[i] + c;
                un[i + j] = (uint32_t)t;
                c = t >> 32;
            }
            un[j + n] = (uint32_t)(un[j + n] + c);
        }
        q[j] = (uint32_t)qhat;
    }
    for (size_t i = 0; i < n; i++)
        r[i] = (uint32_t)((un[i] >> s) | (s ? (uint32_t)((uint64_t)un[i + 1] << (32 - s)) : 0u));
}

static size_t to_digits(const uint64_t *w, size_t nw, uint32_t *d)
{
    size_t n = 0;
    for (size_t i = 0; i < nw; i++) {
        d[2 * i] = (uint32_t)w[i];
        d[2 * i + 1] = (uint32_t)(w[i] >> 32);
    }
    for (size_t i = 0; i < 2 * nw; i++)
        if (d[i])
            n = i + 1;
    return n;
}

static void from_digits(const uint32_t *d, size_t nd, uint64_t *w, size_t nw)
{
    for (size_t i = 0; i < nw; i++) {
        uint64_t lo = 2 * i < nd ? d[2 * i] : 0;
        uint64_t hi = 2 * i + 1 < nd ? d[2 * i + 1] : 0;
        w[i] = lo | (hi << 32);
    }
}

/* Generic: numerator of nw words, divisor of 2 words; quotient nw words, remainder 2 words. */
static int divmod_words(const uint64_t *nwords, size_t nw, tsr_u128 d, uint64_t *qw, tsr_u128 *rem)
{
    uint32_t u[8], v[4], q[8] = {0}, r[4] = {0};
    uint64_t dw[2] = {d.lo, d.hi};
    size_t n = to_digits(dw, 2, v);
    size_t m = to_digits(nwords, nw, u);
    uint64_t rw[2];
    if (n == 0)
        return TSR_EDIVZERO;
    if (m < n) {
        /* Numerator smaller than divisor. */
        for (size_t i = 0; i < nw; i++)
            qw[i] = 0;
        for (size_t i = 0; i < m; i++)
            r[i] = u[i];
    } else {
        divmnu(q, r, u, m, v, n);
        from_digits(q, m - n + 1, qw, nw);
    }
    from_digits(r, 4, rw, 2);
    *rem = tsr_u128_make(rw[1], rw[0]);
    return TSR_OK;
}

uint64_t tsr__u128_div64_portable(uint64_t hi, uint64_t lo, uint64_t d, uint64_t *r)
{
    uint64_t nwords[2] = {lo, hi}, qw[2] = {0, 0};
    tsr_u128 rem = tsr_u128_make(0, 0);
    if (hi == 0) {
        *r = lo % d;
        return lo / d;
    }
    (void)divmod_words(nwords, 2, tsr_u128_from_u64(d), qw, &rem);
    *r = rem.lo; /* below d < 2^64; qw[1] is 0 as hi < d */
    return qw[0];
}

int tsr_u128_divmod(tsr_u128 n, tsr_u128 d, tsr_u128 *q, tsr_u128 *r)
{
    if (tsr_u128_is_zero(d))
        return TSR_EDIVZERO;
#if TSR_NATIVE_INT128
    {
        tsr_u128 rem, quo = tsr__u128_divrem_native(n, d, &rem);
        if (q)
            *q = quo;
        if (r)
            *r = rem;
        return TSR_OK;
    }
#else
    if ((n.hi | d.hi) == 0) {
        /* Both fit 64 bits: one machine division instead of algorithm D. */
        if (q)
            *q = tsr_u128_from_u64(n.lo / d.lo);
        if (r)
            *r = tsr_u128_from_u64(n.lo % d.lo);
        return TSR_OK;
    }
    {
        uint64_t nwords[2] = {n.lo, n.hi}, qw[2] = {0, 0};
        tsr_u128 rem = tsr_u128_make(0, 0); /* divmod_words writes both (d != 0) */
        (void)divmod_words(nwords, 2, d, qw, &rem);
        if (q)
            *q = tsr_u128_make(qw[1], qw[0]);
        if (r)
            *r = rem;
        return TSR_OK;
    }
#endif
}

#if TSR_NATIVE_INT128
/* n / d for a divisor below 2^64, one word at a time from the top: each step divides
 * rem * 2^64 + n.w[i] with rem < d, so its quotient fits one word: one tsr_u128_div64. */
static void u256_divmod_u64(tsr_u256 n, uint64_t d, tsr_u256 *q, tsr_u128 *r)
{
    uint64_t rem = 0;
    for (size_t i = 4; i-- > 0;) {
        uint64_t qi = tsr_u128_div64(rem, n.w[i], d, &rem);
        if (q)
            q->w[i] = qi;
    }
    if (r)
        *r = tsr_u128_from_u64(rem);
}

/* Subtracts qhat * (v1, v0) from u[0..2]; 1 when that went below zero (qhat one too large). */
static int mulsub3(uint64_t *u, uint64_t qhat, uint64_t v1, uint64_t v0)
{
    tsr__n128 p0 = (tsr__n128)qhat * v0, p1 = (tsr__n128)qhat * v1;
    uint64_t w0 = (uint64_t)p0, w1 = (uint64_t)(p0 >> 64) + (uint64_t)p1;
    uint64_t w2 = (uint64_t)(p1 >> 64) + (w1 < (uint64_t)p1); /* < 2^64: qhat v < 2^192 */
    uint64_t b0 = u[0] < w0;
    u[0] -= w0;
    uint64_t t1 = u[1] - w1, b1 = (u[1] < w1) | (t1 < b0);
    u[1] = t1 - b0;
    uint64_t t2 = u[2] - w2, b2 = (u[2] < w2) | (t2 < b1);
    u[2] = t2 - b1;
    return (int)b2;
}

/* Adds (v1, v0) back to u[0..2] after mulsub3 went below zero (the carry out cancels it). */
static void addback3(uint64_t *u, uint64_t v1, uint64_t v0)
{
    uint64_t s0 = u[0] + v0, c0 = s0 < v0;
    uint64_t s1 = u[1] + v1, c1 = s1 < v1;
    u[0] = s0;
    u[1] = s1 + c0;
    c1 |= u[1] < c0;
    u[2] += c1;
}

/* n / d for a two-word divisor (d.hi != 0): Knuth's algorithm D with 64-bit digits (TAOCP 4.3.1),
 * the trial quotient of each of the three quotient digits from one 128 / 64 division. Same
 * results as the 32-bit-digit version below, in a fraction of its steps. */
static void u256_divmod_2w(tsr_u256 n, tsr_u128 d, tsr_u256 *q, tsr_u128 *r)
{
    /* normalise: the divisor's top bit set (d.hi != 0, so s <= 63; the mask says so) */
    unsigned s = (64u - tsr_u64_bitlen(d.hi)) & 63u;
    uint64_t v1 = s ? (d.hi << s) | (d.lo >> (64 - s)) : d.hi, v0 = d.lo << s;
    uint64_t u[5];
    u[4] = s ? n.w[3] >> (64 - s) : 0;
    for (size_t i = 3; i > 0; i--)
        u[i] = s ? (n.w[i] << s) | (n.w[i - 1] >> (64 - s)) : n.w[i];
    u[0] = n.w[0] << s;
    uint64_t qw[3];
    for (size_t j = 3; j-- > 0;) {
        tsr__n128 qhat, rhat;
        /* u[] is all written (above, and by mulsub3/addback3, which write all three words):
         * clang-tidy's analyser loses track of it through their 128-bit arithmetic. */
        /* NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult) */
        if (u[j + 2] < v1) { /* the usual case: a one-word trial quotient, one machine division */
            uint64_t r64;
            qhat = tsr_u128_div64(u[j + 2], u[j + 1], v1, &r64);
            rhat = r64;
        } else { /* u[j + 2] == v1: the trial quotient is 2^64 or more, the loop lowers it */
            tsr__n128 num = ((tsr__n128)u[j + 2] << 64) | u[j + 1];
            qhat = num / v1, rhat = num % v1;
        }
        while ((qhat >> 64) != 0 || qhat * v0 > ((rhat << 64) | u[j])) {
            qhat--;
            rhat += v1;
            if ((rhat >> 64) != 0)
                break;
        }
        uint64_t qd = (uint64_t)qhat;
        if (mulsub3(u + j, qd, v1, v0)) {
            qd--;
            addback3(u + j, v1, v0);
        }
        qw[j] = qd;
    }
    if (q) {
        q->w[0] = qw[0], q->w[1] = qw[1], q->w[2] = qw[2];
        q->w[3] = 0; /* d >= 2^64: the quotient is below 2^192 */
    }
    if (r)
        *r = tsr_u128_make(u[1] >> s, s ? (u[0] >> s) | (u[1] << (64 - s)) : u[0]);
}
#endif

int tsr_u256_divmod_u128(tsr_u256 n, tsr_u128 d, tsr_u256 *q, tsr_u128 *r)
{
    uint64_t qw[4];
    tsr_u128 rem = tsr_u128_make(0, 0);
    if (tsr_u128_is_zero(d))
        return TSR_EDIVZERO;
    if (d.lo == 0) {
        /* d = d.hi 2^64, as for any 64-fraction-bit raw of an integer: floor(n / d) =
         * floor(floor(n / 2^64) / d.hi), and the remainder is (floor(n / 2^64) mod d.hi) 2^64
         * + (n mod 2^64). One level of recursion, with a one-word divisor. */
        tsr_u256 top = {{n.w[1], n.w[2], n.w[3], 0}};
        (void)tsr_u256_divmod_u128(top, tsr_u128_from_u64(d.hi), q, r ? &rem : NULL);
        if (r)
            *r = tsr_u128_make(rem.lo, n.w[0]);
        return TSR_OK;
    }
    if (tsr_u256_fits_u128(n)) {
        /* The quotient fits 128 bits too: the cheaper 128-bit division gives the same result. */
        tsr_u128 q128 = tsr_u128_make(0, 0);
        (void)tsr_u128_divmod(tsr_u256_low128(n), d, q ? &q128 : NULL, r);
        if (q)
            *q = tsr_u256_from_u128(q128);
        return TSR_OK;
    }
#if TSR_NATIVE_INT128
    if (d.hi == 0)
        u256_divmod_u64(n, d.lo, q, r);
    else
        u256_divmod_2w(n, d, q, r);
    return TSR_OK;
#endif
    (void)divmod_words(n.w, 4, d, qw, &rem);
    if (q) {
        for (size_t i = 0; i < 4; i++)
            q->w[i] = qw[i];
    }
    if (r)
        *r = rem;
    return TSR_OK;
}

int tsr_i128_divmod(tsr_i128 n, tsr_i128 d, tsr_i128 *q, tsr_i128 *r)
{
    tsr_u128 mq = {0, 0}, mr = {0, 0};
    int nneg = tsr_i128_is_neg(n), dneg = tsr_i128_is_neg(d);
    if (tsr_i128_is_zero(d))
        return TSR_EDIVZERO;
    if (tsr_i128_eq(n, tsr_i128_min()) && tsr_i128_eq(d, tsr_i128_from_i64(-1)))
        return TSR_EOVERFLOW;
#if TSR_NATIVE_INT128
    /* inline: through tsr_u128_divmod the results would come back through memory, and GCC 12
     * reloads them as one vector, a store-forwarding stall (4x the cost of an I32F32 division) */
    mq = tsr__u128_divrem_native(tsr_i128_abs(n), tsr_i128_abs(d), &mr);
#else
    (void)tsr_u128_divmod(tsr_i128_abs(n), tsr_i128_abs(d), &mq, &mr);
#endif
    if (q) {
        tsr_i128 t = tsr_i128_from_bits(mq);
        *q = (nneg != dneg) ? tsr_i128_neg(t) : t;
    }
    if (r) {
        tsr_i128 t = tsr_i128_from_bits(mr);
        *r = nneg ? tsr_i128_neg(t) : t;
    }
    return TSR_OK;
}
