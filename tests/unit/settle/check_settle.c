/* check_settle.c: settlement primitives, competition tiers, Numerai rounds, vesting and the
 * community-minting throttle (the AiGen and C-Flow suites are in test_aigen.c, test_cflow.c).
 * Expected values are worked out by hand from spec mechanisms §1.2, §2.7 and §4.3 (the arithmetic
 * is in the comments), or taken from the spec's vectors.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "settle_tests.h"
#include "tsr.h"
#include "tdb.h"

#define BGR 1000000000ull /* units per token */

/* ---- primitives ------------------------------------------------------------------------- */

START_TEST(muldiv_edges)
{
    uint64_t v = 0;
    ck_assert_int_eq(tsr_muldiv_floor(UINT64_MAX, UINT64_MAX, UINT64_MAX, &v), TSR_OK);
    ck_assert_uint_eq(v, UINT64_MAX);
    ck_assert_int_eq(tsr_muldiv_floor(7, 3, 2, &v), TSR_OK); /* 21/2 = 10.5 */
    ck_assert_uint_eq(v, 10);
    v = 42;
    ck_assert_int_eq(tsr_muldiv_floor(1ull << 63, 4, 1, &v), TSR_EOVERFLOW);
    ck_assert_uint_eq(v, 42);
    ck_assert_int_eq(tsr_muldiv_floor(1, 1, 0, &v), TSR_EDIVZERO);
}
END_TEST

START_TEST(take_ppb_floors)
{
    uint64_t t = 0, r = 0;
    ck_assert_int_eq(tsr_take_ppb(1000, 250000000, &t, &r), TSR_OK);
    ck_assert_uint_eq(t, 250);
    ck_assert_uint_eq(r, 750);
    /* 7 * 0.333333333 = 2.333333331 -> 2 taken, 5 left */
    ck_assert_int_eq(tsr_take_ppb(7, 333333333, &t, &r), TSR_OK);
    ck_assert_uint_eq(t, 2);
    ck_assert_uint_eq(r, 5);
    ck_assert_int_eq(tsr_take_ppb(UINT64_MAX, TSR_PPB, &t, &r), TSR_OK);
    ck_assert_uint_eq(t, UINT64_MAX);
    ck_assert_uint_eq(r, 0);
    ck_assert_int_eq(tsr_take_ppb(1, TSR_PPB + 1, &t, &r), TSR_ERANGE);
}
END_TEST

START_TEST(drips_vector)
{
    /* spec mechanisms §4.3: A = 5, two receivers at 30 % each -> 1, then 2; 2 stays. */
    const uint64_t w[2] = {300000, 300000};
    uint64_t out[2], kept = 99;
    ck_assert_int_eq(tsr_split_cumulative(5, w, 2, 1000000, out, &kept), TSR_OK);
    ck_assert_uint_eq(out[0], 1);
    ck_assert_uint_eq(out[1], 2);
    ck_assert_uint_eq(kept, 2);
    /* weights summing to the denominator hand out everything: 10 over 1:1:1 -> 3, 3, 4 */
    const uint64_t e[3] = {1, 1, 1};
    uint64_t o3[3];
    ck_assert_int_eq(tsr_split_cumulative(10, e, 3, 3, o3, &kept), TSR_OK);
    ck_assert_uint_eq(o3[0], 3);
    ck_assert_uint_eq(o3[1], 3);
    ck_assert_uint_eq(o3[2], 4);
    ck_assert_uint_eq(kept, 0);
    const uint64_t over[2] = {600000, 600000};
    ck_assert_int_eq(tsr_split_cumulative(5, over, 2, 1000000, out, &kept), TSR_ERANGE);
    ck_assert_int_eq(tsr_split_cumulative(5, w, 2, 0, out, &kept), TSR_EDIVZERO);
}
END_TEST

START_TEST(isqrt_edges)
{
    ck_assert_uint_eq(tsr_isqrt_u128(UINT64_MAX, UINT64_MAX), UINT64_MAX); /* 2^128 - 1 */
    ck_assert_uint_eq(tsr_isqrt_u128(0, 99), 9);
    ck_assert_uint_eq(tsr_isqrt_u128(0, 100), 10);
    ck_assert_uint_eq(tsr_isqrt_u128(0, 0), 0);
    /* 10^36 = 0x00c097ce7bc90715_b34b9f1000000000, root 10^18 */
    ck_assert_uint_eq(tsr_isqrt_u128(0x00c097ce7bc90715ull, 0xb34b9f1000000000ull),
                      1000000000000000000ull);
}
END_TEST

