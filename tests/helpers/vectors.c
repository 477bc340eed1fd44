/* vectors.c: reward-cases/1 loader (vectors.h). Decimal strings are parsed into 128 bits with
 * 32-bit limbs so the helper works without compiler extensions. */
#include "vectors.h"
#include "tdb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int tsv_open(tsv_file *f, const char *name)
{
    json_error_t je;
    const json_t *fmt;
    char rel[256];
    memset(f, 0, sizeof *f);
    snprintf(rel, sizeof rel, "conformance/vectors/%s.json", name);
    snprintf(f->path, sizeof f->path, "%s", tdb_shared(rel));
    f->root = json_load_file(f->path, 0, &je);
    if (!f->root) {
        snprintf(f->err, sizeof f->err, "%s: %s (line %d)", f->path, je.text, je.line);
        return -1;
    }
    fmt = json_object_get(f->root, "format");
    if (!json_is_string(fmt) || strcmp(json_string_value(fmt), "reward-cases/1") != 0) {
        snprintf(f->err, sizeof f->err, "%s: format is not reward-cases/1", f->path);
        return -1;
    }
    f->cases = json_object_get(f->root, "cases");
    if (!json_is_array(f->cases) || json_array_size(f->cases) == 0) {
        snprintf(f->err, sizeof f->err, "%s: no cases", f->path);
        return -1;
    }
    f->ncases = json_array_size(f->cases);
    return 0;
}

void tsv_close(tsv_file *f)
{
    if (f && f->root) {
        json_decref(f->root);
        f->root = NULL;
        f->cases = NULL;
        f->ncases = 0;
    }
}

json_t *tsv_in(const tsv_file *f, size_t i, const char *key)
{
    return json_object_get(json_object_get(json_array_get(f->cases, i), "in"), key);
}

json_t *tsv_out(const tsv_file *f, size_t i)
{
    return json_object_get(json_array_get(f->cases, i), "out");
}

const char *tsv_note(const tsv_file *f, size_t i)
{
    const json_t *n = json_object_get(json_array_get(f->cases, i), "note");
    return json_is_string(n) ? json_string_value(n) : "";
}

/* Magnitude of a JSON integer or decimal string into 4 base-2^32 limbs; *neg for a '-'. */
static int parse_mag(const json_t *v, uint32_t d[4], int *neg)
{
    memset(d, 0, 4 * sizeof d[0]);
    *neg = 0;
    if (json_is_integer(v)) {
        json_int_t x = json_integer_value(v);
        uint64_t m = x < 0 ? 0u - (uint64_t)x : (uint64_t)x;
        *neg = x < 0;
        d[0] = (uint32_t)m;
        d[1] = (uint32_t)(m >> 32);
        return 0;
    }
    if (!json_is_string(v))
        return -1;
    const char *s = json_string_value(v);
    if (*s == '-') {
        *neg = 1;
        s++;
    }
    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        uint64_t carry = (uint64_t)(*s - '0');
        for (int i = 0; i < 4; i++) {
            uint64_t t = (uint64_t)d[i] * 10u + carry;
            d[i] = (uint32_t)t;
            carry = t >> 32;
        }
        if (carry)
            return -1; /* >= 2^128 */
    }
    return 0;
}

int tsv_u128(const json_t *v, uint64_t *hi, uint64_t *lo)
{
    uint32_t d[4];
    int neg;
    if (parse_mag(v, d, &neg))
        return -1;
    *lo = d[0] | ((uint64_t)d[1] << 32);
    *hi = d[2] | ((uint64_t)d[3] << 32);
    if (neg && (*lo | *hi))
        return -1;
    return 0;
}

int tsv_i128(const json_t *v, uint64_t *hi, uint64_t *lo)
{
    uint32_t d[4];
    int neg;
    uint64_t h, l;
    if (parse_mag(v, d, &neg))
        return -1;
    l = d[0] | ((uint64_t)d[1] << 32);
    h = d[2] | ((uint64_t)d[3] << 32);
    if (!neg) {
        if (h >> 63)
            return -1;
    } else {
        if ((h >> 63) && !(h == (uint64_t)1 << 63 && l == 0))
            return -1;
        /* two's complement negation */
        l = ~l + 1u;
        h = ~h + (l == 0 ? 1u : 0u);
    }
    *hi = h;
    *lo = l;
    return 0;
}

