/* test_cflow.c: the C-Flow royalty graph against the Story documentation's worked examples
 * (spec mechanisms §4.2), the Drips vector (§4.3), diamonds worked by hand, every reject
 * reason, and exact Shapley values worked by hand. */
#include <check.h>

#include "settle_tests.h"
#include "tsr.h"

#define PCT 1000000u /* 1 % on the 1e8 scale */

/* A = 0 <- B = 1 <- C = 2 with B -> A at 5 % and C -> B at 10 %. */
static void chain(tsr_cflow *g, tsr_cflow_mode mode)
{
    ck_assert_int_eq(tsr_cflow_init(g, mode, 8, 1024, NULL, NULL), TSR_OK);
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(tsr_cflow_add_node(g, NULL), TSR_OK);
    tsr_cflow_reject why;
    ck_assert_int_eq(tsr_cflow_link_add(g, 1, 0, 5 * PCT, &why), TSR_OK);
    ck_assert_int_eq(tsr_cflow_link_add(g, 2, 1, 10 * PCT, &why), TSR_OK);
}

/* amount kept by `node` in a pay() result */
static uint64_t kept_by(const uint32_t *nodes, const uint64_t *amt, size_t k, uint32_t node)
{
    for (size_t i = 0; i < k; i++)
        if (nodes[i] == node)
            return amt[i];
    return UINT64_MAX;
}

START_TEST(lap_story_examples)
{
    /* LAP: 100 tipped to C -> A 5, B 10, C 85; 1M paid into IPA3 (stack 15 %) -> 50k, 100k,
     * 850k. */
    tsr_cflow g;
    chain(&g, TSR_CFLOW_ABSOLUTE);
    ck_assert_uint_eq(g.node[2].stack, UINT64_C(15) * PCT);
    uint32_t nodes[8];
    uint64_t amt[8];
    size_t k = 0;
    ck_assert_int_eq(tsr_cflow_pay(&g, 2, 100, nodes, amt, 8, &k), TSR_OK);
    ck_assert_uint_eq(k, 3);
    ck_assert_uint_eq(kept_by(nodes, amt, k, 0), 5);
    ck_assert_uint_eq(kept_by(nodes, amt, k, 1), 10);
    ck_assert_uint_eq(kept_by(nodes, amt, k, 2), 85);
    ck_assert_int_eq(tsr_cflow_pay(&g, 2, 1000000, nodes, amt, 8, &k), TSR_OK);
    ck_assert_uint_eq(kept_by(nodes, amt, k, 0), 50000);
    ck_assert_uint_eq(kept_by(nodes, amt, k, 1), 100000);
    ck_assert_uint_eq(kept_by(nodes, amt, k, 2), 850000);
    tsr_cflow_clear(&g);
}
END_TEST

START_TEST(lrp_story_examples)
{
    /* LRP: 1M into IPA3 -> IPA3 keeps 900k, vault 2 gets 95k, vault 1 gets 5k. With 100 the
     * grandparent's 0.5 floors to 0 (integer units): C 90, B 10, A 0. */
    tsr_cflow g;
    chain(&g, TSR_CFLOW_RELATIVE);
    ck_assert_uint_eq(g.node[2].stack, UINT64_C(10) * PCT);
    uint32_t nodes[8];
    uint64_t amt[8];
    size_t k = 0;
    ck_assert_int_eq(tsr_cflow_pay(&g, 2, 1000000, nodes, amt, 8, &k), TSR_OK);
    ck_assert_uint_eq(kept_by(nodes, amt, k, 2), 900000);
    ck_assert_uint_eq(kept_by(nodes, amt, k, 1), 95000);
    ck_assert_uint_eq(kept_by(nodes, amt, k, 0), 5000);
    ck_assert_int_eq(tsr_cflow_pay(&g, 2, 100, nodes, amt, 8, &k), TSR_OK);
    ck_assert_uint_eq(kept_by(nodes, amt, k, 2), 90);
    ck_assert_uint_eq(kept_by(nodes, amt, k, 1), 10);
    ck_assert_uint_eq(kept_by(nodes, amt, k, 0), 0);
    /* capacity too small: nothing written */
    ck_assert_int_eq(tsr_cflow_pay(&g, 2, 100, nodes, amt, 2, &k), TSR_ECAPACITY);
    tsr_cflow_clear(&g);
}
END_TEST

