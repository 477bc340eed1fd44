/*
** ag_world.c: model "aigen" — the world (ledger layout, genesis), the epoch and sample events,
** and the settlement of one epoch through the reward core (see ag_model.h).
**
** Settlement order (ag_model_settle): consumers pay into the escrow; tsr_aigen_epoch computes
** the pools; the escrow pays the platform, the developers, the validators (wallet or stake),
** burns the fee burn and burns (or sends to the treasury) the unearned units; it must then be
** empty. Slashed stake moves stake -> escrow -> coherent validators' stakes, the unclaimed rest
** to the treasury. Conservation (Σ balances + burned = genesis + minted) is checked every epoch.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ag_int.h"

int ag__fail(ag_model *m, uint64_t epoch, const char *what)
{
    snprintf(m->err, m->errlen, "aigen: epoch %llu: %s", (unsigned long long)epoch, what);
    return -1;
}

int ag__ledger_row(ag_model *m, uint64_t epoch, const char *kind, int64_t src, int64_t dst,
                   uint64_t amount, const char *reason)
{
    if (amount == 0)
        return 0;
    int64_t t = (int64_t)(epoch * m->cfg.epoch_seconds);
    return m->rec->vt->ledger(m->rec->ctx, m->ledger_seq++, t, kind, src, dst, amount, reason);
}

/* The EIP-1559 base fee (spec mechanisms §5.2, tsr_basefee.h) of consumer k's n calls: each pays
** base_fee on top of its model's price, and that part is burned from the consumer's wallet. */
static int burn_base_fee(ag_model *m, uint64_t epoch, uint32_t k, uint64_t n, uint64_t *burned)
{
    uint64_t tip = 0, all = 0;
    *burned = 0;
    if (m->base_fee == 0 || n == 0)
        return 0;
    if (tsr_basefee_pay(n, m->base_fee, m->base_fee, 0, burned, &tip, &all) != TSR_OK ||
        tsr_ledger_burn(&m->ledger, ag__acc(m, AG_ACC_CONSUMER, k), *burned) != TSR_OK)
        return ag__fail(m, epoch, "a consumer cannot pay the base fee");
    return 0;
}

/* The next epoch's base fee from this epoch's calls against the target. */
static int update_base_fee(ag_model *m, uint64_t epoch, uint64_t ncalls, uint64_t burned)
{
    m->win.burn_base += burned;
    if (m->cfg.call_target == 0)
        return 0;
    /* from the consumers (the fee row's source), like their payments */
    if (ag__ledger_row(m, epoch, "burn", ag__val_id(m, m->nval) + 1, -1, burned, "base_fee") != 0 ||
        tsr_basefee_next(m->base_fee, ncalls, m->cfg.call_target, TSR_BASEFEE_DENOMINATOR,
                         &m->base_fee) != TSR_OK)
        return ag__fail(m, epoch, "recording the base fee failed");
    return 0;
}

/* Consumers' payments into the escrow (and their base fees, burned); spend per controller into
** m->spend. */
static int collect_fees(ag_model *m, uint64_t epoch, const uint64_t *calls)
{
    const uint32_t C = m->cfg.controllers, K = m->cfg.consumers;
    size_t escrow = ag__acc(m, AG_ACC_ESCROW, 0);
    memset(m->spend, 0, C * sizeof *m->spend);
    uint64_t total = 0, ncalls = 0, base_burned = 0;
    for (uint32_t k = 0; k < K; k++) {
        uint64_t pay = 0, before = ncalls, burned = 0;
        for (uint32_t c = 0; c < C; c++) {
            uint64_t n = calls[(size_t)k * C + c], a;
            if (n == 0)
                continue;
            if (tsr_muldiv_floor(n, m->price[c], 1, &a) != TSR_OK || pay + a < pay ||
                m->spend[c] + a < m->spend[c])
                return ag__fail(m, epoch, "spend overflows 64 bits");
            pay += a, m->spend[c] += a, ncalls += n;
        }
        if (pay && tsr_ledger_transfer(&m->ledger, ag__acc(m, AG_ACC_CONSUMER, k), escrow, pay))
            return ag__fail(m, epoch, "a consumer cannot pay for its calls");
        if (burn_base_fee(m, epoch, k, ncalls - before, &burned) != 0)
            return -1;
        total += pay, base_burned += burned;
    }
    m->win.calls += ncalls;
    if (ag__ledger_row(m, epoch, "fee", ag__val_id(m, m->nval) + 1, 0, total, "calls") != 0)
        return ag__fail(m, epoch, "recording the fees failed");
    return update_base_fee(m, epoch, ncalls, base_burned);
}

