/* test_burn.c: registration burn dynamics, immunity and pruning (tsr_burn.h).
 *
 * TV26 is tested twice: the numbers of spec bittensor §3.10 / §4 TV26 transcribed by hand below
 * (the brief expected no vector files), and the reward-cases/1 files tv26_* of
 * ../shared/conformance/vectors, which do exist, read through tests/helpers/vectors.c. Other
 * expected values are worked by hand in the comments or printed by derive_expected.py.
 */
#include <stdlib.h>
#include <string.h>

#include "coinbase_tests.h"
#include "vectors.h"

/* ---- Q32 and the decay factor -------------------------------------------------------------- */

START_TEST(test_q32_helpers)
{
    /* hand: 3 * 0.5 = 1.5 floors to 1; 2^64 - 1 times 1.0 is exact; times 2.0 saturates */
    ck_assert_uint_eq(tsr_mul_by_q32(3, TSR_Q32_HALF), 1);
    ck_assert_uint_eq(tsr_mul_by_q32(UINT64_MAX, TSR_Q32_ONE), UINT64_MAX);
    ck_assert_uint_eq(tsr_mul_by_q32(UINT64_MAX, 2 * TSR_Q32_ONE), UINT64_MAX);
    ck_assert_uint_eq(tsr_mul_by_q32(0, UINT64_MAX), 0);
    /* hand: x^0 = 1.0; 0.5^2 = 0.25; 0.5^3 = 0.125; 1.0^n = 1.0; 2.0^70 saturates */
    ck_assert_uint_eq(tsr_pow_q32(12345, 0), TSR_Q32_ONE);
    ck_assert_uint_eq(tsr_pow_q32(TSR_Q32_HALF, 2), UINT64_C(1) << 30);
    ck_assert_uint_eq(tsr_pow_q32(TSR_Q32_HALF, 3), UINT64_C(1) << 29);
    ck_assert_uint_eq(tsr_pow_q32(TSR_Q32_ONE, 65535), TSR_Q32_ONE);
    ck_assert_uint_eq(tsr_pow_q32(2 * TSR_Q32_ONE, 70), UINT64_MAX);
    /* hand: 1.5^2 = 2.25 */
    ck_assert_uint_eq(tsr_pow_q32(3 * TSR_Q32_HALF, 2), 9 * (UINT64_C(1) << 30));
}
END_TEST

START_TEST(test_decay_factor)
{
    /* spec §3.10 and TV26, transcribed by hand */
    ck_assert_uint_eq(tsr_burn_decay_factor_q32(2), UINT64_C(3037000500));
    ck_assert_uint_eq(tsr_burn_decay_factor_q32(360), UINT64_C(4286705684));
    ck_assert_uint_eq(tsr_burn_decay_factor_q32(1000), UINT64_C(4291991283));
    /* hand: half-life 0 -> 1.0; half-life 1 -> the largest f with f <= 0.5 is 0.5 itself */
    ck_assert_uint_eq(tsr_burn_decay_factor_q32(0), TSR_Q32_ONE);
    ck_assert_uint_eq(tsr_burn_decay_factor_q32(1), TSR_Q32_HALF);
    /* derive: factor[3], factor[65535] */
    ck_assert_uint_eq(tsr_burn_decay_factor_q32(3), UINT64_C(3408917802));
    ck_assert_uint_eq(tsr_burn_decay_factor_q32(65535), UINT64_C(4294921870));
    /* The defining property, for a spread of half-lives: pow(f) <= 1/2 < pow(f + 1). */
    for (unsigned h = 1; h < 65535; h += 997) {
        uint64_t f = tsr_burn_decay_factor_q32((uint16_t)h);
        ck_assert_uint_le(tsr_pow_q32(f, (uint16_t)h), TSR_Q32_HALF);
        ck_assert_uint_gt(tsr_pow_q32(f + 1, (uint16_t)h), TSR_Q32_HALF);
    }
}
END_TEST

/* ---- TV26 sequences, by hand ------------------------------------------------------------- */

