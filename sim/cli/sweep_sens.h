/*
** sweep_sens.h: sensitivity estimators of `tokensim sweep`, pure functions over streamed model
** outputs (no I/O): first-order and total Sobol indices from Saltelli blocks, Morris mu* and
** sigma from trajectories.
**
** Sobol (Saltelli et al. 2010, "Variance based sensitivity analysis of model output", table 2):
** with N blocks (A_j, B_j, AB^i_j = A_j with column i from B_j) and outputs f,
**   V    = variance of the 2N values f(A_j), f(B_j) (divisor 2N),
**   S1_i = (1/N) sum_j f(B_j) (f(AB^i_j) - f(A_j)) / V          (Saltelli 2010, eq. b)
**   ST_i = (1/(2N)) sum_j (f(A_j) - f(AB^i_j))^2 / V             (Jansen 1999, eq. f)
** Morris (Campolongo et al. 2007): elementary effect of parameter i on one step of a trajectory
**   EE_i = (f(x + delta e_i) - f(x)) / delta, with x and delta in the unit cube (each range
**   scaled to [0, 1], so effects of different parameters compare: per full range);
**   mu*_i = mean |EE_i|, sigma_i = sample standard deviation of EE_i (divisor r - 1).
** Streaming: O(k) memory whatever N or r; O(k) per block or trajectory.
*/
#ifndef TOKENSIM_SWEEP_SENS_H
#define TOKENSIM_SWEEP_SENS_H

#include <stddef.h>
#include <stdint.h>

#include "sweep_design.h"

/* Running sums of the Sobol estimators. */
typedef struct sweep_sobol_acc {
    size_t k;                       /* parameters */
    uint64_t n;                     /* complete blocks added */
    uint64_t nv;                    /* values in the variance (2n) */
    double mean, m2;                /* Welford mean and sum of squared deviations */
    double s1sum[SWEEP_MAX_PARAMS]; /* sum f(B) (f(AB_i) - f(A)) */
    double stsum[SWEEP_MAX_PARAMS]; /* sum (f(A) - f(AB_i))^2 */
} sweep_sobol_acc;

/* Starts an accumulator for k parameters (k <= SWEEP_MAX_PARAMS). */
void sweep_sobol_init(sweep_sobol_acc *a, size_t k);

/* Adds one Saltelli block: y[0] = f(A), y[1] = f(B), y[2 + i] = f(AB^i). */
void sweep_sobol_add(sweep_sobol_acc *a, const double *y);

/* The indices into s1[k] and st[k]; -1 when fewer than 2 blocks or the variance is 0. */
int sweep_sobol_result(const sweep_sobol_acc *a, double *s1, double *st);

/* Running sums of the Morris statistics. */
typedef struct sweep_morris_acc {
    size_t k;                        /* parameters */
    uint64_t n[SWEEP_MAX_PARAMS];    /* effects seen per parameter */
    double mean[SWEEP_MAX_PARAMS];   /* Welford mean of EE */
    double m2[SWEEP_MAX_PARAMS];     /* Welford sum of squared deviations */
    double abssum[SWEEP_MAX_PARAMS]; /* sum |EE| */
} sweep_morris_acc;

/* Starts an accumulator for k parameters. */
void sweep_morris_init(sweep_morris_acc *a, size_t k);

/* Adds one trajectory: unit[(k + 1) x k] its points in the unit cube (consecutive points differ
** in one coordinate), y[k + 1] the outputs. Steps that change no coordinate are ignored. */
void sweep_morris_add(sweep_morris_acc *a, const double *unit, const double *y);

/* mu* and sigma of parameter i into *mu_star, *sigma (sigma NAN with fewer than 2 effects);
** -1 when parameter i has no effect recorded. */
int sweep_morris_result(const sweep_morris_acc *a, size_t i, double *mu_star, double *sigma);

#endif
