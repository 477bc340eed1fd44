/*
** scenario.h: scenario files (libconfig 1.5) -> a validated, typed scenario, or every error.
**
** A scenario is a small libconfig file (scenarios/README.md documents every key). Loading reads
** the bytes, checks that they are text, parses them with libconfig, walks every setting against
** one key table (type, range, default, applicability, documentation), applies `--set KEY=VALUE`
** overrides through the same validators, fills in defaults, checks the cross-field rules and
** either fills a scn_scenario or returns the complete list of errors, each formatted
** `FILE:LINE: message`, `FILE: message` (no line applies) or `--set KEY: message`.
**
** Invariants: nothing in a loaded scn_scenario points into libconfig (every string is a copy
** owned by the scenario); token amounts are exact u64 base units (1 token = 10^9 units) parsed
** without floating point; integer literals that libconfig 1.5 would silently truncate to 32 bits
** are detected from the file text and rejected. The key table is the single source of truth for
** validation, defaults, --set, params_json and scn_describe.
**
** Cost: linear in the size of the file (at most 1 MiB) plus O(keys) per setting.
** Thread safety: no global mutable state; separate loads may run concurrently.
*/
#ifndef TOKENSIM_SCENARIO_H
#define TOKENSIM_SCENARIO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Return codes of the loaders (0 = success). */
enum {
    SCN_OK = 0,      /* loaded and valid */
    SCN_EINVAL = -1, /* the scenario or an override is invalid; the reasons are in errs */
    SCN_ENOMEM = -2  /* out of memory (errs may be incomplete) */
};

/* Largest scenario file accepted, in bytes. */
#define SCN_MAX_FILE_BYTES ((size_t)1024 * 1024)
/* At most this many messages are kept; one more line says how many were dropped. */
#define SCN_MAX_ERRORS 100u

typedef enum {
    SCN_MODEL_TOKEN = 0, /* one token, an emission schedule, stakers sharing the reward */
    SCN_MODEL_BITTENSOR =
        1, /* Bittensor: subnets, miners, validators, delegators (agents/bittensor) */
    SCN_MODEL_COLLUSION_TOY = 2, /* the whitepaper's two-sided collusion example (study) */
    SCN_MODEL_RETENTION = 3,     /* the mechanisms.md §6.3 retention Monte Carlo (study) */
    SCN_MODEL_BITGRIT = 4,       /* bitgrit: staked competitions, job board (agents/bitgrit) */
    SCN_MODEL_NUMERAI = 5,       /* Numerai tournament rounds (agents/bitgrit, bg_numerai.c) */
    SCN_MODEL_AIGEN = 6,         /* AiGen platform: consumers, controllers, validators */
    SCN_MODEL_CFLOW = 7          /* Bitmodel C-Flow royalty graph (agents/cflow) */
} scn_model;
typedef enum {
    SCN_SCHEDULE_ISSUANCE = 0, /* Bittensor: reward halves as total issuance nears the supply */
    SCN_SCHEDULE_BITCOIN = 1   /* Bitcoin: reward halves every halving_interval blocks */
} scn_schedule;

/* ---- model "bittensor" ----------------------------------------------------------------------- */

/* Roles of a snapshot neuron. */
typedef enum {
    SCN_SNAP_MINER = 0,     /* serves the subnet; its quality is what validators observe */
    SCN_SNAP_VALIDATOR = 1, /* sets weights (honest strategy) */
    SCN_SNAP_OWNER = 2      /* the subnet owner's hotkey */
} scn_snap_role;

/* One (uid, value) pair of a snapshot's weights or bonds row, in the order written. */
typedef struct scn_snap_pair {
    uint16_t uid;   /* destination uid */
    uint16_t value; /* stored u16 */
} scn_snap_pair;

