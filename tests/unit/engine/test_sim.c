/*
 * Tests of sim: dispatch and clock, stop tick, stop request, interrupt flag, handler errors,
 * missing handlers, scheduling errors, and canonical batches that do not depend on the order in
 * which events were scheduled.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_suites.h"
#include "sim.h"

enum { LOG_CAP = 256 };

/* What handlers saw, in delivery order. */
typedef struct trace {
    eq_event ev[LOG_CAP];             /* delivered events */
    uint64_t now[LOG_CAP];            /* sim_now during the handler */
    size_t n;                         /* entries used */
    size_t stop_after;                /* request a stop after this many (0: never) */
    volatile sig_atomic_t *interrupt; /* raise this after stop_after events, if set */
    int fail_at;                      /* return fail_rc when n reaches fail_at (0: never) */
    int fail_rc;                      /* code returned at fail_at */
} trace;

static int record(sim *s, const eq_event *ev, void *ctx)
{
    trace *t = ctx;
    ck_assert_uint_lt(t->n, LOG_CAP);
    t->ev[t->n] = *ev;
    t->now[t->n] = sim_now(s);
    t->n++;
    if (t->stop_after && t->n == t->stop_after) {
        if (t->interrupt)
            *t->interrupt = 1;
        else
            sim_request_stop(s);
    }
    if (t->fail_at && (int)t->n == t->fail_at)
        return t->fail_rc;
    return 0;
}

START_TEST(test_dispatch_and_clock)
{
    sim *s = sim_new();
    trace t = {0};
    ck_assert_int_eq(sim_on(s, 1, record, &t), SIM_OK);
    ck_assert_int_eq(sim_on(s, 2, record, &t), SIM_OK);
    ck_assert_int_eq(sim_at(s, 5, 0, 1, 50, 0, NULL), SIM_OK);
    ck_assert_int_eq(sim_at(s, 3, 1, 2, 30, 0, NULL), SIM_OK);
    ck_assert_int_eq(sim_at(s, 9, 0, 1, 90, 0, NULL), SIM_OK);
    ck_assert_int_eq(sim_at(s, 3, 0, 1, 31, 0, NULL), SIM_OK);
    ck_assert_uint_eq(sim_pending(s), 4);
    ck_assert_int_eq(sim_run(s), SIM_DONE);
    ck_assert_uint_eq(t.n, 4);
    static const uint64_t tgt[4] = {31, 30, 50, 90}, now[4] = {3, 3, 5, 9};
    for (size_t i = 0; i < 4; i++) {
        ck_assert_uint_eq(t.ev[i].target, tgt[i]);
        ck_assert_uint_eq(t.now[i], now[i]);
    }
    ck_assert_uint_eq(sim_events(s), 4);
    ck_assert_uint_eq(sim_now(s), 9);
    ck_assert_int_eq(sim_step(s), SIM_DONE); /* empty stays done */
    sim_free(s);
    sim_free(NULL);
}
END_TEST

/* A handler that keeps rescheduling itself every 7 ticks until tick 700. */
static int chain(sim *s, const eq_event *ev, void *ctx)
{
    uint64_t *count = ctx;
    (*count)++;
    if (sim_now(s) + 7 <= 700)
        return sim_after(s, 7, ev->phase, ev->kind, ev->target, ev->data + 1, NULL);
    return 0;
}

START_TEST(test_self_scheduling_chain)
{
    sim *s = sim_new();
    uint64_t count = 0;
    ck_assert_int_eq(sim_on(s, 0, chain, &count), SIM_OK);
    ck_assert_int_eq(sim_at(s, 0, 0, 0, 0, 0, NULL), SIM_OK);
    ck_assert_int_eq(sim_run(s), SIM_DONE);
    ck_assert_uint_eq(count, 101); /* ticks 0, 7, ..., 700 */
    ck_assert_uint_eq(sim_now(s), 700);
    sim_free(s);
}
END_TEST

