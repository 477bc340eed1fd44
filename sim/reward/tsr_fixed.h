/* tsr_fixed.h: the chain's fixed-point types with substrate-fixed v0.6.0 semantics.
 *
 * Every value is held as its raw integer r; the real value is r / 2^f (spec bittensor §1.1):
 *
 *   type         raw            f   range
 *   tsr_i32f32   int64_t        32  [-2^31, 2^31)      epoch vectors and matrices
 *   tsr_i64f64   tsr_i128       64  [-2^63, 2^63)      stake normalisation, EMAs
 *   tsr_i96f32   tsr_i128       32  [-2^95, 2^95)      block emission, emission to rao
 *   tsr_u96f32   tsr_u128       32  [0, 2^96)          coinbase arithmetic
 *   tsr_u64f64   tsr_u128       64  [0, 2^64)          shares, prices, weights
 *
 * Rounding (spec bittensor §1.2): + and - are exact; multiplication floors (arithmetic shift of
 * the full-width product); division truncates toward zero ((ra << f) / rb); int -> fixed is
 * exact; fixed -> int floors and saturates (negative -> 0 for unsigned targets); fixed -> fixed
 * with fewer fractional bits floors and saturates; IEEE-754 literal -> fixed rounds to nearest,
 * ties to even, on the exact binary value (given here as the IEEE-754 bit pattern, so no floating
 * point is ever used); round() ties away from zero.
 *
 * Naming: _checked_ ops return TSR_OK or TSR_EOVERFLOW / TSR_EDIVZERO and leave *out untouched
 * on failure (Rust checked_*); _sat_ ops clamp to the type range (saturating_*); safe_div is
 * subtensor's: x/0 = 0 and an overflowing quotient = 0, not saturation. _wrapping_ ops wrap the
 * raw value as a release-build Rust runtime does. I32F32 is a plain int64_t so that the epoch's
 * vectors are plain arrays; the 128-bit types are one-member structs so that I64F64 and I96F32
 * (same storage, different scale) cannot be mixed up by accident.
 *
 * All functions are pure and reentrant. Costs: I32F32 ops are a few machine instructions (a
 * 128-bit division for div). 128-bit ops take a 64 x 64 product or one 128-bit division when the
 * operands are small (non-negative below 2^64 for mul; an integer-valued divisor or a numerator
 * below 2^(128-f) for div), and otherwise 256-bit products and, for division, algorithm D.
 * I96F32 log2 is O(1) for the integer part plus 32 squarings on 64-bit words.
 */
#ifndef TSR_FIXED_H
#define TSR_FIXED_H

#include <stdint.h>

#include "tsr_int.h"

typedef int64_t tsr_i32f32; /* raw bits of an I32F32 */

typedef struct tsr_i64f64 {
    tsr_i128 raw; /* value = raw / 2^64 */
} tsr_i64f64;

typedef struct tsr_i96f32 {
    tsr_i128 raw; /* value = raw / 2^32 */
} tsr_i96f32;

typedef struct tsr_u96f32 {
    tsr_u128 raw; /* value = raw / 2^32 */
} tsr_u96f32;

typedef struct tsr_u64f64 {
    tsr_u128 raw; /* value = raw / 2^64 */
} tsr_u64f64;

#define TSR_I32F32_ONE INT64_C(4294967296)
#define TSR_I32F32_MAX INT64_MAX
#define TSR_I32F32_MIN INT64_MIN

/* ================================ I32F32 ===================================================== */

/* Integer -> I32F32, exact; saturates outside [-2^31, 2^31). spec bittensor §1.2 */
tsr_i32f32 tsr_i32f32_from_int(int64_t x);
tsr_i32f32 tsr_i32f32_from_u64(uint64_t x);
/* Integer -> I32F32 exact, or TSR_EOVERFLOW when out of range. spec bittensor §1.2 */
int tsr_i32f32_checked_from_int(int64_t x, tsr_i32f32 *out);
/* Floor to an integer (always representable). spec bittensor §1.2 */
int64_t tsr_i32f32_to_int(tsr_i32f32 a);
/* Floor, saturating to the target; negative values give 0. spec bittensor §1.2 */
uint64_t tsr_i32f32_to_u64(tsr_i32f32 a);
uint16_t tsr_i32f32_to_u16(tsr_i32f32 a);

