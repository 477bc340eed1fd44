/*
** cmd_validate.c: `tokensim validate SCENARIO` — load and validate without running anything.
*/
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "scenario.h"

static const char validate_help[] =
    "usage: tokensim validate SCENARIO [--set KEY=VALUE ...]\n"
    "       tokensim validate --keys\n"
    "\n"
    "Checks SCENARIO (libconfig) and prints every error as FILE:LINE: message, or one line\n"
    "saying it is valid. Nothing is run or written.\n"
    "\n"
    "options:\n"
    "  -S, --set KEY=VALUE  apply an override first, as `run` would (repeatable)\n"
    "  -k, --keys           list every scenario key with its type, range and default\n"
    "  -h, --help           this text\n"
    "\n"
    "exit codes: 0 valid, 2 invalid or unreadable\n"
    "\n"
    "examples:\n"
    "  tokensim validate scenarios/default.cfg\n"
    "  tokensim validate scenarios/default.cfg --set stakers.count=50\n";

#define MAX_SETS 256

static int report(const char *path, int rc, const scn_scenario *sc, const scn_errors *errs)
{
    for (size_t i = 0; i < scn_errors_count(errs); i++)
        fprintf(stderr, "%s\n", scn_errors_get(errs, i));
    if (rc != 0) {
        if (scn_errors_count(errs) == 0)
            fprintf(stderr, "%s: invalid scenario\n", path);
        return EXIT_USAGE;
    }
    printf("%s: valid (scenario \"%s\", %llu blocks, seed %llu)\n", path, sc->name,
           (unsigned long long)sc->time.blocks, (unsigned long long)sc->seed);
    return EXIT_OK;
}

int cmd_validate(int argc, char **argv)
{
    static const struct option longs[] = {{"set", required_argument, 0, 'S'},
                                          {"keys", no_argument, 0, 'k'},
                                          {"help", no_argument, 0, 'h'},
                                          {0, 0, 0, 0}};
    const char *sets[MAX_SETS];
    size_t nsets = 0;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":S:kh", longs, NULL)) != -1) {
        if (c == 'h') {
            fputs(validate_help, stdout);
            return EXIT_OK;
        }
        if (c == 'k')
            return scn_describe(stdout) == 0 ? EXIT_OK : EXIT_FAILED;
        if (c == 'S' && nsets < MAX_SETS)
            sets[nsets++] = optarg;
        else if (c == 'S')
            return cli_usage_error("validate ", "too many --set options");
        else if (c == ':')
            return cli_usage_error("validate ", "option '%s' needs a value", argv[optind - 1]);
        else
            return cli_usage_error("validate ", "unknown option '%s'", argv[optind - 1]);
    }
    if (optind != argc - 1)
        return cli_usage_error("validate ", "expected exactly one SCENARIO file");
    const char *path = argv[optind];
    scn_errors *errs = scn_errors_new();
    scn_scenario sc;
    memset(&sc, 0, sizeof sc);
    int rc = scn_load_file(path, sets, nsets, &sc, errs);
    int code = report(path, rc, &sc, errs);
    scn_errors_free(errs);
    if (rc == 0)
        scn_clear(&sc);
    return code;
}
