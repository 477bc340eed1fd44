/*
** scn_load.c: the loading pipeline — bytes, libconfig parse, walk, --set, defaults, cross-field
** rules, then either a filled scn_scenario or every error in file order.
**
** Pipeline: (1) the bytes must be a text file; (2) libconfig parses them (a syntax error stops
** here); (3) every setting is matched against the key table and validated, unknown keys are
** reported with a hint (the top-level `sweep` group, a design for `tokensim sweep` and not a
** key, is walked by scn_sweep.c and never reaches params_json); (4) each --set replaces its
** key's value through the same validators; (5) keys still absent get their defaults, required
** ones are reported missing; keys that do not apply to the chosen emission schedule are
** contradictions (unless --set switched the schedule, which drops the file's keys of the other
** schedule); (6) cross-field rules. Messages are
** collected with (class, line, discovery order) and sorted, so they come out in file order
** whatever phase found them. Nothing from libconfig survives config_destroy.
** Cost: O(file bytes + settings x keys).
*/
#include <libconfig.h>
#include <stdlib.h>
#include <string.h>

#include "scn_int.h"

/* ---- diagnostics ------------------------------------------------------------------------- */

scn__loc scn__loc_line(unsigned line)
{
    scn__loc l = {SCN__CLS_LINE, line, NULL, NULL};
    return l;
}

scn__loc scn__loc_set(const char *key)
{
    scn__loc l = {SCN__CLS_SET, 0, key, NULL};
    return l;
}

scn__loc scn__loc_file(void)
{
    scn__loc l = {SCN__CLS_FILE, 0, NULL, NULL};
    return l;
}

scn__loc scn__loc_key(const scn__loader *ld, int k)
{
    if (ld->v[k].src == SCN__SRC_FILE)
        return scn__loc_line(ld->v[k].line);
    if (ld->v[k].src == SCN__SRC_SET)
        return scn__loc_set(scn__keys[k].path);
    return scn__loc_file();
}

static void diag_add(scn__loader *ld, int cls, unsigned line, char *msg)
{
    if (!msg) {
        ld->oom = 1;
        return;
    }
    if (ld->ndiag == ld->capdiag) {
        size_t cap = ld->capdiag ? ld->capdiag * 2 : 16;
        scn__diag *d = realloc(ld->diag, cap * sizeof *d);
        if (!d) {
            free(msg);
            ld->oom = 1;
            return;
        }
        ld->diag = d, ld->capdiag = cap;
    }
    scn__diag *d = &ld->diag[ld->ndiag];
    d->cls = cls, d->line = line, d->seq = ld->ndiag, d->msg = msg;
    ld->ndiag++;
}

void scn__report(scn__loader *ld, scn__loc l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *body = scn__vaprintf(fmt, ap);
    va_end(ap);
    char *msg = NULL;
    const char *file = l.file ? l.file : ld->disp;
    if (body && l.cls == SCN__CLS_LINE)
        msg = scn__aprintf("%s:%u: %s", file, l.line, body);
    else if (body && l.cls == SCN__CLS_SET)
        msg = scn__aprintf("--set %s: %s", l.set, body);
    else if (body)
        msg = scn__aprintf("%s: %s", file, body);
    free(body);
    diag_add(ld, l.cls, l.line, msg);
}

void scn__unknown_key(scn__loader *ld, scn__loc l, const char *path)
{
    int hint = scn__key_suggest(path);
    if (hint >= 0)
        scn__report(ld, l, "unknown key '%s' (did you mean '%s'?)", path, scn__keys[hint].path);
    else
        scn__report(ld, l, "unknown key '%s'", path);
}

