/*
** bt_chain.c: the bittensor model's accounts and the chain operations agents trigger — stake
** positions, pool swaps, the chain buy of excess TAO, root claims, burned registration with
** pruning (spec bittensor §3.9-§3.11) — and the conservation checks.
**
** Pool. The chain's Balancer pool (§3.9) is modelled in its equal-weight case, the
** constant-product pool; its price, swaps, fee and the quote of every operation below are the
** reward core's (tsr_pool.h), and this file moves the tokens they quote. User swaps pay FeeRate
** 33/65535 of the input (burned: there is no block author) and sales refuse to take the TAO
** reserve below MinimumReserve (1e6 units); the protocol's buys and root claims are fee-free.
**
** Every function keeps the chain counters (tsr_subnet, tsr_chain) and the ledgers in step; any
** ledger refusal is a model bug and fails the run. O(1) per call except registration with
** pruning (O(n) for the candidate scan and the weight columns of the replaced uid) and the
** pro-rata splits (O(positions)).
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bt_int.h"

/* Grows *p (element size sz) to hold at least need elements; 0, or -1 on OOM. */
static int grow(void **p, uint32_t *cap, uint32_t need, size_t sz)
{
    if (need <= *cap)
        return 0;
    uint32_t c = *cap ? *cap : 4;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, (size_t)c * sz);
    if (!q)
        return -1;
    *p = q, *cap = c;
    return 0;
}

int32_t bt_member_get(bt_model *m, bt_subnet *sn, int32_t hotkey)
{
    if (sn->member_of[hotkey] != BT_NONE)
        return sn->member_of[hotkey];
    if (grow((void **)&sn->members, &sn->capmembers, sn->nmembers + 1, sizeof *sn->members))
        return BT_NONE;
    bt_member *k = &sn->members[sn->nmembers];
    memset(k, 0, sizeof *k);
    k->hotkey = hotkey, k->uid = BT_NONE, k->own_pos = BT_NONE;
    (void)m;
    sn->member_of[hotkey] = (int32_t)sn->nmembers;
    return (int32_t)sn->nmembers++;
}

/* A new position of agent on member, its account opened with `genesis` alpha. */
static int32_t position_new(bt_model *m, bt_subnet *sn, uint32_t agent, uint32_t member,
                            uint64_t genesis)
{
    bt_member *k = &sn->members[member];
    uint32_t words = k->caplive;
    if (grow((void **)&sn->pos, &sn->cappos, sn->npos + 1, sizeof *sn->pos) ||
        grow((void **)&k->pos, &k->cappos, k->npos + 1, sizeof *k->pos) ||
        grow((void **)&k->live, &k->caplive, k->npos / 64 + 1, sizeof *k->live))
        return BT_NONE;
    if (k->caplive > words) /* the new words: no position yet */
        memset(k->live + words, 0, (k->caplive - words) * sizeof *k->live);
    size_t acct;
    int rc = tsr_ledger_open(&sn->alpha, genesis, &acct);
    if (rc == TSR_EOVERFLOW) /* only genesis draws can get there: the scenario's doing */
        bt_bad_input(m,
                     "subnet %u: the genesis alpha stakes overflow 64 bits (validators.stake, "
                     "delegators.stake and their lognormal *_spread draws are too large)",
                     sn->netuid);
    if (rc != TSR_OK)
        return BT_NONE;
    k->alpha += genesis;
    uint32_t p = sn->npos++;
    sn->pos[p].agent = agent, sn->pos[p].member = member, sn->pos[p].acct = acct;
    sn->pos[p].slot = k->npos;
    k->pos[k->npos++] = p;
    if (genesis)
        bt_position_credited(sn, p);
    if (m->hotkeys[k->hotkey].owner == agent)
        k->own_pos = (int32_t)p;
    return (int32_t)p;
}

int32_t bt_position_get(bt_model *m, bt_subnet *sn, uint32_t agent, uint32_t member)
{
    bt_member *k = &sn->members[member];
    for (uint32_t i = 0; i < k->npos; i++)
        if (sn->pos[k->pos[i]].agent == agent)
            return (int32_t)k->pos[i];
    return position_new(m, sn, agent, member, 0);
}

