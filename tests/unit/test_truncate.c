/* test_truncate.c
 * Snaplen truncation: every prefix 0..full of a set of valid frames is
 * parsed from a heap copy of exactly that size (so ASan sees any read
 * past the captured bytes), fed to the analyzer and put into words.
 * For the plain ICMPv4 frame the exact point where each field appears is
 * checked too.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fixtures.h"
#include "frames.h"
#include "pmtud_analyze.h"
#include "pmtud_messages.h"

static pmtud_analyzer_t *an;
static uint32_t frame_no;
static bool last_ptb;                 /* the last prefix fed was a PTB */
static pmtud_fed_t last_fed;          /* and this its result */
#define last_res (last_fed.icmp)

/* --- the frames -------------------------------------------------------- */

/* 1: Ethernet, ICMPv4 frag-needed quoting 548 bytes of data4. */
static void frame_icmp4(pb_t *p)
{
    pb_t d;
    fr_data4(&d);
    pb_init(p);
    pb_frame_ptb4(p, RTR, SRV, 1400, d.b + 14, 548);
}

/* 2: QinQ, ICMPv6 PTB quoting IPv6 + hop-by-hop + fragment + TCP. */
static void frame_icmp6_ext(pb_t *p)
{
    pb_t d;
    pb_ip6_t h = pb_ip6_make(SRV6, CLI6, 0), r = pb_ip6_make(RTR6, SRV6, 58);
    size_t off;

    pb_init(&d);
    off = pb_ip6(&d, &h);
    pb_ip6_ext(&d, 44, 1);
    pb_ip6_frag(&d, 6, 0, true, 7);
    pb_tcp(&d, &TCP_DATA);
    pb_fill(&d, 1000, 0x80);
    pb_ip6_end(&d, off);

    pb_init(p);
    pb_eth(p, 0x88a8);
    pb_tag(p, 10, 0x8100);
    pb_tag(p, 20, 0x86dd);
    off = pb_ip6(p, &r);
    pb_icmp6_ptb(p, 1280);
    pb_bytes(p, d.b, 200);
    pb_ip6_end(p, off);
}

/* 3: VXLAN carrying an ICMPv4 PTB that quotes a UDP datagram. */
static void frame_vxlan_icmp(pb_t *p)
{
    pb_t d;
    pb_ip4_t o = pb_ip4_make(TUN_A, TUN_B, 17, 0x7777), i = pb_ip4_make(RTR, SRV, 1, 0x9e01);
    size_t off, udp, in;

    pb_init(&d);
    {
        pb_ip4_t h = pb_ip4_make(SRV, CLI, 17, 0);
        pb_frame_udp4(&d, &h, 41000, 50000, 1472, 0x9c);
    }
    pb_init(p);
    pb_eth(p, 0x0800);
    off = pb_ip4(p, &o);
    udp = pb_udp(p, 50123, 4789);
    pb_vxlan(p, 99);
    pb_eth(p, 0x0800);
    in = pb_ip4(p, &i);
    pb_icmp4_ptb(p, 1400, 0);
    pb_bytes(p, d.b + 14, 100);
    pb_ip4_end(p, in);
    pb_udp_end(p, udp);
    pb_ip4_end(p, off);
}

/* 4: GRE with key carrying an ICMPv4 PTB with an RFC 4884 length. */
static void frame_gre_icmp(pb_t *p)
{
    pb_t d;
    pb_ip4_t o = pb_ip4_make(TUN_A, TUN_B, 47, 0x7777), i = pb_ip4_make(RTR, SRV, 1, 0x9e02);
    size_t off, in;

    fr_data4(&d);
    pb_init(p);
    pb_eth(p, 0x0800);
    off = pb_ip4(p, &o);
    pb_gre(p, 0x0800, true, 0xabcdef01u);
    in = pb_ip4(p, &i);
    pb_icmp4_ptb(p, 1400, 32);
    pb_bytes(p, d.b + 14, 128);
    pb_u32(p, 0x20000000u);
    pb_ip4_end(p, in);
    pb_ip4_end(p, off);
}

