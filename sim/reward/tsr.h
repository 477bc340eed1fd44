/* tsr.h: the tokensim reward core, umbrella header.
 *
 * The reward core settles every token movement of a tokensim run and reproduces the Bittensor
 * chain's reward arithmetic bit for bit (../shared/spec/bittensor.md). It is pure C11 with no
 * dependency beyond the C standard library: no floating point, no I/O, no globals (constant
 * tables only), no allocation except through the ledger's optional allocator hook; every
 * function is reentrant. Public names start with tsr_ (internal non-static ones with tsr__).
 *
 *   tsr_err.h       status codes (0 ok, negative error) and tsr_strerror()
 *   tsr_int.h       portable 128/256-bit integers
 *   tsr_fixed.h     I32F32, I64F64, I96F32, U96F32, U64F64 with substrate-fixed semantics
 *   tsr_emission.h  halving schedules, Bittensor block emission, epoch scheduling
 *   tsr_split.h     exact pro-rata split with largest remainders
 *   tsr_ledger.h    balances with conservation
 *   tsr_math.h      Yuma epoch vector/matrix helpers (dense and sparse)
 *   tsr_burn.h      registration burn dynamics, immunity and pruning
 *   tsr_basefee.h   the EIP-1559 base fee: demand-responsive burn, update and payment split
 *   tsr_coinbase.h  per-block coinbase, pending pools, epoch draining, distribution arithmetic
 *   tsr_pool.h      subnet pool: price, constant-product swap, swap fee, sale/buy/claim quotes
 *   tsr_yuma.h      the Yuma Consensus epoch and mechanism aggregation
 *   tsr_settle.h    settlement primitives: a*b/c, ppb rates, Drips cumulative split, rank weights
 *   tsr_compete.h   staked competition settlement (bitgrit tiers, forfeits, prizes)
 *   tsr_numerai.h   the Numerai payout rule
 *   tsr_community.h vesting schedules and the community-minting throttle
 *   tsr_aigen.h     AiGen epoch: fee split, kappa-median scores, developer/validator rewards
 *   tsr_cflow.h     C-Flow royalty graph (LAP/LRP propagation, Drips rounding, Shapley)
 */
#ifndef TSR_H
#define TSR_H

#define TSR_VERSION_MAJOR 0
#define TSR_VERSION_MINOR 1
#define TSR_VERSION_PATCH 0
#define TSR_VERSION       "0.1.0"

#include "tsr_err.h"
#include "tsr_int.h"
#include "tsr_fixed.h"
#include "tsr_emission.h"
#include "tsr_split.h"
#include "tsr_ledger.h"
#include "tsr_math.h"
#include "tsr_burn.h"
#include "tsr_basefee.h"
#include "tsr_coinbase.h"
#include "tsr_pool.h"
#include "tsr_yuma.h"
#include "tsr_settle.h"
#include "tsr_compete.h"
#include "tsr_numerai.h"
#include "tsr_community.h"
#include "tsr_aigen.h"
#include "tsr_cflow.h"

/* The library's version string, TSR_VERSION of the build that produced it. */
const char *tsr_version(void);

#endif /* TSR_H */