int32_t bt_position_genesis(bt_model *m, bt_subnet *sn, uint32_t agent, uint32_t member,
                            uint64_t amount)
{
    bt_member *k = &sn->members[member];
    int32_t p = BT_NONE;
    for (uint32_t i = 0; i < k->npos && p == BT_NONE; i++)
        if (sn->pos[k->pos[i]].agent == agent)
            p = (int32_t)k->pos[i];
    if (p == BT_NONE)
        return position_new(m, sn, agent, member, amount);
    if (amount == 0)
        return p;
    /* An existing account cannot take genesis balance any more: the amount is minted into it
    ** instead (it still counts as issuance, only as minted rather than genesis). */
    bt_position_credited(sn, (uint32_t)p);
    if (sn->members[member].alpha > UINT64_MAX - amount ||
        tsr_ledger_mint(&sn->alpha, sn->pos[p].acct, amount) != TSR_OK) {
        bt_bad_input(m,
                     "subnet %u: the genesis alpha stakes overflow 64 bits (validators.stake, "
                     "delegators.stake and their lognormal *_spread draws are too large)",
                     sn->netuid);
        return BT_NONE;
    }
    sn->members[member].alpha += amount;
    return p;
}

void bt_position_credited(bt_subnet *sn, uint32_t p)
{
    uint32_t i = sn->pos[p].slot;
    sn->members[sn->pos[p].member].live[i / 64] |= UINT64_C(1) << (i % 64);
}

int bt_stake_to(bt_model *m, bt_subnet *sn, size_t from, uint32_t p, uint64_t amount)
{
    if (amount == 0)
        return 0;
    bt_position_credited(sn, p);
    if (tsr_ledger_transfer(&sn->alpha, from, sn->pos[p].acct, amount) != TSR_OK)
        return bt_fail(m, "subnet %u: the alpha ledger refused a stake of %llu units", sn->netuid,
                       (unsigned long long)amount);
    sn->members[sn->pos[p].member].alpha += amount;
    return 0;
}

int bt_unstake_from(bt_model *m, bt_subnet *sn, uint32_t p, size_t to, uint64_t amount)
{
    if (amount == 0)
        return 0;
    if (tsr_ledger_transfer(&sn->alpha, sn->pos[p].acct, to, amount) != TSR_OK)
        return bt_fail(m, "subnet %u: the alpha ledger refused an unstake of %llu units",
                       sn->netuid, (unsigned long long)amount);
    sn->members[sn->pos[p].member].alpha -= amount;
    return 0;
}

/* ---- pool (arithmetic and quotes: tsr_pool.h) ---------------------------------------------- */

int bt_protocol_buy(bt_model *m, bt_subnet *sn, tsr_subnet *cs, uint64_t tao, uint64_t tao_injected,
                    uint64_t alpha_injected)
{
    if (tao == 0)
        return 0;
    tsr_pool_buy q;
    if (tsr_pool_chain_buy_quote(cs, tao, tao_injected, alpha_injected, &q) != TSR_OK)
        return bt_fail(m, "subnet %u: the chain buy found less in the pool than was injected",
                       sn->netuid);
    if (tsr_ledger_mint(&m->tao, sn->t_reserve, tao) != TSR_OK ||
        tsr_ledger_transfer(&sn->alpha, sn->a_reserve, sn->a_protocol, q.alpha_out) != TSR_OK)
        return bt_fail(m, "subnet %u: a ledger refused the chain buy", sn->netuid);
    cs->subnet_tao += tao;
    cs->alpha_in -= q.alpha_out;
    cs->alpha_out += q.alpha_out;
    tsr_pool_set_price(cs);
    return 0;
}

int bt_sell(bt_model *m, bt_subnet *sn, uint32_t p, uint64_t amount, uint64_t *tao_out)
{
    tsr_subnet *cs = &m->cs[sn->netuid - 1];
    tsr_pool_sale q;
    if (tao_out)
        *tao_out = 0;
    if (tsr_pool_sale_quote(cs, amount, &q) != TSR_OK)
        return bt_fail(m, "subnet %u: a sale would overflow the alpha reserve", sn->netuid);
    if (q.refused ||
        tsr_pool_sale_below_min_stake(&q, amount, bt_balance(&sn->alpha, sn->pos[p].acct)))
        return 1; /* the chain refuses it: the position keeps its alpha */
    const bt_agent *a = &m->agents[sn->pos[p].agent];
    if (bt_unstake_from(m, sn, p, sn->a_reserve, amount) != 0)
        return -1;
    if (tsr_ledger_transfer(&m->tao, sn->t_reserve, a->tao_acct, q.tao_out) != TSR_OK ||
        tsr_ledger_transfer(&m->tao, sn->t_reserve, m->t_burn, q.fee_tao) != TSR_OK)
        return bt_fail(m, "subnet %u: the TAO ledger refused a sale", sn->netuid);
    cs->alpha_in += amount;
    cs->alpha_out -= amount;
    cs->subnet_tao -= q.tao_out + q.fee_tao;
    m->tao_fees += q.fee_tao;
    tsr_pool_set_price(cs);
    if (tao_out)
        *tao_out = q.tao_out;
    return 0;
}

