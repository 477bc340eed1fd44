/* test_aigen.c: one AiGen epoch worked by hand (spec mechanisms §3.2), the kappa-median on
 * the consensus.md example of §6.2(a), both developer modes, slashing and audits. */
#include <check.h>
#include <string.h>

#include "settle_tests.h"
#include "tsr.h"

#define E9 1000000000u

static tsr_aigen_params defaults(void)
{
    tsr_aigen_params p = {.k_plat_ppb = 500000000,
                          .k_dev_ppb = 350000000,
                          .k_val_ppb = 100000000,
                          .k_burn_ppb = 50000000,
                          .kappa_ppb = 500000000,
                          .mode = TSR_AIGEN_ABSOLUTE,
                          .gamma = 2};
    return p;
}

START_TEST(kappa_median_consensus_md)
{
    /* §6.2(a): stakes 60/40; weights (0.5, 0.4) give consensus 0.5; (0.3, 0.4) give 0.3. */
    const uint64_t stake[2] = {60, 40};
    const uint32_t m0[2] = {500000000, 400000000}, m1[2] = {300000000, 400000000};
    unsigned char scratch[256];
    ck_assert_uint_eq(tsr_aigen_kappa_median(m0, 1, stake, 2, E9 / 2, scratch), 500000000);
    ck_assert_uint_eq(tsr_aigen_kappa_median(m1, 1, stake, 2, E9 / 2, scratch), 300000000);
    /* ties count as a group: three validators at 0.7 with 20 % each and one at 0.9 with 40 %:
     * kappa 0.6 -> 0.9 holds 40 % < 60 %, 0.7 and above hold 100 % -> 0.7 */
    const uint64_t st4[4] = {20, 20, 20, 40};
    const uint32_t s4[4] = {700000000, 700000000, 700000000, 900000000};
    ck_assert_uint_eq(tsr_aigen_kappa_median(s4, 1, st4, 4, 600000000, scratch), 700000000);
    /* exactly kappa: 0.9 with 40 % meets kappa 0.4 */
    ck_assert_uint_eq(tsr_aigen_kappa_median(s4, 1, st4, 4, 400000000, scratch), 900000000);
}
END_TEST

/* Two validators (stake 6000, 4000), two controllers (spend 600, 400):
 * v0 scores (0.5, 0.3), v1 scores (0.4, 0.4). */
static const uint64_t spend[2] = {600, 400};
static const uint64_t stake[2] = {6000, 4000};
static const uint32_t scores[4] = {500000000, 300000000, 400000000, 400000000};

typedef struct result {
    uint64_t score[2], dev[2], err[2], val[2], slashed[2], sreward[2];
    tsr_aigen_out out;
    tsr_aigen_totals t;
} result;

typedef struct result4 {
    uint64_t score[4], dev[4], err[4], val[4], slashed[4], sreward[4];
    tsr_aigen_out out;
    tsr_aigen_totals t;
} result4;

static int run(const tsr_aigen_params *p, const int64_t *audit, result *r)
{
    memset(r, 0, sizeof *r);
    r->out = (tsr_aigen_out){r->score, r->dev, r->err, r->val, r->slashed, r->sreward};
    static unsigned char ws[4096];
    ck_assert_uint_le(tsr_aigen_workspace_size(2, 2), sizeof ws);
    return tsr_aigen_epoch(p, 2, 2, spend, stake, scores, audit, ws, sizeof ws, &r->out, &r->t);
}

