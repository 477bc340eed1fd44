/*
** check_gate.c: end-to-end tests of the regression gate — `tokensim diff` and `tokensim check`.
**
** Databases come from real runs of short scenarios. Every expected number is computed here
** from the databases with SQL over both files at once (ATTACH), independently of the merge the
** diff engine does: which metrics changed, how many points moved, the largest change, the
** ledger totals. Baselines are edited by the test to wrong values and must then fail by name.
*/
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>
#include <sqlite3.h>

#include "proc.h"
#include "tdb.h"

#define TS (char *)proc_tokensim()

static proc_result R;

static int run(char *const argv[])
{
    ck_assert_int_eq(proc_run(argv, &R), 0);
    return R.status;
}

/* A run of scenario cfg with the horizon override blocks into db, plus one extra --set (or
** none). */
static void make_run(const char *cfg, const char *blocks, const char *db, const char *set)
{
    char *a[] = {TS,          "run",      (char *)tdb_src(cfg), "--set", (char *)blocks,
                 "--out",     (char *)db, "--no-plots",         "-q",    set ? "--set" : NULL,
                 (char *)set, NULL};
    ck_assert_msg(run(a) == 0, "run %s: %s", db, R.err);
}

/* A short bittensor-demo run into db with one extra --set (or none). */
static void make_bt(const char *db, const char *set)
{
    make_run("scenarios/bittensor-demo.cfg", "time.blocks=1200", db, set);
}

/* A short default (token model) run into db with one extra --set (or none). */
static void make_token(const char *db, const char *set)
{
    make_run("scenarios/default.cfg", "time.blocks=20000", db, set);
}

