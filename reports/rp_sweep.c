/*
** rp_sweep.c: what a DB of many runs adds to the report (sweeps, Monte Carlo):
**   - percentile fan charts (5th, 50th, 95th percentile across the done runs at each sample
**     time) of the key network metrics;
**   - heat maps of each key metric's final value (mean over runs at the same point) over the
**     first two numeric parameters that vary across the runs' params_json;
**   - the sensitivity table (schema v3, when present) as a table and bar charts;
**   - the bisection sweeps (sweeps / sweep_points) as a threshold table and points plots.
** Percentiles interpolate linearly between order statistics (type 7). Everything is skipped
** and listed when there is only one run or no such table.
*/
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "rp_int.h"

#define MAX_KEYS 4

/* Network metrics most worth a fan chart, in order; others follow alphabetically. */
static const char *const preferred[] = {"supply",
                                        "issuance",
                                        "block_emission",
                                        "gini_stake",
                                        "gini_emission",
                                        "bitgrit.supply_bgr",
                                        "bitgrit.burned",
                                        "numerai.supply",
                                        "revenue_total",
                                        "burned",
                                        "coalition_payoff_share",
                                        "cabal_share"};

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double pct(const double *v, size_t n, double p)
{
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)h;
    double frac = h - (double)lo;
    return lo + 1 < n ? v[lo] + frac * (v[lo + 1] - v[lo]) : v[lo];
}

/* Up to MAX_KEYS network metrics recorded by more than one done run. */
static int key_metrics(rp_ctx *c, char keys[MAX_KEYS][RP_NAME])
{
    int n = 0;
    char *q = sqlite3_mprintf("SELECT metric FROM series WHERE entity_id = 0 AND run_id IN "
                              "(SELECT run_id FROM runs WHERE status = 'done') GROUP BY metric "
                              "HAVING count(DISTINCT run_id) > 1 ORDER BY metric");
    sqlite3_stmt *st;
    if (!q || sqlite3_prepare_v2(c->db, q, -1, &st, NULL) != SQLITE_OK) {
        sqlite3_free(q);
        return 0;
    }
    sqlite3_free(q);
    char all[256][RP_NAME];
    int na = 0;
    while (sqlite3_step(st) == SQLITE_ROW && na < 256)
        snprintf(all[na++], RP_NAME, "%.95s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    for (size_t p = 0; p < sizeof preferred / sizeof preferred[0] && n < MAX_KEYS; p++)
        for (int i = 0; i < na; i++)
            if (!strcmp(all[i], preferred[p])) {
                snprintf(keys[n++], RP_NAME, "%.95s", all[i]);
                all[i][0] = '\0';
            }
    for (int i = 0; i < na && n < MAX_KEYS; i++)
        if (all[i][0] && !strstr(all[i], "halving"))
            snprintf(keys[n++], RP_NAME, "%.95s", all[i]);
    return n;
}

static void fan_row(FILE *f, double t, double tdiv, double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    fprintf(f, "%.9g %.9g %.9g %.9g %zu\n", t / tdiv, pct(v, n, 0.05), pct(v, n, 0.5),
            pct(v, n, 0.95), n);
}

static int fan_data(rp_ctx *c, const char *metric, const char *file, int *points)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(c->db,
                           "SELECT t, value FROM series WHERE entity_id = 0 AND metric = ? AND "
                           "run_id IN (SELECT run_id FROM runs WHERE status = 'done') ORDER BY t",
                           -1, &st, NULL) != SQLITE_OK)
        return rp_fail(c, REPORT_EDB, "fan query failed: %s", sqlite3_errmsg(c->db));
    sqlite3_bind_text(st, 1, metric, -1, SQLITE_STATIC);
    FILE *f = rp_open(c, file);
    size_t n = 0, cap = 0;
    double *v = NULL, t = 0.0;
    int rc = f ? 0 : -1;
    if (f)
        fputs("\"x\" \"p5\" \"median\" \"p95\" \"runs\"\n", f);
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        double ti = sqlite3_column_double(st, 0);
        if (n > 0 && ti != t)
            fan_row(f, t, c->tdiv, v, n), n = 0, ++*points;
        if (n == cap) {
            double *w = realloc(v, (cap = cap ? 2 * cap : 64) * sizeof *w);
            if (!w) {
                rc = rp_fail(c, REPORT_EIO, "out of memory");
                break;
            }
            v = w;
        }
        t = ti, v[n++] = sqlite3_column_double(st, 1);
    }
    if (rc == 0 && n > 0)
        fan_row(f, t, c->tdiv, v, n), ++*points;
    free(v);
    sqlite3_finalize(st);
    if (f && rp_close(c, f, file) != 0)
        rc = -1;
    return rc;
}

