/* test_hand.c: small epochs whose outputs are computed by hand from the spec text (spec
 * bittensor §2, §4 TV15, §5; FORMAT.md §1.6/§1.8), run through tsr_yuma_epoch directly.
 *
 * Expected values are either numbers printed in the spec/FORMAT documents or closed-form
 * integer expressions written here from the spec's definitions (u16 proportion =
 * floor(u * 2^32 / 65535), quantisation = floor(x * 65535 / 2^32), products floored), never
 * values copied from the program's own output.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "tsr_err.h"
#include "tsr_yuma.h"
#include "yuma_tests.h"

#define ONE   ((int64_t)1 << 32)
#define MAXN  16
#define MAXRP 16

/* A hand-built epoch: state, rows kept per uid, and every output buffer. */
typedef struct ep {
    tsr_yuma_params p;
    size_t n;
    uint64_t block, lms;
    uint64_t stake[MAXN], lu[MAXN], bar[MAXN];
    bool permit[MAXN];
    uint64_t commit[MAXN];
    bool use_commit;
    tsr_yuma_pair wrow[MAXN][MAXRP], brow[MAXN][MAXRP];
    size_t wlen[MAXN], blen[MAXN];
    /* CSR built by ep_run */
    size_t wptr[MAXN + 1], bptr[MAXN + 1];
    tsr_yuma_pair w[MAXN * MAXRP], b[MAXN * MAXRP];
    /* outputs */
    uint16_t cons[MAXN], inc[MAXN], div[MAXN], vt[MAXN], sw[MAXN];
    bool np[MAXN], act[MAXN];
    uint64_t em[MAXN], se[MAXN], ve[MAXN], st[MAXN];
    size_t obptr[MAXN + 1];
    tsr_yuma_pair ob[2 * MAXN * MAXRP];
    tsr_i32f32 rs[MAXN], ras[MAXN], rc[MAXN], ri[MAXN], rd[MAXN], rv[MAXN];
    tsr_yuma_out out;
} ep;

/* The upstream mock's values (spec §4 conventions): kappa 32767, bma 900000, bonds penalty
 * 65535, original Yuma, no owner, all n may validate, tempo 1, cutoff 13, 1e9 rao. */
static ep *ep_new(size_t n)
{
    ep *e = calloc(1, sizeof *e);
    tsr_yuma_params_default(&e->p);
    e->p.yuma3 = false;
    e->p.tempo = 1;
    e->p.activity_cutoff = 13;
    e->p.max_allowed_validators = (uint16_t)n;
    e->n = n;
    return e;
}

static void ep_weights(ep *e, size_t i, size_t cnt, const uint16_t *uid_val)
{
    e->wlen[i] = cnt;
    for (size_t k = 0; k < cnt; k++) {
        e->wrow[i][k].uid = uid_val[2 * k];
        e->wrow[i][k].value = uid_val[2 * k + 1];
    }
}

static void ep_bonds(ep *e, size_t i, size_t cnt, const uint16_t *uid_val)
{
    e->blen[i] = cnt;
    for (size_t k = 0; k < cnt; k++) {
        e->brow[i][k].uid = uid_val[2 * k];
        e->brow[i][k].value = uid_val[2 * k + 1];
    }
}

static int ep_run(ep *e, uint64_t rao)
{
    size_t n = e->n, kw = 0, kb = 0;
    e->wptr[0] = e->bptr[0] = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < e->wlen[i]; k++)
            e->w[kw++] = e->wrow[i][k];
        for (size_t k = 0; k < e->blen[i]; k++)
            e->b[kb++] = e->brow[i][k];
        e->wptr[i + 1] = kw;
        e->bptr[i + 1] = kb;
    }
    tsr_yuma_state s;
    memset(&s, 0, sizeof s);
    s.n = n;
    s.current_block = e->block;
    s.last_mechanism_step_block = e->lms;
    s.alpha_stake = e->stake;
    s.last_update = e->lu;
    s.block_at_registration = e->bar;
    s.validator_permit = e->permit;
    s.weights.row_ptr = e->wptr;
    s.weights.pairs = e->w;
    s.bonds.row_ptr = e->bptr;
    s.bonds.pairs = e->b;
    tsr_yuma_out *o = &e->out;
    memset(o, 0, sizeof *o);
    o->consensus = e->cons;
    o->incentive = e->inc;
    o->dividends = e->div;
    o->validator_trust = e->vt;
    o->stake_weight = e->sw;
    o->validator_permit = e->np;
    o->active = e->act;
    o->emission = e->em;
    o->server_emission = e->se;
    o->validator_emission = e->ve;
    o->stake = e->st;
    o->bonds_row_ptr = e->obptr;
    o->bonds = e->ob;
    o->bonds_cap = tsr_yuma_bonds_cap(n, kw, kb);
    o->raw_stake = e->rs;
    o->raw_active_stake = e->ras;
    o->raw_consensus = e->rc;
    o->raw_incentive = e->ri;
    o->raw_dividends = e->rd;
    o->raw_validator_trust = e->rv;
    size_t wsz = tsr_yuma_ws_size(n, kw, kb);
    void *ws = malloc(wsz);
    memset(ws, 0xA5, wsz); /* the epoch must not depend on the workspace's old contents */
    int rc = e->use_commit ? tsr_yuma_epoch_cr(&e->p, &s, e->commit, rao, o, ws, wsz)
                           : tsr_yuma_epoch(&e->p, &s, rao, o, ws, wsz);
    free(ws);
    return rc;
}

