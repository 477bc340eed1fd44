/*
** ag_int.h: internals of model "aigen" shared by its .c files (world, agents, metrics).
**
** Invariants: ledger accounts are laid out as in ag_account, contiguous per kind, so the stake
** accounts form the array tsr_aigen_epoch reads; pub[] holds the consensus of the last
** reveal_delay + 1 epochs in a ring indexed by epoch; the escrow balance is 0 between epochs.
*/
#ifndef TOKENSIM_AG_INT_H
#define TOKENSIM_AG_INT_H

#include <gsl/gsl_rng.h>

#include "ag_model.h"
#include "rng.h"
#include "tsr.h"

enum { AG_EV_EPOCH = 0, AG_EV_SAMPLE = 1 };
enum { AG_PH_EPOCH = 0, AG_PH_SAMPLE = 9 };
enum { AG_PURPOSE_AUDIT = RNG_PURPOSE_USER + 1, AG_PURPOSE_INVEST = RNG_PURPOSE_USER + 2 };

/* Flows summed since the previous sample (reset by the sampler). */
typedef struct ag_window {
    uint64_t spend, calls, platform, dev_paid, val_paid; /* units / calls */
    uint64_t burn_fee, burn_unearned, unearned_treasury; /* units */
    uint64_t burn_base;                                  /* base fees burned, units */
    uint64_t slashed, invest;                            /* units */
    uint64_t slashed_by[4], slash_got_by[4];             /* per ag_strategy: forfeited, received */
    uint64_t epochs;                                     /* epochs in the window */
} ag_window;

/* One attack's terms summed over epochs (a sample period, or the attack's window): payoffs in
** units, stakes as the settlement saw them (before the epoch). */
typedef struct ag_atk_acc {
    double pay_att, pay_tot;     /* attacker payoff; every developer and validator payout */
    double stake_share;          /* sum over epochs of the attacker's stake share */
    double att_stake;            /* sum over epochs of the attacker validators' stake */
    double hon_pay, hon_stake;   /* honest validators' payoff and stake, summed */
    double cop_ratio, med_ratio; /* copier: its reward / stake; the honest median of that */
    double grp_ratio;            /* copier: the honest validators' reward / their stake */
    uint64_t epochs, cop_epochs; /* epochs summed; epochs with a copier ratio */
} ag_atk_acc;

/* One attack's state: accumulators and the switch last recorded. */
typedef struct ag_atk {
    ag_atk_acc period; /* since the previous sample */
    ag_atk_acc window; /* over the epochs inside the window */
    int active;        /* active in the last settled epoch (switch rows on change) */
    int64_t kappa_any; /* first epoch with the others' stake share below kappa, or -1 */
    int64_t kappa_win; /* the same inside the window, or -1 */
} ag_atk;

/* The Sybil counterfactual's buffers and sums (ag_sybil.c). */
typedef struct ag_sybil ag_sybil;

