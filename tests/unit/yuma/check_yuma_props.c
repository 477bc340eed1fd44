/* check_yuma_props.c: seeded property tests of the Yuma epoch (tsr_yuma.h) over thousands of
 * random subnets: random n (1 .. 4096), sparsity, unsorted rows with zero-valued pairs, stakes
 * with zeros, registrations, last updates, permits, old bonds, and random parameters (original
 * Yuma / Yuma3, liquid alpha on/off, bonds penalty, kappa, owner, stake threshold). Each subnet
 * runs three consecutive epochs, feeding the stored bonds and permits back.
 *
 * Properties asserted for every epoch:
 *  - status TSR_OK; identical outputs from a second run in a dirty workspace (determinism, no
 *    dependence on uninitialised memory);
 *  - emission conservation within the rounding bound derived below;
 *  - permits: at most max_allowed_validators (+ the forced owner), never for zero stake (except
 *    the owner); bonds rows only for permitted uids, columns < n and distinct;
 *  - Active, stake and the normalised vectors behave as spec §2 defines.
 * And for random traces: the outputs do not depend on the order in which operations the chain
 * treats as commutative were applied within one block (set_weights / set_stake for different
 * uids, reset_bonds), replayed through trace_load/trace_replay.
 *
 * Rounding bound (spec §2.14). Emission_i = floor(x_i * R / 2^32) where x = nCE is a vector of
 * raw I32F32 values x_i = floor(a_i * 2^32 / A) with sum(a) = A > 0 (nCE = normalize(I + D), or
 * the stake fallback: normalised stake = floor(s_i 2^32 / S) after the nested I64F64/I32F32 floors,
 * or the normalised active stake). Each floor loses less than one raw unit, so
 * 2^32 - n < X = sum(x) <= 2^32, X an integer, hence X >= 2^32 - (n - 1). Each to_rao floor loses
 * less than one rao, so  R >= sum(Emission) > X R / 2^32 - n >= R - (n - 1) R / 2^32 - n, i.e.
 *      0 <= R - sum(Emission)  and  (R - sum(Emission)) * 2^32 < (n - 1) R + n 2^32.
 * The server + validator emissions are 2n floors of I_i / sum and D_i / sum: the same with 2n
 * terms. The only exception is a subnet whose (threshold-filtered) stake is all zero: every
 * emission is then 0, which is asserted too.
 */
#define _POSIX_C_SOURCE 200809L /* open_memstream, getpid */

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fast_paths.h"
#include "trace.h"
#include "tsr_err.h"
#include "tsr_int.h"
#include "tsr_yuma.h"
#include "tsr_yuma_int.h"
#include "tdb.h"

/* Check records every passing ck_assert (a message through its pipe), which dominates a loop of
 * millions of checks; CHECK only calls into Check when the condition fails. */
#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond))                                                                               \
            ck_abort_msg(__VA_ARGS__);                                                             \
    } while (0)

