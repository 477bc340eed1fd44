/*
** store_sweep.h: the schema v2 tables of the metrics database: the retention study's table and
** the sweeps of `tokensim sweep`, plus a reader that reduces one metric's series of a run.
**
**   retention(run_id, setting, kappa, beta, xi, sigma, s_h, w_c, w_h_needed, evals)
**       One row per (setting, S_H, W_C) of a "retention" run: the smallest W_H on the grid
**       whose honest emission share E_H reaches S_H (NULL: none does), and the epochs spent.
**   retention_map(run_id, setting, s_h, w_c, w_h, e_h, margin)   (v4)
**       One row per grid point the search of a (setting, S_H, W_C) evaluated (every W_H with
**       retention.search = "scan", the probes of the bisection otherwise), in evaluation order:
**       the honest emission share E_H = xi D_H + (1 - xi) I_H there and margin = E_H - S_H
**       (spec mechanisms §6.4's retention map; retained where margin >= 0).
**   sweeps(sweep_id, scenario_name, design, key, lo, hi, metric, reduce, target, tol, max_iter,
**          seed, status, result, message, started_at, finished_at, spec)
**       One row per sweep; design is "bisect", or (v3) "mc", "grid", "zip", "lhs", "sobol",
**       "saltelli", "morris" with key = the swept keys comma-separated ("-" for none),
**       max_iter = the number of runs, metric "" when none, and spec = the design's canonical
**       description (--resume finds the sweep by it); result is the crossing found (bisect;
**       NULL until done or when none was found); message says why not (or how many failed).
**   sweep_points(sweep_id, idx, run_id, value, metric, verdict)
**       One row per run of the sweep in the order run: the parameter value as passed to --set
**       (designs: the run's params_json), the reduced metric, and the verdict ("above",
**       "below", "failed"; designs: the run's status); run_id links `runs`, idx = run_index.
**   sensitivity(sweep_id, metric, param, method, s1, st, mu_star, sigma)   (v3, below)
**
** Writers flush the store's metric buffers first (so rows stay in order and in committed
** transactions), then insert with their own statements. O(1) per row except the batch call.
*/
#ifndef TOKENSIM_STORE_SWEEP_H
#define TOKENSIM_STORE_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* One row of the retention table. */
typedef struct store_retention_row {
    int64_t setting;   /* index of the setting within the run */
    double kappa;      /* consensus majority */
    double beta;       /* bonds penalty */
    double xi;         /* validator emission ratio */
    double sigma;      /* weight noise sigma_W */
    double s_h;        /* honest stake share */
    double w_c;        /* cabal self-weight */
    int has_w_h;       /* 0: no W_H on the grid retains (stored NULL) */
    double w_h_needed; /* the honest utility needed */
    int64_t evals;     /* epochs run for this row */
} store_retention_row;

/* Inserts n retention rows of run_id in one transaction. */
int store_retention_rows(store *st, int64_t run_id, const store_retention_row *rows, size_t n);

/* One row of the retention map (margin is stored as e_h - s_h). */
typedef struct store_retention_point {
    int64_t setting; /* index of the setting within the run */
    double s_h;      /* honest stake share */
    double w_c;      /* cabal self-weight */
    double w_h;      /* honest utility of this point */
    double e_h;      /* honest emission share there */
} store_retention_point;

/* Inserts n retention-map rows of run_id in one transaction. */
int store_retention_map_rows(store *st, int64_t run_id, const store_retention_point *pts, size_t n);

/* A sweep's identity (copied). */
typedef struct store_sweep_info {
    const char *scenario_name; /* not NULL */
    const char *design;        /* "bisect" */
    const char *key;           /* the swept key */
    const char *lo, *hi;       /* its bracket as text, or NULL */
    const char *metric;        /* metric name */
    const char *reduce;        /* "last", "mean", "min", "max" */
    double target, tol;        /* crossing target and tolerance */
    int64_t max_iter;          /* iteration bound */
    uint64_t seed;             /* master seed (stored as int64 image) */
} store_sweep_info;

/* Inserts a sweep row with status 'running'; *sweep_id receives its id. */
int store_sweep_begin(store *st, const store_sweep_info *info, int64_t *sweep_id);

