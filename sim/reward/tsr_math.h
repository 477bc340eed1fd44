/* tsr_math.h: the Yuma epoch's vector and matrix helpers (subtensor epoch/math.rs), bit-exact.
 *
 * Representations (all storage is caller-owned; nothing here allocates):
 *
 *  - A vector is `const tsr_i32f32 *v` with an explicit length.
 *  - A dense matrix is row-major: element (i, j) of an r x c matrix is m[i * c + j].
 *  - A sparse matrix is CSR-like, tsr_sparse below: row i is the pairs
 *    pairs[row_ptr[i] .. row_ptr[i + 1]) **in stored order**. Rows are NOT sorted by column
 *    (the chain keeps weights in submission order and several results depend on that order),
 *    pairs with value 0 are real entries (they are not the same as an absent pair), and every
 *    column index is < cols. row_ptr has rows + 1 entries with row_ptr[0] = 0.
 *    A function that produces a sparse matrix writes into an output tsr_sparse whose row_ptr
 *    (rows + 1 entries) and pairs (cap entries) the caller provides; it sets rows, cols and
 *    row_ptr, and returns TSR_ECAPACITY when cap is too small (each function states the bound).
 *    Output and input must not share buffers unless a function says so.
 *  - Functions that need scratch memory take a `workspace` of at least the bytes returned by
 *    the matching _ws_size() function (suitably aligned for size_t, e.g. from malloc).
 *
 * Arithmetic follows spec bittensor §1.2 (I32F32: products floor, quotients truncate,
 * saturating where the chain saturates) and §2.18. Sums that the chain takes with plain `+`
 * (iter().sum()) wrap like a release-build runtime; no epoch input comes near that range.
 */
#ifndef TSR_MATH_H
#define TSR_MATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tsr_fixed.h"

typedef struct tsr_pair {
    uint32_t col;   /* column index (a uid) */
    tsr_i32f32 val; /* value, raw I32F32 */
} tsr_pair;

typedef struct tsr_sparse {
    size_t rows;     /* number of rows */
    size_t cols;     /* number of columns (n); every pairs[k].col < cols */
    size_t *row_ptr; /* rows + 1 offsets into pairs; row i = pairs[row_ptr[i] .. row_ptr[i+1]) */
    tsr_pair *pairs; /* the pairs, row after row, each row in stored order */
    size_t cap;      /* capacity of pairs[] (used when the matrix is an output) */
} tsr_sparse;

/* TSR_OK when m is well formed: row_ptr non-decreasing from 0, every column < cols, and (for
 * rows > 0) non-NULL buffers. TSR_EINVAL otherwise. O(nnz). */
int tsr_sparse_validate(const tsr_sparse *m);
/* Number of stored pairs. */
size_t tsr_sparse_nnz(const tsr_sparse *m);

/* ---- vectors ---- */

/* Sum with wrapping addition (the chain's iter().sum()). */
tsr_i32f32 tsr_vec_sum(const tsr_i32f32 *x, size_t n);
/* x_i := x_i / sum(x) (safe_div, truncating); unchanged when the sum is 0. spec bittensor §2.5,
 * §2.18 inplace_normalize */
void tsr_inplace_normalize(tsr_i32f32 *x, size_t n);
/* out_i = x_i / y_i truncating, 0 where y_i = 0. out may alias x. spec bittensor §2.16, TV7 */
void tsr_vecdiv(const tsr_i32f32 *x, const tsr_i32f32 *y, size_t n, tsr_i32f32 *out);

/* Scale so that the maximum maps to 65535: with m = max(x): m = 0 -> floor(x_i (*) 65535);
 * m > 32768 -> round(x_i (*) (65535 / m)); otherwise round((x_i (*) 65535) / m); rounding ties
 * away from zero, saturating to [0, 65535]. spec bittensor §2.6, §2.16, TV1 */
void tsr_vec_max_upscale_to_u16(const tsr_i32f32 *x, size_t n, uint16_t *out);
/* The same on u16 inputs (how set_weights stores weights). out may alias x.
 * spec bittensor §2.6, TV2 */
void tsr_vec_u16_max_upscale_to_u16(const uint16_t *x, size_t n, uint16_t *out);
/* true when max(normalize(w)) <= max_limit / 65535 (both I32F32), or w is empty.
 * spec bittensor §2.6, TV3 */
