/*
** check_store_v3.c: schemas v3 and v4 of the metrics database (sweeps.spec, sensitivity; the
** retention map), the 2 -> 3 and 3 -> 4 migrations, and the store_sweep.h calls of run-list sweeps:
*shard merge, prune (--resume),
** the point walk and sensitivity rows.
**
** Expected values are stated by hand: the rows written into a shard, the digest the shard's
** store computed (recomputed from the copied rows in the merged database, so a lost or
** reordered row fails), and the schema text of a fresh v3 file (a migrated file must match it).
*/
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "store.h"
#include "store_sweep.h"
#include "tdb.h"

static void exec_sql(const char *db, const char *sql)
{
    sqlite3 *h = NULL;
    ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
    char *msg = NULL;
    int rc = sqlite3_exec(h, sql, NULL, NULL, &msg);
    ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, msg ? msg : "");
    sqlite3_close(h);
}

static store *fresh(const char *name)
{
    char err[512];
    store *st = NULL;
    ck_assert_msg(store_open(tdb_tmp(name), STORE_FORCE, &st, err, sizeof err) == 0, "%s", err);
    return st;
}

START_TEST(test_new_file_is_v3)
{
    store *st = fresh("v3.db");
    store_close(st);
    const char *db = tdb_tmp("v3.db");
    ck_assert_int_eq(tdb_int(db, "SELECT value FROM meta WHERE key = 'schema_version'"), 4);
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM pragma_table_info('sweeps')"
                                 " WHERE name = 'spec'"),
                     1);
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM pragma_table_info('sensitivity')"), 8);
}
END_TEST

START_TEST(test_migrate_2_to_3)
{
    char err[512], want[2][4096], got[2][4096];
    store *st = fresh("mig.db");
    store_sweep_info si = {"s", "bisect", "k", "0", "1", "m", "last", 0.5, 1e-3, 10, 3};
    int64_t sid;
    ck_assert_int_eq(store_sweep_begin(st, &si, &sid), 0);
    store_close(st);
    const char *db = tdb_tmp("mig.db");
    tdb_text(db, "SELECT sql FROM sqlite_master WHERE name = 'sweeps'", want[0], sizeof want[0]);
    tdb_text(db, "SELECT sql FROM sqlite_master WHERE name = 'sensitivity'", want[1],
             sizeof want[1]);
    /* the v2 layout: no spec column, no sensitivity table, no retention map, version 2 */
    exec_sql(db, "DROP TABLE retention_map; DROP TABLE sensitivity;"
                 " ALTER TABLE sweeps DROP COLUMN spec;"
                 " UPDATE meta SET value = '2' WHERE key = 'schema_version'");
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'sensitivity'"),
                     0);
    ck_assert_int_eq(store_open_existing(db, 1, &st, err, sizeof err), STORE_ESCHEMA);
    ck_assert_msg(store_open_existing(db, 0, &st, err, sizeof err) == 0, "%s", err);
    store_close(st);
    ck_assert_int_eq(tdb_int(db, "SELECT value FROM meta WHERE key = 'schema_version'"), 4);
    tdb_text(db, "SELECT sql FROM sqlite_master WHERE name = 'sweeps'", got[0], sizeof got[0]);
    tdb_text(db, "SELECT sql FROM sqlite_master WHERE name = 'sensitivity'", got[1], sizeof got[1]);
    ck_assert_str_eq(got[0], want[0]);
    ck_assert_str_eq(got[1], want[1]);
    ck_assert_int_eq(tdb_int(db, "SELECT max_iter FROM sweeps"), 10); /* data kept */
    ck_assert_int_eq(tdb_int(db, "SELECT spec IS NULL FROM sweeps"), 1);
}
END_TEST

/* Schema v4: a fresh file has the retention map; a v3 file (the table dropped, version 3) is
** refused read-only and migrated writable to the same table, its rows kept; the writer stores
** margin = e_h - s_h. */
START_TEST(test_migrate_3_to_4)
{
    char err[512], want[4096], got[4096];
    store *st = fresh("v4.db");
    store_run_info info = {"r", "r", 1, 0, NULL};
    int64_t id;
    ck_assert_int_eq(store_run_begin(st, &info, &id), 0);
    const store_retention_point pts[2] = {{0, 0.6, 0.5, 0.25, 0.55}, {0, 0.6, 0.5, 0.5, 0.75}};
    ck_assert_int_eq(store_retention_map_rows(st, id, pts, 2), 0);
    store_close(st);
    const char *db = tdb_tmp("v4.db");
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM retention_map"), 2);
    /* 0.55 - 0.6 = -0.05 and 0.75 - 0.6 = 0.15, to within the doubles' rounding */
    ck_assert(fabs(tdb_double(db, "SELECT margin FROM retention_map WHERE w_h = 0.25") + 0.05) <
              1e-12);
    ck_assert(fabs(tdb_double(db, "SELECT margin FROM retention_map WHERE w_h = 0.5") - 0.15) <
              1e-12);
    tdb_text(db, "SELECT sql FROM sqlite_master WHERE name = 'retention_map'", want, sizeof want);
    exec_sql(db, "DROP TABLE retention_map; UPDATE meta SET value = '3' WHERE key = "
                 "'schema_version'");
    ck_assert_int_eq(store_open_existing(db, 1, &st, err, sizeof err), STORE_ESCHEMA);
    ck_assert_msg(store_open_existing(db, 0, &st, err, sizeof err) == 0, "%s", err);
    store_close(st);
    ck_assert_int_eq(tdb_int(db, "SELECT value FROM meta WHERE key = 'schema_version'"), 4);
    tdb_text(db, "SELECT sql FROM sqlite_master WHERE name = 'retention_map'", got, sizeof got);
    ck_assert_str_eq(got, want);
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM runs"), 1); /* data kept */
}
END_TEST

