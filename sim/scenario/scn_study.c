/*
** scn_study.c: the scenario keys of the two study models, "collusion-toy" (the whitepaper's
** collusion example) and "retention" (the mechanisms.md §6.3 Monte Carlo), beyond the flat key
** table: the number lists of the retention grid ("0.4,0.5,0.6") and the cross-field rules.
**
** Invariants: a list that passes scn__study_check has 1..SCN_STUDY_MAX_LIST finite values, each
** in its key's range, so scn__study_fill can parse it again without failing. The model <-> flag
** mapping lives here so the loader and scn_describe name models the same way.
** Cost: linear in the length of the list texts.
*/
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scn_int.h"

unsigned scn__model_flag(uint64_t m)
{
    switch (m) {
    case SCN_MODEL_TOKEN:
        return SCN__ONLY_TOKEN;
    case SCN_MODEL_BITTENSOR:
        return SCN__ONLY_BT;
    case SCN_MODEL_COLLUSION_TOY:
        return SCN__ONLY_COLLUSION;
    case SCN_MODEL_RETENTION:
        return SCN__ONLY_RETENTION;
    case SCN_MODEL_BITGRIT:
        return SCN__ONLY_BITGRIT;
    case SCN_MODEL_NUMERAI:
        return SCN__ONLY_NUMERAI;
    case SCN_MODEL_AIGEN:
        return SCN__ONLY_AIGEN;
    case SCN_MODEL_CFLOW:
        return SCN__ONLY_CFLOW;
    default:
        return 0;
    }
}

const char *scn__model_flag_name(unsigned flags)
{
    if (flags & SCN__ONLY_TOKEN)
        return "token";
    if (flags & SCN__ONLY_BT)
        return "bittensor";
    if (flags & SCN__ONLY_COLLUSION)
        return "collusion-toy";
    if (flags & SCN__ONLY_RETENTION)
        return "retention";
    if (flags & SCN__ONLY_BITGRIT)
        return "bitgrit";
    if (flags & SCN__ONLY_NUMERAI)
        return "numerai";
    if (flags & SCN__ONLY_AIGEN)
        return "aigen";
    if (flags & SCN__ONLY_CFLOW)
        return "cflow";
    return "";
}

/* Parses "a,b,c" (spaces allowed around the numbers) into l. Returns 0, or -1 with a reason in
** why. Every value must lie in [lo, hi] (open at lo when lo_open). */
static int parse_list(const char *text, double lo, int lo_open, double hi, scn_dlist *l, char *why,
                      size_t whylen)
{
    memset(l, 0, sizeof *l);
    const char *p = text;
    for (;;) {
        while (*p == ' ')
            p++;
        char *end = NULL;
        errno = 0;
        double d = strtod(p, &end);
        if (end == p || errno != 0 || !isfinite(d)) {
            snprintf(why, whylen, "'%s' is not a comma-separated list of numbers", text);
            return -1;
        }
        if (d < lo || d > hi || (lo_open && d == lo)) {
            snprintf(why, whylen, "value %g is outside %c%g, %g]", d, lo_open ? '(' : '[', lo, hi);
            return -1;
        }
        if (l->n == SCN_STUDY_MAX_LIST) {
            snprintf(why, whylen, "more than %u values", SCN_STUDY_MAX_LIST);
            return -1;
        }
        l->v[l->n++] = d;
        p = end;
        while (*p == ' ')
            p++;
        if (*p == '\0')
            return 0;
        if (*p != ',') {
            snprintf(why, whylen, "'%s' is not a comma-separated list of numbers", text);
            return -1;
        }
        p++;
    }
}

/* The list keys with their ranges. */
typedef struct list_key {
    double lo, hi; /* range */
    size_t off;    /* offset of the scn_dlist in scn_study.retention */
    int k;         /* key id */
    int lo_open;   /* lo excluded */
} list_key;

#define LK(id, l, h, open, field)                                                                  \
    {                                                                                              \
        .lo = (l), .hi = (h), .off = offsetof(scn_scenario, study.retention.field), .k = (id),     \
        .lo_open = (open)                                                                          \
    }
