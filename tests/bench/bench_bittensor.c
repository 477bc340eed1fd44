/*
** bench_bittensor.c: wall time and peak memory of the bittensor model over one halving era.
**
** Usage: bench_bittensor [CASE [BLOCKS [REPS]]], CASE "era1" (one subnet of 256 uids, epoch
** rows every epoch), "era8" (8 subnets of 256 uids, epoch rows every 10th epoch), "all"
** (default), or "era1-model" / "era8-model" for the model-alone line only; BLOCKS defaults to one
** halving era, 10,500,000 blocks; REPS to 3. Every repetition runs in a child process the way
** `tokensim run` does (model, engine, SQLite store with its digest and final indexes, into a
** temporary file) and the median wall time, the blocks per second, the median CPU time (user +
** system: the steadier figure on a busy shared machine) and the peak resident set size
** (ru_maxrss of the children) are printed. A second line per case gives the model alone (a
** recorder that discards everything) for comparison.
** The store runs as in `tokensim run`: on a writer thread (recorder_async.h) that replays the
** model's calls while the model computes, so the CPU figure adds both threads' time. The cases
** "era1-sync" / "era8-sync" time the store on the model's own thread instead (one line, no
** model-alone line); each line says which ran.
** "era1-digest" / "era8-digest" run the case once in this process with the store and print the
** run's digest instead of timing it: two builds that must give bit-identical results (a speed-up
** of the model, say) are compared on these lines, e.g. over BLOCKS = 300000. "era1-digest-sync" /
** "era8-digest-sync" do the same with the store on the model's thread: the digest must not
** depend on it. A line before the digest names the recorder.
**
** Every run also prints its model thread's CPU time against the model phase's wall time and its
** involuntary context switches (getrusage RUSAGE_THREAD): the wall time the thread spent waiting
** for a processor, which the store's writer and the draws helper could take from it.
**
** Any case name may end in "-serial": the model then runs without its helper thread (bt_config
** .helper, BT_HELPER_OFF: validators' Gaussian draws made on the model's thread, bt_ahead.h);
** otherwise it has one when the machine has two processors. The results are the same.
**
** The network of each case: tempo 360, commit-reveal on, 32 validators (30 honest, 1 lazy,
** 1 noisy), 300 miner candidates and 50 delegators per subnet, 20 root stakers, samples every
** 7200 blocks; every other parameter at its scenario default (spec bittensor §3.12).
*/
#define _GNU_SOURCE /* RUSAGE_THREAD */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench_timer.h"
#include "bt_model.h"
#include "btworld.h"
#include "recorder_async.h"
#include "sim.h"
#include "store.h"

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

/* ---- recorders --------------------------------------------------------------------------------
 */

typedef struct srec {
    store *st;
    int64_t run;
} srec;

static int s_entity(void *c, int64_t id, const char *k, const char *r, const char *n, int64_t g)
{
    srec *s = c;
    return store_entity(s->st, s->run, id, k, r, n, g);
}
static int s_i64(void *c, int64_t t, int64_t b, const char *m, int64_t e, int64_t v)
{
    srec *s = c;
    return store_series_i64(s->st, s->run, t, b, m, e, v);
}
static int s_f64(void *c, int64_t t, int64_t b, const char *m, int64_t e, double v)
{
    srec *s = c;
    return store_series_f64(s->st, s->run, t, b, m, e, v);
}
static int s_ledger(void *c, int64_t q, int64_t t, const char *k, int64_t a, int64_t b, uint64_t x,
                    const char *r)
{
    srec *s = c;
    return store_ledger(s->st, s->run, q, t, k, a, b, x, r);
}
static int s_epoch(void *c, const recorder_epoch_row *r)
{
    srec *s = c;
    store_epoch_row row = {r->net,       r->block,     r->uid,       r->stake,
                           r->consensus, r->incentive, r->dividends, r->validator_trust,
                           r->permit,    r->emission};
    return store_epoch(s->st, s->run, &row);
}
static const recorder_vt store_vt = {s_entity, s_i64, s_f64, s_ledger, s_epoch};

/* ---- the network ---------------------------------------------------------------------------- */

#define TAO BTW_TAO

/* The scenario defaults (btworld.h) with the benchmark's market and agents. */
static void subnet_defaults(bt_subnet_config *s)
{
    btw_subnet(s);
    s->moving_price = 0.5, s->miners = 300, s->delegators = 50;
}

/* bt_config.helper of every run (a "-serial" case: BT_HELPER_OFF). */
static uint32_t helper_mode = BT_HELPER_AUTO;

