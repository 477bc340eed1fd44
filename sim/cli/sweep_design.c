/*
** sweep_design.c: design generation for `tokensim sweep` (sweep_design.h).
**
** Randomness (LHS permutations and jitter, Morris base points, orders and levels) comes from
** a stateless hash: u64 = mix(mix(mix(seed ^ purpose) ^ a) ^ b) with mix = splitmix64's output
** function, so every number is a function of (master seed, purpose, indices) and never of the
** order in which it was asked for. Sobol points come from GSL's gsl_qrng_sobol in sequence.
** Cost: O(npoints x nparams) time and memory for sampled designs, O(1) per grid/zip value.
*/
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <gsl/gsl_qrng.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sweep_design.h"

static const char *const kind_names[] = {"mc", "grid", "zip", "lhs", "sobol", "saltelli", "morris"};

const char *sweep_kind_name(sweep_kind k)
{
    return (unsigned)k < sizeof kind_names / sizeof *kind_names ? kind_names[k] : "?";
}

int sweep_kind_parse(const char *s)
{
    for (size_t i = 0; s && i < sizeof kind_names / sizeof *kind_names; i++)
        if (strcmp(s, kind_names[i]) == 0)
            return (int)i;
    return -1;
}

uint64_t sweep_mix64(uint64_t x)
{
    uint64_t z = x + 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

uint64_t sweep_run_seed(uint64_t master, uint64_t index)
{
    return sweep_mix64(master ^ sweep_mix64(index)) & 0x7fffffffffffffffull;
}

/* A uniform double in [0, 1) from (seed, purpose, a, b). */
static double hash_unit(uint64_t seed, uint64_t purpose, uint64_t a, uint64_t b)
{
    uint64_t h = sweep_mix64(sweep_mix64(sweep_mix64(seed ^ purpose) ^ a) ^ b);
    return (double)(h >> 11) * 0x1.0p-53;
}

/* A uniform integer in [0, n) (n > 0) by the multiply-shift of a 53-bit uniform. */
static uint64_t hash_below(uint64_t seed, uint64_t purpose, uint64_t a, uint64_t b, uint64_t n)
{
    uint64_t v = (uint64_t)(hash_unit(seed, purpose, a, b) * (double)n);
    return v < n ? v : n - 1;
}

enum { P_LHS_PERM = 1, P_LHS_JITTER, P_MORRIS_BASE, P_MORRIS_ORDER };

/* ---- parsing ---- */

static int parse_num(const char *s, size_t n, double *d)
{
    char tmp[64], *end;
    if (n == 0 || n >= sizeof tmp)
        return -1;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    errno = 0;
    *d = strtod(tmp, &end);
    return (!*end && !errno && isfinite(*d)) ? 0 : -1;
}

static int push_value(sweep_param *p, const char *s, size_t n)
{
    char **v = realloc(p->values, (p->nvalues + 1) * sizeof *v);
    if (!v)
        return -1;
    p->values = v;
    if (!(v[p->nvalues] = malloc(n + 1)))
        return -1;
    memcpy(v[p->nvalues], s, n);
    v[p->nvalues++][n] = '\0';
    return 0;
}

/* Token amounts (kind 2) in whole tokens rounded to the nearest base unit (1e-9 token), as
** DIGITS[.DIGITS]; integers as such; numbers in the shortest of %.15g, %.16g, %.17g that reads
** back exactly. */
static void format_number(int kind, double x, char *buf, size_t len)
{
    if (kind == SWEEP_KEY_AMOUNT) {
        double units = floor(x * 1e9 + 0.5);
        unsigned long long whole = (unsigned long long)floor(units / 1e9);
        unsigned long long frac = (unsigned long long)(units - (double)whole * 1e9);
        int n = snprintf(buf, len, frac ? "%llu.%09llu" : "%llu", whole, frac);
        while (frac && n > 0 && (size_t)n < len && buf[n - 1] == '0')
            buf[--n] = '\0';
        return;
    }
    if (kind == SWEEP_KEY_INTEGER) {
        snprintf(buf, len, "%.0f", x);
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, len, "%.*g", prec, x);
        if (strtod(buf, NULL) == x)
            return;
    }
}

