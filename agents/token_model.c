/*
** token_model.c: the token model's world — genesis, per-block emission, daily staker decisions,
** sampling. See token_model.h for the events and metrics.
**
** Ledger layout: accounts [0, n) are the stakers' stake, [n, 2n) their free balances, so the
** stake balances are one contiguous array that the pro-rata split reads directly.
** Invariant (checked at every sample): Σ balances + burned == genesis + minted, and
** issued == genesis + minted.
*/
#include "token_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "tsr.h"

enum { EV_BLOCK = 0, EV_DAY = 1, EV_SAMPLE = 2 };
enum { PH_BLOCK = 0, PH_DAY = 1, PH_SAMPLE = 9 };
enum { NETWORK = 0 };

struct token_model {
    token_model_config cfg;   /* copy of the configuration */
    const recorder *rec;      /* metrics sink */
    tsr_ledger ledger;        /* every balance of the model */
    tsr_halving_schedule btc; /* bitcoin schedule parameters */
    tsr_issuance_params iss;  /* issuance schedule parameters */
    tsr_split_item *scratch;  /* scratch for the pro-rata split */
    gsl_rng *day_rng;         /* re-keyed per (staker, day) */
    uint64_t *share;          /* scratch: one block's reward per staker */
    uint64_t *pending;        /* rewards per staker since the last sample (ledger aggregation) */
    uint64_t issued;          /* genesis + minted, base units */
    uint64_t last_reward;     /* block reward of the previous block */
    uint64_t halvings;        /* block-reward decreases seen so far */
    uint64_t blocks_per_year; /* for the inflation metric */
    int64_t ledger_seq;       /* sequence number of the next ledger row */
    char *err;                /* where handlers put an error message */
    size_t errlen;            /* its size */
};

static int64_t t_of(const token_model *m, uint64_t block)
{
    return (int64_t)(block * m->cfg.block_seconds);
}

/* The schedule's reward for `block`, before the supply cap. */
static uint64_t scheduled_reward(const token_model *m, uint64_t block)
{
    if (m->cfg.schedule == TOKEN_SCHEDULE_BITCOIN)
        return tsr_halving_subsidy(&m->btc, block);
    uint64_t e = 0;
    if (tsr_block_emission_for_issuance(&m->iss, m->issued, &e) != TSR_OK)
        return 0;
    return e;
}

static int fail(token_model *m, const char *what, uint64_t block)
{
    snprintf(m->err, m->errlen, "block %llu: %s", (unsigned long long)block, what);
    return -1;
}

static int record_i(token_model *m, uint64_t block, const char *metric, int64_t id, int64_t v)
{
    return m->rec->vt->series_i64(m->rec->ctx, t_of(m, block), (int64_t)block, metric, id, v);
}

static int ledger_row(token_model *m, uint64_t block, const char *kind, int64_t src, int64_t dst,
                      uint64_t amount, const char *reason)
{
    return m->rec->vt->ledger(m->rec->ctx, m->ledger_seq++, t_of(m, block), kind, src, dst, amount,
                              reason);
}

/* Every balance against genesis + minted - burned (tsr_ledger_check), and the model's issuance
** against the ledger's: after every settlement (DESIGN.md), so a violation names its block. */
static int check_conservation(token_model *m, uint64_t block)
{
    if (tsr_ledger_check(&m->ledger) != TSR_OK)
        return fail(m, "ledger conservation violated", block);
    if (m->ledger.genesis + m->ledger.minted != m->issued)
        return fail(m, "issuance does not match the ledger", block);
    return 0;
}

/* Splits one block's reward among the stakers by stake and mints it. */
static int settle_block(token_model *m, uint64_t block, uint64_t reward)
{
    size_t n = m->cfg.stakers;
    const uint64_t *stake = m->ledger.balance; /* accounts [0, n) */
    uint64_t rest = 0;
    if (tsr_split_pro_rata(reward, stake, n, m->share, m->scratch, &rest) != TSR_OK)
        return fail(m, "pro-rata split refused its input", block);
    uint64_t minted = reward - rest; /* rest > 0 only when no one has stake: nothing is minted */
    for (size_t i = 0; i < n; i++) {
        if (m->share[i] == 0)
            continue;
        size_t acct = m->cfg.compound ? i : n + i;
        if (tsr_ledger_mint(&m->ledger, acct, m->share[i]) != TSR_OK)
            return fail(m, "ledger refused a block reward mint", block);
        m->pending[i] += m->share[i];
    }
    m->issued += minted;
    return 0;
}

