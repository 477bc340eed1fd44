/*
** check_bitgrit.c: models "bitgrit" and "numerai" (agents/bitgrit) on small worlds whose results
** are computed by hand: one competition with fixed ranks (locked, returned, reserve, burned,
** prize, bonus to the unit), the job board (a hire burns exactly the deposit, a withdrawal
** retains lambda), the community budget's exhaustion month, the entry value and its
** monotonicity in stake and prize, the Numerai round of spec §2.7, conservation over whole runs
** in both treasury modes, and determinism. Metrics go to an in-memory recorder.
*/
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tdb.h"
#include "bg_int.h"
#include "hashrec.h"
#include "bg_model.h"

#define U 1000000000ull /* units per token */

/* ---- configurations -------------------------------------------------------------------- */

/* A small world: the scenario defaults, scaled down. */
static bg_config base(void)
{
    bg_config c;
    memset(&c, 0, sizeof c);
    c.seed = 7, c.days = 120, c.mode = BG_MODE_COMPETITIONS;
    c.max_supply = 10000000000ull * U, c.community_allocation = 4000000000ull * U;
    c.vesting_months = 32, c.market_float = 500000000ull * U, c.bgr_price_usd = 0.01;
    c.comp = (bg_comp_config){.interval = 7,
                              .entry_days = 3,
                              .duration_days = 14,
                              .stake = 1000 * U,
                              .prize_usd = 5000 * U,
                              .bonus = 100000 * U,
                              .winners = 3,
                              .keep_ppb = bg_ppb(0.8),
                              .forfeit_low_ppb = bg_ppb(0.25),
                              .forfeit_inc_ppb = bg_ppb(0.5),
                              .reserve_ppb = bg_ppb(0.5),
                              .fee_ppb = bg_ppb(0.1),
                              .exponent_quarters = 3,
                              .score_noise = 0.5,
                              .bonus_probability = 1.0};
    c.sci = (bg_sci_config){.count = 60,
                            .balance = 20000 * U,
                            .balance_spread = 0.5,
                            .skill_sd = 1.0,
                            .complete_min = 0.6,
                            .complete_max = 0.95,
                            .cost_usd = 20.0,
                            .cost_spread = 0.5,
                            .belief_noise = 0.15,
                            .learning_rate = 0.3,
                            .effort_max = 1.0,
                            .effort_score = 0.5};
    c.jobs = (bg_jobs_config){.arrival_rate = 0.2,
                              .deposit_stakes = 10.0,
                              .hire_rate = 0.03,
                              .lock_days = 30,
                              .retain_ppb = 0};
    c.comm.members = 20;
    const uint64_t rw[BG_ACTIONS] = {500, 50, 20, 2000, 300, 1000, 1500};
    const double rt[BG_ACTIONS] = {0.5, 3, 5, 0.1, 0.05, 0.2, 0.1};
    for (unsigned a = 0; a < BG_ACTIONS; a++)
        c.comm.reward[a] = rw[a] * U, c.comm.rate[a] = rt[a];
    c.comm.farm_identities = 4, c.comm.farm_rate = 20, c.comm.farm_accept = 0.1;
    return c;
}

/* A recorder that forwards to a hashrec and also keeps every sample of a few chosen metrics
** (time and value), for tests that look at a whole series. */
#define TAP_METRICS 6
#define TAP_ROWS    256
typedef struct tap {
    hashrec *inner;                  /* everything goes here too */
    const char *metric[TAP_METRICS]; /* the metrics kept (NULL: unused) */
    size_t n[TAP_METRICS];           /* samples kept of each */
    double t[TAP_METRICS][TAP_ROWS]; /* their times (seconds) */
    double v[TAP_METRICS][TAP_ROWS]; /* their values */
} tap;

static void tap_keep(tap *p, int64_t t, const char *metric, double v)
{
    for (int i = 0; i < TAP_METRICS; i++)
        if (p->metric[i] && strcmp(p->metric[i], metric) == 0 && p->n[i] < TAP_ROWS) {
            p->t[i][p->n[i]] = (double)t;
            p->v[i][p->n[i]++] = v;
        }
}

static int tap_entity(void *c, int64_t id, const char *k, const char *ro, const char *n, int64_t g)
{
    tap *p = c;
    return p->inner->rec.vt->entity(p->inner->rec.ctx, id, k, ro, n, g);
}

static int tap_i64(void *c, int64_t t, int64_t b, const char *metric, int64_t e, int64_t v)
{
    tap *p = c;
    tap_keep(p, t, metric, (double)v);
    return p->inner->rec.vt->series_i64(p->inner->rec.ctx, t, b, metric, e, v);
}

static int tap_f64(void *c, int64_t t, int64_t b, const char *metric, int64_t e, double v)
{
    tap *p = c;
    tap_keep(p, t, metric, v);
    return p->inner->rec.vt->series_f64(p->inner->rec.ctx, t, b, metric, e, v);
}

static int tap_ledger(void *c, int64_t seq, int64_t t, const char *kind, int64_t src, int64_t dst,
                      uint64_t amount, const char *reason)
{
    tap *p = c;
    return p->inner->rec.vt->ledger(p->inner->rec.ctx, seq, t, kind, src, dst, amount, reason);
}

static const recorder_vt tap_vt = {tap_entity, tap_i64, tap_f64, tap_ledger, NULL};

/* The samples of metric slot i. */
static size_t tap_n(const tap *p, int i)
{
    return p->n[i];
}

typedef struct world {
    sim *s;
    bg_model *m;
    hashrec rec;
    tap tp;
    recorder r;
    char err[512];
} world;

/* Builds the world of c; every sample of the metrics in `keep` (NULL-terminated, at most
** TAP_METRICS; keep may be NULL) is kept in w->tp. */
static void build_tap(world *w, const bg_config *c, const char *const *keep)
{
    memset(w, 0, sizeof *w);
    hashrec_init(&w->rec);
    w->tp.inner = &w->rec;
    for (int i = 0; keep && i < TAP_METRICS && keep[i]; i++)
        w->tp.metric[i] = keep[i];
    w->r = (recorder){&tap_vt, &w->tp};
    w->s = sim_new();
    ck_assert_ptr_nonnull(w->s);
    ck_assert_msg(bg_model_new(c, w->s, &w->r, &w->m, w->err, sizeof w->err) == 0, "%s", w->err);
}

static void build(world *w, const bg_config *c)
{
    build_tap(w, c, NULL);
}

static void run(world *w)
{
    ck_assert_int_eq(sim_run(w->s), SIM_DONE);
    ck_assert_msg(w->err[0] == '\0', "%s", w->err);
    ck_assert_msg(bg_model_finish(w->m, w->err, sizeof w->err) == 0, "%s", w->err);
}

static void drop(world *w)
{
    bg_model_free(w->m);
    sim_free(w->s);
}

/* ---- one competition, ranks fixed by hand ---------------------------------------------- */

