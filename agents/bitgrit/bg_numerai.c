/*
** bg_numerai.c: model "numerai" — the tournament's legacy continuous-staking rule (spec
** mechanisms §2.1, §2.3, §2.7) as the published analogue of bitgrit's staked competitions.
**
** A round closes every `interval` days: each model's stake at the close is snapshotted (the
** whole stake is at risk in every overlapping round) with a valid on-time submission drawn with
** probability `valid`. At close + resolve_days the round resolves: a common era factor
** e ~ N(0, era_sd^2), corr_i ~ N(mu_i + e, corr_sd^2), mmc_i ~ N(o_i mu_i k, mmc_sd^2), and
** tsr_numerai_round gives the payouts. Positive payouts come from the treasury (as far as it
** reaches: the shortfall is counted) to the stake (compounding) or a wallet; negative ones are
** burned from the stake (or returned to the treasury), capped at what the stake still holds.
** Rounds that would resolve after the end of the run stay unresolved.
**
** Staking "v3" (spec §2.2, atomic staking): at each close a model with a valid submission locks
** floor(round_share * its free stake) in the round-lock escrow; that lock alone is at risk in
** that round (no overlap leverage). At resolution a loss is burned (or returned) from the lock,
** the rest of the lock goes back to the stake, and a gain is paid as under v2. Clip, payout
** factor and multipliers stay keys (the v3 tables quote clip 1, pf 1, 5 CORR + 10 MMC). Netting
** burns against later payouts is not modelled. Exposure per close, both modes: the at-risk stake
** of every closed, unresolved round over the models' capital (stakes + locks): about the number
** of open rounds under v2, at most 1 under v3.
**
** Spec §2.8 counterfactuals, per resolved round (metrics only, nothing moves): Sybil gain — the
** largest at-risk stake split over sybil_k identical models (remainder units to the first
** piece, total at risk unchanged), their summed payout over the single model's; copy return —
** what a copy of the Meta Model earns per unit of stake: its CORR is the stake-weighted mean
** CORR and its MMC is 0 by construction, so x = clamp(pf * corr_mult * CORR, +-clip);
** runway — treasury / mean treasury outflow per resolved round so far (-1: no outflow).
** Cost: O(models log models) per close (top-k shares) and O(models + k) per resolution.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "bg_int.h"

static size_t stake_acct(size_t i)
{
    return i + 1;
}

static size_t pay_acct(const bg_model *m, size_t i)
{
    return m->cfg.nm.compound ? i + 1 : m->cfg.nm.models + 1 + i;
}

/* The models' capital: stake accounts plus the round locks (wallets of paid-out gains are
** not at risk). */
static uint64_t capital(const bg_model *m)
{
    uint64_t sum = m->nm_lock ? m->bgr.balance[m->nm_lock] : 0;
    for (size_t i = 0; i < m->cfg.nm.models; i++)
        sum += m->bgr.balance[stake_acct(i)];
    return sum;
}

/* Pearson correlation of the current stakes with the latent skills. */
static double stake_skill_corr(const bg_model *m)
{
    size_t n = m->cfg.nm.models;
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    for (size_t i = 0; i < n; i++) {
        double x = (double)m->bgr.balance[stake_acct(i)] / 1e9, y = m->nm[i].mu;
        sx += x, sy += y, sxx += x * x, syy += y * y, sxy += x * y;
    }
    double dn = (double)n, vx = sxx - sx * sx / dn, vy = syy - sy * sy / dn;
    return vx > 0 && vy > 0 ? (sxy - sx * sy / dn) / sqrt(vx * vy) : 0.0;
}

