/*
** scenario.h: scenario files (libconfig 1.5) -> a validated, typed scenario, or every error.
**
** A scenario is a small libconfig file (scenarios/README.md documents every key). Loading reads
** the bytes, checks that they are text, parses them with libconfig, walks every setting against
** one key table (type, range, default, applicability, documentation), applies `--set KEY=VALUE`
** overrides through the same validators, fills in defaults, checks the cross-field rules and
** either fills a scn_scenario or returns the complete list of errors, each formatted
** `FILE:LINE: message`, `FILE: message` (no line applies) or `--set KEY: message`.
**
** Invariants: nothing in a loaded scn_scenario points into libconfig (every string is a copy
** owned by the scenario); token amounts are exact u64 base units (1 token = 10^9 units) parsed
** without floating point; integer literals that libconfig 1.5 would silently truncate to 32 bits
** are detected from the file text and rejected. The key table is the single source of truth for
** validation, defaults, --set, params_json and scn_describe.
**
** Cost: linear in the size of the file (at most 1 MiB) plus O(keys) per setting.
** Thread safety: no global mutable state; separate loads may run concurrently.
*/
#ifndef TOKENSIM_SCENARIO_H
#define TOKENSIM_SCENARIO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Return codes of the loaders (0 = success). */
enum {
    SCN_OK = 0,      /* loaded and valid */
    SCN_EINVAL = -1, /* the scenario or an override is invalid; the reasons are in errs */
    SCN_ENOMEM = -2  /* out of memory (errs may be incomplete) */
};

/* Largest scenario file accepted, in bytes. */
#define SCN_MAX_FILE_BYTES (1024u * 1024u)
/* At most this many messages are kept; one more line says how many were dropped. */
#define SCN_MAX_ERRORS 100u

typedef enum { SCN_MODEL_TOKEN = 0 } scn_model; /* more models arrive with later issues */
typedef enum {
    SCN_SCHEDULE_ISSUANCE = 0, /* Bittensor: reward halves as total issuance nears the supply */
    SCN_SCHEDULE_BITCOIN = 1   /* Bitcoin: reward halves every halving_interval blocks */
} scn_schedule;

/* A validated scenario. Zero it (or let a loader fill it) before use; scn_clear frees it.
** Amounts are base units (1 token = 10^9 units). Keys that do not apply to the chosen
** emission schedule are 0 here and null in params_json. */
typedef struct scn_scenario {
    char *path;        /* file path or display name (e.g. "<default>") */
    char *text;        /* the exact bytes of the scenario file, NUL-terminated (provenance) */
    char *name;        /* name = "..." ([A-Za-z0-9_.-], 1..64 characters) */
    char *description; /* free text, "" when absent */
    scn_model model;   /* world to build */
    uint64_t seed;     /* master seed, 0..2^63-1 */
    struct {
        uint32_t block_seconds; /* simulated seconds per block, 1..86400 */
        uint64_t blocks;        /* blocks to simulate, 1..10^10 */
    } time;
    struct {
        scn_schedule schedule;     /* which halving rule */
        uint64_t initial_reward;   /* units minted per block before any halving, > 0 */
        uint64_t total_supply;     /* issuance schedule: supply cap in units (0 for bitcoin) */
        uint64_t halving_interval; /* bitcoin schedule: blocks per halving (0 for issuance) */
        uint64_t start_block;      /* bitcoin schedule: first subsidised height h0 */
    } emission;
    struct {
        uint32_t count;             /* number of stakers, 1..100000 */
        uint64_t initial_stake;     /* mean genesis stake per staker, units, > 0 */
        double stake_spread;        /* lognormal sigma of genesis stakes, 0..3 */
        int compound;               /* 1: rewards restaked; 0: paid to the free balance */
        double unstake_probability; /* chance per staker per simulated day to unstake, 0..1 */
        double unstake_fraction;    /* fraction of stake unstaked when it happens, (0, 1] */
    } stakers;
    struct {
        uint64_t every; /* blocks between metric samples, 1..10^9 */
    } record;
    char *params_json; /* effective value of every key as a JSON object, in key-table order */
} scn_scenario;

/* ---- error list ---------------------------------------------------------------------------- */

