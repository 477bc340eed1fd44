/*
** scn_keys.c: the scenario key table, the one place that states every key's type, range,
** default, applicability and meaning, plus lookups, "did you mean" hints and scn_describe.
**
** Invariants: table order is the file-format order (groups precede their keys, the keys of a
** group are contiguous); every default parses and validates (tested); ranges shown to users are
** rendered from the same numbers the validators use. Lookups are linear: the table is ~20 keys.
*/
#include <string.h>

#include "scn_int.h"

static const char *const model_choices[] = {"token",     "bittensor", "collusion-toy",
                                            "retention", "bitgrit",   "numerai",
                                            "aigen",     "cflow",     NULL};
static const char *const ag_mode_choices[] = {"absolute", "relative", NULL};
static const char *const ag_unearned_choices[] = {"burn", "treasury", NULL};
static const char *const cf_mode_choices[] = {"relative", "absolute", NULL};
static const char *const cf_split_choices[] = {"weights", "shapley", NULL};
static const char *const bg_treasury_choices[] = {"preminted", "minting", NULL};
static const char *const bg_split_choices[] = {"power", "fixed", NULL};
static const char *const nm_burn_choices[] = {"destroy", "treasury", NULL};
static const char *const bg_settle_choices[] = {"tiers", "numerai", NULL};
static const char *const nm_staking_choices[] = {"v2", "v3", NULL};
static const char *const design_choices[] = {"oat", "full", NULL};
static const char *const search_choices[] = {"bisect", "scan", NULL};
static const char *const copy_choices[] = {"consensus", "validator", NULL};
static const char *const sybil_choices[] = {"miners", "validators", NULL};
static const char *const variant_choices[] = {"main", "release", NULL};
static const char *const quality_choices[] = {"uniform", "beta", "lognormal", NULL};
static const char *const schedule_choices[] = {"issuance", "bitcoin", NULL};

#define U64_MAX_ UINT64_MAX
#define I64_MAX_ 9223372036854775807ull

/* Compact entries for the keys of the study models (flag fl = SCN__ONLY_COLLUSION or
** SCN__ONLY_RETENTION). */
#define ST_GROUP(p, fl, d)                                                                         \
    {                                                                                              \
        .path = (p), .kind = SCN__GROUP, .flags = (fl), .unit = "", .doc = (d)                     \
    }
#define ST_UINT(p, fl, lo, hi, dv, u, d)                                                           \
    {                                                                                              \
        .path = (p), .kind = SCN__UINT, .flags = (fl), .min = (lo), .max = (hi), .def = (dv),      \
        .unit = (u), .doc = (d)                                                                    \
    }
#define ST_DBL(p, fl, lo, hi, dv, u, d)                                                            \
    {                                                                                              \
        .path = (p), .kind = SCN__DOUBLE, .flags = (fl), .dmin = (lo), .dmax = (hi), .def = (dv),  \
        .unit = (u), .doc = (d)                                                                    \
    }
#define ST_LIST(p, dv, d)                                                                          \
    {                                                                                              \
        .path = (p), .kind = SCN__STRING, .flags = SCN__ONLY_RETENTION, .min = 1, .max = 400,      \
        .strcheck = SCN__STR_TEXT, .def = (dv), .unit = "", .doc = (d)                             \
    }
#define RT SCN__ONLY_RETENTION
#define CT SCN__ONLY_COLLUSION

/* Compact entries for the keys of model "bittensor" (flag SCN__ONLY_BT plus `fl`). */
#define BT_GROUP(p, d)                                                                             \
    {                                                                                              \
        .path = (p), .kind = SCN__GROUP, .flags = SCN__ONLY_BT, .unit = "", .doc = (d)             \
    }
#define BT_UINT(p, fl, lo, hi, dv, u, d)                                                           \
    {                                                                                              \
        .path = (p), .kind = SCN__UINT, .flags = SCN__ONLY_BT | (fl), .min = (lo), .max = (hi),    \
        .def = (dv), .unit = (u), .doc = (d)                                                       \
    }
#define BT_AMT(p, fl, lo, hi, dv, u, d)                                                            \
    {                                                                                              \
        .path = (p), .kind = SCN__AMOUNT, .flags = SCN__ONLY_BT | (fl), .min = (lo), .max = (hi),  \
        .def = (dv), .unit = (u), .doc = (d)                                                       \
    }
#define BT_DBL(p, fl, lo, hi, dv, u, d)                                                            \
    {                                                                                              \
        .path = (p), .kind = SCN__DOUBLE, .flags = SCN__ONLY_BT | (fl), .dmin = (lo),              \
        .dmax = (hi), .def = (dv), .unit = (u), .doc = (d)                                         \
    }
#define BT_BOOL(p, fl, dv, d)                                                                      \
    {                                                                                              \
        .path = (p), .kind = SCN__BOOL, .flags = SCN__ONLY_BT | (fl), .def = (dv), .unit = "",     \
        .doc = (d)                                                                                 \
    }
#define BT_ENUM(p, fl, ch, dv, d)                                                                  \
    {                                                                                              \
        .path = (p), .kind = SCN__ENUM, .flags = SCN__ONLY_BT | (fl), .choices = (ch),             \
        .def = (dv), .unit = "", .doc = (d)                                                        \
    }

#define AG SCN__ONLY_AIGEN
#define CF SCN__ONLY_CFLOW
/* Compact entries for the keys of models "bitgrit" (BG) and "numerai" (NM). */
#define BG SCN__ONLY_BITGRIT
#define NM SCN__ONLY_NUMERAI
#define BG_AMT(p, fl, lo, dv, u, d)                                                                \
    {                                                                                              \
        .path = (p), .kind = SCN__AMOUNT, .flags = (fl), .min = (lo), .max = U64_MAX_,             \
        .def = (dv), .unit = (u), .doc = (d)                                                       \
    }
#define BG_ENUM(p, fl, ch, dv, d)                                                                  \
    {                                                                                              \
        .path = (p), .kind = SCN__ENUM, .flags = (fl), .choices = (ch), .def = (dv), .unit = "",   \
        .doc = (d)                                                                                 \
    }

