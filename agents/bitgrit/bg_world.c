/*
** bg_world.c: the bitgrit world — construction, the BGR and USD ledgers, treasury releases
** (transfer or capped mint), the conservation check every settlement calls, the monthly event
** (community mint, then the monthly metrics) and the end-of-run metrics.
**
** Ledger rows name accounts by entity: pools are negative (-1 treasury, -2 reserve, -3
** competition escrow, -4 job escrow, -5 market), agents positive (scientists 1..n, then
** community members, farm identities, employers in arrival order). Cost: the monthly sample
** sorts the agents' holdings, O(a log a).
*/
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bg_int.h"

#define DAY_SECONDS 86400

uint32_t bg_ppb(double x)
{
    if (!(x > 0.0))
        return 0;
    if (x >= 1.0)
        return TSR_PPB;
    return (uint32_t)floor(x * 1e9 + 0.5);
}

int bg_fail(bg_model *m, uint64_t day, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(m->err, m->errlen, "day %llu: %s", (unsigned long long)day, msg);
    return -1;
}

int bg_series_i(bg_model *m, uint64_t day, const char *metric, int64_t entity, int64_t v)
{
    if (m->rec->vt->series_i64(m->rec->ctx, (int64_t)day * DAY_SECONDS, (int64_t)day, metric,
                               entity, v) != 0)
        return bg_fail(m, day, "recording %s failed", metric);
    return 0;
}

int bg_series_f(bg_model *m, uint64_t day, const char *metric, int64_t entity, double v)
{
    if (m->rec->vt->series_f64(m->rec->ctx, (int64_t)day * DAY_SECONDS, (int64_t)day, metric,
                               entity, v) != 0)
        return bg_fail(m, day, "recording %s failed", metric);
    return 0;
}

int bg_series_u(bg_model *m, uint64_t day, const char *metric, uint64_t v)
{
    if (v > (uint64_t)INT64_MAX)
        return bg_fail(m, day, "%s = %llu units is beyond the metrics' signed 64-bit range", metric,
                       (unsigned long long)v);
    return bg_series_i(m, day, metric, 0, (int64_t)v);
}

int bg_row(bg_model *m, uint64_t day, const char *kind, int64_t src, int64_t dst, uint64_t amt,
           const char *reason)
{
    if (m->rec->vt->ledger(m->rec->ctx, m->seq++, (int64_t)day * DAY_SECONDS, kind, src, dst, amt,
                           reason) != 0)
        return bg_fail(m, day, "recording a ledger row (%s) failed", reason);
    return 0;
}

int64_t bg_entity_of(const bg_model *m, size_t acct)
{
    if (m->cfg.mode == BG_MODE_NUMERAI) {
        size_t n = m->cfg.nm.models;
        if (acct == 0 || (m->nm_lock != 0 && acct == m->nm_lock))
            return acct == 0 ? -1 : -2;
        return (int64_t)(acct <= n ? acct : acct - n);
    }
    return acct < BG_FIRST ? -(int64_t)acct - 1 : (int64_t)(acct - BG_FIRST) + 1;
}

int bg_move(bg_model *m, uint64_t day, size_t from, size_t to, uint64_t amt, const char *why)
{
    if (amt == 0)
        return 0;
    int rc = tsr_ledger_transfer(&m->bgr, from, to, amt);
    if (rc != TSR_OK)
        return bg_fail(m, day, "%s: transfer of %llu units refused (%s)", why,
                       (unsigned long long)amt, tsr_strerror(rc));
    return bg_row(m, day, "transfer", bg_entity_of(m, from), bg_entity_of(m, to), amt, why);
}

int bg_burn(bg_model *m, uint64_t day, size_t from, uint64_t amt, const char *why)
{
    if (amt == 0)
        return 0;
    int rc = tsr_ledger_burn(&m->bgr, from, amt);
    if (rc != TSR_OK)
        return bg_fail(m, day, "%s: burn of %llu units refused (%s)", why, (unsigned long long)amt,
                       tsr_strerror(rc));
    m->tot.burned += amt;
    return bg_row(m, day, "burn", bg_entity_of(m, from), 0, amt, why);
}

