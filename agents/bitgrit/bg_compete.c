/*
** bg_compete.c: the competition lifecycle as events — announce (stake, prize with seeded
** variation; the bonus with probability bonus_probability), entry window (closes entry_days
** later: scientists decide, stakes move to the escrow), submission deadline (duration_days after
** the announcement: each entrant has completed or not), scoring and settlement (scoring_days
** after the deadline: noisy scores, ranking, tsr_compete_settle, then the ledger moves: stake
** returns, forfeits to the reserve and burned, USD prize with the platform fee, the BGR bonus
** released from the community budget).
**
** At the close of the entry window the model also counts who would have entered at half and
** double the stake and at half and double the prize, with the same beliefs and wallets: the
** participation response to stake and prize, per competition (pure: no draw, no state change).
** Ranking: completed entries by score descending, ties by scientist id ascending, so ranks are
** a pure function of the draws. A competition is announced only when its settlement falls
** inside the run, so no stake is left locked at the end. Cost: O(n log n) per competition.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "bg_int.h"

typedef struct scored {
    double score; /* skill + noise */
    uint32_t j;   /* entrant index (entrants are in scientist id order) */
} scored;

int bg_compete_init(bg_model *m)
{
    const bg_comp_config *c = &m->cfg.comp;
    uint32_t n = m->cfg.sci.count, w = c->winners;
    m->weights = calloc(w, sizeof *m->weights);
    m->wnorm = calloc(w, sizeof *m->wnorm);
    m->entries = calloc(n, sizeof *m->entries);
    m->payout = calloc(n, sizeof *m->payout);
    m->score = calloc(n ? n : 1, sizeof(scored));
    if (c->numerai_settlement) {
        m->nmod = calloc(n ? n : 1, sizeof *m->nmod);
        m->npay = calloc(n ? n : 1, sizeof *m->npay);
        if (!m->nmod || !m->npay)
            return bg_fail(m, 0, "out of memory");
    }
    if (!m->weights || !m->wnorm || !m->entries || !m->payout || !m->score)
        return bg_fail(m, 0, "out of memory");
    if (c->fixed_split)
        memcpy(m->weights, c->fixed_weights, w * sizeof *m->weights);
    else if (tsr_rank_weights_power(c->exponent_quarters, w, m->weights) != TSR_OK)
        return bg_fail(m, 0, "rank weights refused (exponent %u)", c->exponent_quarters);
    double sum = 0.0;
    for (uint32_t r = 0; r < w; r++) {
        if (m->weights[r] == 0)
            return bg_fail(m, 0, "rank weight %u is zero", r + 1);
        sum += (double)m->weights[r];
    }
    for (uint32_t r = 0; r < w; r++)
        m->wnorm[r] = (double)m->weights[r] / sum;
    return 0;
}

/* base * exp(spread * z), as units (0 spread: base exactly). */
static int vary(bg_model *m, uint64_t day, uint64_t base, double spread, double z, uint64_t *out)
{
    if (spread == 0.0) {
        *out = base;
        return 0;
    }
    double v = (double)base * exp(spread * z);
    if (!(v < 1.8e19))
        return bg_fail(m, day, "a competition's stake or prize overflows");
    *out = (uint64_t)v;
    return 0;
}

bg_comp *bg_compete_add(bg_model *m, uint64_t day, uint64_t stake, uint64_t prize, uint64_t bonus)
{
    if (m->ncomps == m->capcomps) {
        size_t cap = m->capcomps ? 2 * m->capcomps : 16;
        bg_comp *p = realloc(m->comps, cap * sizeof *p);
        if (!p) {
            bg_fail(m, day, "out of memory");
            return NULL;
        }
        m->comps = p, m->capcomps = cap;
    }
    bg_comp *c = &m->comps[m->ncomps];
    memset(c, 0, sizeof *c);
    c->number = m->ncomps, c->day = day, c->stake = stake, c->prize = prize, c->bonus = bonus;
    c->entrants = malloc(m->cfg.sci.count * sizeof *c->entrants);
    c->complete = calloc(m->cfg.sci.count ? m->cfg.sci.count : 1, 1);
    if (!c->entrants || !c->complete) {
        free(c->entrants), free(c->complete);
        bg_fail(m, day, "out of memory");
        return NULL;
    }
    m->ncomps++;
    return c;
}

