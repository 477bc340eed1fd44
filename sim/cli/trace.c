/*
** trace.c: the yuma-trace/1 loader and replay (trace.h, FORMAT.md §1).
**
** Loading walks the JSON document once with a path string ("steps[3].ops[0]") so that the
** first problem found is reported with its exact location, and copies everything into flat
** arrays: steps, operations and set_weights pairs. Nothing of jansson survives the load.
** Replay keeps the subnet state of FORMAT §1.3-§1.5 (stake, LastUpdate, BlockAtRegistration,
** permits, one weights row per uid, bonds in CSR form) and rebuilds the epoch's CSR inputs
** before each epoch.
*/
#include "trace.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tsr_err.h"

/* ---- the loaded trace ------------------------------------------------------------------------ */

/* Parameters a trace can set: the epoch's, plus two of the trace's own. */
typedef struct trace_params {
    tsr_yuma_params y;     /* epoch parameters */
    bool bonds_reset;      /* BondsResetOn: whether reset_bonds acts */
    uint64_t rao_emission; /* emission handed to each epoch */
} trace_params;

enum op_kind { OP_SET_WEIGHTS, OP_REGISTER, OP_SET_STAKE, OP_RESET_BONDS, OP_SET_PARAMS };

typedef struct trace_op {
    enum op_kind kind; /* which operation */
    uint32_t uid;      /* target uid (all but set_params) */
    uint64_t stake;    /* register / set_stake */
    size_t wbeg, wlen; /* set_weights: pairs wpairs[wbeg .. wbeg + wlen) */
    uint32_t pmask;    /* set_params: bit k set = PKEYS[k] given */
    int64_t pval[16];  /* set_params: value of PKEYS[k] (booleans as 0/1) */
    bool pnull[16];    /* set_params: PKEYS[k] given as null (owner_uid only) */
} trace_op;

typedef struct trace_step {
    uint64_t block;      /* current block */
    size_t op_beg, op_n; /* ops[op_beg .. op_beg + op_n) */
    bool epoch;          /* run an epoch after the ops */
} trace_step;

struct trace_t {
    char name[256];      /* "name" (truncated) */
    size_t n;            /* params.n */
    trace_params params; /* initial parameters */
    uint64_t lms;        /* initial.last_mechanism_step_block */
    uint64_t *stake;     /* initial.stake, n */
    uint64_t *reg;       /* initial.registration_block, n */
    trace_step *steps;   /* nsteps */
    size_t nsteps;
    trace_op *ops; /* nops */
    size_t nops;
    tsr_yuma_pair *wpairs; /* all set_weights pairs */
    size_t nwpairs, capwpairs;
};

/* ---- parameter keys (FORMAT §1.2) ------------------------------------------------------------ */

enum pkind { K_N, K_U16, K_I16, K_U64, K_BOOL, K_UID_OR_NULL };

static const struct pkey {
    const char *name;
    enum pkind kind;
} PKEYS[] = {
    {"n", K_N},
    {"tempo", K_U16},
    {"activity_cutoff", K_U64},
    {"kappa", K_U16},
    {"bonds_moving_average", K_U64},
    {"bonds_penalty", K_U16},
    {"max_allowed_validators", K_U16},
    {"yuma3", K_BOOL},
    {"liquid_alpha", K_BOOL},
    {"alpha_low", K_U16},
    {"alpha_high", K_U16},
    {"alpha_sigmoid_steepness", K_I16},
    {"bonds_reset", K_BOOL},
    {"owner_uid", K_UID_OR_NULL},
    {"stake_threshold", K_U64},
    {"rao_emission", K_U64},
};
#define NPKEYS (sizeof PKEYS / sizeof PKEYS[0]) /* 16, the size of trace_op.pval */

/* Stores value v (already range-checked for its kind) of key k into tp. */
static void param_set(trace_params *tp, size_t k, int64_t v, bool is_null)
{
    const char *key = PKEYS[k].name;
    uint64_t u = (uint64_t)v;
    if (!strcmp(key, "tempo"))
        tp->y.tempo = (uint16_t)u;
    else if (!strcmp(key, "activity_cutoff"))
        tp->y.activity_cutoff = u;
    else if (!strcmp(key, "kappa"))
        tp->y.kappa = (uint16_t)u;
    else if (!strcmp(key, "bonds_moving_average"))
        tp->y.bonds_moving_average = u;
    else if (!strcmp(key, "bonds_penalty"))
        tp->y.bonds_penalty = (uint16_t)u;
    else if (!strcmp(key, "max_allowed_validators"))
        tp->y.max_allowed_validators = (uint16_t)u;
    else if (!strcmp(key, "yuma3"))
        tp->y.yuma3 = v != 0;
    else if (!strcmp(key, "liquid_alpha"))
        tp->y.liquid_alpha = v != 0;
    else if (!strcmp(key, "alpha_low"))
        tp->y.alpha_low = (uint16_t)u;
    else if (!strcmp(key, "alpha_high"))
        tp->y.alpha_high = (uint16_t)u;
    else if (!strcmp(key, "alpha_sigmoid_steepness"))
        tp->y.alpha_sigmoid_steepness = (int16_t)v;
    else if (!strcmp(key, "bonds_reset"))
        tp->bonds_reset = v != 0;
    else if (!strcmp(key, "owner_uid"))
        tp->y.owner_uid = is_null ? TSR_YUMA_NO_OWNER : (uint32_t)u;
    else if (!strcmp(key, "stake_threshold"))
        tp->y.stake_threshold = u;
    else if (!strcmp(key, "rao_emission"))
        tp->rao_emission = u;
}

