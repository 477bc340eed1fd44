/* test_coinbase.c: the pure coinbase and distribution functions of tsr_coinbase.h.
 *
 * Expected values: "spec" = a number printed in ../shared/spec/bittensor.md (section given);
 * "hand" = worked out in the comment; "derive: key" = printed by derive_expected.py (Python big
 * integers from the spec's rounding rules, independent of the C code). Upstream asserts TV24 and
 * TV25 (spec §4) are transcribed by hand.
 */
#include "coinbase_tests.h"

#define ONE64         cb_u64f64_raw(1, 0)                 /* U64F64 1.0 */
#define HALF64        cb_u64f64_raw(0, UINT64_C(1) << 63) /* U64F64 0.5 */
#define ONE96         cb_u96_raw(0, UINT64_C(1) << 32)    /* U96F32 1.0 */
#define THIRD64       UINT64_C(6148914691236517205)  /* derive: share_1_of_3 = floor(2^64 / 3) */
#define TWO_THIRDS64  UINT64_C(12297829382473034410) /* derive: share_2_of_3 */
#define OWNER_CUT_RAW UINT64_C(773074452)            /* spec §1.5 */

START_TEST(test_fractions)
{
    ck_assert_raw64(tsr_u16_fraction(11796), OWNER_CUT_RAW);     /* spec §1.5 */
    ck_assert_raw64(tsr_u16_fraction(65535), UINT64_C(1) << 32); /* hand: 65535/65535 */
    ck_assert_raw64(tsr_u16_fraction(0), 0);
    ck_assert_raw64(tsr_u64_fraction(TSR_DEFAULT_TAO_WEIGHT), 226245882); /* spec §1.5 */
    ck_assert_raw64(tsr_u64_fraction(UINT64_MAX), UINT64_C(1) << 32);
    ck_assert_raw64(tsr_u64_fraction(0), 0);
    /* derive: u64_fraction_2^63 (2^63 * 2^32 / (2^64 - 1) truncates to exactly 2^31) */
    ck_assert_raw64(tsr_u64_fraction(UINT64_C(1) << 63), UINT64_C(2147483648));
    /* derive: moving_alpha_default_raw = round(3e-6 * 2^32) on the f64 value = 12885 */
    tsr_i96f32 ma = tsr_subnet_moving_alpha_default();
    ck_assert_uint_eq(ma.raw.lo, 12885);
    ck_assert_uint_eq(ma.raw.hi, 0);
}
END_TEST

START_TEST(test_root_proportion)
{
    tsr_u96f32 tw = tsr_u64_fraction(TSR_DEFAULT_TAO_WEIGHT);
    /* spec §3.5: root TAO 1e15, default tao weight, alpha issuance 5e15 -> raw 44777428 */
    ck_assert_raw64(tsr_root_proportion(UINT64_C(1000000000000000), tw, UINT64_C(5000000000000000)),
                    44777428);
    /* spec TV25 test_pending_emission: tao weight 1.0, root 1e9, issuance 3e9 -> exactly 0.25 */
    tsr_u96f32 one = tsr_u64_fraction(UINT64_MAX);
    ck_assert_raw64(tsr_root_proportion(1000000000, one, 3000000000u), UINT64_C(1) << 30);
    /* hand: no alpha issuance -> w / w = 1.0; nothing at all -> 0/0 fails -> 0 */
    ck_assert_raw64(tsr_root_proportion(5, one, 0), UINT64_C(1) << 32);
    ck_assert_raw64(tsr_root_proportion(0, one, 0), 0);
    ck_assert_raw64(tsr_root_proportion(0, one, 1000), 0);
    ck_assert_raw64(tsr_root_proportion(1000, cb_u96(0), 1000), 0); /* tao weight 0 */
}
END_TEST

START_TEST(test_moving_alpha_price)
{
    /* hand: stable subnets read 1.0; negative stored prices read 0; 0.5 stays 0.5 */
    ck_assert_u128_eq(tsr_moving_alpha_price(cb_i96_raw(123), true).raw, 1, 0);
    ck_assert_u128_eq(tsr_moving_alpha_price(cb_i96_raw(-5), false).raw, 0, 0);
    ck_assert_u128_eq(tsr_moving_alpha_price(cb_i96_raw(INT64_C(1) << 31), false).raw, 0,
                      UINT64_C(1) << 63);
    /* hand: 2^64 (I96F32 raw 2^96) saturates at the U64F64 maximum */
    tsr_i96f32 big;
    big.raw = tsr_i128_make(UINT64_C(1) << 32, 0);
    ck_assert_u128_eq(tsr_moving_alpha_price(big, false).raw, UINT64_MAX, UINT64_MAX);
}
END_TEST

