/*
** rp_gnuplot.c: the gnuplot driver. For each plot it writes the template (embedded from
** reports/templates/ at build time) as tpl-<name>.gp and a script <stem>.gp that sets the plot's
** variables and loads the template once per format. rp_render_all then runs ONE gnuplot on
** plots.gp, which loads every plot script (a gnuplot start costs more than most plots), with
** posix_spawn (no shell: no path is ever interpreted) and its stderr in plots.log. A failure
** names the plot and its template and quotes gnuplot's last message; the log is removed after
** a success.
** Invariant: the output directory contains no quote or newline (checked in report.c), so it can
** be written inside a gnuplot string literal as it is.
*/
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report.h"
#include "rp_int.h"

extern char **environ;
extern const char rp_tpl_lines[], rp_tpl_supply[], rp_tpl_blocks[], rp_tpl_bars[], rp_tpl_lorenz[],
    rp_tpl_fan[], rp_tpl_heatmap[], rp_tpl_retention[], rp_tpl_attacks[], rp_tpl_points[];

static const struct {
    const char *name; /* templates/<name>.gp */
    const char *text; /* its embedded text */
} templates[] = {{"lines", rp_tpl_lines},     {"supply", rp_tpl_supply},
                 {"blocks", rp_tpl_blocks},   {"bars", rp_tpl_bars},
                 {"lorenz", rp_tpl_lorenz},   {"fan", rp_tpl_fan},
                 {"heatmap", rp_tpl_heatmap}, {"retention", rp_tpl_retention},
                 {"attacks", rp_tpl_attacks}, {"points", rp_tpl_points}};

const char *rp_template_text(const char *name)
{
    for (size_t i = 0; i < sizeof templates / sizeof templates[0]; i++)
        if (!strcmp(templates[i].name, name))
            return templates[i].text;
    return NULL;
}

int report_find_gnuplot(char *buf, size_t len)
{
    const char *path = getenv("PATH");
    if (!path)
        path = "/usr/bin:/bin";
    while (*path) {
        const char *colon = strchr(path, ':');
        size_t n = colon ? (size_t)(colon - path) : strlen(path);
        snprintf(buf, len, "%.*s/gnuplot", (int)n, n ? path : ".");
        if (access(buf, X_OK) == 0)
            return 0;
        path += n + (colon ? 1 : 0);
    }
    return -1;
}

void rp_gpstr(char *out, size_t len, const char *s)
{
    size_t n = 0;
    if (len < 3) {
        if (len)
            out[0] = '\0';
        return;
    }
    out[n++] = '\'';
    for (; s && *s && n + 3 < len; s++) {
        if (*s == '\'')
            out[n++] = '\'', out[n++] = '\'';
        else
            out[n++] = (unsigned char)*s < 32 ? ' ' : *s;
    }
    out[n++] = '\'';
    out[n] = '\0';
}

/* tpl-<name>.gp in the output directory, written once per report. */
static int write_template(rp_ctx *c, const char *tpl)
{
    char file[128];
    snprintf(file, sizeof file, "tpl-%s.gp", tpl);
    const char *text = rp_template_text(tpl);
    if (!text)
        return rp_fail(c, REPORT_EPLOT, "no gnuplot template named %s.gp", tpl);
    FILE *f = rp_open(c, file);
    if (!f)
        return -1;
    fputs(text, f);
    return rp_close(c, f, file);
}

static const char *const terminals[] = {
    "set terminal pngcairo size 1000,600 noenhanced font ',10'",
    "set terminal svg size 1000,600 noenhanced font 'sans,10' background '#ffffff'"};
static const char *const extensions[] = {"png", "svg"};

static int write_script(rp_ctx *c, const char *stem, const char *tpl, const char *vars)
{
    char file[RP_NAME + 8], marks[1100], label[160], unit[80];
    snprintf(file, sizeof file, "%s.gp", stem);
    FILE *f = rp_open(c, file);
    if (!f)
        return -1;
    rp_gpstr(marks, sizeof marks, c->marks);
    rp_gpstr(label, sizeof label, c->marklabel);
    rp_gpstr(unit, sizeof unit, c->tunit);
    fprintf(f,
            "# tokensim report: plot %s from template tpl-%s.gp (re-run: gnuplot %s.gp)\n"
            "dir = '%s'\nmarks = %s\nmarklabel = %s\ntunit = %s\n%s\n",
            stem, tpl, stem, c->dir, marks, label, unit, vars);
    for (int k = 0; k < 2; k++) {
        if (!(c->formats & (1u << k)))
            continue;
        fprintf(f, "reset\n%s\nset output dir.'/%s.%s'\nload dir.'/tpl-%s.gp'\nset output\n",
                terminals[k], stem, extensions[k], tpl);
    }
    return rp_close(c, f, file);
}

