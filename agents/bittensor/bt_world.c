/*
** bt_world.c: the bittensor model's world — genesis (from the configuration or a snapshot),
** the block step, the agents' events and the lifecycle (bt_model.h).
**
** Genesis. TAO: each subnet's pool reserve, every agent's free TAO and every root position are
** opened with genesis balances; TotalIssuance starts at their sum. Alpha of a subnet: its pool
** reserve, every genesis stake position and a snapshot's surplus alpha_out. Uids: the owner's
** hotkey at uid 0, the validators, then miners until the subnet is full (or a snapshot's uids as
** they are); validator permits start as the top-k by stake, as if an epoch had run.
**
** Block step (phase 0): tsr_coinbase_begin_block; the ledgers receive exactly what it minted
** (injected and excess TAO, injected alpha, the alpha_out split into the pending pools, the
** split floors' dust to the unowned account, recycled root alpha minted and burned); excess TAO
** buys alpha; halvings are detected; every drained subnet runs its epoch (bt_epoch.c);
** tsr_coinbase_end_block; the O(1) conservation checks. Agents (phase 1, canonical order):
** WEIGHTS (validator, subnet) every tempo, CHECK (miner candidate) every miners.check_every,
** DAY (subnet) every 86400 s, DECIDE (subnet's delegators) every delegators.decide_every, MOVE
** (one delegator) move_delay after its decision. SAMPLE (phase 9): metrics and full checks.
*/
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atk.h"
#include "bt_ahead.h"
#include "bt_agents.h"
#include "bt_int.h"
#include "rng.h"

/* ---- small helpers ------------------------------------------------------------------------ */

