/*
** atk_world.c: the attack agents' life in the bittensor model (atk.h) — creation, genesis
** uids and stake, entities, scheduling, the switching ticks and the weights they submit.
**
** Genesis. The agents are created after every other agent (so no other entity or RNG stream
** moves). On the attacked subnet the cabal's validators and miners, the copier and the sybil
** operator's first validator identity (all of them when the split starts at genesis) take uids
** right after the honest validators, before the honest miners fill the subnet. Their stake is
** opened once the honest validators and the delegators hold theirs: a share s of the genesis
** validator stake H is floor(H s / (1 - s)) units (atk_share_stake), split evenly, the remainder
** to the first identity. The whale's alpha is a genesis position on a hotkey of its own that
** has no uid, so the epoch does not see it until it moves.
**
** Ticks (ATK_EV_TICK, phase 1, after every agent's event): one per attack kind every tempo of
** the attacked subnet and exactly at its start and stop blocks. A tick switches the attack on or
** off (series attack.<kind>.active at that block) and does what the switch means: sybil miners
** register (paying the burn) or stop serving; the sybil split or merge moves stake between the
** identities' own positions; the whale's decision schedules the delegators' BT_EV_MOVE
** whale_delay blocks later. Between switches a tick re-registers cabal miners (always) and
** sybil miners (while active) that were pruned; attack validators re-register from their own
** weights event, like honest ones.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atk.h"
#include "bt_agents.h"
#include "rng.h"

static const char *const kind_name[ATK_KINDS] = {"cabal", "copier", "sybil", "whale"};

static int kind_on(const bt_attacks_config *c, atk_kind k)
{
    switch (k) {
    case ATK_CABAL:
        return c->cabal.on;
    case ATK_COPIER:
        return c->copier.on;
    case ATK_SYBIL:
        return c->sybil.on;
    default:
        return c->whale.on;
    }
}

static void window_of(const bt_attacks_config *c, atk_kind k, uint64_t *start, uint64_t *stop)
{
    const uint64_t w[ATK_KINDS][2] = {{c->cabal.start, c->cabal.stop},
                                      {c->copier.start, c->copier.stop},
                                      {c->sybil.start, c->sybil.stop},
                                      {c->whale.start, c->whale.stop}};
    *start = w[k][0], *stop = w[k][1];
}

bool atk_active(const struct atk_state *st, uint64_t genesis, atk_kind k, uint64_t b)
{
    uint64_t start, stop;
    if (!st->a[k].on)
        return false;
    window_of(&st->cfg, k, &start, &stop);
    return b >= genesis + start && (stop == 0 || b < genesis + stop);
}

/* ---- configuration -------------------------------------------------------------------------- */

int atk_check_config(const bt_config *c, char *err, size_t errlen)
{
    const bt_attacks_config *a = &c->attacks;
    const char *why = NULL;
    int any = 0;
    for (int k = 0; k < ATK_KINDS; k++) {
        uint64_t start, stop;
        if (!kind_on(a, (atk_kind)k))
            continue;
        any = 1;
        window_of(a, (atk_kind)k, &start, &stop);
        if (stop != 0 && stop <= start)
            why = "an attack's stop must come after its start (or be 0)";
    }
    if (!any)
        return 0;
    if (a->netuid < 1 || a->netuid > c->nsubnets)
        why = "attacks.netuid must name one of the subnets";
    else if ((a->cabal.on && !(a->cabal.stake_share >= 0.0 && a->cabal.stake_share < 1.0)) ||
             (a->copier.on && !(a->copier.stake_share >= 0.0 && a->copier.stake_share < 1.0)) ||
             (a->sybil.on && !(a->sybil.stake_share >= 0.0 && a->sybil.stake_share < 1.0)))
        why = "an attack's stake share must be in [0, 1)";
    else if ((a->cabal.on && a->cabal.validators == 0) || (a->sybil.on && a->sybil.identities == 0))
        why = "a cabal needs a validator and a sybil operator an identity";
    else if (a->cabal.on && !(a->cabal.own_weight >= 0.0 && a->cabal.own_weight <= 1.0))
        why = "attacks.cabal_own_weight must be in [0, 1]";
    if (why)
        snprintf(err, errlen, "bittensor model: %s", why);
    return why ? -1 : 0;
}

