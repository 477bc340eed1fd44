/*
** store.h: the SQLite metrics database of tokensim (writer, reader checks, migrations, digest).
**
** One `store` wraps one SQLite connection to one database file. A writer (store_open) creates a
** fresh file with schema v1, records runs and their metric rows, and on store_close leaves a
** single self-contained .db file behind (WAL checkpointed, journal_mode back to DELETE, indexes
** built after the load). Readers (store_open_existing) check the schema version and migrate old
** files. Everything a designer needs is plain SQL: `sqlite3 run.db`.
**
** Schema v1 (column order as below; all tables are ordinary rowid tables):
**   meta(key TEXT PRIMARY KEY, value TEXT)        schema_version='1', digest_format, ...
**   runs(run_id INTEGER PRIMARY KEY AUTOINCREMENT, scenario_name, scenario_text, scenario_sha256,
**        seed, run_index, params_json, status, started_at, finished_at, wall_seconds, digest,
**        error)
**        status in ('running','done','failed','interrupted'); error holds the failure text.
**        seed is the u64 seed stored as its two's-complement int64 image (seeds < 2^63 read as
**        themselves; cast to unsigned to recover larger ones).
**   entities(run_id, entity_id, kind, role, name, group_id)
**   series(run_id, t, block, metric, entity_id, value)   value is INTEGER or REAL (no affinity)
**   ledger(run_id, seq, t, kind, src, dst, amount, reason)  amount: INTEGER base units, >= 0
**   epochs(run_id, net, block, uid, stake, consensus, incentive, dividends, validator_trust,
**          permit, emission)
** Schema v2 (v1 files are migrated on store_open_existing) adds retention, sweeps and
** sweep_points, written through store_sweep.h (which documents them). Schema v3 (v2 files are
** migrated likewise) adds sweeps.spec and the sensitivity table (store_sweep.h).
** Indexes: entities(run_id, entity_id), built by store_finish/store_close (never during the
** load); epochs(run_id, net, block, uid), ledger(run_id, seq) and series(run_id, metric,
** entity_id, t), which a writable store creates when it opens and keeps during the load (epoch
** rows arrive in key order per subnet, ledger rows by increasing seq, and series rows are
** inserted in key order a buffer at a time, so that costs less than sorting millions of keys on
** the critical path of the run's end).
** Writing: metric rows are buffered per table and inserted STORE_BATCH_ROWS at a time with one
** prepared multi-row INSERT, inside explicit transactions committed every STORE_COMMIT_ROWS rows
** and at store_flush/store_run_begin/store_run_end. Series rows are buffered STORE_SERIES_ROWS at
** a time and inserted in the series index's order (run_id, metric, entity_id), each (metric,
** entity)'s rows in the order they were written: so rowid order is write order within one
** metric and entity, not across them (ask for ORDER BY t, as with any SQL table), and one walk
** of the index takes a buffer's entries instead of one random leaf page per row (a 10.5M-block,
** 8-subnet Bittensor run: 2.9M series rows; building their index at the end took 2.8-3.5 s).
** Cost is amortised O(1) per row (O(log STORE_SERIES_ROWS) for series rows); store_digest
** sorts the run's rows, O(n log n), except the rows of a run still open on this store that
** arrived in canonical order (epoch rows all at once or per net, ledger rows by increasing seq):
** those are not read back at all: the writer keeps their digest text as it buffers them (per
** net for epoch rows) in a temporary file beside the database (unlinked as soon as it is made;
** about 100 bytes per row, given back when the run's digest is made), and the digest hashes
** it, O(n), the same bytes (when that file cannot be written, the rows are read back in rowid
** order or along the epochs index instead).
** A failed write (disk full, lock, I/O) rolls the open transaction back, discards the buffered
** rows and makes the store "broken": later metric writes return the same error, store_run_end
** can still mark the run failed, store_close still works; once every open run has been ended
** the store accepts new runs again. A store is used by one thread at a time; several runs may be
** open on one store at once.
**
** Canonical digest format (version "tokensim-digest-v1"). The digest is the lowercase hex
** SHA-256 of this byte stream:
**
**   "tokensim-digest-v1\n"
**   "seed " <seed as unsigned decimal> "\n"
**   "scenario_sha256 " <the run's scenario_sha256 text> "\n"
**   "params " <params_json as one field (below): text, or "n;" when NULL> "\n"
**   "entities\n" <row>*   rows ORDER BY entity_id, kind, role, name, group_id
**   "series\n"   <row>*   rows ORDER BY metric, entity_id, t, block, typeof(value), value
**   "ledger\n"   <row>*   rows ORDER BY seq, t, kind, src, dst, amount, reason
**   "epochs\n"   <row>*   rows ORDER BY net, block, uid, stake, consensus, incentive,
**                         dividends, validator_trust, permit, emission
**   "end\n"
**
** A <row> is the table's columns in schema order WITHOUT run_id, each as one field, then "\n":
**   integer   "i" <decimal, '-' for negatives> ";"        e.g. "i-42;"
**   real      "f" <16 lowercase hex digits: the IEEE-754 binary64 bit pattern, most
**             significant first> ";"                        e.g. 1.5 -> "f3ff8000000000000;"
**   text      "s" <byte length in decimal> ":" <the bytes> ";"   e.g. "s3:abc;"
**   NULL      "n;"
** Ordering uses SQLite's rules (integers/reals numerically, text by memcmp with the shorter
** prefix first, NULL first); typeof(value) puts integer samples before real ones with equal keys.
** Fields are self-delimiting and section names cannot start a row, so two different row sets
** never serialise to the same bytes. Provenance (run_id, started_at, finished_at, wall_seconds,
** tokensim version, run_index, status) is not part of the digest. params_json is: it holds the
** effective parameters after --set overrides, which the scenario text does not.
** Negative zero is stored (and digested) as +0.0; NaN samples are refused.
*/
#ifndef TOKENSIM_STORE_H
#define TOKENSIM_STORE_H

