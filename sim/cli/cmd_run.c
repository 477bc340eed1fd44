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
** Models: "token" (agents/token_model.h), "bittensor" (agents/bittensor/bt_model.h) and the
** study models "collusion-toy" and "retention" (study_run.h), "bitgrit" and "numerai"
** (agents/bitgrit/bg_model.h), "aigen" (agents/aigen/ag_model.h) and "cflow"
** (agents/cflow/cf_model.h); the scenario's typed values are copied into the model's own
*configuration here, so agents never
** see the scenario module.
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
#include "plot.h"
#include "progress.h"
#include "scenario.h"
#include "sim.h"
#include "store.h"
#include "store_recorder.h"
#include "study_run.h"
#include "sweep_run.h"
#include "ag_model.h"
#include "bg_model.h"
#include "cf_model.h"
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

/* The attack agents' keys (scenarios/ATTACKS.md); field by field, same meaning. */
static void bt_attacks_from(const struct scn_bt_attacks *a, bt_attacks_config *d)
{
    d->netuid = a->netuid;
    d->cabal.on = a->cabal.on, d->cabal.stake_share = a->cabal.stake_share;
    d->cabal.validators = a->cabal.validators, d->cabal.miners = a->cabal.miners;
    d->cabal.quality = a->cabal.quality, d->cabal.own_weight = a->cabal.own_weight;
    d->cabal.start = a->cabal.start, d->cabal.stop = a->cabal.stop;
    d->copier.on = a->copier.on, d->copier.stake_share = a->copier.stake_share;
    d->copier.source = a->copier.source ? BT_COPY_VALIDATOR : BT_COPY_CONSENSUS;
    d->copier.target = a->copier.target, d->copier.lag = a->copier.lag;
    d->copier.start = a->copier.start, d->copier.stop = a->copier.stop;
    d->sybil.on = a->sybil.on;
    d->sybil.mode = a->sybil.mode ? BT_SYBIL_VALIDATORS : BT_SYBIL_MINERS;
    d->sybil.identities = a->sybil.identities, d->sybil.quality = a->sybil.quality;
    d->sybil.stake_share = a->sybil.stake_share, d->sybil.tao = a->sybil.tao;
    d->sybil.start = a->sybil.start, d->sybil.stop = a->sybil.stop;
    d->whale.on = a->whale.on, d->whale.stake = a->whale.stake;
    d->whale.target = a->whale.target, d->whale.delay = a->whale.delay;
    d->whale.start = a->whale.start, d->whale.stop = a->whale.stop;
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
    bt_attacks_from(&b->attacks, &k->attacks);
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

static void simulate_bt(const scn_scenario *sc, const run_opts *o, const recorder *rec,
                        run_result *r)
{
    bt_conv conv;
    sim *s = sim_new();
    progress *p = progress_new(stderr, sc->name, o->quiet ? PROGRESS_QUIET : PROGRESS_AUTO);
    bt_model *m = NULL;
    int built = -1;
    r->status = STORE_RUN_FAILED;
    if (bt_config_from(sc, &conv) != 0 || !s || !p) {
        snprintf(r->error, sizeof r->error, "out of memory");
    } else if ((built = bt_model_new(&conv.cfg, s, rec, &m, r->error, sizeof r->error)) == 0) {
        sim_set_progress(s, p, bt_model_genesis_block(m) + conv.cfg.blocks);
        sim_set_interrupt(s, &interrupted);
        int rc = run_loop(s, p, r);
        r->supply = bt_model_issuance(m);
        if (rc == SIM_DONE && bt_model_finish(m, r->error, sizeof r->error) == 0)
            r->status = STORE_RUN_DONE;
    }
    if (built == 2) /* bad input found while drawing the genesis: nothing was recorded yet */
        bad_input_error(o, r);
    bt_model_free(m);
    bt_conv_free(&conv);
    progress_free(p);
    sim_free(s);
}

/* ---- models "bitgrit" and "numerai": scenario -> bg_config (agents/bitgrit/bg_model.h) ---- */

static void bg_comp_from(const scn_bitgrit *b, bg_config *k)
{
    bg_comp_config *c = &k->comp;
    c->interval = b->competitions.interval, c->entry_days = b->competitions.entry_days;
    c->duration_days = b->competitions.duration_days, c->stake = b->competitions.stake;
    c->stake_spread = b->competitions.stake_spread, c->prize_usd = b->competitions.prize_usd;
    c->prize_spread = b->competitions.prize_spread, c->bonus = b->competitions.bonus;
    c->winners = b->competitions.winners, c->keep_ppb = bg_ppb(b->competitions.keep);
    c->forfeit_low_ppb = bg_ppb(b->competitions.forfeit_low);
    c->forfeit_inc_ppb = bg_ppb(b->competitions.forfeit_incomplete);
    c->reserve_ppb = bg_ppb(b->competitions.reserve_share);
    c->fee_ppb = bg_ppb(b->competitions.platform_fee);
    c->fixed_split = b->competitions.split == SCN_BG_SPLIT_FIXED;
    c->exponent_quarters = b->competitions.exponent_quarters;
    for (uint32_t i = 0; i < BG_MAX_WINNERS && i < SCN_BG_MAX_WINNERS; i++)
        c->fixed_weights[i] = b->competitions.fixed_split[i];
    c->score_noise = b->competitions.score_noise;
}

static void bg_people_from(const scn_bitgrit *b, bg_config *k)
{
    bg_sci_config *s = &k->sci;
    s->count = b->scientists.count, s->balance = b->scientists.balance;
    s->balance_spread = b->scientists.balance_spread, s->skill_sd = b->scientists.skill_sd;
    s->complete_min = b->scientists.complete_min, s->complete_max = b->scientists.complete_max;
    s->cost_usd = b->scientists.cost_usd, s->cost_spread = b->scientists.cost_spread;
    s->belief_noise = b->scientists.belief_noise, s->learning_rate = b->scientists.learning_rate;
    k->jobs.arrival_rate = b->jobs.arrival_rate, k->jobs.deposit_stakes = b->jobs.deposit_stakes;
    k->jobs.hire_rate = b->jobs.hire_rate, k->jobs.lock_days = b->jobs.lock_days;
    k->jobs.retain_ppb = bg_ppb(b->jobs.retain);
    k->comm.members = b->community.members;
    for (unsigned a = 0; a < BG_ACTIONS && a < SCN_BG_ACTIONS; a++)
        k->comm.reward[a] = b->community.reward[a], k->comm.rate[a] = b->community.rate[a];
    k->comm.farm_identities = b->community.farm_identities;
    k->comm.farm_rate = b->community.farm_rate, k->comm.farm_accept = b->community.farm_accept;
}

static void bg_numerai_from(const scn_bitgrit *b, bg_numerai_config *n)
{
    n->models = b->numerai.models, n->interval = b->numerai.interval;
    n->resolve_days = b->numerai.resolve_days, n->threshold = b->numerai.threshold;
    n->corr_num = (int64_t)llround(b->numerai.corr_multiplier * 1e6);
    n->mmc_num = (int64_t)llround(b->numerai.mmc_multiplier * 1e6);
    n->clip_ppb = bg_ppb(b->numerai.clip), n->stake = b->numerai.stake;
    n->stake_spread = b->numerai.stake_spread, n->stake_skill = b->numerai.stake_skill;
    n->mu_mean = b->numerai.mu_mean, n->mu_sd = b->numerai.mu_sd;
    n->corr_sd = b->numerai.corr_sd, n->mmc_sd = b->numerai.mmc_sd;
    n->era_sd = b->numerai.era_sd, n->mmc_k = b->numerai.mmc_k, n->valid = b->numerai.valid;
    n->compound = b->numerai.compound, n->treasury = b->numerai.treasury;
    n->burn_to_treasury = b->numerai.burn_to_treasury;
}

static void bg_config_from(const scn_scenario *sc, bg_config *k)
{
    const scn_bitgrit *b = &sc->bg;
    memset(k, 0, sizeof *k);
    k->seed = sc->seed, k->days = sc->time.blocks;
    k->mode = sc->model == SCN_MODEL_NUMERAI ? BG_MODE_NUMERAI : BG_MODE_COMPETITIONS;
    k->max_supply = b->supply.max_supply, k->minting = b->supply.treasury == SCN_BG_MINTING;
    k->community_allocation = b->supply.community_allocation;
    k->vesting_months = b->supply.vesting_months, k->market_float = b->supply.market_float;
    k->bgr_price_usd = b->supply.bgr_price_usd;
    bg_comp_from(b, k);
    bg_people_from(b, k);
    bg_numerai_from(b, &k->nm);
}

static void simulate_bg(const scn_scenario *sc, const run_opts *o, const recorder *rec,
                        run_result *r)
{
    bg_config cfg;
    bg_config_from(sc, &cfg);
    sim *s = sim_new();
    progress *p = progress_new(stderr, sc->name, o->quiet ? PROGRESS_QUIET : PROGRESS_AUTO);
    bg_model *m = NULL;
    r->status = STORE_RUN_FAILED;
    if (!s || !p) {
        snprintf(r->error, sizeof r->error, "out of memory");
    } else if (bg_model_new(&cfg, s, rec, &m, r->error, sizeof r->error) == 0) {
        sim_set_progress(s, p, cfg.days);
        sim_set_interrupt(s, &interrupted);
        int rc = run_loop(s, p, r);
        bg_totals t;
        bg_model_totals(m, &t);
        r->supply = t.supply;
        if (rc == SIM_DONE && bg_model_finish(m, r->error, sizeof r->error) == 0)
            r->status = STORE_RUN_DONE;
    }
    bg_model_free(m);
    progress_free(p);
    sim_free(s);
}

/* ---- model "aigen" (agents/aigen/ag_model.h): field by field, shares to ppb ---- */

static uint32_t ag_ppb(double d)
{
    return (uint32_t)llround(d * 1e9);
}

static void ag_config_from(const scn_scenario *sc, ag_config *k)
{
    const scn_aigen *a = &sc->aigen;
    memset(k, 0, sizeof *k);
    k->seed = sc->seed, k->epoch_seconds = sc->time.block_seconds, k->epochs = sc->time.blocks;
    k->record_every = sc->record.every;
    k->controllers = a->controllers, k->models = a->models, k->consumers = a->consumers;
    k->price = a->price, k->price_spread = a->price_spread, k->calls = a->calls;
    k->elasticity = a->elasticity, k->quality_weight = a->quality_weight;
    k->price_weight = a->price_weight, k->score_weight = a->score_weight;
    k->wallet = a->wallet, k->quality_a = a->quality_a, k->quality_b = a->quality_b;
    k->invest_step = a->invest_step, k->invest_cost = a->invest_cost;
    k->invest_horizon = a->invest_horizon, k->decay = a->decay;
    k->settle = (tsr_aigen_params){
        ag_ppb(a->k_plat), ag_ppb(a->k_dev), ag_ppb(a->k_val),
        ag_ppb(a->k_burn), ag_ppb(a->kappa), a->relative ? TSR_AIGEN_RELATIVE : TSR_AIGEN_ABSOLUTE,
        a->gamma,          a->slashing,      ag_ppb(a->epsilon),
        ag_ppb(a->slash)};
    k->unearned_treasury = a->unearned_treasury, k->audit = a->audit;
    k->reveal_delay = a->reveal_delay, k->honest = a->honest, k->lazy = a->lazy;
    k->copiers = a->copiers, k->coalition = a->coalition, k->stake = a->stake;
    k->stake_spread = a->stake_spread, k->noise = a->noise, k->lazy_score = a->lazy_score;
    k->coalition_share = a->coalition_share, k->coalition_controllers = a->coalition_controllers;
    k->coalition_deflate = a->coalition_deflate, k->compound = a->compound;
}

static void simulate_aigen(const scn_scenario *sc, const run_opts *o, const recorder *rec,
                           run_result *r)
{
    ag_config cfg;
    ag_config_from(sc, &cfg);
    sim *s = sim_new();
    progress *p = progress_new(stderr, sc->name, o->quiet ? PROGRESS_QUIET : PROGRESS_AUTO);
    ag_model *m = NULL;
    int built = -1;
    r->status = STORE_RUN_FAILED;
    if (!s || !p) {
        snprintf(r->error, sizeof r->error, "out of memory");
    } else if ((built = ag_model_new(&cfg, s, rec, &m, r->error, sizeof r->error)) == 0) {
        sim_set_progress(s, p, cfg.epochs);
        sim_set_interrupt(s, &interrupted);
        int rc = run_loop(s, p, r);
        r->supply = ag_model_supply(m);
        if (rc == SIM_DONE && ag_model_finish(m, r->error, sizeof r->error) == 0)
            r->status = STORE_RUN_DONE;
    }
    if (built == 2) /* a configuration the model refuses: bad input */
        bad_input_error(o, r);
    ag_model_free(m);
    progress_free(p);
    sim_free(s);
}

/* ---- model "cflow" (agents/cflow/cf_model.h): the seed graph is copied into the model's types */

typedef struct cf_conv {
    cf_config cfg;       /* what cf_model_new reads */
    cf_seed_node *nodes; /* cfg.nodes */
    cf_seed_link *links; /* cfg.links */
} cf_conv;

static int cf_config_from(const scn_scenario *sc, cf_conv *c)
{
    const scn_cflow *f = &sc->cflow;
    memset(c, 0, sizeof *c);
    cf_config *k = &c->cfg;
    k->seed = sc->seed, k->day_seconds = sc->time.block_seconds, k->days = sc->time.blocks;
    k->record_every = sc->record.every;
    k->mode = f->absolute ? TSR_CFLOW_ABSOLUTE : TSR_CFLOW_RELATIVE;
    k->max_parents = f->max_parents, k->max_ancestors = f->max_ancestors;
    k->graph_path = f->graph_path;
    c->nodes = calloc(f->nnodes ? f->nnodes : 1, sizeof *c->nodes);
    c->links = calloc(f->nlinks ? f->nlinks : 1, sizeof *c->links);
    if (!c->nodes || !c->links)
        return -1;
    for (uint32_t i = 0; i < f->nnodes; i++)
        c->nodes[i] = (cf_seed_node){f->nodes[i].name, (cf_type)f->nodes[i].type,
                                     f->nodes[i].members, f->nodes[i].line};
    for (uint32_t i = 0; i < f->nlinks; i++)
        c->links[i] = (cf_seed_link){f->links[i].child, f->links[i].parent, f->links[i].rate,
                                     f->links[i].line};
    k->nodes = c->nodes, k->nnodes = f->nnodes, k->links = c->links, k->nlinks = f->nlinks;
    k->foundations = f->foundations, k->datasets = f->datasets, k->contributors = f->contributors;
    for (int i = 0; i < 4; i++)
        k->rate[i] = (uint32_t)llround(f->rate[i] * 1e8);
    k->rate_spread = f->rate_spread, k->finetunes_per_day = f->finetunes_per_day;
    k->apps_per_day = f->apps_per_day, k->extra_parents = f->extra_parents;
    k->dataset_link = f->dataset_link, k->contributor_link = f->contributor_link;
    k->events_per_day = f->events_per_day, k->revenue = f->revenue;
    k->revenue_spread = f->revenue_spread, k->members_max = f->members_max;
    k->foundation_members = f->foundation_members, k->shapley = f->shapley;
    k->shapley_exponent = f->shapley_exponent, k->shapley_permutations = f->shapley_permutations;
    k->dilution_day = f->dilution_day, k->shell_rate = (uint32_t)llround(f->shell_rate * 1e8);
    k->fork_day = f->fork_day, k->fork_capture = f->fork_capture;
    return 0;
}

static void simulate_cflow(const scn_scenario *sc, const run_opts *o, const recorder *rec,
                           run_result *r)
{
    cf_conv conv;
    sim *s = sim_new();
    progress *p = progress_new(stderr, sc->name, o->quiet ? PROGRESS_QUIET : PROGRESS_AUTO);
    cf_model *m = NULL;
    int built = -1;
    r->status = STORE_RUN_FAILED;
    if (cf_config_from(sc, &conv) != 0 || !s || !p) {
        snprintf(r->error, sizeof r->error, "out of memory");
    } else if ((built = cf_model_new(&conv.cfg, s, rec, &m, r->error, sizeof r->error)) == 0) {
        sim_set_progress(s, p, conv.cfg.days);
        sim_set_interrupt(s, &interrupted);
        int rc = run_loop(s, p, r);
        cf_totals t;
        cf_model_totals(m, &t);
        r->supply = t.revenue;
        if (rc == SIM_DONE && cf_model_finish(m, r->error, sizeof r->error) == 0)
            r->status = STORE_RUN_DONE;
    }
    if (built == 2) /* the seed graph refused by the model: bad input */
        bad_input_error(o, r);
    cf_model_free(m);
    free(conv.nodes);
    free(conv.links);
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
    if (sc->model == SCN_MODEL_BITGRIT || sc->model == SCN_MODEL_NUMERAI) {
        simulate_bg(sc, o, rec, r);
        return;
    }
    if (sc->model == SCN_MODEL_AIGEN) {
        simulate_aigen(sc, o, rec, r);
        return;
    }
    if (sc->model == SCN_MODEL_CFLOW) {
        simulate_cflow(sc, o, rec, r);
        return;
    }
    if (study_is_model(sc)) { /* "collusion-toy", "retention": study_run.h */
        int rc = study_simulate(sc, rec, o->quiet ? NULL : stdout, &interrupted, r->error,
                                sizeof r->error);
        r->status = rc == 0                   ? STORE_RUN_DONE
                    : rc == STUDY_INTERRUPTED ? STORE_RUN_INTERRUPTED
                                              : STORE_RUN_FAILED;
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

/* One quiet in-process run for `tokensim sweep` (sweep_run.h). */
int cli_simulate(const scn_scenario *sc, const recorder *rec, char *err, size_t errlen)
{
    run_opts o;
    memset(&o, 0, sizeof o);
    o.quiet = 1;
    run_result r;
    memset(&r, 0, sizeof r);
    simulate(sc, &o, rec, &r);
    snprintf(err, errlen, "%s", r.error);
    return r.status;
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
