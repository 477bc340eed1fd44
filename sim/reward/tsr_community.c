/* tsr_community.c: vesting and the community-minting throttle (tsr_community.h).
 *
 * The throttled per-action amount floor(m * E / C) times the count never sums above E:
 * sum(count_i * floor(m_i E / C)) <= sum(count_i m_i) E / C = E.
 */
#include <string.h>

#include "tsr_community.h"
#include "tsr_err.h"
#include "tsr_settle.h"

uint64_t tsr_vested_linear(uint64_t total, uint64_t cliff, uint64_t duration, uint64_t t)
{
    if (t < cliff)
        return 0;
    uint64_t elapsed = t - cliff;
    if (elapsed >= duration)
        return total;
    uint64_t v = 0;
    (void)tsr_muldiv_floor(total, elapsed, duration, &v); /* elapsed < duration: fits */
    return v;
}

static int claimed_total(const tsr_mint_claim *c, size_t n, uint64_t *out)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t v = 0;
        if (tsr_muldiv_floor(c[i].nominal, c[i].count, 1, &v) != TSR_OK || v > UINT64_MAX - sum)
            return TSR_EOVERFLOW;
        sum += v;
    }
    *out = sum;
    return TSR_OK;
}

int tsr_mint_throttle(uint64_t budget, const tsr_mint_claim *claims, size_t n, uint64_t *paid,
                      tsr_mint_totals *tot)
{
    if (!tot || (n > 0 && (!claims || !paid)))
        return TSR_EINVAL;
    tsr_mint_totals t;
    memset(&t, 0, sizeof t);
    int rc = claimed_total(claims, n, &t.claimed);
    if (rc != TSR_OK)
        return rc;
    int throttled = t.claimed > budget;
    t.factor_ppb = TSR_PPB;
    if (throttled)
        (void)tsr_muldiv_floor(budget, TSR_PPB, t.claimed, &t.factor_ppb);
    for (size_t i = 0; i < n; i++) {
        uint64_t per = claims[i].nominal;
        if (throttled)
            (void)tsr_muldiv_floor(per, budget, t.claimed, &per); /* budget < C: fits */
        paid[i] = per * claims[i].count;                          /* <= m * count, which fits */
        t.paid += paid[i];
    }
    if (t.paid > budget)
        return TSR_ECORRUPT;
    t.carry = budget - t.paid;
    *tot = t;
    return TSR_OK;
}