int bt_split_reserve(bt_model *m, bt_subnet *sn, size_t n)
{
    if (n <= sn->cap_split)
        return 0;
    size_t c = n * 2;
    if (bt_resize((void **)&sn->split_scratch, c, sizeof *sn->split_scratch) ||
        bt_resize((void **)&sn->split_w, c, sizeof *sn->split_w) ||
        bt_resize((void **)&sn->split_out, c, sizeof *sn->split_out) ||
        bt_resize((void **)&sn->split_idx, c, sizeof *sn->split_idx))
        return bt_fail(m, "out of memory");
    sn->cap_split = c;
    return 0;
}

int bt_split(bt_model *m, bt_subnet *sn, uint64_t amount, size_t n, uint64_t *rest)
{
    if (tsr_split_pro_rata(amount, sn->split_w, n, sn->split_out, sn->split_scratch, rest) !=
        TSR_OK)
        return bt_fail(m, "subnet %u: the pro-rata split refused its input", sn->netuid);
    return 0;
}

int bt_root_claim(bt_model *m, bt_subnet *sn, size_t from, uint64_t amount, uint32_t hotkey)
{
    tsr_subnet *cs = &m->cs[sn->netuid - 1];
    bt_hotkey *h = &m->hotkeys[hotkey];
    tsr_pool_sale q;
    if (amount == 0)
        return 0;
    if (tsr_pool_root_claim_quote(cs, amount, &q) != TSR_OK)
        return bt_fail(m, "subnet %u: a root claim would overflow the alpha reserve", sn->netuid);
    uint64_t dy = q.tao_out;
    if (q.refused || h->nrootpos == 0) {
        /* The sale is refused: the alpha is staked to the hotkey's owner instead. */
        int32_t k = bt_member_get(m, sn, (int32_t)hotkey);
        int32_t p = k == BT_NONE ? BT_NONE : bt_position_get(m, sn, h->owner, (uint32_t)k);
        if (p == BT_NONE)
            return bt_fail(m, "out of memory");
        return bt_stake_to(m, sn, from, (uint32_t)p, amount);
    }
    if (tsr_ledger_transfer(&sn->alpha, from, sn->a_reserve, amount) != TSR_OK)
        return bt_fail(m, "subnet %u: the alpha ledger refused a root claim", sn->netuid);
    cs->alpha_in += amount;
    cs->alpha_out -= amount;
    cs->subnet_tao -= dy;
    tsr_pool_set_price(cs);
    uint64_t rest = 0;
    if (bt_split_reserve(m, sn, h->nrootpos) != 0)
        return -1;
    uint64_t *w = sn->split_w, *out = sn->split_out;
    for (uint32_t i = 0; i < h->nrootpos; i++)
        w[i] = bt_balance(&m->tao, m->rootpos[h->rootpos[i]].acct);
    if (bt_split(m, sn, dy, h->nrootpos, &rest) != 0)
        return -1;
    for (uint32_t i = 0; i < h->nrootpos; i++)
        if (out[i] && tsr_ledger_transfer(&m->tao, sn->t_reserve, m->rootpos[h->rootpos[i]].acct,
                                          out[i]) != TSR_OK)
            return bt_fail(m, "subnet %u: the TAO ledger refused a root claim", sn->netuid);
    if (rest && tsr_ledger_transfer(&m->tao, sn->t_reserve, m->agents[h->owner].tao_acct, rest))
        return bt_fail(m, "subnet %u: the TAO ledger refused a root claim", sn->netuid);
    h->root_stake += dy - rest;
    m->chain.root_tao += dy - rest;
    m->root_claimed += dy - rest;
    return 0;
}