START_TEST(test_stop_at)
{
    sim *s = sim_new();
    trace t = {0};
    sim_on(s, 0, record, &t);
    for (uint64_t tick = 1; tick <= 10; tick++)
        ck_assert_int_eq(sim_at(s, tick, 0, 0, tick, 0, NULL), SIM_OK);
    sim_stop_at(s, 5);
    ck_assert_int_eq(sim_run(s), SIM_DONE);
    ck_assert_uint_eq(t.n, 5);
    ck_assert_uint_eq(sim_pending(s), 5); /* ticks 6..10 left */
    ck_assert_uint_eq(sim_now(s), 5);
    sim_stop_at(s, 8);
    ck_assert_int_eq(sim_run(s), SIM_DONE);
    ck_assert_uint_eq(t.n, 8);
    ck_assert_uint_eq(t.ev[7].target, 8);
    sim_stop_at(s, UINT64_MAX);
    ck_assert_int_eq(sim_run(s), SIM_DONE);
    ck_assert_uint_eq(t.n, 10);
    sim_free(s);
}
END_TEST

/* With no event at the stop tick, the clock still advances to it. */
START_TEST(test_stop_at_advances_clock)
{
    sim *s = sim_new();
    trace t = {0};
    sim_on(s, 0, record, &t);
    sim_at(s, 2, 0, 0, 0, 0, NULL);
    sim_at(s, 9, 0, 0, 0, 0, NULL);
    sim_stop_at(s, 5);
    ck_assert_int_eq(sim_run(s), SIM_DONE);
    ck_assert_uint_eq(t.n, 1);
    ck_assert_uint_eq(sim_now(s), 5);
    ck_assert_int_eq(sim_at(s, 4, 0, 0, 0, 0, NULL), SIM_EPAST);
    ck_assert_int_eq(sim_at(s, 5, 0, 0, 0, 0, NULL), SIM_OK);
    /* The queue running dry before the stop tick also ends at the stop tick... */
    sim_stop_at(s, 50);
    ck_assert_int_eq(sim_run(s), SIM_DONE);
    ck_assert_uint_eq(t.n, 3);
    ck_assert_uint_eq(sim_now(s), 50);
    sim_free(s);
    /* ... but without a stop tick the clock stays at the last event. */
    s = sim_new();
    sim_on(s, 0, record, &t);
    sim_at(s, 7, 3, 0, 0, 0, NULL);
    ck_assert_int_eq(sim_run(s), SIM_DONE);
    ck_assert_uint_eq(sim_now(s), 7);
    ck_assert_uint_eq(sim_phase(s), 3);
    sim_free(s);
}
END_TEST

START_TEST(test_request_stop_and_resume)
{
    sim *s = sim_new();
    trace t = {.stop_after = 3};
    sim_on(s, 0, record, &t);
    for (uint64_t i = 0; i < 6; i++)
        sim_at(s, i, 0, 0, i, 0, NULL);
    ck_assert_int_eq(sim_run(s), SIM_DONE);
    ck_assert_uint_eq(t.n, 3);
    ck_assert_uint_eq(sim_pending(s), 3);
    ck_assert_int_eq(sim_run(s), SIM_DONE); /* the request was consumed: resume */
    ck_assert_uint_eq(t.n, 6);
    sim_free(s);
}
END_TEST

START_TEST(test_interrupt_flag)
{
    sim *s = sim_new();
    volatile sig_atomic_t flag = 0;
    trace t = {.stop_after = 2, .interrupt = &flag};
    sim_on(s, 0, record, &t);
    sim_set_interrupt(s, &flag);
    for (uint64_t i = 0; i < 5; i++)
        sim_at(s, i, 0, 0, i, 0, NULL);
    ck_assert_int_eq(sim_run(s), SIM_INTERRUPTED);
    ck_assert_uint_eq(t.n, 2);
    ck_assert_int_eq(sim_step(s), SIM_INTERRUPTED); /* checked before every step */
    ck_assert_uint_eq(t.n, 2);
    flag = 0;
    ck_assert_int_eq(sim_run(s), SIM_DONE);
    ck_assert_uint_eq(t.n, 5);
    sim_set_interrupt(s, NULL);
    sim_free(s);
}
END_TEST