/* The stored-row pair of (row, col), or -1. */
static long bond_of(const ep *e, size_t row, uint16_t col)
{
    for (size_t q = e->obptr[row]; q < e->obptr[row + 1]; q++)
        if (e->ob[q].uid == col)
            return e->ob[q].value;
    return -1;
}

static uint16_t q16(int64_t raw) /* fixed_proportion_to_u16 for 0 <= raw <= 2^32 (spec §1.3) */
{
    return (uint16_t)(((uint64_t)raw * 65535u) >> 32);
}

static int64_t prop(uint16_t u) /* u16_proportion_to_fixed (spec §1.3) */
{
    return (int64_t)(((uint64_t)u << 32) / 65535u);
}

static int64_t fmul(int64_t a, int64_t b) /* floor product, non-negative operands < 2^32 + 1 */
{
    return (int64_t)(((uint64_t)a * (uint64_t)b) >> 32);
}

/* ---- FORMAT §1.8 example, with the full line of §1.6 ----------------------------------------- */

START_TEST(test_format_example)
{
    ep *e = ep_new(3);
    e->p.tempo = 360;
    e->p.activity_cutoff = 5000;
    e->p.max_allowed_validators = 64;
    uint64_t st[3] = {3, 1, 0};
    for (size_t i = 0; i < 3; i++) {
        e->stake[i] = st[i];
        e->lu[i] = e->bar[i] = 1;
    }
    /* Step 0, block 1: no permits yet, so the stake fallback (spec §2.14). */
    e->block = 1;
    ck_assert_int_eq(ep_run(e, 1000000000), TSR_OK);
    ck_assert(e->np[0] && e->np[1] && !e->np[2]);
    ck_assert_uint_eq(e->em[0], 750000000); /* floor(3 * 2^32 / 4) * 1e9 / 2^32 */
    ck_assert_uint_eq(e->em[1], 250000000);
    ck_assert_uint_eq(e->em[2], 0);
    ck_assert_uint_eq(e->obptr[3], 0);
    /* Step 1, block 2: the §1.6 example line. */
    memcpy(e->permit, e->np, sizeof e->permit);
    e->block = 2;
    ep_weights(e, 0, 1, (const uint16_t[]){2, 65535});
    ep_weights(e, 1, 2, (const uint16_t[]){2, 65535, 0, 0});
    e->lu[0] = e->lu[1] = 2;
    ck_assert_int_eq(ep_run(e, 1000000000), TSR_OK);
    const uint16_t cons[3] = {0, 0, 65535}, inc[3] = {0, 0, 65535}, div[3] = {49151, 16383, 0},
                   vt[3] = {65535, 65535, 0};
    const uint64_t em[3] = {375000000, 124999999, 500000000};
    for (size_t i = 0; i < 3; i++) {
        ck_assert_uint_eq(e->cons[i], cons[i]);
        ck_assert_uint_eq(e->inc[i], inc[i]);
        ck_assert_uint_eq(e->div[i], div[i]);
        ck_assert_uint_eq(e->vt[i], vt[i]);
        ck_assert_uint_eq(e->em[i], em[i]);
    }
    ck_assert(e->np[0] && e->np[1] && !e->np[2]);
    ck_assert_uint_eq(e->obptr[1], 1);
    ck_assert_uint_eq(e->obptr[2], 2);
    ck_assert_uint_eq(e->obptr[3], 2);
    ck_assert_int_eq(bond_of(e, 0, 2), 65535);
    ck_assert_int_eq(bond_of(e, 1, 2), 21844); /* FORMAT §1.8: a third of the maximum, floored */
    /* Step 2, block 3: uid 2 re-registers; both weights to it become outdated (spec §2.6.4). */
    memcpy(e->permit, e->np, sizeof e->permit);
    e->block = 3;
    e->bar[2] = e->lu[2] = 3;
    e->wrow[0][0].value = 0; /* replace_neuron zeroes weights to the uid, in place */
    e->wrow[1][0].value = 0;
    e->blen[0] = e->blen[1] = 0;
    for (size_t i = 0; i < 2; i++) { /* carry the stored bonds */
        for (size_t q = e->obptr[i]; q < e->obptr[i + 1]; q++)
            e->brow[i][e->blen[i]++] = e->ob[q];
    }
    ck_assert_int_eq(ep_run(e, 1000000000), TSR_OK);
    for (size_t i = 0; i < 3; i++)
        ck_assert_uint_eq(e->cons[i], 0);
    ck_assert_uint_eq(e->em[0], 750000000);
    ck_assert_uint_eq(e->em[1], 250000000);
    ck_assert_uint_eq(e->em[2], 0);
    free(e);
}
END_TEST

