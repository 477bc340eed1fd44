/* test_pool.c: the subnet pool (tsr_pool.h). Hand cases: each expected value is worked out in
 * the comment beside it from the formulas of spec bittensor §3.9 (price y/x in U64F64, the
 * constant-product floor, fee floor(x 33 / 65535), MinimumReserve 1e6), §3.5 (the chain buy is
 * priced before the injection) and §3.7 (root claims are fee-free sales). A seeded sweep then
 * checks the fee and the swap against the compiler's __int128 arithmetic. */
#include <stdbool.h>
#include <string.h>

#include "reward_tests.h"
#include "tsr.h"

__extension__ typedef unsigned __int128 ref_u128;

/* 2^64 - 1 = 65535 * 281479271743489, as 2^64 - 1 = (2^16 - 1)(2^16 + 1)(2^32 + 1) */
#define M UINT64_MAX

/* A subnet holding only the two reserves the pool reads. */
static tsr_subnet pool(uint64_t subnet_tao, uint64_t alpha_in)
{
    tsr_subnet s;
    memset(&s, 0, sizeof s);
    s.subnet_tao = subnet_tao;
    s.alpha_in = alpha_in;
    return s;
}

START_TEST(test_pool_fee)
{
    ck_assert_uint_eq(tsr_pool_fee(0), 0);
    /* 1985 * 33 = 65505 < 65535: floor 0; 1986 * 33 = 65538 >= 65535: floor 1 (the smallest
     * input that pays a fee is ceil(65535 / 33) = 1986) */
    ck_assert_uint_eq(tsr_pool_fee(1985), 0);
    ck_assert_uint_eq(tsr_pool_fee(1986), 1);
    /* around 65535: 65534 * 33 / 65535 = 33 - 33/65535 -> 32; 65535 -> exactly 33;
     * 65536 -> 33 + 33/65535 -> 33 */
    ck_assert_uint_eq(tsr_pool_fee(65534), 32);
    ck_assert_uint_eq(tsr_pool_fee(65535), 33);
    ck_assert_uint_eq(tsr_pool_fee(65536), 33);
    /* around 2 * 65535 = 131070: 131069 -> 66 - 33/65535 -> 65; 131070 -> 66 */
    ck_assert_uint_eq(tsr_pool_fee(131069), 65);
    ck_assert_uint_eq(tsr_pool_fee(131070), 66);
    /* 1_000_503 * 33 = 33_016_599; 65535 * 503 = 32_964_105 <= it < 65535 * 504 = 33_029_640 */
    ck_assert_uint_eq(tsr_pool_fee(1000503), 503);
    /* 2^64 - 1 = 65535 * 281479271743489 exactly: 33 * 281479271743489 = 9288815967535137.
     * x * 33 overflows 64 bits here, so a plain x * 33 / 65535 would be wrong. */
    ck_assert_uint_eq(tsr_pool_fee(M), UINT64_C(9288815967535137));
    /* 2^64 - 2 = 65535 * 281479271743488 + 65534: 33 * 281479271743488 + 32 = 9288815967535136 */
    ck_assert_uint_eq(tsr_pool_fee(M - 1), UINT64_C(9288815967535136));
    ck_assert_uint_eq(TSR_POOL_FEE_RATE, 33);         /* spec §3.12 Swap FeeRate */
    ck_assert_uint_eq(TSR_POOL_MIN_RESERVE, 1000000); /* spec §3.9 MinimumReserve */
}
END_TEST

