/*
** atk_metrics.c: the attacks' metrics (atk.h), accumulated after every epoch of the attacked
** subnet from the epoch's own outputs and written at every sample.
**
** Definitions (per epoch; a period sums its epochs; "attacker uids" are the uids of the
** attack's agents, for the whale the uid of the validator it delegates to):
**   emission      server + validator emission (Emission split of spec §2.14, alpha units) of
**                 the attacker uids; emission_share = attacker / all uids.
**   stake_share   the attacker uids' stake (the epoch's stake: alpha plus root x TaoWeight) over
**                 every uid's, averaged over the period's epochs; share_gap = emission_share
**                 minus stake_share (the "cabal share gap" of mechanisms §6.4).
**   honest_share  stake of the permitted validators that are not attackers over that of every
**                 permitted validator; kappa_block is the first epoch block where it is below
**                 Kappa / 65535 (-1: never); kappa_delay counts the blocks from the attack's
**                 start to the first such epoch inside its window (-1: none), i.e. the time
**                 the attack needs to take the consensus (0 when it holds it from its start).
**   return_ratio  (attacker emission / attacker stake) / (honest validators' validator emission
**                 / their stake), honest validators being validator agents outside the attack.
**   advantage     copier only: G = sum(copier dividends / copier stake) / sum(median over honest
**                 validators of dividends / stake), over the epochs.
**   advantage_group  copier only: mechanisms §6.4's G, the same over sum(honest validators'
**                 dividends / their stake) (the group's return, which a few validators with
**                 large stakes dominate; the median is the typical honest validator's).
**   consensus_move copier only: mean over the epochs of how far the subnet's consensus moved
**                 since the previous epoch (atk_consensus_move: half the L1 distance of the
**                 normalised vectors), the churn against which commit-reveal works (§6.2 d).
**   cost_burn     TAO the attack's agents spent (they receive no TAO: all of it went to
**                 registration burns); stake the attack's alpha on its own hotkeys (the whale:
**                 its position), i.e. the stake locked; cost_stake_tao the TAO that selling
**                 all of that stake into the pool at this sample would pay (swap fee and
**                 slippage included: the capital the attack ties up, at its exit value);
**                 cost = cost_burn + cost_stake_tao.
**   uid           per attack agent (entity = the agent): its uid on the attacked subnet, -1
**                 without one, so the epochs table can be read per attacker.
** The *_total values are the same ratios over the attack's active window. Reals are ratios;
** amounts are integers. Cost O(uids) per attack and epoch, O(agents) per sample.
*/
#include <stdio.h>
#include <string.h>

#include "atk.h"

static const char *const kind_name[ATK_KINDS] = {"cabal", "copier", "sybil", "whale"};

/* The member the whale delegates to (its target validator's hotkey), or BT_NONE. */
static int32_t whale_member(const bt_model *m, const bt_subnet *sn)
{
    const struct atk_state *st = m->atk;
    if (st->cfg.whale.target >= sn->nvalidators)
        return BT_NONE;
    return sn->member_of[m->agents[sn->validators[st->cfg.whale.target]].hotkey];
}

static const bt_agent *agent_at(const bt_model *m, const bt_subnet *sn, uint32_t uid)
{
    return &m->agents[m->hotkeys[sn->members[sn->neurons[uid].member].hotkey].owner];
}

static void acc_add(atk_acc *a, const atk_acc *e)
{
    a->em_att += e->em_att, a->em_tot += e->em_tot;
    a->stake_share += e->stake_share, a->honest_share += e->honest_share;
    a->ret_em += e->ret_em, a->ret_stake += e->ret_stake;
    a->hon_em += e->hon_em, a->hon_stake += e->hon_stake;
    a->cop_ratio += e->cop_ratio, a->med_ratio += e->med_ratio, a->grp_ratio += e->grp_ratio;
    a->cons_move += e->cons_move;
    a->epochs += e->epochs, a->cop_epochs += e->cop_epochs, a->move_epochs += e->move_epochs;
}

