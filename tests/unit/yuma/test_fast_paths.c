/* test_fast_paths.c: the Yuma epoch's fast paths against the epoch with them turned off.
 *
 * The epoch (tsr_yuma.c) takes shortcuts that rest on bounds proved once for a whole row or
 * column: the aligned dense EMA and dividend passes (rows holding the same ascending columns,
 * stored bonds with the same columns), divisions without the range test (tsr__yuma_div_in),
 * 64-bit products where both factors are at most 1.0 and one is below it, and sums that cannot
 * saturate. tsr__yuma_epoch_ref runs the same epoch with those shortcuts off. Here:
 *  - the division kernel against the library's safe_div over random and edge operands, and the
 *    64-bit product identity against the library's saturating multiply;
 *  - whole epochs, fast against reference, byte for byte in every output (u16 and u64 terms,
 *    raw I32F32 intermediates, permits, stored bonds and their row pointers), over seeded random
 *    subnets run for four consecutive epochs with bonds and permits fed back (so that the
 *    stored bonds reach the aligned steady state): dense aligned rows and random sparse rows
 *    with duplicates and uids >= n, u16 extremes (all 65535, 0/65535, 0..3), all-zero columns,
 *    zero and tied stakes, one validator holding all stake (stake share exactly 1.0), kappa 0,
 *    1/65535, 1/2 and 1, bonds moving average 0, 1e6 and beyond (alpha 1, 0, negative),
 *    bonds penalty 0, 1 and between, liquid alpha bounds including 0 and 65535, owners,
 *    inactive uids, recent registrations, commit-reveal blocks, and short bonds capacity.
 */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fast_paths.h"
#include "tsr_err.h"
#include "tsr_fixed.h"
#include "tsr_yuma.h"
#include "tsr_yuma_int.h"
#include "tsr_yuma_vec.h"

#define ONE ((int64_t)1 << 32)

typedef struct ycase {
    tsr_yuma_params p;
    tsr_yuma_state s;
    size_t n, nw, nb;
    uint64_t *stake, *lu, *bar;
    bool *permit;
    size_t *wptr, *bptr;
    tsr_yuma_pair *w, *b;
} ycase;

