/*
** scn_bt.c: the scenario keys of model "bittensor" beyond the flat key table: the `subnets` list
** of per-subnet overrides (and --set subnets.N.KEY=VALUE), the effective parameters of every
** subnet, snapshots, the cross-field rules, the scenario's bittensor struct and params_json.
**
** Precedence of a subnet key for netuid N, highest first: the `subnets` element of netuid N
** (file or --set), the subnet's snapshot (its hyperparameters, pool, moving price, burn), the
** `subnet_defaults` group (file or --set), the key table default (spec bittensor §3.12).
** Elements are validated by the same validators as every key, so messages read
** `FILE:LINE: subnets[1].tempo = 0 is out of range [1, 65535]`.
** Cost: O(elements x subnet keys + subnets x (subnet keys + snapshot size)).
*/
#include <stdlib.h>
#include <string.h>

#include <libconfig.h>

#include "scn_int.h"

static int usable(const scn__val *v)
{
    return v->src != SCN__SRC_NONE && !v->bad;
}

/* The subnet key (or SCN_K_SUBNETS_NETUID) whose last path component is `leaf`, or -1. */
static int elem_key(const char *leaf)
{
    if (!strcmp(leaf, "netuid"))
        return SCN_K_SUBNETS_NETUID;
    for (int k = SCN_K_SD_FIRST; k <= SCN_K_SD_LAST; k++)
        if (!strcmp(strchr(scn__keys[k].path, '.') + 1, leaf))
            return k;
    return -1;
}

/* The closest subnet key leaf within edit distance 2, or NULL. */
static const char *elem_suggest(const char *leaf)
{
    const char *best = NULL;
    size_t best_d = 3;
    for (int k = SCN_K_SD_FIRST; k <= SCN_K_SD_LAST; k++) {
        const char *l = strchr(scn__keys[k].path, '.') + 1;
        size_t d = scn__edit_distance(leaf, l, 2);
        if (d < best_d)
            best = l, best_d = d;
    }
    return best;
}

static scn__val *elem_slot(scn__elem *e, int k)
{
    return k == SCN_K_SUBNETS_NETUID ? &e->netuid : &e->v[k - SCN_K_SD_FIRST];
}

static scn__elem *elem_push(scn__loader *ld)
{
    if (ld->nelem == ld->capelem) {
        size_t cap = ld->capelem ? ld->capelem * 2 : 8;
        scn__elem *p = realloc(ld->elem, cap * sizeof *p);
        if (!p) {
            ld->oom = 1;
            return NULL;
        }
        ld->elem = p, ld->capelem = cap;
    }
    scn__elem *e = &ld->elem[ld->nelem++];
    memset(e, 0, sizeof *e);
    return e;
}

/* The netuid an element configures: its explicit netuid, else its list position + 1; 0 when
** its netuid was refused. */
static unsigned elem_netuid(const scn__elem *e)
{
    if (e->netuid.src != SCN__SRC_NONE)
        return e->netuid.bad ? 0 : (unsigned)e->netuid.u;
    return e->pos + 1;
}

static scn__loc elem_loc(const scn__elem *e)
{
    return e->line ? scn__loc_line(e->line) : scn__loc_set(e->name);
}

/* Validates one value of element e through the common validators. */
static void elem_value(scn__loader *ld, scn__elem *e, int k, const char *path, int src,
                       unsigned line, const config_setting_t *c, const char *text)
{
    ld->cur_slot = elem_slot(e, k);
    ld->cur_path = path;
    scn__val_begin(ld, k, src, line);
    if (c)
        scn__val_from_setting(ld, k, c);
    else
        scn__val_from_text(ld, k, scn__loc_set(path), text);
    ld->cur_slot = NULL;
    ld->cur_path = NULL;
}

void scn__bt_walk_element(scn__loader *ld, const config_setting_t *g, unsigned index)
{
    scn__elem *e = elem_push(ld);
    if (!e)
        return;
    e->line = config_setting_source_line(g);
    e->pos = index;
    snprintf(e->name, sizeof e->name, "subnets[%u]", index);
    unsigned n = (unsigned)config_setting_length(g);
    for (unsigned i = 0; i < n && !ld->oom; i++) {
        const config_setting_t *c = config_setting_get_elem(g, i);
        const char *leaf = config_setting_name(c);
        unsigned line = config_setting_source_line(c);
        char path[96];
        snprintf(path, sizeof path, "%s.%s", e->name, leaf);
        int k = elem_key(leaf);
        const char *hint = k < 0 ? elem_suggest(leaf) : NULL;
        if (k < 0 && hint)
            scn__report(ld, scn__loc_line(line), "unknown key '%s' (did you mean '%s.%s'?)", path,
                        e->name, hint);
        else if (k < 0)
            scn__report(ld, scn__loc_line(line), "unknown key '%s'", path);
        else
            elem_value(ld, e, k, path, SCN__SRC_FILE, line, c, NULL);
    }
}

