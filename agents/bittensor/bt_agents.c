/*
** bt_agents.c: shared draws and the owner's decision (bt_agents.h); miners, validators and
** delegators have their own files.
*/
#include "bt_agents.h"

#include <math.h>

#include <gsl/gsl_randist.h>

uint64_t bt_draw_amount(uint64_t mean, double spread, gsl_rng *r)
{
    if (mean == 0)
        return 0;
    if (spread <= 0.0)
        return mean;
    /* E[lognormal(mu, s)] = exp(mu + s^2/2): mu is chosen so that the mean is `mean`. */
    double mu = log((double)mean) - 0.5 * spread * spread;
    double x = gsl_ran_lognormal(r, mu, spread);
    if (!(x >= 1.0))
        return 1;
    if (x >= 1.8e19)
        return UINT64_MAX / 4; /* absurd tail draw; the model's genesis checks refuse it */
    return (uint64_t)x;
}

uint64_t bt_fraction_of(uint64_t x, double fraction)
{
    if (!(fraction > 0.0))
        return 0;
    uint64_t ppb = fraction >= 1.0 ? 1000000000u : (uint64_t)llround(fraction * 1e9);
    uint64_t hi = x / 1000000000u, lo = x % 1000000000u;
    return hi * ppb + (lo * ppb) / 1000000000u; /* exact: x * ppb / 1e9 without overflow */
}

uint64_t bt_owner_sell(double fraction, uint64_t stake)
{
    return bt_fraction_of(stake, fraction);
}
