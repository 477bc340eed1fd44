/*
** cf_model.h: model "cflow" — Bitmodel C-Flow, revenue flowing back through a growing graph of
** model contributions (spec mechanisms §4, scenarios/CFLOW.md).
**
** One tick is one day. The graph starts from a seed graph (the scenario's graph file) plus
** generated foundation models, datasets and contributor nodes; each day new fine-tunes and
** applications arrive (Poisson), choose parents by popularity (1 + children) and link to them
** at drawn rates (they build on existing models); with probability fork_prob an arriving
** fine-tune instead forks a model chosen the same way: it copies that model's parent links and
** rates, so it pays the model's upstream but not the model itself; every link goes through the
** reward core's link rule and rejected attempts are
** counted by reason. Revenue events (Poisson) arrive at applications chosen by their appeal and
** propagate through tsr_cflow_pay (LRP or LAP); the amount a node keeps is split among its
** contributors by fixed weights (Drips cumulative) or by Shapley values of the declared utility
** v(S) = 2^30 (w(S)/w(N))^exponent (exact for <= 16 contributors, K seeded permutations beyond,
** then tsr_split_largest_w128, largest remainder as spec §4.5 asks). Each event's money is minted
** into the customers account and transferred to contributor accounts; the ledger's conservation
** is checked every day.
** Attacks: on dilution_day the top application is re-published behind a shell node (the shell
** takes over its parent links, the clone links only to the shell at shell_rate); on fork_day a
** clone without any upstream link takes fork_capture of the top application's events. Both are
** measured against the counterfactual payment at the original node.
**
** Entities: 0 network, node i is entity i + 1 (role = its type). Cost per revenue event:
** O(A + E_A) for the propagation, which also yields each touched node's depth (A ancestors
** touched), plus the contributors of the touched nodes.
*/
#ifndef TOKENSIM_CF_MODEL_H
#define TOKENSIM_CF_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "recorder.h"
#include "sim.h"
#include "tsr_cflow.h"

typedef enum {
    CF_FOUNDATION = 0,
    CF_FINETUNE = 1,
    CF_APP = 2,
    CF_DATASET = 3,
    CF_CONTRIBUTOR = 4
} cf_type;

/* A node of the seed graph. */
typedef struct cf_seed_node {
    const char *name; /* name in the graph file */
    cf_type type;     /* node type */
    uint32_t members; /* contributors inside (0: drawn) */
    unsigned line;    /* line in the graph file (messages) */
} cf_seed_node;

/* A link of the seed graph (indexes into the seed nodes). */
typedef struct cf_seed_link {
    uint32_t child, parent; /* seed node indexes */
    uint32_t rate;          /* 1e8 = 100 % */
    unsigned line;          /* line in the graph file (messages) */
} cf_seed_link;

typedef struct cf_config {
    uint64_t seed;                 /* master seed */
    uint32_t run_index;            /* run index within a sweep */
    uint32_t day_seconds;          /* simulated seconds per tick */
    uint64_t days;                 /* days to simulate */
    uint64_t record_every;         /* days between samples */
    tsr_cflow_mode mode;           /* LRP or LAP */
    uint32_t max_parents;          /* link limits */
    uint32_t max_ancestors;        /* distinct ancestors per node */
    const char *graph_path;        /* seed graph file (messages), may be NULL */
    const cf_seed_node *nodes;     /* seed graph */
    uint32_t nnodes;               /* seed nodes */
    const cf_seed_link *links;     /* seed links, in file order */
    uint32_t nlinks;               /* seed links */
    uint32_t foundations;          /* generated foundation models */
    uint32_t datasets;             /* generated datasets */
    uint32_t contributors;         /* generated contributor nodes */
    uint32_t rate[4];              /* median rates (1e8 scale) to foundation, fine-tune, dataset,
                                      contributor parents; apps are never parents */
    double rate_spread;            /* lognormal sigma of drawn rates */
    double finetunes_per_day;      /* arrivals */
    double apps_per_day;           /* arrivals */
    double extra_parents;          /* probability of each further model parent */
    double dataset_link;           /* probability of a dataset parent */
    double contributor_link;       /* probability of a contributor parent */
    double events_per_day;         /* revenue events */
    uint64_t revenue;              /* median event amount, units */
    double revenue_spread;         /* its lognormal sigma */
    uint32_t members_max;          /* contributors of a generated node: 1..members_max */
    uint32_t foundation_members;   /* contributors of a generated foundation model */
    int shapley;                   /* split inside a node by Shapley values */
    double shapley_exponent;       /* utility exponent */
    uint32_t shapley_permutations; /* K for nodes with more than 16 contributors */
    uint64_t dilution_day;         /* shell-node attack day (0: never) */
    uint32_t shell_rate;           /* the clone's rate to the shell (1e8 scale) */
    uint64_t fork_day;             /* fork attack day (0: never) */
    double fork_capture;           /* share of the original's events the clone takes */
    double fork_prob;              /* probability that an arriving fine-tune forks a model (copies
                                      its parent links) instead of building on it */
} cf_config;

