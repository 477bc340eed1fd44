/*
** rp_plots.c: generic plot builders over the long-format `series` table: network metrics as
** lines or stacked areas, one line per entity, clustered bars from any query, and
** concentration (Lorenz curve at the end, Gini index over time) of per-entity values. Each
** builder skips (and lists) its plot when the run has no data for it, so a model that does not
** record a metric never fails the report. Cost: one query per plot; the concentration builder is
** O(samples * entities log entities).
*/
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "rp_int.h"

const char *rp_tcol(rp_ctx *c)
{
    snprintf(c->tcol, sizeof c->tcol, "(t / %.17e)", c->tdiv);
    return c->tcol;
}

static int has_network_metric(rp_ctx *c, const char *metric)
{
    char *q = sqlite3_mprintf("SELECT 1 FROM series WHERE run_id = ?1 AND entity_id = 0 AND "
                              "metric = %Q LIMIT 1",
                              metric);
    int yes = q && rp_int(c, c->run, q, 0) == 1;
    sqlite3_free(q);
    return yes;
}

/* Appends to a sqlite3_mprintf string (NULL stays NULL: out of memory). */
static char *cat(char *s, const char *fmt, const char *a, double d)
{
    if (!s)
        return NULL;
    char *part = sqlite3_mprintf(fmt, a, d);
    char *r = part ? sqlite3_mprintf("%s%s", s, part) : NULL;
    sqlite3_free(part);
    sqlite3_free(s);
    return r;
}

int rp_lines(rp_ctx *c, const char *section, const char *stem, const char *title,
             const char *ylabel, const rp_col *cols, int n, double scale, const char *style)
{
    char header[1024], file[RP_NAME + 8];
    int used = 0;
    snprintf(header, sizeof header, "x");
    char *q = sqlite3_mprintf("SELECT %s", rp_tcol(c)), *in = sqlite3_mprintf("''");
    for (int i = 0; i < n; i++) {
        if (!has_network_metric(c, cols[i].metric))
            continue;
        q = cat(q, ", max(CASE WHEN metric = %Q THEN value END) / %.17e", cols[i].metric, scale);
        in = cat(in, ", %Q", cols[i].metric, 0);
        size_t len = strlen(header);
        snprintf(header + len, sizeof header - len, "|%s", cols[i].label);
        used++;
    }
    q = q && in ? cat(q,
                      " FROM series WHERE run_id = ?1 AND entity_id = 0 AND metric IN (%s) "
                      "GROUP BY t ORDER BY t",
                      in, 0)
                : q;
    sqlite3_free(in);
    if (!q)
        return rp_fail(c, REPORT_EIO, "out of memory");
    int rows = 0, rc = 0;
    snprintf(file, sizeof file, "%s.dat", stem);
    if (used > 0)
        rc = rp_export(c, file, header, q, 0, &rows, NULL);
    sqlite3_free(q);
    if (rc != 0)
        return -1;
    if (used == 0 || rows == 0) {
        rp_add_skip(c, section, stem, "the run recorded none of its metrics");
        return 0;
    }
    char vars[2048], t[600], y[300];
    rp_gpstr(t, sizeof t, title);
    rp_gpstr(y, sizeof y, ylabel);
    snprintf(vars, sizeof vars, "file = '%s'\nncols = %d\ntitle_ = %s\nylabel_ = %s\nstyle = '%s'",
             file, used, t, y, style);
    return rp_draw(c, section, stem, "lines", vars, title);
}

int rp_blocks(rp_ctx *c, const char *section, const char *stem, const char *title,
              const char *ylabel, const char *metric, const char *kind, double scale)
{
    /* At most 12 entities (the largest), so the legend stays readable. */
    char *q = sqlite3_mprintf(
        "SELECT e.name, %s, s.value / %.17e FROM series s JOIN entities e ON e.run_id = "
        "s.run_id AND e.entity_id = s.entity_id WHERE s.run_id = ?1 AND s.metric = %Q AND "
        "e.kind GLOB %Q AND s.entity_id IN (SELECT entity_id FROM series WHERE run_id = ?1 AND "
        "metric = %Q GROUP BY entity_id ORDER BY max(value) DESC, entity_id LIMIT 12) "
        "ORDER BY s.entity_id, s.t",
        rp_tcol(c), scale, metric, kind ? kind : "*", metric);
    return rp_blocks_sql(c, section, stem, title, ylabel, q,
                         "the run recorded no such per-entity metric");
}

