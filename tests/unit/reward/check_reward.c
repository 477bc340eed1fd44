/* check_reward.c: the reward core's Check program (one per module, STYLE.md 4.1). */
#include <stdlib.h>

#include "reward_tests.h"

int main(void)
{
    SRunner *sr = srunner_create(suite_int());
    srunner_add_suite(sr, suite_fixed());
    srunner_add_suite(sr, suite_emission());
    srunner_add_suite(sr, suite_split());
    srunner_add_suite(sr, suite_ledger());
    srunner_add_suite(sr, suite_vectors());
    srunner_add_suite(sr, suite_math());
    srunner_add_suite(sr, suite_fastpath());
    srunner_add_suite(sr, suite_div());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
