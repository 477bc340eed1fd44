/*
** check_sweep_sens.c: the designs (sweep_design.h) and the sensitivity estimators
** (sweep_sens.h) as pure functions, against closed forms.
**
** Expected values come from formulas, not from the program: the Ishigami function's variance
** decomposition (Sobol & Levitan 1999; Saltelli et al. 2008, section 4.? of "Global Sensitivity
** Analysis: the primer"), a linear model's S1 = ST = c_i^2 var(x_i) / sum_j c_j^2 var(x_j),
** Morris effects of a linear model (exactly c_i (hi_i - lo_i) per full range, sigma 0),
** splitmix64's published first output for state 0, and the defining properties of LHS, Sobol
** nets, grids, zips and Morris trajectories.
*/
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sweep_design.h"
#include "sweep_sens.h"
#include "tdb.h"

static void add(sweep_design *d, const char *spec, int ranged, int integer)
{
    char err[256] = "";
    ck_assert_msg(sweep_design_add(d, spec, ranged, integer, err, sizeof err) == 0, "%s", err);
}

static void build(sweep_design *d)
{
    char err[256] = "";
    ck_assert_msg(sweep_design_build(d, err, sizeof err) == 0, "%s", err);
}

/* Parameter j of point p as a number, through the --set text the runs receive. */
static double value(const sweep_design *d, uint64_t p, size_t j)
{
    char buf[64];
    sweep_design_value(d, p, j, buf, sizeof buf);
    return strtod(buf, NULL);
}

typedef double (*model_fn)(const double *x);

/* Runs a Saltelli design through f and returns the indices. */
static void saltelli(sweep_design *d, model_fn f, double *s1, double *st)
{
    sweep_sobol_acc a;
    size_t k = d->nparams;
    double y[SWEEP_MAX_PARAMS + 2], x[SWEEP_MAX_PARAMS] = {0};
    sweep_sobol_init(&a, k);
    for (uint64_t b = 0; b < d->samples; b++) {
        for (size_t q = 0; q < k + 2; q++) {
            for (size_t j = 0; j < k; j++)
                x[j] = value(d, b * (k + 2) + q, j);
            y[q] = f(x);
        }
        sweep_sobol_add(&a, y);
    }
    ck_assert_int_eq(sweep_sobol_result(&a, s1, st), 0);
}

static double ishigami(const double *x)
{
    return sin(x[0]) + 7.0 * sin(x[1]) * sin(x[1]) + 0.1 * pow(x[2], 4) * sin(x[0]);
}

START_TEST(test_ishigami_indices)
{
    const double a = 7.0, b = 0.1, pi = 3.14159265358979323846;
    double v1 = 0.5 * pow(1.0 + b * pow(pi, 4) / 5.0, 2), v2 = a * a / 8.0;
    double v13 = b * b * pow(pi, 8) * (1.0 / 18.0 - 1.0 / 50.0);
    double v = v1 + v2 + v13;
    double want_s1[3] = {v1 / v, v2 / v, 0.0}, want_st[3] = {(v1 + v13) / v, v2 / v, v13 / v};
    sweep_design d;
    memset(&d, 0, sizeof d);
    d.kind = SWEEP_SALTELLI;
    d.samples = 16384;
    add(&d, "x1=-3.141592653589793:3.141592653589793", 1, 0);
    add(&d, "x2=-3.141592653589793:3.141592653589793", 1, 0);
    add(&d, "x3=-3.141592653589793:3.141592653589793", 1, 0);
    build(&d);
    ck_assert_uint_eq(d.nruns, (uintmax_t)16384 * 5);
    double s1[3], st[3];
    saltelli(&d, ishigami, s1, st);
    for (int i = 0; i < 3; i++) {
        ck_assert_msg(fabs(s1[i] - want_s1[i]) < 0.02, "S1[%d] = %g, want %g", i, s1[i],
                      want_s1[i]);
        ck_assert_msg(fabs(st[i] - want_st[i]) < 0.02, "ST[%d] = %g, want %g", i, st[i],
                      want_st[i]);
    }
    sweep_design_clear(&d);
}
END_TEST

static double linear(const double *x)
{
    return 2.0 * x[0] - 3.0 * x[1] + 0.0 * x[2];
}