static tsr_burn_params params(uint16_t hl, uint64_t mult_int, uint64_t min, uint64_t max)
{
    tsr_burn_params p;
    p.half_life = hl;
    p.increase_mult = tsr_u64f64_from_u64(mult_int);
    p.min_burn = min;
    p.max_burn = max;
    return p;
}

START_TEST(test_tv26_halves_every_half_life)
{
    /* spec TV26 test_burn_halves_every_half_life: half-life 2, burn 1024 -> 511 after 2 blocks,
     * 255 after 2 more; per block 724, 511, 361, 255 (spec, derived) */
    tsr_burn b;
    tsr_burn_params p = params(2, 1, 0, UINT64_MAX);
    ck_assert_int_eq(tsr_burn_init(&b, &p, 1024), TSR_OK);
    const uint64_t want[4] = {724, 511, 361, 255};
    for (uint64_t blk = 2; blk < 6; blk++) {
        ck_assert_int_eq(tsr_burn_on_block(&b, blk), TSR_OK);
        ck_assert_uint_eq(b.burn, want[blk - 2]);
    }
}
END_TEST

START_TEST(test_tv26_decay)
{
    /* spec TV26 test_burn_decay: half-life 1000, mult 2, burn 1000; registering makes it 2000;
     * the next block gives 1998 */
    tsr_burn b;
    tsr_burn_params p = params(1000, 2, 0, UINT64_MAX);
    ck_assert_int_eq(tsr_burn_init(&b, &p, 1000), TSR_OK);
    ck_assert_int_eq(tsr_burn_on_registration(&b), TSR_OK);
    ck_assert_uint_eq(b.burn, 2000);
    ck_assert_int_eq(tsr_burn_on_block(&b, 2), TSR_OK);
    ck_assert_uint_eq(b.burn, 1998);
    ck_assert_uint_eq(b.factor_q32, UINT64_C(4291991283));
}
END_TEST

START_TEST(test_tv26_clamps)
{
    /* spec TV26 test_burn_min_and_max_clamps...: min 100_000, max 150_000, half-life 1, mult 2:
     * burn 1 -> 100_000; registration -> 150_000 (capped); then 100_000, 100_000 */
    tsr_burn b;
    tsr_burn_params p = params(1, 2, 100000, 150000);
    ck_assert_int_eq(tsr_burn_init(&b, &p, 1), TSR_OK);
    ck_assert_int_eq(tsr_burn_on_block(&b, 2), TSR_OK);
    ck_assert_uint_eq(b.burn, 100000);
    ck_assert_int_eq(tsr_burn_on_registration(&b), TSR_OK);
    ck_assert_uint_eq(b.burn, 150000);
    ck_assert_int_eq(tsr_burn_on_block(&b, 3), TSR_OK);
    ck_assert_uint_eq(b.burn, 100000);
    ck_assert_int_eq(tsr_burn_on_block(&b, 4), TSR_OK);
    ck_assert_uint_eq(b.burn, 100000);
}
END_TEST

