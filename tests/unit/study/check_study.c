/*
** check_study.c: the two study reproductions and `tokensim sweep` (issue 5 part B).
**
** Expected values are computed independently: the whitepaper example by a Python script written
** from the text (whitepaper_ref.py, compared bit for bit, through the model and through
** the binary's %.17g output and DB); the retention study at sigma = 0 and equal stakes per side
** by the closed forms of the stake-weighted median, clipping, incentive and original-Yuma
** dividends written out below (every row of a quadrant is equal, so each side acts as one
** validator); the sweep's threshold by the example's symmetry (the cabal overtakes iff it
** starts above one half).
*/
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <ctype.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <sqlite3.h>

#include "tdb.h"
#include "proc.h"
#include "study_retention.h"
#include "whitepaper_collusion.h"

#define TS (char *)proc_tokensim()

static proc_result R;

static int run(char *const argv[])
{
    ck_assert_int_eq(proc_run(argv, &R), 0);
    return R.status;
}

/* ---- whitepaper collusion example ---- */

/* One "BLOCK VALUE" line at p: asserts BLOCK == want and stores VALUE (decimal or Python's
** float.hex(), both of which strtod reads) in *v; returns the end of VALUE. strtol and strtod
** rather than sscanf: they say where a malformed number stops. */
static const char *block_value(const char *p, int want, double *v)
{
    char *end = NULL;
    long blk = strtol(p, &end, 10);
    ck_assert_msg(end != p, "expected a block number at '%.20s'", p);
    ck_assert_int_eq(blk, want);
    p = end;
    *v = strtod(p, &end);
    ck_assert_msg(end != p && (*end == '\0' || isspace((unsigned char)*end)),
                  "block %d: malformed value at '%.30s'", want, p);
    return end;
}

/* The Python reference's shares for (cabal, blocks) into ref[0..blocks]. */
static void python_ref(const char *cabal, int blocks, double *ref)
{
    char nb[16];
    snprintf(nb, sizeof nb, "%d", blocks);
    char *argv[] = {(char *)"/usr/bin/python3",
                    (char *)tdb_src("tests/unit/study/whitepaper_ref.py"), (char *)cabal, nb, NULL};
    ck_assert_int_eq(run(argv), 0);
    const char *p = R.out;
    for (int b = 0; b <= blocks; b++)
        p = block_value(p, b, &ref[b]);
}

static int same_bits(double a, double b)
{
    /* the bit patterns as integers: -0.0 differs from 0.0 here, as it must for "exactly" */
    uint64_t x, y;
    memcpy(&x, &a, sizeof x);
    memcpy(&y, &b, sizeof y);
    return x == y;
}

START_TEST(test_collusion_model_matches_python)
{
    double ref[101];
    python_ref("0.49", 100, ref);
    wpc_config c = {0.49, 10.0, 0.5, 0.1, 100, 12};
    wpc_state s = wpc_init(&c);
    ck_assert(same_bits(wpc_cabal_share(&s), ref[0]));
    for (int b = 1; b <= 100; b++) {
        wpc_step(&c, &s, NULL);
        ck_assert_msg(same_bits(wpc_cabal_share(&s), ref[b]), "block %d: %.17g vs %.17g", b,
                      wpc_cabal_share(&s), ref[b]);
    }
    ck_assert(ref[100] < ref[1] && ref[1] < 0.49); /* the cabal loses share every block */
}
END_TEST

START_TEST(test_collusion_binary_prints_and_records_exactly)
{
    double ref[101];
    python_ref("0.49", 100, ref);
    const char *db = tdb_tmp("collusion.db");
    char *argv[] = {
        TS,           "run",      (char *)tdb_src("scenarios/repro-whitepaper-collusion.cfg"),
        "--out",      (char *)db, "--force",
        "--no-plots", NULL};
    ck_assert_msg(run(argv) == 0, "%s", R.err);
    const char *p = strstr(R.out, "\n0 ");
    ck_assert(p != NULL);
    p++;
    for (int b = 0; b <= 100; b++) {
        double printed;
        p = block_value(p, b, &printed);
        ck_assert_msg(same_bits(printed, ref[b]), "block %d printed %.17g", b, printed);
    }
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT value FROM series WHERE metric = 'cabal_share' AND block = 100");
    ck_assert(same_bits(tdb_double(db, sql), ref[100]));
    ck_assert_int_eq((int)tdb_double(db, "SELECT count(*) FROM series WHERE metric = "
                                         "'cabal_share'"),
                     101);
}
END_TEST

