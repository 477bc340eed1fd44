/*
** bt_agents.h: the decisions of the bittensor model's agents — miners, validators, delegators
** and subnet owners. Agents decide; they never move tokens: every function here is a pure
** function of its inputs and an RNG already keyed to (agent, purpose, event) by the caller, and
** every amount it returns is an integer that the model settles through the ledgers.
**
** Doubles are allowed in decisions (observed qualities, expected earnings, perceived yields);
** amounts are derived from them with explicit integer rounding (parts per billion, floor).
** Costs: O(1) per decision except weights (O(n) per validator and tempo) and the delegator's
** choice (O(candidates)).
*/
#ifndef TOKENSIM_BT_AGENTS_H
#define TOKENSIM_BT_AGENTS_H

#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "bt_model.h"
#include "rng.h"

/* ---- shared ------------------------------------------------------------------------------- */

/* A genesis amount drawn lognormal around `mean` with sigma `spread` (exactly mean when spread
** is 0, and then r is not used); at least 1 unit when mean > 0, 0 when mean is 0. */
uint64_t bt_draw_amount(uint64_t mean, double spread, gsl_rng *r);
/* floor(x * round(fraction * 1e9) / 1e9) in 128-bit arithmetic; fraction clamped to [0, 1]. */
uint64_t bt_fraction_of(uint64_t x, double fraction);

/* ---- miners ------------------------------------------------------------------------------- */

typedef struct bt_miner_params {
    bt_quality quality;          /* distribution of latent quality */
    double quality_a, quality_b; /* its parameters */
    uint64_t cost;               /* TAO units per day */
    double horizon_days;         /* payback horizon */
    double sell_fraction;        /* alpha sold per day */
    uint32_t patience_days;      /* unprofitable days before stopping; 0 never */
} bt_miner_params;

/* Latent quality (>= 0): uniform on [a, b], beta(a, b), or lognormal with median a, sigma b. */
double bt_miner_quality(const bt_miner_params *p, gsl_rng *r);

/* What a candidate sees when it considers registering. */
typedef struct bt_miner_view {
    double quality;             /* its own quality */
    double quality_sum;         /* sum of the qualities of serving registered miners */
    double miner_alpha_per_day; /* alpha the subnet pays to miners per day */
    double price;               /* pool price, TAO per alpha */
    uint64_t burn;              /* registration cost, TAO units */
    uint64_t free_tao;          /* its free TAO, units */
} bt_miner_view;

/* Registers when it can pay and horizon * (expected TAO per day - cost) exceeds the burn, the
** expected share of the miners' emission being quality / (quality_sum + quality). */
int bt_miner_should_register(const bt_miner_params *p, const bt_miner_view *v);

/* One day of a registered miner: profit = earned alpha * price - cost. Updates *bad_days
** (reset by a profitable day) and returns 0 when the miner stops serving (patience exhausted),
** 1 when it goes on. */
int bt_miner_day(const bt_miner_params *p, uint64_t earned_alpha, double price, uint32_t *bad_days);

/* ---- validators --------------------------------------------------------------------------- */

/* Draws made before the event (bt_ahead.h): v[0..n), the first n draws of the stream r would
** give, or v NULL. */
typedef struct bt_drawn {
    const double *v;
    uint32_t n;
} bt_drawn;

/* An observing validator's weights: for every uid j != self that answers (quality[j] >= 0; a
** negative quality marks a uid that does not serve, observed as 0 without a draw),
** o_j = quality[j] + sigma * N(0, 1) (ziggurat, one draw per answering uid in uid order),
** w_j = max(o_j, 0); the pairs
** (j, round(65535 w_j / max w)) with a non-zero value go to out in ascending uid order. obs is
** scratch of n doubles. Returns the number of pairs (0 when every w_j is 0). z (may be NULL)
** draws through rng_gauss, the same values faster. pre (may be NULL) holds the draws when they
** were made ahead (used when they are enough for the answering uids, else r draws). */
uint32_t bt_validator_observe(const double *quality, uint32_t n, uint32_t self, double sigma,
                              const rng_zig *z, gsl_rng *r, const bt_drawn *pre, double *obs,
                              bt_pair *out);
/* Internal, for the tests: bt_validator_observe on a chosen copy of its loops, vec = 0 the
** generic C one, 1 the AVX-512 one when bt__observe_vec_available() (else the generic one);
** every copy gives the same pairs and leaves the same values in obs[0..n). */
int bt__observe_vec_available(void);
uint32_t bt__validator_observe_path(const double *quality, uint32_t n, uint32_t self, double sigma,
                                    const rng_zig *z, gsl_rng *r, const bt_drawn *pre, double *obs,
                                    bt_pair *out, int vec);

/* A lazy validator copies the public consensus of the last epoch (non-zero entries, self
** excluded, ascending uid). Returns the number of pairs. */
uint32_t bt_validator_copy(const uint16_t *consensus, uint32_t n, uint32_t self, bt_pair *out);

/* ---- delegators --------------------------------------------------------------------------- */

/* Chooses among k validators by perceived yield (yield_i * exp(noise * N(0, 1)), net of take
** already): returns the best index when it beats the current choice's perceived yield by the
** relative threshold, else `current` (BT_NONE-like -1 means none: the best is taken when its
** yield is positive). */
int32_t bt_delegator_choose(const double *yields, uint32_t k, int32_t current, double threshold,
                            double noise, gsl_rng *r);

/* ---- owners ------------------------------------------------------------------------------- */

/* Alpha an owner sells today: floor(stake * fraction) (0 when fraction is 0). */
uint64_t bt_owner_sell(double fraction, uint64_t stake);

#endif
