/*
** sweep_exec.c: the run-list sweep driver (sweep_exec.h).
**
** Order: open (or, with --resume, reopen, prune, and merge the finished shards a killed sweep
** left: meta 'sweep_spec' equal to this sweep's spec is a shard's last write) the database;
** record the sweep; share the
** runs not yet done over the pool (or MPI ranks); merge each shard as it arrives (pool) or all
** shards in index order after a barrier (MPI); walk the points once to count failures and feed
** the sensitivity estimators; end the sweep. The parent holds the design (8 bytes per parameter
** per point), one bit per run (what is done) and one run's merge at a time.
*/
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "sweep_exec.h"
#include "sweep_mpi.h"
#include "sweep_pool.h"
#include "sweep_sens.h"
#include "version.h"

typedef struct sweep_ctx {
    const sweep_exec_opts *o; /* options */
    sweep_job job;            /* what every run shares */
    scn_scenario base;        /* the scenario without the design's overrides */
    store *st;                /* the sweep's database (rank 0) */
    int64_t sweep_id;         /* its sweeps row */
    uint8_t *done;            /* one bit per run: already done (resume) */
    uint64_t cursor;          /* next index to consider */
    int rank, size;           /* MPI rank and world size (0, 1 without MPI) */
    uint64_t nmerged;         /* runs merged in this invocation */
    char spec[16384];         /* the sweep's full spec (design + base hash) */
} sweep_ctx;

static int is_done(const sweep_ctx *c, uint64_t i)
{
    return (c->done[i >> 3] >> (i & 7)) & 1;
}

static int next_run(void *ctx, uint64_t *i)
{
    sweep_ctx *c = ctx;
    for (; c->cursor < c->o->d->nruns; c->cursor++) {
        uint64_t k = c->cursor;
        if (!is_done(c, k) && k % (uint64_t)c->size == (uint64_t)c->rank) {
            *i = k;
            c->cursor++;
            return 1;
        }
    }
    return 0;
}

static void remove_shard(const sweep_ctx *c, uint64_t i)
{
    static const char *const side[] = {"", "-wal", "-shm", "-journal"};
    char p[4200], f[4300];
    sweep_shard_path(&c->job, i, p, sizeof p);
    for (size_t k = 0; k < 4; k++) {
        snprintf(f, sizeof f, "%s%s", p, side[k]);
        unlink(f);
    }
}

static void print_point(const sweep_ctx *c, uint64_t i, const char *status, int has, double m)
{
    char pj[8192], mv[40] = "-";
    sweep_design_params_json(c->o->d, i, pj, sizeof pj);
    if (has)
        snprintf(mv, sizeof mv, "%.10g", m);
    printf("%6llu  %-8s %-18s %s\n", (unsigned long long)i, status, mv, pj);
    fflush(stdout);
}

/* A run with no shard: record it failed from the base scenario's identity. */
static int record_crash(sweep_ctx *c, uint64_t i, const char *why)
{
    char pj[8192];
    sweep_design_params_json(c->o->d, i, pj, sizeof pj);
    store_run_info info = {c->base.name, c->base.text, sweep_design_seed(c->o->d, i), (uint32_t)i,
                           pj};
    int64_t run_id = -1;
    int rc = store_run_begin(c->st, &info, &run_id);
    if (rc == 0)
        rc = store_run_end(c->st, run_id, STORE_RUN_FAILED, why, 0.0, NULL);
    if (rc == 0)
        rc = store_sweep_point(c->st, c->sweep_id, (int64_t)i, run_id, pj, 0, 0.0, "failed");
    if (rc != 0) {
        fprintf(stderr, "tokensim: %s\n", store_errmsg(c->st));
        return EXIT_FAILED;
    }
    printf("%6llu  %-8s %-18s %s\n", (unsigned long long)i, "failed", "-", why);
    fflush(stdout);
    return 0;
}

/* Rank 0 / pool parent: merge run i's shard (or record its crash) and delete the shard. */
static int merge_one(void *ctx, uint64_t i, const char *crash)
{
    sweep_ctx *c = ctx;
    char path[4200];
    store_merged m;
    int rc;
    sweep_shard_path(&c->job, i, path, sizeof path);
    if (crash) {
        rc = record_crash(c, i, crash);
    } else if (access(path, R_OK) != 0) {
        rc = record_crash(c, i, "no shard was written for this run");
    } else if ((rc = store_sweep_merge(c->st, path, c->sweep_id, &m)) != 0) {
        fprintf(stderr, "tokensim: merging %s: %s\n", path, store_errmsg(c->st));
        rc = EXIT_FAILED;
    } else {
        print_point(c, i, m.status, m.has_metric, m.metric);
        if (strcmp(m.status, "done") != 0)
            fprintf(stderr, "tokensim: run %llu failed: %s\n", (unsigned long long)i, m.error);
    }
    remove_shard(c, i);
    c->done[i >> 3] |= (uint8_t)(1u << (i & 7));
    c->nmerged++;
    return rc;
}

