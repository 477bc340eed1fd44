/*
** bt_metrics.c: the bittensor model's samples (every record.every blocks and at the end).
**
** Network (entity 0): issuance, block_emission, halvings, tao_recycled, tao_fees_burned,
** root_stake, emission_{owner,miner,validator,root} (alpha, all subnets, cumulative), root_yield
** (TAO credited to root stakers per TAO of root stake over the period), and stake/emission
** concentration over every uid of every subnet valued in TAO (gini_stake, top1_stake,
** gini_emission, top1_emission).
** Subnet (entity = netuid): alpha_issuance, alpha_emission, alpha_halvings, alpha_out,
** pool_tao, pool_alpha, price, moving_price, root_proportion, tao_share, miner_burned, burn,
** registrations, prunes, epochs, miners_registered, miners_serving, validator_permits,
** emission_{owner,miner,validator,root,burned,unowned,capped} (cumulative), sold_alpha,
** miner_costs, yield_validator (dividends per unit of validator stake per epoch, period mean),
** yield_nominator, miner_income (TAO per serving miner per day over the period), and the
** concentration metrics of the subnet's uids.
** Validators (global): stake (alpha over all subnets), root_stake, dividends (cumulative).
** Ledger: per subnet and period, the alpha paid by role (reasons emission_owner,
** emission_miners, emission_validators, emission_root, emission_burned).
** Reals are only ratios and prices; money is integer. Cost O(uids log uids + agents) a sample.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bt_int.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sorts v[0..n) ascending by the bit patterns of the values, in 8 stable passes of one byte:
** for doubles >= +0.0 (sign bit clear, not NaN) the pattern read as an unsigned integer orders
** as the value, and equal values have equal patterns, so the result is exactly qsort's. Returns
** 0 when it did not sort (a negative, -0.0 or NaN value, or no memory): the caller then sorts. */
static int sort_nonnegative(double *v, size_t n)
{
    if (n < 2)
        return 1;
    for (size_t i = 0; i < n; i++)
        if (!(v[i] >= 0.0) || signbit(v[i]))
            return 0;
    uint64_t *a = n <= SIZE_MAX / (2 * sizeof *a) ? malloc(2 * n * sizeof *a) : NULL;
    if (!a)
        return 0;
    uint64_t *b = a + n;
    for (size_t i = 0; i < n; i++)
        memcpy(&a[i], &v[i], sizeof a[i]);
    for (unsigned shift = 0; shift < 64; shift += 8) {
        size_t start[257] = {0};
        for (size_t i = 0; i < n; i++)
            start[((a[i] >> shift) & 0xFF) + 1]++;
        if (start[((a[0] >> shift) & 0xFF) + 1] == n)
            continue; /* one bucket: the pass would not move anything */
        for (int d = 0; d < 256; d++)
            start[d + 1] += start[d];
        for (size_t i = 0; i < n; i++)
            b[start[(a[i] >> shift) & 0xFF]++] = a[i];
        uint64_t *t = a;
        a = b, b = t;
    }
    for (size_t i = 0; i < n; i++)
        memcpy(&v[i], &a[i], sizeof a[i]);
    free(a < b ? a : b); /* the allocation starts at the lower of the two halves */
    return 1;
}

void bt_concentration(double *v, size_t n, double *gini, double *top1)
{
    *gini = 0.0, *top1 = 0.0;
    if (n == 0)
        return;
    if (!sort_nonnegative(v, n)) /* stakes and emissions never take the fallback */
        qsort(v, n, sizeof *v, cmp_double);
    double sum = 0.0, wsum = 0.0;
    for (size_t i = 0; i < n; i++) {
        sum += v[i];
        wsum += (double)(i + 1) * v[i];
    }
    if (!(sum > 0.0))
        return;
    /* G = 2 sum(i x_(i)) / (n sum x) - (n + 1) / n over the ascending order, i from 1. */
    *gini = 2.0 * wsum / ((double)n * sum) - ((double)n + 1.0) / (double)n;
    size_t k = (n + 99) / 100; /* the top 1% of holders, at least one */
    double top = 0.0;
    for (size_t i = n - k; i < n; i++)
        top += v[i];
    *top1 = top / sum;
}

