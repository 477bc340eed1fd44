/*
** check_cli.c: end-to-end tests of the tokensim binary — exit codes, messages, determinism of
** whole runs, the run-status lifecycle in the DB, and the halving moments of the default
** scenario against the schedule computed here independently.
*/
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "tdb.h"
#include "proc.h"

#define TS (char *)proc_tokensim()

static proc_result R;

static int run(char *const argv[])
{
    ck_assert_int_eq(proc_run(argv, &R), 0);
    return R.status;
}

/* The 64 hex digits after "digest:" in stdout. */
START_TEST(no_arguments_is_usage)
{
    char *a[] = {TS, NULL};
    ck_assert_int_eq(run(a), 2);
    ck_assert_ptr_nonnull(strstr(R.err, "usage: tokensim"));
}
END_TEST

START_TEST(help_and_version)
{
    char *h[] = {TS, "--help", NULL};
    ck_assert_int_eq(run(h), 0);
    ck_assert_ptr_nonnull(strstr(R.out, "run [SCENARIO]"));
    char *v[] = {TS, "--version", NULL};
    ck_assert_int_eq(run(v), 0);
    ck_assert_ptr_nonnull(strstr(R.out, "tokensim 0.1.0"));
    char *rh[] = {TS, "run", "--help", NULL};
    ck_assert_int_eq(run(rh), 0);
    ck_assert_ptr_nonnull(strstr(R.out, "examples:"));
    char *vh[] = {TS, "validate", "--help", NULL};
    ck_assert_int_eq(run(vh), 0);
    ck_assert_ptr_nonnull(strstr(R.out, "usage: tokensim validate"));
}
END_TEST

START_TEST(bad_usage_exits_2)
{
    char *a[] = {TS, "frobnicate", NULL};
    ck_assert_int_eq(run(a), 2);
    ck_assert_ptr_nonnull(strstr(R.err, "unknown command 'frobnicate'"));
    char *b[] = {TS, "run", "--bogus", NULL};
    ck_assert_int_eq(run(b), 2);
    ck_assert_ptr_nonnull(strstr(R.err, "unknown option '--bogus'"));
    char *c[] = {TS, "run", "--seed", "12x", NULL};
    ck_assert_int_eq(run(c), 2);
    ck_assert_ptr_nonnull(strstr(R.err, "--seed: '12x' is not an integer"));
    char *d[] = {TS, "run", "--seed", NULL};
    ck_assert_int_eq(run(d), 2);
    char *e[] = {TS, "validate", NULL};
    ck_assert_int_eq(run(e), 2);
    char *f[] = {TS, "run", "a.cfg", "b.cfg", NULL};
    ck_assert_int_eq(run(f), 2);
    ck_assert_ptr_nonnull(strstr(R.err, "unexpected argument 'b.cfg'"));
}
END_TEST

START_TEST(missing_scenario_exits_2_and_writes_nothing)
{
    const char *db = tdb_tmp("never.db");
    char *a[] = {TS, "run", "/nonexistent/x.cfg", "--out", (char *)db, "-q", NULL};
    ck_assert_int_eq(run(a), 2);
    ck_assert_ptr_nonnull(strstr(R.err, "/nonexistent/x.cfg"));
    ck_assert_int_ne(access(db, F_OK), 0);
    char *v[] = {TS, "validate", "/nonexistent/x.cfg", NULL};
    ck_assert_int_eq(run(v), 2);
}
END_TEST

START_TEST(validate_default_file)
{
    char path[4096];
    snprintf(path, sizeof path, "%s", tdb_src("scenarios/default.cfg"));
    char *a[] = {TS, "validate", path, NULL};
    ck_assert_int_eq(run(a), 0);
    ck_assert_ptr_nonnull(strstr(R.out, "valid"));
    char *b[] = {TS, "validate", path, "--set", "stakers.count=0", NULL};
    ck_assert_int_eq(run(b), 2);
    ck_assert_ptr_nonnull(strstr(R.err, "--set stakers.count"));
}
END_TEST

START_TEST(existing_output_needs_force)
{
    const char *db = tdb_tmp("exists.db");
    FILE *f = fopen(db, "w");
    ck_assert_ptr_nonnull(f);
    fputs("precious", f);
    fclose(f);
    char *a[] = {TS,      "run",      "-q", "--no-plots", "--set", "time.blocks=100",
                 "--out", (char *)db, NULL};
    ck_assert_int_eq(run(a), 2);
    ck_assert_ptr_nonnull(strstr(R.err, "already exists"));
    struct stat sb;
    ck_assert_int_eq(stat(db, &sb), 0);
    ck_assert_int_eq((int)sb.st_size, 8); /* untouched */
    char *b[] = {TS,      "run",      "-q",      "--no-plots", "--set", "time.blocks=100",
                 "--out", (char *)db, "--force", NULL};
    ck_assert_int_eq(run(b), 0);
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM runs WHERE status='done'"), 1);
}
END_TEST

