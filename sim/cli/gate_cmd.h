/*
** gate_cmd.h: the regression-gate subcommands of `tokensim` (issue 9): `diff` compares two
** metrics databases (cmd_diff.c), `check` runs scenarios against committed baselines
** (cmd_check.c). Both return the CLI exit codes of cli.h: 0 ok, 1 moved, 2 bad usage or input.
*/
#ifndef TOKENSIM_GATE_CMD_H
#define TOKENSIM_GATE_CMD_H

/* `tokensim diff BASE.db NEW.db [options]` (argv[0] is "diff"). */
int cmd_diff(int argc, char **argv);

/* `tokensim check DIR [options]` (argv[0] is "check"). */
int cmd_check(int argc, char **argv);

#endif