/* One epoch of kind k on sn into e; *att_em receives the attacker's emission (units). */
static void epoch_terms(bt_model *m, const bt_subnet *sn, atk_kind k, atk_acc *e, uint64_t *att_em)
{
    struct atk_state *st = m->atk;
    int32_t wm = k == ATK_WHALE ? whale_member(m, sn) : BT_NONE;
    double tot_stake = 0.0, att_stake = 0.0, perm = 0.0, perm_hon = 0.0, att_vem = 0.0;
    size_t nr = 0;
    memset(e, 0, sizeof *e);
    *att_em = 0;
    for (uint32_t i = 0; i < sn->n; i++) {
        const bt_agent *o = agent_at(m, sn, i);
        bool att = k == ATK_WHALE ? sn->neurons[i].member == wm : o->attack == k + 1;
        uint64_t em = sn->e_sem[i] + sn->e_vem[i];
        double s = (double)sn->e_stake[i];
        e->em_tot += (double)em, tot_stake += s;
        if (sn->e_newpermit[i])
            perm += s, perm_hon += att ? 0.0 : s;
        if (att) {
            *att_em += em;
            e->em_att += (double)em, att_stake += s, att_vem += (double)sn->e_vem[i];
        } else if (o->role == BT_VALIDATOR && o->attack == 0 && s > 0.0) {
            e->hon_em += (double)sn->e_vem[i], e->hon_stake += s;
            if (nr < st->cap)
                st->ratios[nr++] = (double)sn->e_vem[i] / s;
        }
    }
    e->epochs = 1;
    e->stake_share = tot_stake > 0.0 ? att_stake / tot_stake : 0.0;
    e->honest_share = perm > 0.0 ? perm_hon / perm : 1.0;
    e->ret_em = e->em_att, e->ret_stake = att_stake;
    if (k == ATK_SYBIL && st->cfg.sybil.mode == BT_SYBIL_MINERS)
        e->ret_stake = 0.0; /* miners' stake is only what they earned: no return per stake */
    if (k == ATK_COPIER && att_stake > 0.0 && nr > 0) {
        e->cop_ratio = att_vem / att_stake;
        e->med_ratio = atk_median(st->ratios, nr);
        e->grp_ratio = e->hon_em / e->hon_stake; /* > 0 stake: nr > 0 */
        e->cop_epochs = 1;
    }
}

int atk_epoch(bt_model *m, const bt_subnet *sn, uint64_t b)
{
    struct atk_state *st = m->atk;
    if (!st || sn->netuid != st->cfg.netuid)
        return 0;
    double kappa = (double)sn->cfg.kappa / 65535.0;
    uint32_t n = sn->n < st->cap ? sn->n : st->cap;
    double move = atk_consensus_move(st->prev_cons, st->prev_n, sn->e_cons, n);
    bool have_prev = st->prev_n > 0;
    memcpy(st->prev_cons, sn->e_cons, (size_t)n * sizeof *st->prev_cons);
    st->prev_n = n;
    for (int k = 0; k < ATK_KINDS; k++) {
        atk_attack *at = &st->a[k];
        if (!at->on)
            continue;
        atk_acc e;
        uint64_t em;
        epoch_terms(m, sn, (atk_kind)k, &e, &em);
        if (k == ATK_COPIER && have_prev)
            e.cons_move = move, e.move_epochs = 1;
        at->emission += em;
        acc_add(&at->period, &e);
        bool act = atk_active(st, m->genesis, (atk_kind)k, b);
        if (act)
            acc_add(&at->window, &e);
        if (at->kappa_block < 0 && e.honest_share < kappa)
            at->kappa_block = (int64_t)b;
        if (act && at->kappa_window < 0 && e.honest_share < kappa)
            at->kappa_window = (int64_t)b;
    }
    return 0;
}

/* ---- samples --------------------------------------------------------------------------------- */