bool tsr_check_vec_max_limited(const uint16_t *w, size_t n, uint16_t max_limit);

/* Top-k mask: all true when n < k; otherwise stable-sort the indices ascending by value (ties
 * keep index order) and set the first n - k false. spec bittensor §2.4, TV6 */
int tsr_is_topk(const tsr_i32f32 *x, size_t n, size_t k, bool *out, void *workspace);
/* As tsr_is_topk but starting from x_i != 0 (the epoch's permit rule). spec bittensor §2.4 */
int tsr_is_topk_nonzero(const tsr_i32f32 *x, size_t n, size_t k, bool *out, void *workspace);
size_t tsr_is_topk_ws_size(size_t n);

/* ---- dense matrices (row-major) ---- */

/* out_j = sum_i v_i (*) m_ij, saturating (v has `rows` entries, out `cols`). spec TV8 */
void tsr_matmul(const tsr_i32f32 *m, size_t rows, size_t cols, const tsr_i32f32 *v,
                tsr_i32f32 *out);
/* out_i = sum_j m_ij (*) v_j, saturating (v has `cols` entries, out `rows`). spec TV8 */
void tsr_matmul_transpose(const tsr_i32f32 *m, size_t rows, size_t cols, const tsr_i32f32 *v,
                          tsr_i32f32 *out);
/* m_ij := min(m_ij, threshold_j). spec bittensor TV9 */
void tsr_inplace_col_clip(tsr_i32f32 *m, size_t rows, size_t cols, const tsr_i32f32 *threshold);
/* out = mat1 when ratio = 0, mat2 when ratio = 1, else mat1 + ratio (*) (mat2 - mat1)
 * (saturating), element-wise. out may alias either input. spec bittensor §2.10, TV14 */
void tsr_interpolate(const tsr_i32f32 *mat1, const tsr_i32f32 *mat2, size_t rows, size_t cols,
                     tsr_i32f32 ratio, tsr_i32f32 *out);
/* out_ij = min((1 - a_ij) (*) old_ij + max(a_ij (*) new_ij, 0), 1), saturating. (The chain
 * returns [[]] for an empty input; here that is simply no output.) spec bittensor §2.13, TV13 */
void tsr_mat_ema_alpha(const tsr_i32f32 *new_m, const tsr_i32f32 *old_m, const tsr_i32f32 *alpha,
                       size_t rows, size_t cols, tsr_i32f32 *out);

/* ---- weighted median (consensus) ---- */

/* Stake-weighted median of score over the indices idx[0..len) (in that order), exactly the
 * chain's partition loop of spec bittensor §2.7: pivot = score[idx[len/2]], stakes summed with
 * saturation, at most len + 1 rounds, then 0. idx is used as scratch and is clobbered.
 * spec bittensor §2.7, TV10 */
tsr_i32f32 tsr_weighted_median(const tsr_i32f32 *stake, const tsr_i32f32 *score, size_t *idx,
                               size_t len, tsr_i32f32 minority, tsr_i32f32 lo, tsr_i32f32 hi);
/* Column-wise consensus on a dense rows x cols score matrix with stake[rows]: the rows with
 * stake > 0 are kept in order and their stake normalised; minority = sum - majority
 * (saturating); out[cols]. spec bittensor §2.7, TV11 */
int tsr_weighted_median_col(const tsr_i32f32 *stake, const tsr_i32f32 *score, size_t rows,
                            size_t cols, tsr_i32f32 majority, tsr_i32f32 *out, void *workspace);
size_t tsr_weighted_median_col_ws_size(size_t rows);
/* Sparse version used by the epoch: absent pairs score 0; if a row holds a column twice the
 * later pair wins. out has w->cols entries; w->rows must equal the stake length.
 * spec bittensor §2.7, TV11 */
int tsr_weighted_median_col_sparse(const tsr_i32f32 *stake, const tsr_sparse *w,
                                   tsr_i32f32 majority, tsr_i32f32 *out, void *workspace);
size_t tsr_weighted_median_col_sparse_ws_size(size_t rows, size_t cols, size_t nnz);

/* ---- sparse matrices ---- */

/* out_j = sum over pairs (i, j, m) of v_i (*) m, saturating; out has m->cols entries.
 * spec bittensor §2.9, TV8 */
void tsr_matmul_sparse(const tsr_sparse *m, const tsr_i32f32 *v, tsr_i32f32 *out);
/* out_i = sum over row i's pairs (j, m) of v_j (*) m, saturating; out has m->rows entries.
 * spec bittensor §2.18, TV8 */