/* Five scientists with 20,000 BGR each stake 1,000 BGR. W = 2, q_keep = 0.6, f_low = 0.25,
** f_inc = 0.5, rho = 0.5, phi = 0.1, fixed split 60/40, prize $1,000, bonus 100 BGR.
** Ranks: s0 1, s1 2, s2 3, s3 4, s4 incomplete. M = 4, floor(0.6 * 4) = 2, so T1 = {s0, s1},
** T3 = {s2, s3} forfeit 250 each, T4 = {s4} forfeits 500: F = 1,000, reserve 500, burned
** 500, returned 4,000. Prize: fee $100, $540 / $360. Bonus: 60 / 40 BGR from the treasury. */
START_TEST(test_one_competition_by_hand)
{
    bg_config c = base();
    c.sci.count = 5, c.sci.balance_spread = 0.0, c.comm.members = 0, c.comm.farm_identities = 0;
    c.market_float = 0, c.jobs.arrival_rate = 0.0;
    c.comp.winners = 2, c.comp.keep_ppb = bg_ppb(0.6), c.comp.fixed_split = 1;
    c.comp.fixed_weights[0] = 60, c.comp.fixed_weights[1] = 40;
    world w;
    build(&w, &c);
    bg_model *m = w.m;
    bg_comp *k = bg_compete_add(m, 3, 1000 * U, 1000 * U, 100 * U);
    ck_assert_ptr_nonnull(k);
    for (uint32_t i = 0; i < 5; i++)
        ck_assert_int_eq(bg_compete_lock(m, 3, k, i), 0);
    ck_assert_uint_eq(m->bgr.balance[BG_ESCROW], 5000 * U);
    const uint32_t rank[5] = {1, 2, 3, 4, 0};
    for (uint32_t j = 0; j < 5; j++)
        m->entries[j] = (tsr_compete_entry){1000 * U, rank[j]};
    uint64_t treasury0 = m->bgr.balance[BG_TREASURY];
    ck_assert_msg(bg_compete_settle(m, 14, k, 4) == 0, "%s", w.err);
    ck_assert_uint_eq(hashrec_last(&w.rec, "bitgrit.comp.locked"), 5000 * U);
    ck_assert_uint_eq(hashrec_last(&w.rec, "bitgrit.comp.returned"), 4000 * U);
    ck_assert_uint_eq(hashrec_last(&w.rec, "bitgrit.comp.forfeited"), 1000 * U);
    ck_assert_uint_eq(hashrec_last(&w.rec, "bitgrit.comp.reserved"), 500 * U);
    ck_assert_uint_eq(hashrec_last(&w.rec, "bitgrit.comp.burned"), 500 * U);
    ck_assert_double_eq(hashrec_last(&w.rec, "bitgrit.comp.t4_forfeit_share"), 0.5);
    const uint64_t bgr[5] = {20060 * U, 20040 * U, 19750 * U, 19750 * U, 19500 * U};
    const uint64_t usd[5] = {540 * U, 360 * U, 0, 0, 0};
    for (uint32_t i = 0; i < 5; i++) {
        ck_assert_uint_eq(m->bgr.balance[m->a_sci + i], bgr[i]);
        ck_assert_uint_eq(m->usd.balance[BG_USD_FIRST + i], usd[i]);
    }
    ck_assert_uint_eq(m->usd.balance[BG_USD_PLATFORM], 100 * U);
    ck_assert_uint_eq(m->bgr.balance[BG_RESERVE], 500 * U);
    ck_assert_uint_eq(m->bgr.balance[BG_ESCROW], 0);
    ck_assert_uint_eq(m->bgr.burned, 500 * U);
    ck_assert_uint_eq(m->bgr.balance[BG_TREASURY], treasury0 - 100 * U);
    ck_assert_uint_eq(m->tot.community_issued, 100 * U);
    ck_assert_uint_eq(m->sci[0].wins, 1);
    ck_assert_uint_eq(m->sci[2].kept, 0);
    drop(&w);
}
END_TEST

/* The same competition in minting mode: the bonus is minted (the treasury account stays
** empty) and the supply is genesis + 100 - 500 BGR. */
START_TEST(test_one_competition_minting)
{
    bg_config c = base();
    c.sci.count = 5, c.sci.balance_spread = 0.0, c.comm.members = 0, c.comm.farm_identities = 0;
    c.market_float = 0, c.jobs.arrival_rate = 0.0, c.minting = 1;
    c.comp.winners = 2, c.comp.keep_ppb = bg_ppb(0.6), c.comp.fixed_split = 1;
    c.comp.fixed_weights[0] = 60, c.comp.fixed_weights[1] = 40;
    world w;
    build(&w, &c);
    bg_model *m = w.m;
    bg_comp *k = bg_compete_add(m, 3, 1000 * U, 1000 * U, 100 * U);
    for (uint32_t i = 0; i < 5; i++)
        ck_assert_int_eq(bg_compete_lock(m, 3, k, i), 0);
    const uint32_t rank[5] = {1, 2, 3, 4, 0};
    for (uint32_t j = 0; j < 5; j++)
        m->entries[j] = (tsr_compete_entry){1000 * U, rank[j]};
    ck_assert_msg(bg_compete_settle(m, 14, k, 4) == 0, "%s", w.err);
    bg_totals t;
    bg_model_totals(m, &t);
    ck_assert_uint_eq(m->bgr.genesis, 100000 * U);
    ck_assert_uint_eq(t.minted, 100 * U);
    ck_assert_uint_eq(t.supply, (100000 + 100 - 500) * U);
    ck_assert_uint_eq(m->bgr.balance[BG_TREASURY], 0);
    drop(&w);
}
END_TEST

/* ---- job board --------------------------------------------------------------------------- */

/* No competitions (the first deadline lies after the end), no one with a record: nobody is
** hired; every employer withdraws after 30 days with floor(d * 0.25) retained, where
** d = 10 x 1,000 BGR. */
START_TEST(test_jobs_withdraw_retains_lambda)
{
    bg_config c = base();
    c.days = 200, c.comp.duration_days = 300, c.comm.members = 0, c.comm.farm_identities = 0;
    c.jobs.arrival_rate = 0.5, c.jobs.retain_ppb = bg_ppb(0.25);
    world w;
    build(&w, &c);
    run(&w);
    bg_model *m = w.m;
    const uint64_t d = 10000 * U, kept = 2500 * U;
    ck_assert_uint_eq(m->deposit, d);
    ck_assert_uint_eq(m->tot.hires, 0);
    ck_assert_uint_gt(m->tot.withdrawals, 10);
    ck_assert_uint_eq(m->bgr.balance[BG_RESERVE], m->tot.withdrawals * kept);
    ck_assert_uint_eq(m->bgr.balance[BG_MARKET], c.market_float - m->nemp * d);
    ck_assert_uint_eq(m->bgr.balance[BG_JOBS], (m->nemp - m->tot.withdrawals) * d);
    uint64_t wallets = 0;
    for (size_t e = 0; e < m->nemp; e++)
        wallets += m->bgr.balance[m->emp[e].acct];
    ck_assert_uint_eq(wallets, m->tot.withdrawals * (d - kept));
    ck_assert_uint_eq(m->bgr.burned, 0);
    drop(&w);
}
END_TEST

/* Everyone has a record and hire_rate = 1: each employer hires on her first day on the board
** (the day after she arrives); each hire burns exactly d_job. */
START_TEST(test_jobs_hire_burns_deposit)
{
    bg_config c = base();
    c.days = 100, c.comp.duration_days = 300, c.comm.members = 0, c.comm.farm_identities = 0;
    c.jobs.arrival_rate = 0.5, c.jobs.hire_rate = 1.0;
    world w;
    build(&w, &c);
    for (uint32_t i = 0; i < c.sci.count; i++)
        w.m->sci[i].kept = 1;
    run(&w);
    bg_model *m = w.m;
    const uint64_t d = 10000 * U;
    ck_assert_uint_gt(m->tot.hires, 10);
    ck_assert_uint_eq(m->tot.withdrawals, 0);
    ck_assert_uint_eq(m->bgr.burned, m->tot.hires * d);
    ck_assert_uint_eq(m->tot.burned_jobs, m->tot.hires * d);
    /* only the employers of the last day are still waiting */
    ck_assert_uint_eq(m->bgr.balance[BG_JOBS], (m->nemp - m->tot.hires) * d);
    for (size_t e = 0; e < m->nemp; e++)
        ck_assert(m->emp[e].active == (m->emp[e].arrived == c.days));
    ck_assert_double_eq(hashrec_last(&w.rec, "bitgrit.jobs_burn_share"), 1.0);
    drop(&w);
}
END_TEST

/* ---- community budget -------------------------------------------------------------------- */

/* A 500 BGR allocation vesting over 5 months (100 a month) against claims far above it: the
** throttle binds every month, and the budget runs out in month 5, when all of it has vested. */
START_TEST(test_budget_exhaustion_month)
{
    bg_config c = base();
    c.days = 240, c.comp.duration_days = 300, c.jobs.arrival_rate = 0.0;
    c.community_allocation = 500 * U, c.vesting_months = 5;
    c.comm.members = 3, c.comm.farm_identities = 0;
    world w;
    build(&w, &c);
    run(&w);
    bg_model *m = w.m;
    ck_assert_int_eq(m->tot.budget_exhausted_month, 5);
    ck_assert_uint_le(m->tot.community_issued, 500 * U);
    /* what is left is rounding dust: less than one unit per accepted action of the last month */
    ck_assert_uint_gt(m->tot.community_issued, 500 * U - 1000);
    ck_assert_double_lt(hashrec_last(&w.rec, "bitgrit.community_factor"), 1.0);
    drop(&w);
}
END_TEST

