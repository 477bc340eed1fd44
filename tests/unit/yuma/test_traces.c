/* test_traces.c: every trace in $TOKENSIM_SHARED_DIR/conformance/traces/ replayed in-process
 * (trace_load + trace_replay), and every expectation checked exactly as FORMAT.md §1.7 says:
 * entry by entry, `null` skipped, |got - expected| <= the step's tolerance for the field (0 when
 * absent), bonds cells looked up by (row, col) with an absent pair counting as 0. The
 * expectations are read here with jansson directly, not through the loader under test, and the
 * number checked per file must equal FORMAT §1.10's table.
 */
#define _POSIX_C_SOURCE 200809L /* strdup, opendir */

#include <dirent.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tdb.h"
#include "trace.h"
#include "yuma_tests.h"

/* One epoch's outputs, copied out of the replay callback. */
typedef struct got_step {
    bool present;         /* the step ran an epoch */
    uint16_t *u16[4];     /* consensus, incentive, dividends, validator_trust */
    bool *permit;         /* validator_permit */
    uint64_t *emission;   /* emission */
    size_t *bptr;         /* n + 1 */
    tsr_yuma_pair *bonds; /* bonds pairs */
} got_step;

typedef struct got_trace {
    size_t n, nsteps;
    got_step *steps;
} got_trace;

static int collect(void *ud, const trace_epoch *e)
{
    got_trace *g = ud;
    got_step *s = &g->steps[e->step];
    size_t n = e->n;
    const tsr_yuma_out *o = e->out;
    const uint16_t *src[4] = {o->consensus, o->incentive, o->dividends, o->validator_trust};
    s->present = true;
    for (int f = 0; f < 4; f++) {
        s->u16[f] = malloc(n * sizeof(uint16_t));
        memcpy(s->u16[f], src[f], n * sizeof(uint16_t));
    }
    s->permit = malloc(n * sizeof(bool));
    memcpy(s->permit, o->validator_permit, n * sizeof(bool));
    s->emission = malloc(n * sizeof(uint64_t));
    memcpy(s->emission, o->emission, n * sizeof(uint64_t));
    s->bptr = malloc((n + 1) * sizeof(size_t));
    memcpy(s->bptr, o->bonds_row_ptr, (n + 1) * sizeof(size_t));
    size_t nb = o->bonds_row_ptr[n];
    s->bonds = malloc((nb ? nb : 1) * sizeof(tsr_yuma_pair));
    memcpy(s->bonds, o->bonds, nb * sizeof(tsr_yuma_pair));
    return 0;
}

static void got_free(got_trace *g)
{
    for (size_t k = 0; k < g->nsteps; k++) {
        got_step *s = &g->steps[k];
        for (int f = 0; f < 4; f++)
            free(s->u16[f]);
        free(s->permit);
        free(s->emission);
        free(s->bptr);
        free(s->bonds);
    }
    free(g->steps);
}

static uint64_t bond_at(const got_step *s, size_t row, size_t col)
{
    for (size_t q = s->bptr[row]; q < s->bptr[row + 1]; q++)
        if (s->bonds[q].uid == col)
            return s->bonds[q].value;
    return 0; /* FORMAT §1.7: an absent pair counts as 0 */
}

static uint64_t udiff(uint64_t a, uint64_t b)
{
    return a > b ? a - b : b - a;
}

static json_int_t tol_of(const json_t *expect, const char *field)
{
    const json_t *t = json_object_get(json_object_get(expect, "tolerance"), field);
    return t ? json_integer_value(t) : 0;
}

