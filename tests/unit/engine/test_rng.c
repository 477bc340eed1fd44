/*
 * Tests of rng: known answers (the reference Philox4x64-10 against Random123's published vectors,
 * then both stream kinds against that reference evaluated here on the documented key/counter
 * layout), reproducibility, order independence, key separation, and gsl_ran_* on both kinds.
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <Random123/philox.h>

#include "engine_suites.h"
#include "rng.h"

#define DOMAIN_ENGINE (UINT64_C(1) << 62)
#define KIND_EVENT    (UINT64_C(1) << 63)

static const rng_key kat_key = {UINT64_C(0x0123456789ABCDEF), 7, RNG_PURPOSE_DECISION,
                                UINT64_C(0xFEDCBA9876543210)};

/* Published known answers for philox4x64_R(10, ctr, key) (Random123 kat_vectors). */
START_TEST(test_philox_reference_kat)
{
    static const struct {
        uint64_t ctr[4], key[2], out[4];
    } kat[] = {
        {{0, 0, 0, 0},
         {0, 0},
         {0x16554d9eca36314cull, 0xdb20fe9d672d0fdcull, 0xd7e772cee186176bull,
          0x7e68b68aec7ba23bull}},
        {{~0ull, ~0ull, ~0ull, ~0ull},
         {~0ull, ~0ull},
         {0x87b092c3013fe90bull, 0x438c3c67be8d0224ull, 0x9cc7d7c69cd777b6ull,
          0xa09caebf594f0ba0ull}},
        {{0x243f6a8885a308d3ull, 0x13198a2e03707344ull, 0xa4093822299f31d0ull,
          0x082efa98ec4e6c89ull},
         {0x452821e638d01377ull, 0xbe5466cf34e90c6cull},
         {0xa528f45403e61d95ull, 0x38c72dbd566e9788ull, 0xa5a1610e72fd18b5ull,
          0x57bd43b5e52b7fe6ull}},
    };
    for (size_t i = 0; i < sizeof kat / sizeof kat[0]; i++) {
        philox4x64_ctr_t c = {{kat[i].ctr[0], kat[i].ctr[1], kat[i].ctr[2], kat[i].ctr[3]}};
        philox4x64_key_t k = {{kat[i].key[0], kat[i].key[1]}};
        philox4x64_ctr_t r = philox4x64_R(10, c, k);
        for (int w = 0; w < 4; w++)
            ck_assert_uint_eq(r.v[w], kat[i].out[w]);
    }
}
END_TEST

/* Expected 32-bit draws of one block: low halves of words 3, 2, 1, 0 (the adapters' order). */
static void expect_block(uint32_t out[4], uint64_t c0, uint64_t c1, uint64_t c2, uint64_t c3,
                         const rng_key *k)
{
    philox4x64_ctr_t c = {{c0, c1, c2, c3}};
    philox4x64_key_t key = {{k->seed, k->entity}};
    philox4x64_ctr_t r = philox4x64_R(10, c, key);
    for (int w = 0; w < 4; w++)
        out[w] = (uint32_t)(r.v[3 - w] & 0xFFFFFFFFu);
}

static uint64_t pr_word(const rng_key *k)
{
    return (uint64_t)k->purpose << 32 | k->run_index;
}

static void check_stream_kat(gsl_rng *r, const rng_key *k, uint64_t domain)
{
    for (uint64_t b = 1; b <= 3; b++) {
        uint32_t want[4];
        expect_block(want, b, 0, domain + b, pr_word(k), k);
        for (int w = 0; w < 4; w++)
            ck_assert_uint_eq(gsl_rng_get(r), want[w]);
    }
}

START_TEST(test_stream_kat)
{
    gsl_rng *r = rng_stream_new(&kat_key);
    ck_assert_ptr_nonnull(r);
    check_stream_kat(r, &kat_key, 0);
    gsl_rng_free(r);
    r = rng_engine_stream_new(&kat_key);
    check_stream_kat(r, &kat_key, DOMAIN_ENGINE);
    gsl_rng_free(r);
}
END_TEST