/* A one-run shard: 2 entities, 3 samples, 1 ledger row, 1 epoch row; status as given. */
static void make_shard(const char *name, uint32_t index, int status, const char *metric,
                       char digest[65])
{
    store *st = fresh(name);
    char pj[64];
    snprintf(pj, sizeof pj, "{\"k\": %u}", index);
    store_run_info info = {"shardy", "name = \"shardy\";", 77 + index, index, pj};
    int64_t id;
    ck_assert_int_eq(store_run_begin(st, &info, &id), 0);
    ck_assert_int_eq(store_entity(st, id, 0, "agent", "miner", "a", 0), 0);
    ck_assert_int_eq(store_entity(st, id, 1, "agent", NULL, NULL, 1), 0);
    ck_assert_int_eq(store_series_i64(st, id, 0, 0, "x", 0, 5), 0);
    ck_assert_int_eq(store_series_f64(st, id, 1, 1, "x", 0, 2.5), 0);
    ck_assert_int_eq(store_series_f64(st, id, 1, 1, "y", 1, (double)index), 0);
    ck_assert_int_eq(store_ledger(st, id, 0, 1, "mint", 0, 1, 1000, "r"), 0);
    store_epoch_row e = {1, 2, 3, 4, 5, 6, 7, 8, 1, 9};
    ck_assert_int_eq(store_epoch(st, id, &e), 0);
    ck_assert_int_eq(store_run_end(st, id, status, status ? "boom" : NULL, 0.1, digest), 0);
    if (metric)
        ck_assert_int_eq(store_meta_set(st, "sweep_metric", metric), 0);
    store_close(st);
}

static int64_t count_rows(const char *db, const char *table, int64_t run_id)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE run_id = %lld", table,
             (long long)run_id);
    return tdb_int(db, sql);
}

START_TEST(test_merge_keeps_digest)
{
    char d_shard[65], d_main[65];
    make_shard("sh1.db", 7, STORE_RUN_DONE, "1.5", d_shard);
    store *st = fresh("main.db");
    /* an earlier run so the merged one gets a different run_id than in its shard */
    store_run_info info = {"other", "x", 1, 0, NULL};
    int64_t other, sid;
    ck_assert_int_eq(store_run_begin(st, &info, &other), 0);
    ck_assert_int_eq(store_run_end(st, other, STORE_RUN_DONE, NULL, 0.0, NULL), 0);
    store_sweep_info si = {"shardy", "grid", "k", NULL, NULL, "y", "last", 0, 0, 0, 77};
    ck_assert_int_eq(store_sweep_begin(st, &si, &sid), 0);
    store_merged m;
    ck_assert_msg(store_sweep_merge(st, tdb_tmp("sh1.db"), sid, &m) == 0, "%s", store_errmsg(st));
    ck_assert_int_eq(m.run_id, 2);
    ck_assert_int_eq(m.run_index, 7);
    ck_assert_str_eq(m.status, "done");
    ck_assert_int_eq(m.has_metric, 1);
    ck_assert(m.metric == 1.5);
    ck_assert_str_eq(m.digest, d_shard);
    ck_assert_int_eq(store_digest(st, 2, d_main), 0); /* recomputed from the copied rows */
    ck_assert_str_eq(d_main, d_shard);
    store_close(st);
    const char *db = tdb_tmp("main.db");
    ck_assert_int_eq(count_rows(db, "entities", 2), 2);
    ck_assert_int_eq(count_rows(db, "series", 2), 3);
    ck_assert_int_eq(count_rows(db, "ledger", 2), 1);
    ck_assert_int_eq(count_rows(db, "epochs", 2), 1);
    ck_assert_int_eq(count_rows(db, "series", 1), 0);
    ck_assert_int_eq(tdb_int(db, "SELECT seed FROM runs WHERE run_id = 2"), 84);
    ck_assert_int_eq(tdb_int(db, "SELECT run_index FROM runs WHERE run_id = 2"), 7);
    char v[128];
    tdb_text(db, "SELECT value || '|' || metric || '|' || verdict || '|' || idx FROM sweep_points",
             v, sizeof v);
    ck_assert_str_eq(v, "{\"k\": 7}|1.5|done|7");
}
END_TEST

