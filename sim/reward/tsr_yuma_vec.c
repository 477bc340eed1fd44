/* tsr_yuma_vec.c: vector kernels of the Yuma epoch's aligned bond passes (tsr_yuma_vec.h).
 *
 * Each kernel is written once, as a plain loop whose lanes are independent, and instantiated
 * twice: a generic copy and, on x86-64 with a GNU-compatible compiler, a copy compiled for
 * AVX-512 F/DQ/VL/BW, whose 64-bit lane multiplies (vpmullq, vpmuludq) let the compiler vectorise
 * the 64 x 64 -> high 64 product that each reciprocal division needs. That product is computed
 * from 32-bit halves here (exact; a vector unit has no 128-bit multiply), so both copies compute
 * the same integers; when the numerator's low half is known to be zero (yv_div_lo0) two of the
 * four partial products vanish. Two kernels have no loop form a vectoriser takes and are
 * written with AVX-512 intrinsics: the stored-pair compaction (pack_avx512) and the consensus
 * block's weighted median (cmed_avx512: a sorting network for up to 32 staked rows, pairwise
 * comparisons beyond). The epoch asks for the processor once per epoch (tsr__yv_available reads
 * what the C runtime probed at start-up); no state is kept. This file is built with -O3, whose
 * vectoriser cost model takes these loops (sim/reward/CMakeLists.txt). O(L) per call.
 */
#include "tsr_yuma_vec.h"

#if defined(__GNUC__) && defined(__x86_64__) && !defined(TSR_NO_VEC)
#define TSR_YV_X86 1
#else
#define TSR_YV_X86 0
#endif

/* YV_PUT(p, t, c, v): pair t of p becomes (c, v). With GNU C on a little-endian target the
 * pair is written as two whole 8-byte words (the column zero-extended over the padding), which
 * the vectoriser turns into full vector stores; field by field, the 4 bytes of padding left
 * alone force it to store each lane separately. Same values either way. */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
typedef uint64_t __attribute__((may_alias)) yv_word;
_Static_assert(sizeof(tsr_pair) == 16 && offsetof(tsr_pair, val) == 8, "tsr_pair layout");
#define YV_PUT(p, t, c, v)                                                                         \
    (((yv_word *)(void *)(p))[2 * (t)] = (uint64_t)(c),                                            \
     ((yv_word *)(void *)(p))[2 * (t) + 1] = (uint64_t)(v))
#else
#define YV_PUT(p, t, c, v) ((p)[t].col = (uint32_t)(c), (p)[t].val = (int64_t)(v))
#endif

