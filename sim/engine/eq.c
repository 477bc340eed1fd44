/*
 * eq: array-backed 4-ary min-heap of (tick, phase, seq) keys with a payload slot pool.
 *
 * Layout. The heap holds 16-byte keys {tick, ord} where ord = phase << 48 | seq, so one 128-bit
 * comparison implements the total order (tick, phase, seq). A parallel array hslot[] names the
 * payload slot of each heap entry; the slot pool keeps (kind, target, data, generation, heap
 * position). The key array starts HEAP_PAD entries into a 64-byte aligned block, which puts the
 * four children 4i+1..4i+4 of every node in one cache line: a sift-down level costs one line.
 * Comparisons and child selection are branch-free, and pop refills the root bottom-up (Floyd),
 * which is what the hold benchmark (tests/bench/bench_engine.c) rewarded.
 *
 * Tracking. Bit 31 of hslot[i] says the event is tracked (it was pushed with an id request).
 * Only tracked events have their heap position written back to the slot on every move, so the
 * untracked hot path never touches the pool while sifting.
 *
 * Invariants: heap order on (tick, ord); all ords distinct (seq is unique per queue); a slot is
 * either free (on the free list, pos == NO_POS) or owned by exactly one heap entry; for a tracked
 * entry at heap index i, slots[hslot[i] & SLOT_MASK].pos == i; generations are never 0.
 */
#include "eq.h"
#include "eq_int.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define HEAP_PAD     3u          /* unused leading keys: aligns each group of 4 children */
#define HEAP_ALIGN   64u         /* cache-line size the layout is tuned for */
#define SLOT_TRACKED 0x80000000u /* hslot bit: the event is tracked (its position is kept) */
#define SLOT_MASK    0x7FFFFFFFu /* hslot bits holding the slot index */
#define SLOT_LIMIT   0x7FFFFFFFu /* number of slots (pending events) the queue can hold */
#define NO_POS       UINT32_MAX  /* slot.pos of free or untracked slots */
#define NO_SLOT      UINT32_MAX  /* end of the free list */
#define SEQ_BITS     48u         /* low bits of ord holding seq */
#define MIN_CAP      16u         /* smallest allocation, in events */

typedef struct eq_node {
    uint64_t tick; /* simulation time */
    uint64_t ord;  /* phase << SEQ_BITS | seq */
} eq_node;

typedef struct eq_slot {
    uint64_t target; /* event target entity */
    uint64_t data;   /* event payload word */
    uint32_t kind;   /* event kind */
    uint32_t gen;    /* generation; bumped on release so stale ids miss; never 0 */
    uint32_t pos;    /* heap index when tracked and pending, else NO_POS */
    uint32_t next;   /* next free slot while on the free list */
} eq_slot;

/* One member of a same-(tick, phase) group being put in canonical order. */
typedef struct eq_canon {
    uint64_t target; /* primary key */
    uint64_t data;   /* tertiary key */
    uint64_t seq;    /* last resort: scheduling order among identical events */
    uint32_t kind;   /* secondary key */
    uint32_t hslot;  /* hslot value that travels with the event */
} eq_canon;

struct eq {
    eq_node *heap;      /* heap[0] is the root; equals heap_base + HEAP_PAD */
    eq_node *heap_base; /* the aligned allocation behind heap */
    uint32_t *hslot;    /* hslot[i]: slot index of heap[i] | SLOT_TRACKED */
    size_t n;           /* pending events */
    size_t cap;         /* capacity of heap and hslot, in events */
    eq_slot *slots;     /* payload pool */
    uint32_t nslots;    /* slots ever handed out (prefix of the pool in use or free-listed) */
    uint32_t slot_cap;  /* allocated slots */
    uint32_t free_head; /* first free slot, or NO_SLOT */
    uint64_t next_seq;  /* seq of the next push or reschedule */
    eq_event *peek_buf; /* storage for eq_peek's answer (a pointer so eq_peek can stay const) */
    uint32_t *grp_pos;  /* canonicalize scratch: group heap positions, ascending */
    eq_canon *grp;      /* canonicalize scratch: group records */
    size_t grp_cap;     /* capacity of both scratch arrays */
};

