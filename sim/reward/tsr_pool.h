/* tsr_pool.h: a subnet's TAO/alpha pool: its price, the constant-product swap, the swap fee and
 * the quotes of the chain's pool operations (spec bittensor §3.9, with §3.5, §3.7 and §3.10).
 *
 * Model. The chain's pool is a Balancer pool (§3.9) whose weight arithmetic is not ported (spec
 * §5 item 3). This module is its equal-weight case (w1 = w2 = 0.5), where the Balancer formulas
 * reduce to the constant product: with x = SubnetAlphaIn and y = SubnetTAO,
 *   price = y / x                        (§3.9: (w1/w2) (*) (y/x) with w1/w2 = 1),
 *   sell of dx alpha: dy = y dx / (x + dx)   (§3.9: y (1 - (x/(x+dx))^1)),
 *   buy with dy TAO:  dx = x dy / (y + dy).
 * Injections at the pool price keep the weights at 0.5 up to rounding, which is why the
 * equal-weight case is the one that matters. The chain evaluates the powers with a 1e18-scale
 * big-number routine, so its last unit can differ from the exact floors computed here.
 *
 * Rounding. The price is a U64F64 quotient that truncates; every swap output is
 * floor(out_reserve * in / (in_reserve + in)) with a 128-bit numerator and denominator, so it
 * never overflows, and it leaves at least one unit of a non-empty output reserve whenever the
 * input reserve is non-empty; the fee is floor(x * TSR_POOL_FEE_RATE / 65535). What a floor
 * drops stays in the pool (the fee's floor: with the payer).
 *
 * The quotes compute, and change nothing; the caller moves the tokens (ledger transfers) and then
 * updates the reserves in its tsr_subnet as each quote's comment says. Everything is pure and
 * reentrant, O(1), no allocation: a swap costs one 64 x 64 product and one 128-bit division.
 */
#ifndef TSR_POOL_H
#define TSR_POOL_H

#include <stdbool.h>
#include <stdint.h>

#include "tsr_coinbase.h"
#include "tsr_fixed.h"

/* ---- parameters (spec bittensor §3.9, §3.12) ------------------------------------------------ */

#define TSR_POOL_FEE_RATE    33u               /* swap FeeRate, of 65535 (about 0.05%) */
#define TSR_POOL_FEE_DENOM   65535u            /* FeeRate's denominator */
#define TSR_POOL_MIN_RESERVE UINT64_C(1000000) /* MinimumReserve of a swap's output side, rao */
#define TSR_POOL_MIN_STAKE   UINT64_C(2000000) /* DefaultMinStake, rao */

/* ---- price and swap (spec bittensor §3.9) -------------------------------------------------- */

/* The pool price, TAO per alpha: U64F64(tao_reserve) / U64F64(alpha_reserve), truncating to
 * 64 fractional bits (raw floor(tao_reserve 2^64 / alpha_reserve)); 0 when alpha_reserve is 0
 * (an empty pool has no price). It never saturates: with 64-bit reserves the quotient is at most
 * tao_reserve < 2^64, inside the U64F64 range. One 128-bit division. spec bittensor §3.9
 * (price = (w1/w2) (*) (y/x), w1 = w2), read by the subnet terms (§3.4) and the moving price
 * (§3.8) */
tsr_u64f64 tsr_pool_price(uint64_t tao_reserve, uint64_t alpha_reserve);
/* s->price = tsr_pool_price(s->subnet_tao, s->alpha_in): call it after every reserve change. */
void tsr_pool_set_price(tsr_subnet *s);

/* Constant-product output of a swap of `in` into the pool:
 * floor(out_reserve * in / (in_reserve + in)), computed in 128 bits; 0 when in_reserve + in is 0.
 * The result is below out_reserve whenever in_reserve > 0. spec bittensor §3.9 */
uint64_t tsr_pool_swap_out(uint64_t in_reserve, uint64_t out_reserve, uint64_t in);

/* The swap fee of an input x: floor(x * TSR_POOL_FEE_RATE / 65535), exact for every u64 x
 * (computed as 33 floor(x / 65535) + floor(33 (x mod 65535) / 65535), no 128-bit product).
 * spec bittensor §3.9 (add_stake: the fee is taken from the input) */
uint64_t tsr_pool_fee(uint64_t x);

/* ---- quotes ---------------------------------------------------------------------------------- */

/* A sale of alpha into the pool for TAO. */
typedef struct tsr_pool_sale {
    uint64_t fee;     /* alpha fee taken from the amount (0 for a root claim) */
    uint64_t net;     /* amount - fee: the alpha swapped for the seller */
    uint64_t tao_out; /* TAO to the seller: the swap of net */
    uint64_t fee_tao; /* TAO the fee's alpha swaps for, fee-free, after the seller's swap */
    bool refused;     /* amount 0, or the TAO reserve would end below TSR_POOL_MIN_RESERVE */
} tsr_pool_sale;

