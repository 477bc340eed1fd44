/* tsr_math.c: Yuma epoch vector/matrix helpers (tsr_math.h), following subtensor's epoch/math.rs
 * operation for operation so that every rounding and saturation happens where the chain's does.
 *
 * Costs: vector ops O(n); is_topk O(n) expected (quickselect on (value, index)), O(n log n)
 * worst case (merge-sort fallback); dense matrix ops O(rows cols);
 * sparse ops O(nnz) plus O(rows cols) where the chain densifies a row (interpolate, EMA);
 * the weighted-median consensus is O(cols K + nnz) per epoch for K staked rows (expected
 * O(K) partition work per column, as on chain).
 */
#include "tsr_math.h"
#include "tsr_err.h"

#include <string.h>

#define ONE TSR_I32F32_ONE

static size_t align8(size_t x)
{
    return (x + 7u) & ~(size_t)7u;
}

/* ================================ sparse basics ============================================== */

int tsr_sparse_validate(const tsr_sparse *m)
{
    if (!m || (!m->row_ptr && m->rows > 0))
        return TSR_EINVAL;
    if (m->rows == 0)
        return TSR_OK;
    if (m->row_ptr[0] != 0)
        return TSR_EINVAL;
    for (size_t i = 0; i < m->rows; i++)
        if (m->row_ptr[i + 1] < m->row_ptr[i])
            return TSR_EINVAL;
    if (m->row_ptr[m->rows] > 0 && !m->pairs)
        return TSR_EINVAL;
    for (size_t k = 0; k < m->row_ptr[m->rows]; k++)
        if (m->pairs[k].col >= m->cols)
            return TSR_EINVAL;
    return TSR_OK;
}

size_t tsr_sparse_nnz(const tsr_sparse *m)
{
    return m->rows ? m->row_ptr[m->rows] : 0;
}

/* Prepare out as a rows x cols matrix; TSR_ECAPACITY if `need` pairs do not fit. */
static int out_begin(tsr_sparse *out, size_t rows, size_t cols, size_t need)
{
    if (!out || !out->row_ptr || need > out->cap || (need > 0 && !out->pairs))
        return out ? TSR_ECAPACITY : TSR_EINVAL;
    out->rows = rows;
    out->cols = cols;
    out->row_ptr[0] = 0;
    return TSR_OK;
}

static int sparse_copy(const tsr_sparse *src, tsr_sparse *out)
{
    size_t nnz = tsr_sparse_nnz(src);
    int rc = out_begin(out, src->rows, src->cols, nnz);
    if (rc)
        return rc;
    memmove(out->row_ptr, src->row_ptr, (src->rows + 1) * sizeof(size_t));
    if (nnz)
        memmove(out->pairs, src->pairs, nnz * sizeof(tsr_pair));
    return TSR_OK;
}

/* ================================ vectors ==================================================== */

tsr_i32f32 tsr_vec_sum(const tsr_i32f32 *x, size_t n)
{
    uint64_t s = 0;
    for (size_t i = 0; i < n; i++)
        s += (uint64_t)x[i];
    return (s >> 63) ? -(int64_t)(~s) - 1 : (int64_t)s;
}

void tsr_inplace_normalize(tsr_i32f32 *x, size_t n)
{
    tsr_i32f32 sum = tsr_vec_sum(x, n);
    if (sum == 0)
        return;
    for (size_t i = 0; i < n; i++)
        x[i] = tsr_i32f32_safe_div(x[i], sum);
}

void tsr_vecdiv(const tsr_i32f32 *x, const tsr_i32f32 *y, size_t n, tsr_i32f32 *out)
{
    for (size_t i = 0; i < n; i++)
        out[i] = y[i] != 0 ? tsr_i32f32_safe_div(x[i], y[i]) : 0;
}

