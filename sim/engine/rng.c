/*
 * rng: Philox4x64-10 streams keyed by (seed, run, entity, purpose), via Random123's GSL adapters.
 *
 * The adapters (GSL_CBRNG, GSL_MICRORNG) define the gsl_rng_type vtables; this file only lays
 * out keys and counters (see rng.h) and allocates generators itself, so that out-of-memory
 * returns NULL instead of reaching GSL's error handler (whose default aborts). Each draw costs
 * a quarter of a Philox4x64 block; a reset costs a few stores.
 */
#include "rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include <Random123/philox.h>
#include <Random123/conventional/gsl_cbrng.h>
#include <Random123/gsl_microrng.h>

/*
 * Each macro defines a static gsl_rng_type NAME_type, a state struct NAME_state and an exported
 * pointer gsl_rng_NAME (required by the macro; we use NAME_type directly).
 */
GSL_CBRNG(rng_philox4x64, philox4x64);
GSL_MICRORNG(rng_philox4x64_ev, philox4x64);

#define DOMAIN_MODEL  UINT64_C(0)         /* counter word 2 offset: model streams */
#define DOMAIN_ENGINE (UINT64_C(1) << 62) /* counter word 2 offset: engine streams */
#define KIND_EVENT    (UINT64_C(1) << 63) /* counter word 2 bit: per-event generator */

static philox4x64_key_t make_key(const rng_key *k)
{
    philox4x64_key_t key = {{k->seed, k->entity}};
    return key;
}

static uint64_t purpose_run_word(const rng_key *k)
{
    return (uint64_t)k->purpose << 32 | k->run_index;
}

/* A gsl_rng of type t with zeroed state, allocated without GSL's aborting error path. */
static gsl_rng *alloc_rng(const gsl_rng_type *t)
{
    gsl_rng *r = malloc(sizeof *r);
    if (!r)
        return NULL;
    r->state = calloc(1, t->size);
    if (!r->state) {
        free(r);
        return NULL;
    }
    r->type = t;
    return r;
}

static gsl_rng *stream_new(const rng_key *k, uint64_t domain)
{
    gsl_rng *r = alloc_rng(&rng_philox4x64_type);
    if (!r)
        return NULL;
    rng_philox4x64_state *st = r->state;
    /* The adapter pre-increments words 0 and 2, so block b (from 1) uses {b, 0, domain + b, w}. */
    philox4x64_ctr_t ctr = {{0, 0, domain, purpose_run_word(k)}};
    st->ctr = ctr;
    st->key = make_key(k);
    st->elem = 0;
    return r;
}

gsl_rng *rng_stream_new(const rng_key *k)
{
    return stream_new(k, DOMAIN_MODEL);
}

gsl_rng *rng_engine_stream_new(const rng_key *k)
{
    return stream_new(k, DOMAIN_ENGINE);
}

static void event_reset(gsl_rng *r, const rng_key *k, uint64_t event, uint64_t domain)
{
    if (!r || r->type != &rng_philox4x64_ev_type)
        return; /* documented no-op: re-keying a persistent stream would corrupt it */
    /* Word 3 stays 0 below bit 32: the adapter ORs the block index into its top half. */
    philox4x64_ctr_t ctr = {{event, purpose_run_word(k), KIND_EVENT + domain, 0}};
    rng_philox4x64_ev_reset(r, ctr, make_key(k));
}

gsl_rng *rng_event_new(void)
{
    gsl_rng *r = alloc_rng(&rng_philox4x64_ev_type);
    if (r) {
        rng_key zero = {0, 0, 0, 0};
        event_reset(r, &zero, 0, DOMAIN_MODEL);
    }
    return r;
}

void rng_event_reset(gsl_rng *r, const rng_key *k, uint64_t event)
{
    event_reset(r, k, event, DOMAIN_MODEL);
}

void rng_engine_event_reset(gsl_rng *r, const rng_key *k, uint64_t event)
{
    event_reset(r, k, event, DOMAIN_ENGINE);
}

