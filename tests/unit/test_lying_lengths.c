/* test_lying_lengths.c
 * Issue 12: never claim what the bytes do not support. Frames whose IP
 * header claims more than their wire length holds (corrupt or lying length
 * fields, as found in third-party captures) are not oversize, are never
 * matched, covered or counted as "what crossed the wire", and their segment
 * lengths count for neither the sender's reaction nor a black hole. Each
 * test shows the honest twin still speaking, so the silence is not just
 * pmtud being blind.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "analyze_driver.h"
#include "check.h"
#include "fixtures.h"
#include "frames.h"
#include "pmtud_oversize.h"

/* The server's segment at seq with real bytes of payload on the wire, whose
 * IPv4 total length claims claimed bytes of payload. */
static uint32_t liar_seg(pb_t *p, uint32_t seq, uint32_t claimed, uint32_t real, uint16_t id)
{
    pb_ip4_t h = pb_ip4_make(SRV, CLI, 6, id);
    pb_tcp_t t = { 80, 49321, seq, 0x7c1e9ad3u, PB_ACK, 0 };

    pb_init(p);
    pb_frame_tcp4(p, &h, &t, real, 0x11);
    pb_ip4_len(p, 14, (uint16_t)(40 + claimed));
    CHECK(!feed(p));
    return frame_no;
}

/* What the last frame fed was judged oversize as, if it was. */
static bool last_oversize(pmtud_oversize_t *o)
{
    if (!(FED.has & PMTUD_FED_OVERSIZE))
        return false;
    *o = FED.oversize;
    return true;
}

static bool oversize_of(const pb_t *p, uint32_t wire_len, pmtud_oversize_t *o)
{
    CHECK(!feed_wire(p, wire_len));
    return last_oversize(o);
}

/* The issue's three: 29,492 claimed by a 66-byte frame (IPv4), 36,168 by
 * an 86-byte one (IPv6), 2,570 by a 576-byte one. */
static void test_issue_examples(void)
{
    pb_t p;
    pmtud_oversize_t o;
    pmtud_frame_t f;
    pb_ip4_t h = pb_ip4_make(SRV, CLI, 6, 0x1234);
    pb_ip6_t h6 = pb_ip6_make(SRV6, CLI6, 6);

    reset();
    pb_init(&p);
    pb_frame_tcp4(&p, &h, &TCP_DATA, 12, 0);
    pb_ip4_len(&p, 14, 29492);
    CHECK_EQ(p.len, 66);
    CHECK(!oversize_of(&p, 66, &o));
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    f.wire_len = 66;
    CHECK(!pmtud_wire_holds(&f, false));
    CHECK(!pmtud_judge_oversize(&f, 0, 0, &o));
    /* The same bytes cut by the snaplen of a 29,506-byte frame: the wire
     * held it, and it is oversize. */
    f.wire_len = 29506;
    CHECK(pmtud_wire_holds(&f, false));
    CHECK(oversize_of(&p, 29506, &o));
    CHECK_EQ(o.len, 29492);
    CHECK(!oversize_of(&p, 29505, &o));       /* one byte short */

    pb_init(&p);
    pb_frame_tcp6(&p, &h6, &TCP_DATA, 0, 0);
    pb_fill(&p, 86 - p.len, 0);               /* TCP options' worth of bytes */
    pb_set16(&p, 14 + 4, 36168 - 40);
    CHECK_EQ(p.len, 86);
    CHECK(!oversize_of(&p, 86, &o));
    CHECK(oversize_of(&p, 36168 + 14, &o));
    CHECK_EQ(o.len, 36168);
    CHECK_EQ(o.family, 6);

    pb_init(&p);
    pb_frame_tcp4(&p, &h, &TCP_DATA, 576 - 54, 0);
    pb_ip4_len(&p, 14, 2570);
    CHECK_EQ(p.len, 576);
    CHECK(!oversize_of(&p, 576, &o));
    CHECK(oversize_of(&p, 2584, &o));
    CHECK_EQ(o.len, 2570);
}

