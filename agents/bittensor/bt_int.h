/*
** bt_int.h: internals of the bittensor model, shared by the agents/bittensor sources only.
**
** Layout. Agents (coldkeys) own at most one hotkey each; hotkeys are global (a validator's
** hotkey is registered on every subnet, its root stake counts on all of them). A subnet keeps:
** its chain state for the coinbase (a tsr_subnet in the model's contiguous array, ascending
** netuid), its alpha ledger, its uids (neurons: weights row, pending commits, bonds row, last
** epoch outputs), its members (hotkeys with stake or a uid here; member_of[hotkey] maps back)
** and its stake positions (one ledger account per (coldkey, hotkey) pair).
**
** Ledger accounts. TAO: the burn sink (fees with no block author), each subnet's pool reserve
** (SubnetTAO), each agent's free balance, each root position. Alpha of a subnet: the pool
** reserve (SubnetAlphaIn), the four pending pools, the epoch account (drained pools while they
** are distributed, always empty between blocks), the unowned account (minted alpha nobody owns:
** split floors, distribution remainders, a snapshot's extra alpha_out), the burned account
** (owner-hotkey incentive: burned, issuance unchanged), the protocol account (alpha bought with
** excess TAO), then one account per stake position. Invariants checked after every block:
**   TAO:   TotalIssuance == genesis + minted - burned;  reserve(s) == SubnetTAO(s);
**          sum of root positions == root TAO
**   alpha: reserve == SubnetAlphaIn;  genesis + minted - burned - reserve == SubnetAlphaOut;
**          pending accounts == pending pools;  epoch account == 0
** and the full tsr_ledger_check (sum of balances) at every sample and at the end.
*/
#ifndef TOKENSIM_BT_INT_H
#define TOKENSIM_BT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <gsl/gsl_rng.h>

#include "bt_model.h"
#include "rng.h"
#include "tsr.h"

#define BT_NONE (-1)

/* What pruning knows of a weights row's uid order (bt_neuron.word): unknown for a new row,
** learnt at the first prune after it was stored, so later prunes bisect a strictly ascending row
** (validators send their uids in order) and scan any other. */
enum { BT_WORD_UNKNOWN = 0, BT_WORD_ASC, BT_WORD_ANY };

enum {
    BT_EV_BLOCK = 0,
    BT_EV_SAMPLE,
    BT_EV_WEIGHTS,
    BT_EV_CHECK,
    BT_EV_DAY,
    BT_EV_DECIDE,
    BT_EV_MOVE
};
enum { BT_PH_BLOCK = 0, BT_PH_AGENT = 1, BT_PH_SAMPLE = 9 };

typedef enum { BT_OWNER = 0, BT_VALIDATOR, BT_MINER, BT_DELEGATOR, BT_ROOT } bt_role;
typedef enum { BT_HONEST = 0, BT_LAZY, BT_NOISY } bt_strategy;

/* Entity id bases (stable under changes of other counts, so RNG streams stay put). */
#define BT_ENT_VALIDATOR   INT64_C(100000)   /* + i: global validators */
#define BT_ENT_ROOT        INT64_C(200000)   /* + i: root stakers */
#define BT_ENT_SUBNET_BASE INT64_C(10000000) /* * netuid: a subnet's agents */
#define BT_ENT_OWNER       1                 /* + base */
#define BT_ENT_MINER       INT64_C(1000000)  /* + base + i */
#define BT_ENT_DELEGATOR   INT64_C(2000000)  /* + base + i */
#define BT_ENT_SNAPSHOT    INT64_C(3000000)  /* + base + uid: snapshot validators and owner */

typedef struct bt_agent {
    int64_t entity;    /* recorder entity and RNG entity id */
    uint8_t role;      /* bt_role */
    uint8_t strategy;  /* validators: bt_strategy */
    uint16_t netuid;   /* home subnet, 0 for global agents */
    uint16_t attack;   /* 0, or the atk_kind + 1 of the attack this agent belongs to */
    size_t tao_acct;   /* free TAO account */
    int32_t hotkey;    /* its hotkey, or BT_NONE */
    double quality;    /* miners: latent quality */
    double noise;      /* validators: observation sigma */
    bool serving;      /* miners: still working */
    bool pending_move; /* delegators: a move is scheduled */
    uint32_t bad_days; /* miners: consecutive unprofitable days */
    int32_t position;  /* delegators: their current position, or BT_NONE */
} bt_agent;

