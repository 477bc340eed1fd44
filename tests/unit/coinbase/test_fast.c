/* test_fast.c: the coinbase's fast paths give the results of the plain definitions.
 *
 * Expected values are computed here from the definitions in plain integers (tsr_int.h's 256-bit
 * product, shift and division, not tsr_fixed's kernels): the root proportion
 * floor(w 2^32 / (w + I 2^32)) with w = floor(R * tw) (saturating), products floor(a b / 2^f)
 * (toward -inf for a negative product, saturating), over seeded sweeps and the boundaries of
 * every shortcut. A block step whose inputs change between blocks (as a caller's pool, burns and
 * root stake do) must use the new inputs, not the proportion remembered from the last block.
 */
#include <string.h>

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

/* update_moving_price from its definition (spec §3.8) in plain integers, raw I96F32: b = block -
** (first - 1) (saturating), ramp = floor(b 2^64 / (b + h)) (0 when b + h = 0), alpha =
** floor(ma ramp / 2^64) with ma = moving_alpha raw << 32, current = floor(alpha min(p, 2^64) /
** 2^64), kept = floor((2^64 - alpha) old / 2^64) with old = 2^64 (stable) or the old raw << 32
** (0 when negative), new = (current + kept) >> 32. Inputs stay below 2^64 so nothing saturates. */
static int64_t ref_moving_price(int64_t old, bool stable, tsr_u128 price, uint64_t block,
                                uint64_t first, uint64_t h, int64_t moving_alpha)
{
    int over;
    uint64_t start = first > 0 ? first - 1 : 0, b = block > start ? block - start : 0;
    tsr_u128 ramp = tsr_u128_make(0, 0),
             den = tsr_u128_add(tsr_u128_from_u64(b), tsr_u128_from_u64(h));
    if (!tsr_u128_is_zero(den))
        (void)tsr_u128_divmod(tsr_u128_make(b, 0), den, &ramp, NULL);
    tsr_u128 ma =
        tsr_u128_shl(tsr_u128_from_u64(moving_alpha < 0 ? 0 : (uint64_t)moving_alpha), 32);
    tsr_u128 alpha = ref_umul(ma, ramp, 64, &over), one = tsr_u128_make(1, 0);
    tsr_u128 p = tsr_u128_lt(price, one) ? price : one;
    tsr_u128 mp = stable ? one : tsr_u128_shl(tsr_u128_from_u64(old < 0 ? 0 : (uint64_t)old), 32);
    tsr_u128 cur = ref_umul(alpha, p, 64, &over);
    tsr_u128 kept = ref_umul(tsr_u128_sub(one, alpha), mp, 64, &over);
    return (int64_t)tsr_u128_shr(tsr_u128_add(cur, kept), 32).lo;
}

