/* tsr_coinbase.h: the chain's per-block coinbase, pending pools, epoch draining and the pure
 * arithmetic of the distribution (spec bittensor §3.2-§3.8), bit-exact.
 *
 * Two layers:
 *
 *  1. Pure functions named after the chain's steps: the TAO share of each subnet from moving
 *     prices (§3.3, both the `main` weighting and the release v3.4.9-424 weighting), the subnet
 *     terms (§3.4: TAO and alpha injection, the root-proportion cap, excess TAO), the per-block
 *     alpha split (§3.5: owner cut, 50% server, validator minus root alpha), the root sell flag,
 *     the moving-price EMA (§3.8) and the arithmetic of distribute_emission (§3.7: epoch total,
 *     validator pool, parent/child dividends with childkey take and CK burn, the alpha/root
 *     split of a dividend, pro-rata payouts, the hotkey take, MinerBurned). Each works on
 *     caller-provided values or arrays and returns the chain's fixed-point results.
 *
 *  2. A block step over an array of subnets (tsr_subnet, ascending netuid, root excluded) that
 *     follows the chain's order inside block_step (§3.2):
 *        tsr_coinbase_begin_block: 1. burn decay and clamp of every subnet (§3.10);
 *                                  2. block emission from TotalIssuance, minted (capped);
 *                                  4. run_coinbase: shares, terms, injection, alpha_out minting,
 *                                     owner cut, pending pools, recycling of unspent TAO and of
 *                                     unsold root alpha, then drain_pending (§3.6.2: which
 *                                     subnets run an epoch this block, with MaxEpochsPerBlock
 *                                     deferral) -- the drained pools are handed back;
 *        the caller then: buys alpha with each subnet's excess TAO in its pool model (fee-free;
 *                         the bought alpha moves from the pool reserve to outstanding alpha),
 *                         runs the Yuma epoch of each drained subnet on the drained total and
 *                         distributes it (the §3.7 helpers below), and stores MinerBurned;
 *        tsr_coinbase_end_block:   LastMechansimStepBlock of drained subnets,
 *                                  5. moving prices of emitting subnets (§3.8),
 *                                  6. RootProp of emitting subnets.
 *     Step 3 (reveal of timelocked weights), 7 (pending childkeys) and 8 (root claims) are not
 *     arithmetic of the reward core and stay with the caller.
 *
 * Rounding and remainders (every one is the chain's):
 *  - shares and TAO emissions are U64F64/U96F32 products that floor; the pool receives
 *    floor(tao_in) and the chain buy spends floor(excess_tao); what these floors leave of the
 *    minted block emission is "credit left over" and recycled (TotalIssuance decreases by it);
 *  - each pending pool adds floor() of its U96F32 share of alpha_out; the 0-3 rao that the four
 *    floors leave of floor(alpha_out) stay minted in SubnetAlphaOut with no owner (reported as
 *    alpha_dust);
 *  - unsold root alpha (root sell flag off) is recycled: SubnetAlphaOut decreases by it.
 *
 * Pool model. The chain injects through a Balancer pool whose weight arithmetic is not ported
 * (spec §5 item 3): here the injection adds floor(tao_in) to SubnetTAO and TotalStake and mints
 * floor(alpha_in) into SubnetAlphaIn as given (the chain's adjust_protocol_liquidity keeps the
 * price unchanged and only refuses when a Balancer weight would leave [0.01, 0.99]). The current
 * pool price is an input (tsr_subnet.price) that the caller's pool model keeps up to date.
 * Alpha issuance = SubnetAlphaIn + SubnetAlphaOut (saturating); a pool buy moves alpha between
 * the two and leaves it unchanged.
 *
 * No allocation, no globals, reentrant. Everything is O(number of subnets) per block, plus the
 * burn factor's bisection when a half-life changes and the two binary searches of an emission
 * memo (tsr_emission.h) when an issuance crosses a halving.
 */
#ifndef TSR_COINBASE_H
#define TSR_COINBASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tsr_burn.h"
#include "tsr_emission.h"
#include "tsr_fixed.h"