void tsr_vec_max_upscale_to_u16(const tsr_i32f32 *x, size_t n, uint16_t *out)
{
    const tsr_i32f32 u16max = 65535 * ONE, threshold = 32768 * ONE;
    tsr_i32f32 m;
    if (n == 0)
        return;
    m = x[0];
    for (size_t i = 1; i < n; i++)
        if (x[i] > m)
            m = x[i];
    if (m == 0) {
        for (size_t i = 0; i < n; i++)
            out[i] = tsr_i32f32_to_u16(tsr_i32f32_sat_mul(x[i], u16max));
    } else if (m > threshold) {
        /* Large maxima divide first so the product cannot saturate. */
        tsr_i32f32 f = tsr_i32f32_safe_div(u16max, m);
        for (size_t i = 0; i < n; i++)
            out[i] = tsr_i32f32_to_u16(tsr_i32f32_round(tsr_i32f32_sat_mul(x[i], f)));
    } else {
        for (size_t i = 0; i < n; i++)
            out[i] = tsr_i32f32_to_u16(
                tsr_i32f32_round(tsr_i32f32_safe_div(tsr_i32f32_sat_mul(x[i], u16max), m)));
    }
}

void tsr_vec_u16_max_upscale_to_u16(const uint16_t *x, size_t n, uint16_t *out)
{
    /* Same rule on I32F32(x_i); computed element by element so out may alias x. */
    const tsr_i32f32 u16max = 65535 * ONE;
    tsr_i32f32 m = 0;
    for (size_t i = 0; i < n; i++)
        if (tsr_u16_to_fixed(x[i]) > m)
            m = tsr_u16_to_fixed(x[i]);
    for (size_t i = 0; i < n; i++) {
        tsr_i32f32 e = tsr_u16_to_fixed(x[i]), v;
        if (m == 0)
            v = tsr_i32f32_sat_mul(e, u16max);
        else if (m > 32768 * ONE)
            v = tsr_i32f32_round(tsr_i32f32_sat_mul(e, tsr_i32f32_safe_div(u16max, m)));
        else
            v = tsr_i32f32_round(tsr_i32f32_safe_div(tsr_i32f32_sat_mul(e, u16max), m));
        out[i] = tsr_i32f32_to_u16(v);
    }
}

bool tsr_check_vec_max_limited(const uint16_t *w, size_t n, uint16_t max_limit)
{
    tsr_i32f32 limit = tsr_i32f32_safe_div(tsr_u16_to_fixed(max_limit), 65535 * ONE);
    uint64_t s = 0;
    if (n == 0)
        return true;
    for (size_t i = 0; i < n; i++)
        s += (uint64_t)tsr_u16_to_fixed(w[i]);
    tsr_i32f32 sum = (s >> 63) ? -(int64_t)(~s) - 1 : (int64_t)s;
    tsr_i32f32 max = INT64_MIN;
    for (size_t i = 0; i < n; i++) {
        tsr_i32f32 v = tsr_u16_to_fixed(w[i]);
        if (sum != 0)
            v = tsr_i32f32_safe_div(v, sum);
        if (v > max)
            max = v;
    }
    return max <= limit;
}

size_t tsr_is_topk_ws_size(size_t n)
{
    return 2 * n * sizeof(size_t);
}

/* Stable bottom-up merge sort of the indices 0..n-1 ascending by x; returns the sorted array
 * (one of a, tmp). The selection's worst-case fallback. */
static size_t *stable_argsort(const tsr_i32f32 *x, size_t n, size_t *a, size_t *tmp)
{
    for (size_t i = 0; i < n; i++)
        a[i] = i;
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = (x[a[j]] < x[a[i]]) ? a[j++] : a[i++]; /* ties: left first */
            while (i < mid)
                tmp[k++] = a[i++];
            while (j < hi)
                tmp[k++] = a[j++];
        }
        size_t *t = a;
        a = tmp;
        tmp = t;
    }
    return a;
}

/* The stable ascending order as a strict total order on indices: (x_i, i) < (x_j, j). Every key
 * is distinct, so a selection on it needs no tie handling and lands exactly where the stable
 * sort would. */
static bool key_less(const tsr_i32f32 *x, size_t i, size_t j)
{
    tsr_i32f32 a = x[i], b = x[j];
    return a < b || (a == b && i < j);
}

static void swap_idx(size_t *a, size_t i, size_t j)
{
    size_t t = a[i];
    a[i] = a[j];
    a[j] = t;
}

