/*
** cmd_check.c: `tokensim check DIR` — the regression gate over committed baselines.
**
** For every baseline file DIR/NAME.baseline (gate_base.h; in name order) it runs the
** baseline's scenario with its --set overrides and seed (the same model dispatch as `tokensim
** run`; in-process, or in worker processes with --jobs) into a scratch database, reads the
** key metrics (gate_keys.h) and compares them with the recorded values under their
** tolerances, and compares the run's digest.
**
** Decision: the key metrics decide. A key beyond tolerance, a key that lost its samples or a
** run that did not finish fails the check (exit 1). A changed digest with every key within
** tolerance is reported ("digest changed, keys within tolerance") and passes, because the
** digest also moves for changes nobody gates on (an extra metric, a reordered random draw with
** the same outcome); --strict makes it fail too. A malformed baseline, a scenario that does not
** load or a key without a recorded value is bad input (exit 2, FILE:LINE message), reported
** after the other baselines have been checked.
**
** --update reruns every baseline and rewrites it: seed, digest and key values (a baseline
** without keys gets the default choice of gate_keys.h); everything else in the file stays as it
** is. Scratch databases live in a private temporary directory (removed at the end) or in
** --keep DIR (kept, one NAME.db per baseline, ready for `tokensim diff`).
**
** --jobs N (default: online cores): the runs go to up to N forked workers, one process per
** baseline, each sending its run_out back over a pipe; the parent judges and prints the
** baselines strictly in name order as soon as every earlier one is in (and alone rewrites
** baselines), so stdout, stderr and the exit code do not depend on N or on finishing order.
** A worker only runs; everything it would print (a malformed baseline, a scenario that does
** not load) is found again and printed by the parent in order.
*/
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "gate_base.h"
#include "gate_cmd.h"
#include "gate_diff.h"
#include "gate_keys.h"
#include "scenario.h"
#include "store.h"
#include "store_recorder.h"
#include "sweep_run.h" /* cli_simulate */

static const char check_help[] =
    "usage: tokensim check DIR [options]\n"
    "\n"
    "Runs the scenario of every baseline file DIR/*.baseline (scenario path, --set overrides,\n"
    "seed, digest, key metrics with tolerances) and compares the fresh run with it. Key metrics\n"
    "decide; a changed digest with every key within tolerance is reported but passes (--strict\n"
    "makes it fail).\n"
    "\n"
    "options:\n"
    "  -u, --update       rerun and rewrite the baselines (seed, digest, key values; other lines\n"
    "                     are kept); a baseline without keys gets the default key metrics\n"
    "      --strict       a changed digest fails even when every key is within tolerance\n"
    "  -k, --keep DIR     keep the run databases as DIR/NAME.db (for `tokensim diff`)\n"
    "  -o, --only GLOB    only baselines whose file name matches GLOB (e.g. 'bittensor-*')\n"
    "  -a, --all          list unchanged keys too\n"
    "  -j, --jobs N       run up to N scenarios at once in worker processes (default: online\n"
    "                     cores); the report and exit code are the same for every N\n"
    "  -h, --help         this text\n"
    "\n"
    "exit codes: 0 every baseline holds, 1 something moved or a run failed,\n"
    "            2 bad usage or bad input (unreadable DIR, malformed baseline, bad scenario)\n"
    "\n"
    "examples:\n"
    "  tokensim check tests/regression\n"
    "  tokensim check tests/regression --update && git diff tests/regression\n"
    "  tokensim check tests/regression --only 'bittensor-*' --keep /tmp/new-dbs\n";

typedef struct check_opts {
    const char *dir;  /* baselines */
    const char *keep; /* --keep DIR or NULL */
    const char *only; /* --only GLOB or NULL */
    int update;       /* --update */
    int strict;       /* --strict */
    int all;          /* --all */
    long jobs;        /* --jobs (0: online cores) */
} check_opts;

/* Totals over all baselines. */
typedef struct check_tally {
    int total, ok, moved, failed, bad, updated; /* baselines by outcome */
} check_tally;

/* ---- options ---- */

enum { OPT_STRICT = 256 };

