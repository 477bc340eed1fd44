/*
** scn_cflow.c: the scenario keys of model "cflow" (the Bitmodel C-Flow royalty graph,
** scenarios/CFLOW.md) beyond the flat key table: the seed graph file, its validation and the
** copy into scn_scenario.cflow.
**
** Graph file (cflow.graph_file, relative to the scenario's directory), one statement a line,
** `#` starts a comment:
**     node NAME TYPE [MEMBERS]     TYPE: foundation, finetune, app, dataset, contributor
**     link CHILD PARENT RATE       RATE: a percentage ("5%", "2.5%") or "default"
** Nodes are declared before they are linked. Every link is checked by the reward core's own
** link rule (tsr_cflow_link_add in the scenario's mode and limits), so a graph the loader accepts
** is exactly a graph the model can build; a rejected line is reported as GRAPH:LINE with the
** reject reason (tsr_cflow_reject_str). Cost: O(lines * nodes) for name lookups (seed graphs are
** small; the model grows the graph itself) plus the reward core's O(ancestors) per link.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scn_int.h"
#include "tsr.h"

static const char *const type_names[] = {"foundation", "finetune", "app", "dataset", "contributor"};

static int usable_key(const scn__loader *ld, int k)
{
    return ld->v[k].src != SCN__SRC_NONE && !ld->v[k].bad;
}

/* Parser state over one graph file. */
typedef struct gparse {
    scn__loader *ld;      /* where messages go (NULL: silent re-read) */
    const char *display;  /* the graph file as named in messages */
    scn_cflow *out;       /* nodes and links being built */
    uint32_t capn, capl;  /* allocated entries */
    tsr_cflow g;          /* the reward core's graph, for the link rule */
    uint32_t def_rate[5]; /* default rate by parent type (1e8 scale) */
    int errors;           /* messages reported */
} gparse;

/* Reports msg at GRAPH:line (counted even when silent); returns 0 so callers go on. */
static int gerr(gparse *p, unsigned line, const char *msg)
{
    p->errors++;
    if (p->ld) {
        scn__loc l = {SCN__CLS_LINE, line, NULL, p->display};
        scn__report(p->ld, l, "%s", msg);
    }
    return 0;
}

/* gerr with a message built from fmt and two strings (a literal format at every call). */
#define gerrf(p, line, fmt, a, b) (snprintf(gmsg, sizeof gmsg, fmt, a, b), gerr(p, line, gmsg))

static int find_node(const scn_cflow *cf, const char *name)
{
    for (uint32_t i = 0; i < cf->nnodes; i++)
        if (!strcmp(cf->nodes[i].name, name))
            return (int)i;
    return -1;
}

static int valid_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '-' || *s == '.'))
            return 0;
    return 1;
}

/* "5%", "2.5%", "100%" -> rate on the 1e8 scale (at most 6 decimals); -1 when malformed. */
static int64_t parse_percent(const char *s)
{
    int64_t whole = 0, frac = 0;
    int digits = 0, fd = 0;
    for (; *s >= '0' && *s <= '9'; s++, digits++)
        if ((whole = whole * 10 + (*s - '0')) > 1000)
            return -1;
    if (*s == '.') {
        for (s++; *s >= '0' && *s <= '9'; s++, fd++) {
            if (fd == 6)
                return -1;
            frac = frac * 10 + (*s - '0');
        }
    }
    if (digits == 0 || *s != '%' || s[1] != '\0')
        return -1;
    for (int i = fd; i < 6; i++)
        frac *= 10;
    return whole * 1000000 + frac;
}

static int grow(void **arr, uint32_t *cap, uint32_t n, size_t size)
{
    if (n < *cap)
        return 0;
    uint32_t nc = *cap ? *cap * 2 : 16;
    void *q = realloc(*arr, (size_t)nc * size);
    if (!q)
        return -1;
    *arr = q, *cap = nc;
    return 0;
}