static double u64f64_value(tsr_u64f64 x)
{
    return (double)x.raw.hi + (double)x.raw.lo / 18446744073709551616.0;
}

static double u96f32_value(tsr_u96f32 x)
{
    return ((double)x.raw.hi * 18446744073709551616.0 + (double)x.raw.lo) / 4294967296.0;
}

static double i96f32_value(tsr_i96f32 x)
{
    if (x.raw.hi >> 63)
        return 0.0; /* moving prices are never negative */
    return ((double)x.raw.hi * 18446744073709551616.0 + (double)x.raw.lo) / 4294967296.0;
}

static int gini_room(bt_model *m, size_t n)
{
    if (n <= m->cap_gini)
        return 0;
    double *p = realloc(m->gini_buf, n * sizeof *p);
    if (!p)
        return bt_fail(m, "out of memory");
    m->gini_buf = p, m->cap_gini = n;
    return 0;
}

/* Concentration of stake (or Emission when emission != 0) over sn's uids, scaled by `scale`,
** written to m->gini_buf + off. */
static void fill_values(const bt_subnet *sn, double *out, int emission, double scale)
{
    for (uint32_t i = 0; i < sn->n; i++) {
        const bt_neuron *nr = &sn->neurons[i];
        double v = emission ? (double)nr->emission : (double)sn->members[nr->member].alpha;
        out[i] = v * scale;
    }
}

static int put_conc(bt_model *m, uint64_t b, int64_t id, const char *g, const char *t, double *v,
                    size_t n)
{
    double gini, top1;
    bt_concentration(v, n, &gini, &top1);
    return bt_series_f(m, b, g, id, gini) || bt_series_f(m, b, t, id, top1);
}

static int sample_counts(bt_model *m, const bt_subnet *sn, uint64_t b)
{
    uint32_t reg = 0, serving = 0, permits = 0;
    for (uint32_t i = 0; i < sn->n; i++) {
        const bt_neuron *nr = &sn->neurons[i];
        const bt_agent *a = &m->agents[m->hotkeys[sn->members[nr->member].hotkey].owner];
        permits += nr->permit;
        if (a->role == BT_MINER) {
            reg++;
            serving += a->serving;
        }
    }
    int64_t id = sn->entity;
    return bt_series_i(m, b, "miners_registered", id, reg) ||
           bt_series_i(m, b, "miners_serving", id, serving) ||
           bt_series_i(m, b, "validator_permits", id, permits);
}

static int sample_emission(bt_model *m, bt_subnet *sn, uint64_t b)
{
    const bt_emission_totals *e = &sn->st.em, *k = &sn->st.mark;
    int64_t id = sn->entity;
    int bad = bt_series_i(m, b, "emission_owner", id, (int64_t)e->paid_owner) ||
              bt_series_i(m, b, "emission_miner", id, (int64_t)e->paid_miners) ||
              bt_series_i(m, b, "emission_validator", id, (int64_t)e->paid_validators) ||
              bt_series_i(m, b, "emission_root", id, (int64_t)e->paid_root) ||
              bt_series_i(m, b, "emission_burned", id, (int64_t)e->burned_incentive) ||
              bt_series_i(m, b, "emission_unowned", id, (int64_t)(e->dust + e->undistributed)) ||
              bt_series_i(m, b, "emission_capped", id, (int64_t)e->capped);
    struct {
        uint64_t now, then;
        const char *reason;
    } rows[] = {{e->paid_owner, k->paid_owner, "emission_owner"},
                {e->paid_miners, k->paid_miners, "emission_miners"},
                {e->paid_validators, k->paid_validators, "emission_validators"},
                {e->paid_root, k->paid_root, "emission_root"},
                {e->burned_incentive, k->burned_incentive, "emission_burned"}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0] && !bad; i++)
        if (rows[i].now > rows[i].then)
            bad = bt_ledger_row(m, b, "mint", 0, id, rows[i].now - rows[i].then, rows[i].reason);
    return bad;
}

