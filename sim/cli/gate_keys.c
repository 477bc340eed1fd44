/*
** gate_keys.c: key metrics of `tokensim check` (syntax, semantics, default choice: gate_keys.h).
**
** A key is parsed into (function, metric, entity) or (kind, reason) and turned into one
** parameterised query; nothing is cached. The default choice walks the distinct series metrics
** of the run once (SELECT DISTINCT along the series_by_metric index) and the ledger's distinct
** (kind, reason) pairs once.
*/
#define _POSIX_C_SOURCE 200809L

#include "gate_keys.h"

#include <errno.h>
#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { KEY_MAX = 512, CHOOSE_MAX_SERIES = 40, CHOOSE_MAX_LEDGER = 24, CHOOSE_MAX_ENTITIES = 4 };

typedef enum { KF_FINAL, KF_SUM, KF_MAX, KF_MIN, KF_LEDGER } key_func;

typedef struct key_parts {
    key_func func;        /* what to compute */
    char name[KEY_MAX];   /* metric, or ledger kind */
    char reason[KEY_MAX]; /* ledger reason */
    int has_reason;       /* reason given */
    int has_entity;       /* @ENTITY given */
    int64_t entity;       /* its id */
} key_parts;

/* Splits "METRIC@ENTITY" at the last '@' followed by an integer. */
static void split_entity(key_parts *k)
{
    char *at = strrchr(k->name, '@');
    if (!at || at == k->name)
        return;
    char *end;
    errno = 0;
    long long v = strtoll(at + 1, &end, 10);
    if (errno || *end || end == at + 1)
        return;
    k->has_entity = 1;
    k->entity = v;
    *at = '\0';
}

static int parse_key(const char *key, key_parts *k, char *err, size_t errlen)
{
    static const struct {
        const char *prefix;
        key_func f;
    } funcs[] = {{"final:", KF_FINAL},
                 {"sum:", KF_SUM},
                 {"max:", KF_MAX},
                 {"min:", KF_MIN},
                 {"ledger:", KF_LEDGER}};
    memset(k, 0, sizeof *k);
    if (strlen(key) >= KEY_MAX) {
        snprintf(err, errlen, "key longer than %d bytes", KEY_MAX - 1);
        return -1;
    }
    for (size_t i = 0; i < sizeof funcs / sizeof funcs[0]; i++) {
        size_t n = strlen(funcs[i].prefix);
        if (strncmp(key, funcs[i].prefix, n) != 0)
            continue;
        k->func = funcs[i].f;
        snprintf(k->name, sizeof k->name, "%s", key + n);
        if (!k->name[0])
            break;
        if (k->func == KF_LEDGER) {
            char *colon = strchr(k->name, ':');
            if (colon) {
                *colon = '\0';
                k->has_reason = 1;
                snprintf(k->reason, sizeof k->reason, "%s", colon + 1);
            }
        } else {
            split_entity(k);
        }
        return 0;
    }
    snprintf(err, errlen,
             "key '%s' is not final:METRIC[@ENTITY], sum:, max:, min: or ledger:KIND[:REASON]",
             key);
    return -1;
}

int gate_key_check(const char *key, char *err, size_t errlen)
{
    key_parts k;
    return parse_key(key, &k, err, errlen);
}

/* The query of k: ?1 run, ?2 name, ?3 entity or reason. Column 0 value, column 1 count. */
static const char *key_sql(const key_parts *k)
{
    static const char *const series[4][2] = {
        {"SELECT sum(value), count(*) FROM series WHERE run_id = ?1 AND metric = ?2 AND t ="
         " (SELECT max(t) FROM series WHERE run_id = ?1 AND metric = ?2)",
         "SELECT sum(value), count(*) FROM series WHERE run_id = ?1 AND metric = ?2 AND"
         " entity_id = ?3 AND t = (SELECT max(t) FROM series WHERE run_id = ?1 AND metric = ?2"
         " AND entity_id = ?3)"},
        {"SELECT sum(value), count(*) FROM series WHERE run_id = ?1 AND metric = ?2",
         "SELECT sum(value), count(*) FROM series WHERE run_id = ?1 AND metric = ?2 AND"
         " entity_id = ?3"},
        {"SELECT max(value), count(*) FROM series WHERE run_id = ?1 AND metric = ?2",
         "SELECT max(value), count(*) FROM series WHERE run_id = ?1 AND metric = ?2 AND"
         " entity_id = ?3"},
        {"SELECT min(value), count(*) FROM series WHERE run_id = ?1 AND metric = ?2",
         "SELECT min(value), count(*) FROM series WHERE run_id = ?1 AND metric = ?2 AND"
         " entity_id = ?3"}};
    if (k->func == KF_LEDGER)
        return k->has_reason ? "SELECT ifnull(sum(amount >> 32), 0), ifnull(sum(amount &"
                               " 4294967295), 0) FROM ledger WHERE run_id = ?1 AND kind = ?2"
                               " AND ifnull(reason, '') = ?3"
                             : "SELECT ifnull(sum(amount >> 32), 0), ifnull(sum(amount &"
                               " 4294967295), 0) FROM ledger WHERE run_id = ?1 AND kind = ?2";
    return series[k->func][k->has_entity];
}