/* "LO:HI:N": N evenly spaced values from LO to HI. */
static int spaced_list(sweep_param *p, const char *v, char *err, size_t errlen)
{
    const char *c1 = strchr(v, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    double lo, hi, n;
    if (!c2 || parse_num(v, (size_t)(c1 - v), &lo) ||
        parse_num(c1 + 1, (size_t)(c2 - c1 - 1), &hi) || parse_num(c2 + 1, strlen(c2 + 1), &n) ||
        n < 2 || n > 1e6 || n != floor(n) || !(lo < hi)) {
        snprintf(err, errlen, "%s: expected LO:HI:N with LO < HI and N in [2, 1e6]", p->key);
        return -1;
    }
    for (long k = 0; k < (long)n; k++) { /* n is an integer in [2, 1e6] */
        double i = (double)k;
        double x = i == n - 1 ? hi : lo + (hi - lo) * (i / (n - 1));
        char buf[64];
        format_number(p->integer, p->integer == SWEEP_KEY_INTEGER ? floor(x + 0.5) : x, buf,
                      sizeof buf);
        if (p->nvalues && strcmp(buf, p->values[p->nvalues - 1]) == 0)
            continue; /* integer rounding merged two neighbours */
        if (push_value(p, buf, strlen(buf)) != 0)
            return -1;
    }
    return 0;
}

static int value_list(sweep_param *p, const char *v, char *err, size_t errlen)
{
    if (strchr(v, ':') && !strchr(v, ','))
        return spaced_list(p, v, err, errlen);
    for (const char *s = v;;) {
        const char *c = strchr(s, ',');
        size_t n = c ? (size_t)(c - s) : strlen(s);
        if (n == 0) {
            snprintf(err, errlen, "%s: empty value in list '%s'", p->key, v);
            return -1;
        }
        if (push_value(p, s, n) != 0)
            return -1;
        if (!c)
            return 0;
        s = c + 1;
    }
}

static int range(sweep_param *p, const char *v, char *err, size_t errlen)
{
    const char *c = strchr(v, ':');
    if (!c || parse_num(v, (size_t)(c - v), &p->lo) || parse_num(c + 1, strlen(c + 1), &p->hi) ||
        !(p->lo < p->hi)) {
        snprintf(err, errlen, "%s: expected LO:HI with numbers LO < HI, got '%s'", p->key, v);
        return -1;
    }
    if (p->integer == SWEEP_KEY_AMOUNT && !(p->lo >= 0.0 && p->hi <= 1.8e10)) {
        snprintf(err, errlen, "%s is a token amount: LO and HI must be in [0, 1.8e10] tokens",
                 p->key);
        return -1;
    }
    if (p->integer == SWEEP_KEY_INTEGER && (p->lo != floor(p->lo) || p->hi != floor(p->hi))) {
        snprintf(err, errlen, "%s is an integer key: LO and HI must be integers", p->key);
        return -1;
    }
    p->ranged = 1;
    return 0;
}

int sweep_design_add(sweep_design *d, const char *spec, int ranged, int integer, char *err,
                     size_t errlen)
{
    const char *eq = strchr(spec, '=');
    if (!eq || eq == spec || (size_t)(eq - spec) >= sizeof d->params[0].key || !eq[1]) {
        snprintf(err, errlen, "expected KEY=%s, got '%s'", ranged ? "LO:HI" : "V1,V2,...", spec);
        return -1;
    }
    if (d->nparams == SWEEP_MAX_PARAMS) {
        snprintf(err, errlen, "at most %d swept keys", SWEEP_MAX_PARAMS);
        return -1;
    }
    sweep_param *p = &d->params[d->nparams];
    memset(p, 0, sizeof *p);
    snprintf(p->key, sizeof p->key, "%.*s", (int)(eq - spec), spec);
    for (size_t i = 0; i < d->nparams; i++)
        if (strcmp(d->params[i].key, p->key) == 0) {
            snprintf(err, errlen, "%s is swept twice", p->key);
            return -1;
        }
    p->integer = integer;
    d->nparams++;
    int rc = ranged ? range(p, eq + 1, err, errlen) : value_list(p, eq + 1, err, errlen);
    if (rc != 0 && !err[0])
        snprintf(err, errlen, "out of memory");
    return rc;
}

/* ---- building ---- */

static int lhs(sweep_design *d)
{
    uint64_t n = d->samples;
    uint64_t *perm = malloc(n * sizeof *perm);
    if (!perm)
        return -1;
    for (size_t j = 0; j < d->nparams; j++) {
        for (uint64_t i = 0; i < n; i++)
            perm[i] = i;
        for (uint64_t i = n - 1; i > 0; i--) { /* Fisher-Yates, keyed by (dim, position) */
            uint64_t k = hash_below(d->master_seed, P_LHS_PERM, j, i, i + 1), t = perm[i];
            perm[i] = perm[k];
            perm[k] = t;
        }
        for (uint64_t i = 0; i < n; i++)
            d->unit[i * d->nparams + j] =
                ((double)perm[i] + hash_unit(d->master_seed, P_LHS_JITTER, j, i)) / (double)n;
    }
    free(perm);
    return 0;
}

static int sobol(sweep_design *d, unsigned dim)
{
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, dim);
    double x[40];
    size_t k = d->nparams;
    if (!q)
        return -1;
    for (uint64_t i = 0; i < d->samples; i++) {
        gsl_qrng_get(q, x);
        if (d->kind == SWEEP_SOBOL) {
            memcpy(&d->unit[i * k], x, k * sizeof *x);
            continue;
        }
        /* Saltelli block i: A (first k dims), B (last k), then AB_j = A with column j of B. */
        double *blk = &d->unit[i * (k + 2) * k];
        memcpy(blk, x, k * sizeof *x);
        memcpy(blk + k, x + k, k * sizeof *x);
        for (size_t j = 0; j < k; j++) {
            memcpy(blk + (2 + j) * k, x, k * sizeof *x);
            blk[(2 + j) * k + j] = x[k + j];
        }
    }
    gsl_qrng_free(q);
    return 0;
}

