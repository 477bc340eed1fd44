/* bench_reward.c: nanoseconds per call of the reward core's hot functions. Each figure is the
 * median of 5 repetitions of a timed loop (the machine is shared and noisy). Inputs vary per
 * iteration so nothing is constant-folded; results feed a volatile sink. */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench_timer.h"
#include "tsr.h"

static volatile uint64_t sink;

static void b_emission(uint64_t iters, void *ctx)
{
    uint64_t acc = 0, out;
    (void)ctx;
    for (uint64_t i = 0; i < iters; i++) {
        /* spread issuance over [0, 21e15) */
        uint64_t issuance = (i * UINT64_C(2654435761)) % TSR_TOTAL_SUPPLY;
        (void)tsr_block_emission_for_issuance(NULL, issuance, &out);
        acc += out;
    }
    sink = acc;
}

/* The simulator's pattern: each block's issuance depends on the previous block's emission, so
 * the calls form one dependency chain (latency, not throughput). Starts just below the k = 5
 * threshold so that the chain crosses a halving. */
static void b_emission_chained(uint64_t iters, void *ctx)
{
    uint64_t issuance = UINT64_C(20343750000000000) - iters * 15000000u, out = 0;
    (void)ctx;
    for (uint64_t i = 0; i < iters; i++) {
        (void)tsr_block_emission_for_issuance(NULL, issuance, &out);
        issuance += out;
    }
    sink = issuance;
}

/* log2 of values in [1, 2^40): the general fixed-point path (halvings + 32 squarings). */
static void b_log2(uint64_t iters, void *ctx)
{
    uint64_t acc = 0;
    tsr_i96f32 x, l;
    (void)ctx;
    for (uint64_t i = 0; i < iters; i++) {
        x.raw = tsr_i128_make(0, (UINT64_C(1) << 32) +
                                     (i * UINT64_C(2654435761)) % (UINT64_C(1) << 40));
        (void)tsr_i96f32_log2(x, &l);
        acc += l.raw.lo;
    }
    sink = acc;
}

/* I96F32 division and multiplication on small non-negative operands (the emission schedule's
 * and the coinbase's typical magnitudes). */
static void b_i96_div(uint64_t iters, void *ctx)
{
    uint64_t acc = 0;
    (void)ctx;
    for (uint64_t i = 0; i < iters; i++) {
        tsr_i96f32 q = tsr_i96f32_safe_div(tsr_i96f32_from_u64(i * UINT64_C(2654435761)),
                                           tsr_i96f32_from_u64(TSR_TOTAL_SUPPLY));
        acc += q.raw.lo;
    }
    sink = acc;
}

static void b_i96_mul(uint64_t iters, void *ctx)
{
    uint64_t acc = 0;
    tsr_i96f32 x;
    (void)ctx;
    x.raw = tsr_i128_make(0, UINT64_C(3) << 31); /* 1.5 */
    for (uint64_t i = 0; i < iters; i++) {
        tsr_i96f32 p = tsr_i96f32_sat_mul(x, tsr_i96f32_from_u64(i));
        acc += p.raw.lo;
    }
    sink = acc;
}

static void b_u64f64_div(uint64_t iters, void *ctx)
{
    uint64_t acc = 0;
    (void)ctx;
    for (uint64_t i = 0; i < iters; i++) {
        tsr_u64f64 q = tsr_u64f64_safe_div(tsr_u64f64_from_u64(1 + (i & 0xffff)),
                                           tsr_u64f64_from_u64(UINT64_C(1000000007) + i));
        acc += q.raw.lo;
    }
    sink = acc;
}

static void b_mul(uint64_t iters, void *ctx)
{
    tsr_i32f32 acc = 0, x = TSR_I32F32_ONE / 3;
    (void)ctx;
    for (uint64_t i = 0; i < iters; i++)
        acc += tsr_i32f32_sat_mul(x + (tsr_i32f32)(i & 0xffff), TSR_I32F32_ONE * 3 / 7);
    sink = (uint64_t)acc;
}

static void b_div(uint64_t iters, void *ctx)
{
    tsr_i32f32 acc = 0;
    (void)ctx;
    for (uint64_t i = 0; i < iters; i++)
        acc += tsr_i32f32_safe_div(TSR_I32F32_ONE + (tsr_i32f32)(i & 0xffff),
                                   3 * TSR_I32F32_ONE + (tsr_i32f32)i);
    sink = (uint64_t)acc;
}

typedef struct {
    size_t n;
    uint64_t *w, *out;
    tsr_split_item *scratch;
} split_ctx;

static void b_split(uint64_t iters, void *vctx)
{
    split_ctx *c = vctx;
    uint64_t acc = 0;
    for (uint64_t i = 0; i < iters; i++) {
        /* amounts that leave a remainder to hand out */
        (void)tsr_split_pro_rata(UINT64_C(1000000007) + i, c->w, c->n, c->out, c->scratch, NULL);
        acc += c->out[0];
    }
    sink = acc;
}

int main(void)
{
    split_ctx s5, s1000;
    uint64_t st = 1;
    size_t sizes[2] = {5, 1000};
    split_ctx *ctxs[2] = {&s5, &s1000};
    for (int k = 0; k < 2; k++) {
        split_ctx *c = ctxs[k];
        c->n = sizes[k];
        c->w = malloc(c->n * sizeof *c->w);
        c->out = malloc(c->n * sizeof *c->out);
        c->scratch = malloc(c->n * sizeof *c->scratch);
        if (!c->w || !c->out || !c->scratch) {
            for (int j = 0; j <= k; j++) /* the contexts allocated so far */
                free(ctxs[j]->w), free(ctxs[j]->out), free(ctxs[j]->scratch);
            return 1;
        }
        for (size_t i = 0; i < c->n; i++) {
            st = st * UINT64_C(6364136223846793005) + 1442695040888963407u;
            c->w[i] = 1 + (st >> 33) % 1000000;
        }
    }
    printf("tsreward %s bench (%s 128-bit integers)\n", tsr_version(),
           TSR_NATIVE_INT128 ? "native" : "portable");
    bench_timer_run("block_emission_for_issuance", b_emission, 2000000, NULL);
    bench_timer_run("block_emission_for_issuance (chained)", b_emission_chained, 2000000, NULL);
    bench_timer_run("i96f32_log2", b_log2, 1000000, NULL);
    bench_timer_run("i96f32_safe_div", b_i96_div, 5000000, NULL);
    bench_timer_run("i96f32_sat_mul", b_i96_mul, 20000000, NULL);
    bench_timer_run("u64f64_safe_div", b_u64f64_div, 5000000, NULL);
    bench_timer_run("i32f32_sat_mul", b_mul, 20000000, NULL);
    bench_timer_run("i32f32_safe_div", b_div, 5000000, NULL);
    bench_timer_run("split_pro_rata n=5 (scratch)", b_split, 1000000, &s5);
    bench_timer_run("split_pro_rata n=1000 (scratch)", b_split, 2000, &s1000);
    tsr_split_item *keep[2] = {s5.scratch, s1000.scratch};
    s5.scratch = NULL;
    s1000.scratch = NULL;
    bench_timer_run("split_pro_rata n=5 (no scratch)", b_split, 1000000, &s5);
    bench_timer_run("split_pro_rata n=1000 (no scratch)", b_split, 200, &s1000);
    for (int k = 0; k < 2; k++) {
        free(ctxs[k]->w);
        free(ctxs[k]->out);
        free(keep[k]);
    }
    return 0;
}
