/*
** store_spill.c: the digest's bytes of one run's rows, kept while they are written, one stream
** per net for epoch rows and one for ledger rows (store_int.h, store__spill).
**
** A Bittensor run writes millions of epoch rows, each subnet's in canonical order with the
** subnets interleaved, and millions of ledger rows by increasing seq. Reading them back at the
** end of the run was most of the digest (2M-block, 8-subnet run: epochs 0.48 and ledger 0.34 of
** 1.35 s), on the critical path of every run. The writer already holds each row when it
** buffers it, so it serialises the row there exactly as the digest would (store__row_text) and
** appends the text to its stream. The digest then hashes stream after stream: the bytes of the
** rowid scan or the index walk, which are the sorted query's bytes (store_digest.c), at the
** cost of a sequential file read.
**
** Each stream keeps one buffer of the spill's extent size in memory; a full buffer is appended
** to one unlinked temporary file beside the database and its offset recorded in the stream's
** extent list. So memory is one extent per stream (16 KiB for each net and the ledger; 1 KiB for
** each of the thousands of series streams, one per metric and entity) plus 8 bytes per extent,
** and the files hold the text once (about 100 bytes per epoch row) until the run's digest is
** made.
** The spill is only an optimisation: when the file cannot be made or a write or read fails it
** is abandoned (its space given back at once) and the digest reads the database as before; a
** run's result never depends on it.
*/
#define _GNU_SOURCE /* O_TMPFILE (Linux); without it the mkstemp path below */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store_int.h"

typedef struct stream {
    uint64_t *ext; /* file offsets of the stream's full extents, in order */
    size_t next;   /* extents written */
    size_t capext; /* entries allocated in ext */
    size_t n;      /* bytes in buf */
    char buf[];    /* the spill's extent size */
} stream;

/* Full extents are gathered into writes of this many bytes: a Bittensor era's series spill is
** 110k extents of 1 KiB, and a system call costs microseconds in a virtual machine. */
enum { SPILL_WRITE = 256 * 1024 };

struct store__spill {
    int fd;            /* the unlinked temporary file */
    int ok;            /* 0 once abandoned: nothing may be read from it */
    uint64_t size;     /* bytes appended to the file, wlen of them still in w */
    char *w;           /* the extents not yet written (SPILL_WRITE bytes) */
    size_t wlen;       /* bytes in w */
    size_t extent;     /* bytes of a stream's buffer, and of each extent in the file */
    size_t nstreams;   /* streams, in their digest order (the caller's) */
    size_t capstreams; /* entries allocated in s */
    stream **s;        /* the streams */
};

/* A read-write file without a name in dbfile's directory, so nothing is left behind whatever
** happens to the process: O_TMPFILE where the kernel and file system have it, else mkstemp
** followed at once by unlink (a process killed between the two leaves the file; a sweep worker
** ended by SIGTERM could, which is why O_TMPFILE comes first). name: len + 14 bytes of scratch. */
static int unnamed_file(const char *dbfile, char *name, size_t len)
{
#ifdef O_TMPFILE
    const char *slash = strrchr(dbfile, '/');
    if (slash)
        snprintf(name, len + sizeof "-spill-XXXXXX", "%.*s", (int)(slash - dbfile + 1), dbfile);
    else
        snprintf(name, len + sizeof "-spill-XXXXXX", ".");
    int fd = open(name, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0)
        return fd;
#endif
    snprintf(name, len + sizeof "-spill-XXXXXX", "%s-spill-XXXXXX", dbfile);
    int tmp = mkstemp(name);
    if (tmp >= 0)
        (void)unlink(name);
    return tmp;
}

store__spill *store__spill_new(const char *dbfile, size_t extent)
{
    if (!dbfile || !*dbfile || extent == 0)
        return NULL;
    size_t len = strlen(dbfile);
    char *name = malloc(len + sizeof "-spill-XXXXXX");
    store__spill *sp = calloc(1, sizeof *sp);
    if (!name || !sp) {
        free(name);
        free(sp);
        return NULL;
    }
    sp->fd = unnamed_file(dbfile, name, len);
    free(name);
    if (sp->fd < 0) {
        free(sp);
        return NULL;
    }
    sp->w = malloc(SPILL_WRITE);
    sp->ok = 1;
    sp->extent = extent < SPILL_WRITE ? extent : 0;
    if (!sp->w || !sp->extent) {
        store__spill_free(sp);
        return NULL;
    }
    return sp;
}