/* Diamond: A = 0; B = 1 and C = 2 each -> A at 5 %; D = 3 -> B and -> C at 10 % each. */
static void diamond(tsr_cflow *g, tsr_cflow_mode mode)
{
    ck_assert_int_eq(tsr_cflow_init(g, mode, 8, 1024, NULL, NULL), TSR_OK);
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(tsr_cflow_add_node(g, NULL), TSR_OK);
    ck_assert_int_eq(tsr_cflow_link_add(g, 1, 0, 5 * PCT, NULL), TSR_OK);
    ck_assert_int_eq(tsr_cflow_link_add(g, 2, 0, 5 * PCT, NULL), TSR_OK);
    ck_assert_int_eq(tsr_cflow_link_add(g, 3, 2, 10 * PCT, NULL), TSR_OK);
    ck_assert_int_eq(tsr_cflow_link_add(g, 3, 1, 10 * PCT, NULL), TSR_OK);
}

START_TEST(diamond_both_modes)
{
    /* LAP: rho(D, A) = 1*5 % + 1*5 % = 10 %, stack(D) = (5+10) + (5+10) = 30 %; 1000 at D paid
     * in id order: A floor(1000*.10) = 100, B floor(1000*.20) - 100 = 100, C 300 - 200 = 100;
     * D keeps 700. LRP: D gives B floor(1000*.1) = 100 and C floor(1000*.2) - 100 = 100, keeps
     * 800; B and C each give A floor(100*.05) = 5 and keep 95; A keeps 10. */
    tsr_cflow g;
    uint32_t nodes[8];
    uint64_t amt[8];
    size_t k = 0;
    diamond(&g, TSR_CFLOW_ABSOLUTE);
    ck_assert_uint_eq(g.node[3].stack, UINT64_C(30) * PCT);
    ck_assert_int_eq(tsr_cflow_pay(&g, 3, 1000, nodes, amt, 8, &k), TSR_OK);
    ck_assert_uint_eq(k, 4);
    ck_assert_uint_eq(kept_by(nodes, amt, k, 0), 100);
    ck_assert_uint_eq(kept_by(nodes, amt, k, 1), 100);
    ck_assert_uint_eq(kept_by(nodes, amt, k, 2), 100);
    ck_assert_uint_eq(kept_by(nodes, amt, k, 3), 700);
    tsr_cflow_clear(&g);
    diamond(&g, TSR_CFLOW_RELATIVE);
    ck_assert_int_eq(tsr_cflow_pay(&g, 3, 1000, nodes, amt, 8, &k), TSR_OK);
    ck_assert_uint_eq(kept_by(nodes, amt, k, 3), 800);
    ck_assert_uint_eq(kept_by(nodes, amt, k, 1), 95);
    ck_assert_uint_eq(kept_by(nodes, amt, k, 2), 95);
    ck_assert_uint_eq(kept_by(nodes, amt, k, 0), 10);
    ck_assert_uint_eq(g.node[0].nchildren, 2);
    tsr_cflow_clear(&g);
}
END_TEST

START_TEST(drips_through_graph)
{
    /* spec §4.3 vector through a node: 5 split to two parents at 30 % each -> 1 and 2, the
     * node keeps 2 (parents in ascending id order). */
    tsr_cflow g;
    ck_assert_int_eq(tsr_cflow_init(&g, TSR_CFLOW_RELATIVE, 8, 1024, NULL, NULL), TSR_OK);
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(tsr_cflow_add_node(&g, NULL), TSR_OK);
    ck_assert_int_eq(tsr_cflow_link_add(&g, 2, 1, 30 * PCT, NULL), TSR_OK);
    ck_assert_int_eq(tsr_cflow_link_add(&g, 2, 0, 30 * PCT, NULL), TSR_OK);
    uint32_t nodes[4];
    uint64_t amt[4];
    size_t k = 0;
    ck_assert_int_eq(tsr_cflow_pay(&g, 2, 5, nodes, amt, 4, &k), TSR_OK);
    ck_assert_uint_eq(kept_by(nodes, amt, k, 0), 1);
    ck_assert_uint_eq(kept_by(nodes, amt, k, 1), 2);
    ck_assert_uint_eq(kept_by(nodes, amt, k, 2), 2);
    tsr_cflow_clear(&g);
}
END_TEST