/* Totals for tests and the CLI. */
typedef struct cf_totals {
    uint64_t revenue;          /* revenue paid in (= minted) */
    uint64_t events;           /* revenue events */
    uint64_t touched;          /* nodes touched by all events */
    uint64_t attempts;         /* link attempts (seed links included) */
    uint64_t rejected;         /* rejected attempts */
    uint64_t rejected_by[10];  /* per tsr_cflow_reject reason */
    uint64_t dilution_root;    /* root income from the shell-attacked app's events */
    uint64_t dilution_root_cf; /* the same events paid at the original app */
    uint64_t fork_kept;        /* the fork clone's income */
    uint64_t fork_kept_cf;     /* what the original would have kept of those events */
    uint64_t forks;            /* arriving fine-tunes that forked a model */
} cf_totals;

typedef struct cf_model cf_model;

/* Builds the world (seed graph, generated nodes, contributor accounts) and schedules the days.
** 0; 2 when the seed graph is refused (err: GRAPH:LINE: link A -> B rejected: reason); -1
** otherwise, with a message in err. */
int cf_model_new(const cf_config *cfg, sim *s, const recorder *rec, cf_model **out, char *err,
                 size_t errlen);
int cf_model_finish(cf_model *m, char *err, size_t errlen);
void cf_model_free(cf_model *m);

/* Pays one revenue event of `amount` at node `node` now (tests; the DAY handler draws its own):
** propagation, contributor split, ledger, metrics accumulators. 0 or -1 with a message. */
int cf_model_pay(cf_model *m, uint32_t node, uint64_t amount);
/* Adds a node of `type` with `members` contributors of the given weights (NULL: all 1); its id
** to *id. Link it with cf_model_link. 0 or -1. */
int cf_model_add_node(cf_model *m, cf_type type, uint32_t members, const uint64_t *weights,
                      uint32_t *id);
/* Attempts a link (counted); *why gets the reason. 0 when linked, 1 when rejected. */
int cf_model_link(cf_model *m, uint32_t child, uint32_t parent, uint32_t rate,
                  tsr_cflow_reject *why);
/* Cumulative income kept by node n (sum over its contributors), units. */
uint64_t cf_model_income(const cf_model *m, uint32_t n);
/* Balance of contributor j of node n; UINT64_MAX when unknown. */
uint64_t cf_model_member_balance(const cf_model *m, uint32_t n, uint32_t j);
/* Number of nodes. */
uint32_t cf_model_nodes(const cf_model *m);
void cf_model_totals(const cf_model *m, cf_totals *t);
/* The reward core's graph (read-only use). */
const tsr_cflow *cf_model_graph(const cf_model *m);

/* Gini coefficient of n non-negative amounts (0 for n < 2 or a zero sum). O(n log n). */
double cf_gini(const uint64_t *x, size_t n);
/* Shapley weights of contributors with weights w[0..n-1] under v(S) = 2^30 (w(S)/w(N))^p:
** exact numerators for n <= 16 (tsr_shapley_exact), else sums of marginal contributions over
** K permutations drawn from rng (a gsl_rng *). out[n]. 0, or -1 (n = 0, bad input). */
int cf_shapley_weights(const uint64_t *w, uint32_t n, double p, uint32_t k, void *rng,
                       tsr_u128 *out);

#endif
