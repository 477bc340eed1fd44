/* test_emission.c: halving schedules (spec mechanisms §5.1), Bittensor issuance-driven emission
 * (spec bittensor §3.1) and epoch scheduling (§3.6). The chain's vector files are run in
 * test_vectors.c; here are the hand-computed tables and the properties around them. */
#include "reward_tests.h"
#include "tsr.h"

#define BTC_R0 UINT64_C(5000000000)

static const tsr_halving_schedule btc = {BTC_R0, 210000, 0};

START_TEST(test_btc_table)
{
    static const struct {
        uint64_t h, sat;
    } table[] = {{0, 5000000000u},      {209999, 5000000000u}, {210000, 2500000000u},
                 {420000, 1250000000u}, {630000, 625000000u},  {840000, 312500000u},
                 {1050000, 156250000u}, {6929999, 1},          {6930000, 0},
                 {UINT64_MAX, 0}};
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        ck_assert_uint_eq(tsr_halving_subsidy(&btc, table[i].h), table[i].sat);
    ck_assert_uint_eq(tsr_halving_era(&btc, 6929999), 32);
    /* k >= 64 never shifts: a schedule with H = 1 reaches era 64 at block 64 */
    tsr_halving_schedule fast = {UINT64_MAX, 1, 0};
    ck_assert_uint_eq(tsr_halving_subsidy(&fast, 63), 1);
    ck_assert_uint_eq(tsr_halving_subsidy(&fast, 64), 0);
    ck_assert_uint_eq(tsr_halving_subsidy(&fast, 1000), 0);
}
END_TEST

START_TEST(test_btc_total)
{
    uint64_t total = 0, want = 0, era_sum = 0;
    ck_assert_int_eq(tsr_halving_total(&btc, &total), TSR_OK);
    ck_assert_uint_eq(total, UINT64_C(2099999997690000));
    /* independently: sum the subsidy of the first block of each era times the era length,
     * walking the schedule by height rather than by formula */
    for (uint64_t h = 0; h < UINT64_C(64) * 210000; h += 210000)
        era_sum += tsr_halving_subsidy(&btc, h) * 210000u;
    ck_assert_uint_eq(era_sum, UINT64_C(2099999997690000));
    /* issued before the end of the schedule equals the cap; partial eras add up per block */
    ck_assert_int_eq(tsr_halving_issued_before(&btc, UINT64_MAX, &want), TSR_OK);
    ck_assert_uint_eq(want, total);
    ck_assert_int_eq(tsr_halving_issued_before(&btc, 0, &want), TSR_OK);
    ck_assert_uint_eq(want, 0);
    ck_assert_int_eq(tsr_halving_issued_before(&btc, 1, &want), TSR_OK);
    ck_assert_uint_eq(want, BTC_R0);
    ck_assert_int_eq(tsr_halving_issued_before(&btc, 210001, &want), TSR_OK);
    ck_assert_uint_eq(want, BTC_R0 * 210000 + BTC_R0 / 2);
    /* regtest (H = 150) with a start height: compare with a block-by-block sum */
    tsr_halving_schedule reg = {BTC_R0, 150, 1000};
    uint64_t brute = 0;
    for (uint64_t h = 0; h < 12000; h++) {
        ck_assert_int_eq(tsr_halving_issued_before(&reg, h, &want), TSR_OK);
        ck_assert_uint_eq(want, brute);
        brute += tsr_halving_subsidy(&reg, h);
    }
    ck_assert_uint_eq(tsr_halving_subsidy(&reg, 999), 0);
    ck_assert_uint_eq(tsr_halving_subsidy(&reg, 1000), BTC_R0);
    ck_assert_uint_eq(tsr_halving_subsidy(&reg, 1150), BTC_R0 / 2);
}
END_TEST

