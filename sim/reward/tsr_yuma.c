/* tsr_yuma.c: the Yuma Consensus epoch (tsr_yuma.h), following subtensor's `epoch_mechanism`
 * (spec bittensor §2.2-§2.14) step by step, so that every rounding, saturation, mask and pair
 * order happens where the chain's does. Section tags (§x.y) refer to spec/bittensor.md.
 *
 * Representation: the epoch's sparse matrices are tsr_sparse (tsr_math.h) carved from the
 * caller's workspace; rows keep the chain's pair order. Where the chain densifies a row to n
 * columns and scans it (bonds-penalty interpolation, fixed-alpha EMA) this file visits only
 * the row's touched columns, in ascending order, which yields the same pairs in the same order
 * (an untouched column holds 0 and is never emitted). Where the chain builds a dense n x n
 * liquid-alpha matrix, the alpha of a (row, column) is computed only where it is read.
 *
 * Speed without changing a bit: I32F32 operations on non-negative operands take inline fast
 * paths (nn_mul, nn_add where every operand is provably >= 0); a divisor used many times (row
 * and column sums, column maxima) is divided through an exact reciprocal with one branch-free
 * correction (fdiv; fdiv_nz for "divide where non-zero"); the consensus median uses an
 * order-independent characterisation of the chain's loop, solved per column by bucketing the
 * scores' top bits (cmed_solve) and, when the staked rows share their columns, read in place
 * (cons_aligned); liquid alpha is memoised by its only input d; several of the chain's passes
 * are fused: the ranks' products are original Yuma's row_hadamard (clip_trust_ranks), the EMA
 * takes its column sums and maxima as it emits, and one last pass over the EMA normalises it,
 * accumulates the dividends and writes the stored bonds (bonds_original, bonds_yuma3); an EMA
 * row whose new and old rows hold the same ascending columns (the steady state) skips the dense
 * accumulator (same_cols); the consensus skips its duplicate-pair filter when no row holds a
 * column twice. Each of these is compared with the reference operation in the unit tests
 * (tsr_yuma_int.h, check_yuma_props.c).
 * Aligned steady state (the usual subnet: every validator weights the same ascending miner
 * columns, and the stored bonds are the previous EMA with those columns): load_weights and
 * clip_trust_ranks record that the rows are aligned, which spares the consensus and the EMA
 * their column comparisons, and the EMA and dividends then run over a dense row-major matrix
 * with each column's dividers gathered once (bonds_original_aligned; Yuma3 keeps its per-row
 * path). Where a bound is proved once for a whole row or column (every numerator at most its
 * divisor's saturating sum, every factor at most 1.0 with one below it), divisions skip the
 * range test (fdiv_in), products are 64-bit and sums cannot saturate; each proof is stated at
 * its use. tsr__yuma_epoch_ref runs the epoch with all of these off, and test_fast_paths.c
 * compares the two byte for byte over thousands of seeded epochs.
 *
 * Invariants: nothing is allocated, nothing global is written, the inputs are never modified;
 * every I32F32 operation is the chain's (floor products, truncating quotients, saturating
 * where the chain saturates, wrapping where it uses plain `+`).
 * Cost: O(n log n + nnz_weights + nnz_bonds) per epoch, plus a sort of each row's touched
 * columns where the chain densifies, plus one fixed-point exp per distinct liquid-alpha input.
 */
#include "tsr_yuma.h"

#include <stdlib.h>
#include <string.h>

#include "tsr_err.h"
#include "tsr_math.h"
#include "tsr_yuma_int.h"
#include "tsr_yuma_vec.h"

#define ONE TSR_I32F32_ONE

#if defined(__GNUC__)
#define TSR__NOINLINE __attribute__((noinline))
#else
#define TSR__NOINLINE
#endif

/* Memo of alpha by d (below): alpha depends on (c, w, b) only through d, and d = 0 (weight at
 * or below consensus, or bond at or below weight) is frequent. A direct-mapped table keyed by
 * d (tsr_yuma_vec.h, which the aligned Yuma3 kernel reads too); a hit returns the value a miss
 * would compute, so the memo changes no result. */
#define TSR__AMEMO TSR__YV_MEMO
typedef tsr__yvmemo amemo;

/* ================================ fast I32F32 ================================================ */

/* saturating_mul (spec §1.2): the full product floored by 32 bits. */
static inline tsr_i32f32 fx_mul(tsr_i32f32 a, tsr_i32f32 b)
{
    if (a >= 0 && b >= 0) {
        tsr_u128 p = tsr_u128_mul64((uint64_t)a, (uint64_t)b);
        if (p.hi >> 31) /* p >= 2^95: the floored product exceeds INT64_MAX */
            return TSR_I32F32_MAX;
        return (int64_t)((p.hi << 32) | (p.lo >> 32));
    }
    return tsr_i32f32_sat_mul(a, b);
}

/* checked_mul with 0 on overflow (vec_mul, spec §2.18). */
static inline tsr_i32f32 fx_mul_or0(tsr_i32f32 a, tsr_i32f32 b)
{
    tsr_i32f32 r;
    if (a >= 0 && b >= 0) {
        tsr_u128 p = tsr_u128_mul64((uint64_t)a, (uint64_t)b);
        return (p.hi >> 31) ? 0 : (int64_t)((p.hi << 32) | (p.lo >> 32));
    }
    return tsr_i32f32_checked_mul(a, b, &r) ? 0 : r;
}

/* safe_div (spec §1.2): trunc((a << 32) / b); 0 for b == 0 or an overflowing quotient. When both
 * operands are whole numbers (u16 weights and bonds as integers, their sums) the common factor
 * 2^32 cancels exactly, so the quotient still needs only a 64-bit division. */
static inline tsr_i32f32 fx_div(tsr_i32f32 a, tsr_i32f32 b)
{
    if (a >= 0 && b > 0) {
        uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
        if (((ua | ub) & 0xFFFFFFFFu) == 0) {
            ua >>= 32;
            ub >>= 32;
        }
        if (ua < ((uint64_t)1 << 32)) { /* ua << 32 fits 64 bits */
            uint64_t q = (ua << 32) / ub;
            return q > (uint64_t)INT64_MAX ? 0 : (int64_t)q;
        }
    }
    return tsr_i32f32_safe_div(a, b);
}

/* safe_div by one divisor b for many numerators, with a precomputed reciprocal. With
 * inv = floor((2^64 - 1) / d) we have 2^64 - d <= inv d <= 2^64 - 1, so for x < 2^64 the
 * estimate q0 = floor(x inv / 2^64) satisfies x/d - 1 < x (2^64 - d) / (d 2^64) <= x inv / 2^64
 * < x / d: q0 is floor(x / d) or one less, and the remainder x - q0 d < 2d decides which, without
 * a branch. So the result is the exact truncating quotient.
 * x = a << 32 and d = b in general; when b is a whole number (b = d * 2^32) the 2^32 cancels and
 * x = a, d = b / 2^32. The fast path takes the numerators 0 <= a < lim: lim = 2^63 for x = a
 * (the quotient is at most a); for x = a << 32, lim = 2^32 (x < 2^64) when d >= 2, so the
 * quotient is below 2^64 / 2 = 2^63 and never overflows I32F32, and 2^31 when d = 1 (the same
 * bound). Other numerators, and b <= 0 (lim = 0), go to the generic division. */
typedef struct fdiv {
    tsr_i32f32 b; /* the divisor */
    uint64_t d;   /* reduced divisor, 0 when only the generic path applies (b <= 0) */
    uint64_t inv; /* floor((2^64 - 1) / d) */
    uint64_t lim; /* the fast path takes 0 <= a < lim (0: never) */
    unsigned sh;  /* 32: x = a << 32; 0: x = a (b whole) */
} fdiv;

static inline fdiv fdiv_of(tsr_i32f32 b)
{
    fdiv f;
    f.b = b;
    f.d = 0;
    f.inv = 0;
    f.lim = 0;
    f.sh = 32;
    if (b > 0) {
        uint64_t ub = (uint64_t)b;
        if ((ub & 0xFFFFFFFFu) == 0) {
            f.d = ub >> 32;
            f.sh = 0;
            f.lim = (uint64_t)1 << 63;
        } else {
            f.d = ub;
            f.lim = f.d >= 2 ? (uint64_t)1 << 32 : (uint64_t)1 << 31;
        }
        f.inv = UINT64_MAX / f.d;
    }
    return f;
}

/* The divider of "divide where the divisor is not 0" (the column normalisations and the
 * max-upscale, spec §2.18): fdiv_of(b) for b != 0, the identity for b == 0 (d = 1, x = a: the
 * estimate floor(a (2^64 - 1) / 2^64) is a - 1 for a >= 1 and the correction makes it a). */
static inline fdiv fdiv_nz(tsr_i32f32 b)
{
    fdiv f = fdiv_of(b);
    if (b == 0) {
        f.d = 1;
        f.sh = 0;
        f.inv = UINT64_MAX;
        f.lim = (uint64_t)1 << 63;
    }
    return f;
}

static inline tsr_i32f32 fdiv_do(const fdiv *f, tsr_i32f32 a)
{
    if ((uint64_t)a < f->lim) {
        uint64_t x = (uint64_t)a << f->sh;
        uint64_t q = tsr_u128_mul64(x, f->inv).hi;
        uint64_t r = x - q * f->d;                   /* < 2d <= 2^64: no wrap (q d <= x) */
        return (int64_t)(q + (uint64_t)(r >= f->d)); /* < 2^63 by lim */
    }
    if (f->b == 0) /* a < 0: fdiv_nz's identity, or fdiv_of(0)'s 0 */
        return f->d != 0 ? a : 0;
    return tsr_i32f32_safe_div(a, f->b);
}

/* fdiv_do(f, a) for 0 <= a < f->lim, the caller having proved the bound (for a whole column at
 * once): the reciprocal estimate and its correction without the range test. */
static inline tsr_i32f32 fdiv_in(const fdiv *f, tsr_i32f32 a)
{
    uint64_t x = (uint64_t)a << f->sh;
    uint64_t q = tsr_u128_mul64(x, f->inv).hi;
    return (int64_t)(q + (uint64_t)(x - q * f->d >= f->d));
}

/* Whether every numerator 0 <= a <= f->b takes fdiv_do's fast path (f from fdiv_nz(b), b >= 0):
 * then fdiv_in(f, a) = fdiv_do(f, a) for each of them. */
static inline bool fdiv_all_in(const fdiv *f)
{
    return f->b >= 0 && (uint64_t)f->b < f->lim;
}

/* saturating_div(1, b) (spec §1.2) for b >= 1.0: trunc((2^32 << 32) / b) = floor(2^64 / b)
 * <= 2^32, which neither saturates nor needs 128 bits: with 2^64 - 1 = q b + r (0 <= r < b),
 * 2^64 = q b + r + 1, so floor(2^64 / b) = q + 1 when r + 1 == b and q otherwise. Smaller b
 * go to the library. */
static inline tsr_i32f32 fx_recip(tsr_i32f32 b)
{
    if (b < ONE)
        return tsr_i32f32_sat_div(ONE, b);
    uint64_t ub = (uint64_t)b, q = UINT64_MAX / ub;
    if (UINT64_MAX - q * ub == ub - 1)
        q++;
    return (int64_t)q;
}

/* fixed_proportion_to_u16 (spec §1.3): floor(x (*) 65535) saturated to [0, 65535]. For
 * x >= 1.0 the floor is >= 65535 and saturates to 65535 = floor(1.0 (*) 65535), and for x <= 0
 * it is <= 0: so x is clamped to [0, 1.0] first, without branches, and the product then needs
 * 48 bits. */
static inline uint16_t fx_q16(tsr_i32f32 x)
{
    x = x < 0 ? 0 : x;
    x = x > ONE ? ONE : x;
    return (uint16_t)(((uint64_t)x * 65535u) >> 32);
}

/* tsr_u16_to_fixed: u as a whole I32F32 number (u * 2^32 < 2^48, no overflow). */
static inline tsr_i32f32 fx_u16(uint16_t u)
{
    return (int64_t)u * ONE;
}

/* tsr_u16_proportion_to_fixed (spec §1.3) = safe_div(u * 2^32, 65535 * 2^32)
 * = trunc(u * 2^64 / (65535 * 2^32)) = trunc(u * 2^32 / 65535): the common factor 2^32 cancels
 * exactly; and as 2^32 = 65535 * 65537 + 1, trunc(u * 2^32 / 65535) = u * 65537 +
 * trunc(u / 65535) = u * 65537 + (u == 65535) for u <= 65535: one multiply, no division
 * (tsr_yuma_vec.c's bond kernel uses the same form; checked for every u in the tests). */
static inline tsr_i32f32 fx_prop16(uint16_t u)
{
    return (int64_t)((uint64_t)u * 65537u + (uint64_t)(u == 65535u));
}

/* fx_mul for a, b >= 0 (callers guarantee it): the same product without the sign tests. */
static inline tsr_i32f32 nn_mul(tsr_i32f32 a, tsr_i32f32 b)
{
    tsr_u128 p = tsr_u128_mul64((uint64_t)a, (uint64_t)b);
    return (p.hi >> 31) ? TSR_I32F32_MAX : (int64_t)((p.hi << 32) | (p.lo >> 32));
}

/* fx_add for a, b >= 0: the unsigned sum (< 2^64) saturates exactly when it exceeds INT64_MAX. */
static inline tsr_i32f32 nn_add(tsr_i32f32 a, tsr_i32f32 b)
{
    uint64_t u = (uint64_t)a + (uint64_t)b;
    return u > (uint64_t)INT64_MAX ? TSR_I32F32_MAX : (int64_t)u;
}

static inline tsr_i32f32 fx_add(tsr_i32f32 a, tsr_i32f32 b) /* saturating_add */
{
    if (b > 0 && a > TSR_I32F32_MAX - b)
        return TSR_I32F32_MAX;
    if (b < 0 && a < TSR_I32F32_MIN - b)
        return TSR_I32F32_MIN;
    return a + b;
}

static inline tsr_i32f32 fx_sub(tsr_i32f32 a, tsr_i32f32 b) /* saturating_sub */
{
    if (b < 0 && a > TSR_I32F32_MAX + b)
        return TSR_I32F32_MAX;
    if (b > 0 && a < TSR_I32F32_MIN + b)
        return TSR_I32F32_MIN;
    return a - b;
}

/* Plain `+` of a release-build runtime: wraps modulo 2^64 (no epoch input gets near it). */
static inline tsr_i32f32 fx_wrap_add(tsr_i32f32 a, tsr_i32f32 b)
{
    uint64_t s = (uint64_t)a + (uint64_t)b;
    return (s >> 63) ? -(int64_t)(~s) - 1 : (int64_t)s;
}

/* substrate-fixed exp (spec §1.4), the same steps as tsr_i32f32_exp with non-negative fast
 * operations: checked_div(term, I32F32(i)) = trunc((term << 32) / (i << 32)) = term / i exactly.
 * TSR_EOVERFLOW where the chain's checked operations fail. */
static int fx_exp(tsr_i32f32 x, tsr_i32f32 *out)
{
    if (x == 0) {
        *out = ONE;
        return TSR_OK;
    }
    if (x == ONE) { /* E held in I9F23, widened exactly */
        *out = (int64_t)(UINT32_C(0xADF85458) >> 7) * 512;
        return TSR_OK;
    }
    if (x == TSR_I32F32_MIN)
        return TSR_EOVERFLOW;
    bool neg = x < 0;
    uint64_t ux = (uint64_t)(neg ? -x : x), term = ux;
    if (ux > (uint64_t)INT64_MAX - (uint64_t)ONE)
        return TSR_EOVERFLOW;
    uint64_t result = ux + (uint64_t)ONE;
    /* Terms i = 2 .. 31, unrolled so that each division is by a constant (a multiplication). A
     * zero term makes every later term zero, which changes nothing: stop there. */
#define TSR__EXP_STEP(I)                                                                           \
    do {                                                                                           \
        if (term != 0) {                                                                           \
            tsr_u128 pr = tsr_u128_mul64(term, ux);                                                \
            if (pr.hi >> 31)                                                                       \
                return TSR_EOVERFLOW;                                                              \
            term = ((pr.hi << 32) | (pr.lo >> 32)) / (I);                                          \
            if (term > (uint64_t)INT64_MAX - result)                                               \
                return TSR_EOVERFLOW;                                                              \
            result += term;                                                                        \
        }                                                                                          \
    } while (0)
    TSR__EXP_STEP(2u);
    TSR__EXP_STEP(3u);
    TSR__EXP_STEP(4u);
    TSR__EXP_STEP(5u);
    TSR__EXP_STEP(6u);
    TSR__EXP_STEP(7u);
    TSR__EXP_STEP(8u);
    TSR__EXP_STEP(9u);
    TSR__EXP_STEP(10u);
    TSR__EXP_STEP(11u);
    TSR__EXP_STEP(12u);
    TSR__EXP_STEP(13u);
    TSR__EXP_STEP(14u);
    TSR__EXP_STEP(15u);
    TSR__EXP_STEP(16u);
    TSR__EXP_STEP(17u);
    TSR__EXP_STEP(18u);
    TSR__EXP_STEP(19u);
    TSR__EXP_STEP(20u);
    TSR__EXP_STEP(21u);
    TSR__EXP_STEP(22u);
    TSR__EXP_STEP(23u);
    TSR__EXP_STEP(24u);
    TSR__EXP_STEP(25u);
    TSR__EXP_STEP(26u);
    TSR__EXP_STEP(27u);
    TSR__EXP_STEP(28u);
    TSR__EXP_STEP(29u);
    TSR__EXP_STEP(30u);
    TSR__EXP_STEP(31u);
#undef TSR__EXP_STEP
    if (neg) { /* checked_div(1, result) = floor(2^64 / result), result >= 1.0 */
        uint64_t q = UINT64_MAX / result;
        if (UINT64_MAX % result == result - 1)
            q++;
        result = q;
    }
    *out = (int64_t)result;
    return TSR_OK;
}

