/*
** check_sweep_cli.c: `tokensim sweep` run-list designs end to end through the binary: the same
** sweep with one process, with --jobs 2 and under `mpirun -np 2` (MPI builds) gives identical
** runs (run_index, seed, params_json, digest, status) in the three databases; a sweep SIGKILLed
** mid-way and resumed equals an uninterrupted one run for run; a failing run is recorded and
** the sweep goes on; bad usage writes nothing; Saltelli indices in the database match the
** estimator formulas recomputed here from the stored per-run metrics.
**
** Expected values are independent of the program: params_json and seeds are written out by
** hand from the documented grid order and seed function (splitmix64, coded here from Vigna's
** reference); Saltelli/Jansen formulas are recomputed in this file.
*/
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <dirent.h>
#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "proc.h"
#include "tdb.h"

#define TS  (char *)proc_tokensim()
#define SCN (char *)tdb_src("scenarios/bitgrit-competitions.cfg")

static proc_result R;

static int run(char *const argv[])
{
    ck_assert_int_eq(proc_run(argv, &R), 0);
    return R.status;
}

/* Every run of db as one text, in run_index order. */
static void runs_text(const char *db, char *out, size_t len)
{
    tdb_text(db,
             "SELECT group_concat(line, char(10)) FROM (SELECT run_index || '|' || seed || '|' ||"
             " params_json || '|' || coalesce(digest, '-') || '|' || status AS line FROM runs"
             " ORDER BY run_index)",
             out, len);
}

static int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* splitmix64 output function, from the published reference (state += golden; mix). */
static uint64_t splitmix(uint64_t x)
{
    uint64_t z = x + 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static char *grid_argv[] = {NULL,
                            "sweep",
                            NULL,
                            "--grid",
                            "competitions.keep=0.5,0.8",
                            "--grid",
                            "scientists.count=100,200",
                            "--runs",
                            "2",
                            "--seed",
                            "11",
                            "--metric",
                            "bitgrit.burned",
                            "--out",
                            NULL,
                            "--jobs",
                            "1",
                            NULL};

static void grid_sweep(const char *db, const char *jobs)
{
    grid_argv[0] = TS;
    grid_argv[2] = SCN;
    grid_argv[14] = (char *)db;
    grid_argv[16] = (char *)jobs;
    ck_assert_msg(run(grid_argv) == 0, "%s", R.err);
}

START_TEST(test_jobs_and_mpi_identical)
{
    static char a[65536], b[65536], c[65536];
    const char *db1 = tdb_tmp("g1.db"), *db2 = tdb_tmp("g2.db");
    grid_sweep(db1, "1");
    grid_sweep(db2, "2");
    runs_text(db1, a, sizeof a);
    runs_text(db2, b, sizeof b);
    ck_assert_str_eq(a, b);
    ck_assert_int_eq(tdb_int(db1, "SELECT count(*) FROM runs WHERE status = 'done'"), 8);
    ck_assert_int_eq(tdb_int(db2, "SELECT count(*) FROM sweep_points WHERE verdict = 'done'"
                                  " AND metric IS NOT NULL"),
                     8);
    /* grid order (last key fastest), two replicates per point: run 5 is point 2 = (0.8, 100) */
    char pj[256];
    tdb_text(db1, "SELECT params_json FROM runs WHERE run_index = 5", pj, sizeof pj);
    ck_assert_str_eq(pj, "{\"competitions.keep\": 0.8, \"scientists.count\": 100}");
    for (int i = 0; i < 8; i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT seed FROM runs WHERE run_index = %d", i);
        ck_assert_uint_eq((uint64_t)tdb_int(db1, sql),
                          splitmix(11 ^ splitmix((uint64_t)i)) & 0x7fffffffffffffffull);
    }
    /* replicates differ (their seeds do), and no shard is left behind */
    ck_assert_int_eq(tdb_int(db1, "SELECT count(DISTINCT digest) FROM runs"), 8);
    char shard[4200];
    snprintf(shard, sizeof shard, "%s.shard-0", db2);
    ck_assert(!exists(shard));
    ck_assert_int_eq(tdb_int(db1, "SELECT count(*) FROM sweeps WHERE status = 'done'"
                                  " AND design = 'grid'"),
                     1);
#ifdef TOKENSIM_MPIEXEC
    const char *db3 = tdb_tmp("g3.db");
    setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 1);
    setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 1);
    /* Open MPI's dlopen'ed components leak at MPI_Finalize (frames of unloaded modules that no
    ** suppression can name), so the sanitizer build checks leaks of the sweep code in the
    ** cases above and not under mpirun; every other ASan/UBSan check stays on. */
    setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
    char *mpi[40] = {(char *)TOKENSIM_MPIEXEC, "--oversubscribe", "-np", "2"};
    int n = 4;
    grid_argv[0] = TS;
    grid_argv[14] = (char *)db3;
    grid_argv[16] = "1";
    for (int k = 0; grid_argv[k]; k++)
        mpi[n++] = grid_argv[k];
    mpi[n] = NULL;
    int mrc = run(mpi);
    unsetenv("ASAN_OPTIONS");
    ck_assert_msg(mrc == 0, "mpirun: %d\n%.2000s\n%.2000s", mrc, R.out, R.err);
    ck_assert_ptr_nonnull(strstr(R.out, "2 MPI ranks"));
    runs_text(db3, c, sizeof c);
    ck_assert_str_eq(a, c);
