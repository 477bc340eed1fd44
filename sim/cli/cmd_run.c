/*
** cmd_run.c: `tokensim run [SCENARIO] [options]` — load and validate a scenario, build the
** world, run the event loop, record everything into a new SQLite metrics DB, then draw plots.
**
** Failure policy: bad input (scenario errors, bad options, an output path that exists or cannot
** be created) exits 2 before anything is written. Once the run's row exists, every ending is
** recorded on it: done, failed (with the error text) or interrupted (SIGINT/SIGTERM), and the
** exit status is 0 only for done.
**
** Models: "token" (agents/token_model.h) and "bittensor" (agents/bittensor/bt_model.h); the
** scenario's typed values are copied into the model's own configuration here, so agents never
** see the scenario module.
*/
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "plot.h"
#include "progress.h"
#include "scenario.h"
#include "sim.h"
#include "store.h"
#include "store_recorder.h"
#include "bt_model.h"
#include "token_model.h"
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
    const char *scenario;       /* path, or NULL for the built-in default */
    const char *out;            /* DB path, or NULL for the default */
    const char *plots;          /* plot directory, or NULL for the default */
    const char *sets[MAX_SETS]; /* --set overrides, in order */
    size_t nsets;               /* how many */
    char seed_set[64];          /* "seed=N" when --seed was given */
    int force, quiet, no_plots; /* flags */
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

enum { OPT_PLOTS = 256, OPT_NO_PLOTS };

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
    return rc == 0 ? EXIT_OK : EXIT_USAGE;
}

static void to_model_config(const scn_scenario *sc, token_model_config *c)
{
    memset(c, 0, sizeof *c);
    c->seed = sc->seed;
    c->block_seconds = sc->time.block_seconds;
    c->blocks = sc->time.blocks;
    c->schedule = sc->emission.schedule == SCN_SCHEDULE_BITCOIN ? TOKEN_SCHEDULE_BITCOIN
                                                                : TOKEN_SCHEDULE_ISSUANCE;
    c->initial_reward = sc->emission.initial_reward;
    c->total_supply = sc->emission.total_supply;
    c->halving_interval = sc->emission.halving_interval;
    c->start_block = sc->emission.start_block;
    c->stakers = sc->stakers.count;
    c->compound = sc->stakers.compound;
    c->staker.mean_stake = sc->stakers.initial_stake;
    c->staker.spread = sc->stakers.stake_spread;
    c->staker.unstake_probability = sc->stakers.unstake_probability;
    c->staker.unstake_ppb = staker_fraction_ppb(sc->stakers.unstake_fraction);
    c->record_every = sc->record.every;
}

/* ---- model "bittensor": scenario -> bt_config (the snapshot arrays are converted too) ---- */

typedef struct bt_conv {
    bt_config cfg;           /* what bt_model_new reads */
    bt_subnet_config *subs;  /* cfg.subnets */
    bt_snapshot_init *snaps; /* one per subnet (used where the subnet has a snapshot) */
    bt_neuron_init *neurons; /* every snapshot neuron */
    bt_pair *pairs;          /* every snapshot weight and bond pair */
} bt_conv;

static void bt_conv_free(bt_conv *c)
{
    free(c->subs);
    free(c->snaps);
    free(c->neurons);
    free(c->pairs);
}

static void bt_subnet_from(const scn_bt_subnet *s, bt_subnet_config *d)
{
    d->tempo = s->tempo, d->max_uids = s->max_uids, d->max_validators = s->max_validators;
    d->kappa = s->kappa, d->bonds_moving_average = s->bonds_moving_average;
    d->bonds_penalty = s->bonds_penalty, d->yuma3 = s->yuma3, d->liquid_alpha = s->liquid_alpha;
    d->alpha_low = s->alpha_low, d->alpha_high = s->alpha_high;
    d->alpha_sigmoid_steepness = s->alpha_sigmoid_steepness;
    d->immunity_period = s->immunity_period, d->min_allowed_weights = s->min_allowed_weights;
    d->activity_cutoff_factor = s->activity_cutoff_factor;
    d->stake_threshold = s->stake_threshold, d->commit_reveal = s->commit_reveal;
    d->reveal_period = s->reveal_period, d->weights_rate_limit = s->weights_rate_limit;
    d->immune_owner_uids = s->immune_owner_uids, d->min_non_immune_uids = s->min_non_immune_uids;
    d->owner_cut_enabled = s->owner_cut_enabled, d->burn = s->burn;
    d->burn_half_life = s->burn_half_life, d->burn_increase_mult = s->burn_increase_mult;
    d->burn_min = s->burn_min, d->burn_max = s->burn_max;
    d->pool_tao = s->pool_tao, d->pool_alpha = s->pool_alpha;
    d->moving_price = s->moving_price, d->ema_price_halving_blocks = s->ema_price_halving_blocks;
    d->miners = s->miners, d->delegators = s->delegators;
}

