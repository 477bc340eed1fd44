/*
** check_cflow.c: model "cflow" — payouts of a 3-node chain worked out by hand in both modes
** (spec mechanisms §4.2 examples, Drips rounding inside nodes), exact and sampled Shapley
** weights (hand-computed utility tables), the shell-node dilution and the fork on a chain
** computed by hand, a refused seed graph, conservation and determinism over generated runs,
** the Gini coefficient.
*/
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tdb.h"
#include "hashrec.h"
#include "memrec.h"
#include "cf_model.h"
#include "rng.h"
#include "tsr_err.h"

/* No generated nodes, no arrivals, no events: the tests build what they need. */
static cf_config empty(tsr_cflow_mode mode)
{
    cf_config c;
    memset(&c, 0, sizeof c);
    c.seed = 5, c.day_seconds = 86400, c.days = 3, c.record_every = 1, c.mode = mode;
    c.max_parents = 8, c.max_ancestors = 1024;
    c.rate[0] = 5000000, c.rate[1] = 10000000, c.rate[2] = 2000000, c.rate[3] = 1000000;
    c.revenue = 1000000, c.members_max = 4, c.foundation_members = 20;
    c.shapley_exponent = 3, c.shapley_permutations = 2000, c.shell_rate = 10000000;
    return c;
}

typedef struct world {
    sim *s;
    hashrec hr;
    recorder rec;
    cf_model *m;
    char err[512];
} world;

static int world_try(world *w, const cf_config *c)
{
    memset(w, 0, sizeof *w);
    hashrec_init(&w->hr);
    w->rec = w->hr.rec;
    w->s = sim_new();
    ck_assert_ptr_nonnull(w->s);
    return cf_model_new(c, w->s, &w->rec, &w->m, w->err, sizeof w->err);
}

static void world_new(world *w, const cf_config *c)
{
    ck_assert_msg(world_try(w, c) == 0, "%s", w->err);
}

static void world_free(world *w)
{
    cf_model_free(w->m);
    sim_free(w->s);
}

/* A (foundation, 1 contributor) <- B (fine-tune 5 %, weights 1 and 2) <- C (app 10 %, three
** equal contributors). */
static void chain(world *w, uint32_t *a, uint32_t *b, uint32_t *c)
{
    const uint64_t wa[1] = {1}, wb[2] = {1, 2}, wc[3] = {1, 1, 1};
    tsr_cflow_reject why;
    ck_assert_int_eq(cf_model_add_node(w->m, CF_FOUNDATION, 1, wa, a), 0);
    ck_assert_int_eq(cf_model_add_node(w->m, CF_FINETUNE, 2, wb, b), 0);
    ck_assert_int_eq(cf_model_add_node(w->m, CF_APP, 3, wc, c), 0);
    ck_assert_int_eq(cf_model_link(w->m, *b, *a, 5000000, &why), 0);
    ck_assert_int_eq(cf_model_link(w->m, *c, *b, 10000000, &why), 0);
    ck_assert_int_eq(why, TSR_CFLOW_LINKED);
}

/* LRP (the docs' example scaled by 10): 1000 at C -> B takes 100, A takes 5 of it: C 900,
** B 95, A 5. Inside B: floor(95/3) = 31, then 95 - 31 = 64; inside C 300 each. */
START_TEST(test_chain_relative_by_hand)
{
    world w;
    cf_config c = empty(TSR_CFLOW_RELATIVE);
    world_new(&w, &c);
    uint32_t a, b, n;
    chain(&w, &a, &b, &n);
    ck_assert_int_eq(cf_model_pay(w.m, n, 1000), 0);
    ck_assert_uint_eq(cf_model_income(w.m, n), 900);
    ck_assert_uint_eq(cf_model_income(w.m, b), 95);
    ck_assert_uint_eq(cf_model_income(w.m, a), 5);
    ck_assert_uint_eq(cf_model_member_balance(w.m, b, 0), 31);
    ck_assert_uint_eq(cf_model_member_balance(w.m, b, 1), 64);
    for (uint32_t j = 0; j < 3; j++)
        ck_assert_uint_eq(cf_model_member_balance(w.m, n, j), 300);
    ck_assert_uint_eq(cf_model_member_balance(w.m, a, 0), 5);
    ck_assert_uint_eq(cf_model_member_balance(w.m, a, 1), UINT64_MAX);
    ck_assert_int_eq(cf_model_finish(w.m, w.err, sizeof w.err), 0);
    world_free(&w);
}
END_TEST

