/* tsr_ledger.h: balances with conservation (the only place tokens are created or destroyed).
 *
 * A ledger is an array of u64 balances indexed by account id (0, 1, 2, ... in opening order)
 * plus three running totals: genesis (balances given when accounts were opened), minted and
 * burned. Every operation either succeeds completely or returns an error and changes nothing,
 * so the invariant
 *
 *     sum(balances) + burned == genesis + minted          (spec mechanisms §0)
 *
 * holds after every call; tsr_ledger_check() verifies it in O(n) with a 128-bit sum.
 *
 * Storage: either caller-owned (tsr_ledger_init: a fixed array of `capacity` balances, never
 * reallocated) or ledger-owned (tsr_ledger_init_alloc: grown by doubling through an allocator
 * hook, Lua lua_Alloc style; a NULL hook means the C library's realloc/free). Operations are
 * O(1) amortised; nothing else allocates. Not thread-safe; one ledger per thread or a lock.
 */
#ifndef TSR_LEDGER_H
#define TSR_LEDGER_H

#include <stddef.h>
#include <stdint.h>

/* Allocator hook: new_size == 0 frees ptr and returns NULL; otherwise behaves like realloc
 * (ptr may be NULL) and returns NULL on failure, leaving ptr valid. */
typedef void *(*tsr_alloc_fn)(void *ud, void *ptr, size_t old_size, size_t new_size);

typedef struct tsr_ledger {
    uint64_t *balance;  /* balance[id] for id < n */
    size_t n;           /* accounts opened */
    size_t capacity;    /* entries available in balance[] */
    uint64_t genesis;   /* total given at account opening */
    uint64_t minted;    /* total minted since */
    uint64_t burned;    /* total burned since */
    tsr_alloc_fn alloc; /* allocator when the ledger owns its storage, else NULL */
    void *alloc_ud;     /* allocator user data */
    int owns;           /* 1 if balance[] is ledger-owned (freed by tsr_ledger_clear) */
} tsr_ledger;

/* Use caller-owned storage for up to `capacity` accounts (storage may be NULL if capacity is
 * 0). The ledger starts with no accounts. TSR_EINVAL for a NULL ledger. */
int tsr_ledger_init(tsr_ledger *l, uint64_t *storage, size_t capacity);
/* Ledger-owned storage grown through `alloc` (NULL: realloc/free). TSR_ENOMEM if the initial
 * capacity cannot be allocated. */
int tsr_ledger_init_alloc(tsr_ledger *l, tsr_alloc_fn alloc, void *ud, size_t initial_capacity);
/* Release owned storage and reset to an empty ledger; a no-op for NULL. */
void tsr_ledger_clear(tsr_ledger *l);

/* Open a new account holding `genesis_balance` (added to the genesis total); its id (== the
 * previous account count) goes to *id (may be NULL). TSR_ECAPACITY when caller-owned storage is
 * full, TSR_ENOMEM when growth fails, TSR_EOVERFLOW when the genesis total would overflow. */
int tsr_ledger_open(tsr_ledger *l, uint64_t genesis_balance, size_t *id);

/* Create `amount` in account `to`. TSR_EINVAL for an unknown account, TSR_EOVERFLOW when the
 * balance or the minted total would overflow. */
int tsr_ledger_mint(tsr_ledger *l, size_t to, uint64_t amount);
/* Destroy `amount` from account `from`. TSR_EFUNDS when the balance is smaller, TSR_EOVERFLOW
 * when the burned total would overflow. */
int tsr_ledger_burn(tsr_ledger *l, size_t from, uint64_t amount);
/* Move `amount` from one account to another (from == to is allowed and changes nothing once
 * the balance covers the amount). TSR_EFUNDS / TSR_EOVERFLOW / TSR_EINVAL as above. */
int tsr_ledger_transfer(tsr_ledger *l, size_t from, size_t to, uint64_t amount);

/* Balance of account id into *out. TSR_EINVAL for an unknown account. */
int tsr_ledger_balance(const tsr_ledger *l, size_t id, uint64_t *out);
/* TSR_OK when sum(balances) + burned == genesis + minted, TSR_ECORRUPT otherwise (someone
 * wrote to the balances behind the ledger's back), TSR_EINVAL for NULL. */
int tsr_ledger_check(const tsr_ledger *l);

#endif /* TSR_LEDGER_H */
