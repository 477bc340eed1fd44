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
**
** The farmer is an attack switchable mid-run: it acts on the days of [farm_start, farm_stop)
** only (stop 0: never). Month k covers days [30(k - 1), 30k); an identity draws
** Poisson(farm_rate * d / 30) review actions for the d days of the month inside the window
** (exactly farm_rate in a whole month, nothing outside), so outside the window the identities
** do nothing: the farmer is an attacker, not a member (honest members are community.members).
** Running k identities costs farm_cost per identity per month, off-ledger (like a scientist's
** cost: accounts, verification, the work of passing review; no spec figure, default 0) and
** counted per day of the window lived: cost = floor(farm_cost * k * D / 30) with D those days
** before the sample day. Series at every monthly sample (recorded only when k > 0):
** attack.sybil.emission (BGR released to the k identities, cumulative), .emission_single (the
** counterfactual with identity 1 alone), .cost, .net = emission - cost, .net_extra = what the
** identities 2..k add net of their cost: (emission - emission_single) - (cost - floor(farm_cost
** D / 30)), .gain (= bitgrit.sybil_gain), .active (also at day 0 and the exact switch days).
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
    uint64_t days = bg_farm_days(&m->cfg, 30 * (month - 1), 30 * month);
    /* a whole month keeps farm_rate itself (not farm_rate * 30 / 30, which may round) */
    double rate = days == 30 ? c->farm_rate : c->farm_rate * (double)days / 30.0;
    for (uint32_t j = 0; j < c->farm_identities; j++) {
        rng_key k = {m->cfg.seed, m->cfg.run_index, BG_RNG_FARM,
                     (uint64_t)bg_entity_of(m, m->a_farm + j)};
        rng_event_reset(m->ev, &k, month);
        unsigned n = rate > 0.0 ? gsl_ran_poisson(m->ev, rate) : 0;
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

/* ---- the farmer as a switchable attack ------------------------------------------------- */

uint64_t bg_farm_days(const bg_config *c, uint64_t from, uint64_t to)
{
    uint64_t lo = from > c->comm.farm_start ? from : c->comm.farm_start;
    uint64_t hi = c->comm.farm_stop != 0 && c->comm.farm_stop < to ? c->comm.farm_stop : to;
    return hi > lo ? hi - lo : 0;
}

static int farm_active(const bg_config *c, uint64_t day)
{
    return bg_farm_days(c, day, day + 1) == 1;
}

static int on_farm_switch(sim *s, const eq_event *ev, void *ctx)
{
    (void)s;
    bg_model *m = ctx;
    return bg_series_i(m, ev->tick, "attack.sybil.active", 0, farm_active(&m->cfg, ev->tick));
}

int bg_farm_schedule(bg_model *m, sim *s)
{
    const bg_comm_config *c = &m->cfg.comm;
    if (c->farm_identities == 0)
        return 0;
    if (sim_on(s, BG_EV_FARM, on_farm_switch, m) != 0)
        return bg_fail(m, 0, "cannot register the farmer's switch");
    const uint64_t at[3] = {0, c->farm_start, c->farm_stop};
    for (int i = 0; i < 3; i++) {
        if (i > 0 && (at[i] == 0 || at[i] > m->cfg.days))
            continue; /* day 0 is recorded once; switches after the end never come */
        if (sim_at(s, at[i], BG_PH_MONTH, BG_EV_FARM, 0, (uint64_t)i, NULL) != 0)
            return bg_fail(m, 0, "cannot schedule the farmer's switch on day %llu",
                           (unsigned long long)at[i]);
    }
    return 0;
}

/* floor(farm_cost * n * days / 30) into *out; fails the run when it does not fit. */
static int farm_cost(bg_model *m, uint64_t day, uint64_t n, uint64_t days, uint64_t *out)
{
    if (tsr_muldiv_floor(m->cfg.comm.farm_cost, n * days, 30, out) != TSR_OK ||
        *out > (uint64_t)INT64_MAX)
        return bg_fail(m, day,
                       "attack.sybil.cost: community.farm_cost_per_identity x %llu "
                       "identities x %llu days is beyond the 64-bit range",
                       (unsigned long long)n, (unsigned long long)days);
    return 0;
}

int bg_farm_sample(bg_model *m, uint64_t day)
{
    uint64_t k = m->cfg.comm.farm_identities;
    if (k == 0)
        return 0;
    uint64_t days = bg_farm_days(&m->cfg, 0, day), cost, cost1;
    if (farm_cost(m, day, k, days, &cost) != 0 || farm_cost(m, day, 1, days, &cost1) != 0)
        return -1;
    m->tot.farm_days = days, m->tot.farm_cost = cost;
    uint64_t paid = m->tot.farm_paid, single = m->tot.farm_paid_single;
    if (paid > (uint64_t)INT64_MAX)
        return bg_fail(m, day, "attack.sybil.emission beyond the 64-bit range");
    /* every amount lies in [0, INT64_MAX] and cost1 <= cost, so net, the gain difference and
    ** the cost difference are exact in int64; only their difference may not be */
    int64_t net = (int64_t)paid - (int64_t)cost;
    int64_t more = (int64_t)paid - (int64_t)single, dcost = (int64_t)(cost - cost1);
    if (more < INT64_MIN + dcost)
        return bg_fail(m, day, "attack.sybil.net_extra below the 64-bit range");
    int64_t extra = more - dcost;
    if (bg_series_i(m, day, "attack.sybil.active", 0, farm_active(&m->cfg, day)) ||
        bg_series_u(m, day, "attack.sybil.emission", paid) ||
        bg_series_u(m, day, "attack.sybil.emission_single", single) ||
        bg_series_u(m, day, "attack.sybil.cost", cost) ||
        bg_series_i(m, day, "attack.sybil.net", 0, net) ||
        bg_series_i(m, day, "attack.sybil.net_extra", 0, extra))
        return -1;
    if (m->farm_gain_sum[1] > 0.0 &&
        bg_series_f(m, day, "attack.sybil.gain", 0, m->farm_gain_sum[0] / m->farm_gain_sum[1]))
        return -1;
    return 0;
}
