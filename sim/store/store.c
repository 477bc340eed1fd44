/*
** store.c: opening, creating, migrating and closing the metrics database; meta and run rows.
**
** A new database is created atomically (O_CREAT|O_EXCL, then SQLite on the empty file) so two
** writers can never share a file; schema v1 is created in one transaction. Existing files are
** checked against STORE_SCHEMA_VERSION and migrated forward through a table of
** (from_version -> function) steps applied in one transaction. The busy timeout is 0: tokensim
** has one writer per file, so a lock held by someone else is reported at once, never waited for.
** While a writer is open the journal is WAL with synchronous=NORMAL (a run can be regenerated
** from its seed, so losing the last commits on power loss is acceptable); store_finish
** checkpoints and returns the file to journal_mode=DELETE so exactly one .db file remains.
*/
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store_int.h"

static const char schema_v1[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY NOT NULL, value TEXT);"
    "CREATE TABLE runs(run_id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " scenario_name TEXT NOT NULL, scenario_text TEXT NOT NULL, scenario_sha256 TEXT NOT NULL,"
    " seed INTEGER NOT NULL, run_index INTEGER NOT NULL, params_json TEXT,"
    " status TEXT NOT NULL CHECK (status IN ('running','done','failed','interrupted')),"
    " started_at TEXT NOT NULL, finished_at TEXT, wall_seconds REAL, digest TEXT, error TEXT);"
    "CREATE TABLE entities(run_id INTEGER NOT NULL, entity_id INTEGER NOT NULL,"
    " kind TEXT NOT NULL, role TEXT, name TEXT, group_id INTEGER NOT NULL);"
    /* value has no declared type: INTEGER samples stay INTEGER, REAL samples stay REAL. */
    "CREATE TABLE series(run_id INTEGER NOT NULL, t INTEGER NOT NULL, block INTEGER NOT NULL,"
    " metric TEXT NOT NULL, entity_id INTEGER NOT NULL, value NOT NULL);"
    "CREATE TABLE ledger(run_id INTEGER NOT NULL, seq INTEGER NOT NULL, t INTEGER NOT NULL,"
    " kind TEXT NOT NULL, src INTEGER NOT NULL, dst INTEGER NOT NULL,"
    " amount INTEGER NOT NULL CHECK (amount >= 0), reason TEXT);"
    "CREATE TABLE epochs(run_id INTEGER NOT NULL, net INTEGER NOT NULL, block INTEGER NOT NULL,"
    " uid INTEGER NOT NULL, stake INTEGER NOT NULL, consensus INTEGER NOT NULL,"
    " incentive INTEGER NOT NULL, dividends INTEGER NOT NULL, validator_trust INTEGER NOT NULL,"
    " permit INTEGER NOT NULL, emission INTEGER NOT NULL);"
    "INSERT INTO meta(key, value) VALUES ('schema_version', '1'),"
    " ('digest_format', 'tokensim-digest-v1'), ('sqlite_version', sqlite_version());";

/* Schema v2 adds the tables of the study models and of `tokensim sweep` (store_sweep.h). A new
** file runs the v1 script and then this same script the 1 -> 2 migration runs, so new and
** migrated files have the same schema (tested in check_store_v2). */
static const char schema_v2_tables[] =
    "CREATE TABLE retention(run_id INTEGER NOT NULL, setting INTEGER NOT NULL,"
    " kappa REAL NOT NULL, beta REAL NOT NULL, xi REAL NOT NULL, sigma REAL NOT NULL,"
    " s_h REAL NOT NULL, w_c REAL NOT NULL, w_h_needed REAL, evals INTEGER NOT NULL);"
    "CREATE TABLE sweeps(sweep_id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " scenario_name TEXT NOT NULL, design TEXT NOT NULL, key TEXT NOT NULL, lo TEXT, hi TEXT,"
    " metric TEXT NOT NULL, reduce TEXT NOT NULL, target REAL, tol REAL, max_iter INTEGER,"
    " seed INTEGER NOT NULL, status TEXT NOT NULL"
    " CHECK (status IN ('running','done','failed','interrupted')),"
    " result REAL, message TEXT, started_at TEXT NOT NULL, finished_at TEXT);"
    "CREATE TABLE sweep_points(sweep_id INTEGER NOT NULL, idx INTEGER NOT NULL, run_id INTEGER,"
    " value TEXT NOT NULL, metric REAL, verdict TEXT NOT NULL);";

