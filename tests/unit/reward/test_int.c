/* test_int.c: wide integers (tsr_int.h). Edge cases are checked against values worked out by
 * hand; seeded sweeps are checked against the compiler's own unsigned __int128 (an independent
 * reference in both builds: in check_reward_portable the library does not use it) and, for
 * 256-bit division, against the defining identity n = q d + r with r < d. */
#include "reward_tests.h"
#include "tsr.h"

#define M UINT64_MAX

__extension__ typedef unsigned __int128 ref_u128;
__extension__ typedef __int128 ref_i128;

static ref_u128 R(tsr_u128 a)
{
    return ((ref_u128)a.hi << 64) | a.lo;
}
static ref_i128 RI(tsr_i128 a)
{
    return (ref_i128)R(tsr_i128_bits(a));
}

#define ck_u128(a, H, L)                                                                           \
    do {                                                                                           \
        tsr_u128 _v = (a);                                                                         \
        ck_assert_uint_eq(_v.hi, (H));                                                             \
        ck_assert_uint_eq(_v.lo, (L));                                                             \
    } while (0)

START_TEST(test_add_sub_carry)
{
    tsr_u128 r;
    ck_assert_int_eq(tsr_u128_add_ovf(tsr_u128_make(0, M), tsr_u128_from_u64(1), &r), 0);
    ck_u128(r, 1, 0);
    ck_assert_int_eq(tsr_u128_add_ovf(tsr_u128_max(), tsr_u128_from_u64(1), &r), 1);
    ck_u128(r, 0, 0);
    ck_assert_int_eq(tsr_u128_add_ovf(tsr_u128_make(M, 0), tsr_u128_make(1, 0), &r), 1);
    ck_u128(r, 0, 0);
    /* carry from lo into a hi of M overflows */
    ck_assert_int_eq(tsr_u128_add_ovf(tsr_u128_make(M, M), tsr_u128_make(0, 1), &r), 1);
    ck_assert_int_eq(tsr_u128_add_ovf(tsr_u128_make(5, 7), tsr_u128_make(6, 8), &r), 0);
    ck_u128(r, 11, 15);
    ck_assert_int_eq(tsr_u128_sub_ovf(tsr_u128_make(1, 0), tsr_u128_from_u64(1), &r), 0);
    ck_u128(r, 0, M);
    ck_assert_int_eq(tsr_u128_sub_ovf(tsr_u128_from_u64(0), tsr_u128_from_u64(1), &r), 1);
    ck_u128(r, M, M);
    /* borrow only through the lo word */
    ck_assert_int_eq(tsr_u128_sub_ovf(tsr_u128_make(0, 0), tsr_u128_make(0, 2), &r), 1);
    ck_assert_int_eq(tsr_u128_sub_ovf(tsr_u128_make(3, 2), tsr_u128_make(3, 2), &r), 0);
    ck_u128(r, 0, 0);
    ck_assert_int_eq(tsr_u128_sub_ovf(tsr_u128_make(3, 2), tsr_u128_make(3, 3), &r), 1);
}
END_TEST

