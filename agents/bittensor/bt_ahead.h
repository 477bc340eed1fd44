/*
** bt_ahead.h: Gaussian draws made ahead of time on a second thread.
**
** An observing validator's weights event draws one Gaussian per answering uid from a stream keyed
** by (its key, the event): a pure function of the key, so the draws can be made before the event,
** by anyone. When the model schedules a validator's next weights event (a tempo ahead) it posts
** the job to its slot here; a helper thread fills the slot in the meantime, and the event takes
** the draws instead of making them. Results cannot depend on the helper's timing: a job not yet
** started when its event comes is cancelled (the event draws for itself, the same values), a
** job being made is waited for, and a finished one is used only if its key, event, sigma and
** count match what the event would draw. So a run's results are the same with the helper, without
** it, and whatever the scheduler does (tests: check_bittensor, ahead_*).
**
** Threads: the model's thread calls everything here; the helper only makes posted jobs, at the
** lowest priority (bgthread.h: it never takes the model's processor). One model, one bt_ahead; a
** slot is a validator (agent index), at most one job per slot at a time.
*/
#ifndef TOKENSIM_BT_AHEAD_H
#define TOKENSIM_BT_AHEAD_H

#include <stdint.h>

#include "rng.h"

typedef struct bt_ahead bt_ahead;

/* Starts the helper for slots 0..nslots-1, drawing through z (read-only, kept by the caller
** until bt_ahead_free). NULL when the thread or the memory is not available: the caller then
** draws everything itself. */
bt_ahead *bt_ahead_new(uint32_t nslots, const rng_zig *z);

/* Processors online (1 when unknown). */
long bt_ahead_processors(void);

/* Stops and joins the helper, frees everything. NULL is a no-op. */
void bt_ahead_free(bt_ahead *h);

/* Asks for the first `count` draws of N(0, sigma) after rng_event_reset(k, event) on slot's
** behalf, replacing any job the slot holds. Returns 0, or -1 (nothing posted, nothing lost: the
** event draws for itself) when slot is out of range, count is 0, sigma is not > 0 or memory is
** short. */
int bt_ahead_post(bt_ahead *h, uint32_t slot, const rng_key *k, uint64_t event, double sigma,
                  uint32_t count);

/* The draws posted for exactly (k, event, sigma) on slot, or NULL (none posted, another job, or
** not yet started: then cancelled). *count receives how many there are. Empties the slot; the
** values stay readable until the slot's next bt_ahead_post or bt_ahead_free. */
const double *bt_ahead_take(bt_ahead *h, uint32_t slot, const rng_key *k, uint64_t event,
                            double sigma, uint32_t *count);

/* A hint that slot's draws are wanted soon: when the helper has made them, starts moving them
** into this core's cache (they were written on the helper's), so that bt_ahead_take's reader
** does not wait for each line. Changes nothing else; NULL h or any slot is fine. */
void bt_ahead_prefetch(bt_ahead *h, uint32_t slot);

/* Internal, for the tests: jobs the helper made, and jobs cancelled because their event came
** first (both since bt_ahead_new). */
void bt__ahead_counts(const bt_ahead *h, uint64_t *made, uint64_t *cancelled);

#endif
