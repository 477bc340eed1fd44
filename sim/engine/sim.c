/*
 * sim: clock, handler table and step-wise run loop over an eq.
 *
 * Invariants: the clock (now, now_phase) is the key of the last delivered event (or (0, 0), or
 * the stop tick the clock was advanced to) and never decreases; every pending event has a key at
 * or after the clock, because sim_at/sim_reschedule reject anything earlier. For a batched phase
 * the (tick, phase, seq_hi) of the last canonicalised group is remembered: the head needs a new
 * canonicalisation exactly when it is not a member of that group (members keep seq <= seq_hi,
 * anything scheduled since gets a larger seq). Cost per delivered event: one eq pop plus an
 * O(1) dispatch; canonicalisation adds O(k log k) per group of k.
 */
#include "sim.h"

#include "eq_int.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PHASE_WORDS ((EQ_PHASE_MAX + 1u) / 64u) /* bitmap words covering every phase */

typedef struct sim_handler {
    sim_handler_fn fn; /* NULL: no handler */
    void *ctx;         /* passed back to fn */
} sim_handler;

typedef struct sim_batch_handler {
    uint32_t phase;  /* batched phase this entry serves */
    sim_batch_fn fn; /* called with each canonical group of the phase */
    void *ctx;       /* passed back to fn */
} sim_batch_handler;

struct sim {
    eq *q;                                               /* pending events */
    uint64_t now;                                        /* clock: tick */
    uint32_t now_phase;                                  /* clock: phase */
    int stop_requested;                                  /* set by sim_request_stop */
    uint64_t stop_at;                                    /* last tick that may run */
    const volatile sig_atomic_t *interrupt;              /* external stop flag, or NULL */
    uint64_t events;                                     /* events delivered */
    sim_handler handlers[SIM_MAX_KINDS];                 /* per-kind handlers */
    uint64_t batched[PHASE_WORDS];                       /* bit per phase: canonical order */
    sim_batch_handler batch_fns[SIM_MAX_BATCH_HANDLERS]; /* batch handlers, by phase */
    size_t n_batch_fns;                                  /* used entries of batch_fns */
    int canon_valid;                                     /* canon_* describe a live group */
    uint64_t canon_tick;                                 /* tick of the last canonical group */
    uint32_t canon_phase;                                /* phase of the last canonical group */
    uint64_t canon_seq_hi;                               /* largest seq of that group */
    eq_event *batch;                                     /* sim_pop_batch buffer */
    size_t batch_cap;                                    /* capacity of batch */
    progress *prog;                                      /* progress sink, not owned */
    uint64_t prog_total;                                 /* total ticks for progress */
    uint64_t prog_next;                                  /* event count of next progress update */
    char errmsg[192];                                    /* detail of the last error */
};

const char *sim_strerror(int code)
{
    switch (code) {
#define SIM_STATUS_TEXT(name, value, text)                                                         \
    case name:                                                                                     \
        return text;
        SIM_STATUS_MAP(SIM_STATUS_TEXT)
#undef SIM_STATUS_TEXT
    default:
        return "unknown sim status";
    }
}

/* Records a formatted message on the context and returns code. */
static int fail(sim *s, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->errmsg, sizeof s->errmsg, fmt, ap);
    va_end(ap);
    return code;
}

/* The EQ_ error codes share values and meanings with SIM_ codes -1..-4. */
static int from_eq(sim *s, int rc, const char *what)
{
    if (rc == EQ_OK)
        return SIM_OK;
    return fail(s, rc, "%s: %s", what, eq_strerror(rc));
}

sim *sim_new(void)
{
    sim *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->q = eq_new(1024);
    if (!s->q) {
        free(s);
        return NULL;
    }
    s->stop_at = UINT64_MAX;
    s->prog_next = SIM_PROGRESS_EVERY;
    return s;
}

void sim_free(sim *s)
{
    if (!s)
        return;
    eq_free(s->q);
    free(s->batch);
    free(s);
}

int sim_on(sim *s, uint32_t kind, sim_handler_fn fn, void *ctx)
{
    if (kind >= SIM_MAX_KINDS)
        return fail(s, SIM_EKIND, "sim_on: kind %" PRIu32 " >= %u", kind, SIM_MAX_KINDS);
    s->handlers[kind].fn = fn;
    s->handlers[kind].ctx = fn ? ctx : NULL;
    return SIM_OK;
}

static int is_batched(const sim *s, uint32_t phase)
{
    return (int)((s->batched[phase / 64] >> (phase % 64)) & 1u);
}

static sim_batch_handler *find_batch_fn(sim *s, uint32_t phase)
{
    for (size_t i = 0; i < s->n_batch_fns; i++)
        if (s->batch_fns[i].phase == phase)
            return &s->batch_fns[i];
    return NULL;
}

