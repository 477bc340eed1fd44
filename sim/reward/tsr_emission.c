/* tsr_emission.c: emission schedules and epoch timing (tsr_emission.h).
 *
 * The issuance schedule follows the chain's I96F32 steps one for one so that the rounding of
 * every intermediate (the floored ratio, the truncated inverse, the half-up halvings inside
 * log2) is the chain's. The operands of those steps are provably small, so they are written on
 * machine integers (two divisions and a bit count, ~10 ns; the simulator calls this once per
 * block) rather than through the general 128/256-bit fixed-point kernels, with each equivalence
 * stated next to the code and checked against a literal transcription in the tests. The halving
 * thresholds are then found by binary search over that same function rather than by a closed
 * form, so they can never disagree with it.
 */
#include "tsr_emission.h"
#include "tsr_err.h"
#include "tsr_fixed.h"

#include <stddef.h>

/* ---- Bitcoin-style ---- */

int tsr_halving_validate(const tsr_halving_schedule *s)
{
    return (s && s->interval > 0) ? TSR_OK : TSR_EINVAL;
}

uint64_t tsr_halving_era(const tsr_halving_schedule *s, uint64_t height)
{
    if (tsr_halving_validate(s) || height < s->start_height)
        return 0;
    return (height - s->start_height) / s->interval;
}

uint64_t tsr_halving_subsidy(const tsr_halving_schedule *s, uint64_t height)
{
    if (tsr_halving_validate(s) || height < s->start_height)
        return 0;
    uint64_t k = tsr_halving_era(s, height);
    /* A shift by 64 or more is undefined in C: the chain's guard. */
    return k >= 64 ? 0 : s->initial_reward >> k;
}

/* acc += a * b, reporting overflow. */
static int add_product(uint64_t *acc, uint64_t a, uint64_t b)
{
    tsr_u128 p = tsr_u128_mul64(a, b);
    if (p.hi || *acc > UINT64_MAX - p.lo)
        return TSR_EOVERFLOW;
    *acc += p.lo;
    return TSR_OK;
}

int tsr_halving_total(const tsr_halving_schedule *s, uint64_t *out)
{
    uint64_t sum = 0;
    if (tsr_halving_validate(s) || !out)
        return TSR_EINVAL;
    for (unsigned k = 0; k < 64; k++)
        if (add_product(&sum, s->initial_reward >> k, s->interval))
            return TSR_EOVERFLOW;
    *out = sum;
    return TSR_OK;
}

int tsr_halving_issued_before(const tsr_halving_schedule *s, uint64_t height, uint64_t *out)
{
    uint64_t sum = 0;
    if (tsr_halving_validate(s) || !out)
        return TSR_EINVAL;
    if (height > s->start_height) {
        uint64_t blocks = height - s->start_height;
        uint64_t full = blocks / s->interval, part = blocks % s->interval;
        for (uint64_t k = 0; k < 64 && k < full; k++)
            if (add_product(&sum, s->initial_reward >> k, s->interval))
                return TSR_EOVERFLOW;
        if (full < 64 && add_product(&sum, s->initial_reward >> full, part))
            return TSR_EOVERFLOW;
    }
    *out = sum;
    return TSR_OK;
}

int tsr_halving_next_height(const tsr_halving_schedule *s, uint64_t height, uint64_t *out)
{
    if (tsr_halving_validate(s) || !out)
        return TSR_EINVAL;
    uint64_t k = height < s->start_height ? 0 : tsr_halving_era(s, height) + 1;
    tsr_u128 off = tsr_u128_mul64(k == 0 ? 1 : k, s->interval);
    if (off.hi || off.lo > UINT64_MAX - s->start_height)
        return TSR_ERANGE;
    *out = s->start_height + off.lo;
    return TSR_OK;
}

/* ---- issuance-driven ---- */

void tsr_issuance_params_default(tsr_issuance_params *p)
{
    p->total_supply = TSR_TOTAL_SUPPLY;
    p->default_emission = TSR_DEFAULT_BLOCK_EMISSION;
    p->max_issuance = TSR_MAX_TAO_ISSUANCE;
}

static const tsr_issuance_params *params_or_default(const tsr_issuance_params *p,
                                                    tsr_issuance_params *tmp)
{
    if (p)
        return p;
    tsr_issuance_params_default(tmp);
    return tmp;
}

