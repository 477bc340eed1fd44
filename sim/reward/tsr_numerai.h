/* tsr_numerai.h: the Numerai payout rule in integer form (spec mechanisms §2.1, §2.7).
 *
 *   pf_ppb    = min(1e9, floor(T * 1e9 / total_at_risk))      (1e9 when nothing is at risk)
 *   score_ppb = trunc(cm_num * corr_ppb / cm_den) + trunc(mm_num * mmc_ppb / mm_den)
 *   x_ppb     = clamp(trunc(pf_ppb * score_ppb / 1e9), -clip_ppb, +clip_ppb)
 *   payout    = trunc(stake * x_ppb / 1e9)          negative => burned from the stake
 *
 * "trunc" rounds toward zero (C division; spec §0 for signed quantities). A model's stake is at
 * risk only with a valid on-time submission (invalid ones have stake 0 for the round: no payout,
 * no effect on the payout factor). A burn never exceeds the stake (it cannot while
 * clip_ppb <= 1e9, which the rules require). Intermediates are 128-bit; no allocation.
 */
#ifndef TSR_NUMERAI_H
#define TSR_NUMERAI_H

#include <stddef.h>
#include <stdint.h>

typedef struct tsr_numerai_rules {
    uint64_t threshold; /* stake threshold T (units; 72,000 NMR for Classic) */
    int64_t corr_num;   /* CORR multiplier numerator (0.5 = 1/2) */
    int64_t corr_den;   /* CORR multiplier denominator (> 0) */
    int64_t mmc_num;    /* MMC multiplier numerator (2 = 2/1) */
    int64_t mmc_den;    /* MMC multiplier denominator (> 0) */
    uint32_t clip_ppb;  /* payout cap per round, both signs (5 % = 50,000,000), <= 1e9 */
} tsr_numerai_rules;

typedef struct tsr_numerai_model {
    uint64_t stake;   /* stake value at the round's close (units) */
    int valid;        /* 1 with a valid on-time submission, else 0 (stake not at risk) */
    int64_t corr_ppb; /* CORR score, ppb, |corr| <= 1e9 */
    int64_t mmc_ppb;  /* MMC score, ppb, |mmc| <= 1e9 */
} tsr_numerai_model;

typedef struct tsr_numerai_totals {
    uint64_t at_risk;   /* total_at_risk */
    uint64_t pf_ppb;    /* payout factor */
    uint64_t paid;      /* sum of positive payouts (from the treasury) */
    uint64_t burned;    /* sum of burns (from stakes) */
    uint32_t clip_hits; /* models whose x_ppb was clamped */
} tsr_numerai_totals;

/* Payout factor alone: min(1e9, floor(threshold * 1e9 / at_risk)), 1e9 when at_risk == 0. */
uint64_t tsr_numerai_payout_factor(uint64_t threshold, uint64_t at_risk);

/* Settle one round: payout[i] (signed units) for models[i]; totals into *tot. TSR_EINVAL for
 * NULL pointers, a non-positive denominator or a score outside +-1e9; TSR_ERANGE for clip_ppb
 * above 1e9; TSR_EOVERFLOW when the at-risk stakes or the totals exceed 2^64 - 1, or a stake
 * exceeds 2^63 - 1. */
int tsr_numerai_round(const tsr_numerai_rules *rules, const tsr_numerai_model *models, size_t n,
                      int64_t *payout, tsr_numerai_totals *tot);

#endif /* TSR_NUMERAI_H */
