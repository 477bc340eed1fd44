/* test_math.c: Yuma math helpers (tsr_math.h) against the chain's vectors tv01-tv03, tv06-tv11,
 * tv13, tv14 (every case, count checked), plus hand cases for behaviour the vectors do not pin
 * (stored order, zero pairs, duplicates, capacity errors), and is_topk against an O(n^2) rank
 * count of its stable-sort definition on 120k seeded inputs. */
#include <stdlib.h>
#include <string.h>

#include "reward_tests.h"
#include "tsr.h"
#include "vectors.h"

#define ONE TSR_I32F32_ONE
#define CAP 1024

#define OPEN(f, name)                                                                              \
    do {                                                                                           \
        int _rc = tsv_open(&(f), (name));                                                          \
        ck_assert_msg(_rc == 0, "%s", (f).err);                                                    \
    } while (0)

/* A sparse matrix with its own storage, loaded from JSON. */
typedef struct {
    tsr_sparse m;
    size_t row_ptr[CAP + 1];
    tsr_pair pairs[CAP];
} sp_buf;

static void sp_init_out(sp_buf *b)
{
    memset(&b->m, 0, sizeof b->m);
    b->m.row_ptr = b->row_ptr;
    b->m.pairs = b->pairs;
    b->m.cap = CAP;
}

static void sp_load(sp_buf *b, const json_t *v, size_t cols)
{
    static uint32_t col[CAP];
    static int64_t val[CAP];
    size_t rows;
    sp_init_out(b);
    ck_assert_int_eq(tsv_sparse(v, b->row_ptr, CAP, col, val, CAP, &rows), 0);
    for (size_t k = 0; k < b->row_ptr[rows]; k++) {
        b->pairs[k].col = col[k];
        b->pairs[k].val = val[k];
    }
    b->m.rows = rows;
    b->m.cols = cols;
    ck_assert_int_eq(tsr_sparse_validate(&b->m), TSR_OK);
}

/* Columns implied by a sparse JSON matrix: 1 + the largest column index (0 if none). */
static size_t sp_max_col(const json_t *v)
{
    size_t c = 0;
    for (size_t i = 0; i < json_array_size(v); i++) {
        const json_t *row = json_array_get(v, i);
        for (size_t j = 0; j < json_array_size(row); j++) {
            uint64_t x;
            ck_assert_int_eq(tsv_u64(json_array_get(json_array_get(row, j), 0), &x), 0);
            if (x + 1 > c)
                c = (size_t)x + 1;
        }
    }
    return c;
}

/* Compare a produced sparse matrix with the expected JSON, pair by pair, in stored order. */
static void sp_expect(const tsr_sparse *got, const json_t *want, size_t case_i)
{
    sp_buf w;
    sp_load(&w, want, got->cols > sp_max_col(want) ? got->cols : sp_max_col(want));
    ck_assert_msg(got->rows == w.m.rows, "case %zu: rows %zu vs %zu", case_i, got->rows, w.m.rows);
    for (size_t i = 0; i <= got->rows; i++)
        ck_assert_msg(got->row_ptr[i] == w.row_ptr[i], "case %zu: row_ptr[%zu]", case_i, i);
    for (size_t k = 0; k < w.row_ptr[w.m.rows]; k++) {
        ck_assert_msg(got->pairs[k].col == w.pairs[k].col, "case %zu pair %zu col", case_i, k);
        ck_assert_msg(got->pairs[k].val == w.pairs[k].val, "case %zu pair %zu: %lld vs %lld",
                      case_i, k, (long long)got->pairs[k].val, (long long)w.pairs[k].val);
    }
}

static void dense_load(const json_t *v, int64_t *out, size_t *rows, size_t *cols)
{
    ck_assert_int_eq(tsv_i64_matrix(v, out, CAP, rows, cols), 0);
}

START_TEST(test_tv01)
{
    tsv_file f;
    size_t run = 0;
    OPEN(f, "tv01_vec_max_upscale_to_u16");
    for (size_t i = 0; i < f.ncases; i++, run++) {
        int64_t x[64];
        uint16_t want[64], got[64];
        size_t n, nw;
        ck_assert_int_eq(tsv_i64_array(tsv_in(&f, i, "x"), x, 64, &n), 0);
        ck_assert_int_eq(tsv_u16_array(tsv_out(&f, i), want, 64, &nw), 0);
        ck_assert_uint_eq(n, nw);
        tsr_vec_max_upscale_to_u16(x, n, got);
        for (size_t k = 0; k < n; k++)
            ck_assert_msg(got[k] == want[k], "case %zu [%zu]: %u vs %u", i, k, got[k], want[k]);
    }
    ck_assert_uint_eq(run, f.ncases);
    tsv_close(&f);
}
END_TEST

START_TEST(test_tv02)
{
    tsv_file f;
    size_t run = 0;
    OPEN(f, "tv02_vec_u16_max_upscale_to_u16");
    for (size_t i = 0; i < f.ncases; i++, run++) {
        uint16_t x[64], want[64];
        size_t n, nw;
        ck_assert_int_eq(tsv_u16_array(tsv_in(&f, i, "x"), x, 64, &n), 0);
        ck_assert_int_eq(tsv_u16_array(tsv_out(&f, i), want, 64, &nw), 0);
        ck_assert_uint_eq(n, nw);
        tsr_vec_u16_max_upscale_to_u16(x, n, x); /* in place */
        for (size_t k = 0; k < n; k++)
            ck_assert_uint_eq(x[k], want[k]);
    }
    ck_assert_uint_eq(run, f.ncases);
    tsv_close(&f);
    /* spec §2.6 example */
    uint16_t w[2] = {43690, 21845};
    tsr_vec_u16_max_upscale_to_u16(w, 2, w);
    ck_assert_uint_eq(w[0], 65535);
    ck_assert_uint_eq(w[1], 32768);
}
END_TEST

