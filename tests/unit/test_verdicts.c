/* test_verdicts.c
 * pmtud_analyze, verdicts: offload (merged and at the capture point),
 * rewritten quote, bogus and zero MTU, not captured, legitimate; with the
 * lengths each verdict is judged on.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "analyze_driver.h"
#include "check.h"
#include "fixtures.h"

#define MSS 1460u   /* announced by both ends */

static void test_rewritten(void)
{
    pb_t d;

    reset();
    srv_seg(&d, SEQ, 1460, 0x6d2a, 5);
    /* The router set the quoted length to the 548 bytes it quoted. */
    CHECK(ptb4(&d, 1400, 548));
    CHECK_EQ(R.quoted_frame, 1);
    CHECK_EQ(R.quoted_len, 548);
    CHECK_EQ(R.wire_len, 1500);
    CHECK_EQ(R.excess, -952);
    CHECK_EQ(R.rejected_len, 1500);
    /* Still a genuine PMTU signal: 1500 on the wire > MTU 1400. */
    CHECK_EQ(R.verdicts, PMTUD_V_REWRITTEN | PMTUD_V_LEGITIMATE);
    expect_covered(1, 1, 0, 0);

    /* Judged against the wire length: MTU 1500 is not below 1500. */
    CHECK(ptb4(&d, 1500, 548));
    CHECK_EQ(R.rejected_len, 1500);
    CHECK_EQ(R.verdicts, PMTUD_V_REWRITTEN | PMTUD_V_BOGUS_MTU);
}

static void test_bogus_mtu(void)
{
    pb_t d, d6;
    pb_ip6_t h6;
    pb_tcp_t t = { 80, 49321, SEQ, 0x7c1e9ad3u, PB_ACK, 0 };

    reset();
    srv_seg(&d, SEQ, 1460, 0x6d2a, 5);
    CHECK(ptb4(&d, 1500, 0));
    CHECK_EQ(R.verdicts, PMTUD_V_BOGUS_MTU);
    CHECK_EQ(R.rejected_len, 1500);
    CHECK(ptb4(&d, 9000, 0));
    CHECK_EQ(R.verdicts, PMTUD_V_BOGUS_MTU);
    CHECK(ptb4(&d, 67, 0));
    CHECK_EQ(R.verdicts, PMTUD_V_BOGUS_MTU);
    CHECK(ptb4(&d, 68, 0));
    CHECK_EQ(R.verdicts, PMTUD_V_LEGITIMATE);
    CHECK(ptb4(&d, 1499, 0));
    CHECK_EQ(R.verdicts, PMTUD_V_LEGITIMATE);

    memcpy(h6.src, SRV6, 16);
    memcpy(h6.dst, CLI6, 16);
    pb_init(&d6);
    pb_frame_tcp6(&d6, &h6, &t, 1440, 9);
    CHECK(!feed(&d6));
    CHECK(ptb6(&d6, 1279));
    CHECK_EQ(R.family, 6);
    CHECK_EQ(R.verdicts, PMTUD_V_BOGUS_MTU);
    CHECK(ptb6(&d6, 1280));
    CHECK_EQ(R.verdicts, PMTUD_V_LEGITIMATE);
    CHECK(ptb6(&d6, 1500));
    CHECK_EQ(R.verdicts, PMTUD_V_BOGUS_MTU);

    CHECK_EQ(pmtud_min_mtu(4), 68);
    CHECK_EQ(pmtud_min_mtu(6), 1280);
}

static void test_mtu_zero(void)
{
    pb_t d;

    reset();
    srv_seg(&d, SEQ, 1460, 0x6d2a, 5);
    CHECK(ptb4(&d, 0, 0));
    CHECK_EQ(R.mtu, 0);
    CHECK_EQ(R.verdicts, PMTUD_V_MTU_ZERO);   /* not bogus, not legitimate */
    CHECK_EQ(R.quoted_frame, 1);
}

