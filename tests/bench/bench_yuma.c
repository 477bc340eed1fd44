/* bench_yuma.c: epochs per second and memory of the Yuma epoch (tsr_yuma.h).
 *
 * Configurations (each with original Yuma and with Yuma3 + liquid alpha):
 *   n = 256:  64 permitted validators (uids 0..63, stake), dense weights from every validator to
 *             the 192 miners (uids 64..255), in ascending uid order;
 *   n = 1024, n = 4096: n/4 permitted validators, each weighting 40% of the uids (drawn from a
 *             common half of the uids, so that stake majorities exist and consensus is not
 *             trivially 0), in random order: weight density nnz / n^2 = 10%.
 * Stored bonds come from a warm-up epoch (so the EMA has old bonds to decay), and permits too.
 * Each figure is the median of 5 repetitions of at least 0.3 s; memory is the workspace size
 * and the process's peak RSS (getrusage ru_maxrss). Wall-clock time is used here only, never
 * in any result.
 */
#define _POSIX_C_SOURCE 200809L

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bench_timer.h"
#include "tsr_err.h"
#include "tsr_yuma.h"

static uint64_t nx(uint64_t *s)
{
    uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

typedef struct bench {
    tsr_yuma_params p;
    tsr_yuma_state s;
    uint64_t *stake, *lu, *bar;
    bool *permit;
    size_t *wptr, *bptr, *obptr;
    tsr_yuma_pair *w, *b, *ob;
    size_t nw, bcap;
    void *ws;
    size_t wsz;
    uint16_t *u16;
    uint64_t *u64;
    bool *bools;
    tsr_yuma_out out;
} bench;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void build(bench *B, size_t n, size_t validators, bool dense_miners, bool yuma3)
{
    uint64_t seed = 12345 + n;
    memset(B, 0, sizeof *B);
    tsr_yuma_params_default(&B->p);
    B->p.yuma3 = yuma3;
    B->p.liquid_alpha = yuma3;
    B->p.max_allowed_validators = (uint16_t)validators;
    B->stake = calloc(n, sizeof *B->stake);
    B->lu = calloc(n, sizeof *B->lu);
    B->bar = calloc(n, sizeof *B->bar);
    B->permit = calloc(n, sizeof *B->permit);
    for (size_t i = 0; i < n; i++) {
        B->stake[i] = i < validators ? 1000000000 + nx(&seed) % 1000000000000 : 0;
        B->bar[i] = 100;
        B->lu[i] = 1000;
    }
    size_t per_row = dense_miners ? n - validators : (4 * n) / 10;
    size_t rows = validators;
    B->nw = rows * per_row;
    B->wptr = calloc(n + 1, sizeof *B->wptr);
    B->w = malloc(B->nw * sizeof *B->w);
    uint32_t *perm = malloc(n * sizeof *perm);
    for (size_t i = 0; i < n; i++)
        perm[i] = (uint32_t)i;
    for (size_t q = 0; q < n; q++) { /* a random order of the uids; its first half is the pool */
        size_t r = q + nx(&seed) % (n - q);
        uint32_t t = perm[q];
        perm[q] = perm[r];
        perm[r] = t;
    }
    size_t pool = n / 2, k = 0;
    for (size_t i = 0; i < n; i++) {
        if (i < rows) {
            for (size_t q = 0; q < per_row; q++) {
                if (dense_miners) {
                    B->w[k].uid = (uint16_t)(validators + q);
                } else { /* partial shuffle of the pool: per_row distinct pool uids */
                    size_t r = q + nx(&seed) % (pool - q);
                    uint32_t t = perm[q];
                    perm[q] = perm[r];
                    perm[r] = t;
                    B->w[k].uid = (uint16_t)perm[q];
                }
                B->w[k++].value = (uint16_t)(q == 0 ? 65535 : nx(&seed) % 65536);
            }
        }
        B->wptr[i + 1] = k;
    }
    free(perm);
    B->bptr = calloc(n + 1, sizeof *B->bptr);
    B->obptr = calloc(n + 1, sizeof *B->obptr);
    B->bcap = tsr_yuma_bonds_cap(n, B->nw, B->nw);
    B->b = malloc(B->bcap * sizeof *B->b);
    B->ob = malloc(B->bcap * sizeof *B->ob);
    B->wsz = tsr_yuma_ws_size(n, B->nw, B->nw);
    B->ws = malloc(B->wsz);
    B->u16 = calloc(5 * n, sizeof *B->u16);
    B->u64 = calloc(4 * n, sizeof *B->u64);
    B->bools = calloc(2 * n, sizeof *B->bools);
    tsr_yuma_out *o = &B->out;
    tsr_yuma_out_bind(o, n, B->u16, B->u64, B->bools, NULL);
    o->bonds_row_ptr = B->obptr;
    o->bonds = B->ob;
    o->bonds_cap = B->bcap;
    tsr_yuma_state *s = &B->s;
    s->n = n;
    s->current_block = 1001;
    s->alpha_stake = B->stake;
    s->last_update = B->lu;
    s->block_at_registration = B->bar;
    s->validator_permit = B->permit;
    s->weights.row_ptr = B->wptr;
    s->weights.pairs = B->w;
    s->bonds.row_ptr = B->bptr;
    s->bonds.pairs = B->b;
    /* Two warm-up epochs: permits, then bonds. */
    for (int e = 0; e < 2; e++) {
        if (tsr_yuma_epoch(&B->p, s, 1000000000, o, B->ws, B->wsz) != TSR_OK) {
            fprintf(stderr, "bench_yuma: epoch failed\n");
            exit(1);
        }
        memcpy(B->permit, o->validator_permit, n * sizeof(bool));
        memcpy(B->bptr, B->obptr, (n + 1) * sizeof(size_t));
        memcpy(B->b, B->ob, B->obptr[n] * sizeof(tsr_yuma_pair));
    }
}

static void release(bench *B)
{
    free(B->stake);
    free(B->lu);
    free(B->bar);
    free(B->permit);
    free(B->wptr);
    free(B->bptr);
    free(B->obptr);
    free(B->w);
    free(B->b);
    free(B->ob);
    free(B->ws);
    free(B->u16);
    free(B->u64);
    free(B->bools);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void run(size_t n, size_t validators, bool dense, bool yuma3)
{
    bench B;
    build(&B, n, validators, dense, yuma3);
    double rates[5];
    for (int r = 0; r < 5; r++) {
        size_t count = 0;
        double t0 = now(), t;
        do {
            if (tsr_yuma_epoch(&B.p, &B.s, 1000000000, &B.out, B.ws, B.wsz) != TSR_OK)
                exit(1);
            count++;
            t = now();
        } while (t - t0 < 0.3);
        rates[r] = (double)count / (t - t0);
    }
    qsort(rates, 5, sizeof rates[0], cmp_double);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("yuma n=%-5zu validators=%-4zu nnz_w=%-8zu %-22s %10.1f epochs/s  %9.3f ms/epoch  "
           "workspace %8.2f MB  peak RSS %8.1f MB\n",
           n, validators, B.nw, yuma3 ? "yuma3+liquid-alpha" : "original-yuma", rates[2],
           1000.0 / rates[2], (double)B.wsz / 1048576.0, (double)ru.ru_maxrss / 1024.0);
    fflush(stdout);
    release(&B);
}

/* FNV-1a over bytes, to fingerprint the outputs. */
static uint64_t fnv(uint64_t h, const void *p, size_t len)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < len; i++)
        h = (h ^ c[i]) * UINT64_C(0x100000001B3);
    return h;
}

