/* test_match.c
 * pmtud_analyze, matching: which captured frame an ICMP quote was cut
 * from (TCP sequence range, IP ID, payload bytes, the latest copy) and
 * which wire frames a merged quoted packet covers.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "analyze_driver.h"
#include "check.h"
#include "fixtures.h"

/* --- matching ---------------------------------------------------------- */

static void test_tcp_seq_inside(void)
{
    pb_t s1, s2, q;

    reset();
    srv_seg(&s1, SEQ, 1460, 0x0001, 1);
    srv_seg(&s2, SEQ + 1460, 1460, 0x0002, 2);

    /* seq inside [SEQ + 1460, SEQ + 2920) of frame 2; the ID matches nothing. */
    patched32(&q, &s2, OFF_TCP_SEQ, SEQ + 1460 + 500);
    pb_set16(&q, OFF_IP_ID, 0x9999);
    CHECK(ptb4(&q, 1400, 0));
    CHECK_EQ(R.quoted_frame, 2);

    /* The first byte of frame 1. */
    patched16(&q, &s1, OFF_IP_ID, 0x9999);
    CHECK(ptb4(&q, 1400, 0));
    CHECK_EQ(R.quoted_frame, 1);

    /* One past the end of frame 2, and one before frame 1: no match. */
    patched32(&q, &s2, OFF_TCP_SEQ, SEQ + 2920);
    CHECK(ptb4(&q, 1400, 0));
    CHECK_EQ(R.quoted_frame, 0);
    CHECK_EQ(R.verdicts, PMTUD_V_NOT_CAPTURED);
    patched32(&q, &s1, OFF_TCP_SEQ, SEQ - 1);
    CHECK(ptb4(&q, 1400, 0));
    CHECK_EQ(R.quoted_frame, 0);
}

static void test_ip_id_retransmissions(void)
{
    pb_t s[3], q;

    reset();
    srv_seg(&s[0], SEQ, 1000, 0x0010, 7);
    srv_seg(&s[1], SEQ, 1000, 0x0011, 7);
    srv_seg(&s[2], SEQ, 1000, 0x0012, 7);

    CHECK(ptb4(&s[1], 1000, 0));
    CHECK_EQ(R.quoted_frame, 2);
    expect_covered(1, 2, 0, 0);
    CHECK(ptb4(&s[0], 1000, 0));
    CHECK_EQ(R.quoted_frame, 1);
    CHECK(ptb4(&s[2], 1000, 0));
    CHECK_EQ(R.quoted_frame, 3);

    /* An ID none of them had: nothing tells, so the latest. */
    patched16(&q, &s[0], OFF_IP_ID, 0x5555);
    CHECK(ptb4(&q, 1000, 0));
    CHECK_EQ(R.quoted_frame, 3);
}

static void test_zero_length_ignored(void)
{
    pb_t ack, d, q, other;
    pb_ip4_t h = pb_ip4_make(SRV, CLI, 6, 0x0009);
    pb_tcp_t t = { 80, 49321, SEQ, 0x7c1e9ad3u, PB_ACK, 0 };

    reset();
    /* A pure ACK with sequence number SEQ and IP ID 9, then the data. */
    pb_init(&ack);
    pb_frame_tcp4(&ack, &h, &t, 0, 0);
    CHECK(!feed(&ack));
    srv_seg(&d, SEQ, 1000, 0x0007, 3);

    /* The quote carries the ACK's IP ID: the ACK still cannot be it. */
    patched16(&q, &d, OFF_IP_ID, 0x0009);
    CHECK(ptb4(&q, 1000, 0));
    CHECK_EQ(R.quoted_frame, 2);

    /* A flow that only ever sent a zero-length segment: not captured. */
    t.sport = 81;
    pb_init(&other);
    pb_frame_tcp4(&other, &h, &t, 0, 0);
    CHECK(!feed(&other));
    patched16(&q, &d, OFF_SPORT, 81);
    CHECK(ptb4(&q, 1000, 0));
    CHECK_EQ(R.quoted_frame, 0);
    CHECK(R.verdicts & PMTUD_V_NOT_CAPTURED);
}

