/*
** atk.h: attack agents inside the bittensor model (issue 5) — a cabal of validators that
** weight their own low-quality miners, a weight copier, a sybil operator (k miner identities,
** or its stake split across k validators) and a whale that delegates everything to one
** validator. scenarios/ATTACKS.md describes each one, its keys (attacks.*) and its metrics.
**
** Agents decide; the model settles. Attack agents are ordinary model agents (bt_agent with
** `attack` = kind + 1) with their own hotkeys, so every token movement goes through the model's
** existing paths: genesis positions like every agent's, registrations through bt_register
** (the burn is paid from the identity's free TAO), weights through bt_set_weights (commit-reveal
** included), stake moves through the delegators' BT_EV_MOVE (whale) or the same unstake/stake
** pair (sybil split). The only thing an attack changes is what its agents decide: the weights
** row (cabal, copier, sybil validators), when identities register or stop serving (sybil,
** cabal miners re-registering after a prune) and when stake moves (whale, sybil split).
**
** Metrics (recorder series, entity = the attack's operator entity, declared with kind
** "attack"): per sample attack.<kind>.{active, emission, cost_burn, stake} and, when the period
** had epochs, {emission_share, stake_share, share_gap, honest_share, return_ratio} and
** attack.copier.{advantage, consensus_move}; at the end the same ratios over the active window with
** the suffix
** _total, attack.<kind>.kappa_block and attack.<kind>.kappa_delay (blocks from the attack's start
** to the first epoch of its window with the honest share below kappa: the "time until honest
** stake falls below kappa"). Each attack agent's uid on the attacked subnet is the series
** attack.uid (entity = the agent, -1 without a uid), so the DB alone says which rows of the
** epochs table are the attacker's. Definitions: atk_metrics.c and scenarios/ATTACKS.md.
**
** Entity ids: operator ATK_ENT_BASE + ATK_ENT_STRIDE * kind, its agents operator + 1 + i
** (global ids, below the subnet bases, stable when other counts change).
** Cost: O(uids) per attack and epoch of the attacked subnet, O(uids) per attacker weights event.
*/
#ifndef TOKENSIM_ATK_H
#define TOKENSIM_ATK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bt_int.h"

typedef enum {
    ATK_CABAL = 0,
    ATK_COPIER = 1,
    ATK_SYBIL = 2,
    ATK_WHALE = 3,
    ATK_KINDS = 4
} atk_kind;

#define ATK_ENT_BASE   INT64_C(400000) /* operator of kind k: base + stride * k */
#define ATK_ENT_STRIDE INT64_C(10000)  /* agents of kind k: operator + 1 + i */
#define ATK_EV_TICK    40u             /* event kind of the attacks' switching and upkeep */

/* ---- decisions (atk_decide.c): pure functions of their inputs ------------------------------- */

/* A cabal validator's row: the cabal's own uids (own[j] != 0) share `own_weight` equally; the
** other uids share 1 - own_weight in proportion to the honest observation `honest` (pairs);
** uid `self` gets nothing. Scaled so the largest is 65535 (round half away from zero), zeros
** dropped, ascending uid. Without own uids the honest row is returned unchanged. Returns the
** number of pairs written to out (at most n). */
uint32_t atk_cabal_row(const bt_pair *honest, uint32_t nh, const uint8_t *own, uint32_t n,
                       uint32_t self, double own_weight, bt_pair *out);

/* The stake that holds `share` of base + it: with p = round(share * 1e9) parts per billion,
** floor(base * p / (1e9 - p)) in exact integer arithmetic (saturating at UINT64_MAX); 0 for
** share <= 0. */
uint64_t atk_share_stake(uint64_t base, double share);

/* Median of v[0..n) (sorted in place; the mean of the two middle values when n is even);
** 0 for n == 0. */
double atk_median(double *v, size_t n);

/* How far the consensus moved between two epochs: half the L1 distance between the two consensus
** vectors, each normalised to sum 1 (a uid beyond a vector's length counts 0 there): 0 when the
** consensus did not move, 1 when it moved to other uids entirely. 0 when either sums to 0. */
double atk_consensus_move(const uint16_t *prev, uint32_t np, const uint16_t *cur, uint32_t nc);

/* ---- the model's hooks (atk_world.c) ------------------------------------------------------- */