/* "subnets.N.KEY" -> N and KEY; 0 when the key has that form. */
static int split_set_key(const char *key, unsigned long *netuid, const char **leaf)
{
    if (strncmp(key, "subnets.", 8) != 0)
        return -1;
    const char *p = key + 8;
    char *end;
    if (*p < '0' || *p > '9')
        return -1;
    *netuid = strtoul(p, &end, 10);
    if (*end != '.' || end[1] == '\0')
        return -1;
    *leaf = end + 1;
    return 0;
}

int scn__bt_apply_set(scn__loader *ld, const char *key, const char *value)
{
    unsigned long netuid;
    const char *leaf;
    if (split_set_key(key, &netuid, &leaf) != 0)
        return -1;
    int k = elem_key(leaf);
    if (netuid < 1 || netuid > SCN_MAX_SUBNETS) {
        scn__report(ld, scn__loc_set(key), "netuid %lu is out of range [1, %u]", netuid,
                    SCN_MAX_SUBNETS);
        return 0;
    }
    if (k < 0 || k == SCN_K_SUBNETS_NETUID) {
        const char *hint = elem_suggest(leaf);
        if (hint)
            scn__report(ld, scn__loc_set(key), "unknown key '%s' (did you mean 'subnets.%lu.%s'?)",
                        key, netuid, hint);
        else
            scn__report(ld, scn__loc_set(key), "unknown key '%s'", key);
        return 0;
    }
    scn__elem *e = NULL;
    for (size_t i = ld->nelem; i-- > 0 && !e;)
        if (elem_netuid(&ld->elem[i]) == netuid)
            e = &ld->elem[i];
    if (!e) {
        if (!(e = elem_push(ld)))
            return 0;
        snprintf(e->name, sizeof e->name, "subnets.%lu", netuid);
        e->netuid.src = SCN__SRC_SET;
        e->netuid.u = netuid;
    }
    elem_value(ld, e, k, key, SCN__SRC_SET, 0, NULL, value);
    return 0;
}

void scn__bt_loader_free(scn__loader *ld)
{
    for (size_t i = 0; i < ld->nelem; i++) {
        scn__val_reset(&ld->elem[i].netuid);
        for (int k = 0; k < SCN_SD_COUNT; k++)
            scn__val_reset(&ld->elem[i].v[k]);
    }
    free(ld->elem);
    ld->elem = NULL;
    ld->nelem = ld->capelem = 0;
    if (ld->bt_subnets) {
        scn_bittensor tmp = {0};
        tmp.subnets = ld->bt_subnets;
        tmp.nsubnets = ld->bt_nsubnets;
        scn__bt_clear(&tmp);
        ld->bt_subnets = NULL;
        ld->bt_nsubnets = 0;
    }
}

void scn__bt_clear(scn_bittensor *bt)
{
    if (!bt)
        return;
    for (uint32_t i = 0; bt->subnets && i < bt->nsubnets; i++)
        scn__snapshot_free(bt->subnets[i].snapshot);
    free(bt->subnets);
    bt->subnets = NULL;
    bt->nsubnets = 0;
}

/* ---- effective subnets ----------------------------------------------------------------- */

/* Stores value v of subnet key k into sn. */
static void put(scn_bt_subnet *sn, int k, const scn__val *v)
{
    switch (k) {
    case SCN_K_SD_TEMPO:
        sn->tempo = (uint16_t)v->u;
        break;
    case SCN_K_SD_MAX_UIDS:
        sn->max_uids = (uint16_t)v->u;
        break;
    case SCN_K_SD_MAX_VALIDATORS:
        sn->max_validators = (uint16_t)v->u;
        break;
    case SCN_K_SD_KAPPA:
        sn->kappa = (uint16_t)v->u;
        break;
    case SCN_K_SD_BONDS_MOVING_AVERAGE:
        sn->bonds_moving_average = v->u;
        break;
    case SCN_K_SD_BONDS_PENALTY:
        sn->bonds_penalty = (uint16_t)v->u;
        break;
    case SCN_K_SD_YUMA3:
        sn->yuma3 = v->u != 0;
        break;
    case SCN_K_SD_LIQUID_ALPHA:
        sn->liquid_alpha = v->u != 0;
        break;
    case SCN_K_SD_ALPHA_LOW:
        sn->alpha_low = (uint16_t)v->u;
        break;
    case SCN_K_SD_ALPHA_HIGH:
        sn->alpha_high = (uint16_t)v->u;
        break;
    case SCN_K_SD_ALPHA_SIGMOID_STEEPNESS:
        sn->alpha_sigmoid_steepness = (uint16_t)v->u;
        break;
    case SCN_K_SD_IMMUNITY_PERIOD:
        sn->immunity_period = (uint16_t)v->u;
        break;
    case SCN_K_SD_MIN_ALLOWED_WEIGHTS:
        sn->min_allowed_weights = (uint16_t)v->u;
        break;
    case SCN_K_SD_ACTIVITY_CUTOFF_FACTOR:
        sn->activity_cutoff_factor = (uint32_t)v->u;
        break;
    case SCN_K_SD_STAKE_THRESHOLD:
        sn->stake_threshold = v->u;
        break;
    case SCN_K_SD_COMMIT_REVEAL:
        sn->commit_reveal = v->u != 0;
        break;
    case SCN_K_SD_REVEAL_PERIOD:
        sn->reveal_period = (uint32_t)v->u;
        break;
    case SCN_K_SD_WEIGHTS_RATE_LIMIT:
        sn->weights_rate_limit = (uint16_t)v->u;
        break;
    case SCN_K_SD_IMMUNE_OWNER_UIDS:
        sn->immune_owner_uids = (uint16_t)v->u;
        break;
    case SCN_K_SD_MIN_NON_IMMUNE_UIDS:
        sn->min_non_immune_uids = (uint16_t)v->u;
        break;
    case SCN_K_SD_OWNER_CUT_ENABLED:
        sn->owner_cut_enabled = v->u != 0;
        break;
    case SCN_K_SD_BURN:
        sn->burn = v->u;
        break;
    case SCN_K_SD_BURN_HALF_LIFE:
        sn->burn_half_life = (uint16_t)v->u;
        break;
    case SCN_K_SD_BURN_INCREASE_MULT:
        sn->burn_increase_mult = v->d;
        break;
    case SCN_K_SD_BURN_MIN:
        sn->burn_min = v->u;
        break;
    case SCN_K_SD_BURN_MAX:
        sn->burn_max = v->u;
        break;
    case SCN_K_SD_POOL_TAO:
        sn->pool_tao = v->u;
        break;
    case SCN_K_SD_POOL_ALPHA:
        sn->pool_alpha = v->u;
        break;
    case SCN_K_SD_MOVING_PRICE:
        sn->moving_price = v->d;
        break;
    case SCN_K_SD_EMA_PRICE_HALVING_BLOCKS:
        sn->ema_price_halving_blocks = v->u;
        break;
    case SCN_K_SD_MINERS:
        sn->miners = (uint32_t)v->u;
        break;
    case SCN_K_SD_DELEGATORS:
        sn->delegators = (uint32_t)v->u;
        break;
    default:
        break; /* the snapshot path is handled by the caller */
    }
}