START_TEST(unwritable_output_dir_exits_2)
{
    char *a[] = {TS, "run", "-q", "--no-plots", "--out", "/nonexistent-dir/x.db", NULL};
    ck_assert_int_eq(run(a), 2);
    ck_assert_ptr_nonnull(strstr(R.err, "/nonexistent-dir/x.db"));
}
END_TEST

/* A short run of the default scenario with overrides; returns its digest. */
static void short_run(const char *name, const char *seed, char digest[65])
{
    const char *db = tdb_tmp(name);
    char *a[] = {TS,
                 "run",
                 "-q",
                 "--no-plots",
                 "--force",
                 "--out",
                 (char *)db,
                 "--set",
                 "time.blocks=30000",
                 "--set",
                 "record.every=1000",
                 "--set",
                 "stakers.unstake_probability=0.5",
                 "--seed",
                 (char *)seed,
                 NULL};
    ck_assert_msg(run(a) == 0, "run failed: %s", R.err);
    tdb_digest(R.out, digest);
    char sql[256], stored[80];
    snprintf(sql, sizeof sql, "SELECT digest FROM runs");
    tdb_text(db, sql, stored, sizeof stored);
    ck_assert_str_eq(stored, digest);
}

START_TEST(same_seed_same_digest_other_seed_differs)
{
    char d1[65], d2[65], d3[65];
    short_run("s1a.db", "11", d1);
    short_run("s1b.db", "11", d2);
    short_run("s2.db", "12", d3);
    ck_assert_str_eq(d1, d2);
    ck_assert_str_ne(d1, d3);
}
END_TEST

/* First block whose pre-block issuance reaches 10.5e15 (spec bittensor §3.1: k becomes 1 at
** issuance 10,500,000,000,000,000). Blocks 1..b-1 mint 1e9 each on top of the genesis G. */
static long long expected_first_halving(long long genesis)
{
    const long long threshold = 10500000000000000LL, reward = 1000000000LL;
    long long need = threshold - genesis;
    return (need + reward - 1) / reward + 1;
}

START_TEST(default_scenario_deterministic_with_exact_halving)
{
    const char *a_db = tdb_tmp("d1.db"), *b_db = tdb_tmp("d2.db");
    char da[65], db[65];
    char *a[] = {TS, "run", "-q", "--force", "--out", (char *)a_db, NULL};
    ck_assert_msg(run(a) == 0, "default run failed: %s", R.err);
    tdb_digest(R.out, da);
    ck_assert_ptr_nonnull(strstr(R.out, "plots:"));
    char *b[] = {TS, "run", "-q", "--no-plots", "--force", "--out", (char *)b_db, NULL};
    ck_assert_int_eq(run(b), 0);
    tdb_digest(R.out, db);
    ck_assert_str_eq(da, db);

    long long genesis = tdb_int(a_db, "SELECT sum(amount) FROM ledger WHERE reason='genesis'");
    ck_assert_int_gt(genesis, 0);
    long long want = expected_first_halving(genesis);
    ck_assert_int_eq(tdb_int(a_db, "SELECT count(*) FROM series WHERE metric='halving'"), 1);
    ck_assert_int_eq(tdb_int(a_db, "SELECT block FROM series WHERE metric='halving'"), want);
    ck_assert_int_eq(tdb_int(a_db, "SELECT value FROM series WHERE metric='halving'"), 500000000);
    /* Supply at the end: genesis + (want-1) blocks at 1e9 + the rest at 5e8. */
    long long blocks = 11000000;
    long long supply = genesis + (want - 1) * 1000000000LL + (blocks - want + 1) * 500000000LL;
    ck_assert_int_eq(tdb_int(a_db, "SELECT value FROM series WHERE metric='supply' AND "
                                   "block=(SELECT max(block) FROM series)"),
                     supply);
    ck_assert_int_eq(tdb_int(a_db, "SELECT count(*) FROM runs WHERE status='done'"), 1);
}
END_TEST

START_TEST(plots_are_png)
{
    const char *db = tdb_tmp("p.db");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/p-plots", proc_tmpdir());
    char *a[] = {TS,      "run",
                 "-q",    "--force",
                 "--out", (char *)db,
                 "--set", "time.blocks=20000",
                 "--set", "record.every=500",
                 NULL};
    ck_assert_msg(run(a) == 0, "%s", R.err);
    const char *names[] = {"supply.png", "balances.png"};
    for (int i = 0; i < 2; i++) {
        char path[600];
        unsigned char magic[8] = {0};
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        FILE *f = fopen(path, "rb");
        ck_assert_msg(f != NULL, "missing %s", path);
        ck_assert_int_eq((int)fread(magic, 1, 8, f), 8);
        fclose(f);
        ck_assert_int_eq(memcmp(magic, "\x89PNG\r\n\x1a\n", 8), 0);
    }
    /* The plots directory is a PNG-only report (reports/report.h): its page shows both. */
    char page[600], html[65536] = "";
    snprintf(page, sizeof page, "%s/index.html", dir);
    FILE *f = fopen(page, "r");
    ck_assert_msg(f != NULL, "missing %s", page);
    html[fread(html, 1, sizeof html - 1, f)] = '\0';
    fclose(f);
    ck_assert_ptr_nonnull(strstr(html, "<img src=\"supply.png\""));
    ck_assert_ptr_nonnull(strstr(html, "<img src=\"balances.png\""));
}
END_TEST