START_TEST(test_tv03)
{
    tsv_file f;
    size_t run = 0;
    OPEN(f, "tv03_check_vec_max_limited");
    for (size_t i = 0; i < f.ncases; i++, run++) {
        uint16_t w[64], lim;
        size_t n;
        int want;
        ck_assert_int_eq(tsv_u16_array(tsv_in(&f, i, "weights"), w, 64, &n), 0);
        ck_assert_int_eq(tsv_u16(tsv_in(&f, i, "max_limit"), &lim), 0);
        ck_assert_int_eq(tsv_bool(tsv_out(&f, i), &want), 0);
        ck_assert_msg(tsr_check_vec_max_limited(w, n, lim) == (want != 0), "case %zu", i);
    }
    ck_assert_uint_eq(run, f.ncases);
    tsv_close(&f);
}
END_TEST

START_TEST(test_tv06)
{
    tsv_file f;
    size_t run = 0, ws[128];
    OPEN(f, "tv06_is_topk");
    for (size_t i = 0; i < f.ncases; i++, run++) {
        int64_t x[64];
        int want[64];
        bool got[64];
        uint64_t k;
        size_t n, nw;
        ck_assert_int_eq(tsv_i64_array(tsv_in(&f, i, "x"), x, 64, &n), 0);
        ck_assert_int_eq(tsv_u64(tsv_in(&f, i, "k"), &k), 0);
        ck_assert_int_eq(tsv_bool_array(tsv_out(&f, i), want, 64, &nw), 0);
        ck_assert_uint_eq(n, nw);
        ck_assert(tsr_is_topk_ws_size(n) <= sizeof ws);
        ck_assert_int_eq(tsr_is_topk(x, n, (size_t)k, got, ws), TSR_OK);
        for (size_t j = 0; j < n; j++)
            ck_assert_msg(got[j] == (want[j] != 0), "case %zu [%zu]", i, j);
    }
    ck_assert_uint_eq(run, f.ncases);
    tsv_close(&f);
    /* is_topk_nonzero: zeros never get a permit; among equal values the higher index wins */
    int64_t v[5] = {0, 3, 3, 0, 1};
    bool out[5];
    ck_assert_int_eq(tsr_is_topk_nonzero(v, 5, 2, out, ws), TSR_OK);
    ck_assert(!out[0] && out[1] && out[2] && !out[3] && !out[4]);
    ck_assert_int_eq(tsr_is_topk_nonzero(v, 5, 9, out, ws), TSR_OK); /* n < k */
    ck_assert(!out[0] && out[1] && out[2] && !out[3] && out[4]);
    int64_t t[3] = {5, 5, 5};
    ck_assert_int_eq(tsr_is_topk(t, 3, 1, out, ws), TSR_OK);
    ck_assert(!out[0] && !out[1] && out[2]);
}
END_TEST

START_TEST(test_tv07)
{
    tsv_file f;
    size_t run = 0;
    OPEN(f, "tv07_vecdiv");
    for (size_t i = 0; i < f.ncases; i++, run++) {
        int64_t x[64], y[64], want[64], got[64];
        size_t n, ny, nw;
        ck_assert_int_eq(tsv_i64_array(tsv_in(&f, i, "x"), x, 64, &n), 0);
        ck_assert_int_eq(tsv_i64_array(tsv_in(&f, i, "y"), y, 64, &ny), 0);
        ck_assert_int_eq(tsv_i64_array(tsv_out(&f, i), want, 64, &nw), 0);
        ck_assert(n == ny && n == nw);
        tsr_vecdiv(x, y, n, got);
        for (size_t k = 0; k < n; k++)
            ck_assert_int_eq(got[k], want[k]);
    }
    ck_assert_uint_eq(run, f.ncases);
    tsv_close(&f);
}
END_TEST

START_TEST(test_tv08)
{
    static const char *names[] = {"tv08_matmul", "tv08_matmul_transpose", "tv08_matmul_sparse",
                                  "tv08_matmul_transpose_sparse"};
    static int64_t m[CAP];
    for (int which = 0; which < 4; which++) {
        tsv_file f;
        size_t run = 0;
        OPEN(f, names[which]);
        for (size_t i = 0; i < f.ncases; i++, run++) {
            int64_t v[64], want[64], got[64];
            size_t nv, nw, rows, cols;
            ck_assert_int_eq(tsv_i64_array(tsv_in(&f, i, "vector"), v, 64, &nv), 0);
            ck_assert_int_eq(tsv_i64_array(tsv_out(&f, i), want, 64, &nw), 0);
            if (which < 2) {
                dense_load(tsv_in(&f, i, "matrix"), m, &rows, &cols);
                if (which == 0)
                    tsr_matmul(m, rows, cols, v, got);
                else
                    tsr_matmul_transpose(m, rows, cols, v, got);
            } else {
                sp_buf s;
                uint64_t c = nv; /* transpose: columns = vector length */
                if (which == 2)
                    ck_assert_int_eq(tsv_u64(tsv_in(&f, i, "columns"), &c), 0);
                sp_load(&s, tsv_in(&f, i, "matrix"), (size_t)c);
                if (which == 2)
                    tsr_matmul_sparse(&s.m, v, got);
                else
                    tsr_matmul_transpose_sparse(&s.m, v, got);
            }
            for (size_t k = 0; k < nw; k++)
                ck_assert_msg(got[k] == want[k], "%s case %zu [%zu]", names[which], i, k);
        }
        ck_assert_uint_eq(run, f.ncases);
        tsv_close(&f);
    }
}
END_TEST

