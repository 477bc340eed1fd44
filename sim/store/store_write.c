/*
** store_write.c: buffered bulk inserts of metric rows (entities, series, ledger, epochs).
**
** Each table has a buffer of STORE_BATCH_ROWS rows (series: STORE_SERIES_ROWS). When it fills,
** the rows are bound to one persistent prepared multi-row INSERT, STORE_BATCH_ROWS at a time; at
** store_flush the partial tail goes through a one-row INSERT. Inserts run inside a transaction
** (BEGIN IMMEDIATE, then COMMIT) committed every STORE_COMMIT_ROWS rows and at store_flush
** (STYLE.md 4.3: ~2 M rows/s instead of ~900 rows/s in autocommit). Cost per row is O(1)
** amortised (series rows: O(log STORE_SERIES_ROWS), their sort) plus the text bytes copied into
** the arena.
**
** Any SQLite failure while writing breaks the store (store__break): the transaction is rolled
** back, buffered rows are dropped and every later metric write returns the same error, because
** silently continuing would produce a run with a hole in it.
**
** Series rows are inserted in the order of their index (series_order), which is kept during the
** load: a Bittensor run writes them to thousands of (metric, entity) keys at once, so in write
** order every row's index entry lands on another leaf page (the writer fell behind the model
** when that was tried: 2M 8-subnet blocks took 17 s instead of 11), while a sorted buffer of
** 65536 rows walks the index once, many entries per leaf. The alternative, building the index
** at store_finish, was a sort of every key on the critical path of the run's end.
**
** Epoch rows (millions per bittensor run) get two shortcuts: their index exists from the start
** (rows arrive in key order per subnet, so the B-tree grows at its right edges, cheaper than one
** sort of every key at store_finish), and store_epoch follows whether they arrive in canonical
** order, overall or per net (store__eorder: O(log nets) per row), so the digest can read them back
** in rowid order instead of sorting them (store_digest.c), or hash the text of each net's rows
** kept on the way (store_spill.c). Ledger rows likewise when their seq strictly increases (the
** bittensor model numbers them in order). A run is tracked only from its first row of a table:
** rows it wrote while another run was tracked were never seen, so it is never tracked after.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

/* A buffered series row's place among the others: the series index's order (run_id, metric,
** entity_id, t) with write order standing in for t, so that one key's rows keep theirs. */
struct store__spos {
    const char *metric;
    uint32_t mlen, row;
    int64_t run, entity;
};

const store__tdesc store__tables[STORE__NTABLES] = {
    {"entities", "run_id, entity_id, kind, role, name, group_id", 6},
    {"series", "run_id, t, block, metric, entity_id, value", 6},
    {"ledger", "run_id, seq, t, kind, src, dst, amount, reason", 8},
    {"epochs",
     "run_id, net, block, uid, stake, consensus, incentive, dividends, validator_trust, permit, "
     "emission",
     11},
};

/* "INSERT INTO name(cols) VALUES (?,..),(?,..)..." with nrows groups; malloc'd or NULL. */
static char *insert_sql(const store__tdesc *d, int nrows)
{
    size_t group = 2 + 2 * (size_t)d->ncols; /* "(?,?,?)," */
    size_t cap = 64 + strlen(d->name) + strlen(d->columns) + group * (size_t)nrows;
    char *sql = malloc(cap);
    if (!sql)
        return NULL;
    size_t n = (size_t)snprintf(sql, cap, "INSERT INTO %s(%s) VALUES ", d->name, d->columns);
    for (int r = 0; r < nrows; r++) {
        sql[n++] = '(';
        for (int c = 0; c < d->ncols; c++) {
            sql[n++] = '?';
            sql[n++] = c + 1 < d->ncols ? ',' : ')';
        }
        sql[n++] = r + 1 < nrows ? ',' : '\0';
    }
    return sql;
}

static int prepare_insert(store *st, const store__tdesc *d, int nrows, sqlite3_stmt **out)
{
    char *sql = insert_sql(d, nrows);
    if (!sql)
        return store__fail(st, STORE_ENOMEM, "%s: out of memory preparing inserts", st->path);
    int rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL);
    free(sql);
    if (rc != SQLITE_OK)
        return store__sqlfail(st, rc, "preparing inserts");
    return STORE_OK;
}