const scn__key scn__keys[SCN_K__COUNT] = {
    [SCN_K_NAME] = {.path = "name",
                    .kind = SCN__STRING,
                    .flags = SCN__REQUIRED,
                    .min = 1,
                    .max = 64,
                    .strcheck = SCN__STR_NAME,
                    .unit = "",
                    .doc = "Scenario name: names the run in the metrics database and the default "
                           "output file out/<name>.db."},
    [SCN_K_DESCRIPTION] = {.path = "description",
                           .kind = SCN__STRING,
                           .min = 0,
                           .max = 1000,
                           .strcheck = SCN__STR_TEXT,
                           .def = "",
                           .unit = "",
                           .doc = "Free text saying what question the scenario answers."},
    [SCN_K_MODEL] = {.path = "model",
                     .kind = SCN__ENUM,
                     .choices = model_choices,
                     .def = "token",
                     .unit = "",
                     .doc = "World to simulate. \"token\": one token with an emission schedule "
                            "and a set of stakers earning the block rewards pro rata. "
                            "\"bittensor\": a root network and subnets with miners, validators, "
                            "delegators and owners, settled by the chain's coinbase and Yuma "
                            "epoch (scenarios/BITTENSOR.md). \"aigen\": the AiGen platform "
                            "(scenarios/AIGEN.md). \"cflow\": the Bitmodel C-Flow royalty graph "
                            "(scenarios/CFLOW.md)."},
    [SCN_K_SEED] = {.path = "seed",
                    .kind = SCN__UINT,
                    .min = 0,
                    .max = I64_MAX_,
                    .def = "1",
                    .unit = "",
                    .doc = "Master seed of every random stream. The CLI's --seed overrides it. "
                           "Limited to 2^63-1 so that it fits SQLite INTEGER and JSON readers."},
    [SCN_K_TIME] = {.path = "time", .kind = SCN__GROUP, .unit = "", .doc = "Simulated time."},
    [SCN_K_TIME_BLOCK_SECONDS] = {.path = "time.block_seconds",
                                  .kind = SCN__UINT,
                                  .min = 1,
                                  .max = 86400,
                                  .def = "12",
                                  .unit = "seconds",
                                  .doc = "Simulated seconds per block (Bittensor: 12). Turns "
                                         "blocks into days for daily staker decisions."},
    [SCN_K_TIME_BLOCKS] = {.path = "time.blocks",
                           .kind = SCN__UINT,
                           .flags = SCN__REQUIRED,
                           .min = 1,
                           .max = 10000000000ull,
                           .unit = "blocks",
                           .doc = "Number of blocks to simulate after genesis. Needs the L "
                                  "suffix above 2147483647."},
    [SCN_K_EMISSION] = {.path = "emission",
                        .kind = SCN__GROUP,
                        .flags = SCN__ONLY_TOKEN,
                        .unit = "",
                        .doc = "Block reward and its halvings."},
    [SCN_K_EMISSION_SCHEDULE] =
        {.path = "emission.schedule",
         .kind = SCN__ENUM,
         .flags = SCN__ONLY_TOKEN,
         .choices = schedule_choices,
         .def = "issuance",
         .unit = "",
         .doc = "\"issuance\": Bittensor's rule, the reward halves each time total issuance "
                "(genesis stakes included) crosses total_supply*(1-2^-k). \"bitcoin\": the "
                "reward halves every halving_interval blocks counted from start_block."},
    [SCN_K_EMISSION_INITIAL_REWARD] = {.path = "emission.initial_reward",
                                       .kind = SCN__AMOUNT,
                                       .flags = SCN__ONLY_TOKEN,
                                       .min = 1,
                                       .max = U64_MAX_,
                                       .def = "1",
                                       .unit = "tokens per block",
                                       .doc = "Block reward before any halving."},
    [SCN_K_EMISSION_TOTAL_SUPPLY] =
        {.path = "emission.total_supply",
         .kind = SCN__AMOUNT,
         .flags = SCN__ONLY_ISSUANCE | SCN__ONLY_TOKEN,
         .min = 1,
         .max = U64_MAX_,
         .def = "21000000",
         .unit = "tokens",
         .doc = "Issuance schedule only: the supply cap that drives the halvings (the first "
                "at half of it). Must exceed twice initial_reward and the total genesis stake."},
    [SCN_K_EMISSION_HALVING_INTERVAL] =
        {.path = "emission.halving_interval",
         .kind = SCN__UINT,
         .flags = SCN__REQ_BITCOIN | SCN__ONLY_BITCOIN | SCN__ONLY_TOKEN,
         .min = 1,
         .max = 1000000000ull,
         .unit = "blocks",
         .doc = "Bitcoin schedule only (and required there): blocks between halvings "
                "(Bitcoin: 210000)."},
    [SCN_K_EMISSION_START_BLOCK] =
        {.path = "emission.start_block",
         .kind = SCN__UINT,
         .flags = SCN__ONLY_BITCOIN | SCN__ONLY_TOKEN,
         .min = 0,
         .max = 10000000000ull,
         .def = "0",
         .unit = "block height",
         .doc = "Bitcoin schedule only: h0, the first subsidised height (earlier blocks mint "
                "nothing); the halving count at height h is (h - h0) / halving_interval."},
    [SCN_K_STAKERS] = {.path = "stakers",
                       .kind = SCN__GROUP,
                       .flags = SCN__ONLY_TOKEN,
                       .unit = "",
                       .doc = "The stakers who receive the block rewards."},
    [SCN_K_STAKERS_COUNT] = {.path = "stakers.count",
                             .kind = SCN__UINT,
                             .flags = SCN__ONLY_TOKEN,
                             .min = 1,
                             .max = 100000,
                             .def = "5",
                             .unit = "stakers",
                             .doc = "Number of stakers."},
    [SCN_K_STAKERS_INITIAL_STAKE] =
        {.path = "stakers.initial_stake",
         .kind = SCN__AMOUNT,
         .flags = SCN__ONLY_TOKEN,
         .min = 1,
         .max = U64_MAX_,
         .def = "1000",
         .unit = "tokens",
         .doc = "Mean genesis stake per staker, minted at genesis (it counts as issuance)."},
    [SCN_K_STAKERS_STAKE_SPREAD] =
        {.path = "stakers.stake_spread",
         .kind = SCN__DOUBLE,
         .flags = SCN__ONLY_TOKEN,
         .dmin = 0.0,
         .dmax = 3.0,
         .def = "0.5",
         .unit = "",
         .doc = "Lognormal sigma of the genesis stakes around their mean; 0 gives every staker "
                "exactly initial_stake."},
    [SCN_K_STAKERS_COMPOUND] = {.path = "stakers.compound",
                                .kind = SCN__BOOL,
                                .flags = SCN__ONLY_TOKEN,
                                .def = "true",
                                .unit = "",
                                .doc = "true: rewards are restaked (they earn rewards in turn); "
                                       "false: rewards go to the free balance."},
    [SCN_K_STAKERS_UNSTAKE_PROBABILITY] =
        {.path = "stakers.unstake_probability",
         .kind = SCN__DOUBLE,
         .flags = SCN__ONLY_TOKEN,
         .dmin = 0.0,
         .dmax = 1.0,
         .def = "0",
         .unit = "per staker per day",
         .doc = "Chance that a staker unstakes on a given simulated day (86400 s of simulated "
                "time)."},
    [SCN_K_STAKERS_UNSTAKE_FRACTION] =
        {.path = "stakers.unstake_fraction",
         .kind = SCN__DOUBLE,
         .flags = SCN__ONLY_TOKEN,
         .dmin = 0.0,
         .dmax = 1.0,
         .dmin_open = 1,
         .def = "0.1",
         .unit = "fraction of stake",
         .doc = "Fraction of its stake a staker moves to its free balance when it unstakes "
                "(resolution 1e-9)."},
    [SCN_K_RECORD] = {.path = "record", .kind = SCN__GROUP, .unit = "", .doc = "Metric sampling."},
    [SCN_K_RECORD_EVERY] = {.path = "record.every",
                            .kind = SCN__UINT,
                            .min = 1,
                            .max = 1000000000ull,
                            .def = "7200",
                            .unit = "blocks",
                            .doc = "Blocks between metric samples (7200 = one day at 12 s); the "
                                   "last block is always sampled."},
    [SCN_K_RECORD_EPOCHS_EVERY] =
        BT_UINT("record.epochs_every", 0, 0, 1000000000ull, "1", "epochs",
                "Model \"bittensor\": write the Yuma outputs of every uid (stake, consensus, "
                "incentive, dividends, validator trust, permit, emission) to the epochs table "
                "at every N-th epoch of each subnet; 0 writes none."),
    [SCN_K_CHAIN] = BT_GROUP("chain", "Chain-wide parameters (spec bittensor §3.1, §3.3, §3.12)."),
    [SCN_K_CHAIN_TOTAL_SUPPLY] =
        BT_AMT("chain.total_supply", 0, 1, U64_MAX_, "21000000", "TAO",
               "TotalSupply: the cap that drives the issuance-based halvings of TAO and of every "
               "subnet's alpha (the first at half of it). Must exceed twice block_emission and "
               "the genesis TAO."),
    [SCN_K_CHAIN_BLOCK_EMISSION] =
        BT_AMT("chain.block_emission", 0, 1, U64_MAX_, "1", "TAO per block",
               "DefaultBlockEmission: TAO (and alpha per subnet) minted per block before any "
               "halving."),
    [SCN_K_CHAIN_TAO_WEIGHT] =
        BT_UINT("chain.tao_weight", 0, 0, U64_MAX_, "971718665099567868", "of 2^64-1",
                "TaoWeight: how much root (TAO) stake counts next to alpha stake in the epoch "
                "and in the root proportion (the default is about 0.0527). Needs the L suffix."),
    [SCN_K_CHAIN_SUBNET_OWNER_CUT] =
        BT_UINT("chain.subnet_owner_cut", 0, 0, 65535, "11796", "of 65535",
                "SubnetOwnerCut: the owner's share of each block's alpha (11796 is about 18%)."),
    [SCN_K_CHAIN_MAX_EPOCHS_PER_BLOCK] =
        BT_UINT("chain.max_epochs_per_block", 0, 1, 65535, "2", "epochs",
                "MaxEpochsPerBlock: epochs due in one block beyond this are deferred by one "
                "block (spec §3.6.2)."),
    [SCN_K_CHAIN_SHARE_VARIANT] =
        BT_ENUM("chain.share_variant", 0, variant_choices, "main",
                "How subnets' TAO shares are weighted (spec §3.3): \"main\" by (1 - MinerBurned), "
                "\"release\" (v3.4.9-424) by root proportion times (1 - MinerBurned)."),
    [SCN_K_NETWORK] = BT_GROUP("network", "The shape of the network."),
    [SCN_K_NETWORK_SUBNETS] = BT_UINT("network.subnets", 0, 1, SCN_MAX_SUBNETS, "1", "subnets",
                                      "Number of subnets (netuids 1..N) besides the root network."),
    [SCN_K_SUBNET_DEFAULTS] =
        BT_GROUP("subnet_defaults",
                 "Hyperparameters and agent counts of every subnet (defaults: spec bittensor "
                 "§3.12, new-subnet values). Each key can be overridden per subnet in `subnets`."),
    [SCN_K_SD_TEMPO] = BT_UINT("subnet_defaults.tempo", SCN__SUBNET, 1, 65535, "360", "blocks",
                               "Tempo: blocks between two epochs of the subnet."),
    [SCN_K_SD_MAX_UIDS] =
        BT_UINT("subnet_defaults.max_uids", SCN__SUBNET, 1, 4096, "256", "uids",
                "MaxAllowedUids: uid slots; a registration into a full subnet replaces the "
                "lowest-emission uid (spec §3.10)."),
    [SCN_K_SD_MAX_VALIDATORS] =
        BT_UINT("subnet_defaults.max_validators", SCN__SUBNET, 1, 65535, "64", "uids",
                "MaxAllowedValidators: validator permits go to the top-k stakes."),
    [SCN_K_SD_KAPPA] = BT_UINT("subnet_defaults.kappa", SCN__SUBNET, 0, 65535, "32767", "of 65535",
                               "Kappa: the stake majority of the consensus median."),
    [SCN_K_SD_BONDS_MOVING_AVERAGE] =
        BT_UINT("subnet_defaults.bonds_moving_average", SCN__SUBNET, 0, 1000000, "900000", "ppm",
                "BondsMovingAverage: the bonds EMA keeps this fraction (fixed-alpha bonds)."),
    [SCN_K_SD_BONDS_PENALTY] =
        BT_UINT("subnet_defaults.bonds_penalty", SCN__SUBNET, 0, 65535, "65535", "of 65535",
                "BondsPenalty: how far bonds follow the clipped weights (65535: fully)."),
    [SCN_K_SD_YUMA3] = BT_BOOL("subnet_defaults.yuma3", SCN__SUBNET, "true",
                               "Yuma3On: Yuma3 bonds (true for new subnets) or original Yuma."),
    [SCN_K_SD_LIQUID_ALPHA] = BT_BOOL("subnet_defaults.liquid_alpha", SCN__SUBNET, "false",
                                      "LiquidAlphaOn: per-bond EMA rates (Yuma3 only)."),
    [SCN_K_SD_ALPHA_LOW] = BT_UINT("subnet_defaults.alpha_low", SCN__SUBNET, 0, 65535, "45875",
                                   "of 65535", "AlphaValues low end (liquid alpha)."),
    [SCN_K_SD_ALPHA_HIGH] = BT_UINT("subnet_defaults.alpha_high", SCN__SUBNET, 0, 65535, "58982",
                                    "of 65535", "AlphaValues high end; at least alpha_low."),
    [SCN_K_SD_ALPHA_SIGMOID_STEEPNESS] =
        BT_UINT("subnet_defaults.alpha_sigmoid_steepness", SCN__SUBNET, 0, 32767, "1000", "",
                "AlphaSigmoidSteepness (liquid alpha)."),
    [SCN_K_SD_IMMUNITY_PERIOD] =
        BT_UINT("subnet_defaults.immunity_period", SCN__SUBNET, 0, 65535, "5000", "blocks",
                "ImmunityPeriod: a uid this young is pruned only when too few others are "
                "prunable."),
    [SCN_K_SD_MIN_ALLOWED_WEIGHTS] =
        BT_UINT("subnet_defaults.min_allowed_weights", SCN__SUBNET, 0, 65535, "1", "uids",
                "MinAllowedWeights: fewer non-zero weights than min(this, n) are refused."),
    [SCN_K_SD_ACTIVITY_CUTOFF_FACTOR] =
        BT_UINT("subnet_defaults.activity_cutoff_factor", SCN__SUBNET, 1000, 50000, "13889",
                "per mille of tempo",
                "ActivityCutoffFactorMilli: a uid is inactive when its weights are older than "
                "max(1, factor * tempo / 1000) blocks (5000 at tempo 360)."),
    [SCN_K_SD_STAKE_THRESHOLD] =
        BT_AMT("subnet_defaults.stake_threshold", SCN__SUBNET, 0, U64_MAX_, "0", "alpha",
               "StakeThreshold: stake below it counts as 0 in the epoch and cannot set weights."),
    [SCN_K_SD_COMMIT_REVEAL] =
        BT_BOOL("subnet_defaults.commit_reveal", SCN__SUBNET, "true",
                "CommitRevealWeightsEnabled: weights are committed and become visible only "
                "reveal_period epochs later."),
    [SCN_K_SD_REVEAL_PERIOD] =
        BT_UINT("subnet_defaults.reveal_period", SCN__SUBNET, 1, 1000, "1", "epochs",
                "Commit-reveal delay: weights committed during epoch interval e are used from "
                "the epoch that closes interval e + reveal_period."),
    [SCN_K_SD_WEIGHTS_RATE_LIMIT] =
        BT_UINT("subnet_defaults.weights_rate_limit", SCN__SUBNET, 0, 65535, "100", "blocks",
                "WeightsSetRateLimit: blocks a validator must wait between two weight settings."),
    [SCN_K_SD_IMMUNE_OWNER_UIDS] =
        BT_UINT("subnet_defaults.immune_owner_uids", SCN__SUBNET, 1, 10, "1", "uids",
                "ImmuneOwnerUidsLimit: how many of the owner's uids are never pruned."),
    [SCN_K_SD_MIN_NON_IMMUNE_UIDS] =
        BT_UINT("subnet_defaults.min_non_immune_uids", SCN__SUBNET, 0, 65535, "10", "uids",
                "MinNonImmuneUids: prune among immune uids unless more non-immune ones exist."),
    [SCN_K_SD_OWNER_CUT_ENABLED] =
        BT_BOOL("subnet_defaults.owner_cut_enabled", SCN__SUBNET, "true",
                "OwnerCutEnabled: the owner takes chain.subnet_owner_cut of the alpha emission."),
    [SCN_K_SD_BURN] = BT_AMT("subnet_defaults.burn", SCN__SUBNET, 0, U64_MAX_, "1", "TAO",
                             "Initial registration cost (Burn); new subnets start at 1 TAO."),
    [SCN_K_SD_BURN_HALF_LIFE] =
        BT_UINT("subnet_defaults.burn_half_life", SCN__SUBNET, 0, 65535, "360", "blocks",
                "BurnHalfLife: the burn halves every this many blocks (0: no decay)."),
    [SCN_K_SD_BURN_INCREASE_MULT] =
        BT_DBL("subnet_defaults.burn_increase_mult", SCN__SUBNET, 0.0, 1000.0, "1.26", "",
               "BurnIncreaseMult: each registration multiplies the burn by this (values below 1 "
               "act as 1; converted from the f64 exactly as the chain does)."),
    [SCN_K_SD_BURN_MIN] = BT_AMT("subnet_defaults.burn_min", SCN__SUBNET, 0, U64_MAX_, "0.0005",
                                 "TAO", "MinBurn: lower clamp of the burn."),
    [SCN_K_SD_BURN_MAX] = BT_AMT("subnet_defaults.burn_max", SCN__SUBNET, 0, U64_MAX_, "100", "TAO",
                                 "MaxBurn: upper clamp of the burn."),
    [SCN_K_SD_POOL_TAO] =
        BT_AMT("subnet_defaults.pool_tao", SCN__SUBNET, 1, U64_MAX_, "1000", "TAO",
               "Genesis TAO reserve of the subnet's pool (SubnetTAO; part of the genesis "
               "issuance)."),
    [SCN_K_SD_POOL_ALPHA] =
        BT_AMT("subnet_defaults.pool_alpha", SCN__SUBNET, 1, U64_MAX_, "1000", "alpha",
               "Genesis alpha reserve of the pool (SubnetAlphaIn); price = pool_tao / "
               "pool_alpha."),
    [SCN_K_SD_MOVING_PRICE] =
        BT_DBL("subnet_defaults.moving_price", SCN__SUBNET, 0.0, 1000000.0, "0", "TAO per alpha",
               "Initial SubnetMovingPrice, the EMA that sets the subnet's TAO share (0 as for a "
               "new subnet: the share is 0 until the EMA moves)."),
    [SCN_K_SD_EMA_PRICE_HALVING_BLOCKS] =
        BT_UINT("subnet_defaults.ema_price_halving_blocks", SCN__SUBNET, 0, 1000000000ull, "201600",
                "blocks", "EMAPriceHalvingBlocks of the moving price."),
    [SCN_K_SD_MINERS] = BT_UINT("subnet_defaults.miners", SCN__SUBNET, 0, 65535, "200", "miners",
                                "Miner agents (registered or candidates) of the subnet."),
    [SCN_K_SD_DELEGATORS] =
        BT_UINT("subnet_defaults.delegators", SCN__SUBNET, 0, 100000, "20", "delegators",
                "Delegators staking alpha on this subnet's validators."),
    [SCN_K_SD_SNAPSHOT] = {.path = "subnet_defaults.snapshot",
                           .kind = SCN__STRING,
                           .flags = SCN__ONLY_BT | SCN__SUBNET,
                           .min = 0,
                           .max = 4096,
                           .strcheck = SCN__STR_PATH,
                           .def = "",
                           .unit = "",
                           .doc = "Metagraph snapshot (JSON, scenarios/BITTENSOR.md) giving the "
                                  "subnet's initial uids, stakes, weights, bonds and "
                                  "hyperparameters; relative to the scenario file's directory "
                                  "and below it (a file may not give an absolute path or '..'; "
                                  "--set may). \"\": none."},
    [SCN_K_SUBNETS] = {.path = "subnets",
                       .kind = SCN__LIST,
                       .flags = SCN__ONLY_BT,
                       .unit = "",
                       .doc = "Per-subnet overrides: a list of groups, element i for netuid "
                              "i+1 unless it says `netuid = N;`; each may set any "
                              "subnet_defaults key. --set subnets.N.KEY=VALUE overrides KEY "
                              "of netuid N."},
    [SCN_K_SUBNETS_NETUID] =
        BT_UINT("subnets.netuid", SCN__ELEM, 1, SCN_MAX_SUBNETS, NULL, "",
                "Inside a `subnets` element: the netuid it configures (default: its position "
                "+ 1); at most network.subnets, each netuid once."),
    [SCN_K_VALIDATORS] =
        BT_GROUP("validators", "Validator agents: each registers one hotkey on every subnet "
                               "without a snapshot and sets weights once per tempo."),
    [SCN_K_VALIDATORS_HONEST] =
        BT_UINT("validators.honest", 0, 0, 4096, "8", "validators",
                "Validators that weight miners by their observed quality (noise `noise`)."),
    [SCN_K_VALIDATORS_LAZY] =
        BT_UINT("validators.lazy", 0, 0, 4096, "0", "validators",
                "Validators that copy the last public consensus instead of observing."),
    [SCN_K_VALIDATORS_NOISY] =
        BT_UINT("validators.noisy", 0, 0, 4096, "0", "validators",
                "Validators that observe with the larger noise `noisy_noise`."),
    [SCN_K_VALIDATORS_NOISE] =
        BT_DBL("validators.noise", 0, 0.0, 10.0, "0.05", "quality units",
               "Standard deviation of an honest validator's observation of a miner's quality."),
    [SCN_K_VALIDATORS_NOISY_NOISE] =
        BT_DBL("validators.noisy_noise", 0, 0.0, 10.0, "0.5", "quality units",
               "Standard deviation of a noisy validator's observation."),
    [SCN_K_VALIDATORS_STAKE] =
        BT_AMT("validators.stake", 0, 0, U64_MAX_, "10000", "alpha",
               "Mean genesis alpha stake of a validator's own position on each subnet."),
    [SCN_K_VALIDATORS_STAKE_SPREAD] =
        BT_DBL("validators.stake_spread", 0, 0.0, 3.0, "1", "",
               "Lognormal sigma of the validators' genesis stakes (0: all equal)."),
    [SCN_K_VALIDATORS_ROOT_STAKE] =
        BT_AMT("validators.root_stake", 0, 0, U64_MAX_, "0", "TAO",
               "Genesis root (TAO) stake of each validator's own hotkey."),
    [SCN_K_VALIDATORS_TAKE_MIN] =
        BT_UINT("validators.take_min", 0, 0, 11796, "5898", "of 65535",
                "Lowest delegate take (drawn uniformly in [take_min, take_max]; chain maximum "
                "11796, about 18%)."),
    [SCN_K_VALIDATORS_TAKE_MAX] = BT_UINT("validators.take_max", 0, 0, 11796, "11796", "of 65535",
                                          "Highest delegate take; at least take_min."),
    [SCN_K_VALIDATORS_TAO] = BT_AMT("validators.tao", 0, 0, U64_MAX_, "10", "TAO",
                                    "Genesis free TAO of each validator."),
    [SCN_K_MINERS] = BT_GROUP("miners", "Miner agents: latent quality, operating cost, "
                                        "registration and selling decisions."),
    [SCN_K_MINERS_QUALITY] =
        BT_ENUM("miners.quality", 0, quality_choices, "beta",
                "Distribution of latent quality: \"uniform\" on [a, b], \"beta\" with shapes a, "
                "b, \"lognormal\" with median a and sigma b."),
    [SCN_K_MINERS_QUALITY_A] = BT_DBL("miners.quality_a", 0, 0.0, 1000.0, "2", "",
                                      "First parameter of the quality distribution."),
    [SCN_K_MINERS_QUALITY_B] = BT_DBL("miners.quality_b", 0, 0.0, 1000.0, "5", "",
                                      "Second parameter of the quality distribution."),
    [SCN_K_MINERS_COST] =
        BT_AMT("miners.cost", 0, 0, U64_MAX_, "0.1", "TAO per day",
               "Operating cost of a serving miner (off chain: it enters decisions and metrics, "
               "not the ledger)."),
    [SCN_K_MINERS_TAO] = BT_AMT("miners.tao", 0, 0, U64_MAX_, "2", "TAO",
                                "Genesis free TAO of each miner (pays registration burns)."),
    [SCN_K_MINERS_HORIZON_DAYS] =
        BT_DBL("miners.horizon_days", 0, 0.0, 3650.0, "30", "days",
               "Payback horizon: a candidate registers when its expected earnings over this "
               "horizon exceed the burn plus its costs."),
    [SCN_K_MINERS_CHECK_EVERY] =
        BT_UINT("miners.check_every", 0, 1, 1000000000ull, "720", "blocks",
                "Blocks between two registration decisions of an unregistered candidate."),
    [SCN_K_MINERS_SELL_FRACTION] =
        BT_DBL("miners.sell_fraction", 0, 0.0, 1.0, "0.5", "per day",
               "Fraction of its alpha stake a registered miner sells for TAO each day."),
    [SCN_K_MINERS_PATIENCE_DAYS] =
        BT_UINT("miners.patience_days", 0, 0, 3650, "7", "days",
                "Consecutive unprofitable days after which a miner stops serving (it is then "
                "pruned in time and becomes a candidate again); 0: never stops."),
    [SCN_K_MINERS_GENESIS_REGISTERED] =
        BT_BOOL("miners.genesis_registered", 0, "true",
                "Fill the free uids with miners at genesis (false: every miner starts as a "
                "candidate)."),
    [SCN_K_DELEGATORS] =
        BT_GROUP("delegators", "Delegators: alpha stakers who follow the best validator yield."),
    [SCN_K_DELEGATORS_STAKE] = BT_AMT("delegators.stake", 0, 0, U64_MAX_, "100", "alpha",
                                      "Mean genesis alpha position of a delegator."),
    [SCN_K_DELEGATORS_STAKE_SPREAD] = BT_DBL("delegators.stake_spread", 0, 0.0, 3.0, "1", "",
                                             "Lognormal sigma of the delegators' positions."),
    [SCN_K_DELEGATORS_DECIDE_EVERY] =
        BT_UINT("delegators.decide_every", 0, 1, 1000000000ull, "7200", "blocks",
                "Blocks between two decisions of a delegator (yields are measured over the "
                "same window)."),
    [SCN_K_DELEGATORS_MOVE_DELAY] =
        BT_UINT("delegators.move_delay", 0, 0, 1000000000ull, "360", "blocks",
                "Blocks between a decision to move and the move itself."),
    [SCN_K_DELEGATORS_SWITCH_THRESHOLD] =
        BT_DBL("delegators.switch_threshold", 0, 0.0, 100.0, "0.1", "",
               "Relative yield advantage (net of take) a validator needs to attract a move."),
    [SCN_K_DELEGATORS_NOISE] =
        BT_DBL("delegators.noise", 0, 0.0, 10.0, "0.1", "",
               "Lognormal sigma of the noise on perceived yields (0: perfect information)."),
    [SCN_K_ROOT] = BT_GROUP("root", "Root stakers: TAO staked on the root network through "
                                    "validator hotkeys."),
    [SCN_K_ROOT_STAKERS] = BT_UINT("root.stakers", 0, 0, 100000, "0", "stakers",
                                   "Root stakers (each delegates to one validator)."),
    [SCN_K_ROOT_STAKE] = BT_AMT("root.stake", 0, 0, U64_MAX_, "1000", "TAO",
                                "Mean genesis root stake of a root staker."),
    [SCN_K_ROOT_STAKE_SPREAD] =
        BT_DBL("root.stake_spread", 0, 0.0, 3.0, "1", "", "Lognormal sigma of the root stakes."),
    [SCN_K_OWNERS] = BT_GROUP("owners", "Subnet owners (one per subnet, owner hotkey at uid 0)."),
    [SCN_K_OWNERS_SELL_FRACTION] =
        BT_DBL("owners.sell_fraction", 0, 0.0, 1.0, "0", "per day",
               "Fraction of its alpha stake an owner sells for TAO each day."),
    [SCN_K_OWNERS_TAO] =
        BT_AMT("owners.tao", 0, 0, U64_MAX_, "0", "TAO", "Genesis free TAO of each owner."),
    /* ---- model "bittensor": attack agents (agents/attacks, scenarios/ATTACKS.md) ---- */
    [SCN_K_ATTACKS] = BT_GROUP(
        "attacks", "Attack agents on one subnet: a cabal, a weight copier, a sybil operator and a "
                   "whale, each off unless switched on, each with its own active window "
                   "(blocks after genesis; a stop of 0 means never) and attack.<kind>.* metrics "
                   "(scenarios/ATTACKS.md). Stake shares are of the subnet's genesis validator "
                   "stake (validators' and owner's positions with their delegations): an attacker "
                   "with share s holds s / (1 - s) times that stake."),
    [SCN_K_ATTACKS_NETUID] = BT_UINT("attacks.netuid", 0, 1, 128, "1", "netuid",
                                     "The attacked subnet (at most network.subnets)."),
    [SCN_K_ATTACKS_CABAL] =
        BT_BOOL("attacks.cabal", 0, "false",
                "Cabal self-weighting: validators holding cabal_stake_share and miners of "
                "their own with low quality; while active the cabal's validators give "
                "cabal_own_weight of every row to their own miners and the rest to the honest "
                "miners in proportion to what they observe (outside the window they are honest)."),
    [SCN_K_ATTACKS_CABAL_STAKE_SHARE] =
        BT_DBL("attacks.cabal_stake_share", 0, 0.0, 0.99, "0.3", "",
               "The cabal's share of the subnet's genesis validator stake."),
    [SCN_K_ATTACKS_CABAL_VALIDATORS] =
        BT_UINT("attacks.cabal_validators", 0, 1, 64, "2", "validators",
                "Cabal validators (the stake is split evenly, the remainder to the first)."),
    [SCN_K_ATTACKS_CABAL_MINERS] = BT_UINT("attacks.cabal_miners", 0, 0, 256, "2", "miners",
                                           "Cabal miners, registered at genesis (re-registered "
                                           "by the cabal, paying the burn, when pruned)."),
    [SCN_K_ATTACKS_CABAL_QUALITY] =
        BT_DBL("attacks.cabal_quality", 0, 0.0, 1000.0, "0.05", "",
               "Latent quality of the cabal's miners (what honest validators observe)."),
    [SCN_K_ATTACKS_CABAL_OWN_WEIGHT] =
        BT_DBL("attacks.cabal_own_weight", 0, 0.0, 1.0, "1", "",
               "Share of a cabal validator's weights given to the cabal's miners while active "
               "(1: honest miners get nothing)."),
    [SCN_K_ATTACKS_CABAL_START] = BT_UINT("attacks.cabal_start", 0, 0, 10000000000ull, "0",
                                          "blocks after genesis", "First block of self-weighting."),
    [SCN_K_ATTACKS_CABAL_STOP] =
        BT_UINT("attacks.cabal_stop", 0, 0, 10000000000ull, "0", "blocks after genesis",
                "Block at which the cabal turns honest again (0: never; else after start)."),
    [SCN_K_ATTACKS_COPIER] =
        BT_BOOL("attacks.copier", 0, "false",
                "Weight copier: a validator that submits the public consensus (or the revealed "
                "weights of one validator) seen copier_lag blocks earlier instead of observing "
                "the miners; commit-reveal (subnet reveal_period) and liquid alpha are the "
                "defences."),
    [SCN_K_ATTACKS_COPIER_STAKE_SHARE] =
        BT_DBL("attacks.copier_stake_share", 0, 0.0, 0.99, "0.1", "",
               "The copier's share of the subnet's genesis validator stake."),
    [SCN_K_ATTACKS_COPIER_SOURCE] =
        BT_ENUM("attacks.copier_source", 0, copy_choices, "consensus",
                "\"consensus\": the consensus vector of the last epoch; \"validator\": the "
                "stored (revealed) weights row of validator copier_target."),
    [SCN_K_ATTACKS_COPIER_TARGET] =
        BT_UINT("attacks.copier_target", 0, 0, 100000, "0", "",
                "Source \"validator\": index of the copied validator among the subnet's "
                "genesis validators (global validator i on a subnet without snapshot)."),
    [SCN_K_ATTACKS_COPIER_LAG] =
        BT_UINT("attacks.copier_lag", 0, 0, 1000000000ull, "0", "blocks",
                "Age of what the copier submits: the newest view it recorded at least this many "
                "blocks before it sets weights."),
    [SCN_K_ATTACKS_COPIER_START] =
        BT_UINT("attacks.copier_start", 0, 0, 10000000000ull, "0", "blocks after genesis",
                "First block of copying (an honest validator before)."),
    [SCN_K_ATTACKS_COPIER_STOP] =
        BT_UINT("attacks.copier_stop", 0, 0, 10000000000ull, "0", "blocks after genesis",
                "Block at which the copier observes again (0: never)."),
    [SCN_K_ATTACKS_SYBIL] =
        BT_BOOL("attacks.sybil", 0, "false",
                "Sybil operator: k miner identities (mode \"miners\"), or its stake split "
                "across k validator identities (mode \"validators\")."),
    [SCN_K_ATTACKS_SYBIL_MODE] =
        BT_ENUM("attacks.sybil_mode", 0, sybil_choices, "miners",
                "\"miners\": at start every identity registers (paying the burn) and serves "
                "with sybil_quality; at stop they stop serving. \"validators\": identity 0 "
                "holds the stake from genesis; at start (at genesis when 0) the others register "
                "and the stake is split evenly; every identity submits the operator's one "
                "observation; at stop the stake returns to identity 0."),
    [SCN_K_ATTACKS_SYBIL_IDENTITIES] = BT_UINT("attacks.sybil_identities", 0, 1, 256, "4",
                                               "identities", "k, the identities of the operator."),
    [SCN_K_ATTACKS_SYBIL_QUALITY] =
        BT_DBL("attacks.sybil_quality", 0, 0.0, 1000.0, "0.3", "",
               "Mode \"miners\": latent quality of every identity (one model served k times)."),
    [SCN_K_ATTACKS_SYBIL_STAKE_SHARE] =
        BT_DBL("attacks.sybil_stake_share", 0, 0.0, 0.99, "0.1", "",
               "Mode \"validators\": the operator's share of the genesis validator stake."),
    [SCN_K_ATTACKS_SYBIL_TAO] = BT_AMT("attacks.sybil_tao", 0, 0, U64_MAX_, "10", "TAO",
                                       "Genesis free TAO of every identity (pays its burn)."),
    [SCN_K_ATTACKS_SYBIL_START] =
        BT_UINT("attacks.sybil_start", 0, 0, 10000000000ull, "0", "blocks after genesis",
                "Block of the registrations (miners) or of the split (validators)."),
    [SCN_K_ATTACKS_SYBIL_STOP] =
        BT_UINT("attacks.sybil_stop", 0, 0, 10000000000ull, "0", "blocks after genesis",
                "Block at which the identities stop serving or merge back (0: never)."),
    [SCN_K_ATTACKS_WHALE] =
        BT_BOOL("attacks.whale", 0, "false",
                "Whale entry: a large staker whose alpha sits on a hotkey of its own without "
                "a uid (invisible to the epoch) until whale_start, when it decides to delegate "
                "everything to one validator; the move lands whale_delay blocks later through "
                "the delegators' stake move."),
    [SCN_K_ATTACKS_WHALE_STAKE] = BT_AMT("attacks.whale_stake", 0, 1, U64_MAX_, "100000", "alpha",
                                         "The whale's alpha (genesis, idle)."),
    [SCN_K_ATTACKS_WHALE_TARGET] =
        BT_UINT("attacks.whale_target", 0, 0, 100000, "0", "",
                "Index of the validator it delegates to among the subnet's genesis validators."),
    [SCN_K_ATTACKS_WHALE_DELAY] =
        BT_UINT("attacks.whale_delay", 0, 0, 1000000000ull, "360", "blocks",
                "Blocks between the decision and the stake move."),
    [SCN_K_ATTACKS_WHALE_START] =
        BT_UINT("attacks.whale_start", 0, 0, 10000000000ull, "0", "blocks after genesis",
                "Block of the whale's decision to delegate."),
    [SCN_K_ATTACKS_WHALE_STOP] =
        BT_UINT("attacks.whale_stop", 0, 0, 10000000000ull, "0", "blocks after genesis",
                "Block of its decision to leave (its stake moves back to its idle hotkey "
                "whale_delay blocks later; 0: never)."),
    /* ---- model "collusion-toy" (agents/attacks/whitepaper_collusion.h) ---- */
    [SCN_K_COLLUSION] = ST_GROUP("collusion", CT,
                                 "The Bittensor whitepaper's collusion example: an honest side "
                                 "and a cabal whose stakes grow by their incentive each block."),
    [SCN_K_COLLUSION_CABAL_SHARE] =
        {.path = "collusion.cabal_share",
         .kind = SCN__DOUBLE,
         .flags = CT,
         .dmin = 0.0,
         .dmin_open = 1,
         .dmax = 0.999999,
         .def = "0.49",
         .unit = "",
         .doc = "Initial cabal share of the stake; the honest side holds the rest."},
    [SCN_K_COLLUSION_STEEPNESS] =
        ST_DBL("collusion.steepness", CT, 0.0, 1000.0, "10", "",
               "Trust of a side = sigmoid(steepness * (share - midpoint))."),
    [SCN_K_COLLUSION_MIDPOINT] = ST_DBL("collusion.midpoint", CT, 0.0, 1.0, "0.5", "",
                                        "Share at which a side's trust is 1/2."),
    [SCN_K_COLLUSION_GROWTH] =
        ST_DBL("collusion.growth", CT, 0.0, 100.0, "0.1", "per block",
               "Stake minted per block as a fraction of the total stake, split by incentive."),
    /* ---- model "retention" (agents/attacks/study_retention.h) ---- */
    [SCN_K_RETENTION] = ST_GROUP("retention", RT,
                                 "The consensus-guarantees Monte Carlo study of mechanisms.md "
                                 "section 6.3, run through the real Yuma epoch."),
    [SCN_K_RETENTION_NEURONS] = ST_UINT("retention.neurons", RT, 2, 4096, "512", "neurons",
                                        "N: validators plus servers (miners)."),
    [SCN_K_RETENTION_VALIDATORS] =
        ST_UINT("retention.validators", RT, 2, 4094, "64", "validators",
                "Validators among the neurons (uids 0..validators-1); at most neurons - 2."),
    [SCN_K_RETENTION_STAKE_SIGMA] =
        ST_DBL("retention.stake_sigma", RT, 0.0, 10.0, "0.3", "",
               "Validator stakes ~ N(1, stake_sigma^2), clamped at 0, normalised per side."),
    [SCN_K_RETENTION_STAKE_SHARES] =
        ST_LIST("retention.stake_shares", "0.51,0.55,0.6,0.65,0.7,0.75,0.8,0.85,0.9,0.95,0.99",
                "Honest stake shares S_H, comma-separated, each in (0, 1)."),
    [SCN_K_RETENTION_STEPS] =
        ST_UINT("retention.steps", RT, 1, 1000, "50", "",
                "W_H and W_C run over 0, 1/steps, ..., 1 (50: steps of 0.02)."),
    [SCN_K_RETENTION_KAPPA] =
        ST_LIST("retention.kappa", "0.4,0.5,0.6", "Kappa values, each in [0, 1]."),
    [SCN_K_RETENTION_BONDS_PENALTY] = ST_LIST("retention.bonds_penalty", "0,0.5,1",
                                              "Bonds penalty (beta) values, each in [0, 1]."),
    [SCN_K_RETENTION_XI] = ST_LIST("retention.xi", "0,0.25,0.5",
                                   "Validator emission ratios xi (E = xi D + (1 - xi) I), "
                                   "each in [0, 1]."),
    [SCN_K_RETENTION_WEIGHT_SIGMA] =
        ST_LIST("retention.weight_sigma", "0,0.2,0.4",
                "Weight noise sigma_W as a multiple of the mean weight, each in [0, 10]."),
    [SCN_K_RETENTION_DESIGN] = {.path = "retention.design",
                                .kind = SCN__ENUM,
                                .flags = RT,
                                .choices = design_choices,
                                .def = "oat",
                                .unit = "",
                                .doc = "\"oat\": the base setting, then each list varied alone "
                                       "around it (the study's sweeps); \"full\": every "
                                       "combination of the four lists."},
    [SCN_K_RETENTION_BASE_KAPPA] = ST_DBL("retention.base_kappa", RT, 0.0, 1.0, "0.5", "",
                                          "Kappa of the base setting (design \"oat\")."),
    [SCN_K_RETENTION_BASE_BONDS_PENALTY] =
        ST_DBL("retention.base_bonds_penalty", RT, 0.0, 1.0, "1", "",
               "Bonds penalty of the base setting (the chain default BondsPenalty 65535)."),
    [SCN_K_RETENTION_BASE_XI] = ST_DBL("retention.base_xi", RT, 0.0, 1.0, "0.5", "",
                                       "xi of the base setting (the study's 0.5)."),
    [SCN_K_RETENTION_BASE_WEIGHT_SIGMA] = ST_DBL("retention.base_weight_sigma", RT, 0.0, 10.0, "0",
                                                 "", "sigma_W of the base setting."),
    [SCN_K_RETENTION_SEARCH] = {.path = "retention.search",
                                .kind = SCN__ENUM,
                                .flags = RT,
                                .choices = search_choices,
                                .def = "bisect",
                                .unit = "",
                                .doc = "\"bisect\": bisection on the W_H grid per (S_H, W_C), "
                                       "valid because retention is monotone in W_H; \"scan\": "
                                       "every W_H (slow; checks the monotonicity)."},
    [SCN_K_RETENTION_YUMA3] = {.path = "retention.yuma3",
                               .kind = SCN__BOOL,
                               .flags = RT,
                               .def = "false",
                               .unit = "",
                               .doc = "Yuma3 bonds instead of the original Yuma of the study's "
                                      "time (both without EMA: one epoch, no prior bonds)."},
    /* ---- models "bitgrit" and "numerai" (agents/bitgrit, scenarios/BITGRIT.md) ---- */
    [SCN_K_SUPPLY] =
        ST_GROUP("supply", BG, "BGR supply: maximum, treasury mode, community vesting, price."),
    [SCN_K_SUPPLY_MAX_SUPPLY] = BG_AMT("supply.max_supply", BG, 1, "10000000000", "BGR",
                                       "Maximum supply (published: 10^10 BGR)."),
    [SCN_K_SUPPLY_TREASURY] = BG_ENUM(
        "supply.treasury", BG, bg_treasury_choices, "preminted",
        "\"preminted\": the treasury holds max_supply minus the genesis balances and releases are "
        "transfers (the live contract); \"minting\": releases are mints, capped at max_supply."),
    [SCN_K_SUPPLY_COMMUNITY_ALLOCATION] =
        BG_AMT("supply.community_allocation", BG, 0, "4000000000", "BGR",
               "Community emissions bucket: community mints and competition bonuses draw on it "
               "(published: 40 % of 10^10)."),
    [SCN_K_SUPPLY_VESTING_MONTHS] =
        ST_UINT("supply.vesting_months", BG, 1, 1200, "32", "months",
                "Linear vesting of the community bucket, no cliff (published: 32 months)."),
    [SCN_K_SUPPLY_MARKET_FLOAT] =
        BG_AMT("supply.market_float", BG, 0, "500000000", "BGR",
               "Genesis BGR of the market account employers buy their deposits from."),
    [SCN_K_SUPPLY_BGR_PRICE_USD] =
        ST_DBL("supply.bgr_price_usd", BG, 0.0, 1000000.0, "0.01", "USD",
               "Price at which scientists value BGR against USD prizes and costs."),
    [SCN_K_COMPETITIONS] =
        ST_GROUP("competitions", BG,
                 "Staked competitions: cadence, stake, prize, bonus, tiers (spec mechanisms 1.2)."),
    [SCN_K_COMPETITIONS_INTERVAL] = ST_UINT("competitions.interval", BG, 1, 3650, "7", "days",
                                            "Days between two announcements."),
    [SCN_K_COMPETITIONS_ENTRY_DAYS] =
        ST_UINT("competitions.entry_days", BG, 0, 3650, "3", "days",
                "Entry window: stakes are locked this many days after the announcement."),
    [SCN_K_COMPETITIONS_DURATION_DAYS] =
        ST_UINT("competitions.duration_days", BG, 1, 3650, "14", "days",
                "Announcement to deadline and settlement (>= entry_days)."),
    [SCN_K_COMPETITIONS_STAKE] =
        BG_AMT("competitions.stake", BG, 1, "1000", "BGR", "Median stake s_c per entrant."),
    [SCN_K_COMPETITIONS_STAKE_SPREAD] =
        ST_DBL("competitions.stake_spread", BG, 0.0, 3.0, "0", "",
               "Lognormal sigma of s_c across competitions (0: every competition uses stake)."),
    [SCN_K_COMPETITIONS_PRIZE_USD] =
        BG_AMT("competitions.prize_usd", BG, 0, "5000", "USD", "Median sponsor prize P_c."),
    [SCN_K_COMPETITIONS_PRIZE_SPREAD] = ST_DBL("competitions.prize_spread", BG, 0.0, 3.0, "0", "",
                                               "Lognormal sigma of P_c across competitions."),
    [SCN_K_COMPETITIONS_BONUS] = BG_AMT("competitions.bonus", BG, 0, "100000", "BGR",
                                        "BGR bonus B_c, released from the community budget (capped "
                                        "by what is vested and unissued)."),
    [SCN_K_COMPETITIONS_WINNERS] =
        ST_UINT("competitions.winners", BG, 1, 64, "3", "ranks", "W: tier T1 is ranks 1..W."),
    [SCN_K_COMPETITIONS_KEEP] =
        ST_DBL("competitions.keep", BG, 0.0, 1.0, "0.8", "",
               "q_keep: ranks up to floor(q_keep M) get their whole stake back (T2)."),
    [SCN_K_COMPETITIONS_FORFEIT_LOW] =
        ST_DBL("competitions.forfeit_low", BG, 0.0, 1.0, "0.25", "",
               "f_low: share of stake forfeited by low-ranked completed entries (T3)."),
    [SCN_K_COMPETITIONS_FORFEIT_INCOMPLETE] =
        ST_DBL("competitions.forfeit_incomplete", BG, 0.0, 1.0, "0.5", "",
               "f_inc: share forfeited by incomplete entries (T4)."),
    [SCN_K_COMPETITIONS_RESERVE_SHARE] =
        ST_DBL("competitions.reserve_share", BG, 0.0, 1.0, "0.5", "",
               "rho: share of the forfeit pool sent to the community reserve; the rest is burned."),
    [SCN_K_COMPETITIONS_PLATFORM_FEE] = ST_DBL("competitions.platform_fee", BG, 0.0, 1.0, "0.1", "",
                                               "phi: platform fee on the prize."),
    [SCN_K_COMPETITIONS_SPLIT] = BG_ENUM(
        "competitions.split", BG, bg_split_choices, "power",
        "\"power\": rank weights r^(-exponent_quarters/4); \"fixed\": the fixed_split list."),
    [SCN_K_COMPETITIONS_EXPONENT_QUARTERS] =
        ST_UINT("competitions.exponent_quarters", BG, 0, 8, "3", "quarters",
                "Power-law exponent in quarters (3: r^-0.75, Kaggle)."),
    [SCN_K_COMPETITIONS_FIXED_SPLIT] = {.path = "competitions.fixed_split",
                                        .kind = SCN__STRING,
                                        .flags = BG,
                                        .min = 1,
                                        .max = 400,
                                        .strcheck = SCN__STR_TEXT,
                                        .def = "60,30,10",
                                        .unit = "",
                                        .doc = "Split \"fixed\": positive integer weights of "
                                               "ranks 1..winners, comma-separated (exactly winners "
                                               "of them)."},
    [SCN_K_COMPETITIONS_SCORE_NOISE] = ST_DBL("competitions.score_noise", BG, 0.0, 100.0, "0.5", "",
                                              "Score = skill + effort_score effort + N(0, "
                                              "score_noise^2)."),
    [SCN_K_COMPETITIONS_SCORING_DAYS] =
        ST_UINT("competitions.scoring_days", BG, 0, 3650, "0", "days",
                "Submission deadline to scoring and settlement; stakes stay locked meanwhile."),
    [SCN_K_COMPETITIONS_BONUS_PROBABILITY] =
        ST_DBL("competitions.bonus_probability", BG, 0.0, 1.0, "1", "",
               "Chance that a competition carries the BGR bonus (\"in some instances\")."),
    [SCN_K_COMPETITIONS_SETTLEMENT] = BG_ENUM(
        "competitions.settlement", BG, bg_settle_choices, "tiers",
        "Stake settlement: \"tiers\" (spec 1.2 forfeits) or \"numerai\" (the Numerai rule, spec "
        "2.1: payout = stake clip(pf multiplier CORR), CORR from the rank; losses burned)."),
    [SCN_K_COMPETITIONS_NUMERAI_THRESHOLD] =
        BG_AMT("competitions.numerai_threshold", BG, 1, "50000", "BGR",
               "Settlement \"numerai\": threshold T of pf = min(1, T / completed stake)."),
    [SCN_K_COMPETITIONS_NUMERAI_SCALE] =
        ST_DBL("competitions.numerai_scale", BG, 0.0, 1.0, "0.1", "",
               "Settlement \"numerai\": CORR = scale (2 percentile - 1), percentile = 1 - (rank "
               "- 1/2) / M."),
    [SCN_K_COMPETITIONS_NUMERAI_MULTIPLIER] =
        ST_DBL("competitions.numerai_multiplier", BG, 0.0, 1000.0, "1", "",
               "Settlement \"numerai\": CORR multiplier (resolution 1e-6)."),
    [SCN_K_COMPETITIONS_NUMERAI_CLIP] =
        ST_DBL("competitions.numerai_clip", BG, 0.0, 1.0, "0.25", "",
               "Settlement \"numerai\": payout cap, both signs, as a share of the stake."),
    [SCN_K_SCIENTISTS] =
        ST_GROUP("scientists", BG, "Data scientists: wallets, skill, completion, cost, beliefs."),
    [SCN_K_SCIENTISTS_COUNT] = ST_UINT("scientists.count", BG, 1, 100000, "200", "scientists",
                                       "Number of data scientists."),
    [SCN_K_SCIENTISTS_BALANCE] =
        BG_AMT("scientists.balance", BG, 0, "20000", "BGR", "Median genesis wallet."),
    [SCN_K_SCIENTISTS_BALANCE_SPREAD] = ST_DBL("scientists.balance_spread", BG, 0.0, 3.0, "0.5", "",
                                               "Lognormal sigma of the genesis wallets."),
    [SCN_K_SCIENTISTS_SKILL_SD] =
        ST_DBL("scientists.skill_sd", BG, 0.0, 100.0, "1", "", "Skill ~ N(0, skill_sd^2)."),
    [SCN_K_SCIENTISTS_COMPLETE_MIN] = ST_DBL("scientists.complete_min", BG, 0.0, 1.0, "0.6", "",
                                             "p_complete ~ U(complete_min, complete_max)."),
    [SCN_K_SCIENTISTS_COMPLETE_MAX] = ST_DBL("scientists.complete_max", BG, 0.0, 1.0, "0.95", "",
                                             "Upper end of p_complete (>= complete_min)."),
    [SCN_K_SCIENTISTS_COST_USD] = ST_DBL("scientists.cost_usd", BG, 0.0, 1000000000.0, "20", "USD",
                                         "Median cost of entering one competition."),
    [SCN_K_SCIENTISTS_COST_SPREAD] =
        ST_DBL("scientists.cost_spread", BG, 0.0, 3.0, "0.5", "", "Lognormal sigma of the cost."),
    [SCN_K_SCIENTISTS_BELIEF_NOISE] =
        ST_DBL("scientists.belief_noise", BG, 0.0, 1.0, "0.15", "",
               "Initial belief of the skill percentile = true percentile + N(0, belief_noise^2)."),
    [SCN_K_SCIENTISTS_LEARNING_RATE] =
        ST_DBL("scientists.learning_rate", BG, 0.0, 1.0, "0.3", "",
               "EMA rate at which the belief moves to the realised percentile."),
    [SCN_K_SCIENTISTS_EFFORT_MIN] =
        ST_DBL("scientists.effort_min", BG, 0.0, 1.0, "0", "",
               "Latent effort e ~ U(effort_min, effort_max); p_complete = complete_min + "
               "(complete_max - complete_min) e."),
    [SCN_K_SCIENTISTS_EFFORT_MAX] = ST_DBL("scientists.effort_max", BG, 0.0, 1.0, "1", "",
                                           "Upper end of the latent effort (>= effort_min)."),
    [SCN_K_SCIENTISTS_EFFORT_SCORE] =
        ST_DBL("scientists.effort_score", BG, 0.0, 100.0, "0.5", "",
               "Score points per unit of effort (score = skill + effort_score e + noise)."),
    [SCN_K_JOBS] =
        ST_GROUP("jobs", BG, "Job board: employer deposits, hires (burn) and withdrawals."),
    [SCN_K_JOBS_ARRIVAL_RATE] = ST_DBL("jobs.arrival_rate", BG, 0.0, 1000.0, "0.1",
                                       "employers per day", "Poisson arrival rate of employers."),
    [SCN_K_JOBS_DEPOSIT_STAKES] =
        ST_DBL("jobs.deposit_stakes", BG, 0.0, 1000000.0, "10", "",
               "d_job in multiples of competitions.stake (the median stake)."),
    [SCN_K_JOBS_HIRE_RATE] =
        ST_DBL("jobs.hire_rate", BG, 0.0, 1.0, "0.03", "per day",
               "Daily hire probability times the share of scientists with a T1/T2 finish."),
    [SCN_K_JOBS_LOCK_DAYS] =
        ST_UINT("jobs.lock_days", BG, 1, 3650, "90", "days",
                "T_lock: an employer without a hire withdraws after this many days."),
    [SCN_K_JOBS_RETAIN] = ST_DBL("jobs.retain", BG, 0.0, 1.0, "0", "",
                                 "lambda: share of a withdrawn deposit retained to the reserve."),
    [SCN_K_COMMUNITY] = ST_GROUP(
        "community", BG, "Community minting: action types, rates, the throttle, a Sybil farmer."),
    [SCN_K_COMMUNITY_MEMBERS] =
        ST_UINT("community.members", BG, 0, 100000, "100", "members", "Community members."),
    [SCN_K_COMMUNITY_REWARD_UPLOAD] = BG_AMT("community.reward_upload", BG, 0, "500", "BGR",
                                             "Nominal reward of one accepted upload action."),
    [SCN_K_COMMUNITY_REWARD_REVIEW] = BG_AMT("community.reward_review", BG, 0, "50", "BGR",
                                             "Nominal reward of one accepted review action."),
    [SCN_K_COMMUNITY_REWARD_SCORING] = BG_AMT("community.reward_scoring", BG, 0, "20", "BGR",
                                              "Nominal reward of one accepted scoring action."),
    [SCN_K_COMMUNITY_REWARD_DATASET] = BG_AMT("community.reward_dataset", BG, 0, "2000", "BGR",
                                              "Nominal reward of one accepted dataset action."),
    [SCN_K_COMMUNITY_REWARD_PLAGIARISM] =
        BG_AMT("community.reward_plagiarism", BG, 0, "300", "BGR",
               "Nominal reward of one accepted plagiarism action."),
    [SCN_K_COMMUNITY_REWARD_ARTICLE] = BG_AMT("community.reward_article", BG, 0, "1000", "BGR",
                                              "Nominal reward of one accepted article action."),
    [SCN_K_COMMUNITY_REWARD_EDUCATION] = BG_AMT("community.reward_education", BG, 0, "1500", "BGR",
                                                "Nominal reward of one accepted education action."),
    [SCN_K_COMMUNITY_RATE_UPLOAD] =
        ST_DBL("community.rate_upload", BG, 0.0, 10000.0, "0.5", "per month",
               "Poisson rate of upload actions per member."),
    [SCN_K_COMMUNITY_RATE_REVIEW] =
        ST_DBL("community.rate_review", BG, 0.0, 10000.0, "3", "per month",
               "Poisson rate of review actions per member."),
    [SCN_K_COMMUNITY_RATE_SCORING] =
        ST_DBL("community.rate_scoring", BG, 0.0, 10000.0, "5", "per month",
               "Poisson rate of scoring actions per member."),
    [SCN_K_COMMUNITY_RATE_DATASET] =
        ST_DBL("community.rate_dataset", BG, 0.0, 10000.0, "0.1", "per month",
               "Poisson rate of dataset actions per member."),
    [SCN_K_COMMUNITY_RATE_PLAGIARISM] =
        ST_DBL("community.rate_plagiarism", BG, 0.0, 10000.0, "0.05", "per month",
               "Poisson rate of plagiarism actions per member."),
    [SCN_K_COMMUNITY_RATE_ARTICLE] =
        ST_DBL("community.rate_article", BG, 0.0, 10000.0, "0.2", "per month",
               "Poisson rate of article actions per member."),
    [SCN_K_COMMUNITY_RATE_EDUCATION] =
        ST_DBL("community.rate_education", BG, 0.0, 10000.0, "0.1", "per month",
               "Poisson rate of education actions per member."),
    [SCN_K_COMMUNITY_FARM_IDENTITIES] =
        ST_UINT("community.farm_identities", BG, 0, 100000, "0", "identities",
                "k identities of one Sybil farmer (0: none)."),
    [SCN_K_COMMUNITY_FARM_RATE] = ST_DBL("community.farm_rate", BG, 0.0, 100000.0, "20",
                                         "per month", "Review actions per farm identity."),
    [SCN_K_COMMUNITY_FARM_ACCEPT] =
        ST_DBL("community.farm_accept", BG, 0.0, 1.0, "0.1", "",
               "Probability that an action of identities 2..k passes review (1: no gating)."),
    [SCN_K_COMMUNITY_FARM_START] =
        ST_UINT("community.farm_start", BG, 0, 10000000000ull, "0", "days",
                "First day of the farmer's window: before it the identities do nothing."),
    [SCN_K_COMMUNITY_FARM_STOP] =
        ST_UINT("community.farm_stop", BG, 0, 10000000000ull, "0", "days",
                "First day after the window (0: never): from it the identities do nothing."),
    [SCN_K_COMMUNITY_FARM_COST_PER_IDENTITY] =
        BG_AMT("community.farm_cost_per_identity", BG, 0, "0", "BGR per month",
               "Off-ledger cost of running one farm identity, counted per day of the window."),
    [SCN_K_NUMERAI] = ST_GROUP(
        "numerai", NM, "Numerai rounds: stakes, scores, payout rule (spec mechanisms 2.1, 2.7)."),
    [SCN_K_NUMERAI_MODELS] =
        ST_UINT("numerai.models", NM, 1, 100000, "500", "models", "Staked models."),
    [SCN_K_NUMERAI_INTERVAL] =
        ST_UINT("numerai.interval", NM, 1, 3650, "7", "days", "Days between two round closes."),
    [SCN_K_NUMERAI_RESOLVE_DAYS] =
        ST_UINT("numerai.resolve_days", NM, 1, 3650, "28", "days", "Close to resolution (payout)."),
    [SCN_K_NUMERAI_THRESHOLD] = BG_AMT("numerai.threshold", NM, 1, "72000", "NMR",
                                       "Stake threshold T of the payout factor (Classic: 72,000)."),
    [SCN_K_NUMERAI_CORR_MULTIPLIER] = ST_DBL("numerai.corr_multiplier", NM, 0.0, 1000.0, "0.5", "",
                                             "CORR multiplier (resolution 1e-6)."),
    [SCN_K_NUMERAI_MMC_MULTIPLIER] = ST_DBL("numerai.mmc_multiplier", NM, 0.0, 1000.0, "2", "",
                                            "MMC multiplier (resolution 1e-6)."),
    [SCN_K_NUMERAI_CLIP] = ST_DBL("numerai.clip", NM, 0.0, 1.0, "0.05", "",
                                  "Payout cap per round, both signs, as a share of stake."),
    [SCN_K_NUMERAI_STAKE] =
        BG_AMT("numerai.stake", NM, 1, "1000", "NMR", "Median genesis stake per model."),
    [SCN_K_NUMERAI_STAKE_SPREAD] = ST_DBL("numerai.stake_spread", NM, 0.0, 5.0, "1.5", "",
                                          "Lognormal sigma of the genesis stakes."),
    [SCN_K_NUMERAI_STAKE_SKILL] = ST_DBL("numerai.stake_skill", NM, -1.0, 1.0, "0", "",
                                         "Correlation of log stake with skill at genesis."),
    [SCN_K_NUMERAI_MU_MEAN] =
        ST_DBL("numerai.mu_mean", NM, -1.0, 1.0, "0.005", "", "Mean latent skill mu."),
    [SCN_K_NUMERAI_MU_SD] =
        ST_DBL("numerai.mu_sd", NM, 0.0, 1.0, "0.01", "", "Sigma of the latent skill."),
    [SCN_K_NUMERAI_CORR_SD] =
        ST_DBL("numerai.corr_sd", NM, 0.0, 1.0, "0.02", "", "corr ~ N(mu + era, corr_sd^2)."),
    [SCN_K_NUMERAI_MMC_SD] =
        ST_DBL("numerai.mmc_sd", NM, 0.0, 1.0, "0.01", "", "mmc ~ N(o mu mmc_k, mmc_sd^2)."),
    [SCN_K_NUMERAI_ERA_SD] =
        ST_DBL("numerai.era_sd", NM, 0.0, 1.0, "0.01", "",
               "Sigma of the common era factor added to every corr of a round."),
    [SCN_K_NUMERAI_MMC_K] = ST_DBL("numerai.mmc_k", NM, 0.0, 100.0, "1", "",
                                   "k of the MMC mean o mu k (o ~ U(0, 1) per model)."),
    [SCN_K_NUMERAI_VALID] =
        ST_DBL("numerai.valid", NM, 0.0, 1.0, "0.95", "",
               "Probability of a valid on-time submission per model and round."),
    [SCN_K_NUMERAI_COMPOUND] = {.path = "numerai.compound",
                                .kind = SCN__BOOL,
                                .flags = NM,
                                .def = "true",
                                .unit = "",
                                .doc = "Payouts are added to the stake (else to a wallet)."},
    [SCN_K_NUMERAI_TREASURY] = BG_AMT("numerai.treasury", NM, 0, "1000000", "NMR",
                                      "Treasury that pays positive payouts (runway)."),
    [SCN_K_NUMERAI_BURN_MODE] = BG_ENUM(
        "numerai.burn_mode", NM, nm_burn_choices, "destroy",
        "\"destroy\": negative payouts are burned; \"treasury\": they return to the treasury."),
    [SCN_K_NUMERAI_SYBIL_K] =
        ST_UINT("numerai.sybil_k", NM, 1, 1000, "4", "models",
                "Sybil gain: the largest stake split over this many identical models, each round."),
    [SCN_K_NUMERAI_STAKING] = BG_ENUM(
        "numerai.staking", NM, nm_staking_choices, "v2",
        "\"v2\": continuous staking, the whole stake at risk in every open round (spec 2.1); "
        "\"v3\": atomic staking, each round locks its own share of the free stake (spec 2.2)."),
    [SCN_K_NUMERAI_ROUND_SHARE] = ST_DBL(
        "numerai.round_share", NM, 0.0, 1.0, "0.2", "",
        "Staking \"v3\": share of the model's free stake locked in each round at its close."),
    /* ---- model "aigen" (agents/aigen, scenarios/AIGEN.md); one tick is one epoch ---- */
    [SCN_K_AIGEN] = ST_GROUP("aigen", AG,
                             "AiGen platform: consumers, controllers, validators, fee split and "
                             "scoring (spec mechanisms 3)."),
    [SCN_K_AIGEN_CONTROLLERS] = ST_UINT("aigen.controllers", AG, 1, 10000, "50", "controllers",
                                        "Controllers, one developer each."),
    [SCN_K_AIGEN_MODELS] =
        ST_UINT("aigen.models", AG, 1, 1000, "5", "models",
                "AI models behind the controllers (controller c uses model c mod models)."),
    [SCN_K_AIGEN_CONSUMERS] = ST_UINT("aigen.consumers", AG, 1, 1000000, "500", "consumers",
                                      "Consumers, one wallet each."),
    [SCN_K_AIGEN_PRICE] =
        BG_AMT("aigen.price", AG, 1, "0.01", "tokens per call", "Median price p_m of one call."),
    [SCN_K_AIGEN_BASE_FEE] = BG_AMT(
        "aigen.base_fee", AG, 0, "0.001", "tokens per call",
        "EIP-1559 base fee per call at the start (with aigen.call_target): paid on top of the "
        "model's price and burned; it moves by up to 1/8 a epoch toward the target."),
    [SCN_K_AIGEN_CALL_TARGET] = ST_UINT(
        "aigen.call_target", AG, 0, UINT64_C(1000000000000), "0", "calls per epoch",
        "Usage target of the EIP-1559 base fee (spec mechanisms 5.2): above it the base fee "
        "rises, below it falls; 0: no base fee."),
    [SCN_K_AIGEN_PRICE_SPREAD] = ST_DBL("aigen.price_spread", AG, 0.0, 3.0, "0.3", "",
                                        "Lognormal sigma of the model prices around aigen.price."),
    [SCN_K_AIGEN_CALLS] = ST_DBL("aigen.calls", AG, 0.0, 1000000.0, "20", "calls per epoch",
                                 "Mean calls of one consumer per epoch when the average price "
                                 "equals aigen.price (Poisson)."),
    [SCN_K_AIGEN_ELASTICITY] = ST_DBL("aigen.elasticity", AG, 0.0, 10.0, "0.5", "",
                                      "Price elasticity of total demand: calls scale by (average "
                                      "price / aigen.price)^-elasticity."),
    [SCN_K_AIGEN_QUALITY_WEIGHT] =
        ST_DBL("aigen.quality_weight", AG, 0.0, 100.0, "5", "",
               "Logit weight of perceived quality in the choice of controller."),
    [SCN_K_AIGEN_PRICE_WEIGHT] = ST_DBL("aigen.price_weight", AG, 0.0, 100.0, "1", "",
                                        "Logit weight of log(price / aigen.price) (subtracted)."),
    [SCN_K_AIGEN_SCORE_WEIGHT] = ST_DBL("aigen.score_weight", AG, 0.0, 1.0, "0.7", "",
                                        "Perceived quality = score_weight * published score + (1 - "
                                        "score_weight) * true quality (experience)."),
    [SCN_K_AIGEN_WALLET] = BG_AMT("aigen.wallet", AG, 0, "1000", "tokens",
                                  "Genesis wallet of each consumer; calls stop when it is empty."),
    [SCN_K_AIGEN_QUALITY_A] = ST_DBL("aigen.quality_a", AG, 0.01, 100.0, "2", "",
                                     "Latent controller quality ~ Beta(quality_a, quality_b)."),
    [SCN_K_AIGEN_QUALITY_B] = ST_DBL("aigen.quality_b", AG, 0.01, 100.0, "2", "",
                                     "Second Beta parameter of the latent quality."),
    [SCN_K_AIGEN_INVEST_STEP] = ST_DBL("aigen.invest_step", AG, 0.0, 1.0, "0.02", "",
                                       "Quality one investment buys (0: developers never invest)."),
    [SCN_K_AIGEN_INVEST_COST] =
        BG_AMT("aigen.invest_cost", AG, 0, "5", "tokens",
               "Cost of one quality step, paid to the platform account (compute)."),
    [SCN_K_AIGEN_INVEST_HORIZON] =
        ST_UINT("aigen.invest_horizon", AG, 1, 100000, "30", "epochs",
                "Epochs over which a developer counts the revenue gain of a step."),
    [SCN_K_AIGEN_DECAY] = ST_DBL("aigen.decay", AG, 0.0, 1.0, "0.002", "per epoch",
                                 "Quality lost per epoch (the frontier moves on)."),
    [SCN_K_AIGEN_K_PLAT] = ST_DBL("aigen.k_plat", AG, 0.0, 1.0, "0.5", "",
                                  "kappa_plat: share of spend to model providers (resolution 1e-9; "
                                  "the four shares sum to 1)."),
    [SCN_K_AIGEN_K_DEV] =
        ST_DBL("aigen.k_dev", AG, 0.0, 1.0, "0.35", "", "kappa_dev: developer pool share."),
    [SCN_K_AIGEN_K_VAL] =
        ST_DBL("aigen.k_val", AG, 0.0, 1.0, "0.1", "", "kappa_val: validator pool share."),
    [SCN_K_AIGEN_K_BURN] =
        ST_DBL("aigen.k_burn", AG, 0.0, 1.0, "0.05", "", "kappa_burn: share burned."),
    [SCN_K_AIGEN_KAPPA] =
        {.path = "aigen.kappa",
         .kind = SCN__DOUBLE,
         .flags = AG,
         .dmin = 0.0,
         .dmax = 1.0,
         .dmin_open = 1,
         .def = "0.5",
         .unit = "",
         .doc = "kappa_q: stake quorum of the controller score's stake-weighted median."},
    [SCN_K_AIGEN_MODE] = BG_ENUM("aigen.mode", AG, ag_mode_choices, "absolute",
                                 "Developer revenue: \"absolute\" R_c = dev_c S_c (unearned rest "
                                 "burned or kept), \"relative\" the pool split by S_c T_c."),
    [SCN_K_AIGEN_UNEARNED] = BG_ENUM(
        "aigen.unearned", AG, ag_unearned_choices, "burn",
        "Where unearned developer and validator pool units go: burned or the treasury account."),
    [SCN_K_AIGEN_GAMMA] = ST_UINT("aigen.gamma", AG, 0, 8, "2", "",
                                  "Accuracy exponent of the validator reward sigma a^gamma."),
    [SCN_K_AIGEN_SLASHING] = {.path = "aigen.slashing",
                              .kind = SCN__BOOL,
                              .flags = AG,
                              .def = "false",
                              .unit = "",
                              .doc = "Coherence slashing: error above epsilon forfeits slash of "
                                     "the stake to the coherent validators."},
    [SCN_K_AIGEN_EPSILON] = ST_DBL("aigen.epsilon", AG, 0.0, 1.0, "0.2", "",
                                   "Error above which a validator is slashed."),
    [SCN_K_AIGEN_SLASH] = ST_DBL("aigen.slash", AG, 0.0, 1.0, "0.01", "per epoch",
                                 "alpha_slash: share of stake forfeited per incoherent epoch."),
    [SCN_K_AIGEN_SLASH_CORRELATION] = ST_UINT(
        "aigen.slash_correlation", AG, 0, 64,
        "0", "",
        "Proportional slashing multiplier m (Ethereum's is 3): an incoherent validator also "
        "forfeits sigma min(m B, S) / S, B the stake slashed that epoch, S all stake; 0 off."),
    [SCN_K_AIGEN_AUDIT] =
        ST_DBL("aigen.audit", AG, 0.0, 1.0, "0", "",
               "p_audit: probability that a controller is audited in an epoch (validators then "
               "scored against its true quality; spec default when used: 0.05)."),
    [SCN_K_AIGEN_REVEAL_DELAY] = ST_UINT("aigen.reveal_delay", AG, 0, 64, "1", "epochs",
                                         "Commit-reveal delay: copiers see the consensus of this "
                                         "many epochs ago (0: this epoch's)."),
    [SCN_K_AIGEN_HONEST] = ST_UINT("aigen.honest", AG, 0, 10000, "16", "validators",
                                   "Honest validators: score = quality + N(0, noise^2)."),
    [SCN_K_AIGEN_LAZY] = ST_UINT("aigen.lazy", AG, 0, 10000, "2", "validators",
                                 "Lazy validators: the constant lazy_score."),
    [SCN_K_AIGEN_COPIERS] = ST_UINT("aigen.copiers", AG, 0, 10000, "2", "validators",
                                    "Copiers: the published consensus of reveal_delay epochs ago."),
    [SCN_K_AIGEN_COALITION] = ST_UINT("aigen.coalition", AG, 0, 10000, "0", "validators",
                                      "Colluding validators: 1 for the coalition's controllers, "
                                      "honest score times (1 - coalition_deflate) for the others."),
    [SCN_K_AIGEN_STAKE] =
        BG_AMT("aigen.stake", AG, 1, "10000", "tokens", "Median validator stake."),
    [SCN_K_AIGEN_STAKE_SPREAD] = ST_DBL("aigen.stake_spread", AG, 0.0, 3.0, "0.5", "",
                                        "Lognormal sigma of validator stakes."),
    [SCN_K_AIGEN_NOISE] = ST_DBL("aigen.noise", AG, 0.0, 1.0, "0.1", "",
                                 "Sigma of an honest validator's score noise."),
    [SCN_K_AIGEN_LAZY_SCORE] = ST_DBL("aigen.lazy_score", AG, 0.0, 1.0, "0.5", "",
                                      "Score a lazy validator gives every controller."),
    [SCN_K_AIGEN_COALITION_SHARE] = ST_DBL(
        "aigen.coalition_share", AG, 0.0, 0.99, "0", "",
        "Coalition share of total validator stake (0: its stakes are drawn like the others')."),
    [SCN_K_AIGEN_COALITION_CONTROLLERS] =
        ST_UINT("aigen.coalition_controllers", AG, 0, 10000, "5", "controllers",
                "Controllers owned by the coalition (the first ones)."),
    [SCN_K_AIGEN_COALITION_DEFLATE] =
        ST_DBL("aigen.coalition_deflate", AG, 0.0, 1.0, "0.5", "",
               "Share taken off the coalition's honest score of every other controller."),
    [SCN_K_AIGEN_COMPOUND] = {.path = "aigen.compound",
                              .kind = SCN__BOOL,
                              .flags = AG,
                              .def = "false",
                              .unit = "",
                              .doc =
                                  "Validator rewards are added to the stake (else to a wallet)."},
    [SCN_K_AIGEN_COALITION_START] =
        ST_UINT("aigen.coalition_start", AG, 0, 10000000000ull, "0", "epochs",
                "First epoch in which the coalition colludes (0 or 1: from the first epoch); "
                "outside its window a coalition validator scores like an honest one."),
    [SCN_K_AIGEN_COALITION_STOP] =
        ST_UINT("aigen.coalition_stop", AG, 0, 10000000000ull, "0", "epochs",
                "Epoch from which the coalition scores honestly again (0: never; else after "
                "coalition_start)."),
    [SCN_K_AIGEN_COPIER_START] =
        ST_UINT("aigen.copier_start", AG, 0, 10000000000ull, "0", "epochs",
                "First epoch in which the copiers copy (0 or 1: from the first epoch); outside "
                "their window they score like honest validators."),
    [SCN_K_AIGEN_COPIER_STOP] =
        ST_UINT("aigen.copier_stop", AG, 0, 10000000000ull, "0", "epochs",
                "Epoch from which the copiers score honestly again (0: never; else after "
                "copier_start)."),
    [SCN_K_AIGEN_SYBIL_K] =
        ST_UINT("aigen.sybil_k", AG, 1, 1000, "4", "validators",
                "Sybil gain: each epoch settled again with the largest honest stake split over "
                "this many identities (1: not measured)."),
    /* ---- model "cflow" (agents/cflow, scenarios/CFLOW.md); one tick is one day ---- */
    [SCN_K_CFLOW] = ST_GROUP(
        "cflow", CF,
        "Bitmodel C-Flow royalty graph: growth, revenue, splits, attacks (spec mechanisms 4)."),
    [SCN_K_CFLOW_MODE] = BG_ENUM("cflow.mode", CF, cf_mode_choices, "relative",
                                 "\"relative\" (LRP: royalties re-split upward) or \"absolute\" "
                                 "(LAP: fixed shares of every descendant)."),
    [SCN_K_CFLOW_MAX_PARENTS] =
        ST_UINT("cflow.max_parents", CF, 1, 64, "8", "parents", "Parents per node."),
    [SCN_K_CFLOW_MAX_ANCESTORS] =
        ST_UINT("cflow.max_ancestors", CF, 1, 100000000, "1024", "ancestors",
                "Distinct ancestors per node (Story: 1024)."),
    [SCN_K_CFLOW_GRAPH_FILE] =
        {.path = "cflow.graph_file",
         .kind = SCN__STRING,
         .flags = CF,
         .min = 0,
         .max = 4096,
         .strcheck = SCN__STR_PATH,
         .def = "",
         .unit = "",
         .doc = "Seed graph file (relative to the scenario's directory and below it: a file may "
                "not give an absolute path or '..', --set may; \"\": none): lines `node "
                "NAME TYPE [MEMBERS]` and `link CHILD PARENT RATE%`."},
    [SCN_K_CFLOW_FOUNDATIONS] =
        ST_UINT("cflow.foundations", CF, 0, 100000, "3", "nodes",
                "Generated foundation models at genesis (after the seed graph)."),
    [SCN_K_CFLOW_DATASETS] =
        ST_UINT("cflow.datasets", CF, 0, 100000, "10", "nodes", "Generated datasets at genesis."),
    [SCN_K_CFLOW_CONTRIBUTORS] = ST_UINT("cflow.contributors", CF, 0, 100000, "20", "nodes",
                                         "Generated contributor nodes at genesis."),
    [SCN_K_CFLOW_FOUNDATION_RATE] =
        ST_DBL("cflow.foundation_rate", CF, 0.0, 1.0, "0.05", "",
               "Median rate of an edge to a foundation model (resolution 1e-8)."),
    [SCN_K_CFLOW_FINETUNE_RATE] = ST_DBL("cflow.finetune_rate", CF, 0.0, 1.0, "0.1", "",
                                         "Median rate of an edge to a fine-tune."),
    [SCN_K_CFLOW_DATASET_RATE] = ST_DBL("cflow.dataset_rate", CF, 0.0, 1.0, "0.02", "",
                                        "Median rate of an edge to a dataset."),
    [SCN_K_CFLOW_CONTRIBUTOR_RATE] = ST_DBL("cflow.contributor_rate", CF, 0.0, 1.0, "0.01", "",
                                            "Median rate of an edge to a contributor node."),
    [SCN_K_CFLOW_RATE_SPREAD] = ST_DBL("cflow.rate_spread", CF, 0.0, 3.0, "0.3", "",
                                       "Lognormal sigma of drawn rates (capped at 100 %)."),
    [SCN_K_CFLOW_FINETUNES_PER_DAY] = ST_DBL("cflow.finetunes_per_day", CF, 0.0, 10000.0, "0.5",
                                             "per day", "Poisson arrivals of fine-tunes."),
    [SCN_K_CFLOW_APPS_PER_DAY] = ST_DBL("cflow.apps_per_day", CF, 0.0, 10000.0, "1", "per day",
                                        "Poisson arrivals of applications."),
    [SCN_K_CFLOW_EXTRA_PARENTS] = ST_DBL("cflow.extra_parents", CF, 0.0, 0.99, "0.3", "",
                                         "Probability of each further model parent (geometric)."),
    [SCN_K_CFLOW_DATASET_LINK] = ST_DBL("cflow.dataset_link", CF, 0.0, 1.0, "0.5", "",
                                        "Probability that a new node also links a dataset."),
    [SCN_K_CFLOW_CONTRIBUTOR_LINK] =
        ST_DBL("cflow.contributor_link", CF, 0.0, 1.0, "0.3", "",
               "Probability that a new node also links a contributor node."),
    [SCN_K_CFLOW_EVENTS_PER_DAY] =
        ST_DBL("cflow.events_per_day", CF, 0.0, 1000000.0, "50", "per day",
               "Poisson revenue events; each goes to an application chosen by its appeal."),
    [SCN_K_CFLOW_REVENUE] =
        BG_AMT("cflow.revenue", CF, 1, "10", "tokens", "Median amount of one revenue event."),
    [SCN_K_CFLOW_REVENUE_SPREAD] =
        ST_DBL("cflow.revenue_spread", CF, 0.0, 3.0, "1", "", "Lognormal sigma of event amounts."),
    [SCN_K_CFLOW_MEMBERS_MAX] =
        ST_UINT("cflow.members_max", CF, 1, 64, "4", "contributors",
                "Contributors inside a generated node: uniform on 1..members_max."),
    [SCN_K_CFLOW_FOUNDATION_MEMBERS] =
        ST_UINT("cflow.foundation_members", CF, 1, 64, "20", "contributors",
                "Contributors inside a generated foundation model."),
    [SCN_K_CFLOW_SPLIT] =
        BG_ENUM("cflow.split", CF, cf_split_choices, "weights",
                "Split inside a node: fixed weights (Drips cumulative) or Shapley values of v(S)."),
    [SCN_K_CFLOW_SHAPLEY_EXPONENT] =
        ST_DBL("cflow.shapley_exponent", CF, 0.25, 4.0, "3", "",
               "Utility v(S) = 2^30 (w(S)/w(N))^exponent. Exponents 1 and 2 give Shapley "
               "values proportional to the weights (up to flooring); others move the shares "
               "toward equal (weights 1,1,2: 0.266/0.266/0.469 at 3, 0.272/0.272/0.455 at 0.5)."),
    [SCN_K_CFLOW_SHAPLEY_PERMUTATIONS] =
        ST_UINT("cflow.shapley_permutations", CF, 1, 1000000, "2000", "",
                "K seeded permutations for nodes with more than 16 contributors."),
    [SCN_K_CFLOW_DILUTION_DAY] = ST_UINT(
        "cflow.dilution_day", CF, 0, 100000000, "0", "day",
        "Day the attacker re-publishes the top application behind a shell node (0: never)."),
    [SCN_K_CFLOW_SHELL_RATE] = ST_DBL("cflow.shell_rate", CF, 0.0, 1.0, "0.1", "",
                                      "Rate of the shell node's edge to the application's parent."),
    [SCN_K_CFLOW_FORK_DAY] = ST_UINT("cflow.fork_day", CF, 0, 100000000, "0", "day",
                                     "Day the attacker re-publishes a clone of the top application "
                                     "without upstream links (0: never)."),
    [SCN_K_CFLOW_FORK_CAPTURE] =
        ST_DBL("cflow.fork_capture", CF, 0.0, 1.0, "0.5", "",
               "Share of the original application's revenue events the clone takes."),
    [SCN_K_CFLOW_FORK_PROB] =
        ST_DBL("cflow.fork_prob", CF, 0.0, 1.0, "0", "",
               "Probability that an arriving fine-tune forks a model (copies its parent links at "
               "the same rates, no link to the model) instead of building on it."),
};

