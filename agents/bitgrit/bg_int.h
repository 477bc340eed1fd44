/*
** bg_int.h: internals of the bitgrit/numerai models shared by the agents/bitgrit sources only.
**
** BGR ledger layout (competitions mode): account 0 the treasury (pre-minted mode: max supply
** minus the genesis balances; minting mode: empty, releases mint), 1 the community reserve,
** 2 the competition escrow, 3 the job escrow, 4 the market float, then one wallet per scientist,
** community member and farm identity, then employers as they arrive. The USD ledger (prizes):
** 0 sponsor, 1 platform, then one account per scientist. Numerai mode: 0 treasury, then one
** stake account per model, then (without compounding) one wallet per model, then (staking v3)
** the round-lock escrow, which holds the sum of the open rounds' locks.
** Invariants: escrow balance == sum of the open competitions' locks; job escrow == sum of the
** active deposits; pre-minted: genesis == max_supply and nothing is minted; minting: genesis +
** minted <= max_supply. Checked by bg_check() at every settlement.
*/
#ifndef TOKENSIM_BG_INT_H
#define TOKENSIM_BG_INT_H

#include <gsl/gsl_rng.h>

#include "bg_model.h"
#include "rng.h"
#include "tsr_community.h"
#include "tsr_compete.h"
#include "tsr_err.h"
#include "tsr_ledger.h"
#include "tsr_numerai.h"
#include "tsr_settle.h"

enum { BG_TREASURY = 0, BG_RESERVE = 1, BG_ESCROW = 2, BG_JOBS = 3, BG_MARKET = 4, BG_FIRST = 5 };
enum { BG_USD_SPONSOR = 0, BG_USD_PLATFORM = 1, BG_USD_FIRST = 2 };

/* Event kinds and phases (within a day: month, jobs, announce, entry, deadline, scoring and
** settlement, rounds). */
enum {
    BG_EV_MONTH = 0,
    BG_EV_DAY = 1,
    BG_EV_ANNOUNCE = 2,
    BG_EV_ENTRY = 3,
    BG_EV_DEADLINE = 4,
    BG_EV_CLOSE = 5,
    BG_EV_RESOLVE = 6,
    BG_EV_SCORE = 7,
    BG_EV_FARM = 8 /* the Sybil farmer switches on or off (records attack.sybil.active) */
};
enum {
    BG_PH_MONTH = 0,
    BG_PH_DAY = 1,
    BG_PH_ANNOUNCE = 2,
    BG_PH_ENTRY = 3,
    BG_PH_DEADLINE = 4,
    BG_PH_SCORE = 5,
    BG_PH_CLOSE = 6,
    BG_PH_RESOLVE = 7
};

/* RNG purposes beyond rng.h's; entity offsets keep the identities of non-agents apart. */
enum {
    BG_RNG_COMPLETE = RNG_PURPOSE_USER + 1,
    BG_RNG_COMMUNITY = RNG_PURPOSE_USER + 2,
    BG_RNG_FARM = RNG_PURPOSE_USER + 3,
    BG_RNG_HIRE = RNG_PURPOSE_USER + 4
};
#define BG_ENT_COMP     (1ull << 40) /* + competition number */
#define BG_ENT_ROUND    (1ull << 41) /* + round number */
#define BG_ENT_EMPLOYER (1ull << 42) /* + employer number */
#define BG_ENT_BOARD    (1ull << 43) /* the job board itself */

typedef struct bg_scientist {
    double skill;      /* latent skill */
    double effort;     /* latent effort in [0, 1] */
    double p_complete; /* completion probability (rises with effort) */
    double cost_usd;   /* cost per competition */
    double belief;     /* believed percentile q */
    uint64_t genesis;  /* genesis wallet, units */
    uint32_t wins;     /* T1 finishes */
    uint32_t kept;     /* T1 or T2 finishes */
    uint32_t entered;  /* competitions entered */
    uint32_t hires;    /* times hired */
    double spent_usd;  /* costs paid */
} bg_scientist;

