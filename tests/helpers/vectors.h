/* vectors.h: a small loader for reward-cases/1 conformance vector files (test code only).
 *
 * A file is ../shared/conformance/vectors/<name>.json (see ../shared/conformance/FORMAT.md §2):
 * {"format": "reward-cases/1", "function": ..., "cases": [{"in": {...}, "out": ...}, ...]}.
 * tsv_open() finds it through $TOKENSIM_SHARED_DIR (set by ctest for every test), checks the
 * format tag and that "cases" is a non-empty array. Integers may be JSON integers or decimal
 * strings (values outside the signed 64-bit range are written as strings); every reader below
 * accepts both and range-checks the result. Readers return 0 on success and -1 on a type or
 * range error, with a message in the file's err buffer when a file is given.
 *
 * Depends on jansson only; knows nothing of the reward core's types (128-bit values come back
 * as two 64-bit words, two's complement for signed ones).
 */
#ifndef TOKENSIM_TESTS_VECTORS_H
#define TOKENSIM_TESTS_VECTORS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

typedef struct tsv_file {
    json_t *root;    /* the parsed document (owned) */
    json_t *cases;   /* root["cases"], borrowed */
    size_t ncases;   /* json_array_size(cases) */
    char path[1024]; /* file path, for messages */
    char err[1536];  /* last error message */
} tsv_file;

/* Open vectors/<name>.json (name without ".json"). Returns 0, or -1 with f->err set (missing
 * file, bad JSON, wrong format tag, no cases). f is always safe to tsv_close afterwards. */
int tsv_open(tsv_file *f, const char *name);
void tsv_close(tsv_file *f);

/* Case i's "in"[key] (NULL when absent) and "out". */
json_t *tsv_in(const tsv_file *f, size_t i, const char *key);
json_t *tsv_out(const tsv_file *f, size_t i);
/* Case i's "note", or "" */
const char *tsv_note(const tsv_file *f, size_t i);

/* Scalars: JSON integer or decimal string. */
int tsv_u64(const json_t *v, uint64_t *out);
int tsv_i64(const json_t *v, int64_t *out);
int tsv_u16(const json_t *v, uint16_t *out);
int tsv_bool(const json_t *v, int *out);
/* 128-bit: *hi, *lo words (two's complement for the signed reader). */
int tsv_u128(const json_t *v, uint64_t *hi, uint64_t *lo);
int tsv_i128(const json_t *v, uint64_t *hi, uint64_t *lo);

/* Arrays of scalars into caller buffers of `cap` entries; *n gets the length. */
int tsv_i64_array(const json_t *v, int64_t *out, size_t cap, size_t *n);
int tsv_u64_array(const json_t *v, uint64_t *out, size_t cap, size_t *n);
int tsv_u16_array(const json_t *v, uint16_t *out, size_t cap, size_t *n);
int tsv_bool_array(const json_t *v, int *out, size_t cap, size_t *n);

/* Dense matrix [[int]] in row-major order into out (cap entries): *rows, *cols (all rows must
 * have the same length; [] gives 0 x 0 and [[]] gives 1 x 0). */
int tsv_i64_matrix(const json_t *v, int64_t *out, size_t cap, size_t *rows, size_t *cols);

/* Sparse matrix [[[col, value]]] in CSR form: row_ptr (cap_rows + 1 entries) gets offsets,
 * col/val (cap_pairs entries) the pairs in stored order. */
int tsv_sparse(const json_t *v, size_t *row_ptr, size_t cap_rows, uint32_t *col, int64_t *val,
               size_t cap_pairs, size_t *rows);

#endif /* TOKENSIM_TESTS_VECTORS_H */
