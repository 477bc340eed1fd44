/*
** ag_sybil.c: spec mechanisms §6.4's Sybil gain on the AiGen validators' reward channel, as a
** counterfactual that moves nothing. After each settlement the epoch is settled again with the
** largest-staked honest validator split into k identities (stake floor(s/k) each, the remainder
** units to the first; every identity submits that validator's scores); the gain is the k
** identities' summed accuracy reward over the validator's own reward in the real settlement,
** summed over the epochs of a sample period. The reward is linear in stake (sigma_v a_v^gamma),
** so the gain is 1 up to the pool's rounding units: splitting identities gains nothing
** (§6.2(f)). Cost: one more settlement of V + k - 1 validators per epoch.
*/
#include <stdlib.h>
#include <string.h>

#include "ag_int.h"

struct ag_sybil {
    uint32_t k;           /* identities */
    uint64_t *stake;      /* [V + k - 1] */
    uint32_t *scores;     /* [(V + k - 1) * C] */
    uint64_t *out_buf;    /* [2 C + 4 (V + k - 1)] */
    tsr_aigen_out out;    /* views into out_buf */
    void *ws;             /* settlement workspace */
    size_t ws_size;       /* its size */
    double split, single; /* summed rewards since the last sample */
};

ag_sybil *ag__sybil_new(uint32_t nval, uint32_t nctrl, uint32_t k)
{
    if (k < 2)
        return NULL;
    ag_sybil *y = calloc(1, sizeof *y);
    if (!y)
        return NULL;
    size_t n = (size_t)nval + k - 1, c = nctrl;
    y->k = k;
    y->stake = calloc(n, sizeof *y->stake);
    y->scores = calloc(n * c + 1, sizeof *y->scores);
    y->out_buf = calloc(2 * c + 4 * n, sizeof *y->out_buf);
    y->ws_size = tsr_aigen_workspace_size(n, c);
    y->ws = malloc(y->ws_size ? y->ws_size : 1);
    if (!y->stake || !y->scores || !y->out_buf || !y->ws) {
        ag__sybil_free(y);
        return NULL;
    }
    uint64_t *b = y->out_buf;
    y->out =
        (tsr_aigen_out){b, b + c, b + 2 * c, b + 2 * c + n, b + 2 * c + 2 * n, b + 2 * c + 3 * n};
    return y;
}

void ag__sybil_free(ag_sybil *y)
{
    if (!y)
        return;
    free(y->stake), free(y->scores), free(y->out_buf), free(y->ws), free(y);
}

/* The honest validator with the largest stake (the lowest index among equals), or UINT32_MAX. */
static uint32_t target(const ag_model *m)
{
    uint32_t best = UINT32_MAX;
    for (uint32_t v = 0; v < m->nval; v++)
        if (m->strategy[v] == AG_HONEST && m->stake[v] > 0 &&
            (best == UINT32_MAX || m->stake[v] > m->stake[best]))
            best = v;
    return best;
}

int ag__sybil_epoch(ag_model *m, const uint32_t *scores, const int64_t *audit)
{
    ag_sybil *y = m->sybil;
    uint32_t v = y ? target(m) : UINT32_MAX;
    if (v == UINT32_MAX || m->out.val_reward[v] == 0)
        return 0; /* no honest stake, or nothing to compare with */
    const size_t V = m->nval, C = m->cfg.controllers, n = V + y->k - 1;
    memcpy(y->stake, m->stake, V * sizeof *y->stake);
    memcpy(y->scores, scores, V * C * sizeof *y->scores);
    uint64_t piece = m->stake[v] / y->k;
    y->stake[v] = piece + m->stake[v] % y->k;
    for (size_t i = V; i < n; i++) {
        y->stake[i] = piece;
        memcpy(y->scores + i * C, scores + (size_t)v * C, C * sizeof *y->scores);
    }
    tsr_aigen_totals t;
    if (tsr_aigen_epoch(&m->cfg.settle, n, C, m->spend, y->stake, y->scores, audit, y->ws,
                        y->ws_size, &y->out, &t) != TSR_OK)
        return -1;
    double got = (double)y->out.val_reward[v];
    for (size_t i = V; i < n; i++)
        got += (double)y->out.val_reward[i];
    y->split += got, y->single += (double)m->out.val_reward[v];
    return 0;
}

int ag__sybil_gain(ag_model *m, double *gain)
{
    ag_sybil *y = m->sybil;
    if (!y || y->single <= 0.0)
        return 0;
    *gain = y->split / y->single;
    y->split = y->single = 0.0;
    return 1;
}