#include <stddef.h>
#include <stdint.h>

typedef struct store store;

enum { STORE_FORCE = 1 }; /* store_open flag: replace an existing file */

enum { STORE_SCHEMA_VERSION = 4 };  /* the schema this build writes (v2-v4: store_sweep.h) */
enum { STORE_BATCH_ROWS = 50 };     /* rows per multi-row INSERT */
enum { STORE_COMMIT_ROWS = 50000 }; /* rows per transaction during the load */
enum { STORE_SERIES_ROWS = 65536 }; /* series rows buffered, then inserted in index order */

/* Status codes: 0 ok, negative error. store_strerror() names them; details on the context. */
#define STORE_ERRORS(X)                                                                            \
    X(STORE_OK, 0, "ok")                                                                           \
    X(STORE_EINVAL, -1, "invalid argument")                                                        \
    X(STORE_EEXIST, -2, "file already exists")                                                     \
    X(STORE_EPATH, -3, "unusable path")                                                            \
    X(STORE_EBUSY, -4, "database is locked by another process")                                    \
    X(STORE_EFULL, -5, "disk full")                                                                \
    X(STORE_ESCHEMA, -6, "unsupported schema version")                                             \
    X(STORE_ERANGE, -7, "value out of range")                                                      \
    X(STORE_ESTATE, -8, "operation not allowed in this state")                                     \
    X(STORE_ENOMEM, -9, "out of memory")                                                           \
    X(STORE_ESQL, -10, "database error")                                                           \
    X(STORE_ENOTFOUND, -11, "not found")

#define STORE__ENUM(name, value, text) name = (value),
enum store_error { STORE_ERRORS(STORE__ENUM) };
#undef STORE__ENUM

/* Run statuses accepted by store_run_end. */
enum store_status { STORE_RUN_DONE, STORE_RUN_FAILED, STORE_RUN_INTERRUPTED };

/* Identity of one run, copied by store_run_begin. */
typedef struct store_run_info {
    const char *scenario_name; /* short name, not NULL */
    const char *scenario_text; /* the exact scenario bytes run (hashed into scenario_sha256) */
    uint64_t seed;             /* master seed */
    uint32_t run_index;        /* position in a sweep, 0 for a single run */
    const char *params_json;   /* overrides/parameters as JSON, or NULL */
} store_run_info;

/* One neuron's row of an epoch result (Bittensor Yuma output). */
typedef struct store_epoch_row {
    int64_t net;             /* subnet id */
    int64_t block;           /* block of the epoch */
    int64_t uid;             /* neuron uid */
    uint64_t stake;          /* stake, base units (must be <= INT64_MAX) */
    int64_t consensus;       /* raw fixed-point consensus */
    int64_t incentive;       /* raw fixed-point incentive */
    int64_t dividends;       /* raw fixed-point dividends */
    int64_t validator_trust; /* raw fixed-point validator trust */
    int permit;              /* validator permit, 0 or 1 */
    uint64_t emission;       /* emission, base units (must be <= INT64_MAX) */
} store_epoch_row;

/* Name of a status code ("disk full", ...); never NULL. */
const char *store_strerror(int code);