/* 5: BSD loopback + 6in4 carrying an ICMPv6 PTB. */
static void frame_6in4_icmp(pb_t *p)
{
    pb_t d;
    pb_ip4_t o = pb_ip4_make(TUN_A, TUN_B, 41, 0x7777);
    pb_ip6_t h = pb_ip6_make(SRV6, CLI6, 6), r = pb_ip6_make(RTR6, SRV6, 58);
    size_t off, in;

    pb_init(&d);
    pb_frame_tcp6(&d, &h, &TCP_DATA, 1400, 0x22);
    pb_init(p);
    pb_null(p, 2);
    off = pb_ip4(p, &o);
    in = pb_ip6(p, &r);
    pb_icmp6_ptb(p, 1280);
    pb_bytes(p, d.b + 14, 120);
    pb_ip6_end(p, in);
    pb_ip4_end(p, off);
}

/* 6: PPPoE + IPv4 with options + TCP SYN with MSS. */
static void frame_pppoe_syn(pb_t *p)
{
    static const uint8_t ra[4] = { 0x94, 0x04, 0, 0 };
    pb_ip4_t h = pb_ip4_make(CLI, SRV, 6, 0x2f41);
    pb_tcp_t syn = { 49321, 80, 0x7c1e9a52u, 0, PB_SYN, 1452 };
    size_t off;

    h.opts = ra;
    h.opts_len = sizeof ra;
    pb_init(p);
    pb_eth(p, 0x8864);
    pb_pppoes(p, 0x0021);
    off = pb_ip4(p, &h);
    pb_tcp(p, &syn);
    pb_ip4_end(p, off);
}

/* 7: SLL2 + IPv4 TCP with total length 0 (captured above TSO). */
static void frame_sll2_len0(pb_t *p)
{
    pb_ip4_t h = pb_ip4_make(SRV, CLI, 6, 0x1111);
    size_t off;

    pb_init(p);
    pb_sll2(p, 0x0800);
    off = pb_ip4(p, &h);
    pb_tcp(p, &TCP_DATA);
    pb_fill(p, 300, 1);
    pb_ip4_len(p, off, 0);
}

/* 8: SLL + UDP (VXLAN port, but no VXLAN flag). */
static void frame_sll_udp(pb_t *p)
{
    pb_ip4_t h = pb_ip4_make(SRV, CLI, 17, 0x2222);
    size_t off, udp;

    pb_init(p);
    pb_sll(p, 0x0800);
    off = pb_ip4(p, &h);
    udp = pb_udp(p, 1234, 4789);
    pb_fill(p, 40, 0);
    pb_udp_end(p, udp);
    pb_ip4_end(p, off);
}

static const struct {
    const char *name;
    pmtud_link_t link;
    void (*build)(pb_t *p);
} FRAMES[] = {
    { "icmp4", PMTUD_LINK_ETHERNET, frame_icmp4 },
    { "icmp6_ext", PMTUD_LINK_ETHERNET, frame_icmp6_ext },
    { "vxlan_icmp", PMTUD_LINK_ETHERNET, frame_vxlan_icmp },
    { "gre_icmp", PMTUD_LINK_ETHERNET, frame_gre_icmp },
    { "6in4_icmp", PMTUD_LINK_NULL, frame_6in4_icmp },
    { "pppoe_syn", PMTUD_LINK_ETHERNET, frame_pppoe_syn },
    { "sll2_len0", PMTUD_LINK_SLL2, frame_sll2_len0 },
    { "sll_udp", PMTUD_LINK_SLL, frame_sll_udp },
};

/* --- checks ------------------------------------------------------------ */

static bool inside(const uint8_t *buf, size_t len, const uint8_t *p, uint32_t n)
{
    return !p || (p >= buf && p <= buf + len && n <= (size_t)(buf + len - p));
}

static void say_everything(const pmtud_icmp_result_t *res)
{
    static void (*const fns[])(char *, size_t, const pmtud_icmp_result_t *) = {
        pmtud_verdict_text, pmtud_msg_offload, pmtud_msg_bogus_mtu, pmtud_msg_mtu_zero,
        pmtud_msg_not_captured, pmtud_msg_rewritten, pmtud_msg_quote_short,
        pmtud_msg_legitimate, pmtud_msg_rejected, pmtud_msg_reaction,
    };
    char buf[PMTUD_MSG_MAX];
    size_t i;

    for (i = 0; i < sizeof fns / sizeof fns[0]; i++) {
        buf[0] = 'x';
        fns[i](buf, sizeof buf, res);
        CHECK(memchr(buf, 0, sizeof buf) != NULL);
    }
}

/* Parses the first caplen bytes of p from an exactly-sized heap copy and
 * feeds them to the analyzer while the copy lives (the frame points into
 * it); the result is left in last_ptb / last_res. */