START_TEST(test_tv09)
{
    tsv_file f;
    size_t run = 0;
    static int64_t m[CAP], want[CAP];
    OPEN(f, "tv09_inplace_col_clip");
    for (size_t i = 0; i < f.ncases; i++, run++) {
        int64_t th[64];
        size_t nt, rows, cols, wr, wc;
        dense_load(tsv_in(&f, i, "matrix"), m, &rows, &cols);
        dense_load(tsv_out(&f, i), want, &wr, &wc);
        ck_assert_int_eq(tsv_i64_array(tsv_in(&f, i, "threshold"), th, 64, &nt), 0);
        ck_assert(nt == cols && wr == rows && wc == cols);
        tsr_inplace_col_clip(m, rows, cols, th);
        for (size_t k = 0; k < rows * cols; k++)
            ck_assert_int_eq(m[k], want[k]);
    }
    ck_assert_uint_eq(run, f.ncases);
    tsv_close(&f);

    OPEN(f, "tv09_col_clip_sparse");
    run = 0;
    for (size_t i = 0; i < f.ncases; i++, run++) {
        int64_t th[64];
        size_t nt;
        sp_buf in, out;
        ck_assert_int_eq(tsv_i64_array(tsv_in(&f, i, "threshold"), th, 64, &nt), 0);
        sp_load(&in, tsv_in(&f, i, "matrix"), nt);
        sp_init_out(&out);
        ck_assert_int_eq(tsr_col_clip_sparse(&in.m, th, &out.m), TSR_OK);
        sp_expect(&out.m, tsv_out(&f, i), i);
    }
    ck_assert_uint_eq(run, f.ncases);
    tsv_close(&f);
}
END_TEST

START_TEST(test_tv10)
{
    tsv_file f;
    size_t run = 0;
    OPEN(f, "tv10_weighted_median");
    for (size_t i = 0; i < f.ncases; i++, run++) {
        int64_t stake[64], score[64], minority, lo, hi, want;
        size_t n, ns, idx[64];
        ck_assert_int_eq(tsv_i64_array(tsv_in(&f, i, "stake"), stake, 64, &n), 0);
        ck_assert_int_eq(tsv_i64_array(tsv_in(&f, i, "score"), score, 64, &ns), 0);
        ck_assert_int_eq(tsv_i64(tsv_in(&f, i, "minority"), &minority), 0);
        ck_assert_int_eq(tsv_i64(tsv_in(&f, i, "lo"), &lo), 0);
        ck_assert_int_eq(tsv_i64(tsv_in(&f, i, "hi"), &hi), 0);
        ck_assert_int_eq(tsv_i64(tsv_out(&f, i), &want), 0);
        ck_assert_uint_eq(n, ns);
        for (size_t k = 0; k < n; k++)
            idx[k] = k;
        ck_assert_msg(tsr_weighted_median(stake, score, idx, n, minority, lo, hi) == want,
                      "case %zu", i);
    }
    ck_assert_uint_eq(run, f.ncases);
    tsv_close(&f);
}
END_TEST

START_TEST(test_tv11)
{
    static int64_t w[CAP];
    static char ws[16384];
    tsv_file f;
    size_t run = 0;
    OPEN(f, "tv11_weighted_median_col");
    for (size_t i = 0; i < f.ncases; i++, run++) {
        int64_t stake[64], majority, want[64], got[64];
        size_t n, nw, rows, cols;
        ck_assert_int_eq(tsv_i64_array(tsv_in(&f, i, "stake"), stake, 64, &n), 0);
        dense_load(tsv_in(&f, i, "weights"), w, &rows, &cols);
        ck_assert_int_eq(tsv_i64(tsv_in(&f, i, "majority"), &majority), 0);
        ck_assert_int_eq(tsv_i64_array(tsv_out(&f, i), want, 64, &nw), 0);
        if (n == 0)
            rows = cols = 0; /* the chain takes columns from the first row only if rows > 0 */
        ck_assert(rows == n && cols == nw);
        ck_assert(tsr_weighted_median_col_ws_size(rows) <= sizeof ws);
        ck_assert_int_eq(tsr_weighted_median_col(stake, w, rows, cols, majority, got, ws), 0);
        for (size_t k = 0; k < nw; k++)
            ck_assert_msg(got[k] == want[k], "case %zu [%zu]", i, k);
    }
    ck_assert_uint_eq(run, f.ncases);
    tsv_close(&f);

    OPEN(f, "tv11_weighted_median_col_sparse");
    run = 0;
    for (size_t i = 0; i < f.ncases; i++, run++) {
        int64_t stake[64], majority, want[64], got[64];
        uint64_t cols;
        size_t n, nw;
        sp_buf s;
        ck_assert_int_eq(tsv_i64_array(tsv_in(&f, i, "stake"), stake, 64, &n), 0);
        ck_assert_int_eq(tsv_u64(tsv_in(&f, i, "columns"), &cols), 0);
        ck_assert_int_eq(tsv_i64(tsv_in(&f, i, "majority"), &majority), 0);
        ck_assert_int_eq(tsv_i64_array(tsv_out(&f, i), want, 64, &nw), 0);
        sp_load(&s, tsv_in(&f, i, "weights"), (size_t)cols);
        if (n == 0)
            s.m.rows = 0; /* [[]] with no stake: the chain iterates stake.len() rows */
        ck_assert(s.m.rows == n && cols == nw);
        ck_assert(tsr_weighted_median_col_sparse_ws_size(n, cols, tsr_sparse_nnz(&s.m)) <=
                  sizeof ws);
        ck_assert_int_eq(tsr_weighted_median_col_sparse(stake, &s.m, majority, got, ws), 0);
        for (size_t k = 0; k < nw; k++)
            ck_assert_msg(got[k] == want[k], "sparse case %zu [%zu]", i, k);
    }
    ck_assert_uint_eq(run, f.ncases);
    tsv_close(&f);
}
END_TEST

