/* tsr_aigen.h: one AiGen settlement epoch (spec mechanisms §3.2), integer only.
 *
 * Inputs: the epoch's spend T_c through each of C controllers, the stakes sigma_v of V
 * validators and their scores s_{v,c} (parts per billion, 1e9 = a perfect score), optionally an
 * audit score per controller. Steps, each with its rounding rule:
 *  1. Fee split of T = sum T_c into platform / developer / validator / burn pools with the Drips
 *     cumulative rule over (k_plat, k_dev, k_val, k_burn) (sum 1e9): exact, no remainder.
 *  2. Controller score S_c = the stake-weighted kappa-median: the largest score w (one of the
 *     s_{v,c}, or 0) with sum_v sigma_v [s_{v,c} >= w] * 1e9 >= kappa * sum sigma.
 *  3. Developer revenue. ABSOLUTE: R_c = floor(k_dev * T_c * S_c) from the controller's own
 *     spend (spec §3.2 step 4, exactly); what the developer pool holds beyond sum R_c goes to
 *     `unearned` (the caller burns it or keeps it in treasury). RELATIVE: the pool is split by
 *     S_c * T_c (Drips cumulative, 128-bit weights); unearned only when every S_c * T_c is zero.
 *  4. Validator error e_v = sum_c T_c |s_{v,c} - ref_c| / T (usage-weighted; reported in ppb,
 *     floored), where ref_c is the audit score when one is given (>= 0) and S_c otherwise;
 *     accuracy a_v = 1 - e_v in 10^-18 units (floored); reward weight sigma_v * a_v^gamma
 *     (a^gamma in 10^-18 units, floored at each multiplication); the validator pool split by
 *     those weights (Drips cumulative); a pool nobody can claim (all weights 0) goes to
 *     `unearned`.
 *  5. Coherence slashing (optional): e_v > epsilon, decided on the exact error, forfeits
 *     floor(sigma_v * alpha_slash) plus, with a correlation multiplier m > 0 (Ethereum's
 *     proportional slashing, spec mechanisms §5.3 and §6.2(h), its window being the epoch),
 *     floor(sigma_v * min(m * B, S) / S), B the stake of all the epoch's incoherent
 *     validators and S all stake: an isolated fault costs about alpha_slash, a fault shared by
 *     1/m of the stake costs everything; a forfeit never exceeds sigma_v. The forfeits are
 *     shared by stake among validators with e_w <= epsilon (Drips cumulative); with no
 *     coherent validator they go to `slash_unclaimed`.
 * Conservation (checked): T = platform + sum R_c + sum R_v + burn + unearned, and
 * sum slashed = sum slash_reward + slash_unclaimed.
 * Cost: O(V C log V) for the medians (one sort of V pairs per controller) plus O(V C); the
 * caller's workspace holds tsr_aigen_workspace_size(V, C) bytes; nothing is allocated.
 */
#ifndef TSR_AIGEN_H
#define TSR_AIGEN_H

#include <stddef.h>
#include <stdint.h>

typedef enum { TSR_AIGEN_ABSOLUTE = 0, TSR_AIGEN_RELATIVE = 1 } tsr_aigen_mode;

#define TSR_AIGEN_MAX_CORRELATION 64u /* the largest slash_correlation */

typedef struct tsr_aigen_params {
    uint32_t k_plat_ppb;        /* share of spend to model providers / infrastructure */
    uint32_t k_dev_ppb;         /* developer pool */
    uint32_t k_val_ppb;         /* validator pool */
    uint32_t k_burn_ppb;        /* burned; the four sum to 1e9 */
    uint32_t kappa_ppb;         /* stake quorum of the median (0.5 = 500,000,000), 1..1e9 */
    tsr_aigen_mode mode;        /* developer revenue mode */
    uint32_t gamma;             /* accuracy exponent, 0..8 (default 2) */
    int slashing;               /* 1: coherence slashing on */
    uint32_t epsilon_ppb;       /* error above which a validator is slashed */
    uint32_t slash_ppb;         /* alpha_slash: share of stake forfeited */
    uint32_t slash_correlation; /* m of step 5, 0..64: 0 the flat forfeit alone */
} tsr_aigen_params;

typedef struct tsr_aigen_totals {
    uint64_t spend;           /* T */
    uint64_t platform;        /* platform pool */
    uint64_t dev_pool;        /* developer pool */
    uint64_t val_pool;        /* validator pool */
    uint64_t burn;            /* fee burn */
    uint64_t dev_paid;        /* sum R_c */
    uint64_t val_paid;        /* sum R_v */
    uint64_t unearned;        /* developer and validator pool units nobody earned */
    uint64_t slashed;         /* stake forfeited by incoherent validators */
    uint64_t slash_unclaimed; /* forfeits with no coherent validator to receive them */
} tsr_aigen_totals;

typedef struct tsr_aigen_out {
    uint64_t *score;        /* [C] S_c (ppb) */
    uint64_t *dev_revenue;  /* [C] R_c */
    uint64_t *error;        /* [V] e_v (ppb) */
    uint64_t *val_reward;   /* [V] R_v */
    uint64_t *slashed;      /* [V] stake forfeited */
    uint64_t *slash_reward; /* [V] share of the forfeits received */
} tsr_aigen_out;

/* Bytes of workspace for V validators and C controllers. */
size_t tsr_aigen_workspace_size(size_t nval, size_t nctrl);

/* Settle one epoch. spend[C], stake[V], scores[V * C] row-major by validator (ppb, <= 1e9),
 * audit[C] or NULL (entries < 0: not audited). TSR_EINVAL for NULL pointers, pool shares not
 * summing to 1e9, kappa 0, a score above 1e9, gamma above 8 or a small workspace;
 * TSR_ERANGE for rates above 1e9 or a correlation multiplier above 64; TSR_EOVERFLOW when spend or
 * stakes sum beyond 2^64 - 1. */
int tsr_aigen_epoch(const tsr_aigen_params *p, size_t nval, size_t nctrl, const uint64_t *spend,
                    const uint64_t *stake, const uint32_t *scores, const int64_t *audit,
                    void *workspace, size_t workspace_size, tsr_aigen_out *out,
                    tsr_aigen_totals *tot);

/* The stake-weighted kappa-median alone (step 2) of n (score, stake) pairs; `scratch` holds n
 * entries of 16 bytes (tsr_aigen_workspace_size(n, 1) suffices). Exposed for tests and for
 * models that need the consensus without the settlement. */
uint64_t tsr_aigen_kappa_median(const uint32_t *score, size_t stride, const uint64_t *stake,
                                size_t n, uint32_t kappa_ppb, void *scratch);

#endif /* TSR_AIGEN_H */
