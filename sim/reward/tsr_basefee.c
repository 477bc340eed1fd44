/* tsr_basefee.c: the EIP-1559 base fee update and payment split (tsr_basefee.h). */
#include <stddef.h>

#include "tsr_basefee.h"
#include "tsr_err.h"
#include "tsr_int.h"

/* floor(floor(base * diff / target) / denominator); saturated to UINT64_MAX when it does not
 * fit (diff < 2^64 and base < 2^64, so the product is exact in 128 bits). */
static uint64_t step(uint64_t base, uint64_t diff, uint64_t target, uint32_t denominator)
{
    tsr_u128 q;
    (void)tsr_u128_divmod(tsr_u128_mul64(base, diff), tsr_u128_from_u64(target), &q, NULL);
    (void)tsr_u128_divmod(q, tsr_u128_from_u64(denominator), &q, NULL);
    return q.hi ? UINT64_MAX : q.lo;
}

int tsr_basefee_next(uint64_t base, uint64_t used, uint64_t target, uint32_t denominator,
                     uint64_t *next)
{
    if (!next || target == 0 || denominator == 0)
        return TSR_EINVAL;
    if (used == target) {
        *next = base;
    } else if (used > target) {
        uint64_t d = step(base, used - target, target, denominator);
        d = d ? d : 1;
        *next = base > UINT64_MAX - d ? UINT64_MAX : base + d;
    } else {
        /* (target - used) < target, so the step is below base / denominator <= base */
        *next = base - step(base, target - used, target, denominator);
    }
    return TSR_OK;
}

int tsr_basefee_pay(uint64_t usage, uint64_t base, uint64_t max_fee, uint64_t max_priority,
                    uint64_t *burned, uint64_t *tip, uint64_t *total)
{
    if (!burned || !tip || !total || max_fee < base)
        return TSR_EINVAL;
    uint64_t priority = max_fee - base < max_priority ? max_fee - base : max_priority;
    tsr_u128 b = tsr_u128_mul64(usage, base), t = tsr_u128_mul64(usage, priority);
    if (b.hi || t.hi || b.lo > UINT64_MAX - t.lo)
        return TSR_EOVERFLOW;
    *burned = b.lo, *tip = t.lo, *total = b.lo + t.lo;
    return TSR_OK;
}
