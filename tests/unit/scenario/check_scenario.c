/*
** check_scenario.c: tests of the scenario module (sim/scenario).
**
** What is covered: the built-in default (its values, its bytes equal scenarios/default.cfg, its
** first halving inside the run); a complete valid file; every default; bad files, each with its
** exact messages written here by hand (fixtures in tests/unit/scenario/bad/, file-system cases
** in a temporary directory); --set overrides and their errors; params_json against a
** hand-written string; the amount parser at the u64 boundary; the literal re-reader that
** catches libconfig's 32-bit truncation; the key table, scn_describe and the README.
** Expected values come from the README's rules and arithmetic done by hand, never from the
** program's own output.
*/
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <stdbool.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scenario.h"
#include "scn_int.h"
#include "tdb.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* libconfig 1.5 leaks the string token it discards on some syntax errors (a string where a
** setting name should be, e.g. `"x" = 1;`: 64 bytes from its strbuf_append). That is libconfig's
** bug, not ours; under LeakSanitizer, ignore leaks allocated inside libconfig only, so that
** the mutation test below still catches every leak of our own. Unused without sanitizers. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libconfig.so\n";
}
#define TOKEN 1000000000ull

/* ---- helpers ----------------------------------------------------------------------------- */

/* Reads a whole file into a malloc'd NUL-terminated buffer. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq(fread(p, 1, (size_t)n, f), (size_t)n);
    p[n] = '\0';
    fclose(f);
    if (len)
        *len = (size_t)n;
    return p;
}

/* Checks that loading fails with exactly these messages, in this order. */
static void check_messages(int rc, scn_scenario *s, scn_errors *e, const char *const *want,
                           size_t nwant)
{
    size_t n = scn_errors_count(e);
    for (size_t i = 0; i < n && i < nwant; i++)
        ck_assert_str_eq(scn_errors_get(e, i), want[i]);
    for (size_t i = nwant; i < n; i++)
        ck_abort_msg("unexpected extra message: %s", scn_errors_get(e, i));
    ck_assert_uint_eq(n, nwant);
    ck_assert_int_eq(rc, SCN_EINVAL);
    ck_assert_ptr_null(s->name); /* a failed load leaves the scenario zeroed */
    ck_assert_ptr_null(s->params_json);
}

static void expect_file(const char *path, const char *const *sets, size_t nsets,
                        const char *const *want, size_t nwant)
{
    scn_errors *e = scn_errors_new();
    scn_scenario s;
    int rc = scn_load_file(path, sets, nsets, &s, e);
    check_messages(rc, &s, e, want, nwant);
    scn_errors_free(e);
}

static void expect_text(const char *text, const char *const *sets, size_t nsets,
                        const char *const *want, size_t nwant)
{
    scn_errors *e = scn_errors_new();
    scn_scenario s;
    int rc = scn_load_text(text, "t.cfg", sets, nsets, &s, e);
    check_messages(rc, &s, e, want, nwant);
    scn_errors_free(e);
}

/* Loads text that must be valid; fails the test with the messages otherwise. */
static void load_ok(const char *text, const char *const *sets, size_t nsets, scn_scenario *s)
{
    scn_errors *e = scn_errors_new();
    int rc = scn_load_text(text, "t.cfg", sets, nsets, s, e);
    ck_assert_msg(rc == SCN_OK, "load failed (%d): %s", rc,
                  scn_errors_count(e) ? scn_errors_get(e, 0) : "(no message)");
    ck_assert_uint_eq(scn_errors_count(e), 0);
    scn_errors_free(e);
}

/* The bad fixtures are loaded by relative name so that messages read "name.cfg:LINE: ...". */
static void enter_bad_dir(void)
{
    const char *dir = tdb_src("tests/unit/scenario/bad");
    ck_assert_msg(chdir(dir) == 0, "cannot enter %s", dir);
}

/* A fresh temporary directory per test for file-system cases. */
static char tmp_dir[64];

static void tmp_setup(void)
{
    snprintf(tmp_dir, sizeof tmp_dir, "/tmp/check_scenario_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmp_dir));
}

/* Removes the directory and the files the tests wrote into it (they make no subdirectories). */
static void tmp_teardown(void)
{
    DIR *d = opendir(tmp_dir);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        char path[400];
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", tmp_dir, e->d_name);
        unlink(path);
    }
    if (d)
        closedir(d);
    if (rmdir(tmp_dir) != 0)
        fprintf(stderr, "could not remove %s\n", tmp_dir);
}

static const char *tmp_file(const char *name, const void *bytes, size_t len)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", tmp_dir, name);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(bytes, 1, len, f), len);
    fclose(f);
    return path;
}

static char *msg_for(const char *path, const char *suffix)
{
    static char buf[4][256];
    static int next;
    char *b = buf[next++ % 4];
    snprintf(b, sizeof buf[0], "%s%s", path, suffix);
    return b;
}

/* ---- the default scenario ---------------------------------------------------------------- */

/* scn__json_line_of on texts whose strings hold brackets, commas, escaped quotes and newlines
** (line numbers counted by hand in the comments). */
START_TEST(test_json_line_of)
{
    const char *t = "{\"a\": \"x{[,\\\"\\n\",\n"    /* 1: a string with { [ , \" and \n escapes */
                    " \"b\": [1,\n"                 /* 2 */
                    "       {\"c\": \"}\"},\n"      /* 3 */
                    "       [\n"                    /* 4 */
                    "        2]],\n"                /* 5 */
                    " \"d\":\n"                     /* 6 */
                    "   {\"e\": {\"f\": true}}}\n"; /* 7 */
    size_t n = strlen(t);
    ck_assert_uint_eq(scn__json_line_of(t, n, "a"), 1);
    ck_assert_uint_eq(scn__json_line_of(t, n, "b"), 2);
    ck_assert_uint_eq(scn__json_line_of(t, n, "b[0]"), 2);
    ck_assert_uint_eq(scn__json_line_of(t, n, "b[1].c"), 3);
    ck_assert_uint_eq(scn__json_line_of(t, n, "b[2]"), 4);
    ck_assert_uint_eq(scn__json_line_of(t, n, "b[2][0]"), 5);
    ck_assert_uint_eq(scn__json_line_of(t, n, "b[uid 2]"), 4);
    ck_assert_uint_eq(scn__json_line_of(t, n, "d"), 7); /* the value's line, not the key's */
    ck_assert_uint_eq(scn__json_line_of(t, n, "d.e.f"), 7);
    /* missing steps: the deepest value reached */
    ck_assert_uint_eq(scn__json_line_of(t, n, "b[1].zz"), 3);
    ck_assert_uint_eq(scn__json_line_of(t, n, "b[7]"), 2);
    ck_assert_uint_eq(scn__json_line_of(t, n, "zz"), 1);
    ck_assert_uint_eq(scn__json_line_of(t, n, "a.x"), 1); /* a is not an object */
    /* not paths, or no text */
    ck_assert_uint_eq(scn__json_line_of(t, n, ""), 0);
    ck_assert_uint_eq(scn__json_line_of(t, n, ".a"), 0);
    ck_assert_uint_eq(scn__json_line_of(t, n, "b[x]"), 0);
    ck_assert_uint_eq(scn__json_line_of(NULL, 0, "a"), 0);
    /* a text cut anywhere is walked without reading past its end */
    for (size_t k = 0; k < n; k++)
        ck_assert_uint_le(scn__json_line_of(t, k, "d.e.f"), 7);
}
END_TEST

START_TEST(test_default_values)
{
    scn_scenario s;
    scn_errors *e = scn_errors_new();
    ck_assert_int_eq(scn_load_text(scn_default_text(), "<default>", NULL, 0, &s, e), SCN_OK);
    ck_assert_uint_eq(scn_errors_count(e), 0);
    ck_assert_str_eq(s.path, "<default>");
    ck_assert_str_eq(s.name, "default");
    ck_assert_int_eq(s.model, SCN_MODEL_TOKEN);
    ck_assert_uint_eq(s.seed, 1);
    ck_assert_uint_eq(s.time.block_seconds, 12);
    ck_assert_uint_eq(s.time.blocks, 11000000);
    ck_assert_int_eq(s.emission.schedule, SCN_SCHEDULE_ISSUANCE);
    ck_assert_uint_eq(s.emission.initial_reward, 1 * TOKEN);
    ck_assert_uint_eq(s.emission.total_supply, 21000000 * TOKEN);
    ck_assert_uint_eq(s.emission.halving_interval, 0);
    ck_assert_uint_eq(s.emission.start_block, 0);
    ck_assert_uint_eq(s.stakers.count, 5);
    ck_assert_uint_eq(s.stakers.initial_stake, 1000 * TOKEN);
    ck_assert_double_eq(s.stakers.stake_spread, 0.5);
    ck_assert_int_eq(s.stakers.compound, 1);
    ck_assert_double_eq(s.stakers.unstake_probability, 0.02);
    ck_assert_double_eq(s.stakers.unstake_fraction, 0.1);
    ck_assert_uint_eq(s.record.every, 7200);
    ck_assert_str_eq(s.text, scn_default_text());
    ck_assert(strlen(s.description) > 0);
    scn_clear(&s);
    scn_errors_free(e);
}
END_TEST

/* The built-in is the file, byte for byte. */
START_TEST(test_default_is_file)
{
    const char *path = tdb_src("scenarios/default.cfg");
    size_t len;
    char *bytes = slurp(path, &len);
    ck_assert_uint_eq(strlen(scn_default_text()), len);
    ck_assert(memcmp(bytes, scn_default_text(), len) == 0);
    scn_scenario a, b;
    load_ok(scn_default_text(), NULL, 0, &a);
    ck_assert_int_eq(scn_load_file(path, NULL, 0, &b, NULL), SCN_OK);
    ck_assert_str_eq(a.params_json, b.params_json);
    ck_assert_str_eq(b.path, path);
    ck_assert_str_eq(b.text, bytes);
    scn_clear(&a);
    scn_clear(&b);
    free(bytes);
}
END_TEST

/* The default's promise: the first halving (issuance = supply / 2 = 10.5M tokens, genesis mean
** 5 x 1000 tokens already issued, 1 token per block) happens at block 10,495,000, inside the
** 11,000,000-block run. */
START_TEST(test_default_passes_first_halving)
{
    scn_scenario s;
    load_ok(scn_default_text(), NULL, 0, &s);
    uint64_t genesis = s.stakers.count * s.stakers.initial_stake;
    uint64_t halving_block = (s.emission.total_supply / 2 - genesis) / s.emission.initial_reward;
    ck_assert_uint_eq(halving_block, 10495000);
    ck_assert_uint_gt(s.time.blocks, halving_block);
    scn_clear(&s);
}
END_TEST

