/*
** check_crash.c: crash safety of `tokensim run` (issue 10 item 4). The default scenario (about a
** second of work) is killed with SIGKILL at fixed moments spread over its run, and with SIGTERM
** once. Whatever the moment, the database must open, pass SQLite's integrity check and hold
** exactly one run whose status tells the truth: `running` when the process died without a word
** (nothing could mark it), `done` with a digest when it finished first, and `interrupted` with
** exit status 1 after SIGTERM.
*/
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "proc.h"
#include "tdb.h"

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0)
        ;
}

/* Opens db read-write (a WAL file left by a killed writer needs recovery) and checks it. */
static void check_integrity(const char *db)
{
    sqlite3 *h;
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_open_v2(db, &h, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
    sqlite3_close(h);
}

/* Starts the default scenario into db, signals it after ms milliseconds, returns its status. */
static int run_and_signal(const char *db, long ms, int sig)
{
    char *argv[] = {
        (char *)proc_tokensim(), "run", "--out", (char *)db, "--force", "--no-plots", "-q", NULL};
    pid_t pid = proc_start(argv);
    ck_assert_int_gt(pid, 0);
    sleep_ms(ms);
    kill(pid, sig);
    return proc_wait(pid);
}

START_TEST(sigkill_at_any_moment_leaves_a_sound_db)
{
    static const long moments[] = {20, 80, 200, 400, 700, 1100, 1600};
    int died = 0;
    for (size_t i = 0; i < sizeof moments / sizeof moments[0]; i++) {
        char name[64];
        snprintf(name, sizeof name, "kill-%zu.db", i);
        const char *db = tdb_tmp(name);
        int status = run_and_signal(db, moments[i], SIGKILL);
        FILE *f = fopen(db, "rb");
        if (!f) { /* killed before the file existed: nothing to check */
            ck_assert_int_eq(status, 128 + SIGKILL);
            continue;
        }
        fclose(f);
        check_integrity(db);
        if (tdb_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'runs'") == 0)
            continue; /* killed while the schema was being created: its transaction rolled back */
        ck_assert_int_le(tdb_int(db, "SELECT count(*) FROM runs"), 1);
        char st[32] = "";
        if (tdb_int(db, "SELECT count(*) FROM runs") == 1)
            tdb_text(db, "SELECT status FROM runs", st, sizeof st);
        if (status == 128 + SIGKILL) {
            died++;
            ck_assert_msg(st[0] == '\0' || !strcmp(st, "running") || !strcmp(st, "done"),
                          "status %s after SIGKILL", st);
        } else {
            ck_assert_int_eq(status, 0);
            ck_assert_str_eq(st, "done");
        }
        if (!strcmp(st, "done"))
            ck_assert_int_eq(tdb_int(db, "SELECT length(digest) FROM runs"), 64);
    }
    ck_assert_int_gt(died, 0); /* at least one kill landed mid-run */
}
END_TEST

START_TEST(sigterm_marks_the_run_interrupted)
{
    const char *db = tdb_tmp("term.db");
    int status = run_and_signal(db, 300, SIGTERM);
    if (status == 0) /* finished within 300 ms on a fast machine: nothing to interrupt */
        return;
    ck_assert_int_eq(status, 1);
    check_integrity(db);
    char st[32];
    tdb_text(db, "SELECT status FROM runs", st, sizeof st);
    ck_assert_str_eq(st, "interrupted");
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("crash");
    TCase *t = tcase_create("kill");
    tcase_set_timeout(t, 300);
    tcase_add_test(t, sigkill_at_any_moment_leaves_a_sound_db);
    tcase_add_test(t, sigterm_marks_the_run_interrupted);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return tdb_run(suite());
}