static int running_rows(const char *db)
{
    sqlite3 *h;
    sqlite3_stmt *st;
    int n = -1;
    if (access(db, F_OK) != 0 || sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        return -1;
    sqlite3_busy_timeout(h, 2000);
    if (sqlite3_prepare_v2(h, "SELECT count(*) FROM runs WHERE status='running'", -1, &st, NULL) ==
        SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(h);
    return n;
}

/* Starts a run of the default scenario into db that would take days. */
static pid_t start_endless_run(const char *db)
{
    char *a[] = {TS,           "run",     "-q",
                 "--no-plots", "--force", "--out",
                 (char *)db,   "--set",   "time.blocks=9000000000",
                 NULL};
    pid_t pid = proc_start(a);
    ck_assert_int_gt(pid, 0);
    return pid;
}

START_TEST(sigint_marks_run_interrupted)
{
    const char *db = tdb_tmp("int.db");
    pid_t pid = start_endless_run(db);
    struct timespec pause = {0, 20L * 1000 * 1000};
    int seen = -1;
    for (int i = 0; i < 3000 && (seen = running_rows(db)) != 1; i++)
        nanosleep(&pause, NULL);
    ck_assert_int_eq(seen, 1);
    kill(pid, SIGINT);
    ck_assert_int_eq(proc_wait(pid), 1);
    char status[32];
    tdb_text(db, "SELECT status FROM runs", status, sizeof status);
    ck_assert_str_eq(status, "interrupted");
}
END_TEST

/* The handler is in place before the DB file exists, so a SIGINT the moment the file appears
** ends the run as interrupted (exit 1, never a row left 'running'). The handler used to come
** after the run's row: a signal in between killed the process (exit 130) and left the row
** 'running' for ever; this test sent it there about every time. */
START_TEST(sigint_as_the_db_appears)
{
    const char *db = tdb_tmp("early.db");
    pid_t pid = start_endless_run(db);
    ck_assert_int_eq(proc_await_file(db), 0);
    kill(pid, SIGINT);
    ck_assert_int_eq(proc_wait(pid), 1);
    ck_assert_int_eq(running_rows(db), 0);
}
END_TEST

/* A real full disk: a 512 KiB tmpfs (needs root, as CI and the setup command run). The run
** must fail with exit 1 and a clear message, and the DB must not claim the run is done. */
START_TEST(full_disk_fails_cleanly)
{
    char dir[512], db[600];
    snprintf(dir, sizeof dir, "%s/full", proc_tmpdir());
    snprintf(db, sizeof db, "%s/run.db", dir);
    ck_assert_int_eq(mkdir(dir, 0700), 0);
    char *mnt[] = {"/bin/mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", dir, NULL};
    if (geteuid() != 0 || proc_run(mnt, &R) != 0 || R.status != 0) {
        fprintf(stderr, "full_disk_fails_cleanly: cannot mount a tmpfs here, not run\n");
        return;
    }
    char *a[] = {TS,      "run",
                 "-q",    "--no-plots",
                 "--out", db,
                 "--set", "time.blocks=2000000",
                 "--set", "record.every=1",
                 NULL};
    int status = run(a);
    char *um[] = {"/bin/umount", dir, NULL};
    proc_result u;
    ck_assert_int_eq(status, 1);
    const char *why = strstr(R.err, "run failed:");
    ck_assert_msg(why && strstr(why, "full") != NULL, "no disk-full message in: %s", R.err);
    int done = -1;
    sqlite3 *h;
    if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(h, "SELECT count(*) FROM runs WHERE status='done'", -1, &st, NULL) ==
                SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            done = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
        sqlite3_close(h);
    }
    proc_run(um, &u);
    ck_assert_int_ne(done, 1);
}
END_TEST

static Suite *cli_suite(void)
{
    Suite *s = suite_create("cli");
    TCase *fast = tcase_create("usage");
    tcase_add_test(fast, no_arguments_is_usage);
    tcase_add_test(fast, help_and_version);
    tcase_add_test(fast, bad_usage_exits_2);
    tcase_add_test(fast, missing_scenario_exits_2_and_writes_nothing);
    tcase_add_test(fast, validate_default_file);
    tcase_add_test(fast, existing_output_needs_force);
    tcase_add_test(fast, unwritable_output_dir_exits_2);
    suite_add_tcase(s, fast);
    TCase *e2e = tcase_create("end_to_end");
    tcase_set_timeout(e2e, 300);
    tcase_add_test(e2e, same_seed_same_digest_other_seed_differs);
    tcase_add_test(e2e, default_scenario_deterministic_with_exact_halving);
    tcase_add_test(e2e, plots_are_png);
    tcase_add_test(e2e, sigint_marks_run_interrupted);
    tcase_add_test(e2e, sigint_as_the_db_appears);
    tcase_add_test(e2e, full_disk_fails_cleanly);
    suite_add_tcase(s, e2e);
    return s;
}

int main(void)
{
    return tdb_run(cli_suite());
}
