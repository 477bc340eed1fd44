/* check_yuma.c: the Yuma epoch's Check program (one per module, STYLE.md 4.1). */
#include <stdlib.h>

#include "yuma_tests.h"
#include "tdb.h"

int main(void)
{
    return TDB_RUN_ALL(suite_traces(), suite_hand(), suite_mech(), suite_cli());
}
