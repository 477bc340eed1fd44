/*
** bg_model.h: models "bitgrit" and "numerai" — staked AI competitions as events (announce, entry
** window, submission deadline, scoring and settlement) entered by scientists with latent skill
** and effort, settled by tiered forfeits or, as the alternative, the Numerai rule; sponsor
** prizes and BGR bonuses, a job board that burns deposits on hire, community minting throttled
** by the vesting budget (with a Sybil farmer), and the Numerai tournament itself as the published
** analogue (spec mechanisms §1, §2; scenarios/BITGRIT.md).
**
** Ticks are days (t = day * 86400 s). Agents decide (entry, hiring, community actions, Numerai
** scores); every token movement is settled by the reward core (tsr_compete_settle,
** tsr_mint_throttle, tsr_vested_linear, tsr_numerai_round) and booked on a tsr_ledger whose
** conservation is checked at every settlement: a violation fails the run naming the event and
** the amounts. Randomness comes only from rng.h streams keyed by (seed, run, entity, purpose)
** with the event (competition, day, month, round) as counter.
**
** Cost per simulated day: O(active employers); per competition O(n log n) in the scientists;
** per month O(members * 7 + farm identities); per Numerai round O(models log models).
**
** The Sybil farmer is an attack switchable mid-run: it acts on the days of [farm_start,
** farm_stop) only (stop 0: never), and its payoff and cost are the attack.sybil.* series
** (bg_community.c).
*/
#ifndef TOKENSIM_BG_MODEL_H
#define TOKENSIM_BG_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "recorder.h"
#include "sim.h"

#define BG_MAX_WINNERS 64u /* W and fixed split entries */
#define BG_ACTIONS     7u  /* upload, review, scoring, dataset, plagiarism, article, education */
#define BG_REVIEW      1u  /* index of the review action (what the Sybil farmer does) */

typedef enum { BG_MODE_COMPETITIONS = 0, BG_MODE_NUMERAI = 1 } bg_mode;

typedef struct bg_comp_config {
    uint32_t interval;          /* days between announcements */
    uint32_t entry_days;        /* announcement to stake lock */
    uint32_t duration_days;     /* announcement to deadline and settlement (>= entry_days) */
    uint64_t stake;             /* median stake s_c, units */
    double stake_spread;        /* lognormal sigma of s_c per competition */
    uint64_t prize_usd;         /* median prize P_c, USD units */
    double prize_spread;        /* lognormal sigma of P_c */
    uint64_t bonus;             /* BGR bonus B_c, units */
    uint32_t winners;           /* W, 1..BG_MAX_WINNERS */
    uint32_t keep_ppb;          /* q_keep */
    uint32_t forfeit_low_ppb;   /* f_low */
    uint32_t forfeit_inc_ppb;   /* f_inc */
    uint32_t reserve_ppb;       /* rho */
    uint32_t fee_ppb;           /* phi */
    int fixed_split;            /* 1: fixed_weights, 0: power law */
    uint32_t exponent_quarters; /* power-law exponent, quarters (0..8) */
    uint64_t fixed_weights[BG_MAX_WINNERS]; /* fixed split, `winners` entries > 0 */
    double score_noise;                     /* sigma of the score noise */
    uint32_t scoring_days;                  /* deadline to scoring and settlement */
    double bonus_probability;               /* chance a competition carries the bonus */
    int numerai_settlement;                 /* 1: stakes settled by the Numerai rule */
    uint64_t nm_threshold;                  /* its threshold T, units */
    uint32_t nm_scale_ppb;                  /* CORR of the best entry, ppb */
    int64_t nm_mult;                        /* CORR multiplier, millionths */
    uint32_t nm_clip_ppb;                   /* payout cap, ppb */
} bg_comp_config;