/* Blocks 1-3 by hand, in long double from the text: with shares (the total is a common
** factor), trust(x) = 1 / (1 + e^{-10 (x - 0.5)}); the cabal's new stake is c + 0.1 c t(c) /
** (c t(c) + h t(h)) of a total that grew to 1.1, so c' = (c + 0.1 c t(c) / (c t(c) + h t(h)))
* / 1.1.
** Block 1 in closed form: t(0.51) = e^{0.1} t(0.49), so c1 = (0.49 + 0.049 / (0.49 + 0.51 e^{0.1}))
** / 1.1 = 0.487732338882020... The model (doubles) must agree to a few ulps. */
START_TEST(test_collusion_blocks_by_hand)
{
    long double c = 0.49L;
    long double c1 = (0.49L + 0.049L / (0.49L + 0.51L * expl(0.1L))) / 1.1L;
    ck_assert(fabsl(c1 - 0.48773233888202011L) < 1e-16L);
    wpc_config cfg = {0.49, 10.0, 0.5, 0.1, 100, 12};
    wpc_state s = wpc_init(&cfg);
    for (int b = 1; b <= 3; b++) {
        long double h = 1.0L - c;
        long double tc = 1.0L / (1.0L + expl(-10.0L * (c - 0.5L)));
        long double th = 1.0L / (1.0L + expl(-10.0L * (h - 0.5L)));
        c = (c + 0.1L * c * tc / (c * tc + h * th)) / 1.1L;
        wpc_step(&cfg, &s, NULL);
        ck_assert_msg(fabsl((long double)wpc_cabal_share(&s) - c) < 1e-15L,
                      "block %d: model %.17g, by hand %.20Lg", b, wpc_cabal_share(&s), c);
        if (b == 1)
            ck_assert(fabsl(c - c1) < 1e-18L);
    }
}
END_TEST

START_TEST(test_collusion_symmetry)
{
    /* Equal stakes keep equal trust, so the share never moves; 0.51 mirrors 0.49. */
    wpc_config c = {0.5, 10.0, 0.5, 0.1, 100, 12};
    wpc_state s = wpc_init(&c);
    for (int b = 0; b < 100; b++)
        wpc_step(&c, &s, NULL);
    ck_assert(wpc_cabal_share(&s) == 0.5);
    double ref[101];
    python_ref("0.51", 100, ref);
    c.cabal_share = 0.51;
    s = wpc_init(&c);
    for (int b = 0; b < 100; b++)
        wpc_step(&c, &s, NULL);
    ck_assert(same_bits(wpc_cabal_share(&s), ref[100]));
    ck_assert(ref[100] > 0.99);
}
END_TEST

/* ---- retention: closed forms at sigma = 0 with equal stakes per side ---- */

/* Stake-weighted kappa-median of a column where the honest side (stake sh) puts x and the
** cabal (1 - sh) puts y: the largest w with stake(weight >= w) >= kappa. */
static double median2(double x, double y, double sh, double kappa)
{
    if (x >= y)
        return (sh >= kappa || x == y) ? x : y;
    return (1.0 - sh >= kappa) ? y : x;
}

typedef struct cf {
    double i_h, d_h, e_h;
} cf;

