/*
** plot.h: draws a finished run's plots with gnuplot.
**
** Reads the newest run of a metrics DB (plain SQL, read-only), writes the data files and the
** gnuplot script into a directory, and runs the external `gnuplot` program found on PATH.
** Nothing here feeds back into the simulation.
*/
#ifndef TOKENSIM_PLOT_H
#define TOKENSIM_PLOT_H

#include <stddef.h>

/* Writes the plots of the last run in DB into DIR (created if needed), with their .dat files and
** plots.gp: supply.png and balances.png for model "token"; supply.png (issuance, block emission,
** halvings), emission.png (alpha by role), prices.png and burn.png (per subnet) for model
** "bittensor". Returns 0, or non-zero with a message in err (gnuplot not installed, DB
** unreadable, gnuplot failed, ...). */
int plot_run(const char *db, const char *dir, char *err, size_t errlen);

/* Full path of the gnuplot executable on PATH into buf; 0 when found. */
int plot_find_gnuplot(char *buf, size_t len);

#endif
