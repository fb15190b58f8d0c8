/* test_blackhole.c
 * PMTUD black holes (pmtud_blackhole.c, through pmtud_analyzer_feed): a
 * full-size segment resent again and again with no ACK and no ICMP, then
 * resent smaller and acknowledged. Not a black hole: plain loss (the full
 * size is acknowledged in the end), a flow an ICMP quoted, too few tries.
 * Then, straight through pmtud_blackholes_packet, black holes as real
 * stacks fall back, seen from the sender (what was SACKed counts as
 * through; whether the fallback cleared DF; the time lost) and from the
 * receiver (a hole filled seconds later by smaller segments).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "analyze_driver.h"
#include "check.h"
#include "fixtures.h"

#define STUCK (SEQ + 100)   /* the full-size segment after a small one */

/* A small segment that gets through, then the full-size one sent tries
 * times: frames 1 (small), 2 (its ACK), 3 .. 2 + tries. */
static void stuck(uint32_t tries)
{
    pb_t d;
    uint32_t i;

    reset();
    srv_seg(&d, SEQ, 100, 0x100, 1);
    cli_ack(SEQ + 100);
    CHECK(!(FED.has & PMTUD_FED_BLACKHOLE));
    for (i = 0; i < tries; i++) {
        srv_seg(&d, STUCK, 1460, (uint16_t)(0x200 + i), 2);
        CHECK(!(FED.has & PMTUD_FED_BLACKHOLE));
    }
}

static void test_black_hole(void)
{
    pb_t d;
    const pmtud_blackhole_t *bh = &FED.blackhole;

    stuck(3);                                   /* frames 3, 4, 5 */
    srv_seg(&d, STUCK, 1200, 0x300, 2);         /* frame 6: smaller */
    CHECK(!(FED.has & PMTUD_FED_BLACKHOLE));
    cli_ack(STUCK + 1200);                      /* frame 7: it got through */
    if (!CHECK(FED.has & PMTUD_FED_BLACKHOLE))
        return;
    CHECK_EQ(bh->tries, 3);
    CHECK_EQ(bh->n_frames, 3);
    CHECK_EQ(bh->frames[0], 3);
    CHECK_EQ(bh->frames[1], 4);
    CHECK_EQ(bh->frames[2], 5);
    CHECK_EQ(bh->stuck_len, 1500);
    CHECK_EQ(bh->fallback_frame, 6);
    CHECK_EQ(bh->through_len, 1240);            /* the smaller resend */
    CHECK_EQ(bh->through_payload, 1200);
    CHECK(!bh->df_cleared);
    CHECK(!bh->receiver_view);
    /* From the first full-size try (frame 3) to the smaller resend (6). */
    CHECK_EQ(pmtud_blackhole_lost_ns(bh), 3 * ts_step_ns);
    /* Confirmed by the client's ACK, reported on the data's flow: the row
     * of -z pmtud,flows is the server's. */
    {
        pmtud_flow_t data;
        pmtud_flow_reverse(&FED.flow, &data);
        CHECK(pmtud_flow_equal(&bh->flow, &data));
    }
    /* Said once: the next ACK confirms nothing new. */
    cli_ack(STUCK + 1200);
    CHECK(!(FED.has & PMTUD_FED_BLACKHOLE));
}

/* More tries than frames kept: all counted, the first eight named. */
static void test_many_tries(void)
{
    pb_t d;

    stuck(PMTUD_BH_MAX_FRAMES + 3);
    srv_seg(&d, STUCK, 1000, 0x300, 2);
    cli_ack(STUCK + 1000);
    if (!CHECK(FED.has & PMTUD_FED_BLACKHOLE))
        return;
    CHECK_EQ(FED.blackhole.tries, PMTUD_BH_MAX_FRAMES + 3);
    CHECK_EQ(FED.blackhole.n_frames, PMTUD_BH_MAX_FRAMES);
    CHECK_EQ(FED.blackhole.frames[PMTUD_BH_MAX_FRAMES - 1], 2 + PMTUD_BH_MAX_FRAMES);
}

/* The full size was acknowledged in the end: loss, not a black hole. */
static void test_plain_loss(void)
{
    pb_t d;

    stuck(3);
    cli_ack(STUCK + 1460);
    CHECK(!(FED.has & PMTUD_FED_BLACKHOLE));
    srv_seg(&d, STUCK + 1460, 1000, 0x300, 3);
    cli_ack(STUCK + 2460);
    CHECK(!(FED.has & PMTUD_FED_BLACKHOLE));
}