void tsr_matmul_transpose_sparse(const tsr_sparse *m, const tsr_i32f32 *v, tsr_i32f32 *out);
/* out_i = exact (wrapping) sum of row i. spec bittensor §2.8, §2.18 */
void tsr_row_sum_sparse(const tsr_sparse *m, tsr_i32f32 *out);
/* Column clip: pair (j, v) becomes (j, t_j) when t_j < v, and is dropped if then t_j <= 0;
 * otherwise it is kept unchanged (zero pairs survive). Needs out->cap >= nnz(m).
 * spec bittensor §2.8, TV9 */
int tsr_col_clip_sparse(const tsr_sparse *m, const tsr_i32f32 *threshold, tsr_sparse *out);
/* Bonds-penalty interpolation: ratio 0 copies mat1, ratio 1 copies mat2 (pairs, order and
 * zeros as stored); otherwise both rows are densified to cols columns (a later duplicate
 * pair wins) and v = w1 + ratio (*) (w2 - w1) (saturating) is emitted for v > 0 in ascending
 * column order. mat1 and mat2 must have the same rows and cols. Needs out->cap >= rows * cols
 * in general (nnz of the copied matrix for ratio 0 or 1). spec bittensor §2.10, TV14 */
int tsr_interpolate_sparse(const tsr_sparse *mat1, const tsr_sparse *mat2, tsr_i32f32 ratio,
                           tsr_sparse *out, void *workspace);
size_t tsr_interpolate_sparse_ws_size(size_t cols);
/* Yuma3 liquid-alpha EMA: alpha is a dense rows x cols matrix (cols = n). Per row i:
 * dec_j = (1 - a_ij) (*) old_ij for the old row's pairs (others 0); then for each pair (j, w)
 * of the new row, in stored order, v = min(dec_j + max(a_ij (*) w, 0), 1) is emitted when
 * v > 0. Old bonds in columns without a new pair are dropped. new_m and old_m have `rows` rows.
 * Needs out->cap >= nnz(new_m). spec bittensor §2.13.2, TV13 */
int tsr_mat_ema_alpha_sparse(const tsr_sparse *new_m, const tsr_sparse *old_m,
                             const tsr_i32f32 *alpha, size_t cols, tsr_sparse *out,
                             void *workspace);
size_t tsr_mat_ema_alpha_sparse_ws_size(size_t cols);

/* ---- further epoch helpers (spec bittensor §2.12, §2.18) ---- */

/* out_i = checked_mul(a_i, b_i), 0 on overflow. out may alias a or b. spec bittensor §2.18 */
void tsr_vec_mul(const tsr_i32f32 *a, const tsr_i32f32 *b, size_t n, tsr_i32f32 *out);
/* m_ij := m_ij (*) v_i (saturating), in place. spec bittensor §2.12.2 row_hadamard_sparse */
void tsr_row_hadamard_sparse(tsr_sparse *m, const tsr_i32f32 *v);
/* Column sums with saturating adds over all pairs; each value divided (truncating) by its
 * column sum when that sum is not 0. In place; `workspace` holds cols entries
 * (tsr_col_ws_size). spec bittensor §2.12.1, §2.18 */
int tsr_inplace_col_normalize_sparse(tsr_sparse *m, void *workspace);
/* Each value divided (truncating) by its column maximum (the maximum of the column's values
 * and 0) when that maximum is not 0: the largest entry of each column becomes 1.0. In place.
 * spec bittensor §2.12.7 */
int tsr_inplace_col_max_upscale_sparse(tsr_sparse *m, void *workspace);
size_t tsr_col_ws_size(size_t cols);
/* Fixed-alpha bonds EMA: per row, acc_j = sum over new pairs of alpha (*) new_ij, then plus
 * (1 - alpha) (*) old_ij over old pairs (products floored, adds saturating); emits acc_j > 0 in
 * ascending column order. new_m and old_m have the same rows and cols; needs out->cap >=
 * rows * cols in general; workspace of tsr_col_ws_size(cols). spec bittensor §2.12.4 */
int tsr_mat_ema_sparse(const tsr_sparse *new_m, const tsr_sparse *old_m, tsr_i32f32 alpha,
                       tsr_sparse *out, void *workspace);

#endif /* TSR_MATH_H */
