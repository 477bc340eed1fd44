/*
** cmd_sweep.c: `tokensim sweep SCENARIO ...` -- the command line of every sweep.
**
** Two families: --bisect KEY=LO:HI runs the scenario repeatedly in-process with KEY overridden
** and finds by bisection where the reduced metric crosses the target (sequential by nature,
** below); run-list designs (--grid, --zip, --sample lhs|sobol|saltelli|morris with --range,
** --runs N replications) are built here (sweep_design.h) and executed by sweep_exec.h over a
** worker pool (--jobs) or MPI ranks, with --resume. Both print one line per run and store the
** sweep (tables sweeps and sweep_points, each point linked to its row in runs; store_sweep.h).
** Bisection: verdict(v) = "above" when metric(v) >= target, else "below". LO and HI must get
** different verdicts (else the sweep fails: the target is not bracketed); then the midpoint
** replaces the end with its verdict until HI - LO <= tol (integer keys: HI - LO <= 1) or
** max-iter midpoints ran. The result is the midpoint of the final bracket (integer keys: the
** end of the bracket with HI's verdict, the first integer on that side).
** Designs in the scenario file: with no design option on the command line (--grid, --zip,
** --sample, --range, --samples, --levels, --runs, --bisect, --target, --tol, --max-iter) the
** scenario's `sweep` group (scn_sweep in scenario.h, validated by the loader) supplies them, as
** the very option texts, so both paths share every line below; any design option replaces the
** file's whole design. --metric and --reduce on the command line override the file's, --crn
** turns common random numbers on for it; --jobs, --out, --force, --resume, --seed and --set
** always come from the command line.
** Exit codes: 0 crossing found, 1 a run failed, the target is not bracketed or SIGINT/SIGTERM
** stopped it (recorded: the run in progress and the sweep 'interrupted'), 2 bad usage or an
** invalid scenario (nothing written).
*/
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <unistd.h>

#include "cli.h"
#include "scenario.h"
#include "store_sweep.h"
#include "sweep_design.h"
#include "sweep_exec.h"
#include "sweep_pool.h"
#include "sweep_run.h"
#include "version.h"

static const char sweep_help[] =
    "usage: tokensim sweep SCENARIO DESIGN [--runs N] [--jobs N] [--metric NAME] [options]\n"
    "       tokensim sweep SCENARIO --bisect KEY=LO:HI --metric NAME --target V [options]\n"
    "\n"
    "Designs (run lists; every run gets seed splitmix64(seed XOR splitmix64(index)) & (2^63-1)):\n"
    "  -g, --grid KEY=V1,V2,...   cartesian product over the --grid keys (repeatable; also\n"
    "                             KEY=LO:HI:N for N evenly spaced values; last key fastest)\n"
    "  -z, --zip KEY=V1,V2,...    lists of equal length taken together (repeatable)\n"
    "      --sample KIND          lhs, sobol, saltelli (Sobol indices) or morris, over the\n"
    "      --range KEY=LO:HI      ranges (repeatable; integer keys: every integer equally likely)\n"
    "  -n, --samples N            sample size (saltelli: N blocks of k+2 runs; morris: N\n"
    "                             trajectories of k+1 runs)\n"
    "      --levels P             Morris grid levels (even, default 4)\n"
    "  -R, --runs N               replications of every point (alone: N Monte Carlo runs)\n"
    "  -j, --jobs N               worker processes (default: online cores); under mpirun\n"
    "                             the ranks share the runs instead\n"
    "      --resume               reuse --out: keep its done runs, rerun the others\n"
    "      --crn                  common random numbers: replicate r of every point gets\n"
    "                             the same seed (the master seed for r = 0)\n"
    "  -m, --metric NAME          reduce this series per run (stored with the run's point);\n"
    "                             saltelli and morris then print and store sensitivity indices\n"
    "  exit codes: 0 every run done, 1 some run failed (recorded), 2 bad usage or input\n"
    "\n"
    "With no design option, the scenario's `sweep` group gives the design (scenarios/README.md);\n"
    "any design option replaces the file's whole design, --metric/--reduce override its own,\n"
    "--crn adds to it, and --jobs, --out, --force, --resume, --seed and --set always come from\n"
    "the command line.\n"
    "\n"
    "Bisection:\n"
    "Runs SCENARIO repeatedly with KEY overridden (as --set KEY=VALUE would) and finds by\n"
    "bisection the value of KEY at which the metric, reduced over the run's samples, crosses\n"
    "the target. Prints one line per run and stores the sweep in a new SQLite database\n"
    "(tables runs, sweeps, sweep_points).\n"
    "\n"
    "options (--reduce, --seed, --out, --set and --force apply to designs too):\n"
    "  -b, --bisect KEY=LO:HI  the swept key (integer or number) and its bracket\n"
    "  -m, --metric NAME       series metric to reduce (every entity of the run)\n"
    "  -r, --reduce HOW        last (default), mean, min or max\n"
    "  -t, --target V          the crossing target: verdict \"above\" when metric >= V\n"
    "      --tol T             stop when HI - LO <= T (default 1e-6 of the bracket)\n"
    "      --max-iter N        at most N bisection steps (default 60)\n"
    "  -s, --seed N            master seed of every run (overrides the scenario's)\n"
    "  -o, --out DB            output database (default: out/<scenario name>-sweep.db)\n"
    "  -S, --set KEY=VALUE     override another key in every run (repeatable)\n"
    "  -f, --force             overwrite DB if it exists\n"
    "  -h, --help              this text\n"
    "\n"
    "exit codes: 0 crossing found, 1 a run failed or LO and HI give the same verdict,\n"
    "            2 bad usage or input\n"
    "\n"
    "example (the whitepaper cabal overtakes iff it starts above half the stake):\n"
    "  tokensim sweep scenarios/repro-whitepaper-collusion.cfg \\\n"
    "      --bisect collusion.cabal_share=0.3:0.7 --metric cabal_share --target 0.5\n";

