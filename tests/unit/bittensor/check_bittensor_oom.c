/*
** check_bittensor_oom: every allocation of a small bittensor run is failed once, in turn.
**
** The program is linked with -Wl,--wrap=malloc,calloc,realloc,aligned_alloc (tests/helpers/
** oom_inject.c), so every allocation of the model, the reward core and the engine (static
** libraries linked in) can be made to fail. For n = 0, 1, 2, ... the n-th allocation from the
** start of a run fails, until a run completes without reaching it. Each run must either fail
** (return an error, never crash) or, where the model has a fallback (the radix sort's buffer,
** the helper thread), succeed with exactly the log of the run without failures. Leaks on the
** failure paths fail the sanitizer build's run of this program (LeakSanitizer, in CI); valgrind
** sees the same. The recorder's rows are allocated before arming, so the failures land in the
** run, not in the test's log.
*/
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "bt_model.h"
#include "btworld.h"
#include "memrec.h"
#include "oom_inject.h"
#include "tdb.h"

#define TAO BTW_TAO

enum { LOG_ROWS = 1u << 15 }; /* more rows than the world below records */

typedef struct world {
    bt_config cfg;
    bt_subnet_config sub[2];
} world;

/* A subnet of the scenario defaults at a small scale: short tempo, few uids, quick immunity,
** delegators. */
static void subnet_small(bt_subnet_config *s, uint32_t tempo, uint32_t uids)
{
    btw_subnet(s);
    s->tempo = tempo, s->max_uids = uids, s->max_validators = 8, s->yuma3 = tempo % 2;
    s->immunity_period = 40, s->weights_rate_limit = 10, s->min_non_immune_uids = 2;
    s->miners = 10, s->delegators = 3;
}

/* Two subnets (Yuma 3 and the original bonds) that fill up and prune, with every kind of agent
** acting within a few hundred blocks. With the helper thread (helper = BT_HELPER_ON) the
** allocations of a run still come in one order: the helper allocates nothing while it runs. */
static void world_small(world *w, uint32_t helper)
{
    memset(w, 0, sizeof *w);
    bt_config *c = &w->cfg;
    subnet_small(&w->sub[0], 21, 32);
    w->sub[0].miners = 24; /* registers one at a time: the epoch arrays grow between epochs */
    subnet_small(&w->sub[1], 30, 12);
    btw_chain(c, w->sub, 2, 240);
    c->seed = 7;
    c->validators.honest = 2, c->validators.lazy = 1, c->validators.noisy = 1;
    c->validators.noise = 0.05, c->validators.noisy_noise = 0.5;
    c->validators.stake = 1000 * TAO, c->validators.take_min = 11796;
    c->validators.take_max = 11796;
    c->miners.quality = BT_QUALITY_BETA, c->miners.quality_a = 2, c->miners.quality_b = 5;
    c->miners.horizon_days = 30, c->miners.check_every = 20, c->miners.tao = 10 * TAO;
    c->miners.genesis_registered = 0;
    c->delegators.stake = 100 * TAO, c->delegators.decide_every = 40;
    c->delegators.move_delay = 30;
    c->root.stake = 1000 * TAO, c->root.stakers = 2;
    c->record_every = 10, c->epochs_every = 1;
    c->helper = helper;
}

/* One run of w into rec (emptied first; its rows stay allocated). Returns 0 when the run
** completed; otherwise -1 with the model's message in err (empty when the engine failed). */
static int run_once(const world *w, memrec *rec, char *err, size_t errlen)
{
    recorder r = {&memrec_vt, rec};
    rec->n = 0;
    return btw_run(&w->cfg, &r, err, errlen);
}

static void log_alloc(memrec *m)
{
    memset(m, 0, sizeof *m);
    m->cap = LOG_ROWS;
    m->rows = malloc(m->cap * sizeof *m->rows);
    ck_assert_ptr_nonnull(m->rows);
}

START_TEST(every_allocation_fails_cleanly)
{
    world w;
    world_small(&w, _i ? BT_HELPER_ON : BT_HELPER_OFF);
    memrec ref, got;
    log_alloc(&ref);
    log_alloc(&got);
    char err[512];
    ck_assert_msg(run_once(&w, &ref, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_gt(ref.n, 1000); /* the world does record: a run that stops early shows */
    ck_assert_uint_lt(ref.n, LOG_ROWS);

    long failed = 0, same = 0, n = 0;
    for (;; n++) {
        oom_arm(n);
        int rc = run_once(&w, &got, err, sizeof err);
        if (!oom_disarm()) {
            ck_assert_msg(rc == 0, "run %ld: %s", n, err);
            break;
        }
        if (rc != 0) {
            failed++;
            ck_assert_msg(got.n <= ref.n, "run %ld recorded more than the whole run", n);
            continue;
        }
        /* Survived the failure: only where a fallback gives the same run. */
        ck_assert_msg(got.n == ref.n && !memcmp(got.rows, ref.rows, ref.n * sizeof *ref.rows),
                      "allocation %ld failed, the run succeeded with another log", n);
        same++;
    }
    ck_assert_int_gt(failed, 50); /* the loop did reach the run's allocation sites */
    ck_assert_int_eq(failed + same, n);
    free(ref.rows);
    free(got.rows);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("bittensor-oom");
    TCase *tc = tcase_create("oom");
    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, every_allocation_fails_cleanly, 0, 2); /* helper off, on */
    suite_add_tcase(s, tc);
    return tdb_run(s);
}
