/*
** check_sweep_cli.c: `tokensim sweep` run-list designs end to end through the binary: the same
** sweep with one process, with --jobs 2 and under `mpirun -np 2` (MPI builds) gives identical
** runs (run_index, seed, params_json, digest, status) in the three databases; a sweep SIGKILLed
** mid-way and resumed equals an uninterrupted one run for run; a failing run is recorded and
** the sweep goes on; bad usage writes nothing; Saltelli indices in the database match the
** estimator formulas recomputed here from the stored per-run metrics.
**
** Designs in the scenario file's `sweep` group give the run list written out here and the same
** runs as the command line; `tokensim run` ignores the group; a bad group is FILE:LINE + exit 2
** from validate and sweep. A sweep cut short and resumed under `mpirun -np 2 --resume` equals
** an uninterrupted one and reruns only the runs that were not done (MPI builds).
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
#include <sys/wait.h>
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

/* The integer `sql` yields on db, or -1 when the file or its tables are not there yet (a poll
** of a database another process is writing). */
static int64_t poll_int(const char *db, const char *sql)
{
    sqlite3 *h = NULL;
    int64_t n = -1;
    if (access(db, F_OK) == 0 && sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_busy_timeout(h, 2000); /* the parent's merges hold the write lock under load */
        sqlite3_stmt *s = NULL;
        if (sqlite3_prepare_v2(h, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
            n = sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
    }
    sqlite3_close(h);
    return n;
}

static int64_t points_of(const char *db)
{
    return poll_int(db, "SELECT count(*) FROM sweep_points");
}

/* Waits (up to about 100 s) until `sql` on db yields 1, polling every 50 us. */
static void await_one(const char *db, const char *sql)
{
    struct timespec nap = {0, 50L * 1000};
    for (int i = 0; i < 2000000 && poll_int(db, sql) != 1; i++)
        nanosleep(&nap, NULL);
    ck_assert_int_eq(poll_int(db, sql), 1);
}

static pid_t child_of(pid_t parent);

/* The state and wait channel of process pid and of one of its children (Linux /proc), for a
 * failure message; "-" when pid < 0. */
static void describe_proc(pid_t pid, char *out, size_t cap)
{
    snprintf(out, cap, "-");
    if (pid < 0)
        return;
    size_t off = 0;
    pid_t kid = child_of(pid);
    pid_t who[2] = {pid, kid};
    for (int k = 0; k < 2 && who[k] > 0; k++) {
        char path[64], state[64] = "?", wchan[64] = "?";
        snprintf(path, sizeof path, "/proc/%ld/wchan", (long)who[k]);
        FILE *f = fopen(path, "r");
        if (f) {
            if (!fgets(wchan, sizeof wchan, f))
                snprintf(wchan, sizeof wchan, "?");
            fclose(f);
        }
        snprintf(path, sizeof path, "/proc/%ld/stat", (long)who[k]);
        f = fopen(path, "r");
        if (f) {
            char line[512] = "";
            const char *cp = fgets(line, sizeof line, f) ? strrchr(line, ')') : NULL;
            if (cp && cp[1] == ' ')
                snprintf(state, sizeof state, "%c", cp[2]);
            fclose(f);
        }
        int w = snprintf(out + off, cap - off, "%s pid %ld state %s wchan %s", k ? "; child" : "",
                         (long)who[k], state, wchan);
        off += w > 0 && (size_t)w < cap - off ? (size_t)w : 0;
    }
}

/* The 14-run sweep of argv (13 entries: argv[6] the --out, argv[11] free for --resume) run
** whole into full, then started into cut; returns the running sweep's pid once cut holds 3
** points, or fails the test saying what the sweep was doing. */
static pid_t start_cut(char **argv, const char *full, const char *cut)
{
    argv[6] = (char *)full;
    ck_assert_msg(run(argv) == 0, "%s", R.err);
    argv[6] = (char *)cut;
    pid_t pid = proc_start(argv);
    ck_assert_int_gt(pid, 0);
    struct timespec nap = {0, 20L * 1000 * 1000};
    int64_t seen = 0; /* the most points seen: one poll may fail while the parent writes */
    int st = 0, gone = 0;
    for (int i = 0; i < 3000 && seen < 3 && !gone; i++) {
        int64_t n = points_of(cut);
        seen = n > seen ? n : seen;
        gone = waitpid(pid, &st, WNOHANG) == pid; /* the sweep ended (or died) on its own */
        if (seen < 3 && !gone)
            nanosleep(&nap, NULL);
    }
    if (seen < 3) { /* say what the sweep was doing, for the record */
        char why[600];
        describe_proc(gone ? -1 : pid, why, sizeof why);
        ck_abort_msg("sweep made %lld points in 60 s; %s%s wait status %d; %s", (long long)seen,
                     gone ? "it exited:" : "it is alive", gone ? "" : ",", gone ? st : 0,
                     why); /* st: the raw wait status */
    }
    return pid;
}

START_TEST(test_resume_after_sigkill)
{
    static char a[65536], b[65536];
    const char *full = tdb_tmp("full.db"), *cut = tdb_tmp("cut.db");
    char *argv[] = {TS,       "sweep", SCN,        "--runs",         "14", "--out", NULL,
                    "--jobs", "2",     "--metric", "bitgrit.burned", NULL, NULL};
    pid_t pid = start_cut(argv, full, cut);
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

/* Files in the directory of db whose name starts with db's name + ".shard-" (leftovers); their
** names, space-separated, into the static buffer shards_seen (for the failure message). */
static char shards_seen[1024];

static int shards_left(const char *db)
{
    char dir[4096], prefix[512];
    const char *slash = strrchr(db, '/');
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - db) : 1, slash ? db : ".");
    snprintf(prefix, sizeof prefix, "%s.shard-", slash ? slash + 1 : db);
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    shards_seen[0] = '\0';
    while (d && (e = readdir(d)) != NULL)
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0) {
            size_t at = strlen(shards_seen);
            snprintf(shards_seen + at, sizeof shards_seen - at, " %s", e->d_name);
            n++;
        }
    if (d)
        closedir(d);
    return n;
}

