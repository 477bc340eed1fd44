/*
** plot.c: metrics DB -> data files -> gnuplot -> PNG.
**
** Data are exported in tokens (base units / 1e9) against simulated years; these are display
** values only. gnuplot is spawned with posix_spawn (no shell), so no path is ever interpreted.
*/
#define _POSIX_C_SOURCE 200809L

#include "plot.h"

#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

extern const char plot_template_token[];
extern const char plot_template_bittensor[];
extern const char plot_template_retention[];
extern char **environ;

#define YEAR_SECONDS 31536000.0
#define UNITS        1e9

int plot_find_gnuplot(char *buf, size_t len)
{
    const char *path = getenv("PATH");
    if (!path)
        path = "/usr/bin:/bin";
    while (*path) {
        const char *colon = strchr(path, ':');
        size_t n = colon ? (size_t)(colon - path) : strlen(path);
        snprintf(buf, len, "%.*s/gnuplot", (int)n, n ? path : ".");
        if (access(buf, X_OK) == 0)
            return 0;
        path += n + (colon ? 1 : 0);
    }
    return -1;
}

static int last_run(sqlite3 *db, sqlite3_int64 *run)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT max(run_id) FROM runs", -1, &st, NULL) != SQLITE_OK)
        return -1;
    int ok = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL;
    if (ok)
        *run = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return ok ? 0 : -1;
}

/* supply.dat: years, supply, block reward (tokens), from the network's samples. */
static int export_supply(sqlite3 *db, sqlite3_int64 run, FILE *f, int *blocks)
{
    static const char q[] =
        "SELECT s.t, s.value, r.value FROM series s JOIN series r ON r.run_id = s.run_id "
        "AND r.t = s.t AND r.entity_id = 0 AND r.metric = 'block_reward' "
        "WHERE s.run_id = ? AND s.metric = 'supply' AND s.entity_id = 0 ORDER BY s.t";
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, run);
    int rc, rows = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        fprintf(f, "%.6f %.9f %.9f\n", (double)sqlite3_column_int64(st, 0) / YEAR_SECONDS,
                (double)sqlite3_column_int64(st, 1) / UNITS,
                (double)sqlite3_column_int64(st, 2) / UNITS);
        rows++;
    }
    sqlite3_finalize(st);
    *blocks = 1;
    return rc == SQLITE_DONE && rows > 0 ? 0 : -1;
}

/* One gnuplot data block per group, headed by its name: q selects (group name, t, value...)
** ordered by group then t. cols says how each value column is written: 'u' an integer amount
** in base units shown in tokens, 'r' a real as it is. *blocks counts the groups. */
static int export_groups(sqlite3 *db, sqlite3_int64 run, const char *q, const char *cols, FILE *f,
                         int *blocks)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, run);
    char prev[128] = "";
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        if (!name)
            name = "?";
        if (strcmp(prev, name) != 0) {
            fprintf(f, "%s\"%s\"", prev[0] ? "\n\n" : "", name);
            for (const char *c = cols; *c; c++)
                fputs(" x", f);
            fputc('\n', f);
            snprintf(prev, sizeof prev, "%s", name);
            ++*blocks;
        }
        fprintf(f, "%.6f", (double)sqlite3_column_int64(st, 1) / YEAR_SECONDS);
        for (int k = 0; cols[k]; k++) {
            double v = cols[k] == 'u' ? (double)sqlite3_column_int64(st, 2 + k) / UNITS
                                      : sqlite3_column_double(st, 2 + k);
            fprintf(f, " %.9f", v);
        }
        fputc('\n', f);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE && prev[0] ? 0 : -1;
}

/* balances.dat: one data block per staker: years, balance in tokens. */
static int export_balances(sqlite3 *db, sqlite3_int64 run, FILE *f, int *blocks)
{
    static const char q[] =
        "SELECT e.name, s.t, s.value FROM series s JOIN entities e ON e.run_id = s.run_id "
        "AND e.entity_id = s.entity_id WHERE s.run_id = ? AND s.metric = 'balance' "
        "ORDER BY s.entity_id, s.t";
    return export_groups(db, run, q, "u", f, blocks);
}

