/*
** oom_inject.c: the link-time allocation wrappers of oom_inject.h.
*/
#include "oom_inject.h"

#include <stdatomic.h>
#include <stddef.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void *__real_aligned_alloc(size_t align, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
void *__wrap_aligned_alloc(size_t align, size_t n);

static _Atomic long countdown = -1; /* allocations left before the failing one; -1: disarmed */
static _Atomic int injected;        /* the armed failure happened */

static int inject(void)
{
    if (atomic_load(&countdown) < 0)
        return 0;
    if (atomic_fetch_sub(&countdown, 1) == 0) {
        atomic_store(&injected, 1);
        return 1;
    }
    return 0;
}

void *__wrap_malloc(size_t n)
{
    return inject() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
    return inject() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
    return inject() ? NULL : __real_realloc(p, n);
}

void *__wrap_aligned_alloc(size_t align, size_t n)
{
    return inject() ? NULL : __real_aligned_alloc(align, n);
}

void oom_arm(long n)
{
    atomic_store(&injected, 0);
    atomic_store(&countdown, n);
}

int oom_disarm(void)
{
    atomic_store(&countdown, -1);
    return atomic_load(&injected);
}
