/*
** check_hostile.c: hostile scenario input through the built binary (`tokensim validate` and
** `tokensim run`). Every case must exit 2 with one message that names the file and line (or
** the --set key, or the snapshot file) and the limit, and must never crash, hang, allocate
** gigabytes or read a file outside the scenario's directory. The limits are the README's
** "what is limited and to what" table: paths in files stay below the scenario's directory;
** nesting at most SCN_MAX_NESTING (32) levels; files at most 1 MiB; no @include; integers and
** token amounts beyond their range (2^64 - 1 units at most) refused, never wrapped; negative
** amounts refused; bytes that are not UTF-8 refused with their line and column; at most 2e6
** bittensor agents; aigen matrices at most 2e8 cells.
** Each expected message is written from the limit it states, not copied from a run.
*/
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "proc.h"
#include "tdb.h"

#define TS (char *)proc_tokensim()

static proc_result R;

/* Writes n bytes to DIR/name (creating DIR/sub when name has one level); returns the path. */
static const char *put(const char *name, const char *bytes, size_t n)
{
    static char path[8][4096];
    static int slot;
    char *p = path[slot++ % 8];
    char sub[4096];
    snprintf(sub, sizeof sub, "%s/sub", proc_tmpdir());
    mkdir(sub, 0700);
    snprintf(p, 4096, "%s/%s", proc_tmpdir(), name);
    FILE *f = fopen(p, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(bytes, 1, n, f), n);
    fclose(f);
    return p;
}

static const char *puts_file(const char *name, const char *text)
{
    return put(name, text, strlen(text));
}

/* Runs `tokensim validate PATH [--set S]` and returns the exit status (stderr in R.err). */
static int validate(const char *path, const char *set)
{
    char *a[] = {TS, "validate", (char *)path, set ? "--set" : NULL, (char *)set, NULL};
    ck_assert_int_eq(proc_run(a, &R), 0);
    return R.status;
}

/* Exit 2 and a stderr line that starts with `path` + `rest` (path NULL: rest alone). */
static void expect_refused(const char *path, const char *set, const char *want_path,
                           const char *rest)
{
    char want[8192];
    ck_assert_int_eq(validate(path, set), 2);
    snprintf(want, sizeof want, "%s%s", want_path ? want_path : "", rest);
    ck_assert_msg(strstr(R.err, want) != NULL, "wanted \"%s\" in:\n%s", want, R.err);
}

#define BT_HEAD "name = \"h\"; model = \"bittensor\";\ntime = { blocks = 10; };\n"

/* ---- paths ---------------------------------------------------------------------------------- */

START_TEST(snapshot_path_traversal_refused)
{
    const char *p = puts_file("sub/trav.cfg", BT_HEAD "subnet_defaults = { snapshot = "
                                                      "\"../outside.json\"; };\n");
    expect_refused(p, NULL, p,
                   ":3: subnet_defaults.snapshot = \"../outside.json\" leaves the scenario's "
                   "directory");
    p = puts_file("sub/abs.cfg", BT_HEAD "subnet_defaults = { snapshot = \"/etc/passwd\"; };\n");
    expect_refused(p, NULL, p, ":3: subnet_defaults.snapshot = \"/etc/passwd\" leaves");
    /* nothing of /etc/passwd is quoted: it was never opened */
    ck_assert_ptr_null(strstr(R.err, "invalid JSON"));
    p = puts_file("sub/elem.cfg", BT_HEAD
                  "subnets = ( { netuid = 1; snapshot = \"snapshots/../../x.json\"; } );\n");
    expect_refused(p, NULL, p, ":3: subnets[0].snapshot = \"snapshots/../../x.json\" leaves");
}
END_TEST

START_TEST(graph_path_traversal_refused)
{
    const char *p = puts_file("sub/cf.cfg", "name = \"h\"; model = \"cflow\";\n"
                                            "time = { blocks = 10; };\n"
                                            "cflow = { graph_file = \"../../../etc/shadow\"; };\n");
    expect_refused(p, NULL, p, ":3: cflow.graph_file = \"../../../etc/shadow\" leaves");
}
END_TEST