const gsl_rng_type *rng_stream_type(void)
{
    return &rng_philox4x64_type;
}

const gsl_rng_type *rng_event_type(void)
{
    return &rng_philox4x64_ev_type;
}

/* ---- the ziggurat's accepting step, inline (rng_gauss) --------------------------------------
 *
 * gsl_ran_gaussian_ziggurat takes one 32-bit output k of a generator with a 32-bit range: the low
 * 7 bits pick a strip i, bit 7 the sign, the top 24 bits an integer j; x = j * w[i] is returned
 * as sign * sigma * x when j < k[i] (about 99% of draws), else a wedge or tail test draws more.
 * GSL keeps w and k private, so they are measured here: a probe generator feeds the function one
 * chosen k and counts what else it asks for. j = 1 returns w[i] itself (1 * w[i] is exact and
 * sigma = 1); k[i] is the least j that makes it ask for more (acceptance is j < k[i]; GSL's
 * strip 0 tests further even at j = 0 and is left to GSL's call, k = 0). The
 * result is then checked against GSL on real streams, and any difference turns the fast path
 * off. The fast path reads k from the event generator's buffered block without consuming it,
 * and consumes it only when it accepts; otherwise GSL runs on the untouched state and reads the
 * same k, so every path leaves the same values and the same state as GSL's own call. */

typedef struct probe_state {
    unsigned long first; /* the output under test */
    unsigned gets;       /* gsl_rng_get calls */
    unsigned doubles;    /* gsl_rng_uniform calls */
} probe_state;

static unsigned long probe_get(void *v)
{
    probe_state *p = v;
    return p->gets++ == 0 ? p->first : 0x80u; /* then j = 0: accepted at once */
}

static double probe_get_double(void *v)
{
    probe_state *p = v;
    p->doubles++;
    return 0.5;
}

static void probe_set(void *v, unsigned long s)
{
    (void)v;
    (void)s;
}

static const gsl_rng_type probe_type = {
    "rng_zig_probe", 0xffffffffUL, 0, sizeof(probe_state), probe_set, probe_get, probe_get_double};

/* GSL's draw for the single output k; *accepted: it needed nothing else. */
static double probe(uint32_t k, int *accepted)
{
    probe_state st = {k, 0, 0};
    gsl_rng r = {&probe_type, &st};
    double x = gsl_ran_gaussian_ziggurat(&r, 1.0);
    *accepted = st.gets == 1 && st.doubles == 0;
    return x;
}

/* The least j in [1, 2^24] that strip i tests further (2^24: none), or 0 when j = 0 is. */
static uint32_t probe_k(uint32_t i)
{
    int acc;
    probe(0x80u | i, &acc);
    if (!acc)
        return 0;
    uint32_t lo = 0, hi = UINT32_C(1) << 24; /* lo accepted, hi rejected (or the end) */
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        probe(mid << 8 | 0x80u | i, &acc);
        if (acc)
            lo = mid;
        else
            hi = mid;
    }
    return hi;
}

static uint64_t bits_of(double x)
{
    uint64_t b;
    memcpy(&b, &x, sizeof b);
    return b;
}

/* Draws n values both ways from two event generators keyed alike (on the stack: nothing to
** allocate); 1 when every bit agrees and both end in the same place. */
static int agrees(const rng_zig *z, uint64_t event, double sigma, int n)
{
    rng_philox4x64_ev_state sa, sb;
    memset(&sa, 0, sizeof sa);
    memset(&sb, 0, sizeof sb);
    gsl_rng a = {&rng_philox4x64_ev_type, &sa}, b = {&rng_philox4x64_ev_type, &sb};
    rng_key k = {UINT64_C(0x9e3779b97f4a7c15), 7, RNG_PURPOSE_QUALITY, event};
    rng_event_reset(&a, &k, event);
    rng_event_reset(&b, &k, event);
    int ok = 1;
    for (int i = 0; ok && i < n; i++)
        ok = bits_of(rng_gauss(z, &a, sigma)) == bits_of(gsl_ran_gaussian_ziggurat(&b, sigma));
    return ok && gsl_rng_get(&a) == gsl_rng_get(&b);
}