int bg_release(bg_model *m, uint64_t day, size_t to, uint64_t amt, const char *why, uint64_t *done)
{
    *done = 0;
    if (amt == 0)
        return 0;
    if (!m->cfg.minting) {
        uint64_t have = m->bgr.balance[BG_TREASURY];
        uint64_t x = amt < have ? amt : have;
        if (bg_move(m, day, BG_TREASURY, to, x, why) != 0)
            return -1;
        *done = x;
    } else {
        uint64_t issued = m->bgr.genesis + m->bgr.minted;
        uint64_t room = m->cfg.max_supply > issued ? m->cfg.max_supply - issued : 0;
        uint64_t x = amt < room ? amt : room;
        if (x > 0) {
            int rc = tsr_ledger_mint(&m->bgr, to, x);
            if (rc != TSR_OK)
                return bg_fail(m, day, "%s: mint of %llu units refused (%s)", why,
                               (unsigned long long)x, tsr_strerror(rc));
            m->tot.minted += x;
            if (bg_row(m, day, "mint", 0, bg_entity_of(m, to), x, why) != 0)
                return -1;
        }
        *done = x;
    }
    m->tot.released += *done;
    return 0;
}

uint64_t bg_budget(const bg_model *m, uint64_t month)
{
    uint64_t v = tsr_vested_linear(m->cfg.community_allocation, 0, m->cfg.vesting_months, month);
    return v > m->tot.community_issued ? v - m->tot.community_issued : 0;
}