/* Addition and subtraction. spec bittensor §1.2 */
tsr_i32f32 tsr_i32f32_sat_add(tsr_i32f32 a, tsr_i32f32 b);
tsr_i32f32 tsr_i32f32_sat_sub(tsr_i32f32 a, tsr_i32f32 b);
int tsr_i32f32_checked_add(tsr_i32f32 a, tsr_i32f32 b, tsr_i32f32 *out);
int tsr_i32f32_checked_sub(tsr_i32f32 a, tsr_i32f32 b, tsr_i32f32 *out);
/* -a, saturating (-MIN = MAX). */
tsr_i32f32 tsr_i32f32_sat_neg(tsr_i32f32 a);

/* Multiplication: floor(ra * rb / 2^32). spec bittensor §1.2 */
int tsr_i32f32_checked_mul(tsr_i32f32 a, tsr_i32f32 b, tsr_i32f32 *out);
tsr_i32f32 tsr_i32f32_sat_mul(tsr_i32f32 a, tsr_i32f32 b);
/* The floored product modulo 2^64 (Rust `*` in a release build). */
tsr_i32f32 tsr_i32f32_wrapping_mul(tsr_i32f32 a, tsr_i32f32 b);

/* Division: trunc((ra << 32) / rb). spec bittensor §1.2 */
int tsr_i32f32_checked_div(tsr_i32f32 a, tsr_i32f32 b, tsr_i32f32 *out);
/* subtensor safe_div: 0 on division by zero or overflow. spec bittensor §1.2 */
tsr_i32f32 tsr_i32f32_safe_div(tsr_i32f32 a, tsr_i32f32 b);
/* subtensor safe_div_or: d on division by zero or overflow. spec bittensor §1.2 */
tsr_i32f32 tsr_i32f32_safe_div_or(tsr_i32f32 a, tsr_i32f32 b, tsr_i32f32 d);
/* Saturating division; b = 0 (a panic on chain) gives 0 here. spec bittensor §1.2 */
tsr_i32f32 tsr_i32f32_sat_div(tsr_i32f32 a, tsr_i32f32 b);

/* floor() and round() (nearest, ties away from zero; saturating). spec bittensor §1.2 */
tsr_i32f32 tsr_i32f32_floor(tsr_i32f32 a);
tsr_i32f32 tsr_i32f32_round(tsr_i32f32 a);

/* f32 / f64 literal given by its IEEE-754 bits -> I32F32 raw, round to nearest, ties to even on
 * the exact binary value. TSR_EINVAL for NaN/infinity, TSR_EOVERFLOW when out of range.
 * Example: 0.1f32 = bits 0x3DCCCCCD -> 429496736; 0.1f64 -> 429496730. spec bittensor §1.2 */
int tsr_i32f32_from_f32_bits(uint32_t bits, tsr_i32f32 *out);
int tsr_i32f32_from_f64_bits(uint64_t bits, tsr_i32f32 *out);

/* ---- subtensor helper conversions (epoch/math.rs) ---- */

/* min(65535, max(0, floor(x * 65535))): x (*) I32F32(65535), saturated to u16. spec bittensor §1.3
 */
uint16_t tsr_fixed_proportion_to_u16(tsr_i32f32 x);
/* I32F32(u) / I32F32(65535), truncating. spec bittensor §1.3 */
tsr_i32f32 tsr_u16_proportion_to_fixed(uint16_t u);
/* I32F32(u): the integer value, not a proportion. spec bittensor §1.3 */
tsr_i32f32 tsr_u16_to_fixed(uint16_t u);

/* ---- transcendentals (substrate-fixed transcendental.rs) ---- */

/* The truncated Taylor-series exp of substrate-fixed: exactly spec bittensor §1.4 steps 1-4.
 * TSR_EOVERFLOW when any step overflows (and for x = I32F32::MIN, whose negation overflows). */
int tsr_i32f32_exp(tsr_i32f32 x, tsr_i32f32 *out);
/* exp with x clamped to [-20, 20]; 0 / MAX if exp fails (it cannot after the clamp).
 * exp_safe(-20) = raw 8, exp_safe(20) = raw 2066907302758576256. spec bittensor §1.4 */
