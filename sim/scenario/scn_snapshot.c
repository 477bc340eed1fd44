/*
** scn_snapshot.c: metagraph snapshots (JSON, jansson) -> scn_snapshot, with every problem
** reported as `SNAPSHOT:LINE: field: message`, LINE being the line of the field's value (of the
** object lacking it, for a missing one: scn_jsonpos.c), or `SNAPSHOT:LINE: message` for JSON
** syntax; `SNAPSHOT: message` only when the file cannot be read.
**
** Format "tokensim-metagraph-1" (scenarios/BITTENSOR.md): an object with `block`, optional
** `format`, `netuid`, `total_issuance`, `hyperparameters` (any subnet_defaults key but miners,
** delegators and
** snapshot, validated by the scenario's own validators), `pool` {tao, alpha, alpha_out},
** `moving_price`, `burn`, `owner_uid`, and `neurons`: one object per uid 0..n-1 with uid,
** hotkey, stake and registered_at required and coldkey, role, quality, root_stake, last_update,
** validator_permit, take, emission, incentive, weights and bonds ([[uid, u16], ...]) optional.
** Amounts are decimal strings in tokens ("12.5") or integers (whole tokens), parsed exactly.
**
** Invariants of a returned snapshot: uids are exactly 0..n-1 (neurons[i].uid == i); every
** weight/bond uid < n; registered_at, last_update <= block; take <= 11796; quality in [0, 1].
** Cost: linear in the file size (at most SCN_SNAPSHOT_MAX_BYTES).
*/
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn_int.h"

#define SCN_SNAPSHOT_MAX_BYTES ((size_t)256 * 1024 * 1024) /* larger files are refused */
#define SNAP_MAX_NEURONS       4096u                       /* the largest max_uids */
#define SNAP_MAX_TAKE          11796u                      /* MaxDelegateTake (spec §3.9) */

/* Parsing context: where messages go and whether anything failed. */
typedef struct snap_ctx {
    scn__loader *ld;     /* message sink */
    const char *display; /* snapshot path as shown in messages */
    int bad;             /* a field was refused */
    int block_unknown;   /* block was missing or refused: fields bounded by it are not checked
                            against it (one error, not one per neuron) */
    const char *text;    /* the file's bytes once read (messages find their lines), or NULL */
    size_t len;          /* their count */
} snap_ctx;

#define SNAP_MAX_BLOCK 10000000000ull /* the largest snapshot block */

/* Where a message about `field` points: its line in the snapshot when it can be found. */
static scn__loc snap_loc(const snap_ctx *c, const char *field)
{
    unsigned line = scn__json_line_of(c->text, c->len, field);
    scn__loc l = {line ? SCN__CLS_LINE : SCN__CLS_FILE, line, NULL, c->display};
    return l;
}

static void snap_err(snap_ctx *c, const char *field, const char *fmt, ...)
{
    char body[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);
    scn__report(c->ld, snap_loc(c, field), "%s: %s", field, body);
    c->bad = 1;
}

static const char *json_type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "object";
    case JSON_ARRAY:
        return "array";
    case JSON_STRING:
        return "string";
    case JSON_INTEGER:
        return "integer";
    case JSON_REAL:
        return "number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "boolean";
    case JSON_NULL:
        return "null";
    }
    return "value";
}

/* ---- typed field readers (each reports and returns -1 on a bad value, 1 when absent) ------- */

static int get_uint(snap_ctx *c, const json_t *o, const char *key, const char *field, uint64_t max,
                    uint64_t *out)
{
    const json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return 1;
    if (!json_is_integer(v)) {
        snap_err(c, field, "expected integer, got %s", json_type_name(v));
        return -1;
    }
    json_int_t x = json_integer_value(v);
    if (x < 0 || (uint64_t)x > max) {
        snap_err(c, field, "%lld is out of range [0, %llu]", (long long)x, (unsigned long long)max);
        return -1;
    }
    *out = (uint64_t)x;
    return 0;
}