/* A budget larger than every claim never runs out and pays every claim in full. */
START_TEST(test_budget_never_exhausted)
{
    bg_config c = base();
    c.days = 240, c.comp.duration_days = 300, c.jobs.arrival_rate = 0.0;
    world w;
    build(&w, &c);
    run(&w);
    ck_assert_int_eq(w.m->tot.budget_exhausted_month, -1);
    ck_assert_double_eq(hashrec_last(&w.rec, "bitgrit.community_factor"), 1.0);
    drop(&w);
}
END_TEST

/* Sybil gain: with farm_accept = 1 (no gating) and an unbinding budget the k identities earn
** exactly their accepted actions; with farm_accept = 0 only identity 1 earns: gain exactly 1. */
START_TEST(test_sybil_gain_gated)
{
    bg_config c = base();
    c.days = 240, c.comp.duration_days = 300, c.jobs.arrival_rate = 0.0;
    c.comm.farm_identities = 8, c.comm.farm_accept = 0.0;
    world w;
    build(&w, &c);
    run(&w);
    ck_assert_uint_gt(w.m->tot.farm_paid_single, 0);
    ck_assert_uint_eq(w.m->tot.farm_paid, w.m->tot.farm_paid_single);
    drop(&w);
    c.comm.farm_accept = 1.0;
    build(&w, &c);
    run(&w);
    double gain = (double)w.m->tot.farm_paid / (double)w.m->tot.farm_paid_single;
    ck_assert_double_gt(gain, 5.0); /* about k = 8: eight Poisson(20) draws against one */
    ck_assert_double_lt(gain, 11.0);
    drop(&w);
}
END_TEST

/* ---- the Sybil farmer as a switchable attack ----------------------------------------------- */

/* A farming world without competitions or employers (k = 4, the budget never binds). */
static bg_config farm_world(double accept, uint64_t start, uint64_t stop, uint64_t cost)
{
    bg_config c = base();
    c.days = 240, c.comp.duration_days = 300, c.jobs.arrival_rate = 0.0;
    c.comm.farm_identities = 4, c.comm.farm_accept = accept;
    c.comm.farm_start = start, c.comm.farm_stop = stop, c.comm.farm_cost = cost;
    return c;
}

/* Sum of the farm identities' BGR: they receive nothing but community mints. */
static uint64_t farm_wealth(const bg_model *m, uint32_t from, uint32_t to)
{
    uint64_t sum = 0;
    for (uint32_t j = from; j < to; j++)
        sum += m->bgr.balance[m->a_farm + j];
    return sum;
}

/* Window [45, 137) days, months of 30 days ending on the mint day: month 1 (days 0-29) and
** months 6-8 (150-239) lie outside and pay the farm nothing; months 3 and 4 lie inside and pay
** exactly what an always-on farmer gets (same draws, unbinding budget); months 2 (15 days) and
** 5 (17 days) pay something. attack.sybil.active is 0 at day 0, 1 at day 45 and 0 at day 137,
** and at each mint day the state of that day. Cost 1,000,000,001 units per identity per month,
** k = 4, D window days before the sample day: floor(1000000001 * 4 * D / 30) = 0 (D = 0),
** 2000000002 (15), 6000000006 (45), 10000000010 (75), 12266666678 (92, every sample from
** day 150 on); net = what the farm identities hold - 12266666678. */
START_TEST(test_farm_window_switches)
{
    const char *keep[] = {"bitgrit.farm_paid", "attack.sybil.active", "attack.sybil.cost", NULL};
    bg_config c = farm_world(1.0, 0, 0, 0);
    world ref, w;
    build_tap(&ref, &c, keep);
    run(&ref);
    c = farm_world(1.0, 45, 137, 1000000001ull);
    build_tap(&w, &c, keep);
    run(&w);
    ck_assert_uint_eq(tap_n(&w.tp, 0), 8);
    ck_assert_uint_eq(tap_n(&ref.tp, 0), 8);
    for (int k = 0; k < 8; k++) {
        ck_assert_double_eq(w.tp.t[0][k], 30.0 * (k + 1) * 86400);
        if (k == 0 || k >= 5)
            ck_assert_double_eq(w.tp.v[0][k], 0.0);
        else if (k == 2 || k == 3)
            ck_assert_double_eq(w.tp.v[0][k], ref.tp.v[0][k]);
        else
            ck_assert_double_gt(w.tp.v[0][k], 0.0);
        ck_assert_double_gt(ref.tp.v[0][k], 0.0);
    }
    const double act_day[] = {0, 30, 45, 60, 90, 120, 137, 150, 180, 210, 240};
    const double act_val[] = {0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0};
    ck_assert_uint_eq(tap_n(&w.tp, 1), 11);
    for (int i = 0; i < 11; i++) {
        ck_assert_double_eq(w.tp.t[1][i], act_day[i] * 86400);
        ck_assert_double_eq(w.tp.v[1][i], act_val[i]);
    }
    const double cost[] = {0, 2000000002.0, 6000000006.0, 10000000010.0, 12266666678.0};
    ck_assert_uint_eq(tap_n(&w.tp, 2), 8);
    for (int k = 0; k < 8; k++)
        ck_assert_double_eq(w.tp.v[2][k], cost[k < 4 ? k : 4]);
    uint64_t held = farm_wealth(w.m, 0, 4);
    ck_assert_uint_eq(held, w.m->tot.farm_paid);
    ck_assert_double_eq(hashrec_last(&w.rec, "attack.sybil.emission"), (double)held);
    ck_assert_double_eq(hashrec_last(&w.rec, "attack.sybil.net"), (double)held - 12266666678.0);
    ck_assert_uint_eq(w.m->tot.farm_cost, 12266666678ull);
    ck_assert_uint_eq(w.m->tot.farm_days, 92);
    drop(&ref);
    drop(&w);
    /* a stop before the start is refused; stop 0 (never) after any start is not */
    c = farm_world(1.0, 50, 10, 0);
    sim *s = sim_new();
    hashrec r0;
    hashrec_init(&r0);
    bg_model *m = NULL;
    char err[256] = "";
    ck_assert_int_ne(bg_model_new(&c, s, &r0.rec, &m, err, sizeof err), 0);
    ck_assert_ptr_nonnull(strstr(err, "farm_stop"));
    c = farm_world(1.0, 50, 0, 0);
    ck_assert_int_eq(bg_model_new(&c, s, &r0.rec, &m, err, sizeof err), 0);
    bg_model_free(m);
    sim_free(s);
}
END_TEST

/* Under perfect gating (farm_accept 0) identities 2..4 earn nothing, so the farm's emission is
** identity 1's and equals the single-identity counterfactual: gain 1, and what the extra
** identities add is minus their cost: -(floor(c 4 D / 30) - floor(c D / 30)) with D = 92,
** c = 1000000001: -(12266666678 - 3066666669) = -9200000009. */
START_TEST(test_farm_cost_net_gated)
{
    bg_config c = farm_world(0.0, 45, 137, 1000000001ull);
    world w;
    build(&w, &c);
    run(&w);
    uint64_t one = farm_wealth(w.m, 0, 1);
    ck_assert_uint_gt(one, 0);
    ck_assert_uint_eq(farm_wealth(w.m, 1, 4), 0);
    ck_assert_double_eq(hashrec_last(&w.rec, "attack.sybil.emission"), (double)one);
    ck_assert_double_eq(hashrec_last(&w.rec, "attack.sybil.emission_single"), (double)one);
    ck_assert_double_eq(hashrec_last(&w.rec, "attack.sybil.gain"), 1.0);
    ck_assert_double_eq(hashrec_last(&w.rec, "attack.sybil.net_extra"), -9200000009.0);
    ck_assert_double_eq(hashrec_last(&w.rec, "attack.sybil.net"), (double)one - 12266666678.0);
    drop(&w);
    /* without a farmer no attack series at all */
    c.comm.farm_identities = 0;
    const char *keep[] = {"attack.sybil.active", "attack.sybil.cost", "attack.sybil.net", NULL};
    build_tap(&w, &c, keep);
    run(&w);
    for (int i = 0; i < 3; i++)
        ck_assert_uint_eq(tap_n(&w.tp, i), 0);
    drop(&w);
}
END_TEST

