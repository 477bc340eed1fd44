/*
** rp_db.c: the report's SQL helpers and .dat exporter. Every query is prepared, run and
** finalised here; ?1 is bound to a run id when the query has a parameter. Data files hold
** display values (%.9g); a NULL becomes NaN, which gnuplot skips. O(rows) per export.
*/
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "rp_int.h"

static sqlite3_stmt *prepare(rp_ctx *c, int64_t run, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return NULL;
    }
    if (sqlite3_bind_parameter_count(st) >= 1)
        sqlite3_bind_int64(st, 1, run);
    return st;
}

int64_t rp_int(rp_ctx *c, int64_t run, const char *sql, int64_t def)
{
    sqlite3_stmt *st = prepare(c, run, sql);
    int64_t v = def;
    if (st && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

double rp_real(rp_ctx *c, int64_t run, const char *sql, double def)
{
    sqlite3_stmt *st = prepare(c, run, sql);
    double v = def;
    if (st && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        v = sqlite3_column_double(st, 0);
    sqlite3_finalize(st);
    return v;
}

void rp_text(rp_ctx *c, int64_t run, const char *sql, char *out, size_t len)
{
    sqlite3_stmt *st = prepare(c, run, sql);
    out[0] = '\0';
    if (st && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, len, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

int rp_has_table(rp_ctx *c, const char *name)
{
    sqlite3_stmt *st;
    int yes = 0;
    if (sqlite3_prepare_v2(c->db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        yes = sqlite3_step(st) == SQLITE_ROW;
    }
    sqlite3_finalize(st);
    return yes;
}

int rp_has_metric(rp_ctx *c, const char *metric)
{
    sqlite3_stmt *st;
    int yes = 0;
    if (sqlite3_prepare_v2(c->db, "SELECT 1 FROM series WHERE run_id = ? AND metric = ? LIMIT 1",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, c->run);
        sqlite3_bind_text(st, 2, metric, -1, SQLITE_STATIC);
        yes = sqlite3_step(st) == SQLITE_ROW;
    }
    sqlite3_finalize(st);
    return yes;
}

void *rp_open(rp_ctx *c, const char *file)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", c->dir, file);
    FILE *f = fopen(path, "w");
    if (!f)
        rp_fail(c, REPORT_EIO, "%s: %s", path, strerror(errno));
    return f;
}

int rp_close(rp_ctx *c, void *f, const char *file)
{
    if (fclose(f) != 0)
        return rp_fail(c, REPORT_EIO, "%s/%s: write error", c->dir, file);
    return 0;
}

/* A name safe inside a gnuplot double-quoted column header. */
static void put_name(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++)
        fputc(*s == '"' || *s == '\\' || (unsigned char)*s < 32 ? '\'' : *s, f);
    fputc('"', f);
}

static void put_value(FILE *f, sqlite3_stmt *st, int k)
{
    int type = sqlite3_column_type(st, k);
    if (type == SQLITE_NULL)
        fputs("NaN", f);
    else if (type == SQLITE_TEXT)
        put_name(f, (const char *)sqlite3_column_text(st, k));
    else
        fprintf(f, "%.9g", sqlite3_column_double(st, k));
}

static void put_header(FILE *f, const char *header)
{
    if (!header)
        return;
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", header);
    int first = 1;
    for (char *save = NULL, *w = strtok_r(buf, "|", &save); w; w = strtok_r(NULL, "|", &save)) {
        fputs(first ? "" : " ", f);
        put_name(f, w);
        first = 0;
    }
    fputc('\n', f);
}

static void write_rows(sqlite3_stmt *st, FILE *f, const char *header, int grouped, int *rows,
                       int *blocks, int *rc)
{
    char prev[256] = "";
    int cols = sqlite3_column_count(st), started = 0;
    if (!grouped)
        put_header(f, header);
    while ((*rc = sqlite3_step(st)) == SQLITE_ROW) {
        int k0 = 0;
        if (grouped) {
            const char *g = (const char *)sqlite3_column_text(st, 0);
            g = g ? g : "?";
            if (!started || strcmp(prev, g) != 0) {
                fputs(started ? "\n\n" : "", f);
                put_name(f, g);
                for (int k = 2; k < cols; k++)
                    fputs(" \"x\"", f);
                fputc('\n', f);
                snprintf(prev, sizeof prev, "%s", g);
                started = 1;
                ++*blocks;
            }
            k0 = 1;
        }
        for (int k = k0; k < cols; k++) {
            if (k > k0)
                fputc(' ', f);
            put_value(f, st, k);
        }
        fputc('\n', f);
        ++*rows;
    }
}

int rp_export(rp_ctx *c, const char *file, const char *header, const char *sql, int grouped,
              int *rows, int *blocks)
{
    int nrows = 0, nblocks = 0, rc = SQLITE_ERROR;
    sqlite3_stmt *st = prepare(c, c->run, sql);
    if (!st)
        return rp_fail(c, REPORT_EDB, "query for %s failed: %s", file, sqlite3_errmsg(c->db));
    FILE *f = rp_open(c, file);
    if (!f) {
        sqlite3_finalize(st);
        return -1;
    }
    write_rows(st, f, header, grouped, &nrows, &nblocks, &rc);
    sqlite3_finalize(st);
    if (rp_close(c, f, file) != 0)
        return -1;
    if (rc != SQLITE_DONE)
        return rp_fail(c, REPORT_EDB, "query for %s failed: %s", file, sqlite3_errmsg(c->db));
    if (rows)
        *rows = nrows;
    if (blocks)
        *blocks = nblocks;
    return 0;
}