START_TEST(test_pool_swap_out)
{
    /* 200 * 50 / (100 + 50) = 10000 / 150 = 66.67 -> 66 */
    ck_assert_uint_eq(tsr_pool_swap_out(100, 200, 50), 66);
    /* 10 * 1 / (3 + 1) = 2.5 -> 2 */
    ck_assert_uint_eq(tsr_pool_swap_out(3, 10, 1), 2);
    /* 3e6 * 1e6 / (1e6 + 1e6) = 1_500_000 exactly */
    ck_assert_uint_eq(tsr_pool_swap_out(1000000, 3000000, 1000000), 1500000);
    /* nothing in: 0; an empty output reserve: 0; in_reserve + in = 0: 0 (no division) */
    ck_assert_uint_eq(tsr_pool_swap_out(100, 200, 0), 0);
    ck_assert_uint_eq(tsr_pool_swap_out(10, 0, 5), 0);
    ck_assert_uint_eq(tsr_pool_swap_out(0, 0, 0), 0);
    ck_assert_uint_eq(tsr_pool_swap_out(0, 500, 0), 0);
    /* an empty input reserve gives the whole output reserve: 500 * 7 / (0 + 7) = 500 */
    ck_assert_uint_eq(tsr_pool_swap_out(0, 500, 7), 500);
    /* 128-bit intermediates: M * M / (M + M) = M / 2 = 2^63 - 0.5 -> 2^63 - 1 (the denominator
     * 2M is above 2^64) */
    ck_assert_uint_eq(tsr_pool_swap_out(M, M, M), UINT64_C(9223372036854775807));
    /* M * M / (1 + M): M^2 = (M + 1)(M - 1) + 1, so the floor is M - 1 = 2^64 - 2 */
    ck_assert_uint_eq(tsr_pool_swap_out(1, M, M), M - 1);
}
END_TEST

START_TEST(test_pool_price)
{
    tsr_u64f64 p;
    /* 1 / 2 = 0.5: raw 2^63 */
    p = tsr_pool_price(1, 2);
    ck_assert_uint_eq(p.raw.hi, 0);
    ck_assert_uint_eq(p.raw.lo, UINT64_C(1) << 63);
    /* 3 / 1 = 3.0: raw 3 * 2^64 */
    p = tsr_pool_price(3, 1);
    ck_assert_uint_eq(p.raw.hi, 3);
    ck_assert_uint_eq(p.raw.lo, 0);
    /* 2 / 3 truncates: floor(2 * 2^64 / 3) = floor(12297829382473034410.67) =
     * 12297829382473034410 = 0xAAAAAAAAAAAAAAAA (rounding to nearest would give ...411) */
    p = tsr_pool_price(2, 3);
    ck_assert_uint_eq(p.raw.hi, 0);
    ck_assert_uint_eq(p.raw.lo, UINT64_C(0xAAAAAAAAAAAAAAAA));
    /* 1 / M: floor(2^64 / (2^64 - 1)) = 1 (remainder 1) */
    p = tsr_pool_price(1, M);
    ck_assert_uint_eq(p.raw.hi, 0);
    ck_assert_uint_eq(p.raw.lo, 1);
    /* M / M = 1.0: raw 2^64 */
    p = tsr_pool_price(M, M);
    ck_assert_uint_eq(p.raw.hi, 1);
    ck_assert_uint_eq(p.raw.lo, 0);
    /* The largest quotient 64-bit reserves can give, M / 1 = 2^64 - 1, is inside the U64F64
     * range (< 2^64): raw (2^64 - 1) * 2^64 exactly, not saturated to raw 2^128 - 1. A
     * quotient >= 2^64, where the price would saturate, cannot be formed from u64 reserves. */
    p = tsr_pool_price(M, 1);
    ck_assert_uint_eq(p.raw.hi, M);
    ck_assert_uint_eq(p.raw.lo, 0);
    /* alpha_in == 0: no price, 0 (whatever the TAO) */
    p = tsr_pool_price(5, 0);
    ck_assert(p.raw.hi == 0 && p.raw.lo == 0);
    p = tsr_pool_price(M, 0);
    ck_assert(p.raw.hi == 0 && p.raw.lo == 0);
    p = tsr_pool_price(0, 0);
    ck_assert(p.raw.hi == 0 && p.raw.lo == 0);
    /* no TAO: 0 */
    p = tsr_pool_price(0, 5);
    ck_assert(p.raw.hi == 0 && p.raw.lo == 0);
    /* set_price writes the subnet's price from its reserves: 1 / 4 = 0.25, raw 2^62; and
     * overwrites an old value with 0 when alpha_in is 0 */
    tsr_subnet s = pool(1, 4);
    s.price.raw = tsr_u128_make(7, 7);
    tsr_pool_set_price(&s);
    ck_assert_uint_eq(s.price.raw.hi, 0);
    ck_assert_uint_eq(s.price.raw.lo, UINT64_C(1) << 62);
    s.alpha_in = 0;
    tsr_pool_set_price(&s);
    ck_assert(s.price.raw.hi == 0 && s.price.raw.lo == 0);
}
END_TEST