START_TEST(test_default_params_json)
{
    scn_scenario s;
    load_ok(scn_default_text(), NULL, 0, &s);
    const char *want =
        "{\"name\":\"default\",\"description\":\"Bittensor-style token: 1 token per block, "
        "issuance-based halving with a 21M cap, five compounding stakers who occasionally "
        "unstake; runs from genesis past the first halving.\",\"model\":\"token\",\"seed\":1,"
        "\"time\":{\"block_seconds\":12,\"blocks\":11000000},"
        "\"emission\":{\"schedule\":\"issuance\",\"initial_reward\":\"1\","
        "\"total_supply\":\"21000000\",\"halving_interval\":null,\"start_block\":null},"
        "\"stakers\":{\"count\":5,\"initial_stake\":\"1000\",\"stake_spread\":0.5,"
        "\"compound\":true,\"unstake_probability\":0.02,\"unstake_fraction\":0.1},"
        "\"record\":{\"every\":7200}}";
    ck_assert_str_eq(s.params_json, want);
    scn_clear(&s);
}
END_TEST

/* ---- valid files ------------------------------------------------------------------------- */

static const char full_text[] =
    "# every key, bitcoin schedule, values at or near their limits\n"
    "name = \"full.run-1\";\n"
    "description = \"Every key given\";\n"
    "model = \"token\";\n"
    "seed = 123456789012L;\n"
    "time = { block_seconds = 600; blocks = 6930000L; };\n"
    "emission = {\n"
    "  schedule = \"bitcoin\";\n"
    "  initial_reward = 50;            // integer: whole tokens\n"
    "  halving_interval = 210000;\n"
    "  start_block = 1000L;\n"
    "};\n"
    "stakers = {\n"
    "  count = 100000;\n"
    "  initial_stake = \"0.000000001\";\n"
    "  stake_spread = 3;               /* an integer is a fine number */\n"
    "  compound = false;\n"
    "  unstake_probability = 1.0;\n"
    "  unstake_fraction = 0.25;\n"
    "};\n"
    "record = { every = 144; };";

START_TEST(test_full_file)
{
    scn_scenario s;
    load_ok(full_text, NULL, 0, &s);
    ck_assert_str_eq(s.name, "full.run-1");
    ck_assert_str_eq(s.description, "Every key given");
    ck_assert_uint_eq(s.seed, 123456789012ull);
    ck_assert_uint_eq(s.time.block_seconds, 600);
    ck_assert_uint_eq(s.time.blocks, 6930000);
    ck_assert_int_eq(s.emission.schedule, SCN_SCHEDULE_BITCOIN);
    ck_assert_uint_eq(s.emission.initial_reward, 50 * TOKEN);
    ck_assert_uint_eq(s.emission.total_supply, 0);
    ck_assert_uint_eq(s.emission.halving_interval, 210000);
    ck_assert_uint_eq(s.emission.start_block, 1000);
    ck_assert_uint_eq(s.stakers.count, 100000);
    ck_assert_uint_eq(s.stakers.initial_stake, 1);
    ck_assert_double_eq(s.stakers.stake_spread, 3.0);
    ck_assert_int_eq(s.stakers.compound, 0);
    ck_assert_double_eq(s.stakers.unstake_probability, 1.0);
    ck_assert_double_eq(s.stakers.unstake_fraction, 0.25);
    ck_assert_uint_eq(s.record.every, 144);
    ck_assert_str_eq(s.text, full_text);
    ck_assert_str_eq(s.path, "t.cfg");
    const char *want =
        "{\"name\":\"full.run-1\",\"description\":\"Every key given\",\"model\":\"token\","
        "\"seed\":123456789012,\"time\":{\"block_seconds\":600,\"blocks\":6930000},"
        "\"emission\":{\"schedule\":\"bitcoin\",\"initial_reward\":\"50\",\"total_supply\":null,"
        "\"halving_interval\":210000,\"start_block\":1000},"
        "\"stakers\":{\"count\":100000,\"initial_stake\":\"0.000000001\",\"stake_spread\":3,"
        "\"compound\":false,\"unstake_probability\":1,\"unstake_fraction\":0.25},"
        "\"record\":{\"every\":144}}";
    ck_assert_str_eq(s.params_json, want);
    scn_clear(&s);
}
END_TEST

/* Only the two required keys: every other value is the documented default. */
START_TEST(test_defaults_applied)
{
    scn_scenario s;
    load_ok("name = \"minimal\";\ntime = { blocks = 1; };\n", NULL, 0, &s);
    ck_assert_str_eq(s.description, "");
    ck_assert_int_eq(s.model, SCN_MODEL_TOKEN);
    ck_assert_uint_eq(s.seed, 1);
    ck_assert_uint_eq(s.time.block_seconds, 12);
    ck_assert_uint_eq(s.time.blocks, 1);
    ck_assert_int_eq(s.emission.schedule, SCN_SCHEDULE_ISSUANCE);
    ck_assert_uint_eq(s.emission.initial_reward, 1000000000ull);
    ck_assert_uint_eq(s.emission.total_supply, 21000000000000000ull);
    ck_assert_uint_eq(s.emission.halving_interval, 0);
    ck_assert_uint_eq(s.emission.start_block, 0);
    ck_assert_uint_eq(s.stakers.count, 5);
    ck_assert_uint_eq(s.stakers.initial_stake, 1000000000000ull);
    ck_assert_double_eq(s.stakers.stake_spread, 0.5);
    ck_assert_int_eq(s.stakers.compound, 1);
    ck_assert_double_eq(s.stakers.unstake_probability, 0.0);
    ck_assert_double_eq(s.stakers.unstake_fraction, 0.1);
    ck_assert_uint_eq(s.record.every, 7200);
    scn_clear(&s);
}
END_TEST

/* The bitcoin schedule's own default: start_block 0; total_supply does not apply. */
START_TEST(test_defaults_bitcoin)
{
    scn_scenario s;
    load_ok("name = \"b\"; time = { blocks = 5; };\n"
            "emission = { schedule = \"bitcoin\"; halving_interval = 150; };",
            NULL, 0, &s);
    ck_assert_int_eq(s.emission.schedule, SCN_SCHEDULE_BITCOIN);
    ck_assert_uint_eq(s.emission.halving_interval, 150);
    ck_assert_uint_eq(s.emission.start_block, 0);
    ck_assert_uint_eq(s.emission.total_supply, 0);
    ck_assert_ptr_nonnull(strstr(s.params_json, "\"total_supply\":null,\"halving_interval\":150,"
                                                "\"start_block\":0}"));
    scn_clear(&s);
}
END_TEST

/* Values exactly at the limits are accepted; L literals are read in full. */
START_TEST(test_limits_accepted)
{
    char text[512], name[65];
    memset(name, 'a', 64);
    name[64] = '\0';
    snprintf(text, sizeof text,
             "name = \"%s\";\n"
             "seed = 9223372036854775807L;\n"
             "time = { block_seconds = 86400; blocks = 10000000000L; };\n"
             "stakers = { count = 0x10; stake_spread = 0; unstake_fraction = 0.000000001; };\n"
             "record = { every = 1000000000L; };\n",
             name);
    scn_scenario s;
    load_ok(text, NULL, 0, &s);
    ck_assert_uint_eq(strlen(s.name), 64);
    ck_assert_uint_eq(s.seed, 9223372036854775807ull);
    ck_assert_uint_eq(s.time.block_seconds, 86400);
    ck_assert_uint_eq(s.time.blocks, 10000000000ull);
    ck_assert_uint_eq(s.stakers.count, 16);
    ck_assert_double_eq(s.stakers.stake_spread, 0.0);
    ck_assert_double_eq(s.stakers.unstake_fraction, 1e-9);
    ck_assert_uint_eq(s.record.every, 1000000000ull);
    scn_clear(&s);
}
END_TEST

/* Things libconfig 1.5 gets wrong on its own: a BOM, CRLF, a final comment without newline. */
START_TEST(test_text_quirks)
{
    scn_scenario s;
    load_ok("\xEF\xBB\xBFname = \"crlf\";\r\ntime = { blocks = 3000000000L; };\r\n# end", NULL, 0,
            &s);
    ck_assert_str_eq(s.name, "crlf");
    ck_assert_uint_eq(s.time.blocks, 3000000000ull);
    ck_assert_uint_eq((unsigned char)s.text[0], 0xEF); /* the stored text keeps every byte */
    scn_clear(&s);
}
END_TEST

/* A small scenario's params_json, with a description that needs JSON escaping. */
START_TEST(test_params_json_small)
{
    scn_scenario s;
    load_ok("name = \"tiny\";\n"
            "description = \"say \\\"hi\\\" \\\\ bye\\n\\tend\";\n"
            "time = { blocks = 10; };\n"
            "emission = { initial_reward = \"0.5\"; total_supply = \"100.25\"; };\n"
            "stakers = { count = 2; initial_stake = \"3\"; stake_spread = 0;\n"
            "            compound = false; unstake_probability = 0.125; };\n",
            NULL, 0, &s);
    ck_assert_str_eq(s.description, "say \"hi\" \\ bye\n\tend");
    const char *want =
        "{\"name\":\"tiny\",\"description\":\"say \\\"hi\\\" \\\\ bye\\n\\tend\","
        "\"model\":\"token\",\"seed\":1,"
        "\"time\":{\"block_seconds\":12,\"blocks\":10},"
        "\"emission\":{\"schedule\":\"issuance\",\"initial_reward\":\"0.5\","
        "\"total_supply\":\"100.25\",\"halving_interval\":null,\"start_block\":null},"
        "\"stakers\":{\"count\":2,\"initial_stake\":\"3\",\"stake_spread\":0,"
        "\"compound\":false,\"unstake_probability\":0.125,\"unstake_fraction\":0.1},"
        "\"record\":{\"every\":7200}}";
    ck_assert_str_eq(s.params_json, want);
    scn_clear(&s);
}
END_TEST

/* ---- bad fixtures (tests/unit/scenario/bad) ---------------------------------------------- */

START_TEST(test_bad_unknown_key)
{
    static const char *const want[] = {
        "unknown_key.cfg:5: unknown key 'stakers.cuont' (did you mean 'stakers.count'?)",
        "unknown_key.cfg:6: unknown key 'stakers.inital_stake' (did you mean "
        "'stakers.initial_stake'?)",
        "unknown_key.cfg:8: unknown key 'blocks' (did you mean 'time.blocks'?)",
        "unknown_key.cfg:9: unknown key 'colour'",
    };
    enter_bad_dir();
    expect_file("unknown_key.cfg", NULL, 0, want, N(want));
}
END_TEST

START_TEST(test_bad_wrong_type)
{
    static const char *const want[] = {
        "wrong_type.cfg:2: name: expected string, got integer",
        "wrong_type.cfg:3: time.blocks: expected integer, got string",
        // NOLINTNEXTLINE(bugprone-suspicious-missing-comma): one message over two lines
        "wrong_type.cfg:4: emission.initial_reward: expected token amount (a decimal string "
        "such as \"0.5\", or an integer), got float",
        "wrong_type.cfg:6: stakers.count: expected integer, got float",
        "wrong_type.cfg:7: stakers.stake_spread: expected number, got string",
        "wrong_type.cfg:8: stakers.compound: expected boolean, got integer",
        "wrong_type.cfg:10: record: expected group, got integer",
    };
    enter_bad_dir();
    expect_file("wrong_type.cfg", NULL, 0, want, N(want));
}
END_TEST