static void check_event_kat(gsl_rng *r, const rng_key *k, uint64_t event, uint64_t domain)
{
    for (uint64_t n = 0; n < 3; n++) {
        uint32_t want[4];
        expect_block(want, event, pr_word(k), KIND_EVENT + domain, n << 32, k);
        for (int w = 0; w < 4; w++)
            ck_assert_uint_eq(gsl_rng_get(r), want[w]);
    }
}

START_TEST(test_event_kat)
{
    gsl_rng *r = rng_event_new();
    ck_assert_ptr_nonnull(r);
    rng_event_reset(r, &kat_key, 10);
    check_event_kat(r, &kat_key, 10, 0);
    rng_event_reset(r, &kat_key, UINT64_C(0xFFFFFFFFFFFFFFF0));
    check_event_kat(r, &kat_key, UINT64_C(0xFFFFFFFFFFFFFFF0), 0);
    rng_engine_event_reset(r, &kat_key, 10);
    check_event_kat(r, &kat_key, 10, DOMAIN_ENGINE);
    gsl_rng_free(r);
}
END_TEST

START_TEST(test_types)
{
    gsl_rng *s = rng_stream_new(&kat_key), *e = rng_event_new();
    ck_assert_ptr_eq(s->type, rng_stream_type());
    ck_assert_ptr_eq(e->type, rng_event_type());
    ck_assert_str_eq(gsl_rng_name(s), "rng_philox4x64");
    ck_assert_str_eq(gsl_rng_name(e), "rng_philox4x64_ev");
    ck_assert_uint_eq(gsl_rng_max(s), 0xFFFFFFFFul);
    ck_assert_uint_eq(gsl_rng_min(e), 0);
    gsl_rng_free(s);
    gsl_rng_free(e);
}
END_TEST

START_TEST(test_reproducible)
{
    gsl_rng *a = rng_stream_new(&kat_key), *b = rng_stream_new(&kat_key);
    for (int i = 0; i < 1000; i++)
        ck_assert_uint_eq(gsl_rng_get(a), gsl_rng_get(b));
    gsl_rng *c = gsl_rng_clone(a); /* snapshots continue identically */
    for (int i = 0; i < 100; i++)
        ck_assert_uint_eq(gsl_rng_get(a), gsl_rng_get(c));
    gsl_rng *e1 = rng_event_new(), *e2 = rng_event_new();
    rng_event_reset(e1, &kat_key, 99);
    rng_event_reset(e2, &kat_key, 99);
    for (int i = 0; i < 50; i++)
        ck_assert_uint_eq(gsl_rng_get(e1), gsl_rng_get(e2));
    /* Re-keying the same generator to the same (key, event) replays it. */
    uint32_t first[10];
    rng_event_reset(e1, &kat_key, 5);
    for (int i = 0; i < 10; i++)
        first[i] = (uint32_t)gsl_rng_get(e1);
    rng_event_reset(e1, &kat_key, 5);
    for (int i = 0; i < 10; i++)
        ck_assert_uint_eq(gsl_rng_get(e1), first[i]);
    gsl_rng_free(a);
    gsl_rng_free(b);
    gsl_rng_free(c);
    gsl_rng_free(e1);
    gsl_rng_free(e2);
}
END_TEST

/*
 * A small population: each entity has a persistent stream and draws a few values per round.
 * Returns entity `watch`'s draws. `n_ent` entities, visited forwards or backwards, with or
 * without a burst of 1000 unrelated draws (other purposes) before each round.
 */
static void population(uint64_t n_ent, int backwards, int noise, uint64_t watch, uint32_t *out,
                       size_t n_out)
{
    gsl_rng *st[16] = {0};
    for (uint64_t e = 0; e < n_ent; e++)
        st[e] = rng_stream_new(&(rng_key){42, 3, RNG_PURPOSE_DECISION, e});
    size_t got = 0;
    for (int round = 0; got < n_out; round++) {
        if (noise) {
            gsl_rng *x = rng_stream_new(&(rng_key){42, 3, RNG_PURPOSE_TIMING, watch});
            for (int i = 0; i < 1000; i++)
                gsl_rng_get(x);
            gsl_rng_free(x);
        }
        for (uint64_t j = 0; j < n_ent; j++) {
            uint64_t e = backwards ? n_ent - 1 - j : j;
            for (uint64_t d = 0; d <= e % 3; d++) {
                uint32_t v = (uint32_t)gsl_rng_get(st[e]);
                if (e == watch && got < n_out)
                    out[got++] = v;
            }
        }
    }
    for (uint64_t e = 0; e < n_ent; e++)
        gsl_rng_free(st[e]);
}