static uint64_t nx(uint64_t *s)
{
    uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static uint64_t below(uint64_t *s, uint64_t m) /* uniform-enough in [0, m) for tests */
{
    return m ? nx(s) % m : 0;
}

/* ---- a random subnet ------------------------------------------------------------------------- */

typedef struct subnet {
    tsr_yuma_params p;
    size_t n;
    uint64_t block, lms, rao;
    uint64_t *stake, *lu, *bar;
    bool *permit;
    size_t *wptr, *bptr;
    tsr_yuma_pair *w, *b;
    size_t nw, nb, bcap;
} subnet;

/* One epoch's outputs. */
typedef struct outs {
    uint16_t *u16; /* 5n */
    uint64_t *u64; /* 4n */
    bool *bools;   /* 2n */
    size_t *bptr;  /* n + 1 */
    tsr_yuma_pair *bonds;
    tsr_i32f32 *raw; /* 6n */
    tsr_yuma_out o;
} outs;

static void outs_init(outs *x, size_t n, size_t bcap)
{
    x->u16 = calloc(5 * n, sizeof *x->u16);
    x->u64 = calloc(4 * n, sizeof *x->u64);
    x->bools = calloc(2 * n, sizeof *x->bools);
    x->bptr = calloc(n + 1, sizeof *x->bptr);
    x->bonds = calloc(bcap ? bcap : 1, sizeof *x->bonds);
    x->raw = calloc(6 * n, sizeof *x->raw);
    tsr_yuma_out *o = &x->o;
    memset(o, 0, sizeof *o);
    tsr_yuma_out_bind(o, n, x->u16, x->u64, x->bools, x->raw);
    o->bonds_row_ptr = x->bptr;
    o->bonds = x->bonds;
    o->bonds_cap = bcap;
}

static void outs_free(outs *x)
{
    free(x->u16);
    free(x->u64);
    free(x->bools);
    free(x->bptr);
    free(x->bonds);
    free(x->raw);
}

static size_t pick_n(uint64_t *s)
{
    uint64_t r = below(s, 100);
    if (r < 70)
        return 1 + below(s, 40);
    if (r < 92)
        return 41 + below(s, 260);
    if (r < 99)
        return 1024;
    return 4096;
}

static void random_params(uint64_t *s, tsr_yuma_params *p, size_t n)
{
    tsr_yuma_params_default(p);
    p->tempo = (uint16_t)(1 + below(s, 400));
    p->activity_cutoff = below(s, 4) == 0 ? below(s, 20) : 5000;
    p->kappa = below(s, 2) ? 32767 : (uint16_t)below(s, 65536);
    p->bonds_moving_average = below(s, 2) ? 900000 : below(s, 1000001);
    uint64_t bp = below(s, 3);
    p->bonds_penalty = bp == 0 ? 65535 : (bp == 1 ? 0 : (uint16_t)below(s, 65536));
    p->max_allowed_validators = (uint16_t)(below(s, 2) ? 64 : below(s, n + 3));
    p->yuma3 = below(s, 2);
    p->liquid_alpha = below(s, 2);
    p->alpha_low = (uint16_t)(1638 + below(s, 30000));
    p->alpha_high = (uint16_t)(p->alpha_low + below(s, (uint64_t)(65536 - p->alpha_low)));
    p->alpha_sigmoid_steepness = (int16_t)(below(s, 2) ? 1000 : (int64_t)below(s, 65536) - 32768);
    p->owner_uid = below(s, 3) == 0 ? (uint32_t)below(s, n) : TSR_YUMA_NO_OWNER;
    p->stake_threshold = below(s, 3) == 0 ? below(s, 1000) : 0;
}

/* Random rows: row density, unsorted or sorted, zero-valued pairs, distinct columns. */
static size_t random_rows(uint64_t *s, size_t n, size_t *ptr, tsr_yuma_pair *pairs, size_t cap,
                          size_t max_row, uint32_t *perm)
{
    size_t k = 0;
    ptr[0] = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = below(s, 3) == 0 ? 0 : below(s, max_row + 1);
        if (len > n)
            len = n;
        if (k + len > cap)
            len = cap - k;
        /* partial Fisher-Yates over perm[] picks len distinct columns */
        for (size_t q = 0; q < len; q++) {
            size_t r = q + below(s, n - q);
            uint32_t t = perm[q];
            perm[q] = perm[r];
            perm[r] = t;
        }
        bool sorted = below(s, 2);
        for (size_t q = 0; q < len; q++) {
            pairs[k + q].uid = (uint16_t)perm[q];
            uint64_t v = below(s, 4);
            pairs[k + q].value = (uint16_t)(v == 0 ? 0 : (v == 1 ? 65535 : below(s, 65536)));
        }
        if (sorted) /* insertion sort by uid (rows are short) */
            for (size_t q = 1; q < len; q++)
                for (size_t r = q; r > 0 && pairs[k + r - 1].uid > pairs[k + r].uid; r--) {
                    tsr_yuma_pair t = pairs[k + r];
                    pairs[k + r] = pairs[k + r - 1];
                    pairs[k + r - 1] = t;
                }
        k += len;
        ptr[i + 1] = k;
    }
    return k;
}

static void subnet_random(subnet *sn, uint64_t seed)
{
    uint64_t s = seed;
    size_t n = pick_n(&s);
    memset(sn, 0, sizeof *sn);
    sn->n = n;
    random_params(&s, &sn->p, n);
    sn->block = 1000 + below(&s, 1000);
    sn->lms = below(&s, 4) == 0 ? sn->block - below(&s, 500) : 0;
    sn->rao = below(&s, 2) ? 1000000000 : below(&s, UINT64_C(1) << 62);
    sn->stake = calloc(n, sizeof *sn->stake);
    sn->lu = calloc(n, sizeof *sn->lu);
    sn->bar = calloc(n, sizeof *sn->bar);
    sn->permit = calloc(n, sizeof *sn->permit);
    for (size_t i = 0; i < n; i++) {
        uint64_t r = below(&s, 5);
        sn->stake[i] = r == 0 ? 0 : (r == 1 ? 1 + below(&s, 10) : below(&s, UINT64_C(1) << 50));
        sn->bar[i] = below(&s, sn->block + 1);
        sn->lu[i] = sn->bar[i] + below(&s, sn->block - sn->bar[i] + 1);
        sn->permit[i] = below(&s, 2);
    }
    size_t max_row = n <= 300 ? n : 48;
    size_t cap_w = n * (max_row < n ? max_row : n);
    if (cap_w > 200000)
        cap_w = 200000;
    size_t cap_b = cap_w / 2 + 1;
    uint32_t *perm = malloc(n * sizeof *perm);
    for (size_t i = 0; i < n; i++)
        perm[i] = (uint32_t)i;
    sn->wptr = malloc((n + 1) * sizeof *sn->wptr);
    sn->bptr = malloc((n + 1) * sizeof *sn->bptr);
    sn->w = malloc(cap_w * sizeof *sn->w);
    sn->b = malloc(cap_b * sizeof *sn->b);
    sn->nw = random_rows(&s, n, sn->wptr, sn->w, cap_w, max_row, perm);
    sn->nb = random_rows(&s, n, sn->bptr, sn->b, cap_b, max_row / 2, perm);
    free(perm);
}

static void subnet_free(subnet *sn)
{
    free(sn->stake);
    free(sn->lu);
    free(sn->bar);
    free(sn->permit);
    free(sn->wptr);
    free(sn->bptr);
    free(sn->w);
    free(sn->b);
}

