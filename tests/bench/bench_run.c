/*
** bench_run.c: wall time and peak memory of whole `tokensim run` invocations.
**
** Usage: bench_run TOKENSIM REPS [extra run arguments...]. Runs the default scenario (or the
** given arguments) REPS times into a temporary DB and prints the median wall time, the
** blocks per second and the peak resident set size (ru_maxrss of the child).
*/
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE

#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench_timer.h"

extern char **environ;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_run TOKENSIM REPS [run arguments...]\n");
        return 2;
    }
    int reps = (int)bench_arg(argc, argv, 2, 1, 99, 3);
    char db[] = "/tmp/tokensim-bench-run-XXXXXX";
    int fd = mkstemp(db);
    if (fd < 0)
        return 1;
    close(fd);
    char *args[64];
    int k = 0;
    args[k++] = argv[1];
    args[k++] = "run";
    args[k++] = "-q";
    args[k++] = "--no-plots";
    args[k++] = "--force";
    args[k++] = "--out";
    args[k++] = db;
    for (int i = 3; i < argc && k < 62; i++)
        args[k++] = argv[i];
    args[k] = NULL;
    double wall[99] = {0};
    long maxrss = 0;
    for (int r = 0; r < reps; r++) {
        pid_t pid;
        double t0 = now();
        posix_spawn_file_actions_t fa; /* the runs' own output is not the benchmark's */
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
        int rc = posix_spawn(&pid, argv[1], &fa, NULL, args, environ);
        posix_spawn_file_actions_destroy(&fa);
        if (rc != 0)
            return 1;
        int st;
        struct rusage ru;
        if (wait4(pid, &st, 0, &ru) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
            fprintf(stderr, "bench_run: tokensim failed\n");
            return 1;
        }
        wall[r] = now() - t0;
        if (ru.ru_maxrss > maxrss)
            maxrss = ru.ru_maxrss;
    }
    qsort(wall, (size_t)reps, sizeof wall[0], cmp_double);
    printf("run (default scenario%s): median wall %.2f s over %d runs (min %.2f, max %.2f), "
           "peak RSS %.1f MiB\n",
           argc > 3 ? " with overrides" : "", wall[reps / 2], reps, wall[0], wall[reps - 1],
           (double)maxrss / 1024.0);
    if (argc == 3)
        printf("run: %.2f M blocks/s (11,000,000 blocks)\n", 11.0 / wall[reps / 2]);
    unlink(db);
    return 0;
}