int bg_check(bg_model *m, uint64_t day, const char *event)
{
    const tsr_ledger *l = &m->bgr;
    if (tsr_ledger_check(l) != TSR_OK)
        return bg_fail(m, day,
                       "%s: conservation violated: balances + burned %llu != genesis %llu + "
                       "minted %llu",
                       event, (unsigned long long)l->burned, (unsigned long long)l->genesis,
                       (unsigned long long)l->minted);
    if (m->usd.n > 0 && tsr_ledger_check(&m->usd) != TSR_OK)
        return bg_fail(m, day, "%s: USD prize ledger conservation violated", event);
    if (m->cfg.mode == BG_MODE_NUMERAI)
        return 0;
    if (l->balance[BG_ESCROW] != m->escrow_locked)
        return bg_fail(m, day, "%s: competition escrow holds %llu units, open stakes are %llu",
                       event, (unsigned long long)l->balance[BG_ESCROW],
                       (unsigned long long)m->escrow_locked);
    if (l->balance[BG_JOBS] != m->jobs_locked)
        return bg_fail(m, day, "%s: job escrow holds %llu units, active deposits are %llu", event,
                       (unsigned long long)l->balance[BG_JOBS], (unsigned long long)m->jobs_locked);
    if (!m->cfg.minting && (l->minted != 0 || l->genesis != m->cfg.max_supply))
        return bg_fail(m, day, "%s: pre-minted supply: genesis %llu (max %llu), minted %llu", event,
                       (unsigned long long)l->genesis, (unsigned long long)m->cfg.max_supply,
                       (unsigned long long)l->minted);
    if (m->cfg.minting && l->minted > m->cfg.max_supply - l->genesis)
        return bg_fail(m, day, "%s: minted %llu above the cap (max %llu, genesis %llu)", event,
                       (unsigned long long)l->minted, (unsigned long long)m->cfg.max_supply,
                       (unsigned long long)l->genesis);
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void bg_holdings(const bg_model *m, double *gini, double *top1)
{
    size_t first = m->cfg.mode == BG_MODE_NUMERAI ? 1 : BG_FIRST;
    size_t n = m->bgr.n > first ? m->bgr.n - first : 0;
    *gini = 0.0, *top1 = 0.0;
    double *x = n ? malloc(n * sizeof *x) : NULL;
    if (!x)
        return;
    double total = 0.0;
    for (size_t i = 0; i < n; i++)
        total += (x[i] = (double)m->bgr.balance[first + i]);
    if (total > 0.0) {
        qsort(x, n, sizeof *x, cmp_double);
        double acc = 0.0, top = 0.0;
        for (size_t i = 0; i < n; i++)
            acc += (2.0 * (double)(i + 1) - (double)n - 1.0) * x[i];
        *gini = acc / ((double)n * total);
        size_t k = (n + 99) / 100; /* the top 1 %, at least one holder */
        for (size_t i = n - k; i < n; i++)
            top += x[i];
        *top1 = top / total;
    }
    free(x);
}

/* ---- the monthly event --------------------------------------------------------------- */

/* BGR not yet issued: the treasury's balance (pre-minted) or the room under the cap (minting). */
static uint64_t unissued(const bg_model *m)
{
    if (!m->cfg.minting)
        return m->bgr.balance[BG_TREASURY];
    return m->cfg.max_supply - m->bgr.genesis - m->bgr.minted;
}

/* The month's flows: minted, burned, net issuance, hires. */
static int sample_flows(bg_model *m, uint64_t day, uint64_t month)
{
    const bg_month *mo = &m->month;
    uint64_t minted = mo->minted_community + mo->minted_bonus + mo->minted_payouts;
    uint64_t burned = mo->burned_forfeits + mo->burned_jobs;
    if (bg_series_u(m, day, "bitgrit.month", month) ||
        bg_series_u(m, day, "bitgrit.minted_community", mo->minted_community) ||
        bg_series_u(m, day, "bitgrit.minted_bonus", mo->minted_bonus) ||
        bg_series_u(m, day, "bitgrit.minted_payouts", mo->minted_payouts) ||
        bg_series_u(m, day, "bitgrit.minted", minted) ||
        bg_series_u(m, day, "bitgrit.burned_forfeits", mo->burned_forfeits) ||
        bg_series_u(m, day, "bitgrit.burned_jobs", mo->burned_jobs) ||
        bg_series_u(m, day, "bitgrit.burned", burned) ||
        bg_series_i(m, day, "bitgrit.net_issuance", 0, (int64_t)minted - (int64_t)burned) ||
        bg_series_u(m, day, "bitgrit.hires", mo->hires) ||
        bg_series_u(m, day, "bitgrit.jobs_burn_per_hire",
                    mo->hires ? mo->burned_jobs / mo->hires : 0))
        return -1;
    memset(&m->month, 0, sizeof m->month);
    return 0;
}

/* Stocks at the end of the month: pools, supply, distribution, cumulative shares. */
static int sample_stocks(bg_model *m, uint64_t day)
{
    const uint64_t B = 1000000000u; /* units per BGR: pool-sized stocks in whole BGR */
    uint64_t burned_all = m->tot.burned_forfeits + m->tot.burned_jobs;
    double forfeits = (double)(m->tot.forfeited_t3 + m->tot.forfeited_t4);
    uint64_t left = m->cfg.community_allocation - m->tot.community_issued;
    double gini, top1;
    bg_holdings(m, &gini, &top1);
    if (bg_series_u(m, day, "bitgrit.reserve", m->bgr.balance[BG_RESERVE]) ||
        bg_series_u(m, day, "bitgrit.budget_left_bgr", left / B) ||
        bg_series_u(m, day, "bitgrit.supply_bgr",
                    (m->bgr.genesis + m->bgr.minted - m->bgr.burned) / B) ||
        bg_series_u(m, day, "bitgrit.unissued_bgr", unissued(m) / B) ||
        bg_series_u(m, day, "bitgrit.employers_waiting",
                    m->deposit ? m->jobs_locked / m->deposit : 0) ||
        bg_series_f(m, day, "bitgrit.gini", 0, gini) ||
        bg_series_f(m, day, "bitgrit.top1_share", 0, top1) ||
        bg_series_f(m, day, "bitgrit.jobs_burn_share", 0,
                    burned_all ? (double)m->tot.burned_jobs / (double)burned_all : 0.0) ||
        bg_series_f(m, day, "bitgrit.t3_forfeit_share", 0,
                    forfeits > 0.0 ? (double)m->tot.forfeited_t3 / forfeits : 0.0) ||
        bg_series_f(m, day, "bitgrit.t4_forfeit_share", 0,
                    forfeits > 0.0 ? (double)m->tot.forfeited_t4 / forfeits : 0.0))
        return -1;
    if (m->farm_gain_sum[1] > 0.0 &&
        bg_series_f(m, day, "bitgrit.sybil_gain", 0, m->farm_gain_sum[0] / m->farm_gain_sum[1]))
        return -1;
    return bg_farm_sample(m, day);
}

static int sample_month(bg_model *m, uint64_t day, uint64_t month)
{
    return sample_flows(m, day, month) != 0 || sample_stocks(m, day) != 0 ? -1 : 0;
}

static int on_month(sim *s, const eq_event *ev, void *ctx)
{
    bg_model *m = ctx;
    uint64_t day = ev->tick, month = ev->data;
    if (bg_community_mint(m, day, month) != 0 || bg_check(m, day, "community mint") != 0 ||
        sample_month(m, day, month) != 0)
        return -1;
    uint64_t next = 30 * (month + 1);
    return next <= m->cfg.days ? sim_at(s, next, BG_PH_MONTH, BG_EV_MONTH, 0, month + 1, NULL) : 0;
}

/* ---- construction -------------------------------------------------------------------- */

static int declare(bg_model *m, int64_t id, const char *role, const char *prefix, uint64_t k)
{
    char name[48];
    snprintf(name, sizeof name, "%s-%llu", prefix, (unsigned long long)k);
    return m->rec->vt->entity(m->rec->ctx, id, "agent", role, name, 1);
}

static int open_accounts(bg_model *m)
{
    const bg_config *c = &m->cfg;
    uint64_t genesis = c->market_float;
    for (uint32_t i = 0; i < c->sci.count; i++) {
        if (m->sci[i].genesis > c->max_supply - genesis)
            return bg_fail(m, 0, "genesis wallets exceed supply.max_supply");
        genesis += m->sci[i].genesis;
    }
    if (genesis > c->max_supply)
        return bg_fail(m, 0, "genesis balances exceed supply.max_supply");
    uint64_t treasury = c->minting ? 0 : c->max_supply - genesis;
    const uint64_t pools[BG_FIRST] = {treasury, 0, 0, 0, c->market_float};
    for (size_t a = 0; a < BG_FIRST; a++)
        if (tsr_ledger_open(&m->bgr, pools[a], NULL) != TSR_OK)
            return bg_fail(m, 0, "out of memory");
    m->a_sci = BG_FIRST;
    for (uint32_t i = 0; i < c->sci.count; i++)
        if (tsr_ledger_open(&m->bgr, m->sci[i].genesis, NULL) != TSR_OK)
            return bg_fail(m, 0, "out of memory");
    m->a_mem = m->bgr.n;
    for (uint32_t i = 0; i < c->comm.members + c->comm.farm_identities; i++)
        if (tsr_ledger_open(&m->bgr, 0, NULL) != TSR_OK)
            return bg_fail(m, 0, "out of memory");
    m->a_farm = m->a_mem + c->comm.members;
    for (uint32_t i = 0; i < c->sci.count + BG_USD_FIRST; i++)
        if (tsr_ledger_open(&m->usd, 0, NULL) != TSR_OK)
            return bg_fail(m, 0, "out of memory");
    return 0;
}

static int declare_all(bg_model *m)
{
    const bg_config *c = &m->cfg;
    if (m->rec->vt->entity(m->rec->ctx, 0, "network", "network", "bitgrit", 0) != 0)
        return -1;
    for (uint32_t i = 0; i < c->sci.count; i++)
        if (declare(m, (int64_t)i + 1, "scientist", "scientist", i + 1) != 0)
            return -1;
    for (uint32_t i = 0; i < c->comm.members; i++)
        if (declare(m, bg_entity_of(m, m->a_mem + i), "member", "member", i + 1) != 0)
            return -1;
    for (uint32_t i = 0; i < c->comm.farm_identities; i++)
        if (declare(m, bg_entity_of(m, m->a_farm + i), "farmer", "farm", i + 1) != 0)
            return -1;
    return 0;
}

static int schedule_world(bg_model *m, sim *s)
{
    if (sim_on(s, BG_EV_MONTH, on_month, m) || sim_on(s, BG_EV_DAY, bg_on_day, m) ||
        sim_on(s, BG_EV_ANNOUNCE, bg_on_announce, m) || sim_on(s, BG_EV_ENTRY, bg_on_entry, m) ||
        sim_on(s, BG_EV_DEADLINE, bg_on_deadline, m) || sim_on(s, BG_EV_SCORE, bg_on_score, m))
        return bg_fail(m, 0, "cannot register handlers");
    if ((m->cfg.days >= 30 && sim_at(s, 30, BG_PH_MONTH, BG_EV_MONTH, 0, 1, NULL)) ||
        (m->cfg.days >= 1 && sim_at(s, 1, BG_PH_DAY, BG_EV_DAY, 0, 1, NULL)) ||
        sim_at(s, 0, BG_PH_ANNOUNCE, BG_EV_ANNOUNCE, 0, 0, NULL))
        return bg_fail(m, 0, "cannot schedule the first events");
    return bg_farm_schedule(m, s);
}

static int build_competitions(bg_model *m, sim *s)
{
    if (tsr_ledger_init_alloc(&m->bgr, NULL, NULL, 64) != TSR_OK ||
        tsr_ledger_init_alloc(&m->usd, NULL, NULL, 64) != TSR_OK)
        return bg_fail(m, 0, "out of memory");
    if (bg_scientists_init(m) != 0 || bg_compete_init(m) != 0 || open_accounts(m) != 0)
        return -1;
    if (declare_all(m) != 0)
        return bg_fail(m, 0, "recording entities failed");
    double d = m->cfg.jobs.deposit_stakes * (double)m->cfg.comp.stake;
    if (!(d < 1.8e19))
        return bg_fail(m, 0, "jobs.deposit_stakes * competitions.stake overflows");
    m->deposit = (uint64_t)d;
    m->last_entrants = (double)m->cfg.sci.count / 2.0;
    m->tot.budget_exhausted_month = -1;
    if (bg_check(m, 0, "genesis") != 0)
        return -1;
    return schedule_world(m, s);
}

static int config_ok(const bg_config *c, char *err, size_t errlen)
{
    const char *why = NULL;
    if (c->mode == BG_MODE_NUMERAI) {
        if (c->nm.models == 0 || c->nm.interval == 0 || c->nm.clip_ppb > TSR_PPB ||
            c->nm.round_share_ppb > TSR_PPB)
            why = "numerai: models, interval must be > 0, clip and round_share <= 1";
    } else if (c->sci.count == 0 || c->comp.interval == 0 || c->comp.winners == 0 ||
               c->comp.winners > BG_MAX_WINNERS || c->comp.entry_days > c->comp.duration_days ||
               c->vesting_months == 0 || c->comp.exponent_quarters > 8 || c->jobs.lock_days == 0) {
        why = "bitgrit: invalid configuration (counts, interval, winners, days)";
    } else if (!(c->sci.effort_min >= 0.0 && c->sci.effort_min <= c->sci.effort_max &&
                 c->sci.effort_max <= 1.0 && c->comp.bonus_probability >= 0.0 &&
                 c->comp.bonus_probability <= 1.0)) {
        why = "bitgrit: effort needs 0 <= effort_min <= effort_max <= 1, bonus_probability in "
              "[0, 1]";
    } else if (c->comm.farm_stop != 0 && c->comm.farm_start > c->comm.farm_stop) {
        why = "bitgrit: community.farm_stop must be 0 (never) or >= community.farm_start";
    } else if (c->comp.numerai_settlement &&
               (c->comp.nm_threshold == 0 || c->comp.nm_clip_ppb > TSR_PPB ||
                c->comp.nm_scale_ppb > TSR_PPB || c->comp.nm_mult < 0)) {
        why = "bitgrit: settlement \"numerai\" needs threshold > 0, 0 <= scale, clip <= 1, "
              "multiplier >= 0";
    }
    if (why)
        snprintf(err, errlen, "%s", why);
    return why ? -1 : 0;
}

int bg_model_new(const bg_config *cfg, sim *s, const recorder *rec, bg_model **out, char *err,
                 size_t errlen)
{
    *out = NULL;
    if (config_ok(cfg, err, errlen) != 0)
        return -1;
    bg_model *m = calloc(1, sizeof *m);
    if (!m || !(m->ev = rng_event_new())) {
        snprintf(err, errlen, "out of memory");
        free(m);
        return -1;
    }
    m->cfg = *cfg;
    m->rec = rec;
    m->s = s;
    m->err = err;
    m->errlen = errlen;
    int rc = cfg->mode == BG_MODE_NUMERAI ? bg_numerai_init(m) : build_competitions(m, s);
    if (rc != 0) {
        bg_model_free(m);
        return -1;
    }
    *out = m;
    return 0;
}

/* ---- end of run ---------------------------------------------------------------------- */

typedef struct decile_item {
    double skill; /* sort key */
    double gain;  /* net gain in USD */
    uint32_t id;  /* tie-breaker */
} decile_item;

static int cmp_skill(const void *a, const void *b)
{
    const decile_item *x = a, *y = b;
    if (x->skill != y->skill)
        return x->skill < y->skill ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

/* Net gain per scientist in USD: BGR wealth change at bgr_price_usd, plus prizes, minus costs;
** averaged per skill decile (1 = least skilled). */
static int record_deciles(bg_model *m, uint64_t day)
{
    uint32_t n = m->cfg.sci.count;
    decile_item *it = malloc(n * sizeof *it);
    if (!it)
        return bg_fail(m, day, "out of memory");
    for (uint32_t i = 0; i < n; i++) {
        double bgr = ((double)m->bgr.balance[m->a_sci + i] - (double)m->sci[i].genesis) / 1e9;
        double usd = (double)m->usd.balance[BG_USD_FIRST + i] / 1e9;
        it[i] = (decile_item){m->sci[i].skill,
                              bgr * m->cfg.bgr_price_usd + usd - m->sci[i].spent_usd, i};
    }
    qsort(it, n, sizeof *it, cmp_skill);
    int rc = 0;
    for (uint32_t d = 0; d < 10 && rc == 0; d++) {
        uint32_t lo = (uint32_t)((uint64_t)n * d / 10), hi = (uint32_t)((uint64_t)n * (d + 1) / 10);
        double sum = 0.0;
        for (uint32_t i = lo; i < hi; i++)
            sum += it[i].gain;
        char name[48];
        snprintf(name, sizeof name, "bitgrit.return_decile_%02u", d + 1);
        if (hi > lo)
            rc = bg_series_f(m, day, name, 0, sum / (double)(hi - lo));
    }
    free(it);
    return rc;
}

int bg_model_finish(bg_model *m, char *err, size_t errlen)
{
    m->err = err;
    m->errlen = errlen;
    uint64_t day = m->cfg.days;
    if (bg_check(m, day, "end of run") != 0)
        return -1;
    if (m->cfg.mode == BG_MODE_NUMERAI)
        return bg_numerai_finish(m);
    /* the last, partial month is sampled at the end (its community mint never comes) */
    if (day % 30 != 0 && sample_month(m, day, day / 30 + 1) != 0)
        return -1;
    if (record_deciles(m, day) != 0)
        return -1;
    if (bg_series_i(m, day, "bitgrit.budget_exhausted_month", 0, m->tot.budget_exhausted_month) ||
        bg_series_u(m, day, "bitgrit.employers_skipped", m->employers_skipped))
        return -1;
    return 0;
}

void bg_model_free(bg_model *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->ncomps; i++)
        free(m->comps[i].entrants), free(m->comps[i].complete);
    free(m->comps);
    free(m->emp);
    free(m->sci);
    free(m->weights);
    free(m->wnorm);
    free(m->entries);
    free(m->payout);
    free(m->score);
    bg_numerai_free(m);
    tsr_ledger_clear(&m->bgr);
    tsr_ledger_clear(&m->usd);
    gsl_rng_free(m->ev);
    free(m);
}

void bg_model_totals(const bg_model *m, bg_totals *out)
{
    *out = m->tot;
    out->supply = m->bgr.genesis + m->bgr.minted - m->bgr.burned;
    out->burned = m->bgr.burned;
    out->minted = m->bgr.minted;
    out->reserve = m->cfg.mode == BG_MODE_COMPETITIONS && m->bgr.n > BG_RESERVE
                       ? m->bgr.balance[BG_RESERVE]
                       : 0;
}