static void state_of(const subnet *sn, tsr_yuma_state *st)
{
    memset(st, 0, sizeof *st);
    st->n = sn->n;
    st->current_block = sn->block;
    st->last_mechanism_step_block = sn->lms;
    st->alpha_stake = sn->stake;
    st->last_update = sn->lu;
    st->block_at_registration = sn->bar;
    st->validator_permit = sn->permit;
    st->weights.row_ptr = sn->wptr;
    st->weights.pairs = sn->w;
    st->bonds.row_ptr = sn->bptr;
    st->bonds.pairs = sn->b;
}

/* (R - sum) * 2^32 < terms_minus_1 * R + terms * 2^32, and sum <= R. */
static void assert_bound(uint64_t R, const uint64_t *a, const uint64_t *b, size_t n, size_t terms,
                         const char *what, uint64_t seed)
{
    tsr_u128 sum = tsr_u128_from_u64(0);
    for (size_t i = 0; i < n; i++) {
        sum = tsr_u128_add(sum, tsr_u128_from_u64(a[i]));
        if (b)
            sum = tsr_u128_add(sum, tsr_u128_from_u64(b[i]));
    }
    CHECK(tsr_u128_cmp(sum, tsr_u128_from_u64(R)) <= 0, "seed %llu: %s exceeds R",
          (unsigned long long)seed, what);
    tsr_u128 deficit = tsr_u128_sub(tsr_u128_from_u64(R), sum);
    tsr_u128 lhs = tsr_u128_shl(deficit, 32);
    tsr_u128 rhs =
        tsr_u128_add(tsr_u128_mul64(terms - 1, R), tsr_u128_shl(tsr_u128_from_u64(terms), 32));
    CHECK(tsr_u128_cmp(lhs, rhs) < 0, "seed %llu: %s deficit %llu beyond the bound (n=%zu)",
          (unsigned long long)seed, what, (unsigned long long)deficit.lo, n);
}

static void check_epoch(const subnet *sn, const outs *x, uint64_t seed)
{
    size_t n = sn->n;
    const tsr_yuma_out *o = &x->o;
    const tsr_yuma_params *p = &sn->p;
    bool owner = p->owner_uid != TSR_YUMA_NO_OWNER && p->owner_uid < n;
    /* Stake after the threshold: all zero means no emission at all. */
    bool any_stake = false;
    size_t permits = 0;
    for (size_t i = 0; i < n; i++) {
        bool keep = (owner && i == p->owner_uid) || sn->stake[i] >= p->stake_threshold;
        any_stake = any_stake || (keep && sn->stake[i] > 0);
        CHECK((o->stake[i]) == (sn->stake[i]), "seed %llu: %s != %s", (unsigned long long)seed,
              "o->stake[i]", "sn->stake[i]");
        uint64_t until = sn->lu[i] + p->activity_cutoff;
        CHECK(o->active[i] == !(until < sn->block), "seed %llu: active[%zu]",
              (unsigned long long)seed, i);
        if (o->validator_permit[i]) {
            permits++;
            CHECK(o->raw_stake[i] != 0 || (owner && i == p->owner_uid),
                  "seed %llu: permit for zero stake", (unsigned long long)seed);
        } else {
            CHECK((o->bonds_row_ptr[i + 1]) == (o->bonds_row_ptr[i]), "seed %llu: %s != %s",
                  (unsigned long long)seed, "o->bonds_row_ptr[i + 1]", "o->bonds_row_ptr[i]");
        }
        for (size_t q = o->bonds_row_ptr[i]; q < o->bonds_row_ptr[i + 1]; q++) {
            CHECK((o->bonds[q].uid) < (n), "seed %llu: bond column out of range",
                  (unsigned long long)seed);
            for (size_t r = o->bonds_row_ptr[i]; r < q; r++)
                CHECK((o->bonds[r].uid) != (o->bonds[q].uid), "seed %llu: duplicate bond column",
                      (unsigned long long)seed);
        }
        CHECK((o->raw_incentive[i]) >= (0), "seed %llu: negative output", (unsigned long long)seed);
        CHECK((o->raw_dividends[i]) >= (0), "seed %llu: negative output", (unsigned long long)seed);
        CHECK((o->raw_consensus[i]) <= ((int64_t)1 << 32), "seed %llu: consensus above 1",
              (unsigned long long)seed);
    }
    CHECK((permits) <= ((size_t)p->max_allowed_validators + (owner ? 1u : 0u)),
          "seed %llu: too many permits", (unsigned long long)seed);
    if (!any_stake) {
        for (size_t i = 0; i < n; i++)
            CHECK((o->emission[i] | o->server_emission[i] | o->validator_emission[i]) == (0),
                  "seed %llu: %s != %s", (unsigned long long)seed,
                  "o->emission[i] | o->server_emission[i] | o->validator_emission[i]", "0");
        return;
    }
    assert_bound(sn->rao, o->emission, NULL, n, n, "emission", seed);
    assert_bound(sn->rao, o->server_emission, o->validator_emission, n, 2 * n,
                 "server + validator emission", seed);
}

