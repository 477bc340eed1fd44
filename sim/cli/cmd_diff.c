/*
** cmd_diff.c: `tokensim diff BASE.db NEW.db` — what moved between two metrics databases.
**
** Parses the options, loads the tolerance file, streams the engine's rows (gate_diff.h) into a
** text table, a markdown table or a JSON document, and turns the totals into the exit status:
** 1 when anything moved beyond tolerance (a metric, a run's status, a run without partner; with
** --strict also a digest), 0 otherwise, 2 on bad input. Output is written as the comparison
** streams: memory does not grow with the number of runs or metrics.
*/
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "gate_cmd.h"
#include "gate_diff.h"

static const char diff_help[] =
    "usage: tokensim diff BASE.db NEW.db [options]\n"
    "\n"
    "Compares the runs of two metrics databases: every series point (metric, entity, t), the\n"
    "ledger totals per kind and reason (as metrics \"ledger:KIND:REASON\"), each run's status\n"
    "and digest. Runs are matched by scenario name and run_index (or given with --run). Prints\n"
    "what moved: metric, run, points compared, points beyond tolerance, largest absolute and\n"
    "relative change, and the first block where the metric moved.\n"
    "\n"
    "options:\n"
    "  -t, --tolerance FILE  per-metric tolerances (default: exact); lines of\n"
    "                        `GLOB abs=X rel=Y`, `GLOB ignore`, `default abs=X rel=Y`, # comments\n"
    "  -f, --format F        text (default), markdown or json\n"
    "  -r, --run N | B:N     compare only run N of both databases (or run B of BASE with N of "
    "NEW)\n"
    "  -a, --all             list unchanged metrics too\n"
    "      --strict          a changed digest fails even when every metric is within tolerance\n"
    "  -h, --help            this text\n"
    "\n"
    "exit codes: 0 nothing beyond tolerance, 1 something moved beyond tolerance,\n"
    "            2 bad usage or bad input (missing or corrupt database, unknown run, bad FILE)\n"
    "\n"
    "examples:\n"
    "  tokensim diff base.db new.db\n"
    "  tokensim diff base.db new.db --tolerance tolerance.txt --format markdown\n"
    "  tokensim diff sweep-a.db sweep-b.db --run 3:7 --format json\n";

typedef enum { FMT_TEXT, FMT_MARKDOWN, FMT_JSON } diff_format;

typedef struct diff_opts {
    gate_diff_opts g;    /* engine options */
    const char *tolfile; /* --tolerance */
    diff_format fmt;     /* --format */
    int all, strict;     /* --all, --strict */
} diff_opts;

typedef struct diff_out {
    const diff_opts *o; /* options */
    FILE *f;            /* stdout */
    int64_t rows;       /* rows printed */
} diff_out;

/* ---- argument parsing ---- */

static int parse_id(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    if (*s < '0' || *s > '9')
        return -1;
    long long v = strtoll(s, &end, 10);
    if (errno || (*end && *end != ':') || v <= 0)
        return -1;
    *out = v;
    return (int)(end - s);
}

static int parse_run(const char *s, diff_opts *o)
{
    int n = parse_id(s, &o->g.base_run);
    if (n < 0)
        return -1;
    if (s[n] == '\0') {
        o->g.new_run = o->g.base_run;
        return 0;
    }
    int m = parse_id(s + n + 1, &o->g.new_run);
    return m > 0 && s[n + 1 + m] == '\0' ? 0 : -1;
}

static int parse_format(const char *s, diff_opts *o)
{
    if (!strcmp(s, "text"))
        o->fmt = FMT_TEXT;
    else if (!strcmp(s, "markdown") || !strcmp(s, "md"))
        o->fmt = FMT_MARKDOWN;
    else if (!strcmp(s, "json"))
        o->fmt = FMT_JSON;
    else
        return -1;
    return 0;
}

enum { OPT_STRICT = 256 };