START_TEST(test_tv13)
{
    static int64_t nm[CAP], om[CAP], am[CAP], want[CAP], got[CAP];
    static char ws[8192];
    tsv_file f;
    size_t run = 0;
    OPEN(f, "tv13_mat_ema_alpha");
    for (size_t i = 0; i < f.ncases; i++, run++) {
        size_t r1, c1, r2, c2, r3, c3, rw, cw;
        dense_load(tsv_in(&f, i, "new"), nm, &r1, &c1);
        dense_load(tsv_in(&f, i, "old"), om, &r2, &c2);
        dense_load(tsv_in(&f, i, "alpha"), am, &r3, &c3);
        dense_load(tsv_out(&f, i), want, &rw, &cw);
        ck_assert(r1 == r2 && r1 == r3 && c1 == c2 && c1 == c3);
        tsr_mat_ema_alpha(nm, om, am, r1, c1, got);
        ck_assert_uint_eq(r1 * c1, rw * cw); /* [] in gives [[]] out: no elements either way */
        for (size_t k = 0; k < rw * cw; k++)
            ck_assert_msg(got[k] == want[k], "case %zu [%zu]", i, k);
    }
    ck_assert_uint_eq(run, f.ncases);
    tsv_close(&f);

    OPEN(f, "tv13_mat_ema_alpha_sparse");
    run = 0;
    for (size_t i = 0; i < f.ncases; i++, run++) {
        size_t ra, ca;
        sp_buf nw, ol, out;
        dense_load(tsv_in(&f, i, "alpha"), am, &ra, &ca);
        sp_load(&nw, tsv_in(&f, i, "new"), ca);
        sp_load(&ol, tsv_in(&f, i, "old"), ca);
        sp_init_out(&out);
        ck_assert(tsr_mat_ema_alpha_sparse_ws_size(ca) <= sizeof ws);
        ck_assert_int_eq(tsr_mat_ema_alpha_sparse(&nw.m, &ol.m, am, ca, &out.m, ws), TSR_OK);
        sp_expect(&out.m, tsv_out(&f, i), i);
    }
    ck_assert_uint_eq(run, f.ncases);
    tsv_close(&f);
}
END_TEST

START_TEST(test_tv14)
{
    static int64_t m1[CAP], m2[CAP], want[CAP], got[CAP];
    static char ws[8192];
    tsv_file f;
    size_t run = 0;
    OPEN(f, "tv14_interpolate");
    for (size_t i = 0; i < f.ncases; i++, run++) {
        size_t r1, c1, r2, c2, rw, cw;
        int64_t ratio;
        dense_load(tsv_in(&f, i, "mat1"), m1, &r1, &c1);
        dense_load(tsv_in(&f, i, "mat2"), m2, &r2, &c2);
        dense_load(tsv_out(&f, i), want, &rw, &cw);
        ck_assert_int_eq(tsv_i64(tsv_in(&f, i, "ratio"), &ratio), 0);
        ck_assert(r1 == r2 && c1 == c2 && rw == r1 && cw == c1);
        tsr_interpolate(m1, m2, r1, c1, ratio, got);
        for (size_t k = 0; k < r1 * c1; k++)
            ck_assert_msg(got[k] == want[k], "case %zu [%zu]", i, k);
    }
    ck_assert_uint_eq(run, f.ncases);
    tsv_close(&f);

    OPEN(f, "tv14_interpolate_sparse");
    run = 0;
    for (size_t i = 0; i < f.ncases; i++, run++) {
        uint64_t cols;
        int64_t ratio;
        sp_buf a, b, out;
        ck_assert_int_eq(tsv_u64(tsv_in(&f, i, "columns"), &cols), 0);
        ck_assert_int_eq(tsv_i64(tsv_in(&f, i, "ratio"), &ratio), 0);
        sp_load(&a, tsv_in(&f, i, "mat1"), (size_t)cols);
        sp_load(&b, tsv_in(&f, i, "mat2"), (size_t)cols);
        sp_init_out(&out);
        ck_assert(tsr_interpolate_sparse_ws_size(cols) <= sizeof ws);
        ck_assert_int_eq(tsr_interpolate_sparse(&a.m, &b.m, ratio, &out.m, ws), TSR_OK);
        sp_expect(&out.m, tsv_out(&f, i), i);
    }
    ck_assert_uint_eq(run, f.ncases);
    tsv_close(&f);
}
END_TEST

