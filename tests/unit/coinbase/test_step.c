/* test_step.c: the block step (tsr_coinbase_begin_block / _end_block) and drain_pending.
 *
 * One block is checked value by value against derive_expected.py ("step"); the other cases are
 * worked by hand in the comments; a seeded many-block run checks the conservation identities
 * (every rao minted is injected, handed out for a pool buy or recycled; every alpha minted is in
 * a pending pool, recycled or dust; drained pools equal what the blocks accumulated).
 */
#include "coinbase_tests.h"

#define ONE_I96 cb_i96_raw(INT64_C(1) << 32)

/* A chain at `block` with tao weight 1.0 and the given root TAO. */
static tsr_chain chain_at(uint64_t block, uint64_t root_tao)
{
    tsr_chain c;
    ck_assert_int_eq(tsr_chain_default(&c), TSR_OK);
    c.block = block;
    c.root_tao = root_tao;
    c.tao_weight = UINT64_MAX;
    return c;
}

/* An emitting subnet with pool reserves of `reserve` on both sides and moving price 1.0. */
static tsr_subnet subnet_with(uint16_t netuid, uint64_t reserve)
{
    tsr_subnet s;
    ck_assert_int_eq(tsr_subnet_init(&s, netuid, 0, 10, reserve, reserve), TSR_OK);
    s.moving_price = ONE_I96;
    return s;
}

START_TEST(test_init_defaults)
{
    tsr_chain c;
    ck_assert_int_eq(tsr_chain_default(&c), TSR_OK);
    ck_assert_uint_eq(c.tao_weight, UINT64_C(971718665099567868)); /* spec §3.12 */
    ck_assert_uint_eq(c.subnet_owner_cut, 11796);
    ck_assert_uint_eq(c.max_epochs_per_block, 2);
    ck_assert_int_eq(c.shares, TSR_SHARES_MAIN);
    ck_assert_uint_eq(c.issuance.default_emission, 1000000000);
    ck_assert_uint_eq(c.subnet_moving_alpha.raw.lo, 12885);
    ck_assert_int_eq(tsr_chain_default(NULL), TSR_EINVAL);

    tsr_subnet s;
    /* spec §3.6.2 init_new_network: LastEpochBlock = now - (netuid mod tempo) = 1000 - 7 */
    ck_assert_int_eq(tsr_subnet_init(&s, 7, 1000, 0, 5, 6), TSR_OK);
    ck_assert_uint_eq(s.last_epoch_block, 993);
    ck_assert_uint_eq(s.tempo, 360);
    ck_assert_uint_eq(s.burn.burn, 1000000000); /* spec §3.10: new subnets start at 1 TAO */
    ck_assert_uint_eq(s.burn.params.half_life, 360);
    ck_assert_uint_eq(s.subnet_tao, 5);
    ck_assert_uint_eq(s.alpha_in, 6);
    ck_assert(!tsr_subnet_emits(&s)); /* no start_call yet */
    ck_assert_uint_eq(tsr_subnet_alpha_issuance(&s), 6);
    ck_assert_int_eq(tsr_subnet_init(&s, 7, 1000, 1001, 5, 6), TSR_OK);
    ck_assert(tsr_subnet_emits(&s));
    s.registration_allowed = false;
    ck_assert(!tsr_subnet_emits(&s));
    ck_assert(!tsr_subnet_emits(NULL));
    ck_assert_uint_eq(tsr_subnet_alpha_issuance(NULL), 0);
    s.alpha_in = UINT64_MAX;
    s.alpha_out = 5;
    ck_assert_uint_eq(tsr_subnet_alpha_issuance(&s), UINT64_MAX); /* saturates */
    /* hand: registered at block 3 with netuid 7 -> 3 - 7 saturates at 0 */
    ck_assert_int_eq(tsr_subnet_init(&s, 7, 3, 0, 0, 0), TSR_OK);
    ck_assert_uint_eq(s.last_epoch_block, 0);
    ck_assert_int_eq(tsr_subnet_init(&s, 0, 0, 0, 0, 0),
                     TSR_EINVAL); /* root is not a subnet here */
    ck_assert_int_eq(tsr_subnet_init(NULL, 1, 0, 0, 0, 0), TSR_EINVAL);
}
END_TEST