#define MAX_SETS 256

typedef struct sweep_opts {
    const char *scenario;                /* path */
    const char *out;                     /* DB path or NULL */
    const char *sets[MAX_SETS];          /* base --set overrides (the seed last) */
    size_t nsets;                        /* how many */
    char seed_set[64];                   /* "seed=N" when --seed was given */
    char key[256];                       /* swept key */
    char lo_text[64], hi_text[64];       /* its bracket as given */
    double lo, hi;                       /* the bracket */
    int integer;                         /* 1: integer key */
    const char *metric;                  /* metric */
    const char *reduce;                  /* reduce name */
    int has_target;                      /* --target given */
    double target, tol;                  /* target, tolerance (tol < 0: default) */
    long max_iter;                       /* bisection steps */
    int force;                           /* --force */
    const char *grid[SWEEP_MAX_PARAMS];  /* --grid specs */
    size_t ngrid;                        /* how many */
    const char *zip[SWEEP_MAX_PARAMS];   /* --zip specs */
    size_t nzip;                         /* how many */
    const char *range[SWEEP_MAX_PARAMS]; /* --range specs */
    size_t nrange;                       /* how many */
    const char *sample;                  /* --sample kind or NULL */
    long long samples, levels, runs;     /* --samples, --levels, --runs (0: not given) */
    long long jobs;                      /* --jobs (0: online cores) */
    int resume, crn;                     /* --resume, --crn */
    int reduce_given;                    /* --reduce was given */
    int bisect_opts;                     /* --target, --tol or --max-iter was given */
} sweep_opts;

static int parse_double(const char *s, double *d)
{
    char *end;
    errno = 0;
    *d = strtod(s, &end);
    return (s[0] && !*end && !errno && isfinite(*d)) ? 0 : -1;
}

static int parse_bisect(const char *arg, sweep_opts *o)
{
    const char *eq = strchr(arg, '='), *colon = eq ? strchr(eq + 1, ':') : NULL;
    if (!eq || !colon || eq == arg || (size_t)(eq - arg) >= sizeof o->key ||
        (size_t)(colon - eq - 1) >= sizeof o->lo_text || strlen(colon + 1) >= sizeof o->hi_text)
        return cli_usage_error("sweep ", "--bisect: expected KEY=LO:HI, got '%s'", arg);
    snprintf(o->key, sizeof o->key, "%.*s", (int)(eq - arg), arg);
    snprintf(o->lo_text, sizeof o->lo_text, "%.*s", (int)(colon - eq - 1), eq + 1);
    snprintf(o->hi_text, sizeof o->hi_text, "%s", colon + 1);
    if (parse_double(o->lo_text, &o->lo) != 0 || parse_double(o->hi_text, &o->hi) != 0)
        return cli_usage_error("sweep ", "--bisect: LO and HI must be numbers, got '%s'", arg);
    if (!(o->lo < o->hi))
        return cli_usage_error("sweep ", "--bisect: LO must be smaller than HI, got '%s'", arg);
    return EXIT_OK;
}