START_TEST(test_stream_order_independence)
{
    uint32_t a[40], b[40], c[40];
    population(10, 0, 0, 5, a, 40);
    population(11, 1, 0, 5, b, 40); /* one entity more, visited in reverse */
    population(10, 0, 1, 5, c, 40); /* unrelated draws in between */
    ck_assert_mem_eq(a, b, sizeof a);
    ck_assert_mem_eq(a, c, sizeof a);
    /* And it is entity 5's stream, not a shared one: the first draws match a fresh stream. */
    gsl_rng *r = rng_stream_new(&(rng_key){42, 3, RNG_PURPOSE_DECISION, 5});
    for (int i = 0; i < 40; i++)
        ck_assert_uint_eq(gsl_rng_get(r), a[i]);
    gsl_rng_free(r);
}
END_TEST

START_TEST(test_event_order_independence)
{
    rng_key k5 = {42, 3, RNG_PURPOSE_QUALITY, 5};
    gsl_rng *r = rng_event_new();
    uint32_t before[6];
    rng_event_reset(r, &k5, 10);
    for (int i = 0; i < 6; i++) /* crosses a block boundary */
        before[i] = (uint32_t)gsl_rng_get(r);
    /* 1000 draws for other entities, purposes and events, on the same generator. */
    uint64_t st = 1;
    for (int i = 0; i < 1000; i++) {
        rng_key o = {42, 3, (uint32_t)(1 + test_below(&st, 7)), test_below(&st, 100)};
        rng_event_reset(r, &o, test_below(&st, 50));
        gsl_ran_gaussian(r, 1.0);
    }
    rng_event_reset(r, &k5, 10);
    for (int i = 0; i < 6; i++)
        ck_assert_uint_eq(gsl_rng_get(r), before[i]);
    gsl_rng_free(r);
}
END_TEST

/* First 8 draws of a stream of the given kind (0 model stream, 1 engine stream, 2 model event, 3
 * engine event) for key k (event 0). */
static void first_draws(int kind, const rng_key *k, uint64_t event, uint32_t out[8])
{
    gsl_rng *r =
        kind < 2 ? (kind == 0 ? rng_stream_new(k) : rng_engine_stream_new(k)) : rng_event_new();
    if (kind == 2)
        rng_event_reset(r, k, event);
    if (kind == 3)
        rng_engine_event_reset(r, k, event);
    for (int i = 0; i < 8; i++)
        out[i] = (uint32_t)gsl_rng_get(r);
    gsl_rng_free(r);
}

START_TEST(test_distinct_keys)
{
    const rng_key base = {1000, 2, RNG_PURPOSE_DECISION, 17};
    const rng_key keys[] = {
        base,
        {1001, 2, RNG_PURPOSE_DECISION, 17},     /* seed */
        {1000, 3, RNG_PURPOSE_DECISION, 17},     /* run */
        {1000, 2, RNG_PURPOSE_TIMING, 17},       /* purpose */
        {1000, 2, RNG_PURPOSE_DECISION, 18},     /* entity */
        {1001, 2, RNG_PURPOSE_DECISION, 16},     /* seed+1, entity-1: no aliasing */
        {1000, 3, RNG_PURPOSE_DECISION - 1, 17}, /* run+1, purpose-1 */
        {1000 + (UINT64_C(1) << 32), 2, RNG_PURPOSE_DECISION, 17}, /* no 32-bit seed folding */
        {0, 2, RNG_PURPOSE_DECISION, 17},    /* seed 0 is a seed like any other */
        {4357, 2, RNG_PURPOSE_DECISION, 17}, /* ... and differs from 4357 */
    };
    enum { NK = sizeof keys / sizeof keys[0] };
    static uint32_t d[4][NK + 1][8];
    for (int kind = 0; kind < 4; kind++) {
        for (int i = 0; i < NK; i++)
            first_draws(kind, &keys[i], 0, d[kind][i]);
        first_draws(kind, &base, 1, d[kind][NK]); /* next event (same as base for streams) */
    }
    /* Every (kind, key) pair differs from every other, except stream kinds ignore `event`. */
    for (int ka = 0; ka < 4; ka++)
        for (int ia = 0; ia <= NK; ia++)
            for (int kb = 0; kb < 4; kb++)
                for (int ib = 0; ib <= NK; ib++) {
                    if (ka == kb && ia == ib)
                        continue;
                    int same_stream =
                        ka == kb && ka < 2 && ((ia == 0 && ib == NK) || (ia == NK && ib == 0));
                    int same = memcmp(d[ka][ia], d[kb][ib], sizeof d[ka][ia]) == 0;
                    ck_assert_msg(same == same_stream, "kinds %d/%d keys %d/%d", ka, kb, ia, ib);
                }
}
END_TEST