static scn__elem *find_elem(scn__loader *ld, unsigned netuid)
{
    for (size_t i = 0; i < ld->nelem; i++)
        if (elem_netuid(&ld->elem[i]) == netuid)
            return &ld->elem[i];
    return NULL;
}

/* The snapshot path as seen from the working directory: relative paths are taken from the
** scenario file's directory. NULL when out of memory. */
static char *resolve_path(const scn__loader *ld, const char *path)
{
    const char *slash = ld->from_file ? strrchr(ld->disp, '/') : NULL;
    if (path[0] == '/' || !slash)
        return scn__strdup(path);
    return scn__aprintf("%.*s/%s", (int)(slash - ld->disp), ld->disp, path);
}

/* The snapshot's own fields where the element does not override them. */
static void merge_snapshot(scn_bt_subnet *sn, const scn_snapshot *snap, const scn__elem *e)
{
    int given_tao = e && e->v[SCN_K_SD_POOL_TAO - SCN_K_SD_FIRST].src != SCN__SRC_NONE;
    int given_alpha = e && e->v[SCN_K_SD_POOL_ALPHA - SCN_K_SD_FIRST].src != SCN__SRC_NONE;
    int given_mp = e && e->v[SCN_K_SD_MOVING_PRICE - SCN_K_SD_FIRST].src != SCN__SRC_NONE;
    int given_burn = e && e->v[SCN_K_SD_BURN - SCN_K_SD_FIRST].src != SCN__SRC_NONE;
    if (snap->has_pool && !given_tao)
        sn->pool_tao = snap->pool_tao;
    if (snap->has_pool && !given_alpha)
        sn->pool_alpha = snap->pool_alpha;
    if (snap->has_moving_price && !given_mp)
        sn->moving_price = snap->moving_price;
    if (snap->has_burn && !given_burn)
        sn->burn = snap->burn;
}

/* Builds subnet `netuid` into sn; 0, or -1 when a value it needs was refused or a snapshot
** failed (already reported). */
static int build_subnet(scn__loader *ld, unsigned netuid, scn_bt_subnet *sn)
{
    scn__elem *e = find_elem(ld, netuid);
    scn__val hyper[SCN_SD_COUNT];
    memset(hyper, 0, sizeof hyper);
    memset(sn, 0, sizeof *sn);
    sn->netuid = (uint16_t)netuid;
    int rc = 0;
    const scn__val *sv = e && e->v[SCN_K_SD_SNAPSHOT - SCN_K_SD_FIRST].src != SCN__SRC_NONE
                             ? &e->v[SCN_K_SD_SNAPSHOT - SCN_K_SD_FIRST]
                             : &ld->v[SCN_K_SD_SNAPSHOT];
    if (!usable(sv))
        return -1;
    if (sv->s && sv->s[0]) {
        char *path = resolve_path(ld, sv->s);
        if (!path) {
            ld->oom = 1;
            return -1;
        }
        sn->snapshot = scn__snapshot_load(ld, path, path, hyper);
        free(path);
        if (!sn->snapshot)
            rc = -1;
        else if (!(sn->snapshot->given = scn__strdup(sv->s)))
            ld->oom = 1, rc = -1;
    }
    for (int k = SCN_K_SD_FIRST; k <= SCN_K_SD_LAST; k++) {
        const scn__val *v = &ld->v[k];
        if (hyper[k - SCN_K_SD_FIRST].src != SCN__SRC_NONE)
            v = &hyper[k - SCN_K_SD_FIRST];
        if (e && e->v[k - SCN_K_SD_FIRST].src != SCN__SRC_NONE)
            v = &e->v[k - SCN_K_SD_FIRST];
        if (!usable(v))
            rc = -1;
        else
            put(sn, k, v);
    }
    for (int k = 0; k < SCN_SD_COUNT; k++)
        scn__val_reset(&hyper[k]);
    if (sn->snapshot)
        merge_snapshot(sn, sn->snapshot, e);
    return rc;
}