/* Median of a[lo], a[mid], a[hi - 1] by key, moved to a[hi - 1] (deterministic pivot). */
static void pivot_to_end(const tsr_i32f32 *x, size_t *a, size_t lo, size_t hi)
{
    size_t mid = lo + (hi - lo) / 2, last = hi - 1;
    if (key_less(x, a[mid], a[lo]))
        swap_idx(a, mid, lo);
    if (key_less(x, a[last], a[mid]))
        swap_idx(a, last, mid);
    if (key_less(x, a[mid], a[lo]))
        swap_idx(a, mid, lo);
    swap_idx(a, mid, last); /* a[lo] <= a[last] = median <= a[mid] */
}

/* Lomuto partition of a[lo, hi) around the pivot at a[hi - 1]; returns its final position p:
 * a[lo, p) < a[p] < a[p + 1, hi). Branch-free (always swap, advance by the comparison): on
 * unordered stakes the comparison is a coin flip that a branch would mispredict half the time. */
static size_t partition(const tsr_i32f32 *x, size_t *a, size_t lo, size_t hi)
{
    size_t piv = a[hi - 1], store = lo;
    tsr_i32f32 xp = x[piv];
    for (size_t i = lo; i < hi - 1; i++) {
        size_t v = a[i];
        size_t less = (size_t)((x[v] < xp) | ((x[v] == xp) & (v < piv))); /* key_less(v, piv) */
        a[i] = a[store];
        a[store] = v;
        store += less;
    }
    a[hi - 1] = a[store];
    a[store] = piv;
    return store;
}

static void insertion_sort(const tsr_i32f32 *x, size_t *a, size_t lo, size_t hi)
{
    for (size_t i = lo + 1; i < hi; i++) {
        size_t v = a[i], j = i;
        for (; j > lo && key_less(x, v, a[j - 1]); j--)
            a[j] = a[j - 1];
        a[j] = v;
    }
}

#define TOPK_SMALL 8 /* ranges this short are finished by insertion sort */

/* Rearrange the indices in a so that a[0, m) are the m smallest by key_less (in any order).
 * Quickselect with a median-of-3 pivot: O(n) expected. Returns false, leaving a permuted, when
 * the range has not closed within 2 * bitlen(n) + 2 partitions (an adversarial order); the
 * caller then sorts instead, which bounds the worst case at O(n log n). */
static bool select_smallest(const tsr_i32f32 *x, size_t *a, size_t n, size_t m)
{
    size_t lo = 0, hi = n, rounds = 2;
    for (size_t v = n; v > 0; v >>= 1)
        rounds += 2;
    while (lo < m && m < hi) {
        if (hi - lo <= TOPK_SMALL) {
            insertion_sort(x, a, lo, hi);
            return true;
        }
        if (rounds-- == 0)
            return false;
        pivot_to_end(x, a, lo, hi);
        size_t p = partition(x, a, lo, hi);
        if (m <= p)
            hi = p;
        else
            lo = p + 1;
    }
    return true;
}

/* Index i loses its mark iff its rank by (x_i, i) is below n - k: exactly the first n - k of
 * the stable ascending sort, found by selection instead of sorting. */
static int topk(const tsr_i32f32 *x, size_t n, size_t k, bool *out, void *workspace, int nonzero)
{
    if (n > 0 && (!x || !out || !workspace))
        return TSR_EINVAL;
    for (size_t i = 0; i < n; i++)
        out[i] = nonzero ? x[i] != 0 : true;
    if (n <= k)
        return TSR_OK;
    size_t m = n - k, *a = workspace;
    for (size_t i = 0; i < n; i++)
        a[i] = i;
    if (m < n && !select_smallest(x, a, n, m))
        a = stable_argsort(x, n, a, a + n);
    for (size_t i = 0; i < m; i++)
        out[a[i]] = false;
    return TSR_OK;
}

int tsr_is_topk(const tsr_i32f32 *x, size_t n, size_t k, bool *out, void *workspace)
{
    return topk(x, n, k, out, workspace, 0);
}

int tsr_is_topk_nonzero(const tsr_i32f32 *x, size_t n, size_t k, bool *out, void *workspace)
{
    return topk(x, n, k, out, workspace, 1);
}

/* ================================ dense matrices ============================================= */

