/*
** store_sweep.c: writers of the schema v2 tables (retention, sweeps, sweep_points) and the
** series reducer the sweep's metric is read with (store_sweep.h).
**
** Every call flushes the store's own buffers first so that its batched metric rows and these
** rows are committed in order; statements are prepared per call (sweeps write a handful of rows
** per run, the retention table a few thousand per run in one transaction).
*/
#define _POSIX_C_SOURCE 200809L

#include <string.h>
#include <time.h>

#include "store_int.h"
#include "store_sweep.h"

static int ready(store *st)
{
    if (!st)
        return STORE_EINVAL;
    return store_flush(st);
}

static int prepare(store *st, const char *sql, sqlite3_stmt **s, const char *what)
{
    int rc = sqlite3_prepare_v2(st->db, sql, -1, s, NULL);
    return rc == SQLITE_OK ? STORE_OK : store__sqlfail(st, rc, what);
}

static int step_done(store *st, sqlite3_stmt *s, const char *what)
{
    int rc = sqlite3_step(s);
    if (rc != SQLITE_DONE)
        return store__sqlfail(st, rc, what);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return STORE_OK;
}

static void now_iso(char buf[32])
{
    time_t t = time(NULL); /* provenance only: never part of a digest */
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int bind_retention(sqlite3_stmt *s, int64_t run_id, const store_retention_row *r)
{
    sqlite3_bind_int64(s, 1, run_id);
    sqlite3_bind_int64(s, 2, r->setting);
    sqlite3_bind_double(s, 3, r->kappa);
    sqlite3_bind_double(s, 4, r->beta);
    sqlite3_bind_double(s, 5, r->xi);
    sqlite3_bind_double(s, 6, r->sigma);
    sqlite3_bind_double(s, 7, r->s_h);
    sqlite3_bind_double(s, 8, r->w_c);
    if (r->has_w_h)
        sqlite3_bind_double(s, 9, r->w_h_needed);
    else
        sqlite3_bind_null(s, 9);
    return sqlite3_bind_int64(s, 10, r->evals);
}

int store_retention_rows(store *st, int64_t run_id, const store_retention_row *rows, size_t n)
{
    int rc = ready(st);
    if (rc != STORE_OK)
        return rc;
    sqlite3_stmt *s = NULL;
    rc = store__exec(st, "BEGIN IMMEDIATE", "writing the retention table");
    if (rc == STORE_OK)
        rc = prepare(st, "INSERT INTO retention VALUES (?,?,?,?,?,?,?,?,?,?)", &s,
                     "writing the retention table");
    for (size_t i = 0; i < n && rc == STORE_OK; i++) {
        bind_retention(s, run_id, &rows[i]);
        rc = step_done(st, s, "writing the retention table");
    }
    sqlite3_finalize(s);
    if (rc == STORE_OK)
        return store__exec(st, "COMMIT", "writing the retention table");
    if (!sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

static void bind_text_or_null(sqlite3_stmt *s, int i, const char *t)
{
    if (t)
        sqlite3_bind_text(s, i, t, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

int store_sweep_begin(store *st, const store_sweep_info *in, int64_t *sweep_id)
{
    if (!in || !in->scenario_name || !in->design || !in->key || !in->metric || !in->reduce ||
        !sweep_id)
        return st ? store__fail(st, STORE_EINVAL, "store_sweep_begin: missing field")
                  : STORE_EINVAL;
    int rc = ready(st);
    sqlite3_stmt *s = NULL;
    if (rc == STORE_OK)
        rc = prepare(st,
                     "INSERT INTO sweeps(scenario_name, design, key, lo, hi, metric, reduce,"
                     " target, tol, max_iter, seed, status, started_at)"
                     " VALUES (?,?,?,?,?,?,?,?,?,?,?,'running',?)",
                     &s, "recording the sweep");
    if (rc != STORE_OK)
        return rc;
    char now[32];
    now_iso(now);
    sqlite3_bind_text(s, 1, in->scenario_name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, in->design, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 3, in->key, -1, SQLITE_TRANSIENT);
    bind_text_or_null(s, 4, in->lo);
    bind_text_or_null(s, 5, in->hi);
    sqlite3_bind_text(s, 6, in->metric, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 7, in->reduce, -1, SQLITE_TRANSIENT);
    sqlite3_bind_double(s, 8, in->target);
    sqlite3_bind_double(s, 9, in->tol);
    sqlite3_bind_int64(s, 10, in->max_iter);
    sqlite3_bind_int64(s, 11, (int64_t)in->seed);
    sqlite3_bind_text(s, 12, now, -1, SQLITE_TRANSIENT);
    rc = step_done(st, s, "recording the sweep");
    sqlite3_finalize(s);
    if (rc == STORE_OK)
        *sweep_id = sqlite3_last_insert_rowid(st->db);
    return rc;
}

int store_sweep_point(store *st, int64_t sweep_id, int64_t idx, int64_t run_id, const char *value,
                      int has_metric, double metric, const char *verdict)
{
    if (!value || !verdict)
        return st ? store__fail(st, STORE_EINVAL, "store_sweep_point: missing field")
                  : STORE_EINVAL;
    int rc = ready(st);
    sqlite3_stmt *s = NULL;
    if (rc == STORE_OK)
        rc = prepare(st, "INSERT INTO sweep_points VALUES (?,?,?,?,?,?)", &s,
                     "recording a sweep point");
    if (rc != STORE_OK)
        return rc;
    sqlite3_bind_int64(s, 1, sweep_id);
    sqlite3_bind_int64(s, 2, idx);
    if (run_id >= 0)
        sqlite3_bind_int64(s, 3, run_id);
    else
        sqlite3_bind_null(s, 3);
    sqlite3_bind_text(s, 4, value, -1, SQLITE_TRANSIENT);
    if (has_metric)
        sqlite3_bind_double(s, 5, metric);
    else
        sqlite3_bind_null(s, 5);
    sqlite3_bind_text(s, 6, verdict, -1, SQLITE_TRANSIENT);
    rc = step_done(st, s, "recording a sweep point");
    sqlite3_finalize(s);
    return rc;
}

int store_sweep_end(store *st, int64_t sweep_id, const char *status, int has_result, double result,
                    const char *message)
{
    if (!status)
        return st ? store__fail(st, STORE_EINVAL, "store_sweep_end: missing status") : STORE_EINVAL;
    int rc = ready(st);
    sqlite3_stmt *s = NULL;
    if (rc == STORE_OK)
        rc = prepare(st,
                     "UPDATE sweeps SET status = ?, result = ?, message = ?, finished_at = ?"
                     " WHERE sweep_id = ?",
                     &s, "ending the sweep");
    if (rc != STORE_OK)
        return rc;
    char now[32];
    now_iso(now);
    sqlite3_bind_text(s, 1, status, -1, SQLITE_TRANSIENT);
    if (has_result)
        sqlite3_bind_double(s, 2, result);
    else
        sqlite3_bind_null(s, 2);
    bind_text_or_null(s, 3, message);
    sqlite3_bind_text(s, 4, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 5, sweep_id);
    rc = step_done(st, s, "ending the sweep");
    sqlite3_finalize(s);
    return rc;
}

int store_reduce_parse(const char *s)
{
    static const char *const names[] = {"last", "mean", "min", "max"};
    for (int i = 0; s && i < 4; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

int store_series_reduce(store *st, int64_t run_id, const char *metric, store_reduce how,
                        double *out, int64_t *count)
{
    if (!metric || !out || !count)
        return st ? store__fail(st, STORE_EINVAL, "store_series_reduce: missing argument")
                  : STORE_EINVAL;
    int rc = ready(st);
    sqlite3_stmt *s = NULL;
    if (rc == STORE_OK)
        rc = prepare(st,
                     "SELECT value FROM series WHERE run_id = ? AND metric = ?"
                     " ORDER BY t, block, entity_id",
                     &s, "reading a series");
    if (rc != STORE_OK)
        return rc;
    sqlite3_bind_int64(s, 1, run_id);
    sqlite3_bind_text(s, 2, metric, -1, SQLITE_TRANSIENT);
    double acc = 0.0;
    int64_t n = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        double x = sqlite3_column_double(s, 0);
        if (n == 0 || how == STORE_REDUCE_LAST)
            acc = x;
        else if (how == STORE_REDUCE_MEAN)
            acc += x;
        else if (how == STORE_REDUCE_MIN)
            acc = x < acc ? x : acc;
        else
            acc = x > acc ? x : acc;
        n++;
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return store__sqlfail(st, rc, "reading a series");
    *count = n;
    if (n == 0)
        return store__fail(st, STORE_ENOTFOUND, "run %lld has no samples of metric '%s'",
                           (long long)run_id, metric);
    *out = how == STORE_REDUCE_MEAN ? acc / (double)n : acc;
    return STORE_OK;
}
