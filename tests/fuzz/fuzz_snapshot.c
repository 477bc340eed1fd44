/*
** fuzz_snapshot.c: metagraph snapshots (scenarios/BITTENSOR.md's JSON, `snapshot = "FILE"`) on
** arbitrary bytes, through the scenario loader, then a short run of the bittensor model from
** what loads (btrun.h: 40 blocks, tempos of at most 10; at most 256 uids and 1024 weight and
** bond pairs), with 3 new miner candidates, 2 delegators and one extra honest validator beside the
** snapshot's uids.
** Invariants:
**  - a refused snapshot has at least one message, every message non-empty;
**  - an accepted one keeps the loader's promises (scn_snapshot.c): uids exactly 0..n-1, every
**    weight and bond uid below n, registered_at and last_update at most the block, take at most
**    MaxDelegateTake, quality in [0, 1];
**  - the model either refuses it as bad input, with a message, or runs it to the end with its
**    end-of-run checks passing (every base unit accounted for: btrun.h);
**  - never a crash, a leak or undefined behaviour (the sanitizers watch).
** The input reaches the loader as a file: an anonymous memory file (memfd) named by its
** /proc/self/fd path, rewritten for each input, so nothing is left on disk.
*/
#define _GNU_SOURCE

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "btrun.h"
#include "fuzz.h"
#include "scenario.h"

/* The memory file the loader reads, created once per process. */
static int input_file(const uint8_t *data, size_t size, char *path, size_t len)
{
    static int fd = -1;
    if (fd < 0 && (fd = memfd_create("fuzz-snapshot", 0)) < 0)
        return -1;
    if (ftruncate(fd, 0) != 0 || (size && pwrite(fd, data, size, 0) != (ssize_t)size))
        return -1;
    snprintf(path, len, "/proc/self/fd/%d", fd);
    return 0;
}

static void check_promises(const scn_snapshot *s)
{
    for (size_t i = 0; i < s->n; i++) {
        const scn_snap_neuron *u = &s->neurons[i];
        FUZZ_CHECK(u->uid == i && u->hotkey);
        FUZZ_CHECK(u->registered_at <= s->block && u->last_update <= s->block);
        FUZZ_CHECK(u->take <= 11796 && u->quality >= 0.0 && u->quality <= 1.0);
        for (size_t k = 0; k < u->nweights; k++)
            FUZZ_CHECK(u->weights[k].uid < s->n);
        for (size_t k = 0; k < u->nbonds; k++)
            FUZZ_CHECK(u->bonds[k].uid < s->n);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64], cfg[1024];
    if (input_file(data, size, path, sizeof path) != 0)
        return 0;
    snprintf(cfg, sizeof cfg,
             "name = \"fuzz\"; model = \"bittensor\"; seed = 1L;\n"
             "time = { blocks = 30; };\nnetwork = { subnets = 1; };\n"
             "subnets = ( { snapshot = \"%s\"; miners = 3; delegators = 2; } );\n"
             "validators = { honest = 1; };\n",
             path);
    scn_errors *errs = scn_errors_new();
    scn_scenario sc;
    memset(&sc, 0, sizeof sc);
    if (scn_load_text(cfg, "fuzz.cfg", NULL, 0, &sc, errs) != 0) {
        FUZZ_CHECK(errs == NULL || scn_errors_count(errs) > 0);
        for (size_t i = 0; errs && i < scn_errors_count(errs); i++)
            FUZZ_CHECK(scn_errors_get(errs, i) && scn_errors_get(errs, i)[0] != '\0');
    } else {
        FUZZ_CHECK(sc.bt.nsubnets == 1 && sc.bt.subnets[0].snapshot != NULL);
        check_promises(sc.bt.subnets[0].snapshot);
        fuzz_bt_short_run(&sc);
    }
    scn_clear(&sc);
    scn_errors_free(errs);
    return 0;
}
