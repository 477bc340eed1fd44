/*
** ag_metrics.c: the metrics of model "aigen" (spec mechanisms §3.3), written at every sample.
**
** Entity 0 (platform): spend, calls, platform_revenue, dev_paid, val_paid, burn_fee,
** burn_unearned, unearned_treasury, slashed, invest (units or calls summed since the previous
** sample), burned (cumulative), supply, treasury (balances); with aigen.call_target > 0 also
** burn_base (base fees burned since the previous sample, units) and base_fee (tokens per call
** for the next epoch); kendall_tau (S_c against true
** quality), top_decile_share (developer revenue share of the top-decile true-quality
** controllers since the previous sample), hhi_usage (HHI of spend shares since the previous
** sample), avg_price (tokens per call), accuracy_mean/_p10/_p50/_p90 (1 - e_v of the last
** epoch over validators), reward_per_stake_honest/_lazy/_copier/_coalition (validator reward
** since the previous sample per unit of stake, per epoch), coalition_stake_share,
** coalition_payoff (cumulative units: its validators' rewards and forfeits received, its
** controllers' developer revenue) and coalition_payoff_share (of all developer and validator
** payouts plus redistributed forfeits). Controllers: quality, score, usage (spend share),
** dev_revenue.
** Validators: accuracy, reward, stake.
** Attacks (entity 0, only for a configured attack: cabal = the coalition, copier = the copiers):
** attack.<kind>.active (every sample, and at a switch epoch between samples), payoff_share
** (attacker payoff over every developer and validator payout plus redistributed forfeits; the
** cabal's payoff includes its controllers' developer revenue), stake_share (attacker validators'
** stake before each epoch over all, mean over the epochs), share_gap (the difference),
** return_ratio ((attacker payoff / stake) / (honest validators' payoff / stake), sums over the
** epochs) and, copier only, advantage (G = sum of the copiers' reward / stake over the sum of
** the median over honest validators of reward / stake) and advantage_group (mechanisms §6.4's G:
** the same over the honest validators' reward / their stake as a group); per period, and as
** *_total over the attack's window at the last sample; stake (units on the attackers' stake
** accounts at the sample: the capital the attack locks, its only cost here), and at the last
** sample kappa_block (first epoch in which the other validators held less than aigen.kappa of
** the stake, so that the attackers alone set the stake-weighted kappa-median; -1: never) and
** kappa_delay (epochs from the attack's start to the first such epoch inside its window, -1).
** Cost: O(C^2) for tau, O(V log V) for the quantiles and the copier's median.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ag_int.h"

/* Validator roles by ag_strategy: entity roles and the slash-flow metrics' suffixes. */
static const char *const strategy_name[4] = {"honest", "lazy", "copier", "coalition"};

double ag_kendall_tau(const double *a, const double *b, size_t n)
{
    double conc = 0, disc = 0, ta = 0, tb = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            double x = a[i] - a[j], y = b[i] - b[j];
            if (x == 0 && y == 0)
                continue;
            if (x == 0)
                ta++;
            else if (y == 0)
                tb++;
            else if ((x > 0) == (y > 0))
                conc++;
            else
                disc++;
        }
    double d = sqrt((conc + disc + ta) * (conc + disc + tb));
    return d > 0 ? (conc - disc) / d : 0.0;
}

double ag_hhi(const uint64_t *x, size_t n)
{
    double sum = 0, h = 0;
    for (size_t i = 0; i < n; i++)
        sum += (double)x[i];
    if (sum <= 0)
        return 0.0;
    for (size_t i = 0; i < n; i++)
        h += ((double)x[i] / sum) * ((double)x[i] / sum);
    return h;
}

int ag__declare_entities(ag_model *m)
{
    const recorder *r = m->rec;
    char name[48];
    if (r->vt->entity(r->ctx, 0, "network", "platform", "platform", 0))
        return -1;
    for (uint32_t c = 0; c < m->cfg.controllers; c++) {
        snprintf(name, sizeof name, "controller-%u", c + 1);
        int64_t group = c < m->cfg.coalition_controllers ? 2 : 1;
        if (r->vt->entity(r->ctx, ag__ctrl_id(c), "agent", "controller", name, group))
            return -1;
    }
    for (uint32_t v = 0; v < m->nval; v++) {
        snprintf(name, sizeof name, "validator-%u", v + 1);
        if (r->vt->entity(r->ctx, ag__val_id(m, v), "agent", strategy_name[m->strategy[v]], name,
                          (int64_t)m->strategy[v] + 1))
            return -1;
    }
    int64_t t = ag__val_id(m, m->nval);
    return r->vt->entity(r->ctx, t, "account", "treasury", "treasury", 0) ||
           r->vt->entity(r->ctx, t + 1, "group", "consumers", "consumers", 0);
}

