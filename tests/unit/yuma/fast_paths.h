/* fast_paths.h: the tests of the epoch's bound-proved fast paths (test_fast_paths.c), added to
 * check_yuma_props' test case. */
#ifndef YUMA_FAST_PATHS_H
#define YUMA_FAST_PATHS_H

#include <check.h>

/* Case counts of the seeded property tests are divided by YUMA_SAN_DIV under AddressSanitizer
 * (gcc and clang define __SANITIZE_ADDRESS__ or __has_feature(address_sanitizer)): there every
 * workspace allocation and fill costs many times more, while the sanitizer's point - finding an
 * invalid access or undefined behaviour on these paths - needs far fewer cases than the ordinary
 * build's suite, which runs every case. */
#if defined(__SANITIZE_ADDRESS__)
#define YUMA_SAN_DIV 4
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define YUMA_SAN_DIV 4
#endif
#endif
#ifndef YUMA_SAN_DIV
#define YUMA_SAN_DIV 1
#endif

/* Adds the fast-path tests to tc. */
void yuma_add_fast_path_tests(TCase *tc);

#endif /* YUMA_FAST_PATHS_H */
