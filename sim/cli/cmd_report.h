/*
** cmd_report.h: `tokensim report` (cmd_report.c). Kept apart from cli.h, which another
** engineer owns this session; it can move there.
*/
#ifndef TOKENSIM_CMD_REPORT_H
#define TOKENSIM_CMD_REPORT_H

#include <stddef.h>

/* `tokensim report RUN.db [--out DIR] [--format png|svg|both] [--run ID]`; returns the exit
** status: 0 written, 1 gnuplot missing or failed / write error, 2 bad usage or unreadable DB. */
int cmd_report(int argc, char **argv);

/* <db without .db><suffix> into buf (the default report / plots directory). */
void cli_report_dir(const char *db, const char *suffix, char *buf, size_t len);

#endif
