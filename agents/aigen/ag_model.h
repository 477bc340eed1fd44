/*
** ag_model.h: model "aigen" — the AiGen platform economy (spec mechanisms §3, scenarios/AIGEN.md).
**
** One tick is one epoch. Each epoch: consumers choose controllers by a logit over perceived
** quality and price and pay per call from their wallets; validators score every controller
** (honest: quality plus noise; lazy: a constant; copier: the consensus published reveal_delay
** epochs ago; coalition: inflates its own controllers and deflates the others; the coalition
** and the copiers only inside their start/stop windows, honest outside); optional audits
** anchor a controller's reference score to its true quality; the reward core settles the epoch
** (tsr_aigen_epoch: fee split, stake-weighted kappa-median scores, developer revenue, validator
** accuracy rewards, coherence slashing). From the second epoch on, each epoch opens with the
** developers: quality decays, and a developer buys quality when the forecast revenue gain over
** its horizon (under the configured developer mode) exceeds the cost; so the quality consumers
** experience, validators score and the sample records is the same within an epoch. Every token
** moves through the reward core's ledger; the escrow of each epoch must end empty and the
** conservation identity is checked every epoch.
**
** Ledger accounts (ag_account): platform, treasury, escrow, then consumers, developer wallets,
** validator stakes, validator wallets. Entities in the metrics DB: 0 platform (network-wide
** metrics), 1..C controllers, C+1..C+V validators, C+V+1 treasury, C+V+2 consumers (aggregate).
** Events: EPOCH (phase 0) at ticks 1..epochs, SAMPLE (phase 9) at every record_every-th epoch and
** at the last. Cost per epoch: O(K C) for the consumers' multinomial choice, O(V C log V) for
** the settlement, O(C^2) for Kendall's tau at each sample.
*/
#ifndef TOKENSIM_AG_MODEL_H
#define TOKENSIM_AG_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "recorder.h"
#include "sim.h"
#include "tsr_aigen.h"

/* Validator strategies. Validators are numbered honest, lazy, coalition, copiers (the copiers
** last, so the rows they may copy are one block); the enum values are the DB group ids - 1. */
typedef enum { AG_HONEST = 0, AG_LAZY = 1, AG_COPIER = 2, AG_COALITION = 3 } ag_strategy;

typedef struct ag_config {
    uint64_t seed;                  /* master seed */
    uint32_t run_index;             /* run index within a sweep */
    uint32_t epoch_seconds;         /* simulated seconds per epoch (metric time t) */
    uint64_t epochs;                /* epochs to simulate */
    uint64_t record_every;          /* epochs between samples */
    uint32_t controllers;           /* C */
    uint32_t models;                /* AI models; controller c uses model c mod models */
    uint32_t consumers;             /* K */
    uint64_t price;                 /* median price per call, units */
    uint64_t base_fee;              /* EIP-1559 base fee per call at the start, units */
    uint64_t call_target;           /* calls per epoch the base fee aims at; 0: no base fee */
    double price_spread;            /* lognormal sigma of the model prices */
    double calls;                   /* mean calls per consumer and epoch at the median price */
    double elasticity;              /* total demand ~ (average price / price)^-elasticity */
    double quality_weight;          /* logit weight of perceived quality */
    double price_weight;            /* logit weight of log(price_c / price) */
    double score_weight;            /* perceived = w * published score + (1 - w) * true quality */
    uint64_t wallet;                /* consumer genesis wallet, units */
    double quality_a;               /* latent quality ~ Beta(a, b) */
    double quality_b;               /* second Beta parameter */
    double invest_step;             /* quality one investment buys */
    uint64_t invest_cost;           /* its cost, units (paid to the platform account) */
    uint32_t invest_horizon;        /* epochs over which a gain is counted */
    double decay;                   /* quality lost per epoch */
    tsr_aigen_params settle;        /* reward-core parameters (ppb) */
    int unearned_treasury;          /* unearned pool units to the treasury instead of burned */
    double audit;                   /* audit probability per controller and epoch */
    uint32_t reveal_delay;          /* commit-reveal delay (epochs) seen by copiers */
    uint32_t honest;                /* validators per strategy */
    uint32_t lazy;                  /* lazy validators */
    uint32_t copiers;               /* consensus copiers */
    uint32_t coalition;             /* colluding validators */
    uint64_t stake;                 /* median validator stake, units */
    double stake_spread;            /* lognormal sigma of stakes */
    double noise;                   /* honest score noise sigma */
    double lazy_score;              /* lazy constant score */
    double coalition_share;         /* coalition share of total stake (0: drawn like the others) */
    uint32_t coalition_controllers; /* controllers 0..n-1 belong to the coalition */
    double coalition_deflate;       /* share taken off the honest score of other controllers */
    int compound;                   /* validator rewards to stake instead of the wallet */
    uint64_t coalition_start;       /* first epoch the coalition colludes (0, 1: from the start) */
    uint64_t coalition_stop;        /* epoch from which it scores honestly again (0: never) */
    uint64_t copier_start;          /* first epoch the copiers copy (0, 1: from the start) */
    uint64_t copier_stop;           /* epoch from which they score honestly again (0: never) */
    uint32_t sybil_k;               /* identities of the Sybil counterfactual (< 2: none) */
} ag_config;