/* MPI ranks keep their shards for rank 0; a run without a shard is found missing there. */
static int keep_shard(void *ctx, uint64_t i, const char *crash)
{
    (void)ctx;
    if (crash)
        fprintf(stderr, "tokensim: run %llu: %s\n", (unsigned long long)i, crash);
    return 0;
}

/* ---- opening the database ---- */

static int default_out(const char *name, char *buf, size_t len)
{
    if (mkdir("out", 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "tokensim: cannot create directory out/: %s\n", strerror(errno));
        return -1;
    }
    snprintf(buf, len, "out/%s-sweep.db", name);
    return 0;
}

static int mark_done(void *ctx, int64_t idx, const char *verdict, int has, double m)
{
    sweep_ctx *c = ctx;
    (void)has;
    (void)m;
    if (idx >= 0 && (uint64_t)idx < c->o->d->nruns && strcmp(verdict, "done") == 0)
        c->done[idx >> 3] |= (uint8_t)(1u << (idx & 7));
    return 0;
}

static int begin_sweep(sweep_ctx *c, const char *spec)
{
    char keys[4096] = "";
    size_t n = 0;
    const sweep_design *d = c->o->d;
    for (size_t j = 0; j < d->nparams && n < sizeof keys; j++)
        n += (size_t)snprintf(keys + n, sizeof keys - n, "%s%s", j ? "," : "", d->params[j].key);
    store_sweep_info info = {c->base.name,
                             sweep_kind_name(d->kind),
                             n ? keys : "-",
                             NULL,
                             NULL,
                             c->o->metric ? c->o->metric : "",
                             c->o->reduce,
                             0.0,
                             0.0,
                             (int64_t)d->nruns,
                             d->master_seed};
    if (store_sweep_begin(c->st, &info, &c->sweep_id) != 0 ||
        store_sweep_set_spec(c->st, c->sweep_id, spec) != 0) {
        fprintf(stderr, "tokensim: %s\n", store_errmsg(c->st));
        return EXIT_FAILED;
    }
    return EXIT_OK;
}

/* 1 when the shard at path is finished and belongs to this sweep as run i: its meta
** 'sweep_spec' (written last) is this spec, and its one run is done with index i and run i's
** seed. Anything else (a half-written file, another sweep's shard, garbage) is 0. */
static int shard_finished(const sweep_ctx *c, uint64_t i, const char *path)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *q = NULL;
    int ok = 0;
    if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(h,
                           "SELECT (SELECT value FROM meta WHERE key = 'sweep_spec'),"
                           " (SELECT count(*) FROM runs), run_index, seed, status FROM runs",
                           -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW) {
        const char *spec = (const char *)sqlite3_column_text(q, 0);
        const char *status = (const char *)sqlite3_column_text(q, 4);
        ok = spec && strcmp(spec, c->spec) == 0 && sqlite3_column_int64(q, 1) == 1 &&
             sqlite3_column_int64(q, 2) == (int64_t)i &&
             (uint64_t)sqlite3_column_int64(q, 3) == sweep_design_seed(c->o->d, i) && status &&
             strcmp(status, "done") == 0;
    }
    sqlite3_finalize(q);
    sqlite3_close(h);
    return ok;
}

/* --resume: run i is not done in the database; a finished shard of it left by a killed sweep
** (an MPI rank's shards wait for the final merge) is merged instead of rerun. Returns 1 merged,
** 0 not usable (the shard is deleted), -1 when the merge failed. */
static int adopt_shard(sweep_ctx *c, uint64_t i)
{
    char path[4200];
    store_merged m;
    sweep_shard_path(&c->job, i, path, sizeof path);
    int ok = access(path, R_OK) == 0 && shard_finished(c, i, path);
    if (ok && store_sweep_merge(c->st, path, c->sweep_id, &m) != 0) {
        fprintf(stderr, "tokensim: merging %s: %s\n", path, store_errmsg(c->st));
        return -1;
    }
    if (ok)
        c->done[i >> 3] |= (uint8_t)(1u << (i & 7));
    remove_shard(c, i);
    return ok;
}