START_TEST(test_reset_ignores_foreign_generator)
{
    gsl_rng *s = rng_stream_new(&kat_key);
    gsl_rng *c = gsl_rng_clone(s);
    rng_event_reset(s, &(rng_key){1, 1, 1, 1}, 1); /* documented no-op on a persistent stream */
    rng_event_reset(NULL, &kat_key, 1);
    for (int i = 0; i < 20; i++)
        ck_assert_uint_eq(gsl_rng_get(s), gsl_rng_get(c));
    gsl_rng_free(s);
    gsl_rng_free(c);
}
END_TEST

/* Sample moments of gsl_ran_* on a generator (re-keyed per draw for event generators). */
static void check_distributions(int per_event)
{
    enum { N = 200000 };
    rng_key k = {2024, 1, RNG_PURPOSE_MARKET, 9};
    gsl_rng *r = per_event ? rng_event_new() : rng_stream_new(&k);
    double sg = 0, sg2 = 0, se = 0, sp = 0, umin = 1, umax = 0;
    for (int i = 0; i < N; i++) {
        if (per_event)
            rng_event_reset(r, &k, (uint64_t)i);
        double g = gsl_ran_gaussian_ziggurat(r, 2.0);
        sg += g;
        sg2 += g * g;
        se += gsl_ran_exponential(r, 3.0);
        sp += (double)gsl_ran_poisson(r, 4.5);
        double u = gsl_rng_uniform(r);
        umin = u < umin ? u : umin;
        umax = u > umax ? u : umax;
    }
    double mean = sg / N, var = sg2 / N - mean * mean;
    /* Tolerances are > 10 standard errors: a working generator cannot fail them. */
    ck_assert_double_eq_tol(mean, 0.0, 0.05);
    ck_assert_double_eq_tol(var, 4.0, 0.15);
    ck_assert_double_eq_tol(se / N, 3.0, 0.08);
    ck_assert_double_eq_tol(sp / N, 4.5, 0.06);
    ck_assert(umin >= 0.0 && umin < 0.001);
    ck_assert(umax < 1.0 && umax > 0.999);
    gsl_rng_free(r);
}

START_TEST(test_distributions)
{
    check_distributions(_i);
}
END_TEST

/* ---- rng_gauss: gsl_ran_gaussian_ziggurat bit for bit ------------------------------------- */

static int same_bits(double a, double b)
{
    uint64_t x, y;
    memcpy(&x, &a, sizeof x);
    memcpy(&y, &b, sizeof y);
    return x == y;
}

