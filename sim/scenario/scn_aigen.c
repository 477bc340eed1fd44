/*
** scn_aigen.c: the scenario keys of model "aigen" (the AiGen platform, scenarios/AIGEN.md)
** beyond the flat key table: the cross-field rules and the copy into scn_scenario.aigen.
**
** Invariants: a scenario that passes scn__aigen_check has a fee split whose four shares, rounded
** to parts per billion, sum to exactly 10^9; at least one validator; at most as many coalition
** controllers as controllers; attack windows with stop 0 or after start, start within the run.
** Cost: constant.
*/
#include <math.h>

#include "scn_int.h"

static int usable_key(const scn__loader *ld, int k)
{
    return ld->v[k].src != SCN__SRC_NONE && !ld->v[k].bad;
}

static uint64_t ppb(double d)
{
    return (uint64_t)llround(d * 1e9);
}

static void check_split(scn__loader *ld)
{
    const int K[4] = {SCN_K_AIGEN_K_PLAT, SCN_K_AIGEN_K_DEV, SCN_K_AIGEN_K_VAL, SCN_K_AIGEN_K_BURN};
    uint64_t sum = 0;
    for (int i = 0; i < 4; i++) {
        if (!usable_key(ld, K[i]))
            return;
        sum += ppb(ld->v[K[i]].d);
    }
    if (sum != 1000000000u) {
        int at = K[0];
        for (int i = 0; i < 4; i++) /* point at the share the file (or --set) gave last */
            if (ld->v[K[i]].src != SCN__SRC_DEFAULT)
                at = K[i];
        scn__report(ld, scn__loc_key(ld, at),
                    "aigen.k_plat + k_dev + k_val + k_burn must be 1 (is %.9f)", (double)sum / 1e9);
    }
}

static void check_validators(scn__loader *ld)
{
    const int K[4] = {SCN_K_AIGEN_HONEST, SCN_K_AIGEN_LAZY, SCN_K_AIGEN_COPIERS,
                      SCN_K_AIGEN_COALITION};
    uint64_t n = 0;
    for (int i = 0; i < 4; i++) {
        if (!usable_key(ld, K[i]))
            return;
        n += ld->v[K[i]].u;
    }
    if (n == 0)
        scn__report(
            ld, scn__loc_key(ld, SCN_K_AIGEN_HONEST),
            "aigen needs at least one validator (honest + lazy + copiers + coalition is 0)");
    const int S = SCN_K_AIGEN_COALITION_SHARE, C = SCN_K_AIGEN_COALITION;
    if (usable_key(ld, S) && usable_key(ld, C) && ld->v[S].d > 0 && ld->v[C].u == 0)
        scn__report(ld, scn__loc_key(ld, S),
                    "aigen.coalition_share is %g but aigen.coalition has no validators",
                    ld->v[S].d);
    if (usable_key(ld, S) && ld->v[S].d > 0 && n == ld->v[C].u)
        scn__report(ld, scn__loc_key(ld, S),
                    "aigen.coalition_share needs validators outside the coalition");
}

/* The model keeps consumers x controllers call counts and validators x controllers scores
** (8 bytes each): their products are bounded so that a scenario cannot ask for tens of GB. */
#define SCN_AIGEN_MAX_CELLS 200000000ull

static void check_matrix(scn__loader *ld, int rows, const char *what, uint64_t n)
{
    const int C = SCN_K_AIGEN_CONTROLLERS;
    if (!usable_key(ld, C) || n * ld->v[C].u <= SCN_AIGEN_MAX_CELLS)
        return;
    scn__report(ld, scn__loc_key(ld, rows),
                "%s x aigen.controllers (%llu x %llu) exceeds %llu (the model keeps one 8-byte "
                "cell per pair)",
                what, (unsigned long long)n, (unsigned long long)ld->v[C].u, SCN_AIGEN_MAX_CELLS);
}

static void check_sizes(scn__loader *ld)
{
    const int K[4] = {SCN_K_AIGEN_HONEST, SCN_K_AIGEN_LAZY, SCN_K_AIGEN_COPIERS,
                      SCN_K_AIGEN_COALITION};
    uint64_t n = 0;
    for (int i = 0; i < 4; i++) {
        if (!usable_key(ld, K[i]))
            return;
        n += ld->v[K[i]].u;
    }
    if (usable_key(ld, SCN_K_AIGEN_CONSUMERS))
        check_matrix(ld, SCN_K_AIGEN_CONSUMERS, "aigen.consumers", ld->v[SCN_K_AIGEN_CONSUMERS].u);
    check_matrix(ld, SCN_K_AIGEN_HONEST, "the validators", n);
}

/* An attack window [start, stop): stop must come after start (or be 0, never), and start must
** fall within the run, else the attack never switches on and its metrics are silently empty. */
static void check_window(scn__loader *ld, int ks, int kt)
{
    const scn__val *v = ld->v;
    if (!usable_key(ld, ks) || !usable_key(ld, kt))
        return;
    if (v[kt].u != 0 && v[kt].u <= v[ks].u)
        scn__report(ld, scn__loc_key(ld, v[kt].src == SCN__SRC_DEFAULT ? ks : kt),
                    "%s (%llu) must be after %s (%llu), or 0 for never", scn__keys[kt].path,
                    (unsigned long long)v[kt].u, scn__keys[ks].path, (unsigned long long)v[ks].u);
    if (usable_key(ld, SCN_K_TIME_BLOCKS) && v[ks].u > v[SCN_K_TIME_BLOCKS].u)
        scn__report(ld, scn__loc_key(ld, ks), "%s (%llu) is beyond time.blocks (%llu epochs)",
                    scn__keys[ks].path, (unsigned long long)v[ks].u,
                    (unsigned long long)v[SCN_K_TIME_BLOCKS].u);
}

