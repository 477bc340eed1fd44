/*
** token_model.h: the "token" model — a token with an emission schedule and a set of stakers.
**
** This is the default scenario's world: from genesis, every block mints the schedule's block
** reward (Bittensor issuance-based halving, spec bittensor §3.1, or Bitcoin-style height-based
** halving, mechanisms §5.1), capped by the supply limit, and splits it among the stakers pro rata
** to their stake (largest-remainder rounding, reward core). Once a day each staker may unstake a
** fraction of its stake. Every movement goes through the reward core's ledger, whose conservation
** identity is checked at every sample and at the end.
**
** Events (ticks are blocks): BLOCK (phase 0) every block, DAY (phase 1) at each simulated day
** boundary, SAMPLE (phase 9) every `record_every` blocks and at the last block.
**
** Metrics (entity 0 is the network, stakers are entities 1..n):
**   supply, block_reward, halvings (entity 0, integers) and inflation_annual (entity 0, real);
**   stake, free, balance (per staker, integers); halving (entity 0) at the exact block where the
**   block reward changes, value = the new block reward.
** Ledger: genesis mints, per-sample aggregated block rewards per staker, every unstake.
*/
#ifndef TOKENSIM_TOKEN_MODEL_H
#define TOKENSIM_TOKEN_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "recorder.h"
#include "sim.h"
#include "staker.h"

typedef enum { TOKEN_SCHEDULE_ISSUANCE = 0, TOKEN_SCHEDULE_BITCOIN = 1 } token_schedule;

typedef struct token_model_config {
    uint64_t seed;             /* master seed */
    uint32_t run_index;        /* run index within a sweep (0 for a single run) */
    uint32_t block_seconds;    /* simulated seconds per block */
    uint64_t blocks;           /* blocks to simulate after genesis */
    token_schedule schedule;   /* which emission schedule */
    uint64_t initial_reward;   /* base units per block before any halving */
    uint64_t total_supply;     /* supply cap in base units (issuance schedule) */
    uint64_t halving_interval; /* blocks per halving (bitcoin schedule) */
    uint64_t start_block;      /* first subsidised height h0 (bitcoin schedule) */
    uint32_t stakers;          /* number of stakers */
    int compound;              /* rewards to stake (1) or to the free balance (0) */
    staker_params staker;      /* staker behaviour */
    uint64_t record_every;     /* blocks between samples */
} token_model_config;

typedef struct token_model token_model;

/* Builds the world on `s`: declares entities, allocates genesis stakes, registers handlers and
** schedules the first events. Returns 0, or non-zero with a message in err. */
int token_model_new(const token_model_config *cfg, sim *s, const recorder *rec, token_model **out,
                    char *err, size_t errlen);

/* After sim_run returned SIM_DONE: checks conservation once more. 0 when every token is
** accounted for. */
int token_model_finish(token_model *m, char *err, size_t errlen);

void token_model_free(token_model *m);

/* Totals for tests and the CLI summary. */
uint64_t token_model_supply(const token_model *m);
uint64_t token_model_block_reward(const token_model *m);

#endif