/* Draws n values with rng_gauss (or rng_gauss_fill) and with GSL's own function from two
** generators keyed alike; every value must have the same bits and both generators must end in
** the same place. Returns how many draws took GSL's further tests (values beyond strip bounds
** cannot be told apart here, so this counts |x| > 3.4, the tail, as a witness of slow paths). */
static int compare_stream(const rng_zig *z, gsl_rng *a, gsl_rng *b, double sigma, int n, int fill)
{
    double got[512];
    int tail = 0;
    ck_assert_int_le(n, 512);
    if (fill)
        rng_gauss_fill(z, a, sigma, got, (size_t)n);
    for (int i = 0; i < n; i++) {
        double x = fill ? got[i] : rng_gauss(z, a, sigma), y = gsl_ran_gaussian_ziggurat(b, sigma);
        ck_assert_msg(same_bits(x, y), "draw %d, sigma %g: %a vs GSL %a", i, sigma, x, y);
        tail += sigma > 0.0 && fabs(y / sigma) > 3.4;
    }
    ck_assert_uint_eq(gsl_rng_get(a), gsl_rng_get(b));
    return tail;
}

START_TEST(test_gauss_matches_gsl)
{
    rng_zig z;
    rng_zig_init(&z);
    ck_assert_int_eq(z.ok, 1); /* GSL 2.7's ziggurat measures and checks out */
    const double sigmas[] = {1.0, 0.05, 3.7, 1e-300, 0.0, -2.5, -0.0, 1e300, 5e-324};
    gsl_rng *a = rng_event_new(), *b = rng_event_new();
    int tail = 0;
    for (uint64_t e = 0; e < 3000; e++) {
        rng_key k = {e * 7919u, (uint32_t)e, RNG_PURPOSE_QUALITY, e ^ 0x5555u};
        rng_event_reset(a, &k, e * 1024u + 3u);
        rng_event_reset(b, &k, e * 1024u + 3u);
        double sigma = sigmas[e % (sizeof sigmas / sizeof *sigmas)];
        tail += compare_stream(&z, a, b, sigma, 1 + (int)(e % 300), (int)(e & 1));
    }
    ck_assert_int_gt(tail, 100); /* the tail path (and its extra outputs) was exercised */
    gsl_rng_free(a);
    gsl_rng_free(b);
}
END_TEST

/* Fills of every length from 1 to 700 (across the fill's batches of Philox blocks), each
** continued by further fills and by single outputs taken in between, so that fills start and
** end anywhere inside a block and right after GSL's further tests: every value and the
** generator's position must be GSL's own call's, draw after draw. */
START_TEST(test_gauss_fill_resumes)
{
    rng_zig z;
    rng_zig_init(&z);
    ck_assert_int_eq(z.ok, 1);
    gsl_rng *a = rng_event_new(), *b = rng_event_new();
    double got[700];
    int tail = 0;
    for (uint64_t e = 0; e < 700; e++) {
        rng_key k = {e + 11u, 3, RNG_PURPOSE_QUALITY, e * 31u};
        rng_event_reset(a, &k, e);
        rng_event_reset(b, &k, e);
        size_t lens[3] = {(size_t)e + 1u, (size_t)(e * 7u % 13u), (size_t)(e % 5u) + 1u};
        for (int part = 0; part < 3; part++) {
            if (part == 1 && e % 3 == 0) /* an output taken outside a fill */
                ck_assert_uint_eq(gsl_rng_get(a), gsl_rng_get(b));
            rng_gauss_fill(&z, a, 0.5, got, lens[part]);
            for (size_t i = 0; i < lens[part]; i++) {
                double y = gsl_ran_gaussian_ziggurat(b, 0.5);
                ck_assert_msg(same_bits(got[i], y), "event %llu part %d draw %zu: %a vs GSL %a",
                              (unsigned long long)e, part, i, got[i], y);
                tail += fabs(y / 0.5) > 3.4;
            }
        }
        ck_assert_uint_eq(gsl_rng_get(a), gsl_rng_get(b));
    }
    ck_assert_int_gt(tail, 50); /* GSL's further tests ran inside fills */
    gsl_rng_free(a);
    gsl_rng_free(b);
}
END_TEST

/* A generator that returns one chosen output, then j = 0 of strip 1 (accepted at once), and
** counts what the ziggurat asks of it: GSL's own verdict on a single output. */
typedef struct script_state {
    unsigned long first; /* the output under test */
    unsigned calls;      /* outputs and uniforms asked for */
} script_state;

static unsigned long script_get(void *v)
{
    script_state *p = v;
    return p->calls++ == 0 ? p->first : 0x81u;
}

