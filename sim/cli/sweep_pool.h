/*
** sweep_pool.h: executing the runs of a design: one run into its own shard database, and a
** bounded pool of forked worker processes that runs a list of them.
**
** A shard is a complete one-run metrics database "<out>.shard-<index>" written by a fresh store
** and closed (WAL checkpointed) before the parent is told, so the parent can merge it with
** store_sweep_merge and delete it; it also carries the run's reduced metric in meta
** ('sweep_metric'). Run i is a pure function of (scenario, base overrides, design, i): its
** overrides are the design's values of point i / reps and seed = sweep_design_seed(d, i).
** Workers are forked after the scenario and design are built (no threads); each holds one run
** at a time, so memory is flat in the number of runs. Messages travel over SOCK_SEQPACKET
** socket pairs (whole messages, no SIGPIPE); a worker that dies mid-run is reported as a crash
** of that run and replaced.
*/
#ifndef TOKENSIM_SWEEP_POOL_H
#define TOKENSIM_SWEEP_POOL_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "scenario.h"
#include "store_sweep.h"
#include "sweep_design.h"

/* What every run of a design shares. */
typedef struct sweep_job {
    const char *scenario;    /* scenario file path */
    const char *const *sets; /* base overrides "key=value" (no seed), in order */
    size_t nsets;            /* how many */
    const sweep_design *d;   /* the design */
    const char *metric;      /* metric reduced into the shard's meta, or NULL */
    store_reduce reduce;     /* how */
    const char *out;         /* the sweep's database path (shards are named after it) */
    const char *spec;        /* the sweep's spec: written last into each shard's meta
                                ('sweep_spec'), so --resume can trust a finished shard */
} sweep_job;

/* The shard path of run i into buf. */
void sweep_shard_path(const sweep_job *j, uint64_t i, char *buf, size_t len);

/* Loads the scenario with j's base overrides plus (when i is not UINT64_MAX) run i's overrides
** and seed into sc. Returns 0, or -1 with the first message in err. */
int sweep_load_run(const sweep_job *j, uint64_t i, scn_scenario *sc, char *err, size_t errlen);

/* Runs run i into its shard (replacing a leftover file). A run that fails (including a point
** whose overrides the scenario rejects) is a complete shard with status 'failed'. The shard's
** meta 'sweep_spec' (j->spec) is written last: a shard that has it is complete. Returns 0,
** or -1 when no shard could be written (message in err). */
int sweep_run_shard(const sweep_job *j, uint64_t i, char *err, size_t errlen);

/* Yields the next run to do: returns 1 with *i set, 0 when there is none left. */
typedef int (*sweep_next_fn)(void *ctx, uint64_t *i);

/* Told in the parent when run i ended: crash NULL means its shard is ready; otherwise no shard
** exists and crash says why. A non-zero return stops the pool (no new runs are handed out). */
typedef int (*sweep_done_fn)(void *ctx, uint64_t i, const char *crash);

/* SIGINT and SIGTERM stop the sweep of this process from now on: no run is handed out any more,
** runs in progress on workers are ended (their workers get SIGTERM) and a run in progress in this
** process (jobs <= 1) stops at its next event; neither is reported to done. Workers ignore
** SIGINT, which a terminal sends to the whole process group. sweep_pool_stopped() is the signal
** caught, or 0; sweep_pool_stop_flag() the flag itself, for runs in this process (cli_simulate). */
void sweep_pool_catch_signals(void);
int sweep_pool_stopped(void);
const volatile sig_atomic_t *sweep_pool_stop_flag(void);

/* Runs every run next yields: in this process when jobs <= 1, else on `jobs` forked workers.
** Returns 0, or the first non-zero return of done, or -1 when workers could not be started
** (message on stderr). */
int sweep_pool_run(const sweep_job *j, int jobs, sweep_next_fn next, void *nctx, sweep_done_fn done,
                   void *dctx);

#endif
