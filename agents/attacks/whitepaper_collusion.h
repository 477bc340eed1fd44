/*
** whitepaper_collusion.h: the Bittensor whitepaper's collusion example as a model
** ("collusion-toy"; issue 5 reproduction 1, scenarios/REPRODUCTIONS.md).
**
** Two sides, honest and cabal, hold stake. Every block: the share of a side is its stake over
** the total; its trust is sigmoid(steepness * (share - midpoint)); its rank is its stake; its
** incentive is rank * trust; and each side's stake grows by growth * total * incentive / (sum of
** incentives). With a cabal share below the midpoint the cabal's trust is below the honest
** side's, so its share shrinks every block (and grows above it: the threshold is symmetric).
**
** Doubles on purpose: this is agent behaviour reproduced from a published example, not
** settlement, so no token moves and the determinism contract's integer rule does not apply. The
** operations are fixed in order (wpc_step documents them) so an independent computation in any
** IEEE-754 language gives the same bits. O(1) per block, no allocation.
*/
#ifndef TOKENSIM_WHITEPAPER_COLLUSION_H
#define TOKENSIM_WHITEPAPER_COLLUSION_H

#include <stdint.h>

#include "recorder.h"

/* Parameters (scenario keys collusion.*). */
typedef struct wpc_config {
    double cabal_share; /* initial cabal share, (0, 1); the honest side holds 1 - it */
    double steepness;   /* sigmoid steepness (whitepaper: 10) */
    double midpoint;    /* sigmoid midpoint (whitepaper: 0.5) */
    double growth;      /* stake minted per block as a fraction of the total (whitepaper: 0.1) */
    uint64_t blocks;    /* blocks to run (whitepaper: 100) */
    uint32_t block_seconds; /* simulated seconds per block (the series' t) */
} wpc_config;

/* The two stakes (arbitrary units; they start at 1 - cabal_share and cabal_share). */
typedef struct wpc_state {
    double honest; /* honest stake */
    double cabal;  /* cabal stake */
} wpc_state;

/* What one block computed. */
typedef struct wpc_block {
    double honest_trust, cabal_trust; /* trust of each side at the start of the block */
    double honest_incentive;          /* honest incentive / sum of incentives */
    double cabal_share;               /* cabal share after the block */
} wpc_block;

/* The initial state of c. */
wpc_state wpc_init(const wpc_config *c);

/* One block, in this exact order of IEEE double operations:
**   T = h + c; sh = h / T; sc = c / T
**   th = 1 / (1 + exp(-(k * (sh - m)))); tc = 1 / (1 + exp(-(k * (sc - m))))
**   ih = h * th; ic = c * tc; isum = ih + ic; mint = g * T
**   h = h + mint * ih / isum; c = c + mint * ic / isum   (multiply first, then divide)
**   cabal share = c / (h + c)
** b may be NULL. */
void wpc_step(const wpc_config *c, wpc_state *s, wpc_block *b);

/* The cabal's share of s. */
double wpc_cabal_share(const wpc_state *s);

/* Runs c->blocks blocks and records, at block 0 (the initial state) and after every block,
** the series "cabal_share" (entity 2, the cabal) and "honest_share" (entity 1), and after every
** block "trust" of both sides; entities 1 (honest) and 2 (cabal) are declared first.
** `each` (may be NULL) is called after every block with the block number and its result.
** Returns 0, or the recorder's non-zero code with a message in err. */
int wpc_run(const wpc_config *c, const recorder *rec,
            void (*each)(void *ud, uint64_t block, const wpc_block *b), void *ud, char *err,
            size_t errlen);

#endif