static int get_amount(snap_ctx *c, const json_t *o, const char *key, const char *field,
                      uint64_t *out)
{
    const json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return 1;
    if (json_is_integer(v)) {
        json_int_t x = json_integer_value(v);
        if (x < 0 || (uint64_t)x > UINT64_MAX / SCN_UNITS_PER_TOKEN) {
            snap_err(c, field, "%lld is not a token amount in range", (long long)x);
            return -1;
        }
        *out = (uint64_t)x * SCN_UNITS_PER_TOKEN;
        return 0;
    }
    if (!json_is_string(v)) {
        snap_err(c, field,
                 "expected a token amount (a decimal string such as \"12.5\", or an "
                 "integer), got %s",
                 json_type_name(v));
        return -1;
    }
    int rc = scn_amount_parse(json_string_value(v), out);
    if (rc != SCN_AMOUNT_OK) {
        snap_err(c, field, "\"%.60s\": %s", json_string_value(v), scn_amount_strerror(rc));
        return -1;
    }
    return 0;
}

static int get_number(snap_ctx *c, const json_t *o, const char *key, const char *field, double lo,
                      double hi, double *out)
{
    const json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return 1;
    if (!json_is_number(v)) {
        snap_err(c, field, "expected number, got %s", json_type_name(v));
        return -1;
    }
    double x = json_number_value(v);
    if (!(x >= lo && x <= hi)) {
        snap_err(c, field, "%g is out of range [%g, %g]", x, lo, hi);
        return -1;
    }
    *out = x;
    return 0;
}

static int get_bool(snap_ctx *c, const json_t *o, const char *key, const char *field, int *out)
{
    const json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return 1;
    if (!json_is_boolean(v)) {
        snap_err(c, field, "expected boolean, got %s", json_type_name(v));
        return -1;
    }
    *out = json_is_true(v);
    return 0;
}

static int get_string(snap_ctx *c, const json_t *o, const char *key, const char *field,
                      size_t maxlen, char **out)
{
    const json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return 1;
    if (!json_is_string(v)) {
        snap_err(c, field, "expected string, got %s", json_type_name(v));
        return -1;
    }
    size_t n = json_string_length(v);
    if (n == 0 || n > maxlen || memchr(json_string_value(v), '\0', n)) {
        snap_err(c, field, "must be 1 to %zu characters", maxlen);
        return -1;
    }
    /* Names travel to terminals, the DB and HTML: no escape sequences or other controls.
    ** (jansson has already refused invalid UTF-8.) */
    for (const unsigned char *p = (const unsigned char *)json_string_value(v); *p; p++)
        if (*p < 0x20 || *p == 0x7F) {
            snap_err(c, field, "contains a control character (0x%02X)", *p);
            return -1;
        }
    if (!(*out = scn__strdup(json_string_value(v))))
        c->ld->oom = 1;
    return *out ? 0 : -1;
}

/* ---- neurons --------------------------------------------------------------------------- */

/* [[uid, value], ...] into an owned pair array; uids are checked against n later. */
static int get_pairs(snap_ctx *c, const json_t *o, const char *key, const char *prefix,
                     scn_snap_pair **out, size_t *nout)
{
    char field[96];
    snprintf(field, sizeof field, "%s.%s", prefix, key);
    const json_t *a = json_object_get(o, key);
    if (!a || json_is_null(a))
        return 1;
    if (!json_is_array(a)) {
        snap_err(c, field, "expected an array of [uid, value] pairs, got %s", json_type_name(a));
        return -1;
    }
    size_t n = json_array_size(a);
    scn_snap_pair *p = n ? calloc(n, sizeof *p) : NULL;
    if (n && !p) {
        c->ld->oom = 1;
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        const json_t *e = json_array_get(a, i);
        const json_t *u = json_array_get(e, 0), *w = json_array_get(e, 1);
        snprintf(field, sizeof field, "%s.%s[%zu]", prefix, key, i);
        if (!json_is_array(e) || json_array_size(e) != 2 || !json_is_integer(u) ||
            !json_is_integer(w)) {
            snap_err(c, field, "expected [uid, value] with two integers");
            free(p);
            return -1;
        }
        json_int_t uid = json_integer_value(u), val = json_integer_value(w);
        if (uid < 0 || uid >= (json_int_t)SNAP_MAX_NEURONS || val < 0 || val > 65535) {
            snap_err(c, field, "[%lld, %lld]: uid must be in [0, %u) and value in [0, 65535]",
                     (long long)uid, (long long)val, SNAP_MAX_NEURONS);
            free(p);
            return -1;
        }
        p[i].uid = (uint16_t)uid, p[i].value = (uint16_t)val;
    }
    *out = p, *nout = n;
    return 0;
}