/* The chain's k = floor(log2(1 / (1 - issuance / total_supply))) in I96F32, for issuance < total.
 * Each step is the chain's I96F32 operation on raw values, written with the machine integers its
 * operands are known to fit (the literal I96F32 transcription is the reference in
 * tests/unit/reward/test_fastpath.c, which compares the two over ~1M inputs):
 *  - ratio = (I 2^32 << 32) / (T 2^32) = floor(I 2^32 / T) raw, below 2^32 because I < T;
 *  - denom = 1 - ratio = 2^32 - ratio raw, in [1, 2^32];
 *  - inv = (2^32 << 32) / denom = floor(2^64 / denom) raw, in [2^32, 2^64], so inv >= 1.0 and
 *    log2 takes its x >= 1 branch;
 *  - floor(log2(inv)) is the halving count: log2 returns (count << 32) | fraction bits, and the
 *    fraction bits (the 32 squaring steps of §1.4 step 3) fall below bit 32 and are floored away,
 *    so tsr__i96f32_log2_floor_raw computes just the count.
 * None of these steps can overflow or divide by zero, so the chain's "Logarithm calculation
 * failed" branch is unreachable. k <= 32 (inv <= 2^64). O(1): two machine divisions. */
static int halving_count(const tsr_issuance_params *p, uint64_t issuance, unsigned *k)
{
    tsr_u128 ratio;
    if (p->total_supply == 0)
        return TSR_EINVAL;
    if (issuance >= p->total_supply)
        return TSR_ERANGE;
    (void)tsr_u128_divmod(tsr_u128_make(issuance >> 32, issuance << 32),
                          tsr_u128_from_u64(p->total_supply), &ratio, NULL);
    uint64_t denom = ((uint64_t)1 << 32) - ratio.lo;
    /* inv = floor(2^64 / denom): 2^64 itself for denom = 1; for denom >= 2, from 2^64 - 1 =
     * q denom + r we get 2^64 = q denom + r + 1 with r + 1 <= denom, so the quotient is q, plus 1
     * exactly when r + 1 == denom. */
    uint64_t q = UINT64_MAX / denom, r = UINT64_MAX % denom;
    tsr_u128 inv = denom == 1 ? tsr_u128_make(1, 0) : tsr_u128_from_u64(q + (r == denom - 1));
    *k = (unsigned)tsr__i96f32_log2_floor_raw(inv);
    return TSR_OK;
}

int tsr_block_emission_for_issuance(const tsr_issuance_params *p, uint64_t issuance, uint64_t *out)
{
    tsr_issuance_params tmp;
    unsigned k;
    int rc;
    p = params_or_default(p, &tmp);
    if (!out)
        return TSR_EINVAL;
    rc = halving_count(p, issuance, &k);
    if (rc == TSR_ERANGE) {
        *out = 0;
        return TSR_OK;
    }
    if (rc)
        return rc;
    /* The chain's tail, exact for k <= 32: multiplier = 2^k by repeated saturating doubling is
     * raw 2^(32+k) (far from saturation); pct = 1 / multiplier = (2^32 << 32) / 2^(32+k) =
     * 2^(32-k) raw exactly; pct (*) E = floor(2^(32-k) E 2^32 / 2^32) = E 2^(32-k) raw (< 2^96,
     * fits); to_u64 floors: floor(E 2^(32-k) / 2^32) = E >> k. */
    *out = p->default_emission >> k;
    return TSR_OK;
}

/* The range of issuances with halving count k: [issuance_at(k), issuance_at(k + 1)), the end
 * total_supply when no issuance below it reaches k + 1. Every issuance in it has count k: at
 * least k from the start, below k + 1 before the end, the count being non-decreasing. */
static int halving_range(const tsr_issuance_params *p, unsigned k, uint64_t *lo, uint64_t *hi)
{
    int rc = tsr_issuance_at_halving(p, k, lo);
    if (rc == TSR_OK) {
        rc = tsr_issuance_at_halving(p, k + 1, hi);
        if (rc == TSR_ERANGE) {
            *hi = p->total_supply;
            rc = TSR_OK;
        }
    }
    return rc;
}