void rng_zig_init(rng_zig *z)
{
    int ok = 1;
    z->ok = 0;
    for (uint32_t i = 0; i < 128 && ok; i++) {
        int acc_pos = 1, acc_neg = 1;
        z->k[i] = probe_k(i);
        z->w[i] = 0.0;
        if (z->k[i] < 2) { /* a strip that always tests further (GSL's strip 0): GSL's call */
            z->k[i] = 0;
            continue;
        }
        z->w[i] = probe(1u << 8 | 0x80u | i, &acc_pos);
        double neg = probe(1u << 8 | i, &acc_neg);
        ok = acc_pos && acc_neg && z->w[i] > 0.0 && neg == -z->w[i];
    }
    if (!ok)
        return;
    z->ok = 1;
    for (uint64_t e = 0; e < 64 && z->ok; e++)
        z->ok = agrees(z, e, e % 3 == 0 ? 1.0 : 0.05 * (double)(e + 1), 256);
}

/* Whether rng_gauss may take its fast path on r with sigma. An infinite or NaN sigma goes to
** GSL: there (sign * sigma) * x and a sign-flipped sigma * x may differ in a NaN's sign. */
static int fast_ok(const rng_zig *z, const gsl_rng *r, double sigma)
{
    return z->ok && r->type == &rng_philox4x64_ev_type && isfinite(sigma);
}

/* The ziggurat's accepting step for the 32-bit output k: 1 with the draw in *out, or 0 when
** GSL must test further. */
static inline int accept(const rng_zig *z, uint32_t k, double sigma, double *out)
{
    uint32_t i = k & 0x7fu, j = (k >> 8) & 0xffffffu;
    if (j >= z->k[i])
        return 0;
    /* GSL: (sign * sigma) * x, the same bits as sigma * x with its sign bit flipped for a
    ** negative sign; flipped without a branch (the sign bit is a coin flip, a branch on it
    ** mispredicts half the time: measured slower than GSL's call). */
    double y = sigma * ((double)j * z->w[i]);
    uint64_t bits;
    memcpy(&bits, &y, sizeof bits);
    bits ^= (uint64_t)(~k & 0x80u) << 56;
    memcpy(out, &bits, sizeof bits);
    return 1;
}

int rng__gauss_step(const rng_zig *z, uint32_t k, double sigma, double *out)
{
    return accept(z, k, sigma, out);
}

/* One draw on a generator fast_ok accepted. */
static inline double gauss1(const rng_zig *z, gsl_rng *r, double sigma)
{
    rng_philox4x64_ev_state *st = r->state;
    if (st->elem == 0) { /* refill the block the way the adapter does ... */
        (void)rng_philox4x64_ev_get(st);
        st->elem++; /* ... without consuming its first output */
    }
    double y;
    if (!accept(z, (uint32_t)(st->r.v[st->elem - 1] & 0xffffffffu), sigma, &y))
        return gsl_ran_gaussian_ziggurat(r, sigma); /* wedge or tail: GSL re-reads k */
    st->elem--;
    return y;
}

double rng_gauss(const rng_zig *z, gsl_rng *r, double sigma)
{
    return fast_ok(z, r, sigma) ? gauss1(z, r, sigma) : gsl_ran_gaussian_ziggurat(r, sigma);
}