/* LAP: A 5 % and B 10 % of every unit at C: A 50, B 100 (33, 67), C 850 (283, 283, 284). */
START_TEST(test_chain_absolute_by_hand)
{
    world w;
    cf_config c = empty(TSR_CFLOW_ABSOLUTE);
    world_new(&w, &c);
    uint32_t a, b, n;
    chain(&w, &a, &b, &n);
    ck_assert_int_eq(cf_model_pay(w.m, n, 1000), 0);
    ck_assert_uint_eq(cf_model_income(w.m, a), 50);
    ck_assert_uint_eq(cf_model_member_balance(w.m, b, 0), 33);
    ck_assert_uint_eq(cf_model_member_balance(w.m, b, 1), 67);
    ck_assert_uint_eq(cf_model_member_balance(w.m, n, 0), 283);
    ck_assert_uint_eq(cf_model_member_balance(w.m, n, 1), 283);
    ck_assert_uint_eq(cf_model_member_balance(w.m, n, 2), 284);
    cf_totals t;
    cf_model_totals(w.m, &t);
    ck_assert_uint_eq(t.revenue, 1000);
    ck_assert_uint_eq(t.touched, 3);
    world_free(&w);
}
END_TEST

/* Weights {1, 1, 2}, v(S) = 2^30 (w(S)/4)^p. p = 2: phi = w * W / 16 * 2^30 / ... i.e. exactly
** proportional: 6 phi = (1610612736, 1610612736, 3221225472). p = 3 (table by hand):
** v1 = v2 = 2^30/64, v3 = v12 = 2^30/8, v13 = v23 = 27 * 2^30/64:
** 6 phi_1 = 2 v1 + (v12 - v2) + (v13 - v3) + 2 (vN - v23) = 1711276032, 6 phi_3 = 3019898880. */
START_TEST(test_shapley_exact_by_hand)
{
    const uint64_t w[3] = {1, 1, 2};
    tsr_u128 out[3];
    ck_assert_int_eq(cf_shapley_weights(w, 3, 2.0, 0, NULL, out), 0);
    ck_assert_uint_eq(out[0].lo, 1610612736u);
    ck_assert_uint_eq(out[1].lo, 1610612736u);
    ck_assert_uint_eq(out[2].lo, 3221225472u);
    ck_assert_int_eq(cf_shapley_weights(w, 3, 3.0, 0, NULL, out), 0);
    ck_assert_uint_eq(out[0].lo, 1711276032u);
    ck_assert_uint_eq(out[1].lo, 1711276032u);
    ck_assert_uint_eq(out[2].lo, 3019898880u);
    ck_assert_uint_eq(out[2].hi, 0);
    const uint64_t zero[2] = {1, 0};
    ck_assert_int_ne(cf_shapley_weights(zero, 2, 3.0, 0, NULL, out), 0);
}
END_TEST

/* The same weights inside a node in Shapley mode: 1000 splits 265.625 / 265.625 / 468.75 by
** the largest-remainder rule of spec §4.5: floors 265 + 265 + 468 = 998, the 2 units left go to
** the remainders .75 (member 2) and then .625 (member 0, the lower index of the tie):
** 266, 265, 469. */
START_TEST(test_shapley_split_in_node)
{
    world w;
    cf_config c = empty(TSR_CFLOW_RELATIVE);
    c.shapley = 1;
    world_new(&w, &c);
    const uint64_t wt[3] = {1, 1, 2};
    uint32_t n;
    ck_assert_int_eq(cf_model_add_node(w.m, CF_APP, 3, wt, &n), 0);
    ck_assert_int_eq(cf_model_pay(w.m, n, 1000), 0);
    ck_assert_uint_eq(cf_model_member_balance(w.m, n, 0), 266);
    ck_assert_uint_eq(cf_model_member_balance(w.m, n, 1), 265);
    ck_assert_uint_eq(cf_model_member_balance(w.m, n, 2), 469);
    world_free(&w);
}
END_TEST

