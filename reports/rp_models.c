/*
** rp_models.c: the plot set of each model, chosen by the selected run's params_json "model":
** token, bittensor (with attacks), bitgrit and numerai (competitions), aigen, cflow, and the study
** models retention and collusion-toy. Every set draws what the model records (metric names as the
** adapters in sim/cli/model_*.c write them) and skips the rest; amounts are shown in tokens
** (base units / 1e9). The summary numbers of the page are collected here too.
*/
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "rp_int.h"

#define UNITS 1e9

/* Final value of a network metric (entity 0), NaN when absent. */
static double final_metric(rp_ctx *c, const char *metric)
{
    char *q = sqlite3_mprintf("SELECT value FROM series WHERE run_id = ?1 AND entity_id = 0 AND "
                              "metric = %Q ORDER BY t DESC LIMIT 1",
                              metric);
    double v = q ? rp_real(c, c->run, q, ((double)NAN)) : ((double)NAN);
    sqlite3_free(q);
    return v;
}

static void kv_tokens(rp_ctx *c, const char *section, const char *key, double units)
{
    if (units == units)
        rp_add_kv(c, section, key, "%.3f tokens", units / UNITS);
}

static void kv_real(rp_ctx *c, const char *section, const char *key, double v)
{
    if (v == v)
        rp_add_kv(c, section, key, "%.4f", v);
}

/* Totals every ledger-based model shares: minted (genesis excluded) and burned. */
static void ledger_totals(rp_ctx *c, const char *section)
{
    kv_tokens(c, section, "total minted after genesis",
              rp_real(c, c->run,
                      "SELECT sum(amount) FROM ledger WHERE run_id = ?1 AND kind = 'mint' AND "
                      "reason NOT GLOB 'genesis*'",
                      ((double)NAN)));
    kv_tokens(c, section, "total burned",
              rp_real(c, c->run,
                      "SELECT sum(amount) FROM ledger WHERE run_id = ?1 AND kind = 'burn'",
                      ((double)NAN)));
}

/* Cumulative minted amount per receiving role, stacked (genesis excluded). */
static int emission_by_role(rp_ctx *c, const char *section, const char *title)
{
    sqlite3_stmt *st;
    static const char roles_q[] =
        "SELECT DISTINCT coalesce(e.role, e.kind, 'other') FROM ledger l LEFT JOIN entities e ON "
        "e.run_id = l.run_id AND e.entity_id = l.dst WHERE l.run_id = ? AND l.kind IN ('mint', "
        "'reward') AND l.reason NOT GLOB 'genesis*' ORDER BY 1 LIMIT 12";
    if (sqlite3_prepare_v2(c->db, roles_q, -1, &st, NULL) != SQLITE_OK)
        return rp_fail(c, REPORT_EDB, "emission query failed: %s", sqlite3_errmsg(c->db));
    sqlite3_bind_int64(st, 1, c->run);
    char header[1024] = "x";
    char *pivot = sqlite3_mprintf(""), *cum = sqlite3_mprintf("");
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW && pivot && cum) {
        const char *role = (const char *)sqlite3_column_text(st, 0);
        char *p = sqlite3_mprintf("%s, sum(CASE WHEN role = %Q THEN amount ELSE 0 END) AS c%d",
                                  pivot, role, n);
        char *q = sqlite3_mprintf("%s, sum(c%d) OVER (ORDER BY t) / 1e9", cum, n);
        sqlite3_free(pivot), sqlite3_free(cum);
        pivot = p, cum = q;
        size_t len = strlen(header);
        snprintf(header + len, sizeof header - len, "|%s", role ? role : "?");
        n++;
    }
    sqlite3_finalize(st);
    char *q = pivot && cum
                  ? sqlite3_mprintf(
                        "WITH m AS (SELECT l.t, coalesce(e.role, e.kind, 'other') AS role, "
                        "l.amount FROM ledger l LEFT JOIN entities e ON e.run_id = l.run_id AND "
                        "e.entity_id = l.dst WHERE l.run_id = ?1 AND l.kind IN ('mint', 'reward') "
                        "AND l.reason NOT GLOB 'genesis*'), p AS (SELECT t%s FROM m GROUP BY t) "
                        "SELECT %s%s FROM p ORDER BY t",
                        pivot, rp_tcol(c), cum)
                  : NULL;
    sqlite3_free(pivot), sqlite3_free(cum);
    if (!q)
        return rp_fail(c, REPORT_EIO, "out of memory");
    int rows = 0, rc = n > 0 ? rp_export(c, "emission-by-role.dat", header, q, 0, &rows, NULL) : 0;
    sqlite3_free(q);
    if (rc != 0)
        return -1;
    if (rows == 0) {
        rp_add_skip(c, section, "emission-by-role", "no minting after genesis in the ledger");
        return 0;
    }
    char vars[1024], t[600];
    rp_gpstr(t, sizeof t, title);
    snprintf(vars, sizeof vars,
             "file = 'emission-by-role.dat'\nncols = %d\ntitle_ = %s\n"
             "ylabel_ = 'cumulative emission (tokens)'\nstyle = 'stacked'",
             n, t);
    return rp_draw(c, section, "emission-by-role", "lines", vars, title);
}

