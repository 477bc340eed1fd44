/*
** cf_world.c: model "cflow" — the world (nodes, contributor accounts, buffers), the day and
** sample events, and the settlement of one revenue event (see cf_model.h).
**
** Money of one event: minted into the customers account (external revenue enters the economy),
** propagated by tsr_cflow_pay (which checks that the kept amounts sum to the event), each node's
** keep split among its contributors and transferred to their accounts; the customers account
** must then be empty. Ledger rows are per day: one mint row, and per node the income of the day.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cf_int.h"

int cf__fail(cf_model *m, const char *what)
{
    snprintf(m->err, m->errlen, "cflow: %s", what);
    return -1;
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap : 64;
    while (nc < need)
        nc *= 2;
    void *q = realloc(*p, nc * size);
    if (!q)
        return -1;
    *p = q, *cap = nc;
    return 0;
}

static int resize(void **p, size_t n, size_t size)
{
    void *q = realloc(*p, n * size);
    if (!q)
        return -1;
    *p = q;
    return 0;
}

int cf__reserve(cf_model *m)
{
    size_t need = m->g.n + 2;
    if (grow((void **)&m->node, &m->capn, need, sizeof *m->node))
        return -1;
    if (need <= m->capb)
        return 0;
    size_t nc = m->capb ? m->capb : 64;
    while (nc < need)
        nc *= 2;
    if (resize((void **)&m->out_node, nc, sizeof(uint32_t)) ||
        resize((void **)&m->out_amt, nc, sizeof(uint64_t)) ||
        resize((void **)&m->cf_node_buf, nc, sizeof(uint32_t)) ||
        resize((void **)&m->cf_amt, nc, sizeof(uint64_t)) ||
        resize((void **)&m->depth, nc, sizeof(uint32_t)))
        return -1;
    m->capb = nc;
    return 0;
}

int cf_model_add_node(cf_model *m, cf_type type, uint32_t members, const uint64_t *weights,
                      uint32_t *id)
{
    if (members == 0 || members > 64 || (unsigned)type > CF_CONTRIBUTOR)
        return cf__fail(m, "a node needs 1..64 contributors");
    if (cf__reserve(m) != 0 || grow((void **)&m->w, &m->capw, m->nw + members, sizeof *m->w))
        return cf__fail(m, "out of memory");
    tsr_u128 *sw = realloc(m->sw, m->capw * sizeof *sw);
    if (!sw)
        return cf__fail(m, "out of memory");
    m->sw = sw;
    uint32_t n;
    if (tsr_cflow_add_node(&m->g, &n) != TSR_OK)
        return cf__fail(m, "the graph refused a node");
    cf_node *d = &m->node[n];
    memset(d, 0, sizeof *d);
    d->type = type, d->members = members, d->acct = m->ledger.n, d->wofs = m->nw;
    for (uint32_t j = 0; j < members; j++) {
        m->w[m->nw + j] = weights ? weights[j] : 1;
        if (m->w[m->nw + j] == 0 || tsr_ledger_open(&m->ledger, 0, NULL) != TSR_OK)
            return cf__fail(m, "cannot open a contributor account (zero weight?)");
    }
    m->nw += members;
    if (cf__choice_node(m, n) != 0)
        return cf__fail(m, "out of memory");
    if (cf__node_weights(m, n) != 0)
        return cf__fail(m, "cannot compute the contributors' split weights");
    if (type == CF_APP) {
        if (grow((void **)&m->apps, &m->capapps, m->napps + 1, sizeof *m->apps))
            return cf__fail(m, "out of memory");
        double *cum = realloc(m->appeal_cum, m->capapps * sizeof *cum);
        if (!cum)
            return cf__fail(m, "out of memory");
        m->appeal_cum = cum;
        m->apps[m->napps++] = n;
        d->appeal = 1.0;
        m->appeal_dirty = 1;
    }
    *id = n;
    return 0;
}

int cf_model_link(cf_model *m, uint32_t child, uint32_t parent, uint32_t rate,
                  tsr_cflow_reject *why)
{
    tsr_cflow_reject r = TSR_CFLOW_LINKED;
    (void)tsr_cflow_link_add(&m->g, child, parent, rate, &r);
    m->tot.attempts++;
    if (r == TSR_CFLOW_LINKED)
        cf__choice_linked(m, parent);
    if (r != TSR_CFLOW_LINKED) {
        m->tot.rejected++;
        m->tot.rejected_by[(unsigned)r < 10 ? (unsigned)r : 0]++;
    }
    if (why)
        *why = r;
    return r != TSR_CFLOW_LINKED;
}

int cf__propagate(cf_model *m, uint32_t node, uint64_t amount, uint32_t *nodes, uint64_t *amounts,
                  uint32_t *depth, size_t *cnt)
{
    if (m->g.mode == TSR_CFLOW_RELATIVE)
        return tsr_cflow_pay_live(&m->g, node, amount, nodes, amounts, depth, m->capb, cnt);
    return tsr_cflow_pay_depth(&m->g, node, amount, nodes, amounts, depth, m->capb, cnt);
}

/* Node n keeps `kept`: split among its contributors, customers -> contributor accounts. */
static int credit(cf_model *m, uint32_t n, uint64_t kept)
{
    cf_node *d = &m->node[n];
    if (cf__split(m, n, kept) != 0)
        return cf__fail(m, "contributor split refused");
    for (uint32_t j = 0; j < d->members; j++)
        if (tsr_ledger_transfer(&m->ledger, 0, d->acct + j, m->split[j]) != TSR_OK)
            return cf__fail(m, "ledger refused a contributor payment");
    d->income += kept, d->income_win += kept;
    m->type_amt[d->type] += kept;
    return 0;
}