/* More than 16 contributors: K permutations. Each permutation's marginals telescope to v(N),
** so the sums total K 2^30 exactly; equal weights give near-equal sums; the same stream gives
** the same sums. */
START_TEST(test_shapley_sampled)
{
    uint64_t w[20];
    tsr_u128 a[20], b[20];
    for (int i = 0; i < 20; i++)
        w[i] = 5;
    rng_key k = {.seed = 1, .run_index = 0, .purpose = 9, .entity = 3};
    gsl_rng *r = rng_event_new();
    rng_event_reset(r, &k, 0);
    ck_assert_int_eq(cf_shapley_weights(w, 20, 3.0, 500, r, a), 0);
    rng_event_reset(r, &k, 0);
    ck_assert_int_eq(cf_shapley_weights(w, 20, 3.0, 500, r, b), 0);
    uint64_t sum = 0;
    for (int i = 0; i < 20; i++) {
        ck_assert_uint_eq(a[i].lo, b[i].lo);
        ck_assert_uint_eq(a[i].hi, 0);
        sum += a[i].lo;
        double mean = 500.0 * 1073741824.0 / 20;
        ck_assert((double)a[i].lo > 0.75 * mean && (double)a[i].lo < 1.25 * mean);
    }
    ck_assert_uint_eq(sum, 500ull * 1073741824ull);
    gsl_rng_free(r);
}
END_TEST

/* Seed chain F <- P (5 %) <- A (10 %), one contributor each, events of exactly 10^6 units.
** LRP: at A, F gets 5 % of 100000 = 5000 per event. Behind the shell (S -> P 10 %,
** A' -> S 10 %): S 100000, P 10000, F 500 -> root income falls 90 %; the attacker keeps
** 900000 + 90000 = 990000 instead of 900000. LAP: F gets 5 % either way. */
static cf_seed_node seed_nodes[3] = {
    {"F", CF_FOUNDATION, 1, 1}, {"P", CF_FINETUNE, 1, 2}, {"A", CF_APP, 1, 3}};
static cf_seed_link seed_links[2] = {{1, 0, 5000000, 4}, {2, 1, 10000000, 5}};

static cf_config attacked(tsr_cflow_mode mode)
{
    cf_config c = empty(mode);
    c.nodes = seed_nodes, c.nnodes = 3, c.links = seed_links, c.nlinks = 2;
    c.graph_path = "chain.txt", c.events_per_day = 20, c.revenue = 1000000;
    return c;
}

START_TEST(test_dilution_by_hand)
{
    for (int mode = 0; mode < 2; mode++) {
        world w;
        cf_config c = attacked(mode ? TSR_CFLOW_ABSOLUTE : TSR_CFLOW_RELATIVE);
        c.dilution_day = 1;
        world_new(&w, &c);
        ck_assert_int_eq(sim_run(w.s), SIM_DONE);
        ck_assert_int_eq(cf_model_finish(w.m, w.err, sizeof w.err), 0);
        cf_totals t;
        cf_model_totals(w.m, &t);
        ck_assert_uint_gt(t.events, 20);
        ck_assert_uint_eq(t.revenue, t.events * 1000000);
        if (mode == 0) {
            ck_assert_uint_eq(t.dilution_root, 500 * t.events);
            ck_assert_uint_eq(t.dilution_root_cf, 5000 * t.events);
            ck_assert_uint_eq(cf_model_income(w.m, 0), 500 * t.events);
        } else {
            ck_assert_uint_eq(t.dilution_root, 50000 * t.events);
            ck_assert_uint_eq(t.dilution_root_cf, 50000 * t.events);
        }
        ck_assert_uint_eq(cf_model_income(w.m, 2), 0); /* the original earns nothing now */
        world_free(&w);
    }
}
END_TEST