/* One uid of a metagraph snapshot (scenarios/BITTENSOR.md documents the JSON). */
typedef struct scn_snap_neuron {
    uint16_t uid;           /* 0..n-1, each exactly once */
    char *hotkey;           /* hotkey address (any text), owned */
    char *coldkey;          /* owning coldkey, owned (NULL when absent; not used by the model) */
    scn_snap_role role;     /* given, or derived (weights to others: validator) */
    double quality;         /* miner quality in [0, 1]; from incentive when absent */
    uint64_t stake;         /* alpha stake of the hotkey, units */
    uint64_t root_stake;    /* root (TAO) stake of the hotkey, units */
    uint64_t registered_at; /* BlockAtRegistration (<= snapshot block) */
    uint64_t last_update;   /* LastUpdate (<= snapshot block) */
    int validator_permit;   /* ValidatorPermit of the last epoch */
    uint16_t take;          /* delegate take, of 65535 (<= 11796) */
    uint64_t emission;      /* Emission of the last epoch, units */
    uint16_t incentive;     /* Incentive of the last epoch (u16) */
    scn_snap_pair *weights; /* Weights row, owned */
    size_t nweights;        /* pairs in weights */
    scn_snap_pair *bonds;   /* Bonds row, owned */
    size_t nbonds;          /* pairs in bonds */
} scn_snap_neuron;

/* A metagraph snapshot: the initial state of one subnet. */
typedef struct scn_snapshot {
    char *path;               /* the file as opened (resolved against the scenario's directory) */
    char *given;              /* the path as the scenario wrote it (what params_json records) */
    uint64_t fnv1a64;         /* FNV-1a 64 of the file's bytes (provenance in params_json) */
    uint64_t block;           /* chain block the snapshot was taken at */
    int64_t owner_uid;        /* uid of the owner hotkey, or -1 */
    int has_pool;             /* 1 when pool_tao/pool_alpha were given */
    uint64_t pool_tao;        /* SubnetTAO, units */
    uint64_t pool_alpha;      /* SubnetAlphaIn, units */
    int has_alpha_out;        /* 1 when alpha_out was given */
    uint64_t alpha_out;       /* SubnetAlphaOut, units (issuance = alpha_in + alpha_out) */
    int has_moving_price;     /* 1 when moving_price was given */
    double moving_price;      /* SubnetMovingPrice */
    int has_issuance;         /* 1 when total_issuance was given */
    uint64_t total_issuance;  /* the network's TotalIssuance at the snapshot, units */
    int has_burn;             /* 1 when burn was given */
    uint64_t burn;            /* registration burn, units */
    scn_snap_neuron *neurons; /* by uid, owned */
    size_t n;                 /* neurons */
} scn_snapshot;

/* Effective parameters of one subnet: spec bittensor §3.12 defaults, then subnet_defaults, then
** the snapshot's hyperparameters, then the subnet's own entry in `subnets` (highest). */
typedef struct scn_bt_subnet {
    uint16_t netuid;                   /* 1..network.subnets */
    uint16_t tempo;                    /* Tempo, blocks */
    uint16_t max_uids;                 /* MaxAllowedUids */
    uint16_t max_validators;           /* MaxAllowedValidators */
    uint16_t kappa;                    /* Kappa, of 65535 */
    uint64_t bonds_moving_average;     /* BondsMovingAverage, ppm */
    uint16_t bonds_penalty;            /* BondsPenalty, of 65535 */
    int yuma3;                         /* Yuma3On */
    int liquid_alpha;                  /* LiquidAlphaOn */
    uint16_t alpha_low, alpha_high;    /* AlphaValues */
    uint16_t alpha_sigmoid_steepness;  /* AlphaSigmoidSteepness */
    uint16_t immunity_period;          /* ImmunityPeriod, blocks */
    uint16_t min_allowed_weights;      /* MinAllowedWeights */
    uint32_t activity_cutoff_factor;   /* ActivityCutoffFactorMilli */
    uint64_t stake_threshold;          /* StakeThreshold, units */
    int commit_reveal;                 /* CommitRevealWeightsEnabled */
    uint32_t reveal_period;            /* reveal period, epochs */
    uint16_t weights_rate_limit;       /* WeightsSetRateLimit, blocks */
    uint16_t immune_owner_uids;        /* ImmuneOwnerUidsLimit */
    uint16_t min_non_immune_uids;      /* MinNonImmuneUids */
    int owner_cut_enabled;             /* OwnerCutEnabled */
    uint64_t burn;                     /* initial Burn, units */
    uint16_t burn_half_life;           /* BurnHalfLife, blocks */
    double burn_increase_mult;         /* BurnIncreaseMult (converted from f64 as the chain does) */
    uint64_t burn_min, burn_max;       /* MinBurn, MaxBurn, units */
    uint64_t pool_tao, pool_alpha;     /* genesis pool reserves, units */
    double moving_price;               /* initial SubnetMovingPrice */
    uint64_t ema_price_halving_blocks; /* EMAPriceHalvingBlocks */
    uint32_t miners;                   /* miner agents (candidates) of this subnet */
    uint32_t delegators;               /* delegator agents of this subnet */
    scn_snapshot *snapshot;            /* initial state, or NULL; owned */
} scn_bt_subnet;

