/*
** scn_sweep.c: the optional top-level `sweep` group of a scenario file: a design for
** `tokensim sweep` (grid, zip, sampled ranges, replications, bisection) written next to the
** scenario it varies.
**
** The group is kept as the texts of the equivalent command-line options (scn_sweep in
** scenario.h), so a design in the file and the same design typed on the command line are
** one code path in cmd_sweep.c. Everything the options would only find out at sweep time is
** checked here, at load time, so `tokensim validate` reports it as FILE:LINE: every swept key
** is a --set key (or subnets.N.KEY), every value and every lo/hi passes that key's own
** validator (type, range, and the file-path rule, since the value comes from the file), lo < hi,
** zipped lists have one length, exactly one design. The group is not a key of the table: it
** never reaches params_json, so a run of the scenario is the same with or without it.
** Invariants: a scn_sweep that loaded holds at most SCN_SWEEP_MAX_KEYS keys per list and
** values without ',' or ':' (the command line's separators). Cost: linear in the group's size.
*/
#include <libconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn_int.h"

static const char *const sample_kinds[] = {"lhs", "sobol", "saltelli", "morris", NULL};
static const char *const reduce_kinds[] = {"last", "mean", "min", "max", NULL};

/* Names allowed in the group, in a bisect group, and in an element of each list. */
static const char *const group_names[] = {"grid", "zip", "range",  "sample", "samples", "levels",
                                          "runs", "crn", "metric", "reduce", "bisect",  NULL};
static const char *const bisect_names[] = {"key", "lo", "hi", "target", "tol", "max_iter", NULL};
static const char *const grid_names[] = {"key", "values", "lo", "hi", "n", NULL};
static const char *const zip_names[] = {"key", "values", NULL};
static const char *const range_names[] = {"key", "lo", "hi", NULL};

/* What an element of a list resolved to (the walk's scratch). */
typedef struct sw_elem {
    char path[48];                /* "sweep.grid[1]" */
    unsigned line;                /* line of the element */
    const char *key;              /* its key text (owned by libconfig until the walk ends) */
    const config_setting_t *vals; /* values */
    const config_setting_t *lo;   /* lo */
    const config_setting_t *hi;   /* hi */
    const config_setting_t *n;    /* n (grid) */
} sw_elem;

/* ---- small helpers ---- */

static int name_index(const char *const *names, const char *name)
{
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

static void unknown_name(scn__loader *ld, unsigned line, const char *prefix, const char *name,
                         const char *const *names)
{
    int best = -1;
    size_t best_d = 3;
    for (int i = 0; names[i]; i++) {
        size_t d = scn__edit_distance(name, names[i], 2);
        if (d < best_d)
            best = i, best_d = d;
    }
    if (best >= 0)
        scn__report(ld, scn__loc_line(line), "unknown key '%s.%s' (did you mean '%s.%s'?)", prefix,
                    name, prefix, names[best]);
    else
        scn__report(ld, scn__loc_line(line), "unknown key '%s.%s'", prefix, name);
}

static void type_error(scn__loader *ld, const config_setting_t *c, const char *what,
                       const char *want)
{
    scn__report(ld, scn__loc_line(config_setting_source_line(c)), "%s: expected %s, got %s", what,
                want, scn__setting_type_name(config_setting_type(c)));
}

/* An integer setting in [lo, hi] into *out; -1 after reporting. */
static int get_count(scn__loader *ld, const config_setting_t *c, const char *what, uint64_t lo,
                     uint64_t hi, uint64_t *out)
{
    char buf[64];
    int t = config_setting_type(c);
    if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64) {
        type_error(ld, c, what, "integer");
        return -1;
    }
    if (scn__setting_text(ld, c, what, buf, sizeof buf) != 0)
        return -1;
    char *end;
    unsigned long long v = strtoull(buf, &end, 10);
    if (buf[0] == '-' || *end || v < lo || v > hi) {
        scn__report(ld, scn__loc_line(config_setting_source_line(c)),
                    "%s = %s is out of range [%llu, %llu]", what, buf, (unsigned long long)lo,
                    (unsigned long long)hi);
        return -1;
    }
    *out = v;
    return 0;
}