/* Closed form of one epoch for n servers of which hs honest (all weights equal within a
** quadrant). */
static cf closed_form(double sh, double wh, double wc, double kappa, double beta, double xi, int hs,
                      int cs)
{
    double sc = 1.0 - sh;
    /* per column type q (0 honest servers, 1 cabal servers): honest weight x, cabal weight y */
    double x[2] = {wh / hs, (1.0 - wh) / cs}, y[2] = {(1.0 - wc) / hs, wc / cs};
    double cnt[2] = {hs, cs}, r[2], fh[2];
    for (int q = 0; q < 2; q++) {
        double c = median2(x[q], y[q], sh, kappa);
        double xc = fmin(x[q], c), yc = fmin(y[q], c);
        r[q] = sh * xc + sc * yc;
        double bh = (1.0 - beta) * x[q] + beta * xc, bc = (1.0 - beta) * y[q] + beta * yc;
        double den = sh * bh + sc * bc;
        fh[q] = den > 0.0 ? sh * bh / den : -1.0; /* -1: nobody bonds this column */
    }
    double rsum = cnt[0] * r[0] + cnt[1] * r[1], dh = 0.0, dall = 0.0;
    for (int q = 0; q < 2; q++) {
        double iq = cnt[q] * r[q] / rsum;
        if (fh[q] >= 0.0)
            dh += iq * fh[q], dall += iq;
    }
    cf o;
    o.i_h = cnt[0] * r[0] / rsum;
    o.d_h = dall > 0.0 ? dh / dall : 0.0;
    o.e_h = xi * o.d_h + (1.0 - xi) * o.i_h;
    return o;
}

/* N = 40, V = 8, 32 servers; S_H = 0.625 makes 5 honest validators and 20 honest servers. */
static sr_study *small_study(double stake_sigma, int yuma3)
{
    sr_config c = {40, 8, stake_sigma, 7, yuma3};
    sr_study *s = NULL;
    char err[256];
    ck_assert_msg(sr_new(&c, &s, err, sizeof err) == 0, "%s", err);
    return s;
}

START_TEST(test_retention_closed_form_points)
{
    sr_study *s = small_study(0.0, 0);
    static const double wh[] = {0.0, 0.3, 0.55, 0.8, 1.0}, wc[] = {0.0, 0.4, 0.9, 1.0};
    static const sr_setting sets[] = {
        {0.5, 0.0, 0.5, 0.0}, {0.5, 1.0, 0.5, 0.0}, {0.5, 0.5, 0.25, 0.0}, {0.6, 1.0, 0.0, 0.0}};
    int compared = 0;
    for (size_t k = 0; k < sizeof sets / sizeof *sets; k++)
        for (size_t a = 0; a < 5; a++)
            for (size_t b = 0; b < 4; b++) {
                sr_point pt;
                char err[256];
                ck_assert(sr_eval(s, &sets[k], 0.625, wh[a], wc[b], &pt, err, sizeof err) == 0);
                cf e = closed_form(0.625, wh[a], wc[b], sets[k].kappa, sets[k].bonds_penalty,
                                   sets[k].xi, 20, 12);
                ck_assert_msg(fabs(pt.i_h - e.i_h) < 1e-3 && fabs(pt.d_h - e.d_h) < 1e-3,
                              "setting %zu W_H %g W_C %g: I_H %.6f vs %.6f, D_H %.6f vs %.6f", k,
                              wh[a], wc[b], pt.i_h, e.i_h, pt.d_h, e.d_h);
                ck_assert(fabs(pt.e_h - e.e_h) < 1e-3);
                compared++;
            }
    ck_assert_int_eq(compared, 80);
    sr_free(s);
}
END_TEST

/* The retention map's visitor (spec mechanisms §6.4): a scan of 8 steps visits every W_H once,
** in order, with E_H equal to the closed form's (sigma 0, equal stakes per side). */
typedef struct visits {
    uint32_t n, idx[16];
    double e_h[16];
} visits;

static void visit(void *ctx, uint32_t i, double e_h)
{
    visits *v = ctx;
    if (v->n < 16)
        v->idx[v->n] = i, v->e_h[v->n] = e_h;
    v->n++;
}