/* Schema v3 adds the design description of a sweep (sweeps.spec, compared by --resume) and the
** sensitivity indices (store_sweep.h); new files run v1, v2 and this script, as the 2 -> 3
** migration does, so both have the same schema (tested in check_store_v3). */
static const char schema_v3_tables[] =
    "ALTER TABLE sweeps ADD COLUMN spec TEXT;"
    "CREATE TABLE sensitivity(sweep_id INTEGER NOT NULL, metric TEXT NOT NULL,"
    " param TEXT NOT NULL, method TEXT NOT NULL CHECK (method IN ('sobol','morris')),"
    " s1 REAL, st REAL, mu_star REAL, sigma REAL);";

/* Schema v4 adds the retention map (spec mechanisms §6.4: E_H - S_H at every grid point a
** retention search evaluated; store_sweep.h); new files run v1-v3 and this script, as the
** 3 -> 4 migration does (tested in check_store_v3). */
static const char schema_v4_tables[] =
    "CREATE TABLE retention_map(run_id INTEGER NOT NULL, setting INTEGER NOT NULL,"
    " s_h REAL NOT NULL, w_c REAL NOT NULL, w_h REAL NOT NULL, e_h REAL NOT NULL,"
    " margin REAL NOT NULL);";

const char store__indexes_v1[] =
    "CREATE INDEX IF NOT EXISTS series_by_metric ON series(run_id, metric, entity_id, t);"
    "CREATE INDEX IF NOT EXISTS entities_by_id ON entities(run_id, entity_id);"
    "CREATE INDEX IF NOT EXISTS ledger_by_seq ON ledger(run_id, seq);"
    "CREATE INDEX IF NOT EXISTS epochs_by_uid ON epochs(run_id, net, block, uid);";

/* ---- errors ---- */

#define STORE__TEXT(name, value, text)                                                             \
    case value:                                                                                    \
        return text;
const char *store_strerror(int code)
{
    switch (code) {
        STORE_ERRORS(STORE__TEXT)
    default:
        return "unknown store error";
    }
}
#undef STORE__TEXT

int store__fail(store *st, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(st->errmsg, sizeof st->errmsg, fmt, ap);
    va_end(ap);
    return code;
}

int store__sqlfail(store *st, int rc, const char *what)
{
    const char *why = st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc);
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return store__fail(st, STORE_EBUSY, "%s: database is locked by another process (%s)",
                           st->path, what);
    case SQLITE_FULL:
        return store__fail(st, STORE_EFULL, "%s: disk full while %s (%s)", st->path, what, why);
    case SQLITE_NOMEM:
        return store__fail(st, STORE_ENOMEM, "%s: out of memory while %s", st->path, what);
    default:
        return store__fail(st, STORE_ESQL, "%s: %s: %s", st->path, what, why);
    }
}

int store__exec(store *st, const char *sql, const char *what)
{
    int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? STORE_OK : store__sqlfail(st, rc, what);
}

const char *store_errmsg(const store *st)
{
    return st ? st->errmsg : "no store";
}

/* ---- small helpers ---- */

static int pragma_text(store *st, const char *sql, const char *expect, const char *what)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
    if (rc != SQLITE_OK)
        return store__sqlfail(st, rc, what);
    rc = sqlite3_step(s);
    int code = STORE_OK;
    if (rc == SQLITE_ROW) {
        const char *got = (const char *)sqlite3_column_text(s, 0);
        if (expect && (!got || strcmp(got, expect) != 0))
            code = store__fail(st, STORE_ESQL, "%s: %s: got '%s', expected '%s'", st->path, what,
                               got ? got : "NULL", expect);
    } else if (rc != SQLITE_DONE) {
        code = store__sqlfail(st, rc, what);
    }
    sqlite3_finalize(s);
    return code;
}

static int query_i64(store *st, const char *sql, int64_t *out, const char *what)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
    if (rc != SQLITE_OK)
        return store__sqlfail(st, rc, what);
    rc = sqlite3_step(s);
    int code = STORE_OK;
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(s, 0);
    else
        code = store__sqlfail(st, rc == SQLITE_DONE ? SQLITE_ERROR : rc, what);
    sqlite3_finalize(s);
    return code;
}