/* Names below the directory stay fine ("a..b" is a name, not a `..` component), and the
** operator's own --set may name any file. */
START_TEST(paths_below_the_directory_and_set_allowed)
{
    char snap[8192];
    FILE *f = fopen(tdb_src("scenarios/snapshots/example.json"), "rb");
    ck_assert_ptr_nonnull(f);
    size_t n = fread(snap, 1, sizeof snap, f);
    fclose(f);
    ck_assert_uint_lt(n, sizeof snap);
    put("sub/a..b.json", snap, n);
    const char *p = puts_file("sub/ok.cfg", BT_HEAD "subnet_defaults = { snapshot = "
                                                    "\"./a..b.json\"; };\n");
    ck_assert_msg(validate(p, NULL) == 0, "%s", R.err);
    char set[4200];
    snprintf(set, sizeof set, "subnet_defaults.snapshot=\"%s\"",
             tdb_src("scenarios/snapshots/example.json"));
    p = puts_file("sub/set.cfg", BT_HEAD);
    ck_assert_msg(validate(p, set) == 0, "%s", R.err);
}
END_TEST

/* A FIFO or a device named by a scenario is refused before it is opened (a FIFO would block
** the open forever; the test's own timeout catches a regression). */
START_TEST(special_files_refused)
{
    char fifo[4200];
    snprintf(fifo, sizeof fifo, "%s/sub/pipe.json", proc_tmpdir());
    puts_file("sub/placeholder", "");
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    const char *p = puts_file("sub/fifo.cfg", BT_HEAD "subnet_defaults = { snapshot = "
                                                      "\"pipe.json\"; };\n");
    expect_refused(p, NULL, fifo, ": the snapshot is not a regular file");
    p = puts_file("sub/dev.cfg", BT_HEAD);
    expect_refused(p, "subnet_defaults.snapshot=\"/dev/zero\"", "/dev/zero",
                   ": the snapshot is not a regular file");
    p = puts_file("sub/cfdev.cfg", "name = \"h\"; model = \"cflow\";\ntime = { blocks = 10; };\n");
    expect_refused(p, "cflow.graph_file=\"/dev/zero\"", NULL,
                   "--set cflow.graph_file: cflow.graph_file: /dev/zero: not a regular file");
}
END_TEST

/* ---- sizes and depth ------------------------------------------------------------------------ */

static char *nested(const char *open, const char *close, int depth)
{
    size_t lo = strlen(open), lc = strlen(close);
    const char *head = "name = \"h\";\ntime = { blocks = 10; };\nx = ";
    char *t = malloc(strlen(head) + (size_t)depth * (lo + lc) + 8);
    ck_assert_ptr_nonnull(t);
    char *q = t + sprintf(t, "%s", head);
    for (int i = 0; i < depth; i++)
        q += sprintf(q, "%s", open);
    q += sprintf(q, "1");
    for (int i = 0; i < depth; i++)
        q += sprintf(q, "%s", close);
    sprintf(q, ";\n");
    return t;
}

START_TEST(deep_nesting_refused)
{
    /* 100,000 levels: libconfig's parser alone would run out of stack or memory */
    char *t = nested("{ a = ", "; }", 100000);
    const char *p = puts_file("deep.cfg", t);
    free(t);
    expect_refused(p, NULL, p, ":3: nested more than 32 levels deep");
    t = nested("(", ")", 100000);
    p = puts_file("deeplist.cfg", t);
    free(t);
    expect_refused(p, NULL, p, ":3: nested more than 32 levels deep");
    /* braces inside strings and comments do not count */
    p = puts_file("notdeep.cfg", "name = \"h\"; # {{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{\n"
                                 "description = \"((((((((((((((((((((((((((((((((((((\";\n"
                                 "time = { blocks = 10; };\n");
    ck_assert_msg(validate(p, NULL) == 0, "%s", R.err);
}
END_TEST

START_TEST(deep_json_snapshot_refused)
{
    /* jansson stops at its depth limit (2048) with a located error */
    size_t depth = 100000;
    char *j = malloc(2 * depth + 16);
    ck_assert_ptr_nonnull(j);
    memset(j, '[', depth);
    memset(j + depth, ']', depth);
    j[2 * depth] = '\n';
    put("sub/deep.json", j, 2 * depth + 1);
    free(j);
    const char *p = puts_file("sub/deepjson.cfg", BT_HEAD "subnet_defaults = { snapshot = "
                                                          "\"deep.json\"; };\n");
    ck_assert_int_eq(validate(p, NULL), 2);
    ck_assert_msg(strstr(R.err, "deep.json:1: invalid JSON: maximum parsing depth reached"), "%s",
                  R.err);
}
END_TEST

START_TEST(huge_file_and_include_refused)
{
    size_t n = (size_t)2 * 1024 * 1024;
    char *big = malloc(n);
    ck_assert_ptr_nonnull(big);
    memset(big, '#', n);
    big[n - 1] = '\n';
    const char *p = put("huge.cfg", big, n);
    free(big);
    expect_refused(p, NULL, p, ": scenario file too large (more than 1048576 bytes)");
    p = puts_file("inc.cfg", "name = \"h\";\n@include \"/etc/passwd\"\ntime = { blocks = 1; };\n");
    expect_refused(p, NULL, p, ":2: @include is not supported");
}
END_TEST