/* Reopens the database for --resume: the newest sweep with this spec, pruned to its done runs. */
static int reopen(sweep_ctx *c, const char *db, const char *spec)
{
    char err[1024];
    if (store_open_existing(db, 0, &c->st, err, sizeof err) != 0) {
        fprintf(stderr, "tokensim: %s\n", err);
        return EXIT_USAGE;
    }
    int rc = store_sweep_find(c->st, spec, &c->sweep_id);
    if (rc == STORE_ENOTFOUND) {
        fprintf(stderr, "tokensim: %s holds no sweep with this design: starting one\n", db);
        return begin_sweep(c, spec);
    }
    int64_t kept = 0;
    if (rc == 0)
        rc = store_sweep_prune(c->st, c->sweep_id, &kept);
    if (rc == 0)
        rc = store_sweep_points_each(c->st, c->sweep_id, mark_done, c);
    if (rc != 0) {
        fprintf(stderr, "tokensim: %s\n", store_errmsg(c->st));
        return EXIT_FAILED;
    }
    uint64_t adopted = 0;
    for (uint64_t i = 0; i < c->o->d->nruns; i++) {
        int a = is_done(c, i) ? 0 : adopt_shard(c, i);
        if (a < 0)
            return EXIT_FAILED;
        adopted += (uint64_t)a;
    }
    printf("resuming sweep %lld: %lld of %llu runs already done", (long long)c->sweep_id,
           (long long)kept, (unsigned long long)c->o->d->nruns);
    if (adopted)
        printf(", %llu more from finished shards", (unsigned long long)adopted);
    printf("\n");
    return EXIT_OK;
}

/* A 64-bit hash of s (bytes taken little-endian 8 at a time through splitmix64's mixer, then
** the length): identity, not security. */
static uint64_t text_hash(uint64_t h, const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i += 8) {
        uint64_t w = 0;
        for (size_t k = 0; k < 8 && i + k < n; k++)
            w |= (uint64_t)(unsigned char)s[i + k] << (8 * k);
        h = sweep_mix64(h ^ w);
    }
    return sweep_mix64(h ^ (uint64_t)n);
}

/* The design's spec plus " base=HASH" of the base scenario's bytes and effective parameters
** (--set included): every run's digest depends on both, so --resume must not mix runs of a
** scenario edited, or overridden differently, since the interrupted sweep. */
static void full_spec(const sweep_ctx *c, char *spec, size_t len)
{
    sweep_design_spec(c->o->d, spec, len);
    uint64_t h = text_hash(text_hash(0, c->base.text), c->base.params_json);
    size_t n = strlen(spec);
    if (n < len)
        snprintf(spec + n, len - n, " base=%016llx", (unsigned long long)h);
}

static int open_db(sweep_ctx *c, const char *db)
{
    char err[1024];
    const char *spec = c->spec;
    if (c->o->resume && access(db, F_OK) == 0)
        return reopen(c, db, spec);
    if (store_open(db, c->o->force ? STORE_FORCE : 0, &c->st, err, sizeof err) != 0) {
        fprintf(stderr, "tokensim: %s\n", err);
        return EXIT_USAGE;
    }
    store_meta_set(c->st, "tokensim_version", TOKENSIM_VERSION);
    store_meta_set(c->st, "git_revision", TOKENSIM_GIT_REVISION);
    store_meta_set(c->st, "build_flags", TOKENSIM_BUILD_FLAGS);
    return begin_sweep(c, spec);
}

/* ---- the end: failures and sensitivity ---- */

/* Walks the points once: failures, per-point means over replicates, estimator blocks. */
typedef struct sens_walk {
    const sweep_design *d;              /* the design */
    uint64_t seen, failed;              /* points seen, not done */
    int64_t point;                      /* current design point (-1: none yet) */
    double sum;                         /* its metric sum over replicates */
    uint64_t cnt;                       /* replicates with a metric */
    uint64_t group;                     /* current block / trajectory */
    size_t gsize;                       /* points per group (k + 2 or k + 1; 0: no estimator) */
    double y[SWEEP_MAX_PARAMS + 2];     /* the group's point metrics */
    uint8_t have[SWEEP_MAX_PARAMS + 2]; /* which are known */
    sweep_sobol_acc sobol;              /* Saltelli sums */
    sweep_morris_acc morris;            /* Morris sums */
} sens_walk;

static void flush_group(sens_walk *w)
{
    for (size_t q = 0; q < w->gsize; q++)
        if (!w->have[q])
            goto clear; /* an incomplete block or trajectory carries no information */
    if (w->d->kind == SWEEP_SALTELLI)
        sweep_sobol_add(&w->sobol, w->y);
    else if (w->gsize)
        sweep_morris_add(&w->morris, &w->d->unit[w->group * w->gsize * w->d->nparams], w->y);
clear:
    memset(w->have, 0, sizeof w->have);
}

