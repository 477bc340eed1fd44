/*
 * Tests of eq: the total order (tick, phase, seq), FIFO ties, cancel/reschedule with stale ids,
 * a tie-heavy randomized load checked against a reference sort and against a brute-force model,
 * canonical ordering of same-(tick, phase) groups, and status texts.
 */
#include <stdlib.h>
#include <string.h>

#include "engine_suites.h"
#include "eq.h"
#include "eq_int.h"

/* Pops everything, checking the order never goes backwards; returns the data words in order. */
static size_t drain_data(eq *q, uint64_t *out, size_t cap)
{
    eq_event ev, prev = {0};
    size_t n = 0;
    while (eq_pop(q, &ev) == EQ_OK) {
        if (n > 0) {
            int ordered = prev.tick < ev.tick || (prev.tick == ev.tick && prev.phase < ev.phase) ||
                          (prev.tick == ev.tick && prev.phase == ev.phase && prev.seq < ev.seq);
            ck_assert_msg(ordered, "order went backwards at pop %zu", n);
        }
        ck_assert_uint_lt(n, cap);
        out[n++] = ev.data;
        prev = ev;
    }
    return n;
}

START_TEST(test_empty)
{
    eq *q = eq_new(0);
    ck_assert_ptr_nonnull(q);
    eq_event ev = {.tick = 77};
    ck_assert_int_eq(eq_pop(q, &ev), EQ_EMPTY);
    ck_assert_uint_eq(ev.tick, 77); /* untouched */
    ck_assert_ptr_null(eq_peek(q));
    ck_assert_uint_eq(eq_size(q), 0);
    ck_assert_int_eq(eq_canonicalize_head(q, NULL, NULL), EQ_EMPTY);
    eq_free(q);
    eq_free(NULL);
}
END_TEST

START_TEST(test_fields_roundtrip)
{
    eq *q = eq_new(4);
    eq_id id = EQ_ID_NONE;
    ck_assert_int_eq(eq_push(q, 123456789012345ull, 17, 9, 0xDEADBEEFCAFEull, 42, &id), EQ_OK);
    ck_assert_uint_ne(id, EQ_ID_NONE);
    ck_assert_int_eq(eq_push(q, 123456789012346ull, 0, 3, 7, 8, NULL), EQ_OK);
    const eq_event *h = eq_peek(q);
    ck_assert_ptr_nonnull(h);
    ck_assert_uint_eq(h->tick, 123456789012345ull);
    eq_event ev;
    ck_assert_int_eq(eq_pop(q, &ev), EQ_OK);
    ck_assert_uint_eq(ev.tick, 123456789012345ull);
    ck_assert_uint_eq(ev.phase, 17);
    ck_assert_uint_eq(ev.kind, 9);
    ck_assert_uint_eq(ev.target, 0xDEADBEEFCAFEull);
    ck_assert_uint_eq(ev.data, 42);
    ck_assert_uint_eq(ev.seq, 0);
    ck_assert_uint_eq(ev.id, id);
    ck_assert_int_eq(eq_pop(q, &ev), EQ_OK);
    ck_assert_uint_eq(ev.seq, 1);
    ck_assert_uint_eq(ev.id, EQ_ID_NONE); /* pushed untracked */
    eq_free(q);
}
END_TEST

START_TEST(test_ties_fifo)
{
    eq *q = eq_new(0);
    for (uint64_t i = 0; i < 50; i++)
        ck_assert_int_eq(eq_push(q, 1000, 2, 1, 50 - i, i, NULL), EQ_OK);
    uint64_t out[64];
    ck_assert_uint_eq(drain_data(q, out, 64), 50);
    for (uint64_t i = 0; i < 50; i++)
        ck_assert_uint_eq(out[i], i); /* insertion order, not target order */
    eq_free(q);
}
END_TEST