START_TEST(test_bad_out_of_range)
{
    static const char *const want[] = {
        "out_of_range.cfg:3: seed = -4 is out of range [0, 9223372036854775807]",
        "out_of_range.cfg:4: time.block_seconds = 0 is out of range [1, 86400]",
        "out_of_range.cfg:4: time.blocks = 20000000000 is out of range [1, 10000000000]",
        "out_of_range.cfg:6: stakers.count = 1000000 is out of range [1, 100000]",
        "out_of_range.cfg:7: stakers.stake_spread = 3.5 is out of range [0, 3]",
        "out_of_range.cfg:8: stakers.unstake_probability = 1.5 is out of range [0, 1]",
        "out_of_range.cfg:9: stakers.unstake_fraction = 0 is out of range (0, 1]",
        "out_of_range.cfg:11: record.every = 0 is out of range [1, 1000000000]",
    };
    enter_bad_dir();
    expect_file("out_of_range.cfg", NULL, 0, want, N(want));
}
END_TEST

START_TEST(test_bad_missing_required)
{
    static const char *const want[] = {
        "missing_required.cfg:3: missing required key 'time.blocks'",
        "missing_required.cfg: missing required key 'name'",
    };
    enter_bad_dir();
    expect_file("missing_required.cfg", NULL, 0, want, N(want));
}
END_TEST

START_TEST(test_bad_no_l_suffix)
{
    /* 10^12 mod 2^32 = 3567587328 -> -727379968; 5*10^9 - 2^32 = 705032704;
    ** 3*10^9 - 2^32 = -1294967296. */
    static const char *const want[] = {
        "no_l_suffix.cfg:3: integer 1000000000000 needs the L suffix (libconfig would "
        "truncate it to -727379968)",
        "no_l_suffix.cfg:4: integer 5000000000 needs the L suffix (libconfig would truncate it "
        "to 705032704)",
        "no_l_suffix.cfg:5: integer 3000000000 needs the L suffix (libconfig would truncate it "
        "to -1294967296)",
    };
    enter_bad_dir();
    expect_file("no_l_suffix.cfg", NULL, 0, want, N(want));
}
END_TEST

START_TEST(test_bad_contradiction_issuance)
{
    static const char *const want[] = {
        "contradiction_issuance.cfg:6: emission.halving_interval applies only to schedule "
        "\"bitcoin\" (emission.schedule is \"issuance\")",
        "contradiction_issuance.cfg:7: emission.start_block applies only to schedule "
        "\"bitcoin\" (emission.schedule is \"issuance\")",
    };
    enter_bad_dir();
    expect_file("contradiction_issuance.cfg", NULL, 0, want, N(want));
}
END_TEST

START_TEST(test_bad_contradiction_bitcoin)
{
    static const char *const want[] = {
        "contradiction_bitcoin.cfg:5: missing required key 'emission.halving_interval' "
        "(emission.schedule is \"bitcoin\")",
        "contradiction_bitcoin.cfg:6: emission.total_supply applies only to schedule "
        "\"issuance\" (emission.schedule is \"bitcoin\")",
    };
    enter_bad_dir();
    expect_file("contradiction_bitcoin.cfg", NULL, 0, want, N(want));
}
END_TEST

START_TEST(test_bad_amounts)
{
    static const char *const want[] = {
        "bad_amounts.cfg:5: emission.initial_reward = \"0.0000000001\": precision finer than "
        "1e-9 token",
        "bad_amounts.cfg:6: emission.total_supply = \"-21000000\": token amount must not be "
        "negative",
        "bad_amounts.cfg:8: stakers.initial_stake = \"1,000\": not a token amount (expected "
        "digits with an optional decimal point, e.g. \"1000\" or \"0.5\")",
    };
    enter_bad_dir();
    expect_file("bad_amounts.cfg", NULL, 0, want, N(want));
}
END_TEST

START_TEST(test_bad_supply)
{
    static const char *const want[] = {
        "supply.cfg:6: emission.total_supply (21) must be greater than twice "
        "emission.initial_reward (10.5)",
    };
    enter_bad_dir();
    expect_file("supply.cfg", NULL, 0, want, N(want));
}
END_TEST

START_TEST(test_bad_genesis)
{
    static const char *const want[] = {
        "genesis.cfg:4: emission.total_supply (5000) must be greater than the genesis stake "
        "stakers.count * stakers.initial_stake (5000)",
    };
    enter_bad_dir();
    expect_file("genesis.cfg", NULL, 0, want, N(want));
}
END_TEST

/* Errors found by different phases (walk, cross rules, requirements) come out in line order,
** then the file-wide ones. */
START_TEST(test_bad_several)
{
    static const char *const want[] = {
        "several.cfg:3: stakers.count = 0 is out of range [1, 100000]",
        "several.cfg:4: stakers.compound: expected boolean, got string",
        // NOLINTNEXTLINE(bugprone-suspicious-missing-comma): one message over two lines
        "several.cfg:8: emission.total_supply (2) must be greater than twice "
        "emission.initial_reward (1)",
        "several.cfg:10: time.block_seconds = 100000 is out of range [1, 86400]",
        "several.cfg:10: missing required key 'time.blocks'",
        "several.cfg:11: unknown key 'speed' (did you mean 'seed'?)",
        "several.cfg: missing required key 'name'",
    };
    enter_bad_dir();
    expect_file("several.cfg", NULL, 0, want, N(want));
}
END_TEST

/* --set fixes one error and adds another, reported after the file's. */
START_TEST(test_bad_several_with_sets)
{
    static const char *const sets[] = {"name=fixed", "time.blocks=10", "bogus=1"};
    static const char *const want[] = {
        "several.cfg:3: stakers.count = 0 is out of range [1, 100000]",
        "several.cfg:4: stakers.compound: expected boolean, got string",
        // NOLINTNEXTLINE(bugprone-suspicious-missing-comma): one message over two lines
        "several.cfg:8: emission.total_supply (2) must be greater than twice "
        "emission.initial_reward (1)",
        "several.cfg:10: time.block_seconds = 100000 is out of range [1, 86400]",
        "several.cfg:11: unknown key 'speed' (did you mean 'seed'?)",
        "--set bogus: unknown key 'bogus'",
    };
    enter_bad_dir();
    expect_file("several.cfg", sets, N(sets), want, N(want));
}
END_TEST

START_TEST(test_bad_truncated)
{
    static const char *const want[] = {"truncated.cfg:5: syntax error"};
    enter_bad_dir();
    expect_file("truncated.cfg", NULL, 0, want, N(want));
}
END_TEST

START_TEST(test_bad_strings)
{
    static const char *const want[] = {
        "bad_strings.cfg:2: name = \"has spaces!\" is invalid: use 1 to 64 characters from A-Z "
        "a-z 0-9 _ . -",
        "bad_strings.cfg:3: model = \"Bittensor\" is not one of \"token\", \"bittensor\", "
        "\"collusion-toy\", \"retention\", \"bitgrit\", \"numerai\", \"aigen\", \"cflow\" "
        "(did you mean \"bittensor\"?)",
        "bad_strings.cfg:5: emission.schedule = \"Bitcoin\" is not one of \"issuance\", "
        "\"bitcoin\" (did you mean \"bitcoin\"?)",
    };
    enter_bad_dir();
    expect_file("bad_strings.cfg", NULL, 0, want, N(want));
}
END_TEST

START_TEST(test_bad_include)
{
    static const char *const want[] = {
        "include.cfg:3: @include is not supported (a scenario is one self-contained file)"};
    enter_bad_dir();
    expect_file("include.cfg", NULL, 0, want, N(want));
}
END_TEST

START_TEST(test_bad_duplicate)
{
    static const char *const want[] = {"duplicate.cfg:3: duplicate setting name"};
    enter_bad_dir();
    expect_file("duplicate.cfg", NULL, 0, want, N(want));
}
END_TEST

/* libconfig 1.5 silently accepts a file that ends inside a block comment or inside the second
** of two adjacent strings; such a file was cut short and must not load. */
START_TEST(test_unterminated)
{
    static const char *const want_s[] = {"t.cfg:2: syntax error (unterminated string)"};
    expect_text("name = \"x\"; time = { blocks = 1; };\ndescription = \"abc\" \"def;\n", NULL, 0,
                want_s, N(want_s));
    static const char *const want_c[] = {"t.cfg:3: syntax error (unterminated comment)"};
    expect_text("name = \"x\";\ntime = { blocks = 1; };\n/* stakers = { count = 3; };\n", NULL, 0,
                want_c, N(want_c));
}
END_TEST

/* ---- file-system cases (temporary directory) --------------------------------------------- */

START_TEST(test_file_nonexistent)
{
    char path[128];
    snprintf(path, sizeof path, "%s/nope.cfg", tmp_dir);
    const char *want[] = {msg_for(path, ": cannot open: No such file or directory")};
    expect_file(path, NULL, 0, want, 1);
}
END_TEST

START_TEST(test_file_directory)
{
    const char *want[] = {msg_for(tmp_dir, ": is a directory, not a scenario file")};
    expect_file(tmp_dir, NULL, 0, want, 1);
}
END_TEST

START_TEST(test_file_empty)
{
    const char *path = tmp_file("empty.cfg", "", 0);
    const char *want[] = {msg_for(path, ": empty scenario file")};
    expect_file(path, NULL, 0, want, 1);
}
END_TEST

START_TEST(test_file_binary)
{
    static const char nul[] = "name = \"x\";\0time = { blocks = 1; };\n";
    const char *path = tmp_file("nul.cfg", nul, sizeof nul - 1);
    /* the NUL is byte 12 of line 1 */
    const char *want[] = {msg_for(path, ":1: not a text file: control byte 0x00 at column 12")};
    expect_file(path, NULL, 0, want, 1);
}
END_TEST

START_TEST(test_file_invalid_utf8)
{
    static const char latin1[] = "name = \"caf\xe9\";\n";
    const char *path = tmp_file("latin1.cfg", latin1, sizeof latin1 - 1);
    /* Latin-1 é (0xE9) is byte 12 of line 1, and not UTF-8 */
    const char *want[] = {
        msg_for(path, ":1: not a text file: invalid UTF-8 (byte 0xE9) at column 12")};
    expect_file(path, NULL, 0, want, 1);
}
END_TEST

/* 1 MiB exactly is accepted, one byte more is refused. */
START_TEST(test_file_size_limit)
{
    size_t n = SCN_MAX_FILE_BYTES;
    char *big = malloc(n + 1);
    ck_assert_ptr_nonnull(big);
    static const char head[] = "name = \"big\";\ntime = { blocks = 1; };\n";
    memcpy(big, head, sizeof head - 1);
    memset(big + sizeof head - 1, '#', n - (sizeof head - 1));
    big[n - 1] = '\n';
    const char *path = tmp_file("limit.cfg", big, n);
    scn_scenario s;
    ck_assert_int_eq(scn_load_file(path, NULL, 0, &s, NULL), SCN_OK);
    ck_assert_uint_eq(strlen(s.text), n);
    scn_clear(&s);
    big[n] = '\n';
    path = tmp_file("huge.cfg", big, n + 1);
    const char *want[] = {msg_for(path, ": scenario file too large (more than 1048576 bytes)")};
    expect_file(path, NULL, 0, want, 1);
    free(big);
}
END_TEST

