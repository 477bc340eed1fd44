/*
** store_int.h: private layout of the metrics store, shared by store.c (open/close, schema,
** migrations, runs), store_write.c (buffered multi-row inserts) and store_digest.c (canonical
** serialisation). Not for use outside sim/store/.
**
** Invariants: a table buffer never holds its cap of rows after a call returns (a full buffer
** is inserted at once; cap is STORE_BATCH_ROWS, STORE_SERIES_ROWS for series); `pending`
** counts rows inserted in the open write transaction; once `broken` is non-zero no metric row
** is accepted and the buffers are empty; `eord` describes every epoch row its run wrote through
** this store, in call order (= rowid order).
*/
#ifndef TOKENSIM_STORE_INT_H
#define TOKENSIM_STORE_INT_H

#include <sqlite3.h>

#include "store.h"

enum { STORE__MAXCOLS = 11 }; /* widest metric table (epochs) */

enum store__table { STORE__ENTITIES, STORE__SERIES, STORE__LEDGER, STORE__EPOCHS, STORE__NTABLES };

enum store__ctype { STORE__NULL, STORE__I64, STORE__F64, STORE__TEXT }; /* cell value kinds */

/* One buffered value. Text lives in the table's arena so callers' strings need not outlive
** the call; it is addressed by offset because the arena may move when it grows. */
typedef struct store__cell {
    union {
        int64_t i;  /* STORE__I64 */
        double f;   /* STORE__F64 */
        size_t off; /* STORE__TEXT: offset into the arena */
    } v;
    uint32_t len; /* STORE__TEXT: byte length */
    uint8_t type; /* enum store__ctype */
} store__cell;

/* Static description of one metric table. */
typedef struct store__tdesc {
    const char *name;    /* table name */
    const char *columns; /* column list in schema order, run_id first */
    int ncols;           /* number of columns */
} store__tdesc;

/* Write buffer and statements of one metric table. */
typedef struct store__spos store__spos; /* a series row's insertion place (store_write.c) */
typedef struct store__tbuf {
    sqlite3_stmt *batch;  /* INSERT of STORE_BATCH_ROWS rows */
    sqlite3_stmt *single; /* INSERT of one row (tail at flush) */
    store__cell *cells;   /* cap * ncols cells */
    store__spos *order;   /* series only: cap places, the rows' insertion order */
    int cap;              /* rows buffered before they are inserted */
    int nrows;            /* rows buffered */
    char *arena;          /* text bytes of the buffered rows */
    size_t alen;          /* bytes used in arena */
    size_t acap;          /* bytes allocated for arena */
} store__tbuf;

/* A run begun on this store and not yet ended. */
typedef struct store__orun {
    int64_t id;                 /* run_id */
    int64_t lo[STORE__NTABLES]; /* max rowid of each metric table before the run began */
    unsigned unseen;            /* bit k: a row of table k came while another run was tracked */
} store__orun;

/* Order of one run's epoch rows as they were written (rowid order), so the digest can read them
** back without sorting when that order already is the canonical one (store_digest.c). */
enum { STORE__ORD_NETS = 256 }; /* distinct nets tracked; more falls back to the sort */
enum {
    STORE__ORD_SORTED = 0, /* every row >= the previous one in the canonical key: rowid order */
    STORE__ORD_BY_NET = 1, /* sorted within each net: read along the epochs index */
    STORE__ORD_NONE = 2    /* neither: the digest sorts */
};
typedef struct store__spill store__spill;
typedef struct store__eorder {
    int64_t run;                      /* run tracked (0: none) */
    store__spill *spill;              /* the rows' digest text per net (NULL: none, or abandoned) */
    int state;                        /* STORE__ORD_* */
    int64_t last[STORE__MAXCOLS - 1]; /* previous row (net first) */
    int nnets;                        /* nets seen, ascending in net[] */
    int64_t net[STORE__ORD_NETS];     /* the nets seen */
    int64_t net_last[STORE__ORD_NETS][STORE__MAXCOLS - 2]; /* each net's previous row (no net) */
} store__eorder;

/* Whether one run's ledger rows arrived with strictly increasing seq (the canonical order's first
** key, so rowid order is the canonical order): the digest then reads them without sorting. */
typedef struct store__lorder {
    int64_t run;         /* run tracked (0: none) */
    store__spill *spill; /* the rows' digest text, one stream (NULL: none, or abandoned) */
    int sorted;          /* every seq so far above the previous one */
    int any;             /* a row was seen */
    int64_t last_seq;    /* the previous row's seq */
} store__lorder;

/* Whether one run's series rows arrived, per (metric, entity), with strictly increasing (t, block)
** (then their canonical order is the keys' order, then arrival: the digest hashes the spill of
** each key's rows, keys sorted as the canonical query sorts them, and sorts nothing). */
typedef struct store__skey {
    char *metric;      /* the metric name (owned) */
    size_t mlen;       /* its bytes */
    int64_t entity;    /* entity_id */
    int64_t last[2];   /* the previous row's t and block */
    store__cell value; /* and its value (rows equal in (t, block) are ordered by it) */
} store__skey;
typedef struct store__sorder {
    int64_t run;         /* run tracked (0: none) */
    store__spill *spill; /* one stream per key, in keys' order (NULL: none, lost or abandoned) */
    store__skey *keys;   /* (metric, entity) seen, ascending (metric as BINARY, then entity) */
    size_t nkeys, capkeys;
    size_t hint; /* the last key found (rows often repeat one) */
} store__sorder;