static const list_key list_keys[] = {
    LK(SCN_K_RETENTION_STAKE_SHARES, 0.0, 0.999999, 1, stake_shares),
    LK(SCN_K_RETENTION_KAPPA, 0.0, 1.0, 0, kappa),
    LK(SCN_K_RETENTION_BONDS_PENALTY, 0.0, 1.0, 0, bonds_penalty),
    LK(SCN_K_RETENTION_XI, 0.0, 1.0, 0, xi),
    LK(SCN_K_RETENTION_WEIGHT_SIGMA, 0.0, 10.0, 0, weight_sigma),
};
#undef LK

static int usable_key(const scn__loader *ld, int k)
{
    return ld->v[k].src != SCN__SRC_NONE && !ld->v[k].bad;
}

void scn__study_check(scn__loader *ld)
{
    if (ld->v[SCN_K_MODEL].u != SCN_MODEL_RETENTION)
        return; /* the collusion keys are fully checked by their ranges */
    for (size_t i = 0; i < sizeof list_keys / sizeof *list_keys; i++) {
        const list_key *lk = &list_keys[i];
        if (!usable_key(ld, lk->k))
            continue;
        scn_dlist l;
        char why[200];
        if (parse_list(ld->v[lk->k].s, lk->lo, lk->lo_open, lk->hi, &l, why, sizeof why) != 0)
            scn__report(ld, scn__loc_key(ld, lk->k), "%s: %s", scn__keys[lk->k].path, why);
    }
    const int N = SCN_K_RETENTION_NEURONS, V = SCN_K_RETENTION_VALIDATORS;
    /* both sides need a validator and a server of their own */
    if (usable_key(ld, N) && usable_key(ld, V) && ld->v[V].u + 2 > ld->v[N].u)
        scn__report(ld, scn__loc_key(ld, V),
                    "retention.validators (%llu) must be at most retention.neurons - 2 (%llu)",
                    (unsigned long long)ld->v[V].u, (unsigned long long)(ld->v[N].u - 2));
}

void scn__study_fill(const scn__loader *ld, scn_scenario *out)
{
    const scn__val *v = ld->v;
    scn_study *s = &out->study;
    memset(s, 0, sizeof *s);
    if (out->model == SCN_MODEL_COLLUSION_TOY) {
        s->collusion.cabal_share = v[SCN_K_COLLUSION_CABAL_SHARE].d;
        s->collusion.steepness = v[SCN_K_COLLUSION_STEEPNESS].d;
        s->collusion.midpoint = v[SCN_K_COLLUSION_MIDPOINT].d;
        s->collusion.growth = v[SCN_K_COLLUSION_GROWTH].d;
        return;
    }
    s->retention.neurons = (uint32_t)v[SCN_K_RETENTION_NEURONS].u;
    s->retention.validators = (uint32_t)v[SCN_K_RETENTION_VALIDATORS].u;
    s->retention.stake_sigma = v[SCN_K_RETENTION_STAKE_SIGMA].d;
    s->retention.steps = (uint32_t)v[SCN_K_RETENTION_STEPS].u;
    for (size_t i = 0; i < sizeof list_keys / sizeof *list_keys; i++) {
        const list_key *lk = &list_keys[i];
        char why[200];
        scn_dlist *l = (scn_dlist *)((char *)out + lk->off);
        (void)parse_list(v[lk->k].s, lk->lo, lk->lo_open, lk->hi, l, why, sizeof why);
    }
    s->retention.design = (scn_design)v[SCN_K_RETENTION_DESIGN].u;
    s->retention.base[0] = v[SCN_K_RETENTION_BASE_KAPPA].d;
    s->retention.base[1] = v[SCN_K_RETENTION_BASE_BONDS_PENALTY].d;
    s->retention.base[2] = v[SCN_K_RETENTION_BASE_XI].d;
    s->retention.base[3] = v[SCN_K_RETENTION_BASE_WEIGHT_SIGMA].d;
    s->retention.search = (scn_search)v[SCN_K_RETENTION_SEARCH].u;
    s->retention.yuma3 = v[SCN_K_RETENTION_YUMA3].u != 0;
}