int bt_fail(bt_model *m, const char *fmt, ...)
{
    if (m->err && m->errlen && m->err[0] == '\0') { /* the first error is the cause */
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(m->err, m->errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

int bt_bad_input(bt_model *m, const char *fmt, ...)
{
    if (m->err && m->errlen && m->err[0] == '\0') { /* only when it is the first error */
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(m->err, m->errlen, fmt, ap);
        va_end(ap);
        m->bad_input = true;
    }
    return -1;
}

int64_t bt_t(const bt_model *m, uint64_t block)
{
    return (int64_t)(block * m->cfg.block_seconds);
}

int bt_ledger_row(bt_model *m, uint64_t block, const char *kind, int64_t src, int64_t dst,
                  uint64_t amount, const char *reason)
{
    return m->rec->vt->ledger(m->rec->ctx, m->ledger_seq++, bt_t(m, block), kind, src, dst, amount,
                              reason);
}

int bt_series_i(bt_model *m, uint64_t block, const char *metric, int64_t id, int64_t v)
{
    return m->rec->vt->series_i64(m->rec->ctx, bt_t(m, block), (int64_t)block, metric, id, v);
}

int bt_series_f(bt_model *m, uint64_t block, const char *metric, int64_t id, double v)
{
    return m->rec->vt->series_f64(m->rec->ctx, bt_t(m, block), (int64_t)block, metric, id, v);
}

static rng_key key_of(const bt_model *m, uint32_t purpose, int64_t entity)
{
    rng_key k = {m->cfg.seed, m->cfg.run_index, purpose, (uint64_t)entity};
    return k;
}

void bt_rng(bt_model *m, uint32_t purpose, int64_t entity, uint64_t event)
{
    rng_key k = key_of(m, purpose, entity);
    rng_event_reset(m->rng, &k, event);
}

static uint64_t blocks_per_day(const bt_model *m)
{
    uint64_t b = 86400u / m->cfg.block_seconds;
    return b ? b : 1;
}

static double price_of(const tsr_subnet *cs)
{
    return (double)cs->price.raw.hi + (double)cs->price.raw.lo / 18446744073709551616.0;
}

static bt_miner_params miner_params(const bt_model *m)
{
    bt_miner_params p = {m->cfg.miners.quality,      m->cfg.miners.quality_a,
                         m->cfg.miners.quality_b,    m->cfg.miners.cost,
                         m->cfg.miners.horizon_days, m->cfg.miners.sell_fraction,
                         m->cfg.miners.patience_days};
    return p;
}

/* ---- agents and hotkeys -------------------------------------------------------------------- */

static int32_t new_agent(bt_model *m, bt_role role, uint16_t netuid, int64_t entity, uint64_t tao)
{
    if (m->nagents == m->capagents) {
        uint32_t c = m->capagents ? m->capagents * 2 : 64;
        if (bt_resize((void **)&m->agents, c, sizeof *m->agents) ||
            bt_resize((void **)&m->answer, c, sizeof *m->answer) ||
            bt_resize((void **)&m->earned, c, sizeof *m->earned))
            return BT_NONE;
        m->capagents = c;
    }
    bt_agent *a = &m->agents[m->nagents];
    memset(a, 0, sizeof *a);
    a->entity = entity, a->role = (uint8_t)role, a->netuid = netuid;
    a->hotkey = BT_NONE, a->position = BT_NONE, a->serving = true;
    if (tsr_ledger_open(&m->tao, tao, &a->tao_acct) != TSR_OK)
        return BT_NONE;
    m->earned[m->nagents] = 0;
    bt_agent_sync(m, m->nagents);
    return (int32_t)m->nagents++;
}

void bt_agent_sync(bt_model *m, uint32_t a)
{
    const bt_agent *ag = &m->agents[a];
    m->answer[a] = ag->role == BT_MINER && ag->serving ? ag->quality : -1.0;
}

static int32_t new_hotkey(bt_model *m, uint32_t owner, uint16_t take)
{
    if (m->nhotkeys == m->caphotkeys) {
        uint32_t c = m->caphotkeys ? m->caphotkeys * 2 : 64;
        bt_hotkey *p = realloc(m->hotkeys, c * sizeof *p);
        if (!p)
            return BT_NONE;
        m->hotkeys = p, m->caphotkeys = c;
    }
    bt_hotkey *h = &m->hotkeys[m->nhotkeys];
    memset(h, 0, sizeof *h);
    h->owner = owner, h->take = take;
    m->agents[owner].hotkey = (int32_t)m->nhotkeys;
    return (int32_t)m->nhotkeys++;
}

int32_t bt_agent_new(bt_model *m, bt_role role, uint16_t netuid, int64_t entity, uint64_t tao)
{
    return new_agent(m, role, netuid, entity, tao);
}

int32_t bt_hotkey_new(bt_model *m, uint32_t owner, uint16_t take)
{
    return new_hotkey(m, owner, take);
}

static int new_rootpos(bt_model *m, uint32_t agent, uint32_t hotkey, uint64_t amount)
{
    if (amount == 0)
        return 0;
    bt_hotkey *h = &m->hotkeys[hotkey];
    if (m->nrootpos == m->caprootpos) {
        uint32_t c = m->caprootpos ? m->caprootpos * 2 : 16;
        bt_rootpos *p = realloc(m->rootpos, c * sizeof *p);
        if (!p)
            return -1;
        m->rootpos = p, m->caprootpos = c;
    }
    if (h->nrootpos == h->caprootpos) {
        uint32_t c = h->caprootpos ? h->caprootpos * 2 : 4;
        uint32_t *p = realloc(h->rootpos, c * sizeof *p);
        if (!p)
            return -1;
        h->rootpos = p, h->caprootpos = c;
    }
    bt_rootpos *r = &m->rootpos[m->nrootpos];
    r->agent = agent, r->hotkey = hotkey;
    if (tsr_ledger_open(&m->tao, amount, &r->acct) != TSR_OK)
        return bt_bad_input(m,
                            "the genesis TAO overflows 64 bits at a root stake of %llu units "
                            "(root.stake, root.stake_spread, validators.root_stake)",
                            (unsigned long long)amount); /* the only failure: genesis overflow */
    h->rootpos[h->nrootpos++] = m->nrootpos++;
    h->root_stake += amount;
    m->chain.root_tao += amount;
    return 0;
}

static gsl_rng *setup_rng(bt_model *m, int64_t entity, uint64_t event)
{
    bt_rng(m, RNG_PURPOSE_SETUP, entity, event);
    return m->rng;
}

static uint16_t draw_take(bt_model *m, int64_t entity)
{
    uint16_t lo = m->cfg.validators.take_min, hi = m->cfg.validators.take_max;
    if (hi <= lo)
        return lo;
    double u = gsl_rng_uniform(setup_rng(m, entity, 1));
    return (uint16_t)(lo + (uint16_t)floor(u * (double)(hi - lo + 1)));
}

/* Global validators and root stakers' agents (root positions come after the hotkeys). */
static int make_global_agents(bt_model *m)
{
    const bt_config *c = &m->cfg;
    uint32_t v = c->validators.honest + c->validators.lazy + c->validators.noisy;
    for (uint32_t i = 0; i < v; i++) {
        int64_t e = BT_ENT_VALIDATOR + i;
        int32_t a = new_agent(m, BT_VALIDATOR, 0, e, c->validators.tao);
        if (a == BT_NONE || new_hotkey(m, (uint32_t)a, draw_take(m, e)) == BT_NONE)
            return -1;
        bt_agent *ag = &m->agents[a];
        ag->strategy = i < c->validators.honest                        ? BT_HONEST
                       : i < c->validators.honest + c->validators.lazy ? BT_LAZY
                                                                       : BT_NOISY;
        ag->noise = ag->strategy == BT_NOISY ? c->validators.noisy_noise : c->validators.noise;
    }
    m->nvalidators = v;
    for (uint32_t i = 0; i < c->root.stakers; i++)
        if (new_agent(m, BT_ROOT, 0, BT_ENT_ROOT + i, 0) == BT_NONE)
            return -1;
    return 0;
}

/* A subnet's own agents: owner, snapshot agents, miners and delegators. */
static int make_subnet_agents(bt_model *m, bt_subnet *sn)
{
    const bt_config *c = &m->cfg;
    const bt_snapshot_init *snap = sn->cfg.snapshot;
    int64_t base = BT_ENT_SUBNET_BASE * sn->netuid;
    bt_miner_params mp = miner_params(m);
    int32_t o = new_agent(m, BT_OWNER, sn->netuid, base + BT_ENT_OWNER, c->owners.tao);
    if (o == BT_NONE || new_hotkey(m, (uint32_t)o, 11796) == BT_NONE)
        return -1;
    sn->owner_agent = (uint32_t)o;
    uint32_t nm = (uint32_t)(snap ? snap->n : 0) + sn->cfg.miners;
    if (!(sn->miners = calloc(nm ? nm : 1, sizeof *sn->miners)) ||
        !(sn->delegators =
              calloc(sn->cfg.delegators ? sn->cfg.delegators : 1, sizeof *sn->delegators)))
        return -1;
    for (size_t u = 0; snap && u < snap->n; u++) {
        const bt_neuron_init *ni = &snap->neurons[u];
        if ((int64_t)u == snap->owner_uid || ni->role == BT_SNAP_OWNER)
            continue; /* the owner agent takes this uid */
        bt_role r = ni->role == BT_SNAP_VALIDATOR ? BT_VALIDATOR : BT_MINER;
        uint64_t tao = r == BT_VALIDATOR ? c->validators.tao : c->miners.tao;
        int32_t a = new_agent(m, r, sn->netuid, base + BT_ENT_SNAPSHOT + (int64_t)u, tao);
        if (a == BT_NONE || new_hotkey(m, (uint32_t)a, ni->take) == BT_NONE)
            return -1;
        m->agents[a].quality = ni->quality;
        m->agents[a].noise = c->validators.noise;
        bt_agent_sync(m, (uint32_t)a);
        if (r == BT_MINER)
            sn->miners[sn->nminers++] = (uint32_t)a;
    }
    for (uint32_t i = 0; i < sn->cfg.miners; i++) {
        int64_t e = base + BT_ENT_MINER + i;
        int32_t a = new_agent(m, BT_MINER, sn->netuid, e, c->miners.tao);
        if (a == BT_NONE || new_hotkey(m, (uint32_t)a, 11796) == BT_NONE)
            return -1;
        m->agents[a].quality = bt_miner_quality(&mp, setup_rng(m, e, 0));
        bt_agent_sync(m, (uint32_t)a);
        sn->miners[sn->nminers++] = (uint32_t)a;
    }
    for (uint32_t i = 0; i < sn->cfg.delegators; i++) {
        int32_t a = new_agent(m, BT_DELEGATOR, sn->netuid, base + BT_ENT_DELEGATOR + i, 0);
        if (a == BT_NONE)
            return -1;
        sn->delegators[sn->ndelegators++] = (uint32_t)a;
    }
    return 0;
}

/* ---- subnet genesis ------------------------------------------------------------------------ */

static int open_subnet_accounts(bt_model *m, bt_subnet *sn, uint64_t unowned)
{
    tsr_ledger *l = &sn->alpha;
    size_t *acc[] = {&sn->a_reserve, &sn->a_server,  &sn->a_validator, &sn->a_root,    &sn->a_owner,
                     &sn->a_epoch,   &sn->a_unowned, &sn->a_burned,    &sn->a_protocol};
    if (tsr_ledger_init_alloc(l, NULL, NULL, 64) != TSR_OK)
        return -1;
    for (size_t i = 0; i < sizeof acc / sizeof acc[0]; i++) {
        uint64_t g = i == 0 ? sn->cfg.pool_alpha : acc[i] == &sn->a_unowned ? unowned : 0;
        if (tsr_ledger_open(l, g, acc[i]) != TSR_OK)
            return -1;
    }
    if (tsr_ledger_open(&m->tao, sn->cfg.pool_tao, &sn->t_reserve) != TSR_OK)
        return -1;
    sn->member_of = malloc((m->nhotkeys ? m->nhotkeys : 1) * sizeof *sn->member_of);
    sn->neurons = calloc(sn->cfg.max_uids, sizeof *sn->neurons);
    sn->uid_agent = calloc(sn->cfg.max_uids, sizeof *sn->uid_agent);
    sn->wrows = calloc(sn->cfg.max_uids / 64 + 1, sizeof *sn->wrows);
    if (!sn->member_of || !sn->neurons || !sn->uid_agent || !sn->wrows)
        return -1;
    for (uint32_t h = 0; h < m->nhotkeys; h++)
        sn->member_of[h] = BT_NONE;
    return 0;
}

/* Registers agent a's hotkey at the next uid at genesis, with `alpha` of own stake. */
static int genesis_neuron(bt_model *m, bt_subnet *sn, uint32_t a, uint64_t alpha, uint64_t bar)
{
    int32_t k = bt_member_get(m, sn, m->agents[a].hotkey);
    if (k == BT_NONE || bt_genesis_uid(m, sn, (uint32_t)k, bar, bar) == BT_NONE)
        return -1;
    if (alpha && bt_position_genesis(m, sn, a, (uint32_t)k, alpha) == BT_NONE)
        return -1;
    return 0;
}

static int genesis_plain(bt_model *m, bt_subnet *sn)
{
    const bt_config *c = &m->cfg;
    uint64_t g = m->genesis;
    if (genesis_neuron(m, sn, sn->owner_agent, 0, g) != 0)
        return -1;
    if (!(sn->validators = calloc(m->nvalidators ? m->nvalidators : 1, sizeof *sn->validators)))
        return -1;
    for (uint32_t v = 0; v < m->nvalidators; v++) {
        uint64_t st = bt_draw_amount(c->validators.stake, c->validators.stake_spread,
                                     setup_rng(m, m->agents[v].entity, 100 + sn->netuid));
        if (genesis_neuron(m, sn, v, st, g) != 0)
            return -1;
        sn->validators[sn->nvalidators++] = v;
    }
    if (atk_genesis_uids(m, sn) != 0) /* attack agents' uids come before the miners' */
        return -1;
    for (uint32_t i = 0; c->miners.genesis_registered && i < sn->nminers; i++) {
        if (sn->n >= sn->cfg.max_uids)
            break;
        if (genesis_neuron(m, sn, sn->miners[i], 0, g) != 0)
            return -1;
    }
    return 0;
}

static int copy_row(bt_pair **row, uint32_t *n, uint32_t *cap, const bt_pair *p, size_t k)
{
    if (k == 0)
        return 0;
    if (!(*row = malloc(k * sizeof **row)))
        return -1;
    memcpy(*row, p, k * sizeof **row);
    *n = *cap = (uint32_t)k;
    return 0;
}

static int genesis_snapshot(bt_model *m, bt_subnet *sn)
{
    const bt_snapshot_init *snap = sn->cfg.snapshot;
    uint32_t next = 0; /* snapshot agents were created in uid order, skipping the owner */
    uint32_t first = sn->owner_agent + 1;
    for (size_t u = 0; u < snap->n; u++) {
        const bt_neuron_init *ni = &snap->neurons[u];
        int is_owner = (int64_t)u == snap->owner_uid || ni->role == BT_SNAP_OWNER;
        uint32_t a = is_owner ? sn->owner_agent : first + next++;
        if (is_owner)
            m->hotkeys[m->agents[a].hotkey].take = ni->take;
        if (genesis_neuron(m, sn, a, ni->stake, ni->registered_at) != 0)
            return -1;
        bt_neuron *nr = &sn->neurons[u];
        nr->last_update = ni->last_update;
        nr->permit = ni->validator_permit != 0;
        nr->emission = ni->emission;
        if (copy_row(&nr->w, &nr->nw, &nr->capw, ni->weights, ni->nweights) != 0 ||
            copy_row(&nr->b, &nr->nb, &nr->capb, ni->bonds, ni->nbonds) != 0 ||
            new_rootpos(m, a, (uint32_t)m->agents[a].hotkey, ni->root_stake) != 0)
            return -1;
        bt_wrow_note(sn, (uint32_t)u);
        if (m->agents[a].role == BT_VALIDATOR) {
            if (!sn->validators && !(sn->validators = calloc(snap->n, sizeof *sn->validators)))
                return -1;
            sn->validators[sn->nvalidators++] = a;
        }
    }
    return 0;
}

/* Delegators stake on a validator (uniformly chosen) of their subnet, else on the owner. */
static int genesis_delegators(bt_model *m, bt_subnet *sn)
{
    const bt_config *c = &m->cfg;
    for (uint32_t i = 0; i < sn->ndelegators; i++) {
        bt_agent *d = &m->agents[sn->delegators[i]];
        gsl_rng *r = setup_rng(m, d->entity, 0);
        uint32_t target = sn->owner_agent;
        if (sn->nvalidators)
            target = sn->validators[gsl_rng_uniform_int(r, sn->nvalidators)];
        uint64_t amt = bt_draw_amount(c->delegators.stake, c->delegators.stake_spread, r);
        int32_t k = bt_member_get(m, sn, m->agents[target].hotkey);
        int32_t p = k == BT_NONE ? BT_NONE
                                 : bt_position_genesis(m, sn, sn->delegators[i], (uint32_t)k, amt);
        if (p == BT_NONE)
            return -1;
        d->position = p;
    }
    return 0;
}

/* Root positions: validators' own, and root stakers on a uniformly chosen validator. */
static int genesis_root(bt_model *m)
{
    const bt_config *c = &m->cfg;
    for (uint32_t v = 0; v < m->nvalidators; v++)
        if (new_rootpos(m, v, (uint32_t)m->agents[v].hotkey, c->validators.root_stake) != 0)
            return -1;
    if (c->root.stakers && m->nvalidators == 0)
        return bt_bad_input(m, "root.stakers needs at least one validator to delegate to");
    for (uint32_t a = 0; a < m->nagents; a++) {
        bt_agent *ag = &m->agents[a];
        if (ag->role != BT_ROOT)
            continue;
        gsl_rng *r = setup_rng(m, ag->entity, 0);
        uint32_t v = (uint32_t)gsl_rng_uniform_int(r, m->nvalidators);
        uint64_t amt = bt_draw_amount(c->root.stake, c->root.stake_spread, r);
        if (new_rootpos(m, a, (uint32_t)m->agents[v].hotkey, amt) != 0)
            return -1;
    }
    return 0;
}

/* Top-k by stake (ties to the higher uid, as is_topk_nonzero), owner forced: the permits an
** epoch at genesis would have given. */
static void genesis_permits(bt_model *m, bt_subnet *sn)
{
    uint32_t n = sn->n, k = sn->cfg.max_validators;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t si = sn->members[sn->neurons[i].member].alpha;
        uint32_t above = 0;
        for (uint32_t j = 0; j < n; j++) {
            uint64_t sj = sn->members[sn->neurons[j].member].alpha;
            above += sj > si || (sj == si && j > i);
        }
        sn->neurons[i].permit = si > 0 && above < k;
    }
    int32_t h = m->agents[sn->owner_agent].hotkey;
    if (sn->member_of[h] != BT_NONE && sn->members[sn->member_of[h]].uid >= 0)
        sn->neurons[sn->members[sn->member_of[h]].uid].permit = true;
}

static void yuma_params(bt_subnet *sn)
{
    const bt_subnet_config *c = &sn->cfg;
    tsr_yuma_params_default(&sn->yp);
    sn->yp.tempo = c->tempo;
    uint64_t cut = (uint64_t)c->activity_cutoff_factor * c->tempo / 1000u;
    sn->yp.activity_cutoff = cut ? cut : 1;
    sn->yp.kappa = c->kappa;
    sn->yp.bonds_moving_average = c->bonds_moving_average;
    sn->yp.bonds_penalty = c->bonds_penalty;
    sn->yp.max_allowed_validators = c->max_validators;
    sn->yp.yuma3 = c->yuma3 != 0;
    sn->yp.liquid_alpha = c->liquid_alpha != 0;
    sn->yp.alpha_low = c->alpha_low;
    sn->yp.alpha_high = c->alpha_high;
    sn->yp.alpha_sigmoid_steepness = (int16_t)c->alpha_sigmoid_steepness;
    sn->yp.stake_threshold = c->stake_threshold;
}

static uint64_t f64_bits(double d)
{
    uint64_t b;
    memcpy(&b, &d, sizeof b);
    return b;
}

/* The coinbase's view of subnet i after its genesis balances exist. */
static int chain_subnet(bt_model *m, uint32_t i)
{
    bt_subnet *sn = &m->sub[i];
    tsr_subnet *cs = &m->cs[i];
    const tsr_ledger *l = &sn->alpha;
    if (tsr_subnet_init(cs, sn->netuid, m->genesis, m->genesis + 1, sn->cfg.pool_tao,
                        sn->cfg.pool_alpha) != TSR_OK)
        return bt_fail(m, "subnet %u: invalid coinbase state", sn->netuid);
    cs->alpha_out = l->genesis + l->minted - sn->cfg.pool_alpha;
    cs->tempo = sn->cfg.tempo;
    /* init_new_network's stagger with the subnet's own tempo: now - (netuid mod tempo). */
    uint64_t stagger = sn->netuid % sn->cfg.tempo;
    cs->last_epoch_block = m->genesis > stagger ? m->genesis - stagger : 0;
    cs->owner_cut_enabled = sn->cfg.owner_cut_enabled != 0;
    cs->ema_price_halving_blocks = sn->cfg.ema_price_halving_blocks;
    tsr_burn_params bp = {sn->cfg.burn_half_life, {{0, 0}}, sn->cfg.burn_min, sn->cfg.burn_max};
    if (tsr_u64f64_from_f64_bits(f64_bits(sn->cfg.burn_increase_mult), &bp.increase_mult) !=
            TSR_OK ||
        tsr_burn_init(&cs->burn, &bp, sn->cfg.burn) != TSR_OK ||
        tsr_i96f32_from_f64_bits(f64_bits(sn->cfg.moving_price), &cs->moving_price) != TSR_OK)
        return bt_fail(m, "subnet %u: burn multiplier or moving price out of range", sn->netuid);
    tsr_pool_set_price(cs);
    if (tsr_subnet_alpha_issuance(cs) >= m->cfg.chain.total_supply)
        return bt_bad_input(m,
                            "subnet %u: the genesis alpha drawn for it (%llu units: pool_alpha "
                            "and the validators.stake and delegators.stake draws with their "
                            "stake_spread) is not below chain.total_supply (%llu units)",
                            sn->netuid, (unsigned long long)tsr_subnet_alpha_issuance(cs),
                            (unsigned long long)m->cfg.chain.total_supply);
    uint64_t e = 0;
    tsr_block_emission_for_issuance(&m->chain.issuance, tsr_subnet_alpha_issuance(cs), &e);
    sn->st.last_alpha_emission = e;
    return 0;
}

static int genesis_subnet(bt_model *m, bt_subnet *sn)
{
    const bt_snapshot_init *snap = sn->cfg.snapshot;
    uint64_t unowned = 0;
    if (snap && snap->has_alpha_out) {
        uint64_t staked = 0;
        for (size_t u = 0; u < snap->n; u++)
            staked += snap->neurons[u].stake;
        unowned = snap->alpha_out > staked ? snap->alpha_out - staked : 0;
    }
    if (open_subnet_accounts(m, sn, unowned) != 0)
        return bt_fail(m, "out of memory");
    if ((snap ? genesis_snapshot(m, sn) : genesis_plain(m, sn)) != 0 ||
        (snap && atk_genesis_uids(m, sn) != 0) || genesis_delegators(m, sn) != 0)
        return bt_fail(m, "subnet %u: genesis failed (out of memory)", sn->netuid);
    if (atk_genesis_stake(m, sn) != 0)
        return -1;
    if (!snap)
        genesis_permits(m, sn);
    yuma_params(sn);
    bt_quality_sum(m, sn);
    return 0;
}

/* ---- entities and genesis ledger rows ------------------------------------------------------ */

static const char *role_name(uint8_t r)
{
    static const char *const n[] = {"owner", "validator", "miner", "delegator", "root_staker"};
    return r < 5 ? n[r] : "agent";
}

static void agent_name(const bt_model *m, uint32_t a, char *buf, size_t len)
{
    const bt_agent *ag = &m->agents[a];
    const bt_subnet_config *c = ag->netuid ? &m->subcfg[ag->netuid - 1] : NULL;
    int64_t local = ag->netuid ? ag->entity - BT_ENT_SUBNET_BASE * ag->netuid : 0;
    if (ag->attack) {
        atk_agent_name(m, a, buf, len);
        return;
    }
    if (c && c->snapshot && local >= BT_ENT_SNAPSHOT) {
        snprintf(buf, len, "%s", c->snapshot->neurons[local - BT_ENT_SNAPSHOT].hotkey);
        return;
    }
    switch (ag->role) {
    case BT_VALIDATOR:
        snprintf(buf, len, "validator-%lld", (long long)(ag->entity - BT_ENT_VALIDATOR));
        break;
    case BT_ROOT:
        snprintf(buf, len, "root-%lld", (long long)(ag->entity - BT_ENT_ROOT));
        break;
    case BT_OWNER:
        snprintf(buf, len, "owner-%u", ag->netuid);
        break;
    case BT_MINER:
        snprintf(buf, len, "miner-%u-%lld", ag->netuid, (long long)(local - BT_ENT_MINER));
        break;
    default:
        snprintf(buf, len, "delegator-%u-%lld", ag->netuid, (long long)(local - BT_ENT_DELEGATOR));
        break;
    }
}

static int declare(bt_model *m)
{
    const recorder *r = m->rec;
    if (r->vt->entity(r->ctx, 0, "network", "network", "network", 0) != 0)
        return -1;
    for (uint32_t i = 0; i < m->nsub; i++) {
        char name[32];
        snprintf(name, sizeof name, "subnet-%u", m->sub[i].netuid);
        if (r->vt->entity(r->ctx, m->sub[i].entity, "subnet", "subnet", name, m->sub[i].netuid))
            return -1;
    }
    for (uint32_t a = 0; a < m->nagents; a++) {
        char name[160];
        agent_name(m, a, name, sizeof name);
        if (r->vt->entity(r->ctx, m->agents[a].entity, "agent", role_name(m->agents[a].role), name,
                          m->agents[a].netuid) != 0)
            return -1;
    }
    return atk_declare(m);
}

/* One ledger row per genesis balance (aggregated per agent and account kind). */
static int genesis_rows(bt_model *m)
{
    uint64_t g = m->genesis;
    for (uint32_t a = 0; a < m->nagents; a++) {
        uint64_t t = bt_balance(&m->tao, m->agents[a].tao_acct);
        if (t && bt_ledger_row(m, g, "mint", 0, m->agents[a].entity, t, "genesis_tao") != 0)
            return -1;
    }
    for (uint32_t i = 0; i < m->nrootpos; i++) {
        uint64_t t = bt_balance(&m->tao, m->rootpos[i].acct);
        if (bt_ledger_row(m, g, "mint", 0, m->agents[m->rootpos[i].agent].entity, t,
                          "genesis_root_stake") != 0)
            return -1;
    }
    if (m->outside && bt_ledger_row(m, g, "mint", 0, 0, m->outside, "genesis_outside_tao") != 0)
        return -1;
    for (uint32_t s = 0; s < m->nsub; s++) {
        bt_subnet *sn = &m->sub[s];
        if (bt_ledger_row(m, g, "mint", 0, sn->entity, sn->cfg.pool_tao, "genesis_pool_tao") ||
            bt_ledger_row(m, g, "mint", 0, sn->entity, sn->cfg.pool_alpha, "genesis_pool_alpha"))
            return -1;
        for (uint32_t p = 0; p < sn->npos; p++) {
            uint64_t v = bt_balance(&sn->alpha, sn->pos[p].acct);
            if (v && bt_ledger_row(m, g, "mint", sn->entity, m->agents[sn->pos[p].agent].entity, v,
                                   "genesis_alpha") != 0)
                return -1;
        }
    }
    return 0;
}

/* ---- the block step ------------------------------------------------------------------------ */

/* The ledgers receive what the coinbase minted for subnet i this block. */
static int settle_flow(bt_model *m, uint32_t i, uint64_t block)
{
    bt_subnet *sn = &m->sub[i];
    tsr_subnet *cs = &m->cs[i];
    const tsr_subnet_flow *f = &m->flow[i];
    tsr_ledger *l = &sn->alpha;
    bt_emission_totals *em = &sn->st.em;
    int bad = tsr_ledger_mint(&m->tao, sn->t_reserve, f->tao_injected) != TSR_OK ||
              tsr_ledger_mint(l, sn->a_reserve, f->alpha_injected) != TSR_OK ||
              tsr_ledger_mint(l, sn->a_owner, f->owner_cut) != TSR_OK ||
              tsr_ledger_mint(l, sn->a_server, f->server) != TSR_OK ||
              tsr_ledger_mint(l, sn->a_validator, f->validator) != TSR_OK ||
              tsr_ledger_mint(l, sn->a_unowned, f->alpha_dust) != TSR_OK;
    if (f->root_alpha_recycled) /* minted into SubnetAlphaOut, then recycled out of it */
        bad |= tsr_ledger_mint(l, sn->a_unowned, f->root_alpha) != TSR_OK ||
               tsr_ledger_burn(l, sn->a_unowned, f->root_alpha) != TSR_OK;
    else
        bad |= tsr_ledger_mint(l, sn->a_root, f->root_alpha) != TSR_OK;
    if (bad)
        return bt_fail(m, "block %llu: subnet %u: a ledger refused the coinbase",
                       (unsigned long long)block, sn->netuid);
    em->minted += f->alpha_minted;
    em->owner_cut += f->owner_cut;
    em->server += f->server;
    em->validator += f->validator;
    em->dust += f->alpha_dust;
    if (f->root_alpha_recycled)
        em->root_recycled += f->root_alpha;
    else
        em->root += f->root_alpha;
    uint64_t ae = tsr_u96f32_to_u64(f->terms.alpha_out);
    if (ae < sn->st.last_alpha_emission) {
        sn->st.alpha_halvings++;
        if (bt_series_i(m, block, "alpha_halving", sn->entity, (int64_t)ae) != 0)
            return bt_fail(m, "recording a halving failed");
    }
    sn->st.last_alpha_emission = ae;
    if (f->excess_tao == 0) {
        tsr_pool_set_price(cs);
        return 0;
    }
    /* The buy prices its swap from the reserves, not from cs->price, and sets the price
    ** itself once it has changed them: pricing before it would be overwritten unread. */
    return bt_protocol_buy(m, sn, cs, f->excess_tao, f->tao_injected, f->alpha_injected);
}

static int on_block(sim *s, const eq_event *ev, void *ctx)
{
    bt_model *m = ctx;
    uint64_t b = ev->tick, before = m->chain.total_issuance;
    tsr_block_report rep;
    m->chain.block = b;
    if (tsr_coinbase_begin_block(&m->chain, m->cs, m->nsub, m->flow, &rep) != TSR_OK)
        return bt_fail(m, "block %llu: the coinbase refused its state", (unsigned long long)b);
    m->tao_recycled += rep.tao_recycled;
    for (uint32_t i = 0; i < m->nsub; i++)
        if (m->flow[i].emitting && settle_flow(m, i, b) != 0)
            return -1;
    if (rep.block_emission < m->last_emission) {
        m->halvings++;
        if (bt_series_i(m, b, "halving", 0, (int64_t)rep.block_emission) != 0 ||
            bt_series_i(m, b, "halving_issuance", 0, (int64_t)before) != 0)
            return bt_fail(m, "recording a halving failed");
    }
    m->last_emission = rep.block_emission;
    for (uint32_t i = 0; i < m->nsub; i++)
        if (m->flow[i].epoch == TSR_EPOCH_RUN &&
            (bt_epoch(m, &m->sub[i], &m->cs[i], &m->flow[i].drained, b) != 0 ||
             atk_epoch(m, &m->sub[i], b) != 0))
            return -1;
    if (tsr_coinbase_end_block(&m->chain, m->cs, m->flow, m->nsub) != TSR_OK)
        return bt_fail(m, "block %llu: the coinbase refused to end the block",
                       (unsigned long long)b);
    if (bt_check(m, b, 0) != 0)
        return -1;
    if (b < m->genesis + m->cfg.blocks)
        return sim_at(s, b + 1, BT_PH_BLOCK, BT_EV_BLOCK, 0, 0, NULL);
    return 0;
}

/* ---- agents' events ------------------------------------------------------------------------ */

static bt_subnet *home(bt_model *m, uint64_t netuid)
{
    return netuid >= 1 && netuid <= m->nsub ? &m->sub[netuid - 1] : NULL;
}

static int32_t uid_of(const bt_subnet *sn, int32_t hotkey)
{
    if (hotkey < 0 || sn->member_of[hotkey] == BT_NONE)
        return BT_NONE;
    return sn->members[sn->member_of[hotkey]].uid;
}

void bt_quality_sum(bt_model *m, bt_subnet *sn)
{
    sn->qsum = 0.0;
    for (uint32_t i = 0; i < sn->n; i++) {
        const bt_agent *o = &m->agents[sn->uid_agent[i]];
        if (o->role == BT_MINER && o->serving)
            sn->qsum += o->quality;
    }
}

/* What validators query: the quality of serving miners at each uid; -1 (no answer) for uids
** that do not serve (validators, the owner, miners who stopped). From the compact copy m->answer:
** the agent records themselves are mostly out of cache by a weights event, and reading 256 of
** them was 3% of the era8 benchmark's model. */
static void quality_vector(const bt_model *m, const bt_subnet *sn, double *q)
{
    const double *ans = m->answer;
    const uint32_t *ua = sn->uid_agent;
    for (uint32_t i = 0, n = sn->n; i < n; i++)
        q[i] = ans[ua[i]];
}

static int weights_allowed(const bt_model *m, const bt_subnet *sn, uint32_t uid, uint64_t b)
{
    const bt_neuron *nr = &sn->neurons[uid];
    if (nr->last_set && b - nr->last_set < sn->cfg.weights_rate_limit)
        return 0;
    int32_t ou = uid_of(sn, m->agents[sn->owner_agent].hotkey);
    if (!nr->permit && (int32_t)uid != ou)
        return 0; /* non-self weights need a validator permit (spec §2.6) */
    const bt_member *k = &sn->members[nr->member];
    tsr_u96f32 root = tsr_u96f32_sat_mul(tsr_u96f32_from_u64(m->hotkeys[k->hotkey].root_stake),
                                         tsr_u64_fraction(m->chain.tao_weight));
    uint64_t total = k->alpha + tsr_u96f32_to_u64(root);
    return total >= sn->cfg.stake_threshold || (int32_t)uid == ou;
}

/* The event number of an observing validator's weights event at block b, on the stream of
** (RNG_PURPOSE_QUALITY, the agent). Nothing draws from it after the
** observation, so draws made ahead (bt_ahead.h) leave no stream position behind to differ. */
static uint64_t weights_event(const bt_subnet *sn, uint64_t b)
{
    return b * 1024u + sn->netuid;
}

/* A chain of weights events (one pending at a time) has a slot in m->ahead: the global
** validators' chains (agent a < nvalidators, one per subnet); others get an index past the
** slots, which bt_ahead refuses (their events draw for themselves). */
static uint32_t ahead_slot(const bt_model *m, uint32_t a, const bt_subnet *sn)
{
    return a < m->nvalidators ? a * m->nsub + (sn->netuid - 1u) : UINT32_MAX;
}

static int on_weights(sim *s, const eq_event *ev, void *ctx)
{
    bt_model *m = ctx;
    uint32_t a = (uint32_t)ev->target;
    bt_subnet *sn = home(m, ev->data);
    uint64_t b = ev->tick;
    if (!sn || a >= m->nagents)
        return bt_fail(m, "bad weights event");
    bt_agent *ag = &m->agents[a];
    bt_ahead_prefetch(m->ahead, ahead_slot(m, a, sn)); /* while the rest is looked up */
    int32_t uid = uid_of(sn, ag->hotkey);
    if (uid == BT_NONE) {
        if ((!ag->attack || atk_may_register(m, a, b)) && bt_register(m, sn, a, b) < 0)
            return -1; /* pruned: registers again when it can pay */
    } else if (weights_allowed(m, sn, (uint32_t)uid, b)) {
        uint32_t n = sn->n, cnt;
        if (ag->strategy == BT_LAZY) {
            for (uint32_t j = 0; j < n; j++)
                m->u16buf[j] = sn->neurons[j].consensus;
            cnt = bt_validator_copy(m->u16buf, n, (uint32_t)uid, m->wbuf);
        } else {
            double *q = m->obs + sn->cfg.max_uids;
            quality_vector(m, sn, q);
            bt_rng(m, RNG_PURPOSE_QUALITY, ag->entity, weights_event(sn, b));
            bt_drawn pre = {NULL, 0};
            rng_key k = key_of(m, RNG_PURPOSE_QUALITY, ag->entity);
            pre.v = bt_ahead_take(m->ahead, ahead_slot(m, a, sn), &k, weights_event(sn, b),
                                  ag->noise, &pre.n);
            cnt = bt_validator_observe(q, n, (uint32_t)uid, ag->noise, &m->zig, m->rng, &pre,
                                       m->obs, m->wbuf);
        }
        if (ag->attack && atk_weights(m, sn, a, (uint32_t)uid, b, &cnt) != 0)
            return -1; /* an attacker rewrites (or replaces) what it observed */
        uint32_t need = sn->cfg.min_allowed_weights < n ? sn->cfg.min_allowed_weights : n;
        /* Observed and copied rows ascend by construction; an attacker's may not. */
        if (cnt > 0 && cnt >= need &&
            bt_set_weights(m, sn, (uint32_t)uid, m->wbuf, cnt, b, !ag->attack) != 0)
            return -1;
    }
    if (b + sn->cfg.tempo > m->genesis + m->cfg.blocks)
        return 0;
    if (ag->strategy != BT_LAZY) { /* the next event's draws, made meanwhile on the helper */
        rng_key k = key_of(m, RNG_PURPOSE_QUALITY, ag->entity);
        (void)bt_ahead_post(m->ahead, ahead_slot(m, a, sn), &k,
                            weights_event(sn, b + sn->cfg.tempo), ag->noise, sn->cfg.max_uids);
    }
    return sim_at(s, b + sn->cfg.tempo, BT_PH_AGENT, BT_EV_WEIGHTS, a, ev->data, NULL);
}

static int schedule_check(bt_model *m, uint32_t a, uint64_t from)
{
    uint64_t every = m->cfg.miners.check_every;
    bt_rng(m, RNG_PURPOSE_TIMING, m->agents[a].entity, from);
    uint64_t at = from + 1 + gsl_rng_uniform_int(m->rng, every < 0xFFFFFFFFu ? every : 0xFFFFFFFFu);
    if (at > m->genesis + m->cfg.blocks)
        return 0;
    return sim_at(m->s, at, BT_PH_AGENT, BT_EV_CHECK, a, m->agents[a].netuid, NULL);
}

static int on_check(sim *s, const eq_event *ev, void *ctx)
{
    bt_model *m = ctx;
    uint32_t a = (uint32_t)ev->target;
    bt_agent *ag = &m->agents[a];
    bt_subnet *sn = home(m, ev->data);
    uint64_t b = ev->tick;
    if (uid_of(sn, ag->hotkey) != BT_NONE)
        return 0; /* registered: no more checks until it is pruned */
    /* netuid ev->data, as home() took it: reading sn->netuid first was a cache miss that the
    ** registration test above waited for (half of this function's samples). */
    tsr_subnet *cs = &m->cs[ev->data - 1];
    double qsum = sn->qsum;
    double cut = cs->owner_cut_enabled ? (double)m->chain.subnet_owner_cut / 65535.0 : 0.0;
    bt_miner_params mp = miner_params(m);
    bt_miner_view v = {ag->quality,
                       qsum,
                       (double)sn->st.last_alpha_emission * 0.5 * (1.0 - cut) *
                           (double)blocks_per_day(m),
                       price_of(cs),
                       cs->burn.burn,
                       bt_balance(&m->tao, ag->tao_acct)};
    if (bt_miner_should_register(&mp, &v)) {
        int rc = bt_register(m, sn, a, b);
        if (rc < 0)
            return -1;
        if (rc == 0) {
            ag->serving = true;
            bt_agent_sync(m, a);
            ag->bad_days = 0;
            m->earned[a] = 0;
            return 0;
        }
    }
    (void)s;
    return schedule_check(m, a, b);
}

int bt_candidate(bt_model *m, uint32_t a, uint64_t block)
{
    bt_agent *ag = &m->agents[a];
    if (ag->role == BT_VALIDATOR || ag->attack)
        return 0; /* re-registers at its next weights event, or by its attack's tick */
    if (ag->role != BT_MINER)
        return 0;
    ag->serving = true; /* a fresh candidate, judged by the registration rule again */
    bt_agent_sync(m, a);
    ag->bad_days = 0;
    m->earned[a] = 0;
    return schedule_check(m, a, block);
}

static int sell_position(bt_model *m, bt_subnet *sn, uint32_t a, double fraction)
{
    int32_t k = sn->member_of[m->agents[a].hotkey];
    if (k == BT_NONE || sn->members[k].own_pos == BT_NONE || !(fraction > 0.0))
        return 0;
    uint32_t p = (uint32_t)sn->members[k].own_pos;
    uint64_t amt = bt_fraction_of(bt_balance(&sn->alpha, sn->pos[p].acct), fraction), tao = 0;
    if (amt == 0)
        return 0;
    int rc = bt_sell(m, sn, p, amt, &tao);
    if (rc < 0)
        return -1;
    if (rc == 0) {
        sn->st.sold_alpha += amt;
        if (bt_ledger_row(m, sim_now(m->s), "swap", sn->entity, m->agents[a].entity, tao,
                          "sell_alpha") != 0)
            return bt_fail(m, "recording a sale failed");
    }
    return 0;
}

static int on_day(sim *s, const eq_event *ev, void *ctx)
{
    bt_model *m = ctx;
    bt_subnet *sn = home(m, ev->data);
    uint64_t b = ev->tick;
    bt_miner_params mp = miner_params(m);
    double price = price_of(&m->cs[sn->netuid - 1]);
    for (uint32_t i = 0; i < sn->nminers; i++) {
        uint32_t a = sn->miners[i];
        bt_agent *ag = &m->agents[a];
        if (uid_of(sn, ag->hotkey) == BT_NONE)
            continue;
        if (ag->serving) {
            sn->st.miner_costs += m->cfg.miners.cost;
            if (!bt_miner_day(&mp, m->earned[a], price, &ag->bad_days)) {
                ag->serving = false; /* stops working; pruned in time, then a candidate */
                bt_agent_sync(m, a);
            }
        }
        m->earned[a] = 0;
        if (sell_position(m, sn, a, m->cfg.miners.sell_fraction) != 0)
            return -1;
    }
    if (sell_position(m, sn, sn->owner_agent, m->cfg.owners.sell_fraction) != 0)
        return -1;
    bt_quality_sum(m, sn); /* resynchronised daily, after serving changed */
    uint64_t next = b + blocks_per_day(m);
    if (next <= m->genesis + m->cfg.blocks)
        return sim_at(s, next, BT_PH_AGENT, BT_EV_DAY, ev->target, ev->data, NULL);
    return 0;
}

static int on_decide(sim *s, const eq_event *ev, void *ctx)
{
    bt_model *m = ctx;
    bt_subnet *sn = home(m, ev->data);
    uint64_t b = ev->tick;
    uint32_t nv = 0;
    double *yields = m->obs;
    uint32_t *cand = m->candbuf; /* member indices of the candidates */
    for (uint32_t k = 0; k < sn->nmembers && nv < sn->cfg.max_uids; k++) {
        const bt_member *mb = &sn->members[k];
        if (mb->uid == BT_NONE || m->agents[m->hotkeys[mb->hotkey].owner].role != BT_VALIDATOR)
            continue;
        yields[nv] = mb->yield_acc - mb->yield_mark;
        cand[nv++] = k;
    }
    for (uint32_t i = 0; i < sn->ndelegators && nv > 0; i++) {
        uint32_t d = sn->delegators[i];
        bt_agent *ag = &m->agents[d];
        if (ag->pending_move || ag->position == BT_NONE)
            continue;
        int32_t cur = -1;
        for (uint32_t j = 0; j < nv; j++)
            if (cand[j] == sn->pos[ag->position].member)
                cur = (int32_t)j;
        bt_rng(m, RNG_PURPOSE_DECISION, ag->entity, b);
        int32_t c = bt_delegator_choose(yields, nv, cur, m->cfg.delegators.switch_threshold,
                                        m->cfg.delegators.noise, m->rng);
        if (c < 0 || c == cur)
            continue;
        uint32_t dest = cand[c];
        int64_t dest_entity = m->agents[m->hotkeys[sn->members[dest].hotkey].owner].entity;
        if (b + m->cfg.delegators.move_delay > m->genesis + m->cfg.blocks)
            continue; /* the move would land after the run */
        ag->pending_move = true;
        if (sim_at(s, b + m->cfg.delegators.move_delay, BT_PH_AGENT, BT_EV_MOVE, d, dest, NULL) ||
            bt_series_i(m, b, "move_decided", ag->entity, dest_entity) != 0)
            return bt_fail(m, "scheduling a stake move failed");
    }
    for (uint32_t k = 0; k < sn->nmembers; k++)
        sn->members[k].yield_mark = sn->members[k].yield_acc;
    uint64_t next = b + m->cfg.delegators.decide_every;
    if (next <= m->genesis + m->cfg.blocks)
        return sim_at(s, next, BT_PH_AGENT, BT_EV_DECIDE, ev->target, ev->data, NULL);
    return 0;
}

static int on_move(sim *s, const eq_event *ev, void *ctx)
{
    bt_model *m = ctx;
    uint32_t d = (uint32_t)ev->target;
    bt_agent *ag = &m->agents[d];
    bt_subnet *sn = home(m, ag->netuid);
    uint64_t b = ev->tick;
    (void)s;
    ag->pending_move = false;
    uint32_t from = (uint32_t)ag->position;
    int32_t to = bt_position_get(m, sn, d, (uint32_t)ev->data);
    if (to == BT_NONE)
        return bt_fail(m, "out of memory");
    uint64_t amt = bt_balance(&sn->alpha, sn->pos[from].acct);
    if ((uint32_t)to == from)
        return 0;
    if (bt_unstake_from(m, sn, from, sn->a_epoch, amt) != 0 ||
        bt_stake_to(m, sn, sn->a_epoch, (uint32_t)to, amt) != 0)
        return -1;
    ag->position = to;
    int64_t src = m->agents[m->hotkeys[sn->members[sn->pos[from].member].hotkey].owner].entity;
    int64_t dst = m->agents[m->hotkeys[sn->members[ev->data].hotkey].owner].entity;
    if (bt_ledger_row(m, b, "stake_move", src, dst, amt, "delegator") != 0 ||
        bt_series_i(m, b, "moved", ag->entity, dst) != 0)
        return bt_fail(m, "recording a stake move failed");
    return 0;
}

static int on_sample(sim *s, const eq_event *ev, void *ctx)
{
    bt_model *m = ctx;
    uint64_t b = ev->tick, end = m->genesis + m->cfg.blocks;
    if (bt_check(m, b, 1) != 0 || bt_sample(m, b) != 0 || atk_sample(m, b) != 0)
        return -1;
    if (b >= end)
        return 0;
    uint64_t next = b + m->cfg.record_every;
    return sim_at(s, next < end ? next : end, BT_PH_SAMPLE, BT_EV_SAMPLE, 0, 0, NULL);
}

/* ---- lifecycle ------------------------------------------------------------------------------ */

static int schedule_first(bt_model *m, sim *s)
{
    uint64_t g = m->genesis, end = g + m->cfg.blocks;
    if (sim_on(s, BT_EV_BLOCK, on_block, m) || sim_on(s, BT_EV_SAMPLE, on_sample, m) ||
        sim_on(s, BT_EV_WEIGHTS, on_weights, m) || sim_on(s, BT_EV_CHECK, on_check, m) ||
        sim_on(s, BT_EV_DAY, on_day, m) || sim_on(s, BT_EV_DECIDE, on_decide, m) ||
        sim_on(s, BT_EV_MOVE, on_move, m) || sim_batch_phase(s, BT_PH_AGENT, NULL, NULL))
        return bt_fail(m, "cannot register the model's handlers");
    int bad = sim_at(s, g, BT_PH_SAMPLE, BT_EV_SAMPLE, 0, 0, NULL) ||
              sim_at(s, g + 1, BT_PH_BLOCK, BT_EV_BLOCK, 0, 0, NULL);
    uint32_t after = m->nagents; /* subnet-level events sort after every agent */
    for (uint32_t i = 0; i < m->nsub && !bad; i++) {
        bt_subnet *sn = &m->sub[i];
        for (uint32_t v = 0; v < sn->nvalidators && !bad; v++) {
            const bt_agent *a = &m->agents[sn->validators[v]];
            bt_rng(m, RNG_PURPOSE_TIMING, a->entity, sn->netuid);
            uint64_t at = g + 1 + gsl_rng_uniform_int(m->rng, sn->cfg.tempo);
            bad = at <= end &&
                  sim_at(s, at, BT_PH_AGENT, BT_EV_WEIGHTS, sn->validators[v], sn->netuid, NULL);
        }
        for (uint32_t k = 0; k < sn->nminers && !bad; k++)
            if (uid_of(sn, m->agents[sn->miners[k]].hotkey) == BT_NONE)
                bad = schedule_check(m, sn->miners[k], g) != 0;
        uint64_t day = g + blocks_per_day(m), dec = g + m->cfg.delegators.decide_every;
        bad = bad ||
              (day <= end && sim_at(s, day, BT_PH_AGENT, BT_EV_DAY, after + i, sn->netuid, NULL));
        bad = bad ||
              (dec <= end && sn->ndelegators &&
               sim_at(s, dec, BT_PH_AGENT, BT_EV_DECIDE, after + m->nsub + i, sn->netuid, NULL));
    }
    if (bad)
        return bt_fail(m, "cannot schedule the first events");
    return atk_schedule(m, s);
}

static int check_config(const bt_config *c, char *err, size_t errlen)
{
    const char *why = NULL;
    if (c->block_seconds == 0 || c->record_every == 0 || c->blocks == 0)
        why = "block_seconds, record_every and blocks must be positive";
    else if (c->nsubnets == 0 || c->nsubnets > 128 || !c->subnets)
        why = "between 1 and 128 subnets are needed";
    else if (c->chain.total_supply == 0 || c->chain.block_emission == 0)
        why = "the total supply and the block emission must be positive";
    else if (c->miners.check_every == 0 || c->delegators.decide_every == 0)
        why = "miners.check_every and delegators.decide_every must be positive";
    for (uint32_t i = 0; !why && i < c->nsubnets; i++) {
        const bt_subnet_config *s = &c->subnets[i];
        if (s->tempo == 0 || s->max_uids == 0 || s->pool_tao == 0 || s->pool_alpha == 0)
            why = "a subnet needs a tempo, uids and a pool";
        else if (s->snapshot && (s->snapshot->n == 0 || s->snapshot->n > s->max_uids))
            why = "a snapshot must hold between 1 and max_uids uids";
    }
    if (why)
        snprintf(err, errlen, "bittensor model: %s", why);
    return why ? -1 : atk_check_config(c, err, errlen);
}

/* A snapshot's TotalIssuance beyond the TAO the model holds is the rest of the network's: one
** account at genesis, so the halvings come at the chain's blocks. A TotalIssuance below that TAO
** is bad input, found here and not by the scenario's loader: the TAO the model holds depends on
** the genesis draws (root.stake_spread), which the loader knows only by their means. */
static int outside_tao(bt_model *m)
{
    uint64_t target = 0;
    uint32_t from = 0;
    for (uint32_t i = 0; i < m->nsub; i++) {
        const bt_snapshot_init *s = m->subcfg[i].snapshot;
        if (s && s->has_issuance && s->total_issuance > target)
            target = s->total_issuance, from = i + 1;
    }
    if (target == 0)
        return 0;
    if (target < m->tao.genesis)
        return bt_bad_input(m,
                            "subnet %u: the snapshot's total_issuance (%llu units) is below the "
                            "TAO the model holds at genesis (%llu units: pools, root stakes and "
                            "the agents' free TAO, as drawn)",
                            from, (unsigned long long)target, (unsigned long long)m->tao.genesis);
    size_t acct;
    m->outside = target - m->tao.genesis;
    if (tsr_ledger_open(&m->tao, m->outside, &acct) != TSR_OK)
        return bt_fail(m, "out of memory");
    return 0;
}

/* The genesis TAO is partly drawn (root.stake with root.stake_spread), so a scenario whose means
** are valid can still draw past the supply: bad input, reported with the parts and their keys. */
static int genesis_tao_too_large(bt_model *m)
{
    uint64_t pools = 0;
    for (uint32_t i = 0; i < m->nsub; i++)
        pools += m->sub[i].cfg.pool_tao;
    uint64_t root = m->chain.root_tao, rest = m->tao.genesis - pools - root - m->outside;
    return bt_bad_input(m,
                        "the genesis TAO drawn (%llu units: pools %llu from pool_tao, root stakes "
                        "%llu from validators.root_stake and the root.stake draws with "
                        "root.stake_spread, free TAO %llu from validators.tao, miners.tao and "
                        "owners.tao, outside %llu) is not below chain.total_supply (%llu units)",
                        (unsigned long long)m->tao.genesis, (unsigned long long)pools,
                        (unsigned long long)root, (unsigned long long)rest,
                        (unsigned long long)m->outside,
                        (unsigned long long)m->cfg.chain.total_supply);
}

static int build(bt_model *m, sim *s)
{
    const bt_config *c = &m->cfg;
    if (tsr_ledger_init_alloc(&m->tao, NULL, NULL, 256) != TSR_OK ||
        tsr_ledger_open(&m->tao, 0, &m->t_burn) != TSR_OK || !(m->rng = rng_event_new()))
        return bt_fail(m, "out of memory");
    rng_zig_init(&m->zig);
    tsr_chain_default(&m->chain);
    m->chain.block = m->genesis;
    m->mark_block = m->genesis;
    m->chain.issuance.total_supply = c->chain.total_supply;
    m->chain.issuance.max_issuance = c->chain.total_supply;
    m->chain.issuance.default_emission = c->chain.block_emission;
    m->chain.tao_weight = c->chain.tao_weight;
    m->chain.subnet_owner_cut = c->chain.subnet_owner_cut;
    m->chain.max_epochs_per_block = c->chain.max_epochs_per_block;
    m->chain.shares = c->chain.share_variant ? TSR_SHARES_RELEASE : TSR_SHARES_MAIN;
    if (make_global_agents(m) != 0)
        return bt_fail(m, "out of memory");
    for (uint32_t i = 0; i < m->nsub; i++)
        if (make_subnet_agents(m, &m->sub[i]) != 0)
            return bt_fail(m, "out of memory");
    if (atk_make_agents(m) != 0)
        return -1;
    for (uint32_t i = 0; i < m->nsub; i++)
        if (genesis_subnet(m, &m->sub[i]) != 0)
            return -1;
    if (genesis_root(m) != 0)
        return bt_fail(m, "out of memory");
    if (outside_tao(m) != 0)
        return -1;
    m->chain.total_issuance = m->tao.genesis;
    if (m->tao.genesis >= c->chain.total_supply)
        return genesis_tao_too_large(m);
    for (uint32_t i = 0; i < m->nsub; i++)
        if (chain_subnet(m, i) != 0)
            return -1;
    tsr_block_emission_for_issuance(&m->chain.issuance, m->chain.total_issuance, &m->last_emission);
    if (declare(m) != 0 || genesis_rows(m) != 0)
        return bt_fail(m, "recording the genesis failed");
    if (bt_check(m, m->genesis, 1) != 0)
        return -1;
    return schedule_first(m, s);
}

static int alloc_world(bt_model *m)
{
    uint32_t maxu = 1;
    m->subcfg = calloc(m->nsub, sizeof *m->subcfg);
    m->sub = calloc(m->nsub, sizeof *m->sub);
    m->cs = calloc(m->nsub, sizeof *m->cs);
    m->flow = calloc(m->nsub, sizeof *m->flow);
    if (!m->subcfg || !m->sub || !m->cs || !m->flow)
        return -1;
    for (uint32_t i = 0; i < m->nsub; i++) {
        m->subcfg[i] = m->cfg.subnets[i];
        m->sub[i].netuid = (uint16_t)(i + 1);
        m->sub[i].entity = i + 1;
        m->sub[i].cfg = m->subcfg[i];
        if (m->subcfg[i].max_uids > maxu)
            maxu = m->subcfg[i].max_uids;
        if (m->subcfg[i].snapshot && m->subcfg[i].snapshot->block > m->genesis)
            m->genesis = m->subcfg[i].snapshot->block;
    }
    m->cfg.subnets = m->subcfg;
    m->obs = calloc(2 * (size_t)maxu, sizeof *m->obs);
    m->wbuf = calloc(maxu, sizeof *m->wbuf);
    m->prune_buf = calloc(maxu, sizeof *m->prune_buf);
    m->u16buf = calloc(maxu, sizeof *m->u16buf);
    m->candbuf = calloc(maxu, sizeof *m->candbuf);
    return m->obs && m->wbuf && m->prune_buf && m->u16buf && m->candbuf ? 0 : -1;
}

/* The helper for validators' draws (bt_ahead.h): without it (off, one processor, no thread) the
** weights events draw for themselves, with the same results. */
static void start_helper(bt_model *m)
{
    if (m->cfg.helper == BT_HELPER_OFF ||
        (m->cfg.helper == BT_HELPER_AUTO && bt_ahead_processors() < 2))
        return;
    m->ahead = bt_ahead_new(m->nvalidators * m->nsub, &m->zig);
}

int bt_model_new(const bt_config *cfg, sim *s, const recorder *rec, bt_model **out, char *err,
                 size_t errlen)
{
    *out = NULL;
    if (errlen)
        err[0] = '\0';
    if (check_config(cfg, err, errlen) != 0)
        return -1;
    bt_model *m = calloc(1, sizeof *m);
    if (!m) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    m->cfg = *cfg;
    m->nsub = cfg->nsubnets;
    m->rec = rec;
    m->s = s;
    m->err = err;
    m->errlen = errlen;
    if (alloc_world(m) != 0) {
        snprintf(err, errlen, "out of memory");
        bt_model_free(m);
        return -1;
    }
    if (build(m, s) != 0) {
        int bad = m->bad_input;
        bt_model_free(m);
        return bad ? 2 : -1;
    }
    start_helper(m);
    *out = m;
    return 0;
}

int bt_model_finish(bt_model *m, char *err, size_t errlen)
{
    m->err = err;
    m->errlen = errlen;
    if (errlen)
        err[0] = '\0';
    return bt_check(m, m->genesis + m->cfg.blocks, 1);
}

static void free_subnet(bt_subnet *sn)
{
    for (uint32_t i = 0; sn->neurons && i < sn->n; i++) {
        bt_neuron *nr = &sn->neurons[i];
        for (uint32_t k = 0; k < nr->nc; k++)
            free(nr->c[k].w);
        free(nr->c);
        free(nr->w);
        free(nr->b);
    }
    for (uint32_t k = 0; k < sn->nmembers; k++) {
        free(sn->members[k].pos);
        free(sn->members[k].live);
    }
    free(sn->neurons);
    free(sn->uid_agent);
    free(sn->wrows);
    free(sn->members);
    free(sn->member_of);
    free(sn->pos);
    free(sn->miners);
    free(sn->delegators);
    free(sn->validators);
    bt_epoch_free(sn);
    tsr_ledger_clear(&sn->alpha);
}

void bt_model_free(bt_model *m)
{
    if (!m)
        return;
    bt_ahead_free(m->ahead);
    for (uint32_t i = 0; m->sub && i < m->nsub; i++)
        free_subnet(&m->sub[i]);
    for (uint32_t h = 0; h < m->nhotkeys; h++)
        free(m->hotkeys[h].rootpos);
    tsr_ledger_clear(&m->tao);
    gsl_rng_free(m->rng);
    atk_free(m->atk);
    free(m->sub);
    free(m->cs);
    free(m->flow);
    free(m->subcfg);
    free(m->agents);
    free(m->answer);
    free(m->ws);
    free(m->earned);
    free(m->hotkeys);
    free(m->rootpos);
    free(m->obs);
    free(m->wbuf);
    free(m->prune_buf);
    free(m->u16buf);
    free(m->candbuf);
    free(m->gini_buf);
    free(m);
}

/* ---- views ---------------------------------------------------------------------------------- */

uint64_t bt_model_issuance(const bt_model *m)
{
    return m->chain.total_issuance;
}

uint64_t bt_model_block_emission(const bt_model *m)
{
    return m->last_emission;
}

uint64_t bt_model_genesis_block(const bt_model *m)
{
    return m->genesis;
}

uint32_t bt_model_halvings(const bt_model *m)
{
    return m->halvings;
}

int bt_model_emission_totals(const bt_model *m, uint32_t index, bt_emission_totals *out)
{
    if (!m || index >= m->nsub || !out)
        return -1;
    *out = m->sub[index].st.em;
    return 0;
}

struct tsr_ledger *bt_model_ledger(bt_model *m, int index)
{
    if (index == -1)
        return &m->tao;
    return index >= 0 && (uint32_t)index < m->nsub ? &m->sub[index].alpha : NULL;
}
