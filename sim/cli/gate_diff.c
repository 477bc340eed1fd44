/*
** gate_diff.c: the comparison engine of `tokensim diff` (gate_diff.h).
**
** Two read-only connections, one per database; every comparison is a merge of two cursors that
** SQLite returns in the same order (runs by scenario/index, series along the series_by_metric
** index, ledger totals grouped by kind and reason). Nothing is loaded beyond the current row of
** each cursor and the running totals of the current metric: memory is flat in the size of the
** databases, time linear in the rows read (plus SQLite's small group sorts).
*/
#define _POSIX_C_SOURCE 200809L

#include "gate_diff.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gate_keys.h"
#include "store.h"

/* ---- opening ---- */

static int probe(sqlite3 *db, const char *sql, const char *path, char *err, size_t errlen)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        snprintf(err, errlen, "%s: not a readable tokensim database (%s)", path,
                 sqlite3_errmsg(db));
        sqlite3_finalize(st);
        return -1;
    }
    sqlite3_finalize(st);
    return 0;
}

static int check_version(sqlite3 *db, const char *path, char *err, size_t errlen)
{
    sqlite3_stmt *st = NULL;
    const char *sql = "SELECT value FROM meta WHERE key = 'schema_version'";
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s: not a tokensim database (%s)", path, sqlite3_errmsg(db));
        return -1;
    }
    int rc = sqlite3_step(st), ok = -1;
    if (rc == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(st, 0);
        char *end = NULL;
        long ver = v ? strtol(v, &end, 10) : 0;
        if (v && *v && !*end && ver >= 1 && ver <= STORE_SCHEMA_VERSION)
            ok = 0;
        else
            snprintf(err, errlen, "%s: schema version '%s' is not one this build reads (1 to %d)",
                     path, v ? v : "", STORE_SCHEMA_VERSION);
    } else if (rc == SQLITE_DONE) {
        snprintf(err, errlen, "%s: not a tokensim database (no schema_version in meta)", path);
    } else {
        snprintf(err, errlen, "%s: not a readable tokensim database (%s)", path,
                 sqlite3_errmsg(db));
    }
    sqlite3_finalize(st);
    return ok;
}

sqlite3 *gate_db_open(const char *path, char *err, size_t errlen)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    if (!S_ISREG(sb.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file", path);
        return NULL;
    }
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s: cannot open (%s)", path, db ? sqlite3_errmsg(db) : "no memory");
        sqlite3_close(db);
        return NULL;
    }
    if (check_version(db, path, err, errlen) != 0 ||
        probe(db, "SELECT run_id, run_index, scenario_name, status, digest FROM runs LIMIT 1", path,
              err, errlen) != 0 ||
        probe(db, "SELECT metric, entity_id, t, block, value FROM series LIMIT 1", path, err,
              errlen) != 0 ||
        probe(db, "SELECT kind, reason, amount FROM ledger LIMIT 1", path, err, errlen) != 0) {
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

/* ---- cursors ---- */

typedef struct cursor {
    sqlite3 *db;      /* connection */
    sqlite3_stmt *st; /* the ordered query */
    const char *path; /* for messages */
    int row;          /* 1: st holds a row */
} cursor;

static int cur_prepare(cursor *c, sqlite3 *db, const char *path, const char *sql, char *err,
                       size_t errlen)
{
    c->db = db;
    c->path = path;
    c->row = 0;
    if (sqlite3_prepare_v2(db, sql, -1, &c->st, NULL) == SQLITE_OK)
        return 0;
    snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(db));
    return GATE_EINPUT;
}

static int cur_step(cursor *c, char *err, size_t errlen)
{
    int rc = sqlite3_step(c->st);
    c->row = rc == SQLITE_ROW;
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        return 0;
    snprintf(err, errlen, "%s: %s", c->path, sqlite3_errmsg(c->db));
    return rc == SQLITE_NOMEM ? GATE_ENOMEM : GATE_EINPUT;
}

/* Rebinds c to run_id and steps to the first row. */
static int cur_start(cursor *c, int64_t run_id, char *err, size_t errlen)
{
    sqlite3_reset(c->st);
    sqlite3_bind_int64(c->st, 1, run_id);
    return cur_step(c, err, errlen);
}

static const char *col_text(const cursor *c, int col)
{
    const char *s = (const char *)sqlite3_column_text(c->st, col);
    return s ? s : "";
}