static int prepare_plain(store *st, const char *sql, sqlite3_stmt **out)
{
    int rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL);
    if (rc != SQLITE_OK)
        return store__sqlfail(st, rc, "preparing statements");
    return STORE_OK;
}

/* The epochs and ledger indexes exist before the load: epoch rows arrive in key order per
** subnet and ledger rows by increasing seq, so keeping them up to date (the B-trees grow at
** their right edges) costs less than building them at store_finish, a sort of every key on the
** critical path of the run's end. */
static const char load_indexes[] =
    "CREATE INDEX IF NOT EXISTS series_by_metric ON series(run_id, metric, entity_id, t);"
    "CREATE INDEX IF NOT EXISTS epochs_by_uid ON epochs(run_id, net, block, uid);"
    "CREATE INDEX IF NOT EXISTS ledger_by_seq ON ledger(run_id, seq);";

int store__prepare_writers(store *st)
{
    int rc = store__exec(st, load_indexes, "creating the load's indexes");
    if (rc == STORE_OK)
        rc = prepare_plain(st, "BEGIN IMMEDIATE", &st->begin);
    if (rc == STORE_OK)
        rc = prepare_plain(st, "COMMIT", &st->commit);
    for (int k = 0; k < STORE__NTABLES && rc == STORE_OK; k++) {
        const store__tdesc *d = &store__tables[k];
        store__tbuf *b = &st->tb[k];
        rc = prepare_insert(st, d, STORE_BATCH_ROWS, &b->batch);
        if (rc == STORE_OK)
            rc = prepare_insert(st, d, 1, &b->single);
        if (rc != STORE_OK)
            break;
        b->cap = k == STORE__SERIES ? STORE_SERIES_ROWS : STORE_BATCH_ROWS;
        b->cells = calloc((size_t)b->cap * (size_t)d->ncols, sizeof *b->cells);
        if (k == STORE__SERIES)
            b->order = malloc((size_t)b->cap * sizeof *b->order);
        if (!b->cells || (k == STORE__SERIES && !b->order))
            rc = store__fail(st, STORE_ENOMEM, "%s: out of memory for write buffers", st->path);
    }
    return rc;
}

void store__free_writers(store *st)
{
    for (int k = 0; k < STORE__NTABLES; k++) {
        store__tbuf *b = &st->tb[k];
        sqlite3_finalize(b->batch);
        sqlite3_finalize(b->single);
        free(b->cells);
        free(b->order);
        free(b->arena);
        memset(b, 0, sizeof *b);
    }
    sqlite3_finalize(st->begin);
    sqlite3_finalize(st->commit);
    st->begin = st->commit = NULL;
}

static void drop_buffers(store *st)
{
    for (int k = 0; k < STORE__NTABLES; k++) {
        st->tb[k].nrows = 0;
        st->tb[k].alen = 0;
    }
}

int store__break(store *st, int code)
{
    /* Some errors (SQLITE_FULL, IOERR) leave the transaction open; the rows in it are lost
     * either way, so roll back explicitly and keep the first message. */
    if (st->db && !sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    drop_buffers(st);
    st->pending = 0;
    st->broken = code;
    return code;
}

static int step_done(store *st, sqlite3_stmt *s, const char *what)
{
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE) {
        sqlite3_reset(s);
        return STORE_OK;
    }
    int code = store__sqlfail(st, rc, what);
    sqlite3_reset(s);
    return code;
}

static int ensure_txn(store *st)
{
    if (!sqlite3_get_autocommit(st->db))
        return STORE_OK;
    return step_done(st, st->begin, "starting a write transaction");
}

int store__commit(store *st)
{
    st->pending = 0;
    if (sqlite3_get_autocommit(st->db))
        return STORE_OK;
    return step_done(st, st->commit, "committing metric rows");
}