typedef struct bt_hotkey {
    uint32_t owner;                /* agent index of the owning coldkey */
    uint16_t take;                 /* Delegates[h], of 65535 */
    uint64_t root_stake;           /* sum of the root positions on it, TAO units */
    uint32_t *rootpos;             /* root positions on it */
    uint32_t nrootpos, caprootpos; /* used / allocated */
} bt_hotkey;

typedef struct bt_rootpos {
    uint32_t agent;  /* staker */
    uint32_t hotkey; /* delegated to */
    size_t acct;     /* TAO account */
} bt_rootpos;

/* A pending commit-reveal commit. */
typedef struct bt_commit {
    uint64_t block;    /* commit block (LastUpdate was stamped with it) */
    uint64_t interval; /* SubnetEpochIndex at commit time */
    bt_pair *w;        /* the weights, owned */
    uint32_t nw;       /* pairs */
    uint8_t word;      /* w's uid order as the committer knew it (BT_WORD_*) */
} bt_commit;

typedef struct bt_neuron {
    int32_t member;       /* member (hotkey) at this uid */
    uint64_t bar;         /* BlockAtRegistration */
    uint64_t last_update; /* LastUpdate */
    uint64_t last_set;    /* block of the last weight setting (rate limit) */
    uint64_t emission;    /* Emission of the last epoch */
    uint16_t consensus, incentive, dividends, vtrust; /* last epoch, u16 */
    bool permit;                                      /* ValidatorPermit */
    uint8_t word;                                     /* w's uid order (BT_WORD_*) */
    bt_pair *w;                                       /* Weights row (submission order) */
    uint32_t nw, capw;                                /* used / allocated */
    bt_pair *b;                                       /* Bonds row (as the epoch wrote it) */
    uint32_t nb, capb;                                /* used / allocated */
    bt_commit *c;                                     /* pending commits, oldest first */
    uint32_t nc, capc;                                /* used / allocated */
} bt_neuron;

typedef struct bt_member {
    int32_t hotkey;         /* global hotkey */
    int32_t uid;            /* current uid here, or BT_NONE */
    uint64_t alpha;         /* TotalHotkeyAlpha: sum of its positions */
    uint32_t *pos;          /* positions on it */
    uint32_t npos, cappos;  /* used / allocated */
    uint64_t *live;         /* bit i: pos[i] may hold alpha (bt_position_credited) */
    uint32_t caplive;       /* words allocated in live */
    int32_t own_pos;        /* position of Owner(hotkey), or BT_NONE */
    double yield_acc;       /* sum over epochs of nominator payout / nominator stake */
    double yield_mark;      /* yield_acc at the subnet's last delegator decision */
    uint64_t dividends_acc; /* alpha dividends (take + nominators) received, units */
} bt_member;

typedef struct bt_position {
    uint32_t agent;  /* coldkey */
    uint32_t member; /* hotkey (member index) */
    uint32_t slot;   /* its index in the member's pos */
    size_t acct;     /* alpha account */
} bt_position;

/* Per-subnet accumulators for metrics (cumulative unless said otherwise). */
typedef struct bt_stats {
    bt_emission_totals em;        /* by role (bt_model.h) */
    uint64_t registrations;       /* successful registrations */
    uint64_t prunes;              /* registrations that replaced a uid */
    uint64_t epochs;              /* epochs run */
    uint32_t alpha_halvings;      /* alpha block-emission decreases */
    uint64_t last_alpha_emission; /* alpha emission of the last block */
    uint64_t miner_costs;         /* operating costs of serving miners, TAO units (off chain) */
    uint64_t sold_alpha;          /* alpha sold for TAO by miners and owners */
    double div_per_stake;    /* sample period: sum over epochs of validator dividends / stake */
    double nom_yield;        /* sample period: sum over epochs of nominator payout / stake */
    uint32_t period_epochs;  /* epochs in the sample period */
    bt_emission_totals mark; /* em at the previous sample (ledger rows per period) */
} bt_stats;

