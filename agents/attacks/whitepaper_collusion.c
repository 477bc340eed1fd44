/*
** whitepaper_collusion.c: the whitepaper's two-sided collusion example (whitepaper_collusion.h).
**
** Doubles are deliberate (behaviour reproduced from a published example, not settlement); the
** order of operations is the documented one so independent computations match bit for bit.
*/
#include <math.h>
#include <stdio.h>

#include "whitepaper_collusion.h"

enum { WPC_HONEST = 1, WPC_CABAL = 2 }; /* entity ids of the two sides */

wpc_state wpc_init(const wpc_config *c)
{
    wpc_state s = {1.0 - c->cabal_share, c->cabal_share};
    return s;
}

static double trust(const wpc_config *c, double share)
{
    return 1.0 / (1.0 + exp(-(c->steepness * (share - c->midpoint))));
}

void wpc_step(const wpc_config *c, wpc_state *s, wpc_block *b)
{
    double total = s->honest + s->cabal;
    double th = trust(c, s->honest / total), tc = trust(c, s->cabal / total);
    double ih = s->honest * th, ic = s->cabal * tc; /* rank = stake, incentive = rank x trust */
    double isum = ih + ic, mint = c->growth * total;
    s->honest = s->honest + mint * ih / isum;
    s->cabal = s->cabal + mint * ic / isum;
    if (b) {
        b->honest_trust = th, b->cabal_trust = tc;
        b->honest_incentive = ih / isum;
        b->cabal_share = wpc_cabal_share(s);
    }
}

double wpc_cabal_share(const wpc_state *s)
{
    return s->cabal / (s->honest + s->cabal);
}

static int record_shares(const recorder *r, int64_t t, int64_t block, const wpc_state *s)
{
    double cs = wpc_cabal_share(s);
    int rc = r->vt->series_f64(r->ctx, t, block, "cabal_share", WPC_CABAL, cs);
    if (rc == 0)
        rc = r->vt->series_f64(r->ctx, t, block, "honest_share", WPC_HONEST, 1.0 - cs);
    return rc;
}

int wpc_run(const wpc_config *c, const recorder *rec,
            void (*each)(void *ud, uint64_t block, const wpc_block *b), void *ud, char *err,
            size_t errlen)
{
    wpc_state s = wpc_init(c);
    int rc = rec->vt->entity(rec->ctx, WPC_HONEST, "side", "honest", "honest", 0);
    if (rc == 0)
        rc = rec->vt->entity(rec->ctx, WPC_CABAL, "side", "cabal", "cabal", 0);
    if (rc == 0)
        rc = record_shares(rec, 0, 0, &s);
    for (uint64_t blk = 1; blk <= c->blocks && rc == 0; blk++) {
        wpc_block b;
        wpc_step(c, &s, &b);
        int64_t t = (int64_t)(blk * c->block_seconds);
        rc = record_shares(rec, t, (int64_t)blk, &s);
        if (rc == 0)
            rc =
                rec->vt->series_f64(rec->ctx, t, (int64_t)blk, "trust", WPC_HONEST, b.honest_trust);
        if (rc == 0)
            rc = rec->vt->series_f64(rec->ctx, t, (int64_t)blk, "trust", WPC_CABAL, b.cabal_trust);
        if (rc == 0 && each)
            each(ud, blk, &b);
    }
    if (rc != 0)
        snprintf(err, errlen, "recording the collusion example failed (code %d)", rc);
    return rc;
}