START_TEST(rank_weights_kaggle)
{
    /* r^-0.75 in ppb, floored: the Kaggle rank factors 1, 0.5946, 0.4387, 0.1778, 0.05318,
     * 0.03162 of spec §2.6 at ranks 1, 2, 3, 10, 50, 100 (decimal expansions to 9 places:
     * 2^-0.75 = 0.594603557501, 3^-0.75 = 0.438691337650, 10^-0.75 = 0.177827941003,
     * 50^-0.75 = 0.053182958969, 100^-0.75 = 0.031622776601). */
    uint64_t w[100];
    ck_assert_int_eq(tsr_rank_weights_power(3, 100, w), TSR_OK);
    ck_assert_uint_eq(w[0], 1000000000);
    ck_assert_uint_eq(w[1], 594603557);
    ck_assert_uint_eq(w[2], 438691337);
    ck_assert_uint_eq(w[9], 177827941);
    ck_assert_uint_eq(w[49], 53182958);
    ck_assert_uint_eq(w[99], 31622776);
    ck_assert_int_eq(tsr_rank_weights_power(0, 3, w), TSR_OK); /* exponent 0: flat */
    ck_assert_uint_eq(w[2], 1000000000);
    ck_assert_int_eq(tsr_rank_weights_power(9, 3, w), TSR_ERANGE);
}
END_TEST

/* ---- competitions ----------------------------------------------------------------------- */

static tsr_compete_rules default_rules(uint64_t *weights)
{
    ck_assert_int_eq(tsr_rank_weights_power(3, 3, weights), TSR_OK);
    tsr_compete_rules r = {.winners = 3,
                           .keep_ppb = 800000000,
                           .forfeit_low_ppb = 250000000,
                           .forfeit_inc_ppb = 500000000,
                           .reserve_ppb = 500000000,
                           .fee_ppb = 100000000,
                           .rank_weights = weights};
    return r;
}

/* spec mechanisms §2.6's medal vectors, and the band edges worked by hand. */
START_TEST(kaggle_medal_vectors)
{
    static const uint64_t v[][4] = {/* teams, gold, silver, bronze */
                                    {50, 5, 10, 20},
                                    {150, 10, 30, 60},
                                    {500, 11, 50, 100},
                                    {4571, 19, 228, 457},
                                    {9066, 28, 453, 906},
                                    /* 99: floor(9.9), floor(19.8), floor(39.6) */
                                    {99, 9, 19, 39},
                                    /* 100: gold the fixed top 10 */
                                    {100, 10, 20, 40},
                                    /* 249 and 250: 10 / 49 / 99, then 10 + floor(0.5) / 50 / 100 */
                                    {249, 10, 49, 99},
                                    {250, 10, 50, 100},
                                    /* 999 and 1000: 10 + 1 / 50 / 100, then 10 + 2 / 50 / 100 */
                                    {999, 11, 50, 100},
                                    {1000, 12, 50, 100},
                                    /* 5000: "5,000 teams -> 20" golds */
                                    {5000, 20, 250, 500},
                                    /* tiny: nothing below 10 %, 20 %, 40 % of a team */
                                    {1, 0, 0, 0},
                                    {3, 0, 0, 1},
                                    {0, 0, 0, 0}};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        uint64_t g = 9, s = 9, b = 9;
        tsr_kaggle_medals(v[i][0], &g, &s, &b);
        ck_assert_msg(g == v[i][1] && s == v[i][2] && b == v[i][3], "%llu teams: %llu/%llu/%llu",
                      (unsigned long long)v[i][0], (unsigned long long)g, (unsigned long long)s,
                      (unsigned long long)b);
    }
    uint64_t g;
    tsr_kaggle_medals(UINT64_MAX, &g, NULL, NULL); /* no overflow: 10 + floor(0.002 (2^64 - 1)) */
    ck_assert_uint_eq(g, 10 + UINT64_MAX / 1000 * 2 + UINT64_MAX % 1000 * 2 / 1000);
}
END_TEST