static void utc_now(char buf[32])
{
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm) && strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) > 0)
        return;
    snprintf(buf, 32, "unknown");
}

static store *store_alloc(const char *path, int readonly)
{
    store *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    size_t len = strlen(path) + 1;
    st->path = malloc(len);
    if (!st->path) {
        free(st);
        return NULL;
    }
    memcpy(st->path, path, len);
    st->readonly = readonly;
    st->last_run = -1;
    return st;
}

/* Close the connection and free everything, without finishing. */
static void store_destroy(store *st)
{
    store__order_reset(st, 0);
    store__free_writers(st);
    if (st->db) {
        sqlite3_stmt *s;
        while ((s = sqlite3_next_stmt(st->db, NULL)) != NULL)
            sqlite3_finalize(s);
        sqlite3_close(st->db);
    }
    free(st->runs);
    free(st->path);
    free(st);
}

/* Report a failed open: copy the message out, free st, return code. */
static int open_failed(store *st, int code, char *err, size_t errlen)
{
    if (err && errlen > 0)
        snprintf(err, errlen, "%s", st->errmsg);
    store_destroy(st);
    return code;
}

/* NOMUTEX: a store is used by one thread (store.h), and the connection mutex otherwise costs a
** lock and unlock per sqlite3_bind and sqlite3_column call (about a tenth of the digest). */
static int db_connect(store *st, int flags)
{
    int rc = sqlite3_open_v2(st->path, &st->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK)
        return store__sqlfail(st, rc, "opening the database");
    sqlite3_extended_result_codes(st->db, 1);
    rc = sqlite3_busy_timeout(st->db, 0);
    return rc == SQLITE_OK ? STORE_OK : store__sqlfail(st, rc, "setting the busy timeout");
}

/* WAL, synchronous=NORMAL, and a checkpoint only every 16384 pages (64 MiB at 4 KiB pages)
 * instead of SQLite's 1000: each checkpoint syncs, and at 1000 pages they halved the load rate
 * here. The WAL stays bounded by that plus one transaction; store_finish truncates it. */
static int writer_mode(store *st)
{
    int rc = pragma_text(st, "PRAGMA journal_mode=WAL", "wal", "switching to WAL");
    if (rc == STORE_OK)
        rc = store__exec(st, "PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=16384",
                         "setting synchronous=NORMAL");
    return rc;
}

/* ---- creating a new file ---- */

static const char *const sidecars[] = {"", "-wal", "-shm", "-journal"};

/* The directory part of path ("." if none) into buf. */
static void dir_of(const char *path, char *buf, size_t len)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(buf, len, ".");
    else if (slash == path)
        snprintf(buf, len, "/");
    else
        snprintf(buf, len, "%.*s", (int)(slash - path), path);
}

static int check_dir(store *st)
{
    char dir[4096];
    struct stat sb;
    dir_of(st->path, dir, sizeof dir);
    if (stat(dir, &sb) != 0)
        return store__fail(st, STORE_EPATH, "%s: directory '%s' does not exist", st->path, dir);
    if (!S_ISDIR(sb.st_mode))
        return store__fail(st, STORE_EPATH, "%s: '%s' is not a directory", st->path, dir);
    if (access(dir, W_OK | X_OK) != 0)
        return store__fail(st, STORE_EPATH, "%s: directory '%s' is not writable", st->path, dir);
    return STORE_OK;
}

/* Refuse (or with force remove) PATH and its journal files. */
static int clear_path(store *st, int force)
{
    char f[4200];
    struct stat sb;
    for (size_t i = 0; i < sizeof sidecars / sizeof *sidecars; i++) {
        snprintf(f, sizeof f, "%s%s", st->path, sidecars[i]);
        if (lstat(f, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode))
            return store__fail(st, STORE_EPATH, "%s: is a directory", f);
        if (!force && i == 0)
            return store__fail(st, STORE_EEXIST, "%s: already exists (use --force to overwrite)",
                               f);
        if (!force)
            return store__fail(st, STORE_EEXIST,
                               "%s: leftover journal file exists (use --force to overwrite)", f);
        if (unlink(f) != 0)
            return store__fail(st, STORE_EPATH, "%s: cannot remove: %s", f, strerror(errno));
    }
    return STORE_OK;
}

