/* tsr_cflow.c: the C-Flow royalty graph (tsr_cflow.h).
 *
 * Traversals are iterative (the queue array is the DFS stack) and mark visited nodes with a
 * per-traversal stamp, so nothing is cleared between events; the stamp wraps after 2^32 - 1
 * traversals, when every mark is reset once.
 *
 * Bounds that keep the arithmetic in 64 bits: every rate is >= 1 and the stack of every node
 * is <= 1e8, so in ABSOLUTE mode paths(n -> m) * r(m -> a) <= rho(n, a) <= stack(n) <= 1e8 for
 * every edge m -> a of n's ancestor set; hence paths <= 1e8 and each rho fits easily.
 */
#include <stdlib.h>
#include <string.h>

#include "tsr_cflow.h"
#include "tsr_err.h"
#include "tsr_settle.h"

static void *mem_resize(tsr_cflow *g, void *p, size_t old_size, size_t new_size)
{
    if (g->alloc)
        return g->alloc(g->alloc_ud, p, old_size, new_size);
    if (new_size == 0) {
        free(p);
        return NULL;
    }
    return realloc(p, new_size);
}

int tsr_cflow_init(tsr_cflow *g, tsr_cflow_mode mode, uint32_t max_parents, uint32_t max_ancestors,
                   tsr_alloc_fn alloc, void *ud)
{
    if (!g || max_parents == 0 || max_parents > 64 || max_ancestors == 0 ||
        (mode != TSR_CFLOW_RELATIVE && mode != TSR_CFLOW_ABSOLUTE))
        return TSR_EINVAL;
    memset(g, 0, sizeof *g);
    g->mode = mode;
    g->max_parents = max_parents;
    g->max_ancestors = max_ancestors;
    g->alloc = alloc;
    g->alloc_ud = ud;
    return TSR_OK;
}

void tsr_cflow_clear(tsr_cflow *g)
{
    if (!g)
        return;
    size_t c = g->cap;
    mem_resize(g, g->node, c * sizeof *g->node, 0);
    mem_resize(g, g->link, c * g->max_parents * sizeof *g->link, 0);
    mem_resize(g, g->queue, c * sizeof *g->queue, 0);
    g->node = NULL;
    g->link = NULL;
    g->queue = NULL;
    g->n = g->cap = 0;
}

static int grow(tsr_cflow *g)
{
    size_t c = g->cap, nc = c ? c * 2 : 64, mp = g->max_parents;
    if (nc > (size_t)UINT32_MAX)
        nc = UINT32_MAX;
    if (nc <= c)
        return TSR_ECAPACITY;
    tsr_cflow_node *node = mem_resize(g, g->node, c * sizeof *node, nc * sizeof *node);
    if (!node)
        return TSR_ENOMEM;
    g->node = node;
    tsr_cflow_link *link = mem_resize(g, g->link, c * mp * sizeof *link, nc * mp * sizeof *link);
    if (!link)
        return TSR_ENOMEM;
    g->link = link;
    uint32_t *q = mem_resize(g, g->queue, c * sizeof *q, nc * sizeof *q);
    if (!q)
        return TSR_ENOMEM;
    g->queue = q;
    g->cap = nc;
    return TSR_OK;
}

int tsr_cflow_add_node(tsr_cflow *g, uint32_t *id)
{
    if (!g)
        return TSR_EINVAL;
    if (g->n >= (size_t)UINT32_MAX - 1)
        return TSR_ECAPACITY;
    if (g->n == g->cap) {
        int rc = grow(g);
        if (rc != TSR_OK)
            return rc;
    }
    memset(&g->node[g->n], 0, sizeof g->node[g->n]);
    if (id)
        *id = (uint32_t)g->n;
    g->n++;
    return TSR_OK;
}

static uint32_t next_stamp(tsr_cflow *g)
{
    if (++g->stamp == 0) {
        for (size_t i = 0; i < g->n; i++)
            g->node[i].mark = 0;
        g->stamp = 1;
    }
    return g->stamp;
}

static const tsr_cflow_link *parents_of(const tsr_cflow *g, uint32_t v)
{
    return &g->link[(size_t)v * g->max_parents];
}

/* Marks and lists (in g->queue) the nodes reachable upward from the `k` starts, starts
 * included; returns how many. `stop` (or UINT32_MAX) aborts with SIZE_MAX when reached. */
