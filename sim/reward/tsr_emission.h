/* tsr_emission.h: emission schedules and epoch timing, in integer base units.
 *
 * Three families:
 *  - a Bitcoin-style height schedule: subsidy(h) = R0 >> ((h - h0) / H), 0 from the 64th
 *    halving on (spec mechanisms §5.1, generalised with R0, H, h0);
 *  - Bittensor's issuance-driven schedule: the block emission halves each time the issuance
 *    crosses 21e15 * (1 - 2^-k), computed exactly as the chain does in I96F32 (spec bittensor
 *    §3.1);
 *  - epoch scheduling: the legacy modulo schedule and the current stateful one (spec bittensor
 *    §3.6).
 * Everything is O(1) except the cumulative/threshold helpers (O(64) and O(64 log S)).
 */
#ifndef TSR_EMISSION_H
#define TSR_EMISSION_H

#include <stdint.h>

/* ---- Bitcoin-style halving schedule (spec mechanisms §5.1) ---------------------------------- */

typedef struct tsr_halving_schedule {
    uint64_t initial_reward; /* R0: subsidy per block in the first era, base units */
    uint64_t interval;       /* H: blocks per era; must be > 0 (Bitcoin: 210000, regtest 150) */
    uint64_t start_height;   /* h0: first block that pays a subsidy */
} tsr_halving_schedule;

/* TSR_OK when the schedule is usable (non-NULL, interval > 0), TSR_EINVAL otherwise. */
int tsr_halving_validate(const tsr_halving_schedule *s);
/* Subsidy of block `height`: 0 before h0, else R0 >> k with k = (height - h0) / H, and 0 for
 * k >= 64. An invalid schedule gives 0. spec mechanisms §5.1 */
uint64_t tsr_halving_subsidy(const tsr_halving_schedule *s, uint64_t height);
/* The number of halvings k at `height` (0 before h0). */
uint64_t tsr_halving_era(const tsr_halving_schedule *s, uint64_t height);
/* Total ever issued, H * sum_{k<64} (R0 >> k), exact. TSR_EOVERFLOW if it exceeds u64.
 * Bitcoin: 2,099,999,997,690,000 sat. spec mechanisms §5.1 */
int tsr_halving_total(const tsr_halving_schedule *s, uint64_t *out);
/* Sum of the subsidies of blocks [h0, height), exact; TSR_EOVERFLOW if it exceeds u64. */
int tsr_halving_issued_before(const tsr_halving_schedule *s, uint64_t height, uint64_t *out);
/* The smallest height > `height` at which the era changes (h0 + H (k + 1), or h0 + H before
 * the start). TSR_ERANGE if that height does not fit u64. */
int tsr_halving_next_height(const tsr_halving_schedule *s, uint64_t height, uint64_t *out);

/* ---- Bittensor issuance-driven emission (spec bittensor §3.1) ------------------------------- */

typedef struct tsr_issuance_params {
    uint64_t total_supply;     /* TotalSupply: 21e15 rao; emission is 0 at or above it */
    uint64_t default_emission; /* DefaultBlockEmission: 1e9 rao (1 TAO) per block */
    uint64_t max_issuance;     /* MAX_TAO_ISSUANCE minting cap: 21e15 rao */
} tsr_issuance_params;

#define TSR_TOTAL_SUPPLY           UINT64_C(21000000000000000)
#define TSR_DEFAULT_BLOCK_EMISSION UINT64_C(1000000000)
#define TSR_MAX_TAO_ISSUANCE       UINT64_C(21000000000000000)

/* Fill *p with the chain defaults above. */
void tsr_issuance_params_default(tsr_issuance_params *p);

/* get_block_emission_for_issuance: 0 when issuance >= total_supply; otherwise
 * ratio = I96F32(issuance) / I96F32(total_supply), inv = 1 / (1 - ratio), k = floor(log2(inv)),
 * emission = floor((1 / 2^k) (*) I96F32(default_emission)) -- all in I96F32 with the chain's
 * rounding (the chain writes the denominator as 2.0 * 10.5e15, which equals total_supply).
 * p may be NULL for the defaults. TSR_EINVAL if total_supply is 0. spec bittensor §3.1, TV23 */
