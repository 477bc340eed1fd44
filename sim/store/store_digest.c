/*
** store_digest.c: the run digest, SHA-256 over a canonical serialisation of a run's metric rows.
**
** The format is documented in store.h ("tokensim-digest-v1"). Rows are read back from the
** database with ORDER BY over every column, so the digest depends only on the set of stored rows,
** never on insertion order, page layout, WAL state or provenance columns. Cost: one sort per
** table, O(n log n) in the run's rows; the serialised bytes are streamed through a 64 KiB buffer
** into OpenSSL's EVP SHA-256.
**
** When the run was begun on this store, `lo` holds each table's max rowid before the run began:
** all of the run's rows lie above it, so the scan skips earlier runs in a multi-run file.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "store_int.h"

/* Streaming hasher with a staging buffer. */
typedef struct hasher {
    EVP_MD_CTX *md;           /* OpenSSL digest context */
    size_t n;                 /* bytes staged in buf */
    int ok;                   /* 0 once an OpenSSL call failed */
    unsigned char buf[65536]; /* staged bytes */
} hasher;

static void h_drain(hasher *h)
{
    if (h->n && EVP_DigestUpdate(h->md, h->buf, h->n) != 1)
        h->ok = 0;
    h->n = 0;
}

static void h_put(hasher *h, const void *p, size_t len)
{
    if (len > sizeof h->buf - h->n) {
        h_drain(h);
        if (len > sizeof h->buf) {
            if (EVP_DigestUpdate(h->md, p, len) != 1)
                h->ok = 0;
            return;
        }
    }
    memcpy(h->buf + h->n, p, len);
    h->n += len;
}

static void h_str(hasher *h, const char *s)
{
    h_put(h, s, strlen(s));
}

static void to_hex(const unsigned char *bytes, size_t n, char *hex)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        hex[2 * i] = digits[bytes[i] >> 4];
        hex[2 * i + 1] = digits[bytes[i] & 15];
    }
    hex[2 * n] = '\0';
}

/* Decimal of an unsigned magnitude, written backwards into the end of buf; returns start. */
static char *u64_dec(uint64_t v, char *end)
{
    do {
        *--end = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return end;
}

static void h_u64(hasher *h, uint64_t v)
{
    char buf[24];
    char *s = u64_dec(v, buf + sizeof buf);
    h_put(h, s, (size_t)(buf + sizeof buf - s));
}

/* "i<decimal>;" */
static void field_int(hasher *h, int64_t v)
{
    char buf[24];
    char *end = buf + sizeof buf;
    *--end = ';';
    /* Negate in unsigned arithmetic so INT64_MIN has no overflow. */
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    char *s = u64_dec(mag, end);
    if (v < 0)
        *--s = '-';
    *--s = 'i';
    h_put(h, s, (size_t)(buf + sizeof buf - s));
}

/* "f<16 hex of the IEEE bits>;" */
static void field_real(hasher *h, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    char buf[18];
    buf[0] = 'f';
    for (int i = 0; i < 16; i++)
        buf[1 + i] = "0123456789abcdef"[(bits >> (60 - 4 * i)) & 15];
    buf[17] = ';';
    h_put(h, buf, sizeof buf);
}

/* "s<len>:<bytes>;" */
static void field_text(hasher *h, const unsigned char *p, int len)
{
    h_put(h, "s", 1);
    h_u64(h, (uint64_t)len);
    h_put(h, ":", 1);
    h_put(h, p, (size_t)len);
    h_put(h, ";", 1);
}

static void field(hasher *h, sqlite3_stmt *s, int col)
{
    switch (sqlite3_column_type(s, col)) {
    case SQLITE_INTEGER:
        field_int(h, sqlite3_column_int64(s, col));
        break;
    case SQLITE_FLOAT:
        field_real(h, sqlite3_column_double(s, col));
        break;
    case SQLITE_NULL:
        h_put(h, "n;", 2);
        break;
    default: {
        /* TEXT (and BLOB, which our writer never stores) as length-prefixed bytes. */
        const unsigned char *p = sqlite3_column_text(s, col);
        field_text(h, p ? p : (const unsigned char *)"", sqlite3_column_bytes(s, col));
        break;
    }
    }
}

/* Serialised columns (schema order minus run_id) and the canonical row order per table. */
static const char *const digest_sql[STORE__NTABLES] = {
    "SELECT entity_id, kind, role, name, group_id FROM entities WHERE run_id = ?1 AND rowid > ?2"
    " ORDER BY entity_id, kind, role, name, group_id",
    "SELECT t, block, metric, entity_id, value FROM series WHERE run_id = ?1 AND rowid > ?2"
    " ORDER BY metric, entity_id, t, block, typeof(value), value",
    "SELECT seq, t, kind, src, dst, amount, reason FROM ledger WHERE run_id = ?1 AND rowid > ?2"
    " ORDER BY seq, t, kind, src, dst, amount, reason",
    "SELECT net, block, uid, stake, consensus, incentive, dividends, validator_trust, permit,"
    " emission FROM epochs WHERE run_id = ?1 AND rowid > ?2 ORDER BY net, block, uid, stake,"
    " consensus, incentive, dividends, validator_trust, permit, emission",
};

static int hash_table(store *st, hasher *h, int k, int64_t run_id, int64_t lo)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, digest_sql[k], -1, &s, NULL);
    if (rc != SQLITE_OK)
        return store__sqlfail(st, rc, "digest: preparing the row query");
    sqlite3_bind_int64(s, 1, run_id);
    sqlite3_bind_int64(s, 2, lo);
    h_str(h, store__tables[k].name);
    h_put(h, "\n", 1);
    int ncols = sqlite3_column_count(s);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        for (int c = 0; c < ncols; c++)
            field(h, s, c);
        h_put(h, "\n", 1);
    }
    int code = rc == SQLITE_DONE ? STORE_OK : store__sqlfail(st, rc, "digest: reading rows");
    sqlite3_finalize(s);
    return code;
}