START_TEST(compete_tiers_by_hand)
{
    /* 10 entrants at 100 BGR; 8 complete (ranks given out of order), 2 do not. M = 8,
     * keep cut floor(0.8 * 8) = 6: ranks 1-3 T1, 4-6 T2, 7-8 T3 (forfeit 25 BGR each),
     * 2 x T4 (forfeit 50 BGR each). F = 150 BGR: reserve 75, burned 75; returned 850.
     * Prize 1,000,000 (cents): fee 100,000, net 900,000 split over the weights
     * 1e9 : 594603557 : 438691337 (sum 2033294894) cumulatively:
     * floor(900000*1e9/2033294894) = 442631; floor(900000*1594603557/2033294894) = 705821
     * -> 263190; the last gets 900000 - 705821 = 194179 (49.2 / 29.2 / 21.6 %).
     * Bonus 3,000 BGR = 3e12 units the same way: floor(3e12*1e9/2033294894) = 1475437728611,
     * floor(3e12*1594603557/2033294894) = 2352738250175 -> 877300521564, and the last
     * 3e12 - 2352738250175 = 647261749825. */
    uint64_t w[3];
    tsr_compete_rules r = default_rules(w);
    const uint32_t ranks[10] = {5, 0, 1, 8, 3, 0, 2, 7, 4, 6};
    tsr_compete_entry e[10];
    for (int i = 0; i < 10; i++)
        e[i] = (tsr_compete_entry){.stake = 100 * BGR, .rank = ranks[i]};
    tsr_compete_payout out[10];
    tsr_compete_totals t;
    ck_assert_int_eq(tsr_compete_settle(&r, e, 10, 1000000, 3000 * BGR, out, &t), TSR_OK);
    ck_assert_uint_eq(t.completed, 8);
    ck_assert_uint_eq(t.keep_cut, 6);
    ck_assert_uint_eq(out[2].tier, TSR_TIER_WINNER);
    ck_assert_uint_eq(out[0].tier, TSR_TIER_KEEP);
    ck_assert_uint_eq(out[9].tier, TSR_TIER_KEEP);
    ck_assert_uint_eq(out[3].tier, TSR_TIER_LOW);
    ck_assert_uint_eq(out[3].forfeited, 25 * BGR);
    ck_assert_uint_eq(out[1].tier, TSR_TIER_INCOMPLETE);
    ck_assert_uint_eq(out[1].returned, 50 * BGR);
    ck_assert_uint_eq(t.forfeited, 150 * BGR);
    ck_assert_uint_eq(t.forfeited_by_tier[TSR_TIER_LOW], 50 * BGR);
    ck_assert_uint_eq(t.forfeited_by_tier[TSR_TIER_INCOMPLETE], 100 * BGR);
    ck_assert_uint_eq(t.reserve, 75 * BGR);
    ck_assert_uint_eq(t.burned, 75 * BGR);
    ck_assert_uint_eq(t.returned, 850 * BGR);
    ck_assert_uint_eq(t.fee, 100000);
    ck_assert_uint_eq(out[2].prize, 442631); /* rank 1 */
    ck_assert_uint_eq(out[6].prize, 263190); /* rank 2 */
    ck_assert_uint_eq(out[4].prize, 194179); /* rank 3 */
    ck_assert_uint_eq(out[0].prize, 0);
    ck_assert_uint_eq(t.prize_paid, 900000);
    ck_assert_uint_eq(out[2].bonus, 1475437728611ull);
    ck_assert_uint_eq(out[6].bonus, 877300521564ull);
    ck_assert_uint_eq(out[4].bonus, 647261749825ull);
    ck_assert_uint_eq(out[0].bonus, 0);
    ck_assert_uint_eq(t.bonus_paid, 3000 * BGR);
}
END_TEST

START_TEST(compete_fixed_split_kaggle)
{
    /* "What Do You Know?": 60/30/10 of $5,000 with no fee -> $3,000 / $1,500 / $500. */
    const uint64_t w[3] = {60, 30, 10};
    tsr_compete_rules r = {.winners = 3, .keep_ppb = TSR_PPB, .rank_weights = w};
    tsr_compete_entry e[4] = {{10, 2}, {10, 1}, {10, 4}, {10, 3}};
    tsr_compete_payout out[4];
    tsr_compete_totals t;
    ck_assert_int_eq(tsr_compete_settle(&r, e, 4, 500000, 0, out, &t), TSR_OK);
    ck_assert_uint_eq(out[1].prize, 300000);
    ck_assert_uint_eq(out[0].prize, 150000);
    ck_assert_uint_eq(out[3].prize, 50000);
    ck_assert_uint_eq(out[2].prize, 0);
    ck_assert_uint_eq(out[2].tier, TSR_TIER_KEEP); /* keep 100 %: nobody is low */
    ck_assert_uint_eq(t.forfeited, 0);
}
END_TEST

