/*
** check_cflow_cli.c: scenarios/bitmodel-cflow.cfg through the built `tokensim`: the run ends
** done and its DB is consistent (the revenue minted equals the royalty income transferred to
** nodes and the last revenue_total; the depth shares and the node-type shares each sum to 1;
** the shell node cuts the root income by about 1 - shell_rate under LRP and not at all under
** LAP); same seed, same digest; malformed seed graphs (a cycle, a stack above 100 %, an unknown
** node) exit 2 with GRAPH:LINE and the reward core's reject reason, for run and validate.
*/
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "tdb.h"
#include "proc.h"
#include "tsr_cflow.h"

#define TS (char *)proc_tokensim()

static proc_result R;

static const char *scenario(void)
{
    return tdb_src("scenarios/bitmodel-cflow.cfg");
}

static int run(const char *db, const char *seed, const char *mode)
{
    char *a[] = {TS,
                 "run",
                 (char *)scenario(),
                 "--set",
                 "time.blocks=70",
                 "--set",
                 "cflow.dilution_day=20",
                 "--set",
                 "cflow.fork_day=40",
                 "--set",
                 (char *)mode,
                 "--seed",
                 (char *)seed,
                 "--out",
                 (char *)db,
                 "--force",
                 "--no-plots",
                 "-q",
                 NULL};
    ck_assert_int_eq(proc_run(a, &R), 0);
    return R.status;
}

START_TEST(scenario_runs_and_db_is_consistent)
{
    char db[4200];
    snprintf(db, sizeof db, "%s/cf.db", proc_tmpdir());
    ck_assert_msg(run(db, "3", "cflow.mode=relative") == 0, "%s", R.err);
    ck_assert_double_eq(tdb_double(db, "select count(*) from runs where status='done'"), 1);
    double minted = tdb_double(db, "select sum(amount) from ledger where kind='mint'");
    ck_assert(minted > 0);
    ck_assert_double_eq(minted, tdb_double(db, "select sum(amount) from ledger where "
                                               "reason='royalty_income'"));
    ck_assert_double_eq(minted, tdb_double(db, "select value from series where metric="
                                               "'revenue_total' and block=70"));
    ck_assert_double_eq_tol(tdb_double(db, "select sum(value) from series where block=70 and "
                                           "metric like 'share_depth_%'"),
                            1.0, 1e-9);
    ck_assert_double_eq_tol(tdb_double(db,
                                       "select sum(value) from series where block=70 and metric "
                                       "in ('share_foundation','share_finetune','share_app',"
                                       "'share_dataset','share_contributor')"),
                            1.0, 1e-9);
    /* §4.6 metrics recomputed in SQL from the per-node income rows: the income Gini as the mean
    ** absolute difference over all ordered pairs / (2 mean), and each type's share */
    ck_assert_double_eq_tol(
        tdb_double(db, "select value from series where metric='income_gini' and block=70"),
        tdb_double(db, "with x as (select value v from series where metric='income' and "
                       "block=70) select sum(abs(a.v-b.v)) * 1.0 / (2 * (select count(*) from x) "
                       "* (select sum(v) from x)) from x a, x b"),
        1e-9);
    static const char *const type[5] = {"foundation", "finetune", "app", "dataset", "contributor"};
    for (int i = 0; i < 5; i++) {
        char q1[256], q2[512];
        snprintf(q1, sizeof q1,
                 "select value from series where entity_id=0 and block=70 and metric='share_%s'",
                 type[i]);
        snprintf(q2, sizeof q2,
                 "select coalesce(sum(s.value), 0) * 1.0 / %.0f from series s join entities e on "
                 "e.entity_id=s.entity_id and e.run_id=s.run_id where s.metric='income' and "
                 "s.block=70 and e.role='%s'",
                 minted, type[i]);
        ck_assert_double_eq_tol(tdb_double(db, q1), tdb_double(db, q2), 1e-12);
    }
    ck_assert_double_eq_tol(
        tdb_double(db, "select value from series where metric='rejected_fraction' and block=70"),
        tdb_double(db, "select r.value * 1.0 / a.value from series r join series a on "
                       "a.block=r.block and a.metric='link_attempts' where r.metric="
                       "'link_rejected' and r.block=70"),
        1e-12);
    double change = tdb_double(db, "select value from series where metric='dilution_root_change' "
                                   "and block=70");
    ck_assert_msg(change > -0.92 && change < -0.88, "root change %g", change);
    ck_assert(tdb_double(db, "select value from series where metric='fork_attacker_gain' and "
                             "block=70") > 0);
    ck_assert(tdb_double(db, "select count(*) from entities where role='app'") > 30);
}
END_TEST