/* Create the empty file exclusively, so no other writer can be racing us for it. */
static int create_file(store *st)
{
    int fd = open(st->path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0) {
        if (errno == EEXIST)
            return store__fail(st, STORE_EEXIST, "%s: already exists (use --force to overwrite)",
                               st->path);
        return store__fail(st, STORE_EPATH, "%s: cannot create: %s", st->path, strerror(errno));
    }
    close(fd);
    return STORE_OK;
}

static void remove_created(const char *path)
{
    char f[4200];
    for (size_t i = 0; i < sizeof sidecars / sizeof *sidecars; i++) {
        snprintf(f, sizeof f, "%s%s", path, sidecars[i]);
        unlink(f);
    }
}

/* The switch to WAL needs the file alone for a moment. A file this store has just created can
** only be held by a reader glancing at it (a test or a dashboard polling for progress), so here,
** unlike for an existing file, the switch waits up to 2 s for such a reader instead of failing
** at once with "locked by another process". */
static int new_file_mode(store *st)
{
    int rc = sqlite3_busy_timeout(st->db, 2000);
    if (rc != SQLITE_OK)
        return store__sqlfail(st, rc, "setting the busy timeout");
    int code = writer_mode(st);
    rc = sqlite3_busy_timeout(st->db, 0);
    if (code == STORE_OK && rc != SQLITE_OK)
        code = store__sqlfail(st, rc, "setting the busy timeout");
    return code;
}

static int init_new(store *st)
{
    int rc = db_connect(st, SQLITE_OPEN_READWRITE);
    if (rc == STORE_OK)
        rc = new_file_mode(st);
    if (rc == STORE_OK)
        rc = store__exec(st, "BEGIN IMMEDIATE", "creating the schema");
    if (rc == STORE_OK)
        rc = store__exec(st, schema_v1, "creating the schema");
    if (rc == STORE_OK)
        rc = store__exec(st, schema_v2_tables, "creating the schema");
    if (rc == STORE_OK)
        rc = store__exec(st, schema_v3_tables, "creating the schema");
    if (rc == STORE_OK)
        rc = store__exec(st, schema_v4_tables, "creating the schema");
    if (rc == STORE_OK)
        rc = store__exec(st, "UPDATE meta SET value = '4' WHERE key = 'schema_version'; COMMIT",
                         "creating the schema");
    if (rc == STORE_OK)
        rc = store__prepare_writers(st);
    return rc;
}

int store_open(const char *path, int flags, store **out, char *err, size_t errlen)
{
    if (out)
        *out = NULL;
    if (!path || !*path || !out) {
        if (err && errlen > 0)
            snprintf(err, errlen, "store_open: missing path or output pointer");
        return STORE_EINVAL;
    }
    store *st = store_alloc(path, 0);
    if (!st) {
        if (err && errlen > 0)
            snprintf(err, errlen, "%s: out of memory", path);
        return STORE_ENOMEM;
    }
    int rc = clear_path(st, (flags & STORE_FORCE) != 0);
    if (rc == STORE_OK)
        rc = check_dir(st);
    if (rc == STORE_OK)
        rc = create_file(st);
    if (rc != STORE_OK)
        return open_failed(st, rc, err, errlen);
    rc = init_new(st);
    if (rc != STORE_OK) {
        char *p = st->path;
        st->path = NULL;
        int code = open_failed(st, rc, err, errlen);
        remove_created(p); /* a half-made file would only force the next run to --force */
        free(p);
        return code;
    }
    *out = st;
    return STORE_OK;
}

/* ---- existing files: version check and migrations ---- */

/* v0 is the draft schema of DESIGN.md: v1 without runs.error and the digest_format row. */
static int migrate_0_to_1(store *st)
{
    return store__exec(st,
                       "ALTER TABLE runs ADD COLUMN error TEXT;"
                       "INSERT OR IGNORE INTO meta(key, value)"
                       " VALUES ('digest_format', 'tokensim-digest-v1');",
                       "migrating schema 0 -> 1");
}