/* ---- loader context and messages ------------------------------------------------------------- */

typedef struct loader {
    const char *file; /* path as given, prefix of every message */
    char *err;        /* message buffer */
    size_t errlen;
    trace_t *t; /* the trace being filled */
} loader;

/* Formats "FILE: PATH: message" into the error buffer; returns -1. */
static int fail(loader *L, const char *path, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (path && *path)
        snprintf(L->err, L->errlen, "%s: %s: %s", L->file, path, msg);
    else
        snprintf(L->err, L->errlen, "%s: %s", L->file, msg);
    return -1;
}

/* A short rendering of a JSON value for messages: 70000, "abc", true, null, 1.5, an object. */
static void describe(const json_t *v, char *buf, size_t len)
{
    switch (json_typeof(v)) {
    case JSON_INTEGER:
        snprintf(buf, len, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        break;
    case JSON_REAL:
        snprintf(buf, len, "the non-integer number %.17g", json_real_value(v));
        break;
    case JSON_STRING:
        snprintf(buf, len, "the string \"%.40s\"", json_string_value(v));
        break;
    case JSON_TRUE:
        snprintf(buf, len, "true");
        break;
    case JSON_FALSE:
        snprintf(buf, len, "false");
        break;
    case JSON_NULL:
        snprintf(buf, len, "null");
        break;
    case JSON_ARRAY:
        snprintf(buf, len, "an array");
        break;
    default:
        snprintf(buf, len, "an object");
        break;
    }
}

/* Path builders: "path.key" and "path[i]" (paths are short; a longer one is cut, not overrun). */
static void sub(char *dst, size_t len, const char *path, const char *key)
{
    int r =
        (path && *path) ? snprintf(dst, len, "%s.%s", path, key) : snprintf(dst, len, "%s", key);
    if (r < 0)
        dst[0] = '\0';
}

static void idx(char *dst, size_t len, const char *path, size_t i)
{
    if (snprintf(dst, len, "%s[%zu]", path, i) < 0)
        dst[0] = '\0';
}

/* Integer in [lo, hi] (JSON integers only: no floats, strings or booleans). */
static int get_int(loader *L, const json_t *v, const char *path, int64_t lo, int64_t hi,
                   int64_t *out)
{
    char d[128];
    if (!v || !json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
        if (!v)
            return fail(L, path, "missing");
        describe(v, d, sizeof d);
        return fail(L, path, "expected an integer in [%" PRId64 ", %" PRId64 "], got %s", lo, hi,
                    d);
    }
    *out = (int64_t)json_integer_value(v);
    return 0;
}

static int get_u64(loader *L, const json_t *v, const char *path, uint64_t *out)
{
    int64_t x = 0;
    if (get_int(L, v, path, 0, INT64_MAX, &x))
        return -1;
    *out = (uint64_t)x;
    return 0;
}

static int get_bool(loader *L, const json_t *v, const char *path, bool *out)
{
    char d[128];
    if (!v || !json_is_boolean(v)) {
        if (!v)
            return fail(L, path, "missing");
        describe(v, d, sizeof d);
        return fail(L, path, "expected true or false, got %s", d);
    }
    *out = json_is_true(v);
    return 0;
}

static int get_uid(loader *L, const json_t *v, const char *path, uint32_t *out)
{
    char d[128];
    size_t n = L->t->n;
    if (!v || !json_is_integer(v)) {
        if (!v)
            return fail(L, path, "missing");
        describe(v, d, sizeof d);
        return fail(L, path, "expected a uid (an integer in [0, %zu]), got %s", n - 1, d);
    }
    json_int_t x = json_integer_value(v);
    if (x < 0 || (uint64_t)x >= n)
        return fail(L, path, "%" JSON_INTEGER_FORMAT " is not a uid (n = %zu)", x, n);
    *out = (uint32_t)x;
    return 0;
}

static int get_string(loader *L, const json_t *v, const char *path, const char **out)
{
    char d[128];
    /* fail() always returns -1, but the analyser does not follow variadic calls: the literal -1
     * shows it that *out is set whenever 0 is returned. */
    if (!v) {
        fail(L, path, "missing");
        return -1;
    }
    if (!json_is_string(v)) {
        describe(v, d, sizeof d);
        fail(L, path, "expected a string, got %s", d);
        return -1;
    }
    *out = json_string_value(v);
    return 0;
}

/* An object whose keys are all in `allowed` (NULL-terminated); `required` ones must be there. */
static int check_keys(loader *L, const json_t *o, const char *path, const char *const *allowed,
                      const char *const *required)
{
    const char *key;
    json_t *val;
    char d[128];
    if (!json_is_object(o)) {
        describe(o, d, sizeof d);
        return fail(L, path, "expected an object, got %s", d);
    }
    json_object_foreach((json_t *)o, key, val)
    {
        bool ok = false;
        for (size_t k = 0; allowed[k]; k++)
            ok = ok || !strcmp(key, allowed[k]);
        if (!ok)
            return fail(L, path && *path ? path : NULL, "unknown key '%s'", key);
    }
    for (size_t k = 0; required && required[k]; k++)
        if (!json_object_get(o, required[k]))
            return fail(L, path && *path ? path : NULL, "missing key '%s'", required[k]);
    return 0;
}

/* An array of exactly n entries. */
static int check_vec(loader *L, const json_t *v, const char *path, size_t n)
{
    char d[128];
    if (!v)
        return fail(L, path, "missing");
    if (!json_is_array(v)) {
        describe(v, d, sizeof d);
        return fail(L, path, "expected an array of %zu entries, got %s", n, d);
    }
    if (json_array_size(v) != n)
        return fail(L, path, "expected %zu entries (n = %zu), got %zu", n, n, json_array_size(v));
    return 0;
}

static int get_u64_vec(loader *L, const json_t *v, const char *path, uint64_t *out)
{
    char p[256];
    if (check_vec(L, v, path, L->t->n))
        return -1;
    for (size_t i = 0; i < L->t->n; i++) {
        idx(p, sizeof p, path, i);
        if (get_u64(L, json_array_get(v, i), p, &out[i]))
            return -1;
    }
    return 0;
}

/* ---- params, initial ------------------------------------------------------------------------- */

/* Reads the keys of params object o into val/is_null (mask gets one bit per key present).
 * Full: every key required; partial (set_params): any subset except n. */
static int load_params(loader *L, const json_t *o, const char *path, bool partial, int64_t *val,
                       bool *nulls, uint32_t *mask)
{
    const char *names[NPKEYS + 1];
    for (size_t k = 0; k < NPKEYS; k++)
        names[k] = PKEYS[k].name;
    names[NPKEYS] = NULL;
    if (check_keys(L, o, path, names, partial ? NULL : names))
        return -1;
    if (partial && json_object_get(o, "n"))
        return fail(L, path, "set_params cannot change 'n'");
    *mask = 0;
    for (size_t k = 0; k < NPKEYS; k++) {
        const json_t *v = json_object_get(o, PKEYS[k].name);
        char p[256];
        int64_t x = 0;
        bool b = false, is_null = false;
        if (!v || PKEYS[k].kind == K_N)
            continue;
        sub(p, sizeof p, path, PKEYS[k].name);
        switch (PKEYS[k].kind) {
        case K_U16:
            if (get_int(L, v, p, 0, 65535, &x))
                return -1;
            break;
        case K_I16:
            if (get_int(L, v, p, -32768, 32767, &x))
                return -1;
            break;
        case K_U64:
            if (get_int(L, v, p, 0, INT64_MAX, &x))
                return -1;
            break;
        case K_BOOL:
            if (get_bool(L, v, p, &b))
                return -1;
            x = b;
            break;
        case K_UID_OR_NULL:
            if (json_is_null(v)) {
                is_null = true;
            } else {
                uint32_t u;
                if (get_uid(L, v, p, &u))
                    return -1;
                x = u;
            }
            break;
        default:
            break;
        }
        val[k] = x;
        nulls[k] = is_null;
        *mask |= (uint32_t)1 << k;
    }
    return 0;
}

static int load_top(loader *L, const json_t *root)
{
    static const char *const top[] = {"format", "name",    "source", "description",
                                      "params", "initial", "steps",  NULL};
    static const char *const top_req[] = {"format",  "name",  "source", "params",
                                          "initial", "steps", NULL};
    const char *s = NULL;
    if (check_keys(L, root, "", top, top_req))
        return -1;
    if (get_string(L, json_object_get(root, "format"), "format", &s))
        return -1;
    if (strcmp(s, "yuma-trace/1") != 0)
        return fail(L, "format", "expected \"yuma-trace/1\", got \"%.40s\"", s);
    if (get_string(L, json_object_get(root, "name"), "name", &s))
        return -1;
    snprintf(L->t->name, sizeof L->t->name, "%s", s);
    if (get_string(L, json_object_get(root, "source"), "source", &s))
        return -1;
    if (json_object_get(root, "description") &&
        get_string(L, json_object_get(root, "description"), "description", &s))
        return -1;
    return 0;
}

static int load_initial(loader *L, const json_t *root)
{
    static const char *const keys[] = {"block", "stake", "registration_block",
                                       "last_mechanism_step_block", NULL};
    const json_t *p = json_object_get(root, "params");
    const json_t *ini = json_object_get(root, "initial");
    int64_t n = 0;
    uint32_t mask;
    char d[128];
    trace_t *t = L->t;
    if (!json_is_object(p)) {
        describe(p, d, sizeof d);
        return fail(L, "params", "expected an object, got %s", d);
    }
    if (!json_object_get(p, "n"))
        return fail(L, "params", "missing key 'n'");
    if (get_int(L, json_object_get(p, "n"), "params.n", 1, TSR_YUMA_MAX_N, &n))
        return -1;
    t->n = (size_t)n;
    int64_t val[NPKEYS];
    bool nulls[NPKEYS];
    tsr_yuma_params_default(&t->params.y);
    if (load_params(L, p, "params", false, val, nulls, &mask))
        return -1;
    for (size_t k = 0; k < NPKEYS; k++)
        if (mask >> k & 1u)
            param_set(&t->params, k, val[k], nulls[k]);
    if (check_keys(L, ini, "initial", keys, keys))
        return -1;
    t->stake = calloc(t->n, sizeof *t->stake);
    t->reg = calloc(t->n, sizeof *t->reg);
    if (!t->stake || !t->reg)
        return fail(L, NULL, "out of memory");
    if (get_u64_vec(L, json_object_get(ini, "stake"), "initial.stake", t->stake) ||
        get_u64_vec(L, json_object_get(ini, "registration_block"), "initial.registration_block",
                    t->reg) ||
        get_u64(L, json_object_get(ini, "last_mechanism_step_block"),
                "initial.last_mechanism_step_block", &t->lms))
        return -1;
    return 0;
}

/* ---- steps, operations, expectations --------------------------------------------------------- */

static int push_wpair(trace_t *t, uint32_t uid, uint16_t w)
{
    if (t->nwpairs == t->capwpairs) {
        size_t cap = t->capwpairs ? 2 * t->capwpairs : 64;
        tsr_yuma_pair *p = realloc(t->wpairs, cap * sizeof *p);
        if (!p)
            return -1;
        t->wpairs = p;
        t->capwpairs = cap;
    }
    t->wpairs[t->nwpairs].uid = (uint16_t)uid;
    t->wpairs[t->nwpairs++].value = w;
    return 0;
}

static int load_weights(loader *L, const json_t *w, const char *path, trace_op *op,
                        unsigned char *seen)
{
    char p[256], q[256], d[128];
    trace_t *t = L->t;
    if (!w)
        return fail(L, path, "missing");
    if (!json_is_array(w)) {
        describe(w, d, sizeof d);
        return fail(L, path, "expected an array of [uid, weight] pairs, got %s", d);
    }
    op->wbeg = t->nwpairs;
    op->wlen = json_array_size(w);
    memset(seen, 0, t->n);
    for (size_t i = 0; i < op->wlen; i++) {
        const json_t *pair = json_array_get(w, i);
        uint32_t uid;
        int64_t v;
        idx(p, sizeof p, path, i);
        if (!json_is_array(pair) || json_array_size(pair) != 2) {
            describe(pair, d, sizeof d);
            return fail(L, p, "expected a [uid, weight] pair, got %s", d);
        }
        idx(q, sizeof q, p, 0);
        if (get_uid(L, json_array_get(pair, 0), q, &uid))
            return -1;
        idx(q, sizeof q, p, 1);
        if (get_int(L, json_array_get(pair, 1), q, 0, 65535, &v))
            return -1;
        if (seen[uid]) /* FORMAT §1.5: no duplicate dest_uids */
            return fail(L, p, "uid %" PRIu32 " appears twice in this weights row", uid);
        seen[uid] = 1;
        if (push_wpair(t, uid, (uint16_t)v))
            return fail(L, NULL, "out of memory");
    }
    return 0;
}

static int load_op(loader *L, const json_t *o, const char *path, trace_op *op, uint32_t *owner,
                   unsigned char *seen)
{
    static const char *const k_sw[] = {"op", "uid", "weights", NULL};
    static const char *const k_reg[] = {"op", "uid", "stake", NULL};
    static const char *const k_rb[] = {"op", "uid", NULL};
    static const char *const k_sp[] = {"op", "params", NULL};
    const char *name = NULL;
    char p[256], d[128];
    memset(op, 0, sizeof *op);
    if (!json_is_object(o)) {
        describe(o, d, sizeof d);
        return fail(L, path, "expected an operation object, got %s", d);
    }
    sub(p, sizeof p, path, "op");
    if (get_string(L, json_object_get(o, "op"), p, &name))
        return -1;
    const char *const *keys;
    if (!strcmp(name, "set_weights"))
        op->kind = OP_SET_WEIGHTS, keys = k_sw;
    else if (!strcmp(name, "register"))
        op->kind = OP_REGISTER, keys = k_reg;
    else if (!strcmp(name, "set_stake"))
        op->kind = OP_SET_STAKE, keys = k_reg;
    else if (!strcmp(name, "reset_bonds"))
        op->kind = OP_RESET_BONDS, keys = k_rb;
    else if (!strcmp(name, "set_params"))
        op->kind = OP_SET_PARAMS, keys = k_sp;
    else
        return fail(L, p,
                    "unknown operation \"%.40s\" (expected set_weights, register, set_stake, "
                    "reset_bonds or set_params)",
                    name);
    if (check_keys(L, o, path, keys, keys))
        return -1;
    if (op->kind != OP_SET_PARAMS) {
        sub(p, sizeof p, path, "uid");
        if (get_uid(L, json_object_get(o, "uid"), p, &op->uid))
            return -1;
    }
    if (op->kind == OP_REGISTER || op->kind == OP_SET_STAKE) {
        sub(p, sizeof p, path, "stake");
        if (get_u64(L, json_object_get(o, "stake"), p, &op->stake))
            return -1;
    }
    if (op->kind == OP_REGISTER && *owner != TSR_YUMA_NO_OWNER && op->uid == *owner) {
        sub(p, sizeof p, path, "uid");
        return fail(L, p, "register cannot replace the owner uid %" PRIu32 " (FORMAT §1.5)",
                    op->uid);
    }
    if (op->kind == OP_SET_WEIGHTS) {
        sub(p, sizeof p, path, "weights");
        return load_weights(L, json_object_get(o, "weights"), p, op, seen);
    }
    if (op->kind == OP_SET_PARAMS) {
        sub(p, sizeof p, path, "params");
        if (load_params(L, json_object_get(o, "params"), p, true, op->pval, op->pnull, &op->pmask))
            return -1;
        for (size_t k = 0; k < NPKEYS; k++)
            if ((op->pmask >> k & 1u) && !strcmp(PKEYS[k].name, "owner_uid"))
                *owner = op->pnull[k] ? TSR_YUMA_NO_OWNER : (uint32_t)op->pval[k];
    }
    return 0;
}

/* A vector of n entries, each null or of the given kind (expect fields, FORMAT §1.7). */
static int check_expect_vec(loader *L, const json_t *v, const char *path, int kind)
{
    char p[256], d[128];
    if (check_vec(L, v, path, L->t->n))
        return -1;
    for (size_t i = 0; i < L->t->n; i++) {
        const json_t *x = json_array_get(v, i);
        int64_t dummy;
        bool b;
        idx(p, sizeof p, path, i);
        if (json_is_null(x))
            continue;
        if (kind == K_BOOL && get_bool(L, x, p, &b))
            return -1;
        if (kind == K_U16 && get_int(L, x, p, 0, 65535, &dummy))
            return -1;
        if (kind == K_U64 && get_int(L, x, p, 0, INT64_MAX, &dummy))
            return -1;
        (void)d;
    }
    return 0;
}

static int check_expect(loader *L, const json_t *e, const char *path)
{
    static const char *const keys[] = {"consensus",       "incentive",        "dividends",
                                       "validator_trust", "validator_permit", "emission",
                                       "bonds",           "tolerance",        NULL};
    static const char *const tkeys[] = {"consensus", "incentive", "dividends", "validator_trust",
                                        "emission",  "bonds",     NULL};
    char p[256], q[256], d[128];
    if (check_keys(L, e, path, keys, NULL))
        return -1;
    for (size_t k = 0; k < 6; k++) {
        const json_t *v = json_object_get(e, keys[k]);
        int kind = k == 4 ? K_BOOL : (k == 5 ? K_U64 : K_U16);
        sub(p, sizeof p, path, keys[k]);
        if (v && check_expect_vec(L, v, p, kind))
            return -1;
    }
    const json_t *b = json_object_get(e, "bonds");
    if (b) {
        sub(p, sizeof p, path, "bonds");
        if (!json_is_array(b)) {
            describe(b, d, sizeof d);
            return fail(L, p, "expected an array of [row, col, value] cells, got %s", d);
        }
        for (size_t i = 0; i < json_array_size(b); i++) {
            const json_t *c = json_array_get(b, i);
            uint32_t u;
            int64_t x = 0;
            idx(q, sizeof q, p, i);
            if (!json_is_array(c) || json_array_size(c) != 3) {
                describe(c, d, sizeof d);
                return fail(L, q, "expected a [row, col, value] cell, got %s", d);
            }
            char r[300];
            idx(r, sizeof r, q, 0);
            if (get_uid(L, json_array_get(c, 0), r, &u))
                return -1;
            idx(r, sizeof r, q, 1);
            if (get_uid(L, json_array_get(c, 1), r, &u))
                return -1;
            idx(r, sizeof r, q, 2);
            if (get_int(L, json_array_get(c, 2), r, 0, 65535, &x))
                return -1;
        }
    }
    const json_t *tol = json_object_get(e, "tolerance");
    if (tol) {
        const char *key;
        json_t *val;
        sub(p, sizeof p, path, "tolerance");
        if (!json_is_object(tol)) {
            describe(tol, d, sizeof d);
            return fail(L, p, "expected an object, got %s", d);
        }
        json_object_foreach((json_t *)tol, key, val)
        {
            bool ok = false;
            int64_t x = 0;
            for (size_t k = 0; tkeys[k]; k++)
                ok = ok || !strcmp(key, tkeys[k]);
            if (!ok)
                return fail(L, p,
                            "unknown key '%s' (tolerances exist for consensus, incentive, "
                            "dividends, validator_trust, emission, bonds)",
                            key);
            sub(q, sizeof q, p, key);
            if (get_int(L, val, q, 0, INT64_MAX, &x))
                return -1;
        }
    }
    return 0;
}

static int load_steps(loader *L, const json_t *root)
{
    static const char *const keys[] = {"block", "ops", "epoch", "expect", "note", NULL};
    static const char *const req[] = {"block", "ops", "epoch", NULL};
    const json_t *steps = json_object_get(root, "steps");
    trace_t *t = L->t;
    char p[256], q[256], d[128];
    uint64_t last = 0;
    uint32_t owner = t->params.y.owner_uid;
    if (get_u64(L, json_object_get(json_object_get(root, "initial"), "block"), "initial.block",
                &last))
        return -1;
    size_t nsteps = json_is_array(steps) ? json_array_size(steps) : 0;
    if (nsteps == 0) {
        describe(steps, d, sizeof d);
        return fail(L, "steps", "expected a non-empty array, got %s",
                    json_is_array(steps) ? "an empty array" : d);
    }
    t->nsteps = nsteps;
    size_t nops = 0;
    for (size_t k = 0; k < t->nsteps; k++) {
        const json_t *ops = json_object_get(json_array_get(steps, k), "ops");
        nops += json_is_array(ops) ? json_array_size(ops) : 0;
    }
    t->steps = calloc(t->nsteps, sizeof *t->steps);
    t->ops = calloc(nops ? nops : 1, sizeof *t->ops);
    unsigned char *seen = malloc(t->n);
    if (!t->steps || !t->ops || !seen) {
        free(seen);
        return fail(L, NULL, "out of memory");
    }
    int rc = 0;
    for (size_t k = 0; k < t->nsteps && rc == 0; k++) {
        const json_t *s = json_array_get(steps, k);
        trace_step *st = &t->steps[k];
        idx(p, sizeof p, "steps", k);
        if ((rc = check_keys(L, s, p, keys, req)) != 0)
            break;
        sub(q, sizeof q, p, "block");
        if ((rc = get_u64(L, json_object_get(s, "block"), q, &st->block)) != 0)
            break;
        if (st->block < last) {
            rc = fail(L, q,
                      "%" PRIu64 " is smaller than the previous block %" PRIu64
                      " (blocks never decrease)",
                      st->block, last);
            break;
        }
        last = st->block;
        const json_t *ops = json_object_get(s, "ops");
        sub(q, sizeof q, p, "ops");
        if (!json_is_array(ops)) {
            describe(ops, d, sizeof d);
            rc = fail(L, q, "expected an array of operations, got %s", d);
            break;
        }
        st->op_beg = t->nops;
        st->op_n = json_array_size(ops);
        for (size_t i = 0; i < st->op_n && rc == 0; i++) {
            char r[300];
            idx(r, sizeof r, q, i);
            rc = load_op(L, json_array_get(ops, i), r, &t->ops[t->nops++], &owner, seen);
        }
        if (rc)
            break;
        sub(q, sizeof q, p, "epoch");
        if ((rc = get_bool(L, json_object_get(s, "epoch"), q, &st->epoch)) != 0)
            break;
        const json_t *e = json_object_get(s, "expect");
        sub(q, sizeof q, p, "expect");
        if (e && !st->epoch) {
            rc = fail(L, q, "only allowed when \"epoch\" is true");
            break;
        }
        if (e && (rc = check_expect(L, e, q)) != 0)
            break;
        const json_t *note = json_object_get(s, "note");
        const char *ns;
        sub(q, sizeof q, p, "note");
        if (note && (rc = get_string(L, note, q, &ns)) != 0)
            break;
    }
    free(seen);
    return rc;
}

/* Validates a parsed document into a new trace (root is consumed). */
static int load_root(const char *name, json_t *root, trace_t **out, char *err, size_t errlen)
{
    loader L = {name, err, errlen, NULL};
    L.t = calloc(1, sizeof *L.t);
    int rc = L.t ? 0 : fail(&L, NULL, "out of memory");
    if (rc == 0)
        rc = load_top(&L, root);
    if (rc == 0)
        rc = load_initial(&L, root);
    if (rc == 0)
        rc = load_steps(&L, root);
    json_decref(root);
    if (rc) {
        trace_free(L.t);
        return -1;
    }
    *out = L.t;
    return 0;
}

static int syntax_error(const char *name, const json_error_t *je, char *err, size_t errlen)
{
    snprintf(err, errlen, "%s: line %d: JSON syntax error: %s", name, je->line, je->text);
    return -1;
}

int trace_load(const char *path, trace_t **out, char *err, size_t errlen)
{
    loader L = {path, err, errlen, NULL};
    json_error_t je;
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return fail(&L, NULL, "cannot read: %s", strerror(errno));
    json_t *root = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
    fclose(f);
    return root ? load_root(path, root, out, err, errlen) : syntax_error(path, &je, err, errlen);
}

int trace_load_buffer(const char *buf, size_t len, const char *name, trace_t **out, char *err,
                      size_t errlen)
{
    json_error_t je;
    *out = NULL;
    json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
    return root ? load_root(name, root, out, err, errlen) : syntax_error(name, &je, err, errlen);
}

void trace_free(trace_t *t)
{
    if (!t)
        return;
    free(t->stake);
    free(t->reg);
    free(t->steps);
    free(t->ops);
    free(t->wpairs);
    free(t);
}

size_t trace_n(const trace_t *t)
{
    return t->n;
}

size_t trace_steps(const trace_t *t)
{
    return t->nsteps;
}

const char *trace_name(const trace_t *t)
{
    return t->name;
}

/* ---- replay ---------------------------------------------------------------------------------- */

/* The subnet state of FORMAT §1.3-§1.5 plus the epoch's buffers (all grown, never shrunk). */
typedef struct replay {
    size_t n;              /* uids */
    trace_params prm;      /* current parameters */
    uint64_t lms;          /* LastMechansimStepBlock (never changed by a trace epoch) */
    uint64_t *stake;       /* n: stake */
    uint64_t *lu;          /* n: LastUpdate */
    uint64_t *bar;         /* n: BlockAtRegistration */
    bool *permit;          /* n: ValidatorPermit */
    tsr_yuma_pair **wrow;  /* n: Weights rows */
    size_t *wlen, *wcap;   /* n: their lengths and capacities */
    size_t *bptr;          /* n + 1: Bonds, CSR */
    tsr_yuma_pair *bpairs; /* bonds pairs */
    size_t bcap;           /* capacity of bpairs */
    size_t *wptr;          /* n + 1: the epoch's weights CSR */
    tsr_yuma_pair *wflat;  /* its pairs */
    size_t wflat_cap;
    void *ws; /* epoch workspace */
    size_t ws_cap;
    uint16_t *u16buf;       /* 5n: consensus, incentive, dividends, vtrust, stake weight */
    uint64_t *u64buf;       /* 4n: emission, server, validator emission, stake */
    bool *boolbuf;          /* 2n: new permits, active */
    size_t *obptr;          /* n + 1: new bonds */
    tsr_yuma_pair *obpairs; /* new bonds pairs */
    size_t obcap;
    tsr_yuma_out out; /* the epoch's output descriptor */
} replay;

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap && *p)
        return 0;
    size_t c = *cap ? *cap : 16;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * elem);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

