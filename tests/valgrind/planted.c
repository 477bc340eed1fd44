/*
** planted.c: the memcheck harness's self-test (tests/valgrind/run_memcheck.sh --self-test).
**
** Built as a shared object and preloaded into the real tokensim binary, its constructor plants
** one definitely lost block and, with TOKENSIM_PLANT_UNINIT=1, one conditional jump on
** uninitialised memory. The harness must report both as failures; if it does not, it cannot
** be trusted to catch the real thing. Never linked into anything shipped.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *volatile planted_sink; /* written then dropped, so the block is definitely lost */

__attribute__((constructor)) static void planted_init(void)
{
    const char *u = getenv("TOKENSIM_PLANT_UNINIT");
    if (u && strcmp(u, "1") == 0) {
        int *p = malloc(sizeof *p);
        if (p && *p == 42) /* reads an uninitialised int: memcheck's "conditional jump" error */
            fputs("planted: 42\n", stderr);
        free(p);
        return;
    }
    planted_sink = malloc(64);
    planted_sink = NULL;
}
