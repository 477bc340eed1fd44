/* test_split.c: largest-remainder pro-rata split. Hand cases for the tie and remainder rules;
 * a seeded sweep checks conservation, |out_i - exact| < 1 and the largest-remainder property
 * with the compiler's __int128 as the reference arithmetic, with and without scratch. */
#include <stdlib.h>

#include "reward_tests.h"
#include "tsr.h"

__extension__ typedef unsigned __int128 ref_u128;

START_TEST(test_split_hand)
{
    uint64_t out[8], rem = 99;
    tsr_split_item scratch[8];
    const uint64_t eq3[] = {1, 1, 1};
    ck_assert_int_eq(tsr_split_pro_rata(2, eq3, 3, out, NULL, &rem), TSR_OK);
    ck_assert_uint_eq(out[0], 1); /* ties: lower index first */
    ck_assert_uint_eq(out[1], 1);
    ck_assert_uint_eq(out[2], 0);
    ck_assert_uint_eq(rem, 0);
    ck_assert_int_eq(tsr_split_pro_rata(1, eq3, 3, out, scratch, &rem), TSR_OK);
    ck_assert_uint_eq(out[0], 1);
    ck_assert_uint_eq(out[1], 0);
    ck_assert_uint_eq(out[2], 0);
    const uint64_t w12[] = {1, 2};
    ck_assert_int_eq(tsr_split_pro_rata(1, w12, 2, out, NULL, &rem), TSR_OK);
    ck_assert_uint_eq(out[0], 0); /* 1/3 vs 2/3: the larger remainder wins */
    ck_assert_uint_eq(out[1], 1);
    const uint64_t w[] = {0, 3, 0, 7};
    ck_assert_int_eq(tsr_split_pro_rata(100, w, 4, out, NULL, &rem), TSR_OK);
    ck_assert_uint_eq(out[0], 0);
    ck_assert_uint_eq(out[1], 30);
    ck_assert_uint_eq(out[2], 0);
    ck_assert_uint_eq(out[3], 70);
    /* 10 among 3 equal: 4,3,3 */
    ck_assert_int_eq(tsr_split_pro_rata(10, eq3, 3, out, scratch, &rem), TSR_OK);
    ck_assert_uint_eq(out[0], 4);
    ck_assert_uint_eq(out[1], 3);
    ck_assert_uint_eq(out[2], 3);
    /* zero weights: nothing split, all returned */
    const uint64_t z[] = {0, 0};
    out[0] = out[1] = 5;
    ck_assert_int_eq(tsr_split_pro_rata(77, z, 2, out, NULL, &rem), TSR_OK);
    ck_assert_uint_eq(out[0], 0);
    ck_assert_uint_eq(out[1], 0);
    ck_assert_uint_eq(rem, 77);
    ck_assert_int_eq(tsr_split_pro_rata(77, NULL, 0, NULL, NULL, &rem), TSR_OK);
    ck_assert_uint_eq(rem, 77);
    ck_assert_int_eq(tsr_split_pro_rata(77, NULL, 2, out, NULL, &rem), TSR_EINVAL);
    ck_assert_int_eq(tsr_split_pro_rata(77, w, 2, NULL, NULL, &rem), TSR_EINVAL);
    /* extremes: u64::MAX among u64::MAX weights (W = 3 * (2^64 - 1) > 2^64) */
    const uint64_t big[] = {UINT64_MAX, UINT64_MAX, UINT64_MAX};
    ck_assert_int_eq(tsr_split_pro_rata(UINT64_MAX, big, 3, out, NULL, NULL), TSR_OK);
    ck_assert_uint_eq(out[0], UINT64_MAX / 3); /* 2^64 - 1 is divisible by 3 */
    ck_assert_uint_eq(out[0] + out[1] + out[2], UINT64_MAX);
    const uint64_t big2[] = {UINT64_MAX, UINT64_MAX};
    ck_assert_int_eq(tsr_split_pro_rata(UINT64_MAX, big2, 2, out, NULL, NULL), TSR_OK);
    ck_assert_uint_eq(out[0], UINT64_MAX / 2 + 1);
    ck_assert_uint_eq(out[1], UINT64_MAX / 2);
}
END_TEST

