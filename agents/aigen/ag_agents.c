/*
** ag_agents.c: the behaviour of model "aigen" — genesis draws, consumers' choice of controller
** and demand, validators' scores and audits, developers' quality investment (see ag_model.h).
**
** Randomness: every draw comes from a stream keyed by (seed, run, entity, purpose) with the epoch
** as event counter (rng.h), so a consumer's calls never depend on how many draws another agent
** made. Entities for the streams are the metric entity ids (controllers 1..C, validators
** C+1..C+V), consumers C+V+3+k and models C+V+3+K+m.
** Validators are numbered honest, lazy, coalition, copiers: the copiers come last so the rows
** they may copy (this epoch's non-copier scores, reveal_delay 0) are one contiguous block.
** The coalition and the copiers follow their strategy only inside their attack windows; outside
** they score as honest validators from their own stream, so switching one attack never changes
** another agent's draws.
*/
#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "ag_int.h"

#define PPB 1000000000.0

static rng_key key_of(const ag_model *m, uint64_t entity, uint32_t purpose)
{
    rng_key k = {
        .seed = m->cfg.seed, .run_index = m->cfg.run_index, .purpose = purpose, .entity = entity};
    return k;
}

static uint64_t consumer_entity(const ag_model *m, uint32_t k)
{
    return (uint64_t)m->cfg.controllers + m->nval + 3 + k;
}

static uint32_t to_ppb(double x)
{
    if (!(x > 0.0))
        return 0;
    if (x >= 1.0)
        return 1000000000u;
    return (uint32_t)llround(x * PPB);
}

/* Amount from a positive double, clamped to [1, 1e18]. */
static uint64_t to_units(double x)
{
    if (!(x >= 1.0))
        return 1;
    if (x > 1e18)
        return 1000000000000000000ull;
    return (uint64_t)llround(x);
}

static void assign_strategies(ag_model *m)
{
    uint32_t v = 0;
    for (uint32_t i = 0; i < m->cfg.honest; i++)
        m->strategy[v++] = AG_HONEST;
    for (uint32_t i = 0; i < m->cfg.lazy; i++)
        m->strategy[v++] = AG_LAZY;
    for (uint32_t i = 0; i < m->cfg.coalition; i++)
        m->strategy[v++] = AG_COALITION;
    for (uint32_t i = 0; i < m->cfg.copiers; i++)
        m->strategy[v++] = AG_COPIER;
}

/* Coalition stakes scaled so that they hold coalition_share of the total. */
static void apply_coalition_share(ag_model *m, uint64_t *stakes)
{
    double own = 0.0, other = 0.0, share = m->cfg.coalition_share;
    for (uint32_t v = 0; v < m->nval; v++)
        *(m->strategy[v] == AG_COALITION ? &own : &other) += (double)stakes[v];
    if (share <= 0.0 || own <= 0.0 || other <= 0.0)
        return;
    double f = share / (1.0 - share) * other / own;
    for (uint32_t v = 0; v < m->nval; v++)
        if (m->strategy[v] == AG_COALITION)
            stakes[v] = to_units((double)stakes[v] * f);
}

int ag__genesis_draws(ag_model *m, uint64_t *stakes)
{
    const ag_config *c = &m->cfg;
    gsl_rng *r = m->ev;
    assign_strategies(m);
    for (uint32_t i = 0; i < c->controllers; i++) {
        rng_key k = key_of(m, (uint64_t)ag__ctrl_id(i), RNG_PURPOSE_SETUP);
        rng_event_reset(r, &k, 0);
        m->quality[i] = gsl_ran_beta(r, c->quality_a, c->quality_b);
        uint32_t model = i % c->models;
        rng_key km = key_of(m, consumer_entity(m, c->consumers) + model, RNG_PURPOSE_MARKET);
        rng_event_reset(r, &km, 0);
        double z = c->price_spread > 0 ? gsl_ran_gaussian(r, c->price_spread) : 0.0;
        m->price[i] = to_units((double)c->price * exp(z));
    }
    for (uint32_t v = 0; v < m->nval; v++) {
        rng_key k = key_of(m, (uint64_t)ag__val_id(m, v), RNG_PURPOSE_SETUP);
        rng_event_reset(r, &k, 0);
        double z = c->stake_spread > 0 ? gsl_ran_gaussian(r, c->stake_spread) : 0.0;
        stakes[v] = to_units((double)c->stake * exp(z));
    }
    apply_coalition_share(m, stakes);
    return 0;
}