/* tsr_coinbase_end_block computes the EMA weights once for a run of subnets with the same first
** emission block and halving; subnets whose inputs differ (or that do not emit) in between must
** get their own. Every subnet's new moving price is checked against the definition and against
** tsr_moving_price_update on its own, over seeded prices, blocks and layouts. */
START_TEST(test_end_block_shared_ema_weights)
{
    enum { N = 7 };
    uint64_t st = 11;
    tsr_chain c;
    ck_assert_int_eq(tsr_chain_default(&c), TSR_OK);
    for (int round = 0; round < 400; round++) {
        tsr_subnet s[N];
        tsr_subnet_flow f[N];
        memset(f, 0, sizeof f);
        c.block = 1000 + cb_rand(&st) % 3000000;
        if (round % 3 == 0)
            c.subnet_moving_alpha = cb_i96_raw((int64_t)(cb_rand(&st) % (UINT64_C(1) << 32)));
        else
            c.subnet_moving_alpha = tsr_subnet_moving_alpha_default();
        int64_t before[N];
        for (int i = 0; i < N; i++) {
            /* first emission blocks 1 or 2 and halvings 201600 or 7: runs of equal inputs of
            ** random length; round 0 mod 5 puts a non-emitting subnet in the middle */
            uint64_t first = 1 + (cb_rand(&st) % 4 == 0);
            ck_assert_int_eq(tsr_subnet_init(&s[i], (uint16_t)(i + 1), 0, first, 1000, 1000),
                             TSR_OK);
            if (cb_rand(&st) % 4 == 0)
                s[i].ema_price_halving_blocks = 7;
            if (round % 5 == 0 && i == 3)
                s[i].first_emission_block = 0;
            s[i].stable = cb_rand(&st) % 6 == 0;
            before[i] = (int64_t)(cb_rand(&st) % (UINT64_C(3) << 32)); /* [0, 3) */
            s[i].moving_price = cb_i96_raw(before[i]);
            s[i].price = cb_u64f64_raw(cb_rand(&st) % 3, cb_rand(&st)); /* [0, 3) */
        }
        ck_assert_int_eq(tsr_coinbase_end_block(&c, s, f, N), TSR_OK);
        int64_t ma = (int64_t)c.subnet_moving_alpha.raw.lo;
        for (int i = 0; i < N; i++) {
            int64_t got = (int64_t)tsr_i128_bits(s[i].moving_price.raw).lo;
            if (!tsr_subnet_emits(&s[i])) {
                ck_assert_int_eq(got, before[i]); /* not updated */
                continue;
            }
            int64_t want =
                ref_moving_price(before[i], s[i].stable, s[i].price.raw, c.block,
                                 s[i].first_emission_block, s[i].ema_price_halving_blocks, ma);
            tsr_i96f32 alone = tsr_moving_price_update(
                cb_i96_raw(before[i]), s[i].stable, s[i].price, c.block, s[i].first_emission_block,
                s[i].ema_price_halving_blocks, c.subnet_moving_alpha);
            ck_assert_msg(got == want, "round %d subnet %d: %lld, definition %lld", round, i,
                          (long long)got, (long long)want);
            ck_assert(tsr_u128_eq(tsr_i128_bits(alone.raw), tsr_i128_bits(s[i].moving_price.raw)));
        }
    }
}
END_TEST

/* The dividend split (spec §3.7 step 3) from its definition: wr = R tw.raw (raw U96F32), rp =
** floor(wr 2^32 / (A 2^32 + wr)) (0 when the denominator is 0), root = floor(d rp / 2^32),
** alpha = d - root. A zero dividend (most uids) gives 0 and 0 whatever the stakes, including the
** 0 / 0 of a uid without stake. */
START_TEST(test_dividend_root_split_zero_and_sweep)
{
    tsr_u96f32 tw = tsr_u64_fraction(TSR_DEFAULT_TAO_WEIGHT), a, r;
    const uint64_t stakes[] = {0, 1, 1000, UINT64_C(1000000000000), UINT64_MAX >> 8};
    for (size_t i = 0; i < 5; i++)
        for (size_t j = 0; j < 5; j++) {
            a = r = cb_u96(7); /* overwritten */
            tsr_dividend_root_split(cb_u96(0), stakes[i], stakes[j], tw, &a, &r);
            ck_assert(tsr_u128_is_zero(a.raw) && tsr_u128_is_zero(r.raw));
        }
    uint64_t st = 5;
    for (int n = 0; n < 20000; n++) {
        uint64_t d = n % 3 == 0 ? 0 : cb_rand(&st) >> (24 + cb_rand(&st) % 40);
        uint64_t al = cb_rand(&st) >> (cb_rand(&st) % 64), ro = cb_rand(&st) >> (cb_rand(&st) % 64);
        if (n % 7 == 0)
            al = 0;
        int over;
        tsr_u128 wr = ref_umul(tsr_u128_shl(tsr_u128_from_u64(ro), 32), tw.raw, 32, &over);
        tsr_u128 den = tsr_u128_add(tsr_u128_make(al >> 32, al << 32), wr), rp = {0, 0};
        if (!tsr_u128_is_zero(den)) {
            tsr_u256 q;
            (void)tsr_u256_divmod_u128(tsr_u256_shl(tsr_u256_from_u128(wr), 32), den, &q, NULL);
            rp = tsr_u256_low128(q);
        }
        tsr_u128 root = ref_umul(tsr_u128_make(d >> 32, d << 32), rp, 32, &over);
        tsr_dividend_root_split(cb_u96(d), al, ro, tw, &a, &r);
        ck_assert_msg(tsr_u128_eq(r.raw, root), "d %llu alpha %llu root %llu",
                      (unsigned long long)d, (unsigned long long)al, (unsigned long long)ro);
        ck_assert(tsr_u128_eq(a.raw, tsr_u128_sub(tsr_u128_make(d >> 32, d << 32), root)));
    }
}
END_TEST

