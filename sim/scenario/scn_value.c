/*
** scn_value.c: one key's value, from a libconfig setting or from text (--set and defaults),
** converted to its declared type and checked against its range.
**
** Both paths end in the same validators, so a value is accepted or refused with the same
** message whether it came from the file or from --set; only the location prefix differs.
** Integers are never taken from libconfig blindly: the literal is re-read from the file text
** (scn_source.c) so that libconfig 1.5's silent truncation to 32 bits becomes an error, and its
** clamping of L literals to the int64 range cannot hide an out-of-range value.
*/
#include <libconfig.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn_int.h"

/* ---- messages ---------------------------------------------------------------------------- */

/* Bytes that are not valid UTF-8 quoted as "\xNN" (printable ASCII kept), so that a message
** never carries them to a terminal, a log or an HTML page. */
static char *quoted_bytes(const char *s, size_t n)
{
    scn__buf b = {0};
    scn__buf_puts(&b, "\"");
    for (size_t i = 0; i < n && i < 80; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\')
            scn__buf_put(&b, s + i, 1);
        else
            scn__buf_printf(&b, "\\x%02X", c);
    }
    scn__buf_puts(&b, n > 80 ? "\"..." : "\"");
    return scn__buf_take(&b);
}

/* A value quoted for a message: JSON-escaped, shortened to about 80 bytes. */
static char *quoted(const char *s)
{
    scn__buf b = {0};
    size_t n = strlen(s);
    if (!scn__utf8_valid(s, n))
        return quoted_bytes(s, n);
    if (n <= 80) {
        scn__buf_json_string(&b, s);
    } else {
        size_t cut = 77;
        while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
            cut--; /* keep whole UTF-8 sequences */
        char *head = malloc(cut + 1);
        if (!head)
            return NULL;
        memcpy(head, s, cut);
        head[cut] = '\0';
        scn__buf_json_string(&b, head);
        free(head);
        scn__buf_puts(&b, "...");
    }
    return scn__buf_take(&b);
}

const char *scn__setting_type_name(int t)
{
    switch (t) {
    case CONFIG_TYPE_GROUP:
        return "group";
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64:
        return "integer";
    case CONFIG_TYPE_FLOAT:
        return "float";
    case CONFIG_TYPE_STRING:
        return "string";
    case CONFIG_TYPE_BOOL:
        return "boolean";
    case CONFIG_TYPE_ARRAY:
        return "array";
    case CONFIG_TYPE_LIST:
        return "list";
    default:
        return "nothing";
    }
}

static const char *expected_text(int k)
{
    if (scn__keys[k].kind == SCN__AMOUNT)
        return "token amount (a decimal string such as \"0.5\", or an integer)";
    return scn__kind_expected(scn__keys[k].kind);
}

static void reject(scn__loader *ld, int k)
{
    scn__slot(ld, k)->bad = 1;
}

static void out_of_range(scn__loader *ld, int k, scn__loc l, const char *value)
{
    char range[160];
    scn__key_range(k, range, sizeof range);
    scn__report(ld, l, "%s = %s is out of range %s", scn__kpath(ld, k), value, range);
    reject(ld, k);
}

/* ---- validators (shared by file and text) ------------------------------------------------ */

static int name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
}

static int name_ok(const scn__key *d, const char *s)
{
    size_t n = strlen(s);
    if (n < d->min || n > d->max)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!name_char(s[i]))
            return 0;
    return 1;
}

static int has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7F)
            return 1;
    return 0;
}

/* 1 when a path leaves the directory it is resolved against: absolute, or a `..` component. */
static int path_escapes(const char *s)
{
    if (s[0] == '/')
        return 1;
    for (const char *p = s;;) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        if (n == 2 && p[0] == '.' && p[1] == '.')
            return 1;
        if (!slash)
            return 0;
        p = slash + 1;
    }
}

