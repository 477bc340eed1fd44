/* test_ledger.c: every operation and every error path of the ledger; after each failed call
 * the ledger must be exactly as before (compared field by field and balance by balance). */
#include <stdlib.h>
#include <string.h>

#include "reward_tests.h"
#include "tsr.h"

static tsr_ledger snap_l;
static uint64_t snap_b[16];

static void snapshot(const tsr_ledger *l)
{
    snap_l = *l;
    memcpy(snap_b, l->balance, l->n * sizeof(uint64_t));
}

static void assert_unchanged(const tsr_ledger *l)
{
    ck_assert_uint_eq(l->n, snap_l.n);
    ck_assert_uint_eq(l->genesis, snap_l.genesis);
    ck_assert_uint_eq(l->minted, snap_l.minted);
    ck_assert_uint_eq(l->burned, snap_l.burned);
    for (size_t i = 0; i < l->n; i++)
        ck_assert_uint_eq(l->balance[i], snap_b[i]);
}

START_TEST(test_ledger_ops)
{
    uint64_t store[4], b;
    tsr_ledger l;
    size_t a0, a1, a2;
    ck_assert_int_eq(tsr_ledger_init(&l, store, 4), TSR_OK);
    ck_assert_int_eq(tsr_ledger_open(&l, 1000, &a0), TSR_OK);
    ck_assert_int_eq(tsr_ledger_open(&l, 0, &a1), TSR_OK);
    ck_assert_int_eq(tsr_ledger_open(&l, 500, &a2), TSR_OK);
    ck_assert_uint_eq(a0, 0);
    ck_assert_uint_eq(a2, 2);
    ck_assert_uint_eq(l.genesis, 1500);
    ck_assert_int_eq(tsr_ledger_transfer(&l, a0, a1, 300), TSR_OK);
    ck_assert_int_eq(tsr_ledger_mint(&l, a1, 50), TSR_OK);
    ck_assert_int_eq(tsr_ledger_burn(&l, a2, 125), TSR_OK);
    ck_assert_int_eq(tsr_ledger_transfer(&l, a2, a2, 375), TSR_OK); /* self: no change */
    ck_assert_int_eq(tsr_ledger_balance(&l, a0, &b), TSR_OK);
    ck_assert_uint_eq(b, 700);
    ck_assert_int_eq(tsr_ledger_balance(&l, a1, &b), TSR_OK);
    ck_assert_uint_eq(b, 350);
    ck_assert_int_eq(tsr_ledger_balance(&l, a2, &b), TSR_OK);
    ck_assert_uint_eq(b, 375);
    ck_assert_uint_eq(l.minted, 50);
    ck_assert_uint_eq(l.burned, 125);
    ck_assert_int_eq(tsr_ledger_check(&l), TSR_OK); /* 700+350+375+125 = 1500+50 */
    /* tampering behind the ledger's back is detected */
    store[0]++;
    ck_assert_int_eq(tsr_ledger_check(&l), TSR_ECORRUPT);
    store[0]--;
    ck_assert_int_eq(tsr_ledger_check(&l), TSR_OK);
    tsr_ledger_clear(&l); /* caller storage: nothing freed */
    tsr_ledger_clear(NULL);
}
END_TEST