/* One value of sql run on base with new attached as `n` (both run 1). */
static double attached_double(const char *base, const char *nw, const char *sql)
{
    sqlite3 *h;
    sqlite3_stmt *st;
    char att[4200];
    ck_assert_int_eq(sqlite3_open_v2(base, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    snprintf(att, sizeof att, "ATTACH '%s' AS n", nw);
    ck_assert_int_eq(sqlite3_exec(h, att, NULL, NULL, NULL), SQLITE_OK);
    ck_assert_msg(sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql,
                  sqlite3_errmsg(h));
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    double v = sqlite3_column_double(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return v;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Copies the first `limit` bytes of src (all of it when limit is 0) to dst. */
static void copy_file(const char *src, const char *dst, size_t limit)
{
    FILE *in = fopen(src, "rb"), *out = fopen(dst, "wb");
    ck_assert(in != NULL && out != NULL);
    char buf[8192];
    size_t n, left = limit ? limit : (size_t)-1;
    while (left > 0 && (n = fread(buf, 1, left < sizeof buf ? left : sizeof buf, in)) > 0) {
        ck_assert_uint_eq(fwrite(buf, 1, n, out), n);
        left -= n;
    }
    fclose(in);
    fclose(out);
}

/* Overwrites the first bytes of path with text (the rest stays). */
static void overwrite_head(const char *path, const char *text)
{
    FILE *f = fopen(path, "r+b");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(text, 1, strlen(text), f), strlen(text));
    fclose(f);
}

static void make_dir(const char *dir)
{
    ck_assert_msg(mkdir(dir, 0777) == 0 || errno == EEXIST, "mkdir %s", dir);
}

/* The JSON row of metric in diff's --format json output (NULL when not listed). */
static json_t *json_metric(json_t *doc, const char *metric)
{
    json_t *rows = json_object_get(doc, "rows"), *r;
    size_t i;
    json_array_foreach(rows, i, r)
    {
        const char *m = json_string_value(json_object_get(r, "metric"));
        if (m && !strcmp(m, metric))
            return r;
    }
    return NULL;
}

/* ---- diff ---- */

START_TEST(identical_runs_no_differences)
{
    const char *a = tdb_tmp("a.db"), *b = tdb_tmp("b.db");
    make_bt(a, NULL);
    make_bt(b, NULL);
    char *d[] = {TS, "diff", (char *)a, (char *)b, NULL};
    ck_assert_int_eq(run(d), 0);
    ck_assert_ptr_nonnull(strstr(R.out, "no differences"));
    /* every metric was compared: one row per series metric and per ledger (kind, reason) */
    int64_t nmetrics = tdb_int(a, "SELECT (SELECT count(DISTINCT metric) FROM series) + (SELECT"
                                  " count(*) FROM (SELECT DISTINCT kind, reason FROM ledger))");
    char want[64];
    snprintf(want, sizeof want, "metrics: %lld compared, 0 changed", (long long)nmetrics);
    ck_assert_msg(strstr(R.out, want), "want '%s' in:\n%s", want, R.out);
}
END_TEST

START_TEST(changed_parameter_moves_exactly_what_sql_says)
{
    const char *a = tdb_tmp("a.db"), *b = tdb_tmp("b.db");
    make_bt(a, NULL);
    make_bt(b, "subnet_defaults.burn=0.6");
    char *d[] = {TS, "diff", (char *)a, (char *)b, "--format", "json", NULL};
    ck_assert_int_eq(run(d), 1);
    json_error_t je;
    json_t *doc = json_loads(R.out, 0, &je);
    ck_assert_msg(doc != NULL, "json: %s\n%s", je.text, R.out);
    ck_assert(json_is_true(json_object_get(doc, "moved")));

    /* the registration burn of each subnet, per sample: count and largest change by SQL */
    const char *join = " FROM series s JOIN n.series m ON m.metric = s.metric AND m.entity_id ="
                       " s.entity_id AND m.t = s.t WHERE s.metric = 'burn' AND s.value <> m.value";
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT count(*)%s", join);
    double moved = attached_double(a, b, sql);
    snprintf(sql, sizeof sql, "SELECT max(abs(m.value - s.value))%s", join);
    double maxabs = attached_double(a, b, sql);
    ck_assert(moved > 0);
    json_t *burn = json_metric(doc, "burn");
    ck_assert_ptr_nonnull(burn);
    ck_assert_int_eq(json_integer_value(json_object_get(burn, "beyond")), (json_int_t)moved);
    ck_assert_int_eq(json_integer_value(json_object_get(burn, "changed")), (json_int_t)moved);
    ck_assert(json_real_value(json_object_get(burn, "max_abs")) == maxabs);
    ck_assert_str_eq(json_string_value(json_object_get(burn, "verdict")), "MOVED");
    snprintf(sql, sizeof sql, "SELECT min(s.block)%s", join);
    double first = attached_double(a, b, sql);
    ck_assert_int_eq(json_integer_value(json_object_get(burn, "first_block")), (json_int_t)first);

    /* the ledger total of registration burns */
    double lb = attached_double(a, b,
                                "SELECT abs((SELECT sum(amount) FROM n.ledger WHERE kind = 'burn')"
                                " - (SELECT sum(amount) FROM main.ledger WHERE kind = 'burn'))");
    json_t *lr = json_metric(doc, "ledger:burn:registration");
    ck_assert_ptr_nonnull(lr);
    ck_assert(lb > 0);
    ck_assert(json_real_value(json_object_get(lr, "max_abs")) == lb);

    /* a metric SQL finds unchanged is not listed; one SQL finds changed is */
    double same = attached_double(a, b,
                                  "SELECT count(*) FROM series s JOIN n.series m USING (metric,"
                                  " entity_id, t) WHERE s.metric = 'block_emission' AND"
                                  " s.value <> m.value");
    ck_assert(same == 0);
    ck_assert_ptr_null(json_metric(doc, "block_emission"));
    json_decref(doc);

    /* the text table names the metric and the verdict */
    char *t[] = {TS, "diff", (char *)a, (char *)b, NULL};
    ck_assert_int_eq(run(t), 1);
    ck_assert_ptr_nonnull(strstr(R.out, "burn"));
    ck_assert_ptr_nonnull(strstr(R.out, "MOVED"));
    char *m[] = {TS, "diff", (char *)a, (char *)b, "--format", "markdown", NULL};
    ck_assert_int_eq(run(m), 1);
    ck_assert_ptr_nonnull(strstr(R.out, "| bittensor-demo | 0 | `burn` |"));
}
END_TEST

START_TEST(tolerance_file_admits_or_refuses_the_change)
{
    const char *a = tdb_tmp("a.db"), *b = tdb_tmp("b.db");
    make_token(a, NULL);
    make_token(b, "emission.initial_reward=1.5");
    /* the largest absolute change over every series point and every ledger total, by SQL */
    double ser = attached_double(a, b,
                                 "SELECT max(abs(m.value - s.value)) FROM series s JOIN n.series m"
                                 " USING (metric, entity_id, t)");
    double led = attached_double(a, b,
                                 "SELECT max(abs(ifnull(y.tot, 0) - x.tot)) FROM (SELECT kind,"
                                 " reason, sum(amount) tot FROM main.ledger GROUP BY 1, 2) x LEFT"
                                 " JOIN (SELECT kind, reason, sum(amount) tot FROM n.ledger GROUP"
                                 " BY 1, 2) y USING (kind, reason)");
    double worst = ser > led ? ser : led;
    ck_assert(worst >= 2);
    /* same keys on both sides: nothing one-sided */
    ck_assert(attached_double(a, b,
                              "SELECT (SELECT count(*) FROM series) - (SELECT count(*) FROM"
                              " n.series)") == 0);
    const char *tol = tdb_tmp("tol.txt");
    char text[256];
    snprintf(text, sizeof text, "# admits the largest change\ndefault abs=%.17g\n", worst);
    write_file(tol, text);
    char *d[] = {TS, "diff", (char *)a, (char *)b, "--tolerance", (char *)tol, NULL};
    ck_assert_msg(run(d) == 0, "%s%s", R.out, R.err);
    ck_assert_ptr_nonnull(strstr(R.out, "within tolerance"));
    snprintf(text, sizeof text, "default abs=%.17g\n", worst - 1);
    write_file(tol, text);
    ck_assert_int_eq(run(d), 1);
    /* a glob rule before the default wins for the metrics it names */
    snprintf(text, sizeof text, "* ignore\ndefault abs=0\n");
    write_file(tol, text);
    ck_assert_int_eq(run(d), 0);
    ck_assert_ptr_nonnull(strstr(R.out, "ignored"));
}
END_TEST

START_TEST(bad_tolerance_file_names_the_line)
{
    const char *a = tdb_tmp("a.db");
    make_token(a, NULL);
    const char *tol = tdb_tmp("bad.txt");
    write_file(tol, "# fine\nsupply abs=1\nstake abs=-3\n");
    char *d[] = {TS, "diff", (char *)a, (char *)a, "--tolerance", (char *)tol, NULL};
    ck_assert_int_eq(run(d), 2);
    char want[4200];
    snprintf(want, sizeof want, "%s:3: abs='-3'", tol);
    ck_assert_msg(strstr(R.err, want), "want '%s' in: %s", want, R.err);
    ck_assert_str_eq(R.out, "");
    write_file(tol, "supply abs=1 bogus\n");
    ck_assert_int_eq(run(d), 2);
    snprintf(want, sizeof want, "%s:1: unexpected 'bogus'", tol);
    ck_assert_msg(strstr(R.err, want), "want '%s' in: %s", want, R.err);
    write_file(tol, "supply\n");
    ck_assert_int_eq(run(d), 2);
    /* a hostile line: longer than the 1024-byte limit */
    char longline[3000];
    memset(longline, 'x', sizeof longline - 2);
    longline[sizeof longline - 2] = '\n';
    longline[sizeof longline - 1] = '\0';
    write_file(tol, longline);
    ck_assert_int_eq(run(d), 2);
    snprintf(want, sizeof want, "%s:1: line longer than 1024 bytes", tol);
    ck_assert_msg(strstr(R.err, want), "want '%s' in: %s", want, R.err);
    char *m[] = {TS, "diff", (char *)a, (char *)a, "--tolerance", "/nonexistent/tol", NULL};
    ck_assert_int_eq(run(m), 2);
}
END_TEST

START_TEST(corrupt_or_missing_database_is_bad_input)
{
    const char *a = tdb_tmp("a.db"), *c = tdb_tmp("corrupt.db"), *t = tdb_tmp("trunc.db");
    make_token(a, NULL);
    /* garbage over the SQLite header */
    copy_file(a, c, 0);
    overwrite_head(c, "garbage garbage garbage!");
    char *d[] = {TS, "diff", (char *)a, (char *)c, NULL};
    ck_assert_int_eq(run(d), 2);
    ck_assert_ptr_nonnull(strstr(R.err, c));
    /* a file cut short: pages missing */
    copy_file(a, t, 8192);
    char *e[] = {TS, "diff", (char *)t, (char *)a, NULL};
    ck_assert_int_eq(run(e), 2);
    char *m[] = {TS, "diff", (char *)a, (char *)tdb_tmp("missing.db"), NULL};
    ck_assert_int_eq(run(m), 2);
    ck_assert_ptr_nonnull(strstr(R.err, "missing.db"));
    /* a SQLite file that is not a tokensim database */
    const char *o = tdb_tmp("other.db");
    sqlite3 *h = NULL;
    ck_assert_int_eq(sqlite3_open(o, &h), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(h, "CREATE TABLE x(y)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    char *f[] = {TS, "diff", (char *)a, (char *)o, NULL};
    ck_assert_int_eq(run(f), 2);
    ck_assert_ptr_nonnull(strstr(R.err, "not a tokensim database"));
}
END_TEST

START_TEST(runs_matched_by_scenario_or_given_by_id)
{
    const char *a = tdb_tmp("a.db"), *b = tdb_tmp("b.db");
    make_token(a, NULL);
    make_bt(b, NULL);
    /* different scenarios: no pair, both runs unmatched */
    char *d[] = {TS, "diff", (char *)a, (char *)b, NULL};
    ck_assert_int_eq(run(d), 1);
    ck_assert_ptr_nonnull(strstr(R.out, "only in BASE"));
    ck_assert_ptr_nonnull(strstr(R.out, "only in NEW"));
    /* explicitly paired: compared metric by metric */
    char *e[] = {TS, "diff", (char *)a, (char *)b, "--run", "1:1", NULL};
    ck_assert_int_eq(run(e), 1);
    ck_assert_ptr_nonnull(strstr(R.out, "1 compared"));
    char *f[] = {TS, "diff", (char *)a, (char *)a, "--run", "7", NULL};
    ck_assert_int_eq(run(f), 2);
    ck_assert_ptr_nonnull(strstr(R.err, "no run with id 7"));
    char *g[] = {TS, "diff", (char *)a, (char *)a, "--run", "x", NULL};
    ck_assert_int_eq(run(g), 2);
    char *h[] = {TS, "diff", (char *)a, NULL};
    ck_assert_int_eq(run(h), 2);
}
END_TEST

static void exec_sql(const char *db, const char *sql)
{
    sqlite3 *h;
    ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
    ck_assert_msg(sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK, "%s: %s", sql,
                  sqlite3_errmsg(h));
    sqlite3_close(h);
}

START_TEST(ledger_totals_beyond_int64_stay_exact)
{
    const char *a = tdb_tmp("a.db"), *b = tdb_tmp("b.db");
    make_token(a, NULL);
    /* two rows of INT64_MAX: their total (2^64 - 2) does not fit SQLite's sum() */
    exec_sql(a, "INSERT INTO ledger VALUES (1, 1000001, 1, 'big', 0, 1, 9223372036854775807,"
                " 'x'), (1, 1000002, 1, 'big', 0, 1, 9223372036854775807, 'x')");
    copy_file(a, b, 0);
    char *same[] = {TS, "diff", (char *)a, (char *)b, NULL};
    ck_assert_int_eq(run(same), 0);
    /* 1000 units less on a total near 1.8e19, below a double's resolution there (2048) */
    exec_sql(b, "UPDATE ledger SET amount = amount - 1000 WHERE kind = 'big' AND seq = 1000001");
    char *d[] = {TS, "diff", (char *)a, (char *)b, "--format", "json", NULL};
    ck_assert_int_eq(run(d), 1);
    json_t *doc = json_loads(R.out, 0, NULL);
    ck_assert_ptr_nonnull(doc);
    json_t *r = json_metric(doc, "ledger:big:x");
    ck_assert_ptr_nonnull(r);
    ck_assert(json_real_value(json_object_get(r, "max_abs")) == 1000.0);
    json_decref(doc);
}
END_TEST

/* ---- check ---- */

/* A baseline dir with one baseline of default.cfg (20000 blocks). Returns the file's path. */
static const char *make_baseline_dir(const char *dir)
{
    char text[4300];
    make_dir(dir);
    static char path[4300];
    snprintf(path, sizeof path, "%s/token.baseline", dir);
    snprintf(text, sizeof text, "# test baseline\nscenario %s\nset time.blocks=20000\n",
             tdb_src("scenarios/default.cfg"));
    write_file(path, text);
    return path;
}

/* Replaces the line starting with prefix by repl (whole line) in path. */
static void replace_line(const char *path, const char *prefix, const char *repl)
{
    char *text = read_file(path), out[1 << 16] = "";
    char *save = NULL, *copy = strdup(text);
    int found = 0;
    size_t off = 0;
    for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        int hit = !strncmp(l, prefix, strlen(prefix));
        found |= hit;
        int w = snprintf(out + off, sizeof out - off, "%s\n", hit ? repl : l);
        ck_assert(w >= 0 && (size_t)w < sizeof out - off);
        off += (size_t)w;
    }
    free(copy);
    ck_assert_msg(found, "no line '%s' in %s", prefix, path);
    write_file(path, out);
}

START_TEST(check_update_then_check_passes_and_records_the_run)
{
    const char *dir = tdb_tmp("base");
    const char *path = make_baseline_dir(dir);
    char *u[] = {TS, "check", (char *)dir, "--update", NULL};
    ck_assert_msg(run(u) == 0, "%s%s", R.out, R.err);
    char *c[] = {TS, "check", (char *)dir, NULL};
    ck_assert_msg(run(c) == 0, "%s%s", R.out, R.err);
    ck_assert_ptr_nonnull(strstr(R.out, "1 ok"));
    /* the recorded digest and final supply are those of the same run done by `tokensim run` */
    const char *db = tdb_tmp("ref.db");
    make_token(db, NULL);
    char digest[65], line[200];
    tdb_digest(R.out, digest);
    int64_t supply = tdb_int(db, "SELECT value FROM series WHERE metric = 'supply' ORDER BY t"
                                 " DESC LIMIT 1");
    int64_t minted = tdb_int(db, "SELECT sum(amount) FROM ledger WHERE kind = 'mint'");
    ck_assert_int_eq(supply, minted); /* the token model mints everything it supplies */
    const char *text = read_file(path);
    snprintf(line, sizeof line, "\ndigest %s\n", digest);
    ck_assert_msg(strstr(text, line), "want '%s' in:\n%s", line, text);
    snprintf(line, sizeof line, "\nkey final:supply %lld\n", (long long)supply);
    ck_assert_msg(strstr(text, line), "want '%s' in:\n%s", line, text);
    ck_assert_ptr_nonnull(strstr(text, "# test baseline\n")); /* comments kept */
    /* a second --update changes nothing */
    char before[1 << 16];
    snprintf(before, sizeof before, "%s", text);
    ck_assert_int_eq(run(u), 0);
    ck_assert_str_eq(read_file(path), before);
}
END_TEST

START_TEST(check_names_a_key_edited_to_a_wrong_value)
{
    const char *dir = tdb_tmp("base");
    const char *path = make_baseline_dir(dir);
    char *u[] = {TS, "check", (char *)dir, "--update", NULL};
    ck_assert_int_eq(run(u), 0);
    const char *db = tdb_tmp("ref.db");
    make_token(db, NULL);
    int64_t supply = tdb_int(db, "SELECT value FROM series WHERE metric = 'supply' ORDER BY t"
                                 " DESC LIMIT 1");
    char line[200];
    snprintf(line, sizeof line, "key final:supply %lld", (long long)supply + 5);
    replace_line(path, "key final:supply ", line);
    char *c[] = {TS, "check", (char *)dir, NULL};
    ck_assert_int_eq(run(c), 1);
    ck_assert_ptr_nonnull(strstr(R.out, "final:supply"));
    ck_assert_ptr_nonnull(strstr(R.out, "-5 ("));
    ck_assert_ptr_nonnull(strstr(R.out, "MOVED"));
    ck_assert_ptr_nonnull(strstr(R.out, "token.baseline"));
    /* a tolerance that admits the 5 units */
    snprintf(line, sizeof line, "key final:supply %lld abs=5", (long long)supply + 5);
    replace_line(path, "key final:supply ", line);
    ck_assert_int_eq(run(c), 0);
    ck_assert_ptr_nonnull(strstr(R.out, "within tolerance"));
    /* --update rewrites the value and keeps the hand-written tolerance */
    ck_assert_int_eq(run(u), 0);
    snprintf(line, sizeof line, "\nkey final:supply %lld abs=5\n", (long long)supply);
    ck_assert_msg(strstr(read_file(path), line), "want '%s'", line);
    ck_assert_int_eq(run(c), 0);
}
END_TEST

START_TEST(check_digest_change_alone_passes_unless_strict)
{
    const char *dir = tdb_tmp("base");
    const char *path = make_baseline_dir(dir);
    char *u[] = {TS, "check", (char *)dir, "--update", NULL};
    ck_assert_int_eq(run(u), 0);
    replace_line(path, "digest ",
                 "digest 0000000000000000000000000000000000000000000000000000000000000000");
    char *c[] = {TS, "check", (char *)dir, NULL};
    ck_assert_int_eq(run(c), 0);
    ck_assert_ptr_nonnull(strstr(R.out, "digest changed (keys within tolerance)"));
    char *s[] = {TS, "check", (char *)dir, "--strict", NULL};
    ck_assert_int_eq(run(s), 1);
}
END_TEST

START_TEST(check_malformed_baseline_is_bad_input)
{
    const char *dir = tdb_tmp("base");
    const char *path = make_baseline_dir(dir);
    write_file(path, "scenario x.cfg\nfrobnicate 3\n");
    char *c[] = {TS, "check", (char *)dir, NULL};
    ck_assert_int_eq(run(c), 2);
    char want[4400];
    snprintf(want, sizeof want, "%s:2: unknown directive 'frobnicate'", path);
    ck_assert_msg(strstr(R.err, want), "want '%s' in: %s", want, R.err);
    write_file(path, "scenario x.cfg\nkey final:supply 12 rel=oops\n");
    ck_assert_int_eq(run(c), 2);
    snprintf(want, sizeof want, "%s:2: rel='oops'", path);
    ck_assert_msg(strstr(R.err, want), "want '%s' in: %s", want, R.err);
    /* a key never updated */
    make_baseline_dir(dir);
    FILE *f = fopen(path, "a");
    fputs("key final:supply\n", f);
    fclose(f);
    ck_assert_int_eq(run(c), 2);
    ck_assert_ptr_nonnull(strstr(R.err, "no recorded value"));
    char *m[] = {TS, "check", (char *)tdb_tmp("nope"), NULL};
    ck_assert_int_eq(run(m), 2);
}
END_TEST

/* Writes DIR/NAME.baseline for scenario cfg with one --set line. */
static void write_baseline(const char *dir, const char *name, const char *cfg, const char *set)
{
    char path[4300], text[4400];
    snprintf(path, sizeof path, "%s/%s.baseline", dir, name);
    snprintf(text, sizeof text, "scenario %s\nset %s\n", tdb_src(cfg), set);
    write_file(path, text);
}

/* --jobs N changes nothing a reader sees: the same stdout, stderr and exit code for N = 1, 2
** and 3, with the baselines in name order, a moved one still exits 1 and a malformed one 2. */
START_TEST(check_jobs_same_report_whatever_n)
{
    const char *dir = tdb_tmp("jobs");
    make_dir(dir);
    write_baseline(dir, "a-token", "scenarios/default.cfg", "time.blocks=20000");
    write_baseline(dir, "b-bt", "scenarios/bittensor-demo.cfg", "time.blocks=1200");
    write_baseline(dir, "c-token", "scenarios/default.cfg",
                   "time.blocks=20000\nset stakers.count=7");
    write_baseline(dir, "d-bitgrit", "scenarios/bitgrit-competitions.cfg", "time.blocks=60");
    char *u[] = {TS, "check", (char *)dir, "--update", "--jobs", "2", NULL};
    ck_assert_msg(run(u) == 0, "%s%s", R.out, R.err);
    /* c's final supply edited by hand: c moves, the others hold */
    char path[4300], line[200];
    snprintf(path, sizeof path, "%s/c-token.baseline", dir);
    const char *db = tdb_tmp("c.db");
    make_run("scenarios/default.cfg", "time.blocks=20000", db, "stakers.count=7");
    int64_t supply = tdb_int(db, "SELECT value FROM series WHERE metric = 'supply' ORDER BY t"
                                 " DESC LIMIT 1");
    snprintf(line, sizeof line, "key final:supply %lld", (long long)supply + 1);
    replace_line(path, "key final:supply ", line);
    static char out1[1 << 16], err1[1 << 16];
    const char *jobs[] = {"1", "2", "3"};
    for (int pass = 0; pass < 2; pass++) {
        for (int j = 0; j < 3; j++) {
            char *c[] = {TS, "check", (char *)dir, "--jobs", (char *)jobs[j], NULL};
            int st = run(c);
            ck_assert_msg(st == (pass ? 2 : 1), "--jobs %s: exit %d\n%s%s", jobs[j], st, R.out,
                          R.err);
            if (j == 0) {
                snprintf(out1, sizeof out1, "%s", R.out);
                snprintf(err1, sizeof err1, "%s", R.err);
                continue;
            }
            ck_assert_str_eq(R.out, out1);
            ck_assert_str_eq(R.err, err1);
        }
        const char *a = strstr(out1, "a-token.baseline"), *b = strstr(out1, "b-bt.baseline"),
                   *c = strstr(out1, "MOVED    c-token.baseline"),
                   *d = strstr(out1, "ok       d-bitgrit.baseline");
        ck_assert_msg(a && b && c && d && a < b && b < c && c < d, "%s", out1);
        if (pass == 0) { /* then a malformed baseline between them: bad input wins */
            snprintf(path, sizeof path, "%s/b2-bad.baseline", dir);
            write_file(path, "scenario x.cfg\nfrobnicate 3\n");
        } else {
            ck_assert_ptr_nonnull(strstr(out1, "BAD      b2-bad.baseline: malformed baseline"));
            ck_assert_ptr_nonnull(strstr(err1, "b2-bad.baseline:2: unknown directive"));
        }
    }
    char *bad[] = {TS, "check", (char *)dir, "--jobs", "0", NULL};
    ck_assert_int_eq(run(bad), 2);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("gate");
    TCase *d = tcase_create("diff");
    tcase_set_timeout(d, 120);
    tcase_add_test(d, identical_runs_no_differences);
    tcase_add_test(d, changed_parameter_moves_exactly_what_sql_says);
    tcase_add_test(d, tolerance_file_admits_or_refuses_the_change);
    tcase_add_test(d, bad_tolerance_file_names_the_line);
    tcase_add_test(d, corrupt_or_missing_database_is_bad_input);
    tcase_add_test(d, runs_matched_by_scenario_or_given_by_id);
    tcase_add_test(d, ledger_totals_beyond_int64_stay_exact);
    suite_add_tcase(s, d);
    TCase *c = tcase_create("check");
    tcase_set_timeout(c, 120);
    tcase_add_test(c, check_update_then_check_passes_and_records_the_run);
    tcase_add_test(c, check_names_a_key_edited_to_a_wrong_value);
    tcase_add_test(c, check_digest_change_alone_passes_unless_strict);
    tcase_add_test(c, check_malformed_baseline_is_bad_input);
    tcase_add_test(c, check_jobs_same_report_whatever_n);
    suite_add_tcase(s, c);
    return s;
}

int main(void)
{
    return tdb_run(suite());
}
