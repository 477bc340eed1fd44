/* reward_tests.h: the suites of check_reward (one Check program for the reward core) and the
 * small helpers they share. The same sources build check_reward (native 128-bit integers) and
 * check_reward_portable (TSR_PORTABLE_INT), so every suite runs against both implementations. */
#ifndef TOKENSIM_REWARD_TESTS_H
#define TOKENSIM_REWARD_TESTS_H

#include <check.h>
#include <stdint.h>
#include <stdio.h>

/* First-mismatch recorder of the random sweeps (~1M cases): they count and keep one message. */
typedef struct {
    unsigned long fails; /* number of mismatching cases */
    char first[320];     /* description of the first one */
} mismatch;

#define MISMATCH(m, ...)                                                                           \
    do {                                                                                           \
        if ((m)->fails++ == 0)                                                                     \
            snprintf((m)->first, sizeof(m)->first, __VA_ARGS__);                                   \
    } while (0)

static inline void ck_no_mismatch(const mismatch *m, const char *what)
{
    ck_assert_msg(m->fails == 0, "%s: %lu mismatches, first: %s", what, m->fails, m->first);
}

Suite *suite_int(void);
Suite *suite_fixed(void);
Suite *suite_emission(void);
Suite *suite_split(void);
Suite *suite_ledger(void);
Suite *suite_vectors(void);
Suite *suite_math(void);
Suite *suite_fastpath(void);
Suite *suite_div(void);
Suite *suite_pool(void);

/* splitmix64: a tiny deterministic generator for seeded test sweeps (never rand()). */
static inline uint64_t rt_next(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

#endif