START_TEST(test_phases_within_tick)
{
    eq *q = eq_new(0);
    /* data = expected position: phase p at tick 10 comes p-th; tick 9 first, tick 11 last. */
    ck_assert_int_eq(eq_push(q, 10, 3, 0, 0, 4, NULL), EQ_OK);
    ck_assert_int_eq(eq_push(q, 11, 0, 0, 0, 5, NULL), EQ_OK);
    ck_assert_int_eq(eq_push(q, 10, 1, 0, 0, 2, NULL), EQ_OK);
    ck_assert_int_eq(eq_push(q, 10, 0, 0, 0, 1, NULL), EQ_OK);
    ck_assert_int_eq(eq_push(q, 10, 2, 0, 0, 3, NULL), EQ_OK);
    ck_assert_int_eq(eq_push(q, 9, EQ_PHASE_MAX, 0, 0, 0, NULL), EQ_OK);
    uint64_t out[8];
    ck_assert_uint_eq(drain_data(q, out, 8), 6);
    for (uint64_t i = 0; i < 6; i++)
        ck_assert_uint_eq(out[i], i);
    eq_free(q);
}
END_TEST

/* Every permutation of 5 distinct ticks (plus a tie on each) pops in tick order. */
START_TEST(test_insertion_order_of_ticks)
{
    static const uint64_t ticks[5] = {40, 10, 50, 20, 30};
    int perm[5] = {0, 1, 2, 3, 4};
    /* Generate permutation number _i (0..119) by the factorial number system. */
    int k = _i;
    for (int j = 0; j < 5; j++) {
        int r = k % (5 - j);
        k /= 5 - j;
        int t = perm[j];
        perm[j] = perm[j + r];
        perm[j + r] = t;
    }
    eq *q = eq_new(0);
    for (int j = 0; j < 5; j++) {
        uint64_t t = ticks[perm[j]];
        ck_assert_int_eq(eq_push(q, t, 0, 0, 0, t, NULL), EQ_OK);
        ck_assert_int_eq(eq_push(q, t, 0, 0, 0, t + 1, NULL), EQ_OK); /* tie, pushed second */
    }
    uint64_t out[10];
    ck_assert_uint_eq(drain_data(q, out, 10), 10);
    for (size_t j = 0; j < 5; j++) {
        ck_assert_uint_eq(out[2 * j], 10 * (j + 1));
        ck_assert_uint_eq(out[2 * j + 1], 10 * (j + 1) + 1);
    }
    eq_free(q);
}
END_TEST

START_TEST(test_phase_range)
{
    eq *q = eq_new(0);
    eq_id id;
    ck_assert_int_eq(eq_push(q, 1, EQ_PHASE_MAX + 1, 0, 0, 0, NULL), EQ_EPHASE);
    ck_assert_uint_eq(eq_size(q), 0);
    ck_assert_int_eq(eq_push(q, 1, 0, 0, 0, 0, &id), EQ_OK);
    ck_assert_int_eq(eq_reschedule(q, id, 1, UINT32_MAX), EQ_EPHASE);
    ck_assert_uint_eq(eq_peek(q)->phase, 0);
    eq_free(q);
}
END_TEST

START_TEST(test_cancel)
{
    eq *q = eq_new(0);
    eq_id a, b, c;
    ck_assert_int_eq(eq_push(q, 10, 0, 0, 0, 'a', &a), EQ_OK);
    ck_assert_int_eq(eq_push(q, 20, 0, 0, 0, 'b', &b), EQ_OK);
    ck_assert_int_eq(eq_push(q, 30, 0, 0, 0, 'c', &c), EQ_OK);
    ck_assert_uint_ne(a, b);
    ck_assert_uint_ne(b, c);
    ck_assert_int_eq(eq_cancel(q, b), EQ_OK);
    ck_assert_uint_eq(eq_size(q), 2);
    ck_assert_int_eq(eq_cancel(q, b), EQ_ENOENT); /* already cancelled */
    eq_event ev;
    ck_assert_int_eq(eq_pop(q, &ev), EQ_OK);
    ck_assert_uint_eq(ev.data, 'a');
    ck_assert_int_eq(eq_cancel(q, a), EQ_ENOENT); /* already fired */
    ck_assert_int_eq(eq_cancel(q, EQ_ID_NONE), EQ_ENOENT);
    ck_assert_int_eq(eq_cancel(q, 0xFFFFFFFF00000005ull), EQ_ENOENT); /* never issued */
    ck_assert_int_eq(eq_cancel(q, c), EQ_OK);
    ck_assert_uint_eq(eq_size(q), 0);
    eq_free(q);
}
END_TEST

