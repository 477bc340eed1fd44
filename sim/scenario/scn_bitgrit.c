/*
** scn_bitgrit.c: the scenario keys of models "bitgrit" (staked AI competitions, job board,
** community minting) and "numerai" (Numerai tournament rounds) beyond the flat key table: the
** cross-field rules and the copy into scn_scenario.bg.
**
** Invariants: both models count time in days, so time.block_seconds must be 86400 (one tick is
** one day, time.blocks the number of days, and the farmer's window is in days too); a fixed
** prize split that passes scn__bg_check has exactly competitions.winners positive integer
** weights, so scn__bg_fill parses it again without failing; a farmer's window that passes has
** community.farm_stop 0 (never) or >= community.farm_start. Cost: linear in the length of the
** fixed_split text.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "scn_int.h"

static int usable_key(const scn__loader *ld, int k)
{
    return ld->v[k].src != SCN__SRC_NONE && !ld->v[k].bad;
}

/* Parses "60,30,10" into w[0..n-1] (positive integers up to 10^12, spaces allowed). Returns the
** count, or -1 with a reason in why. */
static int parse_split(const char *text, uint64_t *w, size_t cap, char *why, size_t whylen)
{
    size_t n = 0;
    const char *p = text;
    for (;;) {
        while (*p == ' ')
            p++;
        if (*p < '0' || *p > '9') {
            snprintf(why, whylen, "'%s' is not a comma-separated list of positive integers", text);
            return -1;
        }
        char *end = NULL;
        errno = 0;
        unsigned long long v = strtoull(p, &end, 10);
        if (errno != 0 || v == 0 || v > 1000000000000ull) {
            snprintf(why, whylen, "weights must lie in [1, 10^12]");
            return -1;
        }
        if (n == cap) {
            snprintf(why, whylen, "more than %zu weights", cap);
            return -1;
        }
        w[n++] = v;
        p = end;
        while (*p == ' ')
            p++;
        if (*p == '\0')
            return (int)n;
        if (*p != ',') {
            snprintf(why, whylen, "'%s' is not a comma-separated list of positive integers", text);
            return -1;
        }
        p++;
    }
}

static void check_split(scn__loader *ld)
{
    const int S = SCN_K_COMPETITIONS_SPLIT, F = SCN_K_COMPETITIONS_FIXED_SPLIT;
    const int W = SCN_K_COMPETITIONS_WINNERS;
    if (!usable_key(ld, S) || ld->v[S].u != SCN_BG_SPLIT_FIXED || !usable_key(ld, F))
        return;
    uint64_t w[SCN_BG_MAX_WINNERS];
    char why[200];
    int n = parse_split(ld->v[F].s, w, SCN_BG_MAX_WINNERS, why, sizeof why);
    if (n < 0)
        scn__report(ld, scn__loc_key(ld, F), "competitions.fixed_split: %s", why);
    else if (usable_key(ld, W) && (uint64_t)n != ld->v[W].u)
        scn__report(ld, scn__loc_key(ld, F),
                    "competitions.fixed_split has %d weights but competitions.winners is %llu", n,
                    (unsigned long long)ld->v[W].u);
}

/* a <= b for two double keys, reported at b. */
static void check_order(scn__loader *ld, int a, int b, const char *what)
{
    if (usable_key(ld, a) && usable_key(ld, b) && ld->v[a].d > ld->v[b].d)
        scn__report(ld, scn__loc_key(ld, b), "%s must be >= %s (%s)", scn__keys[b].path,
                    scn__keys[a].path, what);
}

/* The genesis wallets must fit under the maximum supply (count * median is the estimate the
** loader can check; the model re-checks the drawn wallets). */
static void check_genesis(scn__loader *ld)
{
    const int C = SCN_K_SCIENTISTS_COUNT, B = SCN_K_SCIENTISTS_BALANCE;
    const int M = SCN_K_SUPPLY_MAX_SUPPLY, F = SCN_K_SUPPLY_MARKET_FLOAT;
    const int A = SCN_K_SUPPLY_COMMUNITY_ALLOCATION;
    if (!usable_key(ld, C) || !usable_key(ld, B) || !usable_key(ld, M) || !usable_key(ld, F))
        return;
    uint64_t max = ld->v[M].u;
    if (ld->v[B].u > max / ld->v[C].u || ld->v[F].u > max - ld->v[C].u * ld->v[B].u)
        scn__report(ld, scn__loc_key(ld, B),
                    "scientists.count * scientists.balance + supply.market_float exceeds "
                    "supply.max_supply");
    if (usable_key(ld, A) && ld->v[A].u > max)
        scn__report(ld, scn__loc_key(ld, A),
                    "supply.community_allocation exceeds supply.max_supply");
}

