/*
** model_aigen.c: the "aigen" model (agents/aigen/ag_model.h) behind `tokensim run`: scenario ->
** ag_config (shares to ppb) and the adapter (cli_model.h).
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_model.h"
#include "ag_model.h"

/* ---- model "aigen" (agents/aigen/ag_model.h): field by field, shares to ppb ---- */

static uint32_t ag_ppb(double d)
{
    return (uint32_t)llround(d * 1e9);
}

static void ag_config_from(const scn_scenario *sc, ag_config *k)
{
    const scn_aigen *a = &sc->aigen;
    memset(k, 0, sizeof *k);
    k->seed = sc->seed, k->epoch_seconds = sc->time.block_seconds, k->epochs = sc->time.blocks;
    k->record_every = sc->record.every;
    k->controllers = a->controllers, k->models = a->models, k->consumers = a->consumers;
    k->price = a->price, k->price_spread = a->price_spread, k->calls = a->calls;
    k->base_fee = a->base_fee, k->call_target = a->call_target;
    k->elasticity = a->elasticity, k->quality_weight = a->quality_weight;
    k->price_weight = a->price_weight, k->score_weight = a->score_weight;
    k->wallet = a->wallet, k->quality_a = a->quality_a, k->quality_b = a->quality_b;
    k->invest_step = a->invest_step, k->invest_cost = a->invest_cost;
    k->invest_horizon = a->invest_horizon, k->decay = a->decay;
    k->settle = (tsr_aigen_params){.k_plat_ppb = ag_ppb(a->k_plat),
                                   .k_dev_ppb = ag_ppb(a->k_dev),
                                   .k_val_ppb = ag_ppb(a->k_val),
                                   .k_burn_ppb = ag_ppb(a->k_burn),
                                   .kappa_ppb = ag_ppb(a->kappa),
                                   .mode = a->relative ? TSR_AIGEN_RELATIVE : TSR_AIGEN_ABSOLUTE,
                                   .gamma = a->gamma,
                                   .slashing = a->slashing,
                                   .epsilon_ppb = ag_ppb(a->epsilon),
                                   .slash_ppb = ag_ppb(a->slash),
                                   .slash_correlation = a->slash_correlation};
    k->unearned_treasury = a->unearned_treasury, k->audit = a->audit;
    k->reveal_delay = a->reveal_delay, k->honest = a->honest, k->lazy = a->lazy;
    k->copiers = a->copiers, k->coalition = a->coalition, k->stake = a->stake;
    k->stake_spread = a->stake_spread, k->noise = a->noise, k->lazy_score = a->lazy_score;
    k->coalition_share = a->coalition_share, k->coalition_controllers = a->coalition_controllers;
    k->coalition_deflate = a->coalition_deflate, k->compound = a->compound;
    k->coalition_start = a->coalition_start, k->coalition_stop = a->coalition_stop;
    k->copier_start = a->copier_start, k->copier_stop = a->copier_stop;
    k->sybil_k = a->sybil_k;
}

static int ag_build(const scn_scenario *sc, sim *s, const recorder *rec, void **m, uint64_t *ticks,
                    char *err, size_t errlen)
{
    ag_config cfg;
    ag_config_from(sc, &cfg);
    ag_model *am = NULL;
    int rc = ag_model_new(&cfg, s, rec, &am, err, errlen);
    if (rc != 0) /* 2: a configuration the model refuses */
        return rc == 2 ? 2 : -1;
    *m = am;
    *ticks = cfg.epochs;
    return 0;
}

static uint64_t ag_supply(const void *m)
{
    return ag_model_supply(m);
}

static int ag_finish(void *m, char *err, size_t errlen)
{
    return ag_model_finish(m, err, errlen);
}

static void ag_free(void *m)
{
    ag_model_free(m);
}

const cli_model_ops cli_model_aigen = {ag_build, ag_supply, ag_finish, ag_free};