/* Annualised yield per role: rewards minted to the role between two samples over the stake the
** role held at the later sample. */
static int yield_by_role(rp_ctx *c, const char *section, const char *stake_metric)
{
    char *q = sqlite3_mprintf(
        "WITH s AS (SELECT s.t, coalesce(e.role, e.kind) AS role, sum(s.value) AS st FROM series "
        "s JOIN entities e ON e.run_id = s.run_id AND e.entity_id = s.entity_id WHERE s.run_id = "
        "?1 AND s.metric = %Q GROUP BY s.t, role), r AS (SELECT l.t, coalesce(e.role, e.kind) AS "
        "role, l.amount FROM ledger l JOIN entities e ON e.run_id = l.run_id AND e.entity_id = "
        "l.dst WHERE l.run_id = ?1 AND l.kind IN ('mint', 'reward') AND l.reason NOT GLOB "
        "'genesis*'), w AS (SELECT role, t, st, lag(t) OVER (PARTITION BY role ORDER BY t) AS t0 "
        "FROM s) SELECT role, w.t / %.17e, 100.0 * (SELECT coalesce(sum(amount), 0) FROM r WHERE "
        "r.role = w.role AND r.t > w.t0 AND r.t <= w.t) / w.st * 31536000.0 / (w.t - w.t0) FROM "
        "w WHERE t0 IS NOT NULL AND st > 0 AND w.t > w.t0 ORDER BY role, t",
        stake_metric, c->tdiv);
    if (!q)
        return rp_fail(c, REPORT_EIO, "out of memory");
    int rows = 0, blocks = 0, rc = rp_export(c, "yield-by-role.dat", NULL, q, 1, &rows, &blocks);
    sqlite3_free(q);
    if (rc != 0)
        return -1;
    if (rows == 0) {
        rp_add_skip(c, section, "yield-by-role", "no stake samples or rewards per role");
        return 0;
    }
    char vars[1024];
    snprintf(vars, sizeof vars,
             "file = 'yield-by-role.dat'\nnblocks = %d\ntitle_ = 'Annualised yield per role "
             "(rewards / stake)'\nylabel_ = 'yield (%% per year)'",
             blocks);
    return rp_draw(c, section, "yield-by-role", "blocks", vars,
                   "Annualised yield per role (rewards / stake)");
}

/* Halving marks: sample times at which the network's `halvings` counter went up. */
static void halving_marks(rp_ctx *c, char *out, size_t len)
{
    char *q = sqlite3_mprintf(
        "SELECT group_concat(printf('%%.9g', x), ' ') FROM (SELECT t / %.17e AS x FROM (SELECT t, "
        "value - lag(value) OVER (ORDER BY t) AS d FROM series WHERE run_id = ?1 AND entity_id = "
        "0 AND metric = 'halvings') WHERE d > 0 ORDER BY t)",
        c->tdiv);
    out[0] = '\0';
    if (q)
        rp_text(c, c->run, q, out, len);
    sqlite3_free(q);
}

static void set_marks(rp_ctx *c, const char *halvings, const char *attacks)
{
    snprintf(c->marks, sizeof c->marks, "%s%s%s", halvings, halvings[0] && attacks[0] ? " " : "",
             attacks);
    snprintf(c->marklabel, sizeof c->marklabel, "%s",
             halvings[0] && attacks[0] ? "halving / attack switch"
             : halvings[0]             ? "halving"
                                       : "attack switch");
}

static int supply_plot(rp_ctx *c, const char *section, const char *supply, const char *rate,
                       const char *rate_label)
{
    char *q = sqlite3_mprintf(
        "SELECT %s, max(CASE WHEN metric = %Q THEN value END) / 1e9, max(CASE WHEN metric = %Q "
        "THEN value END) / 1e9 FROM series WHERE run_id = ?1 AND entity_id = 0 AND metric IN "
        "(%Q, %Q) GROUP BY t ORDER BY t",
        rp_tcol(c), supply, rate, supply, rate);
    if (!q)
        return rp_fail(c, REPORT_EIO, "out of memory");
    char header[256];
    snprintf(header, sizeof header, "x|supply|%s", rate_label);
    int rows = 0,
        rc = rp_has_metric(c, supply) ? rp_export(c, "supply.dat", header, q, 0, &rows, NULL) : 0;
    sqlite3_free(q);
    if (rc != 0)
        return -1;
    if (rows == 0) {
        rp_add_skip(c, section, "supply", "no supply series");
        return 0;
    }
    char vars[1024];
    snprintf(vars, sizeof vars,
             "file = 'supply.dat'\ntitle_ = 'Supply and issuance rate (halvings marked)'\n"
             "ylabel_ = 'supply (tokens)'\ny2label_ = '%s (tokens per block)'",
             rate_label);
    return rp_draw(c, section, "supply", "supply", vars,
                   "Supply and issuance rate (halvings marked)");
}

static int model_token(rp_ctx *c, const char *s)
{
    char h[1024];
    double g1, g2;
    halving_marks(c, h, sizeof h);
    set_marks(c, h, "");
    if (supply_plot(c, s, "supply", "block_reward", "block reward") != 0 ||
        rp_blocks(c, s, "balances", "Balance per staker (stake + free)", "tokens", "balance",
                  "agent", UNITS) != 0 ||
        emission_by_role(c, s, "Cumulative block rewards by role (stacked)") != 0 ||
        yield_by_role(c, s, "stake") != 0 ||
        rp_lines(c, s, "inflation", "Annual inflation rate", "% per year",
                 (const rp_col[]){{"inflation_annual", "inflation"}}, 1, 1.0, "lines") != 0)
        return -1;
    static const char stake_q[] = "SELECT t, entity_id, value FROM series WHERE run_id = ?1 AND "
                                  "metric = 'balance' ORDER BY t, entity_id";
    static const char emis_q[] = "SELECT t, dst, amount FROM ledger WHERE run_id = ?1 AND kind = "
                                 "'mint' AND reason NOT GLOB 'genesis*' ORDER BY t, seq";
    if (rp_concentration(c, s, "stake", "stake (balances)", stake_q, 0, &g1) != 0 ||
        rp_concentration(c, s, "emission", "emission received", emis_q, 1, &g2) != 0)
        return -1;
    kv_tokens(c, s, "final supply", final_metric(c, "supply"));
    ledger_totals(c, s);
    kv_real(c, s, "halvings", final_metric(c, "halvings"));
    kv_real(c, s, "Gini of stake (end)", g1);
    kv_real(c, s, "Gini of emission (end)", g2);
    return 0;
}