void tsr_matmul(const tsr_i32f32 *m, size_t rows, size_t cols, const tsr_i32f32 *v, tsr_i32f32 *out)
{
    for (size_t j = 0; j < cols; j++)
        out[j] = 0;
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < cols; j++)
            out[j] = tsr_i32f32_sat_add(out[j], tsr_i32f32_sat_mul(v[i], m[i * cols + j]));
}

void tsr_matmul_transpose(const tsr_i32f32 *m, size_t rows, size_t cols, const tsr_i32f32 *v,
                          tsr_i32f32 *out)
{
    for (size_t i = 0; i < rows; i++) {
        tsr_i32f32 acc = 0;
        for (size_t j = 0; j < cols; j++)
            acc = tsr_i32f32_sat_add(acc, tsr_i32f32_sat_mul(v[j], m[i * cols + j]));
        out[i] = acc;
    }
}

void tsr_inplace_col_clip(tsr_i32f32 *m, size_t rows, size_t cols, const tsr_i32f32 *threshold)
{
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < cols; j++)
            if (m[i * cols + j] > threshold[j])
                m[i * cols + j] = threshold[j];
}

static tsr_i32f32 lerp(tsr_i32f32 a, tsr_i32f32 b, tsr_i32f32 ratio)
{
    return tsr_i32f32_sat_add(a, tsr_i32f32_sat_mul(ratio, tsr_i32f32_sat_sub(b, a)));
}

void tsr_interpolate(const tsr_i32f32 *mat1, const tsr_i32f32 *mat2, size_t rows, size_t cols,
                     tsr_i32f32 ratio, tsr_i32f32 *out)
{
    size_t n = rows * cols;
    if (ratio == 0) {
        memmove(out, mat1, n * sizeof *out);
        return;
    }
    if (ratio == ONE) {
        memmove(out, mat2, n * sizeof *out);
        return;
    }
    for (size_t k = 0; k < n; k++)
        out[k] = lerp(mat1[k], mat2[k], ratio);
}

/* min(dec + max(a (*) w, 0), 1) */
static tsr_i32f32 ema_alpha_step(tsr_i32f32 dec, tsr_i32f32 a, tsr_i32f32 w)
{
    tsr_i32f32 inc = tsr_i32f32_sat_mul(a, w);
    tsr_i32f32 v = tsr_i32f32_sat_add(dec, inc > 0 ? inc : 0);
    return v < ONE ? v : ONE;
}

void tsr_mat_ema_alpha(const tsr_i32f32 *new_m, const tsr_i32f32 *old_m, const tsr_i32f32 *alpha,
                       size_t rows, size_t cols, tsr_i32f32 *out)
{
    for (size_t k = 0; k < rows * cols; k++) {
        tsr_i32f32 dec = tsr_i32f32_sat_mul(tsr_i32f32_sat_sub(ONE, alpha[k]), old_m[k]);
        out[k] = ema_alpha_step(dec, alpha[k], new_m[k]);
    }
}

/* ================================ weighted median ============================================ */

/* Keep the idx entries whose score is below (side < 0) or above (side > 0) the pivot, in
 * order. */
static size_t keep_side(const tsr_i32f32 *score, size_t *idx, size_t n, tsr_i32f32 pivot, int side)
{
    size_t m = 0;
    for (size_t k = 0; k < n; k++) {
        tsr_i32f32 s = score[idx[k]];
        if ((side < 0 && s < pivot) || (side > 0 && s > pivot))
            idx[m++] = idx[k];
    }
    return m;
}