/* SIGINT (a terminal's Ctrl-C) or SIGTERM (loop index) stops a sweep cleanly: exit 1, the sweep
** recorded interrupted with how many runs were kept, no shard left behind, and --resume gives
** the runs of an uninterrupted sweep. (It used to die with the signal, leave the sweep
** "running" and shards and journals behind.) */
START_TEST(test_interrupt_then_resume)
{
    static char a[65536], b[65536];
    const int sig = _i ? SIGTERM : SIGINT;
    const char *full = tdb_tmp("ifull.db"), *cut = tdb_tmp(_i ? "iterm.db" : "iint.db");
    char *argv[] = {TS,       "sweep", SCN,        "--runs",         "14", "--out", NULL,
                    "--jobs", "2",     "--metric", "bitgrit.burned", NULL, NULL};
    pid_t pid = start_cut(argv, full, cut);
    kill(pid, sig);
    int code = proc_wait(pid);
    int64_t kept = points_of(cut);
    if (kept == 14) /* it finished before the signal landed: nothing to check */
        return;
    ck_assert_int_eq(code, 1);
    ck_assert_int_eq(tdb_int(cut, "SELECT count(*) FROM sweeps WHERE status = 'interrupted'"), 1);
    char want[96], got[256];
    snprintf(want, sizeof want, "interrupted by signal %d after %lld of 14 runs", sig,
             (long long)kept);
    tdb_text(cut, "SELECT message FROM sweeps", got, sizeof got);
    ck_assert_msg(strstr(got, want) != NULL, "%s", got);
    ck_assert_msg(shards_left(cut) == 0, "left:%s", shards_seen);
    argv[11] = "--resume";
    ck_assert_msg(run(argv) == 0, "%s", R.err);
    runs_text(full, a, sizeof a);
    runs_text(cut, b, sizeof b);
    ck_assert_str_eq(a, b);
    ck_assert_int_eq(tdb_int(cut, "SELECT count(*) FROM sweeps WHERE status = 'done'"), 1);
}
END_TEST

/* The handlers are in place before the DB file exists: a SIGTERM the moment it appears ends the
** sweep as interrupted (exit 1, no sweep left 'running', no shard), and --resume completes it.
** They used to be installed after the sweep's row: a signal there killed it (exit 143). */
START_TEST(test_signal_as_the_db_appears)
{
    const char *cut = tdb_tmp("early.db");
    char *argv[] = {TS,       "sweep", SCN,        "--runs",         "14", "--out", (char *)cut,
                    "--jobs", "2",     "--metric", "bitgrit.burned", NULL, NULL};
    pid_t pid = proc_start(argv);
    ck_assert_int_gt(pid, 0);
    ck_assert_int_eq(proc_await_file(cut), 0);
    kill(pid, SIGTERM);
    ck_assert_int_eq(proc_wait(pid), 1);
    ck_assert_int_eq(tdb_int(cut, "SELECT count(*) FROM sweeps WHERE status = 'running'"), 0);
    ck_assert_int_eq(tdb_int(cut, "SELECT count(*) FROM sweeps WHERE status = 'interrupted'"), 1);
    ck_assert_msg(shards_left(cut) == 0, "left:%s", shards_seen);
    argv[11] = "--resume";
    ck_assert_msg(run(argv) == 0, "%s", R.err);
    ck_assert_int_eq(tdb_int(cut, "SELECT count(*) FROM sweep_points"), 14);
    ck_assert_int_eq(tdb_int(cut, "SELECT count(*) FROM sweeps WHERE status = 'done'"), 1);
}
END_TEST

