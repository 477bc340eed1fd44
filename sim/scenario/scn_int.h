/*
** scn_int.h: internals of the scenario module, shared by its .c files and its tests only.
**
** The key table (scn_keys.c) describes every key once; the loader (scn_load.c) keeps one value
** slot per key, filled from defaults, the file and --set, in that order of precedence reversed
** (--set wins). Diagnostics are collected with a sort key so they come out in file order
** whatever phase found them. Source helpers (scn_source.c) read files safely and re-read integer
** literals from the text, which is how libconfig's silent 32-bit truncation is detected.
*/
#ifndef TOKENSIM_SCN_INT_H
#define TOKENSIM_SCN_INT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "scenario.h"

/* ---- key table ----------------------------------------------------------------------------- */

typedef enum {
    SCN__GROUP,  /* a libconfig group holding other keys */
    SCN__STRING, /* free string; see scn__key.strcheck */
    SCN__ENUM,   /* string from a fixed list (value = index) */
    SCN__UINT,   /* unsigned integer in [min, max] */
    SCN__DOUBLE, /* finite number in [dmin, dmax] (or (dmin, dmax] when dmin_open) */
    SCN__BOOL,   /* true/false */
    SCN__AMOUNT, /* token amount, base units in [min, max] */
    SCN__LIST    /* a libconfig list of groups (`subnets`): per-element overrides */
} scn__kind;

/* String validation rules. */
typedef enum { SCN__STR_NAME, SCN__STR_TEXT, SCN__STR_PATH } scn__strcheck;

/* Flags of a key. */
enum {
    SCN__REQUIRED = 1u,         /* must be given */
    SCN__REQ_BITCOIN = 2u,      /* must be given when emission.schedule is "bitcoin" */
    SCN__ONLY_ISSUANCE = 4u,    /* meaningful only for the "issuance" schedule */
    SCN__ONLY_BITCOIN = 8u,     /* meaningful only for the "bitcoin" schedule */
    SCN__ONLY_TOKEN = 16u,      /* meaningful only for model "token" */
    SCN__ONLY_BT = 32u,         /* meaningful only for model "bittensor" */
    SCN__SUBNET = 64u,          /* a subnet key: subnet_defaults.X, overridable per subnet */
    SCN__ELEM = 128u,           /* only inside an element of the `subnets` list */
    SCN__ONLY_COLLUSION = 256u, /* meaningful only for model "collusion-toy" */
    SCN__ONLY_RETENTION = 512u, /* meaningful only for model "retention" */
    SCN__ONLY_BITGRIT = 1024u,  /* meaningful only for model "bitgrit" */
    SCN__ONLY_NUMERAI = 2048u,  /* meaningful only for model "numerai" */
    SCN__ONLY_AIGEN = 4096u,    /* meaningful only for model "aigen" */
    SCN__ONLY_CFLOW = 8192u     /* meaningful only for model "cflow" */
};
/* The flags that tie a key to one model. */
#define SCN__ONLY_MODELS                                                                           \
    (SCN__ONLY_TOKEN | SCN__ONLY_BT | SCN__ONLY_COLLUSION | SCN__ONLY_RETENTION |                  \
     SCN__ONLY_BITGRIT | SCN__ONLY_NUMERAI | SCN__ONLY_AIGEN | SCN__ONLY_CFLOW)