/* An ICMP quoted the flow: its trouble is not silent. */
static void test_icmp_seen(void)
{
    pb_t d;

    stuck(3);
    srv_seg(&d, STUCK, 1460, 0x2ff, 2);          /* a fourth try, quoted */
    CHECK(ptb4(&d, 1400, 0));
    srv_seg(&d, STUCK, 1360, 0x300, 2);
    cli_ack(STUCK + 1360);
    CHECK(!(FED.has & PMTUD_FED_BLACKHOLE));
}

/* Two tries are a retransmission, not yet a black hole. */
static void test_too_few_tries(void)
{
    pb_t d;

    stuck(PMTUD_BH_MIN_TRIES - 1);
    srv_seg(&d, STUCK, 1200, 0x300, 2);
    cli_ack(STUCK + 1200);
    CHECK(!(FED.has & PMTUD_FED_BLACKHOLE));
}

/* --- black holes as real stacks fall back (issue 10, section 5) ------------ */

/* A TCP packet as the parser hands it over, built by hand. */
static pmtud_ip_t tcp_ip(const uint8_t *src, const uint8_t *dst, uint16_t sport, uint16_t dport,
                         uint32_t seq, uint32_t ack, uint32_t payload, bool df)
{
    pmtud_ip_t ip;

    memset(&ip, 0, sizeof ip);
    ip.family = 4;
    ip.proto = PMTUD_PROTO_TCP;
    memcpy(ip.src, src, 4);
    memcpy(ip.dst, dst, 4);
    ip.has_ports = ip.has_seq = ip.has_ack = true;
    ip.sport = sport;
    ip.dport = dport;
    ip.seq = seq;
    ip.ack = ack;
    ip.tcp_flags = PMTUD_TCP_ACK;
    ip.hdr_len = 20;
    ip.l4_hdr_len = 20;
    ip.payload_len = payload;
    ip.ip_len = 40 + payload;
    ip.df = df;
    return ip;
}

typedef struct {
    pmtud_blackholes_t *bh;
    pmtud_flow_t data, ack;   /* server -> client, client -> server */
    uint32_t frame;
    uint8_t sack_opts[12];    /* NOP NOP SACK(left, right) */
} story_t;

static void story_start(story_t *s)
{
    pmtud_ip_t ip = tcp_ip(SRV, CLI, 80, 49321, 0, 0, 0, true);
    s->bh = pmtud_blackholes_new();
    s->frame = 0;
    pmtud_flow_of_ip(&ip, &s->data);
    pmtud_flow_reverse(&s->data, &s->ack);
}

/* Feeds the next frame at t seconds; true when it confirms a black hole. */
static bool story_feed(story_t *s, double t, const pmtud_ip_t *ip, uint32_t peer_mss,
                       pmtud_blackhole_t *out)
{
    pmtud_flow_t flow;
    uint64_t owner;

    /* The one conversation of a story: id 1, each direction by its hash
     * bit, as pmtud_conv_owner() names them. */
    pmtud_flow_of_ip(ip, &flow);
    owner = 1u << 1 | (pmtud_flow_hash(&flow) & 1u);
    return pmtud_blackholes_packet(s->bh, ++s->frame, (int64_t)(t * 1e9 + 0.5), ip, peer_mss,
                                   &flow, owner, out);
}

static bool seg(story_t *s, double t, uint32_t seq, uint32_t len, bool df, pmtud_blackhole_t *out)
{
    pmtud_ip_t ip = tcp_ip(SRV, CLI, 80, 49321, seq, 0x7c1e9ad3u, len, df);
    return story_feed(s, t, &ip, 1460, out);
}