/* A slot is reused by a later event: the old id must not reach the new event. */
START_TEST(test_stale_id_after_reuse)
{
    eq *q = eq_new(0);
    eq_id a, b;
    eq_event ev;
    ck_assert_int_eq(eq_push(q, 5, 0, 0, 0, 1, &a), EQ_OK);
    ck_assert_int_eq(eq_pop(q, &ev), EQ_OK);
    ck_assert_int_eq(eq_push(q, 6, 0, 0, 0, 2, &b), EQ_OK);
    ck_assert_uint_eq(a & 0xFFFFFFFFu, b & 0xFFFFFFFFu); /* same slot reused ... */
    ck_assert_uint_ne(a, b);                             /* ... under a new generation */
    ck_assert_int_eq(eq_cancel(q, a), EQ_ENOENT);
    ck_assert_int_eq(eq_reschedule(q, a, 1, 0), EQ_ENOENT);
    ck_assert_uint_eq(eq_size(q), 1);
    ck_assert_uint_eq(eq_peek(q)->tick, 6);
    /* An untracked event in a reused slot cannot be reached by forging its id either. */
    ck_assert_int_eq(eq_pop(q, &ev), EQ_OK);
    ck_assert_int_eq(eq_push(q, 7, 0, 0, 0, 3, NULL), EQ_OK);
    ck_assert_int_eq(eq_cancel(q, b), EQ_ENOENT);
    ck_assert_int_eq(eq_cancel(q, b + (UINT64_C(1) << 32)), EQ_ENOENT);
    ck_assert_uint_eq(eq_size(q), 1);
    eq_free(q);
}
END_TEST

START_TEST(test_reschedule)
{
    eq *q = eq_new(0);
    eq_id a, b, c, x;
    eq_event ev;
    ck_assert_int_eq(eq_push(q, 10, 0, 0, 0, 'a', &a), EQ_OK);
    ck_assert_int_eq(eq_push(q, 20, 0, 0, 0, 'b', &b), EQ_OK);
    ck_assert_int_eq(eq_push(q, 30, 0, 0, 0, 'c', &c), EQ_OK);
    ck_assert_int_eq(eq_reschedule(q, c, 5, 0), EQ_OK);  /* earlier: becomes head */
    ck_assert_int_eq(eq_reschedule(q, a, 25, 0), EQ_OK); /* later */
    ck_assert_int_eq(eq_pop(q, &ev), EQ_OK);
    ck_assert_uint_eq(ev.data, 'c');
    ck_assert_uint_eq(ev.id, c); /* the id survives rescheduling */
    ck_assert_int_eq(eq_pop(q, &ev), EQ_OK);
    ck_assert_uint_eq(ev.data, 'b');
    /* Seq is renewed: x moved onto a's (tick, phase) queues behind a. */
    ck_assert_int_eq(eq_push(q, 99, 1, 0, 0, 'x', &x), EQ_OK);
    ck_assert_int_eq(eq_reschedule(q, x, 25, 0), EQ_OK);
    ck_assert_int_eq(eq_pop(q, &ev), EQ_OK);
    ck_assert_uint_eq(ev.data, 'a');
    ck_assert_int_eq(eq_pop(q, &ev), EQ_OK);
    ck_assert_uint_eq(ev.data, 'x');
    ck_assert_uint_eq(ev.seq, 6); /* pushes 0,1,2; reschedules 3,4; push 5; reschedule 6 */
    ck_assert_int_eq(eq_reschedule(q, x, 1, 0), EQ_ENOENT);
    eq_free(q);
}
END_TEST

/* Rescheduling to the same key moves an event behind its equals (cancel + push semantics). */
START_TEST(test_reschedule_same_key)
{
    eq *q = eq_new(0);
    eq_id a;
    eq_event ev;
    ck_assert_int_eq(eq_push(q, 3, 1, 0, 0, 'a', &a), EQ_OK);
    ck_assert_int_eq(eq_push(q, 3, 1, 0, 0, 'b', NULL), EQ_OK);
    ck_assert_int_eq(eq_reschedule(q, a, 3, 1), EQ_OK);
    ck_assert_int_eq(eq_pop(q, &ev), EQ_OK);
    ck_assert_uint_eq(ev.data, 'b');
    ck_assert_int_eq(eq_pop(q, &ev), EQ_OK);
    ck_assert_uint_eq(ev.data, 'a');
    eq_free(q);
}
END_TEST

