/*
** gate_tol.c: tolerance files of the regression gate (format and semantics in gate_tol.h).
**
** Rules are kept in file order in one growable array; the file is read line by line with a
** fixed buffer, so a hostile file costs at most the rule limit in memory.
*/
#define _POSIX_C_SOURCE 200809L

#include "gate_tol.h"

#include <errno.h>
#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { TOL_MAX_LINE = 1024, TOL_MAX_RULES = 10000 };

typedef struct tol_rule {
    char *pattern; /* fnmatch glob */
    gate_tol tol;  /* what it grants */
} tol_rule;

struct gate_tolset {
    tol_rule *rules; /* in file order */
    size_t n, cap;   /* used, allocated */
    gate_tol dflt;   /* when no pattern matches */
    int has_dflt;    /* a `default` line was seen */
};

gate_tolset *gate_tolset_new(void)
{
    return calloc(1, sizeof(gate_tolset));
}

void gate_tolset_free(gate_tolset *ts)
{
    if (!ts)
        return;
    for (size_t i = 0; i < ts->n; i++)
        free(ts->rules[i].pattern);
    free(ts->rules);
    free(ts);
}

/* A finite number >= 0, the whole of s. */
static int parse_nonneg(const char *s, double *out)
{
    char *end;
    errno = 0;
    if (!*s)
        return -1;
    double v = strtod(s, &end);
    if (errno || *end || !isfinite(v) || v < 0)
        return -1;
    *out = v;
    return 0;
}

int gate_tol_parse_opts(char *text, gate_tol *t, char *err, size_t errlen)
{
    int seen_abs = 0, seen_rel = 0, seen_ignore = 0;
    memset(t, 0, sizeof *t);
    char *save = NULL;
    for (char *tok = strtok_r(text, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
        if (!strncmp(tok, "abs=", 4) && !seen_abs++) {
            if (parse_nonneg(tok + 4, &t->abs) == 0)
                continue;
            snprintf(err, errlen, "abs='%s' is not a finite number >= 0", tok + 4);
            return -1;
        }
        if (!strncmp(tok, "rel=", 4) && !seen_rel++) {
            if (parse_nonneg(tok + 4, &t->rel) == 0)
                continue;
            snprintf(err, errlen, "rel='%s' is not a finite number >= 0", tok + 4);
            return -1;
        }
        if (!strcmp(tok, "ignore") && !seen_ignore++) {
            t->ignore = 1;
            continue;
        }
        if (seen_abs > 1 || seen_rel > 1 || seen_ignore > 1)
            snprintf(err, errlen, "'%s' given twice", tok);
        else
            snprintf(err, errlen, "unexpected '%s' (expected abs=X, rel=Y or ignore)", tok);
        return -1;
    }
    if (!seen_abs && !seen_rel && !seen_ignore) {
        snprintf(err, errlen, "expected abs=X, rel=Y or ignore");
        return -1;
    }
    return 0;
}

static int add_rule(gate_tolset *ts, const char *pattern, const gate_tol *t)
{
    if (ts->n == ts->cap) {
        size_t cap = ts->cap ? ts->cap * 2 : 16;
        tol_rule *r = realloc(ts->rules, cap * sizeof *r);
        if (!r)
            return -1;
        ts->rules = r;
        ts->cap = cap;
    }
    char *p = strdup(pattern);
    if (!p)
        return -1;
    ts->rules[ts->n].pattern = p;
    ts->rules[ts->n].tol = *t;
    ts->n++;
    return 0;
}

/* One line (comment already cut); 0, or -1 with the reason in err. */
static int parse_line(gate_tolset *ts, char *line, char *err, size_t errlen)
{
    char *p = line + strspn(line, " \t");
    if (!*p)
        return 0;
    size_t plen = strcspn(p, " \t");
    char *rest = p + plen;
    if (*rest)
        *rest++ = '\0';
    gate_tol t;
    if (gate_tol_parse_opts(rest, &t, err, errlen) != 0)
        return -1;
    if (!strcmp(p, "default")) {
        if (ts->has_dflt) {
            snprintf(err, errlen, "a second `default` line");
            return -1;
        }
        ts->dflt = t;
        ts->has_dflt = 1;
        return 0;
    }
    if (ts->n == TOL_MAX_RULES) {
        snprintf(err, errlen, "too many rules (at most %d)", TOL_MAX_RULES);
        return -1;
    }
    if (add_rule(ts, p, &t) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

/* Reads one line into buf; 1 line read, 0 end of file, -1 too long or NUL byte. */
static int read_line(FILE *f, char *buf, size_t len)
{
    if (!fgets(buf, (int)len, f))
        return 0;
    size_t n = strlen(buf);
    if (n + 1 == len && buf[n - 1] != '\n' && !feof(f))
        return -1;
    for (size_t i = 0; i < n; i++)
        if (buf[i] == '\r' || buf[i] == '\n')
            buf[i] = '\0';
    return 1;
}

static int load_stream(FILE *f, const char *path, gate_tolset *ts, char *err, size_t errlen)
{
    char line[TOL_MAX_LINE + 2], why[256];
    for (long lineno = 1;; lineno++) {
        int r = read_line(f, line, sizeof line);
        if (r == 0)
            return ferror(f) ? (snprintf(err, errlen, "%s: read error", path), -1) : 0;
        if (r < 0) {
            snprintf(err, errlen, "%s:%ld: line longer than %d bytes", path, lineno, TOL_MAX_LINE);
            return -1;
        }
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        if (parse_line(ts, line, why, sizeof why) != 0) {
            snprintf(err, errlen, "%s:%ld: %s", path, lineno, why);
            return -1;
        }
    }
}

int gate_tolset_load(const char *path, gate_tolset **out, char *err, size_t errlen)
{
    *out = NULL;
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    gate_tolset *ts = gate_tolset_new();
    int rc = ts ? load_stream(f, path, ts, err, errlen) : -1;
    if (!ts)
        snprintf(err, errlen, "out of memory");
    fclose(f);
    if (rc != 0) {
        gate_tolset_free(ts);
        return -1;
    }
    *out = ts;
    return 0;
}

gate_tol gate_tolset_lookup(const gate_tolset *ts, const char *metric)
{
    for (size_t i = 0; ts && i < ts->n; i++)
        if (fnmatch(ts->rules[i].pattern, metric, 0) == 0)
            return ts->rules[i].tol;
    gate_tol exact = {0, 0, 0};
    return ts && ts->has_dflt ? ts->dflt : exact;
}

int gate_tol_admits(const gate_tol *t, double base, double abs_change)
{
    if (t->ignore)
        return 1;
    return abs_change <= t->abs || abs_change <= t->rel * fabs(base);
}

const char *gate_tol_str(const gate_tol *t, char *buf, size_t len)
{
    if (t->ignore)
        snprintf(buf, len, "ignore");
    else
        snprintf(buf, len, "abs=%.6g rel=%.6g", t->abs, t->rel);
    return buf;
}