/* A fixed number of epochs without timing (for instruction counts under callgrind), then a
 * digest of every output of the last epoch (to check that a change keeps results identical). */
static void run_count(size_t n, size_t validators, bool dense, bool yuma3, long epochs)
{
    bench B;
    build(&B, n, validators, dense, yuma3);
    for (long e = 0; e < epochs; e++)
        if (tsr_yuma_epoch(&B.p, &B.s, 1000000000, &B.out, B.ws, B.wsz) != TSR_OK)
            exit(1);
    uint64_t h = UINT64_C(0xCBF29CE484222325);
    h = fnv(h, B.u16, 5 * n * sizeof *B.u16);
    h = fnv(h, B.u64, 4 * n * sizeof *B.u64);
    h = fnv(h, B.bools, 2 * n * sizeof *B.bools);
    h = fnv(h, B.obptr, (n + 1) * sizeof *B.obptr);
    h = fnv(h, B.ob, B.obptr[n] * sizeof *B.ob);
    printf("yuma n=%-5zu %-22s %ld epochs, output digest %016llx\n", n,
           yuma3 ? "yuma3+liquid-alpha" : "original-yuma", epochs, (unsigned long long)h);
    release(&B);
}

/* Optional arguments: N (run only that n), then 0 or 1 (only original Yuma / Yuma3), then a
 * number of epochs (run that many untimed and print the output digest instead of timing). */
int main(int argc, char **argv)
{
    size_t only = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 0;
    int variant = (int)bench_arg(argc, argv, 2, -1, 1, -1);
    long count = (long)bench_arg(argc, argv, 3, 0, LONG_MAX, 0);
    static const size_t ns[3] = {256, 1024, 4096};
    for (int y = 0; y < 2; y++) {
        if (variant >= 0 && y != variant)
            continue;
        for (int c = 0; c < 3; c++) {
            size_t n = ns[c];
            if (only && only != n)
                continue;
            if (count > 0)
                run_count(n, n / 4, n == 256, y == 1, count);
            else
                run(n, n / 4, n == 256, y == 1);
        }
    }
    return 0;
}