/* Trajectory t: a base point on the grid {0, 1/(p-1), ..., 1}, then one step of
** delta = p / (2 (p - 1)) per parameter in a random order, up when it stays <= 1, else down. */
static void morris(sweep_design *d)
{
    size_t k = d->nparams;
    uint32_t p = d->levels;
    double delta = (double)p / (2.0 * (double)(p - 1));
    for (uint64_t t = 0; t < d->samples; t++) {
        double *pt = &d->unit[t * (k + 1) * k];
        size_t order[SWEEP_MAX_PARAMS];
        for (size_t j = 0; j < k; j++) {
            pt[j] = (double)hash_below(d->master_seed, P_MORRIS_BASE, t, j, p) / (double)(p - 1);
            order[j] = j;
        }
        for (size_t j = k - 1; j > 0; j--) {
            size_t r = (size_t)hash_below(d->master_seed, P_MORRIS_ORDER, t, j, j + 1),
                   s = order[j];
            order[j] = order[r];
            order[r] = s;
        }
        for (size_t s = 0; s < k; s++) {
            double *next = pt + k;
            memcpy(next, pt, k * sizeof *pt);
            size_t j = order[s];
            next[j] = pt[j] + delta <= 1.0 + 1e-12 ? pt[j] + delta : pt[j] - delta;
            if (next[j] > 1.0)
                next[j] = 1.0;
            if (next[j] < 0.0)
                next[j] = 0.0;
            pt = next;
        }
    }
}

