/*
** fuzz_trace.c: the yuma-trace/1 loader behind `tokensim epoch --trace` on arbitrary bytes, and
** the replay of what loads (bounded: at most 64 uids and 8 steps, so every input stays fast).
** Invariants: a rejected trace has exactly one non-empty message naming the file; a replayed
** epoch's u16 outputs are within their ranges (the type guarantees it) and the replay itself
** never fails on a trace the loader accepted.
*/
#include <string.h>

#include "fuzz.h"
#include "trace.h"

static int on_epoch(void *ud, const trace_epoch *e)
{
    (void)ud;
    FUZZ_CHECK(e->out != NULL);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    trace_t *t = NULL;
    char err[512] = "";
    if (trace_load_buffer((const char *)data, size, "fuzz.json", &t, err, sizeof err) != 0) {
        FUZZ_CHECK(t == NULL);
        FUZZ_CHECK(strncmp(err, "fuzz.json", 9) == 0);
        return 0;
    }
    if (trace_n(t) <= 64 && trace_steps(t) <= 8) {
        char rerr[512] = "";
        FUZZ_CHECK(trace_replay(t, on_epoch, NULL, rerr, sizeof rerr) == 0);
    }
    trace_free(t);
    return 0;
}