/* The farmer's window [farm_start, farm_stop): a stop of 0 means never, any other stop must not
** come before the start (reported at the stop). */
static void check_farm_window(scn__loader *ld)
{
    const int A = SCN_K_COMMUNITY_FARM_START, B = SCN_K_COMMUNITY_FARM_STOP;
    if (usable_key(ld, A) && usable_key(ld, B) && ld->v[B].u != 0 && ld->v[A].u > ld->v[B].u)
        scn__report(ld, scn__loc_key(ld, B),
                    "community.farm_stop (%llu) must be 0 (never) or >= community.farm_start "
                    "(%llu)",
                    (unsigned long long)ld->v[B].u, (unsigned long long)ld->v[A].u);
}

void scn__bg_check(scn__loader *ld)
{
    const int BS = SCN_K_TIME_BLOCK_SECONDS;
    if (usable_key(ld, BS) && ld->v[BS].u != 86400)
        scn__report(ld, scn__loc_key(ld, BS),
                    "model \"%s\" counts time in days: time.block_seconds must be 86400 (is %llu)",
                    ld->v[SCN_K_MODEL].u == SCN_MODEL_BITGRIT ? "bitgrit" : "numerai",
                    (unsigned long long)ld->v[BS].u);
    if (ld->v[SCN_K_MODEL].u != SCN_MODEL_BITGRIT)
        return;
    const int E = SCN_K_COMPETITIONS_ENTRY_DAYS, D = SCN_K_COMPETITIONS_DURATION_DAYS;
    if (usable_key(ld, E) && usable_key(ld, D) && ld->v[E].u > ld->v[D].u)
        scn__report(ld, scn__loc_key(ld, E),
                    "competitions.entry_days (%llu) must not exceed competitions.duration_days "
                    "(%llu)",
                    (unsigned long long)ld->v[E].u, (unsigned long long)ld->v[D].u);
    check_order(ld, SCN_K_SCIENTISTS_COMPLETE_MIN, SCN_K_SCIENTISTS_COMPLETE_MAX,
                "p_complete ~ U(complete_min, complete_max)");
    check_order(ld, SCN_K_SCIENTISTS_EFFORT_MIN, SCN_K_SCIENTISTS_EFFORT_MAX,
                "effort ~ U(effort_min, effort_max)");
    check_split(ld);
    check_genesis(ld);
    check_farm_window(ld);
}

