/* tsr_burn.c: registration burn dynamics, immunity and pruning (tsr_burn.h).
 *
 * The decay factor is the chain's bisection over Q32 powers rather than a closed form (2^(-1/h)),
 * because the floored square-and-multiply is what fixes the chain's bits: e.g. half-life 2 gives
 * 3037000500, one below the correctly rounded sqrt(0.5) in Q32. The immortal-owner set is
 * computed by rank (how many owner uids sort before a uid) instead of by sorting a list, so no
 * scratch buffer is needed for the up to 65536 uids a subnet can address.
 */
#include "tsr_burn.h"
#include "tsr_err.h"
#include "tsr_int.h"

/* ---- Q32 ----------------------------------------------------------------------------------- */

uint64_t tsr_mul_by_q32(uint64_t value, uint64_t factor_q32)
{
    /* A 64 x 64 product always fits 128 bits, so the chain's saturating u128 multiply never
     * saturates; only the shifted result can exceed u64. */
    tsr_u128 shifted = tsr_u128_shr(tsr_u128_mul64(value, factor_q32), 32);
    return shifted.hi ? UINT64_MAX : shifted.lo;
}

uint64_t tsr_pow_q32(uint64_t base_q32, uint16_t exp)
{
    uint64_t result = TSR_Q32_ONE;
    uint64_t factor = base_q32;
    unsigned power = exp;
    while (power > 0) {
        if (power & 1u)
            result = tsr_mul_by_q32(result, factor);
        power >>= 1;
        /* The chain skips the last squaring; it cannot change the result, only the work. */
        if (power > 0)
            factor = tsr_mul_by_q32(factor, factor);
    }
    return result;
}

uint64_t tsr_burn_decay_factor_q32(uint16_t half_life)
{
    if (half_life == 0)
        return TSR_Q32_ONE;
    /* Invariant: pow(lo) <= 1/2 < pow(hi); hi = 1.0 is never evaluated. */
    uint64_t lo = 0, hi = TSR_Q32_ONE;
    while (lo + 1 < hi) {
        uint64_t mid = lo + ((hi - lo) >> 1);
        if (tsr_pow_q32(mid, half_life) > TSR_Q32_HALF)
            hi = mid;
        else
            lo = mid;
    }
    return lo;
}

/* ---- burn ---------------------------------------------------------------------------------- */

int tsr_burn_params_default(tsr_burn_params *p)
{
    if (!p)
        return TSR_EINVAL;
    p->half_life = TSR_DEFAULT_BURN_HALF_LIFE;
    p->min_burn = TSR_DEFAULT_MIN_BURN;
    p->max_burn = TSR_DEFAULT_MAX_BURN;
    return tsr_u64f64_from_f64_bits(TSR_BURN_INCREASE_MULT_F64_BITS, &p->increase_mult);
}

int tsr_burn_init(tsr_burn *b, const tsr_burn_params *p, uint64_t initial_burn)
{
    if (!b || !p)
        return TSR_EINVAL;
    b->params = *p;
    b->burn = initial_burn;
    b->factor_half_life = p->half_life;
    b->factor_q32 = tsr_burn_decay_factor_q32(p->half_life);
    return TSR_OK;
}

uint64_t tsr_burn_clamp(uint64_t burn, uint64_t min_burn, uint64_t max_burn)
{
    /* Two independent ifs in the chain's order: a crossed range ends at max_burn. */
    if (burn < min_burn)
        burn = min_burn;
    if (burn > max_burn)
        burn = max_burn;
    return burn;
}

static uint64_t decay_with(uint64_t burn, const tsr_burn_params *p, uint64_t factor, uint64_t block)
{
    if (p->half_life > 0 && block > 1)
        burn = tsr_mul_by_q32(burn, factor);
    return tsr_burn_clamp(burn, p->min_burn, p->max_burn);
}

int tsr_burn_after_block(uint64_t burn, const tsr_burn_params *p, uint64_t block, uint64_t *out)
{
    if (!p || !out)
        return TSR_EINVAL;
    *out = decay_with(burn, p, tsr_burn_decay_factor_q32(p->half_life), block);
    return TSR_OK;
}

int tsr_burn_after_registration(uint64_t burn, const tsr_burn_params *p, uint64_t *out)
{
    if (!p || !out)
        return TSR_EINVAL;
    tsr_u64f64 mult = p->increase_mult;
    tsr_u64f64 one = tsr_u64f64_from_u64(1);
    if (tsr_u64f64_cmp(mult, one) < 0)
        mult = one;
    /* U64F64(burn) is exact; the product saturates and floors to u64. */
    uint64_t bumped = tsr_u64f64_to_u64(tsr_u64f64_sat_mul(tsr_u64f64_from_u64(burn), mult));
    *out = tsr_burn_clamp(bumped, p->min_burn, p->max_burn);
    return TSR_OK;
}

int tsr_burn_on_block(tsr_burn *b, uint64_t block)
{
    if (!b)
        return TSR_EINVAL;
    if (b->factor_half_life != b->params.half_life) {
        b->factor_half_life = b->params.half_life;
        b->factor_q32 = tsr_burn_decay_factor_q32(b->params.half_life);
    }
    b->burn = decay_with(b->burn, &b->params, b->factor_q32, block);
    return TSR_OK;
}

int tsr_burn_on_registration(tsr_burn *b)
{
    if (!b)
        return TSR_EINVAL;
    return tsr_burn_after_registration(b->burn, &b->params, &b->burn);
}

/* ---- immunity and pruning ------------------------------------------------------------------ */