static int spawn(rp_ctx *c, const char *script, const char *log, int *status)
{
    posix_spawn_file_actions_t fa;
    char *argv[] = {(char *)"gnuplot", (char *)script, NULL};
    pid_t pid;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, log, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    int rc = posix_spawn(&pid, c->gnuplot, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        return -1;
    while (waitpid(pid, status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return 0;
}

/* Every requested image exists and is not empty. */
static int outputs_ok(rp_ctx *c, const char *stem)
{
    for (int k = 0; k < 2; k++) {
        char path[4400];
        struct stat sb;
        snprintf(path, sizeof path, "%s/%s.%s", c->dir, stem, extensions[k]);
        if ((c->formats & (1u << k)) && (stat(path, &sb) != 0 || sb.st_size == 0))
            return 0;
    }
    return 1;
}

/* plots.gp: loads every plot script in order, printing "plot: <stem>" (gnuplot prints to
** stderr) before each, so an error in the log follows the name of the plot that caused it. */
static int write_master(rp_ctx *c)
{
    FILE *f = rp_open(c, "plots.gp");
    if (!f)
        return -1;
    fputs("# tokensim report: every plot (re-run: gnuplot plots.gp)\n", f);
    for (size_t i = 0; i < c->nplots; i++)
        fprintf(f, "print 'plot: %s'\nload '%s/%s.gp'\n", c->plots[i].stem, c->dir,
                c->plots[i].stem);
    return rp_close(c, f, "plots.gp");
}

/* The plot named by the last "plot: " line of the log, and gnuplot's last message. */
static const rp_plot *culprit(rp_ctx *c, const char *log, char *msg, size_t len)
{
    FILE *f = fopen(log, "r");
    char line[512], stem[RP_NAME] = "";
    msg[0] = '\0';
    if (!f)
        return NULL;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (!strncmp(line, "plot: ", 6))
            snprintf(stem, sizeof stem, "%.95s", line + 6), msg[0] = '\0';
        else if (line[0])
            snprintf(msg, len, "%s", line);
    }
    fclose(f);
    for (size_t i = 0; i < c->nplots; i++)
        if (!strcmp(c->plots[i].stem, stem))
            return &c->plots[i];
    return NULL;
}

int rp_render_all(rp_ctx *c)
{
    char script[4400], log[4400], msg[512];
    int status = 0;
    if (c->nplots == 0)
        return 0;
    if (write_master(c) != 0)
        return -1;
    snprintf(script, sizeof script, "%s/plots.gp", c->dir);
    snprintf(log, sizeof log, "%s/plots.log", c->dir);
    if (spawn(c, script, log, &status) != 0)
        return rp_fail(c, REPORT_EPLOT, "cannot start %s", c->gnuplot);
    const rp_plot *bad = NULL;
    int failed = !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    if (failed)
        bad = culprit(c, log, msg, sizeof msg);
    for (size_t i = 0; !failed && i < c->nplots; i++)
        if (!outputs_ok(c, c->plots[i].stem))
            failed = 1, bad = &c->plots[i], snprintf(msg, sizeof msg, "no image written");
    if (failed)
        return rp_fail(c, REPORT_EPLOT,
                       "gnuplot failed on template %s.gp (plot %s, script %s/%s.gp): %s",
                       bad ? bad->tpl : "?", bad ? bad->stem : "?", c->dir,
                       bad ? bad->stem : "plots", msg[0] ? msg : "exit status non-zero");
    remove(log);
    return 0;
}

int rp_draw(rp_ctx *c, const char *section, const char *stem, const char *tpl, const char *vars,
            const char *caption)
{
    if (write_template(c, tpl) != 0 || write_script(c, stem, tpl, vars) != 0)
        return -1;
    if (c->nplots == c->cplots) {
        size_t n = c->cplots ? 2 * c->cplots : 16;
        rp_plot *p = realloc(c->plots, n * sizeof *p);
        if (!p)
            return rp_fail(c, REPORT_EIO, "out of memory");
        c->plots = p, c->cplots = n;
    }
    rp_plot *p = &c->plots[c->nplots++];
    snprintf(p->section, sizeof p->section, "%s", section);
    snprintf(p->stem, sizeof p->stem, "%s", stem);
    snprintf(p->caption, sizeof p->caption, "%s", caption);
    snprintf(p->tpl, sizeof p->tpl, "%s", tpl);
    return 0;
}