/* floor(a b / 2^64) from four 32 x 32 -> 64 products (no carry is lost: mid < 3 * 2^32). */
static inline uint64_t yv_mulhi(uint64_t a, uint64_t b)
{
    uint64_t al = (uint32_t)a, ah = a >> 32, bl = (uint32_t)b, bh = b >> 32;
    uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
    uint64_t mid = (ll >> 32) + (uint32_t)lh + (uint32_t)hl;
    return hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

/* The reciprocal division of tsr_yuma.c's fdiv_in: a << sh divided by d, inv = its reciprocal. */
static inline uint64_t yv_div(uint64_t a, uint64_t d, uint64_t inv, uint64_t sh)
{
    uint64_t x = a << sh, q = yv_mulhi(x, inv);
    return q + (uint64_t)(x - q * d >= d);
}

/* yv_div when x = a << sh has a zero low half (sh = 32 with a < 2^32, or a whole numerator):
 * then x = X 2^32 with X < 2^32 and floor(x inv / 2^64) = floor(X inv / 2^32)
 * = X inv_hi + floor(X inv_lo / 2^32) (inv = inv_hi 2^32 + inv_lo), two 32 x 32 -> 64 products
 * instead of four, each below 2^64, and their sum is the same high word. */
static inline uint64_t yv_div_lo0(uint64_t a, uint64_t d, uint64_t inv, uint64_t sh)
{
    uint64_t x = a << sh, hx = x >> 32;
    uint64_t q = hx * (inv >> 32) + ((hx * (inv & 0xFFFFFFFFu)) >> 32);
    return q + (uint64_t)(x - q * d >= d);
}

/* The kernels' bodies, shared by both copies. Pointers are restrict-qualified where the caller
 * guarantees distinct arrays, so the compiler need not assume aliasing between lanes. */
#define YV_DIVS                                                                                    \
    const uint64_t *cd = c->d, *ci = c->inv, *cs = c->sh, *od = o->d, *oi = o->inv, *os = o->sh;

#define YV_EMA_BODY(DIV)                                                                           \
    YV_DIVS                                                                                        \
    for (size_t t = 0; t < L; t++) {                                                               \
        uint64_t a = DIV((uint64_t)h[t], cd[t], ci[t], cs[t]);                                     \
        uint64_t bb = DIV((uint64_t)b[t].val, od[t], oi[t], os[t]);                                \
        int64_t v = (int64_t)(((al * a) >> 32) + ((om * bb) >> 32));                               \
        e[t] = v;                                                                                  \
        es[t] += v;                                                                                \
        em[t] = em[t] < v ? v : em[t];                                                             \
    }

/* The stored bond's u16 (fx_q16): the quotient clamped to 1.0 = 2^32, times 65535, >> 32. */
#define YV_LAST_BODY(DIV)                                                                          \
    YV_DIVS                                                                                        \
    uint64_t acc = 0;                                                                              \
    for (size_t t = 0; t < L; t++) {                                                               \
        uint64_t x = DIV((uint64_t)e[t], cd[t], ci[t], cs[t]);                                     \
        acc += ((uint64_t)inc[t] * x) >> 32;                                                       \
        uint64_t m = DIV(x, od[t], oi[t], os[t]);                                                  \
        m = m > ((uint64_t)1 << 32) ? (uint64_t)1 << 32 : m;                                       \
        q[t] = (uint16_t)((m * 65535u) >> 32);                                                     \
    }                                                                                              \
    return acc;

/* The EMA and last kernels, each in two forms: with yv_div, and with yv_div_lo0 (used when both
 * divider sets promise lo0). YV_EMA_FN / YV_LAST_FN define one copy; ATTR: its target
 * attribute, if any. */
#define YV_EMA_FN(ATTR, NAME, DIV)                                                                 \
    ATTR static void NAME(size_t L, const int64_t *restrict h, const tsr_pair *restrict b,         \
                          const tsr__yvdiv *c, const tsr__yvdiv *o, uint64_t al, uint64_t om,      \
                          int64_t *restrict e, int64_t *restrict es, int64_t *restrict em)         \
    {                                                                                              \
        YV_EMA_BODY(DIV);                                                                          \
    }
#define YV_LAST_FN(ATTR, NAME, DIV)                                                                \
    ATTR static uint64_t NAME(size_t L, const int64_t *restrict e, const tsr__yvdiv *c,            \
                              const tsr__yvdiv *o, const int64_t *restrict inc,                    \
                              uint16_t *restrict q)                                                \
    {                                                                                              \
        YV_LAST_BODY(DIV);                                                                         \
    }

#define YV_NOATTR
YV_EMA_FN(YV_NOATTR, ema_generic, yv_div)
YV_EMA_FN(YV_NOATTR, ema_lo0_generic, yv_div_lo0)
YV_LAST_FN(YV_NOATTR, last_generic, yv_div)
YV_LAST_FN(YV_NOATTR, last_lo0_generic, yv_div_lo0)

#define YV_NORM_BODY                                                                               \
    uint64_t big = 0;                                                                              \
    for (size_t t = 0; t < len; t++) {                                                             \
        uint64_t v = yv_div_lo0((uint64_t)p[t].val, d, inv, 0); /* val is whole */                 \
        p[t].val = (int64_t)v; /* in place: YV_PUT's word stores would alias the loads */          \
        big |= (uint64_t)(v > ((uint64_t)1 << 32));                                                \
    }                                                                                              \
    return big == 0;

static bool norm_generic(tsr_pair *restrict p, size_t len, uint64_t d, uint64_t inv)
{
    YV_NORM_BODY;
}

/* One weight row loaded without masks (tsr_yuma.c, load_weights): pair t becomes (uid, value as
 * a whole I32F32 number), the wrapping sum of the values goes to *sum; false when a uid is >= n
 * or is the row's diagonal (the caller then loads the row through its masking loop). */
#define YV_LOAD_BODY                                                                               \
    uint64_t acc = 0, bad = 0;                                                                     \
    for (size_t t = 0; t < len; t++) {                                                             \
        uint32_t j = in[t].uid;                                                                    \
        uint64_t v = (uint64_t)in[t].value << 32;                                                  \
        YV_PUT(out, t, j, v);                                                                      \
        acc += v;                                                                                  \
        bad |= (uint64_t)(j >= n) | (uint64_t)(j == diag);                                         \
    }                                                                                              \
    *sum = acc;                                                                                    \
    return bad == 0;

/* One aligned row of col_clip_sparse and the ranks (tsr_yuma.c, clip_aligned): v = min(w, c),
 * h = (s v) >> 32 (exact: s < 2^32, v <= 2^32), inc[t] += h; returns the wrapping sum of v. */
#define YV_CLIP_BODY                                                                               \
    uint64_t rs = 0;                                                                               \
    for (size_t t = 0; t < L; t++) {                                                               \
        int64_t v = w[t].val, c = ca[t];                                                           \
        v = c < v ? c : v;                                                                         \
        int64_t h = (int64_t)((us * (uint64_t)v) >> 32);                                           \
        hv[t] = h;                                                                                 \
        YV_PUT(cp, t, w[t].col, v);                                                                \
        rs += (uint64_t)v;                                                                         \
        inc[t] += h;                                                                               \
    }                                                                                              \
    return rs;

/* One stored bond row in w_c0's columns (tsr_yuma.c, load_bonds_aligned): false, having
 * written nothing, when some uid differs from c0's column; else pair t becomes (uid, value as a
 * whole I32F32 number), added to bs[t]. */
#define YV_BOND_BODY                                                                               \
    uint64_t bad = 0;                                                                              \
    for (size_t t = 0; t < L; t++)                                                                 \
        bad |= (uint64_t)((uint32_t)in[t].uid != c0[t].col);                                       \
    if (bad)                                                                                       \
        return false;                                                                              \
    for (size_t t = 0; t < L; t++) {                                                               \
        uint64_t u = in[t].value;                                                                  \
        int64_t v = prop ? (int64_t)(u * 65537u + (uint64_t)(u == 65535u)) : (int64_t)(u << 32);   \
        YV_PUT(out, t, in[t].uid, v);                                                              \
        bs[t] += v;                                                                                \
    }                                                                                              \
    return true;

static bool bond_generic(const tsr_yuma_pair *restrict in, size_t L, const tsr_pair *restrict c0,
                         tsr_pair *restrict out, int64_t *restrict bs, bool prop)
{
    YV_BOND_BODY;
}

/* Whether every uid of p[0..len) is below n, without an early exit so that it vectorises. */
#define YV_UIDS_BODY                                                                               \
    uint64_t bad = 0;                                                                              \
    for (size_t k = 0; k < len; k++)                                                               \
        bad |= (uint64_t)(p[k].uid >= n);                                                          \
    return bad == 0;

static bool uids_generic(const tsr_yuma_pair *p, size_t len, size_t n)
{
    YV_UIDS_BODY;
}

static bool load_generic(const tsr_yuma_pair *restrict in, size_t len, uint32_t n, uint32_t diag,
                         tsr_pair *restrict out, uint64_t *sum)
{
    YV_LOAD_BODY;
}

static uint64_t clip_generic(size_t L, const tsr_pair *restrict w, const int64_t *restrict ca,
                             uint64_t us, int64_t *restrict hv, tsr_pair *restrict cp,
                             int64_t *restrict inc)
{
    YV_CLIP_BODY;
}

/* Yuma3's aligned kernels (tsr_yuma_vec.h). ONE = 1.0 in I32F32. YV_Q32(x, y) is the floored
 * product (x y) >> 32 for 0 <= x, y <= 2^32 without a 128-bit product: x = xh 2^32 + xl with
 * xh <= 1, and xh y + ((xl y) >> 32) is exact, xl y < 2^64. */
#define YV_ONE ((int64_t)1 << 32)
#define YV_Q32(x, y)                                                                               \
    (((uint64_t)(x) >> 32) * (uint64_t)(y) + ((((uint64_t)(x)&0xFFFFFFFFu) * (uint64_t)(y)) >> 32))

#define YV_Y3_ALPHA_BODY                                                                           \
    uint64_t miss = 0;                                                                             \
    for (size_t t = 0; t < L; t++) {                                                               \
        int64_t w = np[t].val, b = bp[t].val;                                                      \
        int64_t buy = w - ct[t], sell = b - w;                                                     \
        buy = buy > YV_ONE ? YV_ONE : (buy < 0 ? 0 : buy);                                         \
        sell = sell > YV_ONE ? YV_ONE : (sell < 0 ? 0 : sell);                                     \
        int64_t dd = w >= b ? buy : sell;                                                          \
        const tsr__yvmemo *m = &memo[tsr__yv_memo_slot(dd)];                                       \
        int64_t md = m->d, ma = m->alpha;                                                          \
        a[t] = md == dd ? ma : -1;                                                                 \
        d[t] = dd;                                                                                 \
        miss += (uint64_t)(md != dd);                                                              \
    }                                                                                              \
    return (size_t)miss;

#define YV_Y3_EMA_BODY                                                                             \
    for (size_t t = 0; t < L; t++) {                                                               \
        uint64_t al = (uint64_t)a[t];                                                              \
        uint64_t v = YV_Q32((uint64_t)YV_ONE - al, bp[t].val) + YV_Q32(al, np[t].val);             \
        v = v > (uint64_t)YV_ONE ? (uint64_t)YV_ONE : v;                                           \
        e[t] = (int64_t)v;                                                                         \
        es[t] += (int64_t)v;                                                                       \
    }

#define YV_Y3_FIX_BODY                                                                             \
    uint64_t om = (uint64_t)YV_ONE - al;                                                           \
    for (size_t t = 0; t < L; t++) {                                                               \
        int64_t v = (int64_t)(YV_Q32(om, bv[t]) + YV_Q32(al, wv[t]));                              \
        e[t] = v;                                                                                  \
        es[t] += v;                                                                                \
    }

#define YV_Y3_LAST_BODY(DIV)                                                                       \
    const uint64_t *cd = c->d, *ci = c->inv, *cs = c->sh;                                          \
    uint64_t acc = 0;                                                                              \
    for (size_t t = 0; t < L; t++) {                                                               \
        uint64_t v = (uint64_t)e[t];                                                               \
        uint64_t x = DIV(v, cd[t], ci[t], cs[t]);                                                  \
        acc += ((uint64_t)inc[t] * x) >> 32;                                                       \
        v = v > (uint64_t)YV_ONE ? (uint64_t)YV_ONE : v;                                           \
        q[t] = (uint16_t)((v * 65535u) >> 32);                                                     \
    }                                                                                              \
    return acc;

/* Yuma3's kernels: each macro defines one copy, ATTR being its target attribute, if any. */
#define YV_Y3_ALPHA_FN(ATTR, NAME)                                                                 \
    ATTR static size_t NAME(size_t L, const tsr_pair *restrict np, const tsr_pair *restrict bp,    \
                            const int64_t *restrict ct, const tsr__yvmemo *restrict memo,          \
                            int64_t *restrict a, int64_t *restrict d)                              \
    {                                                                                              \
        YV_Y3_ALPHA_BODY;                                                                          \
    }
#define YV_Y3_EMA_FN(ATTR, NAME)                                                                   \
    ATTR static void NAME(size_t L, const tsr_pair *restrict np, const tsr_pair *restrict bp,      \
                          const int64_t *restrict a, int64_t *restrict e, int64_t *restrict es)    \
    {                                                                                              \
        YV_Y3_EMA_BODY;                                                                            \
    }
#define YV_Y3_FIX_FN(ATTR, NAME)                                                                   \
    ATTR static void NAME(size_t L, const int64_t *restrict wv, const int64_t *restrict bv,        \
                          uint64_t al, int64_t *restrict e, int64_t *restrict es)                  \
    {                                                                                              \
        YV_Y3_FIX_BODY;                                                                            \
    }
#define YV_Y3_LAST_FN(ATTR, NAME, DIV)                                                             \
    ATTR static uint64_t NAME(size_t L, const int64_t *restrict e, const tsr__yvdiv *c,            \
                              const int64_t *restrict inc, uint16_t *restrict q)                   \
    {                                                                                              \
        YV_Y3_LAST_BODY(DIV);                                                                      \
    }

YV_Y3_ALPHA_FN(YV_NOATTR, y3_alpha_generic)
YV_Y3_EMA_FN(YV_NOATTR, y3_ema_generic)
YV_Y3_FIX_FN(YV_NOATTR, y3_fix_generic)
YV_Y3_LAST_FN(YV_NOATTR, y3_last_generic, yv_div)
YV_Y3_LAST_FN(YV_NOATTR, y3_last_lo0_generic, yv_div_lo0)

/* The stored pairs of one row (tsr__yv_pack_row), the plain copy. */
static size_t pack_generic(size_t L, const int64_t *restrict e, const uint32_t *restrict cols,
                           const uint16_t *restrict q, tsr_yuma_pair *restrict out)
{
    size_t m = 0;
    for (size_t t = 0; t < L; t++)
        if (e[t] > 0) {
            out[m].uid = (uint16_t)cols[t];
            out[m++].value = q[t];
        }
    return m;
}

/* tsr__yv_cmed_block, the plain copy: column by column, each row's S<=(its score). */
static void cmed_generic(size_t M, size_t L, size_t ld, const int64_t *v, const int64_t *s,
                         int64_t minority, int64_t *out)
{
    for (size_t t = 0; t < L; t++) {
        int64_t best = INT64_MAX, mx = INT64_MIN;
        bool any = false;
        for (size_t r = 0; r < M; r++) {
            int64_t x = v[r * ld + t], le = 0;
            for (size_t q = 0; q < M; q++)
                le += v[q * ld + t] <= x ? s[q] : 0;
            mx = x > mx ? x : mx;
            if (le > minority && x < best) {
                best = x;
                any = true;
            }
        }
        out[t] = any ? best : mx;
    }
}

#if TSR_YV_X86
#include <immintrin.h>

#define YV_TARGET __attribute__((target("avx512f,avx512dq,avx512vl,avx512bw")))

YV_EMA_FN(YV_TARGET, ema_avx512, yv_div)
YV_EMA_FN(YV_TARGET, ema_lo0_avx512, yv_div_lo0)
YV_LAST_FN(YV_TARGET, last_avx512, yv_div)
YV_LAST_FN(YV_TARGET, last_lo0_avx512, yv_div_lo0)

YV_TARGET static bool norm_avx512(tsr_pair *restrict p, size_t len, uint64_t d, uint64_t inv)
{
    YV_NORM_BODY;
}

YV_TARGET static bool bond_avx512(const tsr_yuma_pair *restrict in, size_t L,
                                  const tsr_pair *restrict c0, tsr_pair *restrict out,
                                  int64_t *restrict bs, bool prop)
{
    YV_BOND_BODY;
}

YV_TARGET static bool uids_avx512(const tsr_yuma_pair *p, size_t len, size_t n)
{
    YV_UIDS_BODY;
}

YV_TARGET static bool load_avx512(const tsr_yuma_pair *restrict in, size_t len, uint32_t n,
                                  uint32_t diag, tsr_pair *restrict out, uint64_t *sum)
{
    YV_LOAD_BODY;
}

YV_TARGET static uint64_t clip_avx512(size_t L, const tsr_pair *restrict w,
                                      const int64_t *restrict ca, uint64_t us, int64_t *restrict hv,
                                      tsr_pair *restrict cp, int64_t *restrict inc)
{
    YV_CLIP_BODY;
}
YV_Y3_ALPHA_FN(YV_TARGET, y3_alpha_avx512)
YV_Y3_EMA_FN(YV_TARGET, y3_ema_avx512)
YV_Y3_FIX_FN(YV_TARGET, y3_fix_avx512)
YV_Y3_LAST_FN(YV_TARGET, y3_last_avx512, yv_div)
YV_Y3_LAST_FN(YV_TARGET, y3_last_lo0_avx512, yv_div_lo0)

/* pack_generic with AVX-512 compression, 16 positions at a time: the pair (uid, value) as one
 * 32-bit word (uid in the low half: tsr_yuma_pair's layout on this little-endian target), the
 * words of the positions with e > 0 compressed to the front of a register and stored under a
 * mask of their count (the compressing store to memory is slow on some processors). The tail
 * uses masked loads; nothing is read or written outside the arrays. */
_Static_assert(sizeof(tsr_yuma_pair) == 4 && offsetof(tsr_yuma_pair, value) == 2,
               "tsr_yuma_pair layout");
YV_TARGET static size_t pack_avx512(size_t L, const int64_t *restrict e,
                                    const uint32_t *restrict cols, const uint16_t *restrict q,
                                    tsr_yuma_pair *restrict out)
{
    size_t m = 0;
    const __m512i zero = _mm512_setzero_si512();
    for (size_t t = 0; t < L; t += 16) {
        size_t left = L - t;
        __mmask16 in = (__mmask16)(left >= 16 ? 0xFFFFu : (1u << left) - 1u);
        __m512i e0 = _mm512_maskz_loadu_epi64((__mmask8)in, e + t);
        __m512i e1 = _mm512_maskz_loadu_epi64((__mmask8)(in >> 8), e + t + 8);
        __mmask16 pos = (__mmask16)(_mm512_cmpgt_epi64_mask(e0, zero) |
                                    ((unsigned)_mm512_cmpgt_epi64_mask(e1, zero) << 8));
        __m512i c = _mm512_maskz_loadu_epi32(in, cols + t);
        __m512i v = _mm512_cvtepu16_epi32(_mm256_maskz_loadu_epi16(in, q + t));
        __m512i word = _mm512_or_si512(_mm512_and_si512(c, _mm512_set1_epi32(0xFFFF)),
                                       _mm512_slli_epi32(v, 16));
        unsigned k = (unsigned)__builtin_popcount(pos);
        _mm512_mask_storeu_epi32(out + m, (__mmask16)((1u << k) - 1u),
                                 _mm512_maskz_compress_epi32(pos, word));
        m += k;
    }
    return m;
}
/* Rows the sorting copy of the consensus block takes (cmed_sort8): its keys carry the row in 5
 * bits. */
#define YV_SORT_ROWS 32u

/* cmed_generic on the 8 columns t..t+7 of v (lanes `in`): row r's S<=(x) accumulates, lane by
 * lane, the stake of every row q whose score is <= x. M^2 steps. */
YV_TARGET static __m512i cmed_pairs8(size_t M, size_t ld, const int64_t *v, const int64_t *s,
                                     __m512i m, __mmask8 in)
{
    const __m512i zero = _mm512_setzero_si512();
    __m512i best = _mm512_set1_epi64(INT64_MAX), mx = _mm512_set1_epi64(INT64_MIN);
    __mmask8 any = 0;
    for (size_t r = 0; r < M; r++) {
        __m512i x = _mm512_maskz_loadu_epi64(in, v + r * ld), le = zero;
        for (size_t q = 0; q < M; q++) {
            __m512i y = _mm512_maskz_loadu_epi64(in, v + q * ld);
            le = _mm512_mask_add_epi64(le, _mm512_cmple_epi64_mask(y, x), le,
                                       _mm512_set1_epi64(s[q]));
        }
        __mmask8 c = _mm512_cmpgt_epi64_mask(le, m);
        best = _mm512_mask_min_epi64(best, c, best, x);
        mx = _mm512_max_epi64(mx, x);
        any |= c;
    }
    return _mm512_mask_mov_epi64(mx, any, best);
}

/* The same 8 columns by sorting, for M <= YV_SORT_ROWS rows whose stakes are >= 0 (sk: them in
 * 4 vectors, zero past M) and whose scores in these columns lie in [0, 2^57); returns false,
 * having computed nothing, when a score does not. Each lane sorts the keys (score << 5 | row)
 * of its column with a bitonic network (rows M..31 padded with INT64_MAX, after every real key),
 * then walks them upwards adding the rows' stakes: v* is the score at the first position where
 * the running stake exceeds the minority. That is the smallest score x with S<=(x) > minority:
 * the running stake at any position is at most S<=(its score) (ties of that score may follow),
 * which it reaches at the tie's last position, and every smaller score's S<= is a running
 * stake before the first position that exceeds (stakes >= 0 keep the running stake
 * non-decreasing). None exceeds: S<=(largest score) <= minority, and the answer is the largest
 * score, as in cmed_pairs8. About 2 x 240 + 8 M vector operations against M^2 pair steps. */
YV_TARGET static bool cmed_sort8(size_t M, size_t ld, const int64_t *v, const __m512i sk[4],
                                 __m512i m, __mmask8 in, __m512i *res)
{
    __m512i k[YV_SORT_ROWS], mx = _mm512_setzero_si512(), orv = _mm512_setzero_si512();
    for (size_t r = 0; r < M; r++) {
        __m512i x = _mm512_maskz_loadu_epi64(in, v + r * ld);
        orv = _mm512_or_si512(orv, x);
        mx = _mm512_max_epi64(mx, x);
        k[r] = _mm512_or_si512(_mm512_slli_epi64(x, 5), _mm512_set1_epi64((int64_t)r));
    }
    if (_mm512_test_epi64_mask(orv, _mm512_set1_epi64(~(((int64_t)1 << 57) - 1))))
        return false; /* a negative score or one of 2^57 or more */
    for (size_t r = M; r < YV_SORT_ROWS; r++)
        k[r] = _mm512_set1_epi64(INT64_MAX);
#pragma GCC unroll 8
    for (size_t w = 2; w <= YV_SORT_ROWS; w <<= 1)
#pragma GCC unroll 8
        for (size_t j = w >> 1; j > 0; j >>= 1)
#pragma GCC unroll 32
            for (size_t i = 0; i < YV_SORT_ROWS; i++) {
                size_t l = (i | j) & (YV_SORT_ROWS - 1); /* the partner of i, j a power of 2 */
                if (i & j)
                    continue;
                __m512i a = k[i], b = k[l], lo = _mm512_min_epi64(a, b),
                        hi = _mm512_max_epi64(a, b);
                bool up = (i & w) == 0;
                k[i] = up ? lo : hi;
                k[l] = up ? hi : lo;
            }
    /* best: the smallest score at a position whose running stake exceeds the minority (the
     * first such, as the keys ascend), without a mask carried from one position to the next;
     * the walk stops once every lane has exceeded (the running stake never decreases). */
    const __m512i rows = _mm512_set1_epi64(YV_SORT_ROWS - 1), bit4 = _mm512_set1_epi64(16);
    __m512i cum = _mm512_setzero_si512(), best = _mm512_set1_epi64(INT64_MAX);
    for (size_t p = 0; p < M; p++) {
        __m512i row = _mm512_and_si512(k[p], rows);
        __m512i lo = _mm512_permutex2var_epi64(sk[0], row, sk[1]);
        __m512i hi = _mm512_permutex2var_epi64(sk[2], row, sk[3]);
        cum = _mm512_add_epi64(cum,
                               _mm512_mask_blend_epi64(_mm512_test_epi64_mask(row, bit4), lo, hi));
        __mmask8 c = _mm512_cmpgt_epi64_mask(cum, m);
        best = _mm512_mask_min_epi64(best, c, best, _mm512_srli_epi64(k[p], 5));
        if ((c & in) == in)
            break;
    }
    /* A lane where no position exceeded still holds INT64_MAX (no score reaches 2^57). */
    best = _mm512_mask_mov_epi64(best, _mm512_cmpeq_epi64_mask(best, _mm512_set1_epi64(INT64_MAX)),
                                 mx);
    *res = best;
    return true;
}

/* cmed_generic, 8 columns a step (one lane each), by sorting where cmed_sort8 applies and by
 * comparing every pair of rows otherwise; the tail step masks its loads and its store. */
YV_TARGET static void cmed_avx512(size_t M, size_t L, size_t ld, const int64_t *v, const int64_t *s,
                                  int64_t minority, int64_t *out)
{
    const __m512i m = _mm512_set1_epi64(minority);
    int64_t st[YV_SORT_ROWS] = {0};
    bool sortable = M >= 1 && M <= YV_SORT_ROWS;
    for (size_t r = 0; sortable && r < M; r++) {
        st[r] = s[r];
        sortable = s[r] >= 0;
    }
    __m512i sk[4];
    for (size_t g = 0; g < 4; g++)
        sk[g] = _mm512_loadu_si512(st + 8 * g);
    for (size_t t = 0; t < L; t += 8) {
        __mmask8 in = (__mmask8)(L - t >= 8 ? 0xFFu : (1u << (L - t)) - 1u);
        __m512i r;
        if (!sortable || !cmed_sort8(M, ld, v + t, sk, m, in, &r))
            r = cmed_pairs8(M, ld, v + t, s, m, in);
        _mm512_mask_storeu_epi64(out + t, in, r);
    }
}
#endif

bool tsr__yv_available(void)
{
#if TSR_YV_X86
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw");
#else
    return false;
#endif
}

void tsr__yv_ema_row(size_t L, const int64_t *h, const tsr_pair *b, const tsr__yvdiv *c,
                     const tsr__yvdiv *o, uint64_t al, uint64_t om, int64_t *e, int64_t *es,
                     int64_t *em, bool vec)
{
    bool lo0 = c->lo0 && o->lo0;
#if TSR_YV_X86
    if (vec) {
        (lo0 ? ema_lo0_avx512 : ema_avx512)(L, h, b, c, o, al, om, e, es, em);
        return;
    }
#endif
    (void)vec;
    (lo0 ? ema_lo0_generic : ema_generic)(L, h, b, c, o, al, om, e, es, em);
}

uint64_t tsr__yv_last_row(size_t L, const int64_t *e, const tsr__yvdiv *c, const tsr__yvdiv *o,
                          const int64_t *inc, uint16_t *q, bool vec)
{
    bool lo0 = c->lo0 && o->lo0;
#if TSR_YV_X86
    if (vec)
        return (lo0 ? last_lo0_avx512 : last_avx512)(L, e, c, o, inc, q);
#endif
    (void)vec;
    return (lo0 ? last_lo0_generic : last_generic)(L, e, c, o, inc, q);
}

bool tsr__yv_norm_row(tsr_pair *p, size_t len, uint64_t d, uint64_t inv, bool vec)
{
#if TSR_YV_X86
    if (vec)
        return norm_avx512(p, len, d, inv);
#endif
    (void)vec;
    return norm_generic(p, len, d, inv);
}

bool tsr__yv_load_row(const tsr_yuma_pair *in, size_t len, uint32_t n, uint32_t diag, tsr_pair *out,
                      uint64_t *sum, bool vec)
{
#if TSR_YV_X86
    if (vec)
        return load_avx512(in, len, n, diag, out, sum);
#endif
    (void)vec;
    return load_generic(in, len, n, diag, out, sum);
}

uint64_t tsr__yv_clip_row(size_t L, const tsr_pair *w, const int64_t *ca, uint64_t us, int64_t *hv,
                          tsr_pair *cp, int64_t *inc, bool vec)
{
#if TSR_YV_X86
    if (vec)
        return clip_avx512(L, w, ca, us, hv, cp, inc);
#endif
    (void)vec;
    return clip_generic(L, w, ca, us, hv, cp, inc);
}

bool tsr__yv_bond_row(const tsr_yuma_pair *in, size_t L, const tsr_pair *c0, tsr_pair *out,
                      int64_t *bs, bool prop, bool vec)
{
    /* prop is loop-invariant: one call per form, so that each loop vectorises without it */
#if TSR_YV_X86
    if (vec)
        return prop ? bond_avx512(in, L, c0, out, bs, true)
                    : bond_avx512(in, L, c0, out, bs, false);
#endif
    (void)vec;
    return prop ? bond_generic(in, L, c0, out, bs, true) : bond_generic(in, L, c0, out, bs, false);
}

bool tsr__yv_uids_below(const tsr_yuma_pair *p, size_t len, size_t n, bool vec)
{
#if TSR_YV_X86
    if (vec)
        return uids_avx512(p, len, n);
#endif
    (void)vec;
    return uids_generic(p, len, n);
}

size_t tsr__yv_pack_row(size_t L, const int64_t *e, const uint32_t *cols, const uint16_t *q,
                        tsr_yuma_pair *out, bool vec)
{
#if TSR_YV_X86
    if (vec)
        return pack_avx512(L, e, cols, q, out);
#endif
    (void)vec;
    return pack_generic(L, e, cols, q, out);
}

size_t tsr__yv_y3_alpha_row(size_t L, const tsr_pair *np, const tsr_pair *bp, const int64_t *ct,
                            const tsr__yvmemo *memo, int64_t *a, int64_t *d, bool vec)
{
#if TSR_YV_X86
    if (vec)
        return y3_alpha_avx512(L, np, bp, ct, memo, a, d);
#endif
    (void)vec;
    return y3_alpha_generic(L, np, bp, ct, memo, a, d);
}

void tsr__yv_y3_ema_row(size_t L, const tsr_pair *np, const tsr_pair *bp, const int64_t *a,
                        int64_t *e, int64_t *es, bool vec)
{
#if TSR_YV_X86
    if (vec) {
        y3_ema_avx512(L, np, bp, a, e, es);
        return;
    }
#endif
    (void)vec;
    y3_ema_generic(L, np, bp, a, e, es);
}

uint64_t tsr__yv_y3_last_row(size_t L, const int64_t *e, const tsr__yvdiv *c, const int64_t *inc,
                             uint16_t *q, bool vec)
{
#if TSR_YV_X86
    if (vec)
        return (c->lo0 ? y3_last_lo0_avx512 : y3_last_avx512)(L, e, c, inc, q);
#endif
    (void)vec;
    return (c->lo0 ? y3_last_lo0_generic : y3_last_generic)(L, e, c, inc, q);
}

void tsr__yv_y3_fix_row(size_t L, const int64_t *wv, const int64_t *bv, uint64_t al, int64_t *e,
                        int64_t *es, bool vec)
{
#if TSR_YV_X86
    if (vec) {
        y3_fix_avx512(L, wv, bv, al, e, es);
        return;
    }
#endif
    (void)vec;
    y3_fix_generic(L, wv, bv, al, e, es);
}

void tsr__yv_cmed_block(size_t M, size_t L, size_t ld, const int64_t *v, const int64_t *s,
                        int64_t minority, int64_t *out, bool vec)
{
#if TSR_YV_X86
    if (vec) {
        cmed_avx512(M, L, ld, v, s, minority, out);
        return;
    }
#endif
    (void)vec;
    cmed_generic(M, L, ld, v, s, minority, out);
}