/* Verify one split against the definition. */
static void check_split(uint64_t amount, const uint64_t *w, size_t n, const uint64_t *out)
{
    ref_u128 W = 0, sum = 0;
    for (size_t i = 0; i < n; i++)
        W += w[i];
    ck_assert(W > 0);
    /* the smallest remainder among holders who got an extra unit, and the largest among those
     * who did not, with indices for the tie rule */
    int have_up = 0, have_down = 0;
    ref_u128 min_up = 0, max_down = 0;
    size_t min_up_i = 0, max_down_i = 0;
    for (size_t i = 0; i < n; i++) {
        ref_u128 exact = (ref_u128)amount * w[i];
        ref_u128 fl = exact / W, r = exact % W;
        sum += out[i];
        ck_assert(out[i] == fl || out[i] == fl + 1);
        ck_assert(out[i] == fl || r > 0); /* |out - exact| < 1 */
        if (out[i] == fl + 1) {
            if (!have_up || r < min_up || (r == min_up && i > min_up_i)) {
                min_up = r;
                min_up_i = i;
            }
            have_up = 1;
        } else {
            if (!have_down || r > max_down) {
                max_down = r;
                max_down_i = i;
            }
            have_down = 1;
        }
    }
    ck_assert(sum == amount);
    if (have_up && have_down)
        ck_assert(min_up > max_down || (min_up == max_down && min_up_i < max_down_i));
}

START_TEST(test_split_sweep)
{
    uint64_t st = 2024, out[64], out2[64], w[64];
    tsr_split_item scratch[64];
    for (int c = 0; c < 5000; c++) {
        size_t n = 1 + (size_t)(rt_next(&st) % 64);
        int mode = (int)(rt_next(&st) % 4);
        uint64_t amount = rt_next(&st);
        if (mode == 1)
            amount %= 1000;
        for (size_t i = 0; i < n; i++) {
            uint64_t x = rt_next(&st);
            w[i] = mode == 2 ? x % 4 : (mode == 3 ? x : x % 1000000);
        }
        w[rt_next(&st) % n] |= 1; /* at least one non-zero weight */
        uint64_t rem = 1;
        ck_assert_int_eq(tsr_split_pro_rata(amount, w, n, out, NULL, &rem), TSR_OK);
        ck_assert_uint_eq(rem, 0);
        check_split(amount, w, n, out);
        ck_assert_int_eq(tsr_split_pro_rata(amount, w, n, out2, scratch, &rem), TSR_OK);
        for (size_t i = 0; i < n; i++)
            ck_assert_uint_eq(out2[i], out[i]);
    }
}
END_TEST

START_TEST(test_split_large)
{
    /* n = 1000 with many leftover units: both paths agree and satisfy the definition */
    enum { N = 1000 };
    uint64_t *w = malloc(N * sizeof *w), *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b);
    tsr_split_item *scratch = malloc(N * sizeof *scratch);
    uint64_t st = 5;
    ck_assert(w && a && b && scratch);
    for (size_t i = 0; i < N; i++)
        w[i] = 1 + rt_next(&st) % 1000;
    ck_assert_int_eq(tsr_split_pro_rata(999999, w, N, a, NULL, NULL), TSR_OK);
    ck_assert_int_eq(tsr_split_pro_rata(999999, w, N, b, scratch, NULL), TSR_OK);
    for (size_t i = 0; i < N; i++)
        ck_assert_uint_eq(a[i], b[i]);
    check_split(999999, w, N, a);
    free(w);
    free(a);
    free(b);
    free(scratch);
}
END_TEST

Suite *suite_split(void)
{
    Suite *s = suite_create("split");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_split_hand);
    tcase_add_test(tc, test_split_sweep);
    tcase_add_test(tc, test_split_large);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return s;
}