static int fans(rp_ctx *c, char keys[MAX_KEYS][RP_NAME], int nkeys)
{
    for (int i = 0; i < nkeys; i++) {
        char stem[32], file[40], title[RP_TEXT], t[600], vars[1024], y[300];
        int points = 0;
        snprintf(stem, sizeof stem, "fan-%d", i);
        snprintf(file, sizeof file, "%s.dat", stem);
        if (fan_data(c, keys[i], file, &points) != 0)
            return -1;
        if (points == 0) {
            rp_add_skip(c, "sweep", stem, "no samples");
            continue;
        }
        snprintf(title, sizeof title, "%s across runs: median and 5-95 %% band", keys[i]);
        rp_gpstr(t, sizeof t, title);
        rp_gpstr(y, sizeof y, keys[i]);
        snprintf(vars, sizeof vars, "file = '%s'\ntitle_ = %s\nylabel_ = %s.' (as recorded)'", file,
                 t, y);
        if (rp_draw(c, "sweep", stem, "fan", vars, title) != 0)
            return -1;
    }
    return 0;
}

/* The first two numeric parameter paths that vary across the runs. */
static int varying_params(rp_ctx *c, char p[2][RP_NAME])
{
    sqlite3_stmt *st;
    int n = 0;
    if (sqlite3_prepare_v2(c->db,
                           "SELECT j.fullkey FROM runs, json_tree(runs.params_json) j WHERE "
                           "json_valid(runs.params_json) AND j.type IN ('integer', 'real') "
                           "GROUP BY j.fullkey HAVING count(DISTINCT j.atom) > 1 ORDER BY "
                           "j.fullkey LIMIT 2",
                           -1, &st, NULL) != SQLITE_OK)
        return 0;
    while (sqlite3_step(st) == SQLITE_ROW && n < 2)
        snprintf(p[n++], RP_NAME, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return n;
}

typedef struct cell {
    double x, y, z; /* parameter point and mean final value */
} cell;

/* Half the smallest gap between distinct values of one coordinate (0.5 when alone). */
static double half_gap(const cell *g, size_t n, int use_y)
{
    double best = INFINITY;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < n; k++) {
            double a = use_y ? g[i].y : g[i].x, b = use_y ? g[k].y : g[k].x;
            if (b > a && b - a < best)
                best = b - a;
        }
    return isinf(best) ? 0.5 : best / 2.0;
}

static int heat_data(rp_ctx *c, char p[2][RP_NAME], const char *metric, const char *file,
                     size_t *cells)
{
    char *q = sqlite3_mprintf(
        "WITH r AS (SELECT run_id, json_extract(params_json, %Q) AS x, json_extract(params_json, "
        "%Q) AS y FROM runs WHERE status = 'done' AND json_valid(params_json)), v AS (SELECT "
        "s.run_id, s.value FROM series s WHERE s.entity_id = 0 AND s.metric = %Q AND s.t = "
        "(SELECT max(t) FROM series WHERE run_id = s.run_id AND entity_id = 0 AND metric = %Q)) "
        "SELECT x, y, avg(value) FROM r JOIN v USING (run_id) WHERE x IS NOT NULL AND y IS NOT "
        "NULL GROUP BY x, y ORDER BY x, y",
        p[0], p[1], metric, metric);
    sqlite3_stmt *st;
    if (!q || sqlite3_prepare_v2(c->db, q, -1, &st, NULL) != SQLITE_OK) {
        sqlite3_free(q);
        return rp_fail(c, REPORT_EDB, "heat map query failed: %s", sqlite3_errmsg(c->db));
    }
    sqlite3_free(q);
    cell *g = NULL;
    size_t n = 0;
    int rc = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        cell *w = realloc(g, (n + 1) * sizeof *w);
        if (!w) {
            rc = rp_fail(c, REPORT_EIO, "out of memory");
            break;
        }
        g = w;
        g[n].x = sqlite3_column_double(st, 0), g[n].y = sqlite3_column_double(st, 1);
        g[n++].z = sqlite3_column_double(st, 2);
    }
    sqlite3_finalize(st);
    FILE *f = rc == 0 ? rp_open(c, file) : NULL;
    if (f) {
        double hx = half_gap(g, n, 0), hy = half_gap(g, n, 1);
        fputs("\"x\" \"y\" \"dx\" \"dy\" \"value\"\n", f);
        for (size_t i = 0; i < n; i++)
            fprintf(f, "%.9g %.9g %.9g %.9g %.9g\n", g[i].x, g[i].y, hx, hy, g[i].z);
        rc = rp_close(c, f, file);
    } else if (rc == 0) {
        rc = -1;
    }
    free(g);
    *cells = n;
    return rc;
}