typedef struct bt_subnet {
    uint16_t netuid;      /* 1..nsubnets */
    int64_t entity;       /* recorder entity (== netuid) */
    bt_subnet_config cfg; /* copy of the effective parameters */
    tsr_yuma_params yp;   /* epoch parameters */
    tsr_ledger alpha;     /* the subnet's alpha */
    size_t a_reserve, a_server, a_validator, a_root, a_owner, a_epoch, a_unowned, a_burned,
        a_protocol;                /* fixed alpha accounts */
    size_t t_reserve;              /* TAO account of the pool (SubnetTAO) */
    uint32_t owner_agent;          /* the subnet owner */
    bt_neuron *neurons;            /* uids 0..n-1 */
    uint32_t *uid_agent;           /* uid -> agent owning its hotkey (a cache of neurons[].member
                                      -> members[].hotkey -> hotkeys[].owner, set with member) */
    uint64_t *wrows;               /* bit uid set whenever neurons[uid].nw > 0 (bt_wrow_note) */
    uint32_t n;                    /* SubnetworkN */
    bt_member *members;            /* hotkeys present here */
    uint32_t nmembers, capmembers; /* used / allocated */
    int32_t *member_of;            /* global hotkey -> member index or BT_NONE (nhotkeys entries) */
    bt_position *pos;              /* stake positions */
    uint32_t npos, cappos;         /* used / allocated */
    uint32_t *miners;              /* agent indices of the subnet's miners */
    uint32_t nminers;              /* entries */
    uint32_t *delegators;          /* agent indices of the subnet's delegators */
    uint32_t ndelegators;          /* entries */
    uint32_t *validators;          /* agent indices of validators registered at genesis */
    uint32_t nvalidators;          /* entries */
    bt_stats st;                   /* metrics */
    double qsum;                   /* quality of the serving registered miners (candidates' view):
                                      kept up to date by registrations, recomputed every day */
    /* epoch scratch (grown on demand) */
    size_t cap_n, cap_w, cap_b, cap_ob; /* capacities of the arrays below */
    uint64_t *e_alpha, *e_tao, *e_lu, *e_bar, *e_em, *e_sem, *e_vem, *e_stake;
    bool *e_permit, *e_newpermit, *e_active;
    uint16_t *e_cons, *e_inc, *e_div, *e_vt;
    size_t *e_wptr, *e_bptr, *e_obptr;
    tsr_yuma_pair *e_w, *e_b, *e_ob;
    tsr_u96f32 *e_adiv, *e_rdiv, *e_apay, *e_rpay;
    uint64_t *split_w, *split_out;
    uint32_t *split_idx; /* the position of each split entry (pay_nominators) */
    tsr_split_item *split_scratch;
    size_t cap_split;
} bt_subnet;

/* Keeps sn->wrows: uid's bit is set when its weights row is not empty (a set bit over an empty
** row is allowed; a prune clears it). Every writer of neurons[uid].nw calls this after. */
static inline void bt_wrow_note(bt_subnet *sn, uint32_t uid)
{
    if (sn->neurons[uid].nw)
        sn->wrows[uid / 64] |= UINT64_C(1) << (uid % 64);
}

struct bt_model {
    bt_config cfg;            /* copy (the subnets array is copied too) */
    bt_subnet_config *subcfg; /* owned copy of cfg.subnets */
    const recorder *rec;      /* metrics sink */
    sim *s;                   /* the engine */
    uint64_t genesis;         /* the block the run starts after */
    tsr_chain chain;          /* chain state for the coinbase */
    tsr_subnet *cs;           /* coinbase subnets, index i = netuid i+1 */
    tsr_subnet_flow *flow;    /* last block's flows */
    bt_subnet *sub;           /* model subnets, same order */
    uint32_t nsub;            /* subnets */
    tsr_ledger tao;           /* TAO */
    size_t t_burn;            /* burned TAO (fees with no block author) */
    uint64_t outside;         /* genesis TAO of the rest of the network (a snapshot's issuance) */
    bt_agent *agents;         /* every agent */
    double *answer;   /* per agent: its quality if it is a serving miner, else -1 (bt_agent_sync) */
    uint64_t *earned; /* per agent: miners' incentive alpha since their last day event (kept
                      ** here, not in bt_agent: an epoch adds to 200+ of them) */
    uint32_t nagents, capagents;   /* used / allocated */
    bt_hotkey *hotkeys;            /* every hotkey */
    uint32_t nhotkeys, caphotkeys; /* used / allocated */
    bt_rootpos *rootpos;           /* root positions */
    uint32_t nrootpos, caprootpos; /* used / allocated */
    uint32_t nvalidators;          /* global validators: agents 0..nvalidators-1 */
    gsl_rng *rng;                  /* per-event generator, re-keyed before each use */
    rng_zig zig;                   /* fast Gaussian draws on it (rng.h) */
    uint64_t last_emission;        /* TAO block emission of the previous block */
    uint32_t halvings;             /* TAO emission decreases */
    uint64_t tao_recycled;         /* TAO recycled by the coinbase (never minted) */
    uint64_t tao_fees;             /* swap fees burned */
    int64_t ledger_seq;            /* next ledger row */
    double *obs;                   /* scratch: observed qualities (max_uids) */
    bt_pair *wbuf;                 /* scratch: a weights row (max_uids) */
    tsr_neuron *prune_buf;         /* scratch for pruning (max_uids) */
    uint16_t *u16buf;              /* scratch: a u16 vector (max_uids) */
    uint32_t *candbuf;             /* scratch: delegators' candidates (max_uids) */
    uint64_t root_claimed;         /* TAO credited to root stakers by root claims, cumulative */
    uint64_t mark_root_claimed;    /* root_claimed at the previous sample */
    uint64_t mark_block;           /* block of the previous sample */
    double *gini_buf;              /* scratch for concentration metrics */
    size_t cap_gini;               /* its capacity */
    char *err;                     /* where handlers write their error */
    size_t errlen;                 /* its size */
    struct atk_state *atk;         /* attack agents' state (agents/attacks), or NULL */
    struct bt_ahead *ahead;        /* validators' draws made ahead (bt_ahead.h), or NULL */
    /* The Yuma epoch's scratch (tsr_yuma_ws_size bytes, grown on demand), one for every subnet:
    ** nothing in it outlives an epoch, and the subnets' epochs come on consecutive blocks, so
    ** one workspace stays in the core's cache where eight (7 MB at 256 uids) were cold each
    ** time. */
    void *ws;
    size_t ws_size;
    bool bad_input; /* the first error is the configuration's (bt_model_new: 2) */
};

