/*
** check_bittensor.c: scenario-level tests of the bittensor network model (agents/bittensor),
** run through the engine with small horizons and an in-memory recorder, plus the binary for
** digests and the snapshot files.
**
** Expected values are worked out independently: halving blocks from the issuance thresholds
** 21e15-style * (1 - 2^-k) of spec bittensor §3.1 with a tiny supply; the per-block 18/41/41
** split from the spec's derived floors (§3.5: 179_995_422 / 410_002_288 / 410_002_288 of
** 1e9, 2 units of dust); pruning by re-applying the §3.10 rule to the recorded epochs and
** registrations; stake moves against the configured delay; max-upscale against spec §2.6 and
** TV2; concentration metrics by hand; conservation by corrupting a ledger on purpose.
*/
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_randist.h>

#include "memrec.h"
#include "tdb.h"
#include "bt_agents.h"
#include "bgthread.h"
#include "bt_ahead.h"
#include "bt_int.h"
#include "bt_model.h"
#include "btworld.h"
#include "proc.h"
#include "rng.h"
#include "scenario.h"
#include "sim.h"

#define TAO BTW_TAO

/* The in-memory recorder is tests/helpers/memrec.h. */

/* Integer value of series `metric` for `entity` at `block`, or -1. */
static int64_t find(const memrec *m, const char *metric, int64_t entity, int64_t block)
{
    for (size_t i = 0; i < m->n; i++) {
        const rec_row *r = &m->rows[i];
        if (r->type == R_SERIES && r->entity == entity && r->block == block &&
            !strcmp(r->name, metric))
            return r->value;
    }
    return -1;
}

static size_t count(const memrec *m, const char *metric)
{
    size_t k = 0;
    for (size_t i = 0; i < m->n; i++)
        k += m->rows[i].type == R_SERIES && !strcmp(m->rows[i].name, metric);
    return k;
}

/* ---- configuration ------------------------------------------------------------------------ */

typedef struct world {
    bt_config cfg;
    bt_subnet_config sub[4];
} world;

/* A small network with the scenario defaults (spec §3.12) unless a test changes them. */
static void world_default(world *w, uint32_t nsub, uint64_t blocks)
{
    memset(w, 0, sizeof *w);
    bt_config *c = &w->cfg;
    for (uint32_t i = 0; i < nsub; i++)
        btw_subnet(&w->sub[i]);
    btw_chain(c, w->sub, nsub, blocks);
    c->validators.honest = 2, c->validators.noise = 0.05, c->validators.noisy_noise = 0.5;
    c->validators.stake = 1000 * TAO, c->validators.take_min = 11796;
    c->validators.take_max = 11796, c->validators.tao = 0;
    c->miners.quality = BT_QUALITY_BETA, c->miners.quality_a = 2, c->miners.quality_b = 5;
    c->miners.horizon_days = 30, c->miners.check_every = 720, c->miners.patience_days = 0;
    c->miners.genesis_registered = 1;
    c->delegators.stake = 100 * TAO, c->delegators.decide_every = 7200;
    c->delegators.move_delay = 360;
    c->root.stake = 1000 * TAO;
    c->record_every = 1000000;
    c->epochs_every = 0;
}

/* Runs w to its end; returns the recorder (and the model's error text in err). */
static int run_world(world *w, memrec *rec, char *err, size_t errlen)
{
    recorder r = {&memrec_vt, rec};
    return btw_run(&w->cfg, &r, err, errlen);
}

/* A model of w on a fresh simulation, recording into rec: for tests that step or inspect it. */
typedef struct live_world {
    memrec rec;
    recorder r;
    sim *s;
    bt_model *m;
    char err[512];
} live_world;

static void live_open(live_world *lw, const world *w)
{
    memset(lw, 0, sizeof *lw);
    lw->r = (recorder){&memrec_vt, &lw->rec};
    lw->s = sim_new();
    ck_assert_msg(bt_model_new(&w->cfg, lw->s, &lw->r, &lw->m, lw->err, sizeof lw->err) == 0, "%s",
                  lw->err);
    ck_assert_ptr_nonnull(lw->m);
}

static void live_close(live_world *lw)
{
    bt_model_free(lw->m);
    sim_free(lw->s);
    free(lw->rec.rows);
}

/* ---- halving ------------------------------------------------------------------------------- */

