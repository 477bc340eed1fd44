/*
** bt_ahead.c: Gaussian draws made ahead on a helper thread (bt_ahead.h).
**
** Each slot moves EMPTY -> POSTED (model) -> RUNNING (helper) -> DONE (helper) -> EMPTY (model),
** or POSTED -> EMPTY when the model cancels a job the helper has not started; only a compare-and-
** swap from POSTED hands a job to one side, so a job is either made entirely by the helper or
** not at all. The model writes a slot's job before its release store of POSTED; the helper reads
** it after its acquiring compare-and-swap, writes the draws, then stores DONE with release; the
** model reads the draws after loading DONE with acquire. A slot holding RUNNING is never
** rewritten: the model waits for DONE first (the helper needs about a microsecond a job).
**
** Posting pushes the slot's index on a single-producer single-consumer ring; entries are hints
** (a cancelled job's entry finds the slot not POSTED and is skipped, or finds a later job and
** makes it early). The helper polls the ring every HELPER_NAP_US microseconds when it is empty
** (backing off while it stays empty) rather than being woken: the model posts a job a tempo
** (hundreds of blocks, milliseconds) before
** it needs it, and a post that signalled would cost the model's thread a system call per weights
** event. A full ring drops the entry; that job is cancelled when its event comes.
*/
#define _POSIX_C_SOURCE 200809L

#include "bt_ahead.h"

#include "bgthread.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define HELPER_NAP_US      100u
#define NAP_MAX_SHIFT      6u
#define SPINS_BEFORE_YIELD 1024u

enum { SLOT_EMPTY, SLOT_POSTED, SLOT_RUNNING, SLOT_DONE };

typedef struct slot {
    _Atomic uint32_t state;
    uint32_t count, cap; /* draws wanted, allocated */
    rng_key key;
    uint64_t event;
    double sigma;
    double *draws;
} slot;

/* What the model's thread alone knows of a slot's buffer (set by bt_ahead_post), so that
** bt_ahead_prefetch need not read the slot's shared line and wait for it. */
typedef struct slot_view {
    const double *draws;
    uint32_t count;
} slot_view;

struct bt_ahead {
    slot *slots;
    slot_view *views; /* model only */
    uint32_t nslots;
    uint32_t *ring; /* slot indices, ring_mask + 1 entries */
    uint64_t ring_mask;
    _Atomic uint64_t tail; /* next entry the model writes */
    _Atomic uint64_t head; /* next entry the helper reads */
    _Atomic uint64_t made; /* jobs the helper finished */
    _Atomic bool stop;     /* set by bt_ahead_free */
    uint64_t cancelled;    /* model only */
    const rng_zig *zig;
    gsl_rng *rng; /* the helper's own per-event generator */
    pthread_t thread;
};

/* Sleeps after the idle-th empty poll in a row: HELPER_NAP_US, doubling up to 2^NAP_MAX_SHIFT
** times that while nothing comes (a model between runs of weights events, or done and recording
** its end), so that an idle helper costs next to nothing. */
static void nap(unsigned idle)
{
    long us = (long)HELPER_NAP_US << (idle < NAP_MAX_SHIFT ? idle : NAP_MAX_SHIFT);
    struct timespec ts = {us / 1000000L, (us % 1000000L) * 1000L};
    nanosleep(&ts, NULL);
}

/* Makes the jobs of ring entries head..tail-1; returns how many entries it consumed. */
static uint64_t drain(bt_ahead *h)
{
    uint64_t t = atomic_load_explicit(&h->tail, memory_order_acquire);
    uint64_t i = atomic_load_explicit(&h->head, memory_order_relaxed), from = i;
    for (; i < t; i++) {
        slot *s = &h->slots[h->ring[i & h->ring_mask]];
        atomic_store_explicit(&h->head, i + 1, memory_order_release); /* the entry is read */
        uint32_t want = SLOT_POSTED;
        if (!atomic_compare_exchange_strong_explicit(&s->state, &want, SLOT_RUNNING,
                                                     memory_order_acq_rel, memory_order_relaxed))
            continue;
        rng_event_reset(h->rng, &s->key, s->event);
        rng_gauss_fill(h->zig, h->rng, s->sigma, s->draws, s->count);
        atomic_fetch_add_explicit(&h->made, 1, memory_order_relaxed);
        atomic_store_explicit(&s->state, SLOT_DONE, memory_order_release);
    }
    return i - from;
}

static void *helper_main(void *arg)
{
    bt_ahead *h = arg;
    (void)bg_thread_lower(); /* the model's thread first (bgthread.h) */
    unsigned idle = 0;
    while (!atomic_load_explicit(&h->stop, memory_order_acquire)) {
        if (drain(h) > 0)
            idle = 0;
        else
            nap(idle++);
    }
    return NULL;
}

/* Waits while the helper makes slot s's job; returns the state it leaves (DONE). */
static uint32_t wait_running(slot *s)
{
    uint32_t st, spins = 0;
    while ((st = atomic_load_explicit(&s->state, memory_order_acquire)) == SLOT_RUNNING)
        if (++spins % SPINS_BEFORE_YIELD == 0)
            sched_yield();
    return st;
}