bool tsr_neuron_is_immune(uint64_t current_block, uint64_t block_at_registration,
                          uint64_t immunity_period)
{
    uint64_t age =
        current_block > block_at_registration ? current_block - block_at_registration : 0;
    return age < immunity_period;
}

static int check_prune_input(const tsr_neuron *nr, size_t n, const tsr_prune_params *p)
{
    if (!p || (n > 0 && !nr) || n > (size_t)UINT16_MAX + 1)
        return TSR_EINVAL;
    if (p->owner_hotkey_uid != TSR_NO_UID) {
        if (p->owner_hotkey_uid < 0 || (size_t)p->owner_hotkey_uid >= n ||
            !nr[p->owner_hotkey_uid].has_hotkey)
            return TSR_EINVAL;
    }
    return TSR_OK;
}

static bool is_owner_key(const tsr_neuron *nr, size_t u)
{
    return nr[u].has_hotkey && nr[u].owned_by_subnet_owner;
}

/* Position of owner key u in the (BlockAtRegistration, uid) order of all owner keys. */
static size_t owner_rank(const tsr_neuron *nr, size_t n, size_t u)
{
    size_t rank = 0;
    for (size_t v = 0; v < n; v++) {
        if (v == u || !is_owner_key(nr, v))
            continue;
        if (nr[v].block_at_registration < nr[u].block_at_registration ||
            (nr[v].block_at_registration == nr[u].block_at_registration && v < u))
            rank++;
    }
    return rank;
}

/* The immortal list is [owner?] + (owner keys of rank < keep): returns `keep` and whether the
 * owner hotkey was put in front. */
static size_t immortal_layout(const tsr_neuron *nr, size_t n, const tsr_prune_params *p,
                              bool *owner_front)
{
    size_t limit = p->immune_owner_uids_limit, owned = 0;
    for (size_t v = 0; v < n; v++)
        owned += is_owner_key(nr, v);
    size_t listed = owned < limit ? owned : limit;
    *owner_front = false;
    if (p->owner_hotkey_uid == TSR_NO_UID || limit == 0)
        return listed;
    size_t o = (size_t)p->owner_hotkey_uid;
    if (is_owner_key(nr, o) && owner_rank(nr, n, o) < listed)
        return listed; /* already listed: the chain leaves the list as it is */
    *owner_front = true;
    return listed < limit ? listed : limit - 1; /* the insert pushes the last one out */
}

static bool is_immortal(const tsr_neuron *nr, size_t n, const tsr_prune_params *p, size_t keep,
                        bool owner_front, size_t u)
{
    if (owner_front && (size_t)p->owner_hotkey_uid == u)
        return true;
    return is_owner_key(nr, u) && owner_rank(nr, n, u) < keep;
}

int tsr_immune_owner_uids(const tsr_neuron *neurons, size_t n, const tsr_prune_params *p,
                          uint16_t *uids, size_t cap, size_t *count)
{
    int rc = check_prune_input(neurons, n, p);
    if (rc)
        return rc;
    if (!count || (cap > 0 && !uids))
        return TSR_EINVAL;
    bool owner_front;
    size_t keep = immortal_layout(neurons, n, p, &owner_front);
    size_t total = keep + (owner_front ? 1u : 0u);
    if (cap < total)
        return TSR_ECAPACITY;
    size_t k = 0;
    if (owner_front)
        uids[k++] = (uint16_t)p->owner_hotkey_uid;
    for (size_t u = 0; u < n; u++) {
        if (!is_owner_key(neurons, u))
            continue;
        size_t r = owner_rank(neurons, n, u);
        if (r < keep)
            uids[(owner_front ? 1u : 0u) + r] = (uint16_t)u;
    }
    *count = total;
    return TSR_OK;
}

/* (emission, registration block, uid) strictly better than the current best? */
static bool prune_better(const tsr_neuron *nr, size_t u, size_t best)
{
    if (nr[u].emission != nr[best].emission)
        return nr[u].emission < nr[best].emission;
    if (nr[u].block_at_registration != nr[best].block_at_registration)
        return nr[u].block_at_registration < nr[best].block_at_registration;
    return u < best;
}

int tsr_neuron_to_prune(const tsr_neuron *neurons, size_t n, const tsr_prune_params *p,
                        uint16_t *uid, bool *found)
{
    int rc = check_prune_input(neurons, n, p);
    if (rc)
        return rc;
    if (!uid || !found)
        return TSR_EINVAL;
    bool owner_front;
    size_t keep = immortal_layout(neurons, n, p, &owner_front);
    size_t best_free = SIZE_MAX, best_immune = SIZE_MAX, free_count = 0;
    for (size_t u = 0; u < n; u++) {
        if (!neurons[u].has_hotkey || is_immortal(neurons, n, p, keep, owner_front, u))
            continue;
        if (tsr_neuron_is_immune(p->current_block, neurons[u].block_at_registration,
                                 p->immunity_period)) {
            if (best_immune == SIZE_MAX || prune_better(neurons, u, best_immune))
                best_immune = u;
        } else {
            free_count++;
            if (best_free == SIZE_MAX || prune_better(neurons, u, best_free))
                best_free = u;
        }
    }
    /* Non-immune uids are pruned only while more than MinNonImmuneUids of them remain. */
    size_t pick =
        (free_count > p->min_non_immune_uids && best_free != SIZE_MAX) ? best_free : best_immune;
    *found = pick != SIZE_MAX;
    if (*found)
        *uid = (uint16_t)pick;
    return TSR_OK;
}
