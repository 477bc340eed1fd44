/*
** bench_cflow.c: revenue events per second through the C-Flow royalty graph (tsr_cflow_pay)
** on a 100,000-node graph, both modes, plus the cost of building the graph.
**
** Graph: nodes arrive in id order; the first 100 are foundations; each later node licenses
** 1..3 distinct earlier nodes drawn from the most recent 5,000 (so depth grows the way forks of
** forks do) at 1..5 %, and links the graph rejects (stack, ancestors) are skipped. The draws come
** from a fixed splitmix64 sequence (a benchmark input, not a simulation). Revenue events of
** 1,000 tokens (1e12 units) land on uniformly drawn nodes. Prints ns per event (median of 5
** repetitions of 20,000 events), the mean number of nodes each event touches, and the graph's
** build time (median of 3 builds). LRP is timed twice: tsr_cflow_pay, which walks the whole
** ancestor set, and tsr_cflow_pay_live (the model's path), which visits only the nodes a
** positive amount reaches; both pay identical amounts (checked here on 2,000 events).
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
    tsr_cflow *g;     /* the graph */
    uint32_t *nodes;  /* pay output */
    uint64_t *amt;    /* pay output */
    uint64_t seed;    /* event draws */
    uint64_t touched; /* nodes touched, summed */
    uint64_t events;  /* events paid */
    int live;         /* tsr_cflow_pay_live instead of tsr_cflow_pay */
} ctx;

static void pay_events(uint64_t iters, void *vc)
{
    ctx *c = vc;
    for (uint64_t i = 0; i < iters; i++) {
        uint32_t n = (uint32_t)(mix(&c->seed) % NODES);
        size_t k = 0;
        int rc = c->live ? tsr_cflow_pay_live(c->g, n, 1000000000000ull, c->nodes, c->amt, NULL,
                                              1025, &k)
                         : tsr_cflow_pay(c->g, n, 1000000000000ull, c->nodes, c->amt, 1025, &k);
        if (rc != TSR_OK)
            exit(1);
        c->touched += k;
        c->events++;
    }
}

/* Both LRP paths pay every node the same amount (nodes absent from the live list keep 0). */
static void same_amounts(tsr_cflow *g)
{
    static uint32_t n1[1025], n2[1025];
    static uint64_t a1[1025], a2[1025];
    uint64_t s = 99;
    for (int e = 0; e < 2000; e++) {
        uint32_t n = (uint32_t)(mix(&s) % NODES);
        size_t k1 = 0, k2 = 0, hit = 0;
        if (tsr_cflow_pay(g, n, 1000000000000ull, n1, a1, 1025, &k1) != TSR_OK ||
            tsr_cflow_pay_live(g, n, 1000000000000ull, n2, a2, NULL, 1025, &k2) != TSR_OK)
            exit(1);
        for (size_t i = 0; i < k1; i++) {
            uint64_t want = a1[i], got = 0;
            for (size_t j = 0; j < k2; j++)
                if (n2[j] == n1[i])
                    got = a2[j], hit++;
            if (got != want) {
                fprintf(stderr, "bench_cflow: live and full LRP differ at node %u\n", n1[i]);
                exit(1);
            }
        }
        if (hit != k2)
            exit(1);
    }
}

static double build_ms(tsr_cflow *g, tsr_cflow_mode mode, size_t *links)
{
    double t[3];
    for (int r = 0; r < 3; r++) {
        double t0 = bench_timer_now_ns();
        *links = build(g, mode);
        t[r] = (bench_timer_now_ns() - t0) / 1e6;
        if (r < 2)
            tsr_cflow_clear(g);
    }
    qsort(t, 3, sizeof t[0], bench_timer_cmp);
    return t[1];
}

static void time_pay(tsr_cflow *g, const char *name, int live)
{
    static uint32_t nodes[1025];
    static uint64_t amt[1025];
    ctx c = {g, nodes, amt, 7, 0, 0, live};
    char label[96];
    snprintf(label, sizeof label, "cflow pay, %s, 100k nodes", name);
    bench_timer_run(label, pay_events, 20000, &c);
    printf("  mean nodes touched per event: %.1f\n", (double)c.touched / (double)c.events);
}

int main(void)
{
    const tsr_cflow_mode modes[2] = {TSR_CFLOW_RELATIVE, TSR_CFLOW_ABSOLUTE};
    const char *names[2] = {"relative (LRP)", "absolute (LAP)"};
    for (int m = 0; m < 2; m++) {
        tsr_cflow g;
        size_t links = 0;
        double ms = build_ms(&g, modes[m], &links);
        printf("cflow %s: %u nodes, %zu links, built in %.1f ms (median of 3)\n", names[m], NODES,
               links, ms);
        if (modes[m] == TSR_CFLOW_RELATIVE) {
            same_amounts(&g);
            time_pay(&g, "relative (LRP), whole ancestor set", 0);
            time_pay(&g, "relative (LRP), live nodes only", 1);
        } else {
            time_pay(&g, names[m], 0);
        }
        tsr_cflow_clear(&g);
    }
    return 0;
}