START_TEST(epoch_absolute_by_hand)
{
    /* T = 1000 -> pools 500 / 350 / 100 / 50. S = (0.5, 0.3) (kappa-median as above).
     * Developer pool by usage: floor(350*600/1000) = 210, then 140; R = floor(210*.5) = 105,
     * floor(140*.3) = 42; unearned 105 + 98 = 203.
     * Errors: v0 agrees with S (0); v1 is 0.1 off on both: e = (600*.1 + 400*.1)/1000 = 0.1.
     * a^2 in ppb: 1e9 and floor(floor(.9e9*.9e9/1e9)...) = 810,000,000; weights 6000*1e9 and
     * 4000*8.1e8; the pool of 100: floor(100*6e12/9.24e12) = 64, then 36.
     * Check: 500 + 147 + 100 + 50 + 203 = 1000. */
    tsr_aigen_params p = defaults();
    result r;
    ck_assert_int_eq(run(&p, NULL, &r), TSR_OK);
    ck_assert_uint_eq(r.t.platform, 500);
    ck_assert_uint_eq(r.t.dev_pool, 350);
    ck_assert_uint_eq(r.t.val_pool, 100);
    ck_assert_uint_eq(r.t.burn, 50);
    ck_assert_uint_eq(r.score[0], 500000000);
    ck_assert_uint_eq(r.score[1], 300000000);
    ck_assert_uint_eq(r.dev[0], 105);
    ck_assert_uint_eq(r.dev[1], 42);
    ck_assert_uint_eq(r.t.unearned, 203);
    ck_assert_uint_eq(r.err[0], 0);
    ck_assert_uint_eq(r.err[1], 100000000);
    ck_assert_uint_eq(r.val[0], 64);
    ck_assert_uint_eq(r.val[1], 36);
    ck_assert_uint_eq(r.t.slashed, 0);
}
END_TEST

START_TEST(epoch_relative_by_hand)
{
    /* RELATIVE: weights S*T = 0.5e9*600 = 3e11 and 0.3e9*400 = 1.2e11: 350 * 3/4.2 = 250,
     * the rest 100; nothing unearned. */
    tsr_aigen_params p = defaults();
    p.mode = TSR_AIGEN_RELATIVE;
    result r;
    ck_assert_int_eq(run(&p, NULL, &r), TSR_OK);
    ck_assert_uint_eq(r.dev[0], 250);
    ck_assert_uint_eq(r.dev[1], 100);
    ck_assert_uint_eq(r.t.unearned, 0);
}
END_TEST

START_TEST(slashing_and_audit)
{
    /* epsilon 5 %, alpha 1 %: v1 (error 10 %) forfeits floor(4000 * .01) = 40, all to v0, the
     * only coherent validator. With an audit of controller 1 at 0.4: v0's error becomes
     * 400 * 0.1 / 1000 = 0.04, v1's 600 * 0.1 / 1000 = 0.06: v1 is still slashed. */
    tsr_aigen_params p = defaults();
    p.slashing = 1;
    p.epsilon_ppb = 50000000;
    p.slash_ppb = 10000000;
    result r;
    ck_assert_int_eq(run(&p, NULL, &r), TSR_OK);
    ck_assert_uint_eq(r.slashed[1], 40);
    ck_assert_uint_eq(r.slashed[0], 0);
    ck_assert_uint_eq(r.sreward[0], 40);
    ck_assert_uint_eq(r.t.slash_unclaimed, 0);
    const int64_t audit[2] = {-1, 400000000};
    ck_assert_int_eq(run(&p, audit, &r), TSR_OK);
    ck_assert_uint_eq(r.err[0], 40000000);
    ck_assert_uint_eq(r.err[1], 60000000);
    ck_assert_uint_eq(r.slashed[1], 40);
    /* everyone incoherent (epsilon 0 with both in error): forfeits unclaimed */
    p.epsilon_ppb = 0;
    ck_assert_int_eq(run(&p, audit, &r), TSR_OK);
    ck_assert_uint_eq(r.t.slashed, 60 + 40);
    ck_assert_uint_eq(r.t.slash_unclaimed, 100);
}
END_TEST

/* One epoch of any shape (at most 4 validators and 4 controllers) into r. */
static int run_any(const tsr_aigen_params *p, size_t nval, size_t nctrl, const uint64_t *sp,
                   const uint64_t *st, const uint32_t *sc, const int64_t *audit, result4 *r)
{
    memset(r, 0, sizeof *r);
    r->out = (tsr_aigen_out){r->score, r->dev, r->err, r->val, r->slashed, r->sreward};
    static unsigned char ws[4096];
    ck_assert_uint_le(tsr_aigen_workspace_size(nval, nctrl), sizeof ws);
    return tsr_aigen_epoch(p, nval, nctrl, sp, st, sc, audit, ws, sizeof ws, &r->out, &r->t);
}