tsr_i32f32 tsr__yuma_exp_safe(tsr_i32f32 x)
{
    const tsr_i32f32 lim = 20 * ONE;
    tsr_i32f32 r;
    x = x < -lim ? -lim : (x > lim ? lim : x);
    if (fx_exp(x, &r))
        return x <= 0 ? 0 : TSR_I32F32_MAX;
    return r;
}

tsr_i32f32 tsr__yuma_mul(tsr_i32f32 a, tsr_i32f32 b)
{
    return fx_mul(a, b);
}

tsr_i32f32 tsr__yuma_mul_or0(tsr_i32f32 a, tsr_i32f32 b)
{
    return fx_mul_or0(a, b);
}

tsr_i32f32 tsr__yuma_div(tsr_i32f32 a, tsr_i32f32 b)
{
    return fx_div(a, b);
}

tsr_i32f32 tsr__yuma_div_recip(tsr_i32f32 a, tsr_i32f32 b)
{
    fdiv f = fdiv_of(b);
    return fdiv_do(&f, a);
}

tsr_i32f32 tsr__yuma_div_nz(tsr_i32f32 a, tsr_i32f32 b)
{
    fdiv f = fdiv_nz(b);
    return fdiv_do(&f, a);
}

tsr_i32f32 tsr__yuma_nn_mul(tsr_i32f32 a, tsr_i32f32 b)
{
    return nn_mul(a, b);
}

tsr_i32f32 tsr__yuma_nn_add(tsr_i32f32 a, tsr_i32f32 b)
{
    return nn_add(a, b);
}

bool tsr__yuma_div_in(tsr_i32f32 a, tsr_i32f32 b, tsr_i32f32 *q)
{
    fdiv f = fdiv_nz(b);
    if (b < 0 || a < 0 || a > b || !fdiv_all_in(&f))
        return false;
    *q = fdiv_in(&f, a);
    return true;
}

tsr_i32f32 tsr__yuma_recip(tsr_i32f32 b)
{
    return fx_recip(b);
}

tsr_i32f32 tsr__yuma_prop16(uint16_t u)
{
    return fx_prop16(u);
}

uint16_t tsr__yuma_q16(tsr_i32f32 x)
{
    return fx_q16(x);
}

/* ================================ workspace layout ============================================ */

/* Every buffer of one epoch, carved from the workspace in this order. */
typedef struct yws {
    tsr_i64f64 *tstake;   /* n: total stake (§2.3 step 2), then the filtered stake */
    tsr_i32f32 *stake;    /* n: normalised stake (§2.3 step 5) */
    tsr_i32f32 *astake;   /* n: active stake (§2.5) */
    tsr_i32f32 *cons;     /* n: consensus C (§2.7) */
    tsr_i32f32 *incv;     /* n: incentive I (§2.9) */
    tsr_i32f32 *divs;     /* n: dividends D */
    tsr_i32f32 *vtrust;   /* n: validator trust (§2.8) */
    tsr_i32f32 *nse;      /* n: normalised server emission (§2.14) */
    tsr_i32f32 *nve;      /* n: normalised validator emission */
    tsr_i32f32 *nce;      /* n: normalised combined emission */
    tsr_i32f32 *colv;     /* n: per-column scratch (sums, maxima) */
    tsr_i32f32 *colv2;    /* n: second per-column scratch */
    tsr_i32f32 *acc;      /* n: dense row accumulator, all zero between rows */
    tsr_i32f32 *acc2;     /* n: second dense row accumulator, all zero between rows */
    tsr_i32f32 *alpha;    /* n: memoised liquid alpha of the current row */
    fdiv *cdiv;           /* n: per-column dividers */
    tsr_i32f32 *bsum;     /* n: column sums of the loaded bonds (original Yuma, §2.12.1) */
    fdiv *bdiv;           /* n: their dividers, then the max-upscale dividers (§2.12.7) */
    tsr_i32f32 *hv;       /* nw: row_hadamard(Wb, active stake) by Wb pair (§2.12.2), in med_ws */
    amemo *amemo;         /* TSR__AMEMO liquid-alpha memo entries */
    uint32_t *stamp;      /* n: column marks (stamp[j] == mark: touched in this pass) */
    uint32_t *amark;      /* n: liquid-alpha memo marks */
    uint32_t *cols;       /* n: touched columns of a row */
    uint32_t *drows;      /* n: the non-empty rows of an aligned EMA (ema_aligned) */
    size_t *dwb, *dbb;    /* n each: their starts in Wb and in B */
    tsr_i32f32 *edense;   /* the aligned EMA, dense by row, in e_pairs' memory (2 ne values) */
    bool *inactive;       /* n: §2.2 */
    bool *forbid;         /* n: !old permit (owner forced) (§2.4) */
    bool *newperm;        /* n: new permits (§2.4) */
    size_t *w_ptr;        /* n + 1: W (§2.6) */
    tsr_pair *w_pairs;    /* nw */
    size_t *wc_ptr;       /* n + 1: clipped W (§2.8) */
    tsr_pair *wc_pairs;   /* nw */
    size_t *wi_ptr;       /* n + 1: interpolated W for bonds (§2.10), when 0 < bp < 1 */
    tsr_pair *wi_pairs;   /* nw */
    size_t *b_ptr;        /* n + 1: bonds B (§2.12.1 / §2.13.1) */
    tsr_pair *b_pairs;    /* nb */
    size_t *e_ptr;        /* n + 1: EMA bonds */
    tsr_pair *e_pairs;    /* ne = nw + nb */
    void *med_ws;         /* tsr__yuma_consensus workspace */
    void *topk_ws;        /* tsr_is_topk workspace */
    size_t nw, nb, ne;    /* capacities */
    bool w_le1;           /* every loaded weight is in [0, 1.0] (load_weights) */
    bool w_al;            /* every non-empty row of W holds the columns w_c0[0..w_L), ascending */
    const tsr_pair *w_c0; /* the first non-empty row of W (when w_al), or NULL */
    size_t w_L;           /* its length */
    bool wc_same;         /* clipping dropped no pair: Wc has W's columns, row by row */
    bool wb_al;           /* Wb is W or Wc with W's aligned columns (w_al, and wc_same for Wc) */
    bool b_al;            /* every non-empty row of B holds w_c0's w_L columns (load_bonds) */
    uint64_t maxbar;      /* the largest registration block (load_weights) */
    bool slow;         /* reference mode: the bound-proved fast paths off (tsr__yuma_epoch_ref) */
    bool vec;          /* the vector kernels (tsr_yuma_vec.h) run the aligned bond passes */
    tsr__yvdiv vc, vo; /* n lanes each: the aligned passes' dividers, struct of arrays */
    uint16_t *vq;      /* n: the last pass's stored bonds of one row */
} yws;

typedef struct arena {
    char *base;   /* NULL while only measuring */
    size_t off;   /* bytes used so far */
    int overflow; /* a size computation overflowed */
} arena;

static size_t mul_ovf(size_t a, size_t b, int *ovf)
{
    if (a != 0 && b > SIZE_MAX / a) {
        *ovf = 1;
        return 0;
    }
    return a * b;
}

/* count elements of `size` bytes, 16-byte aligned (enough for every type used here). */
static void *take(arena *a, size_t count, size_t size)
{
    size_t bytes = mul_ovf(count, size, &a->overflow);
    size_t off = (a->off + 15u) & ~(size_t)15u;
    if (off < a->off || bytes > SIZE_MAX - off - 16u) {
        a->overflow = 1;
        return NULL;
    }
    a->off = off + bytes;
    return a->base ? (void *)(a->base + off) : NULL;
}

/* EMA capacity: the fixed-alpha EMA emits at most one pair per distinct column of the union
 * of a Wb row and a B row, the liquid-alpha EMA at most one per Wb pair. */
static size_t ema_cap(size_t n, size_t nw, size_t nb)
{
    (void)n;
    return nw > SIZE_MAX - nb ? SIZE_MAX : nw + nb;
}

static void layout(arena *a, yws *w, size_t n, size_t nw, size_t nb)
{
    memset(w, 0, sizeof *w);
    w->nw = nw;
    w->nb = nb;
    w->ne = ema_cap(n, nw, nb);
    w->tstake = take(a, n, sizeof(tsr_i64f64));
    tsr_i32f32 **vecs[] = {&w->stake,  &w->astake, &w->cons, &w->incv, &w->divs,
                           &w->vtrust, &w->nse,    &w->nve,  &w->nce,  &w->colv,
                           &w->colv2,  &w->acc,    &w->acc2, &w->alpha};
    for (size_t k = 0; k < sizeof vecs / sizeof vecs[0]; k++)
        *vecs[k] = take(a, n, sizeof(tsr_i32f32));
    w->cdiv = take(a, n, sizeof(fdiv));
    w->bsum = take(a, n, sizeof(tsr_i32f32));
    w->bdiv = take(a, n, sizeof(fdiv));
    w->amemo = take(a, TSR__AMEMO, sizeof(amemo));
    w->stamp = take(a, n, sizeof(uint32_t));
    w->amark = take(a, n, sizeof(uint32_t));
    w->cols = take(a, n, sizeof(uint32_t));
    w->drows = take(a, n, sizeof(uint32_t));
    w->dwb = take(a, n, sizeof(size_t));
    w->dbb = take(a, n, sizeof(size_t));
    uint64_t **lanes[] = {&w->vc.d, &w->vc.inv, &w->vc.sh, &w->vo.d, &w->vo.inv, &w->vo.sh};
    for (size_t k = 0; k < sizeof lanes / sizeof lanes[0]; k++)
        *lanes[k] = take(a, n, sizeof(uint64_t));
    w->vq = take(a, n, sizeof(uint16_t));
    w->inactive = take(a, n, sizeof(bool));
    w->forbid = take(a, n, sizeof(bool));
    w->newperm = take(a, n, sizeof(bool));
    w->w_ptr = take(a, n + 1, sizeof(size_t));
    w->w_pairs = take(a, nw, sizeof(tsr_pair));
    w->wc_ptr = take(a, n + 1, sizeof(size_t));
    w->wc_pairs = take(a, nw, sizeof(tsr_pair));
    w->wi_ptr = take(a, n + 1, sizeof(size_t));
    w->wi_pairs = take(a, nw, sizeof(tsr_pair));
    w->b_ptr = take(a, n + 1, sizeof(size_t));
    w->b_pairs = take(a, nb, sizeof(tsr_pair));
    w->e_ptr = take(a, n + 1, sizeof(size_t));
    w->e_pairs = take(a, w->ne, sizeof(tsr_pair));
    /* The aligned EMA (bonds_original_aligned) stores its nnz(Wb) <= nw <= ne values densely
     * instead of E's pairs: twice as many 8-byte values fit in E's 16-byte pairs. */
    w->edense = (tsr_i32f32 *)(void *)w->e_pairs;
    size_t med = tsr__yuma_consensus_ws_size(n, nw);
    if (med == 0)
        a->overflow = 1;
    w->med_ws = take(a, med, 1);
    /* hv lives in the consensus scratch, which is dead once C is known (hv is written after):
     * that scratch holds nw + n + 1 16-byte entries, more than hv's nw 8-byte values. */
    w->hv = (tsr_i32f32 *)w->med_ws;
    w->topk_ws = take(a, tsr_is_topk_ws_size(n), 1);
}

size_t tsr_yuma_ws_size(size_t n, size_t nnz_weights, size_t nnz_bonds)
{
    arena a = {NULL, 0, 0};
    yws w;
    if (n > TSR_YUMA_MAX_N)
        return 0;
    layout(&a, &w, n, nnz_weights, nnz_bonds);
    return a.overflow ? 0 : a.off + 16u;
}

size_t tsr_yuma_bonds_cap(size_t n, size_t nnz_weights, size_t nnz_bonds)
{
    return ema_cap(n, nnz_weights, nnz_bonds);
}

struct tsr_yuma_ws {
    tsr_alloc_fn alloc; /* allocator hook, or NULL for realloc/free */
    void *ud;           /* its user data */
    size_t bytes;       /* usable bytes at mem */
    void *block;        /* the allocation (this struct lives at its start) */
    void *mem;          /* the workspace proper, 16-byte aligned */
};

static void *ws_realloc(tsr_alloc_fn alloc, void *ud, void *p, size_t old, size_t sz);

tsr_yuma_ws *tsr_yuma_ws_new(size_t n, size_t nnz_weights, size_t nnz_bonds, tsr_alloc_fn alloc,
                             void *ud)
{
    size_t bytes = tsr_yuma_ws_size(n, nnz_weights, nnz_bonds);
    size_t head = (sizeof(tsr_yuma_ws) + 15u) & ~(size_t)15u;
    if (bytes == 0 || bytes > SIZE_MAX - head - 16u)
        return NULL;
    char *block = ws_realloc(alloc, ud, NULL, 0, head + bytes + 16u);
    if (!block)
        return NULL;
    tsr_yuma_ws *w = (tsr_yuma_ws *)(void *)block;
    w->alloc = alloc;
    w->ud = ud;
    w->bytes = bytes;
    w->block = block;
    w->mem = block + head;
    return w;
}

void tsr_yuma_ws_free(tsr_yuma_ws *w)
{
    if (!w)
        return;
    size_t head = (sizeof(tsr_yuma_ws) + 15u) & ~(size_t)15u;
    (void)ws_realloc(w->alloc, w->ud, w->block, head + w->bytes + 16u, 0);
}

void *tsr_yuma_ws_mem(tsr_yuma_ws *w)
{
    return w ? w->mem : NULL;
}

size_t tsr_yuma_ws_bytes(const tsr_yuma_ws *w)
{
    return w ? w->bytes : 0;
}

/* ================================ parameters ================================================= */

void tsr_yuma_out_bind(tsr_yuma_out *out, size_t n, uint16_t *u16, uint64_t *u64, bool *flags,
                       tsr_i32f32 *raw)
{
    uint16_t **u16s[] = {&out->consensus, &out->incentive, &out->dividends, &out->validator_trust,
                         &out->stake_weight};
    uint64_t **u64s[] = {&out->emission, &out->server_emission, &out->validator_emission,
                         &out->stake};
    tsr_i32f32 **raws[] = {&out->raw_stake,     &out->raw_active_stake, &out->raw_consensus,
                           &out->raw_incentive, &out->raw_dividends,    &out->raw_validator_trust};
    for (size_t k = 0; k < 5; k++)
        *u16s[k] = u16 + k * n;
    for (size_t k = 0; k < 4; k++)
        *u64s[k] = u64 + k * n;
    out->validator_permit = flags;
    out->active = flags + n;
    for (size_t k = 0; k < 6; k++)
        *raws[k] = raw ? raw + k * n : NULL;
}

void tsr_yuma_params_default(tsr_yuma_params *p)
{
    /* spec §3.12 and init_new_network (§3.10): a new subnet's values. */
    memset(p, 0, sizeof *p);
    p->tempo = 360;
    p->activity_cutoff = 5000; /* max(1, 13889 * 360 / 1000) */
    p->kappa = 32767;
    p->bonds_moving_average = 900000;
    p->bonds_penalty = 65535;
    p->max_allowed_validators = 64;
    p->yuma3 = true;
    p->liquid_alpha = false;
    p->alpha_low = 45875;
    p->alpha_high = 58982;
    p->alpha_sigmoid_steepness = 1000;
    p->owner_uid = TSR_YUMA_NO_OWNER;
    p->stake_threshold = 0;
}

static void *ws_realloc(tsr_alloc_fn alloc, void *ud, void *p, size_t old, size_t sz)
{
    if (alloc)
        return alloc(ud, p, old, sz);
    if (sz == 0) {
        free(p);
        return NULL;
    }
    return realloc(p, sz);
}

/* ================================ small helpers ============================================== */

/* inplace_normalize (spec §2.18): divide by the wrapping sum unless it is 0. */
static void normalize(tsr_i32f32 *x, size_t n)
{
    tsr_i32f32 sum = 0;
    for (size_t i = 0; i < n; i++)
        sum = fx_wrap_add(sum, x[i]);
    if (sum == 0)
        return;
    fdiv f = fdiv_of(sum);
    for (size_t i = 0; i < n; i++)
        x[i] = fdiv_do(&f, x[i]);
}

static bool has_owner(const tsr_yuma_params *p, size_t n)
{
    return p->owner_uid != TSR_YUMA_NO_OWNER && (size_t)p->owner_uid < n;
}

/* Sift-down of a max-heap of column indices. */
static void sift_down(uint32_t *a, size_t root, size_t end)
{
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= end)
            return;
        if (child + 1 < end && a[child + 1] > a[child])
            child++;
        if (a[root] >= a[child])
            return;
        uint32_t t = a[root];
        a[root] = a[child];
        a[child] = t;
        root = child;
    }
}

/* Puts the cnt distinct touched columns cols[] (stamp[j] == mark) in ascending order: a scan of
 * the marks when the row is dense, otherwise a heap sort (skipped when already sorted). The
 * order is a pure function of the set, so the result is deterministic. */
static void sort_touched(yws *w, size_t n, size_t cnt, uint32_t mark)
{
    uint32_t *a = w->cols;
    size_t k = 1;
    while (k < cnt && a[k - 1] < a[k])
        k++;
    if (k >= cnt)
        return;
    if (cnt * 8 >= n) {
        size_t m = 0;
        for (size_t j = 0; j < n; j++) { /* branch-free: the marks are random */
            a[m] = (uint32_t)j;
            m += w->stamp[j] == mark;
        }
        return;
    }
    for (size_t i = cnt / 2; i-- > 0;)
        sift_down(a, i, cnt);
    for (size_t end = cnt - 1; end > 0; end--) {
        uint32_t t = a[0];
        a[0] = a[end];
        a[end] = t;
        sift_down(a, 0, end);
    }
}

static tsr_sparse sparse_of(size_t n, size_t *ptr, tsr_pair *pairs, size_t cap)
{
    tsr_sparse m;
    m.rows = n;
    m.cols = n;
    m.row_ptr = ptr;
    m.pairs = pairs;
    m.cap = cap;
    ptr[0] = 0;
    return m;
}

