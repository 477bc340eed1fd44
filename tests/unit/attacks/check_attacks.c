/*
** check_attacks.c: tests of the attack agents inside the bittensor model (agents/attacks).
**
** Expected values are worked out independently of the code under test: the cabal's weights
** rows and the genesis stake of a share by hand; the cabal's capture of the miners' incentive
** from the Yuma rules of spec bittensor §2.7-2.9 on a three-miner subnet (a coalition holding
** more than kappa of the stake sets the consensus of every column alone, so the honest miners'
** column consensus is 0 and clipping removes their rank); the sybil split against the
** linearity of original Yuma bonds in stake (spec §2.12: dividends are sums of I_j times bonds
** that are column-normalised stake-weighted weights); the whale's move against the configured
** block, amount and destination; the copier's advantage with and without commit-reveal against
** the direction of mechanisms.md §6.2 (d); the start/stop switches against the configured
** blocks; bad keys against the README's rules (exit 2, FILE:LINE). Every metric of issue 5 is
** recomputed from the run's database (epochs table, ledger, attack.uid) by this file's own code;
** the sweep's bisection is checked against the exact Kappa crossing 32768/65535 of a cabal, and
** `tokensim report` against the series it draws.
*/
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memrec.h"
#include "tdb.h"
#include "atk.h"
#include "bt_model.h"
#include "btworld.h"
#include "proc.h"
#include "scenario.h"
#include "sim.h"

#define TAO BTW_TAO

/* The in-memory recorder is tests/helpers/memrec.h. */

/* The last row of series `metric` for `entity` (NULL when none). */
static const rec_row *last(const memrec *m, const char *metric, int64_t entity)
{
    const rec_row *f = NULL;
    for (size_t i = 0; i < m->n; i++)
        if (m->rows[i].type == R_SERIES && m->rows[i].entity == entity &&
            !strcmp(m->rows[i].name, metric))
            f = &m->rows[i];
    return f;
}

/* FNV-1a over every recorded row (the determinism check). */
static uint64_t digest(const memrec *m)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < m->n; i++) {
        const rec_row *r = &m->rows[i];
        uint64_t f[6] = {(uint64_t)r->type,  (uint64_t)r->block, (uint64_t)r->entity,
                         (uint64_t)r->value, r->amount,          (uint64_t)r->inc};
        double d = r->real;
        uint64_t dbits;
        memcpy(&dbits, &d, sizeof dbits);
        for (int k = 0; k < 6; k++)
            h = (h ^ f[k]) * 1099511628211ull;
        h = (h ^ dbits) * 1099511628211ull;
        for (const char *p = r->name; *p; p++)
            h = (h ^ (uint8_t)*p) * 1099511628211ull;
    }
    return h;
}

/* ---- a small world ------------------------------------------------------------------------- */

typedef struct world {
    bt_config cfg;
    bt_subnet_config sub[1];
} world;

/* One subnet of 8 uids, tempo 10, no commit-reveal, miners of quality exactly 0.5 registered at
** genesis (uniform on [0.5, 0.5]), no candidates, no costs, validators without noise. */
static void world_tiny(world *w, uint64_t blocks)
{
    memset(w, 0, sizeof *w);
    bt_subnet_config *s = &w->sub[0];
    btw_subnet(s);
    s->tempo = 10, s->max_uids = 8, s->commit_reveal = 0, s->weights_rate_limit = 1;
    s->min_non_immune_uids = 1;
    s->stake_threshold = 100 * TAO; /* miners' earned stake stays out of the consensus */
    s->miners = 2;
    bt_config *c = &w->cfg;
    btw_chain(c, w->sub, 1, blocks);
    c->chain.tao_weight = 0;
    c->validators.honest = 1, c->validators.noise = 0.0, c->validators.noisy_noise = 0.5;
    c->validators.stake = 1000 * TAO, c->validators.stake_spread = 0.0;
    c->validators.take_min = 11796, c->validators.take_max = 11796, c->validators.tao = 10 * TAO;
    c->miners.quality = BT_QUALITY_UNIFORM, c->miners.quality_a = 0.5, c->miners.quality_b = 0.5;
    c->miners.horizon_days = 30, c->miners.check_every = 720, c->miners.patience_days = 0;
    c->miners.genesis_registered = 1, c->miners.tao = TAO;
    c->delegators.stake = 100 * TAO, c->delegators.decide_every = 7200;
    c->delegators.move_delay = 360;
    c->root.stake = 1000 * TAO;
    c->record_every = 50;
    c->epochs_every = 1;
    c->attacks.netuid = 1;
}

static int run_world(world *w, memrec *rec, char *err, size_t errlen)
{
    recorder r = {&memrec_vt, rec};
    return btw_run(&w->cfg, &r, err, errlen);
}

/* ---- decisions by hand --------------------------------------------------------------------- */

/* own_weight 0.2 over own uids {2, 3}: 0.1 each; the single honest uid 1 gets 0.8; scaled to the
** largest: uid 1 65535, uids 2 and 3 round(65535 / 8) = round(8191.875) = 8192. */
START_TEST(cabal_row_by_hand)
{
    bt_pair honest[] = {{1, 65535}, {2, 13107}, {3, 13107}};
    uint8_t own[5] = {0, 0, 1, 1, 0};
    bt_pair out[5];
    uint32_t n = atk_cabal_row(honest, 3, own, 5, 4, 0.2, out);
    ck_assert_uint_eq(n, 3);
    ck_assert_uint_eq(out[0].uid, 1);
    ck_assert_uint_eq(out[0].value, 65535);
    ck_assert_uint_eq(out[1].uid, 2);
    ck_assert_uint_eq(out[1].value, 8192);
    ck_assert_uint_eq(out[2].uid, 3);
    ck_assert_uint_eq(out[2].value, 8192);
    /* own_weight 1: only its own miners, each at the maximum; its own uid (self) never. */
    own[4] = 1;
    n = atk_cabal_row(honest, 3, own, 5, 4, 1.0, out);
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(out[0].uid, 2);
    ck_assert_uint_eq(out[0].value, 65535);
    ck_assert_uint_eq(out[1].uid, 3);
    ck_assert_uint_eq(out[1].value, 65535);
    /* Honest weights 65535 and 21845 on uids 0 and 1 with own_weight 0.5 on uid 2:
    ** w0 = 0.5 * 3/4 = 0.375, w1 = 0.125, w2 = 0.5 -> 49151.25 -> 49151, 16383.75 -> 16384,
    ** 65535. */
    bt_pair h2[] = {{0, 65535}, {1, 21845}};
    uint8_t own2[4] = {0, 0, 1, 0};
    n = atk_cabal_row(h2, 2, own2, 4, 3, 0.5, out);
    ck_assert_uint_eq(n, 3);
    ck_assert_uint_eq(out[0].value, 49151);
    ck_assert_uint_eq(out[1].value, 16384);
    ck_assert_uint_eq(out[2].uid, 2);
    ck_assert_uint_eq(out[2].value, 65535);
    /* Nothing of its own: the observation is submitted unchanged. */
    uint8_t none[4] = {0};
    n = atk_cabal_row(h2, 2, none, 4, 3, 1.0, out);
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(out[1].uid, 1);
    ck_assert_uint_eq(out[1].value, 21845);
}
END_TEST

/* Consensus move: half the L1 distance of the normalised vectors. {1,1,0} -> {0,1,1}: halves
** (0.5, 0.5, 0) against (0, 0.5, 0.5) differ by 0.5 + 0 + 0.5 = 1, so 0.5. A longer vector: {2}
** -> {1,1}: (1) against (0.5, 0.5): 0.5 + 0.5 = 1, so 0.5. {3,1} -> {1,3}: 0.5 + 0.5, so 0.5;
** {1,2} -> {2,4}: the same shares, 0. All zero: 0 (nothing to compare). */
START_TEST(consensus_move_by_hand)
{
    const uint16_t a[] = {1, 1, 0}, b[] = {0, 1, 1}, c[] = {2}, d[] = {1, 1}, e[] = {3, 1},
                   f[] = {1, 3}, g[] = {1, 2}, h[] = {2, 4}, z[] = {0, 0};
    ck_assert(atk_consensus_move(a, 3, b, 3) == 0.5);
    ck_assert(atk_consensus_move(c, 1, d, 2) == 0.5);
    ck_assert(atk_consensus_move(d, 2, c, 1) == 0.5);
    ck_assert(atk_consensus_move(e, 2, f, 2) == 0.5);
    ck_assert(atk_consensus_move(g, 2, h, 2) == 0.0);
    ck_assert(atk_consensus_move(z, 2, h, 2) == 0.0);
    ck_assert(atk_consensus_move(a, 3, a, 3) == 0.0);
}
END_TEST