/* Key identifiers, in table order (the order of the file format, README and params_json). */
typedef enum {
    SCN_K_NAME,
    SCN_K_DESCRIPTION,
    SCN_K_MODEL,
    SCN_K_SEED,
    SCN_K_TIME,
    SCN_K_TIME_BLOCK_SECONDS,
    SCN_K_TIME_BLOCKS,
    SCN_K_EMISSION,
    SCN_K_EMISSION_SCHEDULE,
    SCN_K_EMISSION_INITIAL_REWARD,
    SCN_K_EMISSION_TOTAL_SUPPLY,
    SCN_K_EMISSION_HALVING_INTERVAL,
    SCN_K_EMISSION_START_BLOCK,
    SCN_K_STAKERS,
    SCN_K_STAKERS_COUNT,
    SCN_K_STAKERS_INITIAL_STAKE,
    SCN_K_STAKERS_STAKE_SPREAD,
    SCN_K_STAKERS_COMPOUND,
    SCN_K_STAKERS_UNSTAKE_PROBABILITY,
    SCN_K_STAKERS_UNSTAKE_FRACTION,
    SCN_K_RECORD,
    SCN_K_RECORD_EVERY,
    SCN_K_RECORD_EPOCHS_EVERY,
    /* model "bittensor" */
    SCN_K_CHAIN,
    SCN_K_CHAIN_TOTAL_SUPPLY,
    SCN_K_CHAIN_BLOCK_EMISSION,
    SCN_K_CHAIN_TAO_WEIGHT,
    SCN_K_CHAIN_SUBNET_OWNER_CUT,
    SCN_K_CHAIN_MAX_EPOCHS_PER_BLOCK,
    SCN_K_CHAIN_SHARE_VARIANT,
    SCN_K_NETWORK,
    SCN_K_NETWORK_SUBNETS,
    SCN_K_SUBNET_DEFAULTS,
    SCN_K_SD_TEMPO, /* first subnet key: the SCN_K_SD_* keys are contiguous */
    SCN_K_SD_MAX_UIDS,
    SCN_K_SD_MAX_VALIDATORS,
    SCN_K_SD_KAPPA,
    SCN_K_SD_BONDS_MOVING_AVERAGE,
    SCN_K_SD_BONDS_PENALTY,
    SCN_K_SD_YUMA3,
    SCN_K_SD_LIQUID_ALPHA,
    SCN_K_SD_ALPHA_LOW,
    SCN_K_SD_ALPHA_HIGH,
    SCN_K_SD_ALPHA_SIGMOID_STEEPNESS,
    SCN_K_SD_IMMUNITY_PERIOD,
    SCN_K_SD_MIN_ALLOWED_WEIGHTS,
    SCN_K_SD_ACTIVITY_CUTOFF_FACTOR,
    SCN_K_SD_STAKE_THRESHOLD,
    SCN_K_SD_COMMIT_REVEAL,
    SCN_K_SD_REVEAL_PERIOD,
    SCN_K_SD_WEIGHTS_RATE_LIMIT,
    SCN_K_SD_IMMUNE_OWNER_UIDS,
    SCN_K_SD_MIN_NON_IMMUNE_UIDS,
    SCN_K_SD_OWNER_CUT_ENABLED,
    SCN_K_SD_BURN,
    SCN_K_SD_BURN_HALF_LIFE,
    SCN_K_SD_BURN_INCREASE_MULT,
    SCN_K_SD_BURN_MIN,
    SCN_K_SD_BURN_MAX,
    SCN_K_SD_POOL_TAO,
    SCN_K_SD_POOL_ALPHA,
    SCN_K_SD_MOVING_PRICE,
    SCN_K_SD_EMA_PRICE_HALVING_BLOCKS,
    SCN_K_SD_MINERS,
    SCN_K_SD_DELEGATORS,
    SCN_K_SD_SNAPSHOT, /* last subnet key */
    SCN_K_SUBNETS,
    SCN_K_SUBNETS_NETUID,
    SCN_K_VALIDATORS,
    SCN_K_VALIDATORS_HONEST,
    SCN_K_VALIDATORS_LAZY,
    SCN_K_VALIDATORS_NOISY,
    SCN_K_VALIDATORS_NOISE,
    SCN_K_VALIDATORS_NOISY_NOISE,
    SCN_K_VALIDATORS_STAKE,
    SCN_K_VALIDATORS_STAKE_SPREAD,
    SCN_K_VALIDATORS_ROOT_STAKE,
    SCN_K_VALIDATORS_TAKE_MIN,
    SCN_K_VALIDATORS_TAKE_MAX,
    SCN_K_VALIDATORS_TAO,
    SCN_K_MINERS,
    SCN_K_MINERS_QUALITY,
    SCN_K_MINERS_QUALITY_A,
    SCN_K_MINERS_QUALITY_B,
    SCN_K_MINERS_COST,
    SCN_K_MINERS_TAO,
    SCN_K_MINERS_HORIZON_DAYS,
    SCN_K_MINERS_CHECK_EVERY,
    SCN_K_MINERS_SELL_FRACTION,
    SCN_K_MINERS_PATIENCE_DAYS,
    SCN_K_MINERS_GENESIS_REGISTERED,
    SCN_K_DELEGATORS,
    SCN_K_DELEGATORS_STAKE,
    SCN_K_DELEGATORS_STAKE_SPREAD,
    SCN_K_DELEGATORS_DECIDE_EVERY,
    SCN_K_DELEGATORS_MOVE_DELAY,
    SCN_K_DELEGATORS_SWITCH_THRESHOLD,
    SCN_K_DELEGATORS_NOISE,
    SCN_K_ROOT,
    SCN_K_ROOT_STAKERS,
    SCN_K_ROOT_STAKE,
    SCN_K_ROOT_STAKE_SPREAD,
    SCN_K_OWNERS,
    SCN_K_OWNERS_SELL_FRACTION,
    SCN_K_OWNERS_TAO,
    /* model "bittensor": attack agents (agents/attacks, scn_bt.c) */
    SCN_K_ATTACKS,
    SCN_K_ATTACKS_NETUID,
    SCN_K_ATTACKS_CABAL,
    SCN_K_ATTACKS_CABAL_STAKE_SHARE,
    SCN_K_ATTACKS_CABAL_VALIDATORS,
    SCN_K_ATTACKS_CABAL_MINERS,
    SCN_K_ATTACKS_CABAL_QUALITY,
    SCN_K_ATTACKS_CABAL_OWN_WEIGHT,
    SCN_K_ATTACKS_CABAL_START,
    SCN_K_ATTACKS_CABAL_STOP,
    SCN_K_ATTACKS_COPIER,
    SCN_K_ATTACKS_COPIER_STAKE_SHARE,
    SCN_K_ATTACKS_COPIER_SOURCE,
    SCN_K_ATTACKS_COPIER_TARGET,
    SCN_K_ATTACKS_COPIER_LAG,
    SCN_K_ATTACKS_COPIER_START,
    SCN_K_ATTACKS_COPIER_STOP,
    SCN_K_ATTACKS_SYBIL,
    SCN_K_ATTACKS_SYBIL_MODE,
    SCN_K_ATTACKS_SYBIL_IDENTITIES,
    SCN_K_ATTACKS_SYBIL_QUALITY,
    SCN_K_ATTACKS_SYBIL_STAKE_SHARE,
    SCN_K_ATTACKS_SYBIL_TAO,
    SCN_K_ATTACKS_SYBIL_START,
    SCN_K_ATTACKS_SYBIL_STOP,
    SCN_K_ATTACKS_WHALE,
    SCN_K_ATTACKS_WHALE_STAKE,
    SCN_K_ATTACKS_WHALE_TARGET,
    SCN_K_ATTACKS_WHALE_DELAY,
    SCN_K_ATTACKS_WHALE_START,
    SCN_K_ATTACKS_WHALE_STOP,
    /* models "collusion-toy" and "retention" (scn_study.c) */
    SCN_K_COLLUSION,
    SCN_K_COLLUSION_CABAL_SHARE,
    SCN_K_COLLUSION_STEEPNESS,
    SCN_K_COLLUSION_MIDPOINT,
    SCN_K_COLLUSION_GROWTH,
    SCN_K_RETENTION,
    SCN_K_RETENTION_NEURONS,
    SCN_K_RETENTION_VALIDATORS,
    SCN_K_RETENTION_STAKE_SIGMA,
    SCN_K_RETENTION_STAKE_SHARES,
    SCN_K_RETENTION_STEPS,
    SCN_K_RETENTION_KAPPA,
    SCN_K_RETENTION_BONDS_PENALTY,
    SCN_K_RETENTION_XI,
    SCN_K_RETENTION_WEIGHT_SIGMA,
    SCN_K_RETENTION_DESIGN,
    SCN_K_RETENTION_BASE_KAPPA,
    SCN_K_RETENTION_BASE_BONDS_PENALTY,
    SCN_K_RETENTION_BASE_XI,
    SCN_K_RETENTION_BASE_WEIGHT_SIGMA,
    SCN_K_RETENTION_SEARCH,
    SCN_K_RETENTION_YUMA3,
    /* models "bitgrit" and "numerai" (scn_bitgrit.c) */
    SCN_K_SUPPLY,
    SCN_K_SUPPLY_MAX_SUPPLY,
    SCN_K_SUPPLY_TREASURY,
    SCN_K_SUPPLY_COMMUNITY_ALLOCATION,
    SCN_K_SUPPLY_VESTING_MONTHS,
    SCN_K_SUPPLY_MARKET_FLOAT,
    SCN_K_SUPPLY_BGR_PRICE_USD,
    SCN_K_COMPETITIONS,
    SCN_K_COMPETITIONS_INTERVAL,
    SCN_K_COMPETITIONS_ENTRY_DAYS,
    SCN_K_COMPETITIONS_DURATION_DAYS,
    SCN_K_COMPETITIONS_STAKE,
    SCN_K_COMPETITIONS_STAKE_SPREAD,
    SCN_K_COMPETITIONS_PRIZE_USD,
    SCN_K_COMPETITIONS_PRIZE_SPREAD,
    SCN_K_COMPETITIONS_BONUS,
    SCN_K_COMPETITIONS_WINNERS,
    SCN_K_COMPETITIONS_KEEP,
    SCN_K_COMPETITIONS_FORFEIT_LOW,
    SCN_K_COMPETITIONS_FORFEIT_INCOMPLETE,
    SCN_K_COMPETITIONS_RESERVE_SHARE,
    SCN_K_COMPETITIONS_PLATFORM_FEE,
    SCN_K_COMPETITIONS_SPLIT,
    SCN_K_COMPETITIONS_EXPONENT_QUARTERS,
    SCN_K_COMPETITIONS_FIXED_SPLIT,
    SCN_K_COMPETITIONS_SCORE_NOISE,
    SCN_K_COMPETITIONS_SCORING_DAYS,
    SCN_K_COMPETITIONS_BONUS_PROBABILITY,
    SCN_K_COMPETITIONS_SETTLEMENT,
    SCN_K_COMPETITIONS_NUMERAI_THRESHOLD,
    SCN_K_COMPETITIONS_NUMERAI_SCALE,
    SCN_K_COMPETITIONS_NUMERAI_MULTIPLIER,
    SCN_K_COMPETITIONS_NUMERAI_CLIP,
    SCN_K_SCIENTISTS,
    SCN_K_SCIENTISTS_COUNT,
    SCN_K_SCIENTISTS_BALANCE,
    SCN_K_SCIENTISTS_BALANCE_SPREAD,
    SCN_K_SCIENTISTS_SKILL_SD,
    SCN_K_SCIENTISTS_COMPLETE_MIN,
    SCN_K_SCIENTISTS_COMPLETE_MAX,
    SCN_K_SCIENTISTS_COST_USD,
    SCN_K_SCIENTISTS_COST_SPREAD,
    SCN_K_SCIENTISTS_BELIEF_NOISE,
    SCN_K_SCIENTISTS_LEARNING_RATE,
    SCN_K_SCIENTISTS_EFFORT_MIN,
    SCN_K_SCIENTISTS_EFFORT_MAX,
    SCN_K_SCIENTISTS_EFFORT_SCORE,
    SCN_K_JOBS,
    SCN_K_JOBS_ARRIVAL_RATE,
    SCN_K_JOBS_DEPOSIT_STAKES,
    SCN_K_JOBS_HIRE_RATE,
    SCN_K_JOBS_LOCK_DAYS,
    SCN_K_JOBS_RETAIN,
    SCN_K_COMMUNITY,
    SCN_K_COMMUNITY_MEMBERS,
    SCN_K_COMMUNITY_REWARD_UPLOAD,
    SCN_K_COMMUNITY_REWARD_REVIEW,
    SCN_K_COMMUNITY_REWARD_SCORING,
    SCN_K_COMMUNITY_REWARD_DATASET,
    SCN_K_COMMUNITY_REWARD_PLAGIARISM,
    SCN_K_COMMUNITY_REWARD_ARTICLE,
    SCN_K_COMMUNITY_REWARD_EDUCATION,
    SCN_K_COMMUNITY_RATE_UPLOAD,
    SCN_K_COMMUNITY_RATE_REVIEW,
    SCN_K_COMMUNITY_RATE_SCORING,
    SCN_K_COMMUNITY_RATE_DATASET,
    SCN_K_COMMUNITY_RATE_PLAGIARISM,
    SCN_K_COMMUNITY_RATE_ARTICLE,
    SCN_K_COMMUNITY_RATE_EDUCATION,
    SCN_K_COMMUNITY_FARM_IDENTITIES,
    SCN_K_COMMUNITY_FARM_RATE,
    SCN_K_COMMUNITY_FARM_ACCEPT,
    SCN_K_COMMUNITY_FARM_START,
    SCN_K_COMMUNITY_FARM_STOP,
    SCN_K_COMMUNITY_FARM_COST_PER_IDENTITY,
    SCN_K_NUMERAI,
    SCN_K_NUMERAI_MODELS,
    SCN_K_NUMERAI_INTERVAL,
    SCN_K_NUMERAI_RESOLVE_DAYS,
    SCN_K_NUMERAI_THRESHOLD,
    SCN_K_NUMERAI_CORR_MULTIPLIER,
    SCN_K_NUMERAI_MMC_MULTIPLIER,
    SCN_K_NUMERAI_CLIP,
    SCN_K_NUMERAI_STAKE,
    SCN_K_NUMERAI_STAKE_SPREAD,
    SCN_K_NUMERAI_STAKE_SKILL,
    SCN_K_NUMERAI_MU_MEAN,
    SCN_K_NUMERAI_MU_SD,
    SCN_K_NUMERAI_CORR_SD,
    SCN_K_NUMERAI_MMC_SD,
    SCN_K_NUMERAI_ERA_SD,
    SCN_K_NUMERAI_MMC_K,
    SCN_K_NUMERAI_VALID,
    SCN_K_NUMERAI_COMPOUND,
    SCN_K_NUMERAI_TREASURY,
    SCN_K_NUMERAI_BURN_MODE,
    SCN_K_NUMERAI_SYBIL_K,
    SCN_K_NUMERAI_STAKING,
    SCN_K_NUMERAI_ROUND_SHARE,
    /* model "aigen" (agents/aigen, scn_aigen.c) */
    SCN_K_AIGEN,
    SCN_K_AIGEN_CONTROLLERS,
    SCN_K_AIGEN_MODELS,
    SCN_K_AIGEN_CONSUMERS,
    SCN_K_AIGEN_PRICE,
    SCN_K_AIGEN_BASE_FEE,
    SCN_K_AIGEN_CALL_TARGET,
    SCN_K_AIGEN_PRICE_SPREAD,
    SCN_K_AIGEN_CALLS,
    SCN_K_AIGEN_ELASTICITY,
    SCN_K_AIGEN_QUALITY_WEIGHT,
    SCN_K_AIGEN_PRICE_WEIGHT,
    SCN_K_AIGEN_SCORE_WEIGHT,
    SCN_K_AIGEN_WALLET,
    SCN_K_AIGEN_QUALITY_A,
    SCN_K_AIGEN_QUALITY_B,
    SCN_K_AIGEN_INVEST_STEP,
    SCN_K_AIGEN_INVEST_COST,
    SCN_K_AIGEN_INVEST_HORIZON,
    SCN_K_AIGEN_DECAY,
    SCN_K_AIGEN_K_PLAT,
    SCN_K_AIGEN_K_DEV,
    SCN_K_AIGEN_K_VAL,
    SCN_K_AIGEN_K_BURN,
    SCN_K_AIGEN_KAPPA,
    SCN_K_AIGEN_MODE,
    SCN_K_AIGEN_UNEARNED,
    SCN_K_AIGEN_GAMMA,
    SCN_K_AIGEN_SLASHING,
    SCN_K_AIGEN_EPSILON,
    SCN_K_AIGEN_SLASH,
    SCN_K_AIGEN_SLASH_CORRELATION,
    SCN_K_AIGEN_AUDIT,
    SCN_K_AIGEN_REVEAL_DELAY,
    SCN_K_AIGEN_HONEST,
    SCN_K_AIGEN_LAZY,
    SCN_K_AIGEN_COPIERS,
    SCN_K_AIGEN_COALITION,
    SCN_K_AIGEN_STAKE,
    SCN_K_AIGEN_STAKE_SPREAD,
    SCN_K_AIGEN_NOISE,
    SCN_K_AIGEN_LAZY_SCORE,
    SCN_K_AIGEN_COALITION_SHARE,
    SCN_K_AIGEN_COALITION_CONTROLLERS,
    SCN_K_AIGEN_COALITION_DEFLATE,
    SCN_K_AIGEN_COMPOUND,
    SCN_K_AIGEN_COALITION_START,
    SCN_K_AIGEN_COALITION_STOP,
    SCN_K_AIGEN_COPIER_START,
    SCN_K_AIGEN_COPIER_STOP,
    SCN_K_AIGEN_SYBIL_K,
    /* model "cflow" (agents/cflow, scn_cflow.c) */
    SCN_K_CFLOW,
    SCN_K_CFLOW_MODE,
    SCN_K_CFLOW_MAX_PARENTS,
    SCN_K_CFLOW_MAX_ANCESTORS,
    SCN_K_CFLOW_GRAPH_FILE,
    SCN_K_CFLOW_FOUNDATIONS,
    SCN_K_CFLOW_DATASETS,
    SCN_K_CFLOW_CONTRIBUTORS,
    SCN_K_CFLOW_FOUNDATION_RATE,
    SCN_K_CFLOW_FINETUNE_RATE,
    SCN_K_CFLOW_DATASET_RATE,
    SCN_K_CFLOW_CONTRIBUTOR_RATE,
    SCN_K_CFLOW_RATE_SPREAD,
    SCN_K_CFLOW_FINETUNES_PER_DAY,
    SCN_K_CFLOW_APPS_PER_DAY,
    SCN_K_CFLOW_EXTRA_PARENTS,
    SCN_K_CFLOW_DATASET_LINK,
    SCN_K_CFLOW_CONTRIBUTOR_LINK,
    SCN_K_CFLOW_EVENTS_PER_DAY,
    SCN_K_CFLOW_REVENUE,
    SCN_K_CFLOW_REVENUE_SPREAD,
    SCN_K_CFLOW_MEMBERS_MAX,
    SCN_K_CFLOW_FOUNDATION_MEMBERS,
    SCN_K_CFLOW_SPLIT,
    SCN_K_CFLOW_SHAPLEY_EXPONENT,
    SCN_K_CFLOW_SHAPLEY_PERMUTATIONS,
    SCN_K_CFLOW_DILUTION_DAY,
    SCN_K_CFLOW_SHELL_RATE,
    SCN_K_CFLOW_FORK_DAY,
    SCN_K_CFLOW_FORK_CAPTURE,
    SCN_K_CFLOW_FORK_PROB,
    SCN_K__COUNT
} scn__key_id;

