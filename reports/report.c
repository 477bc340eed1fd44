/*
** report.c: report_render — checks gnuplot and the output directory, opens the DB read-only,
** picks the run to show (the newest unless --run says otherwise) and its time unit, then runs the
** model's plot set (rp_models.c), the many-run set (rp_sweep.c) and writes index.html
** (rp_html.c). Also owns the context's lists (plots, skips, summary numbers, tables).
** The first error wins: later steps stop and the message names what failed.
*/
#define _XOPEN_SOURCE 700

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report.h"
#include "rp_int.h"

int rp_fail(rp_ctx *c, int code, const char *fmt, ...)
{
    if (c->code == 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->err, sizeof c->err, fmt, ap);
        va_end(ap);
        c->code = code;
    }
    return -1;
}

/* Grows a list to hold one more item; 0 or -1 (out of memory, error set). */
static int grow(rp_ctx *c, void **items, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return 0;
    size_t k = *cap ? 2 * *cap : 16;
    void *p = realloc(*items, k * size);
    if (!p)
        return rp_fail(c, REPORT_EIO, "out of memory");
    *items = p, *cap = k;
    return 0;
}

void rp_add_skip(rp_ctx *c, const char *section, const char *stem, const char *reason)
{
    if (grow(c, (void **)&c->skips, c->nskips, &c->cskips, sizeof *c->skips) != 0)
        return;
    rp_skip *s = &c->skips[c->nskips++];
    snprintf(s->section, sizeof s->section, "%s", section);
    snprintf(s->stem, sizeof s->stem, "%s", stem);
    snprintf(s->reason, sizeof s->reason, "%s", reason);
}

void rp_add_kv(rp_ctx *c, const char *section, const char *key, const char *fmt, ...)
{
    if (grow(c, (void **)&c->kvs, c->nkvs, &c->ckvs, sizeof *c->kvs) != 0)
        return;
    rp_kv *kv = &c->kvs[c->nkvs++];
    va_list ap;
    snprintf(kv->section, sizeof kv->section, "%s", section);
    snprintf(kv->key, sizeof kv->key, "%s", key ? key : "?");
    va_start(ap, fmt);
    vsnprintf(kv->value, sizeof kv->value, fmt, ap);
    va_end(ap);
}

rp_table *rp_add_table(rp_ctx *c, const char *section, const char *title, int ncols, ...)
{
    if (grow(c, (void **)&c->tables, c->ntables, &c->ctables, sizeof *c->tables) != 0)
        return NULL;
    rp_table *t = &c->tables[c->ntables++];
    memset(t, 0, sizeof *t);
    snprintf(t->section, sizeof t->section, "%s", section);
    snprintf(t->title, sizeof t->title, "%s", title);
    t->ncols = ncols;
    va_list ap;
    va_start(ap, ncols);
    for (int i = 0; i < ncols; i++)
        rp_table_cell(c, t, "%s", va_arg(ap, const char *));
    va_end(ap);
    return t;
}

void rp_table_cell(rp_ctx *c, rp_table *t, const char *fmt, ...)
{
    char buf[RP_TEXT];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char **cells = realloc(t->cells, (t->ncells + 1) * sizeof *cells);
    char *s = malloc(strlen(buf) + 1);
    if (cells)
        t->cells = cells;
    if (!cells || !s) {
        free(s);
        rp_fail(c, REPORT_EIO, "out of memory");
        return;
    }
    memcpy(s, buf, strlen(buf) + 1);
    t->cells[t->ncells++] = s;
}

static void ctx_clear(rp_ctx *c)
{
    for (size_t i = 0; i < c->ntables; i++) {
        for (size_t k = 0; k < c->tables[i].ncells; k++)
            free(c->tables[i].cells[k]);
        free(c->tables[i].cells);
    }
    free(c->tables);
    free(c->plots);
    free(c->skips);
    free(c->kvs);
    sqlite3_close(c->db);
}

static int open_db(rp_ctx *c, const char *path)
{
    if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        return rp_fail(c, REPORT_EDB, "%s: cannot open: %s", path,
                       c->db ? sqlite3_errmsg(c->db) : "out of memory");
    sqlite3_busy_timeout(c->db, 5000);
    if (!rp_has_table(c, "runs") || !rp_has_table(c, "series"))
        return rp_fail(c, REPORT_EDB, "%s: not a tokensim metrics database (no runs table)", path);
    return 0;
}