/* ---- agents -----------------------------------------------------------------------------------
 */

static int add_agent(bt_model *m, atk_kind k, bt_role role, uint64_t tao, double quality)
{
    atk_attack *at = &m->atk->a[k];
    int32_t a = bt_agent_new(m, role, m->atk->cfg.netuid, at->entity + 1 + at->n, tao);
    if (a == BT_NONE || bt_hotkey_new(m, (uint32_t)a, m->cfg.validators.take_min) == BT_NONE)
        return -1;
    bt_agent *ag = &m->agents[a];
    ag->attack = (uint16_t)(k + 1);
    ag->noise = m->cfg.validators.noise;
    ag->quality = quality;
    ag->serving = !(k == ATK_SYBIL && role == BT_MINER); /* sybil miners serve from start */
    bt_agent_sync(m, (uint32_t)a);
    at->n++;
    at->genesis_tao += tao;
    return 0;
}

static int make_kind(bt_model *m, atk_kind k)
{
    const bt_attacks_config *c = &m->atk->cfg;
    const bt_config *g = &m->cfg;
    int bad = 0;
    switch (k) {
    case ATK_CABAL:
        for (uint32_t i = 0; i < c->cabal.validators && !bad; i++)
            bad = add_agent(m, k, BT_VALIDATOR, g->validators.tao, 0.0);
        for (uint32_t i = 0; i < c->cabal.miners && !bad; i++)
            bad = add_agent(m, k, BT_MINER, g->miners.tao, c->cabal.quality);
        break;
    case ATK_COPIER:
        bad = add_agent(m, k, BT_VALIDATOR, g->validators.tao, 0.0);
        break;
    case ATK_SYBIL:
        for (uint32_t i = 0; i < c->sybil.identities && !bad; i++)
            bad = add_agent(m, k, c->sybil.mode == BT_SYBIL_VALIDATORS ? BT_VALIDATOR : BT_MINER,
                            c->sybil.tao, c->sybil.quality);
        break;
    default:
        bad = add_agent(m, k, BT_DELEGATOR, 0, 0.0);
        break;
    }
    return bad;
}

int atk_make_agents(bt_model *m)
{
    const bt_attacks_config *c = &m->cfg.attacks;
    int any = 0;
    for (int k = 0; k < ATK_KINDS; k++)
        any |= kind_on(c, (atk_kind)k);
    if (!any)
        return 0;
    struct atk_state *st = calloc(1, sizeof *st);
    if (!st)
        return bt_fail(m, "out of memory");
    m->atk = st;
    st->cfg = *c;
    st->cap = m->cfg.subnets[c->netuid - 1].max_uids;
    st->mark = calloc(st->cap, sizeof *st->mark);
    st->ratios = calloc(st->cap, sizeof *st->ratios);
    st->row = calloc(st->cap, sizeof *st->row);
    st->sybil_row = calloc(st->cap, sizeof *st->sybil_row);
    st->prev_cons = calloc(st->cap, sizeof *st->prev_cons);
    if (!st->mark || !st->ratios || !st->row || !st->sybil_row || !st->prev_cons)
        return bt_fail(m, "out of memory");
    for (int k = 0; k < ATK_KINDS; k++) {
        atk_attack *at = &st->a[k];
        at->on = kind_on(c, (atk_kind)k) != 0;
        at->entity = ATK_ENT_BASE + ATK_ENT_STRIDE * k;
        at->kappa_block = -1;
        at->kappa_window = -1;
        at->first = m->nagents;
        if (at->on && make_kind(m, (atk_kind)k) != 0)
            return bt_fail(m, "out of memory");
    }
    return 0;
}

