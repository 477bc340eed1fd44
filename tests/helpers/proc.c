/*
** proc.c: spawn-and-capture for end-to-end tests of the tokensim binary.
**
** When the environment has TOKENSIM_TEST_WRAPPER (words separated by spaces, no quoting), every
** spawn of the tokensim binary itself (argv[0] == proc_tokensim()) runs under that command,
** found on PATH: e.g. TOKENSIM_TEST_WRAPPER="valgrind -q --error-exitcode=99 --leak-check=full"
** ctest -L e2e runs every end-to-end child under memcheck. Other programs (sqlite3, python3,
** gnuplot) are never wrapped. Cost: one argv copy per spawn.
*/
#define _POSIX_C_SOURCE 200809L

#include "proc.h"

#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static void slurp(int fd, char *buf, size_t len)
{
    size_t n = 0;
    ssize_t k;
    lseek(fd, 0, SEEK_SET);
    while (n + 1 < len && (k = read(fd, buf + n, len - 1 - n)) > 0)
        n += (size_t)k;
    buf[n] = '\0';
}

static int tmpfile_fd(void)
{
    char path[] = "/tmp/tokensim-proc-XXXXXX";
    int fd = mkstemp(path);
    if (fd >= 0)
        unlink(path);
    return fd;
}

int proc_wait(pid_t pid)
{
    int st;
    if (waitpid(pid, &st, 0) < 0)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int proc_await_file(const char *path)
{
    struct timespec nap = {0, 50L * 1000};
    for (long i = 0; i < 2000000 && access(path, F_OK) != 0; i++)
        nanosleep(&nap, NULL);
    return access(path, F_OK);
}

#define PROC_MAX_WRAP 64 /* words of TOKENSIM_TEST_WRAPPER kept (more are an error) */

/* Splits the wrapper into words (in place, in buf) followed by argv, NULL-terminated, in *out
** (malloc'd). Returns the count of wrapper words (0: not wrapped), or -1 on error. */
static int wrap_argv(char *const argv[], char *buf, size_t buflen, char ***out)
{
    const char *w = getenv("TOKENSIM_TEST_WRAPPER");
    *out = NULL;
    if (!w || !*w || strcmp(argv[0], proc_tokensim()) != 0)
        return 0;
    size_t wlen = strlen(w);
    if (wlen >= buflen)
        return -1;
    memcpy(buf, w, wlen + 1);
    size_t argc = 0;
    while (argv[argc])
        argc++;
    char **v = malloc((PROC_MAX_WRAP + argc + 1) * sizeof *v);
    if (!v)
        return -1;
    int nw = 0;
    for (char *save = NULL, *tok = strtok_r(buf, " ", &save); tok;
         tok = strtok_r(NULL, " ", &save)) {
        if (nw == PROC_MAX_WRAP) {
            free(v);
            return -1;
        }
        v[nw++] = tok;
    }
    for (size_t i = 0; i <= argc; i++)
        v[(size_t)nw + i] = argv[i];
    *out = v;
    return nw;
}

static pid_t spawn_to(char *const argv[], int out, int err)
{
    posix_spawn_file_actions_t fa;
    pid_t pid;
    char buf[4096];
    char **wrapped;
    int nw = wrap_argv(argv, buf, sizeof buf, &wrapped);
    if (nw < 0)
        return -1;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out, 1);
    posix_spawn_file_actions_adddup2(&fa, err, 2);
    int rc = nw > 0 ? posix_spawnp(&pid, wrapped[0], &fa, NULL, wrapped, environ)
                    : posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    free(wrapped);
    return rc == 0 ? pid : -1;
}

int proc_run(char *const argv[], proc_result *r)
{
    int out = tmpfile_fd(), err = tmpfile_fd();
    pid_t pid = (out >= 0 && err >= 0) ? spawn_to(argv, out, err) : -1;
    if (pid < 0) {
        close(out);
        close(err);
        return -1;
    }
    r->status = proc_wait(pid);
    slurp(out, r->out, sizeof r->out);
    slurp(err, r->err, sizeof r->err);
    close(out);
    close(err);
    return 0;
}

pid_t proc_start(char *const argv[])
{
    int null = open("/dev/null", O_WRONLY);
    pid_t pid = spawn_to(argv, null, null);
    close(null);
    return pid;
}

const char *proc_tokensim(void)
{
    static char path[4096];
    const char *b = getenv("TOKENSIM_BINARY_DIR");
    snprintf(path, sizeof path, "%s/sim/cli/tokensim", b && *b ? b : TDB_BINARY_DIR);
    return path;
}

const char *proc_tmpdir(void)
{
    static char dir[64];
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/tokensim-test-XXXXXX");
        if (!mkdtemp(dir))
            return "/tmp";
    }
    return dir;
}