static void replay_clear(replay *r)
{
    if (r->wrow)
        for (size_t i = 0; i < r->n; i++)
            free(r->wrow[i]);
    free(r->wrow);
    free(r->wlen);
    free(r->wcap);
    free(r->stake);
    free(r->lu);
    free(r->bar);
    free(r->permit);
    free(r->bptr);
    free(r->bpairs);
    free(r->wptr);
    free(r->wflat);
    free(r->ws);
    free(r->u16buf);
    free(r->u64buf);
    free(r->boolbuf);
    free(r->obptr);
    free(r->obpairs);
}

static int replay_init(replay *r, const trace_t *t)
{
    size_t n = t->n;
    memset(r, 0, sizeof *r);
    r->n = n;
    r->prm = t->params;
    r->lms = t->lms;
    r->stake = malloc(n * sizeof *r->stake);
    r->lu = malloc(n * sizeof *r->lu);
    r->bar = malloc(n * sizeof *r->bar);
    r->permit = calloc(n, sizeof *r->permit);
    r->wrow = calloc(n, sizeof(tsr_yuma_pair *)); /* n row pointers */
    r->wlen = calloc(n, sizeof *r->wlen);
    r->wcap = calloc(n, sizeof *r->wcap);
    r->bptr = calloc(n + 1, sizeof *r->bptr);
    r->wptr = calloc(n + 1, sizeof *r->wptr);
    r->obptr = calloc(n + 1, sizeof *r->obptr);
    r->u16buf = calloc(5 * n, sizeof *r->u16buf);
    r->u64buf = calloc(4 * n, sizeof *r->u64buf);
    r->boolbuf = calloc(2 * n, sizeof *r->boolbuf);
    if (!r->stake || !r->lu || !r->bar || !r->permit || !r->wrow || !r->wlen || !r->wcap ||
        !r->bptr || !r->wptr || !r->obptr || !r->u16buf || !r->u64buf || !r->boolbuf)
        return -1;
    memcpy(r->stake, t->stake, n * sizeof *r->stake);
    memcpy(r->lu, t->reg, n * sizeof *r->lu); /* FORMAT §1.3: registration also sets LastUpdate */
    memcpy(r->bar, t->reg, n * sizeof *r->bar);
    tsr_yuma_out_bind(&r->out, n, r->u16buf, r->u64buf, r->boolbuf, NULL);
    return 0;
}