static int put_i(bt_model *m, uint64_t b, atk_kind k, const char *what, int64_t v)
{
    char name[64];
    snprintf(name, sizeof name, "attack.%s.%s", kind_name[k], what);
    return bt_series_i(m, b, name, m->atk->a[k].entity, v);
}

static int put_f(bt_model *m, uint64_t b, atk_kind k, const char *what, double v)
{
    char name[64];
    snprintf(name, sizeof name, "attack.%s.%s", kind_name[k], what);
    return bt_series_f(m, b, name, m->atk->a[k].entity, v);
}

/* TAO spent (burns) and alpha held on the attack's own hotkeys (the whale: its position). */
static void cost_and_stake(const bt_model *m, atk_kind k, uint64_t *burn, uint64_t *stake)
{
    const struct atk_state *st = m->atk;
    const atk_attack *at = &st->a[k];
    const bt_subnet *sn = &m->sub[st->cfg.netuid - 1];
    uint64_t left = 0;
    *stake = 0;
    for (uint32_t i = 0; i < at->n; i++) {
        const bt_agent *ag = &m->agents[at->first + i];
        uint64_t v = 0;
        tsr_ledger_balance(&m->tao, ag->tao_acct, &v);
        left += v;
        if (k == ATK_WHALE && ag->position != BT_NONE) {
            tsr_ledger_balance(&sn->alpha, sn->pos[ag->position].acct, &v);
            *stake += v;
            continue;
        }
        int32_t mk = sn->member_of[ag->hotkey];
        if (mk != BT_NONE && sn->members[mk].own_pos != BT_NONE) {
            tsr_ledger_balance(&sn->alpha, sn->pos[sn->members[mk].own_pos].acct, &v);
            *stake += v;
        }
    }
    *burn = at->genesis_tao > left ? at->genesis_tao - left : 0;
}

/* What selling `stake` alpha into the attacked subnet's pool now would pay, as the chain's sale
** does (spec §3.9, tsr_pool_sale_quote): the fee floor(stake x 33 / 65535) comes off first, the
** rest swaps at the constant product, floor(pool TAO x net / (pool alpha + net)). The quote's
** refusal (reserve floor) is ignored: this values the stake, it does not sell it. */
static uint64_t exit_value(const bt_model *m, uint64_t stake)
{
    tsr_pool_sale q;
    if (tsr_pool_sale_quote(&m->cs[m->atk->cfg.netuid - 1], stake, &q) != TSR_OK)
        return 0; /* alpha_in + stake beyond 2^64: not reachable below the total supply */
    return q.tao_out;
}

/* The ratios of one accumulator, suffixed ("" per period, "_total" over the window). */
static int put_ratios(bt_model *m, uint64_t b, atk_kind k, const atk_acc *a, const char *sfx)
{
    char w[40];
    int bad = 0;
    if (a->epochs == 0)
        return 0;
    double es = a->em_tot > 0.0 ? a->em_att / a->em_tot : 0.0;
    double ss = a->stake_share / a->epochs;
    snprintf(w, sizeof w, "emission_share%s", sfx);
    bad |= put_f(m, b, k, w, es);
    snprintf(w, sizeof w, "stake_share%s", sfx);
    bad |= put_f(m, b, k, w, ss);
    snprintf(w, sizeof w, "share_gap%s", sfx);
    bad |= put_f(m, b, k, w, es - ss);
    snprintf(w, sizeof w, "honest_share%s", sfx);
    bad |= put_f(m, b, k, w, a->honest_share / a->epochs);
    if (a->ret_stake > 0.0 && a->hon_stake > 0.0 && a->hon_em > 0.0) {
        snprintf(w, sizeof w, "return_ratio%s", sfx);
        bad |= put_f(m, b, k, w, (a->ret_em / a->ret_stake) / (a->hon_em / a->hon_stake));
    }
    if (k == ATK_COPIER && a->cop_epochs > 0 && a->med_ratio > 0.0) {
        snprintf(w, sizeof w, "advantage%s", sfx);
        bad |= put_f(m, b, k, w, a->cop_ratio / a->med_ratio);
    }
    if (k == ATK_COPIER && a->cop_epochs > 0 && a->grp_ratio > 0.0) {
        snprintf(w, sizeof w, "advantage_group%s", sfx);
        bad |= put_f(m, b, k, w, a->cop_ratio / a->grp_ratio);
    }
    if (k == ATK_COPIER && a->move_epochs > 0) {
        snprintf(w, sizeof w, "consensus_move%s", sfx);
        bad |= put_f(m, b, k, w, a->cons_move / a->move_epochs);
    }
    return bad;
}

