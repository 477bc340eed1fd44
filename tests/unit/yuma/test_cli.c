/* test_cli.c: `tokensim epoch --trace FILE` through the built binary — a good trace gives the
 * FORMAT §1.6 lines and exit 0; every kind of bad trace gives exactly one message on stderr,
 * naming the file and the field, nothing on stdout, and exit status 2. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc.h"
#include "yuma_tests.h"

/* The FORMAT.md §1.8 example, one key per line so that syntax errors have known lines. */
static const char base[] =
    "{\n"
    "\"format\": \"yuma-trace/1\",\n"
    "\"name\": \"example\",\n"
    "\"source\": \"FORMAT.md example\",\n"
    "\"params\": {\"n\": 3, \"tempo\": 360, \"activity_cutoff\": 5000, \"kappa\": 32767,\n"
    " \"bonds_moving_average\": 900000, \"bonds_penalty\": 65535, \"max_allowed_validators\": 64,\n"
    " \"yuma3\": false, \"liquid_alpha\": false, \"alpha_low\": 45875, \"alpha_high\": 58982,\n"
    " \"alpha_sigmoid_steepness\": 1000, \"bonds_reset\": false, \"owner_uid\": null,\n"
    " \"stake_threshold\": 0, \"rao_emission\": 1000000000},\n"
    "\"initial\": {\"block\": 1, \"stake\": [3, 1, 0], \"registration_block\": [1, 1, 1],\n"
    " \"last_mechanism_step_block\": 0},\n"
    "\"steps\": [\n"
    " {\"block\": 1, \"ops\": [], \"epoch\": true,\n"
    "  \"expect\": {\"validator_permit\": [true, true, false]}},\n"
    " {\"block\": 2, \"ops\": [\n"
    "   {\"op\": \"set_weights\", \"uid\": 0, \"weights\": [[2, 65535]]},\n"
    "   {\"op\": \"set_weights\", \"uid\": 1, \"weights\": [[2, 65535], [0, 0]]}],\n"
    "  \"epoch\": true,\n"
    "  \"expect\": {\"consensus\": [0, 0, 65535], \"bonds\": [[0, 2, 65535]], \"tolerance\": "
    "{\"bonds\": 1}}},\n"
    " {\"block\": 3, \"ops\": [{\"op\": \"register\", \"uid\": 2, \"stake\": 0}], \"epoch\": "
    "true,\n"
    "  \"note\": \"uid 2 re-registers\"}\n"
    "]\n"
    "}\n";

/* Writes base with the first occurrence of `from` replaced by `to` into dir/name. */
static void write_variant(const char *path, const char *from, const char *to)
{
    const char *at = from ? strstr(base, from) : NULL;
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    if (from)
        ck_assert_msg(at != NULL, "pattern '%s' not in the base trace", from);
    if (at) {
        fwrite(base, 1, (size_t)(at - base), f);
        fputs(to, f);
        fputs(at + strlen(from), f);
    } else {
        fputs(base, f);
    }
    fclose(f);
}

static proc_result *run_epoch(const char *path)
{
    proc_result *r = malloc(sizeof *r);
    char *argv[] = {(char *)proc_tokensim(), "epoch", "--trace", (char *)path, NULL};
    ck_assert_int_eq(proc_run(argv, r), 0);
    return r;
}

START_TEST(test_good_trace)
{
    char path[256];
    snprintf(path, sizeof path, "%s/good.json", proc_tmpdir());
    write_variant(path, NULL, NULL);
    proc_result *r = run_epoch(path);
    ck_assert_msg(r->status == 0, "exit %d: %s", r->status, r->err);
    ck_assert_str_eq(r->err, "");
    /* Three epoch lines; the second is the §1.6 example line exactly. */
    const char *l2 =
        "{\"step\":1,\"block\":2,\"consensus\":[0,0,65535],\"incentive\":[0,0,65535],"
        "\"dividends\":[49151,16383,0],\"validator_trust\":[65535,65535,0],"
        "\"validator_permit\":[true,true,false],\"emission\":[375000000,124999999,500000000],"
        "\"bonds\":[[[2,65535]],[[2,21844]],[]]}\n";
    ck_assert_ptr_nonnull(strstr(r->out, l2));
    size_t lines = 0;
    for (const char *p = r->out; *p; p++)
        lines += *p == '\n';
    ck_assert_uint_eq(lines, 3);
    ck_assert(strncmp(r->out, "{\"step\":0,\"block\":1,", 20) == 0);
    free(r);
}
END_TEST

