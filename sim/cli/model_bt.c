/*
** model_bt.c: the "bittensor" model (agents/bittensor/bt_model.h) behind `tokensim run`: scenario
** -> bt_config (subnets, snapshots, attacks) and the adapter (cli_model.h). The converted arrays
** live as long as the model.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_model.h"
#include "bt_model.h"

/* ---- model "bittensor": scenario -> bt_config (the snapshot arrays are converted too) ---- */

typedef struct bt_conv {
    bt_config cfg;           /* what bt_model_new reads */
    bt_subnet_config *subs;  /* cfg.subnets */
    bt_snapshot_init *snaps; /* one per subnet (used where the subnet has a snapshot) */
    bt_neuron_init *neurons; /* every snapshot neuron */
    bt_pair *pairs;          /* every snapshot weight and bond pair */
} bt_conv;

static void bt_conv_free(bt_conv *c)
{
    free(c->subs);
    free(c->snaps);
    free(c->neurons);
    free(c->pairs);
}

static void bt_subnet_from(const scn_bt_subnet *s, bt_subnet_config *d)
{
    d->tempo = s->tempo, d->max_uids = s->max_uids, d->max_validators = s->max_validators;
    d->kappa = s->kappa, d->bonds_moving_average = s->bonds_moving_average;
    d->bonds_penalty = s->bonds_penalty, d->yuma3 = s->yuma3, d->liquid_alpha = s->liquid_alpha;
    d->alpha_low = s->alpha_low, d->alpha_high = s->alpha_high;
    d->alpha_sigmoid_steepness = s->alpha_sigmoid_steepness;
    d->immunity_period = s->immunity_period, d->min_allowed_weights = s->min_allowed_weights;
    d->activity_cutoff_factor = s->activity_cutoff_factor;
    d->stake_threshold = s->stake_threshold, d->commit_reveal = s->commit_reveal;
    d->reveal_period = s->reveal_period, d->weights_rate_limit = s->weights_rate_limit;
    d->immune_owner_uids = s->immune_owner_uids, d->min_non_immune_uids = s->min_non_immune_uids;
    d->owner_cut_enabled = s->owner_cut_enabled, d->burn = s->burn;
    d->burn_half_life = s->burn_half_life, d->burn_increase_mult = s->burn_increase_mult;
    d->burn_min = s->burn_min, d->burn_max = s->burn_max;
    d->pool_tao = s->pool_tao, d->pool_alpha = s->pool_alpha;
    d->moving_price = s->moving_price, d->ema_price_halving_blocks = s->ema_price_halving_blocks;
    d->miners = s->miners, d->delegators = s->delegators;
}

static bt_pair *bt_pairs_from(const scn_snap_pair *p, size_t n, bt_pair *out)
{
    for (size_t i = 0; i < n; i++)
        out[i].uid = p[i].uid, out[i].value = p[i].value;
    return out;
}

/* The snapshots' neurons and pairs, in one array each. */
static int bt_snapshots_from(const scn_scenario *sc, bt_conv *c)
{
    size_t nn = 0, np = 0;
    for (uint32_t i = 0; i < sc->bt.nsubnets; i++) {
        const scn_snapshot *s = sc->bt.subnets[i].snapshot;
        for (size_t u = 0; s && u < s->n; u++)
            nn++, np += s->neurons[u].nweights + s->neurons[u].nbonds;
    }
    c->snaps = calloc(sc->bt.nsubnets, sizeof *c->snaps);
    c->neurons = calloc(nn ? nn : 1, sizeof *c->neurons);
    c->pairs = calloc(np ? np : 1, sizeof *c->pairs);
    if (!c->snaps || !c->neurons || !c->pairs)
        return -1;
    bt_neuron_init *ni = c->neurons;
    bt_pair *pp = c->pairs;
    for (uint32_t i = 0; i < sc->bt.nsubnets; i++) {
        const scn_snapshot *s = sc->bt.subnets[i].snapshot;
        if (!s)
            continue;
        bt_snapshot_init *d = &c->snaps[i];
        d->block = s->block, d->owner_uid = s->owner_uid;
        d->has_alpha_out = s->has_alpha_out, d->alpha_out = s->alpha_out;
        d->has_issuance = s->has_issuance, d->total_issuance = s->total_issuance;
        d->neurons = ni, d->n = s->n;
        for (size_t u = 0; u < s->n; u++, ni++) {
            const scn_snap_neuron *sn = &s->neurons[u];
            ni->hotkey = sn->hotkey, ni->role = (bt_snap_role)sn->role, ni->quality = sn->quality;
            ni->stake = sn->stake, ni->root_stake = sn->root_stake;
            ni->registered_at = sn->registered_at, ni->last_update = sn->last_update;
            ni->validator_permit = sn->validator_permit, ni->take = sn->take;
            ni->emission = sn->emission;
            ni->weights = bt_pairs_from(sn->weights, sn->nweights, pp), ni->nweights = sn->nweights;
            pp += sn->nweights;
            ni->bonds = bt_pairs_from(sn->bonds, sn->nbonds, pp), ni->nbonds = sn->nbonds;
            pp += sn->nbonds;
        }
        c->subs[i].snapshot = d;
    }
    return 0;
}