/* ================================ input checks =============================================== */

/* Row structure valid; *nnz = stored pairs; with need_uid_lt_n every uid must be < n. */
static int rows_ok(const tsr_yuma_rows *r, size_t n, size_t *nnz, bool need_uid_lt_n)
{
    *nnz = 0;
    if (!r->row_ptr)
        return 1;
    if (r->row_ptr[0] != 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (r->row_ptr[i + 1] < r->row_ptr[i])
            return 0;
    *nnz = r->row_ptr[n];
    if (*nnz > 0 && !r->pairs)
        return 0;
    return !need_uid_lt_n || tsr__yv_uids_below(r->pairs, *nnz, n, tsr__yv_available());
}

static int check_input(const tsr_yuma_params *p, const tsr_yuma_state *s, const tsr_yuma_out *out,
                       size_t *nw, size_t *nb)
{
    if (!p || !s || !out || s->n > TSR_YUMA_MAX_N)
        return TSR_EINVAL;
    if (s->n > 0 && (!s->alpha_stake || !s->last_update || !s->block_at_registration))
        return TSR_EINVAL;
    if (!rows_ok(&s->weights, s->n, nw, false) || !rows_ok(&s->bonds, s->n, nb, true))
        return TSR_EINVAL;
    if (out->bonds_row_ptr && out->bonds_cap > 0 && !out->bonds)
        return TSR_EINVAL;
    return TSR_OK;
}

/* ================================ §2.2-§2.5 =================================================== */

/* 1 when e s > v 2^32, for e < 2^64 and v, s < 2^127: both sides on three words. */
static bool share_over(uint64_t e, tsr_u128 s, tsr_u128 v)
{
    tsr_u128 lo = tsr_u128_mul64(e, s.lo);
    /* e s.hi + a carry word < 2^128, as s.hi < 2^63 */
    tsr_u128 hi = tsr_u128_add(tsr_u128_mul64(e, s.hi), tsr_u128_from_u64(lo.hi));
    tsr_u128 vhi = tsr_u128_shr(v, 32); /* v 2^32 = vhi 2^64 + (v.lo << 32) */
    int c = tsr_u128_cmp(hi, vhi);
    return c > 0 || (c == 0 && lo.lo > (v.lo << 32));
}

/* floor(v 2^32 / s) for 0 < v <= s < 2^127 (v = vhi 2^64 + vlo, s likewise), which is at most
 * 2^32. Below 2^64, s divides v 2^32 (under 2^96, high word v >> 32 < s) in one 128/64
 * division. Above, with sh = bitlen(s) - 64 (1..63) and t = floor(s / 2^sh) (s's top 64 bits,
 * >= 2^63), the estimate e = floor(floor(v 2^32 / 2^sh) / t), also one 128/64 division (the
 * numerator is below 2^96 as v < 2^(64 + sh)), is floor(v 2^32 / D) for D = t 2^sh <= s: at
 * least the quotient q, and v 2^32 / D - v 2^32 / s = v 2^32 (s - D) / (D s) < 2^32 2^sh /
 * 2^(63 + sh) = 2^-31 as v <= s, so e is q or q + 1; one 192-bit compare of e s with v 2^32
 * tells which. (Words, not structs, as arguments: GCC 12 copies struct arguments through the
 * stack into a vector register, a store-forwarding stall on every call.) */
static int64_t share32(uint64_t vhi, uint64_t vlo, uint64_t shi, uint64_t slo)
{
    uint64_t rem;
    if (shi == 0)
        return (int64_t)tsr_u128_div64(vlo >> 32, vlo << 32, slo, &rem);
    tsr_u128 v = tsr_u128_make(vhi, vlo), s = tsr_u128_make(shi, slo);
    unsigned sh = tsr_u64_bitlen(shi); /* bitlen(s) - 64 */
    uint64_t t = tsr_u128_shr(s, sh).lo;
    tsr_u128 nt = sh >= 32 ? tsr_u128_shr(v, sh - 32) : tsr_u128_shl(v, 32 - sh);
    uint64_t e = tsr_u128_div64(nt.hi, nt.lo, t, &rem);
    if (share_over(e, s, v))
        e--;
    return (int64_t)e;
}

/* fixed64_to_fixed32(v.safe_div(sum)): stake_share's generic path, kept out of line: inlined,
 * its struct copies have GCC 12's SLP vectoriser spill stake_share's arguments and reload them
 * as one vector on every call, a store-forwarding stall that doubled the cost of the fast path
 * in a micro-benchmark (13 -> 7 ns a call). */
static TSR__NOINLINE tsr_i32f32 share_generic(tsr_i128 v, tsr_i128 sum)
{
    tsr_i64f64 a, b;
    a.raw = v;
    b.raw = sum;
    return tsr_fixed64_to_fixed32(tsr_i64f64_safe_div(a, b));
}

/* fixed64_to_fixed32(v.safe_div(sum)) for sum != 0. With 0 <= v <= sum, safe_div's quotient
 * floor(v 2^64 / sum) <= 2^64 never overflows and the nested floors are floor(v 2^32 / sum)
 * (share32); otherwise (a wrapped, negative sum) the generic path. */
static tsr_i32f32 stake_share(tsr_i128 v, tsr_i128 sum)
{
    if (tsr_i128_is_zero(v)) /* both paths below give 0 (safe_div(0, b) = 0 for every b) */
        return 0;
    if (!tsr_i128_is_neg(v) && !tsr_i128_is_neg(sum) && tsr_i128_cmp(v, sum) <= 0)
        return share32(v.hi, v.lo, sum.hi, sum.lo);
    return share_generic(v, sum);
}

tsr_i32f32 tsr__yuma_stake_share(tsr_i128 v, tsr_i128 sum)
{
    return stake_share(v, sum);
}

/* spec §2.3: total stake, threshold with owner exemption, I64F64 normalisation, I32F32. */
static void compute_stake(const tsr_yuma_params *p, const tsr_yuma_state *s, yws *w,
                          uint64_t *raw_out)
{
    size_t n = s->n;
    tsr_i64f64 tw = tsr_u96f32_to_i64f64(
        tsr_u96f32_safe_div(tsr_u96f32_from_u64(s->tao_weight), tsr_u96f32_from_u64(UINT64_MAX)));
    tsr_i128 sum = tsr_i128_make(0, 0);
    for (size_t i = 0; i < n; i++) {
        tsr_i64f64 total = tsr_i64f64_from_u64(s->alpha_stake[i]);
        if (s->tao_stake && s->tao_stake[i]) /* 0 (*) tw = 0 and x + 0 = x: most uids (miners) */
            total = tsr_i64f64_sat_add(
                total, tsr_i64f64_sat_mul(tsr_i64f64_from_u64(s->tao_stake[i]), tw));
        uint64_t whole = tsr_i64f64_to_u64(total);
        if (raw_out)
            raw_out[i] = whole;
        /* §2.3 step 3: the owner is exempt from the threshold. */
        if (!(has_owner(p, n) && i == p->owner_uid) && whole < p->stake_threshold)
            total.raw = tsr_i128_make(0, 0);
        w->tstake[i] = total;
        sum = tsr_i128_add(sum, total.raw); /* plain `+`: wraps like the runtime */
    }
    for (size_t i = 0; i < n; i++)
        w->stake[i] = tsr_i128_is_zero(sum) ? tsr_fixed64_to_fixed32(w->tstake[i])
                                            : stake_share(w->tstake[i].raw, sum);
}

/* spec §2.2, §2.4, §2.5. */
static int compute_permits_and_active(const tsr_yuma_params *p, const tsr_yuma_state *s, yws *w)
{
    size_t n = s->n;
    for (size_t i = 0; i < n; i++) {
        uint64_t lu = s->last_update[i];
        uint64_t until =
            lu > UINT64_MAX - p->activity_cutoff ? UINT64_MAX : lu + p->activity_cutoff;
        w->inactive[i] = until < s->current_block;
        w->forbid[i] = !(s->validator_permit && s->validator_permit[i]);
    }
    if (has_owner(p, n))
        w->forbid[p->owner_uid] = false; /* §2.4: the owner's old permit is forced true */
    int rc = tsr_is_topk_nonzero(w->stake, n, p->max_allowed_validators, w->newperm, w->topk_ws);
    if (rc)
        return rc;
    if (has_owner(p, n))
        w->newperm[p->owner_uid] = true;
    for (size_t i = 0; i < n; i++)
        w->astake[i] = (w->inactive[i] || w->forbid[i]) ? 0 : w->stake[i];
    normalize(w->astake, n);
    return TSR_OK;
}

/* ================================ §2.7 consensus ============================================== */

/* The chain's weighted median (spec §2.7) returns, for each column, one value that does not
 * depend on the order of the scores or on the pivots chosen, as long as no stake sum saturates
 * (stakes are normalised, so sums stay <= 1):
 *
 *   Let S<(v) and S<=(v) be the stake of the staked rows scoring < v and <= v, and m the
 *   minority (stake_sum - kappa, saturating). At every round lo = S<(lower end of the partition)
 *   and hi = S<=(upper end), exactly. The loop goes down when m < S<(pivot), up when
 *   S<=(pivot) <= m, and otherwise returns the pivot. By induction the result is
 *   v* = the smallest present score with S<=(v) > m, or the largest present score if there is
 *   none (m >= stake_sum), or 0 with no staked row. (m < 0 gives the smallest score.) The loop's
 *   guards "lower/upper non-empty" and its round limit can only fire in those two boundary
 *   cases, where they return the same v*.
 *
 * So each column is solved over its explicit pairs only, plus one aggregated element for the
 * staked rows without a pair in the column (score 0, their total stake), with a 3-way
 * quickselect on the same criterion: O(n + nnz) instead of O(n * K) per epoch. A row holding a
 * column twice keeps its later pair (the chain's dense fill). tsr__yuma_consensus is checked
 * against tsr_weighted_median_col_sparse in the tests. */

typedef struct cmed {
    tsr_i32f32 val;   /* score */
    tsr_i32f32 stake; /* its row's normalised stake */
} cmed;

size_t tsr__yuma_consensus_ws_size(size_t n, size_t nnz)
{
    arena a = {NULL, 0, 0};
    (void)take(&a, n + 1, sizeof(size_t));         /* column starts */
    (void)take(&a, nnz + 2 * n + 2, sizeof(cmed)); /* entries: one spare per column, or dense */
    (void)take(&a, nnz + n + 1, sizeof(uint32_t)); /* staked-row index of each entry */
    (void)take(&a, n + 1, sizeof(tsr_i32f32));     /* use_stake */
    (void)take(&a, n + 1, sizeof(cmed));           /* selection scratch */
    (void)take(&a, n + 1, sizeof(cmed));           /* one bucket's entries */
    (void)take(&a, n + 1, sizeof(tsr_i32f32));     /* column maxima */
    (void)take(&a, n + 1, sizeof(tsr_i32f32));     /* column stakes */
    return a.overflow ? 0 : a.off + 16u;
}

/* v* over e[0..m) (m >= 1) (spec §2.7, see above), lo being the stake of the column's scores
 * below all of e's (0 for a whole column). Each round partitions out of place into tmp,
 * without data-dependent branches: every element is written to both the next "less" slot (from
 * the front) and the next "greater" slot (from the back), and only the matching cursor moves;
 * a slot is claimed only by the cursor that moves past it, so nothing claimed is overwritten.
 * Elements equal to the pivot are dropped, as in the chain's loop. tmp has m entries. */
static tsr_i32f32 cmed_select(cmed *e, cmed *tmp, size_t m, tsr_i32f32 minority, tsr_i32f32 lo)
{
    for (;;) {
        tsr_i32f32 p = e[m / 2].val, sl = 0, sg = 0, st = 0;
        size_t nl = 0, ng = 0;
        for (size_t i = 0; i < m; i++) {
            cmed x = e[i];
            uint64_t is_lt = (uint64_t)(x.val < p), is_gt = (uint64_t)(x.val > p);
            tmp[nl] = x;
            tmp[m - 1 - ng] = x;
            nl += is_lt;
            ng += is_gt;
            sl += (tsr_i32f32)((uint64_t)x.stake & (0 - is_lt));
            sg += (tsr_i32f32)((uint64_t)x.stake & (0 - is_gt));
            st += x.stake;
        }
        tsr_i32f32 se = st - sl - sg;
        cmed *next = e;
        e = tmp;
        tmp = next;
        if (minority < lo + sl && nl > 0) {
            m = nl;
        } else if (lo + sl + se <= minority && ng > 0) {
            lo += sl + se;
            e += m - ng;
            m = ng;
        } else {
            return p;
        }
    }
}

/* Buckets of cmed_solve: 2^TSR__CB_BITS, by the top bits of (score - smallest score). */
#define TSR__CB_BITS 5
#define TSR__CB      (1u << TSR__CB_BITS)

/* v* over e[0..m) (m >= 1), the value cmed_select(e, .., m, minority, 0) returns, in about one
 * pass per TSR__CB_BITS bits of the scores' spread instead of one per halving. Scores are bucketed
 * by (val - min) >> sh, a non-decreasing function of val, so each bucket holds exactly the scores
 * of one interval and every score of a lower bucket is smaller. Let rel = minority - lo (lo = the
 * stake of the column's scores below all of e's, as in cmed_select; only this difference enters
 * the characterisation) and cum(b) the stake of buckets <= b:
 *  - rel < 0: S<=(v) >= lo > minority for every score v of e, so v* is e's smallest score;
 *  - otherwise the first bucket b* with cum(b*) > rel >= 0 has stake > 0, so it is non-empty;
 *    every score v of an earlier non-empty bucket b' has S<=(v) - lo <= cum(b') <= rel, and the
 *    largest score of b* has S<=(.) - lo = cum(b*) > rel: v* lies in b*, and the same question
 *    is solved over b*'s entries with rel - cum(b* - 1) (the spread of the scores shrinks by
 *    2^TSR__CB_BITS each time);
 *  - no such bucket: S<=(max) <= minority, v* is the largest score (the whole column only:
 *    a bucket chosen above always holds v*).
 * All equal scores: v* is that score in every case above. Sums are exact (normalised stakes,
 * no saturation). Small sets, and negative scores (never produced by the epoch), go to
 * cmed_select. known_max >= 0 says every score lies in [0, known_max] and known_max is one of
 * them: the first round then buckets from 0 (any lower bound of the scores keeps the buckets
 * monotone) without a pass for the extremes, unless rel < 0 needs the smallest score.
 * a and b are scratch of m entries each, distinct from e. */
static tsr_i32f32 cmed_solve(cmed *e, cmed *a, cmed *b, size_t m, tsr_i32f32 minority,
                             tsr_i32f32 known_max)
{
    tsr_i32f32 rel = minority;
    for (;;) {
        cmed *spare = e == a ? b : a; /* scratch that is not e */
        if (m <= (size_t)2 * TSR__CB_BITS)
            return cmed_select(e, spare, m, rel, 0);
        tsr_i32f32 mn = 0, mx = known_max;
        if (known_max < 0 || rel < 0) {
            mn = mx = e[0].val;
            for (size_t i = 1; i < m; i++) {
                tsr_i32f32 v = e[i].val;
                mn = v < mn ? v : mn;
                mx = v > mx ? v : mx;
            }
            if (mn < 0)
                return cmed_select(e, spare, m, rel, 0);
        }
        known_max = -1;
        if (rel < 0 || mn == mx)
            return mn;
        uint64_t span = (uint64_t)(mx - mn);
        unsigned sh = 0; /* the smallest shift with span >> sh < TSR__CB, by binary search */
        for (unsigned step = 32; step > 0; step /= 2)
            if ((span >> (sh + step)) >= TSR__CB)
                sh += step;
        sh += (span >> sh) >= TSR__CB;
        tsr_i32f32 hs[TSR__CB];
        memset(hs, 0, sizeof hs);
        for (size_t i = 0; i < m; i++)
            hs[(uint64_t)(e[i].val - mn) >> sh] += e[i].stake;
        tsr_i32f32 cum = 0;
        size_t k = 0;
        while (k < TSR__CB && (cum += hs[k]) <= rel)
            k++;
        if (k == TSR__CB)
            return mx; /* only on the whole column (see above) */
        rel -= cum - hs[k];
        size_t c = 0;
        for (size_t i = 0; i < m; i++) /* compaction of bucket k (few entries: rarely taken) */
            if (((uint64_t)(e[i].val - mn) >> sh) == k)
                spare[c++] = e[i];
        e = spare;
        m = c;
    }
}

/* The consensus when the K >= 1 staked rows all hold the same strictly ascending columns (the
 * usual dense validator rows): then column position t of the rows is one consensus column j
 * with exactly one pair per staked row, in row order, and is read in place (rstart: the staked
 * rows' starts) instead of through the column view; its entries and their order are the ones
 * the general path builds, with no zero element (every staked row has a pair, so the explicit
 * stake is the whole sum). A column no staked row holds gets 0, as the general path's lone
 * zero element gives. Returns false, having written nothing to out, when the rows differ. */
static bool cons_aligned(const tsr_sparse *w, const tsr_i32f32 *stake, const tsr_i32f32 *use,
                         size_t K, tsr_i32f32 minority, size_t *rstart, cmed *buf, cmed *tmp,
                         cmed *sel, tsr_i32f32 *out, bool all_aligned)
{
    size_t n = w->rows, r0 = 0, L = 0, k = 0;
    const tsr_pair *wp = w->pairs;
    for (size_t i = 0; i < n; i++) {
        if (stake[i] <= 0)
            continue;
        size_t b = w->row_ptr[i], len = w->row_ptr[i + 1] - b;
        if (all_aligned && k > 0) { /* every non-empty row holds the first one's columns */
            if (len != L)
                return false;
        } else if (k == 0) {
            r0 = b;
            L = len;
            for (size_t t = 1; t < L; t++)
                if (wp[r0 + t - 1].col >= wp[r0 + t].col)
                    return false;
        } else {
            if (len != L)
                return false;
            uint64_t bad = 0;
            for (size_t t = 0; t < L; t++)
                bad |= (uint64_t)(wp[b + t].col != wp[r0 + t].col);
            if (bad)
                return false;
        }
        rstart[k++] = b;
    }
    if (k != K || K == 0)
        return false;
    memset(out, 0, n * sizeof *out);
    for (size_t t = 0; t < L; t++) {
        tsr_i32f32 mx = 0;
        uint64_t orv = 0;
        for (size_t q = 0; q < K; q++) {
            tsr_i32f32 v = wp[rstart[q] + t].val;
            buf[q].val = v;
            buf[q].stake = use[q];
            mx = v > mx ? v : mx;
            orv |= (uint64_t)v;
        }
        out[wp[r0 + t].col] = cmed_solve(buf, tmp, sel, K, minority, (orv >> 63) ? -1 : mx);
    }
    return true;
}

/* Rows of the vector consensus block (tsr__yv_cmed_block), at most: its O(M^2) comparisons per
 * column (about M^2 / 8 cycles) against cmed_solve's O(M) passes (about 5 ns an entry) cross
 * near a hundred rows by that count; 64 keeps a margin. Measured at a subnet's 32 validator
 * rows: the consensus went from 15% to 6% of the era8 benchmark's model. */
#define TSR__CB_BLOCK_ROWS 64u

/* cons_union's columns through the vector kernel: the same M entries per column (the R
 * non-empty staked rows' scores or 0, with their stakes tmp[r].stake, and when some staked rows
 * hold no pair at all, M = R + 1, one zero element of their total stake z), laid out row-major,
 * one row of ld >= L scores per entry, so that 8 columns are one vector. Same v* per column as
 * cmed_solve (the characterisation above). Returns false, having written nothing to out, when
 * there is no vector unit, too many rows or too little room in ent (cap entries). */
static bool cons_block(const tsr_sparse *w, const tsr_i32f32 *stake, size_t R, tsr_i32f32 z,
                       size_t M, size_t L, tsr_i32f32 minority, const uint32_t *pos, cmed *ent,
                       size_t cap, cmed *tmp, cmed *sel, tsr_i32f32 *out)
{
    size_t n = w->rows, ld = (L + 7u) & ~(size_t)7u;
    if (M > TSR__CB_BLOCK_ROWS || M * ld > 2 * cap || !tsr__yv_available())
        return false;
    int64_t *blk = (int64_t *)(void *)ent, *sk = (int64_t *)(void *)sel;
    int64_t *res = (int64_t *)(void *)tmp; /* read after sk is filled from tmp */
    for (size_t r = 0; r < R; r++)
        sk[r] = tmp[r].stake;
    if (M > R)
        sk[R] = z;
    memset(blk, 0, M * ld * sizeof *blk);
    const tsr_pair *wp = w->pairs;
    for (size_t i = 0, r = 0; i < n; i++) {
        size_t b = w->row_ptr[i], e = w->row_ptr[i + 1];
        if (stake[i] <= 0 || b == e)
            continue;
        for (size_t q = b; q < e; q++)
            blk[r * ld + pos[wp[q].col] - 1] = wp[q].val;
        r++;
    }
    tsr__yv_cmed_block(M, L, ld, blk, sk, minority, res, true);
    for (size_t j = 0; j < n; j++) /* a column no staked row holds: all zero, v* = 0 */
        out[j] = pos[j] ? res[pos[j] - 1] : 0;
    return true;
}

/* The consensus when every staked row holds strictly ascending columns (the rows of a subnet
 * whose validators each leave a few miners out): the columns' entries are laid out as a dense
 * block, column position t (of the union U of the staked rows' columns, ascending) holding
 * M entries - one per non-empty staked row, its score or 0, plus one zero element for the
 * staked rows without any pair, if there are such (with their total stake). By the
 * characterisation above v* depends only on which scores are present and on S<(v) and S<=(v):
 * here, as in the general path's column view, 0 is present exactly when some staked row has no
 * pair in the column (or an explicit 0), and splitting the zero element's stake over several
 * entries changes no S. The block is filled with fixed addresses (no per-column cursor), which
 * is the point. Taken when it fits ent (cap entries) and is at most about twice the pairs;
 * returns false, having written nothing to out, otherwise. pos: n scratch words. */
static bool cons_union(const tsr_sparse *w, const tsr_i32f32 *stake, const tsr_i32f32 *use,
                       size_t K, tsr_i32f32 minority, uint32_t *pos, cmed *ent, size_t cap,
                       cmed *tmp, cmed *sel, tsr_i32f32 *out)
{
    size_t n = w->rows, R = 0, nnz = 0, L = 0, empty = 0;
    tsr_i32f32 z = 0; /* the stake of the staked rows without a pair */
    const tsr_pair *wp = w->pairs;
    if (K == 0)
        return false;
    memset(pos, 0, n * sizeof *pos);
    for (size_t i = 0, k = 0; i < n; i++) {
        if (stake[i] <= 0)
            continue;
        size_t b = w->row_ptr[i], len = w->row_ptr[i + 1] - b;
        if (len == 0) {
            z += use[k++];
            empty++;
            continue;
        }
        for (size_t t = 0; t < len; t++) {
            if (t > 0 && wp[b + t].col <= wp[b + t - 1].col)
                return false;
            pos[wp[b + t].col] = 1;
        }
        tmp[R++].stake = use[k++]; /* row R's stake, until the block is filled */
        nnz += len;
    }
    for (size_t j = 0; j < n; j++)
        if (pos[j])
            pos[j] = (uint32_t)++L; /* the position + 1 */
    size_t M = R + (empty > 0);
    if (R == 0 || L * M > cap || L * M > 2 * nnz + n)
        return false;
    if (cons_block(w, stake, R, z, M, L, minority, pos, ent, cap, tmp, sel, out))
        return true;
    for (size_t t = 0; t < L; t++) {
        cmed *col = ent + t * M;
        for (size_t r = 0; r < R; r++) {
            col[r].val = 0;
            col[r].stake = tmp[r].stake;
        }
        if (empty) {
            col[R].val = 0;
            col[R].stake = z;
        }
    }
    for (size_t i = 0, r = 0; i < n; i++) {
        size_t b = w->row_ptr[i], e = w->row_ptr[i + 1];
        if (stake[i] <= 0 || b == e)
            continue;
        for (size_t q = b; q < e; q++)
            ent[(size_t)(pos[wp[q].col] - 1) * M + r].val = wp[q].val;
        r++;
    }
    for (size_t j = 0; j < n; j++) /* a column no staked row holds: all zero, v* = 0 */
        out[j] = pos[j] ? cmed_solve(ent + (size_t)(pos[j] - 1) * M, tmp, sel, M, minority, -1) : 0;
    return true;
}

static int consensus(const tsr_i32f32 *stake, const tsr_sparse *w, tsr_i32f32 majority,
                     tsr_i32f32 *out, void *workspace, bool all_aligned);

int tsr__yuma_consensus(const tsr_i32f32 *stake, const tsr_sparse *w, tsr_i32f32 majority,
                        tsr_i32f32 *out, void *workspace)
{
    return consensus(stake, w, majority, out, workspace, false);
}

/* tsr__yuma_consensus; all_aligned: the caller knows that every non-empty row of w holds the
 * same strictly ascending columns (load_weights' w_al), which spares cons_aligned its
 * comparison of the rows' columns (the rows' lengths are still compared). */
static int consensus(const tsr_i32f32 *stake, const tsr_sparse *w, tsr_i32f32 majority,
                     tsr_i32f32 *out, void *workspace, bool all_aligned)
{
    size_t n = w->rows, nnz = tsr_sparse_nnz(w);
    if (w->cols != n || (n > 0 && (!stake || !out || !workspace)))
        return TSR_EINVAL;
    arena a = {(char *)workspace + ((16u - ((uintptr_t)workspace & 15u)) & 15u), 0, 0};
    size_t *cptr = take(&a, n + 1, sizeof(size_t));
    cmed *ent = take(&a, nnz + 2 * n + 2, sizeof(cmed));
    uint32_t *erow = take(&a, nnz + n + 1, sizeof(uint32_t));
    tsr_i32f32 *use = take(&a, n + 1, sizeof(tsr_i32f32));
    cmed *tmp = take(&a, n + 1, sizeof(cmed));
    cmed *sel = take(&a, n + 1, sizeof(cmed));
    tsr_i32f32 *cmax = take(&a, n + 1, sizeof(tsr_i32f32));
    tsr_i32f32 *cstk = take(&a, n + 1, sizeof(tsr_i32f32));
    size_t K = 0;
    for (size_t i = 0; i < n; i++)
        if (stake[i] > 0)
            use[K++] = stake[i];
    normalize(use, K);
    tsr_i32f32 sum = 0;
    for (size_t k = 0; k < K; k++)
        sum = fx_wrap_add(sum, use[k]);
    tsr_i32f32 minority = fx_sub(sum, majority);
    /* Few enough staked rows for the vector block (cons_block, through cons_union, which takes
     * aligned rows too): faster than solving the aligned columns in place. */
    bool block = K < TSR__CB_BLOCK_ROWS && tsr__yv_available();
    if ((!block &&
         cons_aligned(w, stake, use, K, minority, cptr, ent, tmp, sel, out, all_aligned)) ||
        cons_union(w, stake, use, K, minority, erow, ent, nnz + 2 * n + 2, tmp, sel, out))
        return TSR_OK;
    /* Column view of the staked rows' pairs, rows in order; each column gets one spare slot for
     * the aggregated zero element. */
    /* While counting, erow[0..n) holds per column the last staked row (+1) seen in it, to find
     * whether any staked row holds a column twice (erow is rewritten before its next read). */
    memset(cptr, 0, (n + 1) * sizeof *cptr);
    memset(erow, 0, n * sizeof *erow);
    bool dup = false;
    const tsr_pair *wp = w->pairs;
    for (size_t i = 0; i < n; i++) {
        if (stake[i] <= 0)
            continue;
        size_t qe = w->row_ptr[i + 1];
        uint32_t tag = (uint32_t)(i + 1);
        for (size_t q = w->row_ptr[i]; q < qe; q++) {
            uint32_t j = wp[q].col;
            cptr[j + 1]++;
            dup |= erow[j] == tag;
            erow[j] = tag;
        }
    }
    for (size_t j = 0; j < n; j++)
        cptr[j + 1] += cptr[j] + 1;
    /* cptr[j] is the fill cursor of column j (its region starts at cptr[j] before filling).
     * Without duplicates the fill also takes each column's maximum score (from 0) and stake
     * (the exact sum of the stakes cmed_solve's caller adds below, in another order), and
     * orv's sign bit records a negative score. */
    memset(cmax, 0, n * sizeof *cmax);
    memset(cstk, 0, n * sizeof *cstk);
    uint64_t orv = 0;
    for (size_t i = 0, k = 0; i < n; i++) {
        if (stake[i] <= 0)
            continue;
        tsr_i32f32 uk = use[k];
        size_t qe = w->row_ptr[i + 1];
        for (size_t q = w->row_ptr[i]; q < qe; q++) {
            uint32_t j = wp[q].col;
            tsr_i32f32 v = wp[q].val;
            size_t at = cptr[j]++;
            ent[at].val = v;
            ent[at].stake = uk;
            orv |= (uint64_t)v;
            cmax[j] = v > cmax[j] ? v : cmax[j];
            cstk[j] += uk;
            if (dup)
                erow[at] = (uint32_t)k;
        }
        k++;
    }
    for (size_t j = 0, start = 0; j < n; j++) {
        size_t end = cptr[j], m = 0;
        tsr_i32f32 explicit_stake = 0;
        if (!dup) {
            /* No row holds a column twice, so the entries of a column come from distinct rows
             * and the drop below would keep every entry in place: the same entries and the
             * same sum. */
            explicit_stake = cstk[j];
            m = end - start;
        }
        /* Drop an entry followed by one of the same row: the later pair wins. */
        for (size_t q = start; dup && q < end; q++) {
            if (q + 1 < end && erow[q + 1] == erow[q])
                continue;
            ent[start + m++] = ent[q];
            explicit_stake += ent[q].stake;
        }
        if (K == 0) {
            out[j] = 0;
        } else {
            if (m < K) { /* the staked rows without a pair score 0 (spare slot at end) */
                ent[start + m].val = 0;
                ent[start + m++].stake = fx_wrap_add(sum, -explicit_stake);
            }
            /* All scores >= 0 and no duplicates: cmax[j] is the column's largest score (the
             * zero element included), which saves cmed_solve a pass. */
            bool known = !dup && (orv >> 63) == 0;
            out[j] = cmed_solve(ent + start, tmp, sel, m, minority, known ? cmax[j] : -1);
        }
        start = end + 1; /* skip the spare slot */
    }
    return TSR_OK;
}

/* ================================ §2.6-§2.10 ================================================== */

/* Whether the non-empty row p[0..len) holds the same columns as the first non-empty row *c0
 * (*L of them), which must be strictly ascending; the first call (*c0 == NULL) takes p as that
 * row. A row holding the same columns in the same order as c0 is then aligned with it. */
static bool row_aligned(const tsr_pair *p, size_t len, const tsr_pair **c0, size_t *L)
{
    if (!*c0) {
        for (size_t t = 1; t < len; t++)
            if (p[t - 1].col >= p[t].col)
                return false;
        *c0 = p;
        *L = len;
        return true;
    }
    if (len != *L)
        return false;
    uint64_t bad = 0;
    for (size_t t = 0; t < len; t++)
        bad |= (uint64_t)(p[t].col != (*c0)[t].col);
    return bad == 0;
}

/* One row of spec §2.6: the pairs of input row q in [qb, qe) that survive the masks, as whole
 * I32F32 numbers, appended at out (the masks of load_weights below); returns how many, their
 * wrapping sum in *sum. Loop bounds and tables come in locals and restrict pointers: the stores
 * to out could otherwise alias them and force reloads on every pair. */
static size_t load_row(const tsr_yuma_pair *restrict in, size_t qb, size_t qe, size_t n,
                       size_t diag, const uint64_t *restrict bar, uint64_t thr,
                       tsr_pair *restrict out, tsr_i32f32 *sum)
{
    size_t k = 0;
    uint64_t acc = 0; /* the wrapping sum */
    for (size_t q = qb; q < qe; q++) {
        size_t j = in[q].uid;
        if (j >= n || j == diag || bar[j] >= thr)
            continue; /* §2.6.1: pairs to uids >= n are not loaded */
        out[k].col = (uint32_t)j;
        out[k].val = fx_u16(in[q].value);
        acc += (uint64_t)out[k++].val;
    }
    *sum = (int64_t)acc;
    return k;
}

/* spec §2.6: load, mask (forbidden rows, diagonal except the owner's, outdated), normalise. */
static void load_weights(const tsr_yuma_params *p, const tsr_yuma_state *s,
                         const uint64_t *commit_block, yws *w, tsr_sparse *W)
{
    size_t n = s->n, k = 0;
    const tsr_yuma_rows *r = &s->weights;
    bool owner = has_owner(p, n), le1 = true, al = true;
    const tsr_pair *c0 = NULL;
    size_t L = 0;
    tsr_pair *wp = W->pairs;
    /* A row whose threshold is above every registration block loses no pair to §2.6.4-5. */
    uint64_t maxbar = 0;
    for (size_t j = 0; j < n; j++)
        maxbar = s->block_at_registration[j] > maxbar ? s->block_at_registration[j] : maxbar;
    for (size_t i = 0; i < n; i++) {
        size_t start = k;
        tsr_i32f32 sum = 0; /* the row's wrapping sum, added in pair order as pairs are loaded */
        if (r->row_ptr && !w->forbid[i]) {
            /* §2.6.4 drops (i, j) when last_update <= bar_j, §2.6.5 when commit < bar_j, i.e.
             * bar_j >= commit + 1: together, when bar_j >= thr = the smaller bound. */
            uint64_t thr = s->last_update[i];
            if (commit_block && commit_block[i] < thr)
                thr = commit_block[i] + 1; /* < last_update: no overflow */
            /* §2.6.3: the diagonal is dropped, except the owner's. */
            size_t diag = (owner && i == p->owner_uid) ? SIZE_MAX : i;
            size_t qb = r->row_ptr[i], len = r->row_ptr[i + 1] - qb;
            uint64_t usum;
            if (w->vec && thr > maxbar && len > 0 && /* r->pairs is NULL without pairs */
                tsr__yv_load_row(r->pairs + qb, len, (uint32_t)n,
                                 diag == SIZE_MAX ? UINT32_MAX : (uint32_t)diag, wp + k, &usum,
                                 true)) {
                k += len; /* no mask applied: every pair loaded, in order */
                sum = (int64_t)usum;
            } else {
                k += load_row(r->pairs, qb, qb + len, n, diag, s->block_at_registration, thr,
                              wp + k, &sum);
            }
        }
        if (sum > 0) { /* §2.6.6: zero pairs stay */
            /* The wrapping sum of whole numbers is whole: fdiv_of takes x = a, d = sum / 2^32,
             * lim = 2^63, and every numerator (a u16 as I32F32, < 2^48) is below lim. Each
             * quotient w / sum is <= 1.0 unless the sum wrapped below a weight (w_le1). */
            fdiv f = fdiv_of(sum);
            bool in = f.sh == 0 && f.lim == (uint64_t)1 << 63 && !w->slow;
            if (in && w->vec) {
                le1 &= tsr__yv_norm_row(wp + start, k - start, f.d, f.inv, true);
            } else if (in) {
                for (size_t q = start; q < k; q++) {
                    tsr_i32f32 v = fdiv_in(&f, wp[q].val);
                    wp[q].val = v;
                    le1 &= (uint64_t)v <= (uint64_t)ONE;
                }
            } else {
                for (size_t q = start; q < k; q++) {
                    tsr_i32f32 v = fdiv_do(&f, wp[q].val);
                    wp[q].val = v;
                    le1 &= (uint64_t)v <= (uint64_t)ONE;
                }
            }
        } else {
            /* sum <= 0 (all zero, or a sum wrapped by many duplicate pairs): the weights stay
             * whole numbers. */
            for (size_t q = start; q < k; q++)
                le1 &= (uint64_t)wp[q].val <= (uint64_t)ONE;
        }
        if (al && k > start)
            al = row_aligned(wp + start, k - start, &c0, &L);
        W->row_ptr[i + 1] = k;
    }
    w->maxbar = maxbar;
    w->w_le1 = le1;
    w->w_al = al;
    w->w_c0 = al ? c0 : NULL;
    w->w_L = al ? L : 0;
}

/* spec §2.10 for 0 < bp < 1: per row, densify W and Wc (a later duplicate wins), emit
 * v = w + bp (*) (wc - w) > 0 in ascending column order. Wc's columns are a subset of W's. */
static void interpolate_rows(yws *w, size_t n, const tsr_sparse *W, const tsr_sparse *Wc,
                             tsr_i32f32 bp, tsr_sparse *out, uint32_t *mark)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t m = ++*mark;
        size_t cnt = 0;
        for (size_t q = W->row_ptr[i]; q < W->row_ptr[i + 1]; q++) {
            uint32_t j = W->pairs[q].col;
            if (w->stamp[j] != m) {
                w->stamp[j] = m;
                w->cols[cnt++] = j;
            }
            w->acc[j] = W->pairs[q].val;
        }
        for (size_t q = Wc->row_ptr[i]; q < Wc->row_ptr[i + 1]; q++)
            w->acc2[Wc->pairs[q].col] = Wc->pairs[q].val;
        sort_touched(w, n, cnt, m);
        for (size_t c = 0; c < cnt; c++) {
            uint32_t j = w->cols[c];
            tsr_i32f32 a = w->acc[j];
            tsr_i32f32 v = fx_add(a, fx_mul(bp, fx_sub(w->acc2[j], a)));
            if (v > 0) {
                out->pairs[k].col = j;
                out->pairs[k++].val = v;
            }
            w->acc[j] = 0;
            w->acc2[j] = 0;
        }
        out->row_ptr[i + 1] = k;
    }
}