static tsr_share_input share_in(tsr_u64f64 p)
{
    tsr_share_input in;
    in.moving_price = p;
    in.miner_burned = cb_u96(0);
    in.root_proportion = ONE96;
    in.emission_enabled = true;
    return in;
}

START_TEST(test_shares_prices)
{
    tsr_share_input in[3];
    tsr_u64f64 sh[3];
    /* hand: two equal prices -> 0.5 each */
    in[0] = share_in(ONE64);
    in[1] = share_in(ONE64);
    ck_assert_int_eq(tsr_coinbase_shares(in, 2, TSR_SHARES_MAIN, sh), TSR_OK);
    ck_assert_u128_eq(sh[0].raw, 0, UINT64_C(1) << 63);
    ck_assert_u128_eq(sh[1].raw, 0, UINT64_C(1) << 63);
    /* derive: share_1_of_3, share_2_of_3 (prices 1 and 2, TV24 "different") */
    in[1] = share_in(cb_u64f64_raw(2, 0));
    ck_assert_int_eq(tsr_coinbase_shares(in, 2, TSR_SHARES_MAIN, sh), TSR_OK);
    ck_assert_u128_eq(sh[0].raw, 0, THIRD64);
    ck_assert_u128_eq(sh[1].raw, 0, TWO_THIRDS64);
    /* hand: one subnet alone gets exactly 1.0 */
    ck_assert_int_eq(tsr_coinbase_shares(in, 1, TSR_SHARES_MAIN, sh), TSR_OK);
    ck_assert_u128_eq(sh[0].raw, 1, 0);
    /* hand: all prices zero -> 0/0 fails -> every share 0 (the unweighted fallback is 0 too) */
    in[0] = share_in(cb_u64f64_raw(0, 0));
    in[1] = share_in(cb_u64f64_raw(0, 0));
    sh[0] = sh[1] = ONE64;
    ck_assert_int_eq(tsr_coinbase_shares(in, 2, TSR_SHARES_MAIN, sh), TSR_OK);
    ck_assert_u128_eq(sh[0].raw, 0, 0);
    ck_assert_u128_eq(sh[1].raw, 0, 0);
    /* hand: a zero price among positive ones gets 0, the rest split the whole */
    in[1] = share_in(HALF64);
    in[2] = share_in(HALF64);
    ck_assert_int_eq(tsr_coinbase_shares(in, 3, TSR_SHARES_MAIN, sh), TSR_OK);
    ck_assert_u128_eq(sh[0].raw, 0, 0);
    ck_assert_u128_eq(sh[1].raw, 0, UINT64_C(1) << 63);
    ck_assert_u128_eq(sh[2].raw, 0, UINT64_C(1) << 63);
    /* n = 0 is fine with NULL arrays */
    ck_assert_int_eq(tsr_coinbase_shares(NULL, 0, TSR_SHARES_MAIN, NULL), TSR_OK);
}
END_TEST

START_TEST(test_shares_disabled)
{
    tsr_share_input in[3];
    tsr_u64f64 sh[3];
    for (int i = 0; i < 3; i++)
        in[i] = share_in(ONE64);
    in[1].emission_enabled = false;
    /* derive: disabled_share: floor(2^64/3) / (2 floor(2^64/3)) = exactly 0.5 */
    ck_assert_int_eq(tsr_coinbase_shares(in, 3, TSR_SHARES_MAIN, sh), TSR_OK);
    ck_assert_u128_eq(sh[0].raw, 0, UINT64_C(1) << 63);
    ck_assert_u128_eq(sh[1].raw, 0, 0);
    ck_assert_u128_eq(sh[2].raw, 0, UINT64_C(1) << 63);
    /* hand: every subnet disabled -> enabled sum 0 -> all shares 0 */
    for (int i = 0; i < 3; i++)
        in[i].emission_enabled = false;
    ck_assert_int_eq(tsr_coinbase_shares(in, 3, TSR_SHARES_MAIN, sh), TSR_OK);
    for (int i = 0; i < 3; i++)
        ck_assert_u128_eq(sh[i].raw, 0, 0);
    /* hand: the disabled one has the only positive price -> enabled shares sum to 0 -> all 0 */
    in[0] = share_in(cb_u64f64_raw(0, 0));
    in[1] = share_in(ONE64);
    in[1].emission_enabled = false;
    ck_assert_int_eq(tsr_coinbase_shares(in, 2, TSR_SHARES_MAIN, sh), TSR_OK);
    ck_assert_u128_eq(sh[0].raw, 0, 0);
    ck_assert_u128_eq(sh[1].raw, 0, 0);
}
END_TEST

