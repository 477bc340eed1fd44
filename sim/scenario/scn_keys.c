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

static const char *const model_choices[] = {"token", "bittensor", NULL};
static const char *const variant_choices[] = {"main", "release", NULL};
static const char *const quality_choices[] = {"uniform", "beta", "lognormal", NULL};
static const char *const schedule_choices[] = {"issuance", "bitcoin", NULL};

#define U64_MAX_ UINT64_MAX
#define I64_MAX_ 9223372036854775807ull

/* Compact entries for the keys of model "bittensor" (flag SCN__ONLY_BT plus `fl`). */
#define BT_GROUP(p, d)                                                                             \
    {                                                                                              \
        .path = p, .kind = SCN__GROUP, .flags = SCN__ONLY_BT, .unit = "", .doc = d                 \
    }
#define BT_UINT(p, fl, lo, hi, dv, u, d)                                                           \
    {                                                                                              \
        .path = p, .kind = SCN__UINT, .flags = SCN__ONLY_BT | (fl), .min = lo, .max = hi,          \
        .def = dv, .unit = u, .doc = d                                                             \
    }
#define BT_AMT(p, fl, lo, hi, dv, u, d)                                                            \
    {                                                                                              \
        .path = p, .kind = SCN__AMOUNT, .flags = SCN__ONLY_BT | (fl), .min = lo, .max = hi,        \
        .def = dv, .unit = u, .doc = d                                                             \
    }
#define BT_DBL(p, fl, lo, hi, dv, u, d)                                                            \
    {                                                                                              \
        .path = p, .kind = SCN__DOUBLE, .flags = SCN__ONLY_BT | (fl), .dmin = lo, .dmax = hi,      \
        .def = dv, .unit = u, .doc = d                                                             \
    }
#define BT_BOOL(p, fl, dv, d)                                                                      \
    {                                                                                              \
        .path = p, .kind = SCN__BOOL, .flags = SCN__ONLY_BT | (fl), .def = dv, .unit = "",         \
        .doc = d                                                                                   \
    }
#define BT_ENUM(p, fl, ch, dv, d)                                                                  \
    {                                                                                              \
        .path = p, .kind = SCN__ENUM, .flags = SCN__ONLY_BT | (fl), .choices = ch, .def = dv,      \
        .unit = "", .doc = d                                                                       \
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
                            "epoch (scenarios/BITTENSOR.md)."},
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
                                  "hyperparameters; relative to the scenario file's directory. "
                                  "\"\": none."},
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
    if (flags & SCN__ONLY_TOKEN)
        return "token";
    if (flags & SCN__ONLY_BT)
        return "bittensor";
    return "";
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