static int diag_cmp(const void *a, const void *b)
{
    const scn__diag *x = a, *y = b;
    if (x->cls != y->cls)
        return x->cls < y->cls ? -1 : 1;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Sorted messages into errs, at most SCN_MAX_ERRORS of them plus a count of the rest. */
static int flush_diags(scn__loader *ld, scn_errors *errs)
{
    if (ld->ndiag > 1) /* qsort(NULL, 0, ...) is undefined */
        qsort(ld->diag, ld->ndiag, sizeof *ld->diag, diag_cmp);
    int rc = 0;
    for (size_t i = 0; i < ld->ndiag && i < SCN_MAX_ERRORS; i++)
        rc |= scn__errors_push(errs, ld->diag[i].msg);
    if (ld->ndiag > SCN_MAX_ERRORS) {
        char *more =
            scn__aprintf("%s: %zu more errors not shown", ld->disp, ld->ndiag - SCN_MAX_ERRORS);
        rc |= more ? scn__errors_push(errs, more) : -1;
        free(more);
    }
    if (ld->oom || rc != 0)
        scn__errors_push(errs, "out of memory while loading the scenario");
    return rc;
}

/* ---- values ------------------------------------------------------------------------------ */

void scn__val_reset(scn__val *v)
{
    free(v->s);
    memset(v, 0, sizeof *v);
}

void scn__val_begin(scn__loader *ld, int k, int src, unsigned line)
{
    scn__val *v = scn__slot(ld, k);
    scn__val_reset(v);
    v->src = src, v->line = line;
}

scn__val *scn__slot(scn__loader *ld, int k)
{
    return ld->cur_slot ? ld->cur_slot : &ld->v[k];
}

const char *scn__kpath(const scn__loader *ld, int k)
{
    return ld->cur_path ? ld->cur_path : scn__keys[k].path;
}

static int usable(const scn__loader *ld, int k)
{
    return ld->v[k].src != SCN__SRC_NONE && !ld->v[k].bad;
}

static void loader_free(scn__loader *ld)
{
    scn__bt_loader_free(ld);
    scn__sweep_free(ld->sweep);
    for (int k = 0; k < SCN_K__COUNT; k++)
        free(ld->v[k].s);
    for (size_t i = 0; i < ld->ndiag; i++)
        free(ld->diag[i].msg);
    free(ld->diag);
}

/* ---- the file ---------------------------------------------------------------------------- */

/* `subnets = ( {...}, ... );`: each element goes to scn_bt.c. */
static void walk_list(scn__loader *ld, int k, const config_setting_t *c, unsigned line)
{
    scn__val_begin(ld, k, SCN__SRC_FILE, line);
    if (!config_setting_is_list(c)) {
        scn__report(ld, scn__loc_line(line), "%s: expected list of groups, got %s",
                    scn__keys[k].path, scn__setting_type_name(config_setting_type(c)));
        ld->v[k].bad = 1;
        return;
    }
    unsigned n = (unsigned)config_setting_length(c);
    for (unsigned i = 0; i < n && !ld->oom; i++) {
        const config_setting_t *e = config_setting_get_elem(c, i);
        if (!config_setting_is_group(e)) {
            scn__report(ld, scn__loc_line(config_setting_source_line(e)),
                        "%s[%u]: expected group, got %s", scn__keys[k].path, i,
                        scn__setting_type_name(config_setting_type(e)));
            ld->v[k].bad = 1;
            continue;
        }
        scn__bt_walk_element(ld, e, i);
    }
}

static void walk(scn__loader *ld, const config_setting_t *g, const char *prefix)
{
    unsigned n = (unsigned)config_setting_length(g);
    for (unsigned i = 0; i < n && !ld->oom; i++) {
        const config_setting_t *c = config_setting_get_elem(g, i);
        const char *name = config_setting_name(c);
        char *path = prefix ? scn__aprintf("%s.%s", prefix, name) : scn__strdup(name);
        if (!path) {
            ld->oom = 1;
            return;
        }
        unsigned line = config_setting_source_line(c);
        int k = scn__key_find(path);
        if (!prefix && strcmp(name, "sweep") == 0) {
            scn__sweep_walk(ld, c); /* a design for `tokensim sweep`, not a key (scn_sweep.c) */
        } else if (k < 0) {
            scn__unknown_key(ld, scn__loc_line(line), path);
        } else if (scn__keys[k].kind == SCN__LIST) {
            walk_list(ld, k, c, line);
        } else {
            scn__val_begin(ld, k, SCN__SRC_FILE, line);
            if (scn__keys[k].kind != SCN__GROUP)
                scn__val_from_setting(ld, k, c);
            else if (config_setting_is_group(c))
                walk(ld, c, path);
            else {
                scn__report(ld, scn__loc_line(line), "%s: expected group, got %s", path,
                            scn__setting_type_name(config_setting_type(c)));
                ld->v[k].bad = 1;
            }
        }
        free(path);
    }
}

/* libconfig 1.5 chokes on a comment on the last line without a newline, and on a UTF-8 BOM:
** hand it a copy without the BOM and with a final newline (line numbers are unchanged). */
static char *libconfig_input(const char *text, size_t len)
{
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        text += 3, len -= 3;
    char *p = malloc(len + 2);
    if (!p)
        return NULL;
    memcpy(p, text, len);
    if (len == 0 || p[len - 1] != '\n')
        p[len++] = '\n';
    p[len] = '\0';
    return p;
}

/* Lines in the text: a truncated file's syntax error is reported on its last line rather
** than on the line after it, where libconfig meets the end of input. */
static unsigned count_lines(const char *text, size_t len)
{
    unsigned n = 0;
    for (size_t i = 0; i < len; i++)
        n += text[i] == '\n';
    return len && text[len - 1] != '\n' ? n + 1 : n;
}

/* Steps 1-3. Returns 0 when the settings were walked, -1 after a fatal file problem. */
static int parse_text(scn__loader *ld, const char *text, size_t len)
{
    char msg[256];
    unsigned bad_line;
    scn__loc fatal = {SCN__CLS_FATAL, 0, NULL, NULL};
    if (scn__check_text(text, len, &bad_line, msg, sizeof msg) != 0) {
        if (bad_line)
            diag_add(ld, SCN__CLS_FATAL, bad_line,
                     scn__aprintf("%s:%u: %s", ld->disp, bad_line, msg));
        else
            scn__report(ld, fatal, "%s", msg);
        return -1;
    }
    unsigned deep = scn__nesting_too_deep(text, len, SCN_MAX_NESTING);
    if (deep) {
        diag_add(ld, SCN__CLS_FATAL, deep,
                 scn__aprintf("%s:%u: nested more than %u levels deep (groups, lists and "
                              "arrays)",
                              ld->disp, deep, SCN_MAX_NESTING));
        return -1;
    }
    unsigned inc = scn__find_include(text, len);
    if (inc) {
        diag_add(ld, SCN__CLS_FATAL, inc,
                 scn__aprintf("%s:%u: @include is not supported (a scenario is one "
                              "self-contained file)",
                              ld->disp, inc));
        return -1;
    }
    char *input = libconfig_input(text, len);
    if (!input) {
        ld->oom = 1;
        return -1;
    }
    config_t cfg;
    config_init(&cfg);
    int ok = config_read_string(&cfg, input), line, open_kind = 0;
    if (!ok) {
        line = config_error_line(&cfg);
        int last = (int)count_lines(text, len);
        if (line > last)
            line = last;
        const char *why = config_error_text(&cfg) ? config_error_text(&cfg) : "syntax error";
        diag_add(ld, SCN__CLS_FATAL, (unsigned)line,
                 line > 0 ? scn__aprintf("%s:%d: %s", ld->disp, line, why)
                          : scn__aprintf("%s: %s", ld->disp, why));
    } else if ((line = (int)scn__lex_unterminated(text, len, &open_kind)) > 0) {
        diag_add(ld, SCN__CLS_FATAL, (unsigned)line,
                 scn__aprintf("%s:%d: syntax error (unterminated %s)", ld->disp, line,
                              open_kind == 1 ? "string" : "comment"));
        ok = 0;
    } else {
        scn__lex_init(&ld->lex, text, len);
        walk(ld, config_root_setting(&cfg), NULL);
    }
    config_destroy(&cfg);
    free(input);
    return ok ? 0 : -1;
}

/* ---- --set ------------------------------------------------------------------------------- */

/* Replaces every byte outside printable ASCII by '?': key names are ASCII, and a message must
** not carry control bytes or invalid UTF-8 from the command line. Returns 1 if it replaced any. */
static int sanitize_key(char *s)
{
    int changed = 0;
    for (; *s; s++)
        if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7F)
            *s = '?', changed = 1;
    return changed;
}