/* The key of a json_tree path for people: "$.a" -> a, "$.\"a.b\"" -> a.b. */
static void key_label(const char *path, char *out, size_t len)
{
    const char *k = !strncmp(path, "$.", 2) ? path + 2 : path;
    size_t n = strlen(k);
    if (n >= 2 && k[0] == '"' && k[n - 1] == '"')
        k++, n -= 2;
    snprintf(out, len, "%.*s", (int)n, k);
}

static int heatmaps(rp_ctx *c, char keys[MAX_KEYS][RP_NAME], int nkeys)
{
    char p[2][RP_NAME], l0[RP_NAME], l1[RP_NAME];
    if (varying_params(c, p) < 2) {
        rp_add_skip(c, "sweep", "heatmap", "fewer than two numeric parameters vary across runs");
        return 0;
    }
    key_label(p[0], l0, sizeof l0);
    key_label(p[1], l1, sizeof l1);
    for (int i = 0; i < nkeys; i++) {
        char stem[32], file[40], title[RP_TEXT], t[600], x[200], y[200], z[200], vars[2048];
        size_t cells = 0;
        snprintf(stem, sizeof stem, "heatmap-%d", i);
        snprintf(file, sizeof file, "%s.dat", stem);
        if (heat_data(c, p, keys[i], file, &cells) != 0)
            return -1;
        if (cells == 0) {
            rp_add_skip(c, "sweep", stem, "no run has both parameters and the metric");
            continue;
        }
        snprintf(title, sizeof title, "Final %s (mean over runs) over %s and %s", keys[i], l0, l1);
        rp_gpstr(t, sizeof t, title);
        rp_gpstr(x, sizeof x, l0);
        rp_gpstr(y, sizeof y, l1);
        rp_gpstr(z, sizeof z, keys[i]);
        snprintf(vars, sizeof vars,
                 "file = '%s'\ntitle_ = %s\nxlabel_ = %s\nylabel_ = %s\ncblabel_ = %s", file, t, x,
                 y, z);
        if (rp_draw(c, "sweep", stem, "heatmap", vars, title) != 0)
            return -1;
    }
    return 0;
}

static int sensitivity(rp_ctx *c)
{
    if (!rp_has_table(c, "sensitivity") ||
        rp_int(c, 0, "SELECT count(*) FROM sensitivity", 0) == 0) {
        rp_add_skip(c, "sweep", "sensitivity", "no sensitivity indices in the DB");
        return 0;
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(c->db,
                           "SELECT sweep_id, metric, param, method, s1, st, mu_star, sigma FROM "
                           "sensitivity ORDER BY sweep_id, metric, method, param",
                           -1, &st, NULL) != SQLITE_OK)
        return rp_fail(c, REPORT_EDB, "sensitivity query failed: %s", sqlite3_errmsg(c->db));
    rp_table *t = rp_add_table(c, "sweep", "Sensitivity indices", 8, "sweep", "metric", "parameter",
                               "method", "S1", "ST", "mu*", "sigma");
    while (t && sqlite3_step(st) == SQLITE_ROW)
        for (int k = 0; k < 8; k++)
            rp_table_cell(c, t, "%s",
                          sqlite3_column_text(st, k) ? (const char *)sqlite3_column_text(st, k)
                                                     : "");
    sqlite3_finalize(st);
    /* One bar chart per (sweep, metric, method): S1 and ST, or mu* and sigma. */
    if (sqlite3_prepare_v2(c->db,
                           "SELECT DISTINCT sweep_id, metric, method FROM sensitivity ORDER BY "
                           "sweep_id, metric, method LIMIT 8",
                           -1, &st, NULL) != SQLITE_OK)
        return rp_fail(c, REPORT_EDB, "sensitivity query failed: %s", sqlite3_errmsg(c->db));
    int i = 0, rc = 0;
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        const char *metric = (const char *)sqlite3_column_text(st, 1);
        const char *method = (const char *)sqlite3_column_text(st, 2);
        int sobol = method && !strcmp(method, "sobol");
        char stem[32], title[RP_TEXT];
        char *q = sqlite3_mprintf("SELECT param, %s FROM sensitivity WHERE sweep_id = %lld AND "
                                  "metric = %Q AND method = %Q ORDER BY param",
                                  sobol ? "s1, st" : "mu_star, sigma",
                                  (long long)sqlite3_column_int64(st, 0), metric, method);
        snprintf(stem, sizeof stem, "sensitivity-%d", i++);
        snprintf(title, sizeof title, "Sensitivity of %s (%s, sweep %lld)", metric ? metric : "?",
                 method ? method : "?", (long long)sqlite3_column_int64(st, 0));
        rc = q ? rp_bars(c, "sweep", stem, title, "parameter", "index",
                         sobol ? "param|S1|ST" : "param|mu*|sigma", q, 2)
               : rp_fail(c, REPORT_EIO, "out of memory");
        sqlite3_free(q);
    }
    sqlite3_finalize(st);
    return rc;
}