START_TEST(test_compare_shift)
{
    ck_assert_int_eq(tsr_u128_cmp(tsr_u128_make(1, 0), tsr_u128_make(0, M)), 1);
    ck_assert_int_eq(tsr_u128_cmp(tsr_u128_make(0, M), tsr_u128_make(1, 0)), -1);
    ck_assert_int_eq(tsr_u128_cmp(tsr_u128_make(2, 3), tsr_u128_make(2, 3)), 0);
    ck_assert_int_eq(tsr_u128_cmp(tsr_u128_make(2, 3), tsr_u128_make(2, 4)), -1);
    ck_assert_uint_eq(tsr_u128_bitlen(tsr_u128_make(0, 0)), 0);
    ck_assert_uint_eq(tsr_u128_bitlen(tsr_u128_make(0, 1)), 1);
    ck_assert_uint_eq(tsr_u128_bitlen(tsr_u128_make(1, 0)), 65);
    ck_assert_uint_eq(tsr_u128_bitlen(tsr_u128_max()), 128);

    tsr_u128 one = tsr_u128_from_u64(1);
    ck_u128(tsr_u128_shl(one, 0), 0, 1);
    ck_u128(tsr_u128_shl(one, 63), 0, (uint64_t)1 << 63);
    ck_u128(tsr_u128_shl(one, 64), 1, 0);
    ck_u128(tsr_u128_shl(one, 127), (uint64_t)1 << 63, 0);
    ck_u128(tsr_u128_shl(one, 128), 0, 0);
    ck_u128(tsr_u128_shl(tsr_u128_make(0, M), 4), 0xF, M << 4);
    ck_u128(tsr_u128_shr(tsr_u128_make(1, 0), 1), 0, (uint64_t)1 << 63);
    ck_u128(tsr_u128_shr(tsr_u128_max(), 64), 0, M);
    ck_u128(tsr_u128_shr(tsr_u128_max(), 127), 0, 1);
    ck_u128(tsr_u128_shr(tsr_u128_max(), 128), 0, 0);
    ck_u128(tsr_u128_shr(tsr_u128_max(), 300), 0, 0);

    tsr_u256 a = tsr_u256_from_u128(tsr_u128_max());
    tsr_u256 s = tsr_u256_shl(a, 100);
    ck_assert_uint_eq(s.w[0], 0);
    ck_assert_uint_eq(s.w[1], M << 36);
    ck_assert_uint_eq(s.w[2], M);
    ck_assert_uint_eq(s.w[3], M >> 28);
    s = tsr_u256_shr(s, 100);
    ck_assert(tsr_u256_fits_u128(s));
    ck_u128(tsr_u256_low128(s), M, M);
    ck_assert(tsr_u256_low_bits_nonzero(a, 1));
    ck_assert(!tsr_u256_low_bits_nonzero(tsr_u256_shl(a, 70), 70));
    ck_assert(tsr_u256_low_bits_nonzero(tsr_u256_shl(a, 70), 71));
}
END_TEST

START_TEST(test_mul)
{
    ck_u128(tsr_u128_mul64(M, M), M - 1, 1);
    ck_u128(tsr_u128_mul64((uint64_t)1 << 32, (uint64_t)1 << 32), 1, 0);
    ck_u128(tsr_u128_mul64(0, M), 0, 0);
    /* (2^128 - 1)^2 = 2^256 - 2^129 + 1 */
    tsr_u256 p = tsr_u128_mul_full(tsr_u128_max(), tsr_u128_max());
    ck_assert_uint_eq(p.w[0], 1);
    ck_assert_uint_eq(p.w[1], 0);
    ck_assert_uint_eq(p.w[2], M - 1);
    ck_assert_uint_eq(p.w[3], M);
    tsr_u128 r;
    ck_assert_int_eq(tsr_u128_mul_ovf(tsr_u128_make(1, 0), tsr_u128_make(1, 0), &r), 1);
    ck_assert_int_eq(tsr_u128_mul_ovf(tsr_u128_make(0, M), tsr_u128_make(0, M), &r), 0);
    ck_u128(r, M - 1, 1);
    ck_u128(tsr_u128_mul(tsr_u128_make(1, 1), tsr_u128_make(1, 1)), 2, 1);
}
END_TEST

