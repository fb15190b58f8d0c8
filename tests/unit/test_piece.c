/* test_piece.c
 * A quote that is one wire segment of a frame captured before TSO
 * (pmtud_piece.c): linked to the frame, named (sequence range, index, IP ID
 * offset), the MTU judged against the quoted length, and told apart from a
 * router that rewrote the quoted length.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "analyze_driver.h"
#include "check.h"
#include "fixtures.h"

#define MSS 1460u
#define ID0 0x96eau

/* The handshake (both ends announce MSS 1460) when mss, then frame 1 or 4:
 * a super-frame of n_full full segments and a tail of tail bytes, as tcpdump
 * sees it on a host with TSO on. */
static void super_frame(pb_t *big, bool mss, uint32_t n_full, uint32_t tail)
{
    pb_ip4_t hs = pb_ip4_make(SRV, CLI, 6, ID0);
    pb_tcp_t data = { 80, 49321, SEQ, 0x7c1e9a53u, PB_ACK, 0 };

    reset();
    if (mss)
        handshake(49321, MSS, ID0, 0x4101);
    pb_init(big);
    pb_frame_tcp4(big, &hs, &data, n_full * MSS + tail, 0x10);
    CHECK(!feed(big));
}

/* The wire segment k of the super-frame (payload len) with IP ID ID0 + id_step * k. */
static void wire_segment(pb_t *seg, uint32_t k, uint32_t len, uint16_t id_step)
{
    pb_ip4_t h = pb_ip4_make(SRV, CLI, 6, (uint16_t)(ID0 + id_step * k));
    pb_tcp_t t = { 80, 49321, SEQ + k * MSS, 0x7c1e9a53u, PB_ACK, 0 };

    pb_init(seg);
    pb_frame_tcp4(seg, &h, &t, len, (uint8_t)(0x10 + k * MSS));
}

static void expect_piece(uint32_t k, uint32_t len, bool has_index, uint32_t index,
                         uint16_t id_offset)
{
    CHECK(R.piece.found);
    CHECK_EQ(R.piece.seq, SEQ + k * MSS);
    CHECK_EQ(R.piece.offset, k * MSS);
    CHECK_EQ(R.piece.len, len);
    CHECK_EQ(R.piece.has_index, has_index);
    if (has_index)
        CHECK_EQ(R.piece.index, index);
    CHECK(R.piece.has_id_offset);
    CHECK_EQ(R.piece.id_offset, id_offset);
}

/* The story of netns_sender_tso_tcp4.pcap: each 1500-byte wire segment of a
 * 4420-byte frame rejected with MTU 1400. */
static void test_each_segment(void)
{
    pb_t big, seg;
    uint32_t k, frame;

    super_frame(&big, true, 3, 0);
    frame = frame_no;
    for (k = 0; k < 3; k++) {
        wire_segment(&seg, k, MSS, 1);
        CHECK(ptb4(&seg, 1400, 0));
        CHECK_EQ(R.quoted_frame, frame);
        CHECK_EQ(R.quoted_len, 1500);
        CHECK_EQ(R.wire_len, 4420);
        CHECK_EQ(R.excess, -2920);
        CHECK_EQ(R.rejected_len, 1500);
        CHECK_EQ(R.peer_mss, MSS);
        CHECK_EQ(R.verdicts, PMTUD_V_BEFORE_TSO | PMTUD_V_LEGITIMATE);
        expect_covered(1, frame, 0, 0);
        expect_piece(k, MSS, true, k, (uint16_t)k);
    }
    /* The MTU is judged against the segment: 1500 cannot reject 1500. */
    wire_segment(&seg, 1, MSS, 1);
    CHECK(ptb4(&seg, 1500, 0));
    CHECK_EQ(R.verdicts, PMTUD_V_BEFORE_TSO | PMTUD_V_BOGUS_MTU);
    CHECK_EQ(R.rejected_len, 1500);
}

/* Without the handshake the link MTU (1500) says the frame was too big. */
static void test_by_link_mtu(void)
{
    pb_t big, seg;

    super_frame(&big, false, 3, 0);
    wire_segment(&seg, 2, MSS, 1);
    CHECK(ptb4(&seg, 1400, 0));
    CHECK_EQ(R.peer_mss, 0);
    CHECK_EQ(R.verdicts, PMTUD_V_BEFORE_TSO | PMTUD_V_LEGITIMATE);
    expect_piece(2, MSS, true, 2, 2);
}

/* The last segment is shorter: its index comes from the MSS, or from the
 * IP ID offset when no handshake was captured. */