static int bisections(rp_ctx *c)
{
    if (!rp_has_table(c, "sweeps") || rp_int(c, 0, "SELECT count(*) FROM sweeps", 0) == 0) {
        rp_add_skip(c, "sweep", "thresholds", "no sweeps in the DB");
        return 0;
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(c->db,
                           "SELECT sweep_id, design, key, metric, reduce, target, result, status, "
                           "coalesce(message, ''), (SELECT count(*) FROM sweep_points p WHERE "
                           "p.sweep_id = s.sweep_id) FROM sweeps s ORDER BY sweep_id",
                           -1, &st, NULL) != SQLITE_OK)
        return rp_fail(c, REPORT_EDB, "sweeps query failed: %s", sqlite3_errmsg(c->db));
    rp_table *t = rp_add_table(c, "sweep", "Sweeps (threshold: the crossing a bisection found)", 10,
                               "sweep", "design", "key", "metric", "reduce", "target", "threshold",
                               "status", "message", "points");
    while (t && sqlite3_step(st) == SQLITE_ROW)
        for (int k = 0; k < 10; k++)
            rp_table_cell(c, t, "%s",
                          sqlite3_column_text(st, k) ? (const char *)sqlite3_column_text(st, k)
                                                     : "-");
    sqlite3_finalize(st);
    static const char q[] =
        "SELECT 'sweep ' || p.sweep_id || ': ' || s.metric || ' vs ' || s.key, CAST(p.value AS "
        "REAL), p.metric FROM sweep_points p JOIN sweeps s USING (sweep_id) WHERE p.metric IS "
        "NOT NULL AND s.design = 'bisect' ORDER BY p.sweep_id, CAST(p.value AS REAL)";
    int rows = 0, blocks = 0;
    if (rp_export(c, "thresholds.dat", NULL, q, 1, &rows, &blocks) != 0)
        return -1;
    if (rows == 0) {
        rp_add_skip(c, "sweep", "thresholds", "no bisection sweep point has a metric value");
        return 0;
    }
    double target =
        rp_real(c, 0, "SELECT target FROM sweeps WHERE design = 'bisect' ORDER BY sweep_id LIMIT 1",
                ((double)NAN));
    char vars[512];
    snprintf(vars, sizeof vars,
             "file = 'thresholds.dat'\nnblocks = %d\ntitle_ = 'Sweep points: reduced metric vs "
             "swept value'\nxlabel_ = 'swept value'\nylabel_ = 'metric'\ntarget = %s",
             blocks, target == target ? "" : "NaN");
    if (target == target) {
        size_t n = strlen(vars);
        snprintf(vars + n, sizeof vars - n, "%.17g", target);
    }
    return rp_draw(c, "sweep", "thresholds", "points", vars,
                   "Sweep points: reduced metric vs swept value (target dashed)");
}

int rp_sweep(rp_ctx *c, int runs)
{
    if (runs > 1) {
        char keys[MAX_KEYS][RP_NAME];
        int n = key_metrics(c, keys);
        rp_add_kv(c, "sweep", "runs", "%d", runs);
        rp_add_kv(c, "sweep", "done runs", "%lld",
                  (long long)rp_int(c, 0, "SELECT count(*) FROM runs WHERE status = 'done'", 0));
        if (n == 0)
            rp_add_skip(c, "sweep", "fan", "no network metric recorded by two or more runs");
        if (fans(c, keys, n) != 0 || heatmaps(c, keys, n) != 0)
            return -1;
    } else {
        rp_add_skip(c, "sweep", "fan / heatmap", "one run only");
    }
    if (sensitivity(c) != 0)
        return -1;
    return bisections(c);
}
