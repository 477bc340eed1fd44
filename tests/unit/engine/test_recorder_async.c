/*
 * check_recorder_async: the writer-thread recorder (sim/engine/recorder_async.h).
 *
 * A memory sink records every call it receives (strings copied, doubles as bit patterns, epoch
 * rows field by field) into buffers allocated up front, so the writer thread never allocates. The
 * reference is the same call sequence made directly on a second sink: the async recorder must
 * deliver exactly that sequence (same calls, arguments and order), over many chunks, with the
 * default sizes and with tiny chunks (every call a chunk boundary, calls larger than a chunk).
 * Errors: a sink failing at call k; allocation failures through the link-time malloc wrappers of
 * tests/helpers/oom_inject.c (atomic: the writer thread runs beside the armed producer). No test
 * depends on timing: the call at which the producer notices an error is fixed by the chunk sizes,
 * whatever the threads' speed.
 */
#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "bgthread.h"
#include "oom_inject.h"
#include "recorder_async.h"
#include "tdb.h"

/* ---- the memory sink ------------------------------------------------------------------------ */

enum { K_ENTITY = 1, K_I64, K_F64, K_LEDGER, K_EPOCH };

#define NO_STRING SIZE_MAX /* offset standing for a NULL string */

typedef struct call {
    int kind;               /* K_* */
    int64_t a, b, c, d;     /* the integer arguments in signature order */
    uint64_t u;             /* amount, value bits of a double */
    size_t s[3];            /* arena offsets of the strings, NO_STRING for NULL */
    recorder_epoch_row row; /* K_EPOCH: the row, copied field by field */
} call;

typedef struct sink {
    call *calls;       /* what was received, in order */
    size_t n, cap;     /* received, capacity */
    char *arena;       /* string bytes */
    size_t used, acap; /* arena bytes used, capacity */
    size_t fail_at;    /* 1-based call that fails; 0: never */
    int fail_code;     /* what it returns */
    int overflow;      /* capacity exceeded (a test defect, asserted absent) */
} sink;

static void sink_init(sink *s, size_t cap, size_t acap)
{
    memset(s, 0, sizeof *s);
    s->calls = calloc(cap, sizeof *s->calls);
    s->arena = malloc(acap);
    ck_assert_ptr_nonnull(s->calls);
    ck_assert_ptr_nonnull(s->arena);
    s->cap = cap, s->acap = acap;
}

static void sink_clear(sink *s)
{
    free(s->calls);
    free(s->arena);
}

static size_t keep(sink *s, const char *str)
{
    if (!str)
        return NO_STRING;
    size_t n = strlen(str) + 1;
    if (s->acap - s->used < n) {
        s->overflow = 1;
        return NO_STRING;
    }
    memcpy(s->arena + s->used, str, n);
    s->used += n;
    return s->used - n;
}

/* The next call slot (NULL on overflow) and the return value for it. */
static call *next(sink *s, int kind, int *rc)
{
    *rc = 0;
    if (s->n == s->cap) {
        s->overflow = 1;
        return NULL;
    }
    call *c = &s->calls[s->n++];
    memset(c, 0, sizeof *c);
    c->kind = kind;
    c->s[0] = c->s[1] = c->s[2] = NO_STRING;
    if (s->fail_at != 0 && s->n == s->fail_at)
        *rc = s->fail_code;
    return c;
}

static int m_entity(void *ctx, int64_t id, const char *kind, const char *role, const char *name,
                    int64_t group)
{
    int rc;
    call *c = next(ctx, K_ENTITY, &rc);
    if (c) {
        c->a = id, c->b = group;
        c->s[0] = keep(ctx, kind), c->s[1] = keep(ctx, role), c->s[2] = keep(ctx, name);
    }
    return rc;
}

static int m_i64(void *ctx, int64_t t, int64_t block, const char *metric, int64_t id, int64_t v)
{
    int rc;
    call *c = next(ctx, K_I64, &rc);
    if (c)
        c->a = t, c->b = block, c->c = id, c->d = v, c->s[0] = keep(ctx, metric);
    return rc;
}

