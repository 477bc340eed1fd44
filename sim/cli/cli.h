/*
** cli.h: shared pieces of the `tokensim` command line.
**
** Exit codes (DESIGN.md): 0 success, 1 the run or check failed, 2 bad usage or bad input.
** Every subcommand parses its own options with getopt_long and prints its own --help.
*/
#ifndef TOKENSIM_CLI_H
#define TOKENSIM_CLI_H

enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2 };

int cmd_run(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_sweep(int argc, char **argv); /* cmd_sweep.c */

/* "tokensim: " + message on stderr, with a hint to --help; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...);

/* The version line printed by --version (version, git revision, library versions). */
void cli_print_version(void);

#endif
