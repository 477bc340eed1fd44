/* check_coinbase.c: the Check program for the coinbase, block step and registration burn
 * (tsr_coinbase.h, tsr_burn.h); one program per module, STYLE.md 4.1. */
#include <stdlib.h>

#include "coinbase_tests.h"
#include "tdb.h"

int main(void)
{
    return TDB_RUN_ALL(suite_coinbase(), suite_step(), suite_burn(), suite_fast());
}