static int m_f64(void *ctx, int64_t t, int64_t block, const char *metric, int64_t id, double v)
{
    int rc;
    call *c = next(ctx, K_F64, &rc);
    if (c) {
        c->a = t, c->b = block, c->c = id, c->s[0] = keep(ctx, metric);
        memcpy(&c->u, &v, sizeof v);
    }
    return rc;
}

static int m_ledger(void *ctx, int64_t seq, int64_t t, const char *kind, int64_t src, int64_t dst,
                    uint64_t amount, const char *reason)
{
    int rc;
    call *c = next(ctx, K_LEDGER, &rc);
    if (c) {
        c->a = seq, c->b = t, c->c = src, c->d = dst, c->u = amount;
        c->s[0] = keep(ctx, kind), c->s[1] = keep(ctx, reason);
    }
    return rc;
}

static int m_epoch(void *ctx, const recorder_epoch_row *r)
{
    int rc;
    call *c = next(ctx, K_EPOCH, &rc);
    if (c) {
        c->row.net = r->net, c->row.block = r->block, c->row.uid = r->uid;
        c->row.stake = r->stake, c->row.consensus = r->consensus;
        c->row.incentive = r->incentive, c->row.dividends = r->dividends;
        c->row.validator_trust = r->validator_trust, c->row.permit = r->permit;
        c->row.emission = r->emission;
    }
    return rc;
}

static const recorder_vt sink_vt = {m_entity, m_i64, m_f64, m_ledger, m_epoch};
static const recorder_vt sink_vt_no_epoch = {m_entity, m_i64, m_f64, m_ledger, NULL};

static recorder sink_rec(sink *s)
{
    recorder r = {&sink_vt, s};
    return r;
}

static int str_eq(const sink *x, size_t i, const sink *y, size_t j)
{
    if (i == NO_STRING || j == NO_STRING)
        return i == j;
    return strcmp(x->arena + i, y->arena + j) == 0;
}

static int row_eq(const recorder_epoch_row *p, const recorder_epoch_row *q)
{
    return p->net == q->net && p->block == q->block && p->uid == q->uid && p->stake == q->stake &&
           p->consensus == q->consensus && p->incentive == q->incentive &&
           p->dividends == q->dividends && p->validator_trust == q->validator_trust &&
           p->permit == q->permit && p->emission == q->emission;
}

/* Whether call i of x equals call i of y (doubles compared as bits). */
static int call_eq(const sink *x, const sink *y, size_t i)
{
    const call *p = &x->calls[i], *q = &y->calls[i];
    return p->kind == q->kind && p->a == q->a && p->b == q->b && p->c == q->c && p->d == q->d &&
           p->u == q->u && str_eq(x, p->s[0], y, q->s[0]) && str_eq(x, p->s[1], y, q->s[1]) &&
           str_eq(x, p->s[2], y, q->s[2]) && row_eq(&p->row, &q->row);
}

/* got's calls are exactly the first got->n calls of want. */
static void assert_prefix(const sink *got, const sink *want)
{
    ck_assert(!got->overflow && !want->overflow);
    ck_assert_uint_le(got->n, want->n);
    for (size_t i = 0; i < got->n; i++)
        ck_assert_msg(call_eq(got, want, i), "call %zu differs", i);
}

static void assert_same(const sink *got, const sink *want)
{
    ck_assert_uint_eq(got->n, want->n);
    assert_prefix(got, want);
}

/* ---- the call generator --------------------------------------------------------------------- */