/* A run in progress in the sweep's own process (--jobs 1, and every bisection point) stops at a
** signal: runs of 10^8 days, which would take hours, end at once as interrupted. The serial
** sweep used to finish its run first, and a bisection had no handler at all (it died, its sweep
** left 'running'). */
START_TEST(test_signal_stops_the_run_in_process)
{
    const char *serial = tdb_tmp("serial.db"), *bis = tdb_tmp("bisect.db");
    char shard[600];
    snprintf(shard, sizeof shard, "%s.shard-0", serial);
    char *sa[] = {TS,
                  "sweep",
                  SCN,
                  "--runs",
                  "2",
                  "--out",
                  (char *)serial,
                  "--jobs",
                  "1",
                  "--metric",
                  "bitgrit.burned",
                  "--set",
                  "time.blocks=100000000",
                  NULL};
    pid_t pid = proc_start(sa);
    ck_assert_int_gt(pid, 0);
    await_one(shard, "SELECT count(*) FROM runs WHERE status = 'running'");
    kill(pid, SIGTERM);
    ck_assert_int_eq(proc_wait(pid), 1);
    ck_assert_int_eq(tdb_int(serial, "SELECT count(*) FROM sweeps WHERE status = 'interrupted'"),
                     1);
    ck_assert_int_eq(tdb_int(serial, "SELECT count(*) FROM runs"), 0);
    ck_assert_int_eq(shards_left(serial), 0);

    char *ba[] = {TS,
                  "sweep",
                  SCN,
                  "--bisect",
                  "jobs.arrival_rate=0.1:0.3",
                  "--metric",
                  "bitgrit.burned",
                  "--target",
                  "1",
                  "--out",
                  (char *)bis,
                  "--set",
                  "time.blocks=100000000",
                  NULL};
    pid = proc_start(ba);
    ck_assert_int_gt(pid, 0);
    await_one(bis, "SELECT count(*) FROM runs WHERE status = 'running'");
    kill(pid, SIGINT);
    ck_assert_int_eq(proc_wait(pid), 1);
    ck_assert_int_eq(tdb_int(bis, "SELECT count(*) FROM sweeps WHERE status = 'interrupted'"), 1);
    ck_assert_int_eq(tdb_int(bis, "SELECT count(*) FROM runs WHERE status = 'interrupted'"), 1);
    ck_assert_int_eq(tdb_int(bis, "SELECT count(*) FROM runs"), 1); /* HI never started */
    char msg[256];
    tdb_text(bis, "SELECT message FROM sweeps", msg, sizeof msg);
    ck_assert_msg(strstr(msg, "interrupted by signal 2 after 1 runs") != NULL, "%s", msg);
}
END_TEST

/* A child process of `parent` (the entries of /proc whose stat names it as parent), or -1. */
static pid_t child_of(pid_t parent)
{
    DIR *dir = opendir("/proc");
    struct dirent *e;
    pid_t found = -1;
    while (dir && found < 0 && (e = readdir(dir)) != NULL) {
        char path[300];
        if (e->d_name[0] < '1' || e->d_name[0] > '9')
            continue;
        snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        char line[512] = "";
        const char *close_paren = fgets(line, sizeof line, f) ? strrchr(line, ')') : NULL;
        char *end = NULL; /* "PID (COMM) STATE PPID ...": COMM may hold spaces, not ')' last */
        long ppid = close_paren && close_paren[1] == ' ' && close_paren[2] && close_paren[3] == ' '
                        ? strtol(close_paren + 4, &end, 10)
                        : -1;
        if (end && end != close_paren + 4 && ppid == (long)parent) {
            long pid = strtol(e->d_name, &end, 10);
            if (*end == '\0')
                found = (pid_t)pid;
        }
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
    struct timespec nap = {0, 20L * 1000 * 1000};
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
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM runs"), (intmax_t)6 * 4);
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
    /* {"competitions.keep": X, "competitions.forfeit_low": Y} */
    static const char k1[] = "{\"competitions.keep\": ", k2[] = ", \"competitions.forfeit_low\": ";
    char *end = NULL;
    ck_assert_msg(strncmp(pj, k1, sizeof k1 - 1) == 0, "%s", pj);
    *x = strtod(pj + sizeof k1 - 1, &end);
    ck_assert_msg(strncmp(end, k2, sizeof k2 - 1) == 0, "%s", pj);
    *y = strtod(end + sizeof k2 - 1, &end);
    ck_assert_msg(strcmp(end, "}") == 0, "%s", pj);
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
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM runs WHERE status = 'done'"),
                     (intmax_t)4 * 3);
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

/* --resume only continues a sweep of the same base scenario: another --set (or an edited file)
** changes every run's digest, so it starts a new sweep instead of mixing runs. */
START_TEST(test_resume_other_base_starts_new_sweep)
{
    const char *db = tdb_tmp("base.db");
    char *argv[] = {TS,      "sweep",    SCN,      "--runs", "2",  "--set", "time.blocks=30",
                    "--out", (char *)db, "--jobs", "1",      NULL, NULL};
    ck_assert_msg(run(argv) == 0, "%s", R.err);
    argv[11] = "--resume";
    ck_assert_msg(run(argv) == 0, "%s", R.err);
    ck_assert_ptr_nonnull(strstr(R.out, "2 of 2 runs already done"));
    argv[6] = "time.blocks=31";
    ck_assert_msg(run(argv) == 0, "%s", R.err);
    ck_assert_msg(strstr(R.err, "holds no sweep with this design: starting one"), "%s", R.err);
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM sweeps WHERE status = 'done'"), 2);
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM runs"), 4);
    ck_assert_int_eq(tdb_int(db, "SELECT count(DISTINCT spec) FROM sweeps WHERE spec LIKE "
                                 "'mc % base=%'"),
                     2);
}
END_TEST

/* ---- designs in the scenario file ---- */

#define SWEEP_SCN (char *)tdb_src("scenarios/bitgrit-sweep.cfg")

/* The text of scenarios/bitgrit-sweep.cfg before its `sweep` group (malloc'd), and the number
** of lines it has. */
static char *base_text(int *lines)
{
    FILE *f = fopen(tdb_src("scenarios/bitgrit-sweep.cfg"), "r");
    ck_assert_ptr_nonnull(f);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *cut = strstr(buf, "\nsweep = {");
    ck_assert_ptr_nonnull(cut);
    cut[1] = '\0';
    *lines = 0;
    for (char *p = buf; *p; p++)
        *lines += *p == '\n';
    return strdup(buf);
}

static void write_text(const char *path, const char *a, const char *b)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(a, f);
    fputs(b, f);
    fclose(f);
}

