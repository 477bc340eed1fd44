/* check_reward.c: the reward core's Check program (one per module, STYLE.md 4.1). */
#include <stdlib.h>

#include "reward_tests.h"
#include "tdb.h"

int main(void)
{
    return TDB_RUN_ALL(suite_int(), suite_fixed(), suite_emission(), suite_split(), suite_ledger(),
                       suite_vectors(), suite_math(), suite_fastpath(), suite_div(), suite_pool());
}