static void test_not_captured(void)
{
    pb_t d, q, p;

    reset();
    srv_seg(&d, SEQ, 1460, 0x6d2a, 5);

    /* Another client port: a flow the capture never saw. */
    patched16(&q, &d, OFF_DPORT, 49999);
    CHECK(ptb4(&q, 1400, 0));
    CHECK_EQ(R.verdicts, PMTUD_V_NOT_CAPTURED);
    CHECK_EQ(R.quoted_frame, 0);
    CHECK_EQ(R.n_covered, 0);
    CHECK_EQ(R.wire_len, 0);
    CHECK_EQ(R.rejected_len, 1500);
    CHECK_EQ(R.quoted_len, 1500);
    CHECK(R.has_quote);
    CHECK_EQ(R.dport, 49999);

    /* Not captured and an MTU no smaller than the quoted length. */
    CHECK(ptb4(&q, 1500, 0));
    CHECK_EQ(R.verdicts, PMTUD_V_NOT_CAPTURED | PMTUD_V_BOGUS_MTU);

    /* A quote cut inside the IP header. */
    pb_init(&p);
    pb_frame_ptb4(&p, RTR, SRV, 1400, d.b + 14, 8);
    CHECK(feed(&p));
    CHECK_EQ(R.verdicts, PMTUD_V_NOT_CAPTURED | PMTUD_V_QUOTE_SHORT);
    CHECK(!R.has_quote);
    CHECK_EQ(R.family, 4);

    /* Ports but no sequence number: better no link than a wrong one. */
    pb_init(&p);
    pb_frame_ptb4(&p, RTR, SRV, 1400, d.b + 14, 24);
    CHECK(feed(&p));
    CHECK_EQ(R.quoted_frame, 0);
    CHECK_EQ(R.verdicts, PMTUD_V_NOT_CAPTURED);

    /* Forgotten: more than the window's worth of frames since. */
    reset();
    srv_seg(&d, SEQ, 1460, 0x6d2a, 5);
    {
        uint32_t i;
        pb_t o;
        for (i = 0; i < 1100; i++)
            udp_dgram(&o, (uint16_t)i, 100, 0);
    }
    CHECK(ptb4(&d, 1400, 0));
    CHECK_EQ(R.quoted_frame, 0);
    CHECK_EQ(R.verdicts, PMTUD_V_NOT_CAPTURED);

    /* Within the window it is still found. */
    reset();
    srv_seg(&d, SEQ, 1460, 0x6d2a, 5);
    {
        uint32_t i;
        pb_t o;
        for (i = 0; i < 1000; i++)
            udp_dgram(&o, (uint16_t)i, 100, 0);
    }
    CHECK(ptb4(&d, 1400, 0));
    CHECK_EQ(R.quoted_frame, 1);
}

static void test_sender_tso(void)
{
    pb_t big, d;
    pb_ip4_t hs = pb_ip4_make(SRV, CLI, 6, 0x8f70);
    pb_tcp_t data = { 80, 49500, SEQ, 0x7c1e9a53u, PB_ACK | PB_PSH, 0 };

    reset();
    handshake(49500, MSS, 0, 0x4102);
    pb_init(&big);
    pb_frame_tcp4(&big, &hs, &data, 2 * MSS, 0x42);   /* frame 4: IP 2960 */
    CHECK(!feed(&big));

    CHECK(ptb4(&big, 1500, 0));
    CHECK_EQ(R.verdicts, PMTUD_V_OFFLOAD_MSS);
    CHECK_EQ(R.quoted_frame, 4);
    CHECK_EQ(R.quoted_len, 2960);
    CHECK_EQ(R.wire_len, 2960);
    CHECK_EQ(R.excess, 0);
    CHECK_EQ(R.payload_len, 2920);
    CHECK_EQ(R.peer_mss, MSS);
    CHECK_EQ(R.rejected_len, 2960);
    expect_covered(1, 4, 0, 0);

    /* One segment of exactly the MSS: a real smaller MTU. */
    data.seq = SEQ + 2 * MSS;
    hs.id++;
    pb_init(&d);
    pb_frame_tcp4(&d, &hs, &data, MSS, 0x43);
    CHECK(!feed(&d));
    CHECK(ptb4(&d, 1400, 0));
    CHECK_EQ(R.peer_mss, MSS);
    CHECK_EQ(R.verdicts, PMTUD_V_LEGITIMATE);

    /* Without the handshake nothing says the frame is too big. */
    reset();
    CHECK(!feed(&big));
    CHECK(ptb4(&big, 1500, 0));
    CHECK_EQ(R.peer_mss, 0);
    CHECK_EQ(R.verdicts, PMTUD_V_LEGITIMATE);

    /* Captured above TSO with IP total length 0: the wire length counts. */
    reset();
    {
        pb_t z = big;
        pb_ip4_len(&z, 14, 0);
        CHECK(!feed_wire(&z, (uint32_t)z.len));
    }
    CHECK(ptb4(&big, 1500, 0));
    CHECK_EQ(R.quoted_frame, 1);
    CHECK_EQ(R.wire_len, 2960);
    CHECK_EQ(R.payload_len, 2920);
}

static void test_legitimate(void)
{
    pb_t d, d6;
    pb_ip6_t h6;
    pb_tcp_t t = { 80, 49321, SEQ, 0x7c1e9ad3u, PB_ACK, 0 };

    reset();
    srv_seg(&d, SEQ, 1460, 0x6d2a, 5);
    CHECK(ptb4(&d, 1400, 0));
    CHECK_EQ(R.verdicts, PMTUD_V_LEGITIMATE);
    CHECK_EQ(R.quoted_frame, 1);
    CHECK_EQ(R.quoted_len, 1500);
    CHECK_EQ(R.wire_len, 1500);
    CHECK_EQ(R.excess, 0);
    CHECK_EQ(R.rejected_len, 1500);
    CHECK_EQ(R.mtu, 1400);
    expect_covered(1, 1, 0, 0);

    reset();
    memcpy(h6.src, SRV6, 16);
    memcpy(h6.dst, CLI6, 16);
    pb_init(&d6);
    pb_frame_tcp6(&d6, &h6, &t, 1440, 9);
    CHECK(!feed(&d6));
    CHECK(ptb6(&d6, 1280));
    CHECK_EQ(R.verdicts, PMTUD_V_LEGITIMATE);
    CHECK_EQ(R.family, 6);
    CHECK_EQ(R.router_family, 6);
    CHECK_MEM(R.router, RTR6, 16);
    CHECK_MEM(R.sender, SRV6, 16);
    CHECK_EQ(R.quoted_frame, 1);
    CHECK_EQ(R.quoted_len, 1500);
    CHECK_EQ(R.wire_len, 1500);
    expect_covered(1, 1, 0, 0);
}