static int parse_args(int argc, char **argv, diff_opts *o, int *done)
{
    static const struct option longs[] = {{"tolerance", required_argument, 0, 't'},
                                          {"format", required_argument, 0, 'f'},
                                          {"run", required_argument, 0, 'r'},
                                          {"all", no_argument, 0, 'a'},
                                          {"strict", no_argument, 0, OPT_STRICT},
                                          {"help", no_argument, 0, 'h'},
                                          {0, 0, 0, 0}};
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":t:f:r:ah", longs, NULL)) != -1) {
        if (c == 't')
            o->tolfile = optarg;
        else if (c == 'f' && parse_format(optarg, o) != 0)
            return cli_usage_error("diff ", "--format: '%s' is not text, markdown or json", optarg);
        else if (c == 'r' && parse_run(optarg, o) != 0)
            return cli_usage_error("diff ", "--run: '%s' is not N or B:N (run ids > 0)", optarg);
        else if (c == 'a')
            o->all = 1;
        else if (c == OPT_STRICT)
            o->strict = 1;
        else if (c == 'h') {
            fputs(diff_help, stdout);
            *done = 1;
            return EXIT_OK;
        } else if (c == ':')
            return cli_usage_error("diff ", "option '%s' needs a value", argv[optind - 1]);
        else if (c == '?')
            return cli_usage_error("diff ", "unknown option '%s'", argv[optind - 1]);
    }
    if (argc - optind != 2)
        return cli_usage_error("diff ", "expected BASE.db and NEW.db");
    o->g.base_path = argv[optind];
    o->g.new_path = argv[optind + 1];
    return EXIT_OK;
}

/* ---- cells shared by text and markdown ---- */

static const char *run_cell(const gate_pair *p, char *buf, size_t len)
{
    const gate_run *r = p->base.present ? &p->base : &p->now;
    if (p->base.present && p->now.present && p->base.run_id != p->now.run_id)
        snprintf(buf, len, "%" PRId64 " (ids %" PRId64 ":%" PRId64 ")", r->run_index,
                 p->base.run_id, p->now.run_id);
    else
        snprintf(buf, len, "%" PRId64, r->run_index);
    return buf;
}

static const char *num_cell(double v, char *buf, size_t len)
{
    if (isinf(v))
        snprintf(buf, len, "inf");
    else
        snprintf(buf, len, "%.6g", v);
    return buf;
}

static const char *verdict(const gate_row *r)
{
    if (r->beyond)
        return "MOVED";
    if (r->changed || r->only_base || r->only_new)
        return r->tol.ignore ? "ignored" : "within tolerance";
    return "same";
}

/* The verdict plus one-sided point counts. */
static const char *verdict_cell(const gate_row *r, char *buf, size_t len)
{
    if (r->only_base || r->only_new)
        snprintf(buf, len, "%s (%" PRId64 " only in BASE, %" PRId64 " only in NEW)", verdict(r),
                 r->only_base, r->only_new);
    else
        snprintf(buf, len, "%s", verdict(r));
    return buf;
}

/* ---- text and markdown ---- */

static void table_header(diff_out *d)
{
    if (d->o->fmt == FMT_MARKDOWN) {
        fputs("| scenario | run | metric | points | beyond tol. | max abs change | max rel change "
              "| first block | verdict |\n|---|---:|---|---:|---:|---:|---:|---:|---|\n",
              d->f);
        return;
    }
    fprintf(d->f, "%-22s %-5s %-30s %8s %8s %12s %10s %11s  %s\n", "scenario", "run", "metric",
            "points", "beyond", "max abs", "max rel", "first block", "verdict");
}

/* One line of the table; pair-level rows pass metric in "(...)" and dashes for numbers. */
static void table_line(diff_out *d, const char *scn, const char *run, const char *metric,
                       const char *cells[5], const char *what)
{
    if (d->rows++ == 0)
        table_header(d);
    if (d->o->fmt == FMT_MARKDOWN)
        fprintf(d->f, "| %s | %s | `%s` | %s | %s | %s | %s | %s | %s |\n", scn, run, metric,
                cells[0], cells[1], cells[2], cells[3], cells[4], what);
    else
        fprintf(d->f, "%-22s %-5s %-30s %8s %8s %12s %10s %11s  %s\n", scn, run, metric, cells[0],
                cells[1], cells[2], cells[3], cells[4], what);
}

static void pair_line(diff_out *d, const gate_pair *p, const char *metric, const char *what)
{
    static const char *dash[5] = {"-", "-", "-", "-", "-"};
    char run[64];
    const gate_run *r = p->base.present ? &p->base : &p->now;
    table_line(d, r->scenario, run_cell(p, run, sizeof run), metric, dash, what);
}

static int text_pair(void *ctx, const gate_pair *p)
{
    diff_out *d = ctx;
    char what[128];
    if (!p->now.present || !p->base.present) {
        snprintf(what, sizeof what, "MOVED: only in %s (run id %" PRId64 ")",
                 p->base.present ? "BASE" : "NEW",
                 p->base.present ? p->base.run_id : p->now.run_id);
        pair_line(d, p, "(run)", what);
        return 0;
    }
    if (p->status_changed) {
        snprintf(what, sizeof what, "MOVED: %s -> %s", p->base.status, p->now.status);
        pair_line(d, p, "(status)", what);
    }
    if (p->digest_changed)
        pair_line(d, p, "(digest)",
                  d->o->strict ? "MOVED: digest changed (--strict)"
                               : "changed (decided by the metrics)");
    return 0;
}

