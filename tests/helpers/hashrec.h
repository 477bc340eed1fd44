/*
** hashrec.h: a recorder (sim/engine/recorder.h) that keeps no rows, only an FNV-1a hash over
** every field of every row it is given, the row count, the sum of ledger "burn" amounts and the
** last value of each of the first HASHREC_METRICS series names. Tests compare hashes for
** determinism (same seed, same hash) and read final values without a database.
*/
#ifndef TOKENSIM_TEST_HASHREC_H
#define TOKENSIM_TEST_HASHREC_H

#include <stdint.h>

#include "recorder.h"

#define HASHREC_METRICS 64

typedef struct hashrec {
    uint64_t h;                     /* FNV-1a over every row */
    uint64_t rows;                  /* series and ledger rows seen */
    uint64_t burns;                 /* sum of ledger rows of kind "burn" */
    recorder rec;                   /* the recorder to hand to a model (ctx = this struct) */
    char name[HASHREC_METRICS][48]; /* series names seen, in first-seen order */
    double last[HASHREC_METRICS];   /* last value recorded under each */
    unsigned nnames;                /* names kept */
} hashrec;

/* Resets r and binds r->rec to it. */
void hashrec_init(hashrec *r);

/* Last value recorded for `metric` (any entity); the test fails when it was never recorded. */
double hashrec_last(const hashrec *r, const char *metric);

#endif