/* ---- bt_world.c ---------------------------------------------------------------------------- */

int bt_fail(bt_model *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* bt_fail for a configuration the model cannot start from (e.g. genesis draws beyond the
** supply): bt_model_new then returns 2, which the CLI reports as bad input. */
int bt_bad_input(bt_model *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int64_t bt_t(const bt_model *m, uint64_t block);
/* Recomputes sn->qsum from the uids. */
void bt_quality_sum(bt_model *m, bt_subnet *sn);
/* A miner that lost its uid becomes a candidate again (validators re-register by themselves). */
int bt_candidate(bt_model *m, uint32_t agent, uint64_t block);
int bt_ledger_row(bt_model *m, uint64_t block, const char *kind, int64_t src, int64_t dst,
                  uint64_t amount, const char *reason);
int bt_series_i(bt_model *m, uint64_t block, const char *metric, int64_t id, int64_t v);
int bt_series_f(bt_model *m, uint64_t block, const char *metric, int64_t id, double v);
void bt_rng(bt_model *m, uint32_t purpose, int64_t entity, uint64_t event);
/* A new agent with `tao` genesis free TAO (index, or BT_NONE on OOM), and a hotkey owned by it
** (index, or BT_NONE): for the attack agents (agents/attacks). */
int32_t bt_agent_new(bt_model *m, bt_role role, uint16_t netuid, int64_t entity, uint64_t tao);
int32_t bt_hotkey_new(bt_model *m, uint32_t owner, uint16_t take);
/* Refreshes m->answer[a] from agent a's role, serving and quality: call it after changing any
** of them (the validators' observations read the compact copy, not the agent records). */
void bt_agent_sync(bt_model *m, uint32_t a);

/* ---- bt_chain.c: accounts, pools, stake ---------------------------------------------------- */

/* The member index of hotkey h on subnet sn, created (with no uid) when absent; BT_NONE on OOM. */
int32_t bt_member_get(bt_model *m, bt_subnet *sn, int32_t hotkey);
/* The position of agent a on member k, created when absent; BT_NONE on OOM. */
int32_t bt_position_get(bt_model *m, bt_subnet *sn, uint32_t agent, uint32_t member);
/* Genesis alpha of agent on member: a new position opened with `amount` as genesis balance
** (or, for an existing one, minted into it). BT_NONE on OOM. */
int32_t bt_position_genesis(bt_model *m, bt_subnet *sn, uint32_t agent, uint32_t member,
                            uint64_t amount);
/* Moves `amount` alpha from account `from` to position p (stake), keeping member totals. */
int bt_stake_to(bt_model *m, bt_subnet *sn, size_t from, uint32_t p, uint64_t amount);
/* Marks position p as possibly holding alpha in its member's live bits: every credit to a
** position account calls it (bt_stake_to, genesis), and only a reader that finds the position
** empty clears its bit, so a clear bit always means an empty position. */
void bt_position_credited(bt_subnet *sn, uint32_t p);
/* Moves `amount` alpha out of position p to account `to`. */
int bt_unstake_from(bt_model *m, bt_subnet *sn, uint32_t p, size_t to, uint64_t amount);
/* Makes room for n entries in sn's split buffers (split_w, split_out, split_idx, scratch). */
int bt_split_reserve(bt_model *m, bt_subnet *sn, size_t n);
/* Largest-remainder split of amount over split_w[0..n) into split_out; *rest what was left. */
int bt_split(bt_model *m, bt_subnet *sn, uint64_t amount, size_t n, uint64_t *rest);
/* *p resized to n elements of sz bytes: 0, or -1 with *p as it was (still valid). */
static inline int bt_resize(void **p, size_t n, size_t sz)
{
    void *q = realloc(*p, n * sz);
    if (!q)
        return -1;
    *p = q;
    return 0;
}

/* Balance of account acct, 0 when it does not exist (what tsr_ledger_balance's callers here
** fall back to), read in place: the block step, the checks and the distribution read balances
** many times per block, and a call per read showed in profiles. */
static inline uint64_t bt_balance(const tsr_ledger *l, size_t acct)
{
    return acct < l->n ? l->balance[acct] : 0;
}

/* Chain buy of excess TAO (fee-free): TAO minted into the pool, alpha to the protocol account.
** The chain buys before it injects (spec §3.5 steps 2 and 3), so the swap is priced from the
** reserves without this block's injection, tao_injected and alpha_injected, which the coinbase
** has already added to cs (tsr_pool_chain_buy_quote). */
int bt_protocol_buy(bt_model *m, bt_subnet *sn, tsr_subnet *cs, uint64_t tao, uint64_t tao_injected,
                    uint64_t alpha_injected);
/* A sale of `amount` alpha from position p for TAO into the agent's free balance, fee paid in
** alpha and burned as TAO. 0 done, 1 refused (reserve floor), negative on ledger failure.
** *tao_out (may be NULL) receives the TAO the seller got. */
int bt_sell(bt_model *m, bt_subnet *sn, uint32_t p, uint64_t amount, uint64_t *tao_out);
/* Sells alpha held in the subnet's account `from` (fee-free) and credits the TAO to the root
** positions of hotkey h pro rata (root claim, type Swap, compounding). */
int bt_root_claim(bt_model *m, bt_subnet *sn, size_t from, uint64_t amount, uint32_t hotkey);
/* Registers agent a (its hotkey) on sn at `block`: pays the burn (swapped into alpha, which is
** burned), finds a slot (append, or prune per §3.10). 0 done, 1 refused (funds or no slot). */
int bt_register(bt_model *m, bt_subnet *sn, uint32_t a, uint64_t block);
/* Places hotkey member k at a uid at genesis (no burn). Returns the uid or BT_NONE when full. */
int32_t bt_genesis_uid(bt_model *m, bt_subnet *sn, uint32_t k, uint64_t bar, uint64_t lu);
/* Conservation and chain/ledger consistency; full adds the O(accounts) ledger sums. */
int bt_check(bt_model *m, uint64_t block, int full);

/* ---- bt_epoch.c ----------------------------------------------------------------------------- */

/* Stores a weights row for uid (max-upscaled as set_weights does), directly or as a commit.
** ascending: the caller guarantees strictly ascending uids in w (bt_validator_observe and
** bt_validator_copy produce them), which spares pruning a scan of the row (bt_chain.c); false
** when unknown (the order is then learnt at the first prune). */
int bt_set_weights(bt_model *m, bt_subnet *sn, uint32_t uid, const bt_pair *w, uint32_t nw,
                   uint64_t block, bool ascending);
/* Runs the epoch of a drained subnet and distributes its pools (§3.7). */
int bt_epoch(bt_model *m, bt_subnet *sn, tsr_subnet *cs, const tsr_drained *d, uint64_t block);
/* Max-upscales u16 weights in place (vec_u16_max_upscale_to_u16, spec §2.6). */
void bt_max_upscale(bt_pair *w, uint32_t n);
/* Frees the epoch scratch of a subnet. */
void bt_epoch_free(bt_subnet *sn);

/* ---- bt_metrics.c --------------------------------------------------------------------------- */

int bt_sample(bt_model *m, uint64_t block);
/* Gini coefficient and top-1% share of v[0..n) (sorted in place). */
void bt_concentration(double *v, size_t n, double *gini, double *top1);

#endif