START_TEST(test_shares_miner_burned)
{
    tsr_share_input in[2];
    tsr_u64f64 sh[2];
    in[0] = share_in(ONE64);
    in[1] = share_in(ONE64);
    /* derive: mb_shares: burned 0.5 halves subnet 0's weight: 1/3 and 2/3 */
    in[0].miner_burned = cb_u96_raw(0, UINT64_C(1) << 31);
    ck_assert_int_eq(tsr_coinbase_shares(in, 2, TSR_SHARES_MAIN, sh), TSR_OK);
    ck_assert_u128_eq(sh[0].raw, 0, THIRD64);
    ck_assert_u128_eq(sh[1].raw, 0, TWO_THIRDS64);
    /* hand: MinerBurned above 1 counts as 1; both fully burned -> sum w = 0 -> price shares */
    in[0].miner_burned = cb_u96(7);
    in[1].miner_burned = ONE96;
    ck_assert_int_eq(tsr_coinbase_shares(in, 2, TSR_SHARES_MAIN, sh), TSR_OK);
    ck_assert_u128_eq(sh[0].raw, 0, UINT64_C(1) << 63);
    ck_assert_u128_eq(sh[1].raw, 0, UINT64_C(1) << 63);
    /* hand: one fully burned -> the other gets exactly 1.0 */
    in[1].miner_burned = cb_u96(0);
    ck_assert_int_eq(tsr_coinbase_shares(in, 2, TSR_SHARES_MAIN, sh), TSR_OK);
    ck_assert_u128_eq(sh[0].raw, 0, 0);
    ck_assert_u128_eq(sh[1].raw, 1, 0);
}
END_TEST

START_TEST(test_shares_release_variant)
{
    tsr_share_input in[2];
    tsr_u64f64 sh[2];
    in[0] = share_in(ONE64);
    in[1] = share_in(ONE64);
    in[0].root_proportion = cb_u96_raw(0, UINT64_C(1) << 30); /* 0.25 */
    in[1].root_proportion = cb_u96_raw(0, UINT64_C(1) << 31); /* 0.5 */
    /* main ignores the root proportion: 0.5 / 0.5 */
    ck_assert_int_eq(tsr_coinbase_shares(in, 2, TSR_SHARES_MAIN, sh), TSR_OK);
    ck_assert_u128_eq(sh[0].raw, 0, UINT64_C(1) << 63);
    /* derive: release_shares: weights 0.125 and 0.25 -> 1/3 and 2/3 */
    ck_assert_int_eq(tsr_coinbase_shares(in, 2, TSR_SHARES_RELEASE, sh), TSR_OK);
    ck_assert_u128_eq(sh[0].raw, 0, THIRD64);
    ck_assert_u128_eq(sh[1].raw, 0, TWO_THIRDS64);
    /* hand: root proportions 0 -> all weights 0 -> unweighted price shares */
    in[0].root_proportion = in[1].root_proportion = cb_u96(0);
    ck_assert_int_eq(tsr_coinbase_shares(in, 2, TSR_SHARES_RELEASE, sh), TSR_OK);
    ck_assert_u128_eq(sh[1].raw, 0, UINT64_C(1) << 63);
}
END_TEST

START_TEST(test_shares_errors)
{
    tsr_share_input in[1] = {share_in(ONE64)};
    tsr_u64f64 sh[1];
    ck_assert_int_eq(tsr_coinbase_shares(NULL, 1, TSR_SHARES_MAIN, sh), TSR_EINVAL);
    ck_assert_int_eq(tsr_coinbase_shares(in, 1, TSR_SHARES_MAIN, NULL), TSR_EINVAL);
    ck_assert_int_eq(tsr_coinbase_shares(in, 1, (tsr_share_variant)7, sh), TSR_EINVAL);
}
END_TEST

START_TEST(test_tao_emission)
{
    /* hand: 1e9 * 0.5 = 5e8 exactly (raw 5e8 << 32) */
    tsr_u96f32 e = tsr_coinbase_tao_emission(1000000000, HALF64);
    ck_assert_uint_eq(tsr_u96f32_to_u64(e), 500000000);
    ck_assert_u128_eq(e.raw, 0, UINT64_C(500000000) << 32);
    /* derive: tao_em_1e9_third */
    ck_assert_raw64(tsr_coinbase_tao_emission(1000000000, cb_u64f64_raw(0, THIRD64)),
                    UINT64_C(1431655765333333333));
    /* spec TV24 test_coinbase_tao_issuance_base: one subnet (share 1.0) gets exactly 1_234_567 */
    ck_assert_u128_eq(tsr_coinbase_tao_emission(1234567, ONE64).raw, 0, UINT64_C(1234567) << 32);
    ck_assert_raw64(tsr_coinbase_tao_emission(1234567, cb_u64f64_raw(0, 0)), 0);
}
END_TEST

