/*
 * bench_engine: throughput of the engine's event queue, run loop and RNG streams.
 *
 * Queue: the classic hold model. N events are pending; each operation pops the earliest and
 * pushes one at its tick plus an exponential increment (mean 10^6 ticks) read from a precomputed
 * table, so the generator's cost does not enter the figure. Measured on eq directly (untracked
 * and tracked pushes) and through sim_run with a trivial handler, for N = 10^3, 10^5, 10^6.
 * RNG: 32-bit draws from a persistent stream, and per-event re-keying plus one draw or one
 * Gaussian. Every figure is the median of REPS timed repetitions, as events per second of wall
 * time and of this thread's CPU time (the second is steadier on a shared machine).
 *
 * Usage: bench_engine [ops-per-repetition]   (default 5,000,000)
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <gsl/gsl_randist.h>

#include "eq.h"
#include "rng.h"
#include "sim.h"

#define REPS      5
#define INCR_BITS 16
#define INCR_N    (1u << INCR_BITS)
#define INCR_MEAN 1e6

static uint64_t incr[INCR_N]; /* exponential increments, precomputed once */
static uint64_t sink;         /* checksum that keeps the work observable */

/* A point in time on both clocks. */
typedef struct stamp {
    double wall; /* CLOCK_MONOTONIC, s */
    double cpu;  /* CLOCK_THREAD_CPUTIME_ID, s */
} stamp;

/* Rates of one repetition. */
typedef struct rate {
    double wall; /* per second of wall time */
    double cpu;  /* per second of CPU time */
} rate;

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static stamp now(void)
{
    return (stamp){clock_s(CLOCK_MONOTONIC), clock_s(CLOCK_THREAD_CPUTIME_ID)};
}