START_TEST(lap_shell_node_changes_nothing)
{
    char db[4200];
    snprintf(db, sizeof db, "%s/lap.db", proc_tmpdir());
    ck_assert_msg(run(db, "3", "cflow.mode=absolute") == 0, "%s", R.err);
    ck_assert_double_eq(tdb_double(db, "select value from series where metric="
                                       "'dilution_root_change' and block=70"),
                        0.0);
}
END_TEST

START_TEST(same_seed_same_digest)
{
    char db[4200], d1[128], d2[128];
    snprintf(db, sizeof db, "%s/d.db", proc_tmpdir());
    ck_assert_int_eq(run(db, "6", "cflow.split=weights"), 0);
    snprintf(d1, sizeof d1, "%.75s", strstr(R.out, "digest:"));
    ck_assert_int_eq(run(db, "6", "cflow.split=weights"), 0);
    snprintf(d2, sizeof d2, "%.75s", strstr(R.out, "digest:"));
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

/* A graph file with one problem on line `line` must make run and validate exit 2 with
** graph.txt:line and `why` in the message. */
static void bad_graph(const char *graph, unsigned line, const char *why)
{
    char cfg[4200], g[4200], db[4200], want[4300];
    snprintf(cfg, sizeof cfg, "%s/g.cfg", proc_tmpdir());
    snprintf(g, sizeof g, "%s/graph.txt", proc_tmpdir());
    snprintf(db, sizeof db, "%s/g.db", proc_tmpdir());
    write_file(g, graph);
    write_file(cfg, "name = \"g\";\nmodel = \"cflow\";\ntime = { blocks = 5; };\n"
                    "cflow = { graph_file = \"graph.txt\"; };\n");
    snprintf(want, sizeof want, "%s:%u:", g, line);
    char *a[] = {TS, "run", cfg, "--out", db, "--force", "--no-plots", "-q", NULL};
    ck_assert_int_eq(proc_run(a, &R), 0);
    ck_assert_int_eq(R.status, 2);
    ck_assert_msg(strstr(R.err, want) && strstr(R.err, why), "%s", R.err);
    char *v[] = {TS, "validate", cfg, NULL};
    ck_assert_int_eq(proc_run(v, &R), 0);
    ck_assert_int_eq(R.status, 2);
    ck_assert_msg(strstr(R.err, want) && strstr(R.err, why), "%s", R.err);
}

START_TEST(bad_graphs_exit_2_with_file_line)
{
    bad_graph("node a foundation\nnode b finetune\nnode c app\n# comment\n"
              "link b a 5%\nlink c b 10%\nlink a c 1%\n",
              7, tsr_cflow_reject_str(TSR_CFLOW_CYCLE));
    bad_graph("node a foundation\nnode b foundation\nnode c app\nlink c a 60%\nlink c b 50%\n", 5,
              tsr_cflow_reject_str(TSR_CFLOW_STACK));
    /* the message gives the numbers: the stack before and with the refused link */
    bad_graph("node a foundation\nnode b foundation\nnode c app\nlink c a 60%\nlink c b 50%\n", 5,
              "(stack 60 % before the link, 110 % with it)");
    bad_graph("node a foundation\nnode b finetune\nnode c app\nlink c b 5%\nlink b a 5%\n", 5,
              "link a node to its parents before anything links to it");
    bad_graph("node a foundation\nnode c app\nlink c zz 5%\n", 3, "unknown node 'zz'");
    bad_graph("node a foundation\nnode c app\nlink c a 5%%\n", 3, "not a percentage");
    bad_graph("node a foundation\nnode a app\n", 2, "declared twice");
    bad_graph("node a foundation\nnode c app\nlink c a 101%\n", 3,
              tsr_cflow_reject_str(TSR_CFLOW_RATE));
}
END_TEST

START_TEST(missing_graph_file_exit_2)
{
    char *v[] = {TS,  "validate", (char *)scenario(), "--set", "cflow.graph_file=\"nope.txt\"",
                 NULL};
    ck_assert_int_eq(proc_run(v, &R), 0);
    ck_assert_int_eq(R.status, 2);
    ck_assert_msg(strstr(R.err, "nope.txt") != NULL, "%s", R.err);
}
END_TEST

int main(void)
{
    Suite *su = suite_create("cflow_cli");
    TCase *tc = tcase_create("e2e");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, scenario_runs_and_db_is_consistent);
    tcase_add_test(tc, lap_shell_node_changes_nothing);
    tcase_add_test(tc, same_seed_same_digest);
    tcase_add_test(tc, bad_graphs_exit_2_with_file_line);
    tcase_add_test(tc, missing_graph_file_exit_2);
    suite_add_tcase(su, tc);
    return tdb_run(su);
}
