/*
** cf_graph.c: model "cflow" — the graph at genesis and its growth, the revenue events of a day
** and the two attacks (see cf_model.h).
**
** Randomness: a node's contributors and weights come from its own stream (entity = node + 1,
** purpose SETUP), its parents, rates and appeal from (node + 1, DECISION); a day's arrival counts
** from (0, TIMING, day) and its revenue events from (0, MARKET, day). Parent choice is
** preferential attachment: a model (foundation or fine-tune) is chosen with weight
** 1 + its children, a dataset or contributor node uniformly; a fork picks the model it copies
** the same way. Cost: O(log N) per parent choice (a Fenwick tree over the model weights, kept
** up to date as nodes and links are added; per-type lists for datasets and contributors).
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "cf_int.h"

static const char *const type_name[] = {"foundation", "finetune", "app", "dataset", "contributor"};

static rng_key key_of(const cf_model *m, uint64_t entity, uint32_t purpose)
{
    rng_key k = {
        .seed = m->cfg.seed, .run_index = m->cfg.run_index, .purpose = purpose, .entity = entity};
    return k;
}

static uint64_t to_units(double x)
{
    if (!(x >= 1.0))
        return 1;
    return x > 1e15 ? 1000000000000000ull : (uint64_t)llround(x);
}

/* A new node with drawn (or given) contributors; declared to the recorder. */
static int new_node(cf_model *m, cf_type type, uint32_t members, const char *name, uint32_t *id)
{
    uint64_t w[64];
    uint32_t next = (uint32_t)m->g.n;
    rng_key k = key_of(m, (uint64_t)next + 1, RNG_PURPOSE_SETUP);
    rng_event_reset(m->ev, &k, 0);
    if (members == 0)
        members = type == CF_FOUNDATION
                      ? m->cfg.foundation_members
                      : 1 + (uint32_t)gsl_rng_uniform_int(m->ev, m->cfg.members_max);
    for (uint32_t j = 0; j < members; j++)
        w[j] = 1 + gsl_rng_uniform_int(m->ev, 100);
    if (cf_model_add_node(m, type, members, w, id) != 0)
        return -1;
    char buf[48];
    if (!name) {
        snprintf(buf, sizeof buf, "%s-%u", type_name[type], *id + 1);
        name = buf;
    }
    return cf__declare_node(m, *id, name);
}

int cf__genesis(cf_model *m)
{
    const cf_config *c = &m->cfg;
    uint32_t id;
    for (uint32_t i = 0; i < c->nnodes; i++)
        if (new_node(m, (cf_type)c->nodes[i].type, c->nodes[i].members, c->nodes[i].name, &id))
            return -1;
    for (uint32_t i = 0; i < c->nlinks; i++) {
        const cf_seed_link *l = &c->links[i];
        tsr_cflow_reject why;
        if (l->child >= c->nnodes || l->parent >= c->nnodes) {
            snprintf(m->err, m->errlen, "%s:%u: %s", c->graph_path ? c->graph_path : "graph",
                     l->line, tsr_cflow_reject_str(TSR_CFLOW_BAD_NODE));
            return 2;
        }
        if (cf_model_link(m, l->child, l->parent, l->rate, &why) != 0) {
            char detail[96];
            tsr_cflow_reject_detail(&m->g, l->child, l->parent, l->rate, why, detail,
                                    sizeof detail);
            snprintf(m->err, m->errlen, "%s:%u: link %s -> %s rejected: %s%s",
                     c->graph_path ? c->graph_path : "graph", l->line, c->nodes[l->child].name,
                     c->nodes[l->parent].name, tsr_cflow_reject_str(why), detail);
            return 2;
        }
    }
    const uint32_t n[3] = {c->foundations, c->datasets, c->contributors};
    const cf_type t[3] = {CF_FOUNDATION, CF_DATASET, CF_CONTRIBUTOR};
    for (int g = 0; g < 3; g++)
        for (uint32_t i = 0; i < n[g]; i++)
            if (new_node(m, t[g], 0, NULL, &id) != 0)
                return -1;
    return 0;
}

static int is_model(cf_type t)
{
    return t == CF_FOUNDATION || t == CF_FINETUNE;
}

/* Parent-choice weight of node i: 1 + children for a model, 0 otherwise. */
static uint64_t choice_weight(const cf_model *m, size_t i)
{
    return is_model(m->node[i].type) ? 1 + (uint64_t)m->g.node[i].nchildren : 0;
}