START_TEST(test_step_one_block)
{
    /* root TAO 3e12 at tao weight 1.0 against alpha issuance 1e12: root proportion 0.75 */
    tsr_chain c = chain_at(100, UINT64_C(3000000000000));
    tsr_subnet s = subnet_with(1, UINT64_C(1000000000000));
    s.alpha_out = 0;
    s.alpha_in = UINT64_C(1000000000000);
    tsr_subnet_flow f;
    tsr_block_report r;
    ck_assert_int_eq(tsr_coinbase_begin_block(&c, &s, 1, &f, &r), TSR_OK);
    /* spec §3.1 / TV23: issuance 0 -> 1e9 */
    ck_assert_uint_eq(r.block_emission, 1000000000);
    ck_assert_uint_eq(r.tao_minted, 1000000000);
    ck_assert(f.emitting);
    ck_assert_uint_eq(r.n_emitting, 1);
    ck_assert_u128_eq(f.share.raw, 1, 0); /* hand: alone -> 1.0 */
    /* derive: step */
    ck_assert_raw64(f.root_prop_before, UINT64_C(3221225472));
    ck_assert_uint_eq(f.tao_injected, 750000000);
    ck_assert_uint_eq(f.alpha_injected, 750000000);
    ck_assert_uint_eq(f.excess_tao, 250000000);
    ck_assert_uint_eq(f.alpha_minted, 1000000000);
    ck_assert_raw64(f.root_prop_after, UINT64_C(3219816802));
    ck_assert_uint_eq(f.owner_cut, 179995422);
    ck_assert_uint_eq(f.server, 410002288);
    ck_assert_uint_eq(f.validator, 102635045);
    ck_assert_uint_eq(f.root_alpha, 307367243);
    ck_assert_uint_eq(f.alpha_dust, 2);
    /* hand: moving price sum 1.0 is not > 1 -> no root sell -> root alpha recycled */
    ck_assert(!r.root_sell);
    ck_assert_uint_eq(f.root_alpha_recycled, 307367243);
    ck_assert_uint_eq(s.alpha_out, 1000000000 - 307367243);
    ck_assert_uint_eq(s.alpha_in, UINT64_C(1000750000000));
    ck_assert_uint_eq(s.subnet_tao, UINT64_C(1000750000000));
    ck_assert_uint_eq(c.total_stake, 750000000);
    ck_assert_uint_eq(s.pending_owner_cut, 179995422);
    ck_assert_uint_eq(s.pending_server, 410002288);
    ck_assert_uint_eq(s.pending_validator, 102635045);
    ck_assert_uint_eq(s.pending_root_alpha, 0);
    /* hand: injected 7.5e8 + excess 2.5e8 = minted -> nothing recycled */
    ck_assert_uint_eq(r.tao_recycled, 0);
    ck_assert_uint_eq(c.total_issuance, 1000000000);
    /* derive: burn_decay_360_1e9 (step 1 decays the 1 TAO burn once) */
    ck_assert_uint_eq(s.burn.burn, 998076443);
    /* hand: block 100 - LastEpochBlock 0 < tempo 360 -> no epoch; the counter moved */
    ck_assert_int_eq(f.epoch, TSR_EPOCH_NONE);
    ck_assert_uint_eq(s.blocks_since_last_step, 1);
    ck_assert_uint_eq(r.epochs_run, 0);

    ck_assert_int_eq(tsr_coinbase_end_block(&c, &s, &f, 1), TSR_OK);
    /* hand: price 1.0 and old 1.0: alpha + (1 - alpha) = 1.0 exactly */
    ck_assert_int_eq(tsr_i128_cmp(s.moving_price.raw, tsr_i128_from_i64(INT64_C(1) << 32)), 0);
    /* python: w = 3e12 << 32; (w << 32) // (w + ((1e12 + 7.5e8 + 692632757) << 32)) */
    ck_assert_raw64(s.root_prop, UINT64_C(3220064129));
    ck_assert_uint_eq(s.last_mechanism_step_block, 0); /* no epoch ran */
}
END_TEST

