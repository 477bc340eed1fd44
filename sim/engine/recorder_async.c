/*
 * recorder_async.c: the writer-thread recorder (recorder_async.h).
 *
 * Chunks form a ring of `nchunks` slots. Invariant (under mu): the slots tail, tail+1, ...,
 * tail+ready-1 (mod nchunks) belong to the writer, oldest first; the slot `head` belongs to the
 * producer, which holds it only while ready < nchunks (head == tail + ready). Ownership moves
 * only under the mutex, so the bytes of a chunk are never read and written at once; every other
 * shared field is read and written under it too (no atomics).
 *
 * Deterministic noticing: chunks are numbered in hand-over order (seq for the producer, done for
 * the writer). After handing over chunk j the producer has waited until at most nchunks - 1
 * chunks are queued, so chunks 0 .. j - (nchunks - 1) are replayed whatever the threads' timing.
 * The producer notices a downstream failure in chunk c exactly there: at the hand-over of chunk
 * c + nchunks - 1 (never earlier, even when the writer got there first), or at a flush. Chunk
 * boundaries depend on the calls alone, so the call that first returns the error, and with it
 * whatever the model does about it (its message), is the same on every run.
 *
 * A call is serialised as a tag byte followed by its fixed-size fields and its strings, in the
 * order of the recorder_vt signature; a string is its length (size_t; SIZE_MAX for NULL) followed
 * by its bytes and a NUL, so the writer passes pointers into the chunk to the downstream without
 * copying. Fields are copied with memcpy: the chunk has no alignment.
 */
#define _POSIX_C_SOURCE 200809L

#include "recorder_async.h"

#include "bgthread.h"

#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { RA_ENTITY = 1, RA_SERIES_I64, RA_SERIES_F64, RA_LEDGER, RA_EPOCH };

#define RA_NULL_STRING SIZE_MAX /* the length that stands for a NULL string */
#define RA_MAX_NCHUNKS 4096     /* upper bound of nchunks (recorder_async_new_sized) */

typedef struct ra_chunk {
    unsigned char *buf; /* serialised calls; NULL until the slot is first used */
    size_t cap;         /* bytes allocated at buf */
    size_t len;         /* bytes used */
} ra_chunk;

struct recorder_async {
    recorder down;            /* the downstream: used by the writer thread only */
    ra_chunk *chunks;         /* the ring, nchunks slots */
    size_t nchunks;           /* ring size, >= 2 */
    size_t chunk_bytes;       /* size of a slot's buffer (larger only for an oversized call) */
    size_t head;              /* producer: the slot being filled */
    size_t tail;              /* mu: the writer's oldest slot */
    size_t ready;             /* mu: slots handed to the writer and not yet replayed */
    size_t seq;               /* producer: number of the chunk being filled (hand-over order) */
    size_t done;              /* mu: chunks replayed (or dropped) by the writer */
    int closing;              /* mu: no more chunks will come; the writer exits when drained */
    int down_err;             /* mu: the downstream's first failure, 0 while none */
    size_t down_chunk;        /* mu: the chunk it happened in */
    int own_err;              /* producer: out of memory while serialising, 0 while not */
    int noticed;              /* producer: what every producer call returns from now on */
    int closed;               /* producer: close has joined the writer */
    pthread_mutex_t mu;       /* guards tail, ready, closing and slot ownership */
    pthread_cond_t not_empty; /* the writer waits here for ready > 0 or closing */
    pthread_cond_t drained;   /* the producer waits here for ready to drop */
    pthread_t thread;         /* the writer */
};

/* ---- shared ---------------------------------------------------------------------------------- */

/* The first failure in call order: a downstream failure is always in a call made before the
** producer's own (after which no call is queued). Producer thread; the writer is idle or joined. */
static int first_error(recorder_async *ra)
{
    pthread_mutex_lock(&ra->mu);
    int e = ra->down_err ? ra->down_err : ra->own_err;
    pthread_mutex_unlock(&ra->mu);
    return e;
}