START_TEST(test_file_unreadable)
{
    const char *path = tmp_file("secret.cfg", "name = \"x\";\n", 12);
    ck_assert_int_eq(chmod(path, 0), 0);
    if (geteuid() == 0)
        return; /* root reads anything: the case cannot be produced here */
    const char *want[] = {msg_for(path, ": cannot open: Permission denied")};
    expect_file(path, NULL, 0, want, 1);
}
END_TEST

/* ---- libconfig truncation: the literal re-reader ----------------------------------------- */

/* Names inside a string or a comment on the same line must not be taken for the setting. */
START_TEST(test_truncation_located)
{
    static const char *const want[] = {
        "t.cfg:1: integer 5000000000 needs the L suffix (libconfig would truncate it to "
        "705032704)",
        "t.cfg:2: integer 3000000000 needs the L suffix (libconfig would truncate it to "
        "-1294967296)",
    };
    expect_text("description = \"seed = 1;\"; seed = 5000000000;\n"
                "/* time = { blocks = 1; }; */ time = { blocks = 3000000000; };\n"
                "name = \"x\";\n",
                NULL, 0, want, N(want));
}
END_TEST

/* A value across lines, a hex literal and a negative one without L. */
START_TEST(test_truncation_forms)
{
    static const char *const want[] = {
        "t.cfg:2: integer 0x100000000 needs the L suffix (libconfig would truncate it to 0)",
        "t.cfg:4: integer -2147483649 needs the L suffix (libconfig would truncate it to "
        "2147483647)",
    };
    expect_text("name = \"x\";\n"
                "time = { blocks =\n  0x100000000; };\n"
                "seed = -2147483649;\n",
                NULL, 0, want, N(want));
}
END_TEST

/* libconfig clamps L literals beyond 2^63-1; the re-read value is what gets range-checked. */
START_TEST(test_clamped_l_literal)
{
    static const char *const want[] = {
        "t.cfg:1: seed = 9223372036854775808 is out of range [0, 9223372036854775807]",
        "t.cfg:1: stakers.initial_stake = 18446744074: token amount too large (at most "
        "18446744073.709551615)",
    };
    expect_text("seed = 9223372036854775808L; stakers = { initial_stake = 18446744074L; };\n"
                "name = \"x\"; time = { blocks = 1; };",
                NULL, 0, want, N(want));
}
END_TEST

/* ---- --set ------------------------------------------------------------------------------- */

START_TEST(test_set_valid)
{
    static const char *const sets[] = {
        "stakers.count=10",
        "emission.initial_reward=0.5",
        "seed=7",
        "name=\"quoted-name\"",
        "stakers.compound=FALSE",
        "stakers.stake_spread=1e-1",
        "description=two words",
        "stakers.count=11", /* later ones win */
    };
    scn_scenario s;
    load_ok(scn_default_text(), sets, N(sets), &s);
    ck_assert_uint_eq(s.stakers.count, 11);
    ck_assert_uint_eq(s.emission.initial_reward, 500000000);
    ck_assert_uint_eq(s.seed, 7);
    ck_assert_str_eq(s.name, "quoted-name");
    ck_assert_int_eq(s.stakers.compound, 0);
    ck_assert_double_eq(s.stakers.stake_spread, 0.1);
    ck_assert_str_eq(s.description, "two words");
    ck_assert_uint_eq(s.time.blocks, 11000000); /* untouched keys keep the file's values */
    ck_assert_ptr_nonnull(strstr(s.params_json, "\"seed\":7,"));
    ck_assert_ptr_nonnull(strstr(s.params_json, "\"count\":11,"));
    scn_clear(&s);
}
END_TEST

/* A key absent from the file is created by --set. */
START_TEST(test_set_creates_key)
{
    static const char *const sets[] = {"stakers.count=9", "record.every=1"};
    scn_scenario s;
    load_ok("name = \"m\"; time = { blocks = 5; };", sets, N(sets), &s);
    ck_assert_uint_eq(s.stakers.count, 9);
    ck_assert_uint_eq(s.record.every, 1);
    scn_clear(&s);
}
END_TEST

/* Switching the schedule by --set drops the file's keys of the other schedule. */
START_TEST(test_set_switch_schedule)
{
    static const char *const sets[] = {"emission.schedule=bitcoin",
                                       "emission.halving_interval=210000",
                                       "emission.start_block=100"};
    scn_scenario s;
    load_ok(scn_default_text(), sets, N(sets), &s);
    ck_assert_int_eq(s.emission.schedule, SCN_SCHEDULE_BITCOIN);
    ck_assert_uint_eq(s.emission.total_supply, 0);
    ck_assert_uint_eq(s.emission.halving_interval, 210000);
    ck_assert_uint_eq(s.emission.start_block, 100);
    ck_assert_ptr_nonnull(strstr(s.params_json,
                                 "{\"schedule\":\"bitcoin\",\"initial_reward\":\"1\","
                                 "\"total_supply\":null,\"halving_interval\":210000,"
                                 "\"start_block\":100}"));
    scn_clear(&s);
}
END_TEST

START_TEST(test_set_switch_needs_interval)
{
    static const char *const sets[] = {"emission.schedule=bitcoin"};
    static const char *const want[] = {
        "--set emission.schedule: missing required key 'emission.halving_interval' "
        "(emission.schedule is \"bitcoin\")",
    };
    expect_text(scn_default_text(), sets, N(sets), want, N(want));
}
END_TEST

START_TEST(test_set_contradiction)
{
    static const char *const sets[] = {"emission.total_supply=100"};
    static const char *const want[] = {
        "--set emission.total_supply: emission.total_supply applies only to schedule "
        "\"issuance\" (emission.schedule is \"bitcoin\")",
    };
    expect_text("name = \"b\"; time = { blocks = 5; };\n"
                "emission = { schedule = \"bitcoin\"; halving_interval = 10; };",
                sets, N(sets), want, N(want));
}
END_TEST

START_TEST(test_set_errors)
{
    static const char *const sets[] = {
        "stakers.cuont=3",
        "stakers.count=ten",
        "stakers.count=1000000",
        "x",
        "=5",
        "stakers=3",
        "stakers.compound=yes",
        "emission.initial_reward=-1",
        "seed=-1",
        "stakers.unstake_fraction=0",
        "emission.schedule=halving",
        "time.blocks=10L",
    };
    static const char *const want[] = {
        "--set stakers.cuont: unknown key 'stakers.cuont' (did you mean 'stakers.count'?)",
        "--set stakers.count: stakers.count: expected integer, got \"ten\"",
        "--set stakers.count: stakers.count = 1000000 is out of range [1, 100000]",
        "--set x: expected KEY=VALUE",
        "--set =5: expected KEY=VALUE",
        "--set stakers: 'stakers' is a group; set one of its keys, e.g. stakers.count",
        "--set stakers.compound: stakers.compound: expected boolean (true or false), got "
        "\"yes\"",
        "--set emission.initial_reward: emission.initial_reward = \"-1\": token amount must "
        "not be negative",
        "--set seed: seed = -1 is out of range [0, 9223372036854775807]",
        "--set stakers.unstake_fraction: stakers.unstake_fraction = 0 is out of range (0, 1]",
        "--set emission.schedule: emission.schedule = \"halving\" is not one of \"issuance\", "
        "\"bitcoin\"",
        "--set time.blocks: time.blocks: expected integer, got \"10L\"",
    };
    expect_text(scn_default_text(), sets, N(sets), want, N(want));
}
END_TEST

/* --set goes through the cross-field rules too. */
START_TEST(test_set_cross_rule)
{
    static const char *const sets[] = {"emission.total_supply=2"};
    static const char *const want[] = {
        "--set emission.total_supply: emission.total_supply (2) must be greater than twice "
        "emission.initial_reward (1)",
    };
    expect_text(scn_default_text(), sets, N(sets), want, N(want));
}
END_TEST

/* ---- other rules ------------------------------------------------------------------------- */

START_TEST(test_genesis_overflow)
{
    /* 2 * 18446744073 tokens > 18446744073.709551615 tokens (beyond u64), and 1 * 9223372037
    ** tokens is beyond the 9223372036.854775807 tokens (INT64_MAX units) the database stores;
    ** so is a total supply of 9223372037 tokens, though it fits 64 unsigned bits. */
#define DB_LIMIT "exceeds 9223372036.854775807 tokens, the largest the metrics database stores"
    static const char *const cases[][2] = {
        {"stakers = { count = 2; initial_stake = \"18446744073\"; };",
         "t.cfg:2: the genesis stake stakers.count * stakers.initial_stake (2 * "
         "18446744073) " DB_LIMIT},
        {"stakers = { count = 1; initial_stake = 9223372037L; };",
         "t.cfg:2: the genesis stake stakers.count * stakers.initial_stake (1 * "
         "9223372037) " DB_LIMIT},
        {"emission = { total_supply = 9223372037L; };",
         "t.cfg:2: emission.total_supply (9223372037) " DB_LIMIT},
    };
#undef DB_LIMIT
    for (size_t i = 0; i < N(cases); i++) {
        char text[256];
        snprintf(text, sizeof text, "name = \"g\"; time = { blocks = 1; };\n%s", cases[i][0]);
        expect_text(text, NULL, 0, &cases[i][1], 1);
    }
}
END_TEST

START_TEST(test_bitcoin_overflow)
{
    /* Everything the schedule can mint is about halving_interval x 2 x initial_reward: with
    ** 10^9 blocks per halving, reward 10 gives ~2e10 tokens, beyond the 9.223e9-token limit
    ** (INT64_MAX units); reward 4 gives ~8e9 tokens, which plus 5 x 1000 genesis tokens fits. */
    static const char *const want[] = {
        "t.cfg:2: the bitcoin schedule (initial_reward 10, halving_interval 1000000000) plus "
        "the genesis stake can exceed 9223372036.854775807 tokens, the largest the metrics "
        "database stores",
    };
    expect_text("name = \"g\"; time = { blocks = 1; };\n"
                "emission = { schedule = \"bitcoin\"; halving_interval = 1000000000; "
                "initial_reward = \"10\"; };",
                NULL, 0, want, N(want));
    scn_scenario s;
    load_ok("name = \"g\"; time = { blocks = 1; };\n"
            "emission = { schedule = \"bitcoin\"; halving_interval = 1000000000; "
            "initial_reward = \"4\"; };",
            NULL, 0, &s);
    ck_assert_uint_eq(s.emission.initial_reward, 4 * TOKEN);
    scn_clear(&s);
}
END_TEST

START_TEST(test_unstake_fraction_resolution)
{
    static const char *const want[] = {
        "t.cfg:2: stakers.unstake_fraction = 1e-10 is below the resolution of 1e-9"};
    expect_text("name = \"u\"; time = { blocks = 1; };\n"
                "stakers = { unstake_fraction = 1e-10; };",
                NULL, 0, want, N(want));
}
END_TEST