static int role_of(snap_ctx *c, const json_t *o, const char *field, scn_snap_role *role)
{
    const json_t *v = json_object_get(o, "role");
    if (!v || json_is_null(v))
        return 1;
    const char *s = json_is_string(v) ? json_string_value(v) : NULL;
    if (s && !strcmp(s, "miner"))
        *role = SCN_SNAP_MINER;
    else if (s && !strcmp(s, "validator"))
        *role = SCN_SNAP_VALIDATOR;
    else if (s && !strcmp(s, "owner"))
        *role = SCN_SNAP_OWNER;
    else {
        snap_err(c, field, "expected \"miner\", \"validator\" or \"owner\"");
        return -1;
    }
    return 0;
}

static const char *const neuron_keys[] = {
    "uid",   "hotkey",     "coldkey",       "role",        "quality",
    "stake", "root_stake", "registered_at", "last_update", "validator_permit",
    "take",  "emission",   "incentive",     "weights",     "bonds",
    NULL};

static void unknown_keys(snap_ctx *c, const json_t *o, const char *prefix, const char *const *known)
{
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)o, key, v)
    {
        size_t i = 0;
        while (known[i] && strcmp(known[i], key) != 0)
            i++;
        if (!known[i]) {
            char field[96];
            snprintf(field, sizeof field, "%s%s%s", prefix, prefix[0] ? "." : "", key);
            snap_err(c, field, "unknown field");
        }
    }
}

/* One neuron object into n (its uid is checked by the caller). */
static void parse_neuron(snap_ctx *c, const json_t *o, size_t i, uint64_t block, scn_snap_neuron *n)
{
    char p[48], f[96];
    snprintf(p, sizeof p, "neurons[%zu]", i);
    if (!json_is_object(o)) {
        snap_err(c, p, "expected object, got %s", json_type_name(o));
        return;
    }
    unknown_keys(c, o, p, neuron_keys);
    uint64_t u = 0;
#define F(name) (snprintf(f, sizeof f, "%s.%s", p, name), f)
    if (get_uint(c, o, "uid", F("uid"), SNAP_MAX_NEURONS - 1, &u) == 1)
        snap_err(c, F("uid"), "missing");
    n->uid = (uint16_t)u;
    if (get_string(c, o, "hotkey", F("hotkey"), 128, &n->hotkey) == 1)
        snap_err(c, F("hotkey"), "missing");
    get_string(c, o, "coldkey", F("coldkey"), 128, &n->coldkey);
    if (get_amount(c, o, "stake", F("stake"), &n->stake) == 1)
        snap_err(c, F("stake"), "missing");
    get_amount(c, o, "root_stake", F("root_stake"), &n->root_stake);
    if (get_uint(c, o, "registered_at", F("registered_at"), block, &n->registered_at) == 1)
        snap_err(c, F("registered_at"), "missing");
    n->last_update = n->registered_at;
    get_uint(c, o, "last_update", F("last_update"), block, &n->last_update);
    get_bool(c, o, "validator_permit", F("validator_permit"), &n->validator_permit);
    u = SNAP_MAX_TAKE;
    get_uint(c, o, "take", F("take"), SNAP_MAX_TAKE, &u);
    n->take = (uint16_t)u;
    get_amount(c, o, "emission", F("emission"), &n->emission);
    u = 0;
    get_uint(c, o, "incentive", F("incentive"), 65535, &u);
    n->incentive = (uint16_t)u;
    n->quality = -1.0;
    get_number(c, o, "quality", F("quality"), 0.0, 1.0, &n->quality);
    int has_role = role_of(c, o, F("role"), &n->role);
    get_pairs(c, o, "weights", p, &n->weights, &n->nweights);
    get_pairs(c, o, "bonds", p, &n->bonds, &n->nbonds);
#undef F
    if (has_role == 1) { /* derived: weights to another uid make a validator */
        n->role = SCN_SNAP_MINER;
        for (size_t k = 0; k < n->nweights; k++)
            if (n->weights[k].uid != n->uid)
                n->role = SCN_SNAP_VALIDATOR;
    }
    if (n->quality < 0)
        n->quality = n->role == SCN_SNAP_MINER ? (double)n->incentive / 65535.0 : 0.0;
}