static void fill_bitgrit(const scn__val *v, scn_bitgrit *b)
{
    b->supply.max_supply = v[SCN_K_SUPPLY_MAX_SUPPLY].u;
    b->supply.treasury = (scn_bg_treasury)v[SCN_K_SUPPLY_TREASURY].u;
    b->supply.community_allocation = v[SCN_K_SUPPLY_COMMUNITY_ALLOCATION].u;
    b->supply.vesting_months = (uint32_t)v[SCN_K_SUPPLY_VESTING_MONTHS].u;
    b->supply.market_float = v[SCN_K_SUPPLY_MARKET_FLOAT].u;
    b->supply.bgr_price_usd = v[SCN_K_SUPPLY_BGR_PRICE_USD].d;
    b->competitions.interval = (uint32_t)v[SCN_K_COMPETITIONS_INTERVAL].u;
    b->competitions.entry_days = (uint32_t)v[SCN_K_COMPETITIONS_ENTRY_DAYS].u;
    b->competitions.duration_days = (uint32_t)v[SCN_K_COMPETITIONS_DURATION_DAYS].u;
    b->competitions.stake = v[SCN_K_COMPETITIONS_STAKE].u;
    b->competitions.stake_spread = v[SCN_K_COMPETITIONS_STAKE_SPREAD].d;
    b->competitions.prize_usd = v[SCN_K_COMPETITIONS_PRIZE_USD].u;
    b->competitions.prize_spread = v[SCN_K_COMPETITIONS_PRIZE_SPREAD].d;
    b->competitions.bonus = v[SCN_K_COMPETITIONS_BONUS].u;
    b->competitions.winners = (uint32_t)v[SCN_K_COMPETITIONS_WINNERS].u;
    b->competitions.keep = v[SCN_K_COMPETITIONS_KEEP].d;
    b->competitions.forfeit_low = v[SCN_K_COMPETITIONS_FORFEIT_LOW].d;
    b->competitions.forfeit_incomplete = v[SCN_K_COMPETITIONS_FORFEIT_INCOMPLETE].d;
    b->competitions.reserve_share = v[SCN_K_COMPETITIONS_RESERVE_SHARE].d;
    b->competitions.platform_fee = v[SCN_K_COMPETITIONS_PLATFORM_FEE].d;
    b->competitions.split = (scn_bg_split)v[SCN_K_COMPETITIONS_SPLIT].u;
    b->competitions.exponent_quarters = (uint32_t)v[SCN_K_COMPETITIONS_EXPONENT_QUARTERS].u;
    b->competitions.score_noise = v[SCN_K_COMPETITIONS_SCORE_NOISE].d;
    b->competitions.scoring_days = (uint32_t)v[SCN_K_COMPETITIONS_SCORING_DAYS].u;
    b->competitions.bonus_probability = v[SCN_K_COMPETITIONS_BONUS_PROBABILITY].d;
    b->competitions.settlement = (scn_bg_settlement)v[SCN_K_COMPETITIONS_SETTLEMENT].u;
    b->competitions.numerai_threshold = v[SCN_K_COMPETITIONS_NUMERAI_THRESHOLD].u;
    b->competitions.numerai_scale = v[SCN_K_COMPETITIONS_NUMERAI_SCALE].d;
    b->competitions.numerai_multiplier = v[SCN_K_COMPETITIONS_NUMERAI_MULTIPLIER].d;
    b->competitions.numerai_clip = v[SCN_K_COMPETITIONS_NUMERAI_CLIP].d;
    if (b->competitions.split == SCN_BG_SPLIT_FIXED) {
        char why[200];
        (void)parse_split(v[SCN_K_COMPETITIONS_FIXED_SPLIT].s, b->competitions.fixed_split,
                          SCN_BG_MAX_WINNERS, why, sizeof why);
    }
}

static void fill_people(const scn__val *v, scn_bitgrit *b)
{
    b->scientists.count = (uint32_t)v[SCN_K_SCIENTISTS_COUNT].u;
    b->scientists.balance = v[SCN_K_SCIENTISTS_BALANCE].u;
    b->scientists.balance_spread = v[SCN_K_SCIENTISTS_BALANCE_SPREAD].d;
    b->scientists.skill_sd = v[SCN_K_SCIENTISTS_SKILL_SD].d;
    b->scientists.complete_min = v[SCN_K_SCIENTISTS_COMPLETE_MIN].d;
    b->scientists.complete_max = v[SCN_K_SCIENTISTS_COMPLETE_MAX].d;
    b->scientists.cost_usd = v[SCN_K_SCIENTISTS_COST_USD].d;
    b->scientists.cost_spread = v[SCN_K_SCIENTISTS_COST_SPREAD].d;
    b->scientists.belief_noise = v[SCN_K_SCIENTISTS_BELIEF_NOISE].d;
    b->scientists.learning_rate = v[SCN_K_SCIENTISTS_LEARNING_RATE].d;
    b->scientists.effort_min = v[SCN_K_SCIENTISTS_EFFORT_MIN].d;
    b->scientists.effort_max = v[SCN_K_SCIENTISTS_EFFORT_MAX].d;
    b->scientists.effort_score = v[SCN_K_SCIENTISTS_EFFORT_SCORE].d;
    b->jobs.arrival_rate = v[SCN_K_JOBS_ARRIVAL_RATE].d;
    b->jobs.deposit_stakes = v[SCN_K_JOBS_DEPOSIT_STAKES].d;
    b->jobs.hire_rate = v[SCN_K_JOBS_HIRE_RATE].d;
    b->jobs.lock_days = (uint32_t)v[SCN_K_JOBS_LOCK_DAYS].u;
    b->jobs.retain = v[SCN_K_JOBS_RETAIN].d;
    b->community.members = (uint32_t)v[SCN_K_COMMUNITY_MEMBERS].u;
    for (unsigned a = 0; a < SCN_BG_ACTIONS; a++) {
        b->community.reward[a] = v[SCN_K_COMMUNITY_REWARD_UPLOAD + (int)a].u;
        b->community.rate[a] = v[SCN_K_COMMUNITY_RATE_UPLOAD + (int)a].d;
    }
    b->community.farm_identities = (uint32_t)v[SCN_K_COMMUNITY_FARM_IDENTITIES].u;
    b->community.farm_rate = v[SCN_K_COMMUNITY_FARM_RATE].d;
    b->community.farm_accept = v[SCN_K_COMMUNITY_FARM_ACCEPT].d;
    b->community.farm_start = v[SCN_K_COMMUNITY_FARM_START].u;
    b->community.farm_stop = v[SCN_K_COMMUNITY_FARM_STOP].u;
    b->community.farm_cost = v[SCN_K_COMMUNITY_FARM_COST_PER_IDENTITY].u;
}