tsr_i32f32 tsr_i32f32_exp_safe(tsr_i32f32 x);
/* 1 / (1 + exp_safe((rho (*) -1) (*) (x - kappa))), saturating ops, truncating final division.
 * spec bittensor §1.4, TV5 */
tsr_i32f32 tsr_i32f32_sigmoid_safe(tsr_i32f32 x, tsr_i32f32 rho, tsr_i32f32 kappa);

/* ---- constants of spec bittensor §1.5 ---- */

/* 1 - I32F32(I64F64(bma) / I64F64(1_000_000)): the fixed bonds EMA alpha (raw 429496730 for the
 * default 900_000). spec bittensor §1.5, §2.12.3 */
tsr_i32f32 tsr_bonds_moving_average_alpha(uint64_t bonds_moving_average);

/* ================================ I64F64 ===================================================== */

tsr_i64f64 tsr_i64f64_from_int(int64_t x);       /* exact. spec bittensor §1.2 */
tsr_i64f64 tsr_i64f64_from_u64(uint64_t x);      /* exact below 2^63, else saturates */
tsr_i64f64 tsr_i64f64_from_i32f32(tsr_i32f32 a); /* exact shift left by 32 */
/* Drop 32 fractional bits (floor) and saturate. spec bittensor §1.2, §1.3 fixed64_to_fixed32 */
tsr_i32f32 tsr_fixed64_to_fixed32(tsr_i64f64 a);
uint64_t tsr_i64f64_to_u64(tsr_i64f64 a); /* floor, saturating; negative -> 0 */
int tsr_i64f64_cmp(tsr_i64f64 a, tsr_i64f64 b);
int tsr_i64f64_checked_add(tsr_i64f64 a, tsr_i64f64 b, tsr_i64f64 *out);
int tsr_i64f64_checked_sub(tsr_i64f64 a, tsr_i64f64 b, tsr_i64f64 *out);
tsr_i64f64 tsr_i64f64_sat_add(tsr_i64f64 a, tsr_i64f64 b);
tsr_i64f64 tsr_i64f64_sat_sub(tsr_i64f64 a, tsr_i64f64 b);
int tsr_i64f64_checked_mul(tsr_i64f64 a, tsr_i64f64 b, tsr_i64f64 *out);
tsr_i64f64 tsr_i64f64_sat_mul(tsr_i64f64 a, tsr_i64f64 b);
int tsr_i64f64_checked_div(tsr_i64f64 a, tsr_i64f64 b, tsr_i64f64 *out);
tsr_i64f64 tsr_i64f64_safe_div(tsr_i64f64 a, tsr_i64f64 b);
int tsr_i64f64_from_f64_bits(uint64_t bits, tsr_i64f64 *out);

/* ================================ I96F32 ===================================================== */

tsr_i96f32 tsr_i96f32_from_int(int64_t x);       /* exact */
tsr_i96f32 tsr_i96f32_from_u64(uint64_t x);      /* exact */
tsr_i96f32 tsr_i96f32_from_i32f32(tsr_i32f32 a); /* exact (same scale, wider range) */
tsr_i32f32 tsr_i96f32_to_i32f32(tsr_i96f32 a);   /* saturating */
uint64_t tsr_i96f32_to_u64(tsr_i96f32 a);        /* floor, saturating; negative -> 0 */
int tsr_i96f32_cmp(tsr_i96f32 a, tsr_i96f32 b);
int tsr_i96f32_checked_add(tsr_i96f32 a, tsr_i96f32 b, tsr_i96f32 *out);
int tsr_i96f32_checked_sub(tsr_i96f32 a, tsr_i96f32 b, tsr_i96f32 *out);
tsr_i96f32 tsr_i96f32_sat_add(tsr_i96f32 a, tsr_i96f32 b);
tsr_i96f32 tsr_i96f32_sat_sub(tsr_i96f32 a, tsr_i96f32 b);
int tsr_i96f32_checked_mul(tsr_i96f32 a, tsr_i96f32 b, tsr_i96f32 *out);
tsr_i96f32 tsr_i96f32_sat_mul(tsr_i96f32 a, tsr_i96f32 b);
int tsr_i96f32_checked_div(tsr_i96f32 a, tsr_i96f32 b, tsr_i96f32 *out);
tsr_i96f32 tsr_i96f32_safe_div(tsr_i96f32 a, tsr_i96f32 b);
tsr_i96f32 tsr_i96f32_floor(tsr_i96f32 a);
int tsr_i96f32_from_f64_bits(uint64_t bits, tsr_i96f32 *out);
/* substrate-fixed log2 with S = D = I96F32: the integer part from halvings that round half up,
 * then 32 squaring steps. TSR_EINVAL for x <= 0. spec bittensor §1.4 */