static bool parse_prefix(pmtud_link_t link, const pb_t *p, size_t caplen, pmtud_frame_t *f)
{
    uint8_t *copy = malloc(caplen ? caplen : 1);
    bool ok;

    last_ptb = false;
    if (!CHECK(copy != NULL))
        return false;
    memcpy(copy, p->b, caplen);
    ok = pmtud_parse_frame(link, copy, caplen, (uint32_t)p->len, f);
    CHECK(ok == f->has_ip);
    CHECK(f->link_hdr_len <= caplen);
    CHECK(f->ip.captured <= caplen);
    CHECK(inside(copy, caplen, f->ip.payload, f->ip.payload_caplen));
    CHECK(inside(copy, caplen, pmtud_frame_outer(f)->payload, pmtud_frame_outer(f)->payload_caplen));
    CHECK(inside(copy, caplen, f->quoted.payload, f->quoted.payload_caplen));
    last_ptb = (pmtud_analyzer_feed(an, ++frame_no, 0, f, &last_fed) &
                PMTUD_FED_ICMP) != 0;
    if (last_ptb) {
        CHECK(last_res.n_covered <= PMTUD_MAX_COVERED);
        say_everything(&last_res);
    }
    free(copy);
    return ok;
}

static void test_every_prefix(void)
{
    size_t i, len;

    for (i = 0; i < sizeof FRAMES / sizeof FRAMES[0]; i++) {
        static pb_t p;
        pmtud_frame_t f;
        check_test = FRAMES[i].name;
        FRAMES[i].build(&p);
        for (len = 0; len <= p.len; len++)
            parse_prefix(FRAMES[i].link, &p, len, &f);
        /* The whole frame parses. */
        CHECK(parse_prefix(FRAMES[i].link, &p, p.len, &f));
    }
    check_test = "test_every_prefix";
}

/* Where each field of frame_icmp4 appears: IP at 14, ICMP at 34, the
 * quoted IP header at 42, quoted ports at 62, quoted seq at 66. */
static void test_icmp4_prefix_points(void)
{
    pb_t d, p;
    size_t len;

    /* A fresh analyzer: the SYN above announced MSS 1452 for this flow. */
    pmtud_analyzer_free(an);
    an = pmtud_analyzer_new(0);
    fr_data4(&d);
    CHECK_EQ(pmtud_analyzer_feed(an, ++frame_no, 0, NULL, &last_fed), 0);
    {
        pmtud_frame_t f;
        pmtud_parse_frame(PMTUD_LINK_ETHERNET, d.b, d.len, (uint32_t)d.len, &f);
        CHECK_EQ(pmtud_analyzer_feed(an, ++frame_no, 0, &f, &last_fed),
                 PMTUD_FED_FLOW);
    }
    {
        uint32_t data_frame = frame_no;
        frame_icmp4(&p);
        for (len = 0; len <= p.len; len++) {
            pmtud_frame_t f;
            bool ok = parse_prefix(PMTUD_LINK_ETHERNET, &p, len, &f);

            CHECK_EQ(ok, len >= 34);
            CHECK_EQ(f.is_icmp, len >= 34);
            CHECK_EQ(f.is_ptb, len >= 42);
            CHECK_EQ(f.mtu, len >= 42 ? 1400 : 0);
            CHECK_EQ(f.quote_short, len > 42 && len < 62);
            CHECK_EQ(f.quoted.family, len >= 62 ? 4 : 0);
            CHECK_EQ(f.quoted.ip_len, len >= 62 ? 1500 : 0);
            CHECK_EQ(f.quoted.has_ports, len >= 66);
            CHECK_EQ(f.quoted.has_seq, len >= 70);
            CHECK_EQ(f.quoted.captured, len >= 62 ? len - 42 : 0);
            /* Linked once the sequence number is there, never before. */
            CHECK_EQ(last_ptb, len >= 42);
            if (last_ptb) {
                CHECK_EQ(last_res.quoted_frame, len >= 70 ? data_frame : 0);
                CHECK_EQ(last_res.verdicts & PMTUD_V_LEGITIMATE,
                         len >= 70 ? PMTUD_V_LEGITIMATE : 0);
            }
        }
    }
}

int main(void)
{
    an = pmtud_analyzer_new(0);
    RUN(test_every_prefix);
    RUN(test_icmp4_prefix_points);
    pmtud_analyzer_free(an);
    return check_done();
}
