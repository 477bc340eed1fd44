/*
** bench_timer.h: the timed-loop harness shared by the micro-benchmarks. A benchmark function
** runs `iters` calls; bench_timer_run warms it up, times REPS repetitions on the monotonic
** clock and prints the median nanoseconds per call (the machine is shared and noisy). bench_arg
** reads the benchmarks' optional numeric arguments.
*/
#ifndef TOKENSIM_BENCH_TIMER_H
#define TOKENSIM_BENCH_TIMER_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define BENCH_TIMER_REPS 5

typedef void (*bench_fn)(uint64_t iters, void *ctx);

static inline double bench_timer_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static inline int bench_timer_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* argv[i] as a decimal integer in [lo, hi]; `dflt` when it is absent, not a number or out of
 * range (strtoll, unlike atoi, says so: a mistyped argument must not run a 0-repetition bench). */
static inline long long bench_arg(int argc, char **argv, int i, long long lo, long long hi,
                                  long long dflt)
{
    if (i >= argc)
        return dflt;
    char *end = NULL;
    errno = 0;
    long long v = strtoll(argv[i], &end, 10);
    if (errno != 0 || end == argv[i] || *end != '\0' || v < lo || v > hi) {
        fprintf(stderr, "bench: argument %d '%s' is not an integer in [%lld, %lld]; using %lld\n",
                i, argv[i], lo, hi, dflt);
        return dflt;
    }
    return v;
}

static inline void bench_timer_run(const char *name, bench_fn fn, uint64_t iters, void *ctx)
{
    double t[BENCH_TIMER_REPS];
    fn(iters / 10 + 1, ctx); /* warm-up */
    for (int r = 0; r < BENCH_TIMER_REPS; r++) {
        double t0 = bench_timer_now_ns();
        fn(iters, ctx);
        t[r] = (bench_timer_now_ns() - t0) / (double)iters;
    }
    qsort(t, BENCH_TIMER_REPS, sizeof t[0], bench_timer_cmp);
    printf("%-52s %12.1f ns/call (median of %d, %llu calls each)\n", name, t[BENCH_TIMER_REPS / 2],
           BENCH_TIMER_REPS, (unsigned long long)iters);
}

#endif