/* ---- defaults (spec bittensor §3.12) ------------------------------------------------------- */

#define TSR_DEFAULT_SUBNET_OWNER_CUT         11796u                       /* of 65535, about 18% */
#define TSR_DEFAULT_TAO_WEIGHT               UINT64_C(971718665099567868) /* of u64::MAX */
#define TSR_DEFAULT_EMA_PRICE_HALVING_BLOCKS UINT64_C(201600)
#define TSR_DEFAULT_MAX_EPOCHS_PER_BLOCK     2u
#define TSR_DEFAULT_TEMPO                    360u
/* IEEE-754 binary64 bits of 0.000003, the default SubnetMovingAlpha (I96F32 from f64). */
#define TSR_SUBNET_MOVING_ALPHA_F64_BITS UINT64_C(0x3EC92A737110E454)

/* ---- fractions and proportions (spec bittensor §1.5, §3.4) --------------------------------- */

/* U96F32(x) / U96F32(65535), truncating: SubnetOwnerCut, delegate take, childkey take.
 * 11796 -> raw 773074452; 65535 -> exactly 1.0. */
tsr_u96f32 tsr_u16_fraction(uint16_t x);
/* U96F32(x) / U96F32(u64::MAX), truncating: TaoWeight, child/parent proportions, CKBurn.
 * TSR_DEFAULT_TAO_WEIGHT -> raw 226245882; u64::MAX -> exactly 1.0. */
tsr_u96f32 tsr_u64_fraction(uint64_t x);
/* SubnetMovingAlpha default: I96F32 from the f64 literal 0.000003 (raw 12885). */
tsr_i96f32 tsr_subnet_moving_alpha_default(void);

/* root_proportion = w / (w + U96F32(alpha_issuance)) with w = U96F32(root_tao) (*) tao_weight;
 * the sum saturates, the product floors, the quotient truncates and is 0 when it fails (0/0).
 * spec bittensor §3.4 */
tsr_u96f32 tsr_root_proportion(uint64_t root_tao, tsr_u96f32 tao_weight, uint64_t alpha_issuance);

/* ---- TAO shares (spec bittensor §3.3) ------------------------------------------------------ */

typedef enum tsr_share_variant {
    TSR_SHARES_MAIN =
        0, /* main@14bc6f9 (spec 425): w_i = share_i (*) (1 - min(MinerBurned_i, 1)) */
    TSR_SHARES_RELEASE = 1 /* v3.4.9-424: w_i = share_i (*) (root_prop_i (*) (1 - min(MB_i, 1))) */
} tsr_share_variant;

typedef struct tsr_share_input {
    tsr_u64f64 moving_price;    /* get_moving_alpha_price: 1.0 for a stable subnet (see below) */
    tsr_u96f32 miner_burned;    /* MinerBurned from the previous distribution */
    tsr_u96f32 root_proportion; /* root_proportion(i) now; read by TSR_SHARES_RELEASE only */
    bool emission_enabled;      /* SubnetEmissionEnabled */
} tsr_share_input;

/* get_moving_alpha_price: 1.0 when stable (SubnetMechanism 0), else U64F64(SubnetMovingPrice),
 * i.e. negative -> 0 and saturating. spec bittensor §3.3 */
tsr_u64f64 tsr_moving_alpha_price(tsr_i96f32 moving_price, bool stable);

/* share_i for the n subnets to emit to, into share[0..n):
 *   p_i / sum p (saturating sum; U64F64 checked_div, 0 when it fails), weighted per the variant
 *   (products floor), renormalised by sum w when sum w > 0 (else the unweighted price shares);
 *   then, if any subnet has emission disabled, share_i / sum of enabled shares for enabled ones
 *   and 0 for disabled ones (all 0 when the enabled sum is 0).
 * TSR_EINVAL for NULL arrays with n > 0 or an unknown variant. spec bittensor §3.3 */
int tsr_coinbase_shares(const tsr_share_input *in, size_t n, tsr_share_variant variant,
                        tsr_u64f64 *share);
