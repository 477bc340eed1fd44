/*
** scn_jsonpos.c: the line of a value in a JSON text, by its path (scn_int.h), so that a
** snapshot's messages can say `SNAPSHOT:LINE: field: ...` although jansson keeps no positions.
**
** The text has already been parsed by jansson, but the walk trusts nothing: every read is
** bounded by len, and anything unexpected ends the walk with the best line found so far. A
** path is a key followed by `.key`, `[N]` or `[uid N]` steps (uids are the neurons' indexes
** once the snapshot is valid; where they are not, the line is the array's). Keys are compared
** byte for byte with the text between the quotes, so a key written with escapes is not
** found. When a step names nothing (a missing field), the line is that of the deepest value
** the path reached: the object that lacks the field. Cost: one pass over the text up to the
** value, per message (messages are few; each load reports at most a screenful).
*/
#include <stdlib.h>
#include <string.h>

#include "scn_int.h"

#define JP_MAX_DEPTH 64 /* deeper paths or texts are not followed */

typedef struct jp_cur {
    const char *s; /* the text */
    size_t len;    /* its length */
    size_t i;      /* the read position */
    unsigned line; /* the line of position i, 1-based */
} jp_cur;

/* One step of a path: a key (key != NULL, klen bytes) or an index. */
typedef struct jp_step {
    const char *key;
    size_t klen;
    size_t index;
} jp_step;

static void skip_ws(jp_cur *c)
{
    while (c->i < c->len) {
        char ch = c->s[c->i];
        if (ch == '\n')
            c->line++;
        else if (ch != ' ' && ch != '\t' && ch != '\r')
            return;
        c->i++;
    }
}

/* Past a string whose opening quote is at i; 0, or -1 at the end of the text. */
static int skip_string(jp_cur *c)
{
    for (c->i++; c->i < c->len; c->i++) {
        char ch = c->s[c->i];
        if (ch == '\\')
            c->i++;
        else if (ch == '"') {
            c->i++;
            return 0;
        } else if (ch == '\n')
            c->line++;
    }
    return -1;
}

/* Past the value at i (after whitespace): strings, nested brackets, scalars. */
static int skip_value(jp_cur *c)
{
    int depth = 0;
    skip_ws(c);
    while (c->i < c->len) {
        char ch = c->s[c->i];
        if (ch == '"') {
            if (skip_string(c) != 0)
                return -1;
        } else if (ch == '{' || ch == '[') {
            depth++, c->i++;
        } else if (ch == '}' || ch == ']') {
            if (depth == 0)
                return 0; /* the end of the enclosing container: a scalar ended */
            depth--, c->i++;
        } else if (ch == ',' && depth == 0) {
            return 0;
        } else {
            if (ch == '\n')
                c->line++;
            c->i++;
        }
        if (depth == 0 && (ch == '"' || ch == '}' || ch == ']'))
            return 0;
    }
    return depth == 0 ? 0 : -1;
}

/* Past the value at i and the comma after it: 1 another item follows, 0 the container ends,
** -1 bad text. */
static int next_item(jp_cur *c)
{
    if (skip_value(c) != 0)
        return -1;
    skip_ws(c);
    if (c->i >= c->len || c->s[c->i] != ',')
        return 0;
    c->i++;
    return 1;
}

/* Moves into the member named by st of the object at i; 1 found, 0 not there, -1 bad text. */
static int enter_member(jp_cur *c, const jp_step *st)
{
    c->i++; /* '{' */
    for (;;) {
        skip_ws(c);
        if (c->i >= c->len || c->s[c->i] != '"')
            return c->i < c->len && c->s[c->i] == '}' ? 0 : -1;
        size_t k0 = c->i + 1;
        if (skip_string(c) != 0)
            return -1;
        size_t klen = c->i - 1 - k0;
        skip_ws(c);
        if (c->i >= c->len || c->s[c->i] != ':')
            return -1;
        c->i++;
        skip_ws(c);
        if (klen == st->klen && memcmp(c->s + k0, st->key, klen) == 0)
            return 1;
        int more = next_item(c);
        if (more <= 0)
            return more;
    }
}

/* Moves to element st->index of the array at i; 1 found, 0 not there, -1 bad text. */
static int enter_element(jp_cur *c, const jp_step *st)
{
    c->i++; /* '[' */
    for (size_t k = 0;; k++) {
        skip_ws(c);
        if (c->i >= c->len || c->s[c->i] == ']')
            return 0;
        if (k == st->index)
            return 1;
        int more = next_item(c);
        if (more <= 0)
            return more;
    }
}

/* Splits path into steps; the count, or 0 when it is not a path. */
static size_t parse_path(const char *path, jp_step *steps, size_t max)
{
    size_t n = 0;
    const char *p = path;
    while (*p && n < max) {
        jp_step *st = &steps[n];
        if (*p == '[') {
            p++;
            if (strncmp(p, "uid ", 4) == 0)
                p += 4;
            char *end;
            unsigned long long v = strtoull(p, &end, 10);
            if (end == p || *end != ']')
                return 0;
            st->key = NULL, st->index = (size_t)v;
            p = end + 1;
        } else {
            if (*p == '.') {
                if (n == 0)
                    return 0;
                p++;
            }
            size_t k = strcspn(p, ".[");
            if (k == 0)
                return 0;
            st->key = p, st->klen = k;
            p += k;
        }
        n++;
    }
    return *p ? 0 : n;
}

unsigned scn__json_line_of(const char *text, size_t len, const char *path)
{
    jp_step steps[JP_MAX_DEPTH];
    size_t n = text && path ? parse_path(path, steps, JP_MAX_DEPTH) : 0;
    if (n == 0)
        return 0;
    jp_cur c = {text, len, 0, 1};
    skip_ws(&c);
    unsigned best = c.line;
    for (size_t k = 0; k < n && c.i < c.len; k++) {
        char open = steps[k].key ? '{' : '[';
        if (c.s[c.i] != open)
            break;
        best = c.line; /* the deepest value reached so far */
        int rc = steps[k].key ? enter_member(&c, &steps[k]) : enter_element(&c, &steps[k]);
        if (rc != 1)
            return best;
        skip_ws(&c);
        best = c.line;
    }
    return best;
}