static void fw_add(cf_model *m, size_t i, uint64_t d)
{
    for (size_t k = i + 1; k <= m->capfw; k += k & (~k + 1))
        m->fw[k] += d;
}

/* Rebuilds the tree over nodes 0..need-2 for a capacity of at least `need` nodes (doubling);
** node need - 1 (the one being added) enters afterwards. */
static int fw_grow(cf_model *m, size_t need)
{
    size_t cap = m->capfw ? m->capfw : 64;
    while (cap < need)
        cap *= 2;
    uint64_t *fw = calloc(cap + 1, sizeof *fw);
    if (!fw)
        return -1;
    free(m->fw);
    m->fw = fw, m->capfw = cap;
    for (size_t i = 0; i + 1 < need; i++)
        if (choice_weight(m, i))
            fw_add(m, i, choice_weight(m, i));
    return 0;
}

int cf__choice_node(cf_model *m, uint32_t n)
{
    if (n >= m->capfw && fw_grow(m, (size_t)n + 1) != 0)
        return -1;
    cf_type t = m->node[n].type;
    if (is_model(t)) {
        fw_add(m, n, 1);
    } else if (t == CF_DATASET || t == CF_CONTRIBUTOR) {
        int k = t == CF_DATASET ? 0 : 1;
        if (m->ntyped[k] == m->captyped[k]) {
            size_t nc = m->captyped[k] ? 2 * m->captyped[k] : 64;
            uint32_t *q = realloc(m->typed[k], nc * sizeof *q);
            if (!q)
                return -1;
            m->typed[k] = q, m->captyped[k] = nc;
        }
        m->typed[k][m->ntyped[k]++] = n;
    }
    return 0;
}

void cf__choice_linked(cf_model *m, uint32_t parent)
{
    if (is_model(m->node[parent].type))
        fw_add(m, parent, 1);
}

/* Sum of the weights of nodes 0..n-1. */
static uint64_t fw_prefix(const cf_model *m, size_t n)
{
    uint64_t s = 0;
    for (size_t k = n; k > 0; k -= k & (~k + 1))
        s += m->fw[k];
    return s;
}

/* A parent for `child` among the older nodes of the kind wanted: models by 1 + children,
** datasets / contributors uniformly. UINT32_MAX when there is none. The choice is the first
** node whose running weight sum exceeds u = uniform * total: a Fenwick descent over integer
** sums (exact in doubles below 2^53, so the same node a linear scan would pick), O(log N). */
static uint32_t pick_parent(cf_model *m, uint32_t child, cf_type want)
{
    if (!is_model(want)) {
        int k = want == CF_DATASET ? 0 : 1;
        size_t n = m->ntyped[k];
        while (n > 0 && m->typed[k][n - 1] >= child) /* only older nodes */
            n--;
        if (n == 0)
            return UINT32_MAX;
        size_t i = (size_t)(gsl_rng_uniform(m->ev) * (double)n);
        return m->typed[k][i < n ? i : n - 1];
    }
    uint64_t total = fw_prefix(m, child);
    if (total == 0)
        return UINT32_MAX;
    double rem = gsl_rng_uniform(m->ev) * (double)total;
    size_t pos = 0, step = 1;
    while (step * 2 <= child)
        step *= 2;
    for (; step > 0; step /= 2) /* largest pos with prefix(pos) <= u */
        if (pos + step <= child && (double)m->fw[pos + step] <= rem) {
            pos += step;
            rem -= (double)m->fw[pos];
        }
    if (pos < child)
        return (uint32_t)pos; /* prefix(pos + 1) > u, so its weight is positive */
    while (pos > 0 && choice_weight(m, pos - 1) == 0) /* u rounded up to total: the last model */
        pos--;
    return (uint32_t)(pos - 1);
}

static uint32_t draw_rate(cf_model *m, cf_type parent)
{
    static const int slot[5] = {0, 1, 1, 2, 3};
    double r = (double)m->cfg.rate[slot[parent]];
    if (m->cfg.rate_spread > 0)
        r *= exp(gsl_ran_gaussian(m->ev, m->cfg.rate_spread));
    if (r < 1.0)
        return 1;
    return r >= (double)TSR_CFLOW_SCALE ? TSR_CFLOW_SCALE : (uint32_t)llround(r);
}

