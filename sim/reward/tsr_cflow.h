/* tsr_cflow.h: C-Flow royalty graph — revenue propagation through a DAG of model
 * contributions (spec mechanisms §4.2-§4.5; Story LAP/LRP semantics, Drips integer splitting).
 *
 * Nodes are 0, 1, 2, ... in creation order. An edge child -> parent carries a royalty rate on a
 * 1e8 scale (TSR_CFLOW_SCALE = 100 %). Links are checked when created and rejected with a reason
 * (tsr_cflow_reject): self links, duplicates, rates of 0 or above 100 %, cycles, more than
 * max_parents parents, a royalty stack above 100 %, more than max_ancestors ancestors, and
 * parents added to a node that already has children (as on Story, a derivative's parents are
 * fixed before it is licensed further; this keeps every descendant's stack and ancestor count
 * valid without revisiting them).
 *
 * Royalty stack: RELATIVE stack(n) = sum_p r(n->p); ABSOLUTE (LAP) stack(n) =
 * sum_p (stack(p) + r(n->p)), which equals sum_a rho(n, a) over ancestors (paths counted).
 *
 * Revenue of `amount` at node n (tsr_cflow_pay):
 *   RELATIVE: inflow[n] = amount; nodes are processed once each, after all their descendants
 *     in n's ancestor set (Kahn order from n); each splits its whole inflow over its parents by
 *     the Drips cumulative rule (weights r, denominator 1e8, parents in ascending id order) and
 *     keeps the remainder. Splitting a node's total inflow once (not each arrival) makes the
 *     result independent of the processing order among ready nodes.
 *   ABSOLUTE: rho(n, a) = sum over edges m -> a of paths(n -> m) * r(m -> a) (paths(n -> n) = 1);
 *     ancestors are paid floor-cumulative shares amount * rho / 1e8 in ascending id order
 *     (Drips rule), n keeps the rest; royalties received are not re-split.
 * Output: every touched node with the amount it keeps; they sum to `amount` exactly (checked).
 * Cost per event O(A + E_A) (A ancestors, E_A their edges) in two passes over the set (one
 * walk that also counts in-set edges, one Kahn pass that splits and finds depths), plus an
 * O(A log A) sort in ABSOLUTE mode. Per link: O(parents) when the bound
 * sum_p (ancestors(p) + 1) stays within max_ancestors, else one O(A) walk for the exact count
 * (so `nanc` is exact whenever it could decide a link; elsewhere it is that bound); the cycle
 * walk runs only for a child that already has children, a link refused in any case.
 * Memory: the graph owns its arrays (allocator hook as tsr_ledger), about
 * 56 + 8 * max_parents bytes per node.
 */
#ifndef TSR_CFLOW_H
#define TSR_CFLOW_H

#include <stddef.h>
#include <stdint.h>

#include "tsr_int.h"
#include "tsr_ledger.h" /* tsr_alloc_fn */

#define TSR_CFLOW_SCALE 100000000u /* 100 % */

typedef enum { TSR_CFLOW_RELATIVE = 0, TSR_CFLOW_ABSOLUTE = 1 } tsr_cflow_mode;

typedef enum tsr_cflow_reject {
    TSR_CFLOW_LINKED = 0,       /* accepted */
    TSR_CFLOW_BAD_NODE = 1,     /* unknown node id */
    TSR_CFLOW_SELF = 2,         /* child == parent */
    TSR_CFLOW_RATE = 3,         /* rate 0 or above 100 % */
    TSR_CFLOW_DUPLICATE = 4,    /* the edge exists */
    TSR_CFLOW_CYCLE = 5,        /* parent descends from child */
    TSR_CFLOW_HAS_CHILDREN = 6, /* child already licensed to others */
    TSR_CFLOW_PARENTS = 7,      /* max_parents reached */
    TSR_CFLOW_STACK = 8,        /* royalty stack would exceed 100 % */
    TSR_CFLOW_ANCESTORS = 9,    /* max_ancestors would be exceeded */
} tsr_cflow_reject;

typedef struct tsr_cflow_link {
    uint32_t parent; /* parent node */
    uint32_t rate;   /* royalty rate, 1e8 = 100 % */
} tsr_cflow_link;

typedef struct tsr_cflow_node {
    uint64_t stack;     /* royalty stack (mode's definition) */
    uint64_t inflow;    /* scratch: amount to split (RELATIVE) / paths (ABSOLUTE) */
    uint64_t rho;       /* scratch: rho(n, a) (ABSOLUTE) */
    uint32_t nparents;  /* parents used in the link array */
    uint32_t nchildren; /* edges pointing at this node */
    uint32_t mark;      /* scratch: visit stamp */
    uint32_t pending;   /* scratch: children in the set not yet processed */
    uint32_t nanc;      /* distinct ancestors, or an upper bound <= max_ancestors of them */
    uint32_t depth;     /* scratch: shortest distance from the paying node */
    uint32_t rank;      /* longest path to a root (0: no parents); > every ancestor's rank */
    uint32_t pad_;      /* keeps the struct a multiple of 8 bytes */
} tsr_cflow_node;

