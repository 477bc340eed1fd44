/*
 * eq internals shared with the rest of the engine and its tests (not part of the public API): a
 * cheap look at the head for the run loop, and a hook that puts a queue into a state too
 * expensive to reach honestly (an almost exhausted seq counter).
 */
#ifndef TOKENSIM_ENGINE_EQ_INT_H
#define TOKENSIM_ENGINE_EQ_INT_H

#include "eq.h"

/* What the run loop needs to know about the earliest event before taking it. */
typedef struct eq__key {
    uint64_t tick;  /* event tick */
    uint64_t seq;   /* event seq */
    uint32_t phase; /* event phase */
    uint32_t kind;  /* event kind */
} eq__key;

/* Fills *k from the earliest event without materialising an eq_event. 0 when empty, else 1. */
int eq__head(const eq *q, eq__key *k);

/* Sets the seq the next push or reschedule will receive (tests of EQ_EOVERFLOW). */
void eq__set_next_seq(eq *q, uint64_t seq);

#endif /* TOKENSIM_ENGINE_EQ_INT_H */
