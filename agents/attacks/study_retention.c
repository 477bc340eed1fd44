/*
** study_retention.c: the §6.3 retention study through the real Yuma epoch (study_retention.h
** states the readings of the source; REPRODUCTIONS.md explains them).
**
** Layout: the draws are made once in sr_new (per validator: one stake draw, one weight draw per
** server, each keyed by (seed, validator uid, purpose) through the engine's per-event RNG);
** sr_eval only rescales them, writes the u16 weight rows into a fixed CSR (every validator row
** holds every server, zero weights included, so the epoch's input size never changes) and runs
** one epoch in a workspace allocated once. Doubles are behaviour (draws, ratios), not money.
*/
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "rng.h"
#include "study_retention.h"
#include "tsr_yuma.h"

/* RNG purposes of this study (never renumber: part of the reproducibility contract). */
enum { SR_PURPOSE_STAKE = RNG_PURPOSE_USER + 60, SR_PURPOSE_WEIGHTS = RNG_PURPOSE_USER + 61 };

#define SR_STAKE_UNITS 1e18 /* the whole stake in base units (fits u64 with room) */

struct sr_study {
    sr_config cfg;         /* the configuration */
    uint32_t n, v, srv;    /* neurons, validators, servers */
    double *z_stake;       /* v stake draws */
    double *z_w;           /* v * srv weight draws, row-major by validator */
    uint64_t *alpha_stake; /* n stakes for the epoch */
    uint64_t *last_update; /* n: 1 (weights set after every registration) */
    uint64_t *registered;  /* n: 0 */
    bool *permit;          /* n: validators hold permits from a previous epoch */
    size_t *row_ptr;       /* n + 1 CSR offsets */
    tsr_yuma_pair *pairs;  /* v * srv weight pairs */
    tsr_i32f32 *incentive; /* n raw incentive */
    tsr_i32f32 *dividends; /* n raw dividends */
    tsr_yuma_ws *ws;       /* epoch workspace */
    /* Memo of (I_H, D_H) per grid point for one (kappa, beta, sigma_W): xi does not enter the
    ** epoch, so settings that differ only in xi reuse every epoch already run. */
    double *memo;                 /* n_sh * (steps + 1)^2 pairs (NaN: not run), or NULL */
    uint32_t memo_sh, memo_steps; /* its shape */
    sr_setting memo_key;          /* the setting it holds (xi ignored) */
    sr_visit_fn visit;            /* told of every point a search visits, or NULL */
    void *visit_ctx;              /* its context */
};

static int draw(sr_study *s)
{
    gsl_rng *r = rng_event_new();
    if (!r)
        return -1;
    for (uint32_t i = 0; i < s->v; i++) {
        rng_key k = {.seed = s->cfg.seed, .run_index = 0, .purpose = SR_PURPOSE_STAKE, .entity = i};
        rng_event_reset(r, &k, 0);
        s->z_stake[i] = gsl_ran_gaussian(r, 1.0);
        k.purpose = SR_PURPOSE_WEIGHTS;
        rng_event_reset(r, &k, 0);
        for (uint32_t j = 0; j < s->srv; j++)
            s->z_w[(size_t)i * s->srv + j] = gsl_ran_gaussian(r, 1.0);
    }
    gsl_rng_free(r);
    return 0;
}

static void fixed_inputs(sr_study *s)
{
    for (uint32_t u = 0; u < s->n; u++) {
        s->last_update[u] = 1, s->registered[u] = 0, s->permit[u] = u < s->v;
        s->row_ptr[u] = (size_t)(u < s->v ? u : s->v) * s->srv;
    }
    s->row_ptr[s->n] = (size_t)s->v * s->srv;
    for (uint32_t i = 0; i < s->v; i++)
        for (uint32_t j = 0; j < s->srv; j++)
            s->pairs[(size_t)i * s->srv + j].uid = (uint16_t)(s->v + j);
}

int sr_new(const sr_config *c, sr_study **out, char *err, size_t errlen)
{
    *out = NULL;
    if (c->validators < 2 || c->neurons < c->validators + 2 || c->neurons > 4096) {
        snprintf(err, errlen, "retention: need 2 <= validators <= neurons - 2 <= 4094");
        return -1;
    }
    sr_study *s = calloc(1, sizeof *s);
    if (!s)
        goto oom;
    s->cfg = *c, s->n = c->neurons, s->v = c->validators, s->srv = c->neurons - c->validators;
    size_t n = s->n, nnz = (size_t)s->v * s->srv;
    s->z_stake = calloc(s->v, sizeof *s->z_stake);
    s->z_w = calloc(nnz, sizeof *s->z_w);
    s->alpha_stake = calloc(n, sizeof *s->alpha_stake);
    s->last_update = calloc(n, sizeof *s->last_update);
    s->registered = calloc(n, sizeof *s->registered);
    s->permit = calloc(n, sizeof *s->permit);
    s->row_ptr = calloc(n + 1, sizeof *s->row_ptr);
    s->pairs = calloc(nnz, sizeof *s->pairs);
    s->incentive = calloc(n, sizeof *s->incentive);
    s->dividends = calloc(n, sizeof *s->dividends);
    s->ws = tsr_yuma_ws_new(n, nnz, 0, NULL, NULL);
    if (!s->z_stake || !s->z_w || !s->alpha_stake || !s->last_update || !s->registered ||
        !s->permit || !s->row_ptr || !s->pairs || !s->incentive || !s->dividends || !s->ws ||
        draw(s) != 0)
        goto oom;
    fixed_inputs(s);
    *out = s;
    return 0;
oom:
    sr_free(s);
    snprintf(err, errlen, "retention: out of memory");
    return -1;
}