static int draw_models(bg_model *m)
{
    const bg_numerai_config *c = &m->cfg.nm;
    double rho = c->stake_skill, rest = sqrt(1.0 - rho * rho);
    for (size_t i = 0; i < c->models; i++) {
        rng_key k = {m->cfg.seed, m->cfg.run_index, RNG_PURPOSE_SETUP, (uint64_t)i + 1};
        gsl_rng *r = rng_stream_new(&k);
        if (!r)
            return bg_fail(m, 0, "out of memory");
        double z1 = gsl_ran_ugaussian(r), z2 = gsl_ran_ugaussian(r);
        m->nm[i].mu = c->mu_mean + c->mu_sd * z1;
        m->nm[i].orig = gsl_rng_uniform(r);
        gsl_rng_free(r);
        double s = (double)c->stake * exp(c->stake_spread * (rho * z1 + rest * z2));
        if (!(s < 9.2e18))
            return bg_fail(m, 0, "model %zu: genesis stake overflows", i + 1);
        m->nm[i].genesis = s < 1.0 ? 1 : (uint64_t)s;
    }
    return 0;
}

static int open_numerai(bg_model *m)
{
    const bg_numerai_config *c = &m->cfg.nm;
    if (tsr_ledger_init_alloc(&m->bgr, NULL, NULL, 2 * (size_t)c->models + 1) != TSR_OK ||
        tsr_ledger_open(&m->bgr, c->treasury, NULL) != TSR_OK)
        return bg_fail(m, 0, "out of memory");
    for (size_t i = 0; i < c->models; i++)
        if (tsr_ledger_open(&m->bgr, m->nm[i].genesis, NULL) != TSR_OK)
            return bg_fail(m, 0, "genesis stakes overflow");
    for (size_t i = 0; !c->compound && i < c->models; i++)
        if (tsr_ledger_open(&m->bgr, 0, NULL) != TSR_OK)
            return bg_fail(m, 0, "out of memory");
    if (c->atomic_v3 && tsr_ledger_open(&m->bgr, 0, &m->nm_lock) != TSR_OK)
        return bg_fail(m, 0, "out of memory");
    if (m->rec->vt->entity(m->rec->ctx, 0, "network", "network", "numerai", 0) != 0)
        return bg_fail(m, 0, "recording entities failed");
    for (size_t i = 0; i < c->models; i++) {
        char name[48];
        snprintf(name, sizeof name, "model-%zu", i + 1);
        if (m->rec->vt->entity(m->rec->ctx, (int64_t)i + 1, "agent", "model", name, 1) != 0)
            return bg_fail(m, 0, "recording entities failed");
    }
    return 0;
}

int bg_numerai_init(bg_model *m)
{
    const bg_numerai_config *c = &m->cfg.nm;
    m->nm = calloc(c->models, sizeof *m->nm);
    m->nmod = calloc(c->models, sizeof *m->nmod);
    m->npay = calloc(c->models, sizeof *m->npay);
    m->tot.budget_exhausted_month = -1;
    if (!m->nm || !m->nmod || !m->npay)
        return bg_fail(m, 0, "out of memory");
    if (draw_models(m) != 0 || open_numerai(m) != 0)
        return -1;
    if (sim_on(m->s, BG_EV_CLOSE, bg_on_close, m) || sim_on(m->s, BG_EV_RESOLVE, bg_on_resolve, m))
        return bg_fail(m, 0, "cannot register handlers");
    if (bg_series_f(m, 0, "numerai.stake_skill_corr", 0, stake_skill_corr(m)) != 0)
        return -1;
    if (c->interval <= m->cfg.days &&
        sim_at(m->s, c->interval, BG_PH_CLOSE, BG_EV_CLOSE, 0, 0, NULL) != 0)
        return bg_fail(m, 0, "cannot schedule the first round");
    return bg_check(m, 0, "genesis");
}

static int cmp_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