static int cmp_i64(int64_t a, int64_t b)
{
    return a < b ? -1 : a > b;
}

/* ---- values ---- */

typedef struct gval {
    int is_int;      /* 1: i is exact */
    int64_t i;       /* integer value */
    double f;        /* value as double */
    int split;       /* 1: an exact ledger total hi * 2^32 + lo (beyond int64 when not is_int) */
    uint64_t hi, lo; /* its parts, lo < 2^32 */
} gval;

static gval col_val(const cursor *c, int col)
{
    gval v = {0, 0, 0, 0, 0, 0};
    if (sqlite3_column_type(c->st, col) == SQLITE_INTEGER) {
        v.is_int = 1;
        v.i = sqlite3_column_int64(c->st, col);
        v.f = (double)v.i;
    } else {
        v.f = sqlite3_column_double(c->st, col);
    }
    return v;
}

/* |b - a| (exact for two integers up to the double's rounding); *changed when they differ. */
static double abs_change(gval a, gval b, int *changed)
{
    if (a.is_int && b.is_int) {
        *changed = a.i != b.i;
        uint64_t d = a.i >= b.i ? (uint64_t)a.i - (uint64_t)b.i : (uint64_t)b.i - (uint64_t)a.i;
        return (double)d;
    }
    if (a.split && b.split) { /* exact even where the doubles round alike */
        *changed = a.hi != b.hi || a.lo != b.lo;
        double dh = (double)b.hi - (double)a.hi, dl = (double)b.lo - (double)a.lo;
        return fabs(dh * 4294967296.0 + dl);
    }
    *changed = a.f != b.f;
    return fabs(b.f - a.f);
}

/* ---- one metric's running totals ---- */

typedef struct acc {
    gate_row row;          /* what is being built */
    char *metric;          /* owned copy of row.metric */
    size_t cap;            /* bytes allocated for metric */
    int active;            /* a metric is open */
    int has_first_changed; /* first_changed is set */
    int64_t first_changed; /* smallest block among changed points */
} acc;

typedef struct engine {
    const gate_diff_opts *o; /* options */
    const gate_sink *sink;   /* output */
    gate_diff_stats *stats;  /* totals */
    char *err;               /* message buffer */
    size_t errlen;           /* its size */
    cursor bser, nser;       /* series of the current pair */
    cursor bled, nled;       /* ledger totals of the current pair */
    acc a;                   /* current metric */
} engine;

static int acc_start(engine *e, const gate_pair *p, const char *metric, int is_ledger)
{
    acc *a = &e->a;
    size_t n = strlen(metric) + 1;
    if (n > a->cap) {
        char *m = realloc(a->metric, n);
        if (!m) {
            snprintf(e->err, e->errlen, "out of memory");
            return GATE_ENOMEM;
        }
        a->metric = m;
        a->cap = n;
    }
    memcpy(a->metric, metric, n);
    memset(&a->row, 0, sizeof a->row);
    a->row.pair = p;
    a->row.metric = a->metric;
    a->row.is_ledger = is_ledger;
    a->row.tol = gate_tolset_lookup(e->o->tols, metric);
    a->active = 1;
    a->has_first_changed = 0;
    return 0;
}

static void note_block(int *has, int64_t *first, int64_t block)
{
    if (!*has || block < *first)
        *first = block;
    *has = 1;
}

/* One key present on both sides. */
static void acc_point(acc *a, gval b, gval n, int64_t block)
{
    gate_row *r = &a->row;
    int changed = 0;
    double d = abs_change(b, n, &changed);
    r->points++;
    if (!changed)
        return;
    r->changed++;
    double rel = b.f != 0 ? d / fabs(b.f) : (double)INFINITY;
    if (d > r->max_abs)
        r->max_abs = d;
    if (rel > r->max_rel)
        r->max_rel = rel;
    note_block(&a->has_first_changed, &a->first_changed, block);
    if (!gate_tol_admits(&r->tol, b.f, d)) {
        r->beyond++;
        note_block(&r->has_first, &r->first_block, block);
    }
}

/* One key present on one side only. */
static void acc_lonely(acc *a, int in_base, int64_t block)
{
    gate_row *r = &a->row;
    if (in_base)
        r->only_base++;
    else
        r->only_new++;
    note_block(&a->has_first_changed, &a->first_changed, block);
    if (!r->tol.ignore) {
        r->beyond++;
        note_block(&r->has_first, &r->first_block, block);
    }
}