START_TEST(test_burn_rules)
{
    uint64_t out = 0;
    tsr_burn_params p = params(2, 1, 0, UINT64_MAX);
    /* hand: no decay at blocks 0 and 1 (genesis), but the clamp still applies */
    ck_assert_int_eq(tsr_burn_after_block(1024, &p, 1, &out), TSR_OK);
    ck_assert_uint_eq(out, 1024);
    ck_assert_int_eq(tsr_burn_after_block(1024, &p, 0, &out), TSR_OK);
    ck_assert_uint_eq(out, 1024);
    p.min_burn = 2000;
    ck_assert_int_eq(tsr_burn_after_block(1024, &p, 1, &out), TSR_OK);
    ck_assert_uint_eq(out, 2000);
    /* hand: half-life 0 disables the decay, the clamp stays */
    p = params(0, 1, 0, 500);
    ck_assert_int_eq(tsr_burn_after_block(1024, &p, 9, &out), TSR_OK);
    ck_assert_uint_eq(out, 500);
    /* hand: min > max -> raised to min, then lowered to max (the chain's order) */
    ck_assert_uint_eq(tsr_burn_clamp(5, 100, 50), 50);
    ck_assert_uint_eq(tsr_burn_clamp(500, 100, 50), 50);
    ck_assert_uint_eq(tsr_burn_clamp(70, 50, 100), 70);
    /* hand: a multiplier below 1 acts as 1 */
    p = params(2, 0, 0, UINT64_MAX);
    ck_assert_int_eq(tsr_burn_after_registration(777, &p, &out), TSR_OK);
    ck_assert_uint_eq(out, 777);
    /* hand: 1.5 * 777 = 1165.5 floors to 1165 */
    p.increase_mult = cb_u64f64_raw(1, UINT64_C(1) << 63);
    ck_assert_int_eq(tsr_burn_after_registration(777, &p, &out), TSR_OK);
    ck_assert_uint_eq(out, 1165);
    /* hand: the U64F64 product saturates: u64::MAX * 2 -> u64::MAX */
    p = params(2, 2, 0, UINT64_MAX);
    ck_assert_int_eq(tsr_burn_after_registration(UINT64_MAX, &p, &out), TSR_OK);
    ck_assert_uint_eq(out, UINT64_MAX);
    /* derive: burn_mult_126_u64f64 (1.26 from f64) and burn_bump_default: 1 TAO -> 1.26 TAO */
    tsr_burn_params d;
    ck_assert_int_eq(tsr_burn_params_default(&d), TSR_OK);
    ck_assert_uint_eq(d.half_life, 360);
    ck_assert_uint_eq(d.min_burn, 500000);
    ck_assert_uint_eq(d.max_burn, UINT64_C(100000000000));
    /* raw 23242897532874035200 = 2^64 + 4796153459164483584 */
    ck_assert_u128_eq(d.increase_mult.raw, 1, UINT64_C(4796153459164483584));
    ck_assert_int_eq(tsr_burn_after_registration(1000000000, &d, &out), TSR_OK);
    ck_assert_uint_eq(out, 1260000000);
    /* the default burn is clamped to 100 TAO at most */
    ck_assert_int_eq(tsr_burn_after_registration(UINT64_C(90000000000), &d, &out), TSR_OK);
    ck_assert_uint_eq(out, UINT64_C(100000000000));
    /* errors */
    ck_assert_int_eq(tsr_burn_after_block(1, NULL, 2, &out), TSR_EINVAL);
    ck_assert_int_eq(tsr_burn_after_block(1, &d, 2, NULL), TSR_EINVAL);
    ck_assert_int_eq(tsr_burn_after_registration(1, NULL, &out), TSR_EINVAL);
    ck_assert_int_eq(tsr_burn_after_registration(1, &d, NULL), TSR_EINVAL);
    ck_assert_int_eq(tsr_burn_params_default(NULL), TSR_EINVAL);
    tsr_burn b;
    ck_assert_int_eq(tsr_burn_init(NULL, &d, 1), TSR_EINVAL);
    ck_assert_int_eq(tsr_burn_init(&b, NULL, 1), TSR_EINVAL);
    ck_assert_int_eq(tsr_burn_on_block(NULL, 2), TSR_EINVAL);
    ck_assert_int_eq(tsr_burn_on_registration(NULL), TSR_EINVAL);
}
END_TEST

START_TEST(test_burn_cache_follows_half_life)
{
    tsr_burn b;
    tsr_burn_params p = params(2, 1, 0, UINT64_MAX);
    ck_assert_int_eq(tsr_burn_init(&b, &p, 1024), TSR_OK);
    ck_assert_uint_eq(b.factor_q32, UINT64_C(3037000500));
    /* changing the half-life in place: the next block uses the new factor (half-life 1: 0.5) */
    b.params.half_life = 1;
    ck_assert_int_eq(tsr_burn_on_block(&b, 2), TSR_OK);
    ck_assert_uint_eq(b.burn, 512);
    ck_assert_uint_eq(b.factor_q32, TSR_Q32_HALF);
}
END_TEST

/* ---- TV26 from the conformance vector files ---------------------------------------------- */