/* A first fragment's total length is the fragment's: the wire holds it. A
 * 1500-byte first fragment of a 3,000-byte datagram fits Ethernet, whatever
 * its UDP length says; a 2,000-byte one on the wire is really oversize. */
static void test_first_fragment(void)
{
    pb_t p;
    pmtud_oversize_t o;
    pb_ip4_t h = pb_ip4_make(SRV, CLI, 17, 0x4242);

    reset();
    h.df = false;
    h.mf = true;
    pb_init(&p);
    pb_frame_udp4(&p, &h, 41000, 50000, 1472, 0);
    pb_set16(&p, OFF_UDP_LEN, 3008);
    CHECK(!oversize_of(&p, (uint32_t)p.len, &o));

    pb_init(&p);
    pb_frame_udp4(&p, &h, 41000, 50000, 1972, 0);
    pb_set16(&p, OFF_UDP_LEN, 3008);
    CHECK(oversize_of(&p, (uint32_t)p.len, &o));
    CHECK_EQ(o.len, 2000);
}

/* The MSS judgement takes the payload from the IP length: a liar's claimed
 * payload over the peer's MSS is not held against it. */
static void test_mss_liar(void)
{
    pb_t p;
    pmtud_oversize_t o = { 0 };

    reset();
    client_syn(1400);
    liar_seg(&p, SEQ, 1460, 100, 1);
    CHECK(!last_oversize(&o));
    srv_seg(&p, SEQ, 1460, 2, 0);            /* the honest twin */
    CHECK(last_oversize(&o));
    CHECK(o.by_mss);
}

/* In a tunnel the inner packet must fit the outer one's payload, and the
 * outer one the wire. */
static void test_tunnel_liar(void)
{
    pb_t p;
    pmtud_oversize_t o;
    pb_ip4_t ho = pb_ip4_make(TUN_A, TUN_B, 4, 0x7777), hi = pb_ip4_make(SRV, CLI, 6, 0x0c32);
    size_t off, in;

    reset();
    pb_init(&p);
    pb_eth(&p, 0x0800);
    off = pb_ip4(&p, &ho);
    in = pb_ip4(&p, &hi);
    pb_tcp(&p, &TCP_DATA);
    pb_fill(&p, 2000, 0x33);
    pb_ip4_end(&p, in);
    pb_ip4_end(&p, off);
    CHECK(oversize_of(&p, (uint32_t)p.len, &o));   /* honest: inner 2040 */
    CHECK_EQ(o.len, 2040);

    pb_ip4_len(&p, in, 2041);                        /* one byte past the outer payload */
    CHECK(!oversize_of(&p, (uint32_t)p.len, &o));
    pb_ip4_len(&p, in, 2040);
    pb_ip4_len(&p, off, 2100);                       /* the outer claims past the wire */
    CHECK(!oversize_of(&p, (uint32_t)p.len, &o));
}

/* A liar is never the matched frame: its length is no "wire length". */
static void test_offload_and_rewritten(void)
{
    pb_t d, h;

    /* Quoted at 30,000 against a 66-byte frame claiming 29,492: no offload. */
    reset();
    liar_seg(&d, SEQ, 29452, 12, 0x0c32);
    CHECK(ptb4(&d, 1500, 30000));
    CHECK_EQ(R.quoted_frame, 0);
    CHECK(!(R.verdicts & PMTUD_V_OFFLOAD));
    CHECK(R.verdicts & PMTUD_V_NOT_CAPTURED);

    /* Quoted at 1500 against the same liar: not "rewritten by the router". */
    reset();
    liar_seg(&d, SEQ, 29452, 12, 0x0c32);
    CHECK(ptb4(&d, 1400, 1500));
    CHECK_EQ(R.quoted_frame, 0);
    CHECK(!(R.verdicts & PMTUD_V_REWRITTEN));

    /* An honest transmission of the same bytes before the liar is the one
     * matched, and its length is what the quote is held against. */
    reset();
    srv_seg(&h, SEQ, 1460, 0x0c32, 0x11);            /* frame 1 */
    liar_seg(&d, SEQ, 29452, 12, 0x0c32);            /* frame 2, same ID */
    CHECK(ptb4(&h, 1500, 2960));
    CHECK_EQ(R.quoted_frame, 1);
    CHECK_EQ(R.wire_len, 1500);
    CHECK(R.verdicts & PMTUD_V_OFFLOAD);
}

