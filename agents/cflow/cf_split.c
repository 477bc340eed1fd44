/*
** cf_split.c: the split of a node's kept amount among its contributors (spec mechanisms §4.5
** "within a node") and the Gini coefficient of the metrics.
**
** Fixed weights: tsr_split_cumulative with the weights as numerators and their sum as the
** denominator (Drips cumulative: nothing left over). Shapley: the declared utility is
** v(S) = floor(2^30 (w(S) / w(N))^p), monotone in S so every Shapley value is >= 0; exact
** numerators on the denominator n! from tsr_shapley_exact for n <= 16 contributors (2^n table),
** otherwise the sums of marginal contributions over K permutations drawn from the node's own
** stream (Castro et al.'s permutation estimator; the sums, not averages, are the weights, so no
** rounding happens before the split), then tsr_split_largest_w128 hands out the amount
** exactly with the largest-remainder method §4.5 asks for (fixed weights use the Drips rule).
** Weights are computed once when a node is created (contributors never change).
** Cost: O(2^n n) or O(K n) per node once; O(n) per split.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "cf_int.h"

#define CF_UTILITY_SCALE 1073741824.0 /* 2^30: v(N) */

static int64_t utility(double ws, double wtotal, double p)
{
    return (int64_t)floor(CF_UTILITY_SCALE * pow(ws / wtotal, p));
}

static int shapley_exact(const uint64_t *w, uint32_t n, double p, tsr_u128 *out)
{
    size_t size = (size_t)1 << n;
    int64_t *v = malloc(size * sizeof *v);
    double *ws = malloc(size * sizeof *ws);
    if (!v || !ws) {
        free(v), free(ws);
        return -1;
    }
    double total = 0;
    for (uint32_t i = 0; i < n; i++)
        total += (double)w[i];
    ws[0] = 0, v[0] = 0;
    for (size_t mask = 1; mask < size; mask++) {
        unsigned low = 0;
        while (!((mask >> low) & 1u))
            low++;
        ws[mask] = ws[mask & (mask - 1)] + (double)w[low];
        v[mask] = utility(ws[mask], total, p);
    }
    int rc = tsr_shapley_exact(v, n, out) == TSR_OK ? 0 : -1;
    free(v), free(ws);
    return rc;
}

static int shapley_sampled(const uint64_t *w, uint32_t n, double p, uint32_t k, gsl_rng *r,
                           tsr_u128 *out)
{
    uint32_t *order = malloc(n * sizeof *order);
    uint64_t *sum = calloc(n, sizeof *sum);
    if (!order || !sum || !r) {
        free(order), free(sum);
        return -1;
    }
    double total = 0;
    for (uint32_t i = 0; i < n; i++)
        total += (double)w[i], order[i] = i;
    for (uint32_t t = 0; t < k; t++) {
        gsl_ran_shuffle(r, order, n, sizeof *order);
        double prefix = 0;
        int64_t prev = 0;
        for (uint32_t j = 0; j < n; j++) {
            prefix += (double)w[order[j]];
            int64_t cur = utility(prefix, total, p);
            sum[order[j]] += (uint64_t)(cur - prev); /* v is monotone: cur >= prev */
            prev = cur;
        }
    }
    for (uint32_t i = 0; i < n; i++)
        out[i] = tsr_u128_from_u64(sum[i]);
    free(order), free(sum);
    return 0;
}

int cf_shapley_weights(const uint64_t *w, uint32_t n, double p, uint32_t k, void *rng,
                       tsr_u128 *out)
{
    if (n == 0 || !w || !out || !(p > 0))
        return -1;
    for (uint32_t i = 0; i < n; i++)
        if (w[i] == 0)
            return -1;
    if (n <= 16)
        return shapley_exact(w, n, p, out);
    return shapley_sampled(w, n, p, k ? k : 1, rng, out);
}

int cf__node_weights(cf_model *m, uint32_t n)
{
    const cf_node *d = &m->node[n];
    const uint64_t *w = m->w + d->wofs;
    tsr_u128 *sw = m->sw + d->wofs;
    if (!m->cfg.shapley) {
        for (uint32_t j = 0; j < d->members; j++)
            sw[j] = tsr_u128_from_u64(w[j]);
        return 0;
    }
    rng_key key = {.seed = m->cfg.seed,
                   .run_index = m->cfg.run_index,
                   .purpose = CF_PURPOSE_SHAPLEY,
                   .entity = (uint64_t)n + 1};
    rng_event_reset(m->ev, &key, 0);
    return cf_shapley_weights(w, d->members, m->cfg.shapley_exponent, m->cfg.shapley_permutations,
                              m->ev, sw);
}

int cf__split(cf_model *m, uint32_t n, uint64_t amount)
{
    const cf_node *d = &m->node[n];
    uint64_t kept = 0;
    if (!m->cfg.shapley) {
        const uint64_t *w = m->w + d->wofs;
        uint64_t denom = 0;
        for (uint32_t j = 0; j < d->members; j++)
            denom += w[j];
        if (tsr_split_cumulative(amount, w, d->members, denom, m->split, &kept) != TSR_OK)
            return -1;
    } else {
        tsr_u128 rem[64]; /* members <= 64 (m->split's size) */
        if (d->members > 64 || tsr_split_largest_w128(amount, m->sw + d->wofs, d->members, m->split,
                                                      rem, &kept) != TSR_OK)
            return -1;
    }
    return kept == 0 ? 0 : -1; /* the weights always cover the whole amount */
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

double cf_gini(const uint64_t *x, size_t n)
{
    if (n < 2)
        return 0.0;
    uint64_t *s = malloc(n * sizeof *s);
    if (!s)
        return 0.0;
    memcpy(s, x, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp_u64);
    double num = 0, sum = 0;
    for (size_t i = 0; i < n; i++) {
        num += (double)(2 * (i + 1)) * (double)s[i];
        sum += (double)s[i];
    }
    free(s);
    if (sum <= 0)
        return 0.0;
    return num / ((double)n * sum) - (double)(n + 1) / (double)n;
}
