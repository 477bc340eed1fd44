/*
 * sim: the simulation context and run loop of the tokensim engine.
 *
 * A sim owns an event queue (eq.h), an integer clock and a table of handlers, one per event
 * kind. sim_step() delivers exactly one event (or one canonical batch, see below) and returns a
 * status; sim_run() is nothing but a loop over sim_step(), so tests, notebooks and the CLI can
 * single-step, inspect, stop at a tick and resume.
 *
 * Time. The clock is the (tick, phase) of the last delivered event (or a stop tick it was
 * advanced to, see sim_stop_at); it never goes backwards.
 * Scheduling before the clock (an earlier tick, or an earlier phase of the current tick) is
 * rejected with SIM_EPAST: a phase that has already run in this tick does not run again.
 *
 * Simultaneous events. Within one (tick, phase) events are delivered in scheduling order (FIFO
 * by seq), which is deterministic but depends on the history of scheduling. Phases declared with
 * sim_batch_phase() are delivered in a canonical order instead, (target, kind, data), so the
 * outcome of settlement cannot depend on which agent happened to schedule first (DESIGN.md
 * determinism contract, STYLE.md 4.4). A batched phase either goes event by event to the kind
 * handlers, in canonical order, or as one sorted array to a batch handler. Ids and seqs record
 * scheduling history: handlers must not let results depend on their values.
 *
 * No wall clock, no global state: the optional progress reporter only displays the clock.
 */
#ifndef TOKENSIM_ENGINE_SIM_H
#define TOKENSIM_ENGINE_SIM_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "eq.h"
#include "progress.h"

#define SIM_MAX_KINDS          64u   /* event kinds 0..SIM_MAX_KINDS-1 may have handlers */
#define SIM_MAX_BATCH_HANDLERS 16u   /* phases that may have a batch handler at once */
#define SIM_PROGRESS_EVERY     4096u /* events between two progress updates */

/*
 * Status codes. SIM_OK, SIM_DONE and SIM_INTERRUPTED are statuses; negative values are errors.
 * SIM_ENOMEM..SIM_EOVERFLOW (-1..-4) have the values of the EQ_ codes of the same meaning. Handlers
 * should return 0 or a negative code of their own outside -1..-8 (see sim_handler_fn).
 */
#define SIM_STATUS_MAP(X)                                                                          \
    X(SIM_OK, 0, "ok")                                                                             \
    X(SIM_DONE, 1, "run finished (queue empty, stop tick passed or stop requested)")               \
    X(SIM_INTERRUPTED, 2, "interrupted")                                                           \
    X(SIM_ENOMEM, -1, "out of memory")                                                             \
    X(SIM_ENOENT, -2, "no such pending event")                                                     \
    X(SIM_EPHASE, -3, "phase out of range (max 65535)")                                            \
    X(SIM_EOVERFLOW, -4, "counter, time or table capacity exceeded")                               \
    X(SIM_EPAST, -5, "event scheduled before the current time")                                    \
    X(SIM_EKIND, -6, "event kind out of range")                                                    \
    X(SIM_ENOHANDLER, -7, "no handler for event kind")                                             \
    X(SIM_EHANDLER, -8, "handler returned a positive (reserved) status")

enum sim_status {
#define SIM_STATUS_ENUM(name, value, text) name = (value),
    SIM_STATUS_MAP(SIM_STATUS_ENUM)
#undef SIM_STATUS_ENUM
};

/* Text for a SIM_* code; "unknown sim status" for anything else (e.g. a handler's own code). */
const char *sim_strerror(int code);

typedef struct sim sim;

/*
 * Handles one event. Return 0 to continue; any other value aborts the run: sim_step returns a
 * negative value unchanged, and maps a positive one (reserved for SIM_DONE/SIM_INTERRUPTED) to
 * SIM_EHANDLER. `ev` is valid only during the call. Handlers may schedule, cancel and reschedule
 * events and call sim_request_stop.
 */
typedef int (*sim_handler_fn)(sim *s, const eq_event *ev, void *ctx);

/* Handles the whole canonical group of one (tick, phase) of a batched phase at once. */
typedef int (*sim_batch_fn)(sim *s, const eq_event *evs, size_t n, void *ctx);

/* A new simulation at tick 0, phase 0, with no handlers and no stop tick. NULL on OOM. */
sim *sim_new(void);

/* Frees the simulation and its pending events. sim_free(NULL) is a no-op. */
void sim_free(sim *s);

/* Sets (or with fn == NULL, clears) the handler of `kind`. SIM_EKIND if kind >= SIM_MAX_KINDS. */
int sim_on(sim *s, uint32_t kind, sim_handler_fn fn, void *ctx);