/* The fork takes every event (capture 1): it keeps all 10^6, the original would have kept
** 900000 (LRP) or 850000 (LAP, stack 15 %). */
START_TEST(test_fork_by_hand)
{
    for (int mode = 0; mode < 2; mode++) {
        world w;
        cf_config c = attacked(mode ? TSR_CFLOW_ABSOLUTE : TSR_CFLOW_RELATIVE);
        c.fork_day = 1, c.fork_capture = 1.0;
        world_new(&w, &c);
        ck_assert_int_eq(sim_run(w.s), SIM_DONE);
        cf_totals t;
        cf_model_totals(w.m, &t);
        ck_assert_uint_eq(t.fork_kept, 1000000 * t.events);
        ck_assert_uint_eq(t.fork_kept_cf, (mode ? 850000 : 900000) * t.events);
        ck_assert_uint_eq(cf_model_income(w.m, 0), 0); /* the foundation is cut off */
        world_free(&w);
    }
}
END_TEST

/* A seed graph with a cycle or a stack above 100 % is refused with its line and reason. */
START_TEST(test_bad_seed_graph)
{
    static cf_seed_link cyc[3] = {{1, 0, 5000000, 4}, {2, 1, 10000000, 5}, {0, 2, 1000000, 9}};
    world w;
    cf_config c = attacked(TSR_CFLOW_RELATIVE);
    c.links = cyc, c.nlinks = 3;
    ck_assert_int_eq(world_try(&w, &c), 2);
    ck_assert_ptr_null(w.m);
    ck_assert_msg(strstr(w.err, "chain.txt:9: link F -> A rejected") &&
                      strstr(w.err, tsr_cflow_reject_str(TSR_CFLOW_CYCLE)),
                  "%s", w.err);
    world_free(&w);
    static cf_seed_link big[2] = {{2, 0, 60000000, 4}, {2, 1, 50000000, 7}};
    c.links = big, c.nlinks = 2;
    ck_assert_int_eq(world_try(&w, &c), 2);
    ck_assert_msg(strstr(w.err, "chain.txt:7:") &&
                      strstr(w.err, tsr_cflow_reject_str(TSR_CFLOW_STACK)),
                  "%s", w.err);
    world_free(&w);
}
END_TEST

static cf_config generated(uint64_t seed)
{
    cf_config c = empty(TSR_CFLOW_RELATIVE);
    c.seed = seed, c.days = 60, c.record_every = 7;
    c.foundations = 2, c.datasets = 4, c.contributors = 5, c.rate_spread = 0.5;
    c.finetunes_per_day = 1, c.apps_per_day = 1, c.extra_parents = 0.5, c.dataset_link = 0.5;
    c.contributor_link = 0.5, c.events_per_day = 30, c.revenue = 10000000, c.revenue_spread = 1;
    c.shapley = 1, c.shapley_permutations = 200, c.dilution_day = 20, c.fork_day = 30;
    c.fork_capture = 0.5;
    return c;
}

/* All revenue ends in contributor accounts: sum of balances = revenue = minted. */
START_TEST(test_conservation_generated)
{
    world w;
    cf_config c = generated(4);
    world_new(&w, &c);
    ck_assert_int_eq(sim_run(w.s), SIM_DONE);
    ck_assert_int_eq(cf_model_finish(w.m, w.err, sizeof w.err), 0);
    cf_totals t;
    cf_model_totals(w.m, &t);
    uint64_t sum = 0, income = 0;
    for (uint32_t n = 0; n < cf_model_nodes(w.m); n++) {
        income += cf_model_income(w.m, n);
        for (uint32_t j = 0; cf_model_member_balance(w.m, n, j) != UINT64_MAX; j++)
            sum += cf_model_member_balance(w.m, n, j);
    }
    ck_assert_uint_gt(t.events, 1000);
    ck_assert_uint_gt(cf_model_nodes(w.m), 60);
    ck_assert_uint_eq(sum, t.revenue);
    ck_assert_uint_eq(income, t.revenue);
    ck_assert_uint_ge(t.attempts,
                      cf_model_nodes(w.m) - 12); /* 11 generated roots, the fork clone */
    uint64_t by = 0;
    for (int r = 0; r < 10; r++)
        by += t.rejected_by[r];
    ck_assert_uint_eq(by, t.rejected);
    world_free(&w);
}
END_TEST