static uint32_t agent_of(const atk_attack *at, uint32_t i)
{
    return at->first + i;
}

/* Whether attack agent i of kind k holds a uid from genesis. */
static bool genesis_uid(const struct atk_state *st, atk_kind k, uint32_t i, const bt_agent *ag)
{
    if (k == ATK_CABAL || k == ATK_COPIER)
        return true;
    if (k == ATK_SYBIL && ag->role == BT_VALIDATOR)
        return i == 0 || st->cfg.sybil.start == 0;
    return false;
}

int atk_genesis_uids(bt_model *m, bt_subnet *sn)
{
    struct atk_state *st = m->atk;
    if (!st || sn->netuid != st->cfg.netuid)
        return 0;
    for (int k = 0; k < ATK_KINDS; k++) {
        const atk_attack *at = &st->a[k];
        for (uint32_t i = 0; at->on && i < at->n; i++) {
            uint32_t a = agent_of(at, i);
            if (!genesis_uid(st, (atk_kind)k, i, &m->agents[a]))
                continue;
            int32_t mk = bt_member_get(m, sn, m->agents[a].hotkey);
            if (mk == BT_NONE)
                return bt_fail(m, "out of memory");
            if (bt_genesis_uid(m, sn, (uint32_t)mk, m->genesis, m->genesis) == BT_NONE)
                return bt_bad_input(m, "subnet %u: no free uid for the %s's agents at genesis",
                                    sn->netuid, kind_name[k]);
        }
    }
    return 0;
}

/* Opens `total` alpha split evenly over agents [first, first + n) of at (remainder to the
** first) as genesis positions on their own hotkeys. */
static int split_genesis(bt_model *m, bt_subnet *sn, const atk_attack *at, uint32_t n,
                         uint64_t total)
{
    for (uint32_t i = 0; i < n; i++) {
        uint64_t amt = total / n + (i == 0 ? total % n : 0);
        uint32_t a = agent_of(at, i);
        int32_t mk = bt_member_get(m, sn, m->agents[a].hotkey);
        if (mk == BT_NONE || (amt && bt_position_genesis(m, sn, a, (uint32_t)mk, amt) == BT_NONE))
            return bt_fail(m, "subnet %u: genesis stake of the attack agents failed", sn->netuid);
    }
    return 0;
}

/* The genesis validator stake of sn: the owner's and the validators' hotkeys, delegations
** included. */
static uint64_t validator_stake(const bt_model *m, const bt_subnet *sn)
{
    uint64_t h = 0;
    int32_t ok = sn->member_of[m->agents[sn->owner_agent].hotkey];
    if (ok != BT_NONE)
        h += sn->members[ok].alpha;
    for (uint32_t v = 0; v < sn->nvalidators; v++) {
        int32_t k = sn->member_of[m->agents[sn->validators[v]].hotkey];
        if (k != BT_NONE)
            h += sn->members[k].alpha;
    }
    return h;
}

static int whale_genesis(bt_model *m, bt_subnet *sn)
{
    struct atk_state *st = m->atk;
    const atk_attack *at = &st->a[ATK_WHALE];
    uint32_t a = agent_of(at, 0);
    if (st->cfg.whale.target >= sn->nvalidators)
        return bt_bad_input(m, "attacks.whale_target %u: subnet %u has %u genesis validators",
                            st->cfg.whale.target, sn->netuid, sn->nvalidators);
    int32_t mk = bt_member_get(m, sn, m->agents[a].hotkey);
    int32_t p =
        mk == BT_NONE ? BT_NONE : bt_position_genesis(m, sn, a, (uint32_t)mk, st->cfg.whale.stake);
    if (p == BT_NONE)
        return bt_fail(m, "subnet %u: the whale's genesis stake failed", sn->netuid);
    m->agents[a].position = p;
    st->whale_home = (uint32_t)mk;
    return 0;
}

