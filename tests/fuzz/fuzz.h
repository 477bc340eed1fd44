/*
** fuzz.h: the one entry point every fuzz target defines (libFuzzer's), and the check macro the
** targets use for invariants. The same sources build twice: with clang's -fsanitize=fuzzer into
** a fuzzer (TOKENSIM_FUZZ=ON, tests/fuzz/run_fuzz.sh), and with replay_main.c into a plain
** program that ctest runs over the committed corpus (every crash found becomes a file there).
*/
#ifndef TOKENSIM_FUZZ_H
#define TOKENSIM_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An invariant of the code under test failed: report and abort (the fuzzer keeps the input). */
#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond);           \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

#endif