START_TEST(share_stake_and_median)
{
    ck_assert_uint_eq(atk_share_stake(1000, 0.5), 1000);             /* 1000 of 2000 */
    ck_assert_uint_eq(atk_share_stake(1000 * TAO, 0.6), 1500 * TAO); /* 1500 of 2500 */
    ck_assert_uint_eq(atk_share_stake(10, 0.25), 3);                 /* 10/3 floored */
    ck_assert_uint_eq(atk_share_stake(5, 0.0), 0);
    double a[] = {3.0, 1.0, 2.0}, b[] = {4.0, 1.0, 3.0, 2.0};
    ck_assert(atk_median(a, 3) == 2.0);
    ck_assert(atk_median(b, 4) == 2.5);
    ck_assert(atk_median(NULL, 0) == 0.0);
}
END_TEST

/* ---- the cabal on a tiny subnet ------------------------------------------------------------- */

/* Uids: 0 owner, 1 the honest validator (1000 alpha), 2 the cabal validator (share 0.6 of the
** validator stake: 1500 alpha), 3 the cabal miner (quality 0.1), 4 and 5 honest miners (0.5).
** With the threshold at 100 alpha the epoch's stake is 0.4 / 0.6. Honest rows weight uids 3, 4,
** 5 as 0.1 : 0.5 : 0.5. From block 50 to 150 the cabal puts everything on uid 3. Consensus of
** column 3 is then 1 (the cabal alone holds 0.6 > kappa with weight 1), of columns 4 and 5 it is
** 0 (only 0.4 of the stake weights them), so clipping zeroes the honest rows there: rank and
** incentive are all on uid 3 (Incentive 65535), none on 4 and 5. Before and after the window the
** cabal observes honestly and uids 4 and 5 have more incentive than uid 3. */
START_TEST(cabal_above_kappa_captures_incentive)
{
    world w;
    world_tiny(&w, 260);
    w.cfg.attacks.cabal.on = 1, w.cfg.attacks.cabal.stake_share = 0.6;
    w.cfg.attacks.cabal.validators = 1, w.cfg.attacks.cabal.miners = 1;
    w.cfg.attacks.cabal.quality = 0.1, w.cfg.attacks.cabal.own_weight = 1.0;
    w.cfg.attacks.cabal.start = 50, w.cfg.attacks.cabal.stop = 150;
    memrec rec = {0};
    char err[512] = "";
    ck_assert_msg(run_world(&w, &rec, err, sizeof err) == 0, "%s", err);
    int64_t inc[300][8];
    memset(inc, -1, sizeof inc);
    for (size_t i = 0; i < rec.n; i++)
        if (rec.rows[i].type == R_EPOCH && rec.rows[i].value < 8)
            inc[rec.rows[i].block][rec.rows[i].value] = rec.rows[i].inc;
    int during = 0, before = 0, after = 0;
    for (int b = 0; b <= 260; b++) {
        if (inc[b][3] < 0)
            continue;
        if (b >= 75 && b < 150) { /* two tempos after the switch: every row is the cabal's */
            ck_assert_int_eq(inc[b][3], 65535);
            ck_assert_int_eq(inc[b][4], 0);
            ck_assert_int_eq(inc[b][5], 0);
            during++;
        } else if ((b >= 20 && b < 50) || b >= 175) {
            ck_assert_int_gt(inc[b][4], inc[b][3]);
            ck_assert_int_gt(inc[b][5], inc[b][3]);
            b < 50 ? before++ : after++;
        }
    }
    ck_assert_int_ge(during, 5);
    ck_assert_int_ge(before, 2);
    ck_assert_int_ge(after, 5);
    /* The switches are recorded at exactly the configured blocks. */
    int on = 0, off = 0;
    for (size_t i = 0; i < rec.n; i++) {
        const rec_row *r = &rec.rows[i];
        if (r->type == R_SERIES && !strcmp(r->name, "attack.cabal.active") &&
            r->entity == ATK_ENT_BASE && (r->block == 50 || r->block == 150)) {
            on += r->block == 50 && r->value == 1;
            off += r->block == 150 && r->value == 0;
        }
    }
    ck_assert_int_eq(on, 2); /* the switch itself and the sample of block 50 */
    ck_assert_int_eq(off, 2);
    /* Inside the window the cabal (validator + miner) takes more emission than its stake. */
    const rec_row *gap = last(&rec, "attack.cabal.share_gap_total", ATK_ENT_BASE);
    ck_assert_ptr_nonnull(gap);
    ck_assert(gap->real > 0.2);
    free(rec.rows);
}
END_TEST

/* Same subnet with the cabal at 0.3 of the stake (below kappa): its own miner's column
** consensus is the honest weight (0.1/1.1 of the honest row), so it cannot take the honest
** miners' incentive: uids 4 and 5 keep more incentive than uid 3. */
START_TEST(cabal_below_kappa_is_clipped)
{
    world w;
    world_tiny(&w, 200);
    w.cfg.attacks.cabal.on = 1, w.cfg.attacks.cabal.stake_share = 0.3;
    w.cfg.attacks.cabal.validators = 1, w.cfg.attacks.cabal.miners = 1;
    w.cfg.attacks.cabal.quality = 0.1, w.cfg.attacks.cabal.own_weight = 1.0;
    memrec rec = {0};
    char err[512] = "";
    ck_assert_msg(run_world(&w, &rec, err, sizeof err) == 0, "%s", err);
    int seen = 0;
    int64_t inc[8] = {0};
    for (size_t i = 0; i < rec.n; i++) {
        const rec_row *r = &rec.rows[i];
        if (r->type != R_EPOCH || r->block < 50 || r->value >= 8)
            continue;
        inc[r->value] = r->inc;
        if (r->value == 5) {
            ck_assert_int_gt(inc[4], inc[3]);
            ck_assert_int_gt(inc[5], inc[3]);
            seen++;
        }
    }
    ck_assert_int_ge(seen, 10);
    const rec_row *gap = last(&rec, "attack.cabal.share_gap_total", ATK_ENT_BASE);
    ck_assert_ptr_nonnull(gap);
    ck_assert(gap->real < 0.0);
    free(rec.rows);
}
END_TEST

/* ---- sybil split ------------------------------------------------------------------------- */

static int64_t sybil_emission(int yuma3, uint32_t k, uint64_t *stake)
{
    world w;
    world_tiny(&w, 400);
    w.sub[0].yuma3 = yuma3;
    w.sub[0].max_uids = 16, w.sub[0].miners = 6;
    w.cfg.validators.honest = 3;
    w.cfg.miners.quality_a = 0.2, w.cfg.miners.quality_b = 0.9;
    w.cfg.attacks.sybil.on = 1, w.cfg.attacks.sybil.mode = BT_SYBIL_VALIDATORS;
    w.cfg.attacks.sybil.identities = k, w.cfg.attacks.sybil.stake_share = 0.25;
    w.cfg.attacks.sybil.start = 0;
    memrec rec = {0};
    char err[512] = "";
    ck_assert_msg(run_world(&w, &rec, err, sizeof err) == 0, "%s", err);
    const int64_t e = ATK_ENT_BASE + 2 * ATK_ENT_STRIDE;
    const rec_row *em = last(&rec, "attack.sybil.emission", e);
    const rec_row *st = last(&rec, "attack.sybil.stake", e);
    ck_assert_ptr_nonnull(em);
    ck_assert_ptr_nonnull(st);
    *stake = (uint64_t)st->value;
    int64_t v = em->value;
    free(rec.rows);
    return v;
}