START_TEST(test_description_limits)
{
    /* 1000 two-byte characters are fine; 1001 are not (characters, not bytes, are counted). */
    char text[4200];
    int n = snprintf(text, sizeof text, "name = \"d\"; time = { blocks = 1; };\ndescription = \"");
    for (int i = 0; i < 1000; i++)
        n += snprintf(text + n, sizeof text - (size_t)n, "\xc3\xa9");
    snprintf(text + n, sizeof text - (size_t)n, "\";\n");
    scn_scenario s;
    load_ok(text, NULL, 0, &s);
    ck_assert_uint_eq(strlen(s.description), 2000);
    scn_clear(&s);
    static const char *const sets[] = {"description=x"};
    char *longer = malloc(strlen(text) + 8);
    ck_assert_ptr_nonnull(longer);
    snprintf(longer, strlen(text) + 8, "%.*s\xc3\xa9\";\n", n, text);
    static const char *const want[] = {
        "t.cfg:2: description is too long (1001 characters, at most 1000)"};
    expect_text(longer, NULL, 0, want, N(want));
    /* --set replaces the value, but the file itself stays wrong and is still reported. */
    expect_text(longer, sets, N(sets), want, N(want));
    free(longer);
}
END_TEST

/* At most SCN_MAX_ERRORS messages, then a count of the rest. */
START_TEST(test_error_cap)
{
    char *text = malloc(150 * 24 + 64);
    ck_assert_ptr_nonnull(text);
    size_t n = 0;
    for (int i = 0; i < 150; i++)
        n += (size_t)sprintf(text + n, "zzzzzzzzzz%03d = 1;\n", i);
    scn_errors *e = scn_errors_new();
    scn_scenario s;
    ck_assert_int_eq(scn_load_text(text, "t.cfg", NULL, 0, &s, e), SCN_EINVAL);
    ck_assert_uint_eq(scn_errors_count(e), SCN_MAX_ERRORS + 1);
    ck_assert_str_eq(scn_errors_get(e, 0), "t.cfg:1: unknown key 'zzzzzzzzzz000'");
    ck_assert_str_eq(scn_errors_get(e, 99), "t.cfg:100: unknown key 'zzzzzzzzzz099'");
    /* 150 unknown keys + missing name + missing time.blocks = 152; 52 not shown. */
    ck_assert_str_eq(scn_errors_get(e, 100), "t.cfg: 52 more errors not shown");
    ck_assert_ptr_null(scn_errors_get(e, 101));
    scn_errors_free(e);
    free(text);
}
END_TEST

START_TEST(test_null_inputs)
{
    scn_scenario s;
    scn_errors *e = scn_errors_new();
    ck_assert_int_eq(scn_load_text(NULL, NULL, NULL, 0, &s, e), SCN_EINVAL);
    ck_assert_str_eq(scn_errors_get(e, 0), "<text>: no scenario text");
    ck_assert_int_ne(scn_load_file(NULL, NULL, 0, &s, NULL), SCN_OK);
    ck_assert_int_ne(scn_load_text("name = \"x\";", "x", NULL, 0, NULL, e), SCN_OK);
    ck_assert_str_eq(scn_errors_get(e, 1), "no output scenario given");
    static const char *const sets[] = {NULL};
    ck_assert_int_eq(scn_load_text(scn_default_text(), "d", sets, 1, &s, NULL), SCN_EINVAL);
    scn_clear(&s);
    scn_clear(&s); /* clearing twice is harmless */
    scn_clear(NULL);
    scn_errors_free(e);
    scn_errors_free(NULL);
    ck_assert_uint_eq(scn_errors_count(NULL), 0);
    ck_assert_ptr_null(scn_errors_get(NULL, 0));
}
END_TEST

/* Deterministic mutations of the default text (a byte replaced, deleted or duplicated) never
** crash and always end in either a scenario or at least one message. */
/* Applies `iters` seeded single-byte edits (replace, delete or insert a character of
 * `alphabet`) to `base` and loads each edit: every one must load with no error (and, when
 * want_json, a params_json) or fail with at least one error - never crash or half-succeed. */
static void mutate_and_load(const char *base, const char *alphabet, uint64_t seed, int iters,
                            bool want_json)
{
    size_t n = strlen(base), na = strlen(alphabet);
    char *buf = malloc(n + 2);
    ck_assert_ptr_nonnull(buf);
    uint64_t x = seed; /* LCG state: fixed, so every run tries the same cases */
    for (int iter = 0; iter < iters; iter++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        size_t at = (size_t)(x >> 33) % n;
        int op = (int)((x >> 20) % 3);
        char c = alphabet[(x >> 8) % na];
        memcpy(buf, base, n + 1);
        if (op == 0)
            buf[at] = c;
        else if (op == 1)
            memmove(buf + at, buf + at + 1, n - at);
        else {
            memmove(buf + at + 1, buf + at, n - at + 1);
            buf[at] = c;
        }
        scn_scenario s;
        scn_errors *e = scn_errors_new();
        int rc = scn_load_text(buf, "m", NULL, 0, &s, e);
        ck_assert(rc == SCN_OK ? scn_errors_count(e) == 0 : scn_errors_count(e) > 0);
        if (rc == SCN_OK && want_json)
            ck_assert_ptr_nonnull(s.params_json);
        scn_clear(&s);
        scn_errors_free(e);
    }
    free(buf);
}

START_TEST(test_mutations_never_crash)
{
    mutate_and_load(scn_default_text(), "=;{}\"#/*L0129.-x \n\t@abz", 0x9E3779B97F4A7C15ull, 3000,
                    true);
}
END_TEST

/* ---- token amounts ----------------------------------------------------------------------- */

typedef struct amount_case {
    const char *text; /* input */
    int rc;           /* expected result */
    uint64_t units;   /* expected units when rc == OK */
} amount_case;

START_TEST(test_amount_parse)
{
    static const amount_case cases[] = {
        {"0", SCN_AMOUNT_OK, 0},
        {"1", SCN_AMOUNT_OK, 1000000000ull},
        {"0.5", SCN_AMOUNT_OK, 500000000ull},
        {"0.000000001", SCN_AMOUNT_OK, 1},
        {"1000", SCN_AMOUNT_OK, 1000000000000ull},
        {"21000000", SCN_AMOUNT_OK, 21000000000000000ull},
        {"2.385", SCN_AMOUNT_OK, 2385000000ull},
        {"000000000000000000000000001", SCN_AMOUNT_OK, 1000000000ull},
        {"18446744073.709551615", SCN_AMOUNT_OK, 18446744073709551615ull}, /* u64 max units */
        {"18446744073.709551616", SCN_AMOUNT_OVERFLOW, 0},
        {"18446744073.71", SCN_AMOUNT_OVERFLOW, 0},
        {"18446744074", SCN_AMOUNT_OVERFLOW, 0},
        {"99999999999999999999999", SCN_AMOUNT_OVERFLOW, 0},
        {"0.0000000001", SCN_AMOUNT_PRECISION, 0},
        {"1.0000000000", SCN_AMOUNT_PRECISION, 0},
        {"-1", SCN_AMOUNT_NEGATIVE, 0},
        {"-0.5", SCN_AMOUNT_NEGATIVE, 0},
        {"-", SCN_AMOUNT_JUNK, 0},
        {"", SCN_AMOUNT_JUNK, 0},
        {"1e3", SCN_AMOUNT_JUNK, 0},
        {".5", SCN_AMOUNT_JUNK, 0},
        {"5.", SCN_AMOUNT_JUNK, 0},
        {" 5", SCN_AMOUNT_JUNK, 0},
        {"5 ", SCN_AMOUNT_JUNK, 0},
        {"+5", SCN_AMOUNT_JUNK, 0},
        {"1,000", SCN_AMOUNT_JUNK, 0},
        {"0x10", SCN_AMOUNT_JUNK, 0},
        {"1.2.3", SCN_AMOUNT_JUNK, 0},
    };
    for (size_t i = 0; i < N(cases); i++) {
        uint64_t u = 12345;
        int rc = scn_amount_parse(cases[i].text, &u);
        ck_assert_msg(rc == cases[i].rc, "\"%s\": rc %d, want %d", cases[i].text, rc, cases[i].rc);
        if (rc == SCN_AMOUNT_OK)
            ck_assert_msg(u == cases[i].units, "\"%s\": %llu units", cases[i].text,
                          (unsigned long long)u);
    }
    ck_assert_int_eq(scn_amount_parse(NULL, NULL), SCN_AMOUNT_JUNK);
    ck_assert_str_eq(scn_amount_strerror(SCN_AMOUNT_PRECISION), "precision finer than 1e-9 token");
}
END_TEST

START_TEST(test_amount_format)
{
    char buf[SCN_AMOUNT_BUFLEN];
    scn_amount_format(0, buf);
    ck_assert_str_eq(buf, "0");
    scn_amount_format(1, buf);
    ck_assert_str_eq(buf, "0.000000001");
    scn_amount_format(1500000000ull, buf);
    ck_assert_str_eq(buf, "1.5");
    scn_amount_format(1000000000000ull, buf);
    ck_assert_str_eq(buf, "1000");
    scn_amount_format(100250000000ull, buf);
    ck_assert_str_eq(buf, "100.25");
    scn_amount_format(UINT64_MAX, buf);
    ck_assert_str_eq(buf, "18446744073.709551615");
}
END_TEST

/* Integer amounts mean whole tokens; the u64 boundary falls between 18446744073 and ...74. */
START_TEST(test_amount_integer_boundary)
{
    scn_scenario s;
    load_ok("name = \"a\"; time = { blocks = 1; };\n"
            "emission = { schedule = \"bitcoin\"; halving_interval = 1; initial_reward = 7L; };\n"
            "stakers = { count = 1; initial_stake = 9223372000L; };",
            NULL, 0, &s);
    ck_assert_uint_eq(s.emission.initial_reward, 7 * TOKEN);
    ck_assert_uint_eq(s.stakers.initial_stake, 9223372000ull * TOKEN);
    scn_clear(&s);
    static const char *const want[] = {
        "t.cfg:2: stakers.initial_stake = -3: token amount must not be negative",
        "t.cfg:3: emission.initial_reward = 0 is out of range [0.000000001, "
        "18446744073.709551615]",
    };
    expect_text("name = \"a\"; time = { blocks = 1; };\nstakers = { initial_stake = -3; };\n"
                "emission = { initial_reward = 0; };",
                NULL, 0, want, N(want));
}
END_TEST

/* ---- internals --------------------------------------------------------------------------- */

START_TEST(test_edit_distance)
{
    ck_assert_uint_eq(scn__edit_distance("count", "count", 2), 0);
    ck_assert_uint_eq(scn__edit_distance("cuont", "count", 2), 2); /* a swap is two edits */
    ck_assert_uint_eq(scn__edit_distance("speed", "seed", 2), 1);
    ck_assert_uint_eq(scn__edit_distance("", "ab", 2), 2);
    ck_assert_uint_eq(scn__edit_distance("kitten", "sitting", 5), 3);
    ck_assert_uint_eq(scn__edit_distance("kitten", "sitting", 2), 3); /* capped: cap + 1 */
    ck_assert_uint_eq(scn__edit_distance("a", "abcdef", 2), 3);
}
END_TEST