static void config(bt_config *c, bt_subnet_config *subs, uint32_t nsub, uint64_t blocks,
                   uint64_t epochs_every)
{
    for (uint32_t i = 0; i < nsub; i++)
        subnet_defaults(&subs[i]);
    btw_chain(c, subs, nsub, blocks);
    c->validators.honest = 30, c->validators.lazy = 1, c->validators.noisy = 1;
    c->validators.noise = 0.05, c->validators.noisy_noise = 0.5;
    c->validators.stake = 10000 * TAO, c->validators.stake_spread = 1.0;
    c->validators.take_min = 5898, c->validators.take_max = 11796, c->validators.tao = 10 * TAO;
    c->miners.quality = BT_QUALITY_BETA, c->miners.quality_a = 2, c->miners.quality_b = 5;
    c->miners.cost = TAO / 10, c->miners.tao = 2 * TAO, c->miners.horizon_days = 30;
    c->miners.check_every = 720, c->miners.sell_fraction = 0.5, c->miners.patience_days = 7;
    c->miners.genesis_registered = 1;
    c->delegators.stake = 100 * TAO, c->delegators.stake_spread = 1.0;
    c->delegators.decide_every = 7200, c->delegators.move_delay = 360;
    c->delegators.switch_threshold = 0.1, c->delegators.noise = 0.1;
    c->root.stakers = 20, c->root.stake = 1000 * TAO, c->root.stake_spread = 1.0;
    c->record_every = 7200, c->epochs_every = epochs_every;
    c->helper = helper_mode;
}

/* How a run records: nothing, the store on the model's thread, the store on a writer thread. */
enum { REC_NONE, REC_SYNC, REC_ASYNC };

static const char *rec_label(int mode)
{
    return mode == REC_NONE   ? "(model alone)"
           : mode == REC_SYNC ? "(model + SQLite store, same thread)"
                              : "(model + SQLite store, writer thread)";
}

/* The calling thread's CPU time (user + system) and involuntary context switches so far. */
static void thread_usage(double *cpu, long *preempted)
{
    struct rusage ru;
    getrusage(RUSAGE_THREAD, &ru);
    *cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    *preempted = ru.ru_nivcsw;
}

/* One run in this process (mode: REC_*; digest: print the run's digest); returns 0 on success. */
static int run_once(uint32_t nsub, uint64_t blocks, uint64_t epochs_every, int mode, int digest)
{
    bt_subnet_config subs[8];
    bt_config cfg;
    config(&cfg, subs, nsub, blocks, epochs_every);
    char db[] = "/tmp/tokensim-bench-bt-XXXXXX", err[512];
    store *st = NULL;
    srec sr = {NULL, 0};
    recorder rec = btw_null_recorder(), srec_rec = {&store_vt, &sr};
    recorder_async *ra = NULL;
    if (mode != REC_NONE) {
        int fd = mkstemp(db);
        if (fd < 0)
            return 1;
        close(fd);
        if (store_open(db, STORE_FORCE, &st, err, sizeof err) != 0)
            return 1;
        store_run_info info = {"bench", "bench", 1, 0, NULL};
        sr.st = st;
        if (store_run_begin(st, &info, &sr.run) != 0)
            return 1;
        rec = srec_rec;
        if (mode == REC_ASYNC) {
            if (recorder_async_new(&srec_rec, &ra) != 0)
                return 1;
            rec = recorder_async_bind(ra);
        }
    }
    double c0, c1, t0 = now(), t1, t2, t3;
    long p0, p1;
    thread_usage(&c0, &p0);
    sim *s = sim_new();
    bt_model *m = NULL;
    int rc = bt_model_new(&cfg, s, &rec, &m, err, sizeof err);
    if (rc == 0)
        rc = sim_run(s) == SIM_DONE ? bt_model_finish(m, err, sizeof err) : 1;
    if (rc != 0)
        fprintf(stderr, "bench_bittensor: %s\n", err);
    bt_model_free(m);
    sim_free(s);
    t1 = now();
    thread_usage(&c1, &p1);
    /* Wall time the model's thread did not run (waiting for a processor, or the machine's own
    ** pauses): the part of the model phase that its own work does not explain. */
    printf("  model thread: CPU %.2f s of %.2f s, %ld involuntary switches\n", c1 - c0, t1 - t0,
           p1 - p0);
    fflush(stdout); /* a benchmark child leaves with _exit */
    if (ra) {       /* the writer stores what is queued and is joined: the store is ours again */
        int closed = recorder_async_close(ra);
        if (closed != 0)
            fprintf(stderr, "bench_bittensor: recording failed (%d)\n", closed);
        rc |= closed;
        recorder_async_free(ra);
    }
    if (st) {
        char hex[65];
        t2 = now();
        rc |= store_run_end_last(st, sr.run, rc ? STORE_RUN_FAILED : STORE_RUN_DONE, NULL, 0, hex);
        if (digest && rc == 0)
            printf("recorder %s\ndigest %u subnet(s), %llu blocks: %s\n", rec_label(mode), nsub,
                   (unsigned long long)blocks, hex);
        t3 = now();
        rc |= store_finish(st);
        store_close(st);
        unlink(db);
        printf("  phases: model %.2f s, writer drain %.2f s, digest beside the index build %.2f s,"
               " finish %.2f s\n",
               t1 - t0, t2 - t1, t3 - t2, now() - t3);
        fflush(stdout); /* a benchmark child leaves with _exit */
    }
    return rc;
}

