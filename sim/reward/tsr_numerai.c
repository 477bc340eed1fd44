/* tsr_numerai.c: Numerai round settlement (tsr_numerai.h).
 *
 * Magnitudes: |score_ppb| <= |mult| * 1e9 each term, so |pf * score| stays below 2^127 for any
 * 64-bit multiplier; the product stake * x_ppb is below 2^63 * 1e9 < 2^93. Both go through
 * tsr_i128, whose division truncates toward zero like C's.
 */
#include <string.h>

#include "tsr_err.h"
#include "tsr_int.h"
#include "tsr_numerai.h"
#include "tsr_settle.h"

uint64_t tsr_numerai_payout_factor(uint64_t threshold, uint64_t at_risk)
{
    if (at_risk == 0)
        return TSR_PPB;
    tsr_u128 q, r;
    tsr_u128_divmod(tsr_u128_mul64(threshold, TSR_PPB), tsr_u128_from_u64(at_risk), &q, &r);
    return (q.hi != 0 || q.lo > TSR_PPB) ? TSR_PPB : q.lo;
}

/* trunc(a * b / c) for c > 0, as a 128-bit signed value. */
static tsr_i128 muldiv_trunc(int64_t a, int64_t b, int64_t c)
{
    tsr_i128 q, r;
    tsr_i128_divmod(tsr_i128_mul64(a, b), tsr_i128_from_i64(c), &q, &r);
    return q;
}

/* score_ppb, pf and clip for one valid model; *hit set when the clamp binds. */
static int64_t payout_rate(const tsr_numerai_rules *ru, const tsr_numerai_model *m, uint64_t pf,
                           int *hit)
{
    tsr_i128 score = tsr_i128_add(muldiv_trunc(ru->corr_num, m->corr_ppb, ru->corr_den),
                                  muldiv_trunc(ru->mmc_num, m->mmc_ppb, ru->mmc_den));
    /* Bound |score| by 2^62 before the 64-bit multiply. This never changes the result: with
     * pf >= 1 ppb such a score gives |x| >= 4.6e9 ppb, beyond any clip (<= 1e9); with pf = 0
     * x is 0 either way. */
    tsr_i128 lim = tsr_i128_from_i64(INT64_MAX / 2);
    if (tsr_i128_cmp(score, lim) > 0)
        score = lim;
    if (tsr_i128_cmp(score, tsr_i128_neg(lim)) < 0)
        score = tsr_i128_neg(lim);
    int64_t s64 = 0;
    (void)tsr_i128_to_i64(score, &s64);
    tsr_i128 x = muldiv_trunc((int64_t)pf, s64, (int64_t)TSR_PPB);
    int64_t clip = (int64_t)ru->clip_ppb, xv = 0;
    *hit = 0;
    if (tsr_i128_cmp(x, tsr_i128_from_i64(clip)) > 0) {
        xv = clip;
        *hit = 1;
    } else if (tsr_i128_cmp(x, tsr_i128_from_i64(-clip)) < 0) {
        xv = -clip;
        *hit = 1;
    } else {
        (void)tsr_i128_to_i64(x, &xv);
    }
    return xv;
}

static int check_input(const tsr_numerai_rules *ru, const tsr_numerai_model *m, size_t n,
                       uint64_t *at_risk)
{
    if (ru->corr_den <= 0 || ru->mmc_den <= 0)
        return TSR_EINVAL;
    if (ru->clip_ppb > TSR_PPB)
        return TSR_ERANGE;
    const int64_t one = (int64_t)TSR_PPB;
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (m[i].corr_ppb > one || m[i].corr_ppb < -one || m[i].mmc_ppb > one ||
            m[i].mmc_ppb < -one)
            return TSR_EINVAL;
        if (m[i].stake > (uint64_t)INT64_MAX)
            return TSR_EOVERFLOW;
        if (!m[i].valid)
            continue;
        if (m[i].stake > UINT64_MAX - sum)
            return TSR_EOVERFLOW;
        sum += m[i].stake;
    }
    *at_risk = sum;
    return TSR_OK;
}

int tsr_numerai_round(const tsr_numerai_rules *rules, const tsr_numerai_model *models, size_t n,
                      int64_t *payout, tsr_numerai_totals *tot)
{
    if (!rules || !tot || (n > 0 && (!models || !payout)))
        return TSR_EINVAL;
    tsr_numerai_totals t;
    memset(&t, 0, sizeof t);
    int rc = check_input(rules, models, n, &t.at_risk);
    if (rc != TSR_OK)
        return rc;
    t.pf_ppb = tsr_numerai_payout_factor(rules->threshold, t.at_risk);
    for (size_t i = 0; i < n; i++) {
        payout[i] = 0;
        if (!models[i].valid || models[i].stake == 0)
            continue;
        int hit = 0;
        int64_t x = payout_rate(rules, &models[i], t.pf_ppb, &hit);
        t.clip_hits += (uint32_t)hit;
        tsr_i128 p = muldiv_trunc((int64_t)models[i].stake, x, (int64_t)TSR_PPB);
        (void)tsr_i128_to_i64(p, &payout[i]); /* |p| <= stake: fits */
        uint64_t mag = payout[i] < 0 ? (uint64_t)(-payout[i]) : (uint64_t)payout[i];
        uint64_t *acc = payout[i] < 0 ? &t.burned : &t.paid;
        if (mag > UINT64_MAX - *acc)
            return TSR_EOVERFLOW;
        *acc += mag;
    }
    *tot = t;
    return TSR_OK;
}