START_TEST(compete_fewer_completed_than_winners)
{
    /* M = 1 < W = 3: the only finisher takes the whole net prize (weights over rank 1 only);
     * with no finisher nothing is charged and the prize and bonus stay unpaid. */
    uint64_t w[3];
    tsr_compete_rules r = default_rules(w);
    tsr_compete_entry e[2] = {{40, 1}, {40, 0}};
    tsr_compete_payout out[2];
    tsr_compete_totals t;
    ck_assert_int_eq(tsr_compete_settle(&r, e, 2, 1001, 7, out, &t), TSR_OK);
    ck_assert_uint_eq(t.fee, 100); /* floor(1001 * 0.1) */
    ck_assert_uint_eq(out[0].prize, 901);
    ck_assert_uint_eq(out[0].bonus, 7);
    ck_assert_uint_eq(out[1].forfeited, 20);
    e[0].rank = 0;
    ck_assert_int_eq(tsr_compete_settle(&r, e, 2, 1001, 7, out, &t), TSR_OK);
    ck_assert_uint_eq(t.fee, 0);
    ck_assert_uint_eq(t.prize_unpaid, 1001);
    ck_assert_uint_eq(t.bonus_unpaid, 7);
    ck_assert_uint_eq(t.forfeited, 40);
    ck_assert_uint_eq(t.reserve + t.burned, 40);
}
END_TEST

START_TEST(compete_bad_input)
{
    uint64_t w[3];
    tsr_compete_rules r = default_rules(w);
    tsr_compete_payout out[3];
    tsr_compete_totals t;
    tsr_compete_entry dup[3] = {{1, 1}, {1, 1}, {1, 3}};
    ck_assert_int_eq(tsr_compete_settle(&r, dup, 3, 0, 0, out, &t), TSR_EINVAL);
    tsr_compete_entry high[2] = {{1, 1}, {1, 3}}; /* rank 3 with M = 2 */
    ck_assert_int_eq(tsr_compete_settle(&r, high, 2, 0, 0, out, &t), TSR_EINVAL);
    tsr_compete_entry big[2] = {{UINT64_MAX, 1}, {1, 2}};
    ck_assert_int_eq(tsr_compete_settle(&r, big, 2, 0, 0, out, &t), TSR_EOVERFLOW);
    r.fee_ppb = TSR_PPB + 1;
    ck_assert_int_eq(tsr_compete_settle(&r, high, 1, 0, 0, out, &t), TSR_ERANGE);
}
END_TEST

/* ---- Numerai ---------------------------------------------------------------------------- */

static const tsr_numerai_rules classic = {.threshold = 72000 * BGR,
                                          .corr_num = 1,
                                          .corr_den = 2,
                                          .mmc_num = 2,
                                          .mmc_den = 1,
                                          .clip_ppb = 50000000};

START_TEST(numerai_spec_vectors)
{
    /* §2.7: stake 1,000 NMR of 870,000 at risk, corr 0.02, mmc 0.005, 0.5/2:
     * pf = floor(72000e9 * 1e9 / 870000e9) = 82758620; score = 0.01 + 0.01 = 20,000,000 ppb;
     * x = trunc(82758620 * 2e7 / 1e9) = 1655172; payout = 1000e9 * 1655172 / 1e9
     * = 1,655,172,000 units = +1.655172 NMR (the spec's 1.6552). */
    tsr_numerai_model m[2] = {{1000 * BGR, 1, 20000000, 5000000}, {869000 * BGR, 1, 0, 0}};
    int64_t p[2];
    tsr_numerai_totals t;
    ck_assert_int_eq(tsr_numerai_round(&classic, m, 2, p, &t), TSR_OK);
    ck_assert_uint_eq(t.at_risk, 870000 * BGR);
    ck_assert_uint_eq(t.pf_ppb, 82758620);
    ck_assert_int_eq(p[0], 1655172000);
    ck_assert_int_eq(p[1], 0);
    /* total <= 72,000: pf = 1, payout +20 NMR */
    m[1].stake = 71000 * BGR;
    ck_assert_int_eq(tsr_numerai_round(&classic, m, 2, p, &t), TSR_OK);
    ck_assert_uint_eq(t.pf_ppb, TSR_PPB);
    ck_assert_int_eq(p[0], (int64_t)(20 * BGR));
    /* score -0.9 (here 2 x mmc -0.45), pf = 1: the clip binds, -50 NMR burned */
    m[0].corr_ppb = 0;
    m[0].mmc_ppb = -450000000;
    ck_assert_int_eq(tsr_numerai_round(&classic, m, 2, p, &t), TSR_OK);
    ck_assert_int_eq(p[0], -(int64_t)(50 * BGR));
    ck_assert_uint_eq(t.burned, 50 * BGR);
    ck_assert_uint_eq(t.clip_hits, 1);
}
END_TEST