/* Bad variants: (from, to, expected stderr after "FILE: "). */
static const struct bad {
    const char *from, *to, *msg;
} bads[] = {
    {"\"name\": \"example\",\n", "\"name\": \"example\",\n\"name2\": }\n",
     "line 4: JSON syntax error: "},
    {"\"kappa\": 32767", "\"kapa\": 32767", "params: unknown key 'kapa'"},
    {"\"kappa\": 32767,", "", "params: missing key 'kappa'"},
    {"\"kappa\": 32767", "\"kappa\": 70000",
     "params.kappa: expected an integer in [0, 65535], got 70000"},
    {"\"kappa\": 32767", "\"kappa\": 0.5",
     "params.kappa: expected an integer in [0, 65535], got the non-integer number 0.5"},
    {"\"yuma3\": false", "\"yuma3\": 0", "params.yuma3: expected true or false, got 0"},
    {"\"owner_uid\": null", "\"owner_uid\": 3", "params.owner_uid: 3 is not a uid (n = 3)"},
    {"\"n\": 3", "\"n\": 0", "params.n: expected an integer in [1, 65535], got 0"},
    {"\"stake\": [3, 1, 0]", "\"stake\": [3, 1]",
     "initial.stake: expected 3 entries (n = 3), got 2"},
    {"\"stake\": [3, 1, 0]", "\"stake\": [3, -1, 0]",
     "initial.stake[1]: expected an integer in [0, 9223372036854775807], got -1"},
    {"\"uid\": 2, \"stake\": 0", "\"uid\": 7, \"stake\": 0",
     "steps[2].ops[0].uid: 7 is not a uid (n = 3)"},
    {"\"weights\": [[2, 65535]]", "\"weights\": [[2, 65535], [2, 1]]",
     "steps[1].ops[0].weights[1]: uid 2 appears twice in this weights row"},
    {"\"weights\": [[2, 65535]]", "\"weights\": [[2, 65536]]",
     "steps[1].ops[0].weights[0][1]: expected an integer in [0, 65535], got 65536"},
    {"\"weights\": [[2, 65535]]", "\"weights\": [[2]]",
     "steps[1].ops[0].weights[0]: expected a [uid, weight] pair, got an array"},
    {"\"op\": \"register\"", "\"op\": \"deregister\"",
     "steps[2].ops[0].op: unknown operation \"deregister\" (expected set_weights, register, "
     "set_stake, reset_bonds or set_params)"},
    {"\"op\": \"register\", \"uid\": 2, \"stake\": 0",
     "\"op\": \"register\", \"uid\": 2, \"stake\": 0, \"x\": 1",
     "steps[2].ops[0]: unknown key 'x'"},
    {"\"op\": \"register\", \"uid\": 2, \"stake\": 0", "\"op\": \"register\", \"uid\": 2",
     "steps[2].ops[0]: missing key 'stake'"},
    {"{\"op\": \"register\", \"uid\": 2, \"stake\": 0}",
     "{\"op\": \"set_params\", \"params\": {\"n\": 4}}",
     "steps[2].ops[0].params: set_params cannot change 'n'"},
    {"{\"op\": \"register\", \"uid\": 2, \"stake\": 0}",
     "{\"op\": \"set_params\", \"params\": {\"tempo\": -1}}",
     "steps[2].ops[0].params.tempo: expected an integer in [0, 65535], got -1"},
    {"{\"block\": 3,", "{\"block\": 0,",
     "steps[2].block: 0 is smaller than the previous block 2 (blocks never decrease)"},
    {"\"epoch\": true,\n  \"note\"", "\"epoch\": false, \"expect\": {},\n  \"note\"",
     "steps[2].expect: only allowed when \"epoch\" is true"},
    {"\"validator_permit\": [true, true, false]", "\"validator_permit\": [true, true, 1]",
     "steps[0].expect.validator_permit[2]: expected true or false, got 1"},
    {"\"tolerance\": {\"bonds\": 1}", "\"tolerance\": {\"validator_permit\": 1}",
     "steps[1].expect.tolerance: unknown key 'validator_permit' (tolerances exist for consensus, "
     "incentive, dividends, validator_trust, emission, bonds)"},
    {"\"bonds\": [[0, 2, 65535]]", "\"bonds\": [[0, 5, 65535]]",
     "steps[1].expect.bonds[0][1]: 5 is not a uid (n = 3)"},
    {"\"note\": \"uid 2 re-registers\"", "\"note\": 5", "steps[2].note: expected a string, got 5"},
    {"\"source\": \"FORMAT.md example\",\n", "\"source\": \"FORMAT.md example\",\n\"extra\": 1,\n",
     "unknown key 'extra'"},
    {"\"yuma-trace/1\"", "\"yuma-trace/2\"",
     "format: expected \"yuma-trace/1\", got \"yuma-trace/2\""},
    {"\"steps\": [\n {\"block\": 1, \"ops\": [], \"epoch\": true,\n  \"expect\": "
     "{\"validator_permit\": [true, true, false]}},",
     "\"steps\": [\n {\"block\": 1, \"ops\": [], \"epoch\": true, \"spoch\": 1},",
     "steps[0]: unknown key 'spoch'"},
};

