/* bench_coinbase.c: cost of the coinbase block step and the burn/pruning helpers. Each figure is
 * the median of 5 repetitions of a timed loop (the machine is shared and noisy); inputs change
 * per iteration and results feed a volatile sink so nothing is folded away. */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench_timer.h"
#include "tsr.h"

#define NSUB 128
#define NUID 256

static volatile uint64_t sink;

typedef struct world {
    tsr_chain c;
    tsr_subnet s[NSUB];
    tsr_subnet_flow f[NSUB];
} world;

static void b_block(uint64_t iters, void *ctx)
{
    world *w = ctx;
    uint64_t acc = 0;
    for (uint64_t i = 0; i < iters; i++) {
        w->c.block++;
        if (tsr_coinbase_begin_block(&w->c, w->s, NSUB, w->f, NULL) != TSR_OK ||
            tsr_coinbase_end_block(&w->c, w->s, w->f, NSUB) != TSR_OK)
            abort();
        acc += w->f[w->c.block % NSUB].server;
    }
    sink = acc;
}

static void b_decay_factor(uint64_t iters, void *ctx)
{
    uint64_t acc = 0;
    (void)ctx;
    for (uint64_t i = 0; i < iters; i++)
        acc += tsr_burn_decay_factor_q32((uint16_t)(300 + i % 200));
    sink = acc;
}

static void b_split(uint64_t iters, void *ctx)
{
    uint64_t acc = 0;
    tsr_alpha_split sp;
    tsr_u96f32 cut = tsr_u16_fraction(TSR_DEFAULT_SUBNET_OWNER_CUT);
    (void)ctx;
    for (uint64_t i = 0; i < iters; i++) {
        tsr_u96f32 rp;
        rp.raw = tsr_u128_from_u64(i & 0xffffffffu);
        (void)tsr_coinbase_alpha_split(tsr_u96f32_from_u64(1000000000 + i), true, cut, rp, &sp);
        acc += sp.validator.raw.lo;
    }
    sink = acc;
}

static void b_prune(uint64_t iters, void *ctx)
{
    tsr_neuron *n = ctx;
    tsr_prune_params p = {100000, 5000, 1, 10, 0};
    uint64_t acc = 0;
    for (uint64_t i = 0; i < iters; i++) {
        uint16_t uid = 0;
        bool found = false;
        n[i % NUID].emission = i;
        (void)tsr_neuron_to_prune(n, NUID, &p, &uid, &found);
        acc += uid;
    }
    sink = acc;
}

int main(void)
{
    static world w;
    if (tsr_chain_default(&w.c) != TSR_OK)
        return 1;
    w.c.root_tao = UINT64_C(6000000000000000);
    for (int i = 0; i < NSUB; i++) {
        if (tsr_subnet_init(&w.s[i], (uint16_t)(i + 1), 0, 1,
                            UINT64_C(1000000000000) + (uint64_t)i * 7919,
                            UINT64_C(2000000000000)) != TSR_OK)
            return 1;
        w.s[i].moving_price.raw = tsr_i128_from_i64(100000 + (int64_t)i * 1000);
        w.s[i].price.raw = tsr_u128_make(0, UINT64_C(1) << 61);
    }
    static tsr_neuron n[NUID];
    for (int i = 0; i < NUID; i++) {
        n[i].emission = (uint64_t)i * 37 % 101;
        n[i].block_at_registration = (uint64_t)i * 13;
        n[i].has_hotkey = true;
        n[i].owned_by_subnet_owner = i % 50 == 0;
    }
    bench_timer_run("block step, 128 subnets (begin + end)", b_block, 20000, &w);
    bench_timer_run("burn decay factor (bisection, half-life 300..499)", b_decay_factor, 20000,
                    NULL);
    bench_timer_run("alpha split (owner cut, root proportion)", b_split, 2000000, NULL);
    bench_timer_run("neuron to prune, 256 uids", b_prune, 20000, n);
    return 0;
}