#else
    (void)c;
#endif
}
END_TEST

static int64_t points_of(const char *db)
{
    sqlite3 *h = NULL;
    int64_t n = -1;
    if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_busy_timeout(h, 2000); /* the parent's merges hold the write lock under load */
        sqlite3_stmt *s = NULL;
        if (sqlite3_prepare_v2(h, "SELECT count(*) FROM sweep_points", -1, &s, NULL) == SQLITE_OK &&
            sqlite3_step(s) == SQLITE_ROW)
            n = sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
    }
    sqlite3_close(h);
    return n;
}

START_TEST(test_resume_after_sigkill)
{
    static char a[65536], b[65536];
    const char *full = tdb_tmp("full.db"), *cut = tdb_tmp("cut.db");
    char *argv[] = {TS,       "sweep", SCN,        "--runs",         "14", "--out", (char *)full,
                    "--jobs", "2",     "--metric", "bitgrit.burned", NULL, NULL};
    ck_assert_msg(run(argv) == 0, "%s", R.err);
    argv[6] = (char *)cut;
    pid_t pid = proc_start(argv);
    ck_assert_int_gt(pid, 0);
    struct timespec nap = {0, 20 * 1000 * 1000};
    int64_t seen = 0; /* the most points seen: one poll may fail while the parent writes */
    for (int i = 0; i < 6000 && seen < 3; i++) {
        int64_t n = points_of(cut);
        seen = n > seen ? n : seen;
        if (seen < 3)
            nanosleep(&nap, NULL);
    }
    ck_assert_int_ge(seen, 3);
    kill(pid, SIGKILL);
    ck_assert_int_eq(proc_wait(pid), 128 + SIGKILL);
    int64_t kept = points_of(cut);
    ck_assert_int_lt(kept, 14); /* it really was cut short */
    argv[11] = "--resume";
    ck_assert_msg(run(argv) == 0, "%s", R.err);
    char want[64];
    snprintf(want, sizeof want, "resuming sweep 1: %lld of 14", (long long)kept);
    ck_assert_msg(strstr(R.out, want) != NULL, "%s", R.out);
    runs_text(full, a, sizeof a);
    runs_text(cut, b, sizeof b);
    ck_assert_str_eq(a, b);
    ck_assert_int_eq(tdb_int(cut, "SELECT count(*) FROM sweep_points"), 14);
    ck_assert_int_eq(tdb_int(cut, "SELECT count(*) FROM sweeps WHERE status = 'done'"), 1);
    /* resuming a finished sweep runs nothing */
    ck_assert_msg(run(argv) == 0, "%s", R.err);
    ck_assert_ptr_nonnull(strstr(R.out, "14 of 14 runs already done"));
    runs_text(cut, b, sizeof b);
    ck_assert_str_eq(a, b);
}
END_TEST