/* Original Yuma (spec §2.12): bonds are column-normalised W_ij * S_i and dividends sum I_j times
** them, so k identities with S/k each and the same row earn what one identity with S earns. What
** differs is rounding, dominated by the stored bonds: each is a u16 of its column's maximum
** (§2.12 step 7), off by less than 1/65535 of that maximum. Here the maximum is 1000 alpha of
** stake-weight and the operator holds 1000 in total, so each of the k identities' bonds and each
** of the 3 honest validators' (which normalise the column) moves the operator's dividend share
** by less than 1/65535: |gain - 1| < (k + 3) / 65535. */
START_TEST(sybil_split_gains_nothing)
{
    uint64_t s1, s4;
    int64_t e1 = sybil_emission(0, 1, &s1), e4 = sybil_emission(0, 4, &s4);
    ck_assert_int_gt(e1, 0);
    double ratio = (double)e4 / (double)e1;
    ck_assert_msg(fabs(ratio - 1.0) < (4.0 + 3.0) / 65535.0, "sybil gain %.9f (%lld vs %lld)",
                  ratio, (long long)e4, (long long)e1);
    /* Yuma3 (§2.13): bonds are the weights themselves, not stake-weighted, and dividends are
    ** tb_i * stake_i with tb_i the bond-weighted incentive. Every validator here submits the
    ** same row (no noise), so every tb_i is the same and dividends are exactly proportional to
    ** stake: only I32F32 truncations remain. */
    uint64_t y1, y4;
    int64_t f1 = sybil_emission(1, 1, &y1), f4 = sybil_emission(1, 4, &y4);
    ck_assert_msg(fabs((double)f4 / (double)f1 - 1.0) < 1e-6, "Yuma3 sybil gain %.9f",
                  (double)f4 / (double)f1);
    /* The genesis stake is the same whatever k: 0.25 of the 3000 alpha = 1000 alpha. */
    ck_assert_uint_ge(s1, 1000 * TAO);
    ck_assert(fabs((double)s4 / (double)s1 - 1.0) < (4.0 + 3.0) / 65535.0);
}
END_TEST

/* ---- whale ----------------------------------------------------------------------------------- */

/* The whale decides at block 100 and its whole stake (5000 alpha) moves to validator 0 at block
** 137 (delay 37), in one ledger row from the whale to validator 0; it moves back at 237 after
** deciding to leave at 200. */
START_TEST(whale_moves_exactly_its_stake_after_the_delay)
{
    world w;
    world_tiny(&w, 300);
    w.cfg.validators.honest = 2;
    w.cfg.attacks.whale.on = 1, w.cfg.attacks.whale.stake = 5000 * TAO;
    w.cfg.attacks.whale.target = 0, w.cfg.attacks.whale.delay = 37;
    w.cfg.attacks.whale.start = 100, w.cfg.attacks.whale.stop = 200;
    memrec rec = {0};
    char err[512] = "";
    ck_assert_msg(run_world(&w, &rec, err, sizeof err) == 0, "%s", err);
    const int64_t whale = ATK_ENT_BASE + 3 * ATK_ENT_STRIDE + 1, v0 = INT64_C(100000);
    int moves = 0, back = 0;
    uint64_t back_amount = 0;
    for (size_t i = 0; i < rec.n; i++) {
        const rec_row *r = &rec.rows[i];
        if (r->type != R_LEDGER || strcmp(r->name, "stake_move") != 0)
            continue;
        if (r->entity == whale) {
            ck_assert_int_eq(r->block, INT64_C(137) * 12);
            ck_assert_int_eq(r->value, v0);
            ck_assert_uint_eq(r->amount, 5000 * TAO);
            moves++;
        }
        if (r->value == whale) {
            ck_assert_int_eq(r->block, INT64_C(237) * 12);
            back_amount = r->amount;
            back++;
        }
    }
    ck_assert_int_eq(moves, 1);
    ck_assert_int_eq(back, 1);
    /* It came back with its stake plus the nominator payouts of 100 blocks (take 18%). */
    ck_assert_uint_gt(back_amount, 5000 * TAO);
    /* While delegated, validator 0 carries 5000 + 1000 of 7000 alpha: the honest share (the other
    ** validator) falls below kappa at the first epoch after the move. */
    const rec_row *kb = last(&rec, "attack.whale.kappa_block", ATK_ENT_BASE + 3 * ATK_ENT_STRIDE);
    ck_assert_ptr_nonnull(kb);
    ck_assert_int_ge(kb->value, 137);
    ck_assert_int_le(kb->value, 148);
    /* The time until below kappa counts from the whale's decision (its start, block 100). */
    const rec_row *kd = last(&rec, "attack.whale.kappa_delay", ATK_ENT_BASE + 3 * ATK_ENT_STRIDE);
    ck_assert_ptr_nonnull(kd);
    ck_assert_int_eq(kd->value, kb->value - 100);
    free(rec.rows);
}
END_TEST

/* ---- determinism ------------------------------------------------------------------------------
 */

static uint64_t all_attacks_digest(uint64_t seed)
{
    world w;
    world_tiny(&w, 300);
    w.cfg.seed = seed;
    w.sub[0].max_uids = 24, w.sub[0].miners = 10;
    w.cfg.validators.honest = 3, w.cfg.validators.noise = 0.1;
    w.cfg.miners.quality = BT_QUALITY_BETA, w.cfg.miners.quality_a = 2;
    w.cfg.miners.quality_b = 5;
    bt_attacks_config *a = &w.cfg.attacks;
    a->cabal.on = 1, a->cabal.stake_share = 0.3, a->cabal.validators = 2, a->cabal.miners = 1;
    a->cabal.quality = 0.05, a->cabal.own_weight = 0.8, a->cabal.start = 40;
    a->copier.on = 1, a->copier.stake_share = 0.1, a->copier.lag = 15;
    a->sybil.on = 1, a->sybil.identities = 3, a->sybil.quality = 0.3, a->sybil.tao = 5 * TAO;
    a->sybil.start = 60, a->sybil.stop = 200;
    a->whale.on = 1, a->whale.stake = 2000 * TAO, a->whale.delay = 10, a->whale.start = 80;
    memrec rec = {0};
    char err[512] = "";
    ck_assert_msg(run_world(&w, &rec, err, sizeof err) == 0, "%s", err);
    ck_assert_ptr_nonnull(last(&rec, "attack.copier.advantage_total", ATK_ENT_BASE + 10000));
    uint64_t h = digest(&rec);
    free(rec.rows);
    return h;
}

START_TEST(same_seed_same_digest)
{
    uint64_t a = all_attacks_digest(11), b = all_attacks_digest(11), c = all_attacks_digest(12);
    ck_assert_uint_eq(a, b);
    ck_assert_uint_ne(a, c);
}
END_TEST

/* ---- the copier through the binary -------------------------------------------------------- */

