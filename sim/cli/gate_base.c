/*
** gate_base.c: baseline files of `tokensim check` (format in gate_base.h).
**
** The file is kept as a list of lines: verbatim text (comments, blank lines, scenario and set
** directives) or a reference to the seed, the digest or one key, which the writer renders from
** the current values. So --update changes exactly the values that moved and git diffs stay
** small. Cost: linear in the file; bounded by the line and key limits.
*/
#define _POSIX_C_SOURCE 200809L

#include "gate_base.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { BASE_MAX_LINE = 1024, BASE_MAX_KEYS = 1000, BASE_MAX_SETS = 256, BASE_MAX_LINES = 5000 };
enum { BL_TEXT, BL_SEED, BL_DIGEST, BL_KEY };

struct gate_bline {
    int kind;   /* BL_* */
    char *text; /* BL_TEXT: the line; others: the trailing comment ("" if none) */
    size_t key; /* BL_KEY: index into keys */
};

static char *dupstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

void gate_base_clear(gate_baseline *b)
{
    free(b->path);
    free(b->scenario);
    free(b->scenario_path);
    for (size_t i = 0; i < b->nsets; i++)
        free(b->sets[i]);
    free(b->sets);
    for (size_t i = 0; i < b->nkeys; i++) {
        free(b->keys[i].name);
        free(b->keys[i].tol_text);
    }
    free(b->keys);
    for (size_t i = 0; i < b->nlines; i++)
        free(b->lines[i].text);
    free(b->lines);
    memset(b, 0, sizeof *b);
}

static int add_line(gate_baseline *b, int kind, const char *text, size_t key)
{
    if (b->nlines == b->caplines) {
        size_t cap = b->caplines ? 2 * b->caplines : 32;
        gate_bline *l = realloc(b->lines, cap * sizeof *l);
        if (!l)
            return -1;
        b->lines = l;
        b->caplines = cap;
    }
    char *t = dupstr(text);
    if (!t)
        return -1;
    b->lines[b->nlines].kind = kind;
    b->lines[b->nlines].text = t;
    b->lines[b->nlines].key = key;
    b->nlines++;
    return 0;
}

static int push_key(gate_baseline *b, const char *name, const char *tol_text, long line)
{
    if (b->nkeys == b->capkeys) {
        size_t cap = b->capkeys ? 2 * b->capkeys : 16;
        gate_bkey *k = realloc(b->keys, cap * sizeof *k);
        if (!k)
            return -1;
        b->keys = k;
        b->capkeys = cap;
    }
    gate_bkey *k = &b->keys[b->nkeys];
    memset(k, 0, sizeof *k);
    k->name = dupstr(name);
    k->tol_text = dupstr(tol_text);
    k->line = line;
    if (!k->name || !k->tol_text) {
        free(k->name);
        free(k->tol_text);
        return -1;
    }
    b->nkeys++;
    return 0;
}

/* The scenario path against the baseline's directory (absolute paths stay). */
static char *resolve(const char *base_path, const char *rel)
{
    const char *slash = strrchr(base_path, '/');
    if (rel[0] == '/' || !slash)
        return dupstr(rel);
    size_t n = (size_t)(slash - base_path) + 1, m = strlen(rel) + 1;
    char *p = malloc(n + m);
    if (p) {
        memcpy(p, base_path, n);
        memcpy(p + n, rel, m);
    }
    return p;
}

/* ---- directives ---- */

typedef struct parse_ctx {
    gate_baseline *b;                /* being filled */
    char *why;                       /* message buffer */
    size_t whylen;                   /* its size */
    long lineno;                     /* current line */
    char comment[BASE_MAX_LINE + 2]; /* the current line's trailing comment ("" if none) */
} parse_ctx;

static int fail(parse_ctx *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->why, p->whylen, fmt, ap);
    va_end(ap);
    return -1;
}

static int d_scenario(parse_ctx *p, char *arg)
{
    gate_baseline *b = p->b;
    if (b->scenario)
        return fail(p, "a second `scenario` line");
    if (!*arg)
        return fail(p, "`scenario` needs a path");
    b->scenario = dupstr(arg);
    b->scenario_path = resolve(b->path, arg);
    return b->scenario && b->scenario_path ? 0 : fail(p, "out of memory");
}

static int d_set(parse_ctx *p, char *arg)
{
    gate_baseline *b = p->b;
    if (!strchr(arg, '=') || arg[0] == '=' || strpbrk(arg, " \t"))
        return fail(p, "`set` needs KEY=VALUE (no blanks), got '%s'", arg);
    if (b->nsets == BASE_MAX_SETS)
        return fail(p, "too many `set` lines");
    char **s = realloc(b->sets, (b->nsets + 1) * sizeof *s);
    if (!s)
        return fail(p, "out of memory");
    b->sets = s;
    if (!(b->sets[b->nsets] = dupstr(arg)))
        return fail(p, "out of memory");
    b->nsets++;
    return 0;
}