/* ---- cross-field rules ------------------------------------------------------------------ */

static scn__loc subnet_loc(scn__loader *ld, unsigned netuid)
{
    scn__elem *e = find_elem(ld, netuid);
    return e ? elem_loc(e) : scn__loc_file();
}

/* Saturating a + b * c in u64. */
static uint64_t sat_madd(uint64_t a, uint64_t b, uint64_t c)
{
    if (b && c > UINT64_MAX / b)
        return UINT64_MAX;
    return a > UINT64_MAX - b * c ? UINT64_MAX : a + b * c;
}

static uint32_t n_validators(const scn__loader *ld)
{
    return (uint32_t)(ld->v[SCN_K_VALIDATORS_HONEST].u + ld->v[SCN_K_VALIDATORS_LAZY].u +
                      ld->v[SCN_K_VALIDATORS_NOISY].u);
}

static void check_subnet(scn__loader *ld, const scn_bt_subnet *sn)
{
    scn__loc l = subnet_loc(ld, sn->netuid);
    if (sn->alpha_low > sn->alpha_high)
        scn__report(ld, l, "subnet %u: alpha_low (%u) must not exceed alpha_high (%u)", sn->netuid,
                    sn->alpha_low, sn->alpha_high);
    if (sn->burn_min > sn->burn_max)
        scn__report(ld, l, "subnet %u: burn_min (%llu units) must not exceed burn_max (%llu units)",
                    sn->netuid, (unsigned long long)sn->burn_min, (unsigned long long)sn->burn_max);
    if (sn->snapshot && sn->snapshot->n > sn->max_uids)
        scn__report(ld, l, "subnet %u: the snapshot has %zu uids but max_uids is %u", sn->netuid,
                    sn->snapshot->n, sn->max_uids);
    if (!sn->snapshot && 1u + n_validators(ld) > sn->max_uids)
        scn__report(ld, l,
                    "subnet %u: the owner and %u validators need %u uids, but max_uids is %u",
                    sn->netuid, n_validators(ld), 1u + n_validators(ld), sn->max_uids);
    uint64_t alpha = sn->pool_alpha;
    if (sn->snapshot) {
        for (size_t i = 0; i < sn->snapshot->n; i++)
            alpha = sat_madd(alpha, 1, sn->snapshot->neurons[i].stake);
        if (sn->snapshot->has_alpha_out && sn->snapshot->alpha_out < alpha - sn->pool_alpha)
            scn__report(ld, l,
                        "subnet %u: the snapshot's pool.alpha_out is less than the sum of "
                        "its stakes",
                        sn->netuid);
    } else {
        alpha = sat_madd(alpha, n_validators(ld), ld->v[SCN_K_VALIDATORS_STAKE].u);
    }
    alpha = sat_madd(alpha, sn->delegators, ld->v[SCN_K_DELEGATORS_STAKE].u);
    if (alpha >= ld->v[SCN_K_CHAIN_TOTAL_SUPPLY].u)
        scn__report(ld, l,
                    "subnet %u: the genesis alpha (pool, validator and delegator stakes) "
                    "must be less than chain.total_supply",
                    sn->netuid);
}

/* Everything minted in TAO at genesis (means of the lognormal draws). */
static uint64_t genesis_tao(const scn__loader *ld, const scn_bt_subnet *sn, uint32_t n)
{
    const scn__val *v = ld->v;
    uint64_t t = 0;
    t = sat_madd(t, n_validators(ld),
                 v[SCN_K_VALIDATORS_TAO].u > UINT64_MAX - v[SCN_K_VALIDATORS_ROOT_STAKE].u
                     ? UINT64_MAX
                     : v[SCN_K_VALIDATORS_TAO].u + v[SCN_K_VALIDATORS_ROOT_STAKE].u);
    t = sat_madd(t, v[SCN_K_ROOT_STAKERS].u, v[SCN_K_ROOT_STAKE].u);
    t = sat_madd(t, n, v[SCN_K_OWNERS_TAO].u);
    if (v[SCN_K_ATTACKS_SYBIL].u)
        t = sat_madd(t, v[SCN_K_ATTACKS_SYBIL_IDENTITIES].u, v[SCN_K_ATTACKS_SYBIL_TAO].u);
    for (uint32_t i = 0; i < n; i++) {
        t = sat_madd(t, 1, sn[i].pool_tao);
        t = sat_madd(t, sn[i].miners, v[SCN_K_MINERS_TAO].u);
        for (size_t j = 0; sn[i].snapshot && j < sn[i].snapshot->n; j++)
            t = sat_madd(sat_madd(t, 1, sn[i].snapshot->neurons[j].root_stake), 1,
                         v[SCN_K_VALIDATORS_TAO].u);
    }
    return t;
}

