/*
** rp_int.h: internals of the report module (report.h), shared by its files:
**   rp_db.c       SQL helpers and the .dat exporters (one value per column, NaN for NULL)
**   rp_gnuplot.c  gnuplot driver: one script per plot from an embedded template, per format
**   rp_plots.c    generic plot builders (lines from metrics, blocks per entity, bars, Lorenz)
**   rp_models.c   the plot sets of each model (token, bittensor + attacks, bitgrit, numerai,
**                 aigen, cflow, retention, collusion-toy)
**   rp_sweep.c    plots and tables over many runs (fan charts, heat maps, sensitivity, bisection)
**   rp_html.c     index.html (every DB string escaped)
**   report.c      orchestration and provenance
** Invariant: every list on the context keeps insertion order, which follows a fixed order of
** plot sets, so a report is byte-identical for the same DB (modulo gnuplot's own output).
*/
#ifndef TOKENSIM_RP_INT_H
#define TOKENSIM_RP_INT_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#define RP_NAME 96
#define RP_TEXT 512

typedef struct rp_plot {
    char section[RP_NAME]; /* page section (model or "sweep") */
    char stem[RP_NAME];    /* file name without extension */
    char caption[RP_TEXT]; /* shown under the image and as its alt text */
    char tpl[32];          /* its template (templates/<tpl>.gp) */
} rp_plot;

typedef struct rp_skip {
    char section[RP_NAME]; /* page section */
    char stem[RP_NAME];    /* the plot that was not drawn */
    char reason[RP_TEXT];  /* why (no data, ...) */
} rp_skip;

typedef struct rp_kv {
    char section[RP_NAME]; /* page section */
    char key[RP_TEXT];     /* label */
    char value[RP_TEXT];   /* formatted value */
} rp_kv;

/* A table shown on the page: cells[0 .. ncols-1] is the header row. */
typedef struct rp_table {
    char section[RP_NAME]; /* page section */
    char title[RP_TEXT];   /* caption */
    int ncols;             /* columns per row */
    size_t ncells;         /* cells so far */
    char **cells;          /* owned strings, row-major */
} rp_table;

typedef struct rp_ctx {
    sqlite3 *db;             /* read-only connection */
    const char *dbpath;      /* its path (shown on the page) */
    char dir[4096];          /* output directory */
    char gnuplot[4096];      /* gnuplot executable */
    unsigned formats;        /* REPORT_PNG | REPORT_SVG */
    int64_t run;             /* the run whose per-model plots are drawn */
    char model[64];          /* its model ("token", "bittensor", ...) */
    double tdiv;             /* seconds per x-axis unit */
    char tunit[32];          /* that unit's name ("years", "days") */
    char tcol[64];           /* SQL expression of t in that unit (rp_tcol) */
    char marks[1024];        /* x positions of halvings / attack starts, space separated */
    char marklabel[64];      /* legend of the marks */
    rp_plot *plots;          /* plots drawn, in order */
    size_t nplots, cplots;   /* count, capacity */
    rp_skip *skips;          /* plots skipped, in order */
    size_t nskips, cskips;   /* count, capacity */
    rp_kv *kvs;              /* summary numbers, in order */
    size_t nkvs, ckvs;       /* count, capacity */
    rp_table *tables;        /* tables, in order */
    size_t ntables, ctables; /* count, capacity */
    int code;                /* first error (REPORT_E*), 0 while fine */
    char err[1024];          /* its message */
} rp_ctx;

/* ---- context lists (report.c) ---- */
int rp_fail(rp_ctx *c, int code, const char *fmt, ...);
void rp_add_skip(rp_ctx *c, const char *section, const char *stem, const char *reason);
void rp_add_kv(rp_ctx *c, const char *section, const char *key, const char *fmt, ...);
/* A new table with ncols columns whose header cells follow; returns it or NULL (out of memory). */
rp_table *rp_add_table(rp_ctx *c, const char *section, const char *title, int ncols, ...);
void rp_table_cell(rp_ctx *c, rp_table *t, const char *fmt, ...);