typedef struct ref_ev {
    uint64_t tick;  /* key */
    uint32_t phase; /* key */
    uint64_t idx;   /* insertion index: the FIFO tie-break the spec prescribes */
} ref_ev;

static int ref_cmp(const void *pa, const void *pb)
{
    const ref_ev *a = pa, *b = pb;
    if (a->tick != b->tick)
        return a->tick < b->tick ? -1 : 1;
    if (a->phase != b->phase)
        return a->phase < b->phase ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* 20,000 events over 40 ticks x 3 phases, pushed in random order: same order as a qsort. */
START_TEST(test_tie_heavy_reference_sort)
{
    enum { N = 20000 };
    uint64_t st = 0x5EED0000u + (uint64_t)_i;
    ref_ev *ref = malloc(N * sizeof *ref);
    uint64_t *out = malloc(N * sizeof *out);
    eq *q = eq_new(_i == 0 ? 0 : N); /* once growing from empty, once preallocated */
    eq_id id; /* the handle of every other push, unused: tracked and untracked pushes mix */
    for (uint64_t i = 0; i < N; i++) {
        ref[i] = (ref_ev){test_below(&st, 40), (uint32_t)test_below(&st, 3), i};
        ck_assert_int_eq(eq_push(q, ref[i].tick, ref[i].phase, 0, 0, i, (i & 1) ? &id : NULL),
                         EQ_OK);
    }
    ck_assert_uint_eq(eq_size(q), N);
    qsort(ref, N, sizeof *ref, ref_cmp);
    ck_assert_uint_eq(drain_data(q, out, N), N); /* exact count, never backwards */
    for (size_t i = 0; i < N; i++)
        ck_assert_uint_eq(out[i], ref[i].idx);
    free(ref);
    free(out);
    eq_free(q);
}
END_TEST

typedef struct model_ev {
    uint64_t tick;  /* key */
    uint32_t phase; /* key */
    uint64_t seq;   /* the test's own mirror of the seq counter */
    uint64_t data;  /* identity */
    eq_id id;       /* id or EQ_ID_NONE */
} model_ev;

static size_t model_min(const model_ev *m, size_t n)
{
    size_t best = 0;
    for (size_t i = 1; i < n; i++) {
        const model_ev *a = &m[i], *b = &m[best];
        if (a->tick < b->tick || (a->tick == b->tick && a->phase < b->phase) ||
            (a->tick == b->tick && a->phase == b->phase && a->seq < b->seq))
            best = i;
    }
    return best;
}

/* Random push/pop/cancel/reschedule mix against a brute-force model of the specified order. */
START_TEST(test_random_ops_model)
{
    enum { OPS = 30000, CAP = 4096 };
    uint64_t st = 0xC0FFEE00u + (uint64_t)_i;
    model_ev *m = malloc(CAP * sizeof *m);
    size_t n = 0;
    uint64_t seq = 0, data = 0;
    eq *q = eq_new(0);
    for (int op = 0; op < OPS; op++) {
        uint64_t r = test_below(&st, 100);
        if ((r < 55 || n == 0) && n < CAP) {
            model_ev e = {test_below(&st, 64), (uint32_t)test_below(&st, 4), seq++, data++, 0};
            int tracked = test_below(&st, 2) == 0;
            ck_assert_int_eq(eq_push(q, e.tick, e.phase, 1, 2, e.data, tracked ? &e.id : NULL),
                             EQ_OK);
            m[n++] = e;
        } else if (r < 85) {
            size_t i = model_min(m, n);
            eq_event ev;
            ck_assert_int_eq(eq_pop(q, &ev), EQ_OK);
            ck_assert_uint_eq(ev.data, m[i].data);
            ck_assert_uint_eq(ev.tick, m[i].tick);
            ck_assert_uint_eq(ev.phase, m[i].phase);
            ck_assert_uint_eq(ev.seq, m[i].seq);
            ck_assert_uint_eq(ev.id, m[i].id);
            m[i] = m[--n];
        } else {
            size_t i = test_below(&st, n);
            if (m[i].id == EQ_ID_NONE) {
                ck_assert_int_eq(eq_cancel(q, m[i].id), EQ_ENOENT);
            } else if (r < 92) {
                ck_assert_int_eq(eq_cancel(q, m[i].id), EQ_OK);
                ck_assert_int_eq(eq_cancel(q, m[i].id), EQ_ENOENT);
                m[i] = m[--n];
            } else {
                m[i].tick = test_below(&st, 64);
                m[i].phase = (uint32_t)test_below(&st, 4);
                m[i].seq = seq++;
                ck_assert_int_eq(eq_reschedule(q, m[i].id, m[i].tick, m[i].phase), EQ_OK);
            }
        }
        ck_assert_uint_eq(eq_size(q), n);
    }
    while (n > 0) {
        size_t i = model_min(m, n);
        eq_event ev;
        ck_assert_int_eq(eq_pop(q, &ev), EQ_OK);
        ck_assert_uint_eq(ev.data, m[i].data);
        m[i] = m[--n];
    }
    ck_assert_int_eq(eq_pop(q, &(eq_event){0}), EQ_EMPTY);
    free(m);
    eq_free(q);
}
END_TEST

START_TEST(test_peek_matches_pop)
{
    eq *q = eq_new(0);
    uint64_t st = 99;
    for (int i = 0; i < 500; i++)
        ck_assert_int_eq(eq_push(q, test_below(&st, 20), (uint32_t)test_below(&st, 3), (uint32_t)i,
                                 test_mix(&st), test_mix(&st), NULL),
                         EQ_OK);
    while (eq_size(q) > 0) {
        eq_event a = *eq_peek(q), b;
        ck_assert_int_eq(eq_pop(q, &b), EQ_OK);
        ck_assert_mem_eq(&a, &b, sizeof a);
    }
    eq_free(q);
}
END_TEST

typedef struct canon_in {
    uint64_t target; /* canonical key 1 */
    uint32_t kind;   /* canonical key 2 */
    uint64_t data;   /* canonical key 3 */
} canon_in;

static const canon_in group_in[] = {
    {7, 2, 100}, {3, 1, 5}, {7, 1, 9},
    {3, 1, 4},   {0, 9, 0}, {7, 2, 99},
    {3, 0, 50},  {9, 0, 1}, {3, 1, 4} /* an exact duplicate of an earlier member */,
};
/* The same members sorted by hand by (target, kind, data). */
static const canon_in group_sorted[] = {
    {0, 9, 0}, {3, 0, 50}, {3, 1, 4},   {3, 1, 4}, {3, 1, 5},
    {7, 1, 9}, {7, 2, 99}, {7, 2, 100}, {9, 0, 1},
};
#define GROUP_N (sizeof group_in / sizeof group_in[0])

/*
 * Pushes the group at (50, 2) in the order given by perm, interleaved with noise at other keys
 * (earlier phase, later phase, later tick), canonicalises once the noise before it is gone, and
 * checks the group pops in canonical order and the noise is undisturbed.
 */
static void check_canonical(const size_t *perm, eq_id *ids_out)
{
    eq *q = eq_new(0);
    ck_assert_int_eq(eq_push(q, 50, 1, 0, 1000, 0, NULL), EQ_OK); /* before the group */
    for (size_t j = 0; j < GROUP_N; j++) {
        const canon_in *c = &group_in[perm[j]];
        ck_assert_int_eq(eq_push(q, 50, 2, c->kind, c->target, c->data, &ids_out[perm[j]]), EQ_OK);
        ck_assert_int_eq(eq_push(q, 50 + j % 2, 3, 0, 2000 + j, 0, NULL), EQ_OK); /* after */
    }
    eq_event ev;
    ck_assert_int_eq(eq_pop(q, &ev), EQ_OK);
    ck_assert_uint_eq(ev.target, 1000);
    size_t k = 0;
    uint64_t hi = 0;
    ck_assert_int_eq(eq_canonicalize_head(q, &k, &hi), EQ_OK);
    ck_assert_uint_eq(k, GROUP_N);
    for (size_t j = 0; j < GROUP_N; j++) {
        ck_assert_int_eq(eq_pop(q, &ev), EQ_OK);
        ck_assert_uint_eq(ev.tick, 50);
        ck_assert_uint_eq(ev.phase, 2);
        ck_assert_uint_eq(ev.target, group_sorted[j].target);
        ck_assert_uint_eq(ev.kind, group_sorted[j].kind);
        ck_assert_uint_eq(ev.data, group_sorted[j].data);
        ck_assert_uint_le(ev.seq, hi);
    }
    uint64_t rest[64];
    size_t n = drain_data(q, rest, 64);
    ck_assert_uint_eq(n, GROUP_N);
    eq_free(q);
}

START_TEST(test_canonicalize_independent_of_insertion)
{
    size_t fwd[GROUP_N], rev[GROUP_N], mix[GROUP_N];
    eq_id ids[GROUP_N];
    uint64_t st = 4242;
    for (size_t j = 0; j < GROUP_N; j++)
        fwd[j] = mix[j] = j, rev[j] = GROUP_N - 1 - j;
    for (size_t j = GROUP_N - 1; j > 0; j--) {
        size_t r = test_below(&st, j + 1), t = mix[j];
        mix[j] = mix[r];
        mix[r] = t;
    }
    check_canonical(fwd, ids);
    check_canonical(rev, ids);
    check_canonical(mix, ids);
}
END_TEST

/* Ids stay valid across canonicalisation; later pushes to the same key come after the group. */
START_TEST(test_canonicalize_ids_and_latecomers)
{
    eq *q = eq_new(0);
    eq_id id_b, id_c;
    ck_assert_int_eq(eq_push(q, 8, 0, 0, 30, 'c', &id_c), EQ_OK);
    ck_assert_int_eq(eq_push(q, 8, 0, 0, 20, 'b', &id_b), EQ_OK);
    ck_assert_int_eq(eq_push(q, 8, 0, 0, 10, 'a', NULL), EQ_OK);
    ck_assert_int_eq(eq_canonicalize_head(q, NULL, NULL), EQ_OK);
    ck_assert_int_eq(eq_push(q, 8, 0, 0, 0, 'z', NULL), EQ_OK); /* smallest target, but late */
    ck_assert_int_eq(eq_cancel(q, id_b), EQ_OK);
    eq_event ev;
    ck_assert_int_eq(eq_pop(q, &ev), EQ_OK);
    ck_assert_uint_eq(ev.data, 'a');
    ck_assert_int_eq(eq_pop(q, &ev), EQ_OK);
    ck_assert_uint_eq(ev.data, 'c');
    ck_assert_uint_eq(ev.id, id_c);
    ck_assert_int_eq(eq_pop(q, &ev), EQ_OK);
    ck_assert_uint_eq(ev.data, 'z');
    eq_free(q);
}
END_TEST

/* A large group spread through a big heap: heap order must survive the reassignment. */
START_TEST(test_canonicalize_large_group_keeps_heap)
{
    enum { N = 5000 };
    eq *q = eq_new(0);
    uint64_t st = 77;
    for (int i = 0; i < N; i++) {
        uint64_t tick = test_below(&st, 3); /* a third of the events share tick 0, phase 0/1 */
        ck_assert_int_eq(eq_push(q, tick, (uint32_t)test_below(&st, 2), 0, test_below(&st, 50),
                                 (uint64_t)i, NULL),
                         EQ_OK);
    }
    size_t k = 0;
    ck_assert_int_eq(eq_canonicalize_head(q, &k, NULL), EQ_OK);
    ck_assert_uint_gt(k, 100);
    eq_event prev, ev;
    ck_assert_int_eq(eq_pop(q, &prev), EQ_OK);
    for (size_t j = 1; j < k; j++) {
        ck_assert_int_eq(eq_pop(q, &ev), EQ_OK);
        ck_assert_uint_eq(ev.tick, prev.tick);
        ck_assert_uint_eq(ev.phase, prev.phase);
        ck_assert(prev.target < ev.target || (prev.target == ev.target && prev.data < ev.data));
        prev = ev;
    }
    ck_assert(eq_peek(q)->tick != prev.tick || eq_peek(q)->phase != prev.phase);
    uint64_t *rest = malloc(N * sizeof *rest);
    ck_assert_uint_eq(drain_data(q, rest, N), N - k);
    free(rest);
    eq_free(q);
}
END_TEST

START_TEST(test_strerror)
{
    static const int codes[] = {EQ_OK, EQ_EMPTY, EQ_ENOMEM, EQ_ENOENT, EQ_EPHASE, EQ_EOVERFLOW};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        ck_assert_ptr_nonnull(eq_strerror(codes[i]));
        ck_assert_str_ne(eq_strerror(codes[i]), "unknown eq status");
        for (size_t j = 0; j < i; j++)
            ck_assert_str_ne(eq_strerror(codes[i]), eq_strerror(codes[j]));
    }
    ck_assert_str_eq(eq_strerror(12345), "unknown eq status");
    ck_assert_int_lt(EQ_ENOMEM, 0);
    ck_assert_int_gt(EQ_EMPTY, 0);
}
END_TEST