static int on_block(sim *s, const eq_event *ev, void *ctx)
{
    token_model *m = ctx;
    uint64_t block = ev->tick;
    uint64_t reward = scheduled_reward(m, block);
    if (m->cfg.schedule == TOKEN_SCHEDULE_ISSUANCE) {
        uint64_t cap = tsr_mint_cap(&m->iss, m->issued); /* spec bittensor §3.1 */
        if (reward > cap)
            reward = cap;
    }
    if (reward < m->last_reward) {
        m->halvings++;
        if (record_i(m, block, "halving", NETWORK, (int64_t)reward) != 0)
            return fail(m, "recording a halving failed", block);
    }
    m->last_reward = reward;
    if (reward > 0 && (settle_block(m, block, reward) != 0 || check_conservation(m, block) != 0))
        return -1;
    if (block < m->cfg.blocks)
        return sim_at(s, block + 1, PH_BLOCK, EV_BLOCK, NETWORK, 0, NULL);
    return 0;
}

/* First block at or after the start of simulated day `day`. */
static uint64_t day_block(const token_model *m, uint64_t day)
{
    uint64_t secs = day * 86400u;
    return (secs + m->cfg.block_seconds - 1) / m->cfg.block_seconds;
}

static int on_day(sim *s, const eq_event *ev, void *ctx)
{
    token_model *m = ctx;
    uint64_t day = ev->data, n = m->cfg.stakers;
    for (uint64_t i = 0; i < n; i++) {
        rng_key k = {.seed = m->cfg.seed,
                     .run_index = m->cfg.run_index,
                     .purpose = RNG_PURPOSE_DECISION,
                     .entity = i + 1};
        rng_event_reset(m->day_rng, &k, day);
        uint64_t stake = m->ledger.balance[i];
        uint64_t amt = staker_unstake_today(&m->cfg.staker, m->day_rng, stake);
        if (amt == 0)
            continue;
        if (tsr_ledger_transfer(&m->ledger, i, n + i, amt) != TSR_OK)
            return fail(m, "ledger refused an unstake", ev->tick);
        if (ledger_row(m, ev->tick, "unstake", (int64_t)(i + 1), (int64_t)(i + 1), amt,
                       "daily_decision") != 0)
            return fail(m, "recording an unstake failed", ev->tick);
    }
    if (check_conservation(m, ev->tick) != 0)
        return -1;
    uint64_t next = day_block(m, day + 1);
    if (next <= m->cfg.blocks)
        return sim_at(s, next, PH_DAY, EV_DAY, NETWORK, day + 1, NULL);
    return 0;
}

static int sample_network(token_model *m, uint64_t block)
{
    double infl =
        m->issued ? (double)m->last_reward * (double)m->blocks_per_year / (double)m->issued : 0.0;
    if (record_i(m, block, "supply", NETWORK, (int64_t)m->issued) != 0 ||
        record_i(m, block, "block_reward", NETWORK, (int64_t)m->last_reward) != 0 ||
        record_i(m, block, "halvings", NETWORK, (int64_t)m->halvings) != 0)
        return -1;
    return m->rec->vt->series_f64(m->rec->ctx, t_of(m, block), (int64_t)block, "inflation_annual",
                                  NETWORK, infl);
}

static int sample_stakers(token_model *m, uint64_t block)
{
    size_t n = m->cfg.stakers;
    for (size_t i = 0; i < n; i++) {
        int64_t id = (int64_t)i + 1;
        uint64_t st = m->ledger.balance[i], fr = m->ledger.balance[n + i];
        if (record_i(m, block, "stake", id, (int64_t)st) != 0 ||
            record_i(m, block, "free", id, (int64_t)fr) != 0 ||
            record_i(m, block, "balance", id, (int64_t)(st + fr)) != 0)
            return -1;
        if (m->pending[i] > 0 &&
            ledger_row(m, block, "mint", NETWORK, id, m->pending[i], "block_rewards") != 0)
            return -1;
        m->pending[i] = 0;
    }
    return 0;
}

static int on_sample(sim *s, const eq_event *ev, void *ctx)
{
    token_model *m = ctx;
    uint64_t block = ev->tick;
    if (check_conservation(m, block) != 0)
        return -1;
    if (sample_network(m, block) != 0 || sample_stakers(m, block) != 0)
        return fail(m, "recording a sample failed", block);
    if (block >= m->cfg.blocks)
        return 0;
    uint64_t next = block + m->cfg.record_every;
    if (next > m->cfg.blocks)
        next = m->cfg.blocks;
    return sim_at(s, next, PH_SAMPLE, EV_SAMPLE, NETWORK, 0, NULL);
}

static int declare_entities(token_model *m)
{
    const recorder *r = m->rec;
    if (r->vt->entity(r->ctx, NETWORK, "network", "network", "network", 0) != 0)
        return -1;
    for (uint32_t i = 0; i < m->cfg.stakers; i++) {
        char name[32];
        snprintf(name, sizeof name, "staker-%u", i + 1);
        if (r->vt->entity(r->ctx, (int64_t)i + 1, "agent", "staker", name, 1) != 0)
            return -1;
    }
    return 0;
}

