/*
** study_retention.h: the consensus-guarantees Monte Carlo study of mechanisms.md §6.3
** (subtensor docs/consensus.md) through the real Yuma epoch (sim/reward tsr_yuma_epoch);
** model "retention", issue 5 reproduction 2, scenarios/REPRODUCTIONS.md.
**
** The network: N neurons, uids 0..V-1 validators, uids V..N-1 servers (miners). For an honest
** stake share S_H the honest side is validators 0..hv-1 and servers V..V+hs-1 with
** hv = round(S_H V) and hs = round(S_H (N - V)) (each clamped to leave both sides at least one
** node; our reading: the study splits validators and servers between the sides in proportion to
** the stake, as subtensor's split_graph test helper does); the cabal is the rest.
** Stakes: validator i draws z_i ~ N(0, 1) and takes max(0, 1 + stake_sigma z_i); each side's
** draws are then normalised to sum to its share (S_H, 1 - S_H) ("normalised per side"); servers
** hold no stake. Weights: validator i draws z_ij ~ N(0, 1) for every server j and takes
** max(0, 1 + sigma_W z_ij) (mean weight 1, so sigma_W is in multiples of the mean); the row is
** "normalised into the quadrant ratios": its honest-server part is scaled to sum W_H (honest
** validator) or 1 - W_C (cabal validator), its cabal-server part to 1 - W_H or W_C. The row is
** then stored as the chain stores set_weights (max-upscaled to u16, 65535 for the largest).
** Draws are keyed by identity (seed, validator uid, purpose) and do not depend on S_H, W_H,
** W_C or the setting: common random numbers, so a table varies smoothly and bisection is valid.
** One epoch, no previous bonds and bonds_moving_average 0 (the study ignores the EMA), every
** validator active and permitted, kappa and beta as u16 floor(x * 65535).
** Honest emission: E_H = xi D_H + (1 - xi) I_H with I_H the honest servers' share of the
** incentive vector and D_H the honest validators' share of the dividend vector (each over its
** vector's sum, read from the raw I32F32 outputs). Retained: E_H >= S_H, the share of the
** emission against the share of the stake the side started with.
**
** Doubles: the study's inputs (normal draws, ratios) and its verdicts are behaviour, not
** settlement; the epoch itself is the bit-exact fixed-point reward core.
** Cost: one epoch O(N log N + V (N - V)) per evaluated point; the workspace is allocated once.
*/
#ifndef TOKENSIM_STUDY_RETENTION_H
#define TOKENSIM_STUDY_RETENTION_H

#include <stddef.h>
#include <stdint.h>

/* The network and the random draws (scenario keys retention.*). */
typedef struct sr_config {
    uint32_t neurons;    /* N >= validators + 2 */
    uint32_t validators; /* V >= 2 */
    double stake_sigma;  /* stake noise (study: 0.3) */
    uint64_t seed;       /* master seed of the draws */
    int yuma3;           /* 1: Yuma3 bonds; 0: original Yuma (the study's time) */
} sr_config;

/* One setting of the study's sweeps. */
typedef struct sr_setting {
    double kappa;         /* consensus majority, [0, 1] */
    double bonds_penalty; /* beta, [0, 1] */
    double xi;            /* validator emission ratio, [0, 1] */
    double weight_sigma;  /* sigma_W in multiples of the mean weight */
} sr_setting;

/* The outcome of one (setting, S_H, W_H, W_C) point. */
typedef struct sr_point {
    double i_h;   /* honest servers' share of the incentive */
    double d_h;   /* honest validators' share of the dividends */
    double e_h;   /* xi d_h + (1 - xi) i_h */
    int retained; /* e_h >= S_H */
} sr_point;

typedef struct sr_study sr_study;

/* A study for c (draws made here). Returns 0, or -1 with a message in err (bad sizes, OOM). */
int sr_new(const sr_config *c, sr_study **out, char *err, size_t errlen);
/* Frees s; NULL is a no-op. */
void sr_free(sr_study *s);

/* Evaluates one point (one epoch). Returns 0, or -1 with a message in err (epoch error). */
int sr_eval(sr_study *s, const sr_setting *set, double s_h, double w_h, double w_c, sr_point *out,
            char *err, size_t errlen);

/* One cell of the study's grid: W = i / steps, i = 0..steps. */
typedef struct sr_grid {
    double s_h;        /* honest stake share */
    uint32_t sh_index; /* its index in the S_H list (the memo's key) */
    uint32_t wc_index; /* W_C = wc_index / steps */
    uint32_t steps;    /* grid steps */
} sr_grid;

/* The search for the honest utility needed on the grid. */
typedef struct sr_need {
    int w_h_index;      /* smallest grid index with E_H >= S_H, or -1 when none retains */
    uint32_t evals;     /* epochs run (memo hits excluded) */
    uint32_t reversals; /* scan only: grid steps where retention is lost again as W_H rises */
} sr_need;

/* Called by sr_needed for every grid point its search visits (memo hits included), in the
** order visited: W_H = w_h_index / steps, and the honest emission share E_H there. */
typedef void (*sr_visit_fn)(void *ctx, uint32_t w_h_index, double e_h);
/* Sets (fn NULL: clears) the visitor of s's searches. */
void sr_on_visit(sr_study *s, sr_visit_fn fn, void *ctx);

/* Turns on the memo for grids of n_sh S_H values and `steps` (n_sh = 0 turns it off): points
** already evaluated for the same (kappa, beta, sigma_W) are not run again (xi does not enter
** the epoch). Memory 16 n_sh (steps + 1)^2 bytes. Returns 0, or -1 when out of memory. */
int sr_memo(sr_study *s, uint32_t n_sh, uint32_t steps);

/* Finds the honest utility W_H needed for cell g: bisect != 0 assumes retention is monotone in
** W_H (the scan checks that; tests compare both) and runs O(log steps) epochs, else every grid
** point is evaluated. Returns 0, or -1 with a message in err. */
int sr_needed(sr_study *s, const sr_setting *set, const sr_grid *g, int bisect, sr_need *out,
              char *err, size_t errlen);

#endif
