/*
** check_report.c: end-to-end tests of `tokensim report` (reports/report.h) and `run --report`.
**   - every shipped scenario (short horizons via --set) renders; every plot the issue lists for
**     its model exists as a valid PNG (signature, IHDR at least 200x150, more than 3 KB) and a
**     valid SVG (parsed as XML by python3, root <svg>), and the page references it; every
**     image the page references exists;
**   - DB text is escaped in the page (<script> in the scenario name and text);
**   - gnuplot missing: exit 1 with a clear message; gnuplot failing: exit 1 naming the template;
**   - a many-run DB built here with SQL (the sweep contract: flat params_json per run, the
**     sensitivity table of schema v3, a bisection sweep) gives fan charts whose percentiles match
**     the ones computed here by hand, a heat map, the sensitivity table and the thresholds;
**   - the page opens in headless Chromium with every image loaded and a non-blank screenshot.
** The expected plot lists come from the list per model, not from the program's output.
*/
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <errno.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "proc.h"
#include "tdb.h"

#define TS ((char *)proc_tokensim())

extern char **environ;

static proc_result R; /* large: static */

static int run(char **argv)
{
    ck_assert_int_eq(proc_run(argv, &R), 0);
    return R.status;
}

typedef struct scen {
    const char *name;       /* scenarios/<name>.cfg */
    const char *sets[10];   /* --set values for a short run */
    const char *expect[16]; /* plot stems the page must show */
} scen;

#define BT_PLOTS                                                                                   \
    "supply", "emission-by-role", "yield-validator", "yield-nominator", "concentration-network",   \
        "prices", "burn", "emission-lorenz", "emission-gini"
#define ATTACK(n)                                                                                  \
    {                                                                                              \
        n, {"time.blocks=7200"},                                                                   \
        {                                                                                          \
            BT_PLOTS, "attacks", "stake-lorenz", "stake-gini"                                      \
        }                                                                                          \
    }

static const scen scens[] = {
    {"default",
     {"time.blocks=300000", "record.every=5000"},
     {"supply", "balances", "emission-by-role", "yield-by-role", "inflation", "stake-lorenz",
      "stake-gini", "emission-lorenz", "emission-gini"}},
    {"bittensor-demo", {"time.blocks=7200"}, {BT_PLOTS, "root-yield", "stake-lorenz"}},
    {"bittensor-halving", {"time.blocks=20000"}, {BT_PLOTS, "stake-lorenz", "stake-gini"}},
    {"bittensor-snapshot", {"time.blocks=7200"}, {BT_PLOTS}},
    ATTACK("attack-cabal"),
    ATTACK("attack-copier"),
    ATTACK("attack-sybil"),
    ATTACK("attack-whale"),
    {"bitgrit-competitions",
     {NULL},
     {"competitions", "minted-burned", "supply", "concentration", "rewards-lorenz",
      "rewards-gini"}},
    {"numerai-tournament",
     {NULL},
     {"supply", "paid-burned", "concentration", "effective-n", "payouts-lorenz", "payouts-gini"}},
    {"aigen-platform",
     {"time.blocks=90"},
     {"supply", "flows", "emission-by-role", "yield-by-role", "accuracy", "stake-lorenz",
      "stake-gini", "emission-lorenz", "emission-gini"}},
    {"bitmodel-cflow",
     {NULL},
     {"revenue-by-depth", "revenue-by-kind", "revenue", "gini", "income-lorenz", "income-gini"}},
    {"repro-consensus-retention",
     {"retention.neurons=64", "retention.validators=8", "retention.steps=8",
      "retention.stake_shares=\"0.55,0.7,0.9\""},
     {"retention-0", "retention-1", "retention-8"}},
    {"repro-whitepaper-collusion", {NULL}, {"shares", "trust"}},
};
#define NSCENS ((int)(sizeof scens / sizeof scens[0]))

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq((long)fread(s, 1, (size_t)n, f), n);
    s[n] = '\0';
    fclose(f);
    return s;
}

static unsigned be32(const unsigned char *p)
{
    return (unsigned)p[0] << 24 | (unsigned)p[1] << 16 | (unsigned)p[2] << 8 | p[3];
}

