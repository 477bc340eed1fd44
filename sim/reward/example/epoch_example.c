/* epoch_example.c: using the installed tokensim reward core (libtokensim-reward) from outside
 * the tokensim tree, through pkg-config only.
 *
 * It replays the small subnet of ../shared/conformance/FORMAT.md §1.8 (3 uids; validators 0
 * and 1 with stakes 3 and 1 both weight uid 2) through three Yuma epochs, prints every output,
 * and checks each against values derived by hand from spec bittensor §2 (the derivation is in
 * the comments next to the expected values). It also prints and checks two block emissions
 * (spec §3.1) and one block's alpha split (spec §3.5). Exit status: 0 when every value matches,
 * 1 on any mismatch or library error.
 *
 * Output goes through POSIX write(2) with a tiny integer formatter, so the example needs
 * nothing but the library and libc (and the reward core's "no stdio under sim/reward" check
 * holds for this directory too).
 */
#define _POSIX_C_SOURCE 200809L /* write(2) under -std=c11 */

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <tsr.h>

#define N 3

static int g_bad; /* mismatches found (this program's only mutable global) */

/* ---- output ---------------------------------------------------------------------------- */

static void out(const char *s)
{
    size_t len = strlen(s);
    while (len > 0) {
        ssize_t w = write(STDOUT_FILENO, s, len);
        if (w <= 0)
            return;
        s += w;
        len -= (size_t)w;
    }
}