START_TEST(test_linear_indices)
{
    /* x_i uniform on [0, 1], [0, 2], [0, 1]: var = 1/12, 4/12, 1/12 */
    double c2v[3] = {4.0 / 12.0, 9.0 * 4.0 / 12.0, 0.0}, tot = c2v[0] + c2v[1] + c2v[2];
    sweep_design d;
    memset(&d, 0, sizeof d);
    d.kind = SWEEP_SALTELLI;
    d.samples = 4096;
    add(&d, "a=0:1", 1, 0);
    add(&d, "b=0:2", 1, 0);
    add(&d, "c=0:1", 1, 0);
    build(&d);
    double s1[3], st[3];
    saltelli(&d, linear, s1, st);
    for (int i = 0; i < 3; i++) {
        ck_assert_msg(fabs(s1[i] - c2v[i] / tot) < 0.01, "S1[%d] = %g", i, s1[i]);
        ck_assert_msg(fabs(st[i] - c2v[i] / tot) < 0.01, "ST[%d] = %g", i, st[i]);
    }
    sweep_design_clear(&d);
}
END_TEST

static double linear3(const double *x)
{
    return 2.0 * x[0] - 3.0 * x[1] + 1.0 * x[2];
}

START_TEST(test_morris_linear_exact)
{
    sweep_design d;
    memset(&d, 0, sizeof d);
    d.kind = SWEEP_MORRIS;
    d.samples = 12;
    d.levels = 4;
    add(&d, "a=0:10", 1, 0);
    add(&d, "b=0:1", 1, 0);
    add(&d, "c=5:6", 1, 0);
    build(&d);
    ck_assert_uint_eq(d.nruns, (uintmax_t)12 * 4);
    sweep_morris_acc m;
    sweep_morris_init(&m, 3);
    for (uint64_t t = 0; t < d.samples; t++) {
        double y[4], x[3];
        for (size_t q = 0; q < 4; q++) {
            for (size_t j = 0; j < 3; j++)
                x[j] = value(&d, t * 4 + q, j);
            y[q] = linear3(x);
        }
        sweep_morris_add(&m, &d.unit[t * 4 * 3], y);
    }
    double want[3] = {20.0, 3.0, 1.0}; /* |c_i| (hi - lo) */
    for (size_t j = 0; j < 3; j++) {
        double mu, sg;
        ck_assert_int_eq(sweep_morris_result(&m, j, &mu, &sg), 0);
        ck_assert_msg(fabs(mu - want[j]) < 1e-9, "mu*[%zu] = %.17g", j, mu);
        ck_assert_msg(fabs(sg) < 1e-9, "sigma[%zu] = %.17g", j, sg);
    }
    sweep_design_clear(&d);
}
END_TEST

START_TEST(test_morris_trajectories)
{
    sweep_design d;
    memset(&d, 0, sizeof d);
    d.kind = SWEEP_MORRIS;
    d.samples = 50;
    d.levels = 6;
    d.master_seed = 99;
    add(&d, "a=0:1", 1, 0);
    add(&d, "b=0:1", 1, 0);
    add(&d, "c=0:1", 1, 0);
    add(&d, "e=0:1", 1, 0);
    build(&d);
    double delta = 6.0 / (2.0 * 5.0);
    for (uint64_t t = 0; t < d.samples; t++) {
        int changed[4] = {0, 0, 0, 0};
        for (size_t s = 0; s < 4; s++) {
            size_t at = (size_t)((t * 5 + s) * 4); /* point s; point s + 1 starts at at + 4 */
            int n = 0;
            for (size_t j = 0; j < 4; j++) {
                double x0 = d.unit[at + j], x1 = d.unit[at + 4 + j];
                double lv = x0 * 5.0; /* on the level grid {0, 1/5, ..., 1} */
                ck_assert(fabs(lv - floor(lv + 0.5)) < 1e-9);
                if (x1 != x0) {
                    n++;
                    changed[j]++;
                    ck_assert(fabs(fabs(x1 - x0) - delta) < 1e-12);
                }
            }
            ck_assert_int_eq(n, 1);
        }
        for (size_t j = 0; j < 4; j++)
            ck_assert_int_eq(changed[j], 1);
    }
    sweep_design_clear(&d);
}
END_TEST