/* A scenario file is input from anyone: the files it names (snapshots, graphs) must lie under
** its own directory, so that a shared scenario cannot make tokensim read, and quote in its
** error messages, files elsewhere. The operator's own --set may name any file. */
static int path_refused(const scn__loader *ld, scn__loc l, const scn__key *d, const char *s)
{
    return d->strcheck == SCN__STR_PATH && ld->from_file && l.cls != SCN__CLS_SET &&
           path_escapes(s);
}

static void check_string(scn__loader *ld, int k, scn__loc l, const char *s)
{
    const scn__key *d = &scn__keys[k];
    size_t n = strlen(s);
    char *q = quoted(s), range[160];
    scn__key_range(k, range, sizeof range);
    if (d->strcheck == SCN__STR_NAME && !name_ok(d, s)) {
        scn__report(ld, l, "%s = %s is invalid: use %s", scn__kpath(ld, k), q ? q : "?", range);
        reject(ld, k);
    } else if (d->strcheck != SCN__STR_NAME && !scn__utf8_valid(s, n)) {
        scn__report(ld, l, "%s is not valid UTF-8", scn__kpath(ld, k));
        reject(ld, k);
    } else if (d->strcheck == SCN__STR_PATH && has_control(s)) {
        scn__report(ld, l, "%s = %s contains a control character", scn__kpath(ld, k), q ? q : "?");
        reject(ld, k);
    } else if (path_refused(ld, l, d, s)) {
        scn__report(ld, l,
                    "%s = %s leaves the scenario's directory: a scenario file may only name "
                    "files below its own directory (no absolute path, no '..'; --set may)",
                    scn__kpath(ld, k), q ? q : "?");
        reject(ld, k);
    } else if (d->strcheck != SCN__STR_NAME && scn__utf8_length(s, n) > d->max) {
        scn__report(ld, l, "%s is too long (%zu characters, at most %llu)", scn__kpath(ld, k),
                    scn__utf8_length(s, n), (unsigned long long)d->max);
        reject(ld, k);
    } else if (!(scn__slot(ld, k)->s = scn__strdup(s))) {
        ld->oom = 1;
    }
    free(q);
}

static void check_enum(scn__loader *ld, int k, scn__loc l, const char *s)
{
    const scn__key *d = &scn__keys[k];
    for (size_t i = 0; d->choices[i]; i++)
        if (strcmp(d->choices[i], s) == 0) {
            scn__slot(ld, k)->u = i;
            return;
        }
    char *q = quoted(s), range[160];
    scn__key_range(k, range, sizeof range);
    const char *hint = NULL;
    for (size_t i = 0; d->choices[i] && !hint; i++)
        if (scn__edit_distance(s, d->choices[i], 2) <= 2)
            hint = d->choices[i];
    if (hint)
        scn__report(ld, l, "%s = %s is not one of %s (did you mean \"%s\"?)", scn__kpath(ld, k),
                    q ? q : "?", range, hint);
    else
        scn__report(ld, l, "%s = %s is not one of %s", scn__kpath(ld, k), q ? q : "?", range);
    free(q);
    reject(ld, k);
}

static void check_uint(scn__loader *ld, int k, scn__loc l, const scn__int *v)
{
    const scn__key *d = &scn__keys[k];
    if (v->overflow || (v->neg && v->mag) || v->mag < d->min || v->mag > d->max)
        out_of_range(ld, k, l, v->text);
    else
        scn__slot(ld, k)->u = v->mag;
}

static void check_double(scn__loader *ld, int k, scn__loc l, double x)
{
    const scn__key *d = &scn__keys[k];
    if (!isfinite(x) || x < d->dmin || (d->dmin_open && x == d->dmin) || x > d->dmax) {
        char txt[40];
        if (isfinite(x))
            scn__format_double(x, txt, sizeof txt);
        else
            snprintf(txt, sizeof txt, "%s", x < 0 ? "-inf" : "inf");
        out_of_range(ld, k, l, txt);
    } else {
        scn__slot(ld, k)->d = x;
    }
}

static void amount_range(scn__loader *ld, int k, scn__loc l, uint64_t units, const char *shown)
{
    if (units < scn__keys[k].min || units > scn__keys[k].max)
        out_of_range(ld, k, l, shown);
    else
        scn__slot(ld, k)->u = units;
}