/* Bind one cell to parameter i of s. */
static int bind_cell(sqlite3_stmt *s, int i, const store__cell *c, const char *arena)
{
    switch (c->type) {
    case STORE__I64:
        return sqlite3_bind_int64(s, i, c->v.i);
    case STORE__F64:
        return sqlite3_bind_double(s, i, c->v.f);
    case STORE__TEXT:
        /* STATIC is safe: the arena does not change until the statement has run. */
        return sqlite3_bind_text(s, i, arena + c->v.off, (int)c->len, SQLITE_STATIC);
    default:
        return sqlite3_bind_null(s, i);
    }
}

/* Bind buffered rows order[row0 .. row0 + nrows) of b (rows row0.. when order is NULL) to
** statement s. */
static int bind_rows(store *st, const store__tdesc *d, store__tbuf *b, const store__spos *order,
                     int row0, int nrows, sqlite3_stmt *s)
{
    int rc = SQLITE_OK;
    for (int r = 0; r < nrows && rc == SQLITE_OK; r++) {
        size_t row = order ? order[row0 + r].row : (size_t)(row0 + r);
        const store__cell *c = b->cells + row * (size_t)d->ncols;
        for (int i = 0; i < d->ncols && rc == SQLITE_OK; i++)
            rc = bind_cell(s, r * d->ncols + i + 1, &c[i], b->arena);
    }
    if (rc != SQLITE_OK)
        return store__sqlfail(st, rc, "binding metric rows");
    return STORE_OK;
}

static int spos_cmp(const void *pa, const void *pb)
{
    const store__spos *a = pa, *b = pb;
    if (a->run != b->run)
        return a->run < b->run ? -1 : 1;
    int c = memcmp(a->metric, b->metric, a->mlen < b->mlen ? a->mlen : b->mlen);
    if (c != 0 || a->mlen != b->mlen)
        return c != 0 ? c : a->mlen < b->mlen ? -1 : 1;
    if (a->entity != b->entity)
        return a->entity < b->entity ? -1 : 1;
    return a->row < b->row ? -1 : a->row > b->row;
}

/* b->order: the buffered series rows in the order they are inserted (store__spos), so that their
** index entries go in one ascending walk of the series index, one leaf page for many rows of a
** key, instead of one random leaf per row. */
static void series_order(store__tbuf *b)
{
    store__spos *pos = b->order;
    for (int r = 0; r < b->nrows; r++) {
        const store__cell *c = b->cells + (size_t)r * (size_t)store__tables[STORE__SERIES].ncols;
        /* the metric is always text (series_row); an empty name sorts first otherwise */
        int text = c[3].type == STORE__TEXT;
        pos[r] = (store__spos){text ? b->arena + c[3].v.off : "", text ? c[3].len : 0, (uint32_t)r,
                               c[0].v.i, c[4].v.i};
    }
    qsort(pos, (size_t)b->nrows, sizeof *pos, spos_cmp);
}

/* Insert everything buffered for table k; on failure the store is broken. */
static int insert_buffer(store *st, int k)
{
    const store__tdesc *d = &store__tables[k];
    store__tbuf *b = &st->tb[k];
    char what[64];
    int rc = ensure_txn(st);
    snprintf(what, sizeof what, "inserting %s rows", d->name);
    const store__spos *order = b->order;
    if (order)
        series_order(b);
    int r = 0;
    for (; rc == STORE_OK && r + STORE_BATCH_ROWS <= b->nrows; r += STORE_BATCH_ROWS) {
        rc = bind_rows(st, d, b, order, r, STORE_BATCH_ROWS, b->batch);
        if (rc == STORE_OK)
            rc = step_done(st, b->batch, what);
    }
    for (; rc == STORE_OK && r < b->nrows; r++) {
        rc = bind_rows(st, d, b, order, r, 1, b->single);
        if (rc == STORE_OK)
            rc = step_done(st, b->single, what);
    }
    if (rc != STORE_OK)
        return store__break(st, rc);
    st->pending += b->nrows;
    b->nrows = 0;
    b->alen = 0;
    if (st->pending >= STORE_COMMIT_ROWS) {
        rc = store__commit(st);
        if (rc != STORE_OK)
            return store__break(st, rc);
    }
    return STORE_OK;
}

