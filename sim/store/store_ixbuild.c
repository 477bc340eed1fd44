/*
** store_ixbuild.c: building the indexes of store_finish on a second connection while the first
** one computes a run's digest (store_run_end_last).
**
** The two jobs are the end of every large run and used to run one after the other on one core:
** on a 2M-block, 8-subnet Bittensor run the digest read 1.4 s and the indexes took 1.1 s. In WAL
** mode one writer and any number of readers proceed together, each reader on the snapshot it
** began with, so the digest (a reader) sees exactly the rows it would have seen alone, and the
** index build (the writer) needs nothing from it. The build is an optimisation only: whatever
** happens here (no thread, no connection, a full disk), store_finish runs the same idempotent
** CREATE INDEX IF NOT EXISTS script afterwards and reports any failure the usual way.
*/
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdlib.h>

#include "store_int.h"

struct store__ixjob {
    pthread_t thread; /* the builder */
    const char *path; /* the database file (SQLite's name for it, valid while st is open) */
    int rc;           /* SQLite result of the build */
};

static void *build(void *arg)
{
    store__ixjob *j = arg;
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(j->path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    /* The same durability as the writer's connection (store.c: writer_mode); a short wait in
    ** case the first connection is still releasing its last write. */
    if (rc == SQLITE_OK)
        rc = sqlite3_busy_timeout(db, 2000);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, store__indexes_v1, NULL, NULL, NULL);
    sqlite3_close(db);
    j->rc = rc;
    return NULL;
}

store__ixjob *store__ix_start(const store *st)
{
    if (st->readonly || st->broken || st->nruns != 1 || !sqlite3_get_autocommit(st->db))
        return NULL;
    const char *file = sqlite3_db_filename(st->db, "main");
    if (!file || !*file) /* in-memory or temporary database: no second connection */
        return NULL;
    store__ixjob *j = malloc(sizeof *j);
    if (!j)
        return NULL;
    j->path = file, j->rc = SQLITE_OK;
    if (pthread_create(&j->thread, NULL, build, j) != 0) {
        free(j);
        return NULL;
    }
    return j;
}

int store__ix_join(store__ixjob *j)
{
    if (!j)
        return SQLITE_OK;
    pthread_join(j->thread, NULL);
    int rc = j->rc;
    free(j);
    return rc;
}