#define SCN_K_SD_FIRST  SCN_K_SD_TEMPO
#define SCN_K_SD_LAST   SCN_K_SD_SNAPSHOT
#define SCN_SD_COUNT    (SCN_K_SD_LAST - SCN_K_SD_FIRST + 1) /* subnet keys */
#define SCN_MAX_SUBNETS 128u /* the chain's subnet limit (spec bittensor §3.12) */

typedef struct scn__key {
    const char *path;           /* dotted path, e.g. "stakers.count" */
    scn__kind kind;             /* value type */
    unsigned flags;             /* SCN__REQUIRED, SCN__ONLY_* ... */
    uint64_t min, max;          /* UINT/AMOUNT: inclusive range; STRING: length range */
    double dmin, dmax;          /* DOUBLE: range */
    int dmin_open;              /* DOUBLE: 1 when dmin itself is excluded */
    scn__strcheck strcheck;     /* STRING: which character rules apply */
    const char *const *choices; /* ENUM: NULL-terminated list; the index is the value */
    const char *def;            /* default in --set syntax; NULL when none */
    const char *unit;           /* unit for documentation; "" when none */
    const char *doc;            /* meaning, for scn_describe */
} scn__key;

/* The table, indexed by scn__key_id. */
extern const scn__key scn__keys[SCN_K__COUNT];