/* A string setting (one of `choices` when given) as a malloc'd copy; NULL after reporting. */
static char *get_string(scn__loader *ld, const config_setting_t *c, const char *what,
                        const char *const *choices)
{
    unsigned line = config_setting_source_line(c);
    const char *s =
        config_setting_type(c) == CONFIG_TYPE_STRING ? config_setting_get_string(c) : NULL;
    if (!s) {
        type_error(ld, c, what, "string");
        return NULL;
    }
    if (!s[0] || strlen(s) > 255) {
        scn__report(ld, scn__loc_line(line), "%s must be 1 to 255 characters", what);
        return NULL;
    }
    if (choices && name_index(choices, s) < 0) {
        scn__buf b = {0};
        for (int i = 0; choices[i]; i++)
            scn__buf_printf(&b, "%s\"%s\"", i ? ", " : "", choices[i]);
        char *list = scn__buf_take(&b);
        scn__report(ld, scn__loc_line(line), "%s = \"%s\" is not one of %s", what, s,
                    list ? list : "?");
        free(list);
        return NULL;
    }
    char *copy = scn__strdup(s);
    if (!copy)
        ld->oom = 1;
    return copy;
}

/* A number setting (integer or float) as text; -1 after reporting. */
static int get_number(scn__loader *ld, const config_setting_t *c, const char *what, char *buf,
                      size_t len)
{
    int t = config_setting_type(c);
    if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64 && t != CONFIG_TYPE_FLOAT) {
        type_error(ld, c, what, "number");
        return -1;
    }
    return scn__setting_text(ld, c, what, buf, len);
}

/* ---- swept keys and their values ---- */

/* The key-table index of a swept key (subnets.N.KEY is subnet_defaults.KEY), or -1 after
** reporting. numeric: 1 integer/number/amount keys only, 2 integer/number only (bisection). */
static int resolve_key(scn__loader *ld, const sw_elem *e, int numeric)
{
    const char *key = e->key, *rest = NULL;
    char tmp[300];
    int k = -1;
    if (strncmp(key, "subnets.", 8) == 0) {
        char *end;
        unsigned long netuid = strtoul(key + 8, &end, 10);
        if (end != key + 8 && *end == '.' && netuid >= 1 && netuid <= SCN_MAX_SUBNETS) {
            rest = end + 1;
            snprintf(tmp, sizeof tmp, "subnet_defaults.%s", rest);
            k = scn__key_find(tmp);
            if (k >= 0 && !(scn__keys[k].flags & SCN__SUBNET))
                k = -1;
        }
    } else {
        k = scn__key_find(key);
    }
    if (k < 0) {
        int hint = rest ? -1 : scn__key_suggest(key);
        if (hint >= 0)
            scn__report(ld, scn__loc_line(e->line), "%s.key: unknown key '%s' (did you mean '%s'?)",
                        e->path, key, scn__keys[hint].path);
        else
            scn__report(ld, scn__loc_line(e->line),
                        "%s.key: unknown key '%s' (tokensim validate --keys lists them)", e->path,
                        key);
        return -1;
    }
    scn__kind kind = scn__keys[k].kind;
    if (kind == SCN__GROUP || kind == SCN__LIST || (scn__keys[k].flags & SCN__ELEM)) {
        scn__report(ld, scn__loc_line(e->line), "%s.key: '%s' is not a key a sweep can set",
                    e->path, key);
        return -1;
    }
    if (numeric &&
        !(kind == SCN__UINT || kind == SCN__DOUBLE || (numeric == 1 && kind == SCN__AMOUNT))) {
        scn__report(ld, scn__loc_line(e->line), "%s.key: '%s' is not an integer, number%s key",
                    e->path, key, numeric == 1 ? " or token-amount" : "");
        return -1;
    }
    return k;
}

/* Checks `text` as a value of key k at line (the key's own validator, file rules). */
static int check_value(scn__loader *ld, int k, const char *key, unsigned line, const char *text)
{
    if (!text[0] || strpbrk(text, ",:")) {
        scn__report(ld, scn__loc_line(line),
                    "%s: value \"%s\" is empty or contains ',' or ':' (the separators of the "
                    "command line's lists)",
                    key, text);
        return -1;
    }
    scn__val tmp;
    memset(&tmp, 0, sizeof tmp);
    ld->cur_slot = &tmp, ld->cur_path = key;
    scn__val_from_text(ld, k, scn__loc_line(line), text);
    ld->cur_slot = NULL, ld->cur_path = NULL;
    int bad = tmp.bad;
    scn__val_reset(&tmp);
    return bad ? -1 : 0;
}

