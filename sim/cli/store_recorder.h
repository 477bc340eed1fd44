/*
** store_recorder.h: binds the engine's recorder interface to one run of the SQLite store.
*/
#ifndef TOKENSIM_STORE_RECORDER_H
#define TOKENSIM_STORE_RECORDER_H

#include <stdint.h>

#include "recorder.h"
#include "store.h"

typedef struct store_recorder {
    store *st;      /* the open store */
    int64_t run_id; /* the run rows belong to */
} store_recorder;

/* A recorder whose calls write into sr's store under sr's run. sr must outlive the recorder. */
recorder store_recorder_bind(store_recorder *sr);

#endif