typedef struct bg_sci_config {
    uint32_t count;        /* data scientists */
    uint64_t balance;      /* median genesis wallet, units */
    double balance_spread; /* lognormal sigma */
    double skill_sd;       /* skill ~ N(0, skill_sd^2) */
    double complete_min;   /* p_complete ~ U(min, max) */
    double complete_max;   /* upper end */
    double cost_usd;       /* median cost per competition, USD */
    double cost_spread;    /* lognormal sigma of the cost */
    double belief_noise;   /* sigma of the initial percentile belief */
    double learning_rate;  /* EMA rate of the belief */
    double effort_min;     /* latent effort ~ U(effort_min, effort_max), in [0, 1] */
    double effort_max;     /* upper end */
    double effort_score;   /* score points per unit of effort */
} bg_sci_config;

typedef struct bg_jobs_config {
    double arrival_rate;   /* employers per day (Poisson) */
    double deposit_stakes; /* d_job = deposit_stakes * comp.stake */
    double hire_rate;      /* daily hire probability times the share with a T1/T2 record */
    uint32_t lock_days;    /* T_lock */
    uint32_t retain_ppb;   /* lambda */
} bg_jobs_config;

typedef struct bg_comm_config {
    uint32_t members;            /* community members */
    uint64_t reward[BG_ACTIONS]; /* nominal reward per accepted action, units */
    double rate[BG_ACTIONS];     /* Poisson actions per member per month */
    uint32_t farm_identities;    /* k (0: no farmer) */
    double farm_rate;            /* review actions per identity per month */
    double farm_accept;          /* acceptance of identities 2..k */
    uint64_t farm_start;         /* first day of the farmer's window */
    uint64_t farm_stop;          /* first day after it (0: never stops) */
    uint64_t farm_cost;          /* off-ledger cost per identity per 30-day month, units */
} bg_comm_config;

typedef struct bg_numerai_config {
    uint32_t models;          /* staked models */
    uint32_t interval;        /* days between round closes */
    uint32_t resolve_days;    /* close to resolution */
    uint64_t threshold;       /* T, units */
    int64_t corr_num;         /* CORR multiplier numerator (denominator 10^6) */
    int64_t mmc_num;          /* MMC multiplier numerator (denominator 10^6) */
    uint32_t clip_ppb;        /* payout cap per round */
    uint64_t stake;           /* median genesis stake, units */
    double stake_spread;      /* lognormal sigma */
    double stake_skill;       /* correlation of log stake with skill */
    double mu_mean, mu_sd;    /* latent skill */
    double corr_sd, mmc_sd;   /* score noise */
    double era_sd;            /* common era factor */
    double mmc_k;             /* MMC mean o * mu * k */
    double valid;             /* valid submission probability */
    int compound;             /* payouts to the stake (1) or a wallet (0) */
    uint64_t treasury;        /* payout treasury, units */
    int burn_to_treasury;     /* negative payouts return to the treasury instead of burning */
    uint32_t sybil_k;         /* identities of the per-round Sybil counterfactual (0: none) */
    int atomic_v3;            /* 1: v3 per-round locks; 0: v2 continuous staking */
    uint32_t round_share_ppb; /* v3: share of the free stake locked per round */
} bg_numerai_config;

typedef struct bg_config {
    uint64_t seed;                 /* master seed */
    uint32_t run_index;            /* run index within a sweep */
    uint64_t days;                 /* days to simulate (ticks 0..days) */
    bg_mode mode;                  /* competitions world or Numerai rounds */
    uint64_t max_supply;           /* BGR maximum supply, units */
    int minting;                   /* 1: releases are mints (capped); 0: pre-minted treasury */
    uint64_t community_allocation; /* community bucket, units */
    uint32_t vesting_months;       /* its linear vesting */
    uint64_t market_float;         /* genesis BGR of the market account */
    double bgr_price_usd;          /* USD per BGR */
    bg_comp_config comp;           /* competitions */
    bg_sci_config sci;             /* data scientists */
    bg_jobs_config jobs;           /* job board */
    bg_comm_config comm;           /* community minting */
    bg_numerai_config nm;          /* Numerai mode */
} bg_config;

typedef struct bg_model bg_model;

/* floor(x * 1e9 + 0.5) clamped to [0, 1e9]: a share as parts per billion. */
uint32_t bg_ppb(double x);

/* Builds the world on `s`: ledgers, agents, entities, first events. 0, or non-zero with a
** message in err (bad configuration, genesis above the maximum supply, out of memory). */
int bg_model_new(const bg_config *cfg, sim *s, const recorder *rec, bg_model **out, char *err,
                 size_t errlen);

