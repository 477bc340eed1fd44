/*
 * recorder_async: a recorder that hands every call to a writer thread, which replays the calls on
 * a downstream recorder (the SQLite store in `tokensim run`) while the model keeps computing.
 *
 * What: each call of the bound recorder (recorder.h) serialises its arguments into the current
 * chunk (every string's bytes are copied, NULL strings stay NULL, doubles keep their bit pattern:
 * -0.0, subnormals, NaN payloads); a full chunk goes through a bounded FIFO to the writer thread,
 * which replays the calls on the downstream strictly in call order. The downstream therefore sees
 * exactly the calls, arguments and order a direct binding would give it, so a store's rows and
 * digest are byte-identical to the synchronous path. Cost: O(size of the arguments) per call for
 * the producer, the same for the writer plus the downstream's own work.
 *
 * Thread contract: one producer thread (the model's) calls the bound recorder, new, flush, close
 * and free. Between recorder_async_new and the end of recorder_async_close (or _free) the
 * downstream is touched only by the writer thread, so a downstream that must be used by one
 * thread at a time (the store) is; when close returns, the writer has been joined and the caller
 * may use the downstream again. The writer thread blocks every asynchronous signal (SIGINT,
 * SIGTERM ... are delivered to the caller's threads, whose handlers stay in charge), and runs at
 * the lowest priority (bgthread.h), so that it never takes the producer's processor.
 *
 * Errors: the first non-zero return of a downstream call is sticky. The writer stops replaying
 * (the rest of the queued calls are dropped, unseen by the downstream), and the producer's calls
 * return that code from a point fixed by the call sequence alone, not by the threads' timing:
 * from the call that does not fit into the (nchunks - 1)-th chunk after the failing call's chunk
 * (its hand-over waits for the failing chunk's replay), or from the first call after a
 * recorder_async_flush, whichever comes first; so the model stops at the same call, with the
 * same message, on every run. Calls until then return 0 and are dropped. Close returns the code.
 * Out of memory while serialising fails the call that needed the memory and every later one
 * with RECORDER_ASYNC_ENOMEM; the calls before it are still replayed. Flush and close return the
 * first failure in call order (a downstream failure, else the recorder's own), and later calls
 * return that. The recorder's own codes are -199..-100 (below), which a downstream should not
 * use (the store's codes are -1..-11).
 *
 * Memory: at most `nchunks` chunk buffers of `chunk_bytes` each, allocated when first used (the
 * defaults: 256 x 64 KiB = 16 MiB, which a run reaches once it has recorded that much). The
 * default queue is sized for the store's WAL checkpoints: each copies 64 MiB and syncs twice, and
 * the writer then stops for 0.1-0.2 s while the model goes on recording (15-45 MB/s for the
 * bittensor benchmarks); with 2 MiB the model waited for it 2-3 times per 2M era8 blocks,
 * 0.25-0.30 s in all (session 13), with 16 MiB not once. A single call larger than a chunk grows
 * one buffer to that call's size, so the bound is nchunks x max(chunk_bytes, largest call). When
 * all chunks are queued the producer blocks until the writer has replayed one. No busy waiting: a
 * mutex and two condition variables. No globals: every state lives on the handle.
 */
#ifndef TOKENSIM_ENGINE_RECORDER_ASYNC_H
#define TOKENSIM_ENGINE_RECORDER_ASYNC_H

#include <stddef.h>

#include "recorder.h"

#define RECORDER_ASYNC_CHUNK_BYTES ((size_t)64 * 1024) /* default chunk size */
#define RECORDER_ASYNC_NCHUNKS     ((size_t)256)       /* default number of chunks */

/* The async recorder's own error codes (X-macro: name, value, text). */
#define RECORDER_ASYNC_ERRORS(X)                                                                   \
    X(RECORDER_ASYNC_ENOMEM, -101, "out of memory in the metrics writer queue")                    \
    X(RECORDER_ASYNC_ETHREAD, -102, "the metrics writer thread could not be started")              \
    X(RECORDER_ASYNC_EINVAL, -103, "invalid argument")                                             \
    X(RECORDER_ASYNC_ECLOSED, -104, "the async recorder is closed")

#define RECORDER_ASYNC__ENUM(name, value, text) name = (value),
enum recorder_async_error { RECORDER_ASYNC_ERRORS(RECORDER_ASYNC__ENUM) };
#undef RECORDER_ASYNC__ENUM

typedef struct recorder_async recorder_async;

/*
 * Starts an async recorder over `down` (copied; its vt and ctx must stay valid until close) with
 * the default sizes. 0 and *out set on success; otherwise *out is NULL and the code is
 * RECORDER_ASYNC_EINVAL (down, its vt or out NULL), _ENOMEM or _ETHREAD. The downstream is not
 * touched on failure.
 */
int recorder_async_new(const recorder *down, recorder_async **out);

/* The same with explicit sizes: chunk_bytes >= 1, 2 <= nchunks <= 4096 (else _EINVAL). */
int recorder_async_new_sized(const recorder *down, size_t chunk_bytes, size_t nchunks,
                             recorder_async **out);

/* The recorder the model writes to (valid until recorder_async_free). Its `epoch` is NULL
** exactly when the downstream's is. */
recorder recorder_async_bind(recorder_async *ra);

/* Blocks until every call made so far has been replayed (or dropped after an error); returns the
** first failure so far (0 if none), which later calls then return. Not needed before close,
** which flushes. */
int recorder_async_flush(recorder_async *ra);

/* Hands over the last chunk, waits for the writer to replay everything and joins it. Returns the
** first failure in call order (the downstream's, else the recorder's own), 0 if none. Later
** producer calls return that failure, or RECORDER_ASYNC_ECLOSED when there was none. A second
** close returns the same value again. ra NULL: RECORDER_ASYNC_EINVAL. */
int recorder_async_close(recorder_async *ra);

/* Frees ra; closes it first (joining the writer) if it is still open. NULL is a no-op. */
void recorder_async_free(recorder_async *ra);

/* Text of one of the codes above; NULL for any other code (a downstream's: ask the downstream). */
const char *recorder_async_strerror(int code);

#endif /* TOKENSIM_ENGINE_RECORDER_ASYNC_H */