typedef enum {
    SCN_QUALITY_UNIFORM = 0,
    SCN_QUALITY_BETA = 1,
    SCN_QUALITY_LOGNORMAL = 2
} scn_quality;

/* Everything model "bittensor" reads (scenarios/README.md, keys chain.* ... owners.*). */
typedef struct scn_bittensor {
    struct {
        uint64_t total_supply;         /* TotalSupply, units */
        uint64_t block_emission;       /* DefaultBlockEmission, units */
        uint64_t tao_weight;           /* TaoWeight, of u64::MAX */
        uint16_t subnet_owner_cut;     /* SubnetOwnerCut, of 65535 */
        uint16_t max_epochs_per_block; /* MaxEpochsPerBlock */
        int share_variant;             /* 0 main, 1 release (spec §3.3) */
    } chain;
    uint32_t nsubnets;      /* network.subnets */
    scn_bt_subnet *subnets; /* nsubnets entries, netuid i+1 at index i; owned */
    struct {
        uint32_t honest, lazy, noisy; /* validators per strategy */
        double noise, noisy_noise;    /* observation noise (sigma) of honest / noisy */
        uint64_t stake;               /* mean genesis alpha stake per subnet, units */
        double stake_spread;          /* lognormal sigma of that stake */
        uint64_t root_stake;          /* own genesis root stake, units */
        uint16_t take_min, take_max;  /* delegate take range, of 65535 */
        uint64_t tao;                 /* genesis free TAO, units */
    } validators;
    struct {
        scn_quality quality;         /* latent quality distribution */
        double quality_a, quality_b; /* its parameters */
        uint64_t cost;               /* operating cost, units of TAO per day */
        uint64_t tao;                /* genesis free TAO, units */
        double horizon_days;         /* payback horizon of the registration decision */
        uint64_t check_every;        /* blocks between registration decisions */
        double sell_fraction;        /* fraction of alpha stake sold each day */
        uint32_t patience_days;      /* unprofitable days before a miner stops serving */
        int genesis_registered;      /* fill the free uids at genesis */
    } miners;
    struct {
        uint64_t stake;          /* mean genesis alpha position, units */
        double stake_spread;     /* lognormal sigma */
        uint64_t decide_every;   /* blocks between decisions */
        uint64_t move_delay;     /* blocks between a decision and its stake move */
        double switch_threshold; /* relative yield gain needed to move */
        double noise;            /* lognormal noise on perceived yields */
    } delegators;
    struct {
        uint32_t stakers;    /* root stakers */
        uint64_t stake;      /* mean genesis root stake, units */
        double stake_spread; /* lognormal sigma */
    } root;
    struct {
        double sell_fraction; /* fraction of the owner's alpha stake sold each day */
        uint64_t tao;         /* genesis free TAO per owner, units */
    } owners;
    struct scn_bt_attacks {
        uint16_t netuid; /* the attacked subnet */
        struct {
            int on;               /* attacks.cabal */
            double stake_share;   /* share of the genesis validator stake */
            uint32_t validators;  /* cabal validators */
            uint32_t miners;      /* cabal miners */
            double quality;       /* their latent quality */
            double own_weight;    /* share of a row given to own miners while active */
            uint64_t start, stop; /* blocks after genesis (stop 0: never) */
        } cabal;
        struct {
            int on;               /* attacks.copier */
            double stake_share;   /* share of the genesis validator stake */
            int source;           /* 0 consensus, 1 validator */
            uint32_t target;      /* copied validator (index among genesis validators) */
            uint64_t lag;         /* blocks */
            uint64_t start, stop; /* blocks after genesis */
        } copier;
        struct {
            int on;               /* attacks.sybil */
            int mode;             /* 0 miners, 1 validators */
            uint32_t identities;  /* k */
            double quality;       /* miners mode: quality of every identity */
            double stake_share;   /* validators mode: share of the genesis validator stake */
            uint64_t tao;         /* genesis free TAO per identity, units */
            uint64_t start, stop; /* blocks after genesis */
        } sybil;
        struct {
            int on;               /* attacks.whale */
            uint64_t stake;       /* alpha, units */
            uint32_t target;      /* validator index among genesis validators */
            uint64_t delay;       /* blocks from decision to move */
            uint64_t start, stop; /* blocks after genesis */
        } whale;
    } attacks; /* attack agents (scenarios/ATTACKS.md) */
} scn_bittensor;