/* col_clip_sparse (spec §2.8): (j, v) becomes (j, C_j) when C_j < v, dropped if then C_j <= 0,
 * else kept (zero pairs too); validator trust = the exact (wrapping) row sums of the clipped
 * weights; ranks R_j = sum_i S_i (*) Wc_ij with saturating adds in row order (§2.9).
 * The products S_i (*) Wc_ij are kept by pair in w->hv: they are also original Yuma's
 * row_hadamard(Wc, S) (§2.12.2, the same exact product), whose column sums, taken the same way
 * in the same order, are then R itself (see bonds_original). */
/* clip_trust_ranks over aligned rows (load_weights' w_al: every non-empty row holds the columns
 * w_c0[0..w_L), ascending) with the vector kernel, when its preconditions hold: every weight in
 * [0, 1.0] (w_le1), every non-empty row's stake in [0, 1.0), and no pair dropped (a pair drops
 * when its column's consensus is <= 0 and below it: only columns of consensus 0 are checked,
 * usually none). Then the bounds of the scalar fast path hold (see there), the sums are exact,
 * so each column position t accumulates its ranks in inc[t] in any order, and Wc keeps W's
 * pairs (wc_same). Column position t's consensus and rank sums use the vector passes' divider
 * lanes vc.d and vc.inv (free until the bond passes), the zero-consensus positions w->cols.
 * Returns false, having written nothing the scalar pass needs, when a precondition fails. */
