/*
** store_sweep.h: the schema v2 tables of the metrics database: the retention study's table and
** the sweeps of `tokensim sweep`, plus a reader that reduces one metric's series of a run.
**
**   retention(run_id, setting, kappa, beta, xi, sigma, s_h, w_c, w_h_needed, evals)
**       One row per (setting, S_H, W_C) of a "retention" run: the smallest W_H on the grid
**       whose honest emission share E_H reaches S_H (NULL: none does), and the epochs spent.
**   sweeps(sweep_id, scenario_name, design, key, lo, hi, metric, reduce, target, tol, max_iter,
**          seed, status, result, message, started_at, finished_at)
**       One row per sweep; design is "bisect" (issue 9 adds "grid", "sample", ...); result is
**       the crossing found (NULL until done or when none was found); message says why not.
**   sweep_points(sweep_id, idx, run_id, value, metric, verdict)
**       One row per run of the sweep in the order run: the parameter value as passed to --set,
**       the reduced metric, and the verdict ("above", "below", "failed"); run_id links `runs`.
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

#endif
