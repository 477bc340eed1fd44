/* tsr_yuma_int.h: internals of tsr_yuma.c exposed for its tests (not part of the public API).
 *
 * The epoch uses fast equivalents of several chain operations; each is exposed here so that the
 * unit tests can compare it with the straightforward reference (tsr_fixed.h, tsr_math.h) over
 * many inputs.
 */
#ifndef TSR_YUMA_INT_H
#define TSR_YUMA_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tsr_fixed.h"
#include "tsr_math.h"
#include "tsr_yuma.h"

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
/* The divider's range-test-free path (fdiv_in) where the epoch proves it applies for a whole
 * row or column: when 0 <= a <= b and fdiv_all_in holds for b's "divide where non-zero"
 * divider, stores tsr__yuma_div_nz(a, b) computed that way in *q and returns true; otherwise
 * returns false (the epoch then takes the range-tested path). */
bool tsr__yuma_div_in(tsr_i32f32 a, tsr_i32f32 b, tsr_i32f32 *q);
/* = tsr_i32f32_sat_div(1.0, b) (the sigmoid's reciprocal), 64-bit for b >= 1.0. */
tsr_i32f32 tsr__yuma_recip(tsr_i32f32 b);
/* = tsr_u16_proportion_to_fixed (spec §1.3), one constant division. */
tsr_i32f32 tsr__yuma_prop16(uint16_t u);
/* = tsr_fixed64_to_fixed32(tsr_i64f64_safe_div(v, sum)) for sum != 0 (the stake normalisation of
 * spec §2.3), one 128/64 division and a one-step correction for 0 <= v <= sum. */
tsr_i32f32 tsr__yuma_stake_share(tsr_i128 v, tsr_i128 sum);
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

/* tsr_yuma_epoch_cr with the fast paths that rest on bounds proved for a whole row or column
 * (the aligned dense EMA and dividend passes, 64-bit products and divisions without range
 * tests) turned off: the reference the tests compare tsr_yuma_epoch_cr with, bit for bit. */
int tsr__yuma_epoch_ref(const tsr_yuma_params *p, const tsr_yuma_state *s,
                        const uint64_t *commit_block, uint64_t rao_emission, tsr_yuma_out *out,
                        void *ws, size_t ws_size);

/* tsr_yuma_epoch_cr with its scalar fast paths only (the vector kernels of tsr_yuma_vec.h off):
 * the tests compare the vector kernels with it, bit for bit. */
int tsr__yuma_epoch_novec(const tsr_yuma_params *p, const tsr_yuma_state *s,
                          const uint64_t *commit_block, uint64_t rao_emission, tsr_yuma_out *out,
                          void *ws, size_t ws_size);

#endif /* TSR_YUMA_INT_H */
