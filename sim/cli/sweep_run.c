/*
** sweep_run.c: one point of a sweep, run in-process (sweep_run.h).
**
** Order per point: load and validate the scenario with the point's override (nothing is
** written when that fails), begin a run row, simulate through cmd_run.c's model dispatch, end
** the run (status, digest), reduce the metric from the run's series. Wall time is provenance
** only. Cost: one scenario load + one run + one indexed scan of the metric's samples.
*/
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "store_recorder.h"
#include "sweep_pool.h"
#include "sweep_run.h"

enum { SWEEP_MAX_SETS = 300 };

int sweep_load(const sweep_runner *r, const char *key, const char *value, scn_scenario *sc,
               int print, char *err, size_t errlen)
{
    const char *sets[SWEEP_MAX_SETS + 1];
    char kv[512];
    size_t n = 0;
    for (size_t i = 0; i < r->nsets && n < SWEEP_MAX_SETS; i++)
        sets[n++] = r->sets[i];
    if (key) {
        snprintf(kv, sizeof kv, "%s=%s", key, value);
        /* before the seed (the last base override) would not matter: keys differ */
        sets[n++] = kv;
    }
    scn_errors *errs = scn_errors_new();
    if (!errs) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    memset(sc, 0, sizeof *sc);
    int rc = scn_load_file(r->scenario, sets, n, sc, errs);
    for (size_t i = 0; print && i < scn_errors_count(errs); i++)
        fprintf(stderr, "%s\n", scn_errors_get(errs, i));
    if (rc != 0)
        snprintf(err, errlen, "%s",
                 scn_errors_count(errs) ? scn_errors_get(errs, 0)
                                        : "the scenario could not be loaded");
    scn_errors_free(errs);
    return rc == 0 ? 0 : -1;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int sweep_run_point(const sweep_runner *r, const sweep_point *p, sweep_outcome *out)
{
    memset(out, 0, sizeof *out);
    out->run_id = -1;
    scn_scenario sc;
    if (sweep_load(r, p->key, p->value, &sc, 0, out->error, sizeof out->error) != 0)
        return 0;
    out->loaded = 1;
    store_run_info info = {sc.name, sc.text, sc.seed, p->index, sc.params_json};
    store_recorder sr = {r->st, 0};
    int rc = store_run_begin(r->st, &info, &sr.run_id);
    if (rc != 0) {
        snprintf(out->error, sizeof out->error, "%s", store_errmsg(r->st));
        scn_clear(&sc);
        return rc;
    }
    out->run_id = sr.run_id;
    recorder rec = store_recorder_bind(&sr);
    double t0 = now_seconds();
    out->status = cli_simulate(&sc, &rec, sweep_pool_stop_flag(), out->error, sizeof out->error);
    scn_clear(&sc);
    char digest[65];
    rc = store_run_end(r->st, sr.run_id, out->status,
                       out->status == STORE_RUN_DONE ? NULL : out->error, now_seconds() - t0,
                       digest);
    if (rc != 0) {
        out->status = STORE_RUN_FAILED;
        snprintf(out->error, sizeof out->error, "%s", store_errmsg(r->st));
        return rc;
    }
    if (out->status != STORE_RUN_DONE)
        return 0;
    int64_t count = 0;
    rc = store_series_reduce(r->st, sr.run_id, r->metric, r->reduce, &out->metric, &count);
    if (rc == STORE_ENOTFOUND) {
        snprintf(out->error, sizeof out->error, "%s", store_errmsg(r->st));
        return 0;
    }
    if (rc != 0) {
        snprintf(out->error, sizeof out->error, "%s", store_errmsg(r->st));
        return rc;
    }
    out->has_metric = 1;
    return 0;
}