/* ---- spec §2.3 and TV15 ---------------------------------------------------------------------- */

START_TEST(test_stake_example)
{
    /* spec §2.3 example: stakes [1,2,3,4] give raw [429496729, 858993459, 1288490188, 1717986918].
     */
    ep *e = ep_new(4);
    for (size_t i = 0; i < 4; i++) {
        e->stake[i] = i + 1;
        e->lu[i] = e->bar[i] = 1;
    }
    e->block = 1;
    ck_assert_int_eq(ep_run(e, 1000000000), TSR_OK);
    const int64_t want[4] = {429496729, 858993459, 1288490188, 1717986918};
    for (size_t i = 0; i < 4; i++) {
        ck_assert_int_eq(e->rs[i], want[i]);
        ck_assert_uint_eq(e->sw[i], q16(want[i]));
        ck_assert_uint_eq(e->st[i], i + 1);
        ck_assert(e->act[i]);
    }
    free(e);
}
END_TEST

START_TEST(test_tv15_block2)
{
    /* spec §4 TV15 at block 2: the derived raw intermediates and the upstream bonds. */
    ep *e = ep_new(8);
    const uint64_t st[8] = {1, 2, 3, 4, 0, 0, 0, 0};
    for (size_t i = 0; i < 8; i++) {
        e->stake[i] = st[i];
        e->bar[i] = 1;
        e->lu[i] = i < 4 ? 2 : 1;
        e->permit[i] = i < 4;
    }
    for (size_t i = 0; i < 4; i++)
        ep_weights(e, i, 4, (const uint16_t[]){4, 16383, 5, 32767, 6, 49149, 7, 65535});
    e->block = 2;
    ck_assert_int_eq(ep_run(e, 1000000000), TSR_OK);
    const int64_t stake[4] = {429496729, 858993459, 1288490188, 1717986918};
    const int64_t w[4] = {429486243, 858998702, 1288458730, 1718023619};
    const int64_t I[8] = {0, 0, 0, 0, 429486242, 858998702, 1288458729, 1718023621};
    const int64_t D[8] = {429496720, 858993452, 1288490194, 1717986928, 0, 0, 0, 0};
    const uint16_t Iu[8] = {0, 0, 0, 0, 6553, 13107, 19660, 26214};
    const uint16_t Du[8] = {6553, 13106, 19660, 26214, 0, 0, 0, 0};
    const uint64_t E[8] = {49999998, 99999999,  150000000, 200000001,
                           49998779, 100000610, 149996337, 200004272};
    for (size_t i = 0; i < 8; i++) {
        ck_assert_int_eq(e->rs[i], i < 4 ? stake[i] : 0);
        ck_assert_int_eq(e->ras[i], i < 4 ? stake[i] : 0);
        ck_assert_int_eq(e->rc[i], i < 4 ? 0 : w[i - 4]);
        ck_assert_int_eq(e->ri[i], I[i]);
        ck_assert_int_eq(e->rd[i], D[i]);
        ck_assert_uint_eq(e->inc[i], Iu[i]);
        ck_assert_uint_eq(e->div[i], Du[i]);
        ck_assert_uint_eq(e->em[i], E[i]);
        ck_assert_int_eq(e->rv[i], i < 4 ? 4294967294 : 0);
        ck_assert_uint_eq(e->vt[i], i < 4 ? 65534 : 0);
    }
    /* Bonds: upstream asserts on column 4, the derived max-upscaled EMA rows for all columns. */
    const int64_t ema[4][4] = {{1073741797, 1073741804, 1073741797, 1073741797},
                               {2147483623, 2147483635, 2147483623, 2147483623},
                               {3221225445, 3221225464, 3221225470, 3221225470},
                               {ONE, ONE, ONE, ONE}};
    const long col4[4] = {16383, 32767, 49151, 65535};
    for (size_t i = 0; i < 4; i++) {
        ck_assert_int_eq(bond_of(e, i, 4), col4[i]);
        ck_assert_uint_eq(e->obptr[i + 1] - e->obptr[i], 4);
        for (uint16_t j = 4; j < 8; j++)
            ck_assert_int_eq(bond_of(e, i, j), q16(ema[i][j - 4]));
    }
    for (size_t i = 4; i < 8; i++)
        ck_assert_uint_eq(e->obptr[i + 1], e->obptr[i]); /* no permit, no bonds */
    free(e);
}
END_TEST

/* ---- permits (spec §2.4) --------------------------------------------------------------------- */

