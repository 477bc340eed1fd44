/* tsr_split.c: largest-remainder pro-rata split (tsr_split.h).
 *
 * Without scratch the leftover units are placed by repeated scans for the largest remaining
 * remainder; a holder already topped up is recognised because its remainder was recorded as
 * "used" by recomputing it against its increased share (amount*w_i - out_i*W underflows), so no
 * extra memory is needed. With scratch the remainders are kept from the first pass and the
 * leftover count of largest ones is found by quickselect (the keys (remainder desc, index asc)
 * are all distinct, so the chosen set is unique whatever the pivots).
 */
#include "tsr_split.h"
#include "tsr_err.h"

/* Strict order of the hand-out: larger remainder first, then lower index. */
static int item_before(const tsr_split_item *a, const tsr_split_item *b)
{
    int c = tsr_u128_cmp(a->rem, b->rem);
    return c > 0 || (c == 0 && a->idx < b->idx);
}

static void swap_items(tsr_split_item *a, tsr_split_item *b)
{
    tsr_split_item t = *a;
    *a = *b;
    *b = t;
}

/* Quickselect: rearrange items so that the k first are the k that come first in item_before
 * order (in any order among themselves). Keys are distinct, so the selected set is unique and
 * does not depend on pivot choices. Expected O(n). */
static void select_first(tsr_split_item *it, size_t n, size_t k)
{
    size_t lo = 0, hi = n; /* the boundary k lies in [lo, hi) */
    while (hi - lo > 1 && k > lo && k < hi) {
        /* median of three as pivot, moved to the end */
        size_t mid = lo + (hi - lo) / 2, last = hi - 1;
        if (item_before(&it[mid], &it[lo]))
            swap_items(&it[mid], &it[lo]);
        if (item_before(&it[last], &it[lo]))
            swap_items(&it[last], &it[lo]);
        if (item_before(&it[mid], &it[last]))
            swap_items(&it[mid], &it[last]);
        size_t store = lo;
        for (size_t i = lo; i < last; i++)
            if (item_before(&it[i], &it[last]))
                swap_items(&it[i], &it[store++]);
        swap_items(&it[store], &it[last]);
        /* it[lo..store) precede the pivot at store, it(store..hi) follow it */
        if (k <= store)
            hi = store;
        else
            lo = store + 1;
    }
}

/* Remainder of holder i given its current share; 1 if the share already exceeds the exact one
 * (the holder has had its extra unit), in which case *rem is not set. */
static int remainder_of(uint64_t amount, uint64_t w, uint64_t share, tsr_u128 total, tsr_u128 *rem)
{
    tsr_u128 exact = tsr_u128_mul64(amount, w);
    tsr_u256 given = tsr_u128_mul_full(tsr_u128_from_u64(share), total);
    /* A product past 128 bits is necessarily past the exact share (which is < 2^128). */
    if (!tsr_u256_fits_u128(given))
        return 1;
    return tsr_u128_sub_ovf(exact, tsr_u256_low128(given), rem);
}

static void hand_out_scan(uint64_t amount, const uint64_t *weights, size_t n, uint64_t *out,
                          tsr_u128 total, uint64_t left)
{
    while (left > 0) {
        size_t best = n;
        tsr_u128 best_rem = tsr_u128_make(0, 0), rem;
        for (size_t i = 0; i < n; i++) {
            if (weights[i] == 0 || remainder_of(amount, weights[i], out[i], total, &rem))
                continue;
            if (best == n || tsr_u128_lt(best_rem, rem)) {
                best = i;
                best_rem = rem;
            }
        }
        out[best]++;
        left--;
    }
}

static void hand_out_selected(uint64_t *out, size_t n, uint64_t left, tsr_split_item *scratch)
{
    select_first(scratch, n, (size_t)left);
    for (size_t j = 0; j < (size_t)left; j++)
        out[scratch[j].idx]++;
}

int tsr_split_pro_rata(uint64_t amount, const uint64_t *weights, size_t n, uint64_t *out,
                       tsr_split_item *scratch, uint64_t *remainder)
{
    tsr_u128 total = tsr_u128_make(0, 0);
    uint64_t given = 0;
    if (n > 0 && (!weights || !out))
        return TSR_EINVAL;
    for (size_t i = 0; i < n; i++)
        total = tsr_u128_add(total, tsr_u128_from_u64(weights[i]));
    if (tsr_u128_is_zero(total)) {
        for (size_t i = 0; i < n; i++)
            out[i] = 0;
        if (remainder)
            *remainder = amount;
        return TSR_OK;
    }
    for (size_t i = 0; i < n; i++) {
        tsr_u128 q, r;
        (void)tsr_u128_divmod(tsr_u128_mul64(amount, weights[i]), total, &q, &r);
        out[i] = q.lo; /* q <= amount */
        given += q.lo;
        if (scratch) {
            scratch[i].rem = r;
            scratch[i].idx = i;
        }
    }
    /* Fewer than n units are left over, each to a distinct holder. */
    if (given < amount) {
        if (scratch)
            hand_out_selected(out, n, amount - given, scratch);
        else
            hand_out_scan(amount, weights, n, out, total, amount - given);
    }
    if (remainder)
        *remainder = 0;
    return TSR_OK;
}