static void exec_sql(const char *db, const char *sql)
{
    sqlite3 *h = NULL;
    ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
    char *err = NULL;
    ck_assert_msg(sqlite3_exec(h, sql, NULL, NULL, &err) == SQLITE_OK, "%s", err ? err : "?");
    sqlite3_close(h);
}

/* The file's design (2 x 3 grid, 2 replications, metric bitgrit.burned) gives the run list
** written out here by hand, and the same runs as the same design typed on the command line. */
START_TEST(test_file_design_equals_command_line)
{
    static char a[65536], b[65536];
    const char *fdb = tdb_tmp("file.db"), *cdb = tdb_tmp("cli.db");
    char *fa[] = {TS, "sweep", SWEEP_SCN, "--out", (char *)fdb, "--jobs", "2", NULL};
    ck_assert_msg(run(fa) == 0, "%s", R.err);
    ck_assert_ptr_nonnull(strstr(R.err, "the design of"));
    char *ca[] = {TS,
                  "sweep",
                  SWEEP_SCN,
                  "--grid",
                  "competitions.keep=0.5,0.8",
                  "--grid",
                  "scientists.count=100:300:3",
                  "--runs",
                  "2",
                  "--metric",
                  "bitgrit.burned",
                  "--out",
                  (char *)cdb,
                  "--jobs",
                  "1",
                  NULL};
    ck_assert_msg(run(ca) == 0, "%s", R.err);
    ck_assert_ptr_null(strstr(R.err, "the design of")); /* the command line's design wins */
    runs_text(fdb, a, sizeof a);
    runs_text(cdb, b, sizeof b);
    ck_assert_str_eq(a, b);
    /* expected run list: last key fastest, 2 replicates per point, seeds from master seed 1 */
    const char *keep[2] = {"0.5", "0.8"}, *count[3] = {"100", "200", "300"};
    ck_assert_int_eq(tdb_int(fdb, "SELECT count(*) FROM runs WHERE status = 'done'"), 12);
    for (int i = 0; i < 12; i++) {
        char sql[160], pj[256], want[256];
        snprintf(sql, sizeof sql, "SELECT params_json FROM runs WHERE run_index = %d", i);
        tdb_text(fdb, sql, pj, sizeof pj);
        snprintf(want, sizeof want, "{\"competitions.keep\": %s, \"scientists.count\": %s}",
                 keep[i / 6], count[(i / 2) % 3]);
        ck_assert_str_eq(pj, want);
        snprintf(sql, sizeof sql, "SELECT seed FROM runs WHERE run_index = %d", i);
        ck_assert_uint_eq((uint64_t)tdb_int(fdb, sql),
                          splitmix(1 ^ splitmix((uint64_t)i)) & 0x7fffffffffffffffull);
    }
    /* the initial state really moved: 100 scientists give 100 scientist entities */
    ck_assert_int_gt(tdb_int(fdb, "SELECT count(DISTINCT metric) FROM series"), 0);
    char sp[1024];
    tdb_text(fdb, "SELECT design || ' ' || metric || ' ' || reduce FROM sweeps", sp, sizeof sp);
    ck_assert_str_eq(sp, "grid bitgrit.burned last");
    ck_assert_int_eq(tdb_int(fdb, "SELECT count(*) FROM sweep_points WHERE metric IS NOT NULL"),
                     12);
    /* any design option replaces the file's design; --reduce alone merges with it */
    const char *mdb = tdb_tmp("mc.db"), *rdb = tdb_tmp("reduce.db");
    char *ma[] = {TS, "sweep", SWEEP_SCN, "--runs", "3", "--out", (char *)mdb, NULL};
    ck_assert_msg(run(ma) == 0, "%s", R.err);
    ck_assert_int_eq(tdb_int(mdb, "SELECT count(*) FROM runs WHERE params_json = '{}'"), 3);
    tdb_text(mdb, "SELECT design || ' [' || metric || ']' FROM sweeps", sp, sizeof sp);
    ck_assert_str_eq(sp, "mc []");
    char *ra[] = {TS, "sweep", SWEEP_SCN, "--reduce", "max", "--out", (char *)rdb, NULL};
    ck_assert_msg(run(ra) == 0, "%s", R.err);
    tdb_text(rdb, "SELECT design || ' ' || metric || ' ' || reduce FROM sweeps", sp, sizeof sp);
    ck_assert_str_eq(sp, "grid bitgrit.burned max");
    runs_text(rdb, b, sizeof b);
    ck_assert_str_eq(a, b); /* the reduction changes no run */
    /* --crn adds common random numbers to the file's design (6 points x 2 replicates): every
    ** point's replicate 0 has the master seed and its replicate 1 one other seed, the same at
    ** every point, so replicates differ and points share their random numbers */
    const char *cdb2 = tdb_tmp("crn.db");
    char *cr[] = {TS, "sweep", SWEEP_SCN, "--crn", "--out", (char *)cdb2, NULL};
    ck_assert_msg(run(cr) == 0, "%s", R.err);
    ck_assert_int_eq(tdb_int(cdb2, "SELECT count(*) FROM runs WHERE seed = 1"), 6);
    ck_assert_int_eq(tdb_int(cdb2, "SELECT count(*) FROM runs WHERE seed = 1 AND run_index % 2"),
                     0);
    ck_assert_int_eq(tdb_int(cdb2, "SELECT count(DISTINCT seed) FROM runs"), 2);
    ck_assert_int_eq(tdb_int(cdb2, "SELECT count(*) FROM runs a JOIN runs b ON a.run_index % 2 = "
                                   "b.run_index % 2 AND a.seed != b.seed"),
                     0);
    tdb_text(cdb2, "SELECT design FROM sweeps", sp, sizeof sp);
    ck_assert_str_eq(sp, "grid");
}
END_TEST

