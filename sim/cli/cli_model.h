/*
** cli_model.h: how `tokensim run` (and `tokensim sweep`) drive a model. Each model's adapter
** (model_<name>.c) converts the typed scenario into the model's own configuration — so agents
** never see the scenario module — builds the model on a simulation, and exposes what the run
** loop needs. cmd_run.c owns the loop, the progress bar, signals and the recording of the
** outcome; an adapter owns only its model and the converted configuration.
*/
#ifndef TOKENSIM_CLI_MODEL_H
#define TOKENSIM_CLI_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "recorder.h"
#include "scenario.h"
#include "sim.h"

typedef struct cli_model_ops {
    /* Converts sc and builds the model on s. Returns 0 (the model in *m, the progress total in
    ** *ticks), 2 when the model refused its configuration as bad input, -1 for any other
    ** failure; the message goes to err either way. Nothing to free on failure. */
    int (*build)(const scn_scenario *sc, sim *s, const recorder *rec, void **m, uint64_t *ticks,
                 char *err, size_t errlen);
    /* The model's final supply (or the amount the summary line reports), base units. */
    uint64_t (*supply)(const void *m);
    /* The model's end-of-run checks; 0 when they pass (message in err otherwise). */
    int (*finish)(void *m, char *err, size_t errlen);
    /* Frees the model and its converted configuration; NULL is a no-op. */
    void (*free)(void *m);
} cli_model_ops;

extern const cli_model_ops cli_model_token;     /* model_token.c */
extern const cli_model_ops cli_model_bittensor; /* model_bt.c */
extern const cli_model_ops cli_model_bitgrit;   /* model_bitgrit.c ("bitgrit" and "numerai") */
extern const cli_model_ops cli_model_aigen;     /* model_aigen.c */
extern const cli_model_ops cli_model_cflow;     /* model_cflow.c */

#endif
