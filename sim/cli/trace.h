/*
** trace.h: yuma-trace/1 files (../shared/conformance/FORMAT.md §1) — a strict loader and a
** replay through the reward core's Yuma epoch (tsr_yuma.h).
**
** trace_load() reads and validates a whole trace before anything runs: unknown keys anywhere,
** wrong types, out-of-range integers, vectors that do not have n entries, uids >= n, decreasing
** blocks and duplicate weight uids are all rejected with ONE message of the form
** "FILE: PATH: problem" (PATH like "steps[3].ops[0].uid"; "FILE: line L: JSON syntax error: ..."
** for bad JSON). trace_replay() then applies every step's operations with exactly the FORMAT
** §1.5 semantics, runs the epoch on "epoch": true steps, stores the new bonds and permits, and
** hands each epoch's outputs to a callback. trace_print_epoch() writes the FORMAT §1.6 line.
**
** Depends on jansson (loading only) and the reward core. Replay cost per epoch is the epoch's
** (tsr_yuma.h) plus O(n + nnz) to rebuild the CSR inputs; buffers grow and are reused.
*/
#ifndef TOKENSIM_TRACE_H
#define TOKENSIM_TRACE_H

#include <stdint.h>
#include <stdio.h>

#include "tsr_yuma.h"

typedef struct trace_t trace_t;

/* One epoch's outputs, valid only during the callback. */
typedef struct trace_epoch {
    size_t step;             /* index of the step in "steps" */
    uint64_t block;          /* the step's block */
    size_t n;                /* number of uids */
    const tsr_yuma_out *out; /* every per-uid output and the new bonds rows */
} trace_epoch;

/* Returns 0 to go on, non-zero to stop the replay (trace_replay then returns that value). */
typedef int (*trace_epoch_fn)(void *ud, const trace_epoch *e);

/* Loads and validates `path`. On success *out is a new trace (trace_free it) and 0 is returned;
 * otherwise -1 with the single message in err (errlen bytes, NUL-terminated). */
int trace_load(const char *path, trace_t **out, char *err, size_t errlen);
/* The same from a buffer of len bytes; `name` stands for the file in messages. */
int trace_load_buffer(const char *buf, size_t len, const char *name, trace_t **out, char *err,
                      size_t errlen);
/* Frees t; NULL is a no-op. */
void trace_free(trace_t *t);

/* Number of uids, of steps, and the trace's name. */
size_t trace_n(const trace_t *t);
size_t trace_steps(const trace_t *t);
const char *trace_name(const trace_t *t);

/* Replays t from its initial state, calling fn (may be NULL) after every epoch step. Returns 0,
 * fn's non-zero value, or -1 with a message in err (out of memory, or a reward-core error). */
int trace_replay(const trace_t *t, trace_epoch_fn fn, void *ud, char *err, size_t errlen);

/* Writes e as one FORMAT §1.6 JSON object line (step, block, consensus, incentive, dividends,
 * validator_trust, validator_permit, emission, bonds). Returns 0 or -1 on a write error. */
int trace_print_epoch(FILE *f, const trace_epoch *e);

/* `tokensim epoch --trace FILE` (cmd_epoch.c). */
int cmd_epoch(int argc, char **argv);

#endif