static int text_row(void *ctx, const gate_row *r)
{
    diff_out *d = ctx;
    int moved = r->changed || r->only_base || r->only_new;
    if (!moved && !d->o->all)
        return 0;
    char pts[24], bey[24], mabs[32], mrel[32], first[24], run[64], what[160];
    snprintf(pts, sizeof pts, "%" PRId64, r->points);
    snprintf(bey, sizeof bey, "%" PRId64, r->beyond);
    if (r->has_first)
        snprintf(first, sizeof first, "%" PRId64, r->first_block);
    else
        snprintf(first, sizeof first, "-");
    const char *cells[5] = {pts, bey, num_cell(r->max_abs, mabs, sizeof mabs),
                            num_cell(r->max_rel, mrel, sizeof mrel), first};
    const gate_run *pr = &r->pair->base;
    table_line(d, pr->scenario, run_cell(r->pair, run, sizeof run), r->metric, cells,
               verdict_cell(r, what, sizeof what));
    return 0;
}

static void text_summary(diff_out *d, const gate_diff_stats *s, int failed)
{
    int md = d->o->fmt == FMT_MARKDOWN;
    const char *b = md ? "- " : "";
    if (d->rows == 0)
        fprintf(d->f, "%s\n", md ? "No differences." : "no differences");
    if (md || d->rows)
        fputc('\n', d->f);
    fprintf(d->f,
            "%sruns:    %" PRId64 " in BASE, %" PRId64 " in NEW, %" PRId64 " compared, %" PRId64
            " only in BASE, %" PRId64 " only in NEW, %" PRId64 " status changed, %" PRId64
            " digests changed\n",
            b, s->base_runs, s->new_runs, s->pairs, s->only_base, s->only_new, s->status_changed,
            s->digests_changed);
    fprintf(d->f,
            "%smetrics: %" PRId64 " compared, %" PRId64 " changed, %" PRId64 " beyond tolerance\n",
            b, s->metrics, s->metrics_changed, s->metrics_beyond);
    const char *res = failed               ? "MOVED beyond tolerance (exit 1)"
                      : s->metrics_changed ? "changes within tolerance (exit 0)"
                      : s->digests_changed ? "digests changed, every metric identical (exit 0)"
                                           : "no differences (exit 0)";
    fprintf(d->f, "%sresult:  %s\n", b, res);
}

/* ---- json ---- */

static void json_emit(diff_out *d, json_t *obj)
{
    char *s = obj ? json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    fprintf(d->f, "%s%s", d->rows++ ? ",\n  " : "\n  ", s ? s : "null");
    free(s);
    json_decref(obj);
}

static json_t *json_run(const gate_run *r)
{
    if (!r->present)
        return json_null();
    return json_pack("{s:I,s:I,s:s,s:s,s:s}", "run_id", (json_int_t)r->run_id, "run_index",
                     (json_int_t)r->run_index, "scenario", r->scenario, "status", r->status,
                     "digest", r->digest);
}

static int json_pair(void *ctx, const gate_pair *p)
{
    diff_out *d = ctx;
    const char *kind = !p->now.present ? "only_in_base" : !p->base.present ? "only_in_new" : "pair";
    int moved = !p->now.present || !p->base.present || p->status_changed ||
                (d->o->strict && p->digest_changed);
    json_emit(d, json_pack("{s:s,s:o,s:o,s:b,s:b,s:b}", "kind", kind, "base", json_run(&p->base),
                           "new", json_run(&p->now), "status_changed", p->status_changed,
                           "digest_changed", p->digest_changed, "moved", moved));
    return 0;
}

static json_t *json_num(double v)
{
    return isinf(v) ? json_null() : json_real(v);
}

static int json_row(void *ctx, const gate_row *r)
{
    diff_out *d = ctx;
    if (!(r->changed || r->only_base || r->only_new) && !d->o->all)
        return 0;
    json_t *o = json_pack(
        "{s:s,s:I,s:I,s:s,s:I,s:I,s:I,s:I,s:I,s:o,s:o,s:o,s:{s:f,s:f,s:b},s:s}", "kind", "metric",
        "base_run_id", (json_int_t)r->pair->base.run_id, "new_run_id",
        (json_int_t)r->pair->now.run_id, "metric", r->metric, "points", (json_int_t)r->points,
        "changed", (json_int_t)r->changed, "beyond", (json_int_t)r->beyond, "only_base",
        (json_int_t)r->only_base, "only_new", (json_int_t)r->only_new, "max_abs",
        json_num(r->max_abs), "max_rel", json_num(r->max_rel), "first_block",
        r->has_first ? json_integer(r->first_block) : json_null(), "tolerance", "abs", r->tol.abs,
        "rel", r->tol.rel, "ignore", r->tol.ignore, "verdict", verdict(r));
    json_emit(d, o);
    return 0;
}