static uint64_t digest(uint64_t seed)
{
    world w;
    cf_config c = generated(seed);
    world_new(&w, &c);
    ck_assert_int_eq(sim_run(w.s), SIM_DONE);
    uint64_t h = w.hr.h;
    ck_assert_uint_gt(w.hr.rows, 100);
    world_free(&w);
    return h;
}

START_TEST(test_determinism)
{
    ck_assert_uint_eq(digest(8), digest(8));
    ck_assert_uint_ne(digest(8), digest(9));
}
END_TEST

START_TEST(test_gini)
{
    const uint64_t a[4] = {0, 0, 0, 10}, b[2] = {5, 5}, z[3] = {0, 0, 0};
    ck_assert_double_eq_tol(cf_gini(a, 4), 0.75, 1e-12);
    ck_assert_double_eq_tol(cf_gini(b, 2), 0.0, 1e-12);
    ck_assert_double_eq(cf_gini(z, 3), 0.0);
}
END_TEST

/* New models fork or build on existing ones. Seed A (foundation) <- B (fine-tune, 10 %); 20
** days of 5 fine-tunes a day. With fork_prob 1 every arrival copies the parent links of the
** model it forks: a fork of A has no parent, a fork of B (or of a fork of B) links to A at
** 10 %, so no node ever links to a fine-tune and every count of forks equals the arrivals.
** With fork_prob 0 arrivals build on models, so some link to a fine-tune; no forks counted. */
START_TEST(test_forks_copy_parent_links)
{
    static const cf_seed_node nodes[2] = {{"A", CF_FOUNDATION, 1, 1}, {"B", CF_FINETUNE, 1, 2}};
    static const cf_seed_link links[1] = {{1, 0, 10000000, 3}};
    for (int fork = 0; fork < 2; fork++) {
        world w;
        cf_config c = empty(TSR_CFLOW_RELATIVE);
        c.nodes = nodes, c.nnodes = 2, c.links = links, c.nlinks = 1;
        c.days = 20, c.finetunes_per_day = 5, c.fork_prob = fork ? 1.0 : 0.0;
        c.rate_spread = 0, c.extra_parents = 0.3;
        world_new(&w, &c);
        ck_assert_int_eq(sim_run(w.s), SIM_DONE);
        const tsr_cflow *g = cf_model_graph(w.m);
        cf_totals t;
        cf_model_totals(w.m, &t);
        ck_assert_uint_gt(g->n, 60);
        uint32_t on_finetune = 0;
        for (uint32_t n = 2; n < g->n; n++) {
            const tsr_cflow_link *l = g->link + (size_t)n * g->max_parents;
            for (uint32_t j = 0; j < g->node[n].nparents; j++) {
                on_finetune += l[j].parent != 0;
                if (fork) {
                    ck_assert_uint_eq(l[j].parent, 0);
                    ck_assert_uint_eq(l[j].rate, 10000000);
                }
            }
        }
        ck_assert_uint_eq(t.forks, fork ? g->n - 2 : 0);
        if (!fork)
            ck_assert_uint_gt(on_finetune, 0);
        world_free(&w);
    }
}
END_TEST

