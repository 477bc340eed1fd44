/*
 * check_engine_oom: allocation failures in the engine return error codes and leave state intact.
 *
 * The program is linked with -Wl,--wrap=malloc,calloc,realloc,aligned_alloc, so every allocation
 * made by the engine library (and by this file) goes through tests/helpers/oom_inject.c. A test
 * arms it to fail exactly the n-th allocation from now, for n = 0, 1, 2, ... until the operation
 * completes without reaching it: every allocation site of the operation is failed once.
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "eq.h"
#include "oom_inject.h"
#include "progress.h"
#include "rng.h"
#include "sim.h"
#include "tdb.h"

enum { MAX_SITES = 64 }; /* more allocation sites than any operation here has */

START_TEST(test_eq_new)
{
    for (long n = 0; n < MAX_SITES; n++) {
        oom_arm(n);
        eq *q = eq_new(8);
        if (!oom_disarm()) {
            ck_assert_ptr_nonnull(q);
            ck_assert_int_ge(n, 4); /* heap, slot index, slot pool, peek buffer, queue */
            eq_free(q);
            return;
        }
        ck_assert_ptr_null(q);
    }
    ck_abort_msg("eq_new never completed");
}
END_TEST

/* Growth on push: fails with EQ_ENOMEM and the queue still pops its 16 events in order. */
START_TEST(test_eq_push_growth)
{
    for (long n = 0; n < MAX_SITES; n++) {
        eq *q = eq_new(16);
        for (uint64_t i = 0; i < 16; i++)
            ck_assert_int_eq(eq_push(q, 100 - i, 0, 0, 0, i, NULL), EQ_OK);
        eq_id id = 77;
        oom_arm(n);
        int rc = eq_push(q, 1, 0, 0, 0, 99, &id);
        int hit = oom_disarm();
        if (!hit) {
            ck_assert_int_eq(rc, EQ_OK);
            ck_assert_uint_eq(eq_size(q), 17);
            eq_free(q);
            ck_assert_int_ge(n, 2); /* at least the heap and index arrays grew */
            return;
        }
        ck_assert_int_eq(rc, EQ_ENOMEM);
        ck_assert_uint_eq(id, 77); /* no id handed out */
        ck_assert_uint_eq(eq_size(q), 16);
        eq_event ev;
        for (uint64_t i = 0; i < 16; i++) {
            ck_assert_int_eq(eq_pop(q, &ev), EQ_OK);
            ck_assert_uint_eq(ev.data, 15 - i);
        }
        eq_free(q);
    }
    ck_abort_msg("eq_push never completed");
}
END_TEST

START_TEST(test_eq_canonicalize)
{
    for (long n = 0; n < MAX_SITES; n++) {
        eq *q = eq_new(0);
        for (uint64_t i = 0; i < 300; i++)
            ck_assert_int_eq(eq_push(q, 5, 1, 0, 1000 - i, i, NULL), EQ_OK);
        oom_arm(n);
        int rc = eq_canonicalize_head(q, NULL, NULL);
        int hit = oom_disarm();
        eq_event ev;
        if (!hit) {
            ck_assert_int_eq(rc, EQ_OK);
            ck_assert_int_eq(eq_pop(q, &ev), EQ_OK);
            ck_assert_uint_eq(ev.data, 299); /* smallest target first */
            eq_free(q);
            return;
        }
        ck_assert_int_eq(rc, EQ_ENOMEM);
        for (uint64_t i = 0; i < 300; i++) { /* unchanged: still FIFO */
            ck_assert_int_eq(eq_pop(q, &ev), EQ_OK);
            ck_assert_uint_eq(ev.data, i);
        }
        eq_free(q);
    }
    ck_abort_msg("eq_canonicalize_head never completed");
}
END_TEST

START_TEST(test_sim_new_and_at)
{
    long n;
    sim *s = NULL;
    for (n = 0; n < MAX_SITES; n++) {
        oom_arm(n);
        s = sim_new();
        if (!oom_disarm())
            break;
        ck_assert_ptr_null(s);
    }
    ck_assert_ptr_nonnull(s);
    int rc = SIM_OK;
    uint64_t i = 0;
    for (; i < 5000 && rc == SIM_OK; i++) {
        oom_arm(0); /* fail every growth; pushes that fit succeed */
        rc = sim_at(s, i, 0, 0, 0, 0, NULL);
        oom_disarm();
    }
    ck_assert_int_eq(rc, SIM_ENOMEM);
    ck_assert_uint_eq(sim_pending(s), i - 1);
    ck_assert_str_ne(sim_errmsg(s), "");
    sim_free(s);
}
END_TEST

static int nop(sim *s, const eq_event *ev, void *ctx)
{
    (void)s;
    (void)ev;
    (void)ctx;
    return 0;
}

START_TEST(test_sim_pop_batch)
{
    for (long n = 0; n < MAX_SITES; n++) {
        sim *s = sim_new();
        sim_on(s, 0, nop, NULL);
        for (uint64_t i = 0; i < 200; i++)
            ck_assert_int_eq(sim_at(s, 3, 0, 0, i % 7, i, NULL), SIM_OK);
        const eq_event *evs = NULL;
        size_t k = 99;
        oom_arm(n);
        int rc = sim_pop_batch(s, &evs, &k);
        int hit = oom_disarm();
        if (!hit) {
            ck_assert_int_eq(rc, SIM_OK);
            ck_assert_uint_eq(k, 200);
            sim_free(s);
            return;
        }
        ck_assert_int_eq(rc, SIM_ENOMEM);
        ck_assert_uint_eq(k, 0);
        ck_assert_uint_eq(sim_pending(s), 200);
        ck_assert_uint_eq(sim_events(s), 0);
        ck_assert_int_eq(sim_run(s), SIM_DONE); /* recovers once memory is back */
        ck_assert_uint_eq(sim_events(s), 200);
        sim_free(s);
    }
    ck_abort_msg("sim_pop_batch never completed");
}
END_TEST

START_TEST(test_rng_and_progress)
{
    rng_key k = {1, 2, 3, 4};
    for (long n = 0; n < 2; n++) { /* generator struct, then its state */
        oom_arm(n);
        gsl_rng *a = rng_stream_new(&k);
        ck_assert(oom_disarm());
        ck_assert_ptr_null(a);
        oom_arm(n);
        gsl_rng *b = rng_event_new();
        ck_assert(oom_disarm());
        ck_assert_ptr_null(b);
    }
    oom_arm(0);
    progress *p = progress_new(stderr, "x", PROGRESS_QUIET);
    ck_assert(oom_disarm());
    ck_assert_ptr_null(p);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("engine_oom");
    TCase *tc = tcase_create("oom");
    tcase_add_test(tc, test_eq_new);
    tcase_add_test(tc, test_eq_push_growth);
    tcase_add_test(tc, test_eq_canonicalize);
    tcase_add_test(tc, test_sim_new_and_at);
    tcase_add_test(tc, test_sim_pop_batch);
    tcase_add_test(tc, test_rng_and_progress);
    suite_add_tcase(s, tc);
    return tdb_run(s);
}
