/* tsr_yuma_vec.h: vector kernels of the Yuma epoch's aligned bond passes (internal).
 *
 * The aligned original-Yuma bond passes (tsr_yuma.c, bonds_original_aligned) divide every
 * weight and bond of a dense R x L block by a per-column divisor four times. Those divisions
 * dominate the epoch. The kernels here do the same integer arithmetic, lane by lane, over
 * struct-of-arrays dividers, so that a compiler can vectorise them; on x86-64 a copy built for
 * AVX-512 (64-bit lane multiplies) is chosen at run time when the processor has it. Every lane
 * computes exactly the scalar formula (integers only, no floating point), so the results are
 * bit-identical whichever copy runs; tests/unit/yuma compares them with the scalar path.
 */
#ifndef TSR_YUMA_VEC_H
#define TSR_YUMA_VEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tsr_math.h"
#include "tsr_yuma.h"

/* Per-column dividers in struct-of-arrays form: column t's quotient of a numerator a (the
 * caller having proved 0 <= a < the divider's fast-path limit) is
 *   x = a << sh[t];  q = floor(x inv[t] / 2^64);  q + (x - q d[t] >= d[t]),
 * the reciprocal division with its one-step correction (tsr_yuma.c, fdiv_in). */
typedef struct tsr__yvdiv {
    uint64_t *d;   /* reduced divisors */
    uint64_t *inv; /* floor((2^64 - 1) / d) */
    uint64_t *sh;  /* 32 or 0 */
    bool lo0;      /* every x = a << sh[t] the kernel will see has a zero low 32 bits (sh = 32,
                    * or a whole numerator): the caller's promise, which halves the products */
} tsr__yvdiv;

/* The liquid-alpha memo (tsr_yuma.c): a direct-mapped table of TSR__YV_MEMO slots keyed by d
 * (alpha depends on (c, w, b) only through d); a hit returns what a miss would compute. */
#define TSR__YV_MEMO 1024u
typedef struct tsr__yvmemo {
    int64_t d;     /* key, -1 = empty (d is never negative) */
    int64_t alpha; /* alpha for d */
} tsr__yvmemo;

/* The memo slot of d: the top 10 bits of d times 2^64 / phi (Fibonacci hashing). */
static inline size_t tsr__yv_memo_slot(int64_t d)
{
    return (size_t)(((uint64_t)d * UINT64_C(0x9E3779B97F4A7C15)) >> 54);
}

/* Whether the vector copies may be used on this processor (AVX-512 F/DQ/VL/BW on x86-64 with a
 * GNU-compatible compiler); false elsewhere, where the scalar paths of tsr_yuma.c run. */
bool tsr__yv_available(void);

/* One row of the aligned EMA: for t < L,
 *   e[t] = (al * (h[t] / c_t)) >> 32 + (om * (b[t].val / o_t)) >> 32,
 *   es[t] += e[t],  em[t] = max(em[t], e[t]).
 * Preconditions (proved by the caller): every quotient takes the fast path and is <= 2^32,
 * al, om < 2^32. `vec` selects the vector copy (only when tsr__yv_available()). */
void tsr__yv_ema_row(size_t L, const int64_t *h, const tsr_pair *b, const tsr__yvdiv *c,
                     const tsr__yvdiv *o, uint64_t al, uint64_t om, int64_t *e, int64_t *es,
                     int64_t *em, bool vec);

/* One row of the aligned last pass: for t < L, x = e[t] / c_t, the row's dividend sum
 * sum_t (inc[t] x) >> 32 (returned), and q[t] = floor(min(x / o_t, 2^32) 65535 / 2^32) (the
 * stored bond as u16). Preconditions as for tsr__yv_ema_row; 0 <= inc[t] < 2^32. */
uint64_t tsr__yv_last_row(size_t L, const int64_t *e, const tsr__yvdiv *c, const tsr__yvdiv *o,
                          const int64_t *inc, uint16_t *q, bool vec);

/* One row's normalisation by its whole sum (tsr_yuma.c, load_weights): every p[t].val (a
 * u16 as a whole I32F32 number, below 2^48) becomes floor(val / d) through the reciprocal
 * inv = floor((2^64 - 1) / d) and its correction; returns whether every quotient is <= 1.0
 * (2^32). The vector copy when `vec`. */
bool tsr__yv_norm_row(tsr_pair *p, size_t len, uint64_t d, uint64_t inv, bool vec);

/* One weight row loaded without masks (load_weights, when no uid of the subnet registered at or
 * after the row's threshold): for t < len, out[t] = (in[t].uid, in[t].value << 32), *sum = their
 * wrapping sum. Returns false (out then holds garbage the caller overwrites) when some uid is
 * >= n or equals diag (the row's own uid; UINT32_MAX for none). */
bool tsr__yv_load_row(const tsr_yuma_pair *in, size_t len, uint32_t n, uint32_t diag, tsr_pair *out,
                      uint64_t *sum, bool vec);

/* Whether every p[k].uid (k < len) is below n (the input check of stored bonds). */
bool tsr__yv_uids_below(const tsr_yuma_pair *p, size_t len, size_t n, bool vec);