static void apply_set(scn__loader *ld, const char *arg)
{
    const char *eq = arg ? strchr(arg, '=') : NULL;
    /* the key, or the whole argument when it has no KEY= part (it is shown as typed) */
    size_t n = eq && eq != arg ? (size_t)(eq - arg) : (arg ? strlen(arg) : 0);
    char *key = malloc(n + 1);
    if (!key) {
        ld->oom = 1;
        return;
    }
    if (n)
        memcpy(key, arg, n);
    key[n] = '\0';
    int bad_bytes = sanitize_key(key);
    int k = eq && !bad_bytes ? scn__key_find(key) : -1;
    if (!eq || eq == arg) {
        scn__report(ld, scn__loc_set(key), "expected KEY=VALUE");
    } else if (bad_bytes) {
        scn__report(ld, scn__loc_set(key),
                    "unknown key (a key name has only A-Z a-z 0-9 _ . - and no other bytes)");
    } else if (k < 0 && (strcmp(key, "sweep") == 0 || strncmp(key, "sweep.", 6) == 0)) {
        scn__report(ld, scn__loc_set(key),
                    "the sweep group is read from the scenario file only; give a design to "
                    "tokensim sweep instead (--grid, --zip, --sample, --runs, --bisect)");
    } else if (k < 0 && scn__bt_apply_set(ld, key, eq + 1) == 0) {
        /* subnets.N.KEY: handled (and reported) by scn_bt.c */
    } else if (k < 0) {
        scn__unknown_key(ld, scn__loc_set(key), key);
    } else if (scn__keys[k].kind == SCN__LIST || (scn__keys[k].flags & SCN__ELEM)) {
        scn__report(ld, scn__loc_set(key),
                    "'%s' is set per subnet: use --set subnets.N.KEY=VALUE, e.g. "
                    "subnets.1.tempo=100",
                    key);
    } else if (scn__keys[k].kind == SCN__GROUP) {
        scn__report(ld, scn__loc_set(key), "'%s' is a group; set one of its keys, e.g. %s", key,
                    scn__keys[k + 1].path);
    } else {
        scn__val_begin(ld, k, SCN__SRC_SET, 0);
        scn__val_from_text(ld, k, scn__loc_set(key), eq + 1);
    }
    free(key);
}