/* Blocks from kind k's start to the first epoch of its window below kappa, or -1. */
static int64_t kappa_delay(const bt_model *m, atk_kind k)
{
    const atk_attack *at = &m->atk->a[k];
    uint64_t start = 0;
    switch (k) {
    case ATK_CABAL:
        start = m->atk->cfg.cabal.start;
        break;
    case ATK_COPIER:
        start = m->atk->cfg.copier.start;
        break;
    case ATK_SYBIL:
        start = m->atk->cfg.sybil.start;
        break;
    default:
        start = m->atk->cfg.whale.start;
        break;
    }
    if (at->kappa_window < 0)
        return -1;
    return at->kappa_window - (int64_t)(m->genesis + start);
}

/* Series attack.uid of every agent of `at`: its uid on the attacked subnet, or -1. */
static int put_uids(bt_model *m, uint64_t b, const atk_attack *at)
{
    const bt_subnet *sn = &m->sub[m->atk->cfg.netuid - 1];
    for (uint32_t i = 0; i < at->n; i++) {
        const bt_agent *ag = &m->agents[at->first + i];
        int32_t mk = ag->hotkey < 0 ? BT_NONE : sn->member_of[ag->hotkey];
        int64_t uid = mk == BT_NONE || sn->members[mk].uid == BT_NONE ? -1 : sn->members[mk].uid;
        if (bt_series_i(m, b, "attack.uid", ag->entity, uid) != 0)
            return -1;
    }
    return 0;
}

int atk_sample(bt_model *m, uint64_t b)
{
    struct atk_state *st = m->atk;
    for (int k = 0; st && k < ATK_KINDS; k++) {
        atk_attack *at = &st->a[k];
        if (!at->on)
            continue;
        uint64_t burn, stake, stake_tao;
        cost_and_stake(m, (atk_kind)k, &burn, &stake);
        stake_tao = exit_value(m, stake);
        int bad = put_i(m, b, (atk_kind)k, "active", atk_active(st, m->genesis, (atk_kind)k, b)) ||
                  put_i(m, b, (atk_kind)k, "emission", (int64_t)at->emission) ||
                  put_i(m, b, (atk_kind)k, "cost_burn", (int64_t)burn) ||
                  put_i(m, b, (atk_kind)k, "stake", (int64_t)stake) ||
                  put_i(m, b, (atk_kind)k, "cost_stake_tao", (int64_t)stake_tao) ||
                  put_i(m, b, (atk_kind)k, "cost", (int64_t)(burn + stake_tao)) ||
                  put_ratios(m, b, (atk_kind)k, &at->period, "");
        memset(&at->period, 0, sizeof at->period);
        if (!bad)
            bad = put_uids(m, b, at);
        if (!bad && b >= m->genesis + m->cfg.blocks)
            bad = put_ratios(m, b, (atk_kind)k, &at->window, "_total") ||
                  put_i(m, b, (atk_kind)k, "kappa_block", at->kappa_block) ||
                  put_i(m, b, (atk_kind)k, "kappa_delay", kappa_delay(m, (atk_kind)k));
        if (bad)
            return bt_fail(m, "recording the attack metrics failed");
    }
    return 0;
}