/* Index of the key with this exact dotted path, or -1. */
int scn__key_find(const char *path);
/* Nearest known key within edit distance 2 of path (or with the same last component), or -1. */
int scn__key_suggest(const char *path);
/* Index of the group that holds key k, or -1 for top-level keys. */
int scn__key_parent(int k);
/* Writes the range of key k ("[1, 100000]", "(0, 1]", "\"issuance\", \"bitcoin\"" ...). */
void scn__key_range(int k, char *buf, size_t len);
/* Generic name of the expected type, for "expected X, got Y" messages. */
const char *scn__kind_expected(scn__kind kind);

/* ---- helpers ------------------------------------------------------------------------------- */

/* Levenshtein distance, capped: returns cap+1 as soon as the distance must exceed cap. */
size_t scn__edit_distance(const char *a, const char *b, size_t cap);
/* 1 when the n bytes are valid UTF-8 (no overlongs, surrogates or code points > U+10FFFF). */
int scn__utf8_valid(const char *s, size_t n);
/* Length of the longest valid UTF-8 prefix of the n bytes (n when they are all valid). */
size_t scn__utf8_prefix(const char *s, size_t n);
/* Number of code points in valid UTF-8. */
size_t scn__utf8_length(const char *s, size_t n);
/* Shortest "%.*g" rendering of a finite double that reads back to the same value. */
void scn__format_double(double d, char *buf, size_t len);

