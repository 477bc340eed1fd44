/* tsr_compete.h: settlement of one staked AI competition (bitgrit, spec mechanisms §1.2).
 *
 * Entrants lock a stake; after scoring, completed entries carry ranks 1..M (M = completed
 * count) and incomplete ones rank 0. Tiers by rank r:
 *   T1 winners          r <= W                    stake back, prize share, bonus share
 *   T2 "most"           W < r <= floor(q_keep*M)  stake back
 *   T3 low-ranked       r > max(W, floor(q_keep*M))   forfeit floor(stake * f_low)
 *   T4 incomplete       rank 0                    forfeit floor(stake * f_inc)
 * Forfeit pool F = sum of forfeits: floor(F * rho) to the community reserve, F - that burned.
 * Prize (sponsor's currency, its own units): fee floor(P * phi) to the platform, the net split
 * over the k = min(W, M) winners by the rank weights w_1..w_k with the Drips cumulative rule
 * (denominator w_1 + ... + w_k, so it is handed out exactly). No winner: nothing is charged and
 * the whole prize stays with the sponsor (prize_unpaid). The BGR bonus is split the same way.
 *
 * Conservation (checked by the function before it returns, TSR_ECORRUPT otherwise):
 *   locked   = returned + forfeited,   forfeited = reserve + burned,
 *   prize    = fee + prize_paid + prize_unpaid,   bonus = bonus_paid + bonus_unpaid.
 * Cost O(n + W); no allocation.
 */
#ifndef TSR_COMPETE_H
#define TSR_COMPETE_H

#include <stddef.h>
#include <stdint.h>

#define TSR_COMPETE_MAX_WINNERS 256 /* upper bound on W */

typedef enum tsr_tier {
    TSR_TIER_WINNER = 1,     /* T1 */
    TSR_TIER_KEEP = 2,       /* T2 */
    TSR_TIER_LOW = 3,        /* T3 */
    TSR_TIER_INCOMPLETE = 4, /* T4 */
} tsr_tier;

typedef struct tsr_compete_rules {
    uint32_t winners;             /* W, 0..TSR_COMPETE_MAX_WINNERS */
    uint32_t keep_ppb;            /* q_keep: share of completed entries kept whole */
    uint32_t forfeit_low_ppb;     /* f_low (T3) */
    uint32_t forfeit_inc_ppb;     /* f_inc (T4) */
    uint32_t reserve_ppb;         /* rho: share of the forfeit pool kept in the reserve */
    uint32_t fee_ppb;             /* phi: platform fee on the prize */
    const uint64_t *rank_weights; /* W weights for ranks 1..W (any scale, each > 0) */
} tsr_compete_rules;

typedef struct tsr_compete_entry {
    uint64_t stake; /* BGR units locked at entry */
    uint32_t rank;  /* 1..M among completed entries (distinct for r <= W), 0 = incomplete */
} tsr_compete_entry;

typedef struct tsr_compete_payout {
    uint8_t tier;       /* tsr_tier */
    uint64_t returned;  /* stake handed back */
    uint64_t forfeited; /* stake kept by the competition */
    uint64_t prize;     /* prize share (sponsor currency units) */
    uint64_t bonus;     /* BGR bonus share */
} tsr_compete_payout;

typedef struct tsr_compete_totals {
    uint32_t completed;            /* M */
    uint32_t keep_cut;             /* floor(q_keep * M) */
    uint64_t locked;               /* sum of stakes */
    uint64_t returned;             /* stake handed back */
    uint64_t forfeited;            /* F */
    uint64_t reserve;              /* floor(F * rho) */
    uint64_t burned;               /* F - reserve */
    uint64_t forfeited_by_tier[5]; /* index tsr_tier (T3, T4 non-zero) */
    uint64_t fee;                  /* platform fee */
    uint64_t prize_paid;           /* sum of prize shares */
    uint64_t prize_unpaid;         /* prize left with the sponsor */
    uint64_t bonus_paid;           /* sum of bonus shares */
    uint64_t bonus_unpaid;         /* bonus not released (no winner) */
} tsr_compete_totals;

/* Settle n entries: out[i] for entries[i], totals into *tot. TSR_EINVAL for NULL pointers
 * (n > 0), a rank above M, a winning rank r <= min(W, M) held by none or by several entries,
 * or a zero rank weight; TSR_ERANGE for a rate above 1e9 or W above the maximum;
 * TSR_EOVERFLOW when the stakes sum above 2^64 - 1. Nothing is written on error except out[]. */
int tsr_compete_settle(const tsr_compete_rules *rules, const tsr_compete_entry *entries, size_t n,
                       uint64_t prize, uint64_t bonus, tsr_compete_payout *out,
                       tsr_compete_totals *tot);

#endif /* TSR_COMPETE_H */
