/*
** bt_epoch.c: weights (set_weights with commit-reveal), the Yuma epoch of a drained subnet
** through tsr_yuma_epoch, and the distribution of the drained pools (spec bittensor §3.7).
**
** Order inside one epoch, as on chain: commits due are revealed; the epoch reads stake,
** permits, LastUpdate, BlockAtRegistration, the stored weights (with the commit-reveal mask of
** §2.6 step 5 applied here, since tsr_yuma_epoch leaves it to callers) and the stored bonds;
** the dividends are split between alpha and root stake from the pre-distribution stakes; then
** the owner cut, the incentives (owner-hotkey incentive burned, MinerBurned), the alpha
** dividends (hotkey take, nominators pro rata by largest remainder) and the root dividends
** (hotkey take, then sold for TAO and credited to the hotkey's root stakers) are paid.
**
** Conservation: the drained server, validator and root pools move into the epoch account and
** every payment leaves from it, capped by its balance (the chain's absolute incentive amounts
** can exceed the server pool by a few units of rounding: that excess is counted as `capped`,
** never created). What remains goes to the unowned account. Nothing here touches a balance
** except through tsr_ledger.
** Cost: the epoch itself (tsr_yuma.h) plus O(n + nnz + positions on paid hotkeys).
*/
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "bt_int.h"

/* ---- weights -------------------------------------------------------------------------------- */

static inline uint16_t max_u16(uint16_t a, uint16_t b)
{
    return a > b ? a : b;
}

/* The largest value of w[0..n), or 65535 as soon as one is seen (nothing exceeds it). Eight
** values a step, reduced as a tree, with one test of the exit a step: an observed row holds its
** 65535 anywhere, and a test per value was 1.4% of the era8 benchmark's model. */
static uint16_t row_max(const bt_pair *w, uint32_t n)
{
    uint16_t mx = 0;
    uint32_t i = 0;
    for (; i + 8 <= n && mx != 65535; i += 8) {
        const bt_pair *p = w + i;
        uint16_t a = max_u16(max_u16(p[0].value, p[1].value), max_u16(p[2].value, p[3].value));
        uint16_t b = max_u16(max_u16(p[4].value, p[5].value), max_u16(p[6].value, p[7].value));
        mx = max_u16(mx, max_u16(a, b));
    }
    for (; i < n && mx != 65535; i++)
        mx = max_u16(mx, w[i].value);
    return mx;
}

void bt_max_upscale(bt_pair *w, uint32_t n)
{
    uint16_t mx = row_max(w, n);
    /* mx == 65535: the factor 65535/65535 is exactly 1.0 and every value maps to itself, so the
    ** common case (validators send a maximum of 65535) skips the fixed-point work. */
    if (mx == 0 || mx == 65535)
        return;
    tsr_i32f32 m = tsr_u16_to_fixed(mx), k = tsr_u16_to_fixed(65535);
    tsr_i32f32 f = tsr_i32f32_sat_div(k, m); /* used when mx > 32768: divide first */
    for (uint32_t i = 0; i < n; i++) {
        tsr_i32f32 e = tsr_u16_to_fixed(w[i].value), v;
        if (mx > 32768)
            v = tsr_i32f32_sat_mul(e, f);
        else
            v = tsr_i32f32_sat_div(tsr_i32f32_sat_mul(e, k), m);
        w[i].value = tsr_i32f32_to_u16(tsr_i32f32_round(v));
    }
}

/* Stores a weights row; its uid order (word) is BT_WORD_ASC when the sender guaranteed it, else
** unknown until a prune needs it (bt_chain.c). */
static int row_put(bt_neuron *nr, const bt_pair *w, uint32_t nw, uint8_t word)
{
    if (nw > nr->capw && nw != 0) { /* nw != 0: never realloc(.., 0) */
        bt_pair *p = realloc(nr->w, (size_t)nw * sizeof *p);
        if (!p)
            return -1;
        nr->w = p, nr->capw = nw;
    }
    if (nw)
        memcpy(nr->w, w, (size_t)nw * sizeof *w);
    nr->nw = nw;
    nr->word = word;
    return 0;
}

#define BT_MAX_COMMITS 64u /* pending commits kept per uid (the oldest is dropped beyond) */

