/*
** bt_delegator.c: a delegator's choice of validator by recent yield net of take (bt_agents.h).
** Perception is noisy (a lognormal factor per candidate and decision) so that delegators with
** the same information do not all move at once; inertia comes from the switch threshold.
*/
#include "bt_agents.h"

#include <math.h>

#include <gsl/gsl_randist.h>

int32_t bt_delegator_choose(const double *yields, uint32_t k, int32_t current, double threshold,
                            double noise, gsl_rng *r)
{
    int32_t best = -1;
    double best_y = 0.0, cur_y = 0.0;
    for (uint32_t i = 0; i < k; i++) {
        double y = yields[i];
        if (noise > 0.0)
            y *= exp(noise * gsl_ran_gaussian_ziggurat(r, 1.0));
        if (!(y > 0.0))
            y = 0.0;
        if ((int32_t)i == current)
            cur_y = y;
        if (best < 0 || y > best_y)
            best = (int32_t)i, best_y = y;
    }
    if (best < 0 || !(best_y > 0.0))
        return current;
    if (current < 0)
        return best;
    return best_y > cur_y * (1.0 + threshold) ? best : current;
}
