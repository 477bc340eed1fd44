/*
 * rng: Philox4x64-10 streams keyed by (seed, run, entity, purpose), via Random123's GSL adapters.
 *
 * The adapters (GSL_CBRNG, GSL_MICRORNG) define the gsl_rng_type vtables; this file only lays
 * out keys and counters (see rng.h) and allocates generators itself, so that out-of-memory
 * returns NULL instead of reaching GSL's error handler (whose default aborts). Each draw costs
 * a quarter of a Philox4x64 block; a reset costs a few stores.
 */
#include "rng.h"

#include <stdlib.h>

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