static double script_get_double(void *v)
{
    script_state *p = v;
    p->calls++;
    return 0.25;
}

static void script_set(void *v, unsigned long seed)
{
    (void)v;
    (void)seed;
}

static const gsl_rng_type script_type = {
    "script", 0xffffffffUL, 0, sizeof(script_state), script_set, script_get, script_get_double};

static double gsl_single(uint32_t k, double sigma, int *alone)
{
    script_state st = {k, 0};
    gsl_rng r = {&script_type, &st};
    double x = gsl_ran_gaussian_ziggurat(&r, sigma);
    *alone = st.calls == 1;
    return x;
}

/* At every strip's acceptance boundary (the last j accepted, the first j tested further) and
** at its extremes, the fast step decides as GSL does and returns GSL's bits. */
START_TEST(test_gauss_step_boundaries)
{
    rng_zig z;
    rng_zig_init(&z);
    ck_assert_int_eq(z.ok, 1);
    for (uint32_t i = 0; i < 128; i++) {
        uint32_t edge = z.k[i], js[] = {0, 1, edge ? edge - 1 : 0, edge, edge + 1, 0xffffffu};
        for (size_t t = 0; t < sizeof js / sizeof *js; t++)
            for (uint32_t sign = 0; sign <= 0x80u; sign += 0x80u) {
                uint32_t k = (js[t] & 0xffffffu) << 8 | sign | i;
                int alone;
                double y = gsl_single(k, 1.75, &alone), x;
                int fast = rng__gauss_step(&z, k, 1.75, &x);
                ck_assert_msg(fast <= alone, "strip %u j %u: fast path took a draw GSL tests", i,
                              js[t]);
                ck_assert_msg(!fast || same_bits(x, y), "strip %u j %u: %a vs %a", i, js[t], x, y);
                ck_assert_msg(i == 0 || js[t] >= edge || fast, "strip %u j %u: not fast", i, js[t]);
            }
    }
}
END_TEST

START_TEST(test_gauss_falls_back)
{
    rng_zig z, off;
    rng_zig_init(&z);
    memset(&off, 0, sizeof off); /* ok = 0: GSL's call every time */
    rng_key k = {99, 1, RNG_PURPOSE_QUALITY, 4};
    gsl_rng *a = rng_stream_new(&k), *b = rng_stream_new(&k); /* not an event generator */
    compare_stream(&z, a, b, 1.5, 400, 0);
    gsl_rng_free(a);
    gsl_rng_free(b);
    a = rng_event_new();
    b = rng_event_new();
    const double odd[] = {INFINITY, -INFINITY, NAN, -NAN}; /* NaN signs differ only via GSL */
    for (int v = 0; v < 4; v++) {
        rng_event_reset(a, &k, (uint64_t)v);
        rng_event_reset(b, &k, (uint64_t)v);
        compare_stream(&z, a, b, odd[v], 300, v & 1);
    }
    rng_event_reset(a, &k, 77);
    rng_event_reset(b, &k, 77);
    compare_stream(&off, a, b, 0.7, 300, 1);
    gsl_rng_free(a);
    gsl_rng_free(b);
}
END_TEST

Suite *rng_suite(void)
{
    Suite *s = suite_create("rng");
    TCase *tc = tcase_create("kat");
    tcase_add_test(tc, test_philox_reference_kat);
    tcase_add_test(tc, test_stream_kat);
    tcase_add_test(tc, test_event_kat);
    tcase_add_test(tc, test_types);
    suite_add_tcase(s, tc);
    tc = tcase_create("streams");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_reproducible);
    tcase_add_test(tc, test_stream_order_independence);
    tcase_add_test(tc, test_event_order_independence);
    tcase_add_test(tc, test_distinct_keys);
    tcase_add_test(tc, test_reset_ignores_foreign_generator);
    tcase_add_loop_test(tc, test_distributions, 0, 2);
    tcase_add_test(tc, test_gauss_matches_gsl);
    tcase_add_test(tc, test_gauss_fill_resumes);
    tcase_add_test(tc, test_gauss_step_boundaries);
    tcase_add_test(tc, test_gauss_falls_back);
    suite_add_tcase(s, tc);
    return s;
}