START_TEST(absolute_from_each_controllers_own_spend)
{
    /* Spec §3.2 step 4: R_c = floor(k_dev T_c S_c). T = (10, 10), every score 1: the fee split
     * of 20 (Drips, cumulative 0.5 / 0.85 / 0.95 / 1) gives 10 / 7 / 2 / 1; each controller
     * earns floor(0.35 * 10) = 3, and 7 - 6 = 1 is unearned. (Splitting the pool of 7 by usage
     * first would hand 3 and 4.) */
    tsr_aigen_params p = defaults();
    const uint64_t sp[2] = {10, 10}, st[2] = {1, 1};
    const uint32_t sc[4] = {E9, E9, E9, E9};
    result4 r;
    ck_assert_int_eq(run_any(&p, 2, 2, sp, st, sc, NULL, &r), TSR_OK);
    ck_assert_uint_eq(r.t.dev_pool, 7);
    ck_assert_uint_eq(r.dev[0], 3);
    ck_assert_uint_eq(r.dev[1], 3);
    ck_assert_uint_eq(r.t.val_pool, 2);
    ck_assert_uint_eq(r.t.unearned, 1);
}
END_TEST

START_TEST(small_accuracies_keep_their_weight)
{
    /* One controller (spend 10000: validator pool floor(9500) - floor(8500) = 1000) audited at
     * 0, so e_v is the score itself: 0.99997 and 0.9999 give a = 3e-5 and 1e-4, a^2 = 9e-10
     * and 1e-8; with equal stakes the pool splits 1000 * 9e-10 / 1.09e-8 = 82.57 -> 82 and
     * 918 (spec §3.2 step 5). In ppb both squares floored to 0 and 10: 0 and 1000. */
    tsr_aigen_params p = defaults();
    const uint64_t sp[1] = {10000}, st[2] = {1, 1};
    const uint32_t sc[2] = {999970000, 999900000};
    const int64_t audit[1] = {0};
    result4 r;
    ck_assert_int_eq(run_any(&p, 2, 1, sp, st, sc, audit, &r), TSR_OK);
    ck_assert_uint_eq(r.t.val_pool, 1000);
    ck_assert_uint_eq(r.val[0], 82);
    ck_assert_uint_eq(r.val[1], 918);
}
END_TEST

START_TEST(slash_decided_on_the_exact_error)
{
    /* Spend (1, 2), both controllers audited at 0; v0 scores (1 ppb, 0.3), v1 (0, 0):
     * e_0 = (1 + 2 * 3e8) / 3 ppb = 200,000,000.33 ppb > epsilon 0.2, so v0 forfeits
     * floor(1000 * 1 %) = 10, all to v1. The floored error (200,000,000) equals epsilon. */
    tsr_aigen_params p = defaults();
    p.slashing = 1, p.epsilon_ppb = 200000000, p.slash_ppb = 10000000;
    const uint64_t sp[2] = {1, 2}, st[2] = {1000, 1000};
    const uint32_t sc[4] = {1, 300000000, 0, 0};
    const int64_t audit[2] = {0, 0};
    result4 r;
    ck_assert_int_eq(run_any(&p, 2, 2, sp, st, sc, audit, &r), TSR_OK);
    ck_assert_uint_eq(r.err[0], 200000000);
    ck_assert_uint_eq(r.slashed[0], 10);
    ck_assert_uint_eq(r.slashed[1], 0);
    ck_assert_uint_eq(r.sreward[1], 10);
    /* one unit less of error is exactly epsilon: no slash */
    const uint32_t sc2[4] = {0, 300000000, 0, 0};
    ck_assert_int_eq(run_any(&p, 2, 2, sp, st, sc2, audit, &r), TSR_OK);
    ck_assert_uint_eq(r.t.slashed, 0);
}
END_TEST

