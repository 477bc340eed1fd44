/*
** sweep_run.h: the runner of `tokensim sweep`: one point of a sweep (the scenario with its base
** overrides plus the swept key = value) run in-process into the sweep's database, its metric
** reduced from the recorded series.
**
** Designs (cmd_sweep.c: bisection today; issue 9 adds grids, samples and replications) only
** produce points and read outcomes; the runner knows nothing about them. A point's run is a
** pure function of (scenario, overrides, seed): every run of a sweep uses the same seed
** (common random numbers, so the metric is a deterministic function of the swept value) and
** its position as run_index. A worker pool or MPI ranks (issue 9) can call sweep_run_point
** concurrently as long as each caller has its own store.
*/
#ifndef TOKENSIM_SWEEP_RUN_H
#define TOKENSIM_SWEEP_RUN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "recorder.h"
#include "scenario.h"
#include "store.h"
#include "store_sweep.h"

/* What every point of a sweep shares. */
typedef struct sweep_runner {
    const char *scenario;    /* scenario file path */
    const char *const *sets; /* base overrides "key=value" (the seed last), in order */
    size_t nsets;            /* how many */
    store *st;               /* the sweep's database */
    const char *metric;      /* metric to reduce */
    store_reduce reduce;     /* how */
} sweep_runner;

/* One point: the swept key and its value as --set text. */
typedef struct sweep_point {
    uint32_t index;  /* position in the sweep (the run's run_index) */
    const char *key; /* swept key */
    char value[64];  /* its value as text */
} sweep_point;

/* The outcome of one point. */
typedef struct sweep_outcome {
    int loaded;      /* 0: the scenario with this point's overrides is invalid (error says why) */
    int status;      /* STORE_RUN_DONE / FAILED / INTERRUPTED when loaded */
    int64_t run_id;  /* its row in `runs` (-1 when not loaded) */
    int has_metric;  /* the metric could be reduced */
    double metric;   /* the reduced metric */
    char error[512]; /* why not (scenario errors, run failure, no samples) */
} sweep_outcome;

/* Loads the scenario with r's overrides plus key=value (NULL key: none) into sc; messages go to
** err (first one) and, when print is non-zero, every one to stderr. Returns 0 or -1. */
int sweep_load(const sweep_runner *r, const char *key, const char *value, scn_scenario *sc,
               int print, char *err, size_t errlen);

/* Runs point p: loads, records a run in r->st (run_index = p->index), simulates, ends the run,
** reduces the metric. Returns 0 when the outcome is complete (whatever the run's status), or a
** negative STORE_E* code when the database failed (the message in out->error). */
int sweep_run_point(const sweep_runner *r, const sweep_point *p, sweep_outcome *out);

/* One quiet run of sc into rec through `tokensim run`'s model dispatch (cmd_run.c); returns a
** STORE_RUN_* status with the failure text in err. A non-zero *stop (a caught signal; stop may
** be NULL) ends the run at its next event as STORE_RUN_INTERRUPTED. */
int cli_simulate(const scn_scenario *sc, const recorder *rec, const volatile sig_atomic_t *stop,
                 char *err, size_t errlen);

#endif
