/* test_fixed.c: fixed-point semantics of spec bittensor §1.2-§1.5. Expected raw values come from
 * the spec's tables, from hand arithmetic written next to each assert, or (for the float-literal
 * conversion sweep) from the platform's long double rounding, an independent implementation of
 * round-to-nearest-even. Tests may use floating point; the library may not. */
#include <fenv.h>
#include <math.h>
#include <string.h>

#include "reward_tests.h"
#include "tsr.h"

__extension__ typedef __int128 ref_i128;
__extension__ typedef unsigned __int128 ref_u128;

static uint32_t f32_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}
static uint64_t f64_bits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}
static tsr_i32f32 F32(float f)
{
    tsr_i32f32 r = 0;
    ck_assert_int_eq(tsr_i32f32_from_f32_bits(f32_bits(f), &r), TSR_OK);
    return r;
}
static tsr_i32f32 F64(double d)
{
    tsr_i32f32 r = 0;
    ck_assert_int_eq(tsr_i32f32_from_f64_bits(f64_bits(d), &r), TSR_OK);
    return r;
}
static ref_i128 RI(tsr_i128 a)
{
    return (ref_i128)(((ref_u128)a.hi << 64) | a.lo);
}
static ref_u128 RU(tsr_u128 a)
{
    return ((ref_u128)a.hi << 64) | a.lo;
}

#define ONE TSR_I32F32_ONE

/* spec bittensor §1.2: raw values of common f32 literals */
START_TEST(test_f32_table)
{
    ck_assert_uint_eq(f32_bits(0.1f), 0x3DCCCCCDu);
    ck_assert_int_eq(F32(0.1f), 429496736);
    ck_assert_int_eq(F64(0.1), 429496730);
    ck_assert_int_eq(F32(0.01f), 42949672);
    ck_assert_int_eq(F32(0.2f), 858993472);
    ck_assert_int_eq(F32(0.24f), 1030792128);
    ck_assert_int_eq(F32(0.25f), 1073741824);
    ck_assert_int_eq(F32(0.26f), 1116691456);
    ck_assert_int_eq(F32(0.3f), 1288490240);
    ck_assert_int_eq(F32(0.4f), 1717986944);
    ck_assert_int_eq(F32(0.49f), 2104534016);
    ck_assert_int_eq(F32(0.5f), 2147483648);
    ck_assert_int_eq(F32(0.51f), 2190433280);
    ck_assert_int_eq(F32(0.6f), 2576980480);
    ck_assert_int_eq(F32(0.7f), 3006477056);
    ck_assert_int_eq(F32(0.75f), 3221225472);
    ck_assert_int_eq(F32(0.76f), 3264175104);
    ck_assert_int_eq(F32(0.8f), 3435973888);
    ck_assert_int_eq(F32(1.0f), 4294967296);
    /* TV14: f64 0.9999998808 is raw 4294966784 (= f32 0.9999999) */
    ck_assert_int_eq(F64(0.9999998808), 4294966784);
    ck_assert_int_eq(F32(0.9999999f), 4294966784);
}
END_TEST