START_TEST(test_step_owner_cut_tv25)
{
    /* spec TV25 test_owner_cut_base: owner cut 65535 -> PendingOwnerCut = one block of alpha
     * emission (1e9); owner cut 0 -> 0 */
    for (int cut = 0; cut < 2; cut++) {
        tsr_chain c = chain_at(5, UINT64_C(1000000000000000000));
        c.subnet_owner_cut = cut ? 65535 : 0;
        tsr_subnet s = subnet_with(1, 1000000000);
        tsr_subnet_flow f;
        ck_assert_int_eq(tsr_coinbase_begin_block(&c, &s, 1, &f, NULL), TSR_OK);
        ck_assert_uint_eq(s.pending_owner_cut, cut ? 1000000000u : 0u);
        ck_assert_uint_eq(s.pending_server, cut ? 0u : 500000000u);
    }
}
END_TEST

START_TEST(test_step_recycle_and_root_sell)
{
    /* Three equal subnets, root proportion about 1 (root 1e18 vs issuance 2e12): each gets
     * floor(1e9 * floor(2^64/3) / 2^64) = 333_333_333 TAO (derive: tao_em_1e9_third) -> one rao
     * of the minted 1e9 is left over and recycled */
    tsr_chain c = chain_at(50, UINT64_C(1000000000000000000));
    tsr_subnet s[3] = {subnet_with(1, UINT64_C(1000000000000)),
                       subnet_with(4, UINT64_C(1000000000000)),
                       subnet_with(9, UINT64_C(1000000000000))};
    tsr_subnet_flow f[3];
    tsr_block_report r;
    ck_assert_int_eq(tsr_coinbase_begin_block(&c, s, 3, f, &r), TSR_OK);
    for (int i = 0; i < 3; i++) {
        ck_assert_uint_eq(f[i].tao_injected, 333333333);
        ck_assert_uint_eq(f[i].alpha_injected, 333333333);
        ck_assert_uint_eq(f[i].excess_tao, 0);
        /* hand: prices sum to 3 > 1 -> root sell on: root alpha is pending, not recycled */
        ck_assert_uint_eq(f[i].root_alpha_recycled, 0);
        ck_assert_uint_eq(s[i].pending_root_alpha, f[i].root_alpha);
        ck_assert_uint_gt(f[i].root_alpha, 0);
        ck_assert_uint_eq(s[i].alpha_out, f[i].alpha_minted);
    }
    ck_assert(r.root_sell);
    ck_assert_uint_eq(r.tao_recycled, 1);
    ck_assert_uint_eq(c.total_issuance, 999999999);
    ck_assert_uint_eq(c.total_stake, 999999999);
}
END_TEST

START_TEST(test_step_eligibility)
{
    tsr_chain c = chain_at(50, UINT64_C(1000000000000000000));
    tsr_subnet s[3] = {subnet_with(1, 1000000), subnet_with(2, 1000000), subnet_with(3, 1000000)};
    s[1].emission_enabled = false; /* alpha only */
    s[2].first_emission_block = 0; /* not started: no coinbase at all */
    tsr_subnet_flow f[3];
    tsr_block_report r;
    ck_assert_int_eq(tsr_coinbase_begin_block(&c, s, 3, f, &r), TSR_OK);
    ck_assert_uint_eq(r.n_emitting, 2);
    /* hand: the disabled subnet keeps its place with share 0; the enabled one gets 1.0 */
    ck_assert_u128_eq(f[0].share.raw, 1, 0);
    ck_assert_u128_eq(f[1].share.raw, 0, 0);
    /* every minted rao is injected, bought with or recycled (the cap at root proportion just
     * under 1.0 leaves a fraction of a rao to recycle) */
    ck_assert_uint_eq(f[0].tao_injected + f[0].excess_tao + r.tao_recycled, 1000000000);
    ck_assert_uint_eq(f[1].tao_injected, 0);
    ck_assert_uint_eq(f[1].alpha_injected, 0);
    ck_assert_uint_eq(f[1].alpha_minted, 1000000000); /* but alpha_out still flows */
    ck_assert_uint_gt(s[1].pending_server, 0);
    ck_assert(!f[2].emitting);
    ck_assert_uint_eq(f[2].alpha_minted, 0);
    ck_assert_uint_eq(s[2].alpha_out, 0);
    ck_assert_uint_eq(s[2].pending_server, 0);
    ck_assert_uint_eq(s[2].subnet_tao, 1000000);
    /* the burn still decays on every subnet, emitting or not */
    ck_assert_uint_lt(s[2].burn.burn, 1000000000);
}
END_TEST