int atk_genesis_stake(bt_model *m, bt_subnet *sn)
{
    struct atk_state *st = m->atk;
    if (!st || sn->netuid != st->cfg.netuid)
        return 0;
    const bt_attacks_config *c = &st->cfg;
    uint64_t h = validator_stake(m, sn);
    int need = (c->cabal.on && c->cabal.stake_share > 0.0) ||
               (c->copier.on && c->copier.stake_share > 0.0) ||
               (c->sybil.on && c->sybil.mode == BT_SYBIL_VALIDATORS && c->sybil.stake_share > 0.0);
    if (need && h == 0)
        return bt_bad_input(m, "subnet %u: the attack shares need validator stake at genesis",
                            sn->netuid);
    if (c->copier.on && c->copier.source == BT_COPY_VALIDATOR &&
        c->copier.target >= sn->nvalidators)
        return bt_bad_input(m, "attacks.copier_target %u: subnet %u has %u genesis validators",
                            c->copier.target, sn->netuid, sn->nvalidators);
    if (c->cabal.on && split_genesis(m, sn, &st->a[ATK_CABAL], c->cabal.validators,
                                     atk_share_stake(h, c->cabal.stake_share)) != 0)
        return -1;
    if (c->copier.on &&
        split_genesis(m, sn, &st->a[ATK_COPIER], 1, atk_share_stake(h, c->copier.stake_share)))
        return -1;
    if (c->sybil.on && c->sybil.mode == BT_SYBIL_VALIDATORS &&
        split_genesis(m, sn, &st->a[ATK_SYBIL], c->sybil.start == 0 ? c->sybil.identities : 1,
                      atk_share_stake(h, c->sybil.stake_share)) != 0)
        return -1;
    return c->whale.on ? whale_genesis(m, sn) : 0;
}

/* ---- entities ------------------------------------------------------------------------------- */

int atk_declare(bt_model *m)
{
    const struct atk_state *st = m->atk;
    for (int k = 0; st && k < ATK_KINDS; k++)
        if (st->a[k].on && m->rec->vt->entity(m->rec->ctx, st->a[k].entity, "attack", kind_name[k],
                                              kind_name[k], st->cfg.netuid) != 0)
            return -1;
    return 0;
}

void atk_agent_name(const bt_model *m, uint32_t a, char *buf, size_t len)
{
    const bt_agent *ag = &m->agents[a];
    int k = ag->attack - 1;
    const atk_attack *at = &m->atk->a[k];
    uint32_t i = a - at->first;
    if (k == ATK_CABAL && ag->role == BT_VALIDATOR)
        snprintf(buf, len, "cabal-validator-%u", i);
    else if (k == ATK_CABAL)
        snprintf(buf, len, "cabal-miner-%u", i - m->atk->cfg.cabal.validators);
    else if (k == ATK_SYBIL)
        snprintf(buf, len, "sybil-%u", i);
    else
        snprintf(buf, len, "%s", kind_name[k]);
}

/* ---- switching and upkeep ------------------------------------------------------------------- */

static bt_subnet *target_subnet(bt_model *m)
{
    return &m->sub[m->atk->cfg.netuid - 1];
}

static int32_t uid_here(const bt_subnet *sn, int32_t hotkey)
{
    int32_t k = hotkey < 0 ? BT_NONE : sn->member_of[hotkey];
    return k == BT_NONE ? BT_NONE : sn->members[k].uid;
}

/* Registers every agent of `at` with role `role` that has no uid (and serves, for miners). */
static int register_missing(bt_model *m, bt_subnet *sn, const atk_attack *at, bt_role role,
                            uint64_t b)
{
    for (uint32_t i = 0; i < at->n; i++) {
        uint32_t a = agent_of(at, i);
        const bt_agent *ag = &m->agents[a];
        if (ag->role != role || uid_here(sn, ag->hotkey) != BT_NONE ||
            (role == BT_MINER && !ag->serving))
            continue;
        if (bt_register(m, sn, a, b) < 0) /* 1 (no funds or no slot): tried again next tick */
            return -1;
    }
    return 0;
}