/* HHI, effective N and top-1/5/10 shares of the at-risk stakes of a round. */
static int record_concentration(bg_model *m, uint64_t day, const bg_round *r)
{
    size_t n = m->cfg.nm.models, k = 0;
    double *x = malloc(n * sizeof *x), total = 0, hhi = 0, top[3] = {0, 0, 0};
    if (!x)
        return bg_fail(m, day, "out of memory");
    for (size_t i = 0; i < n; i++)
        if (r->valid[i])
            total += (x[k++] = (double)r->stake[i]);
    qsort(x, k, sizeof *x, cmp_desc);
    for (size_t i = 0; total > 0 && i < k; i++) {
        hhi += (x[i] / total) * (x[i] / total);
        top[0] += i < 1 ? x[i] : 0.0, top[1] += i < 5 ? x[i] : 0.0, top[2] += i < 10 ? x[i] : 0.0;
    }
    free(x);
    double d = total > 0 ? total : 1.0;
    if (bg_series_f(m, day, "numerai.hhi", 0, hhi) ||
        bg_series_f(m, day, "numerai.effective_n", 0, hhi > 0 ? 1.0 / hhi : 0.0) ||
        bg_series_f(m, day, "numerai.top1_share", 0, top[0] / d) ||
        bg_series_f(m, day, "numerai.top5_share", 0, top[1] / d) ||
        bg_series_f(m, day, "numerai.top10_share", 0, top[2] / d))
        return -1;
    return 0;
}

int bg_on_close(sim *s, const eq_event *ev, void *ctx)
{
    bg_model *m = ctx;
    const bg_numerai_config *c = &m->cfg.nm;
    uint64_t day = ev->tick, num = ev->data;
    if (m->nrounds == m->caprounds) {
        size_t cap = m->caprounds ? 2 * m->caprounds : 16;
        bg_round *p = realloc(m->rounds, cap * sizeof *p);
        if (!p)
            return bg_fail(m, day, "out of memory");
        m->rounds = p, m->caprounds = cap;
    }
    bg_round *r = &m->rounds[m->nrounds];
    r->close = day;
    r->stake = malloc(c->models * sizeof *r->stake);
    r->valid = malloc(c->models * sizeof *r->valid);
    m->nrounds++;
    if (!r->stake || !r->valid)
        return bg_fail(m, day, "out of memory");
    uint64_t risk = 0;
    for (size_t i = 0; i < c->models; i++) {
        rng_key k = {m->cfg.seed, m->cfg.run_index, RNG_PURPOSE_DECISION, (uint64_t)i + 1};
        rng_event_reset(m->ev, &k, num);
        r->valid[i] = gsl_rng_uniform(m->ev) < c->valid;
        r->stake[i] = m->bgr.balance[stake_acct(i)];
        if (c->atomic_v3) { /* the round's own lock, only with a valid submission */
            uint64_t lock = 0;
            if (r->valid[i])
                (void)tsr_muldiv_floor(r->stake[i], c->round_share_ppb, TSR_PPB, &lock);
            r->stake[i] = lock;
            if (bg_move(m, day, stake_acct(i), m->nm_lock, lock, "round_lock") != 0)
                return -1;
        }
        risk += r->valid[i] ? r->stake[i] : 0;
    }
    m->nm_open_risk += risk;
    uint64_t cap = capital(m);
    if (record_concentration(m, day, r) != 0 ||
        bg_series_f(m, day, "numerai.exposure", 0,
                    cap ? (double)m->nm_open_risk / (double)cap : 0.0) ||
        bg_series_u(m, day, "numerai.locked", m->nm_lock ? m->bgr.balance[m->nm_lock] : 0))
        return -1;
    if (day + c->resolve_days <= m->cfg.days &&
        sim_at(s, day + c->resolve_days, BG_PH_RESOLVE, BG_EV_RESOLVE, 0, num, NULL) != 0)
        return bg_fail(m, day, "cannot schedule a resolution");
    if (day + c->interval <= m->cfg.days)
        return sim_at(s, day + c->interval, BG_PH_CLOSE, BG_EV_CLOSE, 0, num + 1, NULL);
    return 0;
}

static int64_t to_ppb(double x)
{
    x = x > 1.0 ? 1.0 : (x < -1.0 ? -1.0 : x);
    return (int64_t)llround(x * 1e9);
}