/* ---- entry decision ---------------------------------------------------------------------- */

/* Hand-computed with Phi(0) = 1/2 and Phi(1) = 0.8413447460685429 (p = 0.5, f_inc = 0.5,
** f_low = 0.25, stake = prize = $90, cost $1, W = 1, sigma = 0.1):
**  - M = 1, q = 0: P(rank 1) = 1 - Phi((0 - 0) / 0.1) = 1/2, no T3 (cut = 1 = M):
**    0.5 * 0.5 * 90 - 0.5 * 0.5 * 90 - 1 = -1;
**  - M = 2, keep 0.5 (cut 1), q = 0.5: P(rank 1) = 1 - Phi(0) = 1/2, P(T3) = Phi(0) = 1/2:
**    22.5 - (0.25 + 0.5 * 0.5 * 0.25) * 90 - 1 = -6.625;
**  - M = 2, q = 0.6: P(rank 1) = Phi(1), P(T3) = 1 - Phi(1):
**    0.5 Phi(1) 90 - (0.25 + 0.125 (1 - Phi(1))) 90 - 1. */
START_TEST(test_entry_value_by_hand)
{
    const double wgt[1] = {1.0}, phi1 = 0.8413447460685429;
    bg_entry_view v = {.belief = 0.0,
                       .spread = 0.1,
                       .p_complete = 0.5,
                       .p_others = 1.0,
                       .entrants = 1.0,
                       .winners = 1,
                       .weight = wgt,
                       .keep = 0.5,
                       .f_low = 0.25,
                       .f_inc = 0.5,
                       .stake_usd = 90.0,
                       .prize_usd = 90.0,
                       .bonus_usd = 0.0,
                       .cost_usd = 1.0};
    ck_assert_double_eq_tol(bg_entry_value(&v), -1.0, 1e-9);
    v.entrants = 2.0, v.belief = 0.5;
    ck_assert_double_eq_tol(bg_entry_value(&v), -6.625, 1e-9);
    v.belief = 0.6;
    double want = 0.5 * phi1 * 90.0 - (0.25 + 0.125 * (1.0 - phi1)) * 90.0 - 1.0;
    ck_assert_double_eq_tol(bg_entry_value(&v), want, 1e-9);
    v.bonus_usd = 10.0; /* + 0.5 Phi(1) 10 */
    ck_assert_double_eq_tol(bg_entry_value(&v), want + 5.0 * phi1, 1e-9);
    v.stake_usd = 180.0; /* a larger stake costs the forfeit expectation once more */
    ck_assert_double_lt(bg_entry_value(&v), want + 5.0 * phi1);
}
END_TEST

/* Entrants of the first competition in a world that runs exactly one. */
static uint64_t first_entrants(uint64_t stake, uint64_t prize)
{
    bg_config c = base();
    c.days = 14, c.sci.count = 400, c.comm.members = 0, c.comm.farm_identities = 0;
    c.jobs.arrival_rate = 0.0, c.comp.stake = stake, c.comp.prize_usd = prize;
    world w;
    build(&w, &c);
    run(&w);
    uint64_t n = w.m->tot.entrants_first;
    ck_assert_uint_eq(w.m->tot.competitions, 1);
    drop(&w);
    return n;
}

START_TEST(test_entry_monotone_in_stake)
{
    uint64_t prev = UINT64_MAX, lo = 0, hi = 0;
    const uint64_t stakes[] = {100, 1000, 3000, 10000};
    for (size_t i = 0; i < 4; i++) {
        uint64_t n = first_entrants(stakes[i] * U, 5000 * U);
        ck_assert_uint_le(n, prev);
        prev = n;
        if (i == 0)
            hi = n;
        lo = n;
    }
    ck_assert_uint_lt(lo, hi); /* a larger stake lowers participation */
}
END_TEST

START_TEST(test_entry_monotone_in_prize)
{
    uint64_t prev = 0, lo = 0, hi = 0;
    const uint64_t prizes[] = {500, 2000, 5000, 20000};
    for (size_t i = 0; i < 4; i++) {
        uint64_t n = first_entrants(1000 * U, prizes[i] * U);
        ck_assert_uint_ge(n, prev);
        prev = n;
        if (i == 0)
            lo = n;
        hi = n;
    }
    ck_assert_uint_gt(hi, lo); /* a larger prize raises it */
}
END_TEST

/* ---- the Numerai rule as the competition settlement ---------------------------------------- */

/* The one-competition world of test_one_competition_by_hand settled by the Numerai rule:
** threshold 2,000 BGR, scale 0.1, multiplier 1, clip 0.25. M = 4 completed at 1,000 BGR at risk
** (the incomplete entry risks nothing): pf = 2,000 / 4,000 = 0.5. CORR = 0.1 (M - 2r + 1) / M:
** +0.075, +0.025, -0.025, -0.075; x = pf CORR = 3.75 %, 1.25 %, -1.25 %, -3.75 % (no clip):
** +37.5, +12.5 BGR released from the community budget, -12.5, -37.5 burned from the escrow
** (nothing to the reserve). Prize and bonus as before: $540 / $360, 60 / 40 BGR. */
START_TEST(test_numerai_settlement_by_hand)
{
    bg_config c = base();
    c.sci.count = 5, c.sci.balance_spread = 0.0, c.comm.members = 0, c.comm.farm_identities = 0;
    c.market_float = 0, c.jobs.arrival_rate = 0.0;
    c.comp.winners = 2, c.comp.keep_ppb = bg_ppb(0.6), c.comp.fixed_split = 1;
    c.comp.fixed_weights[0] = 60, c.comp.fixed_weights[1] = 40;
    c.comp.numerai_settlement = 1, c.comp.nm_threshold = 2000 * U;
    c.comp.nm_scale_ppb = bg_ppb(0.1), c.comp.nm_mult = 1000000, c.comp.nm_clip_ppb = bg_ppb(0.25);
    world w;
    build(&w, &c);
    bg_model *m = w.m;
    bg_comp *k = bg_compete_add(m, 3, 1000 * U, 1000 * U, 100 * U);
    for (uint32_t i = 0; i < 5; i++)
        ck_assert_int_eq(bg_compete_lock(m, 3, k, i), 0);
    const uint32_t rank[5] = {1, 2, 3, 4, 0};
    for (uint32_t j = 0; j < 5; j++)
        m->entries[j] = (tsr_compete_entry){1000 * U, rank[j]};
    ck_assert_msg(bg_compete_settle(m, 14, k, 4) == 0, "%s", w.err);
    const uint64_t bgr[5] = {20097500000000ull, 20052500000000ull, 19987500000000ull,
                             19962500000000ull, 20000 * U};
    for (uint32_t i = 0; i < 5; i++)
        ck_assert_uint_eq(m->bgr.balance[m->a_sci + i], bgr[i]);
    ck_assert_uint_eq(m->usd.balance[BG_USD_FIRST], 540 * U);
    ck_assert_uint_eq(m->bgr.balance[BG_RESERVE], 0);
    ck_assert_uint_eq(m->bgr.balance[BG_ESCROW], 0);
    ck_assert_uint_eq(m->bgr.burned, 50 * U);
    ck_assert_uint_eq(m->tot.community_issued, 150 * U); /* bonus 100 + payouts 50 */
    ck_assert_double_eq(hashrec_last(&w.rec, "bitgrit.comp.numerai_pf"), 0.5);
    ck_assert_uint_eq(hashrec_last(&w.rec, "bitgrit.comp.numerai_paid"), 50 * U);
    ck_assert_uint_eq(hashrec_last(&w.rec, "bitgrit.comp.burned"), 50 * U);
    ck_assert_uint_eq(hashrec_last(&w.rec, "bitgrit.comp.reserved"), 0);
    ck_assert_uint_eq(hashrec_last(&w.rec, "bitgrit.comp.returned"), 4950 * U);
    drop(&w);
}
END_TEST