const char *recorder_async_strerror(int code)
{
#define RECORDER_ASYNC__TEXT(name, value, text)                                                    \
    case name:                                                                                     \
        return text;
    switch (code) {
        RECORDER_ASYNC_ERRORS(RECORDER_ASYNC__TEXT)
    default:
        return NULL;
    }
#undef RECORDER_ASYNC__TEXT
}

/* ---- the writer ------------------------------------------------------------------------------ */

static int64_t get_i64(const unsigned char **p)
{
    int64_t v;
    memcpy(&v, *p, sizeof v);
    *p += sizeof v;
    return v;
}

static uint64_t get_u64(const unsigned char **p)
{
    uint64_t v;
    memcpy(&v, *p, sizeof v);
    *p += sizeof v;
    return v;
}

static double get_f64(const unsigned char **p)
{
    double v;
    memcpy(&v, *p, sizeof v);
    *p += sizeof v;
    return v;
}

static const char *get_str(const unsigned char **p)
{
    size_t n;
    memcpy(&n, *p, sizeof n);
    *p += sizeof n;
    if (n == RA_NULL_STRING)
        return NULL;
    const char *s = (const char *)*p;
    *p += n + 1;
    return s;
}

/* Replays the call at *p on d and advances *p past it; the downstream's return value. Arguments
** are read into locals first: their evaluation order in a call is unspecified. */
static int replay_one(const recorder *d, const unsigned char **p)
{
    int tag = *(*p)++;
    if (tag == RA_ENTITY) {
        int64_t id = get_i64(p), group = get_i64(p);
        const char *kind = get_str(p), *role = get_str(p), *name = get_str(p);
        return d->vt->entity(d->ctx, id, kind, role, name, group);
    }
    if (tag == RA_SERIES_I64 || tag == RA_SERIES_F64) {
        int64_t t = get_i64(p), block = get_i64(p), id = get_i64(p);
        if (tag == RA_SERIES_I64) {
            int64_t v = get_i64(p);
            const char *metric = get_str(p);
            return d->vt->series_i64(d->ctx, t, block, metric, id, v);
        }
        double v = get_f64(p);
        const char *metric = get_str(p);
        return d->vt->series_f64(d->ctx, t, block, metric, id, v);
    }
    if (tag == RA_LEDGER) {
        int64_t seq = get_i64(p), t = get_i64(p), src = get_i64(p), dst = get_i64(p);
        uint64_t amount = get_u64(p);
        const char *kind = get_str(p), *reason = get_str(p);
        return d->vt->ledger(d->ctx, seq, t, kind, src, dst, amount, reason);
    }
    recorder_epoch_row row; /* RA_EPOCH: the only other tag the producer writes */
    memcpy(&row, *p, sizeof row);
    *p += sizeof row;
    return d->vt->epoch(d->ctx, &row);
}