static int check_params(sweep_design *d, char *err, size_t errlen)
{
    int sampled = d->kind >= SWEEP_LHS;
    for (size_t j = 0; j < d->nparams; j++) {
        if (d->params[j].ranged != sampled) {
            snprintf(err, errlen, "%s: %s", d->params[j].key,
                     sampled ? "sampled designs take --range KEY=LO:HI"
                             : "grid and zip designs take value lists");
            return -1;
        }
        if (d->kind == SWEEP_ZIP && d->params[j].nvalues != d->params[0].nvalues) {
            snprintf(err, errlen, "zip: %s has %zu values but %s has %zu", d->params[j].key,
                     d->params[j].nvalues, d->params[0].key, d->params[0].nvalues);
            return -1;
        }
    }
    if ((d->kind != SWEEP_MC) != (d->nparams > 0)) {
        snprintf(err, errlen,
                 d->nparams ? "a replication-only sweep takes no swept keys"
                            : "the %s design needs at least one swept key",
                 sweep_kind_name(d->kind));
        return -1;
    }
    if (sampled && (d->samples < 1 || d->samples > 10000000)) {
        snprintf(err, errlen, "--samples must be in [1, 1e7] for the %s design",
                 sweep_kind_name(d->kind));
        return -1;
    }
    if (d->kind == SWEEP_MORRIS && (d->levels < 2 || d->levels % 2 || d->levels > 1000)) {
        snprintf(err, errlen, "--levels must be an even number in [2, 1000]");
        return -1;
    }
    if ((d->kind == SWEEP_SOBOL && d->nparams > 40) ||
        (d->kind == SWEEP_SALTELLI && d->nparams > 20)) {
        snprintf(err, errlen, "GSL's Sobol sequence has at most 40 dimensions");
        return -1;
    }
    return 0;
}

static uint64_t count_points(const sweep_design *d)
{
    uint64_t n = 1, k = d->nparams;
    switch (d->kind) {
    case SWEEP_MC:
        return 1;
    case SWEEP_GRID:
        for (size_t j = 0; j < d->nparams; j++)
            n = n > UINT32_MAX ? n : n * d->params[j].nvalues;
        return n;
    case SWEEP_ZIP:
        return d->params[0].nvalues;
    case SWEEP_LHS:
    case SWEEP_SOBOL:
        return d->samples;
    case SWEEP_SALTELLI:
        return d->samples * (k + 2);
    case SWEEP_MORRIS:
        return d->samples * (k + 1);
    }
    return 0;
}

int sweep_design_build(sweep_design *d, char *err, size_t errlen)
{
    if (d->reps < 1)
        d->reps = 1;
    if (check_params(d, err, errlen) != 0)
        return -1;
    d->npoints = count_points(d);
    if (d->npoints == 0 || d->npoints > UINT32_MAX || d->reps > UINT32_MAX ||
        d->npoints * d->reps > UINT32_MAX) {
        snprintf(err, errlen, "the design has %llu points x %llu runs each: at most 2^32 - 1 runs",
                 (unsigned long long)d->npoints, (unsigned long long)d->reps);
        return -1;
    }
    d->nruns = d->npoints * d->reps;
    if (d->kind < SWEEP_LHS)
        return 0;
    d->unit = calloc(d->npoints * d->nparams, sizeof *d->unit);
    int rc = d->unit ? 0 : -1;
    if (rc == 0 && d->kind == SWEEP_LHS)
        rc = lhs(d);
    else if (rc == 0 && d->kind == SWEEP_MORRIS)
        morris(d);
    else if (rc == 0)
        rc = sobol(d, (unsigned)(d->kind == SWEEP_SALTELLI ? 2 * d->nparams : d->nparams));
    if (rc != 0)
        snprintf(err, errlen, "out of memory building the design");
    return rc;
}

void sweep_design_clear(sweep_design *d)
{
    for (size_t j = 0; j < d->nparams; j++) {
        for (size_t i = 0; i < d->params[j].nvalues; i++)
            free(d->params[j].values[i]);
        free(d->params[j].values);
        d->params[j].values = NULL;
        d->params[j].nvalues = 0;
    }
    free(d->unit);
    d->unit = NULL;
}

/* ---- values ---- */