/* Takes slot s back for the model: a job not started is cancelled, one being made is waited
** for. Returns the state found: EMPTY, DONE (draws valid) or POSTED (cancelled now). */
static uint32_t reclaim(bt_ahead *h, slot *s)
{
    uint32_t st = SLOT_POSTED;
    if (atomic_compare_exchange_strong_explicit(&s->state, &st, SLOT_EMPTY, memory_order_acquire,
                                                memory_order_acquire)) {
        h->cancelled++;
        return SLOT_POSTED;
    }
    if (st == SLOT_RUNNING)
        st = wait_running(s);
    atomic_store_explicit(&s->state, SLOT_EMPTY, memory_order_relaxed);
    return st;
}

bt_ahead *bt_ahead_new(uint32_t nslots, const rng_zig *z)
{
    bt_ahead *h = calloc(1, sizeof *h);
    uint64_t ring = 64;
    while (ring < 2u * (uint64_t)nslots)
        ring *= 2;
    if (!h || nslots == 0 || !(h->slots = calloc(nslots, sizeof *h->slots)) ||
        !(h->views = calloc(nslots, sizeof *h->views)) ||
        !(h->ring = calloc(ring, sizeof *h->ring)) || !(h->rng = rng_event_new()))
        goto fail;
    h->nslots = nslots, h->ring_mask = ring - 1, h->zig = z;
    for (uint32_t i = 0; i < nslots; i++)
        atomic_init(&h->slots[i].state, SLOT_EMPTY);
    atomic_init(&h->tail, 0);
    atomic_init(&h->head, 0);
    atomic_init(&h->made, 0);
    atomic_init(&h->stop, false);
    if (pthread_create(&h->thread, NULL, helper_main, h) != 0)
        goto fail;
    return h;
fail:
    if (h) {
        gsl_rng_free(h->rng);
        free(h->ring);
        free(h->views);
        free(h->slots);
        free(h);
    }
    return NULL;
}

long bt_ahead_processors(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? n : 1;
}

void bt_ahead_free(bt_ahead *h)
{
    if (!h)
        return;
    atomic_store_explicit(&h->stop, true, memory_order_release);
    pthread_join(h->thread, NULL);
    for (uint32_t i = 0; i < h->nslots; i++)
        free(h->slots[i].draws);
    gsl_rng_free(h->rng);
    free(h->ring);
    free(h->views);
    free(h->slots);
    free(h);
}

int bt_ahead_post(bt_ahead *h, uint32_t slot_index, const rng_key *k, uint64_t event, double sigma,
                  uint32_t count)
{
    if (!h || slot_index >= h->nslots || count == 0 || !(sigma > 0.0))
        return -1;
    slot *s = &h->slots[slot_index];
    (void)reclaim(h, s);
    if (count > s->cap) {
        double *d = realloc(s->draws, (size_t)count * sizeof *d);
        if (!d)
            return -1;
        s->draws = d, s->cap = count;
    }
    s->key = *k, s->event = event, s->sigma = sigma, s->count = count;
    h->views[slot_index] = (slot_view){s->draws, count};
    atomic_store_explicit(&s->state, SLOT_POSTED, memory_order_release);
    uint64_t t = atomic_load_explicit(&h->tail, memory_order_relaxed);
    if (t - atomic_load_explicit(&h->head, memory_order_acquire) > h->ring_mask)
        return 0; /* ring full: the job stays posted and is cancelled when its event comes */
    h->ring[t & h->ring_mask] = slot_index;
    atomic_store_explicit(&h->tail, t + 1, memory_order_release);
    return 0;
}

static bool same_key(const rng_key *a, const rng_key *b)
{
    return a->seed == b->seed && a->run_index == b->run_index && a->purpose == b->purpose &&
           a->entity == b->entity;
}

const double *bt_ahead_take(bt_ahead *h, uint32_t slot_index, const rng_key *k, uint64_t event,
                            double sigma, uint32_t *count)
{
    *count = 0;
    if (!h || slot_index >= h->nslots)
        return NULL;
    slot *s = &h->slots[slot_index];
    if (reclaim(h, s) != SLOT_DONE || !same_key(&s->key, k) || s->event != event ||
        s->sigma != sigma) /* posted sigmas are > 0: == is identity */
        return NULL;
    *count = s->count;
    return s->draws;
}

void bt_ahead_prefetch(bt_ahead *h, uint32_t slot_index)
{
    if (!h || slot_index >= h->nslots)
        return;
    const slot_view *v = &h->views[slot_index];
    __builtin_prefetch(&h->slots[slot_index].state, 1, 3); /* bt_ahead_take swaps it */
    if (!v->draws) /* nothing posted to this slot yet (NULL + 0 is undefined) */
        return;
    const char *p = (const char *)v->draws, *e = p + (size_t)v->count * sizeof *v->draws;
    for (; p < e; p += 64)
        __builtin_prefetch(p, 0, 3);
}

void bt__ahead_counts(const bt_ahead *h, uint64_t *made, uint64_t *cancelled)
{
    *made = h ? atomic_load_explicit(&((bt_ahead *)h)->made, memory_order_relaxed) : 0;
    *cancelled = h ? h->cancelled : 0;
}
