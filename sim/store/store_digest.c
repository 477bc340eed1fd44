/*
** store_digest.c: the run digest, SHA-256 over a canonical serialisation of a run's metric rows.
**
** The format is documented in store.h ("tokensim-digest-v1"). Rows are read back from the
** database with ORDER BY over every column, so the digest depends only on the set of stored rows,
** never on insertion order, page layout, WAL state or provenance columns. Cost: one sort per
** table, O(n log n) in the run's rows; the serialised bytes are streamed through a 64 KiB buffer
** into OpenSSL's EVP SHA-256.
**
** Epoch rows, by far the largest table, skip the sort when the writer saw them arrive in the
** canonical order (the bittensor model writes each subnet's epochs in block and uid order):
** they are then read back in rowid order when every row came in order, or along the epochs
** index (net, block, uid, rowid) when each net's rows did (subnets interleaved). The bytes are the
** same as the sorted query's, so a digest recomputed later from the file (store_digest on a
** closed run, which always sorts) is the same digest. Ledger rows whose
** seq strictly increased as they were written are read back in rowid order too.
**
** When the run was begun on this store, `lo` holds each table's max rowid before the run began:
** all of the run's rows lie above it, so the scan skips earlier runs in a multi-run file.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "store_int.h"

enum { SPILL_FAILED = 1 }; /* internal: the spill could not be read back (never returned) */

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