/* ---- models "collusion-toy" and "retention" (scenarios/REPRODUCTIONS.md) ---------------- */

#define SCN_STUDY_MAX_LIST 32u /* values in one retention list key */

/* A list of numbers given as text ("0.4,0.5,0.6"), parsed and range-checked. */
typedef struct scn_dlist {
    double v[SCN_STUDY_MAX_LIST]; /* the values, in the order written */
    uint32_t n;                   /* how many, 1..SCN_STUDY_MAX_LIST */
} scn_dlist;

typedef enum { SCN_DESIGN_OAT = 0, SCN_DESIGN_FULL = 1 } scn_design;
typedef enum { SCN_SEARCH_BISECT = 0, SCN_SEARCH_SCAN = 1 } scn_search;

/* Everything the two study models read (keys collusion.* and retention.*). */
typedef struct scn_study {
    struct {
        double cabal_share; /* initial cabal share of the stake, (0, 1); honest = 1 - it */
        double steepness;   /* trust = sigmoid(steepness * (share - midpoint)) */
        double midpoint;    /* share at which trust is 1/2 */
        double growth;      /* stake added per block, as a fraction of the total stake */
    } collusion;
    struct {
        uint32_t neurons;        /* N, validators + servers */
        uint32_t validators;     /* validators among them (uids 0..validators-1) */
        double stake_sigma;      /* stakes ~ N(1, stake_sigma^2) clamped at 0 */
        scn_dlist stake_shares;  /* S_H grid */
        uint32_t steps;          /* W_H, W_C grid: 0, 1/steps, ..., 1 */
        scn_dlist kappa;         /* kappa values of the sweep */
        scn_dlist bonds_penalty; /* beta values */
        scn_dlist xi;            /* validator emission ratio values */
        scn_dlist weight_sigma;  /* sigma_W values (multiples of the mean weight) */
        scn_design design;       /* one factor at a time around the base, or the full product */
        double base[4];          /* base kappa, beta, xi, sigma_W of the one-at-a-time design */
        scn_search search;       /* bisection on W_H or a full scan */
        int yuma3;               /* Yuma3 bonds instead of the original Yuma */
    } retention;
} scn_study;

/* ---- models "bitgrit" and "numerai" (scenarios/BITGRIT.md; scn_bitgrit.c) ---------------- */

#define SCN_BG_MAX_WINNERS 64u /* competitions.winners and fixed_split entries */
#define SCN_BG_ACTIONS     7u  /* community action types */

typedef enum { SCN_BG_PREMINTED = 0, SCN_BG_MINTING = 1 } scn_bg_treasury;
typedef enum { SCN_BG_SPLIT_POWER = 0, SCN_BG_SPLIT_FIXED = 1 } scn_bg_split;
typedef enum { SCN_BG_SETTLE_TIERS = 0, SCN_BG_SETTLE_NUMERAI = 1 } scn_bg_settlement;

