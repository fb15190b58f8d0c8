/* test_index.c
 * pmtud_index: capacity rounding, walk order, forgetting after the ring
 * wraps, and flows that share a hash bucket.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "check.h"
#include "pmtud_index.h"

static pmtud_flow_t flow(uint16_t sport)
{
    pmtud_flow_t f;
    memset(&f, 0, sizeof f);
    f.family = 4;
    f.proto = 6;
    f.sport = sport;
    f.dport = 80;
    f.src[0] = 192, f.src[1] = 0, f.src[2] = 2, f.src[3] = 10;
    f.dst[0] = 203, f.dst[1] = 0, f.dst[2] = 113, f.dst[3] = 45;
    return f;
}

static void add(pmtud_index_t *ix, const pmtud_flow_t *fl, uint32_t frame)
{
    pmtud_rec_t r;
    memset(&r, 0, sizeof r);
    r.flow = *fl;
    r.frame = frame;
    r.seq = frame * 1000u;
    pmtud_index_add(ix, &r);
}

/* Collects the frames a walk visits, in visiting order. */
typedef struct {
    uint32_t frames[4096];
    uint32_t n;
    uint32_t stop_after;   /* 0: never stop */
} seen_t;

static bool record(const pmtud_rec_t *r, void *ctx)
{
    seen_t *s = ctx;
    if (s->n < sizeof s->frames / sizeof s->frames[0])
        s->frames[s->n] = r->frame;
    s->n++;
    return s->stop_after == 0 || s->n < s->stop_after;
}

static seen_t *walk(const pmtud_index_t *ix, const pmtud_flow_t *fl, uint32_t max_steps,
                    uint32_t stop_after)
{
    static seen_t s;
    memset(&s, 0, sizeof s);
    s.stop_after = stop_after;
    pmtud_index_walk(ix, fl, max_steps, record, &s);
    return &s;
}

static void test_capacity(void)
{
    static const struct { uint32_t asked, got; } cases[] = {
        { 0, 1024 }, { 1, 1024 }, { 1024, 1024 }, { 1025, 2048 },
        { 5000, 8192 }, { 65536, 65536 },
    };
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pmtud_index_t *ix = pmtud_index_new(cases[i].asked);
        CHECK(ix != NULL);
        if (ix)
            CHECK_EQ(pmtud_index_capacity(ix), cases[i].got);
        pmtud_index_free(ix);
    }
    pmtud_index_free(NULL);   /* allowed, like free() */
}

static void test_walk_order(void)
{
    pmtud_index_t *ix = pmtud_index_new(0);
    pmtud_flow_t a = flow(1000), b = flow(1001);
    const pmtud_rec_t *latest;
    pmtud_rec_t r;
    seen_t *s;
    uint32_t i;

    CHECK(pmtud_index_latest(ix, &a) == NULL);
    for (i = 1; i <= 5; i++) {
        add(ix, &a, 2 * i - 1);
        add(ix, &b, 2 * i);
    }
    s = walk(ix, &a, 1000, 0);
    CHECK_EQ(s->n, 5);
    CHECK_EQ(s->frames[0], 9);
    CHECK_EQ(s->frames[1], 7);
    CHECK_EQ(s->frames[2], 5);
    CHECK_EQ(s->frames[3], 3);
    CHECK_EQ(s->frames[4], 1);

    s = walk(ix, &b, 1000, 0);
    CHECK_EQ(s->n, 5);
    CHECK_EQ(s->frames[0], 10);
    CHECK_EQ(s->frames[4], 2);

    /* The visitor stops the walk by returning false. */
    s = walk(ix, &a, 1000, 2);
    CHECK_EQ(s->n, 2);
    CHECK_EQ(s->frames[1], 7);

    latest = pmtud_index_latest(ix, &a);
    CHECK(latest != NULL);
    if (latest) {
        CHECK_EQ(latest->frame, 9);
        CHECK_EQ(latest->seq, 9000);
        CHECK_EQ(latest->serial, 9);
    }

    /* add returns the stored copy, with serial and chain link set. */
    memset(&r, 0, sizeof r);
    r.flow = a;
    r.frame = 11;
    r.serial = 999;   /* ignored: the index numbers records itself */
    {
        pmtud_rec_t *stored = pmtud_index_add(ix, &r);
        CHECK_EQ(stored->serial, 11);
        CHECK_EQ(stored->prev, 9);
        CHECK_EQ(stored->frame, 11);
    }
    pmtud_index_free(ix);
}

static void test_max_steps(void)
{
    pmtud_index_t *ix = pmtud_index_new(0);
    pmtud_flow_t a = flow(2000);
    seen_t *s;
    uint32_t i;

    for (i = 1; i <= 100; i++)
        add(ix, &a, i);
    s = walk(ix, &a, 10, 0);
    CHECK_EQ(s->n, 10);
    CHECK_EQ(s->frames[9], 91);
    s = walk(ix, &a, 0, 0);
    CHECK_EQ(s->n, 0);
    pmtud_index_free(ix);
}