static bt_pair *bt_pairs_from(const scn_snap_pair *p, size_t n, bt_pair *out)
{
    for (size_t i = 0; i < n; i++)
        out[i].uid = p[i].uid, out[i].value = p[i].value;
    return out;
}

/* The snapshots' neurons and pairs, in one array each. */
static int bt_snapshots_from(const scn_scenario *sc, bt_conv *c)
{
    size_t nn = 0, np = 0;
    for (uint32_t i = 0; i < sc->bt.nsubnets; i++) {
        const scn_snapshot *s = sc->bt.subnets[i].snapshot;
        for (size_t u = 0; s && u < s->n; u++)
            nn++, np += s->neurons[u].nweights + s->neurons[u].nbonds;
    }
    c->snaps = calloc(sc->bt.nsubnets, sizeof *c->snaps);
    c->neurons = calloc(nn ? nn : 1, sizeof *c->neurons);
    c->pairs = calloc(np ? np : 1, sizeof *c->pairs);
    if (!c->snaps || !c->neurons || !c->pairs)
        return -1;
    bt_neuron_init *ni = c->neurons;
    bt_pair *pp = c->pairs;
    for (uint32_t i = 0; i < sc->bt.nsubnets; i++) {
        const scn_snapshot *s = sc->bt.subnets[i].snapshot;
        if (!s)
            continue;
        bt_snapshot_init *d = &c->snaps[i];
        d->block = s->block, d->owner_uid = s->owner_uid;
        d->has_alpha_out = s->has_alpha_out, d->alpha_out = s->alpha_out;
        d->has_issuance = s->has_issuance, d->total_issuance = s->total_issuance;
        d->neurons = ni, d->n = s->n;
        for (size_t u = 0; u < s->n; u++, ni++) {
            const scn_snap_neuron *sn = &s->neurons[u];
            ni->hotkey = sn->hotkey, ni->role = (bt_snap_role)sn->role, ni->quality = sn->quality;
            ni->stake = sn->stake, ni->root_stake = sn->root_stake;
            ni->registered_at = sn->registered_at, ni->last_update = sn->last_update;
            ni->validator_permit = sn->validator_permit, ni->take = sn->take;
            ni->emission = sn->emission;
            ni->weights = bt_pairs_from(sn->weights, sn->nweights, pp), ni->nweights = sn->nweights;
            pp += sn->nweights;
            ni->bonds = bt_pairs_from(sn->bonds, sn->nbonds, pp), ni->nbonds = sn->nbonds;
            pp += sn->nbonds;
        }
        c->subs[i].snapshot = d;
    }
    return 0;
}