START_TEST(test_root_sell_flag)
{
    tsr_u64f64 p[3] = {HALF64, HALF64, cb_u64f64_raw(0, 1)};
    /* hand: 0.5 + 0.5 = 1.0 is not > 1; one more raw unit is */
    ck_assert(!tsr_root_sell_flag(p, 2));
    ck_assert(tsr_root_sell_flag(p, 3));
    ck_assert(!tsr_root_sell_flag(p, 0));
    ck_assert(!tsr_root_sell_flag(NULL, 3));
    tsr_u64f64 stable[2] = {ONE64, cb_u64f64_raw(0, 1)};
    ck_assert(!tsr_root_sell_flag(stable, 1));
    ck_assert(tsr_root_sell_flag(stable, 2));
}
END_TEST

START_TEST(test_subnet_terms)
{
    tsr_subnet_terms t;
    /* spec TV24 base: two subnets at price 1 share 1_000_000: each injects 500_000 alpha and TAO
     * (root proportion about 1, so the cap root_prop * 1e9 does not bind) */
    ck_assert_int_eq(tsr_coinbase_subnet_terms(cb_u96(500000), 1000000000, ONE64, ONE96, &t),
                     TSR_OK);
    ck_assert_uint_eq(tsr_u96f32_to_u64(t.alpha_in), 500000);
    ck_assert_uint_eq(tsr_u96f32_to_u64(t.tao_in), 500000);
    ck_assert_u128_eq(t.excess_tao.raw, 0, 0);
    ck_assert_uint_eq(tsr_u96f32_to_u64(t.alpha_out), 1000000000);
    /* spec TV24 different (derive: tv24_diff): emission 1e6 over moving prices 1 and 2 with pool
     * prices 1 and 2 -> SubnetAlphaIn grows by 333_333 on both */
    tsr_u96f32 te1 = tsr_coinbase_tao_emission(1000000, cb_u64f64_raw(0, THIRD64));
    tsr_u96f32 te2 = tsr_coinbase_tao_emission(1000000, cb_u64f64_raw(0, TWO_THIRDS64));
    ck_assert_raw64(te1, UINT64_C(1431655765333333));
    ck_assert_raw64(te2, UINT64_C(2863311530666666));
    ck_assert_int_eq(tsr_coinbase_subnet_terms(te1, 1000000000, ONE64, ONE96, &t), TSR_OK);
    ck_assert_uint_eq(tsr_u96f32_to_u64(t.alpha_in), 333333);
    ck_assert_uint_eq(tsr_u96f32_to_u64(t.tao_in), 333333);
    ck_assert_int_eq(tsr_coinbase_subnet_terms(te2, 1000000000, cb_u64f64_raw(2, 0), ONE96, &t),
                     TSR_OK);
    ck_assert_uint_eq(tsr_u96f32_to_u64(t.alpha_in), 333333);
    ck_assert_uint_eq(tsr_u96f32_to_u64(t.tao_in), 666666);
    /* hand: root proportion 0 -> cap 0 -> nothing injected, all of it is excess (chain buy) */
    ck_assert_int_eq(tsr_coinbase_subnet_terms(cb_u96(1000), 1000000000, ONE64, cb_u96(0), &t),
                     TSR_OK);
    ck_assert_u128_eq(t.alpha_in.raw, 0, 0);
    ck_assert_u128_eq(t.tao_in.raw, 0, 0);
    ck_assert_u128_eq(t.excess_tao.raw, 0, UINT64_C(1000) << 32);
    /* hand: te 1e9 at price 2 wants 5e8 alpha; cap 0.25 * 1e9 = 2.5e8 binds; tao_in = 2.5e8 * 2
     * = 5e8; excess 5e8 */
    ck_assert_int_eq(tsr_coinbase_subnet_terms(cb_u96(1000000000), 1000000000, cb_u64f64_raw(2, 0),
                                               cb_u96_raw(0, UINT64_C(1) << 30), &t),
                     TSR_OK);
    ck_assert_uint_eq(tsr_u96f32_to_u64(t.alpha_in), 250000000);
    ck_assert_uint_eq(tsr_u96f32_to_u64(t.tao_in), 500000000);
    ck_assert_uint_eq(tsr_u96f32_to_u64(t.excess_tao), 500000000);
    /* hand: price 0 -> alpha_in 0 (safe_div_or 0), tao_in stays the whole emission */
    ck_assert_int_eq(
        tsr_coinbase_subnet_terms(cb_u96(77), 1000000000, cb_u64f64_raw(0, 0), ONE96, &t), TSR_OK);
    ck_assert_u128_eq(t.alpha_in.raw, 0, 0);
    ck_assert_uint_eq(tsr_u96f32_to_u64(t.tao_in), 77);
    ck_assert_u128_eq(t.excess_tao.raw, 0, 0);
    /* hand: a price below 2^-32 truncates to U96F32 0 -> same as price 0 */
    ck_assert_int_eq(
        tsr_coinbase_subnet_terms(cb_u96(77), 1000000000, cb_u64f64_raw(0, 5), ONE96, &t), TSR_OK);
    ck_assert_u128_eq(t.alpha_in.raw, 0, 0);
    ck_assert_int_eq(tsr_coinbase_subnet_terms(cb_u96(1), 1, ONE64, ONE96, NULL), TSR_EINVAL);
}
END_TEST