/* A bisection in the file equals the same bisection on the command line. */
START_TEST(test_file_bisect)
{
    static char a[65536], b[65536], text[1 << 16];
    FILE *f = fopen(tdb_src("scenarios/repro-whitepaper-collusion.cfg"), "r");
    ck_assert_ptr_nonnull(f);
    text[fread(text, 1, sizeof text - 1, f)] = '\0';
    fclose(f);
    const char *cfg = tdb_tmp("bisect.cfg"), *d1 = tdb_tmp("bf.db"), *d2 = tdb_tmp("bc.db");
    write_text(
        cfg, text,
        "sweep = {\n  metric = \"cabal_share\";\n  bisect = { key = \"collusion.cabal_share\";"
        " lo = 0.3; hi = 0.7; target = 0.5; max_iter = 3; };\n};\n");
    char *fa[] = {TS, "sweep", (char *)cfg, "--out", (char *)d1, NULL};
    ck_assert_msg(run(fa) == 0, "%s", R.err);
    ck_assert_ptr_nonnull(strstr(R.out, "crossing: collusion.cabal_share = "));
    char *ca[] = {
        TS,         "sweep",       (char *)cfg, "--bisect", "collusion.cabal_share=0.3:0.7",
        "--metric", "cabal_share", "--target",  "0.5",      "--max-iter",
        "3",        "--out",       (char *)d2,  NULL};
    ck_assert_msg(run(ca) == 0, "%s", R.err);
    runs_text(d1, a, sizeof a);
    runs_text(d2, b, sizeof b);
    ck_assert_str_eq(a, b);
    ck_assert_int_eq(tdb_int(d1, "SELECT count(*) FROM runs"), 2 + 3); /* LO, HI, 3 midpoints */
    char p3[128];
    tdb_text(d1, "SELECT params_json FROM runs WHERE run_index = 2", p3, sizeof p3);
    ck_assert_msg(strstr(p3, "0.5") != NULL, "%s", p3); /* the first midpoint of [0.3, 0.7] */
}
END_TEST

