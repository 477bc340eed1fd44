/* tsr_aigen.c: AiGen epoch settlement (tsr_aigen.h).
 *
 * Workspace layout (all 16-byte aligned blocks from the caller's buffer):
 *   pairs[V]           (score, index, stake) for the per-controller median sort
 *   w128[max(V, C)]    128-bit split weights (developer relative mode, validator rewards)
 *   share[max(V, C)]   the validators' accuracies a_v (10^-18 units)
 * The median sort uses qsort with a total order (score desc, index asc), so the result never
 * depends on the sort's stability.
 */
#include <stdlib.h>
#include <string.h>

#include "tsr_aigen.h"
#include "tsr_err.h"
#include "tsr_int.h"
#include "tsr_settle.h"

#define E18 ((uint64_t)TSR_PPB * TSR_PPB) /* 1 in 10^-18 units */

typedef struct pair {
    uint32_t score; /* s_{v,c} */
    uint32_t idx;   /* v, for the tie order */
    uint64_t stake; /* sigma_v */
} pair;

typedef struct ws {
    pair *pairs;     /* [V] */
    tsr_u128 *w128;  /* [max(V, C)] */
    uint64_t *share; /* [max(V, C)] */
} ws;

static size_t max_sz(size_t a, size_t b)
{
    return a > b ? a : b;
}

size_t tsr_aigen_workspace_size(size_t nval, size_t nctrl)
{
    size_t m = max_sz(nval, nctrl);
    return nval * sizeof(pair) + m * sizeof(tsr_u128) + m * sizeof(uint64_t) + 16;
}

static int pair_cmp(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->idx < y->idx ? -1 : (x->idx > y->idx);
}

static int u256_ge(tsr_u256 a, tsr_u256 b)
{
    for (int k = 3; k >= 0; k--)
        if (a.w[k] != b.w[k])
            return a.w[k] > b.w[k];
    return 1;
}

/* Largest score whose group and everything above it hold kappa of the stake. */
static uint64_t median_sorted(const pair *p, size_t n, uint32_t kappa_ppb)
{
    tsr_u128 total = tsr_u128_from_u64(0);
    for (size_t i = 0; i < n; i++)
        total = tsr_u128_add(total, tsr_u128_from_u64(p[i].stake));
    if (tsr_u128_is_zero(total))
        return 0; /* no stake, no quorum: read as score 0 */
    tsr_u256 need = tsr_u128_mul_full(total, tsr_u128_from_u64(kappa_ppb));
    tsr_u128 cum = tsr_u128_from_u64(0);
    for (size_t i = 0; i < n; i++) {
        cum = tsr_u128_add(cum, tsr_u128_from_u64(p[i].stake));
        if (i + 1 < n && p[i + 1].score == p[i].score)
            continue; /* the whole tie group counts for w = this score */
        if (u256_ge(tsr_u128_mul_full(cum, tsr_u128_from_u64(TSR_PPB)), need))
            return p[i].score;
    }
    return 0;
}

uint64_t tsr_aigen_kappa_median(const uint32_t *score, size_t stride, const uint64_t *stake,
                                size_t n, uint32_t kappa_ppb, void *scratch)
{
    pair *p = scratch;
    for (size_t i = 0; i < n; i++)
        p[i] = (pair){.score = score[i * stride], .idx = (uint32_t)i, .stake = stake[i]};
    qsort(p, n, sizeof *p, pair_cmp);
    return median_sorted(p, n, kappa_ppb);
}

static int check_params(const tsr_aigen_params *p)
{
    uint64_t sum = (uint64_t)p->k_plat_ppb + p->k_dev_ppb + p->k_val_ppb + p->k_burn_ppb;
    if (sum != TSR_PPB || p->kappa_ppb == 0 || p->gamma > 8)
        return TSR_EINVAL;
    if (p->kappa_ppb > TSR_PPB || p->epsilon_ppb > TSR_PPB || p->slash_ppb > TSR_PPB ||
        p->slash_correlation > TSR_AIGEN_MAX_CORRELATION)
        return TSR_ERANGE;
    return TSR_OK;
}

