/*
 * progress: bar or plain-line progress display driven by progress_update().
 *
 * Invariants: wall time is read only through p->clock (monotonic by default) and only to decide
 * when to print and what rate/ETA to show; the figures printed are the last (done, total) the
 * caller reported. Each update costs one clock read and, when a print is due, one fprintf.
 */
#define _POSIX_C_SOURCE 200809L /* fileno, isatty, clock_gettime */

#include "progress.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BAR_WIDTH 30 /* characters inside the brackets */
#define NS_PER_S  1e9

struct progress {
    FILE *out;                          /* destination, not owned */
    int mode;                           /* PROGRESS_QUIET, PROGRESS_BAR or PROGRESS_LINES */
    char label[PROGRESS_LABEL_MAX + 1]; /* copied label */
    progress_clock_fn clock;            /* nanosecond monotonic clock */
    void *clock_ctx;                    /* passed to clock */
    uint64_t start_ns;                  /* clock reading at start */
    uint64_t last_print_ns;             /* clock reading at the last line or redraw */
    uint64_t done;                      /* last reported done */
    uint64_t total;                     /* last reported total (0: unknown) */
    int drawn;                          /* bar mode: a bar is on the current line */
    int finished;                       /* progress_finish already printed */
    size_t bar_len;                     /* length of the last bar line, to blank leftovers */
};

static uint64_t monotonic_ns(void *ctx)
{
    (void)ctx;
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
        return 0;
    return (uint64_t)ts.tv_sec * UINT64_C(1000000000) + (uint64_t)ts.tv_nsec;
}

progress *progress_new(FILE *out, const char *label, int mode)
{
    progress *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->out = out;
    if (!out || mode == PROGRESS_QUIET)
        p->mode = PROGRESS_QUIET;
    else if (mode == PROGRESS_BAR || mode == PROGRESS_LINES)
        p->mode = mode;
    else
        p->mode = isatty(fileno(out)) ? PROGRESS_BAR : PROGRESS_LINES;
    snprintf(p->label, sizeof p->label, "%s", label ? label : "progress");
    progress_set_clock(p, monotonic_ns, NULL);
    return p;
}

void progress_set_clock(progress *p, progress_clock_fn fn, void *ctx)
{
    if (!p)
        return;
    p->clock = fn ? fn : monotonic_ns;
    p->clock_ctx = fn ? ctx : NULL;
    p->start_ns = p->clock(p->clock_ctx);
    p->last_print_ns = p->start_ns;
}

/* "12", "12.3k", "4.5M", "1.2G": compact rate text. */
static void fmt_rate(char *buf, size_t len, double rate)
{
    if (rate >= 1e9)
        snprintf(buf, len, "%.1fG", rate / 1e9);
    else if (rate >= 1e6)
        snprintf(buf, len, "%.1fM", rate / 1e6);
    else if (rate >= 1e3)
        snprintf(buf, len, "%.1fk", rate / 1e3);
    else
        snprintf(buf, len, "%.1f", rate);
}

/* H:MM:SS. */
static void fmt_duration(char *buf, size_t len, uint64_t seconds)
{
    snprintf(buf, len, "%" PRIu64 ":%02u:%02u", seconds / 3600, (unsigned)(seconds / 60 % 60),
             (unsigned)(seconds % 60));
}

static double elapsed_s(const progress *p, uint64_t now_ns)
{
    return now_ns > p->start_ns ? (double)(now_ns - p->start_ns) / NS_PER_S : 0.0;
}

static double rate_of(const progress *p, double elapsed)
{
    return elapsed > 0.0 ? (double)p->done / elapsed : 0.0;
}

static void fmt_eta(char *buf, size_t len, const progress *p, double rate)
{
    if (p->done >= p->total)
        fmt_duration(buf, len, 0);
    else if (rate <= 0.0)
        snprintf(buf, len, "?");
    else
        fmt_duration(buf, len, (uint64_t)((double)(p->total - p->done) / rate + 0.5));
}