static uint64_t mix(uint64_t *state) /* splitmix64 */
{
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

#define BIG_STRING 100000 /* longer than a default chunk (64 KiB) */

/* The generator's state and the caller's string buffers, reused by every call (as a model
** reuses its formatting buffers): a recorder that kept pointers instead of bytes would fail. */
typedef struct gen {
    uint64_t state;   /* splitmix64 */
    char *buf[3];     /* one buffer per string argument, BIG_STRING + 1 bytes each */
    size_t big_every; /* a BIG_STRING-long string once every this many strings (0: never) */
} gen;

static void gen_init(gen *g, uint64_t seed, size_t big_every)
{
    g->state = seed, g->big_every = big_every;
    for (int i = 0; i < 3; i++) {
        g->buf[i] = malloc(BIG_STRING + 1);
        ck_assert_ptr_nonnull(g->buf[i]);
    }
}

static void gen_clear(gen *g)
{
    for (int i = 0; i < 3; i++)
        free(g->buf[i]);
}

static int64_t gen_i64(gen *g)
{
    static const int64_t edge[] = {INT64_MIN, INT64_MIN + 1, -1, 0, 1, INT64_MAX - 1, INT64_MAX};
    uint64_t r = mix(&g->state);
    return r % 3 == 0 ? edge[(r >> 8) % 7] : (int64_t)mix(&g->state);
}

static uint64_t gen_u64(gen *g)
{
    static const uint64_t edge[] = {0, 1, UINT64_C(1) << 63, (uint64_t)INT64_MAX, UINT64_MAX};
    uint64_t r = mix(&g->state);
    return r % 3 == 0 ? edge[(r >> 8) % 5] : mix(&g->state);
}

/* Edge values (signed zeros, subnormals, extremes, infinities, NaNs) or any bit pattern. */
static double gen_f64(gen *g)
{
    static const double edge[] = {
        0.0,      -0.0, DBL_TRUE_MIN, -DBL_TRUE_MIN, DBL_MIN, -DBL_MIN, DBL_MAX,
        -DBL_MAX, 1.0,  INFINITY,     -INFINITY,     NAN,     -NAN,     0.1};
    uint64_t r = mix(&g->state), bits = mix(&g->state);
    if (r % 2 == 0)
        return edge[(r >> 8) % (sizeof edge / sizeof edge[0])];
    if (r % 3 == 0)
        bits &= UINT64_C(0x800FFFFFFFFFFFFF); /* a subnormal (or a signed zero) */
    double v;
    memcpy(&v, &bits, sizeof v);
    return v;
}

/* A string in buffer i (or NULL): empty, short, medium or, rarely, longer than a chunk. */
static const char *gen_str(gen *g, int i)
{
    uint64_t r = mix(&g->state);
    size_t len;
    if (r % 11 == 0)
        return NULL;
    if (g->big_every && (r >> 8) % g->big_every == 0)
        len = BIG_STRING;
    else if (r % 7 == 0)
        len = 0;
    else if (r % 5 == 0)
        len = 64 + (size_t)(r >> 20) % 400;
    else
        len = 1 + (size_t)(r >> 20) % 24;
    for (size_t k = 0; k < len; k++)
        g->buf[i][k] = (char)(' ' + (mix(&g->state) % 95));
    g->buf[i][len] = '\0';
    return g->buf[i];
}

/* One call of a random kind on r; its return value. */
static int gen_call(gen *g, const recorder *r)
{
    uint64_t kind = mix(&g->state) % 5;
    if (kind == 0) {
        int64_t id = gen_i64(g), group = gen_i64(g);
        const char *k = gen_str(g, 0), *role = gen_str(g, 1), *name = gen_str(g, 2);
        return r->vt->entity(r->ctx, id, k, role, name, group);
    }
    if (kind == 1 || kind == 2) {
        int64_t t = gen_i64(g), block = gen_i64(g), id = gen_i64(g);
        const char *metric = gen_str(g, 0);
        if (kind == 1)
            return r->vt->series_i64(r->ctx, t, block, metric, id, gen_i64(g));
        return r->vt->series_f64(r->ctx, t, block, metric, id, gen_f64(g));
    }
    if (kind == 3) {
        int64_t seq = gen_i64(g), t = gen_i64(g), src = gen_i64(g), dst = gen_i64(g);
        uint64_t amount = gen_u64(g);
        const char *k = gen_str(g, 0), *reason = gen_str(g, 1);
        return r->vt->ledger(r->ctx, seq, t, k, src, dst, amount, reason);
    }
    recorder_epoch_row row;
    memset(&row, 0xA5, sizeof row); /* padding garbage, as a caller's stack row may have */
    row.net = gen_i64(g), row.block = gen_i64(g), row.uid = gen_i64(g), row.stake = gen_u64(g);
    row.consensus = gen_i64(g), row.incentive = gen_i64(g), row.dividends = gen_i64(g);
    row.validator_trust = gen_i64(g), row.permit = (int)(mix(&g->state) % 3) - 1;
    row.emission = gen_u64(g);
    int rc = r->vt->epoch(r->ctx, &row);
    memset(&row, 0x5A, sizeof row); /* the caller reuses its row at once */
    return rc;
}

/* Makes `ncalls` generated calls on r; asserts each returns 0. */
static void drive(const recorder *r, uint64_t seed, size_t ncalls, size_t big_every)
{
    gen g;
    gen_init(&g, seed, big_every);
    for (size_t i = 0; i < ncalls; i++)
        ck_assert_int_eq(gen_call(&g, r), 0);
    gen_clear(&g);
}

/* ---- tests ---------------------------------------------------------------------------------- */

#define NCALLS 40000

/* The same sequence direct and through the async recorder with the given sizes (0: defaults). */
static void same_sequence(size_t chunk_bytes, size_t nchunks, size_t big_every)
{
    sink want, got;
    sink_init(&want, NCALLS, (size_t)64 << 20);
    sink_init(&got, NCALLS, (size_t)64 << 20);
    recorder direct = sink_rec(&want), down = sink_rec(&got);
    drive(&direct, 42, NCALLS, big_every);

    recorder_async *ra = NULL;
    int rc = chunk_bytes ? recorder_async_new_sized(&down, chunk_bytes, nchunks, &ra)
                         : recorder_async_new(&down, &ra);
    ck_assert_int_eq(rc, 0);
    recorder r = recorder_async_bind(ra);
    drive(&r, 42, NCALLS, big_every);
    ck_assert_int_eq(recorder_async_close(ra), 0);
    recorder_async_free(ra);
    assert_same(&got, &want);
    /* every kind was used, and the calls are more than the whole ring holds: it wrapped */
    int seen[6] = {0};
    for (size_t i = 0; i < want.n; i++)
        seen[want.calls[i].kind] = 1;
    ck_assert(seen[K_ENTITY] && seen[K_I64] && seen[K_F64] && seen[K_LEDGER] && seen[K_EPOCH]);
    size_t ring =
        chunk_bytes ? chunk_bytes * nchunks : RECORDER_ASYNC_NCHUNKS * RECORDER_ASYNC_CHUNK_BYTES;
    ck_assert_uint_gt(want.used, ring);
    sink_clear(&want);
    sink_clear(&got);
}

/* The default ring (16 MiB): a long string once every 300, so that the calls overfill it. */
START_TEST(sequence_default_sizes)
{
    same_sequence(0, 0, 300);
}
END_TEST

/* 256-byte chunks, 2 of them: most calls cross a boundary, the long strings are oversized. */
START_TEST(sequence_tiny_chunks)
{
    same_sequence(256, 2, 2000);
}
END_TEST

/* 1-byte chunks: every call is oversized and fills its own chunk. */
START_TEST(sequence_one_byte_chunks)
{
    same_sequence(1, 3, 0);
}
END_TEST

/* A sink of 16 calls and 1 KiB of strings in *got, and an async recorder with the default sizes
** writing to it (the downstream recorder is copied: nothing here needs to outlive the call). */
static recorder_async *small_async(sink *got)
{
    sink_init(got, 16, 1024);
    recorder down = sink_rec(got);
    recorder_async *ra = NULL;
    ck_assert_int_eq(recorder_async_new(&down, &ra), 0);
    return ra;
}

/* Strings, and the epoch row, the caller changes right after each call. */
START_TEST(caller_buffers_are_copied)
{
    sink got;
    recorder_async *ra = small_async(&got);
    recorder r = recorder_async_bind(ra);
    char metric[16], kind[16];
    snprintf(metric, sizeof metric, "alpha");
    ck_assert_int_eq(r.vt->series_i64(r.ctx, 1, 2, metric, 3, 4), 0);
    snprintf(metric, sizeof metric, "omega");
    ck_assert_int_eq(r.vt->series_f64(r.ctx, 5, 6, metric, 7, -0.0), 0);
    snprintf(kind, sizeof kind, "mint");
    snprintf(metric, sizeof metric, "why");
    ck_assert_int_eq(r.vt->ledger(r.ctx, 8, 9, kind, 10, 11, UINT64_MAX, metric), 0);
    recorder_epoch_row row = {1, 2, 3, 4, 5, 6, 7, 8, 1, 9};
    ck_assert_int_eq(r.vt->epoch(r.ctx, &row), 0);
    memset(metric, 'x', sizeof metric - 1);
    memset(kind, 'y', sizeof kind - 1);
    row.uid = 99;
    ck_assert_int_eq(recorder_async_close(ra), 0);
    recorder_async_free(ra);
    ck_assert_uint_eq(got.n, 4);
    ck_assert_str_eq(got.arena + got.calls[0].s[0], "alpha");
    ck_assert_str_eq(got.arena + got.calls[1].s[0], "omega");
    ck_assert_uint_eq(got.calls[1].u, UINT64_C(1) << 63); /* -0.0 kept its sign bit */
    ck_assert_str_eq(got.arena + got.calls[2].s[0], "mint");
    ck_assert_str_eq(got.arena + got.calls[2].s[1], "why");
    ck_assert_uint_eq(got.calls[2].u, UINT64_MAX);
    ck_assert_int_eq(got.calls[3].row.uid, 3);
    ck_assert_uint_eq(got.calls[3].row.emission, 9);
    sink_clear(&got);
}
END_TEST

/* Fixed-size calls (series_i64, metric "m": 1 + 4 * 8 + 8 + 2 bytes) so that a chunk holds a
** known number of them. */
#define FIXED_CALL 43

/* A sink failing at call k (1-based, in chunk c = (k - 1) / per_chunk): the producer notices it
** exactly at the call that hands over chunk c + nchunks - 1, i.e. call (c + nchunks) * per_chunk
** + 1, however fast the writer is; every call from then on returns the code, flush and close
** return it, the sink saw exactly k calls. */
static void fail_at(size_t k, size_t per_chunk, size_t nchunks, size_t ncalls, int use_flush)
{
    sink got;
    sink_init(&got, ncalls + 1, 2 * ncalls + 16);
    got.fail_at = k, got.fail_code = 77;
    recorder down = sink_rec(&got);
    recorder_async *ra = NULL;
    ck_assert_int_eq(recorder_async_new_sized(&down, per_chunk * FIXED_CALL, nchunks, &ra), 0);
    recorder r = recorder_async_bind(ra);
    size_t first = 0; /* 1-based call that first returned non-zero */
    for (size_t i = 1; i <= ncalls; i++) {
        int rc = r.vt->series_i64(r.ctx, (int64_t)i, 0, "m", 0, 0);
        if (rc != 0 && first == 0)
            first = i;
        ck_assert_int_eq(rc, first ? 77 : 0);
    }
    if (use_flush) {
        ck_assert_int_eq(recorder_async_flush(ra), 77);
        ck_assert_int_eq(r.vt->series_i64(r.ctx, 0, 0, "m", 0, 0), 77);
    }
    size_t notice = ((k - 1) / per_chunk + nchunks) * per_chunk + 1;
    ck_assert_uint_eq(first, notice <= ncalls ? notice : 0);
    ck_assert_int_eq(recorder_async_close(ra), 77);
    ck_assert_int_eq(recorder_async_close(ra), 77);
    ck_assert_int_eq(r.vt->series_i64(r.ctx, 0, 0, "m", 0, 0), 77);
    ck_assert_int_eq(r.vt->entity(r.ctx, 0, "k", NULL, NULL, 0), 77);
    recorder_async_free(ra);
    ck_assert_uint_eq(got.n, k);
    for (size_t i = 0; i < k; i++) /* and they were calls 1..k, in order */
        ck_assert_int_eq(got.calls[i].a, (int64_t)i + 1);
    sink_clear(&got);
}

START_TEST(failing_sink_stops_everything)
{
    static const size_t ks[] = {1, 9, 10, 11, 37, 500};
    for (size_t i = 0; i < sizeof ks / sizeof ks[0]; i++) {
        fail_at(ks[i], 10, 4, 2000, 0); /* the producer must notice by itself */
        fail_at(ks[i], 10, 4, ks[i] + 3, 1);
        fail_at(ks[i], 10, 2, ks[i], 0); /* the failing call is the last one */
        fail_at(ks[i], 10, 2, 2000, 0);
    }
    fail_at(1000, 1000, 32, 1000, 0); /* one chunk, failed at close */
}
END_TEST

START_TEST(new_close_without_calls)
{
    sink got;
    sink_init(&got, 4, 64);
    recorder down = sink_rec(&got);
    recorder_async *ra = NULL;
    ck_assert_int_eq(recorder_async_new(&down, &ra), 0);
    ck_assert_int_eq(recorder_async_flush(ra), 0);
    ck_assert_int_eq(recorder_async_close(ra), 0);
    ck_assert_int_eq(recorder_async_close(ra), 0);
    ck_assert_int_eq(recorder_async_flush(ra), 0);
    recorder r = recorder_async_bind(ra);
    ck_assert_int_eq(r.vt->series_i64(r.ctx, 0, 0, "m", 0, 0), RECORDER_ASYNC_ECLOSED);
    recorder_async_free(ra);
    ck_assert_uint_eq(got.n, 0);
    sink_clear(&got);
}
END_TEST

/* free closes first: every call reaches the sink, nothing leaks (ASan/valgrind). */
START_TEST(free_without_close)
{
    sink got, want;
    sink_init(&got, 600, 1 << 20);
    sink_init(&want, 600, 1 << 20);
    recorder down = sink_rec(&got), direct = sink_rec(&want);
    recorder_async *ra = NULL;
    ck_assert_int_eq(recorder_async_new_sized(&down, 512, 3, &ra), 0);
    recorder r = recorder_async_bind(ra);
    drive(&r, 7, 600, 0);
    drive(&direct, 7, 600, 0);
    recorder_async_free(ra);
    assert_same(&got, &want);
    ck_assert_int_eq(recorder_async_new(&down, &ra), 0); /* and with no call at all */
    recorder_async_free(ra);
    sink_clear(&got);
    sink_clear(&want);
}
END_TEST

/* Flush is a barrier: after it the sink has every call made so far. */
START_TEST(flush_delivers_everything)
{
    sink got;
    sink_init(&got, 100, 1024);
    recorder down = sink_rec(&got);
    recorder_async *ra = NULL;
    ck_assert_int_eq(recorder_async_new_sized(&down, 100, 2, &ra), 0);
    recorder r = recorder_async_bind(ra);
    for (int64_t i = 1; i <= 50; i++) {
        ck_assert_int_eq(r.vt->series_i64(r.ctx, i, 0, "m", 0, 0), 0);
        if (i % 7 == 0) {
            ck_assert_int_eq(recorder_async_flush(ra), 0);
            ck_assert_uint_eq(got.n, (size_t)i); /* the writer is idle: no race on n */
        }
    }
    ck_assert_int_eq(recorder_async_close(ra), 0);
    ck_assert_uint_eq(got.n, 50);
    recorder_async_free(ra);
    sink_clear(&got);
}
END_TEST

START_TEST(bad_arguments_and_codes)
{
    sink got;
    sink_init(&got, 4, 64);
    recorder down = sink_rec(&got), novt = {NULL, &got};
    recorder_async *live = NULL, *ra = NULL;
    ck_assert_int_eq(recorder_async_new(&down, &live), 0);
    ra = live; /* a failed new must reset *out to NULL */
    ck_assert_int_eq(recorder_async_new(NULL, &ra), RECORDER_ASYNC_EINVAL);
    ck_assert_ptr_null(ra);
    ck_assert_int_eq(recorder_async_new(&down, NULL), RECORDER_ASYNC_EINVAL);
    ck_assert_int_eq(recorder_async_new(&novt, &ra), RECORDER_ASYNC_EINVAL);
    ck_assert_int_eq(recorder_async_new_sized(&down, 0, 4, &ra), RECORDER_ASYNC_EINVAL);
    ck_assert_int_eq(recorder_async_new_sized(&down, 64, 1, &ra), RECORDER_ASYNC_EINVAL);
    ra = live;
    ck_assert_int_eq(recorder_async_new_sized(&down, 64, 4097, &ra), RECORDER_ASYNC_EINVAL);
    ck_assert_ptr_null(ra);
    recorder_async_free(live);
    ck_assert_int_eq(recorder_async_close(NULL), RECORDER_ASYNC_EINVAL);
    ck_assert_int_eq(recorder_async_flush(NULL), RECORDER_ASYNC_EINVAL);
    recorder_async_free(NULL);
    ck_assert_str_eq(recorder_async_strerror(RECORDER_ASYNC_ENOMEM),
                     "out of memory in the metrics writer queue");
    ck_assert_ptr_nonnull(recorder_async_strerror(RECORDER_ASYNC_ETHREAD));
    ck_assert_ptr_nonnull(recorder_async_strerror(RECORDER_ASYNC_EINVAL));
    ck_assert_ptr_nonnull(recorder_async_strerror(RECORDER_ASYNC_ECLOSED));
    ck_assert_ptr_null(recorder_async_strerror(0));
    ck_assert_ptr_null(recorder_async_strerror(-9)); /* a store code: not ours */
    /* a NULL epoch row is refused without touching the sink or the sticky error */
    ck_assert_int_eq(recorder_async_new(&down, &ra), 0);
    recorder r = recorder_async_bind(ra);
    ck_assert_int_eq(r.vt->epoch(r.ctx, NULL), RECORDER_ASYNC_EINVAL);
    ck_assert_int_eq(r.vt->series_i64(r.ctx, 0, 0, "m", 0, 0), 0);
    ck_assert_int_eq(recorder_async_close(ra), 0);
    recorder_async_free(ra);
    ck_assert_uint_eq(got.n, 1);
    sink_clear(&got);
}
END_TEST

/* The bound recorder has an epoch function exactly when the downstream has one. */
START_TEST(epoch_slot_mirrors_downstream)
{
    sink got;
    sink_init(&got, 4, 64);
    recorder down = {&sink_vt_no_epoch, &got};
    recorder_async *ra = NULL;
    ck_assert_int_eq(recorder_async_new(&down, &ra), 0);
    ck_assert_ptr_null(recorder_async_bind(ra).vt->epoch);
    recorder_async_free(ra);
    down = sink_rec(&got);
    ck_assert_int_eq(recorder_async_new(&down, &ra), 0);
    ck_assert_ptr_nonnull(recorder_async_bind(ra).vt->epoch);
    recorder_async_free(ra);
    sink_clear(&got);
}
END_TEST

enum { MAX_SITES = 64 }; /* more allocation sites than new + the calls below reach */

/* Every allocation of new and of the calls (chunk buffers, an oversized call) failed once: new
** returns ENOMEM with nothing started, or the first failing call returns ENOMEM, every later one
** too, close returns it and the sink saw exactly the calls before the failing one. */
START_TEST(allocation_failures)
{
    sink got, want;
    sink_init(&got, 400, 1 << 22);
    sink_init(&want, 400, 1 << 22);
    recorder down = sink_rec(&got), direct = sink_rec(&want);
    drive(&direct, 3, 400, 50);
    gen g;
    for (long n = 0; n < MAX_SITES; n++) {
        got.n = got.used = 0;
        gen_init(&g, 3, 50);
        recorder_async *ra = NULL;
        oom_arm(n);
        int rc = recorder_async_new_sized(&down, 2048, 3, &ra), first = 0;
        if (rc == 0) {
            recorder r = recorder_async_bind(ra);
            for (int i = 1; i <= 400; i++) {
                int c = gen_call(&g, &r);
                if (c != 0 && first == 0)
                    first = i;
                if (c != (first ? RECORDER_ASYNC_ENOMEM : 0))
                    first = -1; /* asserted after disarm: ck_assert may allocate */
            }
            rc = recorder_async_close(ra);
        }
        int hit = oom_disarm();
        gen_clear(&g);
        if (!hit) {
            ck_assert_int_eq(rc, 0);
            recorder_async_free(ra);
            assert_same(&got, &want);
            ck_assert_int_ge(n, 5); /* the handle, the ring, and several chunk buffers */
            sink_clear(&got);
            sink_clear(&want);
            return;
        }
        ck_assert_int_eq(rc, RECORDER_ASYNC_ENOMEM);
        ck_assert_int_ge(first, 0);
        if (ra) {
            ck_assert_int_gt(first, 0);
            assert_prefix(&got, &want);
            ck_assert_uint_eq(got.n, (size_t)first - 1);
        } else {
            ck_assert_int_eq(first, 0);
            ck_assert_uint_eq(got.n, 0);
        }
        recorder_async_free(ra);
    }
    ck_abort_msg("the calls never completed");
}
END_TEST

/* ---- the writer thread gives way to the model's (bgthread.h) ---- */

/* Runs bg_thread_lower on its own thread, then waits until told to end. */
typedef struct lowered {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int rc, state; /* state: 0 starting, 1 lowered, 2 told to end */
} lowered;

static void *lower_main(void *arg)
{
    lowered *l = arg;
    int rc = bg_thread_lower();
    pthread_mutex_lock(&l->mu);
    l->rc = rc, l->state = 1;
    pthread_cond_broadcast(&l->cv);
    while (l->state != 2)
        pthread_cond_wait(&l->cv, &l->mu);
    pthread_mutex_unlock(&l->mu);
    return NULL;
}

/* bg_thread_lower lowers its own thread to nice 19 and no other (the kernel's view, read from
** /proc), and the store's writer thread runs so from its start to its end. */
START_TEST(helper_threads_run_at_lowest_priority)
{
    int before = bg__threads_with_nice(BG_THREAD_NICE);
    ck_assert_int_ge(before, 0);
    lowered l = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, -1, 0};
    pthread_t t;
    ck_assert_int_eq(pthread_create(&t, NULL, lower_main, &l), 0);
    pthread_mutex_lock(&l.mu);
    while (l.state != 1)
        pthread_cond_wait(&l.cv, &l.mu);
    pthread_mutex_unlock(&l.mu);
    ck_assert_int_eq(l.rc, 0);
    ck_assert_int_eq(bg__threads_with_nice(BG_THREAD_NICE), before + 1);
    pthread_mutex_lock(&l.mu);
    l.state = 2;
    pthread_cond_broadcast(&l.cv);
    pthread_mutex_unlock(&l.mu);
    ck_assert_int_eq(pthread_join(t, NULL), 0);
    ck_assert_int_eq(bg__threads_with_nice(BG_THREAD_NICE), before);

    sink got;
    recorder_async *ra = small_async(&got);
    recorder r = recorder_async_bind(ra);
    ck_assert_int_eq(r.vt->series_i64(r.ctx, 1, 2, "alpha", 3, 4), 0);
    ck_assert_int_eq(recorder_async_flush(ra), 0); /* the writer has replayed it: it runs */
    ck_assert_uint_eq(got.n, 1);
    ck_assert_int_eq(bg__threads_with_nice(BG_THREAD_NICE), before + 1);
    ck_assert_int_eq(recorder_async_close(ra), 0); /* joined */
    ck_assert_int_eq(bg__threads_with_nice(BG_THREAD_NICE), before);
    recorder_async_free(ra);
    sink_clear(&got);
}
END_TEST

static Suite *recorder_async_suite(void)
{
    Suite *s = suite_create("recorder_async");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, sequence_default_sizes);
    tcase_add_test(tc, sequence_tiny_chunks);
    tcase_add_test(tc, sequence_one_byte_chunks);
    tcase_add_test(tc, caller_buffers_are_copied);
    tcase_add_test(tc, failing_sink_stops_everything);
    tcase_add_test(tc, new_close_without_calls);
    tcase_add_test(tc, free_without_close);
    tcase_add_test(tc, flush_delivers_everything);
    tcase_add_test(tc, bad_arguments_and_codes);
    tcase_add_test(tc, epoch_slot_mirrors_downstream);
    tcase_add_test(tc, allocation_failures);
    tcase_add_test(tc, helper_threads_run_at_lowest_priority);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tdb_run(recorder_async_suite());
}