/* ---- registration and pruning (spec §3.10) -------------------------------------------------- */

static void neuron_clear(bt_neuron *nr)
{
    for (uint32_t i = 0; i < nr->nc; i++)
        free(nr->c[i].w);
    nr->nc = 0;
    nr->nw = nr->nb = 0;
    nr->emission = 0;
    nr->consensus = nr->incentive = nr->dividends = nr->vtrust = 0;
    nr->permit = false;
    nr->last_set = 0;
}

/* The owner hotkey's uid on sn, or -1. */
static int32_t owner_uid(const bt_model *m, const bt_subnet *sn)
{
    const bt_agent *o = &m->agents[sn->owner_agent];
    if (o->hotkey < 0 || sn->member_of[o->hotkey] == BT_NONE)
        return -1;
    return sn->members[sn->member_of[o->hotkey]].uid;
}

/* get_neuron_to_prune over sn's uids. */
static int prune_pick(bt_model *m, bt_subnet *sn, uint64_t block, uint16_t *uid, bool *found)
{
    for (uint32_t i = 0; i < sn->n; i++) {
        const bt_neuron *nr = &sn->neurons[i];
        m->prune_buf[i].emission = nr->emission;
        m->prune_buf[i].block_at_registration = nr->bar;
        m->prune_buf[i].has_hotkey = true;
        /* uid_agent[i] is the owner of uid i's hotkey (set with the uid, owners never change) */
        m->prune_buf[i].owned_by_subnet_owner = sn->uid_agent[i] == sn->owner_agent;
    }
    int32_t ou = owner_uid(m, sn);
    tsr_prune_params pp = {block, sn->cfg.immunity_period, sn->cfg.immune_owner_uids,
                           sn->cfg.min_non_immune_uids, ou >= 0 ? ou : TSR_NO_UID};
    if (tsr_neuron_to_prune(m->prune_buf, sn->n, &pp, uid, found) != TSR_OK)
        return bt_fail(m, "subnet %u: pruning refused its input", sn->netuid);
    return 0;
}

/* Weights of row nr pointing at uid become 0 (the pairs stay, spec §3.10). A row is scanned the
** first time (learning whether its uids strictly ascend, as validators send them); an ascending
** row holds uid at most once and is bisected at later prunes until it is replaced. */
static void zero_in_row(bt_neuron *nr, uint32_t uid)
{
    if (nr->word != BT_WORD_ASC) {
        bool asc = true;
        for (uint32_t j = 0; j < nr->nw; j++) {
            asc &= j == 0 || nr->w[j - 1].uid < nr->w[j].uid;
            if (nr->w[j].uid == uid)
                nr->w[j].value = 0;
        }
        nr->word = asc ? BT_WORD_ASC : BT_WORD_ANY;
        return;
    }
    uint32_t lo = 0, hi = nr->nw; /* the first pair with w.uid >= uid is in [lo, hi] */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (nr->w[mid].uid < uid)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < nr->nw && nr->w[lo].uid == uid)
        nr->w[lo].value = 0;
}

/* zero_in_row over every other row. Only the uids whose wrows bit is set can hold one (a few
** validators among 256 uids): the other records are not read, which was 1.7% of the era8
** benchmark. The pruned uid's own row is empty by now (neuron_clear). */
static void zero_column(bt_subnet *sn, uint32_t uid)
{
    for (uint32_t wd = 0; wd * 64 < sn->n; wd++)
        for (uint64_t bits = sn->wrows[wd]; bits; bits &= bits - 1)
            zero_in_row(&sn->neurons[wd * 64 + (uint32_t)__builtin_ctzll(bits)], uid);
}