int tsr_i96f32_log2(tsr_i96f32 x, tsr_i96f32 *out);
/* Internal (the block emission, tsr_emission.c): floor(log2(x)) for a raw I96F32 x >= 2^32
 * (x >= 1.0), i.e. the halving count of log2 above, which is the integer part of its result;
 * the 32 squarings that only produce fraction bits are skipped. O(1). spec bittensor §1.4 */
uint64_t tsr__i96f32_log2_floor_raw(tsr_u128 x);

/* ================================ U96F32 ===================================================== */

tsr_u96f32 tsr_u96f32_from_u64(uint64_t x); /* exact */
uint64_t tsr_u96f32_to_u64(tsr_u96f32 a);   /* floor, saturating */
int tsr_u96f32_cmp(tsr_u96f32 a, tsr_u96f32 b);
int tsr_u96f32_checked_add(tsr_u96f32 a, tsr_u96f32 b, tsr_u96f32 *out);
int tsr_u96f32_checked_sub(tsr_u96f32 a, tsr_u96f32 b, tsr_u96f32 *out);
tsr_u96f32 tsr_u96f32_sat_add(tsr_u96f32 a, tsr_u96f32 b);
tsr_u96f32 tsr_u96f32_sat_sub(tsr_u96f32 a, tsr_u96f32 b);
int tsr_u96f32_checked_mul(tsr_u96f32 a, tsr_u96f32 b, tsr_u96f32 *out);
tsr_u96f32 tsr_u96f32_sat_mul(tsr_u96f32 a, tsr_u96f32 b);
int tsr_u96f32_checked_div(tsr_u96f32 a, tsr_u96f32 b, tsr_u96f32 *out);
tsr_u96f32 tsr_u96f32_safe_div(tsr_u96f32 a, tsr_u96f32 b);
/* U96F32 -> U64F64: exact shift left, saturating at the U64F64 maximum. spec bittensor §1.2 */
tsr_u64f64 tsr_u96f32_to_u64f64(tsr_u96f32 a);
/* U96F32 -> I64F64: exact shift left, saturating. spec bittensor §2.3 (tao_weight) */
tsr_i64f64 tsr_u96f32_to_i64f64(tsr_u96f32 a);
int tsr_u96f32_from_f64_bits(uint64_t bits, tsr_u96f32 *out);

/* ================================ U64F64 ===================================================== */

tsr_u64f64 tsr_u64f64_from_u64(uint64_t x); /* exact */
uint64_t tsr_u64f64_to_u64(tsr_u64f64 a);   /* floor */
int tsr_u64f64_cmp(tsr_u64f64 a, tsr_u64f64 b);
int tsr_u64f64_checked_add(tsr_u64f64 a, tsr_u64f64 b, tsr_u64f64 *out);
int tsr_u64f64_checked_sub(tsr_u64f64 a, tsr_u64f64 b, tsr_u64f64 *out);
tsr_u64f64 tsr_u64f64_sat_add(tsr_u64f64 a, tsr_u64f64 b);
tsr_u64f64 tsr_u64f64_sat_sub(tsr_u64f64 a, tsr_u64f64 b);
int tsr_u64f64_checked_mul(tsr_u64f64 a, tsr_u64f64 b, tsr_u64f64 *out);
tsr_u64f64 tsr_u64f64_sat_mul(tsr_u64f64 a, tsr_u64f64 b);
int tsr_u64f64_checked_div(tsr_u64f64 a, tsr_u64f64 b, tsr_u64f64 *out);
tsr_u64f64 tsr_u64f64_safe_div(tsr_u64f64 a, tsr_u64f64 b);
/* U64F64 -> U96F32: drop 32 fractional bits (floor); always in range. spec bittensor §1.2 */
tsr_u96f32 tsr_u64f64_to_u96f32(tsr_u64f64 a);
int tsr_u64f64_from_f64_bits(uint64_t bits, tsr_u64f64 *out);

#endif /* TSR_FIXED_H */
