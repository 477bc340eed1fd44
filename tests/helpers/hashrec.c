/*
** hashrec.c: see hashrec.h. Each field is hashed in a fixed order with its full width, strings
** without their terminator, so two recordings hash equal exactly when they are equal.
*/
#include "hashrec.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

static void mix(hashrec *r, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        r->h = (r->h ^ b[i]) * 1099511628211ull;
}

/* The bytes of x from the least significant up: on the little-endian hosts we run on, the same
 * hash as mix(r, &x, 8), without reading an integer through a char pointer (which the static
 * analyser cannot follow and reports as a garbage read). */
static void mix_u64(hashrec *r, uint64_t x)
{
    for (unsigned k = 0; k < 64; k += 8)
        r->h = (r->h ^ ((x >> k) & 0xffu)) * 1099511628211ull;
}

static void mix_str(hashrec *r, const char *s)
{
    mix(r, s, strlen(s));
}

static int h_entity(void *c, int64_t id, const char *k, const char *ro, const char *n, int64_t g)
{
    hashrec *r = c;
    mix(r, &id, sizeof id);
    mix_str(r, k);
    mix_str(r, ro);
    mix_str(r, n);
    mix(r, &g, sizeof g);
    return 0;
}

static void keep(hashrec *r, const char *metric, double v)
{
    for (unsigned i = 0; i < r->nnames; i++)
        if (!strcmp(r->name[i], metric)) {
            r->last[i] = v;
            return;
        }
    if (r->nnames < HASHREC_METRICS) {
        snprintf(r->name[r->nnames], sizeof r->name[0], "%s", metric);
        r->last[r->nnames++] = v;
    }
}

double hashrec_last(const hashrec *r, const char *metric)
{
    for (unsigned i = 0; i < r->nnames; i++)
        if (!strcmp(r->name[i], metric))
            return r->last[i];
    ck_abort_msg("metric %s never recorded", metric);
    return 0;
}

static void mix_key(hashrec *r, int64_t t, int64_t b, const char *metric, int64_t e)
{
    mix(r, &t, sizeof t);
    mix(r, &b, sizeof b);
    mix_str(r, metric);
    mix(r, &e, sizeof e);
    r->rows++;
}

static int h_i64(void *c, int64_t t, int64_t b, const char *metric, int64_t e, int64_t v)
{
    mix_key(c, t, b, metric, e);
    mix(c, &v, sizeof v);
    keep(c, metric, (double)v);
    return 0;
}

static int h_f64(void *c, int64_t t, int64_t b, const char *metric, int64_t e, double v)
{
    mix_key(c, t, b, metric, e);
    mix(c, &v, sizeof v);
    keep(c, metric, v);
    return 0;
}

static int h_ledger(void *c, int64_t seq, int64_t t, const char *kind, int64_t src, int64_t dst,
                    uint64_t amount, const char *reason)
{
    hashrec *r = c;
    mix(r, &seq, sizeof seq);
    mix(r, &t, sizeof t);
    mix_str(r, kind);
    mix(r, &src, sizeof src);
    mix(r, &dst, sizeof dst);
    mix(r, &amount, sizeof amount);
    mix_str(r, reason);
    r->rows++;
    if (!strcmp(kind, "burn"))
        r->burns += amount;
    return 0;
}

static int h_epoch(void *c, const recorder_epoch_row *row)
{
    hashrec *r = c;
    /* field by field: the struct has padding, whose bytes are unspecified */
    const int64_t v[8] = {
        row->net,       row->block,           row->uid,   row->consensus, row->incentive,
        row->dividends, row->validator_trust, row->permit};
    for (size_t i = 0; i < 8; i++)
        mix_u64(r, (uint64_t)v[i]);
    mix(r, &row->stake, sizeof row->stake);
    mix(r, &row->emission, sizeof row->emission);
    r->rows++;
    return 0;
}

static const recorder_vt hash_vt = {h_entity, h_i64, h_f64, h_ledger, h_epoch};

void hashrec_init(hashrec *r)
{
    memset(r, 0, sizeof *r);
    r->h = 1469598103934665603ull;
    r->rec.vt = &hash_vt;
    r->rec.ctx = r;
}