typedef struct bg_comp {
    uint64_t number;          /* 0, 1, ... */
    uint64_t day;             /* announcement day */
    uint64_t stake;           /* s_c, units */
    uint64_t prize;           /* P_c, USD units */
    uint64_t bonus;           /* B_c requested, units */
    uint32_t *entrants;       /* scientist indexes, ascending */
    uint8_t *complete;        /* per entrant: 1 when she submitted by the deadline */
    uint32_t n;               /* entrants */
    uint32_t submitted;       /* completed entries (M), known at the deadline */
    uint32_t if_stake_half;   /* entrants had the stake been half as large */
    uint32_t if_stake_double; /* ... twice as large */
    uint32_t if_prize_half;   /* entrants had the prize been half as large */
    uint32_t if_prize_double; /* ... twice as large */
    uint64_t locked;          /* stake held in escrow for it */
    int open;                 /* 1 between entry and settlement */
} bg_comp;

typedef struct bg_employer {
    size_t acct;      /* BGR account */
    uint64_t deposit; /* locked in the job escrow */
    uint64_t arrived; /* day */
    int active;       /* 1 while the deposit is locked */
} bg_employer;

typedef struct bg_round {
    uint64_t *stake; /* at-risk stake at close, per model */
    int *valid;      /* valid submission per model */
    uint64_t close;  /* close day */
} bg_round;

typedef struct bg_nmodel {
    double mu;          /* latent skill */
    double orig;        /* originality o in [0, 1] */
    uint64_t genesis;   /* genesis stake */
    int64_t payout_sum; /* sum of payouts (signed) */
    uint64_t risk_sum;  /* sum of at-risk stakes of resolved rounds */
} bg_nmodel;

/* Month accumulators (reset after each monthly sample). */
typedef struct bg_month {
    uint64_t minted_community; /* community mints released */
    uint64_t minted_bonus;     /* competition bonuses released */
    uint64_t minted_payouts;   /* Numerai-rule payouts released (settlement "numerai") */
    uint64_t burned_forfeits;  /* forfeits burned */
    uint64_t burned_jobs;      /* deposits burned on hire */
    uint64_t hires;            /* hires this month */
} bg_month;

struct bg_model {
    bg_config cfg;       /* copy of the configuration */
    const recorder *rec; /* metrics sink */
    sim *s;              /* the simulation */
    char *err;           /* where handlers write an error */
    size_t errlen;       /* its size */
    tsr_ledger bgr;      /* BGR (or NMR) balances */
    tsr_ledger usd;      /* USD prize balances (competitions mode) */
    gsl_rng *ev;         /* per-event generator, re-keyed before each use */
    int64_t seq;         /* next ledger row */
    uint64_t *weights;   /* rank weights of ranks 1..W (reward core scale) */
    double *wnorm;       /* the same, normalised to sum 1 */
    /* agents */
    bg_scientist *sci;           /* cfg.sci.count */
    size_t a_sci, a_mem, a_farm; /* first account of each group */
    uint64_t sci_entity0;        /* entity id of scientist 0 (members and farm follow) */
    bg_comp *comps;              /* every competition announced */
    size_t ncomps, capcomps;
    bg_employer *emp; /* every employer */
    size_t nemp, capemp;
    uint64_t deposit; /* d_job, units */
    /* tallies */
    bg_month month;             /* this month */
    bg_totals tot;              /* run totals */
    uint64_t escrow_locked;     /* sum of open competitions' locks */
    uint64_t jobs_locked;       /* sum of active deposits */
    double last_entrants;       /* entrants of the last competition (entry expectation) */
    double farm_gain_sum[2];    /* farm payout with k identities / with one, summed */
    uint64_t employers_skipped; /* employers that found no BGR on the market */
    /* scratch */
    tsr_compete_entry *entries; /* cfg.sci.count */
    tsr_compete_payout *payout; /* cfg.sci.count */
    void *score;                /* cfg.sci.count (score, entrant) pairs, bg_compete.c */
    /* numerai */
    bg_nmodel *nm;    /* cfg.nm.models */
    bg_round *rounds; /* one per round closed */
    size_t nrounds, caprounds;
    tsr_numerai_model *nmod; /* scratch, models */
    int64_t *npay;           /* scratch, models */
    double nm_outflow;       /* treasury outflow of the resolved rounds (runway) */
    size_t nm_lock;          /* v3: the round-lock escrow account (0: none, v2) */
    uint64_t nm_open_risk;   /* at-risk stake of the closed, unresolved rounds */
};

