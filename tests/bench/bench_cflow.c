/*
** bench_cflow.c: revenue events per second through the C-Flow royalty graph (tsr_cflow_pay)
** on a 100,000-node graph, both modes, plus the cost of building the graph.
**
** Graph: nodes arrive in id order; the first 100 are foundations; each later node licenses
** 1..3 distinct earlier nodes drawn from the most recent 5,000 (so depth grows the way forks of
** forks do) at 1..5 %, and links the graph rejects (stack, ancestors) are skipped. The draws come
** from a fixed splitmix64 sequence (a benchmark input, not a simulation). Revenue events land on
** uniformly drawn nodes. Prints ns per event (median of 5) and the mean ancestor-set size.
*/
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench_timer.h"
#include "tsr.h"

#define NODES  100000u
#define WINDOW 5000u

static uint64_t mix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static size_t build(tsr_cflow *g, tsr_cflow_mode mode)
{
    uint64_t s = 42;
    size_t links = 0;
    if (tsr_cflow_init(g, mode, 8, 1024, NULL, NULL) != TSR_OK)
        exit(1);
    for (uint32_t i = 0; i < NODES; i++) {
        uint32_t id;
        if (tsr_cflow_add_node(g, &id) != TSR_OK)
            exit(1);
        if (i < 100)
            continue;
        uint32_t lo = i > WINDOW ? i - WINDOW : 0, k = 1 + (uint32_t)(mix(&s) % 3);
        for (uint32_t j = 0; j < k; j++) {
            uint32_t p = lo + (uint32_t)(mix(&s) % (i - lo));
            uint32_t rate = 1000000u * (1 + (uint32_t)(mix(&s) % 5));
            links += tsr_cflow_link_add(g, i, p, rate, NULL) == TSR_OK;
        }
    }
    return links;
}

typedef struct ctx {
    tsr_cflow *g;
    uint32_t *nodes;
    uint64_t *amt;
    uint64_t seed;
    uint64_t touched;
} ctx;

static void pay_events(uint64_t iters, void *vc)
{
    ctx *c = vc;
    for (uint64_t i = 0; i < iters; i++) {
        uint32_t n = (uint32_t)(mix(&c->seed) % NODES);
        size_t k = 0;
        if (tsr_cflow_pay(c->g, n, 1000000000000ull, c->nodes, c->amt, 1025, &k) != TSR_OK)
            exit(1);
        c->touched += k;
    }
}

int main(void)
{
    static uint32_t nodes[1025];
    static uint64_t amt[1025];
    const tsr_cflow_mode modes[2] = {TSR_CFLOW_RELATIVE, TSR_CFLOW_ABSOLUTE};
    const char *names[2] = {"relative (LRP)", "absolute (LAP)"};
    for (int m = 0; m < 2; m++) {
        tsr_cflow g;
        double t0 = bench_timer_now_ns();
        size_t links = build(&g, modes[m]);
        double build_ms = (bench_timer_now_ns() - t0) / 1e6;
        printf("cflow %s: %u nodes, %zu links, built in %.1f ms\n", names[m], NODES, links,
               build_ms);
        ctx c = {&g, nodes, amt, 7, 0};
        char label[96];
        snprintf(label, sizeof label, "cflow pay, %s, 100k nodes", names[m]);
        bench_timer_run(label, pay_events, 20000, &c);
        printf("  mean nodes touched per event: %.1f\n",
               (double)c.touched / (20000.0 * BENCH_TIMER_REPS + 2001));
        tsr_cflow_clear(&g);
    }
    return 0;
}