START_TEST(test_permit_ties)
{
    ep *e = ep_new(4);
    e->p.max_allowed_validators = 2;
    for (size_t i = 0; i < 4; i++) {
        e->stake[i] = 5;
        e->lu[i] = e->bar[i] = 1;
    }
    e->block = 1;
    ck_assert_int_eq(ep_run(e, 1000), TSR_OK);
    /* Among equal stakes the higher uid wins (stable ascending sort, first n-k dropped). */
    ck_assert(!e->np[0] && !e->np[1] && e->np[2] && e->np[3]);
    e->stake[3] = 0;
    ck_assert_int_eq(ep_run(e, 1000), TSR_OK);
    ck_assert(!e->np[0] && e->np[1] && e->np[2] && !e->np[3]);
    /* n < k: every non-zero stake gets a permit, zero never does. */
    e->p.max_allowed_validators = 9;
    ck_assert_int_eq(ep_run(e, 1000), TSR_OK);
    ck_assert(e->np[0] && e->np[1] && e->np[2] && !e->np[3]);
    /* k = 0 (n >= k): nobody. */
    e->p.max_allowed_validators = 0;
    ck_assert_int_eq(ep_run(e, 1000), TSR_OK);
    ck_assert(!e->np[0] && !e->np[1] && !e->np[2] && !e->np[3]);
    /* The owner is forced in, even with zero stake and k = 0. */
    e->p.owner_uid = 3;
    ck_assert_int_eq(ep_run(e, 1000), TSR_OK);
    ck_assert(!e->np[0] && !e->np[1] && !e->np[2] && e->np[3]);
    free(e);
}
END_TEST

/* ---- owner (spec §2.3, §2.4, §2.6.3) --------------------------------------------------------- */

START_TEST(test_owner_self_weight)
{
    /* uid 0 holds all stake and weights only itself; its old permit is false. */
    for (int owner = 0; owner < 2; owner++) {
        ep *e = ep_new(2);
        e->stake[0] = 7;
        e->lu[0] = 2;
        e->lu[1] = e->bar[0] = e->bar[1] = 1;
        e->block = 2;
        ep_weights(e, 0, 1, (const uint16_t[]){0, 65535});
        if (owner)
            e->p.owner_uid = 0;
        ck_assert_int_eq(ep_run(e, 1000000000), TSR_OK);
        if (owner) {
            /* Owner: old permit forced, self-weight kept -> consensus and incentive 1.0. */
            ck_assert_int_eq(e->ras[0], ONE);
            ck_assert_int_eq(e->rc[0], ONE);
            ck_assert_uint_eq(e->cons[0], 65535);
            ck_assert_uint_eq(e->inc[0], 65535);
            ck_assert_uint_eq(e->vt[0], 65535);
            ck_assert_int_eq(e->rd[0], ONE); /* its own bond carries all dividends */
            ck_assert_uint_eq(e->se[0], 500000000);
            ck_assert_uint_eq(e->ve[0], 500000000);
            ck_assert_uint_eq(e->em[0], 1000000000);
            ck_assert(e->np[0] && !e->np[1]);
        } else {
            /* No owner: forbidden row, no active stake, self-weight dropped: stake fallback. */
            ck_assert_int_eq(e->ras[0], 0);
            ck_assert_uint_eq(e->cons[0], 0);
            ck_assert_uint_eq(e->inc[0], 0);
            ck_assert_uint_eq(e->se[0], 0);
            ck_assert_uint_eq(e->ve[0], 1000000000);
            ck_assert_uint_eq(e->em[0], 1000000000);
        }
        free(e);
    }
}
END_TEST

START_TEST(test_stake_threshold)
{
    /* threshold 10: stakes [5, 20, 30]; the owner (uid 0) is exempt (spec §2.3 step 3). */
    for (int owner = 0; owner < 2; owner++) {
        ep *e = ep_new(3);
        e->p.stake_threshold = 10;
        if (owner)
            e->p.owner_uid = 0;
        const uint64_t st[3] = {5, 20, 30};
        for (size_t i = 0; i < 3; i++) {
            e->stake[i] = st[i];
            e->lu[i] = e->bar[i] = 1;
        }
        e->block = 1;
        ck_assert_int_eq(ep_run(e, 1000000000), TSR_OK);
        uint64_t total = owner ? 55 : 50;
        for (size_t i = 0; i < 3; i++) {
            uint64_t s = (i == 0 && !owner) ? 0 : st[i];
            /* Nested floors of I64F64 then I32F32 equal one floor: s * 2^32 / total. */
            ck_assert_int_eq(e->rs[i], (int64_t)((s << 32) / total));
            ck_assert_uint_eq(e->st[i], st[i]); /* raw stake before the threshold */
        }
        ck_assert(e->np[0] == (owner == 1));
        free(e);
    }
}
END_TEST

/* ---- zero weights and the stake fallback (spec §2.6.6, §2.14, §5) ---------------------------- */

START_TEST(test_zero_weights)
{
    ep *e = ep_new(3);
    e->stake[0] = 3;
    e->stake[1] = 1;
    for (size_t i = 0; i < 3; i++) {
        e->lu[i] = 2;
        e->bar[i] = 1;
        e->permit[i] = i < 2;
    }
    e->block = 2;
    ep_weights(e, 0, 1, (const uint16_t[]){2, 0});
    ep_weights(e, 1, 2, (const uint16_t[]){2, 0, 0, 0});
    ck_assert_int_eq(ep_run(e, 1000), TSR_OK);
    /* Zero pairs stay (row sum 0 skips normalisation), consensus 0, no incentive: the
     * validator emission falls back to the active stake. */
    for (size_t i = 0; i < 3; i++) {
        ck_assert_uint_eq(e->cons[i], 0);
        ck_assert_uint_eq(e->inc[i], 0);
        ck_assert_uint_eq(e->se[i], 0);
    }
    ck_assert_uint_eq(e->ve[0], 750);
    ck_assert_uint_eq(e->ve[1], 250);
    ck_assert_uint_eq(e->em[0], 750);
    /* Active stake zero (all inactive): the fallback is the plain normalised stake. */
    e->block = 100;
    ck_assert_int_eq(ep_run(e, 1000), TSR_OK);
    ck_assert(!e->act[0] && !e->act[1]);
    ck_assert_uint_eq(e->ve[0], 750);
    ck_assert_uint_eq(e->em[1], 250);
    free(e);
}
END_TEST

