/*
** check_bitgrit_keys.c: the scenario keys of models "bitgrit" and "numerai" (scn_bitgrit.c):
** every default validates under its model, scenarios/README.md documents every key, the
** cross-key rules report at the right line, and the typed values reach scn_scenario.bg.
*/
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tdb.h"
#include "scn_int.h"

static const char bitgrit_text[] = "name = \"t\";\n"
                                   "model = \"bitgrit\";\n"
                                   "time = { block_seconds = 86400; blocks = 30; };\n";
static const char numerai_text[] = "name = \"t\";\n"
                                   "model = \"numerai\";\n"
                                   "time = { block_seconds = 86400; blocks = 30; };\n";

static int is_ours(int k)
{
    return (scn__keys[k].flags & (SCN__ONLY_BITGRIT | SCN__ONLY_NUMERAI)) != 0;
}

START_TEST(test_defaults_validate)
{
    int seen = 0;
    for (int k = 0; k < SCN_K__COUNT; k++) {
        if (!is_ours(k) || !scn__keys[k].def)
            continue;
        char set[256];
        snprintf(set, sizeof set, "%s=%s", scn__keys[k].path, scn__keys[k].def);
        const char *sets[] = {set};
        const char *text = (scn__keys[k].flags & SCN__ONLY_NUMERAI) ? numerai_text : bitgrit_text;
        scn_scenario s;
        scn_errors *e = scn_errors_new();
        int rc = scn_load_text(text, "t", sets, 1, &s, e);
        ck_assert_msg(rc == SCN_OK, "default of %s: %s", scn__keys[k].path,
                      scn_errors_count(e) ? scn_errors_get(e, 0) : "?");
        scn_clear(&s);
        scn_errors_free(e);
        seen++;
    }
    ck_assert_int_eq(seen, 93); /* every non-group key of the two models has a default */
}
END_TEST

START_TEST(test_readme_documents_keys)
{
    FILE *f = fopen(tdb_src("scenarios/README.md"), "rb");
    ck_assert_ptr_nonnull(f);
    static char readme[1 << 20];
    size_t n = fread(readme, 1, sizeof readme - 1, f);
    readme[n] = '\0';
    fclose(f);
    for (int k = 0; k < SCN_K__COUNT; k++) {
        if (!is_ours(k))
            continue;
        char want[128];
        snprintf(want, sizeof want, scn__keys[k].kind == SCN__GROUP ? "### `%s`" : "| `%s` |",
                 scn__keys[k].path);
        ck_assert_msg(strstr(readme, want) != NULL, "README lacks %s", want);
    }
}
END_TEST

START_TEST(test_values_reach_the_scenario)
{
    const char *sets[] = {"supply.treasury=minting",
                          "competitions.split=fixed",
                          "competitions.winners=4",
                          "competitions.fixed_split=5, 3,1,1",
                          "community.reward_education=12.5",
                          "community.rate_article=0.75",
                          "competitions.scoring_days=5",
                          "competitions.bonus_probability=0.25",
                          "scientists.effort_min=0.2",
                          "scientists.effort_max=0.9",
                          "scientists.effort_score=1.5",
                          "competitions.settlement=numerai",
                          "competitions.numerai_threshold=2500.5",
                          "competitions.numerai_scale=0.2",
                          "competitions.numerai_multiplier=0.5",
                          "competitions.numerai_clip=0.05",
                          "community.farm_start=45",
                          "community.farm_stop=100",
                          "community.farm_cost_per_identity=2.5"};
    scn_scenario s;
    scn_errors *e = scn_errors_new();
    ck_assert_int_eq(scn_load_text(bitgrit_text, "t", sets, 19, &s, e), SCN_OK);
    ck_assert_uint_eq(s.bg.community.farm_start, 45);
    ck_assert_uint_eq(s.bg.community.farm_stop, 100);
    ck_assert_uint_eq(s.bg.community.farm_cost, 2500000000ull);
    ck_assert_int_eq(s.bg.competitions.settlement, SCN_BG_SETTLE_NUMERAI);
    ck_assert_uint_eq(s.bg.competitions.numerai_threshold, 2500500000000ull);
    ck_assert_double_eq(s.bg.competitions.numerai_scale, 0.2);
    ck_assert_double_eq(s.bg.competitions.numerai_multiplier, 0.5);
    ck_assert_double_eq(s.bg.competitions.numerai_clip, 0.05);
    ck_assert_uint_eq(s.bg.competitions.scoring_days, 5);
    ck_assert_double_eq(s.bg.competitions.bonus_probability, 0.25);
    ck_assert_double_eq(s.bg.scientists.effort_min, 0.2);
    ck_assert_double_eq(s.bg.scientists.effort_max, 0.9);
    ck_assert_double_eq(s.bg.scientists.effort_score, 1.5);
    ck_assert_int_eq(s.model, SCN_MODEL_BITGRIT);
    ck_assert_int_eq(s.bg.supply.treasury, SCN_BG_MINTING);
    ck_assert_uint_eq(s.bg.supply.max_supply, 10000000000ull * 1000000000ull);
    ck_assert_int_eq(s.bg.competitions.split, SCN_BG_SPLIT_FIXED);
    const uint64_t w[4] = {5, 3, 1, 1};
    for (int i = 0; i < 4; i++)
        ck_assert_uint_eq(s.bg.competitions.fixed_split[i], w[i]);
    ck_assert_uint_eq(s.bg.community.reward[6], 12500000000ull);
    ck_assert_double_eq(s.bg.community.rate[5], 0.75);
    ck_assert_uint_eq(s.bg.competitions.stake, 1000ull * 1000000000ull);
    ck_assert_double_eq(s.bg.competitions.keep, 0.8);
    scn_clear(&s);
    const char *nsets[] = {"numerai.burn_mode=treasury", "numerai.compound=false",
                           "numerai.sybil_k=7", "numerai.staking=v3", "numerai.round_share=0.25"};
    ck_assert_int_eq(scn_load_text(numerai_text, "t", nsets, 5, &s, e), SCN_OK);
    ck_assert_int_eq(s.bg.numerai.atomic_v3, 1);
    ck_assert_double_eq(s.bg.numerai.round_share, 0.25);
    ck_assert_uint_eq(s.bg.numerai.sybil_k, 7);
    ck_assert_int_eq(s.bg.numerai.burn_to_treasury, 1);
    ck_assert_int_eq(s.bg.numerai.compound, 0);
    ck_assert_uint_eq(s.bg.numerai.threshold, 72000ull * 1000000000ull);
    ck_assert_double_eq(s.bg.numerai.mmc_multiplier, 2.0);
    scn_clear(&s);
    scn_errors_free(e);
}
END_TEST

