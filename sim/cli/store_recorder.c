/*
** store_recorder.c: recorder -> store adapter (one line per call).
*/
#include "store_recorder.h"

static int rec_entity(void *ctx, int64_t id, const char *kind, const char *role, const char *name,
                      int64_t group)
{
    store_recorder *sr = ctx;
    return store_entity(sr->st, sr->run_id, id, kind, role, name, group);
}

static int rec_series_i64(void *ctx, int64_t t, int64_t block, const char *metric, int64_t id,
                          int64_t value)
{
    store_recorder *sr = ctx;
    return store_series_i64(sr->st, sr->run_id, t, block, metric, id, value);
}

static int rec_series_f64(void *ctx, int64_t t, int64_t block, const char *metric, int64_t id,
                          double value)
{
    store_recorder *sr = ctx;
    return store_series_f64(sr->st, sr->run_id, t, block, metric, id, value);
}

static int rec_ledger(void *ctx, int64_t seq, int64_t t, const char *kind, int64_t src, int64_t dst,
                      uint64_t amount, const char *reason)
{
    store_recorder *sr = ctx;
    return store_ledger(sr->st, sr->run_id, seq, t, kind, src, dst, amount, reason);
}

static int rec_epoch(void *ctx, const recorder_epoch_row *r)
{
    store_recorder *sr = ctx;
    store_epoch_row row = {r->net,       r->block,     r->uid,       r->stake,
                           r->consensus, r->incentive, r->dividends, r->validator_trust,
                           r->permit,    r->emission};
    return store_epoch(sr->st, sr->run_id, &row);
}

static const recorder_vt store_vt = {rec_entity, rec_series_i64, rec_series_f64, rec_ledger,
                                     rec_epoch};

recorder store_recorder_bind(store_recorder *sr)
{
    recorder r = {&store_vt, sr};
    return r;
}