START_TEST(test_float_ties_and_errors)
{
    tsr_i32f32 r;
    /* exactly half an ulp rounds to even (0), 1.5 ulp to 2, just above half to 1 */
    ck_assert_int_eq(F64(ldexp(1.0, -33)), 0);
    ck_assert_int_eq(F64(ldexp(3.0, -33)), 2);
    ck_assert_int_eq(F64(ldexp(5.0, -33)), 2);
    ck_assert_int_eq(F64(ldexp(1.0, -33) + ldexp(1.0, -60)), 1);
    ck_assert_int_eq(F64(-ldexp(1.0, -33)), 0);
    ck_assert_int_eq(F64(-ldexp(3.0, -33)), -2);
    ck_assert_int_eq(F64(-1.0), -ONE);
    ck_assert_int_eq(F64(5e-324), 0); /* subnormal */
    ck_assert_int_eq(F64(-2147483648.0), INT64_MIN);
    ck_assert_int_eq(tsr_i32f32_from_f64_bits(f64_bits(2147483648.0), &r), TSR_EOVERFLOW);
    ck_assert_int_eq(tsr_i32f32_from_f64_bits(f64_bits(INFINITY), &r), TSR_EINVAL);
    ck_assert_int_eq(tsr_i32f32_from_f64_bits(f64_bits(NAN), &r), TSR_EINVAL);
    ck_assert_int_eq(tsr_i32f32_from_f32_bits(f32_bits(-INFINITY), &r), TSR_EINVAL);
    /* the largest f64 below 2^31 is 2^31 - 2^-22: exact in I32F32 (raw 2^63 - 2^10) */
    ck_assert_int_eq(tsr_i32f32_from_f64_bits(f64_bits(nextafter(2147483648.0, 0)), &r), TSR_OK);
    ck_assert_int_eq(r, INT64_MAX - 1023);
    /* likewise the f32 just below 2^31, 2^31 - 128 */
    ck_assert_int_eq(tsr_i32f32_from_f32_bits(f32_bits(nextafterf(2147483648.0f, 0)), &r), TSR_OK);
    ck_assert_int_eq(r, (INT64_C(2147483648) - 128) * ONE);

    tsr_i64f64 a;
    ck_assert_int_eq(tsr_i64f64_from_f64_bits(f64_bits(0.5), &a), TSR_OK);
    ck_assert(RI(a.raw) == (ref_i128)1 << 63);
    ck_assert_int_eq(tsr_i64f64_from_f64_bits(f64_bits(-0.5), &a), TSR_OK);
    ck_assert(RI(a.raw) == -((ref_i128)1 << 63));
    tsr_u64f64 u;
    ck_assert_int_eq(tsr_u64f64_from_f64_bits(f64_bits(-0.5), &u), TSR_EOVERFLOW);
    ck_assert_int_eq(tsr_u64f64_from_f64_bits(f64_bits(-0.0), &u), TSR_OK);
    ck_assert(RU(u.raw) == 0);
    ck_assert_int_eq(tsr_u64f64_from_f64_bits(f64_bits(ldexp(1.0, 64)), &u), TSR_EOVERFLOW);
    ck_assert_int_eq(tsr_u64f64_from_f64_bits(f64_bits(ldexp(1.0, 63)), &u), TSR_OK);
    ck_assert(RU(u.raw) == (ref_u128)1 << 127);
    tsr_i96f32 i96;
    ck_assert_int_eq(tsr_i96f32_from_f64_bits(f64_bits(10500000000000000.0), &i96), TSR_OK);
    ck_assert(RI(i96.raw) == (ref_i128)10500000000000000 << 32);
    tsr_u96f32 u96;
    ck_assert_int_eq(tsr_u96f32_from_f64_bits(f64_bits(0.1), &u96), TSR_OK);
    ck_assert(RU(u96.raw) == 429496730);
}
END_TEST

/* Sweep: random f32/f64 bit patterns in range against long double rounding (x87 has a 64-bit
 * mantissa, so v * 2^32 is exact and llrintl rounds it to nearest even). */
START_TEST(test_float_sweep)
{
    uint64_t st = 4242;
    ck_assert_int_eq(fegetround(), FE_TONEAREST);
    for (int i = 0; i < 50000; i++) {
        uint64_t x = rt_next(&st);
        /* exponent field in [0, 157] keeps |v| < 2^31 for f32 */
        uint32_t e = (uint32_t)((x >> 40) % 158);
        uint32_t b32 = (uint32_t)(x & 0x807fffffu) | (e << 23);
        float f;
        memcpy(&f, &b32, sizeof f);
        long double want = ldexpl((long double)f, 32);
        tsr_i32f32 got;
        ck_assert_int_eq(tsr_i32f32_from_f32_bits(b32, &got), TSR_OK);
        ck_assert_int_eq(got, llrintl(want));

        uint64_t e64 = (x >> 20) % 1054; /* |v| < 2^31 */
        uint64_t b64 = (rt_next(&st) & UINT64_C(0x800fffffffffffff)) | (e64 << 52);
        double d;
        memcpy(&d, &b64, sizeof d);
        ck_assert_int_eq(tsr_i32f32_from_f64_bits(b64, &got), TSR_OK);
        ck_assert_int_eq(got, llrintl(ldexpl((long double)d, 32)));
    }
}
END_TEST

