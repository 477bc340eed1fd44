/*
** check_store_v2.c: schema v2 of the metrics store (store_sweep.h): new files carry the study and
** sweep tables, v1 files migrate to v2 (and only writable opens migrate), the writers store
** what they are given, and store_series_reduce reduces samples as computed here by hand.
*/
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store.h"
#include "store_sweep.h"
#include "tdb.h"

static char dir[256];

static const char *path(const char *name)
{
    static char buf[4][400];
    static int k;
    char *b = buf[k++ % 4];
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/tokensim-store2-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(dir));
    }
    snprintf(b, 400, "%s/%s", dir, name);
    return b;
}

static sqlite3 *open_db(const char *p)
{
    sqlite3 *db = NULL;
    ck_assert_int_eq(sqlite3_open(p, &db), SQLITE_OK);
    return db;
}

static const char *q_text(sqlite3 *db, const char *sql)
{
    static char buf[2048];
    sqlite3_stmt *s;
    ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK, "%s: %s", sql,
                  sqlite3_errmsg(db));
    ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
    const unsigned char *t = sqlite3_column_text(s, 0);
    snprintf(buf, sizeof buf, "%s", t ? (const char *)t : "<null>");
    sqlite3_finalize(s);
    return buf;
}

/* A file as schema v1 wrote it (the v1 CREATE statements of store.c at v1, one run). */
static void craft_v1(const char *p)
{
    unlink(p);
    sqlite3 *db = open_db(p);
    const char *sql =
        "CREATE TABLE meta(key TEXT PRIMARY KEY NOT NULL, value TEXT);"
        "CREATE TABLE runs(run_id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " scenario_name TEXT NOT NULL, scenario_text TEXT NOT NULL, scenario_sha256 TEXT NOT NULL,"
        " seed INTEGER NOT NULL, run_index INTEGER NOT NULL, params_json TEXT,"
        " status TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT, wall_seconds REAL,"
        " digest TEXT, error TEXT);"
        "CREATE TABLE entities(run_id INTEGER NOT NULL, entity_id INTEGER NOT NULL,"
        " kind TEXT NOT NULL, role TEXT, name TEXT, group_id INTEGER NOT NULL);"
        "CREATE TABLE series(run_id INTEGER NOT NULL, t INTEGER NOT NULL, block INTEGER NOT NULL,"
        " metric TEXT NOT NULL, entity_id INTEGER NOT NULL, value NOT NULL);"
        "CREATE TABLE ledger(run_id INTEGER NOT NULL, seq INTEGER NOT NULL, t INTEGER NOT NULL,"
        " kind TEXT NOT NULL, src INTEGER NOT NULL, dst INTEGER NOT NULL,"
        " amount INTEGER NOT NULL, reason TEXT);"
        "CREATE TABLE epochs(run_id INTEGER NOT NULL, net INTEGER NOT NULL, block INTEGER NOT NULL,"
        " uid INTEGER NOT NULL, stake INTEGER NOT NULL, consensus INTEGER NOT NULL,"
        " incentive INTEGER NOT NULL, dividends INTEGER NOT NULL, validator_trust INTEGER NOT NULL,"
        " permit INTEGER NOT NULL, emission INTEGER NOT NULL);"
        "INSERT INTO meta VALUES ('schema_version', '1'), ('digest_format', 'tokensim-digest-v1');"
        "INSERT INTO runs(scenario_name, scenario_text, scenario_sha256, seed, run_index, status,"
        " started_at) VALUES ('old', 'x', 'ab', 5, 0, 'done', 'then');"
        "INSERT INTO series VALUES (1, 0, 0, 'share', 1, 0.25);";
    ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static const char *tables(sqlite3 *db)
{
    return q_text(db, "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master"
                      " WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name)");
}

#define ALL_TABLES                                                                                 \
    "entities,epochs,ledger,meta,retention,retention_map,runs,sensitivity,series,sweep_points,"    \
    "sweeps"

START_TEST(test_new_file_is_v2)
{
    store *st = NULL;
    char err[256];
    ck_assert_int_eq(store_open(path("new.db"), STORE_FORCE, &st, err, sizeof err), STORE_OK);
    store_close(st);
    sqlite3 *db = open_db(path("new.db"));
    ck_assert_str_eq(q_text(db, "SELECT value FROM meta WHERE key = 'schema_version'"), "4");
    ck_assert_str_eq(tables(db), ALL_TABLES);
    ck_assert_str_eq(q_text(db, "SELECT group_concat(name, ',') FROM"
                                " pragma_table_info('retention')"),
                     "run_id,setting,kappa,beta,xi,sigma,s_h,w_c,w_h_needed,evals");
    sqlite3_close(db);
}
END_TEST

START_TEST(test_v1_migrates)
{
    const char *p = path("v1.db");
    craft_v1(p);
    store *st = NULL;
    char err[256];
    ck_assert_int_eq(store_open_existing(p, 1, &st, err, sizeof err), STORE_ESCHEMA);
    ck_assert_msg(strstr(err, "schema version 1 is older than 4") != NULL, "%s", err);
    ck_assert_int_eq(store_open_existing(p, 0, &st, err, sizeof err), STORE_OK);
    store_close(st);
    sqlite3 *db = open_db(p);
    ck_assert_str_eq(q_text(db, "SELECT value FROM meta WHERE key = 'schema_version'"), "4");
    ck_assert_str_eq(tables(db), ALL_TABLES);
    ck_assert_str_eq(q_text(db, "SELECT scenario_name || value FROM runs, series"), "old0.25");
    /* the migrated schema is the new one, column for column */
    char a[2048];
    snprintf(a, sizeof a, "%s",
             q_text(db, "SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_master WHERE"
                        " name IN ('retention', 'sweeps', 'sweep_points') ORDER BY name)"));
    sqlite3_close(db);
    ck_assert_int_eq(store_open(path("new2.db"), STORE_FORCE, &st, err, sizeof err), STORE_OK);
    store_close(st);
    db = open_db(path("new2.db"));
    ck_assert_str_eq(a, q_text(db, "SELECT group_concat(sql, ';') FROM (SELECT sql FROM"
                                   " sqlite_master WHERE name IN ('retention', 'sweeps',"
                                   " 'sweep_points') ORDER BY name)"));
    sqlite3_close(db);
    /* migrated, it opens read-only */
    ck_assert_int_eq(store_open_existing(p, 1, &st, err, sizeof err), STORE_OK);
    store_close(st);
}
END_TEST

START_TEST(test_writers_and_reduce)
{
    store *st = NULL;
    char err[256];
    ck_assert_int_eq(store_open(path("w.db"), STORE_FORCE, &st, err, sizeof err), STORE_OK);
    store_run_info info = {"s", "text", 3, 0, NULL};
    int64_t run = 0, sweep = 0;
    ck_assert_int_eq(store_run_begin(st, &info, &run), STORE_OK);
    /* samples at (t, entity): (0,1)=4, (0,2)=-1, (5,1)=2.5, (9,1)=7 plus another metric */
    ck_assert_int_eq(store_series_f64(st, run, 9, 9, "m", 1, 7.0), STORE_OK);
    ck_assert_int_eq(store_series_f64(st, run, 0, 0, "m", 2, -1.0), STORE_OK);
    ck_assert_int_eq(store_series_i64(st, run, 0, 0, "m", 1, 4), STORE_OK);
    ck_assert_int_eq(store_series_f64(st, run, 5, 5, "m", 1, 2.5), STORE_OK);
    ck_assert_int_eq(store_series_f64(st, run, 10, 10, "other", 1, 100.0), STORE_OK);
    double v;
    int64_t n;
    ck_assert_int_eq(store_series_reduce(st, run, "m", STORE_REDUCE_LAST, &v, &n), STORE_OK);
    ck_assert(v == 7.0 && n == 4);
    ck_assert_int_eq(store_series_reduce(st, run, "m", STORE_REDUCE_MEAN, &v, &n), STORE_OK);
    ck_assert(v == 12.5 / 4.0);
    ck_assert_int_eq(store_series_reduce(st, run, "m", STORE_REDUCE_MIN, &v, &n), STORE_OK);
    ck_assert(v == -1.0);
    ck_assert_int_eq(store_series_reduce(st, run, "m", STORE_REDUCE_MAX, &v, &n), STORE_OK);
    ck_assert(v == 7.0);
    ck_assert_int_eq(store_series_reduce(st, run, "none", STORE_REDUCE_MAX, &v, &n),
                     STORE_ENOTFOUND);
    ck_assert_int_eq(store_reduce_parse("mean"), STORE_REDUCE_MEAN);
    ck_assert_int_eq(store_reduce_parse("median"), -1);

    store_retention_row rows[2] = {{0, 0.5, 1, 0.5, 0, 0.6, 0.2, 1, 0.44, 7},
                                   {0, 0.5, 1, 0.5, 0, 0.6, 0.4, 0, 0, 1}};
    ck_assert_int_eq(store_retention_rows(st, run, rows, 2), STORE_OK);
    store_sweep_info si = {"s", "bisect", "k", "0", "1", "m", "last", 0.5, 1e-3, 10, 3};
    ck_assert_int_eq(store_sweep_begin(st, &si, &sweep), STORE_OK);
    ck_assert_int_eq(store_sweep_point(st, sweep, 0, run, "0.25", 1, 0.1, "below"), STORE_OK);
    ck_assert_int_eq(store_sweep_point(st, sweep, 1, -1, "0.75", 0, 0, "failed"), STORE_OK);
    ck_assert_int_eq(store_sweep_end(st, sweep, "failed", 0, 0, "why"), STORE_OK);
    ck_assert_int_eq(store_run_end(st, run, STORE_RUN_DONE, NULL, 0, NULL), STORE_OK);
    store_close(st);
    sqlite3 *db = open_db(path("w.db"));
    ck_assert_str_eq(q_text(db, "SELECT group_concat(quote(w_h_needed), ',') FROM retention"),
                     "0.44,NULL");
    ck_assert_str_eq(q_text(db, "SELECT status || '|' || quote(result) || '|' || message ||"
                                " '|' || seed FROM sweeps"),
                     "failed|NULL|why|3");
    ck_assert_str_eq(q_text(db, "SELECT group_concat(quote(run_id) || verdict, ',') FROM"
                                " sweep_points"),
                     "1below,NULLfailed");
    sqlite3_close(db);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("store_v2");
    TCase *c = tcase_create("v2");
    tcase_add_test(c, test_new_file_is_v2);
    tcase_add_test(c, test_v1_migrates);
    tcase_add_test(c, test_writers_and_reduce);
    suite_add_tcase(s, c);
    return tdb_run(s);
}