int scn__key_find(const char *path)
{
    for (int k = 0; k < SCN_K__COUNT; k++)
        if (strcmp(scn__keys[k].path, path) == 0)
            return k;
    return -1;
}

static const char *last_component(const char *path)
{
    const char *dot = strrchr(path, '.');
    return dot ? dot + 1 : path;
}

int scn__key_suggest(const char *path)
{
    int best = -1;
    size_t best_d = 3;
    for (int k = 0; k < SCN_K__COUNT; k++) {
        size_t d = scn__edit_distance(path, scn__keys[k].path, 2);
        if (d < best_d) /* strict: ties keep the first key in table order */
            best = k, best_d = d;
    }
    if (best >= 0)
        return best;
    /* "blocks = ..." at the top level most likely meant "time.blocks". */
    for (int k = 0; k < SCN_K__COUNT; k++)
        if (strcmp(last_component(path), last_component(scn__keys[k].path)) == 0)
            return k;
    return -1;
}

int scn__key_parent(int k)
{
    const char *dot = strrchr(scn__keys[k].path, '.');
    if (!dot)
        return -1;
    size_t n = (size_t)(dot - scn__keys[k].path);
    for (int g = 0; g < SCN_K__COUNT; g++)
        if (strlen(scn__keys[g].path) == n && strncmp(scn__keys[g].path, scn__keys[k].path, n) == 0)
            return g;
    return -1;
}