START_TEST(test_i32f32_ops)
{
    tsr_i32f32 r;
    /* multiplication floors: -1 ulp * 0.5 = -0.5 ulp -> -1 ulp; +1 ulp * 0.5 -> 0 */
    ck_assert_int_eq(tsr_i32f32_sat_mul(-1, ONE / 2), -1);
    ck_assert_int_eq(tsr_i32f32_sat_mul(1, ONE / 2), 0);
    ck_assert_int_eq(tsr_i32f32_sat_mul(3 * ONE, -2 * ONE), -6 * ONE);
    ck_assert_int_eq(tsr_i32f32_checked_mul(65536 * ONE, 32768 * ONE, &r), TSR_EOVERFLOW);
    ck_assert_int_eq(tsr_i32f32_sat_mul(65536 * ONE, 32768 * ONE), INT64_MAX);
    ck_assert_int_eq(tsr_i32f32_sat_mul(-65536 * ONE, 32768 * ONE), INT64_MIN);
    ck_assert_int_eq(tsr_i32f32_checked_mul(-65536 * ONE, 32768 * ONE, &r), TSR_OK); /* -2^31 */
    ck_assert_int_eq(r, INT64_MIN);
    /* wrapping: 2^31 * 1.0 wraps to MIN */
    ck_assert_int_eq(tsr_i32f32_wrapping_mul(INT64_MAX, ONE), INT64_MAX);
    ck_assert_int_eq(tsr_i32f32_wrapping_mul(65536 * ONE, 32768 * ONE), INT64_MIN);
    /* division truncates toward zero */
    ck_assert_int_eq(tsr_i32f32_safe_div(ONE, 3 * ONE), 1431655765);
    ck_assert_int_eq(tsr_i32f32_safe_div(-ONE, 3 * ONE), -1431655765);
    ck_assert_int_eq(tsr_i32f32_safe_div(-1, 2 * ONE), 0);
    ck_assert_int_eq(tsr_i32f32_checked_div(ONE, 0, &r), TSR_EDIVZERO);
    ck_assert_int_eq(tsr_i32f32_checked_div(INT64_MAX, 1, &r), TSR_EOVERFLOW);
    ck_assert_int_eq(tsr_i32f32_safe_div(INT64_MAX, 1), 0); /* overflow -> 0, not MAX */
    ck_assert_int_eq(tsr_i32f32_safe_div(5 * ONE, 0), 0);   /* x / 0 = 0 */
    ck_assert_int_eq(tsr_i32f32_safe_div_or(5 * ONE, 0, 7), 7);
    ck_assert_int_eq(tsr_i32f32_safe_div_or(INT64_MAX, 1, 9), 9);
    ck_assert_int_eq(tsr_i32f32_sat_div(INT64_MAX, 1), INT64_MAX);
    ck_assert_int_eq(tsr_i32f32_sat_div(INT64_MAX, -1), INT64_MIN);
    ck_assert_int_eq(tsr_i32f32_sat_div(ONE, 0), 0);
    ck_assert_int_eq(tsr_i32f32_checked_div(INT64_MIN, -ONE, &r), TSR_EOVERFLOW);
    ck_assert_int_eq(tsr_i32f32_checked_div(INT64_MIN, ONE, &r), TSR_OK);
    ck_assert_int_eq(r, INT64_MIN);
    /* add / sub */
    ck_assert_int_eq(tsr_i32f32_sat_add(INT64_MAX, 1), INT64_MAX);
    ck_assert_int_eq(tsr_i32f32_sat_add(INT64_MIN, -1), INT64_MIN);
    ck_assert_int_eq(tsr_i32f32_sat_sub(INT64_MIN, 1), INT64_MIN);
    ck_assert_int_eq(tsr_i32f32_sat_sub(INT64_MAX, -1), INT64_MAX);
    ck_assert_int_eq(tsr_i32f32_sat_sub(0, INT64_MIN), INT64_MAX);
    ck_assert_int_eq(tsr_i32f32_checked_add(INT64_MAX, 1, &r), TSR_EOVERFLOW);
    ck_assert_int_eq(tsr_i32f32_checked_sub(-2, INT64_MAX, &r), TSR_EOVERFLOW);
    ck_assert_int_eq(tsr_i32f32_checked_sub(-1, INT64_MAX, &r), TSR_OK);
    ck_assert_int_eq(r, INT64_MIN);
    ck_assert_int_eq(tsr_i32f32_sat_neg(INT64_MIN), INT64_MAX);
}
END_TEST