int store_flush(store *st)
{
    if (!st)
        return STORE_EINVAL;
    if (st->readonly)
        return store__fail(st, STORE_ESTATE, "%s: store is read-only", st->path);
    if (st->broken)
        return st->broken;
    for (int k = 0; k < STORE__NTABLES; k++) {
        if (st->tb[k].nrows > 0) {
            int rc = insert_buffer(st, k);
            if (rc != STORE_OK)
                return rc;
        }
    }
    int rc = store__commit(st);
    return rc == STORE_OK ? rc : store__break(st, rc);
}

const store__orun *store__find_run(const store *st, int64_t run_id)
{
    for (size_t i = 0; i < st->nruns; i++)
        if (st->runs[i].id == run_id)
            return &st->runs[i];
    return NULL;
}

/* Common checks of a metric write; *cells receives the next row's cells of table k. */
static int row_begin(store *st, int64_t run_id, int k, store__cell **cells)
{
    if (!st)
        return STORE_EINVAL;
    /* The error returns name STORE_ESTATE themselves rather than pass on store__fail's value:
     * every caller relies on a non-zero status meaning *cells was not set. */
    if (st->readonly) {
        store__fail(st, STORE_ESTATE, "%s: store is read-only", st->path);
        return STORE_ESTATE;
    }
    if (st->broken)
        return st->broken; /* errmsg still holds the original failure */
    if (run_id != st->last_run) {
        if (!store__find_run(st, run_id)) {
            store__fail(st, STORE_ESTATE,
                        "%s: run %lld is not open on this store (store_run_begin first)", st->path,
                        (long long)run_id);
            return STORE_ESTATE;
        }
        st->last_run = run_id;
    }
    store__tbuf *b = &st->tb[k];
    *cells = b->cells + (size_t)b->nrows * (size_t)store__tables[k].ncols;
    return STORE_OK;
}

static int row_end(store *st, int k)
{
    st->finished = 0;
    if (++st->tb[k].nrows < st->tb[k].cap)
        return STORE_OK;
    return insert_buffer(st, k);
}

static void cell_i(store__cell *c, int64_t v)
{
    c->type = STORE__I64;
    c->v.i = v;
}

/* Copy text s (or NULL when allowed) into table k's arena. */
static int cell_text(store *st, int k, store__cell *c, const char *s, int nullable,
                     const char *field)
{
    if (!s) {
        if (!nullable)
            return store__fail(st, STORE_EINVAL, "%s: %s must not be NULL", st->path, field);
        c->type = STORE__NULL;
        return STORE_OK;
    }
    store__tbuf *b = &st->tb[k];
    size_t len = strlen(s);
    if (len > (size_t)INT32_MAX)
        return store__fail(st, STORE_ERANGE, "%s: %s is too long", st->path, field);
    if (b->alen + len > b->acap) {
        size_t cap = b->acap ? b->acap : 4096;
        while (cap < b->alen + len)
            cap *= 2;
        char *a = realloc(b->arena, cap);
        if (!a)
            return store__fail(st, STORE_ENOMEM, "%s: out of memory buffering %s", st->path, field);
        b->arena = a;
        b->acap = cap;
    }
    memcpy(b->arena + b->alen, s, len);
    c->type = STORE__TEXT;
    c->v.off = b->alen;
    c->len = (uint32_t)len;
    b->alen += len;
    return STORE_OK;
}

static int check_u64(store *st, uint64_t v, const char *field, int64_t run_id)
{
    if (v <= (uint64_t)INT64_MAX)
        return STORE_OK;
    return store__fail(st, STORE_ERANGE,
                       "%s: %s %llu exceeds INT64_MAX (run %lld); refusing to wrap it", st->path,
                       field, (unsigned long long)v, (long long)run_id);
}