const char *eq_strerror(int code)
{
    switch (code) {
#define EQ_STATUS_TEXT(name, value, text)                                                          \
    case name:                                                                                     \
        return text;
        EQ_STATUS_MAP(EQ_STATUS_TEXT)
#undef EQ_STATUS_TEXT
    default:
        return "unknown eq status";
    }
}

/*
 * 1 if key (at, ao) precedes (bt, bo). Bitwise & and | instead of && and || keep it free of
 * branches: which of two children is smaller is a coin flip, and a mispredicted branch costs
 * more than evaluating both halves.
 */
static inline int key_less(uint64_t at, uint64_t ao, uint64_t bt, uint64_t bo)
{
    /* Distinct events never compare equal: ord carries a unique seq. */
    assert(at != bt || ao != bo);
    return (at < bt) | ((at == bt) & (ao < bo));
}

static inline int node_less(const eq_node *a, const eq_node *b)
{
    return key_less(a->tick, a->ord, b->tick, b->ord);
}

static eq_id make_id(uint32_t gen, uint32_t slot)
{
    return ((uint64_t)gen << 32) | slot;
}

/*
 * Writes entry (tick, ord, xs) at heap index i and keeps a tracked slot's back-pointer current.
 *
 * Keys travel as two scalars rather than an eq_node by value: gcc packs a by-value pair into a
 * vector register through the stack (two 8-byte stores, one 16-byte load), and the failed store
 * forwarding cost half the time of a hold operation. The sift loops also work on local copies
 * of the array pointers, since stores through uint64_t could alias q->n (size_t) and force
 * reloads.
 */
static inline void place(eq_node *h, uint32_t *hs, eq_slot *slots, size_t i, uint64_t tick,
                         uint64_t ord, uint32_t xs)
{
    h[i].tick = tick;
    h[i].ord = ord;
    hs[i] = xs;
    if (xs & SLOT_TRACKED)
        slots[xs & SLOT_MASK].pos = (uint32_t)i;
}

/* Copies the entry at src to dst. */
static inline void move_entry(eq_node *h, uint32_t *hs, eq_slot *slots, size_t dst, size_t src)
{
    place(h, hs, slots, dst, h[src].tick, h[src].ord, hs[src]);
}

static void sift_up(eq *q, size_t i, uint64_t tick, uint64_t ord, uint32_t xs)
{
    eq_node *h = q->heap;
    uint32_t *hs = q->hslot;
    eq_slot *slots = q->slots;
    while (i > 0) {
        size_t p = (i - 1) / 4;
        uint64_t pt = h[p].tick, po = h[p].ord;
        if (!key_less(tick, ord, pt, po))
            break;
        place(h, hs, slots, i, pt, po, hs[p]);
        i = p;
    }
    place(h, hs, slots, i, tick, ord, xs);
}

/* Index of the smallest child; the caller guarantees the first child c = 4i+1 exists. */
static inline size_t min_child(const eq_node *h, size_t c, size_t n)
{
    if (c + 3 < n) {
        /* Full node: a two-round tournament, 3 comparisons within one cache line, selected
         * arithmetically rather than by branches. */
        size_t a = c + (size_t)node_less(&h[c + 1], &h[c]);
        size_t b = c + 2 + (size_t)node_less(&h[c + 3], &h[c + 2]);
        size_t take_b = (size_t)0 - (size_t)node_less(&h[b], &h[a]);
        return a + ((b - a) & take_b);
    }
    size_t best = c;
    for (size_t j = c + 1; j < n; j++)
        if (node_less(&h[j], &h[best]))
            best = j;
    return best;
}

static void sift_down(eq *q, size_t i, uint64_t tick, uint64_t ord, uint32_t xs)
{
    eq_node *h = q->heap;
    uint32_t *hs = q->hslot;
    eq_slot *slots = q->slots;
    size_t n = q->n;
    for (size_t c = 4 * i + 1; c < n; c = 4 * i + 1) {
        size_t m = min_child(h, c, n);
        if (!key_less(h[m].tick, h[m].ord, tick, ord))
            break;
        move_entry(h, hs, slots, i, m);
        i = m;
    }
    place(h, hs, slots, i, tick, ord, xs);
}

