/*
 * rng: random number streams keyed by identity (DESIGN.md determinism contract, STYLE.md 4.2).
 *
 * Every draw is a pure function of (master seed, run index, entity id, purpose) and a position:
 * Random123's Philox4x64-10 counter-based generator behind GSL's gsl_rng interface, through the
 * adapters Random123 ships (conventional/gsl_cbrng.h and gsl_microrng.h), so every gsl_ran_*
 * distribution works on both stream kinds. No state is shared between streams, so a stream's
 * draws never depend on how many draws other entities or purposes made, in what order.
 *
 * Two kinds of stream:
 *  - persistent (rng_stream_new): one gsl_rng per (seed, run, entity, purpose); successive draws
 *    continue the stream. 88 bytes of state (plus the 16-byte gsl_rng header).
 *  - per event (rng_event_new + rng_event_reset): one reusable gsl_rng re-keyed before each use;
 *    after rng_event_reset(r, key, event) the draws are a pure function of (key, event). 96 bytes
 *    of state; up to 2^34 draws per reset.
 *
 * Key layout (the full 64-bit seed and entity fit without hashing; Philox key = 2 x 64 bits):
 *   key     = { seed, entity }
 *   w       = purpose << 32 | run_index
 *   stream  counter before block b (b = 1, 2, ...): { b, 0, D + b, w }
 *   event   counter of block n (n = 0, 1, ...):    { event, w, 2^63 + D, n << 32 }
 * with D = 0 for model streams and D = 2^62 for engine-internal streams. Each Philox block gives
 * four 64-bit words; the adapters return their low 32 bits, last word first. (The stream adapter
 * bumps counter words 0 and 2 together; that is Random123 1.14's gsl_cbrng.h carry code, and the
 * known-answer tests pin it.) The word-2 ranges of the four (kind, domain) pairs are disjoint,
 * so no two streams ever evaluate Philox on the same (key, counter).
 *
 * Outputs are 32-bit (gsl_rng_max = 2^32 - 1); gsl_rng_uniform has 2^-32 resolution. Never call
 * gsl_rng_set on these generators (it would overwrite the key); gsl_rng_clone/memcpy are fine.
 * Free either kind with gsl_rng_free.
 */
#ifndef TOKENSIM_ENGINE_RNG_H
#define TOKENSIM_ENGINE_RNG_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

/* Identity of a stream. Model code picks `purpose` from rng_purpose (or RNG_PURPOSE_USER+). */
typedef struct rng_key {
    uint64_t seed;      /* master seed of the scenario run (any 64-bit value, 0 included) */
    uint32_t run_index; /* index of the run within a sweep / Monte Carlo batch */
    uint32_t purpose;   /* what the draws are for (rng_purpose); separates an entity's streams */
    uint64_t entity;    /* entity id (agent, subnet, competition, ...) */
} rng_key;

/*
 * Model purposes. Values are part of the reproducibility contract: never renumber, only add.
 * Modules needing their own purposes use RNG_PURPOSE_USER + n.
 */
enum rng_purpose {
    RNG_PURPOSE_SETUP = 1,    /* initial conditions: endowments, skills, placement */
    RNG_PURPOSE_DECISION = 2, /* behavioural choices: bid, stake, enter, copy */
    RNG_PURPOSE_TIMING = 3,   /* arrival and latency times, inter-event delays */
    RNG_PURPOSE_QUALITY = 4,  /* performance and score noise of work produced */
    RNG_PURPOSE_CHURN = 5,    /* joining and leaving */
    RNG_PURPOSE_ATTACK = 6,   /* adversarial behaviour (cabals, sybils, copiers) */
    RNG_PURPOSE_MARKET = 7,   /* exogenous demand and price shocks */
    RNG_PURPOSE_USER = 1024   /* first purpose free for module-specific use */
};

/*
 * Engine-internal purposes. They live in a separate key space (domain D = 2^62 above), so the
 * same numbers as model purposes never collide and adding one never shifts a model stream.
 */
enum rng_engine_purpose {
    RNG_ENGINE_TIEBREAK = 1, /* random tie keys for simultaneous events where order matters */
    RNG_ENGINE_SAMPLE = 2    /* engine-side sampling (e.g. metrics subsampling) */
};

/* Persistent model stream for k. NULL on OOM (GSL's error handler is never invoked). */
gsl_rng *rng_stream_new(const rng_key *k);

/* A per-event generator; call rng_event_reset before drawing. NULL on OOM. */
gsl_rng *rng_event_new(void);

/*
 * Re-keys an rng_event_new generator: the draws that follow are a pure function of (k, event).
 * Does nothing if r is NULL or was not made by rng_event_new.
 */
void rng_event_reset(gsl_rng *r, const rng_key *k, uint64_t event);

/* Engine-internal counterparts (separate key space; k->purpose is an rng_engine_purpose). */
gsl_rng *rng_engine_stream_new(const rng_key *k);
void rng_engine_event_reset(gsl_rng *r, const rng_key *k, uint64_t event);

/* The generator types, e.g. for gsl_rng_name provenance: "rng_philox4x64", "rng_philox4x64_ev". */
const gsl_rng_type *rng_stream_type(void);
const gsl_rng_type *rng_event_type(void);

/*
 * Fast Gaussian draws, bit-identical to gsl_ran_gaussian_ziggurat(r, sigma): the same value and
 * the same generator state afterwards, on every generator. On an rng_event_new generator the
 * ziggurat's accepting step (about 99% of draws) runs inline on the buffered Philox block; the
 * rest is GSL's own call. GSL keeps its ziggurat tables private: rng_zig_init measures them
 * through GSL's function and checks the fast path against it on real streams (turning it off,
 * ok = 0, on any difference, so a different GSL can only make it slower, never different).
 */
typedef struct rng_zig {
    double w[128];   /* strip widths: x = j * w[i] */
    uint32_t k[128]; /* acceptance: j < k[i] */
    int ok;          /* the fast path agrees with GSL here */
} rng_zig;
/* Measures and checks the tables (about a millisecond). */
void rng_zig_init(rng_zig *z);
/* gsl_ran_gaussian_ziggurat(r, sigma), bit for bit (see above). */
double rng_gauss(const rng_zig *z, gsl_rng *r, double sigma);
/* out[i] = rng_gauss(z, r, sigma) for i = 0..n-1, in that order (one call for a batch). */
void rng_gauss_fill(const rng_zig *z, gsl_rng *r, double sigma, double *out, size_t n);
/* Test hook: the fast path's step for one 32-bit generator output k (1 and *out: accepted). */
int rng__gauss_step(const rng_zig *z, uint32_t k, double sigma, double *out);

#endif /* TOKENSIM_ENGINE_RNG_H */