/* Checks one step's expectations; returns how many were checked. */
static size_t check_step(const char *file, size_t k, const json_t *expect, const got_step *s,
                         size_t n)
{
    static const char *const f16[4] = {"consensus", "incentive", "dividends", "validator_trust"};
    size_t count = 0;
    ck_assert_msg(s->present, "%s step %zu: no epoch output", file, k);
    for (int f = 0; f < 4; f++) {
        const json_t *v = json_object_get(expect, f16[f]);
        json_int_t tol = tol_of(expect, f16[f]);
        for (size_t i = 0; v && i < n; i++) {
            const json_t *x = json_array_get(v, i);
            if (json_is_null(x))
                continue;
            uint64_t want = (uint64_t)json_integer_value(x);
            ck_assert_msg(udiff(s->u16[f][i], want) <= (uint64_t)tol,
                          "%s step %zu %s[%zu]: expected %llu, got %u (tolerance %lld)", file, k,
                          f16[f], i, (unsigned long long)want, s->u16[f][i], (long long)tol);
            count++;
        }
    }
    const json_t *pv = json_object_get(expect, "validator_permit");
    for (size_t i = 0; pv && i < n; i++) {
        const json_t *x = json_array_get(pv, i);
        if (json_is_null(x))
            continue;
        ck_assert_msg(s->permit[i] == json_is_true(x), "%s step %zu validator_permit[%zu]", file, k,
                      i);
        count++;
    }
    const json_t *ev = json_object_get(expect, "emission");
    json_int_t etol = tol_of(expect, "emission");
    for (size_t i = 0; ev && i < n; i++) {
        const json_t *x = json_array_get(ev, i);
        if (json_is_null(x))
            continue;
        uint64_t want = (uint64_t)json_integer_value(x);
        ck_assert_msg(udiff(s->emission[i], want) <= (uint64_t)etol,
                      "%s step %zu emission[%zu]: expected %llu, got %llu", file, k, i,
                      (unsigned long long)want, (unsigned long long)s->emission[i]);
        count++;
    }
    const json_t *bv = json_object_get(expect, "bonds");
    json_int_t btol = tol_of(expect, "bonds");
    for (size_t c = 0; bv && c < json_array_size(bv); c++) {
        const json_t *cell = json_array_get(bv, c);
        size_t row = (size_t)json_integer_value(json_array_get(cell, 0));
        size_t col = (size_t)json_integer_value(json_array_get(cell, 1));
        uint64_t want = (uint64_t)json_integer_value(json_array_get(cell, 2));
        uint64_t got = bond_at(s, row, col);
        ck_assert_msg(udiff(got, want) <= (uint64_t)btol,
                      "%s step %zu bonds[%zu][%zu]: expected %llu, got %llu (tolerance %lld)", file,
                      k, row, col, (unsigned long long)want, (unsigned long long)got,
                      (long long)btol);
        count++;
    }
    return count;
}

/* Replays `path` and checks all its expectations; returns their number. */
static size_t check_file(const char *path, const char *file)
{
    char err[1024];
    trace_t *t = NULL;
    ck_assert_msg(trace_load(path, &t, err, sizeof err) == 0, "%s", err);
    got_trace g = {trace_n(t), trace_steps(t), NULL};
    g.steps = calloc(g.nsteps, sizeof *g.steps);
    ck_assert_msg(trace_replay(t, collect, &g, err, sizeof err) == 0, "%s: %s", file, err);
    trace_free(t);

    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    ck_assert_msg(root != NULL, "%s: %s", file, je.text);
    const json_t *steps = json_object_get(root, "steps");
    size_t n = (size_t)json_integer_value(json_object_get(json_object_get(root, "params"), "n"));
    ck_assert_uint_eq(n, g.n);
    ck_assert_uint_eq(json_array_size(steps), g.nsteps);
    size_t count = 0;
    for (size_t k = 0; k < g.nsteps; k++) {
        const json_t *s = json_array_get(steps, k);
        ck_assert_msg(json_is_true(json_object_get(s, "epoch")) == g.steps[k].present,
                      "%s step %zu: epoch output iff \"epoch\": true", file, k);
        const json_t *e = json_object_get(s, "expect");
        if (e)
            count += check_step(file, k, e, &g.steps[k], n);
    }
    json_decref(root);
    got_free(&g);
    return count;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* FORMAT §1.10 */
static const struct {
    const char *file;
    size_t count;
} expected_counts[] = {
    {"test_bonds.json", 173},
    {"test_active_stake.json", 36},
    {"test_10_graph.json", 40},
    {"test_1_graph.json", 3},
    {"yuma3_kappa_moves_first.json", 66},
    {"yuma3_liquid_alpha_disabled.json", 66},
};

START_TEST(test_public_traces)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", tdb_shared("conformance/traces"));
    DIR *d = opendir(dir);
    ck_assert_msg(d != NULL, "cannot open %s", dir);
    char *names[256] = {NULL};
    size_t nn = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL && nn < 256) {
        size_t len = strlen(de->d_name);
        if (len > 5 && !strcmp(de->d_name + len - 5, ".json"))
            names[nn++] = strdup(de->d_name);
    }
    closedir(d);
    qsort(names, nn, sizeof names[0], cmp_str);
    size_t known = 0;
    for (size_t i = 0; i < nn; i++) {
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        size_t c = check_file(path, names[i]);
        ck_assert_msg(c > 0, "%s: no expectations", names[i]);
        for (size_t k = 0; k < sizeof expected_counts / sizeof expected_counts[0]; k++)
            if (!strcmp(names[i], expected_counts[k].file)) {
                ck_assert_msg(c == expected_counts[k].count,
                              "%s: %zu expectations, FORMAT says %zu", names[i], c,
                              expected_counts[k].count);
                known++;
            }
        free(names[i]);
    }
    ck_assert_uint_eq(known, sizeof expected_counts / sizeof expected_counts[0]);
}
END_TEST

Suite *suite_traces(void)
{
    Suite *s = suite_create("traces");
    TCase *tc = tcase_create("public");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_public_traces);
    suite_add_tcase(s, tc);
    return s;
}
