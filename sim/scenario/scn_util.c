/*
** scn_util.c: small helpers of the scenario module: the public error list, a growable buffer
** with JSON string escaping, edit distance for "did you mean" hints, UTF-8 checks and the
** shortest round-trip rendering of doubles.
**
** Invariants: scn_errors owns its strings; scn__buf never writes past its allocation and latches
** the first allocation failure (callers check `oom` once at the end). Edit distance is O(n*m)
** over short key names and refuses strings longer than 128 bytes.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn_int.h"

/* ---- error list ------------------------------------------------------------------------ */

struct scn_errors {
    char **msg; /* owned messages, in report order */
    size_t n;   /* messages stored */
    size_t cap; /* slots allocated */
};

scn_errors *scn_errors_new(void)
{
    return calloc(1, sizeof(scn_errors));
}

void scn_errors_free(scn_errors *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->n; i++)
        free(e->msg[i]);
    free(e->msg);
    free(e);
}

size_t scn_errors_count(const scn_errors *e)
{
    return e ? e->n : 0;
}

const char *scn_errors_get(const scn_errors *e, size_t i)
{
    return e && i < e->n ? e->msg[i] : NULL;
}

int scn__errors_push(scn_errors *e, const char *msg)
{
    if (!e)
        return 0;
    if (e->n == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 8;
        char **p = realloc(e->msg, cap * sizeof *p);
        if (!p)
            return -1;
        e->msg = p, e->cap = cap;
    }
    char *copy = scn__strdup(msg);
    if (!copy)
        return -1;
    e->msg[e->n++] = copy;
    return 0;
}

/* ---- strings ----------------------------------------------------------------------------- */

char *scn__strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

char *scn__vaprintf(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return NULL;
    char *p = malloc((size_t)n + 1);
    if (p)
        vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *scn__aprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = scn__vaprintf(fmt, ap);
    va_end(ap);
    return p;
}

/* ---- growable buffer --------------------------------------------------------------------- */

static int buf_reserve(scn__buf *b, size_t extra)
{
    if (b->oom)
        return -1;
    if (b->len + extra + 1 <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
        b->oom = 1;
        return -1;
    }
    b->p = p, b->cap = cap;
    return 0;
}

void scn__buf_put(scn__buf *b, const char *s, size_t n)
{
    if (buf_reserve(b, n) != 0)
        return;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void scn__buf_puts(scn__buf *b, const char *s)
{
    scn__buf_put(b, s, strlen(s));
}

void scn__buf_printf(scn__buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = scn__vaprintf(fmt, ap);
    va_end(ap);
    if (!s) {
        b->oom = 1;
        return;
    }
    scn__buf_puts(b, s);
    free(s);
}

void scn__buf_json_string(scn__buf *b, const char *s)
{
    scn__buf_put(b, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char esc[8];
        switch (*p) {
        case '"':
            scn__buf_put(b, "\\\"", 2);
            break;
        case '\\':
            scn__buf_put(b, "\\\\", 2);
            break;
        case '\n':
            scn__buf_put(b, "\\n", 2);
            break;
        case '\t':
            scn__buf_put(b, "\\t", 2);
            break;
        case '\r':
            scn__buf_put(b, "\\r", 2);
            break;
        default:
            if (*p < 0x20 || *p == 0x7f) {
                snprintf(esc, sizeof esc, "\\u%04x", (unsigned)*p);
                scn__buf_put(b, esc, 6);
            } else {
                scn__buf_put(b, (const char *)p, 1);
            }
        }
    }
    scn__buf_put(b, "\"", 1);
}

char *scn__buf_take(scn__buf *b)
{
    char *p = b->oom ? NULL : b->p;
    if (b->oom)
        free(b->p);
    else if (!p)
        p = scn__strdup("");
    b->p = NULL, b->len = b->cap = 0, b->oom = 0;
    return p;
}

/* ---- edit distance ----------------------------------------------------------------------- */

size_t scn__edit_distance(const char *a, const char *b, size_t cap)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > 128 || m > 128)
        return cap + 1;
    if ((n > m ? n - m : m - n) > cap)
        return cap + 1;
    size_t row[129];
    for (size_t j = 0; j <= m; j++)
        row[j] = j;
    for (size_t i = 1; i <= n; i++) {
        size_t diag = row[0], best = row[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t up = row[j];
            size_t v = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < v)
                v = up + 1;
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            row[j] = v, diag = up;
            if (v < best)
                best = v;
        }
        if (best > cap) /* every path through this row already exceeds the cap */
            return cap + 1;
    }
    return row[m] > cap ? cap + 1 : row[m];
}

/* ---- UTF-8 ------------------------------------------------------------------------------- */

/* Length of the sequence starting at p (0 when invalid). */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    size_t len;
    unsigned lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    else
        return 0; /* continuation byte, overlong lead (C0/C1) or beyond U+10FFFF */
    if (n < len || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    return len;
}

size_t scn__utf8_prefix(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t l = utf8_seq(p + i, n - i);
        if (l == 0)
            break;
        i += l;
    }
    return i;
}

int scn__utf8_valid(const char *s, size_t n)
{
    return scn__utf8_prefix(s, n) == n;
}

size_t scn__utf8_length(const char *s, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            count++;
    return count;
}

/* ---- doubles ----------------------------------------------------------------------------- */

void scn__format_double(double d, char *buf, size_t len)
{
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, len, "%.*g", prec, d);
        if (strtod(buf, NULL) == d)
            return;
    }
}
