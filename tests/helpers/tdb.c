/*
** tdb.c: see tdb.h. Queries open the database read-only for each call, so a test can check a
** file another process has just written without holding it open.
*/
#define _POSIX_C_SOURCE 200809L

#include "tdb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "proc.h"

static char *rotate(void)
{
    static char buf[8][4096];
    static unsigned k;
    return buf[k++ % 8];
}

/* rel under the tree the environment variable `var` names, else under `built` (compiled in). */
static const char *under(const char *var, const char *built, const char *rel)
{
    char *b = rotate();
    const char *root = getenv(var);
    snprintf(b, 4096, "%s/%s", root && *root ? root : built, rel);
    return b;
}

const char *tdb_src(const char *rel)
{
    return under("TOKENSIM_SOURCE_DIR", TDB_SOURCE_DIR, rel);
}

const char *tdb_shared(const char *rel)
{
    return under("TOKENSIM_SHARED_DIR", TDB_SHARED_DIR, rel);
}

const char *tdb_tmp(const char *name)
{
    char *b = rotate();
    snprintf(b, 4096, "%s/%s", proc_tmpdir(), name);
    return b;
}

/* Opens db, prepares sql and steps to its first row (asserting each). */
static sqlite3_stmt *first_row(const char *db, const char *sql, sqlite3 **h)
{
    sqlite3_stmt *st = NULL;
    ck_assert_msg(sqlite3_open_v2(db, h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK, "open %s", db);
    ck_assert_msg(sqlite3_prepare_v2(*h, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql,
                  sqlite3_errmsg(*h));
    ck_assert_msg(sqlite3_step(st) == SQLITE_ROW, "%s: no row", sql);
    return st;
}

int64_t tdb_int(const char *db, const char *sql)
{
    sqlite3 *h;
    sqlite3_stmt *st = first_row(db, sql, &h);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return v;
}

double tdb_double(const char *db, const char *sql)
{
    sqlite3 *h;
    sqlite3_stmt *st = first_row(db, sql, &h);
    double v = sqlite3_column_double(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return v;
}

void tdb_text(const char *db, const char *sql, char *out, size_t len)
{
    sqlite3 *h;
    sqlite3_stmt *st = first_row(db, sql, &h);
    const unsigned char *t = sqlite3_column_text(st, 0);
    snprintf(out, len, "%s", t ? (const char *)t : "");
    sqlite3_finalize(st);
    sqlite3_close(h);
}

void tdb_digest(const char *run_stdout, char out[65])
{
    const char *p = strstr(run_stdout, "digest:");
    ck_assert_msg(p != NULL, "no digest line in: %s", run_stdout);
    p += strlen("digest:");
    while (*p == ' ')
        p++;
    ck_assert_int_ge((int)strlen(p), 64);
    memcpy(out, p, 64);
    out[64] = '\0';
}

int tdb_run(Suite *s)
{
    return tdb_run_suites(&s, 1);
}

int tdb_run_suites(Suite *const *suites, size_t n)
{
    SRunner *sr = srunner_create(suites[0]);
    for (size_t i = 1; i < n; i++)
        srunner_add_suite(sr, suites[i]);
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