int bt_set_weights(bt_model *m, bt_subnet *sn, uint32_t uid, const bt_pair *w, uint32_t nw,
                   uint64_t block, bool ascending)
{
    uint8_t word = ascending ? BT_WORD_ASC : BT_WORD_UNKNOWN; /* upscaling keeps the order */
    bt_neuron *nr = &sn->neurons[uid];
    bt_pair *copy = malloc((size_t)(nw ? nw : 1) * sizeof *copy);
    if (!copy)
        return bt_fail(m, "out of memory");
    memcpy(copy, w, (size_t)nw * sizeof *w);
    bt_max_upscale(copy, nw);
    nr->last_update = nr->last_set = block;
    if (!sn->cfg.commit_reveal) {
        int rc = row_put(nr, copy, nw, word);
        free(copy);
        bt_wrow_note(sn, uid);
        return rc ? bt_fail(m, "out of memory") : 0;
    }
    if (nr->nc == BT_MAX_COMMITS) {
        free(nr->c[0].w);
        memmove(nr->c, nr->c + 1, (nr->nc - 1) * sizeof *nr->c);
        nr->nc--;
    }
    if (nr->nc == nr->capc) {
        uint32_t c = nr->capc ? nr->capc * 2 : 2;
        bt_commit *p = realloc(nr->c, c * sizeof *p);
        if (!p) {
            free(copy);
            return bt_fail(m, "out of memory");
        }
        nr->c = p, nr->capc = c;
    }
    bt_commit *c = &nr->c[nr->nc++];
    c->block = block;
    c->interval = m->cs[sn->netuid - 1].epoch_index;
    c->w = copy;
    c->nw = nw;
    c->word = word;
    return 0;
}

/* Reveals the commits of every uid made reveal_period or more intervals before the interval
** this epoch closes: epoch_index counts this epoch already, so a commit made during interval c
** is revealed when c + reveal_period < epoch_index. The newest such commit becomes the row. */
static void reveal(bt_subnet *sn, uint64_t epoch_index)
{
    for (uint32_t i = 0; i < sn->n; i++) {
        bt_neuron *nr = &sn->neurons[i];
        uint32_t due = 0;
        while (due < nr->nc && nr->c[due].interval + sn->cfg.reveal_period < epoch_index)
            due++;
        if (due == 0)
            continue;
        /* The newest due commit's buffer becomes the row as it is (no copy); the older ones go. */
        bt_commit *c = &nr->c[due - 1];
        free(nr->w);
        nr->w = c->w, nr->nw = nr->capw = c->nw, nr->word = c->word;
        bt_wrow_note(sn, i);
        for (uint32_t k = 0; k + 1 < due; k++)
            free(nr->c[k].w);
        memmove(nr->c, nr->c + due, (nr->nc - due) * sizeof *nr->c);
        nr->nc -= due;
    }
}

/* ---- epoch inputs --------------------------------------------------------------------------- */

/* old resized to `bytes`; on failure old itself, still valid (nothing leaks), and *bad set. */
static void *grown(void *old, size_t bytes, int *bad)
{
    void *q = realloc(old, bytes);
    if (!q) {
        *bad = 1;
        return old;
    }
    return q;
}

/* Makes the per-uid epoch arrays hold n uids (n + 1 for the row pointers); on failure some may
** have grown and cap_n stays, so the next call grows them all again. */
static int grow_n(bt_subnet *sn, size_t n)
{
    if (n <= sn->cap_n)
        return 0;
    int bad = 0;
#define G(p)  ((p) = grown((p), n * sizeof *(p), &bad))
#define G1(p) ((p) = grown((p), (n + 1) * sizeof *(p), &bad))
    G(sn->e_alpha), G(sn->e_tao), G(sn->e_lu), G(sn->e_bar), G(sn->e_em), G(sn->e_sem);
    G(sn->e_vem), G(sn->e_stake), G(sn->e_permit), G(sn->e_newpermit), G(sn->e_active);
    G(sn->e_cons), G(sn->e_inc), G(sn->e_div), G(sn->e_vt), G(sn->e_adiv), G(sn->e_rdiv);
    G(sn->e_apay), G(sn->e_rpay), G1(sn->e_wptr), G1(sn->e_bptr), G1(sn->e_obptr);
#undef G1
#undef G
    if (bad)
        return -1;
    sn->cap_n = n;
    return 0;
}