START_TEST(test_i32f32_conversions)
{
    tsr_i32f32 r;
    ck_assert_int_eq(tsr_i32f32_from_int(5), 5 * ONE);
    ck_assert_int_eq(tsr_i32f32_from_int(-5), -5 * ONE);
    ck_assert_int_eq(tsr_i32f32_from_int(INT64_C(2147483647)), INT64_C(2147483647) * ONE);
    ck_assert_int_eq(tsr_i32f32_from_int(INT64_C(2147483648)), INT64_MAX);
    ck_assert_int_eq(tsr_i32f32_from_int(INT64_C(-2147483648)), INT64_MIN);
    ck_assert_int_eq(tsr_i32f32_from_int(INT64_C(-2147483649)), INT64_MIN);
    ck_assert_int_eq(tsr_i32f32_from_u64(UINT64_MAX), INT64_MAX);
    ck_assert_int_eq(tsr_i32f32_checked_from_int(INT64_C(2147483648), &r), TSR_EOVERFLOW);
    ck_assert_int_eq(tsr_i32f32_to_int(-1), -1); /* floor(-2^-32) = -1 */
    ck_assert_int_eq(tsr_i32f32_to_int(ONE - 1), 0);
    ck_assert_int_eq(tsr_i32f32_to_int(INT64_MIN), INT64_C(-2147483648));
    ck_assert_uint_eq(tsr_i32f32_to_u64(-ONE), 0);
    ck_assert_uint_eq(tsr_i32f32_to_u64(INT64_MAX), 2147483647u);
    ck_assert_uint_eq(tsr_i32f32_to_u16(70000 * ONE), 65535);
    ck_assert_uint_eq(tsr_i32f32_to_u16(-5), 0);
    ck_assert_uint_eq(tsr_i32f32_to_u16(3 * ONE + ONE / 2), 3);
    /* round(): nearest, ties away from zero */
    ck_assert_int_eq(tsr_i32f32_round(ONE / 2), ONE);
    ck_assert_int_eq(tsr_i32f32_round(-ONE / 2), -ONE);
    ck_assert_int_eq(tsr_i32f32_round(3 * ONE / 2), 2 * ONE);
    ck_assert_int_eq(tsr_i32f32_round(-5 * ONE / 2), -3 * ONE);
    ck_assert_int_eq(tsr_i32f32_round(ONE / 2 - 1), 0);
    ck_assert_int_eq(tsr_i32f32_round(-ONE / 2 + 1), 0);
    ck_assert_int_eq(tsr_i32f32_round(INT64_MAX), INT64_MAX); /* 2^31 does not fit: saturate */
    ck_assert_int_eq(tsr_i32f32_round(INT64_MIN), INT64_MIN);
    ck_assert_int_eq(tsr_i32f32_floor(-1), -ONE);
    ck_assert_int_eq(tsr_i32f32_floor(ONE + 5), ONE);
}
END_TEST