/* Each element names a netuid within network.subnets, once. */
static void check_elements(scn__loader *ld, uint32_t nsub)
{
    for (size_t i = 0; i < ld->nelem; i++) {
        scn__elem *e = &ld->elem[i];
        unsigned id = elem_netuid(e);
        if (id == 0)
            continue;
        if (id > nsub)
            scn__report(ld, elem_loc(e), "%s: netuid %u is beyond network.subnets (%u)", e->name,
                        id, nsub);
        for (size_t j = 0; j < i; j++)
            if (elem_netuid(&ld->elem[j]) == id && ld->elem[j].line && e->line)
                scn__report(ld, elem_loc(e), "%s: netuid %u is already configured at line %u",
                            e->name, id, ld->elem[j].line);
    }
}

static void check_chain(scn__loader *ld)
{
    const scn__val *v = ld->v;
    const int T = SCN_K_CHAIN_TOTAL_SUPPLY, E = SCN_K_CHAIN_BLOCK_EMISSION;
    if (usable(&v[T]) && usable(&v[E]) && (v[E].u > UINT64_MAX / 2 || v[T].u <= 2 * v[E].u)) {
        char a[SCN_AMOUNT_BUFLEN], b[SCN_AMOUNT_BUFLEN];
        scn_amount_format(v[T].u, a);
        scn_amount_format(v[E].u, b);
        scn__report(ld, scn__loc_key(ld, v[T].src == SCN__SRC_DEFAULT ? E : T),
                    "chain.total_supply (%s) must be greater than twice chain.block_emission (%s)",
                    a, b);
    }
    const int L = SCN_K_VALIDATORS_TAKE_MIN, H = SCN_K_VALIDATORS_TAKE_MAX;
    if (usable(&v[L]) && usable(&v[H]) && v[L].u > v[H].u)
        scn__report(ld, scn__loc_key(ld, v[H].src == SCN__SRC_DEFAULT ? L : H),
                    "validators.take_min (%llu) must not exceed validators.take_max (%llu)",
                    (unsigned long long)v[L].u, (unsigned long long)v[H].u);
}

/* ---- attacks ------------------------------------------------------------------------------ */

/* The attack kinds' switch keys, and for each its start and stop keys. */
static const int atk_keys[4][3] = {
    {SCN_K_ATTACKS_CABAL, SCN_K_ATTACKS_CABAL_START, SCN_K_ATTACKS_CABAL_STOP},
    {SCN_K_ATTACKS_COPIER, SCN_K_ATTACKS_COPIER_START, SCN_K_ATTACKS_COPIER_STOP},
    {SCN_K_ATTACKS_SYBIL, SCN_K_ATTACKS_SYBIL_START, SCN_K_ATTACKS_SYBIL_STOP},
    {SCN_K_ATTACKS_WHALE, SCN_K_ATTACKS_WHALE_START, SCN_K_ATTACKS_WHALE_STOP}};

/* Validators registered at genesis on subnet sn: the global ones, or a snapshot's. */
static uint32_t genesis_validators(const scn__loader *ld, const scn_bt_subnet *sn)
{
    uint32_t n = 0;
    if (!sn->snapshot)
        return n_validators(ld);
    for (size_t i = 0; i < sn->snapshot->n; i++)
        n += sn->snapshot->neurons[i].role == SCN_SNAP_VALIDATOR &&
             (int64_t)i != sn->snapshot->owner_uid;
    return n;
}

/* Uids the attack agents take at genesis on the attacked subnet. */
static uint64_t attack_uids(const scn__val *v)
{
    uint64_t n = 0;
    if (v[SCN_K_ATTACKS_CABAL].u)
        n += v[SCN_K_ATTACKS_CABAL_VALIDATORS].u + v[SCN_K_ATTACKS_CABAL_MINERS].u;
    if (v[SCN_K_ATTACKS_COPIER].u)
        n += 1;
    if (v[SCN_K_ATTACKS_SYBIL].u && v[SCN_K_ATTACKS_SYBIL_MODE].u == 1)
        n += v[SCN_K_ATTACKS_SYBIL_START].u == 0 ? v[SCN_K_ATTACKS_SYBIL_IDENTITIES].u : 1;
    return n;
}

static void check_target(scn__loader *ld, int on, int key, uint32_t nval)
{
    const scn__val *v = ld->v;
    if (v[on].u && v[key].u >= nval)
        scn__report(ld, scn__loc_key(ld, key),
                    "%s = %llu: the attacked subnet has %u genesis validators (indices 0..%d)",
                    scn__keys[key].path, (unsigned long long)v[key].u, nval, (int)nval - 1);
}