static bool clip_aligned(yws *w, size_t n, const tsr_sparse *W, tsr_sparse *Wc)
{
    if (!w->vec || !w->w_al || !w->w_le1 || !w->w_c0)
        return false;
    size_t L = w->w_L, z = 0;
    const tsr_pair *c0 = w->w_c0, *wp = W->pairs;
    int64_t *ca = (int64_t *)w->vc.d, *inc = (int64_t *)w->vc.inv;
    for (size_t t = 0; t < L; t++) {
        ca[t] = w->cons[c0[t].col];
        inc[t] = 0;
        if (ca[t] <= 0)
            w->cols[z++] = (uint32_t)t;
    }
    for (size_t i = 0; i < n; i++) {
        size_t b = W->row_ptr[i];
        if (W->row_ptr[i + 1] == b)
            continue;
        if (w->astake[i] < 0 || w->astake[i] >= ONE)
            return false;
        for (size_t q = 0; q < z; q++)
            if (ca[w->cols[q]] < wp[b + w->cols[q]].val)
                return false;
    }
    for (size_t i = 0; i < n; i++) {
        size_t b = W->row_ptr[i], len = W->row_ptr[i + 1] - b; /* 0 or L */
        uint64_t rs = 0;
        if (len > 0)
            rs = tsr__yv_clip_row(L, wp + b, ca, (uint64_t)w->astake[i], w->hv + b, Wc->pairs + b,
                                  inc, true);
        Wc->row_ptr[i + 1] = b + len;
        w->vtrust[i] = (tsr_i32f32)rs;
    }
    memset(w->incv, 0, n * sizeof *w->incv);
    for (size_t t = 0; t < L; t++)
        w->incv[c0[t].col] = inc[t];
    w->wc_same = true;
    return true;
}

static void clip_trust_ranks(yws *w, size_t n, const tsr_sparse *W, tsr_sparse *Wc)
{
    if (clip_aligned(w, n, W, Wc))
        return;
    size_t k = 0;
    tsr_i32f32 *incv = w->incv, *hv = w->hv;
    const tsr_i32f32 *cons = w->cons;
    const tsr_pair *wp = W->pairs;
    tsr_pair *cp = Wc->pairs;
    bool dropped = false;
    memset(incv, 0, n * sizeof *incv);
    for (size_t i = 0; i < n; i++) {
        tsr_i32f32 rs = 0, si = w->astake[i];
        size_t qe = W->row_ptr[i + 1];
        if (w->w_le1 && si >= 0 && si < ONE && !w->slow) {
            /* Every weight is in [0, 1.0] (w_le1), so is every consensus value (a weight or 0)
             * and every clipped weight; with 0 <= S_i < 1.0 the exact product S_i * Wc_ij is
             * below 2^64, so nn_mul is the 64-bit product shifted by 32 (no saturation), each
             * h < 2^32, and a column's sum of at most 65535 of them (one per row) stays below
             * 2^48: nn_add never saturates and is the plain sum. */
            /* Without branches (whether a weight is above its column's consensus is a coin
             * toss the predictor loses): every pair is written at k, which moves on only for a
             * kept one, so a dropped pair is overwritten by the next (k <= q: in bounds). A
             * dropped pair adds nothing: it is dropped when its consensus t <= 0, and t >= 0
             * here (a weight or 0), so its clipped value t is 0, and so is its product. */
            uint64_t us = (uint64_t)si, drop = 0;
            for (size_t q = W->row_ptr[i]; q < qe; q++) {
                tsr_pair e = wp[q];
                tsr_i32f32 t = cons[e.col];
                uint64_t lt = (uint64_t)(t < e.val), gone = lt & (uint64_t)(t <= 0);
                e.val = lt ? t : e.val;
                tsr_i32f32 h = (int64_t)((us * (uint64_t)e.val) >> 32);
                hv[k] = h;
                cp[k] = e;
                k += (size_t)(gone ^ 1);
                rs = fx_wrap_add(rs, e.val);
                incv[e.col] += h;
                drop |= gone;
            }
            dropped = dropped || drop != 0; /* Wc is then not W's columns (wc_same) */
            Wc->row_ptr[i + 1] = k;
            w->vtrust[i] = rs;
            continue;
        }
        for (size_t q = W->row_ptr[i]; q < qe; q++) {
            tsr_pair e = wp[q];
            tsr_i32f32 t = cons[e.col];
            if (t < e.val) {
                if (t <= 0) {
                    dropped = true;
                    continue;
                }
                e.val = t;
            }
            tsr_i32f32 h = nn_mul(si, e.val); /* all >= 0 */
            hv[k] = h;
            cp[k++] = e;
            rs = fx_wrap_add(rs, e.val);
            incv[e.col] = nn_add(incv[e.col], h);
        }
        Wc->row_ptr[i + 1] = k;
        w->vtrust[i] = rs;
    }
    w->wc_same = !dropped;
}

/* ================================ §2.11-§2.13 ================================================= */

/* load_bonds when nothing is masked (last_tempo above every registration block) and every
 * non-empty stored row holds W's aligned columns w_c0[0..w_L) (the steady state of a subnet):
 * each row is converted by the vector kernel (whole numbers for original Yuma, u16 proportions
 * for Yuma3), which also adds its values into column position t's sum (lanes vc.d, free until
 * the bond passes; only original Yuma reads the sums). No sum saturates: at most n < 2^15
 * values below 2^48 each. Sets b_al, which spares ema_aligned its column comparison of B.
 * Returns false, having written nothing the general loop needs, otherwise. */
static bool load_bonds_aligned(yws *w, size_t n, const tsr_yuma_rows *r, uint64_t last_tempo,
                               bool y3, tsr_sparse *B)
{
    size_t L = w->w_L;
    if (!w->vec || !w->w_al || !w->w_c0 || !r->row_ptr || last_tempo <= w->maxbar ||
        n >= ((size_t)1 << 15))
        return false;
    for (size_t i = 0; i < n; i++) {
        size_t len = r->row_ptr[i + 1] - r->row_ptr[i];
        if (len != 0 && len != L)
            return false;
    }
    int64_t *bs = (int64_t *)w->vc.d;
    memset(bs, 0, L * sizeof *bs);
    for (size_t i = 0; i < n; i++) {
        size_t qb = r->row_ptr[i], len = r->row_ptr[i + 1] - qb;
        if (len > 0 && !tsr__yv_bond_row(r->pairs + qb, L, w->w_c0, B->pairs + qb, bs, y3, true))
            return false;
        B->row_ptr[i + 1] = qb + len;
    }
    for (size_t t = 0; !y3 && t < L; t++)
        w->bsum[w->w_c0[t].col] = bs[t];
    w->b_al = true;
    return true;
}

/* spec §2.11 and §2.12.1 / §2.13.1: stored bonds as I32F32 integers (original Yuma) or u16
 * proportions (Yuma3), without the pairs whose column registered at or after last_tempo. */
static void load_bonds(const tsr_yuma_params *p, const tsr_yuma_state *s, yws *w, tsr_sparse *B)
{
    /* Original Yuma column-normalises B next (§2.12.1): its saturating column sums are taken
     * here, in the same row-major order, and the division happens where B is read. */
    memset(w->bsum, 0, s->n * sizeof *w->bsum);
    size_t n = s->n, k = 0;
    const tsr_yuma_rows *r = &s->bonds;
    uint64_t lms = s->last_mechanism_step_block, last_tempo;
    if (lms == 0)
        last_tempo = s->current_block > p->tempo ? s->current_block - p->tempo : 0;
    else
        last_tempo = lms == UINT64_MAX ? UINT64_MAX : lms + 1;
    /* Loop bounds and buffers in locals: the stores below could otherwise alias them. */
    const size_t *rptr = r->row_ptr;
    const tsr_yuma_pair *rp = r->pairs;
    const uint64_t *bar = s->block_at_registration;
    tsr_pair *bp = B->pairs;
    tsr_i32f32 *bsum = w->bsum;
    bool y3 = p->yuma3;
    if (load_bonds_aligned(w, n, r, last_tempo, y3, B))
        return;
    w->b_al = false;
    for (size_t i = 0; i < n; i++) {
        size_t qb = rptr ? rptr[i] : 0, qe = rptr ? rptr[i + 1] : 0;
        for (size_t q = qb; q < qe; q++) {
            size_t j = rp[q].uid;
            if (last_tempo <= bar[j])
                continue;
            uint16_t b = rp[q].value;
            bp[k].col = (uint32_t)j;
            if (y3) {
                bp[k].val = fx_prop16(b);
            } else { /* only bonds_original reads the sums (whole numbers >= 0) */
                bp[k].val = fx_u16(b);
                bsum[j] = nn_add(bsum[j], bp[k].val);
            }
            k++;
        }
        B->row_ptr[i + 1] = k;
    }
}

/* The new-term source of a fixed-alpha EMA: Wb itself (Yuma3) or the column-normalised
 * row_hadamard(Wb, active stake) (original Yuma, §2.12.2): the products by pair, divided here. */
typedef struct ema_src {
    const tsr_sparse *m;  /* Wb */
    const tsr_i32f32 *hv; /* row_hadamard(Wb, active stake) by pair of Wb, or NULL (use Wb) */
    const fdiv *cdiv;     /* fdiv_nz dividers of hv's column sums */
    const fdiv *odiv;     /* fdiv_nz dividers of the old term's column sums, or NULL */
} ema_src;

static inline tsr_i32f32 src_val(const ema_src *src, size_t q)
{
    if (src->hv)
        return fdiv_do(&src->cdiv[src->m->pairs[q].col], src->hv[q]);
    return src->m->pairs[q].val;
}

static inline tsr_i32f32 old_val(const ema_src *src, uint32_t j, tsr_i32f32 b)
{
    return src->odiv ? fdiv_do(&src->odiv[j], b) : b;
}

/* The EMA's emitted pair (j, v > 0): stored, with the column sums (saturating, emission
 * order = E's row-major order) and, when wanted, the column maxima. */
static inline int ema_emit(tsr_sparse *E, size_t *k, uint32_t j, tsr_i32f32 v, tsr_i32f32 *esum,
                           tsr_i32f32 *emax)
{
    if (*k >= E->cap)
        return TSR_ECAPACITY;
    E->pairs[*k].col = j;
    E->pairs[(*k)++].val = v;
    esum[j] = nn_add(esum[j], v); /* v > 0 */
    if (emax && emax[j] < v)
        emax[j] = v;
    return TSR_OK;
}

/* Whether rows N[nb, ne) and B[bb, be) hold the same columns, pair by pair, in strictly
 * ascending order: then each column of the row occurs once in each matrix, at the same
 * position, and the rows' order is the ascending column order. (The common steady state: the
 * stored bonds are the previous EMA, which has Wb's columns.) */
static bool same_cols(const tsr_sparse *N, size_t nb, size_t ne, const tsr_sparse *B, size_t bb,
                      size_t be)
{
    if (ne - nb != be - bb)
        return false;
    const tsr_pair *np = N->pairs + nb, *bp = B->pairs + bb;
    uint64_t bad = 0, prev = 0; /* prev = 1 + the previous column (0: none yet) */
    for (size_t t = 0; t < ne - nb && bad == 0; t++) {
        uint64_t j = np[t].col;
        bad |= (uint64_t)(bp[t].col != j) | (uint64_t)(j + 1 <= prev);
        prev = j + 1;
    }
    return bad == 0;
}

/* ema_fixed's row when same_cols holds. Column j then gets exactly acc_j = 0 (+) a, then
 * (+) c, with a = alpha (*) new_ij and c = (1 - alpha) (*) old_ij, and 0 (+) a = a exactly
 * (no saturation is possible); the columns come in ascending order already, so the pairs
 * emitted, their order and esum's adds are those of the general path, which leaves acc, stamp
 * and cols unused (acc stays all zero). */
static int ema_fixed_row_same(const ema_src *src, size_t i, const tsr_sparse *B, tsr_i32f32 alpha,
                              tsr_i32f32 one_minus, tsr_sparse *E, tsr_i32f32 *esum,
                              tsr_i32f32 *emax, size_t *kp)
{
    const tsr_sparse *N = src->m;
    size_t nb = N->row_ptr[i], bb = B->row_ptr[i], len = N->row_ptr[i + 1] - nb;
    if (src->hv && src->odiv && alpha >= 0 && one_minus >= 0 && *kp <= E->cap &&
        len <= E->cap - *kp && emax) {
        /* Original Yuma's usual case: every operand is >= 0 (alpha in [0, 1]; products of
         * weights and stakes; bonds), so the non-negative operations give the same values, and
         * the row fits E. */
        const tsr_pair *np = N->pairs + nb, *bp = B->pairs + bb;
        tsr_pair *ep = E->pairs;
        size_t k = *kp;
        for (size_t t = 0; t < len; t++) {
            uint32_t j = np[t].col;
            tsr_i32f32 b = fdiv_do(&src->odiv[j], bp[t].val);
            tsr_i32f32 a = fdiv_do(&src->cdiv[j], src->hv[nb + t]);
            tsr_i32f32 v = nn_add(nn_mul(alpha, a), nn_mul(one_minus, b));
            if (v > 0) {
                ep[k].col = j;
                ep[k++].val = v;
                esum[j] = nn_add(esum[j], v);
                emax[j] = emax[j] < v ? v : emax[j];
            }
        }
        *kp = k;
        return TSR_OK;
    }
    for (size_t t = 0; t < len; t++) {
        uint32_t j = N->pairs[nb + t].col;
        tsr_i32f32 b = old_val(src, j, B->pairs[bb + t].val);
        tsr_i32f32 v = fx_add(fx_mul(alpha, src_val(src, nb + t)), fx_mul(one_minus, b));
        if (v > 0 && ema_emit(E, kp, j, v, esum, emax))
            return TSR_ECAPACITY;
    }
    return TSR_OK;
}

/* mat_ema_sparse (spec §2.12.4): acc_j = alpha (*) new_ij (+ over new pairs), then
 * + (1 - alpha) (*) old_ij (over old pairs), saturating; emit acc_j > 0 ascending. */
