/* tsr_yuma.h: the Bittensor Yuma Consensus epoch, bit-exact (spec bittensor §2).
 *
 * tsr_yuma_epoch() is the chain's production sparse epoch (`epoch_mechanism`, spec §2.2-§2.14)
 * for one subnet mechanism: activity, stake (with threshold and owner exemption), validator
 * permits, the weight masks (forbidden rows, diagonal except the owner, outdated weights),
 * consensus (stake-weighted median with kappa), clipping, validator trust, incentive, the
 * bonds penalty, the bond mask of recently registered uids, original-Yuma bonds (EMA, column
 * normalisation, max-upscaled storage) or Yuma3 bonds (liquid alpha with the chain's cursor
 * merge over unsorted rows, or fixed alpha), dividends, the emission split with the stake
 * fallback, and quantisation. Every output is what the chain computes and stores, to the bit.
 *
 * Commit-reveal (spec §2.6 step 5): tsr_yuma_epoch() runs with CommitRevealWeightsEnabled false
 * (as the conformance traces do); tsr_yuma_epoch_cr() takes the commit mask's input, the
 * caller having resolved the commit storage (CRv2 / CRv4 expiry) into one block per uid.
 *
 * Memory: the caller owns every buffer. The epoch needs scratch memory of
 * tsr_yuma_ws_size(n, nnz_weights, nnz_bonds) bytes (or a workspace from tsr_yuma_ws_new);
 * it never allocates, has no globals and is reentrant: one workspace per thread.
 * Cost: O(n log n + nnz_weights + nnz_bonds) per epoch (the consensus median in expected
 * linear time), plus sorting each row's touched columns where the chain densifies a row
 * (bonds-penalty interpolation strictly between 0 and 1, fixed-alpha EMA), plus one fixed-point
 * exp (about 25 multiply-divide steps) per distinct liquid-alpha input.
 *
 * Mechanisms (spec §2.15): tsr_yuma_split_emissions() splits a subnet's emission across its
 * mechanisms; run tsr_yuma_epoch() once per mechanism (same stake, permits, registration and
 * last_mechanism_step_block; each mechanism's own weights, bonds and last_update) and fold the
 * results per uid with tsr_yuma_mech_weight() and tsr_yuma_aggregate(), mechanism 0 first.
 */
#ifndef TSR_YUMA_H
#define TSR_YUMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tsr_fixed.h"
#include "tsr_ledger.h" /* tsr_alloc_fn */

/* No owner uid (the subnet owner's hotkey is not registered). Any owner_uid >= n behaves the
 * same, as on chain (the owner lookups find no such uid). */
#define TSR_YUMA_NO_OWNER UINT32_MAX
/* Uids are u16 on chain and SubnetworkN is a u16. */
#define TSR_YUMA_MAX_N 65535u

/* Subnet hyper-parameters read by the epoch (spec §2.1, defaults in §3.12). */
typedef struct tsr_yuma_params {
    uint16_t tempo;                /* Tempo; only the §2.11 bond mask uses it */
    uint64_t activity_cutoff;      /* blocks: inactive when last_update + cutoff < block (§2.2) */
    uint16_t kappa;                /* Kappa: consensus majority kappa/65535 (§2.7) */
    uint64_t bonds_moving_average; /* BondsMovingAverage, ppm: fixed alpha 1 - bma/1e6 (§2.12.3) */
    uint16_t bonds_penalty;        /* BondsPenalty: bp = value/65535 (§2.10) */
    uint16_t max_allowed_validators; /* MaxAllowedValidators: k of the top-k permit rule (§2.4) */
    bool yuma3;                      /* Yuma3On: §2.13 bonds instead of §2.12 */
    bool liquid_alpha;               /* LiquidAlphaOn (Yuma3 only) */
    uint16_t alpha_low;              /* AlphaValues.0, as u16/65535 (§2.13) */
    uint16_t alpha_high;             /* AlphaValues.1, as u16/65535 */
    int16_t alpha_sigmoid_steepness; /* AlphaSigmoidSteepness */
    uint32_t owner_uid;              /* the owner hotkey's uid, or TSR_YUMA_NO_OWNER */
    uint64_t stake_threshold; /* StakeThreshold: floor(total stake) below it counts 0 (§2.3) */
} tsr_yuma_params;

/* One stored (uid, u16) pair of a Weights or Bonds row. */
typedef struct tsr_yuma_pair {
    uint16_t uid; /* destination uid (column) */
    uint16_t
        value; /* the stored u16 (weights: max-upscaled by set_weights; bonds: §2.12.7/§2.13.6) */
} tsr_yuma_pair;

/* n stored rows in CSR form: row i is pairs[row_ptr[i] .. row_ptr[i+1]) in stored order
 * (weights: submission order; bonds: the order the previous epoch wrote). row_ptr has n + 1
 * non-decreasing entries from 0; row_ptr == NULL means every row is empty. */