/*
 * Refills the root after a pop with the last entry (Floyd's bottom-up variant): the hole at the
 * root first travels down along the smaller children to a leaf, then the last entry climbs from
 * there. The last entry usually belongs near the bottom, so this skips the comparison against it
 * on the way down that sift_down would make at every level.
 */
static void refill_root(eq *q, size_t last)
{
    eq_node *h = q->heap;
    uint32_t *hs = q->hslot;
    eq_slot *slots = q->slots;
    uint64_t tick = h[last].tick, ord = h[last].ord;
    uint32_t xs = hs[last];
    size_t n = q->n, i = 0;
    for (size_t c = 1; c < n; c = 4 * i + 1) {
        size_t m = min_child(h, c, n);
        move_entry(h, hs, slots, i, m);
        i = m;
    }
    sift_up(q, i, tick, ord, xs);
}

/* Puts entry (tick, ord, xs) at index i, vacated in the middle of the heap, restoring order. */
static void resettle(eq *q, size_t i, uint64_t tick, uint64_t ord, uint32_t xs)
{
    const eq_node *h = q->heap;
    if (i > 0 && key_less(tick, ord, h[(i - 1) / 4].tick, h[(i - 1) / 4].ord))
        sift_up(q, i, tick, ord, xs);
    else
        sift_down(q, i, tick, ord, xs);
}

static size_t heap_alloc_bytes(size_t cap)
{
    size_t bytes = (cap + HEAP_PAD) * sizeof(eq_node);
    return (bytes + HEAP_ALIGN - 1) / HEAP_ALIGN * HEAP_ALIGN;
}

/* Grows heap + hslot to new_cap events; on failure nothing changes. */
static int grow_heap(eq *q, size_t new_cap)
{
    eq_node *base = aligned_alloc(HEAP_ALIGN, heap_alloc_bytes(new_cap));
    if (!base)
        return EQ_ENOMEM;
    uint32_t *hs = realloc(q->hslot, new_cap * sizeof *hs);
    if (!hs) {
        free(base);
        return EQ_ENOMEM;
    }
    if (q->n)
        memcpy(base + HEAP_PAD, q->heap, q->n * sizeof(eq_node));
    free(q->heap_base);
    q->heap_base = base;
    q->heap = base + HEAP_PAD;
    q->hslot = hs;
    q->cap = new_cap;
    return EQ_OK;
}

static int grow_slots(eq *q)
{
    uint32_t new_cap = q->slot_cap > SLOT_LIMIT / 2 ? SLOT_LIMIT : q->slot_cap * 2;
    if (new_cap <= q->slot_cap)
        return EQ_EOVERFLOW;
    eq_slot *s = realloc(q->slots, (size_t)new_cap * sizeof *s);
    if (!s)
        return EQ_ENOMEM;
    q->slots = s;
    q->slot_cap = new_cap;
    return EQ_OK;
}

/* Makes room for one more event (heap entry and slot); on failure nothing changes. */
static int reserve_one(eq *q)
{
    if (q->n >= SLOT_LIMIT)
        return EQ_EOVERFLOW;
    if (q->n == q->cap) {
        int rc = grow_heap(q, q->cap * 2 > SLOT_LIMIT ? SLOT_LIMIT : q->cap * 2);
        if (rc)
            return rc;
    }
    if (q->free_head == NO_SLOT && q->nslots == q->slot_cap)
        return grow_slots(q);
    return EQ_OK;
}

static uint32_t take_slot(eq *q)
{
    uint32_t s = q->free_head;
    if (s != NO_SLOT) {
        q->free_head = q->slots[s].next;
        return s;
    }
    s = q->nslots++;
    q->slots[s].gen = 1;
    return s;
}

static void release_slot(eq *q, uint32_t s)
{
    eq_slot *sl = &q->slots[s];
    sl->gen = sl->gen == UINT32_MAX ? 1 : sl->gen + 1;
    sl->pos = NO_POS;
    sl->next = q->free_head;
    q->free_head = s;
}

