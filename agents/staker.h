/*
** staker.h: the staker agent of the token model.
**
** A staker holds stake (which earns block rewards pro rata) and a free balance. Its only
** decisions are its genesis allocation and, once per simulated day, whether to move part of its
** stake to its free balance. Decisions are integers: the agent never moves tokens itself, it
** returns amounts that the model settles through the reward core's ledger.
**
** Randomness: every draw comes from a stream keyed by (seed, run, staker id, purpose) with the day
** as counter (rng_event_reset), so one staker's choices never depend on how many stakers exist or
** in which order they are asked.
*/
#ifndef TOKENSIM_STAKER_H
#define TOKENSIM_STAKER_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

typedef struct staker_params {
    uint64_t mean_stake; /* mean genesis stake, base units */
    double spread;       /* lognormal sigma of genesis stakes; 0 = every staker gets the mean */
    double unstake_probability; /* chance per day of unstaking */
    uint32_t unstake_ppb;       /* fraction of stake unstaked, parts per billion (1..1e9) */
} staker_params;

/* Genesis stake drawn from r: lognormal with the given mean and sigma, at least 1 unit.
** With spread 0 it is exactly mean_stake and r is not used. */
uint64_t staker_genesis_stake(const staker_params *p, gsl_rng *r);

/* The amount of `stake` to unstake today (0 = keep everything); r must already be keyed to this
** staker and day. The amount is floor(stake * unstake_ppb / 1e9), computed in 128 bits. */
uint64_t staker_unstake_today(const staker_params *p, gsl_rng *r, uint64_t stake);

/* Parts per billion nearest to a fraction in [0, 1] (the scenario validates the range). */
uint32_t staker_fraction_ppb(double fraction);

#endif