/* attacks.dat (+ attack-marks.dat in years, kept for older tools) and the attack plot. */
static int bt_attacks(rp_ctx *c, const char *s)
{
    char *full = sqlite3_mprintf(
        "SELECT e.name, s.t / %.17e, s.value, k.value FROM series s JOIN entities e ON e.run_id "
        "= s.run_id AND e.entity_id = s.entity_id JOIN series k ON k.run_id = s.run_id AND k.t = "
        "s.t AND k.entity_id = s.entity_id AND k.metric = replace(s.metric, '.emission_share', "
        "'.stake_share') WHERE s.run_id = ?1 AND s.metric GLOB 'attack.*.emission_share' AND "
        "e.kind = 'attack' ORDER BY s.entity_id, s.t",
        c->tdiv);
    if (!full)
        return rp_fail(c, REPORT_EIO, "out of memory");
    int rows = 0, blocks = 0, rc = rp_export(c, "attacks.dat", NULL, full, 1, &rows, &blocks);
    sqlite3_free(full);
    if (rc != 0)
        return -1;
    if (rows == 0) {
        rp_add_skip(c, s, "attacks", "no attack in the run");
        return 0;
    }
    char vars[512];
    snprintf(vars, sizeof vars,
             "file = 'attacks.dat'\nnblocks = %d\ntitle_ = 'Attacker emission share vs stake "
             "share (the gap is the attack gain)'",
             blocks);
    return rp_draw(c, s, "attacks", "attacks", vars,
                   "Attacker emission share vs stake share (the gap is the attack gain)");
}

/* One line per attack operator of the series attack.<kind>.<what> (issue 5 metrics), drawn with
** the attack switches marked; skipped when no attack recorded it. */
static int bt_attack_lines(rp_ctx *c, const char *s, const char *stem, const char *title,
                           const char *ylabel, const char *what, double scale)
{
    char *q = sqlite3_mprintf(
        "SELECT e.name, %s, s.value / %.17e FROM series s JOIN entities e ON e.run_id = s.run_id "
        "AND e.entity_id = s.entity_id WHERE s.run_id = ?1 AND e.kind = 'attack' AND s.metric = "
        "'attack.' || e.role || '.' || %Q ORDER BY s.entity_id, s.t",
        rp_tcol(c), scale, what);
    return rp_blocks_sql(c, s, stem, title, ylabel, q, "no attack in the run recorded it");
}

/* Every issue-5 metric over time, one plot each (attacks.png draws the shares). */
static int bt_attack_metrics(rp_ctx *c, const char *s)
{
    if (rp_int(c, c->run, "SELECT count(*) FROM entities WHERE run_id = ?1 AND kind = 'attack'",
               0) == 0)
        return 0; /* no attack: attacks.png already says so once */
    return bt_attack_lines(c, s, "attack-gap", "Attack share gap (emission share - stake share)",
                           "share gap", "share_gap", 1.0) ||
           bt_attack_lines(c, s, "attack-return",
                           "Attacker return per unit of stake / honest validators' return",
                           "return ratio", "return_ratio", 1.0) ||
           bt_attack_lines(c, s, "attack-advantage",
                           "Copier advantage G (dividends per stake / honest median)", "G",
                           "advantage", 1.0) ||
           bt_attack_lines(c, s, "attack-churn",
                           "Consensus move per epoch (what commit-reveal needs to work)",
                           "half L1 distance", "consensus_move", 1.0) ||
           bt_attack_lines(c, s, "attack-honest",
                           "Honest share of the permitted validators' stake (below Kappa: the "
                           "attack sets the consensus)",
                           "honest share", "honest_share", 1.0) ||
           bt_attack_lines(c, s, "attack-burn", "Attack cost: registration burns (cumulative)",
                           "TAO", "cost_burn", UNITS) ||
           bt_attack_lines(
               c, s, "attack-cost",
               "Attack cost: burns + stake locked at its exit value (sold into the pool)", "TAO",
               "cost", UNITS) ||
           bt_attack_lines(c, s, "attack-stake", "Attack cost: stake locked on its hotkeys",
                           "alpha", "stake", UNITS);
}

/* The per-run attack figures that are not *_total ratios: kappa times and the attack's cost. */
static void bt_attack_summary(rp_ctx *c, const char *s)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(c->db,
                           "SELECT x.metric, x.value FROM series x WHERE x.run_id = ?1 AND "
                           "(x.metric GLOB 'attack.*.kappa_*' OR x.metric GLOB "
                           "'attack.*.cost*' OR x.metric GLOB 'attack.*.stake' OR x.metric "
                           "GLOB 'attack.*.emission') AND x.t = (SELECT max(y.t) FROM series y "
                           "WHERE y.run_id = ?1 AND y.metric = x.metric) ORDER BY x.metric",
                           -1, &st, NULL) != SQLITE_OK)
        return;
    sqlite3_bind_int64(st, 1, c->run);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        double v = sqlite3_column_double(st, 1);
        if (strstr(k, ".kappa_") && v < 0)
            rp_add_kv(c, s, k, "never below Kappa");
        else if (strstr(k, ".kappa_block"))
            rp_add_kv(c, s, k, "block %.0f", v);
        else if (strstr(k, ".kappa_"))
            rp_add_kv(c, s, k, "%.0f blocks after the attack's start", v);
        else
            rp_add_kv(c, s, k, "%.3f %s (end)", v / UNITS, strstr(k, ".cost") ? "TAO" : "alpha");
    }
    sqlite3_finalize(st);
}