static int acc_flush(engine *e)
{
    acc *a = &e->a;
    if (!a->active)
        return 0;
    a->active = 0;
    gate_row *r = &a->row;
    if (!r->has_first && a->has_first_changed) {
        r->has_first = 1;
        r->first_block = a->first_changed;
    }
    e->stats->metrics++;
    if (r->changed || r->only_base || r->only_new)
        e->stats->metrics_changed++;
    if (r->beyond)
        e->stats->metrics_beyond++;
    if (e->sink->row && e->sink->row(e->sink->ctx, r) != 0)
        return GATE_ESTOP;
    return 0;
}

/* ---- series ---- */

static const char series_sql[] = "SELECT metric, entity_id, t, block, value FROM series"
                                 " WHERE run_id = ?1 ORDER BY metric, entity_id, t";

static int series_cmp(const cursor *b, const cursor *n)
{
    if (!b->row)
        return 1;
    if (!n->row)
        return -1;
    int c = strcmp(col_text(b, 0), col_text(n, 0));
    if (c)
        return c < 0 ? -1 : 1;
    c = cmp_i64(sqlite3_column_int64(b->st, 1), sqlite3_column_int64(n->st, 1));
    if (c)
        return c;
    return cmp_i64(sqlite3_column_int64(b->st, 2), sqlite3_column_int64(n->st, 2));
}

/* Steps past the row(s) just merged: the base cursor when it led or tied (c <= 0), the new one
** when it led or tied (c >= 0). */
static int cur_advance(engine *e, cursor *b, cursor *n, int c)
{
    int rc = 0;
    if (c <= 0)
        rc = cur_step(b, e->err, e->errlen);
    if (rc == 0 && c >= 0)
        rc = cur_step(n, e->err, e->errlen);
    return rc;
}

/* Positions both cursors of one table on the pair's two runs. */
static int cur_start_pair(engine *e, cursor *b, cursor *n, const gate_pair *p)
{
    int rc = cur_start(b, p->base.run_id, e->err, e->errlen);
    return rc ? rc : cur_start(n, p->now.run_id, e->err, e->errlen);
}

/* Consumes the smaller key (both when equal) into the current metric. */
static int series_take(engine *e, const gate_pair *p)
{
    cursor *b = &e->bser, *n = &e->nser;
    int c = series_cmp(b, n), rc = 0;
    const cursor *lead = c <= 0 ? b : n;
    const char *metric = col_text(lead, 0);
    if (!e->a.active || strcmp(metric, e->a.metric) != 0) {
        if ((rc = acc_flush(e)) != 0 || (rc = acc_start(e, p, metric, 0)) != 0)
            return rc;
    }
    int64_t block = sqlite3_column_int64(lead->st, 3);
    if (c == 0)
        acc_point(&e->a, col_val(b, 4), col_val(n, 4), block);
    else
        acc_lonely(&e->a, c < 0, block);
    return cur_advance(e, b, n, c);
}

static int compare_series(engine *e, const gate_pair *p)
{
    int rc = cur_start_pair(e, &e->bser, &e->nser, p);
    while (rc == 0 && (e->bser.row || e->nser.row))
        rc = series_take(e, p);
    if (rc == 0)
        rc = acc_flush(e);
    return rc;
}

/* ---- ledger totals ---- */

static const char ledger_sql[] =
    "SELECT kind, ifnull(reason, ''), sum(amount >> 32), sum(amount & 4294967295) FROM ledger"
    " WHERE run_id = ?1"
    " GROUP BY kind, ifnull(reason, '') ORDER BY kind, ifnull(reason, '')";

/* The total of the current group, exact while it fits int64 (gate_value_from_split). */
static gval ledger_total(const cursor *c)
{
    gate_value v;
    int64_t hi = sqlite3_column_int64(c->st, 2), lo = sqlite3_column_int64(c->st, 3);
    gate_value_from_split(hi, lo, &v);
    gval g = {
        v.is_int, v.i, v.f, 1, (uint64_t)hi + ((uint64_t)lo >> 32), (uint64_t)lo & 0xffffffffu};
    return g;
}

static int ledger_cmp(const cursor *b, const cursor *n)
{
    if (!b->row)
        return 1;
    if (!n->row)
        return -1;
    int c = strcmp(col_text(b, 0), col_text(n, 0));
    if (!c)
        c = strcmp(col_text(b, 1), col_text(n, 1));
    return c < 0 ? -1 : c > 0;
}