int store_entity(store *st, int64_t run_id, int64_t entity_id, const char *kind, const char *role,
                 const char *name, int64_t group_id)
{
    store__cell *c = NULL; /* set by the row start; NULL keeps -O3 maybe-uninitialized quiet */
    int rc = row_begin(st, run_id, STORE__ENTITIES, &c);
    if (rc != STORE_OK)
        return rc;
    cell_i(&c[0], run_id);
    cell_i(&c[1], entity_id);
    rc = cell_text(st, STORE__ENTITIES, &c[2], kind, 0, "entity kind");
    if (rc == STORE_OK)
        rc = cell_text(st, STORE__ENTITIES, &c[3], role, 1, "entity role");
    if (rc == STORE_OK)
        rc = cell_text(st, STORE__ENTITIES, &c[4], name, 1, "entity name");
    if (rc != STORE_OK)
        return rc;
    cell_i(&c[5], group_id);
    return row_end(st, STORE__ENTITIES);
}

static void series_track(store *st, int64_t run_id, const store__cell *c);

static int series_row(store *st, int64_t run_id, int64_t t, int64_t block, const char *metric,
                      int64_t entity_id, store__cell **value)
{
    store__cell *c = NULL; /* set by the row start; NULL keeps -O3 maybe-uninitialized quiet */
    int rc = row_begin(st, run_id, STORE__SERIES, &c);
    if (rc != STORE_OK)
        return rc;
    cell_i(&c[0], run_id);
    cell_i(&c[1], t);
    cell_i(&c[2], block);
    rc = cell_text(st, STORE__SERIES, &c[3], metric, 0, "metric name");
    cell_i(&c[4], entity_id);
    *value = &c[5];
    return rc;
}

int store_series_i64(store *st, int64_t run_id, int64_t t, int64_t block, const char *metric,
                     int64_t entity_id, int64_t value)
{
    store__cell *v;
    int rc = series_row(st, run_id, t, block, metric, entity_id, &v);
    if (rc != STORE_OK)
        return rc;
    cell_i(v, value);
    series_track(st, run_id, v - 5);
    return row_end(st, STORE__SERIES);
}

int store_series_f64(store *st, int64_t run_id, int64_t t, int64_t block, const char *metric,
                     int64_t entity_id, double value)
{
    if (st && isnan(value))
        return store__fail(st, STORE_EINVAL, "%s: metric %s at t=%lld is NaN (run %lld)", st->path,
                           metric ? metric : "(null)", (long long)t, (long long)run_id);
    store__cell *v;
    int rc = series_row(st, run_id, t, block, metric, entity_id, &v);
    if (rc != STORE_OK)
        return rc;
    v->type = STORE__F64;
    /* -0.0 == 0.0 in SQL ordering but not in bits: one canonical zero keeps the digest
     * independent of insertion order. */
    v->v.f = value == 0.0 ? 0.0 : value;
    series_track(st, run_id, v - 5);
    return row_end(st, STORE__SERIES);
}

/* Whether run_id may start being tracked for table k: no other open run is (tracked_run), and
** none of its rows of k came while one was (those were never seen, so no order is known; a row
** refused here marks the run). */
static int may_track(store *st, int64_t run_id, int64_t tracked_run, int k)
{
    store__orun *r = NULL;
    for (size_t i = 0; i < st->nruns && !r; i++)
        if (st->runs[i].id == run_id)
            r = &st->runs[i];
    if (!r || (r->unseen & 1u << k))
        return 0;
    if (tracked_run != 0 && store__find_run(st, tracked_run)) {
        r->unseen |= 1u << k;
        return 0;
    }
    return 1;
}

/* -1, 0, 1: a against b over n int64 columns (SQLite's order for integer columns). */
static int cmp_cols(const int64_t *a, const int64_t *b, int n)
{
    for (int i = 0; i < n; i++)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return 0;
}

/* Bytes a spill stream keeps in memory: 16 KiB for the few epoch and ledger streams, 1 KiB for
** the series' thousands (one per metric and entity: 4 MiB for the era8 benchmark's ~4000). */
enum { SPILL_EXTENT = 16384, SERIES_EXTENT = 1024 };

/* Appends the digest text of table's row c (run_id first, left out) to stream k of sp. */
static void spill_row(store *st, store__spill *sp, size_t k, int table, const store__cell *c)
{
    char text[1024];
    size_t n = store__row_text(c + 1, store__tables[table].ncols - 1, st->tb[table].arena, text,
                               sizeof text);
    store__spill_add(sp, k, n ? text : NULL, n); /* a row too long for text abandons the spill */
}

