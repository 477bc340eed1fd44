/*
** study_run.c: the driver of the study models (study_run.h): scenario -> model configuration,
** the printed tables, the retention table in the store.
**
** Collusion toy: prints "block cabal_share" for block 0 (the initial split) and after each of
** the blocks, the share with %.17g (round-trips every double). Retention: builds the settings
** of the design (the base first, then each list varied alone, or the full product), runs the
** W_H search for every (S_H, W_C) of the grid per setting, prints one table per setting (rows
** S_H, columns W_C, entries the W_H needed, "-" when none retains) and stores every row, and the
** retention map: every point the searches evaluated, with E_H and E_H - S_H (store_sweep.h).
** Settings are ordered with xi varying fastest (the one-at-a-time design: the base, its xi
** variants, then kappa, beta, sigma_W variants) so the model's memo reuses their epochs.
** Cost: collusion O(blocks); retention (settings x |S_H| x (steps + 1)) searches of
** O(log steps) epochs each (bisect) or steps + 1 epochs (scan).
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store_recorder.h"
#include "store_sweep.h"
#include "study_retention.h"
#include "study_run.h"
#include "whitepaper_collusion.h"

int study_is_model(const scn_scenario *sc)
{
    return sc->model == SCN_MODEL_COLLUSION_TOY || sc->model == SCN_MODEL_RETENTION;
}

/* ---- collusion toy ---- */

static void print_block(void *ud, uint64_t block, const wpc_block *b)
{
    fprintf((FILE *)ud, "%llu %.17g\n", (unsigned long long)block, b->cabal_share);
}

static int run_collusion(const scn_scenario *sc, const recorder *rec, FILE *out, char *err,
                         size_t errlen)
{
    wpc_config c = {sc->study.collusion.cabal_share,
                    sc->study.collusion.steepness,
                    sc->study.collusion.midpoint,
                    sc->study.collusion.growth,
                    sc->time.blocks,
                    sc->time.block_seconds};
    if (out)
        fprintf(out, "# block cabal_share (whitepaper collusion example)\n0 %.17g\n",
                c.cabal_share);
    return wpc_run(&c, rec, out ? print_block : NULL, out, err, errlen);
}

/* ---- retention ---- */

/* The store behind rec, or NULL when rec is not a store recorder. */
static store_recorder *store_of(const recorder *rec)
{
    store_recorder probe = {NULL, 0};
    recorder r = store_recorder_bind(&probe);
    return rec->vt == r.vt ? (store_recorder *)rec->ctx : NULL;
}

/* The settings of the design into set (capacity cap); returns how many. */
static size_t settings_of(const scn_scenario *sc, sr_setting *set, size_t cap)
{
    const scn_dlist *l[4] = {&sc->study.retention.kappa, &sc->study.retention.bonds_penalty,
                             &sc->study.retention.xi, &sc->study.retention.weight_sigma};
    size_t n = 0;
    /* xi varies fastest: consecutive settings that differ only in xi share the memo's epochs */
    if (sc->study.retention.design == SCN_DESIGN_FULL) {
        for (uint32_t a = 0; a < l[0]->n; a++)
            for (uint32_t b = 0; b < l[1]->n; b++)
                for (uint32_t d = 0; d < l[3]->n; d++)
                    for (uint32_t c = 0; c < l[2]->n && n < cap; c++)
                        set[n++] = (sr_setting){l[0]->v[a], l[1]->v[b], l[2]->v[c], l[3]->v[d]};
        return n;
    }
    const double *base = sc->study.retention.base;
    static const int order[4] = {2, 0, 1, 3}; /* xi first, next to the base */
    set[n++] = (sr_setting){base[0], base[1], base[2], base[3]};
    for (int o = 0; o < 4; o++)
        for (uint32_t i = 0, f = (uint32_t)order[o]; i < l[f]->n && n < cap; i++) {
            if (l[f]->v[i] == base[f])
                continue; /* the base setting is already in */
            double x[4] = {base[0], base[1], base[2], base[3]};
            x[f] = l[f]->v[i];
            set[n++] = (sr_setting){x[0], x[1], x[2], x[3]};
        }
    return n;
}