tsr_i32f32 tsr_weighted_median(const tsr_i32f32 *stake, const tsr_i32f32 *score, size_t *idx,
                               size_t len, tsr_i32f32 minority, tsr_i32f32 lo, tsr_i32f32 hi)
{
    size_t n = len, limit = len;
    for (;;) {
        if (n == 0)
            return 0;
        if (n == 1)
            return score[idx[0]];
        tsr_i32f32 pivot = score[idx[n / 2]], lo_stake = 0, hi_stake = 0;
        size_t n_lower = 0, n_upper = 0;
        for (size_t k = 0; k < n; k++) {
            tsr_i32f32 s = score[idx[k]];
            if (s < pivot) {
                lo_stake = tsr_i32f32_sat_add(lo_stake, stake[idx[k]]);
                n_lower++;
            } else if (s > pivot) {
                hi_stake = tsr_i32f32_sat_add(hi_stake, stake[idx[k]]);
                n_upper++;
            }
        }
        if (minority < tsr_i32f32_sat_add(lo, lo_stake) && n_lower > 0) {
            n = keep_side(score, idx, n, pivot, -1);
            hi = tsr_i32f32_sat_add(lo, lo_stake);
        } else if (tsr_i32f32_sat_sub(hi, hi_stake) <= minority && n_upper > 0) {
            n = keep_side(score, idx, n, pivot, 1);
            lo = tsr_i32f32_sat_sub(hi, hi_stake);
        } else {
            return pivot;
        }
        if (limit == 0)
            break;
        limit--;
    }
    return 0;
}

size_t tsr_weighted_median_col_ws_size(size_t rows)
{
    return align8(rows * sizeof(size_t)) + 2 * rows * sizeof(tsr_i32f32);
}

/* Staked rows' normalised stake into use_stake; returns their count K. */
static size_t staked_rows(const tsr_i32f32 *stake, size_t rows, tsr_i32f32 *use_stake)
{
    size_t k = 0;
    for (size_t r = 0; r < rows; r++)
        if (stake[r] > 0)
            use_stake[k++] = stake[r];
    tsr_inplace_normalize(use_stake, k);
    return k;
}

int tsr_weighted_median_col(const tsr_i32f32 *stake, const tsr_i32f32 *score, size_t rows,
                            size_t cols, tsr_i32f32 majority, tsr_i32f32 *out, void *workspace)
{
    if ((rows > 0 && (!stake || !workspace)) || (rows * cols > 0 && !score) || (cols && !out))
        return TSR_EINVAL;
    size_t *idx = workspace;
    tsr_i32f32 *use_stake = (tsr_i32f32 *)((char *)workspace + align8(rows * sizeof(size_t)));
    tsr_i32f32 *col = use_stake + rows;
    size_t K = rows ? staked_rows(stake, rows, use_stake) : 0;
    tsr_i32f32 sum = tsr_vec_sum(use_stake, K);
    tsr_i32f32 minority = tsr_i32f32_sat_sub(sum, majority);
    for (size_t c = 0; c < cols; c++) {
        size_t k = 0;
        for (size_t r = 0; r < rows; r++)
            if (stake[r] > 0)
                col[k++] = score[r * cols + c];
        for (k = 0; k < K; k++)
            idx[k] = k;
        out[c] = tsr_weighted_median(use_stake, col, idx, K, minority, 0, sum);
    }
    return TSR_OK;
}

size_t tsr_weighted_median_col_sparse_ws_size(size_t rows, size_t cols, size_t nnz)
{
    return align8((cols + 1) * sizeof(size_t)) + align8(nnz * sizeof(size_t)) +
           align8(rows * sizeof(size_t)) + nnz * sizeof(tsr_i32f32) + 2 * rows * sizeof(tsr_i32f32);
}

