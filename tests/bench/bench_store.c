/*
** bench_store.c: write throughput of the metrics store (store_series_i64 / store_series_f64).
**
** Usage: bench_store [ROWS] [REPS] [DIR]. For each sample kind, REPS times: create a fresh
** database in DIR (default /tmp), begin a run, write ROWS samples (1000 entities x ROWS/1000
** ticks, 4 metric names), store_flush, and time that part (the load). store_run_end (digest:
** sorts the run's rows) and store_close (index build, checkpoint) are timed separately.
** Prints the median of each figure as plain lines: wall time (CLOCK_MONOTONIC) and, because the
** machine is shared, the process CPU time of the load too. Nothing here feeds a result.
*/
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* Timings of one repetition, in seconds. */
typedef struct timing {
    double load;  /* writes + flush */
    double cpu;   /* process CPU time of the load (robust on a busy machine) */
    double end;   /* store_run_end (digest) */
    double close; /* store_close (indexes, checkpoint) */
} timing;

static const char *const metrics[4] = {"stake", "emission", "apy", "trust"};

static int write_rows(store *st, int64_t run, long rows, int real)
{
    for (long i = 0; i < rows; i++) {
        int64_t t = i / 1000, e = i % 1000;
        const char *m = metrics[t % 4];
        int rc = real ? store_series_f64(st, run, t, t, m, e, (double)i * 0.37)
                      : store_series_i64(st, run, t, t, m, e, i * 1000003);
        if (rc != STORE_OK)
            return rc;
    }
    return store_flush(st);
}

static int one_rep(const char *path, long rows, int real, timing *tm)
{
    store *st = NULL;
    char err[512];
    if (store_open(path, STORE_FORCE, &st, err, sizeof err) != STORE_OK) {
        fprintf(stderr, "bench_store: %s\n", err);
        return 1;
    }
    store_run_info ri = {"bench", "bench", 1, 0, NULL};
    int64_t run = 0;
    int rc = store_run_begin(st, &ri, &run);
    double t0 = now_s();
    clock_t c0 = clock();
    if (rc == STORE_OK)
        rc = write_rows(st, run, rows, real);
    clock_t c1 = clock();
    double t1 = now_s();
    char dig[65];
    if (rc == STORE_OK)
        rc = store_run_end(st, run, STORE_RUN_DONE, NULL, t1 - t0, dig);
    double t2 = now_s();
    if (rc != STORE_OK)
        fprintf(stderr, "bench_store: %s\n", store_errmsg(st));
    store_close(st);
    double t3 = now_s();
    tm->load = t1 - t0;
    tm->cpu = (double)(c1 - c0) / CLOCKS_PER_SEC;
    tm->end = t2 - t1;
    tm->close = t3 - t2;
    return rc != STORE_OK;
}

int main(int argc, char **argv)
{
    long rows = argc > 1 ? atol(argv[1]) : 2000000;
    int reps = argc > 2 ? atoi(argv[2]) : 3;
    const char *dir = argc > 3 ? argv[3] : "/tmp";
    if (rows <= 0 || reps <= 0 || reps > 99) {
        fprintf(stderr, "usage: bench_store [ROWS] [REPS 1..99] [DIR]\n");
        return 2;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/bench_store_%ld.db", dir, (long)getpid());
    for (int real = 0; real <= 1; real++) {
        double load[99], cpu[99], end[99], cls[99];
        for (int r = 0; r < reps; r++) {
            timing tm;
            if (one_rep(path, rows, real, &tm) != 0)
                return 1;
            load[r] = tm.load;
            cpu[r] = tm.cpu;
            end[r] = tm.end;
            cls[r] = tm.close;
        }
        double l = median(load, reps), c = median(cpu, reps);
        printf("bench_store series_%s: %ld rows, median of %d: load %.3f s = %.0f rows/s"
               " (cpu %.3f s = %.0f rows/s); run_end (digest) %.3f s;"
               " close (indexes+checkpoint) %.3f s\n",
               real ? "f64" : "i64", rows, reps, l, (double)rows / l, c, (double)rows / c,
               median(end, reps), median(cls, reps));
    }
    unlink(path);
    return 0;
}