START_TEST(test_retention_map_visits_closed_form)
{
    sr_study *s = small_study(0.0, 0);
    const sr_setting set = {0.5, 1.0, 0.5, 0.0};
    visits v = {0, {0}, {0}};
    sr_on_visit(s, visit, &v);
    sr_grid g = {0.625, 0, 4, 8}; /* W_C = 0.5 */
    sr_need nd;
    char err[256];
    ck_assert(sr_needed(s, &set, &g, 0, &nd, err, sizeof err) == 0);
    ck_assert_uint_eq(v.n, 9);
    for (uint32_t k = 0; k < 9; k++) {
        ck_assert_uint_eq(v.idx[k], k);
        cf e = closed_form(0.625, k / 8.0, 0.5, 0.5, 1.0, 0.5, 20, 12);
        ck_assert_msg(fabs(v.e_h[k] - e.e_h) < 1e-3, "W_H %u/8: E_H %.6f vs %.6f", k, v.e_h[k],
                      e.e_h);
    }
    /* the needed W_H is the first visited point with E_H >= S_H */
    int first = -1;
    for (uint32_t k = 0; k < 9 && first < 0; k++)
        if (v.e_h[k] >= 0.625)
            first = (int)k;
    ck_assert_int_eq(nd.w_h_index, first);
    sr_on_visit(s, NULL, NULL);
    v.n = 0;
    ck_assert(sr_needed(s, &set, &g, 1, &nd, err, sizeof err) == 0);
    ck_assert_uint_eq(v.n, 0); /* cleared */
    sr_free(s);
}
END_TEST

/* The needed W_H on a grid of 10 steps against the closed form, for cells where no grid
** point's E_H is within 2e-3 of S_H (fixed-point rounding cannot flip those). */
START_TEST(test_retention_needed_matches_closed_form)
{
    sr_study *s = small_study(0.0, 0);
    static const sr_setting sets[] = {
        {0.5, 1.0, 0.5, 0.0}, {0.5, 0.0, 0.0, 0.0}, {0.4, 0.5, 0.25, 0.0}};
    static const double shares[] = {0.625, 0.75};
    static const int hs_of[] = {20, 24};
    int checked = 0, with_answer = 0, none = 0;
    for (size_t k = 0; k < 3; k++)
        for (size_t h = 0; h < 2; h++)
            for (int c = 0; c <= 10; c++) {
                double sh = shares[h], w_c = c / 10.0;
                int expect = -1, clear = 1;
                for (int i = 0; i <= 10; i++) {
                    cf e = closed_form(sh, i / 10.0, w_c, sets[k].kappa, sets[k].bonds_penalty,
                                       sets[k].xi, hs_of[h], 32 - hs_of[h]);
                    if (fabs(e.e_h - sh) < 2e-3)
                        clear = 0;
                    if (e.e_h >= sh && expect < 0)
                        expect = i;
                }
                if (!clear)
                    continue;
                sr_need nd;
                char err[256];
                sr_grid g = {sh, (uint32_t)h, (uint32_t)c, 10};
                ck_assert(sr_needed(s, &sets[k], &g, 0, &nd, err, sizeof err) == 0);
                ck_assert_msg(nd.w_h_index == expect, "setting %zu S_H %g W_C %g: %d vs %d", k, sh,
                              w_c, nd.w_h_index, expect);
                checked++;
                expect >= 0 ? with_answer++ : none++;
            }
    ck_assert_int_ge(checked, 50);
    ck_assert_int_ge(with_answer, 20);
    sr_free(s);
}
END_TEST

/* Retention is monotone in W_H (the scan finds no reversal) and bisection finds what the scan
** finds, on a noisy network, for both bonds variants. */
START_TEST(test_retention_bisect_equals_scan)
{
    for (int y3 = 0; y3 < 2; y3++) {
        sr_study *s = small_study(0.3, y3);
        static const sr_setting sets[] = {{0.5, 1.0, 0.5, 0.4}, {0.4, 0.0, 0.25, 0.2}};
        for (size_t k = 0; k < 2; k++)
            for (int h = 0; h < 3; h++)
                for (int c = 0; c <= 10; c += 2) {
                    double sh = 0.55 + 0.15 * h;
                    sr_need scan, bis;
                    char err[256];
                    sr_grid g = {sh, (uint32_t)h, (uint32_t)c, 20};
                    ck_assert(sr_needed(s, &sets[k], &g, 0, &scan, err, sizeof err) == 0);
                    ck_assert(sr_needed(s, &sets[k], &g, 1, &bis, err, sizeof err) == 0);
                    ck_assert_int_eq(scan.reversals, 0);
                    ck_assert_int_eq(scan.evals, 21);
                    ck_assert_int_eq(bis.w_h_index, scan.w_h_index);
                    ck_assert_uint_le(bis.evals, 6);
                }
        sr_free(s);
    }
}
END_TEST