static int parse_seed(const char *s, sweep_opts *o)
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

enum { OPT_TOL = 256, OPT_MAX_ITER, OPT_SAMPLE, OPT_RANGE, OPT_LEVELS, OPT_RESUME, OPT_CRN };

static int parse_count(const char *opt, const char *arg, long long lo, long long hi, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(arg, &end, 10);
    if (!*arg || *end || errno || v < lo || v > hi)
        return cli_usage_error("sweep ", "%s: '%s' is not an integer in [%lld, %lld]", opt, arg, lo,
                               hi);
    *out = v;
    return EXIT_OK;
}

static int push_spec(const char **list, size_t *n, const char *opt, const char *arg)
{
    if (*n == SWEEP_MAX_PARAMS)
        return cli_usage_error("sweep ", "%s: at most %d keys", opt, SWEEP_MAX_PARAMS);
    list[(*n)++] = arg;
    return EXIT_OK;
}

/* The options of run-list designs; EXIT_USAGE + 1 when c is not one of them. */
static int parse_design_option(int c, const char *arg, sweep_opts *o)
{
    switch (c) {
    case 'g':
        return push_spec(o->grid, &o->ngrid, "--grid", arg);
    case 'z':
        return push_spec(o->zip, &o->nzip, "--zip", arg);
    case OPT_RANGE:
        return push_spec(o->range, &o->nrange, "--range", arg);
    case OPT_SAMPLE: {
        int k = sweep_kind_parse(arg);
        if (k < SWEEP_LHS)
            return cli_usage_error("sweep ", "--sample: '%s' is not lhs, sobol, saltelli or morris",
                                   arg);
        o->sample = arg;
        return EXIT_OK;
    }
    case 'n':
        return parse_count("--samples", arg, 1, 10000000, &o->samples);
    case OPT_LEVELS:
        return parse_count("--levels", arg, 2, 1000, &o->levels);
    case 'R':
        return parse_count("--runs", arg, 1, 4294967295LL, &o->runs);
    case 'j':
        return parse_count("--jobs", arg, 1, 1024, &o->jobs);
    case OPT_RESUME:
        o->resume = 1;
        return EXIT_OK;
    case OPT_CRN:
        o->crn = 1;
        return EXIT_OK;
    }
    return EXIT_USAGE + 1;
}

static int parse_option(int c, const char *arg, sweep_opts *o)
{
    double d;
    int rc = parse_design_option(c, arg, o);
    if (rc != EXIT_USAGE + 1)
        return rc;
    switch (c) {
    case 'b':
        return parse_bisect(arg, o);
    case 'm':
        o->metric = arg;
        return EXIT_OK;
    case 'r':
        if (store_reduce_parse(arg) < 0)
            return cli_usage_error("sweep ", "--reduce: '%s' is not last, mean, min or max", arg);
        o->reduce = arg;
        o->reduce_given = 1;
        return EXIT_OK;
    case 't':
        if (parse_double(arg, &o->target) != 0)
            return cli_usage_error("sweep ", "--target: '%s' is not a number", arg);
        o->has_target = 1;
        o->bisect_opts = 1;
        return EXIT_OK;
    case OPT_TOL:
        if (parse_double(arg, &d) != 0 || !(d > 0.0))
            return cli_usage_error("sweep ", "--tol: '%s' is not a positive number", arg);
        o->tol = d;
        o->bisect_opts = 1;
        return EXIT_OK;
    case OPT_MAX_ITER: {
        char *end;
        errno = 0;
        long v = strtol(arg, &end, 10);
        if (!*arg || *end || errno || v < 1 || v > 1000)
            return cli_usage_error("sweep ", "--max-iter: '%s' is not an integer in [1, 1000]",
                                   arg);
        o->max_iter = v;
        o->bisect_opts = 1;
        return EXIT_OK;
    }
    case 's':
        if (parse_seed(arg, o) != 0)
            return cli_usage_error("sweep ", "--seed: '%s' is not an integer in [0, 2^64)", arg);
        return EXIT_OK;
    case 'o':
        o->out = arg;
        return EXIT_OK;
    case 'S':
        if (o->nsets == MAX_SETS - 1)
            return cli_usage_error("sweep ", "too many --set options (at most %d)", MAX_SETS - 1);
        o->sets[o->nsets++] = arg;
        return EXIT_OK;
    case 'f':
        o->force = 1;
        return EXIT_OK;
    }
    return EXIT_USAGE;
}

