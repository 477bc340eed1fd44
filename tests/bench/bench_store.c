/*
** bench_store.c: write throughput of the metrics store (store_series_i64 / store_series_f64).
**
** Usage: bench_store [ROWS] [REPS] [DIR] [KIND]. For each kind (or only KIND: 0 series i64,
** 1 series f64, 2 epoch rows of one subnet, 3 epoch rows of 8 interleaved subnets), REPS times:
** create a fresh database in DIR (default /tmp), begin a run, write ROWS rows (series: 1000
** entities x ROWS/1000 ticks, 4 metric names; epochs: 256 uids per epoch as the bittensor model
** writes them), store_flush, and time that part (the load). store_run_end (digest:
** sorts the run's rows) and store_close (index build, checkpoint) are timed separately.
** Prints the median of each figure as plain lines: wall time (CLOCK_MONOTONIC) and, because the
** machine is shared, the process CPU time of the load too. Nothing here feeds a result.
*/
#define _POSIX_C_SOURCE 200809L

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_timer.h"
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
    double load;               /* writes + flush */
    double cpu;                /* process CPU time of the load (robust on a busy machine) */
    double end;                /* store_run_end (digest) */
    double close;              /* store_close (indexes, checkpoint) */
    double cpu_end, cpu_close; /* process CPU time of the digest and of the close */
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

/* Epoch rows as the bittensor model writes them: `nets` subnets of 256 uids, one epoch of each
** subnet per 360 blocks (staggered by netuid), uid rows in order; the nets interleave by block. */
static int write_epochs(store *st, int64_t run, long rows, int nets)
{
    long done = 0;
    for (int64_t e = 0; done < rows; e++) {
        for (int n = 1; n <= nets && done < rows; n++) {
            for (int64_t u = 0; u < 256 && done < rows; u++, done++) {
                store_epoch_row r = {n,
                                     360 * e + n,
                                     u,
                                     (uint64_t)(done * 7919 % 1000003),
                                     1,
                                     2,
                                     3,
                                     4,
                                     (int)(u < 64),
                                     (uint64_t)(u * 1000 + e)};
                int rc = store_epoch(st, run, &r);
                if (rc != STORE_OK)
                    return rc;
            }
        }
    }
    return store_flush(st);
}

/* kind: 0 series i64, 1 series f64, 2 epochs of 1 net, 3 epochs of 8 nets */
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
        rc = real >= 2 ? write_epochs(st, run, rows, real == 2 ? 1 : 8)
                       : write_rows(st, run, rows, real);
    clock_t c1 = clock();
    double t1 = now_s();
    char dig[65];
    if (rc == STORE_OK)
        rc = store_run_end(st, run, STORE_RUN_DONE, NULL, t1 - t0, dig);
    double t2 = now_s();
    clock_t c2 = clock();
    if (rc != STORE_OK)
        fprintf(stderr, "bench_store: %s\n", store_errmsg(st));
    store_close(st);
    double t3 = now_s();
    clock_t c3 = clock();
    tm->cpu_end = (double)(c2 - c1) / CLOCKS_PER_SEC;
    tm->cpu_close = (double)(c3 - c2) / CLOCKS_PER_SEC;
    tm->load = t1 - t0;
    tm->cpu = (double)(c1 - c0) / CLOCKS_PER_SEC;
    tm->end = t2 - t1;
    tm->close = t3 - t2;
    return rc != STORE_OK;
}

int main(int argc, char **argv)
{
    long rows = (long)bench_arg(argc, argv, 1, 1, LONG_MAX, 2000000);
    int reps = (int)bench_arg(argc, argv, 2, 1, 99, 3);
    const char *dir = argc > 3 ? argv[3] : "/tmp";
    if (rows <= 0 || reps <= 0 || reps > 99) {
        fprintf(stderr, "usage: bench_store [ROWS] [REPS 1..99] [DIR]\n");
        return 2;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/bench_store_%ld.db", dir, (long)getpid());
    static const char *const kind[4] = {"series_i64", "series_f64", "epochs_1net", "epochs_8nets"};
    int first = (int)bench_arg(argc, argv, 4, 0, 3, 0), last = argc > 4 ? first : 3;
    for (int real = first; real <= last && real <= 3; real++) {
        double load[99], cpu[99], end[99], cls[99], cend[99], ccls[99];
        for (int r = 0; r < reps; r++) {
            timing tm;
            if (one_rep(path, rows, real, &tm) != 0)
                return 1;
            load[r] = tm.load;
            cpu[r] = tm.cpu;
            end[r] = tm.end;
            cls[r] = tm.close;
            cend[r] = tm.cpu_end;
            ccls[r] = tm.cpu_close;
        }
        double l = median(load, reps), c = median(cpu, reps);
        printf("bench_store %s: %ld rows, median of %d: load %.3f s = %.0f rows/s"
               " (cpu %.3f s = %.0f rows/s); run_end (digest) %.3f s;"
               " close (indexes+checkpoint) %.3f s; cpu: digest %.3f s, close %.3f s\n",
               kind[real], rows, reps, l, (double)rows / l, c, (double)rows / c, median(end, reps),
               median(cls, reps), median(cend, reps), median(ccls, reps));
    }
    unlink(path);
    return 0;
}