static void flush_point(sens_walk *w)
{
    if (w->point < 0 || !w->gsize)
        return;
    uint64_t g = (uint64_t)w->point / w->gsize;
    if (g != w->group) {
        flush_group(w);
        w->group = g;
    }
    if (w->cnt) {
        size_t q = (size_t)((uint64_t)w->point % w->gsize);
        w->y[q] = w->sum / (double)w->cnt;
        w->have[q] = 1;
    }
}

static int walk_point(void *ctx, int64_t idx, const char *verdict, int has, double m)
{
    sens_walk *w = ctx;
    int64_t p = idx / (int64_t)w->d->reps;
    w->seen++;
    if (strcmp(verdict, "done") != 0)
        w->failed++;
    if (p != w->point) {
        flush_point(w);
        w->point = p, w->sum = 0.0, w->cnt = 0;
    }
    if (has && strcmp(verdict, "done") == 0)
        w->sum += m, w->cnt++;
    return 0;
}

static int store_indices(sweep_ctx *c, sens_walk *w)
{
    const sweep_design *d = c->o->d;
    char metric[300];
    double s1[SWEEP_MAX_PARAMS], st[SWEEP_MAX_PARAMS];
    int sobol = d->kind == SWEEP_SALTELLI;
    snprintf(metric, sizeof metric, "%s:%s", c->o->metric, c->o->reduce);
    if (sobol && sweep_sobol_result(&w->sobol, s1, st) != 0) {
        printf("sensitivity: not enough complete blocks, or the metric does not vary\n");
        return 0;
    }
    printf("\nsensitivity of %s (%s, %llu %s):\n%-32s %12s %12s\n", metric,
           sobol ? "Sobol indices, Saltelli/Jansen" : "Morris elementary effects",
           (unsigned long long)(sobol ? w->sobol.n : w->morris.n[0]),
           sobol ? "blocks" : "trajectories", "parameter", sobol ? "S1" : "mu*",
           sobol ? "ST" : "sigma");
    for (size_t j = 0; j < d->nparams; j++) {
        store_sens_row r = {metric, d->params[j].key, sobol ? "sobol" : "morris", NAN, NAN};
        if (sobol)
            r.a = s1[j], r.b = st[j];
        else if (sweep_morris_result(&w->morris, j, &r.a, &r.b) != 0)
            continue;
        printf("%-32s %12.6g %12.6g\n", r.param, r.a, r.b);
        if (store_sensitivity(c->st, c->sweep_id, &r) != 0) {
            fprintf(stderr, "tokensim: %s\n", store_errmsg(c->st));
            return EXIT_FAILED;
        }
    }
    return 0;
}

static int finish(sweep_ctx *c)
{
    const sweep_design *d = c->o->d;
    sens_walk w;
    memset(&w, 0, sizeof w);
    w.d = d;
    w.point = -1;
    if (c->o->metric && d->kind == SWEEP_SALTELLI)
        w.gsize = d->nparams + 2;
    else if (c->o->metric && d->kind == SWEEP_MORRIS)
        w.gsize = d->nparams + 1;
    sweep_sobol_init(&w.sobol, d->nparams);
    sweep_morris_init(&w.morris, d->nparams);
    int rc = store_sweep_points_each(c->st, c->sweep_id, walk_point, &w);
    flush_point(&w);
    flush_group(&w);
    if (rc == 0 && w.gsize)
        rc = store_indices(c, &w);
    uint64_t bad = w.failed + (d->nruns - (w.seen < d->nruns ? w.seen : d->nruns));
    char msg[128];
    snprintf(msg, sizeof msg, "%llu of %llu runs failed", (unsigned long long)bad,
             (unsigned long long)d->nruns);
    if (rc == 0)
        rc = store_sweep_end(c->st, c->sweep_id, bad ? "failed" : "done", 0, 0.0, bad ? msg : NULL);
    if (rc != 0) {
        fprintf(stderr, "tokensim: %s\n", store_errmsg(c->st));
        return EXIT_FAILED;
    }
    printf("%llu runs, %llu failed\n", (unsigned long long)d->nruns, (unsigned long long)bad);
    return bad ? EXIT_FAILED : EXIT_OK;
}

