/* test_mech.c: mechanisms (spec §2.15) — split_emissions, the aggregation weight and the
 * per-hotkey fold, with values worked out by hand from the spec text. */
#include <stdbool.h>
#include <string.h>

#include "tsr_err.h"
#include "tsr_yuma.h"
#include "yuma_tests.h"

START_TEST(test_split_even)
{
    uint64_t out[3];
    /* floor(10 / 3) = 3 each, remainder 1 to mechanism 0. */
    ck_assert_int_eq(tsr_yuma_split_emissions(10, 3, NULL, 0, out), TSR_OK);
    ck_assert_uint_eq(out[0], 4);
    ck_assert_uint_eq(out[1], 3);
    ck_assert_uint_eq(out[2], 3);
    ck_assert_int_eq(tsr_yuma_split_emissions(UINT64_MAX, 1, NULL, 0, out), TSR_OK);
    ck_assert_uint_eq(out[0], UINT64_MAX);
    ck_assert_int_eq(tsr_yuma_split_emissions(2, 3, NULL, 0, out), TSR_OK);
    ck_assert_uint_eq(out[0], 2);
    ck_assert_uint_eq(out[1], 0);
    ck_assert_uint_eq(out[2], 0);
    ck_assert_int_eq(tsr_yuma_split_emissions(5, 0, NULL, 0, out), TSR_EINVAL);
    ck_assert_int_eq(tsr_yuma_split_emissions(5, 1, NULL, 0, NULL), TSR_EINVAL);
}
END_TEST

START_TEST(test_split_weighted)
{
    uint64_t out[3];
    const uint16_t half[2] = {32768, 32767};
    /* floor(1000 * 32768 / 65535) = 500, floor(1000 * 32767 / 65535) = 499, remainder 1. */
    ck_assert_int_eq(tsr_yuma_split_emissions(1000, 2, half, 2, out), TSR_OK);
    ck_assert_uint_eq(out[0], 501);
    ck_assert_uint_eq(out[1], 499);
    /* A split shorter than m pads with 0; the whole share goes to mechanism 0. */
    const uint16_t all[1] = {65535};
    ck_assert_int_eq(tsr_yuma_split_emissions(777, 3, all, 1, out), TSR_OK);
    ck_assert_uint_eq(out[0], 777);
    ck_assert_uint_eq(out[1], 0);
    ck_assert_uint_eq(out[2], 0);
    /* u128 intermediate: alpha * 65535 does not fit u64. */
    ck_assert_int_eq(tsr_yuma_split_emissions(UINT64_MAX, 1, all, 1, out), TSR_OK);
    ck_assert_uint_eq(out[0], UINT64_MAX);
    const uint16_t thirds[3] = {21845, 21845, 21845};
    /* floor((2^64-1) * 21845 / 65535) = floor((2^64-1) / 3) = 6148914691236517205 each, exact. */
    ck_assert_int_eq(tsr_yuma_split_emissions(UINT64_MAX, 3, thirds, 3, out), TSR_OK);
    ck_assert_uint_eq(out[1], UINT64_C(6148914691236517205));
    ck_assert_uint_eq(out[0], UINT64_C(6148914691236517205));
    /* Entries past m are ignored; their share is the remainder of mechanism 0. */
    ck_assert_int_eq(tsr_yuma_split_emissions(900, 2, thirds, 3, out), TSR_OK);
    ck_assert_uint_eq(out[0], 600); /* 300 + (900 - 600) */
    ck_assert_uint_eq(out[1], 300);
}
END_TEST

START_TEST(test_mech_weight)
{
    tsr_u64f64 w = tsr_yuma_mech_weight(500, 1000, 1);
    ck_assert_uint_eq(w.raw.hi, 0);
    ck_assert_uint_eq(w.raw.lo, UINT64_C(1) << 63); /* exactly 0.5 */
    w = tsr_yuma_mech_weight(1000, 1000, 0);
    ck_assert_uint_eq(w.raw.hi, 1);
    ck_assert_uint_eq(w.raw.lo, 0);
    w = tsr_yuma_mech_weight(1, 3, 0); /* floor(2^64 / 3) */
    ck_assert_uint_eq(w.raw.hi, 0);
    ck_assert_uint_eq(w.raw.lo, UINT64_C(6148914691236517205));
    /* rao_emission = 0: mechanism 0 gets 1, the others 0. */
    w = tsr_yuma_mech_weight(0, 0, 0);
    ck_assert_uint_eq(w.raw.hi, 1);
    ck_assert_uint_eq(w.raw.lo, 0);
    w = tsr_yuma_mech_weight(0, 0, 2);
    ck_assert_uint_eq(w.raw.hi, 0);
    ck_assert_uint_eq(w.raw.lo, 0);
}
END_TEST