typedef int (*sale_quote_fn)(const tsr_subnet *, uint64_t, tsr_pool_sale *);

/* Quotes a sale of `amount` alpha (quote: tsr_pool_sale_quote or _root_claim_quote) from a pool
 * of y TAO and x alpha and checks every field against want, and that the pool is unchanged. */
static void ck_sale(sale_quote_fn quote, uint64_t y, uint64_t x, uint64_t amount,
                    tsr_pool_sale want)
{
    tsr_subnet s = pool(y, x);
    tsr_pool_sale q;
    ck_assert_int_eq(quote(&s, amount, &q), TSR_OK);
    ck_assert_msg(q.fee == want.fee && q.net == want.net && q.tao_out == want.tao_out &&
                      q.fee_tao == want.fee_tao && q.refused == want.refused,
                  "y %llu, x %llu, amount %llu: fee %llu net %llu tao_out %llu fee_tao %llu "
                  "refused %d, want %llu %llu %llu %llu %d",
                  (unsigned long long)y, (unsigned long long)x, (unsigned long long)amount,
                  (unsigned long long)q.fee, (unsigned long long)q.net,
                  (unsigned long long)q.tao_out, (unsigned long long)q.fee_tao, (int)q.refused,
                  (unsigned long long)want.fee, (unsigned long long)want.net,
                  (unsigned long long)want.tao_out, (unsigned long long)want.fee_tao,
                  (int)want.refused);
    ck_assert(s.subnet_tao == y && s.alpha_in == x); /* a quote changes nothing */
}

/* The error cases shared by both sale quotes: alpha_in + amount must fit 64 bits (*out is left
 * untouched when it does not), NULL arguments. */
static void ck_sale_errors(sale_quote_fn quote)
{
    tsr_pool_sale q, before;
    memset(&q, 0x5a, sizeof q);
    before = q;
    tsr_subnet s = pool(4000000, M);
    ck_assert_int_eq(quote(&s, 1, &q), TSR_EOVERFLOW);
    ck_assert_mem_eq(&q, &before, sizeof q);
    s = pool(4000000, M - 1); /* M - 1 + 1 = M still fits */
    ck_assert_int_eq(quote(&s, 1, &q), TSR_OK);
    ck_assert_int_eq(quote(NULL, 1, &q), TSR_EINVAL);
    ck_assert_int_eq(quote(&s, 1, NULL), TSR_EINVAL);
}

/* Checks a buy quote's three fields. */
static void ck_buy(const tsr_pool_buy *q, uint64_t fee, uint64_t net, uint64_t alpha_out)
{
    ck_assert_msg(q->fee == fee && q->net == net && q->alpha_out == alpha_out,
                  "buy: fee %llu net %llu alpha_out %llu, want %llu %llu %llu",
                  (unsigned long long)q->fee, (unsigned long long)q->net,
                  (unsigned long long)q->alpha_out, (unsigned long long)fee,
                  (unsigned long long)net, (unsigned long long)alpha_out);
}