/* ---- rng_gauss_fill: many blocks at once ----------------------------------------------------
 *
 * The adapter's get makes one Philox block when the last is used up, so a long fill waits on
 * one block's ten rounds of dependent multiplies after another. A fill knows how many draws it
 * wants: it makes up to GAUSS_BATCH blocks (the adapter's, numbered from its block count n) in
 * one loop, whose iterations are independent and overlap in the processor, then runs the
 * accepting step over their outputs in the adapter's order (each block's words 3, 2, 1, 0).
 * Before GSL's call for a draw that tests further, the adapter's state is set to exactly what
 * it would hold had every draw so far gone through it (that block, the draw's word still
 * unconsumed, the block count past it); after the call, the fill resumes from wherever GSL left
 * the state, inside the batch when it can. A fill ending inside a block leaves that block in
 * the state as the adapter would. Blocks made and not reached are only work lost, never a
 * value. Tests: test_rng.c, test_gauss_matches_gsl and test_gauss_fill_resumes. */

enum { GAUSS_BATCH = 32 }; /* blocks made at once: 128 outputs, 4 KiB on the stack */

/* Blocks first .. first + count - 1 of an event generator, as its get makes them. */
static void ev_blocks(const rng_philox4x64_ev_state *st, uint64_t first, uint32_t count,
                      philox4x64_ctr_t *out)
{
    for (uint32_t b = 0; b < count; b++) {
        philox4x64_ctr_t c = st->ctr;
        c.v[3] |= (first + b) << 32;
        out[b] = philox4x64(c, st->key);
    }
}

/* Leaves the adapter's state holding block b of buf (from block number first) with `left`
** of its words unconsumed. */
static void ev_hold(rng_philox4x64_ev_state *st, const philox4x64_ctr_t *buf, uint64_t first,
                    uint32_t b, int left)
{
    st->r = buf[b];
    st->elem = left;
    st->n = first + b + 1;
}

/* Draws out[*i..n-1] from the outputs of buf (count blocks from block number first), starting
** at output p (block p / 4, word 3 - p % 4), until the draws or the outputs run out; the state
** ends as the adapter's would. */
static void take_batch(const rng_zig *z, gsl_rng *r, double sigma, const philox4x64_ctr_t *buf,
                       uint64_t first, uint32_t count, double *out, size_t *i, size_t n)
{
    rng_philox4x64_ev_state *st = r->state;
    uint64_t p = 0, end = (uint64_t)count * 4u;
    while (p < end && *i < n) {
        uint32_t b = (uint32_t)(p / 4u);
        int word = 3 - (int)(p % 4u);
        if (accept(z, (uint32_t)(buf[b].v[word] & 0xffffffffu), sigma, &out[*i])) {
            ++*i, ++p;
            continue;
        }
        ev_hold(st, buf, first, b, word + 1);
        out[(*i)++] = gsl_ran_gaussian_ziggurat(r, sigma); /* reads that word, maybe more */
        uint64_t now = st->n - 1;                          /* the block GSL left in the state */
        if (now - first >= count)
            return; /* past the batch: the caller goes on from the state */
        p = (now - first) * 4u + (uint64_t)(4 - st->elem);
    }
    if (p < end)
        ev_hold(st, buf, first, (uint32_t)(p / 4u), 4 - (int)(p % 4u));
    else
        ev_hold(st, buf, first, count - 1, 0);
}

static void fill_fast(const rng_zig *z, gsl_rng *r, double sigma, double *out, size_t n)
{
    rng_philox4x64_ev_state *st = r->state;
    philox4x64_ctr_t buf[GAUSS_BATCH];
    size_t i = 0;
    while (i < n) {
        if (st->elem > 0) { /* the words left in the state's block come first */
            out[i++] = gauss1(z, r, sigma);
            continue;
        }
        size_t want = (n - i + 3) / 4;
        uint32_t count = want < GAUSS_BATCH ? (uint32_t)want : GAUSS_BATCH;
        uint64_t first = st->n;
        ev_blocks(st, first, count, buf);
        take_batch(z, r, sigma, buf, first, count, out, &i, n);
    }
}

void rng_gauss_fill(const rng_zig *z, gsl_rng *r, double sigma, double *out, size_t n)
{
    if (fast_ok(z, r, sigma))
        fill_fast(z, r, sigma, out, n);
    else
        for (size_t i = 0; i < n; i++)
            out[i] = gsl_ran_gaussian_ziggurat(r, sigma);
}