int tsr_block_emission_for_issuance(const tsr_issuance_params *p, uint64_t issuance, uint64_t *out);

/* The halving count is non-decreasing in the issuance, so the block emission is constant on the
 * range of issuances that share a count. A memo holds one such range; zero-initialised it is
 * empty. */
typedef struct tsr_emission_memo {
    uint64_t lo;               /* first issuance of the range (valid when hi > lo) */
    uint64_t hi;               /* first issuance past it */
    uint64_t total_supply;     /* the parameters the range was computed with */
    uint64_t default_emission; /* (max_issuance plays no part in the emission) */
    uint64_t emission;         /* the block emission of every issuance in [lo, hi) */
} tsr_emission_memo;

/* tsr_block_emission_for_issuance through memo, with the same result and errors: answered from
 * the memo when issuance is in its range and the parameters are those it was computed with, else
 * computed, and the memo then holds the range of the new halving count (two binary searches,
 * O(64) evaluations each: once per halving for an issuance that grows). TSR_EINVAL for a NULL
 * memo or out. spec bittensor §3.1 */
int tsr_block_emission_memo(const tsr_issuance_params *p, uint64_t issuance,
                            tsr_emission_memo *memo, uint64_t *out);
/* The halving count k used above. TSR_ERANGE when issuance >= total_supply (emission is 0 and
 * k is not computed by the chain). spec bittensor §3.1 */
int tsr_halving_count_for_issuance(const tsr_issuance_params *p, uint64_t issuance, unsigned *k);
/* The smallest issuance whose halving count is >= k (k = 0 gives 0). TSR_ERANGE when no
 * issuance below total_supply reaches k. For the defaults this is ceil(21e15 (1 - 2^-k)).
 * O(64) evaluations (binary search; k is non-decreasing in issuance). spec bittensor §3.1 */
int tsr_issuance_at_halving(const tsr_issuance_params *p, unsigned k, uint64_t *out);
/* The smallest issuance > `issuance` at which the halving count increases. TSR_ERANGE when
 * none does before total_supply. spec bittensor §3.1 */
int tsr_next_halving_issuance(const tsr_issuance_params *p, uint64_t issuance, uint64_t *out);
/* Minting cap: max_issuance - current_issuance, saturating at 0. spec bittensor §3.1 */
uint64_t tsr_mint_cap(const tsr_issuance_params *p, uint64_t current_issuance);

/* ---- epoch scheduling (spec bittensor §3.6) ------------------------------------------------- */

/* Legacy (<= v3.4.7-422): tempo - ((block + netuid + 1) mod (tempo + 1)), with wrapping u64
 * addition; UINT64_MAX when tempo = 0. An epoch runs when this is 0. spec bittensor §3.6.1, TV21 */
uint64_t tsr_blocks_until_next_epoch_legacy(uint16_t netuid, uint16_t tempo, uint64_t block);
/* Current: (last_epoch_block + tempo) - block, saturating at 0 (the sum saturates too);
 * UINT64_MAX when tempo = 0. spec bittensor §3.6.2, TV22 */
uint64_t tsr_blocks_until_next_auto_epoch(uint16_t tempo, uint64_t block,
                                          uint64_t last_epoch_block);

#define TSR_MAX_TEMPO UINT64_C(50400)

/* should_run_epoch: false when tempo = 0; true when pending_epoch_at > 0 and block >=
 * pending_epoch_at, or blocks_since_last_step > TSR_MAX_TEMPO, or block - last_epoch_block >=
 * tempo (block < last_epoch_block counts as 0 elapsed). spec bittensor §3.6.2 */
int tsr_should_run_epoch(uint16_t tempo, uint64_t block, uint64_t last_epoch_block,
                         uint64_t pending_epoch_at, uint64_t blocks_since_last_step);

#endif /* TSR_EMISSION_H */
