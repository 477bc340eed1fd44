/*
** check_bitgrit_cli.c: the bitgrit and numerai scenarios through the built `tokensim` binary —
** both run to "done" and fill the metrics DB with what the scenario implies (50 weekly
** competitions whose settlement falls in the year, 48 resolved weekly rounds, 12 months), each
** competition's stake is accounted for in the DB (locked = returned + forfeited, forfeited =
** reserved + burned), every metric of spec mechanisms §1.3 and §2.8 is in the DB and obeys its
** identities (minted = community + bonus, net = minted - burned, tier shares sum to 1, the
** participation response is monotone, Numerai's Sybil gain is 1), the same seed gives the same
** digest, and bad keys exit 2 naming FILE:LINE.
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
    /* announcements on days 0, 7, ..., 343 settle (+14 deadline, +7 scoring) inside 365 days */
    ck_assert_int_eq(
        tdb_int(db, "SELECT count(*) FROM series WHERE metric = 'bitgrit.comp.locked'"), 50);
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
                     50);
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

/* The Kaggle contrast (spec mechanisms §2.6): every competition has fewer than 100 completed
** entries, so its cut-offs are floor(10 %, 20 %, 40 %) of them; with q_keep = 0.8 no rank
** within 40 % forfeits. With q_keep = 0.25 the low tier (T3) is every rank above
** max(W, floor(0.25 M)) = max(3, floor(M / 4)), and each of them forfeits floor(stake / 4) > 0,
** so exactly bronze - max(3, floor(M / 4)) medalists forfeit (0 when negative). */
START_TEST(test_bitgrit_kaggle_contrast)
{
    static const char *const cut =
        "SELECT count(*) FROM series c JOIN series g ON g.t = c.t AND g.metric = "
        "'bitgrit.comp.kaggle_gold' JOIN series s ON s.t = c.t AND s.metric = "
        "'bitgrit.comp.kaggle_silver' JOIN series b ON b.t = c.t AND b.metric = "
        "'bitgrit.comp.kaggle_bronze' WHERE c.metric = 'bitgrit.comp.completed' AND c.value < 100"
        " AND g.value = c.value * 10 / 100 AND s.value = c.value * 20 / 100 AND b.value = "
        "c.value * 40 / 100";
    const char *db = tdb_tmp("kaggle.db"), *db2 = tdb_tmp("kaggle2.db");
    char d[65];
    run_ok(scenario("bitgrit-competitions.cfg"), db, d);
    ck_assert_int_eq(tdb_int(db, cut), 50);
    ck_assert_int_eq(tdb_int(db, "SELECT sum(value) FROM series WHERE metric = "
                                 "'bitgrit.comp.medalists_forfeiting'"),
                     0);
    char *argv[] = {TS,
                    "run",
                    (char *)scenario("bitgrit-competitions.cfg"),
                    "--out",
                    (char *)db2,
                    "--set",
                    "competitions.keep=0.25",
                    "--force",
                    "--no-plots",
                    "-q",
                    NULL};
    ck_assert_int_eq(proc_run(argv, &R), 0);
    ck_assert_msg(R.status == 0, "%s", R.err);
    ck_assert_int_eq(tdb_int(db2, cut), 50);
    ck_assert_int_eq(
        tdb_int(db2, "SELECT count(*) FROM series f JOIN series c ON c.t = f.t AND c.metric = "
                     "'bitgrit.comp.completed' JOIN series b ON b.t = f.t AND b.metric = "
                     "'bitgrit.comp.kaggle_bronze' WHERE f.metric = "
                     "'bitgrit.comp.medalists_forfeiting' AND f.value = max(0, b.value - "
                     "max(3, c.value / 4))"),
        50);
    ck_assert_int_gt(tdb_int(db2, "SELECT sum(value) FROM series WHERE metric = "
                                  "'bitgrit.comp.medalists_forfeiting'"),
                     0);
}
END_TEST