/* A child process of `parent` (the entries of /proc whose stat names it as parent), or -1. */
static pid_t child_of(pid_t parent)
{
    DIR *dir = opendir("/proc");
    struct dirent *e;
    pid_t found = -1;
    while (dir && found < 0 && (e = readdir(dir)) != NULL) {
        char path[300], comm[256], state;
        int ppid = 0;
        if (e->d_name[0] < '1' || e->d_name[0] > '9')
            continue;
        snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        if (fscanf(f, "%*d (%255[^)]) %c %d", comm, &state, &ppid) == 3 && ppid == (int)parent)
            found = (pid_t)atoi(e->d_name);
        fclose(f);
    }
    if (dir)
        closedir(dir);
    return found;
}

START_TEST(test_worker_killed)
{
    static char a[65536], b[65536];
    const char *full = tdb_tmp("wfull.db"), *cut = tdb_tmp("wcut.db");
    char *argv[] = {TS,           "sweep",  SCN, "--runs", "10", "--out",
                    (char *)full, "--jobs", "2", NULL,     NULL};
    ck_assert_msg(run(argv) == 0, "%s", R.err);
    argv[6] = (char *)cut;
    pid_t pid = proc_start(argv);
    ck_assert_int_gt(pid, 0);
    struct timespec nap = {0, 20 * 1000 * 1000};
    pid_t w = -1;
    /* Kill a worker while it runs: wait for the pool to exist, not for the first merged point
    ** (on an idle machine the whole sweep can finish between two polls of the DB). */
    for (int i = 0; i < 3000 && (w = child_of(pid)) < 0; i++)
        nanosleep(&nap, NULL);
    ck_assert_int_gt(w, 0);
    kill(w, SIGKILL);
    int st = proc_wait(pid);
    if (st == 0) /* the worker was idle with no run left to get (rare): nothing failed */
        return;
    ck_assert_int_eq(st, 1); /* a run failed, the sweep went on */
    ck_assert_int_eq(tdb_int(cut, "SELECT count(*) FROM runs"), 10);
    ck_assert_int_eq(tdb_int(cut, "SELECT count(*) FROM runs WHERE status = 'failed'"
                                  " AND error LIKE '%killed by signal 9%'"),
                     1);
    argv[9] = "--resume";
    ck_assert_msg(run(argv) == 0, "%s", R.err);
    runs_text(full, a, sizeof a);
    runs_text(cut, b, sizeof b);
    ck_assert_str_eq(a, b);
}
END_TEST

START_TEST(test_failed_run_recorded)
{
    const char *db = tdb_tmp("fail.db");
    char *argv[] = {TS,      "sweep",    SCN,      "--zip", "competitions.keep=0.5,7,0.6",
                    "--out", (char *)db, "--jobs", "2",     NULL};
    ck_assert_int_eq(run(argv), 1);
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM runs"), 3);
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM runs WHERE status = 'done'"), 2);
    char err[512];
    tdb_text(db, "SELECT error FROM runs WHERE run_index = 1 AND status = 'failed'", err,
             sizeof err);
    ck_assert_msg(strstr(err, "out of range") != NULL, "%s", err);
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM sweep_points WHERE verdict = 'failed'"
                                 " AND idx = 1"),
                     1);
    tdb_text(db, "SELECT status || ': ' || message FROM sweeps", err, sizeof err);
    ck_assert_str_eq(err, "failed: 1 of 3 runs failed");
}
END_TEST

static void usage_case(const char *name, char *a1, char *a2, char *a3, char *a4)
{
    const char *db = tdb_tmp(name);
    char *argv[] = {TS, "sweep", SCN, "--out", (char *)db, a1, a2, a3, a4, NULL};
    ck_assert_msg(run(argv) == 2, "%s %s %s %s: %d\n%s", a1, a2, a3 ? a3 : "", a4 ? a4 : "",
                  R.status, R.err);
    ck_assert_msg(!exists(db), "%s was written", name);
}