static void read_value(sqlite3_stmt *st, gate_value *out)
{
    memset(out, 0, sizeof *out);
    if (sqlite3_column_int64(st, 1) == 0 || sqlite3_column_type(st, 0) == SQLITE_NULL)
        return;
    out->present = 1;
    if (sqlite3_column_type(st, 0) == SQLITE_INTEGER) {
        out->is_int = 1;
        out->i = sqlite3_column_int64(st, 0);
        out->f = (double)out->i;
    } else {
        out->f = sqlite3_column_double(st, 0);
    }
}

int gate_key_eval(sqlite3 *db, int64_t run_id, const char *key, gate_value *out, char *err,
                  size_t errlen)
{
    key_parts k;
    memset(out, 0, sizeof *out);
    if (parse_key(key, &k, err, errlen) != 0)
        return -1;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, key_sql(&k), -1, &st, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s: %s", key, sqlite3_errmsg(db));
        return -1;
    }
    sqlite3_bind_int64(st, 1, run_id);
    sqlite3_bind_text(st, 2, k.name, -1, SQLITE_STATIC);
    if (k.has_reason)
        sqlite3_bind_text(st, 3, k.reason, -1, SQLITE_STATIC);
    else if (k.has_entity)
        sqlite3_bind_int64(st, 3, k.entity);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && k.func == KF_LEDGER)
        gate_value_from_split(sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), out);
    else if (rc == SQLITE_ROW)
        read_value(st, out);
    else
        snprintf(err, errlen, "%s: %s", key, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

/* ---- default choice ---- */

static int headline(const char *metric)
{
    static const char *const globs[] = {"*supply*", "*issuance*", "*burn*",     "*mint*",
                                        "*gini*",   "*top1*",     "emission_*", "*revenue_total*"};
    for (size_t i = 0; i < sizeof globs / sizeof globs[0]; i++)
        if (fnmatch(globs[i], metric, 0) == 0)
            return 1;
    return 0;
}

typedef struct chooser {
    sqlite3 *db;    /* the run's database */
    int64_t run_id; /* the run */
    gate_key_fn fn; /* output */
    void *ctx;      /* its context */
    int nseries;    /* series keys emitted */
} chooser;

/* Emits the keys of one metric (per entity or summed); 1 when stopped by fn, -1 on error. */
static int choose_metric(chooser *c, const char *metric, int64_t nent, int is_real, char *err,
                         size_t errlen)
{
    const char *tol = is_real ? "rel=1e-09" : "";
    char key[KEY_MAX + 32];
    if (nent > CHOOSE_MAX_ENTITIES || nent <= 1) {
        snprintf(key, sizeof key, "final:%s", metric);
        c->nseries++;
        return c->fn(c->ctx, key, tol) ? 1 : 0;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->db,
                           "SELECT DISTINCT entity_id FROM series WHERE run_id = ?1 AND"
                           " metric = ?2 ORDER BY entity_id",
                           -1, &st, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s", sqlite3_errmsg(c->db));
        return -1;
    }
    sqlite3_bind_int64(st, 1, c->run_id);
    sqlite3_bind_text(st, 2, metric, -1, SQLITE_TRANSIENT);
    int rc = 0;
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        snprintf(key, sizeof key, "final:%s@%lld", metric, (long long)sqlite3_column_int64(st, 0));
        c->nseries++;
        rc = c->fn(c->ctx, key, tol) ? 1 : 0;
    }
    sqlite3_finalize(st);
    return rc;
}