/* The §4.6 revenue metrics of one sample, by hand. Diamond with a tail as in
** test_live_and_depth_by_hand, one contributor per node: A foundation <- B, C fine-tunes (5 %)
** <- D fine-tune (10 % each) <- E app (20 %). One event of 1,000,000 at E keeps 800,000 at
** depth 0, 160,000 at depth 1 (D), 38,000 at depth 2 (B and C) and 2,000 at depth 3 (A); by
** type 0.002 foundation, 0.198 fine-tune, 0.8 app; 5 nodes touched; the income Gini of
** {2000, 19000, 19000, 160000, 800000} is sum |x_i - x_j| over ordered pairs / (2 n sum). */
static double series_at(const memrec *r, const char *metric, int64_t block)
{
    for (size_t i = r->n; i-- > 0;)
        if (r->rows[i].type == R_SERIES && r->rows[i].block == block && r->rows[i].entity == 0 &&
            !strcmp(r->rows[i].name, metric))
            return r->rows[i].real;
    ck_abort_msg("metric %s not recorded", metric);
    return 0;
}

START_TEST(test_revenue_metrics_by_hand)
{
    cf_config c = empty(TSR_CFLOW_RELATIVE);
    c.days = 1;
    memrec mr = {0};
    recorder rec = {&memrec_vt, &mr};
    sim *s = sim_new();
    cf_model *m = NULL;
    char err[256];
    ck_assert_int_eq(cf_model_new(&c, s, &rec, &m, err, sizeof err), 0);
    const cf_type type[5] = {CF_FOUNDATION, CF_FINETUNE, CF_FINETUNE, CF_FINETUNE, CF_APP};
    uint32_t id;
    for (uint32_t i = 0; i < 5; i++) {
        ck_assert_int_eq(cf_model_add_node(m, type[i], 1, NULL, &id), 0);
        ck_assert_uint_eq(id, i);
    }
    const uint32_t e[5][3] = {
        {1, 0, 5000000}, {2, 0, 5000000}, {3, 1, 10000000}, {3, 2, 10000000}, {4, 3, 20000000}};
    for (int i = 0; i < 5; i++)
        ck_assert_int_eq(cf_model_link(m, e[i][0], e[i][1], e[i][2], NULL), 0);
    ck_assert_int_eq(cf_model_pay(m, 4, 1000000), 0);
    ck_assert_int_eq(sim_run(s), SIM_DONE);
    const double depth[4] = {0.8, 0.16, 0.038, 0.002};
    char name[32];
    for (int k = 0; k < 4; k++) {
        snprintf(name, sizeof name, "share_depth_%d", k);
        ck_assert_double_eq_tol(series_at(&mr, name, 1), depth[k], 1e-12);
    }
    ck_assert_double_eq(series_at(&mr, "share_depth_4", 1), 0);
    ck_assert_double_eq_tol(series_at(&mr, "share_foundation", 1), 0.002, 1e-12);
    ck_assert_double_eq_tol(series_at(&mr, "share_finetune", 1), 0.198, 1e-12);
    ck_assert_double_eq_tol(series_at(&mr, "share_app", 1), 0.8, 1e-12);
    ck_assert_double_eq(series_at(&mr, "touched_mean", 1), 5);
    ck_assert_double_eq(series_at(&mr, "touched_max", 1), 5);
    const double x[5] = {2000, 19000, 19000, 160000, 800000};
    double num = 0;
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 5; j++)
            num += fabs(x[i] - x[j]);
    ck_assert_double_eq_tol(series_at(&mr, "income_gini", 1), num / (2 * 5 * 1000000.0), 1e-12);
    ck_assert_double_eq(series_at(&mr, "links", 1), 5);
    ck_assert_double_eq_tol(series_at(&mr, "stack_max", 1), 0.2, 1e-12);
    cf_model_free(m);
    sim_free(s);
    memrec_free(&mr);
}
END_TEST

/* ---- the reward core's fast paths ---------------------------------------------------------- */