static int export_rows(sqlite3 *db, sqlite3_int64 run, const char *q, FILE *f, int *rows)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, run);
    int rc, cols = sqlite3_column_count(st);
    *rows = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        fprintf(f, "%.6f", (double)sqlite3_column_int64(st, 0) / YEAR_SECONDS);
        for (int c = 1; c < cols; c++)
            fprintf(f, " %.9f", sqlite3_column_double(st, c) / UNITS);
        fputc('\n', f);
        ++*rows;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static int export_bt_supply(sqlite3 *db, sqlite3_int64 run, FILE *f, int *blocks)
{
    static const char q[] =
        "SELECT s.t, s.value, e.value FROM series s JOIN series e ON e.run_id = s.run_id "
        "AND e.t = s.t AND e.entity_id = 0 AND e.metric = 'block_emission' "
        "WHERE s.run_id = ? AND s.metric = 'issuance' AND s.entity_id = 0 ORDER BY s.t";
    int rows;
    *blocks = 1;
    return export_rows(db, run, q, f, &rows) == 0 && rows > 0 ? 0 : -1;
}

/* Halvings may not have happened: an empty file gets one invisible point at the origin so that
** gnuplot has something to read. */
static int export_bt_halvings(sqlite3 *db, sqlite3_int64 run, FILE *f, int *blocks)
{
    static const char q[] = "SELECT t, value FROM series WHERE run_id = ? AND "
                            "metric = 'halving_issuance' AND entity_id = 0 ORDER BY t";
    int rows;
    *blocks = 1;
    if (export_rows(db, run, q, f, &rows) != 0)
        return -1;
    if (rows == 0)
        fputs("0 NaN\n", f);
    return 0;
}

static int export_bt_emission(sqlite3 *db, sqlite3_int64 run, FILE *f, int *blocks)
{
    static const char q[] =
        "SELECT t, max(CASE WHEN metric = 'emission_owner' THEN value END), "
        "max(CASE WHEN metric = 'emission_miner' THEN value END), "
        "max(CASE WHEN metric = 'emission_validator' THEN value END), "
        "max(CASE WHEN metric = 'emission_root' THEN value END) FROM series "
        "WHERE run_id = ? AND entity_id = 0 AND metric IN ('emission_owner', 'emission_miner', "
        "'emission_validator', 'emission_root') GROUP BY t ORDER BY t";
    int rows;
    *blocks = 1;
    return export_rows(db, run, q, f, &rows) == 0 && rows > 0 ? 0 : -1;
}

/* prices.dat: one block per subnet, headed by its name: years, price, burn (TAO). */
static int export_bt_prices(sqlite3 *db, sqlite3_int64 run, FILE *f, int *blocks)
{
    static const char q[] =
        "SELECT e.name, s.t, s.value, b.value FROM series s JOIN entities e ON e.run_id = "
        "s.run_id AND e.entity_id = s.entity_id JOIN series b ON b.run_id = s.run_id AND "
        "b.t = s.t AND b.entity_id = s.entity_id AND b.metric = 'burn' "
        "WHERE s.run_id = ? AND s.metric = 'price' AND e.kind = 'subnet' "
        "ORDER BY s.entity_id, s.t";
    return export_groups(db, run, q, "ru", f, blocks);
}

/* attacks.dat: one block per attack operator (header = its name): years, attacker emission
** share, attacker stake share (the cabal share gap is their difference). Only written when the
** run recorded attack metrics (see has_attacks). */
static int export_bt_attacks(sqlite3 *db, sqlite3_int64 run, FILE *f, int *blocks)
{
    static const char q[] =
        "SELECT e.name, s.t, s.value, k.value FROM series s JOIN entities e ON e.run_id = "
        "s.run_id AND e.entity_id = s.entity_id JOIN series k ON k.run_id = s.run_id AND "
        "k.t = s.t AND k.entity_id = s.entity_id AND k.metric = "
        "replace(s.metric, '.emission_share', '.stake_share') "
        "WHERE s.run_id = ? AND s.metric GLOB 'attack.*.emission_share' AND e.kind = 'attack' "
        "ORDER BY s.entity_id, s.t";
    return export_groups(db, run, q, "rr", f, blocks);
}

/* attack-marks.dat: the years at which an attack switched on or off. */
static int export_bt_attack_marks(sqlite3 *db, sqlite3_int64 run, FILE *f, int *rows)
{
    static const char q[] =
        "SELECT DISTINCT s.t FROM series s JOIN series p ON p.run_id = s.run_id AND "
        "p.entity_id = s.entity_id AND p.metric = s.metric AND p.t = (SELECT max(t) FROM series "
        "WHERE run_id = s.run_id AND entity_id = s.entity_id AND metric = s.metric AND t < s.t) "
        "WHERE s.run_id = ? AND s.metric GLOB 'attack.*.active' AND s.value != p.value "
        "ORDER BY s.t";
    return export_rows(db, run, q, f, rows);
}