/* The block step clears every flow entry it is given, whatever was there: run once on zeroed
** flows and once on flows full of garbage, from the same state, the results are the same field
** by field (a non-emitting subnet's entry entirely zero). */
START_TEST(test_begin_block_clears_flows)
{
    enum { N = 3 };
    tsr_chain c0, c1;
    tsr_subnet s0[N], s1[N];
    tsr_subnet_flow f0[N], f1[N];
    ck_assert_int_eq(tsr_chain_default(&c0), TSR_OK);
    c0.block = 100, c0.root_tao = UINT64_C(1000000000000);
    for (int i = 0; i < N; i++) {
        ck_assert_int_eq(tsr_subnet_init(&s0[i], (uint16_t)(i + 1), 0, i == 1 ? 0 : 10,
                                         UINT64_C(1000000000000), UINT64_C(2000000000000)),
                         TSR_OK);
        s0[i].moving_price = cb_i96_raw(INT64_C(1) << 31);
    }
    c1 = c0;
    memcpy(s1, s0, sizeof s0);
    memset(f0, 0, sizeof f0);
    memset(f1, 0xA5, sizeof f1);
    ck_assert_int_eq(tsr_coinbase_begin_block(&c0, s0, N, f0, NULL), TSR_OK);
    ck_assert_int_eq(tsr_coinbase_begin_block(&c1, s1, N, f1, NULL), TSR_OK);
    for (int i = 0; i < N; i++) {
        const tsr_subnet_flow *a = &f0[i], *b = &f1[i];
        ck_assert_int_eq(a->emitting, b->emitting);
        ck_assert(tsr_u128_eq(a->share.raw, b->share.raw));
        ck_assert(tsr_u128_eq(a->tao_emission.raw, b->tao_emission.raw));
        ck_assert(tsr_u128_eq(a->terms.alpha_out.raw, b->terms.alpha_out.raw));
        ck_assert(tsr_u128_eq(a->split.validator.raw, b->split.validator.raw));
        ck_assert(tsr_u128_eq(a->root_prop_after.raw, b->root_prop_after.raw));
        ck_assert_uint_eq(a->tao_injected, b->tao_injected);
        ck_assert_uint_eq(a->alpha_injected, b->alpha_injected);
        ck_assert_uint_eq(a->excess_tao, b->excess_tao);
        ck_assert_uint_eq(a->alpha_minted, b->alpha_minted);
        ck_assert_uint_eq(a->owner_cut, b->owner_cut);
        ck_assert_uint_eq(a->server, b->server);
        ck_assert_uint_eq(a->validator, b->validator);
        ck_assert_uint_eq(a->root_alpha, b->root_alpha);
        ck_assert_uint_eq(a->root_alpha_recycled, b->root_alpha_recycled);
        ck_assert_uint_eq(a->alpha_dust, b->alpha_dust);
        ck_assert_int_eq(a->epoch, b->epoch);
        ck_assert_uint_eq(a->drained.server, b->drained.server);
        ck_assert_uint_eq(a->epoch_emission, b->epoch_emission);
    }
    /* subnet 2 does not emit: nothing for it */
    ck_assert(!f1[1].emitting);
    ck_assert(tsr_u128_is_zero(f1[1].share.raw) && tsr_u128_is_zero(f1[1].terms.alpha_out.raw));
    ck_assert_uint_eq(f1[1].alpha_minted + f1[1].tao_injected + f1[1].excess_tao, 0);
    ck_assert(f1[0].emitting && f1[0].alpha_minted > 0);
}
END_TEST