static int add_node(gparse *p, unsigned line, char **tok, int ntok)
{
    char gmsg[512];
    scn_cflow *cf = p->out;
    if (ntok < 3 || ntok > 4)
        return gerrf(p, line, "expected `node NAME TYPE [MEMBERS]`%s%s", "", "");
    if (!valid_name(tok[1]))
        return gerrf(p, line, "node name '%s' is not 1..64 characters of [A-Za-z0-9_.-]%s", tok[1],
                     "");
    if (find_node(cf, tok[1]) >= 0)
        return gerrf(p, line, "node '%s' is declared twice%s", tok[1], "");
    int type = -1;
    for (int i = 0; i < 5; i++)
        if (!strcmp(tok[2], type_names[i]))
            type = i;
    if (type < 0)
        return gerrf(p, line,
                     "unknown node type '%s' (expected foundation, finetune, app, dataset or "
                     "contributor)%s",
                     tok[2], "");
    long members = 0;
    if (ntok == 4) {
        char *end;
        members = strtol(tok[3], &end, 10);
        if (*end || members < 1 || members > 64)
            return gerrf(p, line, "members '%s' is not an integer in [1, 64]%s", tok[3], "");
    }
    uint32_t id;
    if (grow((void **)&cf->nodes, &p->capn, cf->nnodes, sizeof *cf->nodes) != 0 ||
        tsr_cflow_add_node(&p->g, &id) != TSR_OK ||
        !(cf->nodes[cf->nnodes].name = scn__strdup(tok[1])))
        return -1;
    scn_cf_node *n = &cf->nodes[cf->nnodes++];
    n->type = (scn_cf_type)type, n->members = (uint32_t)members, n->line = line;
    return 0;
}

static int add_link(gparse *p, unsigned line, char **tok, int ntok)
{
    char gmsg[512];
    scn_cflow *cf = p->out;
    if (ntok != 4)
        return gerrf(p, line, "expected `link CHILD PARENT RATE`%s%s", "", "");
    int c = find_node(cf, tok[1]), q = find_node(cf, tok[2]);
    if (c < 0 || q < 0)
        return gerrf(p, line, "link to an unknown node '%s': %s", c < 0 ? tok[1] : tok[2],
                     tsr_cflow_reject_str(TSR_CFLOW_BAD_NODE));
    int64_t rate =
        !strcmp(tok[3], "default") ? p->def_rate[cf->nodes[q].type] : parse_percent(tok[3]);
    if (rate < 0)
        return gerrf(p, line, "rate '%s' is not a percentage such as 5%% or 2.5%% (or default)%s",
                     tok[3], "");
    tsr_cflow_reject why = TSR_CFLOW_LINKED;
    if (rate > (int64_t)TSR_CFLOW_SCALE)
        why = TSR_CFLOW_RATE;
    else
        (void)tsr_cflow_link_add(&p->g, (uint32_t)c, (uint32_t)q, (uint32_t)rate, &why);
    if (why != TSR_CFLOW_LINKED) {
        char what[200], detail[96], reason[200];
        tsr_cflow_reject_detail(&p->g, (uint32_t)c, (uint32_t)q, (uint32_t)rate, why, detail,
                                sizeof detail);
        snprintf(what, sizeof what, "link %.64s -> %.64s (%.20s)", tok[1], tok[2], tok[3]);
        snprintf(reason, sizeof reason, "%s%s", tsr_cflow_reject_str(why), detail);
        return gerrf(p, line, "%s rejected: %s", what, reason);
    }
    if (grow((void **)&cf->links, &p->capl, cf->nlinks, sizeof *cf->links) != 0)
        return -1;
    cf->links[cf->nlinks++] = (scn_cf_link){(uint32_t)c, (uint32_t)q, (uint32_t)rate, line};
    return 0;
}

/* Splits a line (comment removed) into at most 8 whitespace-separated tokens, in place
** (re-entrant: sweeps load scenarios on several threads). 9 means too many. */
static int tokenize(char *s, char **tok)
{
    char *hash = strchr(s, '#');
    if (hash)
        *hash = '\0';
    int n = 0;
    for (;;) {
        while (*s == ' ' || *s == '\t' || *s == '\r')
            *s++ = '\0';
        if (!*s)
            return n;
        if (n == 8)
            return 9;
        tok[n++] = s;
        while (*s && *s != ' ' && *s != '\t' && *s != '\r')
            s++;
    }
}

static int parse_lines(gparse *p, char *text)
{
    char gmsg[512];
    unsigned line = 0;
    for (char *s = text; s; line++) {
        char *nl = strchr(s, '\n');
        if (nl)
            *nl = '\0';
        char *tok[8];
        int n = tokenize(s, tok), rc = 0;
        if (n == 0)
            ;
        else if (!strcmp(tok[0], "node"))
            rc = add_node(p, line + 1, tok, n);
        else if (!strcmp(tok[0], "link"))
            rc = add_link(p, line + 1, tok, n);
        else
            gerrf(p, line + 1, "unknown statement '%s' (expected node or link)%s", tok[0], "");
        if (rc != 0)
            return -1;
        s = nl ? nl + 1 : NULL;
    }
    return 0;
}