/* The memo (settings differing only in xi share epochs) changes no answer and saves epochs. */
START_TEST(test_retention_memo)
{
    sr_study *plain = small_study(0.3, 0), *memo = small_study(0.3, 0);
    ck_assert_int_eq(sr_memo(memo, 2, 10), 0);
    static const sr_setting sets[] = {
        {0.5, 0.5, 0.5, 0.2}, {0.5, 0.5, 0.0, 0.2}, {0.5, 0.5, 0.25, 0.2}, {0.6, 0.5, 0.25, 0.2}};
    uint32_t ev_plain = 0, ev_memo = 0;
    for (size_t k = 0; k < 4; k++)
        for (uint32_t h = 0; h < 2; h++)
            for (uint32_t c = 0; c <= 10; c++) {
                sr_grid g = {0.6 + 0.2 * h, h, c, 10};
                sr_need a, b;
                char err[256];
                ck_assert(sr_needed(plain, &sets[k], &g, 1, &a, err, sizeof err) == 0);
                ck_assert(sr_needed(memo, &sets[k], &g, 1, &b, err, sizeof err) == 0);
                ck_assert_int_eq(a.w_h_index, b.w_h_index);
                ev_plain += a.evals, ev_memo += b.evals;
            }
    ck_assert_uint_lt(ev_memo, ev_plain);
    sr_free(plain);
    sr_free(memo);
}
END_TEST

START_TEST(test_retention_bad_sizes)
{
    sr_config c = {10, 9, 0.3, 1, 0};
    sr_study *s = (sr_study *)1;
    char err[256];
    ck_assert_int_ne(sr_new(&c, &s, err, sizeof err), 0);
    ck_assert_ptr_null(s);
    ck_assert(strstr(err, "validators") != NULL);
}
END_TEST