static void check_amount_text(scn__loader *ld, int k, scn__loc l, const char *s)
{
    uint64_t units = 0;
    int rc = scn_amount_parse(s, &units);
    char *q = quoted(s);
    if (rc != SCN_AMOUNT_OK) {
        scn__report(ld, l, "%s = %s: %s", scn__kpath(ld, k), q ? q : "?", scn_amount_strerror(rc));
        reject(ld, k);
    } else {
        amount_range(ld, k, l, units, q ? q : "?");
    }
    free(q);
}

/* An integer amount means whole tokens. */
static void check_amount_int(scn__loader *ld, int k, scn__loc l, const scn__int *v)
{
    int rc = SCN_AMOUNT_OK;
    if (v->neg && v->mag)
        rc = SCN_AMOUNT_NEGATIVE;
    else if (v->overflow || v->mag > UINT64_MAX / SCN_UNITS_PER_TOKEN)
        rc = SCN_AMOUNT_OVERFLOW;
    if (rc != SCN_AMOUNT_OK) {
        scn__report(ld, l, "%s = %s: %s", scn__kpath(ld, k), v->text, scn_amount_strerror(rc));
        reject(ld, k);
        return;
    }
    amount_range(ld, k, l, v->mag * SCN_UNITS_PER_TOKEN, v->text);
}

/* ---- from a libconfig setting ------------------------------------------------------------ */

/* libconfig 1.5 keeps the low 32 bits of a literal without L: the value it would report. */
static long long truncated32(const scn__int *v)
{
    uint32_t low = (uint32_t)(v->neg ? (uint64_t)0 - v->mag : v->mag);
    return low > 0x7FFFFFFFu ? (long long)low - 4294967296LL : (long long)low;
}

static int fits_int32(const scn__int *v)
{
    return !v->overflow && (v->neg ? v->mag <= 2147483648u : v->mag <= 2147483647u);
}

/* 1 when literal v is the one libconfig read as `stored` (the scanner found the right place). */
static int literal_matches(const scn__int *v, long long stored)
{
    const uint64_t two63 = 9223372036854775808ull;
    if (v->overflow)
        return 1; /* beyond 2^64: whatever libconfig made of it, the text is the truth */
    if (v->neg ? v->mag <= two63 : v->mag < two63) {
        long long exact =
            v->neg ? (v->mag == two63 ? (-9223372036854775807LL - 1) : -(long long)v->mag)
                   : (long long)v->mag;
        return exact == stored;
    }
    return v->has_l; /* libconfig clamps L literals beyond the int64 range */
}

/* The exact integer written in the file for setting c. Returns 0, or -1 after reporting a
** literal that libconfig truncated. */
static int setting_int(scn__loader *ld, int k, const config_setting_t *c, scn__int *out)
{
    const char *lit;
    size_t n;
    long long stored = config_setting_type(c) == CONFIG_TYPE_INT64 ? config_setting_get_int64(c)
                                                                   : config_setting_get_int(c);
    unsigned line = config_setting_source_line(c);
    scn__int_from_i64(stored, out);
    if (scn__lex_find_int(&ld->lex, config_setting_name(c), line, &lit, &n) != 0)
        return 0; /* not located: libconfig's value is all there is */
    scn__int v;
    scn__int_literal(lit, n, &v);
    if (!v.has_l && !v.overflow && !fits_int32(&v) && truncated32(&v) == stored) {
        scn__report(ld, scn__loc_line(line),
                    "integer %.*s needs the L suffix (libconfig would truncate it to %lld)", (int)n,
                    lit, stored);
        reject(ld, k);
        return -1;
    }
    if (literal_matches(&v, stored))
        *out = v;
    return 0;
}