struct store {
    sqlite3 *db;                    /* the connection */
    char *path;                     /* database path (for messages) */
    int readonly;                   /* opened read-only: no writes, no finish */
    int broken;                     /* sticky STORE_E* code of a failed write, 0 if none */
    int finished;                   /* store_finish ran since the last write */
    char errmsg[1024];              /* last error message */
    store__tbuf tb[STORE__NTABLES]; /* per-table write buffers */
    sqlite3_stmt *begin;            /* BEGIN IMMEDIATE */
    sqlite3_stmt *commit;           /* COMMIT */
    int64_t pending;                /* rows inserted in the open transaction */
    store__orun *runs;              /* open runs */
    size_t nruns;                   /* number of open runs */
    size_t capruns;                 /* allocated entries of runs */
    int64_t last_run;               /* run_id last found open (fast path), -1 if none */
    store__eorder eord;             /* order of the epoch rows of one open run */
    store__lorder lord;             /* order of the ledger rows of one open run */
    store__sorder sord;             /* order of the series rows of one open run */
};

extern const store__tdesc store__tables[STORE__NTABLES];

/* Format a message into st->errmsg and return code. */
int store__fail(store *st, int code, const char *fmt, ...);
/* Record sqlite error rc of `what` (message from the connection), map it to a STORE_E* code. */
int store__sqlfail(store *st, int rc, const char *what);
/* Run one SQL script on the connection; on error record it with `what`. */
int store__exec(store *st, const char *sql, const char *what);

/* store_write.c */
int store__prepare_writers(store *st);
void store__free_writers(store *st);
int store__commit(store *st);
/* Mark the store broken after a failed write: roll back, drop the buffers, keep errmsg. */
int store__break(store *st, int code);
const store__orun *store__find_run(const store *st, int64_t run_id);

/* store_write.c: forgets the tracked order of run_id's epoch and ledger rows (any run: 0) and
** frees their spills (run end, close); run_id is never tracked again. */
void store__order_reset(store *st, int64_t run_id);
/* store_write.c: the order state of run_id's epoch rows written in this session, or NULL when
** it is not known (another run was tracked, or the run was not written here). */
const store__eorder *store__epoch_order(const store *st, int64_t run_id);
/* 1 when every ledger row of run_id written in this session came with a seq above the last. */
int store__ledger_sorted(const store *st, int64_t run_id);
/* The spill of run_id's series rows when every one written in this session was kept in it in
** order (store__sorder), else NULL. */
store__spill *store__series_spill(const store *st, int64_t run_id);

/* store.c: the indexes store_finish builds (CREATE INDEX IF NOT EXISTS, so repeatable). */
extern const char store__indexes_v1[];

/* store_ixbuild.c: store__indexes_v1 built by a thread on a second connection to st's file,
** started when st is a writable WAL file with exactly one open run and no open transaction
** (NULL otherwise, or when no thread or memory was available: nothing was started). The caller
** keeps to reads on st until store__ix_join, which waits for the build and returns its SQLite
** result; a failed build is only lost time (store_finish builds and reports). */
typedef struct store__ixjob store__ixjob;
store__ixjob *store__ix_start(const store *st);
int store__ix_join(store__ixjob *j);

/* store_spill.c: the digest text of the tracked run's rows: for epoch rows one stream per net in
** the order of store__eorder.net, for ledger rows one stream, for series rows one stream per
** (metric, entity) in the order of store__sorder.keys (store_spill.c explains why). Every call is
** a no-op on NULL or on an abandoned spill; any failure abandons it (the digest then reads the
** database). extent: the bytes a stream keeps in memory, and the unit of the file. */
store__spill *store__spill_new(const char *dbfile, size_t extent); /* beside dbfile, or NULL */
void store__spill_free(store__spill *sp);
int store__spill_ok(const store__spill *sp);
void store__spill_insert(store__spill *sp, size_t k); /* a new stream takes place k */
void store__spill_add(store__spill *sp, size_t k, const char *text, size_t len); /* NULL: abandon */
size_t store__spill_streams(const store__spill *sp);
/* Writes out the extents the spill still gathers in memory (a failure abandons it): before any
** feed. */
void store__spill_seal(store__spill *sp);
/* Passes stream k's bytes in order to put; 0, or -1 after a read failure (some bytes passed) or
** when the spill was not sealed since its last write. */
int store__spill_feed(const store__spill *sp, size_t k, void (*put)(void *, const void *, size_t),
                      void *ctx);

/* store_digest.c */
/* The digest text of one buffered row's ncols cells (text in arena): each as its field, then
** "\n"; returns its length, or 0 when it needs more than cap bytes. */
size_t store__row_text(const store__cell *c, int ncols, const char *arena, char *out, size_t cap);
int store__sha256_hex(const void *data, size_t len, char hex[65]);
int store__digest(store *st, int64_t run_id, const int64_t lo[STORE__NTABLES], char hex[65]);

#endif
