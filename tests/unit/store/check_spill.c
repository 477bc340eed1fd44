/*
** check_spill.c: the store's spill (sim/store/store_spill.c), the file of digest text the writer
** keeps per stream, driven directly through store_int.h. Every stream's bytes are kept in a plain
** buffer beside it, appended in the same calls: what the spill feeds back must be exactly those
** bytes, across its gathered writes (several times over), after more rows arrive behind a seal,
** and never after it was abandoned.
*/
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store_int.h"
#include "tdb.h"

enum { NSTREAMS = 3, EXTENT = 1024, CAP = 4 << 20 };

typedef struct want {
    char *b[NSTREAMS]; /* each stream's bytes, in its digest place */
    size_t n[NSTREAMS];
} want;

typedef struct got {
    char *b;
    size_t n;
} got;

static char dbfile[64];

static void setup(void)
{
    snprintf(dbfile, sizeof dbfile, "check_spill_%ld.db", (long)getpid());
}

static void put(void *ctx, const void *p, size_t len)
{
    got *g = ctx;
    ck_assert_uint_le(g->n + len, CAP);
    memcpy(g->b + g->n, p, len);
    g->n += len;
}

/* Streams created out of order: places shift as streams are inserted before others. */
static store__spill *three_streams(want *w)
{
    store__spill *sp = store__spill_new(dbfile, EXTENT);
    ck_assert_ptr_nonnull(sp);
    store__spill_insert(sp, 0); /* A */
    store__spill_insert(sp, 0); /* B before A */
    store__spill_insert(sp, 1); /* C between: B, C, A */
    ck_assert_uint_eq(store__spill_streams(sp), NSTREAMS);
    for (int k = 0; k < NSTREAMS; k++) {
        w->b[k] = malloc(CAP);
        w->n[k] = 0;
        ck_assert_ptr_nonnull(w->b[k]);
    }
    return sp;
}

/* Rows r0 .. r1 - 1: lengths 1..EXTENT (some exactly an extent, most crossing one), streams in
** a rotation that is not round-robin, bytes that differ per row. */
static void add_rows(store__spill *sp, want *w, int r0, int r1)
{
    char text[EXTENT];
    for (int r = r0; r < r1; r++) {
        size_t len = r % 97 == 0 ? EXTENT : 1 + (size_t)(r * 7919) % 300;
        int k = (r * r + r / 3) % NSTREAMS;
        for (size_t i = 0; i < len; i++)
            text[i] = (char)('a' + (r + (int)i) % 26);
        store__spill_add(sp, (size_t)k, text, len);
        ck_assert_uint_le(w->n[k] + len, CAP);
        memcpy(w->b[k] + w->n[k], text, len);
        w->n[k] += len;
    }
}

static void check_feed(const store__spill *sp, const want *w)
{
    got g = {malloc(CAP), 0};
    ck_assert_ptr_nonnull(g.b);
    for (int k = 0; k < NSTREAMS; k++) {
        g.n = 0;
        ck_assert_int_eq(store__spill_feed(sp, (size_t)k, put, &g), 0);
        ck_assert_uint_eq(g.n, w->n[k]);
        ck_assert_msg(memcmp(g.b, w->b[k], g.n) == 0, "stream %d differs", k);
    }
    free(g.b);
}

static void free_want(want *w)
{
    for (int k = 0; k < NSTREAMS; k++)
        free(w->b[k]);
}

/* About 1.5 MB of rows: the 256 KiB gathered writes go out several times, and some extents are
** still gathered in memory when the spill is sealed; then more rows after the seal, which a feed
** refuses until the spill is sealed again. */
START_TEST(test_roundtrip)
{
    want w;
    store__spill *sp = three_streams(&w);
    add_rows(sp, &w, 0, 10000);
    ck_assert_uint_gt(w.n[0] + w.n[1] + w.n[2], 1000000);
    ck_assert_int_eq(store__spill_feed(sp, 0, put, &(got){NULL, 0}), -1); /* not sealed */
    store__spill_seal(sp);
    ck_assert(store__spill_ok(sp));
    check_feed(sp, &w);
    check_feed(sp, &w);
    add_rows(sp, &w, 10000, 12000);
    ck_assert_int_eq(store__spill_feed(sp, 1, put, &(got){NULL, 0}), -1);
    store__spill_seal(sp);
    check_feed(sp, &w);
    store__spill_free(sp);
    free_want(&w);
}
END_TEST

/* Rows that never fill an extent stay in memory: fed without a write, sealed or not. */
START_TEST(test_small)
{
    want w;
    store__spill *sp = three_streams(&w);
    store__spill_add(sp, 2, "x", 1);
    memcpy(w.b[2], "x", 1), w.n[2] = 1;
    check_feed(sp, &w);
    store__spill_seal(sp); /* nothing to write */
    check_feed(sp, &w);
    store__spill_free(sp);
    free_want(&w);
}
END_TEST

/* A text the spill cannot take abandons it: nothing is fed, later calls do nothing. */
START_TEST(test_abandoned)
{
    want w;
    store__spill *sp = three_streams(&w);
    add_rows(sp, &w, 0, 3000);
    store__spill_add(sp, 0, NULL, 0);
    ck_assert(!store__spill_ok(sp));
    store__spill_add(sp, 0, "y", 1);
    store__spill_seal(sp);
    ck_assert(!store__spill_ok(sp));
    ck_assert_int_eq(store__spill_feed(sp, 0, put, &(got){NULL, 0}), -1);
    store__spill_free(sp);
    free_want(&w);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("spill");
    TCase *tc = tcase_create("spill");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_roundtrip);
    tcase_add_test(tc, test_small);
    tcase_add_test(tc, test_abandoned);
    suite_add_tcase(s, tc);
    return tdb_run(s);
}
