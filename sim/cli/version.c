/*
** version.c: what `tokensim --version` prints and what the metrics DB records as provenance.
*/
#include <stdio.h>

#include <gsl/gsl_version.h>
#include <sqlite3.h>
#include <libconfig.h>

#include "cli.h"
#include "tsr.h"
#include "version.h"

void cli_print_version(void)
{
    printf("tokensim %s (git %s)\n", TOKENSIM_VERSION, TOKENSIM_GIT_REVISION);
    printf("reward core %s, GSL %s, SQLite %s, libconfig %d.%d.%d\n", TSR_VERSION, gsl_version,
           sqlite3_libversion(), LIBCONFIG_VER_MAJOR, LIBCONFIG_VER_MINOR, LIBCONFIG_VER_REVISION);
    printf("build: %s\n", TOKENSIM_BUILD_FLAGS);
}