/* After sim_run returned SIM_DONE: final conservation check and end-of-run metrics (returns by
** skill decile; Numerai ROI distribution and stake-skill correlation). 0 when all is well. */
int bg_model_finish(bg_model *m, char *err, size_t errlen);

/* bg_model_free(NULL) is a no-op. */
void bg_model_free(bg_model *m);

/* Totals for tests and the CLI summary (units). */
typedef struct bg_totals {
    uint64_t supply;                /* genesis + minted - burned (BGR or NMR) */
    uint64_t minted;                /* total minted (minting mode) */
    uint64_t burned;                /* total burned */
    uint64_t released;              /* treasury releases (community mints + bonuses) */
    uint64_t community_issued;      /* issued from the community budget */
    uint64_t reserve;               /* community reserve balance */
    uint64_t burned_forfeits;       /* burned from competition forfeits */
    uint64_t burned_jobs;           /* burned by hires */
    uint64_t forfeited_t3;          /* forfeits paid by T3 (low-ranked) entries */
    uint64_t forfeited_t4;          /* forfeits paid by T4 (incomplete) entries */
    uint64_t competitions;          /* competitions settled */
    uint64_t entrants_first;        /* entrants of the first competition */
    uint64_t entrants_total;        /* entrants over all competitions */
    uint64_t hires, withdrawals;    /* job board outcomes */
    int64_t budget_exhausted_month; /* first month the vested budget could not pay, -1 never */
    uint64_t farm_paid;             /* Sybil farm payout, k identities */
    uint64_t farm_paid_single;      /* counterfactual payout with one identity */
    uint64_t farm_days;             /* days of the farmer's window lived so far */
    uint64_t farm_cost;             /* attack.sybil.cost: floor(farm_cost k farm_days / 30) */
    uint64_t nm_paid, nm_burned;    /* Numerai totals */
    uint64_t nm_rounds;             /* Numerai rounds resolved */
} bg_totals;

void bg_model_totals(const bg_model *m, bg_totals *out);

/* ---- entry decision (bg_scientist.c), exposed for tests ---- */

typedef struct bg_entry_view {
    double belief;        /* q: believed skill percentile in (0, 1), 1 = best */
    double spread;        /* her uncertainty about q (sigma; at least BG_MIN_SPREAD) */
    double p_complete;    /* own completion probability */
    double p_others;      /* mean completion probability of the field */
    double entrants;      /* expected number of entrants */
    uint32_t winners;     /* W */
    const double *weight; /* normalised prize weights of ranks 1..W (sum 1) */
    double keep;          /* q_keep */
    double f_low, f_inc;  /* forfeit shares */
    double stake_usd;     /* stake valued in USD */
    double prize_usd;     /* net prize (after fee) */
    double bonus_usd;     /* bonus valued in USD */
    double cost_usd;      /* own cost */
    int numerai;          /* 1: stakes settled by the Numerai rule instead of the tiers */
    double nm_pf;         /* expected payout factor min(1, T / completed stake) */
    double nm_slope;      /* multiplier x scale: rate(x) = clamp(pf slope (2x - 1), +-clip) */
    double nm_clip;       /* clip */
} bg_entry_view;

#define BG_MIN_SPREAD 0.02 /* smallest sigma of the percentile belief */

/* Expected prize + bonus - forfeit - cost in USD of entering, with the percentile x ~ N(q,
** spread^2) among round(entrants * p_others) completed entries (at least 1): rank r for x in
** (1 - r/M, 1 - (r-1)/M], rank 1 for the whole upper tail, T3 below 1 - max(W, floor(keep M))/M.
** Under the Numerai rule (numerai = 1) the forfeit term becomes minus the expected stake payout
** p_complete * stake * E[clamp(nm_pf nm_slope (2x - 1), +-nm_clip)], x on 32 equal percentile
** bins (the outer ones take the tails), each at its midpoint. Enter when > 0 (and the wallet
** covers the stake). */
double bg_entry_value(const bg_entry_view *v);

#endif