static int ledger_take(engine *e, const gate_pair *p)
{
    cursor *b = &e->bled, *n = &e->nled;
    int c = ledger_cmp(b, n), rc;
    const cursor *lead = c <= 0 ? b : n;
    char name[512];
    snprintf(name, sizeof name, "ledger:%s:%s", col_text(lead, 0), col_text(lead, 1));
    if ((rc = acc_start(e, p, name, 1)) != 0)
        return rc;
    /* a ledger total has no block of its own: first_block stays unset */
    if (c == 0)
        acc_point(&e->a, ledger_total(b), ledger_total(n), 0);
    else
        acc_lonely(&e->a, c < 0, 0);
    e->a.row.has_first = 0;
    e->a.has_first_changed = 0;
    if ((rc = acc_flush(e)) != 0)
        return rc;
    return cur_advance(e, b, n, c);
}

static int compare_ledger(engine *e, const gate_pair *p)
{
    int rc = cur_start_pair(e, &e->bled, &e->nled, p);
    while (rc == 0 && (e->bled.row || e->nled.row))
        rc = ledger_take(e, p);
    return rc;
}

/* ---- runs ---- */

static const char runs_sql[] =
    "SELECT run_id, run_index, scenario_name, status, ifnull(digest, ''),"
    " row_number() OVER (PARTITION BY scenario_name, run_index ORDER BY run_id)"
    " FROM runs ORDER BY scenario_name, run_index, run_id";
static const char run_sql[] =
    "SELECT run_id, run_index, scenario_name, status, ifnull(digest, ''), 1"
    " FROM runs WHERE run_id = ?1";

static void read_run(const cursor *c, gate_run *r)
{
    memset(r, 0, sizeof *r);
    r->present = 1;
    r->run_id = sqlite3_column_int64(c->st, 0);
    r->run_index = sqlite3_column_int64(c->st, 1);
    snprintf(r->scenario, sizeof r->scenario, "%s", col_text(c, 2));
    snprintf(r->status, sizeof r->status, "%s", col_text(c, 3));
    snprintf(r->digest, sizeof r->digest, "%s", col_text(c, 4));
}

static int runs_cmp(const cursor *b, const cursor *n)
{
    if (!b->row)
        return 1;
    if (!n->row)
        return -1;
    int c = strcmp(col_text(b, 2), col_text(n, 2));
    if (c)
        return c < 0 ? -1 : 1;
    c = cmp_i64(sqlite3_column_int64(b->st, 1), sqlite3_column_int64(n->st, 1));
    if (c)
        return c;
    return cmp_i64(sqlite3_column_int64(b->st, 5), sqlite3_column_int64(n->st, 5));
}

/* Compares one pair (or reports an unmatched run). */
static int compare_pair(engine *e, gate_pair *p)
{
    gate_diff_stats *s = e->stats;
    if (p->base.present && p->now.present) {
        p->status_changed = strcmp(p->base.status, p->now.status) != 0;
        p->digest_changed = strcmp(p->base.digest, p->now.digest) != 0;
        s->pairs++;
        s->status_changed += p->status_changed;
        s->digests_changed += p->digest_changed;
    } else if (p->base.present) {
        s->only_base++;
    } else {
        s->only_new++;
    }
    if (e->sink->pair && e->sink->pair(e->sink->ctx, p) != 0)
        return GATE_ESTOP;
    if (!p->base.present || !p->now.present)
        return 0;
    int rc = compare_series(e, p);
    return rc ? rc : compare_ledger(e, p);
}

static int take_run(engine *e, cursor *b, cursor *n)
{
    gate_pair p;
    memset(&p, 0, sizeof p);
    int c = runs_cmp(b, n), rc;
    if (c <= 0)
        read_run(b, &p.base);
    if (c >= 0)
        read_run(n, &p.now);
    if ((rc = compare_pair(e, &p)) != 0)
        return rc;
    return cur_advance(e, b, n, c);
}

static int count_runs(sqlite3 *db, const char *path, int64_t *out, char *err, size_t errlen)
{
    cursor c;
    int rc = cur_prepare(&c, db, path, "SELECT count(*) FROM runs", err, errlen);
    if (rc == 0)
        rc = cur_step(&c, err, errlen);
    if (rc == 0)
        *out = c.row ? sqlite3_column_int64(c.st, 0) : 0;
    sqlite3_finalize(c.st);
    return rc;
}