START_TEST(test_pool_sale)
{
    sale_quote_fn sell = tsr_pool_sale_quote;
    /* x = alpha_in 1e6, y = subnet_tao 4e6, amount 1_000_503:
     *   fee = floor(1_000_503 * 33 / 65535) = 503 (test_pool_fee), net = 1_000_000;
     *   tao_out = floor(4e6 * 1e6 / (1e6 + 1e6)) = 2_000_000;
     *   fee_tao = floor((4e6 - 2e6) * 503 / (2e6 + 503)) = floor(1_006_000_000 / 2_000_503)
     *           = 502 (2_000_503 * 502 = 1_004_252_506 <= it < 2_000_503 * 503 = 1_006_253_009);
     *   left 4e6 - 2e6 - 502 = 1_999_498 >= 1e6: not refused.
     * The fee's alpha is swapped after the seller's: swapped first, at the untouched reserves,
     * it would fetch floor(4e6 * 503 / 1_000_503) = 2010 (1_000_503 * 2010 = 2_011_011_030 <=
     * 2_012_000_000 < 1_000_503 * 2011), not 502. */
    ck_sale(sell, 4000000, 1000000, 1000503, (tsr_pool_sale){503, 1000000, 2000000, 502, false});
    /* MinimumReserve at the boundary, x = 1e6, amount 1_000_503 (fee 503, net 1e6):
     * y = 2_000_501: tao_out = floor(2_000_501 * 1e6 / 2e6) = floor(1_000_250.5) = 1_000_250;
     *   y - tao_out = 1_000_251; fee_tao = floor(1_000_251 * 503 / 2_000_503)
     *   = floor(503_126_253 / 2_000_503) = 251 (2_000_503 * 251 = 502_126_253, remainder
     *   1_000_000); left 1_000_251 - 251 = 1_000_000 = MinimumReserve: allowed (not below). */
    ck_sale(sell, 2000501, 1000000, 1000503, (tsr_pool_sale){503, 1000000, 1000250, 251, false});
    /* y = 2_000_500: tao_out = floor(1_000_250) = 1_000_250; y - tao_out = 1_000_250;
     *   fee_tao = floor(503_125_750 / 2_000_503) = 251 (remainder 999_497); left 999_999:
     *   refused. Without the fee's TAO in the test, 1_000_250 would have passed. */
    ck_sale(sell, 2000500, 1000000, 1000503, (tsr_pool_sale){503, 1000000, 1000250, 251, true});
    /* below the fee threshold (1985 * 33 < 65535): no fee, no fee swap;
     * tao_out = floor(4e6 * 1985 / 1_001_985) = floor(7_940_000_000 / 1_001_985) = 7924
     * (1_001_985 * 7924 = 7_939_729_140, remainder 270_860) */
    ck_sale(sell, 4000000, 1000000, 1985, (tsr_pool_sale){0, 1985, 7924, 0, false});
    /* amount 0 is refused (nothing to sell) */
    ck_sale(sell, 4000000, 1000000, 0, (tsr_pool_sale){0, 0, 0, 0, true});
    /* a pool already below MinimumReserve refuses any sale, even one that takes no TAO out:
     * y = 999_999, x = 1e6, amount 1: fee 0, tao_out = floor(999_999 * 1 / 1_000_001) = 0,
     * left 999_999 < 1e6 */
    ck_sale(sell, 999999, 1000000, 1, (tsr_pool_sale){0, 1, 0, 0, true});
    /* alpha_in == 0, amount 2000: fee floor(66_000 / 65535) = 1, net 1999; the seller's swap
     * takes the whole TAO reserve (y * 1999 / (0 + 1999) = y), the fee's swap finds no TAO left
     * (0 * 1 / 2000 = 0): left 0, refused */
    ck_sale(sell, 5000000, 0, 2000, (tsr_pool_sale){1, 1999, 5000000, 0, true});
    ck_sale_errors(sell);
    /* DefaultMinStake (2e6 rao) on the seller's TAO: the first case pays exactly 2_000_000, the
     * boundary itself allowed; the 1985-alpha case pays 7924 < 2e6, refused while part of the
     * position stays (position 1986) and allowed when it is the whole position (1985) */
    tsr_subnet s = pool(4000000, 1000000);
    tsr_pool_sale q;
    ck_assert_int_eq(tsr_pool_sale_quote(&s, 1000503, &q), TSR_OK);
    ck_assert(!tsr_pool_sale_below_min_stake(&q, 1000503, 5000000));
    q.tao_out = 1999999; /* one rao less */
    ck_assert(tsr_pool_sale_below_min_stake(&q, 1000503, 5000000));
    ck_assert_int_eq(tsr_pool_sale_quote(&s, 1985, &q), TSR_OK);
    ck_assert_uint_eq(q.tao_out, 7924);
    ck_assert(tsr_pool_sale_below_min_stake(&q, 1985, 1986));
    ck_assert(!tsr_pool_sale_below_min_stake(&q, 1985, 1985));
    ck_assert(!tsr_pool_sale_below_min_stake(NULL, 1, 2));
}
END_TEST