/* offload_mss: the quoted frame's own payload must be one its wire holds. */
static void test_offload_mss_liar(void)
{
    pb_t d;

    reset();
    client_syn(1400);
    liar_seg(&d, SEQ, 1460, 100, 0x0c32);
    CHECK(ptb4(&d, 1492, 0));
    CHECK(!(R.verdicts & PMTUD_V_OFFLOAD_MSS));
    CHECK_EQ(R.quoted_frame, 0);

    srv_seg(&d, SEQ, 1460, 0x0c33, 0x11);            /* the honest twin */
    CHECK(ptb4(&d, 1492, 0));
    CHECK(R.verdicts & PMTUD_V_OFFLOAD_MSS);
}

/* A merged packet's covered frames are the honest segments of its range. */
static void test_covered(void)
{
    pb_t s1, s2, s3;

    reset();
    srv_seg(&s1, SEQ, 1460, 0x0c32, 1);              /* frame 1 */
    liar_seg(&s2, SEQ + 1460, 1460, 100, 0x0c33);    /* frame 2 */
    srv_seg(&s3, SEQ + 2920, 1460, 0x0c34, 3);       /* frame 3 */
    CHECK(ptb4(&s1, 1500, 4420));
    CHECK_EQ(R.quoted_frame, 1);
    CHECK(R.verdicts & PMTUD_V_OFFLOAD);
    expect_covered(2, 1, 3, 0);
}

/* A liar claiming a smaller resend is no "resent smaller: PMTUD worked". */
static void test_reaction(void)
{
    pb_t d, r;
    pmtud_icmp_result_t kept;

    reset();
    srv_seg(&d, SEQ, 1460, 0x6d2a, 5);               /* frame 1 */
    CHECK(ptb4(&d, 1400, 0));                         /* frame 2 */
    kept = R;
    pmtud_analyzer_follow(an, &kept);
    liar_seg(&r, SEQ, 1360, 100, 0x6d2b);            /* frame 3 */
    CHECK_EQ(kept.retransmit_frame, 0);
    srv_seg(&r, SEQ, 1460, 0x6d2c, 5);               /* frame 4: same size */
    cli_ack(SEQ + 1460);                           /* frame 5 */
    CHECK_EQ(kept.retransmit_frame, 4);
    CHECK_EQ(kept.reaction, PMTUD_R_SAME_SIZE_CROSSED);
}

/* A stuck segment "resent" by liars: no black hole. Its honest twin is one. */
static bool black_hole_story(bool lying_resends)
{
    pb_t p;
    int i;

    reset();
    srv_seg(&p, SEQ, 1460, 1, 0);                     /* never acknowledged */
    for (i = 0; i < 2; i++) {
        if (lying_resends)
            liar_seg(&p, SEQ, 1460, 100, (uint16_t)(2 + i));
        else
            srv_seg(&p, SEQ, 1460, (uint16_t)(2 + i), 0);
    }
    srv_seg(&p, SEQ, 536, 4, 0);                      /* the fallback */
    cli_ack(SEQ + 536);
    return (FED.has & PMTUD_FED_BLACKHOLE) && FED.blackhole.tries == 3;
}

static void test_blackhole(void)
{
    CHECK(black_hole_story(false));
    CHECK(!black_hole_story(true));
}

int main(void)
{
    RUN(test_issue_examples);
    RUN(test_first_fragment);
    RUN(test_mss_liar);
    RUN(test_tunnel_liar);
    RUN(test_offload_and_rewritten);
    RUN(test_offload_mss_liar);
    RUN(test_covered);
    RUN(test_reaction);
    RUN(test_blackhole);
    pmtud_analyzer_free(an);
    return check_done();
}