static uint32_t rate_key(const scn__loader *ld, int k)
{
    return usable_key(ld, k) ? (uint32_t)llround(ld->v[k].d * 1e8) : 0;
}

/* Reads and checks the graph into out (nodes, links). Returns 0, 1 after reported problems, -1
** when out of memory. */
static int read_graph(scn__loader *ld, int report, const char *path, scn_cflow *out)
{
    gparse p;
    memset(&p, 0, sizeof p);
    p.ld = report ? ld : NULL, p.display = path, p.out = out;
    p.def_rate[SCN_CF_FOUNDATION] = rate_key(ld, SCN_K_CFLOW_FOUNDATION_RATE);
    p.def_rate[SCN_CF_FINETUNE] = rate_key(ld, SCN_K_CFLOW_FINETUNE_RATE);
    p.def_rate[SCN_CF_APP] = rate_key(ld, SCN_K_CFLOW_FINETUNE_RATE);
    p.def_rate[SCN_CF_DATASET] = rate_key(ld, SCN_K_CFLOW_DATASET_RATE);
    p.def_rate[SCN_CF_CONTRIBUTOR] = rate_key(ld, SCN_K_CFLOW_CONTRIBUTOR_RATE);
    tsr_cflow_mode mode = ld->v[SCN_K_CFLOW_MODE].u == 1 ? TSR_CFLOW_ABSOLUTE : TSR_CFLOW_RELATIVE;
    if (tsr_cflow_init(&p.g, mode, (uint32_t)ld->v[SCN_K_CFLOW_MAX_PARENTS].u,
                       (uint32_t)ld->v[SCN_K_CFLOW_MAX_ANCESTORS].u, NULL, NULL) != TSR_OK)
        return 1;
    char *text = NULL, msg[300];
    size_t len = 0;
    unsigned bad_line = 0;
    int rc = 0;
    if (!scn__regular_file(path)) { /* a FIFO would block the open */
        if (report)
            scn__report(ld, scn__loc_key(ld, SCN_K_CFLOW_GRAPH_FILE),
                        "cflow.graph_file: %s: not a regular file", path);
        rc = 1;
    } else if (scn__read_file(path, &text, &len, msg, sizeof msg) != 0 ||
               (len > 0 &&
                scn__check_text(text, len, &bad_line, msg, sizeof msg) != 0)) { /* empty: no seed */
        if (report && bad_line)
            scn__report(ld, scn__loc_key(ld, SCN_K_CFLOW_GRAPH_FILE), "cflow.graph_file: %s:%u: %s",
                        path, bad_line, msg);
        else if (report)
            scn__report(ld, scn__loc_key(ld, SCN_K_CFLOW_GRAPH_FILE), "cflow.graph_file: %s: %s",
                        path, msg);
        rc = 1;
    } else if (parse_lines(&p, text) != 0) {
        rc = -1;
    } else if (p.errors) {
        rc = 1;
    }
    free(text);
    tsr_cflow_clear(&p.g);
    return rc;
}

static char *graph_path(const scn__loader *ld)
{
    const char *g = ld->v[SCN_K_CFLOW_GRAPH_FILE].s;
    const char *slash = ld->from_file ? strrchr(ld->disp, '/') : NULL;
    if (g[0] == '/' || !slash)
        return scn__strdup(g);
    return scn__aprintf("%.*s/%s", (int)(slash - ld->disp), ld->disp, g);
}

static int graph_keys_usable(const scn__loader *ld)
{
    return usable_key(ld, SCN_K_CFLOW_GRAPH_FILE) && usable_key(ld, SCN_K_CFLOW_MODE) &&
           usable_key(ld, SCN_K_CFLOW_MAX_PARENTS) && usable_key(ld, SCN_K_CFLOW_MAX_ANCESTORS) &&
           ld->v[SCN_K_CFLOW_GRAPH_FILE].s && ld->v[SCN_K_CFLOW_GRAPH_FILE].s[0];
}