static void choices_text(const char *const *c, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; c[i] && used < len; i++) {
        int w = snprintf(buf + used, len - used, "%s\"%s\"", i ? ", " : "", c[i]);
        if (w < 0)
            return;
        used += (size_t)w;
    }
}

void scn__key_range(int k, char *buf, size_t len)
{
    const scn__key *d = &scn__keys[k];
    char lo[SCN_AMOUNT_BUFLEN], hi[SCN_AMOUNT_BUFLEN];
    buf[0] = '\0';
    switch (d->kind) {
    case SCN__UINT:
        snprintf(buf, len, "[%llu, %llu]", (unsigned long long)d->min, (unsigned long long)d->max);
        break;
    case SCN__AMOUNT:
        scn_amount_format(d->min, lo);
        scn_amount_format(d->max, hi);
        snprintf(buf, len, "[%s, %s]", lo, hi);
        break;
    case SCN__DOUBLE:
        scn__format_double(d->dmin, lo, sizeof lo);
        scn__format_double(d->dmax, hi, sizeof hi);
        snprintf(buf, len, "%c%s, %s]", d->dmin_open ? '(' : '[', lo, hi);
        break;
    case SCN__ENUM:
        choices_text(d->choices, buf, len);
        break;
    case SCN__STRING:
        if (d->strcheck == SCN__STR_NAME)
            snprintf(buf, len, "%llu to %llu characters from A-Z a-z 0-9 _ . -",
                     (unsigned long long)d->min, (unsigned long long)d->max);
        else
            snprintf(buf, len, "at most %llu characters", (unsigned long long)d->max);
        break;
    case SCN__GROUP:
    case SCN__LIST:
    case SCN__BOOL:
        break;
    }
}