int sim_batch_phase(sim *s, uint32_t phase, sim_batch_fn fn, void *ctx)
{
    if (phase > EQ_PHASE_MAX)
        return fail(s, SIM_EPHASE, "sim_batch_phase: phase %" PRIu32 " > %u", phase, EQ_PHASE_MAX);
    sim_batch_handler *h = find_batch_fn(s, phase);
    if (fn && !h) {
        if (s->n_batch_fns == SIM_MAX_BATCH_HANDLERS)
            return fail(s, SIM_EOVERFLOW, "sim_batch_phase: more than %u batch handlers",
                        SIM_MAX_BATCH_HANDLERS);
        h = &s->batch_fns[s->n_batch_fns++];
    }
    if (fn) {
        *h = (sim_batch_handler){phase, fn, ctx};
    } else if (h) {
        *h = s->batch_fns[--s->n_batch_fns]; /* order of the table is irrelevant */
    }
    s->batched[phase / 64] |= UINT64_C(1) << (phase % 64);
    return SIM_OK;
}

/* Checks that (tick, phase) does not precede the clock. */
static int check_time(sim *s, const char *what, uint64_t tick, uint32_t phase)
{
    if (tick < s->now || (tick == s->now && phase < s->now_phase))
        return fail(s, SIM_EPAST,
                    "%s: (tick %" PRIu64 ", phase %" PRIu32 ") is before now (tick %" PRIu64
                    ", phase %" PRIu32 ")",
                    what, tick, phase, s->now, s->now_phase);
    return SIM_OK;
}

int sim_at(sim *s, uint64_t tick, uint32_t phase, uint32_t kind, uint64_t target, uint64_t data,
           eq_id *id)
{
    if (kind >= SIM_MAX_KINDS)
        return fail(s, SIM_EKIND, "sim_at: kind %" PRIu32 " >= %u", kind, SIM_MAX_KINDS);
    int rc = check_time(s, "sim_at", tick, phase);
    if (rc)
        return rc;
    return from_eq(s, eq_push(s->q, tick, phase, kind, target, data, id), "sim_at");
}

int sim_after(sim *s, uint64_t delay, uint32_t phase, uint32_t kind, uint64_t target, uint64_t data,
              eq_id *id)
{
    if (delay > UINT64_MAX - s->now)
        return fail(s, SIM_EOVERFLOW, "sim_after: now %" PRIu64 " + delay %" PRIu64 " overflows",
                    s->now, delay);
    return sim_at(s, s->now + delay, phase, kind, target, data, id);
}

int sim_cancel(sim *s, eq_id id)
{
    return from_eq(s, eq_cancel(s->q, id), "sim_cancel");
}

int sim_reschedule(sim *s, eq_id id, uint64_t tick, uint32_t phase)
{
    int rc = check_time(s, "sim_reschedule", tick, phase);
    if (rc)
        return rc;
    return from_eq(s, eq_reschedule(s->q, id, tick, phase), "sim_reschedule");
}

uint64_t sim_now(const sim *s)
{
    return s->now;
}

uint32_t sim_phase(const sim *s)
{
    return s->now_phase;
}

void sim_stop_at(sim *s, uint64_t tick)
{
    s->stop_at = tick;
}

void sim_request_stop(sim *s)
{
    s->stop_requested = 1;
}

void sim_set_interrupt(sim *s, const volatile sig_atomic_t *flag)
{
    s->interrupt = flag;
}

uint64_t sim_events(const sim *s)
{
    return s->events;
}

size_t sim_pending(const sim *s)
{
    return eq_size(s->q);
}

void sim_set_progress(sim *s, progress *p, uint64_t total_ticks)
{
    s->prog = p;
    s->prog_total = total_ticks;
    s->prog_next = s->events + SIM_PROGRESS_EVERY;
}

const char *sim_errmsg(const sim *s)
{
    return s->errmsg;
}

static void count_events(sim *s, uint64_t n)
{
    s->events += n;
    if (s->prog && s->events >= s->prog_next) {
        progress_update(s->prog, s->now, s->prog_total);
        s->prog_next = s->events + SIM_PROGRESS_EVERY;
    }
}

/*
 * Common gate of sim_step and sim_pop_batch: SIM_OK with *head filled when an event may be
 * taken, SIM_DONE otherwise (consuming a stop request, advancing the clock to a passed stop tick).
 */
static int gate(sim *s, eq__key *head)
{
    if (s->stop_requested) {
        s->stop_requested = 0;
        return SIM_DONE;
    }
    if (eq__head(s->q, head) && head->tick <= s->stop_at)
        return SIM_OK;
    /* Nothing left at or before a finite stop tick: simulated time has reached it. */
    if (s->stop_at != UINT64_MAX && s->stop_at > s->now) {
        s->now = s->stop_at;
        s->now_phase = 0;
    }
    return SIM_DONE;
}