static int check_inputs(size_t nval, size_t nctrl, const uint64_t *spend, const uint64_t *stake,
                        const uint32_t *scores, uint64_t *total_spend)
{
    uint64_t t = 0, s = 0;
    for (size_t c = 0; c < nctrl; c++) {
        if (spend[c] > UINT64_MAX - t)
            return TSR_EOVERFLOW;
        t += spend[c];
    }
    for (size_t v = 0; v < nval; v++) {
        if (stake[v] > UINT64_MAX - s)
            return TSR_EOVERFLOW;
        s += stake[v];
        for (size_t c = 0; c < nctrl; c++)
            if (scores[v * nctrl + c] > TSR_PPB)
                return TSR_EINVAL;
    }
    *total_spend = t;
    return TSR_OK;
}

static void fee_split(const tsr_aigen_params *p, tsr_aigen_totals *t)
{
    const uint64_t k[4] = {p->k_plat_ppb, p->k_dev_ppb, p->k_val_ppb, p->k_burn_ppb};
    uint64_t pools[4];
    (void)tsr_split_cumulative(t->spend, k, 4, TSR_PPB, pools, NULL);
    t->platform = pools[0];
    t->dev_pool = pools[1];
    t->val_pool = pools[2];
    t->burn = pools[3];
}

/* floor(x / 10^18). */
static uint64_t div_e18(tsr_u128 x)
{
    tsr_u128 q, r;
    (void)tsr_u128_divmod(x, tsr_u128_from_u64(E18), &q, &r);
    return q.lo; /* every caller's x is below 2^124 */
}

/* ABSOLUTE: R_c = floor(k_dev T_c S_c), from the controller's own spend (k_dev T_c S_c < 2^30 *
 * 2^64 * 2^30 in 10^-18 units). Their sum is at most floor(k_dev T), and the Drips pool,
 * floor(T (k_plat + k_dev)) - floor(T k_plat), is at least that; the rest of it is unearned.
 * RELATIVE: the pool split by S_c T_c. TSR_ECORRUPT if the bound failed. */
static int developer_revenue(const tsr_aigen_params *p, size_t nctrl, const uint64_t *spend, ws *w,
                             tsr_aigen_out *out, tsr_aigen_totals *t)
{
    uint64_t kept = 0;
    if (p->mode == TSR_AIGEN_RELATIVE) {
        for (size_t c = 0; c < nctrl; c++)
            w->w128[c] = tsr_u128_mul64(out->score[c], spend[c]);
        (void)tsr_split_cumulative_w128(t->dev_pool, w->w128, nctrl, out->dev_revenue, &kept);
    } else {
        uint64_t paid = 0;
        for (size_t c = 0; c < nctrl; c++) {
            tsr_u128 x = tsr_u128_mul(tsr_u128_mul64(p->k_dev_ppb, spend[c]),
                                      tsr_u128_from_u64(out->score[c]));
            out->dev_revenue[c] = div_e18(x);
            paid += out->dev_revenue[c];
            if (paid > t->dev_pool)
                return TSR_ECORRUPT;
        }
        kept = t->dev_pool - paid;
    }
    t->unearned += kept;
    for (size_t c = 0; c < nctrl; c++)
        t->dev_paid += out->dev_revenue[c];
    return TSR_OK;
}

/* The inputs of a validator's error: e_v = err_sum / (T * 1e9) exactly. */
typedef struct err_in {
    size_t nctrl;
    const uint64_t *spend;
    const uint32_t *scores;
    const int64_t *audit; /* or NULL */
    const uint64_t *score;
} err_in;

/* sum_c T_c |s_{v,c} - ref_c| against ref_c (the audit when given, else the consensus). */
static tsr_u128 err_sum(const err_in *e, size_t v)
{
    tsr_u128 acc = tsr_u128_from_u64(0);
    for (size_t c = 0; c < e->nctrl; c++) {
        uint64_t ref = (e->audit && e->audit[c] >= 0) ? (uint64_t)e->audit[c] : e->score[c];
        uint64_t s = e->scores[v * e->nctrl + c];
        uint64_t d = s > ref ? s - ref : ref - s;
        acc = tsr_u128_add(acc, tsr_u128_mul64(e->spend[c], d));
    }
    return acc;
}