/* A purchase of alpha from the pool with TAO. */
typedef struct tsr_pool_buy {
    uint64_t fee;       /* TAO fee taken from the input (0 for the chain buy) */
    uint64_t net;       /* input - fee: the TAO swapped into the pool */
    uint64_t alpha_out; /* alpha out of the pool: the swap of net */
} tsr_pool_buy;

/* remove_stake of `amount` alpha (spec bittensor §3.9): with x = s->alpha_in, y = s->subnet_tao,
 *   fee = tsr_pool_fee(amount), net = amount - fee,
 *   tao_out = floor(y net / (x + net)),
 *   fee_tao = floor((y - tao_out) fee / (x + net + fee))   (the fee is paid in alpha and swapped
 *             fee-free to TAO for the block author, after the seller's swap),
 *   refused = amount == 0 or y - tao_out - fee_tao < TSR_POOL_MIN_RESERVE (the swap fails: the
 *             TAO reserve may not end below MinimumReserve, so a pool already below it refuses
 *             every sale).
 * When not refused the caller moves `amount` alpha into the pool (alpha_in += amount,
 * alpha_out -= amount) and tao_out + fee_tao TAO out of it. The minimum-stake rule is
 * tsr_pool_sale_below_min_stake; limit prices are not modelled.
 * Two swaps (two 128-bit divisions). TSR_EINVAL for NULL; TSR_EOVERFLOW when alpha_in + amount
 * exceeds 2^64 - 1 (*out untouched in both cases). */
int tsr_pool_sale_quote(const tsr_subnet *s, uint64_t amount, tsr_pool_sale *out);

/* remove_stake's minimum (spec bittensor §3.9: "unless the whole position is removed, the TAO
 * out must be >= min stake"): true when a sale of `amount` alpha from a position holding
 * `position` leaves part of it and pays the seller less than TSR_POOL_MIN_STAKE (the chain then
 * refuses the call). O(1). */
bool tsr_pool_sale_below_min_stake(const tsr_pool_sale *q, uint64_t amount, uint64_t position);

/* A root claim of type Swap (spec bittensor §3.7 step 4): `amount` alpha of root dividends sold
 * fee-free. As tsr_pool_sale_quote with fee = fee_tao = 0 and net = amount: tao_out =
 * floor(y amount / (x + amount)), refused = amount == 0 or y - tao_out < TSR_POOL_MIN_RESERVE.
 * One swap. TSR_EINVAL for NULL; TSR_EOVERFLOW when alpha_in + amount exceeds 2^64 - 1. The
 * caller moves the alpha and TAO as for a sale. */
int tsr_pool_root_claim_quote(const tsr_subnet *s, uint64_t amount, tsr_pool_sale *out);

/* A purchase of alpha with `tao` TAO, fee included: the registration burn's swap (spec bittensor
 * §3.10 step 1, "swapped into alpha through the pool (with fees)"; the fee rule is add_stake's,
 * §3.9): fee = tsr_pool_fee(tao), net = tao - fee, alpha_out = floor(x net / (y + net)). Never
 * refused: add_stake's MinimumReserve, minimum stake and 1000 x reserve input limit are not
 * applied to it (with y = 0 it takes the whole alpha reserve). The caller adds net to subnet_tao
 * and takes alpha_out from alpha_in. One swap. TSR_EINVAL for NULL; TSR_EOVERFLOW when
 * subnet_tao + tao exceeds 2^64 - 1. */
int tsr_pool_buy_quote(const tsr_subnet *s, uint64_t tao, tsr_pool_buy *out);

/* The chain buy of a block's excess TAO (spec bittensor §3.5 step 2): fee-free ("fees
 * dropped"), never refused, and made before step 3 injects tao_injected TAO and alpha_injected
 * alpha, so it is priced from the reserves without them although s already holds them (the
 * coinbase, tsr_coinbase_begin_block, has added them): with y0 = subnet_tao - tao_injected and
 * x0 = alpha_in - alpha_injected,
 *   out->fee = 0, out->net = tao, out->alpha_out = floor(x0 tao / (y0 + tao)).
 * The caller mints tao into subnet_tao and moves alpha_out from alpha_in to alpha_out (the
 * protocol's outstanding alpha). One swap. TSR_EINVAL for NULL or an injection larger than the
 * reserve that should hold it; TSR_EOVERFLOW when subnet_tao + tao exceeds 2^64 - 1. */
int tsr_pool_chain_buy_quote(const tsr_subnet *s, uint64_t tao, uint64_t tao_injected,
                             uint64_t alpha_injected, tsr_pool_buy *out);

#endif /* TSR_POOL_H */