/* Removes from the bonds CSR every pair of row `row` (if row < n) and every pair with column
 * `col` (if col < n), keeping the order of the rest. */
static void bonds_filter(replay *r, size_t row, size_t col)
{
    size_t k = 0, beg = 0;
    for (size_t i = 0; i < r->n; i++) {
        size_t end = r->bptr[i + 1];
        for (size_t q = beg; q < end; q++)
            if (i != row && r->bpairs[q].uid != col)
                r->bpairs[k++] = r->bpairs[q];
        beg = end;
        r->bptr[i + 1] = k;
    }
}

static int apply_op(replay *r, const trace_t *t, const trace_op *op, uint64_t block)
{
    uint32_t u = op->uid;
    switch (op->kind) {
    case OP_SET_WEIGHTS: /* FORMAT §1.5: the stored row as given; LastUpdate := block */
        if (grow((void **)&r->wrow[u], &r->wcap[u], op->wlen, sizeof(tsr_yuma_pair)))
            return -1;
        if (op->wlen)
            memcpy(r->wrow[u], t->wpairs + op->wbeg, op->wlen * sizeof(tsr_yuma_pair));
        r->wlen[u] = op->wlen;
        r->lu[u] = block;
        break;
    case OP_REGISTER: /* FORMAT §1.5, spec §3.10 replace_neuron */
        r->bar[u] = r->lu[u] = block;
        r->stake[u] = op->stake;
        r->wlen[u] = 0;
        for (size_t i = 0; i < r->n; i++) {
            tsr_yuma_pair *row = r->wrow[i]; /* NULL until the first row is stored */
            for (size_t q = 0; row && q < r->wlen[i]; q++)
                if (row[q].uid == u)
                    row[q].value = 0; /* the pair keeps its place */
        }
        bonds_filter(r, u, SIZE_MAX); /* own row only; bond columns stay */
        r->permit[u] = false;
        break;
    case OP_SET_STAKE:
        r->stake[u] = op->stake;
        break;
    case OP_RESET_BONDS: /* do_reset_bonds: only with BondsResetOn */
        if (r->prm.bonds_reset)
            bonds_filter(r, SIZE_MAX, u);
        break;
    case OP_SET_PARAMS:
        for (size_t k = 0; k < NPKEYS; k++)
            if (op->pmask >> k & 1u)
                param_set(&r->prm, k, op->pval[k], op->pnull[k]);
        break;
    }
    return 0;
}

