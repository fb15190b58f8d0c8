/* test_conv.c
 * The conversation table (pmtud_conv.c): both directions of a TCP
 * conversation find one entry, each end's MSS apart; owners name the
 * directions (the reverse's is owner ^ 1) and are never reused; a full set
 * gives its least recently used entry to a new conversation.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "check.h"
#include "pmtud_conv.h"

static pmtud_flow_t flow(uint16_t sport, uint16_t dport)
{
    pmtud_flow_t f;
    const uint8_t src[4] = { 192, 0, 2, 10 }, dst[4] = { 203, 0, 113, 45 };
    pmtud_flow_make(&f, 4, 6, src, dst, sport, dport);
    return f;
}

static uint32_t set_of(uint32_t hash)
{
    return (hash >> 1) & (PMTUD_CONV_SETS - 1);
}

static void test_both_directions(void)
{
    pmtud_convs_t *t = pmtud_convs_new();
    pmtud_flow_t a = flow(40000, 80), r;
    uint32_t h, rh;
    pmtud_conv_t *c;

    pmtud_flow_reverse(&a, &r);
    h = pmtud_flow_hash(&a);
    rh = pmtud_flow_hash(&r);
    CHECK_EQ(rh, pmtud_flow_hash_reverse(h));
    CHECK_EQ(pmtud_conversation_key(h), pmtud_conversation_key(rh));
    CHECK(pmtud_conv_find(t, &a, h, false) == NULL);
    c = pmtud_conv_find(t, &a, h, true);
    if (!CHECK(c != NULL))
        return;
    CHECK(pmtud_conv_find(t, &r, rh, false) == c);
    CHECK(pmtud_conv_find(t, &a, h, true) == c);
    /* The client announces 1460, the server 1400: each end's own. */
    pmtud_conv_set_own_mss(c, h, 1460);
    pmtud_conv_set_own_mss(c, rh, 1400);
    CHECK_EQ(pmtud_conv_peer_mss(c, h), 1400);
    CHECK_EQ(pmtud_conv_peer_mss(c, rh), 1460);
    /* Owners: the directions of one conversation differ in bit 0 only. */
    CHECK_EQ(pmtud_conv_owner(c, h) ^ 1u, pmtud_conv_owner(c, rh));
    CHECK(pmtud_conv_owner(c, h) >= 2);
    /* The entry found last answers for both directions without a hash. */
    {
        uint32_t got = 0;
        pmtud_flow_t other = flow(40002, 80);
        CHECK(pmtud_conv_last(t, &r, &got) == c);
        CHECK_EQ(got, rh);
        CHECK(pmtud_conv_last(t, &a, &got) == c);
        CHECK_EQ(got, h);
        CHECK(pmtud_conv_last(t, &other, &got) == NULL);
    }
    /* Another conversation, even between the same hosts, is another entry. */
    {
        pmtud_flow_t b = flow(40001, 80);
        uint32_t hb = pmtud_flow_hash(&b);
        pmtud_conv_t *cb = pmtud_conv_find(t, &b, hb, true);
        CHECK(cb != c);
        CHECK_EQ(pmtud_conv_peer_mss(cb, hb), 0);
        CHECK(pmtud_conv_owner(cb, hb) >> 1 != pmtud_conv_owner(c, h) >> 1);
    }
    pmtud_convs_free(t);
}

/* Five conversations of one set: the fifth takes the place of the least
 * recently used, which is then unknown, and comes back with a new owner. */
static void test_least_recently_used(void)
{
    pmtud_convs_t *t = pmtud_convs_new();
    pmtud_flow_t same[PMTUD_CONV_WAYS + 1];
    uint32_t hash[PMTUD_CONV_WAYS + 1], n = 0, want = 0, port;
    uint64_t old_owner;
    pmtud_conv_t *c;

    /* A set that five source ports hash to (found by counting). */
    static uint8_t count[PMTUD_CONV_SETS];
    memset(count, 0, sizeof count);
    for (port = 1; port < 65536; port++) {
        pmtud_flow_t f = flow((uint16_t)port, 443);
        if (++count[set_of(pmtud_flow_hash(&f))] == PMTUD_CONV_WAYS + 1) {
            want = set_of(pmtud_flow_hash(&f));
            break;
        }
    }
    for (port = 1; port < 65536 && n <= PMTUD_CONV_WAYS; port++) {
        pmtud_flow_t f = flow((uint16_t)port, 443);
        uint32_t h = pmtud_flow_hash(&f);
        if (set_of(h) == want) {
            same[n] = f;
            hash[n++] = h;
        }
    }
    if (!CHECK_EQ(n, PMTUD_CONV_WAYS + 1))
        return;
    for (n = 0; n < PMTUD_CONV_WAYS; n++)
        CHECK(pmtud_conv_find(t, &same[n], hash[n], true) != NULL);
    /* Using the first makes the second the least recent. */
    CHECK(pmtud_conv_find(t, &same[0], hash[0], false) != NULL);
    old_owner = pmtud_conv_owner(pmtud_conv_find(t, &same[1], hash[1], false), hash[1]);
    CHECK(pmtud_conv_find(t, &same[0], hash[0], false) != NULL);
    CHECK(pmtud_conv_find(t, &same[2], hash[2], false) != NULL);
    CHECK(pmtud_conv_find(t, &same[3], hash[3], false) != NULL);
    CHECK(pmtud_conv_find(t, &same[4], hash[4], true) != NULL);
    CHECK(pmtud_conv_find(t, &same[1], hash[1], false) == NULL);
    for (n = 0; n <= PMTUD_CONV_WAYS; n++)
        if (n != 1)
            CHECK(pmtud_conv_find(t, &same[n], hash[n], false) != NULL);
    c = pmtud_conv_find(t, &same[1], hash[1], true);
    CHECK(c != NULL && pmtud_conv_owner(c, hash[1]) != old_owner);
    CHECK(c != NULL && c->mss[0] == 0 && c->mss[1] == 0);
    pmtud_convs_free(t);
}

int main(void)
{
    RUN(test_both_directions);
    RUN(test_least_recently_used);
    return check_done();
}