static void outs_equal(const outs *a, const outs *b, size_t n, uint64_t seed)
{
    CHECK(!memcmp(a->u16, b->u16, 5 * n * sizeof *a->u16) &&
              !memcmp(a->u64, b->u64, 4 * n * sizeof *a->u64) &&
              !memcmp(a->bools, b->bools, 2 * n * sizeof *a->bools) &&
              !memcmp(a->raw, b->raw, 6 * n * sizeof *a->raw) &&
              !memcmp(a->bptr, b->bptr, (n + 1) * sizeof *a->bptr) &&
              !memcmp(a->bonds, b->bonds, a->bptr[n] * sizeof *a->bonds),
          "seed %llu: a second run differs", (unsigned long long)seed);
}

/* Three epochs of one random subnet. */
static void run_subnet(uint64_t seed)
{
    subnet sn;
    subnet_random(&sn, seed);
    size_t n = sn.n;
    for (int ep = 0; ep < 3; ep++) {
        tsr_yuma_state st;
        state_of(&sn, &st);
        size_t bcap = tsr_yuma_bonds_cap(n, sn.nw, sn.nb);
        size_t wsz = tsr_yuma_ws_size(n, sn.nw, sn.nb);
        CHECK((wsz) > (0), "seed %llu: workspace size 0", (unsigned long long)seed);
        outs a, b;
        outs_init(&a, n, bcap);
        outs_init(&b, n, bcap);
        void *ws = malloc(wsz);
        CHECK(tsr_yuma_epoch(&sn.p, &st, sn.rao, &a.o, ws, wsz) == TSR_OK,
              "seed %llu: epoch status", (unsigned long long)seed);
        memset(ws, 0x5C, wsz);
        CHECK(tsr_yuma_epoch(&sn.p, &st, sn.rao, &b.o, ws, wsz) == TSR_OK,
              "seed %llu: epoch status", (unsigned long long)seed);
        free(ws);
        outs_equal(&a, &b, n, seed);
        check_epoch(&sn, &a, seed);
        /* Store as the chain does: bonds and permits; then move on a few blocks. */
        free(sn.b);
        sn.nb = a.bptr[n];
        sn.b = malloc((sn.nb ? sn.nb : 1) * sizeof *sn.b);
        memcpy(sn.b, a.bonds, sn.nb * sizeof *sn.b);
        memcpy(sn.bptr, a.bptr, (n + 1) * sizeof *sn.bptr);
        memcpy(sn.permit, a.o.validator_permit, n * sizeof *sn.permit);
        sn.block += 1 + (seed + (uint64_t)ep) % 3;
        outs_free(&a);
        outs_free(&b);
    }
    subnet_free(&sn);
}

#define SUBNETS_PER_LOOP 50

START_TEST(test_random_epochs)
{
    for (int k = 0; k < SUBNETS_PER_LOOP / YUMA_SAN_DIV; k++)
        run_subnet((uint64_t)_i * 1000003u + (uint64_t)k);
}
END_TEST

/* ---- order independence of commuting operations (trace level) -------------------------------- */

typedef struct tops {
    char text[256]; /* one operation's JSON */
    int cls;        /* 0 set_weights, 1 set_stake, 2 reset_bonds */
} tops;