START_TEST(numerai_invalid_not_at_risk)
{
    /* An invalid submission has no stake at risk: no payout, and it does not dilute pf. */
    tsr_numerai_model m[2] = {{1000 * BGR, 1, 20000000, 0}, {1000000 * BGR, 0, 30000000, 0}};
    int64_t p[2];
    tsr_numerai_totals t;
    ck_assert_int_eq(tsr_numerai_round(&classic, m, 2, p, &t), TSR_OK);
    ck_assert_uint_eq(t.at_risk, 1000 * BGR);
    ck_assert_uint_eq(t.pf_ppb, TSR_PPB);
    ck_assert_int_eq(p[0], (int64_t)(10 * BGR)); /* 0.5 * 0.02 = 1 % of 1000 */
    ck_assert_int_eq(p[1], 0);
}
END_TEST

START_TEST(numerai_sybil_linear)
{
    /* §2.8: splitting one stake over k identical models pays exactly the same. */
    tsr_numerai_model one[1] = {{6000 * BGR, 1, 15000000, 7000000}};
    tsr_numerai_model three[3];
    for (int i = 0; i < 3; i++)
        three[i] = (tsr_numerai_model){2000 * BGR, 1, 15000000, 7000000};
    int64_t p1[1], p3[3];
    tsr_numerai_totals t1, t3;
    ck_assert_int_eq(tsr_numerai_round(&classic, one, 1, p1, &t1), TSR_OK);
    ck_assert_int_eq(tsr_numerai_round(&classic, three, 3, p3, &t3), TSR_OK);
    ck_assert_int_eq(p3[0] + p3[1] + p3[2], p1[0]);
    ck_assert_int_ne(p1[0], 0);
}
END_TEST

START_TEST(numerai_bad_input)
{
    tsr_numerai_model m[1] = {{1, 1, 2000000000, 0}};
    int64_t p[1];
    tsr_numerai_totals t;
    ck_assert_int_eq(tsr_numerai_round(&classic, m, 1, p, &t), TSR_EINVAL);
    tsr_numerai_rules r = classic;
    r.corr_den = 0;
    m[0].corr_ppb = 0;
    ck_assert_int_eq(tsr_numerai_round(&r, m, 1, p, &t), TSR_EINVAL);
    r = classic;
    r.clip_ppb = TSR_PPB + 1;
    ck_assert_int_eq(tsr_numerai_round(&r, m, 1, p, &t), TSR_ERANGE);
}
END_TEST

/* ---- vesting and community minting ------------------------------------------------------ */

START_TEST(vesting_community_bucket)
{
    /* 40 % of 10^10 BGR over 32 months, no cliff: 125,000,000 BGR a month (§1.2). */
    const uint64_t total = 4000000000ull * BGR;
    ck_assert_uint_eq(tsr_vested_linear(total, 0, 32, 0), 0);
    ck_assert_uint_eq(tsr_vested_linear(total, 0, 32, 1), 125000000ull * BGR);
    ck_assert_uint_eq(tsr_vested_linear(total, 0, 32, 32), total);
    ck_assert_uint_eq(tsr_vested_linear(total, 0, 32, 40), total);
    /* team: 6-month cliff, then 32 months: nothing through month 6, 1/32 at month 7 */
    ck_assert_uint_eq(tsr_vested_linear(3200, 6, 32, 5), 0);
    ck_assert_uint_eq(tsr_vested_linear(3200, 6, 32, 6), 0);
    ck_assert_uint_eq(tsr_vested_linear(3200, 6, 32, 7), 100);
    ck_assert_uint_eq(tsr_vested_linear(3200, 6, 32, 38), 3200);
    ck_assert_uint_eq(tsr_vested_linear(3200, 6, 0, 6), 3200);
}
END_TEST