START_TEST(test_alpha_split)
{
    tsr_alpha_split s;
    tsr_u96f32 cut = tsr_u16_fraction(TSR_DEFAULT_SUBNET_OWNER_CUT);
    tsr_u96f32 ao = cb_u96(1000000000);
    /* spec §3.5: 1e9 with root proportion 0 -> 179_995_422 / 410_002_288 / 410_002_288 / 0 */
    ck_assert_int_eq(tsr_coinbase_alpha_split(ao, true, cut, cb_u96(0), &s), TSR_OK);
    ck_assert_uint_eq(tsr_u96f32_to_u64(s.owner_cut), 179995422);
    ck_assert_uint_eq(tsr_u96f32_to_u64(s.server), 410002288);
    ck_assert_uint_eq(tsr_u96f32_to_u64(s.validator), 410002288);
    ck_assert_uint_eq(tsr_u96f32_to_u64(s.root_alpha), 0);
    /* spec §3.5: root proportion raw 44777428 -> validator 405_727_786, root 4_274_502 */
    ck_assert_int_eq(tsr_coinbase_alpha_split(ao, true, cut, cb_u96_raw(0, 44777428), &s), TSR_OK);
    ck_assert_uint_eq(tsr_u96f32_to_u64(s.owner_cut), 179995422);
    ck_assert_uint_eq(tsr_u96f32_to_u64(s.server), 410002288);
    ck_assert_uint_eq(tsr_u96f32_to_u64(s.validator), 405727786);
    ck_assert_uint_eq(tsr_u96f32_to_u64(s.root_alpha), 4274502);
    /* spec TV25 test_owner_cut_base: cut 65535 -> the whole block to the owner; cut 0 -> none */
    ck_assert_int_eq(tsr_coinbase_alpha_split(ao, true, tsr_u16_fraction(65535), cb_u96(0), &s),
                     TSR_OK);
    ck_assert_uint_eq(tsr_u96f32_to_u64(s.owner_cut), 1000000000);
    ck_assert_uint_eq(tsr_u96f32_to_u64(s.server), 0);
    ck_assert_uint_eq(tsr_u96f32_to_u64(s.validator), 0);
    ck_assert_int_eq(tsr_coinbase_alpha_split(ao, true, tsr_u16_fraction(0), cb_u96(0), &s),
                     TSR_OK);
    ck_assert_uint_eq(tsr_u96f32_to_u64(s.owner_cut), 0);
    /* spec TV25 test_pending_emission (exact with root proportion 0.25, cut 0): server
     * 500_000_000, validator 375_000_000, root 125_000_000 */
    ck_assert_int_eq(tsr_coinbase_alpha_split(ao, true, tsr_u16_fraction(0),
                                              cb_u96_raw(0, UINT64_C(1) << 30), &s),
                     TSR_OK);
    ck_assert_u128_eq(s.server.raw, 0, UINT64_C(500000000) << 32);
    ck_assert_u128_eq(s.validator.raw, 0, UINT64_C(375000000) << 32);
    ck_assert_u128_eq(s.root_alpha.raw, 0, UINT64_C(125000000) << 32);
    /* hand: owner cut disabled ignores the cut; 7 rao at root proportion 1.0: server 3.5,
     * root (1.0 * 7) * 0.5 = 3.5 takes the whole validator half, validator 0 (fractions kept) */
    ck_assert_int_eq(tsr_coinbase_alpha_split(cb_u96(7), false, cut, ONE96, &s), TSR_OK);
    ck_assert_u128_eq(s.owner_cut.raw, 0, 0);
    ck_assert_raw64(s.server, UINT64_C(7) << 31);
    ck_assert_raw64(s.root_alpha, UINT64_C(7) << 31);
    ck_assert_raw64(s.validator, 0);
    /* hand: root proportion 0.25 on 7 rao: root 0.875, validator 3.5 - 0.875 = 2.625 */
    ck_assert_int_eq(
        tsr_coinbase_alpha_split(cb_u96(7), false, cut, cb_u96_raw(0, UINT64_C(1) << 30), &s),
        TSR_OK);
    ck_assert_raw64(s.root_alpha, UINT64_C(7) << 29);
    ck_assert_raw64(s.validator, (UINT64_C(7) << 31) - (UINT64_C(7) << 29));
    ck_assert_int_eq(tsr_coinbase_alpha_split(ao, true, cut, ONE96, NULL), TSR_EINVAL);
}
END_TEST