START_TEST(reject_reasons)
{
    tsr_cflow g;
    tsr_cflow_reject why;
    diamond(&g, TSR_CFLOW_RELATIVE);
    ck_assert_int_eq(tsr_cflow_link_add(&g, 9, 0, PCT, &why), TSR_EINVAL);
    ck_assert_int_eq(why, TSR_CFLOW_BAD_NODE);
    ck_assert_int_eq(tsr_cflow_link_add(&g, 1, 1, PCT, &why), TSR_EINVAL);
    ck_assert_int_eq(why, TSR_CFLOW_SELF);
    ck_assert_int_eq(tsr_cflow_link_add(&g, 3, 0, 0, &why), TSR_EINVAL);
    ck_assert_int_eq(why, TSR_CFLOW_RATE);
    ck_assert_int_eq(tsr_cflow_link_add(&g, 3, 0, 101 * PCT, &why), TSR_EINVAL);
    ck_assert_int_eq(why, TSR_CFLOW_RATE);
    ck_assert_int_eq(tsr_cflow_link_add(&g, 3, 1, PCT, &why), TSR_EINVAL);
    ck_assert_int_eq(why, TSR_CFLOW_DUPLICATE);
    ck_assert_int_eq(tsr_cflow_link_add(&g, 0, 3, PCT, &why), TSR_EINVAL); /* A -> D */
    ck_assert_int_eq(why, TSR_CFLOW_CYCLE);
    ck_assert_int_eq(tsr_cflow_link_add(&g, 1, 2, PCT, &why), TSR_EINVAL); /* B has child D */
    ck_assert_int_eq(why, TSR_CFLOW_HAS_CHILDREN);
    ck_assert_str_eq(tsr_cflow_reject_str(why),
                     "the child already has children; its parents are fixed");
    tsr_cflow_clear(&g);

    /* limits: 2 parents, 2 ancestors, stack */
    ck_assert_int_eq(tsr_cflow_init(&g, TSR_CFLOW_RELATIVE, 2, 2, NULL, NULL), TSR_OK);
    for (int i = 0; i < 5; i++)
        ck_assert_int_eq(tsr_cflow_add_node(&g, NULL), TSR_OK);
    ck_assert_int_eq(tsr_cflow_link_add(&g, 4, 0, 60 * PCT, &why), TSR_OK);
    ck_assert_int_eq(tsr_cflow_link_add(&g, 4, 1, 50 * PCT, &why), TSR_EINVAL);
    ck_assert_int_eq(why, TSR_CFLOW_STACK);
    char msg[80];
    tsr_cflow_reject_detail(&g, 4, 1, 50 * PCT, why, msg, sizeof msg);
    ck_assert_str_eq(msg, " (stack 60 % before the link, 110 % with it)");
    tsr_cflow_reject_detail(&g, 4, 1, 40 * PCT + 1, why, msg, sizeof msg); /* 1e-6 % */
    ck_assert_str_eq(msg, " (stack 60 % before the link, 100.000001 % with it)");
    tsr_cflow_reject_detail(&g, 4, 1, 40 * PCT + 250000, why, msg, 30); /* truncated */
    ck_assert_str_eq(msg, " (stack 60 % before the link,");
    tsr_cflow_reject_detail(&g, 4, 1, PCT, TSR_CFLOW_DUPLICATE, msg, sizeof msg);
    ck_assert_str_eq(msg, "");
    tsr_cflow_reject_detail(&g, 4, 2, PCT, TSR_CFLOW_PARENTS, msg, sizeof msg);
    ck_assert_str_eq(msg, " (max_parents is 2)");
    ck_assert_int_eq(tsr_cflow_link_add(&g, 4, 1, 40 * PCT, &why), TSR_OK); /* exactly 100 % */
    ck_assert_int_eq(tsr_cflow_link_add(&g, 4, 2, PCT, &why), TSR_EINVAL);
    ck_assert_int_eq(why, TSR_CFLOW_PARENTS);
    /* chain 7 -> 6 -> 5 has 2 ancestors; 8 -> 7 would have 3 */
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(tsr_cflow_add_node(&g, NULL), TSR_OK);
    ck_assert_int_eq(tsr_cflow_link_add(&g, 6, 5, PCT, &why), TSR_OK);
    ck_assert_int_eq(tsr_cflow_link_add(&g, 7, 6, PCT, &why), TSR_OK);
    ck_assert_uint_eq(g.node[7].nanc, 2);
    ck_assert_int_eq(tsr_cflow_link_add(&g, 8, 7, PCT, &why), TSR_EINVAL);
    ck_assert_int_eq(why, TSR_CFLOW_ANCESTORS);
    tsr_cflow_clear(&g);
}
END_TEST