START_TEST(test_usage_errors)
{
    usage_case("u1.db", "--grid", "competitions.nokey=1,2", NULL, NULL);
    usage_case("u2.db", "--grid", "competitions.keep=0.5", "--sample", "lhs");
    usage_case("u3.db", "--range", "competitions.keep=0:1", NULL, NULL);
    usage_case("u4.db", "--zip", "competitions.keep=0.5,0.6", "--zip", "scientists.count=1");
    usage_case("u5.db", "--sample", "lhs", "--range", "competitions.keep=0:1");
    usage_case("u6.db", "--runs", "0", NULL, NULL);
    usage_case("u7.db", "--runs", "2", "--jobs", "zero");
    usage_case("u8.db", "--sample", "morris", "--range", "competitions.keep=1:0");
    usage_case("u9.db", "--sample", "lhs", "--range", "supply.treasury=0:1");
    usage_case("u10.db", "--runs", "2", "--bisect", "competitions.keep=0:1");
    usage_case("u11.db", "--sample", "morris", "--levels", "3");
    /* an existing database needs --force (or --resume) */
    const char *db = tdb_tmp("exists.db");
    FILE *f = fopen(db, "w");
    ck_assert_ptr_nonnull(f);
    fclose(f);
    char *argv[] = {TS, "sweep", SCN, "--out", (char *)db, "--runs", "1", NULL};
    ck_assert_int_eq(run(argv), 2);
    ck_assert_ptr_nonnull(strstr(R.err, "already exists"));
}
END_TEST

/* Metric of run idx (one replicate per point) from the points table. */
static double metric_of(const char *db, int idx)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT metric FROM sweep_points WHERE idx = %d", idx);
    return tdb_double(db, sql);
}

START_TEST(test_saltelli_indices_stored)
{
    const char *db = tdb_tmp("salt.db");
    char *argv[] = {TS,
                    "sweep",
                    SCN,
                    "--sample",
                    "saltelli",
                    "--range",
                    "competitions.keep=0.4:0.9",
                    "--range",
                    "scientists.count=50:300",
                    "--samples",
                    "6",
                    "--metric",
                    "bitgrit.burned",
                    "--out",
                    (char *)db,
                    NULL};
    ck_assert_msg(run(argv) == 0, "%s", R.err);
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM runs"), 6 * 4);
    /* recompute: V over f(A), f(B); S1 = mean fB (fABi - fA) / V; ST = mean (fA - fABi)^2 / 2V */
    double sum = 0, sq = 0, s1[2] = {0, 0}, st[2] = {0, 0};
    for (int j = 0; j < 6; j++) {
        double fa = metric_of(db, j * 4), fb = metric_of(db, j * 4 + 1);
        sum += fa + fb;
        sq += fa * fa + fb * fb;
        for (int i = 0; i < 2; i++) {
            double fab = metric_of(db, j * 4 + 2 + i);
            s1[i] += fb * (fab - fa);
            st[i] += (fa - fab) * (fa - fab);
        }
    }
    double mean = sum / 12.0, v = sq / 12.0 - mean * mean;
    const char *keys[2] = {"competitions.keep", "scientists.count"};
    for (int i = 0; i < 2; i++) {
        char sql[256];
        snprintf(sql, sizeof sql,
                 "SELECT s1 FROM sensitivity WHERE param = '%s' AND method = 'sobol'"
                 " AND metric = 'bitgrit.burned:last'",
                 keys[i]);
        double got = tdb_double(db, sql), want = s1[i] / 6.0 / v;
        ck_assert_msg(fabs(got - want) <= 1e-6 * fabs(want) + 1e-12, "S1 %g vs %g", got, want);
        snprintf(sql, sizeof sql, "SELECT st FROM sensitivity WHERE param = '%s'", keys[i]);
        got = tdb_double(db, sql), want = st[i] / 12.0 / v;
        ck_assert_msg(fabs(got - want) <= 1e-6 * fabs(want) + 1e-12, "ST %g vs %g", got, want);
    }
    ck_assert_ptr_nonnull(strstr(R.out, "S1"));
    /* AB_2 (run 4j + 3) equals A (run 4j) but in the second parameter, which differs somewhere
    ** (early Sobol points can repeat a coordinate across dimensions) */
    int differ = 0;
    for (int j = 0; j < 6; j++) {
        char sql[128], a0[256], ab[256];
        snprintf(sql, sizeof sql, "SELECT params_json FROM runs WHERE run_index = %d", 4 * j);
        tdb_text(db, sql, a0, sizeof a0);
        snprintf(sql, sizeof sql, "SELECT params_json FROM runs WHERE run_index = %d", 4 * j + 3);
        tdb_text(db, sql, ab, sizeof ab);
        const char *ca = strchr(a0, ','), *cb = strchr(ab, ',');
        ck_assert(ca && cb && ca - a0 == cb - ab && strncmp(a0, ab, (size_t)(ca - a0)) == 0);
        differ += strcmp(a0, ab) != 0;
    }
    ck_assert_int_gt(differ, 0);
}
END_TEST