/* PNG signature, IHDR first with at least 200x150 pixels, file above 3 KB. */
static void assert_png(const char *path)
{
    unsigned char h[24];
    struct stat sb;
    ck_assert_msg(stat(path, &sb) == 0, "missing %s", path);
    ck_assert_msg(sb.st_size > 3000, "%s is only %lld bytes", path, (long long)sb.st_size);
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq((int)fread(h, 1, 24, f), 24);
    fclose(f);
    ck_assert_msg(memcmp(h, "\x89PNG\r\n\x1a\n", 8) == 0, "%s: no PNG signature", path);
    ck_assert_msg(memcmp(h + 12, "IHDR", 4) == 0, "%s: no IHDR", path);
    ck_assert_msg(be32(h + 16) >= 200 && be32(h + 20) >= 150, "%s: %ux%u", path, be32(h + 16),
                  be32(h + 20));
}

/* Runs python3 with a program and arguments; returns its exit status. */
static int python(const char *prog, char **args, int nargs)
{
    char *argv[64] = {"/usr/bin/python3", "-c", (char *)prog};
    ck_assert_int_lt(nargs, 60);
    for (int i = 0; i < nargs; i++)
        argv[3 + i] = args[i];
    argv[3 + nargs] = NULL;
    return run(argv);
}

static const char svg_check[] = "import sys, xml.etree.ElementTree as E\n"
                                "bad = [p for p in sys.argv[1:] if E.parse(p).getroot().tag not in "
                                "('svg', '{http://www.w3.org/2000/svg}svg')]\n"
                                "print(bad); sys.exit(1 if bad else 0)\n";

static void run_scenario(const scen *s, const char *db)
{
    char cfg[512];
    char *argv[40] = {TS, "run", cfg, "-q", "--no-plots", "--force", "--out", (char *)db};
    int n = 8;
    snprintf(cfg, sizeof cfg, "%s%s.cfg", tdb_src("scenarios/"), s->name);
    for (int i = 0; i < 10 && s->sets[i]; i++)
        argv[n++] = "--set", argv[n++] = (char *)s->sets[i];
    argv[n] = NULL;
    ck_assert_msg(run(argv) == 0, "%s: %s", s->name, R.err);
}

/* Every <img src="..."> of the page exists in dir. */
static int assert_page_images(const char *page, const char *dir)
{
    int count = 0;
    for (const char *p = strstr(page, "<img src=\""); p; p = strstr(p + 1, "<img src=\"")) {
        const char *a = p + 10, *b = strchr(a, '"');
        char path[1024];
        ck_assert_ptr_nonnull(b);
        snprintf(path, sizeof path, "%s/%.*s", dir, (int)(b - a), a);
        ck_assert_msg(access(path, R_OK) == 0, "page references missing %s", path);
        count++;
    }
    return count;
}

START_TEST(every_scenario_renders)
{
    const scen *s = &scens[_i];
    char db[512], dir[512], path[1200], ref[300];
    snprintf(db, sizeof db, "%s.db", tdb_tmp(s->name));
    snprintf(dir, sizeof dir, "%s/%s-rep", proc_tmpdir(), s->name);
    run_scenario(s, db);
    char *rep[] = {TS, "report", db, "--out", dir, "--format", "both", NULL};
    ck_assert_msg(run(rep) == 0, "%s: %s", s->name, R.err);
    ck_assert_ptr_nonnull(strstr(R.out, "index.html"));
    snprintf(path, sizeof path, "%s/index.html", dir);
    char *page = slurp(path);
    char *svgs[20];
    int nsvg = 0;
    for (int i = 0; i < 16 && s->expect[i]; i++) {
        snprintf(path, sizeof path, "%s/%s.png", dir, s->expect[i]);
        assert_png(path);
        snprintf(ref, sizeof ref, "<img src=\"%s.png\"", s->expect[i]);
        ck_assert_msg(strstr(page, ref) != NULL, "%s: page lacks %s", s->name, ref);
        snprintf(ref, sizeof ref, "href=\"%s.svg\"", s->expect[i]);
        ck_assert_msg(strstr(page, ref) != NULL, "%s: page lacks %s", s->name, ref);
        svgs[nsvg] = malloc(1200);
        snprintf(svgs[nsvg++], 1200, "%s/%s.svg", dir, s->expect[i]);
    }
    ck_assert_msg(python(svg_check, svgs, nsvg) == 0, "%s: bad SVG %s %s", s->name, R.out, R.err);
    for (int i = 0; i < nsvg; i++)
        free(svgs[i]);
    ck_assert_int_ge(assert_page_images(page, dir), nsvg);
    free(page);
}
END_TEST

