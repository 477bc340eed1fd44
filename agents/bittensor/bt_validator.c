/*
** bt_validator.c: validators' weights (bt_agents.h): observing (honest or noisy, which differ
** only in their noise) and lazy (a copy of the last public consensus, the classic weight copier
** that commit-reveal is meant to starve).
**
** Weights leave here as u16 with a maximum of 65535 (as a validator's software sends them); the
** model then stores them max-upscaled exactly as the chain's set_weights does.
*/
#include "bt_agents.h"

#include <gsl/gsl_randist.h>

/* The observing validator runs once per weights event (millions of times a run, n = 256), so its
** loops exist in two copies that perform the same IEEE operations, in the same order, on every
** element: generic C (any target) and, on x86-64 with a GNU-compatible compiler, AVX-512
** F/DQ/VL/BW intrinsics, 8 uids a step, chosen at run time when the processor has them
** (BT_NO_VEC leaves the generic copy alone). The tests compare both with an implementation of the
** definition (check_bittensor, observe_paths_as_defined). O(n) per call besides the draws. */
#if defined(__GNUC__) && defined(__x86_64__) && !defined(BT_NO_VEC)
#define BT_OBS_X86 1
#include <immintrin.h>
#include <stddef.h>
#else
#define BT_OBS_X86 0
#endif

/* lround(x) for 0 <= x < 2^63, without the library call: the conversion truncates, which is the
** floor for x >= 0 (and needs no SSE4.1 rounding instruction), x - floor(x) is exact there, and
** a fraction of exactly one half rounds up, away from zero, as lround does. */
static long round_half_up(double x)
{
    long t = (long)x;
    return t + (x - (double)t >= 0.5);
}

/* The k draws (one per answering uid, in uid order, so that they do not depend on the values)
** go to the tail of obs: the i-th answering uid j reads obs[n - k + i], and n - k + i >= j (at
** most n - k uids before it do not answer), so no draw is overwritten before it is read. */
static const double *draw_noise(double sigma, const rng_zig *z, gsl_rng *r, const bt_drawn *pre,
                                double *obs, uint32_t n, uint32_t k)
{
    if (pre && pre->v && k <= pre->n)
        return pre->v; /* made ahead from the same stream (bt_ahead.h): the same values */
    double *draw = obs + (n - k);
    if (sigma > 0.0 && z)
        rng_gauss_fill(z, r, sigma, draw, k);
    else
        for (uint32_t i = 0; i < k; i++)
            draw[i] = sigma > 0.0 ? gsl_ran_gaussian_ziggurat(r, sigma) : 0.0;
    return draw;
}

/* ---- generic copy ------------------------------------------------------------------------- */

/* The answering uids (quality >= 0, self excluded), counted without a branch per uid. */
static uint32_t count_generic(const double *quality, uint32_t n, uint32_t self)
{
    uint32_t k = 0;
    for (uint32_t j = 0; j < n; j++)
        k += quality[j] >= 0.0;
    return k - (self < n && quality[self] >= 0.0);
}

/* obs[j] = max(quality[j] + its draw, 0) for answering uids, else 0; returns the largest. */
static double add_clamp_generic(const double *quality, uint32_t n, uint32_t self,
                                const double *draw, double *obs)
{
    double max = 0.0;
    for (uint32_t j = 0, i = 0; j < n; j++) {
        double o = 0.0;
        if (j != self && quality[j] >= 0.0) {
            o = quality[j] + draw[i++];
            if (!(o > 0.0))
                o = 0.0;
        }
        obs[j] = o;
        if (o > max)
            max = o;
    }
    return max;
}

/* The pairs (j, round(65535 obs[j] / max)) with a non-zero value, in uid order (branches here
** are cheaper than a branch-free append: nearly every answering uid keeps its pair). A quotient
** that is not a number below 2^63 (an overflowing 65535 obs[j], or an infinite max) gives no
** pair, as it did before through x86's conversion, which gives INT64_MIN there. */
static uint32_t scale_pack_generic(const double *obs, uint32_t n, double max, bt_pair *out)
{
    uint32_t np = 0;
    for (uint32_t j = 0; j < n; j++) {
        if (!(obs[j] > 0.0))
            continue; /* a silent uid: no division */
        double x = 65535.0 * obs[j] / max;
        long v = x < 0x1p63 ? round_half_up(x) : 0;
        if (v <= 0)
            continue;
        out[np].uid = (uint16_t)j;
        out[np].value = (uint16_t)(v > 65535 ? 65535 : v);
        np++;
    }
    return np;
}

static uint32_t observe_generic(const double *quality, uint32_t n, uint32_t self, double sigma,
                                const rng_zig *z, gsl_rng *r, const bt_drawn *pre, double *obs,
                                bt_pair *out)
{
    uint32_t k = count_generic(quality, n, self);
    const double *draw = draw_noise(sigma, z, r, pre, obs, n, k);
    double max = add_clamp_generic(quality, n, self, draw, obs);
    return max > 0.0 ? scale_pack_generic(obs, n, max, out) : 0;
}

/* ---- AVX-512 copy ------------------------------------------------------------------------- */

#if BT_OBS_X86
#define BT_AVX512 __attribute__((target("avx512f,avx512dq,avx512vl,avx512bw")))

/* The lanes of uids j..j+7 below n (*in) and those that answer (returned); *q: their
** qualities (0 past n). */
BT_AVX512 static inline __mmask8 answers8(const double *quality, uint32_t j, uint32_t n,
                                          uint32_t self, __mmask8 *in, __m512d *q)
{
    *in = (__mmask8)(n - j >= 8 ? 0xFFu : (1u << (n - j)) - 1u);
    *q = _mm512_maskz_loadu_pd(*in, quality + j);
    unsigned a = _mm512_mask_cmp_pd_mask(*in, *q, _mm512_setzero_pd(), _CMP_GE_OQ);
    if (self - j < 8)
        a &= ~(1u << (self - j));
    return (__mmask8)a;
}