/* Times (in years in the file, in the plot unit in *out) at which an attack switched. */
static int attack_marks(rp_ctx *c, char *out, size_t len)
{
    static const char q[] =
        "SELECT t FROM (SELECT t, value - lag(value) OVER (PARTITION BY entity_id, metric ORDER "
        "BY t) AS d FROM series WHERE run_id = ?1 AND metric GLOB 'attack.*.active') WHERE d != "
        "0 GROUP BY t ORDER BY t";
    sqlite3_stmt *st;
    out[0] = '\0';
    if (sqlite3_prepare_v2(c->db, q, -1, &st, NULL) != SQLITE_OK)
        return rp_fail(c, REPORT_EDB, "attack marks query failed: %s", sqlite3_errmsg(c->db));
    sqlite3_bind_int64(st, 1, c->run);
    FILE *f = NULL; /* attack-marks.dat, opened at the first switch */
    int any = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        double t = sqlite3_column_double(st, 0);
        if (!f && !(f = rp_open(c, "attack-marks.dat"))) {
            sqlite3_finalize(st);
            return -1;
        }
        fprintf(f, "%.6f\n", t / 31536000.0);
        size_t n = strlen(out);
        snprintf(out + n, len - n, "%s%.9g", any ? " " : "", t / c->tdiv);
        any = 1;
    }
    sqlite3_finalize(st);
    return f ? rp_close(c, f, "attack-marks.dat") : 0;
}

static void bt_summary(rp_ctx *c, const char *s, double gs, double ge)
{
    kv_tokens(c, s, "final TotalIssuance", final_metric(c, "issuance"));
    kv_real(c, s, "halvings", final_metric(c, "halvings"));
    kv_tokens(c, s, "TAO burned (registration)",
              rp_real(c, c->run,
                      "SELECT sum(amount) FROM ledger WHERE run_id = ?1 AND kind = 'burn'",
                      ((double)NAN)));
    kv_real(c, s, "Gini of validator stake (end)", gs);
    kv_real(c, s, "Gini of emission (end)", ge);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(c->db,
                           "SELECT metric, value FROM series WHERE run_id = ? AND metric GLOB "
                           "'attack.*.*_total' ORDER BY metric",
                           -1, &st, NULL) != SQLITE_OK)
        return;
    sqlite3_bind_int64(st, 1, c->run);
    while (sqlite3_step(st) == SQLITE_ROW)
        rp_add_kv(c, s, (const char *)sqlite3_column_text(st, 0), "%.4f",
                  sqlite3_column_double(st, 1));
    sqlite3_finalize(st);
    bt_attack_summary(c, s);
}

static int bt_concentration(rp_ctx *c, const char *s)
{
    double gs, ge;
    double bs = rp_real(c, c->run,
                        "SELECT max(t) * 1.0 / max(block) FROM series WHERE run_id = ?1 AND "
                        "block > 0",
                        12.0);
    static const char stake_q[] = "SELECT s.t, s.entity_id, s.value FROM series s JOIN entities e "
                                  "ON e.run_id = s.run_id AND e.entity_id = s.entity_id WHERE "
                                  "s.run_id = ?1 AND s.metric = 'stake' AND e.kind = 'agent' "
                                  "ORDER BY s.t, s.entity_id";
    char *emis_q = sqlite3_mprintf("SELECT block * %.17e, net * 1000000 + uid, emission FROM "
                                   "epochs WHERE run_id = ?1 ORDER BY block, net, uid",
                                   bs);
    if (!emis_q)
        return rp_fail(c, REPORT_EIO, "out of memory");
    static const char div_q[] = "SELECT t, entity_id, value FROM series WHERE run_id = ?1 AND "
                                "metric = 'dividends' ORDER BY t, entity_id";
    int rc = rp_concentration(c, s, "stake", "validator stake", stake_q, 0, &gs);
    /* The epochs table may be sampled sparsely or off; validator dividends are always there. */
    if (rc == 0 && rp_int(c, c->run, "SELECT count(*) FROM epochs WHERE run_id = ?1", 0) > 0)
        rc = rp_concentration(c, s, "emission", "emission per uid (epochs table)", emis_q, 1, &ge);
    else if (rc == 0)
        rc = rp_concentration(c, s, "emission", "validator dividends", div_q, 0, &ge);
    sqlite3_free(emis_q);
    if (rc == 0)
        bt_summary(c, s, gs, ge);
    return rc;
}