START_TEST(grows_past_initial_capacity)
{
    /* a 1000-node chain at 1 % per link: revenue at the tail reaches every ancestor while
     * the amount lasts (LRP: 1e8 units keep 99 %, pass 1 %: 1e6 to the parent, 1e4, 100, 1,
     * then 0) and the amounts always sum to the payment. */
    tsr_cflow g;
    ck_assert_int_eq(tsr_cflow_init(&g, TSR_CFLOW_RELATIVE, 8, 1024, NULL, NULL), TSR_OK);
    for (uint32_t i = 0; i < 1000; i++) {
        uint32_t id;
        ck_assert_int_eq(tsr_cflow_add_node(&g, &id), TSR_OK);
        ck_assert_uint_eq(id, i);
        if (i > 0)
            ck_assert_int_eq(tsr_cflow_link_add(&g, i, i - 1, PCT, NULL), TSR_OK);
    }
    static uint32_t nodes[1000];
    static uint64_t amt[1000];
    size_t k = 0;
    ck_assert_int_eq(tsr_cflow_pay(&g, 999, 100000000, nodes, amt, 1000, &k), TSR_OK);
    ck_assert_uint_eq(k, 1000);
    ck_assert_uint_eq(kept_by(nodes, amt, k, 999), 99000000);
    ck_assert_uint_eq(kept_by(nodes, amt, k, 998), 990000);
    ck_assert_uint_eq(kept_by(nodes, amt, k, 997), 9900);
    ck_assert_uint_eq(kept_by(nodes, amt, k, 996), 99);
    ck_assert_uint_eq(kept_by(nodes, amt, k, 995), 1);
    ck_assert_uint_eq(kept_by(nodes, amt, k, 994), 0);
    ck_assert_uint_eq(g.node[999].nanc, 999);
    tsr_cflow_clear(&g);
}
END_TEST

START_TEST(shapley_by_hand)
{
    /* two players: v = 0, 10, 20, 40 -> phi = (15, 25), numerators on 2! = (30, 50). */
    const int64_t v2[4] = {0, 10, 20, 40};
    tsr_u128 phi[3];
    ck_assert_int_eq(tsr_shapley_exact(v2, 2, phi), TSR_OK);
    ck_assert_uint_eq(phi[0].lo, 30);
    ck_assert_uint_eq(phi[1].lo, 50);
    /* three players, v(S) = |S|^2: symmetric, phi = 3 each, 18 on 3! */
    const int64_t v3[8] = {0, 1, 1, 4, 1, 4, 4, 9};
    ck_assert_int_eq(tsr_shapley_exact(v3, 3, phi), TSR_OK);
    for (int i = 0; i < 3; i++)
        ck_assert_uint_eq(phi[i].lo, 18);
    /* splitting 90 by them: 30 each */
    uint64_t out[3], kept = 1;
    ck_assert_int_eq(tsr_split_cumulative_w128(90, phi, 3, out, &kept), TSR_OK);
    ck_assert_uint_eq(out[0] + out[1] + out[2], 90);
    ck_assert_uint_eq(out[2], 30);
    ck_assert_uint_eq(kept, 0);
    /* largest remainder (§4.5's rounding of Shapley shares): 10 over 1:1:1 -> 4, 3, 3 (ties
     * to the lower index); 100 over 1:2:4 -> 14 r2, 28 r4, 57 r1 (of 7): the unit left goes to
     * the remainder 4 -> 14, 29, 57 */
    tsr_u128 rem[3], w3[3] = {{1, 0}, {1, 0}, {1, 0}};
    ck_assert_int_eq(tsr_split_largest_w128(10, w3, 3, out, rem, &kept), TSR_OK);
    ck_assert_uint_eq(out[0], 4);
    ck_assert_uint_eq(out[1], 3);
    ck_assert_uint_eq(out[2], 3);
    w3[1].lo = 2, w3[2].lo = 4;
    ck_assert_int_eq(tsr_split_largest_w128(100, w3, 3, out, rem, &kept), TSR_OK);
    ck_assert_uint_eq(out[0], 14);
    ck_assert_uint_eq(out[1], 29);
    ck_assert_uint_eq(out[2], 57);
    ck_assert_uint_eq(kept, 0);
    /* a player that only hurts has a negative value: rejected */
    const int64_t bad[4] = {0, 0, 10, 0};
    ck_assert_int_eq(tsr_shapley_exact(bad, 2, phi), TSR_ERANGE);
    ck_assert_int_eq(tsr_shapley_exact(v2, 17, phi), TSR_ERANGE);
}
END_TEST

Suite *suite_cflow(void)
{
    Suite *s = suite_create("cflow");
    TCase *t = tcase_create("graph");
    tcase_add_test(t, lap_story_examples);
    tcase_add_test(t, lrp_story_examples);
    tcase_add_test(t, diamond_both_modes);
    tcase_add_test(t, drips_through_graph);
    tcase_add_test(t, reject_reasons);
    tcase_add_test(t, grows_past_initial_capacity);
    tcase_add_test(t, shapley_by_hand);
    suite_add_tcase(s, t);
    return s;
}