/* ---- series order ---- */

/* Gives up the order of o's run: the digest will sort its series rows. The run stays tracked
** (o->run), so that none of its later rows starts a new order that missed these. */
static void series_lose(store__sorder *o)
{
    store__spill_free(o->spill);
    for (size_t i = 0; i < o->nkeys; i++)
        free(o->keys[i].metric);
    free(o->keys);
    o->spill = NULL, o->keys = NULL, o->nkeys = o->capkeys = o->hint = 0;
}

static void series_reset(store *st)
{
    series_lose(&st->sord);
    st->sord.run = 0;
}

/* The order of the canonical query (ORDER BY metric, entity_id): the metric's bytes as SQLite's
** BINARY collation compares them (memcmp over the shorter, then the shorter first), then the
** entity as an integer. */
static int skey_cmp(const store__skey *k, const char *metric, size_t mlen, int64_t entity)
{
    int c = memcmp(k->metric, metric, k->mlen < mlen ? k->mlen : mlen);
    if (c == 0 && k->mlen != mlen)
        c = k->mlen < mlen ? -1 : 1;
    if (c == 0 && k->entity != entity)
        c = k->entity < entity ? -1 : 1;
    return c;
}

/* Index of (metric, entity) among o->keys, inserted in its ascending place (with its spill
** stream) when new; SIZE_MAX when out of memory. */
static size_t series_key(store__sorder *o, const char *metric, size_t mlen, int64_t entity)
{
    if (o->hint < o->nkeys && skey_cmp(&o->keys[o->hint], metric, mlen, entity) == 0)
        return o->hint;
    size_t lo = 0, hi = o->nkeys;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (skey_cmp(&o->keys[mid], metric, mlen, entity) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < o->nkeys && skey_cmp(&o->keys[lo], metric, mlen, entity) == 0)
        return o->hint = lo;
    if (o->nkeys == o->capkeys) {
        size_t cap = o->capkeys ? 2 * o->capkeys : 64;
        store__skey *p = realloc(o->keys, cap * sizeof *p);
        if (!p)
            return SIZE_MAX;
        o->keys = p, o->capkeys = cap;
    }
    char *name = malloc(mlen + 1);
    if (!name)
        return SIZE_MAX;
    memcpy(name, metric, mlen);
    name[mlen] = 0;
    memmove(&o->keys[lo + 1], &o->keys[lo], (o->nkeys - lo) * sizeof *o->keys);
    o->keys[lo] = (store__skey){
        .metric = name, .mlen = mlen, .entity = entity, .last = {INT64_MIN, INT64_MIN}};
    o->nkeys++;
    store__spill_insert(o->spill, lo);
    return o->hint = lo;
}

/* -1, 0, 1: value a against b as the canonical query orders rows equal in everything before:
** typeof(value) ("integer" before "real"), then the value. 2 for any other type (series values
** are integers or reals, never NaN, and a zero real is always +0.0, so equal means the same
** digest text). */
static int value_cmp(const store__cell *a, const store__cell *b)
{
    if (a->type != b->type)
        return a->type == STORE__I64 && b->type == STORE__F64   ? -1
               : a->type == STORE__F64 && b->type == STORE__I64 ? 1
                                                                : 2;
    if (a->type == STORE__I64)
        return a->v.i < b->v.i ? -1 : a->v.i > b->v.i;
    if (a->type == STORE__F64)
        return a->v.f < b->v.f ? -1 : a->v.f > b->v.f;
    return 2;
}

/* Whether row c (t, block, value) comes after key k's previous row in the canonical order. */
static int series_after(const store__skey *k, const int64_t now[2], const store__cell *value)
{
    int c = cmp_cols(now, k->last, 2);
    if (c != 0)
        return c > 0;
    int v = value_cmp(value, &k->value);
    return v == 0 || v == 1;
}