typedef struct scn_errors scn_errors; /* ordered list of formatted error strings */

/* A new empty list, or NULL when out of memory. */
scn_errors *scn_errors_new(void);
/* Frees the list and its strings; NULL is a no-op. */
void scn_errors_free(scn_errors *e);
/* Number of messages (0 for NULL). */
size_t scn_errors_count(const scn_errors *e);
/* Message i (0-based), or NULL when i is out of range. Valid until the list is freed. */
const char *scn_errors_get(const scn_errors *e, size_t i);

/* ---- loading ------------------------------------------------------------------------------- */

/* Loads the scenario file at `path`, then applies `sets` ("key=value" strings with dotted keys,
** e.g. "stakers.count=10"; later ones win) and validates everything. `out` need not be
** initialised. Returns SCN_OK with `out` filled, or non-zero with `out` zeroed and every error
** appended to `errs` (which may be NULL to discard them), in file order, then --set order. */
int scn_load_file(const char *path, const char *const *sets, size_t nsets, scn_scenario *out,
                  scn_errors *errs);

/* Same as scn_load_file for an in-memory NUL-terminated scenario text; `display_name` is used in
** messages and stored in out->path (NULL means "<text>"; use "<default>" for the built-in). */
int scn_load_text(const char *text, const char *display_name, const char *const *sets, size_t nsets,
                  scn_scenario *out, scn_errors *errs);

/* Frees the owned strings and zeroes *s; NULL or a zeroed scenario is fine. */
void scn_clear(scn_scenario *s);

/* The built-in default scenario: the bytes of scenarios/default.cfg embedded at build time. */
const char *scn_default_text(void);

/* Prints every key with its type, range, default, applicability and meaning.
** Returns 0, or -1 when writing failed. */
int scn_describe(FILE *out);

/* ---- key table access (for documentation and tools) ---------------------------------------- */

/* Read-only view of one entry of the key table. Strings are static. */
typedef struct scn_keyinfo {
    const char *path;    /* dotted key, e.g. "stakers.count"; groups too (e.g. "stakers") */
    const char *type;    /* "group", "string", "integer", "number", "boolean", "token amount" */
    const char *range;   /* human-readable range or choices, "" for groups and booleans */
    const char *def;     /* default in --set syntax, NULL when there is none */
    const char *unit;    /* unit, "" when none */
    const char *applies; /* "" (always) or the schedule it belongs to, e.g. "bitcoin" */
    int required;        /* 1 required always, 2 required for the bitcoin schedule, else 0 */
    const char *doc;     /* meaning, one paragraph */
} scn_keyinfo;

/* Number of keys in the table (groups included). */
size_t scn_key_count(void);
/* Fills *out for key i; returns 0, or -1 when i is out of range. `range` points into `buf`. */
int scn_key_info(size_t i, scn_keyinfo *out, char *buf, size_t buflen);

/* ---- token amounts ------------------------------------------------------------------------- */

/* Results of scn_amount_parse. */
enum {
    SCN_AMOUNT_OK = 0,
    SCN_AMOUNT_JUNK = 1,      /* not DIGITS[.DIGITS] */
    SCN_AMOUNT_NEGATIVE = 2,  /* starts with '-' */
    SCN_AMOUNT_PRECISION = 3, /* more than 9 fractional digits */
    SCN_AMOUNT_OVERFLOW = 4   /* more than 2^64-1 base units */
};
#define SCN_UNITS_PER_TOKEN 1000000000ull
/* Buffer size for scn_amount_format ("18446744073.709551615" plus NUL fits). */
#define SCN_AMOUNT_BUFLEN 32

/* Parses a decimal token amount ("1000", "0.5", "0.000000001") exactly into base units.
** Syntax: DIGITS or DIGITS.DIGITS, no sign, spaces or exponent. */
int scn_amount_parse(const char *s, uint64_t *units);
/* Message for a scn_amount_parse result (static string). */
const char *scn_amount_strerror(int rc);
/* Writes units as a canonical decimal token amount: no trailing fractional zeros ("0.5",
** "1000"). */
void scn_amount_format(uint64_t units, char out[SCN_AMOUNT_BUFLEN]);

#endif