typedef struct tsr_cflow {
    tsr_cflow_mode mode;    /* propagation rule */
    uint32_t max_parents;   /* parents per node, 1..64 */
    uint32_t max_ancestors; /* distinct ancestors per node */
    size_t n;               /* nodes */
    size_t cap;             /* nodes allocated */
    tsr_cflow_node *node;   /* [cap] */
    tsr_cflow_link *link;   /* [cap * max_parents], parents sorted by id */
    uint32_t *queue;        /* [cap] scratch */
    uint32_t stamp;         /* current visit stamp */
    tsr_alloc_fn alloc;     /* allocator (NULL: realloc/free) */
    void *alloc_ud;         /* its user data */
} tsr_cflow;

/* Empty graph. TSR_EINVAL for max_parents outside 1..64 or max_ancestors 0. */
int tsr_cflow_init(tsr_cflow *g, tsr_cflow_mode mode, uint32_t max_parents, uint32_t max_ancestors,
                   tsr_alloc_fn alloc, void *ud);
/* Free the arrays; a no-op for NULL. */
void tsr_cflow_clear(tsr_cflow *g);

/* Add a node (no parents yet); its id to *id. TSR_ENOMEM, or TSR_ECAPACITY beyond 2^32 - 2. */
int tsr_cflow_add_node(tsr_cflow *g, uint32_t *id);

/* Link child -> parent at `rate`. Returns TSR_OK with *why = TSR_CFLOW_LINKED, or TSR_EINVAL
 * with the reason in *why (the graph is unchanged). */
int tsr_cflow_link_add(tsr_cflow *g, uint32_t child, uint32_t parent, uint32_t rate,
                       tsr_cflow_reject *why);

/* Short English text of a reject reason. */
const char *tsr_cflow_reject_str(tsr_cflow_reject why);

/* The royalty stack child would have with the link child -> parent at `rate` (the mode's
 * definition; 1e8 = 100 %), for messages about TSR_CFLOW_STACK; 0 for unknown nodes. */
uint64_t tsr_cflow_stack_with(const tsr_cflow *g, uint32_t child, uint32_t parent, uint32_t rate);

/* The numbers behind a refused link child -> parent at rate, for an error message: e.g.
 * " (stack 60 % before the link, 110 % with it)" (percentages exact, in decimal), " (max_parents
 * is 8)"; an empty string for reasons without numbers. Writes at most len bytes, NUL included
 * (truncating). No I/O. */
void tsr_cflow_reject_detail(const tsr_cflow *g, uint32_t child, uint32_t parent, uint32_t rate,
                             tsr_cflow_reject why, char *buf, size_t len);

/* Propagate `amount` of revenue arriving at `node`: writes the touched nodes and what each
 * keeps to nodes_out/amounts_out (capacity `cap`; node's ancestors + 1 always suffice) and the
 * count to *count. TSR_EINVAL for an unknown node, TSR_ECAPACITY when cap is too small (nothing
 * written), TSR_ECORRUPT if the amounts would not sum to `amount`. */
int tsr_cflow_pay(tsr_cflow *g, uint32_t node, uint64_t amount, uint32_t *nodes_out,
                  uint64_t *amounts_out, size_t cap, size_t *count);

/* tsr_cflow_pay, and depth_out[i] (capacity `cap`, may be NULL) receives the shortest
 * distance in edges from `node` to nodes_out[i] (0 for node itself). */
int tsr_cflow_pay_depth(tsr_cflow *g, uint32_t node, uint64_t amount, uint32_t *nodes_out,
                        uint64_t *amounts_out, uint32_t *depth_out, size_t cap, size_t *count);

/* RELATIVE mode only: the same amounts as tsr_cflow_pay, but only the nodes that receive a
 * positive amount (and `node` itself) are visited and listed, in descending rank (ties by
 * id); ancestors that the flooring has already cut off are never touched. Every contributor
 * to a node has a strictly higher rank, so a node is split only after its whole inflow has
 * arrived, exactly as in tsr_cflow_pay. Cost O(L log L + E_L) for the L nodes reached.
 * depth_out may be NULL. TSR_EINVAL also for an ABSOLUTE graph; TSR_ECAPACITY when more than
 * `cap` nodes are reached (the outputs are then partial; node's ancestors + 1 always suffice). */
int tsr_cflow_pay_live(tsr_cflow *g, uint32_t node, uint64_t amount, uint32_t *nodes_out,
                       uint64_t *amounts_out, uint32_t *depth_out, size_t cap, size_t *count);

/* Exact Shapley values of n <= 16 players from a utility table v[mask] (2^n entries, bit i of
 * mask = player i, v[0] = v(empty set)): phi_i * n! = sum over S not containing i of
 * |S|! (n - |S| - 1)! (v(S+i) - v(S)), written to out[i] as numerators on the common
 * denominator n! (split an amount by them with tsr_split_largest_w128). TSR_ERANGE for
 * n = 0 or n > 16, a utility outside [0, 2^40], or a negative Shapley value (the split needs
 * non-negative shares). */
int tsr_shapley_exact(const int64_t *v, unsigned n, tsr_u128 *out);

#endif /* TSR_CFLOW_H */