/* ---- SQL (rp_db.c); ?1 in every query is bound to the selected run ---- */
/* One integer / real / text from `sql` with ?1 = run; def when no row or NULL. */
int64_t rp_int(rp_ctx *c, int64_t run, const char *sql, int64_t def);
double rp_real(rp_ctx *c, int64_t run, const char *sql, double def);
void rp_text(rp_ctx *c, int64_t run, const char *sql, char *out, size_t len);
int rp_has_table(rp_ctx *c, const char *name);
int rp_has_metric(rp_ctx *c, const char *metric);
/* Writes the rows of `sql` (?1 = run) into dir/file: a header line of quoted column names
** (header: names separated by '|', may be NULL), then one line per row, numbers as %.9g and NULL
** as NaN. grouped: column 0 is a group name; each group becomes a gnuplot data block headed by
** its quoted name. *rows / *blocks (may be NULL) receive the counts. Returns 0 or -1 (error set).
*/
int rp_export(rp_ctx *c, const char *file, const char *header, const char *sql, int grouped,
              int *rows, int *blocks);
/* Opens dir/file for writing; NULL with the error set. */
void *rp_open(rp_ctx *c, const char *file);
int rp_close(rp_ctx *c, void *f, const char *file);

/* ---- gnuplot (rp_gnuplot.c) ---- */
/* A gnuplot string literal for s (single quotes doubled, control characters blanked). */
void rp_gpstr(char *out, size_t len, const char *s);
/* Prepares plot `stem` from template `tpl` (name in templates/ without .gp) with the gnuplot
** assignments in vars (may be ""), in every format: writes its script and registers it.
** Returns 0, or -1 (write error). */
int rp_draw(rp_ctx *c, const char *section, const char *stem, const char *tpl, const char *vars,
            const char *caption);
const char *rp_template_text(const char *name);
/* Runs gnuplot once over every registered plot; 0, or -1 with REPORT_EPLOT naming the plot's
** template and quoting gnuplot. */
int rp_render_all(rp_ctx *c);

/* ---- generic plots (rp_plots.c) ---- */
typedef struct rp_col {
    const char *metric; /* series metric */
    const char *label;  /* legend */
} rp_col;

/* Lines of network-level (entity 0) metrics against time, each divided by scale; columns the
** run lacks are left out; skipped (listed) when none has data. style: "lines", "steps",
** "stacked". */
int rp_lines(rp_ctx *c, const char *section, const char *stem, const char *title,
             const char *ylabel, const rp_col *cols, int n, double scale, const char *style);
/* One line per entity of `metric` (entity kind / role filters by SQL GLOB, NULL = any). */
int rp_blocks(rp_ctx *c, const char *section, const char *stem, const char *title,
              const char *ylabel, const char *metric, const char *kind, double scale);
/* The same plot from the query q (sqlite3_mprintf'd, freed here; NULL = out of memory) yielding
** (name, t, value) per entity in blocks; skipped with the reason `empty` when it has no rows. */
int rp_blocks_sql(rp_ctx *c, const char *section, const char *stem, const char *title,
                  const char *ylabel, char *q, const char *empty);
/* Clustered bars: sql yields (label, v1 .. vn) with ?1 = run; header names the n+1 columns. */
int rp_bars(rp_ctx *c, const char *section, const char *stem, const char *title, const char *xlabel,
            const char *ylabel, const char *header, const char *sql, int n);
/* Lorenz curve (at the last sample) and Gini over time of the per-entity values that `sql`
** yields as (t, entity, value) ordered by t; cumulative: values are increments to be summed
** per entity (emission) rather than levels (stake). Draws <stem>-lorenz and <stem>-gini and
** returns the final Gini through *gini (NaN when skipped). */
int rp_concentration(rp_ctx *c, const char *section, const char *stem, const char *what,
                     const char *sql, int cumulative, double *gini);
/* The time column expression for SQL ("t / <tdiv>"). */
const char *rp_tcol(rp_ctx *c);

/* ---- plot sets ---- */
int rp_models(rp_ctx *c);          /* rp_models.c: the selected run's model */
int rp_sweep(rp_ctx *c, int runs); /* rp_sweep.c: more than one run */
int rp_html_write(rp_ctx *c);      /* rp_html.c */

#endif
