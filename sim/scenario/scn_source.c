/*
** scn_source.c: the scenario's bytes before and beside libconfig.
**
** Reading: a file is refused when it is a directory, cannot be opened or read, is empty, larger
** than SCN_MAX_FILE_BYTES, or is not text (a NUL or other control byte, invalid UTF-8).
** Re-reading literals: libconfig 1.5 keeps only the low 32 bits of an integer literal without
** the L suffix, and clamps L literals to the int64 range, without telling anyone. The loader
** therefore re-reads every integer literal it uses from the text, through a forward-only scanner
** that understands comments and strings well enough never to match a name inside them.
** Settings are visited in file order, so the whole file is scanned at most once: O(bytes).
** The same scanner measures nesting depth before libconfig parses (its parser recurses, and
** 100,000 nested groups exhaust it), and refusals name the line and column of the bad byte.
*/
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "scn_int.h"

/* ---- reading ----------------------------------------------------------------------------- */

static void errno_text(int err, char *buf, size_t len)
{
    if (strerror_r(err, buf, len) != 0)
        snprintf(buf, len, "error %d", err);
}

/* Reads at most limit+1 bytes so that "too large" is known without reading everything. */
static int read_stream(FILE *f, char **text, size_t *len)
{
    size_t cap = 4096, n = 0;
    char *p = malloc(cap);
    if (!p)
        return -1;
    for (;;) {
        if (n + 1 >= cap) {
            char *q = realloc(p, cap * 2);
            if (!q) {
                free(p);
                return -1;
            }
            p = q, cap *= 2;
        }
        size_t got = fread(p + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0 || n > SCN_MAX_FILE_BYTES)
            break;
    }
    if (ferror(f)) {
        free(p);
        return -2;
    }
    p[n] = '\0';
    *text = p, *len = n;
    return 0;
}

int scn__read_file(const char *path, char **text, size_t *len, char *msg, size_t msglen)
{
    char why[128];
    struct stat st;
    *text = NULL, *len = 0;
    if (stat(path, &st) != 0) {
        errno_text(errno, why, sizeof why);
        snprintf(msg, msglen, "cannot open: %s", why);
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        snprintf(msg, msglen, "is a directory, not a scenario file");
        return -1;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        errno_text(errno, why, sizeof why);
        snprintf(msg, msglen, "cannot open: %s", why);
        return -1;
    }
    int rc = read_stream(f, text, len);
    int err = errno;
    fclose(f);
    if (rc == -1) {
        snprintf(msg, msglen, "out of memory");
        return -2;
    }
    if (rc == -2) {
        errno_text(err, why, sizeof why);
        snprintf(msg, msglen, "read error: %s", why);
        return -1;
    }
    return 0;
}

/* Line and column (1-based, in bytes) of offset `at`. */
static void line_col(const char *text, size_t at, unsigned *line, size_t *col)
{
    unsigned l = 1;
    size_t start = 0;
    for (size_t i = 0; i < at; i++)
        if (text[i] == '\n')
            l++, start = i + 1;
    *line = l, *col = at - start + 1;
}

int scn__regular_file(const char *path)
{
    struct stat st;
    /* a missing file passes: opening it reports the error with its reason */
    return stat(path, &st) != 0 || S_ISREG(st.st_mode);
}

int scn__check_text(const char *text, size_t len, unsigned *line, char *msg, size_t msglen)
{
    *line = 0;
    if (len == 0) {
        snprintf(msg, msglen, "empty scenario file");
        return -1;
    }
    if (len > SCN_MAX_FILE_BYTES) {
        snprintf(msg, msglen, "scenario file too large (more than %u bytes)",
                 (unsigned)SCN_MAX_FILE_BYTES);
        return -1;
    }
    size_t col;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        /* Tab, newline, vertical tab, form feed and carriage return are the only controls. */
        if ((c < 0x20 && (c < 0x09 || c > 0x0D)) || c == 0x7F) {
            line_col(text, i, line, &col);
            snprintf(msg, msglen, "not a text file: control byte 0x%02X at column %zu", c, col);
            return -1;
        }
    }
    size_t ok = scn__utf8_prefix(text, len);
    if (ok < len) {
        line_col(text, ok, line, &col);
        snprintf(msg, msglen, "not a text file: invalid UTF-8 (byte 0x%02X) at column %zu",
                 (unsigned char)text[ok], col);
        return -1;
    }
    return 0;
}

