/*
** cf_int.h: internals of model "cflow" shared by its .c files (world, graph growth, splits,
** metrics).
**
** Invariants: node i of the model is node i of the reward core's graph; its contributors own
** the contiguous ledger accounts [acct, acct + members) and the weights w[wofs ..] (split
** weights sw[wofs ..]); the customers account (0) is empty between events; the output buffers
** hold at least g.n + 1 entries (any node's ancestors plus itself).
*/
#ifndef TOKENSIM_CF_INT_H
#define TOKENSIM_CF_INT_H

#include <gsl/gsl_rng.h>

#include "cf_model.h"
#include "rng.h"
#include "tsr.h"

enum { CF_EV_DAY = 0, CF_EV_SAMPLE = 1 };
enum { CF_PH_DAY = 0, CF_PH_SAMPLE = 9 };
enum { CF_PURPOSE_SHAPLEY = RNG_PURPOSE_USER + 1 };
#define CF_DEPTHS 9 /* depth 0..7 and 8+ */

typedef struct cf_node {
    cf_type type;        /* node type */
    uint32_t members;    /* contributors inside the node */
    size_t acct;         /* first contributor account */
    size_t wofs;         /* offset of its weights in w[] / sw[] */
    double appeal;       /* applications: weight in the choice of revenue events (0: retired) */
    uint64_t income;     /* cumulative amount kept */
    uint64_t income_win; /* kept since the last sample */
    uint64_t events;     /* revenue events paid at this node */
} cf_node;

/* One attack's bookkeeping. */
typedef struct cf_attack {
    int state;        /* 0 not yet, 1 active, -1 failed (a link was refused) */
    uint32_t orig;    /* the attacked application */
    uint32_t clone;   /* the re-published application */
    uint32_t shell;   /* dilution: the shell node */
    uint64_t events;  /* events routed to the clone */
    uint64_t root;    /* dilution: income of parentless ancestors, actual */
    uint64_t root_cf; /* ... counterfactual (paid at orig) */
    uint64_t up;      /* upstream income (all but the attacker's nodes), actual */
    uint64_t up_cf;   /* ... counterfactual */
    uint64_t own;     /* attacker's income (clone + shell), actual */
    uint64_t own_cf;  /* ... counterfactual (orig's keep) */
    int why;          /* reason of a refused link when state == -1 */
} cf_attack;

struct cf_model {
    cf_config cfg;                 /* copy of the configuration (seed graph not owned) */
    const recorder *rec;           /* metrics sink */
    tsr_ledger ledger;             /* customers + every contributor */
    tsr_cflow g;                   /* the royalty graph */
    cf_node *node;                 /* [capn] */
    size_t capn;                   /* allocated nodes */
    uint64_t *w;                   /* contributor weights */
    tsr_u128 *sw;                  /* split weights (Shapley numerators or the weights) */
    size_t nw, capw;               /* used / allocated */
    uint32_t *out_node;            /* [capb] pay output */
    uint64_t *out_amt;             /* [capb] */
    uint32_t *cf_node_buf;         /* [capb] counterfactual pay output */
    uint64_t *cf_amt;              /* [capb] */
    uint32_t *depth;               /* [capb] pay output: shortest distance from the payer */
    size_t capb;                   /* entries of the buffers above */
    uint64_t *split;               /* [64] contributor split scratch */
    uint32_t *apps;                /* application ids in creation order */
    double *appeal_cum;            /* prefix sums of their appeal */
    size_t napps, capapps;         /* used / allocated */
    int appeal_dirty;              /* prefix sums must be rebuilt */
    uint64_t *fw;                  /* [capfw + 1] Fenwick tree (1-based) of the parent-choice
                                      weights 1 + children of models, 0 for other nodes */
    size_t capfw;                  /* nodes the tree covers */
    uint32_t *typed[2];            /* dataset / contributor node ids in creation order */
    size_t ntyped[2], captyped[2]; /* used / allocated */
    gsl_rng *ev;                   /* per-event stream (node decisions) */
    gsl_rng *day;                  /* per-day stream (arrivals, events) */
    cf_totals tot;                 /* totals */
    uint64_t depth_amt[CF_DEPTHS]; /* revenue kept at depth k from the paying node */
    uint64_t type_amt[5];          /* revenue kept by node type */
    uint64_t touched_max;          /* most nodes touched by one event */
    uint64_t win_revenue;          /* revenue since the last sample */
    uint64_t win_events;           /* events since the last sample */
    cf_attack dil;                 /* shell-node dilution attack */
    cf_attack fork;                /* fork attack */
    int64_t ledger_seq;            /* next ledger row */
    char *err;                     /* where handlers write errors */
    size_t errlen;                 /* its size */
};

int cf__fail(cf_model *m, const char *what);
/* Makes room for one more node in every per-node array. 0 or -1. */
int cf__reserve(cf_model *m);
/* The reward core's propagation of one event: LRP visits only the nodes a positive amount
** reaches (tsr_cflow_pay_live), LAP every ancestor (tsr_cflow_pay_depth). TSR_* status. */
int cf__propagate(cf_model *m, uint32_t node, uint64_t amount, uint32_t *nodes, uint64_t *amounts,
                  uint32_t *depth, size_t *cnt);
/* Pays `amount` at `node` and moves the money; kept amounts stay in out_node/out_amt (count in
** *n). Accumulates income, depth and type shares. */
int cf__pay(cf_model *m, uint32_t node, uint64_t amount, size_t *n);

/* ---- graph growth and attacks (cf_graph.c) ---- */
/* Parent-choice index: a new node n enters it (models with weight 1, datasets and contributors
** in their lists); cf__choice_linked(m, parent) after every accepted link. 0 or -1 (memory). */
int cf__choice_node(cf_model *m, uint32_t n);
void cf__choice_linked(cf_model *m, uint32_t parent);
int cf__genesis(cf_model *m);
int cf__arrivals(cf_model *m, uint64_t day);
int cf__attacks(cf_model *m, uint64_t day);
/* One day's revenue events (routing through the attacks). */
int cf__revenue(cf_model *m, uint64_t day);
/* Rebuilds the appeal prefix sums when needed. */
void cf__appeal_refresh(cf_model *m);

/* ---- splits (cf_split.c) ---- */
/* Split weights of node n's contributors (weights or Shapley) into sw[]. */
int cf__node_weights(cf_model *m, uint32_t n);
/* Splits `amount` among node n's contributors into m->split. */
int cf__split(cf_model *m, uint32_t n, uint64_t amount);

/* ---- metrics (cf_metrics.c) ---- */
int cf__declare_node(cf_model *m, uint32_t n, const char *name);
int cf__sample(cf_model *m, uint64_t day);

#endif