void sr_free(sr_study *s)
{
    if (!s)
        return;
    free(s->z_stake), free(s->z_w), free(s->alpha_stake), free(s->last_update);
    free(s->registered), free(s->permit), free(s->row_ptr), free(s->pairs);
    free(s->incentive), free(s->dividends);
    tsr_yuma_ws_free(s->ws);
    free(s->memo);
    free(s);
}

/* Nodes of the honest side: round(share * count), leaving both sides at least one. */
static uint32_t honest_count(double s_h, uint32_t count)
{
    double x = floor(s_h * (double)count + 0.5);
    uint32_t h = x < 1.0 ? 1u : (uint32_t)x;
    return h > count - 1 ? count - 1 : h;
}

/* Stakes normalised per side; an all-zero side (every draw clamped) splits evenly. */
static void set_stakes(sr_study *s, double s_h, uint32_t hv)
{
    double sigma = s->cfg.stake_sigma, sum[2] = {0.0, 0.0};
    for (uint32_t i = 0; i < s->v; i++)
        sum[i >= hv] += fmax(0.0, 1.0 + sigma * s->z_stake[i]);
    for (uint32_t i = 0; i < s->v; i++) {
        int side = i >= hv;
        double share = side ? 1.0 - s_h : s_h, cnt = side ? (double)(s->v - hv) : (double)hv;
        double x = fmax(0.0, 1.0 + sigma * s->z_stake[i]);
        double st = sum[side] > 0.0 ? share * x / sum[side] : share / cnt;
        s->alpha_stake[i] = (uint64_t)floor(st * SR_STAKE_UNITS);
    }
}

/* Validator i's row: the honest-server part scaled to `to_honest`, the rest to 1 - it, then
** max-upscaled to u16 as set_weights stores it. An all-zero part (every draw clamped) splits
** evenly. Two passes: the row maximum is needed before any u16 is written. */
static void set_row(sr_study *s, uint32_t i, uint32_t hs, double sigma, double to_honest)
{
    const double *z = s->z_w + (size_t)i * s->srv;
    tsr_yuma_pair *p = s->pairs + (size_t)i * s->srv;
    double sum[2] = {0.0, 0.0}, mx = 0.0;
    for (uint32_t j = 0; j < s->srv; j++)
        sum[j >= hs] += fmax(0.0, 1.0 + sigma * z[j]);
    double part[2] = {to_honest, 1.0 - to_honest}, cnt[2] = {(double)hs, (double)(s->srv - hs)};
    double scale[2], even[2];
    for (int q = 0; q < 2; q++) {
        scale[q] = sum[q] > 0.0 ? part[q] / sum[q] : 0.0;
        even[q] = sum[q] > 0.0 ? -1.0 : part[q] / cnt[q];
    }
    for (uint32_t j = 0; j < s->srv; j++) {
        int q = j >= hs;
        double wj = even[q] >= 0.0 ? even[q] : scale[q] * fmax(0.0, 1.0 + sigma * z[j]);
        mx = fmax(mx, wj);
    }
    for (uint32_t j = 0; j < s->srv; j++) {
        int q = j >= hs;
        double wj = even[q] >= 0.0 ? even[q] : scale[q] * fmax(0.0, 1.0 + sigma * z[j]);
        p[j].value = mx > 0.0 ? (uint16_t)floor(wj / mx * 65535.0 + 0.5) : 0;
    }
}

static uint16_t to_u16(double x)
{
    return (uint16_t)floor(x * 65535.0);
}

static double share_of(const tsr_i32f32 *v, uint32_t lo, uint32_t hi, uint32_t n)
{
    double part = 0.0, all = 0.0;
    for (uint32_t u = 0; u < n; u++) {
        double x = (double)v[u];
        all += x;
        if (u >= lo && u < hi)
            part += x;
    }
    return all > 0.0 ? part / all : 0.0;
}

