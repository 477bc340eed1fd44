/*
** cmd_run.c: `tokensim run [SCENARIO] [options]` — load and validate a scenario, build the
** world, run the event loop, record everything into a new SQLite metrics DB, then draw plots.
**
** Failure policy: bad input (scenario errors, bad options, an output path that exists or cannot
** be created) exits 2 before anything is written. Once the run's row exists, every ending is
** recorded on it: done, failed (with the error text) or interrupted (SIGINT/SIGTERM), and the
** exit status is 0 only for done. A configuration the model refuses while drawing its genesis
** (random stakes beyond the supply, which no check of the means can foresee) is bad input too:
** the run is recorded as failed before any metric row exists, and the exit status is 2.
**
** The model's metric calls reach the store through a writer thread (recorder_async.h) that
** replays them in order while the model computes: the same rows and digest as writing them on
** the model's thread (the study models excepted: they write on it). The writer is joined before
** the run's end is recorded, so a write that fails (disk full) marks the run failed with the
** store's message, as before; the model notices the failure a fixed number of calls later than
** it would on its own thread (recorder_async.h), so its part of the message (the block) can
** differ from a synchronous run's, the same on every run.
**
** Models run through their adapters (cli_model.h: model_token.c, model_bt.c, model_bitgrit.c,
** model_aigen.c, model_cflow.c), which copy the scenario's typed values into each model's own
** configuration so agents never see the scenario module; the study models "collusion-toy" and
** "retention" run through study_run.h.
*/
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "cmd_report.h"
#include "report.h"
#include "progress.h"
#include "recorder_async.h"
#include "scenario.h"
#include "sim.h"
#include "store.h"
#include "store_recorder.h"
#include "study_run.h"
#include "sweep_run.h"
#include "cli_model.h"
#include "version.h"

static const char run_help[] =
    "usage: tokensim run [SCENARIO] [options]\n"
    "\n"
    "Runs SCENARIO (a libconfig file; the built-in default scenario without one) and writes\n"
    "its metrics to a new SQLite database and its plots next to it.\n"
    "\n"
    "options:\n"
    "  -s, --seed N         master seed (overrides the scenario's `seed`)\n"
    "  -o, --out DB         output database (default: out/<scenario name>.db)\n"
    "  -S, --set KEY=VALUE  override a scenario key, e.g. --set stakers.count=10 (repeatable)\n"
    "  -f, --force          overwrite DB if it exists\n"
    "      --plots DIR      where to write plots (default: DB without .db, plus -plots/)\n"
    "      --no-plots       do not draw plots\n"
    "      --report         write the full report (PNG + SVG + index.html) instead of plots\n"
    "      --report-dir DIR where to write it (default: DB without .db, plus -report/)\n"
    "  -q, --quiet          no progress output\n"
    "  -h, --help           this text\n"
    "\n"
    "exit codes: 0 done, 1 the run failed or was interrupted (recorded in the DB), 2 bad input\n"
    "\n"
    "examples:\n"
    "  tokensim run\n"
    "  tokensim run scenarios/default.cfg --seed 7 --out /tmp/seed7.db --force\n"
    "  tokensim run --set emission.schedule=bitcoin --set emission.halving_interval=2100000\n"
    "  tokensim run scenarios/bittensor-demo.cfg --set subnets.2.kappa=40000\n";

#define MAX_SETS 256

typedef struct run_opts {
    const char *scenario;              /* path, or NULL for the built-in default */
    const char *out;                   /* DB path, or NULL for the default */
    const char *plots;                 /* plot directory, or NULL for the default */
    const char *report_dir;            /* --report-dir, or NULL for the default */
    int report;                        /* --report: full report instead of the plots directory */
    const char *sets[MAX_SETS];        /* --set overrides, in order */
    size_t nsets;                      /* how many */
    char seed_set[64];                 /* "seed=N" when --seed was given */
    int force, quiet, no_plots;        /* flags */
    const volatile sig_atomic_t *stop; /* a caught signal ends the run: set, or NULL */
} run_opts;

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    interrupted = sig;
}

