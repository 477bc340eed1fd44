/*
** check_store.c: unit tests of the SQLite metrics store (sim/store).
**
** Every test works in its own fresh temporary directory (checked fixture). Values written
** through the store API are read back with plain SQL through a separate sqlite3 connection and
** compared exactly; expected digests are computed here from the canonical format documented in
** store.h, built by hand and hashed with OpenSSL, never taken from the store's own output.
*/
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <dirent.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <sqlite3.h>

#include "store.h"
#include "tdb.h"

static char tmpdir[256]; /* per-test directory, made by setup */

static void setup(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/check_store_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
    DIR *d = opendir(tmpdir);
    if (!d)
        return;
    struct dirent *e;
    char f[600];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(f, sizeof f, "%s/%s", tmpdir, e->d_name);
        unlink(f);
    }
    closedir(d);
    rmdir(tmpdir);
}

/* ---- helpers ---- */

static const char *tpath(const char *name)
{
    static char buf[4][600];
    static int i;
    i = (i + 1) % 4;
    snprintf(buf[i], sizeof buf[i], "%s/%s", tmpdir, name);
    return buf[i];
}

static int file_exists(const char *path)
{
    struct stat sb;
    return lstat(path, &sb) == 0;
}

static int side_exists(const char *path, const char *suffix)
{
    char f[700];
    snprintf(f, sizeof f, "%s%s", path, suffix);
    return file_exists(f);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static sqlite3 *ro_db(const char *path)
{
    sqlite3 *db = NULL;
    ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    return db;
}

static sqlite3 *rw_db(const char *path)
{
    sqlite3 *db = NULL;
    ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    return db;
}

static void exec_ok(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, msg ? msg : "?");
}