/* One point of a sweep (run_id < 0 stores NULL: the run never started). has_metric 0 stores a
** NULL metric. */
int store_sweep_point(store *st, int64_t sweep_id, int64_t idx, int64_t run_id, const char *value,
                      int has_metric, double metric, const char *verdict);

/* Ends a sweep: status "done"/"failed"/"interrupted", the result (has_result 0: NULL) and a
** message (NULL allowed). */
int store_sweep_end(store *st, int64_t sweep_id, const char *status, int has_result, double result,
                    const char *message);

/* How a series is reduced to one number. */
typedef enum {
    STORE_REDUCE_LAST,
    STORE_REDUCE_MEAN,
    STORE_REDUCE_MIN,
    STORE_REDUCE_MAX
} store_reduce;

/* Parses "last"/"mean"/"min"/"max"; -1 when it is none of them. */
int store_reduce_parse(const char *s);

/* Reduces run_id's samples of `metric` (every entity, in (t, block, entity_id) order; "last" is
** the latest sample, the highest entity at equal times) into *out; *count gets the number of
** samples. STORE_ENOTFOUND when there is none. Flushes the store's buffers first. */
int store_series_reduce(store *st, int64_t run_id, const char *metric, store_reduce how,
                        double *out, int64_t *count);

/* ---- schema v3: designs run by worker processes or MPI ranks, resume, sensitivity ---- */

/* Sets sweeps.spec of sweep_id: the design's description, compared by --resume. */
int store_sweep_set_spec(store *st, int64_t sweep_id, const char *spec);

/* What store_sweep_merge copied. */
typedef struct store_merged {
    int64_t run_id;    /* new id in st */
    int64_t run_index; /* the run's run_index (the sweep point's idx) */
    char status[16];   /* "done", "failed", ... */
    int has_metric;    /* the shard carried meta 'sweep_metric' */
    double metric;     /* its value */
    char digest[65];   /* the run's digest ("" when none) */
    char error[512];   /* the run's error text ("" when none) */
} store_merged;

/*
** Copies the single run of the shard database file `shard` (written and closed by another
** store) into st in one transaction: its runs row with a new run_id, and its rows of every
** table of st that has a run_id column (entities, series, ledger, epochs, retention, ...),
** remapped; then a sweep_points row of sweep_id (idx = run_index, value = params_json, metric =
** the shard's meta 'sweep_metric' when present, verdict = the run's status). Rows keep their
** order, so the copied run's digest is unchanged. The shard file is left in place.
*/
int store_sweep_merge(store *st, const char *shard, int64_t sweep_id, store_merged *out);

/* The newest sweep whose spec equals `spec` and design is not "bisect"; STORE_ENOTFOUND when
** there is none. */
int store_sweep_find(store *st, const char *spec, int64_t *sweep_id);

/*
** Prepares sweep_id for --resume: deletes every run of the sweep that is not 'done' (its rows
** in every run_id table and its sweep point), every run left 'running' by a killed writer, and
** the sweep's sensitivity rows; sets the sweep's status back to 'running'. *ndone gets the number
** of points kept.
*/
int store_sweep_prune(store *st, int64_t sweep_id, int64_t *ndone);

/* Called for each point of a sweep in idx order; a non-zero return stops the walk and is
** returned. verdict is the run's status text ("failed" also for a missing run). */
typedef int (*store_point_fn)(void *ctx, int64_t idx, const char *verdict, int has_metric,
                              double metric);

/* Walks the points of sweep_id in idx order (one row in memory at a time). */
int store_sweep_points_each(store *st, int64_t sweep_id, store_point_fn fn, void *ctx);

/*
** sensitivity(sweep_id, metric, param, method, s1, st, mu_star, sigma)
**     One row per (metric, parameter, method): method "sobol" fills s1 and st (first-order and
**     total indices), "morris" fills mu_star and sigma; the other columns are NULL.
*/
typedef struct store_sens_row {
    const char *metric; /* metric name (with its reduction, e.g. "price:last") */
    const char *param;  /* swept key */
    const char *method; /* "sobol" or "morris" */
    double a, b;        /* s1, st (sobol) or mu_star, sigma (morris); NAN stores NULL */
} store_sens_row;

/* Inserts one sensitivity row. */
int store_sensitivity(store *st, int64_t sweep_id, const store_sens_row *row);

#endif