/* Entry value under the Numerai rule with a slope so steep that the clip binds on every bin:
** rate = +clip above the median percentile, -clip below, so E[rate] = clip (1 - 2 Phi((0.5 - q)
** / sd)); q = 0.6, sd = 0.1: 0.05 (1 - 2 Phi(-1)) = 0.05 (1 - 2 x 0.15865525393145707). With
** p = 0.5, stake $100, no prize, cost $1: 0.5 x 100 x E - 1. At q = 0.5 the bins are symmetric:
** E = 0, value = -cost. */
START_TEST(test_entry_value_numerai)
{
    const double wgt[1] = {1.0};
    bg_entry_view v = {.belief = 0.6,
                       .spread = 0.1,
                       .p_complete = 0.5,
                       .p_others = 1.0,
                       .entrants = 10.0,
                       .winners = 1,
                       .weight = wgt,
                       .keep = 0.5,
                       .f_low = 0.25,
                       .f_inc = 0.5,
                       .stake_usd = 100.0,
                       .cost_usd = 1.0,
                       .numerai = 1,
                       .nm_pf = 1.0,
                       .nm_slope = 1000.0,
                       .nm_clip = 0.05};
    double e = 0.05 * (1.0 - 2.0 * 0.15865525393145707);
    ck_assert_double_eq_tol(bg_entry_value(&v), 0.5 * 100.0 * e - 1.0, 1e-12);
    v.belief = 0.5;
    ck_assert_double_eq_tol(bg_entry_value(&v), -1.0, 1e-12);
    /* the forfeits of the tiers no longer apply: a worse belief loses at most clip x stake */
    v.belief = 0.01;
    ck_assert_double_ge(bg_entry_value(&v), -0.5 * 100.0 * 0.05 - 1.0 - 1e-12);
}
END_TEST

/* ---- settlement remainders --------------------------------------------------------------- */

/* Odd amounts through the reward core, by hand: stakes 101; ranks 1, incomplete, 2; W = 1,
** q_keep = 0.5 (cut floor(0.5 * 2) = 1, so rank 2 is T3). T3 forfeits floor(101 / 4) = 25,
** T4 floor(101 / 2) = 50: F = 75; the reserve gets floor(75 / 2) = 37 and the odd unit is
** burned (38). Prize 1,001: fee floor(100.1) = 100, the single winner gets 901. */
START_TEST(test_remainders_by_rule)
{
    const uint64_t w[1] = {1};
    tsr_compete_rules r = {.winners = 1,
                           .keep_ppb = bg_ppb(0.5),
                           .forfeit_low_ppb = bg_ppb(0.25),
                           .forfeit_inc_ppb = bg_ppb(0.5),
                           .reserve_ppb = bg_ppb(0.5),
                           .fee_ppb = bg_ppb(0.1),
                           .rank_weights = w};
    tsr_compete_entry e[3] = {{101, 1}, {101, 0}, {101, 2}};
    tsr_compete_payout out[3];
    tsr_compete_totals t;
    ck_assert_int_eq(tsr_compete_settle(&r, e, 3, 1001, 0, out, &t), TSR_OK);
    ck_assert_uint_eq(out[0].returned, 101);
    ck_assert_uint_eq(out[1].forfeited, 50);
    ck_assert_uint_eq(out[2].forfeited, 25);
    ck_assert_uint_eq(out[2].tier, TSR_TIER_LOW);
    ck_assert_uint_eq(t.forfeited, 75);
    ck_assert_uint_eq(t.reserve, 37);
    ck_assert_uint_eq(t.burned, 38);
    ck_assert_uint_eq(t.fee, 100);
    ck_assert_uint_eq(out[0].prize, 901);
    ck_assert_uint_eq(t.returned + t.forfeited, 303);
}
END_TEST

/* ---- effort, scoring phase, bonus probability --------------------------------------------- */

/* Effort pins the completion probability: complete_min at effort 0, complete_max at 1. With
** no skill spread and no noise the score is effort_score * effort, so the T1 entrants of the
** one competition are exactly the completed entrants of highest effort. */
START_TEST(test_effort_completion_and_score)
{
    bg_config c = base();
    c.sci.effort_min = c.sci.effort_max = 1.0;
    world w;
    build(&w, &c);
    for (uint32_t i = 0; i < c.sci.count; i++)
        ck_assert_double_eq(w.m->sci[i].p_complete, 0.95);
    drop(&w);
    c.sci.effort_max = 0.0, c.sci.effort_min = 0.0;
    build(&w, &c);
    ck_assert_double_eq(w.m->sci[7].p_complete, 0.6);
    drop(&w);
    c = base();
    c.days = 14, c.sci.skill_sd = 0.0, c.comp.score_noise = 0.0, c.sci.effort_score = 1.0;
    c.comm.members = 0, c.comm.farm_identities = 0, c.jobs.arrival_rate = 0.0;
    build(&w, &c);
    run(&w);
    const bg_comp *k = &w.m->comps[0];
    double min_win = 2.0, max_rest = -1.0;
    uint32_t winners = 0;
    for (uint32_t j = 0; j < k->n; j++) {
        const bg_scientist *sc = &w.m->sci[k->entrants[j]];
        if (sc->wins)
            winners++, min_win = sc->effort < min_win ? sc->effort : min_win;
        else if (k->complete[j])
            max_rest = sc->effort > max_rest ? sc->effort : max_rest;
    }
    ck_assert_uint_eq(winners, 3);
    ck_assert_double_gt(min_win, max_rest);
    drop(&w);
}
END_TEST

/* Scoring and settlement come scoring_days after the deadline: with 5 days the first
** competition (announced day 0, deadline 14) settles on day 19, so a 19-day run settles it and
** an 18-day run does not announce it at all (its settlement would fall outside). */
START_TEST(test_scoring_phase)
{
    bg_config c = base();
    c.days = 19, c.comp.scoring_days = 5, c.comm.members = 0, c.comm.farm_identities = 0;
    c.jobs.arrival_rate = 0.0;
    const char *keep[] = {"bitgrit.comp.locked", NULL};
    world w;
    build_tap(&w, &c, keep);
    run(&w);
    ck_assert_uint_eq(w.m->tot.competitions, 1);
    ck_assert_uint_eq(tap_n(&w.tp, 0), 1);
    ck_assert_double_eq(w.tp.t[0][0], 19.0 * 86400.0);
    ck_assert_double_gt(w.tp.v[0][0], 0.0);
    drop(&w);
    c.days = 18;
    build(&w, &c);
    run(&w);
    ck_assert_uint_eq(w.m->tot.competitions, 0);
    ck_assert_uint_eq(w.m->bgr.balance[BG_ESCROW], 0);
    drop(&w);
}
END_TEST

/* bonus_probability 0: no competition offers or pays a bonus; 0.5: some do, some do not. */
START_TEST(test_bonus_probability)
{
    bg_config c = base();
    c.days = 365, c.comp.bonus_probability = 0.0, c.comm.members = 0, c.comm.farm_identities = 0;
    const char *keep[] = {"bitgrit.comp.bonus_offered", NULL};
    world w;
    build_tap(&w, &c, keep);
    run(&w);
    ck_assert_uint_eq(w.m->tot.community_issued, 0);
    ck_assert_uint_gt(tap_n(&w.tp, 0), 40);
    for (size_t i = 0; i < tap_n(&w.tp, 0); i++)
        ck_assert_double_eq(w.tp.v[0][i], 0.0);
    drop(&w);
    c.comp.bonus_probability = 0.5;
    build_tap(&w, &c, keep);
    run(&w);
    size_t with = 0, n = tap_n(&w.tp, 0);
    for (size_t i = 0; i < n; i++)
        with += w.tp.v[0][i] > 0.0;
    ck_assert_uint_gt(with, 0);
    ck_assert_uint_lt(with, n);
    ck_assert_uint_eq(w.m->tot.community_issued, with * c.comp.bonus); /* budget never binds */
    drop(&w);
}
END_TEST

