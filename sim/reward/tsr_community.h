/* tsr_community.h: vesting schedules and the community-minting throttle (spec mechanisms §1.2
 * items 4 and 6, §1.1 allocation table).
 *
 * Vesting: a bucket of `total` units with a cliff of `cliff` periods and linear vesting over
 * `duration` periods that starts when the cliff ends: vested(t) = 0 for t < cliff, else
 * floor(total * min(t - cliff, duration) / duration) (duration 0 vests everything at the cliff).
 * Reading of the allocation table's "cliff / vesting" columns: the vesting clock starts at the
 * cliff, so "6 mo / 32 mo" ends at month 38. The community bucket has no cliff, so its
 * 40 % x 10^10 BGR over 32 months vests 125,000,000 BGR per month exactly (the §1.2 figure).
 *
 * Throttle: claims of one period, each an action type's nominal reward m and a count of
 * accepted actions, against the period's budget E (vested but not yet issued, carried over):
 * with C = sum(m * count), the payout factor is min(1, E / C) and each action receives
 * floor(m * E / C) (m itself when C <= E). The units of E not paid stay in the budget.
 */
#ifndef TSR_COMMUNITY_H
#define TSR_COMMUNITY_H

#include <stddef.h>
#include <stdint.h>

/* Units of `total` vested after t periods (see above). */
uint64_t tsr_vested_linear(uint64_t total, uint64_t cliff, uint64_t duration, uint64_t t);

typedef struct tsr_mint_claim {
    uint64_t nominal; /* m_a: nominal reward per accepted action, units */
    uint64_t count;   /* accepted actions of this claimant and type */
} tsr_mint_claim;

typedef struct tsr_mint_totals {
    uint64_t claimed;    /* C = sum(m * count) */
    uint64_t paid;       /* sum of payouts, <= budget */
    uint64_t carry;      /* budget - paid, for the next period */
    uint64_t factor_ppb; /* floor(min(1, E / C) * 1e9) for reporting (1e9 when C = 0) */
} tsr_mint_totals;

/* Pay n claims against `budget`: paid[i] = count_i * (m_i when C <= E, else
 * floor(m_i * E / C)). TSR_EINVAL for NULL pointers (n > 0); TSR_EOVERFLOW when C does not fit
 * in 64 bits. */
int tsr_mint_throttle(uint64_t budget, const tsr_mint_claim *claims, size_t n, uint64_t *paid,
                      tsr_mint_totals *tot);

#endif /* TSR_COMMUNITY_H */
