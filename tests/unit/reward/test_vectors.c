/* test_vectors.c: the chain's conformance vectors (../shared/conformance/vectors, format
 * reward-cases/1) for the scalar functions: every case of every file must match exactly, and the
 * number of cases run must equal the number in the file (a missing or empty file fails). The
 * matrix/vector helpers' files run in test_math.c. */
#include "reward_tests.h"
#include "tsr.h"
#include "vectors.h"

/* Open a vector file or fail the test with the loader's message. */
#define OPEN(f, name)                                                                              \
    do {                                                                                           \
        int _rc = tsv_open(&(f), (name));                                                          \
        ck_assert_msg(_rc == 0, "%s", (f).err);                                                    \
    } while (0)

#define GET(reader, v, out) ck_assert_msg(reader((v), (out)) == 0, "bad value in %s", f.path)

START_TEST(test_tv00_u16_proportion_to_fixed)
{
    tsv_file f;
    size_t run = 0;
    OPEN(f, "tv00_u16_proportion_to_fixed");
    for (size_t i = 0; i < f.ncases; i++, run++) {
        uint16_t x;
        int64_t want;
        GET(tsv_u16, tsv_in(&f, i, "x"), &x);
        GET(tsv_i64, tsv_out(&f, i), &want);
        ck_assert_int_eq(tsr_u16_proportion_to_fixed(x), want);
    }
    ck_assert_uint_eq(run, f.ncases);
    tsv_close(&f);
}
END_TEST

START_TEST(test_tv00_fixed_proportion_to_u16)
{
    tsv_file f;
    size_t run = 0;
    OPEN(f, "tv00_fixed_proportion_to_u16");
    for (size_t i = 0; i < f.ncases; i++, run++) {
        int64_t x;
        uint16_t want;
        GET(tsv_i64, tsv_in(&f, i, "x"), &x);
        GET(tsv_u16, tsv_out(&f, i), &want);
        ck_assert_uint_eq(tsr_fixed_proportion_to_u16(x), want);
    }
    ck_assert_uint_eq(run, f.ncases);
    tsv_close(&f);
}
END_TEST

START_TEST(test_tv04_bma_alpha)
{
    tsv_file f;
    size_t run = 0;
    OPEN(f, "tv04_bonds_moving_average_alpha");
    for (size_t i = 0; i < f.ncases; i++, run++) {
        uint64_t bma;
        int64_t want;
        GET(tsv_u64, tsv_in(&f, i, "bonds_moving_average"), &bma);
        GET(tsv_i64, tsv_out(&f, i), &want);
        ck_assert_int_eq(tsr_bonds_moving_average_alpha(bma), want);
    }
    ck_assert_uint_eq(run, f.ncases);
    tsv_close(&f);
}
END_TEST

START_TEST(test_tv04_u64_ratio)
{
    tsv_file f;
    size_t run = 0;
    OPEN(f, "tv04_u64_ratio");
    for (size_t i = 0; i < f.ncases; i++, run++) {
        uint64_t x, total, hi, lo;
        int64_t want32;
        GET(tsv_u64, tsv_in(&f, i, "x"), &x);
        GET(tsv_u64, tsv_in(&f, i, "total"), &total);
        ck_assert(tsv_i128(json_object_get(tsv_out(&f, i), "i64f64"), &hi, &lo) == 0);
        GET(tsv_i64, json_object_get(tsv_out(&f, i), "i32f32"), &want32);
        tsr_i64f64 r = tsr_i64f64_safe_div(tsr_i64f64_from_u64(x), tsr_i64f64_from_u64(total));
        ck_assert_uint_eq(r.raw.hi, hi);
        ck_assert_uint_eq(r.raw.lo, lo);
        ck_assert_int_eq(tsr_fixed64_to_fixed32(r), want32);
    }
    ck_assert_uint_eq(run, f.ncases);
    tsv_close(&f);
}
END_TEST

START_TEST(test_tv05_exp_safe)
{
    tsv_file f;
    size_t run = 0;
    OPEN(f, "tv05_exp_safe");
    for (size_t i = 0; i < f.ncases; i++, run++) {
        int64_t x, want;
        GET(tsv_i64, tsv_in(&f, i, "x"), &x);
        GET(tsv_i64, tsv_out(&f, i), &want);
        ck_assert_int_eq(tsr_i32f32_exp_safe(x), want);
    }
    ck_assert_uint_eq(run, f.ncases);
    tsv_close(&f);
}
END_TEST

START_TEST(test_tv05_sigmoid_safe)
{
    tsv_file f;
    size_t run = 0;
    OPEN(f, "tv05_sigmoid_safe");
    for (size_t i = 0; i < f.ncases; i++, run++) {
        int64_t x, rho, kappa, want;
        GET(tsv_i64, tsv_in(&f, i, "x"), &x);
        GET(tsv_i64, tsv_in(&f, i, "rho"), &rho);
        GET(tsv_i64, tsv_in(&f, i, "kappa"), &kappa);
        GET(tsv_i64, tsv_out(&f, i), &want);
        ck_assert_msg(tsr_i32f32_sigmoid_safe(x, rho, kappa) == want, "case %zu", i);
    }
    ck_assert_uint_eq(run, f.ncases);
    tsv_close(&f);
}
END_TEST

