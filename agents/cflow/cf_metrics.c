/*
** cf_metrics.c: the metrics of model "cflow" (spec mechanisms §4.6), written at every sample.
**
** Entity 0: nodes, apps, links (edges), forks (when fork_prob > 0: fine-tunes that forked a
** model, cumulative), link_attempts, link_rejected, rejected_fraction and
** rejected_<reason> (cumulative counts per tsr_cflow_reject reason); events, revenue (since the
** previous sample), revenue_total; share_depth_0..7 and share_depth_8plus (cumulative share of
** revenue kept at that distance from the paying node), share_foundation, share_finetune,
** share_app, share_dataset, share_contributor (cumulative share kept by node type);
** income_gini (cumulative income over nodes), member_gini (contributor balances);
** stack_mean/_p50/_p90/_max (royalty stacks as fractions); touched_mean and touched_max (nodes
** touched per revenue event); dilution_* and fork_* while an attack is active (events routed,
** actual vs counterfactual root / upstream / attacker income, root_change = actual / cf - 1).
** Nodes (entity n + 1): income (cumulative, units). Ledger rows: at each sample one mint of the
** window's revenue and one transfer per node of its income in the window.
** Cost: O(N log N + members) per sample.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cf_int.h"

static const char *const type_name[] = {"foundation", "finetune", "app", "dataset", "contributor"};

int cf__declare_node(cf_model *m, uint32_t n, const char *name)
{
    const recorder *r = m->rec;
    return r->vt->entity(r->ctx, (int64_t)n + 1, "node", type_name[m->node[n].type], name,
                         (int64_t)m->node[n].type + 1);
}

typedef struct sampler {
    cf_model *m; /* the model */
    int64_t t;   /* metric time */
    int64_t day; /* the day, as "block" */
    int bad;     /* a write failed */
} sampler;

static void put_i(sampler *s, const char *metric, int64_t id, uint64_t v)
{
    const recorder *r = s->m->rec;
    int64_t x = v > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)v;
    s->bad |= r->vt->series_i64(r->ctx, s->t, s->day, metric, id, x) != 0;
}