START_TEST(test_bad_trace)
{
    const struct bad *b = &bads[_i];
    char path[256], want[1024];
    snprintf(path, sizeof path, "%s/bad%d.json", proc_tmpdir(), _i);
    write_variant(path, b->from, b->to);
    proc_result *r = run_epoch(path);
    ck_assert_msg(r->status == 2, "case %d: exit %d, stderr %s", _i, r->status, r->err);
    ck_assert_str_eq(r->out, "");
    snprintf(want, sizeof want, "%s: %s", path, b->msg);
    ck_assert_msg(strncmp(r->err, want, strlen(want)) == 0, "case %d:\n got  %s want %s", _i,
                  r->err, want);
    /* Exactly one line. */
    ck_assert_ptr_nonnull(strchr(r->err, '\n'));
    ck_assert_str_eq(strchr(r->err, '\n'), "\n");
    free(r);
}
END_TEST

START_TEST(test_usage)
{
    proc_result *r = malloc(sizeof *r);
    char *help[] = {(char *)proc_tokensim(), "epoch", "--help", NULL};
    ck_assert_int_eq(proc_run(help, r), 0);
    ck_assert_int_eq(r->status, 0);
    ck_assert_ptr_nonnull(strstr(r->out, "usage: tokensim epoch --trace FILE"));
    ck_assert_ptr_nonnull(strstr(r->out, "examples:"));
    char *none[] = {(char *)proc_tokensim(), "epoch", NULL};
    ck_assert_int_eq(proc_run(none, r), 0);
    ck_assert_int_eq(r->status, 2);
    ck_assert_str_eq(r->out, "");
    ck_assert_ptr_nonnull(strstr(r->err, "--trace FILE is required"));
    char *missing[] = {(char *)proc_tokensim(), "epoch", "--trace", "/nonexistent/t.json", NULL};
    ck_assert_int_eq(proc_run(missing, r), 0);
    ck_assert_int_eq(r->status, 2);
    ck_assert_str_eq(r->err, "/nonexistent/t.json: cannot read: No such file or directory\n");
    char *top[] = {(char *)proc_tokensim(), "--help", NULL};
    ck_assert_int_eq(proc_run(top, r), 0);
    ck_assert_ptr_nonnull(strstr(r->out, "epoch --trace FILE"));
    free(r);
}
END_TEST

Suite *suite_cli(void)
{
    Suite *s = suite_create("cli");
    TCase *tc = tcase_create("epoch");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_good_trace);
    tcase_add_loop_test(tc, test_bad_trace, 0, (int)(sizeof bads / sizeof bads[0]));
    tcase_add_test(tc, test_usage);
    suite_add_tcase(s, tc);
    return s;
}
