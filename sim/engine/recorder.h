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

/* One uid's row of one epoch (Bittensor Yuma outputs; the store's `epochs` table). The u16
** terms are the chain's stored quantised values (of 65535). */
typedef struct recorder_epoch_row {
    int64_t net;             /* netuid */
    int64_t block;           /* block of the epoch */
    int64_t uid;             /* uid */
    uint64_t stake;          /* stake the epoch used, base units (<= INT64_MAX) */
    int64_t consensus;       /* Consensus (u16) */
    int64_t incentive;       /* Incentive (u16) */
    int64_t dividends;       /* Dividends (u16) */
    int64_t validator_trust; /* ValidatorTrust (u16) */
    int permit;              /* new validator permit, 0 or 1 */
    uint64_t emission;       /* Emission, base units (<= INT64_MAX) */
} recorder_epoch_row;

typedef struct recorder_vt {
    int (*entity)(void *ctx, int64_t entity_id, const char *kind, const char *role,
                  const char *name, int64_t group_id); /* declare an entity once */
    int (*series_i64)(void *ctx, int64_t t, int64_t block, const char *metric, int64_t entity_id,
                      int64_t value); /* integer sample (amounts, counts) */
    int (*series_f64)(void *ctx, int64_t t, int64_t block, const char *metric, int64_t entity_id,
                      double value); /* real sample (rates, ratios): never money */
    int (*ledger)(void *ctx, int64_t seq, int64_t t, const char *kind, int64_t src, int64_t dst,
                  uint64_t amount, const char *reason);     /* one token movement */
    int (*epoch)(void *ctx, const recorder_epoch_row *row); /* one uid of one epoch; may be NULL
                                                              for models that never call it */
} recorder_vt;

typedef struct recorder {
    const recorder_vt *vt; /* the sink's functions */
    void *ctx;             /* the sink's state */
} recorder;

#endif