/* attack.copier.advantage_total of one run of the shipped scenario. */
static double copier_g(const char *set, unsigned seed)
{
    char scen[4096], db[4096], seedtxt[32];
    snprintf(scen, sizeof scen, "%s", tdb_src("scenarios/attack-copier.cfg"));
    snprintf(db, sizeof db, "%s/copier-%u-%s.db", proc_tmpdir(), seed, set);
    snprintf(seedtxt, sizeof seedtxt, "%u", seed);
    remove(db);
    char *argv[] = {(char *)proc_tokensim(),
                    "run",
                    scen,
                    "--out",
                    db,
                    "--seed",
                    seedtxt,
                    "-q",
                    "--set",
                    (char *)set,
                    NULL};
    static proc_result r;
    ck_assert_int_eq(proc_run(argv, &r), 0);
    ck_assert_msg(r.status == 0, "tokensim failed: %s", r.err);
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(h,
                                        "SELECT value FROM series WHERE metric = "
                                        "'attack.copier.advantage_total'",
                                        -1, &st, NULL),
                     SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    double g = sqlite3_column_double(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return g;
}

/* mechanisms.md §6.2 (d): with commit-reveal the copier only sees weights revealed an interval
** later, so on a subnet whose consensus moves (miner churn) its advantage G drops. */
START_TEST(copier_advantage_falls_with_commit_reveal)
{
    for (unsigned seed = 1; seed <= 2; seed++) {
        double off = copier_g("subnet_defaults.commit_reveal=false", seed);
        double on = copier_g("subnet_defaults.reveal_period=1", seed);
        ck_assert_msg(off > on, "seed %u: G without commit-reveal %.4f, with %.4f", seed, off, on);
        ck_assert(on > 0.5 && off < 1.5);
    }
}
END_TEST

/* ---- scenario keys ------------------------------------------------------------------------- */

static const char *bt_head = "name = \"x\";\nmodel = \"bittensor\";\ntime = { blocks = 1000; };\n"
                             "network = { subnets = 1; };\n";

static int has_error(scn_errors *e, const char *want)
{
    for (size_t i = 0; i < scn_errors_count(e); i++)
        if (strstr(scn_errors_get(e, i), want))
            return 1;
    return 0;
}

START_TEST(bad_attack_keys_name_file_and_line)
{
    char text[2048];
    snprintf(text, sizeof text,
             "%sattacks = {\n"              /* line 5 */
             "  cabal = true;\n"            /* 6 */
             "  cabal_stake_share = 1.5;\n" /* 7: out of range */
             "  cabal_start = 500;\n"       /* 8 */
             "  cabal_stop = 400;\n"        /* 9: before start */
             "  whale = true;\n"            /* 10 */
             "  whale_target = 99;\n"       /* 11: no such validator */
             "  copier_lagg = 3;\n"         /* 12: unknown key */
             "};\n",
             bt_head);
    scn_errors *e = scn_errors_new();
    scn_scenario sc;
    ck_assert_int_eq(scn_load_text(text, "t.cfg", NULL, 0, &sc, e), SCN_EINVAL);
    ck_assert_msg(has_error(e, "t.cfg:7: attacks.cabal_stake_share"), "%s", scn_errors_get(e, 0));
    ck_assert(has_error(e, "t.cfg:12: unknown key 'attacks.copier_lagg'"));
    scn_errors_free(e);
    /* The cross-field rules (reached once every value is in range). */
    snprintf(text, sizeof text,
             "%sattacks = {\n"
             "  cabal = true;\n"
             "  cabal_start = 500;\n"
             "  cabal_stop = 400;\n" /* line 8 */
             "  whale = true;\n"
             "  whale_target = 99;\n" /* line 10 */
             "  netuid = 1;\n"
             "};\n",
             bt_head);
    e = scn_errors_new();
    ck_assert_int_eq(scn_load_text(text, "t.cfg", NULL, 0, &sc, e), SCN_EINVAL);
    ck_assert(has_error(e, "t.cfg:8: attacks.cabal_stop (400) must be after attacks.cabal_start"));
    ck_assert(has_error(e, "t.cfg:10: attacks.whale_target = 99"));
    scn_errors_free(e);
    const char *sets[] = {"attacks.sybil=true", "attacks.netuid=3"};
    e = scn_errors_new();
    snprintf(text, sizeof text, "%s", bt_head);
    ck_assert_int_eq(scn_load_text(text, "t.cfg", sets, 2, &sc, e), SCN_EINVAL);
    ck_assert(has_error(e, "--set attacks.netuid: attacks.netuid = 3 is beyond network.subnets"));
    scn_errors_free(e);
    /* A whale beyond the supply (21M by default) is refused at its key. */
    const char *big[] = {"attacks.whale=true", "attacks.whale_stake=30000000"};
    e = scn_errors_new();
    ck_assert_int_eq(scn_load_text(text, "t.cfg", big, 2, &sc, e), SCN_EINVAL);
    ck_assert(has_error(e, "--set attacks.whale_stake: attacks.whale_stake plus the subnet's"));
    scn_errors_free(e);
    /* A valid attack loads and reaches the scenario struct. */
    const char *ok[] = {"attacks.copier=true", "attacks.copier_lag=7"};
    e = scn_errors_new();
    ck_assert_int_eq(scn_load_text(text, "t.cfg", ok, 2, &sc, e), SCN_OK);
    ck_assert_int_eq(sc.bt.attacks.copier.on, 1);
    ck_assert_uint_eq(sc.bt.attacks.copier.lag, 7);
    ck_assert_int_eq(sc.bt.attacks.cabal.on, 0);
    scn_clear(&sc);
    scn_errors_free(e);
}
END_TEST

/* `tokensim validate` and `run` refuse a bad attack key with exit code 2 and FILE:LINE. */
START_TEST(binary_exit_2_on_bad_attack_key)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/bad-attack.cfg", proc_tmpdir());
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "%sattacks = {\n  sybil = true;\n  sybil_identities = 0;\n};\n", bt_head);
    fclose(f);
    static proc_result r;
    char *argv[] = {(char *)proc_tokensim(), "validate", path, NULL};
    ck_assert_int_eq(proc_run(argv, &r), 0);
    ck_assert_int_eq(r.status, 2);
    char want[4200];
    snprintf(want, sizeof want, "%s:7: attacks.sybil_identities", path);
    ck_assert_msg(strstr(r.err, want) != NULL, "stderr: %s", r.err);
    char *argv2[] = {(char *)proc_tokensim(), "run", path, "-q", NULL};
    ck_assert_int_eq(proc_run(argv2, &r), 0);
    ck_assert_int_eq(r.status, 2);
}
END_TEST

/* Every shipped attack scenario validates and runs (exit 0). */
START_TEST(shipped_scenarios_run)
{
    const char *names[] = {"cabal", "copier", "sybil", "whale"};
    for (int i = 0; i < 4; i++) {
        char scen[4096], db[4096], rel[64];
        snprintf(rel, sizeof rel, "scenarios/attack-%s.cfg", names[i]);
        snprintf(scen, sizeof scen, "%s", tdb_src(rel));
        snprintf(db, sizeof db, "%s/shipped-%s.db", proc_tmpdir(), names[i]);
        remove(db);
        static proc_result r;
        char *argv[] = {(char *)proc_tokensim(), "run", scen, "--out", db, "-q", NULL};
        ck_assert_int_eq(proc_run(argv, &r), 0);
        ck_assert_msg(r.status == 0, "%s: %s", names[i], r.err);
    }
}
END_TEST

/* The cabal scenario's plots include attacks.png, and the switch-on mark sits at the cabal's
** start: block 3600 of 12-second blocks = 43,200 s = 0.001370 of a 365-day year. */
START_TEST(cabal_plot_marks_the_start)
{
    static proc_result r;
    const char *dir = tdb_tmp("cabal-plots");
    char *argv[] = {(char *)proc_tokensim(),
                    "run",
                    (char *)tdb_src("scenarios/attack-cabal.cfg"),
                    "--out",
                    (char *)tdb_tmp("cabal-plot.db"),
                    "--force",
                    "--plots",
                    (char *)dir,
                    "-q",
                    NULL};
    ck_assert_int_eq(proc_run(argv, &r), 0);
    ck_assert_msg(r.status == 0, "%s", r.err);
    char path[4200], buf[64] = "";
    snprintf(path, sizeof path, "%s/attacks.png", dir);
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fread(buf, 1, 8, f), 8);
    fclose(f);
    ck_assert_int_eq(memcmp(buf, "\x89PNG\r\n\x1a\n", 8), 0);
    snprintf(path, sizeof path, "%s/attack-marks.dat", dir);
    f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    ck_assert_str_eq(buf, "0.001370\n");
}
END_TEST

/* ---- metrics recomputed from the database ---------------------------------------------------- */

/* A small subnet (tempo 50, no pruning: immunity beyond the run) with 6 honest noisy validators,
** a cabal below kappa (0.3 of the validator stake, 2 validators and 2 miners, window 600-1800)
** and a consensus copier (0.1, window 900-2100); every epoch in the epochs table. */
static const char metrics_cfg[] =
    "name = \"metrics\";\nmodel = \"bittensor\";\nseed = 7L;\n"
    "time = { block_seconds = 12; blocks = 3000; };\nnetwork = { subnets = 1; };\n"
    "subnet_defaults = { tempo = 50; max_uids = 32; max_validators = 16; immunity_period = "
    "60000; min_non_immune_uids = 1; commit_reveal = false; burn = \"0.5\"; burn_min = \"0.05\"; "
    "pool_tao = \"500\"; pool_alpha = \"1000\"; miners = 20; delegators = 0; };\n"
    "validators = { honest = 6; stake = \"5000\"; stake_spread = 0.3; noise = 0.3; };\n"
    "miners = { quality = \"beta\"; quality_a = 2.0; quality_b = 5.0; cost = \"0\"; tao = \"5\"; "
    "check_every = 300; horizon_days = 10.0; patience_days = 30; genesis_registered = true; };\n"
    "attacks = { netuid = 1; cabal = true; cabal_stake_share = 0.3; cabal_validators = 2; "
    "cabal_miners = 2; cabal_quality = 0.05; cabal_own_weight = 1.0; cabal_start = 600; "
    "cabal_stop = 1800; copier = true; copier_stake_share = 0.1; copier_source = \"consensus\"; "
    "copier_start = 900; copier_stop = 2100; };\n"
    "record = { every = 150; epochs_every = 1; };\n";