void store__spill_free(store__spill *sp)
{
    if (!sp)
        return;
    for (size_t i = 0; i < sp->nstreams; i++) {
        free(sp->s[i]->ext);
        free(sp->s[i]);
    }
    free(sp->s);
    free(sp->w);
    close(sp->fd);
    free(sp);
}

/* Gives the spill up: nothing more is written or read, and its disk space goes back at once (a
** full disk is the likeliest reason, and the database needs the room more). */
static void abandon(store__spill *sp)
{
    sp->ok = 0;
    sp->wlen = 0;
    if (ftruncate(sp->fd, 0) == 0)
        sp->size = 0; /* if it fails, the space comes back when the spill is freed */
}

int store__spill_ok(const store__spill *sp)
{
    return sp && sp->ok;
}

void store__spill_insert(store__spill *sp, size_t k)
{
    if (!sp || !sp->ok)
        return;
    if (sp->nstreams == sp->capstreams) {
        size_t cap = sp->capstreams ? 2 * sp->capstreams : 16;
        stream **p = realloc(sp->s, cap * sizeof(stream *));
        if (!p) {
            abandon(sp);
            return;
        }
        sp->s = p, sp->capstreams = cap;
    }
    stream *s = calloc(1, sizeof *s + sp->extent);
    if (!s || k > sp->nstreams) {
        free(s);
        abandon(sp);
        return;
    }
    /* once per stream; the series' few thousand streams make this a few million moves a run */
    memmove(&sp->s[k + 1], &sp->s[k], (sp->nstreams - k) * sizeof(stream *));
    sp->s[k] = s;
    sp->nstreams++;
}

/* Writes (writing != 0) or reads all len bytes of p at offset off; 0, or -1 (an error, or the
** end of the file before len bytes). */
static int io_all(int fd, char *p, size_t len, uint64_t off, int writing)
{
    while (len > 0) {
        ssize_t n = writing ? pwrite(fd, p, len, (off_t)off) : pread(fd, p, len, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n, len -= (size_t)n, off += (uint64_t)n;
    }
    return 0;
}

/* Writes the gathered extents out. */
static int write_out(store__spill *sp)
{
    if (sp->wlen > 0 && io_all(sp->fd, sp->w, sp->wlen, sp->size - sp->wlen, 1) != 0)
        return -1;
    sp->wlen = 0;
    return 0;
}

/* Appends stream s's full buffer to the file (to w first). */
static int flush_stream(store__spill *sp, stream *s)
{
    if (s->next == s->capext) {
        size_t cap = s->capext ? 2 * s->capext : 64;
        uint64_t *e = realloc(s->ext, cap * sizeof *e);
        if (!e)
            return -1;
        s->ext = e, s->capext = cap;
    }
    if (sp->wlen + sp->extent > SPILL_WRITE && write_out(sp) != 0)
        return -1;
    memcpy(sp->w + sp->wlen, s->buf, sp->extent);
    sp->wlen += sp->extent;
    s->ext[s->next++] = sp->size;
    sp->size += sp->extent;
    s->n = 0;
    return 0;
}

void store__spill_add(store__spill *sp, size_t k, const char *text, size_t len)
{
    if (!sp || !sp->ok)
        return;
    if (!text || k >= sp->nstreams || len > sp->extent) {
        abandon(sp);
        return;
    }
    stream *s = sp->s[k];
    size_t part = sp->extent - s->n < len ? sp->extent - s->n : len;
    memcpy(s->buf + s->n, text, part);
    s->n += part;
    if (s->n == sp->extent) {
        if (flush_stream(sp, s) != 0) {
            abandon(sp);
            return;
        }
        memcpy(s->buf, text + part, len - part);
        s->n = len - part;
    }
}

size_t store__spill_streams(const store__spill *sp)
{
    return sp ? sp->nstreams : 0;
}

void store__spill_seal(store__spill *sp)
{
    if (sp && sp->ok && write_out(sp) != 0)
        abandon(sp);
}

int store__spill_feed(const store__spill *sp, size_t k, void (*put)(void *, const void *, size_t),
                      void *ctx)
{
    if (!sp || !sp->ok || k >= sp->nstreams || sp->wlen > 0)
        return -1;
    const stream *s = sp->s[k];
    char *buf = malloc(sp->extent);
    if (!buf)
        return -1;
    int rc = 0;
    for (size_t e = 0; e < s->next && rc == 0; e++) {
        rc = io_all(sp->fd, buf, sp->extent, s->ext[e], 0);
        if (rc == 0)
            put(ctx, buf, sp->extent);
    }
    free(buf);
    if (rc == 0)
        put(ctx, s->buf, s->n);
    return rc;
}
