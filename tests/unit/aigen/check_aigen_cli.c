/*
** check_aigen_cli.c: scenarios/aigen-platform.cfg through the built `tokensim`: the run ends
** done, its metrics DB is internally consistent (every epoch's spend equals platform revenue +
** developer payouts + validator payouts + fee burn + unearned units; the burn rows of the
** ledger sum to the cumulative `burned` metric; Kendall's tau and the HHI are in range), the
** same seed gives the same digest and another seed another one; bad keys exit 2 with file:line.
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

static const char *scenario(void)
{
    return tdb_src("scenarios/aigen-platform.cfg");
}

static int run(const char *db, const char *seed, const char *extra)
{
    char *a[] = {TS,
                 "run",
                 (char *)scenario(),
                 "--set",
                 "time.blocks=40",
                 "--seed",
                 (char *)seed,
                 "--out",
                 (char *)db,
                 "--force",
                 "--no-plots",
                 "-q",
                 extra ? "--set" : NULL,
                 (char *)extra,
                 NULL};
    ck_assert_int_eq(proc_run(a, &R), 0);
    return R.status;
}

START_TEST(scenario_runs_and_db_is_consistent)
{
    char db[4200];
    snprintf(db, sizeof db, "%s/ag.db", proc_tmpdir());
    ck_assert_msg(run(db, "5", NULL) == 0, "%s", R.err);
    ck_assert_double_eq(tdb_double(db, "select count(*) from runs where status='done'"), 1);
    ck_assert_double_eq(
        tdb_double(db, "select count(*) from series where entity_id=0 and metric='kendall_tau'"),
        40);
    /* spend = platform + dev + val + fee burn + unearned (burned or to the treasury), per epoch */
    ck_assert_double_eq(
        tdb_double(db,
                   "select count(*) from (select block, sum(case metric when 'spend' then value "
                   "else -value end) d from series where entity_id=0 and metric in ('spend',"
                   "'platform_revenue','dev_paid','val_paid','burn_fee','burn_unearned',"
                   "'unearned_treasury') group by block) where d != 0"),
        0);
    ck_assert(tdb_double(db, "select sum(value) from series where metric='spend'") > 0);
    ck_assert_double_eq(tdb_double(db, "select sum(amount) from ledger where kind='burn'"),
                        tdb_double(db, "select value from series where entity_id=0 and "
                                       "metric='burned' and block=40"));
    ck_assert(tdb_double(db, "select min(value) from series where metric='kendall_tau'") >= -1);
    ck_assert(tdb_double(db, "select max(value) from series where metric='kendall_tau'") <= 1);
    ck_assert(tdb_double(db, "select avg(value) from series where metric='kendall_tau'") > 0.3);
    ck_assert(tdb_double(db, "select max(value) from series where metric='hhi_usage'") <= 1);
    ck_assert(tdb_double(db, "select min(value) from series where metric='hhi_usage'") >= 1.0 / 50);
    ck_assert_double_eq(tdb_double(db, "select count(*) from entities where role='coalition'"), 4);
}
END_TEST

/* Every §3.3 metric recomputed in SQL from the DB's own per-entity rows and ledger, and compared
** with what the model wrote at block 40 (or every block): Kendall's tau-b of the controllers'
** score against quality, the top-decile developer revenue share (top 5 of 50 by quality, ties by
** id), the HHI of usage, the validator accuracy mean and quantiles (nearest rank below,
** index floor(q (V - 1))), reward per unit of stake by strategy, the coalition's stake share and
** cumulative payoff (from the ledger's payout rows), and the burns of each epoch (ledger). */
static double at40(const char *db, const char *metric)
{
    char q[256];
    snprintf(q, sizeof q, "select value from series where entity_id=0 and block=40 and metric='%s'",
             metric);
    return tdb_double(db, q);
}