static void out_u64(uint64_t v)
{
    char buf[24];
    size_t i = sizeof buf;
    buf[--i] = '\0';
    do {
        buf[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    out(&buf[i]);
}

static void check_u64(const char *what, size_t idx, uint64_t got, uint64_t want)
{
    if (got == want)
        return;
    g_bad++;
    out("MISMATCH ");
    out(what);
    out("[");
    out_u64(idx);
    out("]: got ");
    out_u64(got);
    out(", expected ");
    out_u64(want);
    out("\n");
}

static void show_u16(const char *name, const uint16_t *v, const uint16_t *want)
{
    out("  ");
    out(name);
    out(" [");
    for (size_t i = 0; i < N; i++) {
        out_u64(v[i]);
        out(i + 1 < N ? "," : "]\n");
    }
    for (size_t i = 0; want && i < N; i++)
        check_u64(name, i, v[i], want[i]);
}

static void show_u64(const char *name, const uint64_t *v, const uint64_t *want)
{
    out("  ");
    out(name);
    out(" [");
    for (size_t i = 0; i < N; i++) {
        out_u64(v[i]);
        out(i + 1 < N ? "," : "]\n");
    }
    for (size_t i = 0; want && i < N; i++)
        check_u64(name, i, v[i], want[i]);
}

static void show_permits(const bool *v, const bool *want)
{
    out("  validator_permit [");
    for (size_t i = 0; i < N; i++) {
        out(v[i] ? "true" : "false");
        out(i + 1 < N ? "," : "]\n");
    }
    for (size_t i = 0; want && i < N; i++)
        check_u64("validator_permit", i, v[i], want[i]);
}

static void show_bonds(const size_t *row_ptr, const tsr_yuma_pair *pairs)
{
    out("  bonds [");
    for (size_t i = 0; i < N; i++) {
        out("[");
        for (size_t k = row_ptr[i]; k < row_ptr[i + 1]; k++) {
            out("[");
            out_u64(pairs[k].uid);
            out(",");
            out_u64(pairs[k].value);
            out(k + 1 < row_ptr[i + 1] ? "]," : "]");
        }
        out(i + 1 < N ? "]," : "]]\n");
    }
}

/* ---- the subnet ------------------------------------------------------------------------ */

typedef struct subnet {
    uint64_t stake[N];       /* alpha stake per uid */
    uint64_t last_update[N]; /* LastUpdate */
    uint64_t registered[N];  /* BlockAtRegistration */
    bool permit[N];          /* ValidatorPermit stored by the last epoch */
    size_t w_ptr[N + 1];     /* Weights rows (CSR) */
    tsr_yuma_pair w[8];      /* Weights pairs */
    size_t b_ptr[N + 1];     /* Bonds rows stored by the last epoch */
    tsr_yuma_pair b[16];     /* Bonds pairs */
} subnet;

typedef struct epoch_out {
    uint16_t consensus[N], incentive[N], dividends[N], trust[N];
    bool permit[N];
    uint64_t emission[N];
    size_t b_ptr[N + 1];
    tsr_yuma_pair b[16];
} epoch_out;

/* Runs one epoch at `block` and stores its bonds and permits back, as the chain does. */
static int run_epoch(subnet *sn, const tsr_yuma_params *p, uint64_t block, epoch_out *eo)
{
    tsr_yuma_state s;
    memset(&s, 0, sizeof s);
    s.n = N;
    s.current_block = block;
    s.alpha_stake = sn->stake;
    s.last_update = sn->last_update;
    s.block_at_registration = sn->registered;
    s.validator_permit = sn->permit;
    s.weights.row_ptr = sn->w_ptr;
    s.weights.pairs = sn->w;
    s.bonds.row_ptr = sn->b_ptr;
    s.bonds.pairs = sn->b;
    size_t nw = sn->w_ptr[N], nb = sn->b_ptr[N];

    tsr_yuma_out o;
    memset(&o, 0, sizeof o);
    o.consensus = eo->consensus;
    o.incentive = eo->incentive;
    o.dividends = eo->dividends;
    o.validator_trust = eo->trust;
    o.validator_permit = eo->permit;
    o.emission = eo->emission;
    o.bonds_row_ptr = eo->b_ptr;
    o.bonds = eo->b;
    o.bonds_cap = sizeof eo->b / sizeof eo->b[0];
    if (tsr_yuma_bonds_cap(N, nw, nb) > o.bonds_cap)
        return TSR_ECAPACITY;

    size_t ws_size = tsr_yuma_ws_size(N, nw, nb);
    void *ws = malloc(ws_size ? ws_size : 1);
    if (!ws)
        return TSR_ENOMEM;
    int rc = tsr_yuma_epoch(p, &s, 1000000000, &o, ws, ws_size);
    free(ws);
    if (rc != TSR_OK)
        return rc;
    memcpy(sn->permit, eo->permit, sizeof sn->permit);
    memcpy(sn->b_ptr, eo->b_ptr, sizeof sn->b_ptr);
    memcpy(sn->b, eo->b, eo->b_ptr[N] * sizeof eo->b[0]);
    return TSR_OK;
}

static int epoch_and_show(subnet *sn, const tsr_yuma_params *p, uint64_t block, epoch_out *eo)
{
    int rc = run_epoch(sn, p, block, eo);
    out("epoch at block ");
    out_u64(block);
    out("\n");
    if (rc != TSR_OK) {
        out("  error: ");
        out(tsr_strerror(rc));
        out("\n");
        g_bad++;
    }
    return rc;
}

static void set_weights(subnet *sn, const tsr_yuma_pair *rows[N], const size_t len[N])
{
    size_t k = 0;
    for (size_t i = 0; i < N; i++) {
        sn->w_ptr[i] = k;
        for (size_t j = 0; j < len[i]; j++)
            sn->w[k++] = rows[i][j];
    }
    sn->w_ptr[N] = k;
}

int main(void)
{
    out("tokensim reward core ");
    out(tsr_version());
    out("\n");

    /* FORMAT.md §1.8 params: original Yuma (not Yuma3), no owner, everything else default */
    tsr_yuma_params p;
    tsr_yuma_params_default(&p);
    p.yuma3 = false;

    subnet sn;
    memset(&sn, 0, sizeof sn);
    const uint64_t stake[N] = {3, 1, 0};
    for (size_t i = 0; i < N; i++) {
        sn.stake[i] = stake[i];
        sn.last_update[i] = sn.registered[i] = 1;
    }
    epoch_out eo;
    /* The outputs are written by the core; zeroed so a failed epoch shows 0s. */
    memset(&eo, 0, sizeof eo);

    /* Epoch 1 (block 1): every stored permit is false, so all weights rows are forbidden and
     * active stake is 0: the emission falls back to the normalised stake 3/4, 1/4, 0
     * (I32F32 3221225472, 1073741824) -> floor(x * 1e9 / 2^32) = 750e6, 250e6, 0. New permits:
     * the non-zero stakes (3 uids < 64 validators). spec §2.3, §2.4, §2.14 */
    if (epoch_and_show(&sn, &p, 1, &eo) == TSR_OK) {
        const bool want_permit[N] = {true, true, false};
        const uint64_t want_em[N] = {750000000, 250000000, 0};
        show_permits(eo.permit, want_permit);
        show_u64("emission", eo.emission, want_em);
    }

    /* Epoch 2 (block 2): uid 0 sets [(2, 65535)], uid 1 sets [(2, 65535), (0, 0)].
     * Active stake [0.75, 0.25, 0]; W rows normalise to 1.0 on column 2; the stake-weighted
     * median of column 2 is 1.0 -> consensus [0, 0, 65535]; ranks [0, 0, 1] -> incentive
     * [0, 0, 65535]; validator trust (row sums of clipped W) [65535, 65535, 0].
     * Bonds: dB = [0.75, 0.25] on column 2; EMA with alpha 0.1 (raw 429496730):
     * floor(429496730 * 0.75) = 322122547, floor(429496730 * 0.25) = 107374182; column
     * normalised and dotted with I they give dividends floor(0.75.. * 65535) = 49151 and 16383.
     * E = I + D sums to 2: emission = normalised E = [0.375, 0.125, 0.5] of 1e9, where 0.125
     * comes out one raw unit low (the normalisations truncate) -> 124999999.
     * Stored bonds are max-upscaled per column: 65535 and floor(107374182/322122547 * 65535)
     * = 21844. spec §2.6-§2.14, FORMAT.md §1.8 */
    const tsr_yuma_pair r0[] = {{2, 65535}};
    const tsr_yuma_pair r1[] = {{2, 65535}, {0, 0}};
    const tsr_yuma_pair *rows[N] = {r0, r1, NULL};
    const size_t len[N] = {1, 2, 0};
    set_weights(&sn, rows, len);
    sn.last_update[0] = sn.last_update[1] = 2;
    if (epoch_and_show(&sn, &p, 2, &eo) == TSR_OK) {
        const uint16_t want_c[N] = {0, 0, 65535}, want_d[N] = {49151, 16383, 0};
        const uint16_t want_t[N] = {65535, 65535, 0};
        const uint64_t want_em[N] = {375000000, 124999999, 500000000};
        show_u16("consensus", eo.consensus, want_c);
        show_u16("incentive", eo.incentive, want_c);
        show_u16("dividends", eo.dividends, want_d);
        show_u16("validator_trust", eo.trust, want_t);
        show_u64("emission", eo.emission, want_em);
        show_bonds(eo.b_ptr, eo.b);
        check_u64("bonds rows", 0, eo.b_ptr[N], 2);
        check_u64("bond[0][2]", 0, eo.b_ptr[1] == 1 && eo.b[0].uid == 2 ? eo.b[0].value : 0, 65535);
        check_u64("bond[1][2]", 1, eo.b_ptr[2] == 2 && eo.b[1].uid == 2 ? eo.b[1].value : 0, 21844);
    }

    /* Epoch 3 (block 3): a new hotkey with stake 0 replaces uid 2 (spec §3.10 "On
     * registration"): BlockAtRegistration = LastUpdate = 3, its rows cleared, other rows'
     * weights to it set to 0, permit false. Both weights to uid 2 are now outdated
     * (LastUpdate 2 <= 3) and the old bonds are masked (block - tempo saturates to 0 <= 3):
     * no consensus, and emission falls back to the active stake [0.75, 0.25, 0]. */
    sn.registered[2] = sn.last_update[2] = 3;
    sn.stake[2] = 0;
    sn.permit[2] = false;
    for (size_t k = 0; k < sn.w_ptr[N]; k++)
        if (sn.w[k].uid == 2)
            sn.w[k].value = 0;
    if (epoch_and_show(&sn, &p, 3, &eo) == TSR_OK) {
        const uint16_t want_c[N] = {0, 0, 0};
        const uint64_t want_em[N] = {750000000, 250000000, 0};
        show_u16("consensus", eo.consensus, want_c);
        show_u64("emission", eo.emission, want_em);
    }

    /* Block emission (spec §3.1, TV23): 1 TAO per block at issuance 0, halved to 0.5 TAO once
     * the issuance reaches 10.5e15 rao. */
    uint64_t e0 = 0, e1 = 0;
    int rc0 = tsr_block_emission_for_issuance(NULL, 0, &e0);
    int rc1 = tsr_block_emission_for_issuance(NULL, UINT64_C(10500000000000000), &e1);
    out("block emission at issuance 0: ");
    out_u64(e0);
    out(", at 10.5e15: ");
    out_u64(e1);
    out("\n");
    check_u64("block emission rc", 0, (uint64_t)(rc0 | rc1), 0);
    check_u64("block emission", 0, e0, 1000000000);
    check_u64("block emission", 1, e1, 500000000);

    /* One block's alpha (spec §3.5): 1e9 alpha with the default 18% owner cut and no root
     * stake -> owner 179_995_422, miners 410_002_288, validators 410_002_288. */
    tsr_alpha_split sp;
    int rc2 = tsr_coinbase_alpha_split(tsr_u96f32_from_u64(1000000000), true,
                                       tsr_u16_fraction(TSR_DEFAULT_SUBNET_OWNER_CUT),
                                       tsr_u96f32_from_u64(0), &sp);
    out("alpha split of 1e9: owner ");
    out_u64(tsr_u96f32_to_u64(sp.owner_cut));
    out(", server ");
    out_u64(tsr_u96f32_to_u64(sp.server));
    out(", validator ");
    out_u64(tsr_u96f32_to_u64(sp.validator));
    out("\n");
    check_u64("alpha split rc", 0, (uint64_t)rc2, 0);
    check_u64("alpha split", 0, tsr_u96f32_to_u64(sp.owner_cut), 179995422);
    check_u64("alpha split", 1, tsr_u96f32_to_u64(sp.server), 410002288);
    check_u64("alpha split", 2, tsr_u96f32_to_u64(sp.validator), 410002288);

    out(g_bad ? "FAILED\n" : "all values match\n");
    return g_bad ? 1 : 0;
}
