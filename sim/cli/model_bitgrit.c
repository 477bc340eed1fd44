/*
** model_bitgrit.c: models "bitgrit" and "numerai" (agents/bitgrit/bg_model.h) behind `tokensim
** run`: scenario -> bg_config and the adapter (cli_model.h).
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_model.h"
#include "bg_model.h"

/* ---- models "bitgrit" and "numerai": scenario -> bg_config (agents/bitgrit/bg_model.h) ---- */

static void bg_comp_from(const scn_bitgrit *b, bg_config *k)
{
    bg_comp_config *c = &k->comp;
    c->interval = b->competitions.interval, c->entry_days = b->competitions.entry_days;
    c->duration_days = b->competitions.duration_days, c->stake = b->competitions.stake;
    c->stake_spread = b->competitions.stake_spread, c->prize_usd = b->competitions.prize_usd;
    c->prize_spread = b->competitions.prize_spread, c->bonus = b->competitions.bonus;
    c->winners = b->competitions.winners, c->keep_ppb = bg_ppb(b->competitions.keep);
    c->forfeit_low_ppb = bg_ppb(b->competitions.forfeit_low);
    c->forfeit_inc_ppb = bg_ppb(b->competitions.forfeit_incomplete);
    c->reserve_ppb = bg_ppb(b->competitions.reserve_share);
    c->fee_ppb = bg_ppb(b->competitions.platform_fee);
    c->fixed_split = b->competitions.split == SCN_BG_SPLIT_FIXED;
    c->exponent_quarters = b->competitions.exponent_quarters;
    for (uint32_t i = 0; i < BG_MAX_WINNERS && i < SCN_BG_MAX_WINNERS; i++)
        c->fixed_weights[i] = b->competitions.fixed_split[i];
    c->score_noise = b->competitions.score_noise;
    c->scoring_days = b->competitions.scoring_days;
    c->bonus_probability = b->competitions.bonus_probability;
    c->numerai_settlement = b->competitions.settlement == SCN_BG_SETTLE_NUMERAI;
    c->nm_threshold = b->competitions.numerai_threshold;
    c->nm_scale_ppb = bg_ppb(b->competitions.numerai_scale);
    c->nm_mult = (int64_t)llround(b->competitions.numerai_multiplier * 1e6);
    c->nm_clip_ppb = bg_ppb(b->competitions.numerai_clip);
}

static void bg_people_from(const scn_bitgrit *b, bg_config *k)
{
    bg_sci_config *s = &k->sci;
    s->count = b->scientists.count, s->balance = b->scientists.balance;
    s->balance_spread = b->scientists.balance_spread, s->skill_sd = b->scientists.skill_sd;
    s->complete_min = b->scientists.complete_min, s->complete_max = b->scientists.complete_max;
    s->cost_usd = b->scientists.cost_usd, s->cost_spread = b->scientists.cost_spread;
    s->belief_noise = b->scientists.belief_noise, s->learning_rate = b->scientists.learning_rate;
    s->effort_min = b->scientists.effort_min, s->effort_max = b->scientists.effort_max;
    s->effort_score = b->scientists.effort_score;
    k->jobs.arrival_rate = b->jobs.arrival_rate, k->jobs.deposit_stakes = b->jobs.deposit_stakes;
    k->jobs.hire_rate = b->jobs.hire_rate, k->jobs.lock_days = b->jobs.lock_days;
    k->jobs.retain_ppb = bg_ppb(b->jobs.retain);
    k->comm.members = b->community.members;
    for (unsigned a = 0; a < BG_ACTIONS && a < SCN_BG_ACTIONS; a++)
        k->comm.reward[a] = b->community.reward[a], k->comm.rate[a] = b->community.rate[a];
    k->comm.farm_identities = b->community.farm_identities;
    k->comm.farm_rate = b->community.farm_rate, k->comm.farm_accept = b->community.farm_accept;
    k->comm.farm_start = b->community.farm_start, k->comm.farm_stop = b->community.farm_stop;
    k->comm.farm_cost = b->community.farm_cost;
}

static void bg_numerai_from(const scn_bitgrit *b, bg_numerai_config *n)
{
    n->models = b->numerai.models, n->interval = b->numerai.interval;
    n->resolve_days = b->numerai.resolve_days, n->threshold = b->numerai.threshold;
    n->corr_num = (int64_t)llround(b->numerai.corr_multiplier * 1e6);
    n->mmc_num = (int64_t)llround(b->numerai.mmc_multiplier * 1e6);
    n->clip_ppb = bg_ppb(b->numerai.clip), n->stake = b->numerai.stake;
    n->stake_spread = b->numerai.stake_spread, n->stake_skill = b->numerai.stake_skill;
    n->mu_mean = b->numerai.mu_mean, n->mu_sd = b->numerai.mu_sd;
    n->corr_sd = b->numerai.corr_sd, n->mmc_sd = b->numerai.mmc_sd;
    n->era_sd = b->numerai.era_sd, n->mmc_k = b->numerai.mmc_k, n->valid = b->numerai.valid;
    n->compound = b->numerai.compound, n->treasury = b->numerai.treasury;
    n->burn_to_treasury = b->numerai.burn_to_treasury;
    n->sybil_k = b->numerai.sybil_k;
    n->atomic_v3 = b->numerai.atomic_v3;
    n->round_share_ppb = bg_ppb(b->numerai.round_share);
}

static void bg_config_from(const scn_scenario *sc, bg_config *k)
{
    const scn_bitgrit *b = &sc->bg;
    memset(k, 0, sizeof *k);
    k->seed = sc->seed, k->days = sc->time.blocks;
    k->mode = sc->model == SCN_MODEL_NUMERAI ? BG_MODE_NUMERAI : BG_MODE_COMPETITIONS;
    k->max_supply = b->supply.max_supply, k->minting = b->supply.treasury == SCN_BG_MINTING;
    k->community_allocation = b->supply.community_allocation;
    k->vesting_months = b->supply.vesting_months, k->market_float = b->supply.market_float;
    k->bgr_price_usd = b->supply.bgr_price_usd;
    bg_comp_from(b, k);
    bg_people_from(b, k);
    bg_numerai_from(b, &k->nm);
}

static int bg_build(const scn_scenario *sc, sim *s, const recorder *rec, void **m, uint64_t *ticks,
                    char *err, size_t errlen)
{
    bg_config cfg;
    bg_config_from(sc, &cfg);
    bg_model *bm = NULL;
    if (bg_model_new(&cfg, s, rec, &bm, err, errlen) != 0)
        return -1;
    *m = bm;
    *ticks = cfg.days;
    return 0;
}

static uint64_t bg_supply(const void *m)
{
    bg_totals t;
    bg_model_totals(m, &t);
    return t.supply;
}

static int bg_finish(void *m, char *err, size_t errlen)
{
    return bg_model_finish(m, err, errlen);
}

static void bg_free(void *m)
{
    bg_model_free(m);
}

const cli_model_ops cli_model_bitgrit = {bg_build, bg_supply, bg_finish, bg_free};