static int grow_pairs(tsr_yuma_pair **p, size_t *cap, size_t need)
{
    if (need <= *cap)
        return 0;
    size_t c = need + need / 2 + 16;
    tsr_yuma_pair *q = realloc(*p, c * sizeof *q);
    if (!q)
        return -1;
    *p = q, *cap = c;
    return 0;
}

/* bt_pair and tsr_yuma_pair are the same two u16 fields in the same order, so rows are copied
** between them as bytes, one memcpy per row instead of a load and store per pair. */
_Static_assert(sizeof(bt_pair) == sizeof(tsr_yuma_pair) &&
                   offsetof(bt_pair, uid) == offsetof(tsr_yuma_pair, uid) &&
                   offsetof(bt_pair, value) == offsetof(tsr_yuma_pair, value),
               "bt_pair and tsr_yuma_pair must share one layout");

/* The earliest pending commit block of a uid (u64::MAX without one). */
static uint64_t commit_block(const bt_neuron *nr)
{
    uint64_t b = UINT64_MAX;
    for (uint32_t k = 0; k < nr->nc; k++)
        if (nr->c[k].block < b)
            b = nr->c[k].block;
    return b;
}

/* Weights and bonds in CSR form; the commit-reveal mask drops (i, j) when uid i's earliest
** pending commit is older than j's registration (spec §2.6 step 5), read from e_bar (filled
** first: one compact array instead of a neuron record per pair). A row whose commit block is
** at or after every registration (or that has no pending commit) loses nothing to the mask and
** is copied whole. */
static int build_rows(bt_subnet *sn)
{
    size_t nw = 0, nb = 0;
    uint64_t last_bar = 0;
    for (uint32_t i = 0; i < sn->n; i++) {
        nw += sn->neurons[i].nw, nb += sn->neurons[i].nb;
        last_bar = sn->e_bar[i] > last_bar ? sn->e_bar[i] : last_bar;
    }
    if (grow_pairs(&sn->e_w, &sn->cap_w, nw) || grow_pairs(&sn->e_b, &sn->cap_b, nb) ||
        grow_pairs(&sn->e_ob, &sn->cap_ob, tsr_yuma_bonds_cap(sn->n, nw, nb)))
        return -1;
    size_t w = 0, b = 0;
    for (uint32_t i = 0; i < sn->n; i++) {
        const bt_neuron *nr = &sn->neurons[i];
        uint64_t cb = sn->cfg.commit_reveal ? commit_block(nr) : UINT64_MAX;
        sn->e_wptr[i] = w, sn->e_bptr[i] = b;
        if (cb == UINT64_MAX || cb >= last_bar) {
            if (nr->nw)
                memcpy(&sn->e_w[w], nr->w, (size_t)nr->nw * sizeof *nr->w);
            w += nr->nw;
        } else {
            for (uint32_t k = 0; k < nr->nw; k++) {
                uint16_t j = nr->w[k].uid;
                if (j < sn->n && cb < sn->e_bar[j])
                    continue;
                sn->e_w[w].uid = j, sn->e_w[w].value = nr->w[k].value;
                w++;
            }
        }
        if (nr->nb)
            memcpy(&sn->e_b[b], nr->b, (size_t)nr->nb * sizeof *nr->b);
        b += nr->nb;
    }
    sn->e_wptr[sn->n] = w, sn->e_bptr[sn->n] = b;
    return 0;
}

static int32_t owner_uid_of(const bt_model *m, const bt_subnet *sn)
{
    int32_t h = m->agents[sn->owner_agent].hotkey;
    if (h < 0 || sn->member_of[h] == BT_NONE)
        return -1;
    return sn->members[sn->member_of[h]].uid;
}