static void fill_numerai(const scn__val *v, scn_bitgrit *b)
{
    b->numerai.models = (uint32_t)v[SCN_K_NUMERAI_MODELS].u;
    b->numerai.interval = (uint32_t)v[SCN_K_NUMERAI_INTERVAL].u;
    b->numerai.resolve_days = (uint32_t)v[SCN_K_NUMERAI_RESOLVE_DAYS].u;
    b->numerai.threshold = v[SCN_K_NUMERAI_THRESHOLD].u;
    b->numerai.corr_multiplier = v[SCN_K_NUMERAI_CORR_MULTIPLIER].d;
    b->numerai.mmc_multiplier = v[SCN_K_NUMERAI_MMC_MULTIPLIER].d;
    b->numerai.clip = v[SCN_K_NUMERAI_CLIP].d;
    b->numerai.stake = v[SCN_K_NUMERAI_STAKE].u;
    b->numerai.stake_spread = v[SCN_K_NUMERAI_STAKE_SPREAD].d;
    b->numerai.stake_skill = v[SCN_K_NUMERAI_STAKE_SKILL].d;
    b->numerai.mu_mean = v[SCN_K_NUMERAI_MU_MEAN].d;
    b->numerai.mu_sd = v[SCN_K_NUMERAI_MU_SD].d;
    b->numerai.corr_sd = v[SCN_K_NUMERAI_CORR_SD].d;
    b->numerai.mmc_sd = v[SCN_K_NUMERAI_MMC_SD].d;
    b->numerai.era_sd = v[SCN_K_NUMERAI_ERA_SD].d;
    b->numerai.mmc_k = v[SCN_K_NUMERAI_MMC_K].d;
    b->numerai.valid = v[SCN_K_NUMERAI_VALID].d;
    b->numerai.compound = v[SCN_K_NUMERAI_COMPOUND].u != 0;
    b->numerai.treasury = v[SCN_K_NUMERAI_TREASURY].u;
    b->numerai.burn_to_treasury = v[SCN_K_NUMERAI_BURN_MODE].u == 1;
    b->numerai.sybil_k = (uint32_t)v[SCN_K_NUMERAI_SYBIL_K].u;
    b->numerai.atomic_v3 = v[SCN_K_NUMERAI_STAKING].u == 1;
    b->numerai.round_share = v[SCN_K_NUMERAI_ROUND_SHARE].d;
}

void scn__bg_fill(const scn__loader *ld, scn_scenario *out)
{
    scn_bitgrit *b = &out->bg;
    memset(b, 0, sizeof *b);
    if (out->model == SCN_MODEL_BITGRIT) {
        fill_bitgrit(ld->v, b);
        fill_people(ld->v, b);
    } else {
        fill_numerai(ld->v, b);
    }
}