static void json_head(diff_out *d)
{
    json_t *b = json_string(d->o->g.base_path), *n = json_string(d->o->g.new_path);
    char *bs = json_dumps(b, JSON_ENCODE_ANY), *ns = json_dumps(n, JSON_ENCODE_ANY);
    char *ts = NULL;
    if (d->o->tolfile) {
        json_t *t = json_string(d->o->tolfile);
        ts = json_dumps(t, JSON_ENCODE_ANY);
        json_decref(t);
    }
    fprintf(d->f,
            "{\"format\":\"tokensim-diff/1\",\"base\":%s,\"new\":%s,\"tolerance\":%s,"
            "\"rows\":[",
            bs ? bs : "null", ns ? ns : "null", ts ? ts : "null");
    free(bs);
    free(ns);
    free(ts);
    json_decref(b);
    json_decref(n);
}

static void json_summary(diff_out *d, const gate_diff_stats *s, int failed)
{
    json_t *o = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "base_runs",
                          (json_int_t)s->base_runs, "new_runs", (json_int_t)s->new_runs, "pairs",
                          (json_int_t)s->pairs, "only_base", (json_int_t)s->only_base, "only_new",
                          (json_int_t)s->only_new, "status_changed", (json_int_t)s->status_changed,
                          "digests_changed", (json_int_t)s->digests_changed, "metrics",
                          (json_int_t)s->metrics, "metrics_changed", (json_int_t)s->metrics_changed,
                          "metrics_beyond", (json_int_t)s->metrics_beyond);
    char *str = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    fprintf(d->f, "%s],\"summary\":%s,\"moved\":%s}\n", d->rows ? "\n" : "", str ? str : "null",
            failed ? "true" : "false");
    free(str);
    json_decref(o);
}

/* ---- command ---- */

static int compare(diff_opts *o, const gate_tolset *tols)
{
    diff_out d = {o, stdout, 0};
    gate_sink sink = {&d, text_pair, text_row};
    if (o->fmt == FMT_JSON) {
        sink.pair = json_pair;
        sink.row = json_row;
    }
    o->g.tols = tols;
    /* Open both databases first so that bad input produces no partial output. */
    char err[1024];
    sqlite3 *probe = gate_db_open(o->g.base_path, err, sizeof err);
    sqlite3_close(probe);
    if (probe && (probe = gate_db_open(o->g.new_path, err, sizeof err)) != NULL)
        sqlite3_close(probe);
    if (!probe) {
        fprintf(stderr, "tokensim: %s\n", err);
        return EXIT_USAGE;
    }
    if (o->fmt == FMT_JSON)
        json_head(&d);
    else if (o->fmt == FMT_MARKDOWN)
        fprintf(d.f, "### tokensim diff `%s` → `%s`\n\n", o->g.base_path, o->g.new_path);
    gate_diff_stats st;
    int rc = gate_diff_run(&o->g, &sink, &st, err, sizeof err);
    if (rc != GATE_OK) {
        fflush(stdout);
        fprintf(stderr, "tokensim: %s\n", err);
        return rc == GATE_ENOMEM ? EXIT_FAILED : EXIT_USAGE;
    }
    int failed = gate_diff_failed(&st, o->strict);
    if (o->fmt == FMT_JSON)
        json_summary(&d, &st, failed);
    else
        text_summary(&d, &st, failed);
    return failed ? EXIT_FAILED : EXIT_OK;
}

int cmd_diff(int argc, char **argv)
{
    diff_opts o;
    memset(&o, 0, sizeof o);
    int done = 0, code = parse_args(argc, argv, &o, &done);
    if (code != EXIT_OK || done)
        return code;
    gate_tolset *tols = NULL;
    char err[1024];
    if (o.tolfile && gate_tolset_load(o.tolfile, &tols, err, sizeof err) != 0) {
        fprintf(stderr, "tokensim: %s\n", err);
        return EXIT_USAGE;
    }
    code = compare(&o, tols);
    gate_tolset_free(tols);
    return code;
}
