/* test_fast.c: the coinbase's fast paths give the results of the plain definitions.
 *
 * Expected values are computed here from the definitions in plain integers (tsr_int.h's 256-bit
 * product, shift and division, not tsr_fixed's kernels): the root proportion
 * floor(w 2^32 / (w + I 2^32)) with w = floor(R * tw) (saturating), products floor(a b / 2^f)
 * (toward -inf for a negative product, saturating), over seeded sweeps and the boundaries of
 * every shortcut. A block step whose inputs change between blocks (as a caller's pool, burns and
 * root stake do) must use the new inputs, not the proportion remembered from the last block.
 */
#include "coinbase_tests.h"

/* floor(a * b / 2^f) of two magnitudes, saturated at 2^128 - 1; *over set when it saturates. */
static tsr_u128 ref_umul(tsr_u128 a, tsr_u128 b, unsigned f, int *over)
{
    tsr_u256 q = tsr_u256_shr(tsr_u128_mul_full(a, b), f);
    *over = !tsr_u256_fits_u128(q);
    return *over ? tsr_u128_max() : tsr_u256_low128(q);
}

/* The root proportion from its definition (spec §3.5), raw U96F32. */
static tsr_u128 ref_root_prop(uint64_t root, tsr_u128 tw, uint64_t iss)
{
    int over;
    tsr_u128 w = ref_umul(tsr_u128_from_u64(root), tw, 0, &over); /* (R 2^32)(tw) / 2^32 */
    tsr_u128 den;
    if (tsr_u128_add_ovf(w, tsr_u128_make(iss >> 32, iss << 32), &den))
        den = tsr_u128_max();
    if (tsr_u128_is_zero(den))
        return tsr_u128_make(0, 0);
    tsr_u256 q;
    (void)tsr_u256_divmod_u128(tsr_u256_shl(tsr_u256_from_u128(w), 32), den, &q, NULL);
    return tsr_u256_fits_u128(q) ? tsr_u256_low128(q) : tsr_u128_make(0, 0);
}

static void check_root_prop(uint64_t root, tsr_u128 tw, uint64_t iss)
{
    tsr_u96f32 t;
    t.raw = tw;
    tsr_u128 want = ref_root_prop(root, tw, iss), got = tsr_root_proportion(root, t, iss).raw;
    ck_assert_msg(tsr_u128_eq(got, want), "root %llu tw %llx:%llx iss %llu",
                  (unsigned long long)root, (unsigned long long)tw.hi, (unsigned long long)tw.lo,
                  (unsigned long long)iss);
}

START_TEST(test_root_proportion_paths)
{
    const uint64_t r[] = {
        0, 1, 1000, UINT64_C(1) << 32, UINT64_C(1000000000000000), UINT64_MAX / 3, UINT64_MAX};
    /* tw: 0, tiny, the default, 1.0, just above 1.0 (w may pass 2^96), 2^40 and 2^70 (generic) */
    const tsr_u128 tw[] = {tsr_u128_make(0, 0),
                           tsr_u128_make(0, 1),
                           tsr_u128_make(0, 226245882),
                           tsr_u128_make(0, UINT64_C(1) << 32),
                           tsr_u128_make(0, (UINT64_C(1) << 32) + 1),
                           tsr_u128_make(0, UINT64_C(1) << 40),
                           tsr_u128_make(64, 0)};
    for (size_t i = 0; i < sizeof r / sizeof r[0]; i++)
        for (size_t j = 0; j < sizeof tw / sizeof tw[0]; j++)
            for (size_t k = 0; k < sizeof r / sizeof r[0]; k++)
                check_root_prop(r[i], tw[j], r[k]);
    uint64_t st = 7;
    for (int n = 0; n < 20000; n++) {
        uint64_t root = cb_rand(&st) >> (cb_rand(&st) % 64);
        uint64_t iss = cb_rand(&st) >> (cb_rand(&st) % 64);
        uint64_t t = cb_rand(&st) >> (cb_rand(&st) % 64);
        check_root_prop(root, tsr_u128_make(n % 7 == 0 ? cb_rand(&st) % 4 : 0, t), iss);
    }
}
END_TEST

/* A random 128-bit raw with a random number of significant bits. */
static tsr_u128 rand_raw(uint64_t *st)
{
    unsigned bits = (unsigned)(cb_rand(st) % 129);
    tsr_u128 v = tsr_u128_make(cb_rand(st), cb_rand(st));
    return bits == 128 ? v : tsr_u128_shr(v, 128 - bits);
}