static void check_attacks(scn__loader *ld, const scn_bt_subnet *sn, uint32_t nsub)
{
    const scn__val *v = ld->v;
    int any = 0;
    for (int a = 0; a < 4; a++) {
        if (!usable(&v[atk_keys[a][0]]) || !v[atk_keys[a][0]].u)
            continue;
        any = 1;
        int ks = atk_keys[a][1], kt = atk_keys[a][2];
        if (v[kt].u != 0 && v[kt].u <= v[ks].u)
            scn__report(ld, scn__loc_key(ld, v[kt].src == SCN__SRC_DEFAULT ? ks : kt),
                        "%s (%llu) must be after %s (%llu), or 0 for never", scn__keys[kt].path,
                        (unsigned long long)v[kt].u, scn__keys[ks].path,
                        (unsigned long long)v[ks].u);
        if (v[ks].u > v[SCN_K_TIME_BLOCKS].u)
            scn__report(ld, scn__loc_key(ld, ks), "%s (%llu) is beyond time.blocks (%llu)",
                        scn__keys[ks].path, (unsigned long long)v[ks].u,
                        (unsigned long long)v[SCN_K_TIME_BLOCKS].u);
    }
    if (!any)
        return;
    uint64_t net = v[SCN_K_ATTACKS_NETUID].u;
    if (net > nsub) {
        scn__report(ld, scn__loc_key(ld, SCN_K_ATTACKS_NETUID),
                    "attacks.netuid = %llu is beyond network.subnets (%u)", (unsigned long long)net,
                    nsub);
        return;
    }
    const scn_bt_subnet *t = &sn[net - 1];
    uint32_t nval = genesis_validators(ld, t);
    check_target(ld, SCN_K_ATTACKS_COPIER, SCN_K_ATTACKS_COPIER_TARGET,
                 v[SCN_K_ATTACKS_COPIER_SOURCE].u == 1 ? nval : UINT32_MAX);
    check_target(ld, SCN_K_ATTACKS_WHALE, SCN_K_ATTACKS_WHALE_TARGET, nval);
    if (v[SCN_K_ATTACKS_WHALE].u &&
        sat_madd(t->pool_alpha, 1, v[SCN_K_ATTACKS_WHALE_STAKE].u) >= v[SCN_K_CHAIN_TOTAL_SUPPLY].u)
        scn__report(ld, scn__loc_key(ld, SCN_K_ATTACKS_WHALE_STAKE),
                    "attacks.whale_stake plus the subnet's pool alpha must be less than "
                    "chain.total_supply");
    uint64_t used = t->snapshot ? t->snapshot->n : 1u + n_validators(ld);
    if (used + attack_uids(v) > t->max_uids)
        scn__report(ld, scn__loc_key(ld, SCN_K_ATTACKS_NETUID),
                    "subnet %llu: the attack agents need %llu uids at genesis beyond the %llu "
                    "taken, but max_uids is %u",
                    (unsigned long long)net, (unsigned long long)attack_uids(v),
                    (unsigned long long)used, t->max_uids);
}

/* Agents of one run: each costs a few hundred bytes plus its share of the per-uid state, so
** two million (60 times the real network's 128 x 256 uids) bounds a run to a few GB. */
#define SCN_BT_MAX_AGENTS 2000000ull

static void check_population(scn__loader *ld, const scn_bt_subnet *sn, uint32_t nsub)
{
    const scn__val *v = ld->v;
    uint64_t miners = 0, dels = 0, root = v[SCN_K_ROOT_STAKERS].u;
    for (uint32_t i = 0; i < nsub; i++)
        miners += sn[i].miners, dels += sn[i].delegators;
    if (root > 0 && n_validators(ld) == 0) /* root stakers delegate to network-wide validators */
        scn__report(ld, scn__loc_key(ld, SCN_K_ROOT_STAKERS),
                    "root.stakers = %llu needs at least one validator to delegate to "
                    "(validators.honest, lazy or noisy; a snapshot's uids do not count)",
                    (unsigned long long)root);
    uint64_t total = miners + dels + root + n_validators(ld);
    if (total <= SCN_BT_MAX_AGENTS)
        return;
    int k = miners >= dels ? SCN_K_SD_MINERS : SCN_K_SD_DELEGATORS;
    if (root > miners && root > dels)
        k = SCN_K_ROOT_STAKERS;
    scn__report(ld, scn__loc_key(ld, k),
                "%llu agents (validators, every subnet's miners and delegators, root stakers: "
                "%llu miners, %llu delegators) exceed the limit of %llu",
                (unsigned long long)total, (unsigned long long)miners, (unsigned long long)dels,
                SCN_BT_MAX_AGENTS);
}