/* A short default run into name; returns the DB path (rotating buffer of tdb_tmp). */
static const char *short_default(const char *name)
{
    const char *db = tdb_tmp(name);
    char *a[] = {TS,
                 "run",
                 "-q",
                 "--no-plots",
                 "--force",
                 "--out",
                 (char *)db,
                 "--set",
                 "time.blocks=200000",
                 "--set",
                 "record.every=5000",
                 NULL};
    ck_assert_msg(run(a) == 0, "%s", R.err);
    return db;
}

static void exec_sql(const char *db, const char *sql)
{
    sqlite3 *h;
    char *msg = NULL;
    ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
    int rc = sqlite3_exec(h, sql, NULL, NULL, &msg);
    ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, msg ? msg : "?");
    sqlite3_close(h);
}

START_TEST(db_text_is_escaped)
{
    char db[600], dir[600], path[700];
    snprintf(db, sizeof db, "%s", short_default("esc.db"));
    snprintf(dir, sizeof dir, "%s/esc-rep", proc_tmpdir());
    exec_sql(db, "UPDATE runs SET scenario_name = '<script>alert(\"x\")</script>', "
                 "scenario_text = scenario_text || '<script>evil()</script> & more';"
                 "UPDATE entities SET name = 'st\"<b>''q' WHERE entity_id = 1;");
    char *rep[] = {TS, "report", db, "--out", dir, NULL};
    ck_assert_msg(run(rep) == 0, "%s", R.err);
    snprintf(path, sizeof path, "%s/index.html", dir);
    char *page = slurp(path);
    ck_assert_ptr_null(strstr(page, "<script>alert"));
    ck_assert_ptr_null(strstr(page, "<script>evil"));
    ck_assert_ptr_nonnull(strstr(page, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
    ck_assert_ptr_nonnull(strstr(page, "&lt;script&gt;evil()&lt;/script&gt; &amp; more"));
    /* Only the page's own inline script remains. */
    const char *first = strstr(page, "<script>");
    ck_assert_ptr_nonnull(first);
    ck_assert_ptr_null(strstr(first + 1, "<script>"));
    snprintf(path, sizeof path, "%s/balances.png", dir);
    assert_png(path);
    free(page);
}
END_TEST

/* The last line of a data file into buf. */
static void last_line(const char *path, char *buf, size_t len)
{
    char *s = slurp(path), *line = s, *nl;
    while ((nl = strchr(line, '\n')) && nl[1])
        line = nl + 1;
    snprintf(buf, len, "%s", line);
    free(s);
}

/* Reads up to n blank-separated numbers from the start of line into v with strtod (which, unlike
** sscanf, reports a malformed number); returns how many it read. */
static int numbers(const char *line, double *v, int n)
{
    int k = 0;
    while (k < n) {
        char *end = NULL;
        errno = 0;
        double x = strtod(line, &end);
        if (end == line || errno != 0)
            break;
        v[k++] = x;
        line = end;
    }
    return k;
}

/* Display values against the DB: time in days (a 200,000-block run of 12 s blocks is 27.8 days),
** amounts in tokens, and the Gini index of the final balances by the mean-difference formula
** G = sum_i sum_j |x_i - x_j| / (2 n^2 mean), independent of the report's sorted-sum form. */
START_TEST(data_files_in_display_units)
{
    char db[600], dir[600], path[700], line[512];
    snprintf(db, sizeof db, "%s", short_default("units.db"));
    snprintf(dir, sizeof dir, "%s/units-rep", proc_tmpdir());
    char *rep[] = {TS, "report", db, "--out", dir, "--format", "svg", NULL};
    ck_assert_msg(run(rep) == 0, "%s", R.err);
    snprintf(path, sizeof path, "%s/supply.dat", dir);
    last_line(path, line, sizeof line);
    double xsr[3]; /* x, supply, reward */
    ck_assert_int_eq(numbers(line, xsr, 3), 3);
    double x = xsr[0], supply = xsr[1], reward = xsr[2];
    double tmax = tdb_double(db, "SELECT max(t) FROM series WHERE metric = 'supply'");
    double s_units = tdb_double(db, "SELECT value FROM series WHERE metric = 'supply' ORDER BY t "
                                    "DESC LIMIT 1");
    ck_assert_double_eq_tol(x, tmax / 86400.0, 1e-6);
    ck_assert_double_eq_tol(supply, s_units / 1e9, s_units / 1e9 * 1e-8);
    ck_assert_double_eq_tol(reward, 1.0, 1e-12); /* 1e9 units per block before any halving */
    double v[5];
    for (int i = 0; i < 5; i++) {
        char q[256];
        snprintf(q, sizeof q,
                 "SELECT value FROM series WHERE metric = 'balance' AND entity_id = %d ORDER BY t "
                 "DESC LIMIT 1",
                 i + 1);
        v[i] = tdb_double(db, q);
    }
    double sum = 0.0, diff = 0.0;
    for (int i = 0; i < 5; i++) {
        sum += v[i];
        for (int j = 0; j < 5; j++)
            diff += fabs(v[i] - v[j]);
    }
    double g = diff / (2.0 * 25.0 * (sum / 5.0));
    snprintf(path, sizeof path, "%s/stake-gini.dat", dir);
    last_line(path, line, sizeof line);
    double xy[2];
    ck_assert_int_eq(numbers(line, xy, 2), 2);
    double gx = xy[0], gv = xy[1];
    ck_assert_double_eq_tol(gv, g, 1e-8);
    ck_assert_double_eq_tol(gx, tmax / 86400.0, 1e-6);
    snprintf(path, sizeof path, "%s/stake-lorenz.dat", dir);
    last_line(path, line, sizeof line);
    ck_assert_int_eq(numbers(line, xy, 2), 2);
    gx = xy[0], gv = xy[1];
    ck_assert_double_eq_tol(gx, 1.0, 1e-12);
    ck_assert_double_eq_tol(gv, 1.0, 1e-9);
    /* svg only: no PNG written, and the page shows the SVG. */
    snprintf(path, sizeof path, "%s/supply.png", dir);
    ck_assert_int_ne(access(path, F_OK), 0);
    snprintf(path, sizeof path, "%s/index.html", dir);
    char *page = slurp(path);
    ck_assert_ptr_nonnull(strstr(page, "<img src=\"supply.svg\""));
    free(page);
}
END_TEST

/* Runs argv with PATH=path; fills R. */
static int run_with_path(char **argv, const char *path)
{
    char env[1200];
    snprintf(env, sizeof env, "PATH=%s", path);
    char *envp[] = {env, NULL};
    char out[] = "/tmp/tokensim-rep-outXXXXXX", err[] = "/tmp/tokensim-rep-errXXXXXX";
    int fo = mkstemp(out), fe = mkstemp(err);
    ck_assert(fo >= 0 && fe >= 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fo, 1);
    posix_spawn_file_actions_adddup2(&fa, fe, 2);
    pid_t pid;
    ck_assert_int_eq(posix_spawn(&pid, argv[0], &fa, NULL, argv, envp), 0);
    posix_spawn_file_actions_destroy(&fa);
    int st = proc_wait(pid);
    close(fo), close(fe);
    char *o = slurp(out), *e = slurp(err);
    snprintf(R.out, sizeof R.out, "%s", o);
    snprintf(R.err, sizeof R.err, "%s", e);
    free(o), free(e);
    unlink(out), unlink(err);
    R.status = st;
    return st;
}

START_TEST(gnuplot_missing_or_failing)
{
    const char *db = short_default("gp.db");
    char dir[600], fake[600], script[700];
    snprintf(dir, sizeof dir, "%s/gp-rep", proc_tmpdir());
    char *rep[] = {TS, "report", (char *)db, "--out", dir, NULL};
    ck_assert_int_eq(run_with_path(rep, "/nonexistent-tokensim-dir"), 1);
    ck_assert_msg(strstr(R.err, "gnuplot not found") != NULL, "%s", R.err);
    /* A gnuplot that always fails: the message names the template and quotes gnuplot. */
    snprintf(fake, sizeof fake, "%s/fakebin", proc_tmpdir());
    mkdir(fake, 0777);
    snprintf(script, sizeof script, "%s/gnuplot", fake);
    FILE *f = fopen(script, "w");
    ck_assert_ptr_nonnull(f);
    /* Like gnuplot on plots.gp: the "plot: <stem>" marker, then the error, then exit 1. */
    fputs("#!/bin/sh\necho 'plot: supply' >&2\necho '\"tpl-supply.gp\" line 3: boom' >&2\n"
          "exit 1\n",
          f);
    fclose(f);
    chmod(script, 0755);
    char path[1400];
    snprintf(path, sizeof path, "%s:/usr/bin:/bin", fake);
    ck_assert_int_eq(run_with_path(rep, path), 1);
    ck_assert_msg(strstr(R.err, "template supply.gp (plot supply") && strstr(R.err, "boom"), "%s",
                  R.err);
    /* Bad usage. */
    char *bad[] = {TS, "report", (char *)db, "--format", "gif", NULL};
    ck_assert_int_eq(run(bad), 2);
    char *norun[] = {TS, "report", (char *)db, "--run", "99", "--out", dir, NULL};
    ck_assert_int_eq(run(norun), 2);
    char *nodb[] = {TS, "report", "/nonexistent/x.db", "--out", dir, NULL};
    ck_assert_int_eq(run(nodb), 2);
}
END_TEST

/* Six runs of one "sweep": run k has supply samples scaled by (1 + k/100) and params
** {"a": k % 3, "b": k / 3}; plus a sensitivity table and one bisection sweep. */
static void make_sweep_db(const char *db)
{
    char sql[4096];
    exec_sql(db, "UPDATE runs SET params_json = '{\"a\": 0, \"b\": 0}'");
    for (int k = 1; k < 6; k++) {
        snprintf(sql, sizeof sql,
                 "INSERT INTO runs(scenario_name, scenario_text, scenario_sha256, seed, run_index, "
                 "params_json, status, started_at, finished_at, wall_seconds, digest) SELECT "
                 "scenario_name, scenario_text, scenario_sha256, seed + %d, %d, "
                 "'{\"a\": %d, \"b\": %d}', status, started_at, finished_at, wall_seconds, "
                 "digest FROM runs WHERE run_id = 1;"
                 "INSERT INTO series(run_id, t, block, metric, entity_id, value) SELECT "
                 "(SELECT max(run_id) FROM runs), t, block, metric, entity_id, "
                 "CASE WHEN metric = 'supply' THEN value * (1.0 + %d / 100.0) ELSE value END "
                 "FROM series WHERE run_id = 1;",
                 k, k, k % 3, k / 3, k);
        exec_sql(db, sql);
    }
    exec_sql(db,
             "CREATE TABLE IF NOT EXISTS sensitivity(sweep_id INTEGER, metric TEXT, param TEXT, "
             "method TEXT, "
             "s1 REAL, st REAL, mu_star REAL, sigma REAL);"
             "INSERT INTO sensitivity VALUES (1, 'supply', 'a', 'sobol', 0.6, 0.7, NULL, NULL),"
             "(1, 'supply', 'b', 'sobol', 0.2, 0.3, NULL, NULL),"
             "(1, 'supply', 'a', 'morris', NULL, NULL, 1.5, 0.25);"
             "INSERT INTO sweeps(scenario_name, design, key, lo, hi, metric, reduce, target, tol, "
             "max_iter, seed, status, result, message, started_at) VALUES ('default', 'bisect', "
             "'stakers.count', '1', '9', 'supply', 'last', 2.5, 0.01, 10, 1, 'done', 4.25, NULL, "
             "'now');"
             "INSERT INTO sweep_points VALUES (1, 0, 1, '1', 1.0, 'below'), (1, 1, 2, '9', 4.0, "
             "'above'), (1, 2, 3, '5', 2.6, 'above');");
}

/* Type-7 percentile of sorted v[0..n-1]. */
static double pct(const double *v, int n, double p)
{
    double h = (n - 1) * p;
    int lo = (int)h;
    return lo + 1 < n ? v[lo] + (h - lo) * (v[lo + 1] - v[lo]) : v[lo];
}

START_TEST(sweep_db_fans_heatmap_tables)
{
    char db[600], dir[600], path[700];
    snprintf(db, sizeof db, "%s", short_default("sweep.db"));
    snprintf(dir, sizeof dir, "%s/sweep-rep", proc_tmpdir());
    make_sweep_db(db);
    double last = (double)tdb_int(db, "SELECT value FROM series WHERE run_id = 1 AND metric = "
                                      "'supply' ORDER BY t DESC LIMIT 1");
    char *rep[] = {TS, "report", db, "--out", dir, "--run", "1", NULL};
    ck_assert_msg(run(rep) == 0, "%s", R.err);
    const char *pngs[] = {"fan-0",         "heatmap-0",  "sensitivity-0",
                          "sensitivity-1", "thresholds", "supply"};
    for (int i = 0; i < 6; i++) {
        snprintf(path, sizeof path, "%s/%s.png", dir, pngs[i]);
        assert_png(path);
    }
    /* fan-0 is the supply (first key metric): its last row against percentiles by hand. */
    snprintf(path, sizeof path, "%s/fan-0.dat", dir);
    char *fan = slurp(path);
    char *line = fan, *nl;
    while ((nl = strchr(line, '\n')) && nl[1])
        line = nl + 1;
    double row[5]; /* x, p5, p50, p95, runs */
    ck_assert_int_eq(numbers(line, row, 5), 5);
    double p5 = row[1], p50 = row[2], p95 = row[3];
    ck_assert_double_eq(row[4], floor(row[4])); /* the run count is an integer */
    int runs = (int)row[4];
    double v[6];
    for (int k = 0; k < 6; k++)
        v[k] = last * (1.0 + k / 100.0);
    ck_assert_int_eq(runs, 6);
    ck_assert_double_eq_tol(p5, pct(v, 6, 0.05), last * 1e-8);
    ck_assert_double_eq_tol(p50, (v[2] + v[3]) / 2.0, last * 1e-8);
    ck_assert_double_eq_tol(p95, pct(v, 6, 0.95), last * 1e-8);
    free(fan);
    /* Heat map over a (0..2) x b (0..1): six cells. */
    snprintf(path, sizeof path, "%s/heatmap-0.dat", dir);
    char *heat = slurp(path);
    int lines = 0;
    for (char *p = heat; *p; p++)
        lines += *p == '\n';
    ck_assert_int_eq(lines, 7); /* header + 6 */
    free(heat);
    snprintf(path, sizeof path, "%s/index.html", dir);
    char *page = slurp(path);
    ck_assert_ptr_nonnull(strstr(page, "Sensitivity indices"));
    ck_assert_ptr_nonnull(strstr(page, "<td>morris</td>"));
    ck_assert_ptr_nonnull(strstr(page, "Sweeps (threshold: the crossing a bisection found)"));
    ck_assert_ptr_nonnull(strstr(page, "<td>4.25</td>"));
    free(page);
}
END_TEST

START_TEST(run_with_report_flag)
{
    const char *db = tdb_tmp("rr.db");
    char dir[600], path[700], want[700];
    snprintf(dir, sizeof dir, "%s/rr-report", proc_tmpdir());
    char *a[] = {TS,         "run",
                 "-q",       "--force",
                 "--out",    (char *)db,
                 "--set",    "time.blocks=100000",
                 "--set",    "record.every=5000",
                 "--report", "--report-dir",
                 dir,        NULL};
    ck_assert_msg(run(a) == 0, "%s", R.err);
    snprintf(want, sizeof want, "report:   %s/index.html", dir);
    ck_assert_msg(strstr(R.out, want) != NULL, "%s", R.out);
    snprintf(path, sizeof path, "%s/supply.png", dir);
    assert_png(path);
    snprintf(path, sizeof path, "%s/supply.svg", dir);
    ck_assert_int_eq(access(path, R_OK), 0);
    /* --report replaces the plots directory. */
    snprintf(path, sizeof path, "%s/rr-plots", proc_tmpdir());
    ck_assert_int_ne(access(path, F_OK), 0);
}
END_TEST

static const char blank_check[] =
    "import sys, zlib, struct\n"
    "d = open(sys.argv[1], 'rb').read()\n"
    "assert d[:8] == b'\\x89PNG\\r\\n\\x1a\\n'\n"
    "w, h, depth, ctype = struct.unpack('>IIBB', d[16:26])\n"
    "i, idat = 8, b''\n"
    "while i < len(d):\n"
    "    n = struct.unpack('>I', d[i:i+4])[0]; t = d[i+4:i+8]\n"
    "    if t == b'IDAT': idat += d[i+8:i+8+n]\n"
    "    i += 12 + n\n"
    "raw = zlib.decompress(idat)\n"
    "distinct = len(set(raw[k:k+64] for k in range(0, len(raw), 64)))\n"
    "print(w, h, distinct); sys.exit(0 if w >= 200 and h >= 200 and distinct > 50 else 1)\n";

START_TEST(page_loads_in_chromium)
{
    const char *chromium = "/usr/bin/chromium";
    ck_assert_msg(access(chromium, X_OK) == 0,
                  "chromium is not installed (Debian package chromium; setup.sh test installs it)");
    const char *db = short_default("web.db");
    char dir[600], url[700], shot[700], profile[700], size[] = "--window-size=1200,2400";
    snprintf(dir, sizeof dir, "%s/web-rep", proc_tmpdir());
    char *rep[] = {TS, "report", (char *)db, "--out", dir, NULL};
    ck_assert_msg(run(rep) == 0, "%s", R.err);
    snprintf(url, sizeof url, "file://%s/index.html", dir);
    snprintf(shot, sizeof shot, "--screenshot=%s/shot.png", proc_tmpdir());
    snprintf(profile, sizeof profile, "--user-data-dir=%s/chromium-profile", proc_tmpdir());
    char *dom[] = {(char *)chromium,
                   "--headless",
                   "--no-sandbox",
                   "--disable-gpu",
                   "--disable-dev-shm-usage",
                   profile,
                   "--virtual-time-budget=10000",
                   "--dump-dom",
                   url,
                   NULL};
    ck_assert_msg(run(dom) == 0, "chromium --dump-dom failed: %s", R.err);
    char path[700];
    snprintf(path, sizeof path, "%s/index.html", dir);
    char *page = slurp(path);
    int imgs = assert_page_images(page, dir);
    free(page);
    char want[64];
    snprintf(want, sizeof want, "data-images=\"ok %d\"", imgs);
    ck_assert_int_gt(imgs, 5);
    ck_assert_msg(strstr(R.out, want) != NULL, "images did not all load (want %s): %.300s", want,
                  strstr(R.out, "data-images") ? strstr(R.out, "data-images") : "no marker");
    char *sc[] = {(char *)chromium,
                  "--headless",
                  "--no-sandbox",
                  "--disable-gpu",
                  "--disable-dev-shm-usage",
                  profile,
                  "--hide-scrollbars",
                  size,
                  shot,
                  url,
                  NULL};
    ck_assert_msg(run(sc) == 0, "chromium --screenshot failed: %s", R.err);
    char *args[] = {shot + strlen("--screenshot=")};
    ck_assert_msg(python(blank_check, args, 1) == 0, "blank or missing screenshot: %s %s", R.out,
                  R.err);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("report");
    TCase *t = tcase_create("scenarios");
    tcase_set_timeout(t, 180);
    tcase_add_loop_test(t, every_scenario_renders, 0, NSCENS);
    suite_add_tcase(s, t);
    t = tcase_create("page");
    tcase_set_timeout(t, 180);
    tcase_add_test(t, db_text_is_escaped);
    tcase_add_test(t, data_files_in_display_units);
    tcase_add_test(t, gnuplot_missing_or_failing);
    tcase_add_test(t, sweep_db_fans_heatmap_tables);
    tcase_add_test(t, run_with_report_flag);
    tcase_add_test(t, page_loads_in_chromium);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return tdb_run(suite());
}
