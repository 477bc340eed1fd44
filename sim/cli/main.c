/*
** main.c: `tokensim` entry point — dispatches to the subcommands. Nothing else lives here so
** every piece of logic stays testable in its own file.
*/
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "cli.h"
#include "cmd_report.h"
#include "gate_cmd.h" /* cmd_diff, cmd_check */
#include "trace.h"    /* cmd_epoch */

static const char usage[] =
    "usage: tokensim COMMAND [OPTIONS]\n"
    "\n"
    "Deterministic discrete-event simulator of AI-token economies.\n"
    "\n"
    "commands:\n"
    "  run [SCENARIO]     run a scenario (the built-in default without one) into a SQLite DB\n"
    "  sweep SCENARIO     many runs over a design (grid, zip, Monte Carlo, LHS, Sobol, Saltelli,\n"
    "                     Morris) with sensitivity indices, or a bisection on one key\n"
    "  validate SCENARIO  check a scenario file and report every error as FILE:LINE: message\n"
    "  report RUN.db      plots (gnuplot) and one HTML page, RUN-report/index.html, from a DB\n"
    "  epoch --trace FILE replay a yuma-trace/1 file through the Yuma epoch (JSON lines)\n"
    "  diff BASE NEW      compare two metrics DBs per metric and run, with tolerances\n"
    "  check DIR          run every scenario with a baseline in DIR and compare (--update)\n"
    "\n"
    "options:\n"
    "  -h, --help         this text; `tokensim COMMAND --help` for a command's options\n"
    "  -V, --version      version, git revision and library versions\n"
    "\n"
    "exit codes: 0 ok, 1 run failed, 2 bad usage or bad input\n"
    "\n"
    "examples:\n"
    "  tokensim run                           # the default scenario into out/default.db\n"
    "  tokensim run scenarios/default.cfg --seed 7 --out /tmp/s7.db\n"
    "  tokensim validate scenarios/default.cfg\n"
    "  tokensim epoch --trace ../shared/conformance/traces/test_bonds.json\n";

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fputs("tokensim: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see `tokensim %s--help`)\n", cmd ? cmd : "");
    return EXIT_USAGE;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off(); /* GSL must never abort(): statuses are checked instead */
    if (argc < 2) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    const char *c = argv[1];
    if (!strcmp(c, "-h") || !strcmp(c, "--help") || !strcmp(c, "help")) {
        fputs(usage, stdout);
        return EXIT_OK;
    }
    if (!strcmp(c, "-V") || !strcmp(c, "--version")) {
        cli_print_version();
        return EXIT_OK;
    }
    if (!strcmp(c, "run"))
        return cmd_run(argc - 1, argv + 1);
    if (!strcmp(c, "sweep"))
        return cmd_sweep(argc - 1, argv + 1);
    if (!strcmp(c, "report"))
        return cmd_report(argc - 1, argv + 1);
    if (!strcmp(c, "validate"))
        return cmd_validate(argc - 1, argv + 1);
    if (!strcmp(c, "epoch"))
        return cmd_epoch(argc - 1, argv + 1);
    if (!strcmp(c, "diff"))
        return cmd_diff(argc - 1, argv + 1);
    if (!strcmp(c, "check"))
        return cmd_check(argc - 1, argv + 1);
    return cli_usage_error(NULL, "unknown command '%s'", c);
}
