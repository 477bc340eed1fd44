/* tsr_settle.h: integer settlement primitives shared by the non-Bittensor mechanisms (bitgrit
 * competitions, community minting, Numerai rounds, C-Flow royalties).
 *
 * Rates are parts per billion (TSR_PPB = 100 %) unless a function says otherwise. Every result
 * is floored and every function states where the units it does not hand out go, so callers can
 * route each remainder to a named sink (spec mechanisms §0: "never drop it silently").
 * Intermediates are 128-bit (tsr_int.h), so a*b/c never overflows before the division.
 */
#ifndef TSR_SETTLE_H
#define TSR_SETTLE_H

#include <stddef.h>
#include <stdint.h>

#include "tsr_int.h"

#define TSR_PPB 1000000000u /* 100 % in parts per billion */

/* floor(a * b / c) into *out. TSR_EDIVZERO when c == 0, TSR_EOVERFLOW when the quotient does
 * not fit in 64 bits (then *out is untouched). */
int tsr_muldiv_floor(uint64_t a, uint64_t b, uint64_t c, uint64_t *out);

/* Take floor(amount * rate_ppb / 1e9) out of amount: *taken gets the floored part, *rest the
 * remainder amount - taken (either pointer may be NULL). TSR_ERANGE when rate_ppb > 1e9. */
int tsr_take_ppb(uint64_t amount, uint32_t rate_ppb, uint64_t *taken, uint64_t *rest);

/* Drips cumulative split (spec mechanisms §4.3): with C_i = weights[0] + ... + weights[i],
 * receiver i gets floor(amount * C_i / denom) - floor(amount * C_{i-1} / denom), in index
 * order. The units not handed out, amount - floor(amount * C_{n-1} / denom), go to *kept (may
 * be NULL): zero when the weights sum to denom. Requires denom > 0 and sum(weights) <= denom
 * (TSR_EDIVZERO / TSR_ERANGE otherwise, nothing written). out[] is caller-owned (n entries). */
int tsr_split_cumulative(uint64_t amount, const uint64_t *weights, size_t n, uint64_t denom,
                         uint64_t *out, uint64_t *kept);

/* The same rule with 128-bit weights and denom = their sum, so everything is handed out:
 * out[i] = floor(A * C_i / D) - floor(A * C_{i-1} / D) with 256-bit intermediates. When all
 * weights are zero (or n == 0) nothing is handed out and *kept (may be NULL) gets the amount;
 * otherwise *kept = 0. TSR_EOVERFLOW when the weights sum beyond 2^128 - 1. */
int tsr_split_cumulative_w128(uint64_t amount, const tsr_u128 *weights, size_t n, uint64_t *out,
                              uint64_t *kept);

/* Largest-remainder split with 128-bit weights (spec mechanisms §4.5 for Shapley shares):
 * out[i] = floor(A * w_i / W) with W = sum of the weights (256-bit intermediates), then the
 * A - sum(out) units left (fewer than n) go one each to the largest remainders A * w_i mod W,
 * ties to the lower index. rem[] is caller scratch of n entries. All weights zero (or n == 0):
 * nothing handed out, *kept (may be NULL) = A; otherwise *kept = 0. TSR_EOVERFLOW when the
 * weights sum beyond 2^128 - 1; TSR_EINVAL for NULL arrays with n > 0. */
int tsr_split_largest_w128(uint64_t amount, const tsr_u128 *weights, size_t n, uint64_t *out,
                           tsr_u128 *rem, uint64_t *kept);

/* Kaggle-style power-law rank weights w_r = r^(-q/4) for r = 1..n, in parts per billion and
 * exact: w_r = floor((10^36 / r^q)^(1/4)) computed with integer square roots, so w_1 = 1e9.
 * q is the exponent in quarters (3 gives the default r^-0.75 of spec mechanisms §1.2), 0..8.
 * TSR_ERANGE for q > 8 or n > 65535; TSR_EINVAL for NULL out with n > 0. */
int tsr_rank_weights_power(unsigned q, size_t n, uint64_t *out);

/* Kaggle's medal cut-offs for a competition of `teams` teams (spec mechanisms §2.6): ranks
 * 1..*gold win gold, up to *silver silver, up to *bronze bronze ("percentage calculations are
 * rounded down"):
 *   0-99 teams:    bronze top 40 %, silver top 20 %, gold top 10 %;
 *   100-249:       bronze top 40 %, silver top 20 %, gold top 10;
 *   250-999:       bronze top 100,  silver top 50,   gold top 10 + 0.2 %;
 *   1000 and more: bronze top 10 %, silver top 5 %,  gold top 10 + 0.2 %;
 * each cut-off at most `teams`. O(1). */
void tsr_kaggle_medals(uint64_t teams, uint64_t *gold, uint64_t *silver, uint64_t *bronze);

/* floor(sqrt(x)) of a 128-bit value given as (hi, lo); exposed for tests. */
uint64_t tsr_isqrt_u128(uint64_t hi, uint64_t lo);

#endif /* TSR_SETTLE_H */