START_TEST(test_step_errors)
{
    tsr_chain c = chain_at(50, 0);
    tsr_subnet s[2] = {subnet_with(2, 1000), subnet_with(1, 1000)};
    tsr_subnet_flow f[2];
    /* not ascending -> rejected before anything changes */
    ck_assert_int_eq(tsr_coinbase_begin_block(&c, s, 2, f, NULL), TSR_EINVAL);
    ck_assert_uint_eq(c.total_issuance, 0);
    ck_assert_uint_eq(s[0].burn.burn, 1000000000);
    ck_assert_uint_eq(s[0].blocks_since_last_step, 0);
    s[1].netuid = 2; /* duplicate */
    ck_assert_int_eq(tsr_coinbase_begin_block(&c, s, 2, f, NULL), TSR_EINVAL);
    s[1].netuid = 0; /* root */
    ck_assert_int_eq(tsr_coinbase_begin_block(&c, &s[1], 1, f, NULL), TSR_EINVAL);
    s[1].netuid = 3;
    ck_assert_int_eq(tsr_coinbase_begin_block(NULL, s, 2, f, NULL), TSR_EINVAL);
    ck_assert_int_eq(tsr_coinbase_begin_block(&c, NULL, 2, f, NULL), TSR_EINVAL);
    ck_assert_int_eq(tsr_coinbase_begin_block(&c, s, 2, NULL, NULL), TSR_EINVAL);
    c.shares = (tsr_share_variant)9;
    ck_assert_int_eq(tsr_coinbase_begin_block(&c, s, 2, f, NULL), TSR_EINVAL);
    c.shares = TSR_SHARES_MAIN;
    c.issuance.total_supply = 0;
    ck_assert_int_eq(tsr_coinbase_begin_block(&c, s, 2, f, NULL), TSR_EINVAL);
    c.issuance.total_supply = TSR_TOTAL_SUPPLY;
    /* n = 0 is a valid empty block: the emission is minted and recycled whole */
    tsr_block_report r;
    ck_assert_int_eq(tsr_coinbase_begin_block(&c, NULL, 0, NULL, &r), TSR_OK);
    ck_assert_uint_eq(r.tao_minted, 1000000000);
    ck_assert_uint_eq(r.tao_recycled, 1000000000);
    ck_assert_uint_eq(c.total_issuance, 0);
    ck_assert_int_eq(tsr_coinbase_end_block(NULL, s, f, 2), TSR_EINVAL);
    ck_assert_int_eq(tsr_coinbase_end_block(&c, NULL, f, 2), TSR_EINVAL);
    ck_assert_int_eq(tsr_coinbase_end_block(&c, s, NULL, 2), TSR_EINVAL);
    ck_assert_int_eq(tsr_coinbase_end_block(&c, NULL, NULL, 0), TSR_OK);
}
END_TEST

