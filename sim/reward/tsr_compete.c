/* tsr_compete.c: staked competition settlement (tsr_compete.h).
 *
 * Three passes: validate (ranks, rates, sums), tiers and forfeits, then the winners' prize and
 * bonus shares. Winners are found by rank through a small table indexed by rank (W <= 256), so
 * the split follows rank order whatever the order of the entries.
 */
#include <string.h>

#include "tsr_compete.h"
#include "tsr_err.h"
#include "tsr_settle.h"

static int check_rules(const tsr_compete_rules *r)
{
    if (r->winners > TSR_COMPETE_MAX_WINNERS)
        return TSR_ERANGE;
    if (r->keep_ppb > TSR_PPB || r->forfeit_low_ppb > TSR_PPB || r->forfeit_inc_ppb > TSR_PPB ||
        r->reserve_ppb > TSR_PPB || r->fee_ppb > TSR_PPB)
        return TSR_ERANGE;
    if (r->winners > 0 && !r->rank_weights)
        return TSR_EINVAL;
    for (uint32_t i = 0; i < r->winners; i++)
        if (r->rank_weights[i] == 0)
            return TSR_EINVAL;
    return TSR_OK;
}

/* Counts completed entries, sums stakes and maps winning ranks to entries (winner[r-1]). */
static int scan_entries(const tsr_compete_rules *r, const tsr_compete_entry *e, size_t n,
                        size_t *winner, tsr_compete_totals *t)
{
    uint64_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (e[i].stake > UINT64_MAX - t->locked)
            return TSR_EOVERFLOW;
        t->locked += e[i].stake;
        m += e[i].rank > 0;
    }
    if (m > UINT32_MAX)
        return TSR_ERANGE;
    t->completed = (uint32_t)m;
    uint32_t k = r->winners < t->completed ? r->winners : t->completed;
    for (uint32_t j = 0; j < k; j++)
        winner[j] = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        if (e[i].rank > t->completed)
            return TSR_EINVAL;
        if (e[i].rank == 0 || e[i].rank > k)
            continue;
        if (winner[e[i].rank - 1] != SIZE_MAX)
            return TSR_EINVAL; /* two entries share a winning rank */
        winner[e[i].rank - 1] = i;
    }
    for (uint32_t j = 0; j < k; j++)
        if (winner[j] == SIZE_MAX)
            return TSR_EINVAL;
    return TSR_OK;
}

static tsr_tier tier_of(uint32_t rank, uint32_t winners, uint32_t keep_cut)
{
    if (rank == 0)
        return TSR_TIER_INCOMPLETE;
    if (rank <= winners)
        return TSR_TIER_WINNER;
    return rank <= keep_cut ? TSR_TIER_KEEP : TSR_TIER_LOW;
}

static void settle_stakes(const tsr_compete_rules *r, const tsr_compete_entry *e, size_t n,
                          tsr_compete_payout *out, tsr_compete_totals *t)
{
    for (size_t i = 0; i < n; i++) {
        tsr_tier tier = tier_of(e[i].rank, r->winners, t->keep_cut);
        uint32_t rate = tier == TSR_TIER_LOW          ? r->forfeit_low_ppb
                        : tier == TSR_TIER_INCOMPLETE ? r->forfeit_inc_ppb
                                                      : 0;
        memset(&out[i], 0, sizeof out[i]);
        out[i].tier = (uint8_t)tier;
        (void)tsr_take_ppb(e[i].stake, rate, &out[i].forfeited, &out[i].returned);
        t->returned += out[i].returned;
        t->forfeited += out[i].forfeited;
        t->forfeited_by_tier[tier] += out[i].forfeited;
    }
    (void)tsr_take_ppb(t->forfeited, r->reserve_ppb, &t->reserve, &t->burned);
}

/* Splits `amount` over the k winners by rank weight; returns what was handed out. */
static uint64_t split_to_winners(const tsr_compete_rules *r, uint64_t amount, const size_t *winner,
                                 uint32_t k, tsr_compete_payout *out, int is_bonus)
{
    uint64_t share[TSR_COMPETE_MAX_WINNERS] = {0}, denom = 0, paid = 0;
    for (uint32_t j = 0; j < k; j++)
        denom += r->rank_weights[j];
    (void)tsr_split_cumulative(amount, r->rank_weights, k, denom, share, NULL);
    for (uint32_t j = 0; j < k; j++) {
        if (is_bonus)
            out[winner[j]].bonus = share[j];
        else
            out[winner[j]].prize = share[j];
        paid += share[j];
    }
    return paid;
}

static int weights_sum_ok(const tsr_compete_rules *r)
{
    uint64_t s = 0;
    for (uint32_t j = 0; j < r->winners; j++) {
        if (r->rank_weights[j] > UINT64_MAX - s)
            return 0;
        s += r->rank_weights[j];
    }
    return 1;
}

static int conserved(const tsr_compete_totals *t, uint64_t prize, uint64_t bonus)
{
    return t->locked == t->returned + t->forfeited && t->forfeited == t->reserve + t->burned &&
           prize == t->fee + t->prize_paid + t->prize_unpaid &&
           bonus == t->bonus_paid + t->bonus_unpaid;
}

int tsr_compete_settle(const tsr_compete_rules *rules, const tsr_compete_entry *entries, size_t n,
                       uint64_t prize, uint64_t bonus, tsr_compete_payout *out,
                       tsr_compete_totals *tot)
{
    if (!rules || !tot || (n > 0 && (!entries || !out)))
        return TSR_EINVAL;
    int rc = check_rules(rules);
    if (rc != TSR_OK)
        return rc;
    if (!weights_sum_ok(rules))
        return TSR_EOVERFLOW;
    tsr_compete_totals t;
    memset(&t, 0, sizeof t);
    size_t winner[TSR_COMPETE_MAX_WINNERS] = {0}; /* scan_entries fills the first k */
    rc = scan_entries(rules, entries, n, winner, &t);
    if (rc != TSR_OK)
        return rc;
    uint64_t cut = 0;
    (void)tsr_muldiv_floor(t.completed, rules->keep_ppb, TSR_PPB, &cut);
    t.keep_cut = (uint32_t)cut;
    settle_stakes(rules, entries, n, out, &t);

    uint32_t k = rules->winners < t.completed ? rules->winners : t.completed;
    if (k == 0) {
        t.prize_unpaid = prize;
        t.bonus_unpaid = bonus;
    } else {
        uint64_t net = 0;
        (void)tsr_take_ppb(prize, rules->fee_ppb, &t.fee, &net);
        t.prize_paid = split_to_winners(rules, net, winner, k, out, 0);
        t.prize_unpaid = net - t.prize_paid;
        t.bonus_paid = split_to_winners(rules, bonus, winner, k, out, 1);
        t.bonus_unpaid = bonus - t.bonus_paid;
    }
    if (!conserved(&t, prize, bonus))
        return TSR_ECORRUPT;
    *tot = t;
    return TSR_OK;
}