static int model_bittensor(rp_ctx *c, const char *s)
{
    char h[512], a[512];
    halving_marks(c, h, sizeof h);
    if (attack_marks(c, a, sizeof a) != 0)
        return -1;
    set_marks(c, h, a);
    static const rp_col roles[] = {{"emission_owner", "subnet owners"},
                                   {"emission_miner", "miners"},
                                   {"emission_validator", "validators and nominators"},
                                   {"emission_root", "root stakers"}};
    static const rp_col gini[] = {{"gini_stake", "Gini of stake"},
                                  {"gini_emission", "Gini of emission"},
                                  {"top1_stake", "top-1 stake share"},
                                  {"top1_emission", "top-1 emission share"}};
    if (supply_plot(c, s, "issuance", "block_emission", "block emission") != 0 ||
        rp_lines(c, s, "emission-by-role", "Alpha emission by role (all subnets, cumulative)",
                 "alpha", roles, 4, UNITS, "stacked") != 0 ||
        rp_blocks(c, s, "yield-validator", "Validator yield per subnet", "yield per sample",
                  "yield_validator", "subnet", 1.0) != 0 ||
        rp_blocks(c, s, "yield-nominator", "Nominator yield per subnet", "yield per sample",
                  "yield_nominator", "subnet", 1.0) != 0 ||
        rp_lines(c, s, "root-yield", "Root staker yield", "yield per sample",
                 (const rp_col[]){{"root_yield", "root yield"}}, 1, 1.0, "lines") != 0 ||
        rp_lines(c, s, "concentration-network", "Stake and emission concentration (network)",
                 "share / index", gini, 4, 1.0, "lines") != 0 ||
        rp_blocks(c, s, "prices", "Pool price per subnet", "TAO per alpha", "price", "subnet",
                  1.0) != 0 ||
        rp_blocks(c, s, "burn", "Registration burn per subnet", "TAO", "burn", "subnet", UNITS) !=
            0 ||
        bt_attacks(c, s) != 0 || bt_attack_metrics(c, s) != 0)
        return -1;
    return bt_concentration(c, s);
}

/* The Sybil farmer of a bitgrit run (attack.sybil.*, only when it is configured): its
** cumulative payoff against the single-identity counterfactual and its cost, and the final
** figures in the summary. */
static int bg_sybil(rp_ctx *c, const char *s)
{
    static const rp_col atk[] = {{"attack.sybil.emission", "paid to the k identities"},
                                 {"attack.sybil.emission_single", "one identity alone"},
                                 {"attack.sybil.cost", "cost"},
                                 {"attack.sybil.net", "net (paid - cost)"}};
    if (final_metric(c, "attack.sybil.cost") != final_metric(c, "attack.sybil.cost"))
        return 0;
    if (rp_lines(c, s, "attack-sybil", "Sybil farmer: payoff and cost (cumulative)", "BGR", atk, 4,
                 UNITS, "lines") != 0)
        return -1;
    kv_tokens(c, s, "Sybil farm: paid (BGR)", final_metric(c, "attack.sybil.emission"));
    kv_tokens(c, s, "Sybil farm: cost (BGR)", final_metric(c, "attack.sybil.cost"));
    kv_tokens(c, s, "Sybil farm: net (BGR)", final_metric(c, "attack.sybil.net"));
    kv_tokens(c, s, "Sybil farm: net of identities 2..k (BGR)",
              final_metric(c, "attack.sybil.net_extra"));
    kv_real(c, s, "Sybil gain (k identities / one)", final_metric(c, "attack.sybil.gain"));
    return 0;
}

static int model_bitgrit(rp_ctx *c, const char *s)
{
    static const char comp_q[] =
        "SELECT CAST(n.value AS INTEGER), max(CASE WHEN v.metric = 'bitgrit.comp.locked' THEN "
        "v.value END) / 1e9, max(CASE WHEN v.metric = 'bitgrit.comp.returned' THEN v.value END) / "
        "1e9, max(CASE WHEN v.metric = 'bitgrit.comp.forfeited' THEN v.value END) / 1e9, "
        "max(CASE WHEN v.metric = 'bitgrit.comp.burned' THEN v.value END) / 1e9 FROM series n "
        "JOIN series v ON v.run_id = n.run_id AND v.t = n.t AND v.entity_id = n.entity_id WHERE "
        "n.run_id = ?1 AND n.metric = 'bitgrit.comp.number' GROUP BY n.t, n.value ORDER BY n.t";
    /* bitgrit.minted and bitgrit.burned are the month's own flows (not running totals) */
    static const char month_q[] =
        "SELECT CAST(m.value AS INTEGER), mi.value / 1e9, bu.value / 1e9 FROM series m JOIN "
        "series mi ON mi.run_id = m.run_id AND mi.t = m.t AND mi.metric = 'bitgrit.minted' JOIN "
        "series bu ON bu.run_id = m.run_id AND bu.t = m.t AND bu.metric = 'bitgrit.burned' WHERE "
        "m.run_id = ?1 AND m.metric = 'bitgrit.month' ORDER BY m.t";
    static const char part_q[] =
        "SELECT CAST(n.value AS INTEGER), max(CASE WHEN v.metric = 'bitgrit.comp.entrants' THEN "
        "v.value END), max(CASE WHEN v.metric = 'bitgrit.comp.entrants_stake_half' THEN v.value "
        "END), max(CASE WHEN v.metric = 'bitgrit.comp.entrants_stake_double' THEN v.value END), "
        "max(CASE WHEN v.metric = 'bitgrit.comp.entrants_prize_half' THEN v.value END), max(CASE "
        "WHEN v.metric = 'bitgrit.comp.entrants_prize_double' THEN v.value END) FROM series n JOIN "
        "series v ON v.run_id = n.run_id AND v.t = n.t AND v.entity_id = n.entity_id WHERE "
        "n.run_id = ?1 AND n.metric = 'bitgrit.comp.number' GROUP BY n.t, n.value ORDER BY n.t";
    static const rp_col sup[] = {{"bitgrit.supply_bgr", "circulating supply"},
                                 {"bitgrit.reserve", "reserve"},
                                 {"bitgrit.unissued_bgr", "unissued"}};
    static const rp_col conc[] = {{"bitgrit.gini", "Gini of holdings"},
                                  {"bitgrit.top1_share", "top-1 share"}};
    static const char rew_q[] = "SELECT t, dst, amount FROM ledger WHERE run_id = ?1 AND kind = "
                                "'transfer' AND reason IN ('bonus', 'community_mint') "
                                "ORDER BY t, seq";
    double g;
    if (rp_bars(c, s, "competitions", "Stake per competition", "competition", "BGR",
                "competition|locked|returned|forfeited|burned", comp_q, 4) != 0 ||
        rp_bars(c, s, "minted-burned", "Minted vs burned per month", "month", "BGR",
                "month|minted|burned", month_q, 2) != 0 ||
        rp_bars(c, s, "participation", "Entrants per competition, and had stake or prize moved",
                "competition", "entrants",
                "competition|entrants|stake x0.5|stake x2|prize x0.5|prize x2", part_q, 5) != 0 ||
        rp_lines(c, s, "supply", "BGR supply, reserve and unissued", "BGR", sup, 3, UNITS,
                 "lines") != 0 ||
        rp_lines(c, s, "concentration", "Concentration of holdings", "index / share", conc, 2, 1.0,
                 "lines") != 0 ||
        rp_concentration(c, s, "rewards", "bonuses and community rewards", rew_q, 1, &g) != 0 ||
        bg_sybil(c, s) != 0)
        return -1;
    kv_tokens(c, s, "final supply (BGR)", final_metric(c, "bitgrit.supply_bgr"));
    kv_tokens(c, s, "total minted (BGR)", final_metric(c, "bitgrit.minted"));
    kv_tokens(c, s, "total burned (BGR)", final_metric(c, "bitgrit.burned"));
    kv_real(c, s, "Gini of holdings (end)", final_metric(c, "bitgrit.gini"));
    kv_real(c, s, "Gini of rewards received (end)", g);
    return 0;
}

