/*
 * check_engine: unit tests of the engine (event queue, run loop, RNG streams, progress).
 * Each module's tests live in test_<module>.c; this file only runs the suites.
 */
#include <stdlib.h>

#include "engine_suites.h"
#include "tdb.h"

int main(void)
{
    return TDB_RUN_ALL(eq_suite(), sim_suite(), rng_suite(), progress_suite());
}
