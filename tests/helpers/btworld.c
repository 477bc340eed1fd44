/*
** btworld.c: see btworld.h.
*/
#include "btworld.h"

#include <string.h>

#include "sim.h"

void btw_subnet(bt_subnet_config *s)
{
    memset(s, 0, sizeof *s);
    s->tempo = 360, s->max_uids = 256, s->max_validators = 64, s->kappa = 32767;
    s->bonds_moving_average = 900000, s->bonds_penalty = 65535, s->yuma3 = 1;
    s->alpha_low = 45875, s->alpha_high = 58982, s->alpha_sigmoid_steepness = 1000;
    s->immunity_period = 5000, s->min_allowed_weights = 1, s->activity_cutoff_factor = 13889;
    s->commit_reveal = 1, s->reveal_period = 1, s->weights_rate_limit = 100;
    s->immune_owner_uids = 1, s->min_non_immune_uids = 10, s->owner_cut_enabled = 1;
    s->burn = BTW_TAO, s->burn_half_life = 360, s->burn_increase_mult = 1.26;
    s->burn_min = 500000, s->burn_max = 100 * BTW_TAO, s->pool_tao = 1000 * BTW_TAO;
    s->pool_alpha = 1000 * BTW_TAO, s->moving_price = 1.0, s->ema_price_halving_blocks = 201600;
    s->miners = 8, s->delegators = 0;
}

void btw_chain(bt_config *c, bt_subnet_config *subs, uint32_t nsub, uint64_t blocks)
{
    memset(c, 0, sizeof *c);
    c->seed = 1, c->block_seconds = 12, c->blocks = blocks;
    c->chain.total_supply = 21000000ull * BTW_TAO, c->chain.block_emission = BTW_TAO;
    c->chain.tao_weight = 971718665099567868ull, c->chain.subnet_owner_cut = 11796;
    c->chain.max_epochs_per_block = 2;
    c->nsubnets = nsub, c->subnets = subs;
}

int btw_run(const bt_config *c, const recorder *rec, char *err, size_t errlen)
{
    if (errlen > 0)
        err[0] = '\0';
    sim *s = sim_new();
    if (!s)
        return -1;
    bt_model *m = NULL;
    int rc = bt_model_new(c, s, rec, &m, err, errlen);
    if (rc == 0)
        rc = sim_run(s) == SIM_DONE ? bt_model_finish(m, err, errlen) : -1;
    bt_model_free(m);
    sim_free(s);
    return rc;
}

static int n_entity(void *c, int64_t id, const char *k, const char *r, const char *n, int64_t g)
{
    (void)c, (void)id, (void)k, (void)r, (void)n, (void)g;
    return 0;
}
static int n_i64(void *c, int64_t t, int64_t b, const char *m, int64_t e, int64_t v)
{
    (void)c, (void)t, (void)b, (void)m, (void)e, (void)v;
    return 0;
}
static int n_f64(void *c, int64_t t, int64_t b, const char *m, int64_t e, double v)
{
    (void)c, (void)t, (void)b, (void)m, (void)e, (void)v;
    return 0;
}
static int n_ledger(void *c, int64_t q, int64_t t, const char *k, int64_t a, int64_t b, uint64_t x,
                    const char *r)
{
    (void)c, (void)q, (void)t, (void)k, (void)a, (void)b, (void)x, (void)r;
    return 0;
}
static int n_epoch(void *c, const recorder_epoch_row *r)
{
    (void)c, (void)r;
    return 0;
}

recorder btw_null_recorder(void)
{
    static const recorder_vt null_vt = {n_entity, n_i64, n_f64, n_ledger, n_epoch};
    return (recorder){&null_vt, NULL};
}