int tsr_weighted_median_col_sparse(const tsr_i32f32 *stake, const tsr_sparse *w,
                                   tsr_i32f32 majority, tsr_i32f32 *out, void *workspace)
{
    if (tsr_sparse_validate(w) || (w->rows > 0 && (!stake || !workspace)) || (w->cols && !out))
        return TSR_EINVAL;
    size_t rows = w->rows, cols = w->cols, nnz = tsr_sparse_nnz(w);
    char *p = workspace;
    /* Column view of the staked rows' pairs (CSC): col_ptr, then (k, value) per entry. */
    size_t *col_ptr = (size_t *)(void *)p;
    p += align8((cols + 1) * sizeof(size_t));
    size_t *t_k = (size_t *)(void *)p;
    p += align8(nnz * sizeof(size_t));
    size_t *idx = (size_t *)(void *)p;
    p += align8(rows * sizeof(size_t));
    tsr_i32f32 *t_val = (tsr_i32f32 *)(void *)p;
    tsr_i32f32 *use_stake = t_val + nnz, *col = use_stake + rows;

    size_t K = rows ? staked_rows(stake, rows, use_stake) : 0;
    tsr_i32f32 sum = tsr_vec_sum(use_stake, K);
    tsr_i32f32 minority = tsr_i32f32_sat_sub(sum, majority);

    for (size_t c = 0; c <= cols; c++)
        col_ptr[c] = 0;
    for (size_t r = 0; r < rows; r++)
        if (stake[r] > 0)
            for (size_t q = w->row_ptr[r]; q < w->row_ptr[r + 1]; q++)
                col_ptr[w->pairs[q].col + 1]++;
    for (size_t c = 0; c < cols; c++)
        col_ptr[c + 1] += col_ptr[c];
    /* Fill in row order, pairs in stored order: a later duplicate lands later and wins. */
    for (size_t r = 0, k = 0; r < rows; r++) {
        if (stake[r] <= 0)
            continue;
        for (size_t q = w->row_ptr[r]; q < w->row_ptr[r + 1]; q++) {
            size_t c = w->pairs[q].col;
            size_t at = col_ptr[c]++;
            t_k[at] = k;
            t_val[at] = w->pairs[q].val;
        }
        k++;
    }
    /* col_ptr[c] now holds the end of column c; its start is the previous column's end. */
    for (size_t k = 0; k < K; k++)
        col[k] = 0;
    for (size_t c = 0, start = 0; c < cols; c++) {
        size_t end = col_ptr[c];
        for (size_t q = start; q < end; q++)
            col[t_k[q]] = t_val[q];
        for (size_t k = 0; k < K; k++)
            idx[k] = k;
        out[c] = tsr_weighted_median(use_stake, col, idx, K, minority, 0, sum);
        for (size_t q = start; q < end; q++)
            col[t_k[q]] = 0;
        start = end;
    }
    return TSR_OK;
}

/* ================================ sparse matrices ============================================ */

void tsr_matmul_sparse(const tsr_sparse *m, const tsr_i32f32 *v, tsr_i32f32 *out)
{
    for (size_t j = 0; j < m->cols; j++)
        out[j] = 0;
    for (size_t i = 0; i < m->rows; i++)
        for (size_t q = m->row_ptr[i]; q < m->row_ptr[i + 1]; q++) {
            const tsr_pair *e = &m->pairs[q];
            out[e->col] = tsr_i32f32_sat_add(out[e->col], tsr_i32f32_sat_mul(v[i], e->val));
        }
}

void tsr_matmul_transpose_sparse(const tsr_sparse *m, const tsr_i32f32 *v, tsr_i32f32 *out)
{
    for (size_t i = 0; i < m->rows; i++) {
        tsr_i32f32 acc = 0;
        for (size_t q = m->row_ptr[i]; q < m->row_ptr[i + 1]; q++)
            acc = tsr_i32f32_sat_add(acc, tsr_i32f32_sat_mul(v[m->pairs[q].col], m->pairs[q].val));
        out[i] = acc;
    }
}

void tsr_row_sum_sparse(const tsr_sparse *m, tsr_i32f32 *out)
{
    for (size_t i = 0; i < m->rows; i++) {
        uint64_t s = 0;
        for (size_t q = m->row_ptr[i]; q < m->row_ptr[i + 1]; q++)
            s += (uint64_t)m->pairs[q].val;
        out[i] = (s >> 63) ? -(int64_t)(~s) - 1 : (int64_t)s;
    }
}

int tsr_col_clip_sparse(const tsr_sparse *m, const tsr_i32f32 *threshold, tsr_sparse *out)
{
    int rc;
    if (tsr_sparse_validate(m) || (m->cols && !threshold))
        return TSR_EINVAL;
    if ((rc = out_begin(out, m->rows, m->cols, tsr_sparse_nnz(m))) != TSR_OK)
        return rc;
    size_t k = 0;
    for (size_t i = 0; i < m->rows; i++) {
        for (size_t q = m->row_ptr[i]; q < m->row_ptr[i + 1]; q++) {
            tsr_pair e = m->pairs[q];
            tsr_i32f32 t = threshold[e.col];
            if (t < e.val) {
                if (t <= 0)
                    continue;
                e.val = t;
            }
            out->pairs[k++] = e;
        }
        out->row_ptr[i + 1] = k;
    }
    return TSR_OK;
}