/* Behaviour the vectors do not pin down. */
START_TEST(test_sparse_hand)
{
    static char ws[4096];
    /* row 0: (2, 0.5), (0, 0) -- unsorted, with a zero pair; row 1: (1, 2.0) */
    size_t rp[3] = {0, 2, 3};
    tsr_pair pr[3] = {{2, ONE / 2}, {0, 0}, {1, 2 * ONE}};
    tsr_sparse m = {2, 3, rp, pr, 3};
    ck_assert_int_eq(tsr_sparse_validate(&m), TSR_OK);
    ck_assert_uint_eq(tsr_sparse_nnz(&m), 3);
    /* clip keeps order and zero pairs; a pair clipped to 0 disappears */
    int64_t th[3] = {ONE, 0, ONE / 4};
    sp_buf out;
    sp_init_out(&out);
    ck_assert_int_eq(tsr_col_clip_sparse(&m, th, &out.m), TSR_OK);
    ck_assert_uint_eq(out.row_ptr[1], 2);
    ck_assert_uint_eq(out.pairs[0].col, 2);
    ck_assert_int_eq(out.pairs[0].val, ONE / 4);
    ck_assert_uint_eq(out.pairs[1].col, 0);
    ck_assert_int_eq(out.pairs[1].val, 0);
    ck_assert_uint_eq(out.row_ptr[2], 2); /* (1, 2.0) clipped to threshold 0: dropped */
    /* row sums */
    int64_t rs[2];
    tsr_row_sum_sparse(&m, rs);
    ck_assert_int_eq(rs[0], ONE / 2);
    ck_assert_int_eq(rs[1], 2 * ONE);
    /* ratio 1 / 0 copy with order and zeros; in between: ascending columns, only v > 0 */
    ck_assert_int_eq(tsr_interpolate_sparse(&m, &m, ONE, &out.m, ws), TSR_OK);
    ck_assert_uint_eq(out.row_ptr[2], 3);
    ck_assert_uint_eq(out.pairs[0].col, 2);
    ck_assert_int_eq(tsr_interpolate_sparse(&m, &m, ONE / 2, &out.m, ws), TSR_OK);
    ck_assert_uint_eq(out.row_ptr[1], 1); /* the zero pair does not survive densify */
    ck_assert_uint_eq(out.pairs[0].col, 2);
    /* capacity errors */
    tsr_sparse small = out.m;
    small.cap = 1;
    ck_assert_int_eq(tsr_col_clip_sparse(&m, th, &small), TSR_ECAPACITY);
    ck_assert_int_eq(tsr_interpolate_sparse(&m, &m, ONE / 2, &small, ws), TSR_ECAPACITY);
    ck_assert_int_eq(tsr_interpolate_sparse(&m, &m, 0, &small, ws), TSR_ECAPACITY);
    /* malformed input */
    tsr_pair bad[1] = {{3, ONE}};
    size_t brp[2] = {0, 1};
    tsr_sparse b = {1, 3, brp, bad, 1};
    ck_assert_int_eq(tsr_sparse_validate(&b), TSR_EINVAL);
    ck_assert_int_eq(tsr_col_clip_sparse(&b, th, &out.m), TSR_EINVAL);
    size_t brp2[3] = {0, 2, 1};
    tsr_sparse b2 = {2, 3, brp2, pr, 3};
    ck_assert_int_eq(tsr_sparse_validate(&b2), TSR_EINVAL);
    /* weighted median: a duplicate column in a row, the later pair wins */
    size_t drp[2] = {0, 2};
    tsr_pair dp[2] = {{0, ONE / 4}, {0, ONE}};
    tsr_sparse d = {1, 1, drp, dp, 2};
    int64_t stake1[1] = {ONE}, med[1];
    ck_assert_int_eq(tsr_weighted_median_col_sparse(stake1, &d, ONE / 2, med, ws), TSR_OK);
    ck_assert_int_eq(med[0], ONE);
    /* normalisation */
    int64_t v[3] = {ONE, 2 * ONE, ONE};
    tsr_inplace_normalize(v, 3);
    ck_assert_int_eq(v[0], ONE / 4);
    ck_assert_int_eq(v[1], ONE / 2);
    int64_t z[2] = {0, 0};
    tsr_inplace_normalize(z, 2);
    ck_assert_int_eq(z[0], 0);
    /* spec §2.3 [derived]: stakes [1,2,3,4] normalised in I64F64 then truncated to I32F32 */
    static const int64_t want_stake[4] = {429496729, 858993459, 1288490188, 1717986918};
    for (int i = 0; i < 4; i++) {
        tsr_i64f64 s = tsr_i64f64_safe_div(tsr_i64f64_from_int(i + 1), tsr_i64f64_from_int(10));
        ck_assert_int_eq(tsr_fixed64_to_fixed32(s), want_stake[i]);
    }
}
END_TEST

