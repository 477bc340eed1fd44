/* tsr_version.c: version string and status texts of the reward core (constant tables only). */
#include "tsr.h"

const char *tsr_version(void)
{
    return TSR_VERSION;
}

const char *tsr_strerror(int status)
{
    switch (status) {
#define TSR__CASE(name, value, msg)                                                                \
    case TSR_##name:                                                                               \
        return msg;
        TSR_ERRNO_MAP(TSR__CASE)
#undef TSR__CASE
    default:
        return "unknown status";
    }
}