/* Scores of round `num` into m->nmod. */
static void draw_scores(bg_model *m, uint64_t num, const bg_round *r)
{
    const bg_numerai_config *c = &m->cfg.nm;
    rng_key ke = {m->cfg.seed, m->cfg.run_index, RNG_PURPOSE_MARKET, BG_ENT_ROUND + num};
    rng_event_reset(m->ev, &ke, num);
    double era = gsl_ran_gaussian(m->ev, c->era_sd);
    for (size_t i = 0; i < c->models; i++) {
        rng_key k = {m->cfg.seed, m->cfg.run_index, RNG_PURPOSE_QUALITY, (uint64_t)i + 1};
        rng_event_reset(m->ev, &k, num);
        double corr = m->nm[i].mu + era + gsl_ran_gaussian(m->ev, c->corr_sd);
        double mmc = m->nm[i].orig * m->nm[i].mu * c->mmc_k + gsl_ran_gaussian(m->ev, c->mmc_sd);
        m->nmod[i] = (tsr_numerai_model){r->stake[i], r->valid[i], to_ppb(corr), to_ppb(mmc)};
    }
}

/* v3: a loss of up to the round's lock comes out of the lock escrow (burned or returned), the
** rest of the lock goes back to the stake. *burned gets the loss taken. */
static int settle_lock(bg_model *m, uint64_t day, size_t i, uint64_t lock, int64_t p,
                       uint64_t *burned)
{
    uint64_t want = p < 0 ? (uint64_t)(-p) : 0, loss = want < lock ? want : lock;
    int rc = m->cfg.nm.burn_to_treasury ? bg_move(m, day, m->nm_lock, 0, loss, "numerai_burn")
                                        : bg_burn(m, day, m->nm_lock, loss, "numerai_burn");
    if (rc != 0 || bg_move(m, day, m->nm_lock, stake_acct(i), lock - loss, "round_release") != 0)
        return -1;
    *burned = loss;
    return 0;
}

/* Applies payouts: positive from the treasury, negative burned (or returned) from the stake
** (v2) or from the round's lock (v3). */
static int apply(bg_model *m, uint64_t day, uint64_t *paid, uint64_t *burned)
{
    const bg_numerai_config *c = &m->cfg.nm;
    *paid = 0, *burned = 0;
    for (size_t i = 0; i < c->models; i++) {
        int64_t p = m->npay[i];
        if (c->atomic_v3) {
            uint64_t loss = 0;
            if (settle_lock(m, day, i, m->nmod[i].stake, p, &loss) != 0)
                return -1;
            *burned += loss;
            m->nm[i].payout_sum -= (int64_t)loss;
            p = p > 0 ? p : 0; /* the loss is settled; a gain is paid below */
        }
        if (p > 0) {
            uint64_t have = m->bgr.balance[0], x = (uint64_t)p < have ? (uint64_t)p : have;
            if (bg_move(m, day, 0, pay_acct(m, i), x, "numerai_payout") != 0)
                return -1;
            *paid += x;
            m->nm[i].payout_sum += (int64_t)x;
        } else if (p < 0) {
            uint64_t want = (uint64_t)(-p), have = m->bgr.balance[stake_acct(i)];
            uint64_t x = want < have ? want : have;
            int rc = c->burn_to_treasury ? bg_move(m, day, stake_acct(i), 0, x, "numerai_burn")
                                         : bg_burn(m, day, stake_acct(i), x, "numerai_burn");
            if (rc != 0)
                return -1;
            *burned += x;
            m->nm[i].payout_sum -= (int64_t)x;
        }
        if (m->nmod[i].valid)
            m->nm[i].risk_sum += m->nmod[i].stake;
    }
    return 0;
}