static int run_yuma(bt_model *m, bt_subnet *sn, const tsr_subnet *cs, uint64_t total,
                    uint64_t block)
{
    size_t n = sn->n;
    if (grow_n(sn, n ? n : 1) != 0)
        return bt_fail(m, "out of memory");
    /* Three passes, e_tao holding the member, then the hotkey, then the root stake: each pass's
    ** loads are independent of one another (uid -> member -> hotkey in one loop was three
    ** dependent cache misses per uid, one after the other). */
    for (size_t i = 0; i < n; i++) {
        const bt_neuron *nr = &sn->neurons[i];
        sn->e_tao[i] = (uint64_t)nr->member;
        sn->e_lu[i] = nr->last_update;
        sn->e_bar[i] = nr->bar;
        sn->e_permit[i] = nr->permit;
    }
    for (size_t i = 0; i < n; i++) {
        const bt_member *k = &sn->members[sn->e_tao[i]];
        sn->e_alpha[i] = k->alpha;
        sn->e_tao[i] = (uint64_t)k->hotkey;
    }
    for (size_t i = 0; i < n; i++)
        sn->e_tao[i] = m->hotkeys[sn->e_tao[i]].root_stake;
    if (build_rows(sn) != 0)
        return bt_fail(m, "out of memory");
    size_t nw = sn->e_wptr[n], nb = sn->e_bptr[n];
    size_t need = tsr_yuma_ws_size(n, nw, nb);
    if (need > m->ws_size) {
        free(m->ws);
        m->ws_size = need + need / 2;
        if (!(m->ws = malloc(m->ws_size))) {
            m->ws_size = 0;
            return bt_fail(m, "out of memory");
        }
    }
    int32_t ou = owner_uid_of(m, sn);
    sn->yp.owner_uid = ou >= 0 ? (uint32_t)ou : TSR_YUMA_NO_OWNER;
    tsr_yuma_state st = {n,
                         block,
                         cs->last_mechanism_step_block,
                         sn->e_alpha,
                         sn->e_tao,
                         m->chain.tao_weight,
                         sn->e_lu,
                         sn->e_bar,
                         sn->e_permit,
                         {sn->e_wptr, sn->e_w},
                         {sn->e_bptr, sn->e_b}};
    tsr_yuma_out out;
    memset(&out, 0, sizeof out);
    out.consensus = sn->e_cons, out.incentive = sn->e_inc, out.dividends = sn->e_div;
    out.validator_trust = sn->e_vt, out.validator_permit = sn->e_newpermit;
    out.active = sn->e_active, out.emission = sn->e_em, out.server_emission = sn->e_sem;
    out.validator_emission = sn->e_vem, out.stake = sn->e_stake;
    out.bonds_row_ptr = sn->e_obptr, out.bonds = sn->e_ob, out.bonds_cap = sn->cap_ob;
    int rc = tsr_yuma_epoch(&sn->yp, &st, total, &out, m->ws, m->ws_size);
    if (rc != TSR_OK)
        return bt_fail(m, "block %llu: subnet %u: the Yuma epoch failed: %s",
                       (unsigned long long)block, sn->netuid, tsr_strerror(rc));
    return 0;
}

/* Copies the epoch's stored terms and new bonds back into the uids. */
static int store_outputs(bt_model *m, bt_subnet *sn)
{
    for (uint32_t i = 0; i < sn->n; i++) {
        bt_neuron *nr = &sn->neurons[i];
        nr->emission = sn->e_em[i];
        nr->consensus = sn->e_cons[i], nr->incentive = sn->e_inc[i];
        nr->dividends = sn->e_div[i], nr->vtrust = sn->e_vt[i];
        nr->permit = sn->e_newpermit[i];
        size_t a = sn->e_obptr[i], z = sn->e_obptr[i + 1];
        uint32_t cnt = (uint32_t)(z - a);
        if (cnt > nr->capb) {
            bt_pair *p = realloc(nr->b, cnt * sizeof *p);
            if (!p)
                return bt_fail(m, "out of memory");
            nr->b = p, nr->capb = cnt;
        }
        if (cnt)
            memcpy(nr->b, &sn->e_ob[a], (size_t)cnt * sizeof *nr->b);
        nr->nb = cnt;
    }
    return 0;
}

/* ---- distribution (spec §3.7) --------------------------------------------------------------- */

static uint64_t epoch_balance(const bt_subnet *sn)
{
    return bt_balance(&sn->alpha, sn->a_epoch);
}

