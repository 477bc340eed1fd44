/*
** report.h: `tokensim report` — turns any metrics DB into gnuplot plots and one HTML page.
**
** Reads the DB read-only (plain SQL), exports each plot's data to .dat files in the output
** directory, writes one gnuplot script per plot (a copy of the embedded template from
** reports/templates/ is written next to it, so the directory can be re-plotted by hand with
** `gnuplot plots.gp`), runs the external `gnuplot` once over all of them and writes index.html
** referencing every image by a relative path. A plot whose data the DB does not hold is skipped
** and listed as skipped on the page, never an error. Nothing here feeds back into the
** simulation; values are display values only.
** Cost: one pass of SQL per plot plus one gnuplot process per report.
*/
#ifndef TOKENSIM_REPORT_H
#define TOKENSIM_REPORT_H

#include <stddef.h>
#include <stdint.h>

enum {
    REPORT_PNG = 1, /* pngcairo images */
    REPORT_SVG = 2  /* svg images */
};

/* What to render. */
typedef struct report_opts {
    const char *db;   /* metrics DB path */
    const char *dir;  /* output directory (created if missing) */
    unsigned formats; /* REPORT_PNG | REPORT_SVG; 0 means PNG */
    int64_t run_id;   /* run whose per-model plots are drawn; 0 = the newest run */
} report_opts;

/* What was rendered. */
typedef struct report_result {
    char index[4200]; /* path of index.html */
    int plots;        /* plots drawn */
    int skipped;      /* plots skipped for lack of data */
} report_result;

/* Error classes returned by report_render (0 is success). */
enum {
    REPORT_EGNUPLOT = 1, /* gnuplot is not on PATH */
    REPORT_EDB = 2,      /* the DB cannot be read or holds no run */
    REPORT_EIO = 3,      /* the output directory or a file in it cannot be written */
    REPORT_EPLOT = 4,    /* gnuplot failed on a template (the message names it) */
    REPORT_EUSAGE = 5    /* bad options (unknown run id, quote in the directory name, ...) */
};

/* Renders the report of o->db into o->dir. Returns 0, or one of the REPORT_E* codes with a
** one-line message in err. res may be NULL. */
int report_render(const report_opts *o, report_result *res, char *err, size_t errlen);

/* Full path of the gnuplot executable on PATH into buf; 0 when found, -1 when not. */
int report_find_gnuplot(char *buf, size_t len);

#endif