/* Everything models "bitgrit" and "numerai" read (keys supply.* ... numerai.*). Amounts are
** base units (1 BGR / NMR / USD = 10^9 units). */
typedef struct scn_bitgrit {
    struct {
        uint64_t max_supply;           /* maximum supply, units */
        scn_bg_treasury treasury;      /* pre-minted treasury or true minting */
        uint64_t community_allocation; /* community emissions bucket, units */
        uint32_t vesting_months;       /* its linear vesting, months */
        uint64_t market_float;         /* BGR employers buy their deposits from, units */
        double bgr_price_usd;          /* USD per BGR for the entry decision */
    } supply;
    struct {
        uint32_t interval, entry_days, duration_days; /* days */
        uint64_t stake;                               /* median stake s_c, units */
        double stake_spread;                          /* lognormal sigma of s_c per competition */
        uint64_t prize_usd;                           /* median prize P_c, USD units */
        double prize_spread;                          /* lognormal sigma of P_c */
        uint64_t bonus;                               /* BGR bonus B_c, units */
        uint32_t winners;                             /* W */
        double keep, forfeit_low, forfeit_incomplete; /* q_keep, f_low, f_inc */
        double reserve_share, platform_fee;           /* rho, phi */
        scn_bg_split split;                           /* power-law or fixed split */
        uint32_t exponent_quarters;                   /* power-law exponent, quarters */
        uint64_t fixed_split[SCN_BG_MAX_WINNERS];     /* fixed split weights (winners of them) */
        double score_noise;                           /* sigma of the score noise */
        uint32_t scoring_days;                        /* deadline to scoring and settlement */
        double bonus_probability;                     /* chance a competition carries B_c */
        scn_bg_settlement settlement;                 /* stake settlement: tiers or Numerai */
        uint64_t numerai_threshold;                   /* Numerai rule: threshold T, units */
        double numerai_scale;                         /* CORR of the best entry (worst: -) */
        double numerai_multiplier, numerai_clip;      /* CORR multiplier; clip */
    } competitions;
    struct {
        uint32_t count;                    /* data scientists */
        uint64_t balance;                  /* median genesis wallet, units */
        double balance_spread;             /* lognormal sigma */
        double skill_sd;                   /* skill ~ N(0, skill_sd^2) */
        double complete_min, complete_max; /* p_complete ~ U(min, max) */
        double cost_usd, cost_spread;      /* cost per competition (USD), lognormal sigma */
        double belief_noise;               /* sigma of the initial percentile belief */
        double learning_rate;              /* EMA rate of the belief */
        double effort_min, effort_max;     /* latent effort ~ U(min, max) in [0, 1] */
        double effort_score;               /* score points per unit of effort */
    } scientists;
    struct {
        double arrival_rate;   /* employers per day */
        double deposit_stakes; /* d_job in multiples of competitions.stake */
        double hire_rate;      /* daily hire probability when every scientist has a record */
        uint32_t lock_days;    /* T_lock */
        double retain;         /* lambda */
    } jobs;
    struct {
        uint32_t members;                /* community members */
        uint64_t reward[SCN_BG_ACTIONS]; /* nominal reward per action type, units */
        double rate[SCN_BG_ACTIONS];     /* actions per member per month */
        uint32_t farm_identities;        /* k (0: no farmer) */
        double farm_rate;                /* review actions per identity per month */
        double farm_accept;              /* acceptance of a duplicate identity's action */
        uint64_t farm_start, farm_stop;  /* farmer's window [start, stop) in days, stop 0: never */
        uint64_t farm_cost;              /* cost per identity per month, units */
    } community;
    struct {
        uint32_t models;                 /* staked models */
        uint32_t interval, resolve_days; /* days */
        uint64_t threshold;              /* stake threshold T, units */
        double corr_multiplier, mmc_multiplier, clip;
        uint64_t stake;                        /* median stake, units */
        double stake_spread, stake_skill;      /* lognormal sigma; correlation with skill */
        double mu_mean, mu_sd;                 /* latent skill ~ N(mu_mean, mu_sd^2) */
        double corr_sd, mmc_sd, era_sd, mmc_k; /* score model (spec §2.7) */
        double valid;                          /* probability of a valid on-time submission */
        int compound;                          /* payouts added to the stake */
        uint64_t treasury;                     /* NMR the payouts come from, units */
        int burn_to_treasury;                  /* burn_mode "treasury" instead of "destroy" */
        uint32_t sybil_k;                      /* identities of the Sybil counterfactual */
        int atomic_v3;                         /* staking "v3": per-round locks (else "v2") */
        double round_share;                    /* v3: share of the free stake locked per round */
    } numerai;
} scn_bitgrit;

/* ---- model "aigen" (scenarios/AIGEN.md; scn_aigen.c) ------------------------------------- */