/* Sybil gain of the round: the largest at-risk stake split over k identical models. *gain is
** left at 0 when no valid model has a stake or the single model's payout is 0. */
static int sybil_gain(bg_model *m, uint64_t day, const tsr_numerai_rules *rules, double *gain)
{
    size_t n = m->cfg.nm.models, k = m->cfg.nm.sybil_k, big = SIZE_MAX;
    *gain = 0.0;
    for (size_t i = 0; i < n; i++)
        if (m->nmod[i].valid && m->nmod[i].stake > 0 &&
            (big == SIZE_MAX || m->nmod[i].stake > m->nmod[big].stake))
            big = i;
    if (k == 0 || big == SIZE_MAX || !m->nmod || m->npay[big] == 0)
        return 0;
    tsr_numerai_model *alt = malloc((n + k - 1) * sizeof *alt);
    int64_t *pay = malloc((n + k - 1) * sizeof *pay);
    if (!alt || !pay) {
        free(alt);
        free(pay);
        return bg_fail(m, day, "out of memory");
    }
    int rc = 0;
    memcpy(alt, m->nmod, n * sizeof *alt);
    uint64_t s = m->nmod[big].stake, piece = s / k;
    alt[big].stake = s - piece * (k - 1); /* the first piece takes the remainder */
    for (size_t j = 1; j < k; j++)
        alt[n + j - 1] = (tsr_numerai_model){piece, 1, m->nmod[big].corr_ppb, m->nmod[big].mmc_ppb};
    if (tsr_numerai_round(rules, alt, n + k - 1, pay, &(tsr_numerai_totals){0}) != TSR_OK)
        rc = bg_fail(m, day, "numerai: the Sybil counterfactual was refused");
    if (rc == 0) {
        double sum = (double)pay[big];
        for (size_t j = 1; j < k; j++)
            sum += (double)pay[n + j - 1];
        *gain = sum / (double)m->npay[big];
    }
    free(alt), free(pay);
    return rc;
}

/* Return per unit of stake of a copy of the Meta Model (MMC 0) and of the field. */
static void copy_return(const bg_model *m, const tsr_numerai_totals *t, uint64_t paid,
                        uint64_t burned, double *copy, double *field)
{
    const bg_numerai_config *c = &m->cfg.nm;
    double w = 0.0, corr = 0.0;
    for (size_t i = 0; i < c->models; i++)
        if (m->nmod[i].valid) {
            w += (double)m->nmod[i].stake;
            corr += (double)m->nmod[i].stake * (double)m->nmod[i].corr_ppb / 1e9;
        }
    double x = w > 0 ? (double)t->pf_ppb / 1e9 * ((double)c->corr_num / 1e6) * (corr / w) : 0.0;
    double clip = (double)c->clip_ppb / 1e9;
    *copy = x > clip ? clip : (x < -clip ? -clip : x);
    *field = t->at_risk ? ((double)paid - (double)burned) / (double)t->at_risk : 0.0;
}

/* Metrics of a resolved round beyond the payouts: the §2.8 counterfactuals and the runway. */
static int record_extras(bg_model *m, uint64_t day, const tsr_numerai_rules *rules,
                         const tsr_numerai_totals *t, uint64_t paid, uint64_t burned)
{
    double gain = 0.0, copy = 0.0, field = 0.0;
    if (sybil_gain(m, day, rules, &gain) != 0)
        return -1;
    copy_return(m, t, paid, burned, &copy, &field);
    m->nm_outflow += (double)paid - (m->cfg.nm.burn_to_treasury ? (double)burned : 0.0);
    double mean = m->nm_outflow / (double)m->tot.nm_rounds;
    double runway = mean > 0 ? (double)m->bgr.balance[0] / mean : -1.0;
    if ((gain != 0.0 && bg_series_f(m, day, "numerai.sybil_gain", 0, gain)) ||
        bg_series_f(m, day, "numerai.copy_return", 0, copy) ||
        bg_series_f(m, day, "numerai.field_return", 0, field) ||
        bg_series_f(m, day, "numerai.runway_rounds", 0, runway))
        return -1;
    return 0;
}