START_TEST(test_unsigned_products)
{
    uint64_t st = 11;
    for (int n = 0; n < 50000; n++) {
        tsr_u128 a = rand_raw(&st), b = rand_raw(&st);
        if (n % 3 == 0)
            a.hi = 0; /* one operand below 2^64: the two-multiply path */
        int over;
        tsr_u96f32 x, y, z;
        x.raw = a, y.raw = b;
        tsr_u128 want = ref_umul(a, b, 32, &over);
        ck_assert(tsr_u128_eq(tsr_u96f32_sat_mul(x, y).raw, want));
        ck_assert_int_eq(tsr_u96f32_checked_mul(x, y, &z) == TSR_OK, !over);
        tsr_u64f64 p, q, o;
        p.raw = a, q.raw = b;
        want = ref_umul(a, b, 64, &over);
        ck_assert(tsr_u128_eq(tsr_u64f64_sat_mul(p, q).raw, want));
        ck_assert_int_eq(tsr_u64f64_checked_mul(p, q, &o) == TSR_OK, !over);
        if (!over)
            ck_assert(tsr_u128_eq(o.raw, want));
    }
}
END_TEST

/* floor(a b / 2^32) of signed raws (toward -inf), or 1 when it does not fit I96F32's 128 bits. */
static int ref_i96_mul(tsr_i128 a, tsr_i128 b, tsr_i128 *out)
{
    int neg = tsr_i128_is_neg(a) != tsr_i128_is_neg(b);
    tsr_u256 p = tsr_u128_mul_full(tsr_i128_abs(a), tsr_i128_abs(b));
    tsr_u256 q = tsr_u256_shr(p, 32);
    if (neg && tsr_u256_low_bits_nonzero(p, 32)) { /* ceil of the magnitude */
        tsr_u256 one = tsr_u256_from_u128(tsr_u128_from_u64(1)), s;
        uint64_t c = 0;
        for (int i = 0; i < 4; i++) {
            uint64_t x = q.w[i] + one.w[i];
            uint64_t c1 = x < q.w[i];
            s.w[i] = x + c;
            c = c1 | (s.w[i] < x);
        }
        q = s;
    }
    if (!tsr_u256_fits_u128(q))
        return 1;
    tsr_u128 m = tsr_u256_low128(q);
    if (m.hi >> 63)
        return !(neg && m.hi == (UINT64_C(1) << 63) && m.lo == 0) ? 1 : (*out = tsr_i128_min(), 0);
    *out = neg ? tsr_i128_neg(tsr_i128_from_bits(m)) : tsr_i128_from_bits(m);
    return 0;
}

START_TEST(test_signed_products)
{
    uint64_t st = 13;
    for (int n = 0; n < 50000; n++) {
        tsr_u128 ua = rand_raw(&st), ub = rand_raw(&st);
        if (n % 3 == 0)
            ua.hi = 0;
        tsr_i96f32 a, b, r;
        a.raw = tsr_i128_from_bits(tsr_u128_shr(ua, 1)); /* below 2^127 in magnitude */
        b.raw = tsr_i128_from_bits(tsr_u128_shr(ub, 1));
        if (n & 1)
            a.raw = tsr_i128_neg(a.raw);
        if (n & 2)
            b.raw = tsr_i128_neg(b.raw);
        tsr_i128 want;
        int bad = ref_i96_mul(a.raw, b.raw, &want);
        int rc = tsr_i96f32_checked_mul(a, b, &r);
        ck_assert_int_eq(rc == TSR_OK, !bad);
        if (!bad)
            ck_assert(tsr_i128_eq(r.raw, want));
    }
}
END_TEST

/* a + b on 256 bits (the test's sums stay below 2^256). */
static tsr_u256 add256(tsr_u256 a, tsr_u256 b)
{
    uint64_t c = 0;
    for (int i = 0; i < 4; i++) {
        uint64_t x = a.w[i] + b.w[i], c1 = x < a.w[i];
        a.w[i] = x + c;
        c = c1 | (a.w[i] < x);
    }
    return a;
}