static int parse_args(int argc, char **argv, check_opts *o, int *done)
{
    static const struct option longs[] = {
        {"update", no_argument, 0, 'u'},     {"strict", no_argument, 0, OPT_STRICT},
        {"keep", required_argument, 0, 'k'}, {"only", required_argument, 0, 'o'},
        {"all", no_argument, 0, 'a'},        {"jobs", required_argument, 0, 'j'},
        {"help", no_argument, 0, 'h'},       {0, 0, 0, 0}};
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":uk:o:ahj:", longs, NULL)) != -1) {
        if (c == 'j') {
            char *end;
            errno = 0;
            o->jobs = strtol(optarg, &end, 10);
            if (!*optarg || *end || errno || o->jobs < 1 || o->jobs > 1024)
                return cli_usage_error("check ", "--jobs: '%s' is not an integer in [1, 1024]",
                                       optarg);
        } else if (c == 'u')
            o->update = 1;
        else if (c == OPT_STRICT)
            o->strict = 1;
        else if (c == 'k')
            o->keep = optarg;
        else if (c == 'o')
            o->only = optarg;
        else if (c == 'a')
            o->all = 1;
        else if (c == 'h') {
            fputs(check_help, stdout);
            *done = 1;
            return EXIT_OK;
        } else if (c == ':')
            return cli_usage_error("check ", "option '%s' needs a value", argv[optind - 1]);
        else
            return cli_usage_error("check ", "unknown option '%s'", argv[optind - 1]);
    }
    if (argc - optind != 1)
        return cli_usage_error("check ", "expected exactly one DIR of *.baseline files");
    o->dir = argv[optind];
    return EXIT_OK;
}

/* ---- running one baseline's scenario ---- */

typedef struct run_out {
    int ran;          /* run_scenario was called (the baseline parsed and has its values) */
    int rc;           /* its return: 0, or -1 when the database failed */
    int loaded;       /* the scenario loaded */
    int status;       /* STORE_RUN_* */
    uint64_t seed;    /* effective seed */
    char digest[65];  /* the run's digest */
    int64_t run_id;   /* its row */
    char error[1024]; /* why not done */
} run_out;

/* Loads b's scenario; its messages go to stderr when print is non-zero. */
static int load(const gate_baseline *b, scn_scenario *sc, run_out *r, int print)
{
    const char *sets[260];
    size_t n = 0;
    char seed[64];
    for (size_t i = 0; i < b->nsets && n < 256; i++)
        sets[n++] = b->sets[i];
    if (b->has_seed) {
        snprintf(seed, sizeof seed, "seed=%llu", (unsigned long long)b->seed);
        sets[n++] = seed;
    }
    scn_errors *errs = scn_errors_new();
    if (!errs) {
        snprintf(r->error, sizeof r->error, "out of memory");
        return -1;
    }
    memset(sc, 0, sizeof *sc);
    int rc = scn_load_file(b->scenario_path, sets, n, sc, errs);
    for (size_t i = 0; print && i < scn_errors_count(errs); i++)
        fprintf(stderr, "%s\n", scn_errors_get(errs, i));
    if (rc != 0)
        snprintf(r->error, sizeof r->error, "%s: the scenario does not load (%s)", b->path,
                 scn_errors_count(errs) ? scn_errors_get(errs, 0) : "invalid");
    scn_errors_free(errs);
    return rc == 0 ? 0 : -1;
}

/* Runs b's scenario into a fresh database at db; fills r. 0, or -1 when the database failed. */
static int run_scenario(const gate_baseline *b, const char *db, run_out *r)
{
    memset(r, 0, sizeof *r);
    scn_scenario sc;
    if (load(b, &sc, r, 0) != 0)
        return 0;
    r->loaded = 1;
    r->seed = sc.seed;
    store *st = NULL;
    int rc = store_open(db, STORE_FORCE, &st, r->error, sizeof r->error);
    store_run_info info = {sc.name, sc.text, sc.seed, 0, sc.params_json};
    store_recorder sr = {st, 0};
    if (rc == 0 && (rc = store_run_begin(st, &info, &sr.run_id)) != 0)
        snprintf(r->error, sizeof r->error, "%.300s: %.600s", db, store_errmsg(st));
    if (rc == 0) {
        recorder rec = store_recorder_bind(&sr);
        r->status = cli_simulate(&sc, &rec, NULL, r->error, sizeof r->error);
        r->run_id = sr.run_id;
        rc = store_run_end_last(st, sr.run_id, r->status,
                                r->status == STORE_RUN_DONE ? NULL : r->error, 0.0, r->digest);
        if (rc != 0)
            snprintf(r->error, sizeof r->error, "%.300s: %.600s", db, store_errmsg(st));
        if (rc == 0 && (rc = store_finish(st)) != 0)
            snprintf(r->error, sizeof r->error, "%.300s: %.600s", db, store_errmsg(st));
    }
    store_close(st);
    scn_clear(&sc);
    if (rc != 0)
        r->status = STORE_RUN_FAILED;
    return rc == 0 ? 0 : -1;
}

