/* tsr_burn.h: neuron registration cost, immunity and pruning (spec bittensor §3.10, TV26).
 *
 * Burn dynamics. A subnet's registration cost `Burn` (rao) moves two ways:
 *  - every block (block > 1, BurnHalfLife > 0): burn = (burn * f) >> 32, where the Q32 factor f
 *    is the largest value in [0, 2^32) with pow_q32(f, half_life) <= 2^31 (a bisection, exactly
 *    as the chain finds it); then burn is clamped to [MinBurn, MaxBurn];
 *  - after every registration: burn = floor(U64F64(burn) * max(BurnIncreaseMult, 1)), saturating
 *    at u64::MAX, then clamped.
 * Q32 products floor and saturate to u64 (subtensor mul_by_q32). The clamp raises to MinBurn
 * first and then lowers to MaxBurn, so MinBurn > MaxBurn yields MaxBurn, as on chain.
 * Costs: the factor takes 32 bisection steps of at most 16 Q32 squarings (a few hundred 64x64
 * products); tsr_burn caches it per half-life, so the per-block update is O(1).
 *
 * Pruning. When a subnet is full, the uid to replace is the one with the smallest (Emission,
 * BlockAtRegistration, uid) among uids that have a hotkey and are not owner-immortal, chosen
 * among non-immune uids when more than MinNonImmuneUids of them exist and among immune uids
 * otherwise. Immune: current_block - BlockAtRegistration < ImmunityPeriod (saturating). The
 * owner-immortal set: the owner coldkey's registered hotkeys sorted by (BlockAtRegistration,
 * uid), truncated to ImmuneOwnerUidsLimit, then the owner hotkey (if registered and not already
 * listed) put first and the list truncated again. O(n * limit), no allocation.
 *
 * Everything is pure and reentrant; nothing allocates.
 */
#ifndef TSR_BURN_H
#define TSR_BURN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tsr_fixed.h"

/* ---- Q32 helpers (subtensor utils/misc.rs) ----------------------------------------------- */

#define TSR_Q32_ONE  (UINT64_C(1) << 32) /* 1.0 in Q32 */
#define TSR_Q32_HALF (UINT64_C(1) << 31) /* 0.5 in Q32 */

/* floor(value * factor_q32 / 2^32), saturating at UINT64_MAX. spec bittensor §3.10 */
uint64_t tsr_mul_by_q32(uint64_t value, uint64_t factor_q32);
/* base_q32 ^ exp in Q32 by square-and-multiply from the lowest exponent bit, each product
 * through tsr_mul_by_q32 (pow(x, 0) = 1.0). spec bittensor §3.10 */
uint64_t tsr_pow_q32(uint64_t base_q32, uint16_t exp);
/* The per-block decay factor: 1.0 (2^32) for half_life 0, else the largest f in [0, 2^32) with
 * tsr_pow_q32(f, half_life) <= 2^31, found by the chain's bisection. half_life 2 -> 3037000500,
 * 360 -> 4286705684, 1000 -> 4291991283. spec bittensor §3.10, TV26 */
uint64_t tsr_burn_decay_factor_q32(uint16_t half_life);

/* ---- burn state ---------------------------------------------------------------------------- */

#define TSR_DEFAULT_BURN_HALF_LIFE 360
#define TSR_DEFAULT_MIN_BURN       UINT64_C(500000)
#define TSR_DEFAULT_MAX_BURN       UINT64_C(100000000000)
#define TSR_DEFAULT_INITIAL_BURN   UINT64_C(1000000000)
/* IEEE-754 binary64 bits of the literal 1.26 (BurnIncreaseMult default, U64F64 from f64). */
#define TSR_BURN_INCREASE_MULT_F64_BITS UINT64_C(0x3FF428F5C28F5C29)

typedef struct tsr_burn_params {
    uint16_t half_life;       /* BurnHalfLife, blocks; 0 disables the per-block decay */
    tsr_u64f64 increase_mult; /* BurnIncreaseMult; values below 1.0 act as 1.0 */
    uint64_t min_burn;        /* MinBurn, rao */
    uint64_t max_burn;        /* MaxBurn, rao */
} tsr_burn_params;