/* Pays up to `amount` from the epoch account to position p; returns what was paid. */
static int pay(bt_model *m, bt_subnet *sn, uint32_t p, uint64_t amount, uint64_t *paid)
{
    uint64_t have = epoch_balance(sn), x = amount < have ? amount : have;
    sn->st.em.capped += amount - x;
    *paid = x;
    return bt_stake_to(m, sn, sn->a_epoch, p, x);
}

static int32_t own_position(bt_model *m, bt_subnet *sn, uint32_t member)
{
    const bt_member *k = &sn->members[member];
    if (k->own_pos != BT_NONE)
        return k->own_pos;
    return bt_position_get(m, sn, m->hotkeys[k->hotkey].owner, member);
}

static int pay_owner_cut(bt_model *m, bt_subnet *sn, uint64_t amount)
{
    if (amount == 0)
        return 0;
    int32_t h = m->agents[sn->owner_agent].hotkey;
    int32_t k = bt_member_get(m, sn, h);
    int32_t p = k == BT_NONE ? BT_NONE : bt_position_get(m, sn, sn->owner_agent, (uint32_t)k);
    if (p == BT_NONE)
        return bt_fail(m, "out of memory");
    sn->st.em.paid_owner += amount;
    return bt_stake_to(m, sn, sn->a_owner, (uint32_t)p, amount);
}

/* Incentives as absolute amounts; the owner coldkey's hotkeys have theirs burned. */
static int pay_incentives(bt_model *m, bt_subnet *sn, tsr_subnet *cs, uint64_t *sum)
{
    uint64_t withheld = 0, total = 0;
    for (uint32_t i = 0; i < sn->n; i++) {
        uint64_t amt = sn->e_sem[i], paid;
        total += amt;
        if (amt == 0)
            continue;
        uint32_t k = (uint32_t)sn->neurons[i].member;
        uint32_t owner = sn->uid_agent[i]; /* its hotkey's owner, set at registration */
        if (owner == sn->owner_agent) {
            uint64_t have = epoch_balance(sn), x = amt < have ? amt : have;
            sn->st.em.capped += amt - x;
            if (tsr_ledger_transfer(&sn->alpha, sn->a_epoch, sn->a_burned, x) != TSR_OK)
                return bt_fail(m, "subnet %u: the alpha ledger refused a burn", sn->netuid);
            withheld += x;
            sn->st.em.burned_incentive += x;
            continue;
        }
        int32_t p = own_position(m, sn, k); /* the hotkey owner's own stake (cached) */
        if (p == BT_NONE || pay(m, sn, (uint32_t)p, amt, &paid) != 0)
            return p == BT_NONE ? bt_fail(m, "out of memory") : -1;
        sn->st.em.paid_miners += paid;
        m->earned[owner] += paid;
    }
    cs->miner_burned = tsr_miner_burned(withheld, total);
    *sum = total;
    return 0;
}

/* The nominators' part of an alpha dividend, pro rata to their positions on member k.
** Positions are never removed, so most of a long-lived member's hold nothing (a delegator that
** moved on leaves an empty one: about 39 of 42 on the era8 benchmark's validators). The split
** runs over the non-empty ones only, in their order, with the same result: an empty position's
** share is 0 and it never takes a leftover unit (the units left over are fewer than the
** positive remainders, tsr_split.h), and ties keep their relative order. Only positions whose
** live bit is set are read (a clear bit is an empty position, bt_position_credited); one found
** empty has its bit cleared. split_idx: which position each split entry is. */
static int pay_nominators(bt_model *m, bt_subnet *sn, uint32_t k, uint64_t amount)
{
    bt_member *mb = &sn->members[k];
    uint64_t have = epoch_balance(sn), x = amount < have ? amount : have, rest = 0;
    sn->st.em.capped += amount - x;
    if (x == 0)
        return 0;
    if (bt_split_reserve(m, sn, mb->npos ? mb->npos : 1) != 0)
        return -1;
    uint32_t held = 0; /* positions created below are not part of the split */
    for (uint32_t wd = 0; wd * 64 < mb->npos; wd++)
        for (uint64_t bits = mb->live[wd]; bits; bits &= bits - 1) {
            uint32_t i = wd * 64 + (uint32_t)__builtin_ctzll(bits);
            uint64_t bal = bt_balance(&sn->alpha, sn->pos[mb->pos[i]].acct);
            sn->split_w[held] = bal;
            sn->split_idx[held] = mb->pos[i];
            held += bal != 0;
            if (bal == 0)
                mb->live[wd] &= ~(UINT64_C(1) << (i % 64));
        }
    if (bt_split(m, sn, x, held, &rest) != 0)
        return -1;
    for (uint32_t i = 0; i < held; i++)
        if (bt_stake_to(m, sn, sn->a_epoch, sn->split_idx[i], sn->split_out[i]) != 0)
            return -1;
    if (rest) { /* no nominator holds stake: the hotkey's owner takes it */
        int32_t p = own_position(m, sn, k);
        if (p == BT_NONE || bt_stake_to(m, sn, sn->a_epoch, (uint32_t)p, rest) != 0)
            return p == BT_NONE ? bt_fail(m, "out of memory") : -1;
    }
    return 0;
}

