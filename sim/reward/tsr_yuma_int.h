/* tsr_yuma_int.h: internals of tsr_yuma.c exposed for its tests (not part of the public API).
 *
 * The epoch uses fast equivalents of several chain operations; each is exposed here so that the
 * unit tests can compare it with the straightforward reference (tsr_fixed.h, tsr_math.h) over
 * many inputs.
 */
#ifndef TSR_YUMA_INT_H
#define TSR_YUMA_INT_H

#include <stddef.h>
#include <stdint.h>

#include "tsr_fixed.h"
#include "tsr_math.h"

/* = tsr_i32f32_sat_mul, tsr_i32f32_checked_mul-or-0 and tsr_i32f32_safe_div, with fast paths. */
tsr_i32f32 tsr__yuma_mul(tsr_i32f32 a, tsr_i32f32 b);
tsr_i32f32 tsr__yuma_mul_or0(tsr_i32f32 a, tsr_i32f32 b);
tsr_i32f32 tsr__yuma_div(tsr_i32f32 a, tsr_i32f32 b);
/* = tsr_i32f32_safe_div through the reciprocal divider used for repeated divisors. */
tsr_i32f32 tsr__yuma_div_recip(tsr_i32f32 a, tsr_i32f32 b);
/* b != 0 ? tsr_i32f32_safe_div(a, b) : a (divide where the divisor is not 0, spec §2.18),
 * through the reciprocal divider. */
tsr_i32f32 tsr__yuma_div_nz(tsr_i32f32 a, tsr_i32f32 b);
/* = tsr_i32f32_sat_mul and tsr_i32f32_sat_add for a, b >= 0 (the epoch's non-negative paths). */
tsr_i32f32 tsr__yuma_nn_mul(tsr_i32f32 a, tsr_i32f32 b);
tsr_i32f32 tsr__yuma_nn_add(tsr_i32f32 a, tsr_i32f32 b);
/* = tsr_i32f32_sat_div(1.0, b) (the sigmoid's reciprocal), 64-bit for b >= 1.0. */
tsr_i32f32 tsr__yuma_recip(tsr_i32f32 b);
/* = tsr_u16_proportion_to_fixed (spec §1.3), one constant division. */
tsr_i32f32 tsr__yuma_prop16(uint16_t u);
/* = tsr_fixed_proportion_to_u16 (spec §1.3). */
uint16_t tsr__yuma_q16(tsr_i32f32 x);
/* = tsr_i32f32_exp_safe (spec §1.4). */
tsr_i32f32 tsr__yuma_exp_safe(tsr_i32f32 x);

/* = tsr_weighted_median_col_sparse(stake, w, majority, out, ...) (spec §2.7) for w->rows ==
 * w->cols, in O(n + nnz) expected time; workspace of tsr__yuma_consensus_ws_size(n, nnz) bytes.
 * Staked rows that all hold the same ascending columns take an in-place path (no column view). */
int tsr__yuma_consensus(const tsr_i32f32 *stake, const tsr_sparse *w, tsr_i32f32 majority,
                        tsr_i32f32 *out, void *workspace);
size_t tsr__yuma_consensus_ws_size(size_t n, size_t nnz);

#endif /* TSR_YUMA_INT_H */