/* `tokensim run` ignores the group, and says so once on stderr: params_json and every series
** value equal those of the same file without it. */
START_TEST(test_run_ignores_sweep_group)
{
    int lines;
    char *base = base_text(&lines);
    const char *cfg = tdb_tmp("nogroup.cfg"), *d1 = tdb_tmp("with.db"), *d2 = tdb_tmp("without.db");
    write_text(cfg, base, "");
    char *r1[] = {TS, "run", SWEEP_SCN, "--out", (char *)d1, "-q", "--no-plots", NULL};
    char *r2[] = {TS, "run", (char *)cfg, "--out", (char *)d2, "-q", "--no-plots", NULL};
    ck_assert_msg(run(r1) == 0, "%s", R.err);
    ck_assert_msg(strstr(R.err, "bitgrit-sweep.cfg:") && strstr(R.err, ": the `sweep` group is "
                                                                       "not run by `tokensim run`"),
                  "no note on the ignored group: %s", R.err);
    ck_assert_msg(run(r2) == 0, "%s", R.err);
    ck_assert_ptr_null(strstr(R.err, "`sweep` group"));
    static char p1[65536], p2[65536];
    tdb_text(d1, "SELECT params_json FROM runs", p1, sizeof p1);
    tdb_text(d2, "SELECT params_json FROM runs", p2, sizeof p2);
    ck_assert_str_eq(p1, p2);
    ck_assert_ptr_null(strstr(p1, "\"sweep\"")); /* no `sweep` member (the name has the word) */
    ck_assert_ptr_null(strstr(p1, "grid"));
    const char *sum = "SELECT count(*) || ':' || total(value) FROM series";
    tdb_text(d1, sum, p1, sizeof p1);
    tdb_text(d2, sum, p2, sizeof p2);
    ck_assert_str_eq(p1, p2);
    free(base);
}
END_TEST

/* A bad group: FILE:LINE: message and exit 2, from validate and from sweep (nothing written). */
static void bad_group(const char *group, int line_offset, const char *msg)
{
    static int nth;
    int lines;
    char *base = base_text(&lines);
    char name[64], want[1024];
    snprintf(name, sizeof name, "bad%d.cfg", nth++);
    const char *cfg = tdb_tmp(name), *db = tdb_tmp("bad.db");
    write_text(cfg, base, group);
    snprintf(want, sizeof want, "%s:%d: %s", cfg, lines + 1 + line_offset, msg);
    char *v[] = {TS, "validate", (char *)cfg, NULL};
    ck_assert_int_eq(run(v), 2);
    ck_assert_msg(strstr(R.err, want) != NULL, "want '%s' in:\n%s", want, R.err);
    char *sw[] = {TS, "sweep", (char *)cfg, "--out", (char *)db, NULL};
    ck_assert_int_eq(run(sw), 2);
    ck_assert_msg(strstr(R.err, want) != NULL, "want '%s' in:\n%s", want, R.err);
    ck_assert(!exists(db));
    free(base);
}

START_TEST(test_bad_sweep_group)
{
    bad_group("sweep = { rnus = 3; };\n", 0,
              "unknown key 'sweep.rnus' (did you mean 'sweep.runs'?)");
    bad_group("sweep = {\n  runs = \"3\";\n};\n", 1, "sweep.runs: expected integer, got string");
    bad_group("sweep = 3;\n", 0, "sweep: expected group, got integer");
    bad_group("sweep = { grid = ( { key = \"competitions.kep\"; values = [0.5]; } ); };\n", 0,
              "sweep.grid[0].key: unknown key 'competitions.kep' (did you mean "
              "'competitions.keep'?)");
    bad_group("sweep = { grid = ( { key = \"scientists\"; values = [1]; } ); };\n", 0,
              "sweep.grid[0].key: 'scientists' is not a key a sweep can set");
    bad_group("sweep = {\n  grid = (\n    { key = \"scientists.count\"; values = (100, 0.5); }\n"
              "  );\n};\n",
              2, "sweep.grid[0].values[1]: scientists.count: expected integer, got float");
    bad_group("sweep = { zip = ( { key = \"scientists.count\"; values = [100, 1000000]; } ); };\n",
              0, "scientists.count = 1000000 is out of range [1, 100000]");
    bad_group("sweep = {\n  sample = \"lhs\";\n  samples = 4;\n  range = (\n"
              "    { key = \"competitions.keep\"; lo = 0.9; hi = 0.4; }\n  );\n};\n",
              4, "sweep.range[0]: lo (0.9) must be smaller than hi (0.4)");
    bad_group("sweep = {\n  zip = (\n    { key = \"competitions.keep\"; values = [0.5, 0.6]; },\n"
              "    { key = \"scientists.count\"; values = [1, 2, 3]; }\n  );\n};\n",
              1,
              "sweep.zip: the lists must have one length (2 values in the first list, 3 in "
              "list 1)");
    bad_group(
        "sweep = {\n  runs = 2;\n  grid = ( { key = \"competitions.keep\"; values = [0.5]; } );\n"
        "  zip = ( { key = \"scientists.count\"; values = [100]; } );\n};\n",
        0, "sweep: use one design: grid, zip, sample with range, or bisect");
    bad_group("sweep = { grid = ( { key = \"chain.tao_weight\"; values = [1]; } ); };\n", 0,
              "sweep: chain.tao_weight applies only to model \"bittensor\" (model is \"bitgrit\")");
    bad_group("sweep = { grid = ( { key = \"scientists.count\"; values = [3000000000]; } ); };\n",
              0, "sweep.grid[0].values[0]: integer 3000000000 needs the L suffix");
    /* --set cannot reach the group */
    char *sv[] = {TS, "validate", SWEEP_SCN, "--set", "sweep.runs=3", NULL};
    ck_assert_int_eq(run(sv), 2);
    ck_assert_ptr_nonnull(strstr(R.err, "--set sweep.runs: the sweep group is read from the"));
}
END_TEST

