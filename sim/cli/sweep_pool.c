/*
** sweep_pool.c: shard runs and the forked worker pool (sweep_pool.h).
**
** Parent loop: hand one run index to every idle worker, poll the busy ones, on a reply call
** done() (which merges the shard) and hand out the next index; on end of file the worker died:
** report its run as crashed and fork a replacement. Children close every descriptor of the
** other workers so that each sees end of file as soon as the parent closes its end, and leave
** with _exit (no atexit handlers, no second flush of the parent's stdio buffers).
** Cost per run: one fork-free message each way plus the run itself.
*/
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "store_recorder.h"
#include "sweep_pool.h"
#include "sweep_run.h"

static volatile sig_atomic_t stop_signal; /* SIGINT or SIGTERM caught by the sweep's process */

static void on_stop(int sig)
{
    stop_signal = sig;
}

void sweep_pool_catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop; /* no SA_RESTART: poll returns EINTR and the loop looks */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int sweep_pool_stopped(void)
{
    return (int)stop_signal;
}

const volatile sig_atomic_t *sweep_pool_stop_flag(void)
{
    return &stop_signal;
}

void sweep_shard_path(const sweep_job *j, uint64_t i, char *buf, size_t len)
{
    snprintf(buf, len, "%s.shard-%llu", j->out, (unsigned long long)i);
}