static void print_table(FILE *out, size_t k, const sr_setting *s, const scn_scenario *sc,
                        const store_retention_row *rows)
{
    uint32_t steps = sc->study.retention.steps;
    fprintf(out,
            "\n# setting %zu: kappa %g, beta %g, xi %g, sigma_W %g -- W_H needed to retain "
            "S_H (rows) per W_C (columns)\nS_H\\W_C",
            k, s->kappa, s->bonds_penalty, s->xi, s->weight_sigma);
    for (uint32_t c = 0; c <= steps; c++)
        fprintf(out, " %.2f", (double)c / (double)steps);
    fputc('\n', out);
    for (uint32_t h = 0; h < sc->study.retention.stake_shares.n; h++) {
        fprintf(out, "%.2f   ", sc->study.retention.stake_shares.v[h]);
        for (uint32_t c = 0; c <= steps; c++) {
            const store_retention_row *r = &rows[(size_t)h * (steps + 1) + c];
            if (r->has_w_h)
                fprintf(out, " %.2f", r->w_h_needed);
            else
                fputs("    -", out);
        }
        fputc('\n', out);
    }
}

/* The retention map's points of one setting, in the order the searches visit them. */
typedef struct map_buf {
    store_retention_point *p; /* the points */
    size_t n, cap;            /* how many, room */
    int64_t setting;          /* the setting being searched */
    double s_h, w_c;          /* the cell being searched */
    uint32_t steps;           /* grid steps */
    int oom;                  /* a point could not be kept */
} map_buf;

static void on_visit(void *ctx, uint32_t i, double e_h)
{
    map_buf *m = ctx;
    if (m->n == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 1024;
        store_retention_point *p = realloc(m->p, cap * sizeof *p);
        if (!p) {
            m->oom = 1;
            return;
        }
        m->p = p, m->cap = cap;
    }
    m->p[m->n++] =
        (store_retention_point){m->setting, m->s_h, m->w_c, (double)i / (double)m->steps, e_h};
}

/* One setting's table into rows (|S_H| x (steps + 1), row-major by S_H); the points visited
** into mb. */
static int run_setting(sr_study *st, const scn_scenario *sc, size_t k, const sr_setting *s,
                       store_retention_row *rows, map_buf *mb, uint64_t *evals, uint64_t *reversals,
                       const volatile sig_atomic_t *stop, char *err, size_t errlen)
{
    uint32_t steps = sc->study.retention.steps;
    int bisect = sc->study.retention.search == SCN_SEARCH_BISECT;
    for (uint32_t h = 0; h < sc->study.retention.stake_shares.n; h++) {
        double s_h = sc->study.retention.stake_shares.v[h];
        for (uint32_t c = 0; c <= steps; c++) {
            sr_need nd;
            double w_c = (double)c / (double)steps;
            sr_grid g = {s_h, h, c, steps};
            mb->s_h = s_h, mb->w_c = w_c;
            if (stop && *stop) {
                snprintf(err, errlen, "interrupted");
                return STUDY_INTERRUPTED;
            }
            if (sr_needed(st, s, &g, bisect, &nd, err, errlen) != 0)
                return -1;
            *evals += nd.evals, *reversals += nd.reversals;
            rows[(size_t)h * (steps + 1) + c] = (store_retention_row){
                (int64_t)k,
                s->kappa,
                s->bonds_penalty,
                s->xi,
                s->weight_sigma,
                s_h,
                w_c,
                nd.w_h_index >= 0,
                nd.w_h_index >= 0 ? (double)nd.w_h_index / (double)steps : 0.0,
                (int64_t)nd.evals};
        }
    }
    return 0;
}