START_TEST(test_step_mint_cap)
{
    /* spec §3.1: minting is capped by max_issuance - TotalIssuance. With the cap 500 rao above
     * an issuance of 1e9 the schedule's 1e9 emission mints 500, shared by the one subnet. */
    tsr_chain c = chain_at(50, UINT64_C(1000000000000000000));
    c.total_issuance = 1000000000;
    c.issuance.max_issuance = 1000000500;
    tsr_subnet s = subnet_with(1, 1000000000);
    tsr_subnet_flow f;
    tsr_block_report r;
    ck_assert_int_eq(tsr_coinbase_begin_block(&c, &s, 1, &f, &r), TSR_OK);
    ck_assert_uint_eq(r.block_emission, 1000000000);
    ck_assert_uint_eq(r.tao_minted, 500);
    ck_assert_u128_eq(f.tao_emission.raw, 0, UINT64_C(500) << 32);
    ck_assert_uint_eq(f.tao_injected, 500); /* hand: price 1, root proportion ~1 -> no cap */
    ck_assert_uint_eq(c.total_issuance, 1000000500);
    /* spec TV23: at the total supply the emission is 0 */
    c.issuance.max_issuance = TSR_MAX_TAO_ISSUANCE;
    c.total_issuance = TSR_MAX_TAO_ISSUANCE;
    ck_assert_int_eq(tsr_coinbase_begin_block(&c, NULL, 0, NULL, &r), TSR_OK);
    ck_assert_uint_eq(r.block_emission, 0);
    ck_assert_uint_eq(r.tao_minted, 0);
}
END_TEST

static void set_pools(tsr_subnet *s, uint64_t base)
{
    s->pending_server = base + 1;
    s->pending_validator = base + 2;
    s->pending_root_alpha = base + 3;
    s->pending_owner_cut = base + 4;
}

START_TEST(test_drain_cap_and_defer)
{
    tsr_subnet s[3];
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(tsr_subnet_init(&s[i], (uint16_t)(i + 1), 0, 1, 0, 0), TSR_OK);
        s[i].tempo = 10;
        s[i].last_epoch_block = 0;
        set_pools(&s[i], UINT64_C(100) * (uint64_t)(i + 1));
    }
    tsr_epoch_action a[3];
    tsr_drained d[3];
    /* spec §3.6.2: all three due at block 10, MaxEpochsPerBlock 2 -> the third is deferred */
    ck_assert_int_eq(tsr_coinbase_drain_pending(10, 2, s, 3, a, d), TSR_OK);
    ck_assert_int_eq(a[0], TSR_EPOCH_RUN);
    ck_assert_int_eq(a[1], TSR_EPOCH_RUN);
    ck_assert_int_eq(a[2], TSR_EPOCH_DEFERRED);
    ck_assert_uint_eq(d[0].server, 101);
    ck_assert_uint_eq(d[0].validator, 102);
    ck_assert_uint_eq(d[0].root_alpha, 103);
    ck_assert_uint_eq(d[0].owner_cut, 104);
    ck_assert_uint_eq(d[1].owner_cut, 204);
    ck_assert_uint_eq(d[2].server, 0);
    ck_assert_uint_eq(s[0].pending_server + s[0].pending_owner_cut, 0);
    ck_assert_uint_eq(s[0].last_epoch_block, 10);
    ck_assert_uint_eq(s[0].epoch_index, 1);
    ck_assert_uint_eq(s[0].blocks_since_last_step, 0);
    ck_assert_uint_eq(s[2].pending_epoch_at, 11);
    ck_assert_uint_eq(s[2].last_epoch_block, 0);
    ck_assert_uint_eq(s[2].epoch_index, 0);
    ck_assert_uint_eq(s[2].pending_server, 301);
    ck_assert_uint_eq(s[2].blocks_since_last_step, 1);
    /* block 11: the deferred one runs (PendingEpochAt), the others are not due */
    ck_assert_int_eq(tsr_coinbase_drain_pending(11, 2, s, 3, a, d), TSR_OK);
    ck_assert_int_eq(a[0], TSR_EPOCH_NONE);
    ck_assert_int_eq(a[1], TSR_EPOCH_NONE);
    ck_assert_int_eq(a[2], TSR_EPOCH_RUN);
    ck_assert_uint_eq(d[2].server, 301);
    ck_assert_uint_eq(s[2].pending_epoch_at, 0);
    ck_assert_uint_eq(s[2].last_epoch_block, 11);
    ck_assert_uint_eq(s[0].blocks_since_last_step, 1);
}
END_TEST