void sweep_design_value(const sweep_design *d, uint64_t p, size_t j, char *buf, size_t len)
{
    const sweep_param *pa = &d->params[j];
    if (d->kind == SWEEP_ZIP) {
        snprintf(buf, len, "%s", pa->values[p]);
        return;
    }
    if (d->kind == SWEEP_GRID) {
        for (size_t i = d->nparams - 1; i > j; i--) /* last key fastest */
            p /= d->params[i].nvalues;
        snprintf(buf, len, "%s", pa->values[p % pa->nvalues]);
        return;
    }
    double u = d->unit[p * d->nparams + j], x;
    if (pa->integer == SWEEP_KEY_INTEGER) {
        x = pa->lo + floor(u * (pa->hi - pa->lo + 1.0));
        x = x > pa->hi ? pa->hi : x;
    } else {
        x = pa->lo + u * (pa->hi - pa->lo);
    }
    format_number(pa->integer, x, buf, len);
}

/* Common random numbers: every point's replicate r has the same seed, the master seed for r = 0
** (so a CRN design of one replicate is replicate 0 of one with more) and run r's seed beyond, so
** the replicates of a point differ; otherwise each run has its own. */
uint64_t sweep_design_seed(const sweep_design *d, uint64_t i)
{
    if (!d->crn)
        return sweep_run_seed(d->master_seed, i);
    uint64_t r = d->reps > 1 ? i % d->reps : 0;
    return r == 0 ? d->master_seed : sweep_run_seed(d->master_seed, r);
}

void sweep_design_spec(const sweep_design *d, char *buf, size_t len)
{
    size_t n =
        (size_t)snprintf(buf, len, "%s samples=%llu levels=%u runs=%llu seed=%llu crn=%d",
                         sweep_kind_name(d->kind), (unsigned long long)d->samples, d->levels,
                         (unsigned long long)d->reps, (unsigned long long)d->master_seed, d->crn);
    for (size_t j = 0; j < d->nparams && n < len; j++) {
        const sweep_param *p = &d->params[j];
        if (p->ranged) {
            n += (size_t)snprintf(buf + n, len - n, " %s=%.17g:%.17g%s", p->key, p->lo, p->hi,
                                  p->integer == SWEEP_KEY_INTEGER  ? "i"
                                  : p->integer == SWEEP_KEY_AMOUNT ? "t"
                                                                   : "");
            continue;
        }
        n += (size_t)snprintf(buf + n, len - n, " %s=", p->key);
        for (size_t i = 0; i < p->nvalues && n < len; i++)
            n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? "," : "", p->values[i]);
    }
}

/* Appends text as JSON. as_is 1: verbatim; 0: numbers, true and false exactly as written (their
** text is valid JSON), anything else as a quoted, escaped string; -1: always quoted. */
static int append_json(char *buf, size_t len, size_t *n, const char *text, int as_is)
{
    json_t *v = as_is ? NULL : json_loads(text, JSON_DECODE_ANY, NULL);
    int raw = as_is == 1 || (v && (json_is_number(v) || json_is_boolean(v)));
    json_decref(v);
    char *q = NULL;
    if (!raw) {
        json_t *str = json_string(text);
        q = str ? json_dumps(str, JSON_ENCODE_ANY) : NULL;
        json_decref(str);
        if (!q)
            return -1;
    }
    int w = snprintf(buf + *n, len - *n, "%s", raw ? text : q);
    free(q);
    if (w < 0 || (size_t)w >= len - *n)
        return -1;
    *n += (size_t)w;
    return 0;
}

int sweep_design_params_json(const sweep_design *d, uint64_t i, char *buf, size_t len)
{
    size_t n = 0;
    uint64_t p = i / d->reps;
    int rc = append_json(buf, len, &n, "{", 1);
    for (size_t j = 0; rc == 0 && j < d->nparams; j++) {
        char v[512];
        sweep_design_value(d, p, j, v, sizeof v);
        rc = append_json(buf, len, &n, j ? ", " : "", 1);
        if (rc == 0)
            rc = append_json(buf, len, &n, d->params[j].key, -1);
        if (rc == 0)
            rc = append_json(buf, len, &n, ": ", 1);
        if (rc == 0)
            rc = append_json(buf, len, &n, v, d->params[j].ranged);
    }
    if (rc == 0)
        rc = append_json(buf, len, &n, "}", 1);
    return rc;
}