const char *scn__kind_expected(scn__kind kind)
{
    switch (kind) {
    case SCN__GROUP:
        return "group";
    case SCN__STRING:
    case SCN__ENUM:
        return "string";
    case SCN__UINT:
        return "integer";
    case SCN__DOUBLE:
        return "number";
    case SCN__BOOL:
        return "boolean";
    case SCN__AMOUNT:
        return "token amount";
    case SCN__LIST:
        return "list of groups";
    }
    return "value";
}

size_t scn_key_count(void)
{
    return SCN_K__COUNT;
}

static const char *applies_text(unsigned flags)
{
    if (flags & SCN__ONLY_ISSUANCE)
        return "issuance";
    if (flags & SCN__ONLY_BITCOIN)
        return "bitcoin";
    return scn__model_flag_name(flags);
}

int scn_key_info(size_t i, scn_keyinfo *out, char *buf, size_t buflen)
{
    if (i >= SCN_K__COUNT || !out)
        return -1;
    const scn__key *d = &scn__keys[i];
    if (buf && buflen)
        scn__key_range((int)i, buf, buflen);
    out->path = d->path;
    out->type = scn__kind_expected(d->kind);
    out->range = buf && buflen ? buf : "";
    out->def = d->def;
    out->unit = d->unit;
    out->applies = applies_text(d->flags);
    out->required = (d->flags & SCN__REQUIRED) ? 1 : (d->flags & SCN__REQ_BITCOIN) ? 2 : 0;
    out->doc = d->doc;
    return 0;
}