static void test_wrap_around(void)
{
    pmtud_index_t *ix = pmtud_index_new(1024);
    pmtud_flow_t a = flow(3000), b = flow(3001);
    seen_t *s;
    uint32_t i;

    /* 1500 records of one flow: only the latest 1024 are remembered. */
    for (i = 1; i <= 1500; i++)
        add(ix, &a, i);
    s = walk(ix, &a, 100000, 0);
    CHECK_EQ(s->n, 1024);
    CHECK_EQ(s->frames[0], 1500);
    CHECK_EQ(s->frames[1023], 477);

    /* One record of a, then a full ring of b over it: a is forgotten. */
    add(ix, &a, 2000);
    for (i = 0; i < 1024; i++)
        add(ix, &b, 3000 + i);
    s = walk(ix, &a, 100000, 0);
    CHECK_EQ(s->n, 0);
    CHECK(pmtud_index_latest(ix, &a) == NULL);
    s = walk(ix, &b, 100000, 0);
    CHECK_EQ(s->n, 1024);
    CHECK_EQ(s->frames[0], 4023);
    CHECK_EQ(s->frames[1023], 3000);

    /* One slot short of a full ring: a survives. */
    add(ix, &a, 5000);
    for (i = 0; i < 1023; i++)
        add(ix, &b, 6000 + i);
    s = walk(ix, &a, 100000, 0);
    CHECK_EQ(s->n, 1);
    CHECK_EQ(s->frames[0], 5000);
    pmtud_index_free(ix);
}

/* Finds a flow that shares a's bucket: after adding a then c, a walk of
 * a limited to one bucket entry sees a only when c went elsewhere. */
static bool find_collision(const pmtud_flow_t *a, pmtud_flow_t *out)
{
    pmtud_index_t *ix = pmtud_index_new(1024);
    uint32_t port;
    bool found = false;

    for (port = 1; port < 65536 && !found; port++) {
        pmtud_flow_t c = flow((uint16_t)port);
        if (pmtud_flow_equal(&c, a))
            continue;
        add(ix, a, 1);
        add(ix, &c, 2);
        if (walk(ix, a, 1, 0)->n == 0) {
            *out = c;
            found = true;
        }
    }
    pmtud_index_free(ix);
    return found;
}

static void test_bucket_collision(void)
{
    pmtud_flow_t a = flow(4000), c;
    pmtud_index_t *ix;
    seen_t *s;
    uint32_t i;

    if (!CHECK(find_collision(&a, &c)))
        return;
    ix = pmtud_index_new(1024);
    for (i = 1; i <= 6; i++)
        add(ix, (i % 2) ? &a : &c, i);
    s = walk(ix, &a, 1000, 0);
    CHECK_EQ(s->n, 3);
    CHECK_EQ(s->frames[0], 5);
    CHECK_EQ(s->frames[1], 3);
    CHECK_EQ(s->frames[2], 1);
    s = walk(ix, &c, 1000, 0);
    CHECK_EQ(s->n, 3);
    CHECK_EQ(s->frames[0], 6);
    CHECK_EQ(s->frames[2], 2);
    CHECK(pmtud_index_latest(ix, &a) != NULL && pmtud_index_latest(ix, &a)->frame == 5);

    /* max_steps counts bucket entries, other flows' included. */
    s = walk(ix, &a, 2, 0);
    CHECK_EQ(s->n, 1);
    CHECK_EQ(s->frames[0], 5);
    pmtud_index_free(ix);
}

static void test_flow_helpers(void)
{
    pmtud_flow_t a = flow(5000), r, rr;

    pmtud_flow_reverse(&a, &r);
    CHECK_EQ(r.sport, 80);
    CHECK_EQ(r.dport, 5000);
    CHECK_EQ(r.src[0], 203);
    CHECK_EQ(r.dst[0], 192);
    CHECK_EQ(r.proto, 6);
    CHECK(!pmtud_flow_equal(&a, &r));
    pmtud_flow_reverse(&r, &rr);
    CHECK(pmtud_flow_equal(&a, &rr));
}

/* A keyed hash: flows that collide under one key (what a crafted capture
 * would be built for) are spread apart under another, and the index works
 * the same under any key. */
static void test_hash_key(void)
{
    pmtud_flow_t a = flow(4000), c;
    uint32_t spread = 0, k;
    seen_t *s;
    pmtud_index_t *ix;

    pmtud_flow_hash_set_key(0);
    if (!CHECK(find_collision(&a, &c)))
        return;
    for (k = 1; k <= 64; k++) {
        pmtud_flow_hash_set_key(0x9e3779b97f4a7c15ull * k);
        if (((pmtud_flow_hash(&a) ^ pmtud_flow_hash(&c)) & 1023) != 0)
            spread++;
    }
    /* 1024 buckets: a collision survives a new key 1 time in 1024. */
    CHECK(spread >= 62);
    CHECK(pmtud_flow_hash(&a) != 0 || pmtud_flow_hash(&c) != 0);

    pmtud_flow_hash_set_key(0x0123456789abcdefull);
    ix = pmtud_index_new(1024);
    add(ix, &a, 1);
    add(ix, &c, 2);
    add(ix, &a, 3);
    s = walk(ix, &a, 1000, 0);
    CHECK_EQ(s->n, 2);
    CHECK_EQ(s->frames[0], 3);
    CHECK_EQ(s->frames[1], 1);
    pmtud_index_free(ix);
    pmtud_flow_hash_set_key(0);
}

int main(void)
{
    RUN(test_capacity);
    RUN(test_walk_order);
    RUN(test_max_steps);
    RUN(test_wrap_around);
    RUN(test_bucket_collision);
    RUN(test_flow_helpers);
    RUN(test_hash_key);
    return check_done();
}