/* 1 when a setting of libconfig type t may hold a value of a key of this kind: the same types
** the key accepts anywhere in a scenario file (token amounts as strings or integers). */
static int type_fits(scn__kind kind, int t)
{
    int integer = t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64;
    switch (kind) {
    case SCN__UINT:
        return integer;
    case SCN__DOUBLE:
        return integer || t == CONFIG_TYPE_FLOAT;
    case SCN__BOOL:
        return t == CONFIG_TYPE_BOOL;
    case SCN__AMOUNT:
        return integer || t == CONFIG_TYPE_STRING;
    default:
        return t == CONFIG_TYPE_STRING;
    }
}

/* One scalar of an element (lo, hi or a list item) as a checked value text. */
static int elem_value(scn__loader *ld, int k, const sw_elem *e, const config_setting_t *c,
                      const char *what, char *buf, size_t len)
{
    int t = config_setting_type(c);
    if (!config_setting_is_aggregate(c) && !type_fits(scn__keys[k].kind, t)) {
        scn__report(ld, scn__loc_line(config_setting_source_line(c)), "%s: %s: expected %s, got %s",
                    what, e->key, scn__kind_expected(scn__keys[k].kind), scn__setting_type_name(t));
        return -1;
    }
    if (scn__setting_text(ld, c, what, buf, len) != 0)
        return -1;
    return check_value(ld, k, e->key, config_setting_source_line(c), buf);
}

/* "KEY=V1,V2,..." from the element's values; *count gets their number. NULL after reporting. */
static char *values_spec(scn__loader *ld, int k, const sw_elem *e, size_t *count)
{
    const config_setting_t *v = e->vals;
    char what[64], buf[1100];
    if (!config_setting_is_array(v) && !config_setting_is_list(v)) {
        type_error(ld, v, "values", "array of values");
        return NULL;
    }
    unsigned n = (unsigned)config_setting_length(v);
    if (n == 0 || n > 1000000) {
        scn__report(ld, scn__loc_line(config_setting_source_line(v)),
                    "%s.values: expected 1 to 1000000 values, got %u", e->path, n);
        return NULL;
    }
    scn__buf b = {0};
    int bad = 0;
    scn__buf_printf(&b, "%s=", e->key);
    for (unsigned i = 0; i < n; i++) {
        snprintf(what, sizeof what, "%s.values[%u]", e->path, i);
        if (elem_value(ld, k, e, config_setting_get_elem(v, i), what, buf, sizeof buf) != 0)
            bad = 1;
        else
            scn__buf_printf(&b, "%s%s", i ? "," : "", buf);
    }
    *count = n;
    char *spec = scn__buf_take(&b);
    if (!spec)
        ld->oom = 1;
    if (bad) {
        free(spec);
        return NULL;
    }
    return spec;
}

/* "KEY=LO:HI" (n == NULL) or "KEY=LO:HI:N" from lo, hi (and n); NULL after reporting. */
static char *range_spec(scn__loader *ld, int k, const sw_elem *e)
{
    char lo[64], hi[64], what[64];
    uint64_t n = 0;
    snprintf(what, sizeof what, "%s.lo", e->path);
    int bad = elem_value(ld, k, e, e->lo, what, lo, sizeof lo) != 0;
    snprintf(what, sizeof what, "%s.hi", e->path);
    bad |= elem_value(ld, k, e, e->hi, what, hi, sizeof hi) != 0;
    snprintf(what, sizeof what, "%s.n", e->path);
    if (e->n)
        bad |= get_count(ld, e->n, what, 2, 1000000, &n) != 0;
    if (bad)
        return NULL;
    if (!(strtod(lo, NULL) < strtod(hi, NULL))) {
        scn__report(ld, scn__loc_line(e->line), "%s: lo (%s) must be smaller than hi (%s)", e->path,
                    lo, hi);
        return NULL;
    }
    char *spec = n ? scn__aprintf("%s=%s:%s:%llu", e->key, lo, hi, (unsigned long long)n)
                   : scn__aprintf("%s=%s:%s", e->key, lo, hi);
    if (!spec)
        ld->oom = 1;
    return spec;
}