/* One stored bond row known to hold L pairs (load_bonds): false, having written nothing, when
 * some in[t].uid differs from c0[t].col; else out[t] = (uid, v) and bs[t] += v for t < L, with
 * v = value << 32 (original Yuma: the u16 as a whole number) or, when prop, v = the u16 as a
 * proportion, floor(value 2^32 / 65535) = value 65537 + (value == 65535) (Yuma3; 2^32 =
 * 65535 * 65537 + 1). */
bool tsr__yv_bond_row(const tsr_yuma_pair *in, size_t L, const tsr_pair *c0, tsr_pair *out,
                      int64_t *bs, bool prop, bool vec);

/* One aligned row of clipping and ranks (clip_trust_ranks): for t < L, v = min(w[t].val, ca[t]),
 * cp[t] = (w[t].col, v), hv[t] = (us v) >> 32, inc[t] += hv[t]; returns the wrapping sum of the
 * v. Preconditions: 0 <= w[t].val, ca[t] <= 2^32, us < 2^32, no pair is dropped (ca[t] > 0 or
 * w[t].val <= ca[t]). */
uint64_t tsr__yv_clip_row(size_t L, const tsr_pair *w, const int64_t *ca, uint64_t us, int64_t *hv,
                          tsr_pair *cp, int64_t *inc, bool vec);

/* The stored bond pairs of one aligned row (the last pass's output): for t < L with e[t] > 0, in
 * order, out[m++] = (cols[t], q[t]); returns m. out has room for every such t. */
size_t tsr__yv_pack_row(size_t L, const int64_t *e, const uint32_t *cols, const uint16_t *q,
                        tsr_yuma_pair *out, bool vec);

/* One aligned row of Yuma3's liquid alpha (spec §2.13.2, rows with the same columns): for
 * t < L, with c = ct[t], w = np[t].val, b = bp[t].val, d[t] = clamp(w - c) when w >= b, else
 * clamp(b - w) (clamp to [0, 1.0]), and a[t] = the memo's alpha for d[t], or -1 where the memo
 * has no entry for it. Returns how many are -1 (the caller computes those). Preconditions:
 * 0 <= c, w, b <= 1.0. */
size_t tsr__yv_y3_alpha_row(size_t L, const tsr_pair *np, const tsr_pair *bp, const int64_t *ct,
                            const tsr__yvmemo *memo, int64_t *a, int64_t *d, bool vec);

/* One aligned row of Yuma3's EMA (§2.13.2): for t < L,
 *   e[t] = min(1.0, (1 - a[t]) (*) bp[t].val + a[t] (*) np[t].val),  es[t] += e[t],
 * (*) the floored I32F32 product. Preconditions: 0 <= a[t], np[t].val, bp[t].val <= 1.0. */
void tsr__yv_y3_ema_row(size_t L, const tsr_pair *np, const tsr_pair *bp, const int64_t *a,
                        int64_t *e, int64_t *es, bool vec);

/* The consensus (spec §2.7) of L columns held as a dense block: v[r * ld + t] is row r's score in
 * column t (r < M, t < L, ld >= L), s[r] row r's stake. For each t,
 *   out[t] = the smallest score x of column t with S<=(x) > minority, or the column's largest
 *            score when there is none,
 * S<=(x) being the stake of the rows scoring <= x in that column: the characterisation of the
 * chain's weighted median that tsr_yuma.c's cmed_solve computes (see there), here by comparing
 * every pair of rows, O(M^2 L), without branches: it beats cmed_solve's buckets for the few
 * dozen validator rows of a subnet (the caller bounds M). The vector copy (8 columns a step,
 * when `vec`) sorts each column instead when M <= 32, every stake is >= 0 and the 8 columns'
 * scores lie in [0, 2^57) (a subnet's clipped weights; at the 26-29 validator rows of the
 * era8 benchmark the kernel's share of the model fell by a third); same results. Stake sums must
 * not overflow (normalised stakes: each <= 2^32, M < 2^31). */
void tsr__yv_cmed_block(size_t M, size_t L, size_t ld, const int64_t *v, const int64_t *s,
                        int64_t minority, int64_t *out, bool vec);

/* One dense row of Yuma3's EMA with a fixed alpha al (§2.13.2 with liquid alpha off): for
 * t < L, e[t] = (1 - al) (*) bv[t] + al (*) wv[t] and es[t] += e[t], (*) the floored I32F32
 * product. Preconditions: 0 <= al, wv[t], bv[t] <= 1.0 (then e[t] <= 1.0). */
void tsr__yv_y3_fix_row(size_t L, const int64_t *wv, const int64_t *bv, uint64_t al, int64_t *e,
                        int64_t *es, bool vec);

/* One aligned row of Yuma3's last pass (§2.13.3-6): for t < L, x = e[t] / c_t, returns the
 * row's sum of (inc[t] x) >> 32 (modulo 2^64), and q[t] = fixed_proportion_to_u16(e[t]).
 * Preconditions: as tsr__yv_last_row's for c; 0 <= e[t], 0 <= inc[t] < 2^32. */
uint64_t tsr__yv_y3_last_row(size_t L, const int64_t *e, const tsr__yvdiv *c, const int64_t *inc,
                             uint16_t *q, bool vec);

#endif /* TSR_YUMA_VEC_H */