/* Moves `amt` of agent `from`'s own position to agent `to`'s own position on sn. */
static int move_own(bt_model *m, bt_subnet *sn, uint32_t from, uint32_t to, uint64_t amt,
                    uint64_t b, const char *reason)
{
    int32_t kf = bt_member_get(m, sn, m->agents[from].hotkey);
    int32_t kt = bt_member_get(m, sn, m->agents[to].hotkey);
    int32_t pf = kf == BT_NONE ? BT_NONE : bt_position_get(m, sn, from, (uint32_t)kf);
    int32_t pt = kt == BT_NONE ? BT_NONE : bt_position_get(m, sn, to, (uint32_t)kt);
    if (pf == BT_NONE || pt == BT_NONE)
        return bt_fail(m, "out of memory");
    if (amt == 0)
        return 0;
    if (bt_unstake_from(m, sn, (uint32_t)pf, sn->a_epoch, amt) != 0 ||
        bt_stake_to(m, sn, sn->a_epoch, (uint32_t)pt, amt) != 0)
        return -1;
    if (bt_ledger_row(m, b, "stake_move", m->agents[from].entity, m->agents[to].entity, amt,
                      reason) != 0)
        return bt_fail(m, "recording a stake move failed");
    return 0;
}

static uint64_t own_stake(bt_model *m, bt_subnet *sn, uint32_t a)
{
    int32_t k = sn->member_of[m->agents[a].hotkey];
    if (k == BT_NONE || sn->members[k].own_pos == BT_NONE)
        return 0;
    uint64_t v = 0;
    tsr_ledger_balance(&sn->alpha, sn->pos[sn->members[k].own_pos].acct, &v);
    return v;
}

/* Sybil validators. Split (at the start, and at every tick while active): the identities
** without a uid register; when a registered identity holds no stake yet (the start, or one that
** registered late after a refused burn), the operator's stake on its registered identities is
** shared again evenly: T / r each (r registered identities, the remainder to identity 0), excess
** first moved to identity 0 and then from it. Merge (at stop): every identity's own stake
** returns to identity 0. */
static int sybil_split(bt_model *m, bt_subnet *sn, uint64_t b, bool split)
{
    const atk_attack *at = &m->atk->a[ATK_SYBIL];
    uint32_t a0 = agent_of(at, 0), empty = 0, reg = 1;
    uint64_t total = own_stake(m, sn, a0);
    if (!split) {
        for (uint32_t i = 1; i < at->n; i++) {
            uint32_t a = agent_of(at, i);
            if (move_own(m, sn, a, a0, own_stake(m, sn, a), b, "sybil_merge") != 0)
                return -1;
        }
        return 0;
    }
    if (register_missing(m, sn, at, BT_VALIDATOR, b) != 0)
        return -1;
    for (uint32_t i = 1; i < at->n; i++) {
        uint32_t a = agent_of(at, i);
        if (uid_here(sn, m->agents[a].hotkey) == BT_NONE)
            continue;
        reg++, total += own_stake(m, sn, a);
        empty += own_stake(m, sn, a) == 0;
    }
    if (empty == 0)
        return 0;
    uint64_t per = total / reg;
    for (int pass = 0; pass < 2; pass++)
        for (uint32_t i = 1; i < at->n; i++) {
            uint32_t a = agent_of(at, i);
            uint64_t own = own_stake(m, sn, a);
            if (uid_here(sn, m->agents[a].hotkey) == BT_NONE)
                continue;
            int rc = pass == 0
                         ? (own > per ? move_own(m, sn, a, a0, own - per, b, "sybil_split") : 0)
                         : (own < per ? move_own(m, sn, a0, a, per - own, b, "sybil_split") : 0);
            if (rc != 0)
                return -1;
        }
    return 0;
}

