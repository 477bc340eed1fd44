/* tsr_ledger.c: balances with conservation (tsr_ledger.h).
 *
 * Each operation validates everything first and writes last, so a failure leaves the ledger
 * exactly as it was. The default allocator is the C library's; it is only referenced when the
 * caller asks for a ledger-owned array without supplying a hook.
 */
#include "tsr_ledger.h"
#include "tsr_err.h"
#include "tsr_int.h"

#include <stdlib.h>

static void *default_alloc(void *ud, void *ptr, size_t old_size, size_t new_size)
{
    (void)ud;
    (void)old_size;
    if (new_size == 0) {
        free(ptr);
        return NULL;
    }
    return realloc(ptr, new_size);
}

int tsr_ledger_init(tsr_ledger *l, uint64_t *storage, size_t capacity)
{
    if (!l || (!storage && capacity > 0))
        return TSR_EINVAL;
    l->balance = storage;
    l->n = 0;
    l->capacity = capacity;
    l->genesis = l->minted = l->burned = 0;
    l->alloc = NULL;
    l->alloc_ud = NULL;
    l->owns = 0;
    return TSR_OK;
}

int tsr_ledger_init_alloc(tsr_ledger *l, tsr_alloc_fn alloc, void *ud, size_t initial_capacity)
{
    if (!l)
        return TSR_EINVAL;
    (void)tsr_ledger_init(l, NULL, 0);
    l->alloc = alloc ? alloc : default_alloc;
    l->alloc_ud = ud;
    l->owns = 1;
    if (initial_capacity > 0) {
        if (initial_capacity > SIZE_MAX / sizeof(uint64_t))
            return TSR_ENOMEM;
        l->balance = l->alloc(ud, NULL, 0, initial_capacity * sizeof(uint64_t));
        if (!l->balance)
            return TSR_ENOMEM;
        l->capacity = initial_capacity;
    }
    return TSR_OK;
}

void tsr_ledger_clear(tsr_ledger *l)
{
    if (!l)
        return;
    if (l->owns && l->balance)
        (void)l->alloc(l->alloc_ud, l->balance, l->capacity * sizeof(uint64_t), 0);
    (void)tsr_ledger_init(l, NULL, 0);
}

static int grow(tsr_ledger *l)
{
    size_t cap = l->capacity ? l->capacity * 2 : 8;
    if (!l->owns)
        return TSR_ECAPACITY;
    if (cap < l->capacity || cap > SIZE_MAX / sizeof(uint64_t))
        return TSR_ENOMEM;
    uint64_t *p =
        l->alloc(l->alloc_ud, l->balance, l->capacity * sizeof(uint64_t), cap * sizeof(uint64_t));
    if (!p)
        return TSR_ENOMEM;
    l->balance = p;
    l->capacity = cap;
    return TSR_OK;
}

int tsr_ledger_open(tsr_ledger *l, uint64_t genesis_balance, size_t *id)
{
    int rc;
    if (!l)
        return TSR_EINVAL;
    if (l->genesis > UINT64_MAX - genesis_balance)
        return TSR_EOVERFLOW;
    if (l->n == l->capacity && (rc = grow(l)) != TSR_OK)
        return rc;
    l->balance[l->n] = genesis_balance;
    l->genesis += genesis_balance;
    if (id)
        *id = l->n;
    l->n++;
    return TSR_OK;
}

int tsr_ledger_mint(tsr_ledger *l, size_t to, uint64_t amount)
{
    if (!l || to >= l->n)
        return TSR_EINVAL;
    if (l->balance[to] > UINT64_MAX - amount || l->minted > UINT64_MAX - amount)
        return TSR_EOVERFLOW;
    l->balance[to] += amount;
    l->minted += amount;
    return TSR_OK;
}

int tsr_ledger_burn(tsr_ledger *l, size_t from, uint64_t amount)
{
    if (!l || from >= l->n)
        return TSR_EINVAL;
    if (l->balance[from] < amount)
        return TSR_EFUNDS;
    if (l->burned > UINT64_MAX - amount)
        return TSR_EOVERFLOW;
    l->balance[from] -= amount;
    l->burned += amount;
    return TSR_OK;
}

int tsr_ledger_transfer(tsr_ledger *l, size_t from, size_t to, uint64_t amount)
{
    if (!l || from >= l->n || to >= l->n)
        return TSR_EINVAL;
    if (l->balance[from] < amount)
        return TSR_EFUNDS;
    if (from == to)
        return TSR_OK;
    if (l->balance[to] > UINT64_MAX - amount)
        return TSR_EOVERFLOW;
    l->balance[from] -= amount;
    l->balance[to] += amount;
    return TSR_OK;
}

int tsr_ledger_balance(const tsr_ledger *l, size_t id, uint64_t *out)
{
    if (!l || !out || id >= l->n)
        return TSR_EINVAL;
    *out = l->balance[id];
    return TSR_OK;
}

int tsr_ledger_check(const tsr_ledger *l)
{
    if (!l)
        return TSR_EINVAL;
    tsr_u128 lhs = tsr_u128_from_u64(l->burned);
    for (size_t i = 0; i < l->n; i++)
        lhs = tsr_u128_add(lhs, tsr_u128_from_u64(l->balance[i]));
    tsr_u128 rhs = tsr_u128_add(tsr_u128_from_u64(l->genesis), tsr_u128_from_u64(l->minted));
    return tsr_u128_eq(lhs, rhs) ? TSR_OK : TSR_ECORRUPT;
}