static void try_link(cf_model *m, uint32_t child, cf_type want)
{
    uint32_t p = pick_parent(m, child, want);
    if (p != UINT32_MAX)
        (void)cf_model_link(m, child, p, draw_rate(m, m->node[p].type), NULL);
}

/* A fork: `id` takes the parent links of a model chosen like a parent (the same parents at the
** same rates; none when the model is a foundation), not a link to the model itself. */
static void fork_model(cf_model *m, uint32_t id)
{
    uint32_t x = pick_parent(m, id, CF_FINETUNE);
    m->tot.forks++;
    if (x == UINT32_MAX)
        return;
    for (uint32_t i = 0; i < m->g.node[x].nparents; i++) {
        tsr_cflow_link l = m->g.link[(size_t)x * m->g.max_parents + i];
        (void)cf_model_link(m, id, l.parent, l.rate, NULL);
    }
}

/* A fine-tune or an application arrives and links to its parents (or forks a model). */
static int arrive(cf_model *m, cf_type type)
{
    uint32_t id;
    if (new_node(m, type, 0, NULL, &id) != 0)
        return -1;
    rng_key k = key_of(m, (uint64_t)id + 1, RNG_PURPOSE_DECISION);
    rng_event_reset(m->ev, &k, 0);
    /* drawn only when forks are on, so fork_prob = 0 keeps every other draw where it was */
    if (type == CF_FINETUNE && m->cfg.fork_prob > 0 && gsl_rng_uniform(m->ev) < m->cfg.fork_prob) {
        fork_model(m, id);
        return 0;
    }
    if (type == CF_APP) {
        m->node[id].appeal = exp(gsl_ran_gaussian(m->ev, 1.0));
        m->appeal_dirty = 1;
    }
    try_link(m, id, CF_FINETUNE);
    for (uint32_t extra = 1; extra < m->cfg.max_parents + 2; extra++) {
        if (!(gsl_rng_uniform(m->ev) < m->cfg.extra_parents))
            break;
        try_link(m, id, CF_FINETUNE);
    }
    if (gsl_rng_uniform(m->ev) < m->cfg.dataset_link)
        try_link(m, id, CF_DATASET);
    if (gsl_rng_uniform(m->ev) < m->cfg.contributor_link)
        try_link(m, id, CF_CONTRIBUTOR);
    return 0;
}

int cf__arrivals(cf_model *m, uint64_t day)
{
    rng_key k = key_of(m, 0, RNG_PURPOSE_TIMING);
    rng_event_reset(m->day, &k, day);
    unsigned nf =
        m->cfg.finetunes_per_day > 0 ? gsl_ran_poisson(m->day, m->cfg.finetunes_per_day) : 0;
    unsigned na = m->cfg.apps_per_day > 0 ? gsl_ran_poisson(m->day, m->cfg.apps_per_day) : 0;
    for (unsigned i = 0; i < nf; i++)
        if (arrive(m, CF_FINETUNE) != 0)
            return -1;
    for (unsigned i = 0; i < na; i++)
        if (arrive(m, CF_APP) != 0)
            return -1;
    return 0;
}

void cf__appeal_refresh(cf_model *m)
{
    if (!m->appeal_dirty)
        return;
    double s = 0;
    for (size_t i = 0; i < m->napps; i++)
        m->appeal_cum[i] = (s += m->node[m->apps[i]].appeal);
    m->appeal_dirty = 0;
}

/* The active application with the most revenue events and at least one parent (ties: lowest
** id); UINT32_MAX when there is none. */
static uint32_t top_app(const cf_model *m)
{
    uint32_t best = UINT32_MAX;
    for (size_t i = 0; i < m->napps; i++) {
        uint32_t a = m->apps[i];
        if (m->node[a].appeal <= 0 || m->g.node[a].nparents == 0)
            continue;
        if (best == UINT32_MAX || m->node[a].events > m->node[best].events)
            best = a;
    }
    return best;
}

