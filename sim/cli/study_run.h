/*
** study_run.h: runs the two study models of a scenario ("collusion-toy", "retention";
** scenarios/REPRODUCTIONS.md) for `tokensim run` and `tokensim sweep`.
**
** The models live in agents/attacks/ and see only the recorder; this driver prints their
** tables and writes the retention table, which has no recorder call, straight into the store
** the recorder is bound to (a recorder made by store_recorder_bind, as the CLI always uses).
*/
#ifndef TOKENSIM_STUDY_RUN_H
#define TOKENSIM_STUDY_RUN_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>

#include "recorder.h"
#include "scenario.h"

/* 1 when sc's model is one of the study models. */
int study_is_model(const scn_scenario *sc);

/* Runs sc's study model, records into rec, prints its table to out (NULL: prints nothing).
** `stop` (may be NULL) is polled between grid cells: non-zero ends the run early.
** Returns 0, STUDY_INTERRUPTED when stopped, or -1 with a message in err. */
enum { STUDY_INTERRUPTED = -2 };
int study_simulate(const scn_scenario *sc, const recorder *rec, FILE *out,
                   const volatile sig_atomic_t *stop, char *err, size_t errlen);

#endif
