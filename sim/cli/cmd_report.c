/*
** cmd_report.c: `tokensim report RUN.db [--out DIR] [--format png|svg|both] [--run ID]` — parses
** the options and calls report_render (reports/report.h), which draws every plot the DB has
** data for and writes DIR/index.html. Exit status: 0 written; 1 gnuplot missing or failing, or
** the directory cannot be written; 2 bad usage, a DB that is not a metrics DB, an unknown run.
*/
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_report.h"
#include "report.h"

static const char report_help[] =
    "usage: tokensim report RUN.db [options]\n"
    "\n"
    "Draws every plot the metrics database has data for (gnuplot, an external program) and\n"
    "writes one self-contained HTML page, DIR/index.html, that opens from disk.\n"
    "\n"
    "options:\n"
    "  -o, --out DIR        output directory (default: RUN.db without .db, plus -report/)\n"
    "  -F, --format FMT     png, svg or both (default: both)\n"
    "  -r, --run ID         the run whose model plots are drawn (default: the newest)\n"
    "  -h, --help           this text\n"
    "\n"
    "exit codes: 0 written, 1 gnuplot missing or failed, 2 bad usage or unreadable DB\n"
    "\n"
    "examples:\n"
    "  tokensim report out/default.db\n"
    "  tokensim report sweep.db --out /tmp/sweep-report --format png\n";

void cli_report_dir(const char *db, const char *suffix, char *buf, size_t len)
{
    size_t n = strlen(db);
    if (n > 3 && !strcmp(db + n - 3, ".db"))
        n -= 3;
    snprintf(buf, len, "%.*s%s", (int)n, db, suffix);
}

static int parse_format(const char *s, unsigned *formats)
{
    if (!strcmp(s, "png"))
        *formats = REPORT_PNG;
    else if (!strcmp(s, "svg"))
        *formats = REPORT_SVG;
    else if (!strcmp(s, "both"))
        *formats = REPORT_PNG | REPORT_SVG;
    else
        return -1;
    return 0;
}

static int parse_run(const char *s, int64_t *run)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || !*s || v <= 0)
        return -1;
    *run = v;
    return 0;
}

static int parse_args(int argc, char **argv, report_opts *o, int *done)
{
    static const struct option longs[] = {{"out", required_argument, 0, 'o'},
                                          {"format", required_argument, 0, 'F'},
                                          {"run", required_argument, 0, 'r'},
                                          {"help", no_argument, 0, 'h'},
                                          {0, 0, 0, 0}};
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":o:F:r:h", longs, NULL)) != -1) {
        switch (c) {
        case 'o':
            o->dir = optarg;
            break;
        case 'F':
            if (parse_format(optarg, &o->formats) != 0)
                return cli_usage_error("report ", "--format: '%s' is not png, svg or both", optarg);
            break;
        case 'r':
            if (parse_run(optarg, &o->run_id) != 0)
                return cli_usage_error("report ", "--run: '%s' is not a positive run id", optarg);
            break;
        case 'h':
            fputs(report_help, stdout);
            *done = 1;
            return EXIT_OK;
        case ':':
            return cli_usage_error("report ", "option '%s' needs a value", argv[optind - 1]);
        default:
            return cli_usage_error("report ", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage_error("report ", "no database given");
    o->db = argv[optind++];
    if (optind < argc)
        return cli_usage_error("report ", "unexpected argument '%s'", argv[optind]);
    return EXIT_OK;
}

int cmd_report(int argc, char **argv)
{
    report_opts o = {NULL, NULL, REPORT_PNG | REPORT_SVG, 0};
    int done = 0, code = parse_args(argc, argv, &o, &done);
    if (code != EXIT_OK || done)
        return code;
    if (!o.db) /* unreachable: parse_args returns EXIT_OK only with a database */
        return EXIT_USAGE;
    char dir[4096], err[1200];
    if (!o.dir) {
        cli_report_dir(o.db, "-report", dir, sizeof dir);
        o.dir = dir;
    }
    report_result res;
    int rc = report_render(&o, &res, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "tokensim: report: %s\n", err);
        return rc == REPORT_EDB || rc == REPORT_EUSAGE ? EXIT_USAGE : EXIT_FAILED;
    }
    printf("report:   %s (%d plots, %d skipped)\n", res.index, res.plots, res.skipped);
    return EXIT_OK;
}