/* Follows whether run_id's series rows come, per (metric, entity), in the canonical order (t,
** block, typeof(value), value), and spills their digest text per key while they do; a row out of
** that order, like any failure, gives the spill up (the digest sorts). c: the row's cells
** (run_id, t, block, metric, entity_id, value). */
static void series_track(store *st, int64_t run_id, const store__cell *c)
{
    store__sorder *o = &st->sord;
    if (o->run != run_id) {
        if (!may_track(st, run_id, o->run, STORE__SERIES))
            return;
        series_reset(st);
        o->run = run_id;
        o->spill = store__spill_new(sqlite3_db_filename(st->db, "main"), SERIES_EXTENT);
    }
    if (!o->spill)
        return;
    const store__cell *m = &c[3];
    size_t k = m->type == STORE__TEXT
                   ? series_key(o, st->tb[STORE__SERIES].arena + m->v.off, m->len, c[4].v.i)
                   : SIZE_MAX;
    const int64_t now[2] = {c[1].v.i, c[2].v.i};
    if (k == SIZE_MAX || !series_after(&o->keys[k], now, &c[5]) || !store__spill_ok(o->spill)) {
        series_lose(o);
        return;
    }
    memcpy(o->keys[k].last, now, sizeof now);
    o->keys[k].value = c[5];
    spill_row(st, o->spill, k, STORE__SERIES, c);
}

store__spill *store__series_spill(const store *st, int64_t run_id)
{
    const store__sorder *o = &st->sord;
    return run_id != 0 && o->run == run_id && store__spill_ok(o->spill) ? o->spill : NULL;
}

static void ledger_reset(store *st)
{
    store__spill_free(st->lord.spill);
    memset(&st->lord, 0, sizeof st->lord);
}

/* Follows whether run_id's ledger seqs strictly increase (one run tracked at a time, as above),
** and spills the rows' digest text while they do (one stream: seq is the first sort key). */
static void ledger_track(store *st, int64_t run_id, int64_t seq, const store__cell *c)
{
    store__lorder *o = &st->lord;
    if (o->run != run_id) {
        if (!may_track(st, run_id, o->run, STORE__LEDGER))
            return;
        ledger_reset(st);
        o->run = run_id, o->sorted = 1;
        o->spill = store__spill_new(sqlite3_db_filename(st->db, "main"), SPILL_EXTENT);
        store__spill_insert(o->spill, 0);
    }
    if (o->any && seq <= o->last_seq) {
        o->sorted = 0;
        store__spill_free(o->spill);
        o->spill = NULL;
    }
    o->last_seq = seq, o->any = 1;
    if (o->spill)
        spill_row(st, o->spill, 0, STORE__LEDGER, c);
}

int store_ledger(store *st, int64_t run_id, int64_t seq, int64_t t, const char *kind, int64_t src,
                 int64_t dst, uint64_t amount, const char *reason)
{
    if (st && check_u64(st, amount, "ledger amount", run_id) != STORE_OK)
        return STORE_ERANGE;
    store__cell *c = NULL; /* set by the row start; NULL keeps -O3 maybe-uninitialized quiet */
    int rc = row_begin(st, run_id, STORE__LEDGER, &c);
    if (rc != STORE_OK)
        return rc;
    cell_i(&c[0], run_id);
    cell_i(&c[1], seq);
    cell_i(&c[2], t);
    rc = cell_text(st, STORE__LEDGER, &c[3], kind, 0, "ledger kind");
    if (rc == STORE_OK)
        rc = cell_text(st, STORE__LEDGER, &c[7], reason, 1, "ledger reason");
    if (rc != STORE_OK)
        return rc;
    cell_i(&c[4], src);
    cell_i(&c[5], dst);
    cell_i(&c[6], (int64_t)amount);
    ledger_track(st, run_id, seq, c);
    return row_end(st, STORE__LEDGER);
}

/* Index of net in o->net (inserted in ascending place when new, its spill stream with it), or
** -1 when the table is full. */
static int order_net(store__eorder *o, int64_t net)
{
    int lo = 0, hi = o->nnets;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (o->net[mid] < net)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < o->nnets && o->net[lo] == net)
        return lo;
    if (o->nnets == STORE__ORD_NETS)
        return -1;
    int tail = o->nnets - lo;
    memmove(&o->net[lo + 1], &o->net[lo], (size_t)tail * sizeof o->net[0]);
    memmove(&o->net_last[lo + 1], &o->net_last[lo], (size_t)tail * sizeof o->net_last[0]);
    o->net[lo] = net;
    for (int i = 0; i < STORE__MAXCOLS - 2; i++)
        o->net_last[lo][i] = INT64_MIN;
    o->nnets++;
    store__spill_insert(o->spill, lo);
    return lo;
}

