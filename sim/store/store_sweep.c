/*
** store_sweep.c: writers of the schema v2 tables (retention, sweeps, sweep_points) and the
** series reducer the sweep's metric is read with (store_sweep.h).
**
** Schema v3 (designs): store_sweep_merge copies a one-run shard file into the sweep's database
** through ATTACH + INSERT ... SELECT with run_id remapped, for every table with a run_id column
** found in the schema (so tables added later are copied too); prune and the point walk serve
** --resume and the sensitivity pass. Merge cost: O(rows of the run) plus a few schema queries.
**
** Every call flushes the store's own buffers first so that its batched metric rows and these
** rows are committed in order; statements are prepared per call (sweeps write a handful of rows
** per run, the retention table a few thousand per run in one transaction).
*/
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdio.h>
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

/* Binds row i of rows (a store_retention_row or store_retention_point array) to s. */
typedef void (*bind_row_fn)(sqlite3_stmt *s, int64_t run_id, const void *rows, size_t i);

static void bind_retention_row(sqlite3_stmt *s, int64_t run_id, const void *rows, size_t i)
{
    bind_retention(s, run_id, (const store_retention_row *)rows + i);
}

static void bind_map_point(sqlite3_stmt *s, int64_t run_id, const void *rows, size_t i)
{
    const store_retention_point *p = (const store_retention_point *)rows + i;
    sqlite3_bind_int64(s, 1, run_id);
    sqlite3_bind_int64(s, 2, p->setting);
    sqlite3_bind_double(s, 3, p->s_h);
    sqlite3_bind_double(s, 4, p->w_c);
    sqlite3_bind_double(s, 5, p->w_h);
    sqlite3_bind_double(s, 6, p->e_h);
    sqlite3_bind_double(s, 7, p->e_h - p->s_h);
}