static size_t walk_up(tsr_cflow *g, const uint32_t *starts, size_t k, uint32_t stop)
{
    uint32_t s = next_stamp(g);
    size_t top = 0, seen = 0;
    for (size_t i = 0; i < k; i++)
        if (g->node[starts[i]].mark != s) {
            g->node[starts[i]].mark = s;
            g->queue[top++] = starts[i];
        }
    while (seen < top) {
        uint32_t v = g->queue[seen++];
        if (v == stop)
            return SIZE_MAX;
        const tsr_cflow_link *pl = parents_of(g, v);
        for (uint32_t j = 0; j < g->node[v].nparents; j++)
            if (g->node[pl[j].parent].mark != s) {
                g->node[pl[j].parent].mark = s;
                g->queue[top++] = pl[j].parent;
            }
    }
    return top;
}

static tsr_cflow_reject link_check(tsr_cflow *g, uint32_t c, uint32_t p, uint32_t rate)
{
    if (c >= g->n || p >= g->n)
        return TSR_CFLOW_BAD_NODE;
    if (c == p)
        return TSR_CFLOW_SELF;
    if (rate == 0 || rate > TSR_CFLOW_SCALE)
        return TSR_CFLOW_RATE;
    const tsr_cflow_link *pl = parents_of(g, c);
    for (uint32_t j = 0; j < g->node[c].nparents; j++)
        if (pl[j].parent == p)
            return TSR_CFLOW_DUPLICATE;
    if (walk_up(g, &p, 1, c) == SIZE_MAX)
        return TSR_CFLOW_CYCLE;
    if (g->node[c].nchildren > 0)
        return TSR_CFLOW_HAS_CHILDREN;
    if (g->node[c].nparents >= g->max_parents)
        return TSR_CFLOW_PARENTS;
    uint64_t add = rate + (g->mode == TSR_CFLOW_ABSOLUTE ? g->node[p].stack : 0);
    if (g->node[c].stack + add > TSR_CFLOW_SCALE)
        return TSR_CFLOW_STACK;
    /* ancestors after the link: everything above c's parents and p (c itself excluded) */
    uint32_t starts[65];
    for (uint32_t j = 0; j < g->node[c].nparents; j++)
        starts[j] = pl[j].parent;
    starts[g->node[c].nparents] = p;
    if (walk_up(g, starts, g->node[c].nparents + 1u, UINT32_MAX) > g->max_ancestors)
        return TSR_CFLOW_ANCESTORS;
    return TSR_CFLOW_LINKED;
}

int tsr_cflow_link_add(tsr_cflow *g, uint32_t child, uint32_t parent, uint32_t rate,
                       tsr_cflow_reject *why)
{
    if (!g)
        return TSR_EINVAL;
    tsr_cflow_reject r = link_check(g, child, parent, rate);
    if (why)
        *why = r;
    if (r != TSR_CFLOW_LINKED)
        return TSR_EINVAL;
    tsr_cflow_node *c = &g->node[child];
    uint32_t starts[65];
    tsr_cflow_link *pl = &g->link[(size_t)child * g->max_parents];
    uint32_t k = c->nparents;
    while (k > 0 && pl[k - 1].parent > parent) { /* keep parents sorted by id */
        pl[k] = pl[k - 1];
        k--;
    }
    pl[k] = (tsr_cflow_link){.parent = parent, .rate = rate};
    c->nparents++;
    c->stack += rate + (g->mode == TSR_CFLOW_ABSOLUTE ? g->node[parent].stack : 0);
    g->node[parent].nchildren++;
    for (uint32_t j = 0; j < c->nparents; j++)
        starts[j] = pl[j].parent;
    c->nanc = (uint32_t)walk_up(g, starts, c->nparents, UINT32_MAX);
    return TSR_OK;
}

const char *tsr_cflow_reject_str(tsr_cflow_reject why)
{
    static const char *const text[] = {
        "linked",
        "unknown node",
        "a node cannot license itself",
        "royalty rate must be above 0 and at most 100 %",
        "the link already exists",
        "the link would create a cycle",
        "the child already has children; its parents are fixed",
        "too many parents",
        "the royalty stack would exceed 100 %",
        "too many ancestors",
    };
    unsigned i = (unsigned)why;
    return i < sizeof text / sizeof text[0] ? text[i] : "unknown reason";
}

/* Lists node's ancestor set in g->queue (node first) and counts, for every member, the edges
 * from members into it (pending); clears the scratch sums. */
static size_t prepare(tsr_cflow *g, uint32_t node)
{
    size_t k = walk_up(g, &node, 1, UINT32_MAX);
    for (size_t i = 0; i < k; i++) {
        tsr_cflow_node *v = &g->node[g->queue[i]];
        v->pending = 0;
        v->inflow = 0;
        v->rho = 0;
    }
    for (size_t i = 0; i < k; i++) {
        uint32_t v = g->queue[i];
        const tsr_cflow_link *pl = parents_of(g, v);
        for (uint32_t j = 0; j < g->node[v].nparents; j++)
            g->node[pl[j].parent].pending++;
    }
    return k;
}

