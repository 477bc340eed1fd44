/*
** check_agents.c: the staker agent's integer decisions and the token model's settlement, with
** expectations worked out by hand from the rules (mechanisms §5.1 subsidy, largest-remainder
** split with ties to the lower index), through an in-memory recorder.
*/
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "token_model.h"
#include "tdb.h"

/* ---- in-memory recorder ------------------------------------------------------------------ */

typedef struct row {
    int64_t block, entity, value;
    char metric[32];
} row;

typedef struct memrec {
    row rows[4096];
    size_t n;
    uint64_t ledger_total; /* Σ amounts of mint rows */
    size_t ledger_rows;
} memrec;

static int m_entity(void *c, int64_t id, const char *k, const char *r, const char *n, int64_t g)
{
    (void)c, (void)id, (void)k, (void)r, (void)n, (void)g;
    return 0;
}

static int m_i64(void *c, int64_t t, int64_t b, const char *metric, int64_t e, int64_t v)
{
    memrec *m = c;
    (void)t;
    if (m->n == sizeof m->rows / sizeof m->rows[0])
        return -1;
    row *r = &m->rows[m->n++];
    r->block = b, r->entity = e, r->value = v;
    strncpy(r->metric, metric, sizeof r->metric - 1);
    return 0;
}

static int m_f64(void *c, int64_t t, int64_t b, const char *metric, int64_t e, double v)
{
    (void)c, (void)t, (void)b, (void)metric, (void)e, (void)v;
    return 0;
}

static int m_ledger(void *c, int64_t seq, int64_t t, const char *kind, int64_t src, int64_t dst,
                    uint64_t amount, const char *reason)
{
    memrec *m = c;
    (void)seq, (void)t, (void)src, (void)dst, (void)reason;
    if (!strcmp(kind, "mint"))
        m->ledger_total += amount;
    m->ledger_rows++;
    return 0;
}

static const recorder_vt mem_vt = {m_entity, m_i64, m_f64, m_ledger, NULL};

/* Value of `metric` for `entity` at `block`, or -1. */
static int64_t find(const memrec *m, const char *metric, int64_t entity, int64_t block)
{
    for (size_t i = 0; i < m->n; i++)
        if (!strcmp(m->rows[i].metric, metric) && m->rows[i].entity == entity &&
            m->rows[i].block == block)
            return m->rows[i].value;
    return -1;
}

static size_t count(const memrec *m, const char *metric)
{
    size_t k = 0;
    for (size_t i = 0; i < m->n; i++)
        k += !strcmp(m->rows[i].metric, metric);
    return k;
}

/* ---- tests ------------------------------------------------------------------------------- */