static int sample_yields(bt_model *m, bt_subnet *sn, uint64_t b, double price, double days)
{
    bt_stats *st = &sn->st;
    int64_t id = sn->entity;
    double ep = st->period_epochs ? (double)st->period_epochs : 1.0;
    uint32_t serving = 0;
    for (uint32_t i = 0; i < sn->nminers; i++)
        serving += m->agents[sn->miners[i]].serving;
    double income = 0.0;
    if (serving && days > 0.0)
        income =
            (double)(st->em.paid_miners - st->mark.paid_miners) * price / ((double)serving * days);
    int bad = bt_series_f(m, b, "yield_validator", id, st->div_per_stake / ep) ||
              bt_series_f(m, b, "yield_nominator", id, st->nom_yield / ep) ||
              bt_series_f(m, b, "miner_income", id, income);
    st->div_per_stake = st->nom_yield = 0.0;
    st->period_epochs = 0;
    return bad;
}

static int sample_subnet(bt_model *m, bt_subnet *sn, uint64_t b, double days)
{
    const tsr_subnet *cs = &m->cs[sn->netuid - 1];
    int64_t id = sn->entity;
    double price = u64f64_value(cs->price);
    int bad = bt_series_i(m, b, "alpha_issuance", id, (int64_t)tsr_subnet_alpha_issuance(cs)) ||
              bt_series_i(m, b, "alpha_emission", id, (int64_t)sn->st.last_alpha_emission) ||
              bt_series_i(m, b, "alpha_halvings", id, sn->st.alpha_halvings) ||
              bt_series_i(m, b, "alpha_out", id, (int64_t)cs->alpha_out) ||
              bt_series_i(m, b, "pool_tao", id, (int64_t)cs->subnet_tao) ||
              bt_series_i(m, b, "pool_alpha", id, (int64_t)cs->alpha_in) ||
              bt_series_f(m, b, "price", id, price) ||
              bt_series_f(m, b, "moving_price", id, i96f32_value(cs->moving_price)) ||
              bt_series_f(m, b, "root_proportion", id, u96f32_value(cs->root_prop)) ||
              bt_series_f(m, b, "tao_share", id, u64f64_value(m->flow[sn->netuid - 1].share)) ||
              bt_series_f(m, b, "miner_burned", id, u96f32_value(cs->miner_burned)) ||
              bt_series_i(m, b, "burn", id, (int64_t)cs->burn.burn) ||
              bt_series_i(m, b, "registrations", id, (int64_t)sn->st.registrations) ||
              bt_series_i(m, b, "prunes", id, (int64_t)sn->st.prunes) ||
              bt_series_i(m, b, "epochs", id, (int64_t)sn->st.epochs) ||
              bt_series_i(m, b, "sold_alpha", id, (int64_t)sn->st.sold_alpha) ||
              bt_series_i(m, b, "miner_costs", id, (int64_t)sn->st.miner_costs) ||
              sample_counts(m, sn, b) || sample_emission(m, sn, b) ||
              sample_yields(m, sn, b, price, days);
    if (bad || gini_room(m, sn->n ? sn->n : 1) != 0)
        return -1;
    fill_values(sn, m->gini_buf, 0, 1.0);
    if (put_conc(m, b, id, "gini_stake", "top1_stake", m->gini_buf, sn->n))
        return -1;
    fill_values(sn, m->gini_buf, 1, 1.0);
    if (put_conc(m, b, id, "gini_emission", "top1_emission", m->gini_buf, sn->n))
        return -1;
    sn->st.mark = sn->st.em;
    return 0;
}