/* ---- defaults, requirements and contradictions ------------------------------------------- */

/* 1: key k belongs to the chosen model; 0: it does not; -1: the model is unknown. */
static int model_applies(const scn__loader *ld, int k)
{
    unsigned f = scn__keys[k].flags & SCN__ONLY_MODELS;
    if (!f)
        return 1;
    if (!usable(ld, SCN_K_MODEL))
        return -1;
    return (f & scn__model_flag(ld->v[SCN_K_MODEL].u)) != 0;
}

static const char *model_name(const scn__loader *ld)
{
    return scn__keys[SCN_K_MODEL].choices[ld->v[SCN_K_MODEL].u];
}

/* 1: key k applies to the chosen model and schedule; 0: it does not; -1: unknown. */
static int applies(const scn__loader *ld, int k)
{
    unsigned f = scn__keys[k].flags;
    int m = model_applies(ld, k);
    if (m != 1)
        return m;
    if (!(f & (SCN__ONLY_ISSUANCE | SCN__ONLY_BITCOIN)))
        return 1;
    if (!usable(ld, SCN_K_EMISSION_SCHEDULE))
        return -1;
    uint64_t s = ld->v[SCN_K_EMISSION_SCHEDULE].u;
    return (f & SCN__ONLY_ISSUANCE) ? s == SCN_SCHEDULE_ISSUANCE : s == SCN_SCHEDULE_BITCOIN;
}

static const char *schedule_name(const scn__loader *ld)
{
    return scn__keys[SCN_K_EMISSION_SCHEDULE].choices[ld->v[SCN_K_EMISSION_SCHEDULE].u];
}

/* Where to point a "missing key" message: the enclosing group's line when it is in the file. */
static scn__loc missing_loc(const scn__loader *ld, int k)
{
    int g = scn__key_parent(k);
    if (g >= 0 && ld->v[g].src == SCN__SRC_FILE)
        return scn__loc_line(ld->v[g].line);
    return scn__loc_file();
}

static void resolve_absent(scn__loader *ld, int k, int app)
{
    const scn__key *d = &scn__keys[k];
    int g = scn__key_parent(k);
    if (g >= 0 && ld->v[g].bad)
        return; /* the group itself was refused */
    if (app == 1 && d->def) {
        scn__val_begin(ld, k, SCN__SRC_DEFAULT, 0);
        scn__val_from_text(ld, k, scn__loc_file(), d->def);
    } else if (d->flags & SCN__REQUIRED) {
        scn__report(ld, missing_loc(ld, k), "missing required key '%s'", d->path);
    } else if ((d->flags & SCN__REQ_BITCOIN) && app == 1) {
        scn__loc l = ld->v[SCN_K_EMISSION_SCHEDULE].src == SCN__SRC_DEFAULT
                         ? missing_loc(ld, k)
                         : scn__loc_key(ld, SCN_K_EMISSION_SCHEDULE);
        scn__report(ld, l, "missing required key '%s' (emission.schedule is \"bitcoin\")", d->path);
    }
}