static int is_design(const sweep_opts *o)
{
    return o->ngrid || o->nzip || o->nrange || o->sample || o->runs;
}

static int check_required(sweep_opts *o)
{
    if (!o->scenario)
        return cli_usage_error("sweep ", "missing SCENARIO");
    if (is_design(o) && o->key[0])
        return cli_usage_error("sweep ", "--bisect cannot be combined with a design");
    if (is_design(o)) {
        if (o->seed_set[0])
            o->sets[o->nsets++] = o->seed_set;
        return EXIT_OK;
    }
    if (!o->key[0])
        return cli_usage_error("sweep ",
                               "no design: give --grid, --zip, --sample, --runs or --bisect, or "
                               "a sweep group in the scenario file");
    if (!o->metric)
        return cli_usage_error("sweep ", "missing --metric NAME");
    if (!o->has_target)
        return cli_usage_error("sweep ", "missing --target V");
    for (size_t i = 0; i < o->nsets; i++) {
        size_t kl = strlen(o->key);
        if (strncmp(o->sets[i], o->key, kl) == 0 && o->sets[i][kl] == '=')
            return cli_usage_error("sweep ", "--set %s: the swept key cannot also be set",
                                   o->sets[i]);
    }
    if (o->seed_set[0])
        o->sets[o->nsets++] = o->seed_set; /* last, so --seed wins over --set seed=... */
    return EXIT_OK;
}

static int parse_args(int argc, char **argv, sweep_opts *o, int *done)
{
    static const struct option longs[] = {{"bisect", required_argument, 0, 'b'},
                                          {"metric", required_argument, 0, 'm'},
                                          {"reduce", required_argument, 0, 'r'},
                                          {"target", required_argument, 0, 't'},
                                          {"tol", required_argument, 0, OPT_TOL},
                                          {"max-iter", required_argument, 0, OPT_MAX_ITER},
                                          {"seed", required_argument, 0, 's'},
                                          {"out", required_argument, 0, 'o'},
                                          {"set", required_argument, 0, 'S'},
                                          {"force", no_argument, 0, 'f'},
                                          {"grid", required_argument, 0, 'g'},
                                          {"zip", required_argument, 0, 'z'},
                                          {"sample", required_argument, 0, OPT_SAMPLE},
                                          {"range", required_argument, 0, OPT_RANGE},
                                          {"samples", required_argument, 0, 'n'},
                                          {"levels", required_argument, 0, OPT_LEVELS},
                                          {"runs", required_argument, 0, 'R'},
                                          {"jobs", required_argument, 0, 'j'},
                                          {"resume", no_argument, 0, OPT_RESUME},
                                          {"crn", no_argument, 0, OPT_CRN},
                                          {"help", no_argument, 0, 'h'},
                                          {0, 0, 0, 0}};
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":b:m:r:t:s:o:S:fhg:z:n:R:j:", longs, NULL)) != -1) {
        if (c == 'h') {
            fputs(sweep_help, stdout);
            *done = 1;
            return EXIT_OK;
        }
        if (c == ':')
            return cli_usage_error("sweep ", "option '%s' needs a value", argv[optind - 1]);
        if (c == '?')
            return cli_usage_error("sweep ", "unknown option '%s'", argv[optind - 1]);
        int rc = parse_option(c, optarg, o);
        if (rc != EXIT_OK)
            return rc;
    }
    if (optind < argc)
        o->scenario = argv[optind++];
    if (optind < argc)
        return cli_usage_error("sweep ", "unexpected argument '%s'", argv[optind]);
    return EXIT_OK;
}

/* ---- the scenario's `sweep` group ---- */

static int cli_has_design(const sweep_opts *o)
{
    return is_design(o) || o->samples || o->levels || o->key[0] || o->bisect_opts;
}