/* Proportional slashing (spec mechanisms §5.3, §6.2(h)): the forfeit adds
** floor(sigma min(m B, S) / S) to the flat floor(sigma alpha), capped at sigma. */
START_TEST(proportional_slashing_by_hand)
{
    /* The two validators above, epsilon 5 %, alpha 1 %: v1 (stake 4000 of S = 10000) alone is
     * incoherent, so B = 4000. m = 0: 40 as before; m = 1: 40 + 4000 * 4000 / 10000 = 1640;
     * m = 2: 40 + 4000 * 8000 / 10000 = 3240; m = 3: min(12000, 10000) = S, so 40 + 4000,
     * capped at the stake: 4000. Everything goes to v0, the only coherent validator. */
    tsr_aigen_params p = defaults();
    p.slashing = 1, p.epsilon_ppb = 50000000, p.slash_ppb = 10000000;
    const uint64_t want[4] = {40, 1640, 3240, 4000};
    result r;
    for (uint32_t m = 0; m <= 3; m++) {
        p.slash_correlation = m;
        ck_assert_int_eq(run(&p, NULL, &r), TSR_OK);
        ck_assert_uint_eq(r.slashed[1], want[m]);
        ck_assert_uint_eq(r.slashed[0], 0);
        ck_assert_uint_eq(r.sreward[0], want[m]);
        ck_assert_uint_eq(r.t.slashed, want[m]);
    }
    /* Both incoherent (epsilon 0, the audit of the test above): B = S, so even m = 1 takes
     * every unit of stake: 6000 + 4000, nobody coherent to receive it. */
    const int64_t audit[2] = {-1, 400000000};
    p.epsilon_ppb = 0, p.slash_correlation = 1;
    ck_assert_int_eq(run(&p, audit, &r), TSR_OK);
    ck_assert_uint_eq(r.slashed[0], 6000);
    ck_assert_uint_eq(r.slashed[1], 4000);
    ck_assert_uint_eq(r.t.slash_unclaimed, 10000);
    /* Floors: stakes 1000, 700, 333; v0 and v1 score (0.5, 0.3) as the consensus, v2 (0.4,
     * 0.4): error 0.1, incoherent alone. m = 3: B = 333, S = 2033, min(999, 2033) = 999;
     * floor(333 * 999 / 2033) = floor(332667 / 2033) = 163 (2033 * 163 = 331379, rest 1288);
     * flat floor(3.33) = 3: 166, split by stake 1000 : 700 as the Drips rule does:
     * floor(166 * 1000 / 1700) = 97, then 166 - 97 = 69. */
    const uint64_t st3[3] = {1000, 700, 333};
    const uint32_t sc3[6] = {500000000, 300000000, 500000000, 300000000, 400000000, 400000000};
    result4 r4;
    p = defaults();
    p.slashing = 1, p.epsilon_ppb = 50000000, p.slash_ppb = 10000000, p.slash_correlation = 3;
    ck_assert_int_eq(run_any(&p, 3, 2, spend, st3, sc3, NULL, &r4), TSR_OK);
    ck_assert_uint_eq(r4.score[0], 500000000);
    ck_assert_uint_eq(r4.score[1], 300000000);
    ck_assert_uint_eq(r4.slashed[2], 166);
    ck_assert_uint_eq(r4.slashed[0] + r4.slashed[1], 0);
    ck_assert_uint_eq(r4.sreward[0], 97);
    ck_assert_uint_eq(r4.sreward[1], 69);
    ck_assert_uint_eq(r4.sreward[2], 0);
}
END_TEST

START_TEST(bad_params)
{
    tsr_aigen_params p = defaults();
    result r;
    p.k_burn_ppb = 0; /* shares sum to 95 % */
    ck_assert_int_eq(run(&p, NULL, &r), TSR_EINVAL);
    p = defaults();
    p.kappa_ppb = 0;
    ck_assert_int_eq(run(&p, NULL, &r), TSR_EINVAL);
    p = defaults();
    p.slash_ppb = E9 + 1;
    ck_assert_int_eq(run(&p, NULL, &r), TSR_ERANGE);
    p = defaults();
    p.slash_correlation = TSR_AIGEN_MAX_CORRELATION + 1;
    ck_assert_int_eq(run(&p, NULL, &r), TSR_ERANGE);
}
END_TEST

Suite *suite_aigen(void)
{
    Suite *s = suite_create("aigen");
    TCase *t = tcase_create("epoch");
    tcase_add_test(t, kappa_median_consensus_md);
    tcase_add_test(t, epoch_absolute_by_hand);
    tcase_add_test(t, epoch_relative_by_hand);
    tcase_add_test(t, slashing_and_audit);
    tcase_add_test(t, absolute_from_each_controllers_own_spend);
    tcase_add_test(t, small_accuracies_keep_their_weight);
    tcase_add_test(t, slash_decided_on_the_exact_error);
    tcase_add_test(t, proportional_slashing_by_hand);
    tcase_add_test(t, bad_params);
    suite_add_tcase(s, t);
    return s;
}