/* Every metric of spec mechanisms §1.3 in the DB, with the identities that tie them. */
START_TEST(test_bitgrit_metrics)
{
    const char *db = tdb_tmp("bitgrit-m.db");
    char d[65];
    run_ok(scenario("bitgrit-competitions.cfg"), db, d);
    static const char *const per_comp[] = {"locked",
                                           "returned",
                                           "forfeited",
                                           "reserved",
                                           "burned",
                                           "entrants",
                                           "stake",
                                           "prize_usd",
                                           "completed",
                                           "t3_forfeit_share",
                                           "t4_forfeit_share",
                                           "entrants_stake_half",
                                           "entrants_stake_double",
                                           "entrants_prize_half",
                                           "entrants_prize_double",
                                           "bonus",
                                           "fee",
                                           "prize_paid"};
    for (size_t i = 0; i < sizeof per_comp / sizeof *per_comp; i++) {
        char q[200];
        snprintf(q, sizeof q, "SELECT count(*) FROM series WHERE metric = 'bitgrit.comp.%s'",
                 per_comp[i]);
        ck_assert_msg(tdb_int(db, q) == 50, "%s", q);
    }
    static const char *const per_month[] = {"minted",
                                            "minted_community",
                                            "minted_bonus",
                                            "minted_payouts",
                                            "burned",
                                            "burned_forfeits",
                                            "burned_jobs",
                                            "net_issuance",
                                            "reserve",
                                            "gini",
                                            "top1_share",
                                            "jobs_burn_share",
                                            "jobs_burn_per_hire",
                                            "t3_forfeit_share",
                                            "t4_forfeit_share",
                                            "sybil_gain",
                                            "budget_left_bgr"};
    for (size_t i = 0; i < sizeof per_month / sizeof *per_month; i++) {
        char q[200];
        snprintf(q, sizeof q, "SELECT count(*) FROM series WHERE metric = 'bitgrit.%s'",
                 per_month[i]);
        ck_assert_msg(tdb_int(db, q) == 13, "%s", q);
    }
    /* the events of each competition at their own times: announced on day 7k, entry closed
       3 days later with its entrants, submissions at the deadline (day 7k + 14) counted as
       completed, settlement 7 days after that */
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM series a JOIN series e ON e.metric = "
                                 "'bitgrit.comp.entered' AND e.t = a.t + 3 * 86400 JOIN series s "
                                 "ON s.metric = 'bitgrit.comp.submitted' AND s.t = a.t + 14 * "
                                 "86400 JOIN series n ON n.metric = 'bitgrit.comp.number' AND n.t "
                                 "= a.t + 21 * 86400 AND n.value = a.value JOIN series x ON "
                                 "x.metric = 'bitgrit.comp.entrants' AND x.t = n.t AND x.value = "
                                 "e.value JOIN series c ON c.metric = 'bitgrit.comp.completed' "
                                 "AND c.t = n.t AND c.value = s.value WHERE a.metric = "
                                 "'bitgrit.comp.announced' AND a.t = a.value * 7 * 86400"),
                     50);
    /* monthly identities */
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM series m JOIN series c ON c.t = m.t AND "
                                 "c.metric = 'bitgrit.minted_community' JOIN series b ON b.t = "
                                 "m.t AND b.metric = 'bitgrit.minted_bonus' JOIN series p ON p.t "
                                 "= m.t AND p.metric = 'bitgrit.minted_payouts' JOIN series u ON "
                                 "u.t = m.t AND u.metric = 'bitgrit.burned' JOIN series n ON n.t "
                                 "= m.t AND n.metric = 'bitgrit.net_issuance' WHERE m.metric = "
                                 "'bitgrit.minted' AND m.value = c.value + b.value + p.value AND "
                                 "n.value = m.value - u.value"),
                     13);
    /* tier shares of the forfeits sum to 1; counterfactual entrants are monotone */
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM series a JOIN series b ON b.t = a.t AND "
                                 "b.metric = 'bitgrit.comp.t4_forfeit_share' WHERE a.metric = "
                                 "'bitgrit.comp.t3_forfeit_share' AND abs(a.value + b.value - "
                                 "1) < 1e-12"),
                     50);
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM series e JOIN series h ON h.t = e.t AND "
                                 "h.metric = 'bitgrit.comp.entrants_stake_half' JOIN series d "
                                 "ON d.t = e.t AND d.metric = 'bitgrit.comp.entrants_stake_double' "
                                 "JOIN series p ON p.t = e.t AND p.metric = "
                                 "'bitgrit.comp.entrants_prize_half' JOIN series q ON q.t = e.t "
                                 "AND q.metric = 'bitgrit.comp.entrants_prize_double' WHERE "
                                 "e.metric = 'bitgrit.comp.entrants' AND d.value <= e.value AND "
                                 "e.value <= h.value AND p.value <= e.value AND e.value <= "
                                 "q.value"),
                     50);
    /* a stake twice as large deters someone, a prize twice as large attracts someone */
    ck_assert_int_eq(tdb_int(db, "SELECT sum(value) > (SELECT sum(value) FROM series WHERE "
                                 "metric = 'bitgrit.comp.entrants_stake_double') FROM series "
                                 "WHERE metric = 'bitgrit.comp.entrants_stake_half'"),
                     1);
    ck_assert_int_eq(tdb_int(db, "SELECT sum(value) > (SELECT sum(value) FROM series WHERE "
                                 "metric = 'bitgrit.comp.entrants_prize_half') FROM series "
                                 "WHERE metric = 'bitgrit.comp.entrants_prize_double'"),
                     1);
    /* the ledger's mints/releases and burns match the monthly series */
    ck_assert_int_eq(tdb_int(db, "SELECT (SELECT sum(amount) FROM ledger WHERE reason IN "
                                 "('community_mint', 'bonus')) = (SELECT sum(value) FROM series "
                                 "WHERE metric = 'bitgrit.minted')"),
                     1);
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM series WHERE metric IN "
                                 "('bitgrit.budget_exhausted_month', "
                                 "'bitgrit.employers_skipped')"),
                     2);
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM series WHERE metric LIKE "
                                 "'bitgrit.return_decile_%'"),
                     10);
}
END_TEST