/* The binary: the one-at-a-time design, rows per setting, values on the grid, the series copy. */
START_TEST(test_retention_binary_small_grid)
{
    const char *db = tdb_tmp("retention.db");
    char *argv[] = {TS,
                    "run",
                    (char *)tdb_src("scenarios/repro-consensus-retention.cfg"),
                    "--out",
                    (char *)db,
                    "--force",
                    "--no-plots",
                    "--set",
                    "retention.neurons=40",
                    "--set",
                    "retention.validators=8",
                    "--set",
                    "retention.stake_shares=0.6,0.8",
                    "--set",
                    "retention.steps=4",
                    "--set",
                    "retention.kappa=0.4,0.5",
                    "--set",
                    "retention.xi=0.5,0",
                    NULL};
    ck_assert_msg(run(argv) == 0, "%s", R.err);
    /* the same run again (another file) gives the same digest: draws keyed by identity */
    const char *d1 = strstr(R.out, "digest:");
    ck_assert_ptr_nonnull(d1);
    char digest[80];
    snprintf(digest, sizeof digest, "%.72s", d1);
    argv[4] = (char *)tdb_tmp("retention2.db");
    ck_assert_msg(run(argv) == 0, "%s", R.err);
    ck_assert_ptr_nonnull(strstr(R.out, digest));
    /* base (0.5, 1, 0.5, 0) + kappa 0.4 + beta 0, 0.5 + xi 0 + sigma 0.2, 0.4 = 7 settings */
    ck_assert(strstr(R.out, "# setting 6:") != NULL && strstr(R.out, "# setting 7:") == NULL);
    ck_assert_int_eq((int)tdb_double(db, "SELECT count(*) FROM retention"), 70); /* 7 x 2 x 5 */
    ck_assert_int_eq((int)tdb_double(db, "SELECT count(DISTINCT setting) FROM retention"), 7);
    ck_assert_int_eq((int)tdb_double(db, "SELECT count(*) FROM retention WHERE w_h_needed IS "
                                         "NOT NULL AND w_h_needed * 4 <> round(w_h_needed * 4)"),
                     0);
    ck_assert_int_eq(
        (int)tdb_double(db, "SELECT count(*) FROM retention WHERE w_h_needed IS NOT NULL"),
        (int)tdb_double(db, "SELECT count(*) FROM series WHERE metric = 'w_h_needed'"));
    /* xi does not enter the epoch: the base setting and its xi = 0 variant differ only by xi */
    ck_assert_int_eq((int)tdb_double(db, "SELECT count(*) FROM retention WHERE kappa = 0.5 AND "
                                         "beta = 1 AND sigma = 0"),
                     20); /* 2 x 2 x 5 */
    /* the retention map: in each cell the needed W_H is the least visited W_H with E_H >= S_H
    ** (the bisection visits only failures below it), and none is visited where none retains */
    ck_assert_int_eq(
        (int)tdb_double(db, "SELECT count(*) FROM retention r WHERE w_h_needed IS NOT"
                            " (SELECT min(w_h) FROM retention_map m WHERE m.setting = r.setting"
                            " AND m.s_h = r.s_h AND m.w_c = r.w_c AND m.margin >= 0)"),
        0);
    ck_assert_int_eq(
        (int)tdb_double(db, "SELECT count(*) FROM retention_map WHERE abs(margin - (e_h - s_h))"
                            " > 1e-15 OR w_h * 4 <> round(w_h * 4)"),
        0);
    /* a scan visits every grid point once: 7 settings x 2 S_H x 5 W_C x 5 W_H */
    argv[4] = (char *)tdb_tmp("retention3.db");
    char *scan[40];
    int k = 0;
    for (; argv[k]; k++)
        scan[k] = argv[k];
    scan[k++] = "--set", scan[k++] = "retention.search=scan", scan[k] = NULL;
    ck_assert_msg(run(scan) == 0, "%s", R.err);
    ck_assert_int_eq((int)tdb_double(argv[4], "SELECT count(*) FROM retention_map"), 350);
    ck_assert_int_eq((int)tdb_double(argv[4], "SELECT count(*) FROM (SELECT DISTINCT setting, s_h,"
                                              " w_c, w_h FROM retention_map)"),
                     350);
}
END_TEST

/* Rows of `runs` with status 'running' (0 while the file does not exist yet, or while the
** writer keeps it locked for longer than the busy timeout). */
static int running_rows(const char *db)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    int n = 0;
    if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_busy_timeout(h, 2000) == SQLITE_OK && /* the study writes in long transactions */
        sqlite3_prepare_v2(h, "SELECT count(*) FROM runs WHERE status = 'running'", -1, &st,
                           NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return n;
}

/* SIGINT during the study ends the run as "interrupted" (the full study takes far longer than
** the moment the signal comes). */
START_TEST(test_retention_interrupted)
{
    const char *db = tdb_tmp("int-ret.db");
    char *argv[] = {
        TS,           "run",      (char *)tdb_src("scenarios/repro-consensus-retention.cfg"),
        "--out",      (char *)db, "--force",
        "--no-plots", "-q",       NULL};
    pid_t pid = proc_start(argv);
    ck_assert_int_gt(pid, 0);
    /* the handler is installed right after the run row is committed: wait for the row */
    struct timespec pause = {0, 20L * 1000 * 1000};
    int seen = 0; /* a poll saw the running row (a later one may find the file locked) */
    for (int i = 0; i < 3000 && !seen; i++) {
        seen = running_rows(db) == 1;
        if (!seen)
            nanosleep(&pause, NULL);
    }
    ck_assert_msg(seen, "no 'running' row within 60 s");
    pause.tv_nsec = 300L * 1000 * 1000;
    nanosleep(&pause, NULL);
    kill(pid, SIGINT);
    ck_assert_int_eq(proc_wait(pid), 1);
    sqlite3 *h;
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(h, "SELECT status FROM runs", -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), "interrupted");
    sqlite3_finalize(st);
    sqlite3_close(h);
}
END_TEST