/* Logit choice probabilities over controllers into m->share; returns the average price paid. */
static double choice_shares(ag_model *m)
{
    const ag_config *c = &m->cfg;
    double umax = -HUGE_VAL, sum = 0.0, avg = 0.0;
    for (uint32_t i = 0; i < c->controllers; i++) {
        double pub = m->settled ? (double)m->score[i] / PPB : 0.5; /* prior before any score */
        double perceived = c->score_weight * pub + (1.0 - c->score_weight) * m->quality[i];
        double u = c->quality_weight * perceived -
                   c->price_weight * log((double)m->price[i] / (double)c->price);
        m->share[i] = u;
        if (u > umax)
            umax = u;
    }
    for (uint32_t i = 0; i < c->controllers; i++)
        sum += (m->share[i] = exp(m->share[i] - umax));
    for (uint32_t i = 0; i < c->controllers; i++) {
        m->share[i] /= sum;
        avg += m->share[i] * (double)m->price[i];
    }
    return avg;
}

int ag__consumers_decide(ag_model *m, uint64_t epoch)
{
    const ag_config *c = &m->cfg;
    const uint32_t C = c->controllers;
    double avg = choice_shares(m) + (double)m->base_fee; /* all-in: price + base fee */
    double lambda = c->calls * pow(avg / (double)c->price, -c->elasticity);
    for (uint32_t k = 0; k < c->consumers; k++) {
        uint64_t *row = m->calls + (size_t)k * C;
        rng_key key = key_of(m, consumer_entity(m, k), RNG_PURPOSE_DECISION);
        rng_event_reset(m->ev, &key, epoch);
        unsigned n = lambda > 0.0 ? gsl_ran_poisson(m->ev, lambda) : 0;
        memset(m->draw, 0, C * sizeof *m->draw);
        if (n > 0)
            gsl_ran_multinomial(m->ev, C, n, m->share, m->draw);
        uint64_t cost = 0, bal = m->ledger.balance[ag__acc(m, AG_ACC_CONSUMER, k)];
        for (uint32_t i = 0; i < C; i++) {
            uint64_t a = 0;
            row[i] = m->draw[i];
            if (tsr_muldiv_floor(row[i], m->price[i] + m->base_fee, 1, &a) != TSR_OK ||
                cost + a < cost || m->price[i] + m->base_fee < m->price[i])
                return ag__fail(m, epoch, "a consumer's spend overflows 64 bits");
            cost += a;
        }
        if (cost <= bal)
            continue;
        /* The wallet cannot cover the draw: every controller's calls shrink by bal / cost. */
        for (uint32_t i = 0; i < C; i++)
            if (tsr_muldiv_floor(row[i], bal, cost, &row[i]) != TSR_OK)
                return ag__fail(m, epoch, "call budget overflow");
    }
    return 0;
}

static uint32_t honest_score(ag_model *m, uint32_t c)
{
    double noise = m->cfg.noise > 0 ? gsl_ran_gaussian(m->ev, m->cfg.noise) : 0.0;
    return to_ppb(m->quality[c] + noise);
}

/* Copier scores: the consensus of reveal_delay epochs ago, or this epoch's consensus of the
** validators before them when there is no delay. */
static void copier_scores(ag_model *m, uint64_t epoch, uint32_t *row)
{
    const uint32_t C = m->cfg.controllers, D = m->cfg.reveal_delay;
    const uint32_t first = m->nval - m->cfg.copiers;
    for (uint32_t v = 0; D == 0 && v < first; v++)
        m->stake[v] = m->ledger.balance[ag__acc(m, AG_ACC_STAKE, v)];
    for (uint32_t c = 0; c < C; c++) {
        uint64_t s = 500000000u; /* nothing published yet */
        if (D == 0 && first > 0) {
            s = tsr_aigen_kappa_median(m->scores + c, C, m->stake, first, m->cfg.settle.kappa_ppb,
                                       m->ws);
        } else if (D > 0 && epoch > D && m->settled >= epoch - D) {
            s = m->pub[((epoch - D) % (D + 1)) * C + c];
        }
        row[c] = (uint32_t)s;
    }
}