START_TEST(test_handler_error_propagates)
{
    sim *s = sim_new();
    trace t = {.fail_at = 3, .fail_rc = -4242};
    sim_on(s, 0, record, &t);
    for (uint64_t i = 0; i < 6; i++)
        sim_at(s, 10 + i, 0, 0, i, 0, NULL);
    ck_assert_int_eq(sim_run(s), -4242);
    ck_assert_uint_eq(t.n, 3);
    ck_assert_uint_eq(sim_pending(s), 3);
    ck_assert_ptr_nonnull(strstr(sim_errmsg(s), "-4242"));
    ck_assert_ptr_nonnull(strstr(sim_errmsg(s), "tick 12"));
    sim_free(s);
}
END_TEST

START_TEST(test_handler_positive_code)
{
    sim *s = sim_new();
    trace t = {.fail_at = 1, .fail_rc = SIM_DONE};
    sim_on(s, 0, record, &t);
    sim_at(s, 1, 0, 0, 0, 0, NULL);
    sim_at(s, 2, 0, 0, 0, 0, NULL);
    ck_assert_int_eq(sim_run(s), SIM_EHANDLER); /* not mistaken for normal completion */
    ck_assert_uint_eq(sim_pending(s), 1);
    sim_free(s);
}
END_TEST

START_TEST(test_missing_handler)
{
    sim *s = sim_new();
    trace t = {0};
    sim_on(s, 0, record, &t);
    sim_at(s, 1, 0, 0, 0, 0, NULL);
    sim_at(s, 2, 0, 3, 0, 0, NULL);
    ck_assert_int_eq(sim_run(s), SIM_ENOHANDLER);
    ck_assert_uint_eq(t.n, 1);
    ck_assert_uint_eq(sim_pending(s), 1); /* left pending for inspection */
    ck_assert_ptr_nonnull(strstr(sim_errmsg(s), "kind 3"));
    sim_on(s, 3, record, &t);
    ck_assert_int_eq(sim_run(s), SIM_DONE);
    ck_assert_uint_eq(t.n, 2);
    ck_assert_uint_eq(t.ev[1].kind, 3);
    sim_on(s, 3, NULL, NULL); /* clearing works */
    sim_at(s, 3, 0, 3, 0, 0, NULL);
    ck_assert_int_eq(sim_step(s), SIM_ENOHANDLER);
    sim_free(s);
}
END_TEST

static int schedule_in_handler(sim *s, const eq_event *ev, void *ctx)
{
    int *rcs = ctx;
    (void)ev;
    rcs[0] = sim_at(s, sim_now(s), 1, 0, 0, 0, NULL); /* earlier phase of the same tick */
    rcs[1] = sim_at(s, sim_now(s), 2, 1, 0, 0, NULL); /* the current phase: allowed */
    rcs[2] = sim_after(s, 0, 3, 1, 0, 0, NULL);       /* a later phase: allowed */
    return 0;
}

