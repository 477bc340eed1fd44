/* check_yuma.c: the Yuma epoch's Check program (one per module, STYLE.md 4.1). */
#include <stdlib.h>

#include "yuma_tests.h"

int main(void)
{
    SRunner *sr = srunner_create(suite_traces());
    srunner_add_suite(sr, suite_hand());
    srunner_add_suite(sr, suite_mech());
    srunner_add_suite(sr, suite_cli());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