typedef struct tsr_burn {
    tsr_burn_params params;    /* the subnet's burn hyper-parameters (may be changed at any time) */
    uint64_t burn;             /* Burn: the current registration cost, rao */
    uint64_t factor_q32;       /* cached tsr_burn_decay_factor_q32(factor_half_life) */
    uint16_t factor_half_life; /* half-life the cached factor belongs to */
} tsr_burn;

/* Chain defaults: half-life 360, increase 1.26 (raw from the f64 literal), min 500_000 rao,
 * max 100 TAO. TSR_EINVAL for NULL. spec bittensor §3.10 */
int tsr_burn_params_default(tsr_burn_params *p);
/* Start a burn at `initial_burn` (new subnets: TSR_DEFAULT_INITIAL_BURN, 1 TAO) with a copy of
 * *p; the value is stored as given (the chain clamps only at the next update). TSR_EINVAL for
 * NULL arguments. */
int tsr_burn_init(tsr_burn *b, const tsr_burn_params *p, uint64_t initial_burn);

/* max(min_burn, burn) then min(max_burn, .), in that order. */
uint64_t tsr_burn_clamp(uint64_t burn, uint64_t min_burn, uint64_t max_burn);
/* The burn after the per-block update at `block` (decay only when half_life > 0 and
 * block > 1; the clamp always). TSR_EINVAL for NULL. spec bittensor §3.10, §3.2 step 1 */
int tsr_burn_after_block(uint64_t burn, const tsr_burn_params *p, uint64_t block, uint64_t *out);
/* The burn after one registration (bump, then clamp). TSR_EINVAL for NULL. spec bittensor §3.10 */
int tsr_burn_after_registration(uint64_t burn, const tsr_burn_params *p, uint64_t *out);

/* In-place versions on a tsr_burn (the decay factor is recomputed only when the half-life
 * changed). TSR_EINVAL for NULL. */
int tsr_burn_on_block(tsr_burn *b, uint64_t block);
int tsr_burn_on_registration(tsr_burn *b);

/* ---- immunity and pruning ------------------------------------------------------------------ */

#define TSR_DEFAULT_IMMUNITY_PERIOD     UINT64_C(5000) /* new subnets; runtime default 4096 */
#define TSR_DEFAULT_IMMUNE_OWNER_UIDS   1
#define TSR_DEFAULT_MIN_NON_IMMUNE_UIDS 10
#define TSR_NO_UID                      (-1)

typedef struct tsr_neuron {
    uint64_t emission;              /* Emission (u64) from the last epoch */
    uint64_t block_at_registration; /* BlockAtRegistration */
    bool has_hotkey;                /* a hotkey is registered at this uid */
    bool owned_by_subnet_owner;     /* Owner(hotkey) == SubnetOwner coldkey */
} tsr_neuron;

typedef struct tsr_prune_params {
    uint64_t current_block;           /* the registration's block */
    uint64_t immunity_period;         /* ImmunityPeriod, blocks */
    uint16_t immune_owner_uids_limit; /* ImmuneOwnerUidsLimit (chain range [1, 10]) */
    uint16_t min_non_immune_uids;     /* MinNonImmuneUids */
    int32_t owner_hotkey_uid;         /* uid of SubnetOwnerHotkey, or TSR_NO_UID if unregistered */
} tsr_prune_params;

/* current_block - block_at_registration (saturating) < immunity_period. spec bittensor §3.10 */
bool tsr_neuron_is_immune(uint64_t current_block, uint64_t block_at_registration,
                          uint64_t immunity_period);
/* The owner-immortal uids in the chain's order (owner hotkey first when it was inserted),
 * written to uids[0 .. *count) (at most immune_owner_uids_limit entries; cap must be at least
 * that many or *count, whichever is smaller). TSR_EINVAL for NULL/invalid input (n > 65536,
 * owner_hotkey_uid out of range or not a registered uid), TSR_ECAPACITY when cap is too small.
 * spec bittensor §3.10 */
int tsr_immune_owner_uids(const tsr_neuron *neurons, size_t n, const tsr_prune_params *p,
                          uint16_t *uids, size_t cap, size_t *count);
/* get_neuron_to_prune: *found = false (and *uid untouched) when every uid is empty or immortal,
 * which makes the registration fail on chain. Errors as tsr_immune_owner_uids.
 * spec bittensor §3.10 */
int tsr_neuron_to_prune(const tsr_neuron *neurons, size_t n, const tsr_prune_params *p,
                        uint16_t *uid, bool *found);

#endif /* TSR_BURN_H */