static void bench_case(const char *name, uint32_t nsub, uint64_t blocks, uint64_t every, int reps,
                       int mode)
{
    double wall[16] = {0}, cpu[16] = {0}; /* reps <= 15 (main) */
    long maxrss = 0;
    for (int r = 0; r < reps; r++) {
        double t0 = now();
        pid_t pid = fork();
        if (pid == 0)
            _exit(run_once(nsub, blocks, every, mode, 0) ? 1 : 0);
        int status;
        struct rusage ru;
        if (pid < 0 || wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) ||
            WEXITSTATUS(status) != 0) {
            fprintf(stderr, "bench_bittensor: %s failed\n", name);
            exit(1);
        }
        wall[r] = now() - t0;
        /* CPU time of the child: robust when the shared machine is busy */
        cpu[r] = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                 (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
        if (ru.ru_maxrss > maxrss)
            maxrss = ru.ru_maxrss;
    }
    qsort(wall, (size_t)reps, sizeof wall[0], cmp_double);
    qsort(cpu, (size_t)reps, sizeof cpu[0], cmp_double);
    printf("%s%s %s: %u subnet(s) x 256 uids, %llu blocks, epoch rows every %llu epoch(s): median "
           "wall %.2f s over %d runs (min %.2f, max %.2f), %.0f blocks/s, median CPU %.2f s, "
           "peak RSS %.1f MiB\n",
           name, helper_mode == BT_HELPER_OFF ? "-serial" : "", rec_label(mode), nsub,
           (unsigned long long)blocks, (unsigned long long)every, wall[reps / 2], reps, wall[0],
           wall[reps - 1], (double)blocks / wall[reps / 2], cpu[reps / 2], (double)maxrss / 1024.0);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    char name[64];
    snprintf(name, sizeof name, "%s", argc > 1 ? argv[1] : "all");
    size_t len = strlen(name);
    if (len > 7 && !strcmp(name + len - 7, "-serial")) {
        name[len - 7] = '\0';
        helper_mode = BT_HELPER_OFF;
    }
    const char *which = name;
    uint64_t blocks = argc > 2 ? strtoull(argv[2], NULL, 10) : 10500000ull;
    int reps = (int)bench_arg(argc, argv, 3, 1, 15, 3);
    if (blocks == 0)
        blocks = 10500000ull;
    int all = !strcmp(which, "all");
    int era8 = !strncmp(which, "era8", 4);
    uint32_t nsub = era8 ? 8 : 1;
    uint64_t every = era8 ? 10 : 1;
    if (!strcmp(which, "era1-digest") || !strcmp(which, "era8-digest"))
        return run_once(nsub, blocks, every, REC_ASYNC, 1);
    if (!strcmp(which, "era1-digest-sync") || !strcmp(which, "era8-digest-sync"))
        return run_once(nsub, blocks, every, REC_SYNC, 1);
    if (!strcmp(which, "era1-sync") || !strcmp(which, "era8-sync")) {
        bench_case(era8 ? "era8" : "era1", nsub, blocks, every, reps, REC_SYNC);
        return 0;
    }
    if (all || !strcmp(which, "era1"))
        bench_case("era1", 1, blocks, 1, reps, REC_ASYNC);
    if (all || !strcmp(which, "era1") || !strcmp(which, "era1-model"))
        bench_case("era1", 1, blocks, 1, reps, REC_NONE);
    if (all || !strcmp(which, "era8"))
        bench_case("era8", 8, blocks, 10, reps, REC_ASYNC);
    if (all || !strcmp(which, "era8") || !strcmp(which, "era8-model"))
        bench_case("era8", 8, blocks, 10, reps, REC_NONE);
    return 0;
}