/* Genesis: each staker's stake drawn from its own stream, minted as genesis supply. */
static int genesis(token_model *m)
{
    for (uint32_t i = 0; i < m->cfg.stakers; i++) {
        rng_key k = {.seed = m->cfg.seed,
                     .run_index = m->cfg.run_index,
                     .purpose = RNG_PURPOSE_SETUP,
                     .entity = (uint64_t)i + 1};
        gsl_rng *r = rng_stream_new(&k);
        if (!r)
            return fail(m, "out of memory", 0);
        uint64_t amt = staker_genesis_stake(&m->cfg.staker, r);
        gsl_rng_free(r);
        if (m->cfg.schedule == TOKEN_SCHEDULE_ISSUANCE && amt > m->cfg.total_supply - m->issued)
            return fail(m, "genesis stakes exceed the total supply", 0);
        size_t id;
        if (tsr_ledger_open(&m->ledger, amt, &id) != TSR_OK || id != i)
            return fail(m, "genesis stake overflows", 0);
        m->issued += amt;
        if (ledger_row(m, 0, "mint", NETWORK, (int64_t)i + 1, amt, "genesis") != 0)
            return fail(m, "recording genesis failed", 0);
    }
    for (uint32_t i = 0; i < m->cfg.stakers; i++) {
        size_t id;
        if (tsr_ledger_open(&m->ledger, 0, &id) != TSR_OK || id != m->cfg.stakers + i)
            return fail(m, "cannot open free-balance accounts", 0);
    }
    return 0;
}

static int schedule_first(token_model *m, sim *s)
{
    if (sim_on(s, EV_BLOCK, on_block, m) || sim_on(s, EV_DAY, on_day, m) ||
        sim_on(s, EV_SAMPLE, on_sample, m))
        return fail(m, "cannot register handlers", 0);
    if (sim_at(s, 0, PH_SAMPLE, EV_SAMPLE, NETWORK, 0, NULL) ||
        sim_at(s, 1, PH_BLOCK, EV_BLOCK, NETWORK, 0, NULL))
        return fail(m, "cannot schedule the first events", 0);
    uint64_t first_day = day_block(m, 1);
    if (first_day <= m->cfg.blocks && sim_at(s, first_day, PH_DAY, EV_DAY, NETWORK, 1, NULL))
        return fail(m, "cannot schedule the first day", 0);
    return 0;
}

static int alloc_world(token_model *m)
{
    size_t n = m->cfg.stakers;
    if (tsr_ledger_init_alloc(&m->ledger, NULL, NULL, 2 * n) != TSR_OK)
        return -1;
    m->day_rng = rng_event_new();
    m->share = calloc(n, sizeof *m->share);
    m->pending = calloc(n, sizeof *m->pending);
    m->scratch = calloc(n, sizeof *m->scratch);
    return (m->day_rng && m->share && m->pending && m->scratch) ? 0 : -1;
}

int token_model_new(const token_model_config *cfg, sim *s, const recorder *rec, token_model **out,
                    char *err, size_t errlen)
{
    *out = NULL;
    if (cfg->stakers == 0 || cfg->block_seconds == 0 || cfg->record_every == 0 ||
        (cfg->schedule == TOKEN_SCHEDULE_BITCOIN && cfg->halving_interval == 0)) {
        snprintf(err, errlen, "token model: invalid configuration");
        return -1;
    }
    token_model *m = calloc(1, sizeof *m);
    if (!m) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    m->cfg = *cfg;
    m->rec = rec;
    m->err = err;
    m->errlen = errlen;
    m->blocks_per_year = (365u * 86400u) / cfg->block_seconds;
    m->btc = (tsr_halving_schedule){cfg->initial_reward, cfg->halving_interval, cfg->start_block};
    m->iss = (tsr_issuance_params){cfg->total_supply, cfg->initial_reward, cfg->total_supply};
    if (alloc_world(m) != 0) {
        snprintf(err, errlen, "out of memory");
        token_model_free(m);
        return -1;
    }
    if (declare_entities(m) != 0) {
        snprintf(err, errlen, "recording entities failed");
        token_model_free(m);
        return -1;
    }
    if (genesis(m) != 0 || schedule_first(m, s) != 0) {
        token_model_free(m);
        return -1;
    }
    m->last_reward = scheduled_reward(m, 1);
    *out = m;
    return 0;
}

int token_model_finish(token_model *m, char *err, size_t errlen)
{
    m->err = err;
    m->errlen = errlen;
    return check_conservation(m, m->cfg.blocks);
}

void token_model_free(token_model *m)
{
    if (!m)
        return;
    tsr_ledger_clear(&m->ledger);
    free(m->scratch);
    gsl_rng_free(m->day_rng);
    free(m->share);
    free(m->pending);
    free(m);
}

uint64_t token_model_supply(const token_model *m)
{
    return m->issued;
}

uint64_t token_model_block_reward(const token_model *m)
{
    return m->last_reward;
}