/* Maps a handler's return value onto the step protocol; `who` names the handler. */
static int handler_status(sim *s, int rc, const char *who, uint32_t id)
{
    if (rc == 0)
        return SIM_OK;
    if (rc > 0)
        return fail(s, SIM_EHANDLER,
                    "%s %" PRIu32 " returned %d (positive codes are reserved) at tick %" PRIu64
                    ", phase %" PRIu32,
                    who, id, rc, s->now, s->now_phase);
    return fail(s, rc, "%s %" PRIu32 " failed with %d at tick %" PRIu64 ", phase %" PRIu32, who, id,
                rc, s->now, s->now_phase);
}

/* Puts the head group of a batched phase in canonical order unless it already is. */
static int ensure_canonical(sim *s, eq__key *head)
{
    if (s->canon_valid && head->tick == s->canon_tick && head->phase == s->canon_phase &&
        head->seq <= s->canon_seq_hi)
        return SIM_OK;
    int rc = eq_canonicalize_head(s->q, NULL, &s->canon_seq_hi);
    if (rc)
        return from_eq(s, rc, "canonical order");
    s->canon_valid = 1;
    s->canon_tick = head->tick;
    s->canon_phase = head->phase;
    eq__head(s->q, head); /* same (tick, phase), possibly another event */
    return SIM_OK;
}

static int grow_batch(sim *s, size_t need)
{
    if (need <= s->batch_cap)
        return SIM_OK;
    size_t cap = s->batch_cap ? s->batch_cap : 64;
    while (cap < need)
        cap *= 2;
    eq_event *b = realloc(s->batch, cap * sizeof *b);
    if (!b)
        return fail(s, SIM_ENOMEM, "batch buffer of %zu events", cap);
    s->batch = b;
    s->batch_cap = cap;
    return SIM_OK;
}

/* Takes the (already gated) head group out of the queue in canonical order. */
static int take_group(sim *s, const eq__key *head, const eq_event **evs, size_t *n)
{
    size_t k = 0;
    int rc = eq_canonicalize_head(s->q, &k, NULL);
    if (rc)
        return from_eq(s, rc, "sim_pop_batch");
    if ((rc = grow_batch(s, k)) != 0)
        return rc;
    s->now = head->tick;
    s->now_phase = head->phase;
    for (size_t i = 0; i < k; i++)
        eq_pop(s->q, &s->batch[i]);
    /* The group just taken is gone; a later group at this (tick, phase) needs its own pass. */
    s->canon_valid = 0;
    *evs = s->batch;
    *n = k;
    count_events(s, k);
    return SIM_OK;
}

int sim_pop_batch(sim *s, const eq_event **evs, size_t *n)
{
    eq__key head;
    *evs = NULL;
    *n = 0;
    int rc = gate(s, &head);
    if (rc)
        return rc;
    return take_group(s, &head, evs, n);
}

static int step_batch_fn(sim *s, const eq__key *head, const sim_batch_handler *bh)
{
    const eq_event *evs = NULL;
    size_t n = 0;
    uint32_t phase = head->phase;
    int rc = take_group(s, head, &evs, &n);
    if (rc)
        return rc;
    return handler_status(s, bh->fn(s, evs, n, bh->ctx), "batch handler of phase", phase);
}

int sim_step(sim *s)
{
    if (s->interrupt && *s->interrupt)
        return SIM_INTERRUPTED;
    eq__key head;
    int rc = gate(s, &head);
    if (rc)
        return rc;
    if (is_batched(s, head.phase)) {
        const sim_batch_handler *bh = find_batch_fn(s, head.phase);
        if (bh)
            return step_batch_fn(s, &head, bh);
        if ((rc = ensure_canonical(s, &head)) != 0)
            return rc;
    }
    const sim_handler *h = &s->handlers[head.kind];
    if (!h->fn)
        return fail(s, SIM_ENOHANDLER,
                    "no handler for kind %" PRIu32 " (tick %" PRIu64 ", phase %" PRIu32 ")",
                    head.kind, head.tick, head.phase);
    eq_event ev;
    eq_pop(s->q, &ev);
    s->now = ev.tick;
    s->now_phase = ev.phase;
    count_events(s, 1);
    return handler_status(s, h->fn(s, &ev, h->ctx), "handler of kind", ev.kind);
}

int sim_run(sim *s)
{
    int rc;
    while ((rc = sim_step(s)) == SIM_OK)
        ;
    if (s->prog)
        progress_update(s->prog, s->now, s->prog_total);
    return rc;
}