/* A sweep run's params_json holds only the swept keys (the sweep contract), so the model is
** recognised by what the run recorded when params_json does not name it. */
static void guess_model(rp_ctx *c)
{
    static const struct {
        const char *sql, *model;
    } probes[] = {
        {"SELECT 1 FROM series WHERE run_id = ?1 AND metric = 'block_reward' LIMIT 1", "token"},
        {"SELECT 1 FROM series WHERE run_id = ?1 AND metric = 'block_emission' LIMIT 1",
         "bittensor"},
        {"SELECT 1 FROM series WHERE run_id = ?1 AND metric GLOB 'bitgrit.*' LIMIT 1", "bitgrit"},
        {"SELECT 1 FROM series WHERE run_id = ?1 AND metric GLOB 'numerai.*' LIMIT 1", "numerai"},
        {"SELECT 1 FROM series WHERE run_id = ?1 AND metric = 'accuracy_mean' LIMIT 1", "aigen"},
        {"SELECT 1 FROM series WHERE run_id = ?1 AND metric = 'share_depth_0' LIMIT 1", "cflow"},
        {"SELECT 1 FROM series WHERE run_id = ?1 AND metric = 'cabal_share' LIMIT 1",
         "collusion-toy"},
    };
    for (size_t i = 0; i < sizeof probes / sizeof probes[0] && !c->model[0]; i++)
        if (rp_int(c, c->run, probes[i].sql, 0) == 1)
            snprintf(c->model, sizeof c->model, "%s", probes[i].model);
    if (!c->model[0] && rp_has_table(c, "retention") &&
        rp_int(c, c->run, "SELECT 1 FROM retention WHERE run_id = ?1 LIMIT 1", 0) == 1)
        snprintf(c->model, sizeof c->model, "retention");
}

/* The run to show, its model and the time unit of the x axes. */
static int pick_run(rp_ctx *c, int64_t wanted)
{
    c->run = wanted ? rp_int(c, wanted, "SELECT run_id FROM runs WHERE run_id = ?1", 0)
                    : rp_int(c, 0, "SELECT max(run_id) FROM runs", 0);
    if (c->run == 0)
        return wanted ? rp_fail(c, REPORT_EUSAGE, "no run with id %lld in the database",
                                (long long)wanted)
                      : rp_fail(c, REPORT_EDB, "the database holds no run");
    rp_text(c, c->run, "SELECT json_extract(params_json, '$.model') FROM runs WHERE run_id = ?1",
            c->model, sizeof c->model);
    if (!c->model[0])
        guess_model(c);
    double tmax = rp_real(c, c->run, "SELECT max(t) FROM series WHERE run_id = ?1", 0.0);
    /* Years for runs of a year or more, days down to two days, hours below. */
    if (tmax >= 31536000.0)
        c->tdiv = 31536000.0, snprintf(c->tunit, sizeof c->tunit, "years");
    else if (tmax >= 2 * 86400.0)
        c->tdiv = 86400.0, snprintf(c->tunit, sizeof c->tunit, "days");
    else
        c->tdiv = 3600.0, snprintf(c->tunit, sizeof c->tunit, "hours");
    return 0;
}

static int prepare_dir(rp_ctx *c, const char *dir)
{
    if (!dir || !dir[0])
        return rp_fail(c, REPORT_EUSAGE, "no output directory");
    if (strpbrk(dir, "'\n\r\\"))
        return rp_fail(c, REPORT_EUSAGE,
                       "output directory '%s' contains a quote, backslash or newline", dir);
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return rp_fail(c, REPORT_EIO, "cannot create %s: %s", dir, strerror(errno));
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return rp_fail(c, REPORT_EIO, "%s is not a directory", dir);
    /* Absolute, so the scripts written into it can be re-run from anywhere. */
    char abs[PATH_MAX];
    if (!realpath(dir, abs))
        return rp_fail(c, REPORT_EIO, "%s: %s", dir, strerror(errno));
    if (strpbrk(abs, "'\n\r\\") || strlen(abs) >= sizeof c->dir - 64)
        return rp_fail(c, REPORT_EUSAGE,
                       "output directory '%s' contains a quote, backslash or newline, or is too "
                       "long",
                       abs);
    snprintf(c->dir, sizeof c->dir, "%s", abs);
    return 0;
}

int report_render(const report_opts *o, report_result *res, char *err, size_t errlen)
{
    rp_ctx *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errlen, "out of memory");
        return REPORT_EIO;
    }
    c->formats = o->formats ? o->formats : REPORT_PNG;
    c->dbpath = o->db ? o->db : "";
    if (report_find_gnuplot(c->gnuplot, sizeof c->gnuplot) != 0)
        rp_fail(c, REPORT_EGNUPLOT,
                "gnuplot not found on PATH: the report needs it (Debian: apt-get install "
                "gnuplot-nox)");
    if (c->code == 0 && prepare_dir(c, o->dir) == 0 && open_db(c, o->db) == 0 &&
        pick_run(c, o->run_id) == 0) {
        int64_t runs = rp_int(c, 0, "SELECT count(*) FROM runs", 0);
        if (rp_models(c) == 0 && rp_sweep(c, (int)runs) == 0 && rp_render_all(c) == 0)
            rp_html_write(c);
    }
    int code = c->code;
    if (code)
        snprintf(err, errlen, "%s", c->err);
    if (res) {
        snprintf(res->index, sizeof res->index, "%s/index.html", c->dir);
        res->plots = (int)c->nplots;
        res->skipped = (int)c->nskips;
    }
    ctx_clear(c);
    free(c);
    return code;
}