START_TEST(test_lhs_strata)
{
    sweep_design d;
    memset(&d, 0, sizeof d);
    d.kind = SWEEP_LHS;
    d.samples = 37;
    d.master_seed = 5;
    add(&d, "a=0:1", 1, 0);
    add(&d, "b=10:20", 1, 0);
    build(&d);
    for (size_t j = 0; j < 2; j++) {
        int seen[37] = {0};
        for (uint64_t i = 0; i < 37; i++) {
            double u = d.unit[i * 2 + j];
            ck_assert(u >= 0.0 && u < 1.0);
            seen[(int)floor(u * 37.0)]++;
        }
        for (int s = 0; s < 37; s++)
            ck_assert_int_eq(seen[s], 1); /* one point per stratum per dimension */
    }
    double b = value(&d, 3, 1);
    ck_assert(b >= 10.0 && b <= 20.0);
    sweep_design_clear(&d);
}
END_TEST

START_TEST(test_sobol_net)
{
    sweep_design d;
    memset(&d, 0, sizeof d);
    d.kind = SWEEP_SOBOL;
    d.samples = 63;
    add(&d, "a=0:1", 1, 0);
    add(&d, "b=0:1", 1, 0);
    add(&d, "c=0:1", 1, 0);
    build(&d);
    /* A (t, m, s)-net: the first 2^m points of the Sobol sequence put one point in each
    ** interval [k/2^m, (k+1)/2^m) of every one-dimensional projection. GSL omits the sequence's
    ** first point, the origin, so its first 63 points fill every interval but [0, 1/64). */
    for (size_t j = 0; j < 3; j++) {
        int seen[64] = {0};
        for (uint64_t i = 0; i < 63; i++) {
            ck_assert(d.unit[i * 3 + j] > 0.0 && d.unit[i * 3 + j] < 1.0);
            seen[(int)floor(d.unit[i * 3 + j] * 64.0)]++;
        }
        for (int s = 0; s < 64; s++)
            ck_assert_int_eq(seen[s], s == 0 ? 0 : 1);
    }
    sweep_design_clear(&d);
}
END_TEST

START_TEST(test_integer_rounding_rule)
{
    sweep_design d;
    memset(&d, 0, sizeof d);
    d.kind = SWEEP_LHS;
    d.samples = 3000;
    add(&d, "n=2:4", 1, 1);
    build(&d);
    int count[3] = {0, 0, 0};
    for (uint64_t i = 0; i < 3000; i++) {
        char buf[32];
        sweep_design_value(&d, i, 0, buf, sizeof buf);
        ck_assert(strcmp(buf, "2") == 0 || strcmp(buf, "3") == 0 || strcmp(buf, "4") == 0);
        count[buf[0] - '2']++;
    }
    /* lo + floor(u (hi - lo + 1)) with u stratified: exactly 1000 of each */
    ck_assert_int_eq(count[0], 1000);
    ck_assert_int_eq(count[1], 1000);
    ck_assert_int_eq(count[2], 1000);
    sweep_design_clear(&d);
}
END_TEST

START_TEST(test_amount_rounding_rule)
{
    /* Morris on 4 levels puts every coordinate on {0, 1/3, 2/3, 1}: a token amount over [0, 1]
    ** takes 0, 0.333333333, 0.666666667 (nearest base unit) or 1, printed without trailing
    ** zeros; over [0, 3] it takes the whole numbers 0..3. */
    sweep_design d;
    memset(&d, 0, sizeof d);
    d.kind = SWEEP_MORRIS;
    d.samples = 30;
    d.levels = 4;
    add(&d, "a=0:1", 1, SWEEP_KEY_AMOUNT);
    add(&d, "b=0:3", 1, SWEEP_KEY_AMOUNT);
    build(&d);
    int seen[4] = {0, 0, 0, 0};
    static const char *const want_a[4] = {"0", "0.333333333", "0.666666667", "1"};
    static const char *const want_b[4] = {"0", "1", "2", "3"};
    for (uint64_t p = 0; p < d.npoints; p++) {
        char a[32], b[32];
        int la = (int)floor(d.unit[p * 2] * 3.0 + 0.5),
            lb = (int)floor(d.unit[p * 2 + 1] * 3.0 + 0.5);
        sweep_design_value(&d, p, 0, a, sizeof a);
        sweep_design_value(&d, p, 1, b, sizeof b);
        ck_assert_str_eq(a, want_a[la]);
        ck_assert_str_eq(b, want_b[lb]);
        seen[la]++;
    }
    for (int l = 0; l < 4; l++)
        ck_assert_int_gt(seen[l], 0);
    sweep_design_clear(&d);
    memset(&d, 0, sizeof d);
    d.kind = SWEEP_LHS;
    d.samples = 2;
    char err[256] = "";
    ck_assert_int_eq(sweep_design_add(&d, "a=-1:1", 1, SWEEP_KEY_AMOUNT, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "token amount"));
    sweep_design_clear(&d);
}
END_TEST