/* Copies the file's design into o as if its options had been typed (the texts live in sc). */
static int apply_file_design(sweep_opts *o, const scn_sweep *sw)
{
    for (size_t i = 0; i < sw->ngrid; i++)
        o->grid[o->ngrid++] = sw->grid[i];
    for (size_t i = 0; i < sw->nzip; i++)
        o->zip[o->nzip++] = sw->zip[i];
    for (size_t i = 0; i < sw->nrange; i++)
        o->range[o->nrange++] = sw->range[i];
    o->sample = sw->sample;
    o->samples = (long long)sw->samples, o->levels = (long long)sw->levels;
    o->runs = (long long)sw->runs, o->crn = o->crn || sw->crn; /* --crn adds to the file's */
    if (!o->metric)
        o->metric = sw->metric;
    if (!o->reduce_given && sw->reduce)
        o->reduce = sw->reduce;
    int rc = sw->bisect ? parse_bisect(sw->bisect, o) : EXIT_OK;
    if (rc == EXIT_OK && sw->target)
        rc = parse_option('t', sw->target, o);
    if (rc == EXIT_OK && sw->tol)
        rc = parse_option(OPT_TOL, sw->tol, o);
    if (sw->max_iter)
        o->max_iter = (long)sw->max_iter;
    return rc;
}

/* With no design option, loads the scenario (base --set applied) into sc and takes its sweep
** group, if any. An invalid scenario or group is reported here (exit 2, nothing written). */
static int file_design(sweep_opts *o, scn_scenario *sc)
{
    char err[512];
    if (!o->scenario || cli_has_design(o))
        return EXIT_OK;
    sweep_runner r = {o->scenario, o->sets, o->nsets, NULL, NULL, STORE_REDUCE_LAST};
    if (sweep_load(&r, NULL, NULL, sc, 1, err, sizeof err) != 0)
        return EXIT_USAGE;
    if (!sc->sweep)
        return EXIT_OK;
    fprintf(stderr, "tokensim: sweep: the design of %s:%u\n", o->scenario, sc->sweep->line);
    return apply_file_design(o, sc->sweep);
}

/* The swept key's type from the key table ("subnets.N.X" is "subnet_defaults.X"): 1 integer,
** 0 number, -1 unknown or not sweepable. */
static int key_kind(const char *key)
{
    char path[300];
    const char *p = key;
    if (strncmp(key, "subnets.", 8) == 0 && (p = strchr(key + 8, '.')) != NULL) {
        snprintf(path, sizeof path, "subnet_defaults%s", p);
        p = path;
    } else {
        p = key;
    }
    for (size_t i = 0; i < scn_key_count(); i++) {
        scn_keyinfo ki;
        char buf[256];
        if (scn_key_info(i, &ki, buf, sizeof buf) != 0 || strcmp(ki.path, p) != 0)
            continue;
        if (strcmp(ki.type, "integer") == 0)
            return 1;
        if (strcmp(ki.type, "number") == 0)
            return 0;
        return -1;
    }
    return -1;
}

static void format_value(const sweep_opts *o, double v, char *buf, size_t len)
{
    if (o->integer)
        snprintf(buf, len, "%.0f", v);
    else
        snprintf(buf, len, "%.17g", v);
}

/* Checks the bracket before anything is written: the key is sweepable and the scenario loads
** with LO and with HI. */
static int validate(sweep_opts *o, const sweep_runner *r, char *name, size_t namelen)
{
    int kind = key_kind(o->key);
    if (kind < 0)
        return cli_usage_error("sweep ",
                               "--bisect: '%s' is not an integer or number key of the "
                               "scenario format (tokensim validate --keys lists them)",
                               o->key);
    o->integer = kind == 1;
    if (o->integer && (o->lo != floor(o->lo) || o->hi != floor(o->hi) || o->lo < 0))
        return cli_usage_error("sweep ",
                               "--bisect: %s is an integer key; LO and HI must be "
                               "non-negative integers",
                               o->key);
    if (o->tol < 0.0)
        o->tol = o->integer ? 1.0 : 1e-6 * (o->hi - o->lo);
    double ends[2] = {o->lo, o->hi};
    for (int i = 0; i < 2; i++) {
        char v[64], err[512];
        scn_scenario sc;
        format_value(o, ends[i], v, sizeof v);
        if (sweep_load(r, o->key, v, &sc, 1, err, sizeof err) != 0)
            return EXIT_USAGE;
        snprintf(name, namelen, "%s", sc.name);
        scn_clear(&sc);
    }
    return EXIT_OK;
}

/* ---- the bisection design ---- */