START_TEST(test_tv26_vector_files)
{
    tsv_file f;
    ck_assert_msg(tsv_open(&f, "tv26_burn_decay_factor_q32") == 0, "%s", f.err);
    for (size_t i = 0; i < f.ncases; i++) {
        uint16_t hl = 0;
        uint64_t want = 0;
        ck_assert_int_eq(tsv_u16(tsv_in(&f, i, "half_life"), &hl), 0);
        ck_assert_int_eq(tsv_u64(tsv_out(&f, i), &want), 0);
        ck_assert_msg(tsr_burn_decay_factor_q32(hl) == want, "case %zu", i);
    }
    ck_assert_uint_ge(f.ncases, 3);
    tsv_close(&f);

    ck_assert_msg(tsv_open(&f, "tv26_burn_sequence") == 0, "%s", f.err);
    for (size_t i = 0; i < f.ncases; i++) {
        tsr_burn_params p;
        uint64_t burn = 0, hi = 0, lo = 0, want[16];
        size_t nwant = 0;
        ck_assert_int_eq(tsv_u64(tsv_in(&f, i, "burn"), &burn), 0);
        ck_assert_int_eq(tsv_u16(tsv_in(&f, i, "half_life"), &p.half_life), 0);
        ck_assert_int_eq(tsv_u128(tsv_in(&f, i, "increase_mult"), &hi, &lo), 0);
        p.increase_mult = cb_u64f64_raw(hi, lo);
        ck_assert_int_eq(tsv_u64(tsv_in(&f, i, "min_burn"), &p.min_burn), 0);
        ck_assert_int_eq(tsv_u64(tsv_in(&f, i, "max_burn"), &p.max_burn), 0);
        ck_assert_int_eq(tsv_u64_array(tsv_out(&f, i), want, 16, &nwant), 0);
        json_t *ev = tsv_in(&f, i, "events");
        ck_assert(json_is_array(ev) && json_array_size(ev) == nwant);
        tsr_burn b;
        ck_assert_int_eq(tsr_burn_init(&b, &p, burn), TSR_OK);
        uint64_t block = 1;
        for (size_t k = 0; k < nwant; k++) {
            const char *e = json_string_value(json_array_get(ev, k));
            ck_assert_ptr_nonnull(e);
            if (strcmp(e, "block") == 0)
                ck_assert_int_eq(tsr_burn_on_block(&b, ++block), TSR_OK); /* blocks 2, 3, ... */
            else if (strcmp(e, "register") == 0)
                ck_assert_int_eq(tsr_burn_on_registration(&b), TSR_OK);
            else
                ck_abort_msg("unknown event %s", e);
            ck_assert_msg(b.burn == want[k], "case %zu event %zu: %llu != %llu", i, k,
                          (unsigned long long)b.burn, (unsigned long long)want[k]);
        }
    }
    tsv_close(&f);
}
END_TEST

/* ---- immunity and pruning ------------------------------------------------------------------ */

static tsr_neuron nrn(uint64_t emission, uint64_t bar, bool owned)
{
    tsr_neuron n;
    n.emission = emission;
    n.block_at_registration = bar;
    n.has_hotkey = true;
    n.owned_by_subnet_owner = owned;
    return n;
}

static tsr_prune_params prune_params(uint64_t block, uint64_t immunity, uint16_t limit,
                                     uint16_t min_free, int32_t owner_uid)
{
    tsr_prune_params p;
    p.current_block = block;
    p.immunity_period = immunity;
    p.immune_owner_uids_limit = limit;
    p.min_non_immune_uids = min_free;
    p.owner_hotkey_uid = owner_uid;
    return p;
}

START_TEST(test_immunity)
{
    /* hand: age = block - registration; immune while age < period */
    ck_assert(tsr_neuron_is_immune(100, 95, 10));
    ck_assert(!tsr_neuron_is_immune(105, 95, 10));
    ck_assert(tsr_neuron_is_immune(104, 95, 10));
    ck_assert(tsr_neuron_is_immune(90, 95, 10)); /* registered "in the future": age 0 */
    ck_assert(!tsr_neuron_is_immune(95, 95, 0)); /* period 0: nobody */
}
END_TEST

