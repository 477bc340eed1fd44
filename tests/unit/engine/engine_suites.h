/*
 * Suites of check_engine, one per engine module, plus small helpers shared by the test files.
 */
#ifndef TOKENSIM_TESTS_ENGINE_SUITES_H
#define TOKENSIM_TESTS_ENGINE_SUITES_H

#include <check.h>
#include <stdint.h>

Suite *eq_suite(void);
Suite *sim_suite(void);
Suite *rng_suite(void);
Suite *progress_suite(void);

/* splitmix64: a tiny deterministic generator for test inputs (independent of the engine's RNG). */
static inline uint64_t test_mix(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* Uniform value in [0, n), n > 0 (modulo bias is irrelevant for test inputs). */
static inline uint64_t test_below(uint64_t *state, uint64_t n)
{
    return test_mix(state) % n;
}

#endif /* TOKENSIM_TESTS_ENGINE_SUITES_H */