/*
** Create a new database at `path` with schema v1, WAL journal, synchronous=NORMAL, busy timeout
** 0. Refuses an existing path ("PATH: already exists (use --force to overwrite)"), or leftover
** PATH-wal/-shm/-journal files, unless flags has STORE_FORCE, which removes all four first.
** Refuses a path whose directory is missing or not writable. On success *out is the store; on
** failure *out is NULL, the message is in err (if errlen > 0) and a STORE_E* code is returned.
*/
int store_open(const char *path, int flags, store **out, char *err, size_t errlen);

/*
** Open an existing tokensim database. Checks meta.schema_version: a newer version than
** STORE_SCHEMA_VERSION is refused; an older one is migrated (writable) or refused (readonly).
** A writable store can record further runs (WAL while open, DELETE again after close).
** A database locked by another process is an error, reported at once, never waited for.
*/
int store_open_existing(const char *path, int readonly, store **out, char *err, size_t errlen);

/*
** For writers: flush and commit, build the indexes, checkpoint the WAL and switch the journal
** back to DELETE. Returns the first error (store_close calls it and ignores the result; call it
** yourself to see errors). Further writes after it are allowed but will maintain the indexes.
*/
int store_finish(store *st);

/* Finish (writers), finalize statements, close the connection and free st. NULL is a no-op. */
void store_close(store *st);

/* The last error message ("what: why"), "" if none. Valid until the next call on st. */
const char *store_errmsg(const store *st);

/* Set meta(key) = value (insert or replace). The key "schema_version" is reserved. */
int store_meta_set(store *st, const char *key, const char *value);

/*
** Insert a run row with status 'running', started_at = now (UTC ISO-8601, informational) and
** scenario_sha256 = SHA-256(scenario_text); commits at once so a crash leaves it visible.
** *run_id receives the new id. Metric rows may only be written for runs begun on this store.
*/
int store_run_begin(store *st, const store_run_info *info, int64_t *run_id);

/* Declare an entity. kind must not be NULL; role and name may be NULL (stored as NULL). */
int store_entity(store *st, int64_t run_id, int64_t entity_id, const char *kind, const char *role,
                 const char *name, int64_t group_id);

/* One integer sample of `metric` for an entity at time t / block. metric must not be NULL. */
int store_series_i64(store *st, int64_t run_id, int64_t t, int64_t block, const char *metric,
                     int64_t entity_id, int64_t value);

/* One real sample; NaN is refused (STORE_EINVAL), -0.0 is stored as +0.0. */
int store_series_f64(store *st, int64_t run_id, int64_t t, int64_t block, const char *metric,
                     int64_t entity_id, double value);

/*
** One token movement. amount is in u64 base units and stored as INTEGER; an amount above
** INT64_MAX is refused with STORE_ERANGE (never wrapped). kind must not be NULL; reason may be.
*/
int store_ledger(store *st, int64_t run_id, int64_t seq, int64_t t, const char *kind, int64_t src,
                 int64_t dst, uint64_t amount, const char *reason);

/* One epoch row; stake/emission above INT64_MAX are refused with STORE_ERANGE. */
int store_epoch(store *st, int64_t run_id, const store_epoch_row *row);

/* Insert every buffered row and commit. */
int store_flush(store *st);

/*
** Close a run: flush, compute the digest, set status, finished_at, wall_seconds, digest (and
** error = error_text for STORE_RUN_FAILED), commit. digest_hex (may be NULL) receives the
** 64-hex digest, or "" if it could not be computed. A run asked to be DONE on a broken store
** (earlier write error) or whose digest fails is recorded as 'failed' with that error and the
** error code is returned. Only a run whose row is still 'running' can be ended.
*/
int store_run_end(store *st, int64_t run_id, int status, const char *error_text,
                  double wall_seconds, char digest_hex[65]);

/* store_run_end for the last run the caller will write on st before store_finish: while this
** connection computes the digest, a second connection builds the indexes store_finish would
** build afterwards (two cores instead of one in turn; the digest and the recorded run are the
** same). When st is not a WAL file with this one run open, it is store_run_end. */
int store_run_end_last(store *st, int64_t run_id, int status, const char *error_text,
                       double wall_seconds, char digest_hex[65]);

/* Digest of a run's rows (format above) into digest_hex; flushes this store's buffers first. */
int store_digest(store *st, int64_t run_id, char digest_hex[65]);

/* Test hook: PRAGMA max_page_count = max_pages, to simulate a full disk. Returns the limit set
** (SQLite never sets it below the current size), or a negative STORE_E* code. */
int64_t store_test_set_max_pages(store *st, int64_t max_pages);

#endif