START_TEST(test_moving_price)
{
    tsr_i96f32 half_alpha = cb_i96_raw(INT64_C(1) << 31); /* SubnetMovingAlpha 0.5 */
    tsr_i96f32 r;
    /* hand: alpha 0.5, halving 0 -> b/(b+0) = 1 -> 0.5 * min(0.5, 1) + 0.5 * 0 = 0.25 */
    r = tsr_moving_price_update(cb_i96_raw(0), false, HALF64, 10, 1, 0, half_alpha);
    ck_assert_int_eq(tsr_i128_cmp(r.raw, tsr_i128_from_i64(INT64_C(1) << 30)), 0);
    /* hand: the price is capped at 1.0: price 3 -> 0.5 * 1 + 0.5 * 0.5 = 0.75 */
    r = tsr_moving_price_update(cb_i96_raw(INT64_C(1) << 31), false, cb_u64f64_raw(3, 0), 10, 1, 0,
                                half_alpha);
    ck_assert_int_eq(tsr_i128_cmp(r.raw, tsr_i128_from_i64(INT64_C(3) << 30)), 0);
    /* hand: b = 0 (block = start_call block) and halving 0 -> 0/0 = 0 -> alpha 0 -> unchanged */
    r = tsr_moving_price_update(cb_i96_raw(12345), false, ONE64, 4, 5, 0, half_alpha);
    ck_assert_int_eq(tsr_i128_cmp(r.raw, tsr_i128_from_i64(12345)), 0);
    /* derive: moving_price_default: defaults, old 0.25, price 0.5, b = H = 201_600 */
    r = tsr_moving_price_update(cb_i96_raw(INT64_C(1) << 30), false, HALF64, 201700, 101,
                                TSR_DEFAULT_EMA_PRICE_HALVING_BLOCKS,
                                tsr_subnet_moving_alpha_default());
    ck_assert_int_eq(tsr_i128_cmp(r.raw, tsr_i128_from_i64(1073743434)), 0);
    /* derive: moving_price_stable: the old price of a stable subnet reads 1.0 -> stays 1.0 */
    r = tsr_moving_price_update(cb_i96_raw(0), true, cb_u64f64_raw(2, 0), 201700, 101,
                                TSR_DEFAULT_EMA_PRICE_HALVING_BLOCKS,
                                tsr_subnet_moving_alpha_default());
    ck_assert_int_eq(tsr_i128_cmp(r.raw, tsr_i128_from_i64(INT64_C(1) << 32)), 0);
    /* hand: first emission block unset (0) -> b = block; block 0 -> alpha 0 -> old (0.5) kept */
    r = tsr_moving_price_update(cb_i96_raw(INT64_C(1) << 31), false, ONE64, 0, 0, 0, half_alpha);
    ck_assert_int_eq(tsr_i128_cmp(r.raw, tsr_i128_from_i64(INT64_C(1) << 31)), 0);
}
END_TEST

START_TEST(test_epoch_totals)
{
    /* hand: total excludes the owner cut; saturates */
    ck_assert_uint_eq(tsr_epoch_emission_total(1, 2, 3), 6);
    ck_assert_uint_eq(tsr_epoch_emission_total(UINT64_MAX, 2, 3), UINT64_MAX);
    /* spec §3.7: validators take the miners' half when the incentives sum to 0 */
    ck_assert_uint_eq(tsr_validator_pool(375, 500, 0), 875);
    ck_assert_uint_eq(tsr_validator_pool(375, 500, 1), 375);
    ck_assert_uint_eq(tsr_validator_pool(UINT64_MAX, 500, 0), UINT64_MAX);
}
END_TEST