static void put_f(sampler *s, const char *metric, int64_t id, double v)
{
    const recorder *r = s->m->rec;
    s->bad |= r->vt->series_f64(r->ctx, s->t, s->day, metric, id, v) != 0;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static void graph_metrics(sampler *s, uint64_t *tmp)
{
    cf_model *m = s->m;
    static const char *const why[10] = {NULL,
                                        "rejected_bad_node",
                                        "rejected_self",
                                        "rejected_rate",
                                        "rejected_duplicate",
                                        "rejected_cycle",
                                        "rejected_has_children",
                                        "rejected_parents",
                                        "rejected_stack",
                                        "rejected_ancestors"};
    uint64_t edges = 0;
    double mean = 0;
    size_t n = m->g.n;
    for (size_t i = 0; i < n; i++) {
        edges += m->g.node[i].nparents, tmp[i] = m->g.node[i].stack;
        mean += (double)tmp[i] / 1e8 / (double)n;
    }
    put_i(s, "nodes", 0, n), put_i(s, "apps", 0, m->napps), put_i(s, "links", 0, edges);
    put_i(s, "link_attempts", 0, m->tot.attempts), put_i(s, "link_rejected", 0, m->tot.rejected);
    if (m->cfg.fork_prob > 0)
        put_i(s, "forks", 0, m->tot.forks);
    put_f(s, "rejected_fraction", 0,
          m->tot.attempts ? (double)m->tot.rejected / (double)m->tot.attempts : 0.0);
    for (int r = 1; r < 10; r++)
        put_i(s, why[r], 0, m->tot.rejected_by[r]);
    if (n == 0)
        return;
    qsort(tmp, n, sizeof *tmp, cmp_u64);
    put_f(s, "stack_mean", 0, mean);
    size_t median = (n - 1) / 2; /* index of the median (lower one when n is even) */
    put_f(s, "stack_p50", 0, (double)tmp[median] / 1e8);
    put_f(s, "stack_p90", 0, (double)tmp[(size_t)(0.9 * (double)(n - 1))] / 1e8);
    put_f(s, "stack_max", 0, (double)tmp[n - 1] / 1e8);
}

static void revenue_metrics(sampler *s, uint64_t *tmp)
{
    cf_model *m = s->m;
    char name[40];
    double total = (double)m->tot.revenue;
    put_i(s, "events", 0, m->win_events), put_i(s, "revenue", 0, m->win_revenue);
    put_i(s, "revenue_total", 0, m->tot.revenue);
    for (int k = 0; k < CF_DEPTHS; k++) {
        if (k < CF_DEPTHS - 1)
            snprintf(name, sizeof name, "share_depth_%d", k);
        else
            snprintf(name, sizeof name, "share_depth_%dplus", k);
        put_f(s, name, 0, total > 0 ? (double)m->depth_amt[k] / total : 0.0);
    }
    for (int t = 0; t < 5; t++) {
        snprintf(name, sizeof name, "share_%s", type_name[t]);
        put_f(s, name, 0, total > 0 ? (double)m->type_amt[t] / total : 0.0);
    }
    for (size_t i = 0; i < m->g.n; i++)
        tmp[i] = m->node[i].income;
    put_f(s, "income_gini", 0, cf_gini(tmp, m->g.n));
    put_f(s, "member_gini", 0, cf_gini(m->ledger.balance + 1, m->ledger.n - 1));
    put_f(s, "touched_mean", 0,
          m->tot.events ? (double)m->tot.touched / (double)m->tot.events : 0.0);
    put_i(s, "touched_max", 0, m->touched_max);
}

static void attack_metrics(sampler *s, const cf_attack *a, const char *p)
{
    char name[48];
#define PUT_I(suffix, v) (snprintf(name, sizeof name, "%s_%s", p, suffix), put_i(s, name, 0, v))
    PUT_I("state", (uint64_t)(a->state + 1)); /* 0 failed, 1 not yet, 2 active */
    if (a->state != 1)
        return;
    PUT_I("events", a->events);
    PUT_I("root", a->root), PUT_I("root_cf", a->root_cf);
    PUT_I("upstream", a->up), PUT_I("upstream_cf", a->up_cf);
    PUT_I("attacker", a->own), PUT_I("attacker_cf", a->own_cf);
#undef PUT_I
    snprintf(name, sizeof name, "%s_root_change", p);
    put_f(s, name, 0, a->root_cf ? (double)a->root / (double)a->root_cf - 1.0 : 0.0);
    snprintf(name, sizeof name, "%s_attacker_gain", p);
    put_f(s, name, 0, a->own_cf ? (double)a->own / (double)a->own_cf - 1.0 : 0.0);
}

static int node_rows(sampler *s)
{
    cf_model *m = s->m;
    const recorder *r = m->rec;
    if (m->win_revenue &&
        r->vt->ledger(r->ctx, m->ledger_seq++, s->t, "mint", -1, 0, m->win_revenue, "revenue"))
        return -1;
    for (size_t i = 0; i < m->g.n; i++) {
        cf_node *d = &m->node[i];
        put_i(s, "income", (int64_t)i + 1, d->income);
        if (d->income_win && r->vt->ledger(r->ctx, m->ledger_seq++, s->t, "transfer", 0,
                                           (int64_t)i + 1, d->income_win, "royalty_income"))
            return -1;
        d->income_win = 0;
    }
    return 0;
}

int cf__sample(cf_model *m, uint64_t day)
{
    sampler s = {m, (int64_t)(day * m->cfg.day_seconds), (int64_t)day, 0};
    uint64_t *tmp = malloc((m->g.n ? m->g.n : 1) * sizeof *tmp);
    if (!tmp)
        return -1;
    graph_metrics(&s, tmp);
    revenue_metrics(&s, tmp);
    free(tmp);
    if (m->cfg.dilution_day)
        attack_metrics(&s, &m->dil, "dilution");
    if (m->cfg.fork_day)
        attack_metrics(&s, &m->fork, "fork");
    if (node_rows(&s) != 0)
        s.bad = 1;
    m->win_revenue = 0, m->win_events = 0;
    return s.bad ? -1 : 0;
}