int bg_compete_lock(bg_model *m, uint64_t day, bg_comp *c, uint32_t i)
{
    if (bg_move(m, day, m->a_sci + i, BG_ESCROW, c->stake, "stake_lock") != 0)
        return -1;
    c->entrants[c->n++] = i;
    c->locked += c->stake;
    m->escrow_locked += c->stake;
    m->sci[i].entered++;
    m->sci[i].spent_usd += m->sci[i].cost_usd;
    return 0;
}

int bg_on_announce(sim *s, const eq_event *ev, void *ctx)
{
    bg_model *m = ctx;
    const bg_comp_config *cc = &m->cfg.comp;
    uint64_t day = ev->tick, num = ev->data;
    if (day + (uint64_t)cc->duration_days + cc->scoring_days > m->cfg.days)
        return 0; /* its settlement would fall after the end of the run */
    rng_key k = {m->cfg.seed, m->cfg.run_index, RNG_PURPOSE_MARKET, BG_ENT_COMP + num};
    rng_event_reset(m->ev, &k, num);
    double zs = gsl_ran_ugaussian(m->ev), zp = gsl_ran_ugaussian(m->ev);
    /* drawn only when it can matter, so bonus_probability = 1 leaves the stream as it was */
    int with_bonus = cc->bonus_probability >= 1.0 || gsl_rng_uniform(m->ev) < cc->bonus_probability;
    uint64_t stake = 0, prize = 0;
    if (vary(m, day, cc->stake, cc->stake_spread, zs, &stake) != 0 ||
        vary(m, day, cc->prize_usd, cc->prize_spread, zp, &prize) != 0 ||
        !bg_compete_add(m, day, stake ? stake : 1, prize, with_bonus ? cc->bonus : 0))
        return -1;
    size_t idx = m->ncomps - 1;
    if (bg_series_u(m, day, "bitgrit.comp.announced", num) != 0)
        return -1;
    if (sim_at(s, day + cc->entry_days, BG_PH_ENTRY, BG_EV_ENTRY, 0, idx, NULL) ||
        sim_at(s, day + cc->duration_days, BG_PH_DEADLINE, BG_EV_DEADLINE, 0, idx, NULL))
        return bg_fail(m, day, "cannot schedule competition %llu", (unsigned long long)num);
    if (day + cc->interval <= m->cfg.days)
        return sim_at(s, day + cc->interval, BG_PH_ANNOUNCE, BG_EV_ANNOUNCE, 0, num + 1, NULL);
    return 0;
}

/* Entrants competition c would have with its stake and prize scaled (wallets and beliefs as
** they are now). */
static uint32_t entrants_if(bg_model *m, const bg_comp *c, double stake_x, double prize_x)
{
    bg_comp alt = *c;
    double st = (double)c->stake * stake_x, pr = (double)c->prize * prize_x;
    alt.stake = st < 1.0 ? 1 : (st < 1.8e19 ? (uint64_t)st : UINT64_MAX);
    alt.prize = pr < 1.8e19 ? (uint64_t)pr : UINT64_MAX;
    uint32_t n = 0;
    for (uint32_t i = 0; i < m->cfg.sci.count; i++)
        n += (uint32_t)bg_scientist_enters(m, i, &alt);
    return n;
}

int bg_on_entry(sim *s, const eq_event *ev, void *ctx)
{
    (void)s;
    bg_model *m = ctx;
    bg_comp *c = &m->comps[ev->data];
    uint64_t day = ev->tick;
    c->if_stake_half = entrants_if(m, c, 0.5, 1.0);
    c->if_stake_double = entrants_if(m, c, 2.0, 1.0);
    c->if_prize_half = entrants_if(m, c, 1.0, 0.5);
    c->if_prize_double = entrants_if(m, c, 1.0, 2.0);
    for (uint32_t i = 0; i < m->cfg.sci.count; i++) {
        if (bg_scientist_enters(m, i, c) && bg_compete_lock(m, day, c, i) != 0)
            return -1;
    }
    c->open = 1;
    /* adaptive expectation of the field: an EMA of the entrant counts (the plain last count
    ** makes a cobweb: a thin field invites everyone, a crowded one deters everyone) */
    m->last_entrants += m->cfg.sci.learning_rate * ((double)c->n - m->last_entrants);
    if (c->number == 0)
        m->tot.entrants_first = c->n;
    m->tot.entrants_total += c->n;
    if (bg_series_i(m, day, "bitgrit.comp.entered", 0, c->n) != 0)
        return -1;
    return bg_check(m, day, "stake lock");
}

