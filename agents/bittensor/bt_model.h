/*
** bt_model.h: the "bittensor" model — a root network and subnets with miners, validators,
** delegators, root stakers and subnet owners, from genesis (or a metagraph snapshot) across
** issuance-based halvings, at the granularity of 12-second blocks.
**
** Every block runs the chain's block step through the reward core (spec bittensor §3.2):
** registration burn decay, TAO block emission from TotalIssuance (halving on issuance), the
** coinbase (subnet TAO shares from moving prices, injection, the root-proportion cap and the
** chain buy of excess TAO, the 18/41/41 alpha split into pending pools), epoch draining with
** MaxEpochsPerBlock, the bit-exact Yuma epoch of every drained subnet and the distribution of
** its pools (§3.7: incentives, owner-hotkey burn, dividends split between alpha and root
** stakers, delegate take, nominators pro rata), then moving prices. Agents act between blocks
** (weights with commit-reveal, registrations with pruning, stake moves, sells); the model turns
** their decisions into token movements through tsr_ledger only.
**
** Money: one tsr_ledger for TAO and one per subnet for its alpha; every mint, burn and
** transfer goes through them, and after every block the chain's counters (TotalIssuance,
** SubnetTAO, SubnetAlphaIn/Out, the pending pools, root stake) are compared with the ledgers'
** balances: a single unit created or lost fails the run with a message naming the account.
** Which parts follow the chain exactly and which are modelled: scenarios/BITTENSOR.md.
**
** Events (ticks are blocks; the run covers genesis+1 .. genesis+blocks): BLOCK (phase 0),
** agent actions (phase 1, delivered in canonical order), SAMPLE (phase 9).
*/
#ifndef TOKENSIM_BT_MODEL_H
#define TOKENSIM_BT_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "recorder.h"
#include "sim.h"

/* ---- configuration (filled by the CLI from the scenario; scenarios/README.md) --------------- */

typedef enum { BT_SNAP_MINER = 0, BT_SNAP_VALIDATOR = 1, BT_SNAP_OWNER = 2 } bt_snap_role;

/* One stored (uid, u16) pair of a weights or bonds row. */
typedef struct bt_pair {
    uint16_t uid;   /* destination uid */
    uint16_t value; /* stored u16 */
} bt_pair;

/* One uid of a snapshot (see scn_snap_neuron). */
typedef struct bt_neuron_init {
    const char *hotkey;     /* name of the hotkey (entity name) */
    bt_snap_role role;      /* what the agent behind the uid does */
    double quality;         /* miner quality */
    uint64_t stake;         /* alpha stake (own position of the hotkey's owner), units */
    uint64_t root_stake;    /* root stake, units of TAO */
    uint64_t registered_at; /* BlockAtRegistration */
    uint64_t last_update;   /* LastUpdate */
    int validator_permit;   /* ValidatorPermit */
    uint16_t take;          /* delegate take */
    uint64_t emission;      /* Emission of the last epoch */
    const bt_pair *weights; /* Weights row */
    size_t nweights;        /* its pairs */
    const bt_pair *bonds;   /* Bonds row */
    size_t nbonds;          /* its pairs */
} bt_neuron_init;

typedef struct bt_snapshot_init {
    uint64_t block;                /* the snapshot's block (the run starts there) */
    int64_t owner_uid;             /* owner hotkey's uid, or -1 */
    int has_issuance;              /* total_issuance given */
    uint64_t total_issuance;       /* the network's TotalIssuance: the TAO beyond what the model
                                      holds at genesis is held by the rest of the network */
    int has_alpha_out;             /* alpha_out given */
    uint64_t alpha_out;            /* SubnetAlphaOut (>= the sum of stakes) */
    const bt_neuron_init *neurons; /* by uid */
    size_t n;                      /* uids */
} bt_snapshot_init;

/* Effective parameters of one subnet (spec bittensor §3.12 names in comments). */
typedef struct bt_subnet_config {
    uint16_t tempo;                    /* Tempo */
    uint16_t max_uids;                 /* MaxAllowedUids */
    uint16_t max_validators;           /* MaxAllowedValidators */
    uint16_t kappa;                    /* Kappa */
    uint64_t bonds_moving_average;     /* BondsMovingAverage */
    uint16_t bonds_penalty;            /* BondsPenalty */
    int yuma3;                         /* Yuma3On */
    int liquid_alpha;                  /* LiquidAlphaOn */
    uint16_t alpha_low, alpha_high;    /* AlphaValues */
    uint16_t alpha_sigmoid_steepness;  /* AlphaSigmoidSteepness */
    uint16_t immunity_period;          /* ImmunityPeriod */
    uint16_t min_allowed_weights;      /* MinAllowedWeights */
    uint32_t activity_cutoff_factor;   /* ActivityCutoffFactorMilli */
    uint64_t stake_threshold;          /* StakeThreshold */
    int commit_reveal;                 /* CommitRevealWeightsEnabled */
    uint32_t reveal_period;            /* reveal period, epochs */
    uint16_t weights_rate_limit;       /* WeightsSetRateLimit */
    uint16_t immune_owner_uids;        /* ImmuneOwnerUidsLimit */
    uint16_t min_non_immune_uids;      /* MinNonImmuneUids */
    int owner_cut_enabled;             /* OwnerCutEnabled */
    uint64_t burn;                     /* initial Burn */
    uint16_t burn_half_life;           /* BurnHalfLife */
    double burn_increase_mult;         /* BurnIncreaseMult (as the f64 literal) */
    uint64_t burn_min, burn_max;       /* MinBurn, MaxBurn */
    uint64_t pool_tao, pool_alpha;     /* genesis pool reserves */
    double moving_price;               /* initial SubnetMovingPrice (as the f64) */
    uint64_t ema_price_halving_blocks; /* EMAPriceHalvingBlocks */
    uint32_t miners;                   /* miner agents (beyond a snapshot's miners) */
    uint32_t delegators;               /* delegator agents */
    const bt_snapshot_init *snapshot;  /* initial state, or NULL */
} bt_subnet_config;

