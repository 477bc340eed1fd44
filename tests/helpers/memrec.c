/*
** memrec.c: see memrec.h. An allocation failure fails the test (ck_assert), never the model.
*/
#include "memrec.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static rec_row *push(memrec *m)
{
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 4096;
        m->rows = realloc(m->rows, m->cap * sizeof *m->rows);
        ck_assert_ptr_nonnull(m->rows);
    }
    rec_row *r = &m->rows[m->n++];
    memset(r, 0, sizeof *r);
    return r;
}

static int m_entity(void *c, int64_t id, const char *k, const char *r, const char *n, int64_t g)
{
    (void)c, (void)id, (void)k, (void)r, (void)n, (void)g;
    return 0;
}

static int m_i64(void *c, int64_t t, int64_t b, const char *metric, int64_t e, int64_t v)
{
    rec_row *r = push(c);
    (void)t;
    r->type = R_SERIES, r->block = b, r->entity = e, r->value = v, r->real = (double)v;
    snprintf(r->name, sizeof r->name, "%s", metric);
    return 0;
}

static int m_f64(void *c, int64_t t, int64_t b, const char *metric, int64_t e, double v)
{
    rec_row *r = push(c);
    (void)t;
    r->type = R_SERIES, r->block = b, r->entity = e, r->real = v;
    snprintf(r->name, sizeof r->name, "%s", metric);
    return 0;
}

static int m_ledger(void *c, int64_t seq, int64_t t, const char *kind, int64_t src, int64_t dst,
                    uint64_t amount, const char *reason)
{
    rec_row *r = push(c);
    (void)seq;
    r->type = R_LEDGER, r->block = t, r->entity = src, r->value = dst, r->amount = amount;
    snprintf(r->name, sizeof r->name, "%s", kind);
    snprintf(r->reason, sizeof r->reason, "%s", reason);
    return 0;
}

static int m_epoch(void *c, const recorder_epoch_row *e)
{
    rec_row *r = push(c);
    r->type = R_EPOCH, r->block = e->block, r->entity = e->net, r->value = e->uid;
    r->amount = e->emission, r->stake = (int64_t)e->stake, r->inc = e->incentive;
    return 0;
}

const recorder_vt memrec_vt = {m_entity, m_i64, m_f64, m_ledger, m_epoch};

void memrec_free(memrec *m)
{
    free(m->rows);
    m->rows = NULL;
    m->n = m->cap = 0;
}