/* The whale decides to move everything to `dest` (a member) whale_delay blocks from now. */
static int whale_move(bt_model *m, bt_subnet *sn, uint64_t b, uint32_t dest)
{
    const struct atk_state *st = m->atk;
    uint32_t a = agent_of(&st->a[ATK_WHALE], 0);
    uint64_t at = b + st->cfg.whale.delay;
    if (at > m->genesis + m->cfg.blocks)
        return 0; /* the move would land after the run */
    m->agents[a].pending_move = true;
    int64_t dst = m->agents[m->hotkeys[sn->members[dest].hotkey].owner].entity;
    if (sim_at(m->s, at, BT_PH_AGENT, BT_EV_MOVE, a, dest, NULL) != 0 ||
        bt_series_i(m, b, "move_decided", m->agents[a].entity, dst) != 0)
        return bt_fail(m, "scheduling the whale's stake move failed");
    return 0;
}

static int switch_on(bt_model *m, bt_subnet *sn, atk_kind k, uint64_t b)
{
    const struct atk_state *st = m->atk;
    const atk_attack *at = &st->a[k];
    if (k == ATK_SYBIL && st->cfg.sybil.mode == BT_SYBIL_MINERS) {
        for (uint32_t i = 0; i < at->n; i++) {
            m->agents[agent_of(at, i)].serving = true;
            bt_agent_sync(m, agent_of(at, i));
        }
        return register_missing(m, sn, at, BT_MINER, b);
    }
    if (k == ATK_SYBIL)
        return 0; /* validators: the split is the tick's upkeep below */
    if (k == ATK_WHALE) {
        uint32_t v = sn->validators[st->cfg.whale.target];
        int32_t dest = bt_member_get(m, sn, m->agents[v].hotkey);
        return dest == BT_NONE ? bt_fail(m, "out of memory") : whale_move(m, sn, b, (uint32_t)dest);
    }
    return 0;
}

static int switch_off(bt_model *m, bt_subnet *sn, atk_kind k, uint64_t b)
{
    const struct atk_state *st = m->atk;
    const atk_attack *at = &st->a[k];
    if (k == ATK_SYBIL && st->cfg.sybil.mode == BT_SYBIL_MINERS) {
        for (uint32_t i = 0; i < at->n; i++) {
            m->agents[agent_of(at, i)].serving = false; /* no answer: pruned in time */
            bt_agent_sync(m, agent_of(at, i));
        }
        bt_quality_sum(m, sn);
        return 0;
    }
    if (k == ATK_SYBIL)
        return sybil_split(m, sn, b, false);
    if (k == ATK_WHALE)
        return whale_move(m, sn, b, st->whale_home);
    return 0;
}

/* The next tick of kind k after b: a tempo later, or its start or stop block if sooner. */
static uint64_t next_tick(const bt_model *m, atk_kind k, uint64_t b)
{
    uint64_t start, stop, g = m->genesis;
    window_of(&m->atk->cfg, k, &start, &stop);
    uint64_t next = b + target_subnet((bt_model *)m)->cfg.tempo;
    if (g + start > b && g + start < next)
        next = g + start;
    if (stop && g + stop > b && g + stop < next)
        next = g + stop;
    return next;
}

static int on_tick(sim *s, const eq_event *ev, void *ctx)
{
    bt_model *m = ctx;
    struct atk_state *st = m->atk;
    atk_kind k = (atk_kind)ev->data;
    atk_attack *at = &st->a[k];
    bt_subnet *sn = target_subnet(m);
    uint64_t b = ev->tick;
    bool act = atk_active(st, m->genesis, k, b);
    if (act != at->active) {
        char name[48];
        at->active = act;
        snprintf(name, sizeof name, "attack.%s.active", kind_name[k]);
        if (bt_series_i(m, b, name, at->entity, act) != 0)
            return bt_fail(m, "recording an attack switch failed");
        if ((act ? switch_on(m, sn, k, b) : switch_off(m, sn, k, b)) != 0)
            return -1;
    }
    if (k == ATK_CABAL && register_missing(m, sn, at, BT_MINER, b) != 0)
        return -1;
    if (k == ATK_SYBIL && act && st->cfg.sybil.mode == BT_SYBIL_MINERS &&
        register_missing(m, sn, at, BT_MINER, b) != 0)
        return -1;
    if (k == ATK_SYBIL && act && st->cfg.sybil.mode == BT_SYBIL_VALIDATORS &&
        sybil_split(m, sn, b, true) != 0)
        return -1;
    uint64_t next = next_tick(m, k, b);
    if (next <= m->genesis + m->cfg.blocks)
        return sim_at(s, next, BT_PH_AGENT, ATK_EV_TICK, ev->target, ev->data, NULL);
    return 0;
}