typedef struct tsr_yuma_rows {
    const size_t *row_ptr;      /* n + 1 offsets, or NULL (all rows empty) */
    const tsr_yuma_pair *pairs; /* row_ptr[n] pairs */
} tsr_yuma_rows;

/* The subnet state an epoch reads (spec §2.1). Vectors have n entries and are indexed by uid. */
typedef struct tsr_yuma_state {
    size_t n;                           /* SubnetworkN, <= TSR_YUMA_MAX_N */
    uint64_t current_block;             /* the epoch's block */
    uint64_t last_mechanism_step_block; /* LastMechansimStepBlock (0: mask uses block - tempo) */
    const uint64_t *alpha_stake; /* per-uid (inherited) alpha stake; 0 for a uid without hotkey */
    const uint64_t *tao_stake;   /* per-uid (inherited) root stake, or NULL for all 0 */
    uint64_t tao_weight; /* TaoWeight storage value (u64, / u64::MAX); unused if tao_stake NULL */
    const uint64_t *last_update;           /* LastUpdate */
    const uint64_t *block_at_registration; /* BlockAtRegistration (0 for a uid without hotkey) */
    const bool *validator_permit; /* ValidatorPermit from the previous epoch, or NULL (all false) */
    tsr_yuma_rows weights;        /* Weights: pairs with uid >= n are ignored (§2.6.1) */
    tsr_yuma_rows bonds;          /* Bonds: every uid must be < n (the epoch only writes such) */
} tsr_yuma_state;

/* Per-uid outputs of one epoch, into caller buffers of n entries. Any pointer may be NULL when
 * that output is not wanted. Stored terms follow spec §2.14 "Stored per epoch". */
typedef struct tsr_yuma_out {
    uint16_t *consensus;       /* Consensus: fixed_proportion_to_u16(C) (§2.7) */
    uint16_t *incentive;       /* Incentive (§2.9) */
    uint16_t *dividends;       /* Dividends (§2.12.6 / §2.13.5) */
    uint16_t *validator_trust; /* ValidatorTrust (§2.8) */
    uint16_t *stake_weight;    /* StakeWeight: fixed_proportion_to_u16(normalised stake) (§2.3) */
    bool *validator_permit;    /* the new ValidatorPermit (§2.4) */
    bool *active;              /* Active (§2.2) */
    uint64_t *emission;        /* Emission: to_rao(normalised combined emission) (§2.14) */
    uint64_t *server_emission; /* to_rao(I/sum) (§2.14) */
    uint64_t *validator_emission; /* to_rao(D/sum), stake fallback (§2.14) */
    uint64_t *stake;              /* floor(total stake) before threshold (EpochTerms.stake) */
    /* The new Bonds rows exactly as the chain stores them: rows of uids with a new permit hold
     * the quantised EMA row in the EMA's pair order (zero-valued pairs included), every other
     * row is empty. bonds_row_ptr has n + 1 entries; bonds has bonds_cap pairs, at least
     * tsr_yuma_bonds_cap(n, nnz_weights, nnz_bonds). NULL bonds_row_ptr: bonds not wanted. */
    size_t *bonds_row_ptr; /* n + 1 offsets into bonds */
    tsr_yuma_pair *bonds;  /* bonds_cap pairs */
    size_t bonds_cap;      /* capacity of bonds[] */
    /* Raw I32F32 intermediates (spec §2), for tests and diagnostics; NULL to skip. */
    tsr_i32f32 *raw_stake;           /* normalised stake (§2.3 step 5) */
    tsr_i32f32 *raw_active_stake;    /* normalised active stake (§2.5) */
    tsr_i32f32 *raw_consensus;       /* C (§2.7) */
    tsr_i32f32 *raw_incentive;       /* I (§2.9) */
    tsr_i32f32 *raw_dividends;       /* D (§2.12 / §2.13) */
    tsr_i32f32 *raw_validator_trust; /* row sums of the clipped weights (§2.8) */
} tsr_yuma_out;

/* Points out's per-uid arrays (n entries each) into caller-owned blocks, in the field order
 * above: u16 holds 5n values (consensus .. stake_weight), u64 4n (emission .. stake), flags 2n
 * (validator_permit, active), raw 6n (raw_stake .. raw_validator_trust) or NULL when the raw
 * intermediates are not wanted. The bonds fields are left as they are. */
void tsr_yuma_out_bind(tsr_yuma_out *out, size_t n, uint16_t *u16, uint64_t *u64, bool *flags,
                       tsr_i32f32 *raw);

/* The chain's production defaults (spec §3.12; Yuma3 on as for a new subnet, no owner,
 * max validators 64, tempo 360, activity cutoff 5000). */
void tsr_yuma_params_default(tsr_yuma_params *p);

/* Bytes of workspace tsr_yuma_epoch needs for n uids, nnz_weights stored weight pairs and
 * nnz_bonds stored bond pairs (the totals over all rows). 0 if the size would overflow. */
size_t tsr_yuma_ws_size(size_t n, size_t nnz_weights, size_t nnz_bonds);