/* The same scenario with its stakes settled by the Numerai rule: every loss is burned (nothing
** reserved), gains are released as payouts, and the month's releases add up. */
START_TEST(test_bitgrit_numerai_settlement)
{
    const char *db = tdb_tmp("bitgrit-nm.db");
    char *argv[] = {TS,
                    "run",
                    (char *)scenario("bitgrit-competitions.cfg"),
                    "--out",
                    (char *)db,
                    "--set",
                    "competitions.settlement=numerai",
                    "--force",
                    "--no-plots",
                    "-q",
                    NULL};
    ck_assert_int_eq(proc_run(argv, &R), 0);
    ck_assert_msg(R.status == 0, "exit %d: %s", R.status, R.err);
    ck_assert_int_eq(
        tdb_int(db, "SELECT count(*) FROM series WHERE metric = 'bitgrit.comp.numerai_pf' AND "
                    "value > 0 AND value <= 1"),
        50);
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM series WHERE metric = "
                                 "'bitgrit.comp.reserved' AND value != 0"),
                     0);
    ck_assert_int_eq(tdb_int(db, "SELECT (SELECT sum(value) FROM series WHERE metric = "
                                 "'bitgrit.comp.burned') > 0 AND (SELECT sum(value) FROM series "
                                 "WHERE metric = 'bitgrit.comp.numerai_paid') > 0"),
                     1);
    ck_assert_int_eq(tdb_int(db, "SELECT (SELECT sum(value) FROM series WHERE metric = "
                                 "'bitgrit.comp.numerai_paid') = (SELECT sum(value) FROM series "
                                 "WHERE metric = 'bitgrit.minted_payouts') AND (SELECT "
                                 "sum(amount) FROM ledger WHERE reason = 'numerai_payout') = "
                                 "(SELECT sum(value) FROM series WHERE metric = "
                                 "'bitgrit.minted_payouts')"),
                     1);
}
END_TEST