static void test_tunnel_layers(void)
{
    pb_t p, inner, outer;
    pb_ip4_t ho = pb_ip4_make(TUN_A, TUN_B, 47, 0x7777), hi = pb_ip4_make(SRV, CLI, 6, 0x0c32);
    pb_tcp_t t = { 80, 49321, SEQ, 0x7c1e9ad3u, PB_ACK, 0 };
    size_t off, in;

    /* A GRE frame is indexed at both layers. */
    reset();
    pb_init(&p);
    pb_eth(&p, 0x0800);
    off = pb_ip4(&p, &ho);
    pb_gre(&p, 0x0800, false, 0);
    in = pb_ip4(&p, &hi);
    pb_tcp(&p, &t);
    pb_fill(&p, 1400, 0x33);
    pb_ip4_end(&p, in);
    pb_ip4_end(&p, off);
    CHECK(!feed(&p));

    /* A router inside the tunnel quotes the inner packet (1440). */
    pb_init(&inner);
    pb_eth(&inner, 0x0800);
    pb_bytes(&inner, p.b + in, p.len - in);
    CHECK(ptb4(&inner, 1400, 0));
    CHECK_EQ(R.quoted_frame, 1);
    CHECK_EQ(R.quoted_len, 1440);
    CHECK_EQ(R.verdicts, PMTUD_V_LEGITIMATE);

    /* One on the outer path quotes the GRE packet (1464). */
    pb_init(&outer);
    pb_bytes(&outer, p.b, p.len);
    CHECK(ptb4(&outer, 1400, 0));
    CHECK_EQ(R.quoted_frame, 1);
    CHECK_EQ(R.proto, 47);
    CHECK_EQ(R.quoted_len, 1464);
    CHECK_EQ(R.verdicts, PMTUD_V_LEGITIMATE);
}

/* ping -M do -s 1472: the classic PMTUD probe is an ICMP echo request.
 * Regression test (a bug, fixed; plugin/pmtud_analyze.c, pmtud_analyzer_feed: "if
 * (f->is_icmp) { if (!f->is_ptb || !res) return false; ...}"): ICMP
 * frames are never indexed, so a PTB quoting a captured echo request is
 * reported "not captured" and the sentence tells the user to capture
 * closer to the sender although the probe is in the capture. */
static void test_ping_probe(void)
{
    pb_t echo;
    pb_ip4_t h = pb_ip4_make(SRV, CLI, 1, 0x4242);
    size_t off;

    reset();
    pb_init(&echo);
    pb_eth(&echo, 0x0800);
    off = pb_ip4(&echo, &h);
    pb_icmp4(&echo, 8, 0);
    pb_fill(&echo, 1472, 0x61);
    pb_ip4_end(&echo, off);
    CHECK(!feed(&echo));
    CHECK(ptb4(&echo, 1400, 0));
    CHECK_EQ(R.proto, 1);
    CHECK_EQ(R.quoted_frame, 1);
    CHECK_EQ(R.verdicts, PMTUD_V_LEGITIMATE);
}

static void test_feed_returns(void)
{
    pb_t d, p;
    pmtud_frame_t f;

    reset();
    srv_seg(&d, SEQ, 100, 1, 0);   /* data: false (checked inside) */

    /* ICMP echo: ICMP but no PTB. */
    {
        pb_ip4_t h = pb_ip4_make(RTR, SRV, 1, 1);
        size_t off;
        pb_init(&p);
        pb_eth(&p, 0x0800);
        off = pb_ip4(&p, &h);
        pb_icmp4(&p, 8, 0);
        pb_ip4_end(&p, off);
        CHECK(!feed(&p));
    }
    memset(&f, 0, sizeof f);
    CHECK_EQ(pmtud_analyzer_feed(an, 99, 0, &f, &FED), 0);   /* no IP */
    CHECK_EQ(FED.has, 0);
    pmtud_parse_frame(PMTUD_LINK_ETHERNET, d.b, d.len, (uint32_t)d.len, &f);
    CHECK_EQ(pmtud_analyzer_feed(NULL, 99, 0, &f, &FED), 0);
    CHECK_EQ(pmtud_analyzer_feed(an, 99, 0, NULL, &FED), 0);
    pmtud_analyzer_free(NULL);
}

int main(void)
{
    RUN(test_rewritten);
    RUN(test_bogus_mtu);
    RUN(test_mtu_zero);
    RUN(test_not_captured);
    RUN(test_sender_tso);
    RUN(test_legitimate);
    RUN(test_tunnel_layers);
    RUN(test_ping_probe);
    RUN(test_feed_returns);
    pmtud_analyzer_free(an);
    return check_done();
}