/* Network-wide concentration: every uid of every subnet, valued in TAO at its pool price. */
static int sample_concentration(bt_model *m, uint64_t b)
{
    size_t total = 0;
    for (uint32_t i = 0; i < m->nsub; i++)
        total += m->sub[i].n;
    if (gini_room(m, total ? total : 1) != 0)
        return -1;
    for (int em = 0; em < 2; em++) {
        size_t off = 0;
        for (uint32_t i = 0; i < m->nsub; i++) {
            fill_values(&m->sub[i], m->gini_buf + off, em, u64f64_value(m->cs[i].price));
            off += m->sub[i].n;
        }
        if (put_conc(m, b, 0, em ? "gini_emission" : "gini_stake",
                     em ? "top1_emission" : "top1_stake", m->gini_buf, total))
            return -1;
    }
    return 0;
}

static int sample_network(bt_model *m, uint64_t b, double days)
{
    uint64_t owner = 0, miner = 0, val = 0, root = 0, burned = 0;
    for (uint32_t i = 0; i < m->nsub; i++) {
        const bt_emission_totals *e = &m->sub[i].st.em;
        owner += e->paid_owner, miner += e->paid_miners, val += e->paid_validators;
        root += e->paid_root;
    }
    tsr_ledger_balance(&m->tao, m->t_burn, &burned);
    double ry = 0.0;
    if (m->chain.root_tao > 0 && days > 0.0)
        ry = (double)(m->root_claimed - m->mark_root_claimed) / (double)m->chain.root_tao;
    m->mark_root_claimed = m->root_claimed;
    return bt_series_i(m, b, "issuance", 0, (int64_t)m->chain.total_issuance) ||
           bt_series_i(m, b, "block_emission", 0, (int64_t)m->last_emission) ||
           bt_series_i(m, b, "halvings", 0, m->halvings) ||
           bt_series_i(m, b, "tao_recycled", 0, (int64_t)m->tao_recycled) ||
           bt_series_i(m, b, "tao_fees_burned", 0, (int64_t)burned) ||
           bt_series_i(m, b, "root_stake", 0, (int64_t)m->chain.root_tao) ||
           bt_series_i(m, b, "emission_owner", 0, (int64_t)owner) ||
           bt_series_i(m, b, "emission_miner", 0, (int64_t)miner) ||
           bt_series_i(m, b, "emission_validator", 0, (int64_t)val) ||
           bt_series_i(m, b, "emission_root", 0, (int64_t)root) ||
           bt_series_f(m, b, "root_yield", 0, ry) || sample_concentration(m, b);
}

static int sample_validators(bt_model *m, uint64_t b)
{
    for (uint32_t v = 0; v < m->nvalidators; v++) {
        const bt_agent *a = &m->agents[v];
        uint64_t stake = 0, divs = 0;
        for (uint32_t i = 0; i < m->nsub; i++) {
            int32_t k = m->sub[i].member_of[a->hotkey];
            if (k == BT_NONE)
                continue;
            stake += m->sub[i].members[k].alpha;
            divs += m->sub[i].members[k].dividends_acc;
        }
        if (bt_series_i(m, b, "stake", a->entity, (int64_t)stake) ||
            bt_series_i(m, b, "root_stake", a->entity, (int64_t)m->hotkeys[a->hotkey].root_stake) ||
            bt_series_i(m, b, "dividends", a->entity, (int64_t)divs))
            return -1;
    }
    return 0;
}

int bt_sample(bt_model *m, uint64_t b)
{
    /* The period since the previous sample (the last one may be shorter). */
    double days = (double)(b - m->mark_block) * (double)m->cfg.block_seconds / 86400.0;
    m->mark_block = b;
    if (sample_network(m, b, days) != 0 || sample_validators(m, b) != 0)
        return bt_fail(m, "recording a sample failed");
    for (uint32_t i = 0; i < m->nsub; i++)
        if (sample_subnet(m, &m->sub[i], b, days) != 0)
            return bt_fail(m, "recording a sample failed");
    return 0;
}