static void test_udp_payload_choice(void)
{
    pb_t d1, d2, d3;

    /* Same addresses, ports, IP ID 0, length: only the bytes differ. */
    reset();
    udp_dgram(&d1, 0, 1472, 0x9c);
    udp_dgram(&d2, 0, 1472, 0xb5);
    udp_dgram(&d3, 0, 1472, 0x11);

    CHECK(ptb4(&d2, 1400, 0));
    CHECK_EQ(R.quoted_frame, 2);
    CHECK_EQ(R.verdicts, PMTUD_V_LEGITIMATE);
    expect_covered(1, 2, 0, 0);
    CHECK(ptb4(&d1, 1400, 0));
    CHECK_EQ(R.quoted_frame, 1);
    CHECK_EQ(R.proto, 17);
    CHECK_EQ(R.sport, 41000);
    CHECK_EQ(R.dport, 50000);
}

static void test_latest_when_undecided(void)
{
    pb_t d1, d2, d3;

    /* Three identical datagrams: the latest is the one the router saw. */
    reset();
    udp_dgram(&d1, 0, 1472, 0x20);
    udp_dgram(&d2, 0, 1472, 0x20);
    udp_dgram(&d3, 0, 1472, 0x20);
    CHECK(ptb4(&d1, 1400, 0));
    CHECK_EQ(R.quoted_frame, 3);

    /* Different payloads, but the quote holds none of them (28 bytes). */
    reset();
    udp_dgram(&d1, 0, 1472, 0x20);
    udp_dgram(&d2, 0, 1472, 0x30);
    {
        pb_t p;
        pb_init(&p);
        pb_frame_ptb4(&p, RTR, SRV, 1400, d1.b + 14, 28);
        CHECK(feed(&p));
        CHECK_EQ(R.quoted_frame, 2);
    }
}

/* --- covered frames ---------------------------------------------------- */

static void test_merged_tcp(void)
{
    pb_t s1, s2, s1b, s2b;

    reset();
    srv_seg(&s1, SEQ, 1460, 0x0c32, 1);
    srv_seg(&s2, SEQ + 1460, 1460, 0x0c33, 2);
    CHECK(ptb4(&s1, 1500, 2960));   /* frame 3 */
    CHECK_EQ(R.icmp_frame, 3);
    CHECK_EQ(R.verdicts, PMTUD_V_OFFLOAD);
    CHECK_EQ(R.quoted_frame, 1);
    CHECK_EQ(R.quoted_len, 2960);
    CHECK_EQ(R.wire_len, 1500);
    CHECK_EQ(R.excess, 1460);
    CHECK_EQ(R.rejected_len, 2960);
    CHECK_EQ(R.payload_len, 1460);
    CHECK_EQ(R.mtu, 1500);
    CHECK_EQ(R.peer_mss, 0);
    CHECK(R.has_quote);
    CHECK_EQ(R.family, 4);
    CHECK_EQ(R.router_family, 4);
    CHECK_MEM(R.router, RTR, 4);
    CHECK_MEM(R.sender, SRV, 4);
    CHECK_MEM(R.receiver, CLI, 4);
    CHECK_EQ(R.proto, 6);
    CHECK_EQ(R.sport, 80);
    CHECK_EQ(R.dport, 49321);
    expect_covered(2, 1, 2, 0);

    /* Segment 1 resent (frame 4), merged again with segment 2 (frame 2):
     * the matched frame is the higher number; covered stays ascending. */
    srv_seg(&s1b, SEQ, 1460, 0x0c34, 1);
    CHECK(ptb4(&s1b, 1500, 2960));  /* frame 5 */
    CHECK_EQ(R.quoted_frame, 4);
    expect_covered(2, 2, 4, 0);

    /* Segment 2 resent too (frame 6): its latest copy counts. */
    srv_seg(&s2b, SEQ + 1460, 1460, 0x0c35, 2);
    CHECK(ptb4(&s1b, 1500, 2960));  /* frame 7 */
    CHECK_EQ(R.quoted_frame, 4);
    expect_covered(2, 4, 6, 0);
    CHECK_EQ(R.verdicts, PMTUD_V_OFFLOAD);
}