/* Replays one chunk; stops at the first failure and returns it. */
static int replay_chunk(recorder_async *ra, const ra_chunk *c)
{
    const unsigned char *p = c->buf, *end = c->buf + c->len;
    while (p < end) {
        int rc = replay_one(&ra->down, &p);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* The writer thread: replays chunks in order until closing and drained; after an error it keeps
** taking chunks (so the producer never waits forever) but drops them. */
static void *writer_main(void *arg)
{
    recorder_async *ra = arg;
    (void)bg_thread_lower(); /* the model's thread first (bgthread.h) */
    pthread_mutex_lock(&ra->mu);
    for (;;) {
        while (ra->ready == 0 && !ra->closing)
            pthread_cond_wait(&ra->not_empty, &ra->mu);
        if (ra->ready == 0)
            break;
        const ra_chunk *c = &ra->chunks[ra->tail];
        int failed = ra->down_err;
        pthread_mutex_unlock(&ra->mu);
        int rc = failed ? 0 : replay_chunk(ra, c);
        pthread_mutex_lock(&ra->mu);
        if (rc != 0)
            ra->down_err = rc, ra->down_chunk = ra->done;
        ra->done++;
        ra->tail = (ra->tail + 1) % ra->nchunks;
        ra->ready--;
        pthread_cond_signal(&ra->drained);
    }
    pthread_mutex_unlock(&ra->mu);
    return NULL;
}

/* ---- the producer ---------------------------------------------------------------------------- */

/* Gives the current chunk to the writer and takes the next slot, waiting while the writer owns
** every slot; notices a downstream failure nchunks - 1 chunks back (see the top of the file). */
static void handover(recorder_async *ra)
{
    pthread_mutex_lock(&ra->mu);
    ra->ready++;
    pthread_cond_signal(&ra->not_empty);
    while (ra->ready == ra->nchunks)
        pthread_cond_wait(&ra->drained, &ra->mu);
    if (ra->down_err != 0 && ra->down_chunk + (ra->nchunks - 1) <= ra->seq)
        ra->noticed = ra->down_err;
    pthread_mutex_unlock(&ra->mu);
    ra->seq++;
    ra->head = (ra->head + 1) % ra->nchunks;
    ra->chunks[ra->head].len = 0;
}

/* Room for `need` more bytes in the current chunk: hands a non-empty chunk over when the call does
** not fit, and allocates (or, for a call larger than a chunk, enlarges) the slot's buffer. NULL
** when the hand-over noticed a failure or memory runs out (the slot is then empty: no call is
** lost but the ones refused from now on). */
static unsigned char *reserve_slow(recorder_async *ra, size_t need)
{
    if (ra->chunks[ra->head].len > 0) {
        handover(ra);
        if (ra->noticed != 0)
            return NULL;
    }
    ra_chunk *c = &ra->chunks[ra->head];
    if (c->cap >= need)
        return c->buf;
    size_t cap = need > ra->chunk_bytes ? need : ra->chunk_bytes;
    free(c->buf); /* empty: nothing to keep */
    c->buf = malloc(cap);
    c->cap = c->buf ? cap : 0;
    if (!c->buf)
        ra->own_err = ra->noticed = RECORDER_ASYNC_ENOMEM;
    return c->buf;
}

/* Where the next call of `need` bytes goes, or NULL with *rc set (the failure noticed, closed, or
** out of memory). */
static unsigned char *reserve(recorder_async *ra, size_t need, int *rc)
{
    *rc = ra->noticed;
    if (*rc != 0)
        return NULL;
    if (ra->closed) {
        *rc = RECORDER_ASYNC_ECLOSED;
        return NULL;
    }
    ra_chunk *c = &ra->chunks[ra->head];
    unsigned char *p = c->cap - c->len >= need ? c->buf + c->len : reserve_slow(ra, need);
    if (!p)
        *rc = ra->noticed;
    return p;
}

/* Marks the call that ends at p as written. */
static void commit(recorder_async *ra, const unsigned char *p)
{
    ra_chunk *c = &ra->chunks[ra->head];
    c->len = (size_t)(p - c->buf);
}

static unsigned char *put_i64(unsigned char *p, int64_t v)
{
    memcpy(p, &v, sizeof v);
    return p + sizeof v;
}

static unsigned char *put_u64(unsigned char *p, uint64_t v)
{
    memcpy(p, &v, sizeof v);
    return p + sizeof v;
}

/* Bytes a string takes in a chunk; *len receives its length (RA_NULL_STRING for NULL). */
static size_t str_size(const char *s, size_t *len)
{
    *len = s ? strlen(s) : RA_NULL_STRING;
    return sizeof(size_t) + (s ? *len + 1 : 0);
}

static unsigned char *put_str(unsigned char *p, const char *s, size_t len)
{
    memcpy(p, &len, sizeof len);
    p += sizeof len;
    if (!s)
        return p;
    memcpy(p, s, len + 1);
    return p + len + 1;
}

static int ra_entity(void *ctx, int64_t id, const char *kind, const char *role, const char *name,
                     int64_t group)
{
    recorder_async *ra = ctx;
    size_t lk, lr, ln;
    size_t need =
        1 + 2 * sizeof(int64_t) + str_size(kind, &lk) + str_size(role, &lr) + str_size(name, &ln);
    int rc;
    unsigned char *p = reserve(ra, need, &rc);
    if (!p)
        return rc;
    *p++ = RA_ENTITY;
    p = put_i64(p, id);
    p = put_i64(p, group);
    p = put_str(p, kind, lk);
    p = put_str(p, role, lr);
    commit(ra, put_str(p, name, ln));
    return 0;
}

/* A series call: both kinds carry four 8-byte words (a real value as its bit pattern) and the
** metric. */
static int put_series(recorder_async *ra, unsigned char kind, int64_t t, int64_t block,
                      const char *metric, int64_t id, uint64_t value)
{
    size_t lm;
    size_t need = 1 + 4 * sizeof(int64_t) + str_size(metric, &lm);
    int rc;
    unsigned char *p = reserve(ra, need, &rc);
    if (!p)
        return rc;
    *p++ = kind;
    p = put_i64(p, t);
    p = put_i64(p, block);
    p = put_i64(p, id);
    p = put_u64(p, value);
    commit(ra, put_str(p, metric, lm));
    return 0;
}

static int ra_series_i64(void *ctx, int64_t t, int64_t block, const char *metric, int64_t id,
                         int64_t value)
{
    return put_series(ctx, RA_SERIES_I64, t, block, metric, id, (uint64_t)value);
}

static int ra_series_f64(void *ctx, int64_t t, int64_t block, const char *metric, int64_t id,
                         double value)
{
    uint64_t bits;
    memcpy(&bits, &value, sizeof bits);
    return put_series(ctx, RA_SERIES_F64, t, block, metric, id, bits);
}

static int ra_ledger(void *ctx, int64_t seq, int64_t t, const char *kind, int64_t src, int64_t dst,
                     uint64_t amount, const char *reason)
{
    recorder_async *ra = ctx;
    size_t lk, lr;
    size_t need =
        1 + 4 * sizeof(int64_t) + sizeof(uint64_t) + str_size(kind, &lk) + str_size(reason, &lr);
    int rc;
    unsigned char *p = reserve(ra, need, &rc);
    if (!p)
        return rc;
    *p++ = RA_LEDGER;
    p = put_i64(p, seq);
    p = put_i64(p, t);
    p = put_i64(p, src);
    p = put_i64(p, dst);
    p = put_u64(p, amount);
    p = put_str(p, kind, lk);
    commit(ra, put_str(p, reason, lr));
    return 0;
}

/* The row is copied whole (its padding too, which nobody reads). A NULL row is refused here:
** there is nothing to replay. */
static int ra_epoch(void *ctx, const recorder_epoch_row *row)
{
    recorder_async *ra = ctx;
    if (!row)
        return RECORDER_ASYNC_EINVAL;
    int rc;
    unsigned char *p = reserve(ra, 1 + sizeof *row, &rc);
    if (!p)
        return rc;
    *p++ = RA_EPOCH;
    memcpy(p, row, sizeof *row);
    commit(ra, p + sizeof *row);
    return 0;
}

static const recorder_vt ra_vt = {ra_entity, ra_series_i64, ra_series_f64, ra_ledger, ra_epoch};
static const recorder_vt ra_vt_no_epoch = {ra_entity, ra_series_i64, ra_series_f64, ra_ledger,
                                           NULL};

recorder recorder_async_bind(recorder_async *ra)
{
    recorder r = {ra && ra->down.vt->epoch ? &ra_vt : &ra_vt_no_epoch, ra};
    return r;
}

/* ---- life cycle ------------------------------------------------------------------------------ */

/* The mutex and condition variables; on failure none is left initialised. */
static int sync_init(recorder_async *ra)
{
    if (pthread_mutex_init(&ra->mu, NULL) != 0)
        return -1;
    if (pthread_cond_init(&ra->not_empty, NULL) != 0) {
        pthread_mutex_destroy(&ra->mu);
        return -1;
    }
    if (pthread_cond_init(&ra->drained, NULL) != 0) {
        pthread_cond_destroy(&ra->not_empty);
        pthread_mutex_destroy(&ra->mu);
        return -1;
    }
    return 0;
}

static void sync_clear(recorder_async *ra)
{
    pthread_cond_destroy(&ra->drained);
    pthread_cond_destroy(&ra->not_empty);
    pthread_mutex_destroy(&ra->mu);
}

/* Starts the writer with every signal blocked (it inherits the mask), so signals reach the
** caller's threads; the caller's mask is restored. */
static int start_writer(recorder_async *ra)
{
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = pthread_create(&ra->thread, NULL, writer_main, ra);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

int recorder_async_new_sized(const recorder *down, size_t chunk_bytes, size_t nchunks,
                             recorder_async **out)
{
    if (out)
        *out = NULL;
    if (!out || !down || !down->vt || chunk_bytes == 0 || nchunks < 2 || nchunks > RA_MAX_NCHUNKS)
        return RECORDER_ASYNC_EINVAL;
    recorder_async *ra = calloc(1, sizeof *ra);
    if (!ra)
        return RECORDER_ASYNC_ENOMEM;
    ra->down = *down;
    ra->nchunks = nchunks;
    ra->chunk_bytes = chunk_bytes;
    ra->chunks = calloc(nchunks, sizeof *ra->chunks);
    if (!ra->chunks || sync_init(ra) != 0) {
        free(ra->chunks);
        free(ra);
        return RECORDER_ASYNC_ENOMEM;
    }
    if (start_writer(ra) != 0) {
        sync_clear(ra);
        free(ra->chunks);
        free(ra);
        return RECORDER_ASYNC_ETHREAD;
    }
    *out = ra;
    return 0;
}

int recorder_async_new(const recorder *down, recorder_async **out)
{
    return recorder_async_new_sized(down, RECORDER_ASYNC_CHUNK_BYTES, RECORDER_ASYNC_NCHUNKS, out);
}

int recorder_async_flush(recorder_async *ra)
{
    if (!ra)
        return RECORDER_ASYNC_EINVAL;
    if (!ra->closed) {
        if (ra->chunks[ra->head].len > 0)
            handover(ra);
        pthread_mutex_lock(&ra->mu);
        while (ra->ready > 0)
            pthread_cond_wait(&ra->drained, &ra->mu);
        pthread_mutex_unlock(&ra->mu);
    }
    int e = first_error(ra);
    if (e != 0)
        ra->noticed = e;
    return e;
}

int recorder_async_close(recorder_async *ra)
{
    if (!ra)
        return RECORDER_ASYNC_EINVAL;
    if (!ra->closed) {
        pthread_mutex_lock(&ra->mu);
        if (ra->chunks[ra->head].len > 0)
            ra->ready++; /* the last chunk; the slot is never refilled */
        ra->closing = 1;
        pthread_cond_signal(&ra->not_empty);
        pthread_mutex_unlock(&ra->mu);
        pthread_join(ra->thread, NULL);
        ra->closed = 1;
    }
    int e = first_error(ra);
    if (e != 0)
        ra->noticed = e;
    return e;
}

void recorder_async_free(recorder_async *ra)
{
    if (!ra)
        return;
    recorder_async_close(ra);
    for (size_t i = 0; i < ra->nchunks; i++)
        free(ra->chunks[i].buf);
    free(ra->chunks);
    sync_clear(ra);
    free(ra);
}
