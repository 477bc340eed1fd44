/*
** proc.h: test helper — run a program, capture its exit status, stdout and stderr.
*/
#ifndef TOKENSIM_TEST_PROC_H
#define TOKENSIM_TEST_PROC_H

#include <stddef.h>
#include <sys/types.h>

typedef struct proc_result {
    int status;      /* exit status, or 128 + signal when killed */
    char out[65536]; /* stdout, NUL-terminated (truncated if longer) */
    char err[65536]; /* stderr, likewise */
} proc_result;

/* Runs argv[0] (a path) with argv, waits, fills r. Returns 0 when it could be started. */
int proc_run(char *const argv[], proc_result *r);

/* Starts argv in the background with stdout/stderr to /dev/null; returns its pid or -1. */
pid_t proc_start(char *const argv[]);

/* Waits for pid; returns its exit status (128 + signal when killed). */
int proc_wait(pid_t pid);

/* Waits until path exists, polling every 50 us for up to about 100 s; returns 0 when it does. */
int proc_await_file(const char *path);

/* Path of the built tokensim binary ($TOKENSIM_BINARY_DIR/sim/cli/tokensim). */
const char *proc_tokensim(void);

/* A fresh empty directory under /tmp for this test process. */
const char *proc_tmpdir(void);

#endif