static int ema_fixed(yws *w, size_t n, const ema_src *src, const tsr_sparse *B, tsr_i32f32 alpha,
                     tsr_sparse *E, tsr_i32f32 *esum, tsr_i32f32 *emax, uint32_t *mark)
{
    tsr_i32f32 one_minus = fx_sub(ONE, alpha);
    /* alpha in [0, 1] (bonds_moving_average <= 1e6): every term is >= 0 (weights, bonds and
     * their quotients are), so the non-negative operations give the same values. */
    bool nn = alpha >= 0 && one_minus >= 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t m = ++*mark;
        size_t cnt = 0;
        const tsr_sparse *N = src->m;
        if (same_cols(N, N->row_ptr[i], N->row_ptr[i + 1], B, B->row_ptr[i], B->row_ptr[i + 1])) {
            int rc = ema_fixed_row_same(src, i, B, alpha, one_minus, E, esum, emax, &k);
            if (rc)
                return rc;
            E->row_ptr[i + 1] = k;
            continue;
        }
        for (size_t q = N->row_ptr[i]; q < N->row_ptr[i + 1]; q++) {
            uint32_t j = N->pairs[q].col;
            if (w->stamp[j] != m) {
                w->stamp[j] = m;
                w->cols[cnt++] = j;
            }
            tsr_i32f32 x = src_val(src, q);
            w->acc[j] =
                nn ? nn_add(w->acc[j], nn_mul(alpha, x)) : fx_add(w->acc[j], fx_mul(alpha, x));
        }
        for (size_t q = B->row_ptr[i]; q < B->row_ptr[i + 1]; q++) {
            uint32_t j = B->pairs[q].col;
            if (w->stamp[j] != m) {
                w->stamp[j] = m;
                w->cols[cnt++] = j;
            }
            tsr_i32f32 b = old_val(src, j, B->pairs[q].val);
            w->acc[j] = nn ? nn_add(w->acc[j], nn_mul(one_minus, b))
                           : fx_add(w->acc[j], fx_mul(one_minus, b));
        }
        sort_touched(w, n, cnt, m);
        for (size_t c = 0; c < cnt; c++) {
            uint32_t j = w->cols[c];
            tsr_i32f32 v = w->acc[j];
            w->acc[j] = 0;
            if (v > 0 && ema_emit(E, &k, j, v, esum, emax))
                return TSR_ECAPACITY;
        }
        E->row_ptr[i + 1] = k;
    }
    return TSR_OK;
}

/* Liquid-alpha constants (spec §2.13.2). */
typedef struct lalpha {
    tsr_i32f32 low, high; /* AlphaValues as u16 proportions */
    tsr_i32f32 k;         /* steepness / -100 (saturating division) */
    amemo *memo;          /* TSR__AMEMO entries */
} lalpha;

static tsr_i32f32 alpha_miss(const lalpha *la, amemo *slot, tsr_i32f32 d);

/* alpha_sigmoid (spec §2.13.2): d from (c, w, b), then the memo; the sigmoid on a miss. */
static inline tsr_i32f32 alpha_d(tsr_i32f32 c, tsr_i32f32 wv, tsr_i32f32 bv)
{
    tsr_i32f32 buy = wv - c, sell = bv - wv; /* all >= 0: no overflow, as fx_sub */
    buy = buy > ONE ? ONE : (buy < 0 ? 0 : buy);
    sell = sell > ONE ? ONE : (sell < 0 ? 0 : sell);
    return wv >= bv ? buy : sell;
}

/* alpha for d, from the memo or the sigmoid. */
static inline tsr_i32f32 alpha_of_d(const lalpha *la, tsr_i32f32 d)
{
    amemo *slot = &la->memo[tsr__yv_memo_slot(d)];
    if (slot->d == d)
        return slot->alpha;
    return alpha_miss(la, slot, d);
}

static inline tsr_i32f32 alpha_sigmoid(const lalpha *la, tsr_i32f32 c, tsr_i32f32 wv, tsr_i32f32 bv)
{
    return alpha_of_d(la, alpha_d(c, wv, bv));
}

/* The sigmoid of d (spec §2.13.2), stored in its memo slot. */
static tsr_i32f32 alpha_miss(const lalpha *la, amemo *slot, tsr_i32f32 d)
{
    tsr_i32f32 x = fx_mul(la->k, fx_sub(d, ONE / 2));
    tsr_i32f32 sig = fx_recip(fx_add(ONE, tsr__yuma_exp_safe(x)));
    tsr_i32f32 a = fx_add(la->low, fx_mul(sig, fx_sub(la->high, la->low)));
    if (a > la->high) /* clamp_value: min(high), then max(low) */
        a = la->high;
    if (a < la->low)
        a = la->low;
    slot->d = d;
    slot->alpha = a;
    return a;
}

/* The pairs of row [b, e) that the chain's column cursor stops on (spec §2.13.2): those whose
 * column exceeds every earlier column of the row. Their values go to seen[col]. */
static void mark_seen(const tsr_sparse *m, size_t b, size_t e, tsr_i32f32 *seen)
{
    uint32_t mx = 0;
    for (size_t q = b; q < e; q++) {
        uint32_t j = m->pairs[q].col;
        if (q == b || j > mx) {
            seen[j] = m->pairs[q].val;
            mx = j;
        }
    }
}

/* ema_liquid's row when same_cols holds. Every column then exceeds all earlier ones in both
 * rows, so each pair is seen (wseen_j = new_ij, bseen_j = old_ij); column j's alpha is computed
 * once (the general path's amark memo), dec_j = (1 - alpha) (*) old_ij is the only old term of
 * j, and the new pair of j comes at the same position: the same values are emitted in the same
 * order, and the general path's scratch (wseen, bseen, dec, alpha, amark) is left untouched. */
static size_t ema_liquid_row_same(const yws *w, const lalpha *la, const tsr_sparse *N, size_t nb,
                                  size_t ne, const tsr_sparse *B, size_t bb, tsr_sparse *E,
                                  tsr_i32f32 *esum, size_t k)
{
    const tsr_pair *np = N->pairs + nb, *bp = B->pairs + bb;
    tsr_i32f32 last_d = -1, last_a = 0; /* the previous pair's d and alpha (d >= 0) */
    for (size_t t = 0; t < ne - nb; t++) {
        uint32_t j = np[t].col;
        tsr_i32f32 nv = np[t].val, bv = bp[t].val;
        tsr_i32f32 d = alpha_d(w->cons[j], nv, bv);
        tsr_i32f32 a = d == last_d ? last_a : alpha_sigmoid(la, w->cons[j], nv, bv);
        last_d = d;
        last_a = a;
        /* alpha in [0, 1] (clamped between two u16 proportions), weights and bonds >= 0: the
         * products and sums are non-negative, as is inc, so inc > 0 ? inc : 0 is inc. */
        tsr_i32f32 dec = nn_mul(ONE - a, bv);
        tsr_i32f32 inc = nn_mul(a, nv);
        tsr_i32f32 v = nn_add(dec, inc);
        if (v > ONE)
            v = ONE;
        if (v > 0) {
            E->pairs[k].col = j;
            E->pairs[k++].val = v;
            esum[j] = nn_add(esum[j], v);
        }
    }
    return k;
}

/* compute_liquid_alpha_values_sparse + mat_ema_alpha_sparse (spec §2.13.2). The chain walks
 * j = 0..n-1 with a forward cursor per row that only stops on a pair whose column equals j, so
 * a pair is seen exactly when its column exceeds every earlier column of its row (a strict
 * running maximum); other pairs count as 0 for the alpha. Alpha is computed only for the
 * columns the EMA reads (the old row's and the new row's), memoised per row. */
static void ema_liquid(yws *w, size_t n, const lalpha *la, const tsr_sparse *N, const tsr_sparse *B,
                       tsr_sparse *E, tsr_i32f32 *esum, uint32_t *mark)
{
    tsr_i32f32 *wseen = w->acc, *bseen = w->acc2, *dec = w->colv2;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t m = ++*mark;
        size_t nb = N->row_ptr[i], ne = N->row_ptr[i + 1], bb = B->row_ptr[i],
               be = B->row_ptr[i + 1];
        if (same_cols(N, nb, ne, B, bb, be)) {
            k = ema_liquid_row_same(w, la, N, nb, ne, B, bb, E, esum, k);
            E->row_ptr[i + 1] = k;
            continue;
        }
        mark_seen(N, nb, ne, wseen);
        mark_seen(B, bb, be, bseen);
        for (size_t q = bb; q < be; q++) {
            uint32_t j = B->pairs[q].col;
            if (w->amark[j] != m) {
                w->amark[j] = m;
                w->alpha[j] = alpha_sigmoid(la, w->cons[j], wseen[j], bseen[j]);
            }
            dec[j] = nn_mul(ONE - w->alpha[j], B->pairs[q].val); /* see ema_liquid_row_same */
        }
        for (size_t q = nb; q < ne; q++) {
            uint32_t j = N->pairs[q].col;
            if (w->amark[j] != m) {
                w->amark[j] = m;
                w->alpha[j] = alpha_sigmoid(la, w->cons[j], wseen[j], bseen[j]);
            }
            tsr_i32f32 inc = nn_mul(w->alpha[j], N->pairs[q].val);
            tsr_i32f32 v = nn_add(dec[j], inc);
            if (v > ONE)
                v = ONE;
            if (v > 0) {
                E->pairs[k].col = j;
                E->pairs[k++].val = v;
                esum[j] = nn_add(esum[j], v); /* §2.13.3's column sums, in row-major order */
            }
        }
        for (size_t q = nb; q < ne; q++)
            wseen[N->pairs[q].col] = 0;
        for (size_t q = bb; q < be; q++) {
            bseen[B->pairs[q].col] = 0;
            dec[B->pairs[q].col] = 0;
        }
        E->row_ptr[i + 1] = k;
    }
}

/* The stored Bonds rows being written (spec §2.14 "Stored per epoch"): rows of uids with a new
 * permit get the quantised EMA row, the others nothing. Running out of capacity is recorded and
 * reported once the epoch's other outputs are written. */
typedef struct bout {
    tsr_yuma_pair *pairs; /* out->bonds, or NULL when bonds are not wanted */
    size_t *ptr;          /* out->bonds_row_ptr */
    size_t cap, k;        /* capacity, pairs written */
    int rc;               /* TSR_ECAPACITY once capacity ran out */
} bout;

static void bout_init(bout *o, const tsr_yuma_out *out)
{
    o->ptr = out->bonds_row_ptr;
    o->pairs = o->ptr ? out->bonds : NULL;
    o->cap = out->bonds_cap;
    o->k = 0;
    o->rc = TSR_OK;
    if (o->ptr)
        o->ptr[0] = 0;
}

/* Whether row i's len pairs are to be written (not for an empty row: nothing to write);
 * TSR_ECAPACITY is recorded when they do not fit (the rows are then incomplete, which the
 * caller reports). */
static inline bool bout_row(bout *o, const yws *w, size_t i, size_t len)
{
    if (!o->ptr || !w->newperm[i] || o->rc != TSR_OK || len == 0)
        return false;
    if (len > o->cap - o->k) {
        o->rc = TSR_ECAPACITY;
        return false;
    }
    return true;
}

static inline void bout_end_row(bout *o, size_t i)
{
    if (o->ptr)
        o->ptr[i + 1] = o->k;
}

/* bout_row for dense row i of L EMA values e (zeros included; only e > 0 are written): where
 * its pairs go, or NULL when they are not written. The count is L, an upper bound, unless the
 * capacity is short: then it is exact, so that a row that fits is not refused. */
static tsr_yuma_pair *bout_dense_row(bout *bo, const yws *w, size_t i, const tsr_i32f32 *e,
                                     size_t L)
{
    size_t cnt = L;
    if (bo->ptr && w->newperm[i] && bo->rc == TSR_OK && L > bo->cap - bo->k) {
        cnt = 0;
        for (size_t t = 0; t < L; t++)
            cnt += e[t] > 0;
    }
    return bout_row(bo, w, i, cnt) ? bo->pairs + bo->k : NULL;
}

/* Whether the EMA's inputs are aligned: every non-empty row of Wb holds the same strictly
 * ascending columns (those of the first one, c0[0..L)), and each row of B holds exactly the
 * columns of its Wb row (empty where Wb's is empty). The non-empty rows go to w->drows (*R of
 * them) with their starts in Wb and B. Then every row passes same_cols, each row's EMA is
 * ema_fixed_row_same's, and the EMA is a dense R x L matrix (the usual dense validator rows,
 * and the steady state where the stored bonds are the previous EMA). */
static bool ema_aligned(yws *w, size_t n, const tsr_sparse *Wb, const tsr_sparse *B, size_t *R,
                        size_t *L, const tsr_pair **c0)
{
    const tsr_pair *cp = NULL, *wp = Wb->pairs, *bp = B->pairs;
    size_t len0 = 0, r = 0;
    for (size_t i = 0; i < n; i++) {
        size_t nb = Wb->row_ptr[i], len = Wb->row_ptr[i + 1] - nb, bb = B->row_ptr[i];
        if (B->row_ptr[i + 1] - bb != len)
            return false;
        if (len == 0)
            continue;
        uint64_t bad = 0;
        if (w->wb_al && w->w_c0) { /* w_c0 is set whenever wb_al is (said for the analyser) */
            /* Wb's non-empty rows are known to hold w_c0's w_L ascending columns (Wb is W, or
             * Wc with W's pairs): only B's columns are compared, unless load_bonds found them
             * to be those too (b_al; then a row of B of this length holds them). */
            cp = w->w_c0;
            len0 = w->w_L;
            bad = (uint64_t)(len != len0);
            for (size_t t = 0; !w->b_al && t < len; t++)
                bad |= (uint64_t)(bp[bb + t].col != cp[t].col);
        } else {
            if (!cp) {
                cp = wp + nb;
                len0 = len;
                for (size_t t = 1; t < len; t++)
                    if (cp[t - 1].col >= cp[t].col)
                        return false;
            }
            if (len != len0)
                return false;
            for (size_t t = 0; t < len; t++)
                bad |= (uint64_t)(wp[nb + t].col != cp[t].col) |
                       (uint64_t)(bp[bb + t].col != cp[t].col);
        }
        if (bad)
            return false;
        w->drows[r] = (uint32_t)i;
        w->dwb[r] = nb;
        w->dbb[r] = bb;
        r++;
    }
    *R = r;
    *L = len0;
    *c0 = cp;
    return true;
}

/* Column t's dividers into the vector kernels' lanes (tsr_yuma_vec.h). */
static inline void lane_put(tsr__yvdiv *v, size_t t, const fdiv *f)
{
    v->d[t] = f->d;
    v->inv[t] = f->inv;
    v->sh[t] = f->sh;
}

/* bonds_original's EMA and last pass for aligned inputs (ema_aligned), 0 <= alpha <= 1.0. Row by
 * row the general path (ema_fixed_row_same's non-negative branch) emits, for each column j of
 * the row in ascending order, v = alpha (*) (hv / hsum_j) (+) (1 - alpha) (*) (b / bsum_j) when
 * v > 0, and adds v to the column's saturating sum and maximum; its last pass adds
 * nn_mul(I_j, v / s_j) to row i's dividend and writes the stored bond. Here the rows are dense
 * (zeros included) and the dividers of column position t are gathered once into cdiv[t] and
 * bdiv[t] (in place: the column c0[t] >= t, read before position c0[t] is written), with the
 * column sums and maxima in colv[t] and colv2[t]. A zero v adds nothing to a column sum, a
 * maximum from 0 or a dividend (nn_mul(I_j, 0 / s_j) = 0), and writes no pair, so every value,
 * sum and pair is the general path's.
 * Fast case of the EMA (all columns, checked once): hsum_j and bsum_j are saturating sums of the
 * column's non-negative numerators (row_hadamard products, bonds), so each numerator a obeys
 * 0 <= a <= b and, when fdiv_all_in holds for the divider, takes the fast path with a quotient
 * <= 1.0 = 2^32; with 0 < alpha < 1.0 both products are then below 2^64, so nn_mul's floor is
 * the 64-bit product shifted by 32, each term is below 2^32, v < 2^33, and a column sum of at
 * most 65535 such v never saturates.
 * Fast case of the last pass: each v is at most its column sum s_j, so with fdiv_all_in x = v /
 * s_j is fast and <= 1.0; x <= m_j = emax_j / s_j (the division is non-decreasing), so x / m_j
 * is fast likewise; 0 <= I_j < 1.0 and x <= 2^32 make nn_mul(I_j, x) the 64-bit product shifted
 * by 32, below 2^32, and a row's sum of at most 65535 of them never saturates. */