START_TEST(test_utf8)
{
    ck_assert(scn__utf8_valid("plain", 5));
    ck_assert(scn__utf8_valid("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9)); /* é € 😀 */
    ck_assert(!scn__utf8_valid("\xc0\x80", 2));                            /* overlong NUL */
    ck_assert(!scn__utf8_valid("\xe0\x80\x80", 3));                        /* overlong */
    ck_assert(!scn__utf8_valid("\xed\xa0\x80", 3));                        /* surrogate */
    ck_assert(!scn__utf8_valid("\xf4\x90\x80\x80", 4));                    /* > U+10FFFF */
    ck_assert(!scn__utf8_valid("\xc3", 1));                                /* truncated */
    ck_assert(!scn__utf8_valid("\x80", 1));                                /* stray */
    ck_assert_uint_eq(scn__utf8_length("\xc3\xa9t\xc3\xa9", 5), 3);
}
END_TEST

START_TEST(test_int_literal)
{
    scn__int v;
    ck_assert_uint_eq(scn__int_literal("123;", 4, &v), 3);
    ck_assert_uint_eq(v.mag, 123);
    ck_assert_int_eq(v.has_l, 0);
    ck_assert_uint_eq(scn__int_literal("-0x1fL ", 7, &v), 6);
    ck_assert(v.neg && v.has_l && v.mag == 31);
    ck_assert_uint_eq(scn__int_literal("5LL;", 4, &v), 3);
    ck_assert_uint_eq(scn__int_literal("5.0", 3, &v), 0); /* a float */
    ck_assert_uint_eq(scn__int_literal("1e9", 3, &v), 0);
    ck_assert_uint_eq(scn__int_literal("\"5\"", 3, &v), 0);
    ck_assert_uint_eq(scn__int_literal("18446744073709551616", 20, &v), 20);
    ck_assert_int_eq(v.overflow, 1);
    ck_assert_str_eq(v.text, "18446744073709551616");
    ck_assert_int_eq(scn__int_decimal("-12", &v), 0);
    ck_assert_str_eq(v.text, "-12");
    ck_assert_int_eq(scn__int_decimal("12L", &v), -1);
    ck_assert_int_eq(scn__int_decimal("", &v), -1);
}
END_TEST

START_TEST(test_lexer)
{
    const char *text = "a = { b = \"c = 5\"; # c = 6\n c = /* c = 7 */\n 8; };\n d = 9;";
    scn__lex lx;
    const char *lit;
    size_t n;
    scn__lex_init(&lx, text, strlen(text));
    ck_assert_int_eq(scn__lex_find_int(&lx, "c", 1, &lit, &n), -1); /* only in string/comment */
    ck_assert_int_eq(scn__lex_find_int(&lx, "c", 2, &lit, &n), 0);
    ck_assert_int_eq(n, 1);
    ck_assert_int_eq(lit[0], '8');
    ck_assert_int_eq(scn__lex_find_int(&lx, "d", 4, &lit, &n), 0);
    ck_assert_int_eq(lit[0], '9');
}
END_TEST

/* ---- key table, describe, README --------------------------------------------------------- */

START_TEST(test_key_table)
{
    /* The table grows with every model; what must hold is that the public count is the table's
    ** and that the README documents each key (test_readme_documents_every_key). */
    ck_assert_uint_eq(scn_key_count(), SCN_K__COUNT);
    char buf[160];
    scn_keyinfo ki;
    ck_assert_int_eq(scn_key_info(SCN_K_STAKERS_COUNT, &ki, buf, sizeof buf), 0);
    ck_assert_str_eq(ki.path, "stakers.count");
    ck_assert_str_eq(ki.type, "integer");
    ck_assert_str_eq(ki.range, "[1, 100000]");
    ck_assert_str_eq(ki.def, "5");
    ck_assert_int_eq(scn_key_info(SCN_K_EMISSION_HALVING_INTERVAL, &ki, buf, sizeof buf), 0);
    ck_assert_int_eq(ki.required, 2);
    ck_assert_str_eq(ki.applies, "bitcoin");
    ck_assert_ptr_null(ki.def);
    ck_assert_int_eq(scn_key_info(SCN_K_STAKERS_UNSTAKE_FRACTION, &ki, buf, sizeof buf), 0);
    ck_assert_str_eq(ki.range, "(0, 1]");
    ck_assert_int_eq(scn_key_info(SCN_K__COUNT, &ki, buf, sizeof buf), -1);
    /* Groups precede their keys and every key's group exists. */
    for (int k = 0; k < SCN_K__COUNT; k++) {
        int g = scn__key_parent(k);
        if (strchr(scn__keys[k].path, '.')) {
            ck_assert_int_ge(g, 0);
            ck_assert_int_lt(g, k);
            if (scn__keys[k].flags & SCN__ELEM) /* subnets.netuid lives in the subnets list */
                ck_assert_int_eq(scn__keys[g].kind, SCN__LIST);
            else
                ck_assert_int_eq(scn__keys[g].kind, SCN__GROUP);
        }
        /* Subnet keys are exactly the contiguous SCN_K_SD_* range of subnet_defaults. */
        ck_assert_int_eq((scn__keys[k].flags & SCN__SUBNET) != 0,
                         k >= SCN_K_SD_FIRST && k <= SCN_K_SD_LAST);
    }
}
END_TEST

START_TEST(test_describe)
{
    FILE *f = tmpfile();
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(scn_describe(f), 0);
    long n = ftell(f);
    rewind(f);
    char *out = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(out);
    ck_assert_uint_eq(fread(out, 1, (size_t)n, f), (size_t)n);
    out[n] = '\0';
    fclose(f);
    for (int k = 0; k < SCN_K__COUNT; k++) {
        char line[96];
        snprintf(line, sizeof line, "\n%s  (", scn__keys[k].path);
        if (scn__keys[k].kind == SCN__GROUP)
            snprintf(line, sizeof line, "\n%s = { ... }  (group)", scn__keys[k].path);
        if (scn__keys[k].kind == SCN__LIST)
            snprintf(line, sizeof line, "\n%s = ( { ... }, ... )  (list of groups)",
                     scn__keys[k].path);
        ck_assert_msg(strstr(out, line) != NULL || strncmp(out, line + 1, strlen(line) - 1) == 0,
                      "describe lacks %s", scn__keys[k].path);
    }
    ck_assert_ptr_nonnull(strstr(out, "stakers.count  (integer)\n    range:    [1, 100000] "
                                      "stakers\n    default:  5\n"));
    ck_assert_ptr_nonnull(strstr(out, "time.blocks  (integer)\n    range:    [1, 10000000000] "
                                      "blocks\n    default:  none (required)\n"));
    free(out);
}
END_TEST

/* scenarios/README.md documents every key by its full dotted name. */
START_TEST(test_readme_documents_every_key)
{
    char *readme = slurp(tdb_src("scenarios/README.md"), NULL);
    for (int k = 0; k < SCN_K__COUNT; k++) {
        char want[96];
        int heading = scn__keys[k].kind == SCN__GROUP || scn__keys[k].kind == SCN__LIST;
        snprintf(want, sizeof want, heading ? "### `%s`" : "| `%s` |", scn__keys[k].path);
        ck_assert_msg(strstr(readme, want) != NULL, "README lacks %s", want);
    }
    free(readme);
}
END_TEST

/* Every default in the table validates (a bad default would be reported against "FILE"), under
** the model the key belongs to: bitcoin-only keys under the bitcoin schedule, model-only keys
** with `model=NAME` (the --set switch drops the default file's token keys; the day-tick models
** need one-day ticks). */
START_TEST(test_defaults_validate)
{
    for (int k = 0; k < SCN_K__COUNT; k++) {
        if (!scn__keys[k].def)
            continue;
        char set[160], model[64] = "";
        snprintf(set, sizeof set, "%s=%s", scn__keys[k].path, scn__keys[k].def);
        unsigned only = scn__keys[k].flags & SCN__ONLY_MODELS & ~(unsigned)SCN__ONLY_TOKEN;
        const char *sets[6];
        size_t n = 0;
        if (only) {
            snprintf(model, sizeof model, "model=%s", scn__model_flag_name(only));
            sets[n++] = model;
            if (only & (SCN__ONLY_BITGRIT | SCN__ONLY_NUMERAI))
                sets[n++] = "time.block_seconds=86400";
        }
        sets[n++] = set;
        if (scn__keys[k].flags & SCN__ONLY_BITCOIN) {
            sets[n++] = "emission.schedule=bitcoin";
            sets[n++] = "emission.halving_interval=1";
        }
        scn_scenario s;
        scn_errors *e = scn_errors_new();
        int rc = scn_load_text(scn_default_text(), "d", sets, n, &s, e);
        ck_assert_msg(rc == SCN_OK, "default of %s: %s", scn__keys[k].path,
                      scn_errors_count(e) ? scn_errors_get(e, 0) : "?");
        scn_clear(&s);
        scn_errors_free(e);
    }
}
END_TEST

/* ---- runner ------------------------------------------------------------------------------ */

/* ---- model "bittensor" ------------------------------------------------------------------- */

/* The two required keys and the model: spec bittensor §3.12 defaults (new-subnet values). */
START_TEST(test_bt_defaults)
{
    scn_scenario s;
    load_ok("name = \"b\";\nmodel = \"bittensor\";\ntime = { blocks = 1; };\n", NULL, 0, &s);
    ck_assert_int_eq(s.model, SCN_MODEL_BITTENSOR);
    ck_assert_uint_eq(s.bt.nsubnets, 1);
    const scn_bt_subnet *n = &s.bt.subnets[0];
    ck_assert_uint_eq(n->netuid, 1);
    ck_assert_uint_eq(n->tempo, 360);
    ck_assert_uint_eq(n->max_uids, 256);
    ck_assert_uint_eq(n->max_validators, 64);
    ck_assert_uint_eq(n->kappa, 32767);
    ck_assert_uint_eq(n->bonds_moving_average, 900000);
    ck_assert_uint_eq(n->bonds_penalty, 65535);
    ck_assert_int_eq(n->yuma3, 1);
    ck_assert_int_eq(n->liquid_alpha, 0);
    ck_assert_uint_eq(n->alpha_low, 45875);
    ck_assert_uint_eq(n->alpha_high, 58982);
    ck_assert_uint_eq(n->immunity_period, 5000);
    ck_assert_uint_eq(n->min_allowed_weights, 1);
    ck_assert_uint_eq(n->activity_cutoff_factor, 13889);
    ck_assert_int_eq(n->commit_reveal, 1);
    ck_assert_uint_eq(n->weights_rate_limit, 100);
    ck_assert_uint_eq(n->min_non_immune_uids, 10);
    ck_assert_uint_eq(n->burn, TOKEN);
    ck_assert_uint_eq(n->burn_half_life, 360);
    ck_assert_double_eq(n->burn_increase_mult, 1.26);
    ck_assert_uint_eq(n->burn_min, 500000);
    ck_assert_uint_eq(n->burn_max, 100 * TOKEN);
    ck_assert_ptr_null(n->snapshot);
    ck_assert_uint_eq(s.bt.chain.total_supply, 21000000 * TOKEN);
    ck_assert_uint_eq(s.bt.chain.tao_weight, 971718665099567868ull);
    ck_assert_uint_eq(s.bt.chain.subnet_owner_cut, 11796);
    ck_assert_uint_eq(s.bt.chain.max_epochs_per_block, 2);
    ck_assert_uint_eq(s.record.epochs_every, 1);
    ck_assert_uint_eq(s.stakers.count, 0); /* token keys are not filled in */
    ck_assert_ptr_nonnull(strstr(s.params_json, "\"model\":\"bittensor\""));
    ck_assert_ptr_null(strstr(s.params_json, "\"stakers\":{"));
    ck_assert_ptr_null(strstr(s.params_json, "\"emission\""));
    ck_assert_ptr_nonnull(strstr(s.params_json, "\"record\":{\"every\":7200,\"epochs_every\":1}"));
    ck_assert_ptr_nonnull(strstr(s.params_json, ",\"subnets\":[],\"snapshots\":[]}"));
    scn_clear(&s);
}
END_TEST

/* Per-subnet overrides: element i is netuid i+1 unless it names one; --set subnets.N.KEY wins. */
START_TEST(test_bt_subnet_overrides)
{
    static const char text[] =
        "name = \"b\";\nmodel = \"bittensor\";\ntime = { blocks = 1; };\n"
        "network = { subnets = 3; };\n"
        "subnet_defaults = { tempo = 100; };\n"
        "subnets = ( { }, { kappa = 40000; }, { netuid = 3; tempo = 50; } );\n";
    scn_scenario s;
    load_ok(text, NULL, 0, &s);
    ck_assert_uint_eq(s.bt.nsubnets, 3);
    ck_assert_uint_eq(s.bt.subnets[0].tempo, 100);
    ck_assert_uint_eq(s.bt.subnets[0].kappa, 32767);
    ck_assert_uint_eq(s.bt.subnets[1].tempo, 100);
    ck_assert_uint_eq(s.bt.subnets[1].kappa, 40000);
    ck_assert_uint_eq(s.bt.subnets[2].tempo, 50);
    ck_assert_ptr_nonnull(strstr(s.params_json, "\"subnets\":[{\"netuid\":1},{\"netuid\":2,"
                                                "\"kappa\":40000},{\"netuid\":3,\"tempo\":50}]"));
    scn_clear(&s);
    const char *sets[] = {"subnets.1.tempo=7", "subnets.3.tempo=9", "subnets.2.yuma3=false"};
    load_ok(text, sets, 3, &s);
    ck_assert_uint_eq(s.bt.subnets[0].tempo, 7);
    ck_assert_uint_eq(s.bt.subnets[1].tempo, 100);
    ck_assert_int_eq(s.bt.subnets[1].yuma3, 0);
    ck_assert_uint_eq(s.bt.subnets[2].tempo, 9);
    scn_clear(&s);
    /* A subnet the file does not mention gets an element from --set. */
    const char *sets2[] = {"network.subnets=4", "subnets.4.max_uids=16"};
    load_ok(text, sets2, 2, &s);
    ck_assert_uint_eq(s.bt.subnets[3].max_uids, 16);
    ck_assert_uint_eq(s.bt.subnets[3].tempo, 100);
    scn_clear(&s);
}
END_TEST

/* The default token file run as bittensor: --set model drops the file's token keys. */
START_TEST(test_bt_model_switch)
{
    const char *sets[] = {"model=bittensor"};
    scn_scenario s;
    load_ok(scn_default_text(), sets, 1, &s);
    ck_assert_int_eq(s.model, SCN_MODEL_BITTENSOR);
    ck_assert_uint_eq(s.stakers.count, 0);
    scn_clear(&s);
}
END_TEST

START_TEST(test_bt_errors)
{
    static const char *const w1[] = {
        "t.cfg:4: unknown key 'subnets[0].tmepo' (did you mean 'subnets[0].tempo'?)",
        "t.cfg:5: subnets[1].tempo = 0 is out of range [1, 65535]",
        "t.cfg:6: subnets[2].kappa: expected integer, got string",
        "t.cfg:7: stakers.count applies only to model \"token\" (model is \"bittensor\")"};
    expect_text("name = \"b\";\nmodel = \"bittensor\";\n"
                "time = { blocks = 1; }; network = { subnets = 3; };\n"
                "subnets = ( { tmepo = 1; },\n"
                "  { tempo = 0; },\n"
                "  { kappa = \"x\"; } );\n"
                "stakers = { count = 3; };\n",
                NULL, 0, w1, N(w1));
    static const char *const w2[] = {
        "t.cfg:4: subnets[0]: netuid 3 is beyond network.subnets (2)",
        "t.cfg:6: subnets[2]: netuid 1 is already configured at line 5"};
    expect_text("name = \"b\";\nmodel = \"bittensor\";\n"
                "time = { blocks = 1; }; network = { subnets = 2; };\n"
                "subnets = ( { netuid = 3; },\n"
                "  { netuid = 1; },\n"
                "  { netuid = 1; } );\n",
                NULL, 0, w2, N(w2));
    static const char *const w3[] = {
        "t.cfg:2: chain.tao_weight applies only to model \"bittensor\" (model is \"token\")",
        "t.cfg:3: subnets applies only to model \"bittensor\" (model is \"token\")"};
    expect_text("name = \"b\"; time = { blocks = 1; };\nchain = { tao_weight = 5; };\n"
                "subnets = ( { } );\n",
                NULL, 0, w3, N(w3));
    static const char *const w4[] = {"t.cfg:3: subnets: expected list of groups, got integer"};
    expect_text("name = \"b\";\nmodel = \"bittensor\"; time = { blocks = 1; };\nsubnets = 5;\n",
                NULL, 0, w4, N(w4));
    static const char *const w5[] = {
        "t.cfg:3: validators.take_min (100) must not exceed validators.take_max (50)",
        "t.cfg: subnet 1: alpha_low (60000) must not exceed alpha_high (58982)",
        "t.cfg: subnet 1: burn_min (200000000000 units) must not exceed burn_max (100000000000 "
        "units)",
        "t.cfg: subnet 1: the owner and 4 validators need 5 uids, but max_uids is 4"};
    expect_text("name = \"b\";\nmodel = \"bittensor\"; time = { blocks = 1; };\n"
                "validators = { honest = 4; take_min = 100; take_max = 50; };\n"
                "subnet_defaults = { max_uids = 4; alpha_low = 60000; burn_min = \"200\"; };\n",
                NULL, 0, w5, N(w5));
    static const char *const w6[] = {
        "t.cfg:3: chain.total_supply (1) must be greater than twice chain.block_emission (1)",
        "t.cfg: subnet 1: the genesis alpha (pool, validator and delegator stakes) must be less "
        "than chain.total_supply",
        "t.cfg: the genesis TAO (pools, free TAO and root stakes of every agent) must be less "
        "than chain.total_supply"};
    expect_text("name = \"b\";\nmodel = \"bittensor\"; time = { blocks = 1; };\n"
                "chain = { total_supply = \"1\"; block_emission = \"1\"; };\n",
                NULL, 0, w6, N(w6));
    /* Root stakers delegate to network-wide validators; a snapshot's uids are not agents. */
    static const char *const w6b[] = {
        "t.cfg:4: root.stakers = 3 needs at least one validator to delegate to "
        "(validators.honest, lazy or noisy; a snapshot's uids do not count)"};
    expect_text("name = \"b\";\nmodel = \"bittensor\"; time = { blocks = 1; };\n"
                "validators = { honest = 0; };\nroot = { stakers = 3; };\n",
                NULL, 0, w6b, N(w6b));
    static const char *const w7[] = {
        "--set subnets.2.tmepo: unknown key 'subnets.2.tmepo' (did you mean 'subnets.2.tempo'?)",
        "--set subnets.200.tempo: netuid 200 is out of range [1, 128]",
        "--set subnets: 'subnets' is set per subnet: use --set subnets.N.KEY=VALUE, e.g. "
        "subnets.1.tempo=100",
        "--set subnets.1.tempo: subnets.1.tempo = 0 is out of range [1, 65535]"};
    const char *sets[] = {"subnets.2.tmepo=3", "subnets.200.tempo=3", "subnets=1",
                          "subnets.1.tempo=0"};
    expect_text("name = \"b\";\nmodel = \"bittensor\"; time = { blocks = 1; };\n", sets, 4, w7,
                N(w7));
}
END_TEST

/* ---- the `sweep` group -------------------------------------------------------------------- */

#define SWEEP_BASE "name = \"t\";\ntime = { blocks = 100; };\n"

/* Each design becomes the texts of the equivalent command-line options; the group never
** reaches params_json. */
START_TEST(test_sweep_group_texts)
{
    scn_scenario plain, s;
    load_ok(SWEEP_BASE, NULL, 0, &plain);
    ck_assert_ptr_null(plain.sweep);
    load_ok(SWEEP_BASE
            "sweep = {\n"
            "  grid = ( { key = \"stakers.count\"; values = [2, 3]; },\n"
            "           { key = \"emission.initial_reward\"; lo = \"0.5\"; hi = 2; n = 4; },\n"
            "           { key = \"stakers.compound\"; values = (true, false); } );\n"
            "  runs = 5; metric = \"supply\"; reduce = \"mean\";\n"
            "};\n",
            NULL, 0, &s);
    ck_assert_str_eq(s.params_json, plain.params_json);
    ck_assert_ptr_nonnull(s.sweep);
    ck_assert_uint_eq(s.sweep->line, 3);
    ck_assert_uint_eq(s.sweep->ngrid, 3);
    ck_assert_str_eq(s.sweep->grid[0], "stakers.count=2,3");
    ck_assert_str_eq(s.sweep->grid[1], "emission.initial_reward=0.5:2:4");
    ck_assert_str_eq(s.sweep->grid[2], "stakers.compound=true,false");
    ck_assert_uint_eq(s.sweep->runs, 5);
    ck_assert_str_eq(s.sweep->metric, "supply");
    ck_assert_str_eq(s.sweep->reduce, "mean");
    ck_assert_uint_eq(s.sweep->nzip + s.sweep->nrange, 0);
    ck_assert_ptr_null(s.sweep->sample);
    scn_clear(&s);
    ck_assert_ptr_null(s.sweep);
    load_ok(SWEEP_BASE "sweep = { sample = \"morris\"; samples = 3; levels = 6; crn = true;\n"
                       "  range = ( { key = \"stakers.stake_spread\"; lo = 0; hi = 1.5; },\n"
                       "            { key = \"stakers.count\"; lo = 1; hi = 50000L; } ); };\n",
            NULL, 0, &s);
    ck_assert_uint_eq(s.sweep->nrange, 2);
    ck_assert_str_eq(s.sweep->range[0], "stakers.stake_spread=0:1.5");
    ck_assert_str_eq(s.sweep->range[1], "stakers.count=1:50000");
    ck_assert_str_eq(s.sweep->sample, "morris");
    ck_assert_uint_eq(s.sweep->samples, 3);
    ck_assert_uint_eq(s.sweep->levels, 6);
    ck_assert_uint_eq(s.sweep->crn, 1);
    scn_clear(&s);
    /* 3000000000L is out of stakers.count's range: refused like any value of the key */
    const char *const big[] = {"t.cfg:5: stakers.count = 3000000000 is out of range [1, 100000]"};
    expect_text(SWEEP_BASE
                "sweep = { sample = \"morris\"; samples = 3; levels = 6; crn = true;\n"
                "  range = ( { key = \"stakers.stake_spread\"; lo = 0; hi = 1.5; },\n"
                "            { key = \"stakers.count\"; lo = 1; hi = 3000000000L; } ); };\n",
                NULL, 0, big, N(big));
    load_ok(SWEEP_BASE "sweep = { sample = \"saltelli\"; samples = 8;\n"
                       "  range = ( { key = \"stakers.stake_spread\"; lo = 0; hi = 1.5; } ); };\n",
            NULL, 0, &s);
    ck_assert_str_eq(s.sweep->sample, "saltelli");
    ck_assert_uint_eq(s.sweep->samples, 8);
    ck_assert_uint_eq(s.sweep->crn, 0);
    scn_clear(&s);
    load_ok(SWEEP_BASE "sweep = { zip = ( { key = \"stakers.count\"; values = [2, 3]; },\n"
                       "  { key = \"stakers.initial_stake\"; values = [\"10\", \"0.5\"]; } ); };\n",
            NULL, 0, &s);
    ck_assert_str_eq(s.sweep->zip[0], "stakers.count=2,3");
    ck_assert_str_eq(s.sweep->zip[1], "stakers.initial_stake=10,0.5");
    scn_clear(&s);
    load_ok(SWEEP_BASE "sweep = { metric = \"supply\";\n"
                       "  bisect = { key = \"stakers.count\"; lo = 1; hi = 10; target = 2.5;\n"
                       "             tol = 1; max_iter = 7; }; };\n",
            NULL, 0, &s);
    ck_assert_str_eq(s.sweep->bisect, "stakers.count=1:10");
    ck_assert_str_eq(s.sweep->target, "2.5");
    ck_assert_str_eq(s.sweep->tol, "1");
    ck_assert_uint_eq(s.sweep->max_iter, 7);
    scn_clear(&s);
    scn_clear(&plain);
}
END_TEST

/* Every problem of a bad group, at its line, in file order. */
START_TEST(test_sweep_group_errors)
{
    const char *const want[] = {
        "t.cfg:4: unknown key 'sweep.grdi' (did you mean 'sweep.grid'?)",
        "t.cfg:5: sweep.runs = 0 is out of range [1, 4294967295]",
        "t.cfg:6: sweep.crn: expected boolean, got integer",
        "t.cfg:7: sweep.reduce = \"median\" is not one of \"last\", \"mean\", \"min\", \"max\"",
        "t.cfg:8: sweep.zip[0].key: unknown key 'stakers.cuont' (did you mean 'stakers.count'?)",
        "t.cfg:9: unknown key 'sweep.zip[1].valeus' (did you mean 'sweep.zip[1].values'?)",
        "t.cfg:10: stakers.stake_spread = 7 is out of range [0, 3]",
        "t.cfg:11: unknown key 'sweep.zip[3].lo'",
        "t.cfg:11: unknown key 'sweep.zip[3].hi'",
        "t.cfg:12: sweep.zip[4].key: stakers.stake_spread is swept twice",
        "t.cfg:13: sweep.zip[5].key: 'stakers' is not a key a sweep can set",
        // NOLINTNEXTLINE(bugprone-suspicious-missing-comma): one message over two lines
        "t.cfg:14: stakers.initial_stake: value \"1,2\" is empty or contains ',' or ':' (the "
        "separators "
        "of the command line's lists)",
    };
    expect_text(SWEEP_BASE "sweep = {\n"
                           "  grdi = 1;\n"
                           "  runs = 0;\n"
                           "  crn = 1;\n"
                           "  reduce = \"median\";\n"
                           "  zip = ( { key = \"stakers.cuont\"; values = [1]; },\n"
                           "          { key = \"stakers.count\"; valeus = [1]; },\n"
                           "          { key = \"stakers.stake_spread\"; values = [7]; },\n"
                           "          { key = \"stakers.compound\"; lo = 1; hi = 2; },\n"
                           "          { key = \"stakers.stake_spread\"; values = [1]; },\n"
                           "          { key = \"stakers\"; values = [1]; },\n"
                           "          { key = \"stakers.initial_stake\"; values = [\"1,2\"]; } );\n"
                           "};\n",
                NULL, 0, want, N(want));
}
END_TEST

/* Random single-byte edits of a scenario with a full `sweep` group load or fail cleanly. */
START_TEST(test_sweep_group_mutations)
{
    const char *base =
        SWEEP_BASE "sweep = {\n"
                   "  grid = ( { key = \"stakers.count\"; values = [2, 3]; },\n"
                   "           { key = \"stakers.stake_spread\"; lo = 0; hi = 1; n = 3; } );\n"
                   "  runs = 2; metric = \"supply\"; reduce = \"max\"; crn = false;\n"
                   "  bisect = { key = \"stakers.count\"; lo = 1; hi = 9; target = 1; };\n"
                   "  range = ( { key = \"stakers.stake_spread\"; lo = 0; hi = 1; } );\n"
                   "  sample = \"lhs\"; samples = 4; levels = 4;\n"
                   "  zip = ( { key = \"stakers.compound\"; values = (true); } );\n"
                   "};\n";
    mutate_and_load(base, "=;{}()[]\",#L0129.-x \n@akz", 0x2545F4914F6CDD1Dull, 3000, false);
}
END_TEST

static Suite *scenario_suite(void)
{
    Suite *s = suite_create("scenario");
    TCase *tc = tcase_create("default");
    tcase_add_test(tc, test_default_values);
    tcase_add_test(tc, test_json_line_of);
    tcase_add_test(tc, test_default_is_file);
    tcase_add_test(tc, test_default_passes_first_halving);
    tcase_add_test(tc, test_default_params_json);
    suite_add_tcase(s, tc);

    tc = tcase_create("valid");
    tcase_add_test(tc, test_full_file);
    tcase_add_test(tc, test_defaults_applied);
    tcase_add_test(tc, test_defaults_bitcoin);
    tcase_add_test(tc, test_limits_accepted);
    tcase_add_test(tc, test_text_quirks);
    tcase_add_test(tc, test_params_json_small);
    suite_add_tcase(s, tc);

    tc = tcase_create("bittensor");
    tcase_add_test(tc, test_bt_defaults);
    tcase_add_test(tc, test_bt_subnet_overrides);
    tcase_add_test(tc, test_bt_model_switch);
    tcase_add_test(tc, test_bt_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("bad_files");
    tcase_add_test(tc, test_bad_unknown_key);
    tcase_add_test(tc, test_bad_wrong_type);
    tcase_add_test(tc, test_bad_out_of_range);
    tcase_add_test(tc, test_bad_missing_required);
    tcase_add_test(tc, test_bad_no_l_suffix);
    tcase_add_test(tc, test_bad_contradiction_issuance);
    tcase_add_test(tc, test_bad_contradiction_bitcoin);
    tcase_add_test(tc, test_bad_amounts);
    tcase_add_test(tc, test_bad_supply);
    tcase_add_test(tc, test_bad_genesis);
    tcase_add_test(tc, test_bad_several);
    tcase_add_test(tc, test_bad_several_with_sets);
    tcase_add_test(tc, test_bad_truncated);
    tcase_add_test(tc, test_bad_strings);
    tcase_add_test(tc, test_bad_include);
    tcase_add_test(tc, test_bad_duplicate);
    tcase_add_test(tc, test_unterminated);
    suite_add_tcase(s, tc);

    tc = tcase_create("file_system");
    tcase_add_checked_fixture(tc, tmp_setup, tmp_teardown);
    tcase_add_test(tc, test_file_nonexistent);
    tcase_add_test(tc, test_file_directory);
    tcase_add_test(tc, test_file_empty);
    tcase_add_test(tc, test_file_binary);
    tcase_add_test(tc, test_file_invalid_utf8);
    tcase_add_test(tc, test_file_size_limit);
    tcase_add_test(tc, test_file_unreadable);
    suite_add_tcase(s, tc);

    tc = tcase_create("truncation");
    tcase_add_test(tc, test_truncation_located);
    tcase_add_test(tc, test_truncation_forms);
    tcase_add_test(tc, test_clamped_l_literal);
    suite_add_tcase(s, tc);

    tc = tcase_create("set");
    tcase_add_test(tc, test_set_valid);
    tcase_add_test(tc, test_set_creates_key);
    tcase_add_test(tc, test_set_switch_schedule);
    tcase_add_test(tc, test_set_switch_needs_interval);
    tcase_add_test(tc, test_set_contradiction);
    tcase_add_test(tc, test_set_errors);
    tcase_add_test(tc, test_set_cross_rule);
    suite_add_tcase(s, tc);

    tc = tcase_create("rules");
    tcase_set_timeout(tc, 60); /* the 3000 mutated loads: over Check's 4 s under ASan in CI */
    tcase_add_test(tc, test_genesis_overflow);
    tcase_add_test(tc, test_bitcoin_overflow);
    tcase_add_test(tc, test_unstake_fraction_resolution);
    tcase_add_test(tc, test_description_limits);
    tcase_add_test(tc, test_error_cap);
    tcase_add_test(tc, test_null_inputs);
    tcase_add_test(tc, test_mutations_never_crash);
    suite_add_tcase(s, tc);

    tc = tcase_create("sweep_group");
    tcase_set_timeout(tc, 60); /* 3000 loads: about 2 s under ASan, more on a busy machine */
    tcase_add_test(tc, test_sweep_group_texts);
    tcase_add_test(tc, test_sweep_group_errors);
    tcase_add_test(tc, test_sweep_group_mutations);
    suite_add_tcase(s, tc);

    tc = tcase_create("amounts");
    tcase_add_test(tc, test_amount_parse);
    tcase_add_test(tc, test_amount_format);
    tcase_add_test(tc, test_amount_integer_boundary);
    suite_add_tcase(s, tc);

    tc = tcase_create("internals");
    tcase_add_test(tc, test_edit_distance);
    tcase_add_test(tc, test_utf8);
    tcase_add_test(tc, test_int_literal);
    tcase_add_test(tc, test_lexer);
    tcase_add_test(tc, test_key_table);
    tcase_add_test(tc, test_describe);
    tcase_add_test(tc, test_readme_documents_every_key);
    tcase_add_test(tc, test_defaults_validate);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tdb_run(scenario_suite());
}