START_TEST(test_pool_root_claim)
{
    sale_quote_fn claim = tsr_pool_root_claim_quote;
    /* fee-free; x = 1e6, y = 2e6: left = y - floor(y a / (x + a)).
     * a = 1_000_002: tao_out = floor(2_000_004_000_000 / 2_000_002) = 1_000_000 (2_000_002 * 1e6
     *   = 2_000_002_000_000, remainder 2_000_000); left 1_000_000 = MinimumReserve: allowed. */
    ck_sale(claim, 2000000, 1000000, 1000002, (tsr_pool_sale){0, 1000002, 1000000, 0, false});
    /* a = 1_000_003: tao_out = floor(2_000_006_000_000 / 2_000_003) = 1_000_001 (2_000_003 *
     *   1_000_001 = 2_000_005_000_003, remainder 999_997); left 999_999: refused. */
    ck_sale(claim, 2000000, 1000000, 1000003, (tsr_pool_sale){0, 1000003, 1000001, 0, true});
    /* amount 0: refused, nothing out */
    ck_sale(claim, 2000000, 1000000, 0, (tsr_pool_sale){0, 0, 0, 0, true});
    /* alpha_in == 0: the claim takes the whole TAO reserve, left 0: refused */
    ck_sale(claim, 5000000, 0, 7, (tsr_pool_sale){0, 7, 5000000, 0, true});
    ck_sale_errors(claim);
}
END_TEST

START_TEST(test_pool_buy)
{
    tsr_pool_buy q;
    /* registration buy: y = 1e6 TAO, x = 3e6 alpha, 1_000_503 TAO in: fee 503, net 1e6,
     * alpha_out = floor(3e6 * 1e6 / (1e6 + 1e6)) = 1_500_000 */
    tsr_subnet s = pool(1000000, 3000000);
    ck_assert_int_eq(tsr_pool_buy_quote(&s, 1000503, &q), TSR_OK);
    ck_buy(&q, 503, 1000000, 1500000);
    /* never refused, even when it empties the alpha reserve: y = 0, x = 5, 2 TAO in: fee
     * floor(66 / 65535) = 0, alpha_out = floor(5 * 2 / (0 + 2)) = 5 */
    s = pool(0, 5);
    ck_assert_int_eq(tsr_pool_buy_quote(&s, 2, &q), TSR_OK);
    ck_buy(&q, 0, 2, 5);
    s = pool(M, 5);
    ck_assert_int_eq(tsr_pool_buy_quote(&s, 1, &q), TSR_EOVERFLOW);
    ck_assert_int_eq(tsr_pool_buy_quote(&s, 0, &q), TSR_OK);
    ck_assert_int_eq(tsr_pool_buy_quote(NULL, 1, &q), TSR_EINVAL);
    ck_assert_int_eq(tsr_pool_buy_quote(&s, 1, NULL), TSR_EINVAL);
}
END_TEST