START_TEST(test_schedule_errors)
{
    sim *s = sim_new();
    trace t = {0};
    int rcs[3];
    ck_assert_int_eq(sim_on(s, SIM_MAX_KINDS, record, &t), SIM_EKIND);
    ck_assert_int_eq(sim_at(s, 1, 0, SIM_MAX_KINDS, 0, 0, NULL), SIM_EKIND);
    ck_assert_int_eq(sim_at(s, 1, EQ_PHASE_MAX + 1, 0, 0, 0, NULL), SIM_EPHASE);
    ck_assert_int_eq(sim_batch_phase(s, EQ_PHASE_MAX + 1, NULL, NULL), SIM_EPHASE);
    ck_assert_uint_eq(sim_pending(s), 0);
    sim_on(s, 0, schedule_in_handler, rcs);
    sim_on(s, 1, record, &t);
    sim_at(s, 100, 2, 0, 0, 0, NULL);
    ck_assert_int_eq(sim_step(s), SIM_OK);
    ck_assert_int_eq(rcs[0], SIM_EPAST);
    ck_assert_int_eq(rcs[1], SIM_OK);
    ck_assert_int_eq(rcs[2], SIM_OK);
    ck_assert_int_eq(sim_at(s, 99, 5, 0, 0, 0, NULL), SIM_EPAST);
    ck_assert_ptr_nonnull(strstr(sim_errmsg(s), "tick 99"));
    ck_assert_int_eq(sim_after(s, UINT64_MAX - 50, 0, 0, 0, 0, NULL), SIM_EOVERFLOW);
    ck_assert_int_eq(sim_run(s), SIM_DONE);
    ck_assert_uint_eq(t.n, 2);
    sim_free(s);
}
END_TEST

static int settle_nop(sim *s, const eq_event *evs, size_t n, void *ctx)
{
    (void)s;
    (void)evs;
    (void)n;
    (void)ctx;
    return 0;
}

START_TEST(test_batch_table_full)
{
    sim *s = sim_new();
    for (uint32_t p = 0; p < SIM_MAX_BATCH_HANDLERS; p++)
        ck_assert_int_eq(sim_batch_phase(s, 100 + p, settle_nop, NULL), SIM_OK);
    ck_assert_int_eq(sim_batch_phase(s, 100, settle_nop, NULL), SIM_OK); /* replacing is fine */
    ck_assert_int_eq(sim_batch_phase(s, 7, settle_nop, NULL), SIM_EOVERFLOW);
    ck_assert_int_eq(sim_batch_phase(s, 7, NULL, NULL),
                     SIM_OK); /* per-event batching needs no slot */
    ck_assert_int_eq(sim_batch_phase(s, 100, NULL, NULL), SIM_OK); /* frees one */
    ck_assert_int_eq(sim_batch_phase(s, 7, settle_nop, NULL), SIM_OK);
    sim_free(s);
}
END_TEST

START_TEST(test_cancel_reschedule)
{
    sim *s = sim_new();
    trace t = {0};
    eq_id a, b, c;
    sim_on(s, 0, record, &t);
    sim_at(s, 10, 0, 0, 'a', 0, &a);
    sim_at(s, 20, 0, 0, 'b', 0, &b);
    sim_at(s, 30, 0, 0, 'c', 0, &c);
    ck_assert_int_eq(sim_cancel(s, b), SIM_OK);
    ck_assert_int_eq(sim_cancel(s, b), SIM_ENOENT);
    ck_assert_int_eq(sim_reschedule(s, c, 5, 0), SIM_OK);
    ck_assert_int_eq(sim_step(s), SIM_OK);
    ck_assert_uint_eq(t.ev[0].target, 'c');
    ck_assert_int_eq(sim_reschedule(s, a, 4, 0), SIM_EPAST);
    ck_assert_int_eq(sim_reschedule(s, c, 40, 0), SIM_ENOENT); /* fired */
    ck_assert_int_eq(sim_run(s), SIM_DONE);
    ck_assert_uint_eq(t.n, 2);
    ck_assert_uint_eq(t.ev[1].target, 'a');
    sim_free(s);
}
END_TEST

START_TEST(test_strerror)
{
    for (int c = -8; c <= 2; c++) {
        ck_assert_str_ne(sim_strerror(c), "unknown sim status");
        for (int d = -8; d < c; d++)
            ck_assert_str_ne(sim_strerror(c), sim_strerror(d));
    }
    ck_assert_str_eq(sim_strerror(-4242), "unknown sim status");
    /* The shared codes carry the same values as the queue's. */
    ck_assert_int_eq(SIM_ENOMEM, EQ_ENOMEM);
    ck_assert_int_eq(SIM_ENOENT, EQ_ENOENT);
    ck_assert_int_eq(SIM_EPHASE, EQ_EPHASE);
    ck_assert_int_eq(SIM_EOVERFLOW, EQ_EOVERFLOW);
}
END_TEST