static void start_dilution(cf_model *m)
{
    cf_attack *a = &m->dil;
    a->state = -1;
    uint32_t t = top_app(m);
    if (t == UINT32_MAX || new_node(m, CF_FINETUNE, 1, "shell", &a->shell) != 0 ||
        new_node(m, CF_APP, 1, "dilution-clone", &a->clone) != 0)
        return;
    tsr_cflow_reject why = TSR_CFLOW_LINKED;
    for (uint32_t i = 0; i < m->g.node[t].nparents && why == TSR_CFLOW_LINKED; i++) {
        tsr_cflow_link l = m->g.link[(size_t)t * m->g.max_parents + i];
        (void)cf_model_link(m, a->shell, l.parent, l.rate, &why);
    }
    if (why == TSR_CFLOW_LINKED)
        (void)cf_model_link(m, a->clone, a->shell, m->cfg.shell_rate, &why);
    a->why = (int)why;
    m->node[a->clone].appeal = 0, m->appeal_dirty = 1;
    if (why != TSR_CFLOW_LINKED)
        return;
    a->orig = t, a->state = 1;
    m->node[a->clone].appeal = m->node[t].appeal, m->node[t].appeal = 0;
}

static void start_fork(cf_model *m)
{
    cf_attack *a = &m->fork;
    a->state = -1;
    uint32_t t = top_app(m);
    if (t == UINT32_MAX || new_node(m, CF_APP, 1, "fork-clone", &a->clone) != 0)
        return;
    m->node[a->clone].appeal = 0, m->appeal_dirty = 1; /* reached only by capture */
    a->orig = t, a->state = 1;
}

int cf__attacks(cf_model *m, uint64_t day)
{
    if (m->cfg.dilution_day && day == m->cfg.dilution_day && m->dil.state == 0)
        start_dilution(m);
    if (m->cfg.fork_day && day == m->cfg.fork_day && m->fork.state == 0)
        start_fork(m);
    return 0;
}

/* One event of the attacked application: paid at the clone, compared with the payment the
** original node would have made. */
static int attack_event(cf_model *m, cf_attack *a, int dilution, uint64_t amount)
{
    size_t n = 0, k = 0;
    if (cf__pay(m, a->clone, amount, &n) != 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        uint32_t x = m->out_node[i];
        int own = x == a->clone || (dilution && x == a->shell);
        *(own ? &a->own : &a->up) += m->out_amt[i];
        if (!own && m->g.node[x].nparents == 0)
            a->root += m->out_amt[i];
    }
    if (cf__propagate(m, a->orig, amount, m->cf_node_buf, m->cf_amt, NULL, &k) != TSR_OK)
        return cf__fail(m, "counterfactual payment refused");
    for (size_t i = 0; i < k; i++) {
        uint32_t x = m->cf_node_buf[i];
        *(x == a->orig ? &a->own_cf : &a->up_cf) += m->cf_amt[i];
        if (x != a->orig && m->g.node[x].nparents == 0)
            a->root_cf += m->cf_amt[i];
    }
    a->events++;
    return 0;
}

static uint32_t pick_app(cf_model *m)
{
    double total = m->appeal_cum[m->napps - 1], u = gsl_rng_uniform(m->day) * total;
    size_t lo = 0, hi = m->napps - 1;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->appeal_cum[mid] > u)
            hi = mid;
        else
            lo = mid + 1;
    }
    return m->apps[lo];
}

int cf__revenue(cf_model *m, uint64_t day)
{
    rng_key k = key_of(m, 0, RNG_PURPOSE_MARKET);
    rng_event_reset(m->day, &k, day);
    unsigned n = m->cfg.events_per_day > 0 ? gsl_ran_poisson(m->day, m->cfg.events_per_day) : 0;
    cf__appeal_refresh(m);
    if (m->napps == 0 || !(m->appeal_cum[m->napps - 1] > 0))
        return 0;
    for (unsigned e = 0; e < n; e++) {
        uint32_t app = pick_app(m);
        double z = m->cfg.revenue_spread > 0 ? gsl_ran_gaussian(m->day, m->cfg.revenue_spread) : 0;
        uint64_t amount = to_units((double)m->cfg.revenue * exp(z));
        int rc;
        if (m->fork.state == 1 && app == m->fork.orig &&
            gsl_rng_uniform(m->day) < m->cfg.fork_capture)
            rc = attack_event(m, &m->fork, 0, amount);
        else if (m->dil.state == 1 && app == m->dil.clone)
            rc = attack_event(m, &m->dil, 1, amount);
        else
            rc = cf__pay(m, app, amount, NULL);
        if (rc != 0)
            return -1;
    }
    return 0;
}