START_TEST(test_pool_chain_buy)
{
    tsr_pool_buy q;
    /* The coinbase has injected 500_000 TAO and 1e6 alpha: the pool holds y = 1.5e6, x = 3e6.
     * The chain buy (1e6 TAO, fee-free) is priced before the injection (spec §3.5 step 2 before
     * step 3): y0 = 1e6, x0 = 2e6, alpha_out = floor(2e6 * 1e6 / (1e6 + 1e6)) = 1_000_000.
     * Priced after it, it would be floor(3e6 * 1e6 / 2.5e6) = 1_200_000. */
    tsr_subnet s = pool(1500000, 3000000);
    ck_assert_int_eq(tsr_pool_chain_buy_quote(&s, 1000000, 500000, 1000000, &q), TSR_OK);
    ck_buy(&q, 0, 1000000, 1000000);
    /* 1_000_503 TAO: no fee (a user buy would pay 503); floor(2e6 * 1_000_503 / 2_000_503) =
     * floor(2_001_006_000_000 / 2_000_503) = 1_000_251 (2_000_503 * 1_000_251 =
     * 2_001_005_126_253, remainder 873_747) */
    ck_assert_int_eq(tsr_pool_chain_buy_quote(&s, 1000503, 500000, 1000000, &q), TSR_OK);
    ck_buy(&q, 0, 1000503, 1000251);
    /* the injection is the whole pool: y0 = 0, x0 = 0 -> nothing to buy (0 * 1000 / 1000) */
    ck_assert_int_eq(tsr_pool_chain_buy_quote(&s, 1000, 1500000, 3000000, &q), TSR_OK);
    ck_buy(&q, 0, 1000, 0);
    /* an injection larger than the reserve that holds it is refused */
    ck_assert_int_eq(tsr_pool_chain_buy_quote(&s, 1000, 1500001, 0, &q), TSR_EINVAL);
    ck_assert_int_eq(tsr_pool_chain_buy_quote(&s, 1000, 0, 3000001, &q), TSR_EINVAL);
    ck_assert_int_eq(tsr_pool_chain_buy_quote(NULL, 1000, 0, 0, &q), TSR_EINVAL);
    ck_assert_int_eq(tsr_pool_chain_buy_quote(&s, 1000, 0, 0, NULL), TSR_EINVAL);
    s = pool(M - 10, 3000000);
    ck_assert_int_eq(tsr_pool_chain_buy_quote(&s, 11, 0, 0, &q), TSR_EOVERFLOW);
    ck_assert_int_eq(tsr_pool_chain_buy_quote(&s, 10, 0, 0, &q), TSR_OK);
}
END_TEST

/* The fee and the swap against __int128 reference arithmetic over seeded random inputs with
 * mixed magnitudes, and a sale's outputs never exceeding the TAO reserve. */
START_TEST(test_pool_sweep)
{
    uint64_t st = 0x706f6f6cu;
    mismatch mm = {0, ""};
    for (int i = 0; i < 200000; i++) {
        unsigned sh = (unsigned)(rt_next(&st) % 64);
        uint64_t a = rt_next(&st) >> sh, b = rt_next(&st) >> (rt_next(&st) % 64),
                 c = rt_next(&st) >> (rt_next(&st) % 64);
        uint64_t fee = tsr_pool_fee(a), want_fee = (uint64_t)((ref_u128)a * 33u / 65535u);
        if (fee != want_fee)
            MISMATCH(&mm, "fee(%llu) = %llu, want %llu", (unsigned long long)a,
                     (unsigned long long)fee, (unsigned long long)want_fee);
        ref_u128 den = (ref_u128)b + c;
        uint64_t out = tsr_pool_swap_out(b, a, c);
        uint64_t want = den == 0 ? 0 : (uint64_t)((ref_u128)a * c / den);
        if (out != want)
            MISMATCH(&mm, "swap_out(%llu, %llu, %llu) = %llu, want %llu", (unsigned long long)b,
                     (unsigned long long)a, (unsigned long long)c, (unsigned long long)out,
                     (unsigned long long)want);
        tsr_subnet s = pool(a, b >> 1);
        tsr_pool_sale q;
        if (tsr_pool_sale_quote(&s, c >> 1, &q) != TSR_OK || (ref_u128)q.tao_out + q.fee_tao > a ||
            q.fee + q.net != c >> 1 ||
            q.refused != (c >> 1 == 0 || a - q.tao_out - q.fee_tao < TSR_POOL_MIN_RESERVE))
            MISMATCH(&mm, "sale(y %llu, x %llu, %llu)", (unsigned long long)a,
                     (unsigned long long)(b >> 1), (unsigned long long)(c >> 1));
    }
    ck_no_mismatch(&mm, "pool sweep");
}
END_TEST

Suite *suite_pool(void)
{
    Suite *s = suite_create("pool");
    TCase *tc = tcase_create("hand");
    tcase_add_test(tc, test_pool_fee);
    tcase_add_test(tc, test_pool_swap_out);
    tcase_add_test(tc, test_pool_price);
    tcase_add_test(tc, test_pool_sale);
    tcase_add_test(tc, test_pool_root_claim);
    tcase_add_test(tc, test_pool_buy);
    tcase_add_test(tc, test_pool_chain_buy);
    suite_add_tcase(s, tc);
    TCase *sw = tcase_create("sweep");
    tcase_add_test(sw, test_pool_sweep);
    suite_add_tcase(s, sw);
    return s;
}