/* ---- canonical batches ---- */

enum { BATCH_PHASE = 2, NOISE_KIND = 5 };

typedef struct bev {
    uint64_t target; /* canonical key 1 */
    uint32_t kind;   /* canonical key 2 */
    uint64_t data;   /* canonical key 3 */
} bev;

/* Settlement events of one (tick, phase), as agents would schedule them. */
static const bev batch_in[] = {
    {12, 1, 7}, {4, 2, 1}, {12, 0, 3}, {4, 1, 9}, {30, 1, 0}, {4, 1, 2}, {0, 3, 3}, {12, 1, 6},
};
/* The same, sorted by hand by (target, kind, data). */
static const bev batch_sorted[] = {
    {0, 3, 3}, {4, 1, 2}, {4, 1, 9}, {4, 2, 1}, {12, 0, 3}, {12, 1, 6}, {12, 1, 7}, {30, 1, 0},
};
#define BATCH_N (sizeof batch_in / sizeof batch_in[0])

/*
 * Schedules the batch (at tick 20, BATCH_PHASE) in the order `perm`, with noise events at phases
 * 1 and 3 of the same tick interleaved, from two different "times": half before a first event
 * runs, half from inside its handler.
 */
typedef struct sched_ctx {
    const size_t *perm; /* order to schedule batch_in in */
    trace *t;           /* where deliveries are logged */
} sched_ctx;

static void schedule_batch_half(sim *s, const size_t *perm, size_t from, size_t to)
{
    for (size_t j = from; j < to; j++) {
        const bev *b = &batch_in[perm[j]];
        ck_assert_int_eq(sim_at(s, 20, BATCH_PHASE, b->kind, b->target, b->data, NULL), SIM_OK);
        ck_assert_int_eq(sim_at(s, 20, 1 + 2 * (uint32_t)(j % 2), NOISE_KIND, 900 + j, 0, NULL),
                         SIM_OK);
    }
}

static int kickoff(sim *s, const eq_event *ev, void *ctx)
{
    sched_ctx *c = ctx;
    (void)ev;
    schedule_batch_half(s, c->perm, BATCH_N / 2, BATCH_N);
    return 0;
}

static void run_batch_order(const size_t *perm, trace *t, int use_pop_batch)
{
    sim *s = sim_new();
    sched_ctx c = {perm, t};
    for (uint32_t k = 0; k <= NOISE_KIND; k++)
        sim_on(s, k, record, t);
    sim_on(s, 6, kickoff, &c);
    ck_assert_int_eq(sim_batch_phase(s, BATCH_PHASE, NULL, NULL), SIM_OK);
    schedule_batch_half(s, perm, 0, BATCH_N / 2);
    sim_at(s, 10, 0, 6, 0, 0, NULL);
    if (!use_pop_batch) {
        ck_assert_int_eq(sim_run(s), SIM_DONE);
    } else {
        const eq_event *evs;
        size_t n;
        while (sim_pop_batch(s, &evs, &n) == SIM_OK)
            for (size_t i = 0; i < n; i++)
                if (evs[i].kind == 6)
                    kickoff(s, &evs[i], &c);
                else
                    record(s, &evs[i], t);
    }
    sim_free(s);
}

/* Checks the delivered log: noise in FIFO order around the batch, batch in canonical order. */
static void check_batch_log(const trace *t)
{
    size_t j = 0, in_batch = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (t->ev[i].phase != BATCH_PHASE)
            continue;
        ck_assert_uint_eq(t->ev[i].target, batch_sorted[j].target);
        ck_assert_uint_eq(t->ev[i].kind, batch_sorted[j].kind);
        ck_assert_uint_eq(t->ev[i].data, batch_sorted[j].data);
        j++;
        in_batch++;
    }
    ck_assert_uint_eq(in_batch, BATCH_N);
    ck_assert_uint_eq(t->n, 2 * BATCH_N);
    for (size_t i = 1; i < t->n; i++)
        ck_assert_uint_le(t->ev[i - 1].phase, t->ev[i].phase);
}