/* A key given for the other schedule. When --set switched the schedule, the file's keys of the
** old schedule are dropped (the override wins); otherwise it is a contradiction. */
static void resolve_inapplicable(scn__loader *ld, int k)
{
    int by_model = model_applies(ld, k) == 0;
    int switched = by_model ? ld->v[SCN_K_MODEL].src == SCN__SRC_SET
                            : ld->v[SCN_K_EMISSION_SCHEDULE].src == SCN__SRC_SET;
    if (ld->v[k].src == SCN__SRC_FILE && switched) {
        scn__val_begin(ld, k, SCN__SRC_NONE, 0);
        if (scn__keys[k].kind == SCN__LIST)
            scn__bt_loader_free(ld); /* the file's per-subnet overrides go with it */
        return;
    }
    if (by_model && !ld->v[k].bad)
        scn__report(ld, scn__loc_key(ld, k), "%s applies only to model \"%s\" (model is \"%s\")",
                    scn__keys[k].path, scn__model_flag_name(scn__keys[k].flags), model_name(ld));
    else if (!ld->v[k].bad)
        scn__report(
            ld, scn__loc_key(ld, k),
            "%s applies only to schedule \"%s\" (emission.schedule is \"%s\")", scn__keys[k].path,
            (scn__keys[k].flags & SCN__ONLY_ISSUANCE) ? "issuance" : "bitcoin", schedule_name(ld));
}

static void resolve_keys(scn__loader *ld)
{
    for (int k = 0; k < SCN_K__COUNT; k++) {
        if (scn__keys[k].kind == SCN__GROUP || (scn__keys[k].flags & SCN__ELEM))
            continue;
        int app = applies(ld, k);
        if (scn__keys[k].kind == SCN__LIST) {
            if (ld->v[k].src != SCN__SRC_NONE && app == 0)
                resolve_inapplicable(ld, k);
            continue;
        }
        if (ld->v[k].src == SCN__SRC_NONE)
            resolve_absent(ld, k, app);
        else if (app == 0)
            resolve_inapplicable(ld, k);
    }
}

/* ---- cross-field rules ------------------------------------------------------------------- */

/* The first of the keys whose value was written by the user, else the file. */
static scn__loc pick_loc(const scn__loader *ld, int a, int b, int c)
{
    int ks[3] = {a, b, c};
    for (int i = 0; i < 3; i++)
        if (ks[i] >= 0 && (ld->v[ks[i]].src == SCN__SRC_FILE || ld->v[ks[i]].src == SCN__SRC_SET))
            return scn__loc_key(ld, ks[i]);
    return scn__loc_file();
}

/* Most the bitcoin schedule can ever mint: H * sum_{k<64} (R >> k); -1 on u64 overflow. */
static int bitcoin_cap(uint64_t reward, uint64_t interval, uint64_t *cap)
{
    uint64_t sum = 0;
    for (int k = 0; k < 64 && (reward >> k); k++) {
        uint64_t r = reward >> k;
        if (r > UINT64_MAX / interval || sum > UINT64_MAX - r * interval)
            return -1;
        sum += r * interval;
    }
    *cap = sum;
    return 0;
}

/* The largest amount the token model may reach: the metrics database stores every ledger and
** series amount as a signed 64-bit integer, and every amount of this model (a genesis stake, a
** block reward, a period's rewards, an unstake) is at most the issuance, so the issuance is kept
** at or below INT64_MAX units: 9223372036.854775807 tokens. */
#define TOKEN_MAX_UNITS ((uint64_t)INT64_MAX)
#define TOKEN_MAX_TEXT  "9223372036.854775807 tokens, the largest the metrics database stores"

static void check_supply(scn__loader *ld, uint64_t genesis)
{
    const int R = SCN_K_EMISSION_INITIAL_REWARD, T = SCN_K_EMISSION_TOTAL_SUPPLY;
    char a[SCN_AMOUNT_BUFLEN], b[SCN_AMOUNT_BUFLEN];
    uint64_t reward = ld->v[R].u, total = ld->v[T].u;
    scn_amount_format(total, a);
    scn_amount_format(reward, b);
    if (reward > UINT64_MAX / 2 || total <= 2 * reward)
        scn__report(ld, pick_loc(ld, T, R, -1),
                    "emission.total_supply (%s) must be greater than twice "
                    "emission.initial_reward (%s)",
                    a, b);
    else if (total > TOKEN_MAX_UNITS)
        scn__report(ld, pick_loc(ld, T, -1, -1),
                    "emission.total_supply (%s) exceeds " TOKEN_MAX_TEXT, a);
    else if (genesis != UINT64_MAX && genesis >= total) {
        scn_amount_format(genesis, b);
        scn__report(ld, pick_loc(ld, T, SCN_K_STAKERS_INITIAL_STAKE, SCN_K_STAKERS_COUNT),
                    "emission.total_supply (%s) must be greater than the genesis stake "
                    "stakers.count * stakers.initial_stake (%s)",
                    a, b);
    }
}

