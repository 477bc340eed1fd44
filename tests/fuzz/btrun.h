/*
** btrun.h: a short run of the bittensor model from a scenario the loader accepted, for the fuzz
** targets (fuzz_scenario, fuzz_snapshot). The scenario is cut down in place - at most 40 blocks
** and tempos of at most 10 blocks, so that epochs happen - and skipped when its network is too
** large to stay fast: more than 4 subnets, 256 uids in a subnet, 64 agents of one kind
** (validators, a subnet's miners or delegators, root stakers, attack identities) or 1024
** snapshot weight and bond pairs. Invariants of a run: the model refuses its configuration as bad
** input
** with a message, or runs to the end with its end-of-run checks passing (every base unit
** accounted for). Anything else aborts through FUZZ_CHECK.
*/
#ifndef TOKENSIM_FUZZ_BTRUN_H
#define TOKENSIM_FUZZ_BTRUN_H

#include "scenario.h"

/* 1 when sc (model "bittensor") was run or refused, 0 when it was skipped as too large. */
int fuzz_bt_short_run(scn_scenario *sc);

#endif