/* Total supply 100 TAO, 1 TAO per block: k = 1 from issuance 50 TAO, k = 2 from 75, k = 3 from
** 87.5 (spec §3.1: the first issuance with halving count k is ceil(T (1 - 2^-k))). Genesis
** holds 1 TAO (the pool; no agent has free TAO) and, with no root stake, the coinbase injects
** nothing at the root-proportion cap: every unit of the block emission buys alpha and none is
** recycled. Block b starts from issuance 1 + (b - 1) TAO, so k = 1 at b = 50, after which 0.5
** TAO per block reach 75 TAO 50 blocks later (b = 100), and 0.25 per block reach 87.5 at
** b = 150. */
START_TEST(halving_at_the_right_block)
{
    world w;
    world_default(&w, 1, 160);
    w.cfg.chain.total_supply = 100 * TAO;
    w.cfg.validators.honest = 1, w.cfg.validators.stake = TAO;
    w.sub[0].pool_tao = TAO, w.sub[0].pool_alpha = TAO, w.sub[0].miners = 2;
    w.sub[0].tempo = 10;
    memrec rec = {0};
    char err[512] = "";
    ck_assert_msg(run_world(&w, &rec, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(count(&rec, "halving"), 3);
    ck_assert_int_eq(find(&rec, "halving", 0, 50), 500000000);
    ck_assert_int_eq(find(&rec, "halving_issuance", 0, 50), 50 * (int64_t)TAO);
    ck_assert_int_eq(find(&rec, "halving", 0, 100), 250000000);
    ck_assert_int_eq(find(&rec, "halving_issuance", 0, 100), 75 * (int64_t)TAO);
    ck_assert_int_eq(find(&rec, "halving", 0, 150), 125000000);
    ck_assert_int_eq(find(&rec, "halving_issuance", 0, 150), 87500000000);
    /* The last sample: 87.5 TAO before block 150, then blocks 150..160 at 0.125 TAO each. */
    ck_assert_int_eq(find(&rec, "issuance", 0, 160), 87500000000 + INT64_C(11) * 125000000);
    free(rec.rows);
}
END_TEST

/* ---- the per-block split -------------------------------------------------------------------- */

/* 500 blocks, tempo 50: ten epochs, the last at block 500, so every pool is drained at the
** end. Alpha emission is 1e9 per block (alpha issuance far below half the supply), root
** proportion 0 (no root stake), owner cut 11796: spec §3.5 gives the floors 179_995_422
** (owner), 410_002_288 (server) and 410_002_288 (validator) per block, 2 units of dust. */
START_TEST(split_18_41_41_to_the_unit)
{
    world w;
    world_default(&w, 1, 500);
    w.sub[0].tempo = 50, w.sub[0].max_uids = 16, w.sub[0].miners = 12;
    w.sub[0].commit_reveal = 0, w.sub[0].delegators = 4;
    live_world lw;
    live_open(&lw, &w);
    ck_assert_int_eq(sim_run(lw.s), SIM_DONE);
    ck_assert_msg(bt_model_finish(lw.m, lw.err, sizeof lw.err) == 0, "%s", lw.err);
    bt_emission_totals t;
    ck_assert_int_eq(bt_model_emission_totals(lw.m, 0, &t), 0);
    ck_assert_uint_eq(t.minted, 500 * TAO);
    ck_assert_uint_eq(t.owner_cut, 500ull * 179995422ull);
    ck_assert_uint_eq(t.server, 500ull * 410002288ull);
    ck_assert_uint_eq(t.validator, 500ull * 410002288ull);
    ck_assert_uint_eq(t.dust, 500ull * 2ull);
    ck_assert_uint_eq(t.root, 0);
    ck_assert_uint_eq(t.root_recycled, 0);
    /* Everything drained was paid or left to nobody, to the unit. */
    ck_assert_uint_eq(t.paid_owner, t.owner_cut);
    ck_assert_uint_eq(t.paid_miners + t.paid_validators + t.paid_root + t.burned_incentive +
                          t.undistributed,
                      500ull * 2ull * 410002288ull);
    ck_assert_uint_gt(t.paid_miners, 0);
    ck_assert_uint_gt(t.paid_validators, 0);
    ck_assert_uint_eq(bt_model_emission_totals(lw.m, 1, &t), -1);
    live_close(&lw);
}
END_TEST

/* The chain buys alpha with the excess TAO before it injects (spec §3.5: step 2, then step 3),
** so the swap is priced from the pool as it stood before the block. One subnet with root stake:
** its root proportion is in (0, 1), so the injection is capped and part of the emission is
** excess. Across the first block's step: bought = floor(A0 x / (T0 + x)) from the reserves
** (T0, A0) before it; then SubnetAlphaIn = A0 - bought + alpha_inj, SubnetTAO = T0 + x + tao_inj.
** Priced after the injection instead, the buy differs (by 125 units at 1e12 reserves). */
START_TEST(chain_buy_prices_before_the_injection)
{
    world w;
    world_default(&w, 1, 10);
    w.sub[0].tempo = 5;
    w.cfg.root.stakers = 2; /* 1000 TAO each: a root proportion in (0, 1) */
    live_world lw;
    live_open(&lw, &w);
    uint64_t g = lw.m->genesis;
    sim_stop_at(lw.s, g);
    ck_assert_int_eq(sim_run(lw.s), SIM_DONE);
    const tsr_subnet *cs = &lw.m->cs[0];
    bt_subnet *sn = &lw.m->sub[0];
    uint64_t t0 = cs->subnet_tao, a0 = cs->alpha_in;
    uint64_t p0 = bt_balance(&sn->alpha, sn->a_protocol);
    sim_stop_at(lw.s, UINT64_MAX);
    ck_assert_int_eq(sim_step(lw.s), SIM_OK); /* the block step of g + 1, alone */
    ck_assert_uint_eq(sim_now(lw.s), g + 1);
    ck_assert_uint_eq(sim_phase(lw.s), BT_PH_BLOCK);
    const tsr_subnet_flow *f = &lw.m->flow[0];
    uint64_t x = f->excess_tao, ti = f->tao_injected, ai = f->alpha_injected;
    ck_assert_uint_gt(x, 0);
    ck_assert_uint_gt(ti, 0);
    ck_assert_uint_gt(ai, 0);
    uint64_t bought = (uint64_t)((unsigned __int128)a0 * x / ((unsigned __int128)t0 + x));
    uint64_t after_inj =
        (uint64_t)((unsigned __int128)(a0 + ai) * x / ((unsigned __int128)t0 + ti + x));
    ck_assert_uint_ne(bought, after_inj); /* the order is visible at these reserves */
    ck_assert_uint_eq(bt_balance(&sn->alpha, sn->a_protocol) - p0, bought);
    ck_assert_uint_eq(cs->alpha_in, a0 - bought + ai);
    ck_assert_uint_eq(cs->subnet_tao, t0 + x + ti);
    live_close(&lw);
}
END_TEST

/* ---- pruning -------------------------------------------------------------------------------- */

/* Re-applies spec §3.10 to the recorded history: Emission per uid from the latest epoch row
** (0 after a registration clears it), BlockAtRegistration from the registrations; the owner's
** uid 0 is immortal; among the others the minimum (Emission, BlockAtRegistration, uid) of the
** non-immune uids when more than MinNonImmuneUids of them exist, else of the immune ones. */
START_TEST(pruning_takes_the_lowest_emission_non_immune_uid)
{
    world w;
    world_default(&w, 1, 1500);
    bt_subnet_config *s = &w.sub[0];
    s->max_uids = 8, s->tempo = 20, s->immunity_period = 60, s->min_non_immune_uids = 1;
    s->commit_reveal = 0, s->miners = 20, s->burn = TAO / 1000, s->burn_min = TAO / 1000;
    s->weights_rate_limit = 0;
    w.cfg.validators.honest = 1;
    w.cfg.miners.tao = 100 * TAO, w.cfg.miners.check_every = 15, w.cfg.miners.horizon_days = 1e3;
    w.cfg.epochs_every = 1;
    memrec rec = {0};
    char err[512] = "";
    ck_assert_msg(run_world(&w, &rec, err, sizeof err) == 0, "%s", err);
    uint64_t emission[8] = {0}, bar[8] = {0};
    size_t prunes = 0, nonimmune_picks = 0;
    for (size_t i = 0; i < rec.n; i++) {
        const rec_row *r = &rec.rows[i];
        if (r->type == R_EPOCH) {
            emission[r->value] = r->amount;
            continue;
        }
        if (r->type != R_SERIES || strcmp(r->name, "pruned_uid") != 0)
            continue;
        uint64_t b = (uint64_t)r->block;
        int best_im = -1, best_non = -1, non = 0;
        for (int u = 1; u < 8; u++) {
            int immune = b - bar[u] < s->immunity_period;
            int *best = immune ? &best_im : &best_non;
            non += !immune;
            if (*best < 0 || emission[u] < emission[*best] ||
                (emission[u] == emission[*best] && bar[u] < bar[*best]))
                *best = u; /* ties left: the lower uid, visited first */
        }
        int want = non > s->min_non_immune_uids ? best_non : best_im;
        ck_assert_msg(r->value == want, "block %llu: pruned uid %lld, the rule gives %d",
                      (unsigned long long)b, (long long)r->value, want);
        nonimmune_picks += want == best_non;
        emission[r->value] = 0, bar[r->value] = b; /* the new neuron starts clean */
        prunes++;
    }
    ck_assert_uint_ge(prunes, 5);
    ck_assert_uint_ge(nonimmune_picks, 1);
    ck_assert_uint_eq(prunes, count(&rec, "registered_uid"));
    free(rec.rows);
}
END_TEST

/* A pruned uid's weight column is zeroed in every row (spec §3.10): after every event, no weights
** row holds a non-zero weight on a uid registered after the row was set (without commit-reveal a
** row is set at its uid's last_set block). Rows are scanned at the first prune after they are
** stored and bisected at later ones (bt_chain.c), so rows are pruned into several times here:
** a row lives 20 blocks and a candidate tries every 5. A lazy validator's copied rows count too.
** Observed and copied rows are stored as ascending from the start (bt_set_weights): every row so
** marked must ascend strictly, with commit-reveal off (run 0) and on (run 1, where a revealed
** row was committed earlier, so only the order is checked). Every non-empty row is flagged in
** the subnet's wrows, the rows a prune visits. */
START_TEST(pruning_zeroes_the_weight_column)
{
    world w;
    world_default(&w, 1, 1500);
    bt_subnet_config *s = &w.sub[0];
    s->max_uids = 12, s->tempo = 20, s->immunity_period = 10, s->min_non_immune_uids = 1;
    s->commit_reveal = _i, s->miners = 30, s->burn = TAO / 1000, s->burn_min = TAO / 1000;
    s->weights_rate_limit = 0;
    w.cfg.validators.honest = 2, w.cfg.validators.lazy = 1;
    w.cfg.validators.tao = 100 * TAO; /* a pruned validator registers again */
    w.cfg.miners.tao = 100 * TAO, w.cfg.miners.check_every = 5, w.cfg.miners.horizon_days = 1e3;
    live_world lw;
    live_open(&lw, &w);
    size_t checked = 0;  /* pairs on a uid re-registered after the row was set */
    size_t asc_rows = 0; /* rows stored as ascending (bisected at prunes) */
    int st;
    while ((st = sim_step(lw.s)) == SIM_OK) {
        const bt_subnet *sn = &lw.m->sub[0];
        for (uint32_t i = 0; i < sn->n; i++) {
            const bt_neuron *nr = &sn->neurons[i];
            /* prunes visit only the rows flagged in wrows: every non-empty row must be */
            ck_assert_msg(nr->nw == 0 || (sn->wrows[i / 64] >> (i % 64) & 1),
                          "uid %u holds %u weights but is not in wrows", i, nr->nw);
            /* a row taken as ascending must ascend strictly, or a bisection would miss a pair */
            asc_rows += nr->word == BT_WORD_ASC && nr->nw > 1;
            for (uint32_t k = 1; nr->word == BT_WORD_ASC && k < nr->nw; k++)
                ck_assert_uint_lt(nr->w[k - 1].uid, nr->w[k].uid);
            if (s->commit_reveal) /* a row's weights were committed before it was revealed */
                continue;
            for (uint32_t k = 0; k < nr->nw; k++) {
                uint16_t j = nr->w[k].uid;
                if (j >= sn->n || sn->neurons[j].bar <= nr->last_set)
                    continue;
                checked++;
                ck_assert_msg(nr->w[k].value == 0,
                              "uid %u's row (set at %llu) weights uid %u (registered at %llu)", i,
                              (unsigned long long)nr->last_set, j,
                              (unsigned long long)sn->neurons[j].bar);
            }
        }
    }
    ck_assert_int_eq(st, SIM_DONE);
    ck_assert_msg(bt_model_finish(lw.m, lw.err, sizeof lw.err) == 0, "%s", lw.err);
    ck_assert_uint_ge(count(&lw.rec, "pruned_uid"), 20);
    ck_assert_uint_ge(checked, s->commit_reveal ? 0 : 20);
    ck_assert_uint_ge(asc_rows, 20);
    live_close(&lw);
}
END_TEST

/* ---- stake moves ----------------------------------------------------------------------------- */

/* Every decision to move (series move_decided at block d) is followed by exactly one move of
** the same delegator to the same validator at d + move_delay, and by nothing earlier. */
START_TEST(stake_moves_obey_the_delay)
{
    world w;
    world_default(&w, 1, 3000);
    w.sub[0].tempo = 20, w.sub[0].max_uids = 16, w.sub[0].delegators = 30;
    w.sub[0].commit_reveal = 0, w.sub[0].weights_rate_limit = 0;
    w.cfg.validators.honest = 3, w.cfg.validators.take_min = 0, w.cfg.validators.take_max = 11796;
    w.cfg.validators.stake_spread = 1.0;
    w.cfg.delegators.decide_every = 100, w.cfg.delegators.move_delay = 37;
    w.cfg.delegators.noise = 1.0, w.cfg.delegators.switch_threshold = 0.0;
    memrec rec = {0};
    char err[512] = "";
    ck_assert_msg(run_world(&w, &rec, err, sizeof err) == 0, "%s", err);
    size_t decided = 0, moved = 0, ledger_moves = 0;
    for (size_t i = 0; i < rec.n; i++) {
        const rec_row *r = &rec.rows[i];
        ledger_moves += r->type == R_LEDGER && !strcmp(r->name, "stake_move");
        if (r->type != R_SERIES)
            continue;
        if (!strcmp(r->name, "moved"))
            moved++;
        if (strcmp(r->name, "move_decided") != 0)
            continue;
        decided++;
        int64_t found = -1;
        for (size_t j = i + 1; j < rec.n && found < 0; j++) {
            const rec_row *q = &rec.rows[j];
            if (q->type == R_SERIES && q->entity == r->entity && !strcmp(q->name, "moved"))
                found = (int64_t)j;
        }
        ck_assert_msg(found >= 0, "a decision at block %lld never moved", (long long)r->block);
        ck_assert_int_eq(rec.rows[found].block, r->block + 37);
        ck_assert_int_eq(rec.rows[found].value, r->value);
    }
    ck_assert_uint_gt(decided, 5);
    ck_assert_uint_eq(moved, decided);
    ck_assert_uint_eq(ledger_moves, moved);
    free(rec.rows);
}
END_TEST

/* The model's compact copies stay true all along a run with delegators moving stake and miners
** registering, stopping and being pruned: every position holding alpha has its member's live bit
** set (pay_nominators reads only those), and m->answer is each agent's quality when it is a
** serving miner, else -1 (what validators observe). The run must also clear some bits (empty
** positions found by a split), or the first check proves nothing. */
START_TEST(compact_copies_stay_true)
{
    world w;
    world_default(&w, 2, 3000);
    for (int k = 0; k < 2; k++) {
        bt_subnet_config *s = &w.sub[k];
        s->tempo = 20 + 7 * k, s->max_uids = 16, s->delegators = 30, s->miners = 30;
        s->commit_reveal = 0, s->weights_rate_limit = 0, s->immunity_period = 10;
        s->min_non_immune_uids = 1, s->burn = TAO / 1000, s->burn_min = TAO / 1000;
    }
    w.cfg.validators.honest = 3, w.cfg.validators.take_min = 0, w.cfg.validators.take_max = 11796;
    w.cfg.validators.tao = 100 * TAO; /* a pruned validator registers again */
    w.cfg.delegators.decide_every = 100, w.cfg.delegators.move_delay = 37;
    w.cfg.delegators.noise = 1.0, w.cfg.delegators.switch_threshold = 0.0;
    w.cfg.miners.tao = 100 * TAO, w.cfg.miners.check_every = 5, w.cfg.miners.patience_days = 1;
    w.cfg.block_seconds = 864, w.cfg.miners.cost = TAO; /* a day of 100 blocks, a costly one */
    live_world lw;
    live_open(&lw, &w);
    size_t held = 0, cleared = 0, stopped = 0;
    int st, step = 0;
    while ((st = sim_step(lw.s)) == SIM_OK) {
        if (++step % 7)
            continue;
        for (uint32_t s = 0; s < lw.m->nsub; s++) {
            const bt_subnet *sn = &lw.m->sub[s];
            for (uint32_t k = 0; k < sn->nmembers; k++) {
                const bt_member *mb = &sn->members[k];
                for (uint32_t i = 0; i < mb->npos; i++) {
                    bool live = (mb->live[i / 64] >> (i % 64)) & 1;
                    if (bt_balance(&sn->alpha, sn->pos[mb->pos[i]].acct) == 0) {
                        cleared += !live;
                        continue;
                    }
                    held++;
                    ck_assert_msg(live, "subnet %u member %u position %u holds alpha, bit clear", s,
                                  k, i);
                }
            }
        }
        for (uint32_t a = 0; a < lw.m->nagents; a++) {
            const bt_agent *ag = &lw.m->agents[a];
            double want = ag->role == BT_MINER && ag->serving ? ag->quality : -1.0;
            stopped += ag->role == BT_MINER && !ag->serving;
            ck_assert_msg(lw.m->answer[a] == want, "agent %u: answer %g, record says %g", a,
                          lw.m->answer[a], want);
        }
    }
    ck_assert_int_eq(st, SIM_DONE);
    ck_assert_msg(bt_model_finish(lw.m, lw.err, sizeof lw.err) == 0, "%s", lw.err);
    ck_assert_uint_gt(held, 1000);
    ck_assert_uint_gt(cleared, 10);
    ck_assert_uint_gt(stopped, 10);
    live_close(&lw);
}
END_TEST

/* ---- determinism -------------------------------------------------------------------------- */

/* Two runs of the same world give the same log, row for row; another seed differs. */
START_TEST(same_seed_same_log)
{
    world w;
    memrec a = {0}, b = {0}, c = {0};
    char err[512] = "";
    world_default(&w, 2, 2000);
    w.sub[0].tempo = 30, w.sub[1].tempo = 45, w.sub[0].max_uids = w.sub[1].max_uids = 12;
    w.sub[0].delegators = w.sub[1].delegators = 6;
    w.cfg.validators.lazy = 1, w.cfg.validators.noisy = 1, w.cfg.root.stakers = 3;
    w.cfg.miners.check_every = 50, w.cfg.miners.tao = 10 * TAO, w.cfg.miners.sell_fraction = 0.3;
    w.cfg.delegators.decide_every = 200, w.cfg.epochs_every = 1, w.cfg.record_every = 100;
    ck_assert_msg(run_world(&w, &a, err, sizeof err) == 0, "%s", err);
    ck_assert_msg(run_world(&w, &b, err, sizeof err) == 0, "%s", err);
    w.cfg.seed = 2;
    ck_assert_msg(run_world(&w, &c, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(a.n, b.n);
    ck_assert(memcmp(a.rows, b.rows, a.n * sizeof *a.rows) == 0);
    ck_assert(a.n != c.n || memcmp(a.rows, c.rows, a.n * sizeof *a.rows) != 0);
    free(a.rows);
    free(b.rows);
    free(c.rows);
}
END_TEST

/* The built binary: the demo scenario twice with one seed gives one digest, another seed
** another. */
static void digest_of(const char *seed, const char *db, char out[65])
{
    char scn[4096];
    snprintf(scn, sizeof scn, "%s", tdb_src("scenarios/bittensor-demo.cfg"));
    char *argv[] = {(char *)proc_tokensim(),
                    "run",
                    scn,
                    "--seed",
                    (char *)seed,
                    "--out",
                    (char *)db,
                    "--force",
                    "--no-plots",
                    "-q",
                    "--set",
                    "time.blocks=3000",
                    NULL};
    static proc_result r;
    ck_assert_int_eq(proc_run(argv, &r), 0);
    ck_assert_msg(r.status == 0, "tokensim failed: %s", r.err);
    const char *p = strstr(r.out, "digest:");
    ck_assert_ptr_nonnull(p);
    p += strlen("digest:");
    while (*p == ' ')
        p++;
    memcpy(out, p, 64);
    out[64] = '\0';
}

START_TEST(seeds_reproduce_digests)
{
    char a[65], b[65], c[65], db[4200];
    snprintf(db, sizeof db, "%s/d.db", proc_tmpdir());
    digest_of("7", db, a);
    digest_of("7", db, b);
    digest_of("8", db, c);
    ck_assert_str_eq(a, b);
    ck_assert_str_ne(a, c);
}
END_TEST

/* The snapshot scenario's digest does not depend on where it is run from (params_json records
** the snapshot path as the scenario wrote it). */
START_TEST(snapshot_digest_independent_of_cwd)
{
    char scn[4096], db[4200], d1[65], d2[65];
    snprintf(scn, sizeof scn, "%s", tdb_src("scenarios/bittensor-snapshot.cfg"));
    snprintf(db, sizeof db, "%s/s.db", proc_tmpdir());
    static proc_result r;
    char *a1[] = {
        (char *)proc_tokensim(), "run", scn, "--out", db, "--force", "--no-plots", "-q", "--set",
        "time.blocks=2000",      NULL};
    ck_assert_int_eq(proc_run(a1, &r), 0);
    ck_assert_msg(r.status == 0, "%s", r.err);
    memcpy(d1, strstr(r.out, "digest:") + 10, 64);
    d1[64] = '\0';
    char scen_dir[4096];
    snprintf(scen_dir, sizeof scen_dir, "%s", tdb_src("scenarios"));
    ck_assert_int_eq(chdir(scen_dir), 0);
    char *a2[] = {(char *)proc_tokensim(),
                  "run",
                  "bittensor-snapshot.cfg",
                  "--out",
                  db,
                  "--force",
                  "--no-plots",
                  "-q",
                  "--set",
                  "time.blocks=2000",
                  NULL};
    ck_assert_int_eq(proc_run(a2, &r), 0);
    ck_assert_msg(r.status == 0, "%s", r.err);
    memcpy(d2, strstr(r.out, "digest:") + 10, 64);
    d2[64] = '\0';
    ck_assert_str_eq(d1, d2);
}
END_TEST

/* ---- conservation --------------------------------------------------------------------------- */

/* One unit added behind the ledger's back is caught (at block `at`: the next block for
** accounts a chain counter mirrors, the next sample for the others), naming the account. */
static void corrupt_and_run(int ledger, size_t account, const char *want, const char *at)
{
    world w;
    world_default(&w, 1, 200);
    w.sub[0].tempo = 20, w.sub[0].max_uids = 12;
    live_world lw;
    live_open(&lw, &w);
    sim_stop_at(lw.s, 100);
    ck_assert_int_eq(sim_run(lw.s), SIM_DONE);
    struct tsr_ledger *l = bt_model_ledger(lw.m, ledger);
    ck_assert_ptr_nonnull(l);
    l->balance[account] += 1;
    sim_stop_at(lw.s, UINT64_MAX);
    ck_assert_int_lt(sim_run(lw.s), 0);
    ck_assert_msg(strstr(lw.err, at) != NULL, "%s", lw.err);
    ck_assert_msg(strstr(lw.err, want) != NULL, "%s", lw.err);
    ck_assert_msg(strstr(lw.err, "difference") != NULL, "%s", lw.err);
    live_close(&lw);
}

START_TEST(a_single_unit_fails_the_run)
{
    /* Alpha account 0 is the pool reserve (SubnetAlphaIn), checked every block; TAO account 0
    ** is the fee burn sink, mirrored by the fees counter, checked every block; TAO account 1 is
    ** the first validator's free balance, found by the full sum at the next sample (the run's
    ** last block here, 200). */
    corrupt_and_run(0, 0, "SubnetAlphaIn", "conservation violated at block 101");
    corrupt_and_run(-1, 0, "burned fees", "conservation violated at block 101");
    corrupt_and_run(-1, 1, "TAO: sum of balances", "conservation violated at block 200");
}
END_TEST

/* ---- agents and helpers ------------------------------------------------------------------- */

/* spec §2.6: [43690, 21845] is stored as [65535, 32768]; TV2: [0, 1, 65534] -> [0, 1, 65535],
** [65534] -> [65535], a vector already topped at 65535 is unchanged. */
START_TEST(max_upscale_as_set_weights)
{
    bt_pair a[] = {{0, 43690}, {1, 21845}};
    bt_max_upscale(a, 2);
    ck_assert_uint_eq(a[0].value, 65535);
    ck_assert_uint_eq(a[1].value, 32768);
    bt_pair b[] = {{0, 0}, {1, 1}, {2, 65534}};
    bt_max_upscale(b, 3);
    ck_assert_uint_eq(b[0].value, 0);
    ck_assert_uint_eq(b[1].value, 1);
    ck_assert_uint_eq(b[2].value, 65535);
    bt_pair c[] = {{0, 0}, {1, 1}, {2, 2}, {3, 3}, {4, 4}, {5, 65533}, {6, 65535}};
    bt_max_upscale(c, 7);
    ck_assert_uint_eq(c[5].value, 65533);
    ck_assert_uint_eq(c[4].value, 4);
    bt_pair d[] = {{0, 1}};
    bt_max_upscale(d, 1);
    ck_assert_uint_eq(d[0].value, 65535);
    /* 65535 first: the maximum is known there (nothing exceeds it), every value stays */
    bt_pair e[] = {{0, 65535}, {1, 7}, {2, 40000}, {3, 65535}, {4, 0}};
    const uint16_t same[] = {65535, 7, 40000, 65535, 0};
    bt_max_upscale(e, 5);
    for (int k = 0; k < 5; k++)
        ck_assert_uint_eq(e[k].value, same[k]);
    /* Longer rows (the maximum is found eight values a step, then one by one): 19 values
    ** 100 k with 32767 at uid 11, so k -> round(100 k * 65535 / 32767), e.g. 100 -> 200.003 ->
    ** 200, 1800 -> 3600.05 -> 3600; and 65535 only at uid 16, past the steps: nothing moves. */
    bt_pair f[19], g[17];
    for (uint16_t k = 0; k < 19; k++)
        f[k] = (bt_pair){k, (uint16_t)(k == 11 ? 32767 : 100 * k)};
    bt_max_upscale(f, 19);
    ck_assert_uint_eq(f[11].value, 65535);
    ck_assert_uint_eq(f[1].value, 200);
    ck_assert_uint_eq(f[18].value, 3600);
    for (uint16_t k = 0; k < 17; k++)
        g[k] = (bt_pair){k, (uint16_t)(k == 16 ? 65535 : 3 * k)};
    bt_max_upscale(g, 17);
    for (uint16_t k = 0; k < 17; k++)
        ck_assert_uint_eq(g[k].value, k == 16 ? 65535 : 3 * k);
}
END_TEST

/* Gini of [1,1,1,1] is 0; of [0,0,0,1] it is 2 * 4 / (4 * 1) - 5/4 = 0.75 and the top holder
** (1% of 4 rounds up to one) has everything; of [1,2,3,4]: 2 * 30 / 40 - 1.25 = 0.25, top1 0.4. */
START_TEST(concentration_by_hand)
{
    double g, t;
    double a[] = {1, 1, 1, 1}, b[] = {0, 1, 0, 0}, c[] = {4, 2, 3, 1};
    bt_concentration(a, 4, &g, &t);
    ck_assert_double_eq_tol(g, 0.0, 1e-12);
    ck_assert_double_eq_tol(t, 0.25, 1e-12);
    bt_concentration(b, 4, &g, &t);
    ck_assert_double_eq_tol(g, 0.75, 1e-12);
    ck_assert_double_eq_tol(t, 1.0, 1e-12);
    bt_concentration(c, 4, &g, &t);
    ck_assert_double_eq_tol(g, 0.25, 1e-12);
    ck_assert_double_eq_tol(t, 0.4, 1e-12);
}
END_TEST

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* bt_concentration sorts with a byte-wise radix sort of the values' bit patterns when every
** value is >= +0.0 (bt_metrics.c): the order, and so the Gini sums, must be exactly qsort's.
** Seeded arrays of 1 to 2100 values with many ties, zeros, subnormals and huge values; then
** arrays with a negative value or -0.0, which take qsort itself. */
START_TEST(concentration_sort_matches_qsort)
{
    uint64_t st = 3;
    static double v[2100], w[2100];
    for (int round = 0; round < 300; round++) {
        size_t n = 1 + (size_t)(round * 7) % 2100;
        for (size_t i = 0; i < n; i++) {
            st = st * 6364136223846793005ull + 1442695040888963407ull;
            uint64_t r = st >> 11;
            /* zeros, ties, subnormal or tiny, huge, and ordinary values */
            double pick[5] = {0.0, (double)(r % 17), (double)r * 1e-320, (double)r * 1e280,
                              (double)r / 3.0};
            v[i] = pick[r % 5];
            if (round % 50 == 49 && i == n / 2)
                v[i] = round % 100 == 49 ? -1.5 : -0.0; /* the qsort fallback */
        }
        memcpy(w, v, n * sizeof *v);
        qsort(w, n, sizeof *w, cmp_dbl);
        double g, t;
        bt_concentration(v, n, &g, &t);
        for (size_t i = 0; i < n; i++) {
            uint64_t bv, bw; /* the same bits: -0.0 and +0.0 included */
            memcpy(&bv, &v[i], sizeof bv);
            memcpy(&bw, &w[i], sizeof bw);
            ck_assert_msg(bv == bw, "round %d: v[%zu] = %g, qsort %g", round, i, v[i], w[i]);
        }
    }
}
END_TEST

/* Agents' integer decisions: exact fractions; registration weighs the burn; delegators need
** the threshold. */
START_TEST(agent_decisions)
{
    ck_assert_uint_eq(bt_fraction_of(1000, 0.25), 250);
    ck_assert_uint_eq(bt_fraction_of(21000000000000000ull, 0.5), 10500000000000000ull);
    ck_assert_uint_eq(bt_fraction_of(7, 0.5), 3); /* floor */
    ck_assert_uint_eq(bt_fraction_of(7, 0.0), 0);
    ck_assert_uint_eq(bt_draw_amount(5, 0.0, NULL), 5);
    bt_miner_params p = {BT_QUALITY_UNIFORM, 0, 1, TAO / 10, 10.0, 0, 3};
    /* share 1/2 of 100 alpha a day at price 1: 50 TAO a day, minus 0.1 cost, times 10 days =
    ** 499 TAO against a burn of 400 TAO: yes; of 500 TAO: no; unaffordable: no. */
    bt_miner_view v = {1.0, 1.0, 100.0 * TAO, 1.0, 400 * TAO, 1000 * TAO};
    ck_assert_int_eq(bt_miner_should_register(&p, &v), 1);
    v.burn = 500 * TAO;
    ck_assert_int_eq(bt_miner_should_register(&p, &v), 0);
    v.burn = 10 * TAO, v.free_tao = 9 * TAO;
    ck_assert_int_eq(bt_miner_should_register(&p, &v), 0);
    uint32_t bad = 0;
    ck_assert_int_eq(bt_miner_day(&p, 0, 1.0, &bad), 1); /* 1st unprofitable day */
    ck_assert_int_eq(bt_miner_day(&p, 0, 1.0, &bad), 1);
    ck_assert_int_eq(bt_miner_day(&p, 0, 1.0, &bad), 0); /* patience 3 exhausted */
    ck_assert_int_eq(bt_miner_day(&p, TAO, 1.0, &bad), 1);
    ck_assert_uint_eq(bad, 0);
    double y[] = {1.0, 1.05, 2.0};
    ck_assert_int_eq(bt_delegator_choose(y, 3, 2, 0.1, 0.0, NULL), 2);
    ck_assert_int_eq(bt_delegator_choose(y, 3, 0, 0.1, 0.0, NULL), 2);
    ck_assert_int_eq(bt_delegator_choose(y, 2, 0, 0.1, 0.0, NULL), 0); /* +5% < 10% */
    ck_assert_int_eq(bt_delegator_choose(y, 2, -1, 0.1, 0.0, NULL), 1);
    /* Lazy validators copy consensus, self and zeros excluded. */
    uint16_t cons[] = {100, 0, 300, 400};
    bt_pair out[4];
    ck_assert_uint_eq(bt_validator_copy(cons, 4, 3, out), 2);
    ck_assert_uint_eq(out[0].uid, 0);
    ck_assert_uint_eq(out[1].uid, 2);
    ck_assert_uint_eq(out[1].value, 300);
    /* Observing without noise: proportional to quality, non-answering uids excluded. */
    double q[] = {0.5, -1.0, 0.25, 1.0}, obs[4];
    ck_assert_uint_eq(bt_validator_observe(q, 4, 3, 0.0, NULL, NULL, NULL, obs, out), 2);
    ck_assert_uint_eq(out[0].uid, 0);
    ck_assert_uint_eq(out[0].value, 65535);
    ck_assert_uint_eq(out[1].value, 32768); /* round(65535 * 0.25 / 0.5) */
}
END_TEST

/* An observing validator with noise, recomputed here from its definition (bt_agents.h): one
** GSL ziggurat draw per answering uid in uid order, clamp at 0, scale by the largest, round half
** up; the model's fast draws (rng_gauss) and GSL's own give exactly these pairs. */
START_TEST(observe_draws_as_defined)
{
    enum { N = 200 };
    double q[N], obs[N], want[N];
    bt_pair got[N], slow[N];
    rng_zig z;
    rng_zig_init(&z);
    gsl_rng *r = rng_event_new();
    for (uint64_t ev = 0; ev < 40; ev++) {
        uint32_t self = (uint32_t)(ev * 37 % N);
        for (uint32_t j = 0; j < N; j++) /* every 7th uid silent; qualities in [0, 2) */
            q[j] = j % 7 == 3 ? -1.0 : (double)(((uint64_t)j * 2654435761u + ev) % 1000) / 500.0;
        double sigma = 0.02 + 0.1 * (double)(ev % 5);
        rng_key k = {ev, 0, RNG_PURPOSE_QUALITY, 100000 + ev};
        rng_event_reset(r, &k, ev * 1024 + 1);
        double max = 0.0;
        for (uint32_t j = 0; j < N; j++) {
            want[j] = 0.0;
            if (j != self && q[j] >= 0.0)
                want[j] = fmax(q[j] + gsl_ran_gaussian_ziggurat(r, sigma), 0.0);
            max = fmax(max, want[j]);
        }
        rng_event_reset(r, &k, ev * 1024 + 1);
        uint32_t n = bt_validator_observe(q, N, self, sigma, &z, r, NULL, obs, got);
        rng_event_reset(r, &k, ev * 1024 + 1);
        ck_assert_uint_eq(bt_validator_observe(q, N, self, sigma, NULL, r, NULL, obs, slow), n);
        ck_assert_int_eq(memcmp(got, slow, n * sizeof *got), 0);
        uint32_t i = 0;
        for (uint32_t j = 0; j < N; j++) {
            long v = lround(65535.0 * want[j] / max);
            if (want[j] <= 0.0 || v == 0)
                continue;
            ck_assert_uint_lt(i, n);
            ck_assert_uint_eq(got[i].uid, j);
            ck_assert_uint_eq(got[i].value, (uint16_t)v);
            i++;
        }
        ck_assert_uint_eq(i, n);
    }
    gsl_rng_free(r);
}
END_TEST

/* bt_validator_observe's definition (bt_agents.h), written plainly for observe_paths_as_defined:
** the draws interleaved with the uids, lround for the rounding, and no pair for a quotient that
** is not finite (65535 w overflowing, or an infinite largest w). w receives every w_j; st[0]
** counts the quotients that are exact halves, st[1] the positive w_j rounding to 0, st[2] those
** with a quotient that is not finite. */
static uint32_t observe_by_definition(const double *q, uint32_t n, uint32_t self, double sigma,
                                      gsl_rng *r, double *w, bt_pair *out, uint32_t st[3])
{
    double max = 0.0;
    for (uint32_t j = 0; j < n; j++) {
        double o = 0.0;
        if (j != self && q[j] >= 0.0) {
            o = q[j] + (sigma > 0.0 ? gsl_ran_gaussian_ziggurat(r, sigma) : 0.0);
            o = o > 0.0 ? o : 0.0;
        }
        w[j] = o;
        max = o > max ? o : max;
    }
    uint32_t np = 0;
    for (uint32_t j = 0; j < n && max > 0.0; j++) {
        double x = 65535.0 * w[j] / max;
        long v = isfinite(x) ? lround(x) : 0;
        st[0] += isfinite(x) && x - floor(x) == 0.5;
        st[1] += w[j] > 0.0 && isfinite(x) && v == 0;
        st[2] += w[j] > 0.0 && !isfinite(x);
        if (v > 0)
            out[np++] = (bt_pair){(uint16_t)j, (uint16_t)(v < 65535 ? v : 65535)};
    }
    return np;
}

/* Quality j of a random case of kind `kind` (observe_paths_as_defined), from g. */
static double random_quality(gsl_rng *g, uint32_t kind)
{
    static const double silent[] = {-1.0, -0.5, -1e-300, -HUGE_VAL, NAN};
    double u = gsl_rng_uniform(g);
    if (gsl_rng_uniform(g) < 0.15) /* a uid that does not answer */
        return silent[gsl_rng_uniform_int(g, 5)];
    switch (kind) {
    case 0: /* plain qualities in [0, 2), some exact zeros of either sign */
        return u < 0.05 ? 0.0 : u < 0.1 ? -0.0 : 2.0 * u;
    case 1: /* with a largest quality of 65535 and no noise, k + 0.5 scales to itself: a half */
        return u < 0.1 ? 65535.0 : floor(65535.0 * gsl_rng_uniform(g)) + (u < 0.6 ? 0.5 : 0.0);
    case 2: /* with a largest quality of 2 * 65535, every odd integer scales to a half */
        return u < 0.1 ? 131070.0 : (double)(2 * gsl_rng_uniform_int(g, 65535) + 1);
    case 3: /* tiny: subnormal and near the bottom of the normal range; some round to 0 */
        return u < 0.3 ? u * 1e-320 : u * 1e-300;
    case 4: /* huge: 65535 q overflows above 2.7e303 (no pair), DBL_MAX itself */
        return u < 0.3 ? u * 1e300 : u < 0.9 ? u * 1e305 : DBL_MAX;
    case 5: /* mostly zeros (often none positive, when there is no noise) */
        return u < 0.9 ? 0.0 : u;
    default: /* an infinite quality: an infinite largest w, so no pair at all */
        return u < 0.02 ? HUGE_VAL : u;
    }
}

/* Every copy of bt_validator_observe's loops (_i = 0: generic C, 1: the dispatched fast copy,
** AVX-512 where the processor has it) against observe_by_definition over random cases: n from 0
** to 300 (and once past 65536, where uids wrap as bt_pair's u16 does), self anywhere (or past
** n), silent uids (negative, -inf, NaN), zeros of either sign, no noise and noise of several
** sizes (drawn through rng_gauss or GSL), exact halves after scaling, tiny, huge and infinite
** qualities. Same pairs, same values left in obs, nothing written past the pairs, the same
** number of draws taken. quality and obs have exactly n doubles (for ASan). */
/* The same observation with its draws made beforehand (bt_drawn, as bt_ahead delivers them):
** enough of them (r then keyed elsewhere, so drawing from it would show), and too few (r keyed
** as the event's stream, which must then be drawn from); both give the pairs wanted. */
static void observe_predrawn(const double *q, uint32_t n, uint32_t self, double sigma,
                             const rng_key *k, gsl_rng *r, double *obs, bt_pair *got,
                             const bt_pair *want, uint32_t nw, int vec)
{
    if (!(sigma > 0.0) || n == 0)
        return;
    double *d = malloc(n * sizeof *d), *bad = calloc(n, sizeof *bad); /* bad: all 0 */
    ck_assert(d && bad);
    rng_event_reset(r, k, 3);
    for (uint32_t j = 0; j < n; j++)
        d[j] = gsl_ran_gaussian_ziggurat(r, sigma);
    rng_key other = *k;
    other.entity++;
    for (int few = 0; few < 2; few++) {
        bt_drawn pre = {few ? bad : d, few ? 0 : n}; /* too few: never read */
        rng_event_reset(r, few ? k : &other, 3);
        uint32_t ng = bt__validator_observe_path(q, n, self, sigma, NULL, r, &pre, obs, got, vec);
        ck_assert_msg(ng == nw, "predrawn (few %d, n %u): %u pairs, want %u", few, n, ng, nw);
        for (uint32_t t = 0; t < nw; t++)
            ck_assert_msg(got[t].uid == want[t].uid && got[t].value == want[t].value,
                          "predrawn (few %d, n %u) pair %u", few, n, t);
    }
    free(d);
    free(bad);
}

START_TEST(observe_paths_as_defined)
{
    if (_i == 1 && !bt__observe_vec_available())
        fprintf(stderr, "observe_paths_as_defined: no AVX-512 here, the generic copy again\n");
    static const double sigmas[] = {0.0, 0.0, 0.02, 0.3, 2.0, 1e-300, 1e299};
    rng_zig z;
    rng_zig_init(&z);
    gsl_rng *r = rng_event_new(), *g = rng_event_new();
    rng_key gk = {7, 0, RNG_PURPOSE_QUALITY, 99};
    rng_event_reset(g, &gk, 1);
    uint32_t st[3] = {0, 0, 0}, pairs = 0, empty = 0;
    for (uint32_t c = 0; c < 7 * 301; c++) {
        uint32_t n = c ? c % 301 : 65536 + 77, kind = c % 7; /* case 0: uids past u16 wrap */
        uint32_t self = c % 10 == 9 ? UINT32_MAX : (uint32_t)gsl_rng_uniform_int(g, n + 3);
        double sigma = kind == 1 || kind == 2 ? 0.0 : sigmas[gsl_rng_uniform_int(g, 7)];
        if (kind == 3 && sigma > 1.0)
            sigma = 1e-300;
        double *q = malloc(n * sizeof *q), *obs = malloc(n * sizeof *obs);
        double *w = malloc((n + 1) * sizeof *w);
        bt_pair *want = malloc((n + 1) * sizeof *want), *got = malloc((n + 1) * sizeof *got);
        ck_assert(((q && obs) || n == 0) && w && want && got);
        for (uint32_t j = 0; j < n; j++)
            q[j] = random_quality(g, kind);
        for (uint32_t j = 0; j < n; j++)
            obs[j] = 12345.0; /* not zero: an unwritten observation shows */
        memset(got, 0xA5, (n + 1) * sizeof *got);
        rng_key k = {c, 0, RNG_PURPOSE_QUALITY, 100000 + c};
        rng_event_reset(r, &k, 3);
        uint32_t nw = observe_by_definition(q, n, self, sigma, r, w, want, st);
        unsigned long next = gsl_rng_get(r);
        rng_event_reset(r, &k, 3);
        uint32_t ng = bt__validator_observe_path(q, n, self, sigma, c % 2 ? &z : NULL, r, NULL, obs,
                                                 got, (int)_i);
        ck_assert_msg(ng == nw, "case %u (n %u, self %u, kind %u): %u pairs, want %u", c, n, self,
                      kind, ng, nw);
        for (uint32_t t = 0; t < nw; t++)
            ck_assert_msg(got[t].uid == want[t].uid && got[t].value == want[t].value,
                          "case %u (n %u, self %u, kind %u) pair %u: (%u, %u), want (%u, %u)", c, n,
                          self, kind, t, got[t].uid, got[t].value, want[t].uid, want[t].value);
        for (uint32_t t = nw; t <= n; t++)
            ck_assert_msg(got[t].uid == 0xA5A5 && got[t].value == 0xA5A5,
                          "case %u: pair %u written past the %u pairs", c, t, nw);
        ck_assert_msg(memcmp(obs, w, n * sizeof *w) == 0, "case %u: obs differs", c);
        ck_assert_msg(gsl_rng_get(r) == next, "case %u: another number of draws", c);
        observe_predrawn(q, n, self, sigma, &k, r, obs, got, want, nw, (int)_i);
        pairs += nw;
        empty += nw == 0 && n > 0;
        free(q), free(obs), free(w), free(want), free(got);
    }
    /* the cases reach what they are for: halves, positive observations rounding to 0 or to no
    ** number, many pairs, and rows without any */
    ck_assert_uint_gt(st[0], 1000);
    ck_assert_uint_gt(st[1], 1000);
    ck_assert_uint_gt(st[2], 1000);
    ck_assert_uint_gt(pairs, 100000);
    ck_assert_uint_gt(empty, 100);
    gsl_rng_free(g);
    gsl_rng_free(r);
}
END_TEST

/* ---- snapshots ------------------------------------------------------------------------------ */

/* The shipped example loads, and a run starting from it starts from its state. */
START_TEST(example_snapshot_runs)
{
    scn_scenario sc;
    scn_errors *e = scn_errors_new();
    int rc = scn_load_file(tdb_src("scenarios/bittensor-snapshot.cfg"), NULL, 0, &sc, e);
    ck_assert_msg(rc == SCN_OK, "%s", scn_errors_count(e) ? scn_errors_get(e, 0) : "?");
    const scn_bt_subnet *s = &sc.bt.subnets[0];
    ck_assert_ptr_nonnull(s->snapshot);
    ck_assert_uint_eq(s->snapshot->n, 12);
    ck_assert_uint_eq(s->snapshot->block, 5000000);
    ck_assert_uint_eq(s->max_uids, 16);         /* from the snapshot's hyperparameters */
    ck_assert_int_eq(s->commit_reveal, 0);      /* the scenario's override wins */
    ck_assert_uint_eq(s->pool_tao, 1500 * TAO); /* the snapshot's pool */
    ck_assert_uint_eq(s->burn, TAO / 4);        /* the snapshot's burn */
    ck_assert_uint_eq(s->tempo, 360);
    ck_assert_str_eq(s->snapshot->neurons[1].hotkey, "5Val-Alpha");
    ck_assert_uint_eq(s->snapshot->neurons[1].stake, 60000 * TAO);
    ck_assert_uint_eq(s->snapshot->neurons[1].nweights, 8);
    ck_assert_int_eq(s->snapshot->neurons[4].role, SCN_SNAP_MINER);
    scn_clear(&sc);
    scn_errors_free(e);
}
END_TEST

/* A malformed snapshot names the file, the line and the field. */
/* Loads a scenario of one subnet from snapshot `json`: refused, with "PATH:" `want` among the
** errors (want: "LINE: field: message"). Returns how many errors there were. */
static size_t bad_snapshot(const char *json, const char *want)
{
    char dir[4096], path[4200], cfg[8192];
    snprintf(dir, sizeof dir, "%s", proc_tmpdir());
    snprintf(path, sizeof path, "%s/s.json", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(json, f);
    fclose(f);
    snprintf(cfg, sizeof cfg,
             "name = \"s\"; model = \"bittensor\"; time = { blocks = 10; };\n"
             "subnet_defaults = { snapshot = \"%s\"; };\nvalidators = { honest = 0; };\n",
             path);
    scn_scenario sc;
    scn_errors *e = scn_errors_new();
    ck_assert_int_eq(scn_load_text(cfg, "t.cfg", NULL, 0, &sc, e), SCN_EINVAL);
    char full[8400];
    snprintf(full, sizeof full, "%s:%s", path, want);
    int ok = 0;
    for (size_t i = 0; i < scn_errors_count(e); i++)
        ok |= strcmp(scn_errors_get(e, i), full) == 0;
    ck_assert_msg(ok, "wanted \"%s\", got \"%s\"", full,
                  scn_errors_count(e) ? scn_errors_get(e, 0) : "(nothing)");
    size_t n = scn_errors_count(e);
    scn_errors_free(e);
    return n;
}

#define N1 "{\"uid\":0,\"hotkey\":\"a\",\"stake\":\"1\",\"registered_at\":5}"
#define N2 "{\"uid\":1,\"hotkey\":\"b\",\"stake\":\"2\",\"registered_at\":5}"

START_TEST(malformed_snapshots_name_the_field)
{
    bad_snapshot("{\"block\":10,\"neurons\":[" N1 ",{\"uid\":1,\"hotkey\":\"b\",\"stake\":2.5,"
                 "\"registered_at\":5}]}",
                 "1: neurons[1].stake: expected a token amount (a decimal string such as \"12.5\", "
                 "or an integer), got number");
    bad_snapshot("{\"block\":10,\"neurons\":[" N1 ",{\"uid\":1,\"hotkey\":\"b\",\"stake\":\"2\"}]}",
                 "1: neurons[1].registered_at: missing");
    bad_snapshot("{\"block\":10,\"neurons\":[" N1 ",{\"uid\":1,\"hotkey\":\"b\",\"stake\":\"2\","
                 "\"registered_at\":11}]}",
                 "1: neurons[1].registered_at: 11 is out of range [0, 10]");
    bad_snapshot("{\"block\":10,\"neurons\":[" N1 "," N1 "]}",
                 "1: neurons[1].uid: uid 0 appears twice");
    bad_snapshot("{\"block\":10,\"neurons\":[" N1 ",{\"uid\":1,\"hotkey\":\"b\",\"stake\":\"2\","
                 "\"registered_at\":5,\"weights\":[[0,7],[9,1]]}]}",
                 "1: neurons[uid 1].weights: uid 9 is not below the number of neurons (2)");
    bad_snapshot("{\"block\":10,\"hyperparameters\":{\"tempo\":0},\"neurons\":[" N1 "," N2 "]}",
                 "1: hyperparameters.tempo = 0 is out of range [1, 65535]");
    bad_snapshot("{\"block\":10,\"neurons\":[" N1 "," N2 "],\"colour\":1}",
                 "1: colour: unknown field");
    /* a missing or refused block is one error, not one more per neuron bounded by it */
    ck_assert_uint_eq(bad_snapshot("{\"neurons\":[" N1 "," N2 "]}", "1: block: missing"), 1);
    ck_assert_uint_eq(bad_snapshot("{\"block\":\"abc\",\"neurons\":[" N1 "," N2 "]}",
                                   "1: block: expected integer, got string"),
                      1);
    bad_snapshot("{\"block\":10,\"pool\":{\"tao\":\"1\"},\"neurons\":[" N1 "]}",
                 "1: pool.alpha: missing (give tao and alpha)");
}
END_TEST

/* The line of each message is that of the field's value (lines counted by hand below), of the
** object lacking a missing field, and of an array element named by its uid. */
START_TEST(snapshot_messages_give_the_line)
{
    const char *json = "{\n"                                                     /* 1 */
                       "  \"block\": 10,\n"                                      /* 2 */
                       "  \"hyperparameters\": {\n"                              /* 3 */
                       "    \"kappa\": 0.5,\n"                                   /* 4 */
                       "    \"tempo\": 0\n"                                      /* 5 */
                       "  },\n"                                                  /* 6 */
                       "  \"neurons\": [\n"                                      /* 7 */
                       "    " N1 ",\n"                                           /* 8 */
                       "    {\n"                                                 /* 9 */
                       "      \"uid\": 1, \"hotkey\": \"b\",\n"                  /* 10 */
                       "      \"stake\":\n"                                      /* 11 */
                       "        2.5,\n"                                          /* 12 */
                       "      \"registered_at\": 5,\n"                           /* 13 */
                       "      \"weights\": [[0, 7],\n"                           /* 14 */
                       "                  [9, 1]]\n"                             /* 15 */
                       "    },\n"                                                /* 16 */
                       "    {\"uid\": 2, \"hotkey\": \"c\", \"stake\": \"1\"}\n" /* 17 */
                       "  ],\n"                                                  /* 18 */
                       "  \"colour\": \"red\"\n"                                 /* 19 */
                       "}\n";
    /* the value of stake starts on line 12, not at its key on line 11 */
    bad_snapshot(json, "12: neurons[1].stake: expected a token amount (a decimal string such as "
                       "\"12.5\", or an integer), got number");
    bad_snapshot(json, "17: neurons[2].registered_at: missing"); /* its object's line */
    bad_snapshot(json, "5: hyperparameters.tempo = 0 is out of range [1, 65535]");
    bad_snapshot(json, "19: colour: unknown field");
    /* the weights are checked once the uids are known: [uid 1] is neurons[1] */
    bad_snapshot(
        "{\"block\": 10,\n"                                                           /* 1 */
        " \"neurons\": [\n"                                                           /* 2 */
        "  " N1 ",\n"                                                                 /* 3 */
        "  {\"uid\": 1, \"hotkey\": \"b\", \"stake\": \"2\", \"registered_at\": 5,\n" /* 4 */
        "   \"weights\": [[0, 7],\n"                                                  /* 5 */
        "               [9, 1]]}\n"                                                   /* 6 */
        " ]}\n",                                                                      /* 7 */
        "5: neurons[uid 1].weights: uid 9 is not below the number of neurons (2)");
}
END_TEST

START_TEST(snapshot_json_syntax_and_file_errors)
{
    char dir[4096], path[4200];
    snprintf(dir, sizeof dir, "%s", proc_tmpdir());
    snprintf(path, sizeof path, "%s/bad.json", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("{\n  \"block\": 10,\n  \"neurons\": [,]\n}\n", f);
    fclose(f);
    char cfg[8192];
    snprintf(cfg, sizeof cfg,
             "name = \"s\"; model = \"bittensor\"; time = { blocks = 10; };\n"
             "subnet_defaults = { snapshot = \"%s\"; };\n",
             path);
    scn_scenario sc;
    scn_errors *e = scn_errors_new();
    ck_assert_int_eq(scn_load_text(cfg, "t.cfg", NULL, 0, &sc, e), SCN_EINVAL);
    char want[4300];
    snprintf(want, sizeof want, "%s:3: invalid JSON: ", path);
    ck_assert_msg(strncmp(scn_errors_get(e, 0), want, strlen(want)) == 0, "%s",
                  scn_errors_get(e, 0));
    scn_errors_free(e);
    e = scn_errors_new();
    snprintf(cfg, sizeof cfg,
             "name = \"s\"; model = \"bittensor\"; time = { blocks = 10; };\n"
             "subnet_defaults = { snapshot = \"%s/missing.json\"; };\n",
             dir);
    ck_assert_int_eq(scn_load_text(cfg, "t.cfg", NULL, 0, &sc, e), SCN_EINVAL);
    ck_assert_ptr_nonnull(strstr(scn_errors_get(e, 0), "missing.json: cannot open the snapshot"));
    scn_errors_free(e);
}
END_TEST

/* The shipped halving scenario's promise, by arithmetic (its full 21M-block run is the slow
** CLI test below): genesis 1,168 TAO, 1 TAO per block, so block b starts from
** 1168 + (b - 1) TAO; 10.5M is first reached at b = 10,498,833 and 15.75M (0.5 TAO per block
** after it) 10,500,000 blocks later; the run covers both. */
START_TEST(halving_scenario_covers_both_halvings)
{
    scn_scenario sc;
    ck_assert_int_eq(scn_load_file(tdb_src("scenarios/bittensor-halving.cfg"), NULL, 0, &sc, NULL),
                     SCN_OK);
    const scn_bt_subnet *s = &sc.bt.subnets[0];
    uint32_t v = sc.bt.validators.honest + sc.bt.validators.lazy + sc.bt.validators.noisy;
    uint64_t genesis = s->pool_tao + v * sc.bt.validators.tao + s->miners * sc.bt.miners.tao +
                       sc.bt.owners.tao + sc.bt.root.stakers * sc.bt.root.stake +
                       v * sc.bt.validators.root_stake;
    ck_assert_uint_eq(genesis, 1168 * TAO);
    ck_assert_uint_eq(sc.bt.root.stakers + sc.bt.validators.root_stake, 0); /* no recycling */
    uint64_t first = (sc.bt.chain.total_supply / 2 - genesis) / sc.bt.chain.block_emission + 1;
    ck_assert_uint_eq(first, 10498833);
    uint64_t second = first + (sc.bt.chain.total_supply / 4) / (sc.bt.chain.block_emission / 2);
    ck_assert_uint_eq(second, 20998833);
    ck_assert_uint_gt(sc.time.blocks, second);
    scn_clear(&sc);
}
END_TEST

/* Runs scenarios/<cfg> through the binary into db, with up to two --set (NULL: none); the run
** must succeed. r receives its output. */
static void run_cli(const char *cfg, const char *db, const char *set1, const char *set2,
                    proc_result *r)
{
    char rel[256];
    snprintf(rel, sizeof rel, "scenarios/%s", cfg);
    char *argv[16] = {(char *)proc_tokensim(),
                      "run",
                      (char *)tdb_src(rel),
                      "--out",
                      (char *)db,
                      "--force",
                      "--no-plots",
                      "-q"};
    int n = 8;
    if (set1)
        argv[n++] = "--set", argv[n++] = (char *)set1;
    if (set2)
        argv[n++] = "--set", argv[n++] = (char *)set2;
    argv[n] = NULL;
    ck_assert_int_eq(proc_run(argv, r), 0);
    ck_assert_msg(r->status == 0, "%s", r->err);
}

/* DefaultMinStake on sales (spec bittensor §3.9): miners selling a millionth of their position
** a day (owners not at all) sell only when it pays at least 2e6 rao (203 sales; without the
** rule the same run made 250, so this fails on a model that ignores it). */
START_TEST(small_sales_refused_below_min_stake)
{
    char db[4200];
    snprintf(db, sizeof db, "%s/minstake.db", proc_tmpdir());
    static proc_result r;
    run_cli("bittensor-demo.cfg", db, "miners.sell_fraction=0.000001", "owners.sell_fraction=0",
            &r);
    ck_assert_int_gt(tdb_int(db, "SELECT count(*) FROM ledger WHERE reason = 'sell_alpha'"), 0);
    ck_assert_int_ge(tdb_int(db, "SELECT min(amount) FROM ledger WHERE reason = 'sell_alpha'"),
                     2000000);
}
END_TEST

/* The full halving scenario through the binary: the DB's halving rows sit at the blocks above,
** the issuance never exceeds 21M. Slow (about half a minute); label "slow". */
START_TEST(halving_scenario_full_run)
{
    char db[4200], sql[512];
    snprintf(db, sizeof db, "%s/h.db", proc_tmpdir());
    static proc_result r;
    run_cli("bittensor-halving.cfg", db, NULL, NULL, &r);
    snprintf(
        sql, sizeof sql,
        "SELECT group_concat(block || ':' || value, ' ') FROM (SELECT block, value FROM series "
        "WHERE metric = 'halving' ORDER BY block); SELECT max(value) <= 21000000000000000 "
        "FROM series WHERE metric = 'issuance';");
    char *q[] = {"/usr/bin/sqlite3", db, sql, NULL};
    ck_assert_int_eq(proc_run(q, &r), 0);
    ck_assert_str_eq(r.out, "10498833:500000000 20998833:250000000\n1\n");
}
END_TEST

/* ---- draws made ahead (bt_ahead.h) -------------------------------------------------------- */

/* Whether a[0..n) and b[0..n) hold the same numbers (draws: never NaN, so == is identity). */
static bool same_draws(const double *a, const double *b, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

/* Waits (bounded) until the helper has made `want` jobs; false if it never does. */
static bool ahead_wait(const bt_ahead *h, uint64_t want)
{
    for (int i = 0; i < 20000; i++) {
        uint64_t made, cancelled;
        bt__ahead_counts(h, &made, &cancelled);
        if (made >= want)
            return true;
        struct timespec ts = {0, 500000L};
        nanosleep(&ts, NULL);
    }
    return false;
}

/* The helper's draws are the stream's own: for random keys, events, sigmas and counts, what a
** take returns equals rng_gauss_fill on a generator re-keyed the same way (GSL's ziggurat with
** no fast table, so not the helper's own path); a take for another event, key or sigma, or
** twice, or without a post, returns nothing; a post that replaces a job leaves only the new
** one; a take right after its post (the helper racing it) returns either nothing or the right
** draws. bt_ahead_prefetch before a take (or on no slot, or on no helper) changes none of it. */
START_TEST(ahead_draws_are_the_streams)
{
    rng_zig z;
    rng_zig_init(&z);
    enum { SLOTS = 6, N = 300 };
    bt_ahead *h = bt_ahead_new(SLOTS, &z);
    ck_assert_ptr_nonnull(h);
    gsl_rng *r = rng_event_new();
    double want[N];
    uint64_t posted = 0;
    for (int round = 0; round < 40; round++) {
        rng_key k[SLOTS];
        uint64_t ev[SLOTS];
        double sig[SLOTS];
        uint32_t cnt[SLOTS];
        for (uint32_t sl = 0; sl < SLOTS; sl++) {
            k[sl] = (rng_key){7 + (uint64_t)round, (uint32_t)sl, RNG_PURPOSE_QUALITY, 100 + sl};
            ev[sl] = (uint64_t)round * 1024u + sl;
            sig[sl] = sl % 2 ? 0.05 : 0.5 * (round + 1);
            cnt[sl] = 1 + (uint32_t)((round * 37 + sl * 11) % N);
            if (sl == 0) /* replaced before it is made: only the second job counts */
                ck_assert_int_eq(bt_ahead_post(h, sl, &k[sl], ev[sl] + 1, sig[sl], cnt[sl]), 0);
            ck_assert_int_eq(bt_ahead_post(h, sl, &k[sl], ev[sl], sig[sl], cnt[sl]), 0);
            posted++;
        }
        ck_assert_msg(ahead_wait(h, posted), "the helper made no draws");
        for (uint32_t sl = 0; sl < SLOTS; sl++) {
            uint32_t got = 0;
            rng_key other = k[sl];
            other.entity++;
            ck_assert_ptr_null(bt_ahead_take(h, sl, &other, ev[sl], sig[sl], &got));
            /* the wrong-key take emptied the slot: post again, then take it right */
            ck_assert_int_eq(bt_ahead_post(h, sl, &k[sl], ev[sl], sig[sl], cnt[sl]), 0);
            posted++;
            ck_assert(ahead_wait(h, posted));
            ck_assert_ptr_null(bt_ahead_take(h, sl, &k[sl], ev[sl], sig[sl] * 2, &got));
            ck_assert_int_eq(bt_ahead_post(h, sl, &k[sl], ev[sl], sig[sl], cnt[sl]), 0);
            posted++;
            ck_assert(ahead_wait(h, posted));
            bt_ahead_prefetch(h, sl);
            const double *d = bt_ahead_take(h, sl, &k[sl], ev[sl], sig[sl], &got);
            ck_assert_ptr_nonnull(d);
            ck_assert_uint_eq(got, cnt[sl]);
            rng_event_reset(r, &k[sl], ev[sl]);
            for (uint32_t i = 0; i < cnt[sl]; i++)
                want[i] = gsl_ran_gaussian_ziggurat(r, sig[sl]);
            ck_assert_msg(same_draws(d, want, cnt[sl]), "slot %u round %d", sl, round);
            ck_assert_ptr_null(bt_ahead_take(h, sl, &k[sl], ev[sl], sig[sl], &got)); /* taken */
        }
    }
    for (int i = 0; i < 200; i++) { /* racing takes: nothing, or the right draws */
        rng_key k = {99, 0, RNG_PURPOSE_QUALITY, (uint64_t)i};
        uint32_t got = 0;
        ck_assert_int_eq(bt_ahead_post(h, (uint32_t)i % SLOTS, &k, 5, 0.1, 64), 0);
        bt_ahead_prefetch(h, (uint32_t)i % SLOTS); /* racing the helper's writes: harmless */
        const double *d = bt_ahead_take(h, (uint32_t)i % SLOTS, &k, 5, 0.1, &got);
        if (!d)
            continue;
        rng_event_reset(r, &k, 5);
        for (uint32_t j = 0; j < 64; j++)
            want[j] = gsl_ran_gaussian_ziggurat(r, 0.1);
        ck_assert(got == 64 && same_draws(d, want, 64));
    }
    uint32_t got = 7;
    rng_key k = {1, 0, 0, 0};
    bt_ahead_prefetch(h, SLOTS); /* out of range: nothing */
    bt_ahead_prefetch(NULL, 0);
    ck_assert_ptr_null(bt_ahead_take(h, SLOTS, &k, 0, 0.1, &got)); /* out of range */
    ck_assert_uint_eq(got, 0);
    ck_assert_int_eq(bt_ahead_post(h, SLOTS, &k, 0, 0.1, 8), -1);
    ck_assert_int_eq(bt_ahead_post(h, 0, &k, 0, 0.0, 8), -1); /* no noise: nothing to draw */
    ck_assert_int_eq(bt_ahead_post(h, 0, &k, 0, 0.1, 0), -1);
    gsl_rng_free(r);
    bt_ahead_free(h);
}
END_TEST

/* The helper runs at the lowest priority (bgthread.h), from its first job to its end: the kernel
** reports one more thread at nice 19 while it lives, and none after bt_ahead_free. */
START_TEST(ahead_helper_gives_way)
{
    rng_zig z;
    rng_zig_init(&z);
    int before = bg__threads_with_nice(BG_THREAD_NICE);
    ck_assert_int_ge(before, 0);
    bt_ahead *h = bt_ahead_new(1, &z);
    ck_assert_ptr_nonnull(h);
    rng_key k = {3, 0, RNG_PURPOSE_QUALITY, 9};
    ck_assert_int_eq(bt_ahead_post(h, 0, &k, 1, 0.1, 16), 0);
    ck_assert_msg(ahead_wait(h, 1), "the helper made no draws"); /* so it has started */
    ck_assert_int_eq(bg__threads_with_nice(BG_THREAD_NICE), before + 1);
    bt_ahead_free(h);
    ck_assert_int_eq(bg__threads_with_nice(BG_THREAD_NICE), before);
}
END_TEST

/* A run's log is the same with and without the helper: validators with several noise levels
** on two subnets whose tempos are long enough (in wall time) for the helper to make most draws
** first and short enough for it to lose some races (cancelled jobs). */
START_TEST(helper_same_log)
{
    world w;
    memrec a = {0}, b = {0};
    char err[512] = "";
    world_default(&w, 2, 6000);
    w.sub[0].tempo = 99, w.sub[1].tempo = 360, w.sub[0].max_uids = 64, w.sub[1].max_uids = 40;
    w.sub[0].weights_rate_limit = w.sub[1].weights_rate_limit = 50;
    w.cfg.validators.honest = 5, w.cfg.validators.lazy = 1, w.cfg.validators.noisy = 2;
    w.cfg.miners.check_every = 50, w.cfg.miners.tao = 10 * TAO, w.cfg.epochs_every = 1;
    w.cfg.record_every = 100;
    w.cfg.helper = BT_HELPER_OFF;
    ck_assert_msg(run_world(&w, &a, err, sizeof err) == 0, "%s", err);
    w.cfg.helper = BT_HELPER_ON;
    ck_assert_msg(run_world(&w, &b, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_gt(a.n, 1000);
    ck_assert_uint_eq(a.n, b.n);
    ck_assert(memcmp(a.rows, b.rows, a.n * sizeof *a.rows) == 0);
    free(a.rows);
    free(b.rows);
}
END_TEST

static Suite *bt_suite(void)
{
    Suite *s = suite_create("bittensor");
    TCase *tc = tcase_create("model");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, halving_at_the_right_block);
    tcase_add_test(tc, split_18_41_41_to_the_unit);
    tcase_add_test(tc, chain_buy_prices_before_the_injection);
    tcase_add_test(tc, pruning_takes_the_lowest_emission_non_immune_uid);
    tcase_add_loop_test(tc, pruning_zeroes_the_weight_column, 0, 2); /* commit-reveal off, on */
    tcase_add_test(tc, stake_moves_obey_the_delay);
    tcase_add_test(tc, compact_copies_stay_true);
    tcase_add_test(tc, same_seed_same_log);
    tcase_add_test(tc, seeds_reproduce_digests);
    tcase_add_test(tc, a_single_unit_fails_the_run);
    tcase_add_test(tc, max_upscale_as_set_weights);
    tcase_add_test(tc, concentration_by_hand);
    tcase_add_test(tc, concentration_sort_matches_qsort);
    tcase_add_test(tc, agent_decisions);
    tcase_add_test(tc, observe_draws_as_defined);
    tcase_add_loop_test(tc, observe_paths_as_defined, 0, 2); /* generic copy, fast copy */
    tcase_add_test(tc, ahead_draws_are_the_streams);
    tcase_add_test(tc, ahead_helper_gives_way);
    tcase_add_test(tc, helper_same_log);
    suite_add_tcase(s, tc);
    TCase *sn = tcase_create("snapshot");
    tcase_add_test(sn, example_snapshot_runs);
    tcase_add_test(sn, small_sales_refused_below_min_stake);
    tcase_add_test(sn, malformed_snapshots_name_the_field);
    tcase_add_test(sn, snapshot_messages_give_the_line);
    tcase_add_test(sn, snapshot_json_syntax_and_file_errors);
    tcase_add_test(sn, halving_scenario_covers_both_halvings);
    tcase_add_test(sn, snapshot_digest_independent_of_cwd);
    suite_add_tcase(s, sn);
    return s;
}

static Suite *slow_suite(void)
{
    Suite *s = suite_create("bittensor-slow");
    TCase *tc = tcase_create("halving");
    tcase_set_timeout(tc, 1200);
    tcase_add_test(tc, halving_scenario_full_run);
    suite_add_tcase(s, tc);
    return s;
}

int main(int argc, char **argv)
{
    int slow = argc > 1 && !strcmp(argv[1], "slow");
    return tdb_run(slow ? slow_suite() : bt_suite());
}