/* One uid's alpha dividend: the hotkey take to its owner, the rest to its nominators.
** *take_paid and *nom_paid receive what was paid. */
static int pay_alpha_dividend(bt_model *m, bt_subnet *sn, uint32_t uid, tsr_u96f32 payout,
                              uint64_t *take_paid, uint64_t *nom_paid)
{
    uint32_t k = (uint32_t)sn->neurons[uid].member;
    const bt_hotkey *h = &m->hotkeys[sn->members[k].hotkey];
    uint64_t take, rest, before = sn->members[k].alpha;
    tsr_take_split(payout, tsr_u16_fraction(h->take), &take, &rest);
    int32_t p = own_position(m, sn, k);
    if (p == BT_NONE)
        return bt_fail(m, "out of memory");
    if (pay(m, sn, (uint32_t)p, take, take_paid) != 0)
        return -1;
    uint64_t have = epoch_balance(sn);
    *nom_paid = rest < have ? rest : have; /* pay_nominators caps the same way */
    if (pay_nominators(m, sn, k, rest) != 0)
        return -1;
    sn->members[k].dividends_acc += *take_paid + *nom_paid;
    if (before > 0)
        sn->members[k].yield_acc += (double)*nom_paid / (double)before;
    return 0;
}

static int pay_root_dividend(bt_model *m, bt_subnet *sn, uint32_t uid, tsr_u96f32 payout)
{
    uint32_t k = (uint32_t)sn->neurons[uid].member;
    uint32_t hk = (uint32_t)sn->members[k].hotkey;
    uint64_t take, rest, paid = 0;
    tsr_take_split(payout, tsr_u16_fraction(m->hotkeys[hk].take), &take, &rest);
    int32_t p = own_position(m, sn, k);
    if (p == BT_NONE)
        return bt_fail(m, "out of memory");
    if (pay(m, sn, (uint32_t)p, take, &paid) != 0)
        return -1;
    uint64_t have = epoch_balance(sn), x = rest < have ? rest : have;
    sn->st.em.capped += rest - x;
    sn->st.em.paid_root += paid + x;
    if (x == 0)
        return 0;
    if (x > m->hotkeys[hk].root_stake) /* the chain stakes it to the owner instead */
        return bt_stake_to(m, sn, sn->a_epoch, (uint32_t)p, x);
    return bt_root_claim(m, sn, sn->a_epoch, x, hk);
}

static int pay_dividends(bt_model *m, bt_subnet *sn, const tsr_drained *d, uint64_t inc_sum)
{
    uint32_t n = sn->n;
    uint64_t pool = tsr_validator_pool(d->validator, d->server, inc_sum);
    if (tsr_dividend_payouts(sn->e_adiv, n, pool, sn->e_apay) != TSR_OK ||
        tsr_dividend_payouts(sn->e_rdiv, n, d->root_alpha, sn->e_rpay) != TSR_OK)
        return bt_fail(m, "subnet %u: dividend payouts refused their input", sn->netuid);
    double div = 0.0, nom = 0.0, stake = 0.0;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t t = 0, r = 0;
        if (tsr_u96f32_to_u64(sn->e_apay[i]) == 0)
            continue;
        if (pay_alpha_dividend(m, sn, i, sn->e_apay[i], &t, &r) != 0)
            return -1;
        sn->st.em.paid_validators += t + r;
        div += (double)(t + r);
        nom += (double)r;
        stake += (double)sn->e_alpha[i];
    }
    for (uint32_t i = 0; i < n; i++)
        if (tsr_u96f32_to_u64(sn->e_rpay[i]) > 0 && pay_root_dividend(m, sn, i, sn->e_rpay[i]))
            return -1;
    if (stake > 0.0) {
        sn->st.div_per_stake += div / stake;
        sn->st.nom_yield += nom / stake;
    }
    return 0;
}