/* v2 adds the study and sweep tables (nothing existing changes). */
static int migrate_1_to_2(store *st)
{
    return store__exec(st, schema_v2_tables, "migrating schema 1 -> 2");
}

/* v3 adds sweeps.spec and the sensitivity table (nothing existing changes). */
static int migrate_2_to_3(store *st)
{
    return store__exec(st, schema_v3_tables, "migrating schema 2 -> 3");
}

static int migrate_3_to_4(store *st)
{
    return store__exec(st, schema_v4_tables, "migrating schema 3 -> 4");
}

typedef struct store__migration {
    int from;                /* version the step applies to; it produces from + 1 */
    int (*apply)(store *st); /* the step, run inside the migration transaction */
} store__migration;

static const store__migration migrations[] = {
    {0, migrate_0_to_1},
    {1, migrate_1_to_2},
    {2, migrate_2_to_3},
    {3, migrate_3_to_4},
};

static int read_version(store *st, int64_t *version)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, "SELECT value FROM meta WHERE key = 'schema_version'", -1,
                                &s, NULL);
    if (rc != SQLITE_OK) {
        int busy = (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
        if (busy || (rc & 0xff) == SQLITE_NOTADB)
            return store__sqlfail(st, rc, "reading the schema version");
        return store__fail(st, STORE_ESCHEMA, "%s: not a tokensim metrics database (%s)", st->path,
                           sqlite3_errmsg(st->db));
    }
    rc = sqlite3_step(s);
    int code = STORE_OK;
    if (rc == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(s, 0);
        char *end = NULL;
        long long n = v ? strtoll(v, &end, 10) : 0;
        if (!v || end == v || *end != '\0' || n < 0)
            code = store__fail(st, STORE_ESCHEMA, "%s: bad schema_version '%s' in meta", st->path,
                               v ? v : "NULL");
        *version = n;
    } else if (rc == SQLITE_DONE) {
        code = store__fail(st, STORE_ESCHEMA,
                           "%s: not a tokensim metrics database"
                           " (no schema_version in meta)",
                           st->path);
    } else {
        code = store__sqlfail(st, rc, "reading the schema version");
    }
    sqlite3_finalize(s);
    return code;
}

static int apply_migrations(store *st, int64_t from)
{
    int rc = store__exec(st, "BEGIN IMMEDIATE", "starting the migration");
    for (int64_t v = from; v < STORE_SCHEMA_VERSION && rc == STORE_OK; v++) {
        const store__migration *m = NULL;
        for (size_t i = 0; i < sizeof migrations / sizeof *migrations; i++)
            if (migrations[i].from == v)
                m = &migrations[i];
        if (!m)
            rc = store__fail(st, STORE_ESCHEMA, "%s: no migration from schema version %lld",
                             st->path, (long long)v);
        else
            rc = m->apply(st);
    }
    if (rc == STORE_OK) {
        char sql[128];
        snprintf(sql, sizeof sql,
                 "UPDATE meta SET value = '%d' WHERE key = 'schema_version'; COMMIT;",
                 STORE_SCHEMA_VERSION);
        rc = store__exec(st, sql, "recording the migrated schema version");
    }
    if (rc != STORE_OK && !sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

static int check_version(store *st)
{
    int64_t v = 0;
    int rc = read_version(st, &v);
    if (rc != STORE_OK || v == STORE_SCHEMA_VERSION)
        return rc;
    if (v > STORE_SCHEMA_VERSION)
        return store__fail(st, STORE_ESCHEMA,
                           "%s: schema version %lld is newer than this tokensim supports (%d);"
                           " use a newer tokensim",
                           st->path, (long long)v, STORE_SCHEMA_VERSION);
    if (st->readonly)
        return store__fail(st, STORE_ESCHEMA,
                           "%s: schema version %lld is older than %d and needs a migration;"
                           " open it writable to migrate",
                           st->path, (long long)v, STORE_SCHEMA_VERSION);
    return apply_migrations(st, v);
}

int store_open_existing(const char *path, int readonly, store **out, char *err, size_t errlen)
{
    if (out)
        *out = NULL;
    if (!path || !*path || !out) {
        if (err && errlen > 0)
            snprintf(err, errlen, "store_open_existing: missing path or output pointer");
        return STORE_EINVAL;
    }
    store *st = store_alloc(path, readonly != 0);
    if (!st) {
        if (err && errlen > 0)
            snprintf(err, errlen, "%s: out of memory", path);
        return STORE_ENOMEM;
    }
    struct stat sb;
    int rc = STORE_OK;
    if (stat(path, &sb) != 0)
        rc = store__fail(st, STORE_EPATH, "%s: %s", path, strerror(errno));
    else if (!S_ISREG(sb.st_mode))
        rc = store__fail(st, STORE_EPATH, "%s: not a regular file", path);
    if (rc == STORE_OK)
        rc = db_connect(st, readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE);
    if (rc == STORE_OK)
        rc = check_version(st);
    if (rc == STORE_OK && !readonly)
        rc = writer_mode(st);
    if (rc == STORE_OK && !readonly)
        rc = store__prepare_writers(st);
    if (rc != STORE_OK)
        return open_failed(st, rc, err, errlen);
    *out = st;
    return STORE_OK;
}

/* ---- finishing and closing ---- */

static int checkpoint(store *st)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, "PRAGMA wal_checkpoint(TRUNCATE)", -1, &s, NULL);
    if (rc != SQLITE_OK)
        return store__sqlfail(st, rc, "checkpointing the WAL");
    rc = sqlite3_step(s);
    int code = STORE_OK;
    if (rc == SQLITE_ROW && sqlite3_column_int(s, 0) != 0)
        code = store__fail(st, STORE_EBUSY,
                           "%s: database is locked by another process (checkpointing the WAL)",
                           st->path);
    else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        code = store__sqlfail(st, rc, "checkpointing the WAL");
    sqlite3_finalize(s);
    return code;
}

