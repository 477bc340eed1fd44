/*
** bt_validator.c: validators' weights (bt_agents.h): observing (honest or noisy, which differ
** only in their noise) and lazy (a copy of the last public consensus, the classic weight copier
** that commit-reveal is meant to starve).
**
** Weights leave here as u16 with a maximum of 65535 (as a validator's software sends them); the
** model then stores them max-upscaled exactly as the chain's set_weights does.
*/
#include "bt_agents.h"

#include <gsl/gsl_randist.h>

/* lround(x) for 0 <= x < 2^52, without the library call: the conversion truncates, which is the
** floor for x >= 0 (and needs no SSE4.1 rounding instruction), x - floor(x) is exact there, and
** a fraction of exactly one half rounds up, away from zero, as lround does. */
static long round_half_up(double x)
{
    long t = (long)x;
    return t + (x - (double)t >= 0.5);
}

uint32_t bt_validator_observe(const double *quality, uint32_t n, uint32_t self, double sigma,
                              const rng_zig *z, gsl_rng *r, double *obs, bt_pair *out)
{
    /* Draw every observation first (one per answering uid, in uid order, so the draws do not
    ** depend on the values), then scale by the largest. The k draws wait at the tail of obs:
    ** the i-th answering uid j reads obs[n - k + i], and n - k + i >= j (at most n - k uids
    ** before it do not answer), so no draw is overwritten before it is read. */
    uint32_t k = 0;
    for (uint32_t j = 0; j < n; j++)
        k += j != self && quality[j] >= 0.0; /* a negative quality: the uid does not answer */
    double *draw = obs + (n - k);
    if (sigma > 0.0 && z)
        rng_gauss_fill(z, r, sigma, draw, k);
    else
        for (uint32_t i = 0; i < k; i++)
            draw[i] = sigma > 0.0 ? gsl_ran_gaussian_ziggurat(r, sigma) : 0.0;
    double max = 0.0;
    for (uint32_t j = 0, i = 0; j < n; j++) {
        double o = 0.0;
        if (j != self && quality[j] >= 0.0) {
            o = quality[j] + draw[i++];
            if (!(o > 0.0))
                o = 0.0;
        }
        obs[j] = o;
        if (o > max)
            max = o;
    }
    if (!(max > 0.0))
        return 0;
    uint32_t np = 0;
    for (uint32_t j = 0; j < n; j++) {
        if (obs[j] <= 0.0)
            continue;
        long v = round_half_up(65535.0 * obs[j] / max); /* in (0, 65535] */
        if (v <= 0)
            continue;
        out[np].uid = (uint16_t)j;
        out[np].value = (uint16_t)(v > 65535 ? 65535 : v);
        np++;
    }
    return np;
}

uint32_t bt_validator_copy(const uint16_t *consensus, uint32_t n, uint32_t self, bt_pair *out)
{
    uint32_t k = 0;
    for (uint32_t j = 0; j < n; j++)
        if (j != self && consensus[j] > 0) {
            out[k].uid = (uint16_t)j;
            out[k].value = consensus[j];
            k++;
        }
    return k;
}
