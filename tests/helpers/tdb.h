/*
** tdb.h: test helpers shared by the Check programs — paths in the source tree and the test's
** temporary directory, one-value SQLite queries on a run's database (asserting, so a bad query
** fails the test where it is written), and the standard main() of a Check program.
*/
#ifndef TOKENSIM_TEST_TDB_H
#define TOKENSIM_TEST_TDB_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>

/* $TOKENSIM_SOURCE_DIR/rel, or rel in the source tree this test was built from when the variable
** is unset (a test program run by hand). The result lives in one of 8 rotating buffers. */
const char *tdb_src(const char *rel);
/* The same for $TOKENSIM_SHARED_DIR (the project's ../shared: spec, conformance cases). */
const char *tdb_shared(const char *rel);
/* proc_tmpdir()/name, in one of 8 rotating buffers. */
const char *tdb_tmp(const char *name);

/* First column of the first row of `sql` on `db` (opened read-only); the query must return a
** row. */
int64_t tdb_int(const char *db, const char *sql);
double tdb_double(const char *db, const char *sql);
/* The same as text into out (len bytes, NUL-terminated; "" for NULL). */
void tdb_text(const char *db, const char *sql, char *out, size_t len);

/* The 64 hex digits after "digest:" in a run's standard output (the test fails without one). */
void tdb_digest(const char *run_stdout, char out[65]);

/* Runs every test of `s` (CK_ENV decides forking) and returns EXIT_SUCCESS when none failed. */
int tdb_run(Suite *s);
/* The same for suites[0..n) (n >= 1) in one runner; TDB_RUN_ALL(a, b, c) passes its arguments
** as that array (sizeof does not call them a second time). */
int tdb_run_suites(Suite *const *suites, size_t n);
#define TDB_RUN_ALL(...)                                                                           \
    tdb_run_suites((Suite *[]){__VA_ARGS__}, sizeof((Suite *[]){__VA_ARGS__}) / sizeof(Suite *))

#endif
