/*
** bench_sweep.c: `tokensim sweep` at scale (issue 9): N Monte Carlo runs of a one-year bitgrit
** scenario with --jobs 1 and --jobs 2 (wall time, median of REPS), and the peak resident memory
** of the sweep's parent process and of its largest worker for N/10 and N runs (flat in N is
** the claim).
**
** usage: bench_sweep TOKENSIM SCENARIO [N [REPS]]   (defaults 1000, 3)
** Each measurement runs in a fresh helper process so that RUSAGE_CHILDREN covers exactly one
** sweep: wait4 gives the tokensim parent's own peak RSS, RUSAGE_CHILDREN the largest process of
** its tree (a worker, or the parent if larger). CPU seconds (user + system of the whole tree)
** are printed too: on a shared machine they are steadier than wall time.
*/
#define _DEFAULT_SOURCE /* wait4: the parent's own rusage */
#define _POSIX_C_SOURCE 200809L

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench_timer.h"

typedef struct sample {
    double wall;    /* seconds */
    double cpu;     /* user + system seconds of the whole process tree */
    long parent_kb; /* peak RSS of the tokensim parent */
    long tree_kb;   /* peak RSS of the largest process of the tree */
    int status;     /* exit status of tokensim */
} sample;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double tv(struct timeval t)
{
    return (double)t.tv_sec + (double)t.tv_usec / 1e6;
}

/* In a helper process: run one sweep, report a sample through fd. */
static void helper(char *const argv[], int fd)
{
    sample s;
    memset(&s, 0, sizeof s);
    double t0 = now();
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stdout))
            _exit(127);
        execv(argv[0], argv);
        _exit(127);
    }
    int st = 0;
    struct rusage ru, all;
    wait4(pid, &st, 0, &ru);
    s.wall = now() - t0;
    getrusage(RUSAGE_CHILDREN, &all);
    s.cpu = tv(all.ru_utime) + tv(all.ru_stime);
    s.parent_kb = ru.ru_maxrss;
    s.tree_kb = all.ru_maxrss;
    s.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    if (write(fd, &s, sizeof s) != (ssize_t)sizeof s)
        _exit(1);
    _exit(0);
}

static int measure(const char *ts, const char *scn, long n, int jobs, sample *out)
{
    char runs[32], jb[32], db[64];
    snprintf(runs, sizeof runs, "%ld", n);
    snprintf(jb, sizeof jb, "%d", jobs);
    snprintf(db, sizeof db, "/tmp/bench_sweep_%ld.db", (long)getpid());
    char *argv[] = {(char *)ts, "sweep", (char *)scn, "--runs",  runs, "--jobs",
                    jb,         "--out", db,          "--force", NULL};
    int p[2];
    if (pipe(p) != 0)
        return -1;
    fflush(stdout); /* else the child's freopen would write our buffered lines a second time */
    pid_t h = fork();
    if (h == 0) {
        close(p[0]);
        helper(argv, p[1]);
    }
    close(p[1]);
    ssize_t got = read(p[0], out, sizeof *out);
    close(p[0]);
    waitpid(h, NULL, 0);
    unlink(db);
    return got == (ssize_t)sizeof *out && out->status == 0 ? 0 : -1;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_sweep TOKENSIM SCENARIO [N [REPS]]\n");
        return 2;
    }
    long n = (long)bench_arg(argc, argv, 3, 10, LONG_MAX, 1000);
    int reps = (int)bench_arg(argc, argv, 4, 1, 50, 3);
    if (n < 10 || reps < 1 || reps > 50)
        return 2;
    double wall[2][50], cpu[2][50], med[2];
    for (int r = 0; r < reps; r++)
        for (int j = 0; j < 2; j++) { /* interleaved, so load changes hit both alike */
            sample s;
            if (measure(argv[1], argv[2], n, j + 1, &s) != 0) {
                fprintf(stderr, "bench_sweep: sweep failed\n");
                return 1;
            }
            wall[j][r] = s.wall;
            cpu[j][r] = s.cpu;
        }
    for (int j = 0; j < 2; j++) {
        med[j] = median(wall[j], reps);
        printf("sweep %ld runs --jobs %d: wall %.2f s (median of %d), cpu %.2f s, %.1f runs/s\n", n,
               j + 1, med[j], reps, median(cpu[j], reps), (double)n / med[j]);
    }
    printf("speed-up --jobs 2 vs --jobs 1: %.2fx\n", med[0] / med[1]);
    long sizes[2] = {n / 10, n};
    for (int k = 0; k < 2; k++) {
        double pk[50], tk[50];
        for (int r = 0; r < reps; r++) {
            sample s;
            if (measure(argv[1], argv[2], sizes[k], 2, &s) != 0)
                return 1;
            pk[r] = (double)s.parent_kb;
            tk[r] = (double)s.tree_kb;
        }
        printf("peak RSS, %ld runs, --jobs 2: parent %.0f KiB, largest process %.0f KiB"
               " (medians)\n",
               sizes[k], median(pk, reps), median(tk, reps));
    }
    return 0;
}