/* The client's ACK, with one SACK block when right != left. */
static bool ack(story_t *s, double t, uint32_t ackno, uint32_t left, uint32_t right,
                pmtud_blackhole_t *out)
{
    static const uint8_t head[4] = { 1, 1, 5, 10 };
    pmtud_ip_t ip = tcp_ip(CLI, SRV, 49321, 80, 0x7c1e9ad3u, ackno, 0, true);

    if (right != left) {
        memcpy(s->sack_opts, head, 4);
        s->sack_opts[4] = (uint8_t)(left >> 24);
        s->sack_opts[5] = (uint8_t)(left >> 16);
        s->sack_opts[6] = (uint8_t)(left >> 8);
        s->sack_opts[7] = (uint8_t)left;
        s->sack_opts[8] = (uint8_t)(right >> 24);
        s->sack_opts[9] = (uint8_t)(right >> 16);
        s->sack_opts[10] = (uint8_t)(right >> 8);
        s->sack_opts[11] = (uint8_t)right;
        ip.l4_hdr_len = 32;
        ip.tcp_opts = s->sack_opts;
        ip.tcp_opts_len = 12;
    }
    return story_feed(s, t, &ip, 0, out);
}

/* The Windows story from the server (testcaptures/crafted/
 * windows_blackhole_sender.pcap): 1460 bytes DF at 0.19 s, the next 563
 * SACKed at once, resent at 3.2 and 9.3 s, then 536-byte segments with DF
 * cleared at 21.3 s. What was SACKed got through (603), and the fallback
 * cleared DF. */
static void test_windows_sender(void)
{
    story_t s;
    pmtud_blackhole_t b;
    const uint32_t X = SEQ + 169;

    story_start(&s);
    CHECK(!seg(&s, 0.150, SEQ, 169, true, &b));             /* 1: headers */
    CHECK(!seg(&s, 0.190, X, 1460, true, &b));              /* 2: lost */
    CHECK(!seg(&s, 0.190012, X + 1460, 563, true, &b));     /* 3 */
    CHECK(!ack(&s, 0.1904, X, 0, 0, &b));                   /* 4: the headers */
    CHECK(!ack(&s, 0.23008, X, X + 1460, X + 2023, &b));    /* 5: SACK of 3 */
    CHECK(!seg(&s, 3.2, X, 1460, true, &b));                /* 6 */
    CHECK(!seg(&s, 9.3, X, 1460, true, &b));                /* 7 */
    CHECK(!seg(&s, 21.3, X, 536, false, &b));               /* 8: fallback, DF cleared */
    CHECK(!seg(&s, 21.30005, X + 536, 536, false, &b));     /* 9 */
    CHECK(!seg(&s, 21.3001, X + 1072, 388, false, &b));     /* 10 */
    CHECK(ack(&s, 21.34003, X + 536, X + 1460, X + 2023, &b)); /* 11: confirms */
    CHECK(!b.receiver_view);
    CHECK_EQ(b.n_frames, 3);
    CHECK_EQ(b.frames[0], 2);
    CHECK_EQ(b.frames[1], 6);
    CHECK_EQ(b.frames[2], 7);
    CHECK_EQ(b.tries, 3);
    CHECK_EQ(b.stuck_len, 1500);
    CHECK_EQ(b.fallback_frame, 8);
    CHECK_EQ(b.through_len, 603);
    CHECK_EQ(b.through_payload, 563);
    CHECK(b.df_cleared);
    CHECK_EQ(b.end_ts_ns - b.start_ts_ns, 21110000000LL);
    CHECK(pmtud_flow_equal(&b.flow, &s.data));
    /* Once confirmed, the rest of the fill says nothing new. */
    CHECK(!ack(&s, 21.34008, X + 1072, X + 1460, X + 2023, &b));
    CHECK(!ack(&s, 21.34013, X + 2023, 0, 0, &b));
    pmtud_blackholes_free(s.bh);
}

/* The same without SACK, and a fallback that keeps DF (Linux's
 * tcp_mtu_probing): only the acknowledged fallback counts, DF not cleared. */
static void test_fallback_keeps_df(void)
{
    story_t s;
    pmtud_blackhole_t b;
    const uint32_t X = SEQ;

    story_start(&s);
    CHECK(!seg(&s, 0.1, X, 1460, true, &b));
    CHECK(!seg(&s, 0.1, X + 1460, 563, true, &b));
    CHECK(!ack(&s, 0.14, X, 0, 0, &b));          /* dup ACK, no SACK */
    CHECK(!seg(&s, 0.5, X, 1460, true, &b));
    CHECK(!seg(&s, 1.3, X, 1460, true, &b));
    CHECK(!seg(&s, 2.9, X, 1024, true, &b));
    CHECK(ack(&s, 2.94, X + 1024, 0, 0, &b));
    CHECK_EQ(b.through_len, 1064);
    CHECK_EQ(b.through_payload, 1024);
    CHECK(!b.df_cleared);
    CHECK_EQ(b.end_ts_ns - b.start_ts_ns, 2800000000LL);
    pmtud_blackholes_free(s.bh);
}

