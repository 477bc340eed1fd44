/* test_basefee.c: the EIP-1559 base fee (spec mechanisms §5.2) on the spec's vectors, whose
 * expected values come from the EIP's rule (the spec's table), and payments worked by hand. */
#include <check.h>
#include <stdint.h>

#include "settle_tests.h"
#include "tsr.h"

#define TARGET UINT64_C(15000000) /* the spec's vectors: gas limit 30M, target 15M */
#define GWEI   UINT64_C(1000000000)

static uint64_t next(uint64_t base, uint64_t used, uint64_t target)
{
    uint64_t out = 0;
    ck_assert_int_eq(tsr_basefee_next(base, used, target, TSR_BASEFEE_DENOMINATOR, &out), TSR_OK);
    return out;
}

START_TEST(spec_vectors)
{
    const uint64_t full = TSR_BASEFEE_ELASTICITY * TARGET;
    ck_assert_uint_eq(next(GWEI, full, TARGET), UINT64_C(1125000000));
    ck_assert_uint_eq(next(GWEI, 0, TARGET), UINT64_C(875000000));
    ck_assert_uint_eq(next(GWEI, TARGET + 1, TARGET), UINT64_C(1000000008));
    ck_assert_uint_eq(next(GWEI, TARGET, TARGET), GWEI);
    ck_assert_uint_eq(next(7, full, TARGET), 8); /* the max(..., 1) branch */
    ck_assert_uint_eq(next(7, 0, TARGET), 7);    /* 7 * 15M / 15M / 8 = 0 */
    ck_assert_uint_eq(next(8, 0, TARGET), 7);
    uint64_t b = TSR_BASEFEE_INITIAL;
    for (int i = 0; i < 10; i++)
        b = next(b, full, TARGET);
    ck_assert_uint_eq(b, UINT64_C(3247321023)); /* ten full blocks in a row */
    ck_assert_uint_eq(next(GWEI, 30025257, 15014561), UINT64_C(1124967822)); /* London */
}
END_TEST

START_TEST(bounds_and_errors)
{
    uint64_t out = 42;
    ck_assert_int_eq(tsr_basefee_next(GWEI, 1, 0, 8, &out), TSR_EINVAL);
    ck_assert_int_eq(tsr_basefee_next(GWEI, 1, 1, 0, &out), TSR_EINVAL);
    ck_assert_int_eq(tsr_basefee_next(GWEI, 1, 1, 8, NULL), TSR_EINVAL);
    ck_assert_uint_eq(out, 42);
    /* a rise saturates: base 2^64 - 1 doubled usage would add (2^64 - 1) / 8 */
    ck_assert_uint_eq(next(UINT64_MAX, 2, 1), UINT64_MAX);
    /* base * diff beyond 64 bits is exact: (2^63) * (2^40) / 2^40 / 8 = 2^60 */
    ck_assert_uint_eq(next(UINT64_C(1) << 63, (UINT64_C(1) << 41), UINT64_C(1) << 40),
                      (UINT64_C(1) << 63) + (UINT64_C(1) << 60));
    /* a step that does not fit 64 bits saturates the rise too: base 2^63, used 2^64 - 1,
     * target 1: (2^63 (2^64 - 2)) / 8 is far above 2^64 */
    ck_assert_uint_eq(next(UINT64_C(1) << 63, UINT64_MAX, 1), UINT64_MAX);
    /* zero usage takes exactly 1/8, floored: 1000 -> 875; 1001 -> 1001 - 125 = 876 */
    ck_assert_uint_eq(next(1000, 0, 5), 875);
    ck_assert_uint_eq(next(1001, 0, 5), 876);
    /* base 0 rises by the minimum step only */
    ck_assert_uint_eq(next(0, 10, 5), 1);
    ck_assert_uint_eq(next(0, 0, 5), 0);
}
END_TEST

START_TEST(payment_by_hand)
{
    uint64_t burned = 0, tip = 0, total = 0;
    /* 21000 gas at base 30 gwei, caps 35 / 2 gwei: priority min(2, 35 - 30) = 2 gwei;
     * burned 21000 * 30e9 = 6.3e14, tip 21000 * 2e9 = 4.2e13, total 6.72e14 */
    ck_assert_int_eq(tsr_basefee_pay(21000, 30 * GWEI, 35 * GWEI, 2 * GWEI, &burned, &tip, &total),
                     TSR_OK);
    ck_assert_uint_eq(burned, UINT64_C(630000000000000));
    ck_assert_uint_eq(tip, UINT64_C(42000000000000));
    ck_assert_uint_eq(total, UINT64_C(672000000000000));
    /* max_fee leaves less than max_priority: priority = 31 - 30 = 1 gwei */
    ck_assert_int_eq(tsr_basefee_pay(10, 30 * GWEI, 31 * GWEI, 2 * GWEI, &burned, &tip, &total),
                     TSR_OK);
    ck_assert_uint_eq(tip, 10 * GWEI);
    ck_assert_uint_eq(total, 310 * GWEI);
    /* max_fee below the base fee: invalid, nothing written */
    ck_assert_int_eq(tsr_basefee_pay(10, 30, 29, 0, &burned, &tip, &total), TSR_EINVAL);
    ck_assert_uint_eq(total, 310 * GWEI);
    /* products beyond 64 bits */
    ck_assert_int_eq(tsr_basefee_pay(UINT64_C(1) << 32, UINT64_C(1) << 32, UINT64_C(1) << 33, 0,
                                     &burned, &tip, &total),
                     TSR_EOVERFLOW);
    /* each product fits but not their sum: 3 units at base 2^62 and priority 2^62 (max_fee
     * 2^63 leaves exactly 2^62): 3 * 2^62 twice is 3 * 2^63 > 2^64 - 1 */
    ck_assert_int_eq(tsr_basefee_pay(3, UINT64_C(1) << 62, UINT64_C(1) << 63, UINT64_C(1) << 62,
                                     &burned, &tip, &total),
                     TSR_EOVERFLOW);
    /* priority is capped by max_fee - base, so usage 1 can never overflow the sum */
    ck_assert_int_eq(
        tsr_basefee_pay(1, UINT64_C(1) << 63, UINT64_MAX, UINT64_C(1) << 63, &burned, &tip, &total),
        TSR_OK);
    ck_assert_uint_eq(total, UINT64_MAX);
}
END_TEST

Suite *suite_basefee(void)
{
    Suite *s = suite_create("basefee");
    TCase *t = tcase_create("eip1559");
    tcase_add_test(t, spec_vectors);
    tcase_add_test(t, bounds_and_errors);
    tcase_add_test(t, payment_by_hand);
    suite_add_tcase(s, t);
    return s;
}