/* ---- comparing ---- */

/* "+1 (+7.7e-14)": the signed change and relative change of a key. */
static void change_cell(const gate_value *b, const gate_value *n, char *buf, size_t len)
{
    if (!b->present || !n->present) {
        snprintf(buf, len, "%s", b->present ? "no samples now" : "new samples");
        return;
    }
    double d = n->f - b->f;
    char rel[32];
    if (b->f != 0)
        snprintf(rel, sizeof rel, "%+.3g", d / fabs(b->f));
    else
        snprintf(rel, sizeof rel, "%s", d != 0 ? "inf" : "0");
    if (b->is_int && n->is_int && ((b->i >= 0) == (n->i >= 0)))
        snprintf(buf, len, "%+" PRId64 " (%s)", n->i - b->i, rel);
    else
        snprintf(buf, len, "%+.6g (%s)", d, rel);
}

/* 0 same, 1 within tolerance, 2 beyond. */
static int judge(const gate_bkey *k, const gate_value *now)
{
    const gate_value *b = &k->value;
    if (!b->present || !now->present)
        return b->present == now->present ? 0 : k->tol.ignore ? 1 : 2;
    int same = b->is_int && now->is_int ? b->i == now->i : b->f == now->f;
    if (same)
        return 0;
    double d = fabs(now->f - b->f);
    if (b->is_int && now->is_int) {
        uint64_t u =
            b->i >= now->i ? (uint64_t)b->i - (uint64_t)now->i : (uint64_t)now->i - (uint64_t)b->i;
        d = (double)u;
    }
    return gate_tol_admits(&k->tol, b->f, d) ? 1 : 2;
}

static void key_row(const gate_bkey *k, const gate_value *now, int verdict, int *header)
{
    static const char *const words[] = {"same", "within tolerance", "MOVED"};
    char bv[64], nv[64], ch[96] = "0";
    if (!(*header)++)
        printf("  %-40s %22s %22s %26s  %s\n", "key", "baseline", "now", "change", "verdict");
    if (verdict)
        change_cell(&k->value, now, ch, sizeof ch);
    printf("  %-40s %22s %22s %26s  %s\n", k->name, gate_value_str(&k->value, bv, sizeof bv),
           gate_value_str(now, nv, sizeof nv), ch, words[verdict]);
}

/* Compares the keys of b with run r in db; prints the baseline's block; returns 0 ok, 1 moved. */
static int compare_keys(const check_opts *o, const gate_baseline *b, sqlite3 *db, const run_out *r,
                        const char *name)
{
    int beyond = 0, within = 0, header = 0;
    char err[512];
    for (size_t i = 0; i < b->nkeys; i++) {
        gate_value now;
        if (gate_key_eval(db, r->run_id, b->keys[i].name, &now, err, sizeof err) != 0)
            memset(&now, 0, sizeof now); /* unreadable counts as no samples */
        int v = judge(&b->keys[i], &now);
        beyond += v == 2;
        within += v == 1;
        if (v || o->all) {
            if (!header)
                printf("%s:\n", name);
            key_row(&b->keys[i], &now, v, &header);
        }
    }
    int digest_changed = b->has_digest && strcmp(b->digest, r->digest) != 0;
    int moved = beyond > 0 || (o->strict && digest_changed);
    printf("%-8s %s: %zu keys, %d beyond tolerance, %d within; digest %s\n", moved ? "MOVED" : "ok",
           name, b->nkeys, beyond, within,
           !b->has_digest   ? "not recorded"
           : digest_changed ? (beyond ? "changed" : "changed (keys within tolerance)")
                            : "same");
    return moved;
}

/* ---- updating ---- */

static int add_key_cb(void *ctx, const char *key, const char *tol)
{
    return gate_base_add_key(ctx, key, tol) != 0;
}