static void check_bitcoin(scn__loader *ld, uint64_t genesis)
{
    const int R = SCN_K_EMISSION_INITIAL_REWARD, H = SCN_K_EMISSION_HALVING_INTERVAL;
    uint64_t cap;
    if (bitcoin_cap(ld->v[R].u, ld->v[H].u, &cap) != 0 ||
        (genesis != UINT64_MAX && cap > TOKEN_MAX_UNITS - genesis)) {
        char r[SCN_AMOUNT_BUFLEN];
        scn_amount_format(ld->v[R].u, r);
        scn__report(ld, pick_loc(ld, H, R, -1),
                    "the bitcoin schedule (initial_reward %s, halving_interval %llu) plus the "
                    "genesis stake can exceed " TOKEN_MAX_TEXT,
                    r, (unsigned long long)ld->v[H].u);
    }
}

/* The genesis stake count * initial_stake, or UINT64_MAX (reported) when it overflows or is
** unknown. */
static uint64_t genesis_stake(scn__loader *ld)
{
    const int C = SCN_K_STAKERS_COUNT, S = SCN_K_STAKERS_INITIAL_STAKE;
    if (!usable(ld, C) || !usable(ld, S))
        return UINT64_MAX;
    if (ld->v[S].u > TOKEN_MAX_UNITS / ld->v[C].u) {
        char s[SCN_AMOUNT_BUFLEN];
        scn_amount_format(ld->v[S].u, s);
        scn__report(ld, pick_loc(ld, S, C, -1),
                    "the genesis stake stakers.count * stakers.initial_stake (%llu * %s) "
                    "exceeds " TOKEN_MAX_TEXT,
                    (unsigned long long)ld->v[C].u, s);
        return UINT64_MAX;
    }
    return ld->v[C].u * ld->v[S].u;
}

static void cross_checks(scn__loader *ld)
{
    if (!usable(ld, SCN_K_MODEL))
        return;
    if (ld->v[SCN_K_MODEL].u == SCN_MODEL_BITTENSOR) {
        scn__bt_check(ld);
        return;
    }
    if (ld->v[SCN_K_MODEL].u == SCN_MODEL_BITGRIT || ld->v[SCN_K_MODEL].u == SCN_MODEL_NUMERAI) {
        scn__bg_check(ld);
        return;
    }
    if (ld->v[SCN_K_MODEL].u == SCN_MODEL_AIGEN) {
        scn__aigen_check(ld);
        return;
    }
    if (ld->v[SCN_K_MODEL].u == SCN_MODEL_CFLOW) {
        scn__cflow_check(ld);
        return;
    }
    if (ld->v[SCN_K_MODEL].u != SCN_MODEL_TOKEN) {
        scn__study_check(ld);
        return;
    }
    uint64_t genesis = genesis_stake(ld);
    if (usable(ld, SCN_K_EMISSION_SCHEDULE) && usable(ld, SCN_K_EMISSION_INITIAL_REWARD)) {
        uint64_t s = ld->v[SCN_K_EMISSION_SCHEDULE].u;
        if (s == SCN_SCHEDULE_ISSUANCE && usable(ld, SCN_K_EMISSION_TOTAL_SUPPLY))
            check_supply(ld, genesis);
        if (s == SCN_SCHEDULE_BITCOIN && usable(ld, SCN_K_EMISSION_HALVING_INTERVAL))
            check_bitcoin(ld, genesis);
    }
    /* The staker agent works in parts per billion: a smaller fraction would round to nothing. */
    const int F = SCN_K_STAKERS_UNSTAKE_FRACTION;
    if (usable(ld, F) && ld->v[F].d < 5e-10) {
        char d[40];
        scn__format_double(ld->v[F].d, d, sizeof d);
        scn__report(ld, scn__loc_key(ld, F),
                    "stakers.unstake_fraction = %s is below the resolution of 1e-9", d);
    }
}

/* ---- the result -------------------------------------------------------------------------- */

static void json_value(scn__buf *b, const scn__loader *ld, int k)
{
    scn__json_value(b, k, &ld->v[k]);
}