static int model_numerai(rp_ctx *c, const char *s)
{
    static const char round_q[] =
        "SELECT CAST(r.value AS INTEGER), p.value / 1e9, b.value / 1e9 FROM series r JOIN series "
        "p ON p.run_id = r.run_id AND p.t = r.t AND p.metric = 'numerai.paid' JOIN series b ON "
        "b.run_id = r.run_id AND b.t = r.t AND b.metric = 'numerai.burned' WHERE r.run_id = ?1 "
        "AND r.metric = 'numerai.round' ORDER BY r.t";
    static const rp_col sup[] = {{"numerai.supply", "supply"}, {"numerai.treasury", "treasury"}};
    static const rp_col conc[] = {{"numerai.hhi", "HHI of stake"},
                                  {"numerai.top1_share", "top-1 stake share"}};
    static const char pay_q[] = "SELECT t, dst, amount FROM ledger WHERE run_id = ?1 AND reason = "
                                "'numerai_payout' ORDER BY t, seq";
    double g;
    if (rp_lines(c, s, "supply", "NMR supply and treasury", "NMR", sup, 2, UNITS, "lines") != 0 ||
        rp_bars(c, s, "paid-burned", "Paid vs burned per round", "round", "NMR",
                "round|paid|burned", round_q, 2) != 0 ||
        rp_lines(c, s, "concentration", "Stake concentration", "index / share", conc, 2, 1.0,
                 "lines") != 0 ||
        rp_lines(c, s, "effective-n", "Effective number of stakers (1 / HHI)", "models",
                 (const rp_col[]){{"numerai.effective_n", "effective N"}}, 1, 1.0, "lines") != 0 ||
        rp_concentration(c, s, "payouts", "payouts received", pay_q, 1, &g) != 0)
        return -1;
    kv_tokens(c, s, "final supply (NMR)", final_metric(c, "numerai.supply"));
    ledger_totals(c, s);
    kv_real(c, s, "median ROI", final_metric(c, "numerai.roi_p50"));
    kv_real(c, s, "Gini of payouts (end)", g);
    return 0;
}

