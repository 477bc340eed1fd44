/*
 * check_engine: unit tests of the engine (event queue, run loop, RNG streams, progress).
 * Each module's tests live in test_<module>.c; this file only runs the suites.
 */
#include <stdlib.h>

#include "engine_suites.h"

int main(void)
{
    SRunner *sr = srunner_create(eq_suite());
    srunner_add_suite(sr, sim_suite());
    srunner_add_suite(sr, rng_suite());
    srunner_add_suite(sr, progress_suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