/* n rows through `insert` in one transaction; what says which table, for messages. */
static int insert_rows(store *st, const char *insert, const char *what, int64_t run_id,
                       const void *rows, size_t n, bind_row_fn bind)
{
    int rc = ready(st);
    if (rc != STORE_OK)
        return rc;
    sqlite3_stmt *s = NULL;
    rc = store__exec(st, "BEGIN IMMEDIATE", what);
    if (rc == STORE_OK)
        rc = prepare(st, insert, &s, what);
    for (size_t i = 0; i < n && rc == STORE_OK; i++) {
        bind(s, run_id, rows, i);
        rc = step_done(st, s, what);
    }
    sqlite3_finalize(s);
    if (rc == STORE_OK)
        return store__exec(st, "COMMIT", what);
    if (!sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

int store_retention_rows(store *st, int64_t run_id, const store_retention_row *rows, size_t n)
{
    return insert_rows(st, "INSERT INTO retention VALUES (?,?,?,?,?,?,?,?,?,?)",
                       "writing the retention table", run_id, rows, n, bind_retention_row);
}

int store_retention_map_rows(store *st, int64_t run_id, const store_retention_point *pts, size_t n)
{
    return insert_rows(st, "INSERT INTO retention_map VALUES (?,?,?,?,?,?,?)",
                       "writing the retention map", run_id, pts, n, bind_map_point);
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

/* ---- schema v3 ---- */

/* Runs sql (one statement) with up to two int64 parameters; steps it to the end. */
static int exec_ii(store *st, const char *sql, int n, int64_t a, int64_t b, const char *what)
{
    sqlite3_stmt *s = NULL;
    int rc = prepare(st, sql, &s, what);
    if (rc != STORE_OK)
        return rc;
    if (n > 0)
        sqlite3_bind_int64(s, 1, a);
    if (n > 1)
        sqlite3_bind_int64(s, 2, b);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        ;
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? STORE_OK : store__sqlfail(st, rc, what);
}

int store_sweep_set_spec(store *st, int64_t sweep_id, const char *spec)
{
    int rc = ready(st);
    sqlite3_stmt *s = NULL;
    if (rc == STORE_OK)
        rc = prepare(st, "UPDATE sweeps SET spec = ? WHERE sweep_id = ?", &s,
                     "recording the sweep's design");
    if (rc != STORE_OK)
        return rc;
    bind_text_or_null(s, 1, spec);
    sqlite3_bind_int64(s, 2, sweep_id);
    rc = step_done(st, s, "recording the sweep's design");
    sqlite3_finalize(s);
    return rc;
}

/* Tables of st other than runs and sweep_points that have a run_id column, one per call:
** *it is the position; name receives the table name. 0 when there is one, 1 at the end. */
static int next_run_table(store *st, int *it, char *name, size_t len, int *code)
{
    sqlite3_stmt *s = NULL;
    *code = prepare(st,
                    "SELECT m.name FROM main.sqlite_master m WHERE m.type = 'table'"
                    " AND m.name NOT IN ('runs', 'sweep_points')"
                    " AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) WHERE name = 'run_id')"
                    " ORDER BY m.name LIMIT 1 OFFSET ?",
                    &s, "listing the tables");
    if (*code != STORE_OK)
        return 1;
    sqlite3_bind_int(s, 1, (*it)++);
    int rc = sqlite3_step(s), end = 1;
    if (rc == SQLITE_ROW) {
        snprintf(name, len, "%s", (const char *)sqlite3_column_text(s, 0));
        end = 0;
    } else if (rc != SQLITE_DONE) {
        *code = store__sqlfail(st, rc, "listing the tables");
    }
    sqlite3_finalize(s);
    return end;
}

/* "c1, c2, ..." of table t with run_id replaced by `repl` (NULL: kept) into buf. */
static int column_list(store *st, const char *t, const char *repl, char *buf, size_t len)
{
    sqlite3_stmt *s = NULL;
    int rc = prepare(st, "SELECT name FROM pragma_table_info(?) ORDER BY cid", &s,
                     "reading a table's columns");
    if (rc != STORE_OK)
        return rc;
    sqlite3_bind_text(s, 1, t, -1, SQLITE_TRANSIENT);
    size_t n = 0;
    buf[0] = '\0';
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && n < len) {
        const char *c = (const char *)sqlite3_column_text(s, 0);
        int isrun = strcmp(c, "run_id") == 0;
        if (isrun && repl) /* the replacement is an expression: no quotes */
            n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? ", " : "", repl);
        else
            n += (size_t)snprintf(buf + n, len - n, "%s\"%s\"", n ? ", " : "", c);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return store__sqlfail(st, rc, "reading a table's columns");
    return n < len ? STORE_OK : store__fail(st, STORE_ERANGE, "%s: too many columns", t);
}

static int copy_table(store *st, const char *t, int64_t old_id, int64_t new_id)
{
    char cols[2048], sel[2048], sql[4400];
    int rc = column_list(st, t, NULL, cols, sizeof cols);
    if (rc == STORE_OK)
        rc = column_list(st, t, "?1", sel, sizeof sel);
    if (rc != STORE_OK)
        return rc;
    snprintf(sql, sizeof sql,
             "INSERT INTO main.\"%s\"(%s) SELECT %s FROM shard.\"%s\" WHERE run_id = ?2"
             " ORDER BY rowid",
             t, cols, sel, t);
    return exec_ii(st, sql, 2, new_id, old_id, "copying a shard's rows");
}

static const char runs_cols[] = "scenario_name, scenario_text, scenario_sha256, seed, run_index,"
                                " params_json, status, started_at, finished_at, wall_seconds,"
                                " digest, error";

/* Reads the shard's run (the first by run_id) into out and *old_id. */
static int shard_run(store *st, store_merged *out, int64_t *old_id)
{
    sqlite3_stmt *s = NULL;
    int rc = prepare(st,
                     "SELECT run_id, run_index, status, coalesce(digest, ''), coalesce(error, ''),"
                     " (SELECT value FROM shard.meta WHERE key = 'sweep_metric')"
                     " FROM shard.runs ORDER BY run_id LIMIT 1",
                     &s, "reading a shard");
    if (rc != STORE_OK)
        return rc;
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *old_id = sqlite3_column_int64(s, 0);
        out->run_index = sqlite3_column_int64(s, 1);
        snprintf(out->status, sizeof out->status, "%s", (const char *)sqlite3_column_text(s, 2));
        snprintf(out->digest, sizeof out->digest, "%s", (const char *)sqlite3_column_text(s, 3));
        snprintf(out->error, sizeof out->error, "%s", (const char *)sqlite3_column_text(s, 4));
        out->has_metric = sqlite3_column_type(s, 5) != SQLITE_NULL;
        out->metric = out->has_metric ? sqlite3_column_double(s, 5) : 0.0;
        rc = STORE_OK;
    } else {
        rc = rc == SQLITE_DONE
                 ? store__fail(st, STORE_ENOTFOUND, "%s: the shard holds no run", st->path)
                 : store__sqlfail(st, rc, "reading a shard");
    }
    sqlite3_finalize(s);
    return rc;
}

static int merge_run(store *st, int64_t sweep_id, store_merged *out)
{
    int64_t old_id = 0;
    int rc = shard_run(st, out, &old_id);
    char sql[512], t[128];
    snprintf(sql, sizeof sql,
             "INSERT INTO main.runs(%s) SELECT %s FROM shard.runs WHERE run_id = ?1", runs_cols,
             runs_cols);
    if (rc == STORE_OK)
        rc = exec_ii(st, sql, 1, old_id, 0, "copying a shard's run");
    if (rc == STORE_OK)
        out->run_id = sqlite3_last_insert_rowid(st->db);
    for (int it = 0; rc == STORE_OK && !next_run_table(st, &it, t, sizeof t, &rc);)
        rc = copy_table(st, t, old_id, out->run_id);
    if (rc == STORE_OK)
        rc = exec_ii(st,
                     "INSERT INTO main.sweep_points SELECT ?1, run_index, ?2, coalesce(params_json,"
                     " '{}'), (SELECT value FROM shard.meta WHERE key = 'sweep_metric'), status"
                     " FROM shard.runs ORDER BY run_id LIMIT 1",
                     2, sweep_id, out->run_id, "recording a sweep point");
    return rc;
}

int store_sweep_merge(store *st, const char *shard, int64_t sweep_id, store_merged *out)
{
    if (!shard || !out)
        return st ? store__fail(st, STORE_EINVAL, "store_sweep_merge: missing argument")
                  : STORE_EINVAL;
    memset(out, 0, sizeof *out);
    int rc = ready(st);
    sqlite3_stmt *s = NULL;
    if (rc == STORE_OK)
        rc = prepare(st, "ATTACH DATABASE ? AS shard", &s, "attaching a shard");
    if (rc != STORE_OK)
        return rc;
    sqlite3_bind_text(s, 1, shard, -1, SQLITE_TRANSIENT);
    rc = step_done(st, s, "attaching a shard");
    sqlite3_finalize(s);
    if (rc != STORE_OK)
        return rc;
    rc = store__exec(st, "BEGIN IMMEDIATE", "merging a shard");
    if (rc == STORE_OK) {
        /* sqlite3_exec cannot bind: the statements of merge_run carry their own parameters */
        rc = merge_run(st, sweep_id, out);
        if (rc == STORE_OK)
            rc = store__exec(st, "COMMIT", "merging a shard");
        else if (!sqlite3_get_autocommit(st->db))
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    }
    int rc2 = store__exec(st, "DETACH DATABASE shard", "detaching a shard");
    return rc != STORE_OK ? rc : rc2;
}

int store_sweep_find(store *st, const char *spec, int64_t *sweep_id)
{
    if (!spec || !sweep_id)
        return st ? store__fail(st, STORE_EINVAL, "store_sweep_find: missing argument")
                  : STORE_EINVAL;
    int rc = ready(st);
    sqlite3_stmt *s = NULL;
    if (rc == STORE_OK)
        rc = prepare(st,
                     "SELECT sweep_id FROM sweeps WHERE spec = ? AND design != 'bisect'"
                     " ORDER BY sweep_id DESC LIMIT 1",
                     &s, "finding the sweep");
    if (rc != STORE_OK)
        return rc;
    sqlite3_bind_text(s, 1, spec, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *sweep_id = sqlite3_column_int64(s, 0);
        rc = STORE_OK;
    } else {
        rc = rc == SQLITE_DONE ? store__fail(st, STORE_ENOTFOUND,
                                             "%s: no sweep with this design to resume", st->path)
                               : store__sqlfail(st, rc, "finding the sweep");
    }
    sqlite3_finalize(s);
    return rc;
}

int store_sweep_prune(store *st, int64_t sweep_id, int64_t *ndone)
{
    int rc = ready(st);
    char t[128], sql[256];
    if (rc == STORE_OK)
        rc = store__exec(st, "BEGIN IMMEDIATE", "pruning the sweep");
    if (rc == STORE_OK)
        rc = exec_ii(st,
                     "CREATE TEMP TABLE doomed AS SELECT run_id FROM runs WHERE status = 'running'"
                     " OR (status != 'done' AND run_id IN"
                     " (SELECT run_id FROM sweep_points WHERE sweep_id = ?1))",
                     1, sweep_id, 0, "pruning the sweep");
    for (int it = 0; rc == STORE_OK && !next_run_table(st, &it, t, sizeof t, &rc);) {
        snprintf(sql, sizeof sql,
                 "DELETE FROM main.\"%s\" WHERE run_id IN (SELECT run_id FROM doomed)", t);
        rc = exec_ii(st, sql, 0, 0, 0, "pruning the sweep");
    }
    if (rc == STORE_OK)
        rc = exec_ii(st,
                     "DELETE FROM sweep_points WHERE sweep_id = ?1 AND (run_id IS NULL OR"
                     " run_id IN (SELECT run_id FROM doomed))",
                     1, sweep_id, 0, "pruning the sweep");
    if (rc == STORE_OK)
        rc = exec_ii(st, "DELETE FROM runs WHERE run_id IN (SELECT run_id FROM doomed)", 0, 0, 0,
                     "pruning the sweep");
    if (rc == STORE_OK)
        rc = exec_ii(st, "DELETE FROM sensitivity WHERE sweep_id = ?1", 1, sweep_id, 0,
                     "pruning the sweep");
    if (rc == STORE_OK)
        rc = exec_ii(st,
                     "UPDATE sweeps SET status = 'running', result = NULL, message = NULL,"
                     " finished_at = NULL WHERE sweep_id = ?1",
                     1, sweep_id, 0, "pruning the sweep");
    if (rc == STORE_OK)
        rc = store__exec(st, "DROP TABLE temp.doomed; COMMIT", "pruning the sweep");
    if (rc != STORE_OK && !sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_exec(st->db, "DROP TABLE IF EXISTS temp.doomed", NULL, NULL, NULL);
    if (rc == STORE_OK && ndone) {
        sqlite3_stmt *s = NULL;
        rc = prepare(st, "SELECT count(*) FROM sweep_points WHERE sweep_id = ?", &s,
                     "counting the sweep's points");
        if (rc == STORE_OK) {
            sqlite3_bind_int64(s, 1, sweep_id);
            *ndone = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
            sqlite3_finalize(s);
        }
    }
    return rc;
}

int store_sweep_points_each(store *st, int64_t sweep_id, store_point_fn fn, void *ctx)
{
    if (!fn)
        return st ? store__fail(st, STORE_EINVAL, "store_sweep_points_each: no callback")
                  : STORE_EINVAL;
    int rc = ready(st);
    sqlite3_stmt *s = NULL;
    if (rc == STORE_OK)
        rc = prepare(st,
                     "SELECT p.idx, coalesce(r.status, 'failed'), p.metric FROM sweep_points p"
                     " LEFT JOIN runs r ON r.run_id = p.run_id WHERE p.sweep_id = ? ORDER BY p.idx",
                     &s, "reading the sweep's points");
    if (rc != STORE_OK)
        return rc;
    sqlite3_bind_int64(s, 1, sweep_id);
    int stop = 0;
    while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        int has = sqlite3_column_type(s, 2) != SQLITE_NULL;
        stop = fn(ctx, sqlite3_column_int64(s, 0), (const char *)sqlite3_column_text(s, 1), has,
                  has ? sqlite3_column_double(s, 2) : 0.0);
    }
    sqlite3_finalize(s);
    if (stop)
        return stop;
    return rc == SQLITE_DONE ? STORE_OK : store__sqlfail(st, rc, "reading the sweep's points");
}

static void bind_real_or_null(sqlite3_stmt *s, int i, double x)
{
    if (isnan(x))
        sqlite3_bind_null(s, i);
    else
        sqlite3_bind_double(s, i, x);
}

int store_sensitivity(store *st, int64_t sweep_id, const store_sens_row *r)
{
    if (!r || !r->metric || !r->param || !r->method)
        return st ? store__fail(st, STORE_EINVAL, "store_sensitivity: missing field")
                  : STORE_EINVAL;
    int morris = strcmp(r->method, "morris") == 0;
    int rc = ready(st);
    sqlite3_stmt *s = NULL;
    if (rc == STORE_OK)
        rc = prepare(st, "INSERT INTO sensitivity VALUES (?,?,?,?,?,?,?,?)", &s,
                     "recording sensitivity indices");
    if (rc != STORE_OK)
        return rc;
    sqlite3_bind_int64(s, 1, sweep_id);
    sqlite3_bind_text(s, 2, r->metric, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 3, r->param, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 4, r->method, -1, SQLITE_TRANSIENT);
    bind_real_or_null(s, 5, morris ? (double)NAN : r->a);
    bind_real_or_null(s, 6, morris ? (double)NAN : r->b);
    bind_real_or_null(s, 7, morris ? r->a : (double)NAN);
    bind_real_or_null(s, 8, morris ? r->b : (double)NAN);
    rc = step_done(st, s, "recording sensitivity indices");
    sqlite3_finalize(s);
    return rc;
}