START_TEST(throttle_by_hand)
{
    /* E = 100, claims 2 x 30 and 1 x 50: C = 110 > E, pi = 100/110; each action gets
     * floor(30*100/110) = 27 and floor(50*100/110) = 45: 54 + 45 = 99 paid, 1 carried. */
    tsr_mint_claim c[2] = {{30, 2}, {50, 1}};
    uint64_t paid[2];
    tsr_mint_totals t;
    ck_assert_int_eq(tsr_mint_throttle(100, c, 2, paid, &t), TSR_OK);
    ck_assert_uint_eq(t.claimed, 110);
    ck_assert_uint_eq(paid[0], 54);
    ck_assert_uint_eq(paid[1], 45);
    ck_assert_uint_eq(t.paid, 99);
    ck_assert_uint_eq(t.carry, 1);
    ck_assert_uint_eq(t.factor_ppb, 909090909);
    /* within budget: everyone is paid in full and the rest carries over */
    ck_assert_int_eq(tsr_mint_throttle(200, c, 2, paid, &t), TSR_OK);
    ck_assert_uint_eq(paid[0], 60);
    ck_assert_uint_eq(paid[1], 50);
    ck_assert_uint_eq(t.carry, 90);
    ck_assert_uint_eq(t.factor_ppb, TSR_PPB);
    tsr_mint_claim huge[2] = {{UINT64_MAX, 1}, {1, 1}};
    ck_assert_int_eq(tsr_mint_throttle(1, huge, 2, paid, &t), TSR_EOVERFLOW);
}
END_TEST

START_TEST(throttle_sybil_gain)
{
    /* Sybil gain of community minting: k identities each claiming the same actions as one
     * farmer get k times the reward when unthrottled; under a binding budget the farm's share
     * of the budget grows with k (C grows with k) -- here 1 honest + k farmers of 10 each with
     * E = 50: k = 1 -> 25 each; k = 4 -> floor(10*50/50) = 10 each, farm 40 of 50. */
    tsr_mint_claim c[5];
    uint64_t paid[5];
    tsr_mint_totals t;
    for (int i = 0; i < 5; i++)
        c[i] = (tsr_mint_claim){10, 1};
    ck_assert_int_eq(tsr_mint_throttle(10, c, 2, paid, &t), TSR_OK);
    ck_assert_uint_eq(paid[1], 5);
    ck_assert_int_eq(tsr_mint_throttle(50, c, 5, paid, &t), TSR_OK);
    ck_assert_uint_eq(paid[1] + paid[2] + paid[3] + paid[4], 40);
    ck_assert_uint_eq(paid[0], 10);
}
END_TEST

Suite *suite_settle(void)
{
    Suite *s = suite_create("settle");
    TCase *p = tcase_create("primitives");
    tcase_add_test(p, kaggle_medal_vectors);
    tcase_add_test(p, muldiv_edges);
    tcase_add_test(p, take_ppb_floors);
    tcase_add_test(p, drips_vector);
    tcase_add_test(p, isqrt_edges);
    tcase_add_test(p, rank_weights_kaggle);
    suite_add_tcase(s, p);
    TCase *c = tcase_create("compete");
    tcase_add_test(c, compete_tiers_by_hand);
    tcase_add_test(c, compete_fixed_split_kaggle);
    tcase_add_test(c, compete_fewer_completed_than_winners);
    tcase_add_test(c, compete_bad_input);
    suite_add_tcase(s, c);
    TCase *n = tcase_create("numerai");
    tcase_add_test(n, numerai_spec_vectors);
    tcase_add_test(n, numerai_invalid_not_at_risk);
    tcase_add_test(n, numerai_sybil_linear);
    tcase_add_test(n, numerai_bad_input);
    suite_add_tcase(s, n);
    TCase *m = tcase_create("community");
    tcase_add_test(m, vesting_community_bucket);
    tcase_add_test(m, throttle_by_hand);
    tcase_add_test(m, throttle_sybil_gain);
    suite_add_tcase(s, m);
    return s;
}

int main(void)
{
    return TDB_RUN_ALL(suite_settle(), suite_aigen(), suite_cflow(), suite_basefee());
}
