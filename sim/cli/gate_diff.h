/*
** gate_diff.h: the comparison engine of `tokensim diff BASE.db NEW.db`.
**
** Runs are matched by (scenario_name, run_index) — the k-th run with that pair in BASE (by
** run_id) against the k-th in NEW — or given explicitly by id. For every matched pair the engine
** compares, in this order:
**   1. status and digest (runs.status, runs.digest);
**   2. every series point, keyed by (metric, entity_id, t): both sides are read through one
**      ordered cursor each (ORDER BY metric, entity_id, t: the series_by_metric index) and merged,
**      so memory stays flat in the size of the databases and time is linear in the rows read;
**   3. ledger totals per (kind, reason) as the pseudo-metrics "ledger:KIND:REASON" (one point
**      each: the sum of amounts), merged the same way.
** Each metric of each pair yields one gate_row (emitted when the metric's last point has been
** read; ledger totals are summed in two 32-bit halves and compared exactly even beyond
** INT64_MAX), each pair one gate_pair first, each run without a partner one gate_pair with one side
** missing. The caller formats them (cmd_diff.c). Values are compared exactly: two integers by
** their integer difference, otherwise as doubles. The tolerance of a metric comes from the
** gate_tolset (gate_tol.h).
**
** Bad input (missing file, not a database, corrupt pages, a schema this build does not read, an
** unknown run id) ends the comparison with GATE_EINPUT and a message naming the file.
*/
#ifndef TOKENSIM_GATE_DIFF_H
#define TOKENSIM_GATE_DIFF_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "gate_tol.h"

enum { GATE_OK = 0, GATE_EINPUT = -1, GATE_ENOMEM = -2, GATE_ESTOP = -3 };

/* One run of either database. */
typedef struct gate_run {
    int present;        /* 0: no run on this side */
    int64_t run_id;     /* runs.run_id */
    int64_t run_index;  /* runs.run_index */
    char scenario[128]; /* runs.scenario_name (truncated to fit) */
    char status[16];    /* runs.status */
    char digest[65];    /* runs.digest, "" when NULL */
} gate_run;

/* A pair of runs being compared (one side absent for an unmatched run). */
typedef struct gate_pair {
    gate_run base, now; /* the two runs */
    int status_changed; /* both present and status differs */
    int digest_changed; /* both present and digest differs */
} gate_pair;

/* The comparison of one metric of one pair. */
typedef struct gate_row {
    const gate_pair *pair; /* the pair it belongs to */
    const char *metric;    /* series metric or "ledger:KIND:REASON" */
    int is_ledger;         /* 1 for ledger totals */
    gate_tol tol;          /* the tolerance applied */
    int64_t points;        /* keys present on both sides */
    int64_t only_base;     /* keys present in BASE only */
    int64_t only_new;      /* keys present in NEW only */
    int64_t changed;       /* keys present on both sides whose value differs */
    int64_t beyond;        /* changed beyond tolerance, plus one-sided keys unless ignored */
    double max_abs;        /* largest |new - base| over common keys */
    double max_rel;        /* largest |new - base| / |base| (INFINITY when base is 0) */
    int has_first;         /* first_block is set */
    int64_t first_block;   /* smallest block among points beyond tolerance (or changed) */
} gate_row;

/* Receives the comparison as it streams. Return non-zero from a callback to stop (GATE_ESTOP). */
typedef struct gate_sink {
    void *ctx;                                  /* passed back */
    int (*pair)(void *ctx, const gate_pair *p); /* a pair starts (or an unmatched run) */
    int (*row)(void *ctx, const gate_row *r);   /* one metric of the current pair */
} gate_sink;

/* What to compare. */
typedef struct gate_diff_opts {
    const char *base_path;   /* BASE database */
    const char *new_path;    /* NEW database */
    const gate_tolset *tols; /* tolerances (NULL: exact) */
    int64_t base_run;        /* > 0: compare only this BASE run ... */
    int64_t new_run;         /* ... with this NEW run (both > 0 or both 0) */
} gate_diff_opts;

/* Totals of a comparison. */
typedef struct gate_diff_stats {
    int64_t base_runs, new_runs; /* runs in each database */
    int64_t pairs;               /* matched pairs compared */
    int64_t only_base, only_new; /* runs without partner */
    int64_t digests_changed;     /* pairs whose digest differs */
    int64_t status_changed;      /* pairs whose status differs */
    int64_t metrics;             /* metric rows compared (over all pairs) */
    int64_t metrics_changed;     /* rows with any change (changed or one-sided keys) */
    int64_t metrics_beyond;      /* rows with points beyond tolerance */
} gate_diff_stats;

/* Compares; calls sink for every pair and every metric row (all rows, changed or not). Returns
** GATE_OK, GATE_EINPUT / GATE_ENOMEM with the message in err, or GATE_ESTOP. */
int gate_diff_run(const gate_diff_opts *o, const gate_sink *sink, gate_diff_stats *stats, char *err,
                  size_t errlen);

/* Non-zero when the outcome should fail the gate: a metric beyond tolerance, a run without
** partner, or a status change; with strict also a changed digest. */
int gate_diff_failed(const gate_diff_stats *s, int strict);

/* Opens path read-only as a tokensim database: the file must exist, be SQLite, carry
** meta.schema_version 1..STORE_SCHEMA_VERSION and readable runs/series/ledger tables. Returns the
** handle, or NULL with "PATH: why" in err. Close it with sqlite3_close. */
sqlite3 *gate_db_open(const char *path, char *err, size_t errlen);

#endif
