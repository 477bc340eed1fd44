/*
** btworld.h: the bittensor configuration the model tests and the benchmark start from: every
** subnet hyperparameter at its scenario default (spec bittensor §3.12) and the chain of the
** default scenario, so that each test writes down only what it changes; and a recorder that
** keeps nothing.
*/
#ifndef TOKENSIM_TEST_BTWORLD_H
#define TOKENSIM_TEST_BTWORLD_H

#include <stddef.h>
#include <stdint.h>

#include "bt_model.h"
#include "recorder.h"

#define BTW_TAO 1000000000ull

/* Zeroes s, then the §3.12 defaults: tempo 360, 256 uids, 64 validators, kappa 32767, Yuma 3
** bonds, commit-reveal with a one-tempo reveal, burn 1 TAO, pools of 1000 TAO each; 8 miner
** candidates, no delegators. */
void btw_subnet(bt_subnet_config *s);

/* Zeroes c, then seed 1, 12 s blocks, `blocks` blocks, the chain of the default scenario (21M
** TAO, 1 TAO a block, the chain's TAO weight and owner cut, two epochs a block at most) and
** the nsub subnets of subs (which the caller fills). */
void btw_chain(bt_config *c, bt_subnet_config *subs, uint32_t nsub, uint64_t blocks);

/* Runs c to its end on a new simulation, recording through rec: 0, or non-zero with the model's
** message in err (empty when the engine alone failed, out of memory say). */
int btw_run(const bt_config *c, const recorder *rec, char *err, size_t errlen);

/* A recorder that accepts every call and keeps nothing: for runs timed or fuzzed without a sink. */
recorder btw_null_recorder(void);

#endif