static void bonds_original_aligned(yws *w, size_t n, bout *bo, tsr_i32f32 alpha,
                                   tsr_i32f32 one_minus, const tsr_sparse *B, size_t R, size_t L,
                                   const tsr_pair *c0)
{
    tsr_i32f32 *ed = w->edense, *es = w->colv, *em = w->colv2, *inc = w->alpha;
    fdiv *cd = w->cdiv, *od = w->bdiv;
    bool fast = !w->slow && alpha > 0 && alpha < ONE;
    /* lo0 (tsr_yuma_vec.h): the numerators hv of a column are fractions, so x = hv << sh has a
     * zero low half when sh = 32 (hv < 2^32 by fdiv_all_in) or when the column's sum is 0 (then
     * every hv is 0); the bonds are whole numbers (u16 << 32), so x always has one. */
    w->vc.lo0 = true;
    w->vo.lo0 = true;
    for (size_t t = 0; t < L; t++) {
        uint32_t j = c0[t].col;
        cd[t] = cd[j];
        od[t] = od[j];
        es[t] = 0;
        em[t] = 0;
        inc[t] = w->incv[j];
        fast = fast && fdiv_all_in(&cd[t]) && fdiv_all_in(&od[t]);
        w->vc.lo0 = w->vc.lo0 && (cd[t].sh == 32 || cd[t].b == 0);
        if (w->vec) {
            lane_put(&w->vc, t, &cd[t]);
            lane_put(&w->vo, t, &od[t]);
        }
    }
    const tsr_i32f32 *hv = w->hv;
    const tsr_pair *bpairs = B->pairs;
    uint64_t al = (uint64_t)alpha, om = (uint64_t)one_minus;
    for (size_t r = 0; r < R; r++) {
        const tsr_i32f32 *hp = hv + w->dwb[r];
        const tsr_pair *bp = bpairs + w->dbb[r];
        tsr_i32f32 *e = ed + r * L;
        if (fast && w->vec) {
            tsr__yv_ema_row(L, hp, bp, &w->vc, &w->vo, al, om, e, es, em, true);
        } else if (fast) {
            for (size_t t = 0; t < L; t++) {
                uint64_t a = (uint64_t)fdiv_in(&cd[t], hp[t]);
                uint64_t b = (uint64_t)fdiv_in(&od[t], bp[t].val);
                tsr_i32f32 v = (int64_t)(((al * a) >> 32) + ((om * b) >> 32));
                e[t] = v;
                es[t] += v;
                em[t] = em[t] < v ? v : em[t];
            }
        } else {
            for (size_t t = 0; t < L; t++) {
                tsr_i32f32 a = fdiv_do(&cd[t], hp[t]);
                tsr_i32f32 b = fdiv_do(&od[t], bp[t].val);
                tsr_i32f32 v = nn_add(nn_mul(alpha, a), nn_mul(one_minus, b));
                e[t] = v;
                es[t] = nn_add(es[t], v);
                em[t] = em[t] < v ? v : em[t];
            }
        }
    }
    fast = !w->slow;
    /* lo0: both numerators (EMA values, then their quotients) are fractions; as above. For the
     * second divider the condition in fact always holds (m_j is a whole 1.0 only when one EMA
     * value of the column is non-zero, and its quotient x is then 1.0, whole), but it costs
     * nothing to check. */
    w->vc.lo0 = true;
    w->vo.lo0 = true;
    for (size_t t = 0; t < L; t++) { /* §2.12.5-7, as in bonds_original */
        cd[t] = fdiv_nz(es[t]);
        od[t] = fdiv_nz(fdiv_do(&cd[t], em[t]));
        fast = fast && fdiv_all_in(&cd[t]) && fdiv_all_in(&od[t]) && inc[t] >= 0 && inc[t] < ONE;
        w->vc.lo0 = w->vc.lo0 && (cd[t].sh == 32 || cd[t].b == 0);
        w->vo.lo0 = w->vo.lo0 && (od[t].sh == 32 || od[t].b == 0);
        w->cols[t] = c0[t].col; /* the stored pairs' uids, for tsr__yv_pack_row */
        if (w->vec) {
            lane_put(&w->vc, t, &cd[t]);
            lane_put(&w->vo, t, &od[t]);
        }
    }
    for (size_t i = 0, r = 0; i < n; i++) {
        if (r == R || w->drows[r] != i) { /* an empty row */
            w->divs[i] = 0;
            bout_end_row(bo, i);
            continue;
        }
        const tsr_i32f32 *e = ed + r * L;
        tsr_yuma_pair *op = bout_dense_row(bo, w, i, e, L);
        bool put = op != NULL;
        size_t m = 0;
        tsr_i32f32 acc = 0;
        if (fast && w->vec) {
            acc = (int64_t)tsr__yv_last_row(L, e, &w->vc, &w->vo, inc, w->vq, true);
            if (put)
                m = tsr__yv_pack_row(L, e, w->cols, w->vq, op, true);
        } else if (fast) {
            uint64_t uacc = 0;
            for (size_t t = 0; t < L; t++) {
                tsr_i32f32 x = fdiv_in(&cd[t], e[t]);
                uacc += ((uint64_t)inc[t] * (uint64_t)x) >> 32;
                if (put && e[t] > 0) {
                    op[m].uid = (uint16_t)c0[t].col;
                    op[m++].value = fx_q16(fdiv_in(&od[t], x));
                }
            }
            acc = (int64_t)uacc;
        } else {
            for (size_t t = 0; t < L; t++) {
                tsr_i32f32 x = fdiv_do(&cd[t], e[t]);
                acc = nn_add(acc, nn_mul(inc[t], x));
                if (put && e[t] > 0) {
                    op[m].uid = (uint16_t)c0[t].col;
                    op[m++].value = fx_q16(fdiv_do(&od[t], x));
                }
            }
        }
        bo->k += m;
        w->divs[i] = acc;
        bout_end_row(bo, i);
        r++;
    }
    normalize(w->divs, n);
}

/* Original Yuma (spec §2.12). Several of the chain's passes are fused here, each value still
 * going through the chain's operations in the chain's order: the row_hadamard products are
 * taken once (with their column sums) and divided where the EMA reads them, B is divided by its
 * column sums there too, the EMA's column sums and maxima are taken as it is emitted, and one
 * last pass normalises each EMA value, adds it into the dividends and writes its stored bond.
 * The stored bond is the normalised value divided by its column's maximum normalised value
 * (§2.12.7); as v -> floor(v 2^32 / s) is non-decreasing (and never overflows: each EMA value
 * is at most its column's saturating sum of positive values), that maximum is the normalised
 * maximum raw EMA value, known before the pass. */
static int bonds_original(const tsr_yuma_params *p, yws *w, size_t n, const tsr_sparse *Wb,
                          const tsr_sparse *B, tsr_sparse *E, bout *bo, bool wb_is_wc,
                          uint32_t *mark)
{
    for (size_t j = 0; j < n; j++) /* §2.12.1 (sums from load_bonds) */
        w->bdiv[j] = fdiv_nz(w->bsum[j]);
    /* §2.12.2: row_hadamard(Wb, active stake) and its column sums, saturating over all pairs.
     * For Wb = Wc both are the ranks' (clip_trust_ranks): the products in w->hv, and the
     * column sums R, saved in colv2 before the incentive was normalised. */
    if (!wb_is_wc)
        memset(w->colv2, 0, n * sizeof *w->colv2);
    for (size_t i = 0; i < n && !wb_is_wc; i++) {
        tsr_i32f32 si = w->astake[i];
        for (size_t q = Wb->row_ptr[i]; q < Wb->row_ptr[i + 1]; q++) {
            uint32_t j = Wb->pairs[q].col;
            w->hv[q] = nn_mul(Wb->pairs[q].val, si); /* weights and stakes are >= 0 */
            w->colv2[j] = nn_add(w->colv2[j], w->hv[q]);
        }
    }
    for (size_t j = 0; j < n; j++)
        w->cdiv[j] = fdiv_nz(w->colv2[j]);
    ema_src src = {Wb, w->hv, w->cdiv, w->bdiv};
    memset(w->colv, 0, n * sizeof *w->colv);
    memset(w->colv2, 0, n * sizeof *w->colv2);
    tsr_i32f32 alpha = tsr_bonds_moving_average_alpha(p->bonds_moving_average);
    tsr_i32f32 one_minus = fx_sub(ONE, alpha);
    size_t R, L;
    const tsr_pair *c0;
    if (alpha >= 0 && one_minus >= 0 && !w->slow && ema_aligned(w, n, Wb, B, &R, &L, &c0)) {
        bonds_original_aligned(w, n, bo, alpha, one_minus, B, R, L, c0);
        return TSR_OK;
    }
    int rc = ema_fixed(w, n, &src, B, tsr_bonds_moving_average_alpha(p->bonds_moving_average), E,
                       w->colv, w->colv2, mark); /* §2.12.3-4 */
    if (rc)
        return rc;
    /* §2.12.5-7: column-normalise, D_i = sum_j I_j (*) EMA_ij (saturating, row order), and the
     * stored bonds max-upscaled by column. */
    for (size_t j = 0; j < n; j++) {
        w->cdiv[j] = fdiv_nz(w->colv[j]);
        w->bdiv[j] = fdiv_nz(fdiv_do(&w->cdiv[j], w->colv2[j]));
    }
    const tsr_pair *ep = E->pairs;
    const fdiv *cd = w->cdiv, *md = w->bdiv;
    const tsr_i32f32 *incv = w->incv;
    for (size_t i = 0; i < n; i++) {
        tsr_i32f32 acc = 0;
        size_t qb = E->row_ptr[i], qe = E->row_ptr[i + 1];
        if (bout_row(bo, w, i, qe - qb)) {
            tsr_yuma_pair *op = bo->pairs + bo->k; /* the row's pairs, op[q - qb] */
            for (size_t q = qb; q < qe; q++) {
                uint32_t j = ep[q].col;
                tsr_i32f32 v = fdiv_do(&cd[j], ep[q].val); /* E, I >= 0 */
                acc = nn_add(acc, nn_mul(incv[j], v));
                op[q - qb].uid = (uint16_t)j;
                op[q - qb].value = fx_q16(fdiv_do(&md[j], v));
            }
            bo->k += qe - qb;
        } else {
            for (size_t q = qb; q < qe; q++) {
                uint32_t j = ep[q].col;
                acc = nn_add(acc, nn_mul(incv[j], fdiv_do(&cd[j], ep[q].val)));
            }
        }
        w->divs[i] = acc;
        bout_end_row(bo, i);
    }
    normalize(w->divs, n);
    return TSR_OK;
}

/* Yuma3's last pass over a dense R x L EMA block (bonds_yuma3_aligned, bonds_yuma3_union):
 * ed row r is row drows[r], position t column cols[t]; es[t] the column sums, inc[t] the
 * incentives. As bonds_yuma3's pass over E: a zero value adds nothing and writes no pair. */
static void y3_dense_last(yws *w, size_t n, size_t R, size_t L, bout *bo)
{
    const tsr_i32f32 *ed = w->edense, *es = w->colv, *inc = w->alpha;
    fdiv *cd = w->cdiv;
    bool fast = true;
    w->vc.lo0 = true; /* the EMA values are fractions: as in bonds_original_aligned */
    for (size_t t = 0; t < L; t++) {
        cd[t] = fdiv_nz(es[t]);
        fast = fast && fdiv_all_in(&cd[t]) && inc[t] >= 0 && inc[t] < ONE;
        w->vc.lo0 = w->vc.lo0 && (cd[t].sh == 32 || cd[t].b == 0);
        lane_put(&w->vc, t, &cd[t]);
    }
    for (size_t i = 0, r = 0; i < n; i++) {
        if (r == R || w->drows[r] != i) { /* an empty row: tb = 0 */
            w->divs[i] = 0;
            bout_end_row(bo, i);
            continue;
        }
        const tsr_i32f32 *e = ed + r * L;
        tsr_yuma_pair *op = bout_dense_row(bo, w, i, e, L);
        bool put = op != NULL;
        size_t m = 0;
        tsr_i32f32 tb = 0;
        if (fast) { /* as bonds_yuma3's fast case */
            uint64_t utb = tsr__yv_y3_last_row(L, e, &w->vc, inc, w->vq, true);
            tb = (utb >> 63) ? -(int64_t)(~utb) - 1 : (int64_t)utb;
            if (put)
                m = tsr__yv_pack_row(L, e, w->cols, w->vq, op, true);
        } else {
            for (size_t t = 0; t < L; t++) {
                tb = fx_wrap_add(tb, nn_mul(fdiv_do(&cd[t], e[t]), inc[t]));
                if (put && e[t] > 0) {
                    op[m].uid = (uint16_t)w->cols[t];
                    op[m++].value = fx_q16(e[t]);
                }
            }
        }
        bo->k += m;
        w->divs[i] = fx_mul_or0(tb, w->astake[i]);
        bout_end_row(bo, i);
        r++;
    }
    normalize(w->divs, n);
}

/* bonds_yuma3 for aligned inputs (ema_aligned: every non-empty row of Wb and of B holds the
 * same ascending columns c0[0..L)), through the vector kernels. Row by row the general path
 * (ema_liquid_row_same or ema_fixed_row_same, then the dividends' pass over E) computes, at
 * each position t (column j = c0[t]), v = (1 - a) (*) b + a (*) w, clamped to 1.0 with liquid
 * alpha (with a fixed alpha in [0, 1.0], v <= max(w, b) <= 1.0 anyway); it emits v > 0 and adds
 * it to column j's saturating sum s_j; then x = v / s_j enters the row's wrapping sum through
 * nn_mul(x, I_j), and the stored bond is fixed_proportion_to_u16(v). Here the rows are dense,
 * zeros included: a zero v adds nothing to a sum and writes no pair. With w, b and a in
 * [0, 1.0] (w_le1; bonds are u16 proportions; liquid alpha lies between two u16 proportions, a
 * fixed alpha is checked) every product is at most 1.0 and no column sum of at most 65535 of
 * them saturates, so the kernels' plain arithmetic gives the chain's values. Liquid alpha: the
 * kernel takes each d's alpha from the memo and the misses are computed here (the memo's
 * contents change no value). Returns false, having written nothing, unless aligned. Scratch:
 * acc and acc2, which nothing reads after the bonds. */
static bool bonds_yuma3_aligned(yws *w, size_t n, const lalpha *la, tsr_i32f32 alpha,
                                const tsr_sparse *Wb, const tsr_sparse *B, const tsr_sparse *E,
                                bout *bo)
{
    size_t R, L;
    const tsr_pair *c0;
    if (!w->vec || w->slow || !w->w_le1 || tsr_sparse_nnz(Wb) > E->cap ||
        (!la && (alpha < 0 || alpha > ONE)) || !ema_aligned(w, n, Wb, B, &R, &L, &c0))
        return false;
    tsr_i32f32 *ed = w->edense, *es = w->colv, *ct = w->colv2, *inc = w->alpha;
    tsr_i32f32 *av = w->acc, *dv = w->acc2;
    for (size_t t = 0; t < L; t++) {
        uint32_t j = c0[t].col;
        ct[t] = w->cons[j];
        inc[t] = w->incv[j];
        es[t] = 0;
        av[t] = alpha; /* liquid alpha: overwritten row by row */
        w->cols[t] = j;
    }
    for (size_t r = 0; r < R; r++) {
        const tsr_pair *np = Wb->pairs + w->dwb[r], *bp = B->pairs + w->dbb[r];
        if (la && tsr__yv_y3_alpha_row(L, np, bp, ct, la->memo, av, dv, true) > 0)
            for (size_t t = 0; t < L; t++)
                if (av[t] < 0)
                    av[t] = alpha_of_d(la, dv[t]);
        tsr__yv_y3_ema_row(L, np, bp, av, ed + r * L, es, true);
    }
    y3_dense_last(w, n, R, L, bo);
    return true;
}

/* Marks the columns of row p[0..len) in mark (1); false when they are not strictly ascending. */
static bool mark_ascending(const tsr_pair *p, size_t len, uint32_t *mark)
{
    for (size_t t = 0; t < len; t++) {
        if (t > 0 && p[t].col <= p[t - 1].col)
            return false;
        mark[p[t].col] = 1;
    }
    return true;
}

/* Yuma3's fixed-alpha EMA (ema_fixed's general path: column j of a row takes alpha (*) its new
 * pair (+) (1 - alpha) (*) its old pair, whichever exist, and emits a sum > 0, in ascending
 * column order) over the union U of the columns of Wb's and B's rows, as a dense R x L block (R
 * rows holding a pair, L = |U|, absent pairs 0): a product with 0 is 0, so every sum is the
 * general path's and a zero one is emitted by neither. The usual shape in a simulated subnet,
 * whose validators each leave a few miners out and keep decaying bonds to them. Taken when
 * every non-empty row of both is strictly ascending (the general path adds a repeated column
 * twice), the block is at most twice the pairs and fits edense, and E could hold every pair;
 * then as bonds_yuma3_aligned. Returns false, having written nothing the general path reads
 * (amark is liquid alpha's, unused with a fixed alpha), otherwise. */
static bool bonds_yuma3_union(yws *w, size_t n, tsr_i32f32 alpha, const tsr_sparse *Wb,
                              const tsr_sparse *B, const tsr_sparse *E, bout *bo)
{
    if (!w->vec || w->slow || !w->w_le1 || alpha < 0 || alpha > ONE)
        return false;
    uint32_t *pos = w->amark;
    memset(pos, 0, n * sizeof *pos);
    size_t R = 0, nnz = 0, L = 0;
    for (size_t i = 0; i < n; i++) {
        size_t nb = Wb->row_ptr[i], nw = Wb->row_ptr[i + 1] - nb, bb = B->row_ptr[i],
               nbb = B->row_ptr[i + 1] - bb;
        if (nw == 0 && nbb == 0)
            continue;
        if (!mark_ascending(Wb->pairs + nb, nw, pos) || !mark_ascending(B->pairs + bb, nbb, pos))
            return false;
        w->drows[R] = (uint32_t)i;
        w->dwb[R] = nb;
        w->dbb[R++] = bb;
        nnz += nw + nbb;
    }
    for (size_t j = 0; j < n; j++)
        if (pos[j]) {
            w->cols[L] = (uint32_t)j;
            pos[j] = (uint32_t)++L; /* the position + 1 */
        }
    if (nnz > E->cap || R * L > 2 * nnz || R * L > 2 * E->cap)
        return false;
    tsr_i32f32 *ed = w->edense, *es = w->colv, *inc = w->alpha, *wv = w->acc, *bv = w->acc2;
    for (size_t t = 0; t < L; t++) {
        es[t] = 0;
        inc[t] = w->incv[w->cols[t]];
    }
    for (size_t r = 0; r < R; r++) { /* wv, bv: all zero between rows (acc, acc2) */
        size_t i = w->drows[r];
        const tsr_pair *np = Wb->pairs + w->dwb[r], *bp = B->pairs + w->dbb[r];
        size_t nw = Wb->row_ptr[i + 1] - w->dwb[r], nbb = B->row_ptr[i + 1] - w->dbb[r];
        for (size_t q = 0; q < nw; q++)
            wv[pos[np[q].col] - 1] = np[q].val;
        for (size_t q = 0; q < nbb; q++)
            bv[pos[bp[q].col] - 1] = bp[q].val;
        tsr__yv_y3_fix_row(L, wv, bv, (uint64_t)alpha, ed + r * L, es, true);
        memset(wv, 0, L * sizeof *wv); /* L <= n: what the row touched, in one sweep */
        memset(bv, 0, L * sizeof *bv);
    }
    y3_dense_last(w, n, R, L, bo);
    return true;
}

/* Yuma3 (spec §2.13), with the stored bonds (the EMA as absolute proportions) written in the
 * dividends' pass over E. */
