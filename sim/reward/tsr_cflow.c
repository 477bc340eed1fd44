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
#include <stdbool.h>
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
 * included; returns how many. `stop` (or UINT32_MAX) aborts with SIZE_MAX when reached; once
 * more than `limit` nodes are listed the walk ends early with that count (a link the cap
 * refuses costs no more than the cap). */
static size_t walk_up(tsr_cflow *g, const uint32_t *starts, size_t k, uint32_t stop, size_t limit)
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
        if (top > limit)
            return top; /* already beyond the limit: the exact count is not needed */
        const tsr_cflow_link *pl = parents_of(g, v);
        for (uint32_t j = 0; j < g->node[v].nparents; j++)
            if (g->node[pl[j].parent].mark != s) {
                g->node[pl[j].parent].mark = s;
                g->queue[top++] = pl[j].parent;
            }
    }
    return top;
}

/* Distinct ancestors of c once p is added to its parents: an upper bound sum_q (nanc(q) + 1)
 * over the parents q after the link (cheap, O(parents)); when that bound exceeds the cap, the
 * exact count by a walk over the union (O(A)). The link decision is therefore exact, and the
 * stored count is exact whenever the bound could matter. */
static uint64_t ancestors_after(tsr_cflow *g, uint32_t c, uint32_t p)
{
    const tsr_cflow_link *pl = parents_of(g, c);
    uint64_t bound = (uint64_t)g->node[p].nanc + 1;
    for (uint32_t j = 0; j < g->node[c].nparents; j++)
        bound += (uint64_t)g->node[pl[j].parent].nanc + 1;
    if (bound <= g->max_ancestors)
        return bound;
    uint32_t starts[65];
    for (uint32_t j = 0; j < g->node[c].nparents; j++)
        starts[j] = pl[j].parent;
    starts[g->node[c].nparents] = p;
    return walk_up(g, starts, g->node[c].nparents + 1u, UINT32_MAX, g->max_ancestors);
}

static tsr_cflow_reject link_check(tsr_cflow *g, uint32_t c, uint32_t p, uint32_t rate,
                                   uint64_t *nanc)
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
    /* p can descend from c only when c has children, and such a link is refused anyway: the
     * upward walk from p only runs then, to name the better reason (cycle) */
    if (g->node[c].nchildren > 0)
        return walk_up(g, &p, 1, c, SIZE_MAX) == SIZE_MAX ? TSR_CFLOW_CYCLE
                                                          : TSR_CFLOW_HAS_CHILDREN;
    if (g->node[c].nparents >= g->max_parents)
        return TSR_CFLOW_PARENTS;
    uint64_t add = rate + (g->mode == TSR_CFLOW_ABSOLUTE ? g->node[p].stack : 0);
    if (g->node[c].stack + add > TSR_CFLOW_SCALE)
        return TSR_CFLOW_STACK;
    *nanc = ancestors_after(g, c, p);
    if (*nanc > g->max_ancestors)
        return TSR_CFLOW_ANCESTORS;
    return TSR_CFLOW_LINKED;
}