/* tao_emission = U96F32( U64F64(block_emission) (*) share ): the U64F64 product floors and the
 * conversion drops 32 fractional bits (floor). spec bittensor §3.3 */
tsr_u96f32 tsr_coinbase_tao_emission(uint64_t block_emission, tsr_u64f64 share);
/* get_network_root_sell_flag: sum of the emitting subnets' moving prices (as from
 * tsr_moving_alpha_price; saturating sum) > 1.0. NULL with n > 0 gives false. spec §3.5 */
bool tsr_root_sell_flag(const tsr_u64f64 *moving_prices, size_t n);

/* ---- subnet terms (spec bittensor §3.4) ---------------------------------------------------- */

typedef struct tsr_subnet_terms {
    tsr_u96f32 tao_in;     /* TAO injected into the pool */
    tsr_u96f32 alpha_in;   /* alpha injected into the pool */
    tsr_u96f32 alpha_out;  /* alpha minted for participants (= the alpha block emission) */
    tsr_u96f32 excess_tao; /* tao_emission - tao_in: TAO that buys alpha (chain buy) */
} tsr_subnet_terms;

/* get_subnet_terms for one subnet: price = U96F32(price) (floor of the U64F64 pool price; pass
 * 1.0 for a stable subnet), alpha_in = tao_emission / price (0 when the price is 0 or the
 * quotient overflows), cap = root_proportion (*) alpha_emission; when alpha_in > cap then
 * alpha_in = cap and tao_in = cap (*) price; excess = tao_emission - tao_in (saturating).
 * alpha_emission is tsr_block_emission_for_issuance(alpha issuance) of the subnet. TSR_EINVAL
 * for NULL out. spec bittensor §3.4 */
int tsr_coinbase_subnet_terms(tsr_u96f32 tao_emission, uint64_t alpha_emission, tsr_u64f64 price,
                              tsr_u96f32 root_proportion, tsr_subnet_terms *out);

/* ---- per-block alpha split (spec bittensor §3.5) ------------------------------------------- */

typedef struct tsr_alpha_split {
    tsr_u96f32 owner_cut;  /* alpha_out (*) cut, 0 when the owner cut is disabled */
    tsr_u96f32 server;     /* (alpha_out - owner_cut) (*) 0.5 */
    tsr_u96f32 validator;  /* ((alpha_out - owner_cut) - server) - root_alpha, saturating */
    tsr_u96f32 root_alpha; /* (root_proportion (*) (alpha_out - owner_cut)) (*) 0.5 */
} tsr_alpha_split;

/* The split of one block's alpha_out with the chain's products (each floors) and saturating
 * subtractions; the fractional parts are kept, the pending pools add floor() of each. cut is
 * tsr_u16_fraction(SubnetOwnerCut); root_proportion is the one computed after this block's
 * injection and minting. Defaults (cut 11796, root proportion 0) turn alpha_out 1e9 into
 * floors 179_995_422 / 410_002_288 / 410_002_288 / 0. TSR_EINVAL for NULL out. spec §3.5 */
int tsr_coinbase_alpha_split(tsr_u96f32 alpha_out, bool owner_cut_enabled, tsr_u96f32 cut,
                             tsr_u96f32 root_proportion, tsr_alpha_split *out);

/* ---- moving price (spec bittensor §3.8) ---------------------------------------------------- */

/* update_moving_price: b = U64F64(block - (first_emission_block - 1)) (saturating subtractions;
 * first_emission_block 0 means unset), alpha = U64F64(moving_alpha) (*) (b / (b + halving))
 * (safe_div), new = alpha (*) min(price, 1) + (1 - alpha) (*) tsr_moving_alpha_price(old,
 * stable), stored as I96F32 (floor). spec bittensor §3.8 */
tsr_i96f32 tsr_moving_price_update(tsr_i96f32 old_moving_price, bool stable, tsr_u64f64 price,
                                   uint64_t block, uint64_t first_emission_block,
                                   uint64_t halving_blocks, tsr_i96f32 moving_alpha);