/* The escrow's payouts of one settled epoch. */
static int pay_out(ag_model *m, uint64_t epoch, const tsr_aigen_totals *t)
{
    const uint32_t C = m->cfg.controllers, V = m->nval;
    tsr_ledger *L = &m->ledger;
    size_t escrow = ag__acc(m, AG_ACC_ESCROW, 0);
    if (tsr_ledger_transfer(L, escrow, ag__acc(m, AG_ACC_PLATFORM, 0), t->platform) ||
        ag__ledger_row(m, epoch, "fee", 0, 0, t->platform, "platform_share"))
        return ag__fail(m, epoch, "platform share refused");
    for (uint32_t c = 0; c < C; c++) {
        uint64_t r = m->out.dev_revenue[c];
        if (tsr_ledger_transfer(L, escrow, ag__acc(m, AG_ACC_DEVELOPER, c), r) ||
            ag__ledger_row(m, epoch, "transfer", 0, ag__ctrl_id(c), r, "dev_revenue"))
            return ag__fail(m, epoch, "developer revenue refused");
    }
    for (uint32_t v = 0; v < V; v++) {
        uint64_t r = m->out.val_reward[v];
        ag_account to = m->cfg.compound ? AG_ACC_STAKE : AG_ACC_VWALLET;
        if (tsr_ledger_transfer(L, escrow, ag__acc(m, to, v), r) ||
            ag__ledger_row(m, epoch, "reward", 0, ag__val_id(m, v), r, "validator_accuracy"))
            return ag__fail(m, epoch, "validator reward refused");
    }
    if (tsr_ledger_burn(L, escrow, t->burn) ||
        ag__ledger_row(m, epoch, "burn", 0, -1, t->burn, "fee_burn"))
        return ag__fail(m, epoch, "fee burn refused");
    int treas = m->cfg.unearned_treasury;
    if ((treas ? tsr_ledger_transfer(L, escrow, ag__acc(m, AG_ACC_TREASURY, 0), t->unearned)
               : tsr_ledger_burn(L, escrow, t->unearned)) ||
        ag__ledger_row(m, epoch, treas ? "transfer" : "burn", 0, treas ? ag__val_id(m, V) : -1,
                       t->unearned, "unearned"))
        return ag__fail(m, epoch, "unearned units refused");
    if (L->balance[escrow] != 0)
        return ag__fail(m, epoch, "escrow not empty after the payouts");
    return 0;
}

/* Coherence slashing: stake -> escrow -> coherent stakes, unclaimed to the treasury. */
static int move_slashes(ag_model *m, uint64_t epoch, const tsr_aigen_totals *t)
{
    if (t->slashed == 0)
        return 0;
    tsr_ledger *L = &m->ledger;
    size_t escrow = ag__acc(m, AG_ACC_ESCROW, 0);
    for (uint32_t v = 0; v < m->nval; v++)
        if (tsr_ledger_transfer(L, ag__acc(m, AG_ACC_STAKE, v), escrow, m->out.slashed[v]) ||
            ag__ledger_row(m, epoch, "forfeit", ag__val_id(m, v), 0, m->out.slashed[v],
                           "coherence_slash"))
            return ag__fail(m, epoch, "slash refused");
    for (uint32_t v = 0; v < m->nval; v++)
        if (tsr_ledger_transfer(L, escrow, ag__acc(m, AG_ACC_STAKE, v), m->out.slash_reward[v]) ||
            ag__ledger_row(m, epoch, "stake", 0, ag__val_id(m, v), m->out.slash_reward[v],
                           "slash_share"))
            return ag__fail(m, epoch, "slash share refused");
    if (tsr_ledger_transfer(L, escrow, ag__acc(m, AG_ACC_TREASURY, 0), t->slash_unclaimed) ||
        L->balance[escrow] != 0)
        return ag__fail(m, epoch, "unclaimed forfeits refused");
    return ag__ledger_row(m, epoch, "transfer", 0, ag__val_id(m, m->nval), t->slash_unclaimed,
                          "slash_unclaimed");
}