static int model_aigen(rp_ctx *c, const char *s)
{
    static const rp_col sup[] = {{"supply", "supply"}, {"treasury", "treasury"}};
    static const rp_col flow[] = {{"platform_revenue", "platform revenue"},
                                  {"dev_paid", "paid to developers"},
                                  {"val_paid", "paid to validators"},
                                  {"burned", "burned"}};
    static const rp_col yield[] = {{"reward_per_stake_honest", "honest"},
                                   {"reward_per_stake_lazy", "lazy"},
                                   {"reward_per_stake_copier", "copier"},
                                   {"reward_per_stake_coalition", "coalition"}};
    static const rp_col acc[] = {{"accuracy_p10", "10th percentile"},
                                 {"accuracy_p50", "median"},
                                 {"accuracy_p90", "90th percentile"}};
    static const rp_col cons[] = {{"kendall_tau", "Kendall tau, score vs true quality"},
                                  {"top_decile_share", "dev. revenue share of top-decile quality"},
                                  {"hhi_usage", "HHI of usage"}};
    static const rp_col burns[] = {{"burn_fee", "fee burn"}, {"burn_unearned", "unearned burn"}};
    static const rp_col coal[] = {{"coalition_stake_share", "coalition stake share"},
                                  {"coalition_payoff_share", "coalition payoff share"}};
    static const rp_col gap[] = {{"attack.cabal.share_gap", "coalition (cabal)"},
                                 {"attack.copier.share_gap", "copiers"}};
    static const rp_col ret[] = {{"attack.cabal.return_ratio", "coalition return ratio"},
                                 {"attack.copier.return_ratio", "copiers' return ratio"},
                                 {"attack.copier.advantage", "copier advantage G"}};
    static const char *const atk_kv[][2] = {
        {"attack.cabal.share_gap_total", "coalition share gap (its window)"},
        {"attack.cabal.return_ratio_total", "coalition return ratio (its window)"},
        {"attack.cabal.kappa_block", "coalition above 1 - kappa from epoch (-1: never)"},
        {"attack.copier.advantage_total", "copier advantage G (its window)"}};
    static const char stake_q[] = "SELECT t, entity_id, value FROM series WHERE run_id = ?1 AND "
                                  "metric = 'stake' ORDER BY t, entity_id";
    static const char rew_q[] = "SELECT t, dst, amount FROM ledger WHERE run_id = ?1 AND kind = "
                                "'reward' ORDER BY t, seq";
    double g1, g2;
    if (rp_lines(c, s, "supply", "Supply and treasury", "tokens", sup, 2, UNITS, "lines") != 0 ||
        rp_lines(c, s, "flows", "Platform flows per epoch", "tokens", flow, 4, UNITS, "lines") !=
            0 ||
        rp_lines(c, s, "consensus", "Score quality and usage concentration (spec §3.3)", "", cons,
                 3, 1.0, "lines") != 0 ||
        rp_lines(c, s, "burns", "Burns per sample period", "tokens", burns, 2, UNITS, "lines") !=
            0 ||
        rp_lines(c, s, "coalition", "Coalition: stake share and payoff share", "share", coal, 2,
                 1.0, "lines") != 0 ||
        rp_lines(c, s, "attack-gap", "Attack share gap: payoff share - stake share", "gap", gap, 2,
                 1.0, "lines") != 0 ||
        rp_lines(c, s, "attack-return", "Attackers' return per stake / honest validators'", "ratio",
                 ret, 3, 1.0, "lines") != 0 ||
        emission_by_role(c, s, "Cumulative minting by role (stacked)") != 0 ||
        rp_lines(c, s, "yield-by-role", "Reward per unit of stake by validator role",
                 "reward / stake per epoch", yield, 4, 1.0, "lines") != 0 ||
        rp_lines(c, s, "accuracy", "Validator accuracy percentiles", "accuracy", acc, 3, 1.0,
                 "lines") != 0 ||
        rp_concentration(c, s, "stake", "validator stake", stake_q, 0, &g1) != 0 ||
        rp_concentration(c, s, "emission", "validator rewards", rew_q, 1, &g2) != 0)
        return -1;
    kv_tokens(c, s, "final supply", final_metric(c, "supply"));
    ledger_totals(c, s);
    kv_real(c, s, "Gini of stake (end)", g1);
    kv_real(c, s, "Gini of rewards (end)", g2);
    kv_real(c, s, "coalition payoff share (end)", final_metric(c, "coalition_payoff_share"));
    kv_real(c, s, "coalition stake share (end)", final_metric(c, "coalition_stake_share"));
    kv_real(c, s, "Kendall tau, score vs quality (end)", final_metric(c, "kendall_tau"));
    kv_real(c, s, "HHI of usage (end)", final_metric(c, "hhi_usage"));
    for (size_t i = 0; i < sizeof atk_kv / sizeof atk_kv[0]; i++)
        kv_real(c, s, atk_kv[i][1], final_metric(c, atk_kv[i][0]));
    return 0;
}

static int model_cflow(rp_ctx *c, const char *s)
{
    static const rp_col depth[] = {
        {"share_depth_0", "depth 0"}, {"share_depth_1", "depth 1"}, {"share_depth_2", "depth 2"},
        {"share_depth_3", "depth 3"}, {"share_depth_4", "depth 4"}, {"share_depth_5", "depth 5"},
        {"share_depth_6", "depth 6"}, {"share_depth_7", "depth 7"}, {"share_depth_8plus", "8+"}};
    static const rp_col kind[] = {{"share_app", "apps"},
                                  {"share_finetune", "fine-tunes"},
                                  {"share_foundation", "foundation models"},
                                  {"share_dataset", "datasets"},
                                  {"share_contributor", "contributors"}};
    static const rp_col rev[] = {{"revenue", "revenue per period"},
                                 {"revenue_total", "cumulative revenue"}};
    static const rp_col conc[] = {{"income_gini", "Gini of node income"},
                                  {"member_gini", "Gini of member income"}};
    static const rp_col stacks[] = {{"stack_mean", "mean"},
                                    {"stack_p50", "median"},
                                    {"stack_p90", "90th percentile"},
                                    {"stack_max", "max"}};
    static const rp_col cost[] = {{"touched_mean", "nodes touched per revenue event"}};
    static const char inc_q[] = "SELECT t, entity_id, value FROM series WHERE run_id = ?1 AND "
                                "metric = 'income' ORDER BY t, entity_id";
    double g;
    if (rp_lines(c, s, "revenue-by-depth", "Revenue share by graph depth (stacked)",
                 "share of revenue", depth, 9, 1.0, "stacked") != 0 ||
        rp_lines(c, s, "revenue-by-kind", "Revenue share by node kind (stacked)",
                 "share of revenue", kind, 5, 1.0, "stacked") != 0 ||
        rp_lines(c, s, "revenue", "Revenue", "tokens", rev, 2, UNITS, "lines") != 0 ||
        rp_lines(c, s, "gini", "Income concentration", "Gini index", conc, 2, 1.0, "lines") != 0 ||
        rp_lines(c, s, "stacks", "Royalty stacks", "share of revenue", stacks, 4, 1.0, "lines") !=
            0 ||
        rp_lines(c, s, "cost", "Cost per revenue event", "nodes", cost, 1, 1.0, "lines") != 0 ||
        rp_concentration(c, s, "income", "income per node", inc_q, 0, &g) != 0)
        return -1;
    kv_tokens(c, s, "total revenue", final_metric(c, "revenue_total"));
    kv_real(c, s, "graph nodes (end)", final_metric(c, "nodes"));
    kv_real(c, s, "Gini of node income (end)", g);
    kv_real(c, s, "link attempts rejected (end)", final_metric(c, "rejected_fraction"));
    kv_real(c, s, "dilution: root income change", final_metric(c, "dilution_root_change"));
    kv_real(c, s, "dilution: attacker gain", final_metric(c, "dilution_attacker_gain"));
    kv_real(c, s, "fork: clone gain over the original's keep",
            final_metric(c, "fork_attacker_gain"));
    return 0;
}