/* Appends a random trace with `reverse` choosing the op order inside each step. */
static void write_trace(const char *path, uint64_t seed, int reverse)
{
    uint64_t s = seed;
    size_t n = 2 + below(&s, 12);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f,
            "{\"format\":\"yuma-trace/1\",\"name\":\"order\",\"source\":\"check_yuma_props\","
            "\"params\":{\"n\":%zu,\"tempo\":%u,\"activity_cutoff\":%u,\"kappa\":%u,"
            "\"bonds_moving_average\":%u,\"bonds_penalty\":%u,\"max_allowed_validators\":%u,"
            "\"yuma3\":%s,\"liquid_alpha\":%s,\"alpha_low\":45875,\"alpha_high\":58982,"
            "\"alpha_sigmoid_steepness\":1000,\"bonds_reset\":%s,\"owner_uid\":null,"
            "\"stake_threshold\":0,\"rao_emission\":1000000000},",
            n, (unsigned)(1 + below(&s, 5)), (unsigned)(5 + below(&s, 20)),
            (unsigned)(below(&s, 2) ? 32767 : below(&s, 65536)),
            (unsigned)(below(&s, 2) ? 900000 : below(&s, 1000001)),
            (unsigned)(below(&s, 2) ? 65535 : below(&s, 65536)), (unsigned)(1 + below(&s, n)),
            below(&s, 2) ? "true" : "false", below(&s, 2) ? "true" : "false",
            below(&s, 2) ? "true" : "false");
    fputs("\"initial\":{\"block\":1,\"stake\":[", f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s%llu", i ? "," : "", (unsigned long long)below(&s, 1000));
    fputs("],\"registration_block\":[", f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s1", i ? "," : "");
    fputs("],\"last_mechanism_step_block\":0},\"steps\":[", f);
    uint64_t block = 1;
    size_t nsteps = 2 + below(&s, 8);
    for (size_t k = 0; k < nsteps; k++) {
        block += below(&s, 3);
        tops ops[8];
        size_t nops = below(&s, 6);
        bool used_w[64] = {false}, used_s[64] = {false};
        size_t m = 0;
        for (size_t q = 0; q < nops; q++) {
            size_t u = below(&s, n);
            int cls = (int)below(&s, 3);
            tops *op = &ops[m];
            op->cls = cls;
            if (cls == 0 && !used_w[u]) {
                used_w[u] = true;
                int len = snprintf(op->text, sizeof op->text,
                                   "{\"op\":\"set_weights\",\"uid\":%zu,\"weights\":[", u);
                size_t cnt = below(&s, n + 1), first = below(&s, n);
                for (size_t c = 0; c < cnt && len < 200; c++)
                    len += snprintf(op->text + len, sizeof op->text - (size_t)len, "%s[%zu,%llu]",
                                    c ? "," : "", (first + c * 7) % n,
                                    (unsigned long long)(c == 0 ? 65535 : below(&s, 65536)));
                snprintf(op->text + len, sizeof op->text - (size_t)len, "]}");
                /* (first + 7c) mod n repeats only if n divides 7c: keep cnt below that */
                if (n % 7 == 0 && cnt > n / 7)
                    continue;
                m++;
            } else if (cls == 1 && !used_s[u]) {
                used_s[u] = true;
                snprintf(op->text, sizeof op->text,
                         "{\"op\":\"set_stake\",\"uid\":%zu,\"stake\":%llu}", u,
                         (unsigned long long)below(&s, 1000));
                m++;
            } else if (cls == 2) {
                snprintf(op->text, sizeof op->text, "{\"op\":\"reset_bonds\",\"uid\":%zu}", u);
                m++;
            }
        }
        fprintf(f, "%s{\"block\":%llu,\"ops\":[", k ? "," : "", (unsigned long long)block);
        for (size_t q = 0; q < m; q++)
            fprintf(f, "%s%s", q ? "," : "", ops[reverse ? m - 1 - q : q].text);
        fprintf(f, "],\"epoch\":%s}", below(&s, 5) ? "true" : "false");
    }
    fputs("]}\n", f);
    fclose(f);
}

typedef struct capture {
    char *buf;
    size_t len;
} capture;

static int capture_line(void *ud, const trace_epoch *e)
{
    capture *c = ud;
    char *b = NULL;
    size_t l = 0;
    FILE *m = open_memstream(&b, &l);
    trace_print_epoch(m, e);
    fclose(m);
    c->buf = realloc(c->buf, c->len + l + 1);
    memcpy(c->buf + c->len, b, l + 1);
    c->len += l;
    free(b);
    return 0;
}

static capture replay_file(const char *path)
{
    char err[1024];
    trace_t *t = NULL;
    capture c = {NULL, 0};
    ck_assert_msg(trace_load(path, &t, err, sizeof err) == 0, "%s", err);
    ck_assert_msg(trace_replay(t, capture_line, &c, err, sizeof err) == 0, "%s", err);
    trace_free(t);
    return c;
}

START_TEST(test_commuting_ops)
{
    char a[128], b[128];
    snprintf(a, sizeof a, "/tmp/tokensim-yuma-order-%d-%ld-a.json", _i, (long)getpid());
    snprintf(b, sizeof b, "/tmp/tokensim-yuma-order-%d-%ld-b.json", _i, (long)getpid());
    for (int k = 0; k < 20; k++) {
        uint64_t seed = (uint64_t)_i * 7919u + (uint64_t)k;
        write_trace(a, seed, 0);
        write_trace(b, seed, 1);
        capture ca = replay_file(a), cb = replay_file(b);
        ck_assert_msg(ca.len == cb.len && (ca.len == 0 || !memcmp(ca.buf, cb.buf, ca.len)),
                      "seed %llu: op order changed the outputs", (unsigned long long)seed);
        free(ca.buf);
        free(cb.buf);
    }
    remove(a);
    remove(b);
}
END_TEST

/* ---- the epoch's fast paths against the reference operations --------------------------------- */

/* A random I32F32 from a mix of magnitudes: small, around 1.0, whole numbers, extremes. */
static tsr_i32f32 rand_fx(uint64_t *s)
{
    switch (below(s, 8)) {
    case 0:
        return (tsr_i32f32)below(s, (uint64_t)1 << 32);
    case 1:
        return (tsr_i32f32)(below(s, 65536) << 32); /* a u16 as an integer */
    case 2:
        return (tsr_i32f32)nx(s); /* anything, negative too */
    case 3:
        return (tsr_i32f32)((int64_t)1 << 32) - (tsr_i32f32)below(s, 3);
    case 4:
        return (tsr_i32f32)below(s, 1000);
    case 5: {
        static const tsr_i32f32 edge[] = {0,
                                          1,
                                          -1,
                                          INT64_MAX,
                                          INT64_MIN,
                                          (int64_t)1 << 32,
                                          ((int64_t)1 << 31) - 1,
                                          (int64_t)1 << 62};
        return edge[below(s, 8)];
    }
    default:
        return (tsr_i32f32)below(s, (uint64_t)1 << 40);
    }
}

START_TEST(test_fast_ops)
{
    uint64_t s = 42 + (uint64_t)_i;
    for (int k = 0; k < 200000; k++) {
        tsr_i32f32 a = rand_fx(&s), b = rand_fx(&s), r;
        CHECK(tsr__yuma_mul(a, b) == tsr_i32f32_sat_mul(a, b), "mul %lld %lld", (long long)a,
              (long long)b);
        tsr_i32f32 want0 = tsr_i32f32_checked_mul(a, b, &r) ? 0 : r;
        CHECK(tsr__yuma_mul_or0(a, b) == want0, "mul_or0 %lld %lld", (long long)a, (long long)b);
        CHECK(tsr__yuma_div(a, b) == tsr_i32f32_safe_div(a, b), "div %lld %lld", (long long)a,
              (long long)b);
        CHECK(tsr__yuma_div_recip(a, b) == tsr_i32f32_safe_div(a, b), "recip %lld %lld",
              (long long)a, (long long)b);
        CHECK(tsr__yuma_div_nz(a, b) == (b != 0 ? tsr_i32f32_safe_div(a, b) : a),
              "div_nz %lld %lld", (long long)a, (long long)b);
        /* the non-negative operations, on non-negative operands (|x| of the same draws) */
        tsr_i32f32 ua = a < 0 ? (a == INT64_MIN ? INT64_MAX : -a) : a;
        tsr_i32f32 ub = b < 0 ? (b == INT64_MIN ? INT64_MAX : -b) : b;
        CHECK(tsr__yuma_nn_mul(ua, ub) == tsr_i32f32_sat_mul(ua, ub), "nn_mul %lld %lld",
              (long long)ua, (long long)ub);
        CHECK(tsr__yuma_nn_add(ua, ub) == tsr_i32f32_sat_add(ua, ub), "nn_add %lld %lld",
              (long long)ua, (long long)ub);
        CHECK(tsr__yuma_div_nz(ua, ub) == (ub != 0 ? tsr_i32f32_safe_div(ua, ub) : ua),
              "div_nz %lld %lld", (long long)ua, (long long)ub);
        CHECK(tsr__yuma_q16(a) == tsr_fixed_proportion_to_u16(a), "q16 %lld", (long long)a);
        CHECK(tsr__yuma_recip(a) == tsr_i32f32_sat_div((int64_t)1 << 32, a), "recip1 %lld",
              (long long)a);
        tsr_i32f32 big = (tsr_i32f32)(((uint64_t)1 << 32) + nx(&s) % ((uint64_t)1 << (k % 63)));
        big = big < 0 ? INT64_MAX : big;
        CHECK(tsr__yuma_recip(big) == tsr_i32f32_sat_div((int64_t)1 << 32, big), "recip1 %lld",
              (long long)big);
        /* exp over the clamp range and beyond, and at the sigmoid's usual inputs */
        tsr_i32f32 x =
            below(&s, 2) ? (tsr_i32f32)(nx(&s) % ((uint64_t)50 << 32)) - ((int64_t)25 << 32) : a;
        CHECK(tsr__yuma_exp_safe(x) == tsr_i32f32_exp_safe(x), "exp %lld", (long long)x);
    }
}
END_TEST

/* The multiply form of the u16 proportion (fx_prop16) against the library's, for every u16. */
START_TEST(test_prop16_all)
{
    for (uint32_t u = 0; u <= 65535u; u++) {
        tsr_i32f32 want = tsr_u16_proportion_to_fixed((uint16_t)u);
        CHECK(tsr__yuma_prop16((uint16_t)u) == want, "prop16 %u", (unsigned)u);
    }
    ck_assert_int_eq(tsr__yuma_prop16(65535), (int64_t)1 << 32); /* 65535/65535 = 1.0 */
    ck_assert_int_eq(tsr__yuma_prop16(0), 0);
    /* 1 / b at exact and boundary divisors: 2^64 / 2^32 = 2^32; 2^64 / 2^33 = 2^31;
     * floor(2^64 / (2^32 + 1)) = 2^32 - 1; floor(2^64 / (2^63 - 1)) = 2. */
    ck_assert_int_eq(tsr__yuma_recip((int64_t)1 << 32), (int64_t)1 << 32);
    ck_assert_int_eq(tsr__yuma_recip((int64_t)1 << 33), (int64_t)1 << 31);
    ck_assert_int_eq(tsr__yuma_recip(((int64_t)1 << 32) + 1), ((int64_t)1 << 32) - 1);
    ck_assert_int_eq(tsr__yuma_recip(INT64_MAX), 2);
}
END_TEST

/* Random column-consensus inputs: normalised-looking stakes with zeros, rows with duplicate
 * columns and zero pairs, values in [0, 1], kappa anywhere in [0, 1]. */
START_TEST(test_fast_consensus)
{
    uint64_t s = 7 + (uint64_t)_i * 1000;
    for (int k = 0; k < 300; k++) {
        size_t n = 1 + below(&s, below(&s, 10) == 0 ? 300 : 40);
        /* A third of the cases: 2^t equal stakes summing to exactly 1.0 and kappa a multiple of
         * their stake, so that cumulative stakes hit the minority exactly (the tie branches). */
        bool ties = k % 3 == 0;
        unsigned t = (unsigned)below(&s, 4);
        if (ties && n < ((size_t)1 << t))
            n = (size_t)1 << t;
        size_t cap = n * (n + 3);
        tsr_i32f32 *stake = malloc(n * sizeof *stake), *o1 = malloc(n * sizeof *o1),
                   *o2 = malloc(n * sizeof *o2);
        size_t *ptr = malloc((n + 1) * sizeof *ptr);
        tsr_pair *pairs = malloc(cap * sizeof *pairs);
        size_t q = 0;
        ptr[0] = 0;
        for (size_t i = 0; i < n; i++) {
            uint64_t r = below(&s, 4);
            stake[i] = r == 0 ? 0 : (tsr_i32f32)below(&s, r == 1 ? 3 : ((uint64_t)1 << 32) / n + 1);
            if (ties)
                stake[i] = i < ((size_t)1 << t) ? (tsr_i32f32)(((uint64_t)1 << 32) >> t) : 0;
            size_t len = below(&s, n + 3);
            for (size_t c = 0; c < len && q < cap; c++) {
                pairs[q].col = (uint32_t)below(&s, n);
                uint64_t v = below(&s, 5);
                pairs[q++].val = v == 0 ? 0
                                        : (v == 1 ? ((int64_t)1 << 32)
                                                  : (tsr_i32f32)below(&s, ((uint64_t)1 << 32) + 1));
                if (ties)
                    pairs[q - 1].val = (tsr_i32f32)(below(&s, 4) << 30);
            }
            ptr[i + 1] = q;
        }
        tsr_sparse w = {n, n, ptr, pairs, cap};
        tsr_i32f32 kappa = below(&s, 3) == 0 ? (tsr_i32f32)below(&s, 2) << 32
                                             : (tsr_i32f32)below(&s, ((uint64_t)1 << 32) + 1);
        if (ties)
            kappa = (tsr_i32f32)((below(&s, ((uint64_t)1 << t) + 1) << 32) >> t);
        void *ws1 = malloc(tsr_weighted_median_col_sparse_ws_size(n, n, q));
        void *ws2 = malloc(tsr__yuma_consensus_ws_size(n, q));
        CHECK(tsr_weighted_median_col_sparse(stake, &w, kappa, o1, ws1) == 0, "reference failed");
        CHECK(tsr__yuma_consensus(stake, &w, kappa, o2, ws2) == 0, "fast consensus failed");
        for (size_t j = 0; j < n; j++)
            CHECK(o1[j] == o2[j], "case %d/%d column %zu: chain loop %lld, fast %lld (n=%zu)", _i,
                  k, j, (long long)o1[j], (long long)o2[j], n);
        free(ws1);
        free(ws2);
        free(stake);
        free(o1);
        free(o2);
        free(ptr);
        free(pairs);
    }
}
END_TEST

/* One column-consensus case against the chain's loop (tsr_weighted_median_col_sparse). */
static void consensus_case(const tsr_i32f32 *stake, const tsr_sparse *w, tsr_i32f32 kappa,
                           const char *what, int i, int k)
{
    size_t n = w->rows, q = tsr_sparse_nnz(w);
    tsr_i32f32 *o1 = malloc((n + 1) * sizeof *o1), *o2 = malloc((n + 1) * sizeof *o2);
    void *ws1 = malloc(tsr_weighted_median_col_sparse_ws_size(n, n, q));
    void *ws2 = malloc(tsr__yuma_consensus_ws_size(n, q));
    CHECK(tsr_weighted_median_col_sparse(stake, w, kappa, o1, ws1) == 0, "reference failed");
    CHECK(tsr__yuma_consensus(stake, w, kappa, o2, ws2) == 0, "fast consensus failed");
    for (size_t j = 0; j < n; j++)
        CHECK(o1[j] == o2[j], "%s %d/%d column %zu: chain loop %lld, fast %lld (n=%zu)", what, i, k,
              j, (long long)o1[j], (long long)o2[j], n);
    free(ws1);
    free(ws2);
    free(o1);
    free(o2);
}

/* A score of one of several shapes: any value in [0, 1], ties on a coarse grid, tiny values,
 * whole numbers (a row whose u16 sum wrapped is left unnormalised), 0, 1.0, negatives. */
static tsr_i32f32 shaped_score(uint64_t *s, unsigned shape)
{
    switch (shape) {
    case 0:
        return (tsr_i32f32)below(s, ((uint64_t)1 << 32) + 1);
    case 1:
        return (tsr_i32f32)(below(s, 5) << 30); /* 0, 1/4, .., 1.0: ties everywhere */
    case 2:
        return (tsr_i32f32)below(s, 40); /* spread below one bucket width */
    case 3:
        return (tsr_i32f32)(below(s, 65536) << 32);
    case 4:
        return below(s, 2) ? 0 : ((int64_t)1 << 32);
    case 5:
        return (tsr_i32f32)below(s, 1u << 20) - (1 << 19); /* negatives too */
    default: /* mostly tiny, a few large: a skewed spread for the buckets */
        return below(s, 8) ? (tsr_i32f32)below(s, 1000) : (tsr_i32f32)below(s, (uint64_t)1 << 34);
    }
}

/* The column consensus on the shapes its fast paths take: (a) staked rows that all hold the
 * same ascending columns (the in-place path), with unstaked rows holding anything; (b) staked
 * rows holding ascending subsets of those columns, some none (the dense union path); (c) long
 * columns (every staked row weights almost every column, in random order), so that buckets are
 * split again; each with the score shapes above, equal or random stakes, and kappa at 0, 1.0,
 * random, or exactly on a cumulative stake (equal stakes 2^32 / 2^t). */
START_TEST(test_fast_consensus_shapes)
{
    uint64_t s = 99 + (uint64_t)_i * 7919;
    for (int k = 0; k < 200; k++) {
        size_t n = 1 + below(&s, below(&s, 4) == 0 ? 400 : 70);
        unsigned shape = (unsigned)below(&s, 7);
        /* three shapes: aligned, holes (staked rows: ascending subsets of the columns, some
         * empty: the union path), long (random order) */
        bool aligned = k % 3 == 0, holes = k % 3 == 1, ties = below(&s, 3) == 0;
        unsigned t = (unsigned)below(&s, 7);
        size_t cap = n * (n + 1) + 1, q = 0;
        tsr_i32f32 *stake = malloc(n * sizeof *stake);
        size_t *ptr = malloc((n + 1) * sizeof *ptr);
        tsr_pair *pairs = malloc(cap * sizeof *pairs);
        /* perm zeroed, although the loop below fills it: the analyser cannot follow that the
         * swap index c + below(n - c) stays below n */
        uint32_t *cols = malloc(n * sizeof *cols), *perm = calloc(n, sizeof *perm);
        size_t L = 0; /* the aligned rows' columns: an ascending random subset */
        for (size_t j = 0; j < n; j++)
            if (below(&s, 4) != 0)
                cols[L++] = (uint32_t)j;
        for (size_t j = 0; j < n; j++)
            perm[j] = (uint32_t)j;
        ptr[0] = 0;
        for (size_t i = 0; i < n; i++) {
            uint64_t r = below(&s, 5);
            stake[i] = r == 0 ? 0 : (tsr_i32f32)(1 + below(&s, ((uint64_t)1 << 32) / n));
            if (ties)
                stake[i] = (r == 0 && i > 0) ? 0 : (tsr_i32f32)(((uint64_t)1 << 32) >> t);
            if (aligned && stake[i] > 0) {
                for (size_t c = 0; c < L; c++) {
                    pairs[q].col = cols[c];
                    pairs[q++].val = shaped_score(&s, shape);
                }
            } else if (holes && stake[i] > 0) {
                bool none = below(&s, 8) == 0;
                for (size_t c = 0; c < L && !none; c++)
                    if (below(&s, 6) != 0) {
                        pairs[q].col = cols[c];
                        pairs[q++].val = shaped_score(&s, shape);
                    }
            } else { /* random order, nearly every column, or (unstaked) anything */
                size_t len = aligned ? below(&s, n + 1) : n - below(&s, 3 < n ? 3 : n);
                for (size_t c = 0; c < len; c++) {
                    size_t x = c + below(&s, n - c);
                    uint32_t tmp = perm[c];
                    perm[c] = perm[x];
                    perm[x] = tmp;
                    pairs[q].col = perm[c];
                    pairs[q++].val = shaped_score(&s, shape);
                }
            }
            ptr[i + 1] = q;
        }
        tsr_sparse w = {n, n, ptr, pairs, cap};
        uint64_t kr = below(&s, 4);
        tsr_i32f32 kappa = kr == 0 ? 0
                                   : (kr == 1 ? ((int64_t)1 << 32)
                                              : (tsr_i32f32)below(&s, ((uint64_t)1 << 32) + 1));
        if (ties && kr == 3) /* a multiple of the equal stake: cumulative sums hit it exactly */
            kappa = (tsr_i32f32)((below(&s, ((uint64_t)1 << t) + 1) << 32) >> t);
        consensus_case(stake, &w, kappa, aligned ? "aligned" : (holes ? "holes" : "long"), _i, k);
        free(stake);
        free(ptr);
        free(pairs);
        free(cols);
        free(perm);
    }
}
END_TEST

int main(void)
{
    /* Two cases, run as two ctest entries (CK_RUN_CASE, tests/unit/yuma/CMakeLists.txt) so that
     * ctest -j spreads them over the cores: under the sanitizers they are the suite's longest. */
    Suite *s = suite_create("yuma_props");
    TCase *tc = tcase_create("random");
    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, test_random_epochs, 0, 100);
    tcase_add_loop_test(tc, test_commuting_ops, 0, 10);
    tcase_add_loop_test(tc, test_fast_consensus, 0, 10);
    tcase_add_loop_test(tc, test_fast_consensus_shapes, 0, 10);
    suite_add_tcase(s, tc);
    TCase *fast = tcase_create("fast");
    tcase_set_timeout(fast, 600);
    tcase_add_loop_test(fast, test_fast_ops, 0, 4);
    tcase_add_test(fast, test_prop16_all);
    yuma_add_fast_path_tests(fast);
    suite_add_tcase(s, fast);
    return tdb_run(s);
}
