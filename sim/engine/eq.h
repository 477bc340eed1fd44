/*
 * eq: the event queue of the tokensim engine.
 *
 * A priority queue of small event records ordered by the strict total order (tick, phase, seq):
 * `tick` is integer simulation time, `phase` a small named stage within a tick, and `seq` a
 * per-queue counter assigned when an event is pushed (or rescheduled), so events that share a
 * (tick, phase) come out first-in, first-out. Two distinct events never compare equal.
 *
 * Implementation: an array-backed 4-ary min-heap of 16-byte keys (tick, phase:16 | seq:48),
 * aligned so the four children of a node share one cache line, plus a slot pool holding each
 * event's payload (kind, target, data). push, pop, cancel and reschedule are O(log n); peek is
 * O(1). Only events pushed with an id request are tracked in the heap (their slot records the
 * heap position), so untracked events cost nothing extra on the hot path.
 *
 * Ids: an eq_id packs (generation << 32 | slot). Generations are bumped whenever a slot is
 * released, so an id whose event has fired or been cancelled is rejected (EQ_ENOENT) instead of
 * touching an unrelated event. EQ_ID_NONE (0) is never a valid id.
 *
 * Limits: phase <= EQ_PHASE_MAX (65535); at most EQ_SEQ_MAX pushes per queue (2^48 - 1, about
 * nine years at a million pushes a second); at most 2^31 - 1 pending events. All failures,
 * including out-of-memory, return an error code and leave the queue unchanged.
 */
#ifndef TOKENSIM_ENGINE_EQ_H
#define TOKENSIM_ENGINE_EQ_H

#include <stddef.h>
#include <stdint.h>

typedef uint64_t eq_id; /* handle of a pending event: (generation << 32) | slot */

#define EQ_ID_NONE   ((eq_id)0)                /* "no id": the event was pushed untracked */
#define EQ_PHASE_MAX 0xFFFFu                   /* largest phase value the queue accepts */
#define EQ_SEQ_MAX   ((UINT64_C(1) << 48) - 1) /* largest sequence number ever assigned */

/* One event as the queue hands it out. */
typedef struct eq_event {
    uint64_t tick;   /* simulation time, integer ticks */
    uint32_t phase;  /* stage within the tick, 0..EQ_PHASE_MAX; lower phases run first */
    uint32_t kind;   /* what the event means; the engine dispatches on it */
    uint64_t seq;    /* per-queue scheduling counter: FIFO tie-break within (tick, phase) */
    uint64_t target; /* entity the event is addressed to (canonical order key) */
    uint64_t data;   /* payload word, e.g. an index into a model-owned pool */
    eq_id id;        /* the id handed out at push, or EQ_ID_NONE when none was requested */
} eq_event;

/* Status codes: 0 ok, EQ_EMPTY a non-error status, negative values errors. */
#define EQ_STATUS_MAP(X)                                                                           \
    X(EQ_OK, 0, "ok")                                                                              \
    X(EQ_EMPTY, 1, "queue is empty")                                                               \
    X(EQ_ENOMEM, -1, "out of memory")                                                              \
    X(EQ_ENOENT, -2, "no such pending event (unknown, stale, fired or cancelled id)")              \
    X(EQ_EPHASE, -3, "phase out of range (max 65535)")                                             \
    X(EQ_EOVERFLOW, -4, "sequence counter or queue size exhausted")

enum eq_status {
#define EQ_STATUS_ENUM(name, value, text) name = (value),
    EQ_STATUS_MAP(EQ_STATUS_ENUM)
#undef EQ_STATUS_ENUM
};

/* Human-readable text for an EQ_* code; "unknown eq status" for anything else. Never NULL. */
const char *eq_strerror(int code);

typedef struct eq eq;

/* A new empty queue with room for about `capacity_hint` events (0 is fine). NULL on OOM. */
eq *eq_new(size_t capacity_hint);

/* Frees the queue and every pending event. eq_free(NULL) is a no-op. */
void eq_free(eq *q);

/*
 * Schedules an event at (tick, phase) with a fresh seq. When id_out is non-NULL the event is
 * tracked and *id_out receives its id (for eq_cancel/eq_reschedule); otherwise it is untracked,
 * which is slightly cheaper. Returns EQ_OK, EQ_EPHASE, EQ_EOVERFLOW or EQ_ENOMEM.
 */
int eq_push(eq *q, uint64_t tick, uint32_t phase, uint32_t kind, uint64_t target, uint64_t data,
            eq_id *id_out);

/* Removes a pending tracked event. EQ_ENOENT if the id is unknown, fired or already cancelled. */
int eq_cancel(eq *q, eq_id id);

/*
 * Moves a pending tracked event to (tick, phase). The seq is renewed, exactly as if the event
 * had been cancelled and pushed again now: it goes behind every event already pending at its
 * new (tick, phase). The id stays valid. EQ_ENOENT, EQ_EPHASE or EQ_EOVERFLOW on error.
 */
int eq_reschedule(eq *q, eq_id id, uint64_t tick, uint32_t phase);

/* Removes the earliest event into *out. EQ_OK, or EQ_EMPTY (out untouched) when empty. */
int eq_pop(eq *q, eq_event *out);

/*
 * The earliest event, or NULL when empty. The record lives inside the queue and is valid until
 * the next call that modifies q; its content is not affected by being peeked.
 */
const eq_event *eq_peek(const eq *q);

/* Number of pending events. */
size_t eq_size(const eq *q);

/*
 * Canonical order for simultaneous events (DESIGN.md determinism contract): takes every pending
 * event that shares the head's (tick, phase), sorts them by (target, kind, data) and renews their
 * seqs in that order, so they will pop in canonical order whatever order they were scheduled in.
 * Events identical in (target, kind, data) keep their relative scheduling order (their content
 * is the same, so the delivered sequence does not depend on it). Ids stay valid. Events pushed
 * later to the same (tick, phase) get larger seqs and come after the group. *count (may be NULL)
 * receives the group size; *seq_hi (may be NULL) the largest seq assigned to the group.
 * O(k log k + k) for a group of k. Returns EQ_OK, EQ_EMPTY, EQ_ENOMEM or EQ_EOVERFLOW; on error
 * the queue is unchanged.
 */
int eq_canonicalize_head(eq *q, size_t *count, uint64_t *seq_hi);

#endif /* TOKENSIM_ENGINE_EQ_H */