int scn__setting_text(scn__loader *ld, const config_setting_t *c, const char *what, char *buf,
                      size_t len)
{
    unsigned line = config_setting_source_line(c);
    int t = config_setting_type(c);
    const char *lit = NULL, *name = config_setting_name(c), *str;
    size_t n = 0;
    if (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64) {
        long long stored =
            t == CONFIG_TYPE_INT64 ? config_setting_get_int64(c) : config_setting_get_int(c);
        snprintf(buf, len, "%lld", stored);
        int found = name ? scn__lex_find_int(&ld->lex, name, line, &lit, &n)
                         : scn__lex_next_int(&ld->lex, line, &lit, &n);
        scn__int v;
        if (found != 0 || scn__int_literal(lit, n, &v) == 0)
            return 0; /* not located: libconfig's value is all there is */
        if (!v.has_l && !v.overflow && !fits_int32(&v) && truncated32(&v) == stored) {
            scn__report(ld, scn__loc_line(line),
                        "%s: integer %.*s needs the L suffix (libconfig would truncate it to "
                        "%lld)",
                        what, (int)n, lit, stored);
            return -1;
        }
        if (!literal_matches(&v, stored) && !v.overflow) /* clamped L literal: the text rules */
            snprintf(buf, len, "%s%llu", v.neg ? "-" : "", (unsigned long long)v.mag);
        return 0;
    }
    if (t == CONFIG_TYPE_FLOAT) {
        scn__format_double(config_setting_get_float(c), buf, len);
    } else if (t == CONFIG_TYPE_BOOL) {
        snprintf(buf, len, "%s", config_setting_get_bool(c) ? "true" : "false");
    } else if (t == CONFIG_TYPE_STRING && (str = config_setting_get_string(c)) != NULL &&
               strlen(str) < len) {
        snprintf(buf, len, "%s", str);
    } else if (t == CONFIG_TYPE_STRING) {
        scn__report(ld, scn__loc_line(line), "%s is too long (at most %zu bytes)", what, len - 1);
        return -1;
    } else {
        scn__report(ld, scn__loc_line(line), "%s: expected a value, got %s", what,
                    scn__setting_type_name(t));
        return -1;
    }
    return 0;
}

static void type_error(scn__loader *ld, int k, scn__loc l, const char *got)
{
    scn__report(ld, l, "%s: expected %s, got %s", scn__kpath(ld, k), expected_text(k), got);
    reject(ld, k);
}

void scn__val_from_setting(scn__loader *ld, int k, const config_setting_t *c)
{
    scn__loc l = scn__loc_line(config_setting_source_line(c));
    int t = config_setting_type(c);
    int is_int = t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64;
    scn__int iv;
    switch (scn__keys[k].kind) {
    case SCN__STRING:
    case SCN__ENUM:
        if (t != CONFIG_TYPE_STRING)
            type_error(ld, k, l, scn__setting_type_name(t));
        else if (scn__keys[k].kind == SCN__STRING)
            check_string(ld, k, l, config_setting_get_string(c));
        else
            check_enum(ld, k, l, config_setting_get_string(c));
        break;
    case SCN__UINT:
        if (!is_int)
            type_error(ld, k, l, scn__setting_type_name(t));
        else if (setting_int(ld, k, c, &iv) == 0)
            check_uint(ld, k, l, &iv);
        break;
    case SCN__DOUBLE:
        if (t == CONFIG_TYPE_FLOAT)
            check_double(ld, k, l, config_setting_get_float(c));
        else if (!is_int)
            type_error(ld, k, l, scn__setting_type_name(t));
        else if (setting_int(ld, k, c, &iv) == 0)
            check_double(ld, k, l, iv.neg ? -(double)iv.mag : (double)iv.mag);
        break;
    case SCN__BOOL:
        if (t != CONFIG_TYPE_BOOL)
            type_error(ld, k, l, scn__setting_type_name(t));
        else
            scn__slot(ld, k)->u = config_setting_get_bool(c) ? 1 : 0;
        break;
    case SCN__AMOUNT:
        if (t == CONFIG_TYPE_STRING)
            check_amount_text(ld, k, l, config_setting_get_string(c));
        else if (!is_int)
            type_error(ld, k, l, scn__setting_type_name(t));
        else if (setting_int(ld, k, c, &iv) == 0)
            check_amount_int(ld, k, l, &iv);
        break;
    case SCN__GROUP:
    case SCN__LIST:
        break;
    }
}

