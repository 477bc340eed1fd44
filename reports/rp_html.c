/*
** rp_html.c: writes index.html — scenario, provenance, summary numbers, tables, plots, skipped
** plots. Self-contained: inline CSS, one inline script (it marks on <body> whether every image
** loaded, for people and for the headless-browser test), images by relative path, no network.
** Every string that comes from the DB or the file system goes through esc(), which encodes the
** five HTML-special characters, so scenario text cannot inject markup.
*/
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <string.h>

#include "report.h"
#include "rp_int.h"

static void esc(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

static const char style[] =
    "<style>\n"
    "body{font-family:sans-serif;margin:2em;max-width:1100px;color:#222}\n"
    "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:3px 8px;"
    "text-align:left;vertical-align:top}th{background:#eee}\n"
    "figure{margin:1.5em 0}img{max-width:100%;height:auto;border:1px solid #ddd}\n"
    "pre{background:#f6f6f6;padding:.5em;overflow:auto;max-height:30em}\n"
    ".skip{color:#666}\n"
    "</style>\n";

/* On load, body gets data-images="ok N" or "broken: a.png b.png". */
static const char script[] =
    "<script>\n"
    "window.addEventListener('load', function () {\n"
    "  var bad = [], imgs = document.images;\n"
    "  for (var i = 0; i < imgs.length; i++)\n"
    "    if (!(imgs[i].complete && imgs[i].naturalWidth > 0)) "
    "bad.push(imgs[i].getAttribute('src'));\n"
    "  document.body.setAttribute('data-images', bad.length ? 'broken: ' + bad.join(' ') :\n"
    "                             'ok ' + imgs.length);\n"
    "});\n"
    "</script>\n";

static void row(FILE *f, const char *key, const char *value)
{
    fputs("<tr><th>", f);
    esc(f, key);
    fputs("</th><td>", f);
    esc(f, value);
    fputs("</td></tr>\n", f);
}

/* One row per provenance item: the run's columns, then meta keys. */
static void provenance(rp_ctx *c, FILE *f)
{
    static const struct {
        const char *label, *sql;
    } items[] = {
        {"run id", "SELECT run_id FROM runs WHERE run_id = ?1"},
        {"runs in the database", "SELECT count(*) FROM runs"},
        {"seed", "SELECT seed FROM runs WHERE run_id = ?1"},
        {"status", "SELECT status FROM runs WHERE run_id = ?1"},
        {"error", "SELECT error FROM runs WHERE run_id = ?1"},
        {"digest", "SELECT digest FROM runs WHERE run_id = ?1"},
        {"scenario sha256", "SELECT scenario_sha256 FROM runs WHERE run_id = ?1"},
        {"wall time (s)", "SELECT printf('%.3f', wall_seconds) FROM runs WHERE run_id = ?1"},
        {"started / finished", "SELECT started_at || ' / ' || coalesce(finished_at, '-') FROM "
                               "runs WHERE run_id = ?1"},
        {"tokensim version", "SELECT value FROM meta WHERE key = 'tokensim_version'"},
        {"git revision", "SELECT value FROM meta WHERE key = 'git_revision'"},
        {"schema version", "SELECT value FROM meta WHERE key = 'schema_version'"},
        {"sqlite version (writer)", "SELECT value FROM meta WHERE key = 'sqlite_version'"},
        {"build flags", "SELECT value FROM meta WHERE key = 'build_flags'"},
    };
    char v[RP_TEXT];
    fputs("<h2>Provenance</h2>\n<table>\n", f);
    row(f, "database", c->dbpath);
    row(f, "model", c->model[0] ? c->model : "(unknown)");
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
        rp_text(c, c->run, items[i].sql, v, sizeof v);
        if (v[0])
            row(f, items[i].label, v);
    }
    fputs("</table>\n", f);
}

/* A long text column of the run in <pre>. */
static void pre_column(rp_ctx *c, FILE *f, const char *heading, const char *sql)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
        return;
    sqlite3_bind_int64(st, 1, c->run);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
        fprintf(f, "<details><summary>%s</summary><pre>", heading);
        esc(f, (const char *)sqlite3_column_text(st, 0));
        fputs("</pre></details>\n", f);
    }
    sqlite3_finalize(st);
}