/* Everything model "aigen" reads (keys aigen.*). One tick is one epoch. Amounts are base units;
** shares are fractions, converted to parts per billion by the model. */
typedef struct scn_aigen {
    uint32_t controllers, models, consumers;   /* population sizes */
    uint64_t price;                            /* median price per call, units */
    uint64_t base_fee;                         /* EIP-1559 base fee per call at the start, units */
    uint64_t call_target;                      /* base fee usage target, calls; 0 off */
    double price_spread;                       /* lognormal sigma of the model prices */
    double calls, elasticity;                  /* mean calls per consumer; price elasticity */
    double quality_weight, price_weight;       /* logit weights of quality and log price */
    double score_weight;                       /* weight of the published score in perception */
    uint64_t wallet;                           /* consumer genesis wallet, units */
    double quality_a, quality_b;               /* latent quality ~ Beta(a, b) */
    double invest_step;                        /* quality bought by one investment */
    uint64_t invest_cost;                      /* its cost, units */
    uint32_t invest_horizon;                   /* epochs a developer looks ahead */
    double decay;                              /* quality lost per epoch */
    double k_plat, k_dev, k_val, k_burn;       /* fee split, sums to 1 */
    double kappa;                              /* stake quorum of the median */
    int relative;                              /* developer revenue mode RELATIVE */
    int unearned_treasury;                     /* unearned to treasury instead of burned */
    uint32_t gamma;                            /* accuracy exponent */
    int slashing;                              /* coherence slashing on */
    double epsilon, slash;                     /* slashing threshold and rate */
    uint32_t slash_correlation;                /* proportional slashing multiplier, 0 off */
    double audit;                              /* audit probability per controller and epoch */
    uint32_t reveal_delay;                     /* commit-reveal delay, epochs */
    uint32_t honest, lazy, copiers, coalition; /* validators of each strategy */
    uint64_t stake;                            /* median validator stake, units */
    double stake_spread;                       /* lognormal sigma of stakes */
    double noise, lazy_score;                  /* honest score noise; lazy constant score */
    double coalition_share;                    /* coalition stake share (0: drawn as others) */
    uint32_t coalition_controllers;            /* controllers the coalition owns */
    double coalition_deflate;                  /* factor taken off others' scores */
    int compound;                              /* validator rewards added to stake */
    uint64_t coalition_start, coalition_stop;  /* coalition's window, epochs (stop 0: never) */
    uint64_t copier_start, copier_stop;        /* copiers' window, epochs (stop 0: never) */
    uint32_t sybil_k;                          /* identities of the Sybil counterfactual */
} scn_aigen;

/* ---- model "cflow" (scenarios/CFLOW.md; scn_cflow.c) -------------------------------------- */

typedef enum {
    SCN_CF_FOUNDATION = 0,
    SCN_CF_FINETUNE = 1,
    SCN_CF_APP = 2,
    SCN_CF_DATASET = 3,
    SCN_CF_CONTRIBUTOR = 4
} scn_cf_type;

/* One node of the seed graph (cflow.graph_file). */
typedef struct scn_cf_node {
    char *name;       /* as written in the graph file */
    scn_cf_type type; /* node type */
    uint32_t members; /* contributors inside the node (0: drawn by the model) */
    unsigned line;    /* line in the graph file */
} scn_cf_node;

/* One royalty edge of the seed graph, child -> parent, rate on the 1e8 scale. */
typedef struct scn_cf_link {
    uint32_t child, parent; /* node indexes in scn_cflow.nodes */
    uint32_t rate;          /* 1e8 = 100 % */
    unsigned line;          /* line in the graph file */
} scn_cf_link;

/* Everything model "cflow" reads (keys cflow.*). One tick is one day. */
typedef struct scn_cflow {
    int absolute;                                 /* LAP instead of LRP */
    uint32_t max_parents, max_ancestors;          /* link limits */
    char *graph_path;                             /* resolved graph file path, NULL when none */
    scn_cf_node *nodes;                           /* seed graph nodes (owned) */
    uint32_t nnodes;                              /* how many */
    scn_cf_link *links;                           /* seed graph links (owned), in file order */
    uint32_t nlinks;                              /* how many */
    uint32_t foundations, datasets, contributors; /* generated seed nodes */
    double rate[4];     /* default rates: foundation, fine-tune, dataset, contributor */
    double rate_spread; /* lognormal sigma of drawn rates */
    double finetunes_per_day, apps_per_day;   /* arrival rates */
    double extra_parents;                     /* probability of each further parent */
    double dataset_link, contributor_link;    /* probability of a dataset / contributor edge */
    double events_per_day;                    /* revenue events per day */
    uint64_t revenue;                         /* median revenue per event, units */
    double revenue_spread;                    /* its lognormal sigma */
    uint32_t members_max, foundation_members; /* contributors inside a node */
    int shapley;                              /* split inside a node by Shapley values */
    double shapley_exponent;                  /* utility v(S) = V (w(S)/w(N))^exponent */
    uint32_t shapley_permutations;            /* K, for nodes with more than 16 contributors */
    uint32_t dilution_day;                    /* day of the shell-node attack (0: never) */
    double shell_rate;                        /* the shell node's rate to the app's parent */
    uint32_t fork_day;                        /* day of the fork attack (0: never) */
    double fork_capture;                      /* share of the original's events the clone takes */
    double fork_prob;                         /* an arriving fine-tune forks a model (copies its
                                                 parent links) instead of building on it */
} scn_cflow;