static void epoch_reset(store *st)
{
    store__spill_free(st->eord.spill);
    memset(&st->eord, 0, sizeof st->eord);
}

void store__order_reset(store *st, int64_t run_id)
{
    if (run_id == 0 || st->eord.run == run_id)
        epoch_reset(st);
    if (run_id == 0 || st->lord.run == run_id)
        ledger_reset(st);
    if (run_id == 0 || st->sord.run == run_id)
        series_reset(st);
    for (size_t i = 0; i < st->nruns; i++) /* its rows so far are forgotten: never tracked again */
        if (st->runs[i].id == run_id)
            st->runs[i].unseen = 1u << STORE__LEDGER | 1u << STORE__EPOCHS | 1u << STORE__SERIES;
}

/* The tracked order has become NONE: the digest will sort, the spill is of no use. */
static void order_lost(store__eorder *o)
{
    o->state = STORE__ORD_NONE;
    store__spill_free(o->spill);
    o->spill = NULL;
}

/* Follows the order of run_id's epoch rows v (net first, the canonical key): O(log nets) per
** row. One run is tracked at a time (a run ends long before the next begins in tokensim). */
static void order_track(store *st, int64_t run_id, const int64_t *v, const store__cell *c)
{
    store__eorder *o = &st->eord;
    enum { K = STORE__MAXCOLS - 1 };
    if (o->run != run_id) {
        if (!may_track(st, run_id, o->run, STORE__EPOCHS))
            return; /* another open run is tracked: this one will be sorted */
        epoch_reset(st);
        o->run = run_id;
        for (int i = 0; i < K; i++)
            o->last[i] = INT64_MIN;
        o->spill = store__spill_new(sqlite3_db_filename(st->db, "main"), SPILL_EXTENT);
    }
    if (o->state == STORE__ORD_NONE)
        return;
    if (o->state == STORE__ORD_SORTED && cmp_cols(v, o->last, K) < 0)
        o->state = STORE__ORD_BY_NET;
    memcpy(o->last, v, sizeof o->last);
    int k = order_net(o, v[0]);
    if (k < 0 || cmp_cols(v + 1, o->net_last[k], K - 1) < 0) {
        order_lost(o);
        return;
    }
    memcpy(o->net_last[k], v + 1, sizeof o->net_last[k]);
    if (o->spill)
        spill_row(st, o->spill, k, STORE__EPOCHS, c);
}

int store__ledger_sorted(const store *st, int64_t run_id)
{
    return run_id != 0 && st->lord.run == run_id && st->lord.sorted;
}

const store__eorder *store__epoch_order(const store *st, int64_t run_id)
{
    return st->eord.run == run_id && run_id != 0 ? &st->eord : NULL;
}

int store_epoch(store *st, int64_t run_id, const store_epoch_row *row)
{
    if (st && !row)
        return store__fail(st, STORE_EINVAL, "%s: epoch row is NULL", st->path);
    if (st && (check_u64(st, row->stake, "epoch stake", run_id) != STORE_OK ||
               check_u64(st, row->emission, "epoch emission", run_id) != STORE_OK))
        return STORE_ERANGE;
    store__cell *c = NULL; /* set by the row start; NULL keeps -O3 maybe-uninitialized quiet */
    int rc = row_begin(st, run_id, STORE__EPOCHS, &c);
    if (rc != STORE_OK)
        return rc;
    const int64_t v[11] = {run_id,
                           row->net,
                           row->block,
                           row->uid,
                           (int64_t)row->stake,
                           row->consensus,
                           row->incentive,
                           row->dividends,
                           row->validator_trust,
                           row->permit,
                           (int64_t)row->emission};
    for (int i = 0; i < 11; i++)
        cell_i(&c[i], v[i]);
    order_track(st, run_id, v + 1, c);
    return row_end(st, STORE__EPOCHS);
}