static void summary(rp_ctx *c, FILE *f)
{
    fputs("<h2>Summary</h2>\n", f);
    if (c->nkvs == 0) {
        fputs("<p class=\"skip\">No summary numbers for this run.</p>\n", f);
        return;
    }
    fputs("<table>\n<tr><th>section</th><th>quantity</th><th>value</th></tr>\n", f);
    for (size_t i = 0; i < c->nkvs; i++) {
        fputs("<tr><td>", f);
        esc(f, c->kvs[i].section);
        fputs("</td><td>", f);
        esc(f, c->kvs[i].key);
        fputs("</td><td>", f);
        esc(f, c->kvs[i].value);
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
}

static void tables(rp_ctx *c, FILE *f)
{
    for (size_t i = 0; i < c->ntables; i++) {
        const rp_table *t = &c->tables[i];
        fputs("<h3>", f);
        esc(f, t->title);
        fputs("</h3>\n<table>\n", f);
        for (size_t k = 0; k < t->ncells; k++) {
            const char *tag = k < (size_t)t->ncols ? "th" : "td";
            if (k % (size_t)t->ncols == 0)
                fputs("<tr>", f);
            fprintf(f, "<%s>", tag);
            esc(f, t->cells[k]);
            fprintf(f, "</%s>", tag);
            if (k % (size_t)t->ncols == (size_t)t->ncols - 1 || k + 1 == t->ncells)
                fputs("</tr>\n", f);
        }
        fputs("</table>\n", f);
    }
}

static void plots(rp_ctx *c, FILE *f)
{
    const char *ext = (c->formats & REPORT_PNG) ? "png" : "svg";
    const char *prev = "";
    fputs("<h2>Plots</h2>\n", f);
    for (size_t i = 0; i < c->nplots; i++) {
        const rp_plot *p = &c->plots[i];
        if (strcmp(prev, p->section) != 0) {
            fputs("<h3>", f);
            esc(f, p->section);
            fputs("</h3>\n", f);
            prev = p->section;
        }
        fputs("<figure id=\"", f);
        esc(f, p->stem);
        fputs("\"><img src=\"", f);
        esc(f, p->stem);
        fprintf(f, ".%s\" alt=\"", ext);
        esc(f, p->caption);
        fputs("\" width=\"1000\" height=\"600\"><figcaption>", f);
        esc(f, p->caption);
        for (int k = 0; k < 2; k++)
            if (c->formats & (1u << k)) {
                fputs(" [<a href=\"", f);
                esc(f, p->stem);
                fprintf(f, ".%s\">%s</a>]", k ? "svg" : "png", k ? "SVG" : "PNG");
            }
        fputs("</figcaption></figure>\n", f);
    }
}

static void skipped(rp_ctx *c, FILE *f)
{
    fputs("<h2>Skipped plots</h2>\n", f);
    if (c->nskips == 0) {
        fputs("<p class=\"skip\">None.</p>\n", f);
        return;
    }
    fputs("<ul class=\"skip\">\n", f);
    for (size_t i = 0; i < c->nskips; i++) {
        fputs("<li>", f);
        esc(f, c->skips[i].section);
        fputs(" / ", f);
        esc(f, c->skips[i].stem);
        fputs(": ", f);
        esc(f, c->skips[i].reason);
        fputs("</li>\n", f);
    }
    fputs("</ul>\n", f);
}

int rp_html_write(rp_ctx *c)
{
    char name[RP_TEXT];
    rp_text(c, c->run, "SELECT scenario_name FROM runs WHERE run_id = ?1", name, sizeof name);
    FILE *f = rp_open(c, "index.html");
    if (!f)
        return -1;
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
          "tokensim report: ",
          f);
    esc(f, name);
    fprintf(f, "</title>\n%s%s</head>\n<body>\n<h1>tokensim report: ", style, script);
    esc(f, name);
    fputs("</h1>\n", f);
    pre_column(c, f, "Scenario text", "SELECT scenario_text FROM runs WHERE run_id = ?1");
    pre_column(c, f, "Parameters (params_json)", "SELECT params_json FROM runs WHERE run_id = ?1");
    provenance(c, f);
    summary(c, f);
    tables(c, f);
    plots(c, f);
    skipped(c, f);
    fputs("</body>\n</html>\n", f);
    return rp_close(c, f, "index.html");
}