/* ---- --resume under MPI ---- */

/* A finished shard of run idx, as a killed MPI rank leaves it: the one-run database cut out of
** the uninterrupted sweep src, with meta 'sweep_spec' = the sweep's spec and 'sweep_metric'. */
static void make_shard(const char *src, int idx, const char *shard)
{
    char sql[4096], spec[16384], metric[64], buf[8192];
    FILE *in = fopen(src, "rb"), *out = fopen(shard, "wb");
    ck_assert(in != NULL && out != NULL);
    for (size_t n; (n = fread(buf, 1, sizeof buf, in)) > 0;)
        ck_assert_uint_eq(fwrite(buf, 1, n, out), n);
    fclose(in);
    fclose(out);
    tdb_text(src, "SELECT spec FROM sweeps", spec, sizeof spec);
    snprintf(sql, sizeof sql, "SELECT printf('%%.17g', metric) FROM sweep_points WHERE idx = %d",
             idx);
    tdb_text(src, sql, metric, sizeof metric);
    static const char *const tables[] = {"entities", "series",    "ledger",
                                         "epochs",   "retention", "runs"};
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
        snprintf(sql, sizeof sql,
                 "DELETE FROM %s WHERE run_id <> (SELECT run_id FROM runs WHERE run_index = %d)",
                 tables[t], idx);
        exec_sql(shard, sql);
    }
    exec_sql(shard, "DELETE FROM sweep_points; DELETE FROM sensitivity; DELETE FROM sweeps");
    char *q = sqlite3_mprintf("INSERT OR REPLACE INTO meta(key, value) VALUES ('sweep_metric', "
                              "%Q), ('sweep_spec', %Q)",
                              metric, spec);
    exec_sql(shard, q);
    sqlite3_free(q);
}

#ifdef TOKENSIM_MPIEXEC
/* Runs argv under `mpirun -np 2`. */
static int run_mpi(char *const argv[])
{
    setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 1);
    setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 1);
    setenv("ASAN_OPTIONS", "detect_leaks=0", 1); /* see test_jobs_and_mpi_identical */
    char *mpi[40] = {(char *)TOKENSIM_MPIEXEC, "--oversubscribe", "-np", "2"};
    int n = 4;
    for (int k = 0; argv[k] && n < 39; k++)
        mpi[n++] = argv[k];
    mpi[n] = NULL;
    int rc = run(mpi);
    unsetenv("ASAN_OPTIONS");
    return rc;
}
#endif