typedef enum { BT_QUALITY_UNIFORM = 0, BT_QUALITY_BETA = 1, BT_QUALITY_LOGNORMAL = 2 } bt_quality;

/* Attack agents on one subnet (agents/attacks/, scenarios/ATTACKS.md). Every kind is off when
** its `on` is 0 (a zeroed struct is "no attack"). Blocks are counted after genesis; a stop of 0
** means never. Shares are of the subnet's validator stake at genesis (the owner's and the
** validators' positions with their delegations), so the attacker holds share / (1 - share)
** times that stake. */
typedef enum { BT_COPY_CONSENSUS = 0, BT_COPY_VALIDATOR = 1 } bt_copy_source;
typedef enum { BT_SYBIL_MINERS = 0, BT_SYBIL_VALIDATORS = 1 } bt_sybil_mode;

typedef struct bt_attacks_config {
    uint16_t netuid; /* the attacked subnet (1..nsubnets) */
    struct {
        int on;               /* cabal self-weighting enabled */
        double stake_share;   /* cabal share of the validator stake, [0, 0.99] */
        uint32_t validators;  /* cabal validators (stake split evenly) */
        uint32_t miners;      /* cabal miners, registered at genesis */
        double quality;       /* latent quality of the cabal's miners */
        double own_weight;    /* share of a cabal row given to its own miners while active */
        uint64_t start, stop; /* active window, blocks after genesis (stop 0: never) */
    } cabal;
    struct {
        int on;                /* weight copier enabled */
        double stake_share;    /* its share of the validator stake */
        bt_copy_source source; /* what it copies */
        uint32_t target;       /* BT_COPY_VALIDATOR: index into the subnet's genesis validators */
        uint64_t lag;          /* blocks between what it sees and what it submits */
        uint64_t start, stop;  /* copying window (honest outside it) */
    } copier;
    struct {
        int on;               /* sybil operator enabled */
        bt_sybil_mode mode;   /* k miner identities, or stake split across k validators */
        uint32_t identities;  /* k */
        double quality;       /* miners mode: quality of every identity */
        double stake_share;   /* validators mode: the operator's share of the validator stake */
        uint64_t tao;         /* genesis free TAO of every identity (pays the burns) */
        uint64_t start, stop; /* miners: register at start, stop serving at stop; validators:
                                 split at start (at genesis when 0), merge back at stop */
    } sybil;
    struct {
        int on;               /* whale enabled */
        uint64_t stake;       /* its alpha, units (idle on a hotkey of its own before arrival) */
        uint32_t target;      /* index into the subnet's genesis validators */
        uint64_t delay;       /* blocks between the decision (start) and the stake move */
        uint64_t start, stop; /* arrival; at stop it moves back to its idle hotkey (0: never) */
    } whale;
} bt_attacks_config;