int sweep_load_run(const sweep_job *j, uint64_t i, scn_scenario *sc, char *err, size_t errlen)
{
    size_t n = 0, cap = j->nsets + j->d->nparams + 1;
    const char **sets = calloc(cap, sizeof *sets);
    char(*kv)[600] = calloc(j->d->nparams + 1, sizeof *kv);
    scn_errors *errs = scn_errors_new();
    int rc = -1;
    memset(sc, 0, sizeof *sc);
    if (!sets || !kv || !errs) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    for (size_t k = 0; k < j->nsets; k++)
        sets[n++] = j->sets[k];
    if (i != UINT64_MAX) {
        for (size_t k = 0; k < j->d->nparams; k++) {
            char v[512];
            sweep_design_value(j->d, i / j->d->reps, k, v, sizeof v);
            snprintf(kv[k], sizeof kv[k], "%s=%s", j->d->params[k].key, v);
            sets[n++] = kv[k];
        }
        snprintf(kv[j->d->nparams], sizeof kv[0], "seed=%llu",
                 (unsigned long long)sweep_design_seed(j->d, i));
        sets[n++] = kv[j->d->nparams]; /* last: the run's seed wins over any --set seed= */
    }
    rc = scn_load_file(j->scenario, sets, n, sc, errs) == 0 ? 0 : -1;
    if (rc != 0)
        snprintf(err, errlen, "%s",
                 scn_errors_count(errs) ? scn_errors_get(errs, 0) : "the scenario is invalid");
out:
    scn_errors_free(errs);
    free(kv);
    free(sets);
    return rc;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Simulates sc (NULL: the point did not load, `why` says why) as run i into st. */
static int record_run(const sweep_job *j, uint64_t i, store *st, const scn_scenario *sc,
                      const scn_scenario *base, const char *why)
{
    char pj[8192], error[1024] = "";
    if (sweep_design_params_json(j->d, i, pj, sizeof pj) != 0)
        snprintf(pj, sizeof pj, "{}");
    const scn_scenario *id = sc ? sc : base;
    store_run_info info = {id->name, id->text, sweep_design_seed(j->d, i), (uint32_t)i, pj};
    store_recorder sr = {st, 0};
    int rc = store_run_begin(st, &info, &sr.run_id);
    if (rc != 0)
        return rc;
    double t0 = now_seconds();
    int status = STORE_RUN_FAILED;
    if (sc) {
        recorder rec = store_recorder_bind(&sr);
        status = cli_simulate(sc, &rec, &stop_signal, error, sizeof error);
    } else {
        snprintf(error, sizeof error, "%s", why);
    }
    rc = store_run_end(st, sr.run_id, status, status == STORE_RUN_DONE ? NULL : error,
                       now_seconds() - t0, NULL);
    if (rc != 0 || status != STORE_RUN_DONE || !j->metric)
        return rc;
    double m;
    int64_t count;
    if (store_series_reduce(st, sr.run_id, j->metric, j->reduce, &m, &count) != 0)
        return 0; /* no samples: the point has no metric */
    char buf[64];
    snprintf(buf, sizeof buf, "%.17g", m);
    return store_meta_set(st, "sweep_metric", buf);
}

int sweep_run_shard(const sweep_job *j, uint64_t i, char *err, size_t errlen)
{
    char path[4200], why[1024];
    scn_scenario sc, base;
    int loaded = sweep_load_run(j, i, &sc, why, sizeof why) == 0, have_base = 0;
    if (!loaded && !(have_base = sweep_load_run(j, UINT64_MAX, &base, err, errlen) == 0))
        return -1;
    sweep_shard_path(j, i, path, sizeof path);
    store *st = NULL;
    int rc = store_open(path, STORE_FORCE, &st, err, errlen);
    if (rc == 0) {
        rc = record_run(j, i, st, loaded ? &sc : NULL, &base, why);
        if (rc == 0 && j->spec)
            rc = store_meta_set(st, "sweep_spec", j->spec); /* last: the shard is complete */
        if (rc != 0)
            snprintf(err, errlen, "%s", store_errmsg(st));
        if (rc == 0 && (rc = store_finish(st)) != 0)
            snprintf(err, errlen, "%s", store_errmsg(st));
        store_close(st);
    }
    if (loaded)
        scn_clear(&sc);
    if (have_base)
        scn_clear(&base);
    return rc == 0 ? 0 : -1;
}

/* ---- the pool ---- */

/* Reply of a worker: the run it finished and, when no shard could be written, why. */
typedef struct reply {
    uint64_t index; /* run index */
    int32_t ok;     /* 1: shard ready */
    char err[500];  /* why not */
} reply;

typedef struct worker {
    pid_t pid;      /* child process (0: none) */
    int fd;         /* parent's end of the socket pair (-1: none) */
    int busy;       /* a run is out */
    uint64_t index; /* that run */
} worker;

static void child_loop(const sweep_job *j, int fd)
{
    uint64_t i;
    while (recv(fd, &i, sizeof i, 0) == (ssize_t)sizeof i) {
        reply r;
        memset(&r, 0, sizeof r);
        r.index = i;
        r.ok = sweep_run_shard(j, i, r.err, sizeof r.err) == 0;
        if (send(fd, &r, sizeof r, MSG_NOSIGNAL) != (ssize_t)sizeof r)
            break;
    }
    _exit(0);
}

static int spawn(const sweep_job *j, worker *w, int nw, int k)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) != 0) {
        fprintf(stderr, "tokensim: socketpair: %s\n", strerror(errno));
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "tokensim: fork: %s\n", strerror(errno));
        close(sv[0]);
        close(sv[1]);
        return -1;
    }
    if (pid == 0) {
#ifdef __linux__
        /* a worker must not outlive a killed parent: --resume would race it for its shard */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() == 1)
            _exit(0);
#endif
        signal(SIGINT, SIG_IGN);  /* the parent decides what a Ctrl-C ends */
        signal(SIGTERM, SIG_DFL); /* and ends a worker with SIGTERM */
        for (int o = 0; o < nw; o++)
            if (o != k && w[o].fd >= 0)
                close(w[o].fd);
        close(sv[0]);
        child_loop(j, sv[1]);
    }
    close(sv[1]);
    w[k].pid = pid;
    w[k].fd = sv[0];
    w[k].busy = 0;
    return 0;
}

static void reap(worker *w, char *why, size_t len)
{
    int status = 0;
    close(w->fd);
    w->fd = -1;
    if (waitpid(w->pid, &status, 0) == w->pid && WIFSIGNALED(status))
        snprintf(why, len, "worker process %ld killed by signal %d", (long)w->pid,
                 WTERMSIG(status));
    else
        snprintf(why, len, "worker process %ld exited during the run", (long)w->pid);
    w->pid = 0;
    w->busy = 0;
}