/* A validated scenario. Zero it (or let a loader fill it) before use; scn_clear frees it.
** Amounts are base units (1 token = 10^9 units). Keys that do not apply to the chosen
** emission schedule are 0 here and null in params_json. */
/* The scenario's optional `sweep` group (scenarios/README.md, docs/SWEEPS.md): a design for
** `tokensim sweep`, kept as the texts of the equivalent command-line options so that a file
** design and the same design typed on the command line are one code path. `tokensim run`
** ignores it; it is not part of params_json. Validated at load time: every swept key is a
** --set key whose values pass that key's own rules. */
#define SCN_SWEEP_MAX_KEYS 20u /* swept keys of one design (GSL's Sobol limit, 2k <= 40) */
typedef struct scn_sweep {
    unsigned line;                   /* line of the `sweep` group */
    char *grid[SCN_SWEEP_MAX_KEYS];  /* "KEY=V1,V2,..." or "KEY=LO:HI:N", as --grid */
    size_t ngrid;                    /* how many */
    char *zip[SCN_SWEEP_MAX_KEYS];   /* "KEY=V1,V2,...", as --zip */
    size_t nzip;                     /* how many */
    char *range[SCN_SWEEP_MAX_KEYS]; /* "KEY=LO:HI", as --range */
    size_t nrange;                   /* how many */
    char *sample;                    /* "lhs", "sobol", "saltelli", "morris" or NULL */
    uint64_t samples, levels, runs;  /* --samples, --levels, --runs; 0 when not given */
    int crn;                         /* 1: crn = true (--crn) */
    char *metric;                    /* --metric, or NULL */
    char *reduce;                    /* --reduce ("last", "mean", "min", "max"), or NULL */
    char *bisect;                    /* "KEY=LO:HI" (--bisect), or NULL */
    char *target, *tol;              /* --target, --tol as number texts, or NULL */
    uint64_t max_iter;               /* --max-iter, 0 when not given */
} scn_sweep;

typedef struct scn_scenario {
    char *path;        /* file path or display name (e.g. "<default>") */
    char *text;        /* the exact bytes of the scenario file, NUL-terminated (provenance) */
    char *name;        /* name = "..." ([A-Za-z0-9_.-], 1..64 characters) */
    char *description; /* free text, "" when absent */
    scn_model model;   /* world to build */
    uint64_t seed;     /* master seed, 0..2^63-1 */
    struct {
        uint32_t block_seconds; /* simulated seconds per block, 1..86400 */
        uint64_t blocks;        /* blocks to simulate, 1..10^10 */
    } time;
    struct {
        scn_schedule schedule;     /* which halving rule */
        uint64_t initial_reward;   /* units minted per block before any halving, > 0 */
        uint64_t total_supply;     /* issuance schedule: supply cap in units (0 for bitcoin) */
        uint64_t halving_interval; /* bitcoin schedule: blocks per halving (0 for issuance) */
        uint64_t start_block;      /* bitcoin schedule: first subsidised height h0 */
    } emission;
    struct {
        uint32_t count;             /* number of stakers, 1..100000 */
        uint64_t initial_stake;     /* mean genesis stake per staker, units, > 0 */
        double stake_spread;        /* lognormal sigma of genesis stakes, 0..3 */
        int compound;               /* 1: rewards restaked; 0: paid to the free balance */
        double unstake_probability; /* chance per staker per simulated day to unstake, 0..1 */
        double unstake_fraction;    /* fraction of stake unstaked when it happens, (0, 1] */
    } stakers;
    struct {
        uint64_t every;        /* blocks between metric samples, 1..10^9 */
        uint64_t epochs_every; /* bittensor: epoch rows of every N-th epoch per subnet; 0 never */
    } record;
    scn_bittensor bt;  /* model "bittensor" only (zeroed for the token model) */
    scn_study study;   /* models "collusion-toy" and "retention" only (zeroed otherwise) */
    scn_bitgrit bg;    /* models "bitgrit" and "numerai" only (zeroed otherwise) */
    scn_aigen aigen;   /* model "aigen" only (zeroed otherwise) */
    scn_cflow cflow;   /* model "cflow" only (zeroed otherwise; scn_clear frees the graph) */
    char *params_json; /* effective value of every key as a JSON object, in key-table order */
    scn_sweep *sweep;  /* the file's `sweep` group, NULL when it has none (not in params_json) */
} scn_scenario;