/* ---- learning ------------------------------------------------------------------------------ */

/* q = 0.5, rate 0.3: rank 1 of 4 is percentile 1 - 0.5/4 = 0.875, q -> 0.5 + 0.3 * 0.375 =
** 0.6125; rank 4 of 4 (0.125) then gives 0.6125 - 0.3 * 0.4875 = 0.46625; an incomplete
** entry (rank 0) changes nothing. */
START_TEST(test_learning_by_hand)
{
    bg_config c = base();
    world w;
    build(&w, &c);
    w.m->sci[0].belief = 0.5;
    bg_scientist_learn(w.m, 0, 1, 4);
    ck_assert_double_eq_tol(w.m->sci[0].belief, 0.6125, 1e-12);
    bg_scientist_learn(w.m, 0, 4, 4);
    ck_assert_double_eq_tol(w.m->sci[0].belief, 0.46625, 1e-12);
    bg_scientist_learn(w.m, 0, 0, 4);
    ck_assert_double_eq_tol(w.m->sci[0].belief, 0.46625, 1e-12);
    drop(&w);
}
END_TEST

/* Percentile (0..1, 1 = best) of every scientist's skill + effort_score * effort. */
static void true_percentiles(const bg_model *m, double *pct)
{
    uint32_t n = m->cfg.sci.count;
    for (uint32_t i = 0; i < n; i++) {
        double si = m->sci[i].skill + m->cfg.sci.effort_score * m->sci[i].effort;
        uint32_t below = 0;
        for (uint32_t j = 0; j < n; j++)
            below += m->sci[j].skill + m->cfg.sci.effort_score * m->sci[j].effort < si;
        pct[i] = ((double)below + 0.5) / (double)n;
    }
}

/* Over a year, scientists who finished several competitions end with beliefs closer to their
** true percentile than they started with (wide initial errors, belief_noise 0.3). */
START_TEST(test_learning_over_a_year)
{
    bg_config c = base();
    c.days = 365, c.sci.belief_noise = 0.3, c.sci.cost_usd = 1.0;
    world w;
    build(&w, &c);
    uint32_t n = c.sci.count;
    double pct[60] = {0}, before[60] = {0}; /* zeroed: the analyser cannot tie n to the model */
    ck_assert_uint_le(n, 60);
    true_percentiles(w.m, pct);
    for (uint32_t i = 0; i < n; i++)
        before[i] = w.m->sci[i].belief;
    run(&w);
    double err0 = 0.0, err1 = 0.0;
    uint32_t k = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (w.m->sci[i].entered < 5)
            continue;
        k++;
        err0 += fabs(before[i] - pct[i]);
        err1 += fabs(w.m->sci[i].belief - pct[i]);
    }
    ck_assert_uint_ge(k, 10);
    ck_assert_double_lt(err1, 0.75 * err0);
    drop(&w);
}
END_TEST

/* ---- job board and records ------------------------------------------------------------------- */

/* Records by hand: scientist 0 one T2 finish (weight 1), 1 a T1 win (kept 1 + win 1 = 2),
** 2 ten wins (weight 20). Nobody else is ever hired; the hire counts follow the weights; and
** the daily hire probability, hire_rate x share with a record (3/60), yields fewer hires than
** when everyone has a record. */
START_TEST(test_hire_follows_record)
{
    bg_config c = base();
    c.days = 200, c.comp.duration_days = 300, c.comm.members = 0, c.comm.farm_identities = 0;
    c.jobs.arrival_rate = 0.5, c.jobs.hire_rate = 1.0, c.jobs.lock_days = 20;
    world w;
    build(&w, &c);
    w.m->sci[0].kept = 1;
    w.m->sci[1].kept = 1, w.m->sci[1].wins = 1;
    w.m->sci[2].kept = 10, w.m->sci[2].wins = 10;
    run(&w);
    bg_model *m = w.m;
    uint64_t hired = m->sci[0].hires + m->sci[1].hires + m->sci[2].hires;
    ck_assert_uint_gt(m->tot.hires, 20);
    ck_assert_uint_eq(hired, m->tot.hires);
    ck_assert_uint_gt(m->sci[2].hires, m->sci[1].hires);
    ck_assert_uint_gt(m->sci[2].hires, m->sci[0].hires);
    ck_assert_uint_gt(m->tot.withdrawals, 0); /* 5 % a day: about 0.95^20 = 36 % wait it out */
    uint64_t few = m->tot.hires, arrived = m->nemp;
    drop(&w);
    build(&w, &c);
    for (uint32_t i = 0; i < c.sci.count; i++)
        w.m->sci[i].kept = 1;
    run(&w);
    ck_assert_uint_eq(w.m->nemp, arrived); /* the same employers arrive */
    ck_assert_uint_gt(w.m->tot.hires, few);
    ck_assert_uint_eq(w.m->tot.withdrawals, 0);
    drop(&w);
}
END_TEST

/* ---- distribution --------------------------------------------------------------------------- */

/* Holdings 1, 1, 1, 1, 6 BGR: Gini = sum (2i - n - 1) x_(i) / (n sum x) = (-4 - 2 + 0 + 2 + 24)
** / 50 = 0.4; the top 1 % (one holder) holds 6 / 10. */
START_TEST(test_gini_top1_by_hand)
{
    bg_config c = base();
    c.sci.count = 5, c.comm.members = 0, c.comm.farm_identities = 0;
    world w;
    build(&w, &c);
    const uint64_t x[5] = {1, 6, 1, 1, 1};
    for (uint32_t i = 0; i < 5; i++)
        w.m->bgr.balance[w.m->a_sci + i] = x[i] * U;
    double gini = 0.0, top1 = 0.0;
    bg_holdings(w.m, &gini, &top1);
    ck_assert_double_eq_tol(gini, 0.4, 1e-12);
    ck_assert_double_eq_tol(top1, 0.6, 1e-12);
    drop(&w);
}
END_TEST

/* Return by skill decile, by hand: 20 scientists, no competition; scientist i has spent $i and
** 100 BGR ($1 at $0.01) moved from scientist 0 to scientist 1. Decile d holds the 2 scientists
** of skill ranks 2d - 1 and 2d (least skilled first); its value is their mean net gain. */
START_TEST(test_return_deciles_by_hand)
{
    bg_config c = base();
    c.days = 10, c.sci.count = 20, c.comm.members = 0, c.comm.farm_identities = 0;
    c.jobs.arrival_rate = 0.0;
    world w;
    build(&w, &c);
    bg_model *m = w.m;
    double gain[20];
    for (uint32_t i = 0; i < 20; i++)
        m->sci[i].spent_usd = (double)i, gain[i] = -(double)i;
    ck_assert_int_eq(bg_move(m, 0, m->a_sci, m->a_sci + 1, 100 * U, "probe"), 0);
    gain[0] -= 1.0, gain[1] += 1.0;
    run(&w);
    uint32_t order[20];
    for (uint32_t i = 0; i < 20; i++)
        order[i] = i;
    for (uint32_t i = 0; i < 20; i++) /* selection sort by skill, ascending */
        for (uint32_t j = i + 1; j < 20; j++)
            if (m->sci[order[j]].skill < m->sci[order[i]].skill) {
                uint32_t x = order[i];
                order[i] = order[j], order[j] = x;
            }
    for (uint32_t d = 0; d < 10; d++) {
        char name[48];
        snprintf(name, sizeof name, "bitgrit.return_decile_%02u", d + 1);
        double want = 0.5 * (gain[order[2 * (size_t)d]] + gain[order[2 * (size_t)d + 1]]);
        ck_assert_double_eq_tol(hashrec_last(&w.rec, name), want, 1e-9);
    }
    drop(&w);
}
END_TEST

/* ---- participation response ------------------------------------------------------------------ */