static memrec *run_model(const token_model_config *cfg)
{
    memrec *m = calloc(1, sizeof *m);
    recorder rec = {&mem_vt, m};
    sim *s = sim_new();
    token_model *tm = NULL;
    char err[256] = "";
    ck_assert_msg(token_model_new(cfg, s, &rec, &tm, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(sim_run(s), SIM_DONE);
    ck_assert_msg(token_model_finish(tm, err, sizeof err) == 0, "%s", err);
    token_model_free(tm);
    sim_free(s);
    return m;
}

static token_model_config bitcoin_config(void)
{
    token_model_config c;
    memset(&c, 0, sizeof c);
    c.seed = 3;
    c.block_seconds = 12;
    c.blocks = 35;
    c.schedule = TOKEN_SCHEDULE_BITCOIN;
    c.initial_reward = 1000;
    c.halving_interval = 10;
    c.stakers = 2;
    c.compound = 0;
    c.staker.mean_stake = 1; /* spread 0: both stake exactly 1 unit */
    c.record_every = 100;    /* samples at block 0 and at the last block only */
    return c;
}

/* Heights 1-9 pay 1000, 10-19 500, 20-29 250, 30-35 125 (k = h / 10). Equal stakes split each
** reward in halves; an odd 125 leaves one unit, which goes to staker 1 (lower index). */
START_TEST(bitcoin_schedule_split_by_hand)
{
    token_model_config c = bitcoin_config();
    memrec *m = run_model(&c);
    ck_assert_int_eq(find(m, "supply", 0, 35), 2 + 9 * 1000 + 10 * 500 + 10 * 250 + 6 * 125);
    ck_assert_int_eq(find(m, "free", 1, 35), 9 * 500 + 10 * 250 + 10 * 125 + 6 * 63);
    ck_assert_int_eq(find(m, "free", 2, 35), 9 * 500 + 10 * 250 + 10 * 125 + 6 * 62);
    ck_assert_int_eq(find(m, "stake", 1, 35), 1);
    ck_assert_int_eq(count(m, "halving"), 3);
    ck_assert_int_eq(find(m, "halving", 0, 10), 500);
    ck_assert_int_eq(find(m, "halving", 0, 20), 250);
    ck_assert_int_eq(find(m, "halving", 0, 30), 125);
    ck_assert_int_eq(find(m, "block_reward", 0, 35), 125);
    ck_assert_uint_eq(m->ledger_total, 2 + 17250); /* genesis + every block reward */
    free(m);
}
END_TEST

/* Compounding: rewards go to stake, so stake grows and free stays 0. */
START_TEST(compound_goes_to_stake)
{
    token_model_config c = bitcoin_config();
    c.compound = 1;
    c.blocks = 9;
    memrec *m = run_model(&c);
    ck_assert_int_eq(find(m, "stake", 1, 9) + find(m, "stake", 2, 9), 2 + 9000);
    ck_assert_int_eq(find(m, "free", 1, 9), 0);
    /* Equal stakes stay equal: each block splits 1000 into 500 + 500. */
    ck_assert_int_eq(find(m, "stake", 1, 9), 1 + 4500);
    free(m);
}
END_TEST

/* Issuance schedule with a tiny cap: total supply 1000 units, 100 per block, genesis 2 units.
** Spec bittensor §3.1: k = floor(log2(1 / (1 - issuance/total))); k = 1 from issuance 500,
** k = 2 from 750. Issuance before block b is 2 + 100 (b - 1) while k = 0: block 6 sees 502 and
** pays 50; blocks 6..10 pay 50 (issuance 502, 552, ..., 702); block 11 sees 752 and pays 25. */
START_TEST(issuance_schedule_small_cap)
{
    token_model_config c = bitcoin_config();
    c.schedule = TOKEN_SCHEDULE_ISSUANCE;
    c.initial_reward = 100;
    c.total_supply = 1000;
    c.blocks = 11;
    memrec *m = run_model(&c);
    ck_assert_int_eq(find(m, "halving", 0, 6), 50);
    ck_assert_int_eq(find(m, "halving", 0, 11), 25);
    ck_assert_int_eq(find(m, "supply", 0, 11), 2 + 5 * 100 + 5 * 50 + 25);
    free(m);
}
END_TEST

START_TEST(unstake_amount_is_exact_integer_fraction)
{
    staker_params p = {.mean_stake = 1,
                       .spread = 0,
                       .unstake_probability = 1.0,
                       .unstake_ppb = 100000000u}; /* 10% */
    rng_key k = {.seed = 1, .run_index = 0, .purpose = RNG_PURPOSE_DECISION, .entity = 1};
    gsl_rng *r = rng_event_new();
    rng_event_reset(r, &k, 0);
    ck_assert_uint_eq(staker_unstake_today(&p, r, 21000000000000000ULL), 2100000000000000ULL);
    ck_assert_uint_eq(staker_unstake_today(&p, r, 19), 1); /* floor(1.9) */
    ck_assert_uint_eq(staker_unstake_today(&p, r, 9), 0);  /* floor(0.9) */
    p.unstake_probability = 0.0;
    ck_assert_uint_eq(staker_unstake_today(&p, r, 1000), 0);
    ck_assert_uint_eq(staker_fraction_ppb(0.1), 100000000u);
    ck_assert_uint_eq(staker_fraction_ppb(1.0), 1000000000u);
    ck_assert_uint_eq(staker_fraction_ppb(0.0), 0u);
    gsl_rng_free(r);
}
END_TEST

START_TEST(genesis_spread_zero_is_exact_mean)
{
    staker_params p = {.mean_stake = 123456789, .spread = 0};
    ck_assert_uint_eq(staker_genesis_stake(&p, NULL), 123456789u);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("agents");
    TCase *tc = tcase_create("token_model");
    tcase_add_test(tc, bitcoin_schedule_split_by_hand);
    tcase_add_test(tc, compound_goes_to_stake);
    tcase_add_test(tc, issuance_schedule_small_cap);
    tcase_add_test(tc, unstake_amount_is_exact_integer_fraction);
    tcase_add_test(tc, genesis_spread_zero_is_exact_mean);
    suite_add_tcase(s, tc);
    return tdb_run(s);
}