START_TEST(test_btc_errors_next)
{
    uint64_t out = 0;
    tsr_halving_schedule bad = {BTC_R0, 0, 0};
    ck_assert_int_eq(tsr_halving_validate(&bad), TSR_EINVAL);
    ck_assert_int_eq(tsr_halving_validate(NULL), TSR_EINVAL);
    ck_assert_uint_eq(tsr_halving_subsidy(&bad, 5), 0);
    ck_assert_int_eq(tsr_halving_total(&bad, &out), TSR_EINVAL);
    ck_assert_int_eq(tsr_halving_next_height(&bad, 0, &out), TSR_EINVAL);
    tsr_halving_schedule huge = {UINT64_MAX, 2, 0};
    ck_assert_int_eq(tsr_halving_total(&huge, &out), TSR_EOVERFLOW);
    ck_assert_int_eq(tsr_halving_issued_before(&huge, 10, &out), TSR_EOVERFLOW);

    ck_assert_int_eq(tsr_halving_next_height(&btc, 0, &out), TSR_OK);
    ck_assert_uint_eq(out, 210000);
    ck_assert_int_eq(tsr_halving_next_height(&btc, 209999, &out), TSR_OK);
    ck_assert_uint_eq(out, 210000);
    ck_assert_int_eq(tsr_halving_next_height(&btc, 210000, &out), TSR_OK);
    ck_assert_uint_eq(out, 420000);
    tsr_halving_schedule late = {100, 10, 50};
    ck_assert_int_eq(tsr_halving_next_height(&late, 3, &out), TSR_OK);
    ck_assert_uint_eq(out, 60);
    ck_assert_int_eq(tsr_halving_next_height(&late, 59, &out), TSR_OK);
    ck_assert_uint_eq(out, 60);
    ck_assert_int_eq(tsr_halving_next_height(&btc, UINT64_MAX - 5, &out), TSR_ERANGE);
}
END_TEST

/* spec bittensor §3.1: the threshold table, checked three ways: the threshold helper, the
 * emission there and one unit below, and the closed form ceil(21e15 (1 - 2^-k)). */
START_TEST(test_issuance_thresholds)
{
    static const struct {
        unsigned k;
        uint64_t t, emission;
    } table[] = {
        {1, UINT64_C(10500000000000000), 500000000}, {2, UINT64_C(15750000000000000), 250000000},
        {3, UINT64_C(18375000000000000), 125000000}, {4, UINT64_C(19687500000000000), 62500000},
        {5, UINT64_C(20343750000000000), 31250000},  {6, UINT64_C(20671875000000000), 15625000},
        {10, UINT64_C(20979492187500000), 976562},   {16, UINT64_C(20999679565429688), 15258},
        {25, UINT64_C(20999999374151230), 29},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        uint64_t t = 0, e = 0, e1 = 0;
        unsigned k = 99;
        ck_assert_int_eq(tsr_issuance_at_halving(NULL, table[i].k, &t), TSR_OK);
        ck_assert_uint_eq(t, table[i].t);
        ck_assert_int_eq(tsr_block_emission_for_issuance(NULL, t, &e), TSR_OK);
        ck_assert_int_eq(tsr_block_emission_for_issuance(NULL, t - 1, &e1), TSR_OK);
        ck_assert_uint_eq(e, table[i].emission);
        ck_assert_uint_ne(e1, e);
        ck_assert_int_eq(tsr_halving_count_for_issuance(NULL, t, &k), TSR_OK);
        ck_assert_uint_eq(k, table[i].k);
        ck_assert_int_eq(tsr_halving_count_for_issuance(NULL, t - 1, &k), TSR_OK);
        ck_assert_uint_eq(k, table[i].k - 1);
    }
    /* every k up to 32 follows 21e15 - floor(21e15 / 2^k) = ceil(21e15 (1 - 2^-k)), and the
     * emission is floor(1e9 / 2^k) from there on */
    for (unsigned k = 1; k <= 32; k++) {
        uint64_t t = 0, e = 0, next = 0;
        ck_assert_int_eq(tsr_issuance_at_halving(NULL, k, &t), TSR_OK);
        ck_assert_uint_eq(t, TSR_TOTAL_SUPPLY - (TSR_TOTAL_SUPPLY >> k));
        ck_assert_int_eq(tsr_block_emission_for_issuance(NULL, t, &e), TSR_OK);
        ck_assert_uint_eq(e, UINT64_C(1000000000) >> k);
        ck_assert_int_eq(tsr_next_halving_issuance(NULL, t - 1, &next), TSR_OK);
        ck_assert_uint_eq(next, t);
    }
    uint64_t t = 0;
    ck_assert_int_eq(tsr_issuance_at_halving(NULL, 33, &t), TSR_ERANGE);
    ck_assert_int_eq(tsr_issuance_at_halving(NULL, 0, &t), TSR_OK);
    ck_assert_uint_eq(t, 0);
    ck_assert_int_eq(tsr_next_halving_issuance(NULL, UINT64_C(20999999999999999), &t), TSR_ERANGE);
}
END_TEST