/* e_v in ppb, floored (reported); audit scores above 1e9 cannot push it past 1. */
static uint64_t error_ppb(tsr_u128 acc, uint64_t total_spend)
{
    if (total_spend == 0)
        return 0;
    tsr_u128 q, r;
    (void)tsr_u128_divmod(acc, tsr_u128_from_u64(total_spend), &q, &r);
    return q.hi != 0 || q.lo > TSR_PPB ? TSR_PPB : q.lo;
}

/* a_v = 1 - e_v in 10^-18 units, floored: floor((T 1e9 - acc) 1e9 / T) < 2^94 * 2^30. */
static uint64_t accuracy_e18(tsr_u128 acc, uint64_t total_spend)
{
    if (total_spend == 0)
        return E18;
    tsr_u128 all = tsr_u128_mul64(total_spend, TSR_PPB);
    if (!tsr_u128_lt(acc, all))
        return 0;
    tsr_u128 q, r;
    (void)tsr_u128_divmod(tsr_u128_mul(tsr_u128_sub(all, acc), tsr_u128_from_u64(TSR_PPB)),
                          tsr_u128_from_u64(total_spend), &q, &r);
    return q.lo;
}

/* Weights sigma_v a_v^gamma with a^gamma in 10^-18 units, floored at each multiplication (a
 * product of two values <= 1e18 is below 2^120): small accuracies keep their order, where ppb
 * made every a below about 3.2e-5 weigh 0 at gamma 2. The pool split by them (Drips). */
static void validator_rewards(const tsr_aigen_params *p, size_t nval, const uint64_t *stake, ws *w,
                              tsr_aigen_out *out, tsr_aigen_totals *t)
{
    for (size_t v = 0; v < nval; v++) {
        uint64_t a = w->share[v], pw = E18;
        for (uint32_t g = 0; g < p->gamma; g++)
            pw = div_e18(tsr_u128_mul64(pw, a));
        w->w128[v] = tsr_u128_mul64(stake[v], pw);
    }
    uint64_t kept = 0;
    (void)tsr_split_cumulative_w128(t->val_pool, w->w128, nval, out->val_reward, &kept);
    t->unearned += kept;
    for (size_t v = 0; v < nval; v++)
        t->val_paid += out->val_reward[v];
}

/* One incoherent validator's forfeit: floor(sigma alpha_slash) + floor(sigma corr / all),
** capped at sigma (corr <= all, so the second term is at most sigma). */
static uint64_t forfeit(const tsr_aigen_params *p, uint64_t sigma, uint64_t corr, uint64_t all)
{
    uint64_t flat = 0;
    (void)tsr_take_ppb(sigma, p->slash_ppb, &flat, NULL);
    if (corr == 0 || all == 0)
        return flat;
    tsr_u128 q;
    (void)tsr_u128_divmod(tsr_u128_mul64(sigma, corr), tsr_u128_from_u64(all), &q, NULL);
    return flat > sigma - q.lo ? sigma : flat + q.lo;
}

/* Step 5. bad[v] (out->slashed on entry, 0 or 1): e_v > epsilon, decided by the caller on the
** exact error sum. The stake sums fit: check_inputs bounded sum sigma by 2^64 - 1. */
static void coherence_slashing(const tsr_aigen_params *p, size_t nval, const uint64_t *stake, ws *w,
                               tsr_aigen_out *out, tsr_aigen_totals *t)
{
    uint64_t all = 0, bad_stake = 0, corr = 0;
    for (size_t v = 0; v < nval; v++) {
        all += stake[v];
        bad_stake += out->slashed[v] ? stake[v] : 0;
    }
    tsr_u128 m_b = tsr_u128_mul64(p->slash_correlation, bad_stake); /* min(m B, S) */
    corr = tsr_u128_lt(m_b, tsr_u128_from_u64(all)) ? m_b.lo : all;
    for (size_t v = 0; v < nval; v++) {
        int bad = out->slashed[v] != 0;
        out->slashed[v] = bad ? forfeit(p, stake[v], corr, all) : 0;
        out->slash_reward[v] = 0;
        t->slashed += out->slashed[v];
        w->w128[v] = tsr_u128_from_u64(bad ? 0 : stake[v]);
    }
    if (t->slashed == 0)
        return;
    (void)tsr_split_cumulative_w128(t->slashed, w->w128, nval, out->slash_reward,
                                    &t->slash_unclaimed);
}