static void test_merged_udp(void)
{
    pb_t d1, d2, d3, q;

    reset();
    udp_dgram(&d1, 0x4d10, 1000, 0x10);
    udp_dgram(&d2, 0x4d11, 1000, 0x20);
    udp_dgram(&d3, 0x4d12, 1000, 0x30);

    /* 1 + 2 merged: IP 2028, UDP 2008. */
    patched16(&q, &d1, OFF_UDP_LEN, 2008);
    CHECK(ptb4(&q, 1400, 2028));
    CHECK_EQ(R.verdicts, PMTUD_V_OFFLOAD);
    CHECK_EQ(R.quoted_frame, 1);
    CHECK_EQ(R.quoted_len, 2028);
    CHECK_EQ(R.wire_len, 1028);
    CHECK_EQ(R.excess, 1000);
    expect_covered(2, 1, 2, 0);

    /* All three. */
    patched16(&q, &d1, OFF_UDP_LEN, 3008);
    CHECK(ptb4(&q, 1400, 3028));
    expect_covered(3, 1, 2, 3);

    /* Lengths that do not add up: only the matched datagram is named. */
    patched16(&q, &d1, OFF_UDP_LEN, 2500);
    CHECK(ptb4(&q, 1400, 2520));
    CHECK_EQ(R.verdicts, PMTUD_V_OFFLOAD);
    expect_covered(1, 1, 0, 0);

    /* No usable UDP length: the IP length tells. */
    patched16(&q, &d1, OFF_UDP_LEN, 0);
    CHECK(ptb4(&q, 1400, 2028));
    expect_covered(2, 1, 2, 0);

    /* Starting at datagram 2 (its ID and bytes). */
    patched16(&q, &d2, OFF_UDP_LEN, 2008);
    CHECK(ptb4(&q, 1400, 2028));
    CHECK_EQ(R.quoted_frame, 2);
    expect_covered(2, 2, 3, 0);
}

/* Zero-length segments inside the quoted range carry none of its bytes. */
static void test_merged_tcp_skips_acks(void)
{
    pb_t s1, ack, s2;
    pb_ip4_t h = pb_ip4_make(SRV, CLI, 6, 0x0c40);
    pb_tcp_t t = { 80, 49321, SEQ + 1460, 0x7c1e9ad3u, PB_ACK, 0 };

    reset();
    srv_seg(&s1, SEQ, 1460, 0x0c3f, 1);
    pb_init(&ack);
    pb_frame_tcp4(&ack, &h, &t, 0, 0);   /* window update, seq inside */
    CHECK(!feed(&ack));
    srv_seg(&s2, SEQ + 1460, 1460, 0x0c41, 2);
    CHECK(ptb4(&s1, 1500, 2960));
    expect_covered(2, 1, 3, 0);
}

/* GRO can merge more segments than PMTUD_MAX_COVERED (64 KB of small
 * segments): 40 segments of 100 bytes, quoted as one 4040-byte packet.
 * The list is cut at 32 and says so; the frames kept should be the first
 * 32 of the packet, so that the list reads "1, 2, ... 32 (and more)".
 * Regression test (a bug, fixed; plugin/pmtud_analyze.c cover_tcp/collect_covered):
 * the walk runs from the latest frame back, so the list holds frame 1
 * (the match) and frames 10..40, and frames 2..9 are neither named nor
 * marked, while the message's "(and more)" suggests frames after 40. */
