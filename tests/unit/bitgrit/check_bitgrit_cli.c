/*
** check_bitgrit_cli.c: the bitgrit and numerai scenarios through the built `tokensim` binary —
** both run to "done" and fill the metrics DB with what the scenario implies (51 weekly
** competitions whose deadline falls in the year, 48 resolved weekly rounds, 12 months), each
** competition's stake is accounted for in the DB (locked = returned + forfeited, forfeited =
** reserved + burned), the same seed gives the same digest, and bad keys exit 2 naming
** FILE:LINE.
*/
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "tdb.h"
#include "proc.h"

#define TS (char *)proc_tokensim()

static proc_result R;

static const char *scenario(const char *name)
{
    char rel[256];
    snprintf(rel, sizeof rel, "scenarios/%s", name);
    return tdb_src(rel);
}

static void run_ok(const char *cfg, const char *db, char digest[65])
{
    char *argv[] = {TS,        "run",        (char *)cfg, "--out", (char *)db,
                    "--force", "--no-plots", "-q",        NULL};
    ck_assert_int_eq(proc_run(argv, &R), 0);
    ck_assert_msg(R.status == 0, "exit %d: %s", R.status, R.err);
    tdb_digest(R.out, digest);
}

START_TEST(test_bitgrit_scenario)
{
    const char *db = tdb_tmp("bitgrit.db");
    char d1[65], d2[65];
    run_ok(scenario("bitgrit-competitions.cfg"), db, d1);
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM runs WHERE status = 'done'"), 1);
    /* announcements on days 0, 7, ..., 350 have their deadline (+14) inside 365 days */
    ck_assert_int_eq(
        tdb_int(db, "SELECT count(*) FROM series WHERE metric = 'bitgrit.comp.locked'"), 51);
    /* 12 months plus the partial 13th, sampled at the end */
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM series WHERE metric = 'bitgrit.minted'"),
                     13);
    /* per competition: locked = returned + forfeited and forfeited = reserved + burned */
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM series l JOIN series r ON r.t = l.t "
                                 "AND r.metric = 'bitgrit.comp.returned' JOIN series f ON "
                                 "f.t = l.t AND f.metric = 'bitgrit.comp.forfeited' JOIN "
                                 "series v ON v.t = l.t AND v.metric = "
                                 "'bitgrit.comp.reserved' JOIN series b ON b.t = l.t AND "
                                 "b.metric = 'bitgrit.comp.burned' WHERE l.metric = "
                                 "'bitgrit.comp.locked' AND l.value = r.value + f.value AND "
                                 "f.value = v.value + b.value"),
                     51);
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM series WHERE metric LIKE "
                                 "'bitgrit.return_decile_%'"),
                     10);
    /* the ledger's burns add up to the monthly burned series */
    ck_assert_int_eq(tdb_int(db, "SELECT (SELECT sum(amount) FROM ledger WHERE kind = 'burn') "
                                 "= (SELECT sum(value) FROM series WHERE metric = "
                                 "'bitgrit.burned')"),
                     1);
    run_ok(scenario("bitgrit-competitions.cfg"), tdb_tmp("bitgrit2.db"), d2);
    ck_assert_str_eq(d1, d2);
}
END_TEST

START_TEST(test_numerai_scenario)
{
    const char *db = tdb_tmp("numerai.db");
    char d1[65], d2[65];
    run_ok(scenario("numerai-tournament.cfg"), db, d1);
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM runs WHERE status = 'done'"), 1);
    /* closes on days 7k (k = 1..52) resolve 28 days later: k <= 48 inside the year */
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM series WHERE metric = 'numerai.pf'"), 48);
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM series WHERE metric = 'numerai.pf' "
                                 "AND (value <= 0 OR value > 1)"),
                     0);
    ck_assert_int_eq(tdb_int(db, "SELECT (SELECT sum(amount) FROM ledger WHERE kind = 'burn') "
                                 "= (SELECT sum(value) FROM series WHERE metric = "
                                 "'numerai.burned')"),
                     1);
    run_ok(scenario("numerai-tournament.cfg"), tdb_tmp("numerai2.db"), d2);
    ck_assert_str_eq(d1, d2);
}
END_TEST

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

START_TEST(test_bad_keys_exit_2)
{
    const char *cfg = tdb_tmp("bad.cfg");
    write_file(cfg, "name = \"bad\";\n"
                    "model = \"bitgrit\";\n"
                    "time = { block_seconds = 86400; blocks = 30; };\n"
                    "competitions = {\n"
                    "  keep = 1.5;\n"
                    "  fixed_splitt = \"1\";\n"
                    "};\n");
    char *argv[] = {TS,           "run", (char *)cfg, "--out", (char *)tdb_tmp("bad.db"),
                    "--no-plots", "-q",  NULL};
    ck_assert_int_eq(proc_run(argv, &R), 0);
    ck_assert_int_eq(R.status, 2);
    char want[512];
    snprintf(want, sizeof want, "%s:5:", cfg);
    ck_assert_msg(strstr(R.err, want) != NULL, "stderr: %s", R.err);
    snprintf(want, sizeof want, "%s:6:", cfg);
    ck_assert_msg(strstr(R.err, want) != NULL, "stderr: %s", R.err);
    /* days are ticks: another block length is refused, at its line */
    write_file(cfg, "name = \"bad\";\nmodel = \"numerai\";\n"
                    "time = {\n  block_seconds = 12;\n  blocks = 30;\n};\n");
    ck_assert_int_eq(proc_run(argv, &R), 0);
    ck_assert_int_eq(R.status, 2);
    snprintf(want, sizeof want, "%s:4:", cfg);
    ck_assert_msg(strstr(R.err, want) != NULL && strstr(R.err, "86400"), "stderr: %s", R.err);
    /* a fixed split whose length differs from winners */
    write_file(cfg, "name = \"bad\";\nmodel = \"bitgrit\";\n"
                    "time = { block_seconds = 86400; blocks = 30; };\n"
                    "competitions = {\n  split = \"fixed\";\n  fixed_split = \"50,50\";\n};\n");
    ck_assert_int_eq(proc_run(argv, &R), 0);
    ck_assert_int_eq(R.status, 2);
    snprintf(want, sizeof want, "%s:6:", cfg);
    ck_assert_msg(strstr(R.err, want) != NULL && strstr(R.err, "winners"), "stderr: %s", R.err);
    /* a numerai key under model bitgrit */
    write_file(cfg, "name = \"bad\";\nmodel = \"bitgrit\";\n"
                    "time = { block_seconds = 86400; blocks = 30; };\n"
                    "numerai = { clip = 0.1; };\n");
    ck_assert_int_eq(proc_run(argv, &R), 0);
    ck_assert_int_eq(R.status, 2);
    ck_assert_msg(strstr(R.err, "applies only to model \"numerai\"") != NULL, "stderr: %s", R.err);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("bitgrit_cli");
    TCase *t = tcase_create("cli");
    tcase_set_timeout(t, 300);
    tcase_add_test(t, test_bitgrit_scenario);
    tcase_add_test(t, test_numerai_scenario);
    tcase_add_test(t, test_bad_keys_exit_2);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return tdb_run(suite());
}