/* Windows, the coalition's payoff, the attacks' terms and the published consensus after one
** epoch. 0, or -1 when recording an attack switch failed. */
static int account_epoch(ag_model *m, uint64_t epoch, const tsr_aigen_totals *t)
{
    const uint32_t C = m->cfg.controllers, R = m->cfg.reveal_delay + 1;
    ag_window *w = &m->win;
    w->spend += t->spend, w->platform += t->platform, w->dev_paid += t->dev_paid;
    w->val_paid += t->val_paid, w->burn_fee += t->burn, w->slashed += t->slashed;
    if (m->cfg.unearned_treasury)
        w->unearned_treasury += t->unearned;
    else
        w->burn_unearned += t->unearned;
    w->epochs++;
    for (uint32_t c = 0; c < C; c++) {
        m->dev_win[c] += m->out.dev_revenue[c], m->use_win[c] += m->spend[c];
        m->score[c] = m->out.score[c];
        m->pub[(epoch % R) * C + c] = m->out.score[c];
        if (c < m->cfg.coalition_controllers)
            m->coalition_payoff += m->out.dev_revenue[c];
    }
    for (uint32_t v = 0; v < m->nval; v++) {
        m->val_win[v] += m->out.val_reward[v], m->err_last[v] = m->out.error[v];
        w->slashed_by[m->strategy[v]] += m->out.slashed[v];
        w->slash_got_by[m->strategy[v]] += m->out.slash_reward[v];
        if (m->strategy[v] == AG_COALITION)
            m->coalition_payoff += m->out.val_reward[v] + m->out.slash_reward[v];
    }
    /* the base counts everything the coalition could have received: payouts and forfeits */
    m->coalition_paid_base += t->dev_paid + t->val_paid + (t->slashed - t->slash_unclaimed);
    m->last_spend = t->spend;
    m->settled++;
    return ag__attack_epoch(m, epoch, t);
}

int ag_model_settle(ag_model *m, uint64_t epoch, const uint64_t *calls, const uint32_t *scores,
                    const int64_t *audit, tsr_aigen_totals *tot)
{
    tsr_aigen_totals t;
    if (collect_fees(m, epoch, calls) != 0)
        return -1;
    for (uint32_t v = 0; v < m->nval; v++)
        m->stake[v] = m->ledger.balance[ag__acc(m, AG_ACC_STAKE, v)];
    int rc = tsr_aigen_epoch(&m->cfg.settle, m->nval, m->cfg.controllers, m->spend, m->stake,
                             scores, audit, m->ws, m->ws_size, &m->out, &t);
    if (rc != TSR_OK)
        return ag__fail(m, epoch, "the reward core refused the epoch");
    if (pay_out(m, epoch, &t) != 0 || move_slashes(m, epoch, &t) != 0)
        return -1;
    if (tsr_ledger_check(&m->ledger) != TSR_OK)
        return ag__fail(m, epoch, "ledger conservation violated");
    if (account_epoch(m, epoch, &t) != 0)
        return ag__fail(m, epoch, "recording an attack switch failed");
    if (ag__sybil_epoch(m, scores, audit) != 0)
        return ag__fail(m, epoch, "the reward core refused the Sybil counterfactual");
    if (tot)
        *tot = t;
    return 0;
}

static int on_epoch(sim *s, const eq_event *ev, void *ctx)
{
    ag_model *m = ctx;
    uint64_t epoch = ev->tick;
    /* developers act first, on last epoch's revenue, so that the quality consumers experience,
    ** validators score and the sample records is one and the same this epoch */
    if ((m->settled > 0 && ag__developers_invest(m, epoch) != 0) ||
        ag__consumers_decide(m, epoch) != 0)
        return -1;
    ag__validators_score(m, epoch);
    const int64_t *audit = m->cfg.audit > 0 ? m->audit : NULL;
    if (ag_model_settle(m, epoch, m->calls, m->scores, audit, NULL) != 0)
        return -1;
    if (epoch < m->cfg.epochs)
        return sim_at(s, epoch + 1, AG_PH_EPOCH, AG_EV_EPOCH, 0, 0, NULL);
    return 0;
}

