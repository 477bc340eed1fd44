/*
** btrun.c: see btrun.h.
*/
#include "btrun.h"

#include <stdio.h>

#include "btworld.h"
#include "cli_model.h"
#include "fuzz.h"

#define RUN_BLOCKS     40u
#define RUN_TEMPO      10u
#define RUN_SUBNETS    4u
#define RUN_UIDS       256u
#define RUN_AGENTS     64u /* per kind: validators, each subnet's miners and delegators, ... */
#define RUN_SNAP_PAIRS 1024u

static int small_subnet(const scn_bt_subnet *s)
{
    if (s->max_uids > RUN_UIDS || s->miners > RUN_AGENTS || s->delegators > RUN_AGENTS)
        return 0;
    if (!s->snapshot)
        return 1;
    size_t pairs = 0;
    for (size_t i = 0; i < s->snapshot->n; i++)
        pairs += s->snapshot->neurons[i].nweights + s->snapshot->neurons[i].nbonds;
    return s->snapshot->n <= RUN_UIDS && pairs <= RUN_SNAP_PAIRS;
}

static int small(const scn_bittensor *bt)
{
    if (bt->nsubnets > RUN_SUBNETS || bt->root.stakers > RUN_AGENTS)
        return 0;
    if (bt->validators.honest + bt->validators.lazy + bt->validators.noisy > RUN_AGENTS)
        return 0;
    if (bt->attacks.cabal.validators > RUN_AGENTS || bt->attacks.cabal.miners > RUN_AGENTS ||
        bt->attacks.sybil.identities > RUN_AGENTS)
        return 0;
    for (uint32_t i = 0; i < bt->nsubnets; i++)
        if (!small_subnet(&bt->subnets[i]))
            return 0;
    return 1;
}

int fuzz_bt_short_run(scn_scenario *sc)
{
    if (sc->model != SCN_MODEL_BITTENSOR || !small(&sc->bt))
        return 0;
    if (sc->time.blocks > RUN_BLOCKS)
        sc->time.blocks = RUN_BLOCKS;
    for (uint32_t i = 0; i < sc->bt.nsubnets; i++)
        if (sc->bt.subnets[i].tempo > RUN_TEMPO)
            sc->bt.subnets[i].tempo = RUN_TEMPO;
    sim *s = sim_new();
    FUZZ_CHECK(s != NULL);
    recorder rec = btw_null_recorder();
    void *m = NULL;
    uint64_t ticks = 0;
    char err[1024] = "";
    int rc = cli_model_bittensor.build(sc, s, &rec, &m, &ticks, err, sizeof err);
    if (rc != 0 && rc != 2)
        fprintf(stderr, "the model failed to build: %s\n", err);
    FUZZ_CHECK(rc == 0 || rc == 2);
    if (rc == 0) {
        int done = sim_run(s) == SIM_DONE;
        if (!done || cli_model_bittensor.finish(m, err, sizeof err) != 0) {
            fprintf(stderr, "a run the model accepted failed: %s\n", err);
            FUZZ_CHECK(!"an accepted configuration runs to the end, balanced");
        }
        cli_model_bittensor.free(m);
    } else {
        FUZZ_CHECK(err[0] != '\0');
    }
    sim_free(s);
    return 1;
}