typedef struct sampler {
    ag_model *m;   /* the model */
    int64_t t;     /* metric time */
    int64_t epoch; /* the epoch, as "block" */
    int bad;       /* a write failed */
} sampler;

static void put_i(sampler *s, const char *metric, int64_t id, uint64_t v)
{
    const recorder *r = s->m->rec;
    int64_t x = v > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)v;
    s->bad |= r->vt->series_i64(r->ctx, s->t, s->epoch, metric, id, x) != 0;
}

static void put_f(sampler *s, const char *metric, int64_t id, double v)
{
    const recorder *r = s->m->rec;
    s->bad |= r->vt->series_f64(r->ctx, s->t, s->epoch, metric, id, v) != 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void flows(sampler *s)
{
    ag_model *m = s->m;
    const ag_window *w = &m->win;
    put_i(s, "spend", 0, w->spend), put_i(s, "calls", 0, w->calls);
    put_i(s, "platform_revenue", 0, w->platform), put_i(s, "dev_paid", 0, w->dev_paid);
    put_i(s, "val_paid", 0, w->val_paid), put_i(s, "burn_fee", 0, w->burn_fee);
    put_i(s, "burn_unearned", 0, w->burn_unearned);
    put_i(s, "unearned_treasury", 0, w->unearned_treasury);
    put_i(s, "slashed", 0, w->slashed), put_i(s, "invest", 0, w->invest);
    if (m->cfg.call_target) { /* the EIP-1559 base fee, when on */
        put_i(s, "burn_base", 0, w->burn_base);
        put_f(s, "base_fee", 0, (double)m->base_fee / 1e9);
    }
    /* spec §6.4's coherence-slash flows by group; slashed_honest is the false-positive cost */
    for (int g = 0; g < 4; g++) {
        char name[40];
        snprintf(name, sizeof name, "slashed_%s", strategy_name[g]);
        put_i(s, name, 0, w->slashed_by[g]);
        snprintf(name, sizeof name, "slash_received_%s", strategy_name[g]);
        put_i(s, name, 0, w->slash_got_by[g]);
    }
    put_i(s, "burned", 0, m->ledger.burned), put_i(s, "supply", 0, ag_model_supply(m));
    put_i(s, "treasury", 0, m->ledger.balance[ag__acc(m, AG_ACC_TREASURY, 0)]);
    put_f(s, "avg_price", 0, w->calls ? (double)w->spend / (double)w->calls / 1e9 : 0.0);
    put_f(s, "hhi_usage", 0, ag_hhi(m->use_win, m->cfg.controllers));
    double gain;
    if (ag__sybil_gain(m, &gain))
        put_f(s, "sybil_gain", 0, gain);
}

/* Kendall tau and the top-decile developer share (qualities ranked, ties by index). */
static int quality_metrics(sampler *s, double *tmp)
{
    ag_model *m = s->m;
    const uint32_t C = m->cfg.controllers;
    double *sc = calloc(C, sizeof *sc);
    if (!sc)
        return -1;
    for (uint32_t c = 0; c < C; c++)
        sc[c] = (double)m->score[c], tmp[c] = m->quality[c];
    put_f(s, "kendall_tau", 0, ag_kendall_tau(sc, m->quality, C));
    qsort(tmp, C, sizeof *tmp, cmp_double);
    /* the top decile: every controller above the cut quality, then controllers at the cut in
    ** index order until the decile is full (so exactly `top` of them, whatever the ties) */
    uint32_t top = C / 10 ? C / 10 : 1, above = 0, ties = 0;
    double cut = tmp[C - top], in = 0, all = 0;
    for (uint32_t c = 0; c < C; c++)
        above += m->quality[c] > cut;
    for (uint32_t c = 0; c < C; c++) {
        all += (double)m->dev_win[c];
        if (m->quality[c] > cut || (m->quality[c] == cut && above + ties++ < top))
            in += (double)m->dev_win[c];
    }
    put_f(s, "top_decile_share", 0, all > 0 ? in / all : 0.0);
    free(sc);
    return 0;
}

static void validator_metrics(sampler *s, double *acc)
{
    ag_model *m = s->m;
    const uint32_t V = m->nval;
    double rew[4] = {0}, stk[4] = {0}, mean = 0, own = 0, total = 0;
    double ep = m->win.epochs ? (double)m->win.epochs : 1.0;
    for (uint32_t v = 0; v < V; v++) {
        uint64_t st = m->ledger.balance[ag__acc(m, AG_ACC_STAKE, v)];
        acc[v] = 1.0 - (double)m->err_last[v] / 1e9;
        mean += acc[v] / V;
        rew[m->strategy[v]] += (double)m->val_win[v], stk[m->strategy[v]] += (double)st;
        total += (double)st, own += m->strategy[v] == AG_COALITION ? (double)st : 0.0;
        put_f(s, "accuracy", ag__val_id(m, v), acc[v]);
        put_i(s, "reward", ag__val_id(m, v), m->val_win[v]);
        put_i(s, "stake", ag__val_id(m, v), st);
    }
    static const char *const name[4] = {"reward_per_stake_honest", "reward_per_stake_lazy",
                                        "reward_per_stake_copier", "reward_per_stake_coalition"};
    for (int k = 0; k < 4; k++)
        if (stk[k] > 0)
            put_f(s, name[k], 0, rew[k] / stk[k] / ep);
    qsort(acc, V, sizeof *acc, cmp_double);
    put_f(s, "accuracy_mean", 0, mean);
    put_f(s, "accuracy_p10", 0, acc[(size_t)(0.1 * (V - 1))]);
    put_f(s, "accuracy_p50", 0, acc[(size_t)(0.5 * (V - 1))]);
    put_f(s, "accuracy_p90", 0, acc[(size_t)(0.9 * (V - 1))]);
    put_f(s, "coalition_stake_share", 0, total > 0 ? own / total : 0.0);
    put_i(s, "coalition_payoff", 0, m->coalition_payoff);
    put_f(s, "coalition_payoff_share", 0,
          m->coalition_paid_base ? (double)m->coalition_payoff / (double)m->coalition_paid_base
                                 : 0.0);
}

static void controller_metrics(sampler *s)
{
    ag_model *m = s->m;
    uint64_t all = 0;
    for (uint32_t c = 0; c < m->cfg.controllers; c++)
        all += m->use_win[c];
    for (uint32_t c = 0; c < m->cfg.controllers; c++) {
        int64_t id = ag__ctrl_id(c);
        put_f(s, "quality", id, m->quality[c]);
        put_f(s, "score", id, (double)m->score[c] / 1e9);
        put_f(s, "usage", id, all ? (double)m->use_win[c] / (double)all : 0.0);
        put_i(s, "dev_revenue", id, m->dev_win[c]);
    }
}

/* ---- attacks (scenarios/ATTACKS.md "Attacks in the other models") ------------------------- */

static const char *const atk_name[2] = {"cabal", "copier"};

static int is_sample_epoch(const ag_model *m, uint64_t epoch)
{
    return epoch % m->cfg.record_every == 0 || epoch >= m->cfg.epochs;
}

static void atk_add(ag_atk_acc *a, const ag_atk_acc *e)
{
    a->pay_att += e->pay_att, a->pay_tot += e->pay_tot, a->stake_share += e->stake_share;
    a->att_stake += e->att_stake, a->hon_pay += e->hon_pay, a->hon_stake += e->hon_stake;
    a->cop_ratio += e->cop_ratio, a->med_ratio += e->med_ratio, a->grp_ratio += e->grp_ratio;
    a->epochs += e->epochs, a->cop_epochs += e->cop_epochs;
}

static double median(double *v, size_t n)
{
    if (n == 0)
        return 0.0;
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* One settled epoch's terms of attack k. The attackers are the attack's validators (and, for
** the cabal, its controllers, its "miners"); honest means strategy honest (lazy validators and
** every attack's validators excluded). A validator's payoff is its accuracy reward plus the
** forfeits it received; a controller's its developer revenue. */
static void atk_terms(ag_model *m, ag_attack k, const tsr_aigen_totals *t, ag_atk_acc *e)
{
    const ag_strategy own = k == AG_ATK_CABAL ? AG_COALITION : AG_COPIER;
    double all = 0.0, cop_rew = 0.0, hon_rew = 0.0, hon_st = 0.0;
    size_t nr = 0;
    memset(e, 0, sizeof *e);
    for (uint32_t v = 0; v < m->nval; v++) {
        double st = (double)m->stake[v];
        double pay = (double)m->out.val_reward[v] + (double)m->out.slash_reward[v];
        all += st;
        if (m->strategy[v] == own) {
            e->pay_att += pay, e->att_stake += st, cop_rew += (double)m->out.val_reward[v];
        } else if (m->strategy[v] == AG_HONEST) {
            e->hon_pay += pay, e->hon_stake += st;
            if (st > 0.0) {
                m->ratios[nr++] = (double)m->out.val_reward[v] / st;
                hon_rew += (double)m->out.val_reward[v], hon_st += st;
            }
        }
    }
    for (uint32_t c = 0; k == AG_ATK_CABAL && c < m->cfg.coalition_controllers; c++)
        e->pay_att += (double)m->out.dev_revenue[c];
    e->pay_tot =
        (double)t->dev_paid + (double)t->val_paid + (double)(t->slashed - t->slash_unclaimed);
    e->stake_share = all > 0.0 ? e->att_stake / all : 0.0;
    e->epochs = 1;
    if (k == AG_ATK_COPIER && e->att_stake > 0.0 && nr > 0) {
        e->cop_ratio = cop_rew / e->att_stake;
        e->med_ratio = median(m->ratios, nr);
        e->grp_ratio = hon_rew / hon_st; /* nr > 0: some honest stake */
        e->cop_epochs = 1;
    }
}

static int atk_put_i(ag_model *m, uint64_t epoch, ag_attack k, const char *what, int64_t v)
{
    char name[64];
    snprintf(name, sizeof name, "attack.%s.%s", atk_name[k], what);
    const recorder *r = m->rec;
    return r->vt->series_i64(r->ctx, (int64_t)(epoch * m->cfg.epoch_seconds), (int64_t)epoch, name,
                             0, v) != 0;
}

static int atk_put_f(ag_model *m, uint64_t epoch, ag_attack k, const char *what, const char *sfx,
                     double v)
{
    char name[64];
    snprintf(name, sizeof name, "attack.%s.%s%s", atk_name[k], what, sfx);
    const recorder *r = m->rec;
    return r->vt->series_f64(r->ctx, (int64_t)(epoch * m->cfg.epoch_seconds), (int64_t)epoch, name,
                             0, v) != 0;
}

int ag__attack_epoch(ag_model *m, uint64_t epoch, const tsr_aigen_totals *t)
{
    for (int k = 0; k < 2; k++) {
        if ((k == AG_ATK_CABAL ? m->cfg.coalition : m->cfg.copiers) == 0)
            continue;
        ag_atk *at = &m->atk[k];
        ag_atk_acc e;
        int act = ag_model_attack_active(m, (ag_attack)k, epoch);
        atk_terms(m, (ag_attack)k, t, &e);
        atk_add(&at->period, &e);
        if (act)
            atk_add(&at->window, &e);
        /* everyone else's stake below the median's quorum: the attack sets the median alone */
        int below = 1.0 - e.stake_share < (double)m->cfg.settle.kappa_ppb / 1e9;
        if (below && at->kappa_any < 0)
            at->kappa_any = (int64_t)epoch;
        if (below && act && at->kappa_win < 0)
            at->kappa_win = (int64_t)epoch;
        /* the exact switch epoch is in the DB even when samples are sparser than epochs */
        if (act != at->active && !is_sample_epoch(m, epoch) &&
            atk_put_i(m, epoch, (ag_attack)k, "active", act) != 0)
            return -1;
        at->active = act;
    }
    return 0;
}

/* The ratios of one accumulator, suffixed ("" per period, "_total" over the window). */
static int atk_ratios(ag_model *m, uint64_t epoch, ag_attack k, const ag_atk_acc *a,
                      const char *sfx)
{
    int bad = 0;
    if (a->epochs == 0)
        return 0;
    double ps = a->pay_tot > 0.0 ? a->pay_att / a->pay_tot : 0.0;
    double ss = a->stake_share / (double)a->epochs;
    bad |= atk_put_f(m, epoch, k, "payoff_share", sfx, ps);
    bad |= atk_put_f(m, epoch, k, "stake_share", sfx, ss);
    bad |= atk_put_f(m, epoch, k, "share_gap", sfx, ps - ss);
    if (a->att_stake > 0.0 && a->hon_stake > 0.0 && a->hon_pay > 0.0)
        bad |= atk_put_f(m, epoch, k, "return_ratio", sfx,
                         (a->pay_att / a->att_stake) / (a->hon_pay / a->hon_stake));
    if (k == AG_ATK_COPIER && a->cop_epochs > 0 && a->med_ratio > 0.0)
        bad |= atk_put_f(m, epoch, k, "advantage", sfx, a->cop_ratio / a->med_ratio);
    if (k == AG_ATK_COPIER && a->cop_epochs > 0 && a->grp_ratio > 0.0)
        bad |= atk_put_f(m, epoch, k, "advantage_group", sfx, a->cop_ratio / a->grp_ratio);
    return bad;
}

/* Epochs from attack k's start (epoch 1 at the earliest) to the first epoch of its window in
** which everyone else's stake share was below kappa; -1 if none. */
static int64_t kappa_delay(const ag_model *m, ag_attack k)
{
    uint64_t start = k == AG_ATK_CABAL ? m->cfg.coalition_start : m->cfg.copier_start;
    if (m->atk[k].kappa_win < 0)
        return -1;
    return m->atk[k].kappa_win - (int64_t)(start > 1 ? start : 1);
}

static int attack_metrics(ag_model *m, uint64_t epoch)
{
    int bad = 0;
    for (int k = 0; k < 2; k++) {
        const ag_strategy own = k == AG_ATK_CABAL ? AG_COALITION : AG_COPIER;
        if ((k == AG_ATK_CABAL ? m->cfg.coalition : m->cfg.copiers) == 0)
            continue;
        ag_atk *at = &m->atk[k];
        uint64_t stake = 0;
        for (uint32_t v = 0; v < m->nval; v++)
            stake += m->strategy[v] == own ? m->ledger.balance[ag__acc(m, AG_ACC_STAKE, v)] : 0;
        bad |= atk_put_i(m, epoch, (ag_attack)k, "active",
                         ag_model_attack_active(m, (ag_attack)k, epoch));
        bad |= atk_put_i(m, epoch, (ag_attack)k, "stake",
                         stake > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)stake);
        bad |= atk_ratios(m, epoch, (ag_attack)k, &at->period, "");
        memset(&at->period, 0, sizeof at->period);
        if (epoch >= m->cfg.epochs)
            bad |= atk_ratios(m, epoch, (ag_attack)k, &at->window, "_total") ||
                   atk_put_i(m, epoch, (ag_attack)k, "kappa_block", at->kappa_any) ||
                   atk_put_i(m, epoch, (ag_attack)k, "kappa_delay", kappa_delay(m, (ag_attack)k));
    }
    return bad;
}

int ag__sample(ag_model *m, uint64_t epoch)
{
    sampler s = {m, (int64_t)(epoch * m->cfg.epoch_seconds), (int64_t)epoch, 0};
    size_t n = m->cfg.controllers > m->nval ? m->cfg.controllers : m->nval;
    double *tmp = malloc(n * sizeof *tmp);
    if (!tmp)
        return -1;
    flows(&s);
    if (quality_metrics(&s, tmp) != 0)
        s.bad = 1;
    validator_metrics(&s, tmp);
    controller_metrics(&s);
    if (attack_metrics(m, epoch) != 0)
        s.bad = 1;
    free(tmp);
    memset(&m->win, 0, sizeof m->win);
    memset(m->dev_win, 0, m->cfg.controllers * sizeof *m->dev_win);
    memset(m->use_win, 0, m->cfg.controllers * sizeof *m->use_win);
    memset(m->val_win, 0, m->nval * sizeof *m->val_win);
    return s.bad ? -1 : 0;
}