void scn__aigen_check(scn__loader *ld)
{
    check_split(ld);
    check_validators(ld);
    check_sizes(ld);
    check_window(ld, SCN_K_AIGEN_COALITION_START, SCN_K_AIGEN_COALITION_STOP);
    check_window(ld, SCN_K_AIGEN_COPIER_START, SCN_K_AIGEN_COPIER_STOP);
    const int CC = SCN_K_AIGEN_COALITION_CONTROLLERS, C = SCN_K_AIGEN_CONTROLLERS;
    if (usable_key(ld, CC) && usable_key(ld, C) && ld->v[CC].u > ld->v[C].u)
        scn__report(ld, scn__loc_key(ld, CC),
                    "aigen.coalition_controllers (%llu) exceeds aigen.controllers (%llu)",
                    (unsigned long long)ld->v[CC].u, (unsigned long long)ld->v[C].u);
}

void scn__aigen_fill(const scn__loader *ld, scn_scenario *out)
{
    const scn__val *v = ld->v;
    scn_aigen *a = &out->aigen;
    a->controllers = (uint32_t)v[SCN_K_AIGEN_CONTROLLERS].u;
    a->models = (uint32_t)v[SCN_K_AIGEN_MODELS].u;
    a->consumers = (uint32_t)v[SCN_K_AIGEN_CONSUMERS].u;
    a->price = v[SCN_K_AIGEN_PRICE].u, a->price_spread = v[SCN_K_AIGEN_PRICE_SPREAD].d;
    a->base_fee = v[SCN_K_AIGEN_BASE_FEE].u, a->call_target = v[SCN_K_AIGEN_CALL_TARGET].u;
    a->calls = v[SCN_K_AIGEN_CALLS].d, a->elasticity = v[SCN_K_AIGEN_ELASTICITY].d;
    a->quality_weight = v[SCN_K_AIGEN_QUALITY_WEIGHT].d;
    a->price_weight = v[SCN_K_AIGEN_PRICE_WEIGHT].d;
    a->score_weight = v[SCN_K_AIGEN_SCORE_WEIGHT].d;
    a->wallet = v[SCN_K_AIGEN_WALLET].u;
    a->quality_a = v[SCN_K_AIGEN_QUALITY_A].d, a->quality_b = v[SCN_K_AIGEN_QUALITY_B].d;
    a->invest_step = v[SCN_K_AIGEN_INVEST_STEP].d, a->invest_cost = v[SCN_K_AIGEN_INVEST_COST].u;
    a->invest_horizon = (uint32_t)v[SCN_K_AIGEN_INVEST_HORIZON].u;
    a->decay = v[SCN_K_AIGEN_DECAY].d;
    a->k_plat = v[SCN_K_AIGEN_K_PLAT].d, a->k_dev = v[SCN_K_AIGEN_K_DEV].d;
    a->k_val = v[SCN_K_AIGEN_K_VAL].d, a->k_burn = v[SCN_K_AIGEN_K_BURN].d;
    a->kappa = v[SCN_K_AIGEN_KAPPA].d;
    a->relative = v[SCN_K_AIGEN_MODE].u == 1;
    a->unearned_treasury = v[SCN_K_AIGEN_UNEARNED].u == 1;
    a->gamma = (uint32_t)v[SCN_K_AIGEN_GAMMA].u;
    a->slashing = v[SCN_K_AIGEN_SLASHING].u != 0;
    a->epsilon = v[SCN_K_AIGEN_EPSILON].d, a->slash = v[SCN_K_AIGEN_SLASH].d;
    a->slash_correlation = (uint32_t)v[SCN_K_AIGEN_SLASH_CORRELATION].u;
    a->audit = v[SCN_K_AIGEN_AUDIT].d;
    a->reveal_delay = (uint32_t)v[SCN_K_AIGEN_REVEAL_DELAY].u;
    a->honest = (uint32_t)v[SCN_K_AIGEN_HONEST].u, a->lazy = (uint32_t)v[SCN_K_AIGEN_LAZY].u;
    a->copiers = (uint32_t)v[SCN_K_AIGEN_COPIERS].u;
    a->coalition = (uint32_t)v[SCN_K_AIGEN_COALITION].u;
    a->stake = v[SCN_K_AIGEN_STAKE].u, a->stake_spread = v[SCN_K_AIGEN_STAKE_SPREAD].d;
    a->noise = v[SCN_K_AIGEN_NOISE].d, a->lazy_score = v[SCN_K_AIGEN_LAZY_SCORE].d;
    a->coalition_share = v[SCN_K_AIGEN_COALITION_SHARE].d;
    a->coalition_controllers = (uint32_t)v[SCN_K_AIGEN_COALITION_CONTROLLERS].u;
    a->coalition_deflate = v[SCN_K_AIGEN_COALITION_DEFLATE].d;
    a->compound = v[SCN_K_AIGEN_COMPOUND].u != 0;
    a->coalition_start = v[SCN_K_AIGEN_COALITION_START].u;
    a->coalition_stop = v[SCN_K_AIGEN_COALITION_STOP].u;
    a->copier_start = v[SCN_K_AIGEN_COPIER_START].u, a->copier_stop = v[SCN_K_AIGEN_COPIER_STOP].u;
    a->sybil_k = (uint32_t)v[SCN_K_AIGEN_SYBIL_K].u;
}