START_TEST(test_drain_skip_and_tempo0)
{
    tsr_subnet s[3];
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(tsr_subnet_init(&s[i], (uint16_t)(i + 1), 0, 1, 0, 0), TSR_OK);
        s[i].tempo = 10;
        s[i].last_epoch_block = 0;
        set_pools(&s[i], 0);
    }
    s[0].keys_consistent = false;
    tsr_epoch_action a[3];
    tsr_drained d[3];
    /* spec §3.6.2: inconsistent keys skip the epoch (pools kept, schedule advanced) and do not
     * count toward the per-block cap */
    ck_assert_int_eq(tsr_coinbase_drain_pending(10, 2, s, 3, a, d), TSR_OK);
    ck_assert_int_eq(a[0], TSR_EPOCH_SKIPPED);
    ck_assert_int_eq(a[1], TSR_EPOCH_RUN);
    ck_assert_int_eq(a[2], TSR_EPOCH_RUN);
    ck_assert_uint_eq(s[0].pending_server, 1);
    ck_assert_uint_eq(d[0].server, 0);
    ck_assert_uint_eq(s[0].last_epoch_block, 10);
    ck_assert_uint_eq(s[0].epoch_index, 1);
    ck_assert_uint_eq(s[0].blocks_since_last_step, 1); /* not reset */
    /* tempo 0 never runs; MaxEpochsPerBlock 0 defers everything */
    s[1].tempo = 0;
    s[2].last_epoch_block = 0;
    ck_assert_int_eq(tsr_coinbase_drain_pending(100, 0, s, 3, a, d), TSR_OK);
    ck_assert_int_eq(a[1], TSR_EPOCH_NONE);
    ck_assert_int_eq(a[2], TSR_EPOCH_DEFERRED);
    /* errors */
    ck_assert_int_eq(tsr_coinbase_drain_pending(1, 2, NULL, 3, a, d), TSR_EINVAL);
    ck_assert_int_eq(tsr_coinbase_drain_pending(1, 2, s, 3, NULL, d), TSR_EINVAL);
    ck_assert_int_eq(tsr_coinbase_drain_pending(1, 2, s, 3, a, NULL), TSR_EINVAL);
    ck_assert_int_eq(tsr_coinbase_drain_pending(1, 2, NULL, 0, NULL, NULL), TSR_OK);
}
END_TEST

START_TEST(test_step_epoch_and_end_block)
{
    /* tempo 360 from LastEpochBlock 0: the step at block 360 drains what blocks 1..360 pooled */
    tsr_chain c = chain_at(0, UINT64_C(1000000000000000000));
    tsr_subnet s = subnet_with(1, UINT64_C(1000000000000));
    s.last_epoch_block = 0;
    tsr_subnet_flow f;
    uint64_t server = 0, validator = 0, root = 0, owner = 0;
    for (uint64_t b = 1; b <= 360; b++) {
        c.block = b;
        ck_assert_int_eq(tsr_coinbase_begin_block(&c, &s, 1, &f, NULL), TSR_OK);
        server += f.server;
        validator += f.validator;
        owner += f.owner_cut;
        root += f.root_alpha - f.root_alpha_recycled;
        if (b < 360)
            ck_assert_int_eq(f.epoch, TSR_EPOCH_NONE);
        ck_assert_int_eq(tsr_coinbase_end_block(&c, &s, &f, 1), TSR_OK);
    }
    ck_assert_int_eq(f.epoch, TSR_EPOCH_RUN);
    ck_assert_uint_eq(f.drained.server, server);
    ck_assert_uint_eq(f.drained.validator, validator);
    ck_assert_uint_eq(f.drained.root_alpha, root);
    ck_assert_uint_eq(f.drained.owner_cut, owner);
    ck_assert_uint_eq(f.epoch_emission, server + validator + root);
    ck_assert_uint_eq(s.pending_server, 0);
    ck_assert_uint_eq(s.last_mechanism_step_block, 360); /* written by end_block */
    ck_assert_uint_eq(s.last_epoch_block, 360);
}
END_TEST