static int run_epoch(replay *r, uint64_t block, char *err, size_t errlen)
{
    size_t n = r->n, nw = 0;
    for (size_t i = 0; i < n; i++)
        nw += r->wlen[i];
    if (grow((void **)&r->wflat, &r->wflat_cap, nw ? nw : 1, sizeof(tsr_yuma_pair)))
        goto oom;
    r->wptr[0] = 0;
    for (size_t i = 0, k = 0; i < n; i++) {
        if (r->wlen[i])
            memcpy(r->wflat + k, r->wrow[i], r->wlen[i] * sizeof(tsr_yuma_pair));
        k += r->wlen[i];
        r->wptr[i + 1] = k;
    }
    size_t nb = r->bptr[n];
    size_t need = tsr_yuma_ws_size(n, nw, nb);
    size_t bcap = tsr_yuma_bonds_cap(n, nw, nb);
    if (need == 0 || grow(&r->ws, &r->ws_cap, need, 1) ||
        grow((void **)&r->obpairs, &r->obcap, bcap ? bcap : 1, sizeof(tsr_yuma_pair)))
        goto oom;
    tsr_yuma_state s;
    memset(&s, 0, sizeof s);
    s.n = n;
    s.current_block = block;
    s.last_mechanism_step_block = r->lms;
    s.alpha_stake = r->stake; /* FORMAT §1.3: I64F64(stake_i), tao weight 0 */
    s.last_update = r->lu;
    s.block_at_registration = r->bar;
    s.validator_permit = r->permit;
    s.weights.row_ptr = r->wptr;
    s.weights.pairs = r->wflat;
    s.bonds.row_ptr = r->bptr;
    s.bonds.pairs = r->bpairs;
    r->out.bonds_row_ptr = r->obptr;
    r->out.bonds = r->obpairs;
    r->out.bonds_cap = r->obcap;
    int rc = tsr_yuma_epoch(&r->prm.y, &s, r->prm.rao_emission, &r->out, r->ws, r->ws_cap);
    if (rc) {
        snprintf(err, errlen, "epoch at block %" PRIu64 " failed: %s", block, tsr_strerror(rc));
        return -1;
    }
    return 0;
oom:
    snprintf(err, errlen, "out of memory");
    return -1;
}