unsigned scn__find_include(const char *text, size_t len)
{
    unsigned line = 1;
    for (size_t i = 0; i < len; line++) {
        size_t j = i;
        while (j < len && (text[j] == ' ' || text[j] == '\t'))
            j++;
        if (len - j >= 8 && memcmp(text + j, "@include", 8) == 0)
            return line;
        while (i < len && text[i] != '\n')
            i++;
        i++;
    }
    return 0;
}

/* ---- integer literals -------------------------------------------------------------------- */

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int hex_value(char c)
{
    if (is_digit(c))
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int is_alnum(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static void int_render(scn__int *v, const char *lit, size_t n)
{
    if (!v->overflow)
        snprintf(v->text, sizeof v->text, "%s%llu", v->neg && v->mag ? "-" : "",
                 (unsigned long long)v->mag);
    else if (n < sizeof v->text)
        snprintf(v->text, sizeof v->text, "%.*s", (int)n, lit);
    else
        snprintf(v->text, sizeof v->text, "%.40s...", lit);
}

/* Accumulates digits of base 10 or 16 from s[*i]; returns the number of digits. */
static size_t int_digits(const char *s, size_t n, size_t *i, unsigned base, scn__int *v)
{
    size_t count = 0;
    for (; *i < n; (*i)++, count++) {
        int d = base == 16 ? hex_value(s[*i]) : (is_digit(s[*i]) ? s[*i] - '0' : -1);
        if (d < 0)
            break;
        if (v->mag > (UINT64_MAX - (uint64_t)d) / base)
            v->overflow = 1;
        else
            v->mag = v->mag * base + (uint64_t)d;
    }
    return count;
}

size_t scn__int_literal(const char *s, size_t n, scn__int *out)
{
    scn__int v;
    memset(&v, 0, sizeof v);
    size_t i = 0;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        v.neg = s[i++] == '-';
    unsigned base = 10;
    if (i + 1 < n && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X'))
        base = 16, i += 2;
    if (int_digits(s, n, &i, base, &v) == 0)
        return 0;
    if (i < n && s[i] == 'L') {
        v.has_l = 1, i++;
        if (i < n && s[i] == 'L')
            i++;
    }
    if (i < n && (is_alnum(s[i]) || s[i] == '.'))
        return 0; /* a float ("5.0", "1e9") or junk, not an integer literal */
    int_render(&v, s, i);
    *out = v;
    return i;
}

int scn__int_decimal(const char *s, scn__int *out)
{
    size_t n = strlen(s);
    scn__int v;
    memset(&v, 0, sizeof v);
    size_t i = 0;
    if (i < n && s[i] == '-')
        v.neg = 1, i++;
    if (int_digits(s, n, &i, 10, &v) == 0 || i != n)
        return -1;
    int_render(&v, s, n);
    *out = v;
    return 0;
}

void scn__int_from_i64(long long x, scn__int *out)
{
    memset(out, 0, sizeof *out);
    out->neg = x < 0;
    out->mag = x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;
    out->has_l = 1;
    int_render(out, "", 0);
}

/* ---- forward scanner --------------------------------------------------------------------- */

void scn__lex_init(scn__lex *lx, const char *text, size_t n)
{
    memset(lx, 0, sizeof *lx);
    lx->p = text, lx->n = n, lx->line = 1;
}

static void lex_advance(scn__lex *lx)
{
    if (lx->p[lx->pos] == '\n')
        lx->line++;
    lx->pos++;
}

/* Skips blanks and the three comment forms (#, //, slash-star). */
static void lex_skip(scn__lex *lx)
{
    while (lx->pos < lx->n) {
        char c = lx->p[lx->pos], d = lx->pos + 1 < lx->n ? lx->p[lx->pos + 1] : '\0';
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            lex_advance(lx);
        } else if (c == '#' || (c == '/' && d == '/')) {
            while (lx->pos < lx->n && lx->p[lx->pos] != '\n')
                lx->pos++;
        } else if (c == '/' && d == '*') {
            unsigned start = lx->line;
            lx->pos += 2;
            while (lx->pos < lx->n &&
                   !(lx->p[lx->pos] == '*' && lx->pos + 1 < lx->n && lx->p[lx->pos + 1] == '/'))
                lex_advance(lx);
            if (lx->pos >= lx->n && !lx->open_kind)
                lx->open_kind = 2, lx->open_line = start;
            lx->pos = lx->pos + 2 <= lx->n ? lx->pos + 2 : lx->n;
        } else {
            return;
        }
    }
}

static void lex_skip_string(scn__lex *lx)
{
    unsigned start = lx->line;
    lx->pos++; /* opening quote */
    while (lx->pos < lx->n && lx->p[lx->pos] != '"') {
        if (lx->p[lx->pos] == '\\' && lx->pos + 1 < lx->n)
            lx->pos++;
        lex_advance(lx);
    }
    if (lx->pos < lx->n)
        lx->pos++;
    else if (!lx->open_kind)
        lx->open_kind = 1, lx->open_line = start;
}

static int ident_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '*';
}

static int ident_char(char c)
{
    return ident_start(c) || is_digit(c) || c == '_' || c == '-';
}

/* After the name: `=` or `:`, then an integer literal. */
static int lex_assignment(scn__lex *lx, const char **lit, size_t *litlen)
{
    scn__lex t = *lx;
    scn__int v;
    lex_skip(&t);
    if (t.pos >= t.n || (t.p[t.pos] != '=' && t.p[t.pos] != ':'))
        return -1;
    t.pos++;
    lex_skip(&t);
    size_t k = scn__int_literal(t.p + t.pos, t.n - t.pos, &v);
    if (k == 0)
        return -1;
    *lit = t.p + t.pos, *litlen = k;
    t.pos += k;
    *lx = t;
    return 0;
}

/* Consumes one token that is not a blank or a comment. Returns 1 for an identifier equal to
** name that starts on `line`. */
static int lex_token(scn__lex *lx, const char *name, unsigned line)
{
    char c = lx->p[lx->pos];
    if (c == '"') {
        lex_skip_string(lx);
        return 0;
    }
    if (ident_start(c)) {
        size_t start = lx->pos;
        unsigned at = lx->line;
        while (lx->pos < lx->n && ident_char(lx->p[lx->pos]))
            lx->pos++;
        size_t len = lx->pos - start;
        return at == line && strlen(name) == len && memcmp(lx->p + start, name, len) == 0;
    }
    if (is_alnum(c) || c == '.') { /* a number: swallow it whole, exponent sign included */
        while (lx->pos < lx->n && (is_alnum(lx->p[lx->pos]) || lx->p[lx->pos] == '.' ||
                                   ((lx->p[lx->pos] == '+' || lx->p[lx->pos] == '-') &&
                                    (lx->p[lx->pos - 1] == 'e' || lx->p[lx->pos - 1] == 'E'))))
            lx->pos++;
        return 0;
    }
    lex_advance(lx);
    return 0;
}

unsigned scn__lex_unterminated(const char *text, size_t n, int *kind)
{
    scn__lex lx;
    scn__lex_init(&lx, text, n);
    for (;;) {
        lex_skip(&lx);
        if (lx.pos >= lx.n)
            break;
        lex_token(&lx, "", 0);
    }
    *kind = lx.open_kind;
    return lx.open_kind ? lx.open_line : 0;
}

int scn__lex_find_int(scn__lex *lx, const char *name, unsigned line, const char **lit,
                      size_t *litlen)
{
    scn__lex saved = *lx;
    for (;;) {
        lex_skip(lx);
        if (lx->pos >= lx->n || lx->line > line)
            break;
        if (lex_token(lx, name, line) && lex_assignment(lx, lit, litlen) == 0)
            return 0;
    }
    *lx = saved;
    return -1;
}

int scn__lex_next_int(scn__lex *lx, unsigned line, const char **lit, size_t *litlen)
{
    scn__lex saved = *lx;
    for (;;) {
        lex_skip(lx);
        if (lx->pos >= lx->n || lx->line > line)
            break;
        size_t start = lx->pos;
        int here = lx->line == line && is_digit(lx->p[start]);
        lex_token(lx, "", 0); /* a number is swallowed whole, so 1.5 is not taken for 1 */
        scn__int v;
        if (here && scn__int_literal(lx->p + start, lx->pos - start, &v) == lx->pos - start) {
            if (start > 0 && (lx->p[start - 1] == '-' || lx->p[start - 1] == '+'))
                start--; /* the sign is a token of its own to the scanner */
            *lit = lx->p + start, *litlen = lx->pos - start;
            return 0;
        }
    }
    *lx = saved;
    return -1;
}

unsigned scn__nesting_too_deep(const char *text, size_t n, unsigned max)
{
    scn__lex lx;
    unsigned depth = 0;
    scn__lex_init(&lx, text, n);
    for (;;) {
        lex_skip(&lx);
        if (lx.pos >= lx.n)
            return 0;
        char c = lx.p[lx.pos];
        if ((c == '{' || c == '(' || c == '[') && ++depth > max)
            return lx.line;
        if ((c == '}' || c == ')' || c == ']') && depth > 0)
            depth--;
        lex_token(&lx, "", 0);
    }
}