/* ---- distribution arithmetic (spec bittensor §3.7) ----------------------------------------- */

/* The amount an epoch hands out: pending server + validator + root alpha (saturating; the owner
 * cut is paid separately). spec bittensor §3.7 */
uint64_t tsr_epoch_emission_total(uint64_t pending_server, uint64_t pending_validator,
                                  uint64_t pending_root_alpha);
/* The alpha shared by dividends: pending_validator, plus pending_server when the epoch's
 * incentives sum to 0 (validators then get the miners' half too). spec bittensor §3.7 */
uint64_t tsr_validator_pool(uint64_t pending_validator, uint64_t pending_server,
                            uint64_t incentive_sum);

/* One parent of a hotkey (get_parents: proportion of u64::MAX). */
typedef struct tsr_parent_stake {
    uint64_t proportion;  /* ChildKeys proportion, of u64::MAX */
    uint64_t alpha_stake; /* the parent's alpha on the subnet */
    uint64_t root_stake;  /* the parent's root stake */
    bool same_coldkey;    /* parent and child hotkeys have the same owning coldkey */
} tsr_parent_stake;

typedef struct tsr_child_dividend_input {
    uint64_t dividend;                 /* the hotkey's validator emission from the epoch */
    uint64_t alpha_stake;              /* the hotkey's own alpha on the subnet */
    uint64_t root_stake;               /* the hotkey's own root stake */
    const uint64_t *child_proportions; /* its children's proportions (of u64::MAX), or NULL */
    size_t n_children;                 /* entries of child_proportions */
    const tsr_parent_stake *parents;   /* its parents, in get_parents order, or NULL */
    size_t n_parents;                  /* entries of parents */
    tsr_u96f32 tao_weight;             /* tsr_u64_fraction(TaoWeight) */
    tsr_u96f32 ck_burn;                /* tsr_u64_fraction(CKBurn) */
    tsr_u96f32 childkey_take;          /* tsr_u16_fraction(max(ChildkeyTake, min)) */
} tsr_child_dividend_input;

/* get_parent_child_dividends_distribution: parent_out[k] (n_parents entries) gets floor of the
 * parent's share after CK burn and childkey take (both only when the coldkeys differ);
 * *child_out gets floor(remaining + sum of takes); *burned (may be NULL) gets the sum of
 * floor(CK burn) per parent, which the chain recycles. Self contribution = floor(alpha (*) r +
 * root (*) r (*) tao_weight) with r = 1 - sum children (saturating); parent contribution =
 * alpha_p (*) prop_p + root_p (*) prop_p (*) tao_weight; parent emission = dividend (*)
 * (contribution / total) (0 when total is 0). What the floors drop is lost (as on chain).
 * TSR_EINVAL for NULL required pointers. spec bittensor §3.7 step 2 */
int tsr_parent_child_dividends(const tsr_child_dividend_input *in, uint64_t *parent_out,
                               uint64_t *child_out, uint64_t *burned);

/* Splits a hotkey's dividend: root_prop = rho (*) tw / (alpha + rho (*) tw) (0 when that fails),
 * *root_div = dividend (*) root_prop, *alpha_div = dividend - *root_div. spec bittensor §3.7 step 3
 */
void tsr_dividend_root_split(tsr_u96f32 dividend, uint64_t alpha_stake, uint64_t root_stake,
                             tsr_u96f32 tao_weight, tsr_u96f32 *alpha_div, tsr_u96f32 *root_div);
/* payout_h = U96F32(pool) (*) (div_h / sum div) for h < n (saturating sum; a failed quotient
 * gives 0). The payouts are U96F32 (the chain floors them when it stakes them); their floors
 * sum to at most pool, the rest is not paid. TSR_EINVAL for NULL arrays with n > 0.
 * spec bittensor §3.7 step 3 */
int tsr_dividend_payouts(const tsr_u96f32 *div, size_t n, uint64_t pool, tsr_u96f32 *payout);
/* The hotkey take of a payout: *take = floor(take_fraction (*) amount), *rest = floor(amount -
 * that product) (the nominators' part). Either output may be NULL. spec bittensor §3.7 step 4 */