/* Writes `text` to tmp/name and runs it into tmp/db with optional --set pairs. */
static const char *run_text(const char *name, const char *text, const char *db, const char *set1,
                            const char *set2)
{
    static char dbp[4096];
    char cfg[4096];
    snprintf(cfg, sizeof cfg, "%s", tdb_tmp(name));
    snprintf(dbp, sizeof dbp, "%s", tdb_tmp(db));
    FILE *f = fopen(cfg, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    char *argv[12] = {(char *)proc_tokensim(), "run", cfg, "--out", dbp, "--force", "-q"};
    int n = 7;
    if (set1)
        argv[n++] = "--set", argv[n++] = (char *)set1;
    if (set2)
        argv[n++] = "--set", argv[n++] = (char *)set2;
    argv[n] = NULL;
    static proc_result r;
    ck_assert_int_eq(proc_run(argv, &r), 0);
    ck_assert_msg(r.status == 0, "%s: %s", name, r.err);
    return dbp;
}

/* The final value of series `metric` (any entity). */
static double final_of(const char *db, const char *metric)
{
    char q[512];
    snprintf(q, sizeof q,
             "SELECT value FROM series WHERE metric = '%s' ORDER BY t DESC, entity_id LIMIT 1",
             metric);
    return tdb_double(db, q);
}

/* The uid of attack agent `entity` from the series attack.uid; it must never change. */
static int agent_uid(const char *db, int64_t entity)
{
    char q[512];
    snprintf(q, sizeof q,
             "SELECT count(DISTINCT value) FROM series WHERE metric = 'attack.uid' AND "
             "entity_id = %lld",
             (long long)entity);
    ck_assert_int_eq(tdb_int(db, q), 1);
    snprintf(q, sizeof q,
             "SELECT value FROM series WHERE metric = 'attack.uid' AND entity_id = %lld LIMIT 1",
             (long long)entity);
    return (int)tdb_int(db, q);
}

typedef struct ep_row {
    int64_t block, uid, stake, permit, emission, consensus;
} ep_row;

/* Every row of the epochs table (net 1), by block then uid; *n rows. */
static ep_row *epoch_rows(const char *db, size_t *n)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    ck_assert_int_eq(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    ck_assert_int_eq(
        sqlite3_prepare_v2(h,
                           "SELECT block, uid, stake, permit, emission, consensus FROM "
                           "epochs "
                           "WHERE net = 1 ORDER BY block, uid",
                           -1, &st, NULL),
        SQLITE_OK);
    size_t cap = 1024, k = 0;
    ep_row *v = malloc(cap * sizeof *v);
    ck_assert_ptr_nonnull(v);
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (k == cap) {
            ep_row *nv = realloc(v, (cap *= 2) * sizeof *v);
            ck_assert_ptr_nonnull(nv);
            v = nv;
        }
        v[k].block = sqlite3_column_int64(st, 0);
        v[k].uid = sqlite3_column_int64(st, 1);
        v[k].stake = sqlite3_column_int64(st, 2);
        v[k].permit = sqlite3_column_int64(st, 3);
        v[k].emission = sqlite3_column_int64(st, 4);
        v[k].consensus = sqlite3_column_int64(st, 5);
        k++;
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
    *n = k;
    return v;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Every metric of one attack recomputed from the epochs table (issue 5 "Metrics"), written out
** from the definitions of scenarios/ATTACKS.md: att[] the attacker uids (natt), hv[] the honest
** validators' uids, cop the copier's uid (-1: not the copier), window [start, stop). */
typedef struct recomputed {
    double emission_share, stake_share, honest_share, return_ratio, advantage, consensus_move;
    double advantage_group; /* mechanisms §6.4: over the honest validators' pooled return */
    int64_t emission, kappa_block, kappa_window;
} recomputed;

static recomputed recompute(const ep_row *r, size_t n, const int *att, int natt, const int *hv,
                            int nhv, int cop, int64_t start, int64_t stop)
{
    recomputed o = {0};
    double em_att = 0, em_tot = 0, ss = 0, hs = 0, ret_em = 0, ret_st = 0, hon_em = 0;
    double hon_st = 0, cop_sum = 0, med_sum = 0, grp_sum = 0;
    int epochs = 0, moves = 0;
    double move_sum = 0;
    size_t prev = n; /* first row of the previous epoch (n: none yet) */
    const double kappa = 32767.0 / 65535.0;
    o.kappa_block = o.kappa_window = -1;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && r[j].block == r[i].block)
            j++;
        double e_att = 0, e_tot = 0, s_att = 0, s_tot = 0, perm = 0, perm_h = 0, h_em = 0;
        double h_st = 0, ratios[64], c_ratio = -1;
        int nr = 0;
        for (size_t k = i; k < j; k++) {
            int is_att = 0, is_hv = 0;
            for (int a = 0; a < natt; a++)
                is_att |= r[k].uid == att[a];
            for (int a = 0; a < nhv; a++)
                is_hv |= r[k].uid == hv[a];
            double s = (double)r[k].stake, e = (double)r[k].emission;
            e_tot += e, s_tot += s;
            if (r[k].permit)
                perm += s, perm_h += is_att ? 0 : s;
            if (is_att) {
                e_att += e, s_att += s;
                o.emission += r[k].emission;
            }
            if (is_hv && s > 0)
                h_em += e, h_st += s, ratios[nr++] = e / s;
            if (r[k].uid == cop && s > 0)
                c_ratio = e / s;
        }
        double hshare = perm > 0 ? perm_h / perm : 1.0;
        if (o.kappa_block < 0 && hshare < kappa)
            o.kappa_block = r[i].block;
        if (r[i].block >= start && r[i].block < stop) {
            if (o.kappa_window < 0 && hshare < kappa)
                o.kappa_window = r[i].block;
            em_att += e_att, em_tot += e_tot, ss += s_att / s_tot, hs += hshare;
            ret_em += e_att, ret_st += s_att, hon_em += h_em, hon_st += h_st;
            if (c_ratio >= 0 && nr > 0) {
                qsort(ratios, (size_t)nr, sizeof *ratios, cmp_d);
                cop_sum += c_ratio;
                med_sum += nr % 2 ? ratios[nr / 2] : 0.5 * (ratios[nr / 2 - 1] + ratios[nr / 2]);
                grp_sum += h_em / h_st;
            }
            epochs++;
            if (prev < n) { /* the consensus of consecutive epochs, each normalised by its sum */
                double sp = 0, sc = 0, d = 0;
                size_t pe = prev;
                while (pe < n && r[pe].block == r[prev].block)
                    pe++;
                for (size_t k = prev; k < pe; k++)
                    sp += (double)r[k].consensus;
                for (size_t k = i; k < j; k++)
                    sc += (double)r[k].consensus;
                size_t np = pe - prev, nc = j - i, m = np > nc ? np : nc;
                for (size_t u = 0; u < m; u++) {
                    double x = u < nc ? (double)r[i + u].consensus / sc : 0.0;
                    double y = u < np ? (double)r[prev + u].consensus / sp : 0.0;
                    ck_assert(u >= nc || r[i + u].uid == (int64_t)u);
                    d += fabs(x - y);
                }
                move_sum += 0.5 * d, moves++;
            }
        }
        prev = i;
        i = j;
    }
    ck_assert_int_gt(epochs, 10);
    o.emission_share = em_att / em_tot;
    o.stake_share = ss / epochs;
    o.honest_share = hs / epochs;
    o.return_ratio = (ret_em / ret_st) / (hon_em / hon_st);
    o.advantage = med_sum > 0 ? cop_sum / med_sum : -1;
    o.advantage_group = grp_sum > 0 ? cop_sum / grp_sum : -1;
    o.consensus_move = moves ? move_sum / moves : -1;
    return o;
}

