/*
 * bgthread: helper threads that give way to the model's thread.
 *
 * A run's critical path is the model's thread; the store's writer (recorder_async.h) and the
 * bittensor model's draws helper (agents/bittensor/bt_ahead.h) do work beside it. On a machine
 * with fewer processors than busy threads (this project's two-processor machines run the model,
 * the writer and the helper at once) the scheduler otherwise hands the model's processor to a
 * helper now and then: over a whole 8-subnet halving era the model's thread lost 1.5 s of wall
 * time that way, in 23,000-26,000 involuntary context switches (bench_bittensor's "model thread"
 * line, session 20). A helper at the lowest priority takes a processor only when nobody else
 * wants it: the same era lost about 0.2 s in 500-1,000 switches, while the helper's draws jobs
 * that came too late (and were drawn by the model itself) stayed about 2-4% of them.
 *
 * Nothing a run computes depends on scheduling (the writer replays calls in order, late draws are
 * made by the model), so lowering a helper's priority changes only timings.
 */
#ifndef TOKENSIM_ENGINE_BGTHREAD_H
#define TOKENSIM_ENGINE_BGTHREAD_H

#define BG_THREAD_NICE 19 /* the nice value helpers take: the lowest priority */

/* Lowers the calling thread's priority to nice BG_THREAD_NICE (Linux: setpriority on the thread's
 * own id applies to that thread only; threads it creates inherit it). Best effort: returns 0, or
 * -1 when the system refused (the thread then keeps the process's priority). Call it first thing
 * in a helper thread; a thread cannot raise its priority again without privileges. */
int bg_thread_lower(void);

/* For the tests: how many of this process's threads have nice value `nice`, read from
 * /proc/self/task/<tid>/stat; -1 when that cannot be read. */
int bg__threads_with_nice(int nice);

#endif /* TOKENSIM_ENGINE_BGTHREAD_H */
