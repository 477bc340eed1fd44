/*
** bg_community.c: community minting, once per 30-day month (spec mechanisms §1.2 item 4).
**
** Each member draws Poisson(rate_a) actions of each of the seven types; a Sybil farmer runs k
** identities that each draw Poisson(farm_rate) review actions: identity 1 is accepted like any
** member, identities 2..k pass review with probability farm_accept each (behavioural analysis
** and review gating). The month's budget is the vested-but-unissued community allocation,
** tsr_vested_linear(allocation, 0, vesting_months, month) minus everything already issued from
** it (bonuses included), paid through tsr_mint_throttle; what is not paid stays in the budget.
** Sybil gain: the same throttle is run again on the same draws with identities 2..k removed;
** gain = farm payout with k identities / payout of identity 1 alone (about 1 under gating,
** up to k without). The budget "runs out" in the first month in which the allocation is fully
** vested and the throttle binds (payout factor < 1).
** Cost: O(members * 7 + k) per month.
*/
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "bg_int.h"

/* Fills claims[] (members x BG_ACTIONS, then one review claim per farm identity). */
static void draw_claims(bg_model *m, uint64_t month, tsr_mint_claim *claims)
{
    const bg_comm_config *c = &m->cfg.comm;
    for (uint32_t i = 0; i < c->members; i++) {
        rng_key k = {m->cfg.seed, m->cfg.run_index, BG_RNG_COMMUNITY,
                     (uint64_t)bg_entity_of(m, m->a_mem + i)};
        rng_event_reset(m->ev, &k, month);
        for (unsigned a = 0; a < BG_ACTIONS; a++) {
            unsigned n = c->rate[a] > 0.0 ? gsl_ran_poisson(m->ev, c->rate[a]) : 0;
            claims[(size_t)i * BG_ACTIONS + a] = (tsr_mint_claim){c->reward[a], n};
        }
    }
    tsr_mint_claim *farm = claims + (size_t)c->members * BG_ACTIONS;
    for (uint32_t j = 0; j < c->farm_identities; j++) {
        rng_key k = {m->cfg.seed, m->cfg.run_index, BG_RNG_FARM,
                     (uint64_t)bg_entity_of(m, m->a_farm + j)};
        rng_event_reset(m->ev, &k, month);
        unsigned n = c->farm_rate > 0.0 ? gsl_ran_poisson(m->ev, c->farm_rate) : 0;
        unsigned ok = j == 0 ? n : gsl_ran_binomial(m->ev, c->farm_accept, n);
        farm[j] = (tsr_mint_claim){c->reward[BG_REVIEW], ok};
    }
}

/* Farm payout of one identity versus k, on the same draws and budget. */
static int sybil_counterfactual(bg_model *m, uint64_t day, uint64_t budget, tsr_mint_claim *claims,
                                size_t nc, uint64_t *paid, uint64_t *single)
{
    const bg_comm_config *c = &m->cfg.comm;
    size_t f0 = (size_t)c->members * BG_ACTIONS;
    *single = 0;
    if (c->farm_identities == 0)
        return 0;
    for (uint32_t j = 1; j < c->farm_identities; j++)
        claims[f0 + j].count = 0;
    tsr_mint_totals t;
    if (tsr_mint_throttle(budget, claims, nc, paid, &t) != TSR_OK)
        return bg_fail(m, day, "community throttle refused the counterfactual claims");
    *single = paid[f0];
    return 0;
}

/* Releases each account's month total; returns the amount released in *total. */
static int pay(bg_model *m, uint64_t day, const uint64_t *paid, uint64_t *total, uint64_t *farm)
{
    const bg_comm_config *c = &m->cfg.comm;
    *total = 0, *farm = 0;
    size_t f0 = (size_t)c->members * BG_ACTIONS;
    for (uint32_t i = 0; i < c->members + c->farm_identities; i++) {
        uint64_t sum = 0;
        if (i < c->members)
            for (unsigned a = 0; a < BG_ACTIONS; a++)
                sum += paid[(size_t)i * BG_ACTIONS + a];
        else
            sum = paid[f0 + (i - c->members)];
        uint64_t done;
        if (bg_release(m, day, m->a_mem + i, sum, "community_mint", &done) != 0)
            return -1;
        *total += done;
        if (i >= c->members)
            *farm += done;
    }
    return 0;
}

int bg_community_mint(bg_model *m, uint64_t day, uint64_t month)
{
    const bg_comm_config *c = &m->cfg.comm;
    size_t nc = (size_t)c->members * BG_ACTIONS + c->farm_identities;
    tsr_mint_claim *claims = calloc(nc ? nc : 1, sizeof *claims);
    uint64_t *paid = calloc(nc ? nc : 1, sizeof *paid);
    if (!claims || !paid) {
        free(claims), free(paid);
        return bg_fail(m, day, "out of memory");
    }
    draw_claims(m, month, claims);
    uint64_t budget = bg_budget(m, month), total = 0, farm = 0, single = 0;
    tsr_mint_totals t;
    int rc = tsr_mint_throttle(budget, claims, nc, paid, &t) != TSR_OK
                 ? bg_fail(m, day, "community throttle refused the month's claims")
                 : pay(m, day, paid, &total, &farm);
    if (rc == 0)
        rc = sybil_counterfactual(m, day, budget, claims, nc, paid, &single);
    free(claims), free(paid);
    if (rc != 0)
        return -1;
    m->tot.community_issued += total;
    m->month.minted_community += total;
    m->tot.farm_paid += farm, m->tot.farm_paid_single += single;
    m->farm_gain_sum[0] += (double)farm, m->farm_gain_sum[1] += (double)single;
    int vested_all = tsr_vested_linear(m->cfg.community_allocation, 0, m->cfg.vesting_months,
                                       month) == m->cfg.community_allocation;
    if (m->tot.budget_exhausted_month < 0 && vested_all && t.factor_ppb < TSR_PPB)
        m->tot.budget_exhausted_month = (int64_t)month;
    if (bg_series_u(m, day, "bitgrit.community_claimed", t.claimed) ||
        bg_series_f(m, day, "bitgrit.community_factor", 0, (double)t.factor_ppb / 1e9) ||
        bg_series_u(m, day, "bitgrit.farm_paid", farm) ||
        bg_series_u(m, day, "bitgrit.farm_paid_single", single))
        return -1;
    return 0;
}