/* Pays the burn: the fee is burned, the rest buys alpha from the pool and that alpha is burned
** (SubnetAlphaOut unchanged, SubnetAlphaIn lower: alpha issuance decreases). */
static int pay_burn(bt_model *m, bt_subnet *sn, const bt_agent *a, uint64_t burn)
{
    tsr_subnet *cs = &m->cs[sn->netuid - 1];
    tsr_pool_buy q;
    if (tsr_pool_buy_quote(cs, burn, &q) != TSR_OK)
        return bt_fail(m, "subnet %u: a registration burn would overflow the TAO reserve",
                       sn->netuid);
    if (tsr_ledger_transfer(&m->tao, a->tao_acct, m->t_burn, q.fee) != TSR_OK ||
        tsr_ledger_transfer(&m->tao, a->tao_acct, sn->t_reserve, q.net) != TSR_OK ||
        tsr_ledger_burn(&sn->alpha, sn->a_reserve, q.alpha_out) != TSR_OK)
        return bt_fail(m, "subnet %u: a ledger refused a registration burn", sn->netuid);
    m->tao_fees += q.fee;
    cs->subnet_tao += q.net;
    cs->alpha_in -= q.alpha_out;
    tsr_pool_set_price(cs);
    return 0;
}

int bt_register(bt_model *m, bt_subnet *sn, uint32_t a, uint64_t block)
{
    tsr_subnet *cs = &m->cs[sn->netuid - 1];
    bt_agent *ag = &m->agents[a];
    uint64_t burn = cs->burn.burn, free_tao = 0;
    tsr_ledger_balance(&m->tao, ag->tao_acct, &free_tao);
    int32_t k = bt_member_get(m, sn, ag->hotkey);
    if (k == BT_NONE)
        return bt_fail(m, "out of memory");
    if (free_tao < burn || sn->members[k].uid != BT_NONE)
        return 1;
    uint16_t uid = (uint16_t)sn->n;
    bool found = true, replace = sn->n >= sn->cfg.max_uids;
    if (replace && prune_pick(m, sn, block, &uid, &found) != 0)
        return -1;
    if (!found)
        return 1; /* every uid immortal: the chain refuses the registration */
    if (pay_burn(m, sn, ag, burn) != 0)
        return -1;
    int64_t pruned_entity = 0;
    uint32_t pruned_agent = 0;
    if (replace) {
        bt_neuron *nr = &sn->neurons[uid];
        bt_member *old = &sn->members[nr->member];
        pruned_agent = m->hotkeys[old->hotkey].owner;
        pruned_entity = m->agents[pruned_agent].entity;
        if (m->agents[pruned_agent].role == BT_MINER && m->agents[pruned_agent].serving)
            sn->qsum -= m->agents[pruned_agent].quality;
        old->uid = BT_NONE;
        neuron_clear(nr);
        sn->wrows[uid / 64] &= ~(UINT64_C(1) << (uid % 64));
        zero_column(sn, uid);
        sn->st.prunes++;
    } else {
        memset(&sn->neurons[uid], 0, sizeof sn->neurons[uid]);
        sn->n++;
    }
    bt_neuron *nr = &sn->neurons[uid];
    nr->member = k;
    sn->uid_agent[uid] = m->hotkeys[ag->hotkey].owner;
    nr->bar = nr->last_update = block;
    if (ag->role == BT_MINER) /* it serves from its registration on */
        sn->qsum += ag->quality;
    sn->members[k].uid = uid;
    tsr_burn_on_registration(&cs->burn);
    sn->st.registrations++;
    if (bt_ledger_row(m, block, "burn", ag->entity, sn->entity, burn, "registration") != 0 ||
        bt_series_i(m, block, "registered_uid", ag->entity, uid) != 0 ||
        (replace && bt_series_i(m, block, "pruned_uid", pruned_entity, uid) != 0))
        return bt_fail(m, "recording a registration failed");
    return replace ? (bt_candidate(m, pruned_agent, block) != 0 ? -1 : 0) : 0;
}

int32_t bt_genesis_uid(bt_model *m, bt_subnet *sn, uint32_t k, uint64_t bar, uint64_t lu)
{
    if (sn->n >= sn->cfg.max_uids)
        return BT_NONE;
    uint32_t uid = sn->n++;
    bt_neuron *nr = &sn->neurons[uid];
    memset(nr, 0, sizeof *nr);
    nr->member = (int32_t)k;
    sn->uid_agent[uid] = m->hotkeys[sn->members[k].hotkey].owner;
    nr->bar = bar, nr->last_update = lu;
    sn->members[k].uid = (int32_t)uid;
    return (int32_t)uid;
}

/* ---- conservation -------------------------------------------------------------------------- */