/* One pass over the run's metrics; all = 0 takes headline metrics only. */
static int choose_series(chooser *c, int all, char *err, size_t errlen)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->db,
                           "SELECT metric, count(DISTINCT entity_id), max(typeof(value) = 'real')"
                           " FROM series WHERE run_id = ?1 GROUP BY metric ORDER BY metric",
                           -1, &st, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s", sqlite3_errmsg(c->db));
        return -1;
    }
    sqlite3_bind_int64(st, 1, c->run_id);
    int rc = 0;
    while (rc == 0 && c->nseries < CHOOSE_MAX_SERIES && sqlite3_step(st) == SQLITE_ROW) {
        const char *m = (const char *)sqlite3_column_text(st, 0);
        /* the second pass (all) adds what the first (headline only) did not take */
        if (m && (all ? !headline(m) : headline(m)) && strlen(m) < KEY_MAX)
            rc = choose_metric(c, m, sqlite3_column_int64(st, 1), sqlite3_column_int(st, 2), err,
                               errlen);
    }
    sqlite3_finalize(st);
    return rc;
}

static int choose_ledger(chooser *c, char *err, size_t errlen)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->db,
                           "SELECT DISTINCT kind, ifnull(reason, '') FROM ledger WHERE run_id = ?1"
                           " AND kind IN ('mint', 'burn') ORDER BY 1, 2",
                           -1, &st, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s", sqlite3_errmsg(c->db));
        return -1;
    }
    sqlite3_bind_int64(st, 1, c->run_id);
    int rc = 0, n = 0;
    char key[2 * KEY_MAX];
    while (rc == 0 && n < CHOOSE_MAX_LEDGER && sqlite3_step(st) == SQLITE_ROW) {
        const char *kind = (const char *)sqlite3_column_text(st, 0);
        const char *reason = (const char *)sqlite3_column_text(st, 1);
        snprintf(key, sizeof key, "ledger:%s:%s", kind ? kind : "", reason ? reason : "");
        if (!strchr(key, ' ') && !strchr(key, '\t'))
            rc = c->fn(c->ctx, key, "") ? 1 : 0, n++;
    }
    sqlite3_finalize(st);
    return rc;
}

int gate_keys_choose(sqlite3 *db, int64_t run_id, gate_key_fn fn, void *ctx, char *err,
                     size_t errlen)
{
    chooser c = {db, run_id, fn, ctx, 0};
    int rc = choose_series(&c, 0, err, errlen);
    if (rc == 0 && c.nseries < 3)
        rc = choose_series(&c, 1, err, errlen);
    if (rc == 0)
        rc = choose_ledger(&c, err, errlen);
    return rc < 0 ? -1 : 0;
}

void gate_value_from_split(int64_t hi, int64_t lo, gate_value *out)
{
    memset(out, 0, sizeof *out);
    out->present = 1;
    uint64_t h = (uint64_t)hi + ((uint64_t)lo >> 32), l = (uint64_t)lo & 0xffffffffu;
    if (h < (UINT64_C(1) << 31)) {
        out->is_int = 1;
        out->i = (int64_t)((h << 32) | l);
        out->f = (double)out->i;
    } else {
        out->f = (double)h * 4294967296.0 + (double)l;
    }
}

/* ---- values as text ---- */

const char *gate_value_str(const gate_value *v, char *buf, size_t len)
{
    if (!v->present) {
        snprintf(buf, len, "-");
    } else if (v->is_int) {
        snprintf(buf, len, "%lld", (long long)v->i);
    } else {
        for (int prec = 15; prec <= 17; prec++) {
            snprintf(buf, len, "%.*g", prec, v->f);
            if (strtod(buf, NULL) == v->f)
                break;
        }
    }
    return buf;
}

int gate_value_parse(const char *s, gate_value *v)
{
    memset(v, 0, sizeof *v);
    char *end;
    errno = 0;
    if (!*s)
        return -1;
    if (strspn(s + (*s == '-'), "0123456789") == strlen(s + (*s == '-'))) {
        long long i = strtoll(s, &end, 10);
        if (errno || *end || end == s)
            return -1;
        v->present = v->is_int = 1;
        v->i = i;
        v->f = (double)i;
        return 0;
    }
    double f = strtod(s, &end);
    if (errno || *end || !isfinite(f))
        return -1;
    v->present = 1;
    v->f = f;
    return 0;
}