/* Growable NUL-terminated byte buffer; `oom` latches allocation failure. */
typedef struct scn__buf {
    char *p;    /* bytes, NUL-terminated when len > 0 or after any append */
    size_t len; /* bytes used, without the NUL */
    size_t cap; /* bytes allocated */
    int oom;    /* 1 once an allocation failed; later appends are ignored */
} scn__buf;

void scn__buf_put(scn__buf *b, const char *s, size_t n);
void scn__buf_puts(scn__buf *b, const char *s);
void scn__buf_printf(scn__buf *b, const char *fmt, ...);
/* Appends s as a JSON string literal (quotes included), escaping ", \ and controls. */
void scn__buf_json_string(scn__buf *b, const char *s);
/* Takes the buffer's string (never NULL unless oom) and resets b. */
char *scn__buf_take(scn__buf *b);

/* malloc'd copy of s, or NULL. */
char *scn__strdup(const char *s);
/* malloc'd printf, or NULL. */
char *scn__aprintf(const char *fmt, ...);
char *scn__vaprintf(const char *fmt, va_list ap);

/* ---- source text ----------------------------------------------------------------------- */

/* Reads a whole file of at most SCN_MAX_FILE_BYTES. Returns 0 and a malloc'd NUL-terminated
** buffer, or non-zero with a message (without the "FILE: " prefix) written to msg. */
int scn__read_file(const char *path, char **text, size_t *len, char *msg, size_t msglen);
/* 0 when path exists and is not a regular file (a directory, FIFO, device or socket): files a
** scenario names must be regular files. 1 otherwise (a missing file is left to the open). */
int scn__regular_file(const char *path);
/* Checks that the bytes are a text file (non-empty, no NUL or control bytes, valid UTF-8, not
** too large). Returns 0, or non-zero with the message written to msg and *line set to the line
** of the offending byte (0 when no line applies: empty or too large). */
int scn__check_text(const char *text, size_t len, unsigned *line, char *msg, size_t msglen);
/* Deepest nesting of groups, lists and arrays a scenario may use: libconfig's parser recurses
** (and its bison stack runs out) on absurd depths; the real format needs 3. */
#define SCN_MAX_NESTING 32u
/* Line of the first `{`, `(` or `[` (outside strings and comments) that opens a level deeper
** than max, or 0 when the text stays within it. O(bytes). */
unsigned scn__nesting_too_deep(const char *text, size_t n, unsigned max);
/* Line (1-based) of the first "@include" directive, or 0 when there is none. */
unsigned scn__find_include(const char *text, size_t len);

