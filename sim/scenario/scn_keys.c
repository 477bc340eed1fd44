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

static const char *const model_choices[] = {"token", NULL};
static const char *const schedule_choices[] = {"issuance", "bitcoin", NULL};

#define U64_MAX_ UINT64_MAX
#define I64_MAX_ 9223372036854775807ull

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
                            "and a set of stakers earning the block rewards pro rata."},
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
                        .unit = "",
                        .doc = "Block reward and its halvings."},
    [SCN_K_EMISSION_SCHEDULE] =
        {.path = "emission.schedule",
         .kind = SCN__ENUM,
         .choices = schedule_choices,
         .def = "issuance",
         .unit = "",
         .doc = "\"issuance\": Bittensor's rule, the reward halves each time total issuance "
                "(genesis stakes included) crosses total_supply*(1-2^-k). \"bitcoin\": the "
                "reward halves every halving_interval blocks counted from start_block."},
    [SCN_K_EMISSION_INITIAL_REWARD] = {.path = "emission.initial_reward",
                                       .kind = SCN__AMOUNT,
                                       .min = 1,
                                       .max = U64_MAX_,
                                       .def = "1",
                                       .unit = "tokens per block",
                                       .doc = "Block reward before any halving."},
    [SCN_K_EMISSION_TOTAL_SUPPLY] =
        {.path = "emission.total_supply",
         .kind = SCN__AMOUNT,
         .flags = SCN__ONLY_ISSUANCE,
         .min = 1,
         .max = U64_MAX_,
         .def = "21000000",
         .unit = "tokens",
         .doc = "Issuance schedule only: the supply cap that drives the halvings (the first "
                "at half of it). Must exceed twice initial_reward and the total genesis stake."},
    [SCN_K_EMISSION_HALVING_INTERVAL] =
        {.path = "emission.halving_interval",
         .kind = SCN__UINT,
         .flags = SCN__REQ_BITCOIN | SCN__ONLY_BITCOIN,
         .min = 1,
         .max = 1000000000ull,
         .unit = "blocks",
         .doc = "Bitcoin schedule only (and required there): blocks between halvings "
                "(Bitcoin: 210000)."},
    [SCN_K_EMISSION_START_BLOCK] =
        {.path = "emission.start_block",
         .kind = SCN__UINT,
         .flags = SCN__ONLY_BITCOIN,
         .min = 0,
         .max = 10000000000ull,
         .def = "0",
         .unit = "block height",
         .doc = "Bitcoin schedule only: h0, the first subsidised height (earlier blocks mint "
                "nothing); the halving count at height h is (h - h0) / halving_interval."},
    [SCN_K_STAKERS] = {.path = "stakers",
                       .kind = SCN__GROUP,
                       .unit = "",
                       .doc = "The stakers who receive the block rewards."},
    [SCN_K_STAKERS_COUNT] = {.path = "stakers.count",
                             .kind = SCN__UINT,
                             .min = 1,
                             .max = 100000,
                             .def = "5",
                             .unit = "stakers",
                             .doc = "Number of stakers."},
    [SCN_K_STAKERS_INITIAL_STAKE] =
        {.path = "stakers.initial_stake",
         .kind = SCN__AMOUNT,
         .min = 1,
         .max = U64_MAX_,
         .def = "1000",
         .unit = "tokens",
         .doc = "Mean genesis stake per staker, minted at genesis (it counts as issuance)."},
    [SCN_K_STAKERS_STAKE_SPREAD] =
        {.path = "stakers.stake_spread",
         .kind = SCN__DOUBLE,
         .dmin = 0.0,
         .dmax = 3.0,
         .def = "0.5",
         .unit = "",
         .doc = "Lognormal sigma of the genesis stakes around their mean; 0 gives every staker "
                "exactly initial_stake."},
    [SCN_K_STAKERS_COMPOUND] = {.path = "stakers.compound",
                                .kind = SCN__BOOL,
                                .def = "true",
                                .unit = "",
                                .doc = "true: rewards are restaked (they earn rewards in turn); "
                                       "false: rewards go to the free balance."},
    [SCN_K_STAKERS_UNSTAKE_PROBABILITY] =
        {.path = "stakers.unstake_probability",
         .kind = SCN__DOUBLE,
         .dmin = 0.0,
         .dmax = 1.0,
         .def = "0",
         .unit = "per staker per day",
         .doc = "Chance that a staker unstakes on a given simulated day (86400 s of simulated "
                "time)."},
    [SCN_K_STAKERS_UNSTAKE_FRACTION] =
        {.path = "stakers.unstake_fraction",
         .kind = SCN__DOUBLE,
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
    if (d->kind == SCN__GROUP) {
        fprintf(out, "\n%s = { ... }  (group)\n", d->path);
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
    else if (d->kind == SCN__STRING || d->kind == SCN__ENUM || d->kind == SCN__AMOUNT)
        fprintf(out, "    default:  \"%s\"\n", d->def);
    else
        fprintf(out, "    default:  %s\n", d->def);
    if (applies_text(d->flags)[0])
        fprintf(out, "    applies:  schedule \"%s\" only\n", applies_text(d->flags));
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