int atk_schedule(bt_model *m, sim *s)
{
    struct atk_state *st = m->atk;
    if (!st)
        return 0;
    bt_subnet *sn = target_subnet(m);
    uint64_t g = m->genesis, end = g + m->cfg.blocks;
    if (sim_on(s, ATK_EV_TICK, on_tick, m) != 0)
        return bt_fail(m, "cannot register the attacks' handler");
    for (int k = 0; k < ATK_KINDS; k++) {
        const atk_attack *at = &st->a[k];
        if (!at->on)
            continue;
        for (uint32_t i = 0; i < at->n; i++) {
            uint32_t a = agent_of(at, i);
            if (m->agents[a].role != BT_VALIDATOR)
                continue;
            /* The sybil operator evaluates once for all identities: one timing stream, and
            ** the canonical order (agent index) puts identity 0 first in the block. */
            int64_t te = k == ATK_SYBIL ? at->entity : m->agents[a].entity;
            bt_rng(m, RNG_PURPOSE_TIMING, te, sn->netuid);
            uint64_t when = g + 1 + gsl_rng_uniform_int(m->rng, sn->cfg.tempo);
            if (when <= end && sim_at(s, when, BT_PH_AGENT, BT_EV_WEIGHTS, a, sn->netuid, NULL))
                return bt_fail(m, "cannot schedule the attacks' events");
        }
        uint64_t target = (uint64_t)m->nagents + 2u * (uint64_t)m->nsub + (uint64_t)k;
        if (g + 1 <= end && sim_at(s, g + 1, BT_PH_AGENT, ATK_EV_TICK, target, (uint64_t)k, NULL))
            return bt_fail(m, "cannot schedule the attacks' events");
    }
    return 0;
}

bool atk_may_register(const bt_model *m, uint32_t a, uint64_t b)
{
    const struct atk_state *st = m->atk;
    const bt_agent *ag = &m->agents[a];
    if (!st || ag->attack != ATK_SYBIL + 1)
        return true;
    /* A sybil validator identity other than the first exists only while split. */
    return a == st->a[ATK_SYBIL].first || atk_active(st, m->genesis, ATK_SYBIL, b);
}

/* ---- weights ------------------------------------------------------------------------------ */

static int cabal_row(bt_model *m, bt_subnet *sn, uint32_t uid, uint32_t *cnt)
{
    struct atk_state *st = m->atk;
    uint32_t n = sn->n < st->cap ? sn->n : st->cap;
    for (uint32_t j = 0; j < n; j++) {
        const bt_agent *o = &m->agents[m->hotkeys[sn->members[sn->neurons[j].member].hotkey].owner];
        st->mark[j] = o->attack == ATK_CABAL + 1 && o->role == BT_MINER;
    }
    *cnt = atk_cabal_row(m->wbuf, *cnt, st->mark, n, uid, st->cfg.cabal.own_weight, st->row);
    memcpy(m->wbuf, st->row, (size_t)*cnt * sizeof *st->row);
    return 0;
}