void scn__cflow_check(scn__loader *ld)
{
    const int R[4] = {SCN_K_CFLOW_FOUNDATION_RATE, SCN_K_CFLOW_FINETUNE_RATE,
                      SCN_K_CFLOW_DATASET_RATE, SCN_K_CFLOW_CONTRIBUTOR_RATE};
    for (int i = 0; i < 4; i++)
        if (usable_key(ld, R[i]) && rate_key(ld, R[i]) == 0)
            scn__report(ld, scn__loc_key(ld, R[i]), "%s must be at least 1e-8 (is %g)",
                        scn__keys[R[i]].path, ld->v[R[i]].d);
    if (!graph_keys_usable(ld))
        return;
    char *path = graph_path(ld);
    scn_cflow tmp;
    memset(&tmp, 0, sizeof tmp);
    if (!path || read_graph(ld, 1, path, &tmp) < 0)
        ld->oom = 1;
    scn__cflow_clear(&tmp);
    free(path);
}

int scn__cflow_fill(scn__loader *ld, scn_scenario *out)
{
    const scn__val *v = ld->v;
    scn_cflow *c = &out->cflow;
    c->absolute = v[SCN_K_CFLOW_MODE].u == 1;
    c->max_parents = (uint32_t)v[SCN_K_CFLOW_MAX_PARENTS].u;
    c->max_ancestors = (uint32_t)v[SCN_K_CFLOW_MAX_ANCESTORS].u;
    c->foundations = (uint32_t)v[SCN_K_CFLOW_FOUNDATIONS].u;
    c->datasets = (uint32_t)v[SCN_K_CFLOW_DATASETS].u;
    c->contributors = (uint32_t)v[SCN_K_CFLOW_CONTRIBUTORS].u;
    c->rate[0] = v[SCN_K_CFLOW_FOUNDATION_RATE].d, c->rate[1] = v[SCN_K_CFLOW_FINETUNE_RATE].d;
    c->rate[2] = v[SCN_K_CFLOW_DATASET_RATE].d, c->rate[3] = v[SCN_K_CFLOW_CONTRIBUTOR_RATE].d;
    c->rate_spread = v[SCN_K_CFLOW_RATE_SPREAD].d;
    c->finetunes_per_day = v[SCN_K_CFLOW_FINETUNES_PER_DAY].d;
    c->apps_per_day = v[SCN_K_CFLOW_APPS_PER_DAY].d;
    c->extra_parents = v[SCN_K_CFLOW_EXTRA_PARENTS].d;
    c->dataset_link = v[SCN_K_CFLOW_DATASET_LINK].d;
    c->contributor_link = v[SCN_K_CFLOW_CONTRIBUTOR_LINK].d;
    c->events_per_day = v[SCN_K_CFLOW_EVENTS_PER_DAY].d;
    c->revenue = v[SCN_K_CFLOW_REVENUE].u, c->revenue_spread = v[SCN_K_CFLOW_REVENUE_SPREAD].d;
    c->members_max = (uint32_t)v[SCN_K_CFLOW_MEMBERS_MAX].u;
    c->foundation_members = (uint32_t)v[SCN_K_CFLOW_FOUNDATION_MEMBERS].u;
    c->shapley = v[SCN_K_CFLOW_SPLIT].u == 1;
    c->shapley_exponent = v[SCN_K_CFLOW_SHAPLEY_EXPONENT].d;
    c->shapley_permutations = (uint32_t)v[SCN_K_CFLOW_SHAPLEY_PERMUTATIONS].u;
    c->dilution_day = (uint32_t)v[SCN_K_CFLOW_DILUTION_DAY].u;
    c->shell_rate = v[SCN_K_CFLOW_SHELL_RATE].d;
    c->fork_day = (uint32_t)v[SCN_K_CFLOW_FORK_DAY].u;
    c->fork_capture = v[SCN_K_CFLOW_FORK_CAPTURE].d;
    c->fork_prob = v[SCN_K_CFLOW_FORK_PROB].d;
    if (!graph_keys_usable(ld))
        return SCN_OK;
    if (!(c->graph_path = graph_path(ld)))
        return SCN_ENOMEM;
    int rc = read_graph(ld, 0, c->graph_path, c);
    return rc < 0 ? SCN_ENOMEM : rc > 0 ? SCN_EINVAL : SCN_OK;
}

void scn__cflow_clear(scn_cflow *cf)
{
    if (!cf)
        return;
    for (uint32_t i = 0; i < cf->nnodes; i++)
        free(cf->nodes[i].name);
    free(cf->nodes);
    free(cf->links);
    free(cf->graph_path);
    cf->nodes = NULL, cf->links = NULL, cf->graph_path = NULL;
    cf->nnodes = cf->nlinks = 0;
}