START_TEST(test_outdated_same_block)
{
    /* spec §2.6.4: a weight set in the very block of the target's registration is outdated
     * (LastUpdate <= BlockAtRegistration); one block later it counts. */
    ep *e = ep_new(3);
    e->stake[0] = 1;
    e->permit[0] = true;
    e->bar[0] = 1;
    e->bar[1] = 5;
    e->bar[2] = 4;
    e->lu[0] = 5;
    e->lu[1] = 5;
    e->lu[2] = 4;
    e->block = 5;
    ep_weights(e, 0, 2, (const uint16_t[]){1, 65535, 2, 65535});
    ck_assert_int_eq(ep_run(e, 1000), TSR_OK);
    ck_assert_int_eq(e->rc[1], 0);
    ck_assert_int_eq(e->rc[2], ONE); /* the surviving pair is normalised alone */
    ck_assert_uint_eq(e->cons[2], 65535);
    ck_assert_uint_eq(e->se[2], 500);
    e->lu[0] = 6;
    e->block = 6;
    ck_assert_int_eq(ep_run(e, 1000), TSR_OK);
    ck_assert_int_eq(e->rc[1], ONE / 2);
    ck_assert_int_eq(e->rc[2], ONE / 2);
    free(e);
}
END_TEST

START_TEST(test_bonds_penalty)
{
    /* Yuma3 with fixed alpha 1 (bma 0) and no old bonds stores q16(Wb) itself (spec §2.13.2), so
     * the bonds show Wb = interpolate(W, Wc, bp) (spec §2.10). Stakes 0.75 / 0.25; uid 0 weights
     * column 2, uid 1 splits between 2 and 3. Consensus: C_2 = 1, C_3 = 0, so uid 1's pair on
     * column 3 is clipped away (Wc drops it). */
    const uint16_t bps[3] = {0, 32768, 65535};
    for (int c = 0; c < 3; c++) {
        ep *e = ep_new(4);
        e->p.yuma3 = true;
        e->p.bonds_moving_average = 0;
        e->p.bonds_penalty = bps[c];
        e->stake[0] = 3;
        e->stake[1] = 1;
        e->permit[0] = e->permit[1] = true;
        for (size_t i = 0; i < 4; i++) {
            e->lu[i] = 10;
            e->bar[i] = 0;
        }
        e->block = 10;
        ep_weights(e, 0, 1, (const uint16_t[]){2, 65535});
        ep_weights(e, 1, 2, (const uint16_t[]){3, 65535, 2, 65535}); /* submission order 3, 2 */
        ck_assert_int_eq(ep_run(e, 1000), TSR_OK);
        ck_assert_int_eq(e->rc[2], ONE);
        ck_assert_int_eq(e->rc[3], 0);
        ck_assert_int_eq(bond_of(e, 0, 2), 65535);
        ck_assert_int_eq(bond_of(e, 1, 2), 32767); /* q16(0.5) */
        /* The fixed-alpha EMA densifies each row: ascending columns whatever Wb's order. */
        ck_assert_uint_eq(e->ob[e->obptr[1]].uid, 2);
        if (c == 0) { /* bp = 0: W itself */
            ck_assert_int_eq(bond_of(e, 1, 3), 32767);
        } else if (c == 2) { /* bp = 1: Wc, the clipped pair gone */
            ck_assert_int_eq(bond_of(e, 1, 3), -1);
        } else { /* 0.5 + bp (*) (0 - 0.5), bp = floor(32768 * 2^32 / 65535), ascending order */
            int64_t bp = prop(32768);
            int64_t v = ONE / 2 - bp / 2; /* floor(-bp * 2^31 / 2^32) = -bp/2 (bp even) */
            ck_assert_int_eq(bp % 2, 0);
            ck_assert_int_eq(bond_of(e, 1, 3), q16(v));
        }
        free(e);
    }
}
END_TEST