/*
 * Declares `phase` batched: the events of each (tick, phase) are delivered in canonical order
 * (target, kind, data) regardless of scheduling order. With fn == NULL each event goes to its
 * kind handler, one per sim_step. With a batch handler, the whole sorted group is handed to fn
 * in a single sim_step (kind handlers are not called). Events scheduled into the same (tick,
 * phase) while a group is being handled form a new group after it. Calling again replaces the
 * batch handler; fn == NULL removes it (the phase stays batched). SIM_EPHASE if phase >
 * EQ_PHASE_MAX; SIM_EOVERFLOW if more than SIM_MAX_BATCH_HANDLERS phases would have one.
 */
int sim_batch_phase(sim *s, uint32_t phase, sim_batch_fn fn, void *ctx);

/*
 * Schedules an event at absolute (tick, phase). *id (may be NULL) receives an id for
 * sim_cancel/sim_reschedule. SIM_EPAST if (tick, phase) precedes the clock, SIM_EKIND,
 * SIM_EPHASE, SIM_EOVERFLOW or SIM_ENOMEM otherwise.
 */
int sim_at(sim *s, uint64_t tick, uint32_t phase, uint32_t kind, uint64_t target, uint64_t data,
           eq_id *id);

/* sim_at(s, sim_now(s) + delay, ...); SIM_EOVERFLOW if the tick would wrap. */
int sim_after(sim *s, uint64_t delay, uint32_t phase, uint32_t kind, uint64_t target, uint64_t data,
              eq_id *id);

/* Cancels a pending event. SIM_ENOENT if the id is unknown, fired or cancelled. */
int sim_cancel(sim *s, eq_id id);

/* Moves a pending event (seq renewed, id kept; see eq_reschedule). Same errors as sim_at. */
int sim_reschedule(sim *s, eq_id id, uint64_t tick, uint32_t phase);

/* The clock: tick and phase of the last delivered event (0, 0 before the first). */
uint64_t sim_now(const sim *s);
uint32_t sim_phase(const sim *s);

/*
 * Events with tick > `tick` are left pending. When no event remains at or before the stop tick
 * (the next one lies beyond it, or the queue is empty), sim_step returns SIM_DONE and the clock
 * advances to (tick, 0) if it was earlier, so a run "until T" ends with sim_now() == T.
 * UINT64_MAX (the default) means no stop tick. May be raised later to resume.
 */
void sim_stop_at(sim *s, uint64_t tick);

/* Makes the next sim_step return SIM_DONE (once; a later sim_run resumes). Safe in handlers. */
void sim_request_stop(sim *s);

/* Flag checked before every step; while *flag != 0 sim_step returns SIM_INTERRUPTED. NULL: off. */
void sim_set_interrupt(sim *s, const volatile sig_atomic_t *flag);

/*
 * Delivers the next event (or batch). Returns SIM_OK after delivering; SIM_DONE when the queue
 * is empty, the next event lies beyond the stop tick, or a stop was requested; SIM_INTERRUPTED;
 * SIM_ENOHANDLER (the event stays pending, see sim_errmsg); a handler's error; or SIM_ENOMEM.
 */
int sim_step(sim *s);

/* sim_step until it returns something other than SIM_OK, which is returned (SIM_DONE normally). */
int sim_run(sim *s);

/*
 * Low-level batch helper for custom loops: takes every event of the earliest (tick, phase) out of
 * the queue in canonical order (target, kind, data), advances the clock and counts them as
 * processed. *evs points into a buffer owned by s, valid until the next sim_pop_batch/sim_step.
 * Returns SIM_OK, SIM_DONE (empty, beyond the stop tick, or stop requested; nothing taken) or
 * SIM_ENOMEM (nothing taken). Unlike sim_step it does not look at the interrupt flag.
 */
int sim_pop_batch(sim *s, const eq_event **evs, size_t *n);

/* Events delivered so far (batch members count one each). */
uint64_t sim_events(const sim *s);

/* Events pending in the queue. */
size_t sim_pending(const sim *s);

/*
 * Reports the clock to `p` (not owned) every SIM_PROGRESS_EVERY events and when sim_run returns,
 * as progress_update(p, sim_now(s), total_ticks). NULL turns it off.
 */
void sim_set_progress(sim *s, progress *p, uint64_t total_ticks);

/* Detail of the last error reported by s ("" if none). Never NULL. */
const char *sim_errmsg(const sim *s);

#endif /* TOKENSIM_ENGINE_SIM_H */