typedef struct bisect {
    double lo, hi;       /* current bracket */
    int lo_above;        /* verdict at lo */
    uint32_t next_index; /* index of the next point */
    int64_t sweep_id;    /* row in sweeps */
} bisect;

static const char *verdict_name(const sweep_outcome *oc, double target)
{
    if (oc->status == STORE_RUN_INTERRUPTED)
        return "interrupted";
    if (oc->status != STORE_RUN_DONE || !oc->has_metric)
        return "failed";
    return oc->metric >= target ? "above" : "below";
}

/* Runs one point at v and records it; *verdict is 1 above, 0 below, -1 failed or interrupted
** (a signal stopped the run: sweep_pool_stopped()). Returns 0, or a store error. */
static int eval_point(const sweep_opts *o, const sweep_runner *r, bisect *b, double v, int *verdict)
{
    sweep_point p = {b->next_index++, o->key, ""};
    sweep_outcome oc;
    format_value(o, v, p.value, sizeof p.value);
    int rc = sweep_run_point(r, &p, &oc);
    const char *vn = rc == 0 ? verdict_name(&oc, o->target) : "failed";
    *verdict = strcmp(vn, "above") == 0 ? 1 : strcmp(vn, "below") == 0 ? 0 : -1;
    if (oc.has_metric)
        printf("%4u  %-24s %-24.17g %-7s run %lld\n", p.index, p.value, oc.metric, vn,
               (long long)oc.run_id);
    else
        printf("%4u  %-24s %-24s %-7s %s\n", p.index, p.value, "-", vn, oc.error);
    fflush(stdout);
    if (rc != 0)
        return rc;
    return store_sweep_point(r->st, b->sweep_id, p.index, oc.run_id, p.value, oc.has_metric,
                             oc.metric, vn);
}

static int finish(const sweep_opts *o, const sweep_runner *r, const bisect *b, const char *status,
                  int has_result, double result, const char *msg)
{
    if (store_sweep_end(r->st, b->sweep_id, status, has_result, result, msg) != 0) {
        fprintf(stderr, "tokensim: %s\n", store_errmsg(r->st));
        return EXIT_FAILED;
    }
    if (!has_result) {
        fprintf(stderr, "tokensim: sweep %s: %s\n", status, msg);
        return EXIT_FAILED;
    }
    char v[64];
    format_value(o, result, v, sizeof v);
    printf("crossing: %s = %s (bracket [%.17g, %.17g], %u runs)\n", o->key, v, b->lo, b->hi,
           b->next_index);
    return EXIT_OK;
}

/* A signal stopped the bisection: recorded interrupted with the bracket reached so far (a
** bisection has no --resume: it is rerun). */
static int stopped(const sweep_opts *o, const sweep_runner *r, const bisect *b)
{
    char msg[200];
    snprintf(msg, sizeof msg, "interrupted by signal %d after %u runs, bracket [%.17g, %.17g]",
             sweep_pool_stopped(), b->next_index, b->lo, b->hi);
    return finish(o, r, b, "interrupted", 0, 0.0, msg);
}

static int run_bisect(const sweep_opts *o, const sweep_runner *r, bisect *b)
{
    int vlo, vhi = 0, vmid;
    printf("%4s  %-24s %-24s %-7s %s\n", "idx", o->key, o->metric, "verdict", "run");
    if (eval_point(o, r, b, b->lo, &vlo) != 0 ||
        (!sweep_pool_stopped() && eval_point(o, r, b, b->hi, &vhi) != 0))
        return finish(o, r, b, "failed", 0, 0.0, store_errmsg(r->st));
    if (sweep_pool_stopped())
        return stopped(o, r, b);
    if (vlo < 0 || vhi < 0)
        return finish(o, r, b, "failed", 0, 0.0, "a run failed (see sweep_points and runs)");
    if (vlo == vhi)
        return finish(o, r, b, "failed", 0, 0.0,
                      vlo ? "the metric is above the target at both LO and HI"
                          : "the metric is below the target at both LO and HI");
    b->lo_above = vlo;
    for (long it = 0; it < o->max_iter && b->hi - b->lo > o->tol; it++) {
        double mid =
            o->integer ? floor(b->lo + (b->hi - b->lo) / 2.0) : b->lo + (b->hi - b->lo) / 2.0;
        if (mid <= b->lo || mid >= b->hi)
            break; /* the bracket cannot shrink further (integers, or doubles adjacent) */
        if (eval_point(o, r, b, mid, &vmid) != 0)
            return finish(o, r, b, "failed", 0, 0.0, store_errmsg(r->st));
        if (sweep_pool_stopped())
            return stopped(o, r, b);
        if (vmid < 0)
            return finish(o, r, b, "failed", 0, 0.0, "a run failed (see sweep_points and runs)");
        if (vmid == b->lo_above)
            b->lo = mid;
        else
            b->hi = mid;
    }
    double result = o->integer ? b->hi : b->lo + (b->hi - b->lo) / 2.0;
    return finish(o, r, b, "done", 1, result, NULL);
}

