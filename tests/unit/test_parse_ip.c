/* test_parse_ip.c
 * pmtud_parse, the IP layer: IPv4 options, IPv6 extension headers, total
 * length 0, fragments, tunnels (GRE, VXLAN, IP-in-IP, 6in4) and the TCP
 * MSS option.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "check.h"
#include "fixtures.h"
#include "frames.h"
#include "pmtud_parse.h"

/* --- IP ---------------------------------------------------------------- */

static void test_ipv4_options(void)
{
    static const uint8_t router_alert[4] = { 0x94, 0x04, 0x00, 0x00 };
    pb_t p;
    pmtud_frame_t f;
    pb_ip4_t h = pb_ip4_make(SRV, CLI, 6, 0x0c32);
    size_t off;

    h.opts = router_alert;
    h.opts_len = sizeof router_alert;
    pb_init(&p);
    pb_eth(&p, 0x0800);
    off = pb_ip4(&p, &h);
    pb_tcp(&p, &TCP_DATA);
    pb_fill(&p, 100, 0x40);
    pb_ip4_end(&p, off);

    CHECK_EQ(p.b[14], 0x46);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK_EQ(f.ip.hdr_len, 24);
    CHECK_EQ(f.ip.ip_len, 144);
    CHECK_EQ(f.ip.sport, 80);
    CHECK_EQ(f.ip.dport, 49321);
    CHECK_EQ(f.ip.seq, SEQ);
    CHECK_EQ(f.ip.payload_len, 100);
    CHECK(f.ip.payload == p.b + 14 + 24 + 20);

    /* IHL below 5 is no IPv4 header. */
    p.b[14] = 0x44;
    CHECK(!fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
}

static void test_ipv6_extensions(void)
{
    pb_t p;
    pmtud_frame_t f;
    pb_ip6_t h = pb_ip6_make(SRV6, CLI6, 0);
    size_t off;

    /* hop-by-hop (8) -> routing (24) -> fragment (8, offset 0, more) -> TCP */
    pb_init(&p);
    pb_eth(&p, 0x86dd);
    off = pb_ip6(&p, &h);
    pb_ip6_ext(&p, 43, 0);
    pb_ip6_ext(&p, 44, 2);
    pb_ip6_frag(&p, 6, 0, true, 0xdeadbeef);
    pb_tcp(&p, &TCP_DATA);
    pb_fill(&p, 100, 0x40);
    pb_ip6_end(&p, off);

    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK_EQ(f.ip.family, 6);
    CHECK_EQ(f.ip.hdr_len, 80);
    CHECK_EQ(f.ip.proto, 6);
    CHECK_EQ(f.ip.ip_len, 40 + 40 + 20 + 100);
    CHECK(!f.ip.later_fragment);
    CHECK(f.ip.has_ports);
    CHECK_EQ(f.ip.sport, 80);
    CHECK_EQ(f.ip.seq, SEQ);
    CHECK_EQ(f.ip.payload_len, 100);
    CHECK(f.ip.payload == p.b + 14 + 80 + 20);

    /* The same with fragment offset 185 (1480 bytes): a later fragment,
     * whose bytes after the headers are data, not a TCP header. */
    pb_set16(&p, 14 + 40 + 8 + 24 + 2, (uint16_t)(185 << 3));
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK(f.ip.later_fragment);
    CHECK_EQ(f.ip.hdr_len, 80);
    CHECK(!f.ip.has_ports);
    CHECK(!f.ip.has_seq);
    CHECK_EQ(f.ip.payload_len, 0);
}

/* IPsec AH counts its length in 32-bit words minus 2: (4 + 2) * 4 = 24. */
static void test_ipv6_ah(void)
{
    pb_t p;
    pmtud_frame_t f;
    pb_ip6_t h = pb_ip6_make(SRV6, CLI6, 51);
    size_t off;

    pb_init(&p);
    pb_eth(&p, 0x86dd);
    off = pb_ip6(&p, &h);
    pb_u8(&p, 6);        /* next header: TCP */
    pb_u8(&p, 4);        /* payload length */
    pb_u16(&p, 0);
    pb_u32(&p, 0x1000);  /* SPI */
    pb_u32(&p, 1);       /* sequence */
    pb_fill(&p, 12, 0);  /* ICV */
    pb_tcp(&p, &TCP_DATA);
    pb_fill(&p, 100, 0x40);
    pb_ip6_end(&p, off);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK_EQ(f.ip.hdr_len, 64);
    CHECK_EQ(f.ip.proto, 6);
    CHECK_EQ(f.ip.seq, SEQ);
    CHECK_EQ(f.ip.payload_len, 100);
}

static void test_ipv4_len_zero(void)
{
    pb_t p;
    pmtud_frame_t f;
    pb_ip4_t h = pb_ip4_make(SRV, CLI, 6, 0x0c32);
    size_t off;

    /* Captured above TSO: total length 0, 2920 payload bytes. */
    pb_init(&p);
    pb_eth(&p, 0x0800);
    off = pb_ip4(&p, &h);
    pb_tcp(&p, &TCP_DATA);
    pb_fill(&p, 2920, 0x40);
    pb_ip4_len(&p, off, 0);

    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK(f.ip.len_zero);
    CHECK_EQ(f.ip.ip_len, 2960);
    CHECK_EQ(f.ip.captured, 2960);
    CHECK_EQ(f.ip.payload_len, 2920);
    CHECK_EQ(f.ip.payload_caplen, 2920);
    CHECK_EQ(f.ip.sport, 80);
    CHECK_EQ(f.ip.seq, SEQ);
    CHECK_EQ(pmtud_frame_outer(&f)->ip_len, 2960);

    /* Snaplen 96: the length still comes from the wire length. */
    CHECK(pmtud_parse_frame(PMTUD_LINK_ETHERNET, p.b, 96, 2974, &f));
    CHECK(f.ip.len_zero);
    CHECK_EQ(f.ip.ip_len, 2960);
    CHECK_EQ(f.ip.captured, 82);
    CHECK_EQ(f.ip.payload_len, 2920);
    CHECK_EQ(f.ip.payload_caplen, 42);
}

/* A total length below the header's (1 to 19 with 20 bytes of header) is
 * no packet: Wireshark calls it bogus and reads nothing inside, and so
 * does pmtud (a fuzzed ERSPAN frame linked by its unseen inner packet). */
static void test_ipv4_len_bogus(void)
{
    pb_t p;
    pmtud_frame_t f;
    pmtud_ip_t ip;
    pb_ip4_t h = pb_ip4_make(SRV, CLI, 6, 0x0c33);
    size_t off;
    uint16_t len;

    for (len = 1; len < 20; len++) {
        pb_init(&p);
        pb_eth(&p, 0x0800);
        off = pb_ip4(&p, &h);
        pb_tcp(&p, &TCP_DATA);
        pb_fill(&p, 100, 0x40);
        pb_ip4_len(&p, off, len);
        CHECK(!fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
        CHECK(!pmtud_parse_ip(p.b + off, p.len - off, &ip));
    }
    pb_ip4_len(&p, off, 20);    /* the header alone is a packet */
    CHECK(pmtud_parse_ip(p.b + off, p.len - off, &ip));
}

static void test_ipv4_fragments(void)
{
    pb_t p;
    pmtud_frame_t f;
    pb_ip4_t h = pb_ip4_make(SRV, CLI, 17, 0x4242);
    size_t off, udp;

    /* First fragment: offset 0, MF; the UDP header is there. */
    h.df = false;
    h.mf = true;
    pb_init(&p);
    pb_eth(&p, 0x0800);
    off = pb_ip4(&p, &h);
    udp = pb_udp(&p, 5353, 53);
    pb_fill(&p, 1472, 0);
    pb_set16(&p, udp + 4, 3008);   /* the whole datagram */
    pb_ip4_end(&p, off);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK(!f.ip.later_fragment);
    CHECK(!f.ip.df);
    CHECK(f.ip.has_ports);
    CHECK_EQ(f.ip.dport, 53);
    CHECK_EQ(f.ip.udp_len, 3008);
    CHECK_EQ(f.ip.payload_len, 1472);

    /* Later fragment: offset 185, data only. */
    h.frag_off = 185;
    pb_init(&p);
    pb_eth(&p, 0x0800);
    off = pb_ip4(&p, &h);
    pb_fill(&p, 1480, 0x11);
    pb_ip4_end(&p, off);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK(f.ip.later_fragment);
    CHECK_EQ(f.ip.ip_len, 1500);
    CHECK_EQ(f.ip.ip_id, 0x4242);
    CHECK(!f.ip.has_ports);
    CHECK_EQ(f.ip.sport, 0);
    CHECK_EQ(f.ip.payload_len, 0);
}

/* --- tunnels ----------------------------------------------------------- */

static void expect_tunnel4(const pmtud_frame_t *f, uint8_t outer_proto, uint32_t outer_len)
{
    CHECK(f->has_ip);
    CHECK_EQ(f->tunnel_depth, 1);
    CHECK_EQ(f->link_hdr_len, 14);
    CHECK_EQ(pmtud_frame_outer(f)->family, 4);
    CHECK_EQ(pmtud_frame_outer(f)->proto, outer_proto);
    CHECK_MEM(pmtud_frame_outer(f)->src, TUN_A, 4);
    CHECK_MEM(pmtud_frame_outer(f)->dst, TUN_B, 4);
    CHECK_EQ(pmtud_frame_outer(f)->ip_len, outer_len);
    CHECK_EQ(pmtud_frame_outer(f)->ip_id, 0x7777);
    CHECK_EQ(f->ip.family, 4);
    CHECK_MEM(f->ip.src, SRV, 4);
    CHECK_EQ(f->ip.ip_len, 140);
    CHECK_EQ(f->ip.ip_id, 0x0c32);
    CHECK_EQ(f->ip.sport, 80);
    CHECK_EQ(f->ip.seq, SEQ);
    CHECK_EQ(f->ip.payload_len, 100);
}

static void test_gre(void)
{
    pb_t p;
    pmtud_frame_t f;
    pb_ip4_t h = pb_ip4_make(TUN_A, TUN_B, 47, 0x7777);
    size_t off;

    /* GRE with key, IPv4 inside: 4 + 4 bytes of GRE. */
    pb_init(&p);
    pb_eth(&p, 0x0800);
    off = pb_ip4(&p, &h);
    pb_gre(&p, 0x0800, true, 0x01020304);
    fr_body4(&p);
    pb_ip4_end(&p, off);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    expect_tunnel4(&f, 47, 20 + 8 + 140);
    CHECK(f.eth_src == NULL);   /* the outer MAC is the tunnel endpoint's, not the packet's */

    /* GRE without key. */
    pb_init(&p);
    pb_eth(&p, 0x0800);
    off = pb_ip4(&p, &h);
    pb_gre(&p, 0x0800, false, 0);
    fr_body4(&p);
    pb_ip4_end(&p, off);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    expect_tunnel4(&f, 47, 20 + 4 + 140);

    /* GRE version 1 (PPTP) is not followed. */
    pb_set16(&p, 14 + 20, 0x0001);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK_EQ(f.tunnel_depth, 0);
    CHECK_EQ(f.ip.proto, 47);
    CHECK_MEM(f.ip.src, TUN_A, 4);

    /* Transparent Ethernet bridging (0x6558): an Ethernet frame inside. */
    pb_init(&p);
    pb_eth(&p, 0x0800);
    off = pb_ip4(&p, &h);
    pb_gre(&p, 0x6558, true, 7);
    pb_eth(&p, 0x0800);
    fr_body4(&p);
    pb_ip4_end(&p, off);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    expect_tunnel4(&f, 47, 20 + 8 + 14 + 140);
    CHECK(f.eth_src == p.b + 14 + 20 + 8 + 6);   /* the inner Ethernet header's */
}

static void test_vxlan(void)
{
    pb_t p;
    pmtud_frame_t f;
    pb_ip4_t h = pb_ip4_make(TUN_A, TUN_B, 17, 0x7777);
    size_t off, udp;

    pb_init(&p);
    pb_eth(&p, 0x0800);
    off = pb_ip4(&p, &h);
    udp = pb_udp(&p, 54321, 4789);
    pb_vxlan(&p, 42);
    pb_eth(&p, 0x0800);
    fr_body4(&p);
    pb_udp_end(&p, udp);
    pb_ip4_end(&p, off);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    expect_tunnel4(&f, 17, 20 + 8 + 8 + 14 + 140);
    CHECK(f.eth_src == p.b + 14 + 20 + 8 + 8 + 6);
    CHECK_EQ(pmtud_frame_outer(&f)->dport, 4789);
    CHECK_EQ(pmtud_frame_outer(&f)->sport, 54321);

    /* Without the VNI-valid flag the UDP payload is not followed. */
    p.b[14 + 20 + 8] = 0;
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK_EQ(f.tunnel_depth, 0);
    CHECK_EQ(f.ip.proto, 17);
    CHECK(f.eth_src == p.b + 6);          /* not followed: the outer header's */
}

static void test_ipip_6in4(void)
{
    pb_t p;
    pmtud_frame_t f;
    pb_ip4_t h = pb_ip4_make(TUN_A, TUN_B, 4, 0x7777);
    size_t off;

    pb_init(&p);
    pb_eth(&p, 0x0800);
    off = pb_ip4(&p, &h);
    fr_body4(&p);
    pb_ip4_end(&p, off);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    expect_tunnel4(&f, 4, 160);

    /* Protocol 4 with bytes that are no IP header: stay at the outer one. */
    memset(p.b + 14 + 20, 0xff, 20);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK_EQ(f.tunnel_depth, 0);
    CHECK_EQ(f.ip.proto, 4);
    CHECK_EQ(f.ip.ip_len, 160);

    /* 6in4 (protocol 41). */
    h.proto = 41;
    pb_init(&p);
    pb_eth(&p, 0x0800);
    off = pb_ip4(&p, &h);
    fr_body6(&p);
    pb_ip4_end(&p, off);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK_EQ(f.tunnel_depth, 1);
    CHECK_EQ(pmtud_frame_outer(&f)->family, 4);
    CHECK_EQ(pmtud_frame_outer(&f)->proto, 41);
    CHECK_EQ(pmtud_frame_outer(&f)->ip_len, 180);
    CHECK_MEM(pmtud_frame_outer(&f)->src, TUN_A, 4);
    CHECK_EQ(f.ip.family, 6);
    CHECK_EQ(f.ip.proto, 6);
    CHECK_EQ(f.ip.ip_len, 160);
    CHECK_MEM(f.ip.src, SRV6, 16);
    CHECK_EQ(f.ip.seq, SEQ);
}

/* --- TCP --------------------------------------------------------------- */

static void test_tcp_mss(void)
{
    pb_t p;
    pmtud_frame_t f;
    pb_ip4_t h = pb_ip4_make(CLI, SRV, 6, 0x2f41);
    pb_tcp_t syn = { 49321, 80, 0x7c1e9a52u, 0, PB_SYN, 1460 };
    size_t off, tcp;

    pb_init(&p);
    pb_frame_tcp4(&p, &h, &syn, 0, 0);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK_EQ(f.ip.tcp_flags, PB_SYN);
    CHECK_EQ(f.ip.mss, 1460);
    CHECK_EQ(f.ip.l4_hdr_len, 24);
    CHECK_EQ(f.ip.ip_len, 44);
    CHECK_EQ(f.ip.payload_len, 0);

    /* MSS after NOP, NOP, SACK-permitted; EOL padding: data offset 8. */
    pb_init(&p);
    pb_eth(&p, 0x0800);
    off = pb_ip4(&p, &h);
    syn.mss = 0;
    tcp = pb_tcp(&p, &syn);
    {
        static const uint8_t opts[12] = { 1, 1, 4, 2, 2, 4, 0x05, 0x8c, 0, 0, 0, 0 };
        pb_bytes(&p, opts, sizeof opts);
    }
    p.b[tcp + 12] = 8 << 4;
    pb_ip4_end(&p, off);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK_EQ(f.ip.mss, 1420);
    CHECK_EQ(f.ip.l4_hdr_len, 32);

    /* An MSS option outside a SYN is ignored. */
    p.b[tcp + 13] = PB_ACK;
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK_EQ(f.ip.mss, 0);
}


int main(void)
{
    RUN(test_ipv4_options);
    RUN(test_ipv6_extensions);
    RUN(test_ipv6_ah);
    RUN(test_ipv4_len_zero);
    RUN(test_ipv4_len_bogus);
    RUN(test_ipv4_fragments);
    RUN(test_gre);
    RUN(test_vxlan);
    RUN(test_ipip_6in4);
    RUN(test_tcp_mss);
    return check_done();
}