static void h_put_cb(void *h, const void *p, size_t len)
{
    h_put(h, p, len);
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

/* Decimal of an unsigned magnitude, written backwards into the end of buf; returns start. Two
** digits per division (millions of epoch-row integers are hashed per run). */
static char *u64_dec(uint64_t v, char *end)
{
    static const char pairs[] = "00010203040506070809101112131415161718192021222324252627282930"
                                "31323334353637383940414243444546474849505152535455565758596061"
                                "6263646566676869707172737475767778798081828384858687888990919293"
                                "949596979899";
    while (v >= 100) {
        size_t r = (size_t)(v % 100);
        v /= 100;
        *--end = pairs[2 * r + 1];
        *--end = pairs[2 * r];
    }
    if (v >= 10) {
        *--end = pairs[2 * v + 1];
        *--end = pairs[2 * v];
    } else {
        *--end = (char)('0' + v);
    }
    return end;
}

static void h_u64(hasher *h, uint64_t v)
{
    char buf[24];
    char *s = u64_dec(v, buf + sizeof buf);
    h_put(h, s, (size_t)(buf + sizeof buf - s));
}

/* Decimal digits of v (1 for 0). */
static size_t dec_len(uint64_t v)
{
    size_t n = 1;
    for (uint64_t p = 10; n < 20 && v >= p; p *= 10)
        n++;
    return n;
}

/* "i<decimal>;" at p (at most 22 bytes), written straight into the staging buffer by field_int:
** the epochs table alone hashes tens of millions of integers per run, and a small memcpy per
** field costs more than the digits. */
static size_t int_text(char *p, int64_t v)
{
    /* Negate in unsigned arithmetic so INT64_MIN has no overflow. */
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    size_t len = 1 + (v < 0) + dec_len(mag) + 1;
    p[0] = 'i';
    if (v < 0)
        p[1] = '-';
    p[len - 1] = ';';
    (void)u64_dec(mag, p + len - 1);
    return len;
}

static void field_int(hasher *h, int64_t v)
{
    if (sizeof h->buf - h->n < 24)
        h_drain(h);
    h->n += int_text((char *)h->buf + h->n, v);
}

/* "s<len>:", the head of a text field, at p (at most 22 bytes); returns its length. */
static size_t text_head(char *p, uint64_t len)
{
    char digits[20];
    char *d = u64_dec(len, digits + sizeof digits);
    size_t nd = (size_t)(digits + sizeof digits - d);
    p[0] = 's';
    memcpy(p + 1, d, nd);
    p[1 + nd] = ':';
    return nd + 2;
}

/* "f<16 hex of the IEEE bits>;" at p (18 bytes). */
static size_t real_text(char *p, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    p[0] = 'f';
    for (int i = 0; i < 16; i++)
        p[1 + i] = "0123456789abcdef"[(bits >> (60 - 4 * i)) & 15];
    p[17] = ';';
    return 18;
}

static void field_real(hasher *h, double v)
{
    char buf[18];
    h_put(h, buf, real_text(buf, v));
}

size_t store__row_text(const store__cell *c, int ncols, const char *arena, char *out, size_t cap)
{
    size_t n = 0;
    for (int i = 0; i < ncols; i++) {
        size_t need = 24 + (c[i].type == STORE__TEXT ? c[i].len : 0);
        if (cap - n < need + 1)
            return 0;
        if (c[i].type == STORE__I64) {
            n += int_text(out + n, c[i].v.i);
        } else if (c[i].type == STORE__F64) {
            n += real_text(out + n, c[i].v.f);
        } else if (c[i].type == STORE__NULL) {
            out[n++] = 'n', out[n++] = ';';
        } else {
            n += text_head(out + n, c[i].len);
            memcpy(out + n, arena + c[i].v.off, c[i].len);
            n += c[i].len;
            out[n++] = ';';
        }
    }
    out[n++] = '\n';
    return n;
}

/* "s<len>:<bytes>;" */
static void field_text(hasher *h, const unsigned char *p, int len)
{
    char head[24];
    h_put(h, head, text_head(head, (uint64_t)len));
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
/* The canonical query of each table: its columns and its ORDER BY over every column. */
static const struct {
    const char *cols, *order;
} digest_q[STORE__NTABLES] = {
    {"entity_id, kind, role, name, group_id", "entity_id, kind, role, name, group_id"},
    {"t, block, metric, entity_id, value", "metric, entity_id, t, block, typeof(value), value"},
    {"seq, t, kind, src, dst, amount, reason", "seq, t, kind, src, dst, amount, reason"},
    {"net, block, uid, stake, consensus, incentive, dividends, validator_trust, permit, emission",
     "net, block, uid, stake, consensus, incentive, dividends, validator_trust, permit, emission"},
};

/* Table k's canonical query into sql. scan: a run of this session (its rows a rowid range) read
** without the series and ledger indexes: sorting the range is the plan the digest had before
** they were kept during the load, and measured faster than walking them (2M-block run: series
** 0.68 s sorted, 1.51 s along series_by_metric). */
static void digest_query(int k, int scan, char *sql, size_t len)
{
    int skip = scan && (k == STORE__SERIES || k == STORE__LEDGER);
    snprintf(sql, len, "SELECT %s FROM %s%s WHERE run_id = ?1 AND rowid > ?2 ORDER BY %s",
             digest_q[k].cols, store__tables[k].name, skip ? " NOT INDEXED" : "",
             digest_q[k].order);
}

/* The epoch rows in the order they were written (rowid): the canonical order itself when the
** writer saw them arrive sorted (store__eorder), so nothing is sorted. */
static const char epochs_by_rowid[] =
    "SELECT net, block, uid, stake, consensus, incentive, dividends, validator_trust, permit,"
    " emission FROM epochs NOT INDEXED WHERE run_id = ?1 AND rowid > ?2 ORDER BY rowid";

/* Ledger rows in written order: canonical when their seq strictly increased (seq is the first
** sort key and then unique). */
static const char ledger_by_rowid[] =
    "SELECT seq, t, kind, src, dst, amount, reason FROM ledger NOT INDEXED WHERE run_id = ?1"
    " AND rowid > ?2 ORDER BY rowid";

/* Serialises the rows of one query (net bound to ?3 when has_net); ints: every cell is known to
** be an integer (epoch rows written by this session's store_epoch), so no type is asked. */
static int hash_rows(store *st, hasher *h, const char *sql, int64_t run_id, int64_t lo, int has_net,
                     int64_t net, int ints)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
    if (rc != SQLITE_OK)
        return store__sqlfail(st, rc, "digest: preparing the row query");
    sqlite3_bind_int64(s, 1, run_id);
    sqlite3_bind_int64(s, 2, lo);
    if (has_net)
        sqlite3_bind_int64(s, 3, net);
    int ncols = sqlite3_column_count(s);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        for (int c = 0; c < ncols; c++) {
            if (ints)
                field_int(h, sqlite3_column_int64(s, c));
            else
                field(h, s, c);
        }
        h_put(h, "\n", 1);
    }
    int code = rc == SQLITE_DONE ? STORE_OK : store__sqlfail(st, rc, "digest: reading rows");
    sqlite3_finalize(s);
    return code;
}