static int default_out(const char *name, char *buf, size_t len)
{
    if (mkdir("out", 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "tokensim: cannot create directory out/: %s\n", strerror(errno));
        return -1;
    }
    snprintf(buf, len, "out/%s-sweep.db", name);
    return 0;
}

static int execute(const sweep_opts *o, sweep_runner *r, const char *name, const char *db)
{
    char err[1024];
    sweep_pool_catch_signals(); /* before the sweep's row says 'running' */
    if (store_open(db, o->force ? STORE_FORCE : 0, &r->st, err, sizeof err) != 0) {
        fprintf(stderr, "tokensim: %s\n", err);
        return EXIT_USAGE;
    }
    store_meta_set(r->st, "tokensim_version", TOKENSIM_VERSION);
    store_meta_set(r->st, "git_revision", TOKENSIM_GIT_REVISION);
    store_meta_set(r->st, "build_flags", TOKENSIM_BUILD_FLAGS);
    bisect b = {o->lo, o->hi, 0, 0, 0};
    store_sweep_info info = {name,      "bisect",  o->key, o->lo_text,  o->hi_text, o->metric,
                             o->reduce, o->target, o->tol, o->max_iter, 0};
    scn_scenario sc;
    if (sweep_load(r, NULL, NULL, &sc, 0, err, sizeof err) == 0) {
        info.seed = sc.seed;
        scn_clear(&sc);
    }
    int code;
    if (store_sweep_begin(r->st, &info, &b.sweep_id) != 0) {
        fprintf(stderr, "tokensim: %s: %s\n", db, store_errmsg(r->st));
        code = EXIT_FAILED;
    } else {
        code = run_bisect(o, r, &b);
    }
    if (store_finish(r->st) != 0) {
        fprintf(stderr, "tokensim: %s\n", store_errmsg(r->st));
        code = EXIT_FAILED;
    }
    store_close(r->st);
    printf("database: %s\n", db);
    return code;
}

/* ---- run-list designs ---- */

/* A key's SWEEP_KEY_* kind for designs ("subnets.N.X" is "subnet_defaults.X"); -1 when it is
** not an integer, number or token-amount key. */
static int design_key_kind(const char *key)
{
    int k = key_kind(key);
    if (k >= 0)
        return k == 1 ? SWEEP_KEY_INTEGER : SWEEP_KEY_NUMBER;
    char path[300];
    const char *p = key, *dot;
    if (strncmp(key, "subnets.", 8) == 0 && (dot = strchr(key + 8, '.')) != NULL) {
        snprintf(path, sizeof path, "subnet_defaults%s", dot);
        p = path;
    }
    for (size_t i = 0; i < scn_key_count(); i++) {
        scn_keyinfo ki;
        char buf[256];
        if (scn_key_info(i, &ki, buf, sizeof buf) == 0 && strcmp(ki.path, p) == 0)
            return strcmp(ki.type, "token amount") == 0 ? SWEEP_KEY_AMOUNT : -1;
    }
    return -1;
}

static int add_params(sweep_design *d, const char *const *specs, size_t n, int ranged)
{
    char err[512] = "";
    for (size_t i = 0; i < n; i++) {
        const char *eq = strchr(specs[i], '=');
        char key[300];
        snprintf(key, sizeof key, "%.*s", eq ? (int)(eq - specs[i]) : 0, specs[i]);
        int kind = design_key_kind(key);
        if (ranged && kind < 0)
            return cli_usage_error("sweep ",
                                   "--range: '%s' is not an integer, number or token-amount key "
                                   "of the scenario format (tokensim validate --keys lists them)",
                                   key);
        if (sweep_design_add(d, specs[i], ranged, kind < 0 ? SWEEP_KEY_NUMBER : kind, err,
                             sizeof err) != 0)
            return cli_usage_error("sweep ", "%s", err);
    }
    return EXIT_OK;
}