void ag__validators_score(ag_model *m, uint64_t epoch)
{
    const uint32_t C = m->cfg.controllers;
    for (uint32_t v = 0; v < m->nval; v++) {
        uint32_t *row = m->scores + (size_t)v * C;
        rng_key k = key_of(m, (uint64_t)ag__val_id(m, v), RNG_PURPOSE_QUALITY);
        rng_event_reset(m->ev, &k, epoch);
        ag_strategy st = m->strategy[v];
        /* an attacker outside its window is an honest validator, drawing the same noise */
        if ((st == AG_COALITION && !ag_model_attack_active(m, AG_ATK_CABAL, epoch)) ||
            (st == AG_COPIER && !ag_model_attack_active(m, AG_ATK_COPIER, epoch)))
            st = AG_HONEST;
        switch (st) {
        case AG_HONEST:
            for (uint32_t c = 0; c < C; c++)
                row[c] = honest_score(m, c);
            break;
        case AG_LAZY:
            for (uint32_t c = 0; c < C; c++)
                row[c] = to_ppb(m->cfg.lazy_score);
            break;
        case AG_COALITION:
            for (uint32_t c = 0; c < C; c++) {
                uint32_t h = honest_score(m, c);
                row[c] = c < m->cfg.coalition_controllers
                             ? 1000000000u
                             : to_ppb((double)h / PPB * (1.0 - m->cfg.coalition_deflate));
            }
            break;
        case AG_COPIER:
            copier_scores(m, epoch, row);
            break;
        }
    }
    for (uint32_t c = 0; c < C; c++) {
        m->audit[c] = -1;
        if (m->cfg.audit <= 0.0)
            continue;
        rng_key k = key_of(m, (uint64_t)ag__ctrl_id(c), AG_PURPOSE_AUDIT);
        rng_event_reset(m->ev, &k, epoch);
        if (gsl_rng_uniform(m->ev) < m->cfg.audit)
            m->audit[c] = to_ppb(m->quality[c]);
    }
}

/* Forecast revenue of a controller with choice probability s and quality q, the developer
** assuming its score follows its quality and its usage share its choice probability.
** ABSOLUTE: R = k_dev T s q. RELATIVE: R = k_dev T s q / (s q + (1 - s) / (1 - s0) X_o), where
** X_o = sum over the other controllers of s_k q_k at the current share s0: the others' shares
** shrink in proportion when this controller's share grows (logit choice). */
static double forecast(const ag_model *m, double s, double q, double s0, double others)
{
    double kdev = (double)m->cfg.settle.k_dev_ppb / PPB, own = s * (q < 1.0 ? q : 1.0);
    double r = kdev * (double)m->last_spend * own;
    if (m->cfg.settle.mode != TSR_AIGEN_RELATIVE)
        return r;
    double den = own + (s0 < 1.0 ? (1.0 - s) / (1.0 - s0) * others : 0.0);
    return den > 0.0 ? r / den : 0.0;
}

int ag__developers_invest(ag_model *m, uint64_t epoch)
{
    const ag_config *c = &m->cfg;
    for (uint32_t i = 0; i < c->controllers; i++)
        m->quality[i] = m->quality[i] > c->decay ? m->quality[i] - c->decay : 0.0;
    if (c->invest_step <= 0.0 || m->last_spend == 0)
        return 0;
    double lift = exp(c->quality_weight * c->invest_step); /* perceived quality moves by step */
    double all = 0.0;
    for (uint32_t i = 0; i < c->controllers; i++)
        all += m->share[i] * (m->quality[i] < 1.0 ? m->quality[i] : 1.0);
    for (uint32_t i = 0; i < c->controllers; i++) {
        size_t acct = ag__acc(m, AG_ACC_DEVELOPER, i);
        double q = m->quality[i], s = m->share[i];
        if (q >= 1.0 || m->ledger.balance[acct] < c->invest_cost)
            continue;
        double s2 = s * lift / (1.0 - s + s * lift);
        double others = all - s * (q < 1.0 ? q : 1.0);
        double gain =
            (forecast(m, s2, q + c->invest_step, s, others) - forecast(m, s, q, s, others)) *
            (double)c->invest_horizon;
        if (!(gain > (double)c->invest_cost))
            continue;
        if (tsr_ledger_transfer(&m->ledger, acct, ag__acc(m, AG_ACC_PLATFORM, 0), c->invest_cost) !=
                TSR_OK ||
            ag__ledger_row(m, epoch, "fee", ag__ctrl_id(i), 0, c->invest_cost,
                           "quality_investment") != 0)
            return ag__fail(m, epoch, "investment refused");
        m->quality[i] = q + c->invest_step < 1.0 ? q + c->invest_step : 1.0;
        m->win.invest += c->invest_cost;
    }
    return 0;
}