int store_finish(store *st)
{
    if (!st)
        return STORE_EINVAL;
    if (st->readonly || st->finished)
        return STORE_OK;
    int first = st->broken ? STORE_OK : store_flush(st);
    if (!sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL); /* only after a failed flush */
    int rc = store__exec(st, store__indexes_v1, "building indexes");
    first = first ? first : rc;
    rc = checkpoint(st);
    first = first ? first : rc;
    rc = pragma_text(st, "PRAGMA journal_mode=DELETE", "delete", "leaving WAL mode");
    first = first ? first : rc;
    if (first == STORE_OK)
        st->finished = 1;
    return first;
}

void store_close(store *st)
{
    if (!st)
        return;
    if (!st->readonly && st->db)
        (void)store_finish(st); /* errors are visible to callers that call store_finish */
    store_destroy(st);
}

/* ---- meta and runs ---- */

static int writable(store *st)
{
    if (st->readonly)
        return store__fail(st, STORE_ESTATE, "%s: store is read-only", st->path);
    return STORE_OK;
}

int store_meta_set(store *st, const char *key, const char *value)
{
    if (!st)
        return STORE_EINVAL;
    int rc = writable(st);
    if (rc != STORE_OK)
        return rc;
    if (!key || strcmp(key, "schema_version") == 0)
        return store__fail(st, STORE_EINVAL, "%s: meta key '%s' is missing or reserved", st->path,
                           key ? key : "NULL");
    if (!st->broken && (rc = store_flush(st)) != STORE_OK)
        return rc;
    sqlite3_stmt *s = NULL;
    rc = sqlite3_prepare_v2(st->db, "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)", -1,
                            &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(s, 1, key, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 2, value, -1, SQLITE_TRANSIENT);
        rc = sqlite3_step(s);
    }
    int code = rc == SQLITE_DONE ? STORE_OK : store__sqlfail(st, rc, "writing meta");
    sqlite3_finalize(s);
    return code;
}