/* ---- error list ---------------------------------------------------------------------------- */

typedef struct scn_errors scn_errors; /* ordered list of formatted error strings */

/* A new empty list, or NULL when out of memory. */
scn_errors *scn_errors_new(void);
/* Frees the list and its strings; NULL is a no-op. */
void scn_errors_free(scn_errors *e);
/* Number of messages (0 for NULL). */
size_t scn_errors_count(const scn_errors *e);
/* Message i (0-based), or NULL when i is out of range. Valid until the list is freed. */
const char *scn_errors_get(const scn_errors *e, size_t i);

/* ---- loading ------------------------------------------------------------------------------- */

/* Loads the scenario file at `path`, then applies `sets` ("key=value" strings with dotted keys,
** e.g. "stakers.count=10"; later ones win) and validates everything. `out` need not be
** initialised. Returns SCN_OK with `out` filled, or non-zero with `out` zeroed and every error
** appended to `errs` (which may be NULL to discard them), in file order, then --set order. */
int scn_load_file(const char *path, const char *const *sets, size_t nsets, scn_scenario *out,
                  scn_errors *errs);

/* Same as scn_load_file for an in-memory NUL-terminated scenario text; `display_name` is used in
** messages and stored in out->path (NULL means "<text>"; use "<default>" for the built-in). */
int scn_load_text(const char *text, const char *display_name, const char *const *sets, size_t nsets,
                  scn_scenario *out, scn_errors *errs);

/* Frees the owned strings and zeroes *s; NULL or a zeroed scenario is fine. */
void scn_clear(scn_scenario *s);

/* The built-in default scenario: the bytes of scenarios/default.cfg embedded at build time. */
const char *scn_default_text(void);

/* Prints every key with its type, range, default, applicability and meaning.
** Returns 0, or -1 when writing failed. */
int scn_describe(FILE *out);

/* ---- key table access (for documentation and tools) ---------------------------------------- */

/* Read-only view of one entry of the key table. Strings are static. */
typedef struct scn_keyinfo {
    const char *path;    /* dotted key, e.g. "stakers.count"; groups too (e.g. "stakers") */
    const char *type;    /* "group", "string", "integer", "number", "boolean", "token amount",
                            "list of groups" */
    const char *range;   /* human-readable range or choices, "" for groups and booleans */
    const char *def;     /* default in --set syntax, NULL when there is none */
    const char *unit;    /* unit, "" when none */
    const char *applies; /* "" (always), the schedule ("issuance", "bitcoin") or the model
                            ("token", "bittensor") it belongs to */
    int required;        /* 1 required always, 2 required for the bitcoin schedule, else 0 */
    const char *doc;     /* meaning, one paragraph */
} scn_keyinfo;

/* Number of keys in the table (groups included). */
size_t scn_key_count(void);
/* Fills *out for key i; returns 0, or -1 when i is out of range. `range` points into `buf`. */
int scn_key_info(size_t i, scn_keyinfo *out, char *buf, size_t buflen);

/* ---- token amounts ------------------------------------------------------------------------- */

/* Results of scn_amount_parse. */
enum {
    SCN_AMOUNT_OK = 0,
    SCN_AMOUNT_JUNK = 1,      /* not DIGITS[.DIGITS] */
    SCN_AMOUNT_NEGATIVE = 2,  /* starts with '-' */
    SCN_AMOUNT_PRECISION = 3, /* more than 9 fractional digits */
    SCN_AMOUNT_OVERFLOW = 4   /* more than 2^64-1 base units */
};
#define SCN_UNITS_PER_TOKEN 1000000000ull
/* Buffer size for scn_amount_format ("18446744073.709551615" plus NUL fits). */
#define SCN_AMOUNT_BUFLEN 32

/* Parses a decimal token amount ("1000", "0.5", "0.000000001") exactly into base units.
** Syntax: DIGITS or DIGITS.DIGITS, no sign, spaces or exponent. */
int scn_amount_parse(const char *s, uint64_t *units);
/* Message for a scn_amount_parse result (static string). */
const char *scn_amount_strerror(int rc);
/* Writes units as a canonical decimal token amount: no trailing fractional zeros ("0.5",
** "1000"). */
void scn_amount_format(uint64_t units, char out[SCN_AMOUNT_BUFLEN]);

#endif