/* Score descending, then entrant index (= scientist id) ascending: a total order. */
static int cmp_scored(const void *a, const void *b)
{
    const scored *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return (x->j > y->j) - (x->j < y->j);
}

/* Who submitted a completed model by the deadline: c->complete[], c->submitted. */
static void draw_completion(bg_model *m, bg_comp *c)
{
    c->submitted = 0;
    for (uint32_t j = 0; j < c->n; j++) {
        uint32_t i = c->entrants[j];
        rng_key kc = {m->cfg.seed, m->cfg.run_index, BG_RNG_COMPLETE, (uint64_t)i + 1};
        rng_event_reset(m->ev, &kc, c->number);
        c->complete[j] = gsl_rng_uniform(m->ev) < m->sci[i].p_complete;
        c->submitted += c->complete[j];
    }
}

/* Scores of the completed entries (skill + effort_score * effort + noise); ranks into
** m->entries[]. Returns M. */
static uint32_t rank_entries(bg_model *m, const bg_comp *c)
{
    scored *sc = (scored *)m->score; /* scratch sized for every scientist */
    uint32_t done = 0;
    for (uint32_t j = 0; j < c->n; j++) {
        uint32_t i = c->entrants[j];
        rng_key kq = {m->cfg.seed, m->cfg.run_index, RNG_PURPOSE_QUALITY, (uint64_t)i + 1};
        rng_event_reset(m->ev, &kq, c->number);
        double score = m->sci[i].skill + m->cfg.sci.effort_score * m->sci[i].effort +
                       gsl_ran_gaussian(m->ev, m->cfg.comp.score_noise);
        m->entries[j] = (tsr_compete_entry){c->stake, 0};
        if (c->complete[j])
            sc[done++] = (scored){score, j};
    }
    qsort(sc, done, sizeof *sc, cmp_scored);
    for (uint32_t r = 0; r < done; r++)
        m->entries[sc[r].j].rank = r + 1;
    return done;
}

static int pay_prize(bg_model *m, uint64_t day, const bg_comp *c, const tsr_compete_totals *t)
{
    if (c->prize == 0 || t->prize_paid + t->fee == 0)
        return 0;
    tsr_ledger *u = &m->usd;
    if (tsr_ledger_mint(u, BG_USD_SPONSOR, c->prize) != TSR_OK ||
        tsr_ledger_transfer(u, BG_USD_SPONSOR, BG_USD_PLATFORM, t->fee) != TSR_OK)
        return bg_fail(m, day, "USD ledger refused the prize of competition %llu",
                       (unsigned long long)c->number);
    if (bg_row(m, day, "usd_prize", -6, -6, c->prize, "sponsor_prize") ||
        bg_row(m, day, "usd_fee", -6, -7, t->fee, "platform_fee"))
        return -1;
    for (uint32_t j = 0; j < c->n; j++) {
        uint64_t p = m->payout[j].prize;
        if (p == 0)
            continue;
        uint32_t i = c->entrants[j];
        if (tsr_ledger_transfer(u, BG_USD_SPONSOR, BG_USD_FIRST + i, p) != TSR_OK)
            return bg_fail(m, day, "USD ledger refused a prize share");
        if (bg_row(m, day, "usd_prize", -6, (int64_t)i + 1, p, "prize_share") != 0)
            return -1;
    }
    return 0;
}