START_TEST(test_tv21_legacy_epoch)
{
    tsv_file f;
    size_t run = 0;
    OPEN(f, "tv21_blocks_until_next_epoch_legacy");
    for (size_t i = 0; i < f.ncases; i++, run++) {
        uint16_t netuid, tempo;
        uint64_t block, want;
        GET(tsv_u16, tsv_in(&f, i, "netuid"), &netuid);
        GET(tsv_u16, tsv_in(&f, i, "tempo"), &tempo);
        GET(tsv_u64, tsv_in(&f, i, "block"), &block);
        GET(tsv_u64, tsv_out(&f, i), &want);
        ck_assert_uint_eq(tsr_blocks_until_next_epoch_legacy(netuid, tempo, block), want);
    }
    ck_assert_uint_eq(run, f.ncases);
    tsv_close(&f);
}
END_TEST

START_TEST(test_tv22_auto_epoch)
{
    tsv_file f;
    size_t run = 0;
    OPEN(f, "tv22_blocks_until_next_auto_epoch");
    for (size_t i = 0; i < f.ncases; i++, run++) {
        uint16_t tempo;
        uint64_t block, last, want;
        GET(tsv_u16, tsv_in(&f, i, "tempo"), &tempo);
        GET(tsv_u64, tsv_in(&f, i, "block"), &block);
        GET(tsv_u64, tsv_in(&f, i, "last_epoch_block"), &last);
        GET(tsv_u64, tsv_out(&f, i), &want);
        ck_assert_uint_eq(tsr_blocks_until_next_auto_epoch(tempo, block, last), want);
    }
    ck_assert_uint_eq(run, f.ncases);
    tsv_close(&f);
}
END_TEST

START_TEST(test_tv23_block_emission)
{
    tsv_file f;
    size_t run = 0;
    OPEN(f, "tv23_block_emission_for_issuance");
    for (size_t i = 0; i < f.ncases; i++, run++) {
        uint64_t issuance, want, got = 1;
        GET(tsv_u64, tsv_in(&f, i, "issuance"), &issuance);
        GET(tsv_u64, tsv_out(&f, i), &want);
        ck_assert_int_eq(tsr_block_emission_for_issuance(NULL, issuance, &got), TSR_OK);
        ck_assert_msg(got == want, "issuance %llu: got %llu want %llu",
                      (unsigned long long)issuance, (unsigned long long)got,
                      (unsigned long long)want);
    }
    ck_assert_uint_eq(run, f.ncases);
    tsv_close(&f);
}
END_TEST

/* The loader itself: decimal strings, range checks, a missing file. */
START_TEST(test_loader)
{
    tsv_file f;
    uint64_t u, hi, lo;
    int64_t s;
    json_t *v;
    ck_assert_int_eq(tsv_open(&f, "no_such_vector_file"), -1);
    ck_assert(f.err[0] != 0);
    tsv_close(&f);
    v = json_string("18446744073709551615");
    ck_assert_int_eq(tsv_u64(v, &u), 0);
    ck_assert_uint_eq(u, UINT64_MAX);
    ck_assert_int_eq(tsv_i64(v, &s), -1);
    json_decref(v);
    v = json_string("18446744073709551616");
    ck_assert_int_eq(tsv_u64(v, &u), -1);
    ck_assert_int_eq(tsv_u128(v, &hi, &lo), 0);
    ck_assert_uint_eq(hi, 1);
    ck_assert_uint_eq(lo, 0);
    json_decref(v);
    v = json_string("-170141183460469231731687303715884105728"); /* -2^127 */
    ck_assert_int_eq(tsv_i128(v, &hi, &lo), 0);
    ck_assert_uint_eq(hi, UINT64_C(1) << 63);
    ck_assert_uint_eq(lo, 0);
    json_decref(v);
    v = json_string("170141183460469231731687303715884105728"); /* 2^127: too big */
    ck_assert_int_eq(tsv_i128(v, &hi, &lo), -1);
    json_decref(v);
    v = json_string("-5");
    ck_assert_int_eq(tsv_i64(v, &s), 0);
    ck_assert_int_eq(s, -5);
    ck_assert_int_eq(tsv_u64(v, &u), -1);
    json_decref(v);
    v = json_string("12x");
    ck_assert_int_eq(tsv_u64(v, &u), -1);
    json_decref(v);
    v = json_integer(-9);
    ck_assert_int_eq(tsv_i64(v, &s), 0);
    ck_assert_int_eq(s, -9);
    json_decref(v);
}
END_TEST

Suite *suite_vectors(void)
{
    Suite *s = suite_create("vectors");
    TCase *tc = tcase_create("scalar");
    tcase_add_test(tc, test_tv00_u16_proportion_to_fixed);
    tcase_add_test(tc, test_tv00_fixed_proportion_to_u16);
    tcase_add_test(tc, test_tv04_bma_alpha);
    tcase_add_test(tc, test_tv04_u64_ratio);
    tcase_add_test(tc, test_tv05_exp_safe);
    tcase_add_test(tc, test_tv05_sigmoid_safe);
    tcase_add_test(tc, test_tv21_legacy_epoch);
    tcase_add_test(tc, test_tv22_auto_epoch);
    tcase_add_test(tc, test_tv23_block_emission);
    tcase_add_test(tc, test_loader);
    suite_add_tcase(s, tc);
    return s;
}