/* Capacity of out->bonds that always suffices: nnz_weights + nnz_bonds (saturating). */
size_t tsr_yuma_bonds_cap(size_t n, size_t nnz_weights, size_t nnz_bonds);

/* A workspace owned through an allocator (tsr_alloc_fn semantics of tsr_ledger.h; alloc NULL
 * means the C library's realloc/free). */
typedef struct tsr_yuma_ws tsr_yuma_ws;
/* A workspace for epochs up to (n, nnz_weights, nnz_bonds); NULL when out of memory. */
tsr_yuma_ws *tsr_yuma_ws_new(size_t n, size_t nnz_weights, size_t nnz_bonds, tsr_alloc_fn alloc,
                             void *ud);
/* Releases w; NULL is a no-op. */
void tsr_yuma_ws_free(tsr_yuma_ws *w);
/* The workspace memory and its size, to pass to tsr_yuma_epoch. */
void *tsr_yuma_ws_mem(tsr_yuma_ws *w);
size_t tsr_yuma_ws_bytes(const tsr_yuma_ws *w);

/* Runs one epoch (spec §2.2-§2.14) of state s with parameters p handing out rao_emission, and
 * writes the wanted outputs into out. ws/ws_size: scratch memory of at least
 * tsr_yuma_ws_size(s->n, nnz(weights), nnz(bonds)) bytes, aligned for uint64_t (malloc'ed
 * memory is). Returns TSR_OK, TSR_EINVAL for malformed input (NULL vectors, n >
 * TSR_YUMA_MAX_N, row_ptr not monotonic, a bond uid >= n; nothing is written), or
 * TSR_ECAPACITY when ws_size or out->bonds_cap is too small (outputs unspecified).
 * Reads nothing but its arguments; the state is not modified.
 * Rounding: every output is floored as on chain, so sum(emission) <= rao_emission and
 * (rao_emission - sum(emission)) * 2^32 < (n - 1) * rao_emission + n * 2^32 (each of the n
 * normalisation and to_rao floors loses less than one unit); the same holds for server +
 * validator emission with 2n terms. Exception: all stake zero (after the threshold) gives all
 * emission 0. */
int tsr_yuma_epoch(const tsr_yuma_params *p, const tsr_yuma_state *s, uint64_t rao_emission,
                   tsr_yuma_out *out, void *ws, size_t ws_size);

/* tsr_yuma_epoch with commit-reveal on (spec §2.6 step 5): commit_block[i] is uid i's earliest
 * non-expired commit block (UINT64_MAX: no active commit); weights (i, j) are dropped when
 * commit_block[i] < BlockAtRegistration[j]. commit_block == NULL is tsr_yuma_epoch. */
int tsr_yuma_epoch_cr(const tsr_yuma_params *p, const tsr_yuma_state *s,
                      const uint64_t *commit_block, uint64_t rao_emission, tsr_yuma_out *out,
                      void *ws, size_t ws_size);

/* ---- mechanisms (spec §2.15) ---- */

/* split_emissions: mechanism s of m gets floor(alpha / m) without a split (split == NULL), or
 * floor(alpha * split[s] / 65535) (u128) for s < split_len and 0 beyond; entries past m are
 * ignored; the remainder alpha - sum (saturating) is added to mechanism 0. out has m entries.
 * TSR_EINVAL for m == 0 or NULL out. (The chain only stores splits of length <= m that sum to
 * 65535; other splits are computed the same way.) */
int tsr_yuma_split_emissions(uint64_t alpha, size_t m, const uint16_t *split, size_t split_len,
                             uint64_t *out);

/* The aggregation weight of a mechanism: U64F64(sub_emission) / U64F64(rao_emission), or, when
 * that division fails (rao_emission == 0), 1 for mechanism 0 and 0 otherwise. */
tsr_u64f64 tsr_yuma_mech_weight(uint64_t sub_emission, uint64_t rao_emission, size_t mech_index);

/* Folds one mechanism's per-uid terms `t` (n uids) into `acc` with weight w (spec §2.15):
 * first == true (mechanism 0) initialises acc: dividends, incentive, stake_weight, consensus,
 * validator_trust := floor(U64F64(term) (*) w) saturated to u16, emission := floor(U64F64(e)
 * (*) w) saturated to u64, and server/validator emission, stake, active, permit copied.
 * first == false adds: server/validator emission and stake summed (saturating), the u16 terms
 * and emission as floor(existing + term (*) w), active and permit OR-ed; incentive is left as is
 * (the chain stores incentive per mechanism instead). Only the per-uid vectors are used (bonds
 * and raw fields are ignored); a NULL vector in acc or t skips that term.
 * With one mechanism (w = 1) the result equals t. */
void tsr_yuma_aggregate(tsr_yuma_out *acc, const tsr_yuma_out *t, size_t n, tsr_u64f64 w,
                        bool first);

#endif /* TSR_YUMA_H */