static double percent(const progress *p)
{
    if (p->total == 0)
        return 0.0;
    double pc = 100.0 * (double)p->done / (double)p->total;
    return pc > 100.0 ? 100.0 : pc;
}

static void print_line(progress *p, uint64_t now_ns)
{
    char rate[32], el[32], eta[32];
    double e = elapsed_s(p, now_ns);
    double r = rate_of(p, e);
    fmt_rate(rate, sizeof rate, r);
    fmt_duration(el, sizeof el, (uint64_t)e);
    if (p->total) {
        fmt_eta(eta, sizeof eta, p, r);
        fprintf(p->out, "%s: %.1f%% (%" PRIu64 "/%" PRIu64 ") %s/s elapsed %s eta %s\n", p->label,
                percent(p), p->done, p->total, rate, el, eta);
    } else {
        fprintf(p->out, "%s: %" PRIu64 " %s/s elapsed %s\n", p->label, p->done, rate, el);
    }
    fflush(p->out);
}

static void draw_bar(progress *p, uint64_t now_ns)
{
    char rate[32], eta[32], bar[BAR_WIDTH + 1], line[PROGRESS_LABEL_MAX + 128];
    double e = elapsed_s(p, now_ns);
    double r = rate_of(p, e);
    fmt_rate(rate, sizeof rate, r);
    int n;
    if (p->total) {
        size_t fill = (size_t)(percent(p) / 100.0 * BAR_WIDTH);
        memset(bar, '#', fill);
        memset(bar + fill, '.', BAR_WIDTH - fill);
        bar[BAR_WIDTH] = '\0';
        fmt_eta(eta, sizeof eta, p, r);
        n = snprintf(line, sizeof line, "%s [%s] %5.1f%% %s/s eta %s", p->label, bar, percent(p),
                     rate, eta);
    } else {
        n = snprintf(line, sizeof line, "%s %" PRIu64 " %s/s", p->label, p->done, rate);
    }
    size_t len = n < 0 ? 0 : (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
    /* Blank what a longer previous line left behind. */
    int pad = p->bar_len > len ? (int)(p->bar_len - len) : 0;
    fprintf(p->out, "\r%s%*s", line, pad, "");
    fflush(p->out);
    p->bar_len = len;
    p->drawn = 1;
}

void progress_update(progress *p, uint64_t done, uint64_t total)
{
    if (!p || p->mode == PROGRESS_QUIET || p->finished)
        return;
    p->done = done;
    p->total = total;
    uint64_t now = p->clock(p->clock_ctx);
    uint64_t since = now > p->last_print_ns ? now - p->last_print_ns : 0;
    if (p->mode == PROGRESS_LINES && since >= PROGRESS_LINE_INTERVAL_NS) {
        print_line(p, now);
        p->last_print_ns = now;
    } else if (p->mode == PROGRESS_BAR && (since >= PROGRESS_BAR_INTERVAL_NS || !p->drawn)) {
        draw_bar(p, now);
        p->last_print_ns = now;
    }
}

void progress_finish(progress *p)
{
    if (!p || p->mode == PROGRESS_QUIET || p->finished)
        return;
    p->finished = 1;
    uint64_t now = p->clock(p->clock_ctx);
    char rate[32], el[32];
    double e = elapsed_s(p, now);
    fmt_rate(rate, sizeof rate, rate_of(p, e));
    fmt_duration(el, sizeof el, (uint64_t)e);
    if (p->mode == PROGRESS_BAR) {
        draw_bar(p, now);
        fputc('\n', p->out);
    }
    if (p->total)
        fprintf(p->out, "%s: done %" PRIu64 "/%" PRIu64 " in %s (%s/s)\n", p->label, p->done,
                p->total, el, rate);
    else
        fprintf(p->out, "%s: done %" PRIu64 " in %s (%s/s)\n", p->label, p->done, el, rate);
    fflush(p->out);
}

void progress_free(progress *p)
{
    free(p);
}
