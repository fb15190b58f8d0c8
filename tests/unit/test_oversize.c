/* test_oversize.c
 * Frames larger than they can have been on a wire: over the link MTU
 * (Ethernet default, PPPoE, the user's preference), over the receiver's
 * announced MSS, or with IPv4 total length 0; and none on loopback.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "analyze_driver.h"
#include "check.h"
#include "fixtures.h"
#include "frames.h"
#include "pmtud_oversize.h"

/* Feeds p; true when the analyzer called it oversize (then o is set). */
static bool over(const pb_t *p, pmtud_oversize_t *o)
{
    CHECK(!feed(p));
    *o = FED.oversize;
    return (FED.has & PMTUD_FED_OVERSIZE) != 0;
}

static void tcp4(pb_t *p, uint32_t payload)
{
    pb_ip4_t h = pb_ip4_make(SRV, CLI, 6, 0x1234);
    pb_init(p);
    pb_frame_tcp4(p, &h, &TCP_DATA, payload, 0);
}

static void test_link_mtu(void)
{
    pb_t p;
    pmtud_oversize_t o;

    reset();
    tcp4(&p, 1460);
    CHECK(!over(&p, &o));                     /* 1500: fits Ethernet */
    tcp4(&p, 2920);
    CHECK(over(&p, &o));
    CHECK_EQ(o.len, 2960);
    CHECK_EQ(o.limit, 1500);
    CHECK_EQ(o.source, PMTUD_LIMIT_LINK_DEFAULT);
    CHECK(!o.by_mss);
    CHECK(!o.len_zero);
    CHECK(o.sender_side);                     /* TTL 64: not routed yet */
    CHECK_EQ(o.family, 4);

    p.b[14 + 8] = 57;                         /* TTL 57: came through routers */
    CHECK(over(&p, &o));
    CHECK(!o.sender_side);

    /* The user's link MTU wins over the default. */
    pmtud_analyzer_set_link_mtu(an, 9000);
    tcp4(&p, 2920);
    CHECK(!over(&p, &o));
    pmtud_analyzer_set_link_mtu(an, 1400);
    tcp4(&p, 1460);
    CHECK(over(&p, &o));
    CHECK_EQ(o.limit, 1400);
    CHECK_EQ(o.source, PMTUD_LIMIT_PREFERENCE);
}

static void test_pppoe_and_loopback(void)
{
    pb_t p;
    pmtud_frame_t f;
    pmtud_oversize_t o;

    pb_init(&p);
    pb_eth(&p, 0x8864);
    pb_pppoes(&p, 0x0021);
    {
        pb_ip4_t h = pb_ip4_make(SRV, CLI, 6, 1);
        size_t off = pb_ip4(&p, &h);
        pb_tcp(&p, &TCP_DATA);
        pb_fill(&p, 1460, 0);
        pb_ip4_end(&p, off);
    }
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK(f.pppoe);
    CHECK(pmtud_judge_oversize(&f, 0, 0, &o));
    CHECK_EQ(o.len, 1500);
    CHECK_EQ(o.limit, 1492);
    CHECK_EQ(o.source, PMTUD_LIMIT_PPPOE);

    /* Loopback carries 64 KiB by design. */
    pb_init(&p);
    pb_null(&p, 2);
    {
        pb_ip4_t h = pb_ip4_make(SRV, CLI, 6, 1);
        size_t off = pb_ip4(&p, &h);
        pb_tcp(&p, &TCP_DATA);
        pb_fill(&p, 8000, 0);
        pb_ip4_end(&p, off);
    }
    CHECK(fr_parse(PMTUD_LINK_NULL, &p, &f));
    CHECK(!pmtud_judge_oversize(&f, 0, 0, &o));
}

static void test_peer_mss(void)
{
    pb_t p;
    pmtud_oversize_t o;

    reset();
    client_syn(1400);
    CHECK(!(FED.has & PMTUD_FED_OVERSIZE));
    tcp4(&p, 1400);
    CHECK(!over(&p, &o));                     /* exactly the MSS */
    tcp4(&p, 1460);                           /* fits the link, not the MSS */
    CHECK(over(&p, &o));
    CHECK(o.by_mss);
    CHECK_EQ(o.len, 1460);
    CHECK_EQ(o.limit, 1400);
    CHECK_EQ(o.source, PMTUD_LIMIT_PEER_MSS);
}

static void test_len_zero(void)
{
    pb_t p;
    pmtud_oversize_t o;

    reset();
    tcp4(&p, 2920);
    pb_ip4_len(&p, 14, 0);
    CHECK(over(&p, &o));
    CHECK(o.len_zero);
    CHECK(o.sender_side);
    CHECK_EQ(o.len, 2960);

    /* ICMP frames are never judged. */
    {
        pb_t d, q;
        tcp4(&d, 2920);
        pb_init(&q);
        pb_frame_ptb4(&q, RTR, SRV, 1500, d.b + 14, d.len - 14);
        CHECK(feed(&q));
        CHECK(!(FED.has & PMTUD_FED_OVERSIZE));
    }
}

int main(void)
{
    RUN(test_link_mtu);
    RUN(test_pppoe_and_loopback);
    RUN(test_peer_mss);
    RUN(test_len_zero);
    pmtud_analyzer_free(an);
    return check_done();
}