eq *eq_new(size_t capacity_hint)
{
    if (capacity_hint > SLOT_LIMIT)
        return NULL;
    size_t cap = capacity_hint < MIN_CAP ? MIN_CAP : capacity_hint;
    eq *q = calloc(1, sizeof *q);
    if (!q)
        return NULL;
    q->free_head = NO_SLOT;
    q->heap_base = aligned_alloc(HEAP_ALIGN, heap_alloc_bytes(cap));
    q->hslot = malloc(cap * sizeof *q->hslot);
    q->slots = malloc(cap * sizeof *q->slots);
    q->peek_buf = malloc(sizeof *q->peek_buf);
    if (!q->heap_base || !q->hslot || !q->slots || !q->peek_buf) {
        eq_free(q);
        return NULL;
    }
    q->heap = q->heap_base + HEAP_PAD;
    q->cap = cap;
    q->slot_cap = (uint32_t)cap;
    return q;
}

void eq_free(eq *q)
{
    if (!q)
        return;
    free(q->heap_base);
    free(q->hslot);
    free(q->slots);
    free(q->peek_buf);
    free(q->grp_pos);
    free(q->grp);
    free(q);
}

int eq_push(eq *q, uint64_t tick, uint32_t phase, uint32_t kind, uint64_t target, uint64_t data,
            eq_id *id_out)
{
    if (phase > EQ_PHASE_MAX)
        return EQ_EPHASE;
    if (q->next_seq > EQ_SEQ_MAX)
        return EQ_EOVERFLOW;
    int rc = reserve_one(q);
    if (rc)
        return rc;
    uint32_t s = take_slot(q);
    eq_slot *sl = &q->slots[s];
    sl->target = target;
    sl->data = data;
    sl->kind = kind;
    sl->pos = NO_POS;
    uint32_t xs = s;
    if (id_out) {
        xs |= SLOT_TRACKED;
        *id_out = make_id(sl->gen, s);
    }
    uint64_t ord = (uint64_t)phase << SEQ_BITS | q->next_seq++;
    sift_up(q, q->n++, tick, ord, xs);
    return EQ_OK;
}

/* Slot index of a pending tracked event, or NO_SLOT when the id does not name one. */
static uint32_t lookup(const eq *q, eq_id id)
{
    uint32_t s = (uint32_t)(id & 0xFFFFFFFFu);
    uint32_t gen = (uint32_t)(id >> 32);
    if (gen == 0 || s >= q->nslots)
        return NO_SLOT;
    const eq_slot *sl = &q->slots[s];
    if (sl->gen != gen || sl->pos == NO_POS)
        return NO_SLOT;
    assert(sl->pos < q->n && (q->hslot[sl->pos] & SLOT_MASK) == s);
    return s;
}

int eq_cancel(eq *q, eq_id id)
{
    uint32_t s = lookup(q, id);
    if (s == NO_SLOT)
        return EQ_ENOENT;
    size_t i = q->slots[s].pos;
    release_slot(q, s);
    q->n--;
    if (i != q->n)
        resettle(q, i, q->heap[q->n].tick, q->heap[q->n].ord, q->hslot[q->n]);
    return EQ_OK;
}

int eq_reschedule(eq *q, eq_id id, uint64_t tick, uint32_t phase)
{
    uint32_t s = lookup(q, id);
    if (s == NO_SLOT)
        return EQ_ENOENT;
    if (phase > EQ_PHASE_MAX)
        return EQ_EPHASE;
    if (q->next_seq > EQ_SEQ_MAX)
        return EQ_EOVERFLOW;
    size_t i = q->slots[s].pos;
    resettle(q, i, tick, (uint64_t)phase << SEQ_BITS | q->next_seq++, q->hslot[i]);
    return EQ_OK;
}

static void fill_event(const eq *q, size_t i, eq_event *out)
{
    uint32_t xs = q->hslot[i];
    uint32_t s = xs & SLOT_MASK;
    const eq_slot *sl = &q->slots[s];
    out->tick = q->heap[i].tick;
    out->phase = (uint32_t)(q->heap[i].ord >> SEQ_BITS);
    out->seq = q->heap[i].ord & EQ_SEQ_MAX;
    out->kind = sl->kind;
    out->target = sl->target;
    out->data = sl->data;
    out->id = (xs & SLOT_TRACKED) ? make_id(sl->gen, s) : EQ_ID_NONE;
}

int eq_pop(eq *q, eq_event *out)
{
    if (q->n == 0)
        return EQ_EMPTY;
    fill_event(q, 0, out);
    release_slot(q, q->hslot[0] & SLOT_MASK);
    q->n--;
    if (q->n)
        refill_root(q, q->n);
    return EQ_OK;
}