typedef struct pool {
    const sweep_job *j; /* the job */
    worker *w;          /* workers */
    int nw;             /* how many */
    sweep_next_fn next; /* run source */
    void *nctx;         /* its context */
    int stop;           /* done() asked to stop, or no more runs */
} pool;

static int hand_out(pool *p, int k)
{
    uint64_t i;
    if (p->stop || stop_signal || !p->next(p->nctx, &i)) {
        p->stop = 1;
        return 0;
    }
    if (p->w[k].fd < 0 && spawn(p->j, p->w, p->nw, k) != 0)
        return -1;
    p->w[k].busy = 1;
    p->w[k].index = i;
    if (send(p->w[k].fd, &i, sizeof i, MSG_NOSIGNAL) != (ssize_t)sizeof i)
        return 0; /* the worker is gone: poll sees end of file and reports the run */
    return 0;
}

/* One reply or death of worker k. */
static int collect(pool *p, int k, sweep_done_fn done, void *dctx)
{
    reply r;
    char why[256];
    ssize_t n = recv(p->w[k].fd, &r, sizeof r, 0);
    int rc;
    if (n == (ssize_t)sizeof r && r.index == p->w[k].index) {
        p->w[k].busy = 0;
        rc = done(dctx, r.index, r.ok ? NULL : r.err);
    } else {
        uint64_t i = p->w[k].index;
        reap(&p->w[k], why, sizeof why);
        rc = done(dctx, i, why);
    }
    if (rc != 0)
        p->stop = 1;
    return rc;
}

static int serial(const sweep_job *j, sweep_next_fn next, void *nctx, sweep_done_fn done,
                  void *dctx)
{
    uint64_t i;
    char err[512];
    while (!stop_signal && next(nctx, &i)) {
        int rc = sweep_run_shard(j, i, err, sizeof err);
        if (stop_signal) /* the run stopped half-way: abandoned, as on a worker */
            break;
        if ((rc = done(dctx, i, rc == 0 ? NULL : err)) != 0)
            return rc;
    }
    return 0;
}

static int busy_count(const pool *p, struct pollfd *pf, int *map)
{
    int n = 0;
    for (int k = 0; k < p->nw; k++)
        if (p->w[k].busy) {
            pf[n].fd = p->w[k].fd;
            pf[n].events = POLLIN;
            pf[n].revents = 0;
            map[n++] = k;
        }
    return n;
}

int sweep_pool_run(const sweep_job *j, int jobs, sweep_next_fn next, void *nctx, sweep_done_fn done,
                   void *dctx)
{
    if (jobs <= 1)
        return serial(j, next, nctx, done, dctx);
    pool p = {j, calloc((size_t)jobs, sizeof(worker)), jobs, next, nctx, 0};
    struct pollfd *pf = calloc((size_t)jobs, sizeof *pf);
    int *map = calloc((size_t)jobs, sizeof *map), rc = 0, first = 0;
    if (!p.w || !pf || !map) {
        fprintf(stderr, "tokensim: out of memory\n");
        rc = -1;
    }
    for (int k = 0; p.w && k < jobs; k++)
        p.w[k].fd = -1;
    for (int k = 0; rc == 0 && k < jobs; k++)
        rc = hand_out(&p, k);
    int n;
    while (rc == 0 && !stop_signal && (n = busy_count(&p, pf, map)) > 0) {
        if (poll(pf, (nfds_t)n, -1) < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "tokensim: poll: %s\n", strerror(errno));
            rc = -1;
            break;
        }
        for (int q = 0; q < n && rc == 0; q++) {
            if (!pf[q].revents)
                continue;
            int r = collect(&p, map[q], done, dctx);
            first = first ? first : r;
            rc = hand_out(&p, map[q]);
        }
    }
    for (int k = 0; p.w && k < jobs; k++) {
        if (stop_signal && p.w[k].busy && p.w[k].pid > 0)
            kill(p.w[k].pid, SIGTERM); /* its run is abandoned: the caller drops the shard */
        if (p.w[k].fd >= 0)
            close(p.w[k].fd);
        if (p.w[k].pid > 0)
            waitpid(p.w[k].pid, NULL, 0);
    }
    free(p.w);
    free(pf);
    free(map);
    return first ? first : rc;
}