START_TEST(test_wide_types)
{
    tsr_i64f64 a, b;
    /* I64F64 1/3 = floor(2^64 / 3) */
    a = tsr_i64f64_safe_div(tsr_i64f64_from_int(1), tsr_i64f64_from_int(3));
    ck_assert(RI(a.raw) == (ref_i128)6148914691236517205);
    a = tsr_i64f64_safe_div(tsr_i64f64_from_int(-1), tsr_i64f64_from_int(3));
    ck_assert(RI(a.raw) == -(ref_i128)6148914691236517205);
    /* multiplication floors: -1 ulp * 0.5 = -1 ulp */
    b.raw = tsr_i128_from_i64(-1);
    a = tsr_i64f64_sat_mul(b, tsr_i64f64_safe_div(tsr_i64f64_from_int(1), tsr_i64f64_from_int(2)));
    ck_assert(RI(a.raw) == -1);
    ck_assert_int_eq(tsr_i64f64_checked_mul(tsr_i64f64_from_int(INT64_C(1) << 32),
                                            tsr_i64f64_from_int(INT64_C(1) << 31), &a),
                     TSR_EOVERFLOW);
    a = tsr_i64f64_sat_mul(tsr_i64f64_from_int(INT64_C(1) << 32),
                           tsr_i64f64_from_int(-(INT64_C(1) << 31)));
    ck_assert(tsr_i128_eq(a.raw, tsr_i128_min()));
    ck_assert_int_eq(tsr_i64f64_checked_div(tsr_i64f64_from_int(1), tsr_i64f64_from_int(0), &a),
                     TSR_EDIVZERO);
    b.raw = tsr_i128_from_i64(1); /* 2^-64 */
    ck_assert_int_eq(tsr_i64f64_checked_div(tsr_i64f64_from_int(1), b, &a), TSR_EOVERFLOW);
    a = tsr_i64f64_safe_div(tsr_i64f64_from_int(1), b);
    ck_assert(RI(a.raw) == 0);
    ck_assert(tsr_i128_eq(tsr_i64f64_from_u64(UINT64_MAX).raw, tsr_i128_max()));
    ck_assert(
        tsr_i128_eq(tsr_i64f64_sat_add(tsr_i64f64_from_u64(UINT64_MAX), tsr_i64f64_from_int(1)).raw,
                    tsr_i128_max()));
    ck_assert_uint_eq(tsr_i64f64_to_u64(tsr_i64f64_from_int(-3)), 0);
    ck_assert_uint_eq(tsr_i64f64_to_u64(tsr_i64f64_from_int(123)), 123);

    /* narrowing I64F64 -> I32F32 floors and saturates (fixed64_to_fixed32) */
    b.raw = tsr_i128_from_i64(-1);
    ck_assert_int_eq(tsr_fixed64_to_fixed32(b), -1);
    b.raw = tsr_i128_from_i64((INT64_C(1) << 32) - 1);
    ck_assert_int_eq(tsr_fixed64_to_fixed32(b), 0);
    ck_assert_int_eq(tsr_fixed64_to_fixed32(tsr_i64f64_from_int(INT64_C(1) << 40)), INT64_MAX);
    ck_assert_int_eq(tsr_fixed64_to_fixed32(tsr_i64f64_from_int(-(INT64_C(1) << 40))), INT64_MIN);
    ck_assert_int_eq(tsr_fixed64_to_fixed32(tsr_i64f64_from_i32f32(-12345)), -12345);

    /* I96F32 */
    tsr_i96f32 x = tsr_i96f32_safe_div(tsr_i96f32_from_int(1), tsr_i96f32_from_int(3)), y;
    ck_assert(RI(x.raw) == 1431655765);
    ck_assert_int_eq(tsr_i96f32_checked_mul(tsr_i96f32_from_u64(UINT64_MAX),
                                            tsr_i96f32_from_u64(UINT64_MAX), &y),
                     TSR_EOVERFLOW);
    y = tsr_i96f32_sat_mul(tsr_i96f32_from_u64(UINT64_MAX), tsr_i96f32_from_int(-2));
    ck_assert(RI(y.raw) == -((ref_i128)UINT64_MAX << 33));
    ck_assert_uint_eq(tsr_i96f32_to_u64(tsr_i96f32_from_int(-1)), 0);
    ck_assert_uint_eq(tsr_i96f32_to_u64(tsr_i96f32_sat_mul(tsr_i96f32_from_u64(UINT64_MAX),
                                                           tsr_i96f32_from_int(2))),
                      UINT64_MAX);
    ck_assert_int_eq(tsr_i96f32_to_i32f32(tsr_i96f32_from_u64(UINT64_MAX)), INT64_MAX);
    ck_assert_int_eq(tsr_i96f32_to_i32f32(tsr_i96f32_from_i32f32(-77)), -77);
    y.raw = tsr_i128_from_i64(-1);
    ck_assert(RI(tsr_i96f32_floor(y).raw) == -((ref_i128)1 << 32));
    /* floor of a negative product with a > 64-bit operand (the 256-bit path):
     * -(2^70 + 1) ulp * 0.5 = -(2^69 + 0.5) ulp -> -(2^69 + 1) ulp */
    y.raw = tsr_i128_neg(tsr_i128_make(1u << 6, 1));
    x.raw = tsr_i128_from_i64(INT64_C(1) << 31);
    ck_assert(RI(tsr_i96f32_sat_mul(y, x).raw) == -(((ref_i128)1 << 69) + 1));
    ck_assert(RI(tsr_i96f32_sat_mul(tsr_i96f32_from_i32f32(0), y).raw) == 0);
    tsr_i64f64 big = {tsr_i128_neg(tsr_i128_make(1u << 6, 1))},
               half = {tsr_i128_make(0, UINT64_C(1) << 63)};
    ck_assert(RI(tsr_i64f64_sat_mul(big, half).raw) == -(((ref_i128)1 << 69) + 1));

    /* U96F32 / U64F64 */
    tsr_u96f32 h = tsr_u96f32_safe_div(tsr_u96f32_from_u64(1), tsr_u96f32_from_u64(2));
    ck_assert(RU(tsr_u96f32_sat_mul(h, h).raw) == (ref_u128)1 << 30); /* 0.25 */
    ck_assert(RU(tsr_u96f32_sat_sub(h, tsr_u96f32_from_u64(1)).raw) == 0);
    ck_assert_uint_eq(tsr_u96f32_to_u64(tsr_u96f32_from_u64(UINT64_MAX)), UINT64_MAX);
    ck_assert(RU(tsr_u96f32_to_u64f64(h).raw) == (ref_u128)1 << 63);
    ck_assert(RU(tsr_u96f32_to_u64f64(tsr_u96f32_from_u64(UINT64_MAX)).raw) ==
              ((ref_u128)UINT64_MAX << 64));
    ck_assert(tsr_u128_eq(tsr_u96f32_to_u64f64(tsr_u96f32_sat_mul(tsr_u96f32_from_u64(UINT64_MAX),
                                                                  tsr_u96f32_from_u64(2)))
                              .raw,
                          tsr_u128_max()));
    ck_assert(RI(tsr_u96f32_to_i64f64(h).raw) == (ref_i128)1 << 63);
    ck_assert(tsr_i128_eq(tsr_u96f32_to_i64f64(tsr_u96f32_from_u64(UINT64_C(1) << 63)).raw,
                          tsr_i128_max()));
    tsr_u64f64 p = tsr_u64f64_safe_div(tsr_u64f64_from_u64(2), tsr_u64f64_from_u64(3));
    ck_assert(RU(p.raw) == ((ref_u128)2 << 64) / 3);
    ck_assert(RU(tsr_u64f64_to_u96f32(p).raw) == (((ref_u128)2 << 64) / 3) >> 32);
    ck_assert_uint_eq(tsr_u64f64_to_u64(tsr_u64f64_from_u64(41)), 41);
    tsr_u64f64 q;
    ck_assert_int_eq(tsr_u64f64_checked_mul(tsr_u64f64_from_u64(UINT64_C(1) << 32),
                                            tsr_u64f64_from_u64(UINT64_C(1) << 32), &q),
                     TSR_EOVERFLOW);
    ck_assert_int_eq(tsr_u64f64_checked_div(p, tsr_u64f64_from_u64(0), &q), TSR_EDIVZERO);
    ck_assert(tsr_u128_is_zero(tsr_u64f64_safe_div(p, tsr_u64f64_from_u64(0)).raw));
}
END_TEST