static void test_merged_tcp_truncated(void)
{
    pb_t s, first;
    uint32_t i;
    bool ascending = true;

    reset();
    srv_seg(&first, SEQ, 100, 0x1000, 0);
    for (i = 1; i < 40; i++)
        srv_seg(&s, SEQ + 100 * i, 100, (uint16_t)(0x1000 + i), (uint8_t)i);
    CHECK(ptb4(&first, 1500, 4040));
    CHECK_EQ(R.verdicts, PMTUD_V_OFFLOAD);
    CHECK_EQ(R.quoted_frame, 1);
    CHECK_EQ(R.n_covered, PMTUD_MAX_COVERED);
    CHECK(R.covered_truncated);
    CHECK_EQ(R.covered[0], 1);
    for (i = 1; i < R.n_covered && i < PMTUD_MAX_COVERED; i++)
        ascending = ascending && R.covered[i - 1] < R.covered[i];
    CHECK(ascending);
    CHECK_EQ(R.covered[1], 2);
    CHECK_EQ(R.covered[PMTUD_MAX_COVERED - 1], 32);
}

/* A busy UDP flow: 100 more datagrams leave before the ICMP for the
 * first one comes back (about 1 ms at 1 Gbit/s). The quote's IP ID and
 * bytes match datagram 1 only.
 * Regression test (a bug, fixed; plugin/pmtud_analyze.c collect_candidate/choose,
 * MAX_CANDIDATES 64): UDP candidates are the flow's latest 64 datagrams,
 * whatever their ID or bytes; datagram 1 is never among them, the ID and
 * payload filters find no match and keep all 64, and the latest (frame
 * 101) is reported as the quoted frame: a wrong link, and for a merged
 * quote a wrong "offload" naming the wrong frames. */
static void test_udp_match_far_back(void)
{
    pb_t d1, d, q;
    uint32_t i;

    reset();
    udp_dgram(&d1, 0x5000, 100, 0);
    for (i = 1; i <= 100; i++)
        udp_dgram(&d, (uint16_t)(0x5000 + i), 100, (uint8_t)(i + 1));
    CHECK(ptb4(&d1, 120, 0));
    CHECK_EQ(R.quoted_frame, 1);
    CHECK_EQ(R.verdicts, PMTUD_V_LEGITIMATE);

    /* Datagrams 1 + 2 + 3 merged, quoted after the same 100. */
    patched16(&q, &d1, OFF_UDP_LEN, 308);
    CHECK(ptb4(&q, 200, 328));
    CHECK_EQ(R.quoted_frame, 1);
    CHECK_EQ(R.verdicts, PMTUD_V_OFFLOAD);
    expect_covered(3, 1, 2, 3);
}

/* Sequence numbers wrap at 2^32: inside-ness and coverage must too. */
static void test_seq_wrap(void)
{
    pb_t s1, s2, q;
    const uint32_t start = 0xfffffc00u;           /* 1024 bytes before the wrap */

    reset();
    srv_seg(&s1, start, 1460, 0x0100, 1);
    srv_seg(&s2, start + 1460, 1460, 0x0101, 2); /* 0xfffffc00 + 1460 = 0x1b4 */
    CHECK_EQ(start + 1460, 0x1b4u);

    patched32(&q, &s1, OFF_TCP_SEQ, 0x10);        /* after the wrap, in frame 1 */
    pb_set16(&q, OFF_IP_ID, 0x9999);
    CHECK(ptb4(&q, 1400, 0));
    CHECK_EQ(R.quoted_frame, 1);

    CHECK(ptb4(&s1, 1500, 2960));
    CHECK_EQ(R.verdicts, PMTUD_V_OFFLOAD);
    expect_covered(2, 1, 2, 0);
}

int main(void)
{
    RUN(test_tcp_seq_inside);
    RUN(test_ip_id_retransmissions);
    RUN(test_zero_length_ignored);
    RUN(test_udp_payload_choice);
    RUN(test_latest_when_undecided);
    RUN(test_merged_tcp);
    RUN(test_merged_tcp_skips_acks);
    RUN(test_merged_tcp_truncated);
    RUN(test_merged_udp);
    RUN(test_udp_match_far_back);
    RUN(test_seq_wrap);
    pmtud_analyzer_free(an);
    return check_done();
}