static void assert_close(double got, double want, const char *what)
{
    ck_assert_msg(fabs(got - want) <= 1e-9 * fabs(want) + 1e-12,
                  "%s: recorded %.17g, recomputed %.17g", what, got, want);
}

START_TEST(metrics_recomputed_from_the_epochs_table)
{
    const char *db = run_text("metrics.cfg", metrics_cfg, "metrics.db", NULL, NULL);
    /* Layout (atk_world.c): 0 the owner, 1-6 the honest validators, then the attack agents in
    ** kind order; the DB's attack.uid series must say the same. */
    int cabal[4], cop = agent_uid(db, ATK_ENT_BASE + ATK_ENT_STRIDE + 1);
    for (int i = 0; i < 4; i++)
        cabal[i] = agent_uid(db, ATK_ENT_BASE + 1 + i);
    const int hv[6] = {1, 2, 3, 4, 5, 6}, want[4] = {7, 8, 9, 10};
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(cabal[i], want[i]);
    ck_assert_int_eq(cop, 11);
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM epochs WHERE net = 1 AND uid BETWEEN 1 AND "
                                 "6 AND (stake = 0 OR permit = 0)"),
                     0);
    size_t n;
    ep_row *r = epoch_rows(db, &n);
    /* Only the epochs up to the last sample count (the run's totals are written there). */
    int64_t last =
        tdb_int(db, "SELECT max(block) FROM series WHERE metric = 'attack.cabal.active'");
    while (n > 0 && r[n - 1].block > last)
        n--;
    recomputed c = recompute(r, n, cabal, 4, hv, 6, -1, 600, 1800);
    assert_close(final_of(db, "attack.cabal.emission_share_total"), c.emission_share, "cabal es");
    assert_close(final_of(db, "attack.cabal.stake_share_total"), c.stake_share, "cabal ss");
    assert_close(final_of(db, "attack.cabal.share_gap_total"), c.emission_share - c.stake_share,
                 "cabal gap");
    assert_close(final_of(db, "attack.cabal.honest_share_total"), c.honest_share, "cabal hs");
    assert_close(final_of(db, "attack.cabal.return_ratio_total"), c.return_ratio, "cabal rr");
    ck_assert_int_eq((int64_t)final_of(db, "attack.cabal.emission"), c.emission);
    ck_assert_int_eq((int64_t)final_of(db, "attack.cabal.kappa_block"), c.kappa_block);
    ck_assert_int_eq(c.kappa_block, -1); /* 0.3 < kappa: the honest side keeps the consensus */
    ck_assert_int_eq((int64_t)final_of(db, "attack.cabal.kappa_delay"), -1);
    /* The cabal below kappa loses: its share of the emission is below its share of the stake. */
    ck_assert(c.emission_share < c.stake_share);
    /* The copier: G recomputed from the per-validator emission (its dividends) and stake. */
    int one[1] = {cop};
    recomputed g = recompute(r, n, one, 1, hv, 6, cop, 900, 2100);
    ck_assert(g.advantage > 0.5);
    assert_close(final_of(db, "attack.copier.advantage_total"), g.advantage, "copier G");
    ck_assert(g.advantage_group > 0.5);
    assert_close(final_of(db, "attack.copier.advantage_group_total"), g.advantage_group,
                 "copier G over the honest group");
    ck_assert(g.consensus_move > 0.0 && g.consensus_move < 1.0);
    assert_close(final_of(db, "attack.copier.consensus_move_total"), g.consensus_move,
                 "copier consensus move");
    assert_close(final_of(db, "attack.copier.return_ratio_total"), g.return_ratio, "copier rr");
    assert_close(final_of(db, "attack.copier.share_gap_total"), g.emission_share - g.stake_share,
                 "copier gap");
    ck_assert_int_eq((int64_t)final_of(db, "attack.copier.emission"), g.emission);
    /* Stake locked (cost): at genesis each attack holds share / (1 - share) of the honest
    ** genesis validator stake H (the genesis alpha minted to everyone outside the attacks). */
    int64_t h = tdb_int(db, "SELECT sum(amount) FROM ledger WHERE kind = 'mint' AND reason = "
                            "'genesis_alpha' AND dst < 400000");
    ck_assert_int_gt(h, 0);
    ck_assert_int_eq(tdb_int(db, "SELECT value FROM series WHERE metric = 'attack.cabal.stake' "
                                 "AND block = 0"),
                     (h / 7) * 3 + (h % 7) * 3 / 7); /* floor(3 h / 7) */
    ck_assert_int_eq(tdb_int(db, "SELECT value FROM series WHERE metric = 'attack.copier.stake' "
                                 "AND block = 0"),
                     h / 9);                                              /* floor(h / 9) */
    ck_assert_int_eq((int64_t)final_of(db, "attack.cabal.cost_burn"), 0); /* no re-registration */
    /* The stake locked at its exit value at the last sample: sold into the pool as the chain
    ** sells (spec §3.9: fee floor(x 33 / 65535) first, then the constant product). */
    int64_t st = (int64_t)final_of(db, "attack.cabal.stake");
    int64_t pt = (int64_t)final_of(db, "pool_tao"), pa = (int64_t)final_of(db, "pool_alpha");
    ck_assert_int_gt(pa, 0);
    int64_t net = st - (int64_t)((unsigned __int128)st * 33u / 65535u);
    int64_t want_tao =
        (int64_t)((unsigned __int128)pt * (unsigned __int128)net / (uint64_t)(pa + net));
    ck_assert_int_lt(want_tao, pt);
    ck_assert_int_eq((int64_t)final_of(db, "attack.cabal.cost_stake_tao"), want_tao);
    ck_assert_int_eq((int64_t)final_of(db, "attack.cabal.cost"), want_tao);
    free(r);
}
END_TEST

/* The whale (20,000 alpha, decided at 900, landing 60 blocks later on validator 0 = uid 1, leaving
** at 2100) on the same subnet: its attacker uid is its target's, the honest validators are the
** other five, and the honest share crosses below kappa once it lands; every metric, the kappa
** block and the time from its start to the crossing recomputed from the epochs table. */
START_TEST(whale_metrics_recomputed_from_the_epochs_table)
{
    static const char text[] =
        "name = \"whale-metrics\";\nmodel = \"bittensor\";\nseed = 7L;\n"
        "time = { block_seconds = 12; blocks = 3000; };\nnetwork = { subnets = 1; };\n"
        "subnet_defaults = { tempo = 50; max_uids = 32; max_validators = 16; immunity_period = "
        "60000; min_non_immune_uids = 1; commit_reveal = false; burn = \"0.5\"; burn_min = "
        "\"0.05\"; pool_tao = \"500\"; pool_alpha = \"1000\"; miners = 20; delegators = 0; };\n"
        "validators = { honest = 6; stake = \"5000\"; stake_spread = 0.3; noise = 0.3; };\n"
        "miners = { quality = \"beta\"; quality_a = 2.0; quality_b = 5.0; cost = \"0\"; tao = "
        "\"5\"; check_every = 300; horizon_days = 10.0; patience_days = 30; genesis_registered = "
        "true; };\n"
        "attacks = { netuid = 1; whale = true; whale_stake = \"40000\"; whale_target = 0; "
        "whale_delay = 60; whale_start = 900; whale_stop = 2100; };\n"
        "record = { every = 150; epochs_every = 1; };\n";
    const char *db = run_text("whale-metrics.cfg", text, "whale-metrics.db", NULL, NULL);
    ck_assert_int_eq(agent_uid(db, ATK_ENT_BASE + 3 * ATK_ENT_STRIDE + 1), -1); /* no uid */
    size_t n;
    ep_row *r = epoch_rows(db, &n);
    int64_t last =
        tdb_int(db, "SELECT max(block) FROM series WHERE metric = 'attack.whale.active'");
    while (n > 0 && r[n - 1].block > last)
        n--;
    const int att[1] = {1}, hv[5] = {2, 3, 4, 5, 6};
    recomputed w = recompute(r, n, att, 1, hv, 5, -1, 900, 2100);
    free(r);
    assert_close(final_of(db, "attack.whale.emission_share_total"), w.emission_share, "whale es");
    assert_close(final_of(db, "attack.whale.stake_share_total"), w.stake_share, "whale ss");
    assert_close(final_of(db, "attack.whale.share_gap_total"), w.emission_share - w.stake_share,
                 "whale gap");
    assert_close(final_of(db, "attack.whale.honest_share_total"), w.honest_share, "whale hs");
    assert_close(final_of(db, "attack.whale.return_ratio_total"), w.return_ratio, "whale rr");
    ck_assert_int_eq((int64_t)final_of(db, "attack.whale.emission"), w.emission);
    /* 40,000 alpha on one of six validators holding ~30,000 together: below kappa once landed
    ** (960), at the first epoch after it, and never before the decision. */
    ck_assert_int_gt(w.kappa_block, 960);
    ck_assert_int_le(w.kappa_block, 1010);
    ck_assert_int_eq((int64_t)final_of(db, "attack.whale.kappa_block"), w.kappa_block);
    ck_assert_int_eq((int64_t)final_of(db, "attack.whale.kappa_delay"), w.kappa_window - 900);
}
END_TEST