/* Loads text; expects failure with a message containing `want`. */
static void expect_error(const char *text, const char *want)
{
    scn_scenario s;
    scn_errors *e = scn_errors_new();
    ck_assert_int_ne(scn_load_text(text, "f.cfg", NULL, 0, &s, e), SCN_OK);
    int found = 0;
    for (size_t i = 0; i < scn_errors_count(e); i++)
        found |= strstr(scn_errors_get(e, i), want) != NULL;
    ck_assert_msg(found, "no '%s' in: %s", want, scn_errors_count(e) ? scn_errors_get(e, 0) : "");
    scn_errors_free(e);
}

START_TEST(test_cross_rules)
{
    expect_error("name = \"t\";\nmodel = \"bitgrit\";\ntime = { blocks = 30; };\n",
                 "f.cfg: model \"bitgrit\" counts time in days");
    expect_error("name = \"t\";\nmodel = \"bitgrit\";\n"
                 "time = { block_seconds = 86400; blocks = 30; };\n"
                 "competitions = {\n entry_days = 20;\n duration_days = 10;\n};\n",
                 "f.cfg:5: competitions.entry_days (20) must not exceed");
    expect_error("name = \"t\";\nmodel = \"bitgrit\";\n"
                 "time = { block_seconds = 86400; blocks = 30; };\n"
                 "scientists = {\n complete_min = 0.9;\n complete_max = 0.5;\n};\n",
                 "f.cfg:6: scientists.complete_max must be >= scientists.complete_min");
    expect_error("name = \"t\";\nmodel = \"bitgrit\";\n"
                 "time = { block_seconds = 86400; blocks = 30; };\n"
                 "scientists = {\n effort_min = 0.7;\n effort_max = 0.3;\n};\n",
                 "f.cfg:6: scientists.effort_max must be >= scientists.effort_min");
    expect_error("name = \"t\";\nmodel = \"bitgrit\";\n"
                 "time = { block_seconds = 86400; blocks = 30; };\n"
                 "competitions = {\n split = \"fixed\";\n fixed_split = \"1,x\";\n};\n",
                 "f.cfg:6: competitions.fixed_split: '1,x' is not a comma-separated list");
    expect_error("name = \"t\";\nmodel = \"bitgrit\";\n"
                 "time = { block_seconds = 86400; blocks = 30; };\n"
                 "scientists = {\n count = 100000;\n balance = \"1000000\";\n};\n",
                 "f.cfg:6: scientists.count * scientists.balance + supply.market_float exceeds");
    expect_error("name = \"t\";\nmodel = \"bitgrit\";\n"
                 "time = { block_seconds = 86400; blocks = 30; };\n"
                 "community = {\n farm_start = 60;\n farm_stop = 30;\n};\n",
                 "f.cfg:6: community.farm_stop (30) must be 0 (never) or >= community.farm_start "
                 "(60)");
    expect_error("name = \"t\";\nmodel = \"numerai\";\n"
                 "time = { block_seconds = 86400; blocks = 30; };\n"
                 "competitions = { stake = \"5\"; };\n",
                 "f.cfg:4: competitions.stake applies only to model \"bitgrit\"");
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("bitgrit_keys");
    TCase *t = tcase_create("keys");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, test_defaults_validate);
    tcase_add_test(t, test_readme_documents_keys);
    tcase_add_test(t, test_values_reach_the_scenario);
    tcase_add_test(t, test_cross_rules);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return tdb_run(suite());
}
