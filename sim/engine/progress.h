/*
 * progress: a progress reporter for long runs (display only).
 *
 * On a terminal it redraws one bar line with \r (at most five times a second): label, bar,
 * percentage, rate and ETA. Elsewhere (a log file, CI) it writes a plain line about every five
 * seconds of wall time and a final summary line. Wall time comes from a monotonic clock and is
 * used for display only; nothing a simulation computes depends on it. Tests inject a clock with
 * progress_set_clock() instead of sleeping.
 *
 * Plain line formats (total known / unknown), durations as H:MM:SS, rates with k/M/G suffixes:
 *   "LABEL: 45.0% (450/1000) 90.0/s elapsed 0:00:05 eta 0:00:06"
 *   "LABEL: 450 90.0/s elapsed 0:00:05"
 *   "LABEL: done 1000/1000 in 0:00:11 (90.9/s)"      (progress_finish; "done 1000 in" w/o total)
 */
#ifndef TOKENSIM_ENGINE_PROGRESS_H
#define TOKENSIM_ENGINE_PROGRESS_H

#include <stdint.h>
#include <stdio.h>

enum progress_mode {
    PROGRESS_AUTO = 0,  /* bar if `out` is a terminal, plain lines otherwise */
    PROGRESS_QUIET = 1, /* print nothing */
    PROGRESS_BAR = 2,   /* force the terminal bar */
    PROGRESS_LINES = 3  /* force plain lines */
};

#define PROGRESS_LINE_INTERVAL_NS UINT64_C(5000000000) /* plain mode: one line per 5 s */
#define PROGRESS_BAR_INTERVAL_NS  UINT64_C(200000000)  /* bar mode: at most one redraw per 0.2 s */
#define PROGRESS_LABEL_MAX        63                   /* longer labels are truncated */

typedef struct progress progress;

/* Monotonic clock in nanoseconds; `ctx` is the pointer given to progress_set_clock. */
typedef uint64_t (*progress_clock_fn)(void *ctx);

/*
 * A reporter writing to `out` (not owned; NULL behaves as PROGRESS_QUIET). `label` (may be NULL)
 * is copied. `mode` is a progress_mode; unknown values act as PROGRESS_AUTO. NULL on OOM.
 */
progress *progress_new(FILE *out, const char *label, int mode);

/* Test hook: replaces the clock and restarts the elapsed time from its current reading. */
void progress_set_clock(progress *p, progress_clock_fn fn, void *ctx);

/* Reports `done` out of `total` units (total 0: unknown). Cheap when nothing is due. p may be NULL.
 */
void progress_update(progress *p, uint64_t done, uint64_t total);

/* Prints the final summary (once) with the last reported figures. p may be NULL. */
void progress_finish(progress *p);

/* Frees the reporter without printing. progress_free(NULL) is a no-op. */
void progress_free(progress *p);

#endif /* TOKENSIM_ENGINE_PROGRESS_H */