START_TEST(test_batch_independent_of_schedule_order)
{
    size_t fwd[BATCH_N], rev[BATCH_N];
    for (size_t j = 0; j < BATCH_N; j++)
        fwd[j] = j, rev[j] = BATCH_N - 1 - j;
    trace a = {0}, b = {0};
    run_batch_order(fwd, &a, _i);
    run_batch_order(rev, &b, _i);
    check_batch_log(&a);
    check_batch_log(&b);
    /* Batch members delivered identically (modulo seq/id, which record scheduling history). */
    for (size_t i = 0, ja = 0; i < a.n; i++) {
        if (a.ev[i].phase != BATCH_PHASE)
            continue;
        while (b.ev[ja].phase != BATCH_PHASE)
            ja++;
        ck_assert_uint_eq(a.ev[i].target, b.ev[ja].target);
        ck_assert_uint_eq(a.ev[i].kind, b.ev[ja].kind);
        ck_assert_uint_eq(a.ev[i].data, b.ev[ja].data);
        ja++;
    }
}
END_TEST

/* Without batching the same phase is FIFO: the order does depend on scheduling (contrast). */
START_TEST(test_unbatched_phase_is_fifo)
{
    sim *s = sim_new();
    trace t = {0};
    for (uint32_t k = 0; k < 4; k++)
        sim_on(s, k, record, &t);
    for (size_t j = 0; j < BATCH_N; j++)
        sim_at(s, 1, 0, batch_in[j].kind, batch_in[j].target, batch_in[j].data, NULL);
    ck_assert_int_eq(sim_run(s), SIM_DONE);
    for (size_t j = 0; j < BATCH_N; j++)
        ck_assert_uint_eq(t.ev[j].target, batch_in[j].target);
    sim_free(s);
}
END_TEST

typedef struct set_log {
    size_t calls;    /* batch handler calls */
    size_t sizes[8]; /* group size per call */
    bev got[32];     /* members, concatenated */
    size_t n;        /* members seen */
    uint64_t now[8]; /* clock during each call */
} set_log;

static int settle(sim *s, const eq_event *evs, size_t n, void *ctx)
{
    set_log *l = ctx;
    ck_assert_uint_lt(l->calls, 8);
    l->sizes[l->calls] = n;
    l->now[l->calls] = sim_now(s);
    l->calls++;
    for (size_t i = 0; i < n; i++) {
        ck_assert_uint_lt(l->n, 32);
        l->got[l->n++] = (bev){evs[i].target, evs[i].kind, evs[i].data};
        /* The first group spawns one more settlement into the same (tick, phase). */
        if (l->calls == 1 && i == 0)
            ck_assert_int_eq(sim_at(s, sim_now(s), BATCH_PHASE, 0, 1, 1, NULL), SIM_OK);
    }
    return 0;
}