/* Diamond D -> B, D -> C (10 % each), B -> A and C -> A (5 % each), plus a tail E -> D (20 %).
** 1,000,000 at E under LRP, by hand: E passes 200,000 to D (keeps 800,000); D splits 200,000:
** B floor(200000 * 0.1) = 20,000, C floor(200000 * 0.2) - 20,000 = 20,000, keeps 160,000;
** B passes 1,000 to A (keeps 19,000), C likewise; A receives 2,000 and keeps it. Depths from E:
** D 1, B and C 2, A 3. tsr_cflow_pay_live pays the same, in descending rank; with 10 units at E
** only E (keeps 8) and D (keeps 2: its 10 % shares floor to 0) are reached. */
START_TEST(test_live_and_depth_by_hand)
{
    tsr_cflow g;
    ck_assert_int_eq(tsr_cflow_init(&g, TSR_CFLOW_RELATIVE, 8, 1024, NULL, NULL), TSR_OK);
    for (int i = 0; i < 5; i++) /* A 0, B 1, C 2, D 3, E 4 */
        ck_assert_int_eq(tsr_cflow_add_node(&g, NULL), TSR_OK);
    const uint32_t e[5][3] = {
        {1, 0, 5000000}, {2, 0, 5000000}, {3, 1, 10000000}, {3, 2, 10000000}, {4, 3, 20000000}};
    for (int i = 0; i < 5; i++)
        ck_assert_int_eq(tsr_cflow_link_add(&g, e[i][0], e[i][1], e[i][2], NULL), TSR_OK);
    ck_assert_uint_eq(g.node[4].rank, 3);
    ck_assert_uint_eq(g.node[0].rank, 0);
    uint32_t n1[8], n2[8], d1[8], d2[8];
    uint64_t a1[8], a2[8];
    size_t k1 = 0, k2 = 0;
    ck_assert_int_eq(tsr_cflow_pay_depth(&g, 4, 1000000, n1, a1, d1, 8, &k1), TSR_OK);
    ck_assert_int_eq(tsr_cflow_pay_live(&g, 4, 1000000, n2, a2, d2, 8, &k2), TSR_OK);
    const uint64_t want[5] = {2000, 19000, 19000, 160000, 800000};
    const uint32_t depth[5] = {3, 2, 2, 1, 0};
    ck_assert_uint_eq(k1, 5);
    ck_assert_uint_eq(k2, 5);
    for (size_t i = 0; i < 5; i++) {
        ck_assert_uint_eq(a1[i], want[n1[i]]);
        ck_assert_uint_eq(d1[i], depth[n1[i]]);
        ck_assert_uint_eq(a2[i], want[n2[i]]);
        ck_assert_uint_eq(d2[i], depth[n2[i]]);
    }
    const uint32_t order[5] = {4, 3, 1, 2, 0}; /* rank 3, 2, 1 (ids ascending), 0 */
    for (size_t i = 0; i < 5; i++)
        ck_assert_uint_eq(n2[i], order[i]);
    ck_assert_int_eq(tsr_cflow_pay_live(&g, 4, 10, n2, a2, NULL, 8, &k2), TSR_OK);
    ck_assert_uint_eq(k2, 2);
    ck_assert_uint_eq(n2[0], 4);
    ck_assert_uint_eq(a2[0], 8);
    ck_assert_uint_eq(n2[1], 3);
    ck_assert_uint_eq(a2[1], 2);
    ck_assert_int_eq(tsr_cflow_pay_live(&g, 4, 1000000, n2, a2, NULL, 3, &k2), TSR_ECAPACITY);
    tsr_cflow_clear(&g);
    ck_assert_int_eq(tsr_cflow_init(&g, TSR_CFLOW_ABSOLUTE, 8, 1024, NULL, NULL), TSR_OK);
    ck_assert_int_eq(tsr_cflow_add_node(&g, NULL), TSR_OK);
    ck_assert_int_eq(tsr_cflow_pay_live(&g, 0, 5, n2, a2, NULL, 8, &k2), TSR_EINVAL);
    tsr_cflow_clear(&g);
}
END_TEST

