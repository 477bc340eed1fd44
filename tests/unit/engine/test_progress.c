/*
 * Tests of progress: exact plain-line and bar output written to a temporary file, with the clock
 * injected (no sleeping); quiet mode; NULL safety. Expected lines are worked out by hand from the
 * formats documented in progress.h.
 */
#include <stdio.h>
#include <string.h>

#include "engine_suites.h"
#include "progress.h"

#define S UINT64_C(1000000000) /* one second in ns */

static uint64_t manual_clock(void *ctx)
{
    return *(const uint64_t *)ctx;
}

/* Whole content of f (rewound), in a static buffer. */
static const char *slurp(FILE *f)
{
    static char buf[4096];
    fflush(f);
    rewind(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    return buf;
}

START_TEST(test_lines_known_total)
{
    FILE *f = tmpfile();
    progress *p = progress_new(f, "run", _i == 0 ? PROGRESS_LINES : PROGRESS_AUTO);
    uint64_t t = 0;
    progress_set_clock(p, manual_clock, &t);
    t = 1 * S;
    progress_update(p, 100, 1000); /* under 5 s since start: silent */
    t = 5 * S;
    progress_update(p, 450, 1000); /* 450/5 s = 90/s; 550 left / 90 = 6.1 s */
    t = 7 * S;
    progress_update(p, 600, 1000); /* 2 s since the last line: silent */
    t = 10 * S;
    progress_update(p, 1000, 1000);
    t = 11 * S;
    progress_finish(p); /* 1000 / 11 s = 90.909/s */
    progress_finish(p); /* once only */
    progress_update(p, 1000, 1000);
    ck_assert_str_eq(slurp(f), "run: 45.0% (450/1000) 90.0/s elapsed 0:00:05 eta 0:00:06\n"
                               "run: 100.0% (1000/1000) 100.0/s elapsed 0:00:10 eta 0:00:00\n"
                               "run: done 1000/1000 in 0:00:11 (90.9/s)\n");
    progress_free(p);
    fclose(f);
}
END_TEST

/* ETA rounds to the nearest second: 700 left at 60/s is 11.67 s. */
START_TEST(test_eta_rounding)
{
    FILE *f = tmpfile();
    progress *p = progress_new(f, "r", PROGRESS_LINES);
    uint64_t t = 0;
    progress_set_clock(p, manual_clock, &t);
    t = 5 * S;
    progress_update(p, 300, 1000);
    ck_assert_str_eq(slurp(f), "r: 30.0% (300/1000) 60.0/s elapsed 0:00:05 eta 0:00:12\n");
    progress_free(p);
    fclose(f);
}
END_TEST

START_TEST(test_lines_unknown_total_and_units)
{
    FILE *f = tmpfile();
    progress *p = progress_new(f, "job", PROGRESS_LINES);
    uint64_t t = 0;
    progress_set_clock(p, manual_clock, &t);
    t = 3725 * S;                    /* 1 h 2 min 5 s */
    progress_update(p, 12000000, 0); /* 12e6 / 3725 s = 3221.5/s */
    t = 3735 * S;
    progress_update(p, 9337500000ull, 0); /* 9.3375e9 / 3735 s = 2.5e6/s */
    t = 3736 * S;
    progress_finish(p); /* 9.3375e9 / 3736 s = 2.4993e6/s */
    ck_assert_str_eq(slurp(f), "job: 12000000 3.2k/s elapsed 1:02:05\n"
                               "job: 9337500000 2.5M/s elapsed 1:02:15\n"
                               "job: done 9337500000 in 1:02:16 (2.5M/s)\n");
    progress_free(p);
    fclose(f);
}
END_TEST

START_TEST(test_bar)
{
    FILE *f = tmpfile();
    progress *p = progress_new(f, "job", PROGRESS_BAR);
    uint64_t t = 0;
    progress_set_clock(p, manual_clock, &t);
    t = 1 * S;
    progress_update(p, 15, 30); /* first update draws at once */
    t = 1 * S + S / 10;
    progress_update(p, 20, 30); /* 0.1 s later: no redraw */
    t = 2 * S;
    progress_update(p, 30, 30);
    progress_finish(p);
    ck_assert_str_eq(slurp(f), "\rjob [###############...............]  50.0% 15.0/s eta 0:00:01"
                               "\rjob [##############################] 100.0% 15.0/s eta 0:00:00"
                               "\rjob [##############################] 100.0% 15.0/s eta 0:00:00"
                               "\n"
                               "job: done 30/30 in 0:00:02 (15.0/s)\n");
    progress_free(p);
    fclose(f);
}
END_TEST

/* A shorter bar line blanks the leftovers of a longer one. */
START_TEST(test_bar_blanks_leftovers)
{
    FILE *f = tmpfile();
    progress *p = progress_new(f, "j", PROGRESS_BAR);
    uint64_t t = 0;
    progress_set_clock(p, manual_clock, &t);
    t = S;
    progress_update(p, 12345, 0); /* "j 12345 12.3k/s" (15 chars) */
    t = 2 * S;
    progress_update(p, 2, 0); /* "j 2 1.0/s" (9 chars) + 6 blanks */
    ck_assert_str_eq(slurp(f), "\rj 12345 12.3k/s\rj 2 1.0/s      ");
    progress_free(p);
    fclose(f);
}
END_TEST

START_TEST(test_quiet)
{
    FILE *f = tmpfile();
    progress *p = progress_new(f, "run", PROGRESS_QUIET);
    uint64_t t = 0;
    progress_set_clock(p, manual_clock, &t);
    t = 100 * S;
    progress_update(p, 5, 10);
    progress_finish(p);
    ck_assert_str_eq(slurp(f), "");
    progress_free(p);
    fclose(f);
}
END_TEST

START_TEST(test_label_truncated)
{
    char label[100];
    memset(label, 'x', 99);
    label[99] = '\0';
    FILE *f = tmpfile();
    progress *p = progress_new(f, label, PROGRESS_LINES);
    uint64_t t = 0;
    progress_set_clock(p, manual_clock, &t);
    progress_finish(p);
    const char *out = slurp(f);
    ck_assert_uint_eq(strspn(out, "x"), PROGRESS_LABEL_MAX);
    ck_assert_str_eq(out + PROGRESS_LABEL_MAX, ": done 0 in 0:00:00 (0.0/s)\n");
    progress_free(p);
    fclose(f);
}
END_TEST

START_TEST(test_null_safety)
{
    progress_update(NULL, 1, 2);
    progress_finish(NULL);
    progress_free(NULL);
    progress_set_clock(NULL, manual_clock, NULL);
    progress *p = progress_new(NULL, NULL, PROGRESS_AUTO); /* no stream: quiet */
    ck_assert_ptr_nonnull(p);
    progress_update(p, 1, 2);
    progress_finish(p);
    progress_free(p);
}
END_TEST

Suite *progress_suite(void)
{
    Suite *s = suite_create("progress");
    TCase *tc = tcase_create("format");
    tcase_add_loop_test(tc, test_lines_known_total, 0, 2);
    tcase_add_test(tc, test_eta_rounding);
    tcase_add_test(tc, test_lines_unknown_total_and_units);
    tcase_add_test(tc, test_bar);
    tcase_add_test(tc, test_bar_blanks_leftovers);
    tcase_add_test(tc, test_quiet);
    tcase_add_test(tc, test_label_truncated);
    tcase_add_test(tc, test_null_safety);
    suite_add_tcase(s, tc);
    return s;
}