/* The shipped scenario's farmer (k = 10) switched on at day 100 and off at day 200, costing 5
** BGR per identity per month. Months end on days 30, 60, ...: the farm identities' mint rows
** come only on days 120, 150, 180 and 210 (the months overlapping [100, 200)); the cost at the
** end is floor(5e9 * 10 * 100 / 30) = 166666666666 units; emission is the sum of those ledger
** rows and net = emission - cost; active is 0 at day 0, 1 at day 100, 0 at day 200. */
START_TEST(test_bitgrit_farm_window)
{
    const char *db = tdb_tmp("bitgrit-farm.db");
    char *argv[] = {TS,
                    "run",
                    (char *)scenario("bitgrit-competitions.cfg"),
                    "--out",
                    (char *)db,
                    "--set",
                    "community.farm_start=100",
                    "--set",
                    "community.farm_stop=200",
                    "--set",
                    "community.farm_cost_per_identity=5",
                    "--force",
                    "--no-plots",
                    "-q",
                    NULL};
    ck_assert_int_eq(proc_run(argv, &R), 0);
    ck_assert_msg(R.status == 0, "exit %d: %s", R.status, R.err);
    const char *farm_rows = "FROM ledger WHERE reason = 'community_mint' AND dst IN (SELECT "
                            "entity_id FROM entities WHERE role = 'farmer')";
    char q[512];
    snprintf(q, sizeof q, "SELECT count(DISTINCT t) %s", farm_rows);
    ck_assert_int_eq(tdb_int(db, q), 4);
    snprintf(q, sizeof q,
             "SELECT count(*) %s AND t NOT IN (120 * 86400, 150 * 86400, 180 * "
             "86400, 210 * 86400)",
             farm_rows);
    ck_assert_int_eq(tdb_int(db, q), 0);
    ck_assert_int_eq(tdb_int(db, "SELECT value FROM series WHERE metric = 'attack.sybil.cost' "
                                 "ORDER BY t DESC LIMIT 1"),
                     166666666666LL);
    snprintf(q, sizeof q,
             "SELECT (SELECT sum(amount) %s) = (SELECT value FROM series WHERE "
             "metric = 'attack.sybil.emission' ORDER BY t DESC LIMIT 1)",
             farm_rows);
    ck_assert_int_eq(tdb_int(db, q), 1);
    snprintf(q, sizeof q,
             "SELECT (SELECT sum(amount) %s) - 166666666666 - (SELECT value FROM "
             "series WHERE metric = 'attack.sybil.net' ORDER BY t DESC LIMIT 1)",
             farm_rows);
    ck_assert_int_eq(tdb_int(db, q), 0);
    /* day 0, the two switches, 12 mint days and the end of the run (day 365, inactive) */
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM series WHERE metric = "
                                 "'attack.sybil.active'"),
                     16);
    ck_assert_int_eq(tdb_int(db, "SELECT value FROM series WHERE metric = 'attack.sybil.active' "
                                 "AND t = 365 * 86400"),
                     0);
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM series WHERE metric = "
                                 "'attack.sybil.active' AND ((t IN (0, 200 * 86400) AND value = "
                                 "0) OR (t = 100 * 86400 AND value = 1))"),
                     3);
    /* at every monthly sample: 1 exactly when the sample day lies in [100, 200) */
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM series WHERE metric = "
                                 "'attack.sybil.active' AND t % (30 * 86400) = 0 AND t > 0 AND "
                                 "value != (t >= 100 * 86400 AND t < 200 * 86400)"),
                     0);
    ck_assert_int_eq(tdb_int(db, "SELECT (SELECT value FROM series WHERE metric = "
                                 "'attack.sybil.gain' ORDER BY t DESC LIMIT 1) = (SELECT value "
                                 "FROM series WHERE metric = 'bitgrit.sybil_gain' ORDER BY t "
                                 "DESC LIMIT 1)"),
                     1);
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
    /* §2.8: payout factor, flows, runway, clip rate, concentration, Sybil and copy gains */
    static const char *const per_round[] = {
        "pf",          "paid",          "burned",        "net",
        "treasury",    "runway_rounds", "clip_hit_rate", "sybil_gain",
        "copy_return", "field_return"};
    for (size_t i = 0; i < sizeof per_round / sizeof *per_round; i++) {
        char q[200];
        snprintf(q, sizeof q, "SELECT count(*) FROM series WHERE metric = 'numerai.%s'",
                 per_round[i]);
        ck_assert_msg(tdb_int(db, q) == 48, "%s", q);
    }
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM series WHERE metric = "
                                 "'numerai.sybil_gain' AND abs(value - 1) > 1e-6"),
                     0);
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM series a JOIN series b ON b.t = a.t AND "
                                 "b.metric = 'numerai.top5_share' JOIN series c ON c.t = a.t AND "
                                 "c.metric = 'numerai.top10_share' WHERE a.metric = "
                                 "'numerai.top1_share' AND a.value <= b.value AND b.value <= "
                                 "c.value AND c.value <= 1"),
                     52);
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM series WHERE metric IN "
                                 "('numerai.roi_p10', 'numerai.roi_p50', 'numerai.roi_p90', "
                                 "'numerai.roi_mean', 'numerai.hhi', 'numerai.effective_n')"),
                     4 + 2 * 52);
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM series WHERE metric = "
                                 "'numerai.stake_skill_corr'"),
                     2);
    /* v2 leverage: about five weekly rounds open on one stake once the first four have closed */
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM series WHERE metric = 'numerai.exposure' "
                                 "AND t >= 28 * 86400 AND (value < 3 OR value > 5)"),
                     0);
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
    /* the farmer's window stops before it starts: reported at the stop's line */
    write_file(cfg, "name = \"bad\";\nmodel = \"bitgrit\";\n"
                    "time = { block_seconds = 86400; blocks = 30; };\n"
                    "community = {\n  farm_identities = 3;\n  farm_start = 20;\n"
                    "  farm_stop = 10;\n};\n");
    ck_assert_int_eq(proc_run(argv, &R), 0);
    ck_assert_int_eq(R.status, 2);
    snprintf(want, sizeof want, "%s:7: community.farm_stop (10) must be 0 (never) or >=", cfg);
    ck_assert_msg(strstr(R.err, want) != NULL, "stderr: %s", R.err);
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
    tcase_add_test(t, test_bitgrit_kaggle_contrast);
    tcase_add_test(t, test_bitgrit_scenario);
    tcase_add_test(t, test_bitgrit_metrics);
    tcase_add_test(t, test_bitgrit_numerai_settlement);
    tcase_add_test(t, test_bitgrit_farm_window);
    tcase_add_test(t, test_numerai_scenario);
    tcase_add_test(t, test_bad_keys_exit_2);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return tdb_run(suite());
}
