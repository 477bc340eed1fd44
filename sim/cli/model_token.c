/*
** model_token.c: the "token" model (agents/token_model.h) behind `tokensim run`: scenario ->
** token_model_config, and the adapter (cli_model.h).
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_model.h"
#include "token_model.h"

static void to_model_config(const scn_scenario *sc, token_model_config *c)
{
    memset(c, 0, sizeof *c);
    c->seed = sc->seed;
    c->block_seconds = sc->time.block_seconds;
    c->blocks = sc->time.blocks;
    c->schedule = sc->emission.schedule == SCN_SCHEDULE_BITCOIN ? TOKEN_SCHEDULE_BITCOIN
                                                                : TOKEN_SCHEDULE_ISSUANCE;
    c->initial_reward = sc->emission.initial_reward;
    c->total_supply = sc->emission.total_supply;
    c->halving_interval = sc->emission.halving_interval;
    c->start_block = sc->emission.start_block;
    c->stakers = sc->stakers.count;
    c->compound = sc->stakers.compound;
    c->staker.mean_stake = sc->stakers.initial_stake;
    c->staker.spread = sc->stakers.stake_spread;
    c->staker.unstake_probability = sc->stakers.unstake_probability;
    c->staker.unstake_ppb = staker_fraction_ppb(sc->stakers.unstake_fraction);
    c->record_every = sc->record.every;
}

static int token_build(const scn_scenario *sc, sim *s, const recorder *rec, void **m,
                       uint64_t *ticks, char *err, size_t errlen)
{
    token_model_config cfg;
    to_model_config(sc, &cfg);
    token_model *tm = NULL;
    if (token_model_new(&cfg, s, rec, &tm, err, errlen) != 0)
        return -1;
    *m = tm;
    *ticks = cfg.blocks;
    return 0;
}

static uint64_t token_supply(const void *m)
{
    return token_model_supply(m);
}

static int token_finish(void *m, char *err, size_t errlen)
{
    return token_model_finish(m, err, errlen);
}

static void token_free(void *m)
{
    token_model_free(m);
}

const cli_model_ops cli_model_token = {token_build, token_supply, token_finish, token_free};