static int d_seed(parse_ctx *p, char *arg)
{
    char *end;
    errno = 0;
    if (p->b->has_seed)
        return fail(p, "a second `seed` line");
    unsigned long long v = strtoull(arg, &end, 10);
    if (errno || *end || !*arg || arg[0] == '-' || v > (unsigned long long)INT64_MAX)
        return fail(p, "`seed` needs an integer in [0, 2^63), got '%s'", arg);
    p->b->has_seed = 1;
    p->b->seed = v;
    return add_line(p->b, BL_SEED, p->comment, 0) ? fail(p, "out of memory") : 0;
}

static int d_digest(parse_ctx *p, char *arg)
{
    if (p->b->has_digest)
        return fail(p, "a second `digest` line");
    if (strlen(arg) != 64 || strspn(arg, "0123456789abcdef") != 64)
        return fail(p, "`digest` needs 64 lowercase hex digits, got '%s'", arg);
    p->b->has_digest = 1;
    memcpy(p->b->digest, arg, 65);
    return add_line(p->b, BL_DIGEST, p->comment, 0) ? fail(p, "out of memory") : 0;
}

static int d_key(parse_ctx *p, char *arg)
{
    gate_baseline *b = p->b;
    char *name = arg;
    size_t nl = strcspn(arg, " \t");
    char *rest = arg + nl;
    if (*rest)
        *rest++ = '\0';
    rest += strspn(rest, " \t");
    if (!*name)
        return fail(p, "`key` needs a NAME");
    if (gate_key_check(name, p->why, p->whylen) != 0)
        return -1;
    if (b->nkeys == BASE_MAX_KEYS)
        return fail(p, "too many keys");
    for (size_t i = 0; i < b->nkeys; i++)
        if (!strcmp(b->keys[i].name, name))
            return fail(p, "key '%s' given twice", name);
    gate_value v = {0, 0, 0, 0};
    int has_value = 0;
    /* the first remaining token is the value unless it is a tolerance option */
    char *tok = *rest ? rest : NULL;
    if (tok) {
        size_t n = strcspn(tok, " \t");
        char saved = tok[n];
        tok[n] = '\0';
        if (strcmp(tok, "ignore") != 0 && !strchr(tok, '=')) {
            if (strcmp(tok, "-") != 0 && gate_value_parse(tok, &v) != 0)
                return fail(p, "value '%s' is not a number (or - for no samples)", tok);
            has_value = 1;
            rest = tok + n + (saved ? 1 : 0);
            rest += strspn(rest, " \t");
        } else {
            tok[n] = saved;
        }
    }
    char opts[BASE_MAX_LINE + 1];
    snprintf(opts, sizeof opts, "%s", rest);
    size_t len = strlen(opts);
    while (len && (opts[len - 1] == ' ' || opts[len - 1] == '\t'))
        opts[--len] = '\0';
    gate_tol tol = {0, 0, 0};
    char tmp[BASE_MAX_LINE + 1];
    snprintf(tmp, sizeof tmp, "%s", opts);
    if (opts[0] && gate_tol_parse_opts(tmp, &tol, p->why, p->whylen) != 0)
        return -1;
    if (push_key(b, name, opts, p->lineno) != 0)
        return fail(p, "out of memory");
    gate_bkey *k = &b->keys[b->nkeys - 1];
    k->has_value = has_value;
    k->value = v;
    k->tol = tol;
    return add_line(b, BL_KEY, p->comment, b->nkeys - 1) ? fail(p, "out of memory") : 0;
}

/* One line: a directive (or nothing) plus an optional trailing comment. */
static int parse_line(parse_ctx *p, char *line)
{
    char *hash = strchr(line, '#');
    char raw[BASE_MAX_LINE + 2];
    snprintf(raw, sizeof raw, "%s", line);
    p->comment[0] = '\0'; /* kept in the context: add_line copies it during this call */
    if (hash) {
        size_t at = (size_t)(hash - line);
        while (at > 0 && (line[at - 1] == ' ' || line[at - 1] == '\t'))
            at--;
        snprintf(p->comment, sizeof p->comment, "%s", line + at);
        line[at] = '\0';
    }
    char *s = line + strspn(line, " \t");
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    size_t w = strcspn(s, " \t");
    char *arg = s + w + strspn(s + w, " \t");
    if (s[w])
        s[w] = '\0';
    int rc;
    if (!*s)
        return add_line(p->b, BL_TEXT, raw, 0) ? fail(p, "out of memory") : 0;
    if (!strcmp(s, "scenario") || !strcmp(s, "set")) {
        rc = !strcmp(s, "scenario") ? d_scenario(p, arg) : d_set(p, arg);
        if (rc == 0 && add_line(p->b, BL_TEXT, raw, 0) != 0)
            return fail(p, "out of memory");
    } else if (!strcmp(s, "seed")) {
        rc = d_seed(p, arg);
    } else if (!strcmp(s, "digest")) {
        rc = d_digest(p, arg);
    } else if (!strcmp(s, "key")) {
        return d_key(p, arg);
    } else {
        return fail(p, "unknown directive '%s' (scenario, set, seed, digest or key)", s);
    }
    if (rc == 0)
        p->b->header_end = (long)p->b->nlines;
    return rc;
}