static int collect(void *ctx, int64_t idx, const char *verdict, int has, double metric)
{
    char *buf = ctx;
    size_t n = strlen(buf);
    snprintf(buf + n, 256 - n, "%lld:%s:%s;", (long long)idx, verdict,
             has ? (metric == 2.0 ? "2" : "?") : "-");
    return 0;
}

START_TEST(test_prune_and_walk)
{
    char d[65];
    make_shard("p0.db", 0, STORE_RUN_DONE, "2", d);
    make_shard("p1.db", 1, STORE_RUN_FAILED, NULL, d);
    make_shard("p2.db", 2, STORE_RUN_DONE, NULL, d);
    store *st = fresh("prune.db");
    store_sweep_info si = {"shardy", "grid", "k", NULL, NULL, "y", "last", 0, 0, 0, 77};
    int64_t sid, dangling, kept = -1;
    store_merged m;
    ck_assert_int_eq(store_sweep_begin(st, &si, &sid), 0);
    ck_assert_int_eq(store_sweep_set_spec(st, sid, "grid k=1,2,3"), 0);
    ck_assert_int_eq(store_sweep_merge(st, tdb_tmp("p2.db"), sid, &m), 0);
    ck_assert_int_eq(store_sweep_merge(st, tdb_tmp("p1.db"), sid, &m), 0);
    ck_assert_str_eq(m.status, "failed");
    ck_assert_str_eq(m.error, "boom");
    ck_assert_int_eq(store_sweep_merge(st, tdb_tmp("p0.db"), sid, &m), 0);
    char walk[256] = "";
    ck_assert_int_eq(store_sweep_points_each(st, sid, collect, walk), 0);
    ck_assert_str_eq(walk, "0:done:2;1:failed:-;2:done:-;");
    /* a run a killed writer left 'running' */
    store_run_info info = {"shardy", "x", 1, 3, NULL};
    ck_assert_int_eq(store_run_begin(st, &info, &dangling), 0);
    store_sens_row r = {"y:last", "k", "morris", 1.0, 2.0};
    ck_assert_int_eq(store_sensitivity(st, sid, &r), 0);
    ck_assert_int_eq(store_sweep_end(st, sid, "failed", 0, 0.0, "1 of 3 runs failed"), 0);
    int64_t found = 0;
    ck_assert_int_eq(store_sweep_find(st, "grid k=1,2,3", &found), 0);
    ck_assert_int_eq(found, sid);
    ck_assert_int_eq(store_sweep_find(st, "grid k=1,2", &found), STORE_ENOTFOUND);
    store_close(st);
    const char *db = tdb_tmp("prune.db");
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM sensitivity WHERE mu_star = 1 AND"
                                 " sigma = 2 AND s1 IS NULL AND st IS NULL"),
                     1);
    char err[512];
    ck_assert_int_eq(store_open_existing(db, 0, &st, err, sizeof err), 0);
    ck_assert_int_eq(store_sweep_prune(st, sid, &kept), 0);
    ck_assert_int_eq(kept, 2);
    walk[0] = '\0';
    ck_assert_int_eq(store_sweep_points_each(st, sid, collect, walk), 0);
    ck_assert_str_eq(walk, "0:done:2;2:done:-;");
    store_close(st);
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM runs"), 2);
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM runs WHERE status != 'done'"), 0);
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM series"), 6); /* 2 runs x 3 */
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM sensitivity"), 0);
    ck_assert_int_eq(tdb_int(db, "SELECT status = 'running' AND message IS NULL FROM sweeps"), 1);
}
END_TEST

START_TEST(test_merge_bad_shard)
{
    store *st = fresh("bad.db");
    store_merged m;
    FILE *f = fopen(tdb_tmp("junk.db"), "w");
    ck_assert_ptr_nonnull(f);
    fputs("not a database at all, not even close to one.......................................", f);
    fclose(f);
    ck_assert_int_ne(store_sweep_merge(st, tdb_tmp("junk.db"), 1, &m), 0);
    store *empty = fresh("empty.db");
    store_close(empty);
    ck_assert_int_eq(store_sweep_merge(st, tdb_tmp("empty.db"), 1, &m), STORE_ENOTFOUND);
    /* the store still works after failed merges (the shard was detached) */
    store_sweep_info si = {"s", "grid", "k", NULL, NULL, "y", "last", 0, 0, 0, 1};
    int64_t sid;
    ck_assert_int_eq(store_sweep_begin(st, &si, &sid), 0);
    store_close(st);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("store_v3");
    TCase *c = tcase_create("v3");
    tcase_add_test(c, test_new_file_is_v3);
    tcase_add_test(c, test_migrate_2_to_3);
    tcase_add_test(c, test_migrate_3_to_4);
    tcase_add_test(c, test_merge_keeps_digest);
    tcase_add_test(c, test_prune_and_walk);
    tcase_add_test(c, test_merge_bad_shard);
    suite_add_tcase(s, c);
    return s;
}

int main(void)
{
    return tdb_run(suite());
}