START_TEST(test_commit_reveal_mask)
{
    /* spec §2.6.5: with commit-reveal on, (i, j) is dropped when i's earliest active commit
     * block is before j's registration; UINT64_MAX means no active commit (nothing dropped). */
    ep *e = ep_new(3);
    e->stake[0] = 1;
    e->permit[0] = true;
    e->bar[0] = 1;
    e->bar[1] = 7;
    e->bar[2] = 3;
    for (size_t i = 0; i < 3; i++)
        e->lu[i] = 9;
    e->block = 9;
    ep_weights(e, 0, 2, (const uint16_t[]){1, 65535, 2, 65535});
    ck_assert_int_eq(ep_run(e, 1000), TSR_OK); /* commit-reveal off: both count */
    ck_assert_int_eq(e->rc[1], ONE / 2);
    e->use_commit = true;
    e->commit[0] = 6; /* committed at 6: before uid 1 registered (7), after uid 2 (3) */
    e->commit[1] = e->commit[2] = UINT64_MAX;
    ck_assert_int_eq(ep_run(e, 1000), TSR_OK);
    ck_assert_int_eq(e->rc[1], 0);
    ck_assert_int_eq(e->rc[2], ONE);
    e->commit[0] = 7; /* not before: kept */
    ck_assert_int_eq(ep_run(e, 1000), TSR_OK);
    ck_assert_int_eq(e->rc[1], ONE / 2);
    e->commit[0] = UINT64_MAX;
    ck_assert_int_eq(ep_run(e, 1000), TSR_OK);
    ck_assert_int_eq(e->rc[1], ONE / 2);
    free(e);
}
END_TEST

/* ---- bond mask (spec §2.11) ------------------------------------------------------------------ */

START_TEST(test_bond_mask)
{
    /* Original Yuma, no weights: the EMA is (1 - alpha) * column-normalised B, then max-upscaled:
     * a surviving single bond is stored as 65535, a masked one disappears. */
    ep *e = ep_new(3);
    e->p.tempo = 10;
    e->stake[0] = 1;
    for (size_t i = 0; i < 3; i++)
        e->lu[i] = 50;
    e->permit[0] = true;
    ep_bonds(e, 0, 2, (const uint16_t[]){1, 30000, 2, 40000});
    e->bar[1] = 89; /* registered before last_tempo = 100 - 10 = 90: kept */
    e->bar[2] = 90; /* last_tempo <= 90: masked */
    e->block = 100;
    e->p.activity_cutoff = 1000;
    ck_assert_int_eq(ep_run(e, 1000), TSR_OK);
    ck_assert_int_eq(bond_of(e, 0, 1), 65535);
    ck_assert_int_eq(bond_of(e, 0, 2), -1);
    /* With LastMechansimStepBlock set, last_tempo = lms + 1. */
    e->lms = 88; /* last_tempo 89 <= bar[1]: both masked */
    ck_assert_int_eq(ep_run(e, 1000), TSR_OK);
    ck_assert_uint_eq(e->obptr[1], 0);
    e->lms = 89; /* last_tempo 90: column 1 kept, column 2 masked */
    ck_assert_int_eq(ep_run(e, 1000), TSR_OK);
    ck_assert_int_eq(bond_of(e, 0, 1), 65535);
    ck_assert_int_eq(bond_of(e, 0, 2), -1);
    free(e);
}
END_TEST

/* ---- Yuma3 liquid alpha (spec §2.13.2, §5 item 4) -------------------------------------------- */

/* One validator (uid 0, permit, all stake) and two miners, Yuma3 with liquid alpha. */
static ep *lq_setup(void)
{
    ep *e = ep_new(3);
    e->p.yuma3 = true;
    e->p.liquid_alpha = true;
    e->stake[0] = 1;
    e->permit[0] = true;
    for (size_t i = 0; i < 3; i++) {
        e->lu[i] = 10;
        e->bar[i] = 0;
    }
    e->block = 10;
    return e;
}

START_TEST(test_liquid_dropped_vs_decayed)
{
    /* alpha_low == alpha_high makes every alpha exactly that value (clamp). A bond whose column
     * has no pair in the weights row is dropped; a zero-valued pair keeps it decaying. */
    const uint16_t b1 = 16384, b2 = 32768;
    int64_t a = prop(20000);
    for (int with_zero = 0; with_zero < 2; with_zero++) {
        ep *e = lq_setup();
        e->p.alpha_low = e->p.alpha_high = 20000;
        if (with_zero)
            ep_weights(e, 0, 2, (const uint16_t[]){1, 65535, 2, 0});
        else
            ep_weights(e, 0, 1, (const uint16_t[]){1, 65535});
        ep_bonds(e, 0, 2, (const uint16_t[]){2, b2, 1, b1});
        ck_assert_int_eq(ep_run(e, 1000), TSR_OK);
        ck_assert_int_eq(e->rc[1], ONE); /* consensus on column 1 is non-zero: liquid alpha */
        int64_t v1 = fmul(ONE - a, prop(b1)) + fmul(a, ONE);
        if (v1 > ONE)
            v1 = ONE;
        ck_assert_int_eq(bond_of(e, 0, 1), q16(v1));
        if (with_zero) {
            ck_assert_int_eq(bond_of(e, 0, 2), q16(fmul(ONE - a, prop(b2))));
            ck_assert_uint_eq(e->ob[1].uid, 2); /* Wb order: (1, .), (2, .) */
        } else {
            ck_assert_int_eq(bond_of(e, 0, 2), -1);
        }
        free(e);
    }
}
END_TEST