START_TEST(test_prune_by_emission)
{
    /* all old (non-immune), no owner keys: the lowest emission, ties to the older registration,
     * then the lower uid */
    tsr_neuron n[4] = {nrn(5, 1, false), nrn(3, 2, false), nrn(3, 1, false), nrn(9, 1, false)};
    tsr_prune_params p = prune_params(10000, 100, 1, 0, TSR_NO_UID);
    uint16_t uid = 999;
    bool found = false;
    ck_assert_int_eq(tsr_neuron_to_prune(n, 4, &p, &uid, &found), TSR_OK);
    ck_assert(found);
    ck_assert_uint_eq(uid, 2); /* emission 3, registered at 1 (uid 1 registered at 2) */
    n[1].block_at_registration = 1;
    ck_assert_int_eq(tsr_neuron_to_prune(n, 4, &p, &uid, &found), TSR_OK);
    ck_assert_uint_eq(uid, 1); /* full tie: lower uid */
    /* an empty slot is skipped */
    n[1].has_hotkey = false;
    ck_assert_int_eq(tsr_neuron_to_prune(n, 4, &p, &uid, &found), TSR_OK);
    ck_assert_uint_eq(uid, 2);
}
END_TEST

START_TEST(test_prune_immune_floor)
{
    /* uids 0, 1 old (emission 5, 7); uid 2 immune (registered at 995, period 100) with 1 */
    tsr_neuron n[3] = {nrn(5, 1, false), nrn(7, 1, false), nrn(1, 995, false)};
    uint16_t uid = 0;
    bool found = false;
    /* 2 non-immune > MinNonImmuneUids 1 -> prune the best non-immune: uid 0 */
    tsr_prune_params p = prune_params(1000, 100, 1, 1, TSR_NO_UID);
    ck_assert_int_eq(tsr_neuron_to_prune(n, 3, &p, &uid, &found), TSR_OK);
    ck_assert(found);
    ck_assert_uint_eq(uid, 0);
    /* 2 is not > 2 -> fall back to the best immune uid: 2 */
    p.min_non_immune_uids = 2;
    ck_assert_int_eq(tsr_neuron_to_prune(n, 3, &p, &uid, &found), TSR_OK);
    ck_assert_uint_eq(uid, 2);
    /* no immune uid either -> no candidate: the registration fails */
    n[2].block_at_registration = 1;
    p.min_non_immune_uids = 3;
    uid = 77;
    ck_assert_int_eq(tsr_neuron_to_prune(n, 3, &p, &uid, &found), TSR_OK);
    ck_assert(!found);
    ck_assert_uint_eq(uid, 77);
    /* empty subnet */
    ck_assert_int_eq(tsr_neuron_to_prune(NULL, 0, &p, &uid, &found), TSR_OK);
    ck_assert(!found);
}
END_TEST