/* ---- switching every attack on and off, and its cost ----------------------------------------- */

/* The copier copies validator 0's stored row inside its window (900-2100) and observes with its
** own noise outside it. Every validator's weights event has a fixed offset in the tempo (its own
** timing stream, keyed by entity, so other counts do not move it); with seed 7 the copier's comes
** after validator 0's, so inside the window both rows in storage at each epoch are the same row
** and their validator trust (the sum of the clipped row) is identical, while outside it the two
** independent noisy observations never give the same u16 trust. */
START_TEST(copier_switches_on_and_off)
{
    const char *db = run_text("copier-switch.cfg", metrics_cfg, "copier-switch.db",
                              "attacks.cabal=false", "attacks.copier_source=\"validator\"");
    int cop = agent_uid(db, ATK_ENT_BASE + ATK_ENT_STRIDE + 1);
    ck_assert_int_eq(cop, 7);
    char q[1024];
    /* One tempo after each switch the rows in storage are the new regime's. */
    snprintf(q, sizeof q,
             "SELECT sum(a.validator_trust = b.validator_trust), count(*) FROM epochs a JOIN "
             "epochs b ON a.block = b.block AND a.net = b.net WHERE a.uid = 1 AND b.uid = %d AND "
             "a.block >= 950 AND a.block < 2100",
             cop);
    int64_t in_eq = tdb_int(db, q);
    snprintf(q, sizeof q,
             "SELECT count(*) FROM epochs a JOIN epochs b ON a.block = b.block AND a.net = b.net "
             "WHERE a.uid = 1 AND b.uid = %d AND a.block >= 950 AND a.block < 2100",
             cop);
    int64_t in_n = tdb_int(db, q);
    snprintf(q, sizeof q,
             "SELECT sum(a.validator_trust = b.validator_trust), count(*) FROM epochs a JOIN "
             "epochs b ON a.block = b.block AND a.net = b.net WHERE a.uid = 1 AND b.uid = %d AND "
             "(a.block < 900 OR a.block >= 2150)",
             cop);
    int64_t out_eq = tdb_int(db, q);
    ck_assert_int_ge(in_n, 20);
    ck_assert_int_eq(in_eq, in_n);
    ck_assert_int_eq(out_eq, 0);
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM series WHERE metric = "
                                 "'attack.copier.active' AND block = 900 AND value = 1"),
                     2);
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM series WHERE metric = "
                                 "'attack.copier.active' AND block = 2100 AND value = 0"),
                     2);
}
END_TEST

/* Sybil miners, 3 identities, window 400-1200 on a subnet with short immunity (100): every
** registration burn of the identities falls inside the window, cost_burn is exactly the sum of
** those ledger burns, and once the identities stop serving (1200) they earn nothing more: two
** tempos later every validator's row has dropped them. */
START_TEST(sybil_miners_switch_and_cost)
{
    static const char text[] =
        "name = \"sybil-switch\";\nmodel = \"bittensor\";\nseed = 3L;\n"
        "time = { block_seconds = 12; blocks = 2000; };\nnetwork = { subnets = 1; };\n"
        "subnet_defaults = { tempo = 50; max_uids = 32; max_validators = 8; immunity_period = "
        "100; min_non_immune_uids = 1; commit_reveal = false; burn = \"0.5\"; burn_min = "
        "\"0.05\"; pool_tao = \"500\"; pool_alpha = \"1000\"; miners = 16; delegators = 0; };\n"
        "validators = { honest = 4; stake = \"5000\"; };\n"
        "miners = { quality = \"beta\"; quality_a = 2.0; quality_b = 5.0; cost = \"0\"; tao = "
        "\"5\"; check_every = 300; patience_days = 30; genesis_registered = true; };\n"
        "attacks = { netuid = 1; sybil = true; sybil_mode = \"miners\"; sybil_identities = 3; "
        "sybil_quality = 0.6; sybil_tao = \"10\"; sybil_start = 400; sybil_stop = 1200; };\n"
        "record = { every = 100; epochs_every = 0; };\n";
    const char *db = run_text("sybil-switch.cfg", text, "sybil-switch.db", NULL, NULL);
    char q[1024];
    snprintf(q, sizeof q,
             "SELECT count(*) FROM ledger WHERE kind = 'burn' AND src IN (420001, 420002, 420003)");
    int64_t burns = tdb_int(db, q);
    ck_assert_int_ge(burns, 3);
    snprintf(q, sizeof q,
             "SELECT count(*) FROM ledger WHERE kind = 'burn' AND src IN (420001, 420002, 420003) "
             "AND (t < 400 * 12 OR t >= 1200 * 12)");
    ck_assert_int_eq(tdb_int(db, q), 0);
    snprintf(q, sizeof q,
             "SELECT sum(amount) FROM ledger WHERE kind = 'burn' AND src IN (420001, 420002, "
             "420003)");
    int64_t spent = tdb_int(db, q);
    ck_assert_int_gt(spent, 0);
    ck_assert_int_eq((int64_t)final_of(db, "attack.sybil.cost_burn"), spent);
    /* Emission: nothing before the start, growing inside, flat from two tempos after the stop. */
    ck_assert_int_eq(tdb_int(db, "SELECT value FROM series WHERE metric = 'attack.sybil.emission' "
                                 "AND block = 400 ORDER BY t DESC LIMIT 1"),
                     0);
    int64_t mid = tdb_int(db, "SELECT value FROM series WHERE metric = 'attack.sybil.emission' "
                              "AND block = 1200 ORDER BY t DESC LIMIT 1");
    int64_t settled =
        tdb_int(db, "SELECT value FROM series WHERE metric = "
                    "'attack.sybil.emission' AND block = 1300 ORDER BY t DESC LIMIT 1");
    ck_assert_int_gt(mid, 0);
    ck_assert_int_eq((int64_t)final_of(db, "attack.sybil.emission"), settled);
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM series WHERE metric = "
                                 "'attack.sybil.active' AND block IN (400, 1200) AND value = "
                                 "(block = 400)"),
                     4);
}
END_TEST

/* Sybil validators, 3 identities, window 100-250 on the tiny subnet: at the start identity 0's
** stake is shared (ledger rows sybil_split from identity 0 at block 100), at the stop everything
** returns to identity 0 (sybil_merge rows to it at block 250). No other stake move happens. */
START_TEST(sybil_validators_split_and_merge)
{
    world w;
    world_tiny(&w, 300);
    w.sub[0].max_uids = 16, w.sub[0].miners = 4;
    w.cfg.validators.honest = 2;
    bt_attacks_config *a = &w.cfg.attacks;
    a->sybil.on = 1, a->sybil.mode = BT_SYBIL_VALIDATORS, a->sybil.identities = 3;
    a->sybil.stake_share = 0.25, a->sybil.tao = 10 * TAO, a->sybil.start = 100;
    a->sybil.stop = 250;
    memrec rec = {0};
    char err[512] = "";
    ck_assert_msg(run_world(&w, &rec, err, sizeof err) == 0, "%s", err);
    const int64_t id0 = ATK_ENT_BASE + 2 * ATK_ENT_STRIDE + 1;
    int split = 0, merge = 0, other = 0;
    for (size_t i = 0; i < rec.n; i++) {
        const rec_row *r = &rec.rows[i];
        if (r->type != R_LEDGER || strcmp(r->name, "stake_move") != 0)
            continue;
        if (!strcmp(r->reason, "sybil_split")) {
            ck_assert_int_eq(r->entity, id0);
            ck_assert(r->value == id0 + 1 || r->value == id0 + 2);
            ck_assert_int_ge(r->block, 100L * 12);
            ck_assert_int_lt(r->block, 250L * 12);
            split++;
        } else if (!strcmp(r->reason, "sybil_merge")) {
            ck_assert_int_eq(r->value, id0);
            ck_assert_int_eq(r->block, 250L * 12);
            merge++;
        } else
            other++;
    }
    ck_assert_int_ge(split, 2);
    ck_assert_int_eq(merge, 2);
    ck_assert_int_eq(other, 0);
    free(rec.rows);
}
END_TEST