static int on_sample(sim *s, const eq_event *ev, void *ctx)
{
    ag_model *m = ctx;
    uint64_t epoch = ev->tick;
    if (tsr_ledger_check(&m->ledger) != TSR_OK)
        return ag__fail(m, epoch, "ledger conservation violated");
    if (ag__sample(m, epoch) != 0)
        return ag__fail(m, epoch, "recording a sample failed");
    if (epoch >= m->cfg.epochs)
        return 0;
    uint64_t next = epoch + m->cfg.record_every;
    return sim_at(s, next < m->cfg.epochs ? next : m->cfg.epochs, AG_PH_SAMPLE, AG_EV_SAMPLE, 0, 0,
                  NULL);
}

/* calloc that never asks for 0 bytes: calloc(0, ...) may return NULL, which would read as out
** of memory for an empty population. */
static void *zcalloc(size_t n, size_t size)
{
    return calloc(n ? n : 1, size);
}

static int alloc_world(ag_model *m)
{
    const size_t C = m->cfg.controllers, K = m->cfg.consumers, V = m->nval;
    const size_t R = (size_t)m->cfg.reveal_delay + 1;
    m->strategy = zcalloc(V, sizeof *m->strategy);
    m->price = zcalloc(C, sizeof *m->price);
    m->base_fee = m->cfg.call_target ? m->cfg.base_fee : 0;
    m->quality = zcalloc(C, sizeof *m->quality);
    m->score = zcalloc(C, sizeof *m->score);
    m->pub = zcalloc(R * C, sizeof *m->pub);
    m->spend = zcalloc(C, sizeof *m->spend);
    m->calls = zcalloc(K * C, sizeof *m->calls);
    m->scores = zcalloc(V * C, sizeof *m->scores);
    m->audit = zcalloc(C, sizeof *m->audit);
    m->stake = zcalloc(V, sizeof *m->stake);
    m->share = zcalloc(C, sizeof *m->share);
    m->draw = zcalloc(C, sizeof *m->draw);
    m->out_buf = zcalloc(2 * C + 4 * V, sizeof *m->out_buf);
    m->dev_win = zcalloc(C, sizeof *m->dev_win);
    m->use_win = zcalloc(C, sizeof *m->use_win);
    m->val_win = zcalloc(V, sizeof *m->val_win);
    m->err_last = zcalloc(V, sizeof *m->err_last);
    m->ratios = zcalloc(V, sizeof *m->ratios);
    m->ws_size = tsr_aigen_workspace_size(V, C);
    m->ws = malloc(m->ws_size ? m->ws_size : 1);
    m->ev = rng_event_new();
    if (!m->strategy || !m->price || !m->quality || !m->score || !m->pub || !m->spend ||
        !m->calls || !m->scores || !m->audit || !m->stake || !m->share || !m->draw || !m->out_buf ||
        !m->dev_win || !m->use_win || !m->val_win || !m->err_last || !m->ratios || !m->ws || !m->ev)
        return -1;
    uint64_t *b = m->out_buf;
    m->out =
        (tsr_aigen_out){b, b + C, b + 2 * C, b + 2 * C + V, b + 2 * C + 2 * V, b + 2 * C + 3 * V};
    return 0;
}

/* Opens the accounts in ag_account order with the genesis wallets and stakes. 0; 2 when the
** genesis total overflows 64 bits (bad input); -1 out of memory. */
static int open_accounts(ag_model *m, const uint64_t *stakes)
{
    const uint32_t n[7] = {1, 1, 1, m->cfg.consumers, m->cfg.controllers, m->nval, m->nval};
    if (tsr_ledger_init_alloc(&m->ledger, NULL, NULL, 3 + n[3] + n[4] + 2 * (size_t)m->nval))
        return -1;
    for (int kind = 0; kind < 7; kind++) {
        m->acc[kind] = m->ledger.n;
        for (uint32_t i = 0; i < n[kind]; i++) {
            uint64_t g = kind == AG_ACC_CONSUMER ? m->cfg.wallet
                         : kind == AG_ACC_STAKE  ? stakes[i]
                                                 : 0;
            int rc = tsr_ledger_open(&m->ledger, g, NULL);
            if (rc != TSR_OK)
                return rc == TSR_EOVERFLOW ? 2 : -1;
        }
    }
    return 0;
}