START_TEST(test_ledger_errors)
{
    uint64_t store[3], b;
    tsr_ledger l;
    size_t id;
    ck_assert_int_eq(tsr_ledger_init(NULL, store, 3), TSR_EINVAL);
    ck_assert_int_eq(tsr_ledger_init(&l, NULL, 3), TSR_EINVAL);
    ck_assert_int_eq(tsr_ledger_init(&l, store, 3), TSR_OK);
    ck_assert_int_eq(tsr_ledger_open(&l, UINT64_MAX - 10, &id), TSR_OK);
    ck_assert_int_eq(tsr_ledger_open(&l, 10, &id), TSR_OK);
    snapshot(&l);
    /* genesis total overflow */
    ck_assert_int_eq(tsr_ledger_open(&l, 1, &id), TSR_EOVERFLOW);
    assert_unchanged(&l);
    /* unknown accounts */
    ck_assert_int_eq(tsr_ledger_mint(&l, 2, 1), TSR_EINVAL);
    ck_assert_int_eq(tsr_ledger_burn(&l, 5, 1), TSR_EINVAL);
    ck_assert_int_eq(tsr_ledger_transfer(&l, 0, 2, 1), TSR_EINVAL);
    ck_assert_int_eq(tsr_ledger_transfer(&l, 2, 0, 1), TSR_EINVAL);
    ck_assert_int_eq(tsr_ledger_balance(&l, 2, &b), TSR_EINVAL);
    ck_assert_int_eq(tsr_ledger_balance(&l, 0, NULL), TSR_EINVAL);
    ck_assert_int_eq(tsr_ledger_mint(NULL, 0, 1), TSR_EINVAL);
    ck_assert_int_eq(tsr_ledger_check(NULL), TSR_EINVAL);
    assert_unchanged(&l);
    /* insufficient balance */
    ck_assert_int_eq(tsr_ledger_burn(&l, 1, 11), TSR_EFUNDS);
    ck_assert_int_eq(tsr_ledger_transfer(&l, 1, 0, 11), TSR_EFUNDS);
    ck_assert_int_eq(tsr_ledger_transfer(&l, 1, 1, 11), TSR_EFUNDS);
    assert_unchanged(&l);
    /* balance overflow: account 0 holds MAX - 10 */
    ck_assert_int_eq(tsr_ledger_mint(&l, 0, 11), TSR_EOVERFLOW);
    ck_assert_int_eq(tsr_ledger_transfer(&l, 1, 0, 10), TSR_OK);
    ck_assert_uint_eq(l.balance[0], UINT64_MAX);
    ck_assert_int_eq(tsr_ledger_transfer(&l, 0, 1, 1), TSR_OK);
    snapshot(&l);
    ck_assert_int_eq(tsr_ledger_transfer(&l, 1, 0, 1), TSR_OK);
    ck_assert_int_eq(tsr_ledger_mint(&l, 1, 1), TSR_OK);
    snapshot(&l);
    ck_assert_int_eq(tsr_ledger_transfer(&l, 1, 0, 1), TSR_EOVERFLOW);
    assert_unchanged(&l);
    /* minted total overflow: burn everything, mint MAX, burn, mint 1 more */
    tsr_ledger m;
    uint64_t ms[1];
    ck_assert_int_eq(tsr_ledger_init(&m, ms, 1), TSR_OK);
    ck_assert_int_eq(tsr_ledger_open(&m, 0, NULL), TSR_OK);
    ck_assert_int_eq(tsr_ledger_mint(&m, 0, UINT64_MAX), TSR_OK);
    ck_assert_int_eq(tsr_ledger_burn(&m, 0, UINT64_MAX), TSR_OK);
    snapshot(&m);
    ck_assert_int_eq(tsr_ledger_mint(&m, 0, 1), TSR_EOVERFLOW);
    assert_unchanged(&m);
    ck_assert_int_eq(tsr_ledger_check(&m), TSR_OK);
    /* burned total overflow */
    tsr_ledger g;
    uint64_t gs[2];
    ck_assert_int_eq(tsr_ledger_init(&g, gs, 2), TSR_OK);
    ck_assert_int_eq(tsr_ledger_open(&g, UINT64_MAX, NULL), TSR_OK);
    ck_assert_int_eq(tsr_ledger_burn(&g, 0, UINT64_MAX), TSR_OK);
    ck_assert_int_eq(tsr_ledger_mint(&g, 0, 5), TSR_OK);
    snapshot(&g);
    ck_assert_int_eq(tsr_ledger_burn(&g, 0, 1), TSR_EOVERFLOW);
    assert_unchanged(&g);
    /* capacity of caller storage */
    ck_assert_int_eq(tsr_ledger_open(&g, 0, NULL), TSR_OK);
    snapshot(&g);
    ck_assert_int_eq(tsr_ledger_open(&g, 0, NULL), TSR_ECAPACITY);
    assert_unchanged(&g);
    ck_assert_int_eq(tsr_ledger_check(&l), TSR_OK);
}
END_TEST

/* Allocator that fails after `budget` successful (re)allocations. */
typedef struct {
    int budget;
    int live;
} fail_alloc;

static void *failing_alloc(void *ud, void *ptr, size_t old_size, size_t new_size)
{
    fail_alloc *fa = ud;
    (void)old_size;
    if (new_size == 0) {
        if (ptr)
            fa->live--;
        free(ptr);
        return NULL;
    }
    if (fa->budget-- <= 0)
        return NULL;
    if (!ptr)
        fa->live++;
    return realloc(ptr, new_size);
}

START_TEST(test_ledger_alloc)
{
    tsr_ledger l;
    size_t id;
    ck_assert_int_eq(tsr_ledger_init_alloc(&l, NULL, NULL, 0), TSR_OK);
    for (uint64_t i = 0; i < 1000; i++) {
        ck_assert_int_eq(tsr_ledger_open(&l, i, &id), TSR_OK);
        ck_assert_uint_eq(id, i);
    }
    ck_assert_uint_eq(l.genesis, 999u * 1000u / 2u);
    ck_assert_int_eq(tsr_ledger_check(&l), TSR_OK);
    tsr_ledger_clear(&l);
    ck_assert_uint_eq(l.n, 0);

    fail_alloc fa = {2, 0};
    ck_assert_int_eq(tsr_ledger_init_alloc(&l, failing_alloc, &fa, 2), TSR_OK);
    ck_assert_int_eq(fa.live, 1);
    ck_assert_int_eq(tsr_ledger_open(&l, 5, NULL), TSR_OK);
    ck_assert_int_eq(tsr_ledger_open(&l, 6, NULL), TSR_OK);
    ck_assert_int_eq(tsr_ledger_open(&l, 7, NULL), TSR_OK); /* grows: budget 1 -> 0 */
    ck_assert_int_eq(tsr_ledger_open(&l, 8, NULL), TSR_OK);
    snapshot(&l);
    ck_assert_int_eq(tsr_ledger_open(&l, 9, NULL), TSR_ENOMEM); /* growth fails */
    assert_unchanged(&l);
    ck_assert_int_eq(tsr_ledger_check(&l), TSR_OK);
    tsr_ledger_clear(&l);
    ck_assert_int_eq(fa.live, 0);

    fail_alloc none = {0, 0};
    ck_assert_int_eq(tsr_ledger_init_alloc(&l, failing_alloc, &none, 4), TSR_ENOMEM);
    tsr_ledger_clear(&l);
    ck_assert_int_eq(tsr_ledger_init_alloc(NULL, NULL, NULL, 4), TSR_EINVAL);
}
END_TEST

Suite *suite_ledger(void)
{
    Suite *s = suite_create("ledger");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_ledger_ops);
    tcase_add_test(tc, test_ledger_errors);
    tcase_add_test(tc, test_ledger_alloc);
    suite_add_tcase(s, tc);
    return s;
}
