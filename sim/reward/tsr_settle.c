/* tsr_settle.c: integer settlement primitives (tsr_settle.h).
 *
 * The square root is the bit-by-bit method on 128-bit squares: 64 steps, exact, no division.
 * The fourth root is floor(sqrt(floor(sqrt(x)))), which equals floor(x^(1/4)) for every integer
 * x because floor(sqrt(floor(y))) == floor(sqrt(y)) for real y >= 0.
 */
#include "tsr_settle.h"
#include "tsr_err.h"
#include "tsr_int.h"

int tsr_muldiv_floor(uint64_t a, uint64_t b, uint64_t c, uint64_t *out)
{
    if (c == 0)
        return TSR_EDIVZERO;
    tsr_u128 q, r;
    tsr_u128_divmod(tsr_u128_mul64(a, b), tsr_u128_from_u64(c), &q, &r);
    if (q.hi != 0)
        return TSR_EOVERFLOW;
    *out = q.lo;
    return TSR_OK;
}

int tsr_take_ppb(uint64_t amount, uint32_t rate_ppb, uint64_t *taken, uint64_t *rest)
{
    if (rate_ppb > TSR_PPB)
        return TSR_ERANGE;
    uint64_t t = 0;
    (void)tsr_muldiv_floor(amount, rate_ppb, TSR_PPB, &t); /* t <= amount: cannot fail */
    if (taken)
        *taken = t;
    if (rest)
        *rest = amount - t;
    return TSR_OK;
}

int tsr_split_cumulative(uint64_t amount, const uint64_t *weights, size_t n, uint64_t denom,
                         uint64_t *out, uint64_t *kept)
{
    if (denom == 0)
        return TSR_EDIVZERO;
    if (n > 0 && (!weights || !out))
        return TSR_EINVAL;
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        if (weights[i] > denom - total)
            return TSR_ERANGE;
        total += weights[i];
    }
    uint64_t cum = 0, given = 0;
    for (size_t i = 0; i < n; i++) {
        cum += weights[i];
        uint64_t upto = 0;
        (void)tsr_muldiv_floor(amount, cum, denom, &upto); /* cum <= denom: fits */
        out[i] = upto - given;
        given = upto;
    }
    if (kept)
        *kept = amount - given;
    return TSR_OK;
}

/* Sum of n 128-bit weights into *total; TSR_EOVERFLOW beyond 2^128 - 1. */
static int sum_w128(const tsr_u128 *w, size_t n, tsr_u128 *total)
{
    *total = tsr_u128_from_u64(0);
    for (size_t i = 0; i < n; i++)
        if (tsr_u128_add_ovf(*total, w[i], total))
            return TSR_EOVERFLOW;
    return TSR_OK;
}

int tsr_split_cumulative_w128(uint64_t amount, const tsr_u128 *weights, size_t n, uint64_t *out,
                              uint64_t *kept)
{
    if (n > 0 && (!weights || !out))
        return TSR_EINVAL;
    tsr_u128 total;
    if (sum_w128(weights, n, &total) != TSR_OK)
        return TSR_EOVERFLOW;
    if (tsr_u128_is_zero(total)) {
        for (size_t i = 0; i < n; i++)
            out[i] = 0;
        if (kept)
            *kept = amount;
        return TSR_OK;
    }
    tsr_u128 cum = tsr_u128_from_u64(0);
    uint64_t given = 0;
    for (size_t i = 0; i < n; i++) {
        cum = tsr_u128_add(cum, weights[i]);
        tsr_u256 q;
        tsr_u128 r;
        tsr_u256_divmod_u128(tsr_u128_mul_full(tsr_u128_from_u64(amount), cum), total, &q, &r);
        uint64_t upto = q.w[0]; /* cum <= total: the quotient is at most amount */
        out[i] = upto - given;
        given = upto;
    }
    if (kept)
        *kept = amount - given;
    return TSR_OK;
}