/* The explicit pair of --run: both ids must exist. */
static int start_explicit(engine *e, cursor *b, cursor *n)
{
    int rc = cur_start(b, e->o->base_run, e->err, e->errlen);
    if (rc == 0 && !b->row) {
        snprintf(e->err, e->errlen, "%s: no run with id %lld", e->o->base_path,
                 (long long)e->o->base_run);
        return GATE_EINPUT;
    }
    if (rc == 0)
        rc = cur_start(n, e->o->new_run, e->err, e->errlen);
    if (rc == 0 && !n->row) {
        snprintf(e->err, e->errlen, "%s: no run with id %lld", e->o->new_path,
                 (long long)e->o->new_run);
        return GATE_EINPUT;
    }
    if (rc != 0)
        return rc;
    gate_pair p;
    memset(&p, 0, sizeof p);
    read_run(b, &p.base);
    read_run(n, &p.now);
    return compare_pair(e, &p);
}

static int compare_runs(engine *e, sqlite3 *bdb, sqlite3 *ndb)
{
    const gate_diff_opts *o = e->o;
    const char *sql = o->base_run > 0 ? run_sql : runs_sql;
    cursor b = {0}, n = {0};
    int rc = cur_prepare(&b, bdb, o->base_path, sql, e->err, e->errlen);
    if (rc == 0)
        rc = cur_prepare(&n, ndb, o->new_path, sql, e->err, e->errlen);
    if (rc == 0 && o->base_run > 0) {
        rc = start_explicit(e, &b, &n);
    } else if (rc == 0) {
        rc = cur_step(&b, e->err, e->errlen);
        if (rc == 0)
            rc = cur_step(&n, e->err, e->errlen);
        while (rc == 0 && (b.row || n.row))
            rc = take_run(e, &b, &n);
    }
    sqlite3_finalize(b.st);
    sqlite3_finalize(n.st);
    return rc;
}

static int prepare_all(engine *e, sqlite3 *bdb, sqlite3 *ndb)
{
    const gate_diff_opts *o = e->o;
    int rc = cur_prepare(&e->bser, bdb, o->base_path, series_sql, e->err, e->errlen);
    if (rc == 0)
        rc = cur_prepare(&e->nser, ndb, o->new_path, series_sql, e->err, e->errlen);
    if (rc == 0)
        rc = cur_prepare(&e->bled, bdb, o->base_path, ledger_sql, e->err, e->errlen);
    if (rc == 0)
        rc = cur_prepare(&e->nled, ndb, o->new_path, ledger_sql, e->err, e->errlen);
    return rc;
}

int gate_diff_run(const gate_diff_opts *o, const gate_sink *sink, gate_diff_stats *stats, char *err,
                  size_t errlen)
{
    memset(stats, 0, sizeof *stats);
    if ((o->base_run > 0) != (o->new_run > 0)) {
        snprintf(err, errlen, "both run ids or neither");
        return GATE_EINPUT;
    }
    engine e;
    memset(&e, 0, sizeof e);
    e.o = o;
    e.sink = sink;
    e.stats = stats;
    e.err = err;
    e.errlen = errlen;
    sqlite3 *bdb = gate_db_open(o->base_path, err, errlen);
    sqlite3 *ndb = bdb ? gate_db_open(o->new_path, err, errlen) : NULL;
    int rc = bdb && ndb ? 0 : GATE_EINPUT;
    if (rc == 0)
        rc = count_runs(bdb, o->base_path, &stats->base_runs, err, errlen);
    if (rc == 0)
        rc = count_runs(ndb, o->new_path, &stats->new_runs, err, errlen);
    if (rc == 0)
        rc = prepare_all(&e, bdb, ndb);
    if (rc == 0)
        rc = compare_runs(&e, bdb, ndb);
    sqlite3_finalize(e.bser.st);
    sqlite3_finalize(e.nser.st);
    sqlite3_finalize(e.bled.st);
    sqlite3_finalize(e.nled.st);
    free(e.a.metric);
    sqlite3_close(bdb);
    sqlite3_close(ndb);
    return rc;
}

int gate_diff_failed(const gate_diff_stats *s, int strict)
{
    return s->metrics_beyond > 0 || s->only_base > 0 || s->only_new > 0 || s->status_changed > 0 ||
           (strict && s->digests_changed > 0);
}