/* Records swept key k for the model check and refuses a key swept twice. */
static int note_key(scn__loader *ld, const sw_elem *e, int k, const char *const *seen, size_t nseen)
{
    for (size_t i = 0; i < nseen; i++)
        if (seen[i] && strcmp(seen[i], e->key) == 0) {
            scn__report(ld, scn__loc_line(e->line), "%s.key: %s is swept twice", e->path, e->key);
            return -1;
        }
    if (ld->nsweep_k < sizeof ld->sweep_k / sizeof ld->sweep_k[0]) {
        ld->sweep_k[ld->nsweep_k] = k;
        ld->sweep_line[ld->nsweep_k++] = e->line;
    }
    return 0;
}

/* ---- elements ---- */

/* Reads an element group's members into e; -1 after reporting. */
static int read_elem(scn__loader *ld, const config_setting_t *g, const char *const *names,
                     sw_elem *e)
{
    int bad = 0;
    if (!config_setting_is_group(g)) {
        type_error(ld, g, e->path, "group");
        return -1;
    }
    unsigned n = (unsigned)config_setting_length(g);
    for (unsigned i = 0; i < n; i++) {
        const config_setting_t *c = config_setting_get_elem(g, i);
        const char *name = config_setting_name(c);
        int at = name_index(names, name);
        if (at < 0) {
            unknown_name(ld, config_setting_source_line(c), e->path, name, names);
            bad = 1;
        } else if (strcmp(name, "key") == 0) {
            e->key =
                config_setting_type(c) == CONFIG_TYPE_STRING ? config_setting_get_string(c) : NULL;
            if (!e->key) {
                char what[64];
                snprintf(what, sizeof what, "%s.key", e->path);
                type_error(ld, c, what, "string");
                bad = 1;
            }
        } else if (strcmp(name, "values") == 0) {
            e->vals = c;
        } else if (strcmp(name, "lo") == 0) {
            e->lo = c;
        } else if (strcmp(name, "hi") == 0) {
            e->hi = c;
        } else if (strcmp(name, "n") == 0) {
            e->n = c;
        }
    }
    if (!e->key && !bad) {
        scn__report(ld, scn__loc_line(e->line), "%s: missing required key 'key'", e->path);
        bad = 1;
    }
    return bad ? -1 : 0;
}

/* Which members an element of `list` must have: "values", "lo, hi" or "lo, hi, n". */
static int elem_shape(scn__loader *ld, const char *list, const sw_elem *e)
{
    int ranged = e->lo || e->hi || e->n, listed = e->vals != NULL;
    const char *want = NULL;
    if (strcmp(list, "zip") == 0 && !listed)
        want = "values";
    else if (strcmp(list, "range") == 0 && !(e->lo && e->hi))
        want = "lo and hi";
    else if (strcmp(list, "grid") == 0 &&
             (ranged == listed || (ranged && !(e->lo && e->hi && e->n))))
        want = "either values or lo, hi and n";
    if (want)
        scn__report(ld, scn__loc_line(e->line), "%s: give %s", e->path, want);
    return want ? -1 : 0;
}

/* Walks `sweep.grid`, `sweep.zip` or `sweep.range` into specs (at most SCN_SWEEP_MAX_KEYS). */
static void walk_list(scn__loader *ld, const config_setting_t *c, const char *list, char **specs,
                      size_t *nspecs, const char **seen, size_t *nseen)
{
    const char *const *names = strcmp(list, "grid") == 0  ? grid_names
                               : strcmp(list, "zip") == 0 ? zip_names
                                                          : range_names;
    unsigned line = config_setting_source_line(c), n;
    size_t lens[SCN_SWEEP_MAX_KEYS] = {0};
    char what[32];
    snprintf(what, sizeof what, "sweep.%s", list);
    if (!config_setting_is_list(c)) {
        type_error(ld, c, what, "list of groups");
        return;
    }
    n = (unsigned)config_setting_length(c);
    if (n == 0 || n > SCN_SWEEP_MAX_KEYS) {
        scn__report(ld, scn__loc_line(line), "%s: expected 1 to %u keys, got %u", what,
                    SCN_SWEEP_MAX_KEYS, n);
        return;
    }
    for (unsigned i = 0; i < n; i++) {
        const config_setting_t *g = config_setting_get_elem(c, i);
        sw_elem e;
        memset(&e, 0, sizeof e);
        snprintf(e.path, sizeof e.path, "%s[%u]", what, i);
        e.line = config_setting_source_line(g);
        if (read_elem(ld, g, names, &e) != 0 || elem_shape(ld, list, &e) != 0)
            continue;
        int k = resolve_key(ld, &e, e.vals == NULL);
        if (k < 0 || note_key(ld, &e, k, seen, *nseen) != 0)
            continue;
        seen[(*nseen)++] = e.key;
        size_t count = 0;
        char *spec = e.vals ? values_spec(ld, k, &e, &count) : range_spec(ld, k, &e);
        if (spec)
            lens[*nspecs] = count, specs[(*nspecs)++] = spec;
    }
    if (strcmp(list, "zip") == 0)
        for (size_t i = 1; i < *nspecs; i++)
            if (lens[i] != lens[0]) {
                scn__report(ld, scn__loc_line(line),
                            "sweep.zip: the lists must have one length (%zu values in the first "
                            "list, %zu in list %zu)",
                            lens[0], lens[i], i);
                break;
            }
}