/* A signal stopped the sweep: the runs merged so far stay, the shards of those handed out and
** not finished go, and the sweep is recorded interrupted; --resume runs the rest. */
static int interrupted(sweep_ctx *c)
{
    uint64_t n = c->o->d->nruns, kept = 0;
    for (uint64_t i = 0; i < n; i++)
        kept += (uint64_t)is_done(c, i);
    for (uint64_t i = 0; i < c->cursor && i < n; i++)
        if (!is_done(c, i))
            remove_shard(c, i);
    char msg[200];
    snprintf(msg, sizeof msg,
             "interrupted by signal %d after %llu of %llu runs; --resume runs the rest",
             sweep_pool_stopped(), (unsigned long long)kept, (unsigned long long)n);
    if (store_sweep_end(c->st, c->sweep_id, "interrupted", 0, 0.0, msg) != 0) {
        fprintf(stderr, "tokensim: %s\n", store_errmsg(c->st));
        return EXIT_FAILED;
    }
    fprintf(stderr, "tokensim: %s\n", msg);
    return EXIT_FAILED;
}

/* ---- driver ---- */

/* Rank 0: open the database, mark what is done; then everyone learns the outcome. */
static int prepare(sweep_ctx *c, const char *db)
{
    int32_t code = EXIT_OK;
    if (c->rank == 0)
        code = open_db(c, db);
    if (sweep_mpi_bcast(&code, sizeof code) != 0)
        return EXIT_FAILED;
    if (code == EXIT_OK && sweep_mpi_bcast(c->done, (size_t)((c->o->d->nruns + 7) / 8)) != 0)
        return EXIT_FAILED;
    return code;
}

static int run_all(sweep_ctx *c)
{
    if (c->size == 1) {
        int rc = sweep_pool_run(&c->job, c->o->jobs, next_run, c, merge_one, c);
        return rc < 0 ? EXIT_FAILED : rc;
    }
    int rc = sweep_pool_run(&c->job, 1, next_run, c, keep_shard, c);
    sweep_mpi_barrier();
    if (c->rank != 0)
        return rc;
    for (uint64_t i = 0; i < c->o->d->nruns && rc == 0; i++)
        if (!is_done(c, i))
            rc = merge_one(c, i, NULL);
    return rc;
}

int sweep_exec(const sweep_exec_opts *o)
{
    sweep_ctx c;
    memset(&c, 0, sizeof c);
    c.o = o;
    c.job = (sweep_job){o->scenario, o->sets,   o->nsets,
                        o->d,        o->metric, (store_reduce)store_reduce_parse(o->reduce),
                        NULL,        NULL};
    char err[1024], db[4096];
    int mpi = sweep_mpi_init(&c.rank, &c.size), code = EXIT_USAGE;
    if (mpi < 0) {
        fprintf(stderr, "tokensim: MPI_Init failed\n");
        return EXIT_FAILED;
    }
    if (sweep_load_run(&c.job, UINT64_MAX, &c.base, err, sizeof err) != 0) {
        fprintf(stderr, "tokensim: %s\n", err);
        goto out;
    }
    if (o->out)
        snprintf(db, sizeof db, "%s", o->out);
    else if (default_out(c.base.name, db, sizeof db) != 0)
        goto out;
    c.job.out = db;
    full_spec(&c, c.spec, sizeof c.spec);
    c.job.spec = c.spec;
    c.done = calloc((size_t)((o->d->nruns + 7) / 8), 1);
    if (!c.done) {
        fprintf(stderr, "tokensim: out of memory\n");
        code = EXIT_FAILED;
        goto out;
    }
    /* Caught before prepare() records the sweep as running: a signal in between used to kill the
    ** process and leave the sweep 'running' (under mpirun, mpirun's own handling applies). */
    if (!mpi)
        sweep_pool_catch_signals();
    if ((code = prepare(&c, db)) != EXIT_OK)
        goto out;
    if (c.rank == 0)
        printf("%s design: %llu points x %llu runs = %llu runs, %d %s\n%6s  %-8s %-18s %s\n",
               sweep_kind_name(o->d->kind), (unsigned long long)o->d->npoints,
               (unsigned long long)o->d->reps, (unsigned long long)o->d->nruns,
               mpi ? c.size : (o->jobs > 1 ? o->jobs : 1),
               mpi ? "MPI ranks" : (o->jobs > 1 ? "workers" : "process"), "idx", "status",
               o->metric ? o->metric : "metric", "params");
    code = run_all(&c);
    if (c.rank == 0 && code == 0)
        code = sweep_pool_stopped() ? interrupted(&c) : finish(&c);
    if (c.rank == 0) {
        if (store_finish(c.st) != 0) {
            fprintf(stderr, "tokensim: %s\n", store_errmsg(c.st));
            code = EXIT_FAILED;
        }
        printf("database: %s\n", db);
    }
out:
    store_close(c.st);
    free(c.done);
    if (c.base.name)
        scn_clear(&c.base);
    sweep_mpi_finalize();
    return code;
}