/* spec bittensor §1.3 helpers, by hand */
START_TEST(test_helpers)
{
    ck_assert_uint_eq(tsr_fixed_proportion_to_u16(ONE), 65535);
    ck_assert_uint_eq(tsr_fixed_proportion_to_u16(ONE / 2), 32767); /* floor(32767.5) */
    ck_assert_uint_eq(tsr_fixed_proportion_to_u16(-ONE), 0);
    ck_assert_uint_eq(tsr_fixed_proportion_to_u16(INT64_MAX), 65535);
    ck_assert_uint_eq(tsr_fixed_proportion_to_u16(INT64_MIN), 0);
    ck_assert_int_eq(tsr_u16_proportion_to_fixed(65535), ONE);
    ck_assert_int_eq(tsr_u16_proportion_to_fixed(1), ONE / 65535); /* 65537, truncated */
    ck_assert_int_eq(tsr_u16_to_fixed(7), 7 * ONE);
    /* round trip u16 -> proportion -> u16 loses at most... exactly 0 for every value? check */
    for (uint32_t u = 0; u <= 65535; u += 97) {
        int64_t want = ((int64_t)u << 32) / 65535;
        ck_assert_int_eq(tsr_u16_proportion_to_fixed((uint16_t)u), want);
    }
}
END_TEST