int tsr_cflow_link_add(tsr_cflow *g, uint32_t child, uint32_t parent, uint32_t rate,
                       tsr_cflow_reject *why)
{
    if (!g)
        return TSR_EINVAL;
    uint64_t nanc = 0;
    tsr_cflow_reject r = link_check(g, child, parent, rate, &nanc);
    if (why)
        *why = r;
    if (r != TSR_CFLOW_LINKED)
        return TSR_EINVAL;
    tsr_cflow_node *c = &g->node[child];
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
    c->nanc = (uint32_t)nanc;
    /* c has no children (checked), so raising its rank keeps every rank above its ancestors' */
    if (g->node[parent].rank + 1 > c->rank)
        c->rank = g->node[parent].rank + 1;
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

uint64_t tsr_cflow_stack_with(const tsr_cflow *g, uint32_t child, uint32_t parent, uint32_t rate)
{
    if (!g || child >= g->n || parent >= g->n)
        return 0;
    uint64_t add = rate + (g->mode == TSR_CFLOW_ABSOLUTE ? g->node[parent].stack : 0);
    return g->node[child].stack + add;
}

/* buf[at..) += s, truncated to len - 1 bytes and NUL-terminated; returns the new end. */
static size_t cat_str(char *buf, size_t len, size_t at, const char *s)
{
    while (*s && at + 1 < len)
        buf[at++] = *s++;
    if (len > 0)
        buf[at] = '\0';
    return at;
}

/* buf[at..) += v / 10^scale in decimal, without trailing fractional zeros ("60", "62.5"). */
static size_t cat_dec(char *buf, size_t len, size_t at, uint64_t v, unsigned scale)
{
    char d[48];
    size_t n = sizeof d - 1;
    bool frac = false; /* a non-zero fractional digit met (digits come last first) */
    d[n] = '\0';
    for (unsigned k = 0; k < scale; k++, v /= 10) {
        frac = frac || v % 10 != 0;
        if (frac)
            d[--n] = (char)('0' + v % 10);
    }
    if (frac)
        d[--n] = '.';
    do
        d[--n] = (char)('0' + v % 10);
    while ((v /= 10) > 0);
    return cat_str(buf, len, at, d + n);
}

void tsr_cflow_reject_detail(const tsr_cflow *g, uint32_t child, uint32_t parent, uint32_t rate,
                             tsr_cflow_reject why, char *buf, size_t len)
{
    if (!buf || len == 0)
        return;
    size_t at = cat_str(buf, len, 0, "");
    if (!g)
        return;
    if (why == TSR_CFLOW_STACK && child < g->n) {
        at = cat_str(buf, len, at, " (stack ");
        at = cat_dec(buf, len, at, g->node[child].stack, 6);
        at = cat_str(buf, len, at, " % before the link, ");
        at = cat_dec(buf, len, at, tsr_cflow_stack_with(g, child, parent, rate), 6);
        (void)cat_str(buf, len, at, " % with it)");
    } else if (why == TSR_CFLOW_PARENTS || why == TSR_CFLOW_ANCESTORS) {
        at = cat_str(buf, len, at,
                     why == TSR_CFLOW_PARENTS ? " (max_parents is " : " (max_ancestors is ");
        at = cat_dec(buf, len, at, why == TSR_CFLOW_PARENTS ? g->max_parents : g->max_ancestors, 0);
        (void)cat_str(buf, len, at, ")");
    } else if (why == TSR_CFLOW_CYCLE) {
        (void)cat_str(buf, len, at, " (the parent already descends from the child)");
    } else if (why == TSR_CFLOW_HAS_CHILDREN) {
        (void)cat_str(buf, len, at, " (link a node to its parents before anything links to it)");
    }
}

/* One upward walk from node: lists its ancestor set in g->queue (node first), clears every
 * member's scratch sums and counts, per member, the edges into it from members (pending), so
 * one pass does what a walk plus a separate counting pass would. */
static size_t collect(tsr_cflow *g, uint32_t node)
{
    uint32_t s = next_stamp(g);
    size_t top = 1, seen = 0;
    tsr_cflow_node *nd = g->node;
    g->queue[0] = node;
    nd[node].mark = s;
    nd[node].pending = 0;
    nd[node].inflow = 0;
    nd[node].rho = 0;
    while (seen < top) {
        uint32_t v = g->queue[seen++];
        const tsr_cflow_link *pl = parents_of(g, v);
        for (uint32_t j = 0, np = nd[v].nparents; j < np; j++) {
            tsr_cflow_node *pn = &nd[pl[j].parent];
            if (pn->mark != s) {
                pn->mark = s;
                pn->pending = 0;
                pn->inflow = 0;
                pn->rho = 0;
                pn->depth = UINT32_MAX;
                g->queue[top++] = pl[j].parent;
            }
            pn->pending++;
        }
    }
    return top;
}

/* floor(a * r / 1e8) for r <= 1e8 without a 128-bit product: a = q 1e8 + m gives
 * q r + floor(m r / 1e8), where m r < 1e16. */
static uint64_t rate_of(uint64_t a, uint64_t r)
{
    uint64_t q = a / TSR_CFLOW_SCALE, m = a % TSR_CFLOW_SCALE;
    return q * r + m * r / TSR_CFLOW_SCALE;
}

/* Processes node's ancestor set in Kahn order from node, written to order[] (node first):
 * RELATIVE splits each node's whole inflow over its parents and writes what it keeps to
 * kept[] (same index as order[]); ABSOLUTE accumulates paths (in inflow) and rho. Every node
 * gets its shortest distance from `node` in depth: all its children in the set are processed
 * before it, so the minimum over them is final (shortest paths in topological order). */
static void kahn(tsr_cflow *g, uint32_t node, uint32_t *order, uint64_t *kept)
{
    size_t head = 0, tail = 0;
    const int rel = g->mode == TSR_CFLOW_RELATIVE;
    g->node[node].depth = 0;
    order[tail++] = node;
    while (head < tail) {
        uint32_t u = order[head];
        tsr_cflow_node *un = &g->node[u];
        const tsr_cflow_link *pl = parents_of(g, u);
        uint64_t cum = 0, given = 0, in = un->inflow;
        uint32_t d = un->depth + 1;
        for (uint32_t j = 0; j < un->nparents; j++) {
            tsr_cflow_node *pn = &g->node[pl[j].parent];
            if (rel) {
                cum += pl[j].rate;
                uint64_t upto = rate_of(in, cum); /* Drips cumulative */
                pn->inflow += upto - given;
                given = upto;
            } else {
                pn->inflow += in; /* paths */
                pn->rho += in * pl[j].rate;
            }
            if (d < pn->depth)
                pn->depth = d;
            if (--pn->pending == 0)
                order[tail++] = pl[j].parent;
        }
        if (kept)
            kept[head] = in - given;
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
        cum += g->node[order[i]].rho;
        uint64_t upto = rate_of(amount, cum);
        out[i] = upto - given;
        given = upto;
    }
    out[0] = amount - given;
}

int tsr_cflow_pay_depth(tsr_cflow *g, uint32_t node, uint64_t amount, uint32_t *nodes_out,
                        uint64_t *amounts_out, uint32_t *depth_out, size_t cap, size_t *count)
{
    if (!g || !nodes_out || !amounts_out || !count || node >= g->n)
        return TSR_EINVAL;
    size_t k = collect(g, node);
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
    for (size_t i = 0; i < k; i++) {
        sum += amounts_out[i];
        if (depth_out)
            depth_out[i] = g->node[nodes_out[i]].depth;
    }
    if (sum != amount)
        return TSR_ECORRUPT;
    *count = k;
    return TSR_OK;
}

int tsr_cflow_pay(tsr_cflow *g, uint32_t node, uint64_t amount, uint32_t *nodes_out,
                  uint64_t *amounts_out, size_t cap, size_t *count)
{
    return tsr_cflow_pay_depth(g, node, amount, nodes_out, amounts_out, NULL, cap, count);
}

/* Max-heap of node ids by (rank, then lower id first) in g->queue. */
static int heap_before(const tsr_cflow *g, uint32_t a, uint32_t b)
{
    uint32_t ra = g->node[a].rank, rb = g->node[b].rank;
    return ra != rb ? ra > rb : a < b;
}

static void heap_push(tsr_cflow *g, size_t *n, uint32_t v)
{
    uint32_t *h = g->queue;
    size_t i = (*n)++;
    while (i > 0 && heap_before(g, v, h[(i - 1) / 2])) {
        h[i] = h[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h[i] = v;
}

static uint32_t heap_pop(tsr_cflow *g, size_t *n)
{
    uint32_t *h = g->queue, top = h[0], last = h[--*n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= *n)
            break;
        if (c + 1 < *n && heap_before(g, h[c + 1], h[c]))
            c++;
        if (!heap_before(g, h[c], last))
            break;
        h[i] = h[c];
        i = c;
    }
    if (*n > 0)
        h[i] = last;
    return top;
}

/* Splits u's inflow over its parents (Drips cumulative); parents that receive a positive
 * amount for the first time in this event enter the heap. Returns what u keeps. */
static uint64_t split_live(tsr_cflow *g, uint32_t u, uint32_t s, size_t *heap_n)
{
    tsr_cflow_node *un = &g->node[u];
    const tsr_cflow_link *pl = parents_of(g, u);
    uint64_t cum = 0, given = 0, in = un->inflow;
    for (uint32_t j = 0; j < un->nparents; j++) {
        cum += pl[j].rate;
        uint64_t upto = rate_of(in, cum), part = upto - given;
        given = upto;
        if (part == 0)
            continue;
        tsr_cflow_node *pn = &g->node[pl[j].parent];
        if (pn->mark != s) {
            pn->mark = s;
            pn->inflow = 0;
            pn->depth = un->depth + 1;
            heap_push(g, heap_n, pl[j].parent);
        } else if (un->depth + 1 < pn->depth) {
            pn->depth = un->depth + 1;
        }
        pn->inflow += part;
    }
    return in - given;
}

int tsr_cflow_pay_live(tsr_cflow *g, uint32_t node, uint64_t amount, uint32_t *nodes_out,
                       uint64_t *amounts_out, uint32_t *depth_out, size_t cap, size_t *count)
{
    if (!g || !nodes_out || !amounts_out || !count || node >= g->n || g->mode != TSR_CFLOW_RELATIVE)
        return TSR_EINVAL;
    uint32_t s = next_stamp(g);
    size_t heap_n = 0, k = 0;
    uint64_t sum = 0;
    g->node[node].mark = s;
    g->node[node].inflow = amount;
    g->node[node].depth = 0;
    heap_push(g, &heap_n, node);
    while (heap_n > 0) {
        uint32_t u = heap_pop(g, &heap_n);
        if (k == cap)
            return TSR_ECAPACITY;
        amounts_out[k] = split_live(g, u, s, &heap_n);
        nodes_out[k] = u;
        if (depth_out)
            depth_out[k] = g->node[u].depth;
        sum += amounts_out[k++];
    }
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