START_TEST(test_divmod_edges)
{
    tsr_u128 q, r;
    tsr_u128 n = tsr_u128_make(0x0123456789abcdefu, 0xfedcba9876543210u);
    ck_assert_int_eq(tsr_u128_divmod(n, tsr_u128_from_u64(0), &q, &r), TSR_EDIVZERO);
    ck_assert_int_eq(tsr_u128_divmod(n, tsr_u128_from_u64(1), &q, &r), TSR_OK);
    ck_assert(tsr_u128_eq(q, n));
    ck_assert(tsr_u128_is_zero(r));
    ck_assert_int_eq(tsr_u128_divmod(n, tsr_u128_max(), &q, &r), TSR_OK);
    ck_assert(tsr_u128_is_zero(q));
    ck_assert(tsr_u128_eq(r, n));
    ck_assert_int_eq(tsr_u128_divmod(tsr_u128_max(), tsr_u128_max(), &q, &r), TSR_OK);
    ck_u128(q, 0, 1);
    ck_u128(r, 0, 0);
    ck_assert_int_eq(tsr_u128_divmod(tsr_u128_max(), tsr_u128_make(1, 0), &q, &r), TSR_OK);
    ck_u128(q, 0, M);
    ck_u128(r, 0, M);
    /* 2^127 / 3 */
    ck_assert_int_eq(
        tsr_u128_divmod(tsr_u128_make((uint64_t)1 << 63, 0), tsr_u128_from_u64(3), &q, &r), TSR_OK);
    ck_assert(R(q) == ((ref_u128)1 << 127) / 3);
    ck_u128(r, 0, 2);

    tsr_u256 big = {{1, 2, 3, 4}}, q256;
    ck_assert_int_eq(tsr_u256_divmod_u128(big, tsr_u128_from_u64(0), &q256, &r), TSR_EDIVZERO);
    ck_assert_int_eq(tsr_u256_divmod_u128(big, tsr_u128_from_u64(1), &q256, &r), TSR_OK);
    for (int i = 0; i < 4; i++)
        ck_assert_uint_eq(q256.w[i], big.w[i]);
    ck_assert(tsr_u128_is_zero(r));
    /* (2^256 - 1) / (2^128 - 1) = 2^128 + 1, remainder 0 */
    tsr_u256 all = {{M, M, M, M}};
    ck_assert_int_eq(tsr_u256_divmod_u128(all, tsr_u128_max(), &q256, &r), TSR_OK);
    ck_assert_uint_eq(q256.w[0], 1);
    ck_assert_uint_eq(q256.w[1], 0);
    ck_assert_uint_eq(q256.w[2], 1);
    ck_assert_uint_eq(q256.w[3], 0);
    ck_assert(tsr_u128_is_zero(r));
}
END_TEST

/* Digits that exercise Knuth D's corner cases (qhat corrections, add-back). */
static uint64_t pattern_word(uint64_t *st)
{
    static const uint32_t digits[] = {0, 1, 2, 0x7fffffffu, 0x80000000u, 0xfffffffeu, 0xffffffffu};
    uint64_t w = 0;
    for (int h = 0; h < 2; h++) {
        uint64_t x = rt_next(st);
        uint32_t d = (x & 3) ? digits[(x >> 8) % 7] : (uint32_t)(x >> 32);
        w |= (uint64_t)d << (32 * h);
    }
    return w;
}

START_TEST(test_divmod_sweep)
{
    uint64_t st = 12345;
    for (int i = 0; i < 20000; i++) {
        tsr_u128 n = tsr_u128_make(pattern_word(&st), pattern_word(&st));
        tsr_u128 d = tsr_u128_make(pattern_word(&st), pattern_word(&st));
        unsigned shift = (unsigned)(rt_next(&st) % 128);
        d = tsr_u128_shr(d, shift);
        if (tsr_u128_is_zero(d))
            d = tsr_u128_from_u64(7);
        tsr_u128 q, r;
        ck_assert_int_eq(tsr_u128_divmod(n, d, &q, &r), TSR_OK);
        ck_assert(R(q) == R(n) / R(d));
        ck_assert(R(r) == R(n) % R(d));
        /* add/sub/mul/shift against the reference */
        ck_assert(R(tsr_u128_add(n, d)) == R(n) + R(d));
        ck_assert(R(tsr_u128_sub(n, d)) == R(n) - R(d));
        ck_assert(R(tsr_u128_mul(n, d)) == R(n) * R(d));
        ck_assert(R(tsr_u128_mul64(n.lo, d.hi)) == (ref_u128)n.lo * d.hi);
        ck_assert(R(tsr_u128_shl(n, shift)) == R(n) << shift);
        ck_assert(R(tsr_u128_shr(n, shift)) == R(n) >> shift);
        ck_assert_int_eq(tsr_u128_cmp(n, d), R(n) < R(d) ? -1 : (R(n) > R(d) ? 1 : 0));
    }
}
END_TEST

/* q d + r == n and r < d, computed with the library's own full product (itself checked
 * against the reference above) */