/* The ancestor cap stays exact although links usually skip the walk: with max_ancestors 4, a
** node over two parents that share their 2 ancestors has the bound (2 + 1) + (2 + 1) = 6 > 4
** but only 4 distinct ancestors, so it is linked; one more private ancestor makes 5: refused.
** Random graphs: every node's stored count is at least its true ancestor count (a walk), and
** LRP pays the same through tsr_cflow_pay and tsr_cflow_pay_live. */
START_TEST(test_ancestor_cap_exact_and_live_equal)
{
    tsr_cflow g;
    ck_assert_int_eq(tsr_cflow_init(&g, TSR_CFLOW_RELATIVE, 8, 4, NULL, NULL), TSR_OK);
    for (int i = 0; i < 7; i++)
        ck_assert_int_eq(tsr_cflow_add_node(&g, NULL), TSR_OK);
    tsr_cflow_reject why;
    /* 1 -> 0; 2 -> 1; 3 -> 1; 4 -> 2 and 4 -> 3 (ancestors 0 1 2 3) */
    const uint32_t e[5][2] = {{1, 0}, {2, 1}, {3, 1}, {4, 2}, {4, 3}};
    for (int i = 0; i < 5; i++)
        ck_assert_int_eq(tsr_cflow_link_add(&g, e[i][0], e[i][1], 1000000, &why), TSR_OK);
    ck_assert_uint_eq(g.node[4].nanc, 4);
    ck_assert_int_eq(tsr_cflow_link_add(&g, 4, 5, 1000000, &why), TSR_EINVAL);
    ck_assert_int_eq(why, TSR_CFLOW_ANCESTORS);
    tsr_cflow_clear(&g);

    ck_assert_int_eq(tsr_cflow_init(&g, TSR_CFLOW_RELATIVE, 4, 60, NULL, NULL), TSR_OK);
    uint64_t s = 11;
    for (uint32_t i = 0; i < 400; i++) {
        ck_assert_int_eq(tsr_cflow_add_node(&g, NULL), TSR_OK);
        for (uint32_t j = 0; i > 0 && j < 3; j++) {
            s = s * 6364136223846793005ull + 1442695040888963407ull;
            uint32_t p = (uint32_t)((s >> 33) % i);
            (void)tsr_cflow_link_add(&g, i, p, 1000000u + (uint32_t)((s >> 20) % 30000000u), NULL);
        }
    }
    static uint32_t n1[401], n2[401];
    static uint64_t a1[401], a2[401], byn[400];
    for (uint32_t x = 0; x < 400; x++) {
        size_t k1 = 0, k2 = 0;
        ck_assert_int_eq(tsr_cflow_pay(&g, x, 123456789012ull, n1, a1, 401, &k1), TSR_OK);
        ck_assert_uint_le(k1 - 1, g.node[x].nanc);
        ck_assert_uint_le(k1 - 1, 60);
        ck_assert_int_eq(tsr_cflow_pay_live(&g, x, 123456789012ull, n2, a2, NULL, 401, &k2),
                         TSR_OK);
        memset(byn, 0, sizeof byn);
        for (size_t i = 0; i < k2; i++)
            byn[n2[i]] = a2[i];
        for (size_t i = 0; i < k1; i++)
            ck_assert_uint_eq(byn[n1[i]], a1[i]);
    }
    tsr_cflow_clear(&g);
}
END_TEST

int main(void)
{
    Suite *su = suite_create("cflow");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_chain_relative_by_hand);
    tcase_add_test(tc, test_chain_absolute_by_hand);
    tcase_add_test(tc, test_shapley_exact_by_hand);
    tcase_add_test(tc, test_shapley_split_in_node);
    tcase_add_test(tc, test_shapley_sampled);
    tcase_add_test(tc, test_dilution_by_hand);
    tcase_add_test(tc, test_fork_by_hand);
    tcase_add_test(tc, test_bad_seed_graph);
    tcase_add_test(tc, test_conservation_generated);
    tcase_add_test(tc, test_determinism);
    tcase_add_test(tc, test_gini);
    tcase_add_test(tc, test_live_and_depth_by_hand);
    tcase_add_test(tc, test_revenue_metrics_by_hand);
    tcase_add_test(tc, test_forks_copy_parent_links);
    tcase_add_test(tc, test_ancestor_cap_exact_and_live_equal);
    suite_add_tcase(su, tc);
    return tdb_run(su);
}