START_TEST(test_batch_handler_gets_sorted_set)
{
    sim *s = sim_new();
    set_log l = {0};
    trace t = {0};
    sim_on(s, NOISE_KIND, record, &t);
    ck_assert_int_eq(sim_batch_phase(s, BATCH_PHASE, settle, &l), SIM_OK);
    for (size_t j = BATCH_N; j-- > 0;)
        sim_at(s, 20, BATCH_PHASE, batch_in[j].kind, batch_in[j].target, batch_in[j].data, NULL);
    sim_at(s, 20, 3, NOISE_KIND, 0, 0, NULL);
    ck_assert_int_eq(sim_run(s), SIM_DONE);
    ck_assert_uint_eq(l.calls, 2); /* the group, then the latecomer as its own group */
    ck_assert_uint_eq(l.sizes[0], BATCH_N);
    ck_assert_uint_eq(l.sizes[1], 1);
    ck_assert_uint_eq(l.now[0], 20);
    for (size_t j = 0; j < BATCH_N; j++) {
        ck_assert_uint_eq(l.got[j].target, batch_sorted[j].target);
        ck_assert_uint_eq(l.got[j].kind, batch_sorted[j].kind);
        ck_assert_uint_eq(l.got[j].data, batch_sorted[j].data);
    }
    ck_assert_uint_eq(l.got[BATCH_N].target, 1);
    ck_assert_uint_eq(t.n, 1); /* phase 3 runs after both groups */
    ck_assert_uint_eq(sim_events(s), BATCH_N + 2);
    sim_free(s);
}
END_TEST

/* A member handled early cancels a later member of the same canonical group. */
typedef struct canceller {
    eq_id victim; /* id of the member to cancel */
    trace t;      /* deliveries */
    int rc;       /* sim_cancel's answer */
} canceller;

static int cancel_victim(sim *s, const eq_event *ev, void *ctx)
{
    canceller *c = ctx;
    record(s, ev, &c->t);
    if (c->t.n == 1)
        c->rc = sim_cancel(s, c->victim);
    return 0;
}

START_TEST(test_batch_member_cancel)
{
    sim *s = sim_new();
    canceller c = {0};
    sim_on(s, 0, cancel_victim, &c);
    sim_batch_phase(s, 0, NULL, NULL);
    sim_at(s, 1, 0, 0, 9, 0, &c.victim); /* target 9: last in canonical order */
    sim_at(s, 1, 0, 0, 5, 0, NULL);
    sim_at(s, 1, 0, 0, 1, 0, NULL);
    ck_assert_int_eq(sim_run(s), SIM_DONE);
    ck_assert_int_eq(c.rc, SIM_OK);
    ck_assert_uint_eq(c.t.n, 2);
    ck_assert_uint_eq(c.t.ev[0].target, 1);
    ck_assert_uint_eq(c.t.ev[1].target, 5);
    sim_free(s);
}
END_TEST

/* The first member of a group schedules latecomers into the same (tick, phase), out of order. */
static int spawn_latecomers(sim *s, const eq_event *ev, void *ctx)
{
    trace *t = ctx;
    record(s, ev, t);
    if (t->n == 1) {
        static const uint64_t tg[3] = {50, 20, 40};
        for (int i = 0; i < 3; i++)
            ck_assert_int_eq(sim_at(s, sim_now(s), sim_phase(s), 1, tg[i], 0, NULL), SIM_OK);
    }
    return 0;
}

START_TEST(test_batch_latecomers_canonical)
{
    sim *s = sim_new();
    trace t = {0};
    sim_on(s, 0, spawn_latecomers, &t);
    sim_on(s, 1, record, &t);
    sim_batch_phase(s, 4, NULL, NULL);
    sim_at(s, 2, 4, 0, 30, 0, NULL);
    sim_at(s, 2, 4, 0, 10, 0, NULL);
    ck_assert_int_eq(sim_run(s), SIM_DONE);
    static const uint64_t want[5] = {10, 30, 20, 40, 50}; /* group, then latecomers sorted */
    ck_assert_uint_eq(t.n, 5);
    for (int i = 0; i < 5; i++)
        ck_assert_uint_eq(t.ev[i].target, want[i]);
    sim_free(s);
}
END_TEST

static uint64_t fake_clock(void *ctx)
{
    uint64_t *t = ctx;
    *t += UINT64_C(5000000000); /* every reading is 5 s later */
    return *t;
}