START_TEST(test_div256_sweep)
{
    uint64_t st = 999;
    for (int i = 0; i < 20000; i++) {
        tsr_u256 n;
        for (int k = 0; k < 4; k++)
            n.w[k] = pattern_word(&st);
        n = tsr_u256_shr(n, (unsigned)(rt_next(&st) % 200));
        tsr_u128 d = tsr_u128_shr(tsr_u128_make(pattern_word(&st), pattern_word(&st)),
                                  (unsigned)(rt_next(&st) % 128));
        if (tsr_u128_is_zero(d))
            d = tsr_u128_from_u64(3);
        tsr_u256 q;
        tsr_u128 r;
        ck_assert_int_eq(tsr_u256_divmod_u128(n, d, &q, &r), TSR_OK);
        ck_assert(tsr_u128_lt(r, d));
        /* q * d: q low and high halves separately */
        tsr_u256 lo = tsr_u128_mul_full(tsr_u128_make(q.w[1], q.w[0]), d);
        tsr_u256 hi = tsr_u128_mul_full(tsr_u128_make(q.w[3], q.w[2]), d);
        ck_assert(hi.w[2] == 0 && hi.w[3] == 0);
        /* sum = lo + (hi << 128) + r */
        uint64_t sum[4] = {lo.w[0], lo.w[1], lo.w[2], lo.w[3]};
        uint64_t add[4] = {r.lo, r.hi, hi.w[0], hi.w[1]};
        uint64_t carry = 0;
        for (int k = 0; k < 4; k++) {
            ref_u128 t = (ref_u128)sum[k] + add[k] + carry;
            sum[k] = (uint64_t)t;
            carry = (uint64_t)(t >> 64);
        }
        ck_assert_uint_eq(carry, 0);
        for (int k = 0; k < 4; k++)
            ck_assert_uint_eq(sum[k], n.w[k]);
    }
}
END_TEST