static int has_attacks(sqlite3 *db, sqlite3_int64 run)
{
    sqlite3_stmt *st;
    int yes = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT 1 FROM series WHERE run_id = ? AND metric GLOB "
                           "'attack.*.emission_share' LIMIT 1",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, run);
        yes = sqlite3_step(st) == SQLITE_ROW;
        sqlite3_finalize(st);
    }
    return yes;
}

/* 1 when the run's params_json says model "bittensor". */
static int is_bittensor(sqlite3 *db, sqlite3_int64 run)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "SELECT json_extract(params_json, '$.model') FROM runs "
                           "WHERE run_id = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_int64(st, 1, run);
    int bt = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) &&
             strcmp((const char *)sqlite3_column_text(st, 0), "bittensor") == 0;
    sqlite3_finalize(st);
    return bt;
}

/* 1 when the run's params_json names model `name` ("retention", ...). */
static int is_model(sqlite3 *db, sqlite3_int64 run, const char *name)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "SELECT json_extract(params_json, '$.model') FROM runs "
                           "WHERE run_id = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_int64(st, 1, run);
    int yes = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) &&
              strcmp((const char *)sqlite3_column_text(st, 0), name) == 0;
    sqlite3_finalize(st);
    return yes;
}

/* retention.dat: one gnuplot grid block per setting (lines "W_C S_H W_H_needed", a blank line
** after each S_H row, NaN where nothing retains) of model "retention" (study_run.h;
** templates/retention.gp). */
static int export_retention(sqlite3 *db, sqlite3_int64 run, FILE *f, int *blocks)
{
    static const char q[] = "SELECT setting, s_h, w_c, w_h_needed FROM retention "
                            "WHERE run_id = ? ORDER BY setting, s_h, w_c";
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, run);
    sqlite3_int64 prev = -1;
    double prev_sh = -1.0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_int64 k = sqlite3_column_int64(st, 0);
        double sh = sqlite3_column_double(st, 1);
        if (k != prev) {
            fputs(prev >= 0 ? "\n\n" : "", f);
            ++*blocks;
            prev = k, prev_sh = sh;
        } else if (sh != prev_sh) {
            fputc('\n', f);
            prev_sh = sh;
        }
        fprintf(f, "%.6f %.6f ", sqlite3_column_double(st, 2), sh);
        if (sqlite3_column_type(st, 3) == SQLITE_NULL)
            fputs("NaN\n", f);
        else
            fprintf(f, "%.6f\n", sqlite3_column_double(st, 3));
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE && *blocks > 0 ? 0 : -1;
}

/* retention-titles.gp: the gnuplot array `titles`, one entry per setting, in setting order. */
static int export_retention_titles(sqlite3 *db, sqlite3_int64 run, FILE *f, int *blocks)
{
    static const char q[] = "SELECT kappa, beta, xi, sigma FROM retention WHERE run_id = ? "
                            "GROUP BY setting ORDER BY setting";
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, run);
    int rc;
    fputs("array titles[4096]\n", f);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        fprintf(f, "titles[%d] = \"kappa %g, beta %g, xi %g, sigma_W %g\"\n", ++*blocks,
                sqlite3_column_double(st, 0), sqlite3_column_double(st, 1),
                sqlite3_column_double(st, 2), sqlite3_column_double(st, 3));
    sqlite3_finalize(st);
    return rc == SQLITE_DONE && *blocks > 0 ? 0 : -1;
}

typedef int (*export_fn)(sqlite3 *, sqlite3_int64, FILE *, int *);

static int export_file(sqlite3 *db, sqlite3_int64 run, const char *dir, const char *name,
                       export_fn fn, int *blocks, char *err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    *blocks = 0;
    int rc = fn(db, run, f, blocks);
    if (fclose(f) != 0 || rc != 0) {
        snprintf(err, errlen, "%s: no data to plot or write error", path);
        return -1;
    }
    return 0;
}

/* attacks.dat and attack-marks.dat when the run has attack metrics. *attacks receives the
** number of attack blocks, negated when no attack switched on or off inside the run (no marks
** to draw), and 0 when the run has no attacks (nothing written). */
static int export_attacks(sqlite3 *db, sqlite3_int64 run, const char *dir, int *attacks, char *err,
                          size_t errlen)
{
    int marks = 0;
    *attacks = 0;
    if (!has_attacks(db, run))
        return 0;
    int rc = export_file(db, run, dir, "attacks.dat", export_bt_attacks, attacks, err, errlen);
    if (rc == 0)
        rc = export_file(db, run, dir, "attack-marks.dat", export_bt_attack_marks, &marks, err,
                         errlen);
    if (rc == 0 && marks == 0)
        *attacks = -*attacks; /* no switch inside the run: plot without marks */
    return rc;
}