START_TEST(test_parent_child)
{
    uint64_t parent_out[2] = {0, 0}, child = 0, burned = 99;
    tsr_parent_stake parent = {UINT64_MAX, 300, 0, true};
    tsr_child_dividend_input in = {1000,
                                   100,
                                   0,
                                   NULL,
                                   0,
                                   &parent,
                                   1,
                                   tsr_u64_fraction(TSR_DEFAULT_TAO_WEIGHT),
                                   tsr_u64_fraction(UINT64_C(1) << 63),
                                   tsr_u16_fraction(TSR_DEFAULT_SUBNET_OWNER_CUT)};
    /* hand: no parents -> the hotkey keeps everything */
    in.n_parents = 0;
    ck_assert_int_eq(tsr_parent_child_dividends(&in, NULL, &child, &burned), TSR_OK);
    ck_assert_uint_eq(child, 1000);
    ck_assert_uint_eq(burned, 0);
    /* hand: same coldkey: self 100, parent 300 of 400 -> parent 750, child 250; no take, no burn */
    in.n_parents = 1;
    ck_assert_int_eq(tsr_parent_child_dividends(&in, parent_out, &child, &burned), TSR_OK);
    ck_assert_uint_eq(parent_out[0], 750);
    ck_assert_uint_eq(child, 250);
    ck_assert_uint_eq(burned, 0);
    /* derive: parent_child: other coldkey, CK burn 0.5, take 18%: parent 240, child 384,
     * burned 375 (what the floors drop, one rao here, is lost as on chain) */
    parent.same_coldkey = false;
    ck_assert_int_eq(tsr_parent_child_dividends(&in, parent_out, &child, &burned), TSR_OK);
    ck_assert_uint_eq(parent_out[0], 240);
    ck_assert_uint_eq(child, 384);
    ck_assert_uint_eq(burned, 375);
    /* derive: parent_child_noburn: CK burn 0 -> parent 615, child 384 */
    in.ck_burn = cb_u96(0);
    ck_assert_int_eq(tsr_parent_child_dividends(&in, parent_out, &child, NULL), TSR_OK);
    ck_assert_uint_eq(parent_out[0], 615);
    ck_assert_uint_eq(child, 384);
    /* derive: parent_child_children: children taking half -> self contribution 50 -> the parent
     * (same coldkey) gets 857, the child 142 */
    uint64_t children[1] = {UINT64_C(1) << 63};
    parent.same_coldkey = true;
    in.child_proportions = children;
    in.n_children = 1;
    ck_assert_int_eq(tsr_parent_child_dividends(&in, parent_out, &child, NULL), TSR_OK);
    ck_assert_uint_eq(parent_out[0], 857);
    ck_assert_uint_eq(child, 142);
    /* hand: everything zero -> total 0 -> factor 0 -> child keeps the dividend */
    tsr_parent_stake zero_parent = {0, 0, 0, false};
    tsr_child_dividend_input z = {500,          0, 0,         NULL,      0,
                                  &zero_parent, 1, cb_u96(0), cb_u96(0), cb_u96(0)};
    ck_assert_int_eq(tsr_parent_child_dividends(&z, parent_out, &child, NULL), TSR_OK);
    ck_assert_uint_eq(parent_out[0], 0);
    ck_assert_uint_eq(child, 500);
    /* hand: root stake counts through the tao weight: tw 1.0, parent root 300 == alpha 300 */
    tsr_parent_stake rootp = {UINT64_MAX, 0, 300, true};
    tsr_child_dividend_input r = {1000, 100, 0, NULL, 0, &rootp, 1, ONE96, cb_u96(0), cb_u96(0)};
    ck_assert_int_eq(tsr_parent_child_dividends(&r, parent_out, &child, NULL), TSR_OK);
    ck_assert_uint_eq(parent_out[0], 750);
    ck_assert_uint_eq(child, 250);
    /* errors */
    ck_assert_int_eq(tsr_parent_child_dividends(NULL, parent_out, &child, NULL), TSR_EINVAL);
    ck_assert_int_eq(tsr_parent_child_dividends(&r, parent_out, NULL, NULL), TSR_EINVAL);
    ck_assert_int_eq(tsr_parent_child_dividends(&r, NULL, &child, NULL), TSR_EINVAL);
    r.n_children = 2; /* child_proportions NULL */
    ck_assert_int_eq(tsr_parent_child_dividends(&r, parent_out, &child, NULL), TSR_EINVAL);
    r.n_children = 0;
    r.parents = NULL;
    ck_assert_int_eq(tsr_parent_child_dividends(&r, parent_out, &child, NULL), TSR_EINVAL);
}
END_TEST