static int update_baseline(gate_baseline *b, sqlite3 *db, const run_out *r, const char *name)
{
    char err[1024];
    if (b->nkeys == 0 && gate_keys_choose(db, r->run_id, add_key_cb, b, err, sizeof err) != 0) {
        fprintf(stderr, "tokensim: %s: %s\n", b->path, err);
        return -1;
    }
    int changed = 0;
    for (size_t i = 0; i < b->nkeys; i++) {
        gate_bkey *k = &b->keys[i];
        gate_value now;
        if (gate_key_eval(db, r->run_id, k->name, &now, err, sizeof err) != 0)
            memset(&now, 0, sizeof now);
        changed += !k->has_value || judge(k, &now) != 0;
        k->value = now;
        k->has_value = 1;
    }
    int digest_changed = !b->has_digest || strcmp(b->digest, r->digest) != 0;
    gate_base_set_run(b, r->seed, r->digest);
    if (gate_base_write(b, err, sizeof err) != 0) {
        fprintf(stderr, "tokensim: %s\n", err);
        return -1;
    }
    printf("updated  %s: %zu keys, %d values changed; digest %s\n", name, b->nkeys, changed,
           digest_changed ? "changed" : "same");
    return 0;
}

/* ---- one baseline ---- */

static void db_paths(const check_opts *o, const char *tmpdir, const char *file, char *db,
                     size_t len)
{
    size_t n = strlen(file) - strlen(".baseline");
    snprintf(db, len, "%s/%.*s.db", o->keep ? o->keep : tmpdir, (int)n, file);
}

static void remove_db(const char *db)
{
    static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};
    char p[4200];
    for (size_t i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s%s", db, sfx[i]);
        remove(p);
    }
}

/* A key without a value cannot be checked: bad input, named by its line. */
static int missing_values(const gate_baseline *b)
{
    for (size_t i = 0; i < b->nkeys; i++)
        if (!b->keys[i].has_value) {
            fprintf(stderr,
                    "%s:%ld: key %s has no recorded value (run `tokensim check DIR --update`)\n",
                    b->path, b->keys[i].line, b->keys[i].name);
            return 1;
        }
    return 0;
}

/* A key without a value, quietly (the worker's view of missing_values). */
static int lacks_values(const gate_baseline *b)
{
    for (size_t i = 0; i < b->nkeys; i++)
        if (!b->keys[i].has_value)
            return 1;
    return 0;
}

/* The worker's part of one baseline: parse it and run its scenario into its database, printing
** nothing. r->ran stays 0 when the baseline is malformed or lacks values (judged in order). */
static void run_one(const check_opts *o, const char *tmpdir, const char *file, run_out *r)
{
    char path[4200], db[4200], err[1024];
    gate_baseline b;
    memset(r, 0, sizeof *r);
    snprintf(path, sizeof path, "%s/%s", o->dir, file);
    if (gate_base_load(path, &b, err, sizeof err) != 0)
        return;
    if (o->update || !lacks_values(&b)) {
        db_paths(o, tmpdir, file, db, sizeof db);
        int rc = run_scenario(&b, db, r);
        r->ran = 1, r->rc = rc;
    }
    gate_base_clear(&b);
}