/* seed, scenario_sha256 and params_json of the run: the run's inputs (the effective parameters
** after --set overrides are not in the scenario text). */
static int hash_run(store *st, hasher *h, int64_t run_id)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, "SELECT seed, scenario_sha256, params_json FROM runs WHERE run_id = ?1",
                                -1, &s, NULL);
    if (rc != SQLITE_OK)
        return store__sqlfail(st, rc, "digest: preparing the run query");
    sqlite3_bind_int64(s, 1, run_id);
    rc = sqlite3_step(s);
    int code = STORE_OK;
    if (rc == SQLITE_ROW) {
        h_str(h, "tokensim-digest-v1\nseed ");
        h_u64(h, (uint64_t)sqlite3_column_int64(s, 0));
        h_str(h, "\nscenario_sha256 ");
        const unsigned char *sha = sqlite3_column_text(s, 1);
        h_put(h, sha ? sha : (const unsigned char *)"", (size_t)sqlite3_column_bytes(s, 1));
        h_str(h, "\nparams ");
        field(h, s, 2);
        h_put(h, "\n", 1);
    } else if (rc == SQLITE_DONE) {
        code = store__fail(st, STORE_ENOTFOUND, "%s: digest: no run %lld", st->path,
                           (long long)run_id);
    } else {
        code = store__sqlfail(st, rc, "digest: reading the run");
    }
    sqlite3_finalize(s);
    return code;
}

static int digest_into(store *st, hasher *h, int64_t run_id, const int64_t lo[STORE__NTABLES],
                       char hex[65])
{
    if (EVP_DigestInit_ex(h->md, EVP_sha256(), NULL) != 1)
        return store__fail(st, STORE_ESQL, "%s: digest: SHA-256 unavailable", st->path);
    int rc = hash_run(st, h, run_id);
    for (int k = 0; k < STORE__NTABLES && rc == STORE_OK; k++)
        rc = hash_table(st, h, k, run_id, lo ? lo[k] : 0);
    if (rc != STORE_OK)
        return rc;
    h_str(h, "end\n");
    h_drain(h);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (!h->ok || EVP_DigestFinal_ex(h->md, md, &mdlen) != 1 || mdlen != 32)
        return store__fail(st, STORE_ESQL, "%s: digest: SHA-256 failed", st->path);
    to_hex(md, 32, hex);
    return STORE_OK;
}

int store__digest(store *st, int64_t run_id, const int64_t lo[STORE__NTABLES], char hex[65])
{
    hasher *h = calloc(1, sizeof *h);
    if (!h)
        return store__fail(st, STORE_ENOMEM, "%s: digest: out of memory", st->path);
    h->ok = 1;
    h->md = EVP_MD_CTX_new();
    int rc = h->md ? digest_into(st, h, run_id, lo, hex)
                   : store__fail(st, STORE_ENOMEM, "%s: digest: out of memory", st->path);
    EVP_MD_CTX_free(h->md);
    free(h);
    return rc;
}

int store__sha256_hex(const void *data, size_t len, char hex[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) != 1 || mdlen != 32)
        return STORE_ESQL;
    to_hex(md, 32, hex);
    return STORE_OK;
}

int store_digest(store *st, int64_t run_id, char digest_hex[65])
{
    if (!st || !digest_hex)
        return st ? store__fail(st, STORE_EINVAL, "%s: digest: NULL output", st->path)
                  : STORE_EINVAL;
    const store__orun *r = store__find_run(st, run_id);
    if (!st->readonly && !st->broken) {
        int rc = store_flush(st); /* the digest covers rows still in the buffers */
        if (rc != STORE_OK)
            return rc;
    }
    return store__digest(st, run_id, r ? r->lo : NULL, digest_hex);
}