static uint64_t yc_nx(uint64_t *s)
{
    uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static uint16_t yc_val(uint64_t *sd, int mode)
{
    switch (mode) {
    case 0:
        return (uint16_t)yc_nx(sd);
    case 1:
        return 65535;
    case 2:
        return (yc_nx(sd) & 1) ? 65535 : 0;
    case 3:
        return (uint16_t)(yc_nx(sd) % 4);
    case 4:
        return (yc_nx(sd) % 5 == 0) ? 0 : (uint16_t)yc_nx(sd);
    default:
        return (uint16_t)(1 + yc_nx(sd) % 65535);
    }
}

/* A case from seed: shape 0 aligned dense rows, 1 random sparse rows. */
/* Points c's state at its arrays: n uids at block 1001. */
static void yc_bind(ycase *c)
{
    c->s.n = c->n;
    c->s.current_block = 1001;
    c->s.alpha_stake = c->stake;
    c->s.last_update = c->lu;
    c->s.block_at_registration = c->bar;
    c->s.validator_permit = c->permit;
    c->s.weights.row_ptr = c->wptr;
    c->s.weights.pairs = c->w;
    c->s.bonds.row_ptr = c->bptr;
    c->s.bonds.pairs = c->b;
}

static void yc_make(ycase *c, uint64_t seed)
{
    uint64_t sd = seed * 7919 + 1;
    memset(c, 0, sizeof *c);
    size_t n = 1 + yc_nx(&sd) % (yc_nx(&sd) % 4 == 0 ? 8 : 300);
    int shape = (int)(yc_nx(&sd) % 2);
    int vmode = (int)(yc_nx(&sd) % 5), smode = (int)(yc_nx(&sd) % 6);
    bool clean = yc_nx(&sd) % 3 == 0; /* the steady dense state: aligned rows, all staked */
    if (clean) {
        shape = 0;
        vmode = yc_nx(&sd) % 4 == 0 ? 1 : 5;
        smode = yc_nx(&sd) % 4 == 0 ? 1 : 0;
    }
    c->n = n;
    tsr_yuma_params_default(&c->p);
    c->p.yuma3 = yc_nx(&sd) % 2;
    c->p.liquid_alpha = yc_nx(&sd) % 2;
    static const uint64_t bmas[] = {900000, 0, 1000000, 999999, 1, 500000, 2000000};
    c->p.bonds_moving_average = yc_nx(&sd) % 3 ? bmas[yc_nx(&sd) % 7] : yc_nx(&sd) % 1000001;
    static const uint16_t bps[] = {65535, 0, 32768, 1, 65534};
    c->p.bonds_penalty = yc_nx(&sd) % 2 ? 65535 : bps[yc_nx(&sd) % 5];
    static const uint16_t kaps[] = {32767, 0, 65535, 32768, 1};
    c->p.kappa = yc_nx(&sd) % 2 ? kaps[yc_nx(&sd) % 5] : (uint16_t)yc_nx(&sd);
    size_t V = 1 + yc_nx(&sd) % n;
    c->p.max_allowed_validators = (uint16_t)(yc_nx(&sd) % 4 == 0 ? 1 + yc_nx(&sd) % n : V);
    c->p.owner_uid = yc_nx(&sd) % 4 == 0 ? (uint32_t)(yc_nx(&sd) % (n + 2)) : TSR_YUMA_NO_OWNER;
    c->p.activity_cutoff = yc_nx(&sd) % 5 == 0 ? 50 : 5000;
    if (yc_nx(&sd) % 3 == 0) { /* liquid-alpha bounds, edges included */
        static const uint16_t al[] = {0, 1, 45875, 65534, 65535};
        c->p.alpha_low = al[yc_nx(&sd) % 5];
        c->p.alpha_high = al[yc_nx(&sd) % 5];
        c->p.alpha_sigmoid_steepness = (int16_t)yc_nx(&sd);
    }
    c->stake = calloc(n, sizeof *c->stake);
    c->lu = calloc(n, sizeof *c->lu);
    c->bar = calloc(n, sizeof *c->bar);
    c->permit = calloc(n, sizeof *c->permit);
    for (size_t i = 0; i < n; i++) {
        uint64_t st;
        switch (smode) {
        case 0:
            st = i < V ? 1000000000 + yc_nx(&sd) % 1000000000000 : 0;
            break;
        case 1:
            st = i == 0 ? 1000000000 : 0;
            break; /* one validator: stake share 1.0 */
        case 2:
            st = yc_nx(&sd) % 3 == 0 ? 0 : yc_nx(&sd) % 1000;
            break;
        case 3:
            st = UINT64_MAX / (1 + yc_nx(&sd) % 3);
            break;
        case 4:
            st = i < V ? 5000 : 0;
            break; /* ties */
        default:
            st = yc_nx(&sd);
            break;
        }
        c->stake[i] = st;
        c->bar[i] = !clean && yc_nx(&sd) % 8 == 0 ? 990 + yc_nx(&sd) % 20 : 100;
        c->lu[i] = !clean && yc_nx(&sd) % 10 == 0 ? 10 : 1000;
        c->permit[i] = clean || yc_nx(&sd) % 6 != 0;
    }
    c->wptr = calloc(n + 1, sizeof *c->wptr);
    size_t cap = n * n * 2 + 16, k = 0;
    c->w = malloc(cap * sizeof *c->w);
    uint16_t *cols = malloc(n * sizeof *cols);
    size_t L = 0;
    for (size_t j = 0; j < n; j++)
        if (yc_nx(&sd) % 4 != 0)
            cols[L++] = (uint16_t)j;
    for (size_t i = 0; i < n; i++) {
        if (shape == 0) {
            if (i < V || (!clean && yc_nx(&sd) % 10 == 0))
                for (size_t t = 0; t < L; t++) {
                    c->w[k].uid = cols[t];
                    c->w[k++].value = yc_val(&sd, vmode);
                }
        } else if (yc_nx(&sd) % 3 != 0) {
            size_t len = yc_nx(&sd) % (n + 2);
            for (size_t t = 0; t < len && k < cap; t++) {
                c->w[k].uid =
                    (uint16_t)(yc_nx(&sd) % 20 == 0 ? n + yc_nx(&sd) % 3 : yc_nx(&sd) % n);
                c->w[k++].value = yc_val(&sd, vmode);
            }
        }
        c->wptr[i + 1] = k;
    }
    free(cols);
    c->nw = k;
    c->bptr = calloc(n + 1, sizeof *c->bptr);
    c->nb = 0;
    c->b = NULL;
    yc_bind(c);
}

static void yc_free(ycase *c)
{
    free(c->stake);
    free(c->lu);
    free(c->bar);
    free(c->permit);
    free(c->wptr);
    free(c->bptr);
    free(c->w);
    free(c->b);
}

/* All outputs of one epoch. */
typedef struct yres {
    size_t n, cap;
    uint16_t *u16;
    uint64_t *u64;
    bool *bools;
    tsr_i32f32 *raw;
    size_t *bptr;
    tsr_yuma_pair *bonds;
    tsr_yuma_out o;
    int rc;
} yres;

static void yr_init(yres *r, size_t n, size_t cap)
{
    memset(r, 0, sizeof *r);
    r->n = n;
    r->cap = cap;
    r->u16 = calloc(5 * n, sizeof *r->u16);
    r->u64 = calloc(4 * n, sizeof *r->u64);
    r->bools = calloc(2 * n, sizeof *r->bools);
    r->raw = calloc(6 * n, sizeof *r->raw);
    r->bptr = calloc(n + 1, sizeof *r->bptr);
    r->bonds = calloc(cap + 1, sizeof *r->bonds);
    tsr_yuma_out *o = &r->o;
    tsr_yuma_out_bind(o, n, r->u16, r->u64, r->bools, r->raw);
    o->bonds_row_ptr = r->bptr;
    o->bonds = r->bonds;
    o->bonds_cap = cap;
}

static void yr_free(yres *r)
{
    free(r->u16);
    free(r->u64);
    free(r->bools);
    free(r->raw);
    free(r->bptr);
    free(r->bonds);
}

/* 0 when equal */
static int yr_cmp(const yres *a, const yres *b)
{
    size_t n = a->n;
    if (a->rc != b->rc)
        return 1;
    if (a->rc)
        return 0;
    if (memcmp(a->u16, b->u16, 5 * n * sizeof *a->u16) != 0)
        return 2;
    if (memcmp(a->u64, b->u64, 4 * n * sizeof *a->u64) != 0)
        return 3;
    if (memcmp(a->bools, b->bools, 2 * n * sizeof *a->bools) != 0)
        return 4;
    if (memcmp(a->raw, b->raw, 6 * n * sizeof *a->raw) != 0)
        return 5;
    if (memcmp(a->bptr, b->bptr, (n + 1) * sizeof *a->bptr) != 0)
        return 6;
    if (memcmp(a->bonds, b->bonds, a->bptr[n] * sizeof *a->bonds) != 0)
        return 7;
    return 0;
}

/* Feeds r's bonds and permits back into c (the next epoch's state). */
static void yc_feed(ycase *c, const yres *r)
{
    size_t n = c->n;
    free(c->b);
    c->nb = r->bptr[n];
    c->b = malloc((c->nb + 1) * sizeof *c->b);
    memcpy(c->b, r->bonds, c->nb * sizeof *c->b);
    memcpy(c->bptr, r->bptr, (n + 1) * sizeof *c->bptr);
    memcpy(c->permit, r->bools, n * sizeof *c->permit);
    c->s.bonds.pairs = c->b;
}

/* A random operand pair 0 <= a <= b of the shapes the epoch divides: whole sums, fractional
 * sums, at and around 1.0 and the fast path's limits, 0 and 1. */
static void div_operands(uint64_t *sd, tsr_i32f32 *a, tsr_i32f32 *b)
{
    static const tsr_i32f32 edge[] = {0,
                                      1,
                                      2,
                                      3,
                                      ONE - 1,
                                      ONE,
                                      ONE + 1,
                                      2 * ONE,
                                      ONE / 2,
                                      ((int64_t)1 << 31) - 1,
                                      (int64_t)1 << 31,
                                      INT64_MAX,
                                      (int64_t)65535 << 32,
                                      (int64_t)2147418112 << 32};
    uint64_t k = yc_nx(sd) % 6;
    tsr_i32f32 bb;
    if (k == 0)
        bb = edge[yc_nx(sd) % (sizeof edge / sizeof edge[0])];
    else if (k == 1)
        bb = (tsr_i32f32)((yc_nx(sd) % 70000) << 32); /* whole */
    else if (k == 2)
        bb = (tsr_i32f32)(yc_nx(sd) % (uint64_t)ONE);
    else if (k == 3)
        bb = (tsr_i32f32)(yc_nx(sd) % ((uint64_t)1 << 40));
    else
        bb = (tsr_i32f32)(yc_nx(sd) >> (1 + yc_nx(sd) % 63));
    uint64_t j = yc_nx(sd) % 4;
    tsr_i32f32 aa = j == 0 ? bb : (j == 1 ? 0 : (tsr_i32f32)(yc_nx(sd) % ((uint64_t)bb + 1)));
    *a = aa;
    *b = bb;
}

START_TEST(test_div_in)
{
    uint64_t sd = 99 + (uint64_t)_i;
    for (int k = 0; k < 300000; k++) {
        tsr_i32f32 a, b, q;
        div_operands(&sd, &a, &b);
        tsr_i32f32 want = b != 0 ? tsr_i32f32_safe_div(a, b) : a;
        if (tsr__yuma_div_in(a, b, &q) && q != want)
            ck_abort_msg("div_in %lld / %lld = %lld, want %lld", (long long)a, (long long)b,
                         (long long)q, (long long)want);
    }
    /* Where the epoch relies on it, the fast path applies: a whole divisor (u16 weight sums,
     * bond sums), a divisor below 1.0 (the normalised column sums), and 0. */
    tsr_i32f32 q;
    ck_assert(tsr__yuma_div_in(0, 0, &q) && q == 0);
    ck_assert(tsr__yuma_div_in((int64_t)65535 << 32, (int64_t)65535 << 32, &q) && q == ONE);
    ck_assert(tsr__yuma_div_in((int64_t)3 << 32, (int64_t)7 << 32, &q) &&
              q == (int64_t)((((uint64_t)3 << 32)) / 7));
    ck_assert(tsr__yuma_div_in(ONE - 2, ONE - 1, &q) && q == tsr_i32f32_safe_div(ONE - 2, ONE - 1));
    ck_assert(tsr__yuma_div_in(1, 1, &q) && q == ONE);
    ck_assert(tsr__yuma_div_in(1, 3, &q) && q == (int64_t)(((uint64_t)1 << 32) / 3));
    /* A fractional divisor of 1.0 or more is left to the range-tested path. */
    ck_assert(!tsr__yuma_div_in(ONE, ONE + 1, &q));
    ck_assert(!tsr__yuma_div_in(5, 4, &q)); /* a > b: not a case the epoch proves */
}
END_TEST

/* The product identity of the fast paths: for 0 <= a < 2^32 and 0 <= b <= 2^32 the exact
 * product is below 2^64, and the 64-bit product shifted by 32 is the saturating I32F32
 * product (no saturation). */
START_TEST(test_mul64)
{
    uint64_t sd = 5 + (uint64_t)_i;
    static const uint64_t ea[] = {0, 1, ONE - 1, ONE / 2, 65535, ONE - 65535};
    static const uint64_t eb[] = {0, 1, ONE, ONE - 1, ONE / 2, 12345};
    for (size_t x = 0; x < 6; x++)
        for (size_t y = 0; y < 6; y++)
            ck_assert_int_eq((int64_t)((ea[x] * eb[y]) >> 32),
                             tsr_i32f32_sat_mul((int64_t)ea[x], (int64_t)eb[y]));
    for (int k = 0; k < 300000; k++) {
        uint64_t a = yc_nx(&sd) % (uint64_t)ONE, b = yc_nx(&sd) % ((uint64_t)ONE + 1);
        if ((int64_t)((a * b) >> 32) != tsr_i32f32_sat_mul((int64_t)a, (int64_t)b))
            ck_abort_msg("mul64 %llu %llu", (unsigned long long)a, (unsigned long long)b);
    }
}
END_TEST

/* A random I32F32 divisor >= 1 ulp for the kernels, within the fast path's bound (the epoch
 * proves it with fdiv_all_in): whole (any u16 value) or up to 1.0. */
static int64_t vk_divisor(uint64_t *sd)
{
    uint64_t r = yc_nx(sd);
    switch (r % 4) {
    case 0:
        return (int64_t)((1 + yc_nx(sd) % 65535) << 32); /* whole */
    case 1:
        return (int64_t)(1 + yc_nx(sd) % 3); /* tiny */
    default:
        return (int64_t)(1 + (yc_nx(sd) >> (32 + (r >> 8) % 32)));
    }
}

/* Column t's lanes for divisor b (the fdiv_of reduction: a whole b divides by b / 2^32). */
static void vk_lane(tsr__yvdiv *v, size_t t, int64_t b)
{
    uint64_t ub = (uint64_t)b;
    bool whole = (ub & 0xFFFFFFFFu) == 0;
    v->d[t] = whole ? ub >> 32 : ub;
    v->sh[t] = whole ? 0 : 32;
    v->inv[t] = UINT64_MAX / v->d[t];
}

/* The exact I32F32 quotient floor(a 2^32 / b) for 0 <= a <= b. */
static uint64_t vk_q(int64_t a, int64_t b)
{
    return (uint64_t)((((unsigned __int128)(uint64_t)a) << 32) / (uint64_t)b);
}

/* The vector kernels (tsr_yuma_vec.h), both copies, against the exact quotients computed with
 * 128-bit integers here: numerators 0 <= a <= b including both ends, divisors whole and not,
 * from 1 ulp to 2^48, every row length from 0 to 67 (vector tails). */
START_TEST(test_vec_kernels)
{
    uint64_t sd = 777 + (uint64_t)_i;
    enum { L = 67 };
    uint64_t lanes[6][L];
    tsr__yvdiv c = {lanes[0], lanes[1], lanes[2], false}, o = {lanes[3], lanes[4], lanes[5], false};
    int64_t cb[L], ob[L], h[L], e[L], es[L], em[L], inc[L], xs[L];
    tsr_pair bp[L];
    uint16_t q[L];
    for (int rep = 0; rep < 400; rep++) {
        size_t len = (size_t)rep % (L + 1);
        uint64_t al = yc_nx(&sd) >> 32, om = ((uint64_t)1 << 32) - 1 - al;
        int64_t es0[L], em0[L];
        for (size_t t = 0; t < len; t++) {
            cb[t] = vk_divisor(&sd);
            ob[t] = vk_divisor(&sd);
            vk_lane(&c, t, cb[t]);
            vk_lane(&o, t, ob[t]);
            uint64_t r = yc_nx(&sd);
            h[t] = r % 5 == 0 ? cb[t]
                              : (r % 5 == 1 ? 0 : (int64_t)(yc_nx(&sd) % ((uint64_t)cb[t] + 1)));
            bp[t].col = (uint32_t)t;
            bp[t].val = r % 7 == 0 ? ob[t] : (int64_t)(yc_nx(&sd) % ((uint64_t)ob[t] + 1));
            es0[t] = (int64_t)(yc_nx(&sd) >> 20);
            em0[t] = (int64_t)(yc_nx(&sd) >> 31);
            inc[t] = (int64_t)(yc_nx(&sd) >> 32);
        }
        for (int vec = 0; vec < 2; vec++) {
            if (vec && !tsr__yv_available())
                break;
            memcpy(es, es0, sizeof es);
            memcpy(em, em0, sizeof em);
            tsr__yv_ema_row(len, h, bp, &c, &o, al, om, e, es, em, vec != 0);
            for (size_t t = 0; t < len; t++) {
                uint64_t v =
                    ((al * vk_q(h[t], cb[t])) >> 32) + ((om * vk_q(bp[t].val, ob[t])) >> 32);
                ck_assert_msg((uint64_t)e[t] == v, "ema vec %d len %zu t %zu", vec, len, t);
                ck_assert_int_eq(es[t], es0[t] + (int64_t)v);
                ck_assert_int_eq(em[t], em0[t] > (int64_t)v ? em0[t] : (int64_t)v);
            }
            /* the last pass: numerators x = h (<= its divisor), second division of x by o's
             * divisor only where x <= that divisor (the epoch's x <= m bound) */
            for (size_t t = 0; t < len; t++) {
                xs[t] = (int64_t)vk_q(h[t], cb[t]);
                ob[t] = xs[t] > 0 && xs[t] > ob[t] ? xs[t] : ob[t];
                vk_lane(&o, t, ob[t]);
            }
            uint64_t acc = tsr__yv_last_row(len, h, &c, &o, inc, q, vec != 0), want = 0;
            for (size_t t = 0; t < len; t++) {
                want += ((uint64_t)inc[t] * (uint64_t)xs[t]) >> 32;
                uint64_t m = vk_q(xs[t], ob[t]);
                m = m > ((uint64_t)1 << 32) ? (uint64_t)1 << 32 : m;
                ck_assert_msg(q[t] == (uint16_t)((m * 65535u) >> 32), "q16 vec %d t %zu", vec, t);
            }
            ck_assert_msg(acc == want, "dividend sum vec %d len %zu", vec, len);
            /* a row normalised by its whole sum: u16 weights as whole numbers, d = the sum of
             * their u16 values (quotients <= 1.0) or a random smaller one (some above) */
            uint64_t d = 0;
            tsr_pair wr[L] = {{0, 0}}, np[L];
            for (size_t t = 0; t < len; t++) {
                wr[t].col = (uint32_t)t;
                wr[t].val = (int64_t)((uint64_t)(uint16_t)yc_nx(&sd) << 32);
                d += (uint64_t)wr[t].val >> 32;
            }
            if (rep % 3 == 0 || d == 0)
                d = 1 + yc_nx(&sd) % 70000;
            memcpy(np, wr, len * sizeof *wr);
            bool le1 = tsr__yv_norm_row(np, len, d, UINT64_MAX / d, vec != 0), all = true;
            for (size_t t = 0; t < len; t++) {
                uint64_t want_q = (uint64_t)wr[t].val / d;
                ck_assert_msg((uint64_t)np[t].val == want_q, "norm vec %d t %zu", vec, t);
                all &= want_q <= ((uint64_t)1 << 32);
            }
            ck_assert(le1 == all);
        }
    }
}
END_TEST

/* A divisor for a lo0 divider set (tsr_yuma_vec.h): 0 (the identity divider of a zero column
 * sum, whose numerators are all 0) one time in eight, else one that is not a whole number (its
 * reduced form keeps sh = 32). */
static int64_t vk_frac_divisor(uint64_t *sd)
{
    if (yc_nx(sd) % 8 == 0)
        return 0;
    int64_t b;
    do
        b = vk_divisor(sd);
    while (((uint64_t)b & 0xFFFFFFFFu) == 0);
    return b;
}

/* vk_lane, and for b = 0 the identity divider (fdiv_nz: d = 1, no shift, inv = 2^64 - 1). */
static void vk_lane0(tsr__yvdiv *v, size_t t, int64_t b)
{
    if (b != 0) {
        vk_lane(v, t, b);
        return;
    }
    v->d[t] = 1;
    v->sh[t] = 0;
    v->inv[t] = UINT64_MAX;
}

/* floor(a 2^32 / b) as vk_q, and a itself for b = 0 (then a = 0). */
static uint64_t vk_q0(int64_t a, int64_t b)
{
    return b == 0 ? (uint64_t)a : vk_q(a, b);
}

/* The lo0 forms of the EMA and last kernels (both divider sets promise x = a << sh with a zero
 * low half), both copies, against the exact quotients: fractional numerators over divisors that
 * are not whole or are 0, whole numerators (u16 << 32, the stored bonds) over any divisor. */
START_TEST(test_vec_lo0)
{
    uint64_t sd = 991 + (uint64_t)_i;
    enum { L = 67 };
    uint64_t lanes[9][L];
    tsr__yvdiv c = {lanes[0], lanes[1], lanes[2], true}, o = {lanes[3], lanes[4], lanes[5], true},
               md = {lanes[6], lanes[7], lanes[8], true};
    int64_t cb[L], ob[L], mb[L], h[L], e[L], es[L], em[L], inc[L], xs[L];
    tsr_pair bp[L];
    uint16_t q[L];
    for (int rep = 0; rep < 400; rep++) {
        size_t len = (size_t)rep % (L + 1);
        uint64_t al = yc_nx(&sd) >> 32, om = ((uint64_t)1 << 32) - 1 - al;
        for (size_t t = 0; t < len; t++) {
            cb[t] = vk_frac_divisor(&sd);
            vk_lane0(&c, t, cb[t]);
            uint64_t r = yc_nx(&sd);
            h[t] = r % 5 == 0 ? cb[t] : (int64_t)(yc_nx(&sd) % ((uint64_t)cb[t] + 1));
            ob[t] = r % 3 == 0 ? 0 : vk_divisor(&sd);
            vk_lane0(&o, t, ob[t]);
            uint64_t top = (uint64_t)ob[t] >> 32; /* whole numerators <= ob: u16 << 32 */
            uint64_t u = top == 0 ? 0 : yc_nx(&sd) % (top < 65535 ? top + 1 : 65536);
            bp[t].col = (uint32_t)t;
            bp[t].val = (int64_t)(u << 32);
            es[t] = em[t] = 0;
            inc[t] = (int64_t)(yc_nx(&sd) >> 32);
        }
        for (int vec = 0; vec < 2; vec++) {
            if (vec && !tsr__yv_available())
                break;
            memset(es, 0, sizeof es);
            memset(em, 0, sizeof em);
            tsr__yv_ema_row(len, h, bp, &c, &o, al, om, e, es, em, vec != 0);
            for (size_t t = 0; t < len; t++) {
                uint64_t v =
                    ((al * vk_q0(h[t], cb[t])) >> 32) + ((om * vk_q0(bp[t].val, ob[t])) >> 32);
                ck_assert_msg((uint64_t)e[t] == v, "lo0 ema vec %d len %zu t %zu", vec, len, t);
                ck_assert_int_eq(es[t], (int64_t)v);
                ck_assert_int_eq(em[t], (int64_t)v);
            }
            /* the last pass: x = h / cb, then x over a divisor x <= m < 1.0 (not whole; the
             * fast path needs m < 2^32 then), or m = 0 where x is 0. x = 1.0 has no such m (the
             * epoch then has m = 1.0, a whole divisor, and does not claim lo0): h = cb - 1. */
            for (size_t t = 0; t < len; t++) {
                if (h[t] == cb[t] && cb[t] > 0)
                    h[t] = cb[t] - 1;
                xs[t] = (int64_t)vk_q0(h[t], cb[t]);
                uint64_t room = ((uint64_t)1 << 32) - 1 - (uint64_t)xs[t];
                mb[t] = xs[t] + (int64_t)(yc_nx(&sd) % (room + 1));
                if (xs[t] == 0 && yc_nx(&sd) % 4 == 0)
                    mb[t] = 0;
                vk_lane0(&md, t, mb[t]);
            }
            uint64_t acc = tsr__yv_last_row(len, h, &c, &md, inc, q, vec != 0), want = 0;
            for (size_t t = 0; t < len; t++) {
                want += ((uint64_t)inc[t] * (uint64_t)xs[t]) >> 32;
                uint64_t m = vk_q0(xs[t], mb[t]);
                m = m > ((uint64_t)1 << 32) ? (uint64_t)1 << 32 : m;
                ck_assert_msg(q[t] == (uint16_t)((m * 65535u) >> 32), "lo0 q16 vec %d t %zu", vec,
                              t);
            }
            ck_assert_msg(acc == want, "lo0 dividend sum vec %d len %zu", vec, len);
        }
    }
}
END_TEST

/* A value in [0, 1.0] for the Yuma3 kernels: 0, 1.0, a u16 proportion, or anything between. */
static int64_t vk_unit(uint64_t *sd)
{
    uint64_t r = yc_nx(sd);
    switch (r % 5) {
    case 0:
        return 0;
    case 1:
        return ONE;
    case 2:
        return tsr_u16_proportion_to_fixed((uint16_t)(r >> 20));
    default:
        return (int64_t)(yc_nx(sd) % ((uint64_t)ONE + 1));
    }
}

/* Yuma3's aligned kernels (tsr__yv_y3_alpha_row, _ema_row, _last_row), both copies, against the
 * spec's formulas evaluated here with the library's saturating operations: d from (c, w, b)
 * (§2.13.2, clamped buy or sell), the memo's hits and misses (half the d's entered), the EMA
 * (1 - a) (*) b + a (*) w clamped to 1.0, the normalised dividend sum and
 * fixed_proportion_to_u16 of each EMA value; lengths 0-67. */
START_TEST(test_vec_y3)
{
    uint64_t sd = 31337 + (uint64_t)_i;
    enum { L = 67 };
    static tsr__yvmemo memo[TSR__YV_MEMO];
    uint64_t lanes[3][L];
    tsr__yvdiv c = {lanes[0], lanes[1], lanes[2], true};
    tsr_pair np[L], bp[L];
    int64_t ct[L], a[L], d[L], e[L], es[L], cb[L], inc[L];
    uint16_t q[L];
    for (int rep = 0; rep < 300; rep++) {
        size_t len = (size_t)rep % (L + 1);
        for (size_t k = 0; k < TSR__YV_MEMO; k++)
            memo[k].d = -1;
        int64_t want_d[L];
        for (size_t t = 0; t < len; t++) {
            np[t].col = bp[t].col = (uint32_t)t;
            np[t].val = vk_unit(&sd);
            bp[t].val = yc_nx(&sd) % 4 == 0 ? np[t].val : vk_unit(&sd);
            ct[t] = yc_nx(&sd) % 4 == 0 ? np[t].val : vk_unit(&sd);
            int64_t buy = np[t].val - ct[t], sell = bp[t].val - np[t].val;
            buy = buy < 0 ? 0 : (buy > ONE ? ONE : buy);
            sell = sell < 0 ? 0 : (sell > ONE ? ONE : sell);
            want_d[t] = np[t].val >= bp[t].val ? buy : sell;
            if (yc_nx(&sd) % 2) { /* a memo entry for this d, alpha anything in [0, 1.0] */
                tsr__yvmemo *m = &memo[tsr__yv_memo_slot(want_d[t])];
                m->d = want_d[t];
                m->alpha = vk_unit(&sd);
            }
        }
        for (int vec = 0; vec < 2; vec++) {
            if (vec && !tsr__yv_available())
                break;
            size_t miss = tsr__yv_y3_alpha_row(len, np, bp, ct, memo, a, d, vec != 0), want = 0;
            for (size_t t = 0; t < len; t++) {
                ck_assert_msg(d[t] == want_d[t], "y3 d vec %d t %zu", vec, t);
                const tsr__yvmemo *m = &memo[tsr__yv_memo_slot(want_d[t])];
                int64_t wa = m->d == want_d[t] ? m->alpha : -1;
                ck_assert_msg(a[t] == wa, "y3 alpha vec %d t %zu", vec, t);
                want += wa < 0;
                if (a[t] < 0) /* the caller's part: any alpha in [0, 1.0] */
                    a[t] = vk_unit(&sd);
            }
            ck_assert_uint_eq(miss, want);
            memset(es, 0, sizeof es);
            tsr__yv_y3_ema_row(len, np, bp, a, e, es, vec != 0);
            for (size_t t = 0; t < len; t++) {
                int64_t v = tsr_i32f32_sat_add(tsr_i32f32_sat_mul(ONE - a[t], bp[t].val),
                                               tsr_i32f32_sat_mul(a[t], np[t].val));
                v = v > ONE ? ONE : v;
                ck_assert_msg(e[t] == v, "y3 ema vec %d t %zu", vec, t);
                ck_assert_int_eq(es[t], v);
            }
            /* the fixed-alpha form over dense rows (zeros for absent pairs) */
            int64_t wv[L], bv[L], ef[L], esf[L];
            uint64_t al = (uint64_t)vk_unit(&sd);
            for (size_t t = 0; t < len; t++) {
                wv[t] = yc_nx(&sd) % 4 == 0 ? 0 : np[t].val;
                bv[t] = yc_nx(&sd) % 4 == 0 ? 0 : bp[t].val;
                esf[t] = (int64_t)t;
            }
            tsr__yv_y3_fix_row(len, wv, bv, al, ef, esf, vec != 0);
            for (size_t t = 0; t < len; t++) {
                int64_t v = tsr_i32f32_sat_add(tsr_i32f32_sat_mul((int64_t)al, wv[t]),
                                               tsr_i32f32_sat_mul(ONE - (int64_t)al, bv[t]));
                ck_assert_msg(ef[t] == v, "y3 fixed ema vec %d t %zu", vec, t);
                ck_assert_int_eq(esf[t], (int64_t)t + v);
            }
            /* the last pass: column sums s >= e that are not whole (or 0 over e = 0) and below
             * 1.0, as the fast case needs; the row's dividend sum and the stored u16s */
            uint64_t wsum = 0;
            for (size_t t = 0; t < len; t++) {
                if (e[t] == ONE)
                    e[t] = ONE - 1;
                uint64_t room = (uint64_t)ONE - 1 - (uint64_t)e[t];
                cb[t] = e[t] + (int64_t)(yc_nx(&sd) % (room + 1));
                if (e[t] == 0 && yc_nx(&sd) % 3 == 0)
                    cb[t] = 0;
                vk_lane0(&c, t, cb[t]);
                inc[t] = (int64_t)(yc_nx(&sd) >> 32);
                wsum += ((uint64_t)inc[t] * vk_q0(e[t], cb[t])) >> 32;
            }
            for (int lo0 = 0; lo0 < 2; lo0++) {
                c.lo0 = lo0 != 0;
                uint64_t got = tsr__yv_y3_last_row(len, e, &c, inc, q, vec != 0);
                ck_assert_msg(got == wsum, "y3 dividend sum vec %d lo0 %d len %zu", vec, lo0, len);
                for (size_t t = 0; t < len; t++)
                    ck_assert_msg(q[t] == tsr_fixed_proportion_to_u16(e[t]), "y3 q16 vec %d t %zu",
                                  vec, t);
            }
        }
    }
}
END_TEST

/* The stored-pair compaction (tsr__yv_pack_row), both copies, against the loop it replaces:
 * EMA values positive, zero and negative in runs and at random, uids up to 65535, every length
 * from 0 to 67; nothing may be written past the pairs it returns. */
START_TEST(test_vec_pack)
{
    uint64_t sd = 5150 + (uint64_t)_i;
    enum { L = 67 };
    int64_t e[L];
    uint32_t cols[L];
    uint16_t q[L];
    tsr_yuma_pair out[L + 16], want[L];
    for (int rep = 0; rep < 600; rep++) {
        size_t len = (size_t)rep % (L + 1), m = 0;
        unsigned density = (unsigned)(yc_nx(&sd) % 5); /* 0: none positive .. 4: all */
        for (size_t t = 0; t < len; t++) {
            uint64_t r = yc_nx(&sd);
            bool pos = density == 4 || (density > 0 && r % 4 < density);
            e[t] = pos ? (int64_t)(1 + (r >> 40)) : (r % 2 ? 0 : -(int64_t)(1 + (r >> 44)));
            cols[t] = (uint32_t)(t * 977 + (r >> 16) % 3) % 65536;
            q[t] = (uint16_t)(r >> 48);
            if (e[t] > 0) {
                want[m].uid = (uint16_t)cols[t];
                want[m++].value = q[t];
            }
        }
        for (int vec = 0; vec < 2; vec++) {
            if (vec && !tsr__yv_available())
                break;
            memset(out, 0xA5, sizeof out);
            size_t got = tsr__yv_pack_row(len, e, cols, q, out, vec != 0);
            ck_assert_msg(got == m, "pack vec %d len %zu: %zu pairs, want %zu", vec, len, got, m);
            for (size_t k = 0; k < m; k++)
                ck_assert_msg(out[k].uid == want[k].uid && out[k].value == want[k].value,
                              "pack vec %d len %zu pair %zu", vec, len, k);
            const unsigned char *tail = (const unsigned char *)(out + m);
            for (size_t b = 0; b < (sizeof out) - m * sizeof *out; b++)
                ck_assert_msg(tail[b] == 0xA5, "pack vec %d wrote past its pairs", vec);
        }
    }
}
END_TEST

/* The load, bond, uid-check and clip kernels (tsr_yuma_vec.h), both copies, against their
 * formulas evaluated here pair by pair, every row length from 0 to 67: rows that pass and rows
 * that must be refused (a uid >= n, the diagonal, a bond uid off the aligned columns), u16 and
 * I32F32 extremes (0, 65535, 1.0). */
START_TEST(test_vec_loads)
{
    uint64_t sd = 4242 + (uint64_t)_i;
    enum { L = 67 };
    const uint32_t n = 300;
    for (int rep = 0; rep < 400; rep++) {
        size_t len = (size_t)rep % (L + 1);
        int mode =
            (int)(yc_nx(&sd) % 4); /* 0: passes; 1: a uid >= n; 2: the diagonal; 3: bond off */
        uint32_t diag = yc_nx(&sd) % 2 ? (uint32_t)(yc_nx(&sd) % n) : UINT32_MAX;
        tsr_yuma_pair in[L];
        tsr_pair c0[L], out[L], cp[L], w[L];
        int64_t bs[L], bs0[L], ca[L], inc[L], inc0[L], hv[L];
        uint32_t col = 0;
        for (size_t t = 0; t < len; t++) {
            col += 1 + (uint32_t)(yc_nx(&sd) % 4);
            uint32_t u = col % n == diag ? (col + 1) % n : col % n;
            in[t].uid = (uint16_t)u;
            in[t].value = yc_nx(&sd) % 5 == 0 ? 65535 : (uint16_t)yc_nx(&sd);
            c0[t].col = u;
            c0[t].val = 0;
            bs0[t] = (int64_t)(yc_nx(&sd) >> 18);
        }
        if (len > 0 && mode != 0) {
            size_t t = yc_nx(&sd) % len;
            uint32_t u = mode == 1 ? n + (uint32_t)(yc_nx(&sd) % 100) : diag;
            if (mode == 3)
                c0[t].col = in[t].uid + 1u; /* the stored row is off the columns at t */
            else if (u != UINT32_MAX)
                in[t].uid = (uint16_t)u;
        }
        for (int vec = 0; vec < 2; vec++) {
            if (vec && !tsr__yv_available())
                break;
            uint64_t sum = 0, want = 0;
            bool ok = tsr__yv_load_row(in, len, n, diag, out, &sum, vec != 0);
            bool bad_uid = false;
            for (size_t t = 0; t < len; t++)
                bad_uid |= in[t].uid >= n || in[t].uid == diag;
            ck_assert_msg(ok == !bad_uid, "load verdict vec %d len %zu mode %d", vec, len, mode);
            ck_assert(tsr__yv_uids_below(in, len, n, vec != 0) == (mode != 1 || len == 0));
            for (size_t t = 0; ok && t < len; t++) {
                ck_assert_uint_eq(out[t].col, in[t].uid);
                ck_assert_int_eq(out[t].val, (int64_t)((uint64_t)in[t].value << 32));
                want += (uint64_t)out[t].val;
            }
            ck_assert(!ok || sum == want);
            /* the bond row, as whole numbers and as u16 proportions: the proportion checked
             * against the library's u16 -> I32F32 proportion (spec §1.3) */
            bool off = false;
            for (size_t t = 0; t < len; t++)
                off |= in[t].uid != c0[t].col;
            for (int prop = 0; prop < 2; prop++) {
                memcpy(bs, bs0, sizeof bs);
                ok = tsr__yv_bond_row(in, len, c0, out, bs, prop != 0, vec != 0);
                ck_assert_msg(ok == !off, "bond verdict vec %d len %zu mode %d", vec, len, mode);
                ck_assert(!(mode == 3 && len > 0) || off);
                for (size_t t = 0; t < len; t++) {
                    int64_t v = prop ? tsr_u16_proportion_to_fixed(in[t].value)
                                     : (int64_t)((uint64_t)in[t].value << 32);
                    ck_assert_int_eq(bs[t], ok ? bs0[t] + v : bs0[t]);
                    ck_assert_msg(!ok || (out[t].col == in[t].uid && out[t].val == v),
                                  "bond vec %d prop %d t %zu value %u", vec, prop, t,
                                  (unsigned)in[t].value);
                }
            }
            /* clip: weights and consensus in [0, 1.0], a zero consensus only over zero weights
             * (no dropped pair), stake below 1.0 */
            uint64_t us = yc_nx(&sd) % 3 == 0 ? (uint64_t)ONE - 1 : yc_nx(&sd) >> 32, rs = 0;
            for (size_t t = 0; t < len; t++) {
                uint64_t r = yc_nx(&sd);
                ca[t] = r % 6 == 0 ? 0 : (r % 6 == 1 ? ONE : (int64_t)(yc_nx(&sd) % (ONE + 1)));
                w[t].col = (uint32_t)t * 3u;
                w[t].val = ca[t] == 0 || r % 6 == 2
                               ? 0
                               : (r % 6 == 3 ? ONE : (int64_t)(yc_nx(&sd) % (ONE + 1)));
                inc0[t] = (int64_t)(yc_nx(&sd) >> 17);
            }
            memcpy(inc, inc0, sizeof inc);
            uint64_t got = tsr__yv_clip_row(len, w, ca, us, hv, cp, inc, vec != 0);
            for (size_t t = 0; t < len; t++) {
                int64_t v = ca[t] < w[t].val ? ca[t] : w[t].val;
                int64_t h = (int64_t)(((unsigned __int128)us * (uint64_t)v) >> 32);
                ck_assert_msg(cp[t].col == w[t].col && cp[t].val == v, "clip vec %d t %zu", vec, t);
                ck_assert_int_eq(hv[t], h);
                ck_assert_int_eq(inc[t], inc0[t] + h);
                rs += (uint64_t)v;
            }
            ck_assert(got == rs);
        }
    }
}
END_TEST

/* tsr_yuma_out_bind: every array at its place in the blocks, in the header's field order. */
START_TEST(test_out_bind)
{
    enum { N = 3 };
    uint16_t u16[5 * N];
    uint64_t u64[4 * N];
    bool flags[2 * N];
    tsr_i32f32 raw[6 * N];
    tsr_yuma_out o;
    memset(&o, 0, sizeof o);
    tsr_yuma_out_bind(&o, N, u16, u64, flags, raw);
    ck_assert(o.consensus == u16 && o.incentive == u16 + 3 && o.dividends == u16 + 6);
    ck_assert(o.validator_trust == u16 + 9 && o.stake_weight == u16 + 12);
    ck_assert(o.emission == u64 && o.server_emission == u64 + 3);
    ck_assert(o.validator_emission == u64 + 6 && o.stake == u64 + 9);
    ck_assert(o.validator_permit == flags && o.active == flags + 3);
    ck_assert(o.raw_stake == raw && o.raw_active_stake == raw + 3 && o.raw_consensus == raw + 6);
    ck_assert(o.raw_incentive == raw + 9 && o.raw_dividends == raw + 12);
    ck_assert(o.raw_validator_trust == raw + 15);
    ck_assert(o.bonds_row_ptr == NULL && o.bonds == NULL && o.bonds_cap == 0);
    tsr_yuma_out_bind(&o, N, u16, u64, flags, NULL);
    ck_assert(o.raw_stake == NULL && o.raw_validator_trust == NULL && o.consensus == u16);
}
END_TEST

static const char *yr_what(int d)
{
    static const char *w[] = {"equal",          "status",    "u16 terms", "u64 terms",
                              "permits/active", "raw terms", "bond rows", "bonds"};
    return w[d];
}

/* Seeds [_i * 250, _i * 250 + 250): four epochs each, fast against reference. */
START_TEST(test_epoch_vs_ref)
{
    for (uint64_t sd = (uint64_t)_i * 250; sd < (uint64_t)_i * 250 + 250 / YUMA_SAN_DIV; sd++) {
        ycase c;
        yc_make(&c, sd);
        uint64_t *commit = NULL;
        uint64_t cs = sd * 31 + 7;
        if (yc_nx(&cs) % 5 == 0) {
            commit = malloc(c.n * sizeof *commit);
            for (size_t i = 0; i < c.n; i++)
                commit[i] = yc_nx(&cs) % 3 == 0 ? 995 + yc_nx(&cs) % 10 : UINT64_MAX;
        }
        for (int e = 0; e < 4; e++) {
            size_t cap = tsr_yuma_bonds_cap(c.n, c.nw, c.nb);
            if (sd % 13 == 5 && e == 3)
                cap /= 2; /* short capacity: both report it */
            yres A, B, V;
            yr_init(&A, c.n, cap);
            yr_init(&B, c.n, cap);
            yr_init(&V, c.n, cap);
            size_t wsz = tsr_yuma_ws_size(c.n, c.nw, c.nb);
            void *ws = malloc(wsz);
            uint64_t rao = sd % 7 == 0 ? UINT64_MAX : 1000000000;
            A.rc = tsr__yuma_epoch_ref(&c.p, &c.s, commit, rao, &A.o, ws, wsz);
            memset(ws, 0xA5, wsz); /* a dirty workspace for the second run */
            B.rc = tsr__yuma_epoch_novec(&c.p, &c.s, commit, rao, &B.o, ws, wsz);
            memset(ws, 0x5A, wsz);
            V.rc = tsr_yuma_epoch_cr(&c.p, &c.s, commit, rao, &V.o, ws, wsz);
            free(ws);
            int d = yr_cmp(&A, &B), dv = yr_cmp(&A, &V);
            if (d != 0 || dv != 0)
                ck_abort_msg("seed %llu epoch %d (n %zu, yuma3 %d, liquid %d): %s differ (%s)",
                             (unsigned long long)sd, e, c.n, (int)c.p.yuma3, (int)c.p.liquid_alpha,
                             yr_what(d ? d : dv), d ? "scalar fast paths" : "vector kernels");
            if (A.rc == TSR_OK)
                yc_feed(&c, &A);
            yr_free(&A);
            yr_free(&B);
            yr_free(&V);
            if (A.rc != TSR_OK)
                break;
        }
        free(commit);
        yc_free(&c);
    }
}
END_TEST

/* A hand-made case of n uids: default parameters, the per-uid arrays (to be filled), empty
 * weight and bond rows, room for wcap weight pairs. */
static void yc_alloc(ycase *c, size_t n, size_t wcap)
{
    memset(c, 0, sizeof *c);
    c->n = n;
    tsr_yuma_params_default(&c->p);
    c->stake = calloc(n, sizeof *c->stake);
    c->lu = calloc(n, sizeof *c->lu);
    c->bar = calloc(n, sizeof *c->bar);
    c->permit = calloc(n, sizeof *c->permit);
    c->wptr = calloc(n + 1, sizeof *c->wptr);
    c->bptr = calloc(n + 1, sizeof *c->bptr);
    c->w = malloc(wcap * sizeof *c->w);
}

/* One epoch of c, the reference into A and the fast epoch (on a dirtied workspace) into V; both
 * initialised here, for yr_free. */
static void yc_ref_fast(const ycase *c, yres *A, yres *V)
{
    size_t cap = tsr_yuma_bonds_cap(c->n, c->nw, c->nb), wsz = tsr_yuma_ws_size(c->n, c->nw, c->nb);
    yr_init(A, c->n, cap);
    yr_init(V, c->n, cap);
    void *ws = malloc(wsz);
    A->rc = tsr__yuma_epoch_ref(&c->p, &c->s, NULL, 1000000000, &A->o, ws, wsz);
    memset(ws, 0xC3, wsz);
    V->rc = tsr_yuma_epoch_cr(&c->p, &c->s, NULL, 1000000000, &V->o, ws, wsz);
    free(ws);
}

/* Aligned weight rows whose clipping drops a pair (a column's consensus is 0 while a minority
 * weights it): the aligned clip refuses such rows, the general clip runs and must report that
 * Wc lost W's columns (wc_same false), so that no aligned bond path takes Wc for W's columns.
 * Three validators (stakes 5:3:2) weight miners 3, 4, 5; miner 4 gets an explicit 0 from the
 * 80% majority, so C_4 = 0 and validator 2's pair (4, 1.0) is dropped. Every variant of the
 * bonds, over four epochs with the bonds fed back, against the reference epoch. */
START_TEST(test_clip_drop_aligned)
{
    static const uint16_t vals[3][3] = {
        {65535, 0, 30000}, {40000, 0, 65535}, {20000, 65535, 10000}};
    static const uint64_t stakes[6] = {5000000000, 3000000000, 2000000000, 0, 0, 0};
    ycase c;
    size_t n = 6;
    yc_alloc(&c, n, 9);
    c.p.yuma3 = _i & 1;
    c.p.liquid_alpha = (_i >> 1) & 1;
    c.p.bonds_penalty = 65535; /* Wb = Wc */
    for (size_t i = 0; i < n; i++) {
        c.stake[i] = stakes[i];
        c.lu[i] = 1000;
        c.bar[i] = 100;
        c.permit[i] = i < 3;
        for (size_t t = 0; i < 3 && t < 3; t++) {
            c.w[c.nw].uid = (uint16_t)(3 + t);
            c.w[c.nw++].value = vals[i][t];
        }
        c.wptr[i + 1] = c.nw;
    }
    yc_bind(&c);
    for (int e = 0; e < 4; e++) {
        yres A, V;
        yc_ref_fast(&c, &A, &V);
        ck_assert_int_eq(A.rc, TSR_OK);
        /* C_4 = 0 (u16 consensus of uid 4) and miner 4 earns nothing */
        ck_assert_uint_eq(A.o.consensus[4], 0);
        ck_assert_uint_eq(A.o.incentive[4], 0);
        int d = yr_cmp(&A, &V);
        ck_assert_msg(d == 0, "variant %d epoch %d: %s differ", _i, e, yr_what(d));
        yc_feed(&c, &A);
        yr_free(&A);
        yr_free(&V);
    }
    yc_free(&c);
}
END_TEST

/* Yuma3's bonds at the edge of §2.11's mask, fast against reference: a subnet shaped like a
 * simulated one (six validators, each leaving its own miners out, so no path finds the rows
 * aligned and the union path runs), miners registered at last_tempo - 2 .. last_tempo + 1
 * (last_mechanism_step_block 700: last_tempo 701) and long ago; in variants 2 and 3 one row's
 * stored bonds rewritten out of order after each epoch (the union path refuses it: the general
 * EMA runs); liquid alpha on in the odd variants. Four epochs with the bonds fed back. */
START_TEST(test_stored_bonds_mask)
{
    enum { NV = 6, N = 40 };
    ycase c;
    uint64_t sd = 4242 + (uint64_t)_i;
    yc_alloc(&c, N, (size_t)N * N);
    c.p.yuma3 = true;
    c.p.liquid_alpha = _i & 1;
    c.p.bonds_penalty = 65535;
    static const uint64_t bars[5] = {100, 699, 700, 701, 702};
    for (size_t i = 0; i < N; i++) {
        c.stake[i] = i < NV ? 1000000000 + 7919 * i : 0;
        c.lu[i] = 1000;
        c.bar[i] = i < NV ? 100 : bars[i % 5];
        c.permit[i] = i < NV;
        for (size_t j = NV; i < NV && j < N; j++) {
            if ((j + i) % 7 == 0)
                continue; /* this validator leaves miner j out */
            c.w[c.nw].uid = (uint16_t)j;
            c.w[c.nw++].value = (uint16_t)(1 + yc_nx(&sd) % 65535);
        }
        c.wptr[i + 1] = c.nw;
    }
    yc_bind(&c);
    c.s.last_mechanism_step_block = 700;
    for (int e = 0; e < 4; e++) {
        yres A, V;
        yc_ref_fast(&c, &A, &V);
        ck_assert_int_eq(A.rc, TSR_OK);
        int d = yr_cmp(&A, &V);
        ck_assert_msg(d == 0, "variant %d epoch %d: %s differ", _i, e, yr_what(d));
        yc_feed(&c, &A);
        ck_assert_uint_gt(c.nb, 0);                 /* the next epoch reads stored bonds */
        if (_i >= 2 && c.bptr[2] - c.bptr[1] > 2) { /* validator 1's row out of order */
            tsr_yuma_pair t = c.b[c.bptr[1]];
            c.b[c.bptr[1]] = c.b[c.bptr[1] + 1];
            c.b[c.bptr[1] + 1] = t;
        }
        yr_free(&A);
        yr_free(&V);
    }
    yc_free(&c);
}
END_TEST

/* One column's v* from the definition, by sorting: the entries in ascending score order, then the
 * first score whose cumulative stake (over every entry scoring <= it, ties included) exceeds the
 * minority; the largest score when none does. */
typedef struct cmed_ref {
    int64_t v, s;
} cmed_ref;

static int cmed_ref_cmp(const void *a, const void *b)
{
    int64_t x = ((const cmed_ref *)a)->v, y = ((const cmed_ref *)b)->v;
    return (x > y) - (x < y);
}

static int64_t cmed_by_sort(cmed_ref *e, size_t M, int64_t minority)
{
    qsort(e, M, sizeof *e, cmed_ref_cmp);
    int64_t cum = 0;
    for (size_t r = 0; r < M; r++) {
        cum += e[r].s;
        bool last_of_tie = r + 1 == M || e[r + 1].v != e[r].v;
        if (last_of_tie && cum > minority)
            return e[r].v;
    }
    return e[M - 1].v;
}

/* A score in [0, 2^33), except about one in 40: negative, or 2^57 or more (an 8-column step of
 * the vector copy holding one compares pairs instead of sorting; its neighbours still sort). */
static int64_t stray_score(uint64_t x)
{
    switch (x % 80) {
    case 0:
        return -(int64_t)(x >> 40) - 1;
    case 1:
        return ((int64_t)1 << 62) + (int64_t)(x >> 40);
    default:
        return (int64_t)(x >> 31);
    }
}

/* The consensus block kernel (tsr__yv_cmed_block), both copies, against cmed_by_sort: 1 to 70
 * rows (1 to 32, the sorting copy's, half the time), 1 to 40 columns (every tail length of the
 * 8-column steps), scores with ties, zeros and negatives, scores that stop a step from sorting,
 * stakes with zeros, minorities below 0, on a cumulative stake and above the total. */
START_TEST(test_vec_cmed_block)
{
    uint64_t sd = 8080 + (uint64_t)_i;
    enum { MAXM = 70, MAXL = 40, LD = 40 };
    static int64_t v[MAXM * LD];
    int64_t st[MAXM], got[MAXL], want[MAXL];
    cmed_ref col[MAXM];
    for (int rep = 0; rep < 300; rep++) {
        size_t M = 1 + yc_nx(&sd) % MAXM, L = 1 + yc_nx(&sd) % MAXL, ld = LD;
        unsigned shape = (unsigned)(yc_nx(&sd) % 4);
        if (yc_nx(&sd) % 2) /* the sorting copy's row count, half the time */
            M = 1 + M % 32;
        int64_t total = 0;
        for (size_t r = 0; r < M; r++) {
            st[r] = yc_nx(&sd) % 5 == 0 ? 0 : (int64_t)(yc_nx(&sd) % (((uint64_t)1 << 32) / M));
            total += st[r];
            for (size_t t = 0; t < ld; t++) {
                uint64_t x = yc_nx(&sd);
                v[r * ld + t] = shape == 0   ? (int64_t)(x % 4) << 30 /* ties */
                                : shape == 1 ? (int64_t)(x >> 31)     /* [0, 2^33) */
                                : shape == 2 ? (int64_t)(x % 2001) - 1000
                                             : stray_score(x); /* a few outside [0, 2^57) */
            }
        }
        int64_t minority;
        switch (yc_nx(&sd) % 4) {
        case 0:
            minority = -1 - (int64_t)(yc_nx(&sd) % 100);
            break;
        case 1:
            minority = total + (int64_t)(yc_nx(&sd) % 3);
            break;
        case 2: /* exactly the cumulative stake of some prefix of rows */
            minority = 0;
            for (size_t r = 0, k = yc_nx(&sd) % (M + 1); r < k; r++)
                minority += st[r];
            break;
        default:
            minority = (int64_t)(yc_nx(&sd) % ((uint64_t)total + 1));
        }
        for (size_t t = 0; t < L; t++) {
            for (size_t r = 0; r < M; r++)
                col[r] = (cmed_ref){v[r * ld + t], st[r]};
            want[t] = cmed_by_sort(col, M, minority);
        }
        for (int vec = 0; vec < 2; vec++) {
            if (vec && !tsr__yv_available())
                break;
            memset(got, 0x5A, sizeof got);
            tsr__yv_cmed_block(M, L, ld, v, st, minority, got, vec != 0);
            for (size_t t = 0; t < L; t++)
                ck_assert_msg(got[t] == want[t], "cmed vec %d M %zu L %zu col %zu: %lld, want %lld",
                              vec, M, L, t, (long long)got[t], (long long)want[t]);
            for (size_t t = L; t < MAXL; t++)
                ck_assert_msg(got[t] == 0x5A5A5A5A5A5A5A5ALL, "cmed vec %d wrote past L", vec);
        }
    }
}
END_TEST

void yuma_add_fast_path_tests(TCase *tc)
{
    tcase_add_loop_test(tc, test_div_in, 0, 2);
    tcase_add_loop_test(tc, test_mul64, 0, 2);
    tcase_add_loop_test(tc, test_epoch_vs_ref, 0, 8);
    tcase_add_loop_test(tc, test_clip_drop_aligned, 0, 4);
    tcase_add_loop_test(tc, test_stored_bonds_mask, 0, 4);
    tcase_add_loop_test(tc, test_vec_kernels, 0, 4);
    tcase_add_loop_test(tc, test_vec_lo0, 0, 4);
    tcase_add_loop_test(tc, test_vec_pack, 0, 2);
    tcase_add_loop_test(tc, test_vec_y3, 0, 4);
    tcase_add_loop_test(tc, test_vec_loads, 0, 4);
    tcase_add_loop_test(tc, test_vec_cmed_block, 0, 2);
    tcase_add_test(tc, test_out_bind);
}