START_TEST(test_retention_bad_list)
{
    char *argv[] = {TS,
                    "run",
                    (char *)tdb_src("scenarios/repro-consensus-retention.cfg"),
                    "--out",
                    (char *)tdb_tmp("bad.db"),
                    "--set",
                    "retention.kappa=0.4,x",
                    NULL};
    ck_assert_int_eq(run(argv), 2);
    ck_assert_msg(strstr(R.err, "retention.kappa") != NULL, "%s", R.err);
    struct stat sb;
    ck_assert_int_ne(stat(tdb_tmp("bad.db"), &sb), 0);
    /* each side needs a validator and a server: 40 neurons allow at most 38 validators */
    char *argv2[] = {TS,
                     "run",
                     (char *)tdb_src("scenarios/repro-consensus-retention.cfg"),
                     "--out",
                     (char *)tdb_tmp("bad.db"),
                     "--set",
                     "retention.neurons=40",
                     "--set",
                     "retention.validators=39",
                     NULL};
    ck_assert_int_eq(run(argv2), 2);
    ck_assert_msg(strstr(R.err, "retention.validators (39) must be at most retention.neurons - 2 "
                                "(38)") != NULL,
                  "%s", R.err);
    ck_assert_int_ne(stat(tdb_tmp("bad.db"), &sb), 0);
}
END_TEST

/* ---- tokensim sweep ---- */

START_TEST(test_sweep_finds_symmetric_threshold)
{
    const char *db = tdb_tmp("sweep.db");
    char *argv[] = {TS,
                    "sweep",
                    (char *)tdb_src("scenarios/repro-whitepaper-collusion.cfg"),
                    "--bisect",
                    "collusion.cabal_share=0.2:0.7",
                    "--metric",
                    "cabal_share",
                    "--target",
                    "0.5",
                    "--tol",
                    "1e-4",
                    "--out",
                    (char *)db,
                    NULL};
    ck_assert_msg(run(argv) == 0, "%s", R.err);
    double res = tdb_double(db, "SELECT result FROM sweeps");
    ck_assert_msg(fabs(res - 0.5) <= 1e-4, "result %.17g", res);
    ck_assert(strstr(R.out, "crossing: collusion.cabal_share = ") != NULL);
    int points = (int)tdb_double(db, "SELECT count(*) FROM sweep_points");
    /* 2 ends + ceil(log2(0.5 / 1e-4)) = 13 midpoints */
    ck_assert_int_eq(points, 15);
    ck_assert_int_eq((int)tdb_double(db, "SELECT count(*) FROM sweep_points p JOIN runs r ON "
                                         "r.run_id = p.run_id WHERE r.status = 'done' AND "
                                         "r.run_index = p.idx"),
                     points);
    /* every verdict agrees with the symmetry: above iff the value is >= 0.5 */
    ck_assert_int_eq((int)tdb_double(db, "SELECT count(*) FROM sweep_points WHERE (verdict = "
                                         "'above') <> (CAST(value AS REAL) >= 0.5)"),
                     0);
    ck_assert_int_eq((int)tdb_double(db, "SELECT count(*) FROM sweeps WHERE status = 'done'"), 1);
}
END_TEST

START_TEST(test_sweep_not_bracketed)
{
    const char *db = tdb_tmp("nb.db");
    char *argv[] = {TS,
                    "sweep",
                    (char *)tdb_src("scenarios/repro-whitepaper-collusion.cfg"),
                    "--bisect",
                    "collusion.cabal_share=0.1:0.3",
                    "--metric",
                    "cabal_share",
                    "--target",
                    "0.5",
                    "--out",
                    (char *)db,
                    NULL};
    ck_assert_int_eq(run(argv), 1);
    ck_assert(strstr(R.err, "below the target at both") != NULL);
    ck_assert_int_eq((int)tdb_double(db, "SELECT count(*) FROM sweeps WHERE status = 'failed' "
                                         "AND result IS NULL"),
                     1);
}
END_TEST