/* Prints text word-wrapped at 96 columns, each line indented by four spaces. */
static void print_wrapped(FILE *out, const char *text)
{
    const size_t width = 92;
    while (*text) {
        size_t n = strlen(text), cut = n;
        if (n > width) {
            cut = width;
            while (cut > 0 && text[cut] != ' ')
                cut--;
            if (cut == 0)
                cut = width; /* one very long word */
        }
        fprintf(out, "    %.*s\n", (int)cut, text);
        text += cut;
        while (*text == ' ')
            text++;
    }
}

/* One key of scn_describe: a header line, then indented facts and the meaning. */
static void describe_key(FILE *out, int k)
{
    const scn__key *d = &scn__keys[k];
    char range[160];
    scn__key_range(k, range, sizeof range);
    if (d->kind == SCN__GROUP || d->kind == SCN__LIST) {
        fprintf(out, "\n%s = %s  (%s)\n", d->path,
                d->kind == SCN__GROUP ? "{ ... }" : "( { ... }, ... )",
                d->kind == SCN__GROUP ? "group" : "list of groups");
        if (applies_text(d->flags)[0])
            fprintf(out, "    applies:  model \"%s\" only\n", applies_text(d->flags));
        print_wrapped(out, d->doc);
        return;
    }
    fprintf(out, "%s  (%s)\n", d->path, scn__kind_expected(d->kind));
    if (range[0])
        fprintf(out, "    range:    %s%s%s\n", range, d->unit[0] ? " " : "", d->unit);
    else if (d->unit[0])
        fprintf(out, "    unit:     %s\n", d->unit);
    if (d->flags & SCN__REQUIRED)
        fputs("    default:  none (required)\n", out);
    else if (d->flags & SCN__REQ_BITCOIN)
        fputs("    default:  none (required with schedule \"bitcoin\")\n", out);
    else if (!d->def)
        fputs("    default:  none\n", out);
    else if (d->kind == SCN__STRING || d->kind == SCN__ENUM || d->kind == SCN__AMOUNT)
        fprintf(out, "    default:  \"%s\"\n", d->def);
    else
        fprintf(out, "    default:  %s\n", d->def);
    if (d->flags & (SCN__ONLY_ISSUANCE | SCN__ONLY_BITCOIN))
        fprintf(out, "    applies:  schedule \"%s\" only\n", applies_text(d->flags));
    else if (applies_text(d->flags)[0])
        fprintf(out, "    applies:  model \"%s\" only\n", applies_text(d->flags));
    if (d->flags & SCN__SUBNET)
        fputs("    per subnet: yes (override in `subnets`)\n", out);
    print_wrapped(out, d->doc);
}

int scn_describe(FILE *out)
{
    if (!out)
        return -1;
    fputs("Scenario keys (libconfig syntax; --set KEY=VALUE takes the same dotted names).\n"
          "Token amounts are decimal strings in whole tokens with at most 9 decimals\n"
          "(\"1000\", \"0.5\") or integers (whole tokens); 1 token = 10^9 base units.\n"
          "Integers above 2147483647 need the L suffix (libconfig 1.5 truncates them).\n\n",
          out);
    for (int k = 0; k < SCN_K__COUNT; k++)
        describe_key(out, k);
    return ferror(out) ? -1 : 0;
}
