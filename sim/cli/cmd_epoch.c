/*
** cmd_epoch.c: `tokensim epoch --trace FILE` — replay a yuma-trace/1 file through the reward
** core's Yuma epoch and print one JSON line per epoch step (FORMAT.md §1.6).
**
** stdout carries the epoch lines and nothing else; every diagnostic goes to stderr. An invalid
** or unreadable trace gets one message and exit status 2 before anything is printed.
*/
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "trace.h"

static const char epoch_help[] =
    "usage: tokensim epoch --trace FILE\n"
    "\n"
    "Replays a yuma-trace/1 file (../shared/conformance/FORMAT.md) through the reward core's\n"
    "Yuma Consensus epoch: applies each step's operations (set_weights, register, set_stake,\n"
    "reset_bonds, set_params), runs the epoch on steps with \"epoch\": true, and prints one JSON\n"
    "object per epoch step on stdout with the keys step, block, consensus, incentive, dividends,\n"
    "validator_trust, validator_permit, emission and bonds.\n"
    "\n"
    "options:\n"
    "  -t, --trace FILE  the trace to replay (required)\n"
    "  -h, --help        this text\n"
    "\n"
    "exit codes: 0 replayed, 1 the replay failed (out of memory, write error),\n"
    "            2 bad usage or an invalid trace (one message on stderr naming the field)\n"
    "\n"
    "examples:\n"
    "  tokensim epoch --trace ../shared/conformance/traces/test_bonds.json\n"
    "  tokensim epoch --trace t.json | head -1 | python3 -m json.tool\n"
    "  ../shared/conformance/check_trace.py --cmd \"build/sim/cli/tokensim epoch --trace\" \\\n"
    "      ../shared/conformance/traces/*.json\n";

static int print_line(void *ud, const trace_epoch *e)
{
    return trace_print_epoch((FILE *)ud, e) ? 1 : 0;
}

int cmd_epoch(int argc, char **argv)
{
    static const struct option longs[] = {
        {"trace", required_argument, 0, 't'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *path = NULL;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":t:h", longs, NULL)) != -1) {
        if (c == 'h') {
            fputs(epoch_help, stdout);
            return EXIT_OK;
        }
        if (c == 't')
            path = optarg;
        else if (c == ':')
            return cli_usage_error("epoch ", "option '%s' needs a value", argv[optind - 1]);
        else
            return cli_usage_error("epoch ", "unknown option '%s'", argv[optind - 1]);
    }
    if (optind != argc)
        return cli_usage_error("epoch ", "unexpected argument '%s'", argv[optind]);
    if (!path)
        return cli_usage_error("epoch ", "--trace FILE is required");

    char err[1024];
    trace_t *t = NULL;
    if (trace_load(path, &t, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return EXIT_USAGE;
    }
    int rc = trace_replay(t, print_line, stdout, err, sizeof err);
    trace_free(t);
    if (rc == 0 && fflush(stdout) != 0)
        rc = 1;
    if (rc != 0) {
        if (rc < 0)
            fprintf(stderr, "tokensim: %s: %s\n", path, err);
        else
            fprintf(stderr, "tokensim: %s: cannot write the output\n", path);
        return EXIT_FAILED;
    }
    return EXIT_OK;
}
