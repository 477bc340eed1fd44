/*
** sweep_design.h: the run lists of `tokensim sweep` (everything but bisection): cartesian grids,
** zipped lists, Monte Carlo replications, Latin hypercube, Sobol, Saltelli and Morris samples.
**
** A design is a pure function of its description and master seed: run i has design point
** p = i / reps and replicate i % reps, a set of "key=value" overrides and a seed that depends
** on (master seed, i) only (sweep_run_seed), so any process can compute any run on its own and
** the result does not depend on how runs are shared out. Sampled designs keep their points in
** the unit cube (8 bytes per parameter per point, the only per-run state of a sweep);
** grids and zips compute their points from the index (mixed radix / list position).
**
** Value rules: a number key gets lo + u (hi - lo), printed in the shortest of %.15g, %.16g and
** %.17g that reads back as the same double (exact, so a run can be repeated from its
** params_json); an integer key gets
** lo + floor(u (hi - lo + 1)), capped at hi, so every integer of [lo, hi] is equally likely
** (Morris levels map through the same rule); a token-amount key gets lo + u (hi - lo) tokens
** rounded to the nearest base unit (1e-9 token) and printed as DIGITS[.DIGITS]; grid and zip
** values are passed as written.
*/
#ifndef TOKENSIM_SWEEP_DESIGN_H
#define TOKENSIM_SWEEP_DESIGN_H

#include <stddef.h>
#include <stdint.h>

/* The kinds of designs. */
typedef enum {
    SWEEP_MC,       /* replications only: every run uses the base scenario */
    SWEEP_GRID,     /* cartesian product of value lists (last key varies fastest) */
    SWEEP_ZIP,      /* value lists of equal length, taken together */
    SWEEP_LHS,      /* Latin hypercube sample of `samples` points */
    SWEEP_SOBOL,    /* the first `samples` points of the Sobol sequence (GSL gsl_qrng_sobol) */
    SWEEP_SALTELLI, /* Saltelli's A, B, AB_i blocks from a 2k-dim Sobol sequence: N (k + 2) */
    SWEEP_MORRIS    /* `samples` Morris trajectories of k + 1 points on `levels` levels */
} sweep_kind;

enum { SWEEP_MAX_PARAMS = 20 }; /* Saltelli needs 2k <= 40, GSL's Sobol dimension limit */

/* Value kinds of swept keys. */
enum {
    SWEEP_KEY_NUMBER = 0,
    SWEEP_KEY_INTEGER = 1,
    SWEEP_KEY_AMOUNT = 2
}; /* Saltelli needs 2k <= 40, GSL's Sobol dimension limit */

/* One swept key. */
typedef struct sweep_param {
    char key[256];  /* scenario key, as --set takes it */
    int integer;    /* SWEEP_KEY_*: how values are rounded (rules above) */
    int ranged;     /* 1: sampled over [lo, hi]; 0: a value list */
    double lo, hi;  /* range (ranged) */
    char **values;  /* value texts (lists) */
    size_t nvalues; /* how many */
} sweep_param;

/* A design. */
typedef struct sweep_design {
    sweep_kind kind;                      /* which design */
    sweep_param params[SWEEP_MAX_PARAMS]; /* swept keys in command-line order */
    size_t nparams;                       /* how many */
    uint64_t samples;                     /* sample size (LHS, Sobol, Saltelli N, Morris r) */
    uint32_t levels;                      /* Morris levels p (even, >= 2) */
    uint64_t reps;                        /* replications per point (>= 1) */
    uint64_t master_seed;                 /* the sweep's seed */
    int crn;          /* 1: every run uses master_seed (common random numbers) */
    uint64_t npoints; /* design points */
    uint64_t nruns;   /* npoints * reps */
    double *unit;     /* npoints x nparams in [0, 1] (sampled designs), else NULL */
} sweep_design;

/* Name of a kind ("grid", "lhs", ...) and back (-1 when unknown). */
const char *sweep_kind_name(sweep_kind k);
int sweep_kind_parse(const char *s);

/* The seed of run `index` of a sweep with master seed `master` (see sweep_design.c):
** splitmix64(master XOR splitmix64(index)) with the top bit cleared (scenario seeds are
** < 2^63). */
uint64_t sweep_run_seed(uint64_t master, uint64_t index);

/* splitmix64's output function (Steele, Lea, Flood 2014): the mixing step of every hash here. */
uint64_t sweep_mix64(uint64_t x);

/* Adds a parameter: "KEY=LO:HI" (ranged) or "KEY=V1,V2,..." / "KEY=LO:HI:N" (lists; N evenly
** spaced values including both ends). integer (a SWEEP_KEY_* kind) says how the key's values
** are rounded. Returns 0 or -1 with a message in err. */
int sweep_design_add(sweep_design *d, const char *spec, int ranged, int integer, char *err,
                     size_t errlen);

/* Checks the design and computes its points (sampled designs). Returns 0 or -1 with a message. */
int sweep_design_build(sweep_design *d, char *err, size_t errlen);

/* Frees what add/build allocated; the struct may be reused after memset. */
void sweep_design_clear(sweep_design *d);

/* The value of parameter j at point p as --set text into buf. */
void sweep_design_value(const sweep_design *d, uint64_t p, size_t j, char *buf, size_t len);

/* The seed of run i (master_seed when crn). */
uint64_t sweep_design_seed(const sweep_design *d, uint64_t i);

/* The canonical one-line description of the design (kind, keys, ranges, sizes, seed), stored
** with the sweep and compared on --resume. */
void sweep_design_spec(const sweep_design *d, char *buf, size_t len);

/* params_json of run i: {"key": value, ...} in parameter order (numbers unquoted). */
int sweep_design_params_json(const sweep_design *d, uint64_t i, char *buf, size_t len);

#endif