int cf__pay(cf_model *m, uint32_t node, uint64_t amount, size_t *n)
{
    size_t cnt = 0;
    if (cf__reserve(m) != 0)
        return cf__fail(m, "out of memory");
    int rc = cf__propagate(m, node, amount, m->out_node, m->out_amt, m->depth, &cnt);
    if (rc != TSR_OK)
        return cf__fail(m, "the reward core refused a revenue event");
    if (tsr_ledger_mint(&m->ledger, 0, amount) != TSR_OK)
        return cf__fail(m, "revenue overflows the ledger");
    for (size_t i = 0; i < cnt; i++) {
        uint32_t x = m->out_node[i], k = m->depth[i] < CF_DEPTHS - 1 ? m->depth[i] : CF_DEPTHS - 1;
        m->depth_amt[k] += m->out_amt[i];
        if (credit(m, x, m->out_amt[i]) != 0)
            return -1;
    }
    if (m->ledger.balance[0] != 0)
        return cf__fail(m, "customers account not empty after an event");
    m->node[node].events++;
    m->tot.revenue += amount, m->tot.events++, m->tot.touched += cnt;
    m->win_revenue += amount, m->win_events++;
    if (cnt > m->touched_max)
        m->touched_max = cnt;
    if (n)
        *n = cnt;
    return 0;
}

int cf_model_pay(cf_model *m, uint32_t node, uint64_t amount)
{
    if (node >= m->g.n)
        return cf__fail(m, "revenue at an unknown node");
    return cf__pay(m, node, amount, NULL);
}

static int on_day(sim *s, const eq_event *ev, void *ctx)
{
    cf_model *m = ctx;
    uint64_t day = ev->tick;
    if (cf__attacks(m, day) != 0 || cf__arrivals(m, day) != 0 || cf__revenue(m, day) != 0)
        return -1;
    if (tsr_ledger_check(&m->ledger) != TSR_OK)
        return cf__fail(m, "ledger conservation violated");
    if (day < m->cfg.days)
        return sim_at(s, day + 1, CF_PH_DAY, CF_EV_DAY, 0, 0, NULL);
    return 0;
}

static int on_sample(sim *s, const eq_event *ev, void *ctx)
{
    cf_model *m = ctx;
    uint64_t day = ev->tick;
    if (tsr_ledger_check(&m->ledger) != TSR_OK)
        return cf__fail(m, "ledger conservation violated");
    if (cf__sample(m, day) != 0)
        return cf__fail(m, "recording a sample failed");
    if (day >= m->cfg.days)
        return 0;
    uint64_t next = day + m->cfg.record_every;
    return sim_at(s, next < m->cfg.days ? next : m->cfg.days, CF_PH_SAMPLE, CF_EV_SAMPLE, 0, 0,
                  NULL);
}