/* Processes node's ancestor set in Kahn order from node, written to order[] (node first):
 * RELATIVE splits each node's whole inflow over its parents and writes what it keeps to
 * kept[] (same index as order[]); ABSOLUTE accumulates paths (in inflow) and rho. */
static void kahn(tsr_cflow *g, uint32_t node, uint32_t *order, uint64_t *kept)
{
    size_t head = 0, tail = 0;
    order[tail++] = node;
    while (head < tail) {
        uint32_t u = order[head];
        tsr_cflow_node *un = &g->node[u];
        const tsr_cflow_link *pl = parents_of(g, u);
        uint64_t cum = 0, given = 0;
        for (uint32_t j = 0; j < un->nparents; j++) {
            tsr_cflow_node *pn = &g->node[pl[j].parent];
            if (g->mode == TSR_CFLOW_RELATIVE) {
                uint64_t upto = 0;
                cum += pl[j].rate;
                (void)tsr_muldiv_floor(un->inflow, cum, TSR_CFLOW_SCALE, &upto);
                pn->inflow += upto - given;
                given = upto;
            } else {
                pn->inflow += un->inflow; /* paths */
                pn->rho += un->inflow * pl[j].rate;
            }
            if (--pn->pending == 0)
                order[tail++] = pl[j].parent;
        }
        if (kept)
            kept[head] = un->inflow - given;
        head++;
    }
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* ABSOLUTE: ancestors (order[1..k)) paid in ascending id order, Drips cumulative on rho. */
static void pay_absolute(tsr_cflow *g, uint64_t amount, uint32_t *order, uint64_t *out, size_t k)
{
    qsort(order + 1, k - 1, sizeof *order, cmp_u32);
    uint64_t cum = 0, given = 0;
    for (size_t i = 1; i < k; i++) {
        uint64_t upto = 0;
        cum += g->node[order[i]].rho;
        (void)tsr_muldiv_floor(amount, cum, TSR_CFLOW_SCALE, &upto);
        out[i] = upto - given;
        given = upto;
    }
    out[0] = amount - given;
}

int tsr_cflow_pay(tsr_cflow *g, uint32_t node, uint64_t amount, uint32_t *nodes_out,
                  uint64_t *amounts_out, size_t cap, size_t *count)
{
    if (!g || !nodes_out || !amounts_out || !count || node >= g->n)
        return TSR_EINVAL;
    size_t k = prepare(g, node);
    if (k > cap)
        return TSR_ECAPACITY;
    if (g->mode == TSR_CFLOW_RELATIVE) {
        g->node[node].inflow = amount;
        kahn(g, node, nodes_out, amounts_out);
    } else {
        g->node[node].inflow = 1;
        kahn(g, node, nodes_out, NULL);
        pay_absolute(g, amount, nodes_out, amounts_out, k);
    }
    uint64_t sum = 0;
    for (size_t i = 0; i < k; i++)
        sum += amounts_out[i];
    if (sum != amount)
        return TSR_ECORRUPT;
    *count = k;
    return TSR_OK;
}

static unsigned popcount32(uint32_t m)
{
    unsigned c = 0;
    for (; m; m &= m - 1)
        c++;
    return c;
}

int tsr_shapley_exact(const int64_t *v, unsigned n, tsr_u128 *out)
{
    if (!v || !out || n == 0 || n > 16)
        return TSR_ERANGE;
    const int64_t vmax = (int64_t)1 << 40;
    for (uint32_t m = 0; m < (1u << n); m++)
        if (v[m] < 0 || v[m] > vmax)
            return TSR_ERANGE;
    int64_t fact[17];
    fact[0] = 1;
    for (unsigned i = 1; i <= 16; i++)
        fact[i] = fact[i - 1] * (int64_t)i;
    for (unsigned i = 0; i < n; i++) {
        tsr_i128 acc = tsr_i128_from_i64(0);
        for (uint32_t m = 0; m < (1u << n); m++) {
            if (m & (1u << i))
                continue;
            unsigned s = popcount32(m);
            int64_t w = fact[s] * fact[n - s - 1];
            acc = tsr_i128_add(acc, tsr_i128_mul64(w, v[m | (1u << i)] - v[m]));
        }
        if (tsr_i128_is_neg(acc))
            return TSR_ERANGE;
        out[i] = tsr_i128_bits(acc);
    }
    return TSR_OK;
}