void scn__bt_check(scn__loader *ld)
{
    check_chain(ld);
    if (!usable(&ld->v[SCN_K_NETWORK_SUBNETS]))
        return;
    uint32_t nsub = (uint32_t)ld->v[SCN_K_NETWORK_SUBNETS].u;
    check_elements(ld, nsub);
    for (int k = 0; k < SCN_K__COUNT; k++) /* the rules below read these keys */
        if ((scn__keys[k].flags & SCN__ONLY_BT) && scn__keys[k].kind != SCN__GROUP &&
            scn__keys[k].kind != SCN__LIST && !(scn__keys[k].flags & SCN__ELEM) &&
            !usable(&ld->v[k]))
            return;
    scn_bt_subnet *sn = calloc(nsub, sizeof *sn);
    if (!sn) {
        ld->oom = 1;
        return;
    }
    int ok = 1;
    for (uint32_t i = 0; i < nsub; i++)
        if (build_subnet(ld, i + 1, &sn[i]) != 0)
            ok = 0;
    ld->bt_subnets = sn;
    ld->bt_nsubnets = nsub;
    if (!ok)
        return;
    for (uint32_t i = 0; i < nsub; i++)
        check_subnet(ld, &sn[i]);
    check_attacks(ld, sn, nsub);
    check_population(ld, sn, nsub);
    if (genesis_tao(ld, sn, nsub) >= ld->v[SCN_K_CHAIN_TOTAL_SUPPLY].u)
        scn__report(ld, scn__loc_file(),
                    "the genesis TAO (pools, free TAO and root stakes of every agent) must be "
                    "less than chain.total_supply");
}

/* ---- the result ------------------------------------------------------------------------- */

static void fill_attacks(const scn__val *v, scn_bittensor *bt)
{
    bt->attacks.netuid = (uint16_t)v[SCN_K_ATTACKS_NETUID].u;
    bt->attacks.cabal.on = v[SCN_K_ATTACKS_CABAL].u != 0;
    bt->attacks.cabal.stake_share = v[SCN_K_ATTACKS_CABAL_STAKE_SHARE].d;
    bt->attacks.cabal.validators = (uint32_t)v[SCN_K_ATTACKS_CABAL_VALIDATORS].u;
    bt->attacks.cabal.miners = (uint32_t)v[SCN_K_ATTACKS_CABAL_MINERS].u;
    bt->attacks.cabal.quality = v[SCN_K_ATTACKS_CABAL_QUALITY].d;
    bt->attacks.cabal.own_weight = v[SCN_K_ATTACKS_CABAL_OWN_WEIGHT].d;
    bt->attacks.cabal.start = v[SCN_K_ATTACKS_CABAL_START].u;
    bt->attacks.cabal.stop = v[SCN_K_ATTACKS_CABAL_STOP].u;
    bt->attacks.copier.on = v[SCN_K_ATTACKS_COPIER].u != 0;
    bt->attacks.copier.stake_share = v[SCN_K_ATTACKS_COPIER_STAKE_SHARE].d;
    bt->attacks.copier.source = (int)v[SCN_K_ATTACKS_COPIER_SOURCE].u;
    bt->attacks.copier.target = (uint32_t)v[SCN_K_ATTACKS_COPIER_TARGET].u;
    bt->attacks.copier.lag = v[SCN_K_ATTACKS_COPIER_LAG].u;
    bt->attacks.copier.start = v[SCN_K_ATTACKS_COPIER_START].u;
    bt->attacks.copier.stop = v[SCN_K_ATTACKS_COPIER_STOP].u;
    bt->attacks.sybil.on = v[SCN_K_ATTACKS_SYBIL].u != 0;
    bt->attacks.sybil.mode = (int)v[SCN_K_ATTACKS_SYBIL_MODE].u;
    bt->attacks.sybil.identities = (uint32_t)v[SCN_K_ATTACKS_SYBIL_IDENTITIES].u;
    bt->attacks.sybil.quality = v[SCN_K_ATTACKS_SYBIL_QUALITY].d;
    bt->attacks.sybil.stake_share = v[SCN_K_ATTACKS_SYBIL_STAKE_SHARE].d;
    bt->attacks.sybil.tao = v[SCN_K_ATTACKS_SYBIL_TAO].u;
    bt->attacks.sybil.start = v[SCN_K_ATTACKS_SYBIL_START].u;
    bt->attacks.sybil.stop = v[SCN_K_ATTACKS_SYBIL_STOP].u;
    bt->attacks.whale.on = v[SCN_K_ATTACKS_WHALE].u != 0;
    bt->attacks.whale.stake = v[SCN_K_ATTACKS_WHALE_STAKE].u;
    bt->attacks.whale.target = (uint32_t)v[SCN_K_ATTACKS_WHALE_TARGET].u;
    bt->attacks.whale.delay = v[SCN_K_ATTACKS_WHALE_DELAY].u;
    bt->attacks.whale.start = v[SCN_K_ATTACKS_WHALE_START].u;
    bt->attacks.whale.stop = v[SCN_K_ATTACKS_WHALE_STOP].u;
}