/* A SACK block says nothing of a segment it only partly covers, nor of one
 * that was resent (which copy got through?). */
static void test_sack_partial(void)
{
    story_t s;
    pmtud_blackhole_t b;
    const uint32_t X = SEQ;

    story_start(&s);
    CHECK(!seg(&s, 0.1, X, 1460, true, &b));
    CHECK(!seg(&s, 0.1, X + 1460, 800, true, &b));
    CHECK(!ack(&s, 0.14, X, X + 1460, X + 2000, &b));    /* half of the 800 */
    CHECK(!seg(&s, 0.5, X, 1460, true, &b));
    CHECK(!seg(&s, 1.3, X, 1460, true, &b));
    CHECK(!seg(&s, 2.9, X, 536, false, &b));
    CHECK(ack(&s, 2.94, X + 536, X + 1460, X + 2000, &b));
    CHECK_EQ(b.through_len, 576);                        /* not 840 */
    pmtud_blackholes_free(s.bh);
}

/* The Windows story from the client (windows_blackhole_receiver.pcap): the
 * 1460 bytes never arrive, the 563 past them do, and 21.1 s later 536-byte
 * segments with DF cleared fill the hole. Reported when the hole is
 * filled, on the frames that filled it. */
static void test_windows_receiver(void)
{
    story_t s;
    pmtud_blackhole_t b;
    const uint32_t X = SEQ + 169;

    story_start(&s);
    CHECK(!seg(&s, 0.19035, SEQ, 169, true, &b));          /* 1 */
    CHECK(!ack(&s, 0.1904, X, 0, 0, &b));                   /* 2 */
    CHECK(!seg(&s, 0.230012, X + 1460, 563, true, &b));     /* 3: opens the hole */
    CHECK(!ack(&s, 0.23008, X, X + 1460, X + 2023, &b));    /* 4 */
    CHECK(!seg(&s, 21.34, X, 536, false, &b));              /* 5: first fill */
    CHECK(!ack(&s, 21.34003, X + 536, X + 1460, X + 2023, &b));
    CHECK(!seg(&s, 21.34005, X + 536, 536, false, &b));     /* 7 */
    CHECK(!ack(&s, 21.34008, X + 1072, X + 1460, X + 2023, &b));
    CHECK(seg(&s, 21.3401, X + 1072, 388, false, &b));      /* 9: fills it */
    CHECK(b.receiver_view);
    CHECK_EQ(b.n_frames, 3);
    CHECK_EQ(b.frames[0], 5);
    CHECK_EQ(b.frames[1], 7);
    CHECK_EQ(b.frames[2], 9);
    CHECK_EQ(b.hole_frame, 3);
    CHECK_EQ(b.stuck_len, 1460);
    CHECK_EQ(b.through_len, 603);
    CHECK_EQ(b.through_payload, 563);
    CHECK(b.df_cleared);
    CHECK_EQ(b.end_ts_ns - b.start_ts_ns, 21109988000LL);
    CHECK(pmtud_flow_equal(&b.flow, &s.data));
    CHECK(!ack(&s, 21.34013, X + 2023, 0, 0, &b));
    pmtud_blackholes_free(s.bh);
}

/* A hole in front of 563 bytes, opened at 0.2 s after 500 bytes that
 * arrived; the caller fills it. */
static void hole_story(story_t *s)
{
    pmtud_blackhole_t b;

    story_start(s);
    CHECK(!seg(s, 0.1, SEQ, 500, true, &b));
    CHECK(!seg(s, 0.2, SEQ + 500 + 1460, 563, true, &b));   /* hole of 1460 */
}

/* Holes that are no black hole: refilled at full size (plain loss), refilled
 * smaller within a round trip (PMTUD worked: the ICMP reached the sender),
 * passed by the receiver's ACK unseen (the capture lost the frames), or a
 * flow whose full-size segments arrive. The last story fills the hole the
 * black-hole way, to show the others fail for their own reason. */