/* 256 / 128 division checked by its definition: n = q d + r with r < d (so q and r are the
** only pair). Divisors with both words set take the 64-bit-digit path. */
START_TEST(test_u256_division)
{
    uint64_t st = 17;
    for (int k = 0; k < 50000; k++) {
        tsr_u256 n;
        for (int i = 0; i < 4; i++)
            n.w[i] = cb_rand(&st);
        if (k % 5 == 1)
            n.w[3] = 0;
        if (k % 7 == 2)
            n.w[3] >>= cb_rand(&st) % 64;
        tsr_u128 d = rand_raw(&st);
        if (k % 3 != 0 || d.hi == 0)
            d.hi = cb_rand(&st) >> (cb_rand(&st) % 64); /* mostly two-word divisors */
        if (d.hi == 0 && d.lo == 0)
            d.lo = 1;
        tsr_u256 q;
        tsr_u128 r;
        ck_assert_int_eq(tsr_u256_divmod_u128(n, d, &q, &r), TSR_OK);
        ck_assert(tsr_u128_lt(r, d));
        /* q d + r, q of up to 256 bits split as q_lo (128) + q_hi 2^128 */
        tsr_u128 qlo = tsr_u128_make(q.w[1], q.w[0]), qhi = tsr_u128_make(q.w[3], q.w[2]);
        tsr_u256 back = tsr_u128_mul_full(qlo, d), hi = tsr_u128_mul_full(qhi, d);
        ck_assert(hi.w[2] == 0 && hi.w[3] == 0);
        tsr_u256 shifted = {{0, 0, hi.w[0], hi.w[1]}};
        back = add256(add256(back, shifted), tsr_u256_from_u128(r));
        for (int i = 0; i < 4; i++)
            ck_assert_uint_eq(back.w[i], n.w[i]);
    }
    /* hand: (2^255) / (2^127 + 1): q = 2^128 - 2 + ..., checked by the identity above too */
    tsr_u256 n = {{0, 0, 0, UINT64_C(1) << 63}}, q;
    tsr_u128 r, d = tsr_u128_make(UINT64_C(1) << 63, 1);
    ck_assert_int_eq(tsr_u256_divmod_u128(n, d, &q, &r), TSR_OK);
    /* 2^255 = (2^128 - 2) (2^127 + 1) + 2: q = 2^128 - 2, r = 2 */
    ck_assert_uint_eq(q.w[0], UINT64_MAX - 1);
    ck_assert_uint_eq(q.w[1], UINT64_MAX);
    ck_assert_uint_eq(q.w[2] | q.w[3], 0);
    ck_assert_u128_eq(r, 0, 2);
}
END_TEST

/* Between two blocks the caller changes the issuance (a burn) and the root stake: the next
** injection must use tsr_root_proportion of the new values. */
START_TEST(test_step_root_prop_follows_inputs)
{
    tsr_chain c;
    ck_assert_int_eq(tsr_chain_default(&c), TSR_OK);
    c.root_tao = UINT64_C(1000000000000000);
    tsr_subnet s;
    ck_assert_int_eq(
        tsr_subnet_init(&s, 1, 0, 10, UINT64_C(1000000000000), UINT64_C(2000000000000)), TSR_OK);
    s.moving_price = cb_i96_raw(INT64_C(1) << 31);
    tsr_subnet_flow f;
    tsr_u96f32 tw = tsr_u64_fraction(c.tao_weight);
    for (uint64_t b = 10; b < 16; b++) {
        c.block = b;
        uint64_t iss = tsr_subnet_alpha_issuance(&s);
        ck_assert_int_eq(tsr_coinbase_begin_block(&c, &s, 1, &f, NULL), TSR_OK);
        ck_assert(
            tsr_u128_eq(f.root_prop_before.raw, tsr_root_proportion(c.root_tao, tw, iss).raw));
        /* the split's proportion: after minting alpha_out, before recycling the root alpha */
        uint64_t minted = tsr_subnet_alpha_issuance(&s) + f.root_alpha_recycled;
        ck_assert(
            tsr_u128_eq(f.root_prop_after.raw, tsr_root_proportion(c.root_tao, tw, minted).raw));
        ck_assert_int_eq(tsr_coinbase_end_block(&c, &s, &f, 1), TSR_OK);
        ck_assert(
            tsr_u128_eq(s.root_prop.raw,
                        tsr_root_proportion(c.root_tao, tw, tsr_subnet_alpha_issuance(&s)).raw));
        if (b % 2)
            s.alpha_out -= s.alpha_out / 3; /* a recycle */
        else
            c.root_tao += UINT64_C(123456789); /* a root stake */
    }
}
END_TEST

Suite *suite_fast(void)
{
    Suite *s = suite_create("fast_paths");
    TCase *tc = tcase_create("fast");
    tcase_add_test(tc, test_root_proportion_paths);
    tcase_add_test(tc, test_unsigned_products);
    tcase_add_test(tc, test_signed_products);
    tcase_add_test(tc, test_u256_division);
    tcase_add_test(tc, test_step_root_prop_follows_inputs);
    suite_add_tcase(s, tc);
    return s;
}