static int schedule(cf_model *m, sim *s)
{
    uint64_t first = m->cfg.record_every < m->cfg.days ? m->cfg.record_every : m->cfg.days;
    if (sim_on(s, CF_EV_DAY, on_day, m) || sim_on(s, CF_EV_SAMPLE, on_sample, m) ||
        sim_at(s, 1, CF_PH_DAY, CF_EV_DAY, 0, 0, NULL) ||
        sim_at(s, first, CF_PH_SAMPLE, CF_EV_SAMPLE, 0, 0, NULL))
        return cf__fail(m, "cannot schedule the first events");
    return 0;
}

int cf_model_new(const cf_config *cfg, sim *s, const recorder *rec, cf_model **out, char *err,
                 size_t errlen)
{
    *out = NULL;
    if (cfg->days == 0 || cfg->record_every == 0 || cfg->members_max == 0 ||
        cfg->members_max > 64 || cfg->foundation_members == 0 || cfg->foundation_members > 64) {
        snprintf(err, errlen, "cflow: invalid configuration");
        return 2;
    }
    cf_model *m = calloc(1, sizeof *m);
    if (!m) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    m->cfg = *cfg, m->rec = rec, m->err = err, m->errlen = errlen;
    m->split = calloc(64, sizeof *m->split);
    m->ev = rng_event_new(), m->day = rng_event_new();
    int rc = -1;
    if (!m->split || !m->ev || !m->day ||
        tsr_cflow_init(&m->g, cfg->mode, cfg->max_parents, cfg->max_ancestors, NULL, NULL) ||
        tsr_ledger_init_alloc(&m->ledger, NULL, NULL, 1024) ||
        tsr_ledger_open(&m->ledger, 0, NULL) != TSR_OK) {
        snprintf(err, errlen, "cflow: out of memory or bad limits");
    } else if (m->rec->vt->entity(m->rec->ctx, 0, "network", "network", "network", 0) != 0) {
        snprintf(err, errlen, "cflow: recording entities failed");
    } else if ((rc = cf__genesis(m)) == 0 && (rc = schedule(m, s)) == 0) {
        *out = m;
        return 0;
    }
    cf_model_free(m);
    return rc == 2 ? 2 : -1;
}

int cf_model_finish(cf_model *m, char *err, size_t errlen)
{
    if (tsr_ledger_check(&m->ledger) != TSR_OK || m->ledger.balance[0] != 0 ||
        m->ledger.minted != m->tot.revenue) {
        snprintf(err, errlen, "cflow: ledger conservation violated at the end");
        return -1;
    }
    return 0;
}

void cf_model_free(cf_model *m)
{
    if (!m)
        return;
    tsr_ledger_clear(&m->ledger);
    tsr_cflow_clear(&m->g);
    free(m->node), free(m->w), free(m->sw), free(m->out_node), free(m->out_amt);
    free(m->cf_node_buf), free(m->cf_amt), free(m->depth);
    free(m->split), free(m->apps), free(m->appeal_cum), free(m->fw);
    free(m->typed[0]), free(m->typed[1]);
    gsl_rng_free(m->ev);
    gsl_rng_free(m->day);
    free(m);
}

uint64_t cf_model_income(const cf_model *m, uint32_t n)
{
    return n < m->g.n ? m->node[n].income : 0;
}

uint64_t cf_model_member_balance(const cf_model *m, uint32_t n, uint32_t j)
{
    if (n >= m->g.n || j >= m->node[n].members)
        return UINT64_MAX;
    return m->ledger.balance[m->node[n].acct + j];
}

uint32_t cf_model_nodes(const cf_model *m)
{
    return (uint32_t)m->g.n;
}

void cf_model_totals(const cf_model *m, cf_totals *t)
{
    *t = m->tot;
    t->dilution_root = m->dil.root, t->dilution_root_cf = m->dil.root_cf;
    t->fork_kept = m->fork.own, t->fork_kept_cf = m->fork.own_cf;
}

const tsr_cflow *cf_model_graph(const cf_model *m)
{
    return &m->g;
}