START_TEST(test_grid_zip_order)
{
    sweep_design d;
    memset(&d, 0, sizeof d);
    d.kind = SWEEP_GRID;
    d.reps = 2;
    add(&d, "a=1,2", 0, 0);
    add(&d, "b=x,y,z", 0, 0);
    build(&d);
    ck_assert_uint_eq(d.nruns, 12);
    char buf[64], pj[256];
    sweep_design_value(&d, 4, 0, buf, sizeof buf); /* point 4 = (a[1], b[1]) */
    ck_assert_str_eq(buf, "2");
    sweep_design_value(&d, 4, 1, buf, sizeof buf);
    ck_assert_str_eq(buf, "y");
    ck_assert_int_eq(sweep_design_params_json(&d, 9, pj, sizeof pj), 0); /* run 9: point 4 */
    ck_assert_str_eq(pj, "{\"a\": 2, \"b\": \"y\"}");
    sweep_design_clear(&d);

    memset(&d, 0, sizeof d);
    d.kind = SWEEP_ZIP;
    add(&d, "a=1,2,3", 0, 0);
    add(&d, "b=0.5:1.5:3", 0, 0);
    build(&d);
    ck_assert_uint_eq(d.nruns, 3);
    sweep_design_value(&d, 1, 1, buf, sizeof buf);
    ck_assert_str_eq(buf, "1");
    ck_assert_int_eq(sweep_design_params_json(&d, 2, pj, sizeof pj), 0);
    ck_assert_str_eq(pj, "{\"a\": 3, \"b\": 1.5}");
    sweep_design_clear(&d);

    memset(&d, 0, sizeof d);
    d.kind = SWEEP_ZIP;
    add(&d, "a=1,2,3", 0, 0);
    add(&d, "b=1,2", 0, 0);
    char err[256] = "";
    ck_assert_int_eq(sweep_design_build(&d, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "zip"));
    sweep_design_clear(&d);
}
END_TEST

START_TEST(test_seeds)
{
    /* splitmix64's first output from state 0 (Vigna's reference implementation) */
    ck_assert_uint_eq(sweep_mix64(0), 0xe220a8397b1dcdafull);
    enum { N = 20000 };
    static uint64_t s[N];
    for (uint64_t i = 0; i < N; i++) {
        s[i] = sweep_run_seed(42, i);
        ck_assert_uint_eq(s[i] >> 63, 0);
        ck_assert_uint_eq(s[i], (sweep_mix64(42 ^ sweep_mix64(i)) & 0x7fffffffffffffffull));
    }
    for (uint64_t i = 1; i < N; i++) /* neighbours never collide (spot check) */
        ck_assert(s[i] != s[i - 1]);
    ck_assert(sweep_run_seed(43, 0) != sweep_run_seed(42, 0));
    sweep_design d;
    memset(&d, 0, sizeof d);
    d.master_seed = 7;
    d.crn = 1;
    ck_assert_uint_eq(sweep_design_seed(&d, 123), 7);
    d.reps = 4; /* run 123 is replicate 3 of point 30, run 120 replicate 0 */
    ck_assert_uint_eq(sweep_design_seed(&d, 123), sweep_run_seed(7, 3));
    ck_assert_uint_eq(sweep_design_seed(&d, 3), sweep_run_seed(7, 3));
    ck_assert_uint_eq(sweep_design_seed(&d, 120), 7);
    d.crn = 0;
    ck_assert_uint_eq(sweep_design_seed(&d, 123), sweep_run_seed(7, 123));
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("sweep_sens");
    TCase *c = tcase_create("estimators");
    tcase_set_timeout(c, 60);
    tcase_add_test(c, test_ishigami_indices);
    tcase_add_test(c, test_linear_indices);
    tcase_add_test(c, test_morris_linear_exact);
    suite_add_tcase(s, c);
    c = tcase_create("designs");
    tcase_add_test(c, test_morris_trajectories);
    tcase_add_test(c, test_lhs_strata);
    tcase_add_test(c, test_sobol_net);
    tcase_add_test(c, test_integer_rounding_rule);
    tcase_add_test(c, test_amount_rounding_rule);
    tcase_add_test(c, test_grid_zip_order);
    tcase_add_test(c, test_seeds);
    suite_add_tcase(s, c);
    return s;
}

int main(void)
{
    return tdb_run(suite());
}
