/*
** sweep_exec.h: `tokensim sweep` for run-list designs (grid, zip, replications, LHS, Sobol,
** Saltelli, Morris): opens or resumes the sweep's database, shares the runs out over the worker
** pool or MPI ranks, merges their shards as they finish, then computes and prints sensitivity
** indices (Saltelli: Sobol S1/ST; Morris: mu* and sigma) for the chosen metric.
**
** Database rows: one `sweeps` row (design, keys, spec, seed, status), and per run a `runs` row
** (run_index = design index, params_json = {"key": value} of the keys the run set, the shared
** scenario_name, seed = sweep_design_seed) with its metric rows and a `sweep_points` row (idx,
** run_id, value = params_json, metric, verdict = the run's status); `sensitivity` rows at the
** end. sweeps.spec is the design's spec plus " base=HASH" (the base scenario's bytes and
** effective parameters), so --resume never mixes runs of two scenarios; on --resume, finished
** shards a killed sweep left (meta 'sweep_spec' equal to the spec) are merged, not rerun.
** Exit codes: 0 every run done, 1 some run failed (recorded, the sweep went on), 2 bad
** usage or input (nothing written).
*/
#ifndef TOKENSIM_SWEEP_EXEC_H
#define TOKENSIM_SWEEP_EXEC_H

#include <stddef.h>

#include "sweep_design.h"

/* Everything a design sweep needs (the design already built). */
typedef struct sweep_exec_opts {
    const char *scenario;    /* scenario file */
    const char *out;         /* database path (NULL: out/<name>-sweep.db) */
    const char *const *sets; /* base --set overrides (no seed) */
    size_t nsets;            /* how many */
    sweep_design *d;         /* the built design */
    const char *metric;      /* metric to reduce per run, or NULL */
    const char *reduce;      /* "last", "mean", "min", "max" */
    int jobs;                /* worker processes (<= 1: in this process) */
    int resume;              /* --resume */
    int force;               /* --force */
} sweep_exec_opts;

/* Runs the sweep; returns an exit code (EXIT_OK, EXIT_FAILED, EXIT_USAGE). */
int sweep_exec(const sweep_exec_opts *o);

#endif