/* Checks the attack configuration against the model's (netuid, windows, targets). 0 or -1 with
** a message in err. */
int atk_check_config(const bt_config *c, char *err, size_t errlen);
/* Creates the attack agents and their hotkeys (before any subnet genesis). m->atk stays NULL
** when no attack is on. 0, or -1 (message set through bt_fail). */
int atk_make_agents(bt_model *m);
/* Places the attack agents that hold a uid from genesis on subnet sn (no-op elsewhere). */
int atk_genesis_uids(bt_model *m, bt_subnet *sn);
/* Opens the attackers' genesis stake on sn, once the honest validators and delegators have
** theirs (the shares are of that stake). */
int atk_genesis_stake(bt_model *m, bt_subnet *sn);
/* Declares the operator entities (kind "attack"). */
int atk_declare(bt_model *m);
/* Name of an attack agent ("cabal-validator-0", "sybil-2", ...). */
void atk_agent_name(const bt_model *m, uint32_t a, char *buf, size_t len);
/* Registers the tick handler and schedules the attackers' weights events and the ticks. */
int atk_schedule(bt_model *m, sim *s);
/* Whether attack agent a may (re-)register at block b from its weights event. */
bool atk_may_register(const bt_model *m, uint32_t a, uint64_t b);
/* Rewrites the row an attacking validator is about to submit (m->wbuf[0..*cnt), the honest
** observation) according to its attack; *cnt receives the new length. 0 or -1. */
int atk_weights(bt_model *m, bt_subnet *sn, uint32_t a, uint32_t uid, uint64_t b, uint32_t *cnt);
/* Frees the attacks' state; NULL is a no-op. */
void atk_free(struct atk_state *st);

/* ---- metrics (atk_metrics.c) ---------------------------------------------------------------- */

/* After an epoch of subnet sn: accumulates every attack's emission, stake and yields. */
int atk_epoch(bt_model *m, const bt_subnet *sn, uint64_t b);
/* At a sample: writes the period's series (and the run totals when b is the last block). */
int atk_sample(bt_model *m, uint64_t b);

/* ---- state (shared by the atk_*.c files and tests) ------------------------------------------ */

/* Sums over the epochs of one period (or of the active window). */
typedef struct atk_acc {
    double em_att, em_tot;       /* attacker / all uids' epoch emission (server + validator) */
    double stake_share;          /* sum of the attacker's stake share */
    double honest_share;         /* sum of the honest share of the permitted validators' stake */
    double ret_em, ret_stake;    /* attacker emission and stake (return per unit of stake) */
    double hon_em, hon_stake;    /* honest validators' emission and stake */
    double cop_ratio, med_ratio; /* copier: dividends/stake, and the honest median of it */
    double grp_ratio;            /* copier: the honest validators' dividends / their stake */
    double cons_move;            /* copier: sum of the consensus moves (atk_consensus_move) */
    uint32_t epochs;             /* epochs summed */
    uint32_t cop_epochs;         /* epochs where the copier ratio was defined */
    uint32_t move_epochs;        /* epochs with a previous consensus to compare with */
} atk_acc;

typedef struct atk_attack {
    bool on;              /* configured */
    bool active;          /* inside its window */
    int64_t entity;       /* operator entity */
    uint32_t first, n;    /* its agents: m->agents[first .. first + n) */
    uint64_t genesis_tao; /* free TAO its agents started with (cost = this - what is left) */
    uint64_t emission;    /* cumulative attacker emission, alpha units */
    int64_t kappa_block;  /* first epoch block with the honest share below kappa, or -1 */
    int64_t kappa_window; /* the same, among the epochs inside the attack's window, or -1 */
    atk_acc period;       /* since the last sample */
    atk_acc window;       /* over the active window */
} atk_attack;

/* One recorded view of the copier's source: a dense u16 vector by uid. */
typedef struct atk_view {
    uint64_t block; /* when it was recorded */
    uint16_t *v;    /* n values, owned */
    uint32_t n;     /* uids then */
} atk_view;

struct atk_state {
    bt_attacks_config cfg;   /* copy of the configuration */
    atk_attack a[ATK_KINDS]; /* by atk_kind */
    uint32_t whale_home;     /* member index of the whale's idle hotkey */
    atk_view *hist;          /* copier: recorded views, oldest first */
    uint32_t nhist, caphist; /* used / allocated */
    bt_pair *sybil_row;      /* sybil validators: the operator's last observation */
    uint32_t sybil_nrow;     /* its pairs (0: none yet) */
    uint8_t *mark;           /* scratch: per uid, 1 when it belongs to the attack */
    double *ratios;          /* scratch: honest validators' dividends per stake */
    bt_pair *row;            /* scratch: a weights row */
    uint16_t *prev_cons;     /* the attacked subnet's consensus at its previous epoch */
    uint32_t prev_n;         /* its uids (0: no epoch yet) */
    uint32_t cap;            /* capacity of the scratch arrays (uids) */
};

/* Whether kind k is inside its window at block b. */
bool atk_active(const struct atk_state *st, uint64_t genesis, atk_kind k, uint64_t b);

#endif
