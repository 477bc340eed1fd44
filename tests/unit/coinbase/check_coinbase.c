/* check_coinbase.c: the Check program for the coinbase, block step and registration burn
 * (tsr_coinbase.h, tsr_burn.h); one program per module, STYLE.md 4.1. */
#include <stdlib.h>

#include "coinbase_tests.h"

int main(void)
{
    SRunner *sr = srunner_create(suite_coinbase());
    srunner_add_suite(sr, suite_step());
    srunner_add_suite(sr, suite_burn());
    srunner_add_suite(sr, suite_fast());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