static int genesis_rows(ag_model *m)
{
    uint64_t w = 0;
    int64_t consumers = ag__val_id(m, m->nval) + 1;
    if (tsr_muldiv_floor(m->cfg.wallet, m->cfg.consumers, 1, &w) != TSR_OK)
        return -1;
    if (ag__ledger_row(m, 0, "mint", 0, consumers, w, "genesis_wallets"))
        return -1;
    for (uint32_t v = 0; v < m->nval; v++)
        if (ag__ledger_row(m, 0, "mint", 0, ag__val_id(m, v),
                           m->ledger.balance[ag__acc(m, AG_ACC_STAKE, v)], "genesis_stake"))
            return -1;
    return 0;
}

static int schedule_first(ag_model *m, sim *s)
{
    uint64_t first = m->cfg.record_every < m->cfg.epochs ? m->cfg.record_every : m->cfg.epochs;
    return sim_on(s, AG_EV_EPOCH, on_epoch, m) || sim_on(s, AG_EV_SAMPLE, on_sample, m) ||
           sim_at(s, 1, AG_PH_EPOCH, AG_EV_EPOCH, 0, 0, NULL) ||
           sim_at(s, first, AG_PH_SAMPLE, AG_EV_SAMPLE, 0, 0, NULL);
}

/* The world on s. 0; 2 for a genesis that cannot exist (bad input); -1 otherwise. */
static int build(ag_model *m, sim *s)
{
    uint64_t *stakes = calloc(m->nval ? m->nval : 1, sizeof *stakes);
    int rc = -1;
    if (!stakes || alloc_world(m) != 0) {
        snprintf(m->err, m->errlen, "aigen: out of memory");
    } else if (ag__genesis_draws(m, stakes) == 0) {
        rc = open_accounts(m, stakes);
        if (rc == 2)
            snprintf(m->err, m->errlen,
                     "aigen: consumers * aigen.wallet plus the validator "
                     "stakes overflow 64 bits of base units");
        else if (rc != 0)
            snprintf(m->err, m->errlen, "aigen: out of memory");
        else if ((rc = ag__declare_entities(m) || genesis_rows(m) ? -1 : 0) != 0)
            snprintf(m->err, m->errlen, "aigen: recording the genesis failed");
        else if ((rc = schedule_first(m, s) ? -1 : 0) != 0)
            snprintf(m->err, m->errlen, "aigen: cannot schedule the first events");
    }
    free(stakes);
    return rc;
}

static int config_ok(const ag_config *c, char *err, size_t errlen)
{
    uint64_t nval = (uint64_t)c->honest + c->lazy + c->copiers + c->coalition;
    const char *why = NULL;
    if (c->controllers == 0 || c->models == 0 || c->consumers == 0)
        why = "controllers, models and consumers must be positive";
    else if (nval == 0 || nval > 1000000)
        why = "between 1 and 10^6 validators are needed";
    else if (c->epochs == 0 || c->record_every == 0 || c->price == 0)
        why = "epochs, record_every and price must be positive";
    else if (c->coalition_controllers > c->controllers)
        why = "coalition_controllers exceeds controllers";
    else if ((c->coalition_stop && c->coalition_stop <= c->coalition_start) ||
             (c->copier_stop && c->copier_stop <= c->copier_start))
        why = "an attack window's stop must be after its start (or 0 for never)";
    else if ((uint64_t)c->consumers * c->controllers > 200000000u)
        why = "consumers * controllers above 2e8 (memory of the call matrix)";
    if (why)
        snprintf(err, errlen, "aigen: %s", why);
    return why == NULL;
}

int ag_model_new(const ag_config *cfg, sim *s, const recorder *rec, ag_model **out, char *err,
                 size_t errlen)
{
    *out = NULL;
    if (!config_ok(cfg, err, errlen))
        return 2;
    ag_model *m = calloc(1, sizeof *m);
    if (!m) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    m->cfg = *cfg, m->rec = rec, m->err = err, m->errlen = errlen;
    m->nval = cfg->honest + cfg->lazy + cfg->copiers + cfg->coalition;
    for (int k = 0; k < 2; k++)
        m->atk[k].kappa_any = m->atk[k].kappa_win = -1;
    int rc = build(m, s);
    if (rc == 0 && cfg->sybil_k >= 2 &&
        !(m->sybil = ag__sybil_new(m->nval, cfg->controllers, cfg->sybil_k))) {
        snprintf(err, errlen, "out of memory");
        rc = -1;
    }
    if (rc != 0) {
        ag_model_free(m);
        return rc == 2 ? 2 : -1; /* 2: a configuration whose genesis cannot exist */
    }
    *out = m;
    return 0;
}

