/*
** gate_tol.h: tolerances of the regression gate (`tokensim diff --tolerance FILE`).
**
** A tolerance file is plain text, one rule a line; '#' starts a comment, blank lines are skipped:
**
**     default           abs=0 rel=0        # what applies when no pattern matches
**     gini_*            rel=1e-9           # reals: allow last-digit noise
**     price             abs=1e-12 rel=1e-6
**     ledger:burn:*     abs=1000000000     # burns may move by up to 1 token
**     miner_income      ignore             # reported, never fails
**
** PATTERN is a shell glob (fnmatch(3), no flags) matched against the metric name: a series
** metric ("issuance") or a ledger total ("ledger:KIND:REASON"). The first matching line wins;
** `default` (at most once, anywhere) applies when none matches; without it the default is exact
** (abs=0 rel=0). A point is within tolerance when |new - base| <= abs OR |new - base| <= rel *
** |base|; a point present on one side only is always beyond tolerance (unless `ignore`).
** abs and rel are finite numbers >= 0; a line needs at least one of abs=, rel=, ignore.
** Errors are reported as "FILE:LINE: message". Limits: lines of at most 1024 bytes, at most
** 10,000 rules. Lookup is linear in the number of rules (called once per metric, not per point).
*/
#ifndef TOKENSIM_GATE_TOL_H
#define TOKENSIM_GATE_TOL_H

#include <stddef.h>

/* One tolerance. */
typedef struct gate_tol {
    double abs; /* absolute tolerance, >= 0 */
    double rel; /* relative tolerance (fraction of |base|), >= 0 */
    int ignore; /* non-zero: changes are reported but never beyond tolerance */
} gate_tol;

typedef struct gate_tolset gate_tolset;

/* An empty set: every metric exact (abs=0 rel=0). NULL when out of memory. */
gate_tolset *gate_tolset_new(void);

/* Free a set; NULL is a no-op. */
void gate_tolset_free(gate_tolset *ts);

/* Parse FILE into a new set. 0 on success; -1 with "FILE:LINE: message" (or "FILE: why") in
** err on any error, *out NULL. */
int gate_tolset_load(const char *path, gate_tolset **out, char *err, size_t errlen);

/* Parse one rule line's text (without the pattern's file context) into a tolerance: tokens
** "abs=X", "rel=Y", "ignore" separated by blanks. 0 or -1 with the reason in err. Shared with
** the baseline files of `tokensim check`. */
int gate_tol_parse_opts(char *text, gate_tol *t, char *err, size_t errlen);

/* The tolerance for metric (first matching pattern, else the default). */
gate_tol gate_tolset_lookup(const gate_tolset *ts, const char *metric);

/* Non-zero when the change base -> now is within t (see above). */
int gate_tol_admits(const gate_tol *t, double base, double abs_change);

/* A short description of t into buf ("abs=0 rel=1e-09", "ignore"); returns buf. */
const char *gate_tol_str(const gate_tol *t, char *buf, size_t len);

#endif
