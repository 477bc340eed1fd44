/* tsr_basefee.h: a demand-responsive burn, the EIP-1559 base fee (spec mechanisms §5.2).
 *
 * Each block (here: each settlement period) has a usage target. The base fee of the next period
 * moves from the current one by at most 1/denominator (8 on Ethereum) of itself, in proportion to
 * how far the usage was above or below the target, with Ethereum's integer rounding:
 *   used == target: unchanged;
 *   used >  target: base + max(base * (used - target) // target // denominator, 1);
 *   used <  target: base - base * (target - used) // target // denominator;
 * where // is floor division, taken in that order (the product is exact in 128 bits). Every unit
 * of usage pays base + priority; usage * base is burned and usage * priority goes to the producer,
 * priority = min(max_priority, max_fee - base), and a payment whose max_fee is below the base fee
 * is invalid. Pure, reentrant, O(1), no allocation; no floating point.
 */
#ifndef TSR_BASEFEE_H
#define TSR_BASEFEE_H

#include <stdint.h>

#define TSR_BASEFEE_INITIAL     UINT64_C(1000000000) /* INITIAL_BASE_FEE, in base units */
#define TSR_BASEFEE_DENOMINATOR 8u                   /* BASE_FEE_MAX_CHANGE_DENOMINATOR */
#define TSR_BASEFEE_ELASTICITY  2u                   /* ELASTICITY_MULTIPLIER: limit / target */

/* The next period's base fee into *next from this period's base fee and usage against target,
 * as above; a rise saturates at UINT64_MAX. TSR_EINVAL for target 0 or denominator 0 (*next
 * untouched). spec mechanisms §5.2 */
int tsr_basefee_next(uint64_t base, uint64_t used, uint64_t target, uint32_t denominator,
                     uint64_t *next);

/* One payment of `usage` units at base fee `base` with the payer's caps max_fee and
 * max_priority (per unit): *burned = usage * base, *tip = usage * priority, *total = their sum.
 * TSR_EINVAL when max_fee < base (the payment is not valid), TSR_EOVERFLOW when a product
 * passes UINT64_MAX (outputs untouched). spec mechanisms §5.2 */
int tsr_basefee_pay(uint64_t usage, uint64_t base, uint64_t max_fee, uint64_t max_priority,
                    uint64_t *burned, uint64_t *tip, uint64_t *total);

#endif /* TSR_BASEFEE_H */