static int build_design(const sweep_opts *o, const sweep_runner *r, sweep_design *d)
{
    char err[1024];
    int kinds = (o->ngrid > 0) + (o->nzip > 0) + (o->sample != NULL);
    if (kinds > 1)
        return cli_usage_error("sweep ", "use one of --grid, --zip and --sample");
    if (o->nrange && !o->sample)
        return cli_usage_error("sweep ", "--range needs --sample lhs|sobol|saltelli|morris");
    d->kind = o->sample  ? (sweep_kind)sweep_kind_parse(o->sample)
              : o->ngrid ? SWEEP_GRID
              : o->nzip  ? SWEEP_ZIP
                         : SWEEP_MC;
    d->samples = (uint64_t)o->samples;
    d->levels = o->levels ? (uint32_t)o->levels : 4;
    d->reps = o->runs ? (uint64_t)o->runs : 1;
    d->crn = o->crn;
    int rc = add_params(d, o->grid, o->ngrid, 0);
    if (rc == EXIT_OK)
        rc = add_params(d, o->zip, o->nzip, 0);
    if (rc == EXIT_OK)
        rc = add_params(d, o->range, o->nrange, 1);
    if (rc != EXIT_OK)
        return rc;
    scn_scenario sc;
    if (sweep_load(r, NULL, NULL, &sc, 1, err, sizeof err) != 0)
        return EXIT_USAGE;
    d->master_seed = sc.seed;
    scn_clear(&sc);
    if (sweep_design_build(d, err, sizeof err) != 0)
        return cli_usage_error("sweep ", "%s", err);
    return EXIT_OK;
}

/* Every swept key must be one the scenario accepts: load it with each key at its first value
** (usage errors stop the sweep before anything is written; a later value the scenario rejects
** is a failed run). */
static int check_keys(const sweep_design *d, const sweep_runner *r)
{
    for (size_t j = 0; j < d->nparams; j++) {
        char v[512], err[512];
        scn_scenario sc;
        sweep_design_value(d, 0, j, v, sizeof v);
        if (sweep_load(r, d->params[j].key, v, &sc, 1, err, sizeof err) != 0)
            return EXIT_USAGE;
        scn_clear(&sc);
    }
    return EXIT_OK;
}

static int run_design(sweep_opts *o, const sweep_runner *r)
{
    sweep_design d;
    memset(&d, 0, sizeof d);
    int code = build_design(o, r, &d);
    if (code == EXIT_OK)
        code = check_keys(&d, r);
    if (code == EXIT_OK && o->metric && store_reduce_parse(o->reduce) < 0)
        code = cli_usage_error("sweep ", "--reduce: bad value");
    if (code == EXIT_OK) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        sweep_exec_opts eo = {
            o->scenario, o->out,    o->sets,   o->nsets,
            &d,          o->metric, o->reduce, (int)(o->jobs ? o->jobs : (cores > 0 ? cores : 1)),
            o->resume,   o->force};
        code = sweep_exec(&eo);
    }
    sweep_design_clear(&d);
    return code;
}

/* The sweep of o (file design already applied): run-list designs or bisection. */
static int sweep_main(sweep_opts *o)
{
    int code;
    sweep_runner r = {o->scenario, o->sets,   o->nsets,
                      NULL,        o->metric, (store_reduce)store_reduce_parse(o->reduce)};
    if (is_design(o))
        return run_design(o, &r);
    char name[128] = "", db[4096];
    if ((code = validate(o, &r, name, sizeof name)) != EXIT_OK)
        return code;
    if (o->out)
        snprintf(db, sizeof db, "%s", o->out);
    else if (default_out(name, db, sizeof db) != 0)
        return EXIT_USAGE;
    return execute(o, &r, name, db);
}

int cmd_sweep(int argc, char **argv)
{
    sweep_opts o;
    memset(&o, 0, sizeof o);
    o.reduce = "last", o.tol = -1.0, o.max_iter = 60;
    int done = 0, code = parse_args(argc, argv, &o, &done);
    if (code != EXIT_OK || done)
        return code;
    scn_scenario file;
    memset(&file, 0, sizeof file);
    code = file_design(&o, &file);
    if (code == EXIT_OK)
        code = check_required(&o);
    if (code == EXIT_OK)
        code = sweep_main(&o);
    scn_clear(&file);
    return code;
}