/* An integer read exactly from its literal. */
typedef struct scn__int {
    int neg;       /* 1 when the value is negative */
    int overflow;  /* 1 when the magnitude exceeds 2^64-1 */
    int has_l;     /* 1 when the literal carries the L (or LL) suffix */
    uint64_t mag;  /* magnitude when !overflow */
    char text[48]; /* decimal rendering, or the literal itself (shortened) when overflow */
} scn__int;

/* Parses a libconfig-style integer literal: [+-] then decimal digits or 0x hex digits, then an
** optional L/LL. Returns the number of bytes consumed (0 when there is no literal). */
size_t scn__int_literal(const char *s, size_t n, scn__int *out);
/* Parses a --set integer: [-]DIGITS only. Returns 0, or -1 when it is not an integer. */
int scn__int_decimal(const char *s, scn__int *out);
/* Sets out from a signed value (used when the literal cannot be located). */
void scn__int_from_i64(long long v, scn__int *out);

/* Forward-only scanner over libconfig text that skips comments and strings. Settings are
** visited in file order, so each lookup resumes where the previous one stopped. */
typedef struct scn__lex {
    const char *p;      /* text */
    size_t n;           /* text length */
    size_t pos;         /* current offset */
    unsigned line;      /* line at pos, 1-based */
    int open_kind;      /* 1 string, 2 comment: left open at the end of the text */
    unsigned open_line; /* line where that string or comment starts */
} scn__lex;

void scn__lex_init(scn__lex *lx, const char *text, size_t n);
/* Scans the whole text. Returns 0, or the line where a string (*kind = 1) or a block comment
** (*kind = 2) starts that is never closed: libconfig 1.5 silently accepts some of those, so a
** file cut in the middle of one would otherwise load without its tail. */
unsigned scn__lex_unterminated(const char *text, size_t n, int *kind);
/* Finds `name = <integer literal>` whose name sits on `line`; on success stores the literal's
** span and returns 0, else returns -1 and leaves the scanner where it was. */
int scn__lex_find_int(scn__lex *lx, const char *name, unsigned line, const char **lit,
                      size_t *litlen);

/* Like scn__lex_find_int for an unnamed value (an array element): the next integer literal
** (sign included) that starts on `line`. Returns 0, or -1 leaving the scanner where it was. */
int scn__lex_next_int(scn__lex *lx, unsigned line, const char **lit, size_t *litlen);

/* ---- errors ------------------------------------------------------------------------------- */

