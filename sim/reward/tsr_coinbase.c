/* tsr_coinbase.c: the per-block coinbase and the distribution arithmetic (tsr_coinbase.h).
 *
 * Each function mirrors one chain function step by step, in the chain's fixed-point type and
 * operation order, because the floors of products and the truncation of quotients are only
 * reproduced by doing the same operations in the same order (a mathematically equal formula
 * rounds differently). Saturating operations are used where the chain saturates; in the value
 * ranges of a real chain (amounts < 2^64 rao, fractions <= 1) none of them saturates.
 *
 * The share computation is written once over an accessor (share_src) so that the array API
 * (tsr_coinbase_shares) and the block step (over tsr_subnet) are the same code.
 */
#include "tsr_coinbase.h"

#include <string.h>

#include "tsr_err.h"
#include "tsr_int.h"

/* ---- small fixed-point helpers ------------------------------------------------------------- */

static tsr_u96f32 u96(uint64_t x)
{
    return tsr_u96f32_from_u64(x);
}

static tsr_u64f64 u64f64_one(void)
{
    return tsr_u64f64_from_u64(1);
}

static tsr_u64f64 u64f64_zero(void)
{
    return tsr_u64f64_from_u64(0);
}

static tsr_u96f32 u96_zero(void)
{
    return tsr_u96f32_from_u64(0);
}

/* U64F64::saturating_from_num(I96F32): negative -> 0, >= 2^64 -> max, else exact. */
static tsr_u64f64 u64f64_from_i96f32(tsr_i96f32 a)
{
    tsr_u64f64 r;
    if (tsr_i128_is_neg(a.raw)) {
        r.raw = tsr_u128_make(0, 0);
        return r;
    }
    tsr_u128 bits = tsr_i128_bits(a.raw);
    r.raw = (bits.hi >> 32) ? tsr_u128_max() : tsr_u128_shl(bits, 32);
    return r;
}

/* I96F32::saturating_from_num(U64F64): drop 32 fractional bits (floor); always in range. */
static tsr_i96f32 i96f32_from_u64f64(tsr_u64f64 a)
{
    tsr_i96f32 r;
    r.raw = tsr_i128_from_bits(tsr_u128_shr(a.raw, 32));
    return r;
}

static tsr_u64f64 u64f64_min(tsr_u64f64 a, tsr_u64f64 b)
{
    return tsr_u64f64_cmp(a, b) <= 0 ? a : b;
}

/* checked_div(...).unwrap_or(0) */
static tsr_u96f32 u96_div_or_zero(tsr_u96f32 a, tsr_u96f32 b)
{
    tsr_u96f32 q;
    return tsr_u96f32_checked_div(a, b, &q) == TSR_OK ? q : u96_zero();
}