START_TEST(test_issuance_emission)
{
    uint64_t e = 0, prev = UINT64_MAX;
    tsr_issuance_params p;
    tsr_issuance_params_default(&p);
    ck_assert_uint_eq(p.total_supply, UINT64_C(21000000000000000));
    ck_assert_uint_eq(p.default_emission, 1000000000);
    /* upstream inequalities left out of the vector file */
    ck_assert_int_eq(tsr_block_emission_for_issuance(&p, p.total_supply - 1000000000u, &e), 0);
    ck_assert(e > 0 && e < 1000000000);
    uint64_t a = 0, b = 0;
    ck_assert_int_eq(tsr_block_emission_for_issuance(&p, p.total_supply / 4, &a), 0);
    ck_assert_int_eq(tsr_block_emission_for_issuance(&p, p.total_supply / 4 + 1, &b), 0);
    ck_assert(a >= b);
    /* monotone over a sweep */
    for (uint64_t i = 0; i <= 1000; i++) {
        ck_assert_int_eq(tsr_block_emission_for_issuance(&p, p.total_supply / 1000 * i, &e), 0);
        ck_assert(e <= prev);
        prev = e;
    }
    ck_assert_int_eq(tsr_block_emission_for_issuance(&p, UINT64_MAX, &e), 0);
    ck_assert_uint_eq(e, 0);
    unsigned k;
    ck_assert_int_eq(tsr_halving_count_for_issuance(&p, p.total_supply, &k), TSR_ERANGE);
    /* other parameters: total 1000, emission 64 halves at 500, 750, 875 ... */
    tsr_issuance_params small = {1000, 64, 1000};
    ck_assert_int_eq(tsr_block_emission_for_issuance(&small, 499, &e), 0);
    ck_assert_uint_eq(e, 64);
    ck_assert_int_eq(tsr_block_emission_for_issuance(&small, 500, &e), 0);
    ck_assert_uint_eq(e, 32);
    ck_assert_int_eq(tsr_block_emission_for_issuance(&small, 875, &e), 0);
    ck_assert_uint_eq(e, 8);
    tsr_issuance_params zero = {0, 64, 0};
    ck_assert_int_eq(tsr_block_emission_for_issuance(&zero, 0, &e), TSR_EINVAL);
    ck_assert_int_eq(tsr_block_emission_for_issuance(&p, 0, NULL), TSR_EINVAL);
    /* minting cap */
    ck_assert_uint_eq(tsr_mint_cap(NULL, 0), UINT64_C(21000000000000000));
    ck_assert_uint_eq(tsr_mint_cap(&p, UINT64_C(20999999999999000)), 1000);
    ck_assert_uint_eq(tsr_mint_cap(&p, UINT64_C(30000000000000000)), 0);
}
END_TEST

START_TEST(test_should_run_epoch)
{
    ck_assert(!tsr_should_run_epoch(0, 1000, 0, 5, 100000));
    ck_assert(tsr_should_run_epoch(360, 1360, 1000, 0, 0));
    ck_assert(!tsr_should_run_epoch(360, 1359, 1000, 0, 0));
    ck_assert(tsr_should_run_epoch(360, 1001, 1000, 1001, 0)); /* pending trigger */
    ck_assert(!tsr_should_run_epoch(360, 1000, 1000, 1001, 0));
    ck_assert(tsr_should_run_epoch(360, 1001, 1000, 0, 50401)); /* safety net */
    ck_assert(!tsr_should_run_epoch(360, 1001, 1000, 0, 50400));
    ck_assert(!tsr_should_run_epoch(10, 5, 100, 0, 0)); /* block before last epoch */
    /* legacy period is tempo + 1, staggered by netuid */
    int runs = 0;
    for (uint64_t b = 0; b < UINT64_C(361) * 3; b++)
        runs += tsr_blocks_until_next_epoch_legacy(7, 360, b) == 0;
    ck_assert_int_eq(runs, 3);
    ck_assert_uint_eq(tsr_blocks_until_next_auto_epoch(10, 0, UINT64_MAX - 3), UINT64_MAX);
}
END_TEST

Suite *suite_emission(void)
{
    Suite *s = suite_create("emission");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_btc_table);
    tcase_add_test(tc, test_btc_total);
    tcase_add_test(tc, test_btc_errors_next);
    tcase_add_test(tc, test_issuance_thresholds);
    tcase_add_test(tc, test_issuance_emission);
    tcase_add_test(tc, test_should_run_epoch);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return s;
}
