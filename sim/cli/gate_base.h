/*
** gate_base.h: baseline files of `tokensim check` (DIR/NAME.baseline).
**
** A baseline is small, committed, human-readable text; one directive a line, '#' comments and
** blank lines kept as they are when --update rewrites the file:
**
**     scenario ../../scenarios/bittensor-demo.cfg   # relative to the baseline's directory
**     set time.blocks=3600                          # --set overrides, in order (0 or more)
**     seed 1                                        # master seed (optional; --update writes it)
**     digest 48e5d535...                            # run digest (written by --update)
**     key final:issuance 13016729323152             # key metric, value, optional tolerance
**     key final:gini_stake@1 0.33126 rel=1e-09
**     key ledger:burn:registration 118218056118 abs=1000000000
**
** `scenario` is required once; `key NAME VALUE [abs=X] [rel=Y] [ignore]` (gate_keys.h names,
** gate_tol.h tolerance semantics; no option = exact); VALUE "-" records "no samples". A key
** without VALUE is allowed in a file not yet updated (check refuses it, --update fills it).
** Rewriting (gate_base_write) keeps every other line byte for byte, renders seed, digest and
** key lines canonically (gate_value_str), inserts a missing digest after the header
** directives and appends new keys at the end; the file is replaced atomically (write + rename).
** Limits: 1024-byte lines, 1000 keys, 256 sets; errors are "FILE:LINE: message".
*/
#ifndef TOKENSIM_GATE_BASE_H
#define TOKENSIM_GATE_BASE_H

#include <stddef.h>
#include <stdint.h>

#include "gate_keys.h"
#include "gate_tol.h"

/* One key metric of a baseline. */
typedef struct gate_bkey {
    char *name;       /* key (gate_keys.h syntax) */
    int has_value;    /* a VALUE was written */
    gate_value value; /* the recorded value (value.present 0 for "-") */
    gate_tol tol;     /* tolerance */
    char *tol_text;   /* the tolerance options as written ("" exact), re-emitted by write */
    long line;        /* line in the file, 0 for keys added by --update */
} gate_bkey;

typedef struct gate_bline gate_bline; /* one line of the file (private) */

/* A parsed baseline file. */
typedef struct gate_baseline {
    char *path;          /* the file */
    char *scenario;      /* scenario as written */
    char *scenario_path; /* resolved against the file's directory */
    char **sets;         /* "KEY=VALUE" overrides, in order */
    size_t nsets;        /* how many */
    int has_seed;        /* a seed line exists */
    uint64_t seed;       /* its value */
    int has_digest;      /* a digest line exists */
    char digest[65];     /* its value */
    gate_bkey *keys;     /* key metrics, in file order */
    size_t nkeys;        /* how many */
    size_t capkeys;      /* allocated */
    gate_bline *lines;   /* every line, for rewriting */
    size_t nlines;       /* how many */
    size_t caplines;     /* allocated */
    long header_end;     /* index after the last scenario/set/seed/digest line */
} gate_baseline;

/* Reads and parses path into b (zeroed first). 0, or -1 with "FILE:LINE: message" in err (b is
** cleared). */
int gate_base_load(const char *path, gate_baseline *b, char *err, size_t errlen);

/* Frees everything b holds; a zeroed b is a no-op. */
void gate_base_clear(gate_baseline *b);

/* Appends a key (for --update's default choice); a name already present is left alone. 0 or -1
** (out of memory / bad tolerance). */
int gate_base_add_key(gate_baseline *b, const char *name, const char *tol_text);

/* Sets the seed and digest lines (added when missing). */
void gate_base_set_run(gate_baseline *b, uint64_t seed, const char *digest);

/* Rewrites b->path from b (see above). 0, or -1 with the reason in err. */
int gate_base_write(gate_baseline *b, char *err, size_t errlen);

#endif