int tsr_split_largest_w128(uint64_t amount, const tsr_u128 *weights, size_t n, uint64_t *out,
                           tsr_u128 *rem, uint64_t *kept)
{
    if (n > 0 && (!weights || !out || !rem))
        return TSR_EINVAL;
    tsr_u128 total;
    if (sum_w128(weights, n, &total) != TSR_OK)
        return TSR_EOVERFLOW;
    uint64_t given = 0;
    for (size_t i = 0; i < n; i++) {
        out[i] = 0;
        rem[i] = tsr_u128_from_u64(0);
        if (tsr_u128_is_zero(total))
            continue;
        tsr_u256 q;
        tsr_u256_divmod_u128(tsr_u128_mul_full(tsr_u128_from_u64(amount), weights[i]), total, &q,
                             &rem[i]);
        out[i] = q.w[0]; /* w_i <= W: the quotient is at most the amount */
        given += out[i];
    }
    if (tsr_u128_is_zero(total)) {
        if (kept)
            *kept = amount;
        return TSR_OK;
    }
    for (uint64_t left = amount - given; left > 0; left--) { /* fewer than n rounds */
        size_t best = 0;
        for (size_t i = 1; i < n; i++)
            if (tsr_u128_lt(rem[best], rem[i]))
                best = i;
        out[best]++;
        rem[best] = tsr_u128_from_u64(0); /* each holder gets at most one extra unit */
    }
    if (kept)
        *kept = 0;
    return TSR_OK;
}

uint64_t tsr_isqrt_u128(uint64_t hi, uint64_t lo)
{
    tsr_u128 x = tsr_u128_make(hi, lo);
    uint64_t r = 0;
    for (int bit = 63; bit >= 0; bit--) {
        uint64_t c = r | ((uint64_t)1 << bit);
        if (!tsr_u128_lt(x, tsr_u128_mul64(c, c)))
            r = c;
    }
    return r;
}

/* r^q as a 128-bit value; r <= 65535 and q <= 8 keep it below 2^128. */
static tsr_u128 pow_u128(uint64_t r, unsigned q)
{
    tsr_u128 p = tsr_u128_from_u64(1);
    for (unsigned i = 0; i < q; i++)
        p = tsr_u128_mul(p, tsr_u128_from_u64(r));
    return p;
}

/* floor(teams * per / denom) without overflow (teams below 2^64, per < denom <= 1000). */
static uint64_t share_of(uint64_t teams, uint64_t per, uint64_t denom)
{
    return teams / denom * per + teams % denom * per / denom;
}

static uint64_t at_most(uint64_t cut, uint64_t teams)
{
    return cut < teams ? cut : teams;
}

void tsr_kaggle_medals(uint64_t teams, uint64_t *gold, uint64_t *silver, uint64_t *bronze)
{
    uint64_t g, s, b;
    if (teams < 250) {
        b = share_of(teams, 40, 100), s = share_of(teams, 20, 100);
        g = teams < 100 ? share_of(teams, 10, 100) : 10;
    } else {
        g = 10 + share_of(teams, 2, 1000);
        s = teams < 1000 ? 50 : share_of(teams, 5, 100);
        b = teams < 1000 ? 100 : share_of(teams, 10, 100);
    }
    if (gold)
        *gold = at_most(g, teams);
    if (silver)
        *silver = at_most(s, teams);
    if (bronze)
        *bronze = at_most(b, teams);
}

int tsr_rank_weights_power(unsigned q, size_t n, uint64_t *out)
{
    if (q > 8 || n > 65535)
        return TSR_ERANGE;
    if (n > 0 && !out)
        return TSR_EINVAL;
    /* 10^36 = (10^18)^2 */
    tsr_u128 e36 = tsr_u128_mul64(1000000000000000000ull, 1000000000000000000ull);
    for (size_t i = 0; i < n; i++) {
        tsr_u128 quo, rem;
        tsr_u128_divmod(e36, pow_u128(i + 1, q), &quo, &rem);
        out[i] = tsr_isqrt_u128(0, tsr_isqrt_u128(quo.hi, quo.lo));
    }
    return TSR_OK;
}