static int model_retention(rp_ctx *c, const char *s)
{
    static const char q[] = "SELECT setting, w_c, s_h, w_h_needed FROM retention WHERE run_id = "
                            "?1 ORDER BY setting, s_h, w_c";
    FILE *f = rp_open(c, "retention.dat");
    sqlite3_stmt *st;
    if (!f)
        return -1;
    if (sqlite3_prepare_v2(c->db, q, -1, &st, NULL) != SQLITE_OK) {
        rp_close(c, f, "retention.dat");
        return rp_fail(c, REPORT_EDB, "retention query failed: %s", sqlite3_errmsg(c->db));
    }
    sqlite3_bind_int64(st, 1, c->run);
    int64_t prev = -1, settings = 0;
    double prev_sh = -1.0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        int64_t k = sqlite3_column_int64(st, 0);
        double sh = sqlite3_column_double(st, 2);
        if (k != prev)
            fputs(prev >= 0 ? "\n\n" : "", f), prev = k, prev_sh = sh, settings++;
        else if (sh != prev_sh)
            fputc('\n', f), prev_sh = sh; /* a blank line ends a grid row */
        fprintf(f, "%.6f %.6f ", sqlite3_column_double(st, 1), sh);
        if (sqlite3_column_type(st, 3) == SQLITE_NULL)
            fputs("NaN\n", f);
        else
            fprintf(f, "%.6f\n", sqlite3_column_double(st, 3));
    }
    sqlite3_finalize(st);
    if (rp_close(c, f, "retention.dat") != 0)
        return -1;
    if (settings == 0)
        rp_add_skip(c, s, "retention", "no rows in the retention table");
    for (int64_t k = 0; k < settings && k < 64; k++) {
        char title[RP_TEXT], t[600], vars[1024], stem[32], *tq;
        tq = sqlite3_mprintf("SELECT printf('kappa %%g, beta %%g, xi %%g, sigma_W %%g', kappa, "
                             "beta, xi, sigma) FROM retention WHERE run_id = ?1 AND setting = "
                             "(SELECT DISTINCT setting FROM retention WHERE run_id = ?1 ORDER BY "
                             "setting LIMIT 1 OFFSET %lld) LIMIT 1",
                             (long long)k);
        char what[256] = "";
        if (tq)
            rp_text(c, c->run, tq, what, sizeof what);
        sqlite3_free(tq);
        snprintf(title, sizeof title, "Honest utility needed for retention (setting %lld: %s)",
                 (long long)k, what);
        rp_gpstr(t, sizeof t, title);
        snprintf(vars, sizeof vars, "file = 'retention.dat'\nk = %lld\ntitle_ = %s", (long long)k,
                 t);
        snprintf(stem, sizeof stem, "retention-%lld", (long long)k);
        if (rp_draw(c, s, stem, "retention", vars, title) != 0)
            return -1;
    }
    rp_add_kv(c, s, "settings", "%lld", (long long)settings);
    return 0;
}

static int model_collusion(rp_ctx *c, const char *s)
{
    /* Each share is recorded on its side's entity, not on the network. */
    char *q = sqlite3_mprintf("SELECT %s, max(CASE WHEN metric = 'cabal_share' THEN value END), "
                              "max(CASE WHEN metric = 'honest_share' THEN value END) FROM series "
                              "WHERE run_id = ?1 AND metric IN ('cabal_share', 'honest_share') "
                              "GROUP BY t ORDER BY t",
                              rp_tcol(c));
    if (!q)
        return rp_fail(c, REPORT_EIO, "out of memory");
    int rows = 0, rc = rp_export(c, "shares.dat", "x|cabal share|honest share", q, 0, &rows, NULL);
    sqlite3_free(q);
    if (rc != 0)
        return -1;
    if (rows == 0)
        rp_add_skip(c, s, "shares", "no share series");
    else if (rp_draw(c, s, "shares", "lines",
                     "file = 'shares.dat'\nncols = 2\ntitle_ = 'Emission share of the cabal and "
                     "the honest side'\nylabel_ = 'share'\nstyle = 'lines'",
                     "Emission share of the cabal and the honest side") != 0)
        return -1;
    if (rp_blocks(c, s, "trust", "Trust per side", "trust", "trust", NULL, 1.0) != 0)
        return -1;
    kv_real(c, s, "cabal share (end)",
            rp_real(c, c->run,
                    "SELECT value FROM series WHERE run_id = ?1 AND metric = 'cabal_share' "
                    "ORDER BY t DESC LIMIT 1",
                    (double)NAN));
    return 0;
}

int rp_models(rp_ctx *c)
{
    static const struct {
        const char *model;                  /* params_json "model" */
        int (*set)(rp_ctx *, const char *); /* its plot set */
    } sets[] = {{"token", model_token},         {"bittensor", model_bittensor},
                {"bitgrit", model_bitgrit},     {"numerai", model_numerai},
                {"aigen", model_aigen},         {"cflow", model_cflow},
                {"retention", model_retention}, {"collusion-toy", model_collusion}};
    for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++)
        if (!strcmp(c->model, sets[i].model))
            return sets[i].set(c, c->model);
    rp_add_skip(c, c->model[0] ? c->model : "run", "model plots",
                "no plot set for this model; the sweep plots and tables still apply");
    return 0;
}