START_TEST(test_immune_owner_uids)
{
    /* owner coldkey holds uids 0 (registered 5) and 2 (registered 3); uid 3 is someone else's */
    tsr_neuron n[4] = {nrn(0, 5, true), nrn(4, 1, false), nrn(0, 3, true), nrn(6, 1, false)};
    uint16_t uids[4];
    size_t count = 0;
    /* limit 1, no owner hotkey: oldest owner key first -> [2] */
    tsr_prune_params p = prune_params(10000, 100, 1, 0, TSR_NO_UID);
    ck_assert_int_eq(tsr_immune_owner_uids(n, 4, &p, uids, 4, &count), TSR_OK);
    ck_assert_uint_eq(count, 1);
    ck_assert_uint_eq(uids[0], 2);
    /* limit 1, owner hotkey at uid 0: not in [2] -> inserted first, truncated -> [0] */
    p.owner_hotkey_uid = 0;
    ck_assert_int_eq(tsr_immune_owner_uids(n, 4, &p, uids, 4, &count), TSR_OK);
    ck_assert_uint_eq(count, 1);
    ck_assert_uint_eq(uids[0], 0);
    /* limit 2: [2, 0] already holds the owner hotkey -> unchanged */
    p.immune_owner_uids_limit = 2;
    ck_assert_int_eq(tsr_immune_owner_uids(n, 4, &p, uids, 4, &count), TSR_OK);
    ck_assert_uint_eq(count, 2);
    ck_assert_uint_eq(uids[0], 2);
    ck_assert_uint_eq(uids[1], 0);
    /* limit 2, owner hotkey at uid 3 (owned by another coldkey): [3, 2] */
    p.owner_hotkey_uid = 3;
    ck_assert_int_eq(tsr_immune_owner_uids(n, 4, &p, uids, 4, &count), TSR_OK);
    ck_assert_uint_eq(count, 2);
    ck_assert_uint_eq(uids[0], 3);
    ck_assert_uint_eq(uids[1], 2);
    /* limit 3: [3, 2, 0] */
    p.immune_owner_uids_limit = 3;
    ck_assert_int_eq(tsr_immune_owner_uids(n, 4, &p, uids, 4, &count), TSR_OK);
    ck_assert_uint_eq(count, 3);
    ck_assert_uint_eq(uids[2], 0);
    ck_assert_int_eq(tsr_immune_owner_uids(n, 4, &p, uids, 2, &count), TSR_ECAPACITY);
    /* limit 0: nobody is immortal */
    p.immune_owner_uids_limit = 0;
    ck_assert_int_eq(tsr_immune_owner_uids(n, 4, &p, NULL, 0, &count), TSR_OK);
    ck_assert_uint_eq(count, 0);
    /* pruning skips the immortal keys: with [3, 2] immortal, uids 0 (emission 0) and 1 remain */
    p.immune_owner_uids_limit = 2;
    uint16_t uid = 0;
    bool found = false;
    ck_assert_int_eq(tsr_neuron_to_prune(n, 4, &p, &uid, &found), TSR_OK);
    ck_assert(found);
    ck_assert_uint_eq(uid, 0);
    /* with the owner hotkey unset, [2, 0] are immortal: uid 1 (emission 4) goes */
    p.owner_hotkey_uid = TSR_NO_UID;
    ck_assert_int_eq(tsr_neuron_to_prune(n, 4, &p, &uid, &found), TSR_OK);
    ck_assert_uint_eq(uid, 1);
    /* errors: owner uid out of range or without a hotkey, NULL pointers */
    p.owner_hotkey_uid = 4;
    ck_assert_int_eq(tsr_immune_owner_uids(n, 4, &p, uids, 4, &count), TSR_EINVAL);
    ck_assert_int_eq(tsr_neuron_to_prune(n, 4, &p, &uid, &found), TSR_EINVAL);
    p.owner_hotkey_uid = -7;
    ck_assert_int_eq(tsr_neuron_to_prune(n, 4, &p, &uid, &found), TSR_EINVAL);
    p.owner_hotkey_uid = 1;
    n[1].has_hotkey = false;
    ck_assert_int_eq(tsr_neuron_to_prune(n, 4, &p, &uid, &found), TSR_EINVAL);
    p.owner_hotkey_uid = TSR_NO_UID;
    ck_assert_int_eq(tsr_immune_owner_uids(NULL, 4, &p, uids, 4, &count), TSR_EINVAL);
    ck_assert_int_eq(tsr_immune_owner_uids(n, 4, NULL, uids, 4, &count), TSR_EINVAL);
    ck_assert_int_eq(tsr_immune_owner_uids(n, 4, &p, uids, 4, NULL), TSR_EINVAL);
    ck_assert_int_eq(tsr_immune_owner_uids(n, 4, &p, NULL, 4, &count), TSR_EINVAL);
    ck_assert_int_eq(tsr_neuron_to_prune(n, 4, &p, NULL, &found), TSR_EINVAL);
    ck_assert_int_eq(tsr_neuron_to_prune(n, 4, &p, &uid, NULL), TSR_EINVAL);
    ck_assert_int_eq(tsr_neuron_to_prune(n, (size_t)UINT16_MAX + 2, &p, &uid, &found), TSR_EINVAL);
}
END_TEST

/* ---- the pruning scan against its definition ---- */

static uint64_t prng(uint64_t *x) /* splitmix64 */
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

