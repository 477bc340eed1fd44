/*
** gate_keys.h: key metrics of `tokensim check` — small named numbers read from one run of a
** metrics database by plain SQL, and the default choice of them for a scenario's model.
**
** Key syntax:
**   final:METRIC          sum over entities of METRIC's samples at the largest t it was sampled
**   final:METRIC@ENTITY   one entity's sample at the largest t sampled for that entity
**   sum:METRIC[@ENTITY]   sum of every sample
**   max:METRIC[@ENTITY]   largest sample      min:METRIC[@ENTITY]  smallest sample
**   ledger:KIND           sum of the amounts of every ledger row of KIND (0 when none)
**   ledger:KIND:REASON    the same restricted to one reason ("" matches NULL)
** A series key whose metric (or entity) has no sample has no value ("no samples"): a metric that
** disappears is a change. Integer samples give integer values (SQLite sum), any real sample a
** real value. Ledger totals are summed in two 32-bit halves, so they never overflow; a total
** beyond INT64_MAX is kept as a double (so check compares it to about 1 part in 10^16). Each
** evaluation is one indexed query (series_by_metric, or a ledger scan).
**
** Default choice (gate_keys_choose): the final value of every series metric whose name matches
** one of *supply*, *issuance*, *burn*, *mint*, *gini*, *top1*, emission_* (emission by role),
** *revenue_total* — per entity when it has at most 4 entities, summed otherwise — and the ledger
** totals of every (kind, reason) with kind mint or burn. When that finds fewer than 3 series keys
** (models whose metrics have other names), every metric is taken the same way. At most 40 series
** keys and 24 ledger keys, in metric name order. Integer keys get an exact tolerance; real keys
** rel=1e-9, which admits last-digit differences of another libm but nothing a model change moves.
*/
#ifndef TOKENSIM_GATE_KEYS_H
#define TOKENSIM_GATE_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

/* One key's value. */
typedef struct gate_value {
    int present; /* 0: no samples */
    int is_int;  /* 1: i holds the exact value */
    int64_t i;   /* integer value */
    double f;    /* the value as a double (always set when present) */
} gate_value;

/* 0 when key is well formed, else -1 with the reason in err. */
int gate_key_check(const char *key, char *err, size_t errlen);

/* Evaluates key on run run_id of db (a handle from gate_db_open). 0 ok (out->present says
** whether there were samples), -1 with the reason in err. */
int gate_key_eval(sqlite3 *db, int64_t run_id, const char *key, gate_value *out, char *err,
                  size_t errlen);

/* Called by gate_keys_choose for every chosen key with its default tolerance text ("" for
** exact, "rel=1e-09" for reals). Non-zero stops. */
typedef int (*gate_key_fn)(void *ctx, const char *key, const char *tol);

/* Chooses the default keys of run run_id (see above). 0 ok, -1 with the reason in err. */
int gate_keys_choose(sqlite3 *db, int64_t run_id, gate_key_fn fn, void *ctx, char *err,
                     size_t errlen);

/* The value of a ledger total read as two partial sums, hi = sum(amount >> 32) and lo =
** sum(amount & 0xffffffff) (amounts are >= 0): exact as an integer while the total fits int64,
** a double beyond (SQLite's sum() would stop with "integer overflow" there). */
void gate_value_from_split(int64_t hi, int64_t lo, gate_value *out);

/* Canonical text of v: the integer in decimal, a real as the shortest %.Ng (N = 15..17) that
** reads back to the same double; "-" when absent. Returns buf. */
const char *gate_value_str(const gate_value *v, char *buf, size_t len);

/* Parses canonical text back (decimal integer, or a finite real). 0 ok, -1 when malformed. */
int gate_value_parse(const char *s, gate_value *v);

#endif