START_TEST(test_step_conservation_sweep)
{
    /* Four subnets with different prices, burns and flags over 2000 blocks: per block, minted
     * TAO = injected + excess + recycled and minted alpha = pools + recycled root + dust; over
     * the run, drained + still pending = accumulated. */
    uint64_t seed = 42;
    tsr_chain c = chain_at(0, UINT64_C(5000000000000));
    c.tao_weight = TSR_DEFAULT_TAO_WEIGHT;
    tsr_subnet s[4];
    for (int i = 0; i < 4; i++) {
        s[i] = subnet_with((uint16_t)(3 * i + 1), UINT64_C(1000000000000) * (uint64_t)(i + 1));
        s[i].moving_price = cb_i96_raw((int64_t)(UINT64_C(1) << 30) * (i + 1)); /* .25..1 */
        s[i].price = cb_u64f64_raw(0, UINT64_C(1) << 62);                       /* 0.25 */
        s[i].tempo = (uint16_t)(7 + i);
        s[i].last_epoch_block = 0;
        s[i].miner_burned = cb_u96_raw(0, (uint64_t)i << 29);
    }
    s[3].stable = true;
    s[2].owner_cut_enabled = false;
    s[1].emission_enabled = false;
    uint64_t acc[4] = {0, 0, 0, 0}, drained[4] = {0, 0, 0, 0};
    for (uint64_t b = 1; b <= 2000; b++) {
        tsr_subnet_flow f[4];
        tsr_block_report r;
        c.block = b;
        s[0].price = cb_u64f64_raw(cb_rand(&seed) % 3, cb_rand(&seed)); /* the caller's pool */
        ck_assert_int_eq(tsr_coinbase_begin_block(&c, s, 4, f, &r), TSR_OK);
        ck_assert_uint_eq(r.tao_minted, r.tao_injected + r.tao_excess + r.tao_recycled);
        for (int i = 0; i < 4; i++) {
            uint64_t pooled = f[i].owner_cut + f[i].server + f[i].validator +
                              (f[i].root_alpha - f[i].root_alpha_recycled);
            ck_assert_uint_eq(f[i].alpha_minted,
                              pooled + f[i].root_alpha_recycled + f[i].alpha_dust);
            ck_assert_uint_le(f[i].alpha_dust, 3);
            acc[i] += pooled;
            drained[i] += f[i].drained.server + f[i].drained.validator + f[i].drained.root_alpha +
                          f[i].drained.owner_cut;
        }
        ck_assert_int_eq(tsr_coinbase_end_block(&c, s, f, 4), TSR_OK);
    }
    for (int i = 0; i < 4; i++) {
        uint64_t pending = s[i].pending_server + s[i].pending_validator + s[i].pending_root_alpha +
                           s[i].pending_owner_cut;
        ck_assert_uint_eq(drained[i] + pending, acc[i]);
        ck_assert_uint_gt(drained[i], 0);
    }
}
END_TEST

Suite *suite_step(void)
{
    Suite *s = suite_create("step");
    TCase *tc = tcase_create("block");
    tcase_add_test(tc, test_init_defaults);
    tcase_add_test(tc, test_step_one_block);
    tcase_add_test(tc, test_step_owner_cut_tv25);
    tcase_add_test(tc, test_step_recycle_and_root_sell);
    tcase_add_test(tc, test_step_eligibility);
    tcase_add_test(tc, test_step_errors);
    tcase_add_test(tc, test_step_mint_cap);
    tcase_add_test(tc, test_drain_cap_and_defer);
    tcase_add_test(tc, test_drain_skip_and_tempo0);
    tcase_add_test(tc, test_step_epoch_and_end_block);
    tcase_add_test(tc, test_step_conservation_sweep);
    suite_add_tcase(s, tc);
    return s;
}