/* spec bittensor §1.4 */
START_TEST(test_transcendentals)
{
    tsr_i32f32 r;
    ck_assert_int_eq(tsr_i32f32_exp_safe(-20 * ONE), 8);
    ck_assert_int_eq(tsr_i32f32_exp_safe(20 * ONE), INT64_C(2066907302758576256));
    ck_assert_int_eq(tsr_i32f32_exp_safe(-21 * ONE), 8);
    ck_assert_int_eq(tsr_i32f32_exp_safe(INT64_MAX), INT64_C(2066907302758576256));
    ck_assert_int_eq(tsr_i32f32_exp_safe(ONE), INT64_C(11674931200));
    ck_assert_int_eq(tsr_i32f32_exp_safe(0), ONE);
    /* the E constant: 0xADF85458 >> 7 = 22802600 in I9F23, times 2^9 */
    ck_assert_int_eq(tsr_i32f32_exp_safe(ONE), INT64_C(22802600) * 512);
    /* exp(x) for x past the range overflows; exp(MIN) cannot be negated */
    ck_assert_int_eq(tsr_i32f32_exp(30 * ONE, &r), TSR_EOVERFLOW);
    ck_assert_int_eq(tsr_i32f32_exp(INT64_MIN, &r), TSR_EOVERFLOW);
    /* exp(2): a truncated Taylor series floors each term, so it sits just below e^2 */
    ck_assert_int_eq(tsr_i32f32_exp(2 * ONE, &r), TSR_OK);
    ck_assert(r <= (int64_t)(7.38905609893065 * 4294967296.0));
    ck_assert(r > (int64_t)(7.38905609893065 * 4294967296.0) - 64);
    /* exp(-x) = 1 / exp(x), truncated */
    tsr_i32f32 e2 = r;
    ck_assert_int_eq(tsr_i32f32_exp(-2 * ONE, &r), TSR_OK);
    ck_assert_int_eq(r, (int64_t)(((ref_i128)1 << 64) / e2));
    /* sigmoid: 0.5 at x = kappa; TV5 rho = 30 values */
    ck_assert_int_eq(tsr_i32f32_sigmoid_safe(ONE / 2, 30 * ONE, ONE / 2), ONE / 2);
    ck_assert_int_eq(tsr_i32f32_sigmoid_safe(0, 30 * ONE, ONE / 2), 1313);
    ck_assert_int_eq(tsr_i32f32_sigmoid_safe(ONE, 30 * ONE, ONE / 2), 4294965983);

    /* log2 over I96F32 */
    tsr_i96f32 l, x;
    ck_assert_int_eq(tsr_i96f32_log2(tsr_i96f32_from_int(1), &l), TSR_OK);
    ck_assert(RI(l.raw) == 0);
    ck_assert_int_eq(tsr_i96f32_log2(tsr_i96f32_from_int(8), &l), TSR_OK);
    ck_assert(RI(l.raw) == (ref_i128)3 << 32);
    ck_assert_int_eq(tsr_i96f32_log2(tsr_i96f32_from_u64(UINT64_C(1) << 63), &l), TSR_OK);
    ck_assert(RI(l.raw) == (ref_i128)63 << 32);
    x.raw = tsr_i128_from_i64(INT64_C(1) << 31); /* 0.5 */
    ck_assert_int_eq(tsr_i96f32_log2(x, &l), TSR_OK);
    ck_assert(RI(l.raw) == -((ref_i128)1 << 32));
    ck_assert_int_eq(tsr_i96f32_log2(tsr_i96f32_from_int(0), &l), TSR_EINVAL);
    ck_assert_int_eq(tsr_i96f32_log2(tsr_i96f32_from_int(-1), &l), TSR_EINVAL);
    /* the halving rounds half up: 4 - 2^-32 halves to exactly 2.0, so log2 is exactly 2 */
    x.raw = tsr_i128_from_i64((INT64_C(1) << 34) - 1);
    ck_assert_int_eq(tsr_i96f32_log2(x, &l), TSR_OK);
    ck_assert(RI(l.raw) == (ref_i128)2 << 32);
    /* and the fraction bits approximate log2 closely: log2(1.5), log2(3), log2(10) */
    static const struct {
        int64_t num, den;
        double want;
    } cases[] = {{3, 2, 0.5849625007211562}, {3, 1, 1.584962500721156}, {10, 1, 3.321928094887362}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        x = tsr_i96f32_safe_div(tsr_i96f32_from_int(cases[i].num),
                                tsr_i96f32_from_int(cases[i].den));
        ck_assert_int_eq(tsr_i96f32_log2(x, &l), TSR_OK);
        double got = (double)RI(l.raw) / 4294967296.0;
        ck_assert_double_eq_tol(got, cases[i].want, 1e-8);
    }
}
END_TEST