/* Appends a copy of msg to e. Returns 0, or -1 when out of memory. */
int scn__errors_push(scn_errors *e, const char *msg);

struct config_setting_t; /* libconfig's setting, kept opaque here */

/* ---- loader ------------------------------------------------------------------------------- */

/* Where a value came from. */
enum { SCN__SRC_NONE, SCN__SRC_DEFAULT, SCN__SRC_FILE, SCN__SRC_SET };

/* Diagnostic classes, in report order: fatal file problems, file lines, file-wide, --set. */
enum { SCN__CLS_FATAL, SCN__CLS_LINE, SCN__CLS_FILE, SCN__CLS_SET };

/* Where a message points: `FILE:LINE: `, `FILE: ` or `--set KEY: `. */
typedef struct scn__loc {
    int cls;          /* SCN__CLS_* */
    unsigned line;    /* SCN__CLS_LINE: 1-based line */
    const char *set;  /* SCN__CLS_SET: the key as typed */
    const char *file; /* SCN__CLS_FILE/LINE: another file (a snapshot) instead of the scenario */
} scn__loc;

/* One key's effective value. */
typedef struct scn__val {
    int src;       /* SCN__SRC_* */
    unsigned line; /* line of the setting when src == SCN__SRC_FILE */
    int bad;       /* a value was given but rejected (its error is already reported) */
    uint64_t u;    /* UINT, AMOUNT (base units), ENUM (choice index), BOOL (0/1) */
    double d;      /* DOUBLE */
    char *s;       /* STRING, owned */
} scn__val;

/* One collected message with its sort key. */
typedef struct scn__diag {
    int cls;       /* SCN__CLS_* */
    unsigned line; /* sort key within SCN__CLS_LINE */
    size_t seq;    /* discovery order, the tie-breaker */
    char *msg;     /* formatted message, owned */
} scn__diag;

/* One element of the `subnets` list (or one created by --set subnets.N.KEY=VALUE). */
typedef struct scn__elem {
    unsigned line;            /* line of the element's group, 0 when created by --set */
    unsigned pos;             /* position in the file's list (netuid pos + 1 by default) */
    char name[32];            /* display prefix: "subnets[2]" or "subnets.3" */
    scn__val netuid;          /* its explicit netuid (slot of SCN_K_SUBNETS_NETUID) */
    scn__val v[SCN_SD_COUNT]; /* its overrides, slot k - SCN_K_SD_FIRST */
} scn__elem;

typedef struct scn__loader {
    const char *disp;          /* file path or display name used in messages */
    scn__lex lex;              /* literal re-reader over the file text */
    scn__val v[SCN_K__COUNT];  /* one slot per key */
    scn__elem *elem;           /* `subnets` elements, in file order then --set order */
    size_t nelem, capelem;     /* used / allocated */
    scn_bt_subnet *bt_subnets; /* effective subnets built by scn__bt_check (owned until fill) */
    uint32_t bt_nsubnets;      /* entries of bt_subnets */
    scn__val *cur_slot;        /* when set, validators write here instead of v[k] */
    const char *cur_path;      /* when set, messages name the value this way */
    scn__diag *diag;           /* collected messages */
    size_t ndiag, capdiag;     /* used / allocated */
    int oom;                   /* an allocation failed somewhere */
    int from_file;             /* 1 when disp is a real file (snapshots resolve next to it) */
    scn_sweep *sweep;          /* the `sweep` group (scn_sweep.c), owned until fill */
    int sweep_k[3 * SCN_SWEEP_MAX_KEYS + 1];         /* key-table index of each swept key */
    unsigned sweep_line[3 * SCN_SWEEP_MAX_KEYS + 1]; /* line naming it */
    size_t nsweep_k;                                 /* how many */
} scn__loader;

/* The slot validators write for key k (ld->cur_slot or ld->v[k]). */
scn__val *scn__slot(scn__loader *ld, int k);
/* The name messages use for key k (ld->cur_path or the key's dotted path). */
const char *scn__kpath(const scn__loader *ld, int k);
/* Frees a value's string and zeroes it. */
void scn__val_reset(scn__val *v);

/* Records a message at l (printf-style; the location prefix is added here). */
void scn__report(scn__loader *ld, scn__loc l, const char *fmt, ...);
/* Location of key k's current value (its line, its --set, or the file). */
scn__loc scn__loc_key(const scn__loader *ld, int k);
scn__loc scn__loc_line(unsigned line);
scn__loc scn__loc_set(const char *key);
scn__loc scn__loc_file(void);
/* "unknown key 'x' (did you mean 'y'?)" at l. */
void scn__unknown_key(scn__loader *ld, scn__loc l, const char *path);
/* Starts a new value for key k from src (frees the previous one). */
void scn__val_begin(scn__loader *ld, int k, int src, unsigned line);
/* Converts and validates a libconfig setting for key k (a scalar key). */
void scn__val_from_setting(scn__loader *ld, int k, const struct config_setting_t *setting);
/* Name of a libconfig setting type (CONFIG_TYPE_*) for "got X" messages. */
const char *scn__setting_type_name(int type);
/* Converts and validates --set or default text for key k (a scalar key). */
void scn__val_from_text(scn__loader *ld, int k, scn__loc l, const char *text);