/* Ledger account kinds; ag_model_balance(m, kind, index). */
typedef enum {
    AG_ACC_PLATFORM = 0,  /* model providers / infrastructure (index 0) */
    AG_ACC_TREASURY = 1,  /* unearned units (treasury mode), unclaimed forfeits (index 0) */
    AG_ACC_ESCROW = 2,    /* one epoch's fees between payment and payout (index 0) */
    AG_ACC_CONSUMER = 3,  /* consumer wallets (index 0..K-1) */
    AG_ACC_DEVELOPER = 4, /* developer wallets (index 0..C-1) */
    AG_ACC_STAKE = 5,     /* validator stakes (index 0..V-1) */
    AG_ACC_VWALLET = 6    /* validator wallets (index 0..V-1) */
} ag_account;

typedef struct ag_model ag_model;

/* Builds the world on s (entities, genesis wallets and stakes, qualities, prices) and schedules
** the first events. 0, or non-zero with a message in err. */
int ag_model_new(const ag_config *cfg, sim *s, const recorder *rec, ag_model **out, char *err,
                 size_t errlen);
/* After sim_run returned SIM_DONE: the final conservation check. 0 when every unit is
** accounted for. */
int ag_model_finish(ag_model *m, char *err, size_t errlen);
void ag_model_free(ag_model *m);

/* Settles one epoch from given decisions (the EPOCH handler calls it after the agents decided;
** tests call it directly): calls[k * C + c] calls of consumer k through controller c, scores
** [v * C + c] in ppb, audit[c] (ppb, < 0: not audited) or NULL. Moves every token through the
** ledger, checks that the escrow ends empty and the conservation identity, updates the
** published consensus. *tot (may be NULL) receives the reward core's totals. 0, or -1 with a
** message (a consumer that cannot pay is an error). */
int ag_model_settle(ag_model *m, uint64_t epoch, const uint64_t *calls, const uint32_t *scores,
                    const int64_t *audit, tsr_aigen_totals *tot);

/* Balance of one account; UINT64_MAX for an unknown account. */
uint64_t ag_model_balance(const ag_model *m, ag_account kind, uint32_t index);
/* Price per call of controller c, units. */
uint64_t ag_model_price(const ag_model *m, uint32_t c);
/* Test and experiment hooks, before or between epochs: set controller c's price per call
** (> 0 units) or latent quality (in [0, 1]). 0, or -1 for an unknown controller or a bad value. */
int ag_model_set_price(ag_model *m, uint32_t c, uint64_t price);
int ag_model_set_quality(ag_model *m, uint32_t c, double q);
/* Spend through controller c in the last settled epoch, units (calls = spend / price). */
uint64_t ag_model_spend(const ag_model *m, uint32_t c);
/* Error e_v of validator v in the last settled epoch, ppb (accuracy = 1e9 - e_v). */
uint64_t ag_model_error(const ag_model *m, uint32_t v);
/* Score validator v gave controller c in the last scored epoch, ppb (what its strategy, or its
** honest scoring outside its attack window, produced); UINT32_MAX for an unknown pair. */
uint32_t ag_model_validator_score(const ag_model *m, uint32_t v, uint32_t c);
/* Latent quality of controller c. */
double ag_model_quality(const ag_model *m, uint32_t c);
/* Consensus score S_c of the last settled epoch, ppb. */
uint64_t ag_model_score(const ag_model *m, uint32_t c);
/* Validators and controllers. */
uint32_t ag_model_validators(const ag_model *m);
/* Supply: genesis + minted - burned. */
uint64_t ag_model_supply(const ag_model *m);
/* Total burned so far (fee burn, unearned burn, base fees). */
uint64_t ag_model_burned(const ag_model *m);
/* The base fee per call the next epoch pays (units; 0 without aigen.call_target). */
uint64_t ag_model_base_fee(const ag_model *m);

/* Attacks of the model (mechanisms §6.1 self-weighting, §6.2 weight copying), each switched on
** for the epochs [start, stop) of its window (stop 0: to the end). */
typedef enum { AG_ATK_CABAL = 0, AG_ATK_COPIER = 1 } ag_attack;
/* 1 when attack k is configured (coalition / copier validators exist) and epoch lies in its
** window; outside it the attack's validators score like honest ones. */
int ag_model_attack_active(const ag_model *m, ag_attack k, uint64_t epoch);

/* Kendall's tau-b of two samples of n values (0 when n < 2 or a sample is constant). O(n^2). */
double ag_kendall_tau(const double *a, const double *b, size_t n);
/* Herfindahl-Hirschman index of the shares x[i] / sum x (0 when the sum is 0). */
double ag_hhi(const uint64_t *x, size_t n);

#endif