static uint64_t sat_add_u64(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static uint64_t sat_sub_u64(uint64_t a, uint64_t b)
{
    return a > b ? a - b : 0;
}

/* ---- fractions ----------------------------------------------------------------------------- */

tsr_u96f32 tsr_u16_fraction(uint16_t x)
{
    return tsr_u96f32_safe_div(u96(x), u96(UINT16_MAX));
}

tsr_u96f32 tsr_u64_fraction(uint64_t x)
{
    return tsr_u96f32_safe_div(u96(x), u96(UINT64_MAX));
}

tsr_i96f32 tsr_subnet_moving_alpha_default(void)
{
    tsr_i96f32 r;
    /* A finite positive literal always converts; the zero fallback is never taken. */
    if (tsr_i96f32_from_f64_bits(TSR_SUBNET_MOVING_ALPHA_F64_BITS, &r) != TSR_OK)
        r = tsr_i96f32_from_int(0);
    return r;
}

tsr_u96f32 tsr_root_proportion(uint64_t root_tao, tsr_u96f32 tao_weight, uint64_t alpha_issuance)
{
    if (tao_weight.raw.hi == 0) {
        /* The same operations on raw values: u96(root) (*) tw has raw root * tw.raw exactly
        ** (the 2^32 of the U96F32 scale cancels), below 2^128 since tw.raw < 2^64. When it is
        ** below 2^96, adding u96(issuance) (< 2^96) cannot saturate and w << 32 fits 128 bits,
        ** so the quotient is one 128-bit division: floor(w 2^32 / (w + issuance 2^32)). */
        tsr_u128 w = tsr_u128_mul64(root_tao, tao_weight.raw.lo);
        if ((w.hi >> 32) == 0) {
            tsr_u128 den =
                tsr_u128_add(w, tsr_u128_make(alpha_issuance >> 32, alpha_issuance << 32));
            tsr_u96f32 q = u96_zero();
            if (!tsr_u128_is_zero(den))
                (void)tsr_u128_divmod(tsr_u128_shl(w, 32), den, &q.raw, NULL);
            return q;
        }
    }
    tsr_u96f32 w = tsr_u96f32_sat_mul(u96(root_tao), tao_weight);
    return u96_div_or_zero(w, tsr_u96f32_sat_add(w, u96(alpha_issuance)));
}

/* tsr_root_proportion through the subnet's memo (tsr_subnet.rp_memo): equal inputs, equal
** result, so the memo only saves the division. */
static tsr_u96f32 root_prop_memo(tsr_subnet *s, uint64_t root_tao, tsr_u96f32 tw, uint64_t iss)
{
    if (s->rp_memo_valid && s->rp_memo_root == root_tao && s->rp_memo_iss == iss &&
        tsr_u128_eq(s->rp_memo_tw.raw, tw.raw))
        return s->rp_memo;
    s->rp_memo = tsr_root_proportion(root_tao, tw, iss);
    s->rp_memo_root = root_tao, s->rp_memo_iss = iss, s->rp_memo_tw = tw;
    s->rp_memo_valid = true;
    return s->rp_memo;
}

/* ---- shares -------------------------------------------------------------------------------- */

tsr_u64f64 tsr_moving_alpha_price(tsr_i96f32 moving_price, bool stable)
{
    return stable ? u64f64_one() : u64f64_from_i96f32(moving_price);
}

/* Where the share inputs come from and where the shares go. */
typedef struct share_src {
    size_t n;
    /* Input i, or false when i is not a subnet to emit to (then its share is not written). */
    bool (*get)(const struct share_src *src, size_t i, tsr_share_input *in);
    void (*put)(const struct share_src *src, size_t i, tsr_u64f64 share);
    tsr_u64f64 (*peek)(const struct share_src *src, size_t i); /* what put stored */
    const void *in;                                            /* the input array */
    void *out;                                                 /* the output array */
    uint64_t root_tao;     /* block step only: for root_proportion */
    tsr_u96f32 tao_weight; /* block step only */
    int variant;           /* TSR_SHARES_MAIN or TSR_SHARES_RELEASE */
} share_src;

/* x / x is exactly 1 for x > 0 (floor(x 2^64 / x) = 2^64): a single emitting subnet's shares. */
static bool same_nonzero(tsr_u64f64 a, tsr_u64f64 b)
{
    return tsr_u128_eq(a.raw, b.raw) && !tsr_u128_is_zero(a.raw);
}

static tsr_u64f64 price_share(tsr_u64f64 p, tsr_u64f64 sum)
{
    tsr_u64f64 q;
    if (same_nonzero(p, sum))
        return u64f64_one();
    return tsr_u64f64_checked_div(p, sum, &q) == TSR_OK ? q : u64f64_zero();
}

/* safe_div(w, sum) with the same shortcut */
static tsr_u64f64 share_of(tsr_u64f64 w, tsr_u64f64 sum)
{
    return same_nonzero(w, sum) ? u64f64_one() : tsr_u64f64_safe_div(w, sum);
}

/* w_i of spec §3.3 for the variant. */
static tsr_u64f64 weighted_share(tsr_u64f64 share, const tsr_share_input *in, int variant)
{
    /* No miner burn under the main weighting: keep = 1 - 0 = 1 exactly, and share (*) 1 is
    ** floor(share 2^64 / 2^64) = share (the common case, one call instead of five). */
    if (variant != TSR_SHARES_RELEASE && tsr_u128_is_zero(in->miner_burned.raw))
        return share;
    tsr_u64f64 mb = u64f64_min(tsr_u96f32_to_u64f64(in->miner_burned), u64f64_one());
    tsr_u64f64 keep = tsr_u64f64_sat_sub(u64f64_one(), mb);
    if (variant == TSR_SHARES_RELEASE)
        keep = tsr_u64f64_sat_mul(tsr_u96f32_to_u64f64(in->root_proportion), keep);
    return tsr_u64f64_sat_mul(share, keep);
}

/* Four O(n) passes; each share is divided at most three times (price share, weighted share,
 * enabled renormalisation), the intermediate values being parked in the output: the weighted
 * share w_i after the second pass (the price share is recomputed, with the same operations, in
 * the rare block where every w_i is 0). */
/* The inputs of the first SHARE_CACHE subnets, read once: the passes read the same state (put
 * writes only the outputs), so later passes take them from here instead of asking again. */
enum { SHARE_CACHE = 64 };
typedef struct share_cache {
    size_t filled;                   /* entries [0, filled) are valid */
    bool ok[SHARE_CACHE];            /* what get returned */
    tsr_share_input in[SHARE_CACHE]; /* what get wrote (when ok) */
} share_cache;

/* Input i: in the cache, or asked again (into *tmp) past it; NULL when i is not a subnet to
 * emit to. A pointer, not a copy: the passes only read it. */
static const tsr_share_input *get_cached(const share_src *src, const share_cache *c, size_t i,
                                         tsr_share_input *tmp)
{
    if (i >= c->filled)
        return src->get(src, i, tmp) ? tmp : NULL;
    return c->ok[i] ? &c->in[i] : NULL;
}

static void compute_shares(const share_src *src)
{
    int variant = src->variant;
    tsr_share_input tmp;
    memset(&tmp, 0, sizeof tmp); /* written by get before any read; zeroed for the analysers */
    const tsr_share_input *in;
    tsr_u64f64 sum_p = u64f64_zero(), sum_w = u64f64_zero(), sum_en = u64f64_zero();
    bool any_disabled = false;
    share_cache c;
    c.filled = 0;
    for (size_t i = 0; i < src->n; i++) {
        tsr_share_input *dst = i < SHARE_CACHE ? &c.in[i] : &tmp; /* get writes in place */
        bool ok = src->get(src, i, dst);
        if (ok)
            sum_p = tsr_u64f64_sat_add(sum_p, dst->moving_price);
        if (i < SHARE_CACHE) {
            c.ok[i] = ok;
            c.filled = i + 1;
        }
    }
    for (size_t i = 0; i < src->n; i++) {
        if (!(in = get_cached(src, &c, i, &tmp)))
            continue;
        tsr_u64f64 w = weighted_share(price_share(in->moving_price, sum_p), in, variant);
        src->put(src, i, w);
        sum_w = tsr_u64f64_sat_add(sum_w, w);
    }
    /* share_i = w_i / sum w when sum w > 0, else the unweighted price share */
    for (size_t i = 0; i < src->n; i++) {
        if (!(in = get_cached(src, &c, i, &tmp)))
            continue;
        tsr_u64f64 s = tsr_u128_is_zero(sum_w.raw) ? price_share(in->moving_price, sum_p)
                                                   : share_of(src->peek(src, i), sum_w);
        src->put(src, i, s);
        if (in->emission_enabled)
            sum_en = tsr_u64f64_sat_add(sum_en, s);
        else
            any_disabled = true;
    }
    if (!any_disabled)
        return;
    /* Disabled subnets keep their place with 0 TAO; the enabled ones share everything. */
    for (size_t i = 0; i < src->n; i++) {
        if (!(in = get_cached(src, &c, i, &tmp)))
            continue;
        bool keep = in->emission_enabled && !tsr_u128_is_zero(sum_en.raw);
        src->put(src, i, keep ? tsr_u64f64_safe_div(src->peek(src, i), sum_en) : u64f64_zero());
    }
}

static bool array_get(const share_src *src, size_t i, tsr_share_input *in)
{
    *in = ((const tsr_share_input *)src->in)[i];
    return true;
}

static void array_put(const share_src *src, size_t i, tsr_u64f64 share)
{
    ((tsr_u64f64 *)src->out)[i] = share;
}

static tsr_u64f64 array_peek(const share_src *src, size_t i)
{
    return ((const tsr_u64f64 *)src->out)[i];
}

static bool valid_variant(int v)
{
    return v == TSR_SHARES_MAIN || v == TSR_SHARES_RELEASE;
}

int tsr_coinbase_shares(const tsr_share_input *in, size_t n, tsr_share_variant variant,
                        tsr_u64f64 *share)
{
    if ((n > 0 && (!in || !share)) || !valid_variant((int)variant))
        return TSR_EINVAL;
    share_src src = {n, array_get, array_put, array_peek, in, share, 0, {{0, 0}}, (int)variant};
    compute_shares(&src);
    return TSR_OK;
}

tsr_u96f32 tsr_coinbase_tao_emission(uint64_t block_emission, tsr_u64f64 share)
{
    return tsr_u64f64_to_u96f32(tsr_u64f64_sat_mul(tsr_u64f64_from_u64(block_emission), share));
}

bool tsr_root_sell_flag(const tsr_u64f64 *moving_prices, size_t n)
{
    if (!moving_prices)
        return false;
    tsr_u64f64 sum = u64f64_zero();
    for (size_t i = 0; i < n; i++)
        sum = tsr_u64f64_sat_add(sum, moving_prices[i]);
    return tsr_u64f64_cmp(sum, u64f64_one()) > 0;
}

/* ---- terms and split ----------------------------------------------------------------------- */

int tsr_coinbase_subnet_terms(tsr_u96f32 tao_emission, uint64_t alpha_emission, tsr_u64f64 price,
                              tsr_u96f32 root_proportion, tsr_subnet_terms *out)
{
    if (!out)
        return TSR_EINVAL;
    tsr_u96f32 p = tsr_u64f64_to_u96f32(price);
    tsr_u96f32 ae = u96(alpha_emission);
    tsr_u96f32 alpha_in = u96_div_or_zero(tao_emission, p); /* safe_div_or(price, 0) */
    tsr_u96f32 tao_in = tao_emission;
    tsr_u96f32 cap = tsr_u96f32_sat_mul(root_proportion, ae);
    if (tsr_u96f32_cmp(alpha_in, cap) > 0) {
        alpha_in = cap;
        tao_in = tsr_u96f32_sat_mul(alpha_in, p);
    }
    out->tao_in = tao_in;
    out->alpha_in = alpha_in;
    out->alpha_out = ae;
    out->excess_tao = tsr_u96f32_sat_sub(tao_emission, tao_in);
    return TSR_OK;
}

int tsr_coinbase_alpha_split(tsr_u96f32 alpha_out, bool owner_cut_enabled, tsr_u96f32 cut,
                             tsr_u96f32 root_proportion, tsr_alpha_split *out)
{
    if (!out)
        return TSR_EINVAL;
    tsr_u96f32 half = {tsr_u128_from_u64(UINT64_C(1) << 31)};
    tsr_u96f32 rest = alpha_out;
    out->owner_cut = u96_zero();
    if (owner_cut_enabled) {
        out->owner_cut = tsr_u96f32_sat_mul(alpha_out, cut);
        rest = tsr_u96f32_sat_sub(alpha_out, out->owner_cut);
    }
    out->root_alpha = tsr_u96f32_sat_mul(tsr_u96f32_sat_mul(root_proportion, rest), half);
    out->server = tsr_u96f32_sat_mul(rest, half);
    out->validator = tsr_u96f32_sat_sub(tsr_u96f32_sat_sub(rest, out->server), out->root_alpha);
    return TSR_OK;
}

/* ---- moving price -------------------------------------------------------------------------- */

/* The two weights of update_moving_price: alpha = U64F64(moving_alpha) (*) (b / (b + halving))
** and 1 - alpha. They depend on the block, the first emission block, the halving and the
** moving alpha only, not on the subnet's prices, so subnets that share those inputs share them. */
typedef struct ema_weights {
    uint64_t first_emission_block; /* the inputs they were computed from */
    uint64_t halving_blocks;
    tsr_u64f64 alpha;     /* weight of the current price */
    tsr_u64f64 one_minus; /* weight of the old moving price */
} ema_weights;

static ema_weights moving_weights(uint64_t block, uint64_t first_emission_block,
                                  uint64_t halving_blocks, tsr_i96f32 moving_alpha)
{
    /* start_call happened one block before the first emission block. */
    uint64_t start_call = sat_sub_u64(first_emission_block, 1);
    tsr_u64f64 b = tsr_u64f64_from_u64(sat_sub_u64(block, start_call));
    tsr_u64f64 ramp =
        tsr_u64f64_safe_div(b, tsr_u64f64_sat_add(b, tsr_u64f64_from_u64(halving_blocks)));
    ema_weights w;
    w.first_emission_block = first_emission_block;
    w.halving_blocks = halving_blocks;
    w.alpha = tsr_u64f64_sat_mul(u64f64_from_i96f32(moving_alpha), ramp);
    w.one_minus = tsr_u64f64_sat_sub(u64f64_one(), w.alpha);
    return w;
}

static tsr_i96f32 moving_price_apply(const ema_weights *w, tsr_i96f32 old_moving_price, bool stable,
                                     tsr_u64f64 price)
{
    tsr_u64f64 current = tsr_u64f64_sat_mul(w->alpha, u64f64_min(price, u64f64_one()));
    tsr_u64f64 kept =
        tsr_u64f64_sat_mul(w->one_minus, tsr_moving_alpha_price(old_moving_price, stable));
    return i96f32_from_u64f64(tsr_u64f64_sat_add(current, kept));
}

tsr_i96f32 tsr_moving_price_update(tsr_i96f32 old_moving_price, bool stable, tsr_u64f64 price,
                                   uint64_t block, uint64_t first_emission_block,
                                   uint64_t halving_blocks, tsr_i96f32 moving_alpha)
{
    ema_weights w = moving_weights(block, first_emission_block, halving_blocks, moving_alpha);
    return moving_price_apply(&w, old_moving_price, stable, price);
}

/* ---- distribution arithmetic --------------------------------------------------------------- */

uint64_t tsr_epoch_emission_total(uint64_t pending_server, uint64_t pending_validator,
                                  uint64_t pending_root_alpha)
{
    return sat_add_u64(sat_add_u64(pending_server, pending_validator), pending_root_alpha);
}

uint64_t tsr_validator_pool(uint64_t pending_validator, uint64_t pending_server,
                            uint64_t incentive_sum)
{
    return incentive_sum == 0 ? sat_add_u64(pending_validator, pending_server) : pending_validator;
}

/* get_self_contribution: floor(alpha (*) r + root (*) r (*) tw), r = 1 - sum of children. */
static uint64_t self_contribution(const tsr_child_dividend_input *in)
{
    tsr_u96f32 r = u96(1);
    for (size_t j = 0; j < in->n_children; j++)
        r = tsr_u96f32_sat_sub(r, tsr_u64_fraction(in->child_proportions[j]));
    tsr_u96f32 a = tsr_u96f32_sat_mul(u96(in->alpha_stake), r);
    tsr_u96f32 t = tsr_u96f32_sat_mul(tsr_u96f32_sat_mul(u96(in->root_stake), r), in->tao_weight);
    return tsr_u96f32_to_u64(tsr_u96f32_sat_add(a, t));
}

static tsr_u96f32 parent_contribution(const tsr_parent_stake *p, tsr_u96f32 tao_weight)
{
    tsr_u96f32 prop = tsr_u64_fraction(p->proportion);
    tsr_u96f32 a = tsr_u96f32_sat_mul(u96(p->alpha_stake), prop);
    tsr_u96f32 t = tsr_u96f32_sat_mul(tsr_u96f32_sat_mul(u96(p->root_stake), prop), tao_weight);
    return tsr_u96f32_sat_add(a, t);
}

int tsr_parent_child_dividends(const tsr_child_dividend_input *in, uint64_t *parent_out,
                               uint64_t *child_out, uint64_t *burned)
{
    if (!in || !child_out || (in->n_children > 0 && !in->child_proportions) ||
        (in->n_parents > 0 && (!in->parents || !parent_out)))
        return TSR_EINVAL;
    tsr_u96f32 emission = u96(in->dividend), remaining = emission, takes = u96_zero();
    tsr_u96f32 total = u96(self_contribution(in));
    uint64_t burn_sum = 0;
    /* Two passes over the parents as on chain: the total first, then the shares. */
    for (size_t k = 0; k < in->n_parents; k++)
        total = tsr_u96f32_sat_add(total, parent_contribution(&in->parents[k], in->tao_weight));
    for (size_t k = 0; k < in->n_parents; k++) {
        tsr_u96f32 factor =
            u96_div_or_zero(parent_contribution(&in->parents[k], in->tao_weight), total);
        tsr_u96f32 pe = tsr_u96f32_sat_mul(emission, factor);
        remaining = tsr_u96f32_sat_sub(remaining, pe);
        if (!in->parents[k].same_coldkey) {
            tsr_u96f32 burn = tsr_u96f32_sat_mul(in->ck_burn, pe);
            tsr_u96f32 take = tsr_u96f32_sat_mul(in->childkey_take, pe);
            pe = tsr_u96f32_sat_sub(tsr_u96f32_sat_sub(pe, burn), take);
            takes = tsr_u96f32_sat_add(takes, take);
            burn_sum = sat_add_u64(burn_sum, tsr_u96f32_to_u64(burn));
        }
        parent_out[k] = tsr_u96f32_to_u64(pe);
    }
    *child_out = tsr_u96f32_to_u64(tsr_u96f32_sat_add(remaining, takes));
    if (burned)
        *burned = burn_sum;
    return TSR_OK;
}

void tsr_dividend_root_split(tsr_u96f32 dividend, uint64_t alpha_stake, uint64_t root_stake,
                             tsr_u96f32 tao_weight, tsr_u96f32 *alpha_div, tsr_u96f32 *root_div)
{
    if (tsr_u128_is_zero(dividend.raw)) {
        /* Most uids earn no dividend: 0 (*) root_prop floors to 0 whatever root_prop is (even
        ** the 0 of a failed division), and 0 - 0 = 0, so the division is not needed. */
        if (root_div)
            *root_div = u96_zero();
        if (alpha_div)
            *alpha_div = u96_zero();
        return;
    }
    tsr_u96f32 weighted_root = tsr_u96f32_sat_mul(u96(root_stake), tao_weight);
    tsr_u96f32 root_prop =
        u96_div_or_zero(weighted_root, tsr_u96f32_sat_add(u96(alpha_stake), weighted_root));
    tsr_u96f32 r = tsr_u96f32_sat_mul(dividend, root_prop);
    if (root_div)
        *root_div = r;
    if (alpha_div)
        *alpha_div = tsr_u96f32_sat_sub(dividend, r);
}

int tsr_dividend_payouts(const tsr_u96f32 *div, size_t n, uint64_t pool, tsr_u96f32 *payout)
{
    if (n > 0 && (!div || !payout))
        return TSR_EINVAL;
    tsr_u96f32 sum = u96_zero();
    for (size_t h = 0; h < n; h++) /* adding 0 leaves the sum as it is, saturated or not */
        if (!tsr_u128_is_zero(div[h].raw))
            sum = tsr_u96f32_sat_add(sum, div[h]);
    for (size_t h = 0; h < n; h++) /* a zero dividend (most uids) pays 0: 0 / sum (*) pool */
        payout[h] = tsr_u128_is_zero(div[h].raw)
                        ? u96_zero()
                        : tsr_u96f32_sat_mul(u96(pool), u96_div_or_zero(div[h], sum));
    return TSR_OK;
}

void tsr_take_split(tsr_u96f32 amount, tsr_u96f32 take_fraction, uint64_t *take, uint64_t *rest)
{
    tsr_u96f32 t = tsr_u96f32_sat_mul(take_fraction, amount);
    if (take)
        *take = tsr_u96f32_to_u64(t);
    if (rest)
        *rest = tsr_u96f32_to_u64(tsr_u96f32_sat_sub(amount, t));
}

tsr_u96f32 tsr_miner_burned(uint64_t withheld, uint64_t total_incentive)
{
    return u96_div_or_zero(u96(withheld), u96(total_incentive));
}

/* ---- subnet state -------------------------------------------------------------------------- */

int tsr_chain_default(tsr_chain *c)
{
    if (!c)
        return TSR_EINVAL;
    c->block = 0;
    c->total_issuance = 0;
    c->total_stake = 0;
    c->root_tao = 0;
    c->tao_weight = TSR_DEFAULT_TAO_WEIGHT;
    c->subnet_owner_cut = TSR_DEFAULT_SUBNET_OWNER_CUT;
    c->max_epochs_per_block = TSR_DEFAULT_MAX_EPOCHS_PER_BLOCK;
    c->shares = TSR_SHARES_MAIN;
    c->subnet_moving_alpha = tsr_subnet_moving_alpha_default();
    tsr_issuance_params_default(&c->issuance);
    tsr_emission_memo empty = {0, 0, 0, 0, 0};
    c->emission_memo = empty;
    return TSR_OK;
}

int tsr_subnet_init(tsr_subnet *s, uint16_t netuid, uint64_t registered_block,
                    uint64_t first_emission_block, uint64_t subnet_tao, uint64_t alpha_in)
{
    if (!s || netuid == 0)
        return TSR_EINVAL;
    tsr_subnet z = {0};
    *s = z;
    s->netuid = netuid;
    s->first_emission_block = first_emission_block;
    s->subtoken_enabled = first_emission_block != 0;
    s->registration_allowed = true;
    s->emission_enabled = true;
    s->owner_cut_enabled = true;
    s->keys_consistent = true;
    s->moving_price = tsr_i96f32_from_int(0);
    s->price = u64f64_one();
    s->ema_price_halving_blocks = TSR_DEFAULT_EMA_PRICE_HALVING_BLOCKS;
    s->miner_burned = u96_zero();
    s->root_prop = u96_zero();
    s->subnet_tao = subnet_tao;
    s->alpha_in = alpha_in;
    s->tempo = TSR_DEFAULT_TEMPO;
    /* init_new_network staggers subnets: LastEpochBlock = now - (netuid mod tempo). */
    s->last_epoch_block = sat_sub_u64(registered_block, (uint64_t)(netuid % s->tempo));
    tsr_burn_params bp;
    int rc = tsr_burn_params_default(&bp);
    if (rc == TSR_OK)
        rc = tsr_burn_init(&s->burn, &bp, TSR_DEFAULT_INITIAL_BURN);
    return rc;
}

bool tsr_subnet_emits(const tsr_subnet *s)
{
    return s && s->netuid != 0 && s->first_emission_block != 0 && s->subtoken_enabled &&
           s->registration_allowed;
}

uint64_t tsr_subnet_alpha_issuance(const tsr_subnet *s)
{
    return s ? sat_add_u64(s->alpha_in, s->alpha_out) : 0;
}

/* ---- drain_pending ------------------------------------------------------------------------- */

static int check_subnets(const tsr_subnet *s, size_t n)
{
    if (n > 0 && !s)
        return TSR_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (s[i].netuid == 0 || (i > 0 && s[i].netuid <= s[i - 1].netuid))
            return TSR_EINVAL;
    return TSR_OK;
}

static tsr_epoch_action drain_one(tsr_subnet *s, uint64_t block, uint16_t max_epochs,
                                  size_t *epochs_run, tsr_drained *d)
{
    tsr_drained z = {0, 0, 0, 0};
    *d = z;
    s->blocks_since_last_step = sat_add_u64(s->blocks_since_last_step, 1);
    if (!tsr_should_run_epoch(s->tempo, block, s->last_epoch_block, s->pending_epoch_at,
                              s->blocks_since_last_step))
        return TSR_EPOCH_NONE;
    if (*epochs_run >= max_epochs) {
        s->pending_epoch_at = sat_add_u64(block, 1);
        return TSR_EPOCH_DEFERRED;
    }
    tsr_epoch_action act = TSR_EPOCH_SKIPPED;
    if (s->keys_consistent) {
        s->blocks_since_last_step = 0;
        d->server = s->pending_server;
        d->validator = s->pending_validator;
        d->root_alpha = s->pending_root_alpha;
        d->owner_cut = s->pending_owner_cut;
        s->pending_server = s->pending_validator = 0;
        s->pending_root_alpha = s->pending_owner_cut = 0;
        (*epochs_run)++;
        act = TSR_EPOCH_RUN;
    }
    /* A due slot is consumed whether or not the epoch could run. */
    s->last_epoch_block = block;
    s->pending_epoch_at = 0;
    s->epoch_index = sat_add_u64(s->epoch_index, 1);
    return act;
}

int tsr_coinbase_drain_pending(uint64_t block, uint16_t max_epochs_per_block, tsr_subnet *s,
                               size_t n, tsr_epoch_action *action, tsr_drained *drained)
{
    if (check_subnets(s, n) || (n > 0 && (!action || !drained)))
        return TSR_EINVAL;
    size_t run = 0;
    for (size_t i = 0; i < n; i++)
        action[i] = drain_one(&s[i], block, max_epochs_per_block, &run, &drained[i]);
    return TSR_OK;
}

/* ---- the block step ------------------------------------------------------------------------ */

/* Share inputs straight from the subnet array (only emitting subnets take part). */
static bool subnet_get(const share_src *src, size_t i, tsr_share_input *in)
{
    const tsr_subnet *s = &((const tsr_subnet *)src->in)[i];
    if (!tsr_subnet_emits(s))
        return false;
    in->moving_price = tsr_moving_alpha_price(s->moving_price, s->stable);
    in->miner_burned = s->miner_burned;
    /* Only the release weighting reads it; it costs a 256-bit division. */
    in->root_proportion =
        src->variant == TSR_SHARES_RELEASE
            ? tsr_root_proportion(src->root_tao, src->tao_weight, tsr_subnet_alpha_issuance(s))
            : u96_zero();
    in->emission_enabled = s->emission_enabled;
    return true;
}

static void subnet_put(const share_src *src, size_t i, tsr_u64f64 share)
{
    ((tsr_subnet_flow *)src->out)[i].share = share;
}

static tsr_u64f64 subnet_peek(const share_src *src, size_t i)
{
    return ((const tsr_subnet_flow *)src->out)[i].share;
}

/* §3.4 and §3.5 injection for one emitting subnet. */
static void inject(const tsr_chain *c, tsr_u96f32 tw, tsr_subnet *s, tsr_subnet_flow *f,
                   uint64_t tao_basis, uint64_t *total_stake)
{
    uint64_t issuance = tsr_subnet_alpha_issuance(s), alpha_emission = 0;
    if (tsr_block_emission_memo(&c->issuance, issuance, &s->ae_memo, &alpha_emission) != TSR_OK)
        alpha_emission = 0; /* the chain's unwrap_or(0); unreachable after validation */
    f->tao_emission = tsr_coinbase_tao_emission(tao_basis, f->share);
    f->root_prop_before = root_prop_memo(s, c->root_tao, tw, issuance);
    tsr_u64f64 price = s->stable ? u64f64_one() : s->price;
    (void)tsr_coinbase_subnet_terms(f->tao_emission, alpha_emission, price, f->root_prop_before,
                                    &f->terms);
    f->tao_injected = tsr_u96f32_to_u64(f->terms.tao_in);
    f->alpha_injected = tsr_u96f32_to_u64(f->terms.alpha_in);
    f->excess_tao = tsr_u96f32_to_u64(f->terms.excess_tao);
    s->subnet_tao = sat_add_u64(s->subnet_tao, f->tao_injected);
    s->alpha_in = sat_add_u64(s->alpha_in, f->alpha_injected);
    *total_stake = sat_add_u64(*total_stake, f->tao_injected);
}

/* §3.5 emit_to_subnets for one emitting subnet, after every injection. */
static void emit_alpha(const tsr_chain *c, tsr_u96f32 tw, tsr_u96f32 cut, bool root_sell,
                       tsr_subnet *s, tsr_subnet_flow *f)
{
    f->alpha_minted = tsr_u96f32_to_u64(f->terms.alpha_out);
    s->alpha_out = sat_add_u64(s->alpha_out, f->alpha_minted);
    f->root_prop_after = root_prop_memo(s, c->root_tao, tw, tsr_subnet_alpha_issuance(s));
    (void)tsr_coinbase_alpha_split(f->terms.alpha_out, s->owner_cut_enabled, cut,
                                   f->root_prop_after, &f->split);
    f->owner_cut = tsr_u96f32_to_u64(f->split.owner_cut);
    f->server = tsr_u96f32_to_u64(f->split.server);
    f->validator = tsr_u96f32_to_u64(f->split.validator);
    f->root_alpha = tsr_u96f32_to_u64(f->split.root_alpha);
    s->pending_owner_cut = sat_add_u64(s->pending_owner_cut, f->owner_cut);
    s->pending_server = sat_add_u64(s->pending_server, f->server);
    s->pending_validator = sat_add_u64(s->pending_validator, f->validator);
    if (root_sell) {
        s->pending_root_alpha = sat_add_u64(s->pending_root_alpha, f->root_alpha);
    } else {
        f->root_alpha_recycled = f->root_alpha;
        s->alpha_out = sat_sub_u64(s->alpha_out, f->root_alpha);
    }
    /* The four parts never exceed alpha_out, so their floors never exceed its floor. */
    uint64_t paid = f->owner_cut + f->server + f->validator + f->root_alpha;
    f->alpha_dust = sat_sub_u64(f->alpha_minted, paid);
}

static bool sell_flag(const tsr_subnet *s, size_t n)
{
    tsr_u64f64 sum = u64f64_zero();
    for (size_t i = 0; i < n; i++)
        if (tsr_subnet_emits(&s[i]))
            sum = tsr_u64f64_sat_add(sum, tsr_moving_alpha_price(s[i].moving_price, s[i].stable));
    return tsr_u64f64_cmp(sum, u64f64_one()) > 0;
}

int tsr_coinbase_begin_block(tsr_chain *c, tsr_subnet *s, size_t n, tsr_subnet_flow *flow,
                             tsr_block_report *rep)
{
    if (!c || check_subnets(s, n) || (n > 0 && !flow) || !valid_variant((int)c->shares) ||
        c->issuance.total_supply == 0)
        return TSR_EINVAL;
    tsr_block_report r = {0};
    /* One memset for the whole array: a struct copy per subnet compiles to a string move whose
    ** start-up cost dominated the block step. */
    if (n > 0)
        memset(flow, 0, n * sizeof *flow);
    for (size_t i = 0; i < n; i++) {
        /* 1. registration burn decay and clamp */
        (void)tsr_burn_on_block(&s[i].burn, c->block);
    }
    /* 2. block emission, minted within the supply cap */
    (void)tsr_block_emission_memo(&c->issuance, c->total_issuance, &c->emission_memo,
                                  &r.block_emission);
    uint64_t cap = tsr_mint_cap(&c->issuance, c->total_issuance);
    r.tao_minted = r.block_emission < cap ? r.block_emission : cap;
    c->total_issuance = sat_add_u64(c->total_issuance, r.tao_minted);
    /* 4. run_coinbase: shares from the moving prices before this block's update */
    tsr_u96f32 tw = tsr_u64_fraction(c->tao_weight);
    tsr_u96f32 cut = tsr_u16_fraction(c->subnet_owner_cut);
    r.root_sell = sell_flag(s, n);
    share_src src = {n,    subnet_get,  subnet_put, subnet_peek,   s,
                     flow, c->root_tao, tw,         (int)c->shares};
    compute_shares(&src);
    for (size_t i = 0; i < n; i++) {
        if (!tsr_subnet_emits(&s[i]))
            continue;
        flow[i].emitting = true;
        r.n_emitting++;
        inject(c, tw, &s[i], &flow[i], r.tao_minted, &c->total_stake);
        r.tao_injected = sat_add_u64(r.tao_injected, flow[i].tao_injected);
        r.tao_excess = sat_add_u64(r.tao_excess, flow[i].excess_tao);
    }
    for (size_t i = 0; i < n; i++)
        if (flow[i].emitting)
            emit_alpha(c, tw, cut, r.root_sell, &s[i], &flow[i]);
    /* Unspent credit (floors, and nothing else) is recycled out of the issuance. */
    r.tao_recycled = sat_sub_u64(r.tao_minted, sat_add_u64(r.tao_injected, r.tao_excess));
    c->total_issuance = sat_sub_u64(c->total_issuance, r.tao_recycled);
    /* drain_pending, in netuid order */
    for (size_t i = 0; i < n; i++) {
        flow[i].epoch =
            drain_one(&s[i], c->block, c->max_epochs_per_block, &r.epochs_run, &flow[i].drained);
        flow[i].epoch_emission = tsr_epoch_emission_total(
            flow[i].drained.server, flow[i].drained.validator, flow[i].drained.root_alpha);
    }
    if (rep)
        *rep = r;
    return TSR_OK;
}

int tsr_coinbase_end_block(const tsr_chain *c, tsr_subnet *s, const tsr_subnet_flow *flow, size_t n)
{
    if (!c || (n > 0 && (!s || !flow)))
        return TSR_EINVAL;
    tsr_u96f32 tw = tsr_u64_fraction(c->tao_weight);
    for (size_t i = 0; i < n; i++)
        if (flow[i].epoch == TSR_EPOCH_RUN)
            s[i].last_mechanism_step_block = c->block;
    /* The EMA weights are computed once for every run of subnets with the same first emission
    ** block and halving (usually all of them): the same inputs give the same weights. */
    ema_weights w = {0};
    bool have_w = false;
    for (size_t i = 0; i < n; i++) {
        if (!tsr_subnet_emits(&s[i]))
            continue;
        if (!have_w || w.first_emission_block != s[i].first_emission_block ||
            w.halving_blocks != s[i].ema_price_halving_blocks) {
            w = moving_weights(c->block, s[i].first_emission_block, s[i].ema_price_halving_blocks,
                               c->subnet_moving_alpha);
            have_w = true;
        }
        s[i].moving_price = moving_price_apply(&w, s[i].moving_price, s[i].stable, s[i].price);
        s[i].root_prop = root_prop_memo(&s[i], c->root_tao, tw, tsr_subnet_alpha_issuance(&s[i]));
    }
    return TSR_OK;
}
