/*
** check_cli_genesis.c: `tokensim run` on a bittensor scenario whose random genesis draws exceed
** the total supply. The means pass validation (10 root stakers of 1,000,000 TAO on average, far
** below the 21M supply), but a lognormal spread of 3 draws a tail of over 100M TAO for seed 1:
** that is bad input found only while building the genesis. It must exit 2 with a message
** naming the scenario file and the keys, record the run as failed with that message, and leave
** no metric row behind. The same scenario with no spread is the control: it runs (exit 0), so
** the refusal comes from the draws and not from the means.
** Likewise a metagraph snapshot whose total_issuance is below the TAO the model holds at genesis
** (here 1 TAO against the example subnet's 1,500 TAO pool alone): exit 2, the scenario file and
** the field named, the run recorded as failed; the unchanged snapshot is the control.
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

static const char *demo(void)
{
    return tdb_src("scenarios/bittensor-demo.cfg");
}

static int run_root(const char *db, const char *spread)
{
    char *a[] = {TS,
                 "run",
                 (char *)demo(),
                 "--set",
                 "root.stake=\"1000000\"",
                 "--set",
                 (char *)spread,
                 "--out",
                 (char *)db,
                 "--force",
                 "--no-plots",
                 "-q",
                 NULL};
    ck_assert_int_eq(proc_run(a, &R), 0);
    return R.status;
}

START_TEST(genesis_draws_beyond_supply_exit_2)
{
    char db[512], err[1024];
    snprintf(db, sizeof db, "%s/genesis.db", proc_tmpdir());
    ck_assert_int_eq(run_root(db, "root.stake_spread=3.0"), 2);
    /* the scenario file first, then the keys that drew the excess and the limit */
    ck_assert_msg(strstr(R.err, demo()) != NULL, "no file in: %s", R.err);
    ck_assert_msg(strstr(R.err, "root.stake_spread") != NULL, "no key in: %s", R.err);
    ck_assert_msg(strstr(R.err, "chain.total_supply (21000000000000000 units)") != NULL,
                  "no limit in: %s", R.err);
    ck_assert_ptr_nonnull(strstr(R.err, "bad input"));
    ck_assert_ptr_null(strstr(R.out, "digest:"));
    /* recorded as failed, with the same message; not one metric row written */
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM runs"), 1);
    tdb_text(db, "SELECT status FROM runs", err, sizeof err);
    ck_assert_str_eq(err, "failed");
    tdb_text(db, "SELECT error FROM runs", err, sizeof err);
    ck_assert_msg(strstr(err, "root.stake_spread") && strstr(err, "chain.total_supply"),
                  "recorded error: %s", err);
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM entities"), 0);
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM series"), 0);
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM ledger"), 0);
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM epochs"), 0);
}
END_TEST

START_TEST(same_means_without_spread_run)
{
    char db[512];
    snprintf(db, sizeof db, "%s/control.db", proc_tmpdir());
    ck_assert_int_eq(run_root(db, "root.stake_spread=0"), 0);
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM runs WHERE status = 'done'"), 1);
    /* 10 root stakers at exactly 1,000,000 TAO each, one genesis row apiece */
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM ledger WHERE reason = "
                                 "'genesis_root_stake' AND amount = 1000000000000000"),
                     10);
}
END_TEST

/* scenarios/bittensor-snapshot.cfg for 100 blocks from a copy of its snapshot, total_issuance
** replaced by `issuance` tokens. */
static int run_snapshot(const char *db, const char *issuance)
{
    char src[4096], copy[4096], set[4200], *text = NULL;
    snprintf(src, sizeof src, "%s", tdb_src("scenarios/snapshots/example.json"));
    snprintf(copy, sizeof copy, "%s/snapshot-%s.json", proc_tmpdir(), issuance);
    FILE *f = fopen(src, "rb");
    ck_assert_ptr_nonnull(f);
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    ck_assert_ptr_nonnull(mem);
    for (int c; (c = fgetc(f)) != EOF;)
        fputc(c, mem);
    fclose(f);
    fclose(mem);
    const char *key = "\"total_issuance\": \"5150000\"";
    char *at = strstr(text, key);
    ck_assert_ptr_nonnull(at);
    f = fopen(copy, "wb");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "%.*s\"total_issuance\": \"%s\"%s", (int)(at - text), text, issuance,
            at + strlen(key));
    fclose(f);
    free(text);
    char scn[4096];
    snprintf(scn, sizeof scn, "%s", tdb_src("scenarios/bittensor-snapshot.cfg"));
    snprintf(set, sizeof set, "subnets.1.snapshot=%s", copy);
    char *a[] = {TS,      "run",      scn,       "--set",      set,  "--set", "time.blocks=100",
                 "--out", (char *)db, "--force", "--no-plots", "-q", NULL};
    ck_assert_int_eq(proc_run(a, &R), 0);
    return R.status;
}

START_TEST(snapshot_issuance_below_genesis_exit_2)
{
    char db[512], err[1024];
    snprintf(db, sizeof db, "%s/issuance.db", proc_tmpdir());
    ck_assert_int_eq(run_snapshot(db, "1"), 2);
    ck_assert_msg(strstr(R.err,
                         "bittensor-snapshot.cfg: subnet 1: the snapshot's total_issuance "
                         "(1000000000 units) is below the TAO the model holds at genesis") != NULL,
                  "%s", R.err);
    ck_assert_ptr_nonnull(strstr(R.err, "bad input"));
    tdb_text(db, "SELECT status FROM runs", err, sizeof err);
    ck_assert_str_eq(err, "failed");
    tdb_text(db, "SELECT error FROM runs", err, sizeof err);
    ck_assert_msg(strstr(err, "total_issuance") != NULL, "recorded error: %s", err);
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM ledger"), 0);
    snprintf(db, sizeof db, "%s/issuance-control.db", proc_tmpdir());
    ck_assert_int_eq(run_snapshot(db, "5150000"), 0);
    ck_assert_int_eq(tdb_int(db, "SELECT count(*) FROM runs WHERE status = 'done'"), 1);
}
END_TEST

static Suite *genesis_suite(void)
{
    Suite *s = suite_create("cli_genesis");
    TCase *tc = tcase_create("genesis");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, genesis_draws_beyond_supply_exit_2);
    tcase_add_test(tc, same_means_without_spread_run);
    tcase_add_test(tc, snapshot_issuance_below_genesis_exit_2);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tdb_run(genesis_suite());
}