/* alpha_sigmoid written from spec §2.13.2 with the core's fixed-point primitives. */
static int64_t alpha_ref(int64_t c, int64_t w, int64_t b, int64_t low, int64_t high, int64_t steep)
{
    int64_t buy = tsr_i32f32_sat_sub(w, c), sell = tsr_i32f32_sat_sub(b, w);
    buy = buy > ONE ? ONE : (buy < 0 ? 0 : buy);
    sell = sell > ONE ? ONE : (sell < 0 ? 0 : sell);
    int64_t d = w >= b ? buy : sell;
    int64_t k = tsr_i32f32_sat_div(steep * ONE, -100 * ONE);
    int64_t x = tsr_i32f32_sat_mul(k, tsr_i32f32_sat_sub(d, ONE / 2));
    int64_t s = tsr_i32f32_sat_div(ONE, tsr_i32f32_sat_add(ONE, tsr_i32f32_exp_safe(x)));
    int64_t al = tsr_i32f32_sat_add(low, tsr_i32f32_sat_mul(s, tsr_i32f32_sat_sub(high, low)));
    al = al > high ? high : al;
    return al < low ? low : al;
}

START_TEST(test_liquid_unsorted_row)
{
    /* Weights row [(2, 65535), (1, 32768)]: the chain's column cursor passes column 1 before it
     * reaches that pair, so column 1's alpha sees weight 0 (and, with bond b1 > 0, the "sell"
     * branch d = b1); sorted, it sees the real weight and d = 0. */
    const uint16_t b1 = 6553;
    int64_t w2 = (int64_t)(((uint64_t)65535 << 32) / 98303);
    int64_t w1 = (int64_t)(((uint64_t)32768 << 32) / 98303);
    int64_t low = prop(45875), high = prop(58982);
    int64_t a_hidden = alpha_ref(w1, 0, prop(b1), low, high, 1000);
    int64_t a_seen = alpha_ref(w1, w1, prop(b1), low, high, 1000);
    ck_assert_int_ne(a_hidden, a_seen); /* the case discriminates */
    for (int sorted = 0; sorted < 2; sorted++) {
        ep *e = lq_setup();
        if (sorted)
            ep_weights(e, 0, 2, (const uint16_t[]){1, 32768, 2, 65535});
        else
            ep_weights(e, 0, 2, (const uint16_t[]){2, 65535, 1, 32768});
        ep_bonds(e, 0, 1, (const uint16_t[]){1, b1});
        ck_assert_int_eq(ep_run(e, 1000), TSR_OK);
        ck_assert_int_eq(e->rc[1], w1);
        ck_assert_int_eq(e->rc[2], w2);
        int64_t a = sorted ? a_seen : a_hidden;
        int64_t v1 = fmul(ONE - a, prop(b1)) + fmul(a, w1);
        ck_assert_int_eq(bond_of(e, 0, 1), q16(v1 > ONE ? ONE : v1));
        /* Column 2 (a running maximum in both orders, no bond): d = clamp(w2 - c2) = 0. */
        int64_t a2 = alpha_ref(w2, w2, 0, low, high, 1000);
        ck_assert_int_eq(bond_of(e, 0, 2), q16(fmul(a2, w2)));
        /* Stored in the weights row's order (no re-sorting). */
        ck_assert_uint_eq(e->ob[0].uid, sorted ? 1 : 2);
        free(e);
    }
}
END_TEST

/* ---- errors and workspace -------------------------------------------------------------------- */

