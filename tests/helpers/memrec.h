/*
** memrec.h: a recorder (sim/engine/recorder.h) that keeps one ordered, in-memory log of every
** series, ledger and epoch call, for model tests that check what a run recorded without a
** database. Entities are not kept. Rows grow by doubling; memrec_free releases them.
*/
#ifndef TOKENSIM_TEST_MEMREC_H
#define TOKENSIM_TEST_MEMREC_H

#include <stddef.h>
#include <stdint.h>

#include "recorder.h"

enum { R_SERIES, R_LEDGER, R_EPOCH };

typedef struct rec_row {
    int type;        /* R_* */
    char name[64];   /* metric or ledger kind */
    char reason[32]; /* ledger reason */
    int64_t block;   /* block (series, epoch) or t (ledger) */
    int64_t entity;  /* series entity, ledger src, epoch net */
    int64_t value;   /* integer value, ledger dst, epoch uid */
    double real;     /* real series value (integer series too, converted) */
    uint64_t amount; /* ledger amount, epoch emission */
    int64_t stake;   /* epoch stake */
    int64_t inc;     /* epoch incentive (u16) */
} rec_row;

typedef struct memrec {
    rec_row *rows; /* the log, in call order */
    size_t n;      /* rows used */
    size_t cap;    /* rows allocated */
} memrec;

/* The functions; bind as (recorder){&memrec_vt, &a_memrec}. */
extern const recorder_vt memrec_vt;

/* Frees the rows and empties m. */
void memrec_free(memrec *m);

#endif
