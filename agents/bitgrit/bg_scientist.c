/*
** bg_scientist.c: data scientists — their genesis draw (latent skill and effort, completion
** probability, cost, wallet, belief), the entry decision of spec mechanisms §1.3 and learning
** from results. Effort e ~ U(effort_min, effort_max) raises both the completion probability,
** complete_min + (complete_max - complete_min) e, and the score, by effort_score e; her initial
** belief is her percentile of skill + effort_score e (what the ranking sees) plus noise.
**
** Entry: a scientist enters when expected prize + expected bonus - expected forfeit exceeds her
** cost per competition (all in USD, BGR valued at bgr_price_usd) and her wallet covers the
** stake. She expects M completed entries (an EMA of past entrant counts times the field's mean
** completion probability) and holds her percentile x ~ N(q, belief_noise^2) (at least 0.02):
** rank r when x lies in (1 - r/M, 1 - (r-1)/M] (rank 1 takes the upper tail), T3 when x lies
** below 1 - max(W, floor(q_keep M))/M, so prize and forfeit expectations are smooth in q,
** stake and prize. Learning: after a
** completed entry, q moves toward the realised percentile 1 - (rank - 1/2) / M by the EMA
** rate. A larger stake lowers and a larger prize raises the value for every scientist, so with
** fixed beliefs participation is monotone in both (tested).
** Cost: O(n log n) at genesis (percentiles), O(9) per decision.
*/
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "bg_int.h"

/* P(x > a) for x ~ N(q, sd^2). */
static double above(double a, double q, double sd)
{
    return 1.0 - gsl_cdf_ugaussian_P((a - q) / sd);
}

/* E[clamp(pf slope (2x - 1), +-clip)] for x ~ N(q, sd^2) on 32 percentile bins. */
static double numerai_rate(const bg_entry_view *v, double sd)
{
    enum { BINS = 32 };
    double e = 0.0, below = 0.0;
    for (int k = 0; k < BINS; k++) {
        double up = k == BINS - 1 ? 1.0 : 1.0 - above((double)(k + 1) / BINS, v->belief, sd);
        double mid = ((double)k + 0.5) / BINS;
        double r = v->nm_pf * v->nm_slope * (2.0 * mid - 1.0);
        r = r > v->nm_clip ? v->nm_clip : (r < -v->nm_clip ? -v->nm_clip : r);
        e += (up - below) * r;
        below = up;
    }
    return e;
}

double bg_entry_value(const bg_entry_view *v)
{
    double field = v->entrants * v->p_others;
    uint32_t mc = field < 1.0 ? 1u : (uint32_t)floor(field + 0.5);
    uint32_t k = v->winners < mc ? v->winners : mc;
    double wsum = 0.0;
    for (uint32_t r = 0; r < k; r++)
        wsum += v->weight[r];
    double sd = v->spread > BG_MIN_SPREAD ? v->spread : BG_MIN_SPREAD, M = (double)mc;
    /* rank r <=> percentile x in (1 - r/M, 1 - (r-1)/M]; rank 1 takes the whole upper tail */
    double share = 0.0;
    for (uint32_t r = 1; r <= k && wsum > 0.0; r++) {
        double p_r = above(1.0 - (double)r / M, v->belief, sd) -
                     (r > 1 ? above(1.0 - (double)(r - 1) / M, v->belief, sd) : 0.0);
        share += p_r * v->weight[r - 1] / wsum;
    }
    uint32_t cut = (uint32_t)floor(v->keep * M);
    if (cut < v->winners)
        cut = v->winners;
    double low = cut < mc ? 1.0 - above(1.0 - (double)cut / M, v->belief, sd) : 0.0;
    double p = v->p_complete;
    double gain = p * share * (v->prize_usd + v->bonus_usd);
    double loss = v->numerai ? -p * v->stake_usd * numerai_rate(v, sd)
                             : ((1.0 - p) * v->f_inc + p * low * v->f_low) * v->stake_usd;
    return gain - loss - v->cost_usd;
}