/* Stake returns, reserve share, burn; then the bonus shares. */
static int move_stakes(bg_model *m, uint64_t day, const bg_comp *c, const tsr_compete_totals *t,
                       uint64_t *bonus_paid)
{
    for (uint32_t j = 0; j < c->n; j++) {
        uint32_t i = c->entrants[j];
        const tsr_compete_payout *p = &m->payout[j];
        if (bg_move(m, day, BG_ESCROW, m->a_sci + i, p->returned, "stake_return") != 0)
            return -1;
        m->escrow_locked -= p->returned;
        bg_scientist *sc = &m->sci[i];
        sc->wins += p->tier == TSR_TIER_WINNER;
        sc->kept += p->tier == TSR_TIER_WINNER || p->tier == TSR_TIER_KEEP;
    }
    if (bg_move(m, day, BG_ESCROW, BG_RESERVE, t->reserve, "forfeit_reserve") != 0 ||
        bg_burn(m, day, BG_ESCROW, t->burned, "forfeit_burn") != 0)
        return -1;
    m->escrow_locked -= t->reserve + t->burned;
    m->tot.burned_forfeits += t->burned;
    m->tot.forfeited_t3 += t->forfeited_by_tier[TSR_TIER_LOW];
    m->tot.forfeited_t4 += t->forfeited_by_tier[TSR_TIER_INCOMPLETE];
    m->month.burned_forfeits += t->burned;
    *bonus_paid = 0;
    for (uint32_t j = 0; j < c->n; j++) {
        uint64_t done;
        if (bg_release(m, day, m->a_sci + c->entrants[j], m->payout[j].bonus, "bonus", &done))
            return -1;
        *bonus_paid += done;
    }
    m->tot.community_issued += *bonus_paid;
    m->month.minted_bonus += *bonus_paid;
    return 0;
}

/* The non-staked contrast (spec mechanisms §2.6): Kaggle's medal cut-offs for the completed
** entries, and how many entrants ranked within the bronze cut-off forfeited stake here. */
static int record_medals(bg_model *m, uint64_t day, const bg_comp *c, const tsr_compete_totals *t)
{
    uint64_t gold, silver, bronze, forfeiting = 0;
    tsr_kaggle_medals(t->completed, &gold, &silver, &bronze);
    for (uint32_t j = 0; j < c->n; j++)
        forfeiting +=
            m->entries[j].rank >= 1 && m->entries[j].rank <= bronze && m->payout[j].forfeited > 0;
    return bg_series_u(m, day, "bitgrit.comp.kaggle_gold", gold) ||
           bg_series_u(m, day, "bitgrit.comp.kaggle_silver", silver) ||
           bg_series_u(m, day, "bitgrit.comp.kaggle_bronze", bronze) ||
           bg_series_u(m, day, "bitgrit.comp.medalists_forfeiting", forfeiting);
}

static int record_comp(bg_model *m, uint64_t day, const bg_comp *c, const tsr_compete_totals *t,
                       uint64_t bonus)
{
    double f = (double)t->forfeited;
    double t3 = f > 0.0 ? (double)t->forfeited_by_tier[TSR_TIER_LOW] / f : 0.0;
    double t4 = f > 0.0 ? (double)t->forfeited_by_tier[TSR_TIER_INCOMPLETE] / f : 0.0;
    if (bg_series_u(m, day, "bitgrit.comp.number", c->number) ||
        bg_series_u(m, day, "bitgrit.comp.stake", c->stake) ||
        bg_series_u(m, day, "bitgrit.comp.prize_usd", c->prize) ||
        bg_series_i(m, day, "bitgrit.comp.entrants", 0, c->n) ||
        bg_series_f(m, day, "bitgrit.comp.entry_rate", 0,
                    (double)c->n / (double)m->cfg.sci.count) ||
        bg_series_i(m, day, "bitgrit.comp.completed", 0, t->completed) ||
        bg_series_u(m, day, "bitgrit.comp.locked", t->locked) ||
        bg_series_u(m, day, "bitgrit.comp.returned", t->returned) ||
        bg_series_u(m, day, "bitgrit.comp.forfeited", t->forfeited) ||
        bg_series_u(m, day, "bitgrit.comp.reserved", t->reserve) ||
        bg_series_u(m, day, "bitgrit.comp.burned", t->burned) ||
        bg_series_u(m, day, "bitgrit.comp.forfeit_t3", t->forfeited_by_tier[TSR_TIER_LOW]) ||
        bg_series_u(m, day, "bitgrit.comp.forfeit_t4", t->forfeited_by_tier[TSR_TIER_INCOMPLETE]) ||
        bg_series_f(m, day, "bitgrit.comp.t3_forfeit_share", 0, t3) ||
        bg_series_f(m, day, "bitgrit.comp.t4_forfeit_share", 0, t4) ||
        bg_series_i(m, day, "bitgrit.comp.entrants_stake_half", 0, c->if_stake_half) ||
        bg_series_i(m, day, "bitgrit.comp.entrants_stake_double", 0, c->if_stake_double) ||
        bg_series_i(m, day, "bitgrit.comp.entrants_prize_half", 0, c->if_prize_half) ||
        bg_series_i(m, day, "bitgrit.comp.entrants_prize_double", 0, c->if_prize_double) ||
        bg_series_u(m, day, "bitgrit.comp.bonus_offered", c->bonus) ||
        bg_series_u(m, day, "bitgrit.comp.prize_paid", t->prize_paid) ||
        bg_series_u(m, day, "bitgrit.comp.fee", t->fee) ||
        bg_series_u(m, day, "bitgrit.comp.bonus", bonus) || record_medals(m, day, c, t))
        return -1;
    return 0;
}