int rp_blocks_sql(rp_ctx *c, const char *section, const char *stem, const char *title,
                  const char *ylabel, char *q, const char *empty)
{
    char file[RP_NAME + 8];
    if (!q)
        return rp_fail(c, REPORT_EIO, "out of memory");
    int rows = 0, blocks = 0;
    snprintf(file, sizeof file, "%s.dat", stem);
    int rc = rp_export(c, file, NULL, q, 1, &rows, &blocks);
    sqlite3_free(q);
    if (rc != 0)
        return -1;
    if (rows == 0) {
        rp_add_skip(c, section, stem, empty);
        return 0;
    }
    char vars[2048], t[600], y[300];
    rp_gpstr(t, sizeof t, title);
    rp_gpstr(y, sizeof y, ylabel);
    snprintf(vars, sizeof vars, "file = '%s'\nnblocks = %d\ntitle_ = %s\nylabel_ = %s", file,
             blocks, t, y);
    return rp_draw(c, section, stem, "blocks", vars, title);
}

int rp_bars(rp_ctx *c, const char *section, const char *stem, const char *title, const char *xlabel,
            const char *ylabel, const char *header, const char *sql, int n)
{
    char file[RP_NAME + 8];
    int rows = 0;
    snprintf(file, sizeof file, "%s.dat", stem);
    if (rp_export(c, file, header, sql, 0, &rows, NULL) != 0)
        return -1;
    if (rows == 0) {
        rp_add_skip(c, section, stem, "no rows in the run");
        return 0;
    }
    char vars[2048], t[600], x[300], y[300];
    rp_gpstr(t, sizeof t, title);
    rp_gpstr(x, sizeof x, xlabel);
    rp_gpstr(y, sizeof y, ylabel);
    snprintf(vars, sizeof vars, "file = '%s'\nncols = %d\ntitle_ = %s\nxlabel_ = %s\nylabel_ = %s",
             file, n, t, x, y);
    return rp_draw(c, section, stem, "bars", vars, title);
}

/* ---- concentration ---- */

typedef struct holder {
    int64_t id; /* entity */
    double v;   /* level or running sum */
} holder;

typedef struct holders {
    holder *h;     /* sorted by id */
    size_t n, cap; /* count, capacity */
    double *tmp;   /* scratch for sorting values */
} holders;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The holder of id, inserted (value 0) when new; NULL when out of memory. */
static holder *find(holders *hs, int64_t id)
{
    size_t lo = 0, hi = hs->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (hs->h[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < hs->n && hs->h[lo].id == id)
        return &hs->h[lo];
    if (hs->n == hs->cap) {
        size_t cap = hs->cap ? 2 * hs->cap : 64;
        holder *h = realloc(hs->h, cap * sizeof *h);
        double *t = realloc(hs->tmp, cap * sizeof *t);
        if (h)
            hs->h = h;
        if (t)
            hs->tmp = t;
        if (!h || !t)
            return NULL;
        hs->cap = cap;
    }
    memmove(&hs->h[lo + 1], &hs->h[lo], (hs->n - lo) * sizeof *hs->h);
    hs->h[lo].id = id, hs->h[lo].v = 0.0;
    hs->n++;
    return &hs->h[lo];
}

/* Sorted non-negative values into hs->tmp; returns their sum. */
static double sorted(holders *hs)
{
    double sum = 0.0;
    for (size_t i = 0; i < hs->n; i++) {
        hs->tmp[i] = hs->h[i].v > 0.0 ? hs->h[i].v : 0.0;
        sum += hs->tmp[i];
    }
    qsort(hs->tmp, hs->n, sizeof *hs->tmp, cmp_double);
    return sum;
}

/* Gini = sum_i (2i - n - 1) x_(i) / (n sum x), i = 1..n ascending; NaN for an empty total. */
static double gini(holders *hs)
{
    double sum = sorted(hs), acc = 0.0, n = (double)hs->n;
    if (hs->n < 2 || !(sum > 0.0))
        return ((double)NAN);
    for (size_t i = 0; i < hs->n; i++)
        acc += (2.0 * (double)(i + 1) - n - 1.0) * hs->tmp[i];
    return acc / (n * sum);
}

static int write_lorenz(rp_ctx *c, holders *hs, const char *file, const char *what)
{
    FILE *f = rp_open(c, file);
    if (!f)
        return -1;
    double sum = sorted(hs), acc = 0.0;
    fprintf(f, "\"%s\" \"x\"\n0 0\n", what);
    for (size_t i = 0; i < hs->n; i++) {
        acc += hs->tmp[i];
        fprintf(f, "%.9g %.9g\n", (double)(i + 1) / (double)hs->n, acc / sum);
    }
    return rp_close(c, f, file);
}

/* Reads (t, entity, value) rows, writing "x gini" lines per sample time. */
static int gini_series(rp_ctx *c, const char *sql, int cumulative, holders *hs, FILE *g,
                       int *points)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
        return rp_fail(c, REPORT_EDB, "concentration query failed: %s", sqlite3_errmsg(c->db));
    sqlite3_bind_int64(st, 1, c->run);
    int rc, have = 0;
    double t = 0.0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        double ti = sqlite3_column_double(st, 0);
        if (have && ti != t) {
            double gi = gini(hs);
            if (gi == gi)
                fprintf(g, "%.9g %.9g\n", t / c->tdiv, gi), ++*points;
        }
        t = ti, have = 1;
        holder *h = find(hs, sqlite3_column_int64(st, 1));
        if (!h) {
            sqlite3_finalize(st);
            return rp_fail(c, REPORT_EIO, "out of memory");
        }
        double v = sqlite3_column_double(st, 2);
        h->v = cumulative ? h->v + v : v;
    }
    if (have) {
        double gi = gini(hs);
        if (gi == gi)
            fprintf(g, "%.9g %.9g\n", t / c->tdiv, gi), ++*points;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : rp_fail(c, REPORT_EDB, "concentration query failed");
}