void scn__json_value(scn__buf *b, int k, const scn__val *v)
{
    char tmp[40];
    if (v->src == SCN__SRC_NONE) {
        scn__buf_puts(b, "null");
        return;
    }
    switch (scn__keys[k].kind) {
    case SCN__STRING:
        scn__buf_json_string(b, v->s);
        break;
    case SCN__ENUM:
        scn__buf_json_string(b, scn__keys[k].choices[v->u]);
        break;
    case SCN__UINT:
        scn__buf_printf(b, "%llu", (unsigned long long)v->u);
        break;
    case SCN__DOUBLE:
        scn__format_double(v->d, tmp, sizeof tmp);
        scn__buf_puts(b, tmp);
        break;
    case SCN__BOOL:
        scn__buf_puts(b, v->u ? "true" : "false");
        break;
    case SCN__AMOUNT:
        scn_amount_format(v->u, tmp);
        scn__buf_json_string(b, tmp);
        break;
    case SCN__GROUP:
    case SCN__LIST:
        break;
    }
}

/* {"name":...,"time":{"block_seconds":12,...},...}: nested by group, in table order. */
static char *params_json(const scn__loader *ld, const scn_scenario *sc)
{
    scn__buf b = {0};
    int group = -1, first = 1;
    scn__buf_puts(&b, "{");
    for (int k = 0; k < SCN_K__COUNT; k++) {
        /* Keys of the other model are left out entirely (the token model's JSON is unchanged
        ** by the bittensor keys); the per-subnet list is appended below. */
        if (model_applies(ld, k) == 0 || scn__keys[k].kind == SCN__LIST ||
            (scn__keys[k].flags & SCN__ELEM))
            continue;
        if (group >= 0 && scn__key_parent(k) != group) {
            scn__buf_puts(&b, "}");
            group = -1;
        }
        const char *leaf = strrchr(scn__keys[k].path, '.');
        if (!first)
            scn__buf_puts(&b, ",");
        first = 0;
        scn__buf_json_string(&b, leaf ? leaf + 1 : scn__keys[k].path);
        scn__buf_puts(&b, ":");
        if (scn__keys[k].kind == SCN__GROUP) {
            scn__buf_puts(&b, "{");
            group = k, first = 1;
        } else {
            json_value(&b, ld, k);
        }
    }
    if (group >= 0)
        scn__buf_puts(&b, "}");
    if (sc && sc->model == SCN_MODEL_BITTENSOR)
        scn__bt_json(ld, sc, &b);
    scn__buf_puts(&b, "}");
    return scn__buf_take(&b);
}

static char *copy_bytes(const char *p, size_t n)
{
    char *q = malloc(n + 1);
    if (q) {
        memcpy(q, p, n);
        q[n] = '\0';
    }
    return q;
}

static int fill(scn__loader *ld, const char *text, size_t len, scn_scenario *out)
{
    const scn__val *v = ld->v;
    out->path = scn__strdup(ld->disp);
    out->text = copy_bytes(text, len);
    out->name = scn__strdup(v[SCN_K_NAME].s);
    out->description = scn__strdup(v[SCN_K_DESCRIPTION].s);
    out->model = (scn_model)v[SCN_K_MODEL].u;
    out->seed = v[SCN_K_SEED].u;
    out->time.block_seconds = (uint32_t)v[SCN_K_TIME_BLOCK_SECONDS].u;
    out->time.blocks = v[SCN_K_TIME_BLOCKS].u;
    out->emission.schedule = (scn_schedule)v[SCN_K_EMISSION_SCHEDULE].u;
    out->emission.initial_reward = v[SCN_K_EMISSION_INITIAL_REWARD].u;
    out->emission.total_supply = v[SCN_K_EMISSION_TOTAL_SUPPLY].u; /* 0 when absent */
    out->emission.halving_interval = v[SCN_K_EMISSION_HALVING_INTERVAL].u;
    out->emission.start_block = v[SCN_K_EMISSION_START_BLOCK].u;
    out->stakers.count = (uint32_t)v[SCN_K_STAKERS_COUNT].u;
    out->stakers.initial_stake = v[SCN_K_STAKERS_INITIAL_STAKE].u;
    out->stakers.stake_spread = v[SCN_K_STAKERS_STAKE_SPREAD].d;
    out->stakers.compound = v[SCN_K_STAKERS_COMPOUND].u != 0;
    out->stakers.unstake_probability = v[SCN_K_STAKERS_UNSTAKE_PROBABILITY].d;
    out->stakers.unstake_fraction = v[SCN_K_STAKERS_UNSTAKE_FRACTION].d;
    out->record.every = v[SCN_K_RECORD_EVERY].u;
    out->record.epochs_every = v[SCN_K_RECORD_EPOCHS_EVERY].u; /* 0 for the token model */
    int rc = out->model == SCN_MODEL_BITTENSOR ? scn__bt_fill(ld, out) : SCN_OK;
    if (out->model == SCN_MODEL_COLLUSION_TOY || out->model == SCN_MODEL_RETENTION)
        scn__study_fill(ld, out);
    if (out->model == SCN_MODEL_BITGRIT || out->model == SCN_MODEL_NUMERAI)
        scn__bg_fill(ld, out);
    if (out->model == SCN_MODEL_AIGEN)
        scn__aigen_fill(ld, out);
    if (out->model == SCN_MODEL_CFLOW && rc == SCN_OK)
        rc = scn__cflow_fill(ld, out);
    if (rc != SCN_OK) {
        scn_clear(out);
        return rc;
    }
    out->params_json = params_json(ld, out);
    out->sweep = ld->sweep; /* the scenario owns it from here */
    ld->sweep = NULL;
    if (!out->path || !out->text || !out->name || !out->description || !out->params_json) {
        scn_clear(out);
        return SCN_ENOMEM;
    }
    return SCN_OK;
}