/* ---- bg_world.c ---- */
int bg_fail(bg_model *m, uint64_t day, const char *fmt, ...);
int bg_series_i(bg_model *m, uint64_t day, const char *metric, int64_t entity, int64_t v);
/* An amount (units) or count of entity 0; fails the run when it exceeds INT64_MAX. */
int bg_series_u(bg_model *m, uint64_t day, const char *metric, uint64_t v);
int bg_series_f(bg_model *m, uint64_t day, const char *metric, int64_t entity, double v);
int bg_row(bg_model *m, uint64_t day, const char *kind, int64_t src, int64_t dst, uint64_t amt,
           const char *reason);
/* Entity id of BGR account a (0 for the pools). */
int64_t bg_entity_of(const bg_model *m, size_t acct);
/* Moves amt on the BGR ledger and records it; fails the run naming `why`. */
int bg_move(bg_model *m, uint64_t day, size_t from, size_t to, uint64_t amt, const char *why);
int bg_burn(bg_model *m, uint64_t day, size_t from, uint64_t amt, const char *why);
/* Releases up to amt from the treasury (transfer, or mint under the cap) to `to`; *done gets
** what was released. */
int bg_release(bg_model *m, uint64_t day, size_t to, uint64_t amt, const char *why, uint64_t *done);
/* Community budget available on `day`: vested(day / 30 + 1) - issued, floored at 0. */
uint64_t bg_budget(const bg_model *m, uint64_t month);
/* Conservation of both ledgers and the escrow invariants; fails naming `event`. */
int bg_check(bg_model *m, uint64_t day, const char *event);
/* Gini coefficient and top-1 % share of the agents' BGR holdings. */
void bg_holdings(const bg_model *m, double *gini, double *top1);

/* ---- bg_scientist.c ---- */
int bg_scientists_init(bg_model *m);
/* 1 when scientist i enters competition c (wallet and expected value). */
int bg_scientist_enters(bg_model *m, uint32_t i, const bg_comp *c);
/* Belief update after a result: rank 1..M among M completed, 0 when incomplete. */
void bg_scientist_learn(bg_model *m, uint32_t i, uint32_t rank, uint32_t completed);

/* ---- bg_compete.c ---- */
int bg_compete_init(bg_model *m);
int bg_on_announce(sim *s, const eq_event *ev, void *ctx);
int bg_on_entry(sim *s, const eq_event *ev, void *ctx);
int bg_on_deadline(sim *s, const eq_event *ev, void *ctx);
int bg_on_score(sim *s, const eq_event *ev, void *ctx);
/* A new competition record (number = its index); NULL after reporting when out of memory. */
bg_comp *bg_compete_add(bg_model *m, uint64_t day, uint64_t stake, uint64_t prize, uint64_t bonus);
/* Scientist i enters c: her stake moves to the escrow. */
int bg_compete_lock(bg_model *m, uint64_t day, bg_comp *c, uint32_t i);
/* Settles c with the ranks in m->entries[0..c->n) (M = done completed): ledger moves, learning,
** metrics, conservation check. */
int bg_compete_settle(bg_model *m, uint64_t day, bg_comp *c, uint32_t done);

/* ---- bg_jobs.c ---- */
int bg_on_day(sim *s, const eq_event *ev, void *ctx);

/* ---- bg_community.c ---- */
/* Community mint of month `month` (1-based) on `day`. */
int bg_community_mint(bg_model *m, uint64_t day, uint64_t month);
/* Days of [from, to) inside the farmer's window [farm_start, farm_stop). */
uint64_t bg_farm_days(const bg_config *c, uint64_t from, uint64_t to);
/* Registers the switch handler and schedules attack.sybil.active at day 0 and at the start and
** stop days inside the run (nothing without a farmer). */
int bg_farm_schedule(bg_model *m, sim *s);
/* The attack.sybil.* series at a monthly sample on `day` (nothing without a farmer). */
int bg_farm_sample(bg_model *m, uint64_t day);

/* ---- bg_numerai.c ---- */
int bg_numerai_init(bg_model *m);
int bg_on_close(sim *s, const eq_event *ev, void *ctx);
int bg_on_resolve(sim *s, const eq_event *ev, void *ctx);
int bg_numerai_finish(bg_model *m);
void bg_numerai_free(bg_model *m);

#endif
