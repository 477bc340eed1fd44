/* yuma_tests.h: the suites of check_yuma (the Yuma epoch, tsr_yuma.h, and `tokensim epoch`)
 * and the small helpers they share. */
#ifndef TOKENSIM_YUMA_TESTS_H
#define TOKENSIM_YUMA_TESTS_H

#include <check.h>
#include <stdint.h>

#include "tsr_yuma.h"

Suite *suite_traces(void); /* every public trace, expectations checked in-process (FORMAT §1.7) */
Suite *suite_hand(void);   /* hand-computed epochs from the spec text */
Suite *suite_mech(void);   /* split_emissions and per-hotkey aggregation (spec §2.15) */
Suite *suite_cli(void);    /* `tokensim epoch`: good and bad traces through the built binary */

/* splitmix64: a tiny deterministic generator for seeded test sweeps (never rand()). */
static inline uint64_t yt_next(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

#endif