START_TEST(absurd_populations_refused)
{
    /* 128 subnets x (65535 miners + 100000 delegators): 21 million agents, several GB */
    const char *p =
        puts_file("pop.cfg", BT_HEAD "network = { subnets = 128; };\n"
                                     "subnet_defaults = { max_uids = 4096; miners = 65535;\n"
                                     "  delegators = 100000; };\n"
                                     "chain = { total_supply = \"18000000000\"; };\n"
                                     "delegators = { stake = \"0.001\"; };\n");
    expect_refused(p, NULL, p, ":5: 21188488 agents (validators, every subnet's miners");
    ck_assert_ptr_nonnull(strstr(R.err, "exceed the limit of 2000000"));
    /* aigen: 1e6 consumers x 1e4 controllers would be a 10^10-cell call matrix (80 GB) */
    p = puts_file("ag.cfg", "name = \"h\"; model = \"aigen\";\ntime = { blocks = 3; };\n"
                            "aigen = { consumers = 1000000;\n controllers = 10000; };\n");
    expect_refused(p, NULL, p,
                   ":3: aigen.consumers x aigen.controllers (1000000 x 10000) exceeds 200000000");
    /* per-key ranges: counts, horizons, intervals */
    p = puts_file("counts.cfg", "name = \"h\";\ntime = { blocks = 10000000001L; };\n"
                                "stakers = { count = 100001; };\nrecord = { every = 0; };\n");
    expect_refused(p, NULL, p, ":2: time.blocks = 10000000001 is out of range [1, 10000000000]");
    expect_refused(p, NULL, p, ":3: stakers.count = 100001 is out of range [1, 100000]");
    expect_refused(p, NULL, p, ":4: record.every = 0 is out of range [1, 1000000000]");
}
END_TEST

/* ---- integer overflow ------------------------------------------------------------------------ */

START_TEST(overflowing_amounts_refused_not_wrapped)
{
    const char *p = puts_file("amt.cfg", "name = \"h\";\ntime = { blocks = 10; };\n"
                                         "stakers = {\n  count = 1;\n"
                                         "  initial_stake = \"18446744073.709551616\";\n};\n");
    /* 2^64 units: one more than the largest amount */
    expect_refused(p, NULL, p,
                   ":5: stakers.initial_stake = \"18446744073.709551616\": token amount too "
                   "large (at most 18446744073.709551615)");
    p = puts_file("digits.cfg", "name = \"h\";\ntime = { blocks = 10; };\n"
                                "stakers = { initial_stake = \"000000000000000000000000000000000"
                                "00000000000000000000000000000000000000000000000000001.5\"; };\n");
    ck_assert_msg(validate(p, NULL) == 0, "leading zeros are still 1.5: %s", R.err);
    p = puts_file("many.cfg", "name = \"h\";\ntime = { blocks = 10; };\n"
                              "stakers = { initial_stake = \"1.0000000000000000000000001\"; };\n");
    expect_refused(p, NULL, p,
                   ":3: stakers.initial_stake = \"1.0000000000000000000000001\": "
                   "precision finer than 1e-9 token");
    p = puts_file("neg.cfg", "name = \"h\";\ntime = { blocks = 10; };\n"
                             "stakers = { initial_stake = \"-5\"; count = -3; };\n");
    expect_refused(p, NULL, p,
                   ":3: stakers.initial_stake = \"-5\": token amount must not be "
                   "negative");
    expect_refused(p, NULL, p, ":3: stakers.count = -3 is out of range [1, 100000]");
    p = puts_file("int.cfg", "name = \"h\";\ntime = { blocks = 18446744073709551616L; };\n");
    expect_refused(p, NULL, p, ":2: time.blocks = 18446744073709551616L is out of range");
    /* the product of two valid values overflows u64: refused, not wrapped */
    p = puts_file("prod.cfg", "name = \"h\";\ntime = { blocks = 10; };\n"
                              "stakers = { count = 3; initial_stake = \"10000000000\"; };\n");
    ck_assert_int_eq(validate(p, NULL), 2);
    ck_assert_msg(strstr(R.err, "exceeds 9223372036.854775807 tokens, the largest the metrics "
                                "database stores"),
                  "%s", R.err);
}
END_TEST