/* At $1 a BGR a 100 BGR stake is $100 against a $20 cost: halving it draws more entrants,
** doubling it fewer; halving the prize fewer, doubling it more (same beliefs and wallets). */
START_TEST(test_participation_response)
{
    bg_config c = base();
    c.days = 60, c.bgr_price_usd = 1.0, c.comp.stake = 100 * U, c.sci.count = 200;
    c.comp.bonus = 0, c.comm.members = 0, c.comm.farm_identities = 0, c.jobs.arrival_rate = 0.0;
    const char *keep[] = {"bitgrit.comp.entrants",
                          "bitgrit.comp.entrants_stake_half",
                          "bitgrit.comp.entrants_stake_double",
                          "bitgrit.comp.entrants_prize_half",
                          "bitgrit.comp.entrants_prize_double",
                          NULL};
    world w;
    build_tap(&w, &c, keep);
    run(&w);
    size_t n = tap_n(&w.tp, 0);
    ck_assert_uint_gt(n, 4);
    double sh = 0, sd = 0, ph = 0, pd = 0;
    for (size_t i = 0; i < n; i++) {
        double e = w.tp.v[0][i];
        ck_assert_double_ge(w.tp.v[1][i], e);
        ck_assert_double_le(w.tp.v[2][i], e);
        ck_assert_double_le(w.tp.v[3][i], e);
        ck_assert_double_ge(w.tp.v[4][i], e);
        sh += w.tp.v[1][i], sd += w.tp.v[2][i], ph += w.tp.v[3][i], pd += w.tp.v[4][i];
    }
    ck_assert_double_gt(sh, sd);
    ck_assert_double_gt(pd, ph);
    drop(&w);
}
END_TEST

/* ---- whole runs -------------------------------------------------------------------------- */

static void check_conservation(int minting, int numerai)
{
    bg_config c = base();
    c.days = 365, c.minting = minting, c.comm.farm_identities = 6;
    c.comp.numerai_settlement = numerai, c.comp.nm_threshold = 20000 * U;
    c.comp.nm_scale_ppb = bg_ppb(0.1), c.comp.nm_mult = 2000000, c.comp.nm_clip_ppb = bg_ppb(0.05);
    world w;
    build(&w, &c);
    run(&w);
    bg_model *m = w.m;
    bg_totals t;
    bg_model_totals(m, &t);
    ck_assert_uint_gt(t.competitions, 40);
    ck_assert_int_eq(tsr_ledger_check(&m->bgr), TSR_OK);
    ck_assert_int_eq(tsr_ledger_check(&m->usd), TSR_OK);
    /* every burn is a forfeit or a hire; every release is a community mint or a bonus */
    ck_assert_uint_eq(t.burned, t.burned_forfeits + t.burned_jobs);
    ck_assert_uint_gt(t.burned_forfeits, 0);
    if (numerai)
        ck_assert_uint_eq(t.reserve, 0); /* Numerai losses are burned, never reserved */
    ck_assert_uint_eq(t.released, t.community_issued);
    ck_assert_uint_eq(t.minted, minting ? t.released : 0);
    uint64_t sum = 0;
    for (size_t a = 0; a < m->bgr.n; a++)
        sum += m->bgr.balance[a];
    ck_assert_uint_eq(sum, t.supply);
    ck_assert_uint_eq(m->bgr.balance[BG_ESCROW], 0);
    if (!minting)
        ck_assert_uint_eq(m->bgr.genesis, c.max_supply);
    drop(&w);
}

START_TEST(test_conservation_preminted)
{
    check_conservation(0, 0);
    check_conservation(0, 1);
}
END_TEST

START_TEST(test_conservation_minting)
{
    check_conservation(1, 0);
    check_conservation(1, 1);
}
END_TEST

/* A balance written behind the ledger's back fails the next check, naming the event and the
** amounts; so does an escrow that no longer matches the open stakes. */
START_TEST(test_violation_is_reported)
{
    bg_config c = base();
    world w;
    build(&w, &c);
    ck_assert_int_eq(bg_check(w.m, 5, "probe"), 0);
    w.m->bgr.balance[BG_RESERVE] += 7;
    ck_assert_int_ne(bg_check(w.m, 5, "probe"), 0);
    ck_assert_ptr_nonnull(strstr(w.err, "day 5: probe: conservation violated"));
    w.m->bgr.balance[BG_RESERVE] -= 7;
    w.m->escrow_locked = 3;
    ck_assert_int_ne(bg_check(w.m, 6, "probe"), 0);
    ck_assert_ptr_nonnull(strstr(w.err, "competition escrow holds 0 units, open stakes are 3"));
    drop(&w);
}
END_TEST

START_TEST(test_determinism)
{
    bg_config c = base();
    c.days = 200;
    world a, b;
    build(&a, &c);
    run(&a);
    build(&b, &c);
    run(&b);
    ck_assert_uint_eq(a.rec.h, b.rec.h);
    ck_assert_uint_eq(a.rec.rows, b.rec.rows);
    drop(&b);
    c.seed = 8;
    build(&b, &c);
    run(&b);
    ck_assert_uint_ne(a.rec.h, b.rec.h);
    drop(&a);
    drop(&b);
}
END_TEST

START_TEST(test_bad_config)
{
    bg_config c = base();
    c.comp.winners = 0;
    sim *s = sim_new();
    hashrec r0;
    hashrec_init(&r0);
    recorder r = r0.rec;
    bg_model *m = (bg_model *)1;
    char err[256] = "";
    ck_assert_int_ne(bg_model_new(&c, s, &r, &m, err, sizeof err), 0);
    ck_assert_ptr_null(m);
    ck_assert(strlen(err) > 0);
    c = base();
    c.sci.balance_spread = 0.0, c.sci.balance = 1000000000ull * U; /* 60 x 10^9 > max supply */
    ck_assert_int_ne(bg_model_new(&c, s, &r, &m, err, sizeof err), 0);
    ck_assert_ptr_nonnull(strstr(err, "max_supply"));
    sim_free(s);
    bg_model_free(NULL);
}
END_TEST

/* ---- Numerai ----------------------------------------------------------------------------- */

static bg_config numerai(uint32_t models, double mu, double corr_mult)
{
    bg_config c;
    memset(&c, 0, sizeof c);
    c.seed = 3, c.mode = BG_MODE_NUMERAI, c.days = 7 + 28;
    c.nm = (bg_numerai_config){.models = models,
                               .interval = 7,
                               .resolve_days = 28,
                               .threshold = 72000 * U,
                               .corr_num = (int64_t)llround(corr_mult * 1e6),
                               .mmc_num = 2000000,
                               .clip_ppb = bg_ppb(0.05),
                               .stake = 1000 * U,
                               .mu_mean = mu,
                               .valid = 1.0,
                               .compound = 1,
                               .treasury = 1000000 * U};
    return c;
}

/* Spec §2.7: stake 1,000 NMR, total 870,000, T = 72,000, score 0.02: pf = 0.082758620,
** x = trunc(82758620 * 2e7 / 1e9) = 1655172 ppb, payout 1.655172 NMR per model. Scores are
** exact: every noise is 0 and mmc_k = 0 so MMC = 0; CORR multiplier 1 makes score = corr. */
START_TEST(test_numerai_round_vector)
{
    bg_config c = numerai(870, 0.02, 1.0);
    world w;
    build(&w, &c);
    run(&w);
    bg_model *m = w.m;
    ck_assert_uint_eq(m->tot.nm_rounds, 1);
    ck_assert_uint_eq(m->tot.nm_paid, 870ull * 1655172000ull);
    ck_assert_uint_eq(m->tot.nm_burned, 0);
    ck_assert_uint_eq(m->bgr.balance[0], 1000000 * U - 870ull * 1655172000ull);
    ck_assert_uint_eq(m->bgr.balance[1], 1000 * U + 1655172000ull);
    ck_assert_double_eq_tol(hashrec_last(&w.rec, "numerai.pf"), 0.08275862, 1e-12);
    ck_assert_double_eq(hashrec_last(&w.rec, "numerai.clip_hit_rate"), 0.0);
    drop(&w);
}
END_TEST