/* Per net in written order: (net, block, uid, rowid) is the order of the epochs index, which a
** writable store keeps during the load, so this is a walk of the index, no sort (and with no
** index, a sort on four integers). */
static const char epochs_by_net_rowid[] =
    "SELECT net, block, uid, stake, consensus, incentive, dividends, validator_trust, permit,"
    " emission FROM epochs WHERE run_id = ?1 AND rowid > ?2 ORDER BY net, block, uid, rowid";

/* Every stream of sp in order: STORE_OK, or SPILL_FAILED after a read failure. */
static int hash_spill(store__spill *sp, hasher *h)
{
    store__spill_seal(sp);
    for (size_t i = 0, n = store__spill_streams(sp); i < n; i++)
        if (store__spill_feed(sp, i, h_put_cb, h) != 0)
            return SPILL_FAILED;
    return STORE_OK;
}

/* The same bytes as the sorted query: rows sorted by (net, the rest) come out net by net, and
** within a net in their written order when the writer saw that order sorted (rows equal in
** (net, block, uid) then follow the rest of the key in rowid order); equal rows serialise
** identically, so ties need no order. The writer's spill of the same rows (store_spill.c), when it
** has one, holds exactly these bytes net by net, and is hashed instead of reading anything. */
static int hash_epochs_ordered(store *st, hasher *h, const store__eorder *o, int64_t run_id,
                               int64_t lo)
{
    /* The same bytes, kept by the writer (store_spill.c); not after a failed write, whose rows
    ** the database lost and the spill did not. */
    if (!st->broken && store__spill_ok(o->spill)) /* one stream per net, in o->net's order */
        return hash_spill(o->spill, h);
    return hash_rows(st, h, o->state == STORE__ORD_SORTED ? epochs_by_rowid : epochs_by_net_rowid,
                     run_id, lo, 0, 0, 1);
}

static int hash_table(store *st, hasher *h, int k, int64_t run_id, const int64_t *lo)
{
    h_str(h, store__tables[k].name);
    h_put(h, "\n", 1);
    /* Only rows written in this session by an open run (lo known) have a tracked order. */
    const store__eorder *o = lo && k == STORE__EPOCHS ? store__epoch_order(st, run_id) : NULL;
    if (o && o->state != STORE__ORD_NONE)
        return hash_epochs_ordered(st, h, o, run_id, lo[k]);
    store__spill *ss = lo && k == STORE__SERIES ? store__series_spill(st, run_id) : NULL;
    if (ss && !st->broken) /* every row in its key's stream, the keys in canonical order */
        return hash_spill(ss, h);
    if (lo && k == STORE__LEDGER && store__ledger_sorted(st, run_id)) {
        if (!st->broken && store__spill_ok(st->lord.spill)) /* the writer's text (as epochs) */
            return hash_spill(st->lord.spill, h);
        return hash_rows(st, h, ledger_by_rowid, run_id, lo[k], 0, 0, 0);
    }
    char sql[320];
    digest_query(k, lo != NULL, sql, sizeof sql);
    return hash_rows(st, h, sql, run_id, lo ? lo[k] : 0, 0, 0, 0);
}

/* seed, scenario_sha256 and params_json of the run: the run's inputs (the effective parameters
** after --set overrides are not in the scenario text). */
static int hash_run(store *st, hasher *h, int64_t run_id)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(
        st->db, "SELECT seed, scenario_sha256, params_json FROM runs WHERE run_id = ?1", -1, &s,
        NULL);
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
        rc = hash_table(st, h, k, run_id, lo);
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
    if (rc == SPILL_FAILED) { /* part of a spill was hashed: again from the database */
        store__spill_free(st->eord.spill);
        store__spill_free(st->lord.spill);
        store__spill_free(st->sord.spill);
        st->eord.spill = st->lord.spill = st->sord.spill = NULL;
        h->n = 0;
        rc = digest_into(st, h, run_id, lo, hex);
    }
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