const eq_event *eq_peek(const eq *q)
{
    if (q->n == 0)
        return NULL;
    fill_event(q, 0, q->peek_buf);
    return q->peek_buf;
}

int eq__head(const eq *q, eq__key *k)
{
    if (q->n == 0)
        return 0;
    k->tick = q->heap[0].tick;
    k->seq = q->heap[0].ord & EQ_SEQ_MAX;
    k->phase = (uint32_t)(q->heap[0].ord >> SEQ_BITS);
    k->kind = q->slots[q->hslot[0] & SLOT_MASK].kind;
    return 1;
}

size_t eq_size(const eq *q)
{
    return q->n;
}

static int canon_cmp(const void *pa, const void *pb)
{
    const eq_canon *a = pa, *b = pb;
    if (a->target != b->target)
        return a->target < b->target ? -1 : 1;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->data != b->data)
        return a->data < b->data ? -1 : 1;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

static int grow_group(eq *q, size_t need)
{
    if (need <= q->grp_cap)
        return EQ_OK;
    size_t cap = q->grp_cap ? q->grp_cap : 64;
    while (cap < need)
        cap *= 2;
    uint32_t *pos = realloc(q->grp_pos, cap * sizeof *pos);
    if (!pos)
        return EQ_ENOMEM;
    q->grp_pos = pos;
    eq_canon *g = realloc(q->grp, cap * sizeof *g);
    if (!g)
        return EQ_ENOMEM; /* grp_pos grew; harmless, capacity stays at the old value */
    q->grp = g;
    q->grp_cap = cap;
    return EQ_OK;
}

/*
 * Collects the heap positions of the head group in ascending order. The group is closed under
 * "parent of", so a breadth-first walk from the root that only expands members visits exactly
 * the group, and visits it in increasing index order (children of i precede children of j > i).
 */
static int collect_group(eq *q, size_t *k_out)
{
    uint64_t tick = q->heap[0].tick;
    uint64_t phase = q->heap[0].ord >> SEQ_BITS;
    int rc = grow_group(q, 1);
    if (rc)
        return rc;
    size_t k = 0;
    q->grp_pos[k++] = 0;
    for (size_t j = 0; j < k; j++) {
        size_t c = 4 * (size_t)q->grp_pos[j] + 1;
        for (size_t e = c + 4; c < e && c < q->n; c++) {
            if (q->heap[c].tick != tick || (q->heap[c].ord >> SEQ_BITS) != phase)
                continue;
            if ((rc = grow_group(q, k + 1)) != 0)
                return rc;
            q->grp_pos[k++] = (uint32_t)c;
        }
    }
    *k_out = k;
    return EQ_OK;
}

int eq_canonicalize_head(eq *q, size_t *count, uint64_t *seq_hi)
{
    if (q->n == 0)
        return EQ_EMPTY;
    size_t k = 0;
    int rc = collect_group(q, &k);
    if (rc)
        return rc;
    if (q->next_seq + k - 1 > EQ_SEQ_MAX)
        return EQ_EOVERFLOW;
    for (size_t j = 0; j < k; j++) {
        size_t i = q->grp_pos[j];
        const eq_slot *sl = &q->slots[q->hslot[i] & SLOT_MASK];
        q->grp[j] =
            (eq_canon){sl->target, sl->data, q->heap[i].ord & EQ_SEQ_MAX, sl->kind, q->hslot[i]};
    }
    qsort(q->grp, k, sizeof *q->grp, canon_cmp);
    /*
     * Smallest new key to the smallest position: parents precede children in index order, so
     * the group keeps heap order, and every group key still precedes every non-group key.
     */
    uint64_t tick = q->heap[0].tick;
    uint64_t phase_bits = q->heap[0].ord & ~EQ_SEQ_MAX;
    for (size_t j = 0; j < k; j++)
        place(q->heap, q->hslot, q->slots, q->grp_pos[j], tick, phase_bits | q->next_seq++,
              q->grp[j].hslot);
    if (count)
        *count = k;
    if (seq_hi)
        *seq_hi = q->next_seq - 1;
    return EQ_OK;
}

void eq__set_next_seq(eq *q, uint64_t seq)
{
    q->next_seq = seq;
}