int tsr_block_emission_memo(const tsr_issuance_params *p, uint64_t issuance,
                            tsr_emission_memo *memo, uint64_t *out)
{
    tsr_issuance_params tmp;
    p = params_or_default(p, &tmp);
    if (!memo || !out)
        return TSR_EINVAL;
    if (memo->hi > memo->lo && issuance >= memo->lo && issuance < memo->hi &&
        memo->total_supply == p->total_supply && memo->default_emission == p->default_emission) {
        *out = memo->emission;
        return TSR_OK;
    }
    int rc = tsr_block_emission_for_issuance(p, issuance, out);
    unsigned k;
    if (rc != TSR_OK || issuance >= p->total_supply || halving_count(p, issuance, &k) != TSR_OK)
        return rc; /* past the supply (emission 0) or an error: nothing to remember */
    tsr_emission_memo m = {0, 0, p->total_supply, p->default_emission, *out};
    if (halving_range(p, k, &m.lo, &m.hi) == TSR_OK && m.lo <= issuance && issuance < m.hi)
        *memo = m;
    return TSR_OK;
}

int tsr_halving_count_for_issuance(const tsr_issuance_params *p, uint64_t issuance, unsigned *k)
{
    tsr_issuance_params tmp;
    if (!k)
        return TSR_EINVAL;
    return halving_count(params_or_default(p, &tmp), issuance, k);
}

int tsr_issuance_at_halving(const tsr_issuance_params *p, unsigned k, uint64_t *out)
{
    tsr_issuance_params tmp;
    unsigned got;
    int rc;
    p = params_or_default(p, &tmp);
    if (!out || p->total_supply == 0)
        return TSR_EINVAL;
    if (k == 0) {
        *out = 0;
        return TSR_OK;
    }
    uint64_t lo = 0, hi = p->total_supply - 1;
    rc = halving_count(p, hi, &got);
    if (rc)
        return rc;
    if (got < k)
        return TSR_ERANGE;
    /* Invariant: count(hi) >= k; count(lo) < k unless lo == hi. */
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        rc = halving_count(p, mid, &got);
        if (rc)
            return rc;
        if (got >= k)
            hi = mid;
        else
            lo = mid + 1;
    }
    *out = lo;
    return TSR_OK;
}

int tsr_next_halving_issuance(const tsr_issuance_params *p, uint64_t issuance, uint64_t *out)
{
    tsr_issuance_params tmp;
    unsigned k;
    p = params_or_default(p, &tmp);
    int rc = halving_count(p, issuance, &k);
    if (rc)
        return rc;
    return tsr_issuance_at_halving(p, k + 1, out);
}

uint64_t tsr_mint_cap(const tsr_issuance_params *p, uint64_t current_issuance)
{
    uint64_t max = p ? p->max_issuance : TSR_MAX_TAO_ISSUANCE;
    return current_issuance >= max ? 0 : max - current_issuance;
}

/* ---- epoch scheduling ---- */

uint64_t tsr_blocks_until_next_epoch_legacy(uint16_t netuid, uint16_t tempo, uint64_t block)
{
    if (tempo == 0)
        return UINT64_MAX;
    /* Unsigned addition wraps, which is the chain's wrapping_add. */
    uint64_t x = block + (uint64_t)netuid + 1u;
    return (uint64_t)tempo - x % ((uint64_t)tempo + 1u);
}

uint64_t tsr_blocks_until_next_auto_epoch(uint16_t tempo, uint64_t block, uint64_t last_epoch_block)
{
    if (tempo == 0)
        return UINT64_MAX;
    uint64_t next = last_epoch_block > UINT64_MAX - tempo ? UINT64_MAX : last_epoch_block + tempo;
    return next > block ? next - block : 0;
}

int tsr_should_run_epoch(uint16_t tempo, uint64_t block, uint64_t last_epoch_block,
                         uint64_t pending_epoch_at, uint64_t blocks_since_last_step)
{
    if (tempo == 0)
        return 0;
    if (pending_epoch_at > 0 && block >= pending_epoch_at)
        return 1;
    if (blocks_since_last_step > TSR_MAX_TEMPO)
        return 1;
    uint64_t elapsed = block > last_epoch_block ? block - last_epoch_block : 0;
    return elapsed >= tempo;
}