typedef struct bt_config {
    uint64_t seed;          /* master seed */
    uint32_t run_index;     /* run index within a sweep */
    uint32_t block_seconds; /* simulated seconds per block */
    uint64_t blocks;        /* blocks to simulate after genesis */
    struct {
        uint64_t total_supply;         /* TotalSupply = MAX_TAO_ISSUANCE, units */
        uint64_t block_emission;       /* DefaultBlockEmission, units */
        uint64_t tao_weight;           /* TaoWeight */
        uint16_t subnet_owner_cut;     /* SubnetOwnerCut */
        uint16_t max_epochs_per_block; /* MaxEpochsPerBlock */
        int share_variant;             /* 0 main, 1 release */
    } chain;
    uint32_t nsubnets;               /* subnets, netuid i+1 at index i */
    const bt_subnet_config *subnets; /* nsubnets entries (not owned) */
    struct {
        uint32_t honest, lazy, noisy; /* validators per strategy */
        double noise, noisy_noise;    /* observation sigma */
        uint64_t stake;               /* mean genesis alpha stake per subnet */
        double stake_spread;          /* lognormal sigma */
        uint64_t root_stake;          /* own root stake */
        uint16_t take_min, take_max;  /* delegate take range */
        uint64_t tao;                 /* genesis free TAO */
    } validators;
    struct {
        bt_quality quality;          /* quality distribution */
        double quality_a, quality_b; /* its parameters */
        uint64_t cost;               /* TAO per day */
        uint64_t tao;                /* genesis free TAO */
        double horizon_days;         /* payback horizon */
        uint64_t check_every;        /* blocks between registration decisions */
        double sell_fraction;        /* alpha sold per day */
        uint32_t patience_days;      /* unprofitable days before stopping (0: never) */
        int genesis_registered;      /* fill free uids at genesis */
    } miners;
    struct {
        uint64_t stake;          /* mean genesis alpha position */
        double stake_spread;     /* lognormal sigma */
        uint64_t decide_every;   /* blocks between decisions */
        uint64_t move_delay;     /* blocks from decision to move */
        double switch_threshold; /* relative advantage needed */
        double noise;            /* lognormal sigma on perceived yields */
    } delegators;
    struct {
        uint32_t stakers;    /* root stakers */
        uint64_t stake;      /* mean root stake */
        double stake_spread; /* lognormal sigma */
    } root;
    struct {
        double sell_fraction; /* owner alpha sold per day */
        uint64_t tao;         /* genesis free TAO */
    } owners;
    uint64_t record_every;     /* blocks between samples */
    uint64_t epochs_every;     /* epoch rows every N-th epoch per subnet (0: none) */
    bt_attacks_config attacks; /* attack agents (zeroed: none) */
    uint32_t helper;           /* BT_HELPER_*: validators' draws made ahead on a second thread */
} bt_config;

/* bt_config.helper. A run's results never depend on it (bt_ahead.h); AUTO starts the helper when
** the machine has more than one processor online. */
enum { BT_HELPER_AUTO = 0, BT_HELPER_OFF = 1, BT_HELPER_ON = 2 };

typedef struct bt_model bt_model;

/* Builds the world on s: genesis balances, agents, entities, handlers and first events. 0, or
** non-zero with a message in err (invalid configuration, out of memory, recorder failure). */
int bt_model_new(const bt_config *cfg, sim *s, const recorder *rec, bt_model **out, char *err,
                 size_t errlen);

/* After sim_run returned SIM_DONE: final sample and full conservation check. 0 when every unit
** is accounted for; the message of a failure names the ledger, the account and the difference. */
int bt_model_finish(bt_model *m, char *err, size_t errlen);

/* Frees the model; NULL is a no-op. */
void bt_model_free(bt_model *m);

/* ---- read-only views (CLI summary, tests) ------------------------------------------------- */

uint64_t bt_model_issuance(const bt_model *m);       /* TotalIssuance, units */
uint64_t bt_model_block_emission(const bt_model *m); /* last block's TAO emission */
uint64_t bt_model_genesis_block(const bt_model *m);  /* the block the run starts after */
uint32_t bt_model_halvings(const bt_model *m);       /* TAO block-emission decreases seen */

/* Cumulative alpha of subnet index i (netuid i+1), units: what the coinbase put into each
** pending pool (the per-block 18/41/41 split), and what the epochs paid out of them by role
** (owner, miners' incentives, validators' alpha dividends with take, root dividends, burned
** owner-hotkey incentive) or left to nobody. Returns 0, or -1 for a bad index. */
typedef struct bt_emission_totals {
    uint64_t owner_cut;        /* floor(owner cut) added to PendingOwnerCut */
    uint64_t paid_owner;       /* owner cut drained and staked to the owner */
    uint64_t server;           /* floor(server) added to PendingServerEmission */
    uint64_t validator;        /* floor(validator) added to PendingValidatorEmission */
    uint64_t root;             /* floor(root alpha) added to PendingRootAlphaDivs */
    uint64_t root_recycled;    /* root alpha recycled (root sell flag off) */
    uint64_t dust;             /* alpha_out minus the four floors */
    uint64_t minted;           /* floor(alpha_out) minted */
    uint64_t paid_miners;      /* incentives staked to miners' hotkeys */
    uint64_t paid_validators;  /* alpha dividends (take + nominators) */
    uint64_t paid_root;        /* root dividends (take + root stakers, before their sale) */
    uint64_t burned_incentive; /* owner-hotkey incentive burned */
    uint64_t undistributed;    /* drained but not paid: to the unowned account */
    uint64_t capped;           /* what the epoch assigned beyond the drained pools (not paid) */
} bt_emission_totals;
int bt_model_emission_totals(const bt_model *m, uint32_t index, bt_emission_totals *out);

/* Test hook: the TAO ledger (index -1) or subnet index i's alpha ledger, for fault injection in
** conservation tests. NULL for a bad index. */
struct tsr_ledger *bt_model_ledger(bt_model *m, int index);

#endif