static int insert_run(store *st, const store_run_info *info, int64_t *run_id)
{
    char sha[65], now[32];
    if (store__sha256_hex(info->scenario_text, strlen(info->scenario_text), sha) != STORE_OK)
        return store__fail(st, STORE_ESQL, "%s: SHA-256 of the scenario failed", st->path);
    utc_now(now);
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db,
                                "INSERT INTO runs(scenario_name, scenario_text, scenario_sha256,"
                                " seed, run_index, params_json, status, started_at)"
                                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'running', ?7)",
                                -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(s, 1, info->scenario_name, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, info->scenario_text, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, sha, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 4, (int64_t)info->seed); /* two's-complement image of the u64 */
        sqlite3_bind_int64(s, 5, (int64_t)info->run_index);
        sqlite3_bind_text(s, 6, info->params_json, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 7, now, -1, SQLITE_STATIC);
        rc = sqlite3_step(s);
    }
    int code = rc == SQLITE_DONE ? STORE_OK : store__sqlfail(st, rc, "recording the run");
    sqlite3_finalize(s);
    if (code == STORE_OK)
        *run_id = sqlite3_last_insert_rowid(st->db);
    return code;
}

static int add_open_run(store *st, const store__orun *r)
{
    if (st->nruns == st->capruns) {
        size_t cap = st->capruns ? 2 * st->capruns : 8;
        store__orun *n = realloc(st->runs, cap * sizeof *n);
        if (!n)
            return store__fail(st, STORE_ENOMEM, "%s: out of memory", st->path);
        st->runs = n;
        st->capruns = cap;
    }
    st->runs[st->nruns++] = *r;
    return STORE_OK;
}

int store_run_begin(store *st, const store_run_info *info, int64_t *run_id)
{
    if (!st)
        return STORE_EINVAL;
    int rc = writable(st);
    if (rc != STORE_OK)
        return rc;
    if (!info || !info->scenario_name || !info->scenario_text || !run_id)
        return store__fail(st, STORE_EINVAL,
                           "%s: run_begin: missing scenario name/text or"
                           " run_id pointer",
                           st->path);
    if (st->broken)
        return st->broken;
    if ((rc = store_flush(st)) != STORE_OK)
        return rc;
    if (st->finished && (rc = writer_mode(st)) != STORE_OK)
        return rc;
    st->finished = 0;
    store__orun r = {0, {0}, 0};
    for (int k = 0; k < STORE__NTABLES && rc == STORE_OK; k++) {
        char sql[96];
        snprintf(sql, sizeof sql, "SELECT coalesce(max(rowid), 0) FROM %s", store__tables[k].name);
        rc = query_i64(st, sql, &r.lo[k], "reading table sizes");
    }
    if (rc == STORE_OK)
        rc = insert_run(st, info, &r.id);
    if (rc == STORE_OK)
        rc = add_open_run(st, &r);
    if (rc == STORE_OK)
        *run_id = r.id;
    return rc;
}

static const char *status_name(int status)
{
    switch (status) {
    case STORE_RUN_DONE:
        return "done";
    case STORE_RUN_FAILED:
        return "failed";
    case STORE_RUN_INTERRUPTED:
        return "interrupted";
    default:
        return NULL;
    }
}

/* Outcome of a run as it will be recorded. */
typedef struct run_outcome {
    const char *status;  /* status text */
    const char *error;   /* error text or NULL */
    const char *digest;  /* digest hex or NULL */
    double wall_seconds; /* informational */
} run_outcome;

static int update_run(store *st, int64_t run_id, const run_outcome *o)
{
    char now[32];
    utc_now(now);
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db,
                                "UPDATE runs SET status = ?1, finished_at = ?2, wall_seconds = ?3,"
                                " digest = ?4, error = ?5 WHERE run_id = ?6 AND status = 'running'",
                                -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(s, 1, o->status, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, now, -1, SQLITE_STATIC);
        sqlite3_bind_double(s, 3, o->wall_seconds);
        sqlite3_bind_text(s, 4, o->digest, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 5, o->error, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 6, run_id);
        rc = sqlite3_step(s);
    }
    int code = rc == SQLITE_DONE ? STORE_OK : store__sqlfail(st, rc, "recording the run's end");
    sqlite3_finalize(s);
    if (code == STORE_OK && sqlite3_changes(st->db) != 1)
        code = store__fail(st, STORE_ESTATE, "%s: run %lld is not running", st->path,
                           (long long)run_id);
    return code;
}