static int draw_concentration(rp_ctx *c, const char *section, const char *stem, const char *what,
                              const char *gfile, const char *lfile)
{
    char vars[2048], t[600], name[RP_NAME + 16], title[RP_TEXT];
    snprintf(title, sizeof title, "Gini index of %s over time", what);
    rp_gpstr(t, sizeof t, title);
    snprintf(vars, sizeof vars,
             "file = '%s'\nncols = 1\ntitle_ = %s\nylabel_ = 'Gini index (0 equal, 1 one holder)'"
             "\nstyle = 'lines'",
             gfile, t);
    snprintf(name, sizeof name, "%s-gini", stem);
    if (rp_draw(c, section, name, "lines", vars, title) != 0)
        return -1;
    snprintf(title, sizeof title, "Lorenz curve of %s at the end of the run", what);
    rp_gpstr(t, sizeof t, title);
    snprintf(vars, sizeof vars, "file = '%s'\nnblocks = 1\ntitle_ = %s", lfile, t);
    snprintf(name, sizeof name, "%s-lorenz", stem);
    return rp_draw(c, section, name, "lorenz", vars, title);
}

int rp_concentration(rp_ctx *c, const char *section, const char *stem, const char *what,
                     const char *sql, int cumulative, double *g)
{
    char gfile[RP_NAME + 16], lfile[RP_NAME + 16], skip[RP_NAME + 16];
    holders hs = {0};
    int points = 0, rc;
    *g = ((double)NAN);
    snprintf(gfile, sizeof gfile, "%s-gini.dat", stem);
    snprintf(lfile, sizeof lfile, "%s-lorenz.dat", stem);
    FILE *f = rp_open(c, gfile);
    if (!f)
        return -1;
    fprintf(f, "\"x\" \"Gini of %s\"\n", what);
    rc = gini_series(c, sql, cumulative, &hs, f, &points);
    if (rp_close(c, f, gfile) != 0)
        rc = -1;
    if (rc == 0 && points > 0) {
        *g = gini(&hs);
        rc = write_lorenz(c, &hs, lfile, what);
        if (rc == 0)
            rc = draw_concentration(c, section, stem, what, gfile, lfile);
    } else if (rc == 0) {
        snprintf(skip, sizeof skip, "%s-lorenz", stem);
        rp_add_skip(c, section, skip, "fewer than two holders with a positive total");
        snprintf(skip, sizeof skip, "%s-gini", stem);
        rp_add_skip(c, section, skip, "fewer than two holders with a positive total");
    }
    free(hs.h);
    free(hs.tmp);
    return rc;
}