START_TEST(test_progress_from_run)
{
    FILE *f = tmpfile();
    ck_assert_ptr_nonnull(f);
    progress *p = progress_new(f, "sim", PROGRESS_LINES);
    uint64_t clk = 0;
    progress_set_clock(p, fake_clock, &clk);
    sim *s = sim_new();
    uint64_t count = 0;
    sim_on(s, 0, chain, &count);
    sim_at(s, 0, 0, 0, 0, 0, NULL);
    sim_set_progress(s, p, 700);
    ck_assert_int_eq(sim_run(s), SIM_DONE);
    rewind(f);
    char buf[512] = {0};
    size_t len = fread(buf, 1, sizeof buf - 1, f);
    /* 101 events: fewer than SIM_PROGRESS_EVERY, so only the final update prints. */
    ck_assert_uint_gt(len, 0);
    ck_assert_ptr_nonnull(strstr(buf, "sim: 100.0% (700/700)"));
    ck_assert_ptr_null(strchr(buf, '\r'));
    sim_free(s);
    progress_free(p);
    fclose(f);
}
END_TEST

/* Many events: an update every SIM_PROGRESS_EVERY events reports the clock. */
static int count_only(sim *s, const eq_event *ev, void *ctx)
{
    (void)s;
    (void)ev;
    (*(uint64_t *)ctx)++;
    return 0;
}

START_TEST(test_progress_every_n_events)
{
    FILE *f = tmpfile();
    progress *p = progress_new(f, "sim", PROGRESS_LINES);
    uint64_t clk = 0, count = 0;
    progress_set_clock(p, fake_clock, &clk);
    sim *s = sim_new();
    sim_on(s, 0, count_only, &count);
    for (uint64_t i = 1; i <= 10000; i++)
        sim_at(s, i, 0, 0, 0, 0, NULL);
    sim_set_progress(s, p, 10000);
    ck_assert_int_eq(sim_run(s), SIM_DONE);
    ck_assert_uint_eq(count, 10000);
    rewind(f);
    char buf[1024] = {0};
    ck_assert_uint_gt(fread(buf, 1, sizeof buf - 1, f), 0);
    /* Event 4096 has tick 4096, event 8192 tick 8192; the run's end reports 10000. */
    char *a = strstr(buf, "sim: 41.0% (4096/10000)");
    char *b = strstr(buf, "sim: 81.9% (8192/10000)");
    char *c = strstr(buf, "sim: 100.0% (10000/10000)");
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    ck_assert_ptr_nonnull(c);
    ck_assert(a < b && b < c);
    sim_free(s);
    progress_free(p);
    fclose(f);
}
END_TEST

Suite *sim_suite(void)
{
    Suite *s = suite_create("sim");
    TCase *tc = tcase_create("loop");
    tcase_add_test(tc, test_dispatch_and_clock);
    tcase_add_test(tc, test_self_scheduling_chain);
    tcase_add_test(tc, test_stop_at);
    tcase_add_test(tc, test_stop_at_advances_clock);
    tcase_add_test(tc, test_request_stop_and_resume);
    tcase_add_test(tc, test_interrupt_flag);
    tcase_add_test(tc, test_handler_error_propagates);
    tcase_add_test(tc, test_handler_positive_code);
    tcase_add_test(tc, test_missing_handler);
    tcase_add_test(tc, test_schedule_errors);
    tcase_add_test(tc, test_cancel_reschedule);
    tcase_add_test(tc, test_batch_table_full);
    tcase_add_test(tc, test_strerror);
    suite_add_tcase(s, tc);
    tc = tcase_create("batch");
    tcase_add_loop_test(tc, test_batch_independent_of_schedule_order, 0, 2);
    tcase_add_test(tc, test_unbatched_phase_is_fifo);
    tcase_add_test(tc, test_batch_handler_gets_sorted_set);
    tcase_add_test(tc, test_batch_member_cancel);
    tcase_add_test(tc, test_batch_latecomers_canonical);
    suite_add_tcase(s, tc);
    tc = tcase_create("progress");
    tcase_add_test(tc, test_progress_from_run);
    tcase_add_test(tc, test_progress_every_n_events);
    suite_add_tcase(s, tc);
    return s;
}