/* The seq counter is finite: exhausting it is an error, never a silent wrap. */
START_TEST(test_seq_exhaustion)
{
    eq *q = eq_new(0);
    eq_id a;
    eq_event ev;
    eq__set_next_seq(q, EQ_SEQ_MAX - 1);
    ck_assert_int_eq(eq_push(q, 1, 0, 0, 0, 0, &a), EQ_OK);
    ck_assert_int_eq(eq_push(q, 1, 0, 0, 0, 0, NULL), EQ_OK); /* gets EQ_SEQ_MAX itself */
    ck_assert_int_eq(eq_push(q, 1, 0, 0, 0, 0, NULL), EQ_EOVERFLOW);
    ck_assert_int_eq(eq_reschedule(q, a, 2, 0), EQ_EOVERFLOW);
    ck_assert_int_eq(eq_canonicalize_head(q, NULL, NULL), EQ_EOVERFLOW);
    ck_assert_uint_eq(eq_size(q), 2);
    ck_assert_int_eq(eq_pop(q, &ev), EQ_OK);
    ck_assert_uint_eq(ev.seq, EQ_SEQ_MAX - 1);
    ck_assert_uint_eq(ev.id, a);
    ck_assert_int_eq(eq_pop(q, &ev), EQ_OK);
    ck_assert_uint_eq(ev.seq, EQ_SEQ_MAX);
    eq_free(q);
}
END_TEST

