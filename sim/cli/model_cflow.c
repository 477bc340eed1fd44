/*
** model_cflow.c: the "cflow" model (agents/cflow/cf_model.h) behind `tokensim run`: scenario ->
** cf_config (the seed graph copied into the model's types) and the adapter (cli_model.h).
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_model.h"
#include "cf_model.h"

/* ---- model "cflow" (agents/cflow/cf_model.h): the seed graph is copied into the model's types */

typedef struct cf_conv {
    cf_config cfg;       /* what cf_model_new reads */
    cf_seed_node *nodes; /* cfg.nodes */
    cf_seed_link *links; /* cfg.links */
} cf_conv;

static int cf_config_from(const scn_scenario *sc, cf_conv *c)
{
    const scn_cflow *f = &sc->cflow;
    memset(c, 0, sizeof *c);
    cf_config *k = &c->cfg;
    k->seed = sc->seed, k->day_seconds = sc->time.block_seconds, k->days = sc->time.blocks;
    k->record_every = sc->record.every;
    k->mode = f->absolute ? TSR_CFLOW_ABSOLUTE : TSR_CFLOW_RELATIVE;
    k->max_parents = f->max_parents, k->max_ancestors = f->max_ancestors;
    k->graph_path = f->graph_path;
    c->nodes = calloc(f->nnodes ? f->nnodes : 1, sizeof *c->nodes);
    c->links = calloc(f->nlinks ? f->nlinks : 1, sizeof *c->links);
    if (!c->nodes || !c->links)
        return -1;
    for (uint32_t i = 0; i < f->nnodes; i++)
        c->nodes[i] = (cf_seed_node){f->nodes[i].name, (cf_type)f->nodes[i].type,
                                     f->nodes[i].members, f->nodes[i].line};
    for (uint32_t i = 0; i < f->nlinks; i++)
        c->links[i] = (cf_seed_link){f->links[i].child, f->links[i].parent, f->links[i].rate,
                                     f->links[i].line};
    k->nodes = c->nodes, k->nnodes = f->nnodes, k->links = c->links, k->nlinks = f->nlinks;
    k->foundations = f->foundations, k->datasets = f->datasets, k->contributors = f->contributors;
    for (int i = 0; i < 4; i++)
        k->rate[i] = (uint32_t)llround(f->rate[i] * 1e8);
    k->rate_spread = f->rate_spread, k->finetunes_per_day = f->finetunes_per_day;
    k->apps_per_day = f->apps_per_day, k->extra_parents = f->extra_parents;
    k->dataset_link = f->dataset_link, k->contributor_link = f->contributor_link;
    k->events_per_day = f->events_per_day, k->revenue = f->revenue;
    k->revenue_spread = f->revenue_spread, k->members_max = f->members_max;
    k->foundation_members = f->foundation_members, k->shapley = f->shapley;
    k->shapley_exponent = f->shapley_exponent, k->shapley_permutations = f->shapley_permutations;
    k->dilution_day = f->dilution_day, k->shell_rate = (uint32_t)llround(f->shell_rate * 1e8);
    k->fork_day = f->fork_day, k->fork_capture = f->fork_capture, k->fork_prob = f->fork_prob;
    return 0;
}

/* The model and the seed-graph arrays its configuration pointed into. */
typedef struct cf_run {
    cf_conv conv; /* converted configuration */
    cf_model *m;  /* the model */
} cf_run;

static void cf_run_free(void *p)
{
    cf_run *r = p;
    if (!r)
        return;
    cf_model_free(r->m);
    free(r->conv.nodes);
    free(r->conv.links);
    free(r);
}

static int cf_build(const scn_scenario *sc, sim *s, const recorder *rec, void **m, uint64_t *ticks,
                    char *err, size_t errlen)
{
    cf_run *r = calloc(1, sizeof *r);
    if (!r || cf_config_from(sc, &r->conv) != 0) {
        snprintf(err, errlen, "out of memory");
        cf_run_free(r);
        return -1;
    }
    int rc = cf_model_new(&r->conv.cfg, s, rec, &r->m, err, errlen);
    if (rc != 0) { /* 2: the seed graph refused by the model */
        cf_run_free(r);
        return rc == 2 ? 2 : -1;
    }
    *ticks = r->conv.cfg.days;
    *m = r;
    return 0;
}

static uint64_t cf_supply(const void *p)
{
    cf_totals t;
    cf_model_totals(((const cf_run *)p)->m, &t);
    return t.revenue;
}

static int cf_finish(void *p, char *err, size_t errlen)
{
    return cf_model_finish(((cf_run *)p)->m, err, errlen);
}

const cli_model_ops cli_model_cflow = {cf_build, cf_supply, cf_finish, cf_run_free};