START_TEST(test_errors)
{
    ep *e = ep_new(3);
    for (size_t i = 0; i < 3; i++)
        e->lu[i] = e->bar[i] = 1;
    e->block = 1;
    ck_assert_int_eq(ep_run(e, 1), TSR_OK);
    /* A bond column >= n is malformed input. */
    ep_bonds(e, 0, 1, (const uint16_t[]){3, 1});
    ck_assert_int_eq(ep_run(e, 1), TSR_EINVAL);
    e->blen[0] = 0;
    /* A weight column >= n is ignored, as on chain (spec §2.6.1). */
    ep_weights(e, 0, 1, (const uint16_t[]){7, 65535});
    ck_assert_int_eq(ep_run(e, 1), TSR_OK);

    tsr_yuma_state s;
    memset(&s, 0, sizeof s);
    tsr_yuma_out o;
    memset(&o, 0, sizeof o);
    tsr_yuma_params p;
    tsr_yuma_params_default(&p);
    char ws[64];
    ck_assert_int_eq(tsr_yuma_epoch(&p, &s, 1, &o, NULL, 0), TSR_OK); /* n = 0 */
    ck_assert_int_eq(tsr_yuma_epoch(NULL, &s, 1, &o, ws, sizeof ws), TSR_EINVAL);
    s.n = TSR_YUMA_MAX_N + 1;
    ck_assert_int_eq(tsr_yuma_epoch(&p, &s, 1, &o, ws, sizeof ws), TSR_EINVAL);
    ck_assert_uint_eq(tsr_yuma_ws_size(TSR_YUMA_MAX_N + 1, 0, 0), 0);
    uint64_t v[2] = {1, 1}, lu[2] = {2, 2};
    s.n = 2;
    s.alpha_stake = v;
    s.last_update = lu;
    s.block_at_registration = NULL;
    ck_assert_int_eq(tsr_yuma_epoch(&p, &s, 1, &o, ws, sizeof ws), TSR_EINVAL);
    s.block_at_registration = v;
    size_t bad_ptr[3] = {0, 2, 1};
    tsr_yuma_pair pairs[2] = {{1, 1}, {0, 1}};
    s.weights.row_ptr = bad_ptr;
    s.weights.pairs = pairs;
    ck_assert_int_eq(tsr_yuma_epoch(&p, &s, 1, &o, ws, sizeof ws), TSR_EINVAL);
    s.weights.row_ptr = NULL;
    ck_assert_int_eq(tsr_yuma_epoch(&p, &s, 1, &o, ws, sizeof ws), TSR_ECAPACITY); /* tiny ws */
    size_t need = tsr_yuma_ws_size(2, 0, 0);
    void *big = malloc(need);
    ck_assert_int_eq(tsr_yuma_epoch(&p, &s, 1, &o, big, need - 1), TSR_ECAPACITY);
    ck_assert_int_eq(tsr_yuma_epoch(&p, &s, 1, &o, big, need), TSR_OK);
    /* Bonds output too small. */
    size_t optr[3];
    o.bonds_row_ptr = optr;
    o.bonds_cap = 0;
    size_t good_ptr[3] = {0, 1, 1};
    tsr_yuma_pair w1[1] = {{1, 65535}};
    bool permit[2] = {true, false};
    s.validator_permit = permit;
    s.weights.row_ptr = good_ptr;
    s.weights.pairs = w1;
    s.current_block = 2;
    free(big);
    need = tsr_yuma_ws_size(2, 1, 0);
    big = malloc(need);
    ck_assert_int_eq(tsr_yuma_epoch(&p, &s, 1, &o, big, need), TSR_ECAPACITY);
    tsr_yuma_pair ob[1];
    o.bonds = ob;
    o.bonds_cap = 1;
    ck_assert_int_eq(tsr_yuma_epoch(&p, &s, 1, &o, big, need), TSR_OK);
    ck_assert_uint_eq(optr[2], 1);
    free(big);
    free(e);
}
END_TEST

typedef struct counting {
    size_t live; /* bytes currently allocated */
    int fail;    /* refuse allocations */
} counting;

static void *count_alloc(void *ud, void *ptr, size_t old, size_t sz)
{
    counting *c = ud;
    if (sz == 0) {
        c->live -= old;
        free(ptr);
        return NULL;
    }
    if (c->fail)
        return NULL;
    void *p = realloc(ptr, sz);
    if (p)
        c->live += sz - old;
    return p;
}

START_TEST(test_ws_alloc)
{
    counting c = {0, 0};
    tsr_yuma_ws *w = tsr_yuma_ws_new(8, 10, 5, count_alloc, &c);
    ck_assert_ptr_nonnull(w);
    ck_assert_uint_ge(tsr_yuma_ws_bytes(w), tsr_yuma_ws_size(8, 10, 5));
    ck_assert_uint_gt(c.live, tsr_yuma_ws_size(8, 10, 5));
    ck_assert_ptr_nonnull(tsr_yuma_ws_mem(w));
    ck_assert_uint_eq((uintptr_t)tsr_yuma_ws_mem(w) % 16, 0);
    tsr_yuma_ws_free(w);
    ck_assert_uint_eq(c.live, 0);
    c.fail = 1;
    ck_assert_ptr_null(tsr_yuma_ws_new(8, 10, 5, count_alloc, &c));
    tsr_yuma_ws_free(NULL);
    w = tsr_yuma_ws_new(4, 0, 0, NULL, NULL); /* the C library allocator */
    ck_assert_ptr_nonnull(w);
    tsr_yuma_ws_free(w);
    ck_assert_uint_eq(tsr_yuma_bonds_cap(5, 7, 3), 10);
}
END_TEST

Suite *suite_hand(void)
{
    Suite *s = suite_create("hand");
    TCase *tc = tcase_create("epochs");
    tcase_add_test(tc, test_format_example);
    tcase_add_test(tc, test_stake_example);
    tcase_add_test(tc, test_tv15_block2);
    tcase_add_test(tc, test_permit_ties);
    tcase_add_test(tc, test_owner_self_weight);
    tcase_add_test(tc, test_stake_threshold);
    tcase_add_test(tc, test_zero_weights);
    tcase_add_test(tc, test_bond_mask);
    tcase_add_test(tc, test_outdated_same_block);
    tcase_add_test(tc, test_bonds_penalty);
    tcase_add_test(tc, test_commit_reveal_mask);
    tcase_add_test(tc, test_liquid_dropped_vs_decayed);
    tcase_add_test(tc, test_liquid_unsorted_row);
    suite_add_tcase(s, tc);
    TCase *te = tcase_create("errors");
    tcase_add_test(te, test_errors);
    tcase_add_test(te, test_ws_alloc);
    suite_add_tcase(s, te);
    return s;
}