/* Every uid 0..n-1 exactly once (sorted into place), pair uids < n, owner consistent. */
static void check_uids(snap_ctx *c, scn_snapshot *s, scn_snap_neuron *raw)
{
    char f[96];
    for (size_t i = 0; i < s->n; i++) {
        size_t u = raw[i].uid;
        if (u >= s->n) {
            snprintf(f, sizeof f, "neurons[%zu].uid", i);
            snap_err(c, f, "%zu is not below the number of neurons (%zu): uids must be 0..%zu", u,
                     s->n, s->n - 1);
        } else if (s->neurons[u].hotkey) {
            snprintf(f, sizeof f, "neurons[%zu].uid", i);
            snap_err(c, f, "uid %zu appears twice", u);
        } else {
            s->neurons[u] = raw[i];
            memset(&raw[i], 0, sizeof raw[i]);
            continue;
        }
    }
    for (size_t u = 0; u < s->n && !c->bad; u++) {
        const scn_snap_neuron *n = &s->neurons[u];
        for (size_t k = 0; k < n->nweights + n->nbonds; k++) {
            int w = k < n->nweights;
            uint16_t to = w ? n->weights[k].uid : n->bonds[k - n->nweights].uid;
            if (to >= s->n) {
                snprintf(f, sizeof f, "neurons[uid %zu].%s", u, w ? "weights" : "bonds");
                snap_err(c, f, "uid %u is not below the number of neurons (%zu)", to, s->n);
                break;
            }
        }
    }
    if (s->owner_uid >= 0 && (size_t)s->owner_uid >= s->n)
        snap_err(c, "owner_uid", "%lld is not a uid of the snapshot", (long long)s->owner_uid);
}

static void free_neuron(scn_snap_neuron *n)
{
    free(n->hotkey);
    free(n->coldkey);
    free(n->weights);
    free(n->bonds);
}

static void parse_neurons(snap_ctx *c, const json_t *root, scn_snapshot *s)
{
    const json_t *a = json_object_get(root, "neurons");
    if (!a) {
        snap_err(c, "neurons", "missing");
        return;
    }
    if (!json_is_array(a) || json_array_size(a) == 0 || json_array_size(a) > SNAP_MAX_NEURONS) {
        snap_err(c, "neurons", "expected an array of 1 to %u neuron objects", SNAP_MAX_NEURONS);
        return;
    }
    size_t n = json_array_size(a);
    scn_snap_neuron *raw = calloc(n, sizeof *raw);
    s->neurons = calloc(n, sizeof *s->neurons);
    if (!raw || !s->neurons) {
        free(raw);
        c->ld->oom = 1;
        return;
    }
    s->n = n;
    for (size_t i = 0; i < n; i++)
        parse_neuron(c, json_array_get(a, i), i, c->block_unknown ? SNAP_MAX_BLOCK : s->block,
                     &raw[i]);
    if (!c->bad)
        check_uids(c, s, raw);
    for (size_t i = 0; i < n; i++)
        free_neuron(&raw[i]);
    free(raw);
}

/* ---- top level ------------------------------------------------------------------------- */

static const char *const top_keys[] = {
    "format", "netuid",       "block", "total_issuance", "hyperparameters",
    "pool",   "moving_price", "burn",  "owner_uid",      "neurons",
    NULL};