int tsv_u64(const json_t *v, uint64_t *out)
{
    uint64_t hi, lo;
    if (tsv_u128(v, &hi, &lo) || hi)
        return -1;
    *out = lo;
    return 0;
}

int tsv_i64(const json_t *v, int64_t *out)
{
    uint64_t hi, lo;
    if (tsv_i128(v, &hi, &lo))
        return -1;
    if (!((hi == 0 && !(lo >> 63)) || (hi == UINT64_MAX && (lo >> 63))))
        return -1;
    *out = (lo >> 63) ? -(int64_t)(~lo) - 1 : (int64_t)lo;
    return 0;
}

int tsv_u16(const json_t *v, uint16_t *out)
{
    uint64_t x;
    if (tsv_u64(v, &x) || x > UINT16_MAX)
        return -1;
    *out = (uint16_t)x;
    return 0;
}

int tsv_bool(const json_t *v, int *out)
{
    if (!json_is_boolean(v))
        return -1;
    *out = json_is_true(v);
    return 0;
}

/* NOLINTBEGIN(bugprone-macro-parentheses): `type` names a type, which cannot be parenthesised */
#define TSV_ARRAY_READER(fname, type, reader)                                                      \
    int fname(const json_t *v, type *out, size_t cap, size_t *n)                                   \
    {                                                                                              \
        size_t len;                                                                                \
        if (!json_is_array(v))                                                                     \
            return -1;                                                                             \
        len = json_array_size(v);                                                                  \
        if (len > cap)                                                                             \
            return -1;                                                                             \
        for (size_t i = 0; i < len; i++)                                                           \
            if (reader(json_array_get(v, i), &out[i]))                                             \
                return -1;                                                                         \
        *n = len;                                                                                  \
        return 0;                                                                                  \
    }

/* NOLINTEND(bugprone-macro-parentheses) */

TSV_ARRAY_READER(tsv_i64_array, int64_t, tsv_i64)
TSV_ARRAY_READER(tsv_u64_array, uint64_t, tsv_u64)
TSV_ARRAY_READER(tsv_u16_array, uint16_t, tsv_u16)
TSV_ARRAY_READER(tsv_bool_array, int, tsv_bool)

int tsv_i64_matrix(const json_t *v, int64_t *out, size_t cap, size_t *rows, size_t *cols)
{
    size_t r, c = 0, k = 0;
    if (!json_is_array(v))
        return -1;
    r = json_array_size(v);
    for (size_t i = 0; i < r; i++) {
        const json_t *row = json_array_get(v, i);
        size_t len;
        if (!json_is_array(row))
            return -1;
        if (i == 0)
            c = json_array_size(row);
        if (tsv_i64_array(row, out + k, cap - k, &len) || len != c)
            return -1;
        k += len;
    }
    *rows = r;
    *cols = c;
    return 0;
}

int tsv_sparse(const json_t *v, size_t *row_ptr, size_t cap_rows, uint32_t *col, int64_t *val,
               size_t cap_pairs, size_t *rows)
{
    size_t r, k = 0;
    if (!json_is_array(v) || (r = json_array_size(v)) > cap_rows)
        return -1;
    row_ptr[0] = 0;
    for (size_t i = 0; i < r; i++) {
        const json_t *row = json_array_get(v, i);
        if (!json_is_array(row))
            return -1;
        for (size_t j = 0; j < json_array_size(row); j++) {
            const json_t *pair = json_array_get(row, j);
            uint64_t c;
            if (k >= cap_pairs || !json_is_array(pair) || json_array_size(pair) != 2 ||
                tsv_u64(json_array_get(pair, 0), &c) || c > UINT32_MAX ||
                tsv_i64(json_array_get(pair, 1), &val[k]))
                return -1;
            col[k++] = (uint32_t)c;
        }
        row_ptr[i + 1] = k;
    }
    *rows = r;
    return 0;
}