/* Per-uid term buffers for two uids. */
typedef struct terms {
    uint16_t cons[2], inc[2], div[2], vt[2], sw[2];
    bool perm[2], act[2];
    uint64_t em[2], se[2], ve[2], st[2];
    tsr_yuma_out o;
} terms;

static void terms_bind(terms *t)
{
    memset(&t->o, 0, sizeof t->o);
    t->o.consensus = t->cons;
    t->o.incentive = t->inc;
    t->o.dividends = t->div;
    t->o.validator_trust = t->vt;
    t->o.stake_weight = t->sw;
    t->o.validator_permit = t->perm;
    t->o.active = t->act;
    t->o.emission = t->em;
    t->o.server_emission = t->se;
    t->o.validator_emission = t->ve;
    t->o.stake = t->st;
}

START_TEST(test_aggregate)
{
    terms m0, m1, acc;
    memset(&m0, 0, sizeof m0);
    memset(&m1, 0, sizeof m1);
    memset(&acc, 0, sizeof acc);
    terms_bind(&m0);
    terms_bind(&m1);
    terms_bind(&acc);
    m0.div[0] = 65535;
    m1.div[0] = 65535;
    m0.inc[0] = 1000;
    m1.inc[0] = 3000;
    m0.cons[1] = 3;
    m1.cons[1] = 4;
    m0.em[0] = 101;
    m1.em[0] = 51;
    m0.se[0] = 10;
    m1.se[0] = 20;
    m0.ve[1] = UINT64_MAX;
    m1.ve[1] = 5;
    m0.st[0] = m1.st[0] = 7;
    m0.perm[0] = true;
    m1.perm[1] = true;
    m1.act[1] = true;
    tsr_u64f64 half = tsr_yuma_mech_weight(500, 1000, 0);
    tsr_yuma_aggregate(&acc.o, &m0.o, 2, half, true);
    tsr_yuma_aggregate(&acc.o, &m1.o, 2, half, false);
    /* floor(0 + 65535 * 0.5) = 32767, then floor(32767 + 32767.5) = 65534. */
    ck_assert_uint_eq(acc.div[0], 65534);
    /* Incentive: only the first mechanism, weighted: floor(1000 * 0.5). */
    ck_assert_uint_eq(acc.inc[0], 500);
    /* floor(1.5) = 1, then floor(1 + 2) = 3. */
    ck_assert_uint_eq(acc.cons[1], 3);
    /* emission: floor(50.5) = 50, floor(50 + 25.5) = 75. */
    ck_assert_uint_eq(acc.em[0], 75);
    ck_assert_uint_eq(acc.se[0], 30);
    ck_assert_uint_eq(acc.ve[1], UINT64_MAX); /* saturating sum */
    ck_assert_uint_eq(acc.st[0], 14);
    ck_assert(acc.perm[0] && acc.perm[1]);
    ck_assert(!acc.act[0] && acc.act[1]);
    /* With one mechanism (weight 1) the aggregation is the identity. */
    terms id;
    memset(&id, 0, sizeof id);
    terms_bind(&id);
    tsr_yuma_aggregate(&id.o, &m0.o, 2, tsr_yuma_mech_weight(9, 9, 0), true);
    ck_assert_mem_eq(id.div, m0.div, sizeof id.div);
    ck_assert_mem_eq(id.inc, m0.inc, sizeof id.inc);
    ck_assert_mem_eq(id.cons, m0.cons, sizeof id.cons);
    ck_assert_mem_eq(id.em, m0.em, sizeof id.em);
    ck_assert_mem_eq(id.ve, m0.ve, sizeof id.ve);
    ck_assert_mem_eq(id.perm, m0.perm, sizeof id.perm);
}
END_TEST

Suite *suite_mech(void)
{
    Suite *s = suite_create("mechanisms");
    TCase *tc = tcase_create("split");
    tcase_add_test(tc, test_split_even);
    tcase_add_test(tc, test_split_weighted);
    tcase_add_test(tc, test_mech_weight);
    tcase_add_test(tc, test_aggregate);
    suite_add_tcase(s, tc);
    return s;
}