static int bt_config_from(const scn_scenario *sc, bt_conv *c)
{
    const scn_bittensor *b = &sc->bt;
    memset(c, 0, sizeof *c);
    bt_config *k = &c->cfg;
    k->seed = sc->seed, k->block_seconds = sc->time.block_seconds, k->blocks = sc->time.blocks;
    k->chain.total_supply = b->chain.total_supply,
    k->chain.block_emission = b->chain.block_emission;
    k->chain.tao_weight = b->chain.tao_weight,
    k->chain.subnet_owner_cut = b->chain.subnet_owner_cut;
    k->chain.max_epochs_per_block = b->chain.max_epochs_per_block;
    k->chain.share_variant = b->chain.share_variant;
    if (!(c->subs = calloc(b->nsubnets, sizeof *c->subs)))
        return -1;
    for (uint32_t i = 0; i < b->nsubnets; i++)
        bt_subnet_from(&b->subnets[i], &c->subs[i]);
    if (bt_snapshots_from(sc, c) != 0)
        return -1;
    k->nsubnets = b->nsubnets, k->subnets = c->subs;
    k->validators.honest = b->validators.honest, k->validators.lazy = b->validators.lazy;
    k->validators.noisy = b->validators.noisy, k->validators.noise = b->validators.noise;
    k->validators.noisy_noise = b->validators.noisy_noise,
    k->validators.stake = b->validators.stake;
    k->validators.stake_spread = b->validators.stake_spread;
    k->validators.root_stake = b->validators.root_stake;
    k->validators.take_min = b->validators.take_min,
    k->validators.take_max = b->validators.take_max;
    k->validators.tao = b->validators.tao;
    k->miners.quality = (bt_quality)b->miners.quality, k->miners.quality_a = b->miners.quality_a;
    k->miners.quality_b = b->miners.quality_b, k->miners.cost = b->miners.cost;
    k->miners.tao = b->miners.tao, k->miners.horizon_days = b->miners.horizon_days;
    k->miners.check_every = b->miners.check_every,
    k->miners.sell_fraction = b->miners.sell_fraction;
    k->miners.patience_days = b->miners.patience_days;
    k->miners.genesis_registered = b->miners.genesis_registered;
    k->delegators.stake = b->delegators.stake,
    k->delegators.stake_spread = b->delegators.stake_spread;
    k->delegators.decide_every = b->delegators.decide_every;
    k->delegators.move_delay = b->delegators.move_delay;
    k->delegators.switch_threshold = b->delegators.switch_threshold;
    k->delegators.noise = b->delegators.noise;
    k->root.stakers = b->root.stakers, k->root.stake = b->root.stake;
    k->root.stake_spread = b->root.stake_spread;
    k->owners.sell_fraction = b->owners.sell_fraction, k->owners.tao = b->owners.tao;
    k->record_every = sc->record.every, k->epochs_every = sc->record.epochs_every;
    return 0;
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
    int status;      /* STORE_RUN_DONE / FAILED / INTERRUPTED */
    char error[512]; /* failure text */
    uint64_t events; /* events processed */
    uint64_t supply; /* final supply, base units */
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

static void simulate_bt(const scn_scenario *sc, const run_opts *o, const recorder *rec,
                        run_result *r)
{
    bt_conv conv;
    sim *s = sim_new();
    progress *p = progress_new(stderr, sc->name, o->quiet ? PROGRESS_QUIET : PROGRESS_AUTO);
    bt_model *m = NULL;
    r->status = STORE_RUN_FAILED;
    if (bt_config_from(sc, &conv) != 0 || !s || !p) {
        snprintf(r->error, sizeof r->error, "out of memory");
    } else if (bt_model_new(&conv.cfg, s, rec, &m, r->error, sizeof r->error) == 0) {
        sim_set_progress(s, p, bt_model_genesis_block(m) + conv.cfg.blocks);
        sim_set_interrupt(s, &interrupted);
        int rc = run_loop(s, p, r);
        r->supply = bt_model_issuance(m);
        if (rc == SIM_DONE && bt_model_finish(m, r->error, sizeof r->error) == 0)
            r->status = STORE_RUN_DONE;
    }
    bt_model_free(m);
    bt_conv_free(&conv);
    progress_free(p);
    sim_free(s);
}

/* Builds the world and runs it; fills r. */
static void simulate(const scn_scenario *sc, const run_opts *o, const recorder *rec, run_result *r)
{
    if (sc->model == SCN_MODEL_BITTENSOR) {
        simulate_bt(sc, o, rec, r);
        return;
    }
    token_model_config cfg;
    to_model_config(sc, &cfg);
    sim *s = sim_new();
    progress *p = progress_new(stderr, sc->name, o->quiet ? PROGRESS_QUIET : PROGRESS_AUTO);
    token_model *m = NULL;
    r->status = STORE_RUN_FAILED;
    if (!s || !p) {
        snprintf(r->error, sizeof r->error, "out of memory");
    } else if (token_model_new(&cfg, s, rec, &m, r->error, sizeof r->error) == 0) {
        sim_set_progress(s, p, cfg.blocks);
        sim_set_interrupt(s, &interrupted);
        int rc = sim_run(s);
        progress_finish(p);
        r->events = sim_events(s);
        r->supply = token_model_supply(m);
        if (rc == SIM_INTERRUPTED)
            r->status = STORE_RUN_INTERRUPTED, snprintf(r->error, sizeof r->error, "interrupted");
        else if (rc != SIM_DONE && r->error[0] == '\0')
            snprintf(r->error, sizeof r->error, "event loop stopped with status %d", rc);
        else if (rc == SIM_DONE && token_model_finish(m, r->error, sizeof r->error) == 0)
            r->status = STORE_RUN_DONE;
    }
    token_model_free(m);
    progress_free(p);
    sim_free(s);
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
    if (store_run_end(st, run_id, r->status, r->status == STORE_RUN_DONE ? NULL : r->error, wall,
                      digest) != 0) {
        fprintf(stderr, "tokensim: %s: could not record the end of the run: %s\n", db,
                store_errmsg(st));
        return EXIT_FAILED;
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
    recorder rec = store_recorder_bind(&sr);
    run_result r = {0};
    double t0 = now_seconds();
    install_signals();
    simulate(sc, o, &rec, &r);
    append_store_error(st, &r);
    int code = report_end(st, sr.run_id, &r, now_seconds() - t0, db);
    if (store_finish(st) != 0) { /* indexes, WAL checkpoint: a single .db file remains */
        fprintf(stderr, "tokensim: %s\n", store_errmsg(st));
        code = EXIT_FAILED;
    }
    store_close(st);
    return code;
}

static void draw_plots(const run_opts *o, const char *db)
{
    char dir[4096];
    if (o->plots) {
        snprintf(dir, sizeof dir, "%s", o->plots);
    } else {
        size_t n = strlen(db);
        if (n > 3 && !strcmp(db + n - 3, ".db"))
            n -= 3;
        snprintf(dir, sizeof dir, "%.*s-plots", (int)n, db);
    }
    char err[1024];
    if (plot_run(db, dir, err, sizeof err) != 0)
        fprintf(stderr, "tokensim: plots skipped: %s\n", err);
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
    code = execute(&sc, &o, db);
    if (code == EXIT_OK) {
        printf("database: %s\n", db);
        if (!o.no_plots)
            draw_plots(&o, db);
    }
    scn_clear(&sc);
    return code;
}