/* FORMAT §1.4: the epoch's new bonds and permits become the state. */
static void store_epoch(replay *r)
{
    size_t *tp = r->bptr;
    tsr_yuma_pair *tq = r->bpairs;
    size_t tc = r->bcap;
    r->bptr = r->obptr;
    r->bpairs = r->obpairs;
    r->bcap = r->obcap;
    r->obptr = tp;
    r->obpairs = tq;
    r->obcap = tc;
    memcpy(r->permit, r->out.validator_permit, r->n * sizeof(bool));
}

int trace_replay(const trace_t *t, trace_epoch_fn fn, void *ud, char *err, size_t errlen)
{
    replay r;
    int rc = 0;
    if (replay_init(&r, t)) {
        replay_clear(&r);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t k = 0; k < t->nsteps && rc == 0; k++) {
        const trace_step *st = &t->steps[k];
        for (size_t i = 0; i < st->op_n && rc == 0; i++)
            if (apply_op(&r, t, &t->ops[st->op_beg + i], st->block)) {
                snprintf(err, errlen, "out of memory");
                rc = -1;
            }
        if (rc || !st->epoch)
            continue;
        if (run_epoch(&r, st->block, err, errlen)) {
            rc = -1;
            break;
        }
        trace_epoch e = {k, st->block, r.n, &r.out};
        if (fn)
            rc = fn(ud, &e);
        store_epoch(&r);
    }
    replay_clear(&r);
    return rc;
}