/* hyperparameters: every key a subnet key (but miners, delegators, snapshot), validated by the
** scenario's validators through a text rendering of the JSON value. */
static void parse_hyper(snap_ctx *c, const json_t *root, scn__val hyper[SCN_SD_COUNT])
{
    const json_t *h = json_object_get(root, "hyperparameters");
    if (!h || json_is_null(h))
        return;
    if (!json_is_object(h)) {
        snap_err(c, "hyperparameters", "expected object, got %s", json_type_name(h));
        return;
    }
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)h, key, v)
    {
        char path[96], text[64];
        snprintf(path, sizeof path, "hyperparameters.%s", key);
        int k = -1;
        for (int j = SCN_K_SD_FIRST; j <= SCN_K_SD_LAST && k < 0; j++)
            if (!strcmp(strchr(scn__keys[j].path, '.') + 1, key))
                k = j;
        if (k < 0 || k == SCN_K_SD_MINERS || k == SCN_K_SD_DELEGATORS || k == SCN_K_SD_SNAPSHOT) {
            snap_err(c, path, "unknown hyperparameter");
            continue;
        }
        const char *t = text;
        if (json_is_integer(v))
            snprintf(text, sizeof text, "%lld", (long long)json_integer_value(v));
        else if (json_is_real(v))
            snprintf(text, sizeof text, "%.17g", json_real_value(v));
        else if (json_is_boolean(v))
            t = json_is_true(v) ? "true" : "false";
        else if (json_is_string(v))
            t = json_string_value(v);
        else {
            snap_err(c, path, "expected %s, got %s", scn__kind_expected(scn__keys[k].kind),
                     json_type_name(v));
            continue;
        }
        size_t before = c->ld->ndiag;
        scn__loc l = snap_loc(c, path);
        c->ld->cur_slot = &hyper[k - SCN_K_SD_FIRST];
        c->ld->cur_path = path;
        scn__val_begin(c->ld, k, SCN__SRC_FILE, 0);
        scn__val_from_text(c->ld, k, l, t);
        c->ld->cur_slot = NULL;
        c->ld->cur_path = NULL;
        if (c->ld->ndiag != before)
            c->bad = 1;
    }
}

static void parse_top(snap_ctx *c, const json_t *root, scn_snapshot *s,
                      scn__val hyper[SCN_SD_COUNT])
{
    unknown_keys(c, root, "", top_keys);
    const json_t *fmt = json_object_get(root, "format");
    if (fmt &&
        (!json_is_string(fmt) || strcmp(json_string_value(fmt), "tokensim-metagraph-1") != 0))
        snap_err(c, "format", "expected \"tokensim-metagraph-1\"");
    uint64_t u = 0;
    get_uint(c, root, "netuid", "netuid", 65535, &u);
    int rb = get_uint(c, root, "block", "block", SNAP_MAX_BLOCK, &s->block);
    if (rb == 1)
        snap_err(c, "block", "missing");
    c->block_unknown = rb != 0;
    s->owner_uid = -1;
    if (get_uint(c, root, "owner_uid", "owner_uid", SNAP_MAX_NEURONS - 1, &u) == 0)
        s->owner_uid = (int64_t)u;
    s->has_moving_price =
        get_number(c, root, "moving_price", "moving_price", 0.0, 1e6, &s->moving_price) == 0;
    s->has_burn = get_amount(c, root, "burn", "burn", &s->burn) == 0;
    s->has_issuance =
        get_amount(c, root, "total_issuance", "total_issuance", &s->total_issuance) == 0;
    const json_t *pool = json_object_get(root, "pool");
    if (pool && !json_is_null(pool)) {
        static const char *const pool_keys[] = {"tao", "alpha", "alpha_out", NULL};
        if (!json_is_object(pool)) {
            snap_err(c, "pool", "expected object, got %s", json_type_name(pool));
        } else {
            unknown_keys(c, pool, "pool", pool_keys);
            int t = get_amount(c, pool, "tao", "pool.tao", &s->pool_tao);
            int a = get_amount(c, pool, "alpha", "pool.alpha", &s->pool_alpha);
            if (t == 1 || a == 1)
                snap_err(c, t == 1 ? "pool.tao" : "pool.alpha", "missing (give tao and alpha)");
            else if (t == 0 && a == 0 && (s->pool_tao == 0 || s->pool_alpha == 0))
                snap_err(c, "pool", "tao and alpha must both be positive");
            s->has_pool = t == 0 && a == 0;
            s->has_alpha_out =
                get_amount(c, pool, "alpha_out", "pool.alpha_out", &s->alpha_out) == 0;
        }
    }
    parse_hyper(c, root, hyper);
    parse_neurons(c, root, s);
}