/* §2.7: score -0.9 with pf = 1 (72 x 1,000 NMR = T): the clip binds, -50 NMR each, burned. */
START_TEST(test_numerai_clip_burns)
{
    bg_config c = numerai(72, -0.9, 1.0);
    world w;
    build(&w, &c);
    run(&w);
    bg_model *m = w.m;
    ck_assert_uint_eq(m->tot.nm_burned, 72ull * 50 * U);
    ck_assert_uint_eq(m->bgr.burned, 72ull * 50 * U);
    ck_assert_uint_eq(m->tot.nm_paid, 0);
    ck_assert_uint_eq(m->bgr.balance[5], 950 * U);
    ck_assert_double_eq(hashrec_last(&w.rec, "numerai.clip_hit_rate"), 1.0);
    ck_assert_double_eq(hashrec_last(&w.rec, "numerai.pf"), 1.0);
    drop(&w);
    c.nm.burn_to_treasury = 1; /* burn_mode "treasury": the same amounts go back, none burned */
    build(&w, &c);
    run(&w);
    ck_assert_uint_eq(w.m->bgr.burned, 0);
    ck_assert_uint_eq(w.m->bgr.balance[0], 1000000 * U + 72ull * 50 * U);
    drop(&w);
}
END_TEST

/* Sybil neutrality (§2.8): one model's stake split over k identical models earns the same. */
START_TEST(test_numerai_split_neutral)
{
    bg_config c = numerai(100, 0.01, 1.0);
    c.nm.stake = 2000 * U;
    world a, b;
    build(&a, &c);
    run(&a);
    c.nm.models = 200, c.nm.stake = 1000 * U;
    build(&b, &c);
    run(&b);
    ck_assert_uint_eq(a.m->tot.nm_paid, b.m->tot.nm_paid);
    drop(&a);
    drop(&b);
}
END_TEST

/* §2.8 counterfactuals on the §2.7 round (870 equal stakes of 1,000 NMR, score 0.02 by CORR
** alone, multiplier 1): splitting the first model over 4 pays 4 x trunc(250e9 x 1655172 / 1e9)
** = 4 x 413793000 = 1655172000, its own payout: gain exactly 1. A Meta Model copy earns
** pf x 0.02 = 0.0827586 x 0.02 = 0.00165517 per unit, like the field (1655172000 / 1000e9).
** Top-1/5/10 shares of 870 equal stakes are 1/870, 5/870, 10/870; the runway is the treasury
** left over the round's outflow. */
START_TEST(test_numerai_counterfactuals)
{
    bg_config c = numerai(870, 0.02, 1.0);
    c.nm.sybil_k = 4;
    world w;
    build(&w, &c);
    run(&w);
    ck_assert_double_eq(hashrec_last(&w.rec, "numerai.sybil_gain"), 1.0);
    ck_assert_double_eq_tol(hashrec_last(&w.rec, "numerai.copy_return"), 0.0827586200 * 0.02,
                            1e-12);
    ck_assert_double_eq_tol(hashrec_last(&w.rec, "numerai.field_return"), 0.001655172, 1e-15);
    ck_assert_double_eq_tol(hashrec_last(&w.rec, "numerai.top1_share"), 1.0 / 870.0, 1e-15);
    ck_assert_double_eq_tol(hashrec_last(&w.rec, "numerai.top5_share"), 5.0 / 870.0, 1e-15);
    ck_assert_double_eq_tol(hashrec_last(&w.rec, "numerai.top10_share"), 10.0 / 870.0, 1e-15);
    double out = 870.0 * 1655172000.0;
    ck_assert_double_eq_tol(hashrec_last(&w.rec, "numerai.runway_rounds"), (1e15 - out) / out,
                            1e-9);
    drop(&w);
}
END_TEST

/* Staking v2 against v3 (spec §2.2) on 10 models of 1,000 NMR, corr = mu, multiplier 1, clip 1,
** rounds closing on days 7..35, the first resolving on day 35 (after that day's close).
** v3, round_share 0.2: the locks are 200, 160, 128, 102.4, 81.92 NMR (a fifth of what is free),
** 672.32 in all; round 1 risks 2,000 < T, so pf = 1: at corr 0.02 each model gains 200 x 0.02
** = 4 NMR and gets its 200 back; at corr -0.9 it loses 180 of its 200 lock (v2: 900 of its
** 1,000 stake). Exposure at the last close: v2 5 open rounds x 10,000 / 10,000 = 5; v3 6,723.2
** / 10,000 = 0.67232. */
START_TEST(test_numerai_v3_locks)
{
    bg_config c = numerai(10, 0.02, 1.0);
    c.nm.clip_ppb = TSR_PPB, c.nm.atomic_v3 = 1, c.nm.round_share_ppb = bg_ppb(0.2);
    world w;
    build(&w, &c);
    run(&w);
    bg_model *m = w.m;
    ck_assert_uint_eq(m->tot.nm_paid, 40 * U); /* 10 models x 4 */
    ck_assert_uint_eq(m->bgr.burned, 0);
    ck_assert_uint_eq(m->bgr.balance[m->nm_lock], 10 * (67232 * U / 100 - 200 * U));
    ck_assert_uint_eq(m->bgr.balance[1], 1000 * U - 67232 * U / 100 + 200 * U + 4 * U);
    ck_assert_double_eq_tol(hashrec_last(&w.rec, "numerai.exposure"), 0.67232, 1e-12);
    drop(&w);
    c = numerai(10, -0.9, 1.0);
    c.nm.clip_ppb = TSR_PPB, c.nm.atomic_v3 = 1, c.nm.round_share_ppb = bg_ppb(0.2);
    build(&w, &c);
    run(&w);
    ck_assert_uint_eq(w.m->bgr.burned, 1800 * U); /* 10 x 180 */
    drop(&w);
    c.nm.atomic_v3 = 0; /* v2: the whole stake is at risk in every open round */
    build(&w, &c);
    run(&w);
    ck_assert_uint_eq(w.m->bgr.burned, 9000 * U); /* 10 x 900 */
    ck_assert_double_eq_tol(hashrec_last(&w.rec, "numerai.exposure"), 5.0, 1e-12);
    drop(&w);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("bitgrit");
    TCase *t = tcase_create("core");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, test_one_competition_by_hand);
    tcase_add_test(t, test_one_competition_minting);
    tcase_add_test(t, test_jobs_withdraw_retains_lambda);
    tcase_add_test(t, test_jobs_hire_burns_deposit);
    tcase_add_test(t, test_budget_exhaustion_month);
    tcase_add_test(t, test_budget_never_exhausted);
    tcase_add_test(t, test_sybil_gain_gated);
    tcase_add_test(t, test_farm_window_switches);
    tcase_add_test(t, test_farm_cost_net_gated);
    tcase_add_test(t, test_entry_value_by_hand);
    tcase_add_test(t, test_entry_monotone_in_stake);
    tcase_add_test(t, test_entry_monotone_in_prize);
    tcase_add_test(t, test_conservation_preminted);
    tcase_add_test(t, test_conservation_minting);
    tcase_add_test(t, test_violation_is_reported);
    tcase_add_test(t, test_determinism);
    tcase_add_test(t, test_bad_config);
    tcase_add_test(t, test_numerai_round_vector);
    tcase_add_test(t, test_numerai_clip_burns);
    tcase_add_test(t, test_numerai_split_neutral);
    tcase_add_test(t, test_numerai_counterfactuals);
    tcase_add_test(t, test_numerai_v3_locks);
    tcase_add_test(t, test_remainders_by_rule);
    tcase_add_test(t, test_numerai_settlement_by_hand);
    tcase_add_test(t, test_entry_value_numerai);
    tcase_add_test(t, test_effort_completion_and_score);
    tcase_add_test(t, test_scoring_phase);
    tcase_add_test(t, test_bonus_probability);
    tcase_add_test(t, test_learning_by_hand);
    tcase_add_test(t, test_learning_over_a_year);
    tcase_add_test(t, test_hire_follows_record);
    tcase_add_test(t, test_gini_top1_by_hand);
    tcase_add_test(t, test_return_deciles_by_hand);
    tcase_add_test(t, test_participation_response);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return tdb_run(suite());
}
