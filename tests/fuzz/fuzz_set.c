/*
** fuzz_set.c: the --set override parser. The input's lines are --set arguments applied to the
** built-in default scenario (up to 16). Invariant: as fuzz_scenario; overrides that load must
** leave a scenario whose name is non-empty.
*/
#include <string.h>

#include "fuzz.h"
#include "scenario.h"

#define MAX_SETS 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    const char *sets[MAX_SETS];
    size_t n = 0;
    for (char *p = buf; n < MAX_SETS && *p;) {
        sets[n++] = p;
        char *nl = strchr(p, '\n');
        if (!nl)
            break;
        *nl = '\0';
        p = nl + 1;
    }
    scn_errors *errs = scn_errors_new();
    scn_scenario sc;
    memset(&sc, 0, sizeof sc);
    int rc = scn_load_text(scn_default_text(), "default.cfg", sets, n, &sc, errs);
    if (rc == 0)
        FUZZ_CHECK(sc.name && sc.name[0] != '\0');
    else
        FUZZ_CHECK(errs == NULL || scn_errors_count(errs) > 0);
    scn_clear(&sc);
    scn_errors_free(errs);
    free(buf);
    return 0;
}