static void test_short_tail(void)
{
    pb_t big, seg;

    super_frame(&big, true, 2, 500);
    wire_segment(&seg, 2, 500, 1);
    CHECK(ptb4(&seg, 520, 0));
    CHECK_EQ(R.quoted_len, 540);
    CHECK_EQ(R.verdicts, PMTUD_V_BEFORE_TSO | PMTUD_V_LEGITIMATE);
    expect_piece(2, 500, true, 2, 2);

    super_frame(&big, false, 2, 500);
    CHECK(ptb4(&seg, 520, 0));
    CHECK_EQ(R.verdicts, PMTUD_V_BEFORE_TSO | PMTUD_V_LEGITIMATE);
    expect_piece(2, 500, true, 2, 2);
}

/* A NIC that keeps the IP ID fixed ("mangle ID"): the index comes from the
 * sequence offset, and the ID offset is reported as it is (+0). */
static void test_fixed_id(void)
{
    pb_t big, seg;

    super_frame(&big, true, 3, 0);
    wire_segment(&seg, 1, MSS, 0);
    CHECK(ptb4(&seg, 1400, 0));
    CHECK_EQ(R.verdicts, PMTUD_V_BEFORE_TSO | PMTUD_V_LEGITIMATE);
    expect_piece(1, MSS, true, 1, 0);
}

/* What is not a piece. */
static void test_not_a_piece(void)
{
    pb_t big, seg, d;

    /* A router that wrote the 548 bytes it quoted as the length: the quote
     * is complete, so it is a rewrite, judged against the frame. */
    super_frame(&big, true, 3, 0);
    wire_segment(&seg, 0, MSS, 1);
    CHECK(ptb4(&seg, 1400, 548));
    CHECK(!R.piece.found);
    CHECK_EQ(R.verdicts, PMTUD_V_REWRITTEN | PMTUD_V_LEGITIMATE);
    CHECK_EQ(R.rejected_len, 4420);

    /* A frame within the MSS: a shorter quote is a rewrite (quote_rewritten.pcap). */
    reset();
    srv_seg(&d, SEQ, 1460, 0x6d2a, 5);
    patched16(&seg, &d, 14 + 2, 1000);
    CHECK(ptb4(&seg, 900, 0));
    CHECK(!R.piece.found);
    CHECK_EQ(R.verdicts, PMTUD_V_REWRITTEN | PMTUD_V_LEGITIMATE);

    /* A quote bigger than any wire segment (two merged): not a piece. */
    super_frame(&big, true, 3, 0);
    {
        pb_ip4_t h = pb_ip4_make(SRV, CLI, 6, ID0);
        pb_tcp_t t = { 80, 49321, SEQ, 0x7c1e9a53u, PB_ACK, 0 };
        pb_init(&seg);
        pb_frame_tcp4(&seg, &h, &t, 2 * MSS, 0x10);
    }
    CHECK(ptb4(&seg, 1400, 0));
    CHECK(!R.piece.found);
    CHECK(!(R.verdicts & PMTUD_V_BEFORE_TSO));

    /* A quote that runs past the frame's end. */
    super_frame(&big, true, 2, 500);
    wire_segment(&seg, 2, MSS, 1);
    CHECK(ptb4(&seg, 1400, 0));
    CHECK(!R.piece.found);
}

/* IPv6: no ID; the index is the sequence offset over the segment size. */
static void test_ipv6(void)
{
    pb_t big, seg;
    pb_ip6_t h = pb_ip6_make(SRV6, CLI6, 6);
    pb_tcp_t t = { 80, 49321, SEQ, 0x7c1e9a53u, PB_ACK, 0 };

    reset();
    pb_init(&big);
    pb_frame_tcp6(&big, &h, &t, 3 * 1440, 0x10);   /* IP 4380 */
    CHECK(!feed(&big));
    t.seq = SEQ + 2 * 1440;
    pb_init(&seg);
    pb_frame_tcp6(&seg, &h, &t, 1440, 0x10);
    CHECK(ptb6(&seg, 1400));
    CHECK_EQ(R.quoted_frame, 1);
    CHECK_EQ(R.wire_len, 4380);
    CHECK_EQ(R.rejected_len, 1500);
    CHECK_EQ(R.verdicts, PMTUD_V_BEFORE_TSO | PMTUD_V_LEGITIMATE);
    CHECK(R.piece.found);
    CHECK_EQ(R.piece.seq, SEQ + 2 * 1440);
    CHECK_EQ(R.piece.len, 1440);
    CHECK(R.piece.has_index);
    CHECK_EQ(R.piece.index, 2);
    CHECK(!R.piece.has_id_offset);
}

int main(void)
{
    RUN(test_each_segment);
    RUN(test_by_link_mtu);
    RUN(test_short_tail);
    RUN(test_fixed_id);
    RUN(test_not_a_piece);
    RUN(test_ipv6);
    pmtud_analyzer_free(an);
    return check_done();
}