START_TEST(test_sweep_bad_usage)
{
    struct {
        const char *a[12];
        const char *msg;
    } cases[] = {
        {{"--bisect", "collusion.cabal_share=0.2:0.7", "--target", "0.5"}, "missing --metric"},
        {{"--bisect", "collusion.cabal_share=0.7:0.2", "--metric", "m", "--target", "0.5"},
         "LO must be smaller"},
        {{"--bisect", "collusion.cabal_share", "--metric", "m", "--target", "0.5"},
         "expected KEY=LO:HI"},
        {{"--bisect", "collusion.nope=0:1", "--metric", "m", "--target", "0.5"},
         "not an integer or number key"},
        {{"--bisect", "collusion.cabal_share=0.2:1.5", "--metric", "m", "--target", "0.5"},
         "collusion.cabal_share"},
        {{"--bisect", "collusion.cabal_share=0.2:0.7", "--metric", "m", "--target", "x"},
         "--target"},
        {{"--bisect", "collusion.cabal_share=0.2:0.7", "--metric", "m", "--target", "0.5",
          "--reduce", "median"},
         "--reduce"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        char *argv[20] = {TS, "sweep", (char *)tdb_src("scenarios/repro-whitepaper-collusion.cfg")};
        int n = 3;
        for (int i = 0; cases[k].a[i]; i++)
            argv[n++] = (char *)cases[k].a[i];
        argv[n++] = "--out";
        argv[n++] = (char *)tdb_tmp("usage.db");
        argv[n] = NULL;
        ck_assert_int_eq(run(argv), 2);
        ck_assert_msg(strstr(R.err, cases[k].msg) != NULL, "case %zu: %s", k, R.err);
        struct stat sb;
        ck_assert_int_ne(stat(tdb_tmp("usage.db"), &sb), 0);
    }
}
END_TEST

/* An integer key: bisection over retention.validators would be slow; use time.blocks of the
** collusion example instead. From 0.51 the cabal share rises with each block; it passes 0.9
** first at the block the Python reference says. */
START_TEST(test_sweep_integer_key)
{
    double ref[101];
    python_ref("0.51", 100, ref);
    int first = -1;
    for (int b = 0; b <= 100 && first < 0; b++)
        if (ref[b] >= 0.9)
            first = b;
    ck_assert_int_gt(first, 1);
    const char *db = tdb_tmp("int.db");
    char *argv[] = {TS,
                    "sweep",
                    (char *)tdb_src("scenarios/repro-whitepaper-collusion.cfg"),
                    "--bisect",
                    "time.blocks=1:100",
                    "--metric",
                    "cabal_share",
                    "--target",
                    "0.9",
                    "--set",
                    "collusion.cabal_share=0.51",
                    "--out",
                    (char *)db,
                    NULL};
    ck_assert_msg(run(argv) == 0, "%s", R.err);
    ck_assert_int_eq((int)tdb_double(db, "SELECT result FROM sweeps"), first);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("study");
    TCase *c = tcase_create("collusion");
    tcase_add_test(c, test_collusion_model_matches_python);
    tcase_add_test(c, test_collusion_binary_prints_and_records_exactly);
    tcase_add_test(c, test_collusion_symmetry);
    tcase_add_test(c, test_collusion_blocks_by_hand);
    suite_add_tcase(s, c);
    c = tcase_create("retention");
    tcase_set_timeout(c, 600);
    tcase_add_test(c, test_retention_closed_form_points);
    tcase_add_test(c, test_retention_map_visits_closed_form);
    tcase_add_test(c, test_retention_needed_matches_closed_form);
    tcase_add_test(c, test_retention_bisect_equals_scan);
    tcase_add_test(c, test_retention_memo);
    tcase_add_test(c, test_retention_bad_sizes);
    tcase_add_test(c, test_retention_binary_small_grid);
    tcase_add_test(c, test_retention_bad_list);
    tcase_add_test(c, test_retention_interrupted);
    suite_add_tcase(s, c);
    c = tcase_create("sweep");
    tcase_set_timeout(c, 300);
    tcase_add_test(c, test_sweep_finds_symmetric_threshold);
    tcase_add_test(c, test_sweep_not_bracketed);
    tcase_add_test(c, test_sweep_bad_usage);
    tcase_add_test(c, test_sweep_integer_key);
    suite_add_tcase(s, c);
    return s;
}

int main(void)
{
    return tdb_run(suite());
}