void tsr_take_split(tsr_u96f32 amount, tsr_u96f32 take_fraction, uint64_t *take, uint64_t *rest);
/* MinerBurned = U96F32(withheld) / U96F32(total incentive), 0 when total is 0. spec §3.7 */
tsr_u96f32 tsr_miner_burned(uint64_t withheld, uint64_t total_incentive);

/* ---- epoch draining (spec bittensor §3.6.2) ------------------------------------------------ */

typedef enum tsr_epoch_action {
    TSR_EPOCH_NONE = 0,     /* no epoch due at this block */
    TSR_EPOCH_RUN = 1,      /* pools drained: run the epoch and distribute them this block */
    TSR_EPOCH_DEFERRED = 2, /* due, but MaxEpochsPerBlock epochs already ran: PendingEpochAt =
                               block + 1 */
    TSR_EPOCH_SKIPPED = 3   /* due, but the keys are inconsistent: schedule advanced, pools kept */
} tsr_epoch_action;

/* The four pools taken by a drained epoch. */
typedef struct tsr_drained {
    uint64_t server;     /* PendingServerEmission */
    uint64_t validator;  /* PendingValidatorEmission */
    uint64_t root_alpha; /* PendingRootAlphaDivs */
    uint64_t owner_cut;  /* PendingOwnerCut */
} tsr_drained;

/* ---- block step state (spec bittensor §3.2) ------------------------------------------------ */

/* One non-root subnet as the coinbase reads and writes it. The caller owns an array of them in
 * ascending netuid order (the chain visits NetworksAdded in that order for netuid < 256). */
typedef struct tsr_subnet {
    uint16_t netuid; /* identifier; strictly ascending across the array, never 0 */
    /* eligibility: subnets_to_emit_to = first emission block set, subtoken and registration on */
    uint64_t first_emission_block; /* FirstEmissionBlockNumber; 0 = not started (no start_call) */
    bool subtoken_enabled;         /* SubtokenEnabled */
    bool registration_allowed;     /* NetworkRegistrationAllowed */
    bool emission_enabled;         /* SubnetEmissionEnabled: false = alpha only, no TAO share */
    bool stable;                   /* SubnetMechanism == 0: prices read as 1.0 */
    bool owner_cut_enabled;        /* OwnerCutEnabled */
    bool keys_consistent;          /* is_epoch_input_state_consistent (no duplicate hotkeys) */
    /* prices */
    tsr_i96f32 moving_price; /* SubnetMovingPrice (updated by tsr_coinbase_end_block) */
    tsr_u64f64 price;        /* current pool price (alpha in TAO), kept by the caller's pool */
    uint64_t ema_price_halving_blocks; /* EMAPriceHalvingBlocks */
    tsr_u96f32 miner_burned; /* MinerBurned, written by the caller after each distribution */
    tsr_u96f32 root_prop;    /* RootProp (written by tsr_coinbase_end_block) */
    /* pool and issuance, rao */
    uint64_t subnet_tao; /* SubnetTAO: TAO reserve */
    uint64_t alpha_in;   /* SubnetAlphaIn: alpha reserve */
    uint64_t alpha_out;  /* SubnetAlphaOut: outstanding alpha */
    /* pending pools, rao (accumulated every block, taken by a drained epoch) */
    uint64_t pending_server;     /* PendingServerEmission */
    uint64_t pending_validator;  /* PendingValidatorEmission */
    uint64_t pending_root_alpha; /* PendingRootAlphaDivs */
    uint64_t pending_owner_cut;  /* PendingOwnerCut */
    /* epoch schedule (spec §3.6.2) */
    uint16_t tempo;                     /* Tempo (0: never runs) */
    uint64_t last_epoch_block;          /* LastEpochBlock */
    uint64_t pending_epoch_at;          /* PendingEpochAt (0: none) */
    uint64_t blocks_since_last_step;    /* BlocksSinceLastStep */
    uint64_t epoch_index;               /* SubnetEpochIndex */
    uint64_t last_mechanism_step_block; /* LastMechansimStepBlock */
    /* registration */
    tsr_burn burn; /* Burn and its parameters (§3.10) */
    /* The block step's last root proportion and its inputs: it is asked up to three times a
    ** block (injection cap, split, RootProp) with inputs that rarely change in between. Written
    ** only by the block step; a copy of tsr_root_proportion's result, reused only for the same
    ** inputs, so it never changes a result. */
    bool rp_memo_valid;    /* the fields below hold a computed proportion */
    uint64_t rp_memo_root; /* its root TAO */
    uint64_t rp_memo_iss;  /* its alpha issuance */
    tsr_u96f32 rp_memo_tw; /* its TaoWeight fraction */
    tsr_u96f32 rp_memo;    /* tsr_root_proportion(rp_memo_root, rp_memo_tw, rp_memo_iss) */
    /* The alpha block emission of the halving-count range of the alpha issuance (the block
    ** step's, through tsr_block_emission_memo: the same results, without the divisions and the
    ** logarithm in the blocks between halvings). Zeroed by tsr_subnet_init. */
    tsr_emission_memo ae_memo;
} tsr_subnet;

