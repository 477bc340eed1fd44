/*
** fuzz_epoch.c: the reward core's Yuma epoch on random but well-formed inputs built from the
** fuzzer's bytes (n <= 48 uids, up to 8 weight pairs per row including uids >= n, bonds with
** uids < n, every hyper-parameter drawn across its whole range). Invariants (tsr_yuma.h):
** TSR_OK for well-formed input; sum(emission) <= the epoch's emission and the documented floor
** loss bound; server + validator emission likewise; a second run gives identical outputs.
*/
#include <string.h>

#include "fuzz.h"
#include "tsr.h"

#define MAXN 48
#define MAXW 8

typedef struct bytes {
    const uint8_t *p; /* next byte */
    size_t left;      /* bytes left (zeros once exhausted) */
} bytes;

static uint64_t take(bytes *b, int nbytes)
{
    uint64_t v = 0;
    for (int i = 0; i < nbytes; i++) {
        v = v << 8 | (b->left ? *b->p : 0);
        if (b->left) {
            b->p++;
            b->left--;
        }
    }
    return v;
}

typedef struct input {
    tsr_yuma_params p;
    tsr_yuma_state s;
    uint64_t emission;
    uint64_t stake[MAXN], last[MAXN], reg[MAXN];
    bool permit[MAXN];
    size_t wptr[MAXN + 1], bptr[MAXN + 1];
    tsr_yuma_pair w[MAXN * MAXW], bd[MAXN * MAXW];
} input;

static void draw_params(bytes *b, tsr_yuma_params *p, size_t n)
{
    tsr_yuma_params_default(p);
    p->tempo = (uint16_t)take(b, 2);
    p->activity_cutoff = take(b, 2);
    p->kappa = (uint16_t)take(b, 2);
    p->bonds_moving_average = take(b, 3) % 1000001u;
    p->bonds_penalty = (uint16_t)take(b, 2);
    p->max_allowed_validators = (uint16_t)(take(b, 1) % 65);
    uint64_t flags = take(b, 1);
    p->yuma3 = flags & 1;
    p->liquid_alpha = (flags >> 1) & 1;
    p->alpha_low = (uint16_t)take(b, 2);
    p->alpha_high = (uint16_t)take(b, 2);
    p->alpha_sigmoid_steepness = (int16_t)(take(b, 2) - 32768);
    p->owner_uid = (flags >> 2) & 1 ? (uint32_t)(take(b, 1) % n) : TSR_YUMA_NO_OWNER;
    p->stake_threshold = (flags >> 3) & 1 ? take(b, 4) : 0;
}

static void draw_rows(bytes *b, size_t n, size_t uid_limit, size_t *ptr, tsr_yuma_pair *pairs)
{
    ptr[0] = 0;
    for (size_t i = 0; i < n; i++) {
        size_t k = (size_t)(take(b, 1) % (MAXW + 1)), at = ptr[i];
        for (size_t j = 0; j < k; j++) {
            pairs[at].uid = (uint16_t)(take(b, 1) % uid_limit);
            pairs[at].value = (uint16_t)take(b, 2);
            at++;
        }
        ptr[i + 1] = at;
    }
}

static void draw(bytes *b, input *in)
{
    size_t n = 1 + (size_t)(take(b, 1) % MAXN);
    draw_params(b, &in->p, n);
    in->emission = take(b, 8);
    uint64_t block = take(b, 4);
    for (size_t i = 0; i < n; i++) {
        in->stake[i] = take(b, 1) & 1 ? take(b, 6) : 0;
        in->last[i] = take(b, 4) % (block + 1);
        in->reg[i] = take(b, 4) % (block + 1);
        in->permit[i] = take(b, 1) & 1;
    }
    draw_rows(b, n, n + 2, in->wptr, in->w); /* uids n, n+1: ignored by the epoch */
    draw_rows(b, n, n, in->bptr, in->bd);
    in->s = (tsr_yuma_state){.n = n,
                             .current_block = block,
                             .alpha_stake = in->stake,
                             .last_update = in->last,
                             .block_at_registration = in->reg,
                             .validator_permit = in->permit,
                             .weights = {in->wptr, in->w},
                             .bonds = {in->bptr, in->bd}};
}

typedef struct output {
    uint16_t cons[MAXN], inc[MAXN], div[MAXN], vt[MAXN];
    uint64_t em[MAXN], sem[MAXN], vem[MAXN];
    tsr_yuma_out o;
} output;

static void bind(output *r)
{
    memset(r, 0, sizeof *r);
    r->o.consensus = r->cons;
    r->o.incentive = r->inc;
    r->o.dividends = r->div;
    r->o.validator_trust = r->vt;
    r->o.emission = r->em;
    r->o.server_emission = r->sem;
    r->o.validator_emission = r->vem;
}

/* (E - sum) * 2^32 < (terms - 1) * E + terms * 2^32, E = the emission (tsr_yuma.h's bound). */
static void check_sum(const uint64_t *v, size_t n, size_t terms, uint64_t e)
{
    tsr_u128 sum = tsr_u128_from_u64(0);
    for (size_t i = 0; i < n; i++)
        sum = tsr_u128_add(sum, tsr_u128_from_u64(v[i]));
    FUZZ_CHECK(!tsr_u128_lt(tsr_u128_from_u64(e), sum));
    if (tsr_u128_is_zero(sum))
        return; /* all stake zero gives all emission 0 */
    tsr_u128 loss = tsr_u128_shl(tsr_u128_sub(tsr_u128_from_u64(e), sum), 32);
    tsr_u128 bound = tsr_u128_add(tsr_u128_mul64(terms - 1, e), tsr_u128_mul64(terms, 1ull << 32));
    FUZZ_CHECK(tsr_u128_lt(loss, bound));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static input in;
    static output a, b2;
    static unsigned char ws[1 << 20];
    bytes b = {data, size};
    memset(&in, 0, sizeof in);
    draw(&b, &in);
    size_t n = in.s.n;
    size_t need = tsr_yuma_ws_size(n, in.wptr[n], in.bptr[n]);
    FUZZ_CHECK(need > 0 && need <= sizeof ws);
    bind(&a);
    bind(&b2);
    FUZZ_CHECK(tsr_yuma_epoch(&in.p, &in.s, in.emission, &a.o, ws, sizeof ws) == TSR_OK);
    FUZZ_CHECK(tsr_yuma_epoch(&in.p, &in.s, in.emission, &b2.o, ws, sizeof ws) == TSR_OK);
    FUZZ_CHECK(memcmp(a.em, b2.em, sizeof a.em) == 0 && memcmp(a.div, b2.div, sizeof a.div) == 0);
    check_sum(a.em, n, n, in.emission);
    uint64_t both[2 * MAXN];
    memcpy(both, a.sem, n * sizeof *both);
    memcpy(both + n, a.vem, n * sizeof *both);
    check_sum(both, 2 * n, 2 * n, in.emission);
    return 0;
}