int bg_on_deadline(sim *s, const eq_event *ev, void *ctx)
{
    bg_model *m = ctx;
    bg_comp *c = &m->comps[ev->data];
    draw_completion(m, c);
    if (bg_series_i(m, ev->tick, "bitgrit.comp.submitted", 0, c->submitted) != 0)
        return -1;
    uint32_t wait = m->cfg.comp.scoring_days;
    if (wait == 0)
        return bg_on_score(s, ev, ctx);
    if (sim_at(s, ev->tick + wait, BG_PH_SCORE, BG_EV_SCORE, 0, ev->data, NULL) != 0)
        return bg_fail(m, ev->tick, "cannot schedule the scoring of competition %llu",
                       (unsigned long long)c->number);
    return 0;
}

int bg_on_score(sim *s, const eq_event *ev, void *ctx)
{
    (void)s;
    bg_model *m = ctx;
    bg_comp *c = &m->comps[ev->data];
    uint32_t done = rank_entries(m, c);
    if (done != c->submitted) /* ranks are drawn for exactly the deadline's submissions */
        return bg_fail(m, ev->tick, "competition %llu: %u ranked, %u submitted",
                       (unsigned long long)c->number, done, c->submitted);
    return bg_compete_settle(m, ev->tick, c, done);
}

/* Settlement "numerai": the stakes of the completed entries are at risk under the Numerai rule
** (tsr_numerai_round) with CORR = scale (M - 2r + 1) / M for rank r of M (the centred percentile
** 1 - (r - 1/2) / M, times 2 scale), MMC 0; incomplete entries have nothing at risk. Losses
** become the entrants' forfeits, all burned (spec §2.1: negative payouts burn); gains go to
** m->npay[] for nm_pay_gains. Rewrites out[] and the stake totals of *t. */
static int nm_settle_stakes(bg_model *m, uint64_t day, const bg_comp *c, uint32_t done,
                            tsr_compete_totals *t, uint64_t *pf)
{
    const bg_comp_config *cc = &m->cfg.comp;
    for (uint32_t j = 0; j < c->n; j++) {
        uint32_t r = m->entries[j].rank;
        int64_t corr = 0;
        if (r > 0 && done > 0) /* |corr| <= scale <= 1e9 and M <= 2^32: the product fits */
            corr = (int64_t)cc->nm_scale_ppb * ((int64_t)done - 2 * (int64_t)r + 1) / (int64_t)done;
        m->nmod[j] = (tsr_numerai_model){c->stake, r > 0, corr, 0};
    }
    tsr_numerai_rules ru = {cc->nm_threshold, cc->nm_mult, 1000000, 0, 1, cc->nm_clip_ppb};
    tsr_numerai_totals nt;
    int rc = tsr_numerai_round(&ru, m->nmod, c->n, m->npay, &nt);
    if (rc != TSR_OK)
        return bg_fail(m, day, "competition %llu: Numerai rule refused (%s)",
                       (unsigned long long)c->number, tsr_strerror(rc));
    memset(t->forfeited_by_tier, 0, sizeof t->forfeited_by_tier);
    t->returned = t->forfeited = 0;
    for (uint32_t j = 0; j < c->n; j++) {
        tsr_compete_payout *p = &m->payout[j];
        uint64_t loss = m->npay[j] < 0 ? (uint64_t)(-m->npay[j]) : 0; /* <= stake: clip <= 1 */
        p->forfeited = loss, p->returned = c->stake - loss;
        t->returned += p->returned, t->forfeited += loss;
        t->forfeited_by_tier[p->tier] += loss;
    }
    t->reserve = 0, t->burned = t->forfeited;
    *pf = nt.pf_ppb;
    return 0;
}