/* The attack agents' keys (scenarios/ATTACKS.md); field by field, same meaning. */
static void bt_attacks_from(const struct scn_bt_attacks *a, bt_attacks_config *d)
{
    d->netuid = a->netuid;
    d->cabal.on = a->cabal.on, d->cabal.stake_share = a->cabal.stake_share;
    d->cabal.validators = a->cabal.validators, d->cabal.miners = a->cabal.miners;
    d->cabal.quality = a->cabal.quality, d->cabal.own_weight = a->cabal.own_weight;
    d->cabal.start = a->cabal.start, d->cabal.stop = a->cabal.stop;
    d->copier.on = a->copier.on, d->copier.stake_share = a->copier.stake_share;
    d->copier.source = a->copier.source ? BT_COPY_VALIDATOR : BT_COPY_CONSENSUS;
    d->copier.target = a->copier.target, d->copier.lag = a->copier.lag;
    d->copier.start = a->copier.start, d->copier.stop = a->copier.stop;
    d->sybil.on = a->sybil.on;
    d->sybil.mode = a->sybil.mode ? BT_SYBIL_VALIDATORS : BT_SYBIL_MINERS;
    d->sybil.identities = a->sybil.identities, d->sybil.quality = a->sybil.quality;
    d->sybil.stake_share = a->sybil.stake_share, d->sybil.tao = a->sybil.tao;
    d->sybil.start = a->sybil.start, d->sybil.stop = a->sybil.stop;
    d->whale.on = a->whale.on, d->whale.stake = a->whale.stake;
    d->whale.target = a->whale.target, d->whale.delay = a->whale.delay;
    d->whale.start = a->whale.start, d->whale.stop = a->whale.stop;
}

static int bt_config_from(const scn_scenario *sc, bt_conv *c)
{
    const scn_bittensor *b = &sc->bt;
    memset(c, 0, sizeof *c);
    bt_config *k = &c->cfg;
    k->seed = sc->seed, k->block_seconds = sc->time.block_seconds, k->blocks = sc->time.blocks;
    k->chain.total_supply = b->chain.total_supply,
    k->chain.block_emission = b->chain.block_emission;
    k->chain.tao_weight = b->chain.tao_weight,
    k->chain.subnet_owner_cut = b->chain.subnet_owner_cut;
    k->chain.max_epochs_per_block = b->chain.max_epochs_per_block;
    k->chain.share_variant = b->chain.share_variant;
    if (!(c->subs = calloc(b->nsubnets, sizeof *c->subs)))
        return -1;
    for (uint32_t i = 0; i < b->nsubnets; i++)
        bt_subnet_from(&b->subnets[i], &c->subs[i]);
    if (bt_snapshots_from(sc, c) != 0)
        return -1;
    k->nsubnets = b->nsubnets, k->subnets = c->subs;
    k->validators.honest = b->validators.honest, k->validators.lazy = b->validators.lazy;
    k->validators.noisy = b->validators.noisy, k->validators.noise = b->validators.noise;
    k->validators.noisy_noise = b->validators.noisy_noise,
    k->validators.stake = b->validators.stake;
    k->validators.stake_spread = b->validators.stake_spread;
    k->validators.root_stake = b->validators.root_stake;
    k->validators.take_min = b->validators.take_min,
    k->validators.take_max = b->validators.take_max;
    k->validators.tao = b->validators.tao;
    k->miners.quality = (bt_quality)b->miners.quality, k->miners.quality_a = b->miners.quality_a;
    k->miners.quality_b = b->miners.quality_b, k->miners.cost = b->miners.cost;
    k->miners.tao = b->miners.tao, k->miners.horizon_days = b->miners.horizon_days;
    k->miners.check_every = b->miners.check_every,
    k->miners.sell_fraction = b->miners.sell_fraction;
    k->miners.patience_days = b->miners.patience_days;
    k->miners.genesis_registered = b->miners.genesis_registered;
    k->delegators.stake = b->delegators.stake,
    k->delegators.stake_spread = b->delegators.stake_spread;
    k->delegators.decide_every = b->delegators.decide_every;
    k->delegators.move_delay = b->delegators.move_delay;
    k->delegators.switch_threshold = b->delegators.switch_threshold;
    k->delegators.noise = b->delegators.noise;
    k->root.stakers = b->root.stakers, k->root.stake = b->root.stake;
    k->root.stake_spread = b->root.stake_spread;
    k->owners.sell_fraction = b->owners.sell_fraction, k->owners.tao = b->owners.tao;
    k->record_every = sc->record.every, k->epochs_every = sc->record.epochs_every;
    bt_attacks_from(&b->attacks, &k->attacks);
    return 0;
}

/* The model and the configuration it was built from (the snapshot arrays it points into). */
typedef struct bt_run {
    bt_conv conv; /* converted configuration */
    bt_model *m;  /* the model */
} bt_run;

static void bt_run_free(void *p)
{
    bt_run *r = p;
    if (!r)
        return;
    bt_model_free(r->m);
    bt_conv_free(&r->conv);
    free(r);
}

static int bt_build(const scn_scenario *sc, sim *s, const recorder *rec, void **m, uint64_t *ticks,
                    char *err, size_t errlen)
{
    bt_run *r = calloc(1, sizeof *r);
    if (!r || bt_config_from(sc, &r->conv) != 0) {
        snprintf(err, errlen, "out of memory");
        if (r)
            bt_conv_free(&r->conv);
        free(r);
        return -1;
    }
    int rc = bt_model_new(&r->conv.cfg, s, rec, &r->m, err, errlen);
    if (rc != 0) { /* 2: bad input found while drawing the genesis; nothing recorded yet */
        bt_run_free(r);
        return rc == 2 ? 2 : -1;
    }
    *ticks = bt_model_genesis_block(r->m) + r->conv.cfg.blocks;
    *m = r;
    return 0;
}

static uint64_t bt_supply(const void *p)
{
    return bt_model_issuance(((const bt_run *)p)->m);
}

static int bt_finish(void *p, char *err, size_t errlen)
{
    return bt_model_finish(((bt_run *)p)->m, err, errlen);
}

const cli_model_ops cli_model_bittensor = {bt_build, bt_supply, bt_finish, bt_run_free};