START_TEST(test_dividend_split_and_payouts)
{
    tsr_u96f32 a, r;
    /* hand: tw 1.0, alpha 300, root 100 -> root_prop 0.25: 1000 -> 250 root, 750 alpha */
    tsr_dividend_root_split(cb_u96(1000), 300, 100, ONE96, &a, &r);
    ck_assert_u128_eq(r.raw, 0, UINT64_C(250) << 32);
    ck_assert_u128_eq(a.raw, 0, UINT64_C(750) << 32);
    /* hand: no stake at all -> 0/0 -> root 0, alpha keeps it */
    tsr_dividend_root_split(cb_u96(9), 0, 0, ONE96, &a, &r);
    ck_assert_u128_eq(r.raw, 0, 0);
    ck_assert_u128_eq(a.raw, 0, UINT64_C(9) << 32);
    /* derive: root_split_default_tw: alpha 1000, root 10000, default tw, dividend 5000 */
    tsr_dividend_root_split(cb_u96(5000), 1000, 10000, tsr_u64_fraction(TSR_DEFAULT_TAO_WEIGHT), &a,
                            &r);
    ck_assert_raw64(r, UINT64_C(7409299370000));
    ck_assert_raw64(a, UINT64_C(14065537110000));
    tsr_dividend_root_split(cb_u96(5000), 1000, 10000, ONE96, NULL, NULL); /* no crash */

    tsr_u96f32 div[3] = {cb_u96(1), cb_u96(3), cb_u96(0)}, pay[3];
    /* hand: pool 1000 by 1:3:0 -> 250, 750, 0 exactly */
    ck_assert_int_eq(tsr_dividend_payouts(div, 3, 1000, pay), TSR_OK);
    ck_assert_u128_eq(pay[0].raw, 0, UINT64_C(250) << 32);
    ck_assert_u128_eq(pay[1].raw, 0, UINT64_C(750) << 32);
    ck_assert_u128_eq(pay[2].raw, 0, 0);
    /* hand: all dividends 0 -> nothing paid */
    div[0] = div[1] = cb_u96(0);
    ck_assert_int_eq(tsr_dividend_payouts(div, 3, 1000, pay), TSR_OK);
    ck_assert_u128_eq(pay[0].raw, 0, 0);
    ck_assert_int_eq(tsr_dividend_payouts(NULL, 3, 1000, pay), TSR_EINVAL);
    ck_assert_int_eq(tsr_dividend_payouts(div, 3, 1000, NULL), TSR_EINVAL);
    ck_assert_int_eq(tsr_dividend_payouts(NULL, 0, 1000, NULL), TSR_OK);

    uint64_t take = 0, rest = 0;
    /* derive: take_1000: 18% take of 1000 -> 179 and 820 (the .99 + .00 split loses one rao) */
    tsr_take_split(cb_u96(1000), tsr_u16_fraction(TSR_DEFAULT_SUBNET_OWNER_CUT), &take, &rest);
    ck_assert_uint_eq(take, 179);
    ck_assert_uint_eq(rest, 820);
    tsr_take_split(cb_u96(1000), ONE96, &take, NULL);
    ck_assert_uint_eq(take, 1000);
    tsr_take_split(cb_u96(1000), cb_u96(0), NULL, &rest);
    ck_assert_uint_eq(rest, 1000);

    /* hand: MinerBurned 1 of 4 = 0.25; 0/0 and x/0 give 0 */
    ck_assert_raw64(tsr_miner_burned(1, 4), UINT64_C(1) << 30);
    ck_assert_raw64(tsr_miner_burned(0, 0), 0);
    ck_assert_raw64(tsr_miner_burned(5, 0), 0);
    ck_assert_raw64(tsr_miner_burned(4, 4), UINT64_C(1) << 32);
}
END_TEST

Suite *suite_coinbase(void)
{
    Suite *s = suite_create("coinbase");
    TCase *tc = tcase_create("pure");
    tcase_add_test(tc, test_fractions);
    tcase_add_test(tc, test_root_proportion);
    tcase_add_test(tc, test_moving_alpha_price);
    tcase_add_test(tc, test_shares_prices);
    tcase_add_test(tc, test_shares_disabled);
    tcase_add_test(tc, test_shares_miner_burned);
    tcase_add_test(tc, test_shares_release_variant);
    tcase_add_test(tc, test_shares_errors);
    tcase_add_test(tc, test_tao_emission);
    tcase_add_test(tc, test_root_sell_flag);
    tcase_add_test(tc, test_subnet_terms);
    tcase_add_test(tc, test_alpha_split);
    tcase_add_test(tc, test_moving_price);
    tcase_add_test(tc, test_epoch_totals);
    tcase_add_test(tc, test_parent_child);
    tcase_add_test(tc, test_dividend_split_and_payouts);
    suite_add_tcase(s, tc);
    return s;
}