struct ag_model {
    ag_config cfg;                /* copy of the configuration */
    const recorder *rec;          /* metrics sink */
    tsr_ledger ledger;            /* every balance */
    size_t acc[7];                /* first account of each ag_account kind */
    uint32_t nval;                /* V */
    ag_strategy *strategy;        /* [V] */
    uint64_t *price;              /* [C] price per call */
    uint64_t base_fee;            /* the base fee per call of this epoch (0 when off) */
    double *quality;              /* [C] latent quality in [0, 1] */
    uint64_t *score;              /* [C] consensus of the last settled epoch (ppb) */
    uint64_t *pub;                /* [(reveal_delay + 1) * C] published consensus ring */
    uint64_t *spend;              /* [C] scratch: this epoch's spend per controller */
    uint64_t *calls;              /* [K * C] scratch: this epoch's calls */
    uint32_t *scores;             /* [V * C] scratch: this epoch's scores */
    int64_t *audit;               /* [C] scratch: audit reference or -1 */
    uint64_t *stake;              /* [V] scratch: stakes handed to the settlement */
    double *share;                /* [C] scratch: logit choice probabilities */
    unsigned *draw;               /* [C] scratch: multinomial draw */
    uint64_t *out_buf;            /* [2 C + 4 V] settlement outputs */
    tsr_aigen_out out;            /* views into out_buf */
    void *ws;                     /* settlement workspace */
    size_t ws_size;               /* its size */
    gsl_rng *ev;                  /* per-event stream, re-keyed per (entity, purpose, epoch) */
    uint64_t last_spend;          /* T of the last epoch (developers' forecast) */
    uint64_t settled;             /* epochs settled */
    ag_window win;                /* flows since the last sample */
    uint64_t *dev_win;            /* [C] developer revenue since the last sample */
    uint64_t *val_win;            /* [V] validator reward since the last sample */
    uint64_t *err_last;           /* [V] error e_v of the last epoch (ppb) */
    uint64_t *use_win;            /* [C] spend since the last sample */
    uint64_t coalition_payoff;    /* cumulative coalition validator rewards, forfeits received and
                                     developer revenue of its controllers */
    uint64_t coalition_paid_base; /* cumulative dev + val payouts + redistributed forfeits */
    ag_atk atk[2];                /* attack metrics, indexed by ag_attack */
    double *ratios;               /* [V] scratch: honest validators' reward / stake */
    ag_sybil *sybil;              /* the Sybil counterfactual, or NULL (sybil_k < 2) */
    int64_t ledger_seq;           /* next ledger row */
    char *err;                    /* where handlers write errors */
    size_t errlen;                /* its size */
};

/* Account id of (kind, index). */
static inline size_t ag__acc(const ag_model *m, ag_account kind, uint32_t index)
{
    return m->acc[kind] + index;
}

/* Entity id of controller c / validator v in the metrics DB. */
static inline int64_t ag__ctrl_id(uint32_t c)
{
    return (int64_t)c + 1;
}
static inline int64_t ag__val_id(const ag_model *m, uint32_t v)
{
    return (int64_t)m->cfg.controllers + 1 + v;
}

/* Writes "epoch E: what" to the model's error buffer; returns -1. */
int ag__fail(ag_model *m, uint64_t epoch, const char *what);
/* One ledger row. */
int ag__ledger_row(ag_model *m, uint64_t epoch, const char *kind, int64_t src, int64_t dst,
                   uint64_t amount, const char *reason);

/* ---- agents (ag_agents.c) ---- */

/* Consumers' calls of this epoch into m->calls (affordable from each wallet). */
int ag__consumers_decide(ag_model *m, uint64_t epoch);
/* Validators' scores of this epoch into m->scores, audits into m->audit. */
void ag__validators_score(ag_model *m, uint64_t epoch);
/* Developers: decay, then one quality step where it pays (ledger: wallet -> platform). */
int ag__developers_invest(ag_model *m, uint64_t epoch);
/* Genesis draws: prices, qualities, stakes (coalition share applied). */
int ag__genesis_draws(ag_model *m, uint64_t *stakes);

/* ---- metrics (ag_metrics.c) ---- */

int ag__declare_entities(ag_model *m);
/* After each settled epoch: accumulates the attacks' terms from the settlement's outputs
** (m->stake still holds the stakes the settlement used) and records a switch of an attack at a
** non-sample epoch. 0, or -1 when a write failed. */
int ag__attack_epoch(ag_model *m, uint64_t epoch, const tsr_aigen_totals *t);
int ag__sample(ag_model *m, uint64_t epoch);

/* Spec §6.4's Sybil gain (ag_sybil.c): buffers for k identities, NULL for k < 2 or no memory;
** one counterfactual settlement after each real one (0, or -1 when the core refused it); the
** gain over the epochs since the last call (1 with *gain set, 0 when undefined). */
ag_sybil *ag__sybil_new(uint32_t nval, uint32_t nctrl, uint32_t k);
void ag__sybil_free(ag_sybil *y);
int ag__sybil_epoch(ag_model *m, const uint32_t *scores, const int64_t *audit);
int ag__sybil_gain(ag_model *m, double *gain);

#endif