/* ---- from text (--set, defaults) --------------------------------------------------------- */

/* "abc" or abc -> abc; inside quotes, \" \\ \n \t are unescaped. */
static char *unquote(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || s[0] != '"' || s[n - 1] != '"')
        return scn__strdup(s);
    char *out = calloc(n, 1); /* zeroed: every byte is defined whatever the escapes */
    if (!out)
        return NULL;
    size_t j = 0;
    for (size_t i = 1; i + 1 < n; i++) {
        char c = s[i];
        if (c == '\\' && i + 2 < n) {
            char e = s[++i];
            c = e == 'n' ? '\n' : e == 't' ? '\t' : e;
        }
        out[j++] = c;
    }
    out[j] = '\0';
    return out;
}

/* Decimal number: [+-]digits[.digits][(e|E)[+-]digits] (also .5 and 5.). */
static int parse_double(const char *s, double *out)
{
    size_t i = 0, digits = 0;
    if (s[i] == '+' || s[i] == '-')
        i++;
    for (; s[i] >= '0' && s[i] <= '9'; i++)
        digits++;
    if (s[i] == '.')
        for (i++; s[i] >= '0' && s[i] <= '9'; i++)
            digits++;
    if (digits == 0)
        return -1;
    if (s[i] == 'e' || s[i] == 'E') {
        i++;
        if (s[i] == '+' || s[i] == '-')
            i++;
        if (!(s[i] >= '0' && s[i] <= '9'))
            return -1;
        while (s[i] >= '0' && s[i] <= '9')
            i++;
    }
    if (s[i] != '\0')
        return -1;
    *out = strtod(s, NULL); /* overflow gives inf, which the range check refuses */
    return 0;
}

static int parse_bool(const char *s, uint64_t *out)
{
    static const char *const t = "true", *const f = "false";
    size_t n = strlen(s);
    int is_t = n == 4, is_f = n == 5;
    for (size_t i = 0; i < n && (is_t || is_f); i++) {
        char c = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] - 'A' + 'a') : s[i];
        is_t = is_t && c == t[i];
        is_f = is_f && c == f[i];
    }
    if (!is_t && !is_f)
        return -1;
    *out = is_t ? 1 : 0;
    return 0;
}

static void text_type_error(scn__loader *ld, int k, scn__loc l, const char *text)
{
    char *q = quoted(text);
    const char *what =
        scn__keys[k].kind == SCN__BOOL ? "boolean (true or false)" : expected_text(k);
    scn__report(ld, l, "%s: expected %s, got %s", scn__kpath(ld, k), what, q ? q : "?");
    free(q);
    reject(ld, k);
}

void scn__val_from_text(scn__loader *ld, int k, scn__loc l, const char *text)
{
    scn__kind kind = scn__keys[k].kind;
    scn__int iv;
    double d;
    if (kind == SCN__STRING || kind == SCN__ENUM || kind == SCN__AMOUNT) {
        char *s = unquote(text);
        if (!s)
            ld->oom = 1;
        else if (kind == SCN__STRING)
            check_string(ld, k, l, s);
        else if (kind == SCN__ENUM)
            check_enum(ld, k, l, s);
        else
            check_amount_text(ld, k, l, s);
        free(s);
    } else if (kind == SCN__UINT) {
        if (scn__int_decimal(text, &iv) != 0)
            text_type_error(ld, k, l, text);
        else
            check_uint(ld, k, l, &iv);
    } else if (kind == SCN__DOUBLE) {
        if (parse_double(text, &d) != 0)
            text_type_error(ld, k, l, text);
        else
            check_double(ld, k, l, d);
    } else if (kind == SCN__BOOL) {
        if (parse_bool(text, &scn__slot(ld, k)->u) != 0)
            text_type_error(ld, k, l, text);
    }
}