size_t tsr_interpolate_sparse_ws_size(size_t cols)
{
    return 2 * cols * sizeof(tsr_i32f32);
}

static void densify(const tsr_sparse *m, size_t i, tsr_i32f32 *row)
{
    for (size_t q = m->row_ptr[i]; q < m->row_ptr[i + 1]; q++)
        row[m->pairs[q].col] = m->pairs[q].val;
}

int tsr_interpolate_sparse(const tsr_sparse *mat1, const tsr_sparse *mat2, tsr_i32f32 ratio,
                           tsr_sparse *out, void *workspace)
{
    int rc;
    if (tsr_sparse_validate(mat1) || tsr_sparse_validate(mat2) || mat1->rows != mat2->rows ||
        mat1->cols != mat2->cols)
        return TSR_EINVAL;
    if (ratio == 0)
        return sparse_copy(mat1, out);
    if (ratio == ONE)
        return sparse_copy(mat2, out);
    size_t rows = mat1->rows, cols = mat1->cols;
    if (cols > 0 && !workspace)
        return TSR_EINVAL;
    if ((rc = out_begin(out, rows, cols, 0)) != TSR_OK)
        return rc;
    tsr_i32f32 *r1 = workspace, *r2 = r1 + cols;
    size_t k = 0;
    for (size_t i = 0; i < rows; i++) {
        memset(r1, 0, 2 * cols * sizeof *r1);
        densify(mat1, i, r1);
        densify(mat2, i, r2);
        for (size_t j = 0; j < cols; j++) {
            tsr_i32f32 v = lerp(r1[j], r2[j], ratio);
            if (v > 0) {
                if (k >= out->cap)
                    return TSR_ECAPACITY;
                out->pairs[k].col = (uint32_t)j;
                out->pairs[k++].val = v;
            }
        }
        out->row_ptr[i + 1] = k;
    }
    return TSR_OK;
}

size_t tsr_mat_ema_alpha_sparse_ws_size(size_t cols)
{
    return cols * sizeof(tsr_i32f32);
}

int tsr_mat_ema_alpha_sparse(const tsr_sparse *new_m, const tsr_sparse *old_m,
                             const tsr_i32f32 *alpha, size_t cols, tsr_sparse *out, void *workspace)
{
    int rc;
    if (tsr_sparse_validate(new_m) || tsr_sparse_validate(old_m) || new_m->cols > cols ||
        old_m->cols > cols)
        return TSR_EINVAL;
    /* The chain zips the two row lists: the shorter one decides. */
    size_t rows = new_m->rows < old_m->rows ? new_m->rows : old_m->rows;
    if (rows > 0 && (!alpha || (cols > 0 && !workspace)))
        return TSR_EINVAL;
    if ((rc = out_begin(out, rows, cols, rows ? new_m->row_ptr[rows] : 0)) != TSR_OK)
        return rc;
    tsr_i32f32 *dec = workspace;
    size_t k = 0;
    for (size_t i = 0; i < rows; i++) {
        const tsr_i32f32 *a = alpha + i * cols;
        memset(dec, 0, cols * sizeof *dec);
        for (size_t q = old_m->row_ptr[i]; q < old_m->row_ptr[i + 1]; q++) {
            size_t j = old_m->pairs[q].col;
            dec[j] = tsr_i32f32_sat_mul(tsr_i32f32_sat_sub(ONE, a[j]), old_m->pairs[q].val);
        }
        for (size_t q = new_m->row_ptr[i]; q < new_m->row_ptr[i + 1]; q++) {
            size_t j = new_m->pairs[q].col;
            tsr_i32f32 v = ema_alpha_step(dec[j], a[j], new_m->pairs[q].val);
            if (v > 0) {
                out->pairs[k].col = (uint32_t)j;
                out->pairs[k++].val = v;
            }
        }
        out->row_ptr[i + 1] = k;
    }
    return TSR_OK;
}

/* ================================ further epoch helpers ====================================== */

