/* tsr_split.h: exact pro-rata splitting of an integer amount (largest-remainder method).
 *
 * share_i = floor(amount * w_i / W) with W = sum of the weights, computed with 128-bit
 * intermediates (amount * w_i < 2^128 and W < 2^128 for any n < 2^64), then the units left over
 * (fewer than the number of non-zero weights) go one each to the holders with the largest
 * remainders amount * w_i mod W, ties to the lower index. The result is a deterministic function
 * of (amount, weights): sum(out) == amount whenever W > 0, and |out_i - amount w_i / W| < 1.
 *
 * Cost: O(n) divisions plus, when units are left over, expected O(n) with a scratch buffer or
 * O(n * leftover) without one. Nothing is allocated.
 */
#ifndef TSR_SPLIT_H
#define TSR_SPLIT_H

#include <stddef.h>
#include <stdint.h>

#include "tsr_int.h"

/* One scratch entry per holder, for the remainder ranking. */
typedef struct tsr_split_item {
    tsr_u128 rem; /* amount * w_i mod W */
    size_t idx;   /* holder index */
} tsr_split_item;

/* Split `amount` among n holders in proportion to weights[0..n-1], writing out[0..n-1]
 * (caller-owned). scratch may be NULL or point to n items (faster when n is large).
 * *remainder (may be NULL) receives what was not handed out: 0 when the weights sum to > 0,
 * and the whole amount (with every out_i = 0) when they are all zero or n = 0.
 * TSR_EINVAL for NULL weights/out with n > 0. Spec mechanisms §0 asks for floors and every
 * remainder assigned by a stated rule; its Drips cumulative split is tsr_settle.h's. */
int tsr_split_pro_rata(uint64_t amount, const uint64_t *weights, size_t n, uint64_t *out,
                       tsr_split_item *scratch, uint64_t *remainder);

#endif /* TSR_SPLIT_H */