/* The parent's part, in name order: judge (or update) baseline `file` from its run r and
** print its block. */
static void check_one(const check_opts *o, const char *tmpdir, const char *file, const run_out *rr,
                      check_tally *t)
{
    char path[4200], db[4200], err[1024];
    snprintf(path, sizeof path, "%s/%s", o->dir, file);
    const char *name = file;
    gate_baseline b;
    t->total++;
    if (gate_base_load(path, &b, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        printf("%-8s %s: malformed baseline\n", "BAD", name);
        t->bad++;
        return;
    }
    if (!o->update && missing_values(&b)) {
        printf("%-8s %s: key without a recorded value\n", "BAD", name);
        t->bad++;
        gate_base_clear(&b);
        return;
    }
    db_paths(o, tmpdir, file, db, sizeof db);
    run_out r = *rr;
    int rc = r.rc;
    if (!r.ran) { /* the baseline changed under us since the worker read it */
        r.loaded = 1, rc = -1, r.status = STORE_RUN_FAILED;
        snprintf(r.error, sizeof r.error, "%.900s changed while it was being checked", path);
    }
    if (!r.loaded) {
        scn_scenario sc;
        if (load(&b, &sc, &r, 1) == 0) /* prints the scenario's messages, in order */
            scn_clear(&sc);
        fprintf(stderr, "tokensim: %s\n", r.error);
        printf("%-8s %s: the scenario does not load\n", "BAD", name);
        t->bad++;
    } else if (rc != 0 || r.status != STORE_RUN_DONE) {
        printf("%-8s %s: the run did not finish: %s\n", "FAILED", name, r.error);
        t->failed++;
    } else {
        sqlite3 *h = gate_db_open(db, err, sizeof err);
        if (!h) {
            printf("%-8s %s: %s\n", "FAILED", name, err);
            t->failed++;
        } else if (o->update) {
            if (update_baseline(&b, h, &r, name) == 0)
                t->updated++;
            else
                t->failed++;
        } else if (compare_keys(o, &b, h, &r, name)) {
            t->moved++;
        } else {
            t->ok++;
        }
        sqlite3_close(h);
    }
    if (!o->keep)
        remove_db(db);
    gate_base_clear(&b);
}

/* ---- the directory ---- */

static int is_baseline(const struct dirent *e)
{
    size_t n = strlen(e->d_name), s = strlen(".baseline");
    return n > s && !strcmp(e->d_name + n - s, ".baseline") && e->d_name[0] != '.';
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int scratch_dir(const check_opts *o, char *tmpdir, size_t len)
{
    if (o->keep) {
        if (mkdir(o->keep, 0777) != 0 && errno != EEXIST) {
            fprintf(stderr, "tokensim: %s: %s\n", o->keep, strerror(errno));
            return -1;
        }
        return 0;
    }
    const char *base = getenv("TMPDIR");
    snprintf(tmpdir, len, "%s/tokensim-check-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(tmpdir)) {
        fprintf(stderr, "tokensim: cannot create a temporary directory: %s\n", strerror(errno));
        return -1;
    }
    return 0;
}

static int summary(const check_opts *o, const check_tally *t)
{
    int code = t->bad ? EXIT_USAGE : (t->moved || t->failed) ? EXIT_FAILED : EXIT_OK;
    if (o->update)
        printf("\ncheck --update: %d baselines, %d updated, %d failed, %d bad (exit %d)\n",
               t->total, t->updated, t->failed, t->bad, code);
    else
        printf("\ncheck: %d baselines, %d ok, %d moved, %d failed, %d bad (exit %d)\n", t->total,
               t->ok, t->moved, t->failed, t->bad, code);
    if (!o->update && (t->moved || t->failed))
        printf("if the change is intended: tokensim check %s --update, then review and commit "
               "the diff of %s\n",
               o->dir, o->dir);
    return code;
}

/* ---- the worker pool ---- */

/* One selected baseline on its way through the pool. */
typedef struct check_item {
    const char *file; /* its file name in DIR */
    pid_t pid;        /* its worker (0: none) */
    int fd;           /* read end of the worker's pipe */
    int finished;     /* r is final */
    run_out r;        /* the run */
} check_item;

/* Starts item it: forks a worker that runs it and writes its run_out to a pipe (jobs > 1), or
** runs it here. Returns 0, or -1 when no worker could be started. */
static int start_item(const check_opts *o, const char *tmpdir, check_item *it, long jobs)
{
    int fds[2];
    if (jobs <= 1) {
        run_one(o, tmpdir, it->file, &it->r);
        it->finished = 1;
        return 0;
    }
    fflush(NULL); /* nothing buffered may be written twice */
    if (pipe(fds) != 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        run_out r;
        run_one(o, tmpdir, it->file, &r);
        const char *p = (const char *)&r;
        size_t left = sizeof r; /* at most ~1.2 KiB: below the pipe's buffer, never blocks */
        while (left > 0) {
            ssize_t w = write(fds[1], p, left);
            if (w <= 0)
                _exit(1);
            p += w, left -= (size_t)w;
        }
        _exit(0);
    }
    close(fds[1]);
    it->pid = pid, it->fd = fds[0];
    return 0;
}

/* A worker's run that never came back: a failed run saying why. */
static void lost_run(check_item *it, int st, int waited)
{
    memset(&it->r, 0, sizeof it->r);
    it->r.ran = it->r.loaded = 1, it->r.rc = -1, it->r.status = STORE_RUN_FAILED;
    if (!waited)
        snprintf(it->r.error, sizeof it->r.error, "its worker was lost");
    else if (WIFSIGNALED(st))
        snprintf(it->r.error, sizeof it->r.error, "its worker was killed by signal %d",
                 WTERMSIG(st));
    else
        snprintf(it->r.error, sizeof it->r.error, "its worker failed (status %d)",
                 WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

/* Reaps one worker and takes its run_out (a worker that died is a failed run). Returns how many
** running items finished: 1, or all of them when there is no child left to wait for. */
static int reap_one(check_item *items, int n)
{
    int st = 0, ended = 0;
    pid_t pid;
    while ((pid = waitpid(-1, &st, 0)) < 0 && errno == EINTR)
        ;
    for (int i = 0; i < n; i++) {
        check_item *it = &items[i];
        if (pid < 0 && it->pid != 0) { /* cannot happen unless someone reaped our children */
            close(it->fd);
            lost_run(it, 0, 0);
            it->pid = 0, it->finished = 1, ended++;
        }
        if (pid < 0 || it->pid != pid)
            continue;
        size_t got = 0;
        ssize_t k;
        while (got < sizeof it->r &&
               ((k = read(it->fd, (char *)&it->r + got, sizeof it->r - got)) > 0 ||
                (k < 0 && errno == EINTR)))
            got += k > 0 ? (size_t)k : 0;
        close(it->fd);
        if (got != sizeof it->r || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
            lost_run(it, st, 1);
        it->pid = 0, it->finished = 1, ended++;
    }
    return ended;
}

/* Every selected baseline of ents: at most `jobs` running, judged in name order. Returns 0, or
** -1 when workers could not be started (the baselines judged so far are printed). */
static int check_all(const check_opts *o, const char *tmpdir, struct dirent **ents, int n,
                     check_tally *t)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN), jobs = o->jobs ? o->jobs : (cores > 0 ? cores : 1);
    check_item *items = calloc((size_t)(n > 0 ? n : 1), sizeof *items);
    int m = 0, next = 0, shown = 0, running = 0, rc = 0;
    if (!items) {
        fprintf(stderr, "tokensim: out of memory\n");
        return -1;
    }
    for (int i = 0; i < n; i++)
        if (!o->only || fnmatch(o->only, ents[i]->d_name, 0) == 0)
            items[m++].file = ents[i]->d_name;
    while (shown < m) {
        while (rc == 0 && next < m && running < jobs) {
            if (start_item(o, tmpdir, &items[next], jobs) != 0) {
                fprintf(stderr, "tokensim: cannot start a worker: %s\n", strerror(errno));
                rc = -1;
                break;
            }
            running += items[next++].pid != 0;
        }
        if (running > 0)
            running -= reap_one(items, next);
        while (shown < next && items[shown].finished)
            check_one(o, tmpdir, items[shown].file, &items[shown].r, t), shown++;
        if (rc != 0 && running == 0)
            break;
    }
    free(items);
    return rc;
}

int cmd_check(int argc, char **argv)
{
    check_opts o;
    memset(&o, 0, sizeof o);
    int done = 0, code = parse_args(argc, argv, &o, &done);
    if (code != EXIT_OK || done)
        return code;
    if (!o.dir) /* parse_args sets it whenever it returns EXIT_OK; said for the analyzer */
        return EXIT_USAGE;
    struct dirent **ents = NULL;
    int n = scandir(o.dir, &ents, is_baseline, by_name);
    if (n < 0) {
        fprintf(stderr, "tokensim: %s: %s\n", o.dir, strerror(errno));
        return EXIT_USAGE;
    }
    check_tally t = {0, 0, 0, 0, 0, 0};
    char tmpdir[4096] = "";
    if (scratch_dir(&o, tmpdir, sizeof tmpdir) == 0) {
        if (check_all(&o, tmpdir, ents, n, &t) != 0)
            t.bad++;
        if (tmpdir[0])
            rmdir(tmpdir);
        if (t.total == 0) {
            fprintf(stderr, "tokensim: %s: no *.baseline files%s\n", o.dir,
                    o.only ? " match --only" : "");
            t.bad = 1;
        }
        code = summary(&o, &t);
    } else {
        code = EXIT_USAGE;
    }
    for (int i = 0; i < n; i++)
        free(ents[i]);
    free(ents);
    return code;
}