/* The sparse consensus equals the dense one on random matrices (zero = absent). */
START_TEST(test_median_sparse_vs_dense)
{
    enum { R = 12, C = 7 };
    static char ws1[8192], ws2[8192];
    uint64_t st = 31337;
    for (int t = 0; t < 300; t++) {
        int64_t stake[R], dense[R * C], a[C], b[C];
        size_t rp[R + 1];
        tsr_pair pr[R * C];
        size_t k = 0;
        rp[0] = 0;
        for (size_t i = 0; i < R; i++) {
            stake[i] = (rt_next(&st) % 3 == 0) ? 0 : (int64_t)(rt_next(&st) % (uint64_t)ONE);
            for (size_t j = 0; j < C; j++) {
                uint64_t x = rt_next(&st);
                dense[i * C + j] = (x % 3 == 0) ? 0 : (int64_t)((x >> 8) % (uint64_t)ONE);
            }
            /* pairs in a shuffled column order: order must not matter for the median */
            for (size_t s = 0; s < C; s++) {
                size_t j = (s * 3 + (size_t)t) % C;
                if (dense[i * C + j] != 0)
                    pr[k++] = (tsr_pair){(uint32_t)j, dense[i * C + j]};
            }
            rp[i + 1] = k;
        }
        tsr_sparse m = {R, C, rp, pr, k};
        int64_t majority = (int64_t)(rt_next(&st) % (uint64_t)ONE);
        ck_assert_int_eq(tsr_weighted_median_col(stake, dense, R, C, majority, a, ws1), 0);
        ck_assert_int_eq(tsr_weighted_median_col_sparse(stake, &m, majority, b, ws2), 0);
        for (size_t j = 0; j < C; j++)
            ck_assert_int_eq(a[j], b[j]);
    }
}
END_TEST

/* §2.12 / §2.18 helpers, hand-computed. */
START_TEST(test_epoch_helpers)
{
    static char ws[1024];
    /* vec_mul: checked, 0 on overflow */
    int64_t a[3] = {2 * ONE, ONE / 2, 65536 * ONE}, b[3] = {3 * ONE, ONE / 2, 65536 * ONE};
    int64_t c[3];
    tsr_vec_mul(a, b, 3, c);
    ck_assert_int_eq(c[0], 6 * ONE);
    ck_assert_int_eq(c[1], ONE / 4);
    ck_assert_int_eq(c[2], 0);
    /* rows: [(1, 1.0), (0, 3.0)], [(1, 3.0)]  (cols 2) */
    size_t rp[3] = {0, 2, 3};
    tsr_pair pr[3] = {{1, ONE}, {0, 3 * ONE}, {1, 3 * ONE}};
    tsr_sparse m = {2, 2, rp, pr, 3};
    /* column normalise: col 0 sum 3 -> 1.0; col 1 sum 4 -> 0.25, 0.75; order kept */
    ck_assert_int_eq(tsr_inplace_col_normalize_sparse(&m, ws), TSR_OK);
    ck_assert_uint_eq(pr[0].col, 1);
    ck_assert_int_eq(pr[0].val, ONE / 4);
    ck_assert_int_eq(pr[1].val, ONE);
    ck_assert_int_eq(pr[2].val, 3 * ONE / 4);
    /* column max-upscale: col 1 max 0.75 -> 0.25 / 0.75 = trunc(2^32 / 3), 1.0 */
    ck_assert_int_eq(tsr_inplace_col_max_upscale_sparse(&m, ws), TSR_OK);
    ck_assert_int_eq(pr[0].val, 1431655765);
    ck_assert_int_eq(pr[1].val, ONE);
    ck_assert_int_eq(pr[2].val, ONE);
    /* row hadamard with v = [0.5, 2] */
    int64_t v[2] = {ONE / 2, 2 * ONE};
    tsr_row_hadamard_sparse(&m, v);
    ck_assert_int_eq(pr[0].val, 715827882); /* floor(1431655765 / 2) */
    ck_assert_int_eq(pr[1].val, ONE / 2);
    ck_assert_int_eq(pr[2].val, 2 * ONE);
    /* fixed-alpha EMA with alpha = 0.1 (raw 429496730): new row 0 (1, 1.0); old row 0 (0, 1.0),
     * (1, 1.0); row 1 empty in both. acc_0 = 0.9 (*) 1.0, acc_1 = 0.1 + 0.9 = 1.0 - 0 */
    size_t nrp[3] = {0, 1, 1}, orp[3] = {0, 2, 2};
    tsr_pair np[1] = {{1, ONE}}, op[2] = {{1, ONE}, {0, ONE}};
    tsr_sparse nm = {2, 2, nrp, np, 1}, om = {2, 2, orp, op, 2};
    sp_buf out;
    sp_init_out(&out);
    int64_t alpha = tsr_bonds_moving_average_alpha(900000);
    ck_assert_int_eq(tsr_mat_ema_sparse(&nm, &om, alpha, &out.m, ws), TSR_OK);
    ck_assert_uint_eq(out.row_ptr[1], 2);
    ck_assert_uint_eq(out.row_ptr[2], 2);
    ck_assert_uint_eq(out.pairs[0].col, 0); /* ascending columns */
    ck_assert_int_eq(out.pairs[0].val, ONE - 429496730);
    ck_assert_uint_eq(out.pairs[1].col, 1);
    ck_assert_int_eq(out.pairs[1].val, ONE);
    tsr_sparse small = out.m;
    small.cap = 1;
    ck_assert_int_eq(tsr_mat_ema_sparse(&nm, &om, alpha, &small, ws), TSR_ECAPACITY);
}
END_TEST

/* ---- is_topk against its definition ----------------------------------------------------------
 * The reference is written from the definition, not from the library's algorithm: index i is
 * in the stable ascending order at rank(i) = #{j : x_j < x_i} + #{j < i : x_j == x_i}, and it is
 * excluded iff rank(i) < n - k (nothing is excluded when k >= n). O(n^2), so sizes stay small. */