static int record_epoch(bt_model *m, bt_subnet *sn, uint64_t block)
{
    if (!m->cfg.epochs_every || !m->rec->vt->epoch || (sn->st.epochs - 1) % m->cfg.epochs_every)
        return 0;
    for (uint32_t i = 0; i < sn->n; i++) {
        recorder_epoch_row r = {
            sn->netuid,   (int64_t)block, i,           sn->e_stake[i],     sn->e_cons[i],
            sn->e_inc[i], sn->e_div[i],   sn->e_vt[i], sn->e_newpermit[i], sn->e_em[i]};
        if (m->rec->vt->epoch(m->rec->ctx, &r) != 0)
            return bt_fail(m, "recording an epoch failed");
    }
    return 0;
}

int bt_epoch(bt_model *m, bt_subnet *sn, tsr_subnet *cs, const tsr_drained *d, uint64_t block)
{
    uint64_t total = tsr_epoch_emission_total(d->server, d->validator, d->root_alpha);
    if (tsr_ledger_transfer(&sn->alpha, sn->a_server, sn->a_epoch, d->server) != TSR_OK ||
        tsr_ledger_transfer(&sn->alpha, sn->a_validator, sn->a_epoch, d->validator) != TSR_OK ||
        tsr_ledger_transfer(&sn->alpha, sn->a_root, sn->a_epoch, d->root_alpha) != TSR_OK)
        return bt_fail(m, "subnet %u: the alpha ledger refused to drain the pools", sn->netuid);
    reveal(sn, cs->epoch_index);
    if (run_yuma(m, sn, cs, total, block) != 0 || store_outputs(m, sn) != 0)
        return -1;
    sn->st.epochs++;
    sn->st.period_epochs++;
    /* Dividends split into alpha and root parts from the stakes the epoch saw. */
    tsr_u96f32 tw = tsr_u64_fraction(m->chain.tao_weight);
    for (uint32_t i = 0; i < sn->n; i++)
        tsr_dividend_root_split(tsr_u96f32_from_u64(sn->e_vem[i]), sn->e_alpha[i], sn->e_tao[i], tw,
                                &sn->e_adiv[i], &sn->e_rdiv[i]);
    uint64_t inc_sum = 0;
    if (pay_owner_cut(m, sn, d->owner_cut) != 0 || pay_incentives(m, sn, cs, &inc_sum) != 0 ||
        pay_dividends(m, sn, d, inc_sum) != 0)
        return -1;
    uint64_t left = epoch_balance(sn);
    if (left && tsr_ledger_transfer(&sn->alpha, sn->a_epoch, sn->a_unowned, left) != TSR_OK)
        return bt_fail(m, "subnet %u: the alpha ledger refused the epoch remainder", sn->netuid);
    sn->st.em.undistributed += left;
    return record_epoch(m, sn, block);
}

void bt_epoch_free(bt_subnet *sn)
{
    void *ps[] = {sn->e_alpha,  sn->e_tao,     sn->e_lu,          sn->e_bar,    sn->e_em,
                  sn->e_sem,    sn->e_vem,     sn->e_stake,       sn->e_permit, sn->e_newpermit,
                  sn->e_active, sn->e_cons,    sn->e_inc,         sn->e_div,    sn->e_vt,
                  sn->e_wptr,   sn->e_bptr,    sn->e_obptr,       sn->e_w,      sn->e_b,
                  sn->e_ob,     sn->e_adiv,    sn->e_rdiv,        sn->e_apay,   sn->e_rpay,
                  sn->split_w,  sn->split_out, sn->split_scratch, sn->split_idx};
    for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++)
        free(ps[i]);
}