/* `sweep.bisect = { key; lo; hi; target; tol; max_iter; }`. */
static void walk_bisect(scn__loader *ld, const config_setting_t *c, scn_sweep *sw)
{
    sw_elem e;
    char buf[64];
    memset(&e, 0, sizeof e);
    snprintf(e.path, sizeof e.path, "sweep.bisect");
    e.line = config_setting_source_line(c);
    if (!config_setting_is_group(c)) {
        type_error(ld, c, e.path, "group");
        return;
    }
    unsigned n = (unsigned)config_setting_length(c);
    const config_setting_t *target = NULL, *tol = NULL, *iter = NULL;
    int bad = 0;
    for (unsigned i = 0; i < n; i++) { /* key, lo, hi as in an element; the rest here */
        const config_setting_t *m = config_setting_get_elem(c, i);
        const char *name = config_setting_name(m);
        if (strcmp(name, "target") == 0)
            target = m;
        else if (strcmp(name, "tol") == 0)
            tol = m;
        else if (strcmp(name, "max_iter") == 0)
            iter = m;
    }
    bad |= read_elem(ld, c, bisect_names, &e) != 0;
    if (!bad && !(e.lo && e.hi && target)) {
        scn__report(ld, scn__loc_line(e.line), "sweep.bisect: give key, lo, hi and target");
        bad = 1;
    }
    int k = bad ? -1 : resolve_key(ld, &e, 2);
    if (k >= 0 && note_key(ld, &e, k, NULL, 0) == 0)
        sw->bisect = range_spec(ld, k, &e);
    if (target && get_number(ld, target, "sweep.bisect.target", buf, sizeof buf) == 0)
        sw->target = scn__strdup(buf);
    if (tol && get_number(ld, tol, "sweep.bisect.tol", buf, sizeof buf) == 0) {
        if (!(strtod(buf, NULL) > 0.0))
            scn__report(ld, scn__loc_line(config_setting_source_line(tol)),
                        "sweep.bisect.tol = %s must be greater than 0", buf);
        else
            sw->tol = scn__strdup(buf);
    }
    if (iter)
        get_count(ld, iter, "sweep.bisect.max_iter", 1, 1000, &sw->max_iter);
}

/* ---- the group ---- */

static void walk_member(scn__loader *ld, const config_setting_t *c, scn_sweep *sw,
                        const char **seen, size_t *nseen)
{
    const char *name = config_setting_name(c);
    char what[32];
    snprintf(what, sizeof what, "sweep.%s", name);
    switch (name_index(group_names, name)) {
    case 0:
        walk_list(ld, c, "grid", sw->grid, &sw->ngrid, seen, nseen);
        break;
    case 1:
        walk_list(ld, c, "zip", sw->zip, &sw->nzip, seen, nseen);
        break;
    case 2:
        walk_list(ld, c, "range", sw->range, &sw->nrange, seen, nseen);
        break;
    case 3:
        sw->sample = get_string(ld, c, what, sample_kinds);
        break;
    case 4:
        get_count(ld, c, what, 1, 10000000, &sw->samples);
        break;
    case 5:
        get_count(ld, c, what, 2, 1000, &sw->levels);
        break;
    case 6:
        get_count(ld, c, what, 1, 4294967295ull, &sw->runs);
        break;
    case 7:
        if (config_setting_type(c) != CONFIG_TYPE_BOOL)
            type_error(ld, c, what, "boolean");
        else
            sw->crn = config_setting_get_bool(c);
        break;
    case 8:
        sw->metric = get_string(ld, c, what, NULL);
        break;
    case 9:
        sw->reduce = get_string(ld, c, what, reduce_kinds);
        break;
    case 10:
        walk_bisect(ld, c, sw);
        break;
    default:
        unknown_name(ld, config_setting_source_line(c), "sweep", name, group_names);
    }
}