/* The --set text of a scalar setting (integer, float, boolean, string) into buf; integers are
** re-read from the file text (a named setting by its name, an array element as the next integer
** literal on its line) so a literal libconfig truncated is an error here too. `what` names the
** setting in messages. Returns 0, or -1 after reporting. */
int scn__setting_text(scn__loader *ld, const struct config_setting_t *c, const char *what,
                      char *buf, size_t len);

/* Appends key k's value v as JSON (null when absent). */
void scn__json_value(scn__buf *b, int k, const scn__val *v);

/* ---- model "bittensor" (scn_bt.c, scn_snapshot.c) ------------------------------------------ */

/* Walks one element of the `subnets` list (a libconfig group) into a new element. */
void scn__bt_walk_element(scn__loader *ld, const struct config_setting_t *g, unsigned index);
/* Applies --set subnets.N.KEY=VALUE; returns 0 when `key` has that form (handled, errors
** reported), -1 when it does not. */
int scn__bt_apply_set(scn__loader *ld, const char *key, const char *value);
/* Cross-field rules of the bittensor keys and the effective subnets (snapshots loaded). */
void scn__bt_check(scn__loader *ld);
/* Fills out->bt from the loader (snapshots loaded again into owned memory). SCN_OK/SCN_ENOMEM
** or SCN_EINVAL when a snapshot could not be re-read. */
int scn__bt_fill(scn__loader *ld, scn_scenario *out);
/* Appends the bittensor-only parts of params_json ("subnets" overrides, snapshot digests). */
void scn__bt_json(const scn__loader *ld, const scn_scenario *sc, scn__buf *b);
/* Frees the bittensor part of a scenario. */
void scn__bt_clear(scn_bittensor *bt);
/* Frees the loader's elements. */
void scn__bt_loader_free(scn__loader *ld);

/* ---- models "collusion-toy" and "retention" (scn_study.c) ---------------------------------- */

/* The model flag (SCN__ONLY_*) of model m (a scn_model value). */
unsigned scn__model_flag(uint64_t m);
/* The model name a SCN__ONLY_* flag set names ("token", "bittensor", ...). */
const char *scn__model_flag_name(unsigned flags);
/* Cross-field rules of the study keys (the number lists parse and are in range). */
void scn__study_check(scn__loader *ld);
/* Fills out->study from the loader (lists parsed again; scn__study_check accepted them). */
void scn__study_fill(const scn__loader *ld, scn_scenario *out);

/* ---- the `sweep` group (scn_sweep.c) ------------------------------------------------------ */

/* Walks the top-level `sweep` setting into ld->sweep, reporting every problem at its line. */
void scn__sweep_walk(scn__loader *ld, const struct config_setting_t *c);
/* Rules that need the whole scenario: each swept key applies to the chosen model. */
void scn__sweep_check(scn__loader *ld);
/* Frees a sweep group (NULL is fine). */
void scn__sweep_free(scn_sweep *sw);

/* ---- models "bitgrit" and "numerai" (scn_bitgrit.c) -------------------------------------- */

/* Cross-field rules of the bitgrit/numerai keys (time in days, ranges that depend on another
** key, the fixed split list). */
void scn__bg_check(scn__loader *ld);
/* Fills out->bg from the loader (scn__bg_check accepted it). */
void scn__bg_fill(const scn__loader *ld, scn_scenario *out);

/* ---- models "aigen" and "cflow" (scn_aigen.c, scn_cflow.c) ------------------------------- */

/* Cross-field rules of the aigen keys (the fee split sums to 1, coalition controllers exist). */
void scn__aigen_check(scn__loader *ld);
/* Fills out->aigen from the loader (scn__aigen_check accepted it). */
void scn__aigen_fill(const scn__loader *ld, scn_scenario *out);
/* Cross-field rules of the cflow keys; reads and validates the seed graph file (each bad line
** reported at GRAPH:LINE with the link's reject reason). */
void scn__cflow_check(scn__loader *ld);
/* Fills out->cflow (the graph file is read again into owned memory). SCN_OK, SCN_ENOMEM or
** SCN_EINVAL when the file changed since the check. */
int scn__cflow_fill(scn__loader *ld, scn_scenario *out);
/* Frees the cflow part of a scenario. */
void scn__cflow_clear(scn_cflow *cf);

/* Reads and validates a snapshot file; messages go to ld at `file` (its display path) with
** `at` as the location of the scenario key that named it. Returns the snapshot (owned by the
** caller, scn__snapshot_free) or NULL after reporting. `hyper` receives the hyperparameters the
** snapshot sets (slot k - SCN_K_SD_FIRST; src SCN__SRC_FILE when given). */
scn_snapshot *scn__snapshot_load(scn__loader *ld, const char *path, const char *display,
                                 scn__val hyper[SCN_SD_COUNT]);
void scn__snapshot_free(scn_snapshot *s);

/* The 1-based line of the value that `path` (a snapshot message's field: `key`, then `.key`,
** `[N]` or `[uid N]` steps) names in the JSON text[0..len), or of the deepest value on the way
** when a step names nothing (the object lacking a field); 0 when path is not such a path
** (scn_jsonpos.c). */
unsigned scn__json_line_of(const char *text, size_t len, const char *path);

#endif