/* The table also goes to the series (metric "w_h_needed", entity = setting index, t = S_H
** index, block = W_C index; cells where nothing retains are left out) so that the run digest
** covers the results and `tokensim sweep --metric w_h_needed` can reduce them. */
static int record_setting(const recorder *rec, size_t k, const store_retention_row *rows,
                          size_t per, size_t cols, char *err, size_t errlen)
{
    int rc = rec->vt->entity(rec->ctx, (int64_t)k, "setting", "retention", NULL, 0);
    for (size_t i = 0; i < per && rc == 0; i++)
        if (rows[i].has_w_h)
            rc = rec->vt->series_f64(rec->ctx, (int64_t)(i / cols), (int64_t)(i % cols),
                                     "w_h_needed", (int64_t)k, rows[i].w_h_needed);
    if (rc != 0)
        snprintf(err, errlen, "retention: recording setting %zu failed (code %d)", k, rc);
    return rc;
}

enum { MAX_SETTINGS = 4096 };

/* The memo is an optimisation: grids too large for it run without. */
#define MEMO_MAX_BYTES (64u << 20)

static int run_retention(const scn_scenario *sc, const recorder *rec, FILE *out,
                         const volatile sig_atomic_t *stop, char *err, size_t errlen)
{
    store_recorder *sr = store_of(rec);
    sr_config c = {sc->study.retention.neurons, sc->study.retention.validators,
                   sc->study.retention.stake_sigma, sc->seed, sc->study.retention.yuma3};
    size_t per = (size_t)sc->study.retention.stake_shares.n * (sc->study.retention.steps + 1);
    sr_setting *set = calloc(MAX_SETTINGS, sizeof *set);
    store_retention_row *rows = calloc(per, sizeof *rows);
    sr_study *st = NULL;
    int rc = -1;
    if (!set || !rows)
        snprintf(err, errlen, "retention: out of memory");
    else if (sr_new(&c, &st, err, errlen) == 0)
        rc = 0;
    double g = (double)sc->study.retention.steps + 1.0;
    if (rc == 0 && 16.0 * (double)sc->study.retention.stake_shares.n * g * g <= MEMO_MAX_BYTES)
        (void)sr_memo(st, sc->study.retention.stake_shares.n, sc->study.retention.steps);
    size_t n = rc == 0 ? settings_of(sc, set, MAX_SETTINGS) : 0;
    uint64_t evals = 0, reversals = 0;
    map_buf mb = {NULL, 0, 0, 0, 0.0, 0.0, sc->study.retention.steps, 0};
    if (rc == 0 && sr)
        sr_on_visit(st, on_visit, &mb);
    for (size_t k = 0; k < n && rc == 0; k++) {
        mb.n = 0, mb.setting = (int64_t)k;
        rc = run_setting(st, sc, k, &set[k], rows, &mb, &evals, &reversals, stop, err, errlen);
        if (rc == 0 && out)
            print_table(out, k, &set[k], sc, rows);
        if (rc == 0 && mb.oom) {
            snprintf(err, errlen, "retention: out of memory (the retention map)");
            rc = -1;
        }
        if (rc == 0 && sr &&
            (store_retention_rows(sr->st, sr->run_id, rows, per) != 0 ||
             store_retention_map_rows(sr->st, sr->run_id, mb.p, mb.n) != 0)) {
            snprintf(err, errlen, "retention: %s", store_errmsg(sr->st));
            rc = -1;
        }
        if (rc == 0)
            rc = record_setting(rec, k, rows, per, sc->study.retention.steps + 1u, err, errlen);
    }
    if (rc == 0 && out)
        fprintf(out, "\n# %zu settings, %llu epochs\n", n, (unsigned long long)evals);
    if (rc == 0 && out && sc->study.retention.search == SCN_SEARCH_SCAN)
        fprintf(out,
                "# monotonicity: %llu grid steps where retention is lost again as W_H "
                "rises\n",
                (unsigned long long)reversals);
    sr_free(st);
    free(mb.p);
    free(rows);
    free(set);
    return rc;
}

int study_simulate(const scn_scenario *sc, const recorder *rec, FILE *out,
                   const volatile sig_atomic_t *stop, char *err, size_t errlen)
{
    if (sc->model == SCN_MODEL_COLLUSION_TOY)
        return run_collusion(sc, rec, out, err, errlen);
    if (sc->model == SCN_MODEL_RETENTION)
        return run_retention(sc, rec, out, stop, err, errlen);
    snprintf(err, errlen, "not a study model");
    return -1;
}
