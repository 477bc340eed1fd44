/* fast_paths.h: the tests of the epoch's bound-proved fast paths (test_fast_paths.c), added to
 * check_yuma_props' test case. */
#ifndef YUMA_FAST_PATHS_H
#define YUMA_FAST_PATHS_H

#include <check.h>

/* Adds the fast-path tests to tc. */
void yuma_add_fast_path_tests(TCase *tc);

#endif /* YUMA_FAST_PATHS_H */