/* Only a run whose row says 'running' may be ended. */
static int check_running(store *st, int64_t run_id)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, "SELECT status FROM runs WHERE run_id = ?1", -1, &s, NULL);
    if (rc != SQLITE_OK)
        return store__sqlfail(st, rc, "reading the run's status");
    sqlite3_bind_int64(s, 1, run_id);
    rc = sqlite3_step(s);
    int code = STORE_OK;
    if (rc == SQLITE_DONE) {
        code = store__fail(st, STORE_ENOTFOUND, "%s: no run %lld", st->path, (long long)run_id);
    } else if (rc == SQLITE_ROW) {
        const char *status = (const char *)sqlite3_column_text(s, 0);
        if (!status || strcmp(status, "running") != 0)
            code = store__fail(st, STORE_ESTATE, "%s: run %lld is not running (status '%s')",
                               st->path, (long long)run_id, status ? status : "NULL");
    } else {
        code = store__sqlfail(st, rc, "reading the run's status");
    }
    sqlite3_finalize(s);
    return code;
}

static void forget_run(store *st, int64_t run_id)
{
    for (size_t i = 0; i < st->nruns; i++) {
        if (st->runs[i].id == run_id) {
            st->runs[i] = st->runs[--st->nruns];
            break;
        }
    }
    st->last_run = -1;
    /* The rows lost by a failed write belonged to runs now closed as failed: start clean. */
    if (st->nruns == 0)
        st->broken = 0;
}

/* store_run_end; last: also start the index build beside the digest (store_run_end_last). */
static int run_end(store *st, int64_t run_id, int status, const char *error_text,
                   double wall_seconds, char digest_hex[65], int last)
{
    if (digest_hex)
        digest_hex[0] = '\0';
    if (!st)
        return STORE_EINVAL;
    int rc = writable(st);
    if (rc != STORE_OK)
        return rc;
    run_outcome o = {status_name(status), status == STORE_RUN_DONE ? NULL : error_text, NULL,
                     wall_seconds};
    if (!o.status)
        return store__fail(st, STORE_EINVAL, "%s: run_end: bad status %d", st->path, status);
    if ((rc = check_running(st, run_id)) != STORE_OK)
        return rc;
    char why[sizeof st->errmsg], dig[65];
    int result = st->broken ? st->broken : store_flush(st);
    if (result != STORE_OK)
        snprintf(why, sizeof why, "%s", st->errmsg);
    const store__orun *r = store__find_run(st, run_id);
    store__ixjob *ix = last && result == STORE_OK ? store__ix_start(st) : NULL;
    rc = store__digest(st, run_id, r ? r->lo : NULL, dig);
    store__order_reset(st, run_id); /* the spills' disk space, before the run's row is written */
    (void)store__ix_join(ix);       /* before this connection writes again */
    if (rc == STORE_OK)
        o.digest = dig;
    else if (result == STORE_OK) {
        result = rc;
        snprintf(why, sizeof why, "%s", st->errmsg);
    }
    if (result != STORE_OK && status == STORE_RUN_DONE) {
        o.status = "failed"; /* never claim 'done' for incomplete data */
        o.error = why;
    } else if (result != STORE_OK && !o.error && status == STORE_RUN_FAILED) {
        o.error = why;
    }
    rc = update_run(st, run_id, &o);
    if (rc != STORE_OK)
        return rc;
    forget_run(st, run_id);
    if (digest_hex && o.digest)
        memcpy(digest_hex, dig, 65);
    if (result != STORE_OK && status == STORE_RUN_DONE)
        return store__fail(st, result, "%s", why);
    return STORE_OK;
}

int store_run_end(store *st, int64_t run_id, int status, const char *error_text,
                  double wall_seconds, char digest_hex[65])
{
    return run_end(st, run_id, status, error_text, wall_seconds, digest_hex, 0);
}

int store_run_end_last(store *st, int64_t run_id, int status, const char *error_text,
                       double wall_seconds, char digest_hex[65])
{
    return run_end(st, run_id, status, error_text, wall_seconds, digest_hex, 1);
}

int64_t store_test_set_max_pages(store *st, int64_t max_pages)
{
    if (!st || max_pages < 0)
        return STORE_EINVAL;
    char sql[64];
    int64_t got = 0;
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld", (long long)max_pages);
    int rc = query_i64(st, sql, &got, "setting max_page_count");
    return rc == STORE_OK ? got : rc;
}