/* ---- entry points ------------------------------------------------------------------------ */

/* Steps 2-6 on text already read, then the verdict. */
static int load(scn__loader *ld, const char *text, size_t len, const char *const *sets,
                size_t nsets, scn_scenario *out)
{
    if (parse_text(ld, text, len) != 0)
        return SCN_EINVAL;
    for (size_t i = 0; i < nsets; i++)
        apply_set(ld, sets ? sets[i] : NULL);
    resolve_keys(ld);
    cross_checks(ld);
    scn__sweep_check(ld);
    if (ld->oom)
        return SCN_ENOMEM;
    if (ld->ndiag)
        return SCN_EINVAL;
    return fill(ld, text, len, out);
}

static int finish(scn__loader *ld, int rc, scn_errors *errs)
{
    if (flush_diags(ld, errs) != 0 && rc == SCN_OK)
        rc = SCN_ENOMEM;
    if (ld->oom && rc == SCN_EINVAL)
        rc = SCN_ENOMEM;
    loader_free(ld);
    return rc;
}

int scn_load_text(const char *text, const char *display_name, const char *const *sets, size_t nsets,
                  scn_scenario *out, scn_errors *errs)
{
    scn__loader ld;
    memset(&ld, 0, sizeof ld);
    ld.disp = display_name ? display_name : "<text>";
    if (!out) {
        scn__errors_push(errs, "no output scenario given");
        return SCN_EINVAL;
    }
    memset(out, 0, sizeof *out);
    int rc = text ? load(&ld, text, strlen(text), sets, nsets, out) : SCN_EINVAL;
    if (!text)
        scn__report(&ld, scn__loc_file(), "no scenario text");
    rc = finish(&ld, rc, errs);
    if (rc != SCN_OK)
        scn_clear(out);
    return rc;
}

int scn_load_file(const char *path, const char *const *sets, size_t nsets, scn_scenario *out,
                  scn_errors *errs)
{
    scn__loader ld;
    memset(&ld, 0, sizeof ld);
    ld.disp = path ? path : "<null>";
    ld.from_file = path != NULL;
    if (!out) {
        scn__errors_push(errs, "no output scenario given");
        return SCN_EINVAL;
    }
    memset(out, 0, sizeof *out);
    char *text = NULL, msg[320];
    size_t len = 0;
    int rc = path ? scn__read_file(path, &text, &len, msg, sizeof msg) : -1;
    if (rc == 0) {
        rc = load(&ld, text, len, sets, nsets, out);
    } else {
        if (rc == -2)
            ld.oom = 1;
        scn__loc fatal = {SCN__CLS_FATAL, 0, NULL, NULL};
        scn__report(&ld, fatal, "%s", path ? msg : "no scenario path");
        rc = rc == -2 ? SCN_ENOMEM : SCN_EINVAL;
    }
    free(text);
    rc = finish(&ld, rc, errs);
    if (rc != SCN_OK)
        scn_clear(out);
    return rc;
}

void scn_clear(scn_scenario *s)
{
    if (!s)
        return;
    free(s->path);
    free(s->text);
    free(s->name);
    free(s->description);
    free(s->params_json);
    scn__sweep_free(s->sweep);
    scn__bt_clear(&s->bt);
    scn__cflow_clear(&s->cflow);
    memset(s, 0, sizeof *s);
}
