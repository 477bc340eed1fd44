/*
** staker.c: genesis stakes and daily unstake decisions of the token model's stakers.
*/
#include "staker.h"

#include <gsl/gsl_randist.h>
#include <math.h>

uint64_t staker_genesis_stake(const staker_params *p, gsl_rng *r)
{
    if (p->spread <= 0.0)
        return p->mean_stake;
    /* E[lognormal(mu, s)] = exp(mu + s^2/2): choose mu so the mean is mean_stake. */
    double mean = (double)p->mean_stake;
    double mu = log(mean) - 0.5 * p->spread * p->spread;
    double x = gsl_ran_lognormal(r, mu, p->spread);
    if (!(x >= 1.0))
        return 1;
    if (x >= 1.8e19)
        return UINT64_MAX / 2; /* absurd draw: far beyond any validated stake */
    return (uint64_t)x;
}

uint64_t staker_unstake_today(const staker_params *p, gsl_rng *r, uint64_t stake)
{
    if (p->unstake_probability <= 0.0 || stake == 0)
        return 0;
    if (gsl_rng_uniform(r) >= p->unstake_probability)
        return 0;
    /* 128-bit product: stake may be ~2e16 units and ppb up to 1e9. */
    uint64_t hi = stake / 1000000000u, lo = stake % 1000000000u;
    return hi * p->unstake_ppb + (lo * p->unstake_ppb) / 1000000000u;
}

uint32_t staker_fraction_ppb(double fraction)
{
    if (fraction <= 0.0)
        return 0;
    if (fraction >= 1.0)
        return 1000000000u;
    return (uint32_t)lround(fraction * 1e9);
}