int scn__bt_fill(scn__loader *ld, scn_scenario *out)
{
    const scn__val *v = ld->v;
    scn_bittensor *bt = &out->bt;
    bt->chain.total_supply = v[SCN_K_CHAIN_TOTAL_SUPPLY].u;
    bt->chain.block_emission = v[SCN_K_CHAIN_BLOCK_EMISSION].u;
    bt->chain.tao_weight = v[SCN_K_CHAIN_TAO_WEIGHT].u;
    bt->chain.subnet_owner_cut = (uint16_t)v[SCN_K_CHAIN_SUBNET_OWNER_CUT].u;
    bt->chain.max_epochs_per_block = (uint16_t)v[SCN_K_CHAIN_MAX_EPOCHS_PER_BLOCK].u;
    bt->chain.share_variant = (int)v[SCN_K_CHAIN_SHARE_VARIANT].u;
    bt->validators.honest = (uint32_t)v[SCN_K_VALIDATORS_HONEST].u;
    bt->validators.lazy = (uint32_t)v[SCN_K_VALIDATORS_LAZY].u;
    bt->validators.noisy = (uint32_t)v[SCN_K_VALIDATORS_NOISY].u;
    bt->validators.noise = v[SCN_K_VALIDATORS_NOISE].d;
    bt->validators.noisy_noise = v[SCN_K_VALIDATORS_NOISY_NOISE].d;
    bt->validators.stake = v[SCN_K_VALIDATORS_STAKE].u;
    bt->validators.stake_spread = v[SCN_K_VALIDATORS_STAKE_SPREAD].d;
    bt->validators.root_stake = v[SCN_K_VALIDATORS_ROOT_STAKE].u;
    bt->validators.take_min = (uint16_t)v[SCN_K_VALIDATORS_TAKE_MIN].u;
    bt->validators.take_max = (uint16_t)v[SCN_K_VALIDATORS_TAKE_MAX].u;
    bt->validators.tao = v[SCN_K_VALIDATORS_TAO].u;
    bt->miners.quality = (scn_quality)v[SCN_K_MINERS_QUALITY].u;
    bt->miners.quality_a = v[SCN_K_MINERS_QUALITY_A].d;
    bt->miners.quality_b = v[SCN_K_MINERS_QUALITY_B].d;
    bt->miners.cost = v[SCN_K_MINERS_COST].u;
    bt->miners.tao = v[SCN_K_MINERS_TAO].u;
    bt->miners.horizon_days = v[SCN_K_MINERS_HORIZON_DAYS].d;
    bt->miners.check_every = v[SCN_K_MINERS_CHECK_EVERY].u;
    bt->miners.sell_fraction = v[SCN_K_MINERS_SELL_FRACTION].d;
    bt->miners.patience_days = (uint32_t)v[SCN_K_MINERS_PATIENCE_DAYS].u;
    bt->miners.genesis_registered = v[SCN_K_MINERS_GENESIS_REGISTERED].u != 0;
    bt->delegators.stake = v[SCN_K_DELEGATORS_STAKE].u;
    bt->delegators.stake_spread = v[SCN_K_DELEGATORS_STAKE_SPREAD].d;
    bt->delegators.decide_every = v[SCN_K_DELEGATORS_DECIDE_EVERY].u;
    bt->delegators.move_delay = v[SCN_K_DELEGATORS_MOVE_DELAY].u;
    bt->delegators.switch_threshold = v[SCN_K_DELEGATORS_SWITCH_THRESHOLD].d;
    bt->delegators.noise = v[SCN_K_DELEGATORS_NOISE].d;
    bt->root.stakers = (uint32_t)v[SCN_K_ROOT_STAKERS].u;
    bt->root.stake = v[SCN_K_ROOT_STAKE].u;
    bt->root.stake_spread = v[SCN_K_ROOT_STAKE_SPREAD].d;
    bt->owners.sell_fraction = v[SCN_K_OWNERS_SELL_FRACTION].d;
    bt->owners.tao = v[SCN_K_OWNERS_TAO].u;
    fill_attacks(v, bt);
    if (!ld->bt_subnets)
        return SCN_EINVAL;
    bt->subnets = ld->bt_subnets; /* ownership moves to the scenario */
    bt->nsubnets = ld->bt_nsubnets;
    ld->bt_subnets = NULL;
    ld->bt_nsubnets = 0;
    return SCN_OK;
}

void scn__bt_json(const scn__loader *ld, const scn_scenario *sc, scn__buf *b)
{
    scn__buf_puts(b, ",\"subnets\":[");
    for (size_t i = 0; i < ld->nelem; i++) {
        const scn__elem *e = &ld->elem[i];
        scn__buf_printf(b, "%s{\"netuid\":%u", i ? "," : "", elem_netuid(e));
        for (int k = SCN_K_SD_FIRST; k <= SCN_K_SD_LAST; k++) {
            if (e->v[k - SCN_K_SD_FIRST].src == SCN__SRC_NONE)
                continue;
            scn__buf_puts(b, ",");
            scn__buf_json_string(b, strchr(scn__keys[k].path, '.') + 1);
            scn__buf_puts(b, ":");
            scn__json_value(b, k, &e->v[k - SCN_K_SD_FIRST]);
        }
        scn__buf_puts(b, "}");
    }
    scn__buf_puts(b, "],\"snapshots\":[");
    int first = 1;
    for (uint32_t i = 0; i < sc->bt.nsubnets; i++) {
        const scn_snapshot *s = sc->bt.subnets[i].snapshot;
        if (!s)
            continue;
        scn__buf_printf(b, "%s{\"netuid\":%u,\"file\":", first ? "" : ",", i + 1);
        scn__buf_json_string(b, s->given); /* as written: the digest must not depend on cwd */
        scn__buf_printf(b, ",\"fnv1a64\":\"%016llx\",\"uids\":%zu}", (unsigned long long)s->fnv1a64,
                        s->n);
        first = 0;
    }
    scn__buf_puts(b, "]");
}