/* Settlement "numerai": positive payouts released from the community budget (as far as it
** reaches; the rest is counted unpaid). */
static int nm_pay_gains(bg_model *m, uint64_t day, const bg_comp *c, uint64_t *paid,
                        uint64_t *unpaid)
{
    uint64_t avail = bg_budget(m, day / 30 + 1);
    *paid = 0, *unpaid = 0;
    for (uint32_t j = 0; j < c->n; j++) {
        if (m->npay[j] <= 0)
            continue;
        uint64_t want = (uint64_t)m->npay[j], x = want < avail ? want : avail, got = 0;
        if (bg_release(m, day, m->a_sci + c->entrants[j], x, "numerai_payout", &got) != 0)
            return -1;
        avail -= got, *paid += got, *unpaid += want - got;
    }
    m->tot.community_issued += *paid;
    m->month.minted_payouts += *paid;
    return 0;
}

int bg_compete_settle(bg_model *m, uint64_t day, bg_comp *c, uint32_t done)
{
    const bg_comp_config *cc = &m->cfg.comp;
    uint64_t avail = bg_budget(m, day / 30 + 1);
    uint64_t bonus = c->bonus < avail ? c->bonus : avail;
    int nm = cc->numerai_settlement;
    /* under the Numerai rule the tiers still classify entries (records, prize) but forfeit 0 */
    tsr_compete_rules rules = {cc->winners,
                               cc->keep_ppb,
                               nm ? 0 : cc->forfeit_low_ppb,
                               nm ? 0 : cc->forfeit_inc_ppb,
                               cc->reserve_ppb,
                               cc->fee_ppb,
                               m->weights};
    tsr_compete_totals t;
    int rc = tsr_compete_settle(&rules, m->entries, c->n, c->prize, bonus, m->payout, &t);
    if (rc != TSR_OK)
        return bg_fail(m, day, "competition %llu: settlement refused (%s)",
                       (unsigned long long)c->number, tsr_strerror(rc));
    uint64_t bonus_paid = 0, pf = 0, nm_paid = 0, nm_unpaid = 0;
    if (nm && nm_settle_stakes(m, day, c, done, &t, &pf) != 0)
        return -1;
    if (move_stakes(m, day, c, &t, &bonus_paid) != 0 || pay_prize(m, day, c, &t) != 0)
        return -1;
    if (nm && (nm_pay_gains(m, day, c, &nm_paid, &nm_unpaid) != 0 ||
               bg_series_f(m, day, "bitgrit.comp.numerai_pf", 0, (double)pf / 1e9) ||
               bg_series_u(m, day, "bitgrit.comp.numerai_paid", nm_paid) ||
               bg_series_u(m, day, "bitgrit.comp.numerai_unpaid", nm_unpaid)))
        return -1;
    for (uint32_t j = 0; j < c->n; j++)
        bg_scientist_learn(m, c->entrants[j], m->entries[j].rank, done);
    c->open = 0;
    m->tot.competitions++;
    char what[64];
    snprintf(what, sizeof what, "competition %llu settlement", (unsigned long long)c->number);
    if (bg_check(m, day, what) != 0)
        return -1;
    return record_comp(m, day, c, &t, bonus_paid);
}