START_TEST(test_signed)
{
    tsr_i128 mn = tsr_i128_min(), mx = tsr_i128_max(), r;
    ck_assert(tsr_i128_is_neg(mn));
    ck_assert(!tsr_i128_is_neg(mx));
    ck_u128(tsr_i128_abs(mn), (uint64_t)1 << 63, 0); /* |MIN| = 2^127 exactly */
    ck_assert(tsr_i128_eq(tsr_i128_neg(mn), mn));
    ck_assert_int_eq(tsr_i128_cmp(mn, mx), -1);
    ck_assert_int_eq(tsr_i128_cmp(tsr_i128_from_i64(-1), tsr_i128_from_i64(0)), -1);
    ck_assert_int_eq(tsr_i128_cmp(tsr_i128_from_i64(-1), tsr_i128_from_i64(-2)), 1);
    ck_assert_int_eq(tsr_i128_add_ovf(mx, tsr_i128_from_i64(1), &r), 1);
    ck_assert(tsr_i128_eq(r, mn));
    ck_assert_int_eq(tsr_i128_sub_ovf(mn, tsr_i128_from_i64(1), &r), 1);
    ck_assert_int_eq(tsr_i128_add_ovf(mn, mx, &r), 0);
    ck_assert(tsr_i128_eq(r, tsr_i128_from_i64(-1)));
    ck_assert_int_eq(tsr_i128_sub_ovf(tsr_i128_from_i64(0), mn, &r), 1);
    ck_assert_int_eq(tsr_i128_sub_ovf(tsr_i128_from_i64(-1), mn, &r), 0);
    ck_assert(tsr_i128_eq(r, mx));
    /* arithmetic shift floors */
    ck_assert(RI(tsr_i128_sar(tsr_i128_from_i64(-3), 1)) == -2);
    ck_assert(RI(tsr_i128_sar(tsr_i128_from_i64(-1), 100)) == -1);
    ck_assert(RI(tsr_i128_sar(tsr_i128_from_i64(-1), 200)) == -1);
    ck_assert(RI(tsr_i128_sar(tsr_i128_from_i64(5), 1)) == 2);
    ck_assert(RI(tsr_i128_sar(mn, 127)) == -1);
    /* products */
    ck_assert(RI(tsr_i128_mul64(INT64_MIN, INT64_MIN)) == (ref_i128)1 << 126);
    ck_assert(RI(tsr_i128_mul64(INT64_MIN, 1)) == INT64_MIN);
    ck_assert(RI(tsr_i128_mul64(-3, 7)) == -21);
    ck_assert(RI(tsr_i128_mul64(INT64_MAX, -1)) == -(ref_i128)INT64_MAX);
    int64_t v = 0;
    ck_assert(tsr_i128_to_i64(tsr_i128_from_i64(INT64_MIN), &v));
    ck_assert_int_eq(v, INT64_MIN);
    ck_assert(tsr_i128_to_i64(tsr_i128_from_i64(INT64_MAX), &v));
    ck_assert_int_eq(v, INT64_MAX);
    ck_assert(!tsr_i128_to_i64(tsr_i128_make(0, (uint64_t)1 << 63), &v));
    ck_assert(!tsr_i128_to_i64(tsr_i128_make(M, 0), &v));
    ck_assert(!tsr_i128_to_i64(tsr_i128_make(M, ((uint64_t)1 << 63) - 1), &v));
    /* division truncates toward zero; remainder has the sign of the dividend */
    tsr_i128 q, rr;
    ck_assert_int_eq(tsr_i128_divmod(tsr_i128_from_i64(-7), tsr_i128_from_i64(2), &q, &rr), 0);
    ck_assert(RI(q) == -3 && RI(rr) == -1);
    ck_assert_int_eq(tsr_i128_divmod(tsr_i128_from_i64(7), tsr_i128_from_i64(-2), &q, &rr), 0);
    ck_assert(RI(q) == -3 && RI(rr) == 1);
    ck_assert_int_eq(tsr_i128_divmod(mn, tsr_i128_from_i64(-1), &q, &rr), TSR_EOVERFLOW);
    ck_assert_int_eq(tsr_i128_divmod(mn, tsr_i128_from_i64(0), &q, &rr), TSR_EDIVZERO);
    ck_assert_int_eq(tsr_i128_divmod(mn, tsr_i128_from_i64(1), &q, &rr), 0);
    ck_assert(tsr_i128_eq(q, mn));
    ck_assert_int_eq(tsr_i128_divmod(mn, mn, &q, &rr), 0);
    ck_assert(RI(q) == 1);
}
END_TEST

START_TEST(test_signed_sweep)
{
    uint64_t st = 77;
    for (int i = 0; i < 20000; i++) {
        tsr_i128 a = tsr_i128_make(pattern_word(&st), pattern_word(&st));
        tsr_i128 b = tsr_i128_sar(tsr_i128_make(pattern_word(&st), pattern_word(&st)),
                                  (unsigned)(rt_next(&st) % 127));
        if (tsr_i128_is_zero(b))
            b = tsr_i128_from_i64(-5);
        unsigned s = (unsigned)(rt_next(&st) % 128);
        ck_assert(RI(tsr_i128_sar(a, s)) == (RI(a) >> s)); /* gcc: arithmetic shift */
        ck_assert_int_eq(tsr_i128_cmp(a, b), RI(a) < RI(b) ? -1 : (RI(a) > RI(b) ? 1 : 0));
        if (tsr_i128_eq(a, tsr_i128_min()) && RI(b) == -1)
            continue;
        tsr_i128 q, r;
        ck_assert_int_eq(tsr_i128_divmod(a, b, &q, &r), TSR_OK);
        ck_assert(RI(q) == RI(a) / RI(b));
        ck_assert(RI(r) == RI(a) % RI(b));
    }
}
END_TEST

Suite *suite_int(void)
{
    Suite *s = suite_create("int");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_add_sub_carry);
    tcase_add_test(tc, test_compare_shift);
    tcase_add_test(tc, test_mul);
    tcase_add_test(tc, test_divmod_edges);
    tcase_add_test(tc, test_divmod_sweep);
    tcase_add_test(tc, test_div256_sweep);
    tcase_add_test(tc, test_signed);
    tcase_add_test(tc, test_signed_sweep);
    tcase_set_timeout(tc, 30);
    suite_add_tcase(s, tc);
    return s;
}