/* Exports the data files; *stakers receives the number of balance (token model) or price
** (bittensor) blocks and *bt whether the run is a bittensor one. */
static int export_all(const char *dbpath, const char *dir, int *stakers, int *bt, int *attacks,
                      char *err, size_t errlen)
{
    sqlite3 *db = NULL;
    sqlite3_int64 run = 0;
    if (sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        last_run(db, &run) != 0) {
        snprintf(err, errlen, "%s: cannot read runs: %s", dbpath,
                 db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return -1;
    }
    int one, rc;
    *bt = is_bittensor(db, run);
    if (!*bt && is_model(db, run, "retention")) { /* contour plots: templates/retention.gp */
        *bt = 2;
        rc = export_file(db, run, dir, "retention.dat", export_retention, stakers, err, errlen);
        if (rc == 0)
            rc = export_file(db, run, dir, "retention-titles.gp", export_retention_titles, &one,
                             err, errlen);
    } else if (!*bt && is_model(db, run, "collusion-toy")) {
        snprintf(err, errlen, "model collusion-toy has no gnuplot plots (its notebook plots it)");
        rc = -1;
    } else if (*bt) {
        rc = export_file(db, run, dir, "supply.dat", export_bt_supply, &one, err, errlen);
        if (rc == 0)
            rc = export_file(db, run, dir, "halvings.dat", export_bt_halvings, &one, err, errlen);
        if (rc == 0)
            rc = export_file(db, run, dir, "emission.dat", export_bt_emission, &one, err, errlen);
        if (rc == 0)
            rc = export_file(db, run, dir, "prices.dat", export_bt_prices, stakers, err, errlen);
        if (rc == 0)
            rc = export_attacks(db, run, dir, attacks, err, errlen);
    } else {
        rc = export_file(db, run, dir, "supply.dat", export_supply, &one, err, errlen);
        if (rc == 0)
            rc = export_file(db, run, dir, "balances.dat", export_balances, stakers, err, errlen);
    }
    sqlite3_close(db);
    return rc;
}

static int write_script(const char *dir, int stakers, int bt, int attacks, char *script, size_t len,
                        char *err, size_t errlen)
{
    snprintf(script, len, "%s/plots.gp", dir);
    FILE *f = fopen(script, "w");
    if (!f) {
        snprintf(err, errlen, "%s: %s", script, strerror(errno));
        return -1;
    }
    if (bt == 2)
        fprintf(f, "dir = '%s'\nsettings = %d\n%s", dir, stakers, plot_template_retention);
    else if (bt)
        fprintf(f, "dir = '%s'\nsubnets = %d\nattacks = %d\nattack_marks = %d\n%s", dir, stakers,
                attacks < 0 ? -attacks : attacks, attacks > 0, plot_template_bittensor);
    else
        fprintf(f, "dir = '%s'\nstakers = %d\n%s", dir, stakers, plot_template_token);
    if (fclose(f) != 0) {
        snprintf(err, errlen, "%s: write error", script);
        return -1;
    }
    return 0;
}

static int run_gnuplot(const char *gnuplot, const char *script, char *err, size_t errlen)
{
    char *argv[] = {(char *)"gnuplot", (char *)script, NULL};
    pid_t pid;
    int status;
    if (posix_spawn(&pid, gnuplot, NULL, NULL, argv, environ) != 0) {
        snprintf(err, errlen, "cannot start %s", gnuplot);
        return -1;
    }
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        snprintf(err, errlen, "gnuplot failed on %s", script);
        return -1;
    }
    return 0;
}

int plot_run(const char *db, const char *dir, char *err, size_t errlen)
{
    char gnuplot[4096], script[4096];
    if (plot_find_gnuplot(gnuplot, sizeof gnuplot) != 0) {
        snprintf(err, errlen, "gnuplot not found on PATH (Debian: apt-get install gnuplot-nox)");
        return -1;
    }
    if (strchr(dir, '\'') || strchr(dir, '\n')) {
        snprintf(err, errlen, "plot directory '%s' contains a quote or newline", dir);
        return -1;
    }
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
        return -1;
    }
    int stakers = 0, bt = 0, attacks = 0;
    if (export_all(db, dir, &stakers, &bt, &attacks, err, errlen) != 0 ||
        write_script(dir, stakers, bt, attacks, script, sizeof script, err, errlen) != 0)
        return -1;
    return run_gnuplot(gnuplot, script, err, errlen);
}
