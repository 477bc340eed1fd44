/*
** bt_miner.c: miners' latent quality, registration decision and daily profitability
** (bt_agents.h).
**
** The registration rule is deliberately simple and stated in the README: a candidate expects
** the share quality / (quality of the serving registered miners + its own) of the alpha the
** subnet pays to miners, valued at the pool price, and registers when that, net of its daily
** cost, pays back the burn within its horizon and it holds the burn in free TAO.
*/
#include "bt_agents.h"

#include <gsl/gsl_randist.h>

double bt_miner_quality(const bt_miner_params *p, gsl_rng *r)
{
    double q = 0.0;
    switch (p->quality) {
    case BT_QUALITY_UNIFORM:
        q = p->quality_a + (p->quality_b - p->quality_a) * gsl_rng_uniform(r);
        break;
    case BT_QUALITY_BETA:
        q = gsl_ran_beta(r, p->quality_a > 0 ? p->quality_a : 1e-9,
                         p->quality_b > 0 ? p->quality_b : 1e-9);
        break;
    case BT_QUALITY_LOGNORMAL:
        q = p->quality_a * gsl_ran_lognormal(r, 0.0, p->quality_b);
        break;
    }
    return q > 0.0 ? q : 0.0;
}

int bt_miner_should_register(const bt_miner_params *p, const bt_miner_view *v)
{
    if (v->free_tao < v->burn || v->quality <= 0.0)
        return 0;
    double share = v->quality / (v->quality_sum + v->quality);
    double tao_per_day = share * v->miner_alpha_per_day * v->price;
    double net = p->horizon_days * (tao_per_day * 1e-9 - (double)p->cost * 1e-9);
    return net > (double)v->burn * 1e-9;
}

int bt_miner_day(const bt_miner_params *p, uint64_t earned_alpha, double price, uint32_t *bad_days)
{
    double profit = (double)earned_alpha * price - (double)p->cost;
    if (profit >= 0.0)
        *bad_days = 0;
    else
        ++*bad_days;
    return p->patience_days == 0 || *bad_days < p->patience_days;
}