START_TEST(metrics_match_independent_sql)
{
    char db[4200];
    snprintf(db, sizeof db, "%s/m.db", proc_tmpdir());
    ck_assert_msg(run(db, "3", NULL) == 0, "%s", R.err);
    const double tol = 1e-9;
    double tau = tdb_double(
        db, "with j as (select s.entity_id e, s.value sv, q.value qv from series s join series q "
            "on q.entity_id=s.entity_id and q.block=40 and q.metric='quality' where s.block=40 "
            "and s.metric='score') select sum(case when (a.sv-b.sv)*(a.qv-b.qv)>0 then 1.0 when "
            "(a.sv-b.sv)*(a.qv-b.qv)<0 then -1.0 else 0 end) / sqrt(sum(a.sv!=b.sv) * "
            "sum(a.qv!=b.qv)) from j a join j b on a.e<b.e");
    ck_assert_double_eq_tol(at40(db, "kendall_tau"), tau, tol);
    ck_assert(tau > 0.3);
    double top = tdb_double(
        db, "select (select sum(d.value) from (select entity_id from series where block=40 and "
            "metric='quality' order by value desc, entity_id asc limit 5) t join series d on "
            "d.entity_id=t.entity_id and d.block=40 and d.metric='dev_revenue') * 1.0 / (select "
            "sum(value) from series where block=40 and metric='dev_revenue')");
    ck_assert_double_eq_tol(at40(db, "top_decile_share"), top, tol);
    ck_assert_double_eq(
        tdb_double(db, "select count(*) from (select block, sum(value*value) h from series where "
                       "metric='usage' group by block) u join series s on s.block=u.block and "
                       "s.metric='hhi_usage' where abs(s.value-u.h) > 1e-12"),
        0);
    ck_assert_double_eq_tol(
        at40(db, "accuracy_mean"),
        tdb_double(db, "select avg(value) from series where block=40 and metric='accuracy'"), tol);
    static const char *const pq[3][2] = {
        {"accuracy_p10", "2"}, {"accuracy_p50", "11"}, {"accuracy_p90", "20"}};
    for (int i = 0; i < 3; i++) {
        char q[256];
        snprintf(q, sizeof q,
                 "select value from series where block=40 and metric='accuracy' order by value "
                 "limit 1 offset %s",
                 pq[i][1]);
        ck_assert_double_eq_tol(at40(db, pq[i][0]), tdb_double(db, q), tol);
    }
    static const char *const role[4] = {"honest", "lazy", "copier", "coalition"};
    for (int i = 0; i < 4; i++) {
        char q[512], m[64];
        snprintf(q, sizeof q,
                 "select sum(case s.metric when 'reward' then s.value end) * 1.0 / sum(case "
                 "s.metric when 'stake' then s.value end) from series s join entities e on "
                 "e.entity_id=s.entity_id and e.run_id=s.run_id where s.block=40 and e.role='%s'",
                 role[i]);
        snprintf(m, sizeof m, "reward_per_stake_%s", role[i]);
        ck_assert_double_eq_tol(at40(db, m), tdb_double(db, q), 1e-12);
    }
    ck_assert_double_eq_tol(
        at40(db, "coalition_stake_share"),
        tdb_double(db, "select sum(case e.role when 'coalition' then s.value else 0 end) * 1.0 / "
                       "sum(s.value) from series s join entities e on e.entity_id=s.entity_id "
                       "and e.run_id=s.run_id where s.block=40 and s.metric='stake'"),
        tol);
    ck_assert_double_eq(
        at40(db, "coalition_payoff"),
        tdb_double(db, "select sum(l.amount) from ledger l join entities e on e.entity_id=l.dst "
                       "and e.run_id=l.run_id where (l.reason in ('validator_accuracy', "
                       "'slash_share') and e.role='coalition') or (l.reason='dev_revenue' and "
                       "e.group_id=2)"));
    ck_assert(at40(db, "coalition_payoff") > 0);
    ck_assert_double_eq(
        tdb_double(db, "select count(*) from (select t, sum(amount) b from ledger where "
                       "kind='burn' group by t) l join (select t, sum(value) b from series where "
                       "metric in ('burn_fee','burn_unearned') group by t) s using(t) where "
                       "l.b != s.b"),
        0);
    ck_assert_double_eq(
        tdb_double(db, "select count(distinct t) from ledger where kind='burn' and t > 0"), 40);
}
END_TEST

START_TEST(same_seed_same_digest)
{
    char db[4200], d1[128], d2[128], d3[128];
    snprintf(db, sizeof db, "%s/d.db", proc_tmpdir());
    ck_assert_int_eq(run(db, "9", NULL), 0);
    tdb_digest(R.out, d1);
    ck_assert_int_eq(run(db, "9", NULL), 0);
    tdb_digest(R.out, d2);
    ck_assert_int_eq(run(db, "10", NULL), 0);
    tdb_digest(R.out, d3);
    ck_assert_str_eq(d1, d2);
    ck_assert_str_ne(d1, d3);
}
END_TEST

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

START_TEST(bad_keys_exit_2_with_file_line)
{
    char cfg[4200], db[4200];
    snprintf(cfg, sizeof cfg, "%s/bad.cfg", proc_tmpdir());
    snprintf(db, sizeof db, "%s/bad.db", proc_tmpdir());
    write_file(cfg, "name = \"bad\";\nmodel = \"aigen\";\ntime = { blocks = 5; };\n"
                    "aigen = {\n  k_dev = 0.5;\n  gamma = 9;\n  coalition_controllers = 60;\n"
                    "};\n");
    char *a[] = {TS, "run", cfg, "--out", db, "--no-plots", "-q", NULL};
    ck_assert_int_eq(proc_run(a, &R), 0);
    ck_assert_int_eq(R.status, 2);
    char want[4400];
    snprintf(want, sizeof want, "%s:5:", cfg); /* the fee split does not sum to 1 */
    ck_assert_msg(strstr(R.err, want) && strstr(R.err, "must be 1"), "%s", R.err);
    snprintf(want, sizeof want, "%s:6:", cfg); /* gamma above 8 */
    ck_assert_msg(strstr(R.err, want) != NULL, "%s", R.err);
    snprintf(want, sizeof want, "%s:7:", cfg); /* more coalition controllers than controllers */
    ck_assert_msg(strstr(R.err, want) && strstr(R.err, "exceeds aigen.controllers"), "%s", R.err);
    char *v[] = {TS, "validate", (char *)scenario(), "--set", "aigen.bogus=1", NULL};
    ck_assert_int_eq(proc_run(v, &R), 0);
    ck_assert_int_eq(R.status, 2);
    ck_assert_msg(strstr(R.err, "aigen.bogus") != NULL, "%s", R.err);
    char *t[] = {TS, "validate", (char *)scenario(), "--set", "stakers.count=3", NULL};
    ck_assert_int_eq(proc_run(t, &R), 0);
    ck_assert_int_eq(R.status, 2); /* a key of another model */
}
END_TEST

int main(void)
{
    Suite *su = suite_create("aigen_cli");
    TCase *tc = tcase_create("e2e");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, scenario_runs_and_db_is_consistent);
    tcase_add_test(tc, same_seed_same_digest);
    tcase_add_test(tc, metrics_match_independent_sql);
    tcase_add_test(tc, bad_keys_exit_2_with_file_line);
    suite_add_tcase(su, tc);
    return tdb_run(su);
}