static uint64_t topk_rng(uint64_t *s)
{
    uint64_t x = *s; /* xorshift64 (Marsaglia), fixed seed: the same inputs on every run */
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

static void topk_ref(const int64_t *x, size_t n, size_t k, bool nonzero, bool *want)
{
    for (size_t i = 0; i < n; i++) {
        size_t rank = 0;
        for (size_t j = 0; j < n; j++)
            rank += x[j] < x[i] || (j < i && x[j] == x[i]);
        bool kept = k >= n || rank >= n - k;
        want[i] = kept && (!nonzero || x[i] != 0);
    }
}

/* Fill x by one of several value distributions; most make ties frequent (small ranges, runs,
 * sorted and reversed stretches that a pivot rule may handle badly), two use the full int64
 * range including negatives and the extremes. */
static void topk_fill(uint64_t *s, int64_t *x, size_t n)
{
    static const int64_t ext[4] = {INT64_MIN, INT64_MAX, 0, -1};
    uint64_t mode = topk_rng(s) % 8, r = 1 + topk_rng(s) % 6;
    for (size_t i = 0; i < n; i++) {
        uint64_t u = topk_rng(s);
        switch (mode) {
        case 0: /* tiny range around 0: ties everywhere */
        case 1:
            x[i] = (int64_t)(u % (2 * r + 1)) - (int64_t)r;
            break;
        case 2: /* full range, negatives included */
            x[i] = (int64_t)u;
            break;
        case 3: /* full range salted with the extremes, 0 and -1 */
            x[i] = (u & 3) == 0 ? ext[(u >> 2) & 3] : (int64_t)u;
            break;
        case 4: /* ascending runs of equal values */
            x[i] = (int64_t)(i / r);
            break;
        case 5: /* descending runs of equal values, negative */
            x[i] = -(int64_t)(i / r);
            break;
        case 6: /* organ pipe with small noise */
            x[i] = (int64_t)(i < n / 2 ? i : n - i) + (int64_t)(u % 2);
            break;
        default: /* few distinct values spread over the whole range */
            x[i] = ext[u % 2] / (int64_t)(1 + (u >> 1) % r);
            break;
        }
    }
}

/* Run both entry points on x with a workspace of exactly tsr_is_topk_ws_size(n) bytes and
 * outputs of exactly n entries (heap, so ASan sees any overrun), against the reference.
 * Compares in plain C and calls Check only on a mismatch: every ck_assert is a write to
 * Check's pipe, which would dominate 120k cases. */
static void topk_check_case(const int64_t *x, size_t n, size_t k, const char *what)
{
    size_t wsz = tsr_is_topk_ws_size(n);
    void *ws = malloc(wsz ? wsz : 1);
    bool *got = malloc(n ? n : 1), *want = malloc(n ? n : 1);
    if (!ws || !got || !want || wsz > 2 * n * sizeof(size_t))
        ck_abort_msg("%s: n=%zu: allocation failed or workspace grew to %zu", what, n, wsz);
    for (int nz = 0; nz < 2; nz++) {
        int rc = nz ? tsr_is_topk_nonzero(x, n, k, got, ws) : tsr_is_topk(x, n, k, got, ws);
        if (rc != TSR_OK)
            ck_abort_msg("%s: n=%zu k=%zu nonzero=%d: rc %d", what, n, k, nz, rc);
        topk_ref(x, n, k, nz != 0, want);
        for (size_t i = 0; i < n; i++)
            if (got[i] != want[i])
                ck_abort_msg("%s: n=%zu k=%zu nonzero=%d [%zu] got %d want %d", what, n, k, nz, i,
                             (int)got[i], (int)want[i]);
    }
    free(ws);
    free(got);
    free(want);
}

START_TEST(test_topk_random)
{
    /* 120k cases: a quarter with n uniform in 0..300, the rest in 0..40 where k and n meet
     * all their edges often; k uniform in 0..n+2. */
    uint64_t s = 0x9E3779B97F4A7C15u;
    int64_t x[301];
    size_t big = 0, run = 0;
    for (size_t c = 0; c < 120000; c++, run++) {
        size_t n = (size_t)(topk_rng(&s) % (c % 4 == 0 ? 301 : 41));
        size_t k = (size_t)(topk_rng(&s) % (n + 3));
        topk_fill(&s, x, n);
        topk_check_case(x, n, k, "random");
        big += n > 200;
    }
    ck_assert_uint_eq(run, 120000);
    ck_assert_uint_gt(big, 5000); /* the long arrays were really drawn */
}
END_TEST

static void topk_expect(const int64_t *x, size_t n, size_t k, const char *kept)
{
    bool got[64];
    size_t ws[128];
    ck_assert_uint_le(n, 64);
    ck_assert_uint_eq(strlen(kept), n);
    ck_assert_int_eq(tsr_is_topk(x, n, k, got, ws), TSR_OK);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(got[i] == (kept[i] == '1'), "n=%zu k=%zu [%zu]", n, k, i);
}

START_TEST(test_topk_hand)
{
    bool out[4];
    size_t ws[8];
    /* n = 0 needs no storage at all */
    ck_assert_int_eq(tsr_is_topk(NULL, 0, 0, NULL, NULL), TSR_OK);
    ck_assert_int_eq(tsr_is_topk_nonzero(NULL, 0, 3, NULL, NULL), TSR_OK);
    ck_assert_uint_eq(tsr_is_topk_ws_size(0), 0);
    /* bad arguments are refused, not dereferenced */
    int64_t one[1] = {7};
    ck_assert_int_eq(tsr_is_topk(NULL, 1, 0, out, ws), TSR_EINVAL);
    ck_assert_int_eq(tsr_is_topk(one, 1, 0, NULL, ws), TSR_EINVAL);
    ck_assert_int_eq(tsr_is_topk(one, 1, 0, out, NULL), TSR_EINVAL);
    /* n = 1 */
    topk_expect(one, 1, 0, "0");
    topk_expect(one, 1, 1, "1");
    topk_expect(one, 1, 2, "1");
    /* extremes: stable order is [1]MIN [3]MIN [2]0 [0]MAX [4]MAX */
    int64_t e[5] = {INT64_MAX, INT64_MIN, 0, INT64_MIN, INT64_MAX};
    topk_expect(e, 5, 0, "00000");
    topk_expect(e, 5, 1, "00001");
    topk_expect(e, 5, 2, "10001");
    topk_expect(e, 5, 3, "10101");
    topk_expect(e, 5, 4, "10111");
    topk_expect(e, 5, 5, "11111");
    /* all equal, longer than the insertion-sort cutoff: the highest indices are kept */
    int64_t eq[20];
    for (size_t i = 0; i < 20; i++)
        eq[i] = -3;
    topk_expect(eq, 20, 5, "00000000000000011111");
    topk_expect(eq, 20, 19, "01111111111111111111");
    /* ties straddling the cut: 15 ones at even, 15 zeros at odd indices, keep 10: all zeros
     * and the first five ones go, the ones at 10, 12, .., 28 stay */
    int64_t alt[30];
    for (size_t i = 0; i < 30; i++)
        alt[i] = i % 2 == 0;
    topk_expect(alt, 30, 10, "000000000010101010101010101010");
    /* descending 40..1: the first k indices hold the largest values */
    int64_t desc[40];
    for (size_t i = 0; i < 40; i++)
        desc[i] = 40 - (int64_t)i;
    topk_expect(desc, 40, 10, "1111111111000000000000000000000000000000");
    /* the same cases through the random-case checker, nonzero variant included */
    topk_check_case(e, 5, 2, "extremes");
    topk_check_case(eq, 20, 5, "equal");
    topk_check_case(alt, 30, 10, "alternating");
    topk_check_case(desc, 40, 10, "descending");
}
END_TEST

/* An order that defeats the median-of-3 pivot, found with McIlroy's adversary against the
 * selection in tsr_math.c and written as a formula with e = n/4: positions p < e hold 2p,
 * position n/2 holds 1, the last e - 1 positions the odd values 2e - 1 down to 3, and the rest
 * 2e, 2e + 1, .. in order. Each partition then peels off about two elements, so the selection
 * runs out of rounds and falls back to the merge sort for most k (counted with an instrumented
 * copy when this was written: 31 of the 65 k at n = 64, 67 of 101 at n = 100, 215 of 257 at
 * n = 256, 259 of 301 at n = 300). The same again with every value halved, which makes pairs of
 * ties so that the fallback's tie order is checked too. Both are shifted down by n/8 (order
 * unchanged) to put a zero inside for the nonzero rule. */
static int64_t topk_killer(size_t n, size_t p)
{
    size_t e = n / 4;
    if (p < e)
        return (int64_t)(2 * p);
    if (p == n / 2)
        return 1;
    if (p >= n - e + 1)
        return (int64_t)(2 * e - 1 - 2 * (p - (n - e + 1)));
    return (int64_t)(e + p - (p > n / 2)); /* 2e + (p - e), one less past position n/2 */
}

START_TEST(test_topk_fallback)
{
    static const size_t sizes[] = {64, 100, 256, 300};
    int64_t x[300];
    for (size_t t = 0; t < sizeof sizes / sizeof sizes[0]; t++) {
        for (int64_t d = 1; d <= 2; d++) {
            size_t n = sizes[t];
            for (size_t p = 0; p < n; p++)
                x[p] = topk_killer(n, p) / d - (int64_t)(n / 8);
            for (size_t k = 0; k <= n + 2; k++)
                topk_check_case(x, n, k, d == 1 ? "median-of-3 killer" : "killer with ties");
        }
    }
}
END_TEST

Suite *suite_math(void)
{
    Suite *s = suite_create("math");
    TCase *tc = tcase_create("vectors");
    tcase_add_test(tc, test_tv01);
    tcase_add_test(tc, test_tv02);
    tcase_add_test(tc, test_tv03);
    tcase_add_test(tc, test_tv06);
    tcase_add_test(tc, test_tv07);
    tcase_add_test(tc, test_tv08);
    tcase_add_test(tc, test_tv09);
    tcase_add_test(tc, test_tv10);
    tcase_add_test(tc, test_tv11);
    tcase_add_test(tc, test_tv13);
    tcase_add_test(tc, test_tv14);
    suite_add_tcase(s, tc);
    TCase *th = tcase_create("hand");
    tcase_add_test(th, test_sparse_hand);
    tcase_add_test(th, test_median_sparse_vs_dense);
    tcase_add_test(th, test_epoch_helpers);
    suite_add_tcase(s, th);
    TCase *tk = tcase_create("topk");
    tcase_set_timeout(tk, 120); /* 120k O(n^2) reference cases; several seconds under ASan */
    tcase_add_test(tk, test_topk_hand);
    tcase_add_test(tk, test_topk_random);
    tcase_add_test(tk, test_topk_fallback);
    suite_add_tcase(s, tk);
    return s;
}