/* Records the copier's view at b: the consensus vector, or the target's stored row. */
static int copier_record(bt_model *m, bt_subnet *sn, uint64_t b)
{
    struct atk_state *st = m->atk;
    if (st->nhist == st->caphist) {
        uint32_t c = st->caphist ? st->caphist * 2 : 8;
        atk_view *p = realloc(st->hist, c * sizeof *p);
        if (!p)
            return bt_fail(m, "out of memory");
        st->hist = p, st->caphist = c;
    }
    uint32_t n = sn->n;
    uint16_t *v = calloc(n ? n : 1, sizeof *v);
    if (!v)
        return bt_fail(m, "out of memory");
    if (st->cfg.copier.source == BT_COPY_CONSENSUS) {
        for (uint32_t j = 0; j < n; j++)
            v[j] = sn->neurons[j].consensus;
    } else {
        uint32_t t = sn->validators[st->cfg.copier.target];
        int32_t tu = uid_here(sn, m->agents[t].hotkey);
        const bt_neuron *nr = tu == BT_NONE ? NULL : &sn->neurons[tu];
        for (uint32_t k = 0; nr && k < nr->nw; k++)
            if (nr->w[k].uid < n)
                v[nr->w[k].uid] = nr->w[k].value;
    }
    st->hist[st->nhist].block = b, st->hist[st->nhist].v = v, st->hist[st->nhist].n = n;
    st->nhist++;
    /* Keep the newest view old enough to be used, and everything after it. */
    uint64_t lag = st->cfg.copier.lag;
    uint32_t drop = 0;
    while (drop + 1 < st->nhist && st->hist[drop + 1].block + lag <= b)
        drop++;
    for (uint32_t i = 0; i < drop; i++)
        free(st->hist[i].v);
    memmove(st->hist, st->hist + drop, (st->nhist - drop) * sizeof *st->hist);
    st->nhist -= drop;
    return 0;
}

static int copier_row(bt_model *m, bt_subnet *sn, uint32_t uid, uint64_t b, uint32_t *cnt)
{
    struct atk_state *st = m->atk;
    if (copier_record(m, sn, b) != 0)
        return -1;
    if (!atk_active(st, m->genesis, ATK_COPIER, b))
        return 0; /* outside its window it observes like an honest validator */
    const atk_view *v = &st->hist[0];
    if (v->block + st->cfg.copier.lag > b) {
        *cnt = 0; /* nothing old enough yet: it submits nothing */
        return 0;
    }
    *cnt = bt_validator_copy(v->v, v->n < sn->n ? v->n : sn->n, uid, m->wbuf);
    return 0;
}

/* Sybil validators: identity 0's observation is the operator's; the others submit it. */
static int sybil_row(bt_model *m, uint32_t a, uint32_t uid, uint32_t *cnt)
{
    struct atk_state *st = m->atk;
    if (a == st->a[ATK_SYBIL].first) {
        memcpy(st->sybil_row, m->wbuf, (size_t)*cnt * sizeof *m->wbuf);
        st->sybil_nrow = *cnt;
        return 0;
    }
    if (st->sybil_nrow == 0)
        return 0;
    uint32_t k = 0;
    for (uint32_t i = 0; i < st->sybil_nrow; i++)
        if (st->sybil_row[i].uid != uid)
            m->wbuf[k++] = st->sybil_row[i];
    *cnt = k;
    return 0;
}

int atk_weights(bt_model *m, bt_subnet *sn, uint32_t a, uint32_t uid, uint64_t b, uint32_t *cnt)
{
    const struct atk_state *st = m->atk;
    int k = m->agents[a].attack - 1;
    if (!st || k < 0 || sn->netuid != st->cfg.netuid)
        return 0;
    if (k == ATK_CABAL)
        return atk_active(st, m->genesis, ATK_CABAL, b) ? cabal_row(m, sn, uid, cnt) : 0;
    if (k == ATK_COPIER)
        return copier_row(m, sn, uid, b, cnt);
    if (k == ATK_SYBIL)
        return sybil_row(m, a, uid, cnt);
    return 0;
}

void atk_free(struct atk_state *st)
{
    if (!st)
        return;
    for (uint32_t i = 0; i < st->nhist; i++)
        free(st->hist[i].v);
    free(st->hist);
    free(st->sybil_row);
    free(st->prev_cons);
    free(st->mark);
    free(st->ratios);
    free(st->row);
    free(st);
}