START_TEST(test_bad_capacity_hint)
{
    ck_assert_ptr_null(eq_new(SIZE_MAX));
}
END_TEST

Suite *eq_suite(void)
{
    Suite *s = suite_create("eq");
    TCase *tc = tcase_create("order");
    tcase_add_test(tc, test_empty);
    tcase_add_test(tc, test_fields_roundtrip);
    tcase_add_test(tc, test_ties_fifo);
    tcase_add_test(tc, test_phases_within_tick);
    tcase_add_loop_test(tc, test_insertion_order_of_ticks, 0, 120);
    tcase_add_test(tc, test_phase_range);
    tcase_add_test(tc, test_peek_matches_pop);
    tcase_add_test(tc, test_strerror);
    tcase_add_test(tc, test_bad_capacity_hint);
    tcase_add_test(tc, test_seq_exhaustion);
    suite_add_tcase(s, tc);
    tc = tcase_create("cancel");
    tcase_add_test(tc, test_cancel);
    tcase_add_test(tc, test_stale_id_after_reuse);
    tcase_add_test(tc, test_reschedule);
    tcase_add_test(tc, test_reschedule_same_key);
    suite_add_tcase(s, tc);
    tc = tcase_create("load");
    tcase_set_timeout(tc, 30);
    tcase_add_loop_test(tc, test_tie_heavy_reference_sort, 0, 2);
    tcase_add_loop_test(tc, test_random_ops_model, 0, 3);
    suite_add_tcase(s, tc);
    tc = tcase_create("canonical");
    tcase_add_test(tc, test_canonicalize_independent_of_insertion);
    tcase_add_test(tc, test_canonicalize_ids_and_latecomers);
    tcase_add_test(tc, test_canonicalize_large_group_keeps_heap);
    suite_add_tcase(s, tc);
    return s;
}