/* The two parameters of run idx from its params_json ({"a": x, "b": y}). */
static void params_of(const char *db, int idx, double *x, double *y)
{
    char sql[128], pj[256];
    snprintf(sql, sizeof sql, "SELECT params_json FROM runs WHERE run_index = %d", idx);
    tdb_text(db, sql, pj, sizeof pj);
    ck_assert_int_eq(
        sscanf(pj, "{\"competitions.keep\": %lf, \"competitions.forfeit_low\": %lf}", x, y), 2);
}

START_TEST(test_morris_stored)
{
    const char *db = tdb_tmp("morris.db");
    char *argv[] = {TS,
                    "sweep",
                    SCN,
                    "--sample",
                    "morris",
                    "--range",
                    "competitions.keep=0.4:0.9",
                    "--range",
                    "competitions.forfeit_low=0:0.5",
                    "--samples",
                    "4",
                    "--metric",
                    "bitgrit.burned",
                    "--jobs",
                    "2",
                    "--out",
                    (char *)db,
                    NULL};
    ck_assert_msg(run(argv) == 0, "%s", R.err);
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM runs WHERE status = 'done'"), 4 * 3);
    /* recompute: each step changes one key; EE = dy / (dx / (hi - lo)) */
    double range[2] = {0.5, 0.5}, abs_sum[2] = {0, 0}, sum[2] = {0, 0}, sq[2] = {0, 0};
    int n[2] = {0, 0};
    for (int t = 0; t < 4; t++)
        for (int s = 0; s < 2; s++) {
            double x0[2], x1[2];
            params_of(db, t * 3 + s, &x0[0], &x0[1]);
            params_of(db, t * 3 + s + 1, &x1[0], &x1[1]);
            int j = x1[0] != x0[0] ? 0 : 1;
            ck_assert(x1[1 - j] == x0[1 - j]); /* one key per step */
            double ee = (metric_of(db, t * 3 + s + 1) - metric_of(db, t * 3 + s)) /
                        ((x1[j] - x0[j]) / range[j]);
            abs_sum[j] += fabs(ee), sum[j] += ee, sq[j] += ee * ee, n[j]++;
        }
    const char *keys[2] = {"competitions.keep", "competitions.forfeit_low"};
    for (int j = 0; j < 2; j++) {
        ck_assert_int_eq(n[j], 4); /* each key moves once per trajectory */
        char sql[256];
        snprintf(sql, sizeof sql,
                 "SELECT mu_star FROM sensitivity WHERE param = '%s' AND method = 'morris'"
                 " AND s1 IS NULL",
                 keys[j]);
        double mu = abs_sum[j] / 4.0, sd = sqrt((sq[j] - sum[j] * sum[j] / 4.0) / 3.0);
        double got = tdb_double(db, sql);
        ck_assert_msg(fabs(got - mu) <= 1e-6 * fabs(mu) + 1e-9, "mu* %g vs %g", got, mu);
        snprintf(sql, sizeof sql, "SELECT sigma FROM sensitivity WHERE param = '%s'", keys[j]);
        got = tdb_double(db, sql);
        ck_assert_msg(fabs(got - sd) <= 1e-6 * fabs(mu) + 1e-9, "sigma %g vs %g", got, sd);
    }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("sweep_cli");
    TCase *c = tcase_create("cli");
    tcase_set_timeout(c, 600);
    tcase_add_test(c, test_jobs_and_mpi_identical);
    tcase_add_test(c, test_resume_after_sigkill);
    tcase_add_test(c, test_failed_run_recorded);
    tcase_add_test(c, test_worker_killed);
    tcase_add_test(c, test_usage_errors);
    tcase_add_test(c, test_saltelli_indices_stored);
    tcase_add_test(c, test_morris_stored);
    suite_add_tcase(s, c);
    return s;
}

int main(void)
{
    return tdb_run(suite());
}