static rate rate_since(stamp t0, double count)
{
    stamp t1 = now();
    return (rate){count / (t1.wall - t0.wall), count / (t1.cpu - t0.cpu)};
}

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static void fill_increments(void)
{
    uint64_t s = 12345;
    for (unsigned i = 0; i < INCR_N; i++) {
        double u = ((double)(splitmix(&s) >> 11) + 0.5) / 9007199254740992.0;
        incr[i] = (uint64_t)(-log(u) * INCR_MEAN);
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of each clock's rates over n repetitions. */
static rate median(const rate *v, int n)
{
    double w[REPS] = {0}, c[REPS] = {0}; /* n == REPS */
    for (int i = 0; i < n; i++)
        w[i] = v[i].wall, c[i] = v[i].cpu;
    qsort(w, (size_t)n, sizeof *w, cmp_double);
    qsort(c, (size_t)n, sizeof *c, cmp_double);
    return (rate){w[n / 2], c[n / 2]};
}

static void report(const char *what, const rate *v, const char *unit)
{
    rate m = median(v, REPS);
    printf("%-46s %7.2f M %s/s wall  %7.2f M %s/s cpu\n", what, m.wall / 1e6, unit, m.cpu / 1e6,
           unit);
    fflush(stdout);
}

/* One repetition of hold on eq. */
static rate hold_eq(size_t pending, uint64_t ops, int tracked)
{
    eq *q = eq_new(pending);
    eq_id id = 0, *idp = tracked ? &id : NULL;
    uint32_t k = 0;
    for (size_t i = 0; i < pending; i++)
        eq_push(q, incr[k++ & (INCR_N - 1)], 0, 0, i, 0, idp);
    eq_event ev;
    for (size_t i = 0; i < pending; i++) { /* warm-up: reach the steady-state distribution */
        eq_pop(q, &ev);
        eq_push(q, ev.tick + incr[k++ & (INCR_N - 1)], 0, 0, ev.target, 0, idp);
    }
    stamp t0 = now();
    for (uint64_t i = 0; i < ops; i++) {
        eq_pop(q, &ev);
        eq_push(q, ev.tick + incr[k++ & (INCR_N - 1)], 0, 0, ev.target, 0, idp);
    }
    rate r = rate_since(t0, (double)ops);
    sink += ev.tick;
    eq_free(q);
    return r;
}

typedef struct hold_ctx {
    uint32_t k;    /* next increment */
    uint64_t left; /* events to go before stopping */
} hold_ctx;

static int hold_handler(sim *s, const eq_event *ev, void *ctx)
{
    hold_ctx *h = ctx;
    if (--h->left == 0)
        sim_request_stop(s);
    return sim_after(s, incr[h->k++ & (INCR_N - 1)], 0, 0, ev->target, 0, NULL);
}

/* One repetition of hold through sim_run. */
static rate hold_sim(size_t pending, uint64_t ops)
{
    sim *s = sim_new();
    hold_ctx h = {0, pending};
    sim_on(s, 0, hold_handler, &h);
    for (size_t i = 0; i < pending; i++)
        sim_at(s, incr[h.k++ & (INCR_N - 1)], 0, 0, i, 0, NULL);
    sim_run(s); /* warm-up */
    h.left = ops;
    stamp t0 = now();
    int rc = sim_run(s);
    rate r = rate_since(t0, (double)ops);
    if (rc != SIM_DONE || sim_events(s) != pending + ops)
        fprintf(stderr, "bench_engine: unexpected sim_run result %d\n", rc);
    sink += sim_now(s);
    sim_free(s);
    return r;
}

static void bench_queue(uint64_t ops)
{
    static const size_t sizes[] = {1000, 100000, 1000000};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        rate a[REPS], b[REPS], c[REPS];
        char what[64];
        for (int r = 0; r < REPS; r++) {
            a[r] = hold_eq(sizes[i], ops, 0);
            b[r] = hold_eq(sizes[i], ops, 1);
            c[r] = hold_sim(sizes[i], ops);
        }
        snprintf(what, sizeof what, "hold pending=%zu eq_pop/eq_push untracked", sizes[i]);
        report(what, a, "events");
        snprintf(what, sizeof what, "hold pending=%zu eq_pop/eq_push with ids", sizes[i]);
        report(what, b, "events");
        snprintf(what, sizeof what, "hold pending=%zu sim_run", sizes[i]);
        report(what, c, "events");
    }
}

static void bench_rng(uint64_t draws)
{
    rng_key k = {2024, 0, RNG_PURPOSE_DECISION, 5};
    rate a[REPS], b[REPS], c[REPS];
    for (int r = 0; r < REPS; r++) {
        gsl_rng *g = rng_stream_new(&k);
        uint64_t acc = 0;
        stamp t0 = now();
        for (uint64_t i = 0; i < draws; i++)
            acc += gsl_rng_get(g);
        a[r] = rate_since(t0, (double)draws);
        gsl_rng_free(g);

        gsl_rng *e = rng_event_new();
        t0 = now();
        for (uint64_t i = 0; i < draws; i++) {
            rng_event_reset(e, &k, i);
            acc += gsl_rng_get(e);
        }
        b[r] = rate_since(t0, (double)draws);
        double g_acc = 0;
        uint64_t gdraws = draws / 4; /* the Gaussian draws cost more: a quarter as many */
        t0 = now();
        for (uint64_t i = 0; i < gdraws; i++) {
            rng_event_reset(e, &k, i);
            g_acc += gsl_ran_gaussian_ziggurat(e, 1.0);
        }
        c[r] = rate_since(t0, (double)gdraws);
        gsl_rng_free(e);
        sink += acc + (uint64_t)(g_acc != 0.0);
    }
    report("rng persistent stream: gsl_rng_get", a, "draws");
    report("rng per-event: reset + gsl_rng_get", b, "events");
    report("rng per-event: reset + gaussian_ziggurat", c, "events");
}

int main(int argc, char **argv)
{
    uint64_t ops = argc > 1 ? strtoull(argv[1], NULL, 10) : UINT64_C(5000000);
    if (ops == 0) {
        fprintf(stderr, "usage: bench_engine [ops-per-repetition > 0]\n");
        return 2;
    }
    fill_increments();
    printf("bench_engine: median of %d repetitions, %" PRIu64 " operations each\n", REPS, ops);
    bench_queue(ops);
    bench_rng(ops * 4);
    printf("checksum %" PRIu64 "\n", sink);
    return 0;
}
