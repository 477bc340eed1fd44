/*
** atk_decide.c: the attack agents' pure decisions and measures (atk.h): the cabal's weights row,
** the stake that holds a given share, the median used by the copier advantage and how far the
** consensus moved between two epochs.
**
** Doubles are decisions and metrics only: the cabal row becomes u16 weights by explicit rounding,
** and the genesis stake of a share is exact integer arithmetic on the share in parts per billion.
** Cost O(n) per row and per consensus move, O(n log n) per median.
*/
#include <math.h>
#include <stdlib.h>

#include "atk.h"

uint32_t atk_cabal_row(const bt_pair *honest, uint32_t nh, const uint8_t *own, uint32_t n,
                       uint32_t self, double own_weight, bt_pair *out)
{
    uint32_t nown = 0;
    double hsum = 0.0;
    for (uint32_t j = 0; j < n; j++)
        nown += own[j] && j != self;
    for (uint32_t k = 0; k < nh; k++)
        if (honest[k].uid < n && !own[honest[k].uid] && honest[k].uid != self)
            hsum += honest[k].value;
    if (nown == 0) { /* nothing of its own to favour: it submits what it observed */
        for (uint32_t k = 0; k < nh; k++)
            out[k] = honest[k];
        return nh;
    }
    if (!(hsum > 0.0))
        own_weight = 1.0; /* no honest miner answered: everything goes to its own */
    /* Per-uid weight w_j (own: own_weight / nown; honest: (1 - own_weight) h_j / sum h), then
    ** the same max-scaling as a validator's software: round(65535 w_j / max w). */
    double wo = own_weight / (double)nown, wmax = 0.0;
    double scale_h = hsum > 0.0 ? (1.0 - own_weight) / hsum : 0.0;
    for (uint32_t k = 0; k < nh; k++)
        if (honest[k].uid < n && !own[honest[k].uid] && honest[k].uid != self &&
            (double)honest[k].value * scale_h > wmax)
            wmax = (double)honest[k].value * scale_h;
    if (wo > wmax)
        wmax = wo;
    if (!(wmax > 0.0))
        return 0;
    /* Merge own uids and the honest pairs in ascending uid order (honest rows are ascending). */
    uint32_t cnt = 0, k = 0;
    for (uint32_t j = 0; j < n; j++) {
        double w = 0.0;
        while (k < nh && honest[k].uid < j)
            k++;
        if (j == self)
            continue;
        if (own[j])
            w = wo;
        else if (k < nh && honest[k].uid == j)
            w = (double)honest[k].value * scale_h;
        long v = lround(65535.0 * w / wmax);
        if (v <= 0)
            continue;
        out[cnt].uid = (uint16_t)j;
        out[cnt].value = (uint16_t)(v > 65535 ? 65535 : v);
        cnt++;
    }
    return cnt;
}

uint64_t atk_share_stake(uint64_t base, double share)
{
    if (!(share > 0.0) || !(share < 1.0))
        return 0;
    /* The share in parts per billion (so 0.6 means exactly 3/2 of base), then
    ** floor(base * ppb / (1e9 - ppb)) exactly: base = q * den + r with r * ppb < 1e18. */
    uint64_t ppb = (uint64_t)llround(share * 1e9);
    if (ppb == 0)
        return 0;
    if (ppb >= 1000000000u)
        return UINT64_MAX;
    uint64_t den = 1000000000u - ppb, q = base / den, r = base % den;
    if (q > (UINT64_MAX - (r * ppb) / den) / ppb)
        return UINT64_MAX;
    return q * ppb + (r * ppb) / den;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double atk_median(double *v, size_t n)
{
    if (n == 0)
        return 0.0;
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double atk_consensus_move(const uint16_t *prev, uint32_t np, const uint16_t *cur, uint32_t nc)
{
    double sp = 0.0, sc = 0.0, d = 0.0;
    for (uint32_t j = 0; j < np; j++)
        sp += prev[j];
    for (uint32_t j = 0; j < nc; j++)
        sc += cur[j];
    if (!(sp > 0.0) || !(sc > 0.0))
        return 0.0;
    uint32_t n = np > nc ? np : nc;
    for (uint32_t j = 0; j < n; j++)
        d += fabs((j < nc ? cur[j] / sc : 0.0) - (j < np ? prev[j] / sp : 0.0));
    return 0.5 * d;
}