static int bonds_yuma3(const tsr_yuma_params *p, yws *w, size_t n, const tsr_sparse *Wb,
                       const tsr_sparse *B, tsr_sparse *E, bout *bo, uint32_t *mark)
{
    bool any_c = false;
    for (size_t j = 0; j < n; j++)
        any_c = any_c || w->cons[j] != 0;
    memset(w->colv, 0, n * sizeof *w->colv); /* the EMA's column sums (§2.13.3) */
    if (p->liquid_alpha && any_c) {
        lalpha la;
        la.low = fx_prop16(p->alpha_low);
        la.high = fx_prop16(p->alpha_high);
        la.k = tsr_i32f32_sat_div(tsr_i32f32_from_int(p->alpha_sigmoid_steepness), -100 * ONE);
        la.memo = w->amemo;
        for (size_t q = 0; q < TSR__AMEMO; q++)
            la.memo[q].d = -1;
        if (tsr_sparse_nnz(Wb) > E->cap)
            return TSR_ECAPACITY;
        if (bonds_yuma3_aligned(w, n, &la, 0, Wb, B, E, bo))
            return TSR_OK;
        ema_liquid(w, n, &la, Wb, B, E, w->colv, mark);
    } else {
        /* compute_disabled_liquid_alpha: 1 - I32F32(bma / 1e6). (The chain's unchecked
         * from_num panics when bma / 1e6 >= 2^31; the saturating value is used here.) */
        tsr_i32f32 alpha = tsr_bonds_moving_average_alpha(p->bonds_moving_average);
        if (bonds_yuma3_aligned(w, n, NULL, alpha, Wb, B, E, bo) ||
            bonds_yuma3_union(w, n, alpha, Wb, B, E, bo))
            return TSR_OK;
        ema_src src = {Wb, NULL, NULL, NULL};
        int rc = ema_fixed(w, n, &src, B, alpha, E, w->colv, NULL, mark);
        if (rc)
            return rc;
    }
    /* §2.13.3-5: tb_i = sum_j normcol(EMA)_ij (*) I_j; D_i = checked_mul(tb_i, S_i). The column
     * sums are saturating; the row sums plain (wrapping) adds. The column sums (w->colv) were
     * taken by the EMA as it emitted E's pairs: in emission order, which is E's row-major
     * storage order, so the same saturating adds happen in the same order as a pass over E.
     * §2.13.6: the stored bonds are fixed_proportion_to_u16 of the EMA itself. */
    /* Fast case (every column, checked once): each EMA value v of column j is at most the
     * column's saturating sum of non-negative values s_j, so with fdiv_all_in the quotient
     * x = v / s_j takes the fast path and x <= 1.0 = 2^32; 0 <= I_j < 1.0 then makes x * I_j
     * < 2^64, so nn_mul is the 64-bit product shifted by 32. */
    bool fast = !w->slow;
    for (size_t j = 0; j < n; j++) {
        w->cdiv[j] = fdiv_nz(w->colv[j]);
        fast = fast && fdiv_all_in(&w->cdiv[j]) && w->incv[j] >= 0 && w->incv[j] < ONE;
    }
    const tsr_pair *ep = E->pairs;
    const fdiv *cd = w->cdiv;
    const tsr_i32f32 *incv = w->incv;
    for (size_t i = 0; i < n; i++) {
        tsr_i32f32 tb = 0;
        size_t qb = E->row_ptr[i], qe = E->row_ptr[i + 1];
        bool put = bout_row(bo, w, i, qe - qb);
        tsr_yuma_pair *op = put ? bo->pairs + bo->k : NULL; /* the row's pairs, op[q - qb] */
        if (fast) {
            uint64_t utb = 0;
            for (size_t q = qb; q < qe; q++) {
                uint32_t j = ep[q].col;
                tsr_i32f32 v = ep[q].val;
                if (put) {
                    op[q - qb].uid = (uint16_t)j;
                    op[q - qb].value = fx_q16(v);
                }
                utb += ((uint64_t)fdiv_in(&cd[j], v) * (uint64_t)incv[j]) >> 32;
            }
            /* the wrapping sum (fx_wrap_add pairwise) is the sum modulo 2^64 */
            tb = (utb >> 63) ? -(int64_t)(~utb) - 1 : (int64_t)utb;
            if (put)
                bo->k += qe - qb;
            w->divs[i] = fx_mul_or0(tb, w->astake[i]);
            bout_end_row(bo, i);
            continue;
        }
        for (size_t q = qb; q < qe; q++) {
            uint32_t j = ep[q].col;
            tsr_i32f32 v = ep[q].val;
            if (put) {
                op[q - qb].uid = (uint16_t)j;
                op[q - qb].value = fx_q16(v);
            }
            tb = fx_wrap_add(tb, nn_mul(fdiv_do(&cd[j], v), incv[j])); /* >= 0 */
        }
        if (put)
            bo->k += qe - qb;
        w->divs[i] = fx_mul_or0(tb, w->astake[i]);
        bout_end_row(bo, i);
    }
    normalize(w->divs, n);
    return TSR_OK;
}

/* ================================ §2.14 ======================================================= */

/* to_rao (spec §2.14): floor(I96F32(x) (*) I96F32(rao)) saturated to u64. The I96F32 product
 * of raw x and rao << 32 is exactly x * rao in raw units (|x * rao| < 2^127: never saturates). */
static uint64_t to_rao(tsr_i32f32 x, uint64_t rao)
{
    if (x <= 0)
        return 0;
    tsr_u128 pr = tsr_u128_mul64((uint64_t)x, rao);
    if (pr.hi >> 32)
        return UINT64_MAX;
    return (pr.hi << 32) | (pr.lo >> 32);
}

static void emission_split(yws *w, size_t n)
{
    tsr_i32f32 sum = 0;
    for (size_t i = 0; i < n; i++) {
        w->nce[i] = fx_add(w->incv[i], w->divs[i]);
        sum = fx_wrap_add(sum, w->nce[i]);
        w->nse[i] = w->incv[i];
        w->nve[i] = w->divs[i];
    }
    if (sum != 0) {
        fdiv f = fdiv_of(sum);
        for (size_t i = 0; i < n; i++) {
            w->nse[i] = fdiv_do(&f, w->nse[i]);
            w->nve[i] = fdiv_do(&f, w->nve[i]);
        }
    }
    normalize(w->nce, n);
    if (sum == 0) {
        /* No weights, all outdated, or self-weights only: the stake fallback. */
        tsr_i32f32 as = 0;
        for (size_t i = 0; i < n; i++)
            as = fx_wrap_add(as, w->astake[i]);
        const tsr_i32f32 *src = as == 0 ? w->stake : w->astake;
        memcpy(w->nve, src, n * sizeof *src);
        memcpy(w->nce, src, n * sizeof *src);
    }
}

/* ================================ outputs ===================================================== */

static void put_u16(uint16_t *dst, const tsr_i32f32 *src, size_t n)
{
    if (dst)
        for (size_t i = 0; i < n; i++)
            dst[i] = fx_q16(src[i]);
}

static void put_raw(tsr_i32f32 *dst, const tsr_i32f32 *src, size_t n)
{
    if (dst)
        memcpy(dst, src, n * sizeof *src);
}

static void put_rao(uint64_t *dst, const tsr_i32f32 *src, size_t n, uint64_t rao)
{
    if (dst)
        for (size_t i = 0; i < n; i++)
            dst[i] = to_rao(src[i], rao);
}

static void write_outputs(const yws *w, size_t n, uint64_t rao, tsr_yuma_out *out)
{
    put_u16(out->consensus, w->cons, n);
    put_u16(out->incentive, w->incv, n);
    put_u16(out->dividends, w->divs, n);
    put_u16(out->validator_trust, w->vtrust, n);
    put_u16(out->stake_weight, w->stake, n);
    if (out->validator_permit)
        memcpy(out->validator_permit, w->newperm, n * sizeof(bool));
    if (out->active)
        for (size_t i = 0; i < n; i++)
            out->active[i] = !w->inactive[i];
    put_rao(out->emission, w->nce, n, rao);
    put_rao(out->server_emission, w->nse, n, rao);
    put_rao(out->validator_emission, w->nve, n, rao);
    put_raw(out->raw_stake, w->stake, n);
    put_raw(out->raw_active_stake, w->astake, n);
    put_raw(out->raw_consensus, w->cons, n);
    put_raw(out->raw_incentive, w->incv, n);
    put_raw(out->raw_dividends, w->divs, n);
    put_raw(out->raw_validator_trust, w->vtrust, n);
}

/* ================================ the epoch =================================================== */

int tsr_yuma_epoch(const tsr_yuma_params *p, const tsr_yuma_state *s, uint64_t rao_emission,
                   tsr_yuma_out *out, void *ws, size_t ws_size)
{
    return tsr_yuma_epoch_cr(p, s, NULL, rao_emission, out, ws, ws_size);
}

/* epoch() modes: the default, the reference (every bound-proved fast path off), and the scalar
 * fast paths without the vector kernels. */
enum { EPOCH_FAST = 0, EPOCH_SLOW = 1, EPOCH_NOVEC = 2 };

static int epoch(const tsr_yuma_params *p, const tsr_yuma_state *s, const uint64_t *commit_block,
                 uint64_t rao_emission, tsr_yuma_out *out, void *ws, size_t ws_size, int mode);

int tsr_yuma_epoch_cr(const tsr_yuma_params *p, const tsr_yuma_state *s,
                      const uint64_t *commit_block, uint64_t rao_emission, tsr_yuma_out *out,
                      void *ws, size_t ws_size)
{
    return epoch(p, s, commit_block, rao_emission, out, ws, ws_size, EPOCH_FAST);
}

int tsr__yuma_epoch_ref(const tsr_yuma_params *p, const tsr_yuma_state *s,
                        const uint64_t *commit_block, uint64_t rao_emission, tsr_yuma_out *out,
                        void *ws, size_t ws_size)
{
    return epoch(p, s, commit_block, rao_emission, out, ws, ws_size, EPOCH_SLOW);
}

int tsr__yuma_epoch_novec(const tsr_yuma_params *p, const tsr_yuma_state *s,
                          const uint64_t *commit_block, uint64_t rao_emission, tsr_yuma_out *out,
                          void *ws, size_t ws_size)
{
    return epoch(p, s, commit_block, rao_emission, out, ws, ws_size, EPOCH_NOVEC);
}

/* The epoch in one of the modes above (EPOCH_SLOW: the reference the tests compare the fast
 * paths with). */
static int epoch(const tsr_yuma_params *p, const tsr_yuma_state *s, const uint64_t *commit_block,
                 uint64_t rao_emission, tsr_yuma_out *out, void *ws, size_t ws_size, int mode)
{
    bool slow = mode == EPOCH_SLOW;
    size_t nw, nb;
    int rc = check_input(p, s, out, &nw, &nb);
    if (rc)
        return rc;
    size_t n = s->n;
    if (n == 0) {
        if (out->bonds_row_ptr)
            out->bonds_row_ptr[0] = 0;
        return TSR_OK;
    }
    size_t need = tsr_yuma_ws_size(n, nw, nb);
    if (!ws || need == 0 || ws_size < need)
        return TSR_ECAPACITY;
    arena a = {(char *)ws + ((16u - ((uintptr_t)ws & 15u)) & 15u), 0, 0};
    yws w;
    layout(&a, &w, n, nw, nb);
    w.slow = slow;
    w.vec = mode == EPOCH_FAST && tsr__yv_available();
    memset(w.stamp, 0, n * sizeof *w.stamp);
    memset(w.amark, 0, n * sizeof *w.amark);
    memset(w.acc, 0, n * sizeof *w.acc);
    memset(w.acc2, 0, n * sizeof *w.acc2);
    memset(w.colv2, 0, n * sizeof *w.colv2);
    uint32_t mark = 0;

    compute_stake(p, s, &w, out->stake);                       /* §2.3 */
    if ((rc = compute_permits_and_active(p, s, &w)) != TSR_OK) /* §2.2, §2.4, §2.5 */
        return rc;
    tsr_sparse W = sparse_of(n, w.w_ptr, w.w_pairs, nw);
    load_weights(p, s, commit_block, &w, &W); /* §2.6 */
    tsr_i32f32 kappa = tsr_i32f32_safe_div(tsr_u16_to_fixed(p->kappa), 65535 * ONE);
    if ((rc = consensus(w.astake, &W, kappa, w.cons, w.med_ws, w.w_al && !slow)) != TSR_OK)
        return rc; /* §2.7 */
    tsr_sparse Wc = sparse_of(n, w.wc_ptr, w.wc_pairs, nw);
    clip_trust_ranks(&w, n, &W, &Wc); /* §2.8, §2.9 */
    if (!p->yuma3) /* R = the column sums of row_hadamard(Wc, S), for bonds_original */
        memcpy(w.colv2, w.incv, n * sizeof *w.incv);
    normalize(w.incv, n);

    /* §2.10: bp = 0 and bp = 1 use W and Wc as they are (pairs, order and zeros kept). */
    tsr_i32f32 bp = tsr_i32f32_safe_div(tsr_u16_to_fixed(p->bonds_penalty), 65535 * ONE);
    tsr_sparse Wi = sparse_of(n, w.wi_ptr, w.wi_pairs, nw);
    const tsr_sparse *Wb = bp == 0 ? &W : (bp == ONE ? &Wc : &Wi);
    if (Wb == &Wi)
        interpolate_rows(&w, n, &W, &Wc, bp, &Wi, &mark);
    w.wb_al = !slow && w.w_al && (Wb == &W || (Wb == &Wc && w.wc_same));

    tsr_sparse B = sparse_of(n, w.b_ptr, w.b_pairs, nb);
    load_bonds(p, s, &w, &B); /* §2.11 */
    tsr_sparse E = sparse_of(n, w.e_ptr, w.e_pairs, w.ne);
    bout bo;
    bout_init(&bo, out);
    rc = p->yuma3 ? bonds_yuma3(p, &w, n, Wb, &B, &E, &bo, &mark)                /* §2.13 */
                  : bonds_original(p, &w, n, Wb, &B, &E, &bo, Wb == &Wc, &mark); /* §2.12 */
    if (rc)
        return rc;
    emission_split(&w, n); /* §2.14 */
    write_outputs(&w, n, rao_emission, out);
    return bo.rc;
}

/* ================================ mechanisms (§2.15) ========================================= */

int tsr_yuma_split_emissions(uint64_t alpha, size_t m, const uint16_t *split, size_t split_len,
                             uint64_t *out)
{
    if (m == 0 || !out || (split_len > 0 && !split))
        return TSR_EINVAL;
    uint64_t sum = 0;
    for (size_t s = 0; s < m; s++) {
        if (!split)
            out[s] = alpha / m;
        else if (s < split_len) { /* u128: alpha * split < 2^80; the quotient fits u64 */
            tsr_u128 q;
            (void)tsr_u128_divmod(tsr_u128_mul64(alpha, split[s]), tsr_u128_from_u64(65535), &q,
                                  NULL);
            out[s] = q.lo;
        } else
            out[s] = 0;
        sum += out[s]; /* the chain's plain u64 sum */
    }
    uint64_t rest = alpha > sum ? alpha - sum : 0; /* saturating_sub */
    out[0] = out[0] > UINT64_MAX - rest ? UINT64_MAX : out[0] + rest;
    return TSR_OK;
}

tsr_u64f64 tsr_yuma_mech_weight(uint64_t sub_emission, uint64_t rao_emission, size_t mech_index)
{
    tsr_u64f64 r;
    if (tsr_u64f64_checked_div(tsr_u64f64_from_u64(sub_emission), tsr_u64f64_from_u64(rao_emission),
                               &r) != TSR_OK)
        r = tsr_u64f64_from_u64(mech_index == 0 ? 1 : 0); /* safe_div_or */
    return r;
}

/* floor(U64F64(existing) + U64F64(added) (*) w), saturated to u16 / u64 (weighted_acc_*). */
static uint64_t wacc(uint64_t existing, uint64_t added, tsr_u64f64 w)
{
    tsr_u64f64 v = tsr_u64f64_sat_add(tsr_u64f64_from_u64(existing),
                                      tsr_u64f64_sat_mul(tsr_u64f64_from_u64(added), w));
    return tsr_u64f64_to_u64(v);
}

static void wacc_u16(uint16_t *acc, const uint16_t *t, size_t n, tsr_u64f64 w, bool first)
{
    if (!acc || !t)
        return;
    for (size_t i = 0; i < n; i++) {
        uint64_t v = wacc(first ? 0 : acc[i], t[i], w);
        acc[i] = v > 65535u ? 65535u : (uint16_t)v;
    }
}

static void sum_u64(uint64_t *acc, const uint64_t *t, size_t n, bool first)
{
    if (!acc || !t)
        return;
    for (size_t i = 0; i < n; i++)
        acc[i] = first ? t[i] : (acc[i] > UINT64_MAX - t[i] ? UINT64_MAX : acc[i] + t[i]);
}

static void or_bool(bool *acc, const bool *t, size_t n, bool first)
{
    if (!acc || !t)
        return;
    for (size_t i = 0; i < n; i++)
        acc[i] = first ? t[i] : (acc[i] || t[i]);
}

void tsr_yuma_aggregate(tsr_yuma_out *acc, const tsr_yuma_out *t, size_t n, tsr_u64f64 w,
                        bool first)
{
    if (!acc || !t)
        return;
    wacc_u16(acc->dividends, t->dividends, n, w, first);
    if (first) /* incentive: only the first mechanism seen is weighted in (spec §2.15) */
        wacc_u16(acc->incentive, t->incentive, n, w, true);
    wacc_u16(acc->stake_weight, t->stake_weight, n, w, first);
    wacc_u16(acc->consensus, t->consensus, n, w, first);
    wacc_u16(acc->validator_trust, t->validator_trust, n, w, first);
    if (acc->emission && t->emission)
        for (size_t i = 0; i < n; i++)
            acc->emission[i] = wacc(first ? 0 : acc->emission[i], t->emission[i], w);
    sum_u64(acc->server_emission, t->server_emission, n, first);
    sum_u64(acc->validator_emission, t->validator_emission, n, first);
    sum_u64(acc->stake, t->stake, n, first);
    or_bool(acc->active, t->active, n, first);
    or_bool(acc->validator_permit, t->validator_permit, n, first);
}
