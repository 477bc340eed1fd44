/*
** bg_jobs.c: the job board, one event per day. Employers arrive (Poisson), buy d_job BGR from
** the market float and lock it in the job escrow; each active employer hires with probability
** hire_rate x (share of scientists with a T1/T2 finish), picking the scientist in proportion to
** her record: T1/T2 finishes + T1 wins (a win counts twice; no record, never hired). A hire
** burns the whole deposit (tsr_ledger_burn). An employer without a
** hire after lock_days withdraws: floor(d_job * lambda) is retained to the reserve, the rest
** returns to her wallet. Employers who find the market float short do not join (counted).
** Cost: O(active employers + scientists on a hire) per day.
*/
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_randist.h>

#include "bg_int.h"

static int arrive(bg_model *m, uint64_t day)
{
    if (m->bgr.balance[BG_MARKET] < m->deposit) {
        m->employers_skipped++;
        return 0;
    }
    if (m->nemp == m->capemp) {
        size_t cap = m->capemp ? 2 * m->capemp : 16;
        bg_employer *p = realloc(m->emp, cap * sizeof *p);
        if (!p)
            return bg_fail(m, day, "out of memory");
        m->emp = p, m->capemp = cap;
    }
    size_t acct;
    if (tsr_ledger_open(&m->bgr, 0, &acct) != TSR_OK)
        return bg_fail(m, day, "out of memory");
    bg_employer *e = &m->emp[m->nemp++];
    *e = (bg_employer){acct, m->deposit, day, 1};
    char name[48];
    snprintf(name, sizeof name, "employer-%zu", m->nemp);
    if (m->rec->vt->entity(m->rec->ctx, bg_entity_of(m, acct), "agent", "employer", name, 2) != 0)
        return bg_fail(m, day, "recording an employer failed");
    if (bg_move(m, day, BG_MARKET, acct, m->deposit, "deposit_purchase") != 0 ||
        bg_move(m, day, acct, BG_JOBS, m->deposit, "job_deposit") != 0)
        return -1;
    m->jobs_locked += m->deposit;
    return 0;
}

/* Weight of scientist i in an employer's search: her competition record. */
static double record_weight(const bg_scientist *sc)
{
    return (double)sc->kept + (double)sc->wins;
}

/* The scientist an employer hires: P(i) proportional to her record weight. Called only when
** someone has a record (the hire probability is 0 otherwise); the last scientist with a record
** absorbs rounding at u -> 1. */
static uint32_t pick(const bg_model *m, double u)
{
    uint32_t n = m->cfg.sci.count, last = 0;
    double total = 0.0;
    for (uint32_t i = 0; i < n; i++)
        total += record_weight(&m->sci[i]);
    double x = u * total, acc = 0.0;
    for (uint32_t i = 0; i < n; i++) {
        double w = record_weight(&m->sci[i]);
        if (w <= 0.0)
            continue;
        last = i;
        acc += w;
        if (x < acc)
            return i;
    }
    return last;
}

static int hire(bg_model *m, uint64_t day, bg_employer *e, double u)
{
    uint32_t i = pick(m, u);
    if (bg_burn(m, day, BG_JOBS, e->deposit, "hire_burn") != 0)
        return -1;
    m->jobs_locked -= e->deposit;
    m->tot.burned_jobs += e->deposit;
    m->month.burned_jobs += e->deposit;
    m->month.hires++;
    m->tot.hires++;
    m->sci[i].hires++;
    e->active = 0;
    return bg_row(m, day, "hire", bg_entity_of(m, e->acct), (int64_t)i + 1, e->deposit, "hire");
}

static int withdraw(bg_model *m, uint64_t day, bg_employer *e)
{
    uint64_t kept = 0, back = 0;
    if (tsr_take_ppb(e->deposit, m->cfg.jobs.retain_ppb, &kept, &back) != TSR_OK)
        return bg_fail(m, day, "job board: retain rate out of range");
    if (bg_move(m, day, BG_JOBS, BG_RESERVE, kept, "withdraw_retained") != 0 ||
        bg_move(m, day, BG_JOBS, e->acct, back, "withdraw") != 0)
        return -1;
    m->jobs_locked -= e->deposit;
    m->tot.withdrawals++;
    e->active = 0;
    return 0;
}

static double record_share(const bg_model *m)
{
    uint32_t n = m->cfg.sci.count, k = 0;
    for (uint32_t i = 0; i < n; i++)
        k += m->sci[i].kept > 0;
    return (double)k / (double)n;
}

int bg_on_day(sim *s, const eq_event *ev, void *ctx)
{
    bg_model *m = ctx;
    uint64_t day = ev->tick;
    size_t before = m->nemp;
    double p = m->cfg.jobs.hire_rate * record_share(m);
    for (size_t j = 0; j < before; j++) {
        bg_employer *e = &m->emp[j];
        if (!e->active)
            continue;
        rng_key k = {m->cfg.seed, m->cfg.run_index, BG_RNG_HIRE, BG_ENT_EMPLOYER + j};
        rng_event_reset(m->ev, &k, day);
        double u = gsl_rng_uniform(m->ev), v = gsl_rng_uniform(m->ev);
        int rc = u < p                                       ? hire(m, day, e, v)
                 : day >= e->arrived + m->cfg.jobs.lock_days ? withdraw(m, day, e)
                                                             : 0;
        if (rc != 0)
            return -1;
    }
    if (m->deposit > 0 && m->cfg.jobs.arrival_rate > 0.0) {
        rng_key k = {m->cfg.seed, m->cfg.run_index, RNG_PURPOSE_TIMING, BG_ENT_BOARD};
        rng_event_reset(m->ev, &k, day);
        unsigned arrivals = gsl_ran_poisson(m->ev, m->cfg.jobs.arrival_rate);
        for (unsigned a = 0; a < arrivals; a++)
            if (arrive(m, day) != 0)
                return -1;
    }
    if (bg_check(m, day, "job board") != 0)
        return -1;
    return day + 1 <= m->cfg.days ? sim_at(s, day + 1, BG_PH_DAY, BG_EV_DAY, 0, 0, NULL) : 0;
}
