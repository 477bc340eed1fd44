/*
** recorder.h: the one narrow interface through which models and agents emit metrics.
**
** Models never see the store (DESIGN.md: agents -> engine -> reward; metrics leave through the
** engine's recorder). A recorder is a vtable plus a context pointer; the CLI binds it to the
** SQLite store, tests bind it to memory. Every call returns 0 on success; a non-zero return means
** the sink failed and the model must abort the run with that code.
**
** Time: `t` is simulated seconds since genesis, `block` the block (tick) the sample belongs to.
** Amounts are u64 base units (1 token = 1e9 units).
*/
#ifndef TOKENSIM_RECORDER_H
#define TOKENSIM_RECORDER_H

#include <stdint.h>

typedef struct recorder_vt {
    int (*entity)(void *ctx, int64_t entity_id, const char *kind, const char *role,
                  const char *name, int64_t group_id); /* declare an entity once */
    int (*series_i64)(void *ctx, int64_t t, int64_t block, const char *metric, int64_t entity_id,
                      int64_t value); /* integer sample (amounts, counts) */
    int (*series_f64)(void *ctx, int64_t t, int64_t block, const char *metric, int64_t entity_id,
                      double value); /* real sample (rates, ratios): never money */
    int (*ledger)(void *ctx, int64_t seq, int64_t t, const char *kind, int64_t src, int64_t dst,
                  uint64_t amount, const char *reason); /* one token movement */
} recorder_vt;

typedef struct recorder {
    const recorder_vt *vt; /* the sink's functions */
    void *ctx;             /* the sink's state */
} recorder;

#endif