/* get_neuron_to_prune as spec bittensor §3.10 words it, one uid at a time: skip empty slots and
** the immortal owner keys (tsr_immune_owner_uids' list), then the smallest (emission,
** registration block, uid) of the non-immune uids while more than MinNonImmuneUids of them are
** left, else of the immune ones. */
static bool prune_by_definition(const tsr_neuron *nr, size_t n, const tsr_prune_params *p,
                                uint16_t *uid)
{
    uint16_t immortal[64];
    size_t cnt = 0;
    ck_assert_int_eq(tsr_immune_owner_uids(nr, n, p, immortal, 64, &cnt), TSR_OK);
    size_t best[2] = {SIZE_MAX, SIZE_MAX}, nfree = 0;
    for (size_t u = 0; u < n; u++) {
        bool skip = !nr[u].has_hotkey;
        for (size_t k = 0; k < cnt; k++)
            skip = skip || immortal[k] == u;
        if (skip)
            continue;
        int c =
            tsr_neuron_is_immune(p->current_block, nr[u].block_at_registration, p->immunity_period);
        nfree += c == 0;
        size_t b = best[c];
        if (b == SIZE_MAX || nr[u].emission < nr[b].emission ||
            (nr[u].emission == nr[b].emission &&
             nr[u].block_at_registration < nr[b].block_at_registration))
            best[c] = u; /* an equal (emission, block) keeps the lower uid */
    }
    size_t pick = nfree > p->min_non_immune_uids && best[0] != SIZE_MAX ? best[0] : best[1];
    if (pick != SIZE_MAX)
        *uid = (uint16_t)pick;
    return pick != SIZE_MAX;
}

/* Random subnets with many ties (few emission and block values), owner keys, empty slots and
** both sides of the MinNonImmuneUids floor: tsr_neuron_to_prune picks what the definition
** picks. */
START_TEST(test_prune_scan_as_defined)
{
    uint64_t x = 20261125;
    tsr_neuron nr[300];
    size_t both = 0;
    for (int it = 0; it < 20000; it++) {
        size_t n = prng(&x) % 300;
        uint64_t ev = 1 + prng(&x) % 6, span = 1 + prng(&x) % 40;
        for (size_t u = 0; u < n; u++) {
            nr[u] = nrn(prng(&x) % ev * 1000, 960 + prng(&x) % span, prng(&x) % 23 == 0);
            nr[u].has_hotkey = prng(&x) % 17 != 0;
        }
        int32_t owner = TSR_NO_UID;
        if (n > 0 && prng(&x) % 2) {
            owner = (int32_t)(prng(&x) % n);
            nr[owner].has_hotkey = true;
        }
        tsr_prune_params p = prune_params(1000, prng(&x) % 50, (uint16_t)(prng(&x) % 4),
                                          (uint16_t)(n ? prng(&x) % (n + 1) : 0), owner);
        uint16_t want = 7777, got = 7777;
        bool found = false, expect = prune_by_definition(nr, n, &p, &want);
        ck_assert_int_eq(tsr_neuron_to_prune(nr, n, &p, &got, &found), TSR_OK);
        ck_assert_msg(found == expect && got == want, "iteration %d: n %zu, got %u/%d, want %u/%d",
                      it, n, got, (int)found, want, (int)expect);
        both += found;
    }
    ck_assert_uint_gt(both, 10000); /* most draws prune someone */
}
END_TEST

Suite *suite_burn(void)
{
    Suite *s = suite_create("burn");
    TCase *tc = tcase_create("burn");
    tcase_add_test(tc, test_q32_helpers);
    tcase_add_test(tc, test_decay_factor);
    tcase_add_test(tc, test_tv26_halves_every_half_life);
    tcase_add_test(tc, test_tv26_decay);
    tcase_add_test(tc, test_tv26_clamps);
    tcase_add_test(tc, test_burn_rules);
    tcase_add_test(tc, test_burn_cache_follows_half_life);
    tcase_add_test(tc, test_tv26_vector_files);
    suite_add_tcase(s, tc);
    TCase *tp = tcase_create("prune");
    tcase_add_test(tp, test_immunity);
    tcase_add_test(tp, test_prune_by_emission);
    tcase_add_test(tp, test_prune_immune_floor);
    tcase_add_test(tp, test_immune_owner_uids);
    tcase_add_test(tp, test_prune_scan_as_defined);
    suite_add_tcase(s, tp);
    return s;
}