/* The rules between members: exactly one design and what each design needs. */
static void check_design(scn__loader *ld, const config_setting_t *g, const scn_sweep *sw)
{
    scn__loc l = scn__loc_line(sw->line);
    int has_grid = config_setting_get_member(g, "grid") != NULL,
        has_zip = config_setting_get_member(g, "zip") != NULL,
        has_range = config_setting_get_member(g, "range") != NULL,
        has_sample = config_setting_get_member(g, "sample") != NULL,
        has_bisect = config_setting_get_member(g, "bisect") != NULL;
    int designs = has_grid + has_zip + (has_sample || has_range) + has_bisect;
    if (designs > 1)
        scn__report(ld, l, "sweep: use one design: grid, zip, sample with range, or bisect");
    else if (designs == 0 && !config_setting_get_member(g, "runs"))
        scn__report(ld, l, "sweep: no design (give grid, zip, sample with range, runs or bisect)");
    if (has_range && !has_sample)
        scn__report(ld, l, "sweep.range needs sweep.sample (lhs, sobol, saltelli or morris)");
    if (has_sample && !has_range)
        scn__report(ld, l, "sweep.sample needs sweep.range");
    if (has_sample && !config_setting_get_member(g, "samples"))
        scn__report(ld, l, "sweep.sample needs sweep.samples");
    if (!has_sample && config_setting_get_member(g, "samples"))
        scn__report(ld, l, "sweep.samples applies only with sweep.sample");
    if (config_setting_get_member(g, "levels") &&
        !(sw->sample && strcmp(sw->sample, "morris") == 0))
        scn__report(ld, l, "sweep.levels applies only to sample \"morris\"");
    else if (sw->levels % 2)
        scn__report(ld, l, "sweep.levels = %llu must be even", (unsigned long long)sw->levels);
    if (has_bisect && (config_setting_get_member(g, "runs") || config_setting_get_member(g, "crn")))
        scn__report(ld, l, "sweep.bisect cannot be combined with runs or crn");
    if (has_bisect && !config_setting_get_member(g, "metric"))
        scn__report(ld, l, "sweep.bisect needs sweep.metric");
}

void scn__sweep_walk(scn__loader *ld, const config_setting_t *c)
{
    unsigned line = config_setting_source_line(c);
    if (!config_setting_is_group(c)) {
        type_error(ld, c, "sweep", "group");
        return;
    }
    scn_sweep *sw = calloc(1, sizeof *sw);
    if (!sw) {
        ld->oom = 1;
        return;
    }
    scn__sweep_free(ld->sweep);
    ld->sweep = sw;
    sw->line = line;
    const char *seen[3 * SCN_SWEEP_MAX_KEYS];
    size_t nseen = 0;
    unsigned n = (unsigned)config_setting_length(c);
    for (unsigned i = 0; i < n && !ld->oom; i++)
        walk_member(ld, config_setting_get_elem(c, i), sw, seen, &nseen);
    check_design(ld, c, sw);
}

void scn__sweep_check(scn__loader *ld)
{
    const scn__val *m = &ld->v[SCN_K_MODEL];
    if (!ld->sweep || m->src == SCN__SRC_NONE || m->bad)
        return;
    unsigned flag = scn__model_flag(m->u);
    for (size_t i = 0; i < ld->nsweep_k; i++) {
        unsigned f = scn__keys[ld->sweep_k[i]].flags & SCN__ONLY_MODELS;
        if (f && !(f & flag))
            scn__report(ld, scn__loc_line(ld->sweep_line[i]),
                        "sweep: %s applies only to model \"%s\" (model is \"%s\")",
                        scn__keys[ld->sweep_k[i]].path, scn__model_flag_name(f),
                        scn__keys[SCN_K_MODEL].choices[m->u]);
    }
}

void scn__sweep_free(scn_sweep *sw)
{
    if (!sw)
        return;
    for (size_t i = 0; i < sw->ngrid; i++)
        free(sw->grid[i]);
    for (size_t i = 0; i < sw->nzip; i++)
        free(sw->zip[i]);
    for (size_t i = 0; i < sw->nrange; i++)
        free(sw->range[i]);
    free(sw->sample);
    free(sw->metric);
    free(sw->reduce);
    free(sw->bisect);
    free(sw->target);
    free(sw->tol);
    free(sw);
}