/* ---- threshold search against kappa --------------------------------------------------------- */

/* A cabal with share s of the genesis validator stake H holds C = H s / (1 - s) (to 1e-9), so at
** the first epoch (no emission staked yet, TaoWeight 0) the honest share of the permitted stake
** is H / (H + C) = 1 - s. The chain's test honest_share < Kappa with Kappa = 32767 / 65535
** first holds at s* = 1 - 32767/65535 = 32768/65535 = 0.500007629... `tokensim sweep` bisecting
** attack.cabal.kappa_block (-1: never, else the block) at target 0 must find s*. */
START_TEST(sweep_finds_the_kappa_threshold)
{
    static const char text[] =
        "name = \"kappa-threshold\";\nmodel = \"bittensor\";\nseed = 1L;\n"
        "time = { block_seconds = 12; blocks = 120; };\nnetwork = { subnets = 1; };\n"
        "chain = { tao_weight = 0; };\n"
        "subnet_defaults = { tempo = 100; max_uids = 16; max_validators = 16; commit_reveal = "
        "false; miners = 4; delegators = 0; };\n"
        "validators = { honest = 4; stake = \"1000\"; stake_spread = 0.0; };\n"
        "miners = { genesis_registered = true; };\n"
        "attacks = { netuid = 1; cabal = true; cabal_stake_share = 0.3; cabal_validators = 2; "
        "cabal_miners = 1; };\n"
        "record = { every = 60; epochs_every = 0; };\n";
    char cfg[4096], db[4096];
    snprintf(cfg, sizeof cfg, "%s", tdb_tmp("kappa-threshold.cfg"));
    snprintf(db, sizeof db, "%s", tdb_tmp("kappa-threshold.db"));
    FILE *f = fopen(cfg, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    remove(db);
    char *argv[] = {(char *)proc_tokensim(),
                    "sweep",
                    cfg,
                    "--bisect",
                    "attacks.cabal_stake_share=0.4:0.6",
                    "--metric",
                    "attack.cabal.kappa_block",
                    "--target",
                    "0",
                    "--tol",
                    "1e-7",
                    "--out",
                    db,
                    NULL};
    static proc_result r;
    ck_assert_int_eq(proc_run(argv, &r), 0);
    ck_assert_msg(r.status == 0, "sweep: %s %s", r.out, r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "crossing: attacks.cabal_stake_share = "));
    double got = tdb_double(db, "SELECT result FROM sweeps");
    const double want = 32768.0 / 65535.0;
    ck_assert_msg(fabs(got - want) < 2e-7, "crossing %.12f, expected %.12f", got, want);
    ck_assert_int_ge(tdb_int(db, "SELECT count(*) FROM sweep_points"), 20);
}
END_TEST

/* ---- the report draws every metric ------------------------------------------------------------
 */

/* `tokensim report` on the metrics run: one plot per issue-5 metric, with one data block per
** attack operator whose values are the DB's series, and the kappa and cost figures in the
** summary. */
START_TEST(report_draws_every_attack_metric)
{
    const char *db = run_text("report.cfg", metrics_cfg, "report.db", NULL, NULL);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", tdb_tmp("report-out"));
    char *argv[] = {(char *)proc_tokensim(), "report", (char *)db, "--out", dir, NULL};
    static proc_result r;
    ck_assert_int_eq(proc_run(argv, &r), 0);
    ck_assert_msg(r.status == 0, "report: %s %s", r.out, r.err);
    const char *stems[] = {"attacks",          "attack-gap",    "attack-return",
                           "attack-advantage", "attack-honest", "attack-burn",
                           "attack-stake",     "attack-churn",  "attack-cost"};
    for (int i = 0; i < 9; i++) {
        char path[4300];
        snprintf(path, sizeof path, "%s/%s.dat", dir, stems[i]);
        FILE *f = fopen(path, "r");
        ck_assert_msg(f != NULL, "%s missing", path);
        fclose(f);
        snprintf(path, sizeof path, "%s/%s.png", dir, stems[i]);
        f = fopen(path, "rb");
        ck_assert_msg(f != NULL, "%s missing", path);
        fclose(f);
    }
    /* attack-advantage.dat holds only the copier, with the DB's last G in its last line. */
    char path[4300], line[256], lastline[256] = "";
    snprintf(path, sizeof path, "%s/attack-advantage.dat", dir);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    int names = 0;
    while (fgets(line, sizeof line, f)) {
        names += line[0] == '"';
        if (line[0] != '\n' && line[0] != '"' && line[0] != '#')
            snprintf(lastline, sizeof lastline, "%s", line);
    }
    fclose(f);
    ck_assert_int_eq(names, 1);
    char *p = NULL, *q = NULL;
    (void)strtod(lastline, &p); /* the x column, then G */
    double g = strtod(p, &q);
    ck_assert(p != lastline && q != p); /* two numbers */
    double want = tdb_double(db, "SELECT value FROM series WHERE metric = "
                                 "'attack.copier.advantage' ORDER BY t DESC LIMIT 1");
    ck_assert_msg(fabs(g - want) < 1e-6 * fabs(want), "plotted %g, DB %g", g, want);
    snprintf(path, sizeof path, "%s/index.html", dir);
    f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    static char html[1 << 20];
    size_t n = fread(html, 1, sizeof html - 1, f);
    fclose(f);
    html[n] = '\0';
    ck_assert_ptr_nonnull(strstr(html, "attack.cabal.kappa_delay"));
    ck_assert_ptr_nonnull(strstr(html, "attack.copier.advantage_total"));
    ck_assert_ptr_nonnull(strstr(html, "attack.cabal.cost_burn"));
    ck_assert_ptr_nonnull(strstr(html, "attack.cabal.cost</td><td>"));
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("attacks");
    TCase *t = tcase_create("decide");
    tcase_add_test(t, cabal_row_by_hand);
    tcase_add_test(t, share_stake_and_median);
    tcase_add_test(t, consensus_move_by_hand);
    suite_add_tcase(s, t);
    t = tcase_create("model");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, cabal_above_kappa_captures_incentive);
    tcase_add_test(t, cabal_below_kappa_is_clipped);
    tcase_add_test(t, sybil_split_gains_nothing);
    tcase_add_test(t, whale_moves_exactly_its_stake_after_the_delay);
    tcase_add_test(t, same_seed_same_digest);
    tcase_add_test(t, sybil_validators_split_and_merge);
    suite_add_tcase(s, t);
    t = tcase_create("scenario");
    tcase_set_timeout(t, 240);
    tcase_add_test(t, bad_attack_keys_name_file_and_line);
    tcase_add_test(t, binary_exit_2_on_bad_attack_key);
    tcase_add_test(t, shipped_scenarios_run);
    tcase_add_test(t, cabal_plot_marks_the_start);
    tcase_add_test(t, copier_advantage_falls_with_commit_reveal);
    tcase_add_test(t, metrics_recomputed_from_the_epochs_table);
    tcase_add_test(t, whale_metrics_recomputed_from_the_epochs_table);
    tcase_add_test(t, copier_switches_on_and_off);
    tcase_add_test(t, sybil_miners_switch_and_cost);
    tcase_add_test(t, sweep_finds_the_kappa_threshold);
    tcase_add_test(t, report_draws_every_attack_metric);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return tdb_run(suite());
}