int bg_on_resolve(sim *s, const eq_event *ev, void *ctx)
{
    (void)s;
    bg_model *m = ctx;
    const bg_numerai_config *c = &m->cfg.nm;
    uint64_t day = ev->tick, num = ev->data;
    bg_round *r = &m->rounds[num];
    draw_scores(m, num, r);
    tsr_numerai_rules rules = {c->threshold, c->corr_num, 1000000,
                               c->mmc_num,   1000000,     c->clip_ppb};
    tsr_numerai_totals t;
    int rc = tsr_numerai_round(&rules, m->nmod, c->models, m->npay, &t);
    if (rc != TSR_OK)
        return bg_fail(m, day, "round %llu: payout rule refused (%s)", (unsigned long long)num,
                       tsr_strerror(rc));
    uint64_t paid, burned;
    if (apply(m, day, &paid, &burned) != 0)
        return -1;
    m->nm_open_risk -= t.at_risk;
    size_t valid = 0;
    for (size_t i = 0; i < c->models; i++)
        valid += r->valid[i] != 0;
    free(r->stake), free(r->valid);
    r->stake = NULL, r->valid = NULL;
    m->tot.nm_paid += paid, m->tot.nm_burned += burned, m->tot.nm_rounds++;
    char what[48];
    snprintf(what, sizeof what, "round %llu resolution", (unsigned long long)num);
    if (bg_check(m, day, what) != 0)
        return -1;
    if (bg_series_u(m, day, "numerai.round", num) ||
        bg_series_f(m, day, "numerai.pf", 0, (double)t.pf_ppb / 1e9) ||
        bg_series_u(m, day, "numerai.at_risk", t.at_risk) ||
        bg_series_u(m, day, "numerai.paid", paid) ||
        bg_series_u(m, day, "numerai.burned", burned) ||
        bg_series_i(m, day, "numerai.net", 0, (int64_t)paid - (int64_t)burned) ||
        bg_series_f(m, day, "numerai.clip_hit_rate", 0,
                    valid ? (double)t.clip_hits / (double)valid : 0.0) ||
        bg_series_u(m, day, "numerai.treasury", m->bgr.balance[0]) ||
        bg_series_u(m, day, "numerai.supply", (m->bgr.genesis + m->bgr.minted - m->bgr.burned)))
        return -1;
    return record_extras(m, day, &rules, &t, paid, burned);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* nmrdash ROI: (sum payout / sum at-risk stake) x rounds per year, clipped to +-50 %. */
int bg_numerai_finish(bg_model *m)
{
    const bg_numerai_config *c = &m->cfg.nm;
    uint64_t day = m->cfg.days;
    double *roi = malloc(c->models * sizeof *roi), sum = 0.0;
    if (!roi)
        return bg_fail(m, day, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < c->models; i++) {
        if (m->nm[i].risk_sum == 0)
            continue;
        double x =
            (double)m->nm[i].payout_sum / (double)m->nm[i].risk_sum * 365.0 / (double)c->interval;
        roi[k++] = x > 0.5 ? 0.5 : (x < -0.5 ? -0.5 : x);
        sum += roi[k - 1];
    }
    qsort(roi, k, sizeof *roi, cmp_double);
    int rc = 0;
    if (k > 0)
        rc = bg_series_f(m, day, "numerai.roi_p10", 0, roi[k / 10]) ||
             bg_series_f(m, day, "numerai.roi_p50", 0, roi[k / 2]) ||
             bg_series_f(m, day, "numerai.roi_p90", 0, roi[(k * 9) / 10]) ||
             bg_series_f(m, day, "numerai.roi_mean", 0, sum / (double)k);
    free(roi);
    if (rc == 0)
        rc = bg_series_f(m, day, "numerai.stake_skill_corr", 0, stake_skill_corr(m));
    return rc ? -1 : 0;
}

void bg_numerai_free(bg_model *m)
{
    for (size_t i = 0; i < m->nrounds; i++)
        free(m->rounds[i].stake), free(m->rounds[i].valid);
    free(m->rounds);
    free(m->nm);
    free(m->nmod);
    free(m->npay);
}