static int read_lines(FILE *f, parse_ctx *p, char *err, size_t errlen)
{
    char line[BASE_MAX_LINE + 2];
    for (p->lineno = 1; fgets(line, sizeof line, f); p->lineno++) {
        size_t n = strlen(line);
        if (n == sizeof line - 1 && line[n - 1] != '\n' && !feof(f)) {
            snprintf(err, errlen, "%s:%ld: line longer than %d bytes", p->b->path, p->lineno,
                     BASE_MAX_LINE);
            return -1;
        }
        line[strcspn(line, "\r\n")] = '\0';
        if (p->lineno > BASE_MAX_LINES || parse_line(p, line) != 0) {
            if (p->lineno > BASE_MAX_LINES)
                snprintf(p->why, p->whylen, "more than %d lines", BASE_MAX_LINES);
            snprintf(err, errlen, "%s:%ld: %s", p->b->path, p->lineno, p->why);
            return -1;
        }
    }
    if (ferror(f)) {
        snprintf(err, errlen, "%s: read error", p->b->path);
        return -1;
    }
    if (!p->b->scenario) {
        snprintf(err, errlen, "%s:%ld: no `scenario` line", p->b->path, p->lineno);
        return -1;
    }
    return 0;
}

int gate_base_load(const char *path, gate_baseline *b, char *err, size_t errlen)
{
    memset(b, 0, sizeof *b);
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    char why[512];
    parse_ctx p = {b, why, sizeof why, 0, ""}; /* ~1 KiB comment buffer: one per load */
    int rc = (b->path = dupstr(path)) ? read_lines(f, &p, err, errlen) : -1;
    if (!b->path)
        snprintf(err, errlen, "out of memory");
    fclose(f);
    if (rc != 0)
        gate_base_clear(b);
    return rc;
}

int gate_base_add_key(gate_baseline *b, const char *name, const char *tol_text)
{
    char tmp[BASE_MAX_LINE + 1], why[256];
    gate_tol tol = {0, 0, 0};
    snprintf(tmp, sizeof tmp, "%s", tol_text);
    if (tol_text[0] && gate_tol_parse_opts(tmp, &tol, why, sizeof why) != 0)
        return -1;
    for (size_t i = 0; i < b->nkeys; i++)
        if (!strcmp(b->keys[i].name, name))
            return 0; /* already there */
    if (push_key(b, name, tol_text, 0) != 0)
        return -1;
    b->keys[b->nkeys - 1].tol = tol;
    return add_line(b, BL_KEY, "", b->nkeys - 1);
}

/* Inserts a line of kind at index at. */
static int insert_line(gate_baseline *b, size_t at, int kind)
{
    if (add_line(b, kind, "", 0) != 0)
        return -1;
    gate_bline l = b->lines[b->nlines - 1];
    memmove(&b->lines[at + 1], &b->lines[at], (b->nlines - 1 - at) * sizeof l);
    b->lines[at] = l;
    return 0;
}

void gate_base_set_run(gate_baseline *b, uint64_t seed, const char *digest)
{
    if (!b->has_seed && insert_line(b, (size_t)b->header_end, BL_SEED) == 0) {
        b->header_end++;
        b->has_seed = 1;
    }
    b->seed = seed;
    if (!b->has_digest && insert_line(b, (size_t)b->header_end, BL_DIGEST) == 0) {
        b->header_end++;
        b->has_digest = 1;
    }
    snprintf(b->digest, sizeof b->digest, "%s", digest);
}

static void write_line(FILE *f, const gate_baseline *b, const gate_bline *l)
{
    char val[64];
    switch (l->kind) {
    case BL_SEED:
        fprintf(f, "seed %llu%s\n", (unsigned long long)b->seed, l->text);
        return;
    case BL_DIGEST:
        fprintf(f, "digest %s%s\n", b->digest, l->text);
        return;
    case BL_KEY: {
        const gate_bkey *k = &b->keys[l->key];
        fprintf(f, "key %s", k->name);
        if (k->has_value)
            fprintf(f, " %s", gate_value_str(&k->value, val, sizeof val));
        fprintf(f, "%s%s%s\n", k->tol_text[0] ? " " : "", k->tol_text, l->text);
        return;
    }
    default:
        fprintf(f, "%s\n", l->text);
    }
}

int gate_base_write(gate_baseline *b, char *err, size_t errlen)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", b->path);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
        return -1;
    }
    for (size_t i = 0; i < b->nlines; i++)
        write_line(f, b, &b->lines[i]);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad || rename(tmp, b->path) != 0) {
        snprintf(err, errlen, "%s: could not write: %s", b->path, strerror(errno));
        remove(tmp);
        return -1;
    }
    return 0;
}