/* observe_generic, 8 uids a step. The expanding load reads the draws of a step's answering uids
** (as many as there are) into their lanes; the store of obs[j..j+8) comes after it, and later
** steps read draws at n - k + i >= j + 8 (as in draw_noise). Rounding: the conversion gives
** INT64_MIN for a NaN or infinite quotient, as the scalar one does, and no pair follows. The
** pairs (uid | value << 16: bt_pair on this little-endian target, the uid truncated to 16 bits
** as the generic copy's cast does) of a step are compressed in a register and stored under a
** mask of their count (compressing stores to memory are slow on some processors). */
_Static_assert(sizeof(bt_pair) == 4 && offsetof(bt_pair, value) == 2, "bt_pair layout");
BT_AVX512 static uint32_t observe_avx512(const double *quality, uint32_t n, uint32_t self,
                                         double sigma, const rng_zig *z, gsl_rng *r,
                                         const bt_drawn *pre, double *obs, bt_pair *out)
{
    __mmask8 in;
    __m512d q;
    uint32_t k = 0;
    for (uint32_t j = 0; j < n; j += 8)
        k += (uint32_t)__builtin_popcount(answers8(quality, j, n, self, &in, &q));
    const double *draw = draw_noise(sigma, z, r, pre, obs, n, k);
    const __m512d zero = _mm512_setzero_pd();
    __m512d vmax = zero;
    for (uint32_t j = 0, i = 0; j < n; j += 8) {
        __mmask8 a = answers8(quality, j, n, self, &in, &q);
        unsigned c = (unsigned)__builtin_popcount(a);
        __m512d o = _mm512_add_pd(q, _mm512_maskz_expandloadu_pd(a, draw + i));
        o = _mm512_maskz_mov_pd(_mm512_mask_cmp_pd_mask(a, o, zero, _CMP_GT_OQ), o);
        vmax = _mm512_max_pd(vmax, o);
        _mm512_mask_storeu_pd(obs + j, in, o);
        i += c;
    }
    double max = _mm512_reduce_max_pd(vmax); /* no NaN, no -0: the order does not matter */
    if (!(max > 0.0))
        return 0;
    const __m512d scale = _mm512_set1_pd(65535.0), m = _mm512_set1_pd(max);
    const __m512i one = _mm512_set1_epi64(1), top = _mm512_set1_epi64(65535);
    const __m512i lo16 = _mm512_set1_epi64(0xFFFF);
    __m512i uid = _mm512_setr_epi64(0, 1, 2, 3, 4, 5, 6, 7);
    uint32_t np = 0;
    for (uint32_t j = 0; j < n; j += 8) {
        in = (__mmask8)(n - j >= 8 ? 0xFFu : (1u << (n - j)) - 1u);
        __m512d x = _mm512_div_pd(_mm512_mul_pd(scale, _mm512_maskz_loadu_pd(in, obs + j)), m);
        __m512i t = _mm512_cvttpd_epi64(x);
        __m512d f = _mm512_sub_pd(x, _mm512_cvtepi64_pd(t));
        __m512i v = _mm512_mask_add_epi64(t, _mm512_cmp_pd_mask(f, _mm512_set1_pd(0.5), _CMP_GE_OQ),
                                          t, one);
        __mmask8 keep = _mm512_mask_cmpgt_epi64_mask(in, v, _mm512_setzero_si512());
        v = _mm512_min_epi64(v, top);
        __m512i word = _mm512_or_si512(_mm512_and_si512(uid, lo16), _mm512_slli_epi64(v, 16));
        __m256i w = _mm512_cvtepi64_epi32(word);
        unsigned c = (unsigned)__builtin_popcount(keep);
        _mm256_mask_storeu_epi32(out + np, (__mmask8)((1u << c) - 1u),
                                 _mm256_maskz_compress_epi32(keep, w));
        np += c;
        uid = _mm512_add_epi64(uid, _mm512_set1_epi64(8));
    }
    return np;
}
#endif

int bt__observe_vec_available(void)
{
#if BT_OBS_X86
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw");
#else
    return 0;
#endif
}

uint32_t bt__validator_observe_path(const double *quality, uint32_t n, uint32_t self, double sigma,
                                    const rng_zig *z, gsl_rng *r, const bt_drawn *pre, double *obs,
                                    bt_pair *out, int vec)
{
#if BT_OBS_X86
    if (vec && bt__observe_vec_available())
        return observe_avx512(quality, n, self, sigma, z, r, pre, obs, out);
#endif
    (void)vec;
    return observe_generic(quality, n, self, sigma, z, r, pre, obs, out);
}

uint32_t bt_validator_observe(const double *quality, uint32_t n, uint32_t self, double sigma,
                              const rng_zig *z, gsl_rng *r, const bt_drawn *pre, double *obs,
                              bt_pair *out)
{
    return bt__validator_observe_path(quality, n, self, sigma, z, r, pre, obs, out, 1);
}

uint32_t bt_validator_copy(const uint16_t *consensus, uint32_t n, uint32_t self, bt_pair *out)
{
    uint32_t k = 0;
    for (uint32_t j = 0; j < n; j++)
        if (j != self && consensus[j] > 0) {
            out[k].uid = (uint16_t)j;
            out[k].value = consensus[j];
            k++;
        }
    return k;
}