static int64_t q_i64(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s = NULL;
    ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

/* First column of the first row as text ("<null>" for NULL) into a static buffer. */
static const char *q_text(sqlite3 *db, const char *sql)
{
    static char buf[4096];
    sqlite3_stmt *s = NULL;
    ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
    const unsigned char *t = sqlite3_column_text(s, 0);
    snprintf(buf, sizeof buf, "%s", t ? (const char *)t : "<null>");
    sqlite3_finalize(s);
    return buf;
}

static void sha256_hex(const void *p, size_t n, char hex[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    ck_assert_int_eq(EVP_Digest(p, n, md, &len, EVP_sha256(), NULL), 1);
    ck_assert_uint_eq(len, 32);
    for (size_t i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

static store *open_new(const char *path)
{
    store *st = NULL;
    char err[512] = "";
    int rc = store_open(path, 0, &st, err, sizeof err);
    ck_assert_msg(rc == STORE_OK, "store_open: %s", err);
    ck_assert_ptr_nonnull(st);
    return st;
}

static store_run_info info_of(const char *text, uint64_t seed)
{
    store_run_info ri = {"demo", text, seed, 0, NULL};
    return ri;
}

static int64_t begin(store *st, const char *text, uint64_t seed)
{
    store_run_info ri = info_of(text, seed);
    int64_t id = -1;
    ck_assert_msg(store_run_begin(st, &ri, &id) == STORE_OK, "%s", store_errmsg(st));
    ck_assert_int_gt(id, 0);
    return id;
}

/* ---- round trip ---- */

static const double reals[] = {0.1, -1e308, 4.9406564584124654e-324, DBL_MAX, 1.0, -2.5, 1.0 / 3.0};

START_TEST(test_roundtrip)
{
    const char *p = tpath("rt.db");
    store *st = open_new(p);
    ck_assert_int_eq(store_meta_set(st, "tokensim_version", "0.1.0-test"), STORE_OK);
    store_run_info ri = {"roundtrip", "net = 1;\n", 0xFEDCBA9876543210u, 7, "{\"k\":2}"};
    int64_t run = -1;
    ck_assert_int_eq(store_run_begin(st, &ri, &run), STORE_OK);
    ck_assert_int_eq(store_entity(st, run, 1, "miner", NULL, NULL, -1), STORE_OK);
    ck_assert_int_eq(store_entity(st, run, INT64_MAX, "validator", "owner", "v\xc3\xa9;\n", 9),
                     STORE_OK);
    /* 123 integer samples: two full batches and a tail, with the extremes in between. */
    for (int i = 0; i < 123; i++) {
        int64_t v = i == 5 ? INT64_MIN : i == 77 ? INT64_MAX : (int64_t)i * -1000003;
        ck_assert_int_eq(store_series_i64(st, run, i, i / 10, "stake", i % 4, v), STORE_OK);
    }
    for (size_t i = 0; i < sizeof reals / sizeof *reals; i++)
        ck_assert_int_eq(store_series_f64(st, run, 500, 50, "apy", (int64_t)i, reals[i]), STORE_OK);
    ck_assert_int_eq(store_series_f64(st, run, 501, 50, "apy", 0, -0.0), STORE_OK);
    ck_assert_int_eq(store_series_f64(st, run, 502, 50, "apy", 0, INFINITY), STORE_OK);
    ck_assert_int_eq(store_ledger(st, run, 1, 3, "mint", -1, 4, (uint64_t)INT64_MAX, "coinbase"),
                     STORE_OK);
    ck_assert_int_eq(store_ledger(st, run, 2, 3, "burn", 4, -1, 0, NULL), STORE_OK);
    store_epoch_row er = {2, 360, 17, 123456789012345u,   INT64_MIN, 65535,
                          0, -1,  1,  (uint64_t)INT64_MAX};
    ck_assert_int_eq(store_epoch(st, run, &er), STORE_OK);
    char dig[65];
    ck_assert_int_eq(store_run_end(st, run, STORE_RUN_DONE, "ignored", 1.25, dig), STORE_OK);
    ck_assert_uint_eq(strlen(dig), 64);
    store_close(st);

    sqlite3 *db = ro_db(p);
    ck_assert_str_eq(q_text(db, "SELECT value FROM meta WHERE key='tokensim_version'"),
                     "0.1.0-test");
    ck_assert_int_eq(q_i64(db, "SELECT count(*) FROM series"), 123 + 9);
    sqlite3_stmt *s = NULL;
    ck_assert_int_eq(sqlite3_prepare_v2(db,
                                        "SELECT run_id, t, block, metric, entity_id, value,"
                                        " typeof(value) FROM series WHERE metric='stake'"
                                        " ORDER BY t",
                                        -1, &s, NULL),
                     SQLITE_OK);
    for (int i = 0; i < 123; i++) {
        int64_t v = i == 5 ? INT64_MIN : i == 77 ? INT64_MAX : (int64_t)i * -1000003;
        ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
        ck_assert_int_eq(sqlite3_column_int64(s, 0), run);
        ck_assert_int_eq(sqlite3_column_int64(s, 1), i);
        ck_assert_int_eq(sqlite3_column_int64(s, 2), i / 10);
        ck_assert_str_eq((const char *)sqlite3_column_text(s, 3), "stake");
        ck_assert_int_eq(sqlite3_column_int64(s, 4), i % 4);
        ck_assert_int_eq(sqlite3_column_int64(s, 5), v);
        ck_assert_str_eq((const char *)sqlite3_column_text(s, 6), "integer");
    }
    ck_assert_int_eq(sqlite3_step(s), SQLITE_DONE);
    sqlite3_finalize(s);
    ck_assert_int_eq(sqlite3_prepare_v2(db,
                                        "SELECT value, typeof(value), entity_id, t FROM series"
                                        " WHERE metric='apy' ORDER BY t, entity_id",
                                        -1, &s, NULL),
                     SQLITE_OK);
    for (size_t i = 0; i < sizeof reals / sizeof *reals; i++) {
        ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
        double got = sqlite3_column_double(s, 0);
        uint64_t gb, wb; /* bit patterns: the store must keep every double exactly */
        memcpy(&gb, &got, sizeof gb);
        memcpy(&wb, &reals[i], sizeof wb);
        ck_assert_msg(gb == wb, "real %zu: %a != %a", i, got, reals[i]);
        ck_assert_str_eq((const char *)sqlite3_column_text(s, 1), "real");
        ck_assert_int_eq(sqlite3_column_int64(s, 2), (int64_t)i);
    }
    ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW); /* -0.0 is stored as +0.0 */
    double z = sqlite3_column_double(s, 0);
    ck_assert(z == 0.0 && !signbit(z));
    ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
    ck_assert(isinf(sqlite3_column_double(s, 0)) && sqlite3_column_double(s, 0) > 0);
    sqlite3_finalize(s);

    ck_assert_str_eq(q_text(db, "SELECT kind || '|' || quote(role) || '|' || quote(name) || '|'"
                                " || group_id FROM entities WHERE entity_id = 1"),
                     "miner|NULL|NULL|-1");
    ck_assert_str_eq(q_text(db, "SELECT name FROM entities WHERE entity_id = 9223372036854775807"),
                     "v\xc3\xa9;\n");
    ck_assert_int_eq(q_i64(db, "SELECT amount FROM ledger WHERE seq = 1"), INT64_MAX);
    ck_assert_str_eq(q_text(db, "SELECT typeof(amount) || quote(reason) FROM ledger"
                                " WHERE seq = 2"),
                     "integerNULL");
    ck_assert_int_eq(q_i64(db, "SELECT src FROM ledger WHERE seq = 1"), -1);
    ck_assert_int_eq(q_i64(db, "SELECT stake FROM epochs"), 123456789012345);
    ck_assert_int_eq(q_i64(db, "SELECT consensus FROM epochs"), INT64_MIN);
    ck_assert_int_eq(q_i64(db, "SELECT emission FROM epochs"), INT64_MAX);
    ck_assert_int_eq(q_i64(db, "SELECT validator_trust FROM epochs"), -1);
    ck_assert_int_eq(q_i64(db, "SELECT incentive + 1000000 * dividends + permit FROM epochs"),
                     65536);
    ck_assert_int_eq(q_i64(db, "SELECT net * 1000000 + block * 100 + uid FROM epochs"), 2036017);

    char sha[65];
    sha256_hex("net = 1;\n", 9, sha);
    ck_assert_str_eq(q_text(db, "SELECT scenario_sha256 FROM runs"), sha);
    ck_assert_int_eq((uint64_t)q_i64(db, "SELECT seed FROM runs"), 0xFEDCBA9876543210u);
    ck_assert_int_eq(q_i64(db, "SELECT run_index FROM runs"), 7);
    ck_assert_str_eq(q_text(db, "SELECT params_json FROM runs"), "{\"k\":2}");
    ck_assert_str_eq(q_text(db, "SELECT status FROM runs"), "done");
    ck_assert_str_eq(q_text(db, "SELECT quote(error) FROM runs"), "NULL");
    ck_assert_str_eq(q_text(db, "SELECT digest FROM runs"), dig);
    ck_assert_str_eq(q_text(db, "SELECT wall_seconds FROM runs"), "1.25");
    ck_assert_int_eq(q_i64(db, "SELECT started_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
                               "T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z' AND finished_at >= started_at"
                               " FROM runs"),
                     1);
    sqlite3_close(db);
}
END_TEST

/* ---- status lifecycle ---- */

START_TEST(test_lifecycle)
{
    const char *p = tpath("life.db");
    store *st = open_new(p);
    int64_t a = begin(st, "a", 1), b = begin(st, "b", 2), c = begin(st, "c", 3);
    /* begin commits at once: another process already sees the 'running' rows. */
    sqlite3 *peek = ro_db(p);
    ck_assert_int_eq(q_i64(peek, "SELECT count(*) FROM runs WHERE status = 'running'"), 3);
    sqlite3_close(peek);

    ck_assert_int_eq(store_series_i64(st, a, 0, 0, "m", 1, 10), STORE_OK);
    ck_assert_int_eq(store_run_end(st, a, STORE_RUN_DONE, NULL, 0.5, NULL), STORE_OK);
    ck_assert_int_eq(store_run_end(st, b, STORE_RUN_FAILED, "agent 4: bad bid", 0.25, NULL),
                     STORE_OK);
    ck_assert_int_eq(store_run_end(st, c, STORE_RUN_INTERRUPTED, "SIGINT", 0.125, NULL), STORE_OK);
    /* Ended runs accept nothing more and cannot be ended twice. */
    ck_assert_int_eq(store_series_i64(st, a, 1, 0, "m", 1, 11), STORE_ESTATE);
    ck_assert_int_eq(store_run_end(st, b, STORE_RUN_DONE, NULL, 0, NULL), STORE_ESTATE);
    ck_assert_ptr_nonnull(strstr(store_errmsg(st), "not running"));
    ck_assert_int_eq(store_run_end(st, 999, STORE_RUN_DONE, NULL, 0, NULL), STORE_ENOTFOUND);
    ck_assert_int_eq(store_run_end(st, c, 17, NULL, 0, NULL), STORE_EINVAL);
    int64_t d = begin(st, "d", 4); /* left running: what a crash looks like */
    (void)d;
    store_close(st);

    sqlite3 *db = ro_db(p);
    ck_assert_str_eq(q_text(db, "SELECT group_concat(status || ':' || quote(error), ',')"
                                " FROM (SELECT * FROM runs ORDER BY run_id)"),
                     "done:NULL,failed:'agent 4: bad bid',interrupted:'SIGINT',running:NULL");
    ck_assert_int_eq(q_i64(db, "SELECT count(*) FROM series"), 1);
    ck_assert_int_eq(q_i64(db, "SELECT count(*) FROM runs WHERE status <> 'running'"
                               " AND (digest IS NULL OR finished_at IS NULL)"),
                     0);
    sqlite3_close(db);
}
END_TEST

START_TEST(test_self_commit)
{
    const char *p = tpath("auto.db");
    store *st = open_new(p);
    int64_t run = begin(st, "s", 1);
    for (int i = 0; i < STORE_COMMIT_ROWS + 10; i++)
        ck_assert_int_eq(store_ledger(st, run, i, i, "mint", -1, 1, (uint64_t)i, NULL), STORE_OK);
    /* Without any flush, exactly the first STORE_COMMIT_ROWS rows are committed. */
    sqlite3 *peek = ro_db(p);
    ck_assert_int_eq(q_i64(peek, "SELECT count(*) FROM ledger"), STORE_COMMIT_ROWS);
    /* Series rows wait for STORE_SERIES_ROWS of them (more than a transaction's worth). */
    for (int i = 0; i < STORE_SERIES_ROWS + 10; i++)
        ck_assert_int_eq(store_series_i64(st, run, i, i, "m", 1, i), STORE_OK);
    ck_assert_int_eq(q_i64(peek, "SELECT count(*) FROM ledger"), STORE_COMMIT_ROWS);
    ck_assert_int_eq(q_i64(peek, "SELECT count(*) FROM series"), STORE_SERIES_ROWS);
    ck_assert_int_eq(store_flush(st), STORE_OK);
    ck_assert_int_eq(q_i64(peek, "SELECT count(*) FROM ledger"), STORE_COMMIT_ROWS + 10);
    ck_assert_int_eq(q_i64(peek, "SELECT count(*) FROM series"), STORE_SERIES_ROWS + 10);
    ck_assert_int_eq(q_i64(peek, "SELECT sum(value = t) FROM series"), STORE_SERIES_ROWS + 10);
    sqlite3_close(peek);
    ck_assert_int_eq(store_run_end(st, run, STORE_RUN_DONE, NULL, 0, NULL), STORE_OK);
    store_close(st);
}
END_TEST

/* Series rows are inserted a buffer at a time in the series index's order (metric as BINARY,
** then entity), each (metric, entity)'s rows in the order they were written, whatever their t:
** rowid order says so. Written: keys interleaved, t falling within a key. */
START_TEST(test_series_insert_order)
{
    const char *p = tpath("sorder.db");
    store *st = open_new(p);
    int64_t run = begin(st, "s", 1);
    static const char *const metric[] = {"b", "ab", "a", "b"};
    static const int64_t entity[] = {2, 9, 7, -1};
    for (int i = 0; i < 12; i++) /* key i % 4, its (i / 4)-th row, t = 100 - i */
        ck_assert_int_eq(store_series_i64(st, run, 100 - i, 0, metric[i % 4], entity[i % 4], i),
                         STORE_OK);
    ck_assert_int_eq(store_run_end(st, run, STORE_RUN_DONE, NULL, 0, NULL), STORE_OK);
    store_close(st);
    sqlite3 *db = ro_db(p);
    /* keys a/7, ab/9, b/-1, b/2 are written as i % 4 = 2, 1, 3, 0 */
    ck_assert_str_eq(q_text(db, "SELECT group_concat(value, ',') FROM (SELECT value FROM series"
                                " ORDER BY rowid)"),
                     "2,6,10,1,5,9,3,7,11,0,4,8");
    sqlite3_close(db);
}
END_TEST

/* ---- paths ---- */

START_TEST(test_existing_path)
{
    const char *p = tpath("x.db");
    write_file(p, "precious");
    store *st = (store *)1;
    char err[512];
    ck_assert_int_eq(store_open(p, 0, &st, err, sizeof err), STORE_EEXIST);
    ck_assert_ptr_null(st);
    char want[700];
    snprintf(want, sizeof want, "%s: already exists (use --force to overwrite)", p);
    ck_assert_str_eq(err, want);
    FILE *f = fopen(p, "r");
    char buf[32] = "";
    ck_assert_ptr_nonnull(fgets(buf, sizeof buf, f));
    fclose(f);
    ck_assert_str_eq(buf, "precious");

    char side[700];
    snprintf(side, sizeof side, "%s-wal", p);
    write_file(side, "junk wal");
    snprintf(side, sizeof side, "%s-journal", p);
    write_file(side, "junk journal");
    ck_assert_int_eq(store_open(p, STORE_FORCE, &st, err, sizeof err), STORE_OK);
    ck_assert_int_eq(store_run_end(st, begin(st, "s", 1), STORE_RUN_DONE, NULL, 0, NULL), STORE_OK);
    store_close(st);
    ck_assert(!side_exists(p, "-journal") && !side_exists(p, "-wal"));
    sqlite3 *db = ro_db(p);
    ck_assert_int_eq(q_i64(db, "SELECT count(*) FROM runs"), 1);
    sqlite3_close(db);

    /* A leftover journal next to a missing database is refused too. */
    const char *q = tpath("y.db");
    snprintf(side, sizeof side, "%s-wal", q);
    write_file(side, "junk");
    ck_assert_int_eq(store_open(q, 0, &st, err, sizeof err), STORE_EEXIST);
    ck_assert_ptr_nonnull(strstr(err, "y.db-wal: leftover"));
    ck_assert(!file_exists(q));
}
END_TEST

START_TEST(test_bad_dir)
{
    store *st = NULL;
    char err[512];
    char p[700];
    snprintf(p, sizeof p, "%s/no/such/dir/run.db", tmpdir);
    ck_assert_int_eq(store_open(p, 0, &st, err, sizeof err), STORE_EPATH);
    ck_assert_ptr_null(st);
    ck_assert_ptr_nonnull(strstr(err, "does not exist"));
    ck_assert_ptr_nonnull(strstr(err, "/no/such/dir'"));
    ck_assert_int_eq(store_open(p, STORE_FORCE, &st, err, sizeof err), STORE_EPATH);

    /* A path whose "directory" is a file. */
    write_file(tpath("plain"), "x");
    snprintf(p, sizeof p, "%s/plain/run.db", tmpdir);
    ck_assert_int_eq(store_open(p, 0, &st, err, sizeof err), STORE_EPATH);
    ck_assert_ptr_nonnull(strstr(err, "not a directory"));

    /* The path itself is a directory: refused even with --force. */
    ck_assert_int_eq(store_open(tmpdir, STORE_FORCE, &st, err, sizeof err), STORE_EPATH);
    ck_assert_ptr_nonnull(strstr(err, "is a directory"));

    /* Read-only directory: root ignores permissions, so only check as a normal user. */
    if (geteuid() != 0) {
        const char *ro = tpath("ro");
        ck_assert_int_eq(mkdir(ro, 0555), 0);
        snprintf(p, sizeof p, "%s/run.db", ro);
        ck_assert_int_eq(store_open(p, 0, &st, err, sizeof err), STORE_EPATH);
        ck_assert_ptr_nonnull(strstr(err, "not writable"));
        rmdir(ro);
    }
    ck_assert_int_eq(store_open(NULL, 0, &st, err, sizeof err), STORE_EINVAL);
    ck_assert_int_eq(store_open("", 0, &st, err, sizeof err), STORE_EINVAL);
    ck_assert_int_eq(store_open_existing(tpath("missing.db"), 1, &st, err, sizeof err),
                     STORE_EPATH);
}
END_TEST

/* ---- locks ---- */

START_TEST(test_locked_existing)
{
    const char *p = tpath("lock.db");
    store_close(open_new(p));
    sqlite3 *other = rw_db(p);
    exec_ok(other, "BEGIN EXCLUSIVE");
    store *st = NULL;
    char err[512], want[700];
    snprintf(want, sizeof want, "%s: database is locked by another process", p);
    ck_assert_int_eq(store_open_existing(p, 1, &st, err, sizeof err), STORE_EBUSY);
    ck_assert_ptr_null(st);
    ck_assert_msg(strncmp(err, want, strlen(want)) == 0, "%s", err);
    ck_assert_int_eq(store_open_existing(p, 0, &st, err, sizeof err), STORE_EBUSY);
    ck_assert_msg(strncmp(err, want, strlen(want)) == 0, "%s", err);
    exec_ok(other, "COMMIT");
    sqlite3_close(other);
    ck_assert_int_eq(store_open_existing(p, 1, &st, err, sizeof err), STORE_OK);
    store_close(st);
}
END_TEST

START_TEST(test_locked_while_writing)
{
    const char *p = tpath("lockw.db");
    store *st = open_new(p);
    int64_t run = begin(st, "s", 1);
    sqlite3 *other = rw_db(p);
    exec_ok(other, "BEGIN EXCLUSIVE");
    int rc = STORE_OK;
    for (int i = 0; i < STORE_SERIES_ROWS && rc == STORE_OK; i++)
        rc = store_series_i64(st, run, i, 0, "m", 1, i);
    ck_assert_int_eq(rc, STORE_EBUSY); /* the first full buffer hits the lock */
    ck_assert_ptr_nonnull(strstr(store_errmsg(st), "database is locked by another process"));
    ck_assert_int_eq(store_series_i64(st, run, 99, 0, "m", 1, 1), STORE_EBUSY); /* sticky */
    ck_assert_int_eq(store_flush(st), STORE_EBUSY);
    exec_ok(other, "COMMIT");
    sqlite3_close(other);
    /* Asking for 'done' after lost rows records 'failed' with the cause. */
    ck_assert_int_eq(store_run_end(st, run, STORE_RUN_DONE, NULL, 0, NULL), STORE_EBUSY);
    /* With no run open the store is usable again. */
    int64_t r2 = begin(st, "s", 2);
    ck_assert_int_eq(store_series_i64(st, r2, 0, 0, "m", 1, 5), STORE_OK);
    ck_assert_int_eq(store_run_end(st, r2, STORE_RUN_DONE, NULL, 0, NULL), STORE_OK);
    store_close(st);
    sqlite3 *db = ro_db(p);
    ck_assert_str_eq(q_text(db, "SELECT status FROM runs WHERE run_id = 1"), "failed");
    ck_assert_ptr_nonnull(strstr(q_text(db, "SELECT error FROM runs WHERE run_id = 1"),
                                 "database is locked by another process"));
    ck_assert_str_eq(q_text(db, "SELECT status FROM runs WHERE run_id = 2"), "done");
    ck_assert_int_eq(q_i64(db, "SELECT count(*) FROM series"), 1);
    sqlite3_close(db);
}
END_TEST

/* ---- disk full ---- */

/* Write samples until the store fails; returns the failing code. */
static int fill(store *st, int64_t run)
{
    int rc = STORE_OK;
    for (int64_t i = 0; i < 2000000 && rc == STORE_OK; i++)
        rc = store_series_i64(st, run, i, i, "filler_metric_name", i % 100, i * 7);
    return rc;
}

static store *full_store(const char *p, int64_t *run)
{
    store *st = open_new(p);
    *run = begin(st, "s", 1);
    int64_t set = store_test_set_max_pages(st, 64);
    ck_assert_int_eq(set, 64);
    ck_assert_int_eq(fill(st, *run), STORE_EFULL);
    ck_assert_msg(strstr(store_errmsg(st), "disk full") != NULL, "%s", store_errmsg(st));
    ck_assert_int_eq(store_series_i64(st, *run, 1, 1, "m", 1, 1), STORE_EFULL); /* sticky */
    return st;
}

START_TEST(test_disk_full_failed)
{
    const char *p = tpath("full.db");
    int64_t run;
    store *st = full_store(p, &run);
    ck_assert_int_eq(store_run_end(st, run, STORE_RUN_FAILED, "writer: disk full", 0, NULL),
                     STORE_OK);
    store_close(st);
    ck_assert(!side_exists(p, "-wal") && !side_exists(p, "-shm"));
    sqlite3 *db = ro_db(p);
    ck_assert_str_eq(q_text(db, "SELECT status || '|' || error FROM runs"),
                     "failed|writer: disk full");
    ck_assert_str_eq(q_text(db, "PRAGMA integrity_check"), "ok");
    sqlite3_close(db);
}
END_TEST

START_TEST(test_disk_full_done)
{
    const char *p = tpath("full2.db");
    int64_t run;
    store *st = full_store(p, &run);
    char dig[65] = "x";
    ck_assert_int_eq(store_run_end(st, run, STORE_RUN_DONE, NULL, 0, dig), STORE_EFULL);
    ck_assert_ptr_nonnull(strstr(store_errmsg(st), "disk full"));
    store_close(st);
    sqlite3 *db = ro_db(p);
    ck_assert_str_eq(q_text(db, "SELECT status FROM runs"), "failed");
    ck_assert_ptr_nonnull(strstr(q_text(db, "SELECT error FROM runs"), "disk full"));
    ck_assert_str_eq(q_text(db, "PRAGMA integrity_check"), "ok");
    sqlite3_close(db);
}
END_TEST

/* ---- range and argument errors ---- */

START_TEST(test_ranges)
{
    const char *p = tpath("range.db");
    store *st = open_new(p);
    int64_t run = begin(st, "s", 1);
    uint64_t big = (uint64_t)INT64_MAX + 1u;
    ck_assert_int_eq(store_ledger(st, run, 1, 0, "mint", 0, 1, big, NULL), STORE_ERANGE);
    ck_assert_ptr_nonnull(strstr(store_errmsg(st), "9223372036854775808 exceeds INT64_MAX"));
    ck_assert_int_eq(store_ledger(st, run, 2, 0, "mint", 0, 1, UINT64_MAX, NULL), STORE_ERANGE);
    store_epoch_row er = {1, 1, 1, big, 0, 0, 0, 0, 0, 0};
    ck_assert_int_eq(store_epoch(st, run, &er), STORE_ERANGE);
    er.stake = 0;
    er.emission = UINT64_MAX;
    ck_assert_int_eq(store_epoch(st, run, &er), STORE_ERANGE);
    /* Not sticky: valid rows still go in. */
    ck_assert_int_eq(store_ledger(st, run, 3, 0, "mint", 0, 1, (uint64_t)INT64_MAX, NULL),
                     STORE_OK);
    ck_assert_int_eq(store_series_f64(st, run, 0, 0, "x", 1, NAN), STORE_EINVAL);
    ck_assert_int_eq(store_series_i64(st, run, 0, 0, NULL, 1, 1), STORE_EINVAL);
    ck_assert_int_eq(store_entity(st, run, 1, NULL, "r", "n", 0), STORE_EINVAL);
    ck_assert_int_eq(store_ledger(st, run, 4, 0, NULL, 0, 1, 1, NULL), STORE_EINVAL);
    ck_assert_int_eq(store_epoch(st, run, NULL), STORE_EINVAL);
    ck_assert_int_eq(store_series_i64(st, run + 5, 0, 0, "m", 1, 1), STORE_ESTATE);
    ck_assert_int_eq(store_series_i64(NULL, run, 0, 0, "m", 1, 1), STORE_EINVAL);
    ck_assert_int_eq(store_meta_set(st, "schema_version", "9"), STORE_EINVAL);
    ck_assert_int_eq(store_run_begin(st, NULL, NULL), STORE_EINVAL);
    ck_assert_int_eq(store_run_end(st, run, STORE_RUN_DONE, NULL, 0, NULL), STORE_OK);
    store_close(st);
    store_close(NULL);
    ck_assert_str_eq(store_strerror(STORE_EFULL), "disk full");
    ck_assert_str_eq(store_strerror(12345), "unknown store error");
    sqlite3 *db = ro_db(p);
    ck_assert_int_eq(q_i64(db, "SELECT count(*) FROM ledger"), 1);
    ck_assert_int_eq(q_i64(db, "SELECT amount FROM ledger"), INT64_MAX);
    ck_assert_int_eq(q_i64(db, "SELECT count(*) FROM epochs"), 0);
    sqlite3_close(db);

    /* A read-only store refuses writes. */
    char err[512];
    ck_assert_int_eq(store_open_existing(p, 1, &st, err, sizeof err), STORE_OK);
    ck_assert_int_eq(store_meta_set(st, "k", "v"), STORE_ESTATE);
    store_run_info ri = info_of("s", 1);
    int64_t id;
    ck_assert_int_eq(store_run_begin(st, &ri, &id), STORE_ESTATE);
    ck_assert_int_eq(store_flush(st), STORE_ESTATE);
    store_close(st);
}
END_TEST

/* ---- digest ---- */

typedef struct drow {
    int kind;        /* 0 entity, 1 series i64, 2 series f64, 3 ledger, 4 epoch */
    int64_t a, b, c; /* t/seq/id..., see emit() */
    double f;        /* f64 value */
    const char *s;   /* metric/kind text */
} drow;

enum { NROWS = 260 };

static void make_rows(drow *r)
{
    for (int i = 0; i < NROWS; i++) {
        r[i].kind = i % 5;
        r[i].a = i * 37 % 101;
        r[i].b = i % 7 - 3;
        r[i].c = (int64_t)i * 1000003;
        r[i].f = (double)i / 7.0;
        r[i].s = i % 3 == 0 ? "alpha" : i % 3 == 1 ? "beta" : "gamma";
    }
}

static void emit(store *st, int64_t run, const drow *r)
{
    int rc = STORE_OK;
    store_epoch_row er = {r->b, r->a, r->c % 64, (uint64_t)r->c, r->a, r->b, 0, 1, 1, 5};
    switch (r->kind) {
    case 0:
        rc = store_entity(st, run, r->c, r->s, NULL, "n", r->b);
        break;
    case 1:
        rc = store_series_i64(st, run, r->a, r->b, r->s, r->b, r->c);
        break;
    case 2:
        rc = store_series_f64(st, run, r->a, r->b, r->s, r->b, r->f);
        break;
    case 3:
        rc = store_ledger(st, run, r->a, r->b, r->s, r->b, r->a, (uint64_t)r->c, "why");
        break;
    default:
        rc = store_epoch(st, run, &er);
        break;
    }
    ck_assert_msg(rc == STORE_OK, "%s", store_errmsg(st));
}

/* Write rows in the order given by perm into a new run; return its digest. */
static void digest_run(store *st, const drow *rows, const int *perm, uint64_t seed,
                       const char *text, double wall, char dig[65])
{
    int64_t run = begin(st, text, seed);
    for (int i = 0; i < NROWS; i++)
        emit(st, run, &rows[perm ? perm[i] : i]);
    ck_assert_int_eq(store_run_end(st, run, STORE_RUN_DONE, NULL, wall, dig), STORE_OK);
    char again[65];
    ck_assert_int_eq(store_digest(st, run, again), STORE_OK);
    ck_assert_str_eq(again, dig);
}

/* A new store at path with two runs open at once, their rows interleaved: *shuffled gets the
** rows in perm's order, *plain in theirs. */
static store *two_runs(const char *path, const drow *rows, const int *perm, uint64_t seed,
                       int64_t *shuffled, int64_t *plain)
{
    store *st = open_new(path);
    *shuffled = begin(st, "scn", seed), *plain = begin(st, "scn", seed);
    for (int i = 0; i < NROWS; i++) {
        emit(st, *shuffled, &rows[perm[i]]);
        emit(st, *plain, &rows[i]);
    }
    return st;
}

START_TEST(test_digest_order)
{
    drow rows[NROWS];
    int perm[NROWS];
    make_rows(rows);
    for (int i = 0; i < NROWS; i++)
        perm[i] = i;
    uint64_t x = 88172645463325252u; /* xorshift64: a fixed shuffle */
    for (int i = NROWS - 1; i > 0; i--) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        int j = (int)(x % (uint64_t)(i + 1));
        int t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
    char d1[65], d2[65], d3[65], d4[65];
    store *st = open_new(tpath("d1.db"));
    digest_run(st, rows, NULL, 9, "scn", 1.0, d1);
    digest_run(st, rows, perm, 9, "scn", 2.0, d2); /* same file, later rowids, other order */
    store_close(st);
    ck_assert_str_eq(d1, d2);
    st = open_new(tpath("d2.db"));
    digest_run(st, rows, perm, 9, "scn", 3.0, d3);
    store_close(st);
    ck_assert_str_eq(d1, d3);
    /* Two runs open at once on one store, their rows interleaved. */
    int64_t ra, rb;
    st = two_runs(tpath("d3.db"), rows, perm, 9, &rb, &ra);
    ck_assert_int_eq(store_run_end(st, rb, STORE_RUN_DONE, NULL, 0, d4), STORE_OK);
    ck_assert_str_eq(d4, d1);
    ck_assert_int_eq(store_run_end(st, ra, STORE_RUN_DONE, NULL, 0, d4), STORE_OK);
    ck_assert_str_eq(d4, d1);
    store_close(st);
    /* A reader computes the same digest, and provenance edits do not change it. */
    sqlite3 *db = rw_db(tpath("d1.db"));
    exec_ok(db, "UPDATE runs SET started_at = '1999-01-01T00:00:00Z', finished_at = NULL,"
                " wall_seconds = 1e9, run_index = 44, scenario_name = 'z';"
                " INSERT INTO meta VALUES ('tokensim_version', '9.9')");
    sqlite3_close(db);
    char err[512];
    ck_assert_int_eq(store_open_existing(tpath("d1.db"), 1, &st, err, sizeof err), STORE_OK);
    ck_assert_int_eq(store_digest(st, 1, d4), STORE_OK);
    ck_assert_str_eq(d4, d1);
    ck_assert_int_eq(store_digest(st, 2, d4), STORE_OK);
    ck_assert_str_eq(d4, d1);
    ck_assert_int_eq(store_digest(st, 3, d4), STORE_ENOTFOUND);
    store_close(st);
}
END_TEST

/* Indexes of store_finish present in the file (the epochs and ledger indexes exist from the
** start: load_indexes, asserted here too). */
static int64_t finish_indexes(const char *path)
{
    sqlite3 *db = ro_db(path);
    int64_t n = q_i64(db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN"
                          " ('entities_by_id')");
    ck_assert_int_eq(q_i64(db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name"
                               " IN ('epochs_by_uid', 'ledger_by_seq', 'series_by_metric')"),
                     3);
    sqlite3_close(db);
    return n;
}

/* store_run_end_last builds the indexes on a second connection while the digest is computed:
** the digest is store_run_end's (rows shuffled, so series and ledger take the sorted queries,
** here beside the build), the indexes exist before store_finish, and with two runs open it
** falls back to store_run_end (no index until the last one ends). */
START_TEST(test_run_end_last)
{
    drow rows[NROWS];
    int perm[NROWS];
    make_rows(rows);
    for (int i = 0; i < NROWS; i++)
        perm[i] = (i * 89) % NROWS; /* 89 is prime to 260: a permutation */
    char want[65], got[65], again[65];
    store *st = open_new(tpath("plain.db"));
    digest_run(st, rows, perm, 5, "scn", 1.0, want);
    store_close(st);

    const char *p = tpath("last.db");
    st = open_new(p);
    int64_t run = begin(st, "scn", 5);
    for (int i = 0; i < NROWS; i++)
        emit(st, run, &rows[perm[i]]);
    for (int64_t i = 0; i < 100000; i++) /* enough rows for the build to overlap the digest */
        ck_assert_int_eq(store_series_i64(st, run, i, i, "zz_bulk", i % 97, i), STORE_OK);
    ck_assert_int_eq(store_run_end_last(st, run, STORE_RUN_DONE, NULL, 2.0, got), STORE_OK);
    ck_assert_int_eq(finish_indexes(p), 1); /* built by run end, not yet by store_finish */
    ck_assert_int_eq(store_digest(st, run, again), STORE_OK); /* now along the indexes */
    ck_assert_str_eq(again, got);
    ck_assert_int_eq(store_finish(st), STORE_OK);
    store_close(st);
    sqlite3 *db = ro_db(p);
    ck_assert_str_eq(q_text(db, "SELECT status FROM runs"), "done");
    ck_assert_str_eq(q_text(db, "SELECT digest FROM runs"), got);
    ck_assert_str_eq(q_text(db, "PRAGMA integrity_check"), "ok");
    sqlite3_close(db);
    ck_assert(!side_exists(p, "-wal") && !side_exists(p, "-shm"));
    ck_assert_str_ne(got, want); /* the bulk rows are part of it */

    /* Two runs open: the first to end does not build; the last one does. */
    p = tpath("two.db");
    int64_t ra, rb;
    st = two_runs(p, rows, perm, 5, &ra, &rb);
    ck_assert_int_eq(store_run_end_last(st, ra, STORE_RUN_DONE, NULL, 0, got), STORE_OK);
    ck_assert_str_eq(got, want);
    ck_assert_int_eq(finish_indexes(p), 0);
    ck_assert_int_eq(store_run_end_last(st, rb, STORE_RUN_DONE, NULL, 0, got), STORE_OK);
    ck_assert_str_eq(got, want);
    ck_assert_int_eq(finish_indexes(p), 1);
    store_close(st);
}
END_TEST

/* Epoch rows of 3 nets (-1, 2, 5): 6 epochs x 5 uids each, plus one exact duplicate and one
** row sharing (net, block, uid) with a larger stake; in canonical (sorted) order. */
enum { EP_NETS = 3, EP_PER_NET = 32, EP_ROWS = EP_NETS * EP_PER_NET };

static void epoch_rows(store_epoch_row *r)
{
    static const int64_t nets[EP_NETS] = {-1, 2, 5};
    int k = 0;
    for (int n = 0; n < EP_NETS; n++) {
        for (int e = 0; e < 6; e++)
            for (int u = 0; u < 5; u++, k++) {
                store_epoch_row x = {nets[n], 100 * e + n, u,     (uint64_t)(1000 * u + e), u, e,
                                     n,       7,           u < 2, (uint64_t)(u * e)};
                r[k] = x;
            }
        r[k] = r[k - 1]; /* an identical row */
        k++;
        r[k] = r[k - 1];
        r[k].stake += 1; /* same (net, block, uid), the next stake */
        k++;
    }
}

static void epoch_digest(store *st, const store_epoch_row *r, const int *perm, char dig[65])
{
    int64_t run = begin(st, "ep", 3);
    for (int i = 0; i < EP_ROWS; i++)
        ck_assert_int_eq(store_epoch(st, run, &r[perm[i]]), STORE_OK);
    ck_assert_int_eq(store_run_end(st, run, STORE_RUN_DONE, NULL, 0, dig), STORE_OK);
    char again[65]; /* the run has ended: recomputed with the sorted query */
    ck_assert_int_eq(store_digest(st, run, again), STORE_OK);
    ck_assert_str_eq(again, dig);
}

/* The digest reads epoch rows without sorting when they were written in canonical order (all
** at once, or per net with the nets interleaved): it must be the digest of the sorted dump. */
START_TEST(test_digest_epoch_order)
{
    store_epoch_row r[EP_ROWS];
    int sorted[EP_ROWS], inter[EP_ROWS], shuffled[EP_ROWS];
    epoch_rows(r);
    for (int i = 0; i < EP_ROWS; i++)
        sorted[i] = shuffled[i] = i;
    /* interleaved: one row of each net in turn, each net's rows in their sorted order */
    for (int i = 0; i < EP_ROWS; i++)
        inter[i] = (i % EP_NETS) * EP_PER_NET + i / EP_NETS;
    uint64_t x = 0x9E3779B97F4A7C15u;
    for (int i = EP_ROWS - 1; i > 0; i--) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        int j = (int)(x % (uint64_t)(i + 1)), t = shuffled[i];
        shuffled[i] = shuffled[j];
        shuffled[j] = t;
    }
    char ds[65], di[65], dx[65], d2[65];
    store *st = open_new(tpath("e1.db"));
    epoch_digest(st, r, shuffled, dx); /* sorted by SQLite */
    epoch_digest(st, r, sorted, ds);   /* later rowids in the same file: rowid order */
    epoch_digest(st, r, inter, di);    /* one scan per net */
    store_close(st);
    ck_assert_str_eq(ds, dx);
    ck_assert_str_eq(di, dx);
    st = open_new(tpath("e2.db"));
    epoch_digest(st, r, inter, d2);
    store_close(st);
    ck_assert_str_eq(d2, dx);
    /* one row fewer is another digest (the fast paths read every row) */
    st = open_new(tpath("e3.db"));
    int64_t run = begin(st, "ep", 3);
    for (int i = 1; i < EP_ROWS; i++)
        ck_assert_int_eq(store_epoch(st, run, &r[i]), STORE_OK);
    ck_assert_int_eq(store_run_end(st, run, STORE_RUN_DONE, NULL, 0, d2), STORE_OK);
    store_close(st);
    ck_assert_str_ne(d2, dx);
    /* the epochs index exists during the load, and the file reads back the same digest */
    sqlite3 *db = ro_db(tpath("e1.db"));
    ck_assert_int_eq(q_i64(db, "SELECT count(*) FROM sqlite_master WHERE name = 'epochs_by_uid'"),
                     1);
    ck_assert_int_eq(q_i64(db, "SELECT count(*) FROM epochs"), (int64_t)3 * EP_ROWS);
    sqlite3_close(db);
    char err[512];
    ck_assert_int_eq(store_open_existing(tpath("e1.db"), 1, &st, err, sizeof err), STORE_OK);
    for (int64_t k = 1; k <= 3; k++) {
        ck_assert_int_eq(store_digest(st, k, d2), STORE_OK);
        ck_assert_str_eq(d2, dx);
    }
    store_close(st);
}
END_TEST

/* Run b writes rows out of order while run a's order is tracked, then in order once a has
** ended: b's earlier rows were never seen, so b must not be taken as written in order (epochs
** and ledger alike); its digest is the sorted one. */
START_TEST(test_digest_order_handover)
{
    store_epoch_row r[EP_ROWS];
    epoch_rows(r);
    char dig[65], again[65];
    store *st = open_new(tpath("h.db"));
    int64_t a = begin(st, "ep", 3), b = begin(st, "ep", 3);
    ck_assert_int_eq(store_epoch(st, a, &r[0]), STORE_OK);
    ck_assert_int_eq(store_ledger(st, a, 1, 0, "mint", 0, 1, 5, NULL), STORE_OK);
    ck_assert_int_eq(store_epoch(st, b, &r[10]), STORE_OK); /* a is tracked: b is not */
    ck_assert_int_eq(store_epoch(st, b, &r[5]), STORE_OK);
    ck_assert_int_eq(store_ledger(st, b, 10, 0, "mint", 0, 1, 5, NULL), STORE_OK);
    ck_assert_int_eq(store_ledger(st, b, 5, 0, "mint", 0, 1, 5, NULL), STORE_OK);
    ck_assert_int_eq(store_run_end(st, a, STORE_RUN_DONE, NULL, 0, dig), STORE_OK);
    ck_assert_int_eq(store_epoch(st, b, &r[20]), STORE_OK); /* in order from here on */
    ck_assert_int_eq(store_ledger(st, b, 20, 0, "mint", 0, 1, 5, NULL), STORE_OK);
    ck_assert_int_eq(store_run_end(st, b, STORE_RUN_DONE, NULL, 0, dig), STORE_OK);
    ck_assert_int_eq(store_digest(st, b, again), STORE_OK); /* ended: the sorted queries */
    ck_assert_str_eq(dig, again);
    store_close(st);
}
END_TEST

/* Enough epoch rows for the writer's per-net spill (store_spill.c) to go to its file many times
** over, nets interleaved: the digest hashed from the spill is the sorted query's and the digest
** of the same rows shuffled (sorted by SQLite); a run whose order breaks half-way (one row
** repeated: the spill is dropped) gets its own sorted digest. */
/* perm = a fixed permutation of 0..n-1 (Fisher-Yates over xorshift64 from seed). */
static void shuffled(int *perm, int n, uint64_t seed)
{
    for (int i = 0; i < n; i++)
        perm[i] = i;
    for (int i = n - 1; i > 0; i--) {
        seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
        int j = (int)(seed % (uint64_t)(i + 1)), t = perm[i];
        perm[i] = perm[j], perm[j] = t;
    }
}

enum { SP_NETS = 3, SP_PER = 4000, SP_ROWS = SP_NETS * SP_PER };

static store_epoch_row spill_row(int j)
{
    int net = j % SP_NETS, k = j / SP_NETS; /* nets interleaved, each in key order */
    store_epoch_row e = {net * 7 - 3, (int64_t)360 * (k / 256),
                         k % 256,     (uint64_t)k * 1000003u,
                         -k,          k & 65535,
                         net,         7,
                         k % 3 == 0,  (uint64_t)k * (uint64_t)k};
    return e;
}

START_TEST(test_digest_epoch_spill)
{
    static int perm[SP_ROWS];
    char dig[3][65], again[65];
    shuffled(perm, SP_ROWS, 0x2545F4914F6CDD1Du);
    store *st = open_new(tpath("sp.db"));
    for (int mode = 0; mode < 3; mode++) { /* in order, shuffled, order broken */
        int64_t run = begin(st, "ep", 3);
        for (int i = 0; i < SP_ROWS; i++) {
            store_epoch_row e = spill_row(mode == 1 ? perm[i] : i);
            ck_assert_int_eq(store_epoch(st, run, &e), STORE_OK);
            if (mode == 2 && i == SP_ROWS / 2) {
                e = spill_row(0);
                ck_assert_int_eq(store_epoch(st, run, &e), STORE_OK);
            }
        }
        ck_assert_int_eq(store_run_end(st, run, STORE_RUN_DONE, NULL, 0, dig[mode]), STORE_OK);
        ck_assert_int_eq(store_digest(st, run, again), STORE_OK); /* ended: sorted */
        ck_assert_str_eq(dig[mode], again);
    }
    store_close(st);
    ck_assert_str_eq(dig[1], dig[0]);
    ck_assert_str_ne(dig[2], dig[0]);
}
END_TEST

/* Series rows keyed so that the canonical order (metric as SQLite's BINARY collation, a prefix
** first; then entity_id as an integer, negatives included) differs from the order of arrival,
** each key's rows in canonical order: increasing t and block, and rows equal in both ordered by
** type (integers before reals) then value, an identical row repeated among them; integer and
** real values (-0.0 among them); enough rows per key for its 1 KiB spill stream to reach the
** file. The digest hashed from the spill (run end) is the sorted query's (store_digest after the
** end) and that of the same rows shuffled; a row repeated half-way keeps the spill (its own
** digest), a tie coming in descending value drops it (the sorted digest of those rows). */
enum { SS_METRICS = 5, SS_ENTITIES = 7, SS_PER = 64 };
enum { SS_ROWS = SS_METRICS * SS_ENTITIES * SS_PER };

static void series_spill_row(store *st, int64_t run, int j)
{
    static const char *const metrics[SS_METRICS] = {"b", "a", "ab", "a\xc3\xa9", "A"};
    static const int64_t entities[SS_ENTITIES] = {5, -3, 0, INT64_MAX, -1000000007, 12, 1};
    int per = j / (SS_METRICS * SS_ENTITIES), key = j % (SS_METRICS * SS_ENTITIES);
    const char *m = metrics[key % SS_METRICS];
    /* per 4q..4q+3 of a key: (t, block) = (q, 7200q), (q, 7200q), (q, 7200q + 1), (q + 1/2...) */
    int64_t e = entities[key / SS_METRICS], t = per / 4, block = 7200 * t + (per % 4 > 1);
    int rc;
    if (per % 4 == 0) /* the tie's first row: an integer */
        rc = store_series_i64(st, run, t, block, m, e, (int64_t)per * 1000000007 - key);
    else if (per % 4 == 1) /* the same (t, block): a real, after any integer */
        rc = store_series_f64(st, run, t, block, m, e, per % 11 ? per * 0.25 - 3 : -0.0);
    else /* the next block: two integers, the second one larger (or equal) */
        rc = store_series_i64(st, run, t, block, m, e, per % 4 == 2 ? -key : -key + (per % 8 > 4));
    ck_assert_int_eq(rc, STORE_OK);
}

START_TEST(test_digest_series_spill)
{
    static int perm[SS_ROWS];
    shuffled(perm, SS_ROWS, 0xD1B54A32D192ED03u);
    char dig[4][65], again[65];
    store *st = open_new(tpath("ssp.db"));
    for (int mode = 0; mode < 4; mode++) { /* in order, shuffled, a row repeated, a tie reversed */
        int64_t run = begin(st, "ser", 5);
        for (int i = 0; i < SS_ROWS; i++) {
            int j = mode == 1 ? perm[i] : i;
            int per = j / (SS_METRICS * SS_ENTITIES), key = j % (SS_METRICS * SS_ENTITIES);
            if (mode == 3 && per == SS_PER / 2 + 1) /* the real before the integer of its tie */
                j = (per - 1) * SS_METRICS * SS_ENTITIES + key;
            else if (mode == 3 && per == SS_PER / 2)
                j = (per + 1) * SS_METRICS * SS_ENTITIES + key;
            series_spill_row(st, run, j);
            if (mode == 2 && i == SS_ROWS / 2)
                series_spill_row(st, run, j);
        }
        ck_assert_int_eq(store_run_end(st, run, STORE_RUN_DONE, NULL, 0, dig[mode]), STORE_OK);
        ck_assert_int_eq(store_digest(st, run, again), STORE_OK); /* ended: sorted */
        ck_assert_str_eq(dig[mode], again);
    }
    store_close(st);
    ck_assert_str_eq(dig[1], dig[0]);
    ck_assert_str_eq(dig[3], dig[0]); /* the same rows */
    ck_assert_str_ne(dig[2], dig[0]);
}
END_TEST

/* Ledger rows by increasing seq, enough for the writer's spill to reach its file many times
** (texts, NULL reasons, negative and large integers): the digest hashed from the spill is the
** sorted recomputation's and that of the same rows shuffled; a reason too long for the spill's
** row buffer abandons it half-way, with the same digest. */
static void spill_ledger(store *st, int64_t run, int i, int long_reason)
{
    static char big[3000];
    memset(big, 'r', sizeof big - 1);
    const char *reason = long_reason  ? big
                         : i % 5 == 0 ? NULL
                         : i % 2      ? "coinbase"
                                      : "swap\xc3\xa9";
    ck_assert_int_eq(store_ledger(st, run, 3 * i + 1, i / 7, i % 3 ? "mint" : "burn", -i,
                                  (int64_t)i * 31, (uint64_t)i * 1000000007u, reason),
                     STORE_OK);
}

START_TEST(test_digest_ledger_spill)
{
    enum { N = 9000 };
    static int perm[N];
    shuffled(perm, N, 0x9E3779B97F4A7C15u);
    char dig[3][65], again[65];
    store *st = open_new(tpath("lsp.db"));
    for (int mode = 0; mode < 3; mode++) { /* in order, shuffled, in order with a long reason */
        int64_t run = begin(st, "led", 4);
        for (int i = 0; i < N; i++)
            spill_ledger(st, run, mode == 1 ? perm[i] : i, 0);
        if (mode == 2)
            spill_ledger(st, run, N, 1);
        ck_assert_int_eq(store_run_end(st, run, STORE_RUN_DONE, NULL, 0, dig[mode]), STORE_OK);
        ck_assert_int_eq(store_digest(st, run, again), STORE_OK);
        ck_assert_str_eq(dig[mode], again);
    }
    store_close(st);
    ck_assert_str_eq(dig[1], dig[0]);
    ck_assert_str_ne(dig[2], dig[0]);
}
END_TEST

/* Ledger rows written with strictly increasing seq are read back in rowid order by the digest;
** the same rows in another order (sorted by SQLite), or with a repeated seq (no shortcut), must
** give the digest of the sorted dump. */
static void ledger_digest(store *st, const int *order, int n, int64_t dup, char dig[65])
{
    static const char *const kinds[3] = {"mint", "swap", "burn"};
    int64_t run = begin(st, "lg", 4);
    for (int i = 0; i < n; i++) {
        int k = order[i];
        int64_t seq = k == dup ? k - 1 : k; /* dup: this row repeats the previous seq */
        ck_assert_int_eq(store_ledger(st, run, seq, (int64_t)12 * k, kinds[k % 3], k % 5, 100 + k,
                                      (uint64_t)k * 1000003u, k % 4 ? "why" : NULL),
                         STORE_OK);
    }
    ck_assert_int_eq(store_run_end(st, run, STORE_RUN_DONE, NULL, 0, dig), STORE_OK);
    char again[65];
    ck_assert_int_eq(store_digest(st, run, again), STORE_OK);
    ck_assert_str_eq(again, dig);
}

START_TEST(test_digest_ledger_order)
{
    enum { N = 120 };
    int sorted[N], rev[N];
    for (int i = 0; i < N; i++)
        sorted[i] = i, rev[i] = N - 1 - i;
    char a[65], b[65], c[65], d[65], e[65];
    store *st = open_new(tpath("l1.db"));
    ledger_digest(st, rev, N, -1, a);    /* sorted by SQLite */
    ledger_digest(st, sorted, N, -1, b); /* rowid order, later rowids in the same file */
    ledger_digest(st, sorted, N, 7, c);  /* seq 6 twice: sorted by SQLite */
    ledger_digest(st, rev, N, 7, d);
    store_close(st);
    ck_assert_str_eq(a, b);
    ck_assert_str_eq(c, d);
    ck_assert_str_ne(a, c);
    st = open_new(tpath("l2.db"));
    ledger_digest(st, sorted, N, -1, e);
    store_close(st);
    ck_assert_str_eq(e, a);
}
END_TEST

START_TEST(test_digest_changes)
{
    drow rows[NROWS];
    make_rows(rows);
    char base[65], d[65];
    store *st = open_new(tpath("c.db"));
    digest_run(st, rows, NULL, 9, "scn", 0, base);
    /* One change at a time, each must move the digest. */
    for (int change = 0; change < 8; change++) {
        drow mod[NROWS];
        memcpy(mod, rows, sizeof mod);
        uint64_t seed = 9;
        const char *text = "scn";
        switch (change) {
        case 0:
            mod[1].c += 1; /* one integer sample */
            break;
        case 1:
            mod[2].f = nextafter(mod[2].f, 1e9); /* one real sample, by one ulp */
            break;
        case 2:
            mod[3].s = "mint!"; /* one text field */
            break;
        case 3:
            mod[4].c += 64; /* one epoch stake */
            break;
        case 4:
            mod[0].b += 1; /* one entity's group */
            break;
        case 5:
            seed = 10;
            break;
        case 6:
            text = "scn ";
            break;
        default:
            mod[7].kind = 2; /* integer 1000003*7 -> real 1.0: a type change */
            mod[7].f = (double)mod[7].c;
            break;
        }
        digest_run(st, mod, NULL, seed, text, 0, d);
        ck_assert_msg(strcmp(d, base) != 0, "change %d did not move the digest", change);
    }
    /* Dropping one row moves it too. */
    int64_t run = begin(st, "scn", 9);
    for (int i = 1; i < NROWS; i++)
        emit(st, run, &rows[i]);
    ck_assert_int_eq(store_run_end(st, run, STORE_RUN_DONE, NULL, 0, d), STORE_OK);
    ck_assert_str_ne(d, base);
    store_close(st);
}
END_TEST

/* The canonical stream of the tiny run below, written by hand from store.h. */
static void expected_tiny(const char *text, char hex[65])
{
    char sha[65];
    sha256_hex(text, strlen(text), sha);
    char buf[2048];
    int n = snprintf(buf, sizeof buf,
                     "tokensim-digest-v1\n"
                     "seed 42\n"
                     "scenario_sha256 %s\n"
                     "params n;\n"
                     "entities\n"
                     "i-2;s9:validator;s5:a;b\nc;s0:;i0;\n"
                     "i7;s5:miner;n;s3:m\xc3\xa9;i3;\n"
                     "series\n"
                     "i10;i0;s3:apy;i7;f0000000000000000;\n"
                     "i12;i1;s3:apy;i7;i2;\n"
                     "i12;i1;s3:apy;i7;f3ff8000000000000;\n"
                     "i12;i1;s5:stake;i7;i-9223372036854775808;\n"
                     "i12;i1;s5:stake;i7;i-5;\n"
                     "ledger\n"
                     "i1;i12;s4:mint;i0;i7;i1000000000;s8:coinbase;\n"
                     "i2;i12;s4:burn;i7;i0;i9223372036854775807;n;\n"
                     "epochs\n"
                     "i1;i360;i0;i5000;i65535;i0;i32768;i1;i1;i123;\n"
                     "end\n",
                     sha);
    ck_assert_int_lt(n, (int)sizeof buf);
    sha256_hex(buf, (size_t)n, hex);
}

START_TEST(test_digest_known)
{
    const char *text = "subnet = { tempo = 360L; };\n";
    char want[65], got[65];
    expected_tiny(text, want);
    store *st = open_new(tpath("k.db"));
    int64_t run = begin(st, text, 42);
    /* Deliberately not in canonical order. */
    ck_assert_int_eq(store_series_i64(st, run, 12, 1, "stake", 7, -5), STORE_OK);
    ck_assert_int_eq(store_ledger(st, run, 2, 12, "burn", 7, 0, (uint64_t)INT64_MAX, NULL),
                     STORE_OK);
    ck_assert_int_eq(store_entity(st, run, 7, "miner", NULL, "m\xc3\xa9", 3), STORE_OK);
    ck_assert_int_eq(store_series_f64(st, run, 12, 1, "apy", 7, 1.5), STORE_OK);
    ck_assert_int_eq(store_series_i64(st, run, 12, 1, "apy", 7, 2), STORE_OK);
    ck_assert_int_eq(store_series_f64(st, run, 10, 0, "apy", 7, -0.0), STORE_OK);
    ck_assert_int_eq(store_entity(st, run, -2, "validator", "a;b\nc", "", 0), STORE_OK);
    ck_assert_int_eq(store_ledger(st, run, 1, 12, "mint", 0, 7, 1000000000u, "coinbase"), STORE_OK);
    ck_assert_int_eq(store_series_i64(st, run, 12, 1, "stake", 7, INT64_MIN), STORE_OK);
    store_epoch_row er = {1, 360, 0, 5000, 65535, 0, 32768, 1, 1, 123};
    ck_assert_int_eq(store_epoch(st, run, &er), STORE_OK);
    ck_assert_int_eq(store_run_end(st, run, STORE_RUN_DONE, NULL, 0.001, got), STORE_OK);
    ck_assert_str_eq(got, want);

    /* An empty run with the largest seed. */
    int64_t e = begin(st, "", UINT64_MAX);
    ck_assert_int_eq(store_run_end(st, e, STORE_RUN_DONE, NULL, 0, got), STORE_OK);
    char sha[65], buf[512];
    sha256_hex("", 0, sha);
    int n = snprintf(buf, sizeof buf,
                     "tokensim-digest-v1\nseed 18446744073709551615\nscenario_sha256 %s\n"
                     "params n;\nentities\nseries\nledger\nepochs\nend\n",
                     sha);
    sha256_hex(buf, (size_t)n, want);
    ck_assert_str_eq(got, want);

    /* The effective parameters are an input: the same empty run with params_json set. */
    store_run_info pi = {"demo", "", 7, 0, "{\"a\":1}"};
    int64_t p = -1;
    ck_assert_int_eq(store_run_begin(st, &pi, &p), STORE_OK);
    ck_assert_int_eq(store_run_end(st, p, STORE_RUN_DONE, NULL, 0, got), STORE_OK);
    n = snprintf(buf, sizeof buf,
                 "tokensim-digest-v1\nseed 7\nscenario_sha256 %s\n"
                 "params s7:{\"a\":1};\nentities\nseries\nledger\nepochs\nend\n",
                 sha);
    sha256_hex(buf, (size_t)n, want);
    ck_assert_str_eq(got, want);
    store_close(st);
}
END_TEST

/* Integers of every width from 1 to 20 characters (each power of ten, one less, and its
** negative), as libc's printf writes them: the digest's own decimal writer against it. */
START_TEST(test_digest_decimal_widths)
{
    static char buf[16384];
    char sha[65], want[65], got[65];
    sha256_hex("w", 1, sha);
    int n = snprintf(buf, sizeof buf,
                     "tokensim-digest-v1\nseed 5\nscenario_sha256 %s\nparams n;\nentities\n"
                     "series\n",
                     sha);
    store *st = open_new(tpath("w.db"));
    int64_t run = begin(st, "w", 5);
    uint64_t p = 1; /* 10^k; unsigned: the product after 10^18 wraps, unused */
    for (int k = 0; k <= 18; k++, p *= 10) {
        /* blocks 0, 1, 2 of t = k */
        const int64_t v[3] = {(int64_t)p - 1, -(int64_t)p, (int64_t)p};
        for (int b = 2; b >= 0; b--) /* written out of order */
            ck_assert_int_eq(store_series_i64(st, run, k, b, "v", 1, v[b]), STORE_OK);
        for (int b = 0; b < 3; b++)
            n += snprintf(buf + n, sizeof buf - (size_t)n, "i%d;i%d;s1:v;i1;i%lld;\n", k, b,
                          (long long)v[b]);
    }
    n += snprintf(buf + n, sizeof buf - (size_t)n, "ledger\nepochs\nend\n");
    ck_assert_int_lt(n, (int)sizeof buf);
    sha256_hex(buf, (size_t)n, want);
    ck_assert_int_eq(store_run_end(st, run, STORE_RUN_DONE, NULL, 0, got), STORE_OK);
    ck_assert_str_eq(got, want);
    store_close(st);
}
END_TEST

/* ---- schema versions and migration ---- */

/* A database in the draft layout of DESIGN.md (runs without `error`), stamped `version`. */
static void craft_db(const char *p, const char *version)
{
    sqlite3 *db = NULL;
    ck_assert_int_eq(sqlite3_open(p, &db), SQLITE_OK);
    char sql[4096];
    snprintf(sql, sizeof sql,
             "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
             "INSERT INTO meta VALUES ('schema_version', '%s');"
             "CREATE TABLE runs(run_id INTEGER PRIMARY KEY AUTOINCREMENT, scenario_name TEXT,"
             " scenario_text TEXT, scenario_sha256 TEXT, seed INTEGER, run_index INTEGER,"
             " params_json TEXT, status TEXT, started_at TEXT, finished_at TEXT,"
             " wall_seconds REAL, digest TEXT);"
             "CREATE TABLE entities(run_id, entity_id, kind, role, name, group_id);"
             "CREATE TABLE series(run_id, t, block, metric, entity_id, value);"
             "CREATE TABLE ledger(run_id, seq, t, kind, src, dst, amount, reason);"
             "CREATE TABLE epochs(run_id, net, block, uid, stake, consensus, incentive,"
             " dividends, validator_trust, permit, emission);"
             "INSERT INTO runs(scenario_name, scenario_text, scenario_sha256, seed, run_index,"
             " status, started_at) VALUES ('old', 'x', 'ab', 5, 0, 'done', 'then');"
             "INSERT INTO series VALUES (1, 0, 0, 'stake', 3, 77);",
             version);
    exec_ok(db, sql);
    sqlite3_close(db);
}

START_TEST(test_schema_new)
{
    const char *p = tpath("v1.db");
    store *st = open_new(p);
    /* During the load: WAL, and no secondary index yet but the epochs', the ledger's and the
    ** series' (kept during the load: their rows arrive in key order, or are inserted in it, which
    ** is cheaper than a sort of all of them at the end). */
    int64_t run = begin(st, "s", 1);
    ck_assert_int_eq(store_series_i64(st, run, 0, 0, "m", 1, 1), STORE_OK);
    ck_assert_int_eq(store_flush(st), STORE_OK);
    sqlite3 *peek = ro_db(p);
    ck_assert_int_eq(q_i64(peek, "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                                 " AND sql IS NOT NULL AND name NOT IN ('epochs_by_uid',"
                                 " 'ledger_by_seq', 'series_by_metric')"),
                     0);
    ck_assert_int_eq(q_i64(peek, "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                                 " AND name IN ('epochs_by_uid', 'ledger_by_seq',"
                                 " 'series_by_metric')"),
                     3);
    ck_assert_str_eq(q_text(peek, "PRAGMA journal_mode"), "wal");
    sqlite3_close(peek);
    ck_assert_int_eq(store_run_end(st, run, STORE_RUN_DONE, NULL, 0, NULL), STORE_OK);
    store_close(st);
    /* After close: one file, rollback journal mode, the indexes, the current version. */
    ck_assert(!side_exists(p, "-wal") && !side_exists(p, "-shm") && !side_exists(p, "-journal"));
    FILE *f = fopen(p, "rb");
    unsigned char hdr[20];
    ck_assert_uint_eq(fread(hdr, 1, sizeof hdr, f), sizeof hdr);
    fclose(f);
    ck_assert_int_eq(hdr[18], 1); /* file format write version: 1 legacy, 2 WAL */
    ck_assert_int_eq(hdr[19], 1);
    sqlite3 *db = ro_db(p);
    ck_assert_int_eq(q_i64(db, "SELECT value FROM meta WHERE key = 'schema_version'"),
                     STORE_SCHEMA_VERSION);
    ck_assert_str_eq(q_text(db, "SELECT value FROM meta WHERE key = 'digest_format'"),
                     "tokensim-digest-v1");
    ck_assert_str_eq(q_text(db, "SELECT group_concat(name, ',') FROM (SELECT name FROM"
                                " sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                                " ORDER BY name)"),
                     "entities_by_id,epochs_by_uid,ledger_by_seq,series_by_metric");
    ck_assert_str_eq(q_text(db, "SELECT group_concat(name, ',') FROM pragma_table_info('runs')"),
                     "run_id,scenario_name,scenario_text,scenario_sha256,seed,run_index,"
                     "params_json,status,started_at,finished_at,wall_seconds,digest,error");
    ck_assert_str_eq(q_text(db, "SELECT group_concat(name, ',') FROM"
                                " pragma_table_info('epochs')"),
                     "run_id,net,block,uid,stake,consensus,incentive,dividends,"
                     "validator_trust,permit,emission");
    sqlite3_close(db);
    /* Reopened writable, it records another run and again leaves one file. */
    char err[512];
    ck_assert_int_eq(store_open_existing(p, 0, &st, err, sizeof err), STORE_OK);
    run = begin(st, "s", 2);
    ck_assert_int_eq(store_series_i64(st, run, 0, 0, "m", 1, 2), STORE_OK);
    ck_assert_int_eq(store_run_end(st, run, STORE_RUN_DONE, NULL, 0, NULL), STORE_OK);
    ck_assert_int_eq(store_finish(st), STORE_OK);
    store_close(st);
    ck_assert(!side_exists(p, "-wal") && !side_exists(p, "-shm"));
    db = ro_db(p);
    ck_assert_int_eq(q_i64(db, "SELECT count(*) FROM series"), 2);
    sqlite3_close(db);
}
END_TEST

START_TEST(test_migrate_v0)
{
    const char *p = tpath("v0.db");
    craft_db(p, "0");
    store *st = NULL;
    char err[512];
    ck_assert_int_eq(store_open_existing(p, 1, &st, err, sizeof err), STORE_ESCHEMA);
    char want[96];
    snprintf(want, sizeof want, "schema version 0 is older than %d", STORE_SCHEMA_VERSION);
    ck_assert_msg(strstr(err, want) != NULL, "%s", err);
    ck_assert_ptr_null(st);
    ck_assert_int_eq(store_open_existing(p, 0, &st, err, sizeof err), STORE_OK);
    int64_t run = begin(st, "new", 6);
    ck_assert_int_eq(store_run_end(st, run, STORE_RUN_FAILED, "boom", 0, NULL), STORE_OK);
    store_close(st);
    sqlite3 *db = ro_db(p);
    ck_assert_int_eq(q_i64(db, "SELECT value FROM meta WHERE key = 'schema_version'"),
                     STORE_SCHEMA_VERSION);
    ck_assert_str_eq(q_text(db, "SELECT quote(error) FROM runs WHERE run_id = 1"), "NULL");
    ck_assert_str_eq(q_text(db, "SELECT scenario_name || status FROM runs WHERE run_id = 1"),
                     "olddone");
    ck_assert_str_eq(q_text(db, "SELECT error FROM runs WHERE run_id = 2"), "boom");
    ck_assert_int_eq(q_i64(db, "SELECT value FROM series"), 77);
    sqlite3_close(db);
    /* Migrated, it now opens read-only too. */
    ck_assert_int_eq(store_open_existing(p, 1, &st, err, sizeof err), STORE_OK);
    store_close(st);
}
END_TEST

START_TEST(test_schema_rejects)
{
    store *st = NULL;
    char err[512];
    /* one version beyond the current one */
    const char *p = tpath("vnext.db");
    char next[16], want[96];
    snprintf(next, sizeof next, "%d", STORE_SCHEMA_VERSION + 1);
    snprintf(want, sizeof want, "schema version %d is newer than this tokensim supports (%d)",
             STORE_SCHEMA_VERSION + 1, STORE_SCHEMA_VERSION);
    craft_db(p, next);
    ck_assert_int_eq(store_open_existing(p, 0, &st, err, sizeof err), STORE_ESCHEMA);
    ck_assert_msg(strstr(err, want), "%s", err);
    ck_assert_ptr_null(st);
    ck_assert_int_eq(store_open_existing(p, 1, &st, err, sizeof err), STORE_ESCHEMA);
    /* The refused file is untouched. */
    sqlite3 *db = ro_db(p);
    ck_assert_str_eq(q_text(db, "SELECT value FROM meta WHERE key = 'schema_version'"), next);
    ck_assert_int_eq(q_i64(db, "SELECT count(*) FROM pragma_table_info('runs')"), 12);
    sqlite3_close(db);

    p = tpath("vx.db");
    craft_db(p, "one");
    ck_assert_int_eq(store_open_existing(p, 0, &st, err, sizeof err), STORE_ESCHEMA);
    ck_assert_ptr_nonnull(strstr(err, "bad schema_version 'one'"));

    p = tpath("other.db");
    db = NULL;
    ck_assert_int_eq(sqlite3_open(p, &db), SQLITE_OK);
    exec_ok(db, "CREATE TABLE t(x)");
    sqlite3_close(db);
    ck_assert_int_eq(store_open_existing(p, 1, &st, err, sizeof err), STORE_ESCHEMA);
    ck_assert_ptr_nonnull(strstr(err, "not a tokensim metrics database"));

    p = tpath("text.db");
    write_file(p, "this is not an SQLite file, just some text that is long enough............"
                  "................................................................");
    ck_assert_int_ne(store_open_existing(p, 1, &st, err, sizeof err), STORE_OK);
    ck_assert_ptr_null(st);
    ck_assert_ptr_nonnull(strstr(err, "not a database"));
}
END_TEST

static Suite *store_suite(void)
{
    Suite *s = suite_create("store");
    struct {
        const char *name;
        const TTest *fn;
    } cases[] = {
        {"roundtrip", test_roundtrip},
        {"lifecycle", test_lifecycle},
        {"self_commit", test_self_commit},
        {"series_insert_order", test_series_insert_order},
        {"existing_path", test_existing_path},
        {"bad_dir", test_bad_dir},
        {"locked_existing", test_locked_existing},
        {"locked_while_writing", test_locked_while_writing},
        {"disk_full_failed", test_disk_full_failed},
        {"disk_full_done", test_disk_full_done},
        {"ranges", test_ranges},
        {"digest_order", test_digest_order},
        {"digest_epoch_order", test_digest_epoch_order},
        {"digest_ledger_order", test_digest_ledger_order},
        {"digest_changes", test_digest_changes},
        {"digest_known", test_digest_known},
        {"digest_order_handover", test_digest_order_handover},
        {"digest_epoch_spill", test_digest_epoch_spill},
        {"digest_ledger_spill", test_digest_ledger_spill},
        {"digest_series_spill", test_digest_series_spill},
        {"digest_decimal_widths", test_digest_decimal_widths},
        {"run_end_last", test_run_end_last},
        {"schema_new", test_schema_new},
        {"migrate_v0", test_migrate_v0},
        {"schema_rejects", test_schema_rejects},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        TCase *tc = tcase_create(cases[i].name);
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_set_timeout(tc, 60);
        tcase_add_test(tc, cases[i].fn);
        suite_add_tcase(s, tc);
    }
    return s;
}

int main(void)
{
    return tdb_run(store_suite());
}