int sr_eval(sr_study *s, const sr_setting *set, double s_h, double w_h, double w_c, sr_point *out,
            char *err, size_t errlen)
{
    uint32_t hv = honest_count(s_h, s->v), hs = honest_count(s_h, s->srv);
    set_stakes(s, s_h, hv);
    for (uint32_t i = 0; i < s->v; i++)
        set_row(s, i, hs, set->weight_sigma, i < hv ? w_h : 1.0 - w_c);
    tsr_yuma_params p;
    tsr_yuma_params_default(&p);
    p.kappa = to_u16(set->kappa), p.bonds_penalty = to_u16(set->bonds_penalty);
    p.bonds_moving_average = 0; /* no EMA: the new bonds are the instant bonds */
    p.max_allowed_validators = (uint16_t)s->v;
    p.yuma3 = s->cfg.yuma3 != 0, p.liquid_alpha = false;
    tsr_yuma_state st = {.n = s->n,
                         .current_block = 2,
                         .last_mechanism_step_block = 1,
                         .alpha_stake = s->alpha_stake,
                         .last_update = s->last_update,
                         .block_at_registration = s->registered,
                         .validator_permit = s->permit,
                         .weights = {s->row_ptr, s->pairs},
                         .bonds = {NULL, NULL}};
    tsr_yuma_out o;
    memset(&o, 0, sizeof o);
    o.raw_incentive = s->incentive, o.raw_dividends = s->dividends;
    int rc =
        tsr_yuma_epoch(&p, &st, 1000000000u, &o, tsr_yuma_ws_mem(s->ws), tsr_yuma_ws_bytes(s->ws));
    if (rc != 0) {
        snprintf(err, errlen, "retention: the Yuma epoch failed (code %d)", rc);
        return -1;
    }
    out->i_h = share_of(s->incentive, s->v, s->v + hs, s->n);
    out->d_h = share_of(s->dividends, 0, hv, s->n);
    out->e_h = set->xi * out->d_h + (1.0 - set->xi) * out->i_h;
    out->retained = out->e_h >= s_h;
    return 0;
}

int sr_memo(sr_study *s, uint32_t n_sh, uint32_t steps)
{
    free(s->memo);
    s->memo = NULL, s->memo_sh = 0, s->memo_steps = 0;
    if (n_sh == 0)
        return 0;
    size_t g = (size_t)steps + 1, n = (size_t)n_sh * g * g * 2;
    s->memo = malloc(n * sizeof *s->memo);
    if (!s->memo)
        return -1;
    s->memo_sh = n_sh, s->memo_steps = steps;
    s->memo_key.kappa = NAN; /* matches no setting: the first lookup clears the memo */
    return 0;
}

/* The memo slot of a point, or NULL when the memo is off or the point is outside its shape.
** A new (kappa, beta, sigma_W) clears it. */
static double *memo_slot(sr_study *s, const sr_setting *set, const sr_grid *g, uint32_t i)
{
    if (!s->memo || g->sh_index >= s->memo_sh || g->steps != s->memo_steps)
        return NULL;
    size_t n = (size_t)g->steps + 1;
    if (set->kappa != s->memo_key.kappa || set->bonds_penalty != s->memo_key.bonds_penalty ||
        set->weight_sigma != s->memo_key.weight_sigma) {
        for (size_t k = 0; k < (size_t)s->memo_sh * n * n * 2; k++)
            s->memo[k] = NAN;
        s->memo_key = *set;
    }
    return s->memo + (((size_t)g->sh_index * n + g->wc_index) * n + i) * 2;
}

void sr_on_visit(sr_study *s, sr_visit_fn fn, void *ctx)
{
    s->visit = fn, s->visit_ctx = ctx;
}

static int retained_at(sr_study *s, const sr_setting *set, const sr_grid *g, uint32_t i,
                       sr_need *nd, int *ret, char *err, size_t errlen)
{
    sr_point pt;
    double *m = memo_slot(s, set, g, i);
    if (m && !isnan(m[0])) {
        pt.i_h = m[0], pt.d_h = m[1];
    } else {
        nd->evals++;
        if (sr_eval(s, set, g->s_h, (double)i / (double)g->steps,
                    (double)g->wc_index / (double)g->steps, &pt, err, errlen) != 0)
            return -1;
        if (m)
            m[0] = pt.i_h, m[1] = pt.d_h;
    }
    double e_h = set->xi * pt.d_h + (1.0 - set->xi) * pt.i_h;
    if (s->visit)
        s->visit(s->visit_ctx, i, e_h);
    *ret = e_h >= g->s_h;
    return 0;
}

int sr_needed(sr_study *s, const sr_setting *set, const sr_grid *g, int bisect, sr_need *out,
              char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->w_h_index = -1;
    int ret = 0, prev = 0;
    uint32_t steps = g->steps;
    if (!bisect) {
        for (uint32_t i = 0; i <= steps; i++) {
            if (retained_at(s, set, g, i, out, &ret, err, errlen) != 0)
                return -1;
            if (ret && out->w_h_index < 0)
                out->w_h_index = (int)i;
            if (!ret && prev)
                out->reversals++;
            prev = ret;
        }
        return 0;
    }
    /* Invariant: retention fails at lo (lo = -1: before the grid) and holds at hi. */
    if (retained_at(s, set, g, steps, out, &ret, err, errlen) != 0)
        return -1;
    if (!ret)
        return 0;
    long lo = -1, hi = (long)steps;
    while (hi - lo > 1) {
        long mid = lo + (hi - lo) / 2;
        if (retained_at(s, set, g, (uint32_t)mid, out, &ret, err, errlen) != 0)
            return -1;
        if (ret)
            hi = mid;
        else
            lo = mid;
    }
    out->w_h_index = (int)hi;
    return 0;
}