int bg_scientist_enters(bg_model *m, uint32_t i, const bg_comp *c)
{
    const bg_config *g = &m->cfg;
    const bg_scientist *sc = &m->sci[i];
    if (m->bgr.balance[m->a_sci + i] < c->stake)
        return 0;
    double price = g->bgr_price_usd;
    /* the field she expects: completed entries at this stake (at least her own) */
    double p_others = 0.5 * (g->sci.complete_min + g->sci.complete_max);
    double field = m->last_entrants * p_others < 1.0 ? 1.0 : m->last_entrants * p_others;
    double at_risk = field * (double)c->stake, pf = (double)g->comp.nm_threshold / at_risk;
    bg_entry_view v = {
        .belief = sc->belief,
        .spread = g->sci.belief_noise,
        .p_complete = sc->p_complete,
        .p_others = p_others,
        .entrants = m->last_entrants,
        .winners = g->comp.winners,
        .weight = m->wnorm,
        .keep = (double)g->comp.keep_ppb / 1e9,
        .f_low = (double)g->comp.forfeit_low_ppb / 1e9,
        .f_inc = (double)g->comp.forfeit_inc_ppb / 1e9,
        .stake_usd = (double)c->stake / 1e9 * price,
        .prize_usd = (double)c->prize / 1e9 * (1.0 - (double)g->comp.fee_ppb / 1e9),
        .bonus_usd = (double)c->bonus / 1e9 * price,
        .cost_usd = sc->cost_usd,
        .numerai = g->comp.numerai_settlement,
        .nm_pf = pf < 1.0 ? pf : 1.0,
        .nm_slope = (double)g->comp.nm_mult / 1e6 * (double)g->comp.nm_scale_ppb / 1e9,
        .nm_clip = (double)g->comp.nm_clip_ppb / 1e9,
    };
    return bg_entry_value(&v) > 0.0;
}

void bg_scientist_learn(bg_model *m, uint32_t i, uint32_t rank, uint32_t completed)
{
    if (rank == 0 || completed == 0)
        return; /* an incomplete entry says nothing about skill */
    double x = 1.0 - ((double)rank - 0.5) / (double)completed;
    bg_scientist *sc = &m->sci[i];
    sc->belief += m->cfg.sci.learning_rate * (x - sc->belief);
}

typedef struct skill_rank {
    double skill; /* sort key */
    uint32_t id;  /* scientist, the tie-breaker */
} skill_rank;

static int cmp_skill(const void *a, const void *b)
{
    const skill_rank *x = a, *y = b;
    if (x->skill != y->skill)
        return x->skill < y->skill ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

/* Draws one scientist from her own setup stream. */
static int draw(bg_model *m, uint32_t i, double *belief_noise)
{
    const bg_sci_config *c = &m->cfg.sci;
    rng_key k = {m->cfg.seed, m->cfg.run_index, RNG_PURPOSE_SETUP, (uint64_t)i + 1};
    gsl_rng *r = rng_stream_new(&k);
    if (!r)
        return bg_fail(m, 0, "out of memory");
    bg_scientist *sc = &m->sci[i];
    sc->skill = gsl_ran_gaussian(r, c->skill_sd);
    sc->effort = c->effort_min + (c->effort_max - c->effort_min) * gsl_rng_uniform(r);
    sc->p_complete = c->complete_min + (c->complete_max - c->complete_min) * sc->effort;
    sc->cost_usd = c->cost_usd * exp(c->cost_spread * gsl_ran_ugaussian(r));
    double w = (double)c->balance * exp(c->balance_spread * gsl_ran_ugaussian(r));
    *belief_noise = c->belief_noise * gsl_ran_ugaussian(r);
    gsl_rng_free(r);
    if (!(w < 1.8e19))
        return bg_fail(m, 0, "scientist %u: genesis wallet overflows", i + 1);
    sc->genesis = (uint64_t)w;
    return 0;
}

int bg_scientists_init(bg_model *m)
{
    const bg_sci_config *c = &m->cfg.sci;
    uint32_t n = c->count;
    m->sci = calloc(n, sizeof *m->sci);
    skill_rank *sr = malloc(n * sizeof *sr);
    double *noise = malloc(n * sizeof *noise);
    if (!m->sci || !sr || !noise) {
        free(sr);
        free(noise);
        return bg_fail(m, 0, "out of memory");
    }
    int rc = 0;
    for (uint32_t i = 0; i < n && rc == 0; i++) {
        rc = draw(m, i, &noise[i]);
        /* what her scores reflect: skill plus the score points of her effort */
        sr[i] = (skill_rank){m->sci[i].skill + c->effort_score * m->sci[i].effort, i};
    }
    if (rc == 0) {
        qsort(sr, n, sizeof *sr, cmp_skill);
        for (uint32_t j = 0; j < n; j++) {
            double q = ((double)j + 0.5) / (double)n + noise[sr[j].id];
            m->sci[sr[j].id].belief = q < 0.01 ? 0.01 : (q > 0.99 ? 0.99 : q);
        }
    }
    free(sr);
    free(noise);
    return rc;
}