START_TEST(overflowing_set_refused)
{
    const char *p = puts_file("base.cfg", "name = \"h\";\ntime = { blocks = 10; };\n");
    expect_refused(p, "stakers.initial_stake=99999999999999999999", NULL,
                   "--set stakers.initial_stake: stakers.initial_stake = \"99999999999999999999\": "
                   "token amount too large");
    expect_refused(p, "time.blocks=18446744073709551617", NULL,
                   "--set time.blocks: time.blocks = 18446744073709551617 is out of range");
    expect_refused(p, "stakers.count=-1", NULL,
                   "--set stakers.count: stakers.count = -1 is out of range [1, 100000]");
    expect_refused(p, "stakers.initial_stake=\"-0.5\"", NULL,
                   "--set stakers.initial_stake: stakers.initial_stake = \"-0.5\": token amount "
                   "must not be negative");
}
END_TEST

/* ---- bytes that are not UTF-8 ---------------------------------------------------------------- */

START_TEST(non_utf8_refused_with_line)
{
    static const char latin1[] = "name = \"h\";\ntime = { blocks = 10; };\n"
                                 "description = \"caf\xe9\";\n";
    const char *p = put("latin1.cfg", latin1, sizeof latin1 - 1);
    /* 0xE9 is byte 19 of line 3 */
    expect_refused(p, NULL, p, ":3: not a text file: invalid UTF-8 (byte 0xE9) at column 19");
    static const char esc[] = "name = \"h\";\ndescription = \"\x1b[2J\";\n";
    p = put("esc.cfg", esc, sizeof esc - 1);
    expect_refused(p, NULL, p, ":2: not a text file: control byte 0x1B at column 16");
    /* --set: the bytes are refused and never echoed raw */
    p = puts_file("base.cfg", "name = \"h\";\ntime = { blocks = 10; };\n");
    expect_refused(p, "description=\"caf\xe9\"", NULL,
                   "--set description: description is not valid UTF-8");
    expect_refused(p, "name=\"a\xff\"", NULL, "--set name: name = \"a\\xFF\" is invalid");
    expect_refused(p, "k\xff=1", NULL, "--set k?: unknown key");
    ck_assert_ptr_null(strchr(R.err, 0xFF)); /* strchr converts to char */
}
END_TEST

START_TEST(snapshot_names_without_controls)
{
    const char *j = "{\"block\": 10, \"neurons\": [{\"uid\": 0, \"hotkey\": \"a\\u001b[2Jb\", "
                    "\"stake\": \"1\", \"registered_at\": 5}]}\n";
    puts_file("sub/ctl.json", j);
    const char *p = puts_file("sub/ctl.cfg", BT_HEAD "subnet_defaults = { snapshot = "
                                                     "\"ctl.json\"; };\n");
    ck_assert_int_eq(validate(p, NULL), 2);
    ck_assert_msg(strstr(R.err, "neurons[0].hotkey: contains a control character (0x1B)"), "%s",
                  R.err);
    /* invalid UTF-8 inside a JSON string: jansson refuses it with a line */
    static const char bad[] = "{\"block\": 10,\n \"neurons\": [{\"uid\": 0, \"hotkey\": \"\xff\", "
                              "\"stake\": \"1\", \"registered_at\": 5}]}\n";
    put("sub/bad.json", bad, sizeof bad - 1);
    p = puts_file("sub/bad.cfg", BT_HEAD "subnet_defaults = { snapshot = \"bad.json\"; };\n");
    ck_assert_int_eq(validate(p, NULL), 2);
    ck_assert_msg(strstr(R.err, "bad.json:2: invalid JSON: "), "%s", R.err);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("hostile");
    TCase *t = tcase_create("paths");
    tcase_add_test(t, snapshot_path_traversal_refused);
    tcase_add_test(t, graph_path_traversal_refused);
    tcase_add_test(t, paths_below_the_directory_and_set_allowed);
    tcase_add_test(t, special_files_refused);
    suite_add_tcase(s, t);
    t = tcase_create("sizes");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, deep_nesting_refused);
    tcase_add_test(t, deep_json_snapshot_refused);
    tcase_add_test(t, huge_file_and_include_refused);
    tcase_add_test(t, absurd_populations_refused);
    suite_add_tcase(s, t);
    t = tcase_create("overflow");
    tcase_add_test(t, overflowing_amounts_refused_not_wrapped);
    tcase_add_test(t, overflowing_set_refused);
    suite_add_tcase(s, t);
    t = tcase_create("utf8");
    tcase_add_test(t, non_utf8_refused_with_line);
    tcase_add_test(t, snapshot_names_without_controls);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return tdb_run(suite());
}