/* A sweep cut short (runs left 'running' or failed, their points missing, a half-written shard
** and a finished shard of killed ranks on disk) and resumed under `mpirun -np 2 --resume` ends
** with the same runs as an uninterrupted sweep, reruns exactly the runs that were not done and
** have no finished shard, merges the finished shard instead of rerunning it, and keeps the done
** runs (their run ids unchanged). */
START_TEST(test_mpi_resume)
{
#ifdef TOKENSIM_MPIEXEC
    static char a[65536], b[65536], ids[4096], ids2[4096];
    const char *full = tdb_tmp("mfull.db"), *cut = tdb_tmp("mcut.db");
    char *argv[] = {TS,
                    "sweep",
                    SCN,
                    "--zip",
                    "scientists.count=100,150,200,250,300,350",
                    "--runs",
                    "2",
                    "--set",
                    "time.blocks=60",
                    "--metric",
                    "bitgrit.burned",
                    "--out",
                    (char *)full,
                    NULL,
                    NULL};
    ck_assert_msg(run(argv) == 0, "%s", R.err);
    argv[12] = (char *)cut;
    ck_assert_msg(run(argv) == 0, "%s", R.err);
    /* cut: runs 3 and 8 died mid-merge (left running, no point), run 10 failed */
    exec_sql(cut, "UPDATE runs SET status = 'running', digest = NULL WHERE run_index IN (3, 8);"
                  "DELETE FROM sweep_points WHERE idx IN (3, 8);"
                  "UPDATE runs SET status = 'failed' WHERE run_index = 10;"
                  "UPDATE sweep_points SET verdict = 'failed' WHERE idx = 10;"
                  "UPDATE sweeps SET status = 'running'");
    char shard[4200];
    snprintf(shard, sizeof shard, "%s.shard-8", cut);
    FILE *f = fopen(shard, "w"); /* a killed rank's half-written shard */
    ck_assert_ptr_nonnull(f);
    fputs("not a database", f);
    fclose(f);
    char shard3[4200];
    snprintf(shard3, sizeof shard3, "%s.shard-3", cut);
    make_shard(full, 3, shard3); /* run 3 finished on a rank that was killed before the merge */
    tdb_text(cut,
             "SELECT group_concat(run_id || ':' || run_index) FROM (SELECT * FROM runs WHERE"
             " status = 'done' ORDER BY run_index)",
             ids, sizeof ids);
    argv[13] = "--resume";
    int rc = run_mpi(argv);
    ck_assert_msg(rc == 0, "mpirun: %d\n%.2000s\n%.2000s", rc, R.out, R.err);
    ck_assert_msg(strstr(R.out, "resuming sweep 1: 9 of 12 runs already done, 1 more from "
                                "finished shards"),
                  "%s", R.out);
    ck_assert_ptr_nonnull(strstr(R.out, "2 MPI ranks"));
    /* exactly runs 8 and 10 ran again: two point lines on stdout */
    int lines = 0;
    for (const char *p = R.out; (p = strstr(p, "  done  ")) != NULL; p++)
        lines++;
    ck_assert_msg(lines == 2 && strstr(R.out, "     8  done") && strstr(R.out, "    10  done"),
                  "%s", R.out);
    runs_text(full, a, sizeof a);
    runs_text(cut, b, sizeof b);
    ck_assert_str_eq(a, b);
    tdb_text(cut,
             "SELECT group_concat(run_id || ':' || run_index) FROM (SELECT * FROM runs WHERE"
             " run_index NOT IN (3, 8, 10) ORDER BY run_index)",
             ids2, sizeof ids2);
    ck_assert_str_eq(ids, ids2); /* the done runs were kept, not rerun */
    ck_assert_int_eq(tdb_int(cut, "SELECT count(*) FROM runs"), 12);
    ck_assert_int_eq(tdb_int(cut, "SELECT count(*) FROM sweeps WHERE status = 'done'"), 1);
    ck_assert(!exists(shard));
    ck_assert(!exists(shard3));
    ck_assert(tdb_double(cut, "SELECT metric FROM sweep_points WHERE idx = 3") ==
              tdb_double(full, "SELECT metric FROM sweep_points WHERE idx = 3"));
    /* resuming the finished sweep under mpirun runs nothing and changes nothing */
    rc = run_mpi(argv);
    ck_assert_msg(rc == 0, "mpirun: %d\n%.2000s", rc, R.err);
    ck_assert_ptr_nonnull(strstr(R.out, "12 of 12 runs already done"));
    ck_assert_ptr_null(strstr(R.out, "  done  "));
    runs_text(cut, b, sizeof b);
    ck_assert_str_eq(a, b);
#else
    (void)exec_sql;
    (void)make_shard;
    fprintf(stderr, "test_mpi_resume: skipped (built without TOKENSIM_MPI)\n");
#endif
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("sweep_cli");
    TCase *c = tcase_create("cli");
    tcase_set_timeout(c, 600);
    tcase_add_test(c, test_jobs_and_mpi_identical);
    tcase_add_test(c, test_resume_after_sigkill);
    tcase_add_loop_test(c, test_interrupt_then_resume, 0, 2); /* SIGINT, SIGTERM */
    tcase_add_test(c, test_signal_as_the_db_appears);
    tcase_add_test(c, test_signal_stops_the_run_in_process);
    tcase_add_test(c, test_failed_run_recorded);
    tcase_add_test(c, test_worker_killed);
    tcase_add_test(c, test_usage_errors);
    tcase_add_test(c, test_saltelli_indices_stored);
    tcase_add_test(c, test_morris_stored);
    tcase_add_test(c, test_file_design_equals_command_line);
    tcase_add_test(c, test_run_ignores_sweep_group);
    tcase_add_test(c, test_bad_sweep_group);
    tcase_add_test(c, test_file_bisect);
    tcase_add_test(c, test_mpi_resume);
    tcase_add_test(c, test_resume_other_base_starts_new_sweep);
    suite_add_tcase(s, c);
    return s;
}

int main(void)
{
    return tdb_run(suite());
}