void tsr_vec_mul(const tsr_i32f32 *a, const tsr_i32f32 *b, size_t n, tsr_i32f32 *out)
{
    for (size_t i = 0; i < n; i++) {
        tsr_i32f32 r;
        out[i] = tsr_i32f32_checked_mul(a[i], b[i], &r) ? 0 : r;
    }
}

void tsr_row_hadamard_sparse(tsr_sparse *m, const tsr_i32f32 *v)
{
    for (size_t i = 0; i < m->rows; i++)
        for (size_t q = m->row_ptr[i]; q < m->row_ptr[i + 1]; q++)
            m->pairs[q].val = tsr_i32f32_sat_mul(m->pairs[q].val, v[i]);
}

size_t tsr_col_ws_size(size_t cols)
{
    return cols * sizeof(tsr_i32f32);
}

/* Divide every value by colv[col] where that is non-zero. */
static void divide_by_col(tsr_sparse *m, const tsr_i32f32 *colv)
{
    for (size_t k = 0; k < tsr_sparse_nnz(m); k++)
        if (colv[m->pairs[k].col] != 0)
            m->pairs[k].val = tsr_i32f32_safe_div(m->pairs[k].val, colv[m->pairs[k].col]);
}

int tsr_inplace_col_normalize_sparse(tsr_sparse *m, void *workspace)
{
    if (tsr_sparse_validate(m) || (m->cols && !workspace))
        return TSR_EINVAL;
    tsr_i32f32 *sum = workspace;
    memset(sum, 0, m->cols * sizeof *sum);
    for (size_t k = 0; k < tsr_sparse_nnz(m); k++)
        sum[m->pairs[k].col] = tsr_i32f32_sat_add(sum[m->pairs[k].col], m->pairs[k].val);
    divide_by_col(m, sum);
    return TSR_OK;
}

int tsr_inplace_col_max_upscale_sparse(tsr_sparse *m, void *workspace)
{
    if (tsr_sparse_validate(m) || (m->cols && !workspace))
        return TSR_EINVAL;
    tsr_i32f32 *max = workspace;
    memset(max, 0, m->cols * sizeof *max);
    for (size_t k = 0; k < tsr_sparse_nnz(m); k++)
        if (m->pairs[k].val > max[m->pairs[k].col])
            max[m->pairs[k].col] = m->pairs[k].val;
    divide_by_col(m, max);
    return TSR_OK;
}

int tsr_mat_ema_sparse(const tsr_sparse *new_m, const tsr_sparse *old_m, tsr_i32f32 alpha,
                       tsr_sparse *out, void *workspace)
{
    int rc;
    if (tsr_sparse_validate(new_m) || tsr_sparse_validate(old_m) || new_m->rows != old_m->rows ||
        new_m->cols != old_m->cols || (new_m->cols && !workspace))
        return TSR_EINVAL;
    size_t rows = new_m->rows, cols = new_m->cols;
    if ((rc = out_begin(out, rows, cols, 0)) != TSR_OK)
        return rc;
    tsr_i32f32 one_minus = tsr_i32f32_sat_sub(ONE, alpha), *acc = workspace;
    size_t k = 0;
    for (size_t i = 0; i < rows; i++) {
        memset(acc, 0, cols * sizeof *acc);
        for (size_t q = new_m->row_ptr[i]; q < new_m->row_ptr[i + 1]; q++) {
            size_t j = new_m->pairs[q].col;
            acc[j] = tsr_i32f32_sat_add(acc[j], tsr_i32f32_sat_mul(alpha, new_m->pairs[q].val));
        }
        for (size_t q = old_m->row_ptr[i]; q < old_m->row_ptr[i + 1]; q++) {
            size_t j = old_m->pairs[q].col;
            acc[j] = tsr_i32f32_sat_add(acc[j], tsr_i32f32_sat_mul(one_minus, old_m->pairs[q].val));
        }
        for (size_t j = 0; j < cols; j++) {
            if (acc[j] > 0) {
                if (k >= out->cap)
                    return TSR_ECAPACITY;
                out->pairs[k].col = (uint32_t)j;
                out->pairs[k++].val = acc[j];
            }
        }
        out->row_ptr[i + 1] = k;
    }
    return TSR_OK;
}
