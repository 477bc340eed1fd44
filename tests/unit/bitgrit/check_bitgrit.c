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
                              .score_noise = 0.5};
    c.sci = (bg_sci_config){.count = 60,
                            .balance = 20000 * U,
                            .balance_spread = 0.5,
                            .skill_sd = 1.0,
                            .complete_min = 0.6,
                            .complete_max = 0.95,
                            .cost_usd = 20.0,
                            .cost_spread = 0.5,
                            .belief_noise = 0.15,
                            .learning_rate = 0.3};
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

typedef struct world {
    sim *s;
    bg_model *m;
    hashrec rec;
    recorder r;
    char err[512];
} world;

static void build(world *w, const bg_config *c)
{
    memset(w, 0, sizeof *w);
    hashrec_init(&w->rec);
    w->r = w->rec.rec;
    w->s = sim_new();
    ck_assert_ptr_nonnull(w->s);
    ck_assert_msg(bg_model_new(c, w->s, &w->r, &w->m, w->err, sizeof w->err) == 0, "%s", w->err);
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

/* ---- whole runs -------------------------------------------------------------------------- */

static void check_conservation(int minting)
{
    bg_config c = base();
    c.days = 365, c.minting = minting, c.comm.farm_identities = 6;
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
    check_conservation(0);
}
END_TEST

START_TEST(test_conservation_minting)
{
    check_conservation(1);
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
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return tdb_run(suite());
}
