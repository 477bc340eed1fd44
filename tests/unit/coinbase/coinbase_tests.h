/* coinbase_tests.h: the suites of check_coinbase (coinbase, block step, burn and pruning) and the
 * small helpers they share. Expected values come from the spec text by hand or from
 * derive_expected.py (Python big integers written from the spec, not from the C code); each
 * assertion's comment says which. */
#ifndef TOKENSIM_COINBASE_TESTS_H
#define TOKENSIM_COINBASE_TESTS_H

#include <check.h>
#include <stdint.h>

#include "tsr.h"

Suite *suite_coinbase(void);
Suite *suite_step(void);
Suite *suite_burn(void);
Suite *suite_fast(void); /* test_fast.c: fast paths against the definitions */

/* Raw constructors: value = raw / 2^32 (U96F32, I96F32) or raw / 2^64 (U64F64). */
static inline tsr_u96f32 cb_u96_raw(uint64_t hi, uint64_t lo)
{
    tsr_u96f32 r;
    r.raw = tsr_u128_make(hi, lo);
    return r;
}
static inline tsr_u96f32 cb_u96(uint64_t x) /* the integer x */
{
    return tsr_u96f32_from_u64(x);
}
static inline tsr_u64f64 cb_u64f64_raw(uint64_t hi, uint64_t lo)
{
    tsr_u64f64 r;
    r.raw = tsr_u128_make(hi, lo);
    return r;
}
static inline tsr_i96f32 cb_i96_raw(int64_t raw)
{
    tsr_i96f32 r;
    r.raw = tsr_i128_from_i64(raw);
    return r;
}

/* splitmix64: a tiny deterministic generator for seeded sweeps (never rand()). */
static inline uint64_t cb_rand(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* Exact raw comparisons. */
#define ck_assert_u128_eq(x, hi_, lo_)                                                             \
    do {                                                                                           \
        tsr_u128 v_ = (x);                                                                         \
        ck_assert_uint_eq(v_.hi, (hi_));                                                           \
        ck_assert_uint_eq(v_.lo, (lo_));                                                           \
    } while (0)
/* A value whose raw bits fit 64 bits. */
#define ck_assert_raw64(x, lo_) ck_assert_u128_eq((x).raw, 0, (lo_))

#endif