static int conserved(const tsr_aigen_totals *t, const tsr_aigen_out *out, size_t nval)
{
    tsr_u128 lhs = tsr_u128_from_u64(t->platform);
    const uint64_t parts[4] = {t->dev_paid, t->val_paid, t->burn, t->unearned};
    for (int i = 0; i < 4; i++)
        lhs = tsr_u128_add(lhs, tsr_u128_from_u64(parts[i]));
    uint64_t got = 0;
    for (size_t v = 0; v < nval; v++)
        got += out->slash_reward[v];
    return tsr_u128_eq(lhs, tsr_u128_from_u64(t->spend)) && t->slashed == got + t->slash_unclaimed;
}

static int bind_workspace(void *mem, size_t size, size_t nval, size_t nctrl, ws *w)
{
    if (!mem || size < tsr_aigen_workspace_size(nval, nctrl))
        return TSR_EINVAL;
    unsigned char *base = mem;
    base += (16u - ((uintptr_t)mem & 15u)) & 15u; /* 16-byte alignment */
    size_t m = max_sz(nval, nctrl);
    w->pairs = (pair *)(void *)base;
    w->w128 = (tsr_u128 *)(void *)(base + nval * sizeof(pair));
    w->share = (uint64_t *)(void *)(base + nval * sizeof(pair) + m * sizeof(tsr_u128));
    return TSR_OK;
}

int tsr_aigen_epoch(const tsr_aigen_params *p, size_t nval, size_t nctrl, const uint64_t *spend,
                    const uint64_t *stake, const uint32_t *scores, const int64_t *audit,
                    void *workspace, size_t workspace_size, tsr_aigen_out *out,
                    tsr_aigen_totals *tot)
{
    if (!p || !out || !tot || (nctrl > 0 && !spend) || (nval > 0 && !stake) ||
        (nval > 0 && nctrl > 0 && !scores) || nval > UINT32_MAX)
        return TSR_EINVAL;
    int rc = check_params(p);
    ws w;
    if (rc == TSR_OK)
        rc = bind_workspace(workspace, workspace_size, nval, nctrl, &w);
    tsr_aigen_totals t;
    memset(&t, 0, sizeof t);
    if (rc == TSR_OK)
        rc = check_inputs(nval, nctrl, spend, stake, scores, &t.spend);
    if (rc != TSR_OK)
        return rc;
    fee_split(p, &t);
    for (size_t c = 0; c < nctrl; c++)
        out->score[c] =
            nval ? tsr_aigen_kappa_median(scores + c, nctrl, stake, nval, p->kappa_ppb, w.pairs)
                 : 0;
    if ((rc = developer_revenue(p, nctrl, spend, &w, out, &t)) != TSR_OK)
        return rc;
    const err_in e = {nctrl, spend, scores, audit, out->score};
    tsr_u128 limit = tsr_u128_mul64(p->epsilon_ppb, t.spend); /* e_v > epsilon, exactly */
    for (size_t v = 0; v < nval; v++) {
        tsr_u128 acc = err_sum(&e, v);
        out->error[v] = error_ppb(acc, t.spend);
        w.share[v] = accuracy_e18(acc, t.spend);                  /* validator_rewards' a_v */
        out->slashed[v] = p->slashing && tsr_u128_lt(limit, acc); /* a flag until step 5 */
    }
    validator_rewards(p, nval, stake, &w, out, &t);
    coherence_slashing(p, nval, stake, &w, out, &t);
    if (!conserved(&t, out, nval))
        return TSR_ECORRUPT;
    *tot = t;
    return TSR_OK;
}