static int mismatch(bt_model *m, uint64_t block, const char *what, uint64_t chain, uint64_t ledger)
{
    long double d = (long double)chain - (long double)ledger;
    return bt_fail(m,
                   "conservation violated at block %llu: %s is %llu on the chain but %llu in the "
                   "ledger (difference %.0Lf units)",
                   (unsigned long long)block, what, (unsigned long long)chain,
                   (unsigned long long)ledger, d);
}

static int check_subnet(bt_model *m, const bt_subnet *sn, uint64_t block, int full)
{
    const tsr_subnet *cs = &m->cs[sn->netuid - 1];
    const tsr_ledger *l = &sn->alpha;
    char what[96];
#define CHK(name, chain, ledger)                                                                   \
    do {                                                                                           \
        if ((chain) != (ledger)) {                                                                 \
            snprintf(what, sizeof what, "subnet %u %s", sn->netuid, name);                         \
            return mismatch(m, block, what, chain, ledger);                                        \
        }                                                                                          \
    } while (0)
    CHK("SubnetTAO", cs->subnet_tao, bt_balance(&m->tao, sn->t_reserve));
    CHK("SubnetAlphaIn", cs->alpha_in, bt_balance(l, sn->a_reserve));
    CHK("SubnetAlphaOut", cs->alpha_out,
        l->genesis + l->minted - l->burned - bt_balance(l, sn->a_reserve));
    CHK("PendingServerEmission", cs->pending_server, bt_balance(l, sn->a_server));
    CHK("PendingValidatorEmission", cs->pending_validator, bt_balance(l, sn->a_validator));
    CHK("PendingRootAlphaDivs", cs->pending_root_alpha, bt_balance(l, sn->a_root));
    CHK("PendingOwnerCut", cs->pending_owner_cut, bt_balance(l, sn->a_owner));
    CHK("the epoch account (empty between blocks)", UINT64_C(0), bt_balance(l, sn->a_epoch));
    if (!full)
        return 0;
    if (tsr_ledger_check(l) != TSR_OK) {
        snprintf(what, sizeof what, "subnet %u alpha: sum of balances + burned", sn->netuid);
        uint64_t sum = 0;
        for (size_t i = 0; i < l->n; i++)
            sum += l->balance[i];
        return mismatch(m, block, what, l->genesis + l->minted, sum + l->burned);
    }
    for (uint32_t k = 0; k < sn->nmembers; k++) {
        uint64_t s = 0;
        for (uint32_t i = 0; i < sn->members[k].npos; i++)
            s += bt_balance(l, sn->pos[sn->members[k].pos[i]].acct);
        if (s != sn->members[k].alpha) { /* the message only when it is needed */
            snprintf(what, sizeof what, "subnet %u TotalHotkeyAlpha of member %u", sn->netuid, k);
            return mismatch(m, block, what, sn->members[k].alpha, s);
        }
    }
#undef CHK
    return 0;
}

int bt_check(bt_model *m, uint64_t block, int full)
{
    const tsr_ledger *t = &m->tao;
    if (m->chain.total_issuance != t->genesis + t->minted - t->burned)
        return mismatch(m, block, "TotalIssuance", m->chain.total_issuance,
                        t->genesis + t->minted - t->burned);
    if (bt_balance(t, m->t_burn) != m->tao_fees)
        return mismatch(m, block, "TAO burned fees", m->tao_fees, bt_balance(t, m->t_burn));
    if (m->chain.total_issuance > m->cfg.chain.total_supply)
        return bt_fail(m, "block %llu: TotalIssuance %llu exceeds the total supply",
                       (unsigned long long)block, (unsigned long long)m->chain.total_issuance);
    for (uint32_t i = 0; i < m->nsub; i++)
        if (check_subnet(m, &m->sub[i], block, full) != 0)
            return -1;
    if (!full)
        return 0;
    if (tsr_ledger_check(t) != TSR_OK) {
        uint64_t sum = 0;
        for (size_t i = 0; i < t->n; i++)
            sum += t->balance[i];
        return mismatch(m, block, "TAO: sum of balances + burned", t->genesis + t->minted,
                        sum + t->burned);
    }
    uint64_t root = 0;
    for (uint32_t i = 0; i < m->nrootpos; i++)
        root += bt_balance(t, m->rootpos[i].acct);
    if (root != m->chain.root_tao)
        return mismatch(m, block, "root stake (SubnetTAO of the root network)", m->chain.root_tao,
                        root);
    return 0;
}