/* FNV-1a 64 of the bytes: a cheap provenance digest for params_json. */
static uint64_t fnv1a64(const char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 0x100000001b3ull;
    return h;
}

static char *read_all(snap_ctx *c, const char *path, size_t *len)
{
    /* A file named by a scenario must be a regular file: a FIFO would block the open, and a
    ** device (/dev/zero) would be read up to the size limit for nothing. */
    if (!scn__regular_file(path)) {
        scn__loc l = {SCN__CLS_FILE, 0, NULL, c->display};
        scn__report(c->ld, l, "the snapshot is not a regular file");
        c->bad = 1;
        return NULL;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        scn__loc l = {SCN__CLS_FILE, 0, NULL, c->display};
        scn__report(c->ld, l, "cannot open the snapshot: %s", strerror(errno));
        c->bad = 1;
        return NULL;
    }
    size_t cap = (size_t)1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap)
            break;
        if (cap >= SCN_SNAPSHOT_MAX_BYTES) {
            free(buf);
            buf = NULL;
            fclose(f);
            scn__loc l = {SCN__CLS_FILE, 0, NULL, c->display};
            scn__report(c->ld, l, "snapshot larger than %zu bytes", SCN_SNAPSHOT_MAX_BYTES);
            c->bad = 1;
            return NULL;
        }
        char *nb = realloc(buf, cap * 2 + 1);
        if (!nb)
            free(buf);
        buf = nb, cap *= 2;
    }
    int err = ferror(f);
    fclose(f);
    if (!buf) {
        c->ld->oom = 1;
        return NULL;
    }
    if (err) {
        free(buf);
        scn__loc l = {SCN__CLS_FILE, 0, NULL, c->display};
        scn__report(c->ld, l, "read error");
        c->bad = 1;
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

void scn__snapshot_free(scn_snapshot *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        free_neuron(&s->neurons[i]);
    free(s->neurons);
    free(s->path);
    free(s->given);
    free(s);
}

scn_snapshot *scn__snapshot_load(scn__loader *ld, const char *path, const char *display,
                                 scn__val hyper[SCN_SD_COUNT])
{
    snap_ctx c = {ld, display, 0, 0, NULL, 0};
    size_t len = 0;
    char *bytes = read_all(&c, path, &len);
    if (!bytes)
        return NULL;
    c.text = bytes, c.len = len;
    json_error_t je;
    json_t *root = json_loadb(bytes, len, JSON_REJECT_DUPLICATES, &je);
    scn_snapshot *s = calloc(1, sizeof *s);
    if (!s || !(s->path = scn__strdup(display))) {
        ld->oom = 1;
    } else if (!root) {
        scn__loc l = {je.line > 0 ? SCN__CLS_LINE : SCN__CLS_FILE,
                      (unsigned)(je.line > 0 ? je.line : 0), NULL, display};
        scn__report(ld, l, "invalid JSON: %s", je.text);
        c.bad = 1;
    } else if (!json_is_object(root)) {
        snap_err(&c, "(top level)", "expected an object, got %s", json_type_name(root));
    } else {
        s->fnv1a64 = fnv1a64(bytes, len);
        parse_top(&c, root, s, hyper);
    }
    json_decref(root);
    free(bytes);
    if (c.bad || ld->oom) {
        scn__snapshot_free(s);
        return NULL;
    }
    return s;
}
