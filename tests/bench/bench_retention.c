/*
** bench_retention.c: speed of the §6.3 retention study (model "retention", study_retention.h)
** at the study's size, N = 512 neurons and 64 validators: one epoch (sr_eval), and one whole
** setting's table (11 S_H x 51 W_C cells, bisection on W_H), median of several repetitions.
** Also prints the CPU seconds per setting, the figure that scales to the full study (9
** settings for the one-at-a-time design, 81 for the full product; settings that differ only
** in xi cost nothing extra thanks to the memo).
** usage: bench_retention [reps]
*/
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench_timer.h"
#include "study_retention.h"

typedef struct bctx {
    sr_study *s;    /* the study */
    sr_setting set; /* base setting */
    uint64_t evals; /* epochs of the last table */
} bctx;

static void one_epoch(uint64_t iters, void *ctx)
{
    bctx *b = ctx;
    char err[128];
    for (uint64_t i = 0; i < iters; i++) {
        sr_point p;
        if (sr_eval(b->s, &b->set, 0.7, (double)(i % 51) / 50.0, 0.5, &p, err, sizeof err) != 0)
            exit(1);
    }
}

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void one_table(bctx *b)
{
    static const double shares[] = {0.51, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.99};
    char err[128];
    b->evals = 0;
    for (uint32_t h = 0; h < 11; h++)
        for (uint32_t c = 0; c <= 50; c++) {
            sr_grid g = {shares[h], h, c, 50};
            sr_need nd;
            if (sr_needed(b->s, &b->set, &g, 1, &nd, err, sizeof err) != 0)
                exit(1);
            b->evals += nd.evals;
        }
}

int main(int argc, char **argv)
{
    int reps = (int)bench_arg(argc, argv, 1, 1, 50, 3);
    sr_config c = {512, 64, 0.3, 1, 0};
    bctx b = {NULL, {0.5, 1.0, 0.5, 0.0}, 0};
    char err[128];
    if (sr_new(&c, &b.s, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    bench_timer_run("retention epoch, N=512, V=64 (28672 weight pairs)", one_epoch, 200, &b);
    double wall[50] = {0}, cpu[50] = {0};
    for (int r = 0; r < reps; r++) {
        double t0 = bench_timer_now_ns(), c0 = cpu_seconds();
        one_table(&b);
        wall[r] = (bench_timer_now_ns() - t0) / 1e9, cpu[r] = cpu_seconds() - c0;
    }
    qsort(wall, (size_t)reps, sizeof wall[0], bench_timer_cmp);
    qsort(cpu, (size_t)reps, sizeof cpu[0], bench_timer_cmp);
    printf("retention table, one setting (561 cells, bisection)   %8.2f s wall, %8.2f s CPU "
           "(median of %d), %llu epochs\n",
           wall[reps / 2], cpu[reps / 2], reps, (unsigned long long)b.evals);
    sr_free(b.s);
    return 0;
}