static int parse_seed(const char *s, run_opts *o)
{
    char *end;
    errno = 0;
    if (!*s || *s == '-')
        return -1;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return -1;
    snprintf(o->seed_set, sizeof o->seed_set, "seed=%llu", v);
    return 0;
}

enum { OPT_PLOTS = 256, OPT_NO_PLOTS, OPT_REPORT, OPT_REPORT_DIR };

static int parse_args(int argc, char **argv, run_opts *o, int *done)
{
    static const struct option longs[] = {{"seed", required_argument, 0, 's'},
                                          {"out", required_argument, 0, 'o'},
                                          {"set", required_argument, 0, 'S'},
                                          {"force", no_argument, 0, 'f'},
                                          {"quiet", no_argument, 0, 'q'},
                                          {"help", no_argument, 0, 'h'},
                                          {"plots", required_argument, 0, OPT_PLOTS},
                                          {"no-plots", no_argument, 0, OPT_NO_PLOTS},
                                          {"report", no_argument, 0, OPT_REPORT},
                                          {"report-dir", required_argument, 0, OPT_REPORT_DIR},
                                          {0, 0, 0, 0}};
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":s:o:S:fqh", longs, NULL)) != -1) {
        switch (c) {
        case 's':
            if (parse_seed(optarg, o) != 0)
                return cli_usage_error("run ", "--seed: '%s' is not an integer in [0, 2^64)",
                                       optarg);
            break;
        case 'o':
            o->out = optarg;
            break;
        case 'S':
            if (o->nsets == MAX_SETS)
                return cli_usage_error("run ", "too many --set options (at most %d)", MAX_SETS);
            o->sets[o->nsets++] = optarg;
            break;
        case 'f':
            o->force = 1;
            break;
        case 'q':
            o->quiet = 1;
            break;
        case OPT_PLOTS:
            o->plots = optarg;
            break;
        case OPT_NO_PLOTS:
            o->no_plots = 1;
            break;
        case OPT_REPORT:
            o->report = 1;
            break;
        case OPT_REPORT_DIR:
            o->report = 1;
            o->report_dir = optarg;
            break;
        case 'h':
            fputs(run_help, stdout);
            *done = 1;
            return EXIT_OK;
        case ':':
            return cli_usage_error("run ", "option '%s' needs a value", argv[optind - 1]);
        default:
            return cli_usage_error("run ", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        o->scenario = argv[optind++];
    if (optind < argc)
        return cli_usage_error("run ", "unexpected argument '%s'", argv[optind]);
    if (o->seed_set[0] && o->nsets < MAX_SETS)
        o->sets[o->nsets++] = o->seed_set; /* last, so --seed wins over --set seed=... */
    return EXIT_OK;
}

static int load_scenario(const run_opts *o, scn_scenario *sc)
{
    scn_errors *errs = scn_errors_new();
    if (!errs) {
        fputs("tokensim: out of memory\n", stderr);
        return EXIT_FAILED;
    }
    int rc = o->scenario
                 ? scn_load_file(o->scenario, o->sets, o->nsets, sc, errs)
                 : scn_load_text(scn_default_text(), "<default>", o->sets, o->nsets, sc, errs);
    for (size_t i = 0; i < scn_errors_count(errs); i++)
        fprintf(stderr, "%s\n", scn_errors_get(errs, i));
    if (rc != 0 && scn_errors_count(errs) == 0)
        fputs("tokensim: the scenario could not be loaded\n", stderr);
    scn_errors_free(errs);
    if (rc == 0 && sc->sweep) /* valid, and a user may expect `run` to run it: say it does not */
        fprintf(stderr,
                "tokensim: note: %s:%u: the `sweep` group is not run by `tokensim run` (one run "
                "of the base scenario follows); `tokensim sweep %s` runs its design\n",
                o->scenario, sc->sweep->line, o->scenario);
    return rc == 0 ? EXIT_OK : EXIT_USAGE;
}

/* The default output path out/<name>.db, creating out/ when needed. */
static int default_out(const scn_scenario *sc, char *buf, size_t len)
{
    if (mkdir("out", 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "tokensim: cannot create directory out/: %s\n", strerror(errno));
        return -1;
    }
    snprintf(buf, len, "out/%s.db", sc->name);
    return 0;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

static void write_meta(store *st)
{
    store_meta_set(st, "tokensim_version", TOKENSIM_VERSION);
    store_meta_set(st, "git_revision", TOKENSIM_GIT_REVISION);
    store_meta_set(st, "build_flags", TOKENSIM_BUILD_FLAGS);
    store_meta_set(st, "rng", "Random123 philox4x64 via the GSL RNG interface");
}

typedef struct run_result {
    int status;       /* STORE_RUN_DONE / FAILED / INTERRUPTED */
    char error[1024]; /* failure text */
    uint64_t events;  /* events processed */
    uint64_t supply;  /* final supply, base units */
    int bad_input;    /* the model refused its configuration: recorded as failed, exit 2 */
} run_result;

/* Runs an already started loop to its end and records how it ended (finish: the model's final
** check, called only when the loop ended normally). */
static int run_loop(sim *s, progress *p, run_result *r)
{
    int rc = sim_run(s);
    progress_finish(p);
    r->events = sim_events(s);
    if (rc == SIM_INTERRUPTED)
        r->status = STORE_RUN_INTERRUPTED, snprintf(r->error, sizeof r->error, "interrupted");
    else if (rc != SIM_DONE && r->error[0] == '\0')
        snprintf(r->error, sizeof r->error, "event loop stopped with status %d", rc);
    return rc;
}

/* The model's refusal of its configuration, prefixed with the scenario file as the scenario
** module's messages are (the keys are named in the model's message). */
static void bad_input_error(const run_opts *o, run_result *r)
{
    char msg[sizeof r->error];
    snprintf(msg, sizeof msg, "%s", r->error);
    snprintf(r->error, sizeof r->error, "%.300s: %.700s", o->scenario ? o->scenario : "(default)",
             msg);
    r->bad_input = 1;
}

/* The adapter of a scenario's model (cli_model.h); NULL for the study models (study_run.h). */
static const cli_model_ops *model_ops(scn_model m)
{
    switch (m) {
    case SCN_MODEL_TOKEN:
        return &cli_model_token;
    case SCN_MODEL_BITTENSOR:
        return &cli_model_bittensor;
    case SCN_MODEL_BITGRIT:
    case SCN_MODEL_NUMERAI:
        return &cli_model_bitgrit;
    case SCN_MODEL_AIGEN:
        return &cli_model_aigen;
    case SCN_MODEL_CFLOW:
        return &cli_model_cflow;
    default:
        return NULL;
    }
}

/* Builds the model through its adapter, runs the loop with progress and signals, and records
** how it ended in r (a refusal of the configuration as bad input included). */
static void simulate_model(const cli_model_ops *ops, const scn_scenario *sc, const run_opts *o,
                           const recorder *rec, run_result *r)
{
    sim *s = sim_new();
    progress *p = progress_new(stderr, sc->name, o->quiet ? PROGRESS_QUIET : PROGRESS_AUTO);
    void *m = NULL;
    uint64_t ticks = 0;
    int built = -1;
    r->status = STORE_RUN_FAILED;
    if (!s || !p) {
        snprintf(r->error, sizeof r->error, "out of memory");
    } else if ((built = ops->build(sc, s, rec, &m, &ticks, r->error, sizeof r->error)) == 0) {
        sim_set_progress(s, p, ticks);
        sim_set_interrupt(s, o->stop);
        int rc = run_loop(s, p, r);
        r->supply = ops->supply(m);
        if (rc == SIM_DONE && ops->finish(m, r->error, sizeof r->error) == 0)
            r->status = STORE_RUN_DONE;
    }
    if (built == 2)
        bad_input_error(o, r);
    if (m)
        ops->free(m);
    progress_free(p);
    sim_free(s);
}

/* Builds the world and runs it; fills r. */
static void simulate(const scn_scenario *sc, const run_opts *o, const recorder *rec, run_result *r)
{
    if (study_is_model(sc)) { /* "collusion-toy", "retention": study_run.h */
        int rc =
            study_simulate(sc, rec, o->quiet ? NULL : stdout, o->stop, r->error, sizeof r->error);
        r->status = rc == 0                   ? STORE_RUN_DONE
                    : rc == STUDY_INTERRUPTED ? STORE_RUN_INTERRUPTED
                                              : STORE_RUN_FAILED;
        return;
    }
    const cli_model_ops *ops = model_ops(sc->model);
    if (!ops) {
        r->status = STORE_RUN_FAILED;
        snprintf(r->error, sizeof r->error, "model %d has no runner", (int)sc->model);
        return;
    }
    simulate_model(ops, sc, o, rec, r);
}

/* One quiet in-process run for `tokensim sweep` (sweep_run.h). */
int cli_simulate(const scn_scenario *sc, const recorder *rec, const volatile sig_atomic_t *stop,
                 char *err, size_t errlen)
{
    run_opts o;
    memset(&o, 0, sizeof o);
    o.quiet = 1;
    o.stop = stop;
    run_result r;
    memset(&r, 0, sizeof r);
    simulate(sc, &o, rec, &r);
    snprintf(err, errlen, "%s", r.error);
    return r.status;
}

/* The recorder the model writes to: a writer thread replaying the calls on the store's recorder
** (recorder_async.h), so the store's inserts run beside the model with the same rows and digest;
** the store's recorder itself, on this thread, when the writer cannot be started, and for the
** study models, whose driver writes the retention table straight into the store behind a store
** recorder (study_run.h) while the model runs: the store must stay on this thread for them. */
static recorder bind_recorder(const scn_scenario *sc, const recorder *store_rec,
                              recorder_async **ra)
{
    if (study_is_model(sc))
        return *store_rec;
    int rc = recorder_async_new(store_rec, ra);
    if (rc != 0) {
        fprintf(stderr, "tokensim: note: %s; the metrics are written on the model's thread\n",
                recorder_async_strerror(rc));
        return *store_rec;
    }
    return recorder_async_bind(*ra);
}

/* Lets the writer store every queued call and joins it (the store is this thread's again). A
** write that failed after the model's last call fails the run here, as the model's own check of
** the call would have; the queue's own failure (out of memory) is named, the store's reason is
** appended by append_store_error. */
static void finish_recording(recorder_async *ra, run_result *r)
{
    if (!ra)
        return;
    int rc = recorder_async_close(ra);
    recorder_async_free(ra);
    if (rc == 0)
        return;
    if (r->status != STORE_RUN_FAILED) {
        r->status = STORE_RUN_FAILED;
        snprintf(r->error, sizeof r->error, "recording the metrics failed");
    }
    const char *own = recorder_async_strerror(rc);
    size_t n = strlen(r->error);
    if (own)
        snprintf(r->error + n, sizeof r->error - n, ": %s", own);
}

/* A failed write names the store's own reason (disk full, I/O error, ...). */
static void append_store_error(store *st, run_result *r)
{
    const char *why = store_errmsg(st);
    if (r->status != STORE_RUN_FAILED || !why || !why[0])
        return;
    size_t n = strlen(r->error);
    snprintf(r->error + n, sizeof r->error - n, ": %s", why);
}

static int report_end(store *st, int64_t run_id, run_result *r, double wall, const char *db)
{
    char digest[65] = "";
    /* The only run of this store: its indexes are built while the digest is computed. */
    if (store_run_end_last(st, run_id, r->status, r->status == STORE_RUN_DONE ? NULL : r->error,
                           wall, digest) != 0) {
        fprintf(stderr, "tokensim: %s: could not record the end of the run: %s\n", db,
                store_errmsg(st));
        return EXIT_FAILED;
    }
    if (r->bad_input) {
        fprintf(stderr, "tokensim: %s (bad input: the run is recorded as failed in %s)\n", r->error,
                db);
        return EXIT_USAGE;
    }
    if (r->status != STORE_RUN_DONE) {
        fprintf(stderr, "tokensim: run %s: %s (recorded in %s)\n",
                r->status == STORE_RUN_INTERRUPTED ? "interrupted" : "failed", r->error, db);
        return EXIT_FAILED;
    }
    printf("run done: %llu events in %.2f s, final supply %llu units\n",
           (unsigned long long)r->events, wall, (unsigned long long)r->supply);
    printf("digest:   %s\n", digest);
    return EXIT_OK;
}

static int execute(const scn_scenario *sc, const run_opts *o, const char *db)
{
    char err[1024];
    store *st = NULL;
    /* Caught before the run's row says 'running': a signal after it and before the handler used
    ** to kill the process and leave the run 'running' for ever. One caught this early ends the
    ** run as interrupted at its first check. */
    install_signals();
    if (store_open(db, o->force ? STORE_FORCE : 0, &st, err, sizeof err) != 0) {
        fprintf(stderr, "tokensim: %s\n", err);
        return EXIT_USAGE;
    }
    write_meta(st);
    store_run_info info = {sc->name, sc->text, sc->seed, 0, sc->params_json};
    store_recorder sr = {st, 0};
    if (store_run_begin(st, &info, &sr.run_id) != 0) {
        fprintf(stderr, "tokensim: %s: %s\n", db, store_errmsg(st));
        store_close(st);
        return EXIT_FAILED;
    }
    recorder store_rec = store_recorder_bind(&sr);
    recorder_async *ra = NULL;
    recorder rec = bind_recorder(sc, &store_rec, &ra);
    run_result r = {0};
    double t0 = now_seconds();
    simulate(sc, o, &rec, &r);
    finish_recording(ra, &r); /* before the store is used on this thread again */
    append_store_error(st, &r);
    int code = report_end(st, sr.run_id, &r, now_seconds() - t0, db);
    if (store_finish(st) != 0) { /* indexes, WAL checkpoint: a single .db file remains */
        fprintf(stderr, "tokensim: %s\n", store_errmsg(st));
        code = EXIT_FAILED;
    }
    store_close(st);
    return code;
}

/* After a done run: the plots directory (PNG + its index.html, the report machinery of
** reports/report.h) or, with --report, the full report (PNG + SVG). A failure here never changes
** the run's exit status: the run is recorded; the message says why nothing was drawn. */
static void draw_plots(const run_opts *o, const char *db)
{
    char dir[4096], err[1200];
    const char *given = o->report ? o->report_dir : o->plots;
    if (given)
        snprintf(dir, sizeof dir, "%s", given);
    else
        cli_report_dir(db, o->report ? "-report" : "-plots", dir, sizeof dir);
    report_opts ro = {db, dir, o->report ? REPORT_PNG | REPORT_SVG : REPORT_PNG, 0};
    report_result res;
    if (report_render(&ro, &res, err, sizeof err) != 0)
        fprintf(stderr, "tokensim: %s skipped: %s\n", o->report ? "report" : "plots", err);
    else if (o->report)
        printf("report:   %s\n", res.index);
    else
        printf("plots:    %s/\n", dir);
}

int cmd_run(int argc, char **argv)
{
    run_opts o;
    memset(&o, 0, sizeof o);
    int done = 0, code = parse_args(argc, argv, &o, &done);
    if (code != EXIT_OK || done)
        return code;
    scn_scenario sc;
    memset(&sc, 0, sizeof sc);
    if ((code = load_scenario(&o, &sc)) != EXIT_OK)
        return code;
    char db[4096];
    if (o.out)
        snprintf(db, sizeof db, "%s", o.out);
    else if (default_out(&sc, db, sizeof db) != 0) {
        scn_clear(&sc);
        return EXIT_USAGE;
    }
    o.stop = &interrupted;
    code = execute(&sc, &o, db);
    if (code == EXIT_OK) {
        printf("database: %s\n", db);
        if (!o.no_plots || o.report)
            draw_plots(&o, db);
    }
    scn_clear(&sc);
    return code;
}