/* ---- output line (FORMAT §1.6) --------------------------------------------------------------- */

static void put_u16s(FILE *f, const char *key, const uint16_t *v, size_t n)
{
    fprintf(f, ",\"%s\":[", key);
    for (size_t i = 0; i < n; i++)
        fprintf(f, i ? ",%u" : "%u", (unsigned)v[i]);
    fputc(']', f);
}

int trace_print_epoch(FILE *f, const trace_epoch *e)
{
    const tsr_yuma_out *o = e->out;
    size_t n = e->n;
    fprintf(f, "{\"step\":%zu,\"block\":%" PRIu64, e->step, e->block);
    put_u16s(f, "consensus", o->consensus, n);
    put_u16s(f, "incentive", o->incentive, n);
    put_u16s(f, "dividends", o->dividends, n);
    put_u16s(f, "validator_trust", o->validator_trust, n);
    fputs(",\"validator_permit\":[", f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s%s", i ? "," : "", o->validator_permit[i] ? "true" : "false");
    fputs("],\"emission\":[", f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, i ? ",%" PRIu64 : "%" PRIu64, o->emission[i]);
    fputs("],\"bonds\":[", f);
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ",[" : "[", f);
        for (size_t q = o->bonds_row_ptr[i]; q < o->bonds_row_ptr[i + 1]; q++)
            fprintf(f, "%s[%u,%u]", q > o->bonds_row_ptr[i] ? "," : "", (unsigned)o->bonds[q].uid,
                    (unsigned)o->bonds[q].value);
        fputc(']', f);
    }
    fputs("]}\n", f);
    return ferror(f) ? -1 : 0;
}