int ag_model_finish(ag_model *m, char *err, size_t errlen)
{
    if (tsr_ledger_check(&m->ledger) != TSR_OK ||
        m->ledger.balance[ag__acc(m, AG_ACC_ESCROW, 0)] != 0) {
        snprintf(err, errlen, "aigen: ledger conservation violated at the end");
        return -1;
    }
    return 0;
}

void ag_model_free(ag_model *m)
{
    if (!m)
        return;
    tsr_ledger_clear(&m->ledger);
    free(m->strategy), free(m->price), free(m->quality), free(m->score), free(m->pub);
    free(m->spend), free(m->calls), free(m->scores), free(m->audit), free(m->stake);
    free(m->share), free(m->draw), free(m->out_buf), free(m->dev_win), free(m->use_win);
    free(m->val_win), free(m->err_last), free(m->ratios), free(m->ws);
    ag__sybil_free(m->sybil);
    gsl_rng_free(m->ev);
    free(m);
}

uint64_t ag_model_balance(const ag_model *m, ag_account kind, uint32_t index)
{
    const uint32_t n[7] = {1, 1, 1, m->cfg.consumers, m->cfg.controllers, m->nval, m->nval};
    if ((unsigned)kind > AG_ACC_VWALLET || index >= n[kind])
        return UINT64_MAX;
    return m->ledger.balance[ag__acc(m, kind, index)];
}

uint64_t ag_model_price(const ag_model *m, uint32_t c)
{
    return c < m->cfg.controllers ? m->price[c] : 0;
}

int ag_model_set_price(ag_model *m, uint32_t c, uint64_t price)
{
    if (c >= m->cfg.controllers || price == 0)
        return -1;
    m->price[c] = price;
    return 0;
}

int ag_model_set_quality(ag_model *m, uint32_t c, double q)
{
    if (c >= m->cfg.controllers || !(q >= 0.0 && q <= 1.0))
        return -1;
    m->quality[c] = q;
    return 0;
}

uint64_t ag_model_spend(const ag_model *m, uint32_t c)
{
    return c < m->cfg.controllers ? m->spend[c] : 0;
}

uint64_t ag_model_error(const ag_model *m, uint32_t v)
{
    return v < m->nval ? m->err_last[v] : 0;
}

uint32_t ag_model_validator_score(const ag_model *m, uint32_t v, uint32_t c)
{
    if (v >= m->nval || c >= m->cfg.controllers)
        return UINT32_MAX;
    return m->scores[(size_t)v * m->cfg.controllers + c];
}

double ag_model_quality(const ag_model *m, uint32_t c)
{
    return c < m->cfg.controllers ? m->quality[c] : 0.0;
}

uint64_t ag_model_score(const ag_model *m, uint32_t c)
{
    return c < m->cfg.controllers ? m->score[c] : 0;
}

int ag_model_attack_active(const ag_model *m, ag_attack k, uint64_t epoch)
{
    const ag_config *c = &m->cfg;
    uint32_t n = k == AG_ATK_CABAL ? c->coalition : c->copiers;
    uint64_t start = k == AG_ATK_CABAL ? c->coalition_start : c->copier_start;
    uint64_t stop = k == AG_ATK_CABAL ? c->coalition_stop : c->copier_stop;
    return n > 0 && epoch >= start && (stop == 0 || epoch < stop);
}

uint32_t ag_model_validators(const ag_model *m)
{
    return m->nval;
}

uint64_t ag_model_supply(const ag_model *m)
{
    return m->ledger.genesis + m->ledger.minted - m->ledger.burned;
}

uint64_t ag_model_burned(const ag_model *m)
{
    return m->ledger.burned;
}

uint64_t ag_model_base_fee(const ag_model *m)
{
    return m->base_fee;
}