static void test_receiver_not_blackhole(void)
{
    story_t s;
    pmtud_blackhole_t b;
    const uint32_t X = SEQ + 500;

    hole_story(&s);
    CHECK(!seg(&s, 3.2, X, 1460, true, &b));                /* same size: loss */
    pmtud_blackholes_free(s.bh);

    hole_story(&s);
    CHECK(!seg(&s, 0.25, X, 1360, true, &b));               /* smaller, but quick */
    CHECK(!seg(&s, 0.25, X + 1360, 100, true, &b));
    pmtud_blackholes_free(s.bh);

    hole_story(&s);
    CHECK(!ack(&s, 0.3, X + 1460 + 563, 0, 0, &b));         /* passed unseen */
    CHECK(!seg(&s, 9.0, X, 536, false, &b));
    CHECK(!seg(&s, 9.0, X + 536, 536, false, &b));
    CHECK(!seg(&s, 9.0, X + 1072, 388, false, &b));
    pmtud_blackholes_free(s.bh);

    hole_story(&s);
    CHECK(!seg(&s, 0.3, X + 2023, 1460, true, &b));         /* full size arrives */
    CHECK(!seg(&s, 9.0, X, 536, false, &b));
    CHECK(!seg(&s, 9.0, X + 536, 536, false, &b));
    CHECK(!seg(&s, 9.0, X + 1072, 388, false, &b));
    pmtud_blackholes_free(s.bh);

    hole_story(&s);
    CHECK(!seg(&s, 9.0, X, 536, false, &b));
    CHECK(!seg(&s, 9.0, X + 536, 536, false, &b));
    CHECK(seg(&s, 9.0, X + 1072, 388, false, &b));          /* the black hole */
    CHECK(!b.df_cleared || b.receiver_view);
    pmtud_blackholes_free(s.bh);
}

/* A data segment with 12 bytes of TCP options (Linux's timestamps). */
static bool seg_ts(story_t *s, double t, uint32_t seq, uint32_t len, pmtud_blackhole_t *out)
{
    pmtud_ip_t ip = tcp_ip(SRV, CLI, 80, 49321, seq, 0x7c1e9ad3u, len, true);

    ip.l4_hdr_len = 32;
    ip.ip_len += 12;
    return story_feed(s, t, &ip, 1460, out);
}

/* Linux with timestamps: full-size segments carry 1448 bytes, under the
 * announced MSS of 1460. Two of them lost and resent after a 1.5 s
 * timeout are loss, not a hole filled smaller; the same hole filled by
 * 536-byte segments is the black hole. */
static void test_receiver_timestamps(void)
{
    story_t s;
    pmtud_blackhole_t b;
    const uint32_t X = SEQ + 500;

    story_start(&s);
    CHECK(!seg_ts(&s, 0.1, SEQ, 500, &b));
    CHECK(!seg_ts(&s, 0.2, X + 2 * 1448, 700, &b));          /* two segments missing */
    CHECK(!seg_ts(&s, 1.7, X, 1448, &b));
    CHECK(!seg_ts(&s, 1.7, X + 1448, 1448, &b));
    pmtud_blackholes_free(s.bh);

    story_start(&s);
    CHECK(!seg_ts(&s, 0.1, SEQ, 500, &b));
    CHECK(!seg_ts(&s, 0.2, X + 2 * 1448, 700, &b));
    CHECK(!seg_ts(&s, 9.0, X, 536, &b));
    CHECK(!seg_ts(&s, 9.0, X + 536, 536, &b));
    CHECK(!seg_ts(&s, 9.0, X + 1072, 536, &b));
    CHECK(!seg_ts(&s, 9.0, X + 1608, 536, &b));
    CHECK(!seg_ts(&s, 9.0, X + 2144, 536, &b));
    CHECK(seg_ts(&s, 9.0, X + 2680, 216, &b));
    CHECK(b.receiver_view);
    CHECK_EQ(b.n_frames, 6);
    CHECK_EQ(b.stuck_len, 2 * 1448);
    CHECK(!b.df_cleared);
    pmtud_blackholes_free(s.bh);
}

int main(void)
{
    RUN(test_black_hole);
    RUN(test_many_tries);
    RUN(test_plain_loss);
    RUN(test_icmp_seen);
    RUN(test_too_few_tries);
    RUN(test_windows_sender);
    RUN(test_fallback_keeps_df);
    RUN(test_sack_partial);
    RUN(test_windows_receiver);
    RUN(test_receiver_not_blackhole);
    RUN(test_receiver_timestamps);
    pmtud_analyzer_free(an);
    return check_done();
}
