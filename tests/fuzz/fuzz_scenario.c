/*
** fuzz_scenario.c: the scenario parser and validator on arbitrary text. Invariant: either the
** scenario loads, or it fails with at least one message, every message non-empty; never a crash,
** a leak or undefined behaviour (the sanitizers watch). A bittensor scenario that loads is also
** run briefly (btrun.h: at most 40 blocks, small networks only): the model must refuse it as bad
** input with a message, or run it to the end balanced - so a configuration the loader lets through
** but the model cannot run is a finding.
*/
#include <string.h>

#include "btrun.h"
#include "fuzz.h"
#include "scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    scn_errors *errs = scn_errors_new();
    scn_scenario sc;
    memset(&sc, 0, sizeof sc);
    int rc = scn_load_text(text, "fuzz.cfg", NULL, 0, &sc, errs);
    if (rc != 0) {
        FUZZ_CHECK(errs == NULL || scn_errors_count(errs) > 0);
        for (size_t i = 0; errs && i < scn_errors_count(errs); i++)
            FUZZ_CHECK(scn_errors_get(errs, i) && scn_errors_get(errs, i)[0] != '\0');
    } else {
        fuzz_bt_short_run(&sc);
    }
    scn_clear(&sc);
    scn_errors_free(errs);
    free(text);
    return 0;
}