/* spec bittensor §1.5 constants */
START_TEST(test_constants)
{
    ck_assert_int_eq(tsr_u16_proportion_to_fixed(32767), 2147450879);
    ck_assert_int_eq(tsr_bonds_moving_average_alpha(900000), 429496730);
    ck_assert_int_eq(tsr_bonds_moving_average_alpha(900000), F64(0.1));
    ck_assert_int_eq(tsr_bonds_moving_average_alpha(975000), 107374183);
    /* bonds_penalty 65535 gives exactly 1.0 */
    ck_assert_int_eq(tsr_u16_proportion_to_fixed(65535), ONE);
    /* owner cut 11796/65535 in U96F32 */
    tsr_u96f32 cut = tsr_u96f32_safe_div(tsr_u96f32_from_u64(11796), tsr_u96f32_from_u64(65535));
    ck_assert(RU(cut.raw) == 773074452);
    /* TaoWeight default / u64::MAX */
    tsr_u96f32 tw = tsr_u96f32_safe_div(tsr_u96f32_from_u64(UINT64_C(971718665099567868)),
                                        tsr_u96f32_from_u64(UINT64_MAX));
    ck_assert(RU(tw.raw) == 226245882);
    /* TV4: I64F64(1)/I64F64(21e15) = floor(2^64 / 21e15) = 878, which is 0 in I32F32 */
    tsr_i64f64 r = tsr_i64f64_safe_div(tsr_i64f64_from_u64(1),
                                       tsr_i64f64_from_u64(UINT64_C(21000000000000000)));
    ck_assert(RI(r.raw) == 878);
    ck_assert_int_eq(tsr_fixed64_to_fixed32(r), 0);
}
END_TEST

Suite *suite_fixed(void)
{
    Suite *s = suite_create("fixed");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_f32_table);
    tcase_add_test(tc, test_float_ties_and_errors);
    tcase_add_test(tc, test_float_sweep);
    tcase_add_test(tc, test_i32f32_ops);
    tcase_add_test(tc, test_i32f32_conversions);
    tcase_add_test(tc, test_wide_types);
    tcase_add_test(tc, test_helpers);
    tcase_add_test(tc, test_transcendentals);
    tcase_add_test(tc, test_constants);
    tcase_set_timeout(tc, 30);
    suite_add_tcase(s, tc);
    return s;
}