/* Chain-wide state and parameters of the block step. */
typedef struct tsr_chain {
    uint64_t block;                  /* the block being produced (caller advances it) */
    uint64_t total_issuance;         /* TotalIssuance, rao (minted and recycled by the step) */
    uint64_t total_stake;            /* TotalStake, rao (increased by TAO injections) */
    uint64_t root_tao;               /* SubnetTAO of the root subnet */
    uint64_t tao_weight;             /* TaoWeight (of u64::MAX) */
    uint16_t subnet_owner_cut;       /* SubnetOwnerCut (of 65535) */
    uint16_t max_epochs_per_block;   /* MaxEpochsPerBlock */
    tsr_share_variant shares;        /* TSR_SHARES_MAIN (the spec's default) or _RELEASE */
    tsr_i96f32 subnet_moving_alpha;  /* SubnetMovingAlpha */
    tsr_issuance_params issuance;    /* TAO and alpha emission schedule (§3.1) */
    tsr_emission_memo emission_memo; /* the block step's TAO emission range (zeroed by
                                     ** tsr_chain_default; see tsr_subnet.ae_memo) */
} tsr_chain;

/* What one block did to one subnet (the caller's ledger/pool apply or record these). */
typedef struct tsr_subnet_flow {
    bool emitting;                /* in subnets_to_emit_to this block */
    tsr_u64f64 share;             /* final TAO share (§3.3) */
    tsr_u96f32 tao_emission;      /* TAO emission (§3.3) */
    tsr_subnet_terms terms;       /* §3.4 */
    tsr_u96f32 root_prop_before;  /* root proportion used for the injection cap */
    tsr_u96f32 root_prop_after;   /* root proportion used for the split (§3.4 "two per block") */
    tsr_alpha_split split;        /* §3.5, fractional */
    uint64_t tao_injected;        /* floor(tao_in): added to subnet_tao and total_stake */
    uint64_t alpha_injected;      /* floor(alpha_in): minted into alpha_in */
    uint64_t excess_tao;          /* floor(excess_tao): the caller buys alpha with it, fee-free */
    uint64_t alpha_minted;        /* floor(alpha_out): minted into alpha_out */
    uint64_t owner_cut;           /* floor(owner cut) added to pending_owner_cut */
    uint64_t server;              /* floor(server) added to pending_server */
    uint64_t validator;           /* floor(validator) added to pending_validator */
    uint64_t root_alpha;          /* floor(root alpha): pending (root sell) or recycled */
    uint64_t root_alpha_recycled; /* root_alpha when the root sell flag is off, else 0 */
    uint64_t alpha_dust;          /* alpha_minted minus the four floors: minted, owned by nobody */
    tsr_epoch_action epoch;       /* what drain_pending did (§3.6.2) */
    tsr_drained drained;          /* the pools taken when epoch == TSR_EPOCH_RUN, else zeros */
    uint64_t epoch_emission;      /* tsr_epoch_emission_total of the drained pools */
} tsr_subnet_flow;