/* tsr_block_emission_memo against tsr_block_emission_for_issuance at every step of walks over
** the issuance: growing by a block's worth (through each halving of a small supply), jumping at
** random up and down (burns, recycling), past the supply, and with the parameters changed under
** the memo (a memo from other parameters must not answer). */
START_TEST(test_emission_memo_matches_direct)
{
    uint64_t st = 21;
    tsr_issuance_params ps[3];
    tsr_issuance_params_default(&ps[0]);
    ps[1] = ps[0], ps[1].total_supply = 100000, ps[1].default_emission = 1000; /* k = 1 at 50000 */
    ps[2] = ps[1], ps[2].default_emission = 999;
    tsr_emission_memo memo = {0, 0, 0, 0, 0};
    size_t hits = 0, changes = 0;
    uint64_t iss = 0, last = UINT64_MAX;
    for (int n = 0; n < 200000; n++) {
        const tsr_issuance_params *p = &ps[(n / 20000) % 3];
        uint64_t r = cb_rand(&st);
        if (r % 100 == 0)
            iss = cb_rand(&st) % (p->total_supply + p->total_supply / 8); /* a jump */
        else if (r % 100 == 1)
            iss -= iss / 50; /* a burn */
        else
            iss += p->total_supply / 40000 + r % 7; /* a block's emission */
        if (iss >= p->total_supply + p->total_supply / 8)
            iss = cb_rand(&st) % p->total_supply;
        uint64_t want = 77, got = 78;
        tsr_emission_memo before = memo;
        ck_assert_int_eq(tsr_block_emission_for_issuance(p, iss, &want), TSR_OK);
        ck_assert_int_eq(tsr_block_emission_memo(p, iss, &memo, &got), TSR_OK);
        ck_assert_msg(got == want, "step %d issuance %llu: memo %llu, direct %llu", n,
                      (unsigned long long)iss, (unsigned long long)got, (unsigned long long)want);
        hits += memcmp(&before, &memo, sizeof memo) == 0;
        changes += last != UINT64_MAX && want != last;
        last = want;
    }
    ck_assert_uint_gt(hits, 150000); /* the memo answers most steps */
    ck_assert_uint_gt(changes, 20);  /* and the walk crossed many halvings */
    /* the defaults through NULL, and the errors */
    uint64_t got = 0;
    ck_assert_int_eq(tsr_block_emission_memo(NULL, 0, &memo, &got), TSR_OK);
    ck_assert_uint_eq(got, TSR_DEFAULT_BLOCK_EMISSION);
    ck_assert_int_eq(tsr_block_emission_memo(NULL, TSR_TOTAL_SUPPLY / 2, &memo, &got), TSR_OK);
    ck_assert_uint_eq(got, TSR_DEFAULT_BLOCK_EMISSION / 2); /* k = 1 from exactly T/2 */
    ck_assert_int_eq(tsr_block_emission_memo(NULL, TSR_TOTAL_SUPPLY / 2 - 1, &memo, &got), TSR_OK);
    ck_assert_uint_eq(got, TSR_DEFAULT_BLOCK_EMISSION);
    ck_assert_int_eq(tsr_block_emission_memo(NULL, 0, NULL, &got), TSR_EINVAL);
    ck_assert_int_eq(tsr_block_emission_memo(NULL, 0, &memo, NULL), TSR_EINVAL);
    tsr_issuance_params bad = ps[1];
    bad.total_supply = 0;
    ck_assert_int_eq(tsr_block_emission_memo(&bad, 5, &memo, &got), TSR_EINVAL);
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
    tcase_add_test(tc, test_end_block_shared_ema_weights);
    tcase_add_test(tc, test_dividend_root_split_zero_and_sweep);
    tcase_add_test(tc, test_begin_block_clears_flows);
    tcase_add_test(tc, test_emission_memo_matches_direct);
    suite_add_tcase(s, tc);
    return s;
}