/* Block totals. */
typedef struct tsr_block_report {
    uint64_t block_emission; /* get_block_emission_for_issuance(TotalIssuance) */
    uint64_t tao_minted;     /* block_emission capped by max_issuance - TotalIssuance */
    uint64_t tao_injected;   /* sum of tao_injected */
    uint64_t tao_excess;     /* sum of excess_tao (handed to the caller's pool buys) */
    uint64_t tao_recycled;   /* minted - injected - excess: TotalIssuance decreases by it */
    bool root_sell;          /* the root sell flag of this block */
    size_t n_emitting;       /* subnets emitted to */
    size_t epochs_run;       /* subnets drained this block */
} tsr_block_report;

/* Chain defaults: tao weight, owner cut 11796, MaxEpochsPerBlock 2, main share variant,
 * SubnetMovingAlpha 0.000003, default issuance schedule; block, issuances, stakes 0.
 * TSR_EINVAL for NULL. */
int tsr_chain_default(tsr_chain *c);
/* A subnet as do_register_network + start_call leave it: netuid, tempo 360, default burn (1 TAO,
 * default parameters), FirstEmissionBlockNumber = first_emission_block (0 = start_call not yet
 * made; SubtokenEnabled follows it), registration, TAO emission and owner cut enabled, dynamic
 * (not stable), keys consistent, moving price 0, price 1.0, halving 201_600, pool reserves as
 * given, LastEpochBlock = registered_block - (netuid mod tempo) (saturating). The chain keeps
 * SubnetEmissionEnabled false right after registration (spec §3.10); set emission_enabled =
 * false to model a subnet that has not been granted TAO emission. TSR_EINVAL for NULL or
 * netuid 0. */
int tsr_subnet_init(tsr_subnet *s, uint16_t netuid, uint64_t registered_block,
                    uint64_t first_emission_block, uint64_t subnet_tao, uint64_t alpha_in);

/* True when s is in subnets_to_emit_to. */
bool tsr_subnet_emits(const tsr_subnet *s);
/* SubnetAlphaIn + SubnetAlphaOut (saturating): the issuance that drives the subnet's halving and
 * its root proportion. */
uint64_t tsr_subnet_alpha_issuance(const tsr_subnet *s);

/* §3.2 steps 1, 2 and 4 for block c->block, as described at the top of this header. Updates c
 * and every s[i]; writes flow[0..n) and *rep (rep may be NULL). Returns TSR_OK, or TSR_EINVAL
 * (NULL arrays with n > 0, netuids not strictly ascending or 0, unknown share variant) before
 * changing anything. */
int tsr_coinbase_begin_block(tsr_chain *c, tsr_subnet *s, size_t n, tsr_subnet_flow *flow,
                             tsr_block_report *rep);
/* §3.2 steps 5 and 6 after the caller's pool buys, epochs and distributions of the block:
 * LastMechansimStepBlock = block for subnets whose flow says TSR_EPOCH_RUN, then the moving
 * price and RootProp of every emitting subnet. flow must be the begin_block output of the same
 * block. TSR_EINVAL for NULL arguments with n > 0. */
int tsr_coinbase_end_block(const tsr_chain *c, tsr_subnet *s, const tsr_subnet_flow *flow,
                           size_t n);

/* drain_pending on its own (also run by begin_block): visits s[0..n) in order, increments
 * BlocksSinceLastStep, and for every subnet whose epoch is due (tsr_should_run_epoch) drains,
 * defers or skips it as tsr_epoch_action says, writing action[i] and drained[i] (zeros unless
 * drained). Returns TSR_OK or TSR_EINVAL. spec bittensor §3.6.2 */
int tsr_coinbase_drain_pending(uint64_t block, uint16_t max_epochs_per_block, tsr_subnet *s,
                               size_t n, tsr_epoch_action *action, tsr_drained *drained);

#endif /* TSR_COINBASE_H */
